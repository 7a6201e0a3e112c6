// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace dc::core {

class Redactor;
class LiteralSet;

// The last gate before an archive is renamed into place: searches bytes for
// every value chosen for redaction at once, with the very LiteralSet the
// redactor replaces them with, so that an occurrence means the same thing to
// both (ASCII case-insensitive; a value that starts/ends with a letter or digit
// only counts when not glued to another letter or digit). A value inside one
// of the tool's own pseudonyms ("user" in "[user-3]") is not an occurrence.
// Linear in the bytes checked, about flat in the number of values; memory is
// the literal trie. Immutable after construction; the check functions are
// const and thread-safe.
class LeakChecker
{
public:
    // Checks for `values` (Leak::valueIndex indexes this list). `tokenPrefixes`:
    // the token kinds whose pseudonyms ("[<prefix>-N]") are not occurrences.
    explicit LeakChecker(const QList<QByteArray> &values, const std::vector<QByteArray> &tokenPrefixes = {});
    // Checks for every literal of the redactor's run-wide pass (the machine's
    // names, keywords, every value chosen in the run with its spellings) of
    // an enabled rule; Leak::valueIndex is the rule index (Redactor::rules()).
    explicit LeakChecker(const Redactor &redactor);
    ~LeakChecker();
    LeakChecker(LeakChecker &&) noexcept;
    LeakChecker &operator=(LeakChecker &&) noexcept;

    struct Leak
    {
        QString entry; // archive entry or file path where the value was found
        qint64 offset = 0;
        int valueIndex = 0; // index into the constructor's list (or the rule); report it, not the value
        qint32 length = 0;
        QByteArray match; // the bytes found, to look up their token; never print them
    };

    // Every occurrence in `data` (entry left empty).
    QList<Leak> scanBytes(std::string_view data) const;
    // A plain or compressed (.gz/.xz/.zst/.bz2) file, streamed.
    Result<QList<Leak>> checkFile(const QString &path) const;
    // Every regular entry of an archive libarchive can read (tar, zip, with
    // any compression), each entry decompressed and streamed.
    //
    // ownTokens: reads the words the tool itself wrote into the archive's
    // names and metadata (item ids such as "product-crash-dumps", category
    // ids, JSON keys of manifest.json). A value found only as part of one of
    // them, as a whole token of [A-Za-z0-9_.-], is the format, not personal
    // data: an administrator's keyword "crash" must not refuse every archive.
    // Only applies to entry names and to the tool's own manifest.json,
    // redaction.json, findings.json and summary.html, never to collected
    // data. Called at most once, at the first hit it could forgive: most
    // archives have none, and a large run's manifest takes a while to read.
    using OwnTokensReader = std::function<QSet<QByteArray>()>;
    Result<QList<Leak>> checkArchive(const QString &path, const OwnTokensReader &ownTokens = {}) const;

    // Overwrites every occurrence in a plain file, in place, with '*' of the
    // same length, so that a binary file included by choice (a crash dump)
    // keeps its layout and still passes the check. Masking can leave a
    // neighbouring value no longer glued to a word, so it repeats until
    // nothing is found. Returns how many occurrences were masked.
    Result<qint64> maskFile(const QString &path) const;

    // The values plus their UTF-16LE spellings: Windows keeps strings in
    // binaries (minidumps, registry hives) in UTF-16.
    static QList<QByteArray> withUtf16Spellings(const QList<QByteArray> &values);

    struct Automaton;

private:
    std::unique_ptr<Automaton> d;
};

} // namespace dc::core
