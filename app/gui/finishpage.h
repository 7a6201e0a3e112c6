// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace dc::gui {

// Step 5: package the reviewed data (worker thread) into the chosen folder,
// then show the archive (path, sha256, pseudonym map, receipt) with "show in
// folder" and "copy path"; send it to support when the profile names an
// upload endpoint. Sealing and sending show as locked, with the reason, when
// the administrator's policy decides them.
class FinishPage : public WizardPage
{
    Q_OBJECT

public:
    explicit FinishPage(WizardContext *context, QWidget *parent = nullptr);
    QString title() const override { return tr("Save or send"); }
    QString nextText() const override { return tr("&Close"); }
    bool canGoBack() const override;
    bool canGoNext() const override;
    void enter() override;

    QString outputFolder() const;
    void setOutputFolder(const QString &folder);

signals:
    void outputFolderChosen(const QString &folder);

private:
    void save();
    void onSaved(bool ok, const QString &message);
    void send();

    QLineEdit *m_folder;
    QPushButton *m_browse;
    QPushButton *m_save;
    QCheckBox *m_seal;
    QLabel *m_sealNote;
    QProgressBar *m_progress;
    QGroupBox *m_result;
    QLineEdit *m_path;
    QLineEdit *m_sha256;
    QLineEdit *m_mapPath;
    QLineEdit *m_receiptPath;
    QGroupBox *m_upload;
    QPushButton *m_send;
    QLabel *m_uploadNote;
    QProgressBar *m_uploadProgress;
    QLabel *m_uploadStatus;
    bool m_saving = false;
    bool m_uploading = false;
};

} // namespace dc::gui
