// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/collect/collector.h"

#include <array>

namespace dc::core {

// Which Collector runs each kind of item. builtin() is the one explicit table of the
// built-in collectors (files, command, probe); a test makes its own instance, fills
// it with fakes (tests/support/fakecollectors.h) and hands it to a CollectionRunner.
// Collectors are not owned: they must outlive every runner that uses the registry.
// Filled before a run starts, then read from worker threads (thread-safe for reads).
class CollectorRegistry
{
public:
    CollectorRegistry() = default; // empty: every kind needs set()
    static const CollectorRegistry &builtin();

    void set(ItemKind kind, Collector *collector);
    // The collector for a kind, or nullptr when none was set.
    Collector *find(ItemKind kind) const;

private:
    std::array<Collector *, 3> m_collectors{};
};

} // namespace dc::core
