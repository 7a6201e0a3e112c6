// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/reproducepage.h"

#include "app/gui/wizardcontext.h"

#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace dc::gui {

using namespace dc::core;

namespace {

QString clock(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ReproducePage::ReproducePage(WizardContext *context, QWidget *parent)
    : WizardPage(context, parent)
{
    setObjectName(QStringLiteral("reproducePage"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Support needs the product's complete logs of the moment the problem happens. For "
                                "this, the product's logging was raised to full:"),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_change = new QLabel(this);
    m_change->setObjectName(QStringLiteral("fullLogsChangeLabel"));
    m_change->setWordWrap(true);
    m_change->setTextFormat(Qt::RichText);
    m_change->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_change->setMargin(6);
    layout->addWidget(m_change);

    auto *steps = new QGroupBox(tr("What to do now"), this);
    auto *stepsLayout = new QVBoxLayout(steps);
    auto *howTo = new QLabel(
        tr("<ol style=\"margin-left: 0px; -qt-list-indent: 1;\">"
           "<li>Make the problem happen again now, the way it usually happens.</li>"
           "<li>Then click <b>Done</b>. The collection starts at once, and the normal logging level is restored as "
           "soon as it has finished.</li></ol>"),
        steps);
    howTo->setObjectName(QStringLiteral("reproduceStepsLabel"));
    howTo->setWordWrap(true);
    howTo->setTextFormat(Qt::RichText);
    stepsLayout->addWidget(howTo);

    auto *timerRow = new QHBoxLayout;
    m_countdown = new QLabel(steps);
    m_countdown->setObjectName(QStringLiteral("countdownLabel"));
    QFont big = m_countdown->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_countdown->setFont(big);
    timerRow->addWidget(m_countdown);
    m_timeLeft = new QProgressBar(steps);
    m_timeLeft->setObjectName(QStringLiteral("timeCapProgressBar"));
    m_timeLeft->setAccessibleName(tr("Time left until the normal logging level is restored"));
    m_timeLeft->setTextVisible(false);
    timerRow->addWidget(m_timeLeft, 1);
    stepsLayout->addLayout(timerRow);

    auto *buttonRow = new QHBoxLayout;
    m_done = new QPushButton(tr("&Done — I reproduced the problem"), steps);
    m_done->setObjectName(QStringLiteral("doneButton"));
    m_done->setIcon(style()->standardIcon(QStyle::SP_DialogApplyButton));
    m_done->setMinimumHeight(m_done->sizeHint().height() * 3 / 2);
    QFont bold = m_done->font();
    bold.setBold(true);
    m_done->setFont(bold);
    m_retry = new QPushButton(tr("&Try again"), steps);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    buttonRow->addWidget(m_done);
    buttonRow->addWidget(m_retry);
    buttonRow->addStretch(1);
    stepsLayout->addLayout(buttonRow);
    layout->addWidget(steps);

    m_capNote = new QLabel(this);
    m_capNote->setObjectName(QStringLiteral("timeCapLabel"));
    m_capNote->setWordWrap(true);
    m_capNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_capNote);
    layout->addStretch(1);

    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &ReproducePage::tick);
    connect(m_done, &QPushButton::clicked, this, &WizardPage::advance);
    connect(m_retry, &QPushButton::clicked, this, &ReproducePage::raise);
    setState(State::Idle);
}

void ReproducePage::setState(State state)
{
    m_state = state;
    m_done->setEnabled(canGoNext());
    m_retry->setVisible(state == State::Failed);
    m_timeLeft->setVisible(state == State::Raised);
    if (state != State::Raised)
        m_ticker.stop();
    emit completeChanged();
}

void ReproducePage::enter()
{
    if (m_state != State::Raised && m_state != State::Expired)
        raise();
}

void ReproducePage::raise()
{
    m_countdown->clear();
    m_capNote->clear();
    auto raised = context()->raiseFullLogging();
    if (!raised) {
        m_change->setText(tr("<b>Logging was not changed.</b> %1").arg(raised.error().message.toHtmlEscaped()));
        emit message(MessageWidget::Type::Error,
                     tr("The product's logging could not be raised to full: %1").arg(raised.error().message));
        setState(State::Failed);
        return;
    }
    const FullLoggingRecord &record = raised->record;
    const QString product = record.product.toHtmlEscaped();
    // The core's target() is English ("KEY in FILE"); a config key is said here in the user's language.
    const QString target = record.method == QLatin1String("config")
                               ? tr("%1 in %2").arg(record.key, QDir::toNativeSeparators(record.file))
                               : record.target();
    m_owned = !raised->joined;
    QString text;
    if (raised->joined) {
        text = tr("Full logging was already on for <b>%1</b> (%2), turned on outside this wizard. It stays on after "
                  "this round, until it is turned off or its time cap is reached.")
                   .arg(product, target.toHtmlEscaped());
    } else if (record.method == QLatin1String("commands")) {
        text = tr("<b>%1</b>: its logging was raised with the product's own command. It is restored with: %2")
                   .arg(product, record.target().toHtmlEscaped());
    } else {
        text = tr("<b>%1</b>: %2 is now \"%3\"; it was \"%4\".")
                   .arg(product, target.toHtmlEscaped(), record.fullValue.toHtmlEscaped(),
                        record.existed ? record.previous.toHtmlEscaped() : tr("not set"));
    }
    if (!record.restartArgv.isEmpty() && !raised->joined)
        text += QStringLiteral("<br>") + tr("The product was restarted to pick up the new level, and is restarted "
                                            "again when the level is restored.");
    m_change->setText(text);
    m_started = QDateTime::currentDateTimeUtc();
    m_expires = record.expires;
    const qint64 total = std::max<qint64>(1, m_started.secsTo(m_expires));
    m_timeLeft->setRange(0, int(std::min<qint64>(total, 1 << 30)));
    m_capNote->setText(
        tr("The normal level also comes back if you go back, cancel or close this window. Full logging ends at the "
           "latest at %1 (the time cap); should this tool end unexpectedly, its next start restores the level.")
            .arg(QLocale().toString(m_expires.toLocalTime(), QLocale::ShortFormat)));
    setState(State::Raised);
    tick();
    m_ticker.start();
}

void ReproducePage::tick()
{
    const qint64 left = QDateTime::currentDateTimeUtc().secsTo(m_expires);
    m_countdown->setText(tr("Time left: %1").arg(clock(left)));
    m_timeLeft->setValue(int(std::clamp<qint64>(left, 0, m_timeLeft->maximum())));
    if (left > 0)
        return;
    // The cap is reached here, not only at the next start.
    if (m_owned)
        context()->restoreFullLogging();
    m_countdown->setText(tr("Time is up."));
    m_capNote->setText(tr("The time cap was reached and the normal logging level was restored. You can still "
                          "collect what was logged until now, or go back and start again."));
    setState(State::Expired);
}

bool ReproducePage::leaveForward()
{
    m_ticker.stop();
    // The next visit (after a cancelled collection) raises again.
    m_state = State::Idle;
    return true;
}

void ReproducePage::leaveBackward()
{
    context()->restoreFullLogging();
    m_change->clear();
    setState(State::Idle);
}

} // namespace dc::gui
