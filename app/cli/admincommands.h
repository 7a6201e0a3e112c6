// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/policy/policy.h"
#include "core/profile/profile.h"

#include <QStringList>
#include <atomic>
#include <memory>

class QCommandLineParser;

namespace dc::core {
struct RunOptions;
class FullLogging;
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

// Policy checks of commands implemented elsewhere (upload): may add the fixed
// --url. Returns -1 to go on or the exit code.
int checkUploadCommandPolicy(QStringList &arguments, const core::Policy &policy);

// collect: the options that give full-log mode and remote runs.
void addCollectPolicyOptions(QCommandLineParser &parser);
// collect: checks the command line against the policy (remote runs, --full-logs,
// --upload, --retention-days, --no-redact) and applies it to the profile and run
// options (core::applyPolicy). Returns -1 to go on, or the exit code (reported).
int applyCollectPolicy(const QCommandLineParser &parser,
                       const core::Policy &policy,
                       core::Profile &profile,
                       core::RunOptions &run,
                       bool json);

// collect --full-logs --reproduce SECONDS: raises the product's logging, waits
// for the problem to be reproduced, and restores the level when destroyed
// (also after Ctrl+C; after a kill the next start restores it).
class FullLogRound
{
public:
    ~FullLogRound();
    FullLogRound(const FullLogRound &) = delete;
    FullLogRound &operator=(const FullLogRound &) = delete;

    // Returns -1 and sets round (or leaves it empty without --reproduce), or the exit code.
    static int start(const QCommandLineParser &parser,
                     const core::Profile &profile,
                     bool json,
                     const std::atomic_bool *interrupted,
                     std::unique_ptr<FullLogRound> &round);

private:
    FullLogRound();
    std::unique_ptr<core::FullLogging> m_fullLogging;
    bool m_quiet = false;
};

} // namespace dc::cli
