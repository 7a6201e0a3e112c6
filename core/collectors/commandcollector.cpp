// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/commandcollector.h"

#include "core/bundle/staging.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif
#include <unistd.h>
#include <vector>
#else
#include <QProcess>
#endif

namespace dc::core {

namespace {

// stderr is only kept for the reason text: its newest bytes are enough.
constexpr qsizetype kStderrCap = qsizetype(64) * 1024;
constexpr qint64 kReadBytes = qint64(64) * 1024;
// How often cancel, the timeout and the child's exit are checked while it is silent.
constexpr int kTickMs = 50;
// After the command exits, how long its output pipes may stay open (held by a
// process that escaped its group) before we stop reading.
constexpr int kDrainGraceMs = 500;
// After SIGKILL, how long we wait to reap the command (a process stuck in the
// kernel, e.g. on a dead NFS mount, cannot be waited for forever).
constexpr int kReapGraceMs = 2000;

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

// What happened to one run of a command.
struct RunOutcome
{
    QString startError; // non-empty: it never ran
    bool notFound = false;
    bool cancelled = false;
    bool timedOut = false;
    bool capped = false;
    bool writeFailed = false;
    bool exited = false; // normal exit, exitCode valid
    int exitCode = 0;
    int signal = 0; // killed by this signal (not by us)
    QByteArray stderrTail;
};

void appendStderr(QByteArray &tail, const char *data, qsizetype size)
{
    tail.append(data, size);
    if (tail.size() > kStderrCap)
        tail.remove(0, tail.size() - kStderrCap);
}

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

#ifdef Q_OS_UNIX

// Why fork/exec and not QProcess:
// - The command runs in its own session, so the whole tree can be killed with
//   kill(-pgid). Killing a group is only safe while its leader is unreaped (its
//   pid, which is the group id, cannot be reused until then). QProcess reaps the
//   child itself, so we could not kill leftovers after a normal exit without a
//   pid-reuse race; here waitid(WNOWAIT) sees the exit, we kill the group, then reap.
// - stdout goes from the pipe straight into the staged file: memory stays bounded
//   whatever the command prints, and the output cap is exact. QProcess buffers
//   without bound between our reads.
// - The worker thread has no event loop; a poll() loop with short ticks checks
//   cancel and the deadline without one.
// And not posix_spawn: on Linux the child also sets PR_SET_PDEATHSIG, so a
// diagcollect that is killed outright (SIGKILL, OOM) does not leave a hung
// command running unsupervised; posix_spawn has no way to ask for that. The
// child only makes async-signal-safe calls between fork and exec (the process
// is multithreaded); everything it needs is prepared before fork.

class Fd
{
public:
    Fd() = default;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd() { reset(); }
    int get() const { return m_fd; }
    void reset(int fd = -1)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd = -1;
};

// Both ends close-on-exec, so children spawned by other threads never inherit
// our write ends (which would keep the pipe from ever reaching end of file).
bool makePipe(Fd &readEnd, Fd &writeEnd)
{
    int fds[2] = {-1, -1};
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD) || defined(Q_OS_NETBSD) || defined(Q_OS_OPENBSD)
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return false;
#else
    if (::pipe(fds) != 0)
        return false;
    ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
    readEnd.reset(fds[0]);
    writeEnd.reset(fds[1]);
    return true;
}

enum class ChildState { Running, Exited, ReapedElsewhere };

ChildState childState(pid_t pid)
{
    siginfo_t info = {};
    // WNOWAIT leaves it a zombie: its pid (the group id) stays ours until we reap it.
    if (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0)
        return info.si_pid == pid ? ChildState::Exited : ChildState::Running;
    // Someone else reaped it (a SIGCHLD handler with waitpid(-1)): its pid may be
    // reused now, so its group must not be signalled any more.
    return errno == ECHILD ? ChildState::ReapedElsewhere : ChildState::Running;
}

void killGroup(pid_t pid)
{
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL); // in case it could not become a group leader
}

// Reaps the child, waiting at most kReapGraceMs. False if it could not be reaped.
bool reap(pid_t pid, int &status)
{
    QElapsedTimer timer;
    timer.start();
    while (true) {
        const pid_t rc = ::waitpid(pid, &status, WNOHANG);
        if (rc == pid)
            return true;
        if (rc < 0 && errno != EINTR)
            return false;
        if (timer.elapsed() > kReapGraceMs)
            return false;
        QThread::msleep(10);
    }
}

