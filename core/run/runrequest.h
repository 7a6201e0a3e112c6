// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/finding.h"
#include "core/bundle/archive.h"
#include "core/bundle/manifest.h"
#include "core/upload/uploader.h"

#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

namespace dc::core {

// What a front end asks of one collection run (CollectionJob). Everything the
// administrator's policy may override is checked against it inside the job.
struct RunRequest
{
    // The profile: a file or the built-in one, with ${NAME} variables set by
    // "NAME=VALUE" definitions (a definition without '=' is ErrorCode::Usage).
    QString profilePath;
    QStringList defines;

    QString caseId; // validated with isValidCaseId()
    bool fullLogs = false;
    QSet<QString> optedOut; // non-essential item ids left out
    QString stagingRoot;    // default paths::stagingRoot()
    bool remote = false;    // --remote was given (the policy's allow_remote_runs)
    bool desktop = false;   // the wizard: never a remote run

    // Redaction (the policy's force_redaction wins over redact = false).
    bool redact = true;
    QStringList redactTerms;    // extra keywords
    QString redactRulesFile;    // extra keywords, patterns, disabled rules (docs/REDACTION.md)
    bool includeBinary = false; // binary files included, masked in place
    bool keepStaging = false;   // keep the staging folder (only the redacted copy under force_redaction)
    bool storeFindings = false; // keep findings for a review (the wizard); a headless run needs none

    // Analysis (docs/ANALYSIS.md): rules files added to the built-in and the profile's (--rules).
    QStringList analysisRulesFiles;

    // Delivery.
    QString outputDir; // default paths::defaultOutputDir()
    ArchiveFormat format = ArchiveFormat::TarZstd;
    bool seal = false;      // seal to the profile's key (always when the profile or policy requires it)
    QString uploadUrl;      // send after saving (empty: the profile's, only when upload() is called)
    QString uploadTokenEnv; // overrides of the profile's upload settings
    QString uploadCaCert;
    QString uploadPin;
    std::optional<int> retentionDays; // default: the profile's retention_days
};

// What a delivered run produced.
struct Delivery
{
    PackageResult archive;
    Manifest manifest;   // what was packaged (the redacted copy's manifest when redacting)
    QString mapPath;     // the pseudonym map beside the archive (0600), empty if none
    QString receiptPath; // the consent receipt, empty if it could not be written
    QString stagingPath; // the staging folder kept with keepStaging (the redacted copy when redacting)
    bool sealed = false; // archive.path ends in .sealed
    QString sealKeyId;
    bool redactionOn = false;
    qint64 redacted = 0; // values replaced by pseudonyms
    qint64 kept = 0;     // findings kept by choice
    int excludedFiles = 0;
    QMap<QString, qint64> perRule;
    // What looked wrong in the packaged data (findings.json, summary.html);
    // empty when analysis was not possible (a warning says why).
    analysis::Findings findings;
    std::optional<UploadReport> upload; // when the run also sent it
    QStringList warnings;               // what went wrong without failing the run (map not saved, receipt not written)
};

} // namespace dc::core
