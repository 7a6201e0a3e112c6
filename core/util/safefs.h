// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>
#include <optional>

// The one file-system layer for everything a root run reads or writes in
// folders that another user may control (docs/SECURITY.md).
//
// Every path is opened one component at a time with openat(O_NOFOLLOW), so a
// symbolic link anywhere in it is never followed, and every check (type, owner,
// mode, link count) is made with fstat on the descriptor that is then used, so
// nothing can be swapped between the check and the use. New files are created
// with O_CREAT|O_EXCL|O_NOFOLLOW under a temporary name in an already opened
// folder, get their mode and owner on the descriptor, are fsynced and renamed
// into place with renameat2(RENAME_NOREPLACE) (or renameat when replacing is
// the point). Trees are removed with unlinkat, walking by descriptor.
//
// All functions are thread-safe and never throw. On Windows they work by path:
// reparse points on the way are refused, but owners are not checked and a swap
// between check and use is not excluded (TODO(windows): open each component with
// FILE_FLAG_OPEN_REPARSE_POINT and check the handle, see docs/SECURITY.md).

namespace dc::core::safefs {

// An owned file descriptor, closed on destruction.
class Fd
{
public:
    Fd() = default;
    explicit Fd(int fd)
        : m_fd(fd)
    {
    }
    Fd(Fd &&other) noexcept
        : m_fd(other.release())
    {
    }
    Fd &operator=(Fd &&other) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd();

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd = -1;
};

// What fstat said about an opened file or folder.
struct Stat
{
    quint32 uid = 0;
    quint32 gid = 0;
    quint32 mode = 0; // permission bits and type, as st_mode
    quint64 nlink = 0;
    qint64 size = 0;
    quint64 dev = 0;
    quint64 ino = 0;
    qint64 mtimeMs = 0;

    bool isRegular() const;
    bool isDirectory() const;
    // Writable by others, or by a group other than root's (gid 0); the sticky bit
    // is not considered here.
    bool writableByOthers() const;
    bool sticky() const;
    QByteArray identity() const; // "dev:ino"
};

Result<Stat> fstatFd(int fd);

// Who may own the folders and files a root run trusts: root always, plus the
// listed accounts (a product's service account, the folder's owner).
struct Trust
{
    QList<quint32> owners; // besides root (uid 0)
    bool trusts(quint32 uid) const { return uid == 0 || owners.contains(uid); }
};

// "root", "acme (uid 998)" or "uid 1234".
QString describeUid(quint32 uid);
// The uid of a local account, nullopt when there is none.
std::optional<quint32> uidOfAccount(const QString &name);
// The effective uid of this process (0 as root; 0 on Windows).
quint32 effectiveUid();

// Opens an absolute folder path one component at a time with
// O_NOFOLLOW|O_DIRECTORY from "/". A symbolic link anywhere is an error
// (ErrorCode::Io, "… is a symbolic link").
Result<Fd> openDir(const QString &absolutePath);

// openDir(), and each folder on the way, "/" included, must be owned by a
// trusted account and not writable by group or others. A folder that others
// may write but that has the sticky bit (/tmp) is accepted when the entry
// below it is owned by a trusted account: then nobody else can rename or
// replace that entry. The last folder itself must never be writable by others.
// The error message names the folder and what is wrong with it.
Result<Fd> openTrustedDir(const QString &absolutePath, const Trust &trust);

// Resolves an absolute path like realpath(3), but follows a symbolic link only
// when root owns it and the folder holding it is owned by root and cannot be
// changed by others (sticky folders included): links only root could have made,
// such as /etc/os-release or /proc/self. Any other link is an error ("… is a
// symbolic link owned by …"). A missing component ends the resolution; the rest
// is appended as it is (opening it then fails). The result names no symlink.
Result<QString> resolveTrustedLinks(const QString &absolutePath);

// Opens a relative path below an opened folder, each component with
// O_NOFOLLOW. ".." and absolute paths are refused.
Result<Fd> openDirAt(int dirFd, const QString &relativePath);

// Creates the missing folders of relativePath below dirFd (mode, no symlink
// followed) and opens the last one.
Result<Fd> makeDirsAt(int dirFd, const QString &relativePath, quint32 mode = 0700);

// An opened regular file.
struct OpenedFile
{
    Fd fd;
    Stat stat;
};

// Opens name (one component) in dirFd for reading with O_NOFOLLOW|O_NONBLOCK
// (a FIFO never blocks), then checks on the descriptor that it is a regular
// file; O_NONBLOCK is then cleared. A symlink gives ELOOP: the message says
// "is a symbolic link". errnoOut (optional) receives the failing errno.
Result<OpenedFile> openRegularAt(int dirFd, const QString &name, int *errnoOut = nullptr);
// The same for an absolute path: its folders are opened with openDir().
Result<OpenedFile> openRegular(const QString &absolutePath, int *errnoOut = nullptr);

// Reads the whole file from its start, at most maxBytes (more is an error).
Result<QByteArray> readAll(int fd, qint64 maxBytes, const QString &nameForErrors);

struct WriteOptions
{
    quint32 mode = 0600;
    std::optional<quint32> uid; // set on the descriptor (as root); unset: the caller's
    std::optional<quint32> gid;
    bool replace = false; // false: an existing name is an error (renameat2 NOREPLACE)
};

// A new file being written in an opened folder: created as a hidden temporary
// name with O_CREAT|O_EXCL|O_NOFOLLOW and the options' mode and owner, and
// renamed to its name only by commit(). Destroying it uncommitted removes it.
class AtomicFile
{
public:
    AtomicFile() = default;
    AtomicFile(AtomicFile &&other) noexcept;
    AtomicFile &operator=(AtomicFile &&) = delete;
    AtomicFile(const AtomicFile &) = delete;
    ~AtomicFile();

