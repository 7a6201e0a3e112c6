// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/literalset.h"

#include "core/redact/redactbytes_p.h"
#include "core/redact/stringset_p.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <numeric>

namespace dc::core {

namespace {

using u8 = unsigned char;

using rx::isAlnum;
using rx::kLower;

// Nodes with more children than this get a dense row.
constexpr quint32 kDenseFrom = 6;

// The prefilter's bit sets get about 16 bits per literal (three set per
// literal in one word: a few per cent false positives), from 2^16 to 2^27
// bits (16 MiB).
unsigned prefilterBits(size_t literals)
{
    unsigned bits = 16;
    while (bits < 27 && (size_t(1) << bits) < literals * 16)
        ++bits;
    return bits;
}

// Eight bytes as loaded, with ASCII capitals lowered, as kLower does
// byte by byte, without a table: every start of the literal pass folds them.
inline quint64 foldAscii(quint64 x)
{
    const quint64 heptets = x & 0x7f7f7f7f7f7f7f7full;
    const quint64 aboveZ = heptets + 0x2525252525252525ull; // high bit set from 'Z' + 1 up
    const quint64 fromA = heptets + 0x3f3f3f3f3f3f3f3full;  // high bit set from 'A' up
    const quint64 capital = ~x & (fromA ^ aboveZ) & 0x8080808080808080ull;
    return x | (capital >> 2);
}

inline quint64 load8(const u8 *p)
{
    quint64 x = 0;
    std::memcpy(&x, p, 8);
    return x;
}

inline quint32 foldedPrefix4(const u8 *p)
{
    quint32 x = 0;
    std::memcpy(&x, p, 4);
    return quint32(foldAscii(x));
}

inline quint64 foldedPrefix8(const u8 *p) { return foldAscii(load8(p)); }

// The word of a blocked Bloom filter that holds a key's bits, and the bits.
// A blocked Bloom filter's word for a key (the product's high bits) and the
// three bits set in it (middle bits of the same product: one multiply per test).
inline quint64 prefixHash(quint64 folded) { return folded * 0x9E3779B97F4A7C15ull; }
inline quint32 prefixWord(quint64 hash, unsigned bits) { return quint32(hash >> (64 - (bits - 6))); }
inline quint64 prefixMask(quint64 hash)
{
    return quint64(1) << ((hash >> 20) & 63) | quint64(1) << ((hash >> 26) & 63) | quint64(1) << ((hash >> 32) & 63);
}

// The high half of the product: every byte of the key reaches the low bits taken by the mask.
inline quint32 jumpSlot(quint32 folded) { return quint32((quint64(folded) * 0x9E3779B97F4A7C15ull) >> 32); }

inline quint32 foldedPrefix2(const u8 *p) { return quint32(kLower[p[0]]) | quint32(kLower[p[1]]) << 8; }

// mayChangeMatchAt()'s flags in the low bits of a literal's hash.
constexpr quint64 kExtendedByWord = 1;      // a longer literal continues it with a letter or digit
constexpr quint64 kExtendedBySeparator = 2; // ... with another byte
constexpr quint64 kFlags = kExtendedByWord | kExtendedBySeparator;
// Past this many longer literals sharing a literal's bytes, both kinds of extension are assumed.
constexpr size_t kExtensionsLooked = 64;

inline quint64 changingKey(std::string_view folded)
{
    return detail::hashBytes(folded.data(), folded.size()) & ~kFlags;
}

inline void setBit(std::vector<quint64> &bits, quint32 i) { bits[i >> 6] |= quint64(1) << (i & 63); }
inline bool testBit(const std::vector<quint64> &bits, quint32 i) { return (bits[i >> 6] >> (i & 63)) & 1; }

// A blocked Bloom filter: three bits per key, all in one 64-bit word, so that
// a test reads one place of a table that outgrows the cache (about 16 bits
// per key: a few per cent false positives).
inline void addKey(std::vector<quint64> &bits, quint64 key, unsigned width)
{
    const quint64 h = prefixHash(key);
    bits[prefixWord(h, width)] |= prefixMask(h);
}
inline bool mayHaveKey(const std::vector<quint64> &bits, quint64 key, unsigned width)
{
    const quint64 h = prefixHash(key);
    const quint64 mask = prefixMask(h);
    return (bits[prefixWord(h, width)] & mask) == mask;
}

} // namespace

void LiteralSet::Builder::reserve(size_t literals, size_t bytes)
{
    m_entries.reserve(m_entries.size() + literals);
    m_arena.reserve(m_arena.size() + bytes);
}

void LiteralSet::Builder::add(std::string_view bytes, quint32 payload)
{
    if (bytes.empty() || bytes.size() > 0xffffu)
        return;
    const quint64 offset = m_arena.size();
    const size_t old = m_arena.size();
    m_arena.resize(old + bytes.size());
    std::transform(bytes.begin(), bytes.end(), m_arena.begin() + qptrdiff(old),
                   [](char c) { return char(kLower[u8(c)]); });
    m_entries.push_back(Entry{offset, quint32(bytes.size()), payload});
}

LiteralSet LiteralSet::Builder::build()
{
    LiteralSet set;
    const auto text = [this](const Entry &e) { return std::string_view(m_arena.data() + e.offset, e.length); };
    // Sorted by bytes, ties in the order added: the first of equal literals wins.
    std::vector<quint32> order(m_entries.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](quint32 a, quint32 b) { return text(m_entries[a]) < text(m_entries[b]); });

