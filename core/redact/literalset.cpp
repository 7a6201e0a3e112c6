// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/literalset.h"

#include "core/redact/redactbytes_p.h"
#include "core/redact/stringset_p.h"

#include <algorithm>
#include <bit>
#include <cmath>
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

// The Builder's arena: per literal its length and payload, then its bytes.
constexpr size_t kLengthBefore = 6;
constexpr size_t kPayloadBefore = 4;

void LiteralSet::Builder::reserve(size_t literals, size_t bytes)
{
    m_arena.reserve(m_arena.size() + bytes + literals * kLengthBefore);
}

void LiteralSet::Builder::add(std::string_view bytes, quint32 payload)
{
    if (bytes.empty() || bytes.size() > 0xffffu)
        return;
    const size_t old = m_arena.size();
    if (old + kLengthBefore + bytes.size() > 0xffffffffu)
        throw std::bad_alloc(); // 4 GiB of values
    m_arena.resize(old + kLengthBefore + bytes.size());
    const auto length = quint16(bytes.size());
    std::memcpy(m_arena.data() + old, &length, sizeof(length));
    std::memcpy(m_arena.data() + old + kLengthBefore - kPayloadBefore, &payload, sizeof(payload));
    std::memcpy(m_arena.data() + old + kLengthBefore, bytes.data(), bytes.size());
    ++m_count;
}

LiteralSet LiteralSet::Builder::build()
{
    LiteralSet set = LiteralSet::build([this](const AddLiteral &add) {
        for (size_t at = 0; at < m_arena.size();) {
            quint16 length = 0;
            quint32 payload = 0;
            std::memcpy(&length, m_arena.data() + at, sizeof(length));
            std::memcpy(&payload, m_arena.data() + at + kLengthBefore - kPayloadBefore, sizeof(payload));
            add(std::string_view(m_arena.data() + at + kLengthBefore, length), payload);
            at += kLengthBefore + length;
        }
    });
    m_arena = std::string();
    m_count = 0;
    return set;
}

namespace {

// The number of distinct keys among many, within a few per cent, in 16 KiB
// (HyperLogLog): the lengths table of the longer literals is sized by the
// number of their distinct starts, which only a sort or a second table
// would count exactly.
class DistinctCount
{
public:
    void add(quint64 hash)
    {
        const auto index = size_t(hash >> (64 - kIndexBits));
        const auto rank = quint8(std::countl_zero((hash << kIndexBits) | (quint64(1) << (kIndexBits - 1))) + 1);
        m_registers[index] = std::max(m_registers[index], rank);
    }
    size_t estimate() const
    {
        constexpr double m = double(size_t(1) << kIndexBits);
        double sum = 0;
        size_t zeros = 0;
        for (const quint8 r : m_registers) {
            sum += std::ldexp(1.0, -int(r));
            zeros += r == 0 ? 1 : 0;
        }
        const double raw = 0.7213 / (1 + 1.079 / m) * m * m / sum;
        // Few keys: linear counting is the better estimate.
        if (raw <= 2.5 * m && zeros > 0)
            return size_t(m * std::log(m / double(zeros)));
        return size_t(raw);
    }

private:
    static constexpr unsigned kIndexBits = 14;
    std::array<quint8, size_t(1) << kIndexBits> m_registers{};
};

inline bool isStored(std::string_view bytes) { return !bytes.empty() && bytes.size() <= 0xffffu; }

inline void prefetch(const void *p)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

// A source's literals, folded, handed on in batches: the table places a
// batch needs are fetched together rather than one cache miss after another
// (a large run's tables are far larger than the cache).
class FoldedBatches
{
public:
    struct Literal
    {
        std::string_view folded;
        quint32 payload;
    };
    static constexpr size_t kSize = 32;

