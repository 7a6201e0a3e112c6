// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collect/collectorregistry.h"

#include "core/collectors/commandcollector.h"
#include "core/collectors/filecollector.h"
#include "core/collectors/probes.h"

namespace dc::core {

namespace {
std::size_t slot(ItemKind kind)
{
    switch (kind) {
    case ItemKind::Files:
        return 0;
    case ItemKind::Command:
        return 1;
    case ItemKind::Probe:
        return 2;
    }
    return 0;
}
} // namespace

void CollectorRegistry::set(ItemKind kind, Collector *collector) { m_collectors[slot(kind)] = collector; }

Collector *CollectorRegistry::find(ItemKind kind) const { return m_collectors[slot(kind)]; }

// One explicit table: self-registering objects in a static library may be
// dropped by the linker.
const CollectorRegistry &CollectorRegistry::builtin()
{
    static FileCollector files;
    static CommandCollector commands;
    static ProbeCollector probes;
    static const CollectorRegistry registry = [] {
        CollectorRegistry table;
        table.set(ItemKind::Files, &files);
        table.set(ItemKind::Command, &commands);
        table.set(ItemKind::Probe, &probes);
        return table;
    }();
    return registry;
}

Collector &collectorFor(ItemKind kind) { return *CollectorRegistry::builtin().find(kind); }

} // namespace dc::core
