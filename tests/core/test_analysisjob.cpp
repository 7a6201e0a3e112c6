// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// Local analysis inside a run: the rules are chosen when the job is created
// (a bad rules file stops it before anything is collected), the wizard's
// findings on the staged data, the policy's disabled_analysis_rules, and pack
// analysing again what it packages.
#include "core/analysis/findingsfile.h"
#include "core/policy/policy.h"
#include "core/run/collectionjob.h"
#include "core/run/repack.h"
#include "core/util/paths.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dc::core;
using namespace dc::core::analysis;

class TestAnalysisJob : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
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

    // A product log with two "PANIC" lines (lines 3 and 5), a command that
    // fails (items-failed) and a profile rule "tiny-panic" beside the profile.
    QString writeProfile(const QString &name, const QByteArray &rules)
    {
        writeFile(path(QStringLiteral("product/logs/tiny.log")),
                  "starting\nworking for bob@example.com\nPANIC: queue full\nworking\nPANIC: queue full again\n");
        const QString profile = path(name + QStringLiteral(".json"));
        writeFile(profile, QStringLiteral(R"({"format_version": 1, "name": "tiny",
            "variables": {"ROOT": "%1"},
            "items": [
              {"id": "tiny-log", "kind": "files", "category": "service-logs", "purpose": "the log",
               "paths": ["${ROOT}/logs/tiny.log"]},
              {"id": "broken-tool", "kind": "command", "category": "tool", "purpose": "fails",
               "argv": ["/bin/sh", "-c", "kill -SEGV $$"]}
            ]})")
                               .arg(path(QStringLiteral("product")))
                               .toUtf8());
        if (!rules.isNull())
            writeFile(path(name + QStringLiteral(".rules.json")), rules);
        return profile;
    }

    static QByteArray panicRules()
    {
        return R"({"format": "diagcollect-rules", "format_version": 1, "rules": [
            {"id": "tiny-panic", "severity": "error", "title": "The queue panicked",
             "explanation": "e", "advice": "a", "when": [{"items": ["tiny-log"], "regex": "PANIC"}]}]})";
    }

    RunRequest request(const QString &profile)
    {
        RunRequest r;
        r.profilePath = profile;
        r.outputDir = path(QStringLiteral("out-%1").arg(++m_outputs));
        return r;
    }

    QStringList stagingLeftovers() const
    {
        return QDir(paths::stagingRoot()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    static Policy policyOf(const QByteArray &json)
    {
        auto policy = parsePolicy(json, QStringLiteral("/etc/diagcollect/policy.json"));
        if (!policy)
            qFatal("%s", qPrintable(policy.error().message));
        return *policy;
    }

    static QStringList keys(const Findings &findings)
    {
        QStringList out;
        for (const analysis::Finding &finding : findings.findings)
            out.append(finding.key());
        return out;
    }

    static const analysis::Finding *findingOf(const Findings &findings, const QString &rule)
    {
        for (const analysis::Finding &finding : findings.findings)
            if (finding.rule == rule)
                return &finding;
        return nullptr;
    }

    static QStringList ruleIds(const QList<Rule> &rules)
    {
        QStringList out;
        for (const Rule &rule : rules)
            out.append(rule.id);
        return out;
    }

    // Starts the job and waits for the review and the analysis of the staged data.
    static bool collect(CollectionJob *job)
    {
        QSignalSpy review(job, &CollectionJob::reviewReady);
        QSignalSpy analysed(job, &CollectionJob::analysisReady);
        if (!job->start())
            return false;
        return QTest::qWaitFor([&] { return review.count() > 0 && analysed.count() > 0; }, 120000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_CACHE_HOME", path(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_STATE_HOME", path(QStringLiteral("state")).toUtf8());
        qputenv("XDG_DATA_HOME", path(QStringLiteral("data")).toUtf8());
    }

    void wizardSeesFindingsOfTheStagedData()
    {
        RunRequest r = request(writeProfile(QStringLiteral("tiny"), panicRules()));
        r.storeFindings = true;
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY2(job, qPrintable(job ? QString() : job.error().message));
        QVERIFY(!(*job)->stagedFindings());
        QVERIFY(collect(job->get()));
        const auto &staged = (*job)->stagedFindings();
        QVERIFY(staged);
        QVERIFY2(keys(*staged).contains(QStringLiteral("tiny-panic")), qPrintable(keys(*staged).join(u' ')));
        QVERIFY(keys(*staged).contains(QStringLiteral("items-failed")));
        QVERIFY(findingOf(*staged, QStringLiteral("tiny-panic")));
        const analysis::Finding &panic = *findingOf(*staged, QStringLiteral("tiny-panic"));
        QCOMPARE(panic.severity, Severity::Error);
        // Evidence points into the staging folder the review shows, at the file's own line numbers.
        QCOMPARE(panic.evidence.size(), 1);
        const Evidence &evidence = panic.evidence.constFirst();
        QVERIFY(QFileInfo::exists((*job)->stagingPath() + QLatin1Char('/') + evidence.file));
        QCOMPARE(evidence.count, 2);
        QCOMPARE(evidence.lines.size(), 2);
        QCOMPARE(evidence.lines.at(0).number, 3);
        QCOMPARE(evidence.lines.at(1).number, 5);
        QCOMPARE(evidence.lines.at(1).text, QStringLiteral("PANIC: queue full again"));

        // The archive's findings are made again from the redacted copy; the same findings.
        QSignalSpy delivered(job->get(), &CollectionJob::delivered);
        (*job)->deliver();
        QVERIFY(delivered.wait(120000));
        QVERIFY((*job)->delivery());
        QCOMPARE(keys((*job)->delivery()->findings), keys(*staged));

        // A discarded run forgets them.
        (*job)->discard();
        QVERIFY(!(*job)->stagedFindings());
    }

    void headlessRunDoesNotAnalyseTwice()
    {
        auto job = CollectionJob::create(request(writeProfile(QStringLiteral("tiny"), panicRules())), Policy{});
        QVERIFY(job);
        QSignalSpy analysed(job->get(), &CollectionJob::analysisReady);
        auto delivery = (*job)->runToEnd();
        QVERIFY2(delivery, qPrintable(delivery ? QString() : delivery.error().message));
        QCOMPARE(analysed.count(), 0);
        QVERIFY(!(*job)->stagedFindings());
        QVERIFY(keys(delivery->findings).contains(QStringLiteral("tiny-panic")));
    }

    void badRulesFileStopsTheRunBeforeCollecting()
    {
        QVERIFY(stagingLeftovers().isEmpty());
        const QByteArray bad = R"({"format": "diagcollect-rules", "format_version": 1, "rules": [
            {"id": "x", "severity": "grave", "title": "t", "explanation": "e", "advice": "a",
             "when": [{"present": true}]}]})";
        // The profile's own rules file.
        auto job = CollectionJob::create(request(writeProfile(QStringLiteral("badrules"), bad)), Policy{});
        QVERIFY(!job);
        QCOMPARE(job.error().code, ErrorCode::Profile);
        QVERIFY2(job.error().message.contains(path(QStringLiteral("badrules.rules.json"))),
                 qPrintable(job.error().message));
        QVERIFY2(job.error().message.contains(QLatin1String("rules[0].severity")), qPrintable(job.error().message));
        // An extra rules file (collect --rules).
        RunRequest r = request(writeProfile(QStringLiteral("tiny"), panicRules()));
        writeFile(path(QStringLiteral("extra.rules.json")), bad);
        r.analysisRulesFiles = {path(QStringLiteral("extra.rules.json"))};
        auto extra = CollectionJob::create(r, Policy{});
        QVERIFY(!extra);
        QCOMPARE(extra.error().code, ErrorCode::Profile);
        QVERIFY2(extra.error().message.contains(QLatin1String("extra.rules.json")), qPrintable(extra.error().message));
        // Nothing was collected: no staging folder, no output.
        QVERIFY(stagingLeftovers().isEmpty());
        QVERIFY(!QFileInfo::exists(r.outputDir) || QDir(r.outputDir).isEmpty());
    }

    void policyParsesDisabledAnalysisRules()
    {
        const Policy policy = policyOf(R"({"disabled_analysis_rules": ["items-failed", "oom-kill", "oom-kill"]})");
        QCOMPARE(policy.disabledAnalysisRules,
                 (QStringList{QStringLiteral("items-failed"), QStringLiteral("oom-kill")}));
        QCOMPARE(policy.toJson().value(QStringLiteral("disabled_analysis_rules")).toArray().size(), 2);
        auto unknown =
            parsePolicy(R"({"disabled_analysis_rules": ["oom-kill", "oom-kil", 3]})", QStringLiteral("policy.json"));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::Profile);
        QVERIFY2(unknown.error().message.contains(
                     QLatin1String("policy.json: disabled_analysis_rules[1]: unknown analysis rule \"oom-kil\"")),
                 qPrintable(unknown.error().message));
        auto notList = parsePolicy(R"({"disabled_analysis_rules": "oom-kill"})", QStringLiteral("policy.json"));
        QVERIFY(!notList);
        QVERIFY2(notList.error().message.contains(QLatin1String("disabled_analysis_rules")),
                 qPrintable(notList.error().message));
    }

    void policyDisabledRulesAreNotEvaluated()
    {
        const Policy policy = policyOf(R"({"disabled_analysis_rules": ["items-failed"]})");
        RunRequest r = request(writeProfile(QStringLiteral("tiny"), panicRules()));
        r.storeFindings = true;
        auto job = CollectionJob::create(r, policy);
        QVERIFY(job);
        QVERIFY(!ruleIds((*job)->analysisRules()).contains(QStringLiteral("items-failed")));
        QVERIFY(ruleIds((*job)->analysisRules()).contains(QStringLiteral("tiny-panic")));
        QVERIFY(collect(job->get()));
        QVERIFY((*job)->stagedFindings());
        QVERIFY(!keys(*(*job)->stagedFindings()).contains(QStringLiteral("items-failed")));
        QVERIFY(keys(*(*job)->stagedFindings()).contains(QStringLiteral("tiny-panic")));
        QSignalSpy delivered(job->get(), &CollectionJob::delivered);
        (*job)->deliver();
        QVERIFY(delivered.wait(120000));
        QVERIFY((*job)->delivery());
        QVERIFY(!keys((*job)->delivery()->findings).contains(QStringLiteral("items-failed")));
    }

    void packAnalysesWhatItPackages()
    {
        // Kept without redaction, the PANIC lines removed by hand: pack's findings follow the edit.
        RunRequest r = request(writeProfile(QStringLiteral("tiny"), panicRules()));
        r.redact = false;
        r.keepStaging = true;
        auto job = CollectionJob::create(r, Policy{});
        QVERIFY(job);
        auto delivery = (*job)->runToEnd();
        QVERIFY2(delivery, qPrintable(delivery ? QString() : delivery.error().message));
        QVERIFY(keys(delivery->findings).contains(QStringLiteral("tiny-panic")));
        const QString kept = delivery->stagingPath;
        QVERIFY(QFileInfo::exists(kept));
        const Evidence evidence = findingOf(delivery->findings, QStringLiteral("tiny-panic"))->evidence.constFirst();
        writeFile(kept + QLatin1Char('/') + evidence.file, "starting\nworking\n");

        PackRequest pack;
        pack.stagingDir = kept;
        pack.outputDir = path(QStringLiteral("packed"));
        auto packed = packStaging(pack, Policy{}, nullptr);
        QVERIFY2(packed, qPrintable(packed ? QString() : packed.error().message));
        QVERIFY(!keys(packed->findings).contains(QStringLiteral("tiny-panic")));
        QVERIFY(keys(packed->findings).contains(QStringLiteral("items-failed")));
        // findings.json and summary.html of the folder packaged say the same.
        auto written = readFindings(kept);
        QVERIFY(written);
        QCOMPARE(keys(*written), keys(packed->findings));
        QVERIFY(!readFile(kept + QStringLiteral("/summary.html")).contains("The queue panicked"));

        // Under a policy that disables items-failed, pack leaves it out too.
        auto withPolicy = packStaging(pack, policyOf(R"({"disabled_analysis_rules": ["items-failed"]})"), nullptr);
        QVERIFY(withPolicy);
        QVERIFY(!keys(withPolicy->findings).contains(QStringLiteral("items-failed")));

        // A bad --rules file stops pack before it writes anything.
        writeFile(path(QStringLiteral("broken.rules.json")), "{\"format\": \"diagcollect-rules\"");
        pack.analysisRulesFiles = {path(QStringLiteral("broken.rules.json"))};
        pack.outputDir = path(QStringLiteral("packed-bad"));
        auto refused = packStaging(pack, Policy{}, nullptr);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Profile);
        QVERIFY2(refused.error().message.contains(QLatin1String("broken.rules.json")),
                 qPrintable(refused.error().message));
        QVERIFY(QDir(pack.outputDir).isEmpty());
        QDir(kept).removeRecursively();
    }
};

QTEST_GUILESS_MAIN(TestAnalysisJob)
#include "test_analysisjob.moc"