    // Extended and ambiguous literals (mayChangeMatchAt): the longer
    // literals that start with a literal's bytes follow it in sorted order.
    std::vector<quint64> changing;
    for (size_t i = 0; i < order.size();) {
        const std::string_view literal = text(m_entries[order[i]]);
        quint64 flags = 0;
        size_t j = i + 1;
        for (; j < order.size() && text(m_entries[order[j]]) == literal; ++j) {
            if (m_entries[order[j]].payload != m_entries[order[i]].payload)
                flags = kFlags;
        }
        const size_t next = j;
        for (; j < order.size() && text(m_entries[order[j]]).substr(0, literal.size()) == literal; ++j) {
            if (j - next >= kExtensionsLooked) {
                flags = kFlags;
                break;
            }
            flags |= isAlnum(u8(text(m_entries[order[j]])[literal.size()])) ? kExtendedByWord : kExtendedBySeparator;
        }
        if (flags != 0)
            changing.push_back(changingKey(literal) | flags);
        i = next;
    }
    size_t changingSlots = 2;
    while (changingSlots < changing.size() * 2)
        changingSlots *= 2;
    set.m_changing.assign(changingSlots, 0);
    set.m_changingMask = changingSlots - 1;
    for (const quint64 key : changing) {
        size_t s = size_t(key >> 2) & set.m_changingMask;
        while (set.m_changing[s] != 0 && (set.m_changing[s] & ~kFlags) != (key & ~kFlags))
            s = (s + 1) & set.m_changingMask;
        set.m_changing[s] |= key;
    }

    // Breadth first: node ids are handed out in the order nodes are queued,
    // and a node's edges are appended when it is taken from the queue.
    struct Pending
    {
        quint32 node;
        size_t lo, hi; // range of `order` sharing the node's prefix
        quint32 depth;
    };
    std::deque<Pending> queue;
    set.m_nodes.clear();
    set.m_nodes.reserve(m_entries.size() * 2 + 2);
    set.m_nodes.push_back(Node{});
    queue.push_back(Pending{0, 0, order.size(), 0});
    quint32 nodes = 1;
    while (!queue.empty()) {
        const Pending p = queue.front();
        queue.pop_front();
        Node &node = set.m_nodes[p.node];
        node.edgeBegin = quint32(set.m_edges.size());
        if (p.node != 0 && p.hi - p.lo == 1 && m_entries[order[p.lo]].length > p.depth) {
            // One literal left below this node: the rest of it is a suffix to
            // compare at once instead of a chain of nodes to walk.
            const Entry &e = m_entries[order[p.lo]];
            const std::string_view rest = text(e).substr(p.depth);
            node.suffix = quint32(set.m_suffixBytes.size());
            set.m_suffixBytes.push_back(char(rest.size() & 0xff));
            set.m_suffixBytes.push_back(char(rest.size() >> 8));
            set.m_suffixBytes.append(rest);
            node.terminal = e.payload + 1;
            ++set.m_literals;
            set.m_maxLength = std::max<size_t>(set.m_maxLength, e.length);
            continue;
        }
        size_t i = p.lo;
        while (i < p.hi && m_entries[order[i]].length == p.depth) {
            if (set.m_nodes[p.node].terminal == 0) {
                set.m_nodes[p.node].terminal = m_entries[order[i]].payload + 1;
                ++set.m_literals;
                set.m_maxLength = std::max<size_t>(set.m_maxLength, p.depth);
            }
            ++i;
        }
        while (i < p.hi) {
            const u8 c = u8(text(m_entries[order[i]])[p.depth]);
            size_t j = i + 1;
            while (j < p.hi && u8(text(m_entries[order[j]])[p.depth]) == c)
                ++j;
            set.m_edges.push_back(Edge{nodes, c});
            set.m_nodes.push_back(Node{});
            queue.push_back(Pending{nodes, i, j, p.depth + 1});
            ++nodes;
            i = j;
        }
    }
    Node sentinel;
    sentinel.edgeBegin = quint32(set.m_edges.size());
    set.m_nodes.push_back(sentinel);

