// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/clioutput.h"

#include "core/log/logging.h"
#include "core/util/exitcodes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <cstdio>
#include <mutex>
#include <utility>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace dc::cli {

using namespace dc::core;

namespace {

struct OutputTexts
{
    Q_DECLARE_TR_FUNCTIONS(dc::cli::Output)
};

void writeTo(FILE *stream, QByteArrayView bytes)
{
    std::fwrite(bytes.data(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

// The sink in use; the mutex also keeps one write whole when log lines come from workers.
std::mutex s_mutex;
OutputSink s_sink{[](QByteArrayView bytes) { writeTo(stdout, bytes); },
                  [](QByteArrayView bytes) { writeTo(stderr, bytes); }};
bool s_injected = false;

void writeOut(QByteArrayView bytes)
{
    const std::lock_guard lock(s_mutex);
    s_sink.out(bytes);
}

void writeErr(QByteArrayView bytes)
{
    const std::lock_guard lock(s_mutex);
    s_sink.err(bytes);
}

// Qt's messages while a sink is injected, as Qt's default handler prints them.
void messageToSink(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    writeErr(QString(qFormatLogMessage(type, context, message) + QLatin1Char('\n')).toUtf8());
}

} // namespace

ScopedOutputSink::ScopedOutputSink(OutputSink sink)
{
    {
        const std::lock_guard lock(s_mutex);
        m_previous = std::exchange(s_sink, std::move(sink));
        m_previousInjected = std::exchange(s_injected, true);
    }
    m_previousHandler = qInstallMessageHandler(messageToSink);
}

ScopedOutputSink::~ScopedOutputSink()
{
    qInstallMessageHandler(m_previousHandler);
    const std::lock_guard lock(s_mutex);
    s_sink = std::move(m_previous);
    s_injected = m_previousInjected;
}

void printOut(const QString &text) { writeOut(text.toUtf8()); }

void printErr(const QString &text) { writeErr(text.toUtf8()); }

void printJson(const QJsonObject &object)
{
    printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
}

bool stderrIsTerminal()
{
    {
        const std::lock_guard lock(s_mutex);
        if (s_injected)
            return false;
    }
#ifdef Q_OS_UNIX
    return ::isatty(STDERR_FILENO) == 1 && qEnvironmentVariable("TERM") != QLatin1String("dumb");
#else
    return false;
#endif
}

QString commandHelp(const QCommandLineParser &parser, const QString &program)
{
    QString text = parser.helpText();
    const QStringList processArguments = QCoreApplication::arguments();
    if (processArguments.isEmpty() || processArguments.constFirst().isEmpty())
        return text;
    const QString &executable = processArguments.constFirst();
    const qsizetype at = text.left(text.indexOf(QLatin1Char('\n'))).indexOf(executable);
    if (at >= 0)
        text.replace(at, executable.size(), program);
    return text;
}

void setupLogging(const log::LogOptions &options)
{
    log::LogOptions throughSink = options;
    throughSink.stderrWriter = [](std::string_view line) {
        writeErr(QByteArrayView(line.data(), qsizetype(line.size())));
    };
    log::setup(throughSink);
}

int reportError(const Error &error, bool json)
{
    printErr(QStringLiteral("diagcollect: %1\n").arg(error.message));
    if (json)
        printJson(QJsonObject{
            {QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), error.message},
                                                  {QStringLiteral("exit_code"), int(exitCodeFor(error.code))}}}});
    return int(exitCodeFor(error.code));
}

void printWarning(const QString &message)
{
    printErr(QStringLiteral("diagcollect: ") + OutputTexts::tr("warning: %1").arg(message) + QLatin1Char('\n'));
}

int usageError(const QString &message, bool json)
{
    if (json)
        return reportError(Error{ErrorCode::Usage, message}, true);
    printErr(QStringLiteral("diagcollect: %1\n").arg(message) + OutputTexts::tr("Try 'diagcollect --help'.") +
             QLatin1Char('\n'));
    return int(ExitCode::Usage);
}

} // namespace dc::cli
