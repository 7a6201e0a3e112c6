// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/itemresult.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace dc::core {

// manifest.json: the record of one run, inside the archive and in staging.
// Its format is documented in docs/ARCHITECTURE.md ("Manifest").
struct Manifest
{
    static constexpr int kFormatVersion = 1;
    static constexpr auto kFileName = "manifest.json";

    QString toolVersion;
    QString profileName;
    QString profileSource;
    QByteArray profileSha256;
    QString host;
    QString platform;
    QString caseId;
    bool fullLogs = false;
    bool administrator = false;
    QDateTime started;
    QDateTime finished;
    QList<ItemResult> items;
    // Additional staged files that belong to no item (summary.html, redaction report).
    QList<FileEntry> extraFiles;

    struct Totals
    {
        int collected = 0, truncated = 0, skipped = 0, failed = 0;
        qint64 bytes = 0;
    };
    Totals totals() const;
    qint64 bytesIn(Category category) const;
    // Every staged file the archive must hold besides manifest.json, sorted by path.
    QList<FileEntry> allFiles() const;

    QByteArray toJson() const;
    static Result<Manifest> fromJson(const QByteArray &json);
};

} // namespace dc::core
