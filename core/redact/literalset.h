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
//   it is not one.
//
// A trie in breadth-first order: a dense table for the root and for nodes
// with many children (over a compressed alphabet), sorted labels otherwise.
// Matching only starts at positions where an occurrence can start (a word
// start or a byte that is not a letter or digit), so the cost is linear in
// the text and about flat in the number of literals (docs/BENCHMARKS.md,
// "Run-wide literal pass"). Hyperscan's literal mode was measured and slows
// down with the number of literals (same section).

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
        void add(std::string_view bytes, quint32 payload);
        size_t size() const { return m_entries.size(); }
        LiteralSet build();

    private:
        struct Entry
        {
            quint64 offset;
            quint32 length;
            quint32 payload;
        };
        std::string m_arena; // lower-cased bytes of every literal
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
    // and this costs one probe of a small table where a walk of the trie
    // misses the cache several times. Bytes that are not a literal themselves
    // answer false: a longer literal starting with them is not looked for.
    bool mayChangeMatchAt(std::string_view text, qint64 offset, qint64 length) const;

private:
    static constexpr quint32 kNone = 0xffffffffu;

    // One cache line holds what a step of the walk reads of a node.
    struct Node
    {
        quint32 edgeBegin = 0; // edges of node n: [nodes[n].edgeBegin, nodes[n + 1].edgeBegin)
        quint32 terminal = 0;  // payload + 1 of the literal ending here (or at the end of the suffix), 0 = none
        quint32 dense = kNone; // row in m_denseTable, kNone for sparse nodes
        // A node with one literal left below it holds the rest of that literal:
        // offset in m_suffixBytes of a 2-byte length and the lowered bytes; kNone elsewhere.
        quint32 suffix = kNone;
    };
    struct Edge
    {
        quint32 target = 0;
        unsigned char label = 0; // lowered byte; sorted per node
    };

    quint32 child(quint32 node, unsigned char lowered) const;
    // True when an occurrence may start at text[offset] (no false negatives).
    bool mayStartAt(std::string_view text, qint64 offset) const;

    size_t m_literals = 0;
    size_t m_maxLength = 0;
    std::array<quint32, 256> m_root{}; // lowered byte -> child of the root, 0 = none
    std::array<quint8, 256> m_class{}; // lowered byte -> column of a dense node
    unsigned m_classes = 1;            // columns of a dense node (class 0: no literal has the byte)
    std::vector<Node> m_nodes;         // plus one sentinel for the last node's edge end
    std::vector<Edge> m_edges;
    std::vector<quint32> m_denseTable; // row * m_classes + class -> child node, 0 = none
    std::string m_suffixBytes;
    // The prefilter: a start is walked only when some literal of eight bytes
    // or more begins with its first eight bytes, one of four to seven bytes
    // with its first four (hashed bit sets of a few bits per literal, which
    // stay in cache where the trie of a large run does not: most words that
    // share four bytes with a value share no more), or one of two or three
    // bytes with its first two (exact bits).
    std::vector<quint64> m_prefix2;
    std::vector<quint64> m_prefix4;
    std::vector<quint64> m_prefix8;
    unsigned m_prefix4Bits = 16;
    unsigned m_prefix8Bits = 16;
    bool m_hasShort = false;
    // The node that the first four bytes lead to, found by one hash probe
    // instead of four dependent reads from a trie too large for the cache:
    // key = the lowered bytes, node << 2 | (depth - 1). Depth is under four
    // where a node keeps the rest of its one literal as a suffix. Open
    // addressing; node 0 (the root) marks an empty slot.
    struct Jump
    {
        quint32 key = 0;
        quint32 nodeDepth = 0;
    };
    std::vector<Jump> m_jump;
    quint32 m_jumpMask = 0;
    // mayChangeMatchAt(): the literals that are extended or ambiguous, by the
    // hash of their folded bytes with the low two bits replaced by flags
    // (kExtendedByWord, kExtendedBySeparator; both for an ambiguous one).
    // Open addressing, 0 marks an empty slot.
    std::vector<quint64> m_changing;
    quint64 m_changingMask = 0;
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
