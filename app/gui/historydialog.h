// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QDialog>
#include <QJsonObject>

namespace dc::gui {

// "Previous collections": the consent receipts kept on this computer.
class HistoryDialog : public QDialog
{
    Q_OBJECT

public:
    explicit HistoryDialog(QWidget *parent = nullptr);

    // One receipt (core/run/receipts.h) as HTML in the UI's language: when, case, profile,
    // what was collected per category and left out, what redaction did, the archive (name,
    // folder, size, sha256, sealed), the pseudonym map, where it was saved or sent, the file.
    static QString receiptHtml(const QJsonObject &receipt);
};

} // namespace dc::gui
