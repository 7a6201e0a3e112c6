// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/machinecontext.h"
#include "core/redact/redactaddress_p.h"
#include "core/redact/redactimpl_p.h"
#include "core/redact/redactkeys_p.h"
#include "core/redact/ruleids_p.h"
#include "core/redact/stringset_p.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
#include <emmintrin.h>
#define DC_REDACT_SSE2 1
#endif

// The scanner: one left-to-right pass over the text. Most bytes are skipped by
// one table lookup; only trigger bytes run a recogniser (see redactor.cpp).

namespace dc::core {

using namespace rx;

namespace {

class Scanner
{
public:
    Scanner(const Redactor::Impl &d, std::string_view text, qint64 from, bool atEnd, std::vector<RedactMatch> &out)
        : m_d(d)
        , m_b(reinterpret_cast<const u8 *>(text.data()))
        , m_e(m_b + text.size())
        , m_from(m_b + from)
        , m_atEnd(atEnd)
        , m_out(out)
        , m_base(out.size())
    {
    }

    qint64 run()
    {
        const u8 *p = m_from;
        const u8 *const e = m_e;
        const auto &skip = m_d.skip;
        while (p < e) {
            // The hot loop: most bytes stop here. A word whose first letter or
            // digit has no class is skipped whole: the recognisers only ever
            // skip the rest of a word from a letter or digit inside it.
            while (p < e) {
                const u8 k = skip[*p];
                if (k == SkipByte) {
                    ++p;
                } else if (k == SkipWord) {
                    // a word; it may start a literal ("of user", "AKIA...")
                    const u8 *q = skipAlnum(p + 1);
                    if (m_d.wordMayStart(p, q) || (q - p >= 4 && mayStartIban(p)))
                        break;
                    p = q;
                } else if (k == SkipLit && !(p + 1 < e && m_d.pairStarts(p[0], p[1]))) {
                    ++p; // punctuation that starts no literal here ("(" but not "(to ")
                } else {
                    break;
                }
            }
            if (p >= e)
                break;
            // Every recogniser moves on; should one ever hand back where it
            // started (the fuzz test found such a case in tryColonAddress),
            // step over that byte instead of looping on it forever.
            const u8 *q = dispatch(p);
            p = q > p ? q : p + 1;
        }
        return m_pending;
    }

private:
    const Redactor::Impl &m_d;
    const u8 *m_b;
    const u8 *m_e;
    const u8 *m_from;
    bool m_atEnd;
    std::vector<RedactMatch> &m_out;
    size_t m_base;
    qint64 m_pending = -1;

    bool atWordStart(const u8 *p) const { return p == m_b || !isAlnum(p[-1]); }

    const u8 *skipAlnum(const u8 *p) const
    {
#ifdef DC_REDACT_SSE2
        // Sixteen bytes at a time: no mispredicted branch at the end of each word.
        while (m_e - p >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            // Unsigned range checks: x <= bound  <=>  min(x, bound) == x.
            const __m128i digit = _mm_sub_epi8(v, _mm_set1_epi8('0'));
            const __m128i letter = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
            const __m128i alnum = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(digit, _mm_set1_epi8(9)), digit),
                                               _mm_cmpeq_epi8(_mm_min_epu8(letter, _mm_set1_epi8(25)), letter));
            const unsigned other = ~unsigned(_mm_movemask_epi8(alnum)) & 0xffffu;
            if (other != 0)
                return p + std::countr_zero(other);
            p += 16;
        }
#endif
        while (p < m_e && isAlnum(*p))
            ++p;
        return p;
    }

    // Adds a match. A match that contains earlier ones replaces them (an
    // e-mail address containing an account name); one that overlaps an earlier
    // match partially is dropped.
    void addMatch(const u8 *s, const u8 *e, quint16 rule)
    {
        if (s >= e || s < m_from || !m_d.on(rule))
            return;
        // "ubuntu", "raspberrypi": an installer's default names identify no one,
        // and chosen they would take the system's own name out of every line.
        if (rule == rid::Hostname &&
            MachineContext::isGenericHostName(QByteArrayView(reinterpret_cast<const char *>(s), e - s)))
            return;
        const qint64 so = s - m_b;
        const qint64 eo = e - m_b;
        while (m_out.size() > m_base && m_out.back().offset >= so && m_out.back().end() <= eo)
            m_out.pop_back();
        if (m_out.size() > m_base && m_out.back().end() > so)
            return;
        m_out.push_back(RedactMatch{so, static_cast<qint32>(eo - so), rule});
    }

    const u8 *dispatch(const u8 *p)
    {
        const u8 c = *p;
        if (m_d.litFirst[c] && (!isAlnum(c) || atWordStart(p))) {
            if (const u8 *q = tryLiterals(p))
                return q;
        }
        if (mayStartIban(p)) {
            if (const u8 *q = tryIban(p))
                return q;
        }
        switch (m_d.cls[c]) {
        case KAt:
            return onAt(p);
        case KColon:
            return onColon(p);
        case KDot:
            return onDot(p);
        case KEq:
            return onKeyValue(p);
        case KSlash:
            return onSlash(p);
        case KBackslash:
            return onBackslash(p);
        case KDash:
            return onDash(p);
        case KPlus:
            return onPlus(p);
        case KDollar:
            return onDollar(p);
        case KDigit:
            if (!atWordStart(p))
                return skipAlnum(p);
            return onNumber(p);
        case KLit:
        default:
            return isAlnum(c) ? skipAlnum(p) : p + 1;
        }
    }

    // ---- IBANs ----------------------------------------------------------

    // Two capitals and two digits: where an IBAN can start ("DE89...").
    bool mayStartIban(const u8 *p) const
    {
        return m_e - p >= 15 && isUpper(p[0]) && isUpper(p[1]) && isDigit(p[2]) && isDigit(p[3]);
    }

    // "DE89370400440532013000" or in groups of four ("DE89 3704 0044 0532 0130 00"):
    // the country's length and the mod-97 check (ISO 13616) must both hold.
    const u8 *tryIban(const u8 *p)
    {
        if (!atWordStart(p))
            return nullptr;
        const int length = ibanLength(char(p[0]), char(p[1]));
        if (length == 0)
            return nullptr;
        std::array<char, 34> chars{};
        int n = 0;
        int group = 0;
        const u8 *q = p;
        while (q < m_e && n < length) {
            if (isDigit(*q) || isUpper(*q)) {
                chars[size_t(n++)] = char(*q++);
                ++group;
            } else if (*q == ' ' && group == 4 && q + 1 < m_e && isAlnum(q[1])) {
                group = 0;
                ++q;
            } else {
                break;
            }
        }
        if (n != length || (q < m_e && isAlnum(*q)) || !ibanChecksumHolds(chars.data(), n))
            return nullptr;
        addMatch(p, q, rid::Iban);
        return q;
    }

    // ---- literals -------------------------------------------------------

    const u8 *tryLiterals(const u8 *p)
    {
        if (p + 1 >= m_e)
            return nullptr;
        const u8 c0 = kLower[p[0]];
        const unsigned pair = (unsigned(c0) << 8) | kLower[p[1]];
        if (!(m_d.pairBits[pair >> 6] & (quint64(1) << (pair & 63))))
            return nullptr;
        for (const Literal &lit : m_d.lits[c0]) {
            const size_t n = lit.lower.size();
            if (size_t(m_e - p) < n)
                continue;
            if (lit.caseSensitive ? std::memcmp(p, lit.lower.data(), n) != 0 : !ieq(p, lit.lower.data(), n))
                continue;
            const u8 *end = p + n;
            const u8 *q = nullptr;
            switch (lit.kind) {
            case LitPlain:
                if (isAlnum(end[-1]) && end < m_e && isAlnum(*end))
                    continue;
                addMatch(p, end, lit.rule);
                return end;
            case LitBearer:
                q = onBearer(end);
                break;
            case LitFor:
                q = onFor(end);
                break;
            case LitUserPhrase:
                q = onUserName(end, true);
                break;
            case LitAws:
                q = onAws(p, end);
                break;
            case LitApiToken:
                q = onApiToken(p, end);
                break;
            case LitHostPhrase:
                q = onHostPhrase(end, false, lit.lower.ends_with("host"));
                break;
            case LitHostTo:
                q = onHostPhrase(end, true, false);
                if (!q && lit.lower == "by")
                    q = onByUid(end);
                break;
            case LitCron:
                q = onCron(p, end);
                break;
            case LitDomainPhrase:
                q = onDomainPhrase(end);
                break;
            case LitSudo:
                q = onSudo(end);
                break;
            case LitRegType:
                if (end < m_e && isAlnum(*end))
                    continue;
                q = onRegType(p, end);
                break;
            case LitSu:
                q = onSu(end);
                break;
            case LitUserWord:
                // a word of its own: not "--user", "/run/user", "systemd-user"
                if (p > m_b && (p[-1] == '-' || p[-1] == '/' || p[-1] == '_' || p[-1] == '.' || p[-1] == '$' ||
                                p[-1] == '%' || p[-1] == '\\'))
                    continue;
                // "USER INFORMATION" (whoami /all): a heading in capitals, not a user
                if (allCapitalsWordAt(p) && end < m_e && *end == ' ' && allCapitalsWordAt(end + 1))
                    continue;
                // "per user install", "each user profile": a kind of thing, not one user
                if (afterQuantifier(p))
                    continue;
                q = onUserWord(end);
                break;
            case LitNetUse:
                // "net use", "C:\\Windows\\System32\\net.exe" use (event 4688's command line)
                if (p > m_b && !(isBlank(p[-1]) || p[-1] == '>' || p[-1] == '\n' || p[-1] == '\\' || p[-1] == '/'))
                    continue;
                q = onNetUse(end);
                break;
            case LitNetrc:
                q = onNetrc(p, end);
                break;
            case LitCleartext:
                q = onQuotedPassword(end);
                break;
            case LitRadiusLogin:
                q = onRadiusLogin(end);
                break;
            case LitPaddedKey:
                q = onPaddedKey(p, end);
                break;
            case LitJapaneseKey:
                q = onJapaneseKey(p, end);
                break;
            case LitXmlSecret:
                q = onXmlSecret(p, end);
                break;
            case LitValueBelow:
                q = onValueBelow(p, end, lit.rule);
                break;
            case LitWindowsName: {
                // Setup names a computer DESKTOP- or LAPTOP- and seven capitals or
                // digits (a server WIN- and eleven), wherever it is written.
                const qptrdiff n = p[0] == 'W' ? 11 : 7;
                if ((p > m_b && isAlnum(p[-1])) || m_e - end < n ||
                    !std::all_of(end, end + n, [](u8 c) { return isUpper(c) || isDigit(c); }) ||
                    (end + n < m_e && (isAlnum(end[n]) || end[n] == '-')) ||
                    (end + n + 1 < m_e && end[n] == '.' && isAlnum(end[n + 1])) || // an FQDN: the host rule's
                    !std::any_of(end, end + n, [](u8 c) { return isDigit(c); }))
                    continue;
                addMatch(p, end + n, rid::Hostname);
                q = end + n;
                break;
            }
            case LitQuser:
                q = onQuserSession(p, end);
                break;
            case LitKlistClient:
                q = onKlistClient(end);
                break;
            case LitQuotedHost:
                q = onQuotedHost(end);
                break;
            case LitDnsmasqAck:
                q = onDnsmasqAck(end);
                break;
            case LitSsid:
                q = onSsid(p, end);
                break;
            case LitBtDevice:
                q = onBluetoothDevice(p, end);
                break;
            case LitCertCn:
                q = onCertificateName(p, end);
                break;
            case LitBluezPath:
                // "/org/bluez/hci0/dev_3C_52_82_1A_2B_3C": a device's MAC with underscores.
                if (p > m_b && p[-1] == '/' && m_e - end >= 17 && (m_e - end == 17 || !isAlnum(end[17])) &&
                    emitMacAt(end, '_'))
                    q = end + 17;
                break;
            case LitIdPhrase:
                if (end < m_e && isAlnum(*end))
                    continue;
                q = onIdPhrase(end);
                break;
            }
            if (q)
                return q;
        }
        return nullptr;
    }

    const u8 *onBearer(const u8 *p)
    {
        if (p >= m_e || !isBlank(*p))
            return nullptr;
        while (p < m_e && isBlank(*p))
            ++p;
        const u8 *s = p;
        while (p < m_e && (kMore[*p] & MBearerChar))
            ++p;
        if (p - s < 8)
            return nullptr;
        addMatch(s, p, rid::Bearer);
        return p;
    }

    // A user name token at p: [A-Za-z0-9._-] plus '\\' (DOMAIN\user) and '$'.
    const u8 *nameEnd(const u8 *p) const
    {
        const u8 *q = p;
        while (q < m_e && (isNameChar(*q) || *q == '\\' || *q == '$' || *q == '@') && q - p < 64)
            ++q;
        while (q > p && (q[-1] == '.' || q[-1] == '-'))
            --q;
        return q;
    }

    bool emitUser(const u8 *s, const u8 *e, quint16 rule)
    {
        if (e - s < 2)
            return false;
        bool letter = false;
        for (const u8 *q = s; q < e; ++q)
            letter = letter || isAlpha(*q) || *q >= 0x80; // "田中" too
        if (!letter || *s == '[' || *s == '.')            // ".cache" in /home/.cache is a folder, not a user
            return false;
        if (MachineContext::isSystemAccount(QByteArrayView(reinterpret_cast<const char *>(s), e - s)))
            return false;
        addMatch(s, e, rule);
        return true;
    }

    // After "for ": "for [invalid ]user NAME" or "for NAME from <address>".
    const u8 *onFor(const u8 *p)
    {
        if (p >= m_e || *p != ' ')
            return nullptr;
        ++p;
        if (m_e - p > 13 && ieq(p, "invalid user ", 13))
            return onUserName(p + 13, false);
        if (m_e - p > 5 && ieq(p, "user ", 5))
            return onUserName(p + 5, false);
        if (m_e - p > 7 && ieq(p, "domain ", 7))
            return onDomainPhrase(p + 6); // winbindd: "Could not find DC for domain CONTOSO"
        const u8 *s = p;
        const u8 *e = nameEnd(s);
        if (e == s || m_e - e < 8 || !ieq(e, " from ", 6) || !(isHex(e[6]) || e[6] == ':'))
            return nullptr;
        // from an address or a machine's name ("from 10.1.2.3", "from ws-kim-04"), not
        // from a place of prose ("token for scopes from cache", "lease for x from broker 1")
        if (!isDigit(e[6]) && e[6] != ':') {
            const u8 *fe = e + 6;
            while (fe < m_e && (isHostChar(*fe) || *fe == ':') && fe - e < 270)
                ++fe;
            while (fe > e + 6 && (fe[-1] == '.' || fe[-1] == ':'))
                --fe;
            if (!hostLike(e + 6, fe) && !std::memchr(e + 6, '.', size_t(fe - e - 6)) &&
                !std::memchr(e + 6, ':', size_t(fe - e - 6)))
                return nullptr;
        }
        if (std::memchr(s, '@', e - s))
            return nullptr; // "for alice@example.org from ...": the e-mail rule takes it
        return emitUser(s, e, rid::Username) ? e : nullptr;
    }

    const u8 *onUserName(const u8 *p, bool skipBlank)
    {
        if (skipBlank) {
            if (p >= m_e || *p != ' ')
                return nullptr;
            ++p;
        }
        if (m_e - p > 6 && ieq(p, "user [", 6))
            p += 5; // after "authentication for"
        if (p + 1 < m_e && *p == '[' && isAlnum(p[1])) {
            // Samba: "Authentication for user [jdoe] -> [jdoe] FAILED"
            const u8 *e = nameEnd(p + 1);
            if (e >= m_e || *e != ']')
                return nullptr;
            emitNameValue(p + 1, e);
            const u8 *q = e + 1;
            if (m_e - q > 5 && std::memcmp(q, " -> [", 5) == 0) {
                const u8 *e2 = nameEnd(q + 5);
                if (e2 > q + 5 && e2 < m_e && *e2 == ']') {
                    emitNameValue(q + 5, e2);
                    q = e2 + 1;
                }
            }
            return q;
        }
        if (p < m_e && (*p == '\'' || *p == '"')) {
            // MySQL: "Access denied for user 'jdoe'@'10.1.2.3'"
            const u8 q = *p;
            const u8 *e = nameEnd(p + 1);
            if (e == p + 1 || e >= m_e || *e != q)
                return nullptr;
            return emitUser(p + 1, e, rid::Username) ? e + 1 : nullptr;
        }
        const u8 *e = nameEnd(p);
        if (e == p)
            return nullptr;
        if (e < m_e && !(isBlank(*e) || *e == '(' || *e == ',' || *e == ';' || *e == '\n' || *e == '\r' || *e == ']' ||
                         *e == ')' || *e == '"' || *e == '\'' || (*e == '.' && (e + 1 == m_e || !isAlnum(e[1])))))
            return nullptr;
        if (std::memchr(p, '@', e - p))
            return nullptr; // an e-mail address; the e-mail rule takes it
        if (isProseWord(std::string_view(reinterpret_cast<const char *>(p), size_t(e - p))))
            return nullptr; // "of user settings"
        return emitUser(p, e, rid::Username) ? e : nullptr;
    }

    const u8 *onAws(const u8 *p, const u8 *q)
    {
        const u8 *e = q;
        while (e < m_e && e - q < 17 && (isUpper(*e) || isDigit(*e)))
            ++e;
        if (e - q != 16 || (e < m_e && isAlnum(*e)))
            return nullptr;
        addMatch(p, e, rid::AwsKey);
        // credentials.csv and friends: the secret access key (40 characters of
        // base64) right after the key id.
        const u8 *s = e;
        while (s < m_e && (*s == ',' || *s == ';' || *s == '|' || *s == ':' || isBlank(*s) || *s == '"') && s - e < 4)
            ++s;
        if (s > e) {
            const u8 *k = s;
            while (k < m_e && (isAlnum(*k) || *k == '/' || *k == '+') && k - s < 41)
                ++k;
            if (k - s == 40 && (k == m_e || !isAlnum(*k)))
                addMatch(s, k, rid::SecretParam);
            return k > s ? k : s;
        }
        return e;
    }

    const u8 *onApiToken(const u8 *p, const u8 *q)
    {
        const u8 *e = q;
        while (e < m_e && (isB64(*e)) && e - q < 256)
            ++e;
        if (e - q < 16 || (e < m_e && isAlnum(*e)))
            return nullptr;
        addMatch(p, e, rid::ApiToken);
        return e;
    }

    // ---- positional fields and phrases ------------------------------------

    // A capitalized word of prose where a host field would be: a message that
    // starts right after the time ("Starting", "Syncing", "Exit", "Cloud").
    static bool isMessageWord(const u8 *s, const u8 *e)
    {
        if (e - s < 3 || e - s > 24 || !isUpper(*s) ||
            !std::all_of(s + 1, e, [](u8 c) { return c >= 'a' && c <= 'z'; }))
            return false;
        std::array<char, 64> buf; // written before read
        const std::string_view lower =
            lowerInto(std::string_view(reinterpret_cast<const char *>(s), size_t(e - s)), buf);
        static const detail::FixedStringSet words = {
            "exit",       "cloud",        "status",        "result",  "process",    "job",       "step",
            "task",       "run",          "build",         "test",    "deploy",     "done",      "failed",
            "started",    "stopped",      "start",         "stop",    "finished",   "cleaning",  "reading",
            "writing",    "checking",     "loading",       "saving",  "waiting",    "request",   "response",
            "command",    "total",        "found",         "using",   "running",    "received",  "sent",
            "connected",  "disconnected", "created",       "removed", "updated",    "installed", "downloading",
            "installing", "starting",     "stopping",      "syncing", "processing", "scanning",  "signature",
            "engine",     "update",       "scan",          "threat",  "real",       "service",   "server",
            "client",     "config",       "configuration", "warning", "message",    "event",     "exception"};
        return words.contains(lower) || lower.ends_with("ing") || lower.ends_with("ed") || isProseWord(lower);
    }

    // The host field of a syslog or journal line, by position: "Mar  3 10:01:22
    // HOST prog[pid]: ...", "2024-03-03T10:01:22+01:00 HOST prog: ...", and
    // RFC 5424 "<34>1 2024-...Z HOST app pid - -". p..t is the timestamp.
    const u8 *syslogHost(const u8 *p, const u8 *t)
    {
        if (t >= m_e || *t != ' ')
            return t;
        // Where the line must start: at the timestamp (ISO) or 7 bytes before
        // the clock ("Mmm dd " / "Mmm  d "), maybe after "<PRI>" or "<PRI>1 ".
        bool rfc5424 = false;
        const u8 *q = p;
        if (t - p >= 19 && p[4] == '-') {
            if (p[10] != 'T')
                return t;
        } else {
            if (p - m_b < 7)
                return t;
            q = p - 7;
            if (!isAlpha(q[0]) || !isAlpha(q[1]) || !isAlpha(q[2]) || q[3] != ' ' || p[-1] != ' ' || !isDigit(p[-2]) ||
                !(isDigit(q[4]) || q[4] == ' '))
                return t;
        }
        if (q > m_b && q[-1] != '\n') {
            // "<34>1 " before an ISO time, "<13>" before a BSD one
            const u8 *r = q;
            if (r - m_b >= 2 && r[-1] == ' ' && r[-2] == '1' && q == p) {
                rfc5424 = true;
                r -= 2;
            }
            if (r == m_b || r[-1] != '>')
                return t;
            --r;
            const u8 *digitsEnd = r;
            while (r > m_b && isDigit(r[-1]) && digitsEnd - r < 3)
                --r;
            if (r == digitsEnd || r == m_b || r[-1] != '<' || (r - 1 > m_b && r[-2] != '\n'))
                return t;
        }
        if (q == p && !rfc5424) {
            // dmesg --time-format=iso ("2026-12-06T23:00:47,000576+00:00 MTRR map: ...")
            // writes its fraction after a comma and no host: the next word is the kernel's.
            if (std::memchr(p, ',', size_t(t - p)))
                return t;
            // ISO: journal and syslog times carry a zone; an application's own
            // log line ("2024-03-03T10:01:22.123 app ...") usually does not.
            const bool zone =
                t[-1] == 'Z' || (t - p >= 24 && (t[-6] == '+' || t[-6] == '-' || t[-5] == '+' || t[-5] == '-'));
            if (!zone)
                return t;
        }
        const u8 *h = t + 1;
        const u8 *he = h;
        while (he < m_e && isHostChar(*he) && he - h < 253)
            ++he;
        if (he == h || he >= m_e || *he != ' ' || !isAlnum(he[-1]))
            return t;
        if (!rfc5424 && q == p) {
            // After an ISO time the program must follow ("sshd[812]:", "kernel:",
            // "postfix/smtpd[1311]:"); after a BSD time the field is the host.
            const u8 *g = he + 1;
            while (g < m_e && (isNameChar(*g) || *g == '/' || *g == '(' || *g == ')' || *g == '@') && g - he < 64)
                ++g;
            if (g == he + 1 || g >= m_e || !(*g == ':' || *g == '['))
                return t;
        }
        const std::string_view name(reinterpret_cast<const char *>(h), size_t(he - h));
        if (isDigit(*h)) {
            std::array<int, 4> oct{};
            if (parseIpv4(h, he, oct) == he || std::none_of(h, he, [](u8 c) { return isAlpha(c); }))
                return t; // an address (the address rules take it) or a number
        } else if (name.size() <= 13 && std::all_of(h, he, [](u8 c) { return isAlpha(c); }) && isLevelWord(name)) {
            return t;
        } else if (isMessageWord(h, he)) {
            return t; // "2024-03-04T09:12:33Z Exit code: 1", "Mar  4 09:12:33 Starting service: nginx"
        }
        if ((name.size() == 9 && equalsLower(name, "localhost")) ||
            (name.size() == 21 && equalsLower(name, "localhost.localdomain")))
            return he;
        addMatch(h, he, rid::Hostname);
        return he;
    }

    // ps aux: the owner column of a line whose next fields are a pid and two
    // percentages ("jdoe  4711  0.3  1.2 ..."); ps cuts long names to 7
    // characters and a '+' ("mtasira+"). p..d is the pid.
    void psOwner(const u8 *p, const u8 *d)
    {
        const u8 *q = d;
        for (int field = 0; field < 2; ++field) {
            if (q >= m_e || *q != ' ')
                return;
            while (q < m_e && *q == ' ' && q - d < 16)
                ++q;
            const u8 *n = q;
            while (q < m_e && isDigit(*q) && q - n < 4)
                ++q;
            if (q == n || m_e - q < 2 || *q != '.' || !isDigit(q[1]))
                return;
            q += 2;
        }
        const u8 *oe = p;
        while (oe > m_b && oe[-1] == ' ')
            --oe;
        const u8 *os = oe;
        while (os > m_b && (isNameChar(os[-1]) || os[-1] == '+') && oe - os < 40)
            --os;
        if (os == oe || (os > m_b && os[-1] != '\n'))
            return;
        const u8 *ne = oe;
        if (ne[-1] == '+') {
            --ne;
            if (MachineContext::isSystemAccountPrefix(QByteArrayView(reinterpret_cast<const char *>(os), ne - os)))
                return;
        }
        emitUser(os, ne, rid::Username);
    }

