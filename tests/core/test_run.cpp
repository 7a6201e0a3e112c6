// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The run object (core/run/collectionjob.h): one owner of a collection, its
// policy locks, delivery, retention and receipt, and cancel at every stage.
#include "core/bundle/staging.h"
#include "core/retention/retention.h"
#include "core/run/collectionjob.h"
#include "core/run/receipts.h"
#include "core/run/redactionsetup.h"
#include "core/seal/sealing.h"
#include "core/util/paths.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <sys/time.h>

using namespace dc::core;

Q_DECLARE_METATYPE(dc::core::CollectionJob::Stage)

class TestRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QByteArray m_publicKey;
    int m_outputs = 0;

    QString path(const QString &relative) const { return m_home.path() + QLatin1Char('/') + relative; }

    static void writeFile(const QString &file, const QByteArray &content)
    {
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
    }

    static QByteArray readFile(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // A product with a log holding an e-mail address and a password, and a profile naming it.
    QString writeProfile(const QString &extra = {})
    {
        QByteArray log;
        for (int i = 0; i < 3000; ++i)
            log += "2026-11-23T10:00:00 shield[42]: user alice.smith@example.com logged in, password=Hunter2secret "
                   "line " +
                   QByteArray::number(i) + "\n";
        writeFile(path(QStringLiteral("product/logs/shield.log")), log);
        const QString profile = path(QStringLiteral("profile.json"));
        writeFile(profile, QStringLiteral(R"({"format_version": 1, "name": "fixture",
            "variables": {"ROOT": "%1"},
            "product": {"name": "Shield", "logs": ["${ROOT}/logs"]},
            "items": [
              {"id": "echo", "kind": "command", "category": "os-config", "purpose": "a command",
               "argv": ["/bin/echo", "hello from echo"], "dest": "misc/echo.txt"},
              {"id": "optional", "kind": "command", "category": "tool", "purpose": "optional item",
               "argv": ["/bin/echo", "optional"], "dest": "misc/optional.txt"}
            ]%2})")
                               .arg(path(QStringLiteral("product")), extra)
                               .toUtf8());
        return profile;
    }

    RunRequest request(const QString &extraProfile = {})
    {
        RunRequest r;
        r.profilePath = writeProfile(extraProfile);
        r.outputDir = path(QStringLiteral("out-%1").arg(++m_outputs));
        r.caseId = QStringLiteral("4711");
        return r;
    }

    QString sealExtra() const
    {
        return QStringLiteral(R"(, "seal": {"public_key": "%1", "required": true})").arg(encodeKey(m_publicKey));
    }

    QStringList stagingLeftovers() const
    {
        return QDir(paths::stagingRoot()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    static QStringList filesIn(const QString &dir)
    {
        return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    static Policy policyOf(const QByteArray &json)
    {
        auto policy = parsePolicy(json, QStringLiteral("/etc/diagcollect/policy.json"));
        if (!policy)
            qFatal("%s", qPrintable(policy.error().message));
        return *policy;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_CACHE_HOME", path(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_STATE_HOME", path(QStringLiteral("state")).toUtf8());
        qputenv("XDG_DATA_HOME", path(QStringLiteral("data")).toUtf8());
        qRegisterMetaType<CollectionJob::Stage>();
        auto pair = generateSealKeyPair();
        QVERIFY(pair);
        m_publicKey = pair->publicKey;
    }

    void headlessRunDeliversArchiveMapAndReceipt()
    {
        auto job = CollectionJob::create(request(), Policy{});
        QVERIFY2(job, qPrintable(job ? QString() : job.error().message));
        auto delivery = (*job)->runToEnd();
        QVERIFY2(delivery, qPrintable(delivery ? QString() : delivery.error().message));
        QVERIFY(QFileInfo::exists(delivery->archive.path));
        QVERIFY(QFileInfo::exists(delivery->mapPath));
        QVERIFY(delivery->redacted >= 2);
        // Headless runs write a consent receipt, like the wizard.
        QVERIFY(!delivery->receiptPath.isEmpty());
        const QJsonObject receipt = QJsonDocument::fromJson(readFile(delivery->receiptPath)).object();
        QCOMPARE(receipt.value(QStringLiteral("archive")).toObject().value(QStringLiteral("sha256")).toString(),
                 QString::fromLatin1(delivery->archive.sha256));
        QCOMPARE(receipt.value(QStringLiteral("headless")).toBool(), true);
        job->reset();
        QVERIFY(stagingLeftovers().isEmpty());
    }

    void badDefineIsAnError()
    {
        RunRequest r = request();
        r.defines = {QStringLiteral("NOEQUALS")};
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY(!job);
        QCOMPARE(job.error().code, ErrorCode::Usage);
        r.desktop = true; // the wizard's face: the same error, not skipped
        job = CollectionJob::create(r, Policy{});
        QVERIFY(!job);
        QCOMPARE(job.error().code, ErrorCode::Usage);
    }

    // Bypass 1: a rules file disabling every rule under force_redaction.
    void forcedRedactionCannotBeDisabledByRules()
    {
        QStringList every;
        for (const RuleInfo &rule : RedactionRules::builtinRules())
            every << QStringLiteral("\"%1\"").arg(rule.id);
        const QString rules = path(QStringLiteral("disable-all.json"));
        writeFile(rules, QStringLiteral(R"({"disable": [%1]})").arg(every.join(QLatin1Char(','))).toUtf8());
        RunRequest r = request();
        r.redactRulesFile = rules;
        const Policy forced = policyOf(R"({"force_redaction": true})");
        auto job = CollectionJob::create(r, forced);
        QVERIFY(!job);
        QCOMPARE(job.error().code, ErrorCode::PolicyRefused);
        QVERIFY(!redactionRulesFor(forced, {}, rules));
        // No policy: the user may disable rules.
        QVERIFY(CollectionJob::create(r, Policy{}));
        // --no-redact is refused too; a plan keeping values is set back.
        r.redactRulesFile.clear();
        r.redact = false;
        job = CollectionJob::create(r, forced);
        QVERIFY(!job);
        QCOMPARE(job.error().code, ErrorCode::PolicyRefused);
    }

    void planCannotKeepWhatThePolicyRedacts()
    {
        RunRequest r = request();
        r.storeFindings = true;
        auto job = CollectionJob::create(r, policyOf(R"({"force_redaction": true})"));
        QVERIFY(job);
        QSignalSpy ready(job->get(), &CollectionJob::reviewReady);
        QVERIFY((*job)->start());
        QVERIFY(ready.wait(60000));
        QVERIFY(!(*job)->findings().isEmpty());
        RedactionPlan plan;
        for (const RuleInfo &rule : RedactionRules::builtinRules())
            plan.setRuleDecision(rule.id, Decision::Keep);
        (*job)->setPlan(plan);
        for (const RuleInfo &rule : RedactionRules::builtinRules())
            QCOMPARE((*job)->plan().ruleDecision(rule.id), Decision::Redact);
        QSignalSpy delivered(job->get(), &CollectionJob::delivered);
        (*job)->deliver();
        QVERIFY(delivered.wait(60000));
        QVERIFY(delivered.first().first().toBool());
        QVERIFY((*job)->delivery()->redacted >= 2);
    }

    // A value the user keeps everywhere is in the archive as written: the map has nothing to decode for it.
    void keptValueIsNotInTheMap()
    {
        RunRequest r = request();
        r.storeFindings = true;
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY(job);
        QSignalSpy ready(job->get(), &CollectionJob::reviewReady);
        QVERIFY((*job)->start());
        QVERIFY(ready.wait(60000));
        QByteArray kept;
        QSet<QByteArray> tokens;
        for (const FileFindings &scan : (*job)->findings()) {
            for (const Finding &finding : scan.findings) {
                tokens.insert(finding.token);
                if (kept.isEmpty())
                    kept = finding.token;
            }
        }
        QVERIFY(tokens.size() >= 2);
        RedactionPlan plan = (*job)->plan();
        plan.setValueDecision(kept, Decision::Keep);
        (*job)->setPlan(plan);
        QSignalSpy delivered(job->get(), &CollectionJob::delivered);
        (*job)->deliver();
        QVERIFY(delivered.wait(60000));
        QVERIFY(delivered.first().first().toBool());
        const QByteArray map = readFile((*job)->delivery()->mapPath);
        QVERIFY2(!map.contains(QByteArray("\"" + kept + "\"")), kept.constData());
        tokens.remove(kept);
        for (const QByteArray &token : std::as_const(tokens))
            QVERIFY2(map.contains(QByteArray("\"" + token + "\"")), token.constData());
    }

    // The wizard's face: delivering expires old archives, and their receipts with them.
    void deliveryExpiresOldArchivesAndTheirReceipts()
    {
        RunRequest r = request();
        r.desktop = true;
        r.storeFindings = true;
        const QString old = r.outputDir + QStringLiteral("/diagcollect-host-1-20200101T000000Z.tar.zst");
        writeFile(old, "old archive");
        writeFile(old + QStringLiteral(".map.json"), "{}");
        const timeval times[2] = {{time(nullptr) - 40 * 86400, 0}, {time(nullptr) - 40 * 86400, 0}};
        QCOMPARE(::utimes(QFile::encodeName(old).constData(), times), 0);
        QVERIFY(saveReceipt(QFileInfo(old).fileName(), QJsonObject{{QStringLiteral("when"), QStringLiteral("x")}}));
        QVERIFY(QFileInfo::exists(receiptPathFor(QFileInfo(old).fileName())));
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY(job);
        QSignalSpy ready(job->get(), &CollectionJob::reviewReady);
        QVERIFY((*job)->start());
        QVERIFY(ready.wait(60000));
        QSignalSpy delivered(job->get(), &CollectionJob::delivered);
        (*job)->deliver(r.outputDir);
        QVERIFY(delivered.wait(60000));
        QVERIFY(delivered.first().first().toBool());
        QVERIFY(!QFileInfo::exists(old));
        QVERIFY(!QFileInfo::exists(old + QStringLiteral(".map.json")));
        QVERIFY(!QFileInfo::exists(receiptPathFor(QFileInfo(old).fileName())));
        QVERIFY(QFileInfo::exists((*job)->delivery()->archive.path));
        QVERIFY(QFileInfo::exists((*job)->delivery()->receiptPath));
    }

    void failedMapSaveIsReported()
    {
        RunRequest r = request(sealExtra());
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY(job);
        // While sealing, the plain archive is there: a folder where its map goes.
        (*job)->setStageHook([&](CollectionJob::Stage stage) {
            if (stage != CollectionJob::Stage::Sealing)
                return;
            for (const QString &name : filesIn(r.outputDir))
                if (name.endsWith(QLatin1String(".tar.zst")))
                    QDir().mkpath(r.outputDir + QLatin1Char('/') + name + QStringLiteral(".map.json"));
        });
        QSignalSpy warnings(job->get(), &CollectionJob::warning);
        auto delivery = (*job)->runToEnd();
        QVERIFY(delivery);
        QVERIFY(delivery->sealed);
        QVERIFY(delivery->mapPath.isEmpty());
        QCOMPARE(delivery->warnings.size(), 1);
        QVERIFY(delivery->warnings.first().contains(QLatin1String("pseudonym map")));
        QCOMPARE(warnings.size(), 1);
    }

    void cancelAtEveryStageLeavesNothing_data()
    {
        QTest::addColumn<CollectionJob::Stage>("stage");
        QTest::newRow("collecting") << CollectionJob::Stage::Collecting;
        QTest::newRow("scanning") << CollectionJob::Stage::Scanning;
        QTest::newRow("redacting") << CollectionJob::Stage::Redacting;
        QTest::newRow("packaging") << CollectionJob::Stage::Packaging;
        QTest::newRow("sealing") << CollectionJob::Stage::Sealing;
    }

    void cancelAtEveryStageLeavesNothing()
    {
        QFETCH(CollectionJob::Stage, stage);
        RunRequest r = request(sealExtra());
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY(job);
        CollectionJob *run = job->get();
        (*job)->setStageHook([run, stage](CollectionJob::Stage entered) {
            if (entered == stage)
                run->cancel(); // from the thread doing the work
        });
        QSignalSpy discarded(run, &CollectionJob::discarded);
        auto delivery = (*job)->runToEnd();
        QVERIFY(!delivery);
        QCOMPARE(delivery.error().code, ErrorCode::Cancelled);
        QCOMPARE((*job)->stage(), CollectionJob::Stage::Ready);
        QVERIFY(!discarded.isEmpty());
        QVERIFY2(stagingLeftovers().isEmpty(), qPrintable(stagingLeftovers().join(QLatin1Char(' '))));
        QVERIFY2(filesIn(r.outputDir).isEmpty(), qPrintable(filesIn(r.outputDir).join(QLatin1Char(' '))));
    }

    // Delivering: the upload is cancelled; the saved archive stays, staging goes.
    void cancelWhileUploadingKeepsOnlyTheSavedArchive()
    {
        RunRequest r = request();
        r.uploadUrl = QStringLiteral("https://127.0.0.1:9/upload");
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY(job);
        CollectionJob *run = job->get();
        (*job)->setStageHook([run](CollectionJob::Stage entered) {
            if (entered == CollectionJob::Stage::Uploading)
                run->cancel();
        });
        auto delivery = (*job)->runToEnd();
        QVERIFY(!delivery);
        QCOMPARE(delivery.error().code, ErrorCode::Cancelled);
        QVERIFY(stagingLeftovers().isEmpty());
        QStringList files = filesIn(r.outputDir);
        files.sort();
        QCOMPARE(files.size(), 2); // the archive and its map, nothing partial
        QVERIFY(files.at(0).endsWith(QLatin1String(".tar.zst")));
        QVERIFY(files.at(1).endsWith(QLatin1String(".tar.zst.map.json")));
    }

    // require_sealing checks the whole file: real sealed archives of any size
    // pass, a borrowed header in front of a plain or compressed archive does not.
    void sealedFileCheckTellsCiphertextFromArchives()
    {
        QByteArray log;
        for (int i = 0; log.size() < 5 * 1024 * 1024; ++i)
            log += "2026-11-23T10:00:00 shield[42]: scan " + QByteArray::number(i * 7919 % 100003) + " finished\n";
        const QString plain = path(QStringLiteral("big.log"));
        writeFile(plain, log);
        auto sealed = sealFile(plain, plain + QStringLiteral(".sealed"), m_publicKey);
        QVERIFY(sealed);
        auto keyId = checkSealedFile(sealed->path);
        QVERIFY2(keyId, qPrintable(keyId ? QString() : keyId.error().message));
        QCOMPARE(*keyId, sealKeyId(m_publicKey));
        const QByteArray header = readFile(sealed->path).left(128);
        // The archive the tool writes, compressed: still not ciphertext.
        RunRequest r = request();
        r.redact = false;
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY(job);
        auto delivery = (*job)->runToEnd();
        QVERIFY(delivery);
        QByteArray compressed = readFile(delivery->archive.path);
        while (compressed.size() < 2 * 1024 * 1024)
            compressed += compressed;
        for (const QByteArray &body : {log, compressed}) {
            const QString borrowed = path(QStringLiteral("borrowed.tar.zst.sealed"));
            writeFile(borrowed, header + body);
            auto refused = checkSealedFile(borrowed);
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, ErrorCode::Verification);
        }
    }

    // The whole-file sealed check reads the archive: upload() hands it to a worker and
    // returns at once (the wizard calls it on the GUI thread), the outcome comes as a signal.
    void uploadSealedCheckRunsOffTheCallingThread()
    {
        RunRequest r = request();
        r.desktop = true;
        r.uploadUrl = QStringLiteral("https://127.0.0.1:9/upload/{file}");
        const Policy policy = policyOf(QStringLiteral(R"({"require_sealing": true, "seal_public_key": "%1"})")
                                           .arg(encodeKey(m_publicKey))
                                           .toUtf8());
        auto job = CollectionJob::create(r, policy);
        QVERIFY2(job, job ? "" : qPrintable(job.error().message));
        QSignalSpy ready(job->get(), &CollectionJob::reviewReady);
        QVERIFY((*job)->start());
        QVERIFY(ready.wait(60000));
        QSignalSpy delivered(job->get(), &CollectionJob::delivered);
        (*job)->deliver(r.outputDir);
        QVERIFY(delivered.wait(60000));
        QVERIFY(delivered.first().first().toBool());
        QVERIFY((*job)->delivery()->sealed);
        // A borrowed header in front of 8 MiB of plain text: the check must read it all to refuse it.
        const QString archive = (*job)->delivery()->archive.path;
        const QByteArray header = readFile(archive).left(128);
        writeFile(archive, header + QByteArray(8 * 1024 * 1024, 'x'));

        QSignalSpy finished(job->get(), &CollectionJob::uploadFinished);
        (*job)->upload();
        QCOMPARE(finished.size(), 0); // not decided on the calling thread
        QCOMPARE((*job)->stage(), CollectionJob::Stage::Uploading);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE((*job)->stage(), CollectionJob::Stage::Delivered);
        QCOMPARE((*job)->lastError().code, ErrorCode::PolicyRefused);
    }

    void keepStagingUnderForcedRedactionKeepsOnlyTheRedactedCopy()
    {
        RunRequest r = request();
        r.keepStaging = true;
        auto job = CollectionJob::create(r, policyOf(R"({"force_redaction": true})"));
        QVERIFY(job);
        auto delivery = (*job)->runToEnd();
        QVERIFY(delivery);
        job->reset();
        const QStringList left = QDir(paths::stagingRoot()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(left.size(), 1);
        QCOMPARE(paths::stagingRoot() + QLatin1Char('/') + left.first(), delivery->stagingPath);
        QDirIterator it(delivery->stagingPath, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QByteArray bytes = readFile(it.next());
            QVERIFY2(!bytes.contains("alice.smith@example.com"), qPrintable(it.filePath()));
            QVERIFY2(!bytes.contains("Hunter2secret"), qPrintable(it.filePath()));
        }
        QVERIFY(removeTree(delivery->stagingPath));
        for (const QString &name : QDir(paths::stagingRoot()).entryList(QDir::Files | QDir::Hidden))
            QFile::remove(paths::stagingRoot() + QLatin1Char('/') + name);
    }
};

QTEST_GUILESS_MAIN(TestRun)
#include "test_run.moc"
