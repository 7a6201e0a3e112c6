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
// A hash table of the literals by a 64-bit hash of their folded bytes (the
// bytes themselves are not kept: a large run's values are already in its
// pseudonym map), and per folded start (the first four bytes of literals of
// four to seven, a fingerprint of the first eight of longer ones) the lengths
// that literals starting so have: at a possible start, each length that ends
// on a boundary is one probe, longest first. Matching only starts at
// positions where an occurrence can start (a word start or a byte that is not
// a letter or digit) and passes a prefilter of a few bits per literal, so the
// cost is linear in the text whatever the number of literals; per byte it
// still grows about 4x from a thousand literals to a million, as the tables
// outgrow the cache and more words share a start with some value. Memory is
// about 30 bytes a literal (docs/BENCHMARKS.md, "Run-wide literal pass",
// beside Hyperscan's literal mode, which slows down 300x over the same range).
//
// Two texts are the same literal when their folded bytes have the same length
// and hash: for a million literals and a gigabyte of text, about one run in
// ten billion would find a text that is not a literal. It would be redacted
// (or refused by the leak check) as one; a literal is never missed.

#include <QByteArray>
#include <QtGlobal>
#include <array>
#include <functional>
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

    // Hands every literal to `add`. build() reads a source three times; each
    // time it must give the same literals in the same order.
    using AddLiteral = std::function<void(std::string_view bytes, quint32 payload)>;
    using Source = std::function<void(const AddLiteral &add)>;
    // The set of a source's literals, in time linear in their bytes, holding
    // no copy of them. Empty literals and literals over 65 535 bytes are left
    // out. On duplicates (case folded) the first one added wins.
    static LiteralSet build(const Source &source);

    // Collects literals for build() in its own arena, for callers whose
    // literals are not already kept somewhere.
    class Builder
    {
    public:
        void reserve(size_t literals, size_t bytes);
        // Empty literals and literals over 65 535 bytes are not added; throws
        // std::bad_alloc past 4 GiB of literals.
        void add(std::string_view bytes, quint32 payload);
        size_t size() const { return m_count; }
        LiteralSet build();

    private:
        // Per literal its length (two bytes), payload (four), then its bytes.
        std::string m_arena;
        size_t m_count = 0;
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
    // A literal in m_slots: the hash of its folded bytes (0: an empty slot;
    // a hash of 0 is stored as 1) and its payload, in three words so that a
    // slot takes 12 bytes.
    struct Slot
    {
        quint32 low = 0;
        quint32 high = 0;
        quint32 payload = 0;
        quint64 hash() const { return quint64(high) << 32 | low; }
    };
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
    // The slot of the literal with this hash (as stored: 0 taken as 1), or null.
    const Slot *slotOf(quint64 hash) const;
    // build()'s steps: the tables sized and filled, then the extended and
    // ambiguous literals listed for mayChangeMatchAt().
    void fill(const Source &source, std::vector<quint64> &changing);
    void findExtended(const Source &source, std::vector<quint64> &changing) const;

    size_t m_literals = 0;
    size_t m_maxLength = 0;
    std::array<quint8, 256> m_first{}; // lowered byte -> some literal starts with it
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
    bool m_hasOneByte = false;
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
// The same, written over `out` (no allocation once it has room).
void urlEncodedSpelling(std::string_view value, std::string &out);

// True when text[start, end) lies inside one of the tool's own pseudonyms,
// "[<prefix>-<number>]" with a prefix from `prefixes` ("[user-3]" holds the
// word "user"): the leak check's one exception to an occurrence.
bool isInsidePseudonym(std::string_view text, qint64 start, qint64 end, const std::vector<QByteArray> &prefixes);

} // namespace dc::core
