// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/process.h"

#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

// Why fork/exec and not QProcess:
// - The program runs in its own session, so its tree can be found and killed
//   (see below). Killing a process is only safe while it is unreaped (its pid
//   cannot be reused until then). QProcess reaps the child itself; here
//   waitid(WNOWAIT) sees the exit first.
// - stdout goes from the pipe straight to the caller: memory stays bounded
//   whatever the program prints. QProcess buffers without bound between reads.
// - The worker thread has no event loop; a poll() loop with short ticks checks
//   cancel and the deadline without one.
// And not posix_spawn: the child sets PR_SET_PDEATHSIG, which posix_spawn cannot.
//
// On Linux the program is started by a small supervisor process (a fork of ours
// that never execs) which is a child subreaper (PR_SET_CHILD_SUBREAPER): every
// process of the tree whose parent dies is reparented to the supervisor instead
// of PID 1, so a grandchild that called setsid() cannot escape. When the program
// exits, on SIGTERM from us, or when the thread that started it dies (even with
// diagcollect killed outright, through PR_SET_PDEATHSIG), the supervisor kills
// its children until it has none left, then exits with the program's status.
// Between fork and exec (and in the supervisor, always) only async-signal-safe
// calls are made: the parent process is multithreaded.

namespace dc::core {

namespace {

constexpr qsizetype kStderrCap = qsizetype(64) * 1024;
constexpr qint64 kReadBytes = qint64(64) * 1024;
// How often cancel, the timeout and the child's exit are checked while it is silent.
constexpr int kTickMs = 50;
// After the program exits, how long its output pipes may stay open (held by a
// process that escaped) before we stop reading.
constexpr int kDrainGraceMs = 500;
// How long the tree may take to die (a process stuck in the kernel, e.g. on a dead
// NFS mount, cannot be waited for forever): the supervisor's sweep, then ours.
constexpr int kSweepMs = 1500;
constexpr int kReapGraceMs = 3000;

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

void appendStderr(QByteArray &tail, const char *data, qsizetype size)
{
    tail.append(data, size);
    if (tail.size() > kStderrCap)
        tail.remove(0, tail.size() - kStderrCap);
}

enum class ChildState { Running, Exited, ReapedElsewhere };

ChildState childState(pid_t pid)
{
    siginfo_t info = {};
    // WNOWAIT leaves it a zombie: its pid (the group id) stays ours until we reap it.
    if (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0)
        return info.si_pid == pid ? ChildState::Exited : ChildState::Running;
    // Someone else reaped it (a SIGCHLD handler with waitpid(-1)): its pid may be
    // reused now, so it must not be signalled any more.
    return errno == ECHILD ? ChildState::ReapedElsewhere : ChildState::Running;
}

void killGroup(pid_t pid)
{
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL); // in case it could not become a group leader
}

// Reaps the child, waiting at most graceMs. False if it could not be reaped.
bool reap(pid_t pid, int &status, int graceMs)
{
    QElapsedTimer timer;
    timer.start();
    while (true) {
        const pid_t rc = ::waitpid(pid, &status, WNOHANG);
        if (rc == pid)
            return true;
        if (rc < 0 && errno != EINTR)
            return false;
        if (timer.elapsed() > graceMs)
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

void resetSignals()
{
    // Ignored signals survive exec (the CLI ignores SIGPIPE; a command that
    // inherits that spins on EPIPE instead of dying): restore the defaults.
    struct sigaction defaultAction = {};
    defaultAction.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
        ::sigaction(sig, &defaultAction, nullptr);
}

void unblockSignals()
{
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

#ifdef Q_OS_LINUX

qint64 monotonicMs()
{
    timespec now = {};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

// Reaps every child that has ended (orphans of the tree included), noting the
// program's status. False when no child is left.
bool reapEnded(pid_t program, int &status, bool &programDone)
{
    while (true) {
        int childStatus = 0;
        const pid_t pid = ::waitpid(-1, &childStatus, WNOHANG);
        if (pid > 0) {
            if (pid == program) {
                status = childStatus;
                programDone = true;
            }
            continue;
        }
        if (pid == 0)
            return true;
        if (errno != EINTR)
            return false;
    }
}

// SIGKILL to each child listed in /proc/thread-self/children (the supervisor has
// one thread). Unreaped children's pids cannot be reused, so this never hits a
// stranger. False when the list cannot be read.
bool killChildren()
{
    const int fd = ::open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buffer[4096];
    pid_t pid = 0;
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; ++i) {
            if (buffer[i] >= '0' && buffer[i] <= '9') {
                pid = pid * 10 + (buffer[i] - '0');
            } else if (pid > 0) {
                ::kill(pid, SIGKILL);
                pid = 0;
            }
        }
    }
    if (pid > 0)
        ::kill(pid, SIGKILL);
    ::close(fd);
    return true;
}

// Kills the tree: our children first; their children become ours (we are the
// subreaper) and go in the next round, until none is left or time is up.
void killTree(pid_t program, int &status, bool &programDone)
{
    const qint64 deadline = monotonicMs() + kSweepMs;
    while (true) {
        if (!killChildren() && !programDone)
            killGroup(program); // no /proc: at least the program's own group
        if (!reapEnded(program, status, programDone) || monotonicMs() > deadline)
            return;
        const timespec pause = {0, 1000000};
        ::nanosleep(&pause, nullptr);
    }
}

// The supervisor: starts the program, waits for its exit or SIGTERM, kills the
// tree, and exits the way the program did. Never returns.
[[noreturn]] void supervise(const char *path, char *const argv[], char *const envp[], int statusFd)
{
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t program = ::fork();
    if (program < 0)
        childFailed(statusFd);
    if (program == 0) {
        ::setsid(); // its own group too: no terminal, no signals meant for ours
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        unblockSignals();
        ::execve(path, argv, envp);
        childFailed(statusFd);
    }
    ::close(statusFd); // the parent reads end of file once the program has exec'd

    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGCHLD);
    int status = 0;
    bool programDone = false;
    while (!programDone) {
        reapEnded(program, status, programDone);
        if (programDone)
            break;
        const timespec tick = {0, 100 * 1000000};
        if (::sigtimedwait(&wanted, nullptr, &tick) == SIGTERM)
            break;
    }
    killTree(program, status, programDone);
    if (!programDone)
        ::_exit(128 + SIGKILL);
    if (WIFEXITED(status))
        ::_exit(WEXITSTATUS(status));
    const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
    struct sigaction defaultAction = {};
    defaultAction.sa_handler = SIG_DFL;
    ::sigaction(sig, &defaultAction, nullptr);
    unblockSignals();
    ::kill(::getpid(), sig);
    ::_exit(128 + sig);
}

// Closes every descriptor from `from` on: the supervisor never execs, so close-on-exec
// pipes of other threads' commands would otherwise stay open in it.
void closeFrom(int from)
{
#ifdef SYS_close_range
    if (::syscall(SYS_close_range, unsigned(from), ~0U, 0) == 0)
        return;
#endif
    for (int fd = from; fd < 65536; ++fd)
        ::close(fd);
}

#endif // Q_OS_LINUX

// Starts path with stdin on /dev/null and stdout/stderr on the given pipes, in a
// session of its own (no controlling terminal it could prompt on). On Linux the
// returned pid is the supervisor's (see the top of this file). Returns -1 with the
// reason in error (exec failures included, through a close-on-exec status pipe).
pid_t spawnTree(const char *path, char *const argv[], char *const envp[], int outFd, int errFd, int &error)
{
    Fd statusRead, statusWrite;
    if (!makePipe(statusRead, statusWrite)) {
        error = errno;
        return -1;
    }
#ifdef Q_OS_LINUX
    const pid_t parent = ::getpid();
    // SIGTERM and SIGCHLD stay blocked in the supervisor, which waits for them with
    // sigtimedwait; blocked before fork, so none arrives before it waits.
    sigset_t supervisorMask;
    sigemptyset(&supervisorMask);
    sigaddset(&supervisorMask, SIGTERM);
    sigaddset(&supervisorMask, SIGCHLD);
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
        // Told when the thread that started it (and waits for it) is gone, even
        // with diagcollect killed outright: the supervisor then kills the tree.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        ::sigprocmask(SIG_SETMASK, &supervisorMask, nullptr);
        if (::getppid() != parent)
            ::_exit(127);
#endif
        resetSignals();
#ifndef Q_OS_LINUX
        unblockSignals();
#endif
        const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null < 0 || ::dup2(null, STDIN_FILENO) < 0 || ::dup2(outFd, STDOUT_FILENO) < 0 ||
            ::dup2(errFd, STDERR_FILENO) < 0)
            childFailed(statusWrite.get());
#ifdef Q_OS_LINUX
        constexpr int kStatusFd = 3;
        if (statusWrite.get() != kStatusFd &&
            (::dup2(statusWrite.get(), kStatusFd) < 0 || ::fcntl(kStatusFd, F_SETFD, FD_CLOEXEC) < 0))
            childFailed(statusWrite.get());
        closeFrom(kStatusFd + 1);
        supervise(path, argv, envp, kStatusFd);
#else
        ::execve(path, argv, envp);
        childFailed(statusWrite.get());
#endif
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

// Ends the tree and reaps its top process; false if it could not be reaped.
bool endTree(pid_t pid, int &status)
{
#ifdef Q_OS_LINUX
    ::kill(pid, SIGTERM); // the supervisor kills the tree, then exits
    if (reap(pid, status, kReapGraceMs))
        return true;
#endif
    killGroup(pid);
    return reap(pid, status, kReapGraceMs);
}

} // namespace

ProcessOutcome runProcessTree(const ProcessSpec &spec)
{
    ProcessOutcome outcome;
    Fd outRead, outWrite, errRead, errWrite;
    if (!makePipe(outRead, outWrite) || !makePipe(errRead, errWrite)) {
        outcome.startError = QString::fromLocal8Bit(std::strerror(errno));
        return outcome;
    }

    QList<QByteArray> argStorage;
    for (const QString &arg : spec.arguments)
        argStorage.append(arg.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &arg : argStorage)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    QList<QByteArray> envStorage;
    for (const QString &entry : spec.environment)
        envStorage.append(entry.toLocal8Bit());
    std::vector<char *> envp;
    for (QByteArray &entry : envStorage)
        envp.push_back(entry.data());
    envp.push_back(nullptr);
    const QByteArray path = QFile::encodeName(spec.program);

    int spawnError = 0;
    const pid_t pid = spawnTree(path.constData(), argv.data(), envp.data(), outWrite.get(), errWrite.get(), spawnError);
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
    QElapsedTimer clock;
    clock.start();
    QElapsedTimer sinceExit;
    ChildState state = ChildState::Running;

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
        if (state == ChildState::Running) {
            state = childState(pid);
            if (state != ChildState::Running)
                sinceExit.start();
#ifndef Q_OS_LINUX
            // Leftovers in its group (`cmd &`) would outlive the run: end them now,
            // then read what is still in the pipes. (On Linux the supervisor has.)
            if (state == ChildState::Exited)
                killGroup(pid);
#endif
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
                stop = spec.onStdout && !spec.onStdout(buffer.constData(), n);
            else
                appendStderr(outcome.stderrTail, buffer.constData(), n);
        }
        if (stop) {
            outcome.stopped = true;
            break;
        }
    }

    outRead.reset();
    errRead.reset();
    if (state == ChildState::ReapedElsewhere)
        return outcome; // exit status unknown
    // Always end the tree before reaping: after a timeout, stop or cancel it is
    // the whole tree; after a normal exit it only catches stragglers.
    int status = 0;
    if (endTree(pid, status)) {
        if (WIFEXITED(status)) {
            outcome.exited = true;
            outcome.exitCode = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            outcome.signal = WTERMSIG(status);
        }
    }
    return outcome;
}

} // namespace dc::core
