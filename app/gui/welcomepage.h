// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"

class QCheckBox;
class QLabel;
class QLineEdit;

namespace dc::gui {

// Step 1: what the tool does, what it collects and why, where the data goes;
// the case ID and the consent to go on.
class WelcomePage : public WizardPage
{
    Q_OBJECT

public:
    explicit WelcomePage(WizardContext *context, QWidget *parent = nullptr);
    QString title() const override { return tr("Welcome"); }
    bool canGoNext() const override;
    bool canGoBack() const override { return false; }
    void enter() override;
    bool leaveForward() override;

private:
    void refresh();

    QLabel *m_categoriesLabel;
    QLabel *m_whereLabel;
    MessageWidget *m_fullLogsBanner;
    QLineEdit *m_caseId;
    QLabel *m_caseHint;
    QCheckBox *m_consent;
};

} // namespace dc::gui
