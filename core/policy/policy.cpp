// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/policy/policy.h"

#include "core/analysis/ruleset.h"
#include "core/collect/runoptions.h"
#include "core/redact/redactionrules.h"
#include "core/util/configfile.h"
#include "core/util/jsonchecker.h"
#include "core/util/key32.h"
#include "core/util/paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSettings>
#include <cstdio>
#include <nlohmann/json.hpp>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif
#ifdef Q_OS_WIN
#include <io.h>
#endif

namespace dc::core {

using nlohmann::json;

namespace {

// The shared checker (core/util/jsonchecker.h); a policy's strings are never blank.
class PolicyValidator : public JsonChecker
{
public:
    std::optional<QString> string(const json &object, const QString &path, const char *key)
    {
        return nonEmptyString(object, path, key);
    }
};

QString reasonText(const Policy &policy)
{
    return QStringLiteral("Set by your administrator's policy (%1).").arg(QDir::toNativeSeparators(policy.source));
}

#ifdef Q_OS_WIN
constexpr auto kRegistryKey = "HKEY_LOCAL_MACHINE\\Software\\Policies\\DiagnosticsCollector";

// Registry values map one to one onto the JSON keys (docs/POLICY.md): REG_DWORD
// 0/1 for booleans, REG_DWORD for numbers, REG_SZ for strings, REG_MULTI_SZ for
// lists; "upload" and "redaction_rules" are subkeys; a pattern is "id=regex".
QJsonObject registryToJson(QSettings &settings, bool top)
{
    static const QStringList booleans{QStringLiteral("force_redaction"), QStringLiteral("require_sealing"),
                                      QStringLiteral("allow_remote_runs"), QStringLiteral("allow_full_logs"),
                                      QStringLiteral("forbidden")};
    QJsonObject object;
    for (const QString &name : settings.childKeys()) {
        const QVariant value = settings.value(name);
        if (booleans.contains(name) && (value.typeId() == QMetaType::Int || value.typeId() == QMetaType::UInt)) {
            const int number = value.toInt();
            object.insert(name, number == 0 || number == 1 ? QJsonValue(number == 1) : QJsonValue(number));
        } else if (name == QLatin1String("patterns") && value.typeId() == QMetaType::QStringList) {
            QJsonArray patterns;
            for (const QString &line : value.toStringList())
                patterns.append(QJsonObject{{QStringLiteral("id"), line.section(QLatin1Char('='), 0, 0)},
                                            {QStringLiteral("regex"), line.section(QLatin1Char('='), 1)}});
            object.insert(name, patterns);
        } else {
            object.insert(name, QJsonValue::fromVariant(value));
        }
    }
    if (top) {
        for (const QString &group : settings.childGroups()) {
            settings.beginGroup(group);
            object.insert(group, registryToJson(settings, false));
            settings.endGroup();
        }
    }
    return object;
}
#endif

#ifdef Q_OS_MACOS
constexpr auto kManagedPreferences = "/Library/Managed Preferences/io.github.diagcollect.plist";
#endif

Result<Policy> readPolicyFile(const QString &path)
{
    auto bytes = readConfigFile(path, 4 * 1024 * 1024);
    if (!bytes)
        return tl::unexpected(bytes.error());
    return parsePolicy(*bytes, QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath()));
}

} // namespace

bool Policy::isLocked(PolicySetting setting) const
{
    switch (setting) {
    case PolicySetting::Redaction:
        return forceRedaction;
    case PolicySetting::RedactionRules:
        return !redactionKeywords.isEmpty() || !redactionPatterns.isEmpty();
    case PolicySetting::Upload:
        return uploadForbidden;
    case PolicySetting::UploadUrl:
        return !uploadUrl.isEmpty() || uploadForbidden;
    case PolicySetting::Sealing:
        return requireSealing;
    case PolicySetting::Retention:
        return retentionDays.has_value();
    case PolicySetting::Categories:
        return !disabledCategories.isEmpty();
    case PolicySetting::FullLogs:
        return !allowFullLogs;
    case PolicySetting::RemoteRuns:
        return !allowRemoteRuns;
    }
    return false;
}

QString Policy::lockReason(PolicySetting setting) const { return isLocked(setting) ? reasonText(*this) : QString(); }

