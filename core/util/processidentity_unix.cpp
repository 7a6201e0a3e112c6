// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/processidentity.h"

#include <QFile>
#include <QList>
#include <cerrno>
#include <csignal>
#include <sys/types.h>

namespace dc::core::processidentity {

QByteArray startTime(qint64 pid)
{
#ifdef Q_OS_LINUX
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = stat.readAll();
    // Field 22 (starttime) follows the parenthesised command name, which may contain spaces.
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0)
        return {};
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    return fields.size() > 19 ? fields[19] : QByteArray();
#else
    Q_UNUSED(pid);
    return {};
#endif
}

QByteArray currentBootId()
{
#ifdef Q_OS_LINUX
    QFile file(QStringLiteral("/proc/sys/kernel/random/boot_id"));
    if (file.open(QIODevice::ReadOnly))
        return file.readAll().trimmed();
#endif
    return {};
}

bool isAlive(qint64 pid, const QByteArray &startTime, const QByteArray &bootId)
{
    if (pid <= 0)
        return false;
    if (!bootId.isEmpty() && bootId != currentBootId())
        return false;
    // EPERM: it runs, as another user.
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return false;
    return startTime.isEmpty() || processidentity::startTime(pid) == startTime;
}

} // namespace dc::core::processidentity
