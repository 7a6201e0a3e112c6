// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"
#include "core/util/safefs.h"

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

// The file functions below never follow a symbolic link and edit a file only when
// it is a regular file with one link, owned like every folder above it by root,
// by an account in trust (the product's service account) or by the caller, and
// not writable by group or others (a sticky folder such as /tmp is accepted
// when the entry below it is trusted). Otherwise they refuse with a message
// naming the path and the problem (ErrorCode::PolicyRefused). See docs/SECURITY.md.
Result<ConfigValue>
readConfigValue(const QString &file, ConfigFormat format, const QString &key, const safefs::Trust &trust = {});
// Sets the value, or removes the key when value is nullopt (INI, JSON; XML
// empties the element). The file is replaced atomically with its mode and owner.
Result<void> writeConfigValue(const QString &file,
                              ConfigFormat format,
                              const QString &key,
                              const std::optional<QString> &value,
                              const safefs::Trust &trust = {});

// A configuration file as read for editing.
struct ConfigFile
{
    QByteArray bytes;
    safefs::Stat stat;
};
// Reads a file under the rules above (at most 16 MiB).
Result<ConfigFile> readTrustedConfig(const QString &path, const safefs::Trust &trust = {});
// Replaces a file's bytes under the rules above: the folder is opened again
// with the same checks, the existing file is checked again, and the new file
// gets its owner and mode on the descriptor before it is renamed over it.
Result<void> replaceTrustedConfig(const QString &path, const QByteArray &bytes, const safefs::Trust &trust = {});

// The same operations on text, for tests and for the file functions above.
Result<ConfigValue> readConfigText(const QByteArray &text, ConfigFormat format, const QString &key);
Result<QByteArray>
editConfigText(const QByteArray &text, ConfigFormat format, const QString &key, const std::optional<QString> &value);

} // namespace dc::core
