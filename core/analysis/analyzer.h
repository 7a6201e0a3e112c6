// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/finding.h"
#include "core/analysis/rule.h"
#include "core/bundle/manifest.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <atomic>

namespace dc::core::analysis {

// A folder of the running collection whose free space a "space" condition
// checks ("staging folder" -> the staging root). Named by label only in
// findings: the path may hold a user name.
struct LiveFolder
{
    QString label;
    QString path;
};

struct AnalysisOptions
{
    // "Now" for within_minutes; invalid: the manifest's start (so support's
    // analysis of an archive gives what the user saw), else the current time.
    QDateTime reference;
    // Only while collecting: the folders written to. Empty: space conditions
    // cannot be evaluated (an archive at support).
    QList<LiveFolder> liveFolders;
    const std::atomic_bool *cancelled = nullptr;
};

// Runs every rule over one staging folder (a collection's, its redacted copy,
// or an unpacked archive) described by `manifest`. Each text file that some
// condition selects is read once, with every condition on it in the same
// pass (lines split on '\n', at most 64 KiB per line looked at); binary files
// and the files of items marked binary are never read. Files are opened below
// the folder without following any symbolic link, and only paths the manifest
// names as normalized relative paths are read. A file that cannot be read is
// like one that was not collected: a rule needing it is "not evaluated".
// Evidence lines are copied from the files as they are: run it on the folder
// that is packaged (the redacted copy) so that findings.json holds only
// redacted text. Any thread. Fails only with ErrorCode::Cancelled.
Result<Findings> analyzeStaging(const QString &stagingDir,
                                const Manifest &manifest,
                                const QList<Rule> &rules,
                                const AnalysisOptions &options = {});

} // namespace dc::core::analysis
