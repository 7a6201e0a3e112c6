// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The built-in analysis rules and the Acme example's rules on fixture staging
// trees (tests/data/analysis/*, written by make_fixtures.py): "broken" plants
// every problem, "clean" the same data without them.
#include "core/analysis/analyzer.h"
#include "core/analysis/ruleset.h"
#include "core/analysis/ruletexts.h"

#include <QFile>
#include <QSet>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace dc::core;
using namespace dc::core::analysis;

namespace {

QString fixture(const QString &name) { return QStringLiteral(DC_TEST_DATA_DIR "/analysis/") + name; }

Findings analyzeFixture(const QString &name, const QList<Rule> &rules, const AnalysisOptions &options = {})
{
    QFile file(fixture(name) + QStringLiteral("/manifest.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("fixture %s has no manifest", qPrintable(name));
    auto manifest = Manifest::fromJson(file.readAll());
    if (!manifest)
        qFatal("fixture %s: %s", qPrintable(name), qPrintable(manifest.error().message));
    auto findings = analyzeStaging(fixture(name), *manifest, rules, options);
    if (!findings)
        qFatal("analysis failed: %s", qPrintable(findings.error().message));
    return *findings;
}

const Finding *find(const Findings &findings, const QString &key)
{
    for (const Finding &finding : findings.findings)
        if (finding.key() == key)
            return &finding;
    return nullptr;
}

QStringList keys(const Findings &findings)
{
    QStringList out;
    for (const Finding &finding : findings.findings)
        out.append(finding.key());
    return out;
}

} // namespace

class TestAnalysisRules : public QObject
{
    Q_OBJECT

private:
    QList<Rule> m_rules;
    Findings m_broken;
    Findings m_clean;
    QSet<QString> m_tested;

private slots:
    void initTestCase()
    {
        auto rules = builtinRules();
        QVERIFY2(rules.has_value(), rules ? "" : qPrintable(rules.error().message));
        m_rules = *rules;
        m_broken = analyzeFixture(QStringLiteral("broken"), m_rules);
        m_clean = analyzeFixture(QStringLiteral("clean"), m_rules);
    }

    void firesOnBrokenMachine_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("severity");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("evidence"); // a fragment of the last evidence line of that file

        QTest::newRow("failed unit") << "systemd-unit-failed:nginx.service"
                                     << "error"
                                     << "os-config/services/failed.txt"
                                     << "nginx.service loaded failed failed";
        QTest::newRow("restart loop") << "systemd-restart-loop:flaky.service"
                                      << "warning"
                                      << "system-logs/journal/recent.txt"
                                      << "restart counter is at 6";
        QTest::newRow("disk full") << "disk-full:/"
                                   << "error"
                                   << "os-config/storage/df.txt"
                                   << "98% /";
        QTest::newRow("inodes") << "inodes-exhausted:/data"
                                << "error"
                                << "os-config/storage/df-inodes.txt"
                                << "100% /data";
        QTest::newRow("oom kill") << "oom-kill:java"
                                  << "error"
                                  << "system-logs/journal/kernel.txt"
                                  << "Killed process 4242 (java)";
        QTest::newRow("segfault") << "segfault:acme-shieldd"
                                  << "warning"
                                  << "system-logs/journal/kernel.txt"
                                  << "segfault at 0";
        QTest::newRow("clock") << "clock-not-synchronized"
                               << "warning"
                               << "os-config/system/summary.txt"
                               << "clock synchronized: no";
        QTest::newRow("dns") << "dns-no-resolver"
                             << "error"
                             << "os-config/network/etc/resolv.conf"
                             << "";
        QTest::newRow("proxy env only") << "proxy-environment-only"
                                        << "warning"
                                        << "os-config/network/proxy.txt"
                                        << "https_proxy: http://[host-2]:3128";
        QTest::newRow("recent crash") << "crash-recent:/opt/acme/bin/acme-shieldd"
                                      << "warning"
                                      << "event-history/coredumps.txt"
                                      << "SIGSEGV";
        QTest::newRow("crash report") << "crash-reports:_usr_bin_gedit.1000.crash"
                                      << "warning"
                                      << "crash-dumps/var-crash-listing.txt"
                                      << "/var/crash/_usr_bin_gedit";
        QTest::newRow("product dumps") << "product-crash-dumps"
                                       << "warning"
                                       << "manifest.json"
                                       << "crash-dumps/product-crash-dumps/core.777.dmp";
        QTest::newRow("product service") << "product-service-failed"
                                         << "error"
                                         << "service-logs/product-journal-acme-shield-service.txt"
                                         << "Failed with result 'core-dump'";
        QTest::newRow("product errors") << "product-log-errors"
                                        << "warning"
                                        << "service-logs/product-logs/shield.log"
                                        << "scan worker 5 stopped";
        QTest::newRow("failed items") << "items-failed"
                                      << "warning"
                                      << "manifest.json"
                                      << "journal-full: failed: timed out after 10 s";
        QTest::newRow("permission") << "items-permission-denied"
                                    << "warning"
                                    << "manifest.json"
                                    << "btmp: skipped: permission denied (/var/log/btmp)";
        QTest::newRow("truncated") << "items-truncated"
                                   << "info"
                                   << "manifest.json"
                                   << "var-log: truncated";
    }

    void firesOnBrokenMachine()
    {
        QFETCH(QString, key);
        QFETCH(QString, severity);
        QFETCH(QString, file);
        QFETCH(QString, evidence);
        m_tested.insert(key.section(QLatin1Char(':'), 0, 0));
        const Finding *finding = find(m_broken, key);
        QVERIFY2(finding, qPrintable(QStringLiteral("%1 not among %2").arg(key, keys(m_broken).join(u' '))));
        QCOMPARE(severityKey(finding->severity), severity);
        QVERIFY(!finding->title.contains(QLatin1String("%1")));
        const auto it = std::find_if(finding->evidence.cbegin(), finding->evidence.cend(),
                                     [&](const Evidence &e) { return e.file == file; });
        QVERIFY2(it != finding->evidence.cend(), qPrintable(file));
        QVERIFY(it->lines.size() <= kMaxEvidenceLines);
        if (!evidence.isEmpty()) {
            QVERIFY(!it->lines.isEmpty());
            QVERIFY2(it->lines.constLast().text.contains(evidence), qPrintable(it->lines.constLast().text));
        }
        // Evidence lines are the staged text itself, so redacted where the folder is (the fixtures carry tokens).
        for (const EvidenceLine &line : it->lines)
            if (line.number > 0) {
                QFile staged(fixture(QStringLiteral("broken/")) + file);
                QVERIFY(staged.open(QIODevice::ReadOnly));
                const QList<QByteArray> lines = staged.readAll().split('\n');
                QCOMPARE(QString::fromUtf8(lines.value(line.number - 1)), line.text);
            }
    }

    void otherCasesStayQuiet()
    {
        // Within the broken machine, what must not fire: a squashfs at 100 %, a file system at 10 %,
        // a crash older than 7 days, the reverse proxy mismatch.
        for (const QString &key :
             {QStringLiteral("disk-full:/snap/core/17"), QStringLiteral("disk-full:/data"),
              QStringLiteral("crash-recent:/usr/bin/oldcrash"), QStringLiteral("proxy-system-only")})
            QVERIFY2(!find(m_broken, key), qPrintable(key));
        // Errors first, then warnings, then info.
        for (qsizetype i = 1; i < m_broken.findings.size(); ++i)
            QVERIFY(int(m_broken.findings[i - 1].severity) <= int(m_broken.findings[i].severity));
        // One finding per failed unit, however many files name it.
        QCOMPARE(keys(m_broken).count(QStringLiteral("systemd-unit-failed:nginx.service")), 1);
        QCOMPARE(find(m_broken, QStringLiteral("systemd-unit-failed:nginx.service"))->evidence.size(), 2);
    }

    void cleanMachineHasNoFindings()
    {
        QVERIFY2(m_clean.findings.isEmpty(), qPrintable(keys(m_clean).join(u' ')));
        // Everything was evaluated except what needs a live run.
        QCOMPARE(m_clean.notEvaluated, QStringList{QStringLiteral("output-folder-full")});
        QCOMPARE(m_clean.rulesEvaluated, int(m_rules.size()) - 1);
    }

    void proxyOnlySystemWide()
    {
        m_tested.insert(QStringLiteral("proxy-system-only"));
        const Findings findings = analyzeFixture(QStringLiteral("system-proxy"), m_rules);
        QCOMPARE(keys(findings), QStringList{QStringLiteral("proxy-system-only")});
        QCOMPARE(findings.findings.constFirst().severity, Severity::Info);
    }

    void outputFolderSpace()
    {
        m_tested.insert(QStringLiteral("output-folder-full"));
        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        // Some use of the folder's file system, even where it is a fresh tmpfs.
        QFile ballast(folder.filePath(QStringLiteral("ballast")));
        QVERIFY(ballast.open(QIODevice::WriteOnly));
        QVERIFY(ballast.write(QByteArray(4 << 20, 'x')) == 4 << 20);
        ballast.close();
        // A threshold the folder is surely above fires; the built-in one fires only on a nearly full disk.
        auto sensitive = parseRules(R"({"format": "diagcollect-rules", "format_version": 1, "rules": [
            {"id": "output-folder-full", "severity": "error", "title": "t", "explanation": "e", "advice": "a",
             "when": [{"space": {"used_percent_above": 0.0001}}]}]})",
                                    QStringLiteral("test"));
        QVERIFY(sensitive);
        AnalysisOptions options;
        options.liveFolders = {{QStringLiteral("output folder"), folder.path()}};
        const Findings fired = analyzeFixture(QStringLiteral("clean"), *sensitive, options);
        QCOMPARE(keys(fired), QStringList{QStringLiteral("output-folder-full")});
        const QString line = fired.findings.constFirst().evidence.constFirst().lines.constFirst().text;
        QVERIFY2(line.startsWith(QLatin1String("output folder: ")), qPrintable(line));
        QVERIFY(!line.contains(folder.path())); // the path may name the user

        const Findings quiet = analyzeFixture(QStringLiteral("clean"), m_rules, options);
        const QStorageInfo storage(folder.path());
        if (storage.bytesAvailable() * 10 > storage.bytesTotal())
            QVERIFY(!find(quiet, QStringLiteral("output-folder-full")));
        QVERIFY(!quiet.notEvaluated.contains(QStringLiteral("output-folder-full")));
    }

    void everyBuiltinRuleIsTested()
    {
        for (const Rule &rule : std::as_const(m_rules))
            QVERIFY2(m_tested.contains(rule.id), qPrintable(rule.id + QStringLiteral(" has no fixture test")));
    }

    void builtinTextsAreTranslatable()
    {
        QSet<QString> catalogue;
        for (const char *text : builtinRuleTexts())
            catalogue.insert(QString::fromUtf8(text));
        for (const Rule &rule : std::as_const(m_rules))
            for (const QString &text : {rule.title, rule.explanation, rule.advice})
                QVERIFY2(catalogue.contains(text), qPrintable(rule.id + QStringLiteral(": ") + text));
        QCOMPARE(catalogue.size(), int(m_rules.size()) * 3);
    }

    void acmeProfileRules()
    {
        RuleSelection selection;
        selection.profileSourcePath = QStringLiteral(DC_SOURCE_DIR "/docs/examples/acme-shield.json");
        auto rules = selectRules(selection);
        QVERIFY2(rules.has_value(), rules ? "" : qPrintable(rules.error().message));
        QCOMPARE(rules->size(), m_rules.size() + 2);
        const Findings acme = analyzeFixture(QStringLiteral("acme"), *rules);
        const Finding *signatures = find(acme, QStringLiteral("acme-signatures-not-loaded"));
        QVERIFY2(signatures, qPrintable(keys(acme).join(u' ')));
        QCOMPARE(signatures->severity, Severity::Error);
        QVERIFY(signatures->url.startsWith(QLatin1String("https://")));
        QCOMPARE(signatures->evidence.size(), 2); // the log and shieldctl status
        const Finding *cloud = find(acme, QStringLiteral("acme-cloud-connection-errors"));
        QVERIFY(cloud);
        QCOMPARE(cloud->evidence.constFirst().count, 3);

        const Findings healthy = analyzeFixture(QStringLiteral("acme-healthy"), *rules);
        QVERIFY(!find(healthy, QStringLiteral("acme-signatures-not-loaded")));
        QVERIFY(!find(healthy, QStringLiteral("acme-cloud-connection-errors"))); // one error is not "repeated"
    }

    void disabledRulesAreLeftOut()
    {
        RuleSelection selection;
        selection.disabled = {QStringLiteral("disk-full"), QStringLiteral("items-truncated")};
        auto rules = selectRules(selection);
        QVERIFY(rules);
        const Findings findings = analyzeFixture(QStringLiteral("broken"), *rules);
        QVERIFY(!find(findings, QStringLiteral("disk-full:/")));
        QVERIFY(!find(findings, QStringLiteral("items-truncated")));
        QVERIFY(find(findings, QStringLiteral("oom-kill:java")));
    }
};

QTEST_GUILESS_MAIN(TestAnalysisRules)
#include "test_analysisrules.moc"
