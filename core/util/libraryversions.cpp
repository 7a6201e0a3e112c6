// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/libraryversions.h"

#include <archive.h>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <spdlog/version.h>
#include <tl/expected.hpp>
#include <zstd.h>

#ifdef DC_HAVE_NETTLE
#include <nettle/version.h>
#endif

namespace dc::core {

namespace {

QString dotted(int major, int minor, int patch) { return QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(patch); }

} // namespace

QList<LibraryVersion> libraryVersions()
{
    QList<LibraryVersion> list{
        {QStringLiteral("Qt"), QString::fromLatin1(qVersion()), QStringLiteral("LGPL-3.0-only")},
        // "libarchive 3.6.2": the number only.
        {QStringLiteral("libarchive"), QString::fromLatin1(archive_version_string()).section(QLatin1Char(' '), 1, 1),
         QStringLiteral("BSD-2-Clause")},
        {QStringLiteral("zstd"), QString::fromLatin1(ZSTD_versionString()), QStringLiteral("BSD-3-Clause")},
        {QStringLiteral("libsodium"), QString::fromLatin1(sodium_version_string()), QStringLiteral("ISC")},
    };
#ifdef DC_HAVE_NETTLE
    list.append({QStringLiteral("Nettle"),
                 QStringLiteral("%1.%2").arg(nettle_version_major()).arg(nettle_version_minor()),
                 QStringLiteral("LGPL-3.0-or-later")});
#endif
    list.append({QStringLiteral("spdlog"), dotted(SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR, SPDLOG_VER_PATCH),
                 QStringLiteral("MIT")});
    // FMT_VERSION is major * 10000 + minor * 100 + patch.
    list.append({QStringLiteral("{fmt}"), dotted(FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100),
                 QStringLiteral("MIT")});
    list.append({QStringLiteral("nlohmann/json"),
                 dotted(NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH),
                 QStringLiteral("MIT")});
    list.append({QStringLiteral("tl::expected"),
                 dotted(TL_EXPECTED_VERSION_MAJOR, TL_EXPECTED_VERSION_MINOR, TL_EXPECTED_VERSION_PATCH),
                 QStringLiteral("CC0-1.0")});
    return list;
}

} // namespace dc::core
