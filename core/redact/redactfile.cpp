// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactfile.h"

#include "core/redact/literalset.h"
#include "core/redact/pseudonymmap.h"
#include "core/redact/redactbytes_p.h"
#include "core/redact/stringset_p.h"
#include "core/util/sha256.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
#include <emmintrin.h>
#define DC_REDACT_SSE2 1
#endif

namespace dc::core {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(dc::core::Redaction)
};

constexpr qint64 kSniffBytes = 64 * 1024;
constexpr qint64 kLookBehind = 256;

enum class Compression { None, Gzip, Xz, Zstd, Bzip2 };

Compression compressionOf(const QByteArray &head)
{
    const auto *b = reinterpret_cast<const unsigned char *>(head.constData());
    const qsizetype n = head.size();
    if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return Compression::Gzip;
    if (n >= 6 && std::memcmp(b,
                              "\xfd"
                              "7zXZ\0",
                              6) == 0)
        return Compression::Xz;
    if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
        return Compression::Zstd;
    if (n >= 3 && std::memcmp(b, "BZh", 3) == 0)
        return Compression::Bzip2;
    return Compression::None;
}

// Reads the content of a file: plain, or decompressed through libarchive's
// raw format reader.
class Source
{
public:
    ~Source()
    {
        if (m_archive)
            archive_read_free(m_archive);
    }

    Result<void> open(const QString &path)
    {
        m_file.setFileName(path);
        if (!m_file.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Io, Tr::tr("Cannot read %1: %2").arg(path, m_file.errorString()));
        m_compression = compressionOf(m_file.peek(8));
        if (m_compression == Compression::None)
            return {};
        m_file.close();
        m_archive = archive_read_new();
        archive_read_support_filter_all(m_archive);
        archive_read_support_format_raw(m_archive);
        archive_entry *entry = nullptr;
        if (archive_read_open_filename(m_archive, QFile::encodeName(path).constData(), 64 * 1024) != ARCHIVE_OK ||
            archive_read_next_header(m_archive, &entry) != ARCHIVE_OK)
            return fail(
                ErrorCode::Archive,
                Tr::tr("Cannot decompress %1: %2").arg(path, QString::fromUtf8(archive_error_string(m_archive))));
        return {};
    }

    bool compressed() const { return m_compression != Compression::None; }

    // Decompressed content stops at the smaller of `maxBytes` and `ratio`
    // times the compressed size; capped() tells when it did.
    void setDecompressionCap(qint64 maxBytes, qint64 ratio, qint64 compressedSize)
    {
        m_limit = std::min(maxBytes, std::max<qint64>(compressedSize, 1) * std::max<qint64>(ratio, 1));
        m_limitIsRatio = m_limit < maxBytes;
    }
    bool capped() const { return m_capped; }
    qint64 cap() const { return m_limit; }
    bool capIsRatio() const { return m_limitIsRatio; }

    // Bytes read, 0 at the end.
    Result<qint64> read(char *buf, qint64 max)
    {
        if (m_archive && m_limit >= 0) {
            if (m_decompressed >= m_limit) {
                char probe = 0;
                m_capped = m_capped || archive_read_data(m_archive, &probe, 1) > 0;
                return 0;
            }
            max = std::min(max, m_limit - m_decompressed);
        }
        if (!m_archive) {
            const qint64 n = m_file.read(buf, max);
            if (n < 0)
                return fail(ErrorCode::Io, Tr::tr("Cannot read %1: %2").arg(m_file.fileName(), m_file.errorString()));
            return n;
        }
        const la_ssize_t n = archive_read_data(m_archive, buf, size_t(max));
        if (n < 0)
            return fail(ErrorCode::Archive,
                        Tr::tr("Cannot decompress %1: %2")
                            .arg(m_file.fileName(), QString::fromUtf8(archive_error_string(m_archive))));
        m_decompressed += n;
        return qint64(n);
    }

private:
    qint64 m_limit = -1;
    qint64 m_decompressed = 0;
    bool m_capped = false;
    bool m_limitIsRatio = false;
    QFile m_file;
    archive *m_archive = nullptr;
    Compression m_compression = Compression::None;
};

// Binary: NUL bytes, or more than 30 % control bytes other than whitespace/ESC.
bool looksBinary(const char *data, qint64 n, QString *reason)
{
    if (n == 0)
        return false;
    if (std::memchr(data, 0, size_t(n))) {
        if (reason)
            *reason = Tr::tr("contains NUL bytes (binary data)");
        return true;
    }
    qint64 control = 0;
    for (qint64 i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1b && c != '\b')
            ++control;
    }
    if (control * 10 > n * 3) {
        if (reason)
            *reason = Tr::tr("mostly control bytes (binary data)");
        return true;
    }
    return false;
}

