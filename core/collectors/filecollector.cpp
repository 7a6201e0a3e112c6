// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/filecollector.h"

#include "core/bundle/staging.h"
#include "core/util/filenames.h"
#include "core/util/safefs.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>
#include <utility>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace dc::core {

namespace {

constexpr qint64 kChunkBytes = qint64(256) * 1024;
// How far into a tail window we look for the first line break.
constexpr qint64 kLineSearchBytes = qint64(64) * 1024;
// Entries per item in skippedFiles before the rest are only counted.
constexpr int kMaxSkippedEntries = 50;
// Directory nesting bound; symlinked folders are not followed, so this only
// guards against absurd trees (or bind-mount loops).
constexpr int kMaxDepth = 64;

const QString kPermissionDenied = QStringLiteral("permission denied");
const QString kVanished = QStringLiteral("vanished while collecting");
const QString kSymlinkLoop = QStringLiteral("symlink loop");
const QString kCancelled = QStringLiteral("cancelled");

Qt::CaseSensitivity fileNameCase()
{
#if defined(Q_OS_WIN) || defined(Q_OS_MACOS)
    return Qt::CaseInsensitive;
#else
    return Qt::CaseSensitive;
#endif
}

bool hasGlob(QStringView segment)
{
    return segment.contains(QLatin1Char('*')) || segment.contains(QLatin1Char('?')) ||
           segment.contains(QLatin1Char('['));
}

QRegularExpression globRegex(const QString &glob)
{
    QRegularExpression::PatternOptions options = QRegularExpression::NoPatternOption;
    if (fileNameCase() == Qt::CaseInsensitive)
        options |= QRegularExpression::CaseInsensitiveOption;
    return QRegularExpression(QRegularExpression::wildcardToRegularExpression(glob), options);
}

QString joinPath(const QString &dir, const QString &name)
{
    if (dir.endsWith(QLatin1Char('/')))
        return dir + name;
    return dir + QLatin1Char('/') + name;
}

QString joinRelative(const QString &relative, const QString &name)
{
    if (relative.isEmpty())
        return name;
    return relative + QLatin1Char('/') + name;
}

// Rotated siblings: x.log.1, x.log.2.gz, x.log-20240101(.gz), x.1.log.
bool isCompressedName(const QString &name)
{
    static const QRegularExpression compressed(QStringLiteral("\\.(gz|xz|bz2|zst|lz4)$"),
                                               QRegularExpression::CaseInsensitiveOption);
    return compressed.match(name).hasMatch();
}

// The live log a rotated file belongs to ("x.log" for x.log.1, x.log-20240101.gz,
// x.1.log), or empty. A name only counts as rotated when that live log is beside
// it: "host-203.0.113.9.log" or "app.2024.log" alone are ordinary logs.
QString liveNameOf(const QString &path)
{
    static const QRegularExpression compressed(QStringLiteral("\\.(gz|xz|bz2|zst|lz4)$"),
                                               QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression suffix(QStringLiteral("(\\.\\d+|-\\d{8}(\\d{2,6})?|-\\d{4}-\\d{2}-\\d{2})$"));
    static const QRegularExpression infix(QStringLiteral("\\.\\d+(\\.(log|txt|out|err))$"),
                                          QRegularExpression::CaseInsensitiveOption);
    const QFileInfo info(path);
    QString base = info.fileName();
    base.remove(compressed);
    QString live;
    if (const auto match = suffix.match(base); match.hasMatch())
        live = base.left(match.capturedStart());
    else if (const auto inner = infix.match(base); inner.hasMatch())
        live = base.left(inner.capturedStart()) + inner.captured(1);
    if (live.isEmpty() || live == info.fileName())
        return {};
    const QString sibling = info.absolutePath() + QLatin1Char('/') + live;
    if (!QFileInfo::exists(sibling) && !QFileInfo(sibling).isSymLink())
        return {};
    return live;
}

// Collects the "not collected" list without letting a huge folder of old logs
// flood the manifest: after kMaxSkippedEntries, entries are only counted per reason.
class SkipLog
{
public:
    SkipLog(QList<FileEntry> &entries, bool redactable)
        : m_entries(entries)
        , m_redactable(redactable)
    {
    }

    void add(const QString &source, const QString &reason, Status status = Status::Skipped)
    {
        if (m_recorded < kMaxSkippedEntries) {
            ++m_recorded;
            FileEntry entry;
            entry.source = escapedFileName(source);
            if (hasUndecodableBytes(source))
                entry.sourceBytes = encodeFileName(source);
            entry.status = status;
            entry.reason = reason;
            entry.redactable = m_redactable;
            m_entries.append(entry);
            return;
        }
        for (auto &counted : m_overflow) {
            if (counted.first == reason) {
                ++counted.second;
                return;
            }
        }
        m_overflow.append({reason, 1});
    }

    // Appends one summary entry per reason that overflowed.
    void finish()
    {
        for (const auto &counted : std::as_const(m_overflow)) {
            FileEntry entry;
            entry.status = Status::Skipped;
            entry.reason = QStringLiteral("and %1 more: %2").arg(counted.second).arg(counted.first);
            entry.redactable = m_redactable;
            m_entries.append(entry);
        }
        m_overflow.clear();
    }

private:
    QList<FileEntry> &m_entries;
    bool m_redactable;
    int m_recorded = 0;
    QList<std::pair<QString, int>> m_overflow;
};

// What a path is, looked at before anything is opened.
struct Node
{
    enum Type { Missing, Regular, Directory, Other };
    Type type = Missing;
    QString reason;       // Other: why it is not collected
    bool symlink = false; // the path itself is a symbolic link
    QString linkTarget;   // symlink: the target as written in the link
    quint32 ownerUid = 0; // of the file (a symlink's target)
    qint64 mtimeMs = 0;
    QByteArray identity; // same file reached twice (two patterns, a symlink) is collected once
};

#ifdef Q_OS_UNIX

QString errnoText(int error) { return QString::fromLocal8Bit(std::strerror(error)); }

QString typeReason(mode_t mode)
{
    if (S_ISFIFO(mode))
        return QStringLiteral("not a regular file (FIFO)");
    if (S_ISSOCK(mode))
        return QStringLiteral("not a regular file (socket)");
    if (S_ISCHR(mode))
        return QStringLiteral("not a regular file (character device)");
    if (S_ISBLK(mode))
        return QStringLiteral("not a regular file (block device)");
    if (S_ISDIR(mode))
        return QStringLiteral("not a regular file (folder)");
    return QStringLiteral("not a regular file");
}

qint64 mtimeMsOf(const struct stat &st)
{
#ifdef Q_OS_DARWIN
    return qint64(st.st_mtimespec.tv_sec) * 1000 + st.st_mtimespec.tv_nsec / 1000000;
#else
    return qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
#endif
}

Node inspect(const QString &path)
{
    Node node;
    const QByteArray native = encodeFileName(path);
    struct stat st = {};
    // lstat first: a symlink is followed only after we know where it ends.
    if (::lstat(native.constData(), &st) != 0) {
        const int error = errno;
        if (error == ENOENT || error == ENOTDIR)
            return node;
        node.type = Node::Other;
        node.reason = error == EACCES ? kPermissionDenied : errnoText(error);
        return node;
    }
    if (S_ISLNK(st.st_mode)) {
        node.symlink = true;
        QByteArray target(4096, Qt::Uninitialized);
        const ssize_t n = ::readlink(native.constData(), target.data(), size_t(target.size()));
        node.linkTarget = n > 0 ? QFile::decodeName(target.left(qsizetype(n))) : QStringLiteral("?");
        if (::stat(native.constData(), &st) != 0) {
            const int error = errno;
            node.type = Node::Other;
            if (error == ELOOP)
                node.reason = kSymlinkLoop;
            else if (error == ENOENT || error == ENOTDIR)
                node.reason = QStringLiteral("dangling symlink");
            else if (error == EACCES)
                node.reason = kPermissionDenied;
            else
                node.reason = errnoText(error);
            return node;
        }
    }
    node.mtimeMs = mtimeMsOf(st);
    node.ownerUid = st.st_uid;
    node.identity = QByteArray::number(quint64(st.st_dev)) + ':' + QByteArray::number(quint64(st.st_ino));
    if (S_ISREG(st.st_mode)) {
        node.type = Node::Regular;
    } else if (S_ISDIR(st.st_mode)) {
        node.type = Node::Directory;
    } else {
        node.type = Node::Other;
        node.reason = typeReason(st.st_mode);
    }
    return node;
}

// Lists a folder's entry names, sorted. Returns the reason on failure. The folder
// is reached like a file (only root's links followed, no link on the rest of the
// way), so a folder swapped for a link mid-walk is not listed. viaLink: reached
// through a link the item's policy allowed; its target is listed, and only while
// it is still below root (the item's root).
QString listDir(const QString &dir, QStringList &names, bool viaLink = false, const QString &root = {})
{
    const QString target = viaLink ? QFileInfo(dir).canonicalFilePath() : dir;
    if (target.isEmpty())
        return kVanished;
    if (viaLink && root != QLatin1String("/") && !target.startsWith(root + QLatin1Char('/')))
        return QStringLiteral("symbolic link to %1 (not followed: outside %2)").arg(target, root);
    auto resolved = safefs::resolveTrustedLinks(target);
    if (!resolved)
        return resolved.error().message;
    auto folder = safefs::openDir(*resolved);
    if (!folder)
        return QFileInfo::exists(*resolved) ? folder.error().message : kVanished;
    int fd = -1;
    do {
        fd = ::openat(folder->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        const int error = errno;
        return error == EACCES ? kPermissionDenied : errnoText(error);
    }
    DIR *handle = ::fdopendir(fd);
    if (!handle) {
        const int error = errno;
        ::close(fd);
        return errnoText(error);
    }
    while (const dirent *entry = ::readdir(handle)) {
        const char *name = entry->d_name;
        if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0)
            continue;
        names.append(decodeFileName(name)); // reversibly: names need not be UTF-8
    }
    ::closedir(handle);
    std::sort(names.begin(), names.end());
    return {};
}

// An opened source file: confirmed regular after opening, so a FIFO or device
// swapped in after inspect() is never read (and, opened non-blocking, never blocks).
class SourceFile
{
public:
    SourceFile() = default;
    SourceFile(const SourceFile &) = delete;
    SourceFile &operator=(const SourceFile &) = delete;
    ~SourceFile()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    // Empty on success, otherwise why the file is not collected. The path is
    // resolved following only links root made in root's folders, then opened one
    // component at a time without following any link, and every check is made on
    // the opened descriptor: nothing can be swapped in between. identity: the
    // "dev:ino" the finder saw (empty: not checked).
    QString open(const QString &path, const QByteArray &identity = {})
    {
        auto resolved = safefs::resolveTrustedLinks(path);
        if (!resolved)
            return resolved.error().message;
        auto dir = safefs::openDir(safefs::parentOf(*resolved));
        if (!dir) {
            if (!QFileInfo::exists(safefs::parentOf(*resolved)))
                return kVanished;
            return dir.error().message;
        }
        auto dirStat = safefs::fstatFd(dir->get());
        if (!dirStat)
            return dirStat.error().message;
        const QByteArray name = encodeFileName(safefs::nameOf(*resolved));
        int fd = -1;
        do {
            fd = ::openat(dir->get(), name.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0) {
            const int error = errno;
            switch (error) {
            case EACCES:
            case EPERM:
                return kPermissionDenied;
            case ENOENT:
            case ENOTDIR:
                return kVanished;
            case ELOOP:
                return QStringLiteral("symbolic link (not followed)");
            case ENXIO: // a socket
                return QStringLiteral("not a regular file");
            default:
                return errnoText(error);
            }
        }
        m_fd = fd;
        struct stat st = {};
        if (::fstat(m_fd, &st) != 0)
            return errnoText(errno);
        if (!S_ISREG(st.st_mode))
            return typeReason(st.st_mode);
        const QByteArray opened = QByteArray::number(quint64(st.st_dev)) + ':' + QByteArray::number(quint64(st.st_ino));
        if (!identity.isEmpty() && opened != identity)
            return QStringLiteral("replaced while collecting (not collected)");
        // A hard link planted in someone's folder could name any file on the same
        // file system (/etc/shadow): only the folder owner's own files are taken.
        if (st.st_nlink > 1 && st.st_uid != dirStat->uid)
            return QStringLiteral("hard link to a file owned by %1 in a folder of %2 (not collected)")
                .arg(safefs::describeUid(st.st_uid), safefs::describeUid(dirStat->uid));
        // Regular files never block; clear the flag so reads behave normally.
        const int flags = ::fcntl(m_fd, F_GETFL);
        if (flags >= 0)
            ::fcntl(m_fd, F_SETFL, flags & ~O_NONBLOCK);
        m_size = st.st_size;
        m_mtimeMs = mtimeMsOf(st);
        return {};
    }

    qint64 size() const { return m_size; }
    qint64 mtimeMs() const { return m_mtimeMs; }

    // The file's size and modification time now (-1 size: cannot tell).
    std::pair<qint64, qint64> currentSizeAndMtime() const
    {
        struct stat st = {};
        if (::fstat(m_fd, &st) != 0)
            return {-1, 0};
        return {qint64(st.st_size), mtimeMsOf(st)};
    }

    // Bytes read (0 at end of file) or -1 on error.
    qint64 readAt(qint64 offset, char *buffer, qint64 length)
    {
        while (true) {
            const ssize_t n = ::pread(m_fd, buffer, size_t(length), off_t(offset));
            if (n >= 0)
                return n;
            if (errno != EINTR) {
                m_error = errnoText(errno);
                return -1;
            }
        }
    }

    QString errorString() const { return m_error; }

private:
    int m_fd = -1;
    qint64 m_size = 0;
    qint64 m_mtimeMs = 0;
    QString m_error;
};

#else // !Q_OS_UNIX

Node inspect(const QString &path)
{
    Node node;
    const QFileInfo info(path);
    node.symlink = info.isSymLink();
    if (!info.exists()) {
        if (node.symlink) {
            node.type = Node::Other;
            node.reason = QStringLiteral("dangling symlink or symlink loop");
        }
        return node;
    }
    node.mtimeMs = info.lastModified().toMSecsSinceEpoch();
    node.identity = info.canonicalFilePath().toUtf8();
    if (info.isDir()) {
        node.type = Node::Directory;
    } else if (info.isFile()) {
        node.type = Node::Regular;
    } else {
        node.type = Node::Other;
        node.reason = QStringLiteral("not a regular file");
    }
    return node;
}

QString listDir(const QString &dir, QStringList &names, bool viaLink = false, const QString &root = {})
{
    Q_UNUSED(viaLink);
    Q_UNUSED(root);
    const QDir handle(dir);
    if (!handle.exists())
        return kVanished;
    if (!handle.isReadable())
        return kPermissionDenied;
    names = handle.entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    return {};
}

class SourceFile
{
public:
    QString open(const QString &path, const QByteArray &identity = {})
    {
        Q_UNUSED(identity);
        m_file.setFileName(path);
        if (!m_file.open(QIODevice::ReadOnly)) {
            if (!QFileInfo::exists(path))
                return kVanished;
            if (m_file.error() == QFileDevice::PermissionsError)
                return kPermissionDenied;
            return m_file.errorString();
        }
        if (m_file.isSequential())
            return QStringLiteral("not a regular file");
        m_size = m_file.size();
        m_mtimeMs = m_file.fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch();
        return {};
    }

    qint64 size() const { return m_size; }
    qint64 mtimeMs() const { return m_mtimeMs; }

    std::pair<qint64, qint64> currentSizeAndMtime() const
    {
        const QFileInfo info(m_file.fileName());
        return {m_file.size(), info.lastModified().toMSecsSinceEpoch()};
    }

    qint64 readAt(qint64 offset, char *buffer, qint64 length)
    {
        if (!m_file.seek(offset))
            return offset >= m_file.size() ? 0 : -1;
        return m_file.read(buffer, length);
    }

    QString errorString() const { return m_file.errorString(); }

private:
    QFile m_file;
    qint64 m_size = 0;
    qint64 m_mtimeMs = 0;
};

#endif // Q_OS_UNIX

// A file chosen for collection.
struct Candidate
{
    QString path;     // source path as found
    QString openPath; // what is opened: path, or a followed link's checked target
    QByteArray identity;
    QString relative; // below the pattern's fixed leading folder
    qint64 mtimeMs = 0;
    int order = 0; // discovery order: patterns in profile order, folders sorted by name
};

// Expands an item's patterns into candidate files, recording what it skips.
class Finder
{
public:
    Finder(const ItemSpec &item, CollectContext &ctx, SkipLog &skips)
        : m_item(item)
        , m_ctx(ctx)
        , m_skips(skips)
    {
        for (const QString &glob : item.files.exclude)
            m_excludes.append(globRegex(glob));
        // No staging (an estimate) means nothing to keep out; an empty path would
        // otherwise resolve to the working directory.
        if (!ctx.stagingDir().isEmpty()) {
            const QFileInfo staging(ctx.stagingDir());
            m_stagingCanonical = staging.canonicalFilePath();
            if (m_stagingCanonical.isEmpty())
                m_stagingCanonical = QDir::cleanPath(staging.absoluteFilePath());
        }
        if (item.files.maxAgeDays > 0)
            m_cutoffMs = QDateTime::currentMSecsSinceEpoch() - qint64(item.files.maxAgeDays) * 24 * 3600 * 1000;
    }

    bool cancelled() const { return m_cancelled; }
    QList<Candidate> &found() { return m_found; }

    void addPattern(const QString &raw)
    {
        QString pattern = QDir::cleanPath(QDir::fromNativeSeparators(m_ctx.expand(raw).trimmed()));
        if (pattern.isEmpty() || pattern == QLatin1String("."))
            return;
        if (!QDir::isAbsolutePath(pattern)) {
            m_skips.add(pattern, QStringLiteral("not an absolute path"));
            return;
        }
        // Split off the fixed, glob-free leading folder; the rest is matched segment by segment.
        QStringList segments = pattern.split(QLatin1Char('/'));
        qsizetype firstGlob = -1;
        for (qsizetype i = 0; i < segments.size(); ++i) {
            if (hasGlob(segments[i])) {
                firstGlob = i;
                break;
            }
        }
        if (firstGlob < 0) {
            addExplicit(pattern);
            return;
        }
        QString base = segments.mid(0, firstGlob).join(QLatin1Char('/'));
        if (base.isEmpty() || base.endsWith(QLatin1Char(':'))) // "/x*" or "C:/x*"
            base += QLatin1Char('/');
        setRoot(base);
        matchSegments(base, segments.mid(firstGlob), QString(), false);
    }

private:
    bool checkCancel()
    {
        if (!m_cancelled && m_ctx.isCancelled())
            m_cancelled = true;
        return m_cancelled;
    }

    bool underStaging(const QString &path) const
    {
        if (m_stagingCanonical.isEmpty())
            return false;
        QString canonical = QFileInfo(path).canonicalFilePath();
        if (canonical.isEmpty())
            canonical = QDir::cleanPath(path);
        return canonical.compare(m_stagingCanonical, fileNameCase()) == 0 ||
               canonical.startsWith(m_stagingCanonical + QLatin1Char('/'), fileNameCase());
    }

    bool excluded(const QString &name) const
    {
        const QString shown = displayFileName(name);
        return std::any_of(m_excludes.cbegin(), m_excludes.cend(),
                           [&](const QRegularExpression &re) { return re.match(shown).hasMatch(); });
    }

    // The item's root for this pattern: links followed below it must stay below it.
    void setRoot(const QString &folder)
    {
        m_root = QFileInfo(folder).canonicalFilePath();
        if (m_root.isEmpty())
            m_root = QDir::cleanPath(folder);
    }

    bool belowRoot(const QString &canonical) const
    {
        if (m_root == QLatin1String("/"))
            return canonical.startsWith(QLatin1Char('/'));
        return canonical.startsWith(m_root + QLatin1Char('/'), fileNameCase());
    }

    // Empty when the symbolic link at path may be followed, else the reason it is not.
    QString linkRefusal(const QString &path, const Node &node) const
    {
        if (node.type == Node::Other || node.type == Node::Missing)
            return node.reason; // dangling, loop, permission denied: said as such
        const QString notFollowed = QStringLiteral("symbolic link to %1 (not followed)").arg(node.linkTarget);
        if (!m_item.files.followSymlinks)
            return notFollowed;
        const QString canonical = QFileInfo(path).canonicalFilePath();
        if (canonical.isEmpty() || !belowRoot(canonical))
            return QStringLiteral("symbolic link to %1 (not followed: outside %2)").arg(node.linkTarget, m_root);
#ifdef Q_OS_UNIX
        struct stat folder = {};
        const QString folderPath = QFileInfo(path).absolutePath();
        if (::lstat(encodeFileName(folderPath).constData(), &folder) != 0)
            return notFollowed;
        if (node.ownerUid != 0 && node.ownerUid != folder.st_uid)
            return QStringLiteral("symbolic link to %1 (not followed: owned by %2)")
                .arg(node.linkTarget, safefs::describeUid(node.ownerUid));
#endif
        return {};
    }

    // A path named in full: collected even if it looks rotated or compressed. A
    // link that root made in root's folder (/etc/os-release) is part of the path
    // the profile names; any other link follows the item's link policy.
    void addExplicit(const QString &path)
    {
        const Node node = inspect(path);
        bool viaLink = false;
        if (node.symlink && node.type != Node::Other && node.type != Node::Missing) {
            setRoot(QFileInfo(path).absolutePath());
            auto resolved = safefs::resolveTrustedLinks(path);
            if (!resolved) {
                if (const QString why = linkRefusal(path, node); !why.isEmpty()) {
                    m_skips.add(path, why);
                    return;
                }
                viaLink = true;
            }
        }
        switch (node.type) {
        case Node::Missing:
            m_skips.add(path, QStringLiteral("not found"));
            break;
        case Node::Directory:
            setRoot(path);
            walk(path, QString(), 0, viaLink);
            break;
        case Node::Regular:
            if (!node.symlink)
                setRoot(QFileInfo(path).absolutePath());
            consider(path, QFileInfo(path).fileName(), node, false, viaLink);
            break;
        case Node::Other:
            m_skips.add(path, node.reason);
            break;
        }
    }

    void matchSegments(const QString &dir, const QStringList &segments, const QString &relative, bool viaLink)
    {
        if (checkCancel() || segments.isEmpty())
            return;
        const QString &segment = segments.first();
        const QStringList rest = segments.mid(1);
        QStringList names;
        if (!hasGlob(segment)) {
            names.append(segment);
        } else {
            QStringList listed;
            if (const QString why = listDir(dir, listed, viaLink, m_root); !why.isEmpty()) {
                if (why != kVanished)
                    m_skips.add(dir, why);
                return;
            }
            const QRegularExpression re = globRegex(segment);
            // Like a shell, a wildcard does not match a leading dot unless the pattern has one.
            const bool matchHidden = segment.startsWith(QLatin1Char('.'));
            for (const QString &name : std::as_const(listed))
                if ((matchHidden || !name.startsWith(QLatin1Char('.'))) && re.match(displayFileName(name)).hasMatch())
                    names.append(name);
        }
        for (const QString &name : std::as_const(names)) {
            if (checkCancel())
                return;
            const QString path = joinPath(dir, name);
            const QString childRelative = joinRelative(relative, name);
            const Node node = inspect(path);
            // A glob match that is a symbolic link (to a folder or a file) is not
            // walked unless the item allows it and the link passes the checks.
            if (node.symlink && node.type != Node::Missing) {
                if (!rest.isEmpty() && node.type != Node::Directory)
                    continue;
                if (excluded(name) && rest.isEmpty())
                    continue;
                if (const QString why = linkRefusal(path, node); !why.isEmpty()) {
                    m_skips.add(path, why);
                    continue;
                }
            }
            const bool throughLink = viaLink || node.symlink;
            if (!rest.isEmpty()) {
                if (node.type == Node::Directory)
                    matchSegments(path, rest, childRelative, throughLink);
                continue;
            }
            switch (node.type) {
            case Node::Missing:
                break;
            case Node::Directory:
                walk(path, childRelative, 0, throughLink);
                break;
            case Node::Regular:
                if (!excluded(name))
                    consider(path, childRelative, node, true, throughLink);
                break;
            case Node::Other:
                if (!excluded(name))
                    m_skips.add(path, node.reason);
                break;
            }
        }
    }

    void walk(const QString &dir, const QString &relative, int depth, bool viaLink)
    {
        if (checkCancel() || underStaging(dir))
            return;
        if (depth > kMaxDepth) {
            m_skips.add(dir, QStringLiteral("folder nested too deeply"));
            return;
        }
        QStringList names;
        if (const QString why = listDir(dir, names, viaLink, m_root); !why.isEmpty()) {
            m_skips.add(dir, why);
            return;
        }
        for (const QString &name : std::as_const(names)) {
            if (checkCancel())
                return;
            if (excluded(name))
                continue;
            const QString path = joinPath(dir, name);
            const QString childRelative = joinRelative(relative, name);
            const Node node = inspect(path);
            if (node.symlink && node.type != Node::Missing) {
                if (const QString why = linkRefusal(path, node); !why.isEmpty()) {
                    m_skips.add(path, why);
                    continue;
                }
            }
            const bool throughLink = viaLink || node.symlink;
            switch (node.type) {
            case Node::Missing:
                m_skips.add(path, kVanished);
                break;
            case Node::Directory:
                if (m_item.files.recursive)
                    walk(path, childRelative, depth + 1, throughLink);
                break;
            case Node::Regular:
                consider(path, childRelative, node, true, throughLink);
                break;
            case Node::Other:
                m_skips.add(path, node.reason);
                break;
            }
        }
    }

    // listed: found through a folder or a glob, where the rotated/compressed filters apply.
    // viaLink: a followed symbolic link is on the way: the checked target is opened.
    void consider(const QString &path, const QString &relative, const Node &node, bool listed, bool viaLink)
    {
        const QString name = QFileInfo(path).fileName();
        if (excluded(name))
            return;
        if (listed && !m_item.files.compressed && isCompressedName(name))
            return;
        if (listed && !m_item.files.rotated) {
            if (const QString live = liveNameOf(path); !live.isEmpty()) {
                m_skips.add(path, QStringLiteral("rotated copy of %1 (the item does not take rotated logs)").arg(live));
                return;
            }
        }
        if (m_seen.contains(node.identity))
            return;
        m_seen.insert(node.identity);
        if (underStaging(path))
            return;
        if (m_cutoffMs > 0 && node.mtimeMs < m_cutoffMs) {
            m_skips.add(path, QStringLiteral("older than %1 days").arg(m_item.files.maxAgeDays));
            return;
        }
        QString openPath = path;
        if (viaLink) {
            // Opened by its checked, link-free target, which must still be below the root.
            openPath = QFileInfo(path).canonicalFilePath();
            if (openPath.isEmpty()) {
                m_skips.add(path, kVanished);
                return;
            }
            if (!belowRoot(openPath) && !safefs::resolveTrustedLinks(path)) {
                m_skips.add(path,
                            QStringLiteral("symbolic link to %1 (not followed: outside %2)").arg(openPath, m_root));
                return;
            }
        }
        m_found.append(Candidate{path, openPath, node.identity, relative, node.mtimeMs, int(m_found.size())});
    }

    const ItemSpec &m_item;
    CollectContext &m_ctx;
    SkipLog &m_skips;
    QList<QRegularExpression> m_excludes;
    QString m_stagingCanonical;
    QString m_root; // canonical fixed leading folder of the current pattern
    qint64 m_cutoffMs = 0;
    QSet<QByteArray> m_seen;
    QList<Candidate> m_found;
    bool m_cancelled = false;
};

// The outcome of copying one file.
struct CopyResult
{
    enum Kind { Staged, Skipped, WriteFailed, Cancelled };
    Kind kind = Staged;
    FileEntry entry; // Staged
    QString reason;  // Skipped, WriteFailed
};

enum class CopyStatus { Ok, ReadError, WriteError, Cancelled };

// Copies [offset, end) into staged in chunks, polling for cancel; stops early at
// the end of the file (one that shrank while read). offset: where it stopped.
CopyStatus copyRange(
    SourceFile &source, StagedFile &staged, qint64 &offset, qint64 end, QByteArray &buffer, const CollectContext &ctx)
{
    while (offset < end) {
        if (ctx.isCancelled())
            return CopyStatus::Cancelled;
        const qint64 n = source.readAt(offset, buffer.data(), qMin<qint64>(buffer.size(), end - offset));
        if (n < 0)
            return CopyStatus::ReadError;
        if (n == 0)
            break;
        if (!staged.write(buffer.constData(), n))
            return CopyStatus::WriteError;
        offset += n;
    }
    return CopyStatus::Ok;
}

CopyResult copyFile(const Candidate &candidate,
                    const QString &relative,
                    const ItemSpec &item,
                    const CollectContext &ctx,
                    QByteArray &buffer)
{
    CopyResult result;
    SourceFile source;
    if (const QString why = source.open(candidate.openPath, candidate.identity); !why.isEmpty()) {
        result.kind = CopyResult::Skipped;
        result.reason = why;
        return result;
    }
    // The size at open bounds the read: a log that keeps growing cannot keep us here.
    const qint64 size = source.size();
    const qint64 cap = item.maxBytes;
    // Pseudo-files (/proc, /sys) report size 0 but have content: read them to
    // their end, bounded by the cap (the profile's per-item cap if the item has
    // none, since such a file need not end).
    const bool unknownSize = size == 0;
    const qint64 unknownCap = cap > 0 ? cap : ctx.profile().limits.itemBytes;
    qint64 begin = 0;
    qint64 end = unknownSize ? unknownCap : size;
    bool tail = false;
    if (!unknownSize && cap > 0 && size > cap) {
        if (item.files.tail) {
            begin = size - cap;
            tail = true;
        } else {
            end = cap;
        }
    }

    auto created = StagedFile::create(ctx.stagingDir(), item.stagedPath() + QLatin1Char('/') + relative);
    if (!created) {
        result.kind = CopyResult::WriteFailed;
        result.reason = created.error().message;
        return result;
    }
    StagedFile &staged = **created;
    const auto fail = [&](CopyStatus status) {
        staged.discard();
        if (status == CopyStatus::Cancelled) {
            result.kind = CopyResult::Cancelled;
        } else if (status == CopyStatus::ReadError) {
            result.kind = CopyResult::Skipped;
            result.reason = QStringLiteral("read error: %1").arg(source.errorString());
        } else {
            result.kind = CopyResult::WriteFailed;
            result.reason = QStringLiteral("cannot write to staging: %1").arg(staged.errorString());
        }
        return result;
    };

    qint64 offset = begin;
    if (tail) {
        // Keep whole lines: start after the first line break of the window. The
        // window is read from one byte earlier, so a window that already starts a
        // line (previous byte '\n') is kept as is. No break in the first 64 KiB:
        // the data is not line-oriented, keep it raw.
        const qint64 from = begin - 1;
        const qint64 want = qMin(kLineSearchBytes + 1, end - from);
        qint64 got = 0;
        while (got < want) {
            const qint64 n = source.readAt(from + got, buffer.data() + got, want - got);
            if (n < 0)
                return fail(CopyStatus::ReadError);
            if (n == 0)
                break;
            got += n;
        }
        qint64 keepFrom = 1; // index in buffer of `begin`
        const qsizetype newline = QByteArrayView(buffer.constData(), got).indexOf('\n');
        if (newline >= 0)
            keepFrom = newline + 1;
        if (got > keepFrom && !staged.write(buffer.constData() + keepFrom, got - keepFrom))
            return fail(CopyStatus::WriteError);
        offset = from + got;
    }
    if (const CopyStatus status = copyRange(source, staged, offset, end, buffer, ctx); status != CopyStatus::Ok)
        return fail(status);

    // A log cut while it was read (copytruncate, an editor's save) ends early or is
    // shorter now than when opened: what was staged is not the whole file.
    const auto [sizeAfter, mtimeAfter] = source.currentSizeAndMtime();
    const bool endedEarly = !unknownSize && offset < end;
    const bool shrank = sizeAfter >= 0 && sizeAfter < size;

    Status status = Status::Collected;
    QString reason;
    if (endedEarly || shrank) {
        status = Status::Truncated;
        reason = QStringLiteral("the file shrank while it was read (%1 bytes when opened, %2 after, modified %3 -> "
                                "%4); kept %5 bytes")
                     .arg(size)
                     .arg(qMax<qint64>(sizeAfter, 0))
                     .arg(QDateTime::fromMSecsSinceEpoch(source.mtimeMs(), Qt::UTC).toString(Qt::ISODateWithMs),
                          QDateTime::fromMSecsSinceEpoch(mtimeAfter, Qt::UTC).toString(Qt::ISODateWithMs))
                     .arg(staged.bytesWritten());
    } else if (tail) {
        status = Status::Truncated;
        reason = QStringLiteral("kept the newest %1 of %2 bytes").arg(staged.bytesWritten()).arg(size);
    } else if (cap > 0 && !unknownSize && size > cap) {
        status = Status::Truncated;
        reason = QStringLiteral("kept the first %1 of %2 bytes").arg(staged.bytesWritten()).arg(size);
    } else if (unknownSize && staged.bytesWritten() >= unknownCap) {
        status = Status::Truncated;
        reason = QStringLiteral("kept the first %1 bytes").arg(staged.bytesWritten());
    }
    auto entry = staged.finish(escapedFileName(candidate.path), status, reason);
    if (!entry) {
        result.kind = CopyResult::WriteFailed;
        result.reason = entry.error().message;
        return result;
    }
    result.entry = *entry;
    result.entry.redactable = item.redactable;
    if (hasUndecodableBytes(candidate.path))
        result.entry.sourceBytes = encodeFileName(candidate.path);
    return result;
}

// Removes an item's staged files and the folders that became empty, up to (and
// including) the item's own folder, never above it.
void removeStaged(const QString &stagingDir, const QString &itemPath, const QList<FileEntry> &files)
{
    const QString itemDir = QFileInfo(stagingDir + QLatin1Char('/') + itemPath).absoluteFilePath();
    const auto inItemDir = [&](const QString &dir) {
        return dir == itemDir || dir.startsWith(itemDir + QLatin1Char('/'));
    };
    for (const FileEntry &file : files) {
        const QString path = QFileInfo(stagingDir + QLatin1Char('/') + file.path).absoluteFilePath();
        QFile::remove(path);
        QString dir = QFileInfo(path).absolutePath();
        while (inItemDir(dir) && QDir().rmdir(dir))
            dir = QFileInfo(dir).absolutePath();
    }
}

// The staged path of a source: relative to its pattern, or, when two sources
// would land on the same path, its absolute path (without the root).
QString uniqueRelative(const Candidate &candidate, QSet<QString> &used)
{
    const auto key = [](const QString &path) { return fileNameCase() == Qt::CaseInsensitive ? path.toLower() : path; };
    // A name that is not UTF-8 is staged (and archived) escaped; the manifest keeps its bytes.
    QString relative = escapedFileName(candidate.relative);
    if (used.contains(key(relative))) {
        QString absolute = QDir::fromNativeSeparators(QFileInfo(candidate.path).absoluteFilePath());
        absolute.remove(QLatin1Char(':')); // "C:/x" -> "C/x"
        while (absolute.startsWith(QLatin1Char('/')))
            absolute.remove(0, 1);
        absolute = escapedFileName(absolute);
        relative = absolute;
        for (int n = 2; used.contains(key(relative)); ++n)
            relative = absolute + QStringLiteral("~%1").arg(n);
    }
    used.insert(key(relative));
    return relative;
}

} // namespace

ItemResult FileCollector::collect(const ItemSpec &item, CollectContext &ctx)
{
    ItemResult result = ItemResult::forSpec(item);
    result.started = QDateTime::currentDateTimeUtc();
    const auto finish = [&]() {
        result.finished = QDateTime::currentDateTimeUtc();
        return result;
    };
    const auto cancelled = [&]() {
        removeStaged(ctx.stagingDir(), item.stagedPath(), result.files);
        result.files.clear();
        result.status = Status::Skipped;
        result.reason = kCancelled;
        return finish();
    };
    if (ctx.isCancelled())
        return cancelled();

    SkipLog skips(result.skippedFiles, item.redactable);
    Finder finder(item, ctx, skips);
    for (const QString &pattern : item.files.paths) {
        finder.addPattern(pattern);
        if (finder.cancelled())
            return cancelled();
    }

    QList<Candidate> &candidates = finder.found();
    const qsizetype matched = candidates.size();
    if (item.files.maxFiles > 0 && matched > item.files.maxFiles) {
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate &a, const Candidate &b) { return a.mtimeMs > b.mtimeMs; });
        candidates.resize(item.files.maxFiles);
        std::sort(candidates.begin(), candidates.end(),
                  [](const Candidate &a, const Candidate &b) { return a.order < b.order; });
        result.status = Status::Truncated;
        result.reason = QStringLiteral("kept the newest %1 of %2 matching files").arg(item.files.maxFiles).arg(matched);
    }

