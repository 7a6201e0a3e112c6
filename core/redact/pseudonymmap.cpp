// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/pseudonymmap.h"

#include "core/redact/stringset_p.h"
#include "core/util/safefs.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <shared_mutex>
#include <string>
#include <vector>

namespace dc::core {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(dc::core::PseudonymMap)
};

// One value of the map: a 16-byte header in RecordTable's arena with the
// value's bytes and, when it differs, its first spelling right behind it.
// The token is not stored: it is "[kind-number]", made when asked for (a
// QByteArray per value held a third of a large run's map).
struct Record
{
    quint32 number = 0;
    quint32 kind = 0; // index in PseudonymMap::Private::kinds; kDeadRecord once replaced
    quint32 valueSize = 0;
    quint32 originalSize = 0; // 0: the original is the value itself (most values)

    static constexpr quint32 kDeadRecord = 0xffffffffu;

    const char *bytes() const { return reinterpret_cast<const char *>(this + 1); }
    std::string_view value() const { return {bytes(), valueSize}; }
    std::string_view original() const
    {
        return originalSize == 0 ? value() : std::string_view(bytes() + valueSize, originalSize);
    }
    static size_t footprint(size_t valueSize, size_t originalSize)
    {
        return (sizeof(Record) + valueSize + originalSize + alignof(Record) - 1) & ~(alignof(Record) - 1);
    }
};

// Every value of a run goes through here once per file (the redactor caches
// per file): a flat open-addressing index of 8-byte slots over records in a
// bump arena. A large run holds millions of values (docs/BENCHMARKS.md), so a
// value costs its bytes, a header and about 16 bytes of index, and a lookup
// touches one slot and one record.
class RecordTable
{
public:
    RecordTable() = default;
    RecordTable(const RecordTable &) = delete;
    RecordTable &operator=(const RecordTable &) = delete;
    RecordTable(RecordTable &&) noexcept = default;
    RecordTable &operator=(RecordTable &&) noexcept = default;

    size_t size() const { return m_size; }

    static quint64 hashKey(quint32 kind, std::string_view value)
    {
        return detail::hashBytes(value.data(), value.size(), kind);
    }

    const Record *find(quint32 kind, std::string_view value, quint64 h) const
    {
        const size_t slot = findSlot(kind, value, h);
        return slot == kNoSlot ? nullptr : at(m_slots[slot].ref);
    }

    // A new record, which must not be present.
    const Record &insert(quint32 kind, quint32 number, std::string_view value, std::string_view original, quint64 h)
    {
        if ((m_size + 1) * 10 > m_slots.size() * 7)
            rehash(std::max<size_t>(64, m_slots.size() * 2));
        const quint32 ref = append(kind, number, value, original);
        place(h, ref);
        ++m_size;
        return *at(ref);
    }

    // Loading a file with a duplicate entry: the last one wins.
    void insertOrReplace(quint32 kind, quint32 number, std::string_view value, std::string_view original)
    {
        const quint64 h = hashKey(kind, value);
        const size_t slot = findSlot(kind, value, h);
        if (slot == kNoSlot) {
            insert(kind, number, value, original, h);
            return;
        }
        const quint32 old = m_slots[slot].ref;
        m_slots[slot].ref = append(kind, number, value, original);
        recordAt(old)->kind = Record::kDeadRecord;
    }

    // Every live record, in the order inserted.
    template <typename Visit> void forEachRecord(const Visit &visit) const
    {
        for (const Block &block : m_blocks) {
            for (size_t offset = 0; offset < block.used;) {
                const auto *r = reinterpret_cast<const Record *>(block.bytes.get() + offset);
                if (r->kind != Record::kDeadRecord)
                    visit(*r);
                offset += Record::footprint(r->valueSize, r->originalSize);
            }
        }
    }

