// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/processidentity.h"

#include <windows.h>

namespace dc::core::processidentity {

namespace {

// Closes the process handle on every path.
struct ProcessHandle
{
    HANDLE handle;
    explicit ProcessHandle(qint64 pid)
        : handle(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, DWORD(pid)))
    {
    }
    ~ProcessHandle()
    {
        if (handle)
            ::CloseHandle(handle);
    }
    ProcessHandle(const ProcessHandle &) = delete;
    ProcessHandle &operator=(const ProcessHandle &) = delete;
};

} // namespace

QByteArray startTime(qint64 pid)
{
    const ProcessHandle process(pid);
    FILETIME created, exited, kernel, user;
    if (!process.handle || !::GetProcessTimes(process.handle, &created, &exited, &kernel, &user))
        return {};
    return QByteArray::number((quint64(created.dwHighDateTime) << 32) | created.dwLowDateTime);
}

// TODO(windows): the boot time, from GetTickCount64 subtracted from the clock, rounded.
QByteArray currentBootId() { return {}; }

bool isAlive(qint64 pid, const QByteArray &startTime, const QByteArray &bootId)
{
    if (pid <= 0)
        return false;
    if (!bootId.isEmpty() && bootId != currentBootId())
        return false;
    const ProcessHandle process(pid);
    if (!process.handle)
        return false; // gone, or not ours to query
    DWORD code = 0;
    const bool running = ::GetExitCodeProcess(process.handle, &code) && code == STILL_ACTIVE;
    return running && (startTime.isEmpty() || processidentity::startTime(pid) == startTime);
}

} // namespace dc::core::processidentity
