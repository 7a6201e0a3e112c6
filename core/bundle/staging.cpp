// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/staging.h"

#include "core/util/paths.h"
#include "core/util/processidentity.h"
#include "core/util/safefs.h"
#include "core/util/sha256.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QRandomGenerator>
#include <QStorageInfo>
#include <utility>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace dc::core {

namespace {

constexpr auto kMarkerSuffix = ".owner";
// Beside a folder kept on purpose (--keep-staging): its owner has ended, and it stays.
constexpr auto kKeptSuffix = ".kept";

QString megabytes(qint64 bytes) { return QStringLiteral("%1 MB").arg(double(bytes) / 1e6, 0, 'f', 1); }

// First failed write per staging folder, shared by every StagedFile writing into it
// (collector threads, the redactor): the run asks its Staging afterwards.
QMutex s_writeFailuresLock;
QHash<QString, QString> s_writeFailures;

void recordWriteFailure(const QString &stagingDir, const QString &message)
{
    const QMutexLocker lock(&s_writeFailuresLock);
    const QString key = QDir::cleanPath(stagingDir);
    if (!s_writeFailures.contains(key))
        s_writeFailures.insert(key, message);
}

// An existing staging root must be this user's own (root's, for root, with every
// folder above it root's too) and closed to others: staging holds the collected
// data before redaction, and its folders are removed again.
Result<void> checkStagingRoot(const QString &root)
{
#ifdef Q_OS_UNIX
    const QString absolute = QDir::cleanPath(QFileInfo(root).absoluteFilePath());
    const quint32 self = safefs::effectiveUid();
    auto dir = self == 0 ? safefs::openTrustedDir(absolute, safefs::Trust{}) : safefs::openDir(absolute);
    if (!dir)
        return fail(ErrorCode::Io,
                    QStringLiteral("refusing the staging folder %1: %2").arg(absolute, dir.error().message));
    auto st = safefs::fstatFd(dir->get());
    if (!st)
        return tl::unexpected(st.error());
    if (st->uid != self || st->writableByOthers())
        return fail(ErrorCode::Io, QStringLiteral("refusing the staging folder %1: it must be owned by %2 and not "
                                                  "writable by others (it is owned by %3, mode %4)")
                                       .arg(absolute, safefs::describeUid(self), safefs::describeUid(st->uid))
                                       .arg(st->mode & 07777, 4, 8, QLatin1Char('0')));
#else
    Q_UNUSED(root);
#endif
    return {};
}

} // namespace

bool makePrivateDirs(const QString &dir)
{
    if (QFileInfo(dir).isDir())
        return true;
    const QString parent = QFileInfo(dir).absolutePath();
    if (parent != dir && !makePrivateDirs(parent))
        return false;
#ifdef Q_OS_UNIX
    if (::mkdir(QFile::encodeName(dir).constData(), 0700) != 0 && errno != EEXIST)
        return false;
    return true;
#else
    return QDir().mkdir(dir) || QFileInfo(dir).isDir();
#endif
}

bool removeTree(const QString &dir)
{
    // By descriptor: a symlink inside (or swapped in) is removed as a link, never followed.
    return safefs::removeTree(QDir::cleanPath(QFileInfo(dir).absoluteFilePath())).has_value();
}

QByteArray sha256OfFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    Sha256 hash;
    QByteArray buffer(256 * 1024, Qt::Uninitialized);
    qint64 n = 0;
    while ((n = file.read(buffer.data(), buffer.size())) > 0)
        hash.add(QByteArrayView(buffer.constData(), n));
    return n < 0 ? QByteArray() : hash.hex();
}

Staging::Staging(QString path, QString marker)
    : m_path(std::move(path))
    , m_marker(std::move(marker))
{
}

Staging::~Staging()
{
    if (!m_keep) {
        remove();
        return;
    }
    if (m_path.isEmpty())
        return;
    // The kept marker first, then the owner's: there is no moment in which the
    // folder looks like a dead run's (a marker naming a process that is gone).
    QFile kept(m_path + QLatin1String(kKeptSuffix));
    if (kept.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        kept.write("kept " + QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toLatin1() + '\n');
        kept.close();
        QFile::remove(m_marker);
    }
    const QMutexLocker lock(&s_writeFailuresLock);
    s_writeFailures.remove(QDir::cleanPath(m_path));
}

void Staging::remove()
{
    if (m_path.isEmpty())
        return;
    removeTree(m_path);
    QFile::remove(m_marker);
    {
        const QMutexLocker lock(&s_writeFailuresLock);
        s_writeFailures.remove(QDir::cleanPath(m_path));
    }
    m_path.clear();
}

QString Staging::writeFailure() const
{
    const QMutexLocker lock(&s_writeFailuresLock);
    return s_writeFailures.value(QDir::cleanPath(m_path));
}

