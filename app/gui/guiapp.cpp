// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/guiapp.h"

#include "app/gui/guitools.h"
#include "app/gui/mainwindow.h"
#include "core/bundle/staging.h"
#include "core/log/logging.h"
#include "core/util/exitcodes.h"
#include "core/util/language.h"

#include <QApplication>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QMessageBox>
#include <cstdio>

namespace dc::gui {

namespace {

struct GuiApp
{
    Q_DECLARE_TR_FUNCTIONS(dc::gui::GuiApp)
};

} // namespace

core::Result<GuiStartup> prepareGuiStart()
{
    auto logger = core::log::get("gui");
    GuiStartup startup;
    // Every start: a level left at full by a process that is gone (crash, kill,
    // reboot) or past its time cap is restored first, even under a broken policy.
    if (auto recovered = core::recoverFullLogging(); !recovered) {
        startup.recoveryFailed = true;
        startup.recoveryMessage = recovered.error().message;
        logger->warn("full logging: {}", recovered.error().message);
    } else if (recovered->restored) {
        startup.recovered = true;
        QStringList lines{recovered->message};
        lines += recovered->warnings;
        startup.recoveryMessage = lines.join(QStringLiteral("; "));
    }
    // Every start, too: what a run that was killed left in staging (collected
    // data before redaction) is removed now, not at the next collection.
    if (const int removed = core::Staging::removeDeadRuns(); removed > 0)
        logger->info("removed the staging of {} run(s) that are gone", removed);
    auto policy = core::loadPolicy();
    if (!policy) {
        core::Error error = policy.error();
        logger->error("policy: {}", error.message);
        if (error.code == core::ErrorCode::Profile)
            error.message += QLatin1Char('\n') + GuiApp::tr("The administrator's policy has mistakes: Diagnostics "
                                                            "Collector does not run until it is fixed.");
        return tl::unexpected(error);
    }
    startup.policy = *policy;
    return startup;
}

int runGui(const GuiOptions &options)
{
    core::log::setup();
    core::log::get("gui")->info("desktop wizard started");
    core::installTranslations(options.language);
    auto startup = prepareGuiStart();
    if (!startup) {
        const QString text = startup.error().message;
        std::fprintf(stderr, "diagcollect: %s\n", qPrintable(text));
        const QString platform = QGuiApplication::platformName();
        if (platform != QLatin1String("offscreen") && platform != QLatin1String("minimal")) {
            QMessageBox box(QMessageBox::Critical, GuiApp::tr("Diagnostics Collector"),
                            GuiApp::tr("Diagnostics Collector cannot start."), QMessageBox::Close);
            box.setInformativeText(text);
            box.exec();
        }
        return int(core::exitCodeFor(startup.error().code));
    }
    if (!options.screenshotDir.isEmpty())
        return runScreenshotTour(options, *startup);
    if (options.measureStartup)
        return runMeasureStartup(options, *startup);
    if (options.measureLatency)
        return runMeasureLatency(options, *startup);
    MainWindow window(options, *startup);
    if (options.windowSize.isValid())
        window.resize(options.windowSize);
    window.show();
    return QApplication::exec();
}

} // namespace dc::gui
