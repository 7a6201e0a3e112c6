// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/probes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>

#ifdef Q_OS_UNIX
#include <sys/utsname.h>
#include <unistd.h>
#endif

using namespace dc::core;

class TestProbes : public QObject
{
    Q_OBJECT

private:
    // A profile with one probe item; extra is spliced into the item's JSON.
    static Profile profileWith(const QByteArray &probe, const QByteArray &extra = {})
    {
        // Built with arg() so that every raw string keeps its braces balanced (moc reads them as code).
        const QString json = QStringLiteral(R"({"format_version": 1, "name": "probes", "items": [
            {"id": "p", "kind": "probe", "category": "os-config", "purpose": "test", "probe": "%1" %2}]})")
                                 .arg(QString::fromUtf8(probe),
                                      extra.isEmpty() ? QString() : QStringLiteral(", ") + QString::fromUtf8(extra));
        auto profile = parseProfile(json.toUtf8(), QStringLiteral("probes.json"));
        if (!profile)
            qFatal("%s", qPrintable(profile.error().message));
        return *profile;
    }

    struct Run
    {
        ItemResult result;
        QString text;
    };

    Run run(const Profile &profile, bool cancelled = false)
    {
        std::atomic_bool flag{cancelled};
        CollectContext ctx(m_staging.path(), profile, flag);
        ProbeCollector collector;
        Run r;
        r.result = collector.collect(profile.items.first(), ctx);
        if (!r.result.files.isEmpty()) {
            QFile file(m_staging.path() + QLatin1Char('/') + r.result.files.first().path);
            if (file.open(QIODevice::ReadOnly))
                r.text = QString::fromUtf8(file.readAll());
            file.remove();
        }
        return r;
    }

    Run runProbe(const QByteArray &probe, const QByteArray &extra = {}) { return run(profileWith(probe, extra)); }

    QTemporaryDir m_staging;

private slots:
    void tableNamesEveryProbe()
    {
        QStringList names;
        for (const ProbeInfo &info : probeTable()) {
            names << QLatin1String(info.name);
            QVERIFY(info.function);
            QVERIFY(qstrlen(info.description) > 10);
            QVERIFY(isKnownProbe(QLatin1String(info.name)));
        }
        for (const char *expected :
             {"processes", "mounts", "system", "users", "proxy", "network", "tool-info", "listing"})
            QVERIFY2(names.contains(QLatin1String(expected)), expected);
        QVERIFY(!isKnownProbe(QStringLiteral("nope")));
        QVERIFY(!isKnownProbe(QString()));
    }

    void unknownProbeIsAProfileError()
    {
        auto profile = parseProfile(R"({"format_version": 1, "name": "x", "items": [{"id": "p", "kind": "probe",
            "category": "tool", "purpose": "p", "probe": "nope"}]})",
                                    QStringLiteral("x.json"));
        QVERIFY(!profile);
        QVERIFY2(profile.error().message.contains(QStringLiteral("items[0].probe: unknown probe \"nope\"")),
                 qPrintable(profile.error().message));
    }

    void resultDescribesTheItem()
    {
        const Run r = runProbe("tool-info");
        QCOMPARE(r.result.status, Status::Collected);
        QCOMPARE(r.result.id, QStringLiteral("p"));
        QCOMPARE(r.result.kind, ItemKind::Probe);
        QCOMPARE(r.result.source, QStringList{QStringLiteral("probe:tool-info")});
        QCOMPARE(r.result.files.size(), 1);
        const FileEntry &file = r.result.files.first();
        QCOMPARE(file.path, QStringLiteral("os-config/p.txt"));
        QCOMPARE(file.source, QStringLiteral("probe:tool-info"));
        QCOMPARE(file.bytes, qint64(r.text.toUtf8().size()));
        QCOMPARE(file.sha256.size(), 64);
        QVERIFY(r.result.started.isValid() && r.result.finished.isValid());
        QCOMPARE(r.result.started.timeSpec(), Qt::UTC);
        QVERIFY(r.result.started <= r.result.finished);
    }

