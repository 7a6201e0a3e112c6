// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Internal to the archive writer; used by bench/ to compare the two zstd
// paths. Application code calls dc::core::packageDirectory().

#include "core/bundle/archive.h"

namespace dc::core::detail {

enum class ZstdEngine {
    // Our own ZSTD_CCtx (ZSTD_c_nbWorkers, ZSTD_compressStream2) fed the plain
    // tar stream from libarchive's write callback. The default.
    LibZstd,
    // libarchive's own zstd write filter with its "threads" option.
    LibArchiveFilter,
};

// packageDirectory() with an explicit zstd engine (ignored for zip).
Result<PackageResult> packageDirectory(const QString &stagingDir,
                                       const QString &outputPath,
                                       const PackageOptions &options,
                                       ZstdEngine engine);

} // namespace dc::core::detail
