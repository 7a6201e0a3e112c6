// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/collect/collector.h"

namespace dc::core {

// Copies regular files named by paths, directories and globs into staging.
// - Only regular files are read: FIFOs, sockets, devices and symlink loops are
//   listed in skippedFiles with a reason and never block the run.
// - A file is read up to the size it had when opened (a growing log does not
//   keep the collector busy); one that vanishes is skipped ("vanished").
// - Over max_bytes, the newest bytes are kept from a line start (tail) and the
//   file is marked truncated.
// - Unreadable files are skipped with "permission denied".
// Staged as <category>/<dest>/<path relative to the pattern's fixed prefix>.
class FileCollector final : public Collector
{
public:
    ItemResult collect(const ItemSpec &item, CollectContext &ctx) override;
    // What collect() would stage, from file sizes alone (capped per file and by
    // max_files); reads no content. Used by `list --estimate` and the wizard.
    static qint64 estimateBytes(const ItemSpec &item, CollectContext &ctx);
};

} // namespace dc::core
