// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/manifest.h"

#include <QString>

namespace dc::core {

// How a run's files are named, said once: the archive, its pseudonym map and its
// consent receipt (retention, receipts, pack and the run object all use these).

// "diagcollect-<host>[-<case>]-<UTC yyyyMMddThhmmssZ>" for a manifest's run.
// A redacted manifest's host is its pseudonym ("host-1"), so the name leaks nothing.
QString archiveBaseName(const Manifest &manifest);

// The pseudonym map saved beside an archive: "<archive path>.map.json".
inline constexpr auto kMapSuffix = ".map.json";
QString mapPathFor(const QString &archivePath);

// A consent receipt's file name: "<archive file name>.receipt.json" (in receiptsDir()).
inline constexpr auto kReceiptSuffix = ".receipt.json";
QString receiptFileName(const QString &archiveFileName);

} // namespace dc::core