    // dirFd is duplicated; name is one component.
    static Result<AtomicFile> create(int dirFd, const QString &name, const WriteOptions &options = {});
    int fd() const { return m_fd.get(); }
    Result<void> write(const char *data, qint64 size);
    Result<void> write(const QByteArray &bytes) { return write(bytes.constData(), bytes.size()); }
    // fsync, rename into place (no replace unless asked), fsync the folder.
    Result<void> commit();
    void discard();

private:
    Fd m_dir;
    Fd m_fd;
    QByteArray m_temp;
    QString m_name;
    bool m_replace = false;
};

// Content written in pieces: calls AtomicFile::write() as often as it needs
// (a large pseudonym map is never held in memory as one buffer).
using ContentWriter = std::function<Result<void>(AtomicFile &)>;

// Writes bytes as name in an opened folder (AtomicFile in one call).
Result<void> writeFileAt(int dirFd, const QString &name, const QByteArray &bytes, const WriteOptions &options = {});
Result<void>
writeFileAt(int dirFd, const QString &name, const ContentWriter &content, const WriteOptions &options = {});
// The same for an absolute path; the folder is opened with openDir() (no
// symlink followed, no ownership requirement beyond that).
Result<void> writeFile(const QString &absolutePath, const QByteArray &bytes, const WriteOptions &options = {});
Result<void> writeFile(const QString &absolutePath, const ContentWriter &content, const WriteOptions &options = {});

// writeFile() for files the caller keeps updating (pseudonym maps, receipts): a
// missing name is created without replacing anything; an existing one is
// replaced only when it is a regular file with one link owned by the caller.
// A symbolic link (even a dangling one), someone else's file or a hard link is
// never followed or replaced: an error names it.
Result<void> writeOwnFile(const QString &absolutePath, const QByteArray &bytes, quint32 mode = 0600);
Result<void> writeOwnFile(const QString &absolutePath, const ContentWriter &content, quint32 mode = 0600);

// Removes name (a file, a symlink or a whole tree) below dirFd without ever
// following a symbolic link; folders are walked by descriptor. A missing name
// is not an error.
Result<void> removeTreeAt(int dirFd, const QString &name);
// The same for an absolute path (its parent opened with openDir()).
Result<void> removeTree(const QString &absolutePath);

// The folder part and the last component of an absolute path.
QString parentOf(const QString &absolutePath);
QString nameOf(const QString &absolutePath);

// A relative path that stays below its root: not empty, not absolute, no
// "." or ".." component, no empty component, no backslash (Windows).
bool isNormalizedRelative(const QString &path);

} // namespace dc::core::safefs