#ifdef Q_OS_LINUX
    void processesListsThisProcess()
    {
        const Run r = runProbe("processes");
        QCOMPARE(r.result.status, Status::Collected);
        const QStringList lines = r.text.split(QLatin1Char('\n'));
        QVERIFY(lines.size() > 3);
        QVERIFY(lines[0].startsWith(QLatin1Char('#')));
        QVERIFY(lines[1].startsWith(QStringLiteral("PID")));
        const QString pid = QString::number(QCoreApplication::applicationPid());
        const QString self = [&] {
            for (const QString &line : lines)
                if (line.section(QLatin1Char(' '), 0, 0) == pid)
                    return line;
            return QString();
        }();
        QVERIFY2(!self.isEmpty(), "our own pid is not listed");
        const QStringList cells = self.simplified().split(QLatin1Char(' '));
        QCOMPARE(cells[1], QString::number(::getppid()));
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"))
                    .match(cells[4])
                    .hasMatch());
        QVERIFY2(self.contains(QCoreApplication::arguments().first()), qPrintable(self));
        QVERIFY(cells[6].toLongLong() > 0); // RSS
        // Kernel threads (when visible) have no argv and show as [name].
        QVERIFY(r.text.contains(QStringLiteral(" [")) || !QFile::exists(QStringLiteral("/proc/2/stat")));
    }

    void processesAsJsonLines()
    {
        const Run r = runProbe("processes", R"("args": {"format": "jsonl"})");
        QCOMPARE(r.result.status, Status::Collected);
        bool found = false;
        for (const QString &line : r.text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            QJsonParseError error;
            const QJsonObject o = QJsonDocument::fromJson(line.toUtf8(), &error).object();
            QCOMPARE(error.error, QJsonParseError::NoError);
            QVERIFY(o.contains(QStringLiteral("command")) && o.contains(QStringLiteral("rss_kib")));
            if (o.value(QStringLiteral("pid")).toInteger() == QCoreApplication::applicationPid()) {
                found = true;
                QCOMPARE(o.value(QStringLiteral("ppid")).toInteger(), qint64(::getppid()));
            }
        }
        QVERIFY(found);
    }

    void processesAsTsv()
    {
        const Run r = runProbe("processes", R"("args": {"format": "tsv"})");
        QCOMPARE(r.result.status, Status::Collected);
        const QStringList lines = r.text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), QStringLiteral("PID\tPPID\tUSER\tSTATE\tSTARTED\tCPU_S\tRSS_KIB\tTHREADS\tCOMMAND"));
        for (const QString &line : lines)
            QCOMPARE(line.count(QLatin1Char('\t')), 8);
    }

    void processesRejectsAnUnknownFormat()
    {
        const Run r = runProbe("processes", R"("args": {"format": "xml"})");
        QCOMPARE(r.result.status, Status::Skipped);
        QVERIFY(r.result.reason.contains(QStringLiteral("unknown format")));
    }

    void mountsListsRoot()
    {
        const Run r = runProbe("mounts");
        QCOMPARE(r.result.status, Status::Collected);
        QVERIFY(r.text.contains(QStringLiteral("MOUNTPOINT")));
        // Every mount point of this process's view is listed with its type. In a chroot
        // (a fresh build root) "/" is not a mount point of its own, so compare with
        // /proc/self/mountinfo rather than assume a root row.
        QFile mountinfo(QStringLiteral("/proc/self/mountinfo"));
        QVERIFY(mountinfo.open(QIODevice::ReadOnly));
        QStringList mountPoints;
        for (const QByteArray &line : mountinfo.readAll().split('\n'))
            if (const QList<QByteArray> fields = line.split(' '); fields.size() > 4)
                mountPoints.append(QString::fromUtf8(fields[4]));
        QVERIFY(!mountPoints.isEmpty());
        for (const QString &mountPoint : std::as_const(mountPoints)) {
            if (mountPoint.contains(QLatin1Char('\\')))
                continue; // escaped characters (\040) are shown as the kernel writes them
            const QRegularExpression row(QStringLiteral("^") + QRegularExpression::escape(mountPoint) +
                                             QStringLiteral("\\s+(\\S+)\\s+(\\S+)"),
                                         QRegularExpression::MultilineOption);
            const auto match = row.match(r.text);
            QVERIFY2(match.hasMatch(), qPrintable(mountPoint + QLatin1Char('\n') + r.text));
            QVERIFY(!match.captured(1).isEmpty()); // file system type
        }
        QVERIFY(r.text.contains(QStringLiteral("/proc")));
        QVERIFY(r.text.contains(QStringLiteral("Network shares")));
    }

    void systemNamesKernelAndOs()
    {
        const Run r = runProbe("system");
        QCOMPARE(r.result.status, Status::Collected);
        struct utsname uts = {};
        QCOMPARE(::uname(&uts), 0);
        QVERIFY(r.text.contains(QString::fromUtf8(uts.release)));
        QVERIFY(r.text.contains(QStringLiteral("== Operating system ==")));
        QVERIFY(r.text.contains(QStringLiteral("boot time (UTC)")));
        QVERIFY(r.text.contains(QStringLiteral("time zone")));
        QVERIFY(r.text.contains(QStringLiteral("container:")));
        QVERIFY(r.text.contains(QStringLiteral("systemd journal:")));
        QVERIFY(r.text.contains(QStringLiteral("MemTotal")));
        QVERIFY(r.text.contains(QStringLiteral("logical CPUs (online):")));
    }

    void usersListsAccountsButNoSecrets()
    {
        const Run r = runProbe("users");
        QCOMPARE(r.result.status, Status::Collected);
        QVERIFY(QRegularExpression(QStringLiteral("^root\\s+0\\s+system\\s+/"), QRegularExpression::MultilineOption)
                    .match(r.text)
                    .hasMatch());
        QVERIFY(r.text.contains(QStringLiteral("Logged-in users")));
        // Nothing from the password or GECOS fields.
        QVERIFY(!r.text.contains(QStringLiteral(":x:")));
        QVERIFY(!r.text.contains(QStringLiteral("$6$")));
        QVERIFY(!r.text.contains(QStringLiteral("$y$")));
    }

    void networkListsLoopback()
    {
        const Run r = runProbe("network");
        QCOMPARE(r.result.status, Status::Collected);
        QVERIFY(
            QRegularExpression(QStringLiteral("^lo\\s"), QRegularExpression::MultilineOption).match(r.text).hasMatch());
        QVERIFY(r.text.contains(QStringLiteral("127.0.0.1/8")));
        QVERIFY(r.text.contains(QStringLiteral("IPv4 routes")));
    }
