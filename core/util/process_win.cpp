// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/process.h"

#include <QElapsedTimer>
#include <windows.h>

namespace dc::core {

namespace {

constexpr qsizetype kStderrCap = qsizetype(64) * 1024;
constexpr DWORD kTickMs = 20;
constexpr DWORD kReapGraceMs = 3000;

// Closes a HANDLE when it goes out of scope.
class Handle
{
public:
    Handle() = default;
    explicit Handle(HANDLE handle)
        : m_handle(handle == INVALID_HANDLE_VALUE ? nullptr : handle)
    {
    }
    ~Handle() { reset(); }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    HANDLE get() const { return m_handle; }
    HANDLE *out()
    {
        reset();
        return &m_handle;
    }
    explicit operator bool() const { return m_handle != nullptr; }
    void reset()
    {
        if (m_handle)
            ::CloseHandle(m_handle);
        m_handle = nullptr;
    }

private:
    HANDLE m_handle = nullptr;
};

QString lastErrorText(DWORD code)
{
    wchar_t *buffer = nullptr;
    const DWORD length =
        ::FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                         nullptr, code, 0, reinterpret_cast<LPWSTR>(&buffer), 0, nullptr);
    QString text = length && buffer ? QString::fromWCharArray(buffer, int(length)).trimmed()
                                    : QStringLiteral("error %1").arg(code);
    if (buffer)
        ::LocalFree(buffer);
    return text;
}

// One argument quoted the way CommandLineToArgvW and the C runtime split it again.
QString quoteArgument(const QString &argument)
{
    if (!argument.isEmpty() && !argument.contains(QLatin1Char(' ')) && !argument.contains(QLatin1Char('\t')) &&
        !argument.contains(QLatin1Char('"')))
        return argument;
    QString quoted = QStringLiteral("\"");
    int backslashes = 0;
    for (const QChar c : argument) {
        if (c == QLatin1Char('\\')) {
            ++backslashes;
            continue;
        }
        if (c == QLatin1Char('"'))
            quoted += QString(backslashes * 2 + 1, QLatin1Char('\\'));
        else
            quoted += QString(backslashes, QLatin1Char('\\'));
        backslashes = 0;
        quoted += c;
    }
    quoted += QString(backslashes * 2, QLatin1Char('\\'));
    quoted += QLatin1Char('"');
    return quoted;
}

// "NAME=value\0...\0\0" in UTF-16 for CREATE_UNICODE_ENVIRONMENT.
std::wstring environmentBlock(const QStringList &environment)
{
    std::wstring block;
    for (const QString &entry : environment) {
        if (entry.indexOf(QLatin1Char('='), 1) <= 0)
            continue;
        block += entry.toStdWString();
        block.push_back(L'\0');
    }
    if (block.empty())
        block.push_back(L'\0');
    block.push_back(L'\0');
    return block;
}

// Reads what a pipe holds without blocking; false when it is closed.
bool drainPipe(HANDLE pipe, QByteArray &into)
{
    for (;;) {
        DWORD available = 0;
        if (!::PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr))
            return false; // broken: the writers are gone
        if (available == 0)
            return true;
        QByteArray block(int(qMin<DWORD>(available, 64 * 1024)), Qt::Uninitialized);
        DWORD read = 0;
        if (!::ReadFile(pipe, block.data(), DWORD(block.size()), &read, nullptr))
            return false;
        into.append(block.constData(), qsizetype(read));
    }
}

} // namespace

