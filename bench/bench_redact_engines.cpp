// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors

// Engine comparison for the redaction rules (docs/BENCHMARKS.md, "Redaction"):
//   bench_redact_engines [--mib N]
// Runs the same labeled corpus through
//  - RE2 (one combined alternation, leftmost-first match loop),
//  - PCRE2 via QRegularExpression (JIT; UTF-16 conversion included),
//  - Hyperscan (all patterns in one database, start-of-match on),
//  - the hand-written scanner (Redactor::scan, all rules with near-miss checks).
// The regex candidates only find the *shapes* (no Luhn, no near-miss checks,
// no context look-behind), so they do less work than the product engine.

#include "core/redact/redactor.h"
#include "redact_corpus.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <hs/hs.h>
#include <re2/re2.h>

using namespace dc::bench;

namespace {

const std::vector<std::string> kPatterns = {
    R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
    R"(\b(?:\d{1,3}\.){3}\d{1,3}\b)",
    R"((?:[0-9A-Fa-f]{1,4}:){1,7}:?(?:[0-9A-Fa-f]{1,4})(?::[0-9A-Fa-f]{1,4}){0,6})",
    R"(\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b)",
    R"(eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)",
    R"(\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)",
    R"((?i)(?:password|passwd|secret|token|api_?key|session_?id)["']?\s*[:=]\s*["']?[^\s"'&,;]+)",
    R"((?:/home/|/Users/|\\Users\\)[A-Za-z0-9._-]+)",
    R"((?i)bearer\s+[A-Za-z0-9._~+/=-]{8,})",
    R"([a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@)",
    R"(\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b)",
    R"(S-1-5-21-\d+-\d+-\d+(?:-\d+)?)",
    R"((?i)\b(?:kestrel-wks17|ad\.northwind-traders\.net|mgarcia)\b)",
};

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

int onHsMatch(unsigned, unsigned long long, unsigned long long, unsigned, void *ctx)
{
    ++*static_cast<size_t *>(ctx);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    uint64_t mib = 32;
    if (argc == 3 && !std::strcmp(argv[1], "--mib"))
        mib = std::strtoull(argv[2], nullptr, 10);
    CorpusGenerator gen(20240110);
    const auto files = gen.generate(mib << 20, 4 << 20);
    double mb = 0;
    for (const auto &f : files)
        mb += double(f.text.size()) / 1e6;
    std::printf("corpus %.1f MB, %zu shape patterns\n", mb, kPatterns.size());

    auto report = [&](const char *name, double secs, size_t matches) {
        std::printf("%-44s %8.0f MB/s  %9zu matches\n", name, mb / secs, matches);
    };

    // RE2
    {
        std::string combined;
        for (const auto &p : kPatterns) {
            if (!combined.empty())
                combined.push_back('|');
            combined.append("(?:").append(p).append(")");
        }
        RE2::Options opt;
        opt.set_max_mem(256 << 20);
        RE2 re(combined, opt);
        if (!re.ok()) {
            std::printf("RE2: %s\n", re.error().c_str());
        } else {
            double best = 1e9;
            size_t n = 0;
            for (int round = 0; round < 2; ++round) {
                n = 0;
                const double t0 = now();
                for (const auto &f : files) {
                    re2::StringPiece text(f.text);
                    size_t pos = 0;
                    re2::StringPiece m;
                    while (pos < text.size() && re.Match(text, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
                        ++n;
                        pos = size_t(m.data() - text.data()) + std::max<size_t>(m.size(), 1);
                    }
                }
                best = std::min(best, now() - t0);
            }
            report("RE2 (combined alternation)", best, n);
        }
    }
    // PCRE2 via QRegularExpression
    {
        QString combined;
        for (const auto &p : kPatterns) {
            const std::string &q = p;
            combined += (combined.isEmpty() ? QString() : QStringLiteral("|")) + QStringLiteral("(?:") +
                        QString::fromStdString(q) + QStringLiteral(")");
        }
        QRegularExpression re(combined);
        re.optimize();
        if (!re.isValid()) {
            std::printf("PCRE2: %s\n", qPrintable(re.errorString()));
        } else {
            size_t n = 0;
            const double t0 = now();
            for (const auto &f : files) {
                const QString s = QString::fromUtf8(f.text.data(), qsizetype(f.text.size()));
                auto it = re.globalMatch(s);
                while (it.hasNext()) {
                    it.next();
                    ++n;
                }
            }
            report("PCRE2-JIT via QRegularExpression", now() - t0, n);
        }
    }
    // Hyperscan
    {
        std::vector<const char *> exprs;
        std::vector<unsigned> flags, ids;
        for (size_t i = 0; i < kPatterns.size(); ++i) {
            exprs.push_back(kPatterns[i].c_str());
            flags.push_back(HS_FLAG_SOM_LEFTMOST);
            ids.push_back(unsigned(i));
        }
        // Hyperscan has no inline (?i): strip it and set HS_FLAG_CASELESS.
        std::vector<std::string> stripped(kPatterns);
        for (size_t i = 0; i < stripped.size(); ++i) {
            if (stripped[i].rfind("(?i)", 0) == 0) {
                stripped[i] = stripped[i].substr(4);
                flags[i] |= HS_FLAG_CASELESS;
            }
            exprs[i] = stripped[i].c_str();
        }
        for (int som = 1; som >= 0; --som) {
            hs_database_t *db = nullptr;
            hs_compile_error_t *err = nullptr;
            std::vector<unsigned> f = flags;
            if (!som)
                for (auto &x : f)
                    x &= ~unsigned(HS_FLAG_SOM_LEFTMOST);
            if (hs_compile_multi(exprs.data(), f.data(), ids.data(), unsigned(exprs.size()), HS_MODE_BLOCK, nullptr,
                                 &db, &err) != HS_SUCCESS) {
                std::printf("Hyperscan (som=%d): %s\n", som, err->message);
                hs_free_compile_error(err);
                continue;
            }
            hs_scratch_t *scratch = nullptr;
            hs_alloc_scratch(db, &scratch);
            double best = 1e9;
            size_t n = 0;
            for (int round = 0; round < 2; ++round) {
                n = 0;
                const double t0 = now();
                for (const auto &file : files)
                    hs_scan(db, file.text.data(), unsigned(file.text.size()), 0, scratch, onHsMatch, &n);
                best = std::min(best, now() - t0);
            }
            report(som ? "Hyperscan (start of match; all events)" : "Hyperscan (end offsets only; all events)", best,
                   n);
            hs_free_scratch(scratch);
            hs_free_database(db);
        }
    }
    // Hand-written scanner, all rules
    {
        dc::core::MachineContext ctx;
        ctx.hostNames = {QString::fromStdString(gen.machine().host)};
        ctx.domains = {QString::fromStdString(gen.machine().domain)};
        ctx.accounts = {QString::fromStdString(gen.machine().account)};
        const dc::core::Redactor redactor(dc::core::RedactionRules::defaults(ctx));
        double best = 1e9;
        size_t n = 0;
        std::vector<dc::core::RedactMatch> out;
        for (int round = 0; round < 3; ++round) {
            n = 0;
            const double t0 = now();
            for (const auto &f : files) {
                out.clear();
                redactor.scan(f.text, 0, true, out);
                n += out.size();
            }
            best = std::min(best, now() - t0);
        }
        report("hand-written scanner (all 25 rules, checks)", best, n);
    }
    return 0;
}
