// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors

// The run-wide literal pass at scale (docs/BENCHMARKS.md, "Run-wide literal pass"):
//   bench_literals [--mib N] [--values N,N,...] [--repeat N] [--no-hyperscan] [--hs-max N]
// For each N (default 1 000, 10 000, 100 000 and 1 000 000): N distinct
// chosen values of a realistic mix (IPv4/IPv6 addresses, e-mail addresses,
// host and user names, 32-hex ids, GUIDs, phone numbers, tokens, passwords
// with punctuation), a LiteralSet built from them, and findAll() over a dense
// generated log text (syslog, access log, ps and JSON lines; about 1 % of the
// words are occurrences of chosen values and several per cent near misses
// that share a prefix with one), one thread. Prints build time, memoryBytes(),
// the process's peak RSS growth while building, MB/s of findAll (best of
// --repeat, wall clock and per CPU second of the thread) and the hits, which
// exceed the planted occurrences where a chosen value lies inside another
// field (a chosen user name as an address's local part, a host's first label). When built with Hyperscan
// (libhyperscan-dev), the same values go through hs_compile_lit_multi() (caseless literals, block mode) and the same
// text through hs_scan() with a callback that counts events: Hyperscan reports every end of every literal, not the
// leftmost longest occurrence, and knows no word boundaries, so its event count is not a hit count and the work it does
// is not the same.

#include "core/redact/literalset.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <time.h>
#include <unordered_set>
#include <vector>

#ifdef DC_BENCH_HYPERSCAN
#include <hs/hs.h>
#endif

using dc::core::LiteralSet;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// CPU seconds of this thread: on a shared machine, wall time also counts the time the thread waited for a core.
double cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// "VmRSS" or "VmHWM" of this process, in KiB.
long statusKiB(const char *key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const size_t n = std::strlen(key);
    while (std::getline(in, line)) {
        if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':')
            return std::strtol(line.c_str() + n + 1, nullptr, 10);
    }
    return -1;
}

// Resets VmHWM to the current RSS (Linux 4.0+), so that the next peak is this step's.
void resetPeak()
{
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
}

