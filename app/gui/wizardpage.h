// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/messagewidget.h"

#include <QWidget>

namespace dc::gui {

class WizardContext;

// One step of the wizard. The main window owns the Back/Next buttons and asks
// the current page what they may do.
class WizardPage : public QWidget
{
    Q_OBJECT

public:
    WizardPage(WizardContext *context, QWidget *parent = nullptr)
        : QWidget(parent)
        , m_context(context)
    {
    }

    virtual QString title() const = 0;
    // The Next button's text on this page.
    virtual QString nextText() const { return tr("&Next"); }
    virtual bool canGoNext() const { return true; }
    // What to do so that Next is enabled, shown beside it while it is not.
    virtual QString nextHint() const { return {}; }
    virtual bool canGoBack() const { return true; }
    // Called when the page becomes current.
    virtual void enter() {}
    // Called when Next is pressed; return false to stay (e.g. work was started).
    virtual bool leaveForward() { return true; }
    // Called when Back is pressed (canGoBack() was true), before the previous page shows.
    virtual void leaveBackward() {}

signals:
    void completeChanged();
    // Asks the window to show a message inline.
    void message(dc::gui::MessageWidget::Type type, const QString &text);
    // Asks the window to go to the next page.
    void advance();

protected:
    WizardContext *context() const { return m_context; }

private:
    WizardContext *m_context;
};

} // namespace dc::gui
