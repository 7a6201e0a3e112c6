// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/policy/policy.h"
#include "core/run/runrequest.h"

#include <atomic>

namespace dc::core {

// `diagcollect pack`: a staging folder kept with --keep-staging (and maybe
// edited by hand) packaged again, under the same policy as a run: with
// force_redaction it is redacted again (the policy's keywords and patterns
// included) and the archive passes the leak check; with require_sealing it
// is sealed to the policy's key (refused when the policy names none). The
// pseudonym map of a new redaction is saved beside the archive. The analysis
// runs again on what is packaged (findings.json and summary.html's Findings
// match the edited files), with the built-in rules, the profile's and
// analysisRulesFiles, minus the policy's disabled_analysis_rules; a rules file
// with mistakes is ErrorCode::Profile before anything is written.
struct PackRequest
{
    QString stagingDir;
    QString outputDir; // default paths::defaultOutputDir()
    ArchiveFormat format = ArchiveFormat::TarZstd;
    QString stagingRoot; // where the redacted copy is written; default paths::stagingRoot()
    // The profile whose <name>.rules.json applies; empty: the manifest's profile source when that file is there.
    QString profilePath;
    QStringList analysisRulesFiles; // --rules FILE
};

Result<Delivery> packStaging(const PackRequest &request, const Policy &policy, const std::atomic_bool *cancelled);

} // namespace dc::core
