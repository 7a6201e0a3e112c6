// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/paths.h"

#include "core/util/safefs.h"

#include <QDir>
#include <QStandardPaths>
#include <QSysInfo>

#ifdef Q_OS_UNIX
#include <pwd.h>
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

// As root, the user's environment (sudo -E) must not steer where root writes: a
// folder named by HOME, XDG_* or DIAGCOLLECT_STATE_DIR is used only when nobody
// but root can change it (every existing folder on its path owned by root and
// not writable by others, no symlink on the way); otherwise the fixed system folder.
QString rootFolder(const char *variable, const QString &system)
{
    const QString value = qEnvironmentVariable(variable);
    if (value.isEmpty() || !QDir::isAbsolutePath(value))
        return system;
    if (!honoursOverride(value))
        return system;
    return QDir::cleanPath(value);
}

} // namespace

bool honoursOverride(const QString &folder)
{
    if (!isAdministrator())
        return true;
    QString existing = QDir::cleanPath(folder);
    while (existing != QLatin1String("/") && !QFileInfo::exists(existing) && !QFileInfo(existing).isSymLink())
        existing = safefs::parentOf(existing);
    return safefs::openTrustedDir(existing, safefs::Trust{}).has_value();
}

QString logDir()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    if (isAdministrator()) {
        const QString state = rootFolder("XDG_STATE_HOME", QString());
        return state.isEmpty() ? QStringLiteral("/var/log/diagcollect") : state + QStringLiteral("/diagcollect/log");
    }
    return xdgDir("XDG_STATE_HOME", QStringLiteral(".local/state")) + QLatin1Char('/') + QLatin1String(kAppDir) +
           QStringLiteral("/log");
#else
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/log");
#endif
}

QString stagingRoot()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    if (isAdministrator())
        return rootFolder("XDG_CACHE_HOME", QStringLiteral("/var/cache")) + QStringLiteral("/diagcollect/staging");
    return xdgDir("XDG_CACHE_HOME", QStringLiteral(".cache")) + QLatin1Char('/') + QLatin1String(kAppDir) +
           QStringLiteral("/staging");
#else
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/staging");
#endif
}

QString dataDir()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    if (isAdministrator())
        return rootFolder("XDG_DATA_HOME", QStringLiteral("/var/lib")) + QLatin1Char('/') + QLatin1String(kAppDir);
    return xdgDir("XDG_DATA_HOME", QStringLiteral(".local/share")) + QLatin1Char('/') + QLatin1String(kAppDir);
#else
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
#endif
}

QString defaultOutputDir()
{
#ifdef Q_OS_UNIX
    // As root, root's own home from the password database, not $HOME (sudo -E).
    if (isAdministrator()) {
        const passwd *root = ::getpwuid(0);
        return root && root->pw_dir ? QString::fromLocal8Bit(root->pw_dir) : QStringLiteral("/root");
    }
#endif
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