    template <typename Process> void add(std::string_view bytes, quint32 payload, const Process &process)
    {
        if (!isStored(bytes))
            return;
        if (m_count == kSize || m_used + bytes.size() > m_bytes.size())
            flush(process);
        if (bytes.size() > m_bytes.size())
            m_bytes.resize(bytes.size());
        char *out = m_bytes.data() + m_used;
        std::transform(bytes.begin(), bytes.end(), out, [](char c) { return char(kLower[u8(c)]); });
        m_batch[m_count++] = Literal{std::string_view(out, bytes.size()), payload};
        m_used += bytes.size();
    }
    template <typename Process> void flush(const Process &process)
    {
        if (m_count > 0)
            process(m_batch.data(), m_count);
        m_count = 0;
        m_used = 0;
    }

private:
    std::string m_bytes = std::string(size_t(64) << 10, '\0');
    std::array<Literal, kSize> m_batch{};
    size_t m_count = 0;
    size_t m_used = 0;
};

inline quint64 storedHash(std::string_view folded)
{
    const quint64 h = literalHash(folded.data(), folded.size());
    return h == 0 ? 1 : h;
}

// A length's bit in a mask of the longer literals (LiteralSet::Lengths):
// 8 + k for k below `masked`, the top bit for any longer one.
inline quint32 lengthBit8(size_t length, unsigned masked)
{
    return length - 8 < masked ? quint32(1) << (length - 8) : quint32(1) << 31;
}

} // namespace

LiteralSet LiteralSet::build(const Source &source)
{
    LiteralSet set;
    std::vector<quint64> changing;
    set.fill(source, changing);
    set.findExtended(source, changing);
    set.m_changing.assign(tableSize(changing.size()), 0);
    for (const quint64 key : changing) {
        size_t s = placeOf(key, set.m_changing.size());
        while (set.m_changing[s] != 0 && (set.m_changing[s] & ~kFlags) != (key & ~kFlags))
            s = nextPlace(s, set.m_changing.size());
        set.m_changing[s] |= key;
    }
    return set;
}

