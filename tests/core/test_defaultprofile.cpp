// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/staging.h"
#include "core/collect/collectionrunner.h"
#include "core/collectors/probes.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace dc::core;

namespace {

const QString kAcmeProfile = QStringLiteral(DC_SOURCE_DIR "/docs/examples/acme-shield.json");
const QString kAcmeFixture = QStringLiteral(DC_TEST_DATA_DIR "/acme");

QString platformName(unsigned bit)
{
    return bit == Linux     ? QStringLiteral("linux")
           : bit == Windows ? QStringLiteral("windows")
                            : QStringLiteral("macos");
}

QByteArray fileSha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
}

const ItemResult *findItem(const RunSummary &summary, const QString &id)
{
    for (const ItemResult &item : summary.items)
        if (item.id == id)
            return &item;
    return nullptr;
}

const FileEntry *findFile(const ItemResult &item, const QString &path)
{
    for (const FileEntry &file : item.files)
        if (file.path == path)
            return &file;
    return nullptr;
}

QString describe(const RunSummary &summary)
{
    QString text;
    for (const ItemResult &item : summary.items)
        text += QStringLiteral("  %1 %2 %3 %4ms %5B %6\n")
                    .arg(categoryKey(item.category), -14)
                    .arg(item.id, -28)
                    .arg(statusKey(item.status), -9)
                    .arg(item.started.msecsTo(item.finished), 6)
                    .arg(item.bytes(), 9)
                    .arg(item.reason);
    return text;
}

// Runs a profile for this platform into a fresh staging directory below root.
RunSummary
collect(const Profile &profile, const QString &root, std::unique_ptr<Staging> &staging, RunOptions options = {})
{
    auto created = Staging::create(root);
    if (!created)
        qFatal("%s", qPrintable(created.error().message));
    staging = std::move(*created);
    CollectionRunner runner(profile, std::move(options), staging->path());
    return runner.runBlocking();
}

} // namespace

