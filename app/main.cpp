// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/cli.h"
#include "app/gui/guiapp.h"

#include <QApplication>
#include <QCoreApplication>

namespace {

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("diagcollect"));
    QCoreApplication::setOrganizationName(QStringLiteral("diagcollect"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DIAGCOLLECT_VERSION));
}

} // namespace

int main(int argc, char *argv[])
{
    // The mode is chosen before any Q*Application exists: the headless front end
    // must never need a display. No arguments, or only the wizard's options
    // (--lang, --profile, ...), open the wizard; anything else is the CLI.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (const auto gui = dc::gui::parseGuiArguments(arguments)) {
        QApplication app(argc, argv);
        setIdentity();
        return dc::gui::runGui(*gui);
    }
    QCoreApplication app(argc, argv);
    setIdentity();
    return dc::cli::run(QCoreApplication::arguments());
}
