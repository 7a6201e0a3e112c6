// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/collectpage.h"

#include "app/gui/wizardcontext.h"
#include "core/collect/reasontexts.h"
#include "core/profile/profiletexts.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dc::gui {

using namespace dc::core;

namespace {

QString duration(qint64 ms)
{
    const qint64 seconds = ms / 1000;
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString statusText(Status status)
{
    switch (status) {
    case Status::Collected:
        return CollectPage::tr("Collected");
    case Status::Truncated:
        return CollectPage::tr("Collected (shortened)");
    case Status::Skipped:
        return CollectPage::tr("Skipped");
    case Status::Failed:
        return CollectPage::tr("Failed");
    }
    return {};
}

} // namespace

CollectPage::CollectPage(WizardContext *context, QWidget *parent)
    : WizardPage(context, parent)
{
    setObjectName(QStringLiteral("collectPage"));
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_current = new QLabel(this);
    m_current->setObjectName(QStringLiteral("currentItemLabel"));
    m_current->setWordWrap(true);
    top->addWidget(m_current, 1);
    m_elapsed = new QLabel(this);
    m_elapsed->setObjectName(QStringLiteral("elapsedLabel"));
    top->addWidget(m_elapsed);
    layout->addLayout(top);

    m_overall = new QProgressBar(this);
    m_overall->setObjectName(QStringLiteral("collectProgressBar"));
    m_overall->setAccessibleName(tr("Collection progress"));
    m_overall->setFormat(tr("%v of %m items"));
    layout->addWidget(m_overall);

    auto *scanRow = new QHBoxLayout;
    m_scanLabel = new QLabel(tr("Looking for personal data:"), this);
    m_scan = new QProgressBar(this);
    m_scan->setObjectName(QStringLiteral("scanProgressBar"));
    m_scan->setAccessibleName(tr("Progress of the search for personal data"));
    m_scan->setRange(0, 1000);
    m_scan->setValue(0);
    m_scan->setTextVisible(true);
    m_scanLabel->setBuddy(m_scan);
    scanRow->addWidget(m_scanLabel);
    scanRow->addWidget(m_scan, 1);
    layout->addLayout(scanRow);

    m_items = new QTreeWidget(this);
    m_items->setObjectName(QStringLiteral("collectItemsTreeWidget"));
    m_items->setAccessibleName(tr("Items and their status"));
    m_items->setColumnCount(3);
    m_items->setHeaderLabels({tr("Item"), tr("Status"), tr("Details")});
    m_items->setRootIsDecorated(false);
    m_items->setUniformRowHeights(true);
    m_items->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_items->header()->resizeSection(1, m_items->fontMetrics().averageCharWidth() * 30);
    m_items->header()->setStretchLastSection(true);
    layout->addWidget(m_items, 1);

    m_fullLogs = new MessageWidget(this);
    m_fullLogs->setObjectName(QStringLiteral("fullLogsRestoredMessage"));
    m_fullLogs->setClosable(false);
    layout->addWidget(m_fullLogs);

    auto *bottom = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    bottom->addWidget(m_summary, 1);
    m_cancel = new QPushButton(tr("&Cancel collection"), this);
    m_cancel->setObjectName(QStringLiteral("cancelCollectButton"));
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    bottom->addWidget(m_cancel);
    layout->addLayout(bottom);

    m_ticker.setInterval(250);
    connect(&m_ticker, &QTimer::timeout, this, &CollectPage::tick);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_current->setText(tr("Cancelling..."));
        this->context()->cancel();
    });
    // Item events arrive in bursts (dozens per second): they are applied on the
    // next tick, so the window repaints a few times per second, not per event.
    connect(context, &WizardContext::itemStarted, this, [this](const QString &id) {
        m_startedAt.insert(id, m_clock.elapsed());
        m_pendingStarted.append(id);
    });
    connect(context, &WizardContext::itemFinished, this,
            [this](const ItemResult &result) { m_pendingFinished.append(result); });
    connect(context, &WizardContext::collectionProgress, this, [this](int done, int total) {
        m_done = done;
        m_total = total;
    });
    connect(context, &WizardContext::collectionFinished, this, &CollectPage::onCollectionFinished);
    connect(context, &WizardContext::fullLoggingRestored, this, [this](bool ok, const QString &text) {
        m_fullLogs->showMessage(ok ? MessageWidget::Type::Positive : MessageWidget::Type::Error, text);
    });
    connect(context, &WizardContext::scanProgress, this,
            [this](qint64 done, qint64 total) { m_scan->setValue(total > 0 ? int(done * 1000 / total) : 1000); });
    connect(context, &WizardContext::reviewReady, this, [this] {
        if (m_state != State::Scanning)
            return;
        m_scan->setValue(1000);
        m_ticker.stop();
        setState(State::Ready);
        m_current->setText(tr("Done. Review what was collected before anything is packaged."));
    });
    connect(context, &WizardContext::discarded, this, [this] {
        if (m_state == State::Idle || m_state == State::Cancelled)
            return;
        m_ticker.stop();
        // Items that were running when the run was cancelled stop spinning.
        m_pendingStarted.clear();
        m_pendingFinished.clear();
        for (auto it = m_startedAt.cbegin(); it != m_startedAt.cend(); ++it) {
            if (QTreeWidgetItem *row = m_rows.value(it.key())) {
                row->setText(1, tr("Cancelled"));
                row->setIcon(0, icon(QStyle::SP_DialogCancelButton));
            }
        }
        m_startedAt.clear();
        setState(State::Cancelled);
        m_current->setText(tr("Cancelled."));
        emit message(MessageWidget::Type::Information,
                     tr("The collection was cancelled and everything it had gathered was deleted. Go back to "
                        "start again."));
    });
    setState(State::Idle);
}

