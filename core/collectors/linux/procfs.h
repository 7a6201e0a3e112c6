// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

// Reading the kernel's and the system's small text tables, shared by the Linux probes.
namespace dc::core::probe {

// uid -> account name from /etc/passwd. Read directly instead of getpwuid():
// NSS may consult LDAP or SSSD over the network and block.
QMap<uint, QString> localAccountNames();
qint64 bootTimeSeconds();
// Values of "Key: value" files such as /proc/meminfo or /proc/cpuinfo (first occurrence).
QMap<QString, QString> colonFields(const QByteArray &data);
// KEY=value or KEY="value" lines (os-release, /etc/environment).
QMap<QString, QString> shellAssignments(const QByteArray &data);

} // namespace dc::core::probe
