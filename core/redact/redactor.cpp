// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactor.h"

#include "core/redact/literalset.h"
#include "core/redact/pseudonymmap.h"
#include "core/redact/redactaddress_p.h"
#include "core/redact/redactimpl_p.h"
#include "core/redact/redactkeys_p.h"
#include "core/redact/ruleids_p.h"
#include "core/redact/stringset_p.h"

#include <QHash>
#include <QRegularExpression>
#include <algorithm>
#include <array>
#include <cstring>
#include <string>

// The engine is a single left-to-right pass. Most bytes are skipped by one
// table lookup; only "trigger" bytes ('@', ':', '.', '=', '/', '\\', '-', '+',
// digits and letters that start a literal at a word start) run a small
// hand-written recogniser that looks around the trigger. This beat RE2,
// Hyperscan and PCRE2-JIT on our corpus (docs/BENCHMARKS.md) because each
// shape needs context checks (near misses) that a regex engine cannot express
// cheaply, and because the common bytes never leave the skip loop.

// Files of the engine, by concern: redactbytes_p.h (byte classes),
// redactkeys.cpp (key/value tables), redactaddress.cpp (address parsers),
// redactscanner.cpp (the scanner loop and recognisers), redactpatterns.cpp
// (user patterns); this file holds the API and the merge with the run-wide
// literal pass.

