// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QList>
#include <QString>

namespace dc::core {

struct LibraryVersion
{
    QString name;
    QString version; // of the library in use (run time where it says, else the headers built with)
    QString licence; // SPDX identifier
};

// Every library the tool is built with, for the About dialog and `--version`
// readers: Qt, libarchive, zstd, libsodium and Nettle report the version that
// runs; spdlog, {fmt}, nlohmann/json and tl::expected (header libraries or
// inlined) the one the build used. Nettle is left out when the build has none.
QList<LibraryVersion> libraryVersions();

} // namespace dc::core