    // ls -l: "drwx------  5 jdoe jdoe 4096 Mar  3 10:01 .cache": the owner
    // after the mode and the link count (p..d), and the group when it is the
    // owner's own; a size or "major," follows.
    void lsOwner(const u8 *p, const u8 *d)
    {
        const u8 *me = p - 1;
        while (me > m_b && me[-1] == ' ')
            --me;
        if (me > m_b && (me[-1] == '.' || me[-1] == '+' || me[-1] == '@'))
            --me; // SELinux context, ACL, extended attributes
        if (me - m_b < 10)
            return;
        const u8 *m = me - 10;
        static constexpr std::string_view kTypes = "-dlcbpsD";
        if (kTypes.find(char(m[0])) == std::string_view::npos || (m > m_b && !isBlank(m[-1]) && m[-1] != '\n'))
            return;
        for (int i = 1; i < 10; ++i) {
            const char c = char(m[i]);
            const char want = "rwxrwxrwx"[i - 1];
            if (!(c == want || c == '-' || (i % 3 == 0 && (c == 's' || c == 'S' || c == 't' || c == 'T'))))
                return;
        }
        const u8 *os = d + 1;
        while (os < m_e && *os == ' ' && os - d < 16)
            ++os;
        const u8 *oe = nameEnd(os);
        if (oe == os || oe >= m_e || *oe != ' ')
            return;
        const u8 *gs = oe;
        while (gs < m_e && *gs == ' ' && gs - oe < 16)
            ++gs;
        const u8 *ge = nameEnd(gs);
        if (ge == gs || m_e - ge < 2 || *ge != ' ')
            return;
        const u8 *z = ge;
        while (z < m_e && *z == ' ' && z - ge < 24)
            ++z;
        if (z >= m_e || !isDigit(*z))
            return;
        emitUser(os, oe, rid::Username);
        if (ge - gs == oe - os && std::memcmp(os, gs, size_t(oe - os)) == 0)
            emitUser(gs, ge, rid::Username);
    }

    // lsof: "sshd     1234 jdoe    3u  IPv4  23456  0t0  TCP ..." (COMMAND, PID,
    // USER, FD, TYPE): the name after the pid when a file descriptor column
    // ("3u", "cwd", "txt", "mem", "rtd", "DEL") follows. p..d is the pid.
    void lsofUser(const u8 *p, const u8 *d)
    {
        const u8 *c = p - 1;
        while (c > m_b && c[-1] == ' ')
            --c;
        const u8 *cs = c;
        while (cs > m_b && !isBlank(cs[-1]) && cs[-1] != '\n' && c - cs < 32)
            --cs;
        if (cs == c || (cs > m_b && cs[-1] != '\n'))
            return;
        const u8 *n = d;
        while (n < m_e && *n == ' ' && n - d < 16)
            ++n;
        const u8 *ne = n;
        while (ne < m_e && isNameChar(*ne) && ne - n < 32)
            ++ne;
        if (ne == n || ne >= m_e || *ne != ' ')
            return;
        const u8 *f = ne;
        while (f < m_e && *f == ' ' && f - ne < 16)
            ++f;
        const u8 *fe = f;
        while (fe < m_e && isAlnum(*fe) && fe - f < 8)
            ++fe;
        if (fe == f || fe >= m_e || *fe != ' ')
            return;
        const std::string_view fd(reinterpret_cast<const char *>(f), size_t(fe - f));
        bool ok = fd == "cwd" || fd == "txt" || fd == "mem" || fd == "rtd" || fd == "DEL";
        if (!ok) {
            size_t i = 0;
            while (i < fd.size() && isDigit(u8(fd[i])))
                ++i;
            ok = i > 0 && i + 1 == fd.size() && (fd[i] == 'r' || fd[i] == 'w' || fd[i] == 'u');
        }
        if (ok)
            emitUser(n, ne, rid::Username);
    }

    // A name after a phrase ("on host X", "peer X left"): the token at p up to
    // a blank, ':', ',', ';', ')' or the line end. Returns its end or nullptr.
    const u8 *phraseName(const u8 *p) const
    {
        const u8 *e = p;
        while (e < m_e && isHostChar(*e) && e - p < 253)
            ++e;
        while (e > p && (e[-1] == '.' || e[-1] == '-' || e[-1] == '_'))
            --e;
        if (e == p)
            return nullptr;
        if (e < m_e && !(isBlank(*e) || *e == ':' || *e == ',' || *e == ';' || *e == ')' || *e == '\n' || *e == '\r' ||
                         *e == '.' || *e == '\'' || *e == '"' || *e == '/' || *e == '['))
            return nullptr;
        return e;
    }

    // "on host X", "connecting to X", "peer X left", "share on X": a one-label
    // host-like name (FQDNs and addresses are left to their own rules). After
    // the plain word "to" the name needs more evidence: ":port" or
    // " established".
    const u8 *onHostPhrase(const u8 *p, bool needEvidence, bool saysHost)
    {
        if (p >= m_e || *p != ' ')
            return nullptr;
        ++p;
        const u8 *e = phraseName(p);
        // FreeRADIUS: "(from client vpn-gw01 port 0 cli 203.0.113.7)"
        if (e && needEvidence && e - p == 6 && ieq(p, "client", 6) && m_e - e > 2 && *e == ' ' && isAlnum(e[1])) {
            p = e + 1;
            e = phraseName(p);
        }
        if (!e || std::memchr(p, '.', size_t(e - p)))
            return nullptr;
        if (needEvidence) {
            // ":443", " established", " (10.1.2.3)", "[10.1.2.3]", " port 22"
            const bool port = m_e - e >= 2 && *e == ':' && isDigit(e[1]);
            const bool established = m_e - e >= 12 && ieq(e, " established", 12);
            const bool address = (m_e - e >= 3 && e[0] == ' ' && e[1] == '(' && isHex(e[2])) ||
                                 (m_e - e >= 2 && e[0] == '[' && isHex(e[1]));
            const bool portWord = m_e - e >= 7 && ieq(e, " port ", 6) && isDigit(e[6]);
            if (!port && !established && !address && !portWord)
                return nullptr;
        }
        if (!(saysHost ? hostLike(p, e) || (e - p >= 2 && isAlpha(*p) && isAlnum(e[-1])) : hostLike(p, e)))
            return nullptr;
        {
            // "connected to SSID 'x'", "connecting to WLAN": the kind of network, not a host.
            // And products named after it: "a connection to SQL Server", "connecting to MySQL".
            static const detail::FixedStringSet networks = {
                "ssid",  "bssid",    "wlan",  "wifi",    "wi-fi", "vpn",  "lan",      "sql",    "mysql",
                "mssql", "postgres", "redis", "oracle",  "ldap",  "smtp", "imap",     "dns",    "dhcp",
                "ntp",   "http",     "https", "ftp",     "ssh",   "rdp",  "aad",      "azure",  "aws",
                "gcp",   "kafka",    "mongo", "mongodb", "amqp",  "mqtt", "database", "server", "internet"};
            std::array<char, 64> buf; // written before read
            if (networks.contains(lowerInto(std::string_view(reinterpret_cast<const char *>(p), size_t(e - p)), buf)))
                return nullptr;
        }
        if (saysHost) {
            static const detail::FixedStringSet words = {
                "is",   "was", "not", "the", "a",   "an", "key",  "keys",    "name",         "unreachable",
                "down", "up",  "and", "or",  "for", "to", "with", "without", "verification", "lookup"};
            std::array<char, 64> buf; // written before read
            if (words.contains(lowerInto(std::string_view(reinterpret_cast<const char *>(p), size_t(e - p)), buf)))
                return nullptr;
        }
        const LowerCopy lower(p, e);
        if (isLocalhostName(lower.view()) ||
            MachineContext::isSystemAccount(QByteArrayView(lower.view().data(), qsizetype(lower.view().size()))))
            return e;
        addMatch(p, e, rid::Hostname);
        return e;
    }

    // lsof and netstat: "TCP 10.1.2.3:ssh->ws-kim-04:50312 (ESTABLISHED)":
    // the peer's one-label name before its port or service. Addresses and
    // FQDNs are left to their own rules.
    const u8 *onArrowPeer(const u8 *s)
    {
        // the local side is an address or name with its port: "10.1.2.3:ssh", "nb-lee-2:41000"
        const u8 *l = s - 2;
        while (l > m_b && isAlnum(l[-1]) && s - l < 40)
            --l;
        if (l == s - 2 || l - m_b < 2 || l[-1] != ':' || !isHostChar(l[-2]))
            return nullptr;
        // a local side by name: "TCP ws-kim-04:ssh->10.1.2.3:50312"
        const u8 *ln = l - 1;
        bool localAlpha = false;
        while (ln > m_b && isHostChar(ln[-1]) && ln[-1] != '.' && l - ln < 64) {
            --ln;
            localAlpha = localAlpha || isAlpha(*ln);
        }
        if (localAlpha && ln < l - 2 && (ln == m_b || isBlank(ln[-1])) && isAlnum(*ln) && isAlnum(l[-2])) {
            const LowerCopy local(ln, l - 1);
            if (!isLocalhostName(local.view()))
                addMatch(ln, l - 1, rid::Hostname);
        }
        const u8 *e = s;
        bool alpha = false;
        while (e < m_e && isHostChar(*e) && *e != '.' && e - s < 64) {
            alpha = alpha || isAlpha(*e);
            ++e;
        }
        if (e == s || !alpha || m_e - e < 2 || *e != ':' || !isAlnum(e[1]) || !isAlnum(e[-1]))
            return nullptr;
        const LowerCopy lower(s, e);
        if (isLocalhostName(lower.view()) || lower.view() == "*")
            return e;
        addMatch(s, e, rid::Hostname);
        return e;
    }

    // "joined domain X", "member of domain X": a Windows domain (one label) or
    // a DNS domain.
    const u8 *onDomainPhrase(const u8 *p)
    {
        if (p >= m_e || *p != ' ')
            return nullptr;
        ++p;
        const u8 *e = phraseName(p);
        if (!e)
            return nullptr;
        const std::string_view name(reinterpret_cast<const char *>(p), size_t(e - p));
        bool upperOrDigit = false, alpha = false;
        for (char c : name) {
            const auto u = static_cast<u8>(c);
            alpha = alpha || isAlpha(u);
            upperOrDigit = upperOrDigit || (u >= 'A' && u <= 'Z') || isDigit(u) || c == '.';
        }
        if (!alpha || !upperOrDigit || isSystemDomain(name))
            return nullptr;
        addMatch(p, e, name.find('.') != std::string_view::npos ? rid::Hostname : rid::Domain);
        return e;
    }

    // sudo's log line: "sudo:   jdoe : TTY=pts/1 ; PWD=... ; USER=root ; COMMAND=...".
    const u8 *onSudo(const u8 *p)
    {
        const u8 *s = p;
        while (s < m_e && *s == ' ' && s - p < 8)
            ++s;
        const u8 *e = nameEnd(s);
        if (e == s || m_e - e < 4 || !ieq(e, " : ", 3))
            return nullptr;
        return emitUser(s, e, rid::Username) ? e : nullptr;
    }

    // net user: "User name                    mlopez", "Full Name                    Maria
    // Lopez": a key at the line's start padded to its column, the value to the
    // line's end. A column header ("User Name      SID") is in capitals.
    const u8 *onPaddedKey(const u8 *p, const u8 *end)
    {
        if (!(p == m_b || p[-1] == '\n') || m_e - end < 3 || end[0] != ' ' || end[1] != ' ')
            return nullptr;
        const u8 *v = end;
        while (v < m_e && v - end < 40 && *v == ' ')
            ++v;
        const u8 *ve = lineEndWithin(v, 256);
        while (ve > v && isBlank(ve[-1]))
            --ve;
        if (ve == v || allCapitalsWordAt(v))
            return nullptr;
        if (kLower[p[0]] == 'f') { // the full name, as written
            addMatch(v, ve, rid::Username);
            return ve;
        }
        const u8 *e = nameEnd(v);
        if (e != ve)
            return nullptr;
        emitNameValue(v, e);
        return e;
    }

    // A value printed on the line below what names it: wmic's and
    // Get-CimInstance's column header ("SerialNumber", maybe a "------" rule
    // between), or a command that prints a file ("$ cat /etc/machine-id",
    // ".../dmi/id/product_serial"), or the file's name before ": value".
    const u8 *onValueBelow(const u8 *p, const u8 *end, quint16 rule)
    {
        if (end < m_e && (isAlnum(*end) || *end == '_' || *end == '-' || *end == '.'))
            return nullptr;
        const bool header = *p == 'S';
        if (header && !(p == m_b || p[-1] == '\n'))
            return nullptr;
        const u8 *q = end;
        if (!header && q < m_e && *q == ':') { // "/etc/machine-id: 9f3c..."
            ++q;
            while (q < m_e && isBlank(*q))
                ++q;
        } else {
            while (q < m_e && (isBlank(*q) || *q == '\r'))
                ++q;
            if (q >= m_e || *q != '\n')
                return nullptr;
            ++q;
            if (header && q < m_e && *q == '-') { // PowerShell's rule under the header
                while (q < m_e && (*q == '-' || isBlank(*q) || *q == '\r'))
                    ++q;
                if (q >= m_e || *q != '\n')
                    return nullptr;
                ++q;
            }
        }
        const u8 *v = q;
        const u8 *ve = v;
        while (ve < m_e && (isAlnum(*ve) || *ve == '-' || *ve == '.' || *ve == '/') && ve - v < 64)
            ++ve;
        // the value alone on its line (wmic pads it with blanks)
        const u8 *after = ve;
        while (after < m_e && (isBlank(*after) || *after == '\r'))
            ++after;
        if (ve - v < 4 || (after < m_e && *after != '\n'))
            return end;
        const std::string_view value(reinterpret_cast<const char *>(v), size_t(ve - v));
        if (isPlaceholder(value) ||
            MachineContext::isPlaceholderHardwareId(QByteArrayView(value.data(), qsizetype(value.size()))))
            return ve;
        if (rule == rid::MachineId) {
            if (ve - v != 32 || !std::all_of(v, ve, [](u8 c) { return isHex(c); }))
                return end;
        } else if (!std::any_of(v, ve, [](u8 c) { return isDigit(c); })) {
            return end;
        }
        addMatch(v, ve, rule);
        return ve;
    }

    // XML settings: an element's text ("<password>x</password>", Maven's
    // settings.xml) or .NET's appSettings pair ('<add key="SmtpPassword"
    // value="x" />'), when the name says password, secret or user.
    const u8 *onXmlSecret(const u8 *p, const u8 *end)
    {
        const u8 *le = lineEndWithin(end, 1024);
        const u8 *ks = nullptr;
        const u8 *ke = nullptr;
        const u8 *v = nullptr;
        const u8 *ve = nullptr;
        if (end[-1] == '>') { // "<password>"
            ks = p + 1;
            ke = end - 1;
            v = end;
            ve = static_cast<const u8 *>(std::memchr(v, '<', size_t(le - v)));
            if (!ve || le - ve < 2 || ve[1] != '/')
                return nullptr;
        } else { // '<add key="'
            ks = end;
            ke = static_cast<const u8 *>(std::memchr(ks, '"', size_t(le - ks)));
            if (!ke || ke == ks)
                return nullptr;
            const u8 *a = ke + 1;
            while (a < le && isBlank(*a))
                ++a;
            if (le - a < 8 || !ieq(a, "value=\"", 7))
                return nullptr;
            v = a + 7;
            ve = static_cast<const u8 *>(std::memchr(v, '"', size_t(le - v)));
            if (!ve)
                return nullptr;
        }
        std::array<char, 48> buf; // written before read
        const std::string_view key = normalizeKey(ks, ke, buf);
        const KeyKind kind = classifyKey(key);
        const std::string_view value(reinterpret_cast<const char *>(v), size_t(ve - v));
        if (value.empty() || isPlaceholder(value))
            return ve;
        if (kind == KeyPassword || (kind == KeySecret && (looksRandom(value) || value.size() >= 8)))
            addMatch(v, ve, kind == KeyPassword ? rid::PasswordValue : rid::SecretParam);
        else if (kind == KeyUser && !std::memchr(v, '@', size_t(ve - v)))
            emitNameValue(v, ve);
        else
            return nullptr;
        return ve;
    }

    // Japanese punctuation and the ideographic space (UTF-8, three bytes at
    // p): a value written among Japanese text ends there ("t.suzuki、パスワード").
    bool japaneseStopAt(const u8 *p) const
    {
        if (m_e - p < 3)
            return false;
        if (p[0] == 0xe3 && p[1] == 0x80) // 　 、 。 「 」 【 】
            return p[2] == 0x80 || p[2] == 0x81 || p[2] == 0x82 || p[2] == 0x8c || p[2] == 0x8d || p[2] == 0x90 ||
                   p[2] == 0x91;
        if (p[0] == 0xef && p[1] == 0xbc) // （ ） ， ： ；
            return p[2] == 0x88 || p[2] == 0x89 || p[2] == 0x8c || p[2] == 0x9a || p[2] == 0x9b;
        return false;
    }

    const u8 *skipBlanksAndIdeographicSpaces(const u8 *q) const
    {
        while (q < m_e) {
            if (isBlank(*q))
                ++q;
            else if (m_e - q >= 3 && q[0] == 0xe3 && q[1] == 0x80 && q[2] == 0x80)
                q += 3;
            else
                break;
        }
        return q;
    }

    // A Japanese label and its value: "アカウント名:\t\tt.suzuki" (event text),
    // "パスワード：Yamato2024!" (a full-width colon), "ユーザー名      t.suzuki"
    // (net user: padded, at the line's start).
    const u8 *onJapaneseKey(const u8 *p, const u8 *end)
    {
        const std::string_view label(reinterpret_cast<const char *>(p), size_t(end - p));
        const auto keys = japaneseKeys();
        const auto key =
            std::find_if(keys.begin(), keys.end(), [label](const JapaneseKey &k) { return k.label == label; });
        if (key == keys.end())
            return nullptr;
        const u8 *padded = skipBlanksAndIdeographicSpaces(end);
        const u8 *v = padded;
        if (v < m_e && *v == ':')
            ++v;
        else if (m_e - v >= 3 && v[0] == 0xef && v[1] == 0xbc && v[2] == 0x9a) // ：
            v += 3;
        else if (!((p == m_b || p[-1] == '\n') && padded - end >= 2))
            return nullptr;
        v = skipBlanksAndIdeographicSpaces(v);
        const bool person = key->kind == JapaneseKeyKind::Person;
        const u8 *e = v;
        while (e < m_e && *e != '\n' && *e != '\r' && *e != '\t' && *e != ',' && *e != ';' && *e != '(' && *e != ')' &&
               *e != '<' && *e != '[' && *e != '"' && !japaneseStopAt(e) && e - v < 128) {
            // A person's name may hold one blank ("鈴木 太郎"); other values end at the first.
            if (*e == ' ' && (!person || (e + 1 < m_e && (e[1] == ' ' || e[1] == '\n' || e[1] == '\r'))))
                break;
            ++e;
        }
        while (e > v && (e[-1] == ' ' || e[-1] == '.'))
            --e;
        if (e - v < 2)
            return e > end ? e : nullptr;
        const std::string_view value(reinterpret_cast<const char *>(v), size_t(e - v));
        if (isPlaceholder(value))
            return e;
        switch (key->kind) {
        case JapaneseKeyKind::User:
            emitNameValue(v, e);
            break;
        case JapaneseKeyKind::Person:
            addMatch(v, e, rid::Username);
            break;
        case JapaneseKeyKind::Domain:
            if (!isSystemDomain(value))
                addMatch(v, e, rid::Domain);
            break;
        case JapaneseKeyKind::Host:
            if (hostLike(v, e) || *v >= 0x80)
                addMatch(v, e, rid::Hostname);
            break;
        case JapaneseKeyKind::Password:
            addMatch(v, e, rid::PasswordValue);
            break;
        case JapaneseKeyKind::Phone: {
            // Digits with '-', '+', '(' ')' and blanks between: "03-1234-5678", "+81 3-1234-5678".
            const u8 *pe = v;
            int digits = 0;
            while (pe < e && (isDigit(*pe) || *pe == '-' || *pe == '+' || *pe == ' ' || *pe == '(' || *pe == ')'))
                digits += isDigit(*pe++) ? 1 : 0;
            while (pe > v && !isDigit(pe[-1]))
                --pe;
            if (digits >= 9 && digits <= 15)
                addMatch(v, pe, rid::Phone);
            break;
        }
        case JapaneseKeyKind::MachineId:
            addMatch(v, e, rid::MachineId);
            break;
        }
        return e;
    }

    // quser / query user: ">mlopez                console             1  Active": the
    // name before the session name at the line's start ('>' marks the caller's session).
    const u8 *onQuserSession(const u8 *p, const u8 *end)
    {
        if (p - m_b < 3 || p[-1] != ' ' || p[-2] != ' ' || (end < m_e && isAlpha(*end)))
            return nullptr;
        const u8 *ne = p;
        while (ne > m_b && ne[-1] == ' ')
            --ne;
        const u8 *ns = ne;
        while (ns > m_b && isNameChar(ns[-1]) && ne - ns < 64)
            --ns;
        const u8 *ls = ns;
        if (ls > m_b && (ls[-1] == '>' || ls[-1] == ' '))
            --ls;
        if (ns == ne || !(ls == m_b || ls[-1] == '\n'))
            return nullptr;
        if (allCapitalsWordAt(ns))
            return nullptr; // the header: " USERNAME              SESSIONNAME"
        emitUser(ns, ne, rid::Username);
        return end;
    }

    // klist: "Client: mlopez @ CORP.EXAMPLE.COM" (the principal's name, then its realm).
    const u8 *onKlistClient(const u8 *p)
    {
        if (p >= m_e || *p != ' ')
            return nullptr;
        const u8 *s = p + 1;
        const u8 *e = nameEnd(s);
        if (e == s || m_e - e < 4 || std::memcmp(e, " @ ", 3) != 0)
            return nullptr;
        emitUser(s, e, rid::Username);
        return e;
    }

    // The closing quote of a non-empty value quoted after one blank (' "x"'
    // at p), at most `cap` bytes long; null when there is none.
    const u8 *quotedAfterBlank(const u8 *p, qptrdiff cap) const
    {
        if (m_e - p < 3 || p[0] != ' ' || p[1] != '"')
            return nullptr;
        const u8 *v = p + 2;
        const auto *close = static_cast<const u8 *>(std::memchr(v, '"', size_t(std::min<qptrdiff>(m_e - v, cap))));
        return close == v ? nullptr : close;
    }

    // dhcpd/dhclient leases: the quoted name after 'client-hostname',
    // 'ddns-hostname' or 'host-name' and one blank.
    const u8 *onQuotedHost(const u8 *p)
    {
        const u8 *close = quotedAfterBlank(p, 256);
        if (!close)
            return nullptr;
        emitHost(p + 2, close, false);
        return close + 1;
    }

    // dnsmasq: "DHCPACK(br0) 192.168.1.7 3c:52:82:1a:2b:3c annas-iphone": the
    // address, the MAC and the client's name, the last word of the line.
    const u8 *onDnsmasqAck(const u8 *p)
    {
        const u8 *le = lineEndWithin(p, 256);
        const auto *close = static_cast<const u8 *>(std::memchr(p, ')', size_t(le - p)));
        const auto word = [le](const u8 *s) {
            while (s < le && !isBlank(*s) && *s != '\r')
                ++s;
            return s;
        };
        if (!close || le - close < 2 || close[1] != ' ')
            return nullptr;
        const u8 *ip = close + 2;
        const u8 *ipEnd = word(ip);
        const u8 *mac = ipEnd + 1;
        if (ipEnd == ip || ipEnd >= le || le - mac < 19 || mac[17] != ' ' ||
            !isMac({reinterpret_cast<const char *>(mac), 17}, ':'))
            return nullptr;
        const u8 *name = mac + 18;
        const u8 *nameEnd = word(name);
        for (const u8 *r = nameEnd; r < le; ++r) {
            if (!isBlank(*r) && *r != '\r')
                return nullptr;
        }
        emitHost(ip, ipEnd, false);
        emitMacAt(mac, ':');
        emitHost(name, nameEnd, false);
        return nameEnd;
    }