    void clear()
    {
        m_blocks.clear();
        m_slots.clear();
        m_size = 0;
    }

private:
    // A record's place: block << kOffsetBits | offset / 4, so that a slot is
    // 8 bytes. Blocks of 1 MiB (a larger record gets a block of its own).
    static constexpr unsigned kOffsetBits = 18;
    static constexpr size_t kBlockSize = size_t(4) << kOffsetBits;
    static constexpr size_t kMaxBlocks = size_t(1) << (32 - kOffsetBits);
    static constexpr quint32 kEmpty = 0xffffffffu;
    static constexpr size_t kNoSlot = ~size_t(0);

    struct Slot
    {
        quint32 hash = 0; // the high half of the key's hash
        quint32 ref = kEmpty;
    };
    struct Block
    {
        std::unique_ptr<char[]> bytes;
        size_t used = 0;
        size_t capacity = 0;
    };

    Record *recordAt(quint32 ref) const
    {
        return reinterpret_cast<Record *>(m_blocks[ref >> kOffsetBits].bytes.get() +
                                          (size_t(ref & ((1u << kOffsetBits) - 1)) << 2));
    }
    const Record *at(quint32 ref) const { return recordAt(ref); }

    size_t findSlot(quint32 kind, std::string_view value, quint64 h) const
    {
        if (m_slots.empty())
            return kNoSlot;
        const size_t mask = m_slots.size() - 1;
        const auto high = quint32(h >> 32);
        for (size_t i = size_t(h) & mask; m_slots[i].ref != kEmpty; i = (i + 1) & mask) {
            if (m_slots[i].hash != high)
                continue;
            const Record *r = at(m_slots[i].ref);
            if (r->kind == kind && r->value() == value)
                return i;
        }
        return kNoSlot;
    }

    quint32 append(quint32 kind, quint32 number, std::string_view value, std::string_view original)
    {
        const size_t bytes = Record::footprint(value.size(), original.size());
        if (m_blocks.empty() || m_blocks.back().used + bytes > m_blocks.back().capacity) {
            if (m_blocks.size() >= kMaxBlocks)
                throw std::bad_alloc();
            const size_t capacity = std::max(kBlockSize, bytes);
            m_blocks.push_back(Block{std::make_unique<char[]>(capacity), 0, capacity});
        }
        Block &block = m_blocks.back();
        const size_t offset = block.used;
        auto *record = new (block.bytes.get() + offset) Record;
        record->number = number;
        record->kind = kind;
        record->valueSize = quint32(value.size());
        record->originalSize = quint32(original.size());
        if (!value.empty())
            std::memcpy(block.bytes.get() + offset + sizeof(Record), value.data(), value.size());
        if (!original.empty())
            std::memcpy(block.bytes.get() + offset + sizeof(Record) + value.size(), original.data(), original.size());
        block.used += bytes;
        return quint32((m_blocks.size() - 1) << kOffsetBits | offset >> 2);
    }

    void place(quint64 h, quint32 ref)
    {
        const size_t mask = m_slots.size() - 1;
        size_t i = size_t(h) & mask;
        while (m_slots[i].ref != kEmpty)
            i = (i + 1) & mask;
        m_slots[i] = Slot{quint32(h >> 32), ref};
    }

    void rehash(size_t count)
    {
        std::vector<Slot> old(count);
        old.swap(m_slots);
        for (const Slot &slot : old) {
            if (slot.ref != kEmpty) {
                const Record *r = at(slot.ref);
                place(hashKey(r->kind, r->value()), slot.ref);
            }
        }
    }

    std::vector<Block> m_blocks;
    std::vector<Slot> m_slots;
    size_t m_size = 0;
};

QByteArray makeToken(std::string_view kind, quint32 number)
{
    // "[kind-N]" in one allocation.
    std::array<char, 16> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), number).ptr;
    const auto n = size_t(end - digits.data());
    QByteArray token(qsizetype(kind.size() + n + 3), Qt::Uninitialized);
    char *t = token.data();
    *t++ = '[';
    std::memcpy(t, kind.data(), kind.size());
    t += kind.size();
    *t++ = '-';
    std::memcpy(t, digits.data(), n);
    t += n;
    *t = ']';
    return token;
}

// The kinds of a run's values and the last number of each: a couple of dozen
// at most, so a list.
class Kinds
{
public:
    static constexpr quint32 kNone = 0xffffffffu;

