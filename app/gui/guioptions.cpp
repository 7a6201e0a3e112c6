// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/guioptions.h"

namespace dc::gui {

std::optional<GuiOptions> parseGuiArguments(const QStringList &arguments)
{
    GuiOptions options;
    options.sinceLaunch.start();
    // Hand-parsed on purpose: QCommandLineParser wants a Q*Application for
    // --help/--version, and anything it does not know must go to the CLI.
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        QString name = arguments.at(i);
        QString value;
        bool hasInlineValue = false;
        if (const qsizetype equals = name.indexOf(QLatin1Char('='));
            name.startsWith(QLatin1String("--")) && equals > 0) {
            value = name.mid(equals + 1);
            name = name.left(equals);
            hasInlineValue = true;
        }
        auto takeValue = [&]() -> bool {
            if (hasInlineValue)
                return true;
            if (i + 1 >= arguments.size())
                return false;
            value = arguments.at(++i);
            return true;
        };
        if (name == QLatin1String("--lang")) {
            if (!takeValue() || (value != QLatin1String("en") && value != QLatin1String("ja")))
                return std::nullopt;
            options.language = value;
        } else if (name == QLatin1String("--profile")) {
            if (!takeValue())
                return std::nullopt;
            options.profilePath = value;
        } else if (name == QLatin1String("--define")) {
            if (!takeValue())
                return std::nullopt;
            options.defines << value;
        } else if (name == QLatin1String("--case-id")) {
            if (!takeValue())
                return std::nullopt;
            options.caseId = value;
        } else if (name == QLatin1String("--full-logs") && !hasInlineValue) {
            options.fullLogs = true;
        } else if (name == QLatin1String("--screenshot-tour")) {
            if (!takeValue())
                return std::nullopt;
            options.screenshotDir = value;
        } else if (name == QLatin1String("--window-size")) {
            const QStringList parts = takeValue() ? value.split(QLatin1Char('x')) : QStringList();
            const QSize size = parts.size() == 2 ? QSize(parts.at(0).toInt(), parts.at(1).toInt()) : QSize();
            if (size.width() < 320 || size.height() < 240)
                return std::nullopt;
            options.windowSize = size;
        } else if (name == QLatin1String("--measure-startup") && !hasInlineValue) {
            options.measureStartup = true;
        } else if (name == QLatin1String("--measure-latency") && !hasInlineValue) {
            options.measureLatency = true;
        } else {
            return std::nullopt; // a subcommand, --help, --version or a mistake: the CLI answers
        }
    }
    return options;
}

} // namespace dc::gui