    for (quint32 e = set.m_nodes[0].edgeBegin; e < set.m_nodes[1].edgeBegin; ++e)
        set.m_root[set.m_edges[e].label] = set.m_edges[e].target;
    for (const Edge &edge : set.m_edges) {
        if (set.m_class[edge.label] == 0)
            set.m_class[edge.label] = u8(std::min(255u, set.m_classes++));
    }
    quint32 rows = 0;
    for (quint32 n = 1; n < nodes; ++n) {
        if (set.m_nodes[n + 1].edgeBegin - set.m_nodes[n].edgeBegin > kDenseFrom)
            set.m_nodes[n].dense = rows++;
    }
    set.m_denseTable.assign(size_t(rows) * set.m_classes, 0);
    for (quint32 n = 1; n < nodes; ++n) {
        const Node &node = set.m_nodes[n];
        if (node.dense == kNone)
            continue;
        for (quint32 e = node.edgeBegin; e < set.m_nodes[n + 1].edgeBegin; ++e)
            set.m_denseTable[size_t(node.dense) * set.m_classes + set.m_class[set.m_edges[e].label]] =
                set.m_edges[e].target;
    }
    size_t mid = 0;
    size_t long8 = 0;
    for (const Entry &e : m_entries)
        (e.length >= 8 ? long8 : mid) += e.length >= 4 ? 1 : 0;
    set.m_prefix4Bits = prefilterBits(mid);
    set.m_prefix8Bits = prefilterBits(long8);
    set.m_prefix4.assign(size_t(1) << (set.m_prefix4Bits - 6), 0);
    set.m_prefix8.assign(size_t(1) << (set.m_prefix8Bits - 6), 0);
    set.m_prefix2.assign(size_t(1) << (16 - 6), 0);
    for (const Entry &e : m_entries) {
        const auto *p = reinterpret_cast<const u8 *>(m_arena.data() + e.offset);
        if (e.length >= 8) {
            addKey(set.m_prefix8, foldedPrefix8(p), set.m_prefix8Bits);
        } else if (e.length >= 4) {
            addKey(set.m_prefix4, foldedPrefix4(p), set.m_prefix4Bits);
        } else if (e.length >= 2) {
            setBit(set.m_prefix2, foldedPrefix2(p));
            set.m_hasShort = true;
        } else {
            // One byte: every start with it is a candidate.
            for (quint32 c = 0; c < 256; ++c)
                setBit(set.m_prefix2, quint32(p[0]) | c << 8);
            set.m_hasShort = true;
        }
    }
    // The jump table: each distinct four-byte start, walked once.
    std::vector<LiteralSet::Jump> jumps;
    for (const Entry &e : m_entries) {
        if (e.length < 4)
            continue;
        const auto *p = reinterpret_cast<const u8 *>(m_arena.data() + e.offset);
        quint32 node = set.m_root[p[0]];
        quint32 depth = 1;
        while (depth < 4 && set.m_nodes[node].suffix == kNone) {
            node = set.child(node, p[depth]);
            ++depth;
        }
        jumps.push_back(LiteralSet::Jump{foldedPrefix4(p), node << 2 | (depth - 1)});
    }
    std::sort(jumps.begin(), jumps.end(), [](const Jump &a, const Jump &b) { return a.key < b.key; });
    jumps.erase(std::unique(jumps.begin(), jumps.end(), [](const Jump &a, const Jump &b) { return a.key == b.key; }),
                jumps.end());
    size_t slotCount = 2;
    while (slotCount < jumps.size() + jumps.size() / 2)
        slotCount *= 2;
    set.m_jump.assign(slotCount, Jump{});
    set.m_jumpMask = quint32(slotCount - 1);
    for (const Jump &jump : jumps) {
        quint32 i = jumpSlot(jump.key) & set.m_jumpMask;
        while (set.m_jump[i].nodeDepth != 0)
            i = (i + 1) & set.m_jumpMask;
        set.m_jump[i] = jump;
    }
    m_arena.clear();
    m_arena.shrink_to_fit();
    m_entries.clear();
    m_entries.shrink_to_fit();
    return set;
}

