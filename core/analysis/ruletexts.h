// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QList>
#include <QString>

namespace dc::core::analysis {

// The translation context of the built-in rules' texts.
inline constexpr auto kRuleTextContext = "AnalysisRules";

// Every title, explanation and advice of resources/analysis/builtin-rules.json,
// as written there (English). They live in C++ so that lupdate finds them; a
// test checks that the JSON and this list agree.
const QList<const char *> &builtinRuleTexts();

// The text in the UI language when the catalogue has it, else unchanged.
QString translateRuleText(const QString &english);

} // namespace dc::core::analysis
