// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactionrules.h"

#include "core/redact/ruleids_p.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace dc::core {

namespace {

RuleInfo rule(const char *id, const char *prefix, const char *description)
{
    return RuleInfo{QString::fromLatin1(id), QString::fromLatin1(prefix), QString::fromLatin1(description), true};
}

} // namespace

const QList<RuleInfo> &RedactionRules::builtinRules()
{
    // Order must match rid:: in ruleids_p.h.
    static const QList<RuleInfo> rules = {
        rule("email", "email",
             "E-mail addresses (role addresses such as noreply@ and systemd units like user@1000.service are kept)"),
        rule("ipv4", "ipv4",
             "IPv4 addresses; keeps loopback, unspecified, broadcast, netmasks, multicast, public resolvers and "
             "version-like numbers"),
        rule("ipv6", "ipv6",
             "IPv6 addresses in every compressed form, in brackets, with zone or port; keeps ::1, :: and well-known "
             "multicast"),
        rule("mac", "mac", "MAC addresses in colon, dash and dotted form; keeps broadcast and all-zero"),
        rule("hostname", "host",
             "Host names in host contexts: URLs, host=/server=/Host:/Computer: values, the syslog host field, UNC "
             "paths, machine accounts, --host, 'connecting to X', and Bluetooth device names; keeps public vendor "
             "domains and localhost"),
        rule("user-path", "user", "User names in home paths: /home/u/, /Users/u/, C:\\Users\\u\\"),
        rule("username", "user",
             "User names in user=/login=/USER= values, DOMAIN\\user, sudo/su lines, the ps owner column, --user/-u "
             "options, 'for u from', 'invalid user u' log phrases and people's names in certificate subjects (CN=) "
             "and before e-mail addresses; keeps system accounts"),
        rule("url-credentials", "credential", "user:password in URLs (scheme://user:password@host)"),
        rule("secret-param", "secret", "Values of token/key/signature/session/cookie parameters and settings"),
        rule("password-value", "password",
             "Values of password/passwd/passphrase/secret settings (key=value, key: value, JSON)"),
        rule("bearer", "token", "Bearer and other credentials in Authorization headers"),
        rule("jwt", "token", "JSON Web Tokens (eyJ...eyJ...)"),
        rule("aws-key", "key", "Cloud access key ids (AKIA..., ASIA...)"),
        rule("api-token", "key",
             "Well-known API token formats (GitHub ghp_/github_pat_, GitLab glpat-, Slack xox*-, Google AIza, Stripe "
             "sk_live_, npm_)"),
        rule("private-key", "private-key", "Bodies of PEM/OpenSSH private-key blocks (BEGIN/END lines kept)"),
        rule("card", "card", "Payment card numbers (known issuer prefixes, Luhn-checked)"),
        rule("iban", "iban", "Bank account numbers (IBAN, checked against the country's length and the mod-97 check)"),
        rule("phone", "phone",
             "Phone numbers in phone/tel/mobile/fax values, international +NN numbers and US (555) 010-9999 forms"),
        rule("sid", "sid", "Windows account SIDs (S-1-5-21-..., S-1-12-1-...); keeps well-known SIDs"),
        rule("machine-id", "machine-id",
             "This machine's id, machine-id/MachineGuid/InstallationID/ProductId/product_uuid values and DHCPv6 DUIDs; "
             "keeps boot, trace and request ids"),
        rule("serial", "serial",
             "Hardware serial numbers in serial/Serial Number/ID_SERIAL values; keeps placeholders"),
        rule("gps", "gps", "GPS coordinates in lat/lon/latitude/longitude/location/position/gps values"),
        rule("host", "host", "This machine's host names, wherever they occur"),
        rule("domain", "domain",
             "This machine's DNS domains wherever they occur, and Windows domains (DOMAIN\\user, Account Domain:)"),
        rule("account", "user", "This machine's local account names, wherever they occur"),
        rule("keyword", "keyword", "Terms added by the profile or the user, wherever they occur"),
        rule("wifi-network", "ssid",
             "Wi-Fi network names (SSIDs) in ssid=/SSID: values and in wpa_supplicant, NetworkManager, iw and netsh "
             "output"),
    };
    Q_ASSERT(rules.size() == rid::BuiltinCount);
    return rules;
}

const RuleInfo *RedactionRules::builtinRule(const QString &id)
{
    for (const RuleInfo &info : builtinRules()) {
        if (info.id == id)
            return &info;
    }
    return nullptr;
}

RedactionRules RedactionRules::defaults(const MachineContext &context)
{
    RedactionRules rules;
    rules.m_context = context;
    return rules;
}

void RedactionRules::setRuleEnabled(const QString &id, bool enabled)
{
    if (enabled)
        m_disabled.remove(id);
    else
        m_disabled.insert(id);
}

bool RedactionRules::isRuleEnabled(const QString &id) const { return !m_disabled.contains(id); }

void RedactionRules::addKeyword(const QString &term)
{
    const QString t = term.trimmed();
    if (t.toUtf8().size() >= 2 && !m_keywords.contains(t, Qt::CaseInsensitive))
        m_keywords.append(t);
}

