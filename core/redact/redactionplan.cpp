// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactionplan.h"

#include "core/redact/pseudonymmap.h"

namespace dc::core {

QString contentKindKey(ContentKind kind)
{
    switch (kind) {
    case ContentKind::Text:
        return QStringLiteral("text");
    case ContentKind::CompressedText:
        return QStringLiteral("compressed-text");
    case ContentKind::Binary:
        return QStringLiteral("binary");
    }
    return QStringLiteral("text");
}

void RedactionPlan::setFindingDecision(const QString &file, qint64 offset, Decision decision)
{
    if (decision == Decision::Default)
        m_findings[file].remove(offset);
    else
        m_findings[file].insert(offset, decision);
}

void RedactionPlan::setValueDecision(const QByteArray &token, Decision decision)
{
    if (decision == Decision::Default)
        m_values.remove(token);
    else
        m_values.insert(token, decision);
}

void RedactionPlan::setRuleDecision(const QString &ruleId, Decision decision)
{
    if (decision == Decision::Default)
        m_rules.remove(ruleId);
    else
        m_rules.insert(ruleId, decision);
}

void RedactionPlan::setFileChoice(const QString &file, FileChoice choice)
{
    if (choice == FileChoice::Default)
        m_files.remove(file);
    else
        m_files.insert(file, choice);
}

void RedactionPlan::addTerm(const QString &term)
{
    const QString t = term.trimmed();
    if (!t.isEmpty() && !m_terms.contains(t, Qt::CaseInsensitive))
        m_terms.append(t);
}

Decision RedactionPlan::findingDecision(const QString &file, qint64 offset) const
{
    const auto it = m_findings.constFind(file);
    return it == m_findings.cend() ? Decision::Default : it->value(offset, Decision::Default);
}

Decision RedactionPlan::valueDecision(const QByteArray &token) const
{
    return m_values.value(token, Decision::Default);
}

Decision RedactionPlan::ruleDecision(const QString &ruleId) const { return m_rules.value(ruleId, Decision::Default); }

FileChoice RedactionPlan::fileChoice(const QString &file) const { return m_files.value(file, FileChoice::Default); }

bool RedactionPlan::shouldRedact(const QString &file,
                                 qint64 offset,
                                 const QString &ruleId,
                                 const QByteArray &token) const
{
    if (!m_findings.isEmpty()) {
        if (const Decision d = findingDecision(file, offset); d != Decision::Default)
            return d == Decision::Redact;
    }
    if (!m_values.isEmpty()) {
        if (const Decision d = valueDecision(token); d != Decision::Default)
            return d == Decision::Redact;
    }
    if (!m_rules.isEmpty()) {
        if (const Decision d = ruleDecision(ruleId); d != Decision::Default)
            return d == Decision::Redact;
    }
    return true;
}

bool RedactionPlan::isIncluded(const QString &file, ContentKind kind) const
{
    switch (fileChoice(file)) {
    case FileChoice::Include:
        return true;
    case FileChoice::Exclude:
        return false;
    case FileChoice::Default:
        break;
    }
    return kind != ContentKind::Binary;
}

QList<RedactionRules::KnownValue> RedactionPlan::chosenValues(const QList<FileFindings> &scans) const
{
    QSet<QByteArray> keptTokens;
    QList<RedactionRules::KnownValue> chosen;
    QSet<QByteArray> seen; // token + '\0' + original bytes
    QList<QByteArray> chosenTokens;
    for (const FileFindings &scan : scans) {
        if (!isIncluded(scan.file, scan.kind) || scan.kind == ContentKind::Binary)
            continue;
        for (const Finding &f : scan.findings) {
            if (!shouldRedact(scan.file, f)) {
                keptTokens.insert(f.token);
                continue;
            }
            const QByteArray key = f.token + '\0' + f.value;
            if (seen.contains(key))
                continue;
            seen.insert(key);
            chosen.append(RedactionRules::KnownValue{f.rule, f.value});
            chosenTokens.append(f.token);
        }
    }
    QList<RedactionRules::KnownValue> result;
    for (qsizetype i = 0; i < chosen.size(); ++i) {
        if (!keptTokens.contains(chosenTokens[i]))
            result.append(chosen[i]);
    }
    return result;
}

RedactionRules RedactionPlan::applyRules(const RedactionRules &base, const QList<FileFindings> &scans) const
{
    RedactionRules rules = base;
    for (const QString &t : m_terms)
        rules.addKeyword(t);
    for (const auto &kv : chosenValues(scans)) {
        // Multi-line values (private keys) are not literals.
        if (!kv.value.contains('\n'))
            rules.addKnownValue(kv.ruleId, kv.value);
    }
    return rules;
}

RedactionRules
RedactionPlan::applyRules(const RedactionRules &base, const QList<FileFindings> &scans, const PseudonymMap &map) const
{
    RedactionRules rules = base;
    for (const QString &t : m_terms)
        rules.addKeyword(t);
    // Which rule stands for a token kind: the first built-in rule with that
    // prefix (they share normalization), else the user pattern of that id.
    QHash<QString, QString> ruleOfKind;
    QHash<QString, bool> kindKept; // every rule of the kind kept by a rule decision
    for (const RuleInfo &info : RedactionRules::builtinRules()) {
        if (!ruleOfKind.contains(info.tokenPrefix))
            ruleOfKind.insert(info.tokenPrefix, info.id);
        const bool kept = ruleDecision(info.id) == Decision::Keep;
        kindKept.insert(info.tokenPrefix, kindKept.value(info.tokenPrefix, true) && kept);
    }
    for (const RedactionRules::Pattern &pattern : base.patterns()) {
        ruleOfKind.insert(pattern.id, pattern.id);
        kindKept.insert(pattern.id, ruleDecision(pattern.id) == Decision::Keep);
    }
    QSet<QByteArray> keptTokens;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it) {
        if (it.value() == Decision::Keep)
            keptTokens.insert(it.key());
    }
    if (!isDefault()) {
        for (const FileFindings &scan : scans) {
            for (const Finding &f : scan.findings) {
                if (!shouldRedact(scan.file, f))
                    keptTokens.insert(f.token);
            }
        }
    }
    // The values are read from the map when the redactor is built, not copied
    // into the rules (a large run has millions; the run's map outlives them).
    rules.setKnownValueSource([&map, keptTokens = std::move(keptTokens), ruleOfKind = std::move(ruleOfKind),
                               kindKept = std::move(kindKept)](const RedactionRules::KnownValueVisitor &visit) {
        // The rule of each kind, looked up once per kind rather than per value
        // (null: the kind is kept or unknown).
        std::vector<std::pair<std::string, const QString *>> ruleOfKindBytes;
        const auto ruleFor = [&](std::string_view kind) -> const QString * {
            for (const auto &[name, rule] : ruleOfKindBytes) {
                if (name == kind)
                    return rule;
            }
            const QString kindName = QString::fromUtf8(kind.data(), qsizetype(kind.size()));
            const auto found = ruleOfKind.constFind(kindName);
            const QString *rule = kindKept.value(kindName, false) || found == ruleOfKind.cend() ? nullptr : &*found;
            ruleOfKindBytes.emplace_back(std::string(kind), rule);
            return rule;
        };
        map.forEach([&](std::string_view kind, std::string_view original, quint32 number) {
            // Multi-line values (private keys) are not literals.
            if (original.find('\n') != std::string_view::npos ||
                (!keptTokens.isEmpty() && keptTokens.contains(PseudonymMap::tokenOf(kind, number))))
                return;
            if (original.size() < 2)
                return; // as addKnownValue()
            if (const QString *rule = ruleFor(kind))
                visit(*rule, original);
        });
    });
    return rules;
}

} // namespace dc::core
