// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/collect/itemresult.h"
#include "core/util/result.h"

#include <QCryptographicHash>
#include <QFile>
#include <QString>
#include <memory>

namespace dc::core {

// A private (0700) directory that holds one run's collected data until it is
// packaged. A marker file beside it names the owning process, so a run that was
// killed leaves nothing that the next start does not remove.
class Staging
{
public:
    // Creates a fresh directory below root (default paths::stagingRoot()).
    static Result<std::unique_ptr<Staging>> create(const QString &root = QString());
    // Removes staging directories below root whose owning process is gone.
    // Returns how many were removed. Never touches a live run's directory.
    static int removeStale(const QString &root = QString());

    ~Staging(); // removes the directory unless setKeep(true)
    Staging(const Staging &) = delete;
    Staging &operator=(const Staging &) = delete;

    const QString &path() const { return m_path; }
    void setKeep(bool keep) { m_keep = keep; }
    bool keep() const { return m_keep; }
    // Removes the directory and its marker now; safe to call twice.
    void remove();

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
    QString errorString() const { return m_file.errorString(); }
    // Flushes and closes; the entry carries path, bytes and sha256.
    Result<FileEntry> finish(const QString &source, Status status = Status::Collected, const QString &reason = {});
    // Closes and deletes the file (nothing usable was written).
    void discard();

private:
    StagedFile(const QString &absolutePath, QString relativePath);
    QFile m_file;
    QString m_relativePath;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    qint64 m_bytes = 0;
};

// Creates dir and its missing parents with mode 0700.
bool makePrivateDirs(const QString &dir);
// Removes a directory tree without following symlinks out of it.
bool removeTree(const QString &dir);
// Hex sha256 of a file's content, streamed; empty on read error.
QByteArray sha256OfFile(const QString &path);

} // namespace dc::core
