// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// End-to-end tests of full-log mode, the admin policy and headless remote runs,
// against a copy of the Acme fixture product (tests/data/acme is never modified).
#include "tests/core/testuser.h"
#include "tests/support/testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

namespace {

const QString kAcmeProfile = dc::test::acmeProfile();
const QString kAcmeFixture = dc::test::acmeFixture();
using dc::test::copyTree;
using dc::test::readAll;
using dc::test::writeAll;

} // namespace

class TestAdmin : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_root; // this test's copy of the fixture product
    QString m_policy;

    QString path(const QString &relative) const { return m_home.path() + QLatin1Char('/') + relative; }

    // What --keep-staging kept (the collected folder and, when redacting, its redacted copy),
    // removed as its user would: the folders and their .kept markers.
    void removeKeptStaging() const
    {
        const QString root = path(QStringLiteral("cache/diagcollect/staging"));
        for (const QString &marker : QDir(root).entryList({QStringLiteral("run-*.kept")}, QDir::Files | QDir::Hidden)) {
            QDir(root + QLatin1Char('/') + marker.chopped(5)).removeRecursively();
            QFile::remove(root + QLatin1Char('/') + marker);
        }
    }

    QString stateFile() const { return path(QStringLiteral("state-dir/full-logging.json")); }
    QString level() const
    {
        for (const QByteArray &line : readAll(m_root + QStringLiteral("/etc/acme-shield/shield.conf")).split('\n'))
            if (line.startsWith("level"))
                return QString::fromUtf8(line);
        return QString();
    }
    QStringList restarts() const
    {
        const QByteArray log = readAll(m_root + QStringLiteral("/var/run/acme-shield/restarts.log")).trimmed();
        return log.isEmpty() ? QStringList() : QString::fromUtf8(log).split(QLatin1Char('\n'));
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = dc::test::isolatedEnvironment(m_home.path());
        env.insert(QStringLiteral("DIAGCOLLECT_STATE_DIR"), path(QStringLiteral("state-dir")));
        if (!m_policy.isEmpty())
            env.insert(QStringLiteral("DIAGCOLLECT_POLICY"), m_policy);
        else
            env.remove(QStringLiteral("DIAGCOLLECT_POLICY"));
        return env;
    }

    void start(QProcess &process, const QStringList &arguments) const
    {
        process.setProcessEnvironment(environment());
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(QStringLiteral(DC_BINARY), arguments);
        QVERIFY(process.waitForStarted());
    }

    using Run = dc::test::BinaryRun;

    Run run(const QStringList &arguments) const { return dc::test::runBinary(arguments, environment()); }

    QStringList acme(QStringList arguments) const
    {
        return arguments << QStringLiteral("--profile") << kAcmeProfile << QStringLiteral("--define")
                         << QStringLiteral("ACME_ROOT=") + m_root;
    }

    void setPolicy(const QByteArray &json)
    {
        m_policy = path(QStringLiteral("policy-%1.json").arg(QDateTime::currentMSecsSinceEpoch()));
        writeAll(m_policy, json);
    }

    static QJsonObject object(const QByteArray &out) { return QJsonDocument::fromJson(out).object(); }

    // The manifest of a run kept with --keep-staging.
    static QJsonObject manifestOf(const QJsonObject &result)
    {
        return object(readAll(result.value(QStringLiteral("staging")).toString() + QStringLiteral("/manifest.json")));
    }

    static QJsonObject itemOf(const QJsonObject &manifest, const QString &id)
    {
        for (const QJsonValue &item : manifest.value(QStringLiteral("items")).toArray())
            if (item[QStringLiteral("id")].toString() == id)
                return item.toObject();
        return {};
    }

