// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace dc::core {

// Reads and changes one value in a product's configuration file, keeping the
// rest of the file as it is (comments, order, line endings). Used by full-log
// mode (core/fulllogs/fulllogging.h).
//   ini:  "section.key" (a key without a dot is before the first section);
//         sections and keys compare case-insensitively
//   json: "a.b" names nested object members; values are raw JSON text ("\"full\"", "3")
//   xml:  "root.child.leaf" names an element whose text is the value; the
//         element must exist (it is never created)
enum class ConfigFormat { Ini, Json, Xml };
std::optional<ConfigFormat> configFormatFromName(const QString &name);

struct ConfigValue
{
    bool exists = false;
    QString value; // JSON: raw JSON text; INI and XML: the text
};

Result<ConfigValue> readConfigValue(const QString &file, ConfigFormat format, const QString &key);
// Sets the value, or removes the key when value is nullopt (INI, JSON; XML
// empties the element). The file is replaced atomically with its mode and owner.
Result<void>
writeConfigValue(const QString &file, ConfigFormat format, const QString &key, const std::optional<QString> &value);

// The same operations on text, for tests and for the file functions above.
Result<ConfigValue> readConfigText(const QByteArray &text, ConfigFormat format, const QString &key);
Result<QByteArray>
editConfigText(const QByteArray &text, ConfigFormat format, const QString &key, const std::optional<QString> &value);

// Writes bytes to path through a temporary file in the same folder and a
// rename, keeping an existing file's permissions (and owner when root).
Result<void> replaceFileAtomically(const QString &path, const QByteArray &bytes);

} // namespace dc::core
