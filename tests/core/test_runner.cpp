// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/staging.h"
#include "core/collect/collectionrunner.h"
#include "core/collect/collectsession.h"

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
