// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/manifest.h"
#include "core/util/result.h"

#include <QString>
#include <atomic>
#include <functional>

namespace dc::core {

enum class ArchiveFormat { TarZstd, Zip };
QString archiveExtension(ArchiveFormat format); // "tar.zst" or "zip"
std::optional<ArchiveFormat> archiveFormatFromName(const QString &name);

struct PackageOptions
{
    ArchiveFormat format = ArchiveFormat::TarZstd;
    int zstdLevel = 3;
    int threads = 0; // compression threads; 0 = one per core
    // Every entry is stored below this folder name ("diagcollect-host-...").
    QString topDir;
    // The one timestamp given to every entry, so equal staging gives equal bytes.
    QDateTime entryTime;
    // Called from the packaging thread with bytes read so far and the total.
    std::function<void(qint64 done, qint64 total)> progress;
    const std::atomic_bool *cancelled = nullptr;
    // Runs on the finished temporary archive before it is renamed into place;
    // an error aborts packaging and removes it (used by the redaction leak check).
    std::function<Result<void>(const QString &temporaryArchive)> beforeCommit;
    // For tests: overrides the free-space probe (bytes available at the output).
    std::function<qint64(const QString &dir)> freeSpace;
};

struct PackageResult
{
    QString path; // absolute path of the finished archive
    qint64 bytes = 0;
    QByteArray sha256; // lower-case hex of the archive bytes
};

// Packages every regular file below stagingDir, in sorted order with
// normalized owner, mode and time, into outputPath. Streams in fixed-size
// chunks. Writes ".<name>.partial" beside outputPath (mode 0600) and renames
// it only when complete; on any error, cancel or full disk nothing is left
// under either name. Fails early when the output's free space is below the
// staged size plus a margin.
Result<PackageResult>
packageDirectory(const QString &stagingDir, const QString &outputPath, const PackageOptions &options);

struct VerifyReport
{
    bool intact = false;
    QStringList problems; // one line per difference: "modified: os-config/x.txt"
    int entries = 0;
    Manifest manifest;
};

// Re-reads an archive (tar.zst or zip, detected from content), hashes every
// entry and compares with the manifest.json inside: modified, missing and
// extra entries are each reported. An unreadable archive is an error.
Result<VerifyReport> verifyArchive(const QString &archivePath);

// A self-contained HTML page for the support engineer: what was collected,
// sizes per category, what was skipped or truncated and why.
QByteArray summaryHtml(const Manifest &manifest);

} // namespace dc::core
