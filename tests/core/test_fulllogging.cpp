// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// Full-log mode: config edits (INI, JSON, XML), the profile's full_logging
// section, raise/restore against a copy of the Acme fixture, recovery after a
// dead owner or the time cap, and damaged state files.
#include "core/collect/collectionrunner.h"
#include "core/fulllogs/configedit.h"
#include "core/fulllogs/fulllogging.h"
#include "core/profile/profile.h"
#include "tests/core/testuser.h"
#include "tests/support/testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <functional>
#include <thread>

using namespace dc::core;
using dc::test::fileState;
using dc::test::TestUser;

namespace {

const QString kAcmeProfile = dc::test::acmeProfile();
const QString kAcmeFixture = dc::test::acmeFixture();
using dc::test::readAll;

void writeAll(const QString &path, const QByteArray &bytes) { QVERIFY(dc::test::writeAll(path, bytes)); }

using dc::test::copyTree;

qint64 deadPid()
{
    QProcess process;
    process.start(QStringLiteral("/bin/sleep"), {QStringLiteral("30")});
    process.waitForStarted();
    const qint64 pid = process.processId();
    process.kill();
    process.waitForFinished();
    return pid;
}

// A profile whose full_logging edits file (format, key, full_value as JSON text).
Profile configProfile(const QString &file,
                      const QString &format,
                      const QString &key,
                      const QString &fullValue,
                      const QString &account = {})
{
    Profile profile;
    profile.name = QStringLiteral("security");
    profile.productName = QStringLiteral("Acme Shield");
    profile.fullLogging.method = FullLoggingSpec::Method::Config;
    profile.fullLogging.configFile = file;
    profile.fullLogging.configFormat = format;
    profile.fullLogging.configKey = key;
    profile.fullLogging.fullValue = fullValue;
    profile.fullLogging.serviceAccount = account;
    return profile;
}

bool symlinkTo(const QString &target, const QString &link)
{
    return ::symlink(QFile::encodeName(target).constData(), QFile::encodeName(link).constData()) == 0;
}

} // namespace

