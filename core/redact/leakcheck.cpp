// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/leakcheck.h"

#include "core/redact/literalset.h"
#include "core/redact/redactbytes_p.h"
#include "core/redact/redactor.h"

#include <QCoreApplication>
#include <QFile>
#include <QScopeGuard>
#include <QSysInfo>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent>
#include <archive.h>
#include <archive_entry.h>
#include <array>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dc::core {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(dc::core::LeakChecker)
};

} // namespace

// The literal trie of the values (or the redactor's), streamed: bytes are
// buffered until every occurrence that may start in them is decided (the
// longest literal plus the context a pseudonym needs past it).
struct LeakChecker::Automaton
{
    std::optional<Redactor> redactor; // set when checking the redactor's own literals
    LiteralSet own;
    const LiteralSet *set = &own;
    std::vector<QByteArray> prefixes;
    qint64 holdBack = 0;

    struct Stream
    {
        std::string buffer; // absolute bytes [base, base + buffer.size())
        qint64 base = 0;
        qint64 decided = 0; // absolute: occurrences starting before it are reported
    };

    bool counts(const LiteralSet::Hit &hit, std::string_view text) const
    {
        if (redactor && !redactor->isEnabled(int(hit.payload)))
            return false;
        return prefixes.empty() || !isInsidePseudonym(text, hit.offset, hit.end(), prefixes);
    }

    // The occurrences in `text` (which starts at absolute offset `base`) that
    // start in [from, to), absolute; `text` must hold the left boundary's
    // context before `from` and holdBack bytes past `to` (or the content's
    // end). Returns where the next range starts: `to`, or the end of an
    // occurrence that runs past it.
    qint64 scanRange(
        std::string_view text, qint64 base, qint64 from, qint64 to, const QString &entry, QList<Leak> &leaks) const
    {
        thread_local std::vector<LiteralSet::Hit> hits;
        hits.clear();
        set->findAll(text, from - base, hits);
        qint64 next = to - base;
        for (const LiteralSet::Hit &hit : hits) {
            if (hit.offset >= to - base)
                break;
            next = std::max(next, hit.end());
            if (counts(hit, text))
                leaks.append(Leak{entry, base + hit.offset, int(hit.payload), hit.length,
                                  QByteArray(text.data() + hit.offset, hit.length)});
        }
        return base + next;
    }

    void feed(Stream &s, std::string_view data, const QString &entry, QList<Leak> &leaks, bool atEnd = false) const
    {
        if (set->isEmpty())
            return;
        s.buffer.append(data.data(), data.size());
        const std::string_view text(s.buffer);
        const qint64 n = qint64(text.size());
        // Occurrences starting from here on may still grow or lose their boundary.
        const qint64 safe = atEnd ? n : n - holdBack;
        if (safe <= s.decided - s.base)
            return;
        s.decided = scanRange(text, s.base, s.decided, s.base + safe, entry, leaks);
        const qint64 next = s.decided - s.base;
        // Keep what the next round needs before `decided`: the left boundary and a pseudonym's start.
        const qint64 drop = std::max<qint64>(0, std::min(next, n) - 64);
        s.buffer.erase(0, size_t(drop));
        s.base += drop;
    }

    void finish(Stream &s, const QString &entry, QList<Leak> &leaks) const { feed(s, {}, entry, leaks, true); }

    // All of `data` at once, fed in slices: the stream keeps a copy of what it
    // has not decided yet.
    void scanWhole(std::string_view data, const QString &entry, QList<Leak> &leaks) const
    {
        Stream s;
        constexpr size_t kSlice = size_t(1) << 20;
        for (size_t at = 0; at < data.size(); at += kSlice)
            feed(s, data.substr(at, kSlice), entry, leaks);
        finish(s, entry, leaks);
    }
};

LeakChecker::LeakChecker(const QList<QByteArray> &values, const std::vector<QByteArray> &tokenPrefixes)
    : d(std::make_unique<Automaton>())
{
    LiteralSet::Builder builder;
    for (qsizetype i = 0; i < values.size(); ++i)
        builder.add(std::string_view(values[i].constData(), size_t(values[i].size())), quint32(i));
    d->own = builder.build();
    d->prefixes = tokenPrefixes;
    d->holdBack = qint64(d->own.maxLength()) + 66;
}

