// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/leakcheck.h"

#include <QCoreApplication>
#include <QFile>
#include <QSysInfo>
#include <archive.h>
#include <archive_entry.h>
#include <array>
#include <cstring>
#include <deque>
#include <vector>

namespace dc::core {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(dc::core::LeakChecker)
};

inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c; }
inline bool alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

} // namespace

// A dense Aho-Corasick DFA over a compressed alphabet (the distinct bytes of
// the values plus one class for every other byte).
struct LeakChecker::Automaton
{
    std::array<int, 256> classOf{};
    int classes = 1;
    std::vector<int> delta;    // state * classes + class -> state
    std::vector<int> outFirst; // first value ending in state, -1
    std::vector<int> outNext;  // next output state via dictionary links, -1
    std::vector<int> valueLength;
    std::vector<unsigned char> needLeft, needRight;

    struct Stream
    {
        int state = 0;
        qint64 pos = 0;                    // absolute offset of the next byte
        std::deque<unsigned char> history; // last max-length bytes for left checks
        struct Pending
        {
            int value;
            qint64 offset;
        };
        std::vector<Pending> pending; // matches at the end of a chunk awaiting the next byte
    };
    int maxLen = 0;

    void feed(Stream &s, std::string_view data, const QString &entry, QList<Leak> &leaks) const
    {
        const auto *b = reinterpret_cast<const unsigned char *>(data.data());
        const qint64 n = qint64(data.size());
        if (n == 0)
            return;
        // Resolve pending right-boundary checks with the first new byte.
        for (const auto &p : s.pending) {
            if (!needRight[size_t(p.value)] || !alnum(b[0]))
                leaks.append(Leak{entry, p.offset, p.value});
        }
        s.pending.clear();
        int state = s.state;
        for (qint64 i = 0; i < n; ++i) {
            state = delta[size_t(state) * size_t(classes) + size_t(classOf[b[i]])];
            for (int o = outFirst[size_t(state)] >= 0 ? state : outNext[size_t(state)]; o >= 0;
                 o = outNext[size_t(o)]) {
                const int v = outFirst[size_t(o)];
                const qint64 len = valueLength[size_t(v)];
                const qint64 start = i - len + 1; // relative to chunk, may be negative
                if (needLeft[size_t(v)]) {
                    unsigned char before = 0;
                    bool have = false;
                    if (start > 0) {
                        before = b[start - 1];
                        have = true;
                    } else if (s.pos + start > 0) {
                        const qint64 back = -start + 1; // bytes back into history
                        if (back <= qint64(s.history.size())) {
                            before = s.history[size_t(qint64(s.history.size()) - back)];
                            have = true;
                        }
                    }
                    if (have && alnum(before))
                        continue;
                }
                if (needRight[size_t(v)]) {
                    if (i + 1 == n) {
                        s.pending.push_back({v, s.pos + start});
                        continue;
                    }
                    if (alnum(b[i + 1]))
                        continue;
                }
                leaks.append(Leak{entry, s.pos + start, v});
            }
        }
        s.state = state;
        s.pos += n;
        const qint64 keep = std::min<qint64>(maxLen + 1, n);
        for (qint64 i = n - keep; i < n; ++i)
            s.history.push_back(b[i]);
        while (qint64(s.history.size()) > maxLen + 1)
            s.history.pop_front();
    }

    void finish(Stream &s, const QString &entry, QList<Leak> &leaks) const
    {
        for (const auto &p : s.pending)
            leaks.append(Leak{entry, p.offset, p.value});
        s.pending.clear();
    }
};

