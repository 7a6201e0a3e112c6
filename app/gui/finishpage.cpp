// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/finishpage.h"

#include "app/gui/wizardcontext.h"
#include "core/util/paths.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

namespace dc::gui {

using core::PolicySetting;

FinishPage::FinishPage(WizardContext *context, QWidget *parent)
    : WizardPage(context, parent)
{
    setObjectName(QStringLiteral("finishPage"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("The reviewed files are redacted, packaged and checked once more: no value you chose "
                                "to hide may be in the archive. Nothing leaves this computer unless you send it."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *saveBox = new QGroupBox(tr("Save the archive"), this);
    auto *saveLayout = new QVBoxLayout(saveBox);
    auto *folderRow = new QHBoxLayout;
    auto *folderLabel = new QLabel(tr("F&older:"), saveBox);
    m_folder = new QLineEdit(saveBox);
    m_folder->setObjectName(QStringLiteral("outputFolderLineEdit"));
    m_folder->setAccessibleName(tr("Folder for the archive"));
    folderLabel->setBuddy(m_folder);
    m_browse = new QPushButton(tr("&Browse..."), saveBox);
    m_browse->setObjectName(QStringLiteral("browseButton"));
    folderRow->addWidget(folderLabel);
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);
    saveLayout->addLayout(folderRow);
    m_seal = new QCheckBox(tr("S&eal the archive: encrypted so that only support can open it"), saveBox);
    m_seal->setObjectName(QStringLiteral("sealCheckBox"));
    saveLayout->addWidget(m_seal);
    m_sealNote = new QLabel(saveBox);
    m_sealNote->setObjectName(QStringLiteral("sealNoteLabel"));
    m_sealNote->setWordWrap(true);
    m_sealNote->setForegroundRole(QPalette::PlaceholderText);
    m_sealNote->setIndent(m_seal->sizeHint().height());
    saveLayout->addWidget(m_sealNote);
    auto *saveRow = new QHBoxLayout;
    m_save = new QPushButton(tr("Create &archive"), saveBox);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    m_save->setDefault(true);
    m_progress = new QProgressBar(saveBox);
    m_progress->setObjectName(QStringLiteral("packageProgressBar"));
    m_progress->setAccessibleName(tr("Packaging progress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("%p%"));
    saveRow->addWidget(m_save);
    saveRow->addWidget(m_progress, 1);
    saveLayout->addLayout(saveRow);
    layout->addWidget(saveBox);

    m_result = new QGroupBox(tr("Your archive"), this);
    m_result->setObjectName(QStringLiteral("resultGroupBox"));
    auto *form = new QFormLayout(m_result);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_path = new QLineEdit(m_result);
    m_path->setObjectName(QStringLiteral("archivePathLineEdit"));
    m_path->setReadOnly(true);
    m_path->setAccessibleName(tr("Archive path"));
    form->addRow(tr("Archive:"), m_path);
    m_sha256 = new QLineEdit(m_result);
    m_sha256->setObjectName(QStringLiteral("sha256LineEdit"));
    m_sha256->setReadOnly(true);
    m_sha256->setAccessibleName(tr("SHA-256 of the archive"));
    m_sha256->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    form->addRow(tr("SHA-256:"), m_sha256);
    auto *buttons = new QHBoxLayout;
    auto *showButton = new QPushButton(tr("Show in fol&der"), m_result);
    showButton->setObjectName(QStringLiteral("showInFolderButton"));
    showButton->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    auto *copyButton = new QPushButton(tr("Copy &path"), m_result);
    copyButton->setObjectName(QStringLiteral("copyPathButton"));
    buttons->addWidget(showButton);
    buttons->addWidget(copyButton);
    buttons->addStretch(1);
    form->addRow(QString(), buttons);
    m_mapPath = new QLineEdit(m_result);
    m_mapPath->setObjectName(QStringLiteral("mapPathLineEdit"));
    m_mapPath->setReadOnly(true);
    m_mapPath->setAccessibleName(tr("Pseudonym map"));
    form->addRow(tr("Pseudonym map:"), m_mapPath);
    auto *mapNote =
        new QLabel(tr("Only for you: it turns pseudonyms back into the real values. It is never sent."), m_result);
    mapNote->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), mapNote);
    m_receiptPath = new QLineEdit(m_result);
    m_receiptPath->setObjectName(QStringLiteral("receiptPathLineEdit"));
    m_receiptPath->setReadOnly(true);
    m_receiptPath->setAccessibleName(tr("Consent receipt"));
    form->addRow(tr("Receipt:"), m_receiptPath);
    m_result->hide();
    layout->addWidget(m_result);

    m_upload = new QGroupBox(tr("Send to support"), this);
    m_upload->setObjectName(QStringLiteral("uploadGroupBox"));
    auto *uploadLayout = new QVBoxLayout(m_upload);
    auto *uploadRow = new QHBoxLayout;
    m_send = new QPushButton(tr("&Send to support"), m_upload);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setEnabled(false);
    m_uploadProgress = new QProgressBar(m_upload);
    m_uploadProgress->setObjectName(QStringLiteral("uploadProgressBar"));
    m_uploadProgress->setAccessibleName(tr("Upload progress"));
    m_uploadProgress->setRange(0, 1000);
    m_uploadProgress->setValue(0);
    uploadRow->addWidget(m_send);
    uploadRow->addWidget(m_uploadProgress, 1);
    uploadLayout->addLayout(uploadRow);
    m_uploadNote = new QLabel(m_upload);
    m_uploadNote->setObjectName(QStringLiteral("uploadNoteLabel"));
    m_uploadNote->setWordWrap(true);
    m_uploadNote->setForegroundRole(QPalette::PlaceholderText);
    uploadLayout->addWidget(m_uploadNote);
    m_uploadStatus = new QLabel(m_upload);
    m_uploadStatus->setObjectName(QStringLiteral("uploadStatusLabel"));
    m_uploadStatus->setWordWrap(true);
    uploadLayout->addWidget(m_uploadStatus);
    m_upload->hide();
    layout->addWidget(m_upload);
    layout->addStretch(1);

    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for the archive"), outputFolder());
        if (!folder.isEmpty())
            setOutputFolder(folder);
    });
    connect(m_save, &QPushButton::clicked, this, &FinishPage::save);
    connect(showButton, &QPushButton::clicked, this, [this] {
        if (!this->context()->saved())
            return;
        const QString folder = QFileInfo(this->context()->saved()->archive.path).absolutePath();
        if (!QDesktopServices::openUrl(QUrl::fromLocalFile(folder)))
            emit message(MessageWidget::Type::Warning,
                         tr("No file manager could be opened. The archive is in %1 (Copy path puts its path on "
                            "the clipboard).")
                             .arg(QDir::toNativeSeparators(folder)));
    });
    connect(copyButton, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_path->text());
        emit message(MessageWidget::Type::Positive, tr("The archive's path was copied."));
    });
    connect(m_send, &QPushButton::clicked, this, &FinishPage::send);
    connect(context, &WizardContext::packagingProgress, this,
            [this](qint64 done, qint64 total) { m_progress->setValue(total > 0 ? int(done * 1000 / total) : 0); });
    connect(context, &WizardContext::packagingFinished, this, &FinishPage::onSaved);
    connect(context, &WizardContext::uploadProgress, this, [this](qint64 sent, qint64 total) {
        m_uploadProgress->setValue(total > 0 ? int(sent * 1000 / total) : 0);
    });
    connect(context, &WizardContext::uploadStatus, this,
            [this](const QString &text) { m_uploadStatus->setText(text); });
    connect(context, &WizardContext::uploadFinished, this, [this](bool ok, const QString &text) {
        m_uploading = false;
        m_send->setEnabled(!ok);
        emit completeChanged();
        if (ok) {
            m_uploadProgress->setValue(1000);
            m_uploadStatus->setText(tr("Sent to %1 and verified.").arg(text));
            emit message(MessageWidget::Type::Positive,
                         tr("The archive was sent to support. The receipt records where it went."));
        } else {
            m_uploadStatus->setText(tr("Not sent: %1").arg(text));
            emit message(MessageWidget::Type::Error, tr("Sending failed: %1 The archive is still saved.").arg(text));
        }
    });
}