LeakChecker::LeakChecker(const Redactor &redactor)
    : d(std::make_unique<Automaton>())
{
    d->redactor = redactor;
    d->set = &d->redactor->literals();
    d->prefixes = redactor.tokenPrefixes();
    d->holdBack = qint64(d->set->maxLength()) + 66;
}

LeakChecker::~LeakChecker() = default;
LeakChecker::LeakChecker(LeakChecker &&) noexcept = default;
LeakChecker &LeakChecker::operator=(LeakChecker &&) noexcept = default;

QList<LeakChecker::Leak> LeakChecker::scanBytes(std::string_view data) const
{
    QList<Leak> leaks;
    d->scanWhole(data, QString(), leaks);
    return leaks;
}

namespace {

// The current entry's data, read to its end and handed to `consume` a block at a time.
template <typename Consume> Result<void> readEntryData(archive *a, const QString &entry, const Consume &consume)
{
    std::vector<char> buf(256 * 1024);
    while (true) {
        const la_ssize_t n = archive_read_data(a, buf.data(), buf.size());
        if (n < 0)
            return fail(
                ErrorCode::Archive,
                Tr::tr("Cannot read %1 for the leak check: %2").arg(entry, QString::fromUtf8(archive_error_string(a))));
        if (n == 0)
            return {};
        consume(std::string_view(buf.data(), size_t(n)));
    }
}

Result<void>
feedArchive(archive *a, const LeakChecker::Automaton &automaton, const QString &entry, QList<LeakChecker::Leak> &leaks)
{
    LeakChecker::Automaton::Stream s;
    if (auto r = readEntryData(a, entry, [&](std::string_view data) { automaton.feed(s, data, entry, leaks); }); !r)
        return r;
    automaton.finish(s, entry, leaks);
    return {};
}

// The archive's leaks in archive order, the large members' bytes looked at
// on other threads in chunks while the archive is read further (decompressing
// is one thread's work, the search the larger part). A chunk is a range of
// a member with the context before it and holdBack bytes after it, so that
// each is searched on its own; where an occurrence runs past a chunk's end,
// the next chunk is searched again from its end, as the stream would. At
// most a few chunks are held at once.
class ChunkedCheck
{
public:
    using Leak = LeakChecker::Leak;

    explicit ChunkedCheck(const LeakChecker::Automaton &automaton)
        : m_automaton(automaton)
    {
        m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
        m_inFlight = size_t(2 * m_pool.maxThreadCount());
    }
    ~ChunkedCheck()
    {
        for (const std::unique_ptr<Chunk> &chunk : m_pending)
            chunk->done.waitForFinished();
    }

    // Leaks the reading thread found itself (names, small members), in their place.
    void add(QList<Leak> leaks)
    {
        auto item = std::make_unique<Chunk>();
        item->leaks = std::move(leaks);
        push(std::move(item));
    }
    void beginMember(const QString &entry)
    {
        m_entry = entry;
        m_buffer.clear();
        m_bufferBase = 0;
        m_cut = 0;
        m_firstOfMember = true;
    }
    void feed(std::string_view data)
    {
        if (m_automaton.set->isEmpty())
            return;
        m_buffer.append(data.data(), data.size());
        while (qint64(m_buffer.size()) - (m_cut - m_bufferBase) >= kChunk + m_automaton.holdBack)
            cut(m_cut + kChunk);
    }
    void endMember()
    {
        if (!m_automaton.set->isEmpty() && m_bufferBase + qint64(m_buffer.size()) > m_cut)
            cut(m_bufferBase + qint64(m_buffer.size()));
        m_buffer.clear();
    }
    QList<Leak> finish()
    {
        while (!m_pending.empty())
            takeFront();
        return std::move(m_leaks);
    }

private:
    static constexpr qint64 kChunk = qint64(1) << 20;
    static constexpr qint64 kContext = 64; // the left boundary and a pseudonym's start

