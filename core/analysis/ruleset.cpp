// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/analysis/ruleset.h"

#include "core/util/jsonchecker.h"

#include <QFile>
#include <QFileInfo>
#include <nlohmann/json.hpp>

namespace dc::core::analysis {

using json = nlohmann::json;

namespace {

constexpr auto kFormat = "diagcollect-rules";
constexpr int kFormatVersion = 1;

QString fromStd(const std::string &text) { return QString::fromStdString(text); }

// The shared checker (core/util/jsonchecker.h), which records every problem with
// its JSON path: a typo in a rule must not silently switch it off. A rules file's
// strings and lists are never empty.
class Checker : public JsonChecker
{
public:
    std::optional<QString> string(const json &object, const QString &path, const char *key, bool required)
    {
        return nonEmptyString(object, path, key, required);
    }
    QStringList strings(const json &object, const QString &path, const char *key)
    {
        return nonEmptyStrings(object, path, key);
    }
    QRegularExpression regex(const json &object, const QString &path, const char *key, bool ignoreCase)
    {
        return JsonChecker::regex(object, path, key,
                                  ignoreCase ? QRegularExpression::CaseInsensitiveOption
                                             : QRegularExpression::NoPatternOption);
    }
};

const QRegularExpression &kebabCase()
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    return pattern;
}

// An item id, or a pattern of ids with "*" ("product-logs*").
const QRegularExpression &itemPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9*]+(-[a-z0-9*]+)*$"));
    return pattern;
}

void parseCompare(Checker &c, const json &node, const QString &path, Condition &condition)
{
    const auto op = c.string(node, path, "compare", false);
    const auto value = node.find("value");
    if (!op && value == node.end())
        return;
    if (!op || value == node.end() || !value->is_number()) {
        c.error(path, QStringLiteral("\"compare\" and a numeric \"value\" go together"));
        return;
    }
    const auto parsed = comparisonOpFromKey(*op);
    if (!parsed) {
        c.error(Checker::member(path, "compare"), QStringLiteral("expected one of > >= < <= == !="));
        return;
    }
    condition.compare = Comparison{*parsed, value->get<double>()};
}

