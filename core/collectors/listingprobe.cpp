// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// listing: a directory's entries (type, size, time), for crash and report
// folders whose existence and dates matter even when the files are not taken.
// args: path (required, ${VARS} allowed), depth (default 2), max_entries (default 2000).
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probeplatform_p.h"
#include "core/collectors/probereport.h"
#include "core/collectors/probesupport.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace dc::core::probe {

ProbeOutput listing(const ProbeSpec &spec, CollectContext &ctx)
{
    const QString root = QDir::cleanPath(ctx.expand(spec.args.value(QStringLiteral("path"))));
    if (root.isEmpty() || root == QLatin1String("."))
        return skipped(QStringLiteral("no \"path\" argument"));
    const QFileInfo rootInfo(root);
    if (!rootInfo.exists())
        return skipped(QStringLiteral("%1 does not exist").arg(QDir::toNativeSeparators(root)));
    if (!rootInfo.isDir())
        return skipped(QStringLiteral("%1 is not a directory").arg(QDir::toNativeSeparators(root)));
    const int maxDepth = qBound(1, spec.args.value(QStringLiteral("depth"), QStringLiteral("2")).toInt(), 16);
    int maxEntries = spec.args.value(QStringLiteral("max_entries"), QStringLiteral("2000")).toInt();
    if (maxEntries <= 0)
        maxEntries = 2000;

    TextTable table({QStringLiteral("TYPE"), QStringLiteral("SIZE"), QStringLiteral("MODIFIED (UTC)"),
                     QStringLiteral("OWNER"), QStringLiteral("PATH")});
    QStringList notes;
    const auto ownerOf = fileOwnerNames();
    int entries = 0;
    quint64 totalBytes = 0;
    bool limited = false;
    // Breadth-first, newest first inside a folder, symlinks never followed.
    QList<std::pair<QString, int>> queue{{root, 1}};
    while (!queue.isEmpty() && !limited && !ctx.isCancelled()) {
        const auto [dir, depth] = queue.takeFirst();
        QDir d(dir);
        if (!d.isReadable()) {
            notes << QStringLiteral("%1: permission denied").arg(QDir::toNativeSeparators(dir));
            continue;
        }
        const QFileInfoList infos =
            d.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Time);
        for (const QFileInfo &info : infos) {
            if (entries >= maxEntries) {
                limited = true;
                break;
            }
            ++entries;
            QString type = info.isSymLink() ? QStringLiteral("link")
                           : info.isDir()   ? QStringLiteral("dir")
                           : info.isFile()  ? QStringLiteral("file")
                                            : QStringLiteral("other");
            const QString relative = QDir(root).relativeFilePath(info.absoluteFilePath());
            if (info.isFile() && !info.isSymLink())
                totalBytes += quint64(info.size());
            table.add({type, info.isFile() ? QString::number(info.size()) : QString(),
                       info.lastModified().toUTC().toString(Qt::ISODate), ownerOf(info),
                       QDir::toNativeSeparators(relative) +
                           (info.isDir() && !info.isSymLink() ? QStringLiteral("/") : QString())});
            if (info.isDir() && !info.isSymLink() && depth < maxDepth)
                queue.append({info.absoluteFilePath(), depth + 1});
        }
    }
    QString out = QStringLiteral("# %1 at %2: %3 entries, %4 in files%5\n")
                      .arg(QDir::toNativeSeparators(root), nowIsoUtc())
                      .arg(entries)
                      .arg(humanBytes(totalBytes))
                      .arg(limited ? QStringLiteral(" (stopped at max_entries %1)").arg(maxEntries) : QString());
    out += entries ? table.render() : QStringLiteral("(empty)\n");
    for (const QString &note : std::as_const(notes))
        out += QStringLiteral("# ") + note + QLatin1Char('\n');
    ProbeOutput output;
    output.text = out.toUtf8();
    return output;
}

} // namespace dc::core::probe
