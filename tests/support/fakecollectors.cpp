// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "tests/support/fakecollectors.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

namespace dc::test {

using namespace dc::core;

namespace {
ItemResult started(const ItemSpec &item)
{
    ItemResult result = ItemResult::forSpec(item);
    result.started = QDateTime::currentDateTimeUtc();
    return result;
}

ItemResult cancelled(ItemResult result)
{
    result.status = Status::Failed;
    result.reason = QStringLiteral("cancelled");
    result.finished = QDateTime::currentDateTimeUtc();
    return result;
}
} // namespace

ItemResult FailingCollector::collect(const ItemSpec &item, CollectContext &)
{
    ItemResult result = started(item);
    result.status = Status::Failed;
    result.reason = QStringLiteral("fake failure");
    result.finished = QDateTime::currentDateTimeUtc();
    return result;
}

ItemResult SlowCollector::collect(const ItemSpec &item, CollectContext &ctx)
{
    ItemResult result = started(item);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < m_delayMs) {
        if (ctx.isCancelled())
            return cancelled(result);
        QThread::msleep(5);
    }
    const QString relative = item.stagedPath() + QStringLiteral(".txt");
    const QString path = ctx.stagingDir() + QLatin1Char('/') + relative;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    const QByteArray bytes = item.id.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
        result.status = Status::Failed;
        result.reason = QStringLiteral("cannot write %1").arg(path);
    } else {
        FileEntry entry;
        entry.path = relative;
        entry.source = QStringLiteral("fake:") + item.id;
        entry.bytes = bytes.size();
        entry.sha256 = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        result.files.append(entry);
    }
    result.finished = QDateTime::currentDateTimeUtc();
    return result;
}

ItemResult HangingCollector::collect(const ItemSpec &item, CollectContext &ctx)
{
    ItemResult result = started(item);
    ++m_waiting;
    while (!ctx.isCancelled())
        QThread::msleep(5);
    --m_waiting;
    return cancelled(result);
}

} // namespace dc::test
