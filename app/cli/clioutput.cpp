// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/clioutput.h"

#include "core/util/exitcodes.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <cstdio>

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

} // namespace

void printOut(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, bytes.size(), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, bytes.size(), stderr);
    std::fflush(stderr);
}

void printJson(const QJsonObject &object)
{
    printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
}

bool stderrIsTerminal()
{
#ifdef Q_OS_UNIX
    return ::isatty(STDERR_FILENO) == 1 && qEnvironmentVariable("TERM") != QLatin1String("dumb");
#else
    return false;
#endif
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