    // Whether the word at p is the first on its line, after blanks and a
    // dotted prefix of its own ("802-11-wireless.ssid").
    bool firstOnLine(const u8 *p) const
    {
        const u8 *s = p;
        while (s > m_b && (isAlnum(s[-1]) || s[-1] == '.' || s[-1] == '-' || s[-1] == '_') && p - s < 64)
            --s;
        while (s > m_b && isBlank(s[-1]))
            --s;
        return s == m_b || s[-1] == '\n';
    }

    // Keys of Wi-Fi passphrases, which are often phrases.
    static bool isPassphraseKey(std::string_view key)
    {
        return key.ends_with("passphrase") || key.ends_with("psk") || key == "keycontent";
    }

    // Whether the separator at p ends the key of a setting's own line: the key
    // first on its line ("wpa_passphrase=", "802-11-wireless-security.psk:"),
    // or padded like a table's ("Key Content            : x", netsh).
    bool isSettingLine(const u8 *p) const
    {
        const u8 *k = p;
        while (k > m_b && isBlank(k[-1]) && p - k < 64)
            --k;
        return p - k >= 2 || firstOnLine(k);
    }

    // The end of a value that runs to the line's end, trailing blanks dropped.
    static const u8 *trimmedLineEnd(const u8 *v, const u8 *le)
    {
        while (le > v && (isBlank(le[-1]) || le[-1] == '\r'))
            --le;
        return le;
    }

    // Wi-Fi network names, which often name their owner ("Kim Family WiFi",
    // "Maria's iPhone"): wpa_supplicant.conf and NetworkManager keyfiles
    // (ssid="x", ssid=x), iw and netsh ("SSID: x", "SSID   : x"), nmcli
    // ("802-11-wireless.ssid:   x"), JSON ("ssid": "x") and log prose
    // ("Trying to associate with SSID 'x'"). Not "BSSID" (a MAC), not
    // "SSID-TEMP-DISABLED", not prose without a value ("SSID is hidden").
    const u8 *onSsid(const u8 *p, const u8 *end)
    {
        if ((p > m_b && isAlnum(p[-1])) || (end < m_e && (isAlnum(*end) || *end == '-' || *end == '_')))
            return nullptr;
        const u8 *le = lineEndWithin(end, 512);
        const u8 *q = end;
        if (q < le && *q == '"' && p > m_b && p[-1] == '"')
            ++q; // a JSON key
        while (q < le && isBlank(*q))
            ++q;
        u8 sep = 0;
        if (q < le && (*q == '=' || *q == ':')) {
            sep = *q++;
            while (q < le && isBlank(*q))
                ++q;
        }
        if (q >= le)
            return nullptr;
        const u8 *v = q;
        const u8 *ve = nullptr;
        if (*q == '"' || *q == '\'') {
            v = q + 1;
            const auto *close = static_cast<const u8 *>(std::memchr(v, *q, size_t(le - v)));
            // At most 32 bytes; printed with escapes up to four times that.
            if (!close || close == v || close - v > 128)
                return nullptr;
            ve = close;
        } else if (sep == 0) {
            return nullptr;
        } else if (sep == ':' || firstOnLine(p)) {
            ve = trimmedLineEnd(v, le); // a setting's line: the name may hold blanks
        } else {
            ve = v;
            while (ve < le && !isBlank(*ve) && *ve != '\r' && *ve != ',' && *ve != ';')
                ++ve;
        }
        const std::string_view value(reinterpret_cast<const char *>(v), size_t(ve - v));
        if (ve - v > 128 || value.empty() || value == "--" || isPlaceholder(value))
            return ve > end ? ve : nullptr;
        addMatch(v, ve, rid::WifiNetwork);
        return ve + (ve < le && (*ve == '"' || *ve == '\'') ? 1 : 0);
    }

    // bluetoothctl: "[NEW] Device 3C:52:82:1A:2B:3C Maria's AirPods", the
    // "devices" list, "[CHG] Device <MAC> Name: x" and "Alias: x": what a
    // device's owner called it. The MAC is the mac rule's; other properties
    // ("RSSI: -60", "Connected: yes") and "(public)" are not names.
    const u8 *onBluetoothDevice(const u8 *p, const u8 *end)
    {
        if (p > m_b && isAlnum(p[-1]))
            return nullptr;
        const u8 *le = lineEndWithin(end, 512);
        if (le - end < 19 || end[17] != ' ' || !emitMacAt(end, ':'))
            return nullptr;
        const u8 *n = end + 18;
        const u8 *w = n;
        while (w < le && *w != ' ' && *w != ':')
            ++w;
        if (w < le && *w == ':') {
            const bool named =
                (w - n == 4 && std::memcmp(n, "Name", 4) == 0) || (w - n == 5 && std::memcmp(n, "Alias", 5) == 0);
            if (!named)
                return end + 17;
            n = w + 1;
            while (n < le && isBlank(*n))
                ++n;
        } else if (n < le && *n == '(') {
            return end + 17;
        }
        const u8 *ne = trimmedLineEnd(n, le);
        // A device without a name of its own shows its MAC in dashes.
        if (ne - n == 17 && isMac({reinterpret_cast<const char *>(n), 17}, '-'))
            return ne;
        if (ne > n)
            addMatch(n, ne, rid::Hostname);
        return std::max(ne, end + 17);
    }

    // A person's name as a certificate's or a directory entry's common name:
    // "subject=CN = Jane Doe, O = Acme", "CN=Robert Miller/emailAddress=...",
    // "cn=Tom Baker,ou=Users". Two to four capitalized words with no digit,
    // none of the words authorities, services and companies are named with
    // ("Acme Issuing CA 01", "Microsoft Corporation"); host names in CN= are
    // the host rules'.
    const u8 *onCertificateName(const u8 *p, const u8 *end)
    {
        if (p > m_b && (isAlnum(p[-1]) || p[-1] == '_' || p[-1] == '-' || p[-1] == '.'))
            return nullptr;
        const u8 *q = end;
        while (q < m_e && *q == ' ')
            ++q;
        if (q >= m_e || *q != '=')
            return nullptr;
        ++q;
        while (q < m_e && *q == ' ')
            ++q;
        const u8 *le = lineEndWithin(q, 256);
        const u8 *ve = q;
        while (ve < le && *ve != ',' && *ve != '/' && *ve != '+' && *ve != '"' && *ve != '\r' && *ve != ';' &&
               *ve != '>' && *ve != ')')
            ++ve;
        ve = trimmedLineEnd(q, ve);
        if (ve > q && ve[-1] == '\'')
            --ve; // 'CN=Jane Doe'; "O'Brien" keeps its own
        if (!isPersonName(q, ve))
            return nullptr;
        addMatch(q, ve, rid::Username);
        return ve;
    }

    static bool isPersonName(const u8 *s, const u8 *e)
    {
        static const detail::FixedStringSet notNames = {
            "Authority",      "Issuing",     "Intermediate",  "Root",         "Server",     "Servers", "Service",
            "Services",       "Certificate", "Certification", "Global",       "Trust",      "Trusted", "Secure",
            "Class",          "Policy",      "Primary",       "Validation",   "Code",       "Signing", "Corporation",
            "Corp",           "Inc",         "Ltd",           "Limited",      "Company",    "Group",   "Network",
            "Networks",       "Systems",     "Software",      "Technologies", "Solutions",  "Bank",    "University",
            "Users",          "Computers",   "Domain",        "Controllers",  "Controller", "Admin",   "Administrator",
            "Administrators", "Client",      "Device",        "Machine",      "Update",     "Test",    "Default",
            "Local",          "Web",         "Mail",          "Proxy",        "Gateway",    "Printer", "Encryption",
            "Everywhere",     "Management",  "Agent",         "Endpoint",     "Security",   "Cloud",   "Internet",
            "Microsoft",      "Google",      "Apple",         "Amazon",       "Windows",    "Azure",   "Enterprise",
            "Hosting",        "Platform",    "Remote",        "Desktop",      "Terminal",   "Office",  "Store",
            "Wireless",       "Printers",    "Backup",        "Database",     "Sub",        "Public",  "Private",
            "Identity",       "Portal",      "Access",        "Team",         "Support"};
        int words = 0;
        for (const u8 *w = s; w < e;) {
            const u8 *we = w;
            while (we < e && *we != ' ')
                ++we;
            if (we == w || ++words > 4)
                return false;
            const std::string_view word(reinterpret_cast<const char *>(w), size_t(we - w));
            // "J." (an initial), "Anne-Marie", "O'Brien", "de"/"van" between the others
            const bool particle = words > 1 && (word == "de" || word == "van" || word == "von" || word == "da" ||
                                                word == "del" || word == "der" || word == "le" || word == "la");
            if (!particle) {
                if (!isUpper(*w) || word.size() < 2 || notNames.contains(word))
                    return false;
                const bool initial = word.size() == 2 && word[1] == '.';
                for (const u8 *c = w + 1; c < we && !initial; ++c) {
                    const bool ok = (*c >= 'a' && *c <= 'z') || *c >= 0x80 ||
                                    ((*c == '-' || *c == '\'') && c + 1 < we && isAlpha(c[1]));
                    if (!ok && !(isUpper(*c) && (c[-1] == '-' || c[-1] == '\'')))
                        return false;
                }
            }
            w = we < e ? we + 1 : we;
        }
        return words >= 2;
    }

    // The start of the line that p is on, looking at most `cap` bytes back.
    const u8 *lineStartWithin(const u8 *p, qptrdiff cap) const
    {
        const u8 *ls = p;
        while (ls > m_b && ls[-1] != '\n' && p - ls < cap)
            --ls;
        return ls;
    }

    // The end of the line that p is on (its '\n'), looking at most `cap` bytes ahead.
    const u8 *lineEndWithin(const u8 *p, qptrdiff cap) const
    {
        const qptrdiff n = std::min<qptrdiff>(m_e - p, cap);
        const auto *nl = static_cast<const u8 *>(std::memchr(p, '\n', size_t(n)));
        return nl ? nl : p + n;
    }

    // A word of two or more capitals and nothing else at p ("INFORMATION", "NAME").
    bool allCapitalsWordAt(const u8 *p) const
    {
        const u8 *e = p;
        while (e < m_e && isUpper(*e))
            ++e;
        return e - p >= 2 && (e == m_e || !isAlnum(*e));
    }

    // The word before p (after one blank) says "a kind of": "per", "each", "every"...
    bool afterQuantifier(const u8 *p) const
    {
        if (p - m_b < 4 || p[-1] != ' ')
            return false;
        const u8 *e = p - 1;
        const u8 *s = e;
        while (s > m_b && isAlpha(s[-1]) && e - s < 8)
            --s;
        if (s == e || (s > m_b && isAlnum(s[-1])))
            return false;
        static const detail::FixedStringSet quantifiers = {"per",    "each", "every", "all",   "any",    "multi",
                                                           "single", "end",  "non",   "other", "another"};
        std::array<char, 64> buf; // written before read
        return quantifiers.contains(lowerInto(std::string_view(reinterpret_cast<const char *>(s), size_t(e - s)), buf));
    }

    // "user jdoe logged in", "User CONTOSO\\jdoe authenticated": the word after
    // "user" unless it is a word of prose ("user logged in", "User Manager").
    const u8 *onUserWord(const u8 *p)
    {
        if (m_e - p >= 4 && p[0] == ' ' && p[1] == '<' && isAlnum(p[2])) {
            // Cisco ASA: "Group <GroupPolicy_VPN> User <jdoe> IP <203.0.113.7>"
            const u8 *e = nameEnd(p + 2);
            if (e >= m_e || *e != '>' || std::memchr(p + 2, '@', size_t(e - p - 2)) ||
                isPlaceholder(std::string_view(reinterpret_cast<const char *>(p + 2), size_t(e - p - 2))))
                return nullptr;
            emitNameValue(p + 2, e);
            return e + 1;
        }
        if (m_e - p < 3 || *p != ' ' || !(isAlnum(p[1]) || p[1] == '\'' || p[1] == '"'))
            return nullptr;
        const u8 *s = p + 1;
        // "User 'kwilson' logged in": the name in quotes.
        const u8 quote = isAlnum(*s) ? 0 : *s;
        if (quote)
            ++s;
        const u8 *e = nameEnd(s);
        if (e == s || std::memchr(s, '@', size_t(e - s)) || std::memchr(s, '$', size_t(e - s)) ||
            (quote && (e >= m_e || *e != quote)))
            return nullptr;

        const std::string_view word(reinterpret_cast<const char *>(s), size_t(e - s));
        // and the first part of "User Configuration\Windows Settings" (Group Policy)
        const std::string_view head = word.substr(0, word.find('\\'));
        if (isProseWord(word) || hasEnglishWordEnding(word) || isProseWord(head))
            return nullptr;
        if (e < m_e && !(isBlank(*e) || *e == ',' || *e == ';' || *e == ')' || *e == '\n' || *e == '\r' || *e == '\'' ||
                         *e == '"' || *e == '(' || (*e == '.' && (e + 1 == m_e || !isAlnum(e[1]))) ||
                         (*e == ':' && (e + 1 == m_e || !isAlnum(e[1])))))
            return nullptr;
        emitNameValue(s, e);
        return e;
    }

    // PAM: "session opened for user root(uid=0) by jdoe(uid=1000)".
    const u8 *onByUid(const u8 *p)
    {
        if (p >= m_e || *p != ' ')
            return nullptr;
        const u8 *s = p + 1;
        const u8 *e = nameEnd(s);
        if (e == s || m_e - e < 5 || !ieq(e, "(uid=", 5))
            return nullptr;
        emitUser(s, e, rid::Username);
        return e;
    }

    // cron: "CRON[2201]: (jdoe) CMD (/home/jdoe/bin/backup.sh)". p..c is "CMD".
    const u8 *onCron(const u8 *p, const u8 *c)
    {
        if (p - m_b < 4 || p[-1] != ' ' || p[-2] != ')' || m_e - c < 2 || c[0] != ' ' || c[1] != '(')
            return nullptr;
        const u8 *ne = p - 2;
        const u8 *ns = ne;
        while (ns > m_b && (isNameChar(ns[-1]) || ns[-1] == '\\') && ne - ns < 64)
            --ns;
        if (ns == ne || ns == m_b || ns[-1] != '(' || ns < m_from)
            return nullptr;
        emitNameValue(ns, ne);
        return c;
    }

    // su's log line: "(to root) jdoe on pts/0".
    const u8 *onSu(const u8 *p)
    {
        const u8 *t = nameEnd(p);
        if (t == p || m_e - t < 3 || t[0] != ')' || t[1] != ' ')
            return nullptr;
        const u8 *s = t + 2;
        const u8 *e = nameEnd(s);
        if (e == s || m_e - e < 4 || !ieq(e, " on ", 4))
            return nullptr;
        emitUser(s, e, rid::Username);
        return e;
    }

    // Windows machine accounts: "tookdc11$", "CONTOSO\FILESRV$" (the host name).
    const u8 *onDollar(const u8 *p)
    {
        if (p + 1 < m_e && (isAlnum(p[1]) || p[1] == '{' || p[1] == '(' || p[1] == '_'))
            return p + 1;
        const u8 *s = p;
        while (s > m_b && (isAlnum(s[-1]) || s[-1] == '-' || s[-1] == '_') && p - s < 20)
            --s;
        if (s > m_b && !(isBlank(s[-1]) || s[-1] == '\\' || s[-1] == '"' || s[-1] == '\'' || s[-1] == '(' ||
                         s[-1] == '=' || s[-1] == ',' || s[-1] == ':' || s[-1] == '[' || s[-1] == '\n'))
            return p + 1;
        if (!hostLike(s, p))
            return p + 1;
        static const detail::FixedStringSet shares = {"admin", "ipc", "print", "sysvol", "netlogon"};
        std::array<char, 64> buf; // written before read
        if (shares.contains(lowerInto(std::string_view(reinterpret_cast<const char *>(s), size_t(p - s)), buf)))
            return p + 1;
        addMatch(s, p, rid::Hostname);
        return p + 1;
    }

    // DOMAIN\user (tasklist /v, net use, smbd, event text): the domain and the
    // user each get their token; a machine account (DOMAIN\HOST$) is a host.
    // p is the backslash. The domain is upper case (or follows "user:").
    const u8 *tryDomainUser(const u8 *p)
    {
        if (p + 2 >= m_e || !isNameChar(p[1]))
            return nullptr;
        const u8 *ds = p;
        while (ds > m_b && (isAlnum(ds[-1]) || ds[-1] == '-' || ds[-1] == '_') && p - ds < 16)
            --ds;
        if (p - ds < 2 || p - ds > 15 || !isAlpha(*ds))
            return nullptr;
        bool lower = false;
        for (const u8 *c = ds; c < p; ++c)
            lower = lower || (*c >= 'a' && *c <= 'z');
        // "Server=SQL01\INSTANCE2", "Data Source=db01\SQLEXPRESS": a SQL Server's host
        // and its instance's name, in any case
        bool sqlServer = false;
        if (ds - m_b >= 2 && ds[-1] == '=') {
            const u8 *ke = ds - 1;
            const u8 *ks = ke;
            while (ks > m_b && (isAlnum(ks[-1]) || ks[-1] == ' ') && ke - ks < 24)
                --ks;
            std::array<char, 48> keyBuf; // written before read
            const std::string_view key = normalizeKey(ks, ke, keyBuf);
            sqlServer = key == "server" || key == "datasource" || key == "address" || key == "addr" || key == "host";
        }
        if (ds > m_b && !sqlServer) {
            const u8 c = ds[-1];
            if (c == ':') {
                if (ds - m_b < 2 || !isAlpha(ds[-2]))
                    return nullptr; // "C:\dir"
            } else if (!(isBlank(c) || c == '"' || c == '\'' || c == '(' || c == '=' || c == ',' || c == '[' ||
                         c == '\n' || c == '>')) {
                return nullptr;
            } else if (lower && c != '\n') {
                return nullptr;
            }
        }
        const u8 *us = p + 1;
        const u8 *ue = us;
        while (ue < m_e && (isNameChar(*ue) || *ue == '$') && ue - us < 64)
            ++ue;
        while (ue > us && (ue[-1] == '.' || ue[-1] == '-'))
            --ue;
        // whoami prints "corp\\mlopez" in lower case, alone or before its SID column
        if (lower && ds > m_b && !sqlServer &&
            !(ue == m_e || *ue == '\n' || *ue == '\r' || (m_e - ue >= 2 && ue[0] == ' ' && ue[1] == ' ')))
            return nullptr;
        if (ue - us < 2 || (ue < m_e && (*ue == '\\' || *ue == '/' || *ue == '%' || isAlnum(*ue))))
            return nullptr; // a path ("SOFTWARE\Microsoft\Windows")
        // escapes in a quoted string: "\u00e9", "\x41"
        if ((*us == 'u' && ue - us == 5 && isHex(us[1]) && isHex(us[4])) || (*us == 'x' && ue - us == 3))
            return nullptr;
        const std::string_view domain(reinterpret_cast<const char *>(ds), size_t(p - ds));
        // Registry hives and path words, Group Policy's "User Configuration\Windows Settings",
        // certificate stores ("Cert:\LocalMachine\Root"), WMI namespaces ("ROOT\CIMV2") and
        // the buses of Windows device ids ("USB\VID_046D&PID_C52B", "PCI\VEN_8086&DEV_15BC").
        static const detail::FixedStringSet hives = {
            "hklm",     "hkcu",    "hku",           "hkcr",     "hkcc",     "registry",   "software",     "system",
            "system32", "windows", "configuration", "settings", "policies", "templates",  "localmachine", "currentuser",
            "root",     "usb",     "usbstor",       "pci",      "pciide",   "hid",        "scsi",         "acpi",
            "hdaudio",  "bthenum", "bthledevice",   "bth",      "swd",      "display",    "storage",      "ide",
            "umb",      "monitor", "wpdbusenum",    "htree",    "sd",       "intelaudio", "mmdevapi"};
        std::array<char, 64> buf; // written before read
        // Windows' virtual accounts: "NT SERVICE\TrustedInstaller", "NT VIRTUAL MACHINE\...", "IIS APPPOOL\x".
        const bool virtualAccount = ds - m_b >= 3 && ds[-1] == ' ' &&
                                    ((ds - m_b >= 3 && std::memcmp(ds - 3, "NT ", 3) == 0) ||
                                     (ds - m_b >= 4 && std::memcmp(ds - 4, "IIS ", 4) == 0) ||
                                     (ds - m_b >= 11 && std::memcmp(ds - 11, "NT VIRTUAL ", 11) == 0));
        const bool deviceId = (ue < m_e && *ue == '&') || (m_e - us >= 4 && (ieq(us, "vid_", 4) || ieq(us, "ven_", 4)));
        if (virtualAccount || deviceId || systemIdentityEnd(ds, m_e) || hives.contains(lowerInto(domain, buf)) ||
            domain.starts_with("HKEY") || isSystemDomain(domain)) {
            const u8 *se = systemIdentityEnd(ds, m_e);
            return se && se > ue ? se : ue; // "NT AUTHORITY\LOCAL SERVICE"
        }
        if (sqlServer) {
            addMatch(ds, p, rid::Hostname);
            return ue;
        }
        addMatch(ds, p, rid::Domain);
        if (ue[-1] == '$') {
            if (hostLike(us, ue - 1))
                addMatch(us, ue - 1, rid::Hostname);
        } else {
            emitUser(us, ue, rid::Username);
        }
        return ue;
    }

    // UNC paths: \\host\share (and JSON-escaped \\\\host\\share).
    const u8 *tryUnc(const u8 *p)
    {
        if (p > m_b && (isAlnum(p[-1]) || p[-1] == '\\' || p[-1] == ':' || p[-1] == '/' || p[-1] == '.' ||
                        p[-1] == '%' || p[-1] == '$'))
            return nullptr;
        const u8 *h = p;
        while (h < m_e && *h == '\\' && h - p < 5)
            ++h;
        if ((h - p != 2 && h - p != 4) || h >= m_e || !isAlnum(*h))
            return nullptr;
        const u8 *he = h;
        while (he < m_e && isHostChar(*he) && he - h < 253)
            ++he;
        while (he > h && (he[-1] == '.' || he[-1] == '-'))
            --he;
        if (he < m_e && !(*he == '\\' || isBlank(*he) || *he == '"' || *he == '\'' || *he == '\n' || *he == '\r'))
            return nullptr;
        emitHost(h, he, false);
        return he;
    }

    // "net use Z: \\host\share /user:DOMAIN\name password": the words of the
    // command that are not a drive, a path, an option or '*' are passwords.
    const u8 *onNetUse(const u8 *p)
    {
        const u8 *le = lineEndWithin(p, 1024);
        const u8 *q = p;
        const u8 *last = p;
        while (q < le) {
            while (q < le && isBlank(*q))
                ++q;
            const u8 *w = q;
            while (q < le && !isBlank(*q) && *q != '\r')
                ++q;
            if (q == w)
                break;
            const auto n = size_t(q - w);
            if (*w == '\\') {
                tryUnc(w);
                continue;
            }
            if ((n == 1 && *w == '*') || (n == 2 && w[1] == ':'))
                continue; // prompt, drive
            if (*w == '/') {
                if (n > 6 && ieq(w, "/user:", 6)) {
                    const u8 *v = w + 6;
                    const u8 *bs = static_cast<const u8 *>(std::memchr(v, '\\', size_t(q - v)));
                    if (bs && bs - v >= 1) {
                        if (!isSystemDomain(std::string_view(reinterpret_cast<const char *>(v), size_t(bs - v))))
                            addMatch(v, bs, rid::Domain);
                        emitUser(bs + 1, q, rid::Username);
                    } else {
                        emitUser(v, q, rid::Username);
                    }
                }
                continue;
            }
            if (!isPlaceholder(std::string_view(reinterpret_cast<const char *>(w), n)) && n >= 2) {
                static const detail::FixedStringSet words = {"delete", "/delete", "yes", "no", "persistent"};
                std::array<char, 64> buf; // written before read
                if (!words.contains(lowerInto(std::string_view(reinterpret_cast<const char *>(w), n), buf)))
                    addMatch(w, q, rid::PasswordValue);
            }
            last = q;
        }
        (void)last;
        return le;
    }