// A growable byte buffer that does not zero what it allocates (QByteArray and
// std::vector do, and the buffers here are overwritten right away).
class ByteBuffer
{
public:
    static constexpr size_t kMaxBytes = size_t(1) << 40;

    char *data() { return m_data.get(); }
    const char *data() const { return m_data.get(); }
    size_t size() const { return m_size; }
    void clear() { m_size = 0; }

    void reserve(size_t n)
    {
        if (n <= m_capacity)
            return;
        if (n > kMaxBytes)
            throw std::bad_alloc();
        const size_t capacity = std::min(std::max(n, m_capacity + m_capacity / 2), kMaxBytes);
        std::unique_ptr<char[]> grown(new char[capacity]);
        if (m_size)
            std::memcpy(grown.get(), m_data.get(), m_size);
        m_data = std::move(grown);
        m_capacity = capacity;
    }
    void resize(size_t n)
    {
        reserve(n);
        m_size = n;
    }
    void append(const char *p, size_t n)
    {
        if (m_size + n > m_capacity)
            reserve(m_size + n);
        char *d = m_data.get() + m_size;
        // Tokens and the text between close matches are short: copy those
        // without a library call (two overlapping loads cover 4..16 bytes).
        if (n >= 8 && n <= 16) {
            quint64 head = 0;
            quint64 tail = 0;
            std::memcpy(&head, p, 8);
            std::memcpy(&tail, p + n - 8, 8);
            std::memcpy(d, &head, 8);
            std::memcpy(d + n - 8, &tail, 8);
        } else if (n >= 4 && n < 8) {
            quint32 head = 0;
            quint32 tail = 0;
            std::memcpy(&head, p, 4);
            std::memcpy(&tail, p + n - 4, 4);
            std::memcpy(d, &head, 4);
            std::memcpy(d + n - 4, &tail, 4);
        } else if (n > 0) {
            std::memcpy(d, p, n);
        }
        m_size += n;
    }
    void append(size_t count, char c)
    {
        if (m_size + count > m_capacity)
            reserve(m_size + count);
        std::memset(m_data.get() + m_size, c, count);
        m_size += count;
    }
    // Drops the first n bytes (the rest moves to the front).
    void removeFront(size_t n)
    {
        if (n < m_size)
            std::memmove(m_data.get(), m_data.get() + n, m_size - n);
        m_size = n < m_size ? m_size - n : 0;
    }

private:
    std::unique_ptr<char[]> m_data;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

qint64 countNewlines(const char *p, size_t n)
{
    qint64 lines = 0;
    size_t i = 0;
#ifdef DC_REDACT_SSE2
    // Sixteen bytes at a time: a compare gives -1 per '\n', summed per byte
    // lane for up to 255 rounds, then across lanes.
    const __m128i newline = _mm_set1_epi8('\n');
    while (n - i >= 16) {
        __m128i acc = _mm_setzero_si128();
        const size_t rounds = std::min<size_t>((n - i) / 16, 255);
        for (size_t r = 0; r < rounds; ++r, i += 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, newline));
        }
        const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
        lines += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#else
    // Eight bytes at a time: 0x80 in every byte that is '\n' (exact, no
    // borrow between bytes), then the bytes are summed by a multiply.
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 low7 = 0x7f7f7f7f7f7f7f7fULL;
    for (; i + 8 <= n; i += 8) {
        quint64 w = 0;
        std::memcpy(&w, p + i, 8);
        const quint64 x = w ^ (ones * '\n');
        const quint64 zero = ~(((x & low7) + low7) | x) & ~low7;
        lines += qint64(((zero >> 7) * ones) >> 56);
    }
#endif
    for (; i < n; ++i)
        lines += p[i] == '\n' ? 1 : 0;
    return lines;
}

// Values repeat a lot within one file (the same user, host and address on
// thousands of lines): a per-file table from (rule, raw bytes) to the token,
// in front of Redactor::tokenFor (normalisation, then the locked, shared
// PseudonymMap). Open addressing over a byte arena that holds each value
// followed by its token, so that a hit reads one place. Bounded: it starts
// over when full. One per file and thread; not thread-safe.
class TokenCache
{
public:
    TokenCache(const Redactor &redactor, PseudonymMap &map)
        : m_redactor(redactor)
        , m_map(map)
    {
        m_slots.resize(kInitialSlots);
    }

