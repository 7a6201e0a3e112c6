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
#include <optional>
#include <string_view>

namespace dc::core {

// The value -> token table of one run: the same value always gets the same
// token ("[email-3]", "[ipv4-12]", "[user-1]"), numbered per kind in order of
// first use. Thread-safe: any number of threads may call every method at once.
// The map is for the user only: saved next to the archive (never inside it)
// with mode 0600 by save().
class PseudonymMap
{
public:
    PseudonymMap();
    ~PseudonymMap();
    PseudonymMap(const PseudonymMap &) = delete;
    PseudonymMap &operator=(const PseudonymMap &) = delete;

    // The token for (kind, key); allocated on first use. `key` is the
    // normalized value (Redactor::normalizedValue), `original` the text as
    // first seen (kept for display).
    QByteArray tokenFor(const QString &kind, std::string_view key, std::string_view original = {});
    // Same, with the kind as UTF-8 bytes (no conversion: the redactor's hot path).
    QByteArray tokenFor(std::string_view kind, std::string_view key, std::string_view original = {});
    std::optional<QByteArray> find(const QString &kind, std::string_view key) const;

    struct Entry
    {
        QString kind;
        QByteArray value;    // normalized value
        QByteArray original; // first occurrence as written
        QByteArray token;
    };
    // Sorted by kind, then by number.
    QList<Entry> entries() const;
    // Every value without copying the table: its kind, its first spelling and
    // its number (tokenOf() makes the token), in no particular order. `visit`
    // must not call back into the map.
    void
    forEach(const std::function<void(std::string_view kind, std::string_view original, quint32 number)> &visit) const;
    // The token of the value of `kind` numbered `number`: "[kind-number]".
    static QByteArray tokenOf(std::string_view kind, quint32 number);
    int size() const;
    void clear();

    // {"formatVersion": 1, "entries": [{"token": "[email-1]", "kind": "email",
    //   "value": "alice@example.net", "original": "Alice@example.net"}]}
    QByteArray toJson() const;
    // Replaces the content. Counters continue after the highest loaded number.
    // Fails with ErrorCode::Profile on malformed input (content unchanged).
    Result<void> loadJson(const QByteArray &json);

    // Writes toJson() atomically, mode 0600 from creation on, leaving out the
    // tokens in `omit` (values the user chose to keep: the archive holds them
    // as written, so the map has nothing to decode). ErrorCode::Io on failure.
    Result<void> save(const QString &path, const QSet<QByteArray> &omit = {}) const;
    Result<void> load(const QString &path);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dc::core