    quint32 find(std::string_view kind) const
    {
        for (size_t i = 0; i < m_names.size(); ++i) {
            if (m_names[i] == kind)
                return quint32(i);
        }
        return kNone;
    }
    quint32 add(std::string_view kind)
    {
        if (const quint32 i = find(kind); i != kNone)
            return i;
        m_names.emplace_back(kind);
        m_last.push_back(0);
        return quint32(m_names.size() - 1);
    }
    size_t size() const { return m_names.size(); }
    std::string_view name(quint32 kind) const { return m_names[kind]; }
    quint32 &lastNumber(quint32 kind) { return m_last[kind]; }
    void clear()
    {
        m_names.clear();
        m_last.clear();
    }

private:
    std::vector<std::string> m_names;
    std::vector<quint32> m_last;
};
} // namespace

struct PseudonymMap::Private
{
    mutable std::shared_mutex mutex;
    RecordTable records;
    Kinds kinds;
};

PseudonymMap::PseudonymMap()
    : d(std::make_unique<Private>())
{
}

PseudonymMap::~PseudonymMap() = default;

QByteArray PseudonymMap::tokenFor(const QString &kind, std::string_view key, std::string_view original)
{
    const QByteArray k = kind.toUtf8();
    return tokenFor(std::string_view(k.constData(), size_t(k.size())), key, original);
}

QByteArray PseudonymMap::tokenFor(std::string_view kind, std::string_view key, std::string_view original)
{
    {
        std::shared_lock lock(d->mutex);
        if (const quint32 k = d->kinds.find(kind); k != Kinds::kNone) {
            if (const Record *r = d->records.find(k, key, RecordTable::hashKey(k, key)))
                return makeToken(kind, r->number);
        }
    }
    std::unique_lock lock(d->mutex);
    const quint32 k = d->kinds.add(kind);
    const quint64 h = RecordTable::hashKey(k, key);
    if (const Record *r = d->records.find(k, key, h))
        return makeToken(kind, r->number);
    const quint32 number = ++d->kinds.lastNumber(k);
    d->records.insert(k, number, key, original == key ? std::string_view() : original, h);
    return makeToken(kind, number);
}

std::optional<QByteArray> PseudonymMap::find(const QString &kind, std::string_view key) const
{
    const QByteArray kindBytes = kind.toUtf8();
    const std::string_view kindView(kindBytes.constData(), size_t(kindBytes.size()));
    std::shared_lock lock(d->mutex);
    const quint32 k = d->kinds.find(kindView);
    if (k == Kinds::kNone)
        return std::nullopt;
    if (const Record *r = d->records.find(k, key, RecordTable::hashKey(k, key)))
        return makeToken(kindView, r->number);
    return std::nullopt;
}

namespace {

// The records sorted by kind, then by number: the order of entries() and of the saved map.
std::vector<const Record *> inMapOrder(const RecordTable &records, const Kinds &kinds)
{
    // Kinds are few: each kind is ranked once.
    std::vector<quint32> byName(kinds.size());
    std::iota(byName.begin(), byName.end(), 0u);
    std::sort(byName.begin(), byName.end(), [&](quint32 a, quint32 b) { return kinds.name(a) < kinds.name(b); });
    // A kind's numbers run from 1 without gaps: each record goes straight to
    // its place, with no sort of millions of them. A loaded map may have
    // gaps or a number twice: then it is sorted.
    std::vector<quint64> highest(kinds.size(), 0);
    bool placeable = true;
    records.forEachRecord([&](const Record &r) {
        highest[r.kind] = std::max<quint64>(highest[r.kind], r.number);
        placeable = placeable && r.number > 0;
    });
    std::vector<quint64> first(kinds.size(), 0);
    quint64 places = 0;
    for (const quint32 kind : byName) {
        first[kind] = places;
        places += highest[kind];
    }
    std::vector<const Record *> sorted;
    if (placeable && places <= 2 * quint64(records.size()) + 64) {
        sorted.assign(size_t(places), nullptr);
        records.forEachRecord([&](const Record &r) {
            const Record *&place = sorted[size_t(first[r.kind] + r.number - 1)];
            placeable = placeable && place == nullptr;
            place = &r;
        });
        if (placeable) {
            sorted.erase(std::remove(sorted.begin(), sorted.end(), nullptr), sorted.end());
            return sorted;
        }
        sorted.clear();
    }
    std::vector<quint64> rank(byName.size());
    for (size_t i = 0; i < byName.size(); ++i)
        rank[byName[i]] = i;
    sorted.reserve(records.size());
    records.forEachRecord([&](const Record &r) { sorted.push_back(&r); });
    std::sort(sorted.begin(), sorted.end(), [&](const Record *a, const Record *b) {
        return (rank[a->kind] << 32 | a->number) < (rank[b->kind] << 32 | b->number);
    });
    return sorted;
}

} // namespace

