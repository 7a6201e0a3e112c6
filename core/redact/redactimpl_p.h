// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Private: the redactor's compiled rules (Redactor::Impl) and the entry
// points of the scanner (redactscanner.cpp) and of user patterns
// (redactpatterns.cpp).

#include "core/redact/literalset.h"
#include "core/redact/redactbytes_p.h"
#include "core/redact/redactor.h"

#include <QRegularExpression>
#include <algorithm>
#include <vector>

namespace dc::core {

namespace rx {

enum Class : u8 { KNone, KAt, KColon, KDot, KEq, KSlash, KBackslash, KDash, KPlus, KDigit, KDollar, KLit };

// What the hot loop does with a byte: step over it, skip the word it starts
// (a letter or digit without a class), or hand it to a recogniser.
// SkipLit: a byte that only starts literals ("for", "peer", "REG_SZ"): the
// loop leaves only when the first two bytes start one of them.
enum SkipKind : u8 { SkipByte, SkipWord, SkipStop, SkipLit };

enum LitKind : u8 {
    LitPlain,        // machine names, keywords, known values: the literal itself
    LitBearer,       // "bearer <token>"
    LitFor,          // "for u from <ip>", "for [invalid] user u"
    LitUserPhrase,   // "invalid user u", "authenticating user u", ...
    LitAws,          // AKIA... (case-sensitive)
    LitApiToken,     // ghp_..., xoxb-..., AIza... (case-sensitive)
    LitHostPhrase,   // "on host X", "connecting to X", "peer X": a host-like name
    LitHostTo,       // "to X established", "to X:443": a host-like name with that evidence
    LitDomainPhrase, // "joined domain X"
    LitSudo,         // "sudo: u : TTY=..."
    LitRegType,      // reg query: "Name    REG_SZ    value"
    LitSu,           // su: "(to root) u on pts/0"
    LitUserWord,     // "user X" with X not a word of prose
    LitCron,         // cron: "(jdoe) CMD (...)"
    LitNetUse,       // "net use Z: \\\\host\\share /user:DOM\\u password"
    LitNetrc,        // .netrc: "machine host login u password p", also over several lines
    LitCleartext,    // FreeRADIUS: 'Cleartext password "p"'
    LitRadiusLogin,  // FreeRADIUS: "Login OK: [u]", "Login incorrect (...): [u/p] (from client ...)"
    LitIdPhrase,     // "device id 5f2b...", "installation id {8F2A...}": a hex id of a machine
    LitPaddedKey,    // net user: "User name                    mlopez", "Full Name   Maria Lopez"
    LitQuser,        // quser: ">mlopez                console             1  Active"
    LitKlistClient,  // klist: "Client: mlopez @ CORP.EXAMPLE.COM"
    LitQuotedHost,   // dhcpd/dhclient leases: 'client-hostname "ws-kim-04";', 'option host-name "x";'
    LitDnsmasqAck,   // dnsmasq: "DHCPACK(br0) 192.168.1.7 3c:52:82:1a:2b:3c annas-iphone"
    LitSsid,         // Wi-Fi: ssid="x", "SSID: x", "with SSID 'x'"
    LitBtDevice,     // bluetoothctl: "[NEW] Device 3C:52:82:1A:2B:3C Maria's AirPods"
    LitCertCn,       // certificate subjects: "CN = Jane Doe", "CN=Tom Baker,OU=Users"
    LitBluezPath,    // BlueZ object paths: "/org/bluez/hci0/dev_3C_52_82_1A_2B_3C"
    LitWindowsName,  // Windows' generated computer names: DESKTOP-A1B2C3D, LAPTOP-7QK2JH1, WIN-8ABC1DEF2GH
    LitValueBelow,   // a value on the line below its header or command: wmic's "SerialNumber", "cat /etc/machine-id"
    LitXmlSecret,    // XML settings: <password>x</password>, <add key="SmtpPassword" value="x" />
    LitJapaneseKey, // Japanese labels: "アカウント名:\t\tt.suzuki", "パスワード：x", net user's padded ones
};

struct Literal
{
    std::string lower; // lower-cased bytes (exact bytes for case-sensitive kinds)
    quint16 rule;
    LitKind kind;
    bool caseSensitive;
};

} // namespace rx

using namespace rx; // the engine's own files only (a private header)

struct Redactor::Impl
{
    QList<RuleInfo> rules;
    std::vector<QByteArray> prefixes;
    std::vector<u8> enabled;
    std::array<u8, 256> cls{};
    std::array<u8, 256> litFirst{};
    std::array<u8, 256> skip{}; // SkipKind of every byte
    std::vector<quint64> pairBits = std::vector<quint64>(1024, 0);
    std::array<std::vector<Literal>, 256> lits;
    struct Pattern
    {
        quint16 rule;
        QRegularExpression re;
    };
    std::vector<Pattern> patterns;
    LiteralSet plain; // payload: rule index
    // The machine's own names and the keywords, known before any scan: looked
    // for at the start of every scanner match and inside host names, where a
    // machine name cuts the match (a small set that stays in the cache).
    LiteralSet namesAndTerms;
    QByteArray machineId;

