// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/guioptions.h"

namespace dc::gui {

// Installs the application's and Qt's own translations for language ("en",
// "ja"; empty: the system locale). English needs no catalog. Returns the
// language in use. Needs a QCoreApplication.
QString installTranslations(const QString &language);

// Runs the desktop wizard (or a hidden tour/measurement mode) under the
// QApplication that main() created; returns the exit code.
int runGui(const GuiOptions &options);

} // namespace dc::gui