class TestFullLogging : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_root;  // copy of tests/data/acme
    QString m_state; // state folder
    Profile m_profile;

    QString conf() const { return m_root + QStringLiteral("/etc/acme-shield/shield.conf"); }
    QString levelLine() const
    {
        for (const QByteArray &line : readAll(conf()).split('\n'))
            if (line.startsWith("level"))
                return QString::fromUtf8(line);
        return QString();
    }
    QStringList restarts() const
    {
        const QByteArray log = readAll(m_root + QStringLiteral("/var/run/acme-shield/restarts.log")).trimmed();
        return log.isEmpty() ? QStringList() : QString::fromUtf8(log).split(QLatin1Char('\n'));
    }
    void editState(const std::function<void(QJsonObject &)> &change)
    {
        const QString file = m_state + QStringLiteral("/full-logging.json");
        QJsonObject o = QJsonDocument::fromJson(readAll(file)).object();
        change(o);
        writeAll(file, QJsonDocument(o).toJson());
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        static int round = 0;
        const QString base = m_dir.path() + QStringLiteral("/r%1").arg(++round);
        m_root = base + QStringLiteral("/acme");
        m_state = base + QStringLiteral("/state");
        QVERIFY(copyTree(kAcmeFixture, m_root));
        ProfileLoadOptions options;
        options.defines.insert(QStringLiteral("ACME_ROOT"), m_root);
        auto profile = loadProfile(kAcmeProfile, options);
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().message));
        m_profile = *profile;
    }

    void iniEditsKeepTheRest()
    {
        const QByteArray ini =
            "# top\r\nglobal=1\r\n[engine]\r\n; comment\r\nlevel = normal\r\nother=x\r\n\r\n[b]\r\nk=v\r\n";
        auto value = readConfigText(ini, ConfigFormat::Ini, QStringLiteral("engine.level"));
        QVERIFY(value && value->exists);
        QCOMPARE(value->value, QStringLiteral("normal"));
        auto edited = editConfigText(ini, ConfigFormat::Ini, QStringLiteral("ENGINE.Level"), QStringLiteral("full"));
        QVERIFY(edited);
        QCOMPARE(*edited, QByteArray(ini).replace("level = normal", "level = full"));
        // A missing key is added to its section, and removed again without a trace.
        auto added = editConfigText(ini, ConfigFormat::Ini, QStringLiteral("b.debug"), QStringLiteral("on"));
        QVERIFY(added);
        QVERIFY(added->endsWith("[b]\r\nk=v\r\ndebug = on\r\n"));
        auto removed = editConfigText(*added, ConfigFormat::Ini, QStringLiteral("b.debug"), std::nullopt);
        QCOMPARE(*removed, ini);
        auto section = editConfigText(ini, ConfigFormat::Ini, QStringLiteral("new.key"), QStringLiteral("1"));
        QVERIFY(section->endsWith("[new]\r\nkey = 1\r\n"));
        auto global = readConfigText(ini, ConfigFormat::Ini, QStringLiteral("global"));
        QCOMPARE(global->value, QStringLiteral("1"));
        QVERIFY(!readConfigText(ini, ConfigFormat::Ini, QStringLiteral("engine.nope"))->exists);
    }

    void jsonEditsKeepOrderAndTypes()
    {
        const QByteArray json =
            "{\n    \"z\": 1,\n    \"logging\": {\"level\": \"normal\", \"verbose\": false},\n    \"a\": []\n}\n";
        auto value = readConfigText(json, ConfigFormat::Json, QStringLiteral("logging.level"));
        QCOMPARE(value->value, QStringLiteral("\"normal\""));
        auto edited =
            editConfigText(json, ConfigFormat::Json, QStringLiteral("logging.verbose"), QStringLiteral("true"));
        QVERIFY(edited);
        QVERIFY(edited->indexOf("\"z\"") < edited->indexOf("\"logging\""));
        QVERIFY(edited->contains("    \"z\": 1"));
        QCOMPARE(readConfigText(*edited, ConfigFormat::Json, QStringLiteral("logging.verbose"))->value,
                 QStringLiteral("true"));
        auto created = editConfigText(json, ConfigFormat::Json, QStringLiteral("trace.on"), QStringLiteral("1"));
        QCOMPARE(readConfigText(*created, ConfigFormat::Json, QStringLiteral("trace.on"))->value, QStringLiteral("1"));
        QVERIFY(!editConfigText("[1]", ConfigFormat::Json, QStringLiteral("a.b"), QStringLiteral("1")));
        QVERIFY(!readConfigText("{not json", ConfigFormat::Json, QStringLiteral("a")));
    }

    void xmlEditsTheElementText()
    {
        const QByteArray xml =
            "<?xml version=\"1.0\"?>\n<config>\n  <!-- c -->\n  <logging a=\"1\"><level>normal</level>"
            "<empty/></logging>\n</config>\n";
        auto value = readConfigText(xml, ConfigFormat::Xml, QStringLiteral("config.logging.level"));
        QVERIFY(value && value->exists);
        QCOMPARE(value->value, QStringLiteral("normal"));
        auto edited = editConfigText(xml, ConfigFormat::Xml, QStringLiteral("config.logging.level"),
                                     QStringLiteral("full & more"));
        QVERIFY(edited);
        QCOMPARE(*edited, QByteArray(xml).replace("<level>normal</level>", "<level>full &amp; more</level>"));
        auto empty =
            editConfigText(xml, ConfigFormat::Xml, QStringLiteral("config.logging.empty"), QStringLiteral("x"));
        QVERIFY(empty->contains("<empty>x</empty>"));
        QVERIFY(!readConfigText(xml, ConfigFormat::Xml, QStringLiteral("config.nope"))->exists);
        QVERIFY(!editConfigText(xml, ConfigFormat::Xml, QStringLiteral("config.nope"), QStringLiteral("x")));
        QVERIFY(!readConfigText(xml, ConfigFormat::Xml, QStringLiteral("config.logging"))); // has children
    }

    void profileSectionIsValidated()
    {
        QCOMPARE(m_profile.fullLogging.method, FullLoggingSpec::Method::Config);
        QCOMPARE(m_profile.fullLogging.configKey, QStringLiteral("logging.level"));
        QCOMPARE(m_profile.fullLogging.fullValue, QStringLiteral("\"full\""));
        QCOMPARE(m_profile.fullLogging.maxMinutes, 120);
        const QByteArray bad = R"({"format_version": 1, "name": "x", "items": [],
            "product": {"name": "P", "full_logging": {
              "config": {"file": "relative.conf", "format": "yaml", "key": "a..b", "full_value": [1]},
              "commands": {"raise": [], "restore": ["x"]},
              "service": {"restart": "x"}, "max_minutes": 0, "colour": 1}}})";
        auto profile = parseProfile(bad, QStringLiteral("bad.json"));
        QVERIFY(!profile);
        const QString message = profile.error().message;
        for (const char *expected : {"product.full_logging: expected exactly one of config, commands or registry",
                                     "product.full_logging.config.file: expected an absolute path",
                                     "product.full_logging.config.format: unknown format \"yaml\"",
                                     "product.full_logging.config.key: expected names separated by dots",
                                     "product.full_logging.config.full_value: expected a string, number or boolean",
                                     "product.full_logging.commands.raise: must not be empty",
                                     "product.full_logging.service.restart: expected an array of strings",
                                     "product.full_logging.max_minutes: expected whole minutes from 1 to 1440",
                                     "product.full_logging.colour: unknown key"})
            QVERIFY2(message.contains(QLatin1String(expected)),
                     qPrintable(message + QStringLiteral("\nmissing: ") + QLatin1String(expected)));
        const QByteArray registry = R"({"format_version": 1, "name": "x", "items": [],
            "product": {"name": "P", "full_logging": {
              "registry": {"key": "HKLM\\Software\\Acme", "value": "LogLevel", "full_data": 5}}}})";
        auto parsed = parseProfile(registry, QStringLiteral("reg.json"));
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->fullLogging.registryData, QStringLiteral("5"));
        const QByteArray badKey = R"({"format_version": 1, "name": "x", "items": [],
            "product": {"name": "P", "full_logging": {"registry": {"key": "Software\\Acme", "value": "L", "full_data": true}}}})";
        auto rejected = parseProfile(badKey, QStringLiteral("reg.json"));
        QVERIFY(!rejected);
        QVERIFY(rejected.error().message.contains(QStringLiteral("product.full_logging.registry.key")));
        QVERIFY(rejected.error().message.contains(QStringLiteral("product.full_logging.registry.full_data")));
    }

    void raiseAndRestoreTheFixture()
    {
        FullLogging fl(m_state);
        QCOMPARE(levelLine(), QStringLiteral("level = normal"));
        auto raised = fl.raise(m_profile, 30, FullLogging::Owner::Detached);
        QVERIFY2(raised, raised ? "" : qPrintable(raised.error().message));
        QVERIFY(raised->active);
        QVERIFY(!raised->joined);
        QCOMPARE(levelLine(), QStringLiteral("level = full"));
        QCOMPARE(restarts(), QStringList{QStringLiteral("restart level=full")});
        QVERIFY(raised->secondsLeft() > 29 * 60 && raised->secondsLeft() <= 30 * 60);
        QCOMPARE(raised->record.previous, QStringLiteral("normal"));
        QVERIFY(raised->describe().contains(QStringLiteral("Acme Shield")));

        // On again: the cap moves, the recorded previous level stays "normal".
        auto again = fl.raise(m_profile, 60, FullLogging::Owner::Detached);
        QVERIFY(again && again->joined);
        QCOMPARE(again->record.previous, QStringLiteral("normal"));
        QCOMPARE(restarts().size(), 1);

        // Nothing is stale: recovery leaves it alone.
        auto recovered = recoverFullLogging(m_state);
        QVERIFY(recovered && !recovered->restored);
        QCOMPARE(levelLine(), QStringLiteral("level = full"));

        auto restored = fl.restore();
        QVERIFY2(restored, restored ? "" : qPrintable(restored.error().message));
        QVERIFY(restored->restored);
        QVERIFY(restored->warnings.isEmpty());
        QCOMPARE(levelLine(), QStringLiteral("level = normal"));
        QCOMPARE(readAll(conf()), readAll(kAcmeFixture + QStringLiteral("/etc/acme-shield/shield.conf")));
        QCOMPARE(restarts(),
                 (QStringList{QStringLiteral("restart level=full"), QStringLiteral("restart level=normal")}));
        QVERIFY(!QFileInfo::exists(fl.stateFile()));
        auto status = fl.status();
        QVERIFY(status && !status->active);
        // Off when off is harmless.
        auto twice = fl.restore();
        QVERIFY(twice && !twice->restored);
    }

    void deadOwnerIsRestoredAtTheNextStart()
    {
        FullLogging fl(m_state);
        QVERIFY(fl.raise(m_profile, 0, FullLogging::Owner::ThisProcess));
        auto status = fl.status();
        QVERIFY(status->ownerAlive);
        QCOMPARE(status->record.ownerPid, QCoreApplication::applicationPid());
        const qint64 dead = deadPid();
        editState([&](QJsonObject &o) {
            QJsonObject owner = o.value(QStringLiteral("owner")).toObject();
            owner.insert(QStringLiteral("pid"), dead);
            o.insert(QStringLiteral("owner"), owner);
        });
        QVERIFY(!fl.status()->ownerAlive);
        auto recovered = recoverFullLogging(m_state);
        QVERIFY2(recovered, recovered ? "" : qPrintable(recovered.error().message));
        QVERIFY(recovered->restored);
        QVERIFY2(recovered->message.contains(QStringLiteral("is gone")), qPrintable(recovered->message));
        QCOMPARE(levelLine(), QStringLiteral("level = normal"));
        QCOMPARE(restarts().size(), 2);
    }

    void releaseOwnLeavesSomeoneElsesRaise()
    {
        FullLogging fl(m_state);
        QVERIFY(fl.raise(m_profile, 10, FullLogging::Owner::Detached));
        auto released = fl.releaseOwn();
        QVERIFY(released && !released->restored);
        QCOMPARE(levelLine(), QStringLiteral("level = full"));
        QVERIFY(fl.restore());
    }

    void timeCapRestores()
    {
        FullLogging fl(m_state);
        QVERIFY(fl.raise(m_profile, 5, FullLogging::Owner::Detached));
        editState([](QJsonObject &o) {
            o.insert(QStringLiteral("expires"),
                     QDateTime::currentDateTimeUtc().addSecs(-60).toString(Qt::ISODateWithMs));
        });
        QVERIFY(fl.status()->expired());
        auto recovered = recoverFullLogging(m_state);
        QVERIFY(recovered && recovered->restored);
        QVERIFY2(recovered->message.contains(QStringLiteral("time cap")), qPrintable(recovered->message));
        QCOMPARE(levelLine(), QStringLiteral("level = normal"));
    }

    void aSettingChangedSinceIsLeftAlone()
    {
        FullLogging fl(m_state);
        QVERIFY(fl.raise(m_profile, 5, FullLogging::Owner::Detached));
        QVERIFY(
            writeConfigValue(conf(), ConfigFormat::Ini, QStringLiteral("logging.level"), QStringLiteral("verbose")));
        auto restored = fl.restore();
        QVERIFY(restored);
        QVERIFY2(restored->message.contains(QStringLiteral("left")), qPrintable(restored->message));
        QCOMPARE(levelLine(), QStringLiteral("level = verbose"));
        QVERIFY(!QFileInfo::exists(fl.stateFile()));
    }

    void damagedStateIsAClearError()
    {
        FullLogging fl(m_state);
        writeAll(fl.stateFile(), "{\"format\": \"diagcollect-full-logging\", \"format_version\": 1, \"method\": ");
        auto status = fl.status();
        QVERIFY(!status);
        QVERIFY(status.error().message.contains(QStringLiteral("is damaged")));
        QVERIFY(status.error().message.contains(QStringLiteral("full-logging off --forget")));
        auto recovered = recoverFullLogging(m_state);
        QVERIFY(!recovered);
        QVERIFY(!fl.raise(m_profile, 5, FullLogging::Owner::Detached)); // never over an unknown state
        QCOMPARE(levelLine(), QStringLiteral("level = normal"));
        QVERIFY(fl.forget());
        QVERIFY(fl.status() && !fl.status()->active);
    }

    void commandsMethodAndFailedRestart()
    {
        Profile profile = m_profile;
        const QString marker = m_root + QStringLiteral("/commands.log");
        profile.fullLogging = FullLoggingSpec{};
        profile.fullLogging.method = FullLoggingSpec::Method::Commands;
        profile.fullLogging.raiseArgv = {QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                                         QStringLiteral("echo raise >> ") + marker};
        profile.fullLogging.restoreArgv = {QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                                           QStringLiteral("echo restore >> ") + marker};
        FullLogging fl(m_state);
        QVERIFY(fl.raise(profile, 5, FullLogging::Owner::Detached));
        QVERIFY(fl.restore());
        QCOMPARE(readAll(marker), QByteArray("raise\nrestore\n"));

        // A restart that fails puts the previous level back and reports it.
        Profile failing = m_profile;
        failing.fullLogging.restartArgv = {QStringLiteral("/bin/false")};
        auto raised = fl.raise(failing, 5, FullLogging::Owner::Detached);
        QVERIFY(!raised);
        QVERIFY2(raised.error().message.contains(QStringLiteral("put back")), qPrintable(raised.error().message));
        QCOMPARE(levelLine(), QStringLiteral("level = normal"));
        QVERIFY(!QFileInfo::exists(fl.stateFile()));
    }

    // Issue 14, item 7: a round trip gives the file back byte for byte.
    void roundTripIsByteForByte_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("fullValue");
        QTest::addColumn<QByteArray>("original");
        QTest::newRow("ini without the section")
            << QStringLiteral("ini") << QStringLiteral("logging.level") << QStringLiteral("\"full\"")
            << QByteArray("# Acme\n[engine]\nthreads=4\n");
        QTest::newRow("json numbers")
            << QStringLiteral("json") << QStringLiteral("logging.level") << QStringLiteral("\"full\"")
            << QByteArray("{\"version\": 1.10, \"cache\": 1e3,\n  \"logging\": {\"level\": \"normal\"}}");
        QTest::newRow("json without the key") << QStringLiteral("json") << QStringLiteral("logging.level")
                                              << QStringLiteral("\"full\"") << QByteArray("{\"ratio\": 0.50}");
    }
    void roundTripIsByteForByte()
    {
        QFETCH(QString, format);
        QFETCH(QString, key);
        QFETCH(QString, fullValue);
        QFETCH(QByteArray, original);
        const QString file = m_root + QStringLiteral("/etc/acme-shield/product.") + format;
        writeAll(file, original);
        FullLogging fl(m_state);
        auto raised = fl.raise(configProfile(file, format, key, fullValue), 5, FullLogging::Owner::Detached);
        QVERIFY2(raised, raised ? "" : qPrintable(raised.error().message));
        QVERIFY(readAll(file) != original);
        auto restored = fl.restore();
        QVERIFY2(restored, restored ? "" : qPrintable(restored.error().message));
        QVERIFY2(restored->message.contains(QStringLiteral("as it was")), qPrintable(restored->message));
        QCOMPARE(readAll(file), original);
    }

    // Changed since the raise (someone else edited another line): only the key goes back, and it says so.
    void aFileChangedSinceGetsOnlyTheKeyBack()
    {
        FullLogging fl(m_state);
        QVERIFY(fl.raise(m_profile, 5, FullLogging::Owner::Detached));
        QByteArray bytes = readAll(conf());
        bytes.append("# added by the admin\n");
        writeAll(conf(), bytes);
        auto restored = fl.restore();
        QVERIFY2(restored, restored ? "" : qPrintable(restored.error().message));
        QVERIFY2(restored->message.contains(QStringLiteral("only this setting")), qPrintable(restored->message));
        QCOMPARE(levelLine(), QStringLiteral("level = normal"));
        QVERIFY(readAll(conf()).endsWith("# added by the admin\n"));
    }

    // Issue 14, item 1: a config in a user's folder, or replaced by a symlink or a
    // hardlink, is never edited; the planted target keeps its owner, mode and bytes.
    void refusesConfigsAnotherUserControls()
    {
        TestUser user;
        DC_REQUIRE_TEST_USER(user);
        const QString secretDir = m_root + QStringLiteral("/root-only");
        QVERIFY(QDir().mkpath(secretDir));
        const QString secret = secretDir + QStringLiteral("/secret.conf");
        writeAll(secret, "[logging]\nlevel = normal\n");
        ::chmod(QFile::encodeName(secret).constData(), 0600);
        const auto before = fileState(secret);

        // 1. The user's folder holds a symlink to the root-only file.
        const QString userDir = m_root + QStringLiteral("/user-etc");
        QVERIFY(QDir().mkpath(userDir));
        QVERIFY(user.own(userDir));
        QVERIFY(symlinkTo(secret, userDir + QStringLiteral("/shield.conf")));
        FullLogging fl(m_state);
        const auto tryRaise = [&](const QString &file, const QString &account = {}) {
            return fl.raise(configProfile(file, QStringLiteral("ini"), QStringLiteral("logging.level"),
                                          QStringLiteral("\"full\""), account),
                            5, FullLogging::Owner::Detached);
        };
        auto viaUserDir = tryRaise(userDir + QStringLiteral("/shield.conf"));
        QVERIFY(!viaUserDir);
        QCOMPARE(viaUserDir.error().code, ErrorCode::PolicyRefused);
        QVERIFY2(viaUserDir.error().message.contains(QStringLiteral("refusing to edit")) &&
                     viaUserDir.error().message.contains(user.name()),
                 qPrintable(viaUserDir.error().message));
        // 2. A symlink in a root-owned folder.
        const QString linked = m_root + QStringLiteral("/etc/acme-shield/linked.conf");
        QVERIFY(symlinkTo(secret, linked));
        auto viaLink = tryRaise(linked);
        QVERIFY(!viaLink);
        QVERIFY2(viaLink.error().message.contains(QStringLiteral("symbolic link")),
                 qPrintable(viaLink.error().message));
        // 3. A hardlink to the root-only file.
        const QString hard = m_root + QStringLiteral("/etc/acme-shield/hard.conf");
        QCOMPARE(::link(QFile::encodeName(secret).constData(), QFile::encodeName(hard).constData()), 0);
        auto viaHardlink = tryRaise(hard);
        QVERIFY(!viaHardlink);
        QVERIFY2(viaHardlink.error().message.contains(QStringLiteral("hard links")),
                 qPrintable(viaHardlink.error().message));
        // 4. A file the user owns in a root folder, and a folder others may write to.
        const QString owned = m_root + QStringLiteral("/etc/acme-shield/owned.conf");
        writeAll(owned, "[logging]\nlevel = normal\n");
        QVERIFY(user.own(owned));
        QVERIFY(!tryRaise(owned));
        const QString open = m_root + QStringLiteral("/open");
        writeAll(open + QStringLiteral("/shield.conf"), "[logging]\nlevel = normal\n");
        ::chmod(QFile::encodeName(open).constData(), 0777);
        auto viaOpen = tryRaise(open + QStringLiteral("/shield.conf"));
        QVERIFY(!viaOpen);
        QVERIFY2(viaOpen.error().message.contains(QStringLiteral("other users")), qPrintable(viaOpen.error().message));

        QVERIFY(fileState(secret) == before);
        QCOMPARE(readAll(owned), QByteArray("[logging]\nlevel = normal\n"));
        QVERIFY(!QFileInfo::exists(fl.stateFile()));

        // The product's own account may own its folder and file (service.account): the
        // file keeps that owner and its mode, set on the descriptor.
        const QString productDir = m_root + QStringLiteral("/product-etc");
        const QString productConf = productDir + QStringLiteral("/shield.conf");
        writeAll(productConf, "[logging]\nlevel = normal\n");
        ::chmod(QFile::encodeName(productConf).constData(), 0640);
        QVERIFY(user.own(productDir) && user.own(productConf));
        auto trusted = tryRaise(productConf, user.name());
        QVERIFY2(trusted, trusted ? "" : qPrintable(trusted.error().message));
        QCOMPARE(fileState(productConf).uid, user.uid());
        QCOMPARE(int(fileState(productConf).mode & 07777), 0640);
        QVERIFY(readAll(productConf).contains("level = full"));
        // Swapped for a symlink before the restore: refused, nothing written through it.
        QVERIFY(QFile::remove(productConf));
        QVERIFY(symlinkTo(secret, productConf));
        auto restore = fl.restore();
        QVERIFY(!restore);
        QVERIFY2(restore.error().message.contains(QStringLiteral("symbolic link")),
                 qPrintable(restore.error().message));
        QVERIFY(fileState(secret) == before);
        QVERIFY(fl.forget());
    }

    // Issue 14: a helper swaps symlinks in a tight loop while full-log mode goes on
    // and off 200 times; no file outside the profile's paths changes.
    void raceSwappingSymlinksNeverWinsAgainstFullLogMode()
    {
        TestUser user;
        DC_REQUIRE_TEST_USER(user);
        const QString secretDir = m_root + QStringLiteral("/root-only");
        QVERIFY(QDir().mkpath(secretDir));
        const QString secret = secretDir + QStringLiteral("/shadow");
        writeAll(secret, "root:$6$hash:19000:0:99999:7:::\n");
        ::chmod(QFile::encodeName(secret).constData(), 0600);
        const auto before = fileState(secret);
        // The service account owns the product's folder: it may swap what is in it.
        const QString productDir = m_root + QStringLiteral("/product-etc");
        const QString productConf = productDir + QStringLiteral("/shield.conf");
        const QByteArray original = "[logging]\nlevel = normal\n";
        writeAll(productConf, original);
        QVERIFY(user.own(productDir) && user.own(productConf));
        const Profile profile = configProfile(productConf, QStringLiteral("ini"), QStringLiteral("logging.level"),
                                              QStringLiteral("\"full\""), user.name());

        std::atomic_bool stop = false;
        std::atomic_int swaps = 0;
        std::thread swapper([&]() {
            const QByteArray conf = QFile::encodeName(productConf);
            const QByteArray link = QFile::encodeName(productDir + QStringLiteral("/.swap-link"));
            const QByteArray target = QFile::encodeName(secret);
            while (!stop) {
                // Replace the config by a symlink to the root-only file, then back.
                ::unlink(link.constData());
                if (::symlink(target.constData(), link.constData()) == 0)
                    ::rename(link.constData(), conf.constData());
                std::this_thread::yield();
                const QByteArray regular = conf + ".regular";
                QFile file(QFile::decodeName(regular));
                if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
                    file.write(original);
                    file.close();
                    ::lchown(regular.constData(), user.uid(), user.gid());
                    ::rename(regular.constData(), conf.constData());
                }
                ++swaps;
            }
        });
        FullLogging fl(m_state);
        int raisedRounds = 0;
        for (int round = 0; round < 200; ++round) {
            if (fl.raise(profile, 5, FullLogging::Owner::Detached))
                ++raisedRounds;
            (void)fl.restore();
        }
        stop = true;
        swapper.join();
        (void)fl.forget();
        qInfo("%d of 200 raises went through, %d swaps", raisedRounds, swaps.load());
        QVERIFY(swaps > 0);
        QVERIFY(fileState(secret) == before);
        const auto stateDir = fileState(secretDir);
        QCOMPARE(stateDir.uid, uid_t(0));
    }

    void fullLogModeLiftsCapsOnProductData()
    {
        ItemSpec logs;
        for (const ItemSpec &item : std::as_const(m_profile.items))
            if (item.id == QLatin1String("product-logs"))
                logs = item;
        QVERIFY(logs.productData);
        logs.files.maxAgeDays = 3;
        const ItemSpec full = withFullLogExtras(logs);
        QCOMPARE(full.maxBytes, qint64(0));
        QCOMPARE(full.files.maxAgeDays, 0);
        QVERIFY(full.files.rotated && full.files.compressed);
        ItemSpec other;
        other.maxBytes = 10;
        QCOMPARE(withFullLogExtras(other).maxBytes, qint64(10));
    }
};

QTEST_GUILESS_MAIN(TestFullLogging)
#include "test_fulllogging.moc"
