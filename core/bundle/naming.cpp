// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/naming.h"

#include "core/util/paths.h"

#include <QRegularExpression>

namespace dc::core {

QString archiveBaseName(const Manifest &manifest)
{
    QString host = manifest.host.isEmpty() ? paths::hostName() : manifest.host;
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2); // a pseudonym: "[host-1]" -> "host-1"
    QString name = QStringLiteral("diagcollect-") + host;
    if (!manifest.caseId.isEmpty())
        name += QLatin1Char('-') + manifest.caseId;
    const QDateTime when = manifest.started.isValid() ? manifest.started : QDateTime::currentDateTimeUtc();
    name += QLatin1Char('-') + when.toUTC().toString(QStringLiteral("yyyyMMdd'T'hhmmss'Z'"));
    // Host names may carry characters that file systems or shells dislike.
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    name.replace(unsafe, QStringLiteral("_"));
    return name;
}

QString mapPathFor(const QString &archivePath) { return archivePath + QLatin1String(kMapSuffix); }

QString receiptFileName(const QString &archiveFileName) { return archiveFileName + QLatin1String(kReceiptSuffix); }

} // namespace dc::core
