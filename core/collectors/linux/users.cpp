// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// users: host name, logged-in users (utmp), local account names.
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probeplatform_p.h"
#include "core/collectors/probereport.h"
#include "core/collectors/probesupport.h"

#include <QFileInfo>
#include <cstring>
#include <utmp.h>

namespace dc::core::probe {

ProbeOutput users(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
    Report r;
    r.section(QStringLiteral("Host"));
    r.field(QStringLiteral("host name"), hostName());

    // utmp is read as a file of fixed-size records rather than with
    // getutxent(), which keeps global state and is not thread-safe.
    r.section(QStringLiteral("Logged-in users (" _PATH_UTMP ")"));
    TextTable sessions({QStringLiteral("USER"), QStringLiteral("TTY"), QStringLiteral("LOGIN (UTC)"),
                        QStringLiteral("PID"), QStringLiteral("FROM")});
    const QByteArray utmp = readSmallFile(QStringLiteral(_PATH_UTMP), 4 * 1024 * 1024);
    for (qsizetype offset = 0; offset + qsizetype(sizeof(struct utmp)) <= utmp.size(); offset += sizeof(struct utmp)) {
        struct utmp entry;
        std::memcpy(&entry, utmp.constData() + offset, sizeof entry);
        if (entry.ut_type != USER_PROCESS)
            continue;
        auto field = [](const char *text, std::size_t size) {
            return QString::fromUtf8(text, qsizetype(strnlen(text, size)));
        };
        sessions.add({field(entry.ut_user, sizeof entry.ut_user), field(entry.ut_line, sizeof entry.ut_line),
                      isoUtc(entry.ut_tv.tv_sec), QString::number(entry.ut_pid),
                      field(entry.ut_host, sizeof entry.ut_host)});
    }
    if (sessions.size())
        r.text(sessions.render());
    else
        r.text(QFileInfo::exists(QStringLiteral(_PATH_UTMP)) ? QStringLiteral("(nobody logged in)\n")
                                                             : QStringLiteral("(no " _PATH_UTMP ")\n"));

    // Names, uid and shell only: never the password field or GECOS data.
    int uidMin = 1000;
    int uidMax = 60000;
    const QList<QByteArray> defs = readSmallFile(QStringLiteral("/etc/login.defs"), 256 * 1024).split('\n');
    for (const QByteArray &line : defs) {
        const QList<QByteArray> words = line.simplified().split(' ');
        if (words.size() >= 2 && words[0] == "UID_MIN")
            uidMin = words[1].toInt();
        else if (words.size() >= 2 && words[0] == "UID_MAX")
            uidMax = words[1].toInt();
    }
    r.section(QStringLiteral("Local accounts (/etc/passwd: name, uid and shell only)"));
    TextTable accounts(
        {QStringLiteral("NAME"), QStringLiteral("UID"), QStringLiteral("KIND"), QStringLiteral("SHELL")});
    const QList<QByteArray> passwd = readSmallFile(QStringLiteral("/etc/passwd"), 8 * 1024 * 1024).split('\n');
    for (const QByteArray &line : passwd) {
        if (ctx.isCancelled())
            break;
        const QList<QByteArray> f = line.split(':');
        if (f.size() < 7 || line.startsWith('#'))
            continue;
        const int uid = f[2].toInt();
        const bool person = uid >= uidMin && uid <= uidMax;
        accounts.add({QString::fromUtf8(f[0]), QString::fromUtf8(f[2]),
                      person ? QStringLiteral("user") : QStringLiteral("system"), QString::fromUtf8(f[6])});
    }
    r.text(accounts.render());
    ProbeOutput output;
    output.text = r.result();
    return output;
}

} // namespace dc::core::probe