namespace dc::core {

using namespace rx;

namespace {

thread_local std::vector<RedactMatch> pieces;

// The machine's own names keep their exact extent and token wherever they
// appear, so that "ALICE-LAPTOP.corp.example.net" reads "[host-1].[domain-1]"
// and not as an unrelated host: a scanner match overlapping one is cut into
// the parts outside it (each still redacted with the scanner's rule). Other
// matches (an e-mail address) stay whole.
void splitAroundMachineNames(const Redactor::Impl &d,
                             std::string_view text,
                             const std::vector<LiteralSet::Hit> &hits,
                             std::vector<RedactMatch> &scanned)
{
    const auto word = [&text](qint64 i) { return isAlnum(u8(text[size_t(i)])); };
    // A piece of a cut match, less the separators at its edges ("." of ".corp").
    const auto addPiece = [&word](RedactMatch piece) {
        while (piece.length > 0 && !word(piece.offset)) {
            ++piece.offset;
            --piece.length;
        }
        while (piece.length > 0 && !word(piece.end() - 1))
            --piece.length;
        if (piece.length >= 2)
            pieces.push_back(piece);
    };
    const auto isMachineName = [&d](const LiteralSet::Hit &hit) {
        const quint32 rule = hit.payload;
        return (rule == rid::Host || rule == rid::Domain || rule == rid::Account || rule == rid::MachineId) &&
               d.on(quint16(rule));
    };
    if (scanned.empty() || std::none_of(hits.begin(), hits.end(), isMachineName))
        return;
    pieces.clear();
    size_t h = 0;
    for (RedactMatch m : scanned) {
        while (h < hits.size() && hits[h].end() <= m.offset)
            ++h;
        // Only host names are cut: an e-mail address stays one value.
        if (m.rule != rid::Hostname) {
            pieces.push_back(m);
            continue;
        }
        for (size_t k = h; k < hits.size() && hits[k].offset < m.end(); ++k) {
            const LiteralSet::Hit &hit = hits[k];
            if (!isMachineName(hit))
                continue;
            if (hit.offset > m.offset)
                addPiece(RedactMatch{m.offset, qint32(hit.offset - m.offset), m.rule});
            const qint64 rest = m.end() - hit.end();
            if (rest <= 0) {
                m.length = 0;
                break;
            }
            m = RedactMatch{hit.end(), qint32(rest), m.rule};
        }
        if (m.length > 0)
            addPiece(m);
    }
    scanned.swap(pieces);
}

// Merges the run-wide literal pass into the scanner's matches. Where they
// overlap, a match that covers the other wins (a literal on a tie: the
// machine's own names and the values chosen in the run keep their token);
// matches that overlap partially become one match over their union, so no
// byte of either value stays.
void mergeLiteralHits(const Redactor::Impl &d,
                      std::string_view text,
                      const std::vector<LiteralSet::Hit> &hits,
                      std::vector<RedactMatch> &out,
                      size_t base)
{
    if (hits.empty())
        return;
    thread_local std::vector<RedactMatch> scanned;
    scanned.assign(out.begin() + qptrdiff(base), out.end());
    out.resize(base);
    splitAroundMachineNames(d, text, hits, scanned);
    size_t i = 0;
    size_t j = 0;
    // Skips disabled rules' literals.
    const auto nextHit = [&]() {
        while (j < hits.size() && !d.on(quint16(hits[j].payload)))
            ++j;
        return j < hits.size();
    };
    while (true) {
        const bool haveHit = nextHit();
        const bool haveScan = i < scanned.size();
        if (!haveHit && !haveScan)
            break;
        // The earliest start; on a tie the longer one, a literal if equal.
        bool takeHit = haveHit;
        if (haveHit && haveScan) {
            const LiteralSet::Hit &h = hits[j];
            const RedactMatch &m = scanned[i];
            takeHit = h.offset < m.offset || (h.offset == m.offset && h.length >= m.length);
        }
        RedactMatch cluster =
            takeHit ? RedactMatch{hits[j].offset, hits[j].length, quint16(hits[j].payload)} : scanned[i];
        takeHit ? ++j : ++i;
        qint32 widest = cluster.length;
        // Absorb everything that starts inside the cluster.
        while (true) {
            const bool h = nextHit() && hits[j].offset < cluster.end();
            const bool m = i < scanned.size() && scanned[i].offset < cluster.end();
            if (!h && !m)
                break;
            const RedactMatch next =
                h ? RedactMatch{hits[j].offset, hits[j].length, quint16(hits[j].payload)} : scanned[i];
            h ? ++j : ++i;
            if (next.end() > cluster.end()) {
                if (next.length > widest) {
                    widest = next.length;
                    cluster.rule = next.rule;
                }
                cluster.length = qint32(next.end() - cluster.offset);
            }
        }
        out.push_back(cluster);
    }
}

} // namespace

Redactor::Redactor(const RedactionRules &rules)
{
    auto impl = std::make_shared<Impl>();
    impl->rules = RedactionRules::builtinRules();
    for (const auto &p : rules.patterns())
        impl->rules.append(RuleInfo{p.id, p.id, QStringLiteral("User pattern: ") + p.regex, false});
    impl->enabled.resize(size_t(impl->rules.size()), 1);
    for (qsizetype i = 0; i < RedactionRules::builtinRules().size(); ++i)
        impl->enabled[size_t(i)] = rules.isRuleEnabled(impl->rules[i].id) ? 1 : 0;
    for (const RuleInfo &r : std::as_const(impl->rules))
        impl->prefixes.push_back(r.tokenPrefix.toUtf8());
    for (qsizetype i = 0; i < rules.patterns().size(); ++i) {
        QRegularExpression re(rules.patterns()[i].regex, QRegularExpression::MultilineOption);
        re.optimize();
        impl->patterns.push_back(Impl::Pattern{quint16(rid::BuiltinCount + i), re});
    }

    auto &cls = impl->cls;
    cls['@'] = KAt;
    cls[':'] = KColon;
    cls['.'] = KDot;
    cls['='] = KEq;
    cls['/'] = KSlash;
    cls['\\'] = KBackslash;
    cls['-'] = KDash;
    cls['+'] = KPlus;
    cls['$'] = KDollar;
    for (int c = '0'; c <= '9'; ++c)
        cls[c] = KDigit;

    // Plain literals, matched in their own pass (LiteralSet): the machine's
    // own names first (they win over later duplicates), then keywords and
    // the values chosen anywhere in the run, each also URL-encoded. The set
    // reads them from the rules (and the run's map) without a copy.
    std::string encoded;
    const auto addSpellings = [&encoded](const LiteralSet::AddLiteral &add, std::string_view bytes, quint16 rule) {
        if (bytes.size() < 2)
            return;
        add(bytes, rule);
        // Most values have no byte to encode: no copy for them.
        if (std::all_of(bytes.begin(), bytes.end(), [](char c) { return isUrlSafe(u8(c)); }))
            return;
        urlEncodedSpelling(bytes, encoded);
        add(encoded, rule);
    };
    const MachineContext &ctx = rules.machineContext();
    const auto addNamesAndTerms = [&](const LiteralSet::AddLiteral &add) {
        const auto addText = [&](const QByteArray &bytes, quint16 rule) {
            addSpellings(add, std::string_view(bytes.constData(), size_t(bytes.size())), rule);
        };
        for (const QString &h : ctx.hostNames)
            addText(h.toUtf8(), rid::Host);
        for (const QString &dn : ctx.domains)
            addText(dn.toUtf8(), rid::Domain);
        for (const QString &a : ctx.accounts)
            addText(a.toUtf8(), rid::Account);
        if (!ctx.machineId.isEmpty()) {
            addText(ctx.machineId, rid::MachineId);
            // the same 128 bits as systemd-id128 --uuid prints them
            const QByteArray &m = ctx.machineId;
            addText(m.left(8) + '-' + m.mid(8, 4) + '-' + m.mid(12, 4) + '-' + m.mid(16, 4) + '-' + m.mid(20),
                    rid::MachineId);
        }
        for (const QByteArray &uuid : ctx.hardwareUuids)
            addText(uuid, rid::MachineId);
        for (const QByteArray &serial : ctx.serialNumbers)
            addText(serial, rid::Serial);
        for (const QString &k : rules.keywords())
            addText(k.toUtf8(), rid::Keyword);
    };
    QHash<QString, quint16> ruleById;
    for (qsizetype i = impl->rules.size() - 1; i >= 0; --i)
        ruleById.insert(impl->rules[i].id, quint16(i));
    impl->plain = LiteralSet::build([&](const LiteralSet::AddLiteral &add) {
        addNamesAndTerms(add);
        // The visitor passes the same few rule ids for millions of values, in
        // no order: each id's rule is looked up once.
        std::vector<std::pair<const QString *, int>> ruleOfId;
        rules.forEachKnownValue([&](const QString &ruleId, std::string_view value) {
            int rule = -2;
            for (const auto &[id, known] : ruleOfId) {
                if (id == &ruleId) {
                    rule = known;
                    break;
                }
            }
            if (rule == -2) {
                const auto it = ruleById.constFind(ruleId);
                rule = it == ruleById.cend() ? -1 : int(*it);
                ruleOfId.emplace_back(&ruleId, rule);
            }
            if (rule >= 0)
                addSpellings(add, value, quint16(rule));
        });
    });
    impl->namesAndTerms = LiteralSet::build(addNamesAndTerms);
    impl->addLiteral("bearer", rid::Bearer, LitBearer, false);
    impl->addLiteral("for", rid::Username, LitFor, false);
    for (const char *phrase : {"invalid user", "authenticating user", "by user", "as user", "illegal user", "of user",
                               "from user", "password changed for", "changed password for", "refresh for",
                               "authentication for", "logon for", "login for"})
        impl->addLiteral(phrase, rid::Username, LitUserPhrase, false);
    for (const char *phrase : {"on host", "from host", "to host", "connecting to", "connected to", "connection to",
                               "connect to", "peer", "share on", "resolved", "ping", "ssh to", "rdp to"})
        impl->addLiteral(phrase, rid::Hostname, LitHostPhrase, false);
    for (const char *word : {"to", "from", "by"})
        impl->addLiteral(word, rid::Hostname, LitHostTo, false);
    for (const char *phrase : {"joined domain", "join domain", "joined the domain", "joining domain",
                               "member of domain", "left domain", "logon domain"})
        impl->addLiteral(phrase, rid::Domain, LitDomainPhrase, false);
    impl->addLiteral("sudo:", rid::Username, LitSudo, false);
    impl->addLiteral("(to ", rid::Username, LitSu, false);
    impl->addLiteral("user", rid::Username, LitUserWord, false);
    impl->addLiteral("CMD", rid::Username, LitCron, true);
    for (const char *type : {"REG_SZ", "REG_EXPAND_SZ"})
        impl->addLiteral(type, rid::MachineId, LitRegType, true);
    for (const char *netUse : {"net use", "net.exe use", "net.exe\" use"})
        impl->addLiteral(netUse, rid::PasswordValue, LitNetUse, false);
    for (const char *word : {"machine", "default"})
        impl->addLiteral(word, rid::PasswordValue, LitNetrc, false);
    impl->addLiteral("cleartext password", rid::PasswordValue, LitCleartext, false);
    for (const char *key : {"user name", "full name"})
        impl->addLiteral(key, rid::Username, LitPaddedKey, false);
    for (const char *session : {"console", "rdp-tcp#"})
        impl->addLiteral(session, rid::Username, LitQuser, false);
    impl->addLiteral("client:", rid::Username, LitKlistClient, false);
    for (const char *key : {"client-hostname", "ddns-hostname", "host-name"})
        impl->addLiteral(key, rid::Hostname, LitQuotedHost, false);
    impl->addLiteral("DHCPACK(", rid::Hostname, LitDnsmasqAck, true);
    // and the quoted name in NetworkManager's "(wifi) connection 'x'", macOS's "Joined network "x""
    for (const char *ssid : {"ssid", "(wifi) connection", "joined network", "wi-fi network", "wifi network"})
        impl->addLiteral(ssid, rid::WifiNetwork, LitSsid, false);
    impl->addLiteral("Device ", rid::Hostname, LitBtDevice, true);
    impl->addLiteral("cn", rid::Username, LitCertCn, false);
    impl->addLiteral("dev_", rid::Mac, LitBluezPath, true);
    for (const char *phrase :
         {"device id", "install id", "installation id", "hardware id", "machine id", "machine guid"})
        impl->addLiteral(phrase, rid::MachineId, LitIdPhrase, false);
    for (const char *phrase : {"login ok", "login incorrect", "invalid user:"})
        impl->addLiteral(phrase, rid::Username, LitRadiusLogin, false);
    for (const char *tag :
         {"<password>", "<passwd>", "<pwd>", "<secret>", "<apikey>", "<api_key>", "<token>", "<accesstoken>",
          "<clientsecret>", "<client_secret>", "<passphrase>", "<username>", "<add key=\""})
        impl->addLiteral(tag, rid::PasswordValue, LitXmlSecret, false);
    impl->addLiteral("SerialNumber", rid::Serial, LitValueBelow, true);
    for (const char *file : {"/etc/machine-id", "/var/lib/dbus/machine-id"})
        impl->addLiteral(file, rid::MachineId, LitValueBelow, true);
    for (const char *file : {"dmi/id/product_serial", "dmi/id/board_serial", "dmi/id/chassis_serial"})
        impl->addLiteral(file, rid::Serial, LitValueBelow, true);
    for (const char *prefix : {"DESKTOP-", "LAPTOP-", "WIN-"})
        impl->addLiteral(prefix, rid::Hostname, LitWindowsName, true);
    for (const JapaneseKey &key : japaneseKeys())
        impl->addLiteral(QByteArray(key.label.data(), qsizetype(key.label.size())), rid::Username, LitJapaneseKey,
                         true);
    for (const char *aws : {"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"})
        impl->addLiteral(aws, rid::AwsKey, LitAws, true);
    for (const char *api : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-",
                            "xoxr-", "xoxs-", "xapp-", "AIza", "sk_live_", "rk_live_", "sk_test_", "npm_"})
        impl->addLiteral(api, rid::ApiToken, LitApiToken, true);
    for (int c = 0; c < 256; ++c) {
        if (impl->litFirst[c] && !cls[c])
            cls[c] = KLit;
    }
    for (int c = 0; c < 256; ++c)
        impl->skip[c] = (cls[c] == KLit || !cls[c]) && isAlnum(u8(c)) ? SkipWord
                        : cls[c] == KLit                              ? SkipLit
                        : cls[c]                                      ? SkipStop
                                                                      : SkipByte;
    impl->machineId = ctx.machineId;
    d = std::move(impl);
}