void parseCondition(Checker &c, const json &node, const QString &path, Condition &condition)
{
    if (!node.is_object()) {
        c.error(path, QStringLiteral("expected an object"));
        return;
    }
    c.rejectUnknownKeys(node, path, {"items",   "paths",  "regex",      "ignore_case", "contains",  "capture",
                                     "compare", "value",  "group_by",   "min_count",   "max_count", "within_minutes",
                                     "field",   "equals", "not_equals", "matches",     "present",   "status",
                                     "reason",  "space",  "if_missing"});
    condition.items = c.strings(node, path, "items");
    condition.paths = c.strings(node, path, "paths");
    for (const QString &id : std::as_const(condition.items))
        if (!itemPattern().match(id).hasMatch())
            c.error(Checker::member(path, "items"), QStringLiteral("\"%1\" is not an item id").arg(id));

    const int kinds = int(node.contains("regex")) + int(node.contains("field")) + int(node.contains("present")) +
                      int(node.contains("status")) + int(node.contains("space"));
    if (kinds != 1) {
        c.error(path, QStringLiteral("expected exactly one test: regex, field, present, status or space"));
        return;
    }
    const bool ignoreCase = c.boolean(node, path, "ignore_case").value_or(false);
    if (auto contains = c.string(node, path, "contains", false))
        condition.contains = contains->toUtf8();
    condition.minCount = c.count(node, path, "min_count", 0).value_or(1);
    condition.maxCount = c.count(node, path, "max_count", 0);
    if (condition.maxCount && !node.contains("min_count"))
        condition.minCount = 0;
    if (condition.maxCount && *condition.maxCount < condition.minCount)
        c.error(Checker::member(path, "max_count"), QStringLiteral("is below min_count"));
    if (auto missing = c.string(node, path, "if_missing", false)) {
        if (*missing == QLatin1String("match"))
            condition.matchIfMissing = true;
        else if (*missing != QLatin1String("skip"))
            c.error(Checker::member(path, "if_missing"), QStringLiteral("expected \"skip\" or \"match\""));
    }

    const auto onlyFor = [&](std::initializer_list<const char *> keys, const QString &kind) {
        for (const char *key : keys)
            if (node.contains(key))
                c.error(Checker::member(path, key), QStringLiteral("does not apply to a %1 test").arg(kind));
    };

    if (node.contains("regex")) {
        condition.kind = TestKind::Lines;
        condition.regex = c.regex(node, path, "regex", ignoreCase);
        onlyFor({"equals", "not_equals", "matches", "status", "reason", "field"}, QStringLiteral("regex"));
        condition.capture = c.count(node, path, "capture", 1).value_or(0);
        condition.groupBy = c.count(node, path, "group_by", 1).value_or(0);
        condition.withinMinutes = c.count(node, path, "within_minutes", 1).value_or(0);
        parseCompare(c, node, path, condition);
        if (condition.compare.has_value() != (condition.capture > 0))
            c.error(path, QStringLiteral("\"capture\" needs \"compare\" and \"value\", and they need it"));
        const int groups = condition.regex.isValid() ? condition.regex.captureCount() : 0;
        if (condition.regex.isValid() && (condition.capture > groups || condition.groupBy > groups))
            c.error(path, QStringLiteral("the regex has only %1 capture group(s)").arg(groups));
        if (condition.groupBy > 0 && condition.maxCount)
            c.error(Checker::member(path, "max_count"), QStringLiteral("does not go with group_by"));
    } else if (node.contains("field")) {
        condition.kind = TestKind::Field;
        condition.field = c.string(node, path, "field", true).value_or(QString()).simplified().toCaseFolded();
        onlyFor({"regex", "capture", "group_by", "within_minutes", "status", "reason", "ignore_case"},
                QStringLiteral("field"));
        condition.equals = c.string(node, path, "equals", false);
        condition.notEquals = c.string(node, path, "not_equals", false);
        condition.valueRegex = c.regex(node, path, "matches", true);
        parseCompare(c, node, path, condition);
        const int tests = int(condition.equals.has_value()) + int(condition.notEquals.has_value()) +
                          int(node.contains("matches")) + int(condition.compare.has_value());
        if (tests != 1)
            c.error(path, QStringLiteral("a field test needs exactly one of equals, not_equals, matches, compare"));
    } else if (node.contains("present")) {
        condition.kind = TestKind::Present;
        condition.present = c.boolean(node, path, "present").value_or(true);
        onlyFor({"contains", "capture", "compare", "value", "group_by", "min_count", "max_count", "within_minutes",
                 "equals", "not_equals", "matches", "status", "reason", "ignore_case", "if_missing"},
                QStringLiteral("present"));
    } else if (node.contains("status")) {
        condition.kind = TestKind::Status;
        condition.statuses = c.strings(node, path, "status");
        for (const QString &status : std::as_const(condition.statuses))
            if (status != QLatin1String("failed") && status != QLatin1String("truncated") &&
                status != QLatin1String("skipped") && status != QLatin1String("collected"))
                c.error(Checker::member(path, "status"),
                        QStringLiteral("\"%1\": expected failed, truncated, skipped or collected").arg(status));
        condition.reasonRegex = c.regex(node, path, "reason", true);
        onlyFor({"contains", "capture", "compare", "value", "group_by", "within_minutes", "equals", "not_equals",
                 "matches", "ignore_case", "if_missing"},
                QStringLiteral("status"));
    } else {
        condition.kind = TestKind::Space;
        const json &space = node["space"];
        if (!space.is_object()) {
            c.error(Checker::member(path, "space"), QStringLiteral("expected an object"));
        } else {
            const QString spacePath = Checker::member(path, "space");
            c.rejectUnknownKeys(space, spacePath, {"used_percent_above"});
            const auto above = space.find("used_percent_above");
            if (above != space.end() &&
                (!above->is_number() || above->get<double>() <= 0 || above->get<double>() >= 100))
                c.error(Checker::member(spacePath, "used_percent_above"),
                        QStringLiteral("expected a number between 0 and 100"));
            else if (above != space.end())
                condition.usedPercentAbove = above->get<double>();
        }
        onlyFor({"items", "paths", "contains", "capture", "compare", "value", "group_by", "min_count", "max_count",
                 "within_minutes", "equals", "not_equals", "matches", "status", "reason", "ignore_case", "if_missing"},
                QStringLiteral("space"));
    }
}

