// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/retention/retention.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace dc::core;

class TestRetention : public QObject
{
    Q_OBJECT

    QDateTime m_now = QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC);

    void makeFile(const QString &path, int ageDays)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x");
        file.flush();
        QVERIFY(file.setFileTime(m_now.addDays(-ageDays).addSecs(-60), QFileDevice::FileModificationTime));
    }

private slots:
    void namesOfToolArchives()
    {
        QVERIFY(isToolArchiveName(QStringLiteral("diagcollect-box-20261101T100000Z.tar.zst")));
        QVERIFY(isToolArchiveName(QStringLiteral("diagcollect-box-42-20261101T100000Z.zip")));
        QVERIFY(isToolArchiveName(QStringLiteral("diagcollect-box-20261101T100000Z.tar.zst.sealed")));
        QVERIFY(!isToolArchiveName(QStringLiteral("diagcollect-box.tar.gz")));
        QVERIFY(!isToolArchiveName(QStringLiteral("holiday.zip")));
        QVERIFY(!isToolArchiveName(QStringLiteral("diagcollect-.zip")));
        QCOMPARE(
            pseudonymMapNamesFor(QStringLiteral("diagcollect-a.tar.zst")),
            QStringList({QStringLiteral("diagcollect-a.tar.zst.map.json"), QStringLiteral("diagcollect-a.map.json")}));
    }

    void removesOldArchivesWithTheirMapsOnly()
    {
        QTemporaryDir dir;
        const QString d = dir.path() + QLatin1Char('/');
        makeFile(d + QStringLiteral("diagcollect-box-old.tar.zst"), 20);
        makeFile(d + QStringLiteral("diagcollect-box-old.tar.zst.map.json"), 1); // expires with its archive
        makeFile(d + QStringLiteral("diagcollect-box-oldzip.zip"), 15);
        makeFile(d + QStringLiteral("diagcollect-box-oldzip.map.json"), 15);
        makeFile(d + QStringLiteral("diagcollect-box-sealed.tar.zst.sealed"), 30);
        makeFile(d + QStringLiteral("diagcollect-box-new.tar.zst"), 2);
        makeFile(d + QStringLiteral("diagcollect-box-new.tar.zst.map.json"), 40); // kept: its archive is kept
        makeFile(d + QStringLiteral("diagcollect-orphan.map.json"), 20);          // archive gone: own age
        makeFile(d + QStringLiteral("diagcollect-orphan-new.map.json"), 3);
        makeFile(d + QStringLiteral("holiday.zip"), 100);                  // not ours
        makeFile(d + QStringLiteral("diagcollect-notes.txt"), 100);        // not ours
        QVERIFY(QDir().mkpath(d + QStringLiteral("diagcollect-dir.zip"))); // a directory, not ours
        QVERIFY(QFile::link(d + QStringLiteral("holiday.zip"), d + QStringLiteral("diagcollect-link.zip")));

        RetentionOptions options;
        options.days = 14;
        options.now = m_now;
        auto report = expireArchives(dir.path(), options);
        QVERIFY(report);
        QVERIFY2(report->failed.isEmpty(), qPrintable(report->failed.join(QLatin1Char('\n'))));
        QStringList removed;
        for (const QString &path : report->removed)
            removed.append(QFileInfo(path).fileName());
        removed.sort();
        QCOMPARE(removed, QStringList({QStringLiteral("diagcollect-box-old.tar.zst"),
                                       QStringLiteral("diagcollect-box-old.tar.zst.map.json"),
                                       QStringLiteral("diagcollect-box-oldzip.map.json"),
                                       QStringLiteral("diagcollect-box-oldzip.zip"),
                                       QStringLiteral("diagcollect-box-sealed.tar.zst.sealed"),
                                       QStringLiteral("diagcollect-orphan.map.json")}));
        for (const QString &name : removed)
            QVERIFY2(!QFileInfo::exists(d + name), qPrintable(name));
        for (const char *kept :
             {"diagcollect-box-new.tar.zst", "diagcollect-box-new.tar.zst.map.json", "diagcollect-orphan-new.map.json",
              "holiday.zip", "diagcollect-notes.txt", "diagcollect-dir.zip", "diagcollect-link.zip"})
            QVERIFY2(QFileInfo(d + QLatin1String(kept)).exists() || QFileInfo(d + QLatin1String(kept)).isSymLink(),
                     kept);
    }

    void dryRunAndDisabled()
    {
        QTemporaryDir dir;
        const QString old = dir.path() + QStringLiteral("/diagcollect-x.zip");
        makeFile(old, 30);
        RetentionOptions options;
        options.now = m_now;
        options.dryRun = true;
        auto report = expireArchives(dir.path(), options);
        QVERIFY(report);
        QCOMPARE(report->removed.size(), 1);
        QVERIFY(QFileInfo::exists(old));
        options.dryRun = false;
        options.days = 0; // keep everything
        report = expireArchives(dir.path(), options);
        QVERIFY(report && report->removed.isEmpty());
        QVERIFY(QFileInfo::exists(old));
        QVERIFY(expireArchives(dir.path() + QStringLiteral("/missing"), options));
    }
};

QTEST_GUILESS_MAIN(TestRetention)
#include "test_retention.moc"
