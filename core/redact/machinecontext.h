// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace dc::core {

// What the redactor must always hide on this machine, wherever it occurs:
// its host names, its DNS domain(s), the local human accounts and the
// machine-id. Injectable so that tests and benchmarks use invented values.
struct MachineContext
{
    QStringList hostNames; // short names and FQDNs, e.g. "alice-laptop"
    QStringList domains;   // DNS domains with at least one dot, e.g. "corp.example.net"
    QStringList accounts;  // human login names (uid >= 1000 and the current user)
    QByteArray machineId;  // /etc/machine-id, 32 lower-case hex digits; may be empty
    // The hardware's own identifiers, which wmic, dmidecode, systeminfo and
    // inventory tools print in columns no pattern can tell from other ids:
    // the firmware's system UUID, and on Windows the MachineGuid.
    QList<QByteArray> hardwareUuids;
    // Serial numbers of the system, board and chassis, and Windows' product id.
    QList<QByteArray> serialNumbers;

    // Reads the running machine: gethostname / QSysInfo, /etc/hostname,
    // the search/domain lines of /etc/resolv.conf, `passwdPath` (accounts with
    // 1000 <= uid < 65534) plus the current user, /etc/machine-id, and the
    // firmware's ids from `dmiFolder` (Linux; readable by root only) or the
    // registry (Windows). Generic names that would redact ordinary words
    // ("localhost", "debian", system accounts such as root or nobody) and the
    // firmware's placeholders ("To Be Filled By O.E.M.") are left out. Never
    // fails: unreadable files contribute nothing. Any thread.
    static MachineContext detect(const QString &passwdPath = QStringLiteral("/etc/passwd"),
                                 const QString &resolvConfPath = QStringLiteral("/etc/resolv.conf"),
                                 const QString &machineIdPath = QStringLiteral("/etc/machine-id"),
                                 const QString &dmiFolder = QStringLiteral("/sys/class/dmi/id"));

    // Whether a firmware id is a placeholder that many machines share
    // ("Default string", "0123456789", an all-zero UUID).
    static bool isPlaceholderHardwareId(QByteArrayView id);

    // Account names that are never personal (root, SYSTEM, www-data, daemon,
    // nobody, ...), lower-case. Shared with the user-name rules.
    static bool isSystemAccount(QByteArrayView name);
    // Whether a name cut short (ps prints "systemd+" for systemd-timesync)
    // may be the start of such an account.
    static bool isSystemAccountPrefix(QByteArrayView prefix);
    // Host names an installer or image gives by default ("ubuntu",
    // "raspberrypi", "localhost"), any case: not personal, never chosen.
    static bool isGenericHostName(QByteArrayView name);
};

} // namespace dc::core