void parseTexts(Checker &c, const json &node, const QString &path, RuleTexts &texts, bool required)
{
    texts.title = c.string(node, path, "title", required).value_or(QString());
    texts.explanation = c.string(node, path, "explanation", required).value_or(QString());
    texts.advice = c.string(node, path, "advice", required).value_or(QString());
}

void parseRule(Checker &c, const json &node, const QString &path, const QString &origin, Rule &rule)
{
    if (!node.is_object()) {
        c.error(path, QStringLiteral("expected an object"));
        return;
    }
    c.rejectUnknownKeys(node, path,
                        {"id", "severity", "title", "explanation", "advice", "url", "when", "translations"});
    rule.origin = origin;
    rule.id = c.string(node, path, "id", true).value_or(QString());
    if (!rule.id.isEmpty() && !kebabCase().match(rule.id).hasMatch())
        c.error(Checker::member(path, "id"), QStringLiteral("expected a kebab-case id like \"disk-full\""));
    if (auto severity = c.string(node, path, "severity", true)) {
        if (auto parsed = severityFromKey(*severity))
            rule.severity = *parsed;
        else
            c.error(Checker::member(path, "severity"), QStringLiteral("expected error, warning or info"));
    }
    RuleTexts english;
    parseTexts(c, node, path, english, true);
    rule.title = english.title;
    rule.explanation = english.explanation;
    rule.advice = english.advice;
    if (auto url = c.string(node, path, "url", false)) {
        if (!url->startsWith(QLatin1String("https://")))
            c.error(Checker::member(path, "url"), QStringLiteral("expected an https:// URL"));
        rule.url = *url;
    }
    if (const auto it = node.find("translations"); it != node.end()) {
        const QString translationsPath = Checker::member(path, "translations");
        if (!it->is_object()) {
            c.error(translationsPath, QStringLiteral("expected an object of languages"));
        } else {
            for (const auto &[language, texts] : it->items()) {
                const QString languagePath = translationsPath + QLatin1Char('.') + fromStd(language);
                if (!texts.is_object()) {
                    c.error(languagePath, QStringLiteral("expected an object"));
                    continue;
                }
                c.rejectUnknownKeys(texts, languagePath, {"title", "explanation", "advice"});
                RuleTexts translated;
                parseTexts(c, texts, languagePath, translated, true);
                rule.translations.insert(fromStd(language), translated);
            }
        }
    }
    const auto when = node.find("when");
    if (when == node.end() || !when->is_array() || when->empty()) {
        c.error(Checker::member(path, "when"), QStringLiteral("expected a non-empty array of conditions"));
        return;
    }
    int grouped = 0;
    for (std::size_t i = 0; i < when->size(); ++i) {
        Condition condition;
        parseCondition(c, (*when)[i], Checker::member(path, "when") + QStringLiteral("[%1]").arg(i), condition);
        grouped += condition.groupBy > 0 ? 1 : 0;
        rule.conditions.append(condition);
    }
    if (grouped > 1)
        c.error(Checker::member(path, "when"), QStringLiteral("only one condition may have group_by"));
}

} // namespace

QString severityKey(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QStringLiteral("error");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Info:
        break;
    }
    return QStringLiteral("info");
}

std::optional<Severity> severityFromKey(const QString &key)
{
    for (Severity severity : {Severity::Error, Severity::Warning, Severity::Info})
        if (severityKey(severity) == key)
            return severity;
    return std::nullopt;
}

std::optional<Comparison::Op> comparisonOpFromKey(const QString &key)
{
    static const std::pair<const char *, Comparison::Op> ops[] = {
        {">", Comparison::Op::Greater},      {">=", Comparison::Op::GreaterOrEqual}, {"<", Comparison::Op::Less},
        {"<=", Comparison::Op::LessOrEqual}, {"==", Comparison::Op::Equal},          {"!=", Comparison::Op::NotEqual}};
    for (const auto &[name, op] : ops)
        if (key == QLatin1String(name))
            return op;
    return std::nullopt;
}

