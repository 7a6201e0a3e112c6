// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/analysis/finding.h"

#include "core/analysis/ruletexts.h"

#include <QLocale>
#include <nlohmann/json.hpp>

namespace dc::core::analysis {

using ordered_json = nlohmann::ordered_json;

namespace {

constexpr auto kFormat = "diagcollect-findings";
constexpr int kFormatVersion = 1;

std::string std8(const QString &text) { return text.toStdString(); }
QString qstr(const ordered_json &node, const char *key)
{
    const auto it = node.find(key);
    return it != node.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

QString withSubject(const QString &text, const QString &subject)
{
    return text.contains(QLatin1String("%1")) ? QString(text).replace(QLatin1String("%1"), subject) : text;
}

} // namespace

RuleTexts Finding::localized() const
{
    // The UI language is the one the application's translators were chosen
    // for: the default locale (app/gui sets it from the system or the user).
    const QString language = QLocale().name().section(QLatin1Char('_'), 0, 0);
    RuleTexts texts;
    if (const auto own = translations.constFind(language); own != translations.constEnd()) {
        texts = *own;
    } else {
        // title/explanation/advice hold the subject already; the catalogue is keyed by the rule's text.
        texts.title = translateRuleText(titleTemplate.isEmpty() ? title : titleTemplate);
        texts.explanation = translateRuleText(explanation);
        texts.advice = translateRuleText(advice);
    }
    texts.title = withSubject(texts.title, subject);
    return texts;
}

int Findings::count(Severity severity) const
{
    return int(std::count_if(findings.cbegin(), findings.cend(),
                             [severity](const Finding &finding) { return finding.severity == severity; }));
}

QByteArray Findings::toJson() const
{
    ordered_json root;
    root["format"] = kFormat;
    root["format_version"] = kFormatVersion;
    root["counts"] = {
        {"error", count(Severity::Error)}, {"warning", count(Severity::Warning)}, {"info", count(Severity::Info)}};
    root["rules_evaluated"] = rulesEvaluated;
    ordered_json notEvaluatedJson = ordered_json::array();
    for (const QString &rule : notEvaluated)
        notEvaluatedJson.push_back(std8(rule));
    root["rules_not_evaluated"] = notEvaluatedJson;
    ordered_json list = ordered_json::array();
    for (const Finding &finding : findings) {
        ordered_json node;
        node["rule"] = std8(finding.rule);
        if (!finding.subject.isEmpty())
            node["subject"] = std8(finding.subject);
        node["severity"] = std8(severityKey(finding.severity));
        node["title"] = std8(finding.title);
        node["explanation"] = std8(finding.explanation);
        node["advice"] = std8(finding.advice);
        if (!finding.url.isEmpty())
            node["url"] = std8(finding.url);
        ordered_json evidence = ordered_json::array();
        for (const Evidence &item : finding.evidence) {
            ordered_json lines = ordered_json::array();
            for (const EvidenceLine &line : item.lines) {
                ordered_json entry;
                if (line.number > 0)
                    entry["line"] = line.number;
                entry["text"] = std8(line.text);
                lines.push_back(entry);
            }
            evidence.push_back({{"file", std8(item.file)}, {"count", item.count}, {"lines", lines}});
        }
        node["evidence"] = evidence;
        list.push_back(node);
    }
    root["findings"] = list;
    return QByteArray::fromStdString(root.dump(2)) + '\n';
}

Result<Findings> Findings::fromJson(const QByteArray &bytes)
{
    ordered_json root;
    try {
        root = ordered_json::parse(bytes.constData(), bytes.constData() + bytes.size());
    } catch (const ordered_json::exception &e) {
        return fail(ErrorCode::Verification,
                    QStringLiteral("findings.json is not valid JSON: %1").arg(QString::fromUtf8(e.what())));
    }
    if (!root.is_object() || root.value("format", std::string()) != kFormat ||
        root.value("format_version", 0) != kFormatVersion)
        return fail(ErrorCode::Verification, QStringLiteral("findings.json is not a diagcollect findings file"));
    try {
        Findings out;
        out.rulesEvaluated = root.value("rules_evaluated", 0);
        for (const ordered_json &rule : root.value("rules_not_evaluated", ordered_json::array()))
            if (rule.is_string())
                out.notEvaluated.append(QString::fromStdString(rule.get<std::string>()));
        for (const ordered_json &node : root.value("findings", ordered_json::array())) {
            Finding finding;
            finding.rule = qstr(node, "rule");
            finding.subject = qstr(node, "subject");
            finding.severity = severityFromKey(qstr(node, "severity")).value_or(Severity::Info);
            finding.title = qstr(node, "title");
            finding.explanation = qstr(node, "explanation");
            finding.advice = qstr(node, "advice");
            finding.url = qstr(node, "url");
            for (const ordered_json &item : node.value("evidence", ordered_json::array())) {
                Evidence evidence;
                evidence.file = qstr(item, "file");
                evidence.count = item.value("count", qint64(0));
                for (const ordered_json &line : item.value("lines", ordered_json::array()))
                    evidence.lines.append(EvidenceLine{line.value("line", qint64(0)), qstr(line, "text")});
                finding.evidence.append(evidence);
            }
            out.findings.append(finding);
        }
        return out;
    } catch (const ordered_json::exception &e) {
        return fail(ErrorCode::Verification,
                    QStringLiteral("findings.json is malformed: %1").arg(QString::fromUtf8(e.what())));
    }
}

} // namespace dc::core::analysis
