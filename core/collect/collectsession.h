// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/archive.h"
#include "core/bundle/manifest.h"
#include "core/bundle/naming.h" // archiveBaseName, mapPathFor: moved there
#include "core/bundle/staging.h"
#include "core/collect/collectionrunner.h"
#include "core/profile/profile.h"

#include <memory>

namespace dc::core {

struct CollectRequest
{
    Profile profile;
    RunOptions run;
    QString caseId;      // validated with isValidCaseId()
    QString stagingRoot; // default paths::stagingRoot()
};

// The collection part of a run: staging, the runner, the manifest. Owned by
// core::CollectionJob (core/run/collectionjob.h), which strings the run together:
//   create() -> runner()->start() ... finished -> finishCollection(summary)
class CollectSession
{
public:
    static Result<std::unique_ptr<CollectSession>> create(CollectRequest request);
    ~CollectSession();

    const QString &stagingPath() const { return m_staging->path(); }
    Staging &staging() { return *m_staging; }
    const CollectRequest &request() const { return m_request; }
    // The runner for this session's staging; owned by the session.
    CollectionRunner *runner() { return m_runner.get(); }

    // Records the run: writes summary.html and manifest.json into staging.
    Result<void> finishCollection(const RunSummary &summary);
    const Manifest &manifest() const { return m_manifest; }

private:
    explicit CollectSession(CollectRequest request, std::unique_ptr<Staging> staging);
    CollectRequest m_request;
    std::unique_ptr<Staging> m_staging;
    std::unique_ptr<CollectionRunner> m_runner;
    Manifest m_manifest;
};

// Packages `folder` (a staging folder holding manifest.json) into
// outputDir/archiveBaseName(manifest).<ext>, creating outputDir; when that name
// is taken (runs started in the same second), <base>-2, <base>-3, ... (the top
// folder inside matches). Every archive a run or `pack` writes goes through here.
Result<PackageResult> packageFolder(const QString &folder,
                                    const Manifest &manifest,
                                    const QString &outputDir,
                                    ArchiveFormat format,
                                    PackageOptions options = {});

// Creates outputDir when it is missing. For a root run it then refuses a folder
// another user could change: the folder and every folder above it must be owned
// by root and not writable by group or others (a sticky folder such as /tmp is
// accepted when the entry below it is root's), so that no planted file, symlink
// or rename can steer what root writes there. ErrorCode::Usage (exit code 2)
// with a message naming the folder and the problem. docs/SECURITY.md.
Result<void> prepareOutputFolder(const QString &outputDir);

// Case IDs go into file names and HTTP paths: letters, digits, '.', '_', '-', 1-64 long.
bool isValidCaseId(const QString &caseId);

// Re-reads a staging folder (after the user edited or deleted files in it),
// updates the manifest's sizes and digests, marks deleted files, and rewrites
// summary.html and manifest.json. Used by `diagcollect pack`. The manifest may
// only name relative, normalized paths below the folder ("../x", "/etc/shadow"
// are a usage error), and only regular files are read, each opened without
// following a symbolic link (a FIFO or /dev/zero never hangs it). As root, the
// folder must be one nobody else can change (owned by root like every folder above it).
Result<Manifest> refreshStaging(const QString &stagingDir);

// Writes summary.html and manifest.json for manifest into stagingDir; the
// summary's own entry is added to manifest.extraFiles.
Result<void> writeManifestFiles(const QString &stagingDir, Manifest &manifest);

} // namespace dc::core
