// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/policy/policy.h"

#include <QStringList>

namespace dc::cli {

// `diagcollect redact --in FILE --out FILE [--rules FILE] [--map FILE]`
// Redacts one file with the built-in rules (this machine's names included)
// plus the extra rules file and the administrator's keywords and patterns (a
// rules file may not disable rules under force_redaction: exit code 3); a
// compressed input is written decompressed.
// With --map, an existing map is loaded first (tokens continue) and the map
// is written back with mode 0600. `args` is the argument list with the
// sub-command removed and args[0] the program name, e.g.
// {"diagcollect", "--in", "a.log", "--out", "b.log"}.
// Output: a one-line summary on stdout, errors on stderr.
// Returns 0 on success, 1 on failure (I/O, binary input), 2 on a usage error.
int runRedactCommand(const QStringList &args, const core::Policy &policy);

// `diagcollect rules [--json]`: lists every built-in rule with its id, token
// kind and description (plain text, or a JSON array with --json). Same
// argument convention and exit codes.
int runRulesCommand(const QStringList &args);

} // namespace dc::cli