QJsonObject Policy::toJson() const
{
    QJsonArray categories;
    for (Category category : disabledCategories)
        categories.append(categoryKey(category));
    QJsonArray patterns;
    for (const PolicyPattern &pattern : redactionPatterns)
        patterns.append(QJsonObject{{QStringLiteral("id"), pattern.id}, {QStringLiteral("regex"), pattern.regex}});
    return QJsonObject{
        {QStringLiteral("source"), present() ? QJsonValue(source) : QJsonValue()},
        {QStringLiteral("force_redaction"), forceRedaction},
        {QStringLiteral("redaction_rules"),
         QJsonObject{{QStringLiteral("keywords"), QJsonArray::fromStringList(redactionKeywords)},
                     {QStringLiteral("patterns"), patterns}}},
        {QStringLiteral("upload"),
         QJsonObject{{QStringLiteral("url"), uploadUrl.isEmpty() ? QJsonValue() : QJsonValue(uploadUrl)},
                     {QStringLiteral("forbidden"), uploadForbidden}}},
        {QStringLiteral("require_sealing"), requireSealing},
        {QStringLiteral("seal_public_key"),
         sealPublicKey.isEmpty() ? QJsonValue() : QJsonValue(QString::fromLatin1(sealPublicKey.toBase64()))},
        {QStringLiteral("retention_days"), retentionDays ? QJsonValue(*retentionDays) : QJsonValue()},
        {QStringLiteral("disabled_categories"), categories},
        {QStringLiteral("allow_remote_runs"), allowRemoteRuns},
        {QStringLiteral("allow_full_logs"), allowFullLogs},
        {QStringLiteral("disabled_analysis_rules"), QJsonArray::fromStringList(disabledAnalysisRules)},
    };
}

