// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Collectors that fail, hang or take their time, for runner and run-object tests:
// put them into a CollectorRegistry instance and hand it to the runner
// (CollectionRunner::setRegistry). Thread-safe like real collectors.

#include "core/collect/collector.h"

#include <atomic>

namespace dc::test {

// Every item fails with reason "fake failure".
class FailingCollector : public core::Collector
{
public:
    core::ItemResult collect(const core::ItemSpec &item, core::CollectContext &ctx) override;
};

// Writes "<id>.txt" holding the id, after waiting delayMs (polling cancellation).
class SlowCollector : public core::Collector
{
public:
    explicit SlowCollector(int delayMs = 0)
        : m_delayMs(delayMs)
    {
    }
    core::ItemResult collect(const core::ItemSpec &item, core::CollectContext &ctx) override;

private:
    int m_delayMs;
};

// Never finishes by itself: waits until the run is cancelled (then "cancelled").
class HangingCollector : public core::Collector
{
public:
    core::ItemResult collect(const core::ItemSpec &item, core::CollectContext &ctx) override;
    // How many items are waiting right now.
    int waiting() const { return m_waiting.load(); }

private:
    std::atomic_int m_waiting{0};
};

} // namespace dc::test