    // One token of a .netrc: a word, or a quoted string; blanks and line
    // ends before it are skipped. Returns {start, end}, empty at the end.
    std::pair<const u8 *, const u8 *> netrcToken(const u8 *q, const u8 *limit) const
    {
        while (q < limit && (isBlank(*q) || *q == '\n' || *q == '\r'))
            ++q;
        if (q < limit && *q == '"') {
            const auto *close = static_cast<const u8 *>(std::memchr(q + 1, '"', size_t(limit - q - 1)));
            return close ? std::pair{q + 1, close} : std::pair{limit, limit};
        }
        const u8 *e = q;
        while (e < limit && !isBlank(*e) && *e != '\n' && *e != '\r')
            ++e;
        return {q, e};
    }

    // .netrc (curl, ftp, git): "machine NAME login USER password PASS [account A]",
    // the pairs on one line or on the lines that follow. Only at a line's
    // start, and only when a login, password or account pair follows, so
    // "machine learning" in prose stays.
    const u8 *onNetrc(const u8 *p, const u8 *end)
    {
        const u8 *ls = p;
        while (ls > m_b && isBlank(ls[-1]))
            --ls;
        if (!(ls == m_b || ls[-1] == '\n') || end >= m_e || !isBlank(*end))
            return nullptr;
        const u8 *limit = m_e - end > 4096 ? end + 4096 : m_e;
        const u8 *q = end;
        if (p[0] == 'm' || p[0] == 'M') {
            const auto [hs, he] = netrcToken(q, limit); // the server: a host rule decides on it
            if (hs == he)
                return nullptr;
            q = he;
        }
        const u8 *last = nullptr;
        for (;;) {
            const auto [ks, ke] = netrcToken(q, limit);
            const auto key = std::string_view(reinterpret_cast<const char *>(ks), size_t(ke - ks));
            const bool login = key == "login", secret = key == "password" || key == "account";
            if (!login && !secret)
                break;
            const auto [vs, ve] = netrcToken(ke, limit);
            if (vs == ve)
                break;
            if (login)
                emitUser(vs, ve, rid::Username);
            else if (!isPlaceholder(std::string_view(reinterpret_cast<const char *>(vs), size_t(ve - vs))))
                addMatch(vs, ve, rid::PasswordValue);
            q = last = ve + (ve < limit && *ve == '"');
        }
        return last;
    }

    // "device id 5f2b8c9d...", "installation id: {8F2A3C4D-...}": an id of 16 or
    // more hex digits (dashes and braces allowed) after words that say whose.
    const u8 *onIdPhrase(const u8 *p)
    {
        const u8 *v = p;
        while (v < m_e && (isBlank(*v) || *v == ':' || *v == '=') && v - p < 4)
            ++v;
        if (v == p)
            return nullptr;
        const bool brace = v < m_e && *v == '{';
        const u8 *s = v + brace;
        const u8 *e = s;
        int hex = 0;
        while (e < m_e && (isHex(*e) || *e == '-') && e - s < 64)
            hex += *e++ != '-';
        if (hex < 16 || (e < m_e && (isAlnum(*e) || *e == '_')) || e[-1] == '-')
            return nullptr;
        addMatch(s, e, rid::MachineId);
        return e;
    }

    // FreeRADIUS: 'Cleartext password "hunter2" does not match ...'.
    const u8 *onQuotedPassword(const u8 *p)
    {
        const u8 *close = quotedAfterBlank(p, 512);
        if (!close)
            return nullptr;
        addMatch(p + 2, close, rid::PasswordValue);
        return close + 1;
    }

    // FreeRADIUS: "Login OK: [jdoe] (from client ...)", "Login incorrect
    // (pap: ...): [jdoe/hunter2] (from client ...)": the name in brackets, and
    // the password after its slash when auth_badpass/auth_goodpass log it.
    const u8 *onRadiusLogin(const u8 *p)
    {
        const u8 *le = lineEndWithin(p, 1024);
        const std::string_view line(reinterpret_cast<const char *>(p), size_t(le - p));
        const size_t open = line.find(": [");
        if (open == std::string_view::npos || isTokenAt(p + open + 2))
            return nullptr;
        // the reason in parentheses comes first: 'Cleartext password "..."'
        if (const size_t clear = line.substr(0, open).find("Cleartext password"); clear != std::string_view::npos)
            onQuotedPassword(p + clear + 18);
        const u8 *n = p + open + 3;
        const size_t from = line.rfind("] (from client ");
        const u8 *close = from != std::string_view::npos && p + from >= n ? p + from : nullptr;
        if (!close)
            close = static_cast<const u8 *>(std::memchr(n, ']', size_t(le - n)));
        if (!close || close == n)
            return nullptr;
        const u8 *slash = n;
        while (slash < close && *slash != '/')
            ++slash;
        emitUser(n, slash, rid::Username);
        if (slash + 1 < close && slash[1] != '<') // "<via Auth-Type = EAP>" is no password
            addMatch(slash + 1, close, rid::PasswordValue);
        return close;
    }

    // reg query: "    MachineGuid    REG_SZ    8f3c...". p..t is the type.
    const u8 *onRegType(const u8 *p, const u8 *t)
    {
        if (p - m_b < 2 || !isBlank(p[-1]) || t >= m_e || !isBlank(*t))
            return nullptr;
        const u8 *ne = p;
        while (ne > m_b && isBlank(ne[-1]) && p - ne < 32)
            --ne;
        const u8 *ns = ne;
        while (ns > m_b && isKeyChar(ns[-1]) && ne - ns < 64)
            --ns;
        if (ns == ne)
            return nullptr;
        std::array<char, 48> buf; // written before read
        const std::string_view key = normalizeKey(ns, ne, buf);
        const KeyKind kind = classifyKey(key);
        if (kind == KeyNone)
            return t;
        const u8 *v = t;
        while (v < m_e && isBlank(*v) && v - t < 32)
            ++v;
        return onValue(kind, key, t, v, ' ');
    }

    // Command-line options with their value after a blank: "--host X",
    // "--user X", "--password X" (not "--user" flags of systemctl and pip), and
    // the short options of tools that take a user or password ("mysql -u X
    // -pSECRET", "psql -U X", "sudo -u X", "curl -u user:pass").
    const u8 *onOption(const u8 *p)
    {
        const u8 *ls = p;
        const auto lineStart = [&ls, p, this] { ls = lineStartWithin(p, 512); };
        if (p[1] == '-') {
            const u8 *o = p + 2;
            const u8 *oe = o;
            while (oe < m_e && (isAlnum(*oe) || *oe == '-' || *oe == '_') && oe - o < 40)
                ++oe;
            if (oe - o < 2 || m_e - oe < 2 || *oe != ' ' || isBlank(oe[1]) || oe[1] == '\n')
                return nullptr;
            if (oe[1] == '-') {
                // "--password -Xy9z": a password may start with '-'; an option ("--user", "-u") may not follow
                const u8 *w = oe + 1;
                while (w < m_e && !isBlank(*w) && *w != '\n' && w - oe < 64)
                    ++w;
                if (!(ieq(o, "pass", 4) && w - oe > 4 && oe[2] != '-'))
                    return nullptr;
            }
            if (ieq(o, "no-", 3))
                return nullptr;
            std::array<char, 48> buf; // written before read
            const std::string_view key = normalizeKey(o, oe, buf);
            const KeyKind kind = classifyKey(key);
            if (kind != KeyHost && kind != KeyUser && kind != KeyPassword && kind != KeySecret && kind != KeyServer)
                return nullptr;
            lineStart();
            if (kind == KeyUser &&
                lineHasCommand(ls, p,
                               {"systemctl", "journalctl", "busctl", "pip", "pip3", "pipx", "flatpak", "dconf",
                                "gsettings", "npm", "python", "python3", "systemd", "systemd-run"}))
                return nullptr;
            if (kind == KeyUser) {
                // "--user" as a flag before prose: "(systemd --user integration)"
                const u8 *ve = oe + 1;
                while (ve < m_e && isAlpha(*ve) && ve - oe < 40)
                    ++ve;
                const std::string_view word(reinterpret_cast<const char *>(oe + 1), size_t(ve - oe - 1));
                if (isProseWord(word) || hasEnglishWordEnding(word))
                    return nullptr;
                if (lineHasCommand(ls, p, {"curl", "wget", "http", "https"}))
                    return userPasswordValue(oe + 1, 0); // "curl --user name:password"
            }
            return onValue(kind, key, oe, oe + 1, ' ');
        }
        // PowerShell's parameters: "-Password 'x'", "-Username sa" (a word of
        // four letters or more after one dash, then a blank and the value)
        if (const u8 *q = onPowerShellParameter(p))
            return q;
        // short options
        const u8 opt = p[1];
        if (!(opt == 'u' || opt == 'U' || opt == 'p' || opt == 'l' || opt == 'a' || opt == 'w'))
            return nullptr;
        const bool spaced = p[2] == ' ';
        if (!spaced && !(opt == 'p' && p[2] > ' '))
            return nullptr;
        const u8 *v = spaced ? p + 3 : p + 2;
        if (v >= m_e || *v == '-' || isBlank(*v) || *v == '\n')
            return nullptr;
        lineStart();
        KeyKind kind = KeyNone;
        if (opt == 'u' &&
            lineHasCommand(ls, p,
                           {"mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlcheck", "mariadb", "mariadb-dump",
                            "sudo", "runuser", "crontab", "mongo", "mongosh", "mongodump", "docker", "podman", "curl"}))
            kind = KeyUser;
        else if (opt == 'U' && lineHasCommand(ls, p,
                                              {"psql", "pg_dump", "pg_dumpall", "pg_restore", "createdb", "dropdb",
                                               "pg_basebackup", "smbclient", "rpcclient", "smbmap"}))
            kind = KeyUser;
        else if (opt == 'l' && spaced && lineHasCommand(ls, p, {"ssh", "slogin"}))
            kind = KeyUser;
        else if (opt == 'p' && !spaced &&
                 lineHasCommand(
                     ls, p,
                     {"mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlcheck", "mariadb", "mariadb-dump"}))
            kind = KeyPassword;
        else if (opt == 'p' && spaced &&
                 lineHasCommand(ls, p, {"sshpass", "mongo", "mongosh", "mongodump", "docker", "podman"}))
            kind = KeyPassword;
        else if (opt == 'a' && spaced && lineHasCommand(ls, p, {"redis-cli"}))
            kind = KeyPassword;
        else if (opt == 'w' && spaced &&
                 lineHasCommand(ls, p,
                                {"ldapsearch", "ldapmodify", "ldapadd", "ldapdelete", "ldapwhoami", "ldappasswd",
                                 "ldapcompare", "ldapmodrdn", "ldapexop"}))
            kind = KeyPassword;
        if (kind == KeyNone)
            return nullptr;
        // In quotes (auditd's a2="-pSECRET"), the value ends at the closing one.
        const u8 quote = p > m_b && p[-1] == '"' ? '"' : 0;
        if (kind == KeyUser)
            return userPasswordValue(v, quote);
        const u8 *e = v;
        while (e < m_e && !isBlank(*e) && *e != '\n' && *e != '\r' && (!quote || *e != quote) && e - v < 256)
            ++e;
        if (!isPlaceholder(std::string_view(reinterpret_cast<const char *>(v), size_t(e - v))))
            addMatch(v, e, rid::PasswordValue);
        return e;
    }

    const u8 *onPowerShellParameter(const u8 *p)
    {
        const u8 *o = p + 1;
        const u8 *oe = o;
        while (oe < m_e && isAlpha(*oe) && oe - o < 32)
            ++oe;
        if (oe - o < 4 || !isUpper(*o) || m_e - oe < 2 || *oe != ' ' || isBlank(oe[1]) || oe[1] == '-' || oe[1] == '\n')
            return nullptr;
        std::array<char, 48> buf; // written before read
        const std::string_view key = normalizeKey(o, oe, buf);
        KeyKind kind = classifyKey(key);
        // "ConvertTo-SecureString -String 'x' -AsPlainText": the plain text of a secret
        if (key == "string") {
            const u8 *ls = lineStartWithin(p, 512);
            const std::string_view before(reinterpret_cast<const char *>(ls), size_t(p - ls));
            if (before.find("ConvertTo-SecureString") != std::string_view::npos ||
                before.find("convertto-securestring") != std::string_view::npos)
                kind = KeyPassword;
        }
        if (kind != KeyPassword && kind != KeySecret && kind != KeyUser)
            return nullptr;
        // "-Password (ConvertTo-SecureString "x" -AsPlainText -Force)"
        if (kind == KeyPassword && oe[1] == '(')
            return onValue(kind, key, oe + 1, oe + 2, ' ');
        return onValue(kind, key, oe, oe + 1, ' ');
    }

    // An option's user value at v, which may carry its password: "curl -u
    // user:password", "curl --user user:password", "smbclient -U
    // DOMAIN\\user%password". Ends at a blank (or at `quote`).
    const u8 *userPasswordValue(const u8 *v, u8 quote)
    {
        const u8 *e = v;
        while (e < m_e && !isBlank(*e) && *e != '\n' && *e != '\r' && *e != ':' && *e != '%' &&
               (!quote || *e != quote) && e - v < 128)
            ++e;
        if (e < m_e && (*e == ':' || *e == '%')) {
            const u8 *pe = e + 1;
            while (pe < m_e && !isBlank(*pe) && *pe != '\n' && *pe != '\r' && (!quote || *pe != quote) && pe - e < 256)
                ++pe;
            emitNameValue(v, e);
            if (pe - e > 1 &&
                !isPlaceholder(std::string_view(reinterpret_cast<const char *>(e + 1), size_t(pe - e - 1))))
                addMatch(e + 1, pe, rid::PasswordValue);
            return pe;
        }
        emitNameValue(v, e);
        return e;
    }

    // Whether a word of ls..p (a command line) names one of the tools (its
    // last path component, so "/usr/bin/mysqldump" is "mysqldump").
    bool lineHasCommand(const u8 *ls, const u8 *p, std::initializer_list<std::string_view> tools) const
    {
        const u8 *q = ls;
        while (q < p) {
            while (q < p && (isBlank(*q) || *q == '+' || *q == '$' || *q == '#' || *q == '>' || *q == '\'' ||
                             *q == '"' || *q == '('))
                ++q;
            const u8 *w = q;
            while (q < p && !isBlank(*q))
                ++q;
            // The command's name: after its folder, or after "_CMDLINE=", "proctitle=",
            // a JSON key's quote ({"_CMDLINE":"mysql ...), and without the quotes
            // around it (a0="mysql", "C:\\Program Files\\MySQL\\bin\\mysql.exe").
            const u8 *we = q;
            while (we > w && (we[-1] == '"' || we[-1] == '\'' || we[-1] == ','))
                --we;
            const u8 *base = w;
            for (const u8 *c = w; c < we; ++c) {
                if (*c == '/' || *c == '\\' || *c == '=' || *c == '"' || *c == '\'' || *c == '{' || *c == ':')
                    base = c + 1;
            }
            if (we - base > 4 && ieq(we - 4, ".exe", 4))
                we -= 4;
            std::array<char, 64> buf; // written before read
            const std::string_view word =
                lowerInto(std::string_view(reinterpret_cast<const char *>(base), size_t(we - base)), buf);
            for (std::string_view t : tools) {
                if (word == t)
                    return true;
            }
        }
        return false;
    }

    // A user value that may be DOMAIN\name: each part gets its own token.
    void emitNameValue(const u8 *s, const u8 *e)
    {
        if (const u8 *bs = static_cast<const u8 *>(std::memchr(s, '\\', size_t(e - s)))) {
            const u8 *us = bs + 1;
            while (us < e && *us == '\\')
                ++us;
            if (bs > s && !isSystemDomain(std::string_view(reinterpret_cast<const char *>(s), size_t(bs - s))))
                addMatch(s, bs, rid::Domain);
            emitUser(us, e, rid::Username);
            return;
        }
        if (std::memchr(s, '@', size_t(e - s)))
            return; // an e-mail address: the '@' rule
        emitUser(s, e, rid::Username);
    }

    // ---- e-mail ---------------------------------------------------------

    // The domain part after '@' (or in a URL): labels separated by dots.
    // Returns the end, or nullptr. `dots` counts the dots.
    const u8 *hostEnd(const u8 *p, int &dots, const u8 *&lastLabel) const
    {
        const u8 *q = p;
        dots = 0;
        lastLabel = p;
        while (q < m_e && q - p < 253) {
            const u8 *ls = q;
            while (q < m_e && (kMore[*q] & MLabel))
                ++q;
            if (q == ls)
                break;
            lastLabel = ls;
            if (q + 1 < m_e && *q == '.' && (isAlnum(q[1])))
                ++dots, ++q;
            else
                break;
        }
        return q == p ? nullptr : q;
    }

    const u8 *onAt(const u8 *p) { return onAt(p, p + 1); }

    // An e-mail address around p..a: the '@', or "%40" in URL-encoded text.
    const u8 *onAt(const u8 *p, const u8 *a)
    {
        const u8 *s = p;
        while (s > m_b && (kBits[s[-1]] & BLocal) && p - s < 64)
            --s;
        while (s < p && (*s == '.' || *s == '-' || *s == '+'))
            ++s;
        if (s == p || a >= m_e)
            return a;
        // "sshd: jdoe@pts/0", "jdoe@notty": a user at a terminal.
        if (m_e - a >= 4 && (std::memcmp(a, "pts/", 4) == 0 || std::memcmp(a, "tty", 3) == 0 ||
                             (m_e - a >= 5 && std::memcmp(a, "notty", 5) == 0))) {
            const u8 *t = a;
            while (t < m_e && (isAlnum(*t) || *t == '/'))
                ++t;
            if (t < m_e && *t == '.')
                return t; // "getty@tty1.service"
            if (!std::memchr(s, '%', size_t(p - s)))
                emitUser(s, p, rid::Username);
            return a;
        }
        // "ssh jdoe@10.20.5.6", "scp f root@192.168.1.50:/tmp": a user at an address
        // (not "pkg@1.2.3.4", a version: the name must start a word of its own).
        if (isDigit(*a) && (s == m_b || isBlank(s[-1]) || s[-1] == '\'' || s[-1] == '"' || s[-1] == '\n' ||
                            s[-1] == '=' || s[-1] == '(')) {
            std::array<int, 4> oct{};
            const u8 *ie = parseIpv4(a, m_e, oct);
            if (ie && (ie == m_e || !(isAlnum(*ie) || *ie == '.' || *ie == '-' || *ie == '_')) &&
                !std::memchr(s, '%', size_t(p - s)) &&
                !lineHasCommand(lineStartWithin(s, 512), s, {"npm", "npx", "pnpm", "yarn", "bun", "deno"})) {
                emitUser(s, p, rid::Username);
                if (!isNonPersonalIpv4(oct))
                    addMatch(a, ie, rid::Ipv4);
                return ie;
            }
        }
        int dots = 0;
        const u8 *lastLabel = nullptr;
        const u8 *e = hostEnd(a, dots, lastLabel);
        if (e && dots == 0 && !std::memchr(s, '%', size_t(p - s)) &&
            (s == m_b || isBlank(s[-1]) || s[-1] == '\'' || s[-1] == '\n'))
            return onUserAtName(s, p, a, e);
        if (!e || dots == 0)
            return a;
        std::string_view tld(reinterpret_cast<const char *>(lastLabel), e - lastLabel);
        bool alphaTld = tld.size() >= 2;
        for (char c : tld)
            alphaTld = alphaTld && isAlpha(static_cast<u8>(c));
        if (!alphaTld) {
            // "jane@example.com_backup", "jane@example.com-old": the address ends at the top-level domain.
            size_t cut = 0;
            while (cut < tld.size() && isAlpha(static_cast<u8>(tld[cut])))
                ++cut;
            if (cut < 2 || cut == tld.size() || (tld[cut] != '_' && tld[cut] != '-'))
                return a;
            e = lastLabel + cut;
            tld = tld.substr(0, cut);
        }
        static const detail::FixedStringSet units = {"service", "socket", "target", "timer", "mount",    "slice",
                                                     "scope",   "path",   "device", "swap",  "automount"};
        std::array<char, 64> buf; // written before read
        if (units.contains(lowerInto(tld, buf)))
            return e;
        // An address in a file's name ("kim.lee@contoso.com-2024-03-04.log"): it ends at
        // the top-level domain glued to the rest, not at the file's type.
        static const detail::FixedStringSet fileTypes = {"log", "txt", "pdf", "csv", "zip",  "gz",   "json", "xml",
                                                         "bak", "old", "tmp", "eml", "msg",  "docx", "xlsx", "pptx",
                                                         "doc", "xls", "png", "jpg", "html", "htm",  "dat",  "out"};
        if (fileTypes.contains(lowerInto(tld, buf))) {
            const u8 *typeDot = lastLabel - 1;
            bool cut = false;
            for (const u8 *l = a; l < lastLabel;) {
                const u8 *le = l;
                while (le < lastLabel && *le != '.')
                    ++le;
                const u8 *alpha = l;
                while (alpha < le && isAlpha(*alpha))
                    ++alpha;
                if (l > a && alpha - l >= 2 && alpha < le && (*alpha == '-' || *alpha == '_')) {
                    e = alpha;
                    cut = true;
                    break;
                }
                l = le + 1;
            }
            // "jdoe@corp.example.org.txt": the file's type is no label of the domain
            if (!cut && std::memchr(a, '.', size_t(typeDot - a)))
                e = typeDot;
        }
        const std::string_view local(reinterpret_cast<const char *>(s), p - s);
        static const detail::FixedStringSet roles = {
            "git",   "noreply",  "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster", "root",
            "abuse", "security", "support",  "webmaster",  "hostmaster",   "bugs",          "submit",     "nobody"};
        if (roles.contains(lowerInto(local, buf)))
            return e;
        if (e < m_e && *e == '>' && s - m_b >= 2 && s[-1] == '<' && s[-2] == ' ')
            emitDisplayName(s - 2);
        if (const u8 *q = kerberosPrincipal(s, p, a, e))
            return q;
        addMatch(s, e, rid::Email);
        return e;
    }

    // A Kerberos principal, "fnakamura@CORP.EXAMPLE.COM" or "host/ws-ana-26.corp.
    // example.com@CORP.EXAMPLE.COM": a realm in capitals after a name that is not
    // (an e-mail address written in capitals stays one). The user gets the
    // token it has elsewhere, a service's host its host token, the realm the
    // token of the domain it names. s..p: the name, a..e: the realm.
    const u8 *kerberosPrincipal(const u8 *s, const u8 *p, const u8 *a, const u8 *e)
    {
        // the name's start: after a service's '/' ("host/ws-ana-26...", "krbtgt/REALM")
        const bool service = s > m_b && s[-1] == '/';
        if (!std::all_of(a, e, [](u8 c) { return isUpper(c) || isDigit(c) || c == '.' || c == '-'; }) ||
            !(service || std::any_of(s, p, [](u8 c) { return c >= 'a' && c <= 'z'; })))
            return nullptr;
        if (service)
            emitHost(s, p, false); // the service's host (or realm)
        else
            emitUser(s, p, rid::Username);
        addMatch(a, e, rid::Hostname);
        return e;
    }

    // The person's name in front of an address in angle brackets, ending at
    // the blank at e: "Author: Jane Doe <jane@x>" (git), "From: \"Robert
    // Miller\" <r@x>" (mail headers): two to four capitalized words, quoted or
    // right after a key's colon or the line's start ("Support", "IT Helpdesk"
    // and other teams' names are kept).
    void emitDisplayName(const u8 *e)
    {
        if (e - m_b >= 3 && e[-1] == '"') {
            const u8 *close = e - 1;
            const u8 *open = close;
            while (open > m_b && open[-1] != '"' && open[-1] != '\n' && close - open < 64)
                --open;
            if (open > m_b && open[-1] == '"' && isPersonName(open, close))
                addMatch(open, close, rid::Username);
            return;
        }
        const u8 *s = e;
        while (s > m_b && s[-1] != '\n' && s[-1] != ':' && e - s < 64)
            --s;
        while (s < e && isBlank(*s))
            ++s;
        if (s > m_b && s[-1] != '\n' && s[-1] != ':' && !isBlank(s[-1]))
            return;
        if (isPersonName(s, e))
            addMatch(s, e, rid::Username);
    }

    // "name@word" without a dot: PostgreSQL's log prefix "jdoe@sales LOG:" (user
    // and database), and "ssh jdoe@ws-kim-04", a shell prompt "jdoe@ws-kim-04:~$"
    // (user and a host-like name). s..p is the name, a..e the word.
    const u8 *onUserAtName(const u8 *s, const u8 *p, const u8 *a, const u8 *e)
    {
        static constexpr std::string_view levels[] = {" LOG:",       " FATAL:", " ERROR:", " WARNING:", " DETAIL:",
                                                      " STATEMENT:", " HINT:",  " PANIC:", " NOTICE:",  " CONTEXT:"};
        for (std::string_view l : levels) {
            if (size_t(m_e - e) > l.size() && std::memcmp(e, l.data(), l.size()) == 0) {
                emitUser(s, p, rid::Username);
                return e;
            }
        }
        const bool end = e == m_e || isBlank(*e) || *e == '\n' || *e == '\r' || *e == '\'' ||
                         (*e == ':' && (e + 1 == m_e || e[1] == '~' || e[1] == '/' || e[1] == ' '));
        if (!end || !hostLike(a, e) || !isAlpha(*a))
            return e;
        const LowerCopy host(a, e);
        if (isLocalhostName(host.view()))
            return e;
        emitUser(s, p, rid::Username);
        addMatch(a, e, rid::Hostname);
        return e;
    }

