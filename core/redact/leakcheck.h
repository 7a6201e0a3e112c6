// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <memory>
#include <string_view>

namespace dc::core {

// The last gate before an archive is renamed into place: searches bytes for
// every value chosen for redaction at once (Aho-Corasick automaton, ASCII
// case-insensitive, word-bounded like the redactor's literals: a value that
// starts/ends with a letter or digit only counts when not glued to another
// letter or digit). Immutable after construction; the check functions are
// const and thread-safe.
class LeakChecker
{
public:
    explicit LeakChecker(const QList<QByteArray> &values);
    ~LeakChecker();
    LeakChecker(LeakChecker &&) noexcept;
    LeakChecker &operator=(LeakChecker &&) noexcept;

    struct Leak
    {
        QString entry; // archive entry or file path where the value was found
        qint64 offset = 0;
        int valueIndex = 0; // index into the constructor's list; report it, not the value
    };

    // Every occurrence in `data` (entry left empty).
    QList<Leak> scanBytes(std::string_view data) const;
    // A plain or compressed (.gz/.xz/.zst/.bz2) file, streamed.
    Result<QList<Leak>> checkFile(const QString &path) const;
    // Every regular entry of an archive libarchive can read (tar, zip, with
    // any compression), each entry decompressed and streamed.
    Result<QList<Leak>> checkArchive(const QString &path) const;

    struct Automaton;

private:
    std::unique_ptr<Automaton> d;
};

} // namespace dc::core
