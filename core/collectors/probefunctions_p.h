// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/collectors/probes.h"

// The probes of the table (probes.cpp). Those whose facts only the operating
// system has are in collectors/linux, win and mac, one file each; a platform
// without an implementation yet returns skipped(notOnThisPlatform()). The
// portable ones (proxy, tool-info, listing) are in collectors/ and take their
// few platform facts from probeplatform_p.h.
namespace dc::core::probe {

ProbeOutput processes(const ProbeSpec &spec, CollectContext &ctx);
ProbeOutput mounts(const ProbeSpec &spec, CollectContext &ctx);
ProbeOutput system(const ProbeSpec &spec, CollectContext &ctx);
ProbeOutput users(const ProbeSpec &spec, CollectContext &ctx);
ProbeOutput network(const ProbeSpec &spec, CollectContext &ctx);

ProbeOutput proxy(const ProbeSpec &spec, CollectContext &ctx);
ProbeOutput toolInfo(const ProbeSpec &spec, CollectContext &ctx);
ProbeOutput listing(const ProbeSpec &spec, CollectContext &ctx);

} // namespace dc::core::probe
