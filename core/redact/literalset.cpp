// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/literalset.h"

#include "core/redact/redactbytes_p.h"
#include "core/redact/stringset_p.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace dc::core {

namespace {

using u8 = unsigned char;

using rx::isAlnum;
using rx::kLower;

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

// Every byte of the key reaches the high half that placeOf() takes.
inline quint64 start4Hash(quint32 folded) { return quint64(folded) * 0x9E3779B97F4A7C15ull; }
// Mixed both ways: the low half is the fingerprint kept, the high half places it.
inline quint64 start8Hash(quint64 folded)
{
    quint64 h = folded * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
}

inline quint64 literalHash(const char *folded, size_t length) { return detail::hashBytes(folded, length); }

// Tables of any size, 60 % full: a hash's place is the fraction of the size
// that its high half gives (a power-of-two size would leave them 25-50 %
// full, the bulk of a large run's literal set). Sizes stay under 2^32; no
// 128-bit product, which MSVC lacks.
inline size_t tableSize(size_t keys) { return std::max<size_t>(2, keys + keys * 2 / 3 + 1); }
inline size_t placeOf(quint64 hash, size_t size) { return size_t(((hash >> 32) * quint64(size)) >> 32); }
inline size_t nextPlace(size_t place, size_t size) { return place + 1 == size ? 0 : place + 1; }

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
    m_arena.reserve(m_arena.size() + bytes + literals * kLengthBefore);
}

void LiteralSet::Builder::add(std::string_view bytes, quint32 payload)
{
    if (bytes.empty() || bytes.size() > 0xffffu)
        return;
    const size_t old = m_arena.size();
    if (old + kLengthBefore + bytes.size() > 0xffffffffu)
        throw std::bad_alloc(); // offsets are 32 bits: 4 GiB of values
    m_arena.resize(old + kLengthBefore + bytes.size());
    const auto length = quint16(bytes.size());
    std::memcpy(m_arena.data() + old, &length, sizeof(length));
    std::memcpy(m_arena.data() + old + kLengthBefore - kPayloadBefore, &payload, sizeof(payload));
    const auto offset = quint32(old + kLengthBefore);
    std::transform(bytes.begin(), bytes.end(), m_arena.begin() + qptrdiff(offset),
                   [](char c) { return char(kLower[u8(c)]); });
    m_entries.push_back(Entry{offset, quint32(bytes.size())});
}