bool Comparison::holds(double value) const
{
    switch (op) {
    case Op::Greater:
        return value > threshold;
    case Op::GreaterOrEqual:
        return value >= threshold;
    case Op::Less:
        return value < threshold;
    case Op::LessOrEqual:
        return value <= threshold;
    case Op::Equal:
        return value == threshold;
    case Op::NotEqual:
        break;
    }
    return value != threshold;
}

Result<QList<Rule>> parseRules(const QByteArray &bytes, const QString &origin)
{
    auto parsed = JsonChecker::parseObject(bytes, origin);
    if (!parsed)
        return tl::unexpected(parsed.error());
    const json &root = *parsed;
    Checker c;
    c.rejectDuplicateKeys(bytes);
    c.rejectUnknownKeys(root, QString(), {"format", "format_version", "rules"});
    if (root.value("format", std::string()) != kFormat)
        c.error(QStringLiteral("format"), QStringLiteral("expected \"%1\"").arg(QLatin1String(kFormat)));
    if (!root.contains("format_version") || !root["format_version"].is_number_integer() ||
        root["format_version"].get<int>() != kFormatVersion)
        c.error(QStringLiteral("format_version"), QStringLiteral("unsupported version (this tool reads version 1)"));
    QList<Rule> rules;
    const auto list = root.find("rules");
    if (list == root.end() || !list->is_array()) {
        c.error(QStringLiteral("rules"), QStringLiteral("missing (expected an array of rules)"));
    } else {
        QSet<QString> ids;
        for (std::size_t i = 0; i < list->size(); ++i) {
            Rule rule;
            const QString path = QStringLiteral("rules[%1]").arg(i);
            parseRule(c, (*list)[i], path, origin, rule);
            if (!rule.id.isEmpty() && ids.contains(rule.id))
                c.error(path + QStringLiteral(".id"), QStringLiteral("\"%1\" is used twice").arg(rule.id));
            ids.insert(rule.id);
            rules.append(rule);
        }
    }
    if (!c.ok())
        return tl::unexpected(c.failure(origin));
    return rules;
}

Result<QList<Rule>> loadRulesFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Usage, QStringLiteral("cannot read rules %1: %2").arg(path, file.errorString()));
    // Rules files are small; a huge one is a mistake, not something to parse.
    constexpr qint64 kMaxRulesBytes = 4 * 1024 * 1024;
    if (file.size() > kMaxRulesBytes)
        return fail(ErrorCode::Profile, QStringLiteral("%1: larger than 4 MiB").arg(path));
    const QString origin = path.startsWith(QLatin1Char(':')) ? QString::fromLatin1(kBuiltinOrigin) : path;
    return parseRules(file.readAll(), origin);
}

Result<QList<Rule>> builtinRules() { return loadRulesFile(QString::fromLatin1(kBuiltinRulesPath)); }

QString profileRulesPath(const QString &profileSourcePath)
{
    if (profileSourcePath.isEmpty() || profileSourcePath.startsWith(QLatin1Char(':')))
        return {};
    const QFileInfo profile(profileSourcePath);
    const QString path =
        profile.absolutePath() + QLatin1Char('/') + profile.completeBaseName() + QStringLiteral(".rules.json");
    return QFileInfo(path).isFile() ? path : QString();
}

Result<QList<Rule>> selectRules(const RuleSelection &selection)
{
    auto rules = builtinRules();
    if (!rules)
        return rules;
    QStringList files;
    if (const QString profileRules = profileRulesPath(selection.profileSourcePath); !profileRules.isEmpty())
        files.append(profileRules);
    files += selection.extraFiles;
    for (const QString &file : std::as_const(files)) {
        auto more = loadRulesFile(file);
        if (!more)
            return more;
        for (const Rule &rule : std::as_const(*more)) {
            const auto same =
                std::find_if(rules->begin(), rules->end(), [&](const Rule &known) { return known.id == rule.id; });
            if (same != rules->end())
                *same = rule;
            else
                rules->append(rule);
        }
    }
    rules->erase(std::remove_if(rules->begin(), rules->end(),
                                [&](const Rule &rule) { return selection.disabled.contains(rule.id); }),
                 rules->end());
    return rules;
}

} // namespace dc::core::analysis
