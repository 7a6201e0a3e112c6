// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/rule.h"
#include "core/util/result.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace dc::core::analysis {

// The embedded built-in rules (resources/analysis/builtin-rules.json).
inline constexpr auto kBuiltinRulesPath = ":/analysis/builtin-rules.json";
inline constexpr auto kBuiltinOrigin = "built-in";

// Parses and validates a rules document. Every problem is reported with its
// JSON path ("rules[2].when[0].regex: does not compile: ..."), one per line,
// as ErrorCode::Profile; unknown keys are errors. `origin` names the source in
// Rule::origin and in the messages.
Result<QList<Rule>> parseRules(const QByteArray &json, const QString &origin);
Result<QList<Rule>> loadRulesFile(const QString &path);
Result<QList<Rule>> builtinRules();

// The rules a profile brings: "<folder>/<name>.rules.json" beside a profile
// file "<folder>/<name>.json". Empty for the embedded profile (":/...") and for
// a profile without such a file.
QString profileRulesPath(const QString &profileSourcePath);

struct RuleSelection
{
    QString profileSourcePath; // adds profileRulesPath() when that file exists
    QStringList extraFiles;    // --rules FILE (repeatable), in order
    QSet<QString> disabled;    // rule ids turned off (the administrator's policy, --disable)
};

// Built-in rules, then the profile's, then the extra files; a later rule with
// the id of an earlier one replaces it in place (a profile can sharpen a
// built-in rule). Disabled ids are left out. Any file's mistakes are an error.
Result<QList<Rule>> selectRules(const RuleSelection &selection);

} // namespace dc::core::analysis
