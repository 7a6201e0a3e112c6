// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/processidentity.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

using namespace dc::core;

class TestProcessIdentity : public QObject
{
    Q_OBJECT

private slots:
    void ownProcessIsAlive()
    {
        const qint64 self = QCoreApplication::applicationPid();
        QVERIFY(processidentity::isAlive(self, {}));
        QVERIFY(processidentity::isAlive(self, processidentity::startTime(self)));
        QVERIFY(processidentity::isAlive(self, processidentity::startTime(self), processidentity::currentBootId()));
    }

    void noPidIsNotAlive()
    {
        QVERIFY(!processidentity::isAlive(0, {}));
        QVERIFY(!processidentity::isAlive(-1, {}));
    }

    void startTimeIsStable()
    {
#ifdef Q_OS_MACOS
        QSKIP("no start time on macOS");
#endif
        const qint64 self = QCoreApplication::applicationPid();
        const QByteArray first = processidentity::startTime(self);
        QVERIFY(!first.isEmpty());
        QCOMPARE(processidentity::startTime(self), first);
    }

    // A pid reused by a later process is not the recorded owner.
    void otherStartTimeIsNotAlive()
    {
#ifdef Q_OS_MACOS
        QSKIP("no start time on macOS");
#endif
        const qint64 self = QCoreApplication::applicationPid();
        const QByteArray other = processidentity::startTime(self) + '0';
        QVERIFY(!processidentity::isAlive(self, other));
    }

    // An owner recorded during an earlier boot is gone, whatever runs under its pid now.
    void otherBootIsNotAlive()
    {
        const QByteArray boot = processidentity::currentBootId();
#ifdef Q_OS_LINUX
        QVERIFY(!boot.isEmpty());
#endif
        const qint64 self = QCoreApplication::applicationPid();
        QVERIFY(!processidentity::isAlive(self, {}, boot + "-earlier"));
    }

    void exitedProcessIsNotAlive()
    {
        QProcess child;
#ifdef Q_OS_WIN
        child.start(QStringLiteral("cmd.exe"), {QStringLiteral("/c"), QStringLiteral("exit")});
#else
        child.start(QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
#endif
        QVERIFY(child.waitForStarted());
        const qint64 pid = child.processId();
        const QByteArray started = processidentity::startTime(pid);
#ifndef Q_OS_WIN
        QVERIFY(processidentity::isAlive(pid, started));
        child.kill();
#endif
        QVERIFY(child.waitForFinished());
        QVERIFY(!processidentity::isAlive(pid, started));
    }
};

QTEST_GUILESS_MAIN(TestProcessIdentity)
#include "test_processidentity.moc"