    struct Entry
    {
        std::string_view token;   // valid until the next lookup
        const QByteArray *shared; // the same token as a QByteArray (for findings and decisions)
        qint64 valueNewlines;     // line breaks in the value (kept when it is replaced)
    };

    Entry lookup(quint16 rule, std::string_view value)
    {
        if (value.size() > kMaxValue) {
            // Long values (private-key bodies) are rare and would crowd the arena.
            m_long = m_redactor.tokenFor(rule, value, m_map);
            return {std::string_view(m_long.constData(), size_t(m_long.size())), &m_long,
                    countNewlines(value.data(), value.size())};
        }
        const quint64 h = detail::hashBytes(value.data(), value.size(), quint64(rule) << 32) | 1; // 0 marks empty slots
        const size_t mask = m_slots.size() - 1;
        for (size_t i = size_t(h) & mask;; i = (i + 1) & mask) {
            const Slot &slot = m_slots[i];
            if (slot.hash == 0)
                break;
            if (slot.hash == h && slot.rule == rule && slot.length == value.size() &&
                sameBytes(m_arena.data() + slot.offset, value.data(), value.size()))
                return entry(slot);
        }
        return insert(h, rule, value);
    }

private:
    static constexpr size_t kInitialSlots = 1024;
    // At most 32 K values, 4 MiB of them: about 6 MiB per file and thread.
    static constexpr size_t kMaxSlots = size_t(1) << 16;
    static constexpr size_t kMaxArena = size_t(4) << 20;
    static constexpr size_t kMaxValue = 512;

    struct Slot
    {
        quint64 hash = 0;   // 0: empty
        quint32 offset = 0; // value in m_arena, the token right behind it
        quint32 index = 0;  // token in m_tokens
        quint16 length = 0; // of the value
        quint16 rule = 0;
        quint16 newlines = 0; // in the value (at most kMaxValue)
        quint8 tokenLength = 0;
    };

    // Values are short: a word-wise compare beats a library call.
    static bool sameBytes(const char *a, const char *b, size_t n)
    {
        for (; n >= 8; a += 8, b += 8, n -= 8) {
            quint64 x = 0;
            quint64 y = 0;
            std::memcpy(&x, a, 8);
            std::memcpy(&y, b, 8);
            if (x != y)
                return false;
        }
        for (; n > 0; ++a, ++b, --n) {
            if (*a != *b)
                return false;
        }
        return true;
    }

    Entry entry(const Slot &slot) const
    {
        return {std::string_view(m_arena.data() + slot.offset + slot.length, slot.tokenLength), &m_tokens[slot.index],
                slot.newlines};
    }

    Entry insert(quint64 h, quint16 rule, std::string_view value)
    {
        QByteArray token = m_redactor.tokenFor(rule, value, m_map);
        const auto newlines = quint16(countNewlines(value.data(), value.size()));
        if (token.size() > 255) {
            // Not a token this map makes; do not cache it.
            m_long = std::move(token);
            return {std::string_view(m_long.constData(), size_t(m_long.size())), &m_long, newlines};
        }
        if ((m_count + 1) * 2 > m_slots.size()) {
            if (m_slots.size() >= kMaxSlots)
                reset();
            else
                grow();
        }
        if (m_arena.size() + value.size() + size_t(token.size()) > kMaxArena)
            reset();
        Slot slot;
        slot.hash = h;
        slot.rule = rule;
        slot.length = quint16(value.size());
        slot.offset = quint32(m_arena.size());
        slot.newlines = newlines;
        slot.index = quint32(m_tokens.size());
        slot.tokenLength = quint8(token.size());
        m_arena.append(value);
        m_arena.append(token.constData(), size_t(token.size()));
        m_tokens.push_back(std::move(token));
        place(slot);
        ++m_count;
        return entry(slot);
    }

    void place(const Slot &slot)
    {
        const size_t mask = m_slots.size() - 1;
        size_t i = size_t(slot.hash) & mask;
        while (m_slots[i].hash != 0)
            i = (i + 1) & mask;
        m_slots[i] = slot;
    }

    void grow()
    {
        std::vector<Slot> old(m_slots.size() * 2);
        old.swap(m_slots);
        for (const Slot &slot : old) {
            if (slot.hash != 0)
                place(slot);
        }
    }

    void reset()
    {
        std::fill(m_slots.begin(), m_slots.end(), Slot{});
        m_arena.clear();
        m_tokens.clear();
        m_count = 0;
    }

    const Redactor &m_redactor;
    PseudonymMap &m_map;
    std::vector<Slot> m_slots;
    std::string m_arena;
    std::deque<QByteArray> m_tokens; // a deque: references stay valid while it grows
    QByteArray m_long;
    size_t m_count = 0;
};

