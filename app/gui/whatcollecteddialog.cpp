// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/whatcollecteddialog.h"

#include "core/profile/profiletexts.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dc::gui {

using namespace dc::core;

WhatCollectedDialog::WhatCollectedDialog(const Profile &profile, bool fullLogs, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("whatCollectedDialog"));
    setWindowTitle(tr("What is collected?"));
    auto *layout = new QVBoxLayout(this);
    const QList<ItemSpec> items = profile.itemsFor(currentPlatformBit(), fullLogs);
    auto *intro = new QLabel(tr("Profile \"%1\": %n item(s) on this computer. %2", nullptr, int(items.size()))
                                 .arg(profile.name, profileDescription(profile)),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *tree = new QTreeWidget(this);
    tree->setObjectName(QStringLiteral("whatCollectedTreeWidget"));
    tree->setAccessibleName(tr("Items the profile collects"));
    tree->setHeaderLabels({tr("Item"), tr("Why support needs it"), tr("Source")});

    for (Category category : kAllCategories) {
        QTreeWidgetItem *group = nullptr;
        for (const ItemSpec &item : items) {
            if (item.category != category)
                continue;
            if (!group) {
                group = new QTreeWidgetItem(tree, {categoryTitle(category)});
                QFont bold = group->font(0);
                bold.setBold(true);
                group->setFont(0, bold);
                group->setFirstColumnSpanned(true);
                group->setExpanded(true);
            }
            const QString source =
                expandVariables(item.kind == ItemKind::Files     ? item.files.paths.join(QStringLiteral(", "))
                                : item.kind == ItemKind::Command ? item.command.argv.join(QLatin1Char(' '))
                                                                 : QStringLiteral("probe:") + item.probe.name,
                                profile);
            QString title = itemTitle(item, profile);
            const QString purpose = itemPurpose(item, profile);
            if (item.essential)
                title = tr("%1 (required)").arg(title);
            auto *row = new QTreeWidgetItem(group, {title, purpose, source});
            row->setToolTip(1, purpose);
            row->setToolTip(2, source);
        }
    }
    // Every text whole (scroll sideways if needed): nothing elided.
    tree->setTextElideMode(Qt::ElideNone);
    tree->header()->setStretchLastSection(false);
    tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(tree, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 165, fontMetrics().height() * 38);
}

} // namespace dc::gui
