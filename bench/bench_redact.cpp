// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors

// Redaction benchmark (docs/BENCHMARKS.md, "Redaction"):
//   bench_redact [--mib N] [--threads N] [--dir DIR] [--keep] [--engine-only]
//                [--skip-quality] [--rounds N] [--files-only]
// Generates a labeled corpus (redact_corpus.h) into DIR, then measures
//  - engine throughput: Redactor::scan over the corpus in memory, one thread;
//  - file throughput: redactFile() file -> file, one thread and all threads
//    (one shared PseudonymMap), best of --rounds (default 3), and peak RSS;
//  - quality: recall per planted type, look-alikes touched, other bytes
//    changed, token consistency, and lines in == lines out.
// --keep leaves the corpus in DIR (e.g. for `sos clean`); --files-only then
// redacts DIR/in into DIR/out once, without generating anything (for
// `/usr/bin/time -v` next to `sos clean`).

#include "core/redact/pseudonymmap.h"
#include "core/redact/redactfile.h"
#include "redact_corpus.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sys/resource.h>
#include <thread>
#include <time.h>

using namespace dc::core;
using namespace dc::bench;

namespace {

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

double cpuSeconds(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// User and system CPU seconds of the whole process so far.
std::pair<double, double> userSysSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return {double(ru.ru_utime.tv_sec) + double(ru.ru_utime.tv_usec) / 1e6,
            double(ru.ru_stime.tv_sec) + double(ru.ru_stime.tv_usec) / 1e6};
}

long peakRssKiB()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

struct FileRun
{
    double wall = 0;
    double cpu = 0; // process CPU seconds (all threads)
    double sys = 0; // of cpu: in the kernel (reading, writing, page cache)
    bool failed = false;
};

// redactFile() for DIR/in/<name> -> DIR/out/<name>, files handed to `threads` threads in turn.
FileRun redactFiles(
    const QString &dir, const std::vector<QString> &names, const Redactor &redactor, PseudonymMap &map, int threads)
{
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    const double s0 = userSysSeconds().second;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            for (size_t i = next++; i < names.size(); i = next++) {
                auto r =
                    redactFile(QDir(dir).filePath(QStringLiteral("in/") + names[i]),
                               QDir(dir).filePath(QStringLiteral("out/") + names[i]), redactor, RedactionPlan(), map);
                if (!r || r->linesIn != r->linesOut)
                    failed = true;
            }
        });
    }
    for (auto &th : pool)
        th.join();
    FileRun run;
    run.wall = seconds(t0, std::chrono::steady_clock::now());
    run.cpu = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    run.sys = userSysSeconds().second - s0;
    run.failed = failed;
    if (failed)
        std::printf("FAILED: an output has a different line count or could not be written\n");
    return run;
}

