// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collect/collector.h"
#include "core/collectors/commandcollector.h"
#include "tests/support/asnobody.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace dc::core;

namespace {

#ifdef Q_OS_UNIX
using dc::test::AsNobody;
using dc::test::kNobody;

// Dead: no such process, or a zombie its (new) parent has not reaped yet.
bool processGone(qint64 pid)
{
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return true;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && line.size() > close + 2 && line.at(close + 2) == 'Z';
}
#else
class AsNobody
{
};
#endif

} // namespace

class TestCommandCollector : public QObject
{
    Q_OBJECT

public:
    static void initMain();

private slots:
    void init();
    void cleanup();

    void echoOutputAndDigest();
    void programIsLookedUpInPath();
    void neverAShell();
    void stderrIsNotInOutput();
    void missingProgram();
    void needsAdmin();
    void timeoutKillsProcessTree();
    void timeoutKeepsOutputSoFar();
    void outputCapOnEndlessWriter();
    void nonZeroExit();
    void noDataExitCodeIsASkip();
    void variablesInArgvAreExpanded();
    void permissionDeniedWithoutRights();
    void killedBySignal();
    void environmentApplied();
    void stdinIsClosed();
    void emptyOutputIsCollected();
    void cancelFromAnotherThread();
    void commandDiesWithCollector();
    void timeoutKillsSetsidGrandchild();
    void exitedCommandLeavesNoSetsidChild();
    void setsidChildDiesWithCollector();

private:
    ItemSpec item(const QStringList &argv) const;
    ItemResult collect(const ItemSpec &spec);
    QByteArray stagedContent(const FileEntry &entry) const;
    int filesInStaging() const;
    void makeStagingWorldWritable();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_staging;
    Profile m_profile;
    std::atomic_bool m_cancel{false};
};

// Helper mode for commandDiesWithCollector(): this binary, started with these
// variables, collects a hung command until it is killed.
void TestCommandCollector::initMain()
{
    const QString staging = qEnvironmentVariable("DC_TEST_HELPER_STAGING");
    const QString pidFile = qEnvironmentVariable("DC_TEST_HELPER_PIDFILE");
    if (staging.isEmpty() || pidFile.isEmpty())
        return;
    Profile profile;
    std::atomic_bool cancel{false};
    CollectContext ctx(staging, profile, cancel);
    ItemSpec spec;
    spec.id = QStringLiteral("hung");
    spec.kind = ItemKind::Command;
    const QString script =
        qEnvironmentVariable("DC_TEST_HELPER_SCRIPT", QStringLiteral("echo $$ > '%1'; exec sleep 300").arg(pidFile));
    spec.command.argv = {QStringLiteral("/bin/sh"), QStringLiteral("-c"), script};
    spec.command.timeoutMs = 600000;
    CommandCollector().collect(spec, ctx);
    std::_Exit(0);
}

void TestCommandCollector::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_staging = m_dir->path() + QStringLiteral("/staging");
    QVERIFY(QDir().mkpath(m_staging));
    m_cancel = false;
}

void TestCommandCollector::cleanup() { m_dir.reset(); }

ItemSpec TestCommandCollector::item(const QStringList &argv) const
{
    ItemSpec spec;
    spec.id = QStringLiteral("cmd");
    spec.title = QStringLiteral("Command");
    spec.kind = ItemKind::Command;
    spec.category = Category::OsConfig;
    spec.maxBytes = 1024 * 1024;
    spec.command.argv = argv;
    spec.command.timeoutMs = 60000;
    return spec;
}

ItemResult TestCommandCollector::collect(const ItemSpec &spec)
{
    CollectContext ctx(m_staging, m_profile, m_cancel);
    CommandCollector collector;
    return collector.collect(spec, ctx);
}

