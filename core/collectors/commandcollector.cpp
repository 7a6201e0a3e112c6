// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/commandcollector.h"

#include "core/bundle/staging.h"
#include "core/util/process.h"

#include <QDateTime>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>

namespace dc::core {

namespace {

const QString kNotInstalled = QStringLiteral("not installed");
const QString kNeedsAdmin = QStringLiteral("needs administrator rights");
const QString kCancelled = QStringLiteral("cancelled");

int timeoutMsOf(const ItemSpec &item)
{
    return item.command.timeoutMs > 0 ? item.command.timeoutMs : Limits().commandTimeoutMs;
}

QString secondsText(int ms) { return QString::number(double(ms) / 1000.0, 'g', 6); }

QStringList stderrLines(const QByteArray &stderrTail)
{
    QStringList lines;
    for (const QByteArray &line : stderrTail.split('\n')) {
        const QString text = QString::fromUtf8(line).trimmed();
        if (!text.isEmpty())
            lines.append(text.left(300));
    }
    return lines;
}

QString lastStderrLine(const QByteArray &stderrTail)
{
    const QStringList lines = stderrLines(stderrTail);
    return lines.isEmpty() ? QString() : lines.last();
}

// The stderr line that says the command lacked rights, if any.
QString permissionLine(const QByteArray &stderrTail)
{
    static const QRegularExpression denied(
        QStringLiteral("permission denied|operation not permitted|must be (run as )?root|must be superuser|"
                       "requires? (root|superuser|administrator)|insufficient (permission|privilege)|access denied"),
        QRegularExpression::CaseInsensitiveOption);
    const QStringList lines = stderrLines(stderrTail);
    for (const QString &line : lines)
        if (denied.match(line).hasMatch())
            return line;
    return {};
}

QString commandLine(const QStringList &argv)
{
    QStringList quoted;
    for (const QString &arg : argv) {
        if (arg.isEmpty() || arg.contains(QLatin1Char(' ')) || arg.contains(QLatin1Char('"')))
            quoted.append(QLatin1Char('"') + QString(arg).replace(QLatin1Char('"'), QStringLiteral("\\\"")) +
                          QLatin1Char('"'));
        else
            quoted.append(arg);
    }
    return quoted.join(QLatin1Char(' '));
}

// Absolute path of the program, or empty when it is not installed.
QString resolveProgram(const QString &program)
{
    if (QFileInfo(program).isAbsolute()) {
        const QFileInfo info(program);
        return info.exists() && !info.isDir() ? program : QString();
    }
    return QStandardPaths::findExecutable(program);
}

// The current environment with pagers, colours and localisation switched off,
// so output is plain, stable text; the item's own variables win.
QProcessEnvironment childEnvironment(const ItemSpec &item)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("PAGER"), QStringLiteral("cat"));
    env.insert(QStringLiteral("SYSTEMD_PAGER"), QString());
    env.insert(QStringLiteral("SYSTEMD_COLORS"), QStringLiteral("0"));
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    env.insert(QStringLiteral("TERM"), QStringLiteral("dumb"));
    for (auto it = item.command.env.cbegin(); it != item.command.env.cend(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

// What happened to one run of a command, and to its output.
struct RunOutcome : ProcessOutcome
{
    bool capped = false;
    bool writeFailed = false;
};

// Writes stdout data into staging up to the cap. Returns false when it must stop.
bool takeOutput(StagedFile &out, qint64 cap, const char *data, qint64 size, RunOutcome &outcome)
{
    if (cap > 0 && out.bytesWritten() + size >= cap) {
        size = cap - out.bytesWritten();
        outcome.capped = true;
    }
    if (!out.write(data, size)) {
        outcome.writeFailed = true;
        return false;
    }
    return !outcome.capped;
}

// Runs the command's whole process tree with stdout streamed into staging.
RunOutcome runProcess(const QString &program,
                      const QStringList &arguments,
                      const ItemSpec &item,
                      StagedFile &out,
                      const CollectContext &ctx)
{
    RunOutcome outcome;
    ProcessSpec spec;
    spec.program = program;
    spec.arguments = arguments;
    spec.environment = childEnvironment(item).toStringList();
    spec.timeoutMs = timeoutMsOf(item);
    spec.isCancelled = [&ctx] { return ctx.isCancelled(); };
    spec.onStdout = [&](const char *data, qint64 size) { return takeOutput(out, item.maxBytes, data, size, outcome); };
    static_cast<ProcessOutcome &>(outcome) = runProcessTree(spec);
    return outcome;
}

} // namespace

ItemResult CommandCollector::collect(const ItemSpec &item, CollectContext &ctx)
{
    ItemResult result = ItemResult::forSpec(item);
    result.started = QDateTime::currentDateTimeUtc();
    const auto finish = [&](Status status, const QString &reason) {
        result.status = status;
        result.reason = reason;
        result.settleStatus();
        result.finished = QDateTime::currentDateTimeUtc();
        return result;
    };
    if (ctx.isCancelled())
        return finish(Status::Skipped, kCancelled);
    QStringList arguments;
    for (const QString &argument : item.command.argv)
        arguments.append(ctx.expand(argument));
    if (arguments.isEmpty() || arguments.first().isEmpty())
        return finish(Status::Failed, QStringLiteral("empty command"));
    const QString program = resolveProgram(arguments.first());
    if (program.isEmpty())
        return finish(Status::Skipped, kNotInstalled);
    if (item.needsAdmin && !ctx.isAdministrator())
        return finish(Status::Skipped, kNeedsAdmin);

    auto created = StagedFile::create(ctx.stagingDir(), item.stagedPath());
    if (!created)
        return finish(Status::Failed, created.error().message);
    StagedFile &staged = **created;
    const RunOutcome run = runProcess(program, arguments, item, staged, ctx);
    const qint64 bytes = staged.bytesWritten();
    const QString source = commandLine(arguments);

    // Keeps the staged output as a file of the item.
    const auto keep = [&](Status fileStatus, const QString &fileReason) {
        auto entry = staged.finish(source, fileStatus, fileReason);
        if (!entry)
            return false;
        entry->redactable = item.redactable;
        result.files.append(*entry);
        return true;
    };
    const auto keepOrFail = [&](Status fileStatus, const QString &reason, Status itemStatus) {
        if (!keep(fileStatus, reason))
            return finish(Status::Failed, QStringLiteral("cannot write to staging"));
        return finish(itemStatus, itemStatus == Status::Collected ? QString() : reason);
    };

    if (!run.startError.isEmpty()) {
        staged.discard();
        if (run.notFound)
            return finish(Status::Skipped, kNotInstalled);
        return finish(Status::Failed, QStringLiteral("cannot run: %1").arg(run.startError));
    }
    if (run.cancelled) {
        staged.discard();
        return finish(Status::Skipped, kCancelled);
    }
    if (run.writeFailed) {
        const QString message = staged.errorString();
        staged.discard();
        return finish(Status::Failed, QStringLiteral("cannot write to staging: %1").arg(message));
    }
    if (run.timedOut) {
        const QString reason = QStringLiteral("timed out after %1 s").arg(secondsText(timeoutMsOf(item)));
        if (bytes > 0)
            return keepOrFail(Status::Truncated, reason, Status::Truncated);
        staged.discard();
        return finish(Status::Failed, reason);
    }
    if (run.capped)
        return keepOrFail(Status::Truncated, QStringLiteral("output capped at %1 bytes").arg(item.maxBytes),
                          Status::Truncated);
    if (run.signal != 0) {
        const QString reason =
            run.signal > 0 ? QStringLiteral("killed by signal %1").arg(run.signal) : QStringLiteral("crashed");
        // Partial output of a crashed command still helps diagnose it.
        if (bytes > 0)
            return keepOrFail(Status::Truncated, reason, Status::Failed);
        staged.discard();
        return finish(Status::Failed, reason);
    }
    if (!run.exited) {
        staged.discard();
        return finish(Status::Failed, QStringLiteral("exit status unknown"));
    }

    // No useful output and stderr blames missing rights: say so, unless we had them.
    if (bytes == 0 && !ctx.isAdministrator()) {
        const QString denied = permissionLine(run.stderrTail);
        if (!denied.isEmpty()) {
            staged.discard();
            return finish(Status::Skipped, QStringLiteral("%1 (%2)").arg(kNeedsAdmin, denied));
        }
    }
    if (run.exitCode != 0) {
        QString reason = QStringLiteral("exit status %1").arg(run.exitCode);
        if (const QString line = lastStderrLine(run.stderrTail); !line.isEmpty())
            reason += QStringLiteral(": ") + line;
        // Some tools exit non-zero to say "nothing found" (coredumpctl without
        // crashes, journalctl without a previous boot): that is not a failure.
        if (bytes == 0 && item.command.noDataExitCodes.contains(run.exitCode)) {
            staged.discard();
            return finish(Status::Skipped, QStringLiteral("nothing to report (%1)").arg(reason));
        }
        if (bytes > 0) {
            if (!keep(Status::Collected, QString()))
                return finish(Status::Failed, QStringLiteral("cannot write to staging"));
            return finish(Status::Collected, reason);
        }
        staged.discard();
        return finish(Status::Failed, reason);
    }
    return keepOrFail(Status::Collected, QString(), Status::Collected);
}

} // namespace dc::core