// Streams the content through the redactor: chunks cut at line ends (or
// forced on very long lines), a match that crosses a cut is carried over whole.
// `sink(region, regionOffset, matches)` gets each final region with matches
// relative to the region start.
template <typename Sink>
Result<qint64> streamMatches(Source &source,
                             const QByteArray &head,
                             bool eofAlready,
                             const Redactor &redactor,
                             const StreamOptions &options,
                             Sink &&sink)
{
    const qint64 chunk = std::max<qint64>(options.chunkSize, 16);
    ByteBuffer buf;
    buf.reserve(size_t(head.size() + chunk + kLookBehind + 4096));
    buf.append(head.constData(), size_t(head.size()));
    qint64 base = 0; // absolute offset of buf[0]
    qint64 ctx = 0;  // buf[0, ctx) is look-behind only
    bool eof = eofAlready;
    std::vector<RedactMatch> matches;
    while (true) {
        if (!eof) {
            if (options.isCancelled && options.isCancelled())
                return fail(ErrorCode::Cancelled, Tr::tr("Cancelled."));
            const size_t old = buf.size();
            buf.resize(old + size_t(chunk));
            auto n = source.read(buf.data() + old, chunk);
            if (!n)
                return tl::unexpected(n.error());
            buf.resize(old + size_t(*n));
            eof = *n == 0;
        }
        const qint64 size = qint64(buf.size());
        if (size == ctx && eof)
            break;
        qint64 cut = size;
        bool forceEnd = eof;
        if (!eof) {
            const size_t nl = std::string_view(buf.data() + ctx, size_t(size - ctx)).rfind('\n');
            cut = nl == std::string_view::npos ? 0 : ctx + qint64(nl) + 1;
            if (cut <= ctx) {
                if (size - ctx < options.maxCarry)
                    continue;                         // no complete line yet: read more
                cut = std::max(ctx + 1, size - 1024); // a giant line: cut anyway
            }
        }
        const std::string_view text(buf.data(), size_t(size));
        matches.clear();
        Redactor::ScanResult r = redactor.scan(text, ctx, forceEnd, matches);
        if (r.pendingFrom >= 0 && !eof) {
            if (r.pendingFrom > ctx) {
                cut = std::min(cut, r.pendingFrom);
            } else if (size - ctx < options.maxCarry) {
                continue; // an unfinished private-key block: read more
            } else {
                matches.clear();
                forceEnd = true;
                redactor.scan(text, ctx, true, matches);
                cut = size;
            }
        }
        // Matches beyond the cut are found again next round; one across it moves the cut.
        size_t keep = 0;
        for (const RedactMatch &m : matches) {
            if (m.offset >= cut)
                break;
            if (m.end() > cut) {
                if (m.offset > ctx) {
                    cut = m.offset;
                    break;
                }
                cut = m.end();
            }
            ++keep;
        }
        matches.resize(keep);
        for (RedactMatch &m : matches)
            m.offset -= ctx;
        if (auto s = sink(std::string_view(buf.data() + ctx, size_t(cut - ctx)), base + ctx, matches); !s)
            return tl::unexpected(s.error());
        const qint64 newCtx = std::min<qint64>(kLookBehind, cut);
        buf.removeFront(size_t(cut - newCtx));
        base += cut - newCtx;
        ctx = newCtx;
        if (eof && qint64(buf.size()) == ctx)
            break;
    }
    return base + ctx;
}

// Where the redacted output of a region differs from its input: a replaced or
// kept match, and whether its first and last bytes were letters or digits.
struct Written
{
    size_t start;
    size_t end;
    bool kept;
    bool wordFirst;
    bool wordLast;
};

bool isWordByte(char c) { return rx::isAlnum(static_cast<unsigned char>(c)); }