Result<Policy> parsePolicy(const QByteArray &bytes, const QString &source)
{
    auto parsed = JsonChecker::parseObject(bytes, source);
    if (!parsed)
        return tl::unexpected(parsed.error());
    const json &root = *parsed;

    Policy policy;
    policy.source = source;
    PolicyValidator v;
    v.rejectDuplicateKeys(bytes);
    v.rejectUnknownKeys(root, QString(),
                        {"format_version", "force_redaction", "redaction_rules", "upload", "require_sealing",
                         "seal_public_key", "retention_days", "disabled_categories", "allow_remote_runs",
                         "allow_full_logs", "disabled_analysis_rules"});
    if (const auto it = root.find("format_version"); it != root.end())
        if (!it->is_number_integer() || it->get<int>() != 1)
            v.error(QStringLiteral("format_version"),
                    QStringLiteral("unsupported version (this tool reads version 1)"));

    policy.forceRedaction = v.boolean(root, QString(), "force_redaction").value_or(false);
    if (const json *rules = v.object(root, QString(), "redaction_rules")) {
        const QString path = QStringLiteral("redaction_rules");
        v.rejectUnknownKeys(*rules, path, {"keywords", "patterns"});
        policy.redactionKeywords = v.strings(*rules, path, "keywords").value_or(QStringList{});
        if (const auto it = rules->find("patterns"); it != rules->end()) {
            const QString patternsPath = path + QStringLiteral(".patterns");
            if (!it->is_array()) {
                v.error(patternsPath, QStringLiteral("expected an array of {\"id\", \"regex\"} objects"));
            } else {
                static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
                for (std::size_t i = 0; i < it->size(); ++i) {
                    const json &element = (*it)[i];
                    const QString elementPath = patternsPath + QStringLiteral("[%1]").arg(i);
                    if (!element.is_object()) {
                        v.error(elementPath, QStringLiteral("expected an object with \"id\" and \"regex\""));
                        continue;
                    }
                    v.rejectUnknownKeys(element, elementPath, {"id", "regex"});
                    PolicyPattern pattern;
                    if (auto id = v.string(element, elementPath, "id")) {
                        if (!idPattern.match(*id).hasMatch())
                            v.error(elementPath + QStringLiteral(".id"),
                                    QStringLiteral("expected kebab-case letters and digits"));
                        else if (RedactionRules::builtinRule(*id))
                            v.error(elementPath + QStringLiteral(".id"),
                                    QStringLiteral("\"%1\" is a built-in rule").arg(*id));
                        pattern.id = *id;
                    } else if (!element.contains("id")) {
                        v.error(elementPath + QStringLiteral(".id"), QStringLiteral("missing (expected a string)"));
                    }
                    if (auto regex = v.string(element, elementPath, "regex")) {
                        const QRegularExpression compiled(*regex);
                        if (!compiled.isValid())
                            v.error(elementPath + QStringLiteral(".regex"),
                                    QStringLiteral("not a valid regular expression: %1").arg(compiled.errorString()));
                        pattern.regex = *regex;
                    } else if (!element.contains("regex")) {
                        v.error(elementPath + QStringLiteral(".regex"), QStringLiteral("missing (expected a string)"));
                    }
                    policy.redactionPatterns.append(pattern);
                }
            }
        }
    }
    if (const json *upload = v.object(root, QString(), "upload")) {
        const QString path = QStringLiteral("upload");
        v.rejectUnknownKeys(*upload, path, {"url", "forbidden"});
        if (auto url = v.string(*upload, path, "url")) {
            if (!url->startsWith(QStringLiteral("https://"), Qt::CaseInsensitive))
                v.error(path + QStringLiteral(".url"), QStringLiteral("expected an https:// URL"));
            policy.uploadUrl = *url;
        }
        policy.uploadForbidden = v.boolean(*upload, path, "forbidden").value_or(false);
        if (policy.uploadForbidden && !policy.uploadUrl.isEmpty())
            v.error(path, QStringLiteral("\"url\" and \"forbidden\": true contradict each other"));
    }
    policy.requireSealing = v.boolean(root, QString(), "require_sealing").value_or(false);
    if (auto key = v.string(root, QString(), "seal_public_key")) {
        if (auto raw = decodeKey32(*key))
            policy.sealPublicKey = *raw;
        else
            v.error(QStringLiteral("seal_public_key"),
                    QStringLiteral("expected a 32-byte X25519 public key in base64 or hex (printed by "
                                   "'diagcollect keygen')"));
    }
    if (const auto it = root.find("retention_days"); it != root.end()) {
        if (!it->is_number_integer() || it->get<qint64>() < 0 || it->get<qint64>() > 3650)
            v.error(QStringLiteral("retention_days"),
                    QStringLiteral("expected a whole number of days from 0 (keep all) to 3650"));
        else
            policy.retentionDays = it->get<int>();
    }
    if (auto categories = v.strings(root, QString(), "disabled_categories")) {
        for (qsizetype i = 0; i < categories->size(); ++i) {
            bool known = false;
            QStringList keys;
            for (Category category : kAllCategories) {
                keys.append(categoryKey(category));
                if (categoryKey(category) == categories->at(i)) {
                    known = true;
                    if (!policy.disabledCategories.contains(category))
                        policy.disabledCategories.append(category);
                }
            }
            if (!known)
                v.error(QStringLiteral("disabled_categories[%1]").arg(i),
                        QStringLiteral("unknown category \"%1\" (expected one of %2)")
                            .arg(categories->at(i), keys.join(QStringLiteral(", "))));
        }
    }
    if (v.strings(root, QString(), "disabled_analysis_rules")) {
        // Built-in ids only: a policy serves every profile, and a typo must not
        // leave a rule on silently. Indexes are the JSON array's.
        QStringList known;
        if (auto builtin = analysis::builtinRules())
            for (const analysis::Rule &rule : std::as_const(*builtin))
                known.append(rule.id);
        const json &ids = root.at("disabled_analysis_rules");
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (!ids[i].is_string())
                continue; // reported by strings()
            const QString id = QString::fromStdString(ids[i].get<std::string>());
            if (!known.contains(id))
                v.error(QStringLiteral("disabled_analysis_rules[%1]").arg(i),
                        QStringLiteral("unknown analysis rule \"%1\" (the built-in rules are listed in "
                                       "docs/ANALYSIS.md)")
                            .arg(id));
            else if (!policy.disabledAnalysisRules.contains(id))
                policy.disabledAnalysisRules.append(id);
        }
    }
    policy.allowRemoteRuns = v.boolean(root, QString(), "allow_remote_runs").value_or(true);
    policy.allowFullLogs = v.boolean(root, QString(), "allow_full_logs").value_or(true);

    if (!v.ok())
        return tl::unexpected(v.failure(source));
    return policy;
}

QString systemPolicyPath() { return QStringLiteral("/etc/diagcollect/policy.json"); }