    // ---- ':' : URLs, IPv6, MAC, key: value -------------------------------

    const u8 *onColon(const u8 *p)
    {
        if (p + 2 < m_e && p[1] == '/' && p[2] == '/')
            return onUrl(p);
        // "10:20:30": clock times are the most common colons in logs.
        if (p - m_b >= 2 && isDigit(p[-1]) && isDigit(p[-2]) && (p - 2 == m_b || !isHex(p[-3])) && m_e - p >= 4 &&
            isDigit(p[1]) && isDigit(p[2])) {
            const u8 *q = p + 3;
            int groups = 2;
            while (m_e - q >= 3 && *q == ':' && isDigit(q[1]) && isDigit(q[2]) && groups < 4)
                q += 3, ++groups;
            if (groups <= 3 && (q == m_e || !(isHex(*q) || *q == ':')))
                return q;
        }
        const bool prevAddr = p > m_b && (isHex(p[-1]) || p[-1] == ':');
        const bool nextAddr = p + 1 < m_e && (isHex(p[1]) || p[1] == ':');
        if (prevAddr || nextAddr) {
            if (const u8 *q = tryColonAddress(p))
                return q;
        }
        if (p > m_b && m_e - p > 4 && p[1] == 'x' && p[2] == ':' && isDigit(p[3])) {
            // passwd lines (getent passwd, /etc/passwd): "jdoe:x:1001:1001:..."
            const u8 *s = p;
            while (s > m_b && isNameChar(s[-1]) && p - s < 64)
                --s;
            if (s < p && (s == m_b || s[-1] == '\n')) {
                emitUser(s, p, rid::Username);
                passwdFullName(p);
                return p + 3;
            }
        }
        if (m_e - p > 6 && std::memcmp(p + 1, "user/", 5) == 0 && p - m_b >= 13 && p[-13] == ':' &&
            std::all_of(p - 12, p, [](u8 c) { return isDigit(c); })) {
            // An IAM ARN, "arn:aws:iam::123456789012:user/division/jdoe": the name is its last segment.
            const u8 *n = p + 6;
            const u8 *e = n;
            while (e < m_e && (isNameChar(*e) || *e == '/' || *e == '+' || *e == '=' || *e == ',') && e - n < 128)
                ++e;
            const u8 *ls = e;
            while (ls > n && ls[-1] != '/')
                --ls;
            emitUser(ls, e, rid::Username);
            return e;
        }
        return onKeyValue(p);
    }

    // The GECOS field of a passwd line after p ("...:x:1000:1000:Elisabeth
    // Bauer,Room 3.14,,:/home/..."): its first part, when it is a person's name.
    void passwdFullName(const u8 *p)
    {
        const u8 *le = lineEndWithin(p, 512);
        const u8 *g = p;
        for (int colons = 0; colons < 4 && g < le; ++g)
            colons += *g == ':' ? 1 : 0;
        const u8 *ge = g;
        while (ge < le && *ge != ',' && *ge != ':')
            ++ge;
        if (ge > g && ge < le && isPersonName(g, ge))
            addMatch(g, ge, rid::Username);
    }

    const u8 *tryColonAddress(const u8 *p)
    {
        const u8 *s = p;
        while (s > m_b && (kMore[s[-1]] & MHexColon) && p - s < 45)
            --s;
        const u8 *e = p;
        while (e < m_e && (kMore[*e] & MHexColonDot) && e - s < 60)
            ++e;
        while (e > p && e[-1] == '.')
            --e;
        // Glued to a word on the left ("addr:fe80::1", "std::x"): drop that segment.
        if (s > m_b && (isAlnum(s[-1]) || s[-1] == '_' || s[-1] == '.' || s[-1] == '-')) {
            const u8 *c = static_cast<const u8 *>(std::memchr(s, ':', p + 1 - s));
            s = c + 1;
            if (s < e && *s == ':' && (s + 1 >= e || s[1] != ':')) {
                // "x::1": the segment before "::" was dropped; not an address
                return nullptr;
            }
        }
        // Glued on the right ("::Bar"): drop the last segment.
        if (e < m_e && (isAlnum(*e) || *e == '_')) {
            while (e > s && e[-1] != ':')
                --e;
        }
        if (e - s < 2)
            return nullptr;
        const std::string_view cand(reinterpret_cast<const char *>(s), e - s);
        if (isDuid(cand, ':')) {
            addMatch(s, e, rid::MachineId);
            return e;
        }
        // netfilter's MAC= field: destination, source and ethertype in 14 bytes
        // ("3c:52:82:1a:2b:3c:00:11:22:33:44:55:08:00"); both addresses are a device's.
        if (cand.size() == 41 && isMac(cand.substr(0, 17), ':') && isMac(cand.substr(18, 17), ':') && cand[17] == ':' &&
            cand[35] == ':' && isHex(u8(cand[36])) && isHex(u8(cand[37])) && cand[38] == ':') {
            for (const size_t at : {size_t(0), size_t(18)}) {
                if (!isSpecialMac(cand.substr(at, 17)))
                    addMatch(s + at, s + at + 17, rid::Mac);
            }
            return e;
        }
        if (isMac(cand, ':')) {
            if (!isSpecialMac(cand))
                addMatch(s, e, rid::Mac);
            return afterMac(e);
        }
        // "::ffff:10.20.44.18" (an IPv4-mapped address, as Kerberos events write
        // it): the IPv4 address, with the token it has elsewhere.
        if (cand.size() > 7 && equalsLower(cand.substr(0, 7), "::ffff:")) {
            std::array<int, 4> oct{};
            if (parseIpv4(s + 7, e, oct) == e) {
                if (!isNonPersonalIpv4(oct))
                    addMatch(s + 7, e, rid::Ipv4);
                return e;
            }
        }
        const Ipv6Info info = validateIpv6(cand);
        if (!info.valid) {
            // Trailing ':' as in "addr fe80::1: up"
            if (cand.size() > 3 && cand.back() == ':' && cand[cand.size() - 2] != ':') {
                // The address was matched when the scan met its first colon;
                // at its trailing colon the scan must move on (found by fuzzing).
                if (e - 1 <= p)
                    return nullptr;
                const Ipv6Info shorter = validateIpv6(cand.substr(0, cand.size() - 1));
                if (shorter.valid && shorter.hasDigit && shorter.groups >= 2) {
                    if (!isSpecialIpv6(cand.substr(0, cand.size() - 1)))
                        addMatch(s, e - 1, rid::Ipv6);
                    return e - 1;
                }
            }
            return nullptr;
        }
        if (!info.hasDigit || info.groups < 2) {
            if (info.groups == 0 || cand == "::1" || (info.compressed && info.groups <= 1))
                return e; // "::", "::1" or code like "a::b"
            return nullptr;
        }
        if (!isSpecialIpv6(cand) && !(e + 1 < m_e && *e == '/' && isDigit(e[1]) && isWellKnownPrefix(cand)))
            addMatch(s, e, rid::Ipv6);
        return e;
    }

    // A network prefix that names no one: at most two groups that are not
    // zero, as gai.conf and routing tables write them ("::ffff:0:0/96",
    // "2002::/16", "64:ff9b::/96", "fe80::/10").
    static bool isWellKnownPrefix(std::string_view c)
    {
        int nonZero = 0;
        size_t i = 0;
        while (i < c.size()) {
            const size_t next = std::min(c.find(':', i), c.size());
            const std::string_view group = c.substr(i, next - i);
            nonZero += group.find_first_not_of('0') != std::string_view::npos;
            i = next + 1;
        }
        return nonZero <= 2;
    }

    // dhcpd names the client after its address: "DHCPACK on 10.1.2.3 to
    // 3c:52:82:1a:2b:3c (ws-kim-04) via eth0", "DHCPREQUEST ... from <mac> (name) via eth0".
    const u8 *afterMac(const u8 *e)
    {
        if (m_e - e < 4 || e[0] != ' ' || e[1] != '(' || !isAlnum(e[2]))
            return e;
        const u8 *n = e + 2;
        const u8 *ne = n;
        while (ne < m_e && isHostChar(*ne) && ne - n < 253)
            ++ne;
        // and " via <interface>" after it: NetworkManager's "set MAC address to <mac> (scanning)" is no client
        if (m_e - ne < 6 || std::memcmp(ne, ") via ", 6) != 0)
            return e;
        const LowerCopy lower(n, ne);
        if (!isLocalhostName(lower.view()))
            addMatch(n, ne, rid::Hostname);
        return ne + 1;
    }

    // Whether the 17 bytes at s are a MAC written with `sep`; it is a match
    // unless it is broadcast or all zero (the caller checks there are 17).
    bool emitMacAt(const u8 *s, char sep)
    {
        const std::string_view mac(reinterpret_cast<const char *>(s), 17);
        if (!isMac(mac, sep))
            return false;
        if (!isSpecialMac(mac))
            addMatch(s, s + 17, rid::Mac);
        return true;
    }

    static bool isMac(std::string_view c, char sep)
    {
        if (c.size() != 17)
            return false;
        for (size_t i = 0; i < 17; ++i) {
            if (i % 3 == 2) {
                if (c[i] != sep)
                    return false;
            } else if (!isHex(static_cast<u8>(c[i]))) {
                return false;
            }
        }
        return true;
    }

    // A DHCPv6 DUID ("00:01:00:01:1d:16:37:3e:76:06:77:74:ab:96", also with
    // dashes as ipconfig prints it): pairs of hex digits, type 1 (link-layer
    // address plus time, 14 pairs), 2 (enterprise number, 10 or more), 3
    // (link-layer address, 10 pairs) or 4 (UUID, 18 pairs).
    static bool isDuid(std::string_view c, char sep)
    {
        if (c.size() < 29 || c.size() > 131 || (c.size() + 1) % 3 != 0)
            return false;
        for (size_t i = 0; i < c.size(); ++i) {
            if (i % 3 == 2) {
                if (c[i] != sep)
                    return false;
            } else if (!isHex(static_cast<u8>(c[i]))) {
                return false;
            }
        }
        const size_t pairs = (c.size() + 1) / 3;
        if (c[0] != '0' || c[1] != '0' || c[3] != '0')
            return false;
        switch (c[4]) {
        case '1':
            return pairs == 14;
        case '2':
            return pairs >= 10;
        case '3':
            return pairs == 10;
        case '4':
            return pairs == 18;
        default:
            return false;
        }
    }

    static bool isSpecialMac(std::string_view c)
    {
        bool zero = true;
        bool ff = true;
        std::array<char, 12> digits{};
        size_t n = 0;
        for (char ch : c) {
            if (isHex(static_cast<u8>(ch))) {
                zero = zero && ch == '0';
                ff = ff && (ch == 'f' || ch == 'F');
                if (n < digits.size())
                    digits[n++] = char(kLower[static_cast<u8>(ch)]);
            }
        }
        // The group addresses of IPv4 and IPv6 multicast and of bridges (arp -a, ip maddr):
        // no device's.
        const std::string_view hex(digits.data(), n);
        return zero || ff || hex.starts_with("01005e") || hex.starts_with("3333") || hex.starts_with("0180c2");
    }

    static bool isSpecialIpv6(std::string_view c)
    {
        // Well-known multicast groups such as ff02::1, ff02::fb, ff05::1:3.
        return c.size() <= 12 && c.size() >= 4 && kLower[static_cast<u8>(c[0])] == 'f' &&
               kLower[static_cast<u8>(c[1])] == 'f' && c.find("::") != std::string_view::npos;
    }

    const u8 *onUrl(const u8 *p)
    {
        const u8 *s = p;
        while (s > m_b && (isAlnum(s[-1]) || s[-1] == '+' || s[-1] == '-' || s[-1] == '.') && p - s < 32)
            --s;
        if (p - s < 2 || !isAlpha(*s))
            return p + 3;
        const u8 *a = p + 3;
        const u8 *ae = a;
        while (ae < m_e && ae - a < 1024) {
            const u8 c = *ae;
            if (kMore[c] & MUrlStop)
                break;
            ++ae;
        }
        if (ae == a)
            return a;
        // "postgresql://app:Sunshine2020?@db01:5432/x": a '?' or '#' left unencoded in the password
        if (ae < m_e && (*ae == '?' || *ae == '#') && std::memchr(a, ':', size_t(ae - a)) &&
            !std::memchr(a, '@', size_t(ae - a))) {
            const u8 *q = ae;
            while (q < m_e && q - ae < 128 && *q != '@' && *q != '/' && !isBlank(*q) && *q != '\n' && *q != '"' &&
                   *q != '\'')
                ++q;
            if (q < m_e && *q == '@') {
                ae = q + 1;
                while (ae < m_e && !(kMore[*ae] & MUrlStop) && ae - a < 1024)
                    ++ae;
            }
        }
        const u8 *h = a;
        const u8 *at = nullptr;
        for (const u8 *q = ae; q > a; --q) {
            if (q[-1] == '@') {
                at = q - 1;
                break;
            }
        }
        if (at) {
            if (std::memchr(a, ':', at - a)) {
                addMatch(a, at, rid::UrlCredentials);
            } else {
                emitUser(a, at, rid::Username);
            }
            h = at + 1;
        }
        emitHost(h, ae, false);
        return onWebhookPath(h, ae);
    }

    // Webhook URLs carry their secret in the path: hooks.slack.com/services/
    // T.../B.../<secret>, discord.com/api/webhooks/<id>/<token>. h..ae is the
    // authority; returns where the scan goes on.
    const u8 *onWebhookPath(const u8 *h, const u8 *ae)
    {
        if (ae >= m_e || *ae != '/' || ae - h > 32)
            return ae;
        const LowerCopy host(h, ae);
        const std::string_view hv = host.view();
        std::string_view prefix;
        if (hv == "hooks.slack.com")
            prefix = "/services/";
        else if (hv == "discord.com" || hv == "discordapp.com")
            prefix = "/api/webhooks/";
        else
            return ae;
        if (size_t(m_e - ae) <= prefix.size() || std::memcmp(ae, prefix.data(), prefix.size()) != 0)
            return ae;
        const u8 *pe = ae + prefix.size();
        while (pe < m_e && (isB64(*pe) || *pe == '/') && pe - ae < 512)
            ++pe;
        const u8 *ls = pe;
        while (ls > ae && ls[-1] != '/')
            --ls;
        if (pe - ls >= 16)
            addMatch(ls, pe, rid::SecretParam);
        return pe;
    }

    // A host value h..e (maybe with ":port", maybe "[v6]"): IP rules or the
    // host-name rule. Returns the end of the host part.
    const u8 *emitHost(const u8 *h, const u8 *e, bool needDot)
    {
        if (h >= e)
            return e;
        if (*h == '[') {
            const u8 *close = static_cast<const u8 *>(std::memchr(h, ']', e - h));
            if (!close)
                return e;
            const std::string_view v(reinterpret_cast<const char *>(h + 1), close - h - 1);
            const Ipv6Info info = validateIpv6(v);
            if (info.valid && info.groups >= 1 && v != "::1" && !isSpecialIpv6(v))
                addMatch(h + 1, close, rid::Ipv6);
            return close + 1;
        }
        // IPv6 without brackets (no port possible)
        const u8 *colon = static_cast<const u8 *>(std::memchr(h, ':', e - h));
        if (colon && std::memchr(colon + 1, ':', e - colon - 1)) {
            const std::string_view v(reinterpret_cast<const char *>(h), e - h);
            const Ipv6Info info = validateIpv6(v);
            if (info.valid && v != "::1" && info.groups >= 1 && !isSpecialIpv6(v))
                addMatch(h, e, rid::Ipv6);
            return e;
        }
        const u8 *he = colon ? colon : e;
        if (isDigit(*h)) {
            std::array<int, 4> oct{};
            if (const u8 *ie = parseIpv4(h, he, oct); ie == he) {
                if (!isNonPersonalIpv4(oct))
                    addMatch(h, he, rid::Ipv4);
                return he;
            }
        }
        const u8 *q = h;
        bool letter = false;
        int dots = 0;
        while (q < he && isHostChar(*q)) {
            letter = letter || isAlpha(*q);
            dots += *q == '.';
            ++q;
        }
        while (q > h && (q[-1] == '.' || q[-1] == '-'))
            --q, dots -= (*q == '.');
        if (q == h || !letter || (needDot && dots == 0))
            return he;
        if (q < he && !(*q == ':' || *q == '/'))
            return he;
        const LowerCopy copy(h, q);
        const std::string_view lower = copy.view();
        if (isLocalhostName(lower) || isVendorDomain(lower) || lower == "*" || lower.front() == '[')
            return he;
        if (MachineContext::isSystemAccount(QByteArrayView(lower.data(), qsizetype(lower.size()))))
            return he;
        addMatch(h, q, rid::Hostname);
        return he;
    }

    // ---- key=value, key: value --------------------------------------------

    const u8 *onKeyValue(const u8 *p)
    {
        const u8 sep = *p;
        const u8 *ke = p;
        // PowerShell's Format-List pads names to the longest one ("CsName        ...        : x")
        while (ke > m_b && isBlank(ke[-1]) && p - ke < (sep == ':' ? 72 : 4))
            --ke;
        // ipconfig's dot leaders: "Host Name . . . . . . : x", "Client DUID. . . . : x".
        if (sep == ':' && ke > m_b && ke[-1] == '.' && ke - m_b >= 3 && (ke[-2] == ' ' || ke[-2] == '.')) {
            const u8 *q = ke;
            while (q > m_b && (q[-1] == '.' || q[-1] == ' ') && ke - q < 96)
                --q;
            if (ke - q >= 3)
                ke = q;
        }
        // "Serial Number (system):": the key without its parenthesised note.
        if (sep == ':' && ke > m_b && ke[-1] == ')') {
            const u8 *o = ke - 1;
            while (o > m_b && o[-1] != '(' && ke - o < 24)
                --o;
            if (o - m_b >= 3 && o[-1] == '(' && o[-2] == ' ' && isAlpha(o[-3]))
                ke = o - 2;
        }
        const bool spacedSep = ke < p;
        if (ke == m_b)
            return p + 1;
        const u8 *ks = nullptr;
        bool quoted = false;
        if (ke[-1] == '"' || ke[-1] == '\'') {
            const u8 q = ke[-1];
            ks = ke - 1;
            while (ks > m_b && ks[-1] != q && ke - ks < 64)
                --ks;
            if (ks == m_b || ks[-1] != q)
                return p + 1;
            --ke;
            quoted = true;
        } else {
            ks = ke;
            while (ks > m_b && isKeyChar(ks[-1]) && ke - ks < 64)
                --ks;
        }
        if (ks >= ke || !isAlpha(ke[-1]))
            return p + 1;
        // "S/N: 2X11QU4W5L"
        if (sep == ':' && !quoted && ke - ks == 1 && (*ks == 'N' || *ks == 'n') && ks - m_b >= 2 && ks[-1] == '/' &&
            (ks[-2] == 'S' || ks[-2] == 's') && (ks - 2 == m_b || !isAlnum(ks[-3])))
            ks -= 2;
        // "/etc/passwd: name" is a path followed by a colon, not a setting.
        else if (!quoted && ks > m_b && (ks[-1] == '/' || ks[-1] == '\\'))
            return p + 1;
        // "pam_unix(passwd:chauthtok)": a PAM service and module type, not a setting.
        if (sep == ':' && !spacedSep && !quoted && ks > m_b && ks[-1] == '(')
            return p + 1;
        // dpkg's "package:architecture" ("passwd:amd64", "adduser:all") names a
        // package, not a setting.
        if (sep == ':' && !spacedSep && !quoted && p + 1 < m_e) {
            static const detail::FixedStringSet architectures = {"amd64",    "arm64",   "armhf",   "armel",
                                                                 "i386",     "all",     "ppc64el", "s390x",
                                                                 "mips64el", "riscv64", "x32",     "any"};
            // The names are letters and digits: the word after the colon must be one of them.
            const u8 *w = p + 1;
            while (w < m_e && isAlnum(*w) && w - p <= 9)
                ++w;
            if (w - p >= 4 && w - p <= 9 &&
                architectures.contains(std::string_view(reinterpret_cast<const char *>(p + 1), size_t(w - p - 1))))
                return w;
        }

        std::array<char, 48> buf; // written before read
        std::string_view key = normalizeKey(ks, ke, buf);
        KeyKind kind = classifyKey(key);
        if (kind == KeyDomain && sep == ':' && !quoted && ks - m_b >= 2 && ks[-1] == ' ' && isAlpha(ks[-2])) {
            // "Account Domain:", "Logon Domain:": a Windows domain
            const u8 *ws = ks - 1;
            while (ws > m_b && isAlpha(ws[-1]) && ke - ws < 40)
                --ws;
            std::array<char, 48> buf2; // written before read
            const std::string_view longer = normalizeKey(ws, ke, buf2);
            if (classifyKey(longer) == KeyNbDomain) {
                buf = buf2;
                key = std::string_view(buf.data() + (longer.data() - buf2.data()), longer.size());
                kind = KeyNbDomain;
            }
        }
        if (kind == KeyNone && !quoted) {
            // Multi-word keys: "Serial Number:", "Hardware UUID:", "System Serial Number:",
            // "Account Domain:", and in connection strings "User Id=".
            const u8 *ws = ks;
            const int maxWords = sep == ':' ? 2 : 1;
            for (int words = 0; words < maxWords && kind == KeyNone; ++words) {
                if (ws - m_b < 2 || ws[-1] != ' ' || !isAlpha(ws[-2]))
                    break;
                ws -= 1;
                while (ws > m_b && isAlpha(ws[-1]) && ke - ws < 40)
                    --ws;
                // With '=' only in connection strings: "...;User Id=", "; User Id="
                if (sep == '=' &&
                    !(ws == m_b || ws[-1] == ';' || ws[-1] == '"' || (ws - m_b >= 2 && ws[-1] == ' ' && ws[-2] == ';')))
                    break;
                key = normalizeKey(ws, ke, buf);
                kind = classifyKey(key);
                // Windows event text's "Log Name:      Security" names an event log; LOGNAME
                // written as one word is the login name.
                if (key == "logname")
                    kind = KeyNone;
            }
            if (kind == KeyNone && sep == ':' && ke - ks == 4 && std::memcmp(ks, "UUID", 4) == 0)
                kind = KeyMachineId; // dmidecode "UUID: ..."
            // "smb_pass", "db.pass", "dbPass": a password key by its last part
            // (not "bypass", "compass").
            if (kind == KeyNone && ke - ks > 5 && ieq(ke - 4, "pass", 4) &&
                (ke[-5] == '_' || ke[-5] == '-' || ke[-5] == '.' || ke[-4] == 'P')) {
                key = normalizeKey(ks, ke, buf);
                kind = KeyPassword;
            }
        }
        if (sep == '=' && !quoted) {
            if (const u8 *q = onShapedKey(key, ks, p))
                return q;
        }
        if (sep == ':' && key == "sshd" && m_e - p > 3 && p[1] == ' ') {
            // sshd's process title: "sshd: jdoe [priv]", "sshd: jdoe [net]"
            const u8 *e = nameEnd(p + 2);
            if (e > p + 2 && m_e - e > 2 && e[0] == ' ' && e[1] == '[' && !std::memchr(p + 2, '@', size_t(e - p - 2)) &&
                emitUser(p + 2, e, rid::Username))
                return e;
            return p + 1; // "sshd: jdoe@pts/0": the '@' rule
        }
        if (kind == KeyNone)
            return p + 1;

        // The value
        const u8 *v = p + 1;
        if (sep == ':' || spacedSep) {
            while (v < m_e && isBlank(*v) && v - p < 64)
                ++v;
        }
        return onValue(kind, key, p, v, sep);
    }

