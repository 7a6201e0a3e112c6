// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/finding.h"
#include "core/bundle/manifest.h"

#include <QByteArray>

namespace dc::core {

// summaryHtml() (core/bundle/archive.h) with a "Findings" section at the top:
// errors and warnings first, each with its explanation, advice and evidence
// lines (as staged, so redacted in a redacted copy). English like the rest of
// the page; deterministic for equal input.
QByteArray summaryHtml(const Manifest &manifest, const analysis::Findings &findings);

} // namespace dc::core
