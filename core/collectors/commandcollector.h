// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/collect/collector.h"

namespace dc::core {

// Runs argv (never through a shell) with stdin closed, pagers and colours off
// and the item's extra environment, writing stdout to <category>/<dest>.
// - A program that is not installed: skipped, "not installed".
// - At the timeout or on cancel the whole process tree is killed (core/util/process.h,
//   setsid() children included): truncated
//   (output so far kept) or failed when nothing was produced.
// - At max_bytes the tree is killed and the output is marked truncated.
// - Exit status and stderr's last lines go into the reason when it failed.
class CommandCollector final : public Collector
{
public:
    ItemResult collect(const ItemSpec &item, CollectContext &ctx) override;
};

} // namespace dc::core