QList<PseudonymMap::Entry> PseudonymMap::entries() const
{
    std::shared_lock lock(d->mutex);
    QList<Entry> result;
    result.reserve(qsizetype(d->records.size()));
    for (const Record *r : inMapOrder(d->records, d->kinds)) {
        const std::string_view kind = d->kinds.name(r->kind);
        const std::string_view value = r->value();
        const std::string_view original = r->original();
        result.append(Entry{QString::fromUtf8(kind.data(), qsizetype(kind.size())),
                            QByteArray(value.data(), qsizetype(value.size())),
                            QByteArray(original.data(), qsizetype(original.size())), makeToken(kind, r->number)});
    }
    return result;
}

void PseudonymMap::forEach(
    const std::function<void(std::string_view kind, std::string_view original, quint32 number)> &visit) const
{
    std::shared_lock lock(d->mutex);
    d->records.forEachRecord([&](const Record &r) { visit(d->kinds.name(r.kind), r.original(), r.number); });
}

QByteArray PseudonymMap::tokenOf(std::string_view kind, quint32 number) { return makeToken(kind, number); }

int PseudonymMap::size() const
{
    std::shared_lock lock(d->mutex);
    return int(d->records.size());
}

void PseudonymMap::clear()
{
    std::unique_lock lock(d->mutex);
    d->records.clear();
    d->kinds.clear();
}

namespace {

// A JSON string of `bytes`: invalid UTF-8 is replaced (U+FFFD) as QJsonDocument would.
void appendJsonString(QByteArray &out, std::string_view bytes)
{
    QByteArray valid;
    if (std::any_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
        valid = QString::fromUtf8(bytes.data(), qsizetype(bytes.size())).toUtf8();
        bytes = std::string_view(valid.constData(), size_t(valid.size()));
    }
    static const char hex[] = "0123456789abcdef";
    const auto plain = [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c >= 0x20 && c != '"' && c != '\\';
    };
    out.append('"');
    // Runs that need no escape are appended at once: most values are one run.
    for (auto it = bytes.begin(); it != bytes.end();) {
        const auto run = std::find_if_not(it, bytes.end(), plain);
        out.append(&*it, qsizetype(run - it));
        if (run == bytes.end())
            break;
        const auto c = static_cast<unsigned char>(*run);
        if (c == '"' || c == '\\') {
            out.append('\\');
            out.append(char(c));
        } else {
            out.append("\\u00");
            out.append(hex[c >> 4]);
            out.append(hex[c & 15]);
        }
        it = run + 1;
    }
    out.append('"');
}

} // namespace

namespace {

// The map's JSON text, written by hand one entry a line (a document tree of a
// large run's map takes ten times the memory of the text) and handed to
// `flush` whenever `out` holds more than `chunk` bytes, and at the end.
template <typename Flush>
Result<void> writeMapJson(const RecordTable &records,
                          const Kinds &kinds,
                          qsizetype chunk,
                          QByteArray &out,
                          const Flush &flush,
                          const QSet<QByteArray> &omit = {})
{
    out.append("{\"formatVersion\": 1, \"entries\": [");
    bool first = true;
    for (const Record *r : inMapOrder(records, kinds)) {
        const std::string_view kind = kinds.name(r->kind);
        const QByteArray token = makeToken(kind, r->number);
        if (!omit.isEmpty() && omit.contains(token))
            continue;
        out.append(first ? "\n" : ",\n");
        first = false;
        out.append("{\"token\": ");
        appendJsonString(out, std::string_view(token.constData(), size_t(token.size())));
        out.append(", \"kind\": ");
        appendJsonString(out, kind);
        out.append(", \"value\": ");
        appendJsonString(out, r->value());
        out.append(", \"original\": ");
        appendJsonString(out, r->original());
        out.append('}');
        if (out.size() > chunk) {
            if (auto flushed = flush(out); !flushed)
                return flushed;
            out.resize(0);
        }
    }
    out.append("\n]}\n");
    return flush(out);
}

} // namespace

