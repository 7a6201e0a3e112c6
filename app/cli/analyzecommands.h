// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/policy/policy.h"

#include <QStringList>

namespace dc::cli {

// `diagcollect analyze ARCHIVE|STAGING [--rules FILE]... [--profile FILE]
// [--disable ID]... [--key SECRET_KEY_FILE] [--json]`: runs the built-in rules
// (plus the profile's and the extra files') over a received archive (sealed
// ones with --key) or a staging folder and prints the findings, errors first;
// with --json, the findings.json document on one line. `args[0]` is the
// program name, the sub-command removed. Exit codes: 0 (findings are not an
// error), 1 unreadable input, 2 usage or a bad rules file. The rules the
// policy's disabled_analysis_rules names are not evaluated, and the output
// says so (text, and "disabled_by_policy" with --json).
int runAnalyzeCommand(const QStringList &args, const core::Policy &policy);

// `diagcollect diff A B [same options] [--json]`: two collections of one
// machine compared: items added, removed and changed, packages and units that
// changed, findings that appeared or cleared (both analysed with the same rules).
// The policy's disabled rules are left out as in analyze.
int runDiffCommand(const QStringList &args, const core::Policy &policy);

} // namespace dc::cli
