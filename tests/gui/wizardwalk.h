// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/mainwindow.h"

#include <QCheckBox>
#include <QPushButton>
#include <QtTest>
#include <functional>

namespace dc::test {

// Walks the wizard as a user who accepts every default would: consent on
// Welcome, Next on each page, the collection waited for, until `last` is the
// current page. `atEachPage` runs on every page reached, when it is ready to be
// left (Collect: once the collection is done). On a failed check the walk
// stops; the caller's next QCOMPARE of the page reports where.
inline void walkWizard(gui::MainWindow *window, int last, const std::function<void(int page)> &atEachPage = {})
{
    auto *consent = window->findChild<QCheckBox *>(QStringLiteral("consentCheckBox"));
    auto *next = window->findChild<QPushButton *>(QStringLiteral("nextButton"));
    QVERIFY(consent && next);
    for (;;) {
        const int page = window->currentStep();
        if (page == gui::MainWindow::WelcomeStep && !consent->isChecked())
            QTest::mouseClick(consent, Qt::LeftButton, {}, QPoint(8, 8));
        if (page == gui::MainWindow::CollectStep)
            QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), 120000);
        if (atEachPage)
            atEachPage(page);
        if (page == last || QTest::currentTestFailed())
            return;
        QVERIFY2(next->isEnabled(), qPrintable(QStringLiteral("Next is disabled on page %1").arg(page)));
        QTest::mouseClick(next, Qt::LeftButton);
        QVERIFY2(window->currentStep() != page, qPrintable(QStringLiteral("Next left page %1 in place").arg(page)));
    }
}

} // namespace dc::test
