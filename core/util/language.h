// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QString>

namespace dc::core {

// The languages the tool speaks: "en" (the source) and "ja".
bool isSupportedLanguage(const QString &language);

// The language to use: requested ("en", "ja") when given, else the system's
// (QLocale::system().uiLanguages(), which follows LANGUAGE/LC_ALL/LC_MESSAGES/LANG
// on Unix): Japanese when it comes first, English otherwise.
QString chooseLanguage(const QString &requested);

// Installs the tool's translations (":/i18n/diagcollect_<lang>.qm", which the
// diagcollect binary and every test linking dc_gui embed) and Qt's own catalogue
// for chooseLanguage(requested), and makes it QLocale's default (numbers, sizes).
// Both faces call it once at start: the wizard and the CLI's human-text commands.
// Returns the language in use. Needs a QCoreApplication; call it on the main
// thread before any other thread translates.
QString installTranslations(const QString &requested);
// Removes (and deletes) the translators installTranslations() installed, so that
// tr() answers in the source language again. QLocale's default is left as it is:
// a caller that wants it back saves and restores it. Main thread.
void removeTranslations();

} // namespace dc::core
