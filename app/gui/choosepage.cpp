// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/choosepage.h"

#include "app/gui/wizardcontext.h"
#include "core/collectors/filecollector.h"
#include "core/profile/profiletexts.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <atomic>

namespace dc::gui {

using namespace dc::core;

namespace {

constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kEstimateRole = Qt::UserRole + 2;
constexpr int kEssentialRole = Qt::UserRole + 3;
constexpr int kPolicyRole = Qt::UserRole + 4; // skipped by the administrator's policy

constexpr int kMeasuredRole = Qt::UserRole + 5;

QString sizeText(qint64 bytes, bool measured)
{
    if (bytes > 0 || measured)
        return QLocale().formattedDataSize(bytes, bytes < 1024 * 1024 ? 0 : 1);
    return ChoosePage::tr("unknown");
}

} // namespace

ChoosePage::ChoosePage(WizardContext *context, QWidget *parent)
    : WizardPage(context, parent)
{
    setObjectName(QStringLiteral("choosePage"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Untick what you do not want to share. Items marked \"required\" are needed for any "
                                "support case and stay on. Select an item to see why support needs it."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_tree = new QTreeWidget(splitter);
    m_tree->setObjectName(QStringLiteral("itemsTreeWidget"));
    m_tree->setAccessibleName(tr("Items to collect"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Item"), tr("Estimated size")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setUniformRowHeights(true);
    m_details = new QLabel(splitter);
    m_details->setObjectName(QStringLiteral("purposeLabel"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_details->setMargin(6);
    m_details->setMinimumHeight(QFontMetrics(font()).lineSpacing() * 6);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);

    m_policyNote = new QLabel(this);
    m_policyNote->setObjectName(QStringLiteral("policyNoteLabel"));
    m_policyNote->setWordWrap(true);
    m_policyNote->hide();
    layout->addWidget(m_policyNote);

    auto *row = new QHBoxLayout;
    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("totalsLabel"));
    row->addWidget(m_totals, 1);
    auto *all = new QPushButton(tr("Select &all"), this);
    all->setObjectName(QStringLiteral("selectAllButton"));
    auto *essential = new QPushButton(tr("&Required only"), this);
    essential->setObjectName(QStringLiteral("requiredOnlyButton"));
    row->addWidget(all);
    row->addWidget(essential);
    layout->addLayout(row);

    connect(all, &QPushButton::clicked, this, [this] { setAllOptional(true); });
    connect(essential, &QPushButton::clicked, this, [this] { setAllOptional(false); });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) { showDetails(item); });
    connect(m_tree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *, int column) {
        if (column == 0 && !m_updating)
            updateTotals();
    });
    // Full-log mode has more items: list them again on the next visit.
    connect(context, &WizardContext::fullLogsChanged, this, [this] { m_populated = false; });
    connect(&m_measureWatcher, &QFutureWatcherBase::finished, this,
            [this] { showMeasured(m_measureWatcher.result()); });
}

ChoosePage::~ChoosePage() { m_measureWatcher.waitForFinished(); }

void ChoosePage::enter()
{
    if (!m_populated)
        populate();
    updateTotals();
}

void ChoosePage::populate()
{
    m_updating = true;
    m_tree->clear();
    const QList<ItemSpec> items = context()->applicableItems();
    for (Category category : kAllCategories) {
        QTreeWidgetItem *group = nullptr;
        for (const ItemSpec &spec : items) {
            if (spec.category != category)
                continue;
            const bool disabled = !context()->policySkipReason(spec.id).isEmpty();
            if (!group) {
                group = new QTreeWidgetItem(m_tree, {categoryTitle(category)});
                QFont bold = group->font(0);
                bold.setBold(true);
                group->setFont(0, bold);
                group->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
                group->setExpanded(true);
                if (context()->policy().isCategoryDisabled(category)) {
                    group->setText(0, tr("%1 (disabled by your administrator's policy)").arg(categoryTitle(category)));
                    group->setToolTip(0, context()->lockReason(PolicySetting::Categories));
                }
            }
            auto *item = new QTreeWidgetItem(group);
            const QString title = itemTitle(spec, context()->profile());
            const QString purpose = itemPurpose(spec, context()->profile());
            QString text = title;
            if (disabled)
                text = tr("%1 (disabled by your administrator's policy)").arg(title);
            else if (spec.essential)
                text = tr("%1 (required)").arg(title);
            else if (spec.fullLogsOnly)
                text = tr("%1 (full logs only)").arg(title);
            item->setText(0, text);
            item->setText(1, disabled ? QString() : sizeText(spec.estimateBytes, false));
            item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
            item->setData(0, kIdRole, spec.id);
            item->setData(0, kEstimateRole, spec.estimateBytes);
            item->setData(0, kEssentialRole, spec.essential);
            item->setData(0, kPolicyRole, disabled);
            item->setToolTip(0, purpose);
            item->setData(0, Qt::AccessibleDescriptionRole, purpose);
            if (disabled) {
                // Locked off: shown unticked and greyed, with the policy as the reason.
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
                item->setForeground(0, palette().brush(QPalette::Disabled, QPalette::Text));
                item->setCheckState(0, Qt::Unchecked);
                item->setToolTip(0, context()->lockReason(PolicySetting::Categories));
                item->setData(0, Qt::AccessibleDescriptionRole, context()->lockReason(PolicySetting::Categories));
            } else if (spec.essential) {
                // Locked on: visible as ticked, not user-checkable.
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
                item->setCheckState(0, Qt::Checked);
            } else {
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                item->setCheckState(0, context()->optedOut.contains(spec.id) ? Qt::Unchecked : Qt::Checked);
            }
        }
    }
    m_updating = false;
    m_populated = true;
    const QString reason = context()->lockReason(PolicySetting::Categories);
    m_policyNote->setText(tr("Items shown greyed out are disabled by your administrator's policy and are not "
                             "collected. %1")
                              .arg(reason));
    m_policyNote->setVisible(!reason.isEmpty());
    if (m_tree->topLevelItemCount() > 0 && m_tree->topLevelItem(0)->childCount() > 0)
        m_tree->setCurrentItem(m_tree->topLevelItem(0)->child(0));
    measure();
}

void ChoosePage::measure()
{
    if (m_measureWatcher.isRunning())
        m_measureWatcher.waitForFinished();
    m_measured = false;
    const core::Profile profile = context()->profile();
    const QList<ItemSpec> items = context()->applicableItems();
    m_measureWatcher.setFuture(QtConcurrent::run([profile, items] {
        // Sizes only, no content: what `diagcollect list --estimate` measures.
        const std::atomic_bool never{false};
        CollectContext collect(QString(), profile, never);
        QHash<QString, qint64> sizes;
        for (const ItemSpec &item : items)
            if (item.kind == ItemKind::Files)
                sizes.insert(item.id, FileCollector::estimateBytes(item, collect));
        return sizes;
    }));
}

void ChoosePage::showMeasured(const QHash<QString, qint64> &sizes)
{
    m_updating = true;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        const QString id = (*it)->data(0, kIdRole).toString();
        if (id.isEmpty() || !sizes.contains(id) || (*it)->data(0, kPolicyRole).toBool())
            continue;
        (*it)->setData(0, kEstimateRole, sizes.value(id));
        (*it)->setData(0, kMeasuredRole, true);
        (*it)->setText(1, sizeText(sizes.value(id), true));
        (*it)->setToolTip(1, tr("Measured on this computer"));
    }
    m_updating = false;
    m_measured = true;
    updateTotals();
}

void ChoosePage::setAllOptional(bool checked)
{
    m_updating = true;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            if (!group->child(i)->data(0, kEssentialRole).toBool() && !group->child(i)->data(0, kPolicyRole).toBool())
                group->child(i)->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
    }
    m_updating = false;
    updateTotals();
}

