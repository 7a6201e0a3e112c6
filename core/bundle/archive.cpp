// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/archive.h"

#include "core/bundle/archive_p.h"
#include "core/bundle/partialfiles.h"
#include "core/util/bytesize.h"
#include "core/util/posixcompat_win.h"
#include "core/util/sha256.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QStorageInfo>
#include <QThread>
#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <locale.h>
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>
#include <zstd.h>

namespace dc::core {

namespace {

// Every read and write goes through one buffer of this size, so memory stays
// flat whatever the staged size (zstd's own window and job buffers come on top).
constexpr size_t kChunkSize = size_t(1) << 20;
// zstd's multi-threaded mode buffers (workers + 3) jobs of input; its
// default job for level 3 is 8 MiB, 40 MiB in all. 4 MiB jobs halve that at
// no measurable cost in ratio or speed, keeping peak RSS well under 64 MiB.
constexpr int kZstdJobSize = 4 << 20;
// Free space demanded beyond the staged bytes: headers, padding, and the
// rare input that compression makes larger.
constexpr qint64 kSpaceMargin = qint64(4) << 20;
// manifest.json is read into memory for parsing; anything larger is not ours.
constexpr qint64 kMaxManifestBytes = qint64(64) << 20;
// Entry time used when the caller gives none: 1980-01-01T00:00:00Z, the
// earliest time a zip (DOS) timestamp can hold.
constexpr qint64 kDefaultEntryTime = 315532800;

QString errnoText(int error) { return QString::fromLocal8Bit(std::strerror(error)); }

bool isNoSpace(int error) { return error == ENOSPC || error == EDQUOT || error == EFBIG; }

bool isCancelled(const PackageOptions &options)
{
    return options.cancelled && options.cancelled->load(std::memory_order_relaxed);
}

struct ArchiveWriteDeleter
{
    void operator()(archive *a) const { archive_write_free(a); }
};
struct ArchiveReadDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};
struct EntryDeleter
{
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};
struct CCtxDeleter
{
    void operator()(ZSTD_CCtx *c) const { ZSTD_freeCCtx(c); }
};
struct UniqueFd
{
    int fd = -1;
    explicit UniqueFd(int descriptor)
        : fd(descriptor)
    {
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// libarchive converts entry names through the locale's character set
// (nl_langinfo(CODESET), per thread). Under LANG=C it cannot represent a
// UTF-8 name at all, and 3.6.2's pax writer even crashes on one; so names
// always go through UTF-8 while we package or verify, whatever the process
// locale, and the archive bytes do not depend on it.
class ScopedUtf8Ctype
{
public:
#ifdef Q_OS_WIN
    // Windows: a per-thread C locale with the UTF-8 code page (Windows 10 1803+).
    ScopedUtf8Ctype()
        : m_mode(::_configthreadlocale(_ENABLE_PER_THREAD_LOCALE))
    {
        if (const char *previous = ::setlocale(LC_CTYPE, nullptr))
            m_previous = previous;
        ::setlocale(LC_CTYPE, ".UTF-8");
    }
    ~ScopedUtf8Ctype()
    {
        ::setlocale(LC_CTYPE, m_previous.c_str());
        ::_configthreadlocale(m_mode);
    }
    ScopedUtf8Ctype(const ScopedUtf8Ctype &) = delete;
    ScopedUtf8Ctype &operator=(const ScopedUtf8Ctype &) = delete;

private:
    int m_mode;
    std::string m_previous = "C";
#else
    ScopedUtf8Ctype()
    {
        for (const char *name : {"C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"}) {
            m_locale = ::newlocale(LC_CTYPE_MASK, name, locale_t(nullptr));
            if (m_locale) {
                m_previous = ::uselocale(m_locale);
                return;
            }
        }
    }
    ~ScopedUtf8Ctype()
    {
        if (m_locale) {
            ::uselocale(m_previous);
            ::freelocale(m_locale);
        }
    }
    ScopedUtf8Ctype(const ScopedUtf8Ctype &) = delete;
    ScopedUtf8Ctype &operator=(const ScopedUtf8Ctype &) = delete;

private:
    locale_t m_locale = locale_t(nullptr);
    locale_t m_previous = locale_t(nullptr);
#endif
};

// --- Staging scan -----------------------------------------------------------

struct StagedEntry
{
    QByteArray path; // relative, '/'-separated, as the file system spells it (UTF-8 on Linux)
    bool directory = false;
    qint64 size = 0;
};

// Collects regular files and directories below root without following
// symbolic links; FIFOs, sockets, devices and links are left out.
Result<void> scanTree(const QByteArray &root, const QByteArray &relative, std::vector<StagedEntry> &out)
{
    const QByteArray dirPath = relative.isEmpty() ? root : root + '/' + relative;
    std::unique_ptr<DIR, int (*)(DIR *)> dir(::opendir(dirPath.constData()), &::closedir);
    if (!dir)
        return fail(
            ErrorCode::Io,
            QStringLiteral("cannot read the staging folder %1: %2").arg(QFile::decodeName(dirPath), errnoText(errno)));
    while (true) {
        errno = 0;
        const dirent *item = ::readdir(dir.get());
        if (!item) {
            if (errno != 0)
                return fail(ErrorCode::Io, QStringLiteral("cannot read the staging folder %1: %2")
                                               .arg(QFile::decodeName(dirPath), errnoText(errno)));
            break;
        }
        const QByteArray name(item->d_name);
        if (name == "." || name == "..")
            continue;
        const QByteArray childRelative = relative.isEmpty() ? name : relative + '/' + name;
        struct stat info = {};
#ifdef Q_OS_WIN
        if (::lstat(QByteArray(dirPath + '/' + name).constData(), &info) != 0) // no *at() calls on Windows
#else
        if (::fstatat(::dirfd(dir.get()), item->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0)
#endif
            return fail(ErrorCode::Io, QStringLiteral("cannot inspect %1: %2")
                                           .arg(QFile::decodeName(root + '/' + childRelative), errnoText(errno)));
        if (S_ISDIR(info.st_mode)) {
            out.push_back({childRelative, true, 0});
            if (auto sub = scanTree(root, childRelative, out); !sub)
                return sub;
        } else if (S_ISREG(info.st_mode)) {
            out.push_back({childRelative, false, qint64(info.st_size)});
        }
    }
    return {};
}

bool validTopDir(const QString &topDir)
{
    return !topDir.isEmpty() && topDir != QLatin1String(".") && topDir != QLatin1String("..") &&
           !topDir.contains(QLatin1Char('/')) && !topDir.contains(QLatin1Char('\\')) && !topDir.contains(QChar(0));
}

// --- Output -----------------------------------------------------------------

// The archive's final bytes: written to the partial file and hashed on the way.
struct OutputSink
{
    int fd = -1;
    Sha256 hash;
    qint64 bytes = 0;
    int error = 0; // errno of the first failed write

    bool write(const char *data, size_t size)
    {
        hash.add(QByteArrayView(data, qsizetype(size)));
        while (size > 0) {
            const ssize_t written = ::write(fd, data, size);
            if (written < 0) {
                if (errno == EINTR)
                    continue;
                error = errno;
                return false;
            }
            data += written;
            size -= size_t(written);
            bytes += written;
        }
        return true;
    }
};

// Compresses the tar stream libarchive hands to the write callback. Used
// instead of libarchive's zstd filter; see docs/BENCHMARKS.md ("Packaging").
class ZstdStream
{
public:
    explicit ZstdStream(OutputSink &sink)
        : m_sink(sink)
        , m_out(ZSTD_CStreamOutSize())
    {
    }

    std::optional<QString> init(int level, int workers)
    {
        m_cctx.reset(ZSTD_createCCtx());
        if (!m_cctx)
            return QStringLiteral("cannot allocate the zstd compressor");
        if (ZSTD_isError(ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_compressionLevel, level)))
            return QStringLiteral("zstd rejects compression level %1").arg(level);
        ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_checksumFlag, 1);
        // Always at least one worker: zstd's multi-threaded output does not depend
        // on the number of workers, so archives are identical on any machine.
        // A libzstd built without threads refuses, and we compress inline.
        if (!ZSTD_isError(ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_nbWorkers, std::max(workers, 1))))
            ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_jobSize, kZstdJobSize);
        return std::nullopt;
    }

