// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QString>

// File names on Unix are bytes, not text: "caf\xe9.log" (Latin-1) is a valid name
// that is not UTF-8. QFile::decodeName() turns such bytes into U+FFFD, so the
// name can no longer be opened. These functions convert reversibly, like
// Python's "surrogateescape": a byte that is not part of valid UTF-8 becomes the
// lone surrogate U+DC80..U+DCFF (which valid UTF-8 never decodes to) and back.
// On Windows names are UTF-16 already and these are QFile's functions.

namespace dc::core {

QString decodeFileName(const QByteArray &bytes);
QByteArray encodeFileName(const QString &name);

// True when the name holds bytes that are not UTF-8 (escaped as above).
bool hasUndecodableBytes(const QString &name);

// The name as text that is safe everywhere (archive entries, JSON, terminals):
// every undecodable byte as "%XX" and, in such names only, '%' as "%25" so the
// escaping can be undone. Names that are valid UTF-8 are returned unchanged.
QString escapedFileName(const QString &name);

// The name for matching with globs and showing: undecodable bytes as U+FFFD.
QString displayFileName(const QString &name);

} // namespace dc::core
