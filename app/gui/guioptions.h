// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QElapsedTimer>
#include <QSize>
#include <QStringList>
#include <optional>

namespace dc::gui {

// The desktop wizard's command line: no subcommand, only these options.
struct GuiOptions
{
    QString language;    // "en", "ja" or empty (system locale)
    QString profilePath; // empty: the built-in profile
    QStringList defines; // NAME=VALUE profile variables
    bool fullLogs = false;
    // Hidden, for docs and benchmarks.
    QString screenshotDir;       // --screenshot-tour DIR: render every page and exit
    bool measureStartup = false; // --measure-startup: print time to first paint and exit
    bool measureLatency = false; // --measure-latency: collect, print the longest UI stall, exit
    QString caseId;              // --case-id, prefills the field (used by the tour)
    QSize windowSize;            // --window-size WxH: the tour's window size (default 1024x700)
    QElapsedTimer sinceLaunch;   // started by parseGuiArguments(), before any Q*Application
};

// Returns the options when argv asks for the wizard (no arguments, or only
// the options above); std::nullopt when the headless front end must run
// (a subcommand, --help, --version, or anything unknown). Needs no
// Q*Application, so main() can decide before creating one.
std::optional<GuiOptions> parseGuiArguments(const QStringList &arguments);

} // namespace dc::gui
