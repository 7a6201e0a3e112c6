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

// Records are keyed by kind '\0' normalized value.
std::string mapKey(const QString &kind, std::string_view key)
{
    std::string k = kind.toStdString();
    k.push_back('\0');
    k.append(key);
    return k;
}

// One value of the map, allocated in RecordTable's arena with its key bytes
// right behind it, so that a lookup touches the slot and this one block.
struct Record
{
    QByteArray token;
    QByteArray original; // null when the original is the value itself (most values)
    int number = 0;
    quint32 keySize = 0; // kind '\0' value

    std::string_view key() const { return {reinterpret_cast<const char *>(this + 1), keySize}; }
    std::string_view kind() const
    {
        const std::string_view k = key();
        return k.substr(0, k.find('\0'));
    }
    std::string_view value() const
    {
        const std::string_view k = key();
        return k.substr(k.find('\0') + 1);
    }
    QByteArray originalOrValue() const
    {
        if (!original.isNull())
            return original;
        const std::string_view v = value();
        return QByteArray(v.data(), qsizetype(v.size()));
    }
};

// Every value of a run goes through here once per file (the redactor caches
// per file): a flat open-addressing index over records in a bump arena,
// rather than a node-based map that allocates three times per value and
// whose lookups miss the cache several times once it holds many values.
class RecordTable
{
public:
    RecordTable() = default;
    RecordTable(const RecordTable &) = delete;
    RecordTable &operator=(const RecordTable &) = delete;
    RecordTable(RecordTable &&other) noexcept { swap(other); }
    RecordTable &operator=(RecordTable &&other) noexcept
    {
        RecordTable old(std::move(*this));
        swap(other);
        return *this;
    }
    ~RecordTable() { clear(); }

    size_t size() const { return m_records.size(); }
    const std::vector<Record *> &records() const { return m_records; }

    Record *find(std::string_view key, quint64 h) const
    {
        if (m_slots.empty())
            return nullptr;
        const size_t mask = m_slots.size() - 1;
        for (size_t i = size_t(h) & mask; m_slots[i].record; i = (i + 1) & mask) {
            const Slot &slot = m_slots[i];
            if (slot.hash == h && slot.record->key() == key)
                return slot.record;
        }
        return nullptr;
    }

    // A new, empty record for `key`, which must not be present.
    Record &insert(std::string_view key, quint64 h)
    {
        if ((m_records.size() + 1) * 2 > m_slots.size())
            rehash(std::max<size_t>(64, m_slots.size() * 2));
        char *memory = allocate(sizeof(Record) + key.size());
        auto *record = new (memory) Record;
        record->keySize = quint32(key.size());
        if (!key.empty())
            std::memcpy(memory + sizeof(Record), key.data(), key.size());
        m_records.push_back(record);
        place(h, record);
        return *record;
    }

    // The record for `key`, created when missing (loading a file with a
    // duplicate entry: the last one wins).
    Record &findOrInsert(std::string_view key)
    {
        const quint64 h = hashKey(key);
        if (Record *r = find(key, h))
            return *r;
        return insert(key, h);
    }

    void clear()
    {
        for (Record *r : m_records)
            r->~Record();
        m_records.clear();
        m_slots.clear();
        m_blocks.clear();
        m_used = m_capacity = 0;
    }

    static quint64 hashKey(std::string_view key) { return detail::hashBytes(key.data(), key.size()); }

private:
    struct Slot
    {
        quint64 hash = 0;
        Record *record = nullptr; // null: empty
    };

    static constexpr size_t kBlockSize = 64 * 1024;

    char *allocate(size_t bytes)
    {
        bytes = (bytes + alignof(Record) - 1) & ~(alignof(Record) - 1);
        if (m_used + bytes > m_capacity) {
            const size_t size = std::max(kBlockSize, bytes);
            m_blocks.push_back(std::make_unique<char[]>(size));
            m_used = 0;
            m_capacity = size;
        }
        char *p = m_blocks.back().get() + m_used;
        m_used += bytes;
        return p;
    }

    void place(quint64 h, Record *record)
    {
        const size_t mask = m_slots.size() - 1;
        size_t i = size_t(h) & mask;
        while (m_slots[i].record)
            i = (i + 1) & mask;
        m_slots[i] = Slot{h, record};
    }

    void rehash(size_t count)
    {
        std::vector<Slot> old(count);
        old.swap(m_slots);
        for (const Slot &slot : old) {
            if (slot.record)
                place(slot.hash, slot.record);
        }
    }

    void swap(RecordTable &other) noexcept
    {
        m_blocks.swap(other.m_blocks);
        m_records.swap(other.m_records);
        m_slots.swap(other.m_slots);
        std::swap(m_used, other.m_used);
        std::swap(m_capacity, other.m_capacity);
    }

    std::vector<std::unique_ptr<char[]>> m_blocks;
    size_t m_used = 0;
    size_t m_capacity = 0;
    std::vector<Record *> m_records;
    std::vector<Slot> m_slots;
};

QByteArray makeToken(std::string_view kind, int number)
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

// Kind -> last number. A couple of dozen kinds at most: a list.
class KindCounters
{
public:
    int &operator[](std::string_view kind)
    {
        for (auto &[k, n] : m_counters) {
            if (k == kind)
                return n;
        }
        return m_counters.emplace_back(std::string(kind), 0).second;
    }
    void clear() { m_counters.clear(); }

private:
    std::vector<std::pair<std::string, int>> m_counters;
};
} // namespace

