// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// One run's redaction over a whole staging folder, shared by the wizard and
// the headless CLI: scans every staged file for findings, then writes the
// redacted copy of the folder that is packaged (the per-file building blocks
// are scanFile, redactFile, RedactionPlan and LeakChecker).

#include "core/bundle/manifest.h"
#include "core/bundle/staging.h"
#include "core/redact/pseudonymmap.h"
#include "core/redact/redactfile.h"
#include "core/redact/redactionreport.h"

#include <QCoreApplication>
#include <atomic>
#include <functional>
#include <memory>

namespace dc::core {

// One staged file of the run as the review shows it.
struct StagedEntry
{
    QString path; // staging-relative
    QString itemId;
    Category category = Category::OsConfig;
    qint64 bytes = 0;
    Status status = Status::Collected;
    QString reason;
    bool redactable = true; // false: the item says binary (crash dumps), never scanned
};

// Every file the items staged, in manifest order (summary.html and manifest.json,
// which are regenerated, are not listed).
QList<StagedEntry> stagedEntries(const Manifest &manifest);

using ProgressFn = std::function<void(qint64 done, qint64 total)>;

// Scan pass over every entry: files in parallel, their values handed to the
// map in manifest order (FirstSeenValues), so pseudonyms are numbered as a
// sequential scan numbers them. Files whose item is not redactable are
// recorded as Binary without being read. `maxStoredFindings` per file are kept
// for a review; a run without one passes 0 (the apply pass takes the values
// from the map). Progress comes from the pool's threads. Any thread. Fails only
// with ErrorCode::Cancelled; an unreadable file becomes a Binary entry with the reason.
Result<QList<FileFindings>> scanStaging(const QString &stagingDir,
                                        const QList<StagedEntry> &entries,
                                        const Redactor &redactor,
                                        PseudonymMap &map,
                                        const ProgressFn &progress,
                                        const std::atomic_bool *cancelled,
                                        qint64 maxStoredFindings = StreamOptions().maxStoredFindings);

// Full-log mode sends the product's crash dumps themselves (items of the
// crash-dumps category that are the product's data): their files are included
// in the plan instead of left out by default; redactStaging masks them.
// Returns how many files it included.
int includeProductCrashDumps(RedactionPlan &plan, const QList<StagedEntry> &entries, const Profile &profile);

// The scan rules: the base rules plus the user's added terms.
RedactionRules scanRules(const RedactionRules &base, const RedactionPlan &plan);

struct RedactedStaging
{
    std::unique_ptr<Staging> staging; // private folder holding the redacted copy
    Manifest manifest;                // describes the redacted copy
    RedactionReport report;
    // The apply pass's redactor: its run-wide literals (every value chosen for
    // redaction, the machine's names, keywords, with their spellings) are what
    // the leak check looks for, with the same definition of an occurrence.
    std::shared_ptr<const Redactor> applier;
    int excludedFiles = 0;
};

// What the apply pass may do with the staged files it redacts.
enum class StagedOriginals {
    Keep, // read only: a review may apply again, or the staging folder is kept
    // Small text files are moved into the redacted copy and rewritten there:
    // one file instead of two (20 000 small files each cost a second inode
    // otherwise). For a run that delivers once and then removes its staging.
    Consume,
};

// Apply pass: writes into a new private staging folder (below stagingRoot) the
// redacted copy of every included file, copies included binary files with
// every chosen value masked in place (same length, LeakChecker::maskFile),
// leaves out excluded ones (recorded in the manifest as skipped with the
// reason), redacts the manifest's free texts, and adds redaction.json,
// summary.html and manifest.json. Any thread; `map` is shared and thread-safe.
Result<RedactedStaging> redactStaging(const QString &stagingDir,
                                      const QString &stagingRoot,
                                      Manifest manifest,
                                      const QList<FileFindings> &scans,
                                      const RedactionPlan &plan,
                                      const RedactionRules &base,
                                      PseudonymMap &map,
                                      const ProgressFn &progress,
                                      const std::atomic_bool *cancelled,
                                      StagedOriginals originals = StagedOriginals::Keep);

// The last gate before an archive is renamed into place (PackageOptions::
// beforeCommit): fails with ErrorCode::Verification when a value chosen for
// redaction occurs in the archive's bytes or entry names, naming the entry,
// the offset, the rule and the value's token (from `map`; never the value).
// A hit on one of the format's own words (a JSON key of manifest.json,
// redaction.json or findings.json as they are in the folder when the gate
// runs, summary.html's fixed text) in those files or entry names is forgiven:
// a rule id such as "clock-not-synchronized" is not a leak of the keyword "clock".
// The returned function keeps what it needs; `map` and the folder must outlive it.
std::function<Result<void>(const QString &temporaryArchive)> leakGate(const RedactedStaging &redacted,
                                                                      const PseudonymMap *map);

class StagingRedactorText
{
    Q_DECLARE_TR_FUNCTIONS(dc::core::StagingRedactor)
};

} // namespace dc::core
