// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/finding.h"
#include "core/bundle/manifest.h"
#include "core/util/result.h"

namespace dc::core::analysis {

// Writes findings.json into the folder that will be packaged, lists it in
// manifest.extraFiles, and rewrites summary.html (with the Findings section on
// top) and manifest.json there. Call it last before packaging, on the folder
// and manifest that are packaged (the redacted copy when redacting), after
// analyzeStaging() on that same folder. Replaces earlier findings.json and
// summary.html entries, so calling it twice is harmless.
Result<void> writeFindings(const QString &folder, Manifest &manifest, const Findings &findings);

// findings.json of a staging folder or unpacked archive; ErrorCode::Io when
// there is none (an archive of an older version).
Result<Findings> readFindings(const QString &folder);

} // namespace dc::core::analysis