const QList<RuleInfo> &Redactor::rules() const { return d->rules; }

const LiteralSet &Redactor::literals() const { return d->plain; }

const std::vector<QByteArray> &Redactor::tokenPrefixes() const { return d->prefixes; }

int Redactor::ruleIndex(const QString &id) const
{
    for (qsizetype i = 0; i < d->rules.size(); ++i) {
        if (d->rules[i].id == id)
            return int(i);
    }
    return -1;
}

bool Redactor::isEnabled(int rule) const
{
    return rule >= 0 && size_t(rule) < d->enabled.size() && d->enabled[size_t(rule)];
}

Redactor::ScanResult Redactor::scan(std::string_view text, qint64 from, bool atEnd, std::vector<RedactMatch> &out) const
{
    const size_t base = out.size();
    from = std::clamp<qint64>(from, 0, qint64(text.size()));
    ScanResult result;
    result.pendingFrom = runScanner(*d, text, from, atEnd, out);
    if (!d->plain.isEmpty()) {
        const qint64 limit = result.pendingFrom >= 0 ? result.pendingFrom : qint64(text.size());
        const std::string_view scanned = text.substr(0, size_t(limit));
        thread_local std::vector<LiteralSet::Hit> hits;
        hits.clear();
        // Literals are looked for where the scanner found nothing, and at the start of
        // each of its matches that a literal may change (a longer literal there wins
        // the union; LiteralSet::mayChangeMatchAt): most chosen values sit where the
        // scanner finds them again, and walking the trie through them is what costs.
        // The machine's names and the keywords have their own small set.
        qint64 gap = from;
        for (size_t i = base; i < out.size(); ++i) {
            const RedactMatch m = out[i];
            if (m.offset >= limit)
                break;
            if (m.offset > gap)
                d->plain.findAll(scanned, gap, m.offset, hits);
            if (m.offset >= gap) {
                const size_t before = hits.size();
                if (d->plain.mayChangeMatchAt(scanned, m.offset, m.length))
                    d->plain.findAll(scanned, m.offset, m.offset + 1, hits);
                // The machine's names and the keywords: at the start of every match
                // (they win there even when not chosen yet), and inside a host name.
                const qint64 inside = hits.size() > before ? hits.back().end() : m.offset;
                const qint64 to = m.rule == rid::Hostname ? std::min(m.end(), limit) : m.offset + 1;
                if (inside < to && !d->namesAndTerms.isEmpty())
                    d->namesAndTerms.findAll(scanned, inside, to, hits);
            }
            gap = std::max(gap, m.end());
        }
        if (gap < limit)
            d->plain.findAll(scanned, gap, limit, hits);
        mergeLiteralHits(*d, text, hits, out, base);
    }
    if (!d->patterns.empty()) {
        const qint64 limit = result.pendingFrom >= 0 ? result.pendingFrom : qint64(text.size());
        runPatterns(*d, text.substr(0, size_t(limit)), from, out, base);
    }
    return result;
}