    // Keys whose value has a shape of its own: event XML's <Data
    // Name="TargetUserName">jdoe</Data> (the key is the attribute's value, the
    // value the element's text); id's "uid=1001(jdoe) gid=1001(jdoe)
    // groups=1001(jdoe),27(sudo)" (the name in parentheses; of groups the
    // primary one); sudo's "jdoe : TTY=pts/0 ; PWD=..." also when the program
    // has a pid ("sudo[812]:"). p is the '='. Returns where the scan goes on,
    // or nullptr when the key is an ordinary one.
    const u8 *onShapedKey(std::string_view key, const u8 *ks, const u8 *p)
    {
        if (key == "name" && m_e - p > 4 && (p[1] == '"' || p[1] == '\'')) {
            const u8 q = p[1];
            const u8 *ns = p + 2;
            const u8 *ne = ns;
            while (ne < m_e && isKeyChar(*ne) && ne - ns < 48)
                ++ne;
            if (ne == ns || m_e - ne < 3 || *ne != q || ne[1] != '>')
                return nullptr;
            std::array<char, 48> buf; // written before read
            const std::string_view inner = normalizeKey(ns, ne, buf);
            const KeyKind kind = classifyKey(inner);
            if (kind == KeyNone)
                return ne + 2;
            const u8 *v = ne + 2;
            const u8 *ve = v;
            while (ve < m_e && *ve != '<' && *ve != '\n' && ve - v < 1024)
                ++ve;
            if (ve == v || ve >= m_e || *ve != '<')
                return ve;
            return onValue(kind, inner, ne + 1, v, '>');
        }
        if (key == "uid" || key == "gid" || key == "euid" || key == "egid" || key == "groups" || key == "suid" ||
            key == "fsuid") {
            const u8 *d = p + 1;
            while (d < m_e && isDigit(*d) && d - p <= 10)
                ++d;
            if (d == p + 1 || d >= m_e || *d != '(')
                return nullptr;
            const u8 *s = d + 1;
            const u8 *e = s;
            while (e < m_e && (isNameChar(*e) || *e == '\\' || *e == '$') && e - s < 64)
                ++e;
            if (e == s || e >= m_e || *e != ')')
                return nullptr;
            emitNameValue(s, e);
            return e + 1;
        }
        if (key == "tty" && ks - m_b >= 5 && ks[-1] == ' ' && ks[-2] == ':' && ks[-3] == ' ') {
            const u8 *e = ks - 3;
            const u8 *s = e;
            while (s > m_b && (isNameChar(s[-1]) || s[-1] == '\\') && e - s < 64)
                --s;
            if (s < e && s > m_b && s[-1] == ' ' && isAlnum(*s))
                emitNameValue(s, e);
            return nullptr;
        }
        return nullptr;
    }

    // A PowerShell cmdlet that yields a secret or a credential: "ConvertTo-SecureString",
    // "Read-Host", "Get-Credential" (Verb-Noun with one of the verbs that do).
    static bool isCmdletName(std::string_view v)
    {
        const size_t dash = v.find('-');
        if (dash == std::string_view::npos || dash + 2 > v.size() || !isUpper(u8(v[dash + 1])))
            return false;
        static const detail::FixedStringSet verbs = {"get",    "set",       "new",       "read",        "import",
                                                     "export", "convert",   "convertto", "convertfrom", "invoke",
                                                     "add",    "unprotect", "protect"};
        std::array<char, 64> buf; // written before read
        return verbs.contains(lowerInto(v.substr(0, dash), buf)) &&
               std::all_of(v.begin() + qsizetype(dash) + 1, v.end(), [](char c) { return isAlpha(u8(c)); });
    }

    // The value of a key of `kind` at v (p: the separator or the end of the key).
    const u8 *onValue(KeyKind kind, std::string_view key, const u8 *p, const u8 *v, u8 sep)
    {
        if (v >= m_e)
            return v;
        // Node.js's built-in modules: "node:internal/modules/cjs/loader", "node:fs"
        if (key == "node" && sep == ':' && v == p + 1 && isAlpha(*v))
            return v;
        u8 quote = 0;
        if (*v == '"' || *v == '\'') {
            quote = *v;
            ++v;
        } else if (*v == '\\' && v + 1 < m_e && v[1] == '"') {
            quote = '\\'; // JSON inside a JSON string: \"value\"
            v += 2;
        } else if (*v == '<' && (kind == KeyUser || kind == KeySecret || kind == KeyPassword || kind == KeyHost)) {
            quote = '>'; // dovecot: user=<jdoe>, session=<kfp9bbNb3y6s>; Postfix helo=<ws-kim-04>
            ++v;
        } else if (*v == '{' && sep == '=' && (kind == KeyPassword || kind == KeySecret)) {
            quote = '}'; // ODBC: "Pwd={p@ss;word1};", braces around a value with ';' in it
            ++v;
        } else if (*v == '[' && kind == KeyUser && v + 1 < m_e && isAlnum(v[1]) && !isTokenAt(v)) {
            quote = ']'; // FreeRADIUS "Login OK: [jdoe]"
            ++v;
        }
        // The first line break, or at most 4 KiB on.
        const u8 *lineEnd = lineEndWithin(v, 4096);
        if (const void *cr = std::memchr(v, '\r', size_t(lineEnd - v)))
            lineEnd = static_cast<const u8 *>(cr);
        const u8 *ve = v;
        if (quote == '\\') {
            while (ve < lineEnd && !(*ve == '\\' && ve + 1 < lineEnd && ve[1] == '"'))
                ++ve;
        } else if (quote) {
            while (ve < lineEnd && *ve != quote)
                ++ve;
            if ((quote == '>' || quote == ']') && ve == lineEnd)
                return v; // "<" without ">": not a value in brackets
        }

        switch (kind) {
        case KeyPassword:
        case KeySecret: {
            // A passphrase alone on a setting's line ("wpa_passphrase=Sunny Day 42",
            // nmcli's "802-11-wireless-security.psk:   correct horse battery")
            // may hold blanks; other values end at the first one.
            if (!quote && kind == KeyPassword && isPassphraseKey(key) && isSettingLine(p))
                ve = trimmedLineEnd(v, lineEnd);
            else if (!quote)
                ve = tokenEnd(v, lineEnd);
            std::string_view val(reinterpret_cast<const char *>(v), ve - v);
            // PowerShell: "$pw = ConvertTo-SecureString "x" -AsPlainText": a cmdlet
            // makes the value; the secret is the string in quotes after it.
            if (!quote && isCmdletName(val)) {
                if (lineEnd - ve > 2 && *ve == ' ' && (ve[1] == '"' || ve[1] == '\'')) {
                    const u8 *vs = ve + 2;
                    const u8 *vq = vs;
                    while (vq < lineEnd && *vq != ve[1])
                        ++vq;
                    if (vq < lineEnd && vq > vs &&
                        !isPlaceholder(std::string_view(reinterpret_cast<const char *>(vs), size_t(vq - vs)))) {
                        addMatch(vs, vq, rid::PasswordValue);
                        return vq + 1;
                    }
                }
                return ve;
            }
            if (key == "sid" && val.starts_with("S-1-"))
                return v > p ? v : p + 1; // a Windows SID: the sid rule decides
            // "PWD=/home/jdoe/src": the working directory of sudo and shells.
            if (key == "pwd" && !val.empty() &&
                (val.front() == '/' || val.front() == '~' || (val.size() > 2 && val[1] == ':' && val[2] == '\\')))
                return v > p ? v : p + 1; // the path's own rules (home folders) go on inside
            // "X-Amz-Credential=AKIA.../20240303/eu-west-1/s3/aws4_request": only the key id is secret.
            if (kind == KeySecret && key.ends_with("credential")) {
                for (const u8 *c = v; c < ve; ++c) {
                    if (*c == '/' || (*c == '%' && ve - c >= 3 && c[1] == '2' && (c[2] == 'F' || c[2] == 'f'))) {
                        ve = c;
                        break;
                    }
                }
                val = std::string_view(reinterpret_cast<const char *>(v), ve - v);
            }
            if (isPlaceholder(val) || (kind == KeySecret && val.size() < 8))
                return ve > p ? ve : p + 1;
            // SSH's key types ("Server host key: ecdsa-sha2-nistp256 SHA256:..."): the algorithm
            if (kind == KeySecret &&
                (val.starts_with("ssh-") || val.starts_with("ecdsa-sha2-") || val.starts_with("rsa-sha2-") ||
                 val.starts_with("sk-ssh-") || val.starts_with("sk-ecdsa-")))
                return ve;
            // "check_ntlm_password:  Authentication for user [x]": a word of prose that a
            // sentence goes on from is no password (a function's name before a colon).
            if (kind == KeyPassword && sep == ':' && !quote && ve + 1 < lineEnd && *ve == ' ' && ve[1] >= 'a' &&
                ve[1] <= 'z' && std::all_of(val.begin(), val.end(), [](char c) { return isAlpha(u8(c)); }))
                return ve;
            // In angle brackets a value without a digit and without mixed case is a
            // placeholder ("<your-token>", "<TOKEN>"); "<dwKVkiCEAAqTQHKN>" is not.
            if (quote == '>') {
                bool digit = false, lower = false, upper = false;
                for (char ch : val) {
                    const auto c = static_cast<u8>(ch);
                    digit = digit || isDigit(c);
                    lower = lower || (c >= 'a' && c <= 'z');
                    upper = upper || (c >= 'A' && c <= 'Z');
                }
                if (!digit && !(lower && upper))
                    return ve > p ? ve : p + 1;
            }
            // Bare "key"/"session" are often cache keys or counters: only random-looking values.
            if (kind == KeySecret &&
                (key == "key" || key == "session" || key == "code" || key == "sid" || key == "sig") &&
                !looksRandom(val) && !(inQueryString(p, key.size()) && looksLikeQuerySecret(val)))
                return v > p ? v : p + 1; // other rules may still know it ("key=AKIA...")
            addMatch(v, ve, kind == KeyPassword ? rid::PasswordValue : rid::SecretParam);
            return ve;
        }
        case KeyAuth: {
            if (!quote)
                ve = lineEnd;
            const u8 *t = v;
            while (t < ve && (isAlnum(*t) || *t == '-'))
                ++t;
            if (t < ve && *t == ' ' && t - v <= 20) {
                while (t < ve && *t == ' ')
                    ++t;
            } else {
                t = v;
            }
            while (ve > t && isBlank(ve[-1]))
                --ve;
            if (ve - t >= 6 && !isPlaceholder(std::string_view(reinterpret_cast<const char *>(t), ve - t)))
                addMatch(t, ve, rid::Bearer);
            return ve > p ? ve : p + 1;
        }
        case KeyCookie: {
            if (!quote)
                ve = lineEnd;
            while (ve > v && isBlank(ve[-1]))
                --ve;
            if (key == "setcookie") {
                // "Set-Cookie: SID=abc; Path=/; HttpOnly": the value of the cookie only.
                const u8 *semi = static_cast<const u8 *>(std::memchr(v, ';', size_t(ve - v)));
                const u8 *ce = semi ? semi : ve;
                const u8 *eq = static_cast<const u8 *>(std::memchr(v, '=', size_t(ce - v)));
                const u8 *cs = eq ? eq + 1 : v;
                if (ce - cs >= 4)
                    addMatch(cs, ce, rid::SecretParam);
                return ce > p ? ce : p + 1;
            }
            if (ve - v >= 4)
                addMatch(v, ve, rid::SecretParam);
            return ve > p ? ve : p + 1;
        }
        case KeyHost:
        case KeyServer:
        case KeyDomain: {
            if (!quote) {
                ve = v;
                while (ve < lineEnd && (isHostChar(*ve) || *ve == ':' || (*ve == '[' && ve == v) || *ve == ']'))
                    ++ve;
            }
            if (ve == v || (ve < lineEnd && *ve == '/' && kind == KeyServer))
                return ve > p ? ve : p + 1;
            // A connection string's "Server=db01;" or "Server=tcp:db01,1433;": one label is enough there.
            if (kind == KeyServer && !quote && sep == '=') {
                const u8 *h = v;
                if (ve - h > 4 && ieq(h, "tcp:", 4))
                    h += 4;
                const u8 *he = h;
                while (he < lineEnd && isHostChar(*he))
                    ++he;
                // and "Data Source=db01\SQLEXPRESS": the host before a named instance
                if (he > h && he < lineEnd &&
                    (*he == ';' || *he == '\\' || (*he == ',' && he + 1 < lineEnd && isDigit(he[1])))) {
                    const u8 *q = emitHost(h, he, false);
                    if (*he != '\\')
                        return q;
                    const u8 *ie = he + 1;
                    while (ie < lineEnd && (isAlnum(*ie) || *ie == '_' || *ie == '$'))
                        ++ie;
                    return ie; // the instance's name is the product's
                }
            }
            // "machine": "x86_64" (uname -m, Python's platform) names no machine
            if (key == "machine" && isArchitecture(v, ve))
                return ve;
            // "(nested host: reported MAXPHYADDR 48 ...)" is prose: an unquoted plain
            // lower-case word after "host:" that a sentence goes on from is no host name.
            if (!quote && sep == ':' && kind == KeyHost) {
                bool plainWord = true;
                for (const u8 *c = v; c < ve && plainWord; ++c)
                    plainWord = *c >= 'a' && *c <= 'z';
                const u8 *next = ve;
                while (next < lineEnd && *next == ' ')
                    ++next;
                if (plainWord && next > ve && next < lineEnd && isAlnum(*next))
                    return ve;
            }
            // "Domain: FABRIKAM" (systeminfo, net config): a NetBIOS domain is one label in capitals
            if (kind == KeyDomain && ve - v >= 2 && ve - v <= 15 && isUpper(*v) &&
                std::all_of(v, ve, [](u8 c) { return isUpper(c) || isDigit(c) || c == '-'; }))
                return onValue(KeyNbDomain, key, p, v, sep);
            // host=1.2.3.4:80 / host=[v6]:80 / host=name:port
            return emitHost(v, ve, kind != KeyHost);
        }
        case KeyNbDomain: {
            if (systemIdentityEnd(v, lineEnd))
                return lineEnd;
            const u8 *e = quote ? ve : v;
            if (!quote) {
                while (e < lineEnd && (isHostChar(*e)) && e - v < 253)
                    ++e;
            }
            while (e > v && (e[-1] == '.' || e[-1] == '-'))
                --e;
            const std::string_view val(reinterpret_cast<const char *>(v), size_t(e - v));
            bool alpha = false;
            for (char c : val)
                alpha = alpha || isAlpha(static_cast<u8>(c));
            if (!alpha || isSystemDomain(val) || isPlaceholder(val))
                return e > p ? e : p + 1;
            addMatch(v, e, val.find('.') != std::string_view::npos ? rid::Hostname : rid::Domain);
            return e;
        }
        case KeyUser: {
            // "NT AUTHORITY\NETWORK SERVICE", "LOCAL SERVICE": service identities.
            if (const u8 *se = systemIdentityEnd(v, lineEnd))
                return se;
            if (!quote) {
                if (const u8 *q = fullNameWithLogin(v, lineEnd))
                    return q;
            }
            const u8 *e = quote ? ve : nameEnd(v);
            if (e == v || std::memchr(v, '@', e - v))
                return v; // an e-mail address: the '@' recogniser takes it
            // LEEF's '^' and '|', XML's '<' end a value too
            if (!quote && e < lineEnd &&
                !(isBlank(*e) || *e == ',' || *e == ';' || *e == '&' || *e == ')' || *e == ']' || *e == '}' ||
                  *e == '"' || *e == '\'' || *e == '(' || *e == '^' || *e == '|' || *e == '<'))
                return e;
            // "Account Name: WS-KIM-04$": a machine account names the host
            if (e - v >= 3 && e[-1] == '$' && !std::memchr(v, '\\', size_t(e - v)) && isAlnum(*v)) {
                const LowerCopy lower(v, e - 1);
                if (!MachineContext::isSystemAccount(
                        QByteArrayView(lower.view().data(), qsizetype(lower.view().size()))))
                    addMatch(v, e - 1, rid::Hostname);
                return e;
            }
            if (isPlaceholder(std::string_view(reinterpret_cast<const char *>(v), e - v)))
                return e;
            emitNameValue(v, e);
            return e;
        }
        case KeyPhone: {
            const u8 *e = v;
            int digits = 0;
            while (e < lineEnd && (isDigit(*e) || *e == ' ' || *e == '-' || *e == '(' || *e == ')' || *e == '.' ||
                                   *e == '+' || *e == '/')) {
                digits += isDigit(*e);
                ++e;
            }
            while (e > v && !isDigit(e[-1]))
                --e;
            if (digits >= 7 && digits <= 15 && !(e < m_e && isAlnum(*e)))
                addMatch(v, e, rid::Phone);
            return e > p ? e : p + 1;
        }
        case KeyCoord:
        case KeyGeo: {
            const u8 *s = v;
            if (kind == KeyGeo && s < lineEnd && (*s == '[' || *s == '(' || *s == '{'))
                ++s;
            const u8 *e = emitCoordinates(kind, s, lineEnd);
            return e ? e : p + 1;
        }
        case KeyMachineId: {
            const u8 *s = v;
            if (s < lineEnd && *s == '{')
                ++s;
            const u8 *e = s;
            int hex = 0;
            while (e < lineEnd && (isHex(*e) || *e == '-')) {
                hex += isHex(*e);
                ++e;
            }
            if (hex >= 16 && !(e < lineEnd && isAlnum(*e)))
                addMatch(s, e, rid::MachineId);
            return e > p ? e : p + 1;
        }
        case KeySerial: {
            const std::string_view rest(reinterpret_cast<const char *>(v), (quote ? ve : lineEnd) - v);
            // "To Be Filled By O.E.M." and friends
            std::string_view trimmed = rest;
            while (!trimmed.empty() && isBlank(static_cast<u8>(trimmed.back())))
                trimmed.remove_suffix(1);
            if (isPlaceholder(trimmed))
                return v + trimmed.size();
            const u8 *e = v;
            while (e < lineEnd && (isNameChar(*e) || *e == '/' || *e == ':') && e - v < 128)
                ++e;
            while (e > v && (e[-1] == '.' || e[-1] == ':'))
                --e;
            const std::string_view val(reinterpret_cast<const char *>(v), e - v);
            // A certificate's serial in hex pairs ("Serial Number: 0a:01:41:42:..."): an
            // authority's count, on every copy of the certificate, not a device's.
            if (val.size() >= 23 && val.size() % 3 == 2 && val[2] == ':' &&
                std::all_of(val.begin(), val.end(), [](char c) { return isHex(u8(c)) || c == ':'; }))
                return e;
            // the kernel's "Serial: 8250/16550 driver" names UART chips
            const bool chips = val.find('/') != std::string_view::npos &&
                               val.find_first_not_of("0123456789/") == std::string_view::npos;
            if (val.size() >= 4 && !isPlaceholder(val) && !chips)
                addMatch(v, e, rid::Serial);
            return e > p ? e : p + 1;
        }
        case KeyMac: {
            // Twelve bare hex digits; the other spellings are the mac rule's.
            if (lineEnd - v >= 12 && std::all_of(v, v + 12, [](u8 c) { return isHex(c); }) &&
                (lineEnd - v == 12 || !isAlnum(v[12])) && std::any_of(v, v + 12, [](u8 c) { return isDigit(c); })) {
                const std::string_view mac(reinterpret_cast<const char *>(v), 12);
                if (!isSpecialMac(mac))
                    addMatch(v, v + 12, rid::Mac);
                return v + 12;
            }
            return v > p ? v : p + 1;
        }
        case KeyNone:
            break;
        }
        return p + 1;
    }

    // A pseudonym already written ("[user-3]", "[url-credentials-1]") at v.
    bool isTokenAt(const u8 *v) const
    {
        const u8 *q = v + 1;
        while (q < m_e && ((*q >= 'a' && *q <= 'z') || *q == '-') && q - v < 40)
            ++q;
        const u8 *d = q;
        while (d < m_e && isDigit(*d) && d - q < 12)
            ++d;
        return q > v + 2 && q[-1] == '-' && d > q && d < m_e && *d == ']';
    }

    // A processor architecture ("x86_64", "AMD64", "aarch64"): what uname -m and
    // Python's platform.machine() print.
    static bool isArchitecture(const u8 *s, const u8 *e)
    {
        static const detail::FixedStringSet arches = {"x86_64",  "amd64",  "x86",    "i386",       "i686",    "arm64",
                                                      "aarch64", "armv7l", "armv6l", "arm",        "ppc64le", "s390x",
                                                      "riscv64", "ia64",   "mips64", "loongarch64"};
        std::array<char, 64> buf; // written before read
        return arches.contains(lowerInto(std::string_view(reinterpret_cast<const char *>(s), size_t(e - s)), buf));
    }

    // The letters and digits of the key, lower-cased, in `buf`; of a long key
    // the last 48, so that suffix families still work. Filled from the end.
    static std::string_view normalizeKey(const u8 *s, const u8 *e, std::array<char, 48> &buf)
    {
        size_t n = 0;
        for (const u8 *q = e; q > s && n < buf.size();) {
            --q;
            if (isAlnum(*q))
                buf[buf.size() - ++n] = static_cast<char>(kLower[*q]);
        }
        return {buf.data() + (buf.size() - n), n};
    }

    // macOS system_profiler and dscl: "User Name: Olivia Martin (omartin)", a
    // full name of one to four capitalized words, then the login in parentheses
    // at the line's end. Both are user names.
    const u8 *fullNameWithLogin(const u8 *v, const u8 *lineEnd)
    {
        const u8 *open = static_cast<const u8 *>(std::memchr(v, '(', size_t(std::min<qptrdiff>(lineEnd - v, 128))));
        if (!open || open - v < 3 || open[-1] != ' ')
            return nullptr;
        int words = 0;
        for (const u8 *w = v; w < open - 1;) {
            if (!isUpper(*w))
                return nullptr;
            for (; w < open - 1 && *w != ' '; ++w) {
                if (!(isAlpha(*w) || *w == '.' || *w == '\'' || *w == '-' || *w >= 0x80))
                    return nullptr;
            }
            ++words;
            if (w < open - 1)
                ++w;
        }
        const u8 *le = nameEnd(open + 1);
        if (words < 2 || words > 4 || le == open + 1 || le >= lineEnd || *le != ')')
            return nullptr;
        const u8 *after = le + 1;
        while (after < lineEnd && isBlank(*after))
            ++after;
        if (after != lineEnd && *after != '\r')
            return nullptr;
        addMatch(v, open - 1, rid::Username);
        emitUser(open + 1, le, rid::Username);
        return le + 1;
    }

    // Whether the key of `keyLength` bytes before the '=' at p starts a
    // parameter of a query string: "/reset?key=...", "&code=...".
    bool inQueryString(const u8 *p, size_t keyLength) const
    {
        const u8 *ks = p - keyLength;
        return ks > m_b && (ks[-1] == '?' || ks[-1] == '&');
    }

    // A query parameter's value that reads as a key or a code, not a word or a
    // number: 8+ characters of letters and digits both (URL-encoded bytes allowed).
    static bool looksLikeQuerySecret(std::string_view v)
    {
        if (v.size() < 8)
            return false;
        bool letter = false, digit = false;
        for (size_t i = 0; i < v.size(); ++i) {
            const auto c = static_cast<u8>(v[i]);
            if (c == '%' && i + 2 < v.size() && isHex(static_cast<u8>(v[i + 1])) && isHex(static_cast<u8>(v[i + 2]))) {
                i += 2;
                continue;
            }
            letter = letter || isAlpha(c);
            digit = digit || isDigit(c);
            if (!isAlnum(c) && c != '-' && c != '_' && c != '.' && c != '~')
                return false;
        }
        return letter && digit;
    }

    const u8 *tokenEnd(const u8 *v, const u8 *lineEnd) const
    {
        const u8 *e = v;
        if (e < lineEnd && *e == '[') {
            // An existing token ("[secret-2]") stays one value.
            const u8 *close = static_cast<const u8 *>(std::memchr(e, ']', size_t(lineEnd - e)));
            if (close && close - e < 40)
                return close + 1;
        }
        while (e < lineEnd) {
            const u8 c = *e;
            if (kMore[c] & MTokenStop)
                break;
            ++e;
        }
        return e;
    }

    // One coordinate ("47.37", "-33.8688", "47.37° N", "25 deg 53' 25.95\" N"),
    // or for a pair key ("location", "position") two separated by a comma.
    // Returns the end of what was matched, or nullptr.
    const u8 *emitCoordinates(KeyKind kind, const u8 *s, const u8 *lineEnd)
    {
        const auto parse = [this, lineEnd](const u8 *q) {
            const u8 *e = parseCoordinate(q, lineEnd);
            return e ? e : parseDms(q, lineEnd);
        };
        const u8 *e = parse(s);
        if (!e)
            return nullptr;
        if (kind == KeyGeo) {
            const u8 *q = e;
            while (q < lineEnd && (*q == ',' || *q == ';' || isBlank(*q)) && q - e < 4)
                ++q;
            const u8 *e2 = q > e ? parse(q) : nullptr;
            if (!e2)
                return e;
            e = e2;
        }
        // The hemisphere and degree sign stay readable ("[gps-1] N").
        const u8 *me = e;
        if (me - s >= 2 && (me[-1] == 'N' || me[-1] == 'S' || me[-1] == 'E' || me[-1] == 'W'))
            --me;
        if (me > s && me[-1] == ' ')
            --me;
        if (me - s >= 2 && me[-2] == 0xc2 && (me[-1] == 0xb0 || me[-1] == 0xba))
            me -= 2;
        addMatch(s, me, rid::Gps);
        return e;
    }

