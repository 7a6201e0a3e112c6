// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collect/collector.h"
#include "core/collectors/commandcollector.h"
#include "core/collectors/filecollector.h"
#include "core/collectors/probes.h"

namespace dc::core {

// One explicit table: self-registering objects in a static library may be
// dropped by the linker.
Collector &collectorFor(ItemKind kind)
{
    static FileCollector files;
    static CommandCollector commands;
    static ProbeCollector probes;
    switch (kind) {
    case ItemKind::Files:
        return files;
    case ItemKind::Command:
        return commands;
    case ItemKind::Probe:
        return probes;
    }
    return files;
}

} // namespace dc::core
