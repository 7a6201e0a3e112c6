// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/rule.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace dc::core::analysis {

struct EvidenceLine
{
    qint64 number = 0; // 1-based line in the file; 0: not a line of a file (a manifest entry, a folder)
    QString text;      // as staged (so redacted in an archive), cut at kMaxEvidenceChars
};

// Where a finding was seen: a staged file (staging-relative path; "manifest.json"
// for the run's own record, empty for a live check), how many lines matched
// there and at most a few of them (the most recent ones).
struct Evidence
{
    QString file;
    qint64 count = 0;
    QList<EvidenceLine> lines;
};

inline constexpr int kMaxEvidenceLines = 3;
inline constexpr int kMaxEvidenceChars = 400;

struct Finding
{
    QString rule;    // the rule's id
    QString subject; // the group's value ("nginx.service"), empty for an ungrouped rule
    Severity severity = Severity::Warning;
    // English, "%1" already replaced by the subject: findings.json and
    // summary.html carry these; localized() is for the user's screen.
    QString title;
    QString explanation;
    QString advice;
    QString url;
    QString titleTemplate;                 // the rule's title, "%1" kept: the catalogue's key
    QMap<QString, RuleTexts> translations; // the rule's own (profile rules); not in findings.json
    QList<Evidence> evidence;

    // "rule" or "rule:subject": stable across runs, used by diff.
    QString key() const { return subject.isEmpty() ? rule : rule + QLatin1Char(':') + subject; }
    // The texts in the UI language: the rule's translations, else the
    // "AnalysisRules" catalogue of built-in texts, else English.
    RuleTexts localized() const;
};

struct Findings
{
    QList<Finding> findings; // errors first, then warnings, then info; rule order within
    int rulesEvaluated = 0;
    QStringList notEvaluated; // rule ids whose data was not collected

    int count(Severity severity) const;
    QByteArray toJson() const; // findings.json; English texts, never translated
    static Result<Findings> fromJson(const QByteArray &json);
};

inline constexpr auto kFindingsFileName = "findings.json";

} // namespace dc::core::analysis