Result<void> RedactionRules::addPattern(const QString &id, const QString &regex)
{
    static const QRegularExpression idShape(QStringLiteral("^[a-z0-9][a-z0-9-]{0,31}$"));
    if (!idShape.match(id).hasMatch())
        return fail(ErrorCode::Profile, tr("Pattern id \"%1\" must be lower-case kebab-case (a-z, 0-9, -).").arg(id));
    if (builtinRule(id))
        return fail(ErrorCode::Profile, tr("Pattern id \"%1\" is the id of a built-in rule.").arg(id));
    for (const Pattern &p : std::as_const(m_patterns)) {
        if (p.id == id)
            return fail(ErrorCode::Profile, tr("Pattern id \"%1\" is used twice.").arg(id));
    }
    const QRegularExpression re(regex);
    if (!re.isValid())
        return fail(ErrorCode::Profile, tr("Pattern \"%1\" does not compile: %2 at offset %3.")
                                            .arg(id, re.errorString())
                                            .arg(re.patternErrorOffset()));
    if (re.match(QString()).hasMatch())
        return fail(ErrorCode::Profile, tr("Pattern \"%1\" matches the empty string.").arg(id));
    m_patterns.append(Pattern{id, regex});
    return {};
}

void RedactionRules::addKnownValue(const QString &ruleId, QByteArrayView value)
{
    if (value.size() < 2)
        return;
    // A run's values come rule by rule: the last rule is the likely one.
    qsizetype rule = m_knownRuleIds.isEmpty() || m_knownRuleIds.constLast() != ruleId ? m_knownRuleIds.indexOf(ruleId)
                                                                                      : m_knownRuleIds.size() - 1;
    if (rule < 0) {
        rule = m_knownRuleIds.size();
        m_knownRuleIds.append(ruleId);
    }
    m_knownValues.push_back(StoredValue{m_knownBytes.size(), quint32(value.size()), quint32(rule)});
    m_knownBytes.append(value.data(), size_t(value.size()));
}

void RedactionRules::forEachKnownValue(const KnownValueVisitor &visit) const
{
    for (const StoredValue &known : m_knownValues)
        visit(m_knownRuleIds[qsizetype(known.rule)],
              std::string_view(m_knownBytes.data() + known.offset, known.length));
    if (m_knownSource)
        m_knownSource(visit);
}

Result<void> RedactionRules::loadJson(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(ErrorCode::Profile,
                    tr("Rules file is not valid JSON: %1 at offset %2.").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return fail(ErrorCode::Profile, tr("Rules file must hold a JSON object."));
    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() != QLatin1String("keywords") && it.key() != QLatin1String("patterns") &&
            it.key() != QLatin1String("disable"))
            return fail(ErrorCode::Profile, tr("Rules file: unknown key \"%1\".").arg(it.key()));
    }

    RedactionRules copy = *this; // all or nothing
    const QJsonValue keywords = root.value(QLatin1String("keywords"));
    if (!keywords.isUndefined()) {
        if (!keywords.isArray())
            return fail(ErrorCode::Profile, tr("Rules file: \"keywords\" must be an array of strings."));
        for (const QJsonValue &v : keywords.toArray()) {
            if (!v.isString())
                return fail(ErrorCode::Profile, tr("Rules file: \"keywords\" must be an array of strings."));
            copy.addKeyword(v.toString());
        }
    }
    const QJsonValue patterns = root.value(QLatin1String("patterns"));
    if (!patterns.isUndefined()) {
        if (!patterns.isArray())
            return fail(ErrorCode::Profile, tr("Rules file: \"patterns\" must be an array of objects."));
        for (const QJsonValue &v : patterns.toArray()) {
            const QJsonObject o = v.toObject();
            if (!v.isObject() || !o.value(QLatin1String("id")).isString() ||
                !o.value(QLatin1String("regex")).isString())
                return fail(ErrorCode::Profile,
                            tr("Rules file: every pattern needs a string \"id\" and a string \"regex\"."));
            if (auto r = copy.addPattern(o.value(QLatin1String("id")).toString(),
                                         o.value(QLatin1String("regex")).toString());
                !r)
                return r;
        }
    }
    const QJsonValue disable = root.value(QLatin1String("disable"));
    if (!disable.isUndefined()) {
        if (!disable.isArray())
            return fail(ErrorCode::Profile, tr("Rules file: \"disable\" must be an array of rule ids."));
        for (const QJsonValue &v : disable.toArray()) {
            if (!v.isString() || !builtinRule(v.toString()))
                return fail(ErrorCode::Profile, tr("Rules file: \"disable\" names an unknown rule."));
            copy.setRuleEnabled(v.toString(), false);
        }
    }
    *this = std::move(copy);
    return {};
}

Result<void> RedactionRules::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, tr("Cannot read rules file %1: %2").arg(path, file.errorString()));
    const QByteArray json = file.read(16 << 20);
    if (auto r = loadJson(json); !r)
        return fail(r.error().code, path + QStringLiteral(": ") + r.error().message);
    return {};
}

} // namespace dc::core
