// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/partialfiles.h"

#include "core/util/safefs.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#ifdef Q_OS_WIN
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#endif
#ifdef Q_OS_UNIX
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace dc::core {

namespace {

// How long a new, empty partial file may wait for its writer's lock.
constexpr qint64 kUnlockedEmptyGraceMs = 60 * 1000;

} // namespace

bool isPartialArchiveName(const QString &fileName)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^\.diagcollect-.+\.(tar\.zst|zip)\.partial$)"));
    return pattern.match(fileName).hasMatch();
}

#ifdef Q_OS_UNIX

namespace {

// True when name in dirFd was a partial file whose writer is gone (and it is removed, unless dryRun).
bool removeIfStale(int dirFd, const QString &name, bool dryRun)
{
    // O_NOFOLLOW and a regular-file check on the descriptor: a link planted under
    // a partial name is never followed (and not removed either).
    auto opened = safefs::openRegularAt(dirFd, name);
    if (!opened)
        return false;
    if (::flock(opened->fd.get(), LOCK_EX | LOCK_NB) != 0)
        return false; // its writer is alive
    if (opened->stat.size == 0 && QDateTime::currentMSecsSinceEpoch() - opened->stat.mtimeMs < kUnlockedEmptyGraceMs)
        return false;
    // Still the file we locked under that name: then it goes.
    const QByteArray native = QFile::encodeName(name);
    struct stat current = {};
    if (::fstatat(dirFd, native.constData(), &current, AT_SYMLINK_NOFOLLOW) != 0 ||
        quint64(current.st_dev) != opened->stat.dev || quint64(current.st_ino) != opened->stat.ino)
        return false;
    return dryRun || ::unlinkat(dirFd, native.constData(), 0) == 0;
}

} // namespace

bool removeStalePartial(const QString &partialPath)
{
    auto dir = safefs::openDir(safefs::parentOf(partialPath));
    return dir && removeIfStale(dir->get(), safefs::nameOf(partialPath), false);
}

int lockPartialFile(int fd)
{
    const int lockFd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (lockFd < 0)
        return -1;
    // Blocking: a cleaner that looks at the new file holds the lock only for a moment.
    int rc = -1;
    do {
        rc = ::flock(lockFd, LOCK_EX);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        ::close(lockFd);
        return -1;
    }
    return lockFd;
}

QStringList removeStalePartials(const QString &outputDir, bool dryRun)
{
    QStringList removed;
    const QString absolute = QDir::cleanPath(QDir(outputDir).absolutePath());
    auto dir = safefs::openDir(absolute);
    if (!dir)
        return removed;
    QStringList names;
    {
        const int listFd = ::openat(dir->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *handle = listFd >= 0 ? ::fdopendir(listFd) : nullptr;
        if (!handle) {
            if (listFd >= 0)
                ::close(listFd);
            return removed;
        }
        while (const dirent *entry = ::readdir(handle)) {
            const QString name = QFile::decodeName(entry->d_name);
            if (isPartialArchiveName(name))
                names.append(name);
        }
        ::closedir(handle);
    }
    for (const QString &name : std::as_const(names))
        if (removeIfStale(dir->get(), name, dryRun))
            removed.append(absolute + QLatin1Char('/') + name);
    return removed;
}

#else

// Windows has no flock: the writer holds a byte-range lock (LockFileEx) far past
// the end of the file on a handle of its own, opened with FILE_SHARE_DELETE so
// that its own rename into place still works. A cleaner opens the file with
// DELETE access and tries the same lock without waiting: a live writer's lock
// (or its open descriptor, which does not share deletion) refuses it; when it
// gets the lock, the writer is gone, and the file is deleted through that very
// handle, so nothing else can be swapped in under the name meanwhile.

namespace {

// One byte at the top of the 64-bit range: never data, never in anyone's way.
constexpr DWORD kLockOffsetLow = 0xFFFFFFFEu;
constexpr DWORD kLockOffsetHigh = 0x7FFFFFFFu;

bool lockHandle(HANDLE handle, bool wait)
{
    OVERLAPPED at = {};
    at.Offset = kLockOffsetLow;
    at.OffsetHigh = kLockOffsetHigh;
    const DWORD flags = LOCKFILE_EXCLUSIVE_LOCK | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
    return ::LockFileEx(handle, flags, 0, 1, 0, &at) != 0;
}

bool removeIfStale(const QString &path, bool dryRun)
{
    const std::wstring native = QDir::toNativeSeparators(path).toStdWString();
    // FILE_FLAG_OPEN_REPARSE_POINT: a link or junction planted under a partial
    // name is opened itself, seen as a reparse point and left alone.
    HANDLE handle =
        ::CreateFileW(native.c_str(), GENERIC_READ | DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                      nullptr, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (handle == INVALID_HANDLE_VALUE)
        return false; // gone, or open by its writer (no shared deletion): alive
    BY_HANDLE_FILE_INFORMATION info = {};
    bool removed = false;
    if (::GetFileInformationByHandle(handle, &info) &&
        !(info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DEVICE)) &&
        lockHandle(handle, false)) {
        const qint64 size = (qint64(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
        ULARGE_INTEGER written;
        written.LowPart = info.ftLastWriteTime.dwLowDateTime;
        written.HighPart = info.ftLastWriteTime.dwHighDateTime;
        // FILETIME: 100 ns steps since 1601-01-01.
        const qint64 writtenMs = qint64(written.QuadPart / 10000) - 11644473600000LL;
        const bool young = size == 0 && QDateTime::currentMSecsSinceEpoch() - writtenMs < kUnlockedEmptyGraceMs;
        if (!young) {
            if (dryRun) {
                removed = true;
            } else {
                FILE_DISPOSITION_INFO disposition = {};
                disposition.DeleteFile = TRUE;
                removed =
                    ::SetFileInformationByHandle(handle, FileDispositionInfo, &disposition, sizeof(disposition)) != 0;
            }
        }
    }
    ::CloseHandle(handle); // releases the lock; a file marked for deletion goes now
    return removed;
}

} // namespace

int lockPartialFile(int fd)
{
    const auto file = reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
    if (file == INVALID_HANDLE_VALUE)
        return -1;
    // A second handle of the file, sharing deletion: the rename into place
    // needs every open handle to allow it.
    HANDLE lock = ::ReOpenFile(file, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, 0);
    if (lock == INVALID_HANDLE_VALUE)
        return -1;
    // Blocking: a cleaner that looks at the new file holds the lock only for a moment.
    if (!lockHandle(lock, true)) {
        ::CloseHandle(lock);
        return -1;
    }
    const int lockFd = ::_open_osfhandle(reinterpret_cast<intptr_t>(lock), _O_RDONLY);
    if (lockFd < 0)
        ::CloseHandle(lock);
    return lockFd;
}

QStringList removeStalePartials(const QString &outputDir, bool dryRun)
{
    QStringList removed;
    const QString absolute = QDir::cleanPath(QDir(outputDir).absolutePath());
    const QStringList names =
        QDir(absolute).entryList(QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : names)
        if (isPartialArchiveName(name) && removeIfStale(absolute + QLatin1Char('/') + name, dryRun))
            removed.append(absolute + QLatin1Char('/') + name);
    return removed;
}

bool removeStalePartial(const QString &partialPath) { return removeIfStale(partialPath, false); }

#endif

} // namespace dc::core
