// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace dc::gui {

// Step 1: what the tool does, what it collects and why, where the data goes;
// normal collection or "Support asked me for full logs" (with what that
// collects more, or why it is not available); the case ID and the consent to
// go on. A banner reports a full-logging level restored at start.
class WelcomePage : public WizardPage
{
    Q_OBJECT

public:
    explicit WelcomePage(WizardContext *context, QWidget *parent = nullptr);
    QString title() const override { return tr("Welcome"); }
    bool canGoNext() const override;
    QString nextHint() const override;
    bool canGoBack() const override { return false; }
    void enter() override;
    bool leaveForward() override;

private:
    void refresh();
    QString fullLogsText() const;

    QLabel *m_categoriesLabel;
    QLabel *m_whereLabel;
    MessageWidget *m_recoveryBanner;
    QGroupBox *m_modeBox;
    QRadioButton *m_normalMode;
    QRadioButton *m_fullLogsMode;
    QLabel *m_fullLogsLock;
    MessageWidget *m_fullLogsBanner;
    QLineEdit *m_caseId;
    QLabel *m_caseHint;
    QCheckBox *m_consent;
};

} // namespace dc::gui
