// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/literalset.h"

#include <algorithm>
#include <deque>
#include <numeric>

namespace dc::core {

namespace {

using u8 = unsigned char;

constexpr std::array<u8, 256> makeLower()
{
    std::array<u8, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[size_t(c)] = u8((c >= 'A' && c <= 'Z') ? c + 32 : c);
    return t;
}
constexpr std::array<u8, 256> kLower = makeLower();

constexpr std::array<bool, 256> makeWord()
{
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[size_t(c)] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return t;
}
constexpr std::array<bool, 256> kWord = makeWord();

// Nodes with more children than this get a dense row.
constexpr quint32 kDenseFrom = 6;

} // namespace

void LiteralSet::Builder::add(std::string_view bytes, quint32 payload)
{
    if (bytes.empty() || bytes.size() > 0xffffu)
        return;
    const quint64 offset = m_arena.size();
    for (char c : bytes)
        m_arena.push_back(char(kLower[u8(c)]));
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

    // Breadth first: node ids are handed out in the order nodes are queued,
    // and a node's edges are appended when it is taken from the queue, so the
    // edges of node n are [edgeBegin[n], edgeBegin[n + 1]).
    struct Pending
    {
        quint32 node;
        size_t lo, hi; // range of `order` sharing the node's prefix
        quint32 depth;
    };
    std::deque<Pending> queue;
    // The empty set's placeholders (see the constructor) are rebuilt from scratch.
    set.m_edgeBegin.clear();
    set.m_terminal.clear();
    set.m_dense.clear();
    set.m_edgeBegin.reserve(m_arena.size() / 2 + 2);
    set.m_terminal.push_back(0);
    queue.push_back(Pending{0, 0, order.size(), 0});
    quint32 nodes = 1;
    while (!queue.empty()) {
        const Pending p = queue.front();
        queue.pop_front();
        set.m_edgeBegin.push_back(quint32(set.m_label.size()));
        size_t i = p.lo;
        while (i < p.hi && m_entries[order[i]].length == p.depth) {
            if (set.m_terminal[p.node] == 0) {
                set.m_terminal[p.node] = m_entries[order[i]].payload + 1;
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
            set.m_label.push_back(c);
            set.m_target.push_back(nodes);
            set.m_terminal.push_back(0);
            queue.push_back(Pending{nodes, i, j, p.depth + 1});
            ++nodes;
            i = j;
        }
    }
    set.m_edgeBegin.push_back(quint32(set.m_label.size()));

    for (quint32 e = set.m_edgeBegin[0]; e < set.m_edgeBegin[1]; ++e)
        set.m_root[set.m_label[e]] = set.m_target[e];
    for (u8 c : set.m_label) {
        if (set.m_class[c] == 0)
            set.m_class[c] = u8(std::min(255u, set.m_classes++));
    }
    set.m_dense.assign(nodes, kNone);
    quint32 rows = 0;
    for (quint32 n = 1; n < nodes; ++n) {
        if (set.m_edgeBegin[n + 1] - set.m_edgeBegin[n] > kDenseFrom)
            set.m_dense[n] = rows++;
    }
    set.m_denseTable.assign(size_t(rows) * set.m_classes, 0);
    for (quint32 n = 1; n < nodes; ++n) {
        if (set.m_dense[n] == kNone)
            continue;
        for (quint32 e = set.m_edgeBegin[n]; e < set.m_edgeBegin[n + 1]; ++e)
            set.m_denseTable[size_t(set.m_dense[n]) * set.m_classes + set.m_class[set.m_label[e]]] = set.m_target[e];
    }
    m_arena.clear();
    m_arena.shrink_to_fit();
    m_entries.clear();
    m_entries.shrink_to_fit();
    return set;
}

LiteralSet::LiteralSet()
{
    m_edgeBegin = {0, 0};
    m_terminal = {0};
    m_dense = {kNone};
}

size_t LiteralSet::memoryBytes() const
{
    return m_edgeBegin.capacity() * 4 + m_label.capacity() + m_target.capacity() * 4 + m_dense.capacity() * 4 +
           m_denseTable.capacity() * 4 + m_terminal.capacity() * 4;
}

inline quint32 LiteralSet::child(quint32 node, unsigned char lowered) const
{
    if (const quint32 row = m_dense[node]; row != kNone) {
        const u8 k = m_class[lowered];
        return k == 0 ? 0 : m_denseTable[size_t(row) * m_classes + k];
    }
    for (quint32 e = m_edgeBegin[node], end = m_edgeBegin[node + 1]; e < end; ++e) {
        if (m_label[e] == lowered)
            return m_target[e];
        if (m_label[e] > lowered)
            break;
    }
    return 0;
}

LiteralSet::Hit LiteralSet::longestAt(std::string_view text, qint64 offset) const
{
    const auto *b = reinterpret_cast<const u8 *>(text.data());
    const qint64 n = qint64(text.size());
    Hit best;
    if (offset >= n)
        return best;
    quint32 node = m_root[kLower[b[offset]]];
    qint64 i = offset;
    while (node != 0) {
        ++i; // text[offset, i) spells the node's prefix
        if (const quint32 t = m_terminal[node]; t != 0) {
            // The literal ends with b[i - 1] (case folded); a letter or digit there needs a boundary after it.
            if (!kWord[b[i - 1]] || i == n || !kWord[b[i]])
                best = Hit{offset, qint32(i - offset), t - 1};
        }
        if (i >= n)
            break;
        node = child(node, kLower[b[i]]);
    }
    return best;
}

void LiteralSet::findAll(std::string_view text, qint64 from, std::vector<Hit> &out) const
{
    if (m_literals == 0)
        return;
    const auto *b = reinterpret_cast<const u8 *>(text.data());
    const qint64 n = qint64(text.size());
    qint64 p = std::max<qint64>(from, 0);
    // Inside a word nothing can start: step to its end first.
    if (p > 0 && p < n && kWord[b[p]] && kWord[b[p - 1]]) {
        while (p < n && kWord[b[p]])
            ++p;
    }
    while (p < n) {
        const u8 c = b[p];
        if (m_root[kLower[c]] != 0) {
            const Hit hit = longestAt(text, p);
            if (hit.length > 0) {
                out.push_back(hit);
                p = hit.end();
                // An occurrence that ends inside a word (it ends with a separator) leaves a word start.
                continue;
            }
        }
        if (kWord[c]) {
            ++p;
            while (p < n && kWord[b[p]])
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
        if (kWord[c] || c == '.' || c == '_' || c == '~' || c == '-') {
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
