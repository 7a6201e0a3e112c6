// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/staging.h"
#include "core/collect/collectionrunner.h"

#include <QFile>
#include <algorithm>

namespace dc::core {

namespace {

// Keeps the newest `keep` bytes of a staged text file, starting at a line
// boundary, and refreshes its size and digest.
bool keepTail(const QString &stagingDir, FileEntry &file, qint64 keep)
{
    const QString path = stagingDir + QLatin1Char('/') + file.path;
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return false;
    qint64 start = qMax<qint64>(0, in.size() - keep);
    if (start > 0) {
        // Skip the partial first line so every kept line is whole.
        in.seek(start - 1);
        char c = 0;
        while (in.getChar(&c) && c != '\n')
            ++start;
        start = in.pos();
    }
    const QString temporary = path + QStringLiteral(".budget");
    QFile::remove(temporary);
    auto out = StagedFile::create(stagingDir, file.path + QStringLiteral(".budget"));
    if (!out)
        return false;
    in.seek(start);
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    while (true) {
        const qint64 n = in.read(buffer.data(), buffer.size());
        if (n <= 0)
            break;
        (*out)->write(buffer.constData(), n);
    }
    const qint64 cut = in.size() - start;
    Q_UNUSED(cut);
    auto entry = (*out)->finish(file.source);
    in.close();
    if (!entry || !QFile::remove(path) || !QFile::rename(temporary, path))
        return false;
    file.bytes = entry->bytes;
    file.sha256 = entry->sha256;
    return true;
}

} // namespace

void applyRunBudget(const QString &stagingDir, qint64 totalBudget, QList<ItemResult> &items)
{
    if (totalBudget <= 0)
        return;
    qint64 total = 0;
    for (const ItemResult &item : items)
        total += item.bytes();
    if (total <= totalBudget)
        return;

    struct Ref
    {
        int item;
        int file;
        qint64 bytes;
    };
    QList<Ref> text, binary;
    qint64 binaryBytes = 0;
    for (int i = 0; i < items.size(); ++i)
        for (int f = 0; f < items[i].files.size(); ++f) {
            const FileEntry &file = items[i].files[f];
            if (file.redactable) {
                text.append({i, f, file.bytes});
            } else {
                binary.append({i, f, file.bytes});
                binaryBytes += file.bytes;
            }
        }

    // Binary data (crash dumps) cannot be cut usefully: drop the largest until
    // at most half the budget is binary, so the text logs keep their room.
    std::sort(binary.begin(), binary.end(), [](const Ref &a, const Ref &b) { return a.bytes > b.bytes; });
    QList<std::pair<int, int>> dropped;
    for (const Ref &ref : std::as_const(binary)) {
        if (binaryBytes <= totalBudget / 2)
            break;
        dropped.append({ref.item, ref.file});
        binaryBytes -= ref.bytes;
    }

    // Fair share for text: the largest cap C with sum(min(size, C)) <= remaining,
    // so small files stay whole and only the largest are cut.
    const qint64 remaining = totalBudget - binaryBytes;
    std::sort(text.begin(), text.end(), [](const Ref &a, const Ref &b) { return a.bytes < b.bytes; });
    qint64 used = 0;
    qint64 cap = -1;
    for (int k = 0; k < text.size(); ++k) {
        const qint64 left = text.size() - k;
        if (used + text[k].bytes * left > remaining) {
            cap = qMax<qint64>(0, (remaining - used) / left);
            break;
        }
        used += text[k].bytes;
    }
    if (cap >= 0) {
        const QString reason =
            QStringLiteral("cut to the newest %1 bytes to fit the run's %2-byte budget").arg(cap).arg(totalBudget);
        for (const Ref &ref : std::as_const(text)) {
            FileEntry &file = items[ref.item].files[ref.file];
            if (file.bytes <= cap)
                continue;
            if (keepTail(stagingDir, file, cap)) {
                file.status = Status::Truncated;
                file.reason = reason;
                items[ref.item].status = Status::Truncated;
                if (items[ref.item].reason.isEmpty())
                    items[ref.item].reason = reason;
            }
        }
    }

    std::sort(dropped.begin(), dropped.end(), [](auto a, auto b) { return a > b; }); // erase back to front
    for (const auto &[itemIndex, fileIndex] : std::as_const(dropped)) {
        ItemResult &item = items[itemIndex];
        FileEntry file = item.files.takeAt(fileIndex);
        QFile::remove(stagingDir + QLatin1Char('/') + file.path);
        file.status = Status::Skipped;
        file.reason = QStringLiteral("left out: over the run's %1-byte budget").arg(totalBudget);
        item.skippedFiles.append(file);
        item.settleStatus();
        if (item.status == Status::Collected) {
            item.status = Status::Truncated;
            item.reason = file.reason;
        }
    }
}

} // namespace dc::core