    QByteArray buffer(kChunkBytes, Qt::Uninitialized);
    QSet<QString> used;
    for (const Candidate &candidate : std::as_const(candidates)) {
        if (ctx.isCancelled())
            return cancelled();
        const QString relative = uniqueRelative(candidate, used);
        CopyResult copied = copyFile(candidate, relative, item, ctx, buffer);
        switch (copied.kind) {
        case CopyResult::Staged:
            result.files.append(copied.entry);
            break;
        case CopyResult::Skipped:
            skips.add(candidate.path, copied.reason);
            break;
        case CopyResult::Cancelled:
            return cancelled();
        case CopyResult::WriteFailed:
            // Staging is unusable (full disk, ...): the next files would fail the same way.
            skips.add(candidate.path, copied.reason, Status::Failed);
            skips.finish();
            result.status = result.files.isEmpty() ? Status::Failed : Status::Truncated;
            result.reason = QStringLiteral("stopped: %1").arg(copied.reason);
            return finish();
        }
    }
    skips.finish();
    result.settleStatus();
    return finish();
}

qint64 FileCollector::estimateBytes(const ItemSpec &item, CollectContext &ctx)
{
    QList<FileEntry> ignored;
    SkipLog skips(ignored, item.redactable);
    Finder finder(item, ctx, skips);
    for (const QString &pattern : item.files.paths)
        finder.addPattern(pattern);
    QList<Candidate> &candidates = finder.found();
    if (item.files.maxFiles > 0 && candidates.size() > item.files.maxFiles) {
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate &a, const Candidate &b) { return a.mtimeMs > b.mtimeMs; });
        candidates.resize(item.files.maxFiles);
    }
    qint64 total = 0;
    for (const Candidate &candidate : std::as_const(candidates)) {
#ifdef Q_OS_UNIX
        struct stat st = {};
        const qint64 size = ::stat(encodeFileName(candidate.openPath).constData(), &st) == 0 ? qint64(st.st_size) : 0;
#else
        const qint64 size = QFileInfo(candidate.openPath).size();
#endif
        total += item.maxBytes > 0 ? qMin(size, item.maxBytes) : size;
    }
    return total;
}

} // namespace dc::core
