// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// One analysis rule: which staged data it reads, what it tests there and the
// finding it yields. Rules are data (resources/analysis/builtin-rules.json,
// a profile's <name>.rules.json, --rules FILE); the format is documented in
// docs/ANALYSIS.md and resources/analysis/rules.schema.json.

#include <QList>
#include <QMap>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <optional>

namespace dc::core::analysis {

enum class Severity { Error, Warning, Info };
QString severityKey(Severity severity); // "error", "warning", "info"
std::optional<Severity> severityFromKey(const QString &key);

// A numeric comparison: "value OP threshold".
struct Comparison
{
    enum class Op { Greater, GreaterOrEqual, Less, LessOrEqual, Equal, NotEqual };
    Op op = Op::Greater;
    double threshold = 0;
    bool holds(double value) const;
};
std::optional<Comparison::Op> comparisonOpFromKey(const QString &key); // ">", ">=", "<", "<=", "==", "!="

// What one condition tests in the files (or manifest entries) it selects.
enum class TestKind {
    Lines,   // lines matching "regex" (optionally a captured number compared), counted
    Field,   // "key: value" lines of a probe or command output
    Present, // whether the selection staged any file at all
    Status,  // the run's own record: items or files with a status (and reason)
    Space,   // the live staging and output folders (only while collecting)
};

struct Condition
{
    // Selection: files of these items, and/or whose staging path matches one
    // of the globs ("*" within a folder, "**" across folders). Both empty: all.
    QStringList items;
    QStringList paths;

    TestKind kind = TestKind::Lines;
    QByteArray contains;      // Lines/Field: fast literal pre-filter (case-sensitive)
    QRegularExpression regex; // Lines: the line pattern
    int capture = 0;          // Lines: the captured number compared (0: none)
    std::optional<Comparison> compare;
    int groupBy = 0;  // Lines: one finding per distinct value of this capture (0: one finding)
    int minCount = 1; // Lines/Field/Status: fires when minCount <= matches <= maxCount
    std::optional<int> maxCount;
    int withinMinutes = 0; // Lines: only lines stamped at most this long before the run (0: any time)

    QString field;                 // Field: the key (case-insensitive, spaces collapsed)
    std::optional<QString> equals; // Field: value equals (case-insensitive)
    std::optional<QString> notEquals;
    QRegularExpression valueRegex; // Field: value matches (when valid)

    bool present = true;            // Present: fires when the selection has (true) or lacks (false) files
    QStringList statuses;           // Status: "failed", "truncated", "skipped"
    QRegularExpression reasonRegex; // Status: the reason matches (when valid)

    double usedPercentAbove = 90; // Space: fires above this share of bytes or inodes used

    // When the selection staged nothing readable: false = the rule cannot be
    // evaluated (no finding), true = the condition counts as met.
    bool matchIfMissing = false;
};

// The texts of a rule in one language other than English.
struct RuleTexts
{
    QString title;
    QString explanation;
    QString advice;
};

struct Rule
{
    QString id; // stable kebab-case: findings.json, policy, --disable
    Severity severity = Severity::Warning;
    // English texts; built-in ones are translated through the "AnalysisRules"
    // catalogue (core/analysis/ruletexts.cpp), others through `translations`.
    // "%1" in the title is the group's value (Condition::groupBy).
    QString title;
    QString explanation;
    QString advice;
    QString url;
    QMap<QString, RuleTexts> translations; // language ("ja") -> texts
    QList<Condition> conditions;           // all must hold
    QString origin;                        // "built-in" or the rules file it came from
};

} // namespace dc::core::analysis