struct PseudonymMap::Private
{
    mutable std::shared_mutex mutex;
    RecordTable records;
    KindCounters counters;
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
    thread_local std::string k;
    k.assign(kind);
    k.push_back('\0');
    k.append(key);
    const quint64 h = RecordTable::hashKey(k);
    {
        std::shared_lock lock(d->mutex);
        if (const Record *r = d->records.find(k, h))
            return r->token;
    }
    std::unique_lock lock(d->mutex);
    if (const Record *r = d->records.find(k, h))
        return r->token;
    Record &record = d->records.insert(k, h);
    record.number = ++d->counters[kind];
    record.token = makeToken(kind, record.number);
    if (!original.empty() && original != key)
        record.original = QByteArray(original.data(), qsizetype(original.size()));
    return record.token;
}

std::optional<QByteArray> PseudonymMap::find(const QString &kind, std::string_view key) const
{
    const std::string k = mapKey(kind, key);
    std::shared_lock lock(d->mutex);
    if (const Record *r = d->records.find(k, RecordTable::hashKey(k)))
        return r->token;
    return std::nullopt;
}

namespace {

// The records sorted by kind, then by number: the order of entries() and of the saved map.
std::vector<const Record *> inMapOrder(const RecordTable &records)
{
    // Kinds are few: each record's kind is ranked once, then records are
    // sorted by (rank, number) without comparing strings.
    std::vector<std::string_view> kinds;
    std::vector<std::pair<quint64, const Record *>> keyed;
    keyed.reserve(records.size());
    for (const Record *r : records.records()) {
        const std::string_view kind = r->kind();
        auto it = std::find(kinds.begin(), kinds.end(), kind);
        if (it == kinds.end())
            it = kinds.insert(kinds.end(), kind);
        keyed.emplace_back(quint64(it - kinds.begin()) << 32 | quint32(r->number), r);
    }
    std::vector<size_t> rank(kinds.size());
    std::vector<size_t> byName(kinds.size());
    std::iota(byName.begin(), byName.end(), size_t(0));
    std::sort(byName.begin(), byName.end(), [&](size_t a, size_t b) { return kinds[a] < kinds[b]; });
    for (size_t i = 0; i < byName.size(); ++i)
        rank[byName[i]] = i;
    for (auto &[key, record] : keyed)
        key = quint64(rank[size_t(key >> 32)]) << 32 | (key & 0xffffffffu);
    std::sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<const Record *> sorted;
    sorted.reserve(keyed.size());
    for (const auto &entry : keyed)
        sorted.push_back(entry.second);
    return sorted;
}

} // namespace

QList<PseudonymMap::Entry> PseudonymMap::entries() const
{
    std::shared_lock lock(d->mutex);
    QList<Entry> result;
    result.reserve(qsizetype(d->records.size()));
    for (const Record *r : inMapOrder(d->records)) {
        const std::string_view kind = r->kind();
        const std::string_view value = r->value();
        result.append(Entry{QString::fromUtf8(kind.data(), qsizetype(kind.size())),
                            QByteArray(value.data(), qsizetype(value.size())), r->originalOrValue(), r->token});
    }
    return result;
}

void PseudonymMap::forEach(
    const std::function<void(std::string_view kind, std::string_view original, const QByteArray &token)> &visit) const
{
    std::shared_lock lock(d->mutex);
    for (const Record *r : d->records.records()) {
        const std::string_view original =
            r->original.isNull() ? r->value() : std::string_view(r->original.constData(), size_t(r->original.size()));
        visit(r->kind(), original, r->token);
    }
}

int PseudonymMap::size() const
{
    std::shared_lock lock(d->mutex);
    return int(d->records.size());
}

void PseudonymMap::clear()
{
    std::unique_lock lock(d->mutex);
    d->records.clear();
    d->counters.clear();
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
Result<void> writeMapJson(
    const RecordTable &records, qsizetype chunk, QByteArray &out, const Flush &flush, const QSet<QByteArray> &omit = {})
{
    out.append("{\"formatVersion\": 1, \"entries\": [");
    bool first = true;
    for (const Record *r : inMapOrder(records)) {
        if (!omit.isEmpty() && omit.contains(r->token))
            continue;
        out.append(first ? "\n" : ",\n");
        first = false;
        out.append("{\"token\": ");
        appendJsonString(out, std::string_view(r->token.constData(), size_t(r->token.size())));
        out.append(", \"kind\": ");
        appendJsonString(out, r->kind());
        out.append(", \"value\": ");
        appendJsonString(out, r->value());
        out.append(", \"original\": ");
        appendJsonString(out, r->original.isNull()
                                  ? r->value()
                                  : std::string_view(r->original.constData(), size_t(r->original.size())));
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
    (void)writeMapJson(d->records, std::numeric_limits<qsizetype>::max(), out,
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
    KindCounters counters;
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
        Record &r = records.findOrInsert(mapKey(kind, std::string_view(value.constData(), size_t(value.size()))));
        r.token = token;
        r.number = number;
        const QByteArray original = o.value(QLatin1String("original")).toString().toUtf8();
        r.original = original.isEmpty() || original == value ? QByteArray() : original;
        int &c = counters[kind.toStdString()];
        c = std::max(c, number);
    }
    std::unique_lock lock(d->mutex);
    d->records = std::move(records);
    d->counters = std::move(counters);
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
            d->records, kChunk, buffer, [&file](const QByteArray &piece) { return file.write(piece); }, omit);
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
