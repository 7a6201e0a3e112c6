// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QStringList>

namespace dc::core {

// The JSON paths ("items[3].timeout") of keys that appear more than once in the
// same object of a JSON document. A JSON parser keeps only one of them silently,
// so a profile or policy that says a thing twice means something other than it
// reads. Empty for a document without duplicates or one that is not valid JSON
// (the parser reports that).
QStringList duplicateKeyPaths(const QByteArray &json);

} // namespace dc::core