std::string loadAverage()
{
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

class Rng
{
public:
    explicit Rng(uint64_t seed)
        : m_g(seed)
    {
    }
    size_t below(size_t n) { return size_t(m_g() % n); }
    bool chance(double p) { return double(m_g() >> 11) * 0x1.0p-53 < p; }
    uint64_t next() { return m_g(); }

private:
    std::mt19937_64 m_g;
};

const char *const kFirst[] = {"kim",    "lee",   "anna",   "jdoe",   "maria",  "jose",   "wei",   "yuki", "omar",
                              "fatima", "liam",  "noah",   "emma",   "olivia", "lucas",  "mia",   "hiro", "sven",
                              "ingrid", "pablo", "chloe",  "ravi",   "priya",  "tomas",  "elena", "ivan", "sofia",
                              "amir",   "leila", "kenji",  "sara",   "mateo",  "nina",   "oscar", "rosa", "felix",
                              "hana",   "david", "grace",  "marco",  "julia",  "pedro",  "aiko",  "lars", "katya",
                              "sam",    "zoe",   "victor", "helena", "bruno",  "carmen", "dmitri"};
const char *const kLast[] = {
    "smith",  "garcia",  "tanaka",   "mueller", "rossi",   "kowalski",    "nguyen", "johansson", "silva",    "ivanova",
    "brown",  "martin",  "suzuki",   "schmidt", "ferrari", "nowak",       "tran",   "lindqvist", "santos",   "petrov",
    "wilson", "lopez",   "sato",     "fischer", "russo",   "wojcik",      "pham",   "nilsson",   "costa",    "sokolov",
    "taylor", "perez",   "watanabe", "weber",   "bianchi", "kaminski",    "le",     "larsson",   "oliveira", "popov",
    "moore",  "sanchez", "ito",      "wagner",  "romano",  "lewandowski", "hoang",  "eriksson",  "pereira",  "volkov"};
const char *const kDomains[] = {"corp.example",    "mail.example.com", "northwind-traders.net", "contoso.co.uk",
                                "ad.fabrikam.org", "research.acme.io", "eu.globex.example"};
const char *const kRoles[] = {"db", "web", "app", "cache", "mq", "build", "ci", "vpn", "dc", "fs", "log", "mon"};
const char kHex[] = "0123456789abcdef";

template <size_t N> const char *pick(Rng &rng, const char *const (&list)[N]) { return list[rng.below(N)]; }

std::string number(Rng &rng, unsigned digits)
{
    std::string s;
    for (unsigned i = 0; i < digits; ++i)
        s.push_back(char('0' + rng.below(10)));
    return s;
}

std::string hex(Rng &rng, unsigned digits)
{
    std::string s;
    for (unsigned i = 0; i < digits; ++i)
        s.push_back(kHex[rng.below(16)]);
    return s;
}

enum Kind { IPv4, IPv6, Email, Host, User, Hex32, Guid, Phone, Token, Password, KindCount };
const char *const kKindNames[] = {"ipv4",  "ipv6", "email", "host",  "user",
                                  "hex32", "guid", "phone", "token", "password"};
// Share of each kind among the chosen values, in per cent.
const unsigned kKindShare[] = {8, 8, 21, 16, 8, 10, 12, 4, 5, 8};

std::string makeValue(Rng &rng, Kind kind)
{
    switch (kind) {
    case IPv4:
        switch (rng.below(3)) {
        case 0:
            return "10." + std::to_string(rng.below(256)) + "." + std::to_string(rng.below(256)) + "." +
                   std::to_string(1 + rng.below(254));
        case 1:
            return "172." + std::to_string(16 + rng.below(16)) + "." + std::to_string(rng.below(256)) + "." +
                   std::to_string(1 + rng.below(254));
        default:
            return "192.168." + std::to_string(rng.below(256)) + "." + std::to_string(1 + rng.below(254));
        }
    case IPv6: {
        std::string s = rng.chance(0.5) ? "2001:db8:" + hex(rng, 1 + unsigned(rng.below(4))) : "fd" + hex(rng, 2);
        const unsigned groups = rng.chance(0.75) ? 6 : 3;
        if (groups == 3)
            s += ":";
        for (unsigned g = 0; g < groups; ++g)
            s += ":" + hex(rng, 1 + unsigned(rng.below(4)));
        return s;
    }
    case Email:
        switch (rng.below(3)) {
        case 0:
            return std::string(pick(rng, kFirst)) + "." + pick(rng, kLast) + "@" + pick(rng, kRoles) + "." +
                   pick(rng, kDomains);
        case 1:
            return std::string(1, pick(rng, kFirst)[0]) + pick(rng, kLast) + number(rng, 2) + "@" + pick(rng, kDomains);
        default:
            return std::string(pick(rng, kFirst)) + "_" + pick(rng, kLast) + "+" + pick(rng, kRoles) + "@" +
                   pick(rng, kDomains);
        }
    case Host:
        switch (rng.below(4)) {
        case 0:
            return std::string("ws-") + pick(rng, kFirst) + "-" + number(rng, 2) +
                   (rng.chance(0.5) ? std::string(".") + pick(rng, kDomains) : std::string());
        case 1:
            return std::string("srv-") + pick(rng, kRoles) + "-" + number(rng, 4) + ".dc" + number(rng, 1) + "." +
                   pick(rng, kDomains);
        case 2: {
            std::string s = "LAPTOP-";
            for (int i = 0; i < 7; ++i)
                s.push_back("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[rng.below(34)]);
            return s;
        }
        default:
            return std::string(pick(rng, kFirst)) + "-" + pick(rng, kLast) + "-mbp-" + number(rng, 3) + ".local";
        }
    case User:
        switch (rng.below(3)) {
        case 0:
            return std::string(1, pick(rng, kFirst)[0]) + pick(rng, kLast) + number(rng, 2);
        case 1:
            return std::string(pick(rng, kFirst)) + "." + pick(rng, kLast) + number(rng, 1);
        default:
            return std::string(pick(rng, kFirst)) + "_" + pick(rng, kLast) + number(rng, 2);
        }
    case Hex32:
        return hex(rng, 32);
    case Guid:
        return hex(rng, 8) + "-" + hex(rng, 4) + "-4" + hex(rng, 3) + "-a" + hex(rng, 3) + "-" + hex(rng, 12);
    case Phone:
        switch (rng.below(3)) {
        case 0:
            return "+1 " + number(rng, 3) + " 555 " + number(rng, 4);
        case 1:
            return "+44 20 " + number(rng, 4) + " " + number(rng, 4);
        default:
            return "(0" + number(rng, 1 + unsigned(rng.below(3))) + ") " + number(rng, 4) + "-" + number(rng, 4);
        }
    case Token: {
        static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        std::string s = rng.chance(0.5) ? "ghp_" : "xoxb-";
        for (int i = 0; i < 48; ++i)
            s.push_back(b64[rng.below(64)]);
        return s;
    }
    case Password: {
        static const char chars[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%&*+-.:;=?@^_~";
        std::string s;
        const size_t length = 14 + rng.below(19);
        for (size_t i = 0; i < length; ++i)
            s.push_back(chars[rng.below(sizeof(chars) - 1)]);
        return s;
    }
    case KindCount:
        break;
    }
    return {};
}

Kind pickKind(Rng &rng)
{
    size_t r = rng.below(100);
    for (unsigned k = 0; k < KindCount; ++k) {
        if (r < kKindShare[k])
            return Kind(k);
        r -= kKindShare[k];
    }
    return IPv4;
}

std::string folded(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
    return out;
}

struct Values
{
    std::vector<std::string> bytes;
    std::vector<Kind> kinds;
    std::vector<std::vector<quint32>> byKind; // indexes per kind
    std::unordered_set<std::string> folded;   // every value, ASCII case folded
    size_t totalBytes = 0;
    bool contains(const std::string &value) const { return folded.count(::folded(value)) != 0; }
};

// N distinct values (ASCII case folded), the same first values for every N.
Values makeValues(size_t count)
{
    Rng rng(20261207);
    Values v;
    v.byKind.resize(KindCount);
    v.folded.reserve(count * 2);
    while (v.bytes.size() < count) {
        const Kind kind = pickKind(rng);
        std::string value = makeValue(rng, kind);
        if (!v.folded.insert(folded(value)).second)
            continue;
        v.byKind[kind].push_back(quint32(v.bytes.size()));
        v.totalBytes += value.size();
        v.bytes.push_back(std::move(value));
        v.kinds.push_back(kind);
    }
    return v;
}

// The log text: lines of a few formats whose variable fields are, per field,
// a chosen value, a near miss of one (its prefix with a different or longer
// tail, cut short, glued to a word) or another value of the same shape; near
// misses and other values are redrawn when they happen to be chosen values,
// so that occurrences stay about 1 % of the words whatever N.
class TextMaker
{
public:
    TextMaker(const Values &values, uint64_t seed)
        : m_values(values)
        , m_rng(seed)
    {
    }

    std::string make(size_t bytes)
    {
        std::string text;
        text.reserve(bytes + 4096);
        while (text.size() < bytes) {
            switch (m_rng.below(4)) {
            case 0:
                syslogLine(text);
                break;
            case 1:
                accessLine(text);
                break;
            case 2:
                psLine(text);
                break;
            default:
                jsonLine(text);
                break;
            }
        }
        return text;
    }
    size_t planted() const { return m_planted; }
    size_t nearMisses() const { return m_near; }

private:
    std::string field(Kind kind)
    {
        const auto &pool = m_values.byKind[kind];
        if (!pool.empty() && m_rng.chance(kHit)) {
            ++m_planted;
            std::string v = m_values.bytes[pool[m_rng.below(pool.size())]];
            if (m_rng.chance(0.2)) // another case
                std::transform(v.begin(), v.end(), v.begin(), [](char c) { return char(std::toupper(u8(c))); });
            return v;
        }
        if (!pool.empty() && m_rng.chance(kNear)) {
            ++m_near;
            for (int attempt = 0;; ++attempt) {
                std::string v = nearMiss(kind, m_values.bytes[pool[m_rng.below(pool.size())]]);
                if (attempt == 8 || !m_values.contains(v))
                    return v;
            }
        }
        for (int attempt = 0;; ++attempt) {
            std::string v = makeValue(m_rng, kind);
            if (attempt == 8 || !m_values.contains(v))
                return v;
        }
    }

    std::string nearMiss(Kind kind, std::string v)
    {
        switch (m_rng.below(4)) {
        case 0: // the value and more of the same word
            v.push_back(char('0' + m_rng.below(10)));
            break;
        case 1: // a different last byte
            v.back() = v.back() == '7' ? '3' : '7';
            break;
        case 2: // cut short
            v.resize(std::max<size_t>(4, v.size() - 1 - m_rng.below(3)));
            break;
        default: { // the first bytes of a value, then another tail
            const size_t keep = std::min(v.size(), size_t(4 + m_rng.below(5)));
            const std::string other = makeValue(m_rng, kind);
            v = v.substr(0, keep) + other.substr(std::min(other.size(), std::min<size_t>(keep, 6)));
            break;
        }
        }
        return v;
    }
    static unsigned char u8(char c) { return static_cast<unsigned char>(c); }

    void timestamp(std::string &t)
    {
        static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s %2u %02u:%02u:%02u ", months[m_rng.below(12)], unsigned(1 + m_rng.below(28)),
                      unsigned(m_rng.below(24)), unsigned(m_rng.below(60)), unsigned(m_rng.below(60)));
        t += buf;
    }

    void syslogLine(std::string &t)
    {
        timestamp(t);
        t += field(Host);
        switch (m_rng.below(5)) {
        case 0:
            t += " sshd[" + number(m_rng, 5) + "]: Accepted publickey for " + field(User) + " from " + field(IPv4) +
                 " port " + number(m_rng, 5) + " ssh2: RSA SHA256:" + hex(m_rng, 40) + "\n";
            break;
        case 1:
            t += " sshd[" + number(m_rng, 5) + "]: pam_unix(sshd:session): session opened for user " + field(User) +
                 "(uid=" + number(m_rng, 4) + ") by (uid=0)\n";
            break;
        case 2:
            t += " dhcpd[" + number(m_rng, 4) + "]: DHCPACK on " + field(IPv4) + " to 52:54:00:" + hex(m_rng, 2) + ":" +
                 hex(m_rng, 2) + ":" + hex(m_rng, 2) + " (" + field(Host) + ") via eth0\n";
            break;
        case 3:
            t += " postfix/smtp[" + number(m_rng, 5) + "]: " + hex(m_rng, 10) + ": to=<" + field(Email) +
                 ">, relay=" + field(Host) + "[" + field(IPv6) + "]:25, delay=0.4" + number(m_rng, 1) +
                 ", status=sent (250 2.0.0 OK)\n";
            break;
        default:
            t += " kernel: [" + number(m_rng, 5) + "." + number(m_rng, 6) +
                 "] audit: type=1400 apparmor=\"ALLOWED\" "
                 "operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/etc/cups/" +
                 field(User) + ".conf\" pid=" + number(m_rng, 4) +
                 " comm=\"cupsd\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0\n";
            break;
        }
    }

    void accessLine(std::string &t)
    {
        static const char *const paths[] = {"/api/v2/users/", "/static/js/app.", "/login?next=/account/",
                                            "/reports/export/", "/graphql?op="};
        t += field(m_rng.chance(0.7) ? IPv4 : IPv6) + " - " + field(User) + " [07/Dec/2026:" + number(m_rng, 2) + ":" +
             number(m_rng, 2) + ":" + number(m_rng, 2) + " +0000] \"" + (m_rng.chance(0.7) ? "GET " : "POST ") +
             paths[m_rng.below(5)] + field(Guid) + "?session=" + field(Hex32) + " HTTP/1.1\" " +
             (m_rng.chance(0.9) ? "200 " : "404 ") + number(m_rng, 4) + " \"https://" + field(Host) +
             "/\" \"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\"\n";
    }

    void psLine(std::string &t)
    {
        char buf[96];
        std::snprintf(buf, sizeof buf, " %6u  %u.%u  %u.%u %7u %6u ?        Ssl  %02u:%02u   %u:%02u ",
                      unsigned(m_rng.below(400000)), unsigned(m_rng.below(10)), unsigned(m_rng.below(10)),
                      unsigned(m_rng.below(4)), unsigned(m_rng.below(10)), unsigned(m_rng.below(4000000)),
                      unsigned(m_rng.below(400000)), unsigned(m_rng.below(24)), unsigned(m_rng.below(60)),
                      unsigned(m_rng.below(60)), unsigned(m_rng.below(60)));
        t += field(User);
        t += buf;
        switch (m_rng.below(3)) {
        case 0:
            t += "/usr/bin/python3 /opt/app/worker.py --host " + field(Host) + " --password " + field(Password) +
                 " --queue jobs\n";
            break;
        case 1:
            t += "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xmx2g -Duser.name=" + field(User) +
                 " -Dapi.token=" + field(Token) + " -jar /opt/svc/service.jar\n";
            break;
        default:
            t += "/usr/sbin/sshd -D -o ListenAddress=" + field(IPv4) + " [priv]\n";
            break;
        }
    }

    void jsonLine(std::string &t)
    {
        t += "{\"ts\":\"2026-12-07T" + number(m_rng, 2) + ":" + number(m_rng, 2) + ":" + number(m_rng, 2) + "." +
             number(m_rng, 3) + "Z\",\"level\":\"" + (m_rng.chance(0.8) ? "info" : "warn") + "\",\"user\":\"" +
             field(Email) + "\",\"client\":\"" + field(IPv6) + "\",\"phone\":\"" + field(Phone) +
             "\",\"request_id\":\"" + field(Guid) +
             "\",\"msg\":\"profile updated\",\"latency_ms\":" + number(m_rng, 3) + "}\n";
    }

    static constexpr double kHit = 0.036;
    static constexpr double kNear = 0.12;
    const Values &m_values;
    Rng m_rng;
    size_t m_planted = 0;
    size_t m_near = 0;
};

size_t countWords(std::string_view text)
{
    size_t words = 0;
    bool inWord = false;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t';
        if (!space && !inWord)
            ++words;
        inWord = !space;
    }
    return words;
}

#ifdef DC_BENCH_HYPERSCAN
int onHsMatch(unsigned, unsigned long long, unsigned long long, unsigned, void *ctx)
{
    ++*static_cast<size_t *>(ctx);
    return 0;
}

void runHyperscan(const Values &values, const std::string &text, int repeat)
{
    std::vector<const char *> expressions;
    std::vector<size_t> lengths;
    std::vector<unsigned> flags(values.bytes.size(), HS_FLAG_CASELESS);
    std::vector<unsigned> ids;
    for (size_t i = 0; i < values.bytes.size(); ++i) {
        expressions.push_back(values.bytes[i].data());
        lengths.push_back(values.bytes[i].size());
        ids.push_back(unsigned(i));
    }
    const long before = statusKiB("VmRSS");
    resetPeak();
    const double t0 = now();
    const double c0 = cpuNow();
    hs_database_t *db = nullptr;
    hs_compile_error_t *error = nullptr;
    if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(), unsigned(expressions.size()),
                             HS_MODE_BLOCK, nullptr, &db, &error) != HS_SUCCESS) {
        std::printf("  hyperscan: compile failed: %s\n", error ? error->message : "?");
        hs_free_compile_error(error);
        return;
    }
    const double compile = now() - t0;
    const double compileCpu = cpuNow() - c0;
    const long peak = statusKiB("VmHWM");
    size_t dbSize = 0;
    hs_database_size(db, &dbSize);
    hs_scratch_t *scratch = nullptr;
    hs_alloc_scratch(db, &scratch);
    size_t scratchSize = 0;
    hs_scratch_size(scratch, &scratchSize);
    double best = 1e30;
    double bestCpu = 1e30;
    size_t events = 0;
    for (int r = 0; r < repeat; ++r) {
        events = 0;
        const double s0 = now();
        const double sc0 = cpuNow();
        hs_scan(db, text.data(), unsigned(text.size()), 0, scratch, onHsMatch, &events);
        bestCpu = std::min(bestCpu, cpuNow() - sc0);
        best = std::min(best, now() - s0);
    }
    std::printf("  hyperscan: compile %.2f s (%.2f s CPU), database %.1f MiB (scratch %.1f KiB), peak RSS +%.0f MiB "
                "while compiling, scan %.0f MB/s (%.0f per CPU second), %zu events\n",
                compile, compileCpu, double(dbSize) / 1048576.0, double(scratchSize) / 1024.0,
                double(peak - before) / 1024.0, double(text.size()) / 1e6 / best, double(text.size()) / 1e6 / bestCpu,
                events);
    std::fflush(stdout);
    hs_free_scratch(scratch);
    hs_free_database(db);
}
#endif