[[noreturn]] void childFailed(int statusFd)
{
    const int error = errno;
    [[maybe_unused]] const ssize_t n = ::write(statusFd, &error, sizeof error);
    ::_exit(127);
}

// Starts path in a new session (its own process group, no controlling terminal
// a command could prompt on) with stdin on /dev/null and stdout/stderr on the
// given pipes. Returns the pid, or -1 with the reason in error (exec failures
// included, reported through a close-on-exec status pipe).
pid_t spawnInSession(const char *path, char *const argv[], char *const envp[], int outFd, int errFd, int &error)
{
    Fd statusRead, statusWrite;
    if (!makePipe(statusRead, statusWrite)) {
        error = errno;
        return -1;
    }
#ifdef Q_OS_LINUX
    const pid_t parent = ::getpid();
#endif
    const pid_t pid = ::fork();
    if (pid < 0) {
        error = errno;
        return -1;
    }
    if (pid == 0) {
        // Child: async-signal-safe calls only, and never returns.
        ::setsid();
#ifdef Q_OS_LINUX
        // Dies with the thread that started it (which waits for it): diagcollect
        // killed outright does not leave the command behind.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(127);
#endif
        // Ignored signals survive exec (the CLI ignores SIGPIPE; a command that
        // inherits that spins on EPIPE instead of dying): restore the defaults.
        struct sigaction defaultAction = {};
        defaultAction.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; ++sig)
            ::sigaction(sig, &defaultAction, nullptr);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null < 0 || ::dup2(null, STDIN_FILENO) < 0 || ::dup2(outFd, STDOUT_FILENO) < 0 ||
            ::dup2(errFd, STDERR_FILENO) < 0)
            childFailed(statusWrite.get());
        ::execve(path, argv, envp);
        childFailed(statusWrite.get());
    }
    statusWrite.reset();
    int childError = 0;
    ssize_t n = 0;
    do {
        n = ::read(statusRead.get(), &childError, sizeof childError);
    } while (n < 0 && errno == EINTR);
    if (n == ssize_t(sizeof childError)) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        error = childError;
        return -1;
    }
    return pid;
}

