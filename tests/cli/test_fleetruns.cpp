// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors

// Issue 18: fleets and scripts start headless runs back to back and side by
// side into one output folder. Every run must exit 0 with an archive of its
// own (unique names however many start in the same second) and leave nothing
// behind: no .partial file, no staging folder. The real binary, a small profile.

#include "tests/support/testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <functional>
#include <memory>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

class TestFleetRuns : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QString m_profile;

    QString path(const QString &relative) const { return m_home.path() + QLatin1Char('/') + relative; }
    QString output() const { return path(QStringLiteral("out")); }

    struct Result
    {
        int exitCode = -1;
        QString archive;
        QByteArray err;
    };

    QProcess *startRun(QObject *parent) const
    {
        auto *process = new QProcess(parent);
        const QProcessEnvironment env = dc::test::isolatedEnvironment(m_home.path());
        process->setProcessEnvironment(env);
        process->setStandardInputFile(QProcess::nullDevice());
        process->start(QStringLiteral(DC_BINARY),
                       {QStringLiteral("collect"), QStringLiteral("--profile"), m_profile, QStringLiteral("--output"),
                        output(), QStringLiteral("--json"), QStringLiteral("--quiet")});
        return process;
    }

    static Result resultOf(QProcess *process)
    {
        Result result;
        result.exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
        result.err = process->readAllStandardError();
        result.archive = QJsonDocument::fromJson(process->readAllStandardOutput())
                             .object()
                             .value(QStringLiteral("archive"))
                             .toString();
        return result;
    }

    // `streams` loops side by side, each starting its next run when the last one ended.
    QList<Result> runStreams(int streams, int runsEach)
    {
        QList<Result> results;
        int running = 0;
        std::function<void(int)> next = [&](int left) {
            if (left == 0)
                return;
            ++running;
            QProcess *process = startRun(this);
            connect(process, &QProcess::finished, this, [&, process, left] {
                results.append(resultOf(process));
                process->deleteLater();
                --running;
                next(left - 1);
            });
            connect(process, &QProcess::errorOccurred, this, [&, process](QProcess::ProcessError error) {
                if (error != QProcess::FailedToStart)
                    return;
                results.append(Result{});
                process->deleteLater();
                --running;
            });
        };
        for (int i = 0; i < streams; ++i)
            next(runsEach);
        QElapsedTimer clock;
        clock.start();
        while (running > 0 && clock.elapsed() < 150000)
            QTest::qWait(5);
        // Too slow: stop what still runs before the handlers' captures go out of scope.
        const QList<QProcess *> left = findChildren<QProcess *>();
        for (QProcess *process : left) {
            process->disconnect(this);
            process->kill();
            process->waitForFinished(5000);
            delete process;
        }
        return results;
    }

    void checkRuns(const QList<Result> &results, int expected, QSet<QString> &seen)
    {
        QCOMPARE(results.size(), expected);
        for (const Result &result : results) {
            QVERIFY2(result.exitCode == 0, result.err.constData());
            QVERIFY2(result.err.isEmpty(), result.err.constData());
            QVERIFY2(QFileInfo(result.archive).isFile(), qPrintable(result.archive));
            QVERIFY2(!seen.contains(result.archive),
                     qPrintable(QStringLiteral("%1 written twice").arg(result.archive)));
            seen.insert(result.archive);
        }
    }

    // Only finished archives and their maps: no partial file, nothing hidden.
    void checkOutputFolder(const QSet<QString> &archives)
    {
        const QStringList entries =
            QDir(output()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
        int archiveCount = 0;
        for (const QString &name : entries) {
            QVERIFY2(!name.startsWith(QLatin1Char('.')) && !name.endsWith(QStringLiteral(".partial")),
                     qPrintable(name));
            if (name.endsWith(QStringLiteral(".map.json")))
                continue;
            QVERIFY2(name.endsWith(QStringLiteral(".tar.zst")), qPrintable(name));
            QVERIFY2(archives.contains(output() + QLatin1Char('/') + name), qPrintable(name));
            ++archiveCount;
        }
        QCOMPARE(archiveCount, archives.size());
        const QString staging = path(QStringLiteral("cache/diagcollect/staging"));
        const QStringList left = QDir(staging).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(' '))));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QDir().mkpath(path(QStringLiteral("product")));
        QFile log(path(QStringLiteral("product/service.log")));
        QVERIFY(log.open(QIODevice::WriteOnly));
        for (int i = 0; i < 50; ++i)
            log.write("2026-12-07T05:00:00Z service[7]: request " + QByteArray::number(i) + " done\n");
        log.close();
        m_profile = path(QStringLiteral("fleet.json"));
        QFile profile(m_profile);
        QVERIFY(profile.open(QIODevice::WriteOnly));
        profile.write(QStringLiteral(R"({"format_version": 1, "name": "fleet", "items": [
            {"id": "service-log", "kind": "files", "category": "service-logs", "purpose": "the service log",
             "paths": ["%1/service.log"]},
            {"id": "echo", "kind": "command", "category": "os-config", "purpose": "a command",
             "argv": ["/bin/echo", "fleet"], "dest": "misc/echo.txt"}]})")
                          .arg(path(QStringLiteral("product")))
                          .toUtf8());
    }

    void twoHundredBackToBackThenTwoTimesFiftyConcurrent()
    {
        QElapsedTimer clock;
        clock.start();
        QSet<QString> seen;
        const QList<Result> first = runStreams(1, 20);
        checkRuns(first, 20, seen);
#ifdef Q_OS_UNIX
        rusage usage = {};
        ::getrusage(RUSAGE_CHILDREN, &usage);
        const long firstPeakKb = usage.ru_maxrss;
#endif
        const QList<Result> rest = runStreams(1, 180);
        checkRuns(rest, 180, seen);
        checkOutputFolder(seen);
        const qint64 sequentialMs = clock.elapsed();

        const QList<Result> concurrent = runStreams(2, 50);
        checkRuns(concurrent, 100, seen);
        checkOutputFolder(seen);
        QCOMPARE(seen.size(), 300);
#ifdef Q_OS_UNIX
        // Memory stays flat: no run needs more than the first ones did (the
        // output folder and the receipts grow, the runs do not).
        ::getrusage(RUSAGE_CHILDREN, &usage);
        QVERIFY2(
            usage.ru_maxrss <= firstPeakKb * 3 / 2,
            qPrintable(
                QStringLiteral("peak RSS %1 kB after 300 runs, %2 kB after 20").arg(usage.ru_maxrss).arg(firstPeakKb)));
#endif
        qInfo("200 runs back to back in %lld ms, 2 x 50 side by side in %lld ms", sequentialMs,
              clock.elapsed() - sequentialMs);
    }

    // pack names archives like collect: packs of one kept staging folder (the
    // same manifest, so the same time in the name) started together each get
    // their own archive, and a name whose sealed form or map an earlier archive
    // left behind is not taken again.
    void packsStartedTogetherGetNamesOfTheirOwn()
    {
        const QString out = path(QStringLiteral("pack-out"));
        QProcess collect;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_CACHE_HOME"), path(QStringLiteral("cache")));
        env.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("state")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("data")));
        collect.setProcessEnvironment(env);
        collect.start(QStringLiteral(DC_BINARY),
                      {QStringLiteral("collect"), QStringLiteral("--profile"), m_profile, QStringLiteral("--output"),
                       out, QStringLiteral("--keep-staging"), QStringLiteral("--json"), QStringLiteral("--quiet")});
        QVERIFY(collect.waitForFinished(60000));
        QCOMPARE(collect.exitCode(), 0);
        const QJsonObject json = QJsonDocument::fromJson(collect.readAllStandardOutput()).object();
        const QString staging = json.value(QStringLiteral("staging")).toString();
        const QString first = json.value(QStringLiteral("archive")).toString();
        QVERIFY2(QFileInfo(staging).isDir(), qPrintable(staging));
        // The first name now only has what a sealed archive leaves: X.sealed and X.map.json.
        QVERIFY(QFile::rename(first, first + QStringLiteral(".sealed")));
        QVERIFY(QFileInfo::exists(first + QStringLiteral(".map.json")));

        QList<QProcess *> packs;
        for (int i = 0; i < 4; ++i) {
            auto *pack = new QProcess(this);
            pack->setProcessEnvironment(env);
            pack->start(QStringLiteral(DC_BINARY), {QStringLiteral("pack"), staging, QStringLiteral("--output"), out});
            packs.append(pack);
        }
        QSet<QString> names;
        for (QProcess *pack : std::as_const(packs)) {
            QVERIFY(pack->waitForFinished(60000));
            const QByteArray err = pack->readAllStandardError();
            QVERIFY2(pack->exitCode() == 0, err.constData());
            const QString archive = QString::fromUtf8(pack->readAllStandardOutput()).trimmed();
            QVERIFY2(QFileInfo(archive).isFile(), qPrintable(archive));
            QVERIFY2(archive != first, "a name an earlier sealed archive holds was taken again");
            names.insert(archive);
            delete pack;
        }
        QCOMPARE(names.size(), 4);
        const QStringList hidden = QDir(out).entryList({QStringLiteral(".*")}, QDir::Files | QDir::Hidden);
        QVERIFY2(hidden.isEmpty(), qPrintable(hidden.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TestFleetRuns)
#include "test_fleetruns.moc"
