// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace dc::gui {

// Consent receipts: one JSON file per archive in paths::dataDir()/receipts/,
// kept on this machine only (mode 0600). They record when, what (categories
// and item counts), how much was redacted, where the archive went, its name
// and sha256. Never any collected value.
QString receiptsDir();
// Writes (or replaces) the receipt named after the archive; returns its path.
core::Result<QString> saveReceipt(const QString &archiveName, const QJsonObject &receipt);
core::Result<QJsonObject> loadReceipt(const QString &path);
// Every receipt, newest first, each with "_path" set to its file.
QList<QJsonObject> listReceipts();

} // namespace dc::gui
