// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The administrator's policy: every key, the mistakes that stop the tool, and
// how it is applied to a profile and a run.
#include "core/collect/collectionrunner.h"
#include "core/policy/policy.h"
#include "core/profile/profile.h"
#include "core/redact/redactionrules.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dc::core;

namespace {

const QString kKey = QStringLiteral("0000000000000000000000000000000000000000000000000000000000000001");

Profile fixtureProfile()
{
    const QByteArray json = R"({"format_version": 1, "name": "p",
        "upload": {"url": "https:\u002f/vendor.example/upload"},
        "items": [
          {"id": "a", "kind": "command", "category": "os-config", "purpose": "p", "argv": ["/bin/echo", "a"], "essential": true},
          {"id": "dumps", "kind": "files", "category": "crash-dumps", "purpose": "p", "paths": ["/nonexistent"]},
          {"id": "full", "kind": "command", "category": "service-logs", "purpose": "p", "argv": ["/bin/echo"], "full_logs_only": true}
        ]})";
    auto profile = parseProfile(json, QStringLiteral("p.json"));
    return profile ? *profile : Profile{};
}

} // namespace

class TestPolicy : public QObject
{
    Q_OBJECT

private slots:
    void noPolicyAllowsEverything()
    {
        Policy policy;
        QVERIFY(!policy.present());
        QVERIFY(policy.allowRemoteRuns && policy.allowFullLogs);
        for (PolicySetting setting :
             {PolicySetting::Redaction, PolicySetting::Upload, PolicySetting::UploadUrl, PolicySetting::Sealing,
              PolicySetting::Retention, PolicySetting::Categories, PolicySetting::FullLogs, PolicySetting::RemoteRuns})
            QVERIFY(!policy.isLocked(setting));
        Profile profile = fixtureProfile();
        RunOptions run;
        run.fullLogs = true;
        QVERIFY(applyPolicy(policy, profile, run));
        QVERIFY(run.policySkips.isEmpty());
    }