    // A hemisphere after a coordinate: "° N", " S", "°E".
    const u8 *hemisphere(const u8 *q, const u8 *e) const
    {
        if (e - q >= 2 && q[0] == 0xc2 && (q[1] == 0xb0 || q[1] == 0xba))
            q += 2;
        const u8 *h = q;
        if (h < e && *h == ' ')
            ++h;
        if (h < e && (*h == 'N' || *h == 'S' || *h == 'E' || *h == 'W') && (h + 1 == e || !isAlnum(h[1])))
            return h + 1;
        return q;
    }

    // Degrees, minutes and seconds: "25 deg 53' 25.95\" N", "25°53'25.95\"N".
    const u8 *parseDms(const u8 *p, const u8 *e) const
    {
        const u8 *q = p;
        const auto digits = [&q, e](int most) {
            const u8 *s = q;
            while (q < e && isDigit(*q) && q - s < most)
                ++q;
            return q > s;
        };
        if (!digits(3))
            return nullptr;
        if (e - q >= 4 && ieq(q, " deg", 4))
            q += 4;
        else if (e - q >= 2 && q[0] == 0xc2 && q[1] == 0xb0)
            q += 2;
        else
            return nullptr;
        if (q < e && *q == ' ')
            ++q;
        if (!digits(2) || q >= e || *q != '\'')
            return nullptr;
        ++q;
        if (q < e && *q == ' ')
            ++q;
        if (!digits(2))
            return nullptr;
        if (q < e && *q == '.') {
            ++q;
            digits(6);
        }
        if (q >= e || *q != '"')
            return nullptr;
        return hemisphere(q + 1, e);
    }

    // "GPSLatitude 47.37 N", "position -33.86, 151.21", "lat 52.1 lon 4.3":
    // a coordinate after a coordinate word and a blank (with '=' or ':' the
    // key-value rules take it). s is the sign or the first digit.
    const u8 *tryCoordinateWord(const u8 *s)
    {
        // A map's link: "maps.google.com/?q=59.3293,18.0686", "google.com/maps/@45.4642,9.19,15z"
        if (s - m_b >= 2 &&
            (s[-1] == '@' || (s[-1] == '=' && s[-2] == 'q' && s - m_b >= 3 && (s[-3] == '?' || s[-3] == '&')))) {
            const u8 *ls = s;
            while (ls > m_b && ls[-1] != '\n' && ls[-1] != ' ' && s - ls < 256)
                --ls;
            const std::string_view url(reinterpret_cast<const char *>(ls), size_t(s - ls));
            if (url.find("maps") != std::string_view::npos)
                return emitCoordinates(KeyGeo, s, lineEndWithin(s, 256));
            return nullptr;
        }
        const u8 *q = s;
        while (q > m_b && (isBlank(q[-1]) || q[-1] == ':') && s - q < 3)
            --q;
        if (q == s)
            return nullptr;
        const u8 *ws = q;
        while (ws > m_b && isAlpha(ws[-1]) && q - ws < 16)
            --ws;
        if (ws == q || (ws > m_b && isAlnum(ws[-1])))
            return nullptr;
        // "Location update: 48.85, 2.29", "GPS fix 35.65,139.74": the key one word further back
        {
            static const detail::FixedStringSet between = {"fix",     "update", "updated", "reported", "received",
                                                           "changed", "now",    "is",      "at"};
            std::array<char, 64> lower; // written before read
            if (between.contains(
                    lowerInto(std::string_view(reinterpret_cast<const char *>(ws), size_t(q - ws)), lower))) {
                const u8 *q2 = ws;
                while (q2 > m_b && isBlank(q2[-1]) && ws - q2 < 3)
                    --q2;
                const u8 *ws2 = q2;
                while (ws2 > m_b && isAlpha(ws2[-1]) && q2 - ws2 < 16)
                    --ws2;
                if (q2 < ws && ws2 < q2 && !(ws2 > m_b && isAlnum(ws2[-1]))) {
                    q = q2;
                    ws = ws2;
                }
            }
        }
        // Android: "Location[fused 47.376887,8.541694 hAcc=12 ...]", "Location[gps ...]"
        if (ws - m_b >= 9 && ws[-1] == '[' && ieq(ws - 9, "location", 8)) {
            return emitCoordinates(KeyGeo, s, lineEndWithin(s, 256));
        }
        // The words start with l, g, p or c (lat, gps, position, coordinates):
        // most decimals in logs ("took 0.25 s") stop here.
        const u8 first = kLower[*ws];
        if (first != 'l' && first != 'g' && first != 'p' && first != 'c')
            return nullptr;
        std::array<char, 48> buf; // written before read
        const std::string_view key = normalizeKey(ws, q, buf);
        const KeyKind kind = classifyKey(key);
        if ((kind != KeyCoord && kind != KeyGeo) || key == "long")
            return nullptr;
        return emitCoordinates(kind, s, lineEndWithin(s, 256));
    }

    // "35.6895 N, 139.6917 E", "47.37°N 8.54°E": a latitude and a longitude that
    // carry their hemispheres need no key word before them.
    const u8 *tryHemispherePair(const u8 *s)
    {
        // Neither a coordinate nor the gap between two crosses a line break, so the
        // line's end is looked for only once a pair is there (every decimal comes here).
        const u8 *e = parseCoordinate(s, m_e);
        if (!e || !(e[-1] == 'N' || e[-1] == 'S'))
            return nullptr;
        const u8 *q = e;
        while (q < m_e && (*q == ',' || isBlank(*q)) && q - e < 3)
            ++q;
        const u8 *e2 = q > e ? parseCoordinate(q, m_e) : nullptr;
        if (!e2 || !(e2[-1] == 'E' || e2[-1] == 'W'))
            return nullptr;
        return emitCoordinates(KeyGeo, s, lineEndWithin(s, 128));
    }

    const u8 *parseCoordinate(const u8 *p, const u8 *e) const
    {
        const u8 *q = p;
        if (q < e && (*q == '-' || *q == '+'))
            ++q;
        const u8 *ds = q;
        while (q < e && isDigit(*q) && q - ds < 4)
            ++q;
        if (q == ds || q - ds > 3 || q >= e || *q != '.')
            return nullptr;
        ++q;
        const u8 *fs = q;
        while (q < e && isDigit(*q))
            ++q;
        if (q - fs < 2 || (q < e && (isAlnum(*q) || *q == '.')))
            return nullptr;
        return hemisphere(q, e);
    }

    // ---- '/' and '\\': home paths -----------------------------------------

    const u8 *onSlash(const u8 *p)
    {
        // A share written with slashes ("mount -t cifs //nas-hr-01/home", "smbclient
        // //fs02/share"): the server's name, as in \\fs02\share.
        if (m_e - p > 4 && p[1] == '/' && isAlnum(p[2]) &&
            (p == m_b || isBlank(p[-1]) || p[-1] == '"' || p[-1] == '\'' || p[-1] == '=' || p[-1] == '\n')) {
            const u8 *h = p + 2;
            const u8 *he = h;
            while (he < m_e && (isAlnum(*he) || *he == '-' || *he == '_') && he - h < 63)
                ++he;
            if (he < m_e && *he == '/' && hostLike(h, he))
                return emitHost(h, he, false);
        }
        // who/last/w: "jdoe     pts/0        2024-03-03 10:01 (10.1.2.3)": the
        // first column of a line whose second is a terminal.
        if (p - m_b >= 5 && p[-1] == 's' && p[-2] == 't' && p[-3] == 'p' && isBlank(p[-4])) {
            const u8 *ne = p - 4;
            while (ne > m_b && isBlank(ne[-1]) && p - ne < 40)
                --ne;
            const u8 *ns = ne;
            while (ns > m_b && (isNameChar(ns[-1]) || ns[-1] == '+') && ne - ns < 40)
                --ns;
            if (ns < ne && (ns == m_b || ns[-1] == '\n') && ns >= m_from) {
                const u8 *e = ne[-1] == '+' ? ne - 1 : ne;
                if (!(e < ne && MachineContext::isSystemAccountPrefix(
                                    QByteArrayView(reinterpret_cast<const char *>(ns), e - ns))))
                    emitUser(ns, e, rid::Username);
            }
        }
        // "/user:DOMAIN\name", "/u:name" (net use, runas, schtasks)
        if (m_e - p > 6 && (p[1] == 'u' || p[1] == 'U') && (p == m_b || isBlank(p[-1])) &&
            (ieq(p + 1, "user:", 5) || ieq(p + 1, "u:", 2))) {
            const u8 *v = p[2] == ':' ? p + 3 : p + 6;
            const u8 *e = v;
            while (e < m_e && !isBlank(*e) && *e != '\n' && *e != '\r' && *e != '"' && e - v < 128)
                ++e;
            if (e > v)
                emitNameValue(v, e);
            return e > p ? e : p + 1;
        }
        const u8 *n = nullptr;
        if (m_e - p > 6 && std::memcmp(p + 1, "home/", 5) == 0)
            n = p + 6;
        else if (m_e - p > 7 && std::memcmp(p + 1, "Users/", 6) == 0)
            n = p + 7;
        if (!n)
            return p + 1;
        const u8 *e = n;
        while (e < m_e && (isNameChar(*e) || *e >= 0x80) && e - n < 64) // "/home/田中/"
            ++e;
        if (e < m_e && !(*e == '/' || *e <= ' ' || *e == '"' || *e == '\'' || *e == ':' || *e == ';' || *e == ',' ||
                         *e == ')' || *e == ']' || *e == '>'))
            return e;
        emitUser(n, e, rid::UserPath);
        return e;
    }

    const u8 *onBackslash(const u8 *p)
    {
        if (p + 1 < m_e && p[1] == '\\') {
            if (const u8 *q = tryUnc(p))
                return q;
        } else if (const u8 *q = tryDomainUser(p)) {
            return q;
        }
        const u8 *q = p + 1;
        if (q < m_e && *q == '\\')
            ++q; // JSON-escaped "C:\\Users\\"
        if (m_e - q < 7 || !ieq(q, "users\\", 6))
            return q;
        q += 6;
        if (q < m_e && *q == '\\')
            ++q;
        const u8 *n = q;
        const u8 *e = n;
        const u8 *firstSpace = nullptr;
        while (e < m_e && (isNameChar(*e) || *e == ' ' || *e >= 0x80) && e - n < 64) { // "C:\\Users\\田中"
            if (*e == ' ' && !firstSpace)
                firstSpace = e;
            ++e;
        }
        // Names with spaces only when the path goes on ("C:\Users\John Smith\AppData").
        if (firstSpace && !(e < m_e && *e == '\\'))
            e = firstSpace;
        emitUser(n, e, rid::UserPath);
        return e;
    }

    // ---- '-': private keys, SIDs, dashed MACs -------------------------------

    const u8 *onDash(const u8 *p)
    {
        if (m_e - p >= 11 && std::memcmp(p, "-----BEGIN ", 11) == 0)
            return onPemBlock(p);
        if (m_e - p > 3 && p[1] == '>' && p > m_b && isAlnum(p[-1])) {
            if (const u8 *q = onArrowPeer(p + 2))
                return q;
        }
        // after a blank, or in quotes: auditd's EXECVE arguments (a2="-pSECRET")
        if (m_e - p > 3 && (p == m_b || isBlank(p[-1]) || p[-1] == '"') && (p[1] == '-' || isAlpha(p[1]))) {
            if (const u8 *q = onOption(p))
                return q;
        }
        // Access logs: "client - user [10/Jan/2024:...".
        if (p > m_b && p[-1] == ' ' && m_e - p > 4 && p[1] == ' ' && isNameChar(p[2])) {
            const u8 *e = nameEnd(p + 2);
            if (m_e - e >= 3 && e[0] == ' ' && e[1] == '[' && isDigit(e[2])) {
                emitUser(p + 2, e, rid::Username);
                return e;
            }
        }
        if (p > m_b && p[-1] == 'S' && (p - 1 == m_b || !isAlnum(p[-2])) && m_e - p > 3 && p[1] == '1' && p[2] == '-')
            return onSid(p - 1);
        if (p - m_b >= 2 && p[-1] == '0' && p[-2] == '0' &&
            (p - 2 == m_b || !(isAlnum(p[-3]) || p[-3] == '-' || p[-3] == ':' || p[-3] == '.'))) {
            const u8 *q = p - 2;
            while (q < m_e && (isHex(*q) || *q == '-') && q - p < 132)
                ++q;
            if ((q == m_e || !isAlnum(*q)) &&
                isDuid(std::string_view(reinterpret_cast<const char *>(p - 2), size_t(q - p + 2)), '-')) {
                addMatch(p - 2, q, rid::MachineId);
                return q;
            }
        }
        if (const u8 *q = onBareGuid(p))
            return q;
        if (p - m_b >= 2 && isHex(p[-1]) && isHex(p[-2]) &&
            (p - 2 == m_b || !(isAlnum(p[-3]) || p[-3] == '-' || p[-3] == ':' || p[-3] == '.')) && m_e - p >= 15) {
            const std::string_view c(reinterpret_cast<const char *>(p - 2), 17);
            if (isMac(c, '-') && (p + 15 == m_e || !(isAlnum(p[15]) || p[15] == '-'))) {
                if (!isSpecialMac(c))
                    addMatch(p - 2, p + 15, rid::Mac);
                return p + 15;
            }
        }
        return p + 1;
    }

    // A GUID alone on its line, braces and blanks aside: what `wmic csproduct
    // get uuid`, PowerShell's Win32_ComputerSystemProduct and
    // /sys/class/dmi/id/product_uuid print. A request's or a trace's id comes
    // after its key or in a sentence. p is the GUID's first dash.
    const u8 *onBareGuid(const u8 *p)
    {
        if (p - m_b < 8 || m_e - p < 28)
            return nullptr;
        const u8 *s = p - 8;
        const u8 *q = s;
        for (const int group : {8, 4, 4, 4, 12}) {
            if (q != s && *q++ != '-')
                return nullptr;
            for (int k = 0; k < group; ++k) {
                if (!isHex(*q++))
                    return nullptr;
            }
        }
        const u8 *before = s;
        const bool braced = before > m_b && before[-1] == '{';
        before -= braced;
        while (before > m_b && isBlank(before[-1]))
            --before;
        if (before > m_b && before[-1] != '\n')
            return nullptr;
        const u8 *after = q;
        if (braced && (after == m_e || *after++ != '}'))
            return nullptr;
        while (after < m_e && (isBlank(*after) || *after == '\r'))
            ++after;
        if (after < m_e && *after != '\n')
            return nullptr;
        // The firmware's placeholders ("00000000-0000-...", "FFFFFFFF-...") identify nothing.
        if (!MachineContext::isPlaceholderHardwareId(QByteArrayView(s, q - s)))
            addMatch(s, q, rid::MachineId);
        return q;
    }

    const u8 *onPemBlock(const u8 *p)
    {
        const u8 *lineEnd = p;
        while (lineEnd < m_e && *lineEnd != '\n' && lineEnd - p < 100)
            ++lineEnd;
        const std::string_view head(reinterpret_cast<const char *>(p), lineEnd - p);
        if (head.find("PRIVATE KEY") == std::string_view::npos || lineEnd >= m_e)
            return lineEnd >= m_e && head.find("PRIVATE KEY") != std::string_view::npos && !m_atEnd ? pend(p) : p + 11;
        const u8 *body = lineEnd + 1;
        // std::string_view::find, not memmem: Windows' C runtime has no memmem.
        const size_t endAt =
            std::string_view(reinterpret_cast<const char *>(body), size_t(m_e - body)).find("-----END ");
        const u8 *end = endAt == std::string_view::npos ? nullptr : body + endAt;
        if (!end) {
            if (!m_atEnd)
                return pend(p);
            end = m_e;
        }
        addMatch(body, end, rid::PrivateKey);
        return end == m_e ? end : end + 9;
    }

    const u8 *pend(const u8 *p)
    {
        if (m_pending < 0)
            m_pending = p - m_b;
        return m_e;
    }

    const u8 *onSid(const u8 *s)
    {
        // S-1-<authority>(-<sub>)+
        const u8 *q = s + 1;
        std::array<quint64, 16> parts{};
        int n = 0;
        while (q < m_e && *q == '-' && n < 16 && q + 1 < m_e && isDigit(q[1])) {
            ++q;
            quint64 v = 0;
            int digits = 0;
            while (q < m_e && isDigit(*q) && digits < 11) {
                v = v * 10 + (*q - '0');
                ++q;
                ++digits;
            }
            parts[n++] = v;
        }
        if (n < 2 || (q < m_e && isAlnum(*q)))
            return q;
        // parts[0] = revision(1), parts[1] = authority, parts[2..] = sub-authorities
        const bool domainSid = parts[1] == 5 && n >= 6 && parts[2] == 21;
        const bool azureSid = parts[1] == 12 && n >= 6;
        if (domainSid || azureSid)
            addMatch(s, q, rid::Sid);
        return q;
    }

    // ---- '.': JWTs, dotted MACs -----------------------------------------

    const u8 *onDot(const u8 *p)
    {
        if (p > m_b && isB64(p[-1])) {
            const u8 *s = p;
            while (s > m_b && isB64(s[-1]) && p - s < 4096)
                --s;
            if (p - s >= 10 && s[0] == 'e' && s[1] == 'y' && s[2] == 'J' && (s == m_b || !isB64(s[-1]) || s[-1] == '-'))
                if (const u8 *q = onJwt(s, p))
                    return q;
            if (p - s == 4 && (s == m_b || !(s[-1] == '.' || isAlnum(s[-1]))) && m_e - p >= 10) {
                const u8 *q = p + 1;
                bool ok = isHex(s[0]) && isHex(s[1]) && isHex(s[2]) && isHex(s[3]);
                for (int i = 0; ok && i < 9; ++i)
                    ok = (i == 4) ? q[i] == '.' : isHex(q[i]);
                if (ok && (q + 9 == m_e || !(isAlnum(q[9]) || (q[9] == '.' && q + 10 < m_e && isAlnum(q[10]))))) {
                    const std::string_view c(reinterpret_cast<const char *>(s), 14);
                    if (c != "0000.0000.0000" && !equalsLower(c, "ffff.ffff.ffff"))
                        addMatch(s, q + 9, rid::Mac);
                    return q + 9;
                }
            }
            if (const u8 *q = tryFqdn(p))
                return q;
        }
        return p + 1;
    }

    // A bare fully qualified name ("PING db01.corp.example.net", "connecting to
    // files.example.org:443"): at least two labels and a common top-level domain
    // as the last one, so that file names (libc.so.6, app.py), Java packages
    // (com.acme.Foo) and sysctl keys (net.ipv4.ip_forward) stay.
    const u8 *tryFqdn(const u8 *p)
    {
        const u8 *s = p;
        const u8 *limit = m_out.size() > m_base ? m_b + m_out.back().end() : m_b;
        while (s > limit && (kMore[s[-1]] & MAlnumDash) && p - s < 63)
            --s;
        if (s == p || !isAlnum(*s))
            return nullptr;
        if (s > m_b) {
            const u8 c = s[-1];
            if (isAlnum(c) || c == '.' || c == '_' || c == '/' || c == '\\' || c == '@' || c == '-' || c == '$' ||
                c == '%' || c == '~' || c == '*')
                return nullptr;
        }
        const u8 *q = p;
        const u8 *lastLabel = nullptr;
        int labels = 1;
        bool lower = false;
        while (q + 1 < m_e && *q == '.' && isAlnum(q[1]) && q - s < 253) {
            ++q;
            lastLabel = q;
            while (q < m_e && (kMore[*q] & MAlnumDash))
                ++q;
            ++labels;
        }
        if (!lastLabel || (q < m_e && (*q == '_' || *q == '(' || isAlnum(*q))))
            return nullptr;
        static const detail::FixedStringSet tlds = {
            "com",     "net",      "org",      "io",     "de",     "uk",        "fr",          "nl",      "eu",
            "us",      "ca",       "au",       "jp",     "ch",     "at",        "be",          "es",      "it",
            "se",      "dk",       "fi",       "ru",     "br",     "cn",        "pl",          "cz",      "edu",
            "gov",     "mil",      "info",     "biz",    "cloud",  "co",        "fm",          "tv",      "me",
            "local",   "lan",      "internal", "corp",   "home",   "intra",     "localdomain", "example", "test",
            "online",  "site",     "tech",     "dev",    "xyz",    "top",       "pro",         "int",     "network",
            "systems", "services", "company",  "group",  "global", "solutions", "digital",     "shop",    "store",
            "email",   "zone",     "work",     "link",   "club",   "space",     "live",        "news",    "agency",
            "ai",      "lab",      "private",  "office", "ad"};
        // Other two-letter country domains count in names of three labels or
        // more ("db01.acme.pt"), except file types and words of code ("x.py",
        // "user.profile.id").
        static const detail::FixedStringSet notTlds = {
            "py", "sh", "js", "cs", "go", "rb", "pl", "md", "so", "gz", "xz", "bz", "db", "ts", "vb", "ps", "el",
            "hs", "ko", "mo", "po", "pm", "cc", "hh", "rs", "ml", "mk", "am", "ac", "ui", "qm", "rc", "lo", "la",
            "pc", "cf", "pb", "id", "is", "to", "as", "do", "no", "on", "or", "if", "an", "by", "of", "up", "ok",
            "tk", "ws", "mm", "dd", "yy", "hr", "ms", "ns", "us", "kb", "mb", "gb", "tb", "px", "pt", "em"};
        if (q - lastLabel < 2 || q - lastLabel > 11 || !isAlpha(*lastLabel))
            return nullptr;
        std::array<char, 64> buf; // written before read
        const std::string_view tld(reinterpret_cast<const char *>(lastLabel), q - lastLabel);
        const std::string_view tldLower = lowerInto(tld, buf);
        if (!tlds.contains(tldLower) &&
            !(tld.size() == 2 && labels >= 3 && isAlpha(static_cast<u8>(tld[1])) && !notTlds.contains(tldLower)))
            return nullptr;
        for (const u8 *c = s; c < q; ++c)
            lower = lower || (*c >= 'a' && *c <= 'z');
        if (tld != tldLower && lower)
            return nullptr;        // "Microsoft.NET", "System.IO"
        std::array<char, 64> buf2; // written before read
        const std::string_view first(reinterpret_cast<const char *>(s), p - s);
        static const detail::FixedStringSet privateLabels = {"local",  "lan",         "internal", "corp", "home",
                                                             "intra",  "localdomain", "int",      "ad",   "lab",
                                                             "office", "dev",         "test"};
        const std::string_view firstLower = lowerInto(first, buf2);
        if (tlds.contains(firstLower) && !privateLabels.contains(firstLower))
            return nullptr; // reverse-DNS names: com.acme.Foo, net.ipv4.conf
        // Java's system properties: "user.home=/home/x", "java.home", "catalina.home"
        static const detail::FixedStringSet propertyOwners = {
            "user",    "java",   "catalina", "jboss",  "maven", "kafka", "zookeeper", "hadoop", "spark",
            "jetty",   "tomcat", "derby",    "gradle", "ant",   "solr",  "es",        "path",   "karaf",
            "wildfly", "jetty9", "groovy",   "scala",  "sbt",   "hive",  "hbase",     "flink",  "storm"};
        if (labels == 2 && tldLower == "home" && propertyOwners.contains(firstLower))
            return q;
        const LowerCopy name(s, q);
        if (isLocalhostName(name.view()) || isVendorDomain(name.view()))
            return q;
        addMatch(s, q, rid::Hostname);
        // cloud-init: "Setting the hostname to ws-kim-04.corp.example.com (ws-kim-04)": the short name too
        const size_t n = size_t(p - s);
        if (size_t(m_e - q) > n + 3 && q[0] == ' ' && q[1] == '(' && q[n + 2] == ')' &&
            ieq(q + 2, reinterpret_cast<const char *>(s), n)) {
            addMatch(q + 2, q + 2 + n, rid::Hostname);
            return q + n + 3;
        }
        return q;
    }

