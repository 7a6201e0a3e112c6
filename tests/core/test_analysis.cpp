// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The analysis engine: rule loading and validation, the one-pass reader,
// time stamps, findings.json and summary.html.
#include "core/analysis/analyzer.h"
#include "core/analysis/findingsfile.h"
#include "core/analysis/ruleset.h"
#include "core/analysis/timestamp.h"
#include "core/bundle/staging.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

using namespace dc::core;
using namespace dc::core::analysis;

namespace {

QByteArray rulesDocument(const QByteArray &rules)
{
    return QByteArray("{\"format\": \"diagcollect-rules\", \"format_version\": 1, \"rules\": [") + rules + "]}";
}

QByteArray rule(const QByteArray &id, const QByteArray &condition, const QByteArray &extra = {})
{
    // Plain literals here: AutoMoc's scan for Q_OBJECT trips over raw strings with unbalanced quotes.
    return QByteArray("{\"id\": \"") + id +
           "\", \"severity\": \"warning\", \"title\": \"Title %1\", \"explanation\": \"e\", \"advice\": \"a\", " +
           extra + "\"when\": [" + condition + "]}";
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// A staging folder with one item "logs" holding the given files.
Manifest stage(const QString &dir, const QMap<QString, QByteArray> &files)
{
    Manifest manifest;
    manifest.started = QDateTime(QDate(2026, 12, 7), QTime(2, 0), Qt::UTC);
    ItemResult item;
    item.id = QStringLiteral("logs");
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        writeFile(dir + QLatin1Char('/') + it.key(), it.value());
        FileEntry entry;
        entry.path = it.key();
        entry.bytes = it.value().size();
        item.files.append(entry);
    }
    manifest.items.append(item);
    return manifest;
}

Findings analyze(const QString &dir, const Manifest &manifest, const QByteArray &rules)
{
    auto parsed = parseRules(rulesDocument(rules), QStringLiteral("test"));
    if (!parsed)
        qFatal("rules: %s", qPrintable(parsed.error().message));
    auto findings = analyzeStaging(dir, manifest, *parsed);
    if (!findings)
        qFatal("analysis: %s", qPrintable(findings.error().message));
    return *findings;
}

void copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + source.mid(from.size());
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile::copy(source, target);
    }
}

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Stamps without a zone are local time: make that UTC for the expected values.
        qputenv("TZ", "UTC");
    }

    void loaderNamesEveryMistake_data()
    {
        QTest::addColumn<QByteArray>("document");
        QTest::addColumn<QString>("expected");
        QTest::newRow("regex") << rulesDocument(rule("r", R"({"regex": "a{2,1}"})"))
                               << "test: rules[0].when[0].regex: does not compile";
        QTest::newRow("severity") << rulesDocument(R"({"id": "r", "severity": "fatal", "title": "t",
            "explanation": "e", "advice": "a", "when": [{"present": true}]})")
                                  << "rules[0].severity: expected error, warning or info";
        QTest::newRow("unknown key") << rulesDocument(rule("r", R"({"regex": "x", "colour": 1})"))
                                     << "rules[0].when[0].colour: unknown key";
        QTest::newRow("duplicate id") << rulesDocument(rule("r", R"({"present": true})") + "," +
                                                       rule("r", R"({"present": true})"))
                                      << "rules[1].id: \"r\" is used twice";
        QTest::newRow("two tests") << rulesDocument(rule("r", R"({"regex": "x", "present": true})"))
                                   << "rules[0].when[0]: expected exactly one test";
        QTest::newRow("capture range") << rulesDocument(rule("r", R"j({"regex": "(x)", "group_by": 2})j"))
                                       << "the regex has only 1 capture group(s)";
        QTest::newRow("capture without compare")
            << rulesDocument(rule("r", R"j({"regex": "(\\d+)", "capture": 1})j")) << "\"capture\" needs \"compare\"";
        QTest::newRow("field tests") << rulesDocument(rule("r", R"({"field": "k", "equals": "a", "matches": "b"})"))
                                     << "a field test needs exactly one of";
        QTest::newRow("status") << rulesDocument(rule("r", R"({"status": ["lost"]})"))
                                << "rules[0].when[0].status: \"lost\": expected failed";
        QTest::newRow("max below min") << rulesDocument(rule("r", R"({"regex": "x", "min_count": 3, "max_count": 1})"))
                                       << "rules[0].when[0].max_count: is below min_count";
        QTest::newRow("group twice")
            << rulesDocument(rule("r", R"j({"regex": "(x)", "group_by": 1}, {"regex": "(y)", "group_by": 1})j"))
            << "rules[0].when: only one condition may have group_by";
        QTest::newRow("url") << rulesDocument(rule("r", R"({"present": true})", R"("url": "ftp:x", )"))
                             << "rules[0].url: expected an https:// URL";
        QTest::newRow("version") << QByteArray(R"({"format": "diagcollect-rules", "format_version": 2, "rules": []})")
                                 << "format_version: unsupported version";
        QTest::newRow("not json") << QByteArray("{") << "test: not valid JSON";
    }

    void loaderNamesEveryMistake()
    {
        QFETCH(QByteArray, document);
        QFETCH(QString, expected);
        auto rules = parseRules(document, QStringLiteral("test"));
        QVERIFY(!rules);
        QCOMPARE(rules.error().code, ErrorCode::Profile);
        QVERIFY2(rules.error().message.contains(expected), qPrintable(rules.error().message));
    }

    void profileRulesSitBesideTheProfile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString profile = dir.filePath(QStringLiteral("vendor.json"));
        QVERIFY(writeFile(profile, "{}"));
        QCOMPARE(profileRulesPath(profile), QString());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("vendor.rules.json")),
                          rulesDocument(rule("disk-full", R"({"present": true})"))));
        QCOMPARE(profileRulesPath(profile), dir.filePath(QStringLiteral("vendor.rules.json")));
        QCOMPARE(profileRulesPath(QString::fromLatin1(kDefaultProfilePath)), QString());

        // A profile rule with a built-in id replaces it in place.
        auto builtin = builtinRules();
        QVERIFY(builtin);
        auto selected = selectRules(RuleSelection{profile, {}, {}});
        QVERIFY2(selected, selected ? "" : qPrintable(selected.error().message));
        QCOMPARE(selected->size(), builtin->size());
        const auto it = std::find_if(selected->cbegin(), selected->cend(),
                                     [](const Rule &r) { return r.id == QLatin1String("disk-full"); });
        QCOMPARE(it->severity, Severity::Warning);
        QCOMPARE(it->origin, dir.filePath(QStringLiteral("vendor.rules.json")));

        // A broken rules file beside the profile is an error, not ignored.
        QVERIFY(writeFile(dir.filePath(QStringLiteral("vendor.rules.json")), "{\"rules\": 1}"));
        QVERIFY(!selectRules(RuleSelection{profile, {}, {}}));
    }

    void timestamps_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QDateTime>("expected");
        const QDateTime base(QDate(2026, 12, 7), QTime(2, 3, 38), Qt::UTC);
        QTest::newRow("journal") << QByteArray("2026-12-07T02:03:38.123456+00:00 host kernel: x") << base.addMSecs(123);
        QTest::newRow("offset") << QByteArray("2026-12-07T11:03:38+09:00 x") << base;
        QTest::newRow("dmesg") << QByteArray("2026-12-07T02:03:38,500000+00:00 x") << base.addMSecs(500);
        QTest::newRow("zulu") << QByteArray("[2026-12-07 02:03:38Z] x") << base;
        QTest::newRow("syslog") << QByteArray("Dec  7 02:03:38 host cron[1]: x") << base;
        QTest::newRow("syslog last year")
            << QByteArray("Dec 31 23:00:00 host x") << QDateTime(QDate(2025, 12, 31), QTime(23, 0), Qt::UTC);
        QTest::newRow("weekday") << QByteArray("Mon 2026-12-07 02:03:38 UTC 1 2") << base;
        QTest::newRow("none") << QByteArray("ERROR 2026-12-07") << QDateTime();
        QTest::newRow("bad date") << QByteArray("2026-13-45T00:00:00Z") << QDateTime();
    }

    void timestamps()
    {
        QFETCH(QByteArray, line);
        QFETCH(QDateTime, expected);
        const QDateTime reference(QDate(2026, 12, 7), QTime(2, 10), Qt::UTC);
        const auto stamp = leadingTimestampMs(line, reference);
        QCOMPARE(stamp.has_value(), expected.isValid());
        if (stamp)
            QCOMPARE(QDateTime::fromMSecsSinceEpoch(*stamp, Qt::UTC), expected);
    }

    void evidenceKeepsTheLastLines()
    {
        QTemporaryDir dir;
        QByteArray log;
        for (int i = 1; i <= 10; ++i)
            log += "ERROR number " + QByteArray::number(i) + "\r\n";
        log += "no newline at the end ERROR"; // the last line counts too
        const Manifest manifest = stage(dir.path(), {{QStringLiteral("a/app.log"), log}});
        const Findings findings = analyze(dir.path(), manifest, rule("errors", R"({"regex": "ERROR"})"));
        QCOMPARE(findings.findings.size(), 1);
        const Evidence &evidence = findings.findings.constFirst().evidence.constFirst();
        QCOMPARE(evidence.file, QStringLiteral("a/app.log"));
        QCOMPARE(evidence.count, 11);
        QCOMPARE(evidence.lines.size(), kMaxEvidenceLines);
        QCOMPARE(evidence.lines[0].number, 9);
        QCOMPARE(evidence.lines[0].text, QStringLiteral("ERROR number 9")); // '\r' dropped
        QCOMPARE(evidence.lines[2].number, 11);
    }

    void countsThresholdsAndGroups()
    {
        QTemporaryDir dir;
        const Manifest manifest = stage(dir.path(), {{QStringLiteral("df.txt"), "/dev/a 95% /\n/dev/b 91% /home\n"
                                                                                "/dev/c 90% /srv\n/dev/a 97% /\n"}});
        const Findings findings =
            analyze(dir.path(), manifest,
                    rule("full", R"({"regex": "^\\S+ (\\d+)% (\\S+)$", "capture": 1, "compare": ">", "value": 90,
                                   "group_by": 2})") +
                        "," + rule("twice", R"({"regex": "^/dev/a ", "min_count": 2, "max_count": 2})") + "," +
                        rule("thrice", R"({"regex": "^/dev/a ", "min_count": 3})"));
        QStringList keys;
        for (const Finding &finding : findings.findings)
            keys.append(finding.key());
        QCOMPARE(keys, (QStringList{QStringLiteral("full:/"), QStringLiteral("full:/home"), QStringLiteral("twice")}));
        QCOMPARE(findings.findings[0].title, QStringLiteral("Title /"));
        QCOMPARE(findings.findings[0].evidence.constFirst().count, 2);
        QCOMPARE(findings.rulesEvaluated, 3);
    }

    void manyFilesAddUpInManifestOrder()
    {
        // Files are read in parallel; groups, counts and evidence come out as
        // one reading in manifest order gives them, a file listed twice included.
        QTemporaryDir dir;
        QMap<QString, QByteArray> files;
        for (int f = 0; f < 24; ++f) {
            QByteArray log;
            // File f names the groups f % 5, then f % 3 + 10, one line per group per file.
            log += "fail unit u" + QByteArray::number(f % 5) + "\n";
            log += "ok\nfail unit u" + QByteArray::number(f % 3 + 10) + "\n";
            files.insert(QStringLiteral("f%1.log").arg(f, 2, 10, QLatin1Char('0')), log);
        }
        Manifest manifest = stage(dir.path(), files);
        manifest.items[0].files.append(manifest.items[0].files.constLast()); // f23.log again
        const Findings findings =
            analyze(dir.path(), manifest, rule("fail", R"j({"regex": "fail unit (\\S+)", "group_by": 1})j"));
        QStringList subjects;
        for (const Finding &finding : findings.findings)
            subjects.append(finding.subject);
        // First appearance: f00 gives u0 then u10, f01 u1 u11, f02 u2 u12, f03 u3, f04 u4.
        QCOMPARE(subjects, (QStringList{QStringLiteral("u0"), QStringLiteral("u10"), QStringLiteral("u1"),
                                        QStringLiteral("u11"), QStringLiteral("u2"), QStringLiteral("u12"),
                                        QStringLiteral("u3"), QStringLiteral("u4")}));
        const Finding &u12 = findings.findings[5];
        // u12 is in f02, f05, ..., f23 (eight files); f23 read twice is one evidence of two lines.
        QCOMPARE(u12.evidence.size(), 8);
        QCOMPARE(u12.evidence[0].file, QStringLiteral("f02.log"));
        QCOMPARE(u12.evidence[7].file, QStringLiteral("f23.log"));
        QCOMPARE(u12.evidence[7].count, 2);
        QCOMPARE(u12.evidence[7].lines.size(), 2);
        QCOMPARE(u12.evidence[7].lines[1].number, 3);
        qint64 total = 0;
        for (const Evidence &evidence : u12.evidence)
            total += evidence.count;
        QCOMPARE(total, 9);
    }

    void fieldsAndWindows()
    {
        QTemporaryDir dir;
        const Manifest manifest =
            stage(dir.path(), {{QStringLiteral("probe.txt"), "== Memory ==\nMemAvailable:   512 MB (524288 kB)\n"
                                                             "System clock synchronized: yes\n"},
                               {QStringLiteral("app.log"), "2026-12-07T01:30:00Z ERROR late\n"
                                                           "2026-12-07T00:30:00Z ERROR early\n"
                                                           "ERROR without a time\n"}});
        const Findings findings =
            analyze(dir.path(), manifest,
                    rule("low-memory", R"({"field": "memavailable", "compare": "<", "value": 1024})") + "," +
                        rule("clock", R"({"field": "clock synchronized", "equals": "no"})") + "," +
                        rule("missing-field", R"({"field": "swap", "equals": "0"})") + "," +
                        rule("recent", R"({"regex": "ERROR", "within_minutes": 60})"));
        QCOMPARE(findings.findings.size(), 2);
        QCOMPARE(findings.findings[0].rule, QStringLiteral("low-memory"));
        QCOMPARE(findings.findings[1].rule, QStringLiteral("recent"));
        QCOMPARE(findings.findings[1].evidence.constFirst().count, 1);
        QCOMPARE(findings.findings[1].evidence.constFirst().lines.constFirst().number, 1);
        // A key that never occurs: the rule could not be evaluated.
        QCOMPARE(findings.notEvaluated, QStringList{QStringLiteral("missing-field")});
    }

    void absenceAndMissingData()
    {
        QTemporaryDir dir;
        const Manifest manifest = stage(dir.path(), {{QStringLiteral("resolv.conf"), "search example.com\n"}});
        const Findings findings =
            analyze(dir.path(), manifest,
                    rule("no-resolver", R"({"paths": ["**/resolv.conf"], "regex": "^nameserver", "max_count": 0})") +
                        "," + rule("not-collected", R"({"items": ["other"], "regex": "x"})") + "," +
                        rule("assume", R"({"items": ["other"], "regex": "x", "if_missing": "match"})"));
        QCOMPARE(findings.findings.size(), 2);
        QCOMPARE(findings.findings[0].rule, QStringLiteral("no-resolver"));
        QCOMPARE(findings.findings[0].evidence.constFirst().file, QStringLiteral("resolv.conf"));
        QCOMPARE(findings.findings[0].evidence.constFirst().count, 0);
        QCOMPARE(findings.findings[1].rule, QStringLiteral("assume"));
        QCOMPARE(findings.notEvaluated, QStringList{QStringLiteral("not-collected")});
    }

    void unsafeFilesAreNotRead()
    {
        QTemporaryDir outside;
        QTemporaryDir dir;
        QVERIFY(writeFile(outside.filePath(QStringLiteral("secret.log")), "ERROR secret\n"));
        Manifest manifest = stage(dir.path(), {{QStringLiteral("binary.log"), QByteArray("ERROR\0\1\2", 8)}});
        QVERIFY(QFile::link(outside.filePath(QStringLiteral("secret.log")), dir.filePath(QStringLiteral("link.log"))));
        for (const QString &path : {QStringLiteral("link.log"), QStringLiteral("../outside.log")}) {
            FileEntry entry;
            entry.path = path;
            manifest.items[0].files.append(entry);
        }
        const Findings findings = analyze(dir.path(), manifest, rule("errors", R"({"regex": "ERROR"})"));
        QVERIFY(findings.findings.isEmpty());
        QCOMPARE(findings.notEvaluated, QStringList{QStringLiteral("errors")});
    }

    void longLinesAreCut()
    {
        QTemporaryDir dir;
        const QByteArray longLine = "ERROR " + QByteArray(200 * 1024, 'x') + " TAIL\nsecond ERROR\n";
        const Manifest manifest = stage(dir.path(), {{QStringLiteral("big.log"), longLine}});
        const Findings findings = analyze(
            dir.path(), manifest, rule("errors", R"({"regex": "ERROR"})") + "," + rule("tail", R"({"regex": "TAIL"})"));
        QCOMPARE(findings.findings.size(), 1);
        const Evidence &evidence = findings.findings.constFirst().evidence.constFirst();
        QCOMPARE(evidence.count, 2);
        QCOMPARE(evidence.lines[1].number, 2);
        QVERIFY(evidence.lines[0].text.size() <= kMaxEvidenceChars + 1);
    }

    void cancelled()
    {
        QTemporaryDir dir;
        const Manifest manifest = stage(dir.path(), {{QStringLiteral("a.log"), "ERROR\n"}});
        auto rules = parseRules(rulesDocument(rule("errors", R"({"regex": "ERROR"})")), QStringLiteral("test"));
        QVERIFY(rules);
        std::atomic_bool stop{true};
        AnalysisOptions options;
        options.cancelled = &stop;
        auto findings = analyzeStaging(dir.path(), manifest, *rules, options);
        QVERIFY(!findings);
        QCOMPARE(findings.error().code, ErrorCode::Cancelled);
    }

    void findingsFileAndSummary()
    {
        QTemporaryDir dir;
        copyTree(QStringLiteral(DC_TEST_DATA_DIR "/analysis/broken"), dir.path());
        QFile manifestFile(dir.filePath(QStringLiteral("manifest.json")));
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        auto manifest = Manifest::fromJson(manifestFile.readAll());
        manifestFile.close();
        QVERIFY(manifest);
        auto rules = builtinRules();
        QVERIFY(rules);
        auto findings = analyzeStaging(dir.path(), *manifest, *rules);
        QVERIFY(findings);
        QVERIFY(writeFindings(dir.path(), *manifest, *findings));
        QVERIFY(writeFindings(dir.path(), *manifest, *findings)); // twice: entries replaced, not doubled

        // Listed in the manifest with its digest, like every file of the archive.
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        auto written = Manifest::fromJson(manifestFile.readAll());
        QVERIFY(written);
        QStringList extras;
        for (const FileEntry &file : written->extraFiles) {
            extras.append(file.path);
            QCOMPARE(file.sha256, sha256OfFile(dir.filePath(file.path)));
        }
        extras.sort();
        QCOMPARE(extras, (QStringList{QStringLiteral("findings.json"), QStringLiteral("summary.html")}));

        auto read = readFindings(dir.path());
        QVERIFY(read);
        QCOMPARE(read->toJson(), findings->toJson());
        QCOMPARE(read->count(Severity::Error), findings->count(Severity::Error));
        QVERIFY(findings->count(Severity::Error) >= 5);

        QFile summary(dir.filePath(QStringLiteral("summary.html")));
        QVERIFY(summary.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(summary.readAll());
        const qsizetype findingsAt = html.indexOf(QLatin1String("<h2>Findings</h2>"));
        QVERIFY(findingsAt > 0);
        QVERIFY(findingsAt < html.indexOf(QLatin1String("<h2>Totals</h2>")));
        QVERIFY(html.contains(QLatin1String("Unit nginx.service failed")));
        QVERIFY(html.contains(QLatin1String("Failed with result &#x27;core-dump&#x27;")) ||
                html.contains(QLatin1String("Failed with result 'core-dump'")));
        QVERIFY(html.contains(QLatin1String("class=\"finding sev-error\"")));
        QVERIFY(!html.contains(QLatin1String("<script")));
    }

    void findingsTextsCanBeRedacted()
    {
        QTemporaryDir dir;
        copyTree(QStringLiteral(DC_TEST_DATA_DIR "/analysis/broken"), dir.path());
        QFile manifestFile(dir.filePath(QStringLiteral("manifest.json")));
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        auto manifest = Manifest::fromJson(manifestFile.readAll());
        QVERIFY(manifest);
        auto rules = builtinRules();
        QVERIFY(rules);
        auto findings = analyzeStaging(dir.path(), *manifest, *rules);
        QVERIFY(findings);
        // A chosen value that is also a word of the rules' own texts ("clock", "nginx").
        const auto redact = [](const QString &text) {
            return QString(text)
                .replace(QLatin1String("clock"), QLatin1String("[word-1]"), Qt::CaseInsensitive)
                .replace(QLatin1String("nginx"), QLatin1String("[word-2]"));
        };
        QVERIFY(writeFindings(dir.path(), *manifest, *findings, redact));
        // Every text is filtered; rule ids stay (they are the format's own words, like item ids).
        auto written = readFindings(dir.path());
        QVERIFY(written);
        for (const Finding &finding : written->findings) {
            QStringList texts{finding.subject, finding.title, finding.explanation, finding.advice};
            for (const Evidence &evidence : finding.evidence)
                for (const EvidenceLine &line : evidence.lines)
                    texts.append(line.text);
            for (const QString &text : texts)
                QVERIFY2(!text.contains(QLatin1String("clock"), Qt::CaseInsensitive) &&
                             !text.contains(QLatin1String("nginx")),
                         qPrintable(text));
        }
        QVERIFY(written->findings.constFirst().title.contains(QLatin1String("[word-2]")));
        QFile summary(dir.filePath(QStringLiteral("summary.html")));
        QVERIFY(summary.open(QIODevice::ReadOnly));
        const QByteArray html = summary.readAll();
        QVERIFY(!html.contains("nginx") && !html.contains("The clock"));
    }

    void localizedTexts()
    {
        Finding finding;
        finding.subject = QStringLiteral("nginx.service");
        finding.titleTemplate = QStringLiteral("Unit %1 failed");
        finding.title = QStringLiteral("Unit nginx.service failed");
        finding.explanation = QStringLiteral("e");
        finding.advice = QStringLiteral("a");
        QCOMPARE(finding.localized().title, finding.title); // no catalogue loaded: English
        finding.translations.insert(QStringLiteral("ja"), RuleTexts{QStringLiteral("ユニット %1 が失敗しました"),
                                                                    QStringLiteral("説明"), QStringLiteral("対処")});
        QLocale::setDefault(QLocale(QLocale::Japanese, QLocale::Japan));
        QCOMPARE(finding.localized().title, QStringLiteral("ユニット nginx.service が失敗しました"));
        QCOMPARE(finding.localized().advice, QStringLiteral("対処"));
        QLocale::setDefault(QLocale::c());
        QCOMPARE(finding.localized().title, finding.title);
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "test_analysis.moc"