class TestDefaultProfile : public QObject
{
    Q_OBJECT

private slots:
    void loads()
    {
        const auto profile = loadDefaultProfile();
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().message));
        QCOMPARE(profile->name, QStringLiteral("default"));
        QCOMPARE(profile->productName, QStringLiteral("Diagnostics Collector"));
        QCOMPARE(profile->limits.totalBytes, 200LL * 1024 * 1024);
        QVERIFY(profile->limits.commandTimeoutMs <= 10000);
        QVERIFY(profile->items.size() > 60);
    }

    void everyCategoryOnEveryPlatform_data()
    {
        QTest::addColumn<unsigned>("platform");
        QTest::newRow("linux") << unsigned(Linux);
        QTest::newRow("windows") << unsigned(Windows);
        QTest::newRow("macos") << unsigned(MacOS);
    }

    void everyCategoryOnEveryPlatform()
    {
        QFETCH(unsigned, platform);
        const auto profile = loadDefaultProfile();
        QVERIFY(profile);
        const QList<ItemSpec> items = profile->itemsFor(platform, false);
        QMap<Category, int> perCategory;
        QMap<Category, int> essentialPerCategory;
        QSet<QString> stagedPaths;
        for (const ItemSpec &item : items) {
            perCategory[item.category]++;
            if (item.essential)
                essentialPerCategory[item.category]++;
            QVERIFY2(!item.title.isEmpty(), qPrintable(item.id));
            QVERIFY2(item.purpose.size() > 20 && item.purpose.endsWith(QLatin1Char('.')),
                     qPrintable(item.id + QStringLiteral(": purpose should be a sentence")));
            QVERIFY2(!categoryKey(item.category).isEmpty(), qPrintable(item.id));
            QVERIFY2(!stagedPaths.contains(item.stagedPath()), qPrintable(item.stagedPath()));
            stagedPaths.insert(item.stagedPath());
            if (!item.id.startsWith(QLatin1String("product-")))
                QVERIFY2(item.estimateBytes > 0, qPrintable(item.id + QStringLiteral(": no estimate_bytes")));
            if (item.kind == ItemKind::Probe)
                QVERIFY(isKnownProbe(item.probe.name));
            if (item.category == Category::CrashDumps && item.kind == ItemKind::Files &&
                !item.id.contains(QLatin1String("diagnostic-reports")))
                QVERIFY2(!item.redactable, qPrintable(item.id + QStringLiteral(": dumps are binary")));
        }
        for (Category category : kAllCategories) {
            QVERIFY2(
                perCategory.value(category) > 0,
                qPrintable(QStringLiteral("%1 has no item on %2").arg(categoryKey(category), platformName(platform))));
            QVERIFY2(essentialPerCategory.value(category) > 0,
                     qPrintable(QStringLiteral("%1 has no essential item on %2")
                                    .arg(categoryKey(category), platformName(platform))));
        }
    }

    // The issue's lists, as the programs each platform's items run.
    void platformCommandsPresent_data()
    {
        QTest::addColumn<unsigned>("platform");
        QTest::addColumn<QStringList>("programs");
        QTest::addColumn<QStringList>("probes");
        const auto words = [](const char *text) { return QString::fromLatin1(text).split(QLatin1Char(' ')); };
        QTest::newRow("linux") << unsigned(Linux)
                               << words(
                                      "ip ss resolvectl nmcli nft iptables-save dpkg-query rpm flatpak snap systemctl "
                                      "journalctl dmesg dnf coredumpctl timedatectl localectl hostnamectl lscpu lsblk "
                                      "df findmnt who uptime systemd-detect-virt free")
                               << words("processes mounts system users proxy network tool-info");
        QTest::newRow("windows") << unsigned(Windows)
                                 << words("wevtutil systeminfo ipconfig route netsh reg sc powershell tasklist net")
                                 << words("proxy tool-info listing");
        QTest::newRow("macos") << unsigned(MacOS)
                               << words("system_profiler log launchctl ps ifconfig scutil netstat mount df pkgutil "
                                        "sw_vers")
                               << words("proxy tool-info listing");
    }

    void platformCommandsPresent()
    {
        QFETCH(unsigned, platform);
        QFETCH(QStringList, programs);
        QFETCH(QStringList, probes);
        const auto profile = loadDefaultProfile();
        QVERIFY(profile);
        QSet<QString> used;
        QSet<QString> usedProbes;
        for (const ItemSpec &item : profile->itemsFor(platform, true)) {
            if (item.kind == ItemKind::Command)
                used.insert(item.command.argv.first());
            else if (item.kind == ItemKind::Probe)
                usedProbes.insert(item.probe.name);
        }
        for (const QString &program : programs)
            QVERIFY2(used.contains(program), qPrintable(program));
        for (const QString &probe : probes)
            QVERIFY2(usedProbes.contains(probe), qPrintable(probe));
    }

    // The default run must finish in seconds: the slowest item sets the wall
    // time, so no Linux item of a normal run may wait longer than 4 s.
    void linuxTimeoutsKeepTheRunShort()
    {
        const auto profile = loadDefaultProfile();
        QVERIFY(profile);
        for (const ItemSpec &item : profile->itemsFor(Linux, false))
            if (item.kind != ItemKind::Files)
                QVERIFY2(item.command.timeoutMs <= 4000, qPrintable(item.id));
    }

    void schemaNamesEveryProbe()
    {
        QFile file(QStringLiteral(":/profile.schema.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject schema = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray names = schema[QStringLiteral("$defs")][QStringLiteral("item")][QStringLiteral("properties")]
                                       [QStringLiteral("probe")][QStringLiteral("enum")]
                                           .toArray();
        QStringList fromSchema;
        for (const QJsonValue &name : names)
            fromSchema << name.toString();
        QStringList fromTable;
        for (const ProbeInfo &probe : probeTable())
            fromTable << QLatin1String(probe.name);
        fromSchema.sort();
        fromTable.sort();
        QCOMPARE(fromSchema, fromTable);
    }

#ifdef Q_OS_LINUX
    // The built-in profile on this machine: every category yields data, or
    // each of its items says why not (a container without a journal or
    // coredumpctl, a tool that is not installed system-wide).
    void defaultRunCoversEveryCategory()
    {
        const auto profile = loadDefaultProfile();
        QVERIFY(profile);
        QTemporaryDir root;
        std::unique_ptr<Staging> staging;
        QElapsedTimer clock;
        clock.start();
        const RunSummary summary = collect(*profile, root.path(), staging);
        const qint64 elapsed = clock.elapsed();
        qInfo().noquote()
            << QStringLiteral("default Linux run: %1 items in %2 ms\n").arg(summary.items.size()).arg(elapsed) +
                   describe(summary);
        QVERIFY(!summary.cancelled);
        QCOMPARE(summary.items.size(), profile->itemsFor(Linux, false).size());
        // Not a benchmark (docs/BENCHMARKS.md has that), only a guard against an item that blocks.
        QVERIFY2(elapsed < 30000, "the default run is far slower than the per-item timeouts allow");

        const bool inContainer =
            QFile::exists(QStringLiteral("/.dockerenv")) || QFile::exists(QStringLiteral("/run/.containerenv"));
        const bool hasJournal = QFileInfo(QStringLiteral("/run/systemd/journal")).isDir();
        qInfo() << "container:" << inContainer << "journal:" << hasJournal;

        for (Category category : kAllCategories) {
            bool collected = false;
            QStringList unexplained;
            for (const ItemResult &item : summary.items) {
                if (item.category != category)
                    continue;
                if (item.status == Status::Collected || item.status == Status::Truncated)
                    collected = collected || !item.files.isEmpty();
                else if (item.reason.trimmed().isEmpty())
                    unexplained << item.id;
            }
            QVERIFY2(unexplained.isEmpty(), qPrintable(QStringLiteral("%1: skipped or failed without a reason: %2")
                                                           .arg(categoryKey(category), unexplained.join(u' '))));
            if (!collected)
                qInfo().noquote() << categoryKey(category) << "has nothing to collect here; every item said why";
            // The OS configuration and the tool's own data exist on any Linux machine, even a bare container.
            if (category == Category::OsConfig || category == Category::Tool)
                QVERIFY2(collected, qPrintable(categoryKey(category)));
        }

        // Probes never fail on Linux, and the staged files are what the results say.
        for (const ItemResult &item : summary.items) {
            if (item.kind == ItemKind::Probe && item.id != QLatin1String("var-crash-listing"))
                QVERIFY2(item.status == Status::Collected, qPrintable(item.id + QLatin1Char(' ') + item.reason));
            if (item.status == Status::Failed)
                QVERIFY2(item.files.isEmpty() || item.kind == ItemKind::Command, qPrintable(item.id));
            for (const FileEntry &file : item.files) {
                const QString path = staging->path() + QLatin1Char('/') + file.path;
                QVERIFY2(QFileInfo(path).isFile(), qPrintable(path));
                QCOMPARE(QFileInfo(path).size(), file.bytes);
                QVERIFY2(file.path.startsWith(categoryKey(item.category) + QLatin1Char('/')), qPrintable(file.path));
            }
        }
        const ItemResult *system = findItem(summary, QStringLiteral("system-summary"));
        QVERIFY(system);
        QCOMPARE(system->files.first().path, QStringLiteral("os-config/system/summary.txt"));
    }
#endif

    // The example vendor profile with its fixture product tree: logs (with
    // rotated and compressed ones), configuration and the crash dump land in
    // staging with their categories, byte for byte.
    void acmeExampleCollectsTheFixtureProduct()
    {
        const auto profile = loadProfile(kAcmeProfile);
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().message));
        QCOMPARE(profile->productName, QStringLiteral("Acme Shield"));
        QTemporaryDir root;
        std::unique_ptr<Staging> staging;
        const RunSummary summary = collect(*profile, root.path(), staging);
        qInfo().noquote() << describe(summary);

        const ItemResult *logs = findItem(summary, QStringLiteral("product-logs"));
        QVERIFY(logs);
        QCOMPARE(logs->category, Category::ServiceLogs);
        QCOMPARE(logs->status, Status::Collected);
        const QString fixtureLogs = QDir::cleanPath(kAcmeFixture + QStringLiteral("/var/log/acme-shield"));
        for (const char *name : {"shield.log", "shield.log.1", "shield.log.2.gz"}) {
            const FileEntry *file = findFile(*logs, QStringLiteral("service-logs/product-logs/") + QLatin1String(name));
            QVERIFY2(file, name);
            QCOMPARE(QDir::cleanPath(file->source), fixtureLogs + QLatin1Char('/') + QLatin1String(name));
            QCOMPARE(file->sha256, fileSha256(fixtureLogs + QLatin1Char('/') + QLatin1String(name)));
        }

        const ItemResult *config = findItem(summary, QStringLiteral("product-config"));
        QVERIFY(config);
        QCOMPARE(config->category, Category::ServiceLogs);
        QVERIFY(findFile(*config, QStringLiteral("service-logs/product-config/shield.conf")));

        const ItemResult *dumps = findItem(summary, QStringLiteral("product-crash-dumps"));
        QVERIFY(dumps);
        QCOMPARE(dumps->category, Category::CrashDumps);
        QCOMPARE(dumps->status, Status::Collected);
        const FileEntry *dump =
            findFile(*dumps, QStringLiteral("crash-dumps/product-crash-dumps/shield-20240503-082400.dmp"));
        QVERIFY(dump);
        QVERIFY(!dump->redactable);
        QVERIFY(!dumps->redactable);
        QFile dumpFile(staging->path() + QLatin1Char('/') + dump->path);
        QVERIFY(dumpFile.open(QIODevice::ReadOnly));
        QCOMPARE(dumpFile.read(4), QByteArray("MDMP"));

        const ItemResult *listing = findItem(summary, QStringLiteral("shield-crash-listing"));
        QVERIFY(listing);
        QCOMPARE(listing->status, Status::Collected);
        QCOMPARE(listing->category, Category::CrashDumps);

#ifdef Q_OS_UNIX
        const ItemResult *status = findItem(summary, QStringLiteral("shield-status"));
        QVERIFY(status);
        QCOMPARE(status->status, Status::Collected);
        QFile statusFile(staging->path() + QStringLiteral("/service-logs/shield-status.txt"));
        QVERIFY(statusFile.open(QIODevice::ReadOnly));
        QVERIFY(statusFile.readAll().startsWith("Acme Shield 4.2.1\n"));
#endif
#ifdef Q_OS_LINUX
        const ItemResult *journal = findItem(summary, QStringLiteral("product-journal-acme-shield-service"));
        QVERIFY(journal);
        QCOMPARE(journal->category, Category::ServiceLogs);
        QVERIFY(journal->source.contains(QStringLiteral("acme-shield.service")));
#endif
    }

    // --define ACME_ROOT=... points the same profile at another installation.
    void acmeRootCanBeOverridden()
    {
        QTemporaryDir copy;
        const QString logDir = copy.path() + QStringLiteral("/var/log/acme-shield");
        QVERIFY(QDir().mkpath(logDir));
        QVERIFY(QFile::copy(kAcmeFixture + QStringLiteral("/var/log/acme-shield/shield.log"),
                            logDir + QStringLiteral("/shield.log")));
        QFile extra(logDir + QStringLiteral("/shield.log.3"));
        QVERIFY(extra.open(QIODevice::WriteOnly));
        extra.write("2024-04-30T00:00:00.000Z INFO  [service] older rotation\n");
        extra.close();

        ProfileLoadOptions options;
        options.defines.insert(QStringLiteral("ACME_ROOT"), copy.path());
        const auto profile = loadProfile(kAcmeProfile, options);
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().message));
        QTemporaryDir root;
        std::unique_ptr<Staging> staging;
        const RunSummary summary = collect(*profile, root.path(), staging);
        const ItemResult *logs = findItem(summary, QStringLiteral("product-logs"));
        QVERIFY(logs);
        QCOMPARE(logs->files.size(), 2);
        QVERIFY(findFile(*logs, QStringLiteral("service-logs/product-logs/shield.log.3")));
        for (const FileEntry &file : logs->files)
            QVERIFY2(file.source.startsWith(copy.path()), qPrintable(file.source));
        // The copy has no configuration or dumps: those items say so instead of failing.
        const ItemResult *config = findItem(summary, QStringLiteral("product-config"));
        QVERIFY(config);
        QCOMPARE(config->status, Status::Skipped);
        QVERIFY(!config->reason.isEmpty());
    }