    struct Chunk
    {
        QString entry;
        std::string text;
        qint64 base = 0; // absolute offset of text[0]
        qint64 from = 0;
        qint64 to = 0;
        bool firstOfMember = false;
        bool searched = false; // false: leaks are the reading thread's
        QFuture<void> done;
        QList<Leak> leaks;
        qint64 next = 0;
    };

    // The chunk [m_cut, to) of the current member, handed to a thread.
    void cut(qint64 to)
    {
        auto chunk = std::make_unique<Chunk>();
        chunk->entry = m_entry;
        chunk->base = std::max(m_bufferBase, m_cut - kContext);
        const qint64 end = std::min(m_bufferBase + qint64(m_buffer.size()), to + m_automaton.holdBack);
        chunk->text.assign(m_buffer, size_t(chunk->base - m_bufferBase), size_t(end - chunk->base));
        chunk->from = m_cut;
        chunk->to = to;
        chunk->firstOfMember = m_firstOfMember;
        chunk->searched = true;
        Chunk *job = chunk.get();
        const LeakChecker::Automaton *automaton = &m_automaton;
        chunk->done = QtConcurrent::run(&m_pool, [job, automaton] {
            job->next = automaton->scanRange(job->text, job->base, job->from, job->to, job->entry, job->leaks);
        });
        m_firstOfMember = false;
        m_cut = to;
        const qint64 drop = std::max<qint64>(0, m_cut - kContext - m_bufferBase);
        m_buffer.erase(0, size_t(drop));
        m_bufferBase += drop;
        push(std::move(chunk));
    }

    void push(std::unique_ptr<Chunk> item)
    {
        m_pending.push_back(std::move(item));
        while (m_pending.size() > m_inFlight)
            takeFront();
    }

    void takeFront()
    {
        std::unique_ptr<Chunk> chunk = std::move(m_pending.front());
        m_pending.pop_front();
        chunk->done.waitForFinished();
        if (chunk->searched) {
            if (!chunk->firstOfMember && m_next > chunk->from) {
                // The last occurrence before it ran into this chunk: search on from its end.
                chunk->leaks.clear();
                chunk->next = m_next >= chunk->to ? m_next
                                                  : m_automaton.scanRange(chunk->text, chunk->base, m_next, chunk->to,
                                                                          chunk->entry, chunk->leaks);
            }
            m_next = chunk->next;
        }
        m_leaks.append(std::move(chunk->leaks));
    }

    const LeakChecker::Automaton &m_automaton;
    QThreadPool m_pool;
    size_t m_inFlight = 2;
    std::deque<std::unique_ptr<Chunk>> m_pending;
    QList<Leak> m_leaks;
    qint64 m_next = 0; // where the member's search goes on
    QString m_entry;
    std::string m_buffer; // the current member from m_bufferBase on
    qint64 m_bufferBase = 0;
    qint64 m_cut = 0; // the member's bytes before it are in chunks
    bool m_firstOfMember = true;
};

bool isCompressedMagic(const char *b, size_t n)
{
    return (n >= 2 && static_cast<unsigned char>(b[0]) == 0x1f && static_cast<unsigned char>(b[1]) == 0x8b) ||
           (n >= 6 && std::memcmp(b,
                                  "\xfd"
                                  "7zXZ\0",
                                  6) == 0) ||
           (n >= 4 && std::memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0) || (n >= 3 && std::memcmp(b, "BZh", 3) == 0);
}

} // namespace

Result<QList<LeakChecker::Leak>> LeakChecker::checkFile(const QString &path) const
{
    archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    archive_entry *entry = nullptr;
    QList<Leak> leaks;
    Result<void> r;
    if (archive_read_open_filename(a, QFile::encodeName(path).constData(), 64 * 1024) != ARCHIVE_OK ||
        archive_read_next_header(a, &entry) != ARCHIVE_OK) {
        // libarchive's raw reader refuses empty files; an empty file leaks nothing.
        archive_read_free(a);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Io, Tr::tr("Cannot read %1: %2").arg(path, f.errorString()));
        Automaton::Stream s;
        QByteArray buf;
        while (!(buf = f.read(1 << 20)).isEmpty())
            d->feed(s, std::string_view(buf.constData(), size_t(buf.size())), path, leaks);
        d->finish(s, path, leaks);
        return leaks;
    }
    r = feedArchive(a, *d, path, leaks);
    archive_read_free(a);
    if (!r)
        return tl::unexpected(r.error());
    return leaks;
}

