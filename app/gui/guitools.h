// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/guioptions.h"
#include "app/gui/wizardcontext.h"

namespace dc::gui {

// Hidden modes for documentation and benchmarks (docs/screenshots/render.sh,
// bench/gui_latency.sh). Each drives a real MainWindow and exits.

// --screenshot-tour DIR: walks the wizard on the given profile and saves
// DIR/<lang>-<n>-<page>.png for every page and dialog.
int runScreenshotTour(const GuiOptions &options, const GuiStartup &startup);
// --measure-startup: prints {"first_paint_ms": ..., "epoch_ms": ...} once the
// window has painted, then exits.
int runMeasureStartup(const GuiOptions &options, const GuiStartup &startup);
// --measure-latency: runs a whole collection (and the scan, review and
// packaging) while a 10 ms timer measures how late the event loop is; prints
// the longest stall per phase as JSON.
int runMeasureLatency(const GuiOptions &options, const GuiStartup &startup);

} // namespace dc::gui
