// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/guioptions.h"
#include "app/gui/messagewidget.h"
#include "app/gui/wizardcontext.h"

#include <QList>
#include <QMainWindow>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace dc::gui {

class WizardPage;

// The wizard window: a step header, an inline message bar, the pages and
// Back/Next. The Reproduce step is shown only in full-log mode. Menus: File
// (previous collections, quit) and Help (what is collected, about). Remembers
// its geometry and the last output folder. Closing it restores full logging
// if the wizard raised it, and asks first when a reviewed collection was not
// saved (Ctrl+Q, the window's close button, Close on the last page).
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum Page { WelcomeStep, ChooseStep, ReproduceStep, CollectStep, FindingsStep, ReviewStep, FinishStep };

    // startup: what prepareGuiStart() found (the policy, the full-logging recovery).
    explicit MainWindow(const GuiOptions &options, const GuiStartup &startup = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    WizardContext *context() const { return m_context; }
    int currentStep() const;
    WizardPage *page(int step) const { return m_pages.value(step); }
    MessageWidget *messageWidget() const { return m_message; }

    void goNext();
    void goBack();
    void showWhatIsCollected();
    void showAbout();
    void showHistory();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setStep(int step);
    // Whether a step is part of this run (Reproduce only in full-log mode).
    bool isStepShown(int step) const;
    void updateButtons();
    void updateHeader();
    // A collection was reviewed and no archive was saved from it yet.
    bool hasUnsavedWork() const;
    // Asks (window-modal, not blocking) whether to throw that work away; quits if so.
    void confirmDiscard();

    WizardContext *m_context;
    QLabel *m_steps;
    QLabel *m_title;
    MessageWidget *m_message;
    QStackedWidget *m_stack;
    QList<WizardPage *> m_pages;
    QPushButton *m_back;
    QPushButton *m_close;
    QLabel *m_nextHint;
    QPushButton *m_next;
    bool m_reviewReady = false;
    bool m_discardConfirmed = false;
};

} // namespace dc::gui
