// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/staging.h"
#include "core/policy/policy.h"
#include "core/upload/uploader.h"

#include <atomic>
#include <memory>

namespace dc::core {

// The administrator's policy on sending (docs/POLICY.md), for `upload` and for
// a run's delivery alike: refuses (ErrorCode::PolicyRefused) when uploading is
// forbidden or a remote run is not allowed, and fixes the address (an empty
// options.url becomes the policy's; another one is refused).
Result<void> applyUploadPolicy(const Policy &policy, UploadOptions &options, bool remoteOption, bool desktop = false);

// What is sent when the policy requires sealing: a private copy of the archive
// (in a staging folder of its own, removed with this object), checked whole
// as a sealed archive (checkSealedFile) and for the policy's key. The bytes
// checked are the bytes sent: nothing can swap or append to the copy.
struct SendableArchive
{
    QString path; // what to upload: the archive itself, or the checked copy (same file name)
    std::unique_ptr<Staging> copyFolder;
};

// Without require_sealing: the archive itself. With it: the checked copy, or
// ErrorCode::PolicyRefused naming what is wrong (not sealed, another key).
Result<SendableArchive> sendableArchive(const QString &archive,
                                        const Policy &policy,
                                        const QString &stagingRoot = {},
                                        const std::atomic_bool *cancelled = nullptr);

// `diagcollect upload`: both of the above, then uploadFile() (attempt: as there).
Result<UploadReport> uploadUnderPolicy(const QString &archive,
                                       UploadOptions options,
                                       const Policy &policy,
                                       bool remoteOption,
                                       const UploadCallbacks &callbacks = {},
                                       UploadReport *attempt = nullptr);

} // namespace dc::core
