// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/safefs.h"

#include "core/util/filenames.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStringList>

#ifdef Q_OS_WIN
#include <QHash>
#include <QMutex>
#include <cerrno>
#include <fcntl.h>
#include <io.h>
#include <string>
#include <sys/stat.h>
#include <windows.h>
#else
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace dc::core::safefs {

QString parentOf(const QString &absolutePath)
{
    const QString clean = QDir::cleanPath(absolutePath);
    const qsizetype slash = clean.lastIndexOf(QLatin1Char('/'));
    if (slash <= 0)
        return QStringLiteral("/");
    return clean.left(slash);
}

QString nameOf(const QString &absolutePath)
{
    const QString clean = QDir::cleanPath(absolutePath);
    return clean.mid(clean.lastIndexOf(QLatin1Char('/')) + 1);
}

bool isNormalizedRelative(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.contains(QLatin1Char('\\')) ||
        QDir::isAbsolutePath(path) || path.contains(QLatin1Char('\0')))
        return false;
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const QString &part : parts)
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
    return true;
}

QByteArray Stat::identity() const { return QByteArray::number(dev) + ':' + QByteArray::number(ino); }

#ifndef Q_OS_WIN

namespace {

QString errnoText(int error) { return QString::fromLocal8Bit(std::strerror(error)); }

// Reversible for names that are not UTF-8 (core/util/filenames.h).
QByteArray encode(const QString &name) { return encodeFileName(name); }

bool isOneComponent(const QString &name)
{
    return !name.isEmpty() && !name.contains(QLatin1Char('/')) && name != QLatin1String(".") &&
           name != QLatin1String("..");
}

Stat toStat(const struct stat &st)
{
    Stat s;
    s.uid = st.st_uid;
    s.gid = st.st_gid;
    s.mode = st.st_mode;
    s.nlink = st.st_nlink;
    s.size = st.st_size;
    s.dev = st.st_dev;
    s.ino = st.st_ino;
    s.mtimeMs = qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    return s;
}

// Folders on the way are opened for traversal only: O_PATH needs no read
// permission (a 0711 home), and the descriptor still anchors the *at() calls.
#ifdef O_PATH
constexpr int kDirFlags = O_PATH | O_DIRECTORY;
#else
constexpr int kDirFlags = O_RDONLY | O_DIRECTORY;
#endif

int openAtRetry(int dirFd, const char *name, int flags, mode_t mode = 0)
{
    int fd = -1;
    do {
        fd = ::openat(dirFd, name, flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

// Why opening a component failed, in words: a symlink is named as such.
QString describeOpenFailure(int dirFd, const QByteArray &name, const QString &shown, int error)
{
    struct stat st = {};
    if ((error == ELOOP || error == ENOTDIR || error == EMLINK) &&
        ::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        return QStringLiteral("%1 is a symbolic link (not followed)").arg(shown);
    if (error == ENOTDIR)
        return QStringLiteral("%1 is not a folder").arg(shown);
    if (error == ENOENT)
        return QStringLiteral("%1 does not exist").arg(shown);
    return QStringLiteral("cannot open %1: %2").arg(shown, errnoText(error));
}

QString modeText(quint32 mode) { return QStringLiteral("%1").arg(mode & 07777, 4, 8, QLatin1Char('0')); }

// The trust check of one folder in a walk. next: the owner of the entry below
// it (for the sticky exception), or nullopt for the last folder.
QString untrustedReason(const QString &shown, const Stat &st, const Trust &trust, std::optional<quint32> nextOwner)
{
    if (!trust.trusts(st.uid))
        return QStringLiteral("%1 is owned by %2").arg(shown, describeUid(st.uid));
    if (st.writableByOthers()) {
        // /tmp: others may add entries but not rename or replace one that is not theirs.
        const bool stickyOk = st.sticky() && nextOwner && trust.trusts(*nextOwner);
        if (!stickyOk)
            return QStringLiteral("%1 can be changed by other users (mode %2)").arg(shown, modeText(st.mode));
    }
    return {};
}

} // namespace

Fd &Fd::operator=(Fd &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.release();
    }
    return *this;
}

Fd::~Fd()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool Stat::isRegular() const { return S_ISREG(mode); }
bool Stat::isDirectory() const { return S_ISDIR(mode); }
// Group root (gid 0) is as privileged as root: its write bit is no door for others.
bool Stat::writableByOthers() const { return (mode & S_IWOTH) != 0 || ((mode & S_IWGRP) != 0 && gid != 0); }
bool Stat::sticky() const { return (mode & S_ISVTX) != 0; }

Result<Stat> fstatFd(int fd)
{
    struct stat st = {};
    if (::fstat(fd, &st) != 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot stat: %1").arg(errnoText(errno)));
    return toStat(st);
}

QString describeUid(quint32 uid)
{
    if (uid == 0)
        return QStringLiteral("root");
    struct passwd pwd = {};
    struct passwd *found = nullptr;
    char buffer[4096];
    if (::getpwuid_r(uid_t(uid), &pwd, buffer, sizeof buffer, &found) == 0 && found)
        return QStringLiteral("%1 (uid %2)").arg(QString::fromLocal8Bit(found->pw_name)).arg(uid);
    return QStringLiteral("uid %1").arg(uid);
}

std::optional<quint32> uidOfAccount(const QString &name)
{
    if (name.isEmpty())
        return std::nullopt;
    struct passwd pwd = {};
    struct passwd *found = nullptr;
    char buffer[4096];
    if (::getpwnam_r(name.toLocal8Bit().constData(), &pwd, buffer, sizeof buffer, &found) == 0 && found)
        return quint32(found->pw_uid);
    return std::nullopt;
}

quint32 effectiveUid() { return quint32(::geteuid()); }

namespace {

// The walk behind openDir and openTrustedDir; trust null: no ownership checks.
Result<Fd> walkDirs(const QString &absolutePath, const Trust *trust)
{
    const QString clean = QDir::cleanPath(absolutePath);
    if (!clean.startsWith(QLatin1Char('/')))
        return fail(ErrorCode::Internal, QStringLiteral("not an absolute path: %1").arg(absolutePath));
    Fd current(openAtRetry(AT_FDCWD, "/", kDirFlags));
    if (!current.valid())
        return fail(ErrorCode::Io, QStringLiteral("cannot open /: %1").arg(errnoText(errno)));
    QString shown = QStringLiteral("/");
    auto currentStat = fstatFd(current.get());
    if (!currentStat)
        return tl::unexpected(currentStat.error());
    const QStringList parts = clean.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QByteArray name = encode(part);
        const QString childShown =
            shown.endsWith(QLatin1Char('/')) ? QString(shown + part) : QString(shown + QLatin1Char('/') + part);
        Fd child(openAtRetry(current.get(), name.constData(), kDirFlags | O_NOFOLLOW));
        if (!child.valid())
            return fail(ErrorCode::Io, describeOpenFailure(current.get(), name, childShown, errno));
        auto childStat = fstatFd(child.get());
        if (!childStat)
            return tl::unexpected(childStat.error());
        if (trust) {
            if (const QString why = untrustedReason(shown, *currentStat, *trust, childStat->uid); !why.isEmpty())
                return fail(ErrorCode::Io, why);
        }
        current = std::move(child);
        currentStat = childStat;
        shown = childShown;
    }
    if (trust) {
        if (const QString why = untrustedReason(shown, *currentStat, *trust, std::nullopt); !why.isEmpty())
            return fail(ErrorCode::Io, why);
    }
    return current;
}

} // namespace

Result<Fd> openDir(const QString &absolutePath) { return walkDirs(absolutePath, nullptr); }

Result<QString> resolveTrustedLinks(const QString &absolutePath)
{
    if (!absolutePath.startsWith(QLatin1Char('/')))
        return fail(ErrorCode::Internal, QStringLiteral("not an absolute path: %1").arg(absolutePath));
    QStringList pending = absolutePath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString resolved; // "" is "/"
    int hops = 0;
    while (!pending.isEmpty()) {
        const QString part = pending.takeFirst();
        if (part == QLatin1String("."))
            continue;
        if (part == QLatin1String("..")) {
            resolved = resolved.left(qMax<qsizetype>(0, resolved.lastIndexOf(QLatin1Char('/'))));
            continue;
        }
        const QString next = resolved + QLatin1Char('/') + part;
        struct stat st = {};
        if (::lstat(encode(next).constData(), &st) != 0) {
            pending.prepend(part);
            return resolved + QLatin1Char('/') + pending.join(QLatin1Char('/'));
        }
        if (!S_ISLNK(st.st_mode)) {
            resolved = next;
            continue;
        }
        struct stat folder = {};
        const QString folderPath = resolved.isEmpty() ? QStringLiteral("/") : resolved;
        if (::lstat(encode(folderPath).constData(), &folder) != 0)
            return fail(ErrorCode::Io, QStringLiteral("cannot inspect %1: %2").arg(folderPath, errnoText(errno)));
        const bool folderTrusted =
            folder.st_uid == 0 && (!toStat(folder).writableByOthers() || (folder.st_mode & S_ISVTX) != 0);
        if (st.st_uid != 0 || !folderTrusted)
            return fail(
                ErrorCode::Io,
                QStringLiteral("%1 is a symbolic link owned by %2 (not followed)").arg(next, describeUid(st.st_uid)));
        if (++hops > 40)
            return fail(ErrorCode::Io, QStringLiteral("%1: too many levels of symbolic links").arg(absolutePath));
        QByteArray target(4096, Qt::Uninitialized);
        const ssize_t n = ::readlink(encode(next).constData(), target.data(), size_t(target.size()));
        if (n < 0 || n >= target.size())
            return fail(ErrorCode::Io, QStringLiteral("cannot read the link %1").arg(next));
        target.truncate(qsizetype(n));
        const QString text = decodeFileName(target);
        if (text.startsWith(QLatin1Char('/')))
            resolved.clear();
        pending = text.split(QLatin1Char('/'), Qt::SkipEmptyParts) + pending;
    }
    return resolved.isEmpty() ? QStringLiteral("/") : resolved;
}

Result<Fd> openTrustedDir(const QString &absolutePath, const Trust &trust) { return walkDirs(absolutePath, &trust); }

Result<Fd> openDirAt(int dirFd, const QString &relativePath)
{
    if (!isNormalizedRelative(relativePath))
        return fail(ErrorCode::Usage, QStringLiteral("not a plain relative path: %1").arg(relativePath));
    Fd current(::fcntl(dirFd, F_DUPFD_CLOEXEC, 0));
    if (!current.valid())
        return fail(ErrorCode::Io, QStringLiteral("cannot duplicate a descriptor: %1").arg(errnoText(errno)));
    QString shown;
    for (const QString &part : relativePath.split(QLatin1Char('/'))) {
        shown = shown.isEmpty() ? part : shown + QLatin1Char('/') + part;
        const QByteArray name = encode(part);
        Fd child(openAtRetry(current.get(), name.constData(), kDirFlags | O_NOFOLLOW));
        if (!child.valid())
            return fail(ErrorCode::Io, describeOpenFailure(current.get(), name, shown, errno));
        current = std::move(child);
    }
    return current;
}

Result<Fd> makeDirsAt(int dirFd, const QString &relativePath, quint32 mode)
{
    if (!isNormalizedRelative(relativePath))
        return fail(ErrorCode::Usage, QStringLiteral("not a plain relative path: %1").arg(relativePath));
    Fd current(::fcntl(dirFd, F_DUPFD_CLOEXEC, 0));
    if (!current.valid())
        return fail(ErrorCode::Io, QStringLiteral("cannot duplicate a descriptor: %1").arg(errnoText(errno)));
    QString shown;
    for (const QString &part : relativePath.split(QLatin1Char('/'))) {
        shown = shown.isEmpty() ? part : shown + QLatin1Char('/') + part;
        const QByteArray name = encode(part);
        if (::mkdirat(current.get(), name.constData(), mode_t(mode)) != 0 && errno != EEXIST)
            return fail(ErrorCode::Io, QStringLiteral("cannot create %1: %2").arg(shown, errnoText(errno)));
        Fd child(openAtRetry(current.get(), name.constData(), kDirFlags | O_NOFOLLOW));
        if (!child.valid())
            return fail(ErrorCode::Io, describeOpenFailure(current.get(), name, shown, errno));
        current = std::move(child);
    }
    return current;
}

namespace {

Result<OpenedFile> openRegularShown(int dirFd, const QString &name, const QString &shown, int *errnoOut)
{
    if (errnoOut)
        *errnoOut = 0;
    if (!isOneComponent(name))
        return fail(ErrorCode::Internal, QStringLiteral("not a file name: %1").arg(name));
    const QByteArray native = encode(name);
    OpenedFile file;
    file.fd = Fd(openAtRetry(dirFd, native.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
    if (!file.fd.valid()) {
        const int error = errno;
        if (errnoOut)
            *errnoOut = error;
        return fail(ErrorCode::Io, describeOpenFailure(dirFd, native, shown, error));
    }
    auto st = fstatFd(file.fd.get());
    if (!st)
        return tl::unexpected(st.error());
    if (!st->isRegular()) {
        if (errnoOut)
            *errnoOut = EINVAL;
        return fail(ErrorCode::Io, QStringLiteral("%1 is not a regular file").arg(shown));
    }
    // Regular files never block; reads behave normally without the flag.
    const int flags = ::fcntl(file.fd.get(), F_GETFL);
    if (flags >= 0)
        ::fcntl(file.fd.get(), F_SETFL, flags & ~O_NONBLOCK);
    file.stat = *st;
    return file;
}

} // namespace

Result<OpenedFile> openRegularAt(int dirFd, const QString &name, int *errnoOut)
{
    return openRegularShown(dirFd, name, name, errnoOut);
}

Result<OpenedFile> openRegular(const QString &absolutePath, int *errnoOut)
{
    if (errnoOut)
        *errnoOut = 0;
    auto dir = openDir(parentOf(absolutePath));
    if (!dir) {
        if (errnoOut)
            *errnoOut = ENOENT;
        return tl::unexpected(dir.error());
    }
    return openRegularShown(dir->get(), nameOf(absolutePath), absolutePath, errnoOut);
}

Result<QByteArray> readAll(int fd, qint64 maxBytes, const QString &nameForErrors)
{
    QByteArray bytes;
    char buffer[65536];
    qint64 offset = 0;
    while (true) {
        const ssize_t n = ::pread(fd, buffer, sizeof buffer, off_t(offset));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(nameForErrors, errnoText(errno)));
        }
        if (n == 0)
            break;
        offset += n;
        if (offset > maxBytes)
            return fail(ErrorCode::Io, QStringLiteral("%1 is larger than %2 bytes").arg(nameForErrors).arg(maxBytes));
        bytes.append(buffer, qsizetype(n));
    }
    return bytes;
}

AtomicFile::AtomicFile(AtomicFile &&other) noexcept
    : m_dir(std::move(other.m_dir))
    , m_fd(std::move(other.m_fd))
    , m_temp(std::move(other.m_temp))
    , m_name(std::move(other.m_name))
    , m_replace(other.m_replace)
{
    other.m_temp.clear();
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard()
{
    if (!m_temp.isEmpty() && m_dir.valid())
        ::unlinkat(m_dir.get(), m_temp.constData(), 0);
    m_temp.clear();
    m_fd = Fd();
}

Result<AtomicFile> AtomicFile::create(int dirFd, const QString &name, const WriteOptions &options)
{
    if (!isOneComponent(name))
        return fail(ErrorCode::Internal, QStringLiteral("not a file name: %1").arg(name));
    AtomicFile file;
    file.m_dir = Fd(::fcntl(dirFd, F_DUPFD_CLOEXEC, 0));
    if (!file.m_dir.valid())
        return fail(ErrorCode::Io, QStringLiteral("cannot duplicate a descriptor: %1").arg(errnoText(errno)));
    file.m_name = name;
    file.m_replace = options.replace;
    for (int attempt = 0; attempt < 32 && !file.m_fd.valid(); ++attempt) {
        const QByteArray temp = '.' + encode(name).left(64) + '.' +
                                QByteArray::number(QRandomGenerator::system()->generate64(), 36) + ".tmp";
        // O_EXCL|O_NOFOLLOW: an existing file or a planted symlink is never opened.
        Fd fd(openAtRetry(file.m_dir.get(), temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600));
        if (!fd.valid()) {
            if (errno == EEXIST)
                continue;
            return fail(ErrorCode::Io, QStringLiteral("cannot create a file for %1: %2").arg(name, errnoText(errno)));
        }
        file.m_temp = temp;
        file.m_fd = std::move(fd);
    }
    if (!file.m_fd.valid())
        return fail(ErrorCode::Io, QStringLiteral("cannot create a unique temporary file for %1").arg(name));
    // Owner first: chown clears set-id bits, so the mode comes after it.
    if (options.uid || options.gid) {
        const uid_t uid = options.uid ? uid_t(*options.uid) : uid_t(-1);
        const gid_t gid = options.gid ? gid_t(*options.gid) : gid_t(-1);
        if (::fchown(file.m_fd.get(), uid, gid) != 0)
            return fail(ErrorCode::Io, QStringLiteral("cannot set the owner of %1: %2").arg(name, errnoText(errno)));
    }
    if (::fchmod(file.m_fd.get(), mode_t(options.mode & 07777)) != 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot set the mode of %1: %2").arg(name, errnoText(errno)));
    return file;
}

Result<void> AtomicFile::write(const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(m_fd.get(), data, size_t(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(errno == ENOSPC ? ErrorCode::NoSpace : ErrorCode::Io,
                        QStringLiteral("cannot write %1: %2").arg(m_name, errnoText(errno)));
        }
        data += n;
        size -= n;
    }
    return {};
}

Result<void> AtomicFile::commit()
{
    if (!m_fd.valid() || m_temp.isEmpty())
        return fail(ErrorCode::Internal, QStringLiteral("%1 is not open").arg(m_name));
    if (::fsync(m_fd.get()) != 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(m_name, errnoText(errno)));
    const QByteArray final = encode(m_name);
    int result = 0;
    if (m_replace) {
        result = ::renameat(m_dir.get(), m_temp.constData(), m_dir.get(), final.constData());
    } else {
#ifdef RENAME_NOREPLACE
        result = ::renameat2(m_dir.get(), m_temp.constData(), m_dir.get(), final.constData(), RENAME_NOREPLACE);
        if (result != 0 && (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP))
#endif
        {
            // Without renameat2: link() never replaces either.
            result = ::linkat(m_dir.get(), m_temp.constData(), m_dir.get(), final.constData(), 0);
            if (result == 0)
                ::unlinkat(m_dir.get(), m_temp.constData(), 0);
        }
    }
    if (result != 0) {
        const int error = errno;
        if (error == EEXIST)
            return fail(ErrorCode::Io, QStringLiteral("%1 already exists (not replaced)").arg(m_name));
        return fail(ErrorCode::Io, QStringLiteral("cannot rename into %1: %2").arg(m_name, errnoText(error)));
    }
    m_temp.clear();
    m_fd = Fd();
    // The rename is durable once the folder is synced (an O_PATH descriptor cannot be).
    if (Fd folder(openAtRetry(m_dir.get(), ".", O_RDONLY | O_DIRECTORY)); folder.valid())
        ::fsync(folder.get());
    return {};
}

Result<void> writeOwnFile(const QString &absolutePath, const ContentWriter &content, quint32 mode)
{
    auto dir = openDir(parentOf(absolutePath));
    if (!dir)
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(absolutePath, dir.error().message));
    const QByteArray name = encode(nameOf(absolutePath));
    WriteOptions options;
    options.mode = mode;
    struct stat st = {};
    if (::fstatat(dir->get(), name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(st.st_mode))
            return fail(ErrorCode::Io,
                        QStringLiteral("refusing to write %1: it is a symbolic link (not followed)").arg(absolutePath));
        if (!S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || st.st_nlink != 1)
            return fail(ErrorCode::Io, QStringLiteral("refusing to replace %1: it is not a file of this user with "
                                                      "one link (owned by %2, %3 links)")
                                           .arg(absolutePath, describeUid(st.st_uid))
                                           .arg(st.st_nlink));
        options.replace = true;
    } else if (errno != ENOENT) {
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(absolutePath, errnoText(errno)));
    }
    auto written = writeFileAt(dir->get(), nameOf(absolutePath), content, options);
    if (!written)
        return fail(written.error().code,
                    QStringLiteral("cannot write %1: %2").arg(absolutePath, written.error().message));
    return {};
}

namespace {

constexpr int kMaxRemoveDepth = 256;

Result<void> removeEntry(int dirFd, const QByteArray &name, const QString &shown, int depth)
{
    struct stat st = {};
    if (::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return {};
        return fail(ErrorCode::Io, QStringLiteral("cannot remove %1: %2").arg(shown, errnoText(errno)));
    }
    if (!S_ISDIR(st.st_mode)) {
        if (::unlinkat(dirFd, name.constData(), 0) != 0 && errno != ENOENT)
            return fail(ErrorCode::Io, QStringLiteral("cannot remove %1: %2").arg(shown, errnoText(errno)));
        return {};
    }
    if (depth > kMaxRemoveDepth)
        return fail(ErrorCode::Io, QStringLiteral("cannot remove %1: nested too deeply").arg(shown));
    int fd = openAtRetry(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0 && errno == EACCES) {
        // A folder copied with its mode (0500, 0000): make it ours to empty, through
        // an O_PATH descriptor so that only this very folder is changed.
        Fd path(openAtRetry(dirFd, name.constData(), O_PATH | O_DIRECTORY | O_NOFOLLOW));
        struct stat pathStat = {};
        if (path.valid() && ::fstat(path.get(), &pathStat) == 0 && pathStat.st_uid == ::geteuid()) {
            const QByteArray proc = "/proc/self/fd/" + QByteArray::number(path.get());
            ::chmod(proc.constData(), 0700);
        }
        fd = openAtRetry(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    }
    if (fd < 0) {
        if (errno == ENOENT)
            return {};
        return fail(ErrorCode::Io, QStringLiteral("cannot remove %1: %2").arg(shown, errnoText(errno)));
    }
    DIR *dir = ::fdopendir(fd);
    if (!dir) {
        ::close(fd);
        return fail(ErrorCode::Io, QStringLiteral("cannot remove %1: %2").arg(shown, errnoText(errno)));
    }
    Result<void> result;
    QList<QByteArray> names;
    while (const dirent *entry = ::readdir(dir)) {
        if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0)
            continue;
        names.append(QByteArray(entry->d_name));
    }
    for (const QByteArray &child : std::as_const(names)) {
        auto removed = removeEntry(::dirfd(dir), child, shown + QLatin1Char('/') + QFile::decodeName(child), depth + 1);
        if (!removed && result)
            result = removed;
    }
    ::closedir(dir);
    if (::unlinkat(dirFd, name.constData(), AT_REMOVEDIR) != 0 && errno != ENOENT && result)
        result = fail(ErrorCode::Io, QStringLiteral("cannot remove %1: %2").arg(shown, errnoText(errno)));
    return result;
}

} // namespace

Result<void> removeTreeAt(int dirFd, const QString &name)
{
    if (!isOneComponent(name))
        return fail(ErrorCode::Internal, QStringLiteral("not a file name: %1").arg(name));
    return removeEntry(dirFd, encode(name), name, 0);
}

Result<void> removeTree(const QString &absolutePath)
{
    auto dir = openDir(parentOf(absolutePath));
    if (!dir) {
        // Nothing to remove when the folder above is gone.
        if (!QFileInfo::exists(parentOf(absolutePath)))
            return {};
        return tl::unexpected(dir.error());
    }
    auto removed = removeEntry(dir->get(), encode(nameOf(absolutePath)), absolutePath, 0);
    return removed;
}

#else // Q_OS_WIN

// TODO(windows): the same guarantees with CreateFileW(FILE_FLAG_OPEN_REPARSE_POINT)
// per component, GetFileInformationByHandleEx owner and link-count checks and
// SetFileInformationByHandle(FileRenameInfoEx) without replace. Until then this
// branch works by path: reparse points (symlinks, junctions) on the way are
// refused, files are C runtime descriptors, and an opened folder is a small
// number standing for its path. There is no owner check on Windows yet.

namespace {

QMutex s_dirsMutex;
QHash<int, QString> s_dirs; // pseudo descriptor -> folder path
int s_nextDir = 1 << 20;    // far above C runtime descriptors

bool isDirHandle(int fd)
{
    QMutexLocker lock(&s_dirsMutex);
    return s_dirs.contains(fd);
}

QString dirPath(int fd)
{
    QMutexLocker lock(&s_dirsMutex);
    return s_dirs.value(fd);
}

Fd registerDir(const QString &path)
{
    QMutexLocker lock(&s_dirsMutex);
    const int fd = s_nextDir++;
    s_dirs.insert(fd, path);
    return Fd(fd);
}

bool isLink(const QFileInfo &info) { return info.isSymLink() || info.isJunction(); }

std::wstring native(const QString &path) { return QDir::toNativeSeparators(path).toStdWString(); }

} // namespace

Fd &Fd::operator=(Fd &&other) noexcept
{
    if (this != &other) {
        Fd old(m_fd);
        m_fd = other.release();
    }
    return *this;
}

Fd::~Fd()
{
    if (m_fd < 0)
        return;
    if (isDirHandle(m_fd)) {
        QMutexLocker lock(&s_dirsMutex);
        s_dirs.remove(m_fd);
    } else {
        ::_close(m_fd);
    }
}

bool Stat::isRegular() const { return (mode & _S_IFMT) == _S_IFREG; }
bool Stat::isDirectory() const { return (mode & _S_IFMT) == _S_IFDIR; }
bool Stat::writableByOthers() const { return false; }
bool Stat::sticky() const { return false; }

Result<Stat> fstatFd(int fd)
{
    Stat s;
    if (isDirHandle(fd)) {
        s.mode = _S_IFDIR;
        s.nlink = 1;
        return s;
    }
    struct _stat64 st = {};
    if (::_fstat64(fd, &st) != 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot stat a file"));
    s.mode = st.st_mode;
    s.nlink = st.st_nlink;
    s.size = st.st_size;
    s.dev = st.st_dev;
    s.ino = st.st_ino;
    s.mtimeMs = qint64(st.st_mtime) * 1000;
    return s;
}

QString describeUid(quint32 uid) { return QStringLiteral("uid %1").arg(uid); }
std::optional<quint32> uidOfAccount(const QString &) { return std::nullopt; }
quint32 effectiveUid() { return 1; } // no root checks until owners are checked on Windows

Result<Fd> openDir(const QString &absolutePath)
{
    const QString clean = QDir::cleanPath(QDir::fromNativeSeparators(absolutePath));
    if (!QDir::isAbsolutePath(clean))
        return fail(ErrorCode::Internal, QStringLiteral("not an absolute path: %1").arg(absolutePath));
    // Every component, drive root excluded: no reparse point on the way.
    const QStringList parts = clean.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString walked = parts.value(0) + QLatin1Char('/'); // "C:/"
    for (qsizetype i = 1; i < parts.size(); ++i) {
        if (!walked.endsWith(QLatin1Char('/')))
            walked += QLatin1Char('/');
        walked += parts[i];
        const QFileInfo info(walked);
        if (isLink(info))
            return fail(ErrorCode::Io, QStringLiteral("%1 is a symbolic link (not followed)").arg(walked));
        if (!info.exists())
            return fail(ErrorCode::Io, QStringLiteral("%1 does not exist").arg(walked));
        if (!info.isDir())
            return fail(ErrorCode::Io, QStringLiteral("%1 is not a folder").arg(walked));
    }
    return registerDir(clean);
}

Result<Fd> openTrustedDir(const QString &absolutePath, const Trust &) { return openDir(absolutePath); }

Result<QString> resolveTrustedLinks(const QString &absolutePath) { return absolutePath; }

Result<Fd> openDirAt(int dirFd, const QString &relativePath)
{
    if (!isNormalizedRelative(relativePath))
        return fail(ErrorCode::Usage, QStringLiteral("not a plain relative path: %1").arg(relativePath));
    return openDir(dirPath(dirFd) + QLatin1Char('/') + relativePath);
}

Result<Fd> makeDirsAt(int dirFd, const QString &relativePath, quint32)
{
    if (!isNormalizedRelative(relativePath))
        return fail(ErrorCode::Usage, QStringLiteral("not a plain relative path: %1").arg(relativePath));
    const QString path = dirPath(dirFd) + QLatin1Char('/') + relativePath;
    if (!QDir().mkpath(path))
        return fail(ErrorCode::Io, QStringLiteral("cannot create %1").arg(path));
    return openDir(path);
}

namespace {

Result<OpenedFile> openRegularPath(const QString &path, int *errnoOut)
{
    const QFileInfo info(path);
    if (isLink(info)) {
        if (errnoOut)
            *errnoOut = ELOOP;
        return fail(ErrorCode::Io, QStringLiteral("%1 is a symbolic link (not followed)").arg(path));
    }
    OpenedFile file;
    file.fd = Fd(::_wopen(native(path).c_str(), _O_RDONLY | _O_BINARY | _O_NOINHERIT));
    if (!file.fd.valid()) {
        if (errnoOut)
            *errnoOut = errno;
        return fail(ErrorCode::Io, QStringLiteral("cannot open %1").arg(path));
    }
    auto st = fstatFd(file.fd.get());
    if (!st)
        return tl::unexpected(st.error());
    if (!st->isRegular()) {
        if (errnoOut)
            *errnoOut = EINVAL;
        return fail(ErrorCode::Io, QStringLiteral("%1 is not a regular file").arg(path));
    }
    file.stat = *st;
    return file;
}

} // namespace

Result<OpenedFile> openRegularAt(int dirFd, const QString &name, int *errnoOut)
{
    if (errnoOut)
        *errnoOut = 0;
    if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\')))
        return fail(ErrorCode::Internal, QStringLiteral("not a file name: %1").arg(name));
    return openRegularPath(dirPath(dirFd) + QLatin1Char('/') + name, errnoOut);
}

Result<OpenedFile> openRegular(const QString &absolutePath, int *errnoOut)
{
    auto dir = openDir(parentOf(absolutePath));
    if (!dir) {
        if (errnoOut)
            *errnoOut = ENOENT;
        return tl::unexpected(dir.error());
    }
    return openRegularPath(QDir::cleanPath(absolutePath), errnoOut);
}

Result<QByteArray> readAll(int fd, qint64 maxBytes, const QString &nameForErrors)
{
    if (::_lseeki64(fd, 0, SEEK_SET) < 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1").arg(nameForErrors));
    QByteArray bytes;
    char buffer[65536];
    while (true) {
        const int n = ::_read(fd, buffer, sizeof buffer);
        if (n < 0)
            return fail(ErrorCode::Io, QStringLiteral("cannot read %1").arg(nameForErrors));
        if (n == 0)
            break;
        if (bytes.size() + n > maxBytes)
            return fail(ErrorCode::Io, QStringLiteral("%1 is larger than %2 bytes").arg(nameForErrors).arg(maxBytes));
        bytes.append(buffer, n);
    }
    return bytes;
}

AtomicFile::AtomicFile(AtomicFile &&other) noexcept
    : m_dir(std::move(other.m_dir))
    , m_fd(std::move(other.m_fd))
    , m_temp(std::move(other.m_temp))
    , m_name(std::move(other.m_name))
    , m_replace(other.m_replace)
{
    other.m_temp.clear();
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard()
{
    m_fd = Fd();
    if (!m_temp.isEmpty())
        QFile::remove(QString::fromUtf8(m_temp));
    m_temp.clear();
}

Result<AtomicFile> AtomicFile::create(int dirFd, const QString &name, const WriteOptions &options)
{
    AtomicFile file;
    const QString dir = dirPath(dirFd);
    if (dir.isEmpty() || name.isEmpty() || name.contains(QLatin1Char('/')))
        return fail(ErrorCode::Internal, QStringLiteral("not a file name: %1").arg(name));
    file.m_dir = registerDir(dir);
    file.m_name = name;
    file.m_replace = options.replace;
    for (int attempt = 0; attempt < 32 && !file.m_fd.valid(); ++attempt) {
        const QString temp = dir + QStringLiteral("/.") + name.left(64) + QLatin1Char('.') +
                             QString::number(QRandomGenerator::system()->generate64(), 36) + QStringLiteral(".tmp");
        // _O_EXCL: an existing file or link is never opened.
        Fd fd(::_wopen(native(temp).c_str(), _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY | _O_NOINHERIT,
                       _S_IREAD | _S_IWRITE));
        if (!fd.valid()) {
            if (errno == EEXIST)
                continue;
            return fail(ErrorCode::Io, QStringLiteral("cannot create a file for %1").arg(name));
        }
        file.m_temp = temp.toUtf8();
        file.m_fd = std::move(fd);
    }
    if (!file.m_fd.valid())
        return fail(ErrorCode::Io, QStringLiteral("cannot create a unique temporary file for %1").arg(name));
    return file;
}

Result<void> AtomicFile::write(const char *data, qint64 size)
{
    while (size > 0) {
        const int chunk = int(qMin<qint64>(size, 1 << 30));
        const int n = ::_write(m_fd.get(), data, unsigned(chunk));
        if (n < 0)
            return fail(errno == ENOSPC ? ErrorCode::NoSpace : ErrorCode::Io,
                        QStringLiteral("cannot write %1").arg(m_name));
        data += n;
        size -= n;
    }
    return {};
}

Result<void> AtomicFile::commit()
{
    if (!m_fd.valid() || m_temp.isEmpty())
        return fail(ErrorCode::Internal, QStringLiteral("%1 is not open").arg(m_name));
    if (::_commit(m_fd.get()) != 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1").arg(m_name));
    m_fd = Fd();
    const QString temp = QString::fromUtf8(m_temp);
    const QString final = dirPath(m_dir.get()) + QLatin1Char('/') + m_name;
    // Without MOVEFILE_REPLACE_EXISTING an existing name (or link) makes it fail.
    if (!::MoveFileExW(native(temp).c_str(), native(final).c_str(),
                       MOVEFILE_WRITE_THROUGH | (m_replace ? MOVEFILE_REPLACE_EXISTING : 0)))
        return fail(ErrorCode::Io, m_replace ? QStringLiteral("cannot rename into %1").arg(m_name)
                                             : QStringLiteral("%1 already exists (not replaced)").arg(m_name));
    m_temp.clear();
    return {};
}

Result<void> writeOwnFile(const QString &absolutePath, const ContentWriter &content, quint32 mode)
{
    const QFileInfo info(absolutePath);
    if (isLink(info))
        return fail(ErrorCode::Io,
                    QStringLiteral("refusing to write %1: it is a symbolic link (not followed)").arg(absolutePath));
    WriteOptions options;
    options.mode = mode;
    options.replace = info.exists();
    return writeFile(absolutePath, content, options);
}

Result<void> removeTreeAt(int dirFd, const QString &name)
{
    return removeTree(dirPath(dirFd) + QLatin1Char('/') + name);
}

Result<void> removeTree(const QString &absolutePath)
{
    const QFileInfo info(absolutePath);
    // A link or junction is removed as itself; removeRecursively does not follow them.
    if (isLink(info) || info.isFile())
        return QFile::remove(absolutePath) || !QFileInfo::exists(absolutePath)
                   ? Result<void>()
                   : fail(ErrorCode::Io, QStringLiteral("cannot remove %1").arg(absolutePath));
    QDir dir(absolutePath);
    if (dir.exists() && !dir.removeRecursively())
        return fail(ErrorCode::Io, QStringLiteral("cannot remove %1").arg(absolutePath));
    return {};
}

#endif // Q_OS_WIN

// Both platforms: AtomicFile and openDir() carry the differences.
Result<void> writeFileAt(int dirFd, const QString &name, const ContentWriter &content, const WriteOptions &options)
{
    auto file = AtomicFile::create(dirFd, name, options);
    if (!file)
        return tl::unexpected(file.error());
    if (auto written = content(*file); !written)
        return written;
    return file->commit();
}

Result<void> writeFileAt(int dirFd, const QString &name, const QByteArray &bytes, const WriteOptions &options)
{
    return writeFileAt(
        dirFd, name, [&bytes](AtomicFile &file) { return file.write(bytes); }, options);
}

Result<void> writeFile(const QString &absolutePath, const QByteArray &bytes, const WriteOptions &options)
{
    return writeFile(
        absolutePath, [&bytes](AtomicFile &file) { return file.write(bytes); }, options);
}

Result<void> writeOwnFile(const QString &absolutePath, const QByteArray &bytes, quint32 mode)
{
    return writeOwnFile(
        absolutePath, [&bytes](AtomicFile &file) { return file.write(bytes); }, mode);
}

Result<void> writeFile(const QString &absolutePath, const ContentWriter &content, const WriteOptions &options)
{
    auto dir = openDir(parentOf(absolutePath));
    if (!dir)
        return tl::unexpected(dir.error());
    auto written = writeFileAt(dir->get(), nameOf(absolutePath), content, options);
    if (!written)
        return fail(written.error().code, QStringLiteral("%1: %2").arg(absolutePath, written.error().message));
    return {};
}

} // namespace dc::core::safefs