namespace {

// The pseudonym key of a value, written over `key`: case and separators
// folded where they carry no meaning, so that one entity has one token.
void writeKey(int rule, std::string_view value, std::string &key)
{
    key.clear();
    switch (rule) {
    case rid::Mac:
        for (char c : value) {
            if (isHex(static_cast<u8>(c)))
                key.push_back(char(kLower[static_cast<u8>(c)]));
        }
        break;
    case rid::Email:
        // "jane%40x.org" is "jane@x.org": one token
        for (size_t i = 0; i < value.size(); ++i) {
            if (value[i] == '%' && i + 2 < value.size() && value[i + 1] == '4' && value[i + 2] == '0') {
                key.push_back('@');
                i += 2;
            } else {
                key.push_back(char(kLower[static_cast<u8>(value[i])]));
            }
        }
        break;
    case rid::Ipv6:
        // "2001:0DB8::0077" is "2001:db8::77": one token
        if (canonicalIpv6(value, key))
            break;
        for (char c : value)
            key.push_back(char(kLower[static_cast<u8>(c)]));
        break;
    case rid::Hostname:
    case rid::Host:
    case rid::Domain:
    case rid::Account:
    case rid::UserPath:
    case rid::Username:
    case rid::Keyword:
    case rid::MachineId:
        for (char c : value)
            key.push_back(char(kLower[static_cast<u8>(c)]));
        break;
    default:
        key.assign(value);
    }
}

} // namespace

