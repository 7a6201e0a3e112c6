// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/probeplatform_p.h"

#include <QDir>
#include <QSysInfo>
#include <unistd.h>

namespace dc::core::probe {

QString hostName() { return QSysInfo::machineHostName(); }

// The same files as on Linux, where a system has them.
// TODO(mac): the System Configuration proxies (scutil --proxy).
ProxyConfiguration proxyConfiguration()
{
    QStringList files{QStringLiteral("/etc/environment"),  QStringLiteral("/etc/apt/apt.conf"),
                      QStringLiteral("/etc/dnf/dnf.conf"), QStringLiteral("/etc/yum.conf"),
                      QStringLiteral("/etc/wgetrc"),       QStringLiteral("/etc/systemd/system.conf")};
    for (const QString &dir : {QStringLiteral("/etc/apt/apt.conf.d"), QStringLiteral("/etc/profile.d"),
                               QStringLiteral("/etc/environment.d")}) {
        const QStringList entries = QDir(dir).entryList(QDir::Files, QDir::Name);
        for (const QString &entry : entries)
            files << dir + QLatin1Char('/') + entry;
    }
    return {files,
            QStringLiteral("(no proxy configured in /etc/environment, apt, dnf/yum, wget, systemd or profile.d)\n")};
}

QList<std::pair<QString, QString>> processAccount()
{
    return {{QStringLiteral("effective uid"), QString::number(::geteuid())},
            {QStringLiteral("real uid"), QString::number(::getuid())}};
}

std::function<QString(const QFileInfo &)> fileOwnerNames()
{
    return [](const QFileInfo &info) { return info.owner(); };
}

} // namespace dc::core::probe
