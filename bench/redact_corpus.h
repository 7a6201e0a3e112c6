// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Labeled corpus for the redaction benchmark: realistic mixed logs (syslog,
// JSON logs, access logs, stack traces, config dumps, command outputs) with
// planted personal values and planted look-alikes, every one labeled with its
// byte range. Deterministic for a seed.

#include <cstdint>
#include <string>
#include <vector>

namespace dc::bench {

struct Span
{
    uint64_t offset;
    uint32_t length;
    std::string type; // personal: rule-like type; look-alike: "near:<kind>"
    bool personal;
};

struct CorpusFile
{
    std::string name;
    std::string text;
    std::vector<Span> spans;
};

// The machine context the corpus was made for.
struct CorpusMachine
{
    std::string host = "kestrel-wks17";
    std::string domain = "ad.northwind-traders.net";
    std::string account = "mgarcia";
    std::string machineId = "9b1e3c5a7d2f4e6081a3c5e7092b4d6f";
};

class Random
{
public:
    explicit Random(uint64_t seed)
        : m_state(seed)
    {
    }
    uint64_t next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return int(next() % uint64_t(n)); }
    // Skewed pick: small indices much more often (values repeat as in real logs).
    int skewed(int n)
    {
        const int a = below(n);
        const int b = below(n);
        return a < b ? a : b;
    }
    template <typename T> const T &pick(const std::vector<T> &v) { return v[size_t(below(int(v.size())))]; }

private:
    uint64_t m_state;
};

class CorpusGenerator
{
public:
    explicit CorpusGenerator(uint64_t seed);
    // About `bytes` bytes split in files of ~fileBytes each, one format per file
    // (round robin), ".log" names.
    std::vector<CorpusFile> generate(uint64_t bytes, uint64_t fileBytes);
    const CorpusMachine &machine() const { return m_machine; }

private:
    struct Line;
    void syslog(Line &l);
    void jsonLog(Line &l);
    void accessLog(Line &l);
    void stackTrace(Line &l);
    void configDump(Line &l);
    void commandOutput(Line &l);
    void filler(Line &l, int kind);

    std::string email();
    std::string ipv4();
    std::string ipv6();
    std::string mac();
    std::string hostname();
    std::string user();
    std::string secret(int len);
    std::string b64url(int len);
    std::string hex(int len);
    std::string card();
    std::string sid();
    std::string timestamp();

    Random m_rng;
    CorpusMachine m_machine;
    std::vector<std::string> m_emails, m_ipv4, m_ipv6, m_macs, m_hosts, m_users, m_serials, m_phones, m_cards, m_sids,
        m_passwords, m_tokens;
    uint64_t m_clock = 1704880800;
};

} // namespace dc::bench
