// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/bundle/itemresult.h"
#include "core/collect/runoptions.h"
#include "core/profile/profile.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <atomic>
#include <memory>

namespace dc::core {

class CollectorRegistry;

struct RunSummary
{
    QList<ItemResult> items; // in profile order
    QDateTime started;
    QDateTime finished;
    bool cancelled = false;
};

// Runs a profile's items for this platform concurrently on a private pool.
// Lives on the thread that created it; signals are delivered there.
class CollectionRunner : public QObject
{
    Q_OBJECT
public:
    CollectionRunner(Profile profile, RunOptions options, QString stagingDir, QObject *parent = nullptr);
    ~CollectionRunner() override;

    // The items that will run: this platform's, minus full-log-only ones unless
    // full-log mode, minus opted-out non-essential ones.
    const QList<ItemSpec> &plannedItems() const { return m_items; }
    // Which collector runs each kind (default: CollectorRegistry::builtin()); set before
    // start(). Not owned: it and its collectors must outlive the run. Tests pass fakes.
    void setRegistry(const CollectorRegistry &registry) { m_registry = &registry; }
    void start();
    // Thread-safe; running commands are killed and the run finishes promptly.
    void cancel();
    bool isCancelled() const { return m_cancelled.load(); }
    // Blocks (spinning an event loop) until finished; for the CLI and tests.
    RunSummary runBlocking();

signals:
    void started(int total);
    void itemStarted(const QString &id);
    void itemFinished(const dc::core::ItemResult &result);
    void progress(int done, int total);
    void finished(const dc::core::RunSummary &summary);

private:
    void onItemDone(int index, const ItemResult &result);

    Profile m_profile;
    RunOptions m_options;
    QString m_stagingDir;
    QList<ItemSpec> m_items;
    QList<ItemResult> m_results;
    const CollectorRegistry *m_registry = nullptr;
    QThreadPool m_pool;
    std::atomic_bool m_cancelled{false};
    int m_done = 0;
    bool m_running = false;
    QDateTime m_started;
};

// Applies the profile's whole-run byte budget to finished results: when the
// staged total exceeds it, the largest truncatable files are cut (keeping their
// newest bytes) until the run fits. Files are rewritten in place.
void applyRunBudget(const QString &stagingDir, qint64 totalBudget, QList<ItemResult> &items);

} // namespace dc::core

Q_DECLARE_METATYPE(dc::core::RunSummary)
