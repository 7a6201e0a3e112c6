// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/receipts.h"

#include "core/bundle/staging.h"
#include "core/util/paths.h"
#include "core/util/safefs.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <algorithm>

namespace dc::gui {

QString receiptsDir() { return core::paths::dataDir() + QStringLiteral("/receipts"); }

core::Result<QString> saveReceipt(const QString &archiveName, const QJsonObject &receipt)
{
    const QString dir = receiptsDir();
    if (!core::makePrivateDirs(dir))
        return core::fail(core::ErrorCode::Io, QStringLiteral("cannot create %1").arg(dir));
    const QString path = dir + QLatin1Char('/') + archiveName + QStringLiteral(".receipt.json");
    // Updated when the archive is sent later: our own file is replaced, a planted
    // symlink or someone else's file never is (core/util/safefs.h).
    if (auto written = core::safefs::writeOwnFile(QDir::cleanPath(QDir(path).absolutePath()),
                                                  QJsonDocument(receipt).toJson(QJsonDocument::Indented), 0600);
        !written)
        return tl::unexpected(written.error());
    return path;
}

core::Result<QJsonObject> loadReceipt(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return core::fail(core::ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (!document.isObject())
        return core::fail(core::ErrorCode::Io, QStringLiteral("%1 is not a receipt").arg(path));
    return document.object();
}

QList<QJsonObject> listReceipts()
{
    QList<QJsonObject> receipts;
    const QDir dir(receiptsDir());
    for (const QString &name : dir.entryList({QStringLiteral("*.receipt.json")}, QDir::Files)) {
        auto receipt = loadReceipt(dir.absoluteFilePath(name));
        if (!receipt)
            continue;
        receipt->insert(QStringLiteral("_path"), dir.absoluteFilePath(name));
        receipts.append(*receipt);
    }
    std::sort(receipts.begin(), receipts.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("when")).toString() > b.value(QStringLiteral("when")).toString();
    });
    return receipts;
}

} // namespace dc::gui
