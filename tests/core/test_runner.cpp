// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/staging.h"
#include "core/collect/collectionrunner.h"
#include "core/collect/collectorregistry.h"
#include "core/collect/collectsession.h"
#include "tests/support/fakecollectors.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace dc::core;

class TestRunner : public QObject
{
    Q_OBJECT

private:
    static Profile profileOf(const QByteArray &items)
    {
        auto profile =
            parseProfile(R"({"format_version": 1, "name": "t", "items": [)" + items + "]}", QStringLiteral("t.json"));
        if (!profile)
            qFatal("%s", qPrintable(profile.error().message));
        return *profile;
    }

private slots:
    void runsItemsConcurrentlyAndKeepsProfileOrder()
    {
        QTemporaryDir staging;
        // Four one-second sleeps on four threads take about one second, not four.
        const Profile profile = profileOf(R"(
            {"id": "a", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/sh", "-c", "sleep 1; echo a"]},
            {"id": "b", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/sh", "-c", "sleep 1; echo b"]},
            {"id": "c", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/sh", "-c", "sleep 1; echo c"]},
            {"id": "d", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/sh", "-c", "sleep 1; echo d"]})");
        CollectionRunner runner(profile, RunOptions{.maxThreads = 4}, staging.path());
        QSignalSpy started(&runner, &CollectionRunner::itemStarted);
        QSignalSpy finished(&runner, &CollectionRunner::itemFinished);
        QElapsedTimer clock;
        clock.start();
        const RunSummary summary = runner.runBlocking();
        QVERIFY2(clock.elapsed() < 3500, "items did not run concurrently");
        QCOMPARE(finished.size(), 4);
        QCOMPARE(started.size(), 4);
        QCOMPARE(summary.items.size(), 4);
        QStringList ids;
        for (const ItemResult &item : summary.items) {
            ids << item.id;
            QCOMPARE(item.status, Status::Collected);
        }
        QCOMPARE(ids,
                 (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")}));
        QVERIFY(!summary.cancelled);
    }

    void failingItemDoesNotAbortTheRun()
    {
        QTemporaryDir staging;
        const Profile profile = profileOf(R"(
            {"id": "bad", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/sh", "-c", "exit 3"]},
            {"id": "missing", "kind": "command", "category": "tool", "purpose": "p", "argv": ["no-such-program-xyz"]},
            {"id": "good", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/echo", "ok"]})");
        CollectionRunner runner(profile, RunOptions{}, staging.path());
        const RunSummary summary = runner.runBlocking();
        QCOMPARE(summary.items.size(), 3);
        QCOMPARE(summary.items[0].status, Status::Failed);
        QVERIFY(!summary.items[0].reason.isEmpty());
        QCOMPARE(summary.items[1].status, Status::Skipped);
        QCOMPARE(summary.items[1].reason, QStringLiteral("not installed"));
        QCOMPARE(summary.items[2].status, Status::Collected);
    }

    // The runner asks its registry instance, not a global: fakes stand in for every kind.
    void registryInstanceRunsFakes()
    {
        QTemporaryDir staging;
        const Profile profile = profileOf(R"(
            {"id": "slow", "kind": "files", "category": "tool", "purpose": "p", "paths": ["/nonexistent"]},
            {"id": "broken", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/true"]})");
        dc::test::SlowCollector slow(50);
        dc::test::FailingCollector failing;
        CollectorRegistry registry;
        registry.set(ItemKind::Files, &slow);
        registry.set(ItemKind::Command, &failing);
        CollectionRunner runner(profile, RunOptions{}, staging.path());
        runner.setRegistry(registry);
        const RunSummary summary = runner.runBlocking();
        QCOMPARE(summary.items.size(), 2);
        QCOMPARE(summary.items[0].status, Status::Collected);
        QCOMPARE(summary.items[0].files.size(), 1);
        QVERIFY(QFile::exists(staging.filePath(summary.items[0].files[0].path)));
        QCOMPARE(summary.items[1].status, Status::Failed);
        QCOMPARE(summary.items[1].reason, QStringLiteral("fake failure"));

        // A kind the registry has no collector for fails that item, nothing else.
        CollectorRegistry partial;
        partial.set(ItemKind::Files, &slow);
        CollectionRunner second(profile, RunOptions{}, staging.path());
        second.setRegistry(partial);
        const RunSummary other = second.runBlocking();
        QCOMPARE(other.items[0].status, Status::Collected);
        QCOMPARE(other.items[1].status, Status::Failed);
        QCOMPARE(other.items[1].reason, QStringLiteral("no collector for kind \"command\""));
    }

    void cancelReachesAHangingCollector()
    {
        QTemporaryDir staging;
        const Profile profile = profileOf(R"(
            {"id": "hang-1", "kind": "probe", "category": "tool", "purpose": "p", "probe": "system"},
            {"id": "hang-2", "kind": "probe", "category": "tool", "purpose": "p", "probe": "system"})");
        dc::test::HangingCollector hanging;
        CollectorRegistry registry;
        registry.set(ItemKind::Probe, &hanging);
        CollectionRunner runner(profile, RunOptions{}, staging.path());
        runner.setRegistry(registry);
        QSignalSpy finished(&runner, &CollectionRunner::finished);
        runner.start();
        QTRY_COMPARE_WITH_TIMEOUT(hanging.waiting(), 2, 5000);
        QElapsedTimer clock;
        clock.start();
        runner.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(clock.elapsed() < 2000, "cancel did not reach the collectors promptly");
        const auto summary = finished.first().first().value<RunSummary>();
        QVERIFY(summary.cancelled);
        QCOMPARE(hanging.waiting(), 0);
    }

    void optOutAndFullLogsSelectItems()
    {
        QTemporaryDir staging;
        const Profile profile = profileOf(R"(
            {"id": "must", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/true"], "essential": true},
            {"id": "nice", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/true"]},
            {"id": "full", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/true"], "full_logs_only": true})");
        RunOptions options;
        options.optedOut = {QStringLiteral("must"), QStringLiteral("nice")}; // essential cannot be opted out
        CollectionRunner normal(profile, options, staging.path());
        QCOMPARE(normal.plannedItems().size(), 1);
        QCOMPARE(normal.plannedItems().first().id, QStringLiteral("must"));
        options.fullLogs = true;
        CollectionRunner full(profile, options, staging.path());
        QCOMPARE(full.plannedItems().size(), 2);
    }

    void cancelStopsPromptly()
    {
        QTemporaryDir staging;
        const Profile profile = profileOf(R"(
            {"id": "hang", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/sleep", "300"], "timeout": 600},
            {"id": "hang2", "kind": "command", "category": "tool", "purpose": "p", "argv": ["/bin/sleep", "300"], "timeout": 600})");
        CollectionRunner runner(profile, RunOptions{}, staging.path());
        QTimer::singleShot(300, &runner, &CollectionRunner::cancel);
        QElapsedTimer clock;
        clock.start();
        const RunSummary summary = runner.runBlocking();
        QVERIFY(summary.cancelled);
        QVERIFY2(clock.elapsed() < 10000, "cancel did not stop the hung commands");
    }

    void runBudgetKeepsNewestBytes()
    {
        QTemporaryDir staging;
        QByteArray big;
        for (int i = 0; i < 1000; ++i)
            big += "line " + QByteArray::number(i).rightJustified(6, '0') + "\n"; // 12 bytes a line
        QList<ItemResult> items(2);
        for (int i = 0; i < 2; ++i) {
            auto file = StagedFile::create(staging.path(), QStringLiteral("tool/f%1.txt").arg(i));
            QVERIFY(file);
            (*file)->write(i == 0 ? big : QByteArray("small\n"));
            items[i].files.append(*(*file)->finish(QStringLiteral("src")));
        }
        applyRunBudget(staging.path(), 1206, items);
        QCOMPARE(items[1].status, Status::Collected); // small files stay whole
        QCOMPARE(items[0].status, Status::Truncated);
        QVERIFY(items[0].files[0].bytes <= 1200);
        QFile cut(staging.path() + QStringLiteral("/tool/f0.txt"));
        QVERIFY(cut.open(QIODevice::ReadOnly));
        const QByteArray kept = cut.readAll();
        QVERIFY(kept.startsWith("line "));       // starts at a line boundary
        QVERIFY(kept.endsWith("line 000999\n")); // the newest line survives
        QCOMPARE(items[0].files[0].sha256, sha256OfFile(cut.fileName()));
    }

    void caseIdValidation()
    {
        QVERIFY(isValidCaseId(QStringLiteral("CASE-123_a.b")));
        QVERIFY(!isValidCaseId(QStringLiteral("../x")));
        QVERIFY(!isValidCaseId(QStringLiteral("a b")));
        QVERIFY(!isValidCaseId(QString(65, QLatin1Char('a'))));
        QVERIFY(!isValidCaseId(QString()));
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "test_runner.moc"