    bool push(const char *data, size_t size) { return drive(data, size, ZSTD_e_continue); }
    bool finish() { return drive(nullptr, 0, ZSTD_e_end); }
    const QString &error() const { return m_error; }

private:
    bool drive(const char *data, size_t size, ZSTD_EndDirective mode)
    {
        ZSTD_inBuffer in{data, size, 0};
        while (true) {
            ZSTD_outBuffer out{m_out.data(), m_out.size(), 0};
            const size_t remaining = ZSTD_compressStream2(m_cctx.get(), &out, &in, mode);
            if (ZSTD_isError(remaining)) {
                m_error = QString::fromLatin1(ZSTD_getErrorName(remaining));
                return false;
            }
            if (out.pos > 0 && !m_sink.write(m_out.data(), out.pos))
                return false;
            const bool done = mode == ZSTD_e_end ? remaining == 0 : in.pos == in.size;
            if (done)
                return true;
        }
    }

    OutputSink &m_sink;
    std::unique_ptr<ZSTD_CCtx, CCtxDeleter> m_cctx;
    std::vector<char> m_out;
    QString m_error;
};

struct WriteContext
{
    OutputSink sink;
    std::optional<ZstdStream> zstd;
    // Set on the first failed write, or when packaging is abandoned: from then
    // on bytes are dropped. The callback never reports the failure to
    // libarchive, because a writer in its FATAL state leaks its client and
    // compressor buffers at free() (3.6.2); the caller checks failed() instead.
    bool discard = false;