QString FinishPage::outputFolder() const { return m_folder->text().trimmed(); }

void FinishPage::setOutputFolder(const QString &folder) { m_folder->setText(QDir::toNativeSeparators(folder)); }

void FinishPage::enter()
{
    if (m_folder->text().isEmpty())
        setOutputFolder(core::paths::defaultOutputDir());
    // Sealing: offered when there is a key; locked on when required.
    const bool required = context()->sealRequired();
    m_seal->setVisible(context()->canSeal());
    if (required)
        m_seal->setChecked(true);
    m_seal->setEnabled(!required && !m_saving);
    QString sealNote;
    if (const QString reason = context()->lockReason(PolicySetting::Sealing); !reason.isEmpty())
        sealNote = tr("Sealing is required. %1").arg(reason);
    else if (required)
        sealNote = tr("Sealing is required by the profile.");
    m_sealNote->setText(sealNote);
    m_sealNote->setVisible(!sealNote.isEmpty() && context()->canSeal());
    m_seal->setToolTip(sealNote);

    // Sending: the policy may forbid it or fix the address.
    const QString forbidden = context()->lockReason(PolicySetting::Upload);
    m_upload->setVisible(context()->canUpload() || !forbidden.isEmpty());
    if (!forbidden.isEmpty()) {
        m_upload->setTitle(tr("Send to support"));
        m_send->setEnabled(false);
        m_send->setToolTip(forbidden);
        m_uploadNote->setText(tr("Sending from this tool is turned off. %1").arg(forbidden));
    } else if (context()->canUpload()) {
        m_upload->setTitle(context()->caseId.isEmpty() ? tr("Send to support")
                                                       : tr("Send to support for case %1").arg(context()->caseId));
        const QString fixed = context()->lockReason(PolicySetting::UploadUrl);
        m_uploadNote->setText(fixed.isEmpty()
                                  ? QString()
                                  : tr("Archives are sent only to %1. %2").arg(context()->profile().upload.url, fixed));
    }
    m_uploadNote->setVisible(!m_uploadNote->text().isEmpty());
}