    bool on(quint16 r) const { return enabled[r] != 0; }

    // Whether a literal starts with these two bytes (case-insensitively).
    bool pairStarts(u8 a, u8 b) const
    {
        const unsigned pair = (unsigned(kLower[a]) << 8) | kLower[b];
        return (pairBits[pair >> 6] & (quint64(1) << (pair & 63))) != 0;
    }

    // The hot loop's filter for a word that starts with a letter or digit:
    // bit n of firstLen[c] is set when a literal that starts with c can start
    // a word of n bytes (its first word is n long: "of user" needs "of"; a
    // token prefix such as "AKIA" needs 4 or more). One load and a shift.
    // firstLast[c]: the last bytes (lower case) of those first words.
    std::array<quint64, 256> firstLen{};
    std::array<std::array<quint64, 4>, 256> firstLast{};
    bool wordMayStart(const u8 *s, const u8 *e) const
    {
        if (!((firstLen[*s] >> std::min<qptrdiff>(e - s, 63)) & 1u))
            return false;
        const u8 last = kLower[e[-1]];
        return (firstLast[*s][last >> 6] >> (last & 63)) & 1u;
    }

    void addLiteral(const QByteArray &bytes, quint16 rule, LitKind kind, bool caseSensitive)
    {
        if (bytes.size() < 2)
            return;
        std::string s(bytes.constData(), static_cast<size_t>(bytes.size()));
        if (!caseSensitive) {
            for (char &c : s)
                c = static_cast<char>(kLower[static_cast<u8>(c)]);
        }
        const u8 f = static_cast<u8>(s[0]);
        const u8 lf = kLower[f];
        for (const Literal &l : lits[lf]) {
            if (l.lower == s && l.kind == kind)
                return; // first registration wins (host before account, ...)
        }
        lits[lf].push_back(Literal{s, rule, kind, caseSensitive});
        std::stable_sort(lits[lf].begin(), lits[lf].end(),
                         [](const Literal &a, const Literal &b) { return a.lower.size() > b.lower.size(); });
        const unsigned pair = (unsigned(lf) << 8) | kLower[static_cast<u8>(s[1])];
        pairBits[pair >> 6] |= quint64(1) << (pair & 63);
        if (isAlnum(f)) {
            size_t n = 0;
            while (n < s.size() && isAlnum(static_cast<u8>(s[n])))
                ++n;
            // a token goes on after the literal ("AKIAIOSFODNN7EXAMPLE"): any longer word too
            const bool open = n == s.size() && (kind == LitAws || kind == LitApiToken);
            const quint64 bits = open ? ~quint64(0) << std::min<size_t>(n, 63) : quint64(1) << std::min<size_t>(n, 63);
            const u8 last = kLower[static_cast<u8>(s[n - 1])];
            const auto mark = [&](u8 first) {
                firstLen[first] |= bits;
                if (open)
                    firstLast[first].fill(~quint64(0));
                else
                    firstLast[first][last >> 6] |= quint64(1) << (last & 63);
            };
            if (caseSensitive) {
                mark(f);
            } else {
                mark(lf);
                mark(static_cast<u8>((lf >= 'a' && lf <= 'z') ? lf - 32 : lf));
            }
        }
        if (caseSensitive) {
            litFirst[f] = 1;
        } else {
            litFirst[lf] = 1;
            litFirst[static_cast<u8>((lf >= 'a' && lf <= 'z') ? lf - 32 : lf)] = 1;
        }
    }
};

// Runs the scanner over text[from..] (text before `from` is context) and
// appends its matches to `out`; returns where a pending private-key block
// starts, or -1.
qint64
runScanner(const Redactor::Impl &d, std::string_view text, qint64 from, bool atEnd, std::vector<RedactMatch> &out);

// Runs the user patterns over text[from..] and merges their matches into out[base..].
void runPatterns(
    const Redactor::Impl &d, std::string_view text, qint64 from, std::vector<RedactMatch> &out, size_t base);

} // namespace dc::core
