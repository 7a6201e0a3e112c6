// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/manifest.h"
#include "core/bundle/staging.h"
#include "core/collect/collectsession.h"
#include "core/fulllogs/fulllogging.h"
#include "core/util/exitcodes.h"
#include "core/util/paths.h"
#include "core/util/processidentity.h"
#include "tests/core/smalldisk.h"
#include "tests/core/testuser.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

using namespace dc::core;

static int modeOf(const QString &path)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? int(info.st_mode & 07777) : -1;
}

class TestStaging : public QObject
{
    Q_OBJECT

private slots:
    void createsPrivateDirectoryAndRemovesIt()
    {
        QTemporaryDir root;
        QString path;
        {
            auto staging = Staging::create(root.path());
            QVERIFY(staging);
            path = (*staging)->path();
            QVERIFY(QFileInfo(path).isDir());
            QCOMPARE(modeOf(path), 0700);
            QVERIFY(QFileInfo(path).absolutePath() == QDir(root.path()).absolutePath());
            QVERIFY(QFile::exists(path + QStringLiteral(".owner")));
        }
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral(".owner")));
    }

    void keepLeavesItInPlace()
    {
        QTemporaryDir root;
        QString path;
        {
            auto staging = Staging::create(root.path());
            QVERIFY(staging);
            (*staging)->setKeep(true);
            path = (*staging)->path();
        }
        QVERIFY(QFileInfo(path).isDir());
        // Marked as kept: its owner is gone, yet no later start removes it.
        QVERIFY(QFileInfo::exists(path + QStringLiteral(".kept")));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral(".owner")));
        QCOMPARE(Staging::removeStale(root.path()), 0);
        auto next = Staging::create(root.path());
        QVERIFY(next);
        QVERIFY(QFileInfo(path).isDir());
        // Once the user removes the folder, its marker goes at the next start.
        QVERIFY(removeTree(path));
        QCOMPARE(Staging::removeStale(root.path()), 0);
        QVERIFY(!QFileInfo::exists(path + QStringLiteral(".kept")));
    }

    // Issue 16: the owner a marker names is a real process, killed with SIGKILL
    // (no chance to clean up): its folder stays while it lives and goes after.
    void removesStagingOfAProcessKilledWithSigkill()
    {
        QTemporaryDir root;
        QProcess owner;
        owner.start(QStringLiteral("/bin/sleep"), {QStringLiteral("300")});
        QVERIFY(owner.waitForStarted());
        const qint64 pid = owner.processId();
        const QString folder = root.filePath(QStringLiteral("run-20261207T120000-%1-abcdef").arg(pid));
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/service-logs")));
        QFile marker(folder + QStringLiteral(".owner"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.write(QByteArray::number(pid) + ' ' + processidentity::startTime(pid) + '\n');
        marker.close();
        QCOMPARE(Staging::removeStale(root.path()), 0);
        QVERIFY(QFileInfo(folder).isDir());
        owner.kill();
        QVERIFY(owner.waitForFinished(10000));
        QCOMPARE(Staging::removeStale(root.path()), 1);
        QVERIFY(!QFileInfo::exists(folder));
        QVERIFY(!QFileInfo::exists(folder + QStringLiteral(".owner")));
    }

    void removesStagingOfDeadProcessesOnly()
    {
        QTemporaryDir root;
        // Above Linux's pid_max (4194304): this owner cannot be alive.
        const QString stale = root.path() + QStringLiteral("/run-stale");
        QVERIFY(QDir().mkpath(stale + QStringLiteral("/os-config")));
        QFile marker(stale + QStringLiteral(".owner"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.write("2147483000 12345\n");
        marker.close();

        auto live = Staging::create(root.path()); // runs removeStale first
        QVERIFY(live);
        QVERIFY(!QFileInfo::exists(stale));
        QVERIFY(!QFileInfo::exists(stale + QStringLiteral(".owner")));
        QCOMPARE(Staging::removeStale(root.path()), 0); // our own live run stays
        QVERIFY(QFileInfo((*live)->path()).isDir());
    }

    void stagedFileHashesWhatItWrites()
    {
        QTemporaryDir root;
        auto file = StagedFile::create(root.path(), QStringLiteral("os-config/network/ip.txt"));
        QVERIFY(file);
        QVERIFY((*file)->write(QByteArray("hello ")));
        QVERIFY((*file)->write(QByteArray("world\n")));
        auto entry = (*file)->finish(QStringLiteral("ip addr"));
        QVERIFY(entry);
        QCOMPARE(entry->path, QStringLiteral("os-config/network/ip.txt"));
        QCOMPARE(entry->bytes, 12);
        QCOMPARE(entry->sha256, QCryptographicHash::hash("hello world\n", QCryptographicHash::Sha256).toHex());
        QCOMPARE(sha256OfFile(root.path() + QStringLiteral("/os-config/network/ip.txt")), entry->sha256);
        QCOMPARE(modeOf(root.path() + QStringLiteral("/os-config/network")), 0700);
    }

    void stagedFileRefusesToEscape()
    {
        QTemporaryDir root;
        QVERIFY(!StagedFile::create(root.path(), QStringLiteral("../outside.txt")));
        QVERIFY(!StagedFile::create(root.path(), QStringLiteral("a/../../outside.txt")));
        QVERIFY(!StagedFile::create(root.path(), QStringLiteral("/etc/passwd")));
    }

    // Issue 18, item 3: a staging folder without room is refused before anything is
    // collected, and a write that does not fit says why ("No space left on device",
    // not "Unknown error") and in which folder.
    void fullStagingIsRefusedAndReported()
    {
        QTemporaryDir dir;
        dc::test::SmallDisk disk(dir.filePath(QStringLiteral("disk")), QStringLiteral("2m"));
        DC_REQUIRE_SMALL_DISK(disk);
        auto refused = Staging::create(disk.path());
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::NoSpace);
        QVERIFY2(refused.error().message.contains(disk.path()), qPrintable(refused.error().message));

        auto staging = Staging::create(disk.path(), 0);
        QVERIFY(staging);
        QVERIFY((*staging)->writeFailure().isEmpty());
        auto file = StagedFile::create((*staging)->path(), QStringLiteral("os-config/big.bin"));
        QVERIFY(file);
        const QByteArray chunk(256 * 1024, 'x');
        bool written = true;
        for (int i = 0; i < 16 && written; ++i)
            written = (*file)->write(chunk);
        QVERIFY(!written);
        const QString noSpace = QString::fromLocal8Bit(std::strerror(ENOSPC));
        QCOMPARE((*file)->errorString(), noSpace);
        const QString failure = (*staging)->writeFailure();
        QVERIFY2(failure.contains((*staging)->path()) && failure.contains(noSpace), qPrintable(failure));
        (*file)->discard();
    }

    // The run itself fails (exit code 1) when staging filled up while collecting,
    // instead of packaging an archive without the data.
    void sessionFailsWhenStagingFilledUp()
    {
        QTemporaryDir dir;
        dc::test::SmallDisk disk(dir.filePath(QStringLiteral("disk")), QStringLiteral("40m"));
        DC_REQUIRE_SMALL_DISK(disk);
        const QString source = dir.filePath(QStringLiteral("big.log"));
        {
            QFile big(source);
            QVERIFY(big.open(QIODevice::WriteOnly));
            QVERIFY(big.resize(qint64(48) << 20)); // sparse: cheap to make, 48 MB to copy
        }
        auto profile = parseProfile(R"({"format_version": 1, "name": "t", "items": [
            {"id": "big", "kind": "files", "category": "service-logs", "purpose": "p", "max_bytes": 67108864,
             "paths": [")" + QFile::encodeName(source) +
                                        R"("]}]})",
                                    QStringLiteral("t.json"));
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        CollectRequest request;
        request.profile = *profile;
        request.stagingRoot = disk.path();
        auto session = CollectSession::create(request);
        QVERIFY2(session, qPrintable(session ? QString() : session.error().message));
        const RunSummary summary = (*session)->runner()->runBlocking();
        QCOMPARE(summary.items.size(), 1);
        QVERIFY2(summary.items.first().reason.contains(QString::fromLocal8Bit(std::strerror(ENOSPC))),
                 qPrintable(summary.items.first().reason));
        auto finished = (*session)->finishCollection(summary);
        QVERIFY(!finished);
        QCOMPARE(int(exitCodeFor(finished.error().code)), 1);
        QVERIFY2(finished.error().message.contains(disk.path()) &&
                     finished.error().message.contains(QString::fromLocal8Bit(std::strerror(ENOSPC))),
                 qPrintable(finished.error().message));
    }

    void stagedFileNeverOverwrites()
    {
        QTemporaryDir root;
        QVERIFY(StagedFile::create(root.path(), QStringLiteral("a.txt")));
        QVERIFY(!StagedFile::create(root.path(), QStringLiteral("a.txt")));
    }

    // Issue 14, item 9: as root, HOME/XDG_*/DIAGCOLLECT_STATE_DIR (sudo -E) cannot
    // steer staging, state or logs into a folder another user controls; an
    // existing staging folder is checked for owner and mode.
    void rootIgnoresEnvironmentFoldersOthersControl()
    {
        dc::test::TestUser user;
        DC_REQUIRE_TEST_USER(user);
        QTemporaryDir dir;
        const QString owned = dir.filePath(QStringLiteral("user-home"));
        QVERIFY(QDir().mkpath(owned));
        QVERIFY(user.own(owned));
        const QString trusted = dir.filePath(QStringLiteral("root-folder"));
        QVERIFY(QDir().mkpath(trusted));
        const QByteArray saved[] = {qgetenv("XDG_CACHE_HOME"), qgetenv("XDG_STATE_HOME"), qgetenv("XDG_DATA_HOME"),
                                    qgetenv("DIAGCOLLECT_STATE_DIR")};
        const char *names[] = {"XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "DIAGCOLLECT_STATE_DIR"};
        for (const char *name : names)
            qputenv(name, QFile::encodeName(owned + QStringLiteral("/x")));
        QCOMPARE(paths::stagingRoot(), QStringLiteral("/var/cache/diagcollect/staging"));
        QCOMPARE(paths::logDir(), QStringLiteral("/var/log/diagcollect"));
        QCOMPARE(paths::dataDir(), QStringLiteral("/var/lib/diagcollect"));
        QCOMPARE(fullLoggingStateDir(), QStringLiteral("/var/lib/diagcollect"));
        // A folder only root can change is honoured (this is how the tests isolate themselves).
        for (const char *name : names)
            qputenv(name, QFile::encodeName(trusted));
        QCOMPARE(paths::stagingRoot(), trusted + QStringLiteral("/diagcollect/staging"));
        QCOMPARE(fullLoggingStateDir(), trusted);
        for (int i = 0; i < 4; ++i) {
            if (saved[i].isNull())
                qunsetenv(names[i]);
            else
                qputenv(names[i], saved[i]);
        }

        // An existing staging root another user owns, or others may write to, is refused.
        auto refused = Staging::create(owned);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(QStringLiteral("refusing the staging folder")),
                 qPrintable(refused.error().message));
        ::chmod(QFile::encodeName(trusted).constData(), 0777);
        QVERIFY(!Staging::create(trusted));
    }

    // Stale staging is removed by descriptor: a symlink planted inside is not followed.
    void staleStagingRemovalStaysInside()
    {
        QTemporaryDir root;
        QTemporaryDir outside;
        QFile keep(outside.filePath(QStringLiteral("keep")));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.write("keep");
        keep.close();
        const QString stale = root.filePath(QStringLiteral("run-19700101T000000-4194305-000000"));
        QVERIFY(QDir().mkpath(stale));
        QVERIFY(QFile::link(outside.path(), stale + QStringLiteral("/escape")));
        QFile marker(stale + QStringLiteral(".owner"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.write("4194305 1\n");
        marker.close();
        QCOMPARE(Staging::removeStale(root.path()), 1);
        QVERIFY(!QFileInfo::exists(stale));
        QVERIFY(QFileInfo::exists(outside.filePath(QStringLiteral("keep"))));
    }

    void manifestRoundTrips()
    {
        Manifest manifest;
        manifest.toolVersion = QStringLiteral("1.2.3");
        manifest.profileName = QStringLiteral("default");
        manifest.host = QStringLiteral("box");
        manifest.caseId = QStringLiteral("CASE-1");
        manifest.started = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
        manifest.finished = manifest.started.addSecs(2);
        ItemResult item;
        item.id = QStringLiteral("hosts");
        item.category = Category::OsConfig;
        item.purpose = QStringLiteral("why");
        item.source = {QStringLiteral("/etc/hosts")};
        item.status = Status::Truncated;
        item.reason = QStringLiteral("cut");
        item.files.append(FileEntry{QStringLiteral("os-config/hosts"), QStringLiteral("/etc/hosts"), 10,
                                    QByteArray(64, 'a'), Status::Truncated, QStringLiteral("cut"), true});
        item.skippedFiles.append(FileEntry{QString(),
                                           QStringLiteral("/etc/shadow"),
                                           0,
                                           {},
                                           Status::Skipped,
                                           QStringLiteral("permission denied"),
                                           true});
        manifest.items.append(item);

        auto parsed = Manifest::fromJson(manifest.toJson());
        QVERIFY(parsed);
        QCOMPARE(parsed->toJson(), manifest.toJson());
        QCOMPARE(parsed->items.first().skippedFiles.first().reason, QStringLiteral("permission denied"));
        QCOMPARE(parsed->totals().truncated, 1);
        QCOMPARE(parsed->bytesIn(Category::OsConfig), 10);
        QVERIFY(!Manifest::fromJson("{\"format\": \"other\"}"));
        QVERIFY(!Manifest::fromJson("not json"));
    }
};

QTEST_GUILESS_MAIN(TestStaging)
#include "test_staging.moc"
