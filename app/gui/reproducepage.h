// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"

#include <QDateTime>
#include <QTimer>

class QLabel;
class QProgressBar;
class QPushButton;

namespace dc::gui {

// Full-log mode only, between Choose and Collect: raises the product's logging
// (the previous level is recorded first), says what was changed, and lets the
// user reproduce the problem against a countdown to the time cap. "Done" goes
// on to the collection, after which the context restores the level. Back
// restores it at once; so does the time cap running out on this page.
class ReproducePage : public WizardPage
{
    Q_OBJECT

public:
    explicit ReproducePage(WizardContext *context, QWidget *parent = nullptr);
    QString title() const override { return tr("Reproduce"); }
    QString nextText() const override { return tr("Collect &now"); }
    bool canGoNext() const override { return m_state == State::Raised || m_state == State::Expired; }
    void enter() override;
    bool leaveForward() override;
    void leaveBackward() override;

private:
    enum class State { Idle, Raised, Failed, Expired };
    void raise();
    void setState(State state);
    void tick();

    QLabel *m_change;
    QLabel *m_countdown;
    QProgressBar *m_timeLeft;
    QLabel *m_capNote;
    QPushButton *m_done;
    QPushButton *m_retry;
    QTimer m_ticker;
    QDateTime m_started;
    QDateTime m_expires;
    bool m_owned = false;
    State m_state = State::Idle;
};

} // namespace dc::gui
