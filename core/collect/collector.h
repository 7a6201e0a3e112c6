// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// How to add a kind of collection:
//  1. Prefer data: most things are a `files`, `command` or `probe` item in a profile.
//  2. A new built-in probe is a function in core/collectors/probes.cpp plus a row
//     in its table; the profile names it with "probe": "<name>".
//  3. A new kind needs a Collector subclass, a row in CollectorRegistry::builtin() and a key in
//     the profile parser and resources/profile.schema.json.

#include "core/bundle/itemresult.h"
#include "core/profile/profile.h"

#include <QString>
#include <atomic>

namespace dc::core {

// What a collector may touch while it runs on a worker thread.
class CollectContext
{
public:
    CollectContext(const QString &stagingDir, const Profile &profile, const std::atomic_bool &cancelled)
        : m_stagingDir(stagingDir)
        , m_profile(profile)
        , m_cancelled(cancelled)
    {
    }

    const QString &stagingDir() const { return m_stagingDir; }
    const Profile &profile() const { return m_profile; }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    QString expand(const QString &text) const { return expandVariables(text, m_profile); }
    bool isAdministrator() const;

private:
    QString m_stagingDir;
    const Profile &m_profile;
    const std::atomic_bool &m_cancelled;
};

class Collector
{
public:
    virtual ~Collector() = default;
    // Runs on a worker thread. Writes only below ctx.stagingDir(), at or under
    // item.stagedPath(); polls ctx.isCancelled(); never throws and never blocks
    // without a bound. Failures are reported in the result, not raised.
    virtual ItemResult collect(const ItemSpec &item, CollectContext &ctx) = 0;
};

// The built-in collector for a kind (CollectorRegistry::builtin(), collectorregistry.h);
// the returned object is shared and thread-safe.
Collector &collectorFor(ItemKind kind);

} // namespace dc::core
