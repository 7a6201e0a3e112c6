// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/linux/procfs.h"

#include "core/collectors/probesupport.h"

#include <QList>

namespace dc::core::probe {

QMap<uint, QString> localAccountNames()
{
    QMap<uint, QString> names;
    const QList<QByteArray> lines = readSmallFile(QStringLiteral("/etc/passwd"), 8 * 1024 * 1024).split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split(':');
        if (fields.size() < 3 || line.startsWith('#'))
            continue;
        bool ok = false;
        const uint uid = fields[2].toUInt(&ok);
        if (ok && !names.contains(uid))
            names.insert(uid, QString::fromUtf8(fields[0]));
    }
    return names;
}

qint64 bootTimeSeconds()
{
    const QList<QByteArray> lines = readSmallFile(QStringLiteral("/proc/stat")).split('\n');
    for (const QByteArray &line : lines)
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toLongLong();
    return 0;
}

QMap<QString, QString> colonFields(const QByteArray &data)
{
    QMap<QString, QString> fields;
    for (const QByteArray &line : data.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QString key = QString::fromUtf8(line.left(colon)).trimmed();
        if (!fields.contains(key))
            fields.insert(key, QString::fromUtf8(line.mid(colon + 1)).trimmed());
    }
    return fields;
}

QMap<QString, QString> shellAssignments(const QByteArray &data)
{
    QMap<QString, QString> values;
    for (QByteArray line : data.split('\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        if (line.startsWith("export "))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        QByteArray value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        values.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(value));
    }
    return values;
}

} // namespace dc::core::probe