void ChoosePage::updateTotals()
{
    int selected = 0;
    int total = 0;
    qint64 bytes = 0;
    QSet<QString> optedOut;
    const QLocale locale;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        qint64 groupBytes = 0;
        int groupSelected = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem *item = group->child(i);
            ++total;
            if (item->data(0, kPolicyRole).toBool())
                continue; // not collected, and not the user's choice
            if (item->checkState(0) == Qt::Checked) {
                ++selected;
                ++groupSelected;
                groupBytes += item->data(0, kEstimateRole).toLongLong();
            } else {
                optedOut.insert(item->data(0, kIdRole).toString());
            }
        }
        bytes += groupBytes;
        m_updating = true;
        group->setText(1, sizeText(groupBytes, true));
        group->setToolTip(0, tr("%1 of %n item(s) selected", nullptr, group->childCount()).arg(groupSelected));
        m_updating = false;
    }
    context()->optedOut = optedOut;
    m_totals->setText(tr("%1 of %n item(s) selected, about %2 before compression", nullptr, total)
                          .arg(selected)
                          .arg(sizeText(bytes, true)));
    emit completeChanged();
}

void ChoosePage::showDetails(QTreeWidgetItem *item)
{
    if (!item || !item->parent()) {
        m_details->setText(item ? tr("<b>%1</b>").arg(item->text(0).toHtmlEscaped()) : QString());
        return;
    }
    const QString id = item->data(0, kIdRole).toString();
    for (const ItemSpec &spec : context()->applicableItems()) {
        if (spec.id != id)
            continue;
        QStringList source = spec.kind == ItemKind::Files     ? spec.files.paths
                             : spec.kind == ItemKind::Command ? QStringList{spec.command.argv.join(QLatin1Char(' '))}
                                                              : QStringList{spec.probe.name};
        QString html =
            tr("<b>%1</b><br>Why support needs it: %2<br><span style=\"color: gray\">Source: %3</span>")
                .arg(item->text(0).toHtmlEscaped(), itemPurpose(spec, context()->profile()).toHtmlEscaped(),
                     expandVariables(source.join(QStringLiteral(", ")), context()->profile()).toHtmlEscaped());
        if (!context()->policySkipReason(id).isEmpty())
            html += QStringLiteral("<br>") + tr("Not collected: disabled by your administrator's policy. %1")
                                                 .arg(context()->lockReason(PolicySetting::Categories).toHtmlEscaped());
        m_details->setText(html);
        return;
    }
}

bool ChoosePage::canGoNext() const { return m_populated; }

bool ChoosePage::leaveForward()
{
    updateTotals();
    return true;
}

} // namespace dc::gui