#endif

    void proxyReportsTheEnvironmentAsIs()
    {
        // Credentials stay: the redaction stage removes them, not the probe.
        const QByteArray value = "http://alice:s3cret@proxy.example:3128";
        qputenv("https_proxy", value);
        qunsetenv("NO_PROXY");
        const Run r = runProbe("proxy");
        qunsetenv("https_proxy");
        QCOMPARE(r.result.status, Status::Collected);
        QVERIFY2(r.text.contains(QStringLiteral("https_proxy: ") + QString::fromUtf8(value)), qPrintable(r.text));
        QVERIFY(r.text.contains(QStringLiteral("NO_PROXY:    (not set)")));
    }

    void toolInfoNamesVersionAndProfile()
    {
        const Profile profile = profileWith("tool-info");
        const Run r = run(profile);
        QCOMPARE(r.result.status, Status::Collected);
        QVERIFY(r.text.contains(QStringLiteral(DIAGCOLLECT_VERSION)));
        QVERIFY(r.text.contains(QString::fromLatin1(profile.sha256)));
        QVERIFY(r.text.contains(QStringLiteral("name:                    probes")));
        QVERIFY(r.text.contains(QStringLiteral("administrator:")));
#ifdef Q_OS_UNIX
        QVERIFY(r.text.contains(QStringLiteral("effective uid: %1").arg(::geteuid())));
#endif
    }

    void listingListsEntriesNewestFirst()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("sub/deeper")));
        for (const char *name : {"a.dmp", "sub/b.txt", "sub/deeper/c.txt"}) {
            QFile file(dir.filePath(QLatin1String(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("12345");
        }
        const QByteArray args = QStringLiteral(R"("args": {"path": "%1", "depth": "2"})").arg(dir.path()).toUtf8();
        const Run r = runProbe("listing", args);
        QCOMPARE(r.result.status, Status::Collected);
        QVERIFY(r.text.contains(QStringLiteral("a.dmp")));
        QVERIFY(r.text.contains(QStringLiteral("sub/b.txt")));
        QVERIFY(r.text.contains(QStringLiteral("sub/deeper/")));
        QVERIFY2(!r.text.contains(QStringLiteral("c.txt")), "depth 2 must not list the third level");
        QVERIFY(r.text.contains(QStringLiteral("file  5")));
    }

    void listingOfAMissingFolderIsASkip()
    {
        const Run r = runProbe("listing", R"("args": {"path": "${TMPDIR}/no-such-folder-for-diagcollect"})");
        QCOMPARE(r.result.status, Status::Skipped);
        QVERIFY2(r.result.reason.endsWith(QStringLiteral("no-such-folder-for-diagcollect does not exist")),
                 qPrintable(r.result.reason));
        QVERIFY(r.result.files.isEmpty());
        QVERIFY(!QFile::exists(m_staging.path() + QStringLiteral("/os-config/p.txt")));
    }

    void outputIsCappedAtMaxBytesOnALineBoundary()
    {
        const Run r = runProbe("tool-info", R"("max_bytes": 300)");
        QCOMPARE(r.result.status, Status::Truncated);
        QCOMPARE(r.result.files.first().status, Status::Truncated);
        QVERIFY(r.result.reason.contains(QStringLiteral("max_bytes")));
        QVERIFY(r.text.toUtf8().size() <= 300);
        QVERIFY(r.text.endsWith(QLatin1Char('\n')));
    }

    void cancelledBeforeStartIsASkip()
    {
        const Run r = run(profileWith("system"), true);
        QCOMPARE(r.result.status, Status::Skipped);
        QCOMPARE(r.result.reason, QStringLiteral("cancelled"));
        QVERIFY(r.result.files.isEmpty());
    }

    void unknownProbeAtRunTimeFails()
    {
        Profile profile = profileWith("system");
        profile.items.first().probe.name = QStringLiteral("gone");
        const Run r = run(profile);
        QCOMPARE(r.result.status, Status::Failed);
        QVERIFY(r.result.reason.contains(QStringLiteral("unknown probe")));
    }

    void needsAdminWithoutRightsIsASkip()
    {
#ifdef Q_OS_UNIX
        const Profile profile = profileWith("system", R"("needs_admin": true)");
        const bool root = ::geteuid() == 0;
        if (root)
            QCOMPARE(::seteuid(65534), 0);
        const Run r = run(profile);
        if (root)
            QCOMPARE(::seteuid(0), 0);
        QCOMPARE(r.result.status, Status::Skipped);
        QCOMPARE(r.result.reason, QStringLiteral("needs administrator rights"));
#else
        QSKIP("needs a Unix effective uid");
#endif
    }

    void redactableFlagIsCarriedToTheFile()
    {
        const Run r = runProbe("tool-info", R"("redactable": false)");
        QCOMPARE(r.result.files.size(), 1);
        QVERIFY(!r.result.files.first().redactable);
        QVERIFY(!r.result.redactable);
    }
};

QTEST_GUILESS_MAIN(TestProbes)
#include "test_probes.moc"
