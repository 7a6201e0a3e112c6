// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/redact/redactionrules.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <memory>
#include <string_view>
#include <vector>

namespace dc::core {

class LiteralSet;
class PseudonymMap;

// One match of the scanner: a byte range of the scanned text and the rule
// (an index into Redactor::rules()).
struct RedactMatch
{
    qint64 offset = 0;
    qint32 length = 0;
    quint16 rule = 0;
    qint64 end() const { return offset + length; }
};

// The matching engine: hand-written single-pass scanners for the fixed shapes
// (addresses, keys, key=value contexts, literals), chosen by measurement over
// RE2, Hyperscan and PCRE2 (docs/BENCHMARKS.md, "Redaction"). User patterns
// run through QRegularExpression on top.
//
// Immutable after construction and cheap to copy (shared state); scan() and
// redact() are const and safe to call from any number of threads at once.
class Redactor
{
public:
    explicit Redactor(const RedactionRules &rules);

    // Every rule this redactor knows, built-in ones first, then user patterns.
    // A RedactMatch::rule indexes this list.
    const QList<RuleInfo> &rules() const;
    // Index in rules(), or -1.
    int ruleIndex(const QString &id) const;
    bool isEnabled(int rule) const;

    struct ScanResult
    {
        // When a multi-line construct (a private-key block) starts in the
        // text but its end is not there yet and !atEnd: where the caller must
        // cut so that the block is scanned again with more text. -1 otherwise.
        qint64 pendingFrom = -1;
    };
    // Finds matches that start in text[from, size). text[0, from) is context
    // only (used for look-behind such as "password=" or "version "). Appends
    // matches to `out` sorted by offset and non-overlapping (offsets relative
    // to text). Pass atEnd = true for the last piece of a stream.
    // The text is bytes, treated as UTF-8/ASCII; invalid sequences are fine.
    ScanResult scan(std::string_view text, qint64 from, bool atEnd, std::vector<RedactMatch> &out) const;

    // The pseudonym key of a matched value: case and separators folded where
    // they carry no meaning (e-mail, host names, MACs, user names), so that
    // "Alice" and "alice" get one token.
    QByteArray normalizedValue(int rule, std::string_view value) const;
    // "[<prefix>-N]" for the value, allocated in `map` on first use.
    QByteArray tokenFor(int rule, std::string_view value, PseudonymMap &map) const;

    // Convenience for small in-memory texts (the tool's own log lines, the
    // manifest, the summary, error messages): every match replaced by its
    // token; multi-line matches keep their line breaks.
    QByteArray redact(std::string_view text, PseudonymMap &map) const;
    QString redact(const QString &text, PseudonymMap &map) const;

    // The plain literals of the run-wide pass (payload: rule index): the
    // machine's names, keywords and every known value with its spellings.
    const LiteralSet &literals() const;
    // The token prefixes of rules(), by rule index.
    const std::vector<QByteArray> &tokenPrefixes() const;

    struct Impl;

private:
    std::shared_ptr<const Impl> d;
};

} // namespace dc::core
