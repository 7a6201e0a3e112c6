// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QString>
#include <functional>
#include <memory>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

// Lets spdlog format QString arguments directly: log->info("wrote {}", path).
template <> struct fmt::formatter<QString> : fmt::formatter<std::string_view>
{
    template <typename Context> auto format(const QString &text, Context &ctx) const
    {
        const QByteArray utf8 = text.toUtf8();
        return fmt::formatter<std::string_view>::format(std::string_view(utf8.constData(), utf8.size()), ctx);
    }
};

namespace dc::core::log {

struct LogOptions
{
    QString directory;     // default paths::logDir()
    bool toStderr = false; // CLI: also print to stderr
    spdlog::level::level_enum stderrLevel = spdlog::level::warn;
    spdlog::level::level_enum fileLevel = spdlog::level::info;
    // Where the stderr lines go (one formatted line per call, from any thread): the CLI's
    // replaceable output. Empty: the process's stderr.
    std::function<void(std::string_view)> stderrWriter;
};

// Sets up the named loggers (core, collect, cli, gui, qt) on one rotating file
// (diagcollect.log, 5 MiB x 3) and, in CLI mode, stderr; forwards Qt's own
// messages. Falls back to stderr alone when the file cannot be opened.
// Call once from main() before any worker thread starts.
void setup(const LogOptions &options = {});
// Undoes setup(): flushes and drops the named loggers (get() hands out null sinks
// again) and puts back the Qt message handler setup() replaced. The CLI calls it at
// the end of each run, so that the next run in the same process starts as a new
// process does. Main thread, while no other thread logs.
void reset();
// A named logger; a null sink until setup() has run, so core stays usable in tests.
std::shared_ptr<spdlog::logger> get(const char *name);
// The current log file, empty when logging goes to stderr only.
QString logFilePath();
void flush();

} // namespace dc::core::log
