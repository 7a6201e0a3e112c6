// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactimpl_p.h"

#include <QString>
#include <algorithm>

namespace dc::core {

using rx::u8;

// Custom patterns: run QRegularExpression over the scanned part of the text
// (decoded so that UTF-16 positions map back to byte offsets) and merge.
void runPatterns(
    const Redactor::Impl &d, std::string_view text, qint64 from, std::vector<RedactMatch> &out, size_t base)
{
    const auto *b = reinterpret_cast<const u8 *>(text.data());
    const qint64 size = qint64(text.size());
    QString s;
    s.reserve(size - from);
    std::vector<qint64> offsets; // UTF-16 index -> byte offset (only when not ASCII)
    bool ascii = true;
    for (qint64 i = from; i < size; ++i) {
        if (b[i] >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        s = QString::fromLatin1(text.data() + from, size - from);
    } else {
        offsets.reserve(size - from + 1);
        qint64 i = from;
        while (i < size) {
            const u8 c = b[i];
            char32_t cp = 0xfffd;
            int len = 1;
            if (c < 0x80) {
                cp = c;
            } else if ((c & 0xe0) == 0xc0 && i + 1 < size && (b[i + 1] & 0xc0) == 0x80) {
                cp = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
                len = 2;
            } else if ((c & 0xf0) == 0xe0 && i + 2 < size && (b[i + 1] & 0xc0) == 0x80 && (b[i + 2] & 0xc0) == 0x80) {
                cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
                len = 3;
            } else if ((c & 0xf8) == 0xf0 && i + 3 < size && (b[i + 1] & 0xc0) == 0x80 && (b[i + 2] & 0xc0) == 0x80 &&
                       (b[i + 3] & 0xc0) == 0x80) {
                cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
                len = 4;
            }
            if (cp >= 0x10000 && cp <= 0x10ffff) {
                const char32_t v = cp - 0x10000;
                s.append(QChar(char16_t(0xd800 + (v >> 10))));
                s.append(QChar(char16_t(0xdc00 + (v & 0x3ff))));
                offsets.push_back(i);
                offsets.push_back(i);
            } else {
                s.append(QChar(char16_t(cp > 0xffff ? 0xfffd : cp)));
                offsets.push_back(i);
            }
            i += len;
        }
        offsets.push_back(size);
    }
    auto toByte = [&](qsizetype u) -> qint64 { return ascii ? from + u : offsets[size_t(u)]; };

    std::vector<RedactMatch> found;
    for (const auto &pattern : d.patterns) {
        if (!d.on(pattern.rule))
            continue;
        auto it = pattern.re.globalMatch(s);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            if (m.capturedLength() == 0)
                continue;
            const qint64 so = toByte(m.capturedStart());
            const qint64 eo = toByte(m.capturedEnd());
            if (eo > so)
                found.push_back(RedactMatch{so, qint32(eo - so), pattern.rule});
        }
    }
    if (found.empty())
        return;
    found.insert(found.end(), out.begin() + qptrdiff(base), out.end());
    std::stable_sort(found.begin(), found.end(), [](const RedactMatch &a, const RedactMatch &b2) {
        return a.offset < b2.offset || (a.offset == b2.offset && a.length > b2.length);
    });
    out.resize(base);
    for (const RedactMatch &m : found) {
        if (out.size() > base && out.back().end() > m.offset)
            continue; // overlaps an earlier (or longer) match
        out.push_back(m);
    }
}

} // namespace dc::core
