// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/finding.h"
#include "core/bundle/manifest.h"
#include "core/util/result.h"

#include <functional>

namespace dc::core::analysis {

// Writes findings.json into the folder that will be packaged, lists it in
// manifest.extraFiles, and rewrites summary.html (with the Findings section on
// top) and manifest.json there. Call it last before packaging, on the folder
// and manifest that are packaged (the redacted copy when redacting), after
// analyzeStaging() on that same folder. Replaces earlier findings.json and
// summary.html entries, so calling it twice is harmless.
// `redactText`, when set, is applied to every text written (the rule texts
// too: an administrator's keyword can be an ordinary word of a title), e.g.
// [&](const QString &t) { return applier->redact(t, map); } with the run's
// apply-pass redactor, so that the leak gate finds nothing in these files.
Result<void> writeFindings(const QString &folder,
                           Manifest &manifest,
                           const Findings &findings,
                           const std::function<QString(const QString &)> &redactText = {});

// findings.json of a staging folder or unpacked archive; ErrorCode::Io when
// there is none (an archive of an older version).
Result<Findings> readFindings(const QString &folder);

} // namespace dc::core::analysis
