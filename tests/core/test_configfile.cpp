// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/policy/policy.h"
#include "core/profile/profile.h"
#include "core/util/configfile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace dc::core;

// Issue 18, item 7: profile and policy files are read only when they are regular
// files of a bounded size; /dev/zero grew memory without end, a FIFO blocked forever.
class TestConfigFile : public QObject
{
    Q_OBJECT

private slots:
    void readsARegularFile()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("p.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{}\n");
        file.close();
        auto bytes = readConfigFile(file.fileName(), 1024);
        QVERIFY(bytes);
        QCOMPARE(*bytes, QByteArray("{}\n"));
        QVERIFY(readConfigFile(QStringLiteral(":/profiles/default.json"), 16 << 20));
    }

    void refusesDevicesFifosAndFolders()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QElapsedTimer clock;
        clock.start();
        const struct
        {
            QString path;
            QString kind;
        } cases[] = {{QStringLiteral("/dev/zero"), QStringLiteral("character device")},
                     {fifo, QStringLiteral("FIFO")},
                     {dir.path(), QStringLiteral("folder")}};
        for (const auto &c : cases) {
            auto profile = loadProfile(c.path);
            QVERIFY(!profile);
            QCOMPARE(profile.error().code, ErrorCode::Profile);
            QCOMPARE(profile.error().message, c.path + QStringLiteral(": not a regular file (%1)").arg(c.kind));
            auto policy = loadPolicy(c.path);
            QVERIFY(!policy);
            QCOMPARE(policy.error().code, ErrorCode::Profile);
            QVERIFY2(policy.error().message.contains(QStringLiteral("not a regular file (%1)").arg(c.kind)),
                     qPrintable(policy.error().message));
        }
        QVERIFY2(clock.elapsed() < 2000, "a non-regular file was read or waited for");
    }

    void refusesLargeFilesBeforeReading()
    {
        QTemporaryDir dir;
        QFile big(dir.filePath(QStringLiteral("big.json")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(qint64(1) << 40)); // sparse: 1 TiB that would take hours to read
        big.close();
        QElapsedTimer clock;
        clock.start();
        auto profile = loadProfile(big.fileName());
        QVERIFY(!profile);
        QCOMPARE(profile.error().message, big.fileName() + QStringLiteral(": larger than 16 MiB"));
        auto policy = loadPolicy(big.fileName());
        QVERIFY(!policy);
        QVERIFY2(policy.error().message.endsWith(QStringLiteral(": larger than 4 MiB")),
                 qPrintable(policy.error().message));
        QVERIFY(clock.elapsed() < 2000);
    }
};

QTEST_GUILESS_MAIN(TestConfigFile)
#include "test_configfile.moc"
