// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

namespace dc::cli {

// Output of the headless commands: UTF-8, flushed at once (progress and results
// must reach a fleet tool's pipe in order), JSON on stdout for machines.
void printOut(const QString &text);
void printErr(const QString &text);
// One compact JSON object and a newline on stdout.
void printJson(const QJsonObject &object);
// True when stderr is an interactive terminal that can redraw a progress bar.
bool stderrIsTerminal();
// "diagcollect: warning: MESSAGE" on stderr ("warning" in the language chosen).
void printWarning(const QString &message);
// Prints a usage problem (as a JSON error object too when json) and returns exit code 2.
int usageError(const QString &message, bool json = false);
// Prints a core error on stderr (and as JSON on stdout when json) and returns its exit code.
int reportError(const core::Error &error, bool json);

} // namespace dc::cli