// The occurrences of the run-wide literals (LiteralSet, the leak check's own
// definition) that the output of one region still holds. Only where the output
// differs from the input can there be any: inside a kept finding, and at the
// edges of a replacement that turned a glued word into a separate one. Sorted,
// not overlapping each other or a replacement.
void findLeftovers(const Redactor &redactor,
                   std::string_view out,
                   const std::vector<Written> &written,
                   std::vector<LiteralSet::Hit> &leftovers)
{
    leftovers.clear();
    const LiteralSet &literals = redactor.literals();
    if (literals.isEmpty() || written.empty())
        return;
    const std::vector<QByteArray> &prefixes = redactor.tokenPrefixes();
    thread_local std::vector<LiteralSet::Hit> hits;
    const auto keep = [&](size_t lo, size_t hi, const LiteralSet::Hit &hit) {
        if (size_t(hit.offset) < lo || size_t(hit.end()) > hi || !redactor.isEnabled(int(hit.payload)) ||
            isInsidePseudonym(out, hit.offset, hit.end(), prefixes))
            return;
        if (!leftovers.empty() && hit.offset < leftovers.back().end())
            return;
        leftovers.push_back(hit);
    };
    const size_t maxLength = literals.maxLength();
    size_t previousEnd = 0;
    for (size_t i = 0; i < written.size(); ++i) {
        const Written &w = written[i];
        const size_t nextStart = i + 1 < written.size() ? written[i + 1].start : out.size();
        // A value that now ends right before the replacement.
        if (!w.kept && w.wordFirst && w.start > previousEnd && isWordByte(out[w.start - 1])) {
            const size_t lo = std::max(previousEnd, w.start > maxLength ? w.start - maxLength : 0);
            hits.clear();
            literals.findAll(out.substr(0, w.start), qint64(lo), hits);
            for (const LiteralSet::Hit &hit : hits)
                if (size_t(hit.end()) == w.start)
                    keep(lo, w.start, hit);
        }
        // Inside a kept finding.
        if (w.kept) {
            hits.clear();
            literals.findAll(out.substr(0, w.end), qint64(w.start), hits);
            for (const LiteralSet::Hit &hit : hits)
                keep(w.start, w.end, hit);
        }
        // A value that now starts right after the replacement.
        if (!w.kept && w.wordLast && w.end < nextStart && isWordByte(out[w.end])) {
            const LiteralSet::Hit hit = literals.longestAt(out.substr(0, nextStart), qint64(w.end));
            if (hit.length > 0)
                keep(w.end, nextStart, hit);
        }
        previousEnd = w.end;
    }
}

struct Opened
{
    std::unique_ptr<Source> source;
    QByteArray head; // first bytes of content
    bool eof = false;
    ContentKind kind = ContentKind::Text;
    QString reason;
};

Result<Opened> openContent(const QString &path, const StreamOptions &options = {})
{
    Opened o;
    o.source = std::make_unique<Source>();
    if (auto r = o.source->open(path); !r)
        return tl::unexpected(r.error());
    if (o.source->compressed())
        o.source->setDecompressionCap(options.maxDecompressedBytes, options.maxExpansionRatio, QFileInfo(path).size());
    o.head.resize(kSniffBytes);
    qint64 got = 0;
    while (got < kSniffBytes) {
        auto n = o.source->read(o.head.data() + got, kSniffBytes - got);
        if (!n)
            return tl::unexpected(n.error());
        if (*n == 0) {
            o.eof = true;
            break;
        }
        got += *n;
    }
    o.head.resize(got);
    if (looksBinary(o.head.constData(), got, &o.reason))
        o.kind = ContentKind::Binary;
    else
        o.kind = o.source->compressed() ? ContentKind::CompressedText : ContentKind::Text;
    return o;
}

} // namespace

Result<ContentKind> detectContentKind(const QString &path, QString *reason)
{
    auto o = openContent(path);
    if (!o)
        return tl::unexpected(o.error());
    if (reason)
        *reason = o->reason;
    return o->kind;
}

QString redactedFileName(const QString &name)
{
    for (const char *ext : {".gz", ".xz", ".zst", ".bz2"}) {
        if (name.endsWith(QLatin1String(ext)) && name.size() > qsizetype(std::strlen(ext)))
            return name.left(name.size() - qsizetype(std::strlen(ext)));
    }
    return name;
}

namespace {

// The scan of one file: every match handed to `valueOf`, which returns the
// token to store with a finding (or an empty one); at most
// options.maxStoredFindings are stored, all are counted.
template <typename ValueOf>
Result<FileFindings> scanMatches(const QString &path,
                                 const Redactor &redactor,
                                 const QString &key,
                                 const StreamOptions &options,
                                 const ValueOf &valueOf)
{
    FileFindings result;
    result.file = key.isEmpty() ? path : key;
    auto opened = openContent(path, options);
    if (!opened)
        return tl::unexpected(opened.error());
    result.kind = opened->kind;
    if (result.kind == ContentKind::Binary) {
        result.reason = opened->reason;
        result.bytes = QFileInfo(path).size();
        return result;
    }
    const QList<RuleInfo> &rules = redactor.rules();
    auto bytes = streamMatches(
        *opened->source, opened->head, opened->eof, redactor, options,
        [&](std::string_view region, qint64 offset, const std::vector<RedactMatch> &matches) -> Result<void> {
            for (const RedactMatch &m : matches) {
                ++result.totalFindings;
                const std::string_view value = region.substr(size_t(m.offset), size_t(m.length));
                QByteArray token = valueOf(m.rule, value);
                if (result.findings.size() >= options.maxStoredFindings)
                    continue;
                result.findings.append(Finding{offset + m.offset, m.length, rules[m.rule].id,
                                               QByteArray(value.data(), qsizetype(value.size())), std::move(token)});
            }
            return {};
        });
    if (!bytes)
        return tl::unexpected(bytes.error());
    result.bytes = *bytes;
    return result;
}

} // namespace

