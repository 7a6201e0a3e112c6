// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collect/collectionrunner.h"

#include "core/collect/collectorregistry.h"
#include "core/fulllogs/fulllogging.h"
#include "core/util/paths.h"

#include <QEventLoop>
#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace dc::core {

bool CollectContext::isAdministrator() const { return paths::isAdministrator(); }

CollectionRunner::CollectionRunner(Profile profile, RunOptions options, QString stagingDir, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_options(std::move(options))
    , m_stagingDir(std::move(stagingDir))
{
    qRegisterMetaType<dc::core::ItemResult>();
    qRegisterMetaType<dc::core::RunSummary>();
    for (const ItemSpec &item : m_profile.itemsFor(currentPlatformBit(), m_options.fullLogs))
        if (item.essential || !m_options.optedOut.contains(item.id))
            m_items.append(m_options.fullLogs ? withFullLogExtras(item) : item);
    m_pool.setMaxThreadCount(qMax(1, m_options.maxThreads));
    m_registry = &CollectorRegistry::builtin();
}

CollectionRunner::~CollectionRunner()
{
    // Workers reference m_profile and m_cancelled: stop them before those go away.
    m_cancelled = true;
    m_pool.waitForDone();
}

void CollectionRunner::start()
{
    Q_ASSERT(!m_running);
    m_running = true;
    m_started = QDateTime::currentDateTimeUtc();
    m_results.resize(m_items.size());
    m_done = 0;
    emit started(int(m_items.size()));
    emit progress(0, int(m_items.size()));
    if (m_items.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { onItemDone(-1, {}); }, Qt::QueuedConnection);
        return;
    }
    for (int index = 0; index < m_items.size(); ++index) {
        // The pool is owned by this runner and drained in its destructor, so the
        // worker may use `this`; results come back through a queued call.
        m_pool.start([this, index] {
            const ItemSpec &item = m_items[index];
            QMetaObject::invokeMethod(
                this, [this, id = item.id] { emit itemStarted(id); }, Qt::QueuedConnection);
            ItemResult result;
            QString unmet = m_options.policySkips.value(item.id);
            if (unmet.isEmpty())
                unmet = unmetRequirement(item, paths::isAdministrator());
            if (m_cancelled || !unmet.isEmpty()) {
                result = ItemResult::forSpec(item);
                result.status = Status::Skipped;
                result.reason = m_cancelled ? QStringLiteral("cancelled") : unmet;
                result.started = result.finished = QDateTime::currentDateTimeUtc();
            } else {
                CollectContext context(m_stagingDir, m_profile, m_cancelled);
                if (Collector *collector = m_registry->find(item.kind)) {
                    result = collector->collect(item, context);
                } else {
                    result = ItemResult::forSpec(item);
                    result.status = Status::Failed;
                    result.reason = QStringLiteral("no collector for kind \"%1\"").arg(itemKindKey(item.kind));
                    result.started = result.finished = QDateTime::currentDateTimeUtc();
                }
            }
            QMetaObject::invokeMethod(
                this, [this, index, result] { onItemDone(index, result); }, Qt::QueuedConnection);
        });
    }
}

void CollectionRunner::cancel() { m_cancelled = true; }

void CollectionRunner::onItemDone(int index, const ItemResult &result)
{
    if (index >= 0) {
        m_results[index] = result;
        ++m_done;
        emit itemFinished(result);
        emit progress(m_done, int(m_items.size()));
    }
    if (m_done < m_items.size())
        return;
    m_running = false;
    RunSummary summary;
    summary.items = m_results;
    summary.started = m_started;
    summary.finished = QDateTime::currentDateTimeUtc();
    summary.cancelled = m_cancelled;
    if (!summary.cancelled) {
        // Full-log mode: the product's logs and crash dumps are exempt from the run budget.
        QList<ItemResult> budgeted;
        QList<qsizetype> at;
        for (qsizetype i = 0; i < summary.items.size(); ++i)
            if (!(m_options.fullLogs && m_items.value(i).productData)) {
                budgeted.append(summary.items[i]);
                at.append(i);
            }
        applyRunBudget(m_stagingDir, m_profile.limits.totalBytes, budgeted);
        for (qsizetype i = 0; i < at.size(); ++i)
            summary.items[at[i]] = budgeted[i];
    }
    emit finished(summary);
}

RunSummary CollectionRunner::runBlocking()
{
    RunSummary summary;
    QEventLoop loop;
    connect(this, &CollectionRunner::finished, &loop, [&](const RunSummary &result) {
        summary = result;
        loop.quit();
    });
    start();
    loop.exec();
    return summary;
}

} // namespace dc::core