LiteralSet::LiteralSet()
{
    m_nodes = {Node{}, Node{}};
    m_jump.assign(2, Jump{});
    m_jumpMask = 1;
    m_changing.assign(2, 0);
    m_changingMask = 1;
}

bool LiteralSet::mayChangeMatchAt(std::string_view text, qint64 offset, qint64 length) const
{
    if (m_literals == 0 || length <= 0)
        return false;
    std::array<char, 256> folded;
    if (length > qint64(folded.size()) || offset + length > qint64(text.size()))
        return true;
    for (qint64 k = 0; k < length; ++k)
        folded[size_t(k)] = char(kLower[u8(text[size_t(offset + k)])]);
    const quint64 key = changingKey(std::string_view(folded.data(), size_t(length)));
    for (size_t s = size_t(key >> 2) & m_changingMask;; s = (s + 1) & m_changingMask) {
        const quint64 slot = m_changing[s];
        if (slot == 0)
            return false;
        if ((slot & ~kFlags) == key) {
            const qint64 end = offset + length;
            // At the text's end no longer literal fits; a fragment's end is not known: assume either.
            if (end >= qint64(text.size()))
                return true;
            return (slot & (isAlnum(u8(text[size_t(end)])) ? kExtendedByWord : kExtendedBySeparator)) != 0;
        }
    }
}

size_t LiteralSet::memoryBytes() const
{
    return m_nodes.capacity() * sizeof(Node) + m_edges.capacity() * sizeof(Edge) + m_denseTable.capacity() * 4 +
           m_suffixBytes.capacity() + (m_prefix2.capacity() + m_prefix4.capacity() + m_prefix8.capacity()) * 8 +
           m_jump.capacity() * sizeof(Jump) + m_changing.capacity() * 8;
}

inline quint32 LiteralSet::child(quint32 node, unsigned char lowered) const
{
    const Node &n = m_nodes[node];
    if (n.dense != kNone) {
        const u8 k = m_class[lowered];
        return k == 0 ? 0 : m_denseTable[size_t(n.dense) * m_classes + k];
    }
    for (quint32 e = n.edgeBegin, end = m_nodes[node + 1].edgeBegin; e < end; ++e) {
        const Edge &edge = m_edges[e];
        if (edge.label == lowered)
            return edge.target;
        if (edge.label > lowered)
            break;
    }
    return 0;
}

bool LiteralSet::mayStartAt(std::string_view text, qint64 offset) const
{
    const auto *b = reinterpret_cast<const u8 *>(text.data()) + offset;
    const qint64 left = qint64(text.size()) - offset;
    if (left < 4)
        return left > 0;
    if (m_hasShort && testBit(m_prefix2, foldedPrefix2(b)))
        return true;
    if (mayHaveKey(m_prefix4, foldedPrefix4(b), m_prefix4Bits))
        return true;
    return left >= 8 && mayHaveKey(m_prefix8, foldedPrefix8(b), m_prefix8Bits);
}

namespace {

// An upper-case word glued to "_X": the first word of an environment
// variable or constant ("CLOUDSDK_CORE_PROJECT", "JAVA_HOME"), not the
// account or host of the same spelling.
bool startsIdentifier(const u8 *b, qint64 start, qint64 end, qint64 n)
{
    if (end + 1 >= n || b[end] != '_' || !(b[end + 1] >= 'A' && b[end + 1] <= 'Z'))
        return false;
    bool upper = false;
    for (qint64 k = start; k < end; ++k) {
        if (b[k] >= 'a' && b[k] <= 'z')
            return false;
        upper = upper || (b[k] >= 'A' && b[k] <= 'Z');
    }
    return upper;
}

} // namespace