Result<FileFindings> scanFile(
    const QString &path, const Redactor &redactor, PseudonymMap &map, const QString &key, const StreamOptions &options)
{
    TokenCache tokens(redactor, map);
    // Every value gets its token, stored finding or not: the map is the run's list of values.
    return scanMatches(path, redactor, key, options,
                       [&](quint16 rule, std::string_view value) { return *tokens.lookup(rule, value).shared; });
}

void FirstSeenValues::record(quint16 rule, std::string_view value)
{
    if ((m_values.size() + 1) * 2 > m_slots.size())
        grow();
    const quint64 h = detail::hashBytes(value.data(), value.size(), quint64(rule) << 32);
    const auto check = quint32(h >> 32);
    const size_t mask = m_slots.size() - 1;
    size_t i = size_t(h) & mask;
    for (; m_slots[i].index != 0; i = (i + 1) & mask) {
        const Slot &slot = m_slots[i];
        if (slot.check != check)
            continue;
        const Value &v = m_values[slot.index - 1];
        if (v.rule == rule && v.length == value.size() &&
            std::memcmp(m_arena.data() + v.offset, value.data(), value.size()) == 0)
            return;
    }
    m_slots[i] = Slot{check, quint32(m_values.size() + 1)};
    m_values.push_back(Value{quint64(m_arena.size()), quint32(value.size()), rule});
    m_arena.append(value);
}

void FirstSeenValues::grow()
{
    std::vector<Slot> old(std::max<size_t>(64, m_slots.size() * 2));
    old.swap(m_slots);
    const size_t mask = m_slots.size() - 1;
    for (const Slot &slot : old) {
        if (slot.index == 0)
            continue;
        const Value &v = m_values[slot.index - 1];
        const quint64 h = detail::hashBytes(m_arena.data() + v.offset, v.length, quint64(v.rule) << 32);
        size_t i = size_t(h) & mask;
        while (m_slots[i].index != 0)
            i = (i + 1) & mask;
        m_slots[i] = slot;
    }
}

void FirstSeenValues::giveTo(const Redactor &redactor, PseudonymMap &map) const
{
    for (const Value &v : m_values)
        (void)redactor.tokenFor(v.rule, std::string_view(m_arena.data() + v.offset, v.length), map);
}

void FirstSeenValues::clear()
{
    // Swapped out, not assigned `{}`: that keeps the capacity, and every
    // file's values stayed allocated until the whole scan ended.
    std::string().swap(m_arena);
    std::vector<Value>().swap(m_values);
    std::vector<Slot>().swap(m_slots);
}

Result<FileFindings> scanFile(const QString &path,
                              const Redactor &redactor,
                              FirstSeenValues &values,
                              const QString &key,
                              const StreamOptions &options)
{
    return scanMatches(path, redactor, key, options, [&values](quint16 rule, std::string_view value) {
        values.record(rule, value);
        return QByteArray();
    });
}

namespace {

// Where redactFile() writes (StreamOptions::durableOutput, replacesInput): a
// QSaveFile; a plain file created owner-only and removed again when the
// redaction fails; or memory written over the input's own file at the end.
// Every byte written is hashed on the way, so the caller need not read it again.
class RedactedOutput
{
public:
    RedactedOutput(const QString &path, const StreamOptions &options)
        : m_path(path)
    {
        if (options.replacesInput)
            m_memory.emplace();
        else if (options.durableOutput)
            m_save.emplace(path);
        else
            m_plain.emplace(path);
    }
    ~RedactedOutput()
    {
        if (!m_committed && (m_memory || (m_plain && m_plain->isOpen())))
            cancel();
    }

