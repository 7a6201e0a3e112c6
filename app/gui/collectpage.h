// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"
#include "core/collect/itemresult.h"

#include <QElapsedTimer>
#include <QHash>
#include <QIcon>
#include <QStyle>
#include <QTimer>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace dc::gui {

// Step 3: runs the collection (the runner works on its own pool; this page
// only listens), then the scan for personal data. Overall and per-item
// progress, the current item, elapsed time; Cancel stops at once and removes
// everything; skipped and failed items are listed with their reasons. In
// full-log mode a bar says that full logging is on and then how it was
// restored when the collection ended.
class CollectPage : public WizardPage
{
    Q_OBJECT

public:
    explicit CollectPage(WizardContext *context, QWidget *parent = nullptr);
    QString title() const override { return tr("Collect"); }
    QString nextText() const override { return tr("&Review"); }
    bool canGoNext() const override { return m_state == State::Ready; }
    bool canGoBack() const override { return m_state == State::Cancelled || m_state == State::Idle; }
    void enter() override;

private:
    enum class State { Idle, Collecting, Scanning, Ready, Cancelled };
    void start();
    void setState(State state);
    void onItemStarted(const QString &id);
    void onItemFinished(const core::ItemResult &result);
    void onCollectionFinished(bool cancelled);
    void tick();
    QIcon icon(QStyle::StandardPixmap pixmap);

    QLabel *m_current;
    QLabel *m_elapsed;
    QProgressBar *m_overall;
    QLabel *m_scanLabel;
    QProgressBar *m_scan;
    QTreeWidget *m_items;
    QLabel *m_summary;
    MessageWidget *m_fullLogs;
    QPushButton *m_cancel;
    QTimer m_ticker;
    QElapsedTimer m_clock;
    QHash<QString, QTreeWidgetItem *> m_rows;
    QHash<QString, qint64> m_startedAt;
    QHash<int, QIcon> m_icons;
    QStringList m_pendingStarted;
    QList<core::ItemResult> m_pendingFinished;
    int m_done = 0;
    int m_total = 0;
    State m_state = State::Idle;
    int m_failed = 0;
    int m_skipped = 0;
};

} // namespace dc::gui