LiteralSet::Hit LiteralSet::longestAt(std::string_view text, qint64 offset) const
{
    const auto *b = reinterpret_cast<const u8 *>(text.data());
    const qint64 n = qint64(text.size());
    Hit best;
    if (offset >= n)
        return best;
    quint32 node = 0;
    qint64 i = offset;
    if (n - offset >= 4 && !(m_hasShort && testBit(m_prefix2, foldedPrefix2(b + offset)))) {
        // No literal shorter than four bytes starts here: jump past the first levels.
        const quint32 key = foldedPrefix4(b + offset);
        for (quint32 s = jumpSlot(key) & m_jumpMask;; s = (s + 1) & m_jumpMask) {
            const Jump &jump = m_jump[s];
            if (jump.nodeDepth == 0)
                return best;
            if (jump.key == key) {
                node = jump.nodeDepth >> 2;
                i = offset + (jump.nodeDepth & 3); // the loop's ++i makes it offset + depth
                break;
            }
        }
    } else {
        node = m_root[kLower[b[offset]]];
    }
    while (node != 0) {
        ++i; // text[offset, i) spells the node's prefix
        const Node &here = m_nodes[node];
        if (here.suffix != kNone) {
            // The last literal below: the rest of it at once.
            const auto *want = reinterpret_cast<const u8 *>(m_suffixBytes.data()) + here.suffix;
            const qint64 end = i + (qint64(want[0]) | qint64(want[1]) << 8);
            if (end > n)
                break;
            want += 2;
            for (qint64 k = i; k < end; ++k, ++want) {
                if (kLower[b[k]] != *want)
                    return best;
            }
            if ((!isAlnum(b[end - 1]) || end == n || !isAlnum(b[end])) && !startsIdentifier(b, offset, end, n))
                best = Hit{offset, qint32(end - offset), here.terminal - 1};
            break;
        }
        if (const quint32 t = here.terminal; t != 0) {
            // The literal ends with b[i - 1] (case folded); a letter or digit there needs a boundary after it.
            if ((!isAlnum(b[i - 1]) || i == n || !isAlnum(b[i])) && !startsIdentifier(b, offset, i, n))
                best = Hit{offset, qint32(i - offset), t - 1};
        }
        if (i >= n)
            break;
        node = child(node, kLower[b[i]]);
    }
    return best;
}

void LiteralSet::findAll(std::string_view text, qint64 from, qint64 to, std::vector<Hit> &out) const
{
    if (m_literals == 0)
        return;
    const auto *b = reinterpret_cast<const u8 *>(text.data());
    // Starts are tried below `n`; longestAt() and mayStartAt() may read up to the text's end.
    const qint64 n = std::min(qint64(text.size()), to);
    qint64 p = std::max<qint64>(from, 0);
    // Inside a word nothing can start: step to its end first.
    if (p > 0 && p < n && isAlnum(b[p]) && isAlnum(b[p - 1])) {
        while (p < n && isAlnum(b[p]))
            ++p;
    }
    while (p < n) {
        const u8 c = b[p];
        if (m_root[kLower[c]] != 0 && mayStartAt(text, p)) {
            const Hit hit = longestAt(text, p);
            if (hit.length > 0) {
                out.push_back(hit);
                p = hit.end();
                // An occurrence that ends inside a word (it ends with a separator) leaves a word start.
                continue;
            }
        }
        if (isAlnum(c)) {
            ++p;
            while (p < n && isAlnum(b[p]))
                ++p;
        } else {
            ++p;
        }
    }
}

QByteArray urlEncodedSpelling(const QByteArray &value)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(value.size() * 3);
    for (char ch : value) {
        const u8 c = u8(ch);
        if (rx::isUrlSafe(c)) {
            out.append(ch);
        } else {
            out.append('%');
            out.append(hex[c >> 4]);
            out.append(hex[c & 15]);
        }
    }
    return out;
}

bool isInsidePseudonym(std::string_view text, qint64 start, qint64 end, const std::vector<QByteArray> &prefixes)
{
    const auto *b = reinterpret_cast<const u8 *>(text.data());
    const qint64 n = qint64(text.size());
    const auto tokenChar = [](u8 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; };
    // The '[' before start, over token characters only.
    qint64 open = start - 1;
    while (open >= 0 && start - open <= 48 && b[open] != '[') {
        if (!tokenChar(b[open]))
            return false;
        --open;
    }
    if (open < 0 || b[open] != '[')
        return false;
    // The ']' at or after end.
    qint64 close = std::max(end, open + 1);
    while (close < n && close - open <= 64 && b[close] != ']') {
        if (!tokenChar(b[close]))
            return false;
        ++close;
    }
    if (close >= n || b[close] != ']')
        return false;
    for (qint64 k = open + 1; k < end && k < close; ++k) {
        if (!tokenChar(b[k]))
            return false;
    }
    // "<prefix>-<digits>"
    qint64 dash = close - 1;
    while (dash > open && b[dash] >= '0' && b[dash] <= '9')
        --dash;
    if (dash == close - 1 || b[dash] != '-')
        return false;
    const std::string_view prefix(text.data() + open + 1, size_t(dash - open - 1));
    for (const QByteArray &p : prefixes) {
        if (prefix == std::string_view(p.constData(), size_t(p.size())))
            return true;
    }
    return false;
}

} // namespace dc::core
