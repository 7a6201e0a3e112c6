// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/key32.h"

#include <QRegularExpression>

namespace dc::core {

std::optional<QByteArray> decodeKey32(const QString &text)
{
    constexpr qsizetype kKeyBytes = 32;
    const QString trimmed = text.trimmed();
    static const QRegularExpression hex(QStringLiteral("^[0-9A-Fa-f]{64}$"));
    static const QRegularExpression base64(QStringLiteral("^[A-Za-z0-9+/]{43}=$"));
    static const QRegularExpression base64Url(QStringLiteral("^[A-Za-z0-9_-]{43}=?$"));
    QByteArray raw;
    if (hex.match(trimmed).hasMatch())
        raw = QByteArray::fromHex(trimmed.toLatin1());
    else if (base64.match(trimmed).hasMatch())
        raw = QByteArray::fromBase64(trimmed.toLatin1());
    else if (base64Url.match(trimmed).hasMatch())
        raw = QByteArray::fromBase64(trimmed.toLatin1(), QByteArray::Base64UrlEncoding);
    if (raw.size() != kKeyBytes)
        return std::nullopt;
    return raw;
}

} // namespace dc::core