QByteArray Redactor::normalizedValue(int rule, std::string_view value) const
{
    std::string key;
    writeKey(rule, value, key);
    return QByteArray(key.data(), qsizetype(key.size()));
}

QByteArray Redactor::tokenFor(int rule, std::string_view value, PseudonymMap &map) const
{
    thread_local std::string key;
    writeKey(rule, value, key);
    const QByteArray &prefix = d->prefixes[size_t(rule)];
    return map.tokenFor(std::string_view(prefix.constData(), size_t(prefix.size())), key, value);
}

QByteArray Redactor::redact(std::string_view text, PseudonymMap &map) const
{
    std::vector<RedactMatch> matches;
    scan(text, 0, true, matches);
    QByteArray out;
    out.reserve(qsizetype(text.size()));
    qint64 pos = 0;
    for (const RedactMatch &m : matches) {
        out.append(text.data() + pos, m.offset - pos);
        const std::string_view value = text.substr(size_t(m.offset), size_t(m.length));
        out.append(tokenFor(m.rule, value, map));
        for (char c : value) {
            if (c == '\n')
                out.append('\n');
        }
        pos = m.end();
    }
    out.append(text.data() + pos, qint64(text.size()) - pos);
    return out;
}

QString Redactor::redact(const QString &text, PseudonymMap &map) const
{
    const QByteArray utf8 = text.toUtf8();
    return QString::fromUtf8(redact(std::string_view(utf8.constData(), size_t(utf8.size())), map));
}

} // namespace dc::core
