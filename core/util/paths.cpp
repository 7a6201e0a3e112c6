// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/paths.h"

#include <QDir>
#include <QStandardPaths>
#include <QSysInfo>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace dc::core::paths {

namespace {

constexpr auto kAppDir = "diagcollect";

// XDG base directory with the spec's fallback, for Linux and other free Unixes.
QString xdgDir(const char *variable, const QString &fallbackBelowHome)
{
    const QString value = qEnvironmentVariable(variable);
    if (!value.isEmpty() && QDir::isAbsolutePath(value))
        return value;
    return QDir::homePath() + QLatin1Char('/') + fallbackBelowHome;
}

} // namespace

QString logDir()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return xdgDir("XDG_STATE_HOME", QStringLiteral(".local/state")) + QLatin1Char('/') + QLatin1String(kAppDir) +
           QStringLiteral("/log");
#else
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/log");
#endif
}

QString stagingRoot()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return xdgDir("XDG_CACHE_HOME", QStringLiteral(".cache")) + QLatin1Char('/') + QLatin1String(kAppDir) +
           QStringLiteral("/staging");
#else
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/staging");
#endif
}

QString dataDir()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return xdgDir("XDG_DATA_HOME", QStringLiteral(".local/share")) + QLatin1Char('/') + QLatin1String(kAppDir);
#else
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
#endif
}

QString defaultOutputDir()
{
    const QString desktop = QStandardPaths::writableLocation(QStandardPaths::DesktopLocation);
    if (!desktop.isEmpty() && QDir(desktop).exists())
        return desktop;
    return QDir::homePath();
}

QString hostName()
{
    QString name = QSysInfo::machineHostName();
    if (name.isEmpty())
        name = QStringLiteral("localhost");
    return name.section(QLatin1Char('.'), 0, 0);
}

QString currentPlatform()
{
#if defined(Q_OS_WIN)
    return QStringLiteral("windows");
#elif defined(Q_OS_MACOS)
    return QStringLiteral("macos");
#else
    return QStringLiteral("linux");
#endif
}

bool isAdministrator()
{
#ifdef Q_OS_UNIX
    return ::geteuid() == 0;
#else
    return false; // TODO(windows): CheckTokenMembership against the Administrators SID
#endif
}

} // namespace dc::core::paths
