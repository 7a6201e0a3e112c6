// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/filenames.h"

#include <QFile>

namespace dc::core {

namespace {

constexpr char16_t kEscapeBase = 0xDC00; // byte b (0x80..0xFF) <-> U+DC00 + b

bool isEscapedByte(QChar c) { return c.unicode() >= 0xDC80 && c.unicode() <= 0xDCFF; }

// Length of the valid UTF-8 sequence at data[i], or 0 if it is not one.
int validSequenceAt(const uchar *data, qsizetype size, qsizetype i)
{
    const uchar lead = data[i];
    int length = 0;
    char32_t min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + length > size)
        return 0;
    char32_t code = lead & (0xFF >> (length + 1));
    for (int k = 1; k < length; ++k) {
        if ((data[i + k] & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (data[i + k] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return length;
}

} // namespace

#ifdef Q_OS_WIN

QString decodeFileName(const QByteArray &bytes) { return QFile::decodeName(bytes); }
QByteArray encodeFileName(const QString &name) { return QFile::encodeName(name); }

#else

QString decodeFileName(const QByteArray &bytes)
{
    const auto *data = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype size = bytes.size();
    QString name;
    name.reserve(size);
    qsizetype runStart = 0; // start of the current run of valid UTF-8
    qsizetype i = 0;
    while (i < size) {
        if (data[i] < 0x80) {
            ++i;
            continue;
        }
        if (const int length = validSequenceAt(data, size, i); length > 0) {
            i += length;
            continue;
        }
        name += QString::fromUtf8(bytes.constData() + runStart, i - runStart);
        name += QChar(char16_t(kEscapeBase + data[i]));
        runStart = ++i;
    }
    name += QString::fromUtf8(bytes.constData() + runStart, size - runStart);
    return name;
}

QByteArray encodeFileName(const QString &name)
{
    if (!hasUndecodableBytes(name))
        return name.toUtf8();
    QByteArray bytes;
    bytes.reserve(name.size());
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < name.size(); ++i) {
        // A low surrogate after a high one is half of a real character, not an escape.
        if (!isEscapedByte(name[i]) || (i > 0 && name[i - 1].isHighSurrogate()))
            continue;
        bytes += QStringView(name).mid(runStart, i - runStart).toUtf8();
        bytes += char(name[i].unicode() - kEscapeBase);
        runStart = i + 1;
    }
    bytes += QStringView(name).mid(runStart).toUtf8();
    return bytes;
}

#endif

bool hasUndecodableBytes(const QString &name)
{
    for (qsizetype i = 0; i < name.size(); ++i)
        if (isEscapedByte(name[i]) && !(i > 0 && name[i - 1].isHighSurrogate()))
            return true;
    return false;
}

QString escapedFileName(const QString &name)
{
    if (!hasUndecodableBytes(name))
        return name;
    QString escaped;
    escaped.reserve(name.size() + 8);
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        if (isEscapedByte(c) && !(i > 0 && name[i - 1].isHighSurrogate()))
            escaped += QStringLiteral("%%1").arg(c.unicode() - kEscapeBase, 2, 16, QLatin1Char('0')).toUpper();
        else if (c == QLatin1Char('%'))
            escaped += QStringLiteral("%25");
        else
            escaped += c;
    }
    return escaped;
}

QString displayFileName(const QString &name)
{
    if (!hasUndecodableBytes(name))
        return name;
    QString shown = name;
    for (qsizetype i = 0; i < shown.size(); ++i)
        if (isEscapedByte(shown[i]) && !(i > 0 && shown[i - 1].isHighSurrogate()))
            shown[i] = QChar::ReplacementCharacter;
    return shown;
}

} // namespace dc::core