bool FinishPage::canGoBack() const { return !m_saving && !m_uploading; }

bool FinishPage::canGoNext() const { return !m_saving && !m_uploading; }

void FinishPage::save()
{
    const QString folder = QDir::fromNativeSeparators(outputFolder());
    if (folder.isEmpty() || !QDir::isAbsolutePath(folder)) {
        emit message(MessageWidget::Type::Error, tr("Choose a folder for the archive (a full path)."));
        return;
    }
    m_saving = true;
    m_save->setEnabled(false);
    m_browse->setEnabled(false);
    m_folder->setEnabled(false);
    m_seal->setEnabled(false);
    m_progress->setValue(0);
    emit completeChanged();
    emit message(MessageWidget::Type::Information, tr("Redacting and packaging..."));
    emit outputFolderChosen(folder);
    context()->startPackaging(folder, m_seal->isVisible() && m_seal->isChecked());
}

void FinishPage::onSaved(bool ok, const QString &text)
{
    m_saving = false;
    m_save->setEnabled(true);
    m_browse->setEnabled(true);
    m_folder->setEnabled(true);
    m_seal->setEnabled(!context()->sealRequired());
    emit completeChanged();
    if (!ok) {
        m_progress->setValue(0);
        emit message(MessageWidget::Type::Error, tr("No archive was written: %1").arg(text));
        return;
    }
    const SaveResult &saved = *context()->saved();
    m_progress->setValue(1000);
    m_save->setText(tr("Create &again"));
    m_path->setText(QDir::toNativeSeparators(saved.archive.path));
    m_path->setCursorPosition(0);
    m_sha256->setText(QString::fromLatin1(saved.archive.sha256));
    m_sha256->setCursorPosition(0);
    m_mapPath->setText(saved.mapPath.isEmpty() ? tr("not saved") : QDir::toNativeSeparators(saved.mapPath));
    m_mapPath->setCursorPosition(0);
    m_receiptPath->setText(QDir::toNativeSeparators(saved.receiptPath));
    m_receiptPath->setCursorPosition(0);
    m_result->show();
    m_send->setEnabled(context()->canUpload());
    // The counts of the Review's Summary, in its words: the plan that was applied.
    const WizardContext::RedactionCounts &counts = context()->packagedCounts();
    QString done = tr("The archive was saved (%1).").arg(QLocale().formattedDataSize(saved.archive.bytes));
    if (saved.redactionOn) {
        done += QLatin1Char(' ') + context()->redactionCountsText(counts);
        // A chosen value is replaced wherever it stands, also where no rule found it.
        if (saved.redacted > counts.redacted)
            done += QLatin1Char(' ') + tr("The same values stood %Ln more time(s) elsewhere in the files and were "
                                          "replaced there too.",
                                          nullptr, int(saved.redacted - counts.redacted));
    }
    if (saved.sealed)
        done += QLatin1Char(' ') + tr("It is sealed: only support can open it.");
    emit message(MessageWidget::Type::Positive, done);
}

void FinishPage::send()
{
    if (!context()->saved())
        return;
    m_uploading = true;
    m_send->setEnabled(false);
    m_uploadProgress->setValue(0);
    m_uploadStatus->setText(tr("Connecting..."));
    emit completeChanged();
    context()->startUpload();
}

} // namespace dc::gui
