// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/partialfiles.h"

#include "core/util/safefs.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

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

// TODO(windows): the writer's handle is opened without FILE_SHARE_DELETE, so a
// partial that can be deleted has no writer; until then nothing is removed.
int lockPartialFile(int) { return -1; }

QStringList removeStalePartials(const QString &, bool) { return {}; }

bool removeStalePartial(const QString &) { return false; }

#endif

} // namespace dc::core
