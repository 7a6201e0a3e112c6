// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/leakcheck.h"

#include "core/redact/literalset.h"
#include "core/redact/redactbytes_p.h"
#include "core/redact/redactor.h"

#include <QCoreApplication>
#include <QFile>
#include <QSysInfo>
#include <archive.h>
#include <archive_entry.h>
#include <array>
#include <cstring>
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
        thread_local std::vector<LiteralSet::Hit> hits;
        hits.clear();
        set->findAll(text, s.decided - s.base, hits);
        qint64 next = safe;
        for (const LiteralSet::Hit &hit : hits) {
            if (hit.offset >= safe)
                break;
            next = std::max(next, hit.end());
            if (counts(hit, text))
                leaks.append(Leak{entry, s.base + hit.offset, int(hit.payload), hit.length,
                                  QByteArray(text.data() + hit.offset, hit.length)});
        }
        s.decided = s.base + next;
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

Result<void> feedArchive(archive *a,
                         const LeakChecker::Automaton &automaton,
                         const QString &entry,
                         QList<LeakChecker::Leak> &leaks,
                         std::string_view head = {})
{
    LeakChecker::Automaton::Stream s;
    if (!head.empty())
        automaton.feed(s, head, entry, leaks);
    std::vector<char> buf(256 * 1024);
    while (true) {
        const la_ssize_t n = archive_read_data(a, buf.data(), buf.size());
        if (n < 0)
            return fail(
                ErrorCode::Archive,
                Tr::tr("Cannot read %1 for the leak check: %2").arg(entry, QString::fromUtf8(archive_error_string(a))));
        if (n == 0)
            break;
        automaton.feed(s, std::string_view(buf.data(), size_t(n)), entry, leaks);
    }
    automaton.finish(s, entry, leaks);
    return {};
}

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
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    QList<Leak> leaks;
    if (archive_read_open_filename(a, QFile::encodeName(path).constData(), 64 * 1024) != ARCHIVE_OK) {
        const QString msg = QString::fromUtf8(archive_error_string(a));
        archive_read_free(a);
        return fail(ErrorCode::Archive, Tr::tr("Cannot open %1 for the leak check: %2").arg(path, msg));
    }
    archive_entry *entry = nullptr;
    int rc = ARCHIVE_OK;
    while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
        const QString name = QString::fromUtf8(archive_entry_pathname_utf8(entry) ? archive_entry_pathname_utf8(entry)
                                                                                  : archive_entry_pathname(entry));
        // Entry names can leak too ("/home/alice/...").
        const QByteArray nameBytes = name.toUtf8();
        {
            const qsizetype first = leaks.size();
            const std::string_view view(nameBytes.constData(), size_t(nameBytes.size()));
            d->scanWhole(view, name, leaks);
            forgiveOwnTokens(leaks, first, view, own);
        }
        if (archive_entry_filetype(entry) != AE_IFREG)
            continue;
        // Small compressed members (a rotated .gz kept verbatim) are decompressed,
        // and the tool's own files are read whole to forgive its own words; the
        // rest is streamed (a large run's logs, 25 MB each, would otherwise be
        // held at once).
        const la_int64_t size = archive_entry_size(entry);
        if (size > 0 && size <= 64 * 1024 * 1024) {
            constexpr qint64 kHead = 64 * 1024;
            QByteArray data(qsizetype(std::min<qint64>(size, kHead)), Qt::Uninitialized);
            qint64 got = 0;
            for (bool whole = false; got < size;) {
                if (got == data.size()) {
                    if (!whole && !isOwnMetadata(name) && !isCompressedMagic(data.constData(), size_t(got)))
                        break;
                    whole = true;
                    data.resize(qsizetype(size));
                }
                const la_ssize_t n = archive_read_data(a, data.data() + got, size_t(data.size() - got));
                if (n < 0) {
                    const QString msg = QString::fromUtf8(archive_error_string(a));
                    archive_read_free(a);
                    return fail(ErrorCode::Archive, Tr::tr("Cannot read %1 for the leak check: %2").arg(name, msg));
                }
                if (n == 0)
                    break;
                got += n;
            }
            if (got < size && got == data.size()) {
                if (auto r = feedArchive(a, *d, name, leaks, std::string_view(data.constData(), size_t(got))); !r) {
                    archive_read_free(a);
                    return tl::unexpected(r.error());
                }
                continue;
            }
            data.resize(qsizetype(got));
            if (isCompressedMagic(data.constData(), size_t(data.size()))) {
                archive *inner = archive_read_new();
                archive_read_support_filter_all(inner);
                archive_read_support_format_raw(inner);
                archive_entry *ie = nullptr;
                if (archive_read_open_memory(inner, data.constData(), size_t(data.size())) == ARCHIVE_OK &&
                    archive_read_next_header(inner, &ie) == ARCHIVE_OK) {
                    if (auto r = feedArchive(inner, *d, name, leaks); !r) {
                        archive_read_free(inner);
                        archive_read_free(a);
                        return tl::unexpected(r.error());
                    }
                }
                archive_read_free(inner);
            }
            const qsizetype first = leaks.size();
            const std::string_view view(data.constData(), size_t(data.size()));
            d->scanWhole(view, name, leaks);
            if (isOwnMetadata(name))
                forgiveOwnTokens(leaks, first, view, own);
        } else if (auto r = feedArchive(a, *d, name, leaks); !r) {
            archive_read_free(a);
            return tl::unexpected(r.error());
        }
    }
    const QString msg = QString::fromUtf8(archive_error_string(a) ? archive_error_string(a) : "");
    archive_read_free(a);
    if (rc != ARCHIVE_EOF)
        return fail(ErrorCode::Archive, Tr::tr("Cannot read %1 for the leak check: %2").arg(path, msg));
    return leaks;
}

} // namespace dc::core
