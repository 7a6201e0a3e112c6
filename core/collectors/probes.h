// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/collect/collector.h"

#include <QByteArray>
#include <QStringList>

namespace dc::core {

// Built-in probes read facts best taken from APIs or /proc rather than a
// command's output format. Each writes text (or JSON) into the item's staged file.
struct ProbeOutput
{
    QByteArray text;
    QString skipReason; // non-empty: nothing to collect here, with the reason
};
using ProbeFunction = ProbeOutput (*)(const ProbeSpec &spec, CollectContext &ctx);

struct ProbeInfo
{
    const char *name;
    const char *description;
    ProbeFunction function;
};

// The probe table; names are what profiles use in "probe".
const QList<ProbeInfo> &probeTable();
bool isKnownProbe(const QString &name);

// Runs a probe item: looks the probe up, writes its output (capped at max_bytes).
class ProbeCollector final : public Collector
{
public:
    ItemResult collect(const ItemSpec &item, CollectContext &ctx) override;
};

} // namespace dc::core