Result<qint64> LeakChecker::maskFile(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return fail(ErrorCode::Io, Tr::tr("Cannot open %1: %2").arg(path, file.errorString()));
    qint64 masked = 0;
    for (int pass = 0; pass < 8; ++pass) {
        if (!file.seek(0))
            return fail(ErrorCode::Io, Tr::tr("Cannot read %1: %2").arg(path, file.errorString()));
        QList<Leak> leaks;
        Automaton::Stream s;
        QByteArray buffer(1 << 20, Qt::Uninitialized);
        for (;;) {
            const qint64 n = file.read(buffer.data(), buffer.size());
            if (n < 0)
                return fail(ErrorCode::Io, Tr::tr("Cannot read %1: %2").arg(path, file.errorString()));
            if (n == 0)
                break;
            d->feed(s, std::string_view(buffer.constData(), size_t(n)), path, leaks);
        }
        d->finish(s, path, leaks);
        if (leaks.isEmpty())
            return masked;
        for (const Leak &leak : std::as_const(leaks)) {
            const QByteArray mask(leak.length, '*');
            if (!file.seek(leak.offset) || file.write(mask) != mask.size())
                return fail(ErrorCode::Io, Tr::tr("Cannot write %1: %2").arg(path, file.errorString()));
        }
        masked += leaks.size();
    }
    return fail(ErrorCode::Verification, Tr::tr("Cannot mask every chosen value in %1.").arg(path));
}

