// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <functional>

class QCommandLineParser;

namespace dc::core::log {
struct LogOptions;
} // namespace dc::core::log

namespace dc::cli {

// Where the CLI's stdout and stderr go. Every byte the commands print passes
// through it: the functions below and the log lines on stderr (setupLogging).
// Each call hands over one complete write in UTF-8. The default writes to the
// process's stdout/stderr and flushes at once (progress and results must reach a
// fleet tool's pipe in order). stdin is not part of it.
struct OutputSink
{
    std::function<void(QByteArrayView)> out;
    std::function<void(QByteArrayView)> err;
};

// Replaces the sink for its lifetime and puts the previous one back (KeePassXC's
// TestCli injects its streams the same way): an in-process caller of run() sees
// exactly what a user would. The functions are called one at a time (a mutex
// orders them) from the thread that prints, a worker thread for log lines; they
// must not print through the CLI themselves. While a sink is injected, stderr is
// no terminal (stderrIsTerminal()), and Qt's own messages that no log setup takes
// go to its err as Qt's default handler formats them (a process's would go to its
// stderr or the journal).
class ScopedOutputSink
{
public:
    explicit ScopedOutputSink(OutputSink sink);
    ~ScopedOutputSink();
    ScopedOutputSink(const ScopedOutputSink &) = delete;
    ScopedOutputSink &operator=(const ScopedOutputSink &) = delete;

private:
    OutputSink m_previous;
    bool m_previousInjected;
    QtMessageHandler m_previousHandler;
};

// Output of the headless commands, through the sink: UTF-8, JSON on stdout for machines.
void printOut(const QString &text);
void printErr(const QString &text);
// One compact JSON object and a newline on stdout.
void printJson(const QJsonObject &object);
// True when stderr is an interactive terminal that can redraw a progress bar
// (never while a sink is injected).
bool stderrIsTerminal();
// "diagcollect: warning: MESSAGE" on stderr ("warning" in the language chosen).
void printWarning(const QString &message);
// Prints a usage problem (as a JSON error object too when json) and returns exit code 2.
int usageError(const QString &message, bool json = false);
// Prints a core error on stderr (and as JSON on stdout when json) and returns its exit code.
int reportError(const core::Error &error, bool json);
// parser.helpText() with its usage line naming program (the "diagcollect COMMAND" a command's
// arguments start with) where Qt names the process's argv[0]: what a command prints depends
// only on the arguments run() was given, the same in the binary and in-process.
QString commandHelp(const QCommandLineParser &parser, const QString &program);
// core::log::setup() with its stderr lines going through the sink: every command sets up logging
// through it.
void setupLogging(const core::log::LogOptions &options);

} // namespace dc::cli