    bool open()
    {
        if (m_memory)
            return true;
        if (m_save)
            return m_save->open(QIODevice::WriteOnly);
        // Private staging: owner-only from the start, no chmod afterwards.
        return m_plain->open(QIODevice::WriteOnly | QIODevice::Truncate,
                             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    qint64 write(const char *data, qint64 size)
    {
        m_hash.add(QByteArrayView(data, size));
        if (m_memory) {
            m_memory->append(data, size);
            return size;
        }
        errno = 0;
        const qint64 written = device().write(data, size);
        // QFile can report a failed write as "Unknown error": the errno says why.
        if (written != size && errno != 0)
            m_failure = QString::fromLocal8Bit(std::strerror(errno));
        return written;
    }
    qint64 write(const QByteArray &bytes) { return write(bytes.constData(), bytes.size()); }
    // Why the last write or the commit failed ("No space left on device").
    QString errorString() const
    {
        if (!m_failure.isEmpty())
            return m_failure;
        if (m_memory)
            return {};
        return m_save ? m_save->errorString() : m_plain->errorString();
    }
    bool commit()
    {
        if (m_save) {
            errno = 0;
            const bool committed = m_save->commit();
            if (!committed && errno != 0)
                m_failure = QString::fromLocal8Bit(std::strerror(errno));
            m_committed = true;
            return committed;
        }
        if (m_memory) {
            // The input is read to its end: its file now takes the output, written
            // over it and then cut to its length. Not truncated first: ext4 flushes a
            // file truncated to zero and written again when it is closed (auto_da_alloc),
            // which for 20 000 small files cost more than their redaction.
            m_plain.emplace(m_path);
            if (!m_plain->open(QIODevice::ReadWrite)) {
                m_failure = m_plain->errorString();
                m_plain->remove();
                return false;
            }
            const QByteArray bytes = std::move(*m_memory);
            m_memory.reset();
            errno = 0;
            if (m_plain->write(bytes) != bytes.size() || !m_plain->resize(bytes.size())) {
                m_failure = errno != 0 ? QString::fromLocal8Bit(std::strerror(errno)) : m_plain->errorString();
                cancel();
                return false;
            }
        }
        m_committed = true;
        errno = 0;
        const bool flushed = m_plain->flush();
        // Taken before close() and remove(), which reset it to "Unknown error".
        m_failure = errno != 0 ? QString::fromLocal8Bit(std::strerror(errno)) : m_plain->errorString();
        const bool failed = !flushed || m_plain->error() != QFileDevice::NoError;
        m_plain->close();
        if (failed || m_plain->error() != QFileDevice::NoError) {
            if (!failed)
                m_failure = m_plain->errorString();
            m_plain->remove();
            return false;
        }
        m_failure.clear();
        return true;
    }
    void cancel()
    {
        if (m_save) {
            m_save->cancelWriting();
            return;
        }
        if (!m_plain) {
            // In place: the file still holds its unredacted input; it must not stay as the output.
            QFile::remove(m_path);
            return;
        }
        m_plain->close();
        m_plain->remove();
    }
    // The output's SHA-256 (hex); call once, after commit().
    QByteArray sha256() { return m_hash.hex(); }

private:
    QIODevice &device() { return m_save ? static_cast<QIODevice &>(*m_save) : *m_plain; }

    QString m_path;
    std::optional<QSaveFile> m_save;
    std::optional<QFile> m_plain;
    std::optional<QByteArray> m_memory;
    Sha256 m_hash;
    QString m_failure;
    bool m_committed = false;
};

} // namespace

Result<RedactOutcome> redactFile(const QString &in,
                                 const QString &out,
                                 const Redactor &redactor,
                                 const RedactionPlan &plan,
                                 PseudonymMap &map,
                                 const QString &key,
                                 const StreamOptions &options)
{
    const QString fileKey = key.isEmpty() ? in : key;
    RedactOutcome outcome;
    auto opened = openContent(in, options);
    if (!opened)
        return tl::unexpected(opened.error());
    outcome.kind = opened->kind;
    if (!plan.isIncluded(fileKey, outcome.kind))
        return outcome;

    RedactedOutput target(out, options);
    if (!target.open())
        return fail(ErrorCode::Io, Tr::tr("Cannot write %1: %2").arg(out, target.errorString()));

    if (outcome.kind == ContentKind::Binary) {
        // Included by an explicit choice: the original bytes, unchanged.
        QFile src(in);
        if (!src.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Io, Tr::tr("Cannot read %1: %2").arg(in, src.errorString()));
        QByteArray buf;
        while (!(buf = src.read(1 << 20)).isEmpty()) {
            if (target.write(buf) != buf.size())
                return fail(ErrorCode::Io, Tr::tr("Cannot write %1: %2").arg(out, target.errorString()));
            outcome.bytesIn += buf.size();
        }
        outcome.bytesOut = outcome.bytesIn;
        if (!target.commit())
            return fail(ErrorCode::Io, Tr::tr("Cannot write %1: %2").arg(out, target.errorString()));
        outcome.written = true;
        outcome.verbatim = true;
        outcome.sha256 = target.sha256();
        return outcome;
    }

    const QList<RuleInfo> &rules = redactor.rules();
    ByteBuffer outBuf;
    std::string fixed;
    std::vector<qint64> perRule(size_t(rules.size()), 0);
    TokenCache tokens(redactor, map);
    const bool anyDecision = !plan.isDefault();
    std::vector<Written> written;
    std::vector<LiteralSet::Hit> leftovers;
    auto bytes = streamMatches(
        *opened->source, opened->head, opened->eof, redactor, options,
        [&](std::string_view region, qint64 offset, const std::vector<RedactMatch> &matches) -> Result<void> {
            outBuf.clear();
            outBuf.reserve(region.size() + matches.size() * 16 + 64);
            written.clear();
            size_t pos = 0;
            for (const RedactMatch &m : matches) {
                const std::string_view value = region.substr(size_t(m.offset), size_t(m.length));
                const TokenCache::Entry tok = tokens.lookup(m.rule, value);
                outBuf.append(region.data() + pos, size_t(m.offset) - pos);
                const size_t start = outBuf.size();
                const bool redact =
                    !anyDecision || plan.shouldRedact(fileKey, offset + m.offset, rules[m.rule].id, *tok.shared);
                if (redact) {
                    outBuf.append(tok.token.data(), tok.token.size());
                    // One output line per input line: keep the breaks of multi-line values.
                    if (tok.valueNewlines > 0)
                        outBuf.append(size_t(tok.valueNewlines), '\n');
                    ++perRule[m.rule];
                } else {
                    outBuf.append(value.data(), value.size());
                    ++outcome.kept;
                }
                written.push_back(
                    Written{start, outBuf.size(), !redact, isWordByte(value.front()), isWordByte(value.back())});
                pos = size_t(m.end());
            }
            outBuf.append(region.data() + pos, region.size() - pos);
            // The run-wide literals again, on the output: a replacement can give a chosen value a
            // word boundary it did not have ("10.0.0.1bob"), and a kept finding can hold one.
            const std::string_view produced(outBuf.data(), outBuf.size());
            findLeftovers(redactor, produced, written, leftovers);
            if (!leftovers.empty()) {
                fixed.clear();
                size_t from = 0;
                for (const LiteralSet::Hit &hit : leftovers) {
                    const std::string_view value = produced.substr(size_t(hit.offset), size_t(hit.length));
                    const TokenCache::Entry tok = tokens.lookup(quint16(hit.payload), value);
                    fixed.append(produced.data() + from, size_t(hit.offset) - from);
                    fixed.append(tok.token.data(), tok.token.size());
                    from = size_t(hit.end());
                    ++perRule[hit.payload];
                }
                fixed.append(produced.data() + from, produced.size() - from);
                outcome.secondPass += qint64(leftovers.size());
                outBuf.clear();
                outBuf.append(fixed.data(), fixed.size());
            }
            outcome.linesIn += countNewlines(region.data(), region.size());
            outcome.linesOut += countNewlines(outBuf.data(), outBuf.size());
            outcome.bytesOut += qint64(outBuf.size());
            if (target.write(outBuf.data(), qint64(outBuf.size())) != qint64(outBuf.size()))
                return fail(ErrorCode::Io, Tr::tr("Cannot write %1: %2").arg(out, target.errorString()));
            return {};
        });
    for (size_t r = 0; r < perRule.size(); ++r) {
        if (perRule[r])
            outcome.redactedPerRule.insert(rules[qsizetype(r)].id, perRule[r]);
    }
    if (!bytes) {
        target.cancel();
        return tl::unexpected(bytes.error());
    }
    outcome.bytesIn = *bytes;
    if (opened->source->capped()) {
        outcome.capped = true;
        const qint64 mib = opened->source->cap() >> 20;
        outcome.cappedReason =
            opened->source->capIsRatio()
                ? Tr::tr("decompressed content cut at %1 MiB, %2 times its compressed size (a decompression bomb?)")
                      .arg(mib)
                      .arg(options.maxExpansionRatio)
                : Tr::tr("decompressed content cut at %1 MiB").arg(mib);
    }
    if (!target.commit())
        return fail(ErrorCode::Io, Tr::tr("Cannot write %1: %2").arg(out, target.errorString()));
    outcome.written = true;
    outcome.sha256 = target.sha256();
    return outcome;
}

} // namespace dc::core