QByteArray TestCommandCollector::stagedContent(const FileEntry &entry) const
{
    QFile file(m_staging + QLatin1Char('/') + entry.path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray("<missing>");
    return file.readAll();
}

int TestCommandCollector::filesInStaging() const
{
    int count = 0;
    QDirIterator it(m_staging, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

void TestCommandCollector::makeStagingWorldWritable()
{
#ifdef Q_OS_UNIX
    if (::geteuid() == 0) {
        QVERIFY(::chmod(QFile::encodeName(m_dir->path()).constData(), 0755) == 0);
        QVERIFY(::chown(QFile::encodeName(m_staging).constData(), kNobody, kNobody) == 0);
    }
#endif
}

void TestCommandCollector::echoOutputAndDigest()
{
    ItemSpec spec = item({QStringLiteral("/bin/echo"), QStringLiteral("hello"), QStringLiteral("world")});
    spec.redactable = false;
    const ItemResult result = collect(spec);
    QCOMPARE(result.status, Status::Collected);
    QVERIFY(result.reason.isEmpty());
    QCOMPARE(result.files.size(), 1);
    const FileEntry &file = result.files.first();
    QCOMPARE(file.path, QStringLiteral("os-config/cmd.txt"));
    QCOMPARE(file.source, QStringLiteral("/bin/echo hello world"));
    QCOMPARE(stagedContent(file), QByteArray("hello world\n"));
    QCOMPARE(file.bytes, qint64(12));
    QCOMPARE(file.sha256, QCryptographicHash::hash("hello world\n", QCryptographicHash::Sha256).toHex());
    QVERIFY(!file.redactable);
    QCOMPARE(result.source, spec.command.argv);
    QVERIFY(result.started.isValid() && result.started <= result.finished);
    QCOMPARE(result.finished.timeSpec(), Qt::UTC);
}

void TestCommandCollector::programIsLookedUpInPath()
{
    const ItemResult result = collect(item({QStringLiteral("echo"), QStringLiteral("found")}));
    QCOMPARE(result.status, Status::Collected);
    QCOMPARE(stagedContent(result.files.first()), QByteArray("found\n"));
}

void TestCommandCollector::neverAShell()
{
    const ItemResult result = collect(
        item({QStringLiteral("/bin/echo"), QStringLiteral("$HOME"), QStringLiteral("a;b"), QStringLiteral("*")}));
    QCOMPARE(stagedContent(result.files.first()), QByteArray("$HOME a;b *\n"));
}

void TestCommandCollector::stderrIsNotInOutput()
{
    const ItemResult result =
        collect(item({QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("echo out; echo err >&2")}));
    QCOMPARE(result.status, Status::Collected);
    QCOMPARE(stagedContent(result.files.first()), QByteArray("out\n"));
}

void TestCommandCollector::missingProgram()
{
    for (const QString &program :
         {QStringLiteral("dc-no-such-program-4711"), QStringLiteral("/nonexistent/bin/tool")}) {
        const ItemResult result = collect(item({program, QStringLiteral("--version")}));
        QCOMPARE(result.status, Status::Skipped);
        QCOMPARE(result.reason, QStringLiteral("not installed"));
        QVERIFY(result.files.isEmpty());
    }
    QCOMPARE(filesInStaging(), 0);
}

void TestCommandCollector::needsAdmin()
{
    const QString marker = m_dir->path() + QStringLiteral("/ran");
    ItemSpec spec = item({QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("touch '%1'").arg(marker)});
    spec.needsAdmin = true;
    ItemResult result;
    {
        AsNobody nobody;
        result = collect(spec);
    }
    QCOMPARE(result.status, Status::Skipped);
    QCOMPARE(result.reason, QStringLiteral("needs administrator rights"));
    QVERIFY(!QFile::exists(marker)); // not even started
    QCOMPARE(filesInStaging(), 0);
}

void TestCommandCollector::timeoutKillsProcessTree()
{
#ifdef Q_OS_UNIX
    const QString pidFile = m_dir->path() + QStringLiteral("/grandchild.pid");
    ItemSpec spec = item({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                          QStringLiteral("sleep 300 & echo $! > '%1'; sleep 300").arg(pidFile)});
    spec.command.timeoutMs = 1000;
    QElapsedTimer timer;
    timer.start();
    const ItemResult result = collect(spec);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(result.status, Status::Failed);
    QCOMPARE(result.reason, QStringLiteral("timed out after 1 s"));
    QCOMPARE(filesInStaging(), 0);

    QFile file(pidFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const qint64 pid = file.readAll().trimmed().toLongLong();
    QVERIFY(pid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000);
#else
    QSKIP("uses /bin/sh");
#endif
}

void TestCommandCollector::timeoutKeepsOutputSoFar()
{
    ItemSpec spec = item({QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("echo partial; sleep 300")});
    spec.command.timeoutMs = 1500;
    QElapsedTimer timer;
    timer.start();
    const ItemResult result = collect(spec);
    QVERIFY(timer.elapsed() < 10000);
    QCOMPARE(result.status, Status::Truncated);
    QCOMPARE(result.reason, QStringLiteral("timed out after 1.5 s"));
    QCOMPARE(result.files.size(), 1);
    QCOMPARE(result.files.first().status, Status::Truncated);
    QCOMPARE(stagedContent(result.files.first()), QByteArray("partial\n"));
}

void TestCommandCollector::outputCapOnEndlessWriter()
{
    ItemSpec spec = item({QStringLiteral("yes")});
    spec.maxBytes = 100001; // odd: the cap cuts "y\n" in half
    QElapsedTimer timer;
    timer.start();
    const ItemResult result = collect(spec);
    QVERIFY(timer.elapsed() < 10000);
    QCOMPARE(result.status, Status::Truncated);
    QCOMPARE(result.reason, QStringLiteral("output capped at 100001 bytes"));
    QCOMPARE(result.files.size(), 1);
    const QByteArray content = stagedContent(result.files.first());
    QCOMPARE(content.size(), 100001);
    QCOMPARE(result.files.first().bytes, qint64(100001));
    QCOMPARE(content, QByteArray("y\n").repeated(50001).left(100001));
    QCOMPARE(result.files.first().sha256, QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

void TestCommandCollector::nonZeroExit()
{
    const ItemResult withOutput = collect(item({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                                                QStringLiteral("echo out; echo first >&2; echo 'oops failed' >&2; "
                                                               "exit 3")}));
    QCOMPARE(withOutput.status, Status::Collected);
    QCOMPARE(withOutput.reason, QStringLiteral("exit status 3: oops failed"));
    QCOMPARE(stagedContent(withOutput.files.first()), QByteArray("out\n"));

    QVERIFY(QDir(m_staging).removeRecursively() && QDir().mkpath(m_staging));
    const ItemResult without = collect(
        item({QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("echo 'no such widget' >&2; exit 4")}));
    QCOMPARE(without.status, Status::Failed);
    QCOMPARE(without.reason, QStringLiteral("exit status 4: no such widget"));
    QVERIFY(without.files.isEmpty());
    QCOMPARE(filesInStaging(), 0);
}

void TestCommandCollector::noDataExitCodeIsASkip()
{
    ItemSpec spec = item(
        {QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("echo 'No coredumps found.' >&2; exit 1")});
    spec.command.noDataExitCodes = {1};
    const ItemResult nothing = collect(spec);
    QCOMPARE(nothing.status, Status::Skipped);
    QCOMPARE(nothing.reason, QStringLiteral("nothing to report (exit status 1: No coredumps found.)"));
    QCOMPARE(filesInStaging(), 0);

    // Another exit code, or output despite the code, is not "nothing to report".
    spec.command.argv = {QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("exit 2")};
    QCOMPARE(collect(spec).status, Status::Failed);
    spec.command.argv = {QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("echo partial; exit 1")};
    QVERIFY(QDir(m_staging).removeRecursively() && QDir().mkpath(m_staging));
    QCOMPARE(collect(spec).status, Status::Collected);
}

void TestCommandCollector::variablesInArgvAreExpanded()
{
    m_profile.variables.insert(QStringLiteral("GREETING"), QStringLiteral("hello"));
    const QString script = m_dir->path() + QStringLiteral("/tool.sh");
    QFile file(script);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("#!/bin/sh\necho \"$1 from tool\"\n");
    file.close();
    QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    m_profile.variables.insert(QStringLiteral("TOOL_DIR"), m_dir->path());
    const ItemResult result = collect(item({QStringLiteral("${TOOL_DIR}/tool.sh"), QStringLiteral("${GREETING}")}));
    m_profile.variables.clear();
    QCOMPARE(result.status, Status::Collected);
    QCOMPARE(stagedContent(result.files.first()), QByteArray("hello from tool\n"));
    QVERIFY(result.files.first().source.startsWith(m_dir->path()));
}

void TestCommandCollector::permissionDeniedWithoutRights()
{
    makeStagingWorldWritable();
    const ItemSpec spec = item({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                                QStringLiteral("echo 'reading config' >&2; "
                                               "echo 'cat: /etc/secret: Permission denied' >&2; exit 1")});
    ItemResult result;
    {
        AsNobody nobody;
        result = collect(spec);
    }
    QCOMPARE(result.status, Status::Skipped);
    QCOMPARE(result.reason, QStringLiteral("needs administrator rights (cat: /etc/secret: Permission denied)"));
    QCOMPARE(filesInStaging(), 0);
}

void TestCommandCollector::killedBySignal()
{
    const ItemResult result =
        collect(item({QStringLiteral("/bin/sh"), QStringLiteral("-c"), QStringLiteral("kill -KILL $$")}));
    QCOMPARE(result.status, Status::Failed);
    QCOMPARE(result.reason, QStringLiteral("killed by signal 9"));
}

void TestCommandCollector::environmentApplied()
{
    ItemSpec spec = item({QStringLiteral("env")});
    spec.command.env.insert(QStringLiteral("DC_TEST_VALUE"), QStringLiteral("hello there"));
    spec.command.env.insert(QStringLiteral("TERM"), QStringLiteral("vt100")); // the item wins
    const ItemResult result = collect(spec);
    QCOMPARE(result.status, Status::Collected);
    const QList<QByteArray> lines = stagedContent(result.files.first()).split('\n');
    for (const char *expected : {"LC_ALL=C.UTF-8", "PAGER=cat", "SYSTEMD_PAGER=", "SYSTEMD_COLORS=0", "NO_COLOR=1",
                                 "TERM=vt100", "DC_TEST_VALUE=hello there"})
        QVERIFY2(lines.contains(QByteArray(expected)), expected);
    QVERIFY(!lines.contains(QByteArray("TERM=dumb")));
}

void TestCommandCollector::stdinIsClosed()
{
    QElapsedTimer timer;
    timer.start();
    // cat reads stdin until end of file: it returns at once only if stdin is the null device.
    const ItemResult result = collect(item({QStringLiteral("cat")}));
    QVERIFY(timer.elapsed() < 10000);
    QCOMPARE(result.status, Status::Collected);
    QCOMPARE(result.files.size(), 1);
    QCOMPARE(result.files.first().bytes, qint64(0));
}

void TestCommandCollector::emptyOutputIsCollected()
{
    const ItemResult result = collect(item({QStringLiteral("true")}));
    QCOMPARE(result.status, Status::Collected);
    QVERIFY(result.reason.isEmpty());
    QCOMPARE(result.files.size(), 1);
    QCOMPARE(result.files.first().bytes, qint64(0));
    QVERIFY(QFile::exists(m_staging + QStringLiteral("/os-config/cmd.txt")));
    QCOMPARE(result.files.first().sha256, QCryptographicHash::hash(QByteArray(), QCryptographicHash::Sha256).toHex());
}

void TestCommandCollector::cancelFromAnotherThread()
{
#ifdef Q_OS_UNIX
    const QString pidFile = m_dir->path() + QStringLiteral("/child.pid");
    ItemSpec spec = item({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                          QStringLiteral("echo started; echo $$ > '%1'; exec sleep 300").arg(pidFile)});
    spec.command.timeoutMs = 120000;
    std::atomic_bool done{false};
    std::thread canceller([&] {
        // Cancel once the command is surely running.
        while (!done && !QFile::exists(pidFile))
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        m_cancel = true;
    });
    QElapsedTimer timer;
    timer.start();
    const ItemResult result = collect(spec);
    done = true;
    canceller.join();
    QVERIFY(timer.elapsed() < 10000);
    QCOMPARE(result.status, Status::Skipped);
    QCOMPARE(result.reason, QStringLiteral("cancelled"));
    QVERIFY(result.files.isEmpty());
    QCOMPARE(filesInStaging(), 0);
    QFile file(pidFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const qint64 pid = file.readAll().trimmed().toLongLong();
    QVERIFY(pid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000);
#else
    QSKIP("uses /bin/sh");
#endif
}

void TestCommandCollector::commandDiesWithCollector()
{
#ifdef Q_OS_LINUX
    // diagcollect killed outright (SIGKILL, OOM killer) must not leave a hung
    // command running with nobody to enforce its timeout.
    const QString pidFile = m_dir->path() + QStringLiteral("/hung.pid");
    QProcess helper;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DC_TEST_HELPER_STAGING"), m_staging);
    env.insert(QStringLiteral("DC_TEST_HELPER_PIDFILE"), pidFile);
    helper.setProcessEnvironment(env);
    helper.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(helper.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(pidFile).size() > 0, 20000);
    QFile file(pidFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const qint64 pid = file.readAll().trimmed().toLongLong();
    QVERIFY(pid > 0);
    QVERIFY(!processGone(pid));
    helper.kill();
    QVERIFY(helper.waitForFinished(10000));
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000);
#else
    QSKIP("PR_SET_PDEATHSIG is Linux-only");
#endif
}

#ifdef Q_OS_LINUX
namespace {
qint64 pidIn(const QString &pidFile)
{
    QFile file(pidFile);
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toLongLong() : 0;
}
} // namespace
#endif

// Issue 18, item 5: a grandchild that starts its own session (setsid) left the
// command's process group, so the group kill at the timeout missed it and it was
// orphaned to PID 1. The command's supervisor is its subreaper and kills it.
void TestCommandCollector::timeoutKillsSetsidGrandchild()
{
#ifdef Q_OS_LINUX
    const QString pidFile = m_dir->path() + QStringLiteral("/escaped.pid");
    ItemSpec spec =
        item({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
              QStringLiteral("setsid /bin/sh -c 'echo $$ > \"%1\"; exec sleep 300' & sleep 300").arg(pidFile)});
    spec.command.timeoutMs = 1000;
    QElapsedTimer timer;
    timer.start();
    const ItemResult result = collect(spec);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(result.reason, QStringLiteral("timed out after 1 s"));
    const qint64 pid = pidIn(pidFile);
    QVERIFY(pid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000);
#else
    QSKIP("the subreaper is Linux-only");
#endif
}

// A command that exits at once but leaves a setsid child behind (a daemon it
// started) does not leave it running after the item.
void TestCommandCollector::exitedCommandLeavesNoSetsidChild()
{
#ifdef Q_OS_LINUX
    const QString pidFile = m_dir->path() + QStringLiteral("/daemon.pid");
    const ItemResult result = collect(
        item({QStringLiteral("/bin/sh"), QStringLiteral("-c"),
              QStringLiteral("setsid /bin/sh -c 'echo $$ > \"%1\"; exec sleep 300' </dev/null >/dev/null 2>&1 & "
                             "while [ ! -s '%1' ]; do sleep 0.01; done; echo started")
                  .arg(pidFile)}));
    QCOMPARE(result.status, Status::Collected);
    QCOMPARE(stagedContent(result.files.first()), QByteArray("started\n"));
    const qint64 pid = pidIn(pidFile);
    QVERIFY(pid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000);
#else
    QSKIP("the subreaper is Linux-only");
#endif
}

// diagcollect killed outright: the setsid grandchild goes too.
void TestCommandCollector::setsidChildDiesWithCollector()
{
#ifdef Q_OS_LINUX
    const QString pidFile = m_dir->path() + QStringLiteral("/escaped.pid");
    QProcess helper;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DC_TEST_HELPER_STAGING"), m_staging);
    env.insert(QStringLiteral("DC_TEST_HELPER_PIDFILE"), pidFile);
    env.insert(QStringLiteral("DC_TEST_HELPER_SCRIPT"),
               QStringLiteral("setsid /bin/sh -c 'echo $$ > \"%1\"; exec sleep 300' & sleep 300").arg(pidFile));
    helper.setProcessEnvironment(env);
    helper.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(helper.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(pidFile).size() > 0, 20000);
    const qint64 pid = pidIn(pidFile);
    QVERIFY(pid > 0);
    QVERIFY(!processGone(pid));
    helper.kill();
    QVERIFY(helper.waitForFinished(10000));
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5000);
#else
    QSKIP("the subreaper is Linux-only");
#endif
}

QTEST_GUILESS_MAIN(TestCommandCollector)
#include "test_commandcollector.moc"
