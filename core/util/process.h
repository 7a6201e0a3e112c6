// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <functional>

namespace dc::core {

// One run of an external program, never through a shell, with stdin on the null
// device. The whole process tree is bounded: at the timeout, on cancel, when
// onStdout asks to stop, and when the program exits, every process it started is
// killed — on Linux including those that left its session with setsid(), and
// also when diagcollect itself is killed outright (docs/SECURITY.md).
struct ProcessSpec
{
    QString program;         // absolute path (resolved by the caller)
    QStringList arguments;   // argv, argv[0] included
    QStringList environment; // "NAME=value" entries: the complete environment
    int timeoutMs = 20000;
    std::function<bool()> isCancelled; // polled while waiting
    // Receives stdout as it arrives; returning false stops the run (the tree is killed).
    std::function<bool(const char *data, qint64 size)> onStdout;
};

struct ProcessOutcome
{
    QString startError; // non-empty: it never ran
    bool notFound = false;
    bool cancelled = false;
    bool timedOut = false;
    bool stopped = false; // onStdout returned false
    bool exited = false;  // normal exit, exitCode valid
    int exitCode = 0;
    int signal = 0;        // killed by this signal (not by us); -1: crashed, signal unknown
    QByteArray stderrTail; // the newest 64 KiB of stderr
};

// Runs spec on the calling thread (no event loop needed) and returns when the
// program and everything it started are gone, or could not be waited for.
ProcessOutcome runProcessTree(const ProcessSpec &spec);

} // namespace dc::core
