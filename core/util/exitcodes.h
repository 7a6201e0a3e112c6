// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

namespace dc::core {

// The process exit codes documented in README.md; scripts and fleets rely on them.
enum class ExitCode : int {
    Ok = 0,
    Failure = 1,
    Usage = 2,   // usage, profile or policy error
    Refused = 3, // the administrator's policy does not allow this run or option (docs/POLICY.md)
    NotSent = 4, // upload, collect --upload: the archive is written and kept, but it was not sent (docs/UPLOAD.md)
    Cancelled = 130,
};

inline ExitCode exitCodeFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Usage:
    case ErrorCode::Profile:
        return ExitCode::Usage;
    case ErrorCode::Cancelled:
        return ExitCode::Cancelled;
    case ErrorCode::PolicyRefused:
        return ExitCode::Refused;
    default:
        return ExitCode::Failure;
    }
}

} // namespace dc::core
