// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/log/logging.h"

#include "core/bundle/staging.h"
#include "core/util/paths.h"

#include <QFile>
#include <cstdio>
#include <mutex>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace dc::core::log {

namespace {

constexpr const char *kLoggerNames[] = {"core", "collect", "cli", "gui", "qt"};
std::mutex s_mutex;
std::vector<spdlog::sink_ptr> s_sinks;
QString s_logFile;
// The handler setup() replaced, put back by reset().
QtMessageHandler s_previousHandler = nullptr;
bool s_handlerInstalled = false;

// The stderr lines, handed to LogOptions::stderrWriter (spdlog 1.10 has no callback sink).
class WriterSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    explicit WriterSink(std::function<void(std::string_view)> writer)
        : m_writer(std::move(writer))
    {
    }

protected:
    void sink_it_(const spdlog::details::log_msg &message) override
    {
        spdlog::memory_buf_t formatted;
        formatter_->format(message, formatted);
        m_writer(std::string_view(formatted.data(), formatted.size()));
    }
    void flush_() override {}

private:
    std::function<void(std::string_view)> m_writer;
};

spdlog::sink_ptr stderrSink(const LogOptions &options)
{
    if (options.stderrWriter)
        return std::make_shared<WriterSink>(options.stderrWriter);
    return std::make_shared<spdlog::sinks::stderr_sink_mt>();
}

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
        auto fallback = stderrSink(options);
        fallback->set_level(spdlog::level::warn);
        s_sinks.push_back(fallback);
        const std::string note = std::string("diagcollect: logging to stderr only: ") + e.what() + '\n';
        if (options.stderrWriter)
            options.stderrWriter(note);
        else
            fputs(note.c_str(), stderr);
    }
    if (options.toStderr) {
        auto errSink = stderrSink(options);
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
    const QtMessageHandler previous = qInstallMessageHandler(qtMessageHandler);
    if (!s_handlerInstalled) {
        s_previousHandler = previous;
        s_handlerInstalled = true;
    }
}

void reset()
{
    flush();
    std::lock_guard lock(s_mutex);
    if (s_handlerInstalled) {
        qInstallMessageHandler(s_previousHandler);
        s_previousHandler = nullptr;
        s_handlerInstalled = false;
    }
    for (const char *name : kLoggerNames)
        spdlog::drop(name);
    s_sinks.clear();
    s_logFile.clear();
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
