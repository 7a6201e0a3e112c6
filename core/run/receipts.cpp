// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/run/receipts.h"

#include "core/bundle/naming.h"
#include "core/bundle/staging.h"
#include "core/log/logging.h"
#include "core/retention/retention.h"
#include "core/util/paths.h"
#include "core/util/safefs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <algorithm>

namespace dc::core {

QString receiptsDir() { return paths::dataDir() + QStringLiteral("/receipts"); }

QString receiptPathFor(const QString &archiveFileName)
{
    return receiptsDir() + QLatin1Char('/') + receiptFileName(archiveFileName);
}

Result<QString> saveReceipt(const QString &archiveName, const QJsonObject &receipt)
{
    const QString dir = receiptsDir();
    if (!makePrivateDirs(dir))
        return fail(ErrorCode::Io, QStringLiteral("cannot create %1").arg(dir));
    const QString path = receiptPathFor(archiveName);
    // Updated when the archive is sent later: our own file is replaced, a planted
    // symlink or someone else's file never is (core/util/safefs.h).
    if (auto written = safefs::writeOwnFile(QDir::cleanPath(QDir(path).absolutePath()),
                                            QJsonDocument(receipt).toJson(QJsonDocument::Indented), 0600);
        !written)
        return tl::unexpected(written.error());
    return path;
}

Result<QJsonObject> loadReceipt(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    if (!document.isObject())
        return fail(ErrorCode::Io, QStringLiteral("%1 is not a receipt").arg(path));
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

QStringList expireReceiptsOf(const QStringList &removedArchives)
{
    QStringList removed;
    for (const QString &archive : removedArchives) {
        const QString name = QFileInfo(archive).fileName();
        if (!isToolArchiveName(name))
            continue; // a pseudonym map of the list
        const QString receipt = receiptPathFor(name);
        if (QFile::remove(receipt)) {
            log::get("core")->info("expired receipt {}", receipt);
            removed.append(receipt);
        }
    }
    return removed;
}

} // namespace dc::core
