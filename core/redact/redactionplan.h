// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/redact/redactionrules.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace dc::core {

class PseudonymMap;

// What a staged file holds as far as redaction is concerned.
enum class ContentKind {
    Text,           // redacted as text
    CompressedText, // .gz/.xz/.zst/.bz2 log: decompressed, redacted, stored decompressed
    Binary,         // NUL bytes or mostly non-text: cannot be redacted, excluded by default
};
QString contentKindKey(ContentKind kind); // "text", "compressed-text", "binary"

// One match in one file, as shown to the user.
struct Finding
{
    qint64 offset = 0; // byte offset in the (decompressed) content
    qint32 length = 0;
    QString rule;     // rule id
    QByteArray value; // the original bytes; never written to the archive
    QByteArray token; // "[email-3]"
};

// The scan of one file (scanFile()).
struct FileFindings
{
    QString file; // the caller's key, usually the staging-relative path
    ContentKind kind = ContentKind::Text;
    qint64 bytes = 0;         // content bytes (decompressed)
    qint64 totalFindings = 0; // may exceed findings.size() when capped
    QList<Finding> findings;  // sorted by offset
    QString reason;           // why Binary
};

enum class Decision { Default, Redact, Keep };
enum class FileChoice { Default, Include, Exclude };

// The user's decisions over the findings of one run. The most specific
// decision wins: one finding > one value everywhere > one rule everywhere >
// default (redact). Files: text files are included by default and binary
// files excluded by default; FileChoice overrides either. Added terms become
// keywords of the apply pass. A plain value; not thread-safe for writes.
class RedactionPlan
{
public:
    void setFindingDecision(const QString &file, qint64 offset, Decision decision);
    // A value is identified by its token: the token names one normalized value.
    void setValueDecision(const QByteArray &token, Decision decision);
    void setRuleDecision(const QString &ruleId, Decision decision);
    void setFileChoice(const QString &file, FileChoice choice);
    void addTerm(const QString &term);

    Decision findingDecision(const QString &file, qint64 offset) const;
    Decision valueDecision(const QByteArray &token) const;
    Decision ruleDecision(const QString &ruleId) const;
    FileChoice fileChoice(const QString &file) const;
    const QStringList &terms() const { return m_terms; }

    bool shouldRedact(const QString &file, qint64 offset, const QString &ruleId, const QByteArray &token) const;
    bool shouldRedact(const QString &file, const Finding &finding) const
    {
        return shouldRedact(file, finding.offset, finding.rule, finding.token);
    }
    bool isIncluded(const QString &file, ContentKind kind) const;
    // True when no finding, value or rule decision was made (files and terms aside).
    bool isDefault() const { return m_findings.isEmpty() && m_values.isEmpty() && m_rules.isEmpty(); }

    // The values chosen for redaction in the included files: every value
    // that is redacted wherever it was found (a value kept in even one place
    // is left out). Feed them to RedactionRules::addKnownValue() for the
    // apply pass and to LeakChecker for the leak check.
    QList<RedactionRules::KnownValue> chosenValues(const QList<FileFindings> &scans) const;

    // Builds the apply-pass rules: `base` plus the added terms and the chosen values.
    RedactionRules applyRules(const RedactionRules &base, const QList<FileFindings> &scans) const;
    // The same, with the chosen values taken from the run's pseudonym map (every
    // value the scan pass gave a token, in its first spelling) instead of the
    // stored findings, which may be capped or not kept at all: memory follows
    // the number of distinct values, not of findings. A value is left out when
    // a decision keeps it anywhere (a stored finding, its token, or every rule
    // of its kind).
    RedactionRules
    applyRules(const RedactionRules &base, const QList<FileFindings> &scans, const PseudonymMap &map) const;

private:
    QHash<QString, QHash<qint64, Decision>> m_findings;
    QHash<QByteArray, Decision> m_values;
    QHash<QString, Decision> m_rules;
    QHash<QString, FileChoice> m_files;
    QStringList m_terms;
};

} // namespace dc::core