// Standard icons come from the icon theme, a file-system search on Linux:
// look each up once, not once per row.
QIcon CollectPage::icon(QStyle::StandardPixmap pixmap)
{
    auto it = m_icons.find(pixmap);
    if (it == m_icons.end())
        it = m_icons.insert(pixmap, style()->standardIcon(pixmap));
    return *it;
}

void CollectPage::setState(State state)
{
    m_state = state;
    m_cancel->setEnabled(state == State::Collecting || state == State::Scanning);
    m_scan->setEnabled(state == State::Scanning || state == State::Ready);
    emit completeChanged();
}

void CollectPage::enter()
{
    if (m_state == State::Idle || m_state == State::Cancelled)
        start();
}

void CollectPage::start()
{
    m_items->clear();
    m_rows.clear();
    m_startedAt.clear();
    m_pendingStarted.clear();
    m_pendingFinished.clear();
    m_done = m_total = 0;
    m_failed = m_skipped = 0;
    m_summary->clear();
    m_fullLogs->clear();
    if (context()->ownsFullLogging())
        m_fullLogs->showMessage(MessageWidget::Type::Information,
                                tr("Full logging is on while collecting; the normal level is restored as soon as "
                                   "the collection ends."));
    m_scan->setValue(0);
    const QList<ItemSpec> items = context()->applicableItems();
    for (const ItemSpec &spec : items) {
        if (context()->optedOut.contains(spec.id))
            continue;
        auto *row = new QTreeWidgetItem(m_items, {itemTitle(spec, context()->profile()), tr("Waiting")});
        row->setIcon(0, icon(QStyle::SP_FileIcon));
        m_rows.insert(spec.id, row);
    }
    m_items->resizeColumnToContents(0);
    m_overall->setRange(0, std::max<int>(1, int(m_rows.size())));
    m_overall->setValue(0);
    auto started = context()->startCollection();
    if (!started) {
        context()->restoreFullLogging();
        setState(State::Cancelled);
        emit message(MessageWidget::Type::Error, started.error().message);
        return;
    }
    m_clock.start();
    m_ticker.start();
    setState(State::Collecting);
    m_current->setText(tr("Starting..."));
    tick();
}

void CollectPage::onItemStarted(const QString &id)
{
    QTreeWidgetItem *row = m_rows.value(id);
    if (!row || !m_startedAt.contains(id))
        return;
    row->setText(1, tr("Running"));
    row->setIcon(0, icon(QStyle::SP_BrowserReload));
    m_current->setText(tr("Collecting: %1").arg(row->text(0)));
}

void CollectPage::onItemFinished(const ItemResult &result)
{
    QTreeWidgetItem *row = m_rows.value(result.id);
    if (!row)
        return;
    m_startedAt.remove(result.id);
    QString status = statusText(result.status);
    if (result.status == Status::Collected || result.status == Status::Truncated)
        status += QStringLiteral(" (%1)").arg(QLocale().formattedDataSize(result.bytes(), 1));
    row->setText(1, status);
    // The manifest keeps the collector's English; the row says it in the UI's language.
    const QString details =
        itemReasonText(result.reason, int(result.skippedFiles.size()),
                       result.skippedFiles.isEmpty() ? QString() : result.skippedFiles.first().reason);
    row->setText(2, details);
    row->setToolTip(2, details);
    QStyle::StandardPixmap pixmap = QStyle::SP_DialogApplyButton;
    if (result.status == Status::Failed) {
        pixmap = QStyle::SP_MessageBoxCritical;
        ++m_failed;
    } else if (result.status == Status::Skipped) {
        pixmap = QStyle::SP_MessageBoxWarning;
        ++m_skipped;
    }
    row->setIcon(0, icon(pixmap));
}

void CollectPage::onCollectionFinished(bool cancelled)
{
    if (cancelled || m_state != State::Collecting)
        return;
    tick(); // apply the last item events
    setState(State::Scanning);
    const int total = int(m_rows.size());
    m_summary->setText(tr("%n item(s) collected", nullptr, total - m_failed - m_skipped) + QStringLiteral(", ") +
                       tr("%n skipped", nullptr, m_skipped) + QStringLiteral(", ") +
                       tr("%n failed", nullptr, m_failed) + QStringLiteral("."));
    m_current->setText(tr("Looking for personal data and secrets in what was collected..."));
}

void CollectPage::tick()
{
    for (const QString &id : std::as_const(m_pendingStarted))
        onItemStarted(id);
    m_pendingStarted.clear();
    for (const ItemResult &result : std::as_const(m_pendingFinished))
        onItemFinished(result);
    m_pendingFinished.clear();
    if (m_total > 0) {
        m_overall->setRange(0, m_total);
        m_overall->setValue(m_done);
    }
    const qint64 now = m_clock.elapsed();
    m_elapsed->setText(tr("Elapsed %1").arg(duration(now)));
    for (auto it = m_startedAt.cbegin(); it != m_startedAt.cend(); ++it)
        if (QTreeWidgetItem *row = m_rows.value(it.key()))
            row->setText(1, tr("Running, %1 s").arg((now - it.value()) / 1000));
}

} // namespace dc::gui
