// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QStringList>

namespace dc::core {

// Why an item or a file was skipped, truncated or failed, in the language of
// the installed translators. Collectors record their reasons in English where
// they are made (manifest.json, summary.html and the CLI's JSON are read by
// support, and logs stay English); the faces show them through reasonText().
// - Every reason a collector, probe or requirement check writes has a template
//   in the "ItemReasons" catalogue (reasontexts.cpp, which lupdate reads):
//   "kept the newest %1 of %2 bytes". A reason matching a template whole is
//   translated and its arguments put back; an argument that is itself a reason
//   ("stopped: permission denied") is translated too.
// - What matches no template (a path, a command's own error line, an errno text
//   of an unknown error) is returned as written.
// Any thread (QCoreApplication::translate is thread-safe once translators are installed).
QString reasonText(const QString &reason);

// "N files cannot be read: <first reason, translated>", or reasonText(reason)
// when the item gave one; for an item row that has no reason of its own.
QString itemReasonText(const QString &reason, int unreadableFiles, const QString &firstFileReason);

// The English templates of the catalogue, for tests.
QStringList reasonTemplates();

} // namespace dc::core