Result<std::unique_ptr<Staging>> Staging::create(const QString &requestedRoot, qint64 requiredFreeBytes)
{
    const QString root = requestedRoot.isEmpty() ? paths::stagingRoot() : requestedRoot;
    if (!makePrivateDirs(root))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the staging folder %1").arg(root));
    if (auto checked = checkStagingRoot(root); !checked)
        return tl::unexpected(checked.error());
    removeStale(root);
    // Checked after the stale runs are gone: their space is free again.
    const qint64 available = QStorageInfo(root).bytesAvailable();
    if (available >= 0 && available < requiredFreeBytes)
        return fail(ErrorCode::NoSpace,
                    QStringLiteral("Not enough free space in the staging folder %1: a run needs at least %2, but only "
                                   "%3 is available.")
                        .arg(QDir::toNativeSeparators(root), megabytes(requiredFreeBytes), megabytes(available)));

    const qint64 pid = QCoreApplication::applicationPid();
    for (int attempt = 0; attempt < 16; ++attempt) {
        const QString name = QStringLiteral("run-%1-%2-%3")
                                 .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddThhmmss")))
                                 .arg(pid)
                                 .arg(QRandomGenerator::system()->generate() & 0xffffff, 6, 16, QLatin1Char('0'));
        const QString path = root + QLatin1Char('/') + name;
#ifdef Q_OS_UNIX
        // mkdir with 0700 is atomic: no window in which the folder is readable by others.
        if (::mkdir(QFile::encodeName(path).constData(), 0700) != 0) {
            if (errno == EEXIST)
                continue;
            return fail(ErrorCode::Io,
                        QStringLiteral("cannot create %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
        }
#else
        if (!QDir().mkdir(path))
            continue;
#endif
        const QString marker = path + QLatin1String(kMarkerSuffix);
        QFile markerFile(marker);
        if (!markerFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            QDir().rmdir(path);
            return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(marker, markerFile.errorString()));
        }
        markerFile.write(QByteArray::number(pid) + ' ' + processidentity::startTime(pid) + '\n');
        markerFile.close();
        return std::unique_ptr<Staging>(new Staging(path, marker));
    }
    return fail(ErrorCode::Io, QStringLiteral("cannot create a unique staging folder in %1").arg(root));
}

int Staging::removeStale(const QString &requestedRoot)
{
    const QString root = requestedRoot.isEmpty() ? paths::stagingRoot() : requestedRoot;
    int removed = 0;
    const QFileInfoList entries = QDir(root).entryInfoList(
        {QStringLiteral("run-*")}, QDir::Dirs | QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QFileInfo &entry : entries) {
        // The kept marker of a folder the user has removed by hand goes too.
        if (entry.fileName().endsWith(QLatin1String(kKeptSuffix)) && !entry.isSymLink() && entry.isFile()) {
            const QString folder = entry.absoluteFilePath().chopped(QLatin1String(kKeptSuffix).size());
            if (!QFileInfo(folder).exists() && !QFileInfo(folder).isSymLink())
                QFile::remove(entry.absoluteFilePath());
            continue;
        }
        if (!entry.isDir() || entry.isSymLink())
            continue;
        if (QFileInfo::exists(entry.absoluteFilePath() + QLatin1String(kKeptSuffix)))
            continue; // kept on purpose (--keep-staging): removed by its user, never by us
        const QString marker = entry.absoluteFilePath() + QLatin1String(kMarkerSuffix);
        QFile markerFile(marker);
        qint64 pid = 0;
        QByteArray startTime;
        if (markerFile.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> fields = markerFile.readAll().trimmed().split(' ');
            pid = fields.value(0).toLongLong();
            startTime = fields.value(1);
        }
        // A folder without a marker is only removed when it is old: its owner may be
        // between mkdir and writing the marker.
        const bool orphanWithoutMarker =
            !markerFile.exists() && entry.lastModified().secsTo(QDateTime::currentDateTime()) > 60;
        if ((markerFile.exists() && !processidentity::isAlive(pid, startTime)) || orphanWithoutMarker) {
            removeTree(entry.absoluteFilePath());
            QFile::remove(marker);
            ++removed;
        }
    }
    return removed;
}

int Staging::removeDeadRuns()
{
    const QString root = paths::stagingRoot();
    if (!QFileInfo(root).isDir() || !checkStagingRoot(root))
        return 0;
    int removed = removeStale(root);
    // Where pack writes its redacted copies (core/run/repack).
    const QString packRoot = root + QStringLiteral("/pack");
    if (QFileInfo(packRoot).isDir() && !QFileInfo(packRoot).isSymLink())
        removed += removeStale(packRoot);
    return removed;
}

StagedFile::StagedFile(QString stagingDir, QString absolutePath, QString relativePath)
    :
#ifndef Q_OS_UNIX
    m_file(absolutePath)
    ,
#endif
    m_stagingDir(std::move(stagingDir))
    , m_absolutePath(std::move(absolutePath))
    , m_relativePath(std::move(relativePath))
{
}

StagedFile::~StagedFile() { close(); }

Result<std::unique_ptr<StagedFile>> StagedFile::create(const QString &stagingDir, const QString &relativePath)
{
    const QString clean = QDir::cleanPath(relativePath);
    if (clean.isEmpty() || clean.startsWith(QLatin1String("../")) || clean == QLatin1String("..") ||
        QDir::isAbsolutePath(clean))
        return fail(ErrorCode::Internal, QStringLiteral("staged path escapes staging: %1").arg(relativePath));
    const QString absolute = stagingDir + QLatin1Char('/') + clean;
    if (!makePrivateDirs(QFileInfo(absolute).absolutePath())) {
#ifdef Q_OS_UNIX
        const QString message = QStringLiteral("cannot create folder for %1 in the staging folder %2: %3")
                                    .arg(clean, stagingDir, QString::fromLocal8Bit(strerror(errno)));
#else
        const QString message =
            QStringLiteral("cannot create folder for %1 in the staging folder %2").arg(clean, stagingDir);
#endif
        recordWriteFailure(stagingDir, message);
        return fail(ErrorCode::Io, message);
    }
    std::unique_ptr<StagedFile> staged(new StagedFile(stagingDir, absolute, clean));
#ifdef Q_OS_UNIX
    do {
        staged->m_fd =
            ::open(QFile::encodeName(absolute).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    } while (staged->m_fd < 0 && errno == EINTR);
    if (staged->m_fd < 0) {
        const int error = errno;
        const QString message = QStringLiteral("cannot create %1 in the staging folder %2: %3")
                                    .arg(clean, stagingDir, QString::fromLocal8Bit(strerror(error)));
        if (error == ENOSPC || error == EDQUOT)
            recordWriteFailure(stagingDir, message);
        return fail(error == ENOSPC || error == EDQUOT ? ErrorCode::NoSpace : ErrorCode::Io, message);
    }
#else
    if (!staged->m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Unbuffered))
        return fail(ErrorCode::Io, QStringLiteral("cannot create %1: %2").arg(clean, staged->m_file.errorString()));
    staged->m_file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
#endif
    return staged;
}

bool StagedFile::failed(const QString &reason)
{
    m_error = reason;
    recordWriteFailure(m_stagingDir, QStringLiteral("cannot write to the staging folder %1 (%2): %3")
                                         .arg(QDir::toNativeSeparators(m_stagingDir), m_relativePath, reason));
    return false;
}

bool StagedFile::write(const char *data, qint64 size)
{
    if (size <= 0)
        return true;
    qint64 done = 0;
#ifdef Q_OS_UNIX
    if (m_fd < 0)
        return failed(m_error.isEmpty() ? QStringLiteral("the file is closed") : m_error);
    // A full disk first shows as a short write; the next write says why (ENOSPC).
    while (done < size) {
        const ssize_t n = ::write(m_fd, data + done, size_t(size - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failed(QString::fromLocal8Bit(strerror(errno)));
        }
        if (n == 0)
            return failed(QString::fromLocal8Bit(strerror(ENOSPC)));
        m_hash.add(QByteArrayView(data + done, n));
        done += n;
        m_bytes += n;
    }
#else
    while (done < size) {
        const qint64 n = m_file.write(data + done, size - done);
        if (n <= 0)
            return failed(m_file.error() == QFileDevice::NoError ? QStringLiteral("the disk is full")
                                                                 : m_file.errorString());
        m_hash.add(QByteArrayView(data + done, n));
        done += n;
        m_bytes += n;
    }
#endif
    return true;
}

void StagedFile::close()
{
#ifdef Q_OS_UNIX
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
#else
    m_file.close();
#endif
}

Result<FileEntry> StagedFile::finish(const QString &source, Status status, const QString &reason)
{
#ifdef Q_OS_UNIX
    // close() is where some file systems (NFS, quotas) report that data did not fit.
    const int fd = std::exchange(m_fd, -1);
    if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) {
        failed(QString::fromLocal8Bit(strerror(errno)));
        const QString message =
            QStringLiteral("cannot write %1 in the staging folder %2: %3").arg(m_relativePath, m_stagingDir, m_error);
        discard();
        return fail(ErrorCode::Io, message);
    }
#else
    if (!m_file.flush()) {
        failed(m_file.errorString());
        const QString message = QStringLiteral("cannot write %1: %2").arg(m_relativePath, m_error);
        discard();
        return fail(ErrorCode::Io, message);
    }
    m_file.close();
#endif
    FileEntry entry;
    entry.path = m_relativePath;
    entry.source = source;
    entry.bytes = m_bytes;
    entry.sha256 = m_hash.hex();
    entry.status = status;
    entry.reason = reason;
    return entry;
}

void StagedFile::discard()
{
    close();
    QFile::remove(m_absolutePath);
}

} // namespace dc::core