LiteralSet LiteralSet::Builder::build()
{
    LiteralSet set;
    const auto text = [this](const Entry &e) { return std::string_view(m_arena.data() + e.offset, e.length); };
    const auto payload = [this](const Entry &e) { return payloadBefore(m_arena.data() + e.offset); };
    // Sorted by bytes, ties in the order added (offsets grow with it): the
    // first of equal literals wins. In place: a large run's literals are
    // millions, and an index beside them would be one more copy at the peak.
    std::sort(m_entries.begin(), m_entries.end(), [&](const Entry &a, const Entry &b) {
        const int c = text(a).compare(text(b));
        return c < 0 || (c == 0 && a.offset < b.offset);
    });

    // Extended and ambiguous literals (mayChangeMatchAt): the longer
    // literals that start with a literal's bytes follow it in sorted order.
    // The first of each run of equal literals is kept, compacted in place;
    // literals sharing a start are next to each other, so the starts are
    // counted on the way.
    std::vector<quint64> changing;
    size_t kept = 0;
    size_t distinct4 = 0;
    size_t distinct8 = 0;
    std::string_view last4;
    std::string_view last8;
    for (size_t i = 0; i < m_entries.size();) {
        const Entry first = m_entries[i];
        const std::string_view literal = text(first);
        quint64 flags = 0;
        size_t j = i + 1;
        for (; j < m_entries.size() && text(m_entries[j]) == literal; ++j) {
            if (payload(m_entries[j]) != payload(first))
                flags = kFlags;
        }
        const size_t next = j;
        for (; j < m_entries.size() && text(m_entries[j]).substr(0, literal.size()) == literal; ++j) {
            if (j - next >= kExtensionsLooked) {
                flags = kFlags;
                break;
            }
            flags |= isAlnum(u8(text(m_entries[j])[literal.size()])) ? kExtendedByWord : kExtendedBySeparator;
        }
        if (flags != 0)
            changing.push_back(changingKey(literal) | flags);
        if (literal.size() >= 8 && literal.substr(0, 8) != last8) {
            last8 = literal.substr(0, 8);
            ++distinct8;
        } else if (literal.size() >= 4 && literal.size() < 8 && literal.substr(0, 4) != last4) {
            last4 = literal.substr(0, 4);
            ++distinct4;
        }
        m_entries[kept++] = first;
        i = next;
    }
    m_entries.resize(kept);
    set.m_changing.assign(tableSize(changing.size()), 0);
    for (const quint64 key : changing) {
        size_t s = placeOf(key, set.m_changing.size());
        while (set.m_changing[s] != 0 && (set.m_changing[s] & ~kFlags) != (key & ~kFlags))
            s = nextPlace(s, set.m_changing.size());
        set.m_changing[s] |= key;
    }
    std::vector<quint64>().swap(changing);

    // The literals by the hash of their bytes, the lengths by their starts,
    // and the prefilter's bits.
    size_t mid = 0;
    size_t long8 = 0;
    for (const Entry &e : m_entries)
        (e.length >= 8 ? long8 : mid) += e.length >= 4 ? 1 : 0;
    set.m_slots.assign(tableSize(m_entries.size()), Slot{});
    set.m_lengths4.assign(tableSize(distinct4), Lengths{});
    set.m_lengths8.assign(tableSize(distinct8), Lengths{});
    set.m_prefix4Bits = prefilterBits(mid);
    set.m_prefix8Bits = prefilterBits(long8);
    set.m_prefix4.assign(size_t(1) << (set.m_prefix4Bits - 6), 0);
    set.m_prefix8.assign(size_t(1) << (set.m_prefix8Bits - 6), 0);
    set.m_prefix2.assign(size_t(1) << (16 - 6), 0);
    const auto addLength = [](std::vector<Lengths> &table, quint32 key, quint64 hash, quint32 bit) {
        size_t s = placeOf(hash, table.size());
        while (table[s].mask != 0 && table[s].key != key)
            s = nextPlace(s, table.size());
        table[s].key = key;
        table[s].mask |= bit;
    };
    for (const Entry &e : m_entries) {
        const auto *p = reinterpret_cast<const u8 *>(m_arena.data() + e.offset);
        const quint64 h = literalHash(m_arena.data() + e.offset, e.length);
        size_t s = placeOf(h, set.m_slots.size());
        while (set.m_slots[s].offset != 0)
            s = nextPlace(s, set.m_slots.size());
        set.m_slots[s] = Slot{quint32(h), e.offset};
        ++set.m_literals;
        set.m_maxLength = std::max<size_t>(set.m_maxLength, e.length);
        set.m_first[p[0]] = 1;
        if (e.length >= 8) {
            const quint64 folded = foldedPrefix8(p);
            const quint64 start = start8Hash(folded);
            const quint32 bit = e.length - 8 < kMaskedLengths ? quint32(1) << (e.length - 8) : quint32(1) << 31;
            addLength(set.m_lengths8, quint32(start), start, bit);
            addKey(set.m_prefix8, folded, set.m_prefix8Bits);
            if (e.length >= 8 + kMaskedLengths)
                set.m_longLengths.push_back(e.length);
        } else if (e.length >= 4) {
            const quint32 folded = foldedPrefix4(p);
            addLength(set.m_lengths4, folded, start4Hash(folded), quint32(1) << (e.length - 4));
            addKey(set.m_prefix4, folded, set.m_prefix4Bits);
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
    std::sort(set.m_longLengths.begin(), set.m_longLengths.end(), std::greater<>());
    set.m_longLengths.erase(std::unique(set.m_longLengths.begin(), set.m_longLengths.end()), set.m_longLengths.end());
    // Duplicates stay in the bytes, unreferenced: copying the rest out would
    // hold both for a moment, the peak of a large run.
    set.m_bytes = std::move(m_arena);
    m_arena = std::string();
    m_entries.clear();
    m_entries.shrink_to_fit();
    return set;
}

LiteralSet::LiteralSet()
{
    m_slots.assign(2, Slot{});
    m_lengths4.assign(2, Lengths{});
    m_lengths8.assign(2, Lengths{});
    m_changing.assign(2, 0);
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
    for (size_t s = placeOf(key, m_changing.size());; s = nextPlace(s, m_changing.size())) {
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
    return m_bytes.capacity() + m_slots.capacity() * sizeof(Slot) +
           (m_lengths4.capacity() + m_lengths8.capacity()) * sizeof(Lengths) + m_longLengths.capacity() * 4 +
           (m_prefix2.capacity() + m_prefix4.capacity() + m_prefix8.capacity()) * 8 + m_changing.capacity() * 8;
}

quint32 LiteralSet::payloadBefore(const char *bytes)
{
    quint32 payload = 0;
    std::memcpy(&payload, bytes - kPayloadBefore, sizeof(payload));
    return payload;
}

quint64 LiteralSet::payloadOf(const char *folded, size_t length) const
{
    const quint64 h = literalHash(folded, length);
    for (size_t s = placeOf(h, m_slots.size());; s = nextPlace(s, m_slots.size())) {
        const Slot &slot = m_slots[s];
        if (slot.offset == 0)
            return kAbsent;
        if (slot.check != quint32(h))
            continue;
        const char *bytes = m_bytes.data() + slot.offset;
        quint16 stored = 0;
        std::memcpy(&stored, bytes - kLengthBefore, sizeof(stored));
        if (stored == length && std::memcmp(bytes, folded, length) == 0)
            return payloadBefore(bytes);
    }
}

inline bool LiteralSet::mayStartAt(std::string_view text, qint64 offset) const
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

quint32 LiteralSet::lengthsAt(const std::vector<Lengths> &table, quint32 key, quint64 hash)
{
    for (size_t s = placeOf(hash, table.size());; s = nextPlace(s, table.size())) {
        if (table[s].mask == 0)
            return 0;
        if (table[s].key == key)
            return table[s].mask;
    }
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
    if (offset >= n || m_literals == 0)
        return Hit{};
    const qint64 left = n - offset;
    // The lengths that literals starting here may have; the prefilter's bits
    // first, which stay in cache where the tables do not.
    quint32 lengths8 = 0;
    quint32 lengths4 = 0;
    if (left >= 8) {
        const quint64 folded = foldedPrefix8(b + offset);
        if (mayHaveKey(m_prefix8, folded, m_prefix8Bits)) {
            const quint64 h = start8Hash(folded);
            lengths8 = lengthsAt(m_lengths8, quint32(h), h);
        }
    }
    if (left >= 4) {
        const quint32 folded = foldedPrefix4(b + offset);
        if (mayHaveKey(m_prefix4, folded, m_prefix4Bits))
            lengths4 = lengthsAt(m_lengths4, folded, start4Hash(folded));
    }
    const bool shortHere = m_hasShort && (left < 2 || testBit(m_prefix2, foldedPrefix2(b + offset)));
    if (lengths8 == 0 && lengths4 == 0 && !shortHere)
        return Hit{};
    qint64 longest = shortHere ? 3 : 0;
    if (lengths8 >> 31)
        longest = m_longLengths.front();
    else if (lengths8 != 0)
        longest = 8 + 31 - std::countl_zero(lengths8);
    else if (lengths4 != 0)
        longest = 4 + 31 - std::countl_zero(lengths4);
    longest = std::min(longest, left);

    // The text's bytes folded once, as far as the first length that ends on a
    // boundary needs (most near misses have none); each length is a hash of a
    // prefix of them.
    std::array<char, 256> inPlace;
    std::string onHeap;
    char *folded = inPlace.data();
    if (longest > qint64(inPlace.size())) {
        onHeap.resize(size_t(longest));
        folded = onHeap.data();
    }
    qint64 foldedUpTo = 0;
    const auto literalOf = [&](qint64 length) {
        // A literal that ends with a letter or digit needs a boundary after it.
        const qint64 end = offset + length;
        if (length > left || (isAlnum(b[end - 1]) && end < n && isAlnum(b[end])))
            return Hit{};
        for (; foldedUpTo + 8 <= length; foldedUpTo += 8) {
            const quint64 word = foldAscii(load8(b + offset + foldedUpTo));
            std::memcpy(folded + foldedUpTo, &word, 8);
        }
        for (; foldedUpTo < length; ++foldedUpTo)
            folded[foldedUpTo] = char(kLower[b[offset + foldedUpTo]]);
        const quint64 payload = payloadOf(folded, size_t(length));
        if (payload == kAbsent || startsIdentifier(b, offset, end, n))
            return Hit{};
        return Hit{offset, qint32(length), quint32(payload)};
    };
    // Longest first: the first one found is the occurrence.
    if (lengths8 >> 31) {
        for (const quint32 length : m_longLengths) {
            if (const Hit hit = literalOf(length); hit.length > 0)
                return hit;
        }
    }
    // Bit k of a mask is length `base` + k.
    const auto longestOf = [&](quint32 bits, qint64 base) {
        for (; bits != 0;) {
            const int bit = 31 - std::countl_zero(bits);
            bits &= ~(quint32(1) << bit);
            if (const Hit hit = literalOf(base + bit); hit.length > 0)
                return hit;
        }
        return Hit{};
    };
    if (const Hit hit = longestOf(lengths8 & ~(quint32(1) << 31), 8); hit.length > 0)
        return hit;
    if (const Hit hit = longestOf(lengths4, 4); hit.length > 0)
        return hit;
    if (shortHere) {
        for (qint64 length = 3; length > 0; --length) {
            if (const Hit hit = literalOf(length); hit.length > 0)
                return hit;
        }
    }
    return Hit{};
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
        if (m_first[kLower[c]] != 0 && mayStartAt(text, p)) {
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