// The child starts suspended inside a job object that kills every process in
// it when the job is terminated or its last handle closes
// (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE): at the timeout, on cancel, when
// onStdout stops the run and when the program exits, the whole tree goes —
// also the processes it started, also when diagcollect itself is killed
// (the system closes the job handle then). Runs on a worker thread without
// an event loop: pipes are polled every few milliseconds.
ProcessOutcome runProcessTree(const ProcessSpec &spec)
{
    ProcessOutcome outcome;
    Handle job(::CreateJobObjectW(nullptr, nullptr));
    if (!job) {
        outcome.startError = QStringLiteral("cannot create a job object: %1").arg(lastErrorText(::GetLastError()));
        return outcome;
    }
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = {};
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!::SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits, sizeof(limits))) {
        outcome.startError = QStringLiteral("cannot set up a job object: %1").arg(lastErrorText(::GetLastError()));
        return outcome;
    }

    SECURITY_ATTRIBUTES inherit = {};
    inherit.nLength = sizeof(inherit);
    inherit.bInheritHandle = TRUE;
    Handle outRead, outWrite, errRead, errWrite;
    if (!::CreatePipe(outRead.out(), outWrite.out(), &inherit, 0) ||
        !::CreatePipe(errRead.out(), errWrite.out(), &inherit, 0)) {
        outcome.startError = QStringLiteral("cannot create pipes: %1").arg(lastErrorText(::GetLastError()));
        return outcome;
    }
    // Our ends stay ours: a grandchild must not hold them open.
    ::SetHandleInformation(outRead.get(), HANDLE_FLAG_INHERIT, 0);
    ::SetHandleInformation(errRead.get(), HANDLE_FLAG_INHERIT, 0);
    Handle nullInput(::CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING,
                                   FILE_ATTRIBUTE_NORMAL, nullptr));

    STARTUPINFOW startup = {};
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = nullInput.get();
    startup.hStdOutput = outWrite.get();
    startup.hStdError = errWrite.get();

    QStringList quoted;
    const QStringList argv = spec.arguments.isEmpty() ? QStringList{spec.program} : spec.arguments;
    for (const QString &argument : argv)
        quoted.append(quoteArgument(argument));
    std::wstring commandLine = quoted.join(QLatin1Char(' ')).toStdWString();
    std::wstring environment = environmentBlock(spec.environment);
    const std::wstring program = spec.program.toStdWString();

    PROCESS_INFORMATION info = {};
    const BOOL created = ::CreateProcessW(program.c_str(), commandLine.data(), nullptr, nullptr, TRUE,
                                          CREATE_SUSPENDED | CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT,
                                          environment.data(), nullptr, &startup, &info);
    if (!created) {
        const DWORD error = ::GetLastError();
        outcome.notFound = error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND;
        outcome.startError = lastErrorText(error);
        return outcome;
    }
    Handle process(info.hProcess);
    Handle thread(info.hThread);
    // Into the job before it runs a single instruction: nothing it starts can escape.
    if (!::AssignProcessToJobObject(job.get(), process.get())) {
        outcome.startError =
            QStringLiteral("cannot put the process into a job object: %1").arg(lastErrorText(::GetLastError()));
        ::TerminateProcess(process.get(), 1);
        ::WaitForSingleObject(process.get(), kReapGraceMs);
        return outcome;
    }
    ::ResumeThread(thread.get());
    thread.reset();
    // The child holds the write ends now; ours would keep the pipes open forever.
    outWrite.reset();
    errWrite.reset();
    nullInput.reset();

    QElapsedTimer clock;
    clock.start();
    bool outOpen = true;
    bool errOpen = true;
    bool exited = false;
    while (true) {
        if (spec.isCancelled && spec.isCancelled()) {
            outcome.cancelled = true;
            break;
        }
        if (clock.elapsed() >= spec.timeoutMs) {
            outcome.timedOut = true;
            break;
        }
        exited = ::WaitForSingleObject(process.get(), kTickMs) == WAIT_OBJECT_0;
        QByteArray out;
        if (outOpen)
            outOpen = drainPipe(outRead.get(), out);
        if (errOpen) {
            errOpen = drainPipe(errRead.get(), outcome.stderrTail);
            if (outcome.stderrTail.size() > kStderrCap)
                outcome.stderrTail.remove(0, outcome.stderrTail.size() - kStderrCap);
        }
        if (!out.isEmpty() && spec.onStdout && !spec.onStdout(out.constData(), out.size())) {
            outcome.stopped = true;
            break;
        }
        // Done when the program exited and what it wrote was read; descendants
        // that still hold the pipes are killed with the job below.
        if (exited) {
            QByteArray rest;
            if (outOpen)
                drainPipe(outRead.get(), rest);
            if (errOpen)
                drainPipe(errRead.get(), outcome.stderrTail);
            if (!rest.isEmpty() && spec.onStdout && !spec.onStdout(rest.constData(), rest.size()))
                outcome.stopped = true;
            break;
        }
    }
    // Everything still in the job goes: the program if it runs, and all it started.
    ::TerminateJobObject(job.get(), 1);
    if (!exited)
        ::WaitForSingleObject(process.get(), kReapGraceMs);
    if (exited && !outcome.cancelled && !outcome.timedOut) {
        DWORD code = 0;
        if (::GetExitCodeProcess(process.get(), &code)) {
            outcome.exited = true;
            outcome.exitCode = int(code);
        } else {
            outcome.signal = -1;
        }
    }
    return outcome;
}

} // namespace dc::core
