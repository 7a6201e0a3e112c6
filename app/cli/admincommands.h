// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/policy/policy.h"
#include "core/profile/profile.h"

#include <QStringList>
#include <atomic>

class QCommandLineParser;

namespace dc::core {
class CollectionJob;
} // namespace dc::core

namespace dc::cli {

// Full-log mode and the admin policy on the command line (docs/POLICY.md,
// docs/PROFILE.md#full-logging). Commands take arguments[0] = "diagcollect
// <command>" and return the exit code: 0 ok, 1 failure, 2 usage/profile/policy
// error, 3 refused by the policy.

// diagcollect full-logging on|off|status|restore-expired [--profile F] [--define N=V]
//             [--minutes N] [--forget] [--remote] [--json]
int runFullLoggingCommand(const QStringList &arguments, const core::Policy &policy);
// diagcollect policy [--json]: the effective policy.
int runPolicyCommand(const QStringList &arguments, const core::Policy &policy);

// Every start: restores a product logging level left raised by a process that
// is gone or past its time cap, and says so on stderr. Never stops the tool.
void recoverFullLoggingAtStart();

// Takes "--policy FILE" / "--policy=FILE" out of arguments (it is accepted
// anywhere) and loads the effective policy. Returns -1 to go on, or the exit
// code after reporting the error (as JSON too when --json is among the arguments).
int loadPolicyFromArguments(QStringList &arguments, core::Policy &policy);

// collect: the options that give full-log mode and remote runs.
void addCollectPolicyOptions(QCommandLineParser &parser);

// collect --full-logs --reproduce SECONDS: raises the product's logging through
// the job's full-log round (restored when the collection ends, also after
// Ctrl+C; after a kill the next start restores it) and waits for the problem
// to be reproduced. Returns -1 to go on, or the exit code (reported).
int reproduceRound(const QCommandLineParser &parser,
                   core::CollectionJob &job,
                   bool json,
                   const std::atomic_bool *interrupted);

} // namespace dc::cli
