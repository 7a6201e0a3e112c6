// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QStringList>
#include <QTranslator>

namespace dc::core {

bool isSupportedLanguage(const QString &language)
{
    return language == QLatin1String("en") || language == QLatin1String("ja");
}

QString chooseLanguage(const QString &requested)
{
    if (!requested.isEmpty())
        return requested;
    const QStringList ui = QLocale::system().uiLanguages();
    return !ui.isEmpty() && ui.first().startsWith(QLatin1String("ja")) ? QStringLiteral("ja") : QStringLiteral("en");
}

namespace {

// What installTranslations() installed: the tool's catalogue and Qt's own.
QPointer<QTranslator> s_installed[2];

} // namespace

void removeTranslations()
{
    for (QPointer<QTranslator> &translator : s_installed) {
        if (translator) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }
}

QString installTranslations(const QString &requested)
{
    const QString chosen = chooseLanguage(requested);
    const bool japanese = chosen == QLatin1String("ja");
    QLocale::setDefault(
        QLocale(japanese ? QLocale::Japanese : QLocale::English, japanese ? QLocale::Japan : QLocale::UnitedStates));
    // A second call replaces the first one's translators: Qt asks every
    // installed translator in turn, so a Japanese one left behind would still
    // answer what the English catalogue leaves untranslated.
    removeTranslations();
    // Parented to the application (never qApp: a GUI-less process has no QApplication).
    auto *app = new QTranslator(QCoreApplication::instance());
    if (app->load(QStringLiteral(":/i18n/diagcollect_%1.qm").arg(chosen)))
        QCoreApplication::installTranslator(app);
    s_installed[0] = app;
    if (!japanese)
        return chosen; // Qt's own strings are English already
    auto *qt = new QTranslator(QCoreApplication::instance());
    // Embedded when the build found it; else the system's copy.
    if (qt->load(QStringLiteral(":/i18n/qtbase_%1.qm").arg(chosen)) ||
        qt->load(QStringLiteral("qtbase_%1").arg(chosen), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    s_installed[1] = qt;
    return chosen;
}

} // namespace dc::core
