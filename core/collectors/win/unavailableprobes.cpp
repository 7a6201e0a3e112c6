// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probesupport.h"

// The probes that read facts from the operating system, not written for Windows yet:
// each item says so in the manifest and the run goes on.
namespace dc::core::probe {

ProbeOutput processes(const ProbeSpec &, CollectContext &) { return skipped(notOnThisPlatform()); }
ProbeOutput mounts(const ProbeSpec &, CollectContext &) { return skipped(notOnThisPlatform()); }
ProbeOutput system(const ProbeSpec &, CollectContext &) { return skipped(notOnThisPlatform()); }
ProbeOutput users(const ProbeSpec &, CollectContext &) { return skipped(notOnThisPlatform()); }
ProbeOutput network(const ProbeSpec &, CollectContext &) { return skipped(notOnThisPlatform()); }

} // namespace dc::core::probe
