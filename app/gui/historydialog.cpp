// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/historydialog.h"

#include "app/gui/receipts.h"
#include "core/profile/profile.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace dc::gui {

namespace {

QString row(const QString &label, const QString &value)
{
    return QStringLiteral("<tr><td style=\"padding-right: 12px; white-space: nowrap;\"><b>%1</b></td><td>%2</td></tr>")
        .arg(label.toHtmlEscaped(), value);
}

QString localTime(const QJsonValue &iso)
{
    const QDateTime when = QDateTime::fromString(iso.toString(), Qt::ISODateWithMs);
    return when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::LongFormat).toHtmlEscaped()
                          : iso.toString().toHtmlEscaped();
}

} // namespace

// A receipt as a person reads it: what was collected, what redaction did, where the
// archive went, in the UI's language. The file itself (JSON, for audits) stays as written.
QString HistoryDialog::receiptHtml(const QJsonObject &receipt)
{
    const QLocale locale;
    QString html = QStringLiteral("<table>");
    html += row(tr("When"), localTime(receipt.value(QStringLiteral("when"))));
    const QString caseId = receipt.value(QStringLiteral("case_id")).toString();
    html += row(tr("Case"), caseId.isEmpty() ? tr("none given") : caseId.toHtmlEscaped());
    html += row(tr("Profile"), receipt.value(QStringLiteral("profile")).toString().toHtmlEscaped());
    html +=
        row(tr("Started from"), receipt.value(QStringLiteral("headless")).toBool() ? tr("the command line (headless)")
                                                                                   : tr("the desktop wizard"));
    const qint64 items = receipt.value(QStringLiteral("items")).toInteger();
    const QString collected = receipt.value(QStringLiteral("full_logs")).toBool()
                                  ? tr("%L1 items, in full-log mode").arg(items)
                                  : tr("%L1 items").arg(items);
    html += row(tr("Collected"), collected.toHtmlEscaped());
    const QJsonObject categories = receipt.value(QStringLiteral("categories")).toObject();
    QStringList perCategory;
    for (core::Category category : core::kAllCategories) {
        const QJsonObject entry = categories.value(core::categoryKey(category)).toObject();
        if (entry.isEmpty())
            continue;
        perCategory << tr("%1: %L2 items, %3")
                           .arg(core::categoryTitle(category))
                           .arg(entry.value(QStringLiteral("items")).toInteger())
                           .arg(locale.formattedDataSize(entry.value(QStringLiteral("bytes")).toInteger(), 1))
                           .toHtmlEscaped();
    }
    if (!perCategory.isEmpty())
        html += row(tr("By category"), perCategory.join(QStringLiteral("<br>")));
    QStringList optedOut;
    for (const QJsonValue &id : receipt.value(QStringLiteral("opted_out")).toArray())
        optedOut << id.toString().toHtmlEscaped();
    html += row(tr("Left out by you"), optedOut.isEmpty() ? tr("nothing") : optedOut.join(QStringLiteral(", ")));
    const QJsonObject redaction = receipt.value(QStringLiteral("redaction")).toObject();
    QString redacted;
    if (!redaction.value(QStringLiteral("enabled")).toBool(true)) {
        redacted = tr("off: personal data was left as collected");
    } else {
        redacted = tr("%L1 values replaced by pseudonyms, %L2 kept by your choice, %L3 files left out, %L4 words "
                      "of your own added")
                       .arg(redaction.value(QStringLiteral("redacted")).toInteger())
                       .arg(redaction.value(QStringLiteral("kept_by_choice")).toInteger())
                       .arg(redaction.value(QStringLiteral("excluded_files")).toInteger())
                       .arg(redaction.value(QStringLiteral("terms_added")).toInteger());
    }
    html += row(tr("Redaction"), redacted.toHtmlEscaped());
    const QJsonObject archive = receipt.value(QStringLiteral("archive")).toObject();
    QString archiveText = archive.value(QStringLiteral("name")).toString().toHtmlEscaped();
    archiveText +=
        QStringLiteral(" (%1)").arg(locale.formattedDataSize(archive.value(QStringLiteral("bytes")).toInteger(), 1));
    if (archive.value(QStringLiteral("sealed")).toBool())
        archiveText += QStringLiteral(", ") + tr("sealed: only support can open it").toHtmlEscaped();
    html += row(tr("Archive"), archiveText);
    html += row(tr("Folder"),
                QDir::toNativeSeparators(QFileInfo(archive.value(QStringLiteral("path")).toString()).absolutePath())
                    .toHtmlEscaped());
    html +=
        row(tr("SHA-256"),
            QStringLiteral("<code>%1</code>").arg(archive.value(QStringLiteral("sha256")).toString().toHtmlEscaped()));
    const QString map = receipt.value(QStringLiteral("pseudonym_map")).toString();
    html += row(tr("Pseudonym map"), map.isEmpty() ? tr("not saved") : QDir::toNativeSeparators(map).toHtmlEscaped());
    QStringList destinations;
    for (const QJsonValue &value : receipt.value(QStringLiteral("destinations")).toArray()) {
        const QJsonObject destination = value.toObject();
        const QString what =
            destination.value(QStringLiteral("kind")).toString() == QLatin1String("uploaded")
                ? tr("sent to %1").arg(destination.value(QStringLiteral("url")).toString())
                : tr("saved in %1")
                      .arg(QDir::toNativeSeparators(destination.value(QStringLiteral("folder")).toString()));
        destinations << QStringLiteral("%1 (%2)").arg(what.toHtmlEscaped(),
                                                      localTime(destination.value(QStringLiteral("when"))));
    }
    if (!destinations.isEmpty())
        html += row(tr("Sent or saved"), destinations.join(QStringLiteral("<br>")));
    const QString file = receipt.value(QStringLiteral("_path")).toString();
    if (!file.isEmpty())
        html += row(tr("Receipt file"), QDir::toNativeSeparators(file).toHtmlEscaped());
    return html + QStringLiteral("</table>");
}

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
    auto *details = new QTextBrowser(splitter);
    details->setObjectName(QStringLiteral("receiptTextBrowser"));
    details->setOpenLinks(false);
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
        row->setData(0, Qt::UserRole, receiptHtml(receipt));
        row->setData(1, Qt::UserRole, archive.value(QStringLiteral("path")).toString());
    }
    for (int column = 0; column < 4; ++column)
        tree->resizeColumnToContents(column);
    connect(tree, &QTreeWidget::currentItemChanged, details, [details](QTreeWidgetItem *item) {
        details->setHtml(item ? item->data(0, Qt::UserRole).toString() : QString());
    });
    if (tree->topLevelItemCount() > 0)
        tree->setCurrentItem(tree->topLevelItem(0));
    // The receipt is what is read: it gets most of the height.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({fontMetrics().height() * 8, fontMetrics().height() * 24});
    layout->addWidget(splitter, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *open = buttons->addButton(tr("Show &archive folder"), QDialogButtonBox::ActionRole);
    open->setObjectName(QStringLiteral("openArchiveFolderButton"));
    // Without a file manager (a bare desktop, a remote session) say where the folder is.
    auto *openNote = new QLabel(this);
    openNote->setObjectName(QStringLiteral("openFolderNoteLabel"));
    openNote->setWordWrap(true);
    openNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    openNote->hide();
    connect(open, &QPushButton::clicked, this, [tree, openNote] {
        QTreeWidgetItem *item = tree->currentItem();
        if (!item)
            return;
        const QString folder = QFileInfo(item->data(1, Qt::UserRole).toString()).absolutePath();
        const bool opened = QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
        openNote->setText(
            opened
                ? QString()
                : tr("No file manager could be opened. The archive is in %1.").arg(QDir::toNativeSeparators(folder)));
        openNote->setVisible(!opened);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(openNote);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 160, fontMetrics().height() * 36);
}

} // namespace dc::gui
