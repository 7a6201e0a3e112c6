// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dc::core {

// Consent receipts: one JSON file per archive in paths::dataDir()/receipts/,
// kept on this machine only (mode 0600), written by every run (wizard and
// headless). They record when, what (categories and item counts), how much was
// redacted, where the archive went, its name and sha256. Never any collected value.
QString receiptsDir();
// "<archive file name>.receipt.json" in receiptsDir().
QString receiptPathFor(const QString &archiveFileName);
// Writes (or replaces) the receipt named after the archive; returns its path.
Result<QString> saveReceipt(const QString &archiveName, const QJsonObject &receipt);
Result<QJsonObject> loadReceipt(const QString &path);
// Every receipt, newest first, each with "_path" set to its file.
QList<QJsonObject> listReceipts();
// Receipts expire with their archives: removes the receipt of every archive
// path given (retention's removed list); returns the receipts removed.
QStringList expireReceiptsOf(const QStringList &removedArchives);

} // namespace dc::core