std::vector<size_t> parseList(const char *s)
{
    std::vector<size_t> out;
    while (*s) {
        char *end = nullptr;
        out.push_back(size_t(std::strtoull(s, &end, 10)));
        if (end == s)
            break;
        s = *end == ',' ? end + 1 : end;
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    size_t mib = 64;
    std::vector<size_t> counts{1000, 10000, 100000, 1000000};
    int repeat = 3;
    bool hyperscan = true;
    size_t hsMax = 1000000;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--mib") && i + 1 < argc) {
            mib = std::strtoull(argv[++i], nullptr, 10);
        } else if (!std::strcmp(argv[i], "--values") && i + 1 < argc) {
            counts = parseList(argv[++i]);
        } else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) {
            repeat = std::max(1, std::atoi(argv[++i]));
        } else if (!std::strcmp(argv[i], "--no-hyperscan")) {
            hyperscan = false;
        } else if (!std::strcmp(argv[i], "--hs-max") && i + 1 < argc) {
            hsMax = std::strtoull(argv[++i], nullptr, 10);
        } else {
            std::fprintf(stderr, "usage: bench_literals [--mib N] [--values N,N,...] [--repeat N] [--no-hyperscan] "
                                 "[--hs-max N]\n");
            return 2;
        }
    }
#ifndef DC_BENCH_HYPERSCAN
    hyperscan = false;
    (void)hsMax; // --hs-max is accepted and ignored without Hyperscan
