// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/archive.h"
#include "core/bundle/partialfiles.h"
#include "core/retention/retention.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace dc::core;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Another process holding the writer's lock on path, as a packaging run does.
class LockHolder
{
public:
    explicit LockHolder(const QString &path)
    {
        // One process: the shell takes the lock on fd 9 and becomes sleep, so the
        // lock goes exactly when that process dies.
        m_process.start(QStringLiteral("/bin/sh"),
                        {QStringLiteral("-c"), QStringLiteral("exec 9>>\"$1\" && flock 9 && exec sleep 300"),
                         QStringLiteral("sh"), path});
    }
    ~LockHolder() { killOutright(); }
    bool startedAndHolding(const QString &path)
    {
        if (!m_process.waitForStarted(5000))
            return false;
        for (int i = 0; i < 500; ++i) {
            // flock -n fails (exit 1) while the lock is held.
            if (QProcess::execute(QStringLiteral("flock"), {QStringLiteral("-n"), path, QStringLiteral("true")}) == 1)
                return true;
            QTest::qWait(10);
        }
        return false;
    }
    // Like `kill -9` of a run in the middle of packaging.
    void killOutright()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(5000);
    }

private:
    QProcess m_process;
};

} // namespace

// Issue 18, item 6: `kill -9` during packaging left ".diagcollect-….partial" in the
// output folder forever. The next run and retention remove a partial whose
// writer is gone, and never a live run's.
class TestPartialFiles : public QObject
{
    Q_OBJECT

private slots:
    void namesOfPartialArchives()
    {
        QVERIFY(isPartialArchiveName(QStringLiteral(".diagcollect-box-20261101T100000Z.tar.zst.partial")));
        QVERIFY(isPartialArchiveName(QStringLiteral(".diagcollect-box-20261101T100000Z-2.zip.partial")));
        QVERIFY(!isPartialArchiveName(QStringLiteral(".diagcollect-box.tar.zst.sealed.partial")));
        QVERIFY(!isPartialArchiveName(QStringLiteral("diagcollect-box.tar.zst.partial")));
        QVERIFY(!isPartialArchiveName(QStringLiteral(".notes.zip.partial")));
    }

    void deadWritersPartialIsRemovedLiveOneKept()
    {
        QTemporaryDir dir;
        const QString partial = dir.filePath(QStringLiteral(".diagcollect-box-20261101T100000Z.tar.zst.partial"));
        QVERIFY(writeFile(partial, QByteArray(4096, 'z')));
        LockHolder writer(partial);
        QVERIFY2(writer.startedAndHolding(partial), "flock(1) could not hold the lock");
        QVERIFY(removeStalePartials(dir.path()).isEmpty());
        QVERIFY(QFileInfo::exists(partial));
        auto live = expireArchives(dir.path(), RetentionOptions{.days = 1});
        QVERIFY(live);
        QVERIFY(live->removed.isEmpty());
        QVERIFY(QFileInfo::exists(partial));

        writer.killOutright();
        auto dryRun = expireArchives(dir.path(), RetentionOptions{.days = 1, .dryRun = true});
        QVERIFY(dryRun);
        QCOMPARE(dryRun->removed, QStringList{partial});
        QVERIFY(QFileInfo::exists(partial));
        auto report = expireArchives(dir.path(), RetentionOptions{.days = 1});
        QVERIFY(report);
        QCOMPARE(report->removed, QStringList{partial});
        QVERIFY(!QFileInfo::exists(partial));
    }

    void linksFoldersAndFreshEmptyFilesAreLeftAlone()
    {
        QTemporaryDir dir;
        QTemporaryDir outside;
        const QString target = outside.filePath(QStringLiteral("precious"));
        QVERIFY(writeFile(target, "keep"));
        const QString link = dir.filePath(QStringLiteral(".diagcollect-a.tar.zst.partial"));
        QVERIFY(QFile::link(target, link));
        const QString folder = dir.filePath(QStringLiteral(".diagcollect-b.zip.partial"));
        QVERIFY(QDir().mkpath(folder));
        const QString fresh = dir.filePath(QStringLiteral(".diagcollect-c.zip.partial"));
        QVERIFY(writeFile(fresh, QByteArray()));
        const QString other = dir.filePath(QStringLiteral("notes.partial"));
        QVERIFY(writeFile(other, "mine"));
        QVERIFY(removeStalePartials(dir.path()).isEmpty());
        QVERIFY(QFileInfo(link).isSymLink());
        QVERIFY(QFileInfo::exists(target));
        QVERIFY(QFileInfo(folder).isDir());
        QVERIFY(QFileInfo::exists(fresh));
        QVERIFY(QFileInfo::exists(other));
    }

    // The next packaging run clears a dead run's partial, while its own partial
    // (locked while it is written and checked) survives the same sweep.
    void packagingRemovesDeadPartialsNotItsOwn()
    {
        QTemporaryDir dir;
        const QString staging = dir.filePath(QStringLiteral("staging"));
        QVERIFY(writeFile(staging + QStringLiteral("/os-config/hosts"), "127.0.0.1 localhost\n"));
        const QString output = dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(output));
        const QString dead = output + QStringLiteral("/.diagcollect-box-20261101T100000Z.tar.zst.partial");
        QVERIFY(writeFile(dead, QByteArray(8192, 'd')));

        PackageOptions options;
        options.topDir = QStringLiteral("diagcollect-box-20261102T100000Z");
        options.entryTime = QDateTime(QDate(2026, 11, 2), QTime(10, 0), Qt::UTC);
        QStringList sweptWhileWriting;
        QString ownPartial;
        options.beforeCommit = [&](const QString &temporary) -> Result<void> {
            ownPartial = temporary;
            sweptWhileWriting = removeStalePartials(output);
            return {};
        };
        auto packaged =
            packageDirectory(staging, output + QStringLiteral("/diagcollect-box-20261102T100000Z.tar.zst"), options);
        QVERIFY2(packaged, qPrintable(packaged ? QString() : packaged.error().message));
        QVERIFY(!QFileInfo::exists(dead));
        QVERIFY(sweptWhileWriting.isEmpty()); // its own partial was locked
        QVERIFY(!ownPartial.isEmpty());
        QVERIFY(QFileInfo::exists(packaged->path));
        QCOMPARE(QDir(output).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("diagcollect-box-20261102T100000Z.tar.zst")});
    }
};

QTEST_GUILESS_MAIN(TestPartialFiles)
#include "test_partialfiles.moc"
