// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/guioptions.h"
#include "app/gui/wizardcontext.h"
#include "core/util/result.h"

namespace dc::gui {

// What every start does before the wizard shows, as the CLI does before any
// command: restores a full-logging level left raised by a run that is gone or
// past its time cap (core::recoverFullLogging()), then loads the
// administrator's policy (core::loadPolicy(), $DIAGCOLLECT_POLICY for tests).
// A policy with mistakes is an error whose message names the file and each
// JSON path, followed by a translated line saying the tool does not run until
// it is fixed. Needs a QCoreApplication (for the translations).
core::Result<GuiStartup> prepareGuiStart();

// Runs the desktop wizard (or a hidden tour/measurement mode) under the
// QApplication that main() created; returns the exit code. A policy error is
// shown in a message box (on stderr too; only there on the offscreen and
// minimal platforms, where no one could see or close a box) and the wizard
// refuses to run: exit code 2.
int runGui(const GuiOptions &options);

} // namespace dc::gui