#ifdef Q_OS_UNIX
    // A command that never ends and a product folder nobody may read hold
    // neither the run nor the other items.
    void hungCommandAndUnreadableFolderDoNotHoldTheRun()
    {
        QTemporaryDir base;
        QVERIFY(QFile::setPermissions(base.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                       QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                                       QFile::ExeOther));
        const QString open = base.path() + QStringLiteral("/open");
        const QString locked = base.path() + QStringLiteral("/locked");
        const QString stagingRoot = base.path() + QStringLiteral("/staging");
        QVERIFY(QDir().mkpath(open) && QDir().mkpath(locked) && QDir().mkpath(stagingRoot));
        for (const QString &path :
             {QString(open + QStringLiteral("/service.log")), QString(locked + QStringLiteral("/secret.log"))}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("line\n");
        }
        QVERIFY(QFile::setPermissions(locked, QFileDevice::Permissions()));

        const QString json = QStringLiteral(R"({"format_version": 1, "name": "hang", "limits": {"command_timeout": 1},
            "product": {"name": "Hang", "logs": ["%1", "%2"]},
            "items": [
              {"id": "hung", "kind": "command", "category": "service-logs", "purpose": "p", "argv": ["sleep", "300"], "timeout": 1},
              {"id": "hung-tree", "kind": "command", "category": "service-logs", "purpose": "p",
               "argv": ["/bin/sh", "-c", "sleep 300 & sleep 300; wait"], "timeout": 1},
              {"id": "info", "kind": "probe", "category": "tool", "purpose": "p", "probe": "tool-info"}
            ]})")
                                 .arg(open, locked);
        const auto profile = parseProfile(json.toUtf8(), QStringLiteral("hang.json"));
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().message));

        // Root reads everything: drop to nobody so that mode 000 means something.
        const bool root = ::geteuid() == 0;
        if (root) {
            QCOMPARE(::chown(QFile::encodeName(stagingRoot).constData(), 65534, 65534), 0);
            QCOMPARE(::seteuid(65534), 0);
        }
        std::unique_ptr<Staging> staging;
        QElapsedTimer clock;
        clock.start();
        const RunSummary summary = collect(*profile, stagingRoot, staging);
        const qint64 elapsed = clock.elapsed();
        if (root)
            QCOMPARE(::seteuid(0), 0);
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qInfo().noquote() << QStringLiteral("%1 ms\n").arg(elapsed) + describe(summary);

        QVERIFY2(elapsed < 8000, qPrintable(QStringLiteral("the run took %1 ms").arg(elapsed)));
        for (const char *id : {"hung", "hung-tree"}) {
            const ItemResult *hung = findItem(summary, QLatin1String(id));
            QVERIFY(hung);
            QCOMPARE(hung->status, Status::Failed);
            QVERIFY2(hung->reason.contains(QStringLiteral("timed out")), qPrintable(hung->reason));
        }
        const ItemResult *readable = findItem(summary, QStringLiteral("product-logs-1"));
        QVERIFY(readable);
        QCOMPARE(readable->status, Status::Collected);
        const ItemResult *unreadable = findItem(summary, QStringLiteral("product-logs-2"));
        QVERIFY(unreadable);
        QCOMPARE(unreadable->status, Status::Skipped);
        QVERIFY2(unreadable->reason.contains(QStringLiteral("permission denied")), qPrintable(unreadable->reason));
        QVERIFY(unreadable->files.isEmpty());
        const ItemResult *info = findItem(summary, QStringLiteral("info"));
        QVERIFY(info);
        QCOMPARE(info->status, Status::Collected);
    }
#endif
};

QTEST_GUILESS_MAIN(TestDefaultProfile)
#include "test_defaultprofile.moc"
