// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// The POSIX descriptor calls and flags that Windows' C runtime lacks, with their
// nearest Windows meaning, for code written against POSIX descriptors (the
// archive writer). Nothing here on other platforms. Paths are char strings in the
// ANSI code page, as for the C runtime's own calls.
// TODO(windows): wide-character paths, as in safefs's Windows branch.

#ifdef _WIN32

#include <cerrno>
#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>
#include <windows.h>

// Every descriptor opened with O_CLOEXEC is also binary: without _O_BINARY the C
// runtime translates line ends, which would corrupt archives and staged files.
#ifndef O_CLOEXEC
#define O_CLOEXEC (_O_NOINHERIT | _O_BINARY)
#endif
// No meaning on Windows: links are reparse points, which lstat() below reports;
// there are no terminals to acquire and no non-blocking regular files; a folder
// cannot be opened as a descriptor, so open(O_DIRECTORY) fails as it should.
#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_NOCTTY
#define O_NOCTTY 0
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK 0
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY 0
#endif
// A full quota is reported as ENOSPC on Windows.
#ifndef EDQUOT
#define EDQUOT ENOSPC
#endif

inline int fsync(int fd) { return ::_commit(fd); }

// File modes are ACLs on Windows: a new file inherits its folder's, which the
// output folder checks already cover.
inline int fchmod(int, int) { return 0; }

inline int link(const char *from, const char *to)
{
    if (::CreateHardLinkA(to, from, nullptr))
        return 0;
    const DWORD error = ::GetLastError();
    errno = error == ERROR_ALREADY_EXISTS || error == ERROR_FILE_EXISTS ? EEXIST : EPERM;
    return -1;
}

// stat() that does not follow a link: a reparse point (symbolic link, junction)
// is reported as neither a regular file nor a folder.
inline int lstat(const char *path, struct stat *info)
{
    const DWORD attributes = ::GetFileAttributesA(path);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        errno = ENOENT;
        return -1;
    }
    if (attributes & FILE_ATTRIBUTE_REPARSE_POINT) {
        *info = {};
        return 0;
    }
    return ::stat(path, info);
}

#endif // _WIN32
