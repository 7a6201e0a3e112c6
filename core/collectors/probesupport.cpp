// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/probesupport.h"

#include <QFile>

namespace dc::core::probe {

const QString &notOnThisPlatform()
{
    static const QString reason = QStringLiteral("not available on this platform");
    return reason;
}

ProbeOutput skipped(const QString &reason)
{
    ProbeOutput output;
    output.skipReason = reason;
    return output;
}

QByteArray readSmallFile(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    QByteArray data;
    char buffer[16384];
    while (data.size() < maxBytes) {
        const qint64 n = file.read(buffer, qMin<qint64>(sizeof buffer, maxBytes - data.size()));
        if (n <= 0)
            break;
        data.append(buffer, n);
    }
    return data;
}

QString readTrimmed(const QString &path) { return QString::fromUtf8(readSmallFile(path, 64 * 1024)).trimmed(); }

} // namespace dc::core::probe
