// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors

// Writes deterministic, realistic-looking log text for bench/package.sh:
//   bench_genlogs DIR TOTAL_MIB FILES
// The files (varied sizes, in a few category folders) add up to exactly
// TOTAL_MIB MiB. Lines mix fixed vocabulary with counters, addresses and
// random ids, so zstd -3 compresses them about as well as real logs (5-10x).

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

struct Random
{
    uint64_t state;
    uint64_t next()
    {
        // splitmix64
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    unsigned below(unsigned n) { return unsigned(next() % n); }
};

const char *const kHosts[] = {"web-01", "web-02", "db-01", "worker-07"};
const char *const kServices[] = {"nginx", "sshd", "systemd", "kernel", "myapp", "cron", "dockerd", "NetworkManager"};
const char *const kLevels[] = {"INFO", "INFO", "INFO", "DEBUG", "DEBUG", "WARN", "ERROR"};
const char *const kPaths[] = {"/api/v1/users",        "/api/v1/orders", "/api/v2/search",        "/static/app.js",
                              "/static/style.css",    "/healthz",       "/api/v1/sessions",      "/login",
                              "/api/v1/items/export", "/metrics",       "/api/v2/reports/daily", "/favicon.ico"};
const char *const kMethods[] = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
const char *const kAgents[] = {"Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
                               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                               "Chrome/123.0.0.0 Safari/537.36",
                               "curl/7.88.1", "Prometheus/2.45.0", "python-requests/2.31.0"};
const char *const kMessages[] = {
    "Started Session %u of user root.",
    "Accepted publickey for deploy from 10.0.%u.%u port %u ssh2",
    "Connection closed by 192.168.%u.%u port %u [preauth]",
    "worker %u: job %u finished in %u ms",
    "cache miss for key user:%u:profile, loading from database",
    "retrying request to upstream 10.1.%u.%u:8080 (attempt %u)",
    "eth0: link up, 1000Mbps, full-duplex, lpa 0x%X",
    "Out of memory: Killed process %u (java) total-vm:%ukB",
    "audit: type=1400 apparmor=\"ALLOWED\" operation=\"open\" pid=%u name=\"/etc/ssl/certs/%u.pem\"",
    "GC pause (G1 Evacuation Pause) young %uM->%uM(%uM) %u.%ums",
    "transaction %u committed, %u rows affected",
    "Failed password for invalid user admin from 203.0.%u.%u port %u ssh2",
};

std::string line(Random &random, uint64_t index, int style)
{
    char buffer[512];
    const uint64_t seconds = 1700000000 + index / 40;
    const unsigned micro = unsigned((index * 7919) % 1000000);
    const unsigned hh = unsigned(seconds / 3600 % 24), mm = unsigned(seconds / 60 % 60), ss = unsigned(seconds % 60);
    const unsigned day = unsigned(14 + (seconds - 1700000000) / 86400 % 14);
    int n = 0;
    if (style == 0) { // access log
        n = std::snprintf(buffer, sizeof buffer,
                          "10.%u.%u.%u - - [%02u/Nov/2023:%02u:%02u:%02u +0000] \"%s %s?page=%u HTTP/1.1\" %u %u "
                          "\"-\" \"%s\" rt=%u.%03u req=%08" PRIx64 "\n",
                          random.below(4), random.below(16), random.below(256), day, hh, mm, ss,
                          kMethods[random.below(6)], kPaths[random.below(12)], random.below(20),
                          random.below(10) ? 200u : (random.below(2) ? 404u : 502u), 200 + random.below(40000),
                          kAgents[random.below(5)], random.below(2), random.below(1000),
                          uint64_t(random.next() & 0xffffffffU));
    } else if (style == 1) { // syslog
        char message[256];
        const unsigned which = random.below(12);
        std::snprintf(message, sizeof message, kMessages[which], random.below(256), random.below(256),
                      1024 + random.below(60000), random.below(4096), random.below(100), random.below(1000));
        n = std::snprintf(buffer, sizeof buffer, "2023-11-%02uT%02u:%02u:%02u.%06u+00:00 %s %s[%u]: %s\n", day, hh, mm,
                          ss, micro, kHosts[random.below(4)], kServices[random.below(8)], 300 + random.below(40),
                          message);
    } else { // application log
        n = std::snprintf(buffer, sizeof buffer,
                          "2023-11-%02u %02u:%02u:%02u,%03u %-5s [pool-%u-thread-%u] com.example.%s.%sService - "
                          "request_id=%016" PRIx64 " user=%u duration_ms=%u status=%s\n",
                          day, hh, mm, ss, micro / 1000, kLevels[random.below(7)], 1 + random.below(3),
                          1 + random.below(16), random.below(2) ? "orders" : "billing",
                          random.below(2) ? "Order" : "Invoice", random.next(), random.below(50000), random.below(900),
                          random.below(12) ? "ok" : "failed");
    }
    return std::string(buffer, size_t(std::max(n, 0)));
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s DIR TOTAL_MIB FILES\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const uint64_t total = std::strtoull(argv[2], nullptr, 10) << 20;
    const unsigned files = unsigned(std::strtoul(argv[3], nullptr, 10));
    if (total == 0 || files == 0)
        return 2;
    const char *const folders[] = {"service-logs", "system-logs", "service-logs/app", "event-history"};
    ::mkdir(dir.c_str(), 0755);
    for (const char *folder : folders)
        ::mkdir((dir + "/" + folder).c_str(), 0755);

    // Sizes: weights 1..8 repeating, so there are small and large files.
    std::vector<uint64_t> sizes(files);
    uint64_t weights = 0;
    for (unsigned i = 0; i < files; ++i)
        weights += 1 + (i * 5) % 8;
    uint64_t assigned = 0;
    for (unsigned i = 0; i < files; ++i) {
        sizes[i] = total * (1 + (i * 5) % 8) / weights;
        assigned += sizes[i];
    }
    sizes.back() += total - assigned;

    Random random{42};
    uint64_t index = 0;
    std::string chunk;
    for (unsigned i = 0; i < files; ++i) {
        const int style = int(i % 3);
        char name[64];
        std::snprintf(name, sizeof name, "%s-%04u.log", style == 0 ? "access" : style == 1 ? "syslog" : "app", i);
        const std::string path = dir + "/" + folders[i % 4] + "/" + name;
        FILE *out = std::fopen(path.c_str(), "wb");
        if (!out) {
            std::perror(path.c_str());
            return 1;
        }
        uint64_t left = sizes[i];
        while (left > 0) {
            chunk.clear();
            while (chunk.size() < (1u << 20) && chunk.size() < left)
                chunk += line(random, index++, style);
            const size_t take = size_t(std::min<uint64_t>(chunk.size(), left));
            if (std::fwrite(chunk.data(), 1, take, out) != take) {
                std::perror(path.c_str());
                return 1;
            }
            left -= take;
        }
        if (std::fclose(out) != 0) {
            std::perror(path.c_str());
            return 1;
        }
    }
    return 0;
}
