// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/log/logging.h"

#include "core/bundle/staging.h"
#include "core/util/paths.h"

#include <QFile>
#include <mutex>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace dc::core::log {

namespace {

constexpr const char *kLoggerNames[] = {"core", "collect", "cli", "gui", "qt"};
std::mutex s_mutex;
std::vector<spdlog::sink_ptr> s_sinks;
QString s_logFile;

void qtMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    auto logger = get("qt");
    switch (type) {
    case QtDebugMsg:
        logger->debug("{}", message);
        break;
    case QtInfoMsg:
        logger->info("{}", message);
        break;
    case QtWarningMsg:
        logger->warn("{}", message);
        break;
    case QtCriticalMsg:
    case QtFatalMsg:
        logger->error("{}", message);
        break;
    }
}

} // namespace

void setup(const LogOptions &options)
{
    std::lock_guard lock(s_mutex);
    s_sinks.clear();
    const QString directory = options.directory.isEmpty() ? paths::logDir() : options.directory;
    try {
        if (!makePrivateDirs(directory))
            throw spdlog::spdlog_ex("cannot create " + directory.toStdString());
        const QString file = directory + QStringLiteral("/diagcollect.log");
        auto fileSink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file.toStdString(), 5 * 1024 * 1024, 3);
        fileSink->set_level(options.fileLevel);
        QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
        s_sinks.push_back(fileSink);
        s_logFile = file;
    } catch (const spdlog::spdlog_ex &e) {
        s_logFile.clear();
        auto fallback = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        fallback->set_level(spdlog::level::warn);
        s_sinks.push_back(fallback);
        fprintf(stderr, "diagcollect: logging to stderr only: %s\n", e.what());
    }
    if (options.toStderr) {
        auto errSink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        errSink->set_level(options.stderrLevel);
        errSink->set_pattern("diagcollect: %l: %v");
        s_sinks.push_back(errSink);
    }
    for (const char *name : kLoggerNames) {
        spdlog::drop(name);
        auto logger = std::make_shared<spdlog::logger>(name, s_sinks.begin(), s_sinks.end());
        logger->set_level(spdlog::level::debug);
        logger->flush_on(spdlog::level::warn);
        spdlog::register_logger(logger);
    }
    qInstallMessageHandler(qtMessageHandler);
}

std::shared_ptr<spdlog::logger> get(const char *name)
{
    if (auto logger = spdlog::get(name))
        return logger;
    std::lock_guard lock(s_mutex);
    if (auto logger = spdlog::get(name))
        return logger;
    auto logger = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
    spdlog::register_logger(logger);
    return logger;
}

QString logFilePath()
{
    std::lock_guard lock(s_mutex);
    return s_logFile;
}

void flush()
{
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger> &logger) { logger->flush(); });
}

} // namespace dc::core::log