#endif
    std::printf("load average at start: %s\n", loadAverage().c_str());
    for (const size_t count : counts) {
        const Values values = makeValues(count);
        TextMaker maker(values, 7 + count);
        const std::string text = maker.make(mib << 20);
        const size_t words = countWords(text);
        std::printf("N = %zu values, %.1f bytes on average; text %.1f MB, %zu words, %zu planted occurrences "
                    "(%.2f %% of words), %zu near misses (%.2f %%)\n",
                    count, double(values.totalBytes) / double(count), double(text.size()) / 1e6, words, maker.planted(),
                    100.0 * double(maker.planted()) / double(words), maker.nearMisses(),
                    100.0 * double(maker.nearMisses()) / double(words));

        const long before = statusKiB("VmRSS");
        resetPeak();
        double build = 0;
        double buildCpu = 0;
        LiteralSet set;
        {
            const double t0 = now();
            const double c0 = cpuNow();
            LiteralSet::Builder builder;
            builder.reserve(count, values.totalBytes);
            for (size_t i = 0; i < count; ++i)
                builder.add(values.bytes[i], quint32(values.kinds[i]));
            set = builder.build();
            build = now() - t0;
            buildCpu = cpuNow() - c0;
        }
        const long peak = statusKiB("VmHWM");
        const long after = statusKiB("VmRSS");

        std::vector<LiteralSet::Hit> hits;
        hits.reserve(maker.planted() * 2 + 1024);
        double best = 1e30;
        double bestCpu = 1e30;
        for (int r = 0; r < repeat; ++r) {
            hits.clear();
            const double t0 = now();
            const double c0 = cpuNow();
            set.findAll(text, 0, hits);
            bestCpu = std::min(bestCpu, cpuNow() - c0);
            best = std::min(best, now() - t0);
        }
        std::printf("  LiteralSet: build %.3f s (%.3f s CPU), memoryBytes %.1f MiB, peak RSS +%.0f MiB while building "
                    "(+%.0f MiB after), findAll %.0f MB/s (%.0f per CPU second), %zu hits\n",
                    build, buildCpu, double(set.memoryBytes()) / 1048576.0, double(peak - before) / 1024.0,
                    double(after - before) / 1024.0, double(text.size()) / 1e6 / best,
                    double(text.size()) / 1e6 / bestCpu, hits.size());
        std::fflush(stdout);
#ifdef DC_BENCH_HYPERSCAN
        if (hyperscan && count <= hsMax)
            runHyperscan(values, text, repeat);
#endif
    }
    if (hyperscan)
        std::printf("(Hyperscan: caseless literal mode; it reports every end of every literal, not the leftmost "
                    "longest occurrence, and has no word boundaries: its events are not hits.)\n");
    std::printf("load average at end: %s\n", loadAverage().c_str());
    return 0;
}