QByteArray PseudonymMap::toJson() const
{
    std::shared_lock lock(d->mutex);
    QByteArray out;
    out.reserve(qsizetype(d->records.size()) * 96 + 64);
    (void)writeMapJson(d->records, d->kinds, std::numeric_limits<qsizetype>::max(), out,
                       [](const QByteArray &) -> Result<void> { return {}; });
    return out;
}

Result<void> PseudonymMap::loadJson(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::Profile, Tr::tr("Pseudonym map is not a JSON object: %1").arg(error.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("formatVersion")).toInt() != 1)
        return fail(ErrorCode::Profile, Tr::tr("Pseudonym map has an unknown format version."));
    RecordTable records;
    Kinds kinds;
    for (const QJsonValue &v : root.value(QLatin1String("entries")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString kind = o.value(QLatin1String("kind")).toString();
        const QByteArray token = o.value(QLatin1String("token")).toString().toUtf8();
        const QByteArray value = o.value(QLatin1String("value")).toString().toUtf8();
        const QByteArray prefix = '[' + kind.toUtf8() + '-';
        bool ok = false;
        const int number = token.startsWith(prefix) && token.endsWith(']')
                               ? token.mid(prefix.size(), token.size() - prefix.size() - 1).toInt(&ok)
                               : 0;
        if (kind.isEmpty() || !ok || number <= 0)
            return fail(ErrorCode::Profile, Tr::tr("Pseudonym map entry has a malformed token."));
        const QByteArray kindBytes = kind.toUtf8();
        const quint32 k = kinds.add(std::string_view(kindBytes.constData(), size_t(kindBytes.size())));
        const QByteArray original = o.value(QLatin1String("original")).toString().toUtf8();
        records.insertOrReplace(k, quint32(number), std::string_view(value.constData(), size_t(value.size())),
                                original.isEmpty() || original == value
                                    ? std::string_view()
                                    : std::string_view(original.constData(), size_t(original.size())));
        quint32 &last = kinds.lastNumber(k);
        last = std::max(last, quint32(number));
    }
    std::unique_lock lock(d->mutex);
    d->records = std::move(records);
    d->kinds = std::move(kinds);
    return {};
}

Result<void> PseudonymMap::save(const QString &path, const QSet<QByteArray> &omit) const
{
    // The map holds the very values the archive hides: owner-only from the start,
    // created with O_EXCL|O_NOFOLLOW, and never written through a planted symlink
    // or over someone else's file (core/util/safefs.h).
    // Written a megabyte at a time: the text of a large run's map is larger than the map.
    std::shared_lock lock(d->mutex);
    const auto content = [this, &omit](safefs::AtomicFile &file) {
        QByteArray buffer;
        constexpr qsizetype kChunk = qsizetype(1) << 20;
        buffer.reserve(kChunk + 4096);
        return writeMapJson(
            d->records, d->kinds, kChunk, buffer, [&file](const QByteArray &piece) { return file.write(piece); }, omit);
    };
    auto written = safefs::writeOwnFile(QFileInfo(path).absoluteFilePath(), content, 0600);
    if (!written)
        return fail(ErrorCode::Io, Tr::tr("Cannot write pseudonym map %1: %2").arg(path, written.error().message));
    return {};
}

Result<void> PseudonymMap::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, Tr::tr("Cannot read pseudonym map %1: %2").arg(path, file.errorString()));
    return loadJson(file.readAll());
}

} // namespace dc::core