    bool failed() const { return sink.error != 0 || (zstd && !zstd->error().isEmpty()); }
};

la_ssize_t writeCallback(archive *, void *clientData, const void *buffer, size_t length)
{
    auto *context = static_cast<WriteContext *>(clientData);
    if (context->discard)
        return la_ssize_t(length);
    const char *data = static_cast<const char *>(buffer);
    const bool ok = context->zstd ? context->zstd->push(data, length) : context->sink.write(data, length);
    if (!ok)
        context->discard = true;
    return la_ssize_t(length);
}

// Owns ".<name>.partial": closed and removed on every path but a commit. Its lock
// (partialfiles.h) is held until then, so no other run takes it for a dead one's.
struct PartialFile
{
    QByteArray path;
    int fd = -1;
    int lockFd = -1;

    PartialFile() = default;
    PartialFile(const PartialFile &) = delete;
    PartialFile &operator=(const PartialFile &) = delete;
    ~PartialFile()
    {
        if (fd >= 0)
            ::close(fd);
        if (!path.isEmpty())
            ::unlink(path.constData());
        if (lockFd >= 0)
            ::close(lockFd);
    }
};

// Renames without ever replacing an existing file. renameat2(NOREPLACE) is
// atomic; file systems without it get link()+unlink(), which is too.
int renameNoReplace(const QByteArray &from, const QByteArray &to)
{
#ifdef RENAME_NOREPLACE
    if (::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return errno;
#endif
    if (::link(from.constData(), to.constData()) == 0) {
        ::unlink(from.constData());
        return 0;
    }
    if (errno == EEXIST)
        return EEXIST;
    // No hard links either (FAT, some network shares): check, then rename.
    struct stat info = {};
    if (::lstat(to.constData(), &info) == 0)
        return EEXIST;
    return ::rename(from.constData(), to.constData()) == 0 ? 0 : errno;
}

void syncDirectory(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// The error for a failed archive call: the disk, the compressor, or libarchive.
Error writeError(archive *a, const WriteContext &context, const QString &dir, const QString &partial)
{
    const int error = context.sink.error;
    if (isNoSpace(error))
        return {ErrorCode::NoSpace,
                QStringLiteral("The disk holding %1 is full: the archive could not be written after %2 (%3).")
                    .arg(QDir::toNativeSeparators(dir), byteSize(context.sink.bytes), errnoText(error))};
    if (error != 0)
        return {ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(partial, errnoText(error))};
    if (context.zstd && !context.zstd->error().isEmpty())
        return {ErrorCode::Archive, QStringLiteral("zstd compression failed: %1").arg(context.zstd->error())};
    const char *message = a ? archive_error_string(a) : nullptr;
    return {ErrorCode::Archive, QStringLiteral("cannot write the archive: %1")
                                    .arg(message ? QString::fromLocal8Bit(message) : QStringLiteral("unknown error"))};
}

Result<void>
configureWriter(archive *a, const PackageOptions &options, detail::ZstdEngine engine, WriteContext &context)
{
    const auto check = [a](int status, const char *what) -> Result<void> {
        if (status == ARCHIVE_OK)
            return {};
        const char *message = archive_error_string(a);
        return fail(ErrorCode::Archive, QStringLiteral("cannot set up the archive (%1): %2")
                                            .arg(QString::fromLatin1(what), message ? QString::fromLocal8Bit(message)
                                                                                    : QStringLiteral("unsupported")));
    };
    const int workers = options.threads > 0 ? options.threads : QThread::idealThreadCount();

    if (options.format == ArchiveFormat::Zip) {
        if (auto r = check(archive_write_set_format_zip(a), "zip"); !r)
            return r;
        if (auto r = check(archive_write_zip_set_compression_deflate(a), "deflate"); !r)
            return r;
        // Names are stored as UTF-8 with the zip "language encoding" flag,
        // whatever the process locale.
        if (auto r = check(archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8"), "zip:hdrcharset"); !r)
            return r;
        // No blocking: a zip has no record size, and the callback gets whole chunks.
        return check(archive_write_set_bytes_per_block(a, 0), "bytes per block");
    }

    if (auto r = check(archive_write_set_format_pax_restricted(a), "pax"); !r)
        return r;
    if (auto r = check(archive_write_set_format_option(a, "pax", "hdrcharset", "UTF-8"), "pax:hdrcharset"); !r)
        return r;
    if (engine == detail::ZstdEngine::LibArchiveFilter) {
        if (auto r = check(archive_write_add_filter_zstd(a), "zstd filter"); !r)
            return r;
        const QByteArray level = QByteArray::number(options.zstdLevel);
        if (auto r = check(archive_write_set_filter_option(a, "zstd", "compression-level", level.constData()),
                           "zstd:compression-level");
            !r)
            return r;
        const QByteArray threads = QByteArray::number(workers);
        return check(archive_write_set_filter_option(a, "zstd", "threads", threads.constData()), "zstd:threads");
    }

    context.zstd.emplace(context.sink);
    if (auto message = context.zstd->init(options.zstdLevel, workers))
        return fail(ErrorCode::Archive, *message);
    // The plain tar stream goes straight to the callback in whole chunks; the
    // end-of-archive marker is the usual two zero blocks, unpadded.
    return check(archive_write_set_bytes_per_block(a, 0), "bytes per block");
}

} // namespace

QString archiveExtension(ArchiveFormat format)
{
    switch (format) {
    case ArchiveFormat::TarZstd:
        return QStringLiteral("tar.zst");
    case ArchiveFormat::Zip:
        return QStringLiteral("zip");
    }
    return QString();
}

std::optional<ArchiveFormat> archiveFormatFromName(const QString &name)
{
    const QString key = name.trimmed().toLower();
    if (key == QLatin1String("tar.zst") || key == QLatin1String("tzst") || key == QLatin1String("tar.zstd") ||
        key == QLatin1String("zst") || key == QLatin1String("zstd"))
        return ArchiveFormat::TarZstd;
    if (key == QLatin1String("zip"))
        return ArchiveFormat::Zip;
    return std::nullopt;
}

Result<PackageResult>
packageDirectory(const QString &stagingDir, const QString &outputPath, const PackageOptions &options)
{
    return detail::packageDirectory(stagingDir, outputPath, options, detail::ZstdEngine::LibZstd);
}

Result<PackageResult> detail::packageDirectory(const QString &stagingDir,
                                               const QString &outputPath,
                                               const PackageOptions &options,
                                               ZstdEngine engine)
{
    const ScopedUtf8Ctype utf8Names; // outlives every libarchive object below
    // --- Preconditions, all checked before anything is created. ---
    const QFileInfo stagingInfo(stagingDir);
    if (!stagingInfo.isDir())
        return fail(ErrorCode::Io, QStringLiteral("the staging folder %1 does not exist").arg(stagingDir));
    if (outputPath.isEmpty())
        return fail(ErrorCode::Usage, QStringLiteral("no output file given"));
    const QFileInfo outputInfo(outputPath);
    const QString finalPath = outputInfo.absoluteFilePath();
    const QString outputDir = outputInfo.absolutePath();
    const QString topDir = options.topDir;
    if (!validTopDir(topDir))
        return fail(ErrorCode::Usage, QStringLiteral("invalid top folder name for the archive: \"%1\"").arg(topDir));
    if (options.format == ArchiveFormat::TarZstd && (options.zstdLevel < 1 || options.zstdLevel > ZSTD_maxCLevel()))
        return fail(ErrorCode::Usage,
                    QStringLiteral("zstd level %1 is outside 1..%2").arg(options.zstdLevel).arg(ZSTD_maxCLevel()));
    if (!QFileInfo(outputDir).isDir())
        return fail(ErrorCode::Io,
                    QStringLiteral("the output folder %1 does not exist").arg(QDir::toNativeSeparators(outputDir)));
    const QByteArray finalNative = QFile::encodeName(finalPath);
    struct stat existing = {};
    if (::lstat(finalNative.constData(), &existing) == 0)
        return fail(
            ErrorCode::Io,
            QStringLiteral("%1 already exists; it is not overwritten").arg(QDir::toNativeSeparators(finalPath)));

    std::vector<StagedEntry> entries;
    if (auto scanned = scanTree(QFile::encodeName(stagingInfo.absoluteFilePath()), QByteArray(), entries); !scanned)
        return tl::unexpected(scanned.error());
    std::sort(entries.begin(), entries.end(),
              [](const StagedEntry &a, const StagedEntry &b) { return a.path < b.path; });
    qint64 total = 0;
    for (const StagedEntry &entry : entries)
        total += entry.size;

    // Partial archives of runs that were killed while packaging: never finished,
    // never removed by their owner. Their space counts as free again.
    removeStalePartials(outputDir);
    const qint64 needed = total + kSpaceMargin;
    const qint64 available =
        options.freeSpace ? options.freeSpace(outputDir) : QStorageInfo(outputDir).bytesAvailable();
    if (available >= 0 && available < needed)
        return fail(ErrorCode::NoSpace,
                    QStringLiteral("Not enough free space in %1: the archive needs up to %2, but only %3 is available.")
                        .arg(QDir::toNativeSeparators(outputDir), byteSize(needed), byteSize(available)));
    if (isCancelled(options))
        return fail(ErrorCode::Cancelled, QStringLiteral("packaging was cancelled"));

    // --- The partial file. Declared before the writer, so on every early
    // return the writer is freed first and the file removed last. ---
    const QString partialPath = outputDir + QStringLiteral("/.") + outputInfo.fileName() + QStringLiteral(".partial");
    PartialFile partial;
    const QByteArray partialNative = QFile::encodeName(partialPath);
    removeStalePartial(partialPath); // left by a run of the same name that was killed
    partial.fd = ::open(partialNative.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (partial.fd < 0) {
        const int error = errno;
        if (error == EEXIST)
            return fail(
                ErrorCode::Io,
                QStringLiteral("%1 is being written by another run").arg(QDir::toNativeSeparators(partialPath)));
        return fail(
            isNoSpace(error) ? ErrorCode::NoSpace : ErrorCode::Io,
            QStringLiteral("cannot create %1: %2").arg(QDir::toNativeSeparators(partialPath), errnoText(error)));
    }
    partial.path = partialNative;
    partial.lockFd = lockPartialFile(partial.fd);
    ::fchmod(partial.fd, 0600); // whatever the umask

    WriteContext context;
    context.sink.fd = partial.fd;
    std::unique_ptr<archive, ArchiveWriteDeleter> writer(archive_write_new());
    std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
    if (!writer || !entry)
        return fail(ErrorCode::Internal, QStringLiteral("out of memory"));
    // On failure free() still closes the writer (see WriteContext::discard);
    // whatever it flushes then goes nowhere.
    const auto abandon = [&context]() { context.discard = true; };
    const auto written = [&context](bool status) { return status && !context.failed(); };

    if (auto configured = configureWriter(writer.get(), options, engine, context); !configured)
        return tl::unexpected(configured.error());
    if (!written(archive_write_open2(writer.get(), &context, nullptr, &writeCallback, nullptr, nullptr) ==
                 ARCHIVE_OK)) {
        abandon();
        return tl::unexpected(writeError(writer.get(), context, outputDir, partialPath));
    }

    const qint64 mtime = options.entryTime.isValid() ? options.entryTime.toSecsSinceEpoch() : kDefaultEntryTime;
    const QByteArray prefix = topDir.toUtf8() + '/';
    const QByteArray stagingNative = QFile::encodeName(stagingInfo.absoluteFilePath());
    std::unique_ptr<char[]> buffer(new char[kChunkSize]);
    qint64 done = 0;
    if (options.progress)
        options.progress(0, total);

    const auto writeHeader = [&](const QByteArray &name, bool directory, qint64 size) -> bool {
        archive_entry_clear(entry.get());
        archive_entry_set_pathname_utf8(entry.get(), name.constData());
        // Without any UTF-8 locale a non-ASCII name has no local form; store
        // the bytes as they are (pax marks them hdrcharset=BINARY).
        if (!archive_entry_pathname(entry.get()))
            archive_entry_copy_pathname(entry.get(), name.constData());
        archive_entry_set_filetype(entry.get(), directory ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(entry.get(), directory ? 0755 : 0644);
        archive_entry_set_size(entry.get(), directory ? 0 : size);
        archive_entry_set_uid(entry.get(), 0);
        archive_entry_set_gid(entry.get(), 0);
        archive_entry_set_mtime(entry.get(), time_t(mtime), 0);
        return written(archive_write_header(writer.get(), entry.get()) >= ARCHIVE_WARN);
    };

    if (!writeHeader(prefix, true, 0)) {
        abandon();
        return tl::unexpected(writeError(writer.get(), context, outputDir, partialPath));
    }
    for (const StagedEntry &staged : entries) {
        if (isCancelled(options)) {
            abandon();
            return fail(ErrorCode::Cancelled, QStringLiteral("packaging was cancelled"));
        }
        if (staged.directory) {
            if (!writeHeader(prefix + staged.path + '/', true, 0)) {
                abandon();
                return tl::unexpected(writeError(writer.get(), context, outputDir, partialPath));
            }
            continue;
        }

        const QByteArray source = stagingNative + '/' + staged.path;
        const int fd = ::open(source.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            const int error = errno;
            abandon();
            return fail(ErrorCode::Io,
                        QStringLiteral("cannot read %1: %2").arg(QFile::decodeName(source), errnoText(error)));
        }
        const UniqueFd closer(fd);
        struct stat info = {};
        if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode))
            continue; // replaced by something that is not a regular file since the scan
#ifdef POSIX_FADV_SEQUENTIAL
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
        const qint64 size = info.st_size;
        if (!writeHeader(prefix + staged.path, false, size)) {
            abandon();
            return tl::unexpected(writeError(writer.get(), context, outputDir, partialPath));
        }
        qint64 remaining = size;
        while (remaining > 0) {
            if (isCancelled(options)) {
                abandon();
                return fail(ErrorCode::Cancelled, QStringLiteral("packaging was cancelled"));
            }
            const ssize_t got = ::read(fd, buffer.get(), size_t(std::min<qint64>(remaining, qint64(kChunkSize))));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                const int error = got < 0 ? errno : 0;
                abandon();
                return fail(
                    ErrorCode::Io,
                    got < 0 ? QStringLiteral("cannot read %1: %2").arg(QFile::decodeName(source), errnoText(error))
                            : QStringLiteral("%1 became shorter while it was packaged").arg(QFile::decodeName(source)));
            }
            if (!written(archive_write_data(writer.get(), buffer.get(), size_t(got)) == got)) {
                abandon();
                return tl::unexpected(writeError(writer.get(), context, outputDir, partialPath));
            }
            remaining -= got;
            // The total is the scanned size; a file that grew since is capped there.
            done = std::min(done + got, total);
            if (options.progress)
                options.progress(done, total);
        }
        if (!written(archive_write_finish_entry(writer.get()) >= ARCHIVE_WARN)) {
            abandon();
            return tl::unexpected(writeError(writer.get(), context, outputDir, partialPath));
        }
    }

    if (!written(archive_write_close(writer.get()) == ARCHIVE_OK) || (context.zstd && !context.zstd->finish())) {
        abandon();
        return tl::unexpected(writeError(writer.get(), context, outputDir, partialPath));
    }
    writer.reset();

    if (::fsync(partial.fd) != 0 || ::close(std::exchange(partial.fd, -1)) != 0) {
        const int error = errno;
        if (isNoSpace(error))
            return fail(ErrorCode::NoSpace,
                        QStringLiteral("The disk holding %1 is full: the archive could not be written (%2).")
                            .arg(QDir::toNativeSeparators(outputDir), errnoText(error)));
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(partialPath, errnoText(error)));
    }
    if (options.progress)
        options.progress(total, total);

    if (options.beforeCommit) {
        if (auto checked = options.beforeCommit(partialPath); !checked)
            return tl::unexpected(checked.error());
    }
    if (isCancelled(options))
        return fail(ErrorCode::Cancelled, QStringLiteral("packaging was cancelled"));

    if (const int error = renameNoReplace(partialNative, finalNative); error != 0) {
        if (error == EEXIST)
            return fail(
                ErrorCode::Io,
                QStringLiteral("%1 already exists; it is not overwritten").arg(QDir::toNativeSeparators(finalPath)));
        return fail(ErrorCode::Io, QStringLiteral("cannot move the archive into place as %1: %2")
                                       .arg(QDir::toNativeSeparators(finalPath), errnoText(error)));
    }
    partial.path.clear(); // committed: nothing left to remove
    syncDirectory(outputDir);

    PackageResult result;
    result.path = finalPath;
    result.bytes = context.sink.bytes;
    result.sha256 = context.sink.hash.hex();
    return result;
}

// --- Verification -------------------------------------------------------------

Result<VerifyReport> verifyArchive(const QString &archivePath)
{
    const ScopedUtf8Ctype utf8Names;
    const QString shown = QDir::toNativeSeparators(archivePath);
    std::unique_ptr<archive, ArchiveReadDeleter> reader(archive_read_new());
    if (!reader)
        return fail(ErrorCode::Internal, QStringLiteral("out of memory"));
    archive_read_support_filter_all(reader.get());
    archive_read_support_format_all(reader.get());
    const auto readError = [&reader, &shown](const QString &what) {
        const char *message = archive_error_string(reader.get());
        return fail(ErrorCode::Verification,
                    QStringLiteral("%1 %2: %3")
                        .arg(shown, what, message ? QString::fromLocal8Bit(message) : QStringLiteral("unknown error")));
    };
    if (archive_read_open_filename(reader.get(), QFile::encodeName(archivePath).constData(), 64 * 1024) != ARCHIVE_OK)
        return readError(QStringLiteral("cannot be read as an archive"));

    struct Found
    {
        QByteArray sha256;
        qint64 bytes = 0;
    };
    QHash<QString, Found> found;
    QStringList extras;
    QStringList duplicates;
    std::optional<QByteArray> manifestJson;
    bool manifestTooLarge = false;
    QString topDir;
    int headers = 0;
    VerifyReport report;
    std::unique_ptr<char[]> buffer(new char[kChunkSize]);

    while (true) {
        archive_entry *entry = nullptr;
        const int status = archive_read_next_header(reader.get(), &entry);
        if (status == ARCHIVE_EOF)
            break;
        if (status < ARCHIVE_WARN)
            return readError(headers == 0 ? QStringLiteral("is not a readable archive") : QStringLiteral("is damaged"));
        ++headers;
        const char *utf8 = archive_entry_pathname_utf8(entry);
        const char *raw = utf8 ? utf8 : archive_entry_pathname(entry);
        QString name = raw ? QString::fromUtf8(raw) : QString();
        while (name.endsWith(QLatin1Char('/')))
            name.chop(1);
        const qsizetype slash = name.indexOf(QLatin1Char('/'));
        const QString head = slash < 0 ? name : name.left(slash);
        const QString relative = slash < 0 ? QString() : name.mid(slash + 1);
        if (topDir.isEmpty())
            topDir = head;
        const bool outsideTop = head != topDir || name.isEmpty();
        const auto type = archive_entry_filetype(entry);

        if (type == AE_IFDIR) {
            if (outsideTop)
                extras.append(name + QLatin1Char('/'));
            continue;
        }
        const QString key = outsideTop ? name : relative;
        if (outsideTop || relative.isEmpty()) {
            extras.append(name);
            continue;
        }
        if (type != AE_IFREG) {
            extras.append(key + QStringLiteral(" (not a regular file)"));
            continue;
        }

        const bool isManifest = key == QLatin1String(Manifest::kFileName);
        Sha256 hash;
        QByteArray manifestBytes;
        qint64 bytes = 0;
        while (true) {
            const la_ssize_t got = archive_read_data(reader.get(), buffer.get(), kChunkSize);
            if (got == 0)
                break;
            if (got < 0)
                return readError(QStringLiteral("is damaged (in %1)").arg(name));
            hash.add(QByteArrayView(buffer.get(), qsizetype(got)));
            bytes += got;
            if (isManifest) {
                if (bytes <= kMaxManifestBytes)
                    manifestBytes.append(buffer.get(), qsizetype(got));
                else
                    manifestTooLarge = true;
            }
        }
        ++report.entries;
        if (found.contains(key))
            duplicates.append(key);
        found.insert(key, Found{hash.hex(), bytes});
        if (isManifest)
            manifestJson = manifestBytes;
    }
    if (headers == 0)
        return fail(ErrorCode::Verification, QStringLiteral("%1 is empty or not an archive").arg(shown));

    for (const QString &key : std::as_const(duplicates))
        report.problems.append(QStringLiteral("duplicate: ") + key);
    if (!manifestJson) {
        report.problems.append(QStringLiteral("missing: ") + QLatin1String(Manifest::kFileName));
    } else if (manifestTooLarge) {
        report.problems.append(QStringLiteral("invalid: %1 is larger than %2")
                                   .arg(QLatin1String(Manifest::kFileName), byteSize(kMaxManifestBytes)));
    } else if (auto parsed = Manifest::fromJson(*manifestJson); !parsed) {
        report.problems.append(QStringLiteral("invalid: ") + parsed.error().message);
    } else {
        report.manifest = *parsed;
        QSet<QString> listed;
        for (const FileEntry &file : report.manifest.allFiles()) {
            listed.insert(file.path);
            const auto it = found.constFind(file.path);
            if (it == found.constEnd())
                report.problems.append(QStringLiteral("missing: ") + file.path);
            else if (it->sha256 != file.sha256.toLower() || it->bytes != file.bytes)
                report.problems.append(QStringLiteral("modified: ") + file.path);
        }
        QStringList unlisted;
        for (auto it = found.cbegin(); it != found.cend(); ++it)
            if (it.key() != QLatin1String(Manifest::kFileName) && !listed.contains(it.key()))
                unlisted.append(it.key());
        extras.append(unlisted);
    }
    extras.sort();
    for (const QString &extra : std::as_const(extras))
        report.problems.append(QStringLiteral("extra: ") + extra);
    report.intact = report.problems.isEmpty();
    return report;
}

} // namespace dc::core
