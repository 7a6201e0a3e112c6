// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/redact/machinecontext.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dc::core {

// One redaction rule as shown by `diagcollect rules` and in the GUI.
struct RuleInfo
{
    QString id;          // stable kebab-case id: "email", "ipv4", ... ; never translated
    QString tokenPrefix; // pseudonym kind: "[<tokenPrefix>-N]"; rules that find the same
                         // kind of value share it ("user" for account, user-path, username)
    QString description; // one English sentence
    bool builtin = true;
};

// The configuration a Redactor is built from: which built-in rules are on,
// the machine context, user/profile keywords and regular expressions, and
// "known values" (values already chosen for redaction in a scan pass, so that
// every occurrence is hidden even where a context rule would not fire).
// A plain value type; build one, hand it to Redactor.
class RedactionRules
{
    Q_DECLARE_TR_FUNCTIONS(dc::core::RedactionRules)

public:
    // Every built-in rule, in a fixed order (the order of `diagcollect rules`).
    static const QList<RuleInfo> &builtinRules();
    static const RuleInfo *builtinRule(const QString &id);

    // All built-in rules on, with the given machine context.
    static RedactionRules defaults(const MachineContext &context);

    void setRuleEnabled(const QString &id, bool enabled);
    bool isRuleEnabled(const QString &id) const;

    const MachineContext &machineContext() const { return m_context; }
    void setMachineContext(const MachineContext &context) { m_context = context; }

    // Case-insensitive literal terms hidden wherever they occur between word
    // boundaries (rule "keyword"). Terms shorter than 2 bytes are ignored.
    void addKeyword(const QString &term);
    const QStringList &keywords() const { return m_keywords; }

    // A user/profile regular expression (PCRE2 syntax, applied per line).
    // Fails with ErrorCode::Profile when the id collides with a built-in rule
    // or the expression does not compile.
    Result<void> addPattern(const QString &id, const QString &regex);
    struct Pattern
    {
        QString id;
        QString regex;
    };
    const QList<Pattern> &patterns() const { return m_patterns; }

    // A value the scan pass found with rule `ruleId`; the apply pass then
    // redacts every case-insensitive, word-bounded occurrence of it with the
    // same token kind.
    void addKnownValue(const QString &ruleId, QByteArrayView value);
    struct KnownValue
    {
        QString ruleId;
        QByteArray value;
    };
    using KnownValueVisitor = std::function<void(const QString &ruleId, std::string_view value)>;
    // Known values read from elsewhere each time they are visited (a run's
    // pseudonym map: millions of values, not copied). What the source reads
    // must outlive these rules and their copies.
    using KnownValueSource = std::function<void(const KnownValueVisitor &visit)>;
    void setKnownValueSource(KnownValueSource source) { m_knownSource = std::move(source); }
    // Every known value: those added, in that order, then the source's.
    void forEachKnownValue(const KnownValueVisitor &visit) const;

    // The extra-rules file (docs/REDACTION.md):
    //   {"keywords": ["..."], "patterns": [{"id": "...", "regex": "..."}],
    //    "disable": ["phone"]}
    // Adds to this object. Fails with ErrorCode::Io (unreadable) or
    // ErrorCode::Profile (malformed); on failure nothing is added.
    Result<void> loadJson(const QByteArray &json);
    Result<void> loadFile(const QString &path);

private:
    MachineContext m_context;
    QSet<QString> m_disabled;
    QStringList m_keywords;
    QList<Pattern> m_patterns;
    // Kept compactly: a large run has hundreds of thousands of them.
    struct StoredValue
    {
        quint64 offset; // in m_knownBytes
        quint32 length;
        quint32 rule; // in m_knownRuleIds
    };
    QStringList m_knownRuleIds;
    std::string m_knownBytes;
    std::vector<StoredValue> m_knownValues;
    KnownValueSource m_knownSource;
};

} // namespace dc::core