MachineContext corpusContext(const CorpusMachine &m)
{
    MachineContext ctx;
    ctx.hostNames = {QString::fromStdString(m.host)};
    ctx.domains = {QString::fromStdString(m.domain)};
    ctx.accounts = {QString::fromStdString(m.account)};
    ctx.machineId = QByteArray::fromStdString(m.machineId);
    return ctx;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    uint64_t mib = 64;
    int threads = int(std::max(1u, std::thread::hardware_concurrency()));
    QString dir = QDir::temp().filePath(QStringLiteral("dc-redact-bench"));
    bool keep = false;
    bool engineOnly = false;
    bool skipQuality = false;
    bool filesOnly = false;
    int rounds = 3;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--mib") && i + 1 < argc)
            mib = std::strtoull(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(argv[i], "--keep"))
            keep = true;
        else if (!std::strcmp(argv[i], "--engine-only"))
            engineOnly = true;
        else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--skip-quality"))
            skipQuality = true;
        else if (!std::strcmp(argv[i], "--files-only"))
            filesOnly = true;
        else {
            std::fprintf(stderr, "usage: bench_redact [--mib N] [--threads N] [--dir DIR] [--keep] [--engine-only] "
                                 "[--skip-quality] [--rounds N] [--files-only]\n");
            return 2;
        }
    }

    CorpusGenerator gen(20240110);
    if (filesOnly) {
        // Only redactFile() over an existing DIR/in (a corpus kept with --keep), once, with
        // --threads threads: what a redaction run costs, without the corpus held in memory
        // (for /usr/bin/time -v next to `sos clean`).
        std::vector<QString> names;
        qint64 bytes = 0;
        for (const QFileInfo &fi : QDir(dir + QStringLiteral("/in")).entryInfoList(QDir::Files, QDir::Name)) {
            names.push_back(fi.fileName());
            bytes += fi.size();
        }
        QDir().mkpath(dir + QStringLiteral("/out"));
        const Redactor redactor(RedactionRules::defaults(corpusContext(gen.machine())));
        PseudonymMap map;
        const FileRun run = redactFiles(dir, names, redactor, map, threads);
        const double mbIn = double(bytes) / 1e6;
        std::printf("redactFile, %d thread(s), %zu files, %.1f MB: %.0f MB/s wall, %.0f MB/s per CPU second (%.2f CPU "
                    "seconds, %.0f %% in the kernel), peak RSS %.1f MiB\n",
                    threads, names.size(), mbIn, mbIn / run.wall, mbIn / run.cpu, run.cpu, 100.0 * run.sys / run.cpu,
                    peakRssKiB() / 1024.0);
        return run.failed ? 1 : 0;
    }
    const std::vector<CorpusFile> files = gen.generate(mib << 20, 4 << 20);
    QDir().mkpath(dir + QStringLiteral("/in"));
    QDir().mkpath(dir + QStringLiteral("/out"));
    uint64_t totalBytes = 0;
    for (const CorpusFile &f : files) {
        std::ofstream(QDir(dir).filePath(QStringLiteral("in/") + QString::fromStdString(f.name)).toStdString(),
                      std::ios::binary)
            << f.text;
        totalBytes += f.text.size();
    }
    const double mb = double(totalBytes) / 1e6;
    std::printf("corpus: %zu files, %.1f MB in %s\n", files.size(), mb, qPrintable(dir));

    const Redactor redactor(RedactionRules::defaults(corpusContext(gen.machine())));

    // 1. Engine only, in memory, one thread (best of 3).
    double best = 1e9;
    double bestCpu = 1e9;
    size_t matchCount = 0;
    for (int round = 0; round < (engineOnly ? 10 : 3); ++round) {
        std::vector<RedactMatch> matches;
        matches.reserve(1 << 20);
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
        size_t n = 0;
        for (const CorpusFile &f : files) {
            matches.clear();
            redactor.scan(f.text, 0, true, matches);
            n += matches.size();
        }
        best = std::min(best, seconds(t0, std::chrono::steady_clock::now()));
        bestCpu = std::min(bestCpu, cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - c0);
        matchCount = n;
    }
    std::printf("engine (scan only, 1 thread): %.0f MB/s wall, %.0f MB/s per CPU second, %zu matches (%.0f per MB)\n",
                mb / best, mb / bestCpu, matchCount, double(matchCount) / mb);
    if (engineOnly) {
        if (!keep)
            QDir(dir).removeRecursively();
        return 0;
    }

    // 2. Files: one thread, then --threads threads sharing one map.
    std::vector<QString> names;
    for (const CorpusFile &f : files)
        names.push_back(QString::fromStdString(f.name));
    // Best of `rounds` (the machine is shared); a fresh map each round, as a new run would have.
    int distinctValues = 0;
    auto bestOf = [&](int nThreads, double &bestWall, double &bestCpu, double &bestSys) {
        bestWall = bestCpu = 1e9;
        for (int round = 0; round < rounds; ++round) {
            PseudonymMap map;
            const FileRun run = redactFiles(dir, names, redactor, map, nThreads);
            bestWall = std::min(bestWall, run.wall);
            distinctValues = map.size();
            if (run.cpu < bestCpu) {
                bestCpu = run.cpu;
                bestSys = run.sys;
            }
        }
    };
    double wall1 = 0, cpu1 = 0, sys1 = 0, wallN = 0, cpuN = 0, sysN = 0;
    bestOf(1, wall1, cpu1, sys1);
    std::printf("redactFile, 1 thread: %.0f MB/s wall, %.0f MB/s per CPU second (%.2f CPU seconds, %.0f %% in the "
                "kernel)\n",
                mb / wall1, mb / cpu1, cpu1, 100.0 * sys1 / cpu1);
    bestOf(threads, wallN, cpuN, sysN);
    std::printf("redactFile, %d threads: %.0f MB/s wall, %.0f MB/s per CPU second (%.2f CPU seconds, %.0f %% in the "
                "kernel)\n",
                threads, mb / wallN, mb / cpuN, cpuN, 100.0 * sysN / cpuN);
    std::printf("distinct values (pseudonym map entries): %d\n", distinctValues);
    std::printf("peak RSS: %.1f MiB (corpus itself held in memory: %.1f MiB)\n", peakRssKiB() / 1024.0,
                double(totalBytes) / 1048576.0);

    if (skipQuality) {
        if (!keep)
            QDir(dir).removeRecursively();
        return 0;
    }

    // 3. Quality, from the findings of a scan pass (same engine, same map semantics).
    PseudonymMap map;
    struct Stat
    {
        uint64_t total = 0, removed = 0;
    };
    std::map<std::string, Stat> recall, near;
    uint64_t otherBytes = 0, otherChanged = 0;
    std::map<std::string, std::map<std::string, uint64_t>> tokensPerValue; // type|value -> token -> count
    std::map<std::string, std::string> missedExample;
    std::map<std::string, uint64_t> overPerRule;
    std::map<std::string, std::string> overExample;
    for (const CorpusFile &f : files) {
        auto scan = scanFile(QDir(dir).filePath(QStringLiteral("in/") + QString::fromStdString(f.name)), redactor, map);
        if (!scan) {
            std::printf("scan failed: %s\n", qPrintable(scan.error().message));
            return 1;
        }
        std::vector<uint8_t> covered(f.text.size(), 0);
        std::vector<const Finding *> at(f.text.size(), nullptr);
        for (const Finding &fd : scan->findings) {
            for (qint64 k = fd.offset; k < fd.offset + fd.length; ++k) {
                covered[size_t(k)] = 1;
                at[size_t(k)] = &fd;
            }
        }
        std::vector<uint8_t> personal(f.text.size(), 0);
        for (const Span &s : f.spans) {
            if (s.length == 0)
                continue;
            bool all = true, any = false;
            for (uint64_t k = s.offset; k < s.offset + s.length; ++k) {
                all = all && covered[k];
                any = any || covered[k];
                if (s.personal)
                    personal[k] = 1;
            }
            if (s.personal) {
                Stat &st = recall[s.type];
                ++st.total;
                if (all) {
                    ++st.removed;
                    tokensPerValue[s.type + "|" + f.text.substr(s.offset, s.length)]
                                  [at[s.offset]->token.toStdString()]++;
                } else if (!missedExample.count(s.type)) {
                    const size_t ls = f.text.rfind('\n', s.offset);
                    const size_t le = f.text.find('\n', s.offset);
                    const size_t b = ls == std::string::npos ? 0 : ls + 1;
                    missedExample[s.type] = f.text.substr(b, std::min<size_t>(le - b, 160));
                }
            } else {
                Stat &st = near[s.type];
                ++st.total;
                if (any)
                    ++st.removed;
            }
        }
        for (size_t k = 0; k < f.text.size(); ++k) {
            if (!personal[k]) {
                ++otherBytes;
                otherChanged += covered[k];
                if (covered[k]) {
                    const std::string rule = at[k]->rule.toStdString();
                    ++overPerRule[rule];
                    if (!overExample.count(rule))
                        overExample[rule] = at[k]->value.left(120).toStdString();
                }
            }
        }
    }
    std::printf("\n%-18s %8s %8s %8s\n", "planted type", "count", "removed", "recall");
    double sum = 0;
    double minRecall = 1;
    const std::vector<std::string> localTypes = {"host", "domain", "account"};
    for (const auto &[type, st] : recall) {
        const double r = st.total ? double(st.removed) / double(st.total) : 1.0;
        sum += r;
        minRecall = std::min(minRecall, r);
        std::printf("%-18s %8llu %8llu %7.2f%%\n", type.c_str(), (unsigned long long)st.total,
                    (unsigned long long)st.removed, 100.0 * r);
    }
    std::printf("average recall over %zu types: %.2f%% (lowest %.2f%%)\n", recall.size(),
                100.0 * sum / double(recall.size()), 100.0 * minRecall);
    std::printf("\n%-22s %8s %8s\n", "look-alike", "count", "touched");
    for (const auto &[type, st] : near)
        std::printf("%-22s %8llu %8llu\n", type.c_str(), (unsigned long long)st.total, (unsigned long long)st.removed);
    std::printf("other bytes changed: %llu of %llu = %.4f%%\n", (unsigned long long)otherChanged,
                (unsigned long long)otherBytes, 100.0 * double(otherChanged) / double(otherBytes));
    for (const auto &[rule, n] : overPerRule)
        std::printf("  by %-16s %8llu bytes, e.g. value \"%s\"\n", rule.c_str(), (unsigned long long)n,
                    overExample[rule].c_str());
    uint64_t occ = 0, consistent = 0;
    for (const auto &[key, tokens] : tokensPerValue) {
        uint64_t total = 0, most = 0;
        for (const auto &[tok, n] : tokens) {
            total += n;
            most = std::max(most, n);
        }
        occ += total;
        consistent += most;
    }
    std::printf("same value -> same token: %.3f%% of %llu removed occurrences\n",
                100.0 * double(consistent) / double(occ), (unsigned long long)occ);
    for (const auto &[type, line] : missedExample)
        std::printf("missed %s, e.g.: %s\n", type.c_str(), line.c_str());
    if (!keep)
        QDir(dir).removeRecursively();
    return 0;
}