private slots:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void init()
    {
        static int round = 0;
        m_root = path(QStringLiteral("acme-%1").arg(++round));
        QVERIFY(copyTree(kAcmeFixture, m_root));
        QFile::remove(stateFile());
        m_policy.clear();
    }

    // Issue 14, item 1: `full-logging on` as root refuses a config in a folder another
    // user controls (exit code 3), and the root-only file a link points to stays as it was.
    void fullLoggingRefusesAConfigAnotherUserControls()
    {
        dc::test::TestUser user;
        DC_REQUIRE_TEST_USER(user);
        const QString confDir = m_root + QStringLiteral("/etc/acme-shield");
        const QString secret = path(QStringLiteral("root-only.conf"));
        writeAll(secret, "[logging]\nlevel = normal\n");
        const auto before = dc::test::fileState(secret);
        QVERIFY(user.own(confDir));
        QVERIFY(QFile::remove(confDir + QStringLiteral("/shield.conf")));
        QVERIFY(QFile::link(secret, confDir + QStringLiteral("/shield.conf")));
        Run on = run(acme(
            {QStringLiteral("full-logging"), QStringLiteral("on"), QStringLiteral("--minutes"), QStringLiteral("5")}));
        QCOMPARE(on.exitCode, 3);
        QVERIFY2(on.err.contains("refusing to edit"), on.err.constData());
        QVERIFY(dc::test::fileState(secret) == before);
        QVERIFY(!QFileInfo::exists(stateFile()));
        QVERIFY(restarts().isEmpty());
    }

    void fullLoggingOnStatusOff()
    {
        Run on = run(acme({QStringLiteral("full-logging"), QStringLiteral("on"), QStringLiteral("--minutes"),
                           QStringLiteral("30"), QStringLiteral("--json")}));
        QVERIFY2(on.exitCode == 0, on.err.constData());
        QCOMPARE(object(on.out).value(QStringLiteral("state")).toString(), QStringLiteral("full"));
        QCOMPARE(level(), QStringLiteral("level = full"));
        QCOMPARE(restarts(), QStringList{QStringLiteral("restart level=full")});

        Run status = run({QStringLiteral("full-logging"), QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.exitCode, 0);
        const QJsonObject json = object(status.out);
        QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("full"));
        QCOMPARE(json.value(QStringLiteral("product")).toString(), QStringLiteral("Acme Shield"));
        QCOMPARE(json.value(QStringLiteral("previous")).toString(), QStringLiteral("normal"));
        QVERIFY(json.value(QStringLiteral("seconds_left")).toInteger() > 29 * 60);
        Run text = run({QStringLiteral("full-logging"), QStringLiteral("status")});
        QVERIFY2(text.out.contains("Full logging is on for Acme Shield") && text.out.contains("min left"),
                 text.out.constData());

        // Another command in between changes nothing: nothing is stale.
        QCOMPARE(run(acme({QStringLiteral("list")})).exitCode, 0);
        QCOMPARE(level(), QStringLiteral("level = full"));

        Run off = run({QStringLiteral("full-logging"), QStringLiteral("off")});
        QVERIFY2(off.exitCode == 0, off.err.constData());
        QVERIFY(off.out.contains("normal again"));
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QCOMPARE(readAll(m_root + QStringLiteral("/etc/acme-shield/shield.conf")),
                 readAll(kAcmeFixture + QStringLiteral("/etc/acme-shield/shield.conf")));
        QCOMPARE(restarts(),
                 (QStringList{QStringLiteral("restart level=full"), QStringLiteral("restart level=normal")}));
        Run after = run({QStringLiteral("full-logging"), QStringLiteral("status")});
        QVERIFY(after.out.contains("Full logging is off"));

        // Usage mistakes.
        QCOMPARE(run({QStringLiteral("full-logging")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("full-logging"), QStringLiteral("sideways")}).exitCode, 2);
        QCOMPARE(run(acme({QStringLiteral("full-logging"), QStringLiteral("on"), QStringLiteral("--minutes"),
                           QStringLiteral("999")}))
                     .exitCode,
                 2);
        QCOMPARE(run({QStringLiteral("full-logging"), QStringLiteral("on")}).exitCode, 2); // default profile: none
    }

    void collectWithFullLogsCollectsTheExtras()
    {
        // A profile whose caps cut the fixture's logs and dump in a normal run.
        QJsonObject profile = object(readAll(kAcmeProfile));
        profile.insert(QStringLiteral("limits"), QJsonObject{{QStringLiteral("item_bytes"), 1000}});
        const QString small = path(QStringLiteral("acme-small.json"));
        writeAll(small, QJsonDocument(profile).toJson());
        auto collect = [&](bool fullLogs) {
            QStringList arguments{QStringLiteral("collect"),
                                  QStringLiteral("--profile"),
                                  small,
                                  QStringLiteral("--define"),
                                  QStringLiteral("ACME_ROOT=") + m_root,
                                  QStringLiteral("--output"),
                                  path(fullLogs ? QStringLiteral("out-full") : QStringLiteral("out-normal")),
                                  QStringLiteral("--keep-staging"),
                                  QStringLiteral("--json"),
                                  QStringLiteral("--quiet")};
            // Full-log mode includes the product's dumps by itself; a normal run only when asked.
            arguments << (fullLogs ? QStringLiteral("--full-logs") : QStringLiteral("--include-binary"));
            return run(arguments);
        };
        Run normal = collect(false);
        QVERIFY2(normal.exitCode == 0, normal.err.constData());
        // Read before the next run: it removes staging folders whose run has ended.
        const QJsonObject normalManifest = manifestOf(object(normal.out));
        Run full = collect(true);
        QVERIFY2(full.exitCode == 0, full.err.constData());
        const QJsonObject fullManifest = manifestOf(object(full.out));
        QVERIFY(!fullManifest.isEmpty());
        QCOMPARE(fullManifest.value(QStringLiteral("full_logs")).toBool(), true);

        QVERIFY(itemOf(normalManifest, QStringLiteral("shield-debug-state")).isEmpty());
        QCOMPARE(itemOf(fullManifest, QStringLiteral("shield-debug-state")).value(QStringLiteral("status")).toString(),
                 QStringLiteral("collected"));
        for (const char *id : {"product-logs", "product-crash-dumps"}) {
            const QJsonObject before = itemOf(normalManifest, QLatin1String(id));
            const QJsonObject after = itemOf(fullManifest, QLatin1String(id));
            QCOMPARE(before.value(QStringLiteral("status")).toString(), QStringLiteral("truncated"));
            QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("collected"));
            QVERIFY(after.value(QStringLiteral("bytes")).toInteger() >
                    before.value(QStringLiteral("bytes")).toInteger());
        }
        QCOMPARE(object(full.out)[QStringLiteral("redaction")][QStringLiteral("excluded_files")].toInt(), 0);
        // The dump itself, whole.
        const QString staging = object(full.out).value(QStringLiteral("staging")).toString();
        QCOMPARE(
            QFileInfo(staging + QStringLiteral("/crash-dumps/product-crash-dumps/shield-20240503-082400.dmp")).size(),
            QFileInfo(kAcmeFixture + QStringLiteral("/var/crash/acme-shield/shield-20240503-082400.dmp")).size());
        removeKeptStaging();
    }

    void killedCollectIsRecoveredAtTheNextStart()
    {
        QProcess process;
        start(process, acme({QStringLiteral("collect"), QStringLiteral("--full-logs"), QStringLiteral("--reproduce"),
                             QStringLiteral("300"), QStringLiteral("--output"), path(QStringLiteral("out-killed")),
                             QStringLiteral("--json")}));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(stateFile()) && level() == QLatin1String("level = full"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(restarts().size(), 1, 10000);
        process.kill(); // SIGKILL: no chance to restore
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(level(), QStringLiteral("level = full"));

        // Any next start restores it.
        Run next = run({QStringLiteral("policy")});
        QCOMPARE(next.exitCode, 0);
        QVERIFY2(next.err.contains("is gone"), next.err.constData());
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QCOMPARE(restarts(),
                 (QStringList{QStringLiteral("restart level=full"), QStringLiteral("restart level=normal")}));
        QVERIFY(!QFileInfo::exists(stateFile()));
    }

    void reproduceRoundRestoresAtTheEnd()
    {
        Run result = run(acme({QStringLiteral("collect"), QStringLiteral("--full-logs"), QStringLiteral("--reproduce"),
                               QStringLiteral("1"), QStringLiteral("--output"), path(QStringLiteral("out-round")),
                               QStringLiteral("--json")}));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(QFileInfo::exists(object(result.out).value(QStringLiteral("archive")).toString()));
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QCOMPARE(restarts(),
                 (QStringList{QStringLiteral("restart level=full"), QStringLiteral("restart level=normal")}));
        QCOMPARE(run(acme({QStringLiteral("collect"), QStringLiteral("--reproduce"), QStringLiteral("1")})).exitCode,
                 2);
    }

    void timeCapExpiryRestores()
    {
        QCOMPARE(run(acme({QStringLiteral("full-logging"), QStringLiteral("on")})).exitCode, 0);
        QJsonObject state = object(readAll(stateFile()));
        state.insert(QStringLiteral("expires"), QDateTime::currentDateTimeUtc().addSecs(-5).toString(Qt::ISODate));
        writeAll(stateFile(), QJsonDocument(state).toJson());
        Run expired =
            run({QStringLiteral("full-logging"), QStringLiteral("restore-expired"), QStringLiteral("--json")});
        QCOMPARE(expired.exitCode, 0);
        const QJsonObject json = object(expired.out);
        QVERIFY(json.value(QStringLiteral("restored")).toBool());
        QVERIFY(json.value(QStringLiteral("message")).toString().contains(QStringLiteral("time cap")));
        QCOMPARE(level(), QStringLiteral("level = normal"));
        Run again = run({QStringLiteral("full-logging"), QStringLiteral("restore-expired")});
        QVERIFY(again.out.contains("nothing to restore"));
    }

    void damagedStateFileIsReportedClearly()
    {
        writeAll(stateFile(), "{\"format\": \"diagcollect-full-logging\", garbage");
        Run status = run({QStringLiteral("full-logging"), QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.exitCode, 1);
        QCOMPARE(object(status.out).value(QStringLiteral("state")).toString(), QStringLiteral("damaged"));
        QVERIFY2(status.err.contains("is damaged") && status.err.contains("full-logging off --forget"),
                 status.err.constData());
        // Other commands go on, with the warning on stderr only.
        Run list = run(acme({QStringLiteral("list"), QStringLiteral("--json")}));
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.err.contains("is damaged"));
        QVERIFY(!object(list.out).isEmpty());
        QCOMPARE(run(acme({QStringLiteral("full-logging"), QStringLiteral("on")})).exitCode, 1);
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QCOMPARE(run({QStringLiteral("full-logging"), QStringLiteral("off"), QStringLiteral("--forget")}).exitCode, 0);
        QVERIFY(!QFileInfo::exists(stateFile()));
    }

    void headlessCollectPrintsExactlyOneJsonObject()
    {
        Run result = run(acme({QStringLiteral("collect"), QStringLiteral("--output"), path(QStringLiteral("out-json")),
                               QStringLiteral("--case-id"), QStringLiteral("CASE-7"), QStringLiteral("--json")}));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(result.out.endsWith('\n'));
        QCOMPARE(result.out.count('\n'), 1);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(result.out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(doc.isObject());
        QVERIFY(QFileInfo::exists(doc.object().value(QStringLiteral("archive")).toString()));
    }

    void remoteRunRefusedByPolicy()
    {
        setPolicy(R"({"allow_remote_runs": false})");
        // stdin and stderr are not terminals here: this run is remote.
        Run refused = run(acme({QStringLiteral("collect"), QStringLiteral("--output"),
                                path(QStringLiteral("out-remote")), QStringLiteral("--json")}));
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("remote runs are not allowed"), refused.err.constData());
        QCOMPARE(
            object(refused.out).value(QStringLiteral("error")).toObject().value(QStringLiteral("exit_code")).toInt(),
            3);
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("out-remote"))));
        QCOMPARE(run(acme({QStringLiteral("full-logging"), QStringLiteral("on")})).exitCode, 3);
        QCOMPARE(level(), QStringLiteral("level = normal"));
        // Listing collects nothing and is allowed.
        QCOMPARE(run(acme({QStringLiteral("list")})).exitCode, 0);
    }

    void policyRulesTheRun()
    {
        setPolicy(R"({"disabled_categories": ["crash-dumps"], "allow_full_logs": false,
                      "upload": {"forbidden": true}, "retention_days": 5, "force_redaction": true})");
        Run shown = run({QStringLiteral("policy"), QStringLiteral("--json")});
        QCOMPARE(shown.exitCode, 0);
        QCOMPARE(object(shown.out).value(QStringLiteral("source")).toString(), m_policy);
        QCOMPARE(object(shown.out).value(QStringLiteral("retention_days")).toInt(), 5);
        Run text = run({QStringLiteral("policy")});
        QVERIFY(text.out.contains("crash-dumps"));

        Run result =
            run(acme({QStringLiteral("collect"), QStringLiteral("--output"), path(QStringLiteral("out-policy")),
                      QStringLiteral("--keep-staging"), QStringLiteral("--json")}));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject manifest = manifestOf(object(result.out));
        for (const char *id : {"product-crash-dumps", "shield-crash-listing"}) {
            const QJsonObject item = itemOf(manifest, QLatin1String(id));
            QCOMPARE(item.value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
            QCOMPARE(item.value(QStringLiteral("reason")).toString(),
                     QStringLiteral("disabled by your administrator's policy"));
        }
        QCOMPARE(itemOf(manifest, QStringLiteral("product-logs")).value(QStringLiteral("status")).toString(),
                 QStringLiteral("collected"));
        const QString staging = object(result.out).value(QStringLiteral("staging")).toString();
        removeKeptStaging();

        const QStringList base = acme({QStringLiteral("collect"), QStringLiteral("--output"),
                                       path(QStringLiteral("out-refused")), QStringLiteral("--json")});
        QCOMPARE(run(QStringList(base) << QStringLiteral("--full-logs")).exitCode, 3);
        QCOMPARE(run(QStringList(base) << QStringLiteral("--upload") << QStringLiteral("https://x.example/")).exitCode,
                 3);
        QCOMPARE(run(QStringList(base) << QStringLiteral("--retention-days") << QStringLiteral("30")).exitCode, 3);
        QCOMPARE(run(QStringList(base) << QStringLiteral("--no-redact")).exitCode, 3);
        QCOMPARE(run({QStringLiteral("upload"), path(QStringLiteral("x.tar.zst")), QStringLiteral("--url"),
                      QStringLiteral("https://x.example/")})
                     .exitCode,
                 3);
        QCOMPARE(run(acme({QStringLiteral("full-logging"), QStringLiteral("on")})).exitCode, 3);
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("out-refused"))));
    }

    void requiredSealingRefusesToUploadAPlainArchive()
    {
        Run keygen = run({QStringLiteral("keygen"), QStringLiteral("--out"), path(QStringLiteral("support.key")),
                          QStringLiteral("--json")});
        QCOMPARE(keygen.exitCode, 0);
        const QString publicKey = object(keygen.out).value(QStringLiteral("public_key")).toString();
        QVERIFY(!publicKey.isEmpty());
        const QString plain = path(QStringLiteral("plain.tar.zst"));
        writeAll(plain, QByteArray("not sealed"));
        const QString otherKey = path(QStringLiteral("other.key"));
        Run other = run({QStringLiteral("keygen"), QStringLiteral("--out"), otherKey, QStringLiteral("--json")});
        QCOMPARE(other.exitCode, 0);
        const QString sealedToOther = path(QStringLiteral("other.tar.zst"));
        writeAll(sealedToOther, QByteArray("sealed to another key"));
        QCOMPARE(run({QStringLiteral("seal"), sealedToOther, QStringLiteral("--public-key"),
                      object(other.out).value(QStringLiteral("public_key")).toString()})
                     .exitCode,
                 0);
        setPolicy(QStringLiteral(R"({"require_sealing": true, "seal_public_key": "%1"})").arg(publicKey).toUtf8());
        const QStringList upload{QStringLiteral("upload"), QStringLiteral("--url"),
                                 QStringLiteral("https://127.0.0.1:9/upload")};
        Run refused = run(QStringList(upload) << plain);
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("sends only sealed archives"), refused.err.constData());
        Run wrongKey = run(QStringList(upload) << sealedToOther + QStringLiteral(".sealed"));
        QCOMPARE(wrongKey.exitCode, 3);
        QVERIFY2(wrongKey.err.contains("requires key"), wrongKey.err.constData());
        // Sealed to the policy's key it passes the policy (and then fails to connect: nothing listens).
        const QString sealedRight = path(QStringLiteral("right.tar.zst"));
        writeAll(sealedRight, QByteArray("sealed to the policy key"));
        QCOMPARE(run({QStringLiteral("seal"), sealedRight, QStringLiteral("--public-key"), publicKey}).exitCode, 0);
        Run allowed = run(QStringList(upload) << sealedRight + QStringLiteral(".sealed"));
        QCOMPARE(allowed.exitCode, 4); // not sent, kept
        QVERIFY2(!allowed.err.contains("policy"), allowed.err.constData());
    }

    // Issue 15: the policy is enforced in core for every entry point.
    void forcedRedactionHoldsForRulesRedactKeptStagingAndPack()
    {
        setPolicy(R"({"force_redaction": true, "redaction_rules": {"keywords": ["Project Bluebird"]}})");
        Run rules = run({QStringLiteral("rules"), QStringLiteral("--json")});
        QCOMPARE(rules.exitCode, 0);
        QStringList every;
        for (const QJsonValue &rule : QJsonDocument::fromJson(rules.out).array())
            every << QStringLiteral("\"%1\"").arg(rule.toObject().value(QStringLiteral("id")).toString());
        const QString disableAll = path(QStringLiteral("disable-all.json"));
        writeAll(disableAll, QStringLiteral(R"({"disable": [%1]})").arg(every.join(QLatin1Char(','))).toUtf8());
        // A rules file that disables every rule is refused before anything is collected.
        Run refused = run(acme({QStringLiteral("collect"), QStringLiteral("--output"), path(QStringLiteral("out-off")),
                                QStringLiteral("--redact-rules"), disableAll, QStringLiteral("--json")}));
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("force_redaction"), refused.err.constData());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("out-off"))) || QDir(path(QStringLiteral("out-off"))).isEmpty());

        // `redact` uses the policy's keywords, and refuses the same rules file.
        const QString in = path(QStringLiteral("notes.log"));
        writeAll(in, "meeting about Project Bluebird with bob.jones@example.org\n");
        Run redacted = run({QStringLiteral("redact"), QStringLiteral("--in"), in, QStringLiteral("--out"),
                            path(QStringLiteral("notes.redacted.log"))});
        QVERIFY2(redacted.exitCode == 0, redacted.err.constData());
        const QByteArray redactedText = readAll(path(QStringLiteral("notes.redacted.log")));
        QVERIFY2(!redactedText.contains("Bluebird"), redactedText.constData());
        QVERIFY(!redactedText.contains("bob.jones@example.org"));
        QCOMPARE(run({QStringLiteral("redact"), QStringLiteral("--in"), in, QStringLiteral("--out"),
                      path(QStringLiteral("notes.2.log")), QStringLiteral("--rules"), disableAll})
                     .exitCode,
                 3);

        // --keep-staging keeps only the redacted copy; the run writes a consent receipt.
        const QString stagingRoot = path(QStringLiteral("cache/diagcollect/staging"));
        Run kept = run(acme({QStringLiteral("collect"), QStringLiteral("--output"), path(QStringLiteral("out-kept")),
                             QStringLiteral("--keep-staging"), QStringLiteral("--json")}));
        QVERIFY2(kept.exitCode == 0, kept.err.constData());
        const QString staging = object(kept.out).value(QStringLiteral("staging")).toString();
        QCOMPARE(QDir(stagingRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);
        QVERIFY(QFileInfo(staging).isDir());
        const QString receipt = object(kept.out).value(QStringLiteral("receipt")).toString();
        QVERIFY2(QFileInfo::exists(receipt), kept.out.constData());
        QCOMPARE(QJsonDocument::fromJson(readAll(receipt))
                     .object()
                     .value(QStringLiteral("archive"))
                     .toObject()
                     .value(QStringLiteral("sha256"))
                     .toString(),
                 object(kept.out).value(QStringLiteral("sha256")).toString());

        // A hand edit puts personal data back: pack redacts it again (leak check included).
        QString edited;
        QDirIterator it(staging, {QStringLiteral("*.log")}, QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(it.hasNext());
        edited = it.next();
        QFile file(edited);
        QVERIFY(file.open(QIODevice::Append));
        file.write("support contact carol.white@example.net about Project Bluebird\n");
        file.close();
        Run pack =
            run({QStringLiteral("pack"), staging, QStringLiteral("--output"), path(QStringLiteral("out-repack"))});
        QVERIFY2(pack.exitCode == 0, pack.err.constData());
        const QString archive = QString::fromUtf8(pack.out.trimmed());
        QVERIFY(QFileInfo::exists(archive + QStringLiteral(".map.json")));
        QProcess untar;
        untar.start(QStringLiteral("/bin/sh"),
                    {QStringLiteral("-c"), QStringLiteral("zstd -dc \"$0\" | tar -xOf -"), archive});
        QVERIFY(untar.waitForFinished(60000));
        const QByteArray content = untar.readAllStandardOutput();
        QVERIFY(content.size() > 1000);
        QVERIFY(!content.contains("carol.white@example.net"));
        QVERIFY(!content.contains("Bluebird"));

        // require_sealing: pack seals to the policy's key.
        Run keygen = run({QStringLiteral("keygen"), QStringLiteral("--out"), path(QStringLiteral("pack.key")),
                          QStringLiteral("--json")});
        QCOMPARE(keygen.exitCode, 0);
        setPolicy(QStringLiteral(R"({"force_redaction": true, "require_sealing": true, "seal_public_key": "%1"})")
                      .arg(object(keygen.out).value(QStringLiteral("public_key")).toString())
                      .toUtf8());
        Run sealedPack =
            run({QStringLiteral("pack"), staging, QStringLiteral("--output"), path(QStringLiteral("out-repack2"))});
        QVERIFY2(sealedPack.exitCode == 0, sealedPack.err.constData());
        QVERIFY(sealedPack.out.trimmed().endsWith(".sealed"));
        for (const QString &name : QDir(path(QStringLiteral("out-repack2"))).entryList(QDir::Files))
            QVERIFY2(name.endsWith(QLatin1String(".sealed")) || name.endsWith(QLatin1String(".map.json")),
                     qPrintable(name));
        removeKeptStaging();
    }

    // A sealed header borrowed in front of plaintext is not a sealed archive.
    void requiredSealingChecksTheWholeFile()
    {
        Run keygen = run({QStringLiteral("keygen"), QStringLiteral("--out"), path(QStringLiteral("whole.key")),
                          QStringLiteral("--json")});
        QCOMPARE(keygen.exitCode, 0);
        const QString publicKey = object(keygen.out).value(QStringLiteral("public_key")).toString();
        const QString small = path(QStringLiteral("small.tar.zst"));
        writeAll(small, QByteArray("x"));
        QCOMPARE(run({QStringLiteral("seal"), small, QStringLiteral("--public-key"), publicKey}).exitCode, 0);
        const QByteArray header = readAll(small + QStringLiteral(".sealed")).left(128);
        QByteArray plaintext;
        while (plaintext.size() < 300 * 1024)
            plaintext += "2026-11-23T10:00:00 shield[42]: user dave@example.com logged in from 10.1.2.3\n";
        const QString borrowed = path(QStringLiteral("borrowed.tar.zst.sealed"));
        writeAll(borrowed, header + plaintext);
        setPolicy(QStringLiteral(R"({"require_sealing": true, "seal_public_key": "%1"})").arg(publicKey).toUtf8());
        Run refused = run({QStringLiteral("upload"), QStringLiteral("--url"),
                           QStringLiteral("https://127.0.0.1:9/upload"), borrowed});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("not encrypted") || refused.err.contains("chunk layout"),
                 refused.err.constData());
    }

    // One time cap for a full-log round, whichever face raises it: the profile's max_minutes.
    void fullLogRoundUsesTheProfilesCap()
    {
        QProcess process;
        start(process, acme({QStringLiteral("collect"), QStringLiteral("--full-logs"), QStringLiteral("--reproduce"),
                             QStringLiteral("5"), QStringLiteral("--output"), path(QStringLiteral("out-cap")),
                             QStringLiteral("--json")}));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(stateFile()), 20000);
        QJsonObject state;
        QTRY_VERIFY_WITH_TIMEOUT(
            (state = QJsonDocument::fromJson(readAll(stateFile())).object()).contains(QStringLiteral("expires")),
            10000);
        const QDateTime started =
            QDateTime::fromString(state.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
        const QDateTime expires =
            QDateTime::fromString(state.value(QStringLiteral("expires")).toString(), Qt::ISODateWithMs);
        QVERIFY2(started.isValid() && expires.isValid(), readAll(stateFile()).constData());
        QCOMPARE(started.secsTo(expires), qint64(120) * 60); // docs/examples/acme-shield.json max_minutes
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(level(), QStringLiteral("level = normal"));
    }

    void badPolicyStopsEveryCommand()
    {
        setPolicy("{\"allow_remote_runs\": \"yes\", \"upload\": {\"adress\": \"https://x\"}}");
        Run collect = run(acme({QStringLiteral("collect"), QStringLiteral("--json")}));
        QCOMPARE(collect.exitCode, 2);
        QVERIFY2(collect.err.contains("allow_remote_runs: expected true or false"), collect.err.constData());
        QVERIFY(collect.err.contains("upload.adress: unknown key"));
        QCOMPARE(
            object(collect.out).value(QStringLiteral("error")).toObject().value(QStringLiteral("exit_code")).toInt(),
            2);
        QCOMPARE(run({QStringLiteral("list")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("policy")}).exitCode, 2);
        // --policy names another file (an administrator testing one).
        const QString good = path(QStringLiteral("good-policy.json"));
        writeAll(good, R"({"allow_full_logs": false})");
        Run checked = run({QStringLiteral("policy"), QStringLiteral("--policy"), good, QStringLiteral("--json")});
        QVERIFY2(checked.exitCode == 0, checked.err.constData());
        QCOMPARE(object(checked.out).value(QStringLiteral("allow_full_logs")).toBool(), false);
        m_policy = path(QStringLiteral("no-such-policy.json"));
        QCOMPARE(run({QStringLiteral("list")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestAdmin)
#include "test_admin.moc"
