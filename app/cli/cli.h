// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QStringList>

namespace dc::cli {

// True when argv names a subcommand or a global option, i.e. the headless
// front end should run instead of the desktop wizard.
bool wantsCli(const QStringList &arguments);
// Runs the headless front end under an existing QCoreApplication; returns the
// process exit code (see core/util/exitcodes.h).
int run(const QStringList &arguments);

} // namespace dc::cli
