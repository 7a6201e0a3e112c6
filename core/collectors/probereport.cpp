// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/probereport.h"

#include <QDateTime>

namespace dc::core::probe {

QString isoUtc(qint64 secondsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC).toString(Qt::ISODate);
}

QString nowIsoUtc() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); }

QString humanBytes(quint64 bytes)
{
    static const char *const units[] = {"B", "K", "M", "G", "T", "P", "E"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 6) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0)
        return QString::number(bytes) + QLatin1Char('B');
    return QString::number(value, 'f', value < 10 ? 1 : 0) + QLatin1String(units[unit]);
}

QString humanDuration(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((seconds / 3600) % 24, 2, 10, QLatin1Char('0'))
                              .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                              .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return days > 0 ? QStringLiteral("%1 days, %2").arg(days).arg(clock) : clock;
}

} // namespace dc::core::probe
