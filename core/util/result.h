// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QString>
#include <tl/expected.hpp>

namespace dc::core {

// Every fallible core call returns Result<T>; exceptions never cross the core API.
enum class ErrorCode {
    Usage,         // bad command line or option value
    Profile,       // the profile (or policy) is malformed
    Io,            // a read or write failed
    NoSpace,       // not enough free space for the output
    Archive,       // libarchive reported an error
    Verification,  // an archive does not match its manifest
    Cancelled,     // the user or a signal cancelled the run
    PolicyRefused, // the administrator's policy does not allow what was asked
    Internal,
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

template <typename T> using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, const QString &message)
{
    return tl::unexpected<Error>(Error{code, message});
}

} // namespace dc::core
