// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Every value chosen for redaction in a run, matched in one pass whatever
// their number: the run-wide literal pass of the redactor, the leak check and
// the masking of binaries all use this class, so that "an occurrence" means
// the same thing everywhere:
//
//   the literal's bytes, ASCII letters in any case; a literal that starts
//   (ends) with an ASCII letter or digit only where the byte before (after)
//   it is not one; not an all-capitals match glued to "_X" (JAVA in
//   JAVA_HOME: a variable's name), where a shorter literal may still match.
//
// A hash table of the literals by their folded bytes, and per folded start
// (the first four bytes of literals of four to seven, a fingerprint of the
// first eight of longer ones) the lengths that literals starting so have: at
// a possible start, each length that ends on a boundary is one probe,
// longest first. Matching only starts at positions where an occurrence can
// start (a word start or a byte that is not a letter or digit) and passes a
// prefilter of a few bits per literal, so the cost is linear in the text
// whatever the number of literals; per byte it still grows about 4x from a
// thousand literals to a million, as the tables outgrow the cache and more
// words share a start with some value. Memory is about 56 bytes a literal
// (docs/BENCHMARKS.md, "Run-wide literal pass", beside Hyperscan's literal
// mode, which slows down 300x over the same range).

#include <QByteArray>
#include <QtGlobal>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace dc::core {

class LiteralSet
{
public:
    struct Hit
    {
        qint64 offset = 0;
        qint32 length = 0;
        quint32 payload = 0;
        qint64 end() const { return offset + length; }
    };

    // Collects literals; build() sorts them once (O(n log n) in their number,
    // linear in their bytes). On duplicates (case folded) the first one added wins.
    class Builder
    {
    public:
        // Room for this many more literals and bytes: a large run's literals
        // are added one by one, and growing by doubling would hold twice their size.
        void reserve(size_t literals, size_t bytes);
        // Empty literals and literals over 65 535 bytes are not added; throws
        // std::bad_alloc past 4 GiB of literals.
        void add(std::string_view bytes, quint32 payload);
        size_t size() const { return m_entries.size(); }
        LiteralSet build();

    private:
        struct Entry
        {
            quint32 offset; // of the bytes in m_arena; the length and payload are before them
            quint32 length;
        };
        // Per literal its length (two bytes) and payload (four), then its
        // lower-cased bytes: the set's own table of bytes, handed over by
        // build() without a copy.
        std::string m_arena;
        std::vector<Entry> m_entries;
    };

    LiteralSet();

    bool isEmpty() const { return m_literals == 0; }
    size_t size() const { return m_literals; }
    size_t maxLength() const { return m_maxLength; }
    size_t memoryBytes() const;

    // Every occurrence that starts in text[from, size), leftmost first and at
    // each start the longest, not overlapping, appended to `out`. text[0,
    // from) is only looked at for the left boundary.
    void findAll(std::string_view text, qint64 from, std::vector<Hit> &out) const
    {
        findAll(text, from, qint64(text.size()), out);
    }
    // The same for occurrences that start in text[from, to) (they may end past `to`).
    void findAll(std::string_view text, qint64 from, qint64 to, std::vector<Hit> &out) const;

    // The longest occurrence that starts exactly at `offset` (a word start or
    // a byte that is not a letter or digit), or length 0.
    Hit longestAt(std::string_view text, qint64 offset) const;

    // Whether looking for literals at the start of a scanner's match of
    // text[offset, offset + length) can change it: true when those bytes (case
    // folded) are a literal that a longer literal extends with a byte of the
    // kind that follows (a letter or digit, or not), or one added with more
    // than one payload. Most matches are chosen values that nothing extends,
    // and this costs one probe of a small table where looking up every longer
    // length misses the cache several times. Bytes that are not a literal themselves
    // answer false: a longer literal starting with them is not looked for.
    // Spans over 256 bytes or running past the text answer true unchecked, and
    // so does an extended literal that ends with the text (the byte after it
    // is not known): the caller then looks.
    bool mayChangeMatchAt(std::string_view text, qint64 offset, qint64 length) const;

private:
    // A literal in m_slots: the low half of the hash of its folded bytes and
    // their offset in m_bytes (0: an empty slot). Before the bytes, m_bytes
    // holds their length (two bytes) and the payload (four).
    struct Slot
    {
        quint32 check = 0;
        quint32 offset = 0;
    };
    static constexpr size_t kLengthBefore = 6;
    static constexpr size_t kPayloadBefore = 4;
    // The lengths of the literals that start with some bytes: for literals of
    // four to seven bytes by their folded first four (bit L - 4), for longer
    // ones by a fingerprint of their folded first eight (bit L - 8 up to
    // kMaskedLengths + 7, the top bit for any longer one: m_longLengths).
    // A zero mask marks an empty slot.
    static constexpr unsigned kMaskedLengths = 31;
    struct Lengths
    {
        quint32 key = 0;
        quint32 mask = 0;
    };
    // The lengths of a start, each a bit; 0 when none.
    static quint32 lengthsAt(const std::vector<Lengths> &table, quint32 key, quint64 hash);

    // True when an occurrence may start at text[offset] (no false negatives):
    // the prefilter alone, inlined in findAll() where most starts fail it.
    bool mayStartAt(std::string_view text, qint64 offset) const;
    // The payload of the literal of exactly these folded bytes, or kAbsent.
    static constexpr quint64 kAbsent = ~quint64(0);
    quint64 payloadOf(const char *folded, size_t length) const;
    // The payload stored before a literal's bytes.
    static quint32 payloadBefore(const char *bytes);

    size_t m_literals = 0;
    size_t m_maxLength = 0;
    std::array<quint8, 256> m_first{}; // lowered byte -> some literal starts with it
    // Per literal, its length (two bytes), payload (four) and lowered bytes.
    std::string m_bytes;
    std::vector<Slot> m_slots;
    std::vector<Lengths> m_lengths4;
    std::vector<Lengths> m_lengths8;
    std::vector<quint32> m_longLengths; // of literals longer than kMaskedLengths + 7, longest first
    // The prefilter: a start is looked at only when some literal of eight bytes
    // or more begins with its first eight bytes, one of four to seven bytes
    // with its first four (hashed bit sets of a few bits per literal, which
    // stay in cache where the tables of a large run do not: most words that
    // share four bytes with a value share no more), or one of two or three
    // bytes with its first two (exact bits).
    std::vector<quint64> m_prefix2;
    std::vector<quint64> m_prefix4;
    std::vector<quint64> m_prefix8;
    unsigned m_prefix4Bits = 16;
    unsigned m_prefix8Bits = 16;
    bool m_hasShort = false;
    // mayChangeMatchAt(): the literals that are extended or ambiguous, by the
    // hash of their folded bytes with the low two bits replaced by flags
    // (kExtendedByWord, kExtendedBySeparator; both for an ambiguous one).
    // Open addressing, 0 marks an empty slot.
    std::vector<quint64> m_changing;
};

// The value as it appears in a URL or form data ("jane%40corp.example"):
// every byte outside [A-Za-z0-9._~-] percent-encoded. Both the redactor and
// the leak check add it beside the value.
QByteArray urlEncodedSpelling(const QByteArray &value);

// True when text[start, end) lies inside one of the tool's own pseudonyms,
// "[<prefix>-<number>]" with a prefix from `prefixes` ("[user-3]" holds the
// word "user"): the leak check's one exception to an occurrence.
bool isInsidePseudonym(std::string_view text, qint64 start, qint64 end, const std::vector<QByteArray> &prefixes);

} // namespace dc::core