void LiteralSet::fill(const Source &source, std::vector<quint64> &changing)
{
    // First the sizes: the literals, the starts of the longer ones.
    size_t count = 0;
    size_t mid = 0;
    size_t long8 = 0;
    DistinctCount starts8;
    source([&](std::string_view bytes, quint32) {
        if (!isStored(bytes))
            return;
        ++count;
        if (bytes.size() >= 8) {
            ++long8;
            starts8.add(start8Hash(foldedPrefix8(reinterpret_cast<const u8 *>(bytes.data()))));
        } else if (bytes.size() >= 4) {
            ++mid;
        }
    });
    m_slots.assign(tableSize(count), Slot{});
    m_lengths4.assign(tableSize(mid), Lengths{});
    // An eighth over the estimate (a few per cent off); more only if it proves short (below).
    const size_t distinct8 = starts8.estimate();
    m_lengths8.assign(tableSize(std::min(long8, distinct8 + distinct8 / 8 + 16)), Lengths{});
    m_prefix4Bits = prefilterBits(mid);
    m_prefix8Bits = prefilterBits(long8);
    m_prefix4.assign(size_t(1) << (m_prefix4Bits - 6), 0);
    m_prefix8.assign(size_t(1) << (m_prefix8Bits - 6), 0);
    m_prefix2.assign(size_t(1) << (16 - 6), 0);

    // Then the literals, in the order given: the first of equal ones stays.
    const auto addLength = [](std::vector<Lengths> &table, quint32 key, quint64 hash, quint32 bit) {
        size_t s = placeOf(hash, table.size());
        while (table[s].mask != 0 && table[s].key != key)
            s = nextPlace(s, table.size());
        const bool fresh = table[s].mask == 0;
        table[s].key = key;
        table[s].mask |= bit;
        return fresh;
    };
    size_t used8 = 0;
    bool lengths8Full = false;
    const auto insert = [&](const FoldedBatches::Literal *batch, size_t n) {
        std::array<quint64, FoldedBatches::kSize> hashes;
        std::array<quint64, FoldedBatches::kSize> prefixes8;
        std::array<quint64, FoldedBatches::kSize> starts;
        for (size_t i = 0; i < n; ++i) {
            const std::string_view folded = batch[i].folded;
            hashes[i] = storedHash(folded);
            prefetch(&m_slots[placeOf(hashes[i], m_slots.size())]);
            if (folded.size() >= 8) {
                prefixes8[i] = foldedPrefix8(reinterpret_cast<const u8 *>(folded.data()));
                starts[i] = start8Hash(prefixes8[i]);
                prefetch(&m_lengths8[placeOf(starts[i], m_lengths8.size())]);
                prefetch(&m_prefix8[prefixWord(prefixHash(prefixes8[i]), m_prefix8Bits)]);
            }
        }
        for (size_t i = 0; i < n; ++i) {
            const std::string_view folded = batch[i].folded;
            const auto *p = reinterpret_cast<const u8 *>(folded.data());
            const quint64 h = hashes[i];
            size_t s = placeOf(h, m_slots.size());
            while ((m_slots[s].low != 0 || m_slots[s].high != 0) && m_slots[s].hash() != h)
                s = nextPlace(s, m_slots.size());
            if (m_slots[s].hash() == h) {
                // Added again with another payload: ambiguous.
                if (m_slots[s].payload != batch[i].payload)
                    changing.push_back(changingKey(folded) | kFlags);
                continue;
            }
            m_slots[s] = Slot{quint32(h), quint32(h >> 32), batch[i].payload};
            ++m_literals;
            m_maxLength = std::max(m_maxLength, folded.size());
            m_first[p[0]] = 1;
            if (folded.size() >= 8) {
                if (!lengths8Full &&
                    addLength(m_lengths8, quint32(starts[i]), starts[i], lengthBit8(folded.size(), kMaskedLengths)) &&
                    ++used8 * 10 > m_lengths8.size() * 9)
                    lengths8Full = true;
                addKey(m_prefix8, prefixes8[i], m_prefix8Bits);
                if (folded.size() >= 8 + kMaskedLengths)
                    m_longLengths.push_back(quint32(folded.size()));
            } else if (folded.size() >= 4) {
                const quint32 prefix = foldedPrefix4(p);
                addLength(m_lengths4, prefix, start4Hash(prefix), quint32(1) << (folded.size() - 4));
                addKey(m_prefix4, prefix, m_prefix4Bits);
            } else if (folded.size() >= 2) {
                setBit(m_prefix2, foldedPrefix2(p));
                m_hasShort = true;
            } else {
                // One byte: every start with it is a candidate.
                for (quint32 c = 0; c < 256; ++c)
                    setBit(m_prefix2, quint32(p[0]) | c << 8);
                m_hasShort = true;
                m_hasOneByte = true;
            }
        }
    };
    FoldedBatches batches;
    source([&](std::string_view bytes, quint32 payload) { batches.add(bytes, payload, insert); });
    batches.flush(insert);
    std::sort(m_longLengths.begin(), m_longLengths.end(), std::greater<>());
    m_longLengths.erase(std::unique(m_longLengths.begin(), m_longLengths.end()), m_longLengths.end());
    m_longLengths.shrink_to_fit();
    // The estimate of distinct starts fell short (it should not, by far): the
    // table is made as large as the longer literals need and filled again.
    if (lengths8Full) {
        m_lengths8.assign(tableSize(long8), Lengths{});
        source([&](std::string_view bytes, quint32) {
            if (!isStored(bytes) || bytes.size() < 8)
                return;
            const quint64 start = start8Hash(foldedPrefix8(reinterpret_cast<const u8 *>(bytes.data())));
            addLength(m_lengths8, quint32(start), start, lengthBit8(bytes.size(), kMaskedLengths));
        });
    }
}

