// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QMap>
#include <QSet>
#include <QString>

namespace dc::core {

// What a run collects beyond the profile: the user's and the policy's choices.
// Plain data; the policy (applyPolicy), the run request and the runner share it
// without depending on the runner.
struct RunOptions
{
    bool fullLogs = false;
    QSet<QString> optedOut; // ids of non-essential items the user unticked
    int maxThreads = 8;     // most items wait on I/O or a child process
    // Item id -> reason: skipped without running (admin policy, see core/policy/policy.h).
    QMap<QString, QString> policySkips;
};

} // namespace dc::core
