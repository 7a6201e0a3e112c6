// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/process.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

namespace dc::core {

namespace {

constexpr qsizetype kStderrCap = qsizetype(64) * 1024;
constexpr int kTickMs = 50;
constexpr int kReapGraceMs = 3000;

} // namespace

// Without Unix process groups QProcess is the portable choice; it is driven with
// short waitFor* calls since the worker thread has no event loop.
// TODO(windows): assign the child to a job object (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE)
// so a timeout kills its whole tree, not only the direct child.
ProcessOutcome runProcessTree(const ProcessSpec &spec)
{
    ProcessOutcome outcome;
    QProcess process;
    process.setProgram(spec.program);
    process.setArguments(spec.arguments.mid(1));
    QProcessEnvironment environment;
    for (const QString &entry : spec.environment) {
        const qsizetype equals = entry.indexOf(QLatin1Char('='), 1);
        if (equals > 0)
            environment.insert(entry.left(equals), entry.mid(equals + 1));
    }
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QIODevice::ReadOnly);
    if (!process.waitForStarted(10000)) {
        outcome.notFound = process.error() == QProcess::FailedToStart && !QFileInfo::exists(spec.program);
        outcome.startError = process.errorString();
        return outcome;
    }
    QElapsedTimer clock;
    clock.start();
    while (true) {
        if (spec.isCancelled && spec.isCancelled()) {
            outcome.cancelled = true;
            break;
        }
        const qint64 remaining = spec.timeoutMs - clock.elapsed();
        if (remaining <= 0) {
            outcome.timedOut = true;
            break;
        }
        const bool running = process.state() != QProcess::NotRunning;
        if (running)
            process.waitForReadyRead(int(qMin<qint64>(kTickMs, remaining)));
        outcome.stderrTail.append(process.readAllStandardError());
        if (outcome.stderrTail.size() > kStderrCap)
            outcome.stderrTail.remove(0, outcome.stderrTail.size() - kStderrCap);
        const QByteArray data = process.readAllStandardOutput();
        if (!data.isEmpty() && spec.onStdout && !spec.onStdout(data.constData(), data.size())) {
            outcome.stopped = true;
            break;
        }
        if (!running)
            break;
    }
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished(kReapGraceMs);
    } else if (process.exitStatus() == QProcess::NormalExit) {
        outcome.exited = true;
        outcome.exitCode = process.exitCode();
    } else {
        outcome.signal = -1;
    }
    return outcome;
}

} // namespace dc::core
