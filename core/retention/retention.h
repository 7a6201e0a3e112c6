// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace dc::core {

inline constexpr int kDefaultRetentionDays = 14;

struct RetentionOptions
{
    int days = kDefaultRetentionDays; // files older than this many days expire; <= 0 keeps everything
    QDateTime now;                    // default: the current time (tests pass a fixed one)
    bool dryRun = false;              // report what would be removed, remove nothing
};

struct RetentionReport
{
    QStringList removed; // absolute paths, archives first, each followed by its pseudonym maps
    QStringList failed;  // "path: reason"
};

// True for the names of archives this tool writes into an output folder:
// "diagcollect-*.tar.zst", "diagcollect-*.zip", each optionally + ".sealed".
bool isToolArchiveName(const QString &fileName);
// The pseudonym maps that belong to an archive: "<archive>.map.json" and
// "<archive name without .tar.zst/.zip/.sealed>.map.json".
QStringList pseudonymMapNamesFor(const QString &archiveFileName);

// Removes the archives this tool created in outputDir whose modification time
// is more than options.days days before options.now, together with their
// pseudonym maps (which expire with their archive, whatever their own age).
// A map whose archive is gone expires by its own age. Only regular files with
// the tool's names are considered: other files, symbolic links, directories
// and sub-folders are never touched. Partial archives whose writer is gone
// (a run killed while packaging, see core/bundle/partialfiles.h) are removed
// whatever their age. Each removal is logged on the "core" logger. A missing
// outputDir is not an error (nothing to do).
Result<RetentionReport> expireArchives(const QString &outputDir, const RetentionOptions &options = {});

} // namespace dc::core
