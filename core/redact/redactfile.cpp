// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactfile.h"

#include "core/redact/pseudonymmap.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <archive.h>
#include <archive_entry.h>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

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

    // Bytes read, 0 at the end.
    Result<qint64> read(char *buf, qint64 max)
    {
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
        return qint64(n);
    }

private:
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

// Streams the content through the redactor: chunks cut at line ends (or
// forced on very long lines), a match that crosses a cut is carried over whole.
// `sink(region, regionOffset, matches)` gets each final region with matches
// relative to the region start.
template <typename Sink>
Result<qint64> streamMatches(Source &source,
                             QByteArray buf,
                             bool eofAlready,
                             const Redactor &redactor,
                             const StreamOptions &options,
                             Sink &&sink)
{
    qint64 base = 0; // absolute offset of buf[0]
    qint64 ctx = 0;  // buf[0, ctx) is look-behind only
    bool eof = eofAlready;
    std::vector<RedactMatch> matches;
    const qint64 chunk = std::max<qint64>(options.chunkSize, 16);
    while (true) {
        if (!eof) {
            if (options.isCancelled && options.isCancelled())
                return fail(ErrorCode::Cancelled, Tr::tr("Cancelled."));
            const qint64 old = buf.size();
            buf.resize(old + chunk);
            auto n = source.read(buf.data() + old, chunk);
            if (!n)
                return tl::unexpected(n.error());
            buf.resize(old + *n);
            eof = *n == 0;
        }
        const qint64 size = buf.size();
        if (size == ctx && eof)
            break;
        qint64 cut = size;
        bool forceEnd = eof;
        if (!eof) {
            const qint64 nl = buf.lastIndexOf('\n');
            cut = nl + 1;
            if (cut <= ctx) {
                if (size - ctx < options.maxCarry)
                    continue;                         // no complete line yet: read more
                cut = std::max(ctx + 1, size - 1024); // a giant line: cut anyway
            }
        }
        const std::string_view text(buf.constData(), size_t(size));
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
        if (auto s = sink(std::string_view(buf.constData() + ctx, size_t(cut - ctx)), base + ctx, matches); !s)
            return tl::unexpected(s.error());
        const qint64 newCtx = std::min<qint64>(kLookBehind, cut);
        buf.remove(0, cut - newCtx);
        base += cut - newCtx;
        ctx = newCtx;
        if (eof && buf.size() == ctx)
            break;
    }
    return base + ctx;
}

struct Opened
{
    std::unique_ptr<Source> source;
    QByteArray head; // first bytes of content
    bool eof = false;
    ContentKind kind = ContentKind::Text;
    QString reason;
};

Result<Opened> openContent(const QString &path)
{
    Opened o;
    o.source = std::make_unique<Source>();
    if (auto r = o.source->open(path); !r)
        return tl::unexpected(r.error());
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

Result<FileFindings> scanFile(
    const QString &path, const Redactor &redactor, PseudonymMap &map, const QString &key, const StreamOptions &options)
{
    FileFindings result;
    result.file = key.isEmpty() ? path : key;
    auto opened = openContent(path);
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
                if (result.findings.size() >= options.maxStoredFindings)
                    continue;
                const std::string_view value = region.substr(size_t(m.offset), size_t(m.length));
                result.findings.append(Finding{offset + m.offset, m.length, rules[m.rule].id,
                                               QByteArray(value.data(), qsizetype(value.size())),
                                               redactor.tokenFor(m.rule, value, map)});
            }
            return {};
        });
    if (!bytes)
        return tl::unexpected(bytes.error());
    result.bytes = *bytes;
    return result;
}

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
    auto opened = openContent(in);
    if (!opened)
        return tl::unexpected(opened.error());
    outcome.kind = opened->kind;
    if (!plan.isIncluded(fileKey, outcome.kind))
        return outcome;

    QSaveFile target(out);
    if (!target.open(QIODevice::WriteOnly))
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
        return outcome;
    }

    const QList<RuleInfo> &rules = redactor.rules();
    QByteArray outBuf;
    std::vector<qint64> perRule(size_t(rules.size()), 0);
    // Values repeat a lot within one file: a small direct-mapped cache in front
    // of the (locked, shared) pseudonym map.
    struct CacheSlot
    {
        quint16 rule = 0xffff;
        std::string value;
        QByteArray token;
    };
    std::vector<CacheSlot> cache(1024);
    auto token = [&](quint16 rule, std::string_view value) -> const QByteArray & {
        const size_t h = (std::hash<std::string_view>{}(value) ^ (size_t(rule) * 0x9e3779b97f4a7c15ULL)) & 1023;
        CacheSlot &slot = cache[h];
        if (slot.rule != rule || slot.value != value) {
            slot.rule = rule;
            slot.value.assign(value);
            slot.token = redactor.tokenFor(rule, value, map);
        }
        return slot.token;
    };
    const bool anyDecision = !plan.isDefault();
    auto countLines = [](const char *p, size_t n) {
        qint64 lines = 0;
        const char *end = p + n;
        while ((p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))))) {
            ++lines;
            ++p;
        }
        return lines;
    };
    auto bytes = streamMatches(
        *opened->source, opened->head, opened->eof, redactor, options,
        [&](std::string_view region, qint64 offset, const std::vector<RedactMatch> &matches) -> Result<void> {
            outBuf.clear();
            outBuf.reserve(qsizetype(region.size()) + 64);
            qint64 pos = 0;
            for (const RedactMatch &m : matches) {
                const std::string_view value = region.substr(size_t(m.offset), size_t(m.length));
                const QByteArray &tok = token(m.rule, value);
                outBuf.append(region.data() + pos, m.offset - pos);
                if (!anyDecision || plan.shouldRedact(fileKey, offset + m.offset, rules[m.rule].id, tok)) {
                    outBuf.append(tok);
                    // One output line per input line: keep the breaks of multi-line values.
                    if (const qint64 breaks = countLines(value.data(), value.size()); breaks > 0)
                        outBuf.append(QByteArray(breaks, '\n'));
                    ++perRule[m.rule];
                } else {
                    outBuf.append(value.data(), qsizetype(value.size()));
                    ++outcome.kept;
                }
                pos = m.end();
            }
            outBuf.append(region.data() + pos, qint64(region.size()) - pos);
            outcome.linesIn += countLines(region.data(), region.size());
            outcome.linesOut += countLines(outBuf.constData(), size_t(outBuf.size()));
            outcome.bytesOut += outBuf.size();
            if (target.write(outBuf) != outBuf.size())
                return fail(ErrorCode::Io, Tr::tr("Cannot write %1: %2").arg(out, target.errorString()));
            return {};
        });
    for (size_t r = 0; r < perRule.size(); ++r) {
        if (perRule[r])
            outcome.redactedPerRule.insert(rules[qsizetype(r)].id, perRule[r]);
    }
    if (!bytes) {
        target.cancelWriting();
        return tl::unexpected(bytes.error());
    }
    outcome.bytesIn = *bytes;
    if (!target.commit())
        return fail(ErrorCode::Io, Tr::tr("Cannot write %1: %2").arg(out, target.errorString()));
    outcome.written = true;
    return outcome;
}

} // namespace dc::core