    const u8 *onJwt(const u8 *s, const u8 *dot)
    {
        const u8 *q = dot + 1;
        const u8 *p2 = q;
        while (q < m_e && isB64(*q))
            ++q;
        if (q - p2 < 4 || q >= m_e || *q != '.')
            return nullptr;
        ++q;
        while (q < m_e && isB64(*q))
            ++q;
        addMatch(s, q, rid::Jwt);
        return q;
    }

    // ---- digits: IPv4, cards --------------------------------------------

    bool versionContext(const u8 *s, const u8 *e) const
    {
        if (s > m_b && (s[-1] == 'v' || s[-1] == 'V') && (s - 1 == m_b || !isAlnum(s[-2])))
            return true;
        if (s - m_b >= 2 && (s[-1] == '/' || s[-1] == '-' || s[-1] == '_' || s[-1] == '@') && isAlnum(s[-2])) {
            if (s[-1] != '/')
                return true; // "pkg-1.2.3.4", "name@1.2.3.4"
            // After a '/': "Chrome/110.0.0.0" is a version; a path segment
            // ("/var/log/remote/10.1.2.3/", "/nginx/10.1.2.3-access.log") or
            // an address with a port ("db.example.org/10.1.2.3:5432") is not.
            if (e < m_e && (*e == '/' || (*e == ':' && e + 1 < m_e && isDigit(e[1]))))
                return false;
            const u8 *q = s - 1;
            bool upperCode = true, underscore = false;
            while (q > m_b && (isAlnum(q[-1]) || q[-1] == '-' || q[-1] == '_' || q[-1] == '.') && s - q < 64) {
                --q;
                upperCode = upperCode && !(*q >= 'a' && *q <= 'z');
                underscore = underscore || *q == '_';
            }
            // Squid's hierarchy code: "HIER_DIRECT/203.0.113.7", "FIRSTUP_PARENT/10.1.2.3"
            if (upperCode && underscore)
                return false;
            return !(q > m_b && q[-1] == '/');
        }
        const u8 *q = s;
        int skipped = 0;
        while (q > m_b && (isBlank(q[-1]) || q[-1] == ':' || q[-1] == '=' || q[-1] == '"' || q[-1] == '\'') &&
               skipped < 5)
            --q, ++skipped;
        // Japanese "バージョン" (version)
        static constexpr std::string_view kVersionJa = "\xe3\x83\x90\xe3\x83\xbc\xe3\x82\xb8\xe3\x83\xa7\xe3\x83\xb3";
        if (size_t(q - m_b) >= kVersionJa.size() &&
            std::memcmp(q - kVersionJa.size(), kVersionJa.data(), kVersionJa.size()) == 0)
            return true;
        const u8 *we = q;
        while (q > m_b && (isAlpha(q[-1]) || q[-1] == '_') && we - q < 16)
            --q;
        if (q == we)
            return false;
        std::array<char, 16> w; // written before read
        size_t n = 0;
        for (const u8 *c = q; c < we && n < w.size(); ++c)
            w[n++] = static_cast<char>(kLower[*c]);
        const std::string_view word(w.data(), n);
        static const detail::FixedStringSet words = {
            "version", "ver", "v", "build", "release", "rel", "firmware", "fw", "driver", "bios", "kernel", "oid",
            "revision", "rev", "agent", "package", "pkg", "sdk", "api", "product", "app", "tls", "protocol", "schema",
            "appversion", "osversion", "fileversion", "productversion", "ver_", "engine", "update", "patch",
            "extension",
            // applications named before their version ("Firefox 115.8.0.1")
            "firefox", "chrome", "chromium", "edge", "thunderbird", "java", "jre", "jdk", "python", "node", "openssl",
            "nginx", "apache", "httpd", "php", "office", "outlook", "teams", "zoom", "acrobat", "reader", "safari",
            "opera", "brave"};
        return words.contains(word) || word.ends_with("version") || word.ends_with("_ver");
    }

    const u8 *onNumber(const u8 *p)
    {
        if (p > m_b && (p[-1] == '.' || p[-1] == '-')) {
            // a signed coordinate: "position -33.86, 151.21"
            if (p[-1] == '-' && p - 1 > m_b && isBlank(p[-2])) {
                if (const u8 *q = tryCoordinateWord(p - 1))
                    return q;
            }
            return p[-1] == '-' ? skipDashedLabel(p) : skipDigitsDots(p);
        }
        const u8 *d = p;
        while (d < m_e && isDigit(*d))
            ++d;
        if (const u8 *t = skipTimestamp(p, d))
            return syslogHost(p, t);
        if (p > m_b && p[-1] == ' ' && d < m_e && *d == ' ' && d - p <= 7) {
            psOwner(p, d);
            lsofUser(p, d);
            lsOwner(p, d);
        }
        if (p > m_b && p[-1] == '%' && d - p == 2 && p[0] == '4' && p[1] == '0')
            return onAt(p - 1, d); // "jane.doe%40example.org"
        if (d - p == 3) {
            if (const u8 *q = tryUsPhone(p, d))
                return q;
        }
        if (d - p >= 2 && d - p <= 5 && *p == '0' && p > m_b && p[-1] == '(') {
            if (const u8 *q = tryTrunkPhone(p, d))
                return q;
        }
        if (d - p >= 2 && d - p <= 5 && *p == '0' && d < m_e && (*d == ' ' || *d == '-')) {
            if (const u8 *q = tryNationalPhone(p, d))
                return q;
        }
        if (d - p == 4 && d < m_e && *d == '.') {
            if (const u8 *q = tryDottedMac(p, true))
                return q;
        }
        if (d < m_e && *d == '.') {
            std::array<int, 4> oct{};
            const u8 *e = parseIpv4(p, m_e, oct);
            if (e && !(e < m_e &&
                       (isAlnum(*e) || *e == '_' || ((*e == '.' || *e == '-') && e + 1 < m_e && isDigit(e[1]))))) {
                // OIDs of X.500 attributes and X.509 extensions ("2.5.4.3", "2.5.29.37")
                const bool oid = oct[0] == 2 && oct[1] == 5 && (oct[2] == 4 || oct[2] == 29);
                if (!isNonPersonalIpv4(oct) && !oid && !versionContext(p, e) && !versionColumn(p, e, oct)) {
                    const u8 before = p > m_b ? p[-1] : 0; // an address may start the buffer
                    if (before == '/' && e < m_e && *e == ':')
                        nameBeforeAddress(p - 1);
                    else if (p - m_b >= 8 && p[-7] == ' ' && std::memcmp(p - 6, "(ipv4:", 6) == 0)
                        nameBeforeAddress(p - 7); // Samba: "ws-kim-04 (ipv4:10.1.2.3:50312) connect to service"
                    else if (before == '/' || before == ' ')
                        columnUserBefore(p - 1);
                    addMatch(p, e, rid::Ipv4);
                    if (before == ',' && e < m_e && *e == ',')
                        return dhcpCsvFields(e);
                }
                return e;
            }
            if (const u8 *q = tryHemispherePair(p))
                return q;
            if (const u8 *q = tryCoordinateWord(p))
                return q;
            return skipDigitsDots(p);
        }
        if (d < m_e && (isAlpha(*d) || *d == '_'))
            return skipAlnum(d);
        // Card numbers: 13-19 digits, plain or in groups of 3-6 separated by one space or dash.
        std::array<char, 20> digits{};
        int n = 0;
        const u8 *q = p;
        const u8 *end = nullptr;
        u8 sep = 0;
        while (true) {
            const u8 *gs = q;
            while (q < m_e && isDigit(*q) && n < 20)
                digits[n++] = static_cast<char>(*q++);
            const long glen = q - gs;
            if (n >= 20 || (q < m_e && isDigit(*q)))
                return skipDigitsDots(q);
            if (sep && (glen < 3 || glen > 6))
                break;
            end = q;
            if (q + 1 < m_e && (*q == ' ' || *q == '-') && isDigit(q[1]) && (!sep || sep == *q) && n < 19) {
                if (!sep && (glen < 3 || glen > 6))
                    break;
                sep = *q;
                ++q;
                continue;
            }
            break;
        }
        if (n >= 13 && n <= 19 && end &&
            !(end < m_e && (isAlnum(*end) || (*end == '.' && end + 1 < m_e && isDigit(end[1]))))) {
            if (plausibleCardPrefix(digits.data(), n) && luhn(digits.data(), n)) {
                addMatch(p, end, rid::Card);
                return end;
            }
        }
        return d;
    }

    // "name/10.1.2.3:port": OpenVPN's "common-name/address:port" before every
    // client line, Java's InetAddress "host/address:port". s is the '/'; the
    // name is a word of its own (a blank, '[', '(' or the line start before).
    // A name with a dot is left to the host-name rules.
    void nameBeforeAddress(const u8 *s)
    {
        const u8 *n = s;
        while (n > m_b && (isNameChar(n[-1]) || n[-1] == '@') && s - n < 64)
            --n;
        if (n == s || !isAlnum(*n) || !(n == m_b || isBlank(n[-1]) || n[-1] == '[' || n[-1] == '(' || n[-1] == '\n'))
            return;
        if (std::memchr(n, '@', size_t(s - n)))
            return;
        // "jane.doe/203.0.113.7:51234" (OpenVPN); a host name the FQDN rule took stays its
        if (std::memchr(n, '.', size_t(s - n))) {
            if (m_out.size() > m_base && m_out.back().end() == s - m_b)
                return;
            emitUser(n, s, rid::Username);
            return;
        }
        if (hostLike(n, s) && !std::all_of(n, s, [](u8 c) { return isDigit(c) || c == '-' || c == '_'; }))
            addMatch(n, s, rid::Hostname);
        else
            emitUser(n, s, rid::Username);
    }

    // The Windows DHCP server's audit log (CSV): "10,03/21/24,09:47:37,Assign,
    // 10.1.2.3,ws-kim-04.corp.example.com,3C52821A2B3C,,..."; after the address
    // come the host name and the MAC address as 12 bare hex digits. e is the
    // comma after the address.
    const u8 *dhcpCsvFields(const u8 *e)
    {
        const u8 *hs = e + 1;
        const u8 *he = hs;
        while (he < m_e && isHostChar(*he) && he - hs < 253)
            ++he;
        if (he >= m_e || *he != ',' || m_e - he < 14 || he[13] != ',' ||
            !std::all_of(he + 1, he + 13, [](u8 c) { return isHex(c); }))
            return e;
        if (he > hs)
            emitHost(hs, he, false);
        addMatch(he + 1, he + 13, rid::Mac);
        return he + 13;
    }

    // The user column of two access-log formats, found from the address after
    // it. s is the byte before the address.
    // - IIS W3C: "... GET /owa/ - 443 CONTOSO\\jdoe 10.1.2.3 Mozilla/5.0..."
    //   (s-port, cs-username, c-ip);
    // - Squid: "... CONNECT host:443 jdoe HIER_DIRECT/203.0.113.7 -" (the user
    //   before the hierarchy code).
    void columnUserBefore(const u8 *s)
    {
        const u8 *ue = s;
        if (*s == '/') {
            const u8 *c = s;
            while (c > m_b && ((c[-1] >= 'A' && c[-1] <= 'Z') || c[-1] == '_') && s - c < 32)
                --c;
            if (s - c < 5 || !std::memchr(c, '_', size_t(s - c)) || c == m_b || c[-1] != ' ')
                return;
            ue = c - 1;
        } else {
            // IIS: the port before the name
            const u8 *n = ue;
            while (n > m_b && !isBlank(n[-1]) && ue - n < 128)
                --n;
            const u8 *d = n - 1;
            if (n == ue || n - m_b < 3 || *d != ' ' || !isDigit(d[-1]))
                return;
            const u8 *ds = d;
            while (ds > m_b && isDigit(ds[-1]) && d - ds <= 5)
                --ds;
            if (d - ds > 5 || ds == m_b || ds[-1] != ' ')
                return;
            // and the user agent after the address: "-" or a word with '/' or '+'
            const u8 *a = s + 1;
            while (a < m_e && (isDigit(*a) || *a == '.'))
                ++a;
            if (m_e - a < 2 || *a != ' ')
                return;
            const u8 *ua = ++a;
            bool agent = *ua == '-' && (ua + 1 == m_e || isBlank(ua[1]));
            for (; !agent && a < m_e && !isBlank(*a) && *a != '\n' && a - ua < 64; ++a)
                agent = *a == '/' || *a == '+';
            if (!agent)
                return;
        }
        const u8 *n = ue;
        while (n > m_b && (isNameChar(n[-1]) || n[-1] == '\\') && ue - n < 128)
            --n;
        if (n == ue || !(n == m_b || isBlank(n[-1])) || !isAlnum(*n) || !isAlnum(ue[-1]) ||
            isProseWord(std::string_view(reinterpret_cast<const char *>(n), size_t(ue - n))))
            return;
        emitNameValue(n, ue);
    }

    // A version in the column of a table of names and versions ("Realtek Audio
    // Driver      1.17.83.41"): a dotted quad that starts with 1-9, after two
    // or more blanks that follow a name, and without a port or prefix length.
    bool versionColumn(const u8 *p, const u8 *e, const std::array<int, 4> &oct) const
    {
        if (oct[0] > 9 || p - m_b < 3)
            return false;
        if (p[-1] == ' ' && p[-2] != ' ' && (e == m_e || !(*e == ':' || *e == '/'))) {
            // After a product name ("Zoom 5.16.10.26", "Teams 1.6.0.1"): a
            // capitalised word that is not one of addresses ("Server", "Host").
            const u8 *ws = p - 1;
            while (ws > m_b && isAlnum(ws[-1]) && p - ws < 24)
                --ws;
            if (ws + 2 < p - 1 && *ws >= 'A' && *ws <= 'Z' && ws[1] >= 'a' && ws[1] <= 'z' &&
                (ws == m_b || !(isAlnum(ws[-1]) || ws[-1] == '.'))) {
                static const detail::FixedStringSet addressWords = {
                    "address",    "server", "host",        "client",    "from",    "to",        "gateway",
                    "peer",       "source", "destination", "target",    "remote",  "local",     "router",
                    "nameserver", "via",    "at",          "ip",        "inet",    "dns",       "proxy",
                    "relay",      "node",   "listen",      "listening", "connect", "connected", "connecting",
                    "bound",      "bind",   "origin",      "forwarded"};
                std::array<char, 64> buf; // written before read
                if (!addressWords.contains(
                        lowerInto(std::string_view(reinterpret_cast<const char *>(ws), size_t(p - 1 - ws)), buf)))
                    return true;
            }
            return false;
        }
        if (!(p[-1] == '\t' || (p[-1] == ' ' && p[-2] == ' ')))
            return false;
        if (e < m_e && (*e == ':' || *e == '/'))
            return false;
        const u8 *q = p;
        while (q > m_b && isBlank(q[-1]) && p - q < 64)
            --q;
        return q > m_b && (isAlpha(q[-1]) || q[-1] == ')' || q[-1] == '+');
    }

    // US phone numbers: "(555) 010-9999" and "555-010-9999" anywhere;
    // "555.010.9999" after a word of calls and messages. p..d: three digits.
    const u8 *tryUsPhone(const u8 *p, const u8 *d)
    {
        const auto digitsAt = [this](const u8 *q, int n) {
            if (m_e - q < n)
                return false;
            for (int i = 0; i < n; ++i) {
                if (!isDigit(q[i]))
                    return false;
            }
            return true;
        };
        const u8 *s = p;
        const u8 *e = nullptr;
        if (p > m_b && p[-1] == '(' && m_e - d >= 10 && *d == ')' && d[1] == ' ' && digitsAt(d + 2, 3) && d[5] == '-' &&
            digitsAt(d + 6, 4)) {
            s = p - 1;
            e = d + 10;
        } else if (m_e - d >= 9 && (*d == '-' || *d == '.') && digitsAt(d + 1, 3) && d[4] == *d && digitsAt(d + 5, 4)) {
            e = d + 9;
            // "555-010-9999" is a phone number wherever it stands (an area code
            // starts with 2-9; nothing else in logs is three-three-four with
            // dashes); the dotted form looks like versions and needs the word.
            const bool bareDashed = *d == '-' && *p >= '2' &&
                                    (p == m_b || !(isAlnum(p[-1]) || p[-1] == '-' || p[-1] == '.' || p[-1] == '/'));
            if (!bareDashed && !phoneWordBefore(p))
                return nullptr;
        } else {
            return nullptr;
        }
        if (e < m_e && (isAlnum(*e) || ((*e == '-' || *e == '.') && e + 1 < m_e && isDigit(e[1]))))
            return nullptr;
        addMatch(s, e, rid::Phone);
        return e;
    }

    // National numbers with the area code in parentheses after the trunk 0:
    // "(03) 1234-5678", "(0201) 123-4567". p..d: the area code's digits.
    const u8 *tryTrunkPhone(const u8 *p, const u8 *d)
    {
        if (m_e - d < 8 || d[0] != ')' || d[1] != ' ')
            return nullptr;
        const u8 *q = d + 2;
        const u8 *ls = q;
        while (q < m_e && isDigit(*q) && q - ls < 5)
            ++q;
        if (q - ls < 2 || q - ls > 4 || q >= m_e || *q != '-')
            return nullptr;
        const u8 *rs = ++q;
        while (q < m_e && isDigit(*q) && q - rs < 5)
            ++q;
        if (q - rs != 4 || (q < m_e && (isAlnum(*q) || ((*q == '-' || *q == '.') && q + 1 < m_e && isDigit(q[1])))))
            return nullptr;
        addMatch(p - 1, q, rid::Phone);
        return q;
    }

    // National numbers after the trunk 0 in groups: Japan's "03-1234-5678",
    // "090-1234-5678" (three groups with dashes, wherever they stand) and, after
    // a word of calls, the UK's "020 7946 0959", "07700 900123". Ten or eleven
    // digits. p..d: the first group.
    const u8 *tryNationalPhone(const u8 *p, const u8 *d)
    {
        if (p > m_b && (isAlnum(p[-1]) || p[-1] == '-' || p[-1] == '.' || p[-1] == '/' || p[-1] == ':'))
            return nullptr;
        const u8 sep = *d;
        int digits = int(d - p);
        int groups = 1;
        const u8 *e = d;
        while (e + 1 < m_e && *e == sep && isDigit(e[1]) && groups < 4) {
            const u8 *g = e + 1;
            while (g < m_e && isDigit(*g) && g - e <= 7)
                ++g;
            if (g - e - 1 > 6)
                return nullptr; // no group of a phone number is that long
            digits += int(g - e - 1);
            ++groups;
            e = g;
        }
        if (groups < 2 || digits < 10 || digits > 11 || e - p < 11)
            return nullptr;
        if (e < m_e && (isAlnum(*e) || ((*e == '-' || *e == '.' || *e == ':') && e + 1 < m_e && isDigit(e[1]))))
            return nullptr;
        const bool japanese = sep == '-' && groups == 3;
        if (!japanese && !phoneWordBefore(p))
            return nullptr;
        addMatch(p, e, rid::Phone);
        return e;
    }

    bool phoneWordBefore(const u8 *s) const
    {
        const u8 *q = s;
        while (q > m_b && (isBlank(q[-1]) || q[-1] == ':' || q[-1] == '#') && s - q < 4)
            --q;
        const u8 *we = q;
        while (q > m_b && isAlpha(q[-1]) && we - q < 16)
            --q;
        std::array<char, 64> buf; // written before read
        const std::string_view word =
            lowerInto(std::string_view(reinterpret_cast<const char *>(q), size_t(we - q)), buf);
        static const detail::FixedStringSet words = {
            "call",      "calls",    "called",    "calling", "caller", "callee",   "from", "to",
            "phone",     "tel",      "telephone", "mobile",  "cell",   "fax",      "sms",  "dial",
            "dialed",    "dialing",  "number",    "contact", "ring",   "text",     "at",   "callback",
            "voicemail", "whatsapp", "ph",        "mob",     "no",     "cellphone"};
        return !word.empty() && words.contains(word);
    }

    // Cisco's dotted MAC "3c52.821a.2b3c" at s. From the digit recogniser
    // ("5487.bc20.bf19") at least one hex letter is needed.
    const u8 *tryDottedMac(const u8 *s, bool needLetter)
    {
        if (m_e - s < 14 || (s > m_b && (s[-1] == '.' || isAlnum(s[-1]))))
            return nullptr;
        bool letter = false;
        for (int i = 0; i < 14; ++i) {
            if (i == 4 || i == 9) {
                if (s[i] != '.')
                    return nullptr;
            } else if (!isHex(s[i])) {
                return nullptr;
            } else {
                letter = letter || isAlpha(s[i]);
            }
        }
        const u8 *q = s + 14;
        if ((needLetter && !letter) || (q < m_e && (isAlnum(*q) || (*q == '.' && q + 1 < m_e && isAlnum(q[1])))))
            return nullptr;
        const std::string_view c(reinterpret_cast<const char *>(s), 14);
        if (c != "0000.0000.0000" && !equalsLower(c, "ffff.ffff.ffff"))
            addMatch(s, q, rid::Mac);
        return q;
    }

    // ISO dates/times ("2024-01-10T10:00:01.123Z", "2024-01-10 10:00:01,123")
    // and clock times ("10:00:01"): never personal, and the most common
    // digits in logs. Returns the end, or nullptr.
    const u8 *skipTimestamp(const u8 *p, const u8 *d) const
    {
        auto digits = [&](const u8 *q, int n) {
            if (m_e - q < n)
                return false;
            for (int i = 0; i < n; ++i) {
                if (!isDigit(q[i]))
                    return false;
            }
            return true;
        };
        const u8 *q = nullptr;
        if (d - p == 4 && m_e - d >= 6 && *d == '-' && digits(d + 1, 2) && d[3] == '-' && digits(d + 4, 2)) {
            q = d + 6;
            if (m_e - q >= 9 && (*q == 'T' || *q == ' ') && digits(q + 1, 2) && q[3] == ':')
                q += 1;
            else
                return q < m_e && isAlnum(*q) ? nullptr : q;
        } else if (d - p == 2 && d < m_e && *d == ':') {
            q = p;
        } else {
            return nullptr;
        }
        // hh:mm[:ss][.fff|,fff][Z|+hh[:]mm]
        if (!digits(q, 2) || m_e - q < 5 || q[2] != ':' || !digits(q + 3, 2))
            return nullptr;
        q += 5;
        if (m_e - q >= 3 && *q == ':' && digits(q + 1, 2))
            q += 3;
        if (m_e - q >= 2 && (*q == '.' || *q == ',') && isDigit(q[1])) {
            ++q;
            while (q < m_e && isDigit(*q))
                ++q;
        }
        if (q < m_e && *q == 'Z')
            ++q;
        else if (m_e - q >= 5 && (*q == '+' || *q == '-') && digits(q + 1, 2)) {
            q += 3;
            if (q < m_e && *q == ':')
                ++q;
            if (digits(q, 2))
                q += 2;
        }
        if (q < m_e && (isAlnum(*q) || *q == ':'))
            return nullptr;
        return q;
    }

    // Skips a run of letters, digits and dots ("1.2.3.4.5", "10.0.0.1a").
    const u8 *skipDigitsDots(const u8 *p) const
    {
        while (p < m_e && (isAlnum(*p) || *p == '.'))
            ++p;
        return p;
    }

    // The same after a dash, but it stops at a dot that a letter follows: a
    // label of a host name ("nb-4.corp.example.org") where tryFqdn starts.
    const u8 *skipDashedLabel(const u8 *p) const
    {
        while (p < m_e && (isAlnum(*p) || *p == '.')) {
            if (*p == '.' && p + 1 < m_e && isAlpha(p[1]))
                return p;
            ++p;
        }
        return p;
    }

    // ---- '+': international phone numbers -------------------------------

    const u8 *onPlus(const u8 *p)
    {
        if (p + 1 >= m_e || !isDigit(p[1]) || p[1] == '0' || (p > m_b && (isAlnum(p[-1]) || p[-1] == '+')))
            return p + 1;
        const u8 *q = p + 1;
        int digits = 0;
        const u8 *last = q;
        while (q < m_e && q - p < 24) {
            if (isDigit(*q)) {
                ++digits;
                last = q + 1;
                ++q;
            } else if ((*q == ' ' || *q == '-' || *q == '.' || *q == '(' || *q == ')') && q + 1 < m_e &&
                       (isDigit(q[1]) || q[1] == '(')) {
                ++q;
            } else {
                break;
            }
        }
        if (digits < 10 || digits > 15 || (last < m_e && (isAlnum(*last) || *last == ':')))
            return last;
        addMatch(p, last, rid::Phone);
        return last;
    }
};

} // namespace

qint64
runScanner(const Redactor::Impl &d, std::string_view text, qint64 from, bool atEnd, std::vector<RedactMatch> &out)
{
    Scanner scanner(d, text, from, atEnd, out);
    return scanner.run();
}

} // namespace dc::core
