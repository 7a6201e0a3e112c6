// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/profile/profile.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace dc::core {

// What the bundle says about each item and file (manifest.json, summary.html, the
// archive's entries). Collectors produce these records; the bundle layer owns them, so
// bundle/ does not depend on collect/ (collect/itemresult.h forwards here).

// Outcome of one staged file or one item. Order matters: an item's status is
// the "worst" of its files' (failed > skipped > truncated > collected) only
// when nothing was collected; see ItemResult::settleStatus().
enum class Status { Collected, Truncated, Skipped, Failed };
QString statusKey(Status status);
std::optional<Status> statusFromKey(const QString &key);

struct FileEntry
{
    QString path;   // staging-relative, '/' separated
    QString source; // where it came from: a file path, a command line or "probe:NAME"
    qint64 bytes = 0;
    QByteArray sha256; // lower-case hex
    Status status = Status::Collected;
    QString reason; // why truncated, skipped or failed; empty when collected
    bool redactable = true;
    // The source path's bytes when they are not UTF-8; source then shows them
    // escaped ("caf%E9.log", core/util/filenames.h).
    QByteArray sourceBytes;
};

struct ItemResult
{
    QString id;
    QString title;
    ItemKind kind = ItemKind::Files;
    Category category = Category::OsConfig;
    QString purpose;
    bool essential = false;
    bool redactable = true;
    QStringList source; // file patterns, or argv of a command, or the probe name
    Status status = Status::Collected;
    QString reason;
    QDateTime started;
    QDateTime finished;
    QList<FileEntry> files; // files that exist in staging
    // Sources that were looked at but not staged (unreadable, FIFO, ...): path and reason.
    QList<FileEntry> skippedFiles;

    qint64 bytes() const;
    static ItemResult forSpec(const ItemSpec &spec);
    // Derives the item status from its files when the collector did not set a
    // failure itself: nothing staged and something skipped -> skipped, any
    // truncated file -> truncated.
    void settleStatus();
};

} // namespace dc::core

Q_DECLARE_METATYPE(dc::core::ItemResult)
