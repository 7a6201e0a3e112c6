// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/cli.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // The mode is chosen before any Q*Application exists: the headless front end
    // must never need a display.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("diagcollect"));
    QCoreApplication::setOrganizationName(QStringLiteral("diagcollect"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DC_VERSION));
    return dc::cli::run(QCoreApplication::arguments());
}
