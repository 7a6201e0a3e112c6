// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/redact/redactionplan.h"
#include "core/redact/redactor.h"
#include "core/util/result.h"

#include <QHash>
#include <QString>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dc::core {

class PseudonymMap;

// Streaming parameters. Memory per file is about chunkSize + the longest line
// (capped at maxCarry), whatever the file size.
struct StreamOptions
{
    qint64 chunkSize = 256 * 1024;
    // A line (or an unfinished private-key block) longer than this is cut
    // anyway; the cut keeps 1 KiB of look-behind and moves before any match
    // that crosses it, so that a value on the cut is still found whole.
    qint64 maxCarry = 4 * 1024 * 1024;
    qint64 maxStoredFindings = 100000; // per file; FileFindings::totalFindings counts all
    std::function<bool()> isCancelled; // polled between chunks; may be empty
    // A compressed file is read decompressed up to the smaller of these (a
    // 2.6 MB .gz must not become a gigabyte of staging); the rest is left out
    // and the outcome says so (RedactOutcome::capped).
    qint64 maxDecompressedBytes = qint64(512) << 20;
    qint64 maxExpansionRatio = 100; // decompressed bytes per compressed byte
    // redactFile(): the output replaced atomically and synced to disk (a
    // user's file), or written in place without a sync (a private staging
    // copy, which a crash discards anyway: 20 000 small files would otherwise
    // wait for 20 000 fsyncs).
    bool durableOutput = true;
    // redactFile() with `out` the same file as `in` (a staged file moved into
    // the redacted copy: no second file to create): the output is held in
    // memory and written over the file once the input is read; on failure the
    // file is removed. Small files only.
    bool replacesInput = false;
};

// Sniffs a file: compressed (by magic), binary (NUL bytes or > 30 % control
// bytes in the first 64 KiB of content) or text. `reason` tells why binary.
Result<ContentKind> detectContentKind(const QString &path, QString *reason = nullptr);

// The name a redacted copy should have: "syslog.2.gz" -> "syslog.2",
// "x.log.xz" -> "x.log"; other names unchanged.
QString redactedFileName(const QString &name);

// Scan pass: the findings of one file, tokens allocated in `map`.
// `key` identifies the file in the plan (default: path). Binary files are not
// scanned (kind Binary, no findings). Fails with ErrorCode::Io,
// ErrorCode::Archive (corrupt compressed data) or ErrorCode::Cancelled.
// Any thread; the redactor and the map may be shared between threads.
Result<FileFindings> scanFile(const QString &path,
                              const Redactor &redactor,
                              PseudonymMap &map,
                              const QString &key = {},
                              const StreamOptions &options = {});

// The values one file holds, each (rule, bytes) once, in the order they
// first occur. Files are scanned in parallel into these and handed to the map
// afterwards one after the other in a fixed order (giveTo()), so that tokens
// are numbered and first spellings kept exactly as a sequential scan would.
class FirstSeenValues
{
public:
    void record(quint16 rule, std::string_view value);
    size_t size() const { return m_values.size(); }
    // Allocates every value's token in `map`, in first-seen order.
    void giveTo(const Redactor &redactor, PseudonymMap &map) const;
    void clear();

private:
    struct Value
    {
        quint64 offset; // in m_arena
        quint32 length;
        quint16 rule;
    };
    struct Slot
    {
        quint32 check = 0; // high half of the hash
        quint32 index = 0; // value + 1, 0 = empty
    };
    void grow();

    std::string m_arena;
    std::vector<Value> m_values;
    std::vector<Slot> m_slots;
};

// Scan pass of a file scanned in parallel with others: the same findings as
// scanFile(), its values recorded in `values` instead of the map; stored
// findings have no token yet (the caller fills them in after giveTo()).
Result<FileFindings> scanFile(const QString &path,
                              const Redactor &redactor,
                              FirstSeenValues &values,
                              const QString &key,
                              const StreamOptions &options);

// What redactFile() did.
struct RedactOutcome
{
    ContentKind kind = ContentKind::Text;
    bool written = false;  // false when the plan excludes the file (nothing written)
    bool verbatim = false; // a binary file included by choice, copied unchanged
    qint64 bytesIn = 0;    // content bytes (decompressed)
    qint64 bytesOut = 0;
    qint64 linesIn = 0;
    qint64 linesOut = 0;
    qint64 kept = 0; // findings left in place by a decision
    // A compressed file whose content was cut at the decompression cap
    // (StreamOptions::maxDecompressedBytes / maxExpansionRatio); the reason says which.
    bool capped = false;
    QString cappedReason;
    // Chosen values the output still held where a replacement changed a word
    // boundary or inside a kept finding, replaced by their token (also counted per rule).
    qint64 secondPass = 0;
    QHash<QString, qint64> redactedPerRule; // rule id -> replaced occurrences
    QByteArray sha256;                      // of the output, when written (hex)
};

// Apply pass: writes the redacted copy of `in` to `out` (text; compressed
// input is written decompressed), honouring the plan's decisions for `key`
// (default: in). Excluded files write nothing. The output is written to
// `out` + ".part" and renamed on success; on failure no `out` exists.
// Same failure modes and threading as scanFile().
Result<RedactOutcome> redactFile(const QString &in,
                                 const QString &out,
                                 const Redactor &redactor,
                                 const RedactionPlan &plan,
                                 PseudonymMap &map,
                                 const QString &key = {},
                                 const StreamOptions &options = {});

} // namespace dc::core