Result<Policy> loadPolicy(const QString &overridePath)
{
    // The platform's own policy first: an override must not switch it off silently.
    Result<Policy> system = Policy{};
#if defined(Q_OS_WIN)
    {
        QSettings settings(QLatin1String(kRegistryKey), QSettings::NativeFormat);
        if (!settings.allKeys().isEmpty()) {
            const QByteArray bytes = QJsonDocument(registryToJson(settings, true)).toJson(QJsonDocument::Compact);
            system = parsePolicy(bytes, QLatin1String(kRegistryKey));
        }
    }
#elif defined(Q_OS_MACOS)
    if (QFileInfo::exists(QLatin1String(kManagedPreferences))) {
        QSettings settings(QLatin1String(kManagedPreferences), QSettings::NativeFormat);
        QVariantMap map;
        for (const QString &key : settings.childKeys())
            map.insert(key, settings.value(key));
        const QByteArray bytes = QJsonDocument(QJsonObject::fromVariantMap(map)).toJson(QJsonDocument::Compact);
        system = parsePolicy(bytes, QStringLiteral("managed preferences io.github.diagcollect"));
    }
#else
    if (QFileInfo::exists(systemPolicyPath()))
        system = readPolicyFile(systemPolicyPath());
#endif

    QString overrideFile = overridePath;
    QString overrideName = QStringLiteral("--policy");
    if (overrideFile.isEmpty()) {
        overrideFile = qEnvironmentVariable("DIAGCOLLECT_POLICY");
        overrideName = QStringLiteral("DIAGCOLLECT_POLICY");
    }
    if (overrideFile.isEmpty())
        return system;
    const bool systemPolicyExists = !system || system->present();
    if (systemPolicyExists && !paths::isAdministrator())
        return fail(ErrorCode::Usage,
                    QStringLiteral("%1 cannot replace the administrator's policy (%2) without administrator rights")
                        .arg(overrideName, system ? system->source : QStringLiteral("which has errors")));
    if (!QFileInfo::exists(overrideFile))
        return fail(ErrorCode::Usage,
                    QStringLiteral("%1: the policy file %2 does not exist").arg(overrideName, overrideFile));
    return readPolicyFile(overrideFile);
}

Result<void> applyPolicy(const Policy &policy, Profile &profile, RunOptions &run)
{
    if (!policy.present())
        return {};
    if (run.fullLogs && !policy.allowFullLogs)
        return fail(ErrorCode::PolicyRefused, QStringLiteral("full-log mode is not allowed by your administrator's "
                                                             "policy (%1)")
                                                  .arg(policy.source));
    for (const ItemSpec &item : std::as_const(profile.items))
        if (item.appliesTo(currentPlatformBit()) && policy.isCategoryDisabled(item.category))
            run.policySkips.insert(item.id, QLatin1String(kDisabledByPolicyReason));
    if (policy.uploadForbidden)
        profile.upload.url.clear();
    else if (!policy.uploadUrl.isEmpty())
        profile.upload.url = policy.uploadUrl;
    if (!policy.sealPublicKey.isEmpty())
        profile.seal.publicKey = policy.sealPublicKey;
    if (policy.requireSealing) {
        profile.seal.required = true;
        if (profile.seal.publicKey.isEmpty())
            return fail(ErrorCode::PolicyRefused,
                        QStringLiteral("your administrator's policy (%1) requires sealed archives, but neither the "
                                       "policy (seal_public_key) nor the profile (seal.public_key) names a key")
                            .arg(policy.source));
    }
    if (policy.retentionDays)
        profile.retentionDays = *policy.retentionDays;
    return {};
}

Result<void> addPolicyRedactionRules(const Policy &policy, RedactionRules &rules)
{
    for (const QString &keyword : policy.redactionKeywords)
        rules.addKeyword(keyword);
    for (const PolicyPattern &pattern : policy.redactionPatterns)
        if (auto added = rules.addPattern(pattern.id, pattern.regex); !added)
            return fail(ErrorCode::Profile,
                        QStringLiteral("%1: redaction_rules: %2").arg(policy.source, added.error().message));
    return {};
}

bool isRemoteRun(bool remoteOption)
{
    if (remoteOption)
        return true;
#if defined(Q_OS_UNIX)
    return ::isatty(STDIN_FILENO) != 1 && ::isatty(STDERR_FILENO) != 1;
#elif defined(Q_OS_WIN)
    return _isatty(_fileno(stdin)) == 0 && _isatty(_fileno(stderr)) == 0;
#else
    return false;
#endif
}

} // namespace dc::core
