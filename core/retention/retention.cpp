// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/retention/retention.h"

#include "core/bundle/naming.h"
#include "core/bundle/partialfiles.h"
#include "core/log/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace dc::core {

namespace {

const QRegularExpression &archivePattern()
{
    static const QRegularExpression pattern(QStringLiteral(R"(^(diagcollect-.+)\.(tar\.zst|zip)(\.sealed)?$)"));
    return pattern;
}

const QRegularExpression &mapPattern()
{
    static const QRegularExpression pattern(QStringLiteral(R"(^diagcollect-.+\.map\.json$)"));
    return pattern;
}

} // namespace

bool isToolArchiveName(const QString &fileName) { return archivePattern().match(fileName).hasMatch(); }

QStringList pseudonymMapNamesFor(const QString &archiveFileName)
{
    const auto match = archivePattern().match(archiveFileName);
    if (!match.hasMatch())
        return {};
    QStringList names{mapPathFor(archiveFileName), mapPathFor(match.captured(1))};
    // "x.tar.zst.sealed" also owns "x.tar.zst.map.json" (the map of the archive before sealing).
    if (!match.captured(3).isEmpty())
        names.append(mapPathFor(match.captured(1) + QLatin1Char('.') + match.captured(2)));
    names.removeDuplicates();
    return names;
}

Result<RetentionReport> expireArchives(const QString &outputDir, const RetentionOptions &options)
{
    RetentionReport report;
    if (options.days <= 0)
        return report;
    const QDir dir(outputDir);
    if (!dir.exists())
        return report;
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    const QDateTime cutoff = now.addDays(-options.days);
    auto logger = log::get("core");

    // Only regular files directly in the folder; QDir::NoSymLinks keeps links out.
    const QFileInfoList entries = dir.entryInfoList(QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDir::Name);
    QSet<QString> present;
    for (const QFileInfo &info : entries)
        present.insert(info.fileName());

    auto expired = [&](const QFileInfo &info) { return info.lastModified() < cutoff; };
    auto remove = [&](const QFileInfo &info, const char *what) {
        if (options.dryRun) {
            report.removed.append(info.absoluteFilePath());
            return;
        }
        QFile file(info.absoluteFilePath());
        if (file.remove()) {
            report.removed.append(info.absoluteFilePath());
            logger->info("retention: removed {} {} (last modified {}, older than {} days)", what,
                         info.absoluteFilePath(), info.lastModified().toUTC().toString(Qt::ISODate), options.days);
        } else {
            report.failed.append(info.absoluteFilePath() + QStringLiteral(": ") + file.errorString());
            logger->warn("retention: cannot remove {}: {}", info.absoluteFilePath(), file.errorString());
        }
    };

    QSet<QString> ownedMaps; // maps whose archive is still here (kept or removed with it)
    for (const QFileInfo &info : entries) {
        if (!isToolArchiveName(info.fileName()))
            continue;
        const QStringList maps = pseudonymMapNamesFor(info.fileName());
        for (const QString &map : maps)
            ownedMaps.insert(map);
        if (!expired(info))
            continue;
        remove(info, "expired archive");
        for (const QString &map : maps)
            if (present.contains(map))
                remove(QFileInfo(dir.filePath(map)), "pseudonym map of expired archive");
    }
    // Partial archives of runs killed while packaging (their writer's lock is free).
    for (const QString &path : removeStalePartials(outputDir, options.dryRun)) {
        report.removed.append(path);
        if (!options.dryRun)
            logger->info("retention: removed {}, the partial archive of a run that is gone", path);
    }
    // Maps whose archive was deleted by the user or sent elsewhere expire on their own.
    for (const QFileInfo &info : entries)
        if (mapPattern().match(info.fileName()).hasMatch() && !ownedMaps.contains(info.fileName()) && expired(info))
            remove(info, "expired pseudonym map");
    return report;
}

} // namespace dc::core