void LiteralSet::findExtended(const Source &source, std::vector<quint64> &changing) const
{
    // A literal is extended when a longer literal starts with it: for each
    // literal, the shorter lengths that literals of the same start have are
    // looked up (most literals share their start with none).
    struct Candidate
    {
        const FoldedBatches::Literal *literal;
        size_t length;
        quint64 hash;
    };
    std::vector<Candidate> candidates;
    const auto look = [&](const FoldedBatches::Literal *batch, size_t n) {
        std::array<quint64, FoldedBatches::kSize> starts4;
        std::array<quint64, FoldedBatches::kSize> starts8;
        for (size_t i = 0; i < n; ++i) {
            const auto *p = reinterpret_cast<const u8 *>(batch[i].folded.data());
            const size_t length = batch[i].folded.size();
            if (length > 4) {
                starts4[i] = start4Hash(foldedPrefix4(p));
                prefetch(&m_lengths4[placeOf(starts4[i], m_lengths4.size())]);
            }
            if (length > 8) {
                starts8[i] = start8Hash(foldedPrefix8(p));
                prefetch(&m_lengths8[placeOf(starts8[i], m_lengths8.size())]);
            }
        }
        candidates.clear();
        for (size_t i = 0; i < n; ++i) {
            const std::string_view folded = batch[i].folded;
            const auto *p = reinterpret_cast<const u8 *>(folded.data());
            const size_t length = folded.size();
            const auto candidate = [&](size_t prefix) {
                if (prefix >= length)
                    return;
                const quint64 h = storedHash(folded.substr(0, prefix));
                prefetch(&m_slots[placeOf(h, m_slots.size())]);
                candidates.push_back(Candidate{&batch[i], prefix, h});
            };
            if (m_hasOneByte)
                candidate(1);
            if (m_hasShort && length >= 2 && testBit(m_prefix2, foldedPrefix2(p))) {
                candidate(2);
                candidate(3);
            }
            if (length > 4) {
                const quint32 bits = lengthsAt(m_lengths4, foldedPrefix4(p), starts4[i]);
                for (quint32 rest = bits; rest != 0; rest &= rest - 1)
                    candidate(4 + size_t(std::countr_zero(rest)));
            }
            if (length > 8) {
                const quint32 bits = lengthsAt(m_lengths8, quint32(starts8[i]), starts8[i]);
                for (quint32 rest = bits & ~(quint32(1) << 31); rest != 0; rest &= rest - 1)
                    candidate(8 + size_t(std::countr_zero(rest)));
                if (bits >> 31) {
                    for (const quint32 longer : m_longLengths)
                        candidate(longer);
                }
            }
        }
        for (const Candidate &c : candidates) {
            if (!slotOf(c.hash))
                continue;
            const std::string_view folded = c.literal->folded;
            changing.push_back(changingKey(folded.substr(0, c.length)) |
                               (isAlnum(u8(folded[c.length])) ? kExtendedByWord : kExtendedBySeparator));
        }
    };
    FoldedBatches batches;
    source([&](std::string_view bytes, quint32 payload) { batches.add(bytes, payload, look); });
    batches.flush(look);
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
    return m_slots.capacity() * sizeof(Slot) + (m_lengths4.capacity() + m_lengths8.capacity()) * sizeof(Lengths) +
           m_longLengths.capacity() * 4 + (m_prefix2.capacity() + m_prefix4.capacity() + m_prefix8.capacity()) * 8 +
           m_changing.capacity() * 8;
}

const LiteralSet::Slot *LiteralSet::slotOf(quint64 hash) const
{
    for (size_t s = placeOf(hash, m_slots.size());; s = nextPlace(s, m_slots.size())) {
        const Slot &slot = m_slots[s];
        if (slot.low == 0 && slot.high == 0)
            return nullptr;
        if (slot.hash() == hash)
            return &slot;
    }
}

quint64 LiteralSet::payloadOf(const char *folded, size_t length) const
{
    const Slot *slot = slotOf(storedHash(std::string_view(folded, length)));
    return slot ? slot->payload : kAbsent;
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

void urlEncodedSpelling(std::string_view value, std::string &out)
{
    static const char hex[] = "0123456789ABCDEF";
    out.clear();
    for (const char ch : value) {
        const u8 c = u8(ch);
        if (rx::isUrlSafe(c)) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
}

QByteArray urlEncodedSpelling(const QByteArray &value)
{
    std::string out;
    urlEncodedSpelling(std::string_view(value.constData(), size_t(value.size())), out);
    return QByteArray(out.data(), qsizetype(out.size()));
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