QList<QByteArray> LeakChecker::withUtf16Spellings(const QList<QByteArray> &values)
{
    QList<QByteArray> out = values;
    for (const QByteArray &value : values) {
        if (value.isEmpty())
            continue;
        const QString text = QString::fromUtf8(value);
        const QByteArray utf16(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
        QByteArray littleEndian = utf16;
        if constexpr (QSysInfo::ByteOrder == QSysInfo::BigEndian) {
            for (qsizetype i = 0; i + 1 < littleEndian.size(); i += 2)
                std::swap(littleEndian[i], littleEndian[i + 1]);
        }
        out.append(littleEndian);
    }
    return out;
}

namespace {

bool isTokenByte(unsigned char c) { return rx::isAlnum(c) || c == '_' || c == '.' || c == '-'; }

// The tool's own words (checkArchive), read at the first hit they could forgive.
class OwnTokens
{
public:
    explicit OwnTokens(const LeakChecker::OwnTokensReader &read)
        : m_read(read)
    {
    }
    const QSet<QByteArray> &get()
    {
        if (m_read) {
            m_tokens = m_read();
            m_read = nullptr;
        }
        return m_tokens;
    }

private:
    LeakChecker::OwnTokensReader m_read;
    QSet<QByteArray> m_tokens;
};

// Drops the leaks from `first` on that lie inside one of the tool's own tokens.
void forgiveOwnTokens(QList<LeakChecker::Leak> &leaks, qsizetype first, std::string_view data, OwnTokens &own)
{
    if (leaks.size() == first)
        return;
    const QSet<QByteArray> &ownTokens = own.get();
    if (ownTokens.isEmpty())
        return;
    const auto *b = reinterpret_cast<const unsigned char *>(data.data());
    const qint64 n = qint64(data.size());
    for (qsizetype i = leaks.size() - 1; i >= first; --i) {
        qint64 start = leaks[i].offset;
        qint64 end = start + leaks[i].length;
        if (start < 0 || end > n)
            continue;
        while (start > 0 && isTokenByte(b[start - 1]))
            --start;
        while (end < n && isTokenByte(b[end]))
            ++end;
        if (ownTokens.contains(QByteArray::fromRawData(data.data() + start, qsizetype(end - start))))
            leaks.removeAt(i);
    }
}

// The files the tool writes about the run, at the archive's top folder.
bool isOwnMetadata(const QString &entry)
{
    const QString file = entry.mid(entry.indexOf(QLatin1Char('/')) + 1);
    return file == QLatin1String("manifest.json") || file == QLatin1String("redaction.json") ||
           file == QLatin1String("findings.json") || file == QLatin1String("summary.html");
}

} // namespace

Result<QList<LeakChecker::Leak>> LeakChecker::checkArchive(const QString &path, const OwnTokensReader &ownTokens) const
{
    OwnTokens own(ownTokens);
    archive *a = archive_read_new();
    const auto freeReader = qScopeGuard([a] { archive_read_free(a); });
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, QFile::encodeName(path).constData(), 64 * 1024) != ARCHIVE_OK)
        return fail(
            ErrorCode::Archive,
            Tr::tr("Cannot open %1 for the leak check: %2").arg(path, QString::fromUtf8(archive_error_string(a))));
    const auto readError = [a](const QString &name) {
        return fail(
            ErrorCode::Archive,
            Tr::tr("Cannot read %1 for the leak check: %2").arg(name, QString::fromUtf8(archive_error_string(a))));
    };
    ChunkedCheck check(*d);
    archive_entry *entry = nullptr;
    int rc = ARCHIVE_OK;
    while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
        const QString name = QString::fromUtf8(archive_entry_pathname_utf8(entry) ? archive_entry_pathname_utf8(entry)
                                                                                  : archive_entry_pathname(entry));
        // Entry names can leak too ("/home/alice/...").
        const QByteArray nameBytes = name.toUtf8();
        {
            QList<Leak> leaks;
            const std::string_view view(nameBytes.constData(), size_t(nameBytes.size()));
            d->scanWhole(view, name, leaks);
            forgiveOwnTokens(leaks, 0, view, own);
            check.add(std::move(leaks));
        }
        if (archive_entry_filetype(entry) != AE_IFREG)
            continue;
        // Small compressed members (a rotated .gz kept verbatim) are decompressed,
        // and the tool's own files are read whole to forgive its own words; the
        // rest is streamed (a large run's logs, 25 MB each, would otherwise be
        // held at once) and searched on other threads.
        const la_int64_t size = archive_entry_size(entry);
        constexpr qint64 kHead = 64 * 1024;
        QByteArray data(qsizetype(std::clamp<qint64>(size, 0, kHead)), Qt::Uninitialized);
        qint64 got = 0;
        for (bool whole = false; got < size;) {
            if (got == data.size()) {
                if (whole || size > 64 * 1024 * 1024 ||
                    (!isOwnMetadata(name) && !isCompressedMagic(data.constData(), size_t(got))))
                    break;
                whole = true;
                data.resize(qsizetype(size));
            }
            const la_ssize_t n = archive_read_data(a, data.data() + got, size_t(data.size() - got));
            if (n < 0)
                return readError(name);
            if (n == 0)
                break;
            got += n;
        }
        // Of unknown size (0: a zip member written as a stream), or larger than a head.
        if (size <= 0 || (got < size && got == data.size())) {
            check.beginMember(name);
            check.feed(std::string_view(data.constData(), size_t(got)));
            if (auto r = readEntryData(a, name, [&check](std::string_view block) { check.feed(block); }); !r)
                return tl::unexpected(r.error());
            check.endMember();
            continue;
        }
        data.resize(qsizetype(got));
        QList<Leak> leaks;
        if (isCompressedMagic(data.constData(), size_t(data.size()))) {
            archive *inner = archive_read_new();
            const auto freeInner = qScopeGuard([inner] { archive_read_free(inner); });
            archive_read_support_filter_all(inner);
            archive_read_support_format_raw(inner);
            archive_entry *ie = nullptr;
            if (archive_read_open_memory(inner, data.constData(), size_t(data.size())) == ARCHIVE_OK &&
                archive_read_next_header(inner, &ie) == ARCHIVE_OK) {
                if (auto r = feedArchive(inner, *d, name, leaks); !r)
                    return tl::unexpected(r.error());
            }
        }
        const qsizetype first = leaks.size();
        const std::string_view view(data.constData(), size_t(data.size()));
        d->scanWhole(view, name, leaks);
        if (isOwnMetadata(name))
            forgiveOwnTokens(leaks, first, view, own);
        check.add(std::move(leaks));
    }
    if (rc != ARCHIVE_EOF)
        return readError(path);
    return check.finish();
}

} // namespace dc::core
