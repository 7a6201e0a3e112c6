// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/itemresult.h"
#include "core/util/result.h"
#include "core/util/sha256.h"

#include <QFile>
#include <QString>
#include <memory>

namespace dc::core {

// A private (0700) directory that holds one run's collected data until it is
// packaged. A marker file beside it (NAME.owner) names the owning process, so a
// run that was killed leaves nothing that the next start does not remove. A
// folder kept on purpose (setKeep) gets NAME.kept instead when its owner lets go
// of it, and stale-staging removal leaves it alone.
class Staging
{
public:
    // What a run needs free below the staging root before it starts: a run that
    // fills the disk midway loses its data, so too little space is refused early.
    static constexpr qint64 kMinimumFreeBytes = qint64(32) << 20;

    // Creates a fresh directory below root (default paths::stagingRoot()). Fails
    // with ErrorCode::NoSpace, naming the folder, when less than requiredFreeBytes
    // is available there.
    static Result<std::unique_ptr<Staging>> create(const QString &root = QString(),
                                                   qint64 requiredFreeBytes = kMinimumFreeBytes);
    // Removes staging directories below root whose owning process is gone.
    // Returns how many were removed. Never touches a live run's directory nor
    // one marked as kept (and removes the kept marker of a folder that is gone).
    static int removeStale(const QString &root = QString());
    // What every start of the program (the wizard and each command) calls: the
    // staging of dead runs below paths::stagingRoot() and its pack/ folder is
    // removed, so unredacted data of a killed run does not wait for the next
    // collection. A root that is not this user's own (checked as create() does)
    // is left alone. Returns how many folders were removed.
    static int removeDeadRuns();

    // Removes the directory unless setKeep(true); a kept one is marked as kept
    // (NAME.kept replaces NAME.owner) so that no later start removes it.
    ~Staging();
    Staging(const Staging &) = delete;
    Staging &operator=(const Staging &) = delete;

    const QString &path() const { return m_path; }
    void setKeep(bool keep) { m_keep = keep; }
    bool keep() const { return m_keep; }
    // Removes the directory and its marker now; safe to call twice.
    void remove();
    // The first write into this staging folder that failed ("cannot write to the
    // staging folder X: No space left on device"), empty if none did. A run whose
    // staged data is incomplete for that reason must not end as a success.
    QString writeFailure() const;

private:
    Staging(QString path, QString marker);
    QString m_path;
    QString m_marker;
    bool m_keep = false;
};

// A file being written into staging: private mode, parent folders created,
// sha256 and size computed while writing, so nothing is read twice.
class StagedFile
{
public:
    // relativePath is '/'-separated below stagingDir; it must not escape it.
    static Result<std::unique_ptr<StagedFile>> create(const QString &stagingDir, const QString &relativePath);

    bool write(const char *data, qint64 size);
    bool write(const QByteArray &data) { return write(data.constData(), data.size()); }
    qint64 bytesWritten() const { return m_bytes; }
    // The system's reason for the last failed write ("No space left on device").
    QString errorString() const { return m_error; }
    // Flushes and closes; the entry carries path, bytes and sha256.
    Result<FileEntry> finish(const QString &source, Status status = Status::Collected, const QString &reason = {});
    // Closes and deletes the file (nothing usable was written).
    void discard();

    ~StagedFile();
    StagedFile(const StagedFile &) = delete;
    StagedFile &operator=(const StagedFile &) = delete;

private:
    StagedFile(QString stagingDir, QString absolutePath, QString relativePath);
    bool failed(const QString &reason);
    void close();
#ifdef Q_OS_UNIX
    int m_fd = -1;
#else
    QFile m_file;
#endif
    QString m_stagingDir;
    QString m_absolutePath;
    QString m_relativePath;
    QString m_error;
    Sha256 m_hash;
    qint64 m_bytes = 0;
};

// Creates dir and its missing parents with mode 0700.
bool makePrivateDirs(const QString &dir);
// Removes a directory tree without following symlinks out of it.
bool removeTree(const QString &dir);
// Hex sha256 of a file's content, streamed; empty on read error.
QByteArray sha256OfFile(const QString &path);

} // namespace dc::core
