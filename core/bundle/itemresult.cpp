// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/itemresult.h"

namespace dc::core {

QString statusKey(Status status)
{
    switch (status) {
    case Status::Collected:
        return QStringLiteral("collected");
    case Status::Truncated:
        return QStringLiteral("truncated");
    case Status::Skipped:
        return QStringLiteral("skipped");
    case Status::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

std::optional<Status> statusFromKey(const QString &key)
{
    for (Status status : {Status::Collected, Status::Truncated, Status::Skipped, Status::Failed})
        if (statusKey(status) == key)
            return status;
    return std::nullopt;
}

qint64 ItemResult::bytes() const
{
    qint64 total = 0;
    for (const FileEntry &file : files)
        total += file.bytes;
    return total;
}

ItemResult ItemResult::forSpec(const ItemSpec &spec)
{
    ItemResult result;
    result.id = spec.id;
    result.title = spec.title;
    result.kind = spec.kind;
    result.category = spec.category;
    result.purpose = spec.purpose;
    result.essential = spec.essential;
    result.redactable = spec.redactable;
    switch (spec.kind) {
    case ItemKind::Files:
        result.source = spec.files.paths;
        break;
    case ItemKind::Command:
        result.source = spec.command.argv;
        break;
    case ItemKind::Probe:
        result.source = {QStringLiteral("probe:") + spec.probe.name};
        break;
    }
    return result;
}

void ItemResult::settleStatus()
{
    if (status == Status::Failed || status == Status::Skipped)
        return;
    if (files.isEmpty()) {
        status = Status::Skipped;
        if (reason.isEmpty())
            reason = skippedFiles.isEmpty() ? QStringLiteral("nothing found") : skippedFiles.first().reason;
        return;
    }
    for (const FileEntry &file : std::as_const(files)) {
        if (file.status == Status::Truncated) {
            status = Status::Truncated;
            if (reason.isEmpty())
                reason = file.reason;
        }
    }
}

} // namespace dc::core