LeakChecker::LeakChecker(const QList<QByteArray> &values)
    : d(std::make_unique<Automaton>())
{
    Automaton &a = *d;
    // Alphabet
    for (const QByteArray &v : values) {
        for (char c : v) {
            const unsigned char l = lower(static_cast<unsigned char>(c));
            if (!a.classOf[l])
                a.classOf[l] = a.classes++;
        }
    }
    for (int c = 'A'; c <= 'Z'; ++c)
        a.classOf[size_t(c)] = a.classOf[size_t(c + 32)];
    // Trie
    std::vector<std::vector<int>> next(1, std::vector<int>(size_t(a.classes), -1));
    std::vector<int> out(1, -1);
    for (qsizetype vi = 0; vi < values.size(); ++vi) {
        const QByteArray &v = values[vi];
        a.valueLength.push_back(int(v.size()));
        a.needLeft.push_back(!v.isEmpty() && alnum(static_cast<unsigned char>(v.front())));
        a.needRight.push_back(!v.isEmpty() && alnum(static_cast<unsigned char>(v.back())));
        if (v.isEmpty())
            continue;
        a.maxLen = std::max(a.maxLen, int(v.size()));
        int s = 0;
        for (char c : v) {
            const int k = a.classOf[lower(static_cast<unsigned char>(c))];
            if (next[size_t(s)][size_t(k)] < 0) {
                next[size_t(s)][size_t(k)] = int(next.size());
                next.emplace_back(size_t(a.classes), -1);
                out.push_back(-1);
            }
            s = next[size_t(s)][size_t(k)];
        }
        if (out[size_t(s)] < 0)
            out[size_t(s)] = int(vi);
    }
    // BFS: failure links, full DFA, dictionary links
    const size_t states = next.size();
    a.delta.assign(states * size_t(a.classes), 0);
    a.outFirst = out;
    a.outNext.assign(states, -1);
    std::vector<int> failure(states, 0);
    std::deque<int> queue;
    for (int k = 0; k < a.classes; ++k) {
        const int t = next[0][size_t(k)];
        if (t > 0) {
            a.delta[size_t(k)] = t;
            queue.push_back(t);
        }
    }
    while (!queue.empty()) {
        const int s = queue.front();
        queue.pop_front();
        const int f = failure[size_t(s)];
        a.outNext[size_t(s)] = a.outFirst[size_t(f)] >= 0 ? f : a.outNext[size_t(f)];
        for (int k = 0; k < a.classes; ++k) {
            const int t = next[size_t(s)][size_t(k)];
            if (t > 0) {
                failure[size_t(t)] = a.delta[size_t(f) * size_t(a.classes) + size_t(k)];
                a.delta[size_t(s) * size_t(a.classes) + size_t(k)] = t;
                queue.push_back(t);
            } else {
                a.delta[size_t(s) * size_t(a.classes) + size_t(k)] = a.delta[size_t(f) * size_t(a.classes) + size_t(k)];
            }
        }
    }
    // The class-0 column ("other byte") of the root stays 0; the root has no outputs.
    // Duplicate values share one trie state; report each value once via outFirst.
}

LeakChecker::~LeakChecker() = default;
LeakChecker::LeakChecker(LeakChecker &&) noexcept = default;
LeakChecker &LeakChecker::operator=(LeakChecker &&) noexcept = default;

QList<LeakChecker::Leak> LeakChecker::scanBytes(std::string_view data) const
{
    QList<Leak> leaks;
    Automaton::Stream s;
    d->feed(s, data, QString(), leaks);
    d->finish(s, QString(), leaks);
    return leaks;
}

namespace {

Result<void>
feedArchive(archive *a, const LeakChecker::Automaton &automaton, const QString &entry, QList<LeakChecker::Leak> &leaks)
{
    LeakChecker::Automaton::Stream s;
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
            const QByteArray mask(d->valueLength[size_t(leak.valueIndex)], '*');
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

bool isTokenByte(unsigned char c) { return alnum(c) || c == '_' || c == '.' || c == '-'; }

// Drops the leaks from `first` on that lie inside one of the tool's own tokens.
void forgiveOwnTokens(QList<LeakChecker::Leak> &leaks,
                      qsizetype first,
                      std::string_view data,
                      const std::vector<int> &valueLength,
                      const QSet<QByteArray> &ownTokens)
{
    if (ownTokens.isEmpty())
        return;
    const auto *b = reinterpret_cast<const unsigned char *>(data.data());
    const qint64 n = qint64(data.size());
    for (qsizetype i = leaks.size() - 1; i >= first; --i) {
        qint64 start = leaks[i].offset;
        qint64 end = start + valueLength[size_t(leaks[i].valueIndex)];
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
           file == QLatin1String("summary.html");
}

} // namespace

Result<QList<LeakChecker::Leak>> LeakChecker::checkArchive(const QString &path, const QSet<QByteArray> &ownTokens) const
{
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
            Automaton::Stream s;
            d->feed(s, view, name, leaks);
            d->finish(s, name, leaks);
            forgiveOwnTokens(leaks, first, view, d->valueLength, ownTokens);
        }
        if (archive_entry_filetype(entry) != AE_IFREG)
            continue;
        // Small compressed members (a rotated .gz kept verbatim) are decompressed.
        const la_int64_t size = archive_entry_size(entry);
        if (size > 0 && size <= 64 * 1024 * 1024) {
            QByteArray data(qsizetype(size), Qt::Uninitialized);
            qint64 got = 0;
            while (got < size) {
                const la_ssize_t n = archive_read_data(a, data.data() + got, size_t(size - got));
                if (n < 0) {
                    const QString msg = QString::fromUtf8(archive_error_string(a));
                    archive_read_free(a);
                    return fail(ErrorCode::Archive, Tr::tr("Cannot read %1 for the leak check: %2").arg(name, msg));
                }
                if (n == 0)
                    break;
                got += n;
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
            Automaton::Stream s;
            d->feed(s, view, name, leaks);
            d->finish(s, name, leaks);
            if (isOwnMetadata(name))
                forgiveOwnTokens(leaks, first, view, d->valueLength, ownTokens);
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