RunOutcome runProcess(const QString &program,
                      const QStringList &arguments,
                      const ItemSpec &item,
                      StagedFile &out,
                      const CollectContext &ctx)
{
    RunOutcome outcome;
    Fd outRead, outWrite, errRead, errWrite;
    if (!makePipe(outRead, outWrite) || !makePipe(errRead, errWrite)) {
        outcome.startError = QString::fromLocal8Bit(std::strerror(errno));
        return outcome;
    }

    QList<QByteArray> argStorage;
    for (const QString &arg : arguments)
        argStorage.append(arg.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &arg : argStorage)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    QList<QByteArray> envStorage;
    for (const QString &entry : childEnvironment(item).toStringList())
        envStorage.append(entry.toLocal8Bit());
    std::vector<char *> envp;
    for (QByteArray &entry : envStorage)
        envp.push_back(entry.data());
    envp.push_back(nullptr);
    const QByteArray path = QFile::encodeName(program);

    int spawnError = 0;
    const pid_t pid =
        spawnInSession(path.constData(), argv.data(), envp.data(), outWrite.get(), errWrite.get(), spawnError);
    outWrite.reset();
    errWrite.reset();
    if (pid < 0) {
        outcome.notFound = spawnError == ENOENT;
        outcome.startError = QString::fromLocal8Bit(std::strerror(spawnError));
        return outcome;
    }

    ::fcntl(outRead.get(), F_SETFL, ::fcntl(outRead.get(), F_GETFL) | O_NONBLOCK);
    ::fcntl(errRead.get(), F_SETFL, ::fcntl(errRead.get(), F_GETFL) | O_NONBLOCK);
    QByteArray buffer(kReadBytes, Qt::Uninitialized);
    const int timeoutMs = timeoutMsOf(item);
    QElapsedTimer clock;
    clock.start();
    QElapsedTimer sinceExit;
    ChildState state = ChildState::Running;

    while (true) {
        if (ctx.isCancelled()) {
            outcome.cancelled = true;
            break;
        }
        const qint64 remaining = timeoutMs - clock.elapsed();
        if (remaining <= 0) {
            outcome.timedOut = true;
            break;
        }
        if (state == ChildState::Running) {
            state = childState(pid);
            if (state != ChildState::Running)
                sinceExit.start();
            // Leftovers in its group (`cmd &`) would outlive the run: end them now,
            // then read what is still in the pipes.
            if (state == ChildState::Exited)
                killGroup(pid);
        }
        const bool exited = state != ChildState::Running;
        if (outRead.get() < 0 && errRead.get() < 0) {
            if (exited)
                break;
            // Output closed but still running: wait for its exit or the deadline.
            QThread::msleep(ulong(qMin<qint64>(kTickMs, remaining)));
            continue;
        }
        if (exited && sinceExit.elapsed() > kDrainGraceMs)
            break;

        pollfd fds[2];
        nfds_t count = 0;
        if (outRead.get() >= 0)
            fds[count++] = pollfd{outRead.get(), POLLIN, 0};
        if (errRead.get() >= 0)
            fds[count++] = pollfd{errRead.get(), POLLIN, 0};
        const int ready = ::poll(fds, count, int(qMin<qint64>(kTickMs, remaining)));
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0)
            continue;
        bool stop = false;
        for (nfds_t i = 0; i < count && !stop; ++i) {
            if (fds[i].revents == 0)
                continue;
            const bool isOut = fds[i].fd == outRead.get();
            const ssize_t n = ::read(fds[i].fd, buffer.data(), size_t(buffer.size()));
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (n <= 0) {
                (isOut ? outRead : errRead).reset();
                continue;
            }
            if (isOut)
                stop = !takeOutput(out, item.maxBytes, buffer.constData(), n, outcome);
            else
                appendStderr(outcome.stderrTail, buffer.constData(), n);
        }
        if (stop)
            break;
    }

    outRead.reset();
    errRead.reset();
    if (state == ChildState::ReapedElsewhere)
        return outcome; // exit status unknown
    // Always kill the group before reaping: after a timeout, cap or cancel it is
    // the whole tree; after a normal exit it only catches stragglers.
    killGroup(pid);
    int status = 0;
    if (reap(pid, status)) {
        if (WIFEXITED(status)) {
            outcome.exited = true;
            outcome.exitCode = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            outcome.signal = WTERMSIG(status);
        }
    }
    return outcome;
}

#else // !Q_OS_UNIX

// Without Unix process groups QProcess is the portable choice; it is driven with
// short waitFor* calls since the worker thread has no event loop.
// TODO(windows): assign the child to a job object (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE)
// so a timeout kills its whole tree, not only the direct child.
RunOutcome runProcess(const QString &program,
                      const QStringList &arguments,
                      const ItemSpec &item,
                      StagedFile &out,
                      const CollectContext &ctx)
{
    RunOutcome outcome;
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments.mid(1));
    process.setProcessEnvironment(childEnvironment(item));
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QIODevice::ReadOnly);
    if (!process.waitForStarted(10000)) {
        outcome.notFound = process.error() == QProcess::FailedToStart && !QFileInfo::exists(program);
        outcome.startError = process.errorString();
        return outcome;
    }
    const int timeoutMs = timeoutMsOf(item);
    QElapsedTimer clock;
    clock.start();
    bool stop = false;
    while (!stop) {
        if (ctx.isCancelled()) {
            outcome.cancelled = true;
            break;
        }
        const qint64 remaining = timeoutMs - clock.elapsed();
        if (remaining <= 0) {
            outcome.timedOut = true;
            break;
        }
        const bool running = process.state() != QProcess::NotRunning;
        if (running)
            process.waitForReadyRead(int(qMin<qint64>(kTickMs, remaining)));
        const QByteArray err = process.readAllStandardError();
        appendStderr(outcome.stderrTail, err.constData(), err.size());
        const QByteArray data = process.readAllStandardOutput();
        if (!data.isEmpty() && !takeOutput(out, item.maxBytes, data.constData(), data.size(), outcome))
            stop = true;
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

#endif // Q_OS_UNIX

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