    void everyKeyIsRead()
    {
        const QByteArray json = R"({"$comment": "fleet policy", "format_version": 1,
            "force_redaction": true,
            "redaction_rules": {"keywords": ["ProjectX"], "patterns": [{"id": "employee-id", "regex": "E[0-9]{6}"}]},
            "upload": {"url": "https:\u002f/support.corp.example/upload/{case}/{file}"},
            "require_sealing": true, "seal_public_key": "0000000000000000000000000000000000000000000000000000000000000001",
            "retention_days": 3, "disabled_categories": ["crash-dumps", "event-history"],
            "allow_remote_runs": false, "allow_full_logs": false})";
        auto policy = parsePolicy(json, QStringLiteral("/etc/diagcollect/policy.json"));
        QVERIFY2(policy, policy ? "" : qPrintable(policy.error().message));
        QVERIFY(policy->present());
        QVERIFY(policy->forceRedaction);
        QCOMPARE(policy->redactionKeywords, QStringList{QStringLiteral("ProjectX")});
        QCOMPARE(policy->redactionPatterns.size(), 1);
        QCOMPARE(policy->redactionPatterns[0].id, QStringLiteral("employee-id"));
        QCOMPARE(policy->uploadUrl, QStringLiteral("https://support.corp.example/upload/{case}/{file}"));
        QVERIFY(!policy->uploadForbidden);
        QVERIFY(policy->requireSealing);
        QCOMPARE(policy->sealPublicKey.size(), 32);
        QCOMPARE(*policy->retentionDays, 3);
        QCOMPARE(policy->disabledCategories, (QList<Category>{Category::CrashDumps, Category::EventHistory}));
        QVERIFY(!policy->allowRemoteRuns);
        QVERIFY(!policy->allowFullLogs);
        for (PolicySetting setting : {PolicySetting::Redaction, PolicySetting::RedactionRules, PolicySetting::UploadUrl,
                                      PolicySetting::Sealing, PolicySetting::Retention, PolicySetting::Categories,
                                      PolicySetting::FullLogs, PolicySetting::RemoteRuns}) {
            QVERIFY(policy->isLocked(setting));
            QVERIFY(policy->lockReason(setting).contains(QStringLiteral("/etc/diagcollect/policy.json")));
        }
        QVERIFY(!policy->isLocked(PolicySetting::Upload));
        QVERIFY(policy->lockReason(PolicySetting::Upload).isEmpty());
        const QJsonObject json2 = policy->toJson();
        QCOMPARE(json2.value(QStringLiteral("retention_days")).toInt(), 3);
        QCOMPARE(json2.value(QStringLiteral("allow_remote_runs")).toBool(), false);

        // Applied: disabled categories skipped with the reason, URL/seal/retention replaced.
        Profile profile = fixtureProfile();
        RunOptions run;
        QVERIFY(applyPolicy(*policy, profile, run));
        QCOMPARE(run.policySkips.value(QStringLiteral("dumps")), QLatin1String(kDisabledByPolicyReason));
        QVERIFY(!run.policySkips.contains(QStringLiteral("a")));
        QCOMPARE(profile.upload.url, policy->uploadUrl);
        QVERIFY(profile.seal.required);
        QCOMPARE(profile.seal.publicKey, policy->sealPublicKey);
        QCOMPARE(profile.retentionDays, 3);
        // Full-log mode is refused.
        RunOptions full;
        full.fullLogs = true;
        auto refused = applyPolicy(*policy, profile, full);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::PolicyRefused);

        // The redactor gets the policy's rules.
        RedactionRules rules;
        QVERIFY(addPolicyRedactionRules(*policy, rules));
        QVERIFY(rules.keywords().contains(QStringLiteral("ProjectX")));
        QCOMPARE(rules.patterns().size(), 1);
    }

    void forbiddenUploadClearsTheProfileUrl()
    {
        auto policy = parsePolicy(R"({"upload": {"forbidden": true}})", QStringLiteral("p"));
        QVERIFY(policy);
        QVERIFY(policy->isLocked(PolicySetting::Upload));
        QVERIFY(policy->isLocked(PolicySetting::UploadUrl));
        Profile profile = fixtureProfile();
        RunOptions run;
        QVERIFY(applyPolicy(*policy, profile, run));
        QVERIFY(profile.upload.url.isEmpty());
    }

    void sealingWithoutAnyKeyIsRefused()
    {
        auto policy = parsePolicy(R"({"require_sealing": true})", QStringLiteral("p"));
        QVERIFY(policy);
        Profile profile = fixtureProfile();
        RunOptions run;
        auto applied = applyPolicy(*policy, profile, run);
        QVERIFY(!applied);
        QCOMPARE(applied.error().code, ErrorCode::PolicyRefused);
        QVERIFY(applied.error().message.contains(QStringLiteral("seal_public_key")));
    }

    void badPoliciesNameTheJsonPath_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not valid JSON");
        QTest::newRow("not an object") << QByteArray("[]") << QStringLiteral("(root): expected an object");
        QTest::newRow("unknown key") << QByteArray(R"({"allow_everything": true})")
                                     << QStringLiteral("allow_everything: unknown key");
        QTest::newRow("wrong type") << QByteArray(R"({"force_redaction": "yes"})")
                                    << QStringLiteral("force_redaction: expected true or false");
        QTest::newRow("http upload") << QByteArray("{\"upload\": {\"url\": \"http://x\"}}")
                                     << QStringLiteral("upload.url: expected an https:// URL");
        QTest::newRow("upload typo") << QByteArray(R"({"upload": {"forbiden": true}})")
                                     << QStringLiteral("upload.forbiden: unknown key");
        QTest::newRow("contradiction") << QByteArray("{\"upload\": {\"url\": \"https://x\", \"forbidden\": true}}")
                                       << QStringLiteral("upload: \"url\" and \"forbidden\": true contradict");
        QTest::newRow("bad key") << QByteArray(R"({"seal_public_key": "abc"})")
                                 << QStringLiteral("seal_public_key: expected a 32-byte X25519 public key");
        QTest::newRow("retention") << QByteArray(R"({"retention_days": 1.5})")
                                   << QStringLiteral("retention_days: expected a whole number");
        QTest::newRow("category") << QByteArray(R"({"disabled_categories": ["os-config", "dumps"]})")
                                  << QStringLiteral("disabled_categories[1]: unknown category \"dumps\"");
        QTest::newRow("categories type") << QByteArray(R"({"disabled_categories": "tool"})")
                                         << QStringLiteral("disabled_categories: expected an array of strings");
        QTest::newRow("regex") << QByteArray(
                                      "{\"redaction_rules\": {\"patterns\": [{\"id\": \"x\", \"regex\": \"(\"}]}}")
                               << QStringLiteral("redaction_rules.patterns[0].regex: not a valid regular expression");
        QTest::newRow("builtin id") << QByteArray(
                                           R"({"redaction_rules": {"patterns": [{"id": "email", "regex": "x"}]}})")
                                    << QStringLiteral("redaction_rules.patterns[0].id: \"email\" is a built-in rule");
        QTest::newRow("keywords") << QByteArray(R"({"redaction_rules": {"keywords": [1]}})")
                                  << QStringLiteral("redaction_rules.keywords[0]: expected a non-empty string");
        QTest::newRow("version") << QByteArray(R"({"format_version": 2})")
                                 << QStringLiteral("format_version: unsupported version");
        QTest::newRow("remote") << QByteArray(R"({"allow_remote_runs": 0})")
                                << QStringLiteral("allow_remote_runs: expected true or false");
        QTest::newRow("full logs") << QByteArray(R"({"allow_full_logs": null})")
                                   << QStringLiteral("allow_full_logs: expected true or false");
        // Said twice, a setting would mean whichever one the parser keeps (the shared checker).
        QTest::newRow("duplicate key") << QByteArray(R"({"force_redaction": true, "force_redaction": false})")
                                       << QStringLiteral("force_redaction: duplicate key");
    }

    void badPoliciesNameTheJsonPath()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto policy = parsePolicy(json, QStringLiteral("/etc/diagcollect/policy.json"));
        QVERIFY(!policy);
        QCOMPARE(policy.error().code, ErrorCode::Profile);
        QVERIFY2(policy.error().message.contains(expected), qPrintable(policy.error().message));
        QVERIFY(policy.error().message.startsWith(QStringLiteral("/etc/diagcollect/policy.json: ")));
    }

    void loadPolicyOverrides()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("policy.json"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"allow_full_logs": false})");
        }
        auto policy = loadPolicy(file);
        QVERIFY2(policy, policy ? "" : qPrintable(policy.error().message));
        QVERIFY(!policy->allowFullLogs);
        QVERIFY(policy->source.endsWith(QStringLiteral("policy.json")));
        qputenv("DIAGCOLLECT_POLICY", file.toLocal8Bit());
        QVERIFY(!loadPolicy()->allowFullLogs);
        qputenv("DIAGCOLLECT_POLICY", dir.filePath(QStringLiteral("missing.json")).toLocal8Bit());
        auto missing = loadPolicy();
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(QStringLiteral("does not exist")));
        qunsetenv("DIAGCOLLECT_POLICY");
    }

    void disabledCategoriesAreSkippedInTheRun()
    {
        auto policy = parsePolicy(R"({"disabled_categories": ["os-config"]})", QStringLiteral("policy.json"));
        QVERIFY(policy);
        Profile profile = fixtureProfile();
        RunOptions run;
        QVERIFY(applyPolicy(*policy, profile, run));
        QTemporaryDir staging;
        CollectionRunner runner(profile, run, staging.path());
        const RunSummary summary = runner.runBlocking();
        bool found = false;
        for (const ItemResult &item : summary.items) {
            if (item.id != QLatin1String("a"))
                continue;
            found = true;
            QCOMPARE(item.status, Status::Skipped);
            QCOMPARE(item.reason, QLatin1String(kDisabledByPolicyReason));
            QVERIFY(item.files.isEmpty());
        }
        QVERIFY(found);
    }

    void remoteMeansNoTerminal()
    {
        QVERIFY(isRemoteRun(true));
        // Under ctest neither stdin nor stderr is a terminal; by hand they may be.
        Q_UNUSED(isRemoteRun(false));
    }
};

QTEST_GUILESS_MAIN(TestPolicy)
#include "test_policy.moc"
