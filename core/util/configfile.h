// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>

namespace dc::core {

// Reads a small configuration file (a profile, a policy) whole. Only a regular
// file is read: a FIFO, /dev/zero or a folder is refused without blocking or
// reading, and a file larger than maxBytes is refused from its size before any
// byte is read (and again if it grows while read). Qt resource paths (":/...")
// are read from the binary. Errors are ErrorCode::Profile (exit code 2) and
// start with the path: "<path>: not a regular file (character device)".
Result<QByteArray> readConfigFile(const QString &path, qint64 maxBytes);

} // namespace dc::core
