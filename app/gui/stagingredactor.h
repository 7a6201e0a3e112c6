// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Thin adapter between a collected staging folder and the redaction engine
// (core/redact): scans every staged file for findings, and writes the
// redacted copy of a whole staging folder that is then packaged. The core
// offers the per-file building blocks (scanFile, redactFile, RedactionPlan,
// LeakChecker); this file strings them together for one run.

#include "core/bundle/manifest.h"
#include "core/bundle/staging.h"
#include "core/redact/pseudonymmap.h"
#include "core/redact/redactfile.h"
#include "core/redact/redactionreport.h"

#include <QCoreApplication>
#include <atomic>
#include <functional>
#include <memory>

namespace dc::gui {

// One staged file of the run as the review shows it.
struct StagedEntry
{
    QString path; // staging-relative
    QString itemId;
    core::Category category = core::Category::OsConfig;
    qint64 bytes = 0;
    core::Status status = core::Status::Collected;
    QString reason;
    bool redactable = true; // false: the item says binary (crash dumps), never scanned
};

// Every file the items staged, in manifest order (summary.html and manifest.json,
// which are regenerated, are not listed).
QList<StagedEntry> stagedEntries(const core::Manifest &manifest);

using ProgressFn = std::function<void(qint64 done, qint64 total)>;

// Scan pass over every entry (sequential, so pseudonyms are numbered in a
// stable order). Files whose item is not redactable are recorded as Binary
// without being read. Any thread. Fails only with ErrorCode::Cancelled; an
// unreadable file becomes a Binary entry with the reason.
core::Result<QList<core::FileFindings>> scanStaging(const QString &stagingDir, const QList<StagedEntry> &entries,
                                                    const core::Redactor &redactor, core::PseudonymMap &map,
                                                    const ProgressFn &progress, const std::atomic_bool *cancelled);

// The scan rules: the base rules plus the user's added terms.
core::RedactionRules scanRules(const core::RedactionRules &base, const core::RedactionPlan &plan);

struct RedactedStaging
{
    std::unique_ptr<core::Staging> staging; // private folder holding the redacted copy
    core::Manifest manifest;                // describes the redacted copy
    core::RedactionReport report;
    QList<QByteArray> leakValues; // every value that must not appear in the archive
    int excludedFiles = 0;
};

// Apply pass: writes into a new private staging folder (below stagingRoot) the
// redacted copy of every included file, copies included binary files verbatim,
// leaves out excluded ones (recorded in the manifest as skipped with the
// reason), redacts the manifest's free texts, and adds redaction.json,
// summary.html and manifest.json. Any thread; `map` is shared and thread-safe.
core::Result<RedactedStaging> redactStaging(const QString &stagingDir, const QString &stagingRoot,
                                            core::Manifest manifest, const QList<core::FileFindings> &scans,
                                            const core::RedactionPlan &plan, const core::RedactionRules &base,
                                            core::PseudonymMap &map, const ProgressFn &progress,
                                            const std::atomic_bool *cancelled);

class StagingRedactorText
{
    Q_DECLARE_TR_FUNCTIONS(dc::gui::StagingRedactor)
};

} // namespace dc::gui
