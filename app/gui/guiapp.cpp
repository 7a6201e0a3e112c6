// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/guiapp.h"

#include "app/gui/guitools.h"
#include "app/gui/mainwindow.h"
#include "core/log/logging.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace dc::gui {

QString installTranslations(const QString &language)
{
    QString chosen = language;
    if (chosen.isEmpty()) {
        const QStringList ui = QLocale::system().uiLanguages();
        chosen =
            !ui.isEmpty() && ui.first().startsWith(QLatin1String("ja")) ? QStringLiteral("ja") : QStringLiteral("en");
    }
    QLocale::setDefault(QLocale(chosen == QLatin1String("ja") ? QLocale::Japanese : QLocale::English,
                                chosen == QLatin1String("ja") ? QLocale::Japan : QLocale::UnitedStates));
    auto *app = new QTranslator(qApp);
    if (app->load(QStringLiteral(":/i18n/diagcollect_%1.qm").arg(chosen)))
        QCoreApplication::installTranslator(app);
    if (chosen == QLatin1String("en"))
        return chosen; // Qt's own strings are English already
    auto *qt = new QTranslator(qApp);
    // Embedded when the build found it; else the system's copy.
    if (qt->load(QStringLiteral(":/i18n/qtbase_%1.qm").arg(chosen)) ||
        qt->load(QStringLiteral("qtbase_%1").arg(chosen), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return chosen;
}

int runGui(const GuiOptions &options)
{
    core::log::setup();
    core::log::get("gui")->info("desktop wizard started");
    installTranslations(options.language);
    if (!options.screenshotDir.isEmpty())
        return runScreenshotTour(options);
    if (options.measureStartup)
        return runMeasureStartup(options);
    if (options.measureLatency)
        return runMeasureLatency(options);
    MainWindow window(options);
    window.show();
    return QApplication::exec();
}

} // namespace dc::gui
