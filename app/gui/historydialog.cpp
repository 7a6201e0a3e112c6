// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/historydialog.h"

#include "app/gui/receipts.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace dc::gui {

HistoryDialog::HistoryDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("historyDialog"));
    setWindowTitle(tr("Previous collections"));
    auto *layout = new QVBoxLayout(this);
    const QList<QJsonObject> receipts = listReceipts();
    auto *intro = new QLabel(
        receipts.isEmpty()
            ? tr("No collection has been saved on this computer yet.")
            : tr("The receipts of your previous collections, kept on this computer in %1.").arg(receiptsDir()),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    auto *tree = new QTreeWidget(splitter);
    tree->setObjectName(QStringLiteral("receiptsTreeWidget"));
    tree->setAccessibleName(tr("Previous collections"));
    tree->setRootIsDecorated(false);
    tree->setHeaderLabels({tr("When"), tr("Case"), tr("Archive"), tr("Sent or saved"), tr("Redacted")});
    auto *details = new QPlainTextEdit(splitter);
    details->setObjectName(QStringLiteral("receiptPlainTextEdit"));
    details->setReadOnly(true);
    details->setAccessibleName(tr("Receipt details"));
    const QLocale locale;
    for (const QJsonObject &receipt : receipts) {
        const QDateTime when =
            QDateTime::fromString(receipt.value(QStringLiteral("when")).toString(), Qt::ISODateWithMs).toLocalTime();
        QStringList destinations;
        for (const QJsonValue &value : receipt.value(QStringLiteral("destinations")).toArray()) {
            const QJsonObject destination = value.toObject();
            destinations << (destination.value(QStringLiteral("kind")).toString() == QLatin1String("uploaded")
                                 ? tr("sent to %1").arg(destination.value(QStringLiteral("url")).toString())
                                 : tr("saved in %1").arg(destination.value(QStringLiteral("folder")).toString()));
        }
        const QJsonObject archive = receipt.value(QStringLiteral("archive")).toObject();
        auto *row = new QTreeWidgetItem(
            tree,
            {locale.toString(when, QLocale::ShortFormat), receipt.value(QStringLiteral("case_id")).toString(),
             archive.value(QStringLiteral("name")).toString(), destinations.join(QStringLiteral("; ")),
             locale.toString(
                 receipt.value(QStringLiteral("redaction")).toObject().value(QStringLiteral("redacted")).toInteger())});
        QJsonObject shown = receipt;
        shown.remove(QStringLiteral("_path"));
        row->setData(0, Qt::UserRole, QString::fromUtf8(QJsonDocument(shown).toJson(QJsonDocument::Indented)));
        row->setData(1, Qt::UserRole, archive.value(QStringLiteral("path")).toString());
    }
    for (int column = 0; column < 4; ++column)
        tree->resizeColumnToContents(column);
    connect(tree, &QTreeWidget::currentItemChanged, details, [details](QTreeWidgetItem *item) {
        details->setPlainText(item ? item->data(0, Qt::UserRole).toString() : QString());
    });
    if (tree->topLevelItemCount() > 0)
        tree->setCurrentItem(tree->topLevelItem(0));
    layout->addWidget(splitter, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *open = buttons->addButton(tr("Show &archive folder"), QDialogButtonBox::ActionRole);
    open->setObjectName(QStringLiteral("openArchiveFolderButton"));
    connect(open, &QPushButton::clicked, this, [tree] {
        if (QTreeWidgetItem *item = tree->currentItem())
            QDesktopServices::openUrl(
                QUrl::fromLocalFile(QFileInfo(item->data(1, Qt::UserRole).toString()).absolutePath()));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 160, fontMetrics().height() * 36);
}

} // namespace dc::gui
