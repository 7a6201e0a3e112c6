// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// `diagcollect analyze` and `diagcollect diff` run as the built binary, on the
// fixture staging trees (tests/data/analysis), on archives packaged from them
// (sealed too), and on a real collection of the Acme example.
#include "core/bundle/archive.h"
#include "core/seal/sealing.h"
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
#include <algorithm>
#include <optional>

using namespace dc::core;

namespace {

QString fixture(const QString &name) { return QStringLiteral(DC_TEST_DATA_DIR "/analysis/") + name; }

QStringList findingKeys(const QJsonObject &findings)
{
    QStringList keys;
    for (const QJsonValue &value : findings.value(QStringLiteral("findings")).toArray()) {
        const QJsonObject finding = value.toObject();
        const QString subject = finding.value(QStringLiteral("subject")).toString();
        keys.append(finding.value(QStringLiteral("rule")).toString() +
                    (subject.isEmpty() ? QString() : QLatin1Char(':') + subject));
    }
    return keys;
}

QStringList names(const QJsonArray &array, const QString &key = {})
{
    QStringList out;
    for (const QJsonValue &value : array)
        out.append(key.isEmpty() ? value.toString() : value.toObject().value(key).toString());
    return out;
}

} // namespace

class TestAnalyze : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;

    struct Run : dc::test::BinaryRun
    {
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    Run run(const QStringList &arguments, int timeoutMs = 120000) const
    {
        QProcessEnvironment env = dc::test::isolatedEnvironment(m_home.path());
        env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
        return Run{dc::test::runBinary(arguments, env, timeoutMs)};
    }

    // Packages a fixture staging tree the way a collection does.
    QString archiveOf(const QString &name)
    {
        PackageOptions options;
        options.topDir = QStringLiteral("diagcollect-host-1-") + name;
        options.entryTime = QDateTime(QDate(2026, 12, 7), QTime(2, 0), Qt::UTC);
        const QString path = m_home.filePath(name + QStringLiteral(".tar.zst"));
        if (QFile::exists(path)) // packaged by an earlier test function
            return path;
        auto packaged = packageDirectory(fixture(name), path, options);
        if (!packaged)
            qFatal("packaging %s: %s", qPrintable(name), qPrintable(packaged.error().message));
        return packaged->path;
    }

    // The fixture machines (tests/data/analysis/{broken,clean}-machine.json) as a user collects
    // them: redacted, analysed right before packaging.
    struct Collection
    {
        QJsonObject json;     // collect --json
        QString archive;      // the archive it wrote
        QJsonObject findings; // findings.json in the archive
        QString summary;      // summary.html in the archive
    };

    std::optional<Collection> collectMachine(const QString &machine)
    {
        const Run collect = run({QStringLiteral("collect"), QStringLiteral("--profile"),
                                 fixture(machine + QStringLiteral("-machine.json")), QStringLiteral("--output"),
                                 m_home.filePath(machine + QStringLiteral("-machine-out")), QStringLiteral("--json"),
                                 QStringLiteral("--quiet")});
        if (collect.exitCode != 0) {
            qWarning("collect of the %s machine: exit code %d: %s", qPrintable(machine), collect.exitCode,
                     collect.err.constData());
            return std::nullopt;
        }
        Collection result;
        result.json = collect.json();
        result.archive = result.json.value(QStringLiteral("archive")).toString();
        result.findings = QJsonDocument::fromJson(entryOf(result.archive, QStringLiteral("findings.json"))).object();
        result.summary = QString::fromUtf8(entryOf(result.archive, QStringLiteral("summary.html")));
        return result;
    }

    // output-folder-full is the one live rule: it looks at this machine's own disk while collecting, so
    // it can fire on a nearly full test machine and is never evaluated on an archive.
    static QStringList plantedKeys(const QJsonObject &findings)
    {
        QStringList keys = findingKeys(findings);
        keys.removeAll(QStringLiteral("output-folder-full"));
        return keys;
    }

    static int liveErrors(const QJsonObject &findings)
    {
        return int(findingKeys(findings).count(QStringLiteral("output-folder-full")));
    }

private slots:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void analyzeStagingFolder()
    {
        const Run json = run({QStringLiteral("analyze"), fixture(QStringLiteral("broken")), QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QStringList keys = findingKeys(json.json());
        for (const QString &key :
             {QStringLiteral("systemd-unit-failed:nginx.service"), QStringLiteral("disk-full:/"),
              QStringLiteral("oom-kill:java"), QStringLiteral("crash-recent:/opt/acme/bin/acme-shieldd")})
            QVERIFY2(keys.contains(key), qPrintable(keys.join(u' ')));
        QCOMPARE(json.json().value(QStringLiteral("counts")).toObject().value(QStringLiteral("error")).toInt(), 6);

        const Run text = run({QStringLiteral("analyze"), fixture(QStringLiteral("broken"))});
        QCOMPARE(text.exitCode, 0);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.startsWith(QLatin1String("6 error(s), ")), qPrintable(out.left(200)));
        QVERIFY(out.contains(QLatin1String("ERROR    Unit nginx.service failed  [systemd-unit-failed:nginx.service]")));
        QVERIFY(out.contains(QLatin1String("What to do: ")));
        QVERIFY(out.contains(QLatin1String("os-config/storage/df.txt (1 matching)")));
        // Errors are listed before warnings.
        QVERIFY(out.lastIndexOf(QLatin1String("\nERROR ")) < out.indexOf(QLatin1String("\nWARNING ")));

        const Run clean = run({QStringLiteral("analyze"), fixture(QStringLiteral("clean")), QStringLiteral("--json")});
        QCOMPARE(clean.exitCode, 0);
        QCOMPARE(findingKeys(clean.json()), QStringList());
    }

    void analyzeArchiveGivesTheSameFindings()
    {
        const QString archive = archiveOf(QStringLiteral("broken"));
        const Run fromArchive = run({QStringLiteral("analyze"), archive, QStringLiteral("--json")});
        QVERIFY2(fromArchive.exitCode == 0, fromArchive.err.constData());
        const Run fromFolder =
            run({QStringLiteral("analyze"), fixture(QStringLiteral("broken")), QStringLiteral("--json")});
        QCOMPARE(fromArchive.json(), fromFolder.json());

        // Sealed: only with the secret key.
        auto keys = generateSealKeyPair();
        QVERIFY(keys);
        const QString keyFile = m_home.filePath(QStringLiteral("support.key"));
        QVERIFY(writeSecretKeyFile(keyFile, keys->secretKey));
        const QString sealed = archive + QStringLiteral(".sealed");
        QVERIFY(sealFile(archive, sealed, keys->publicKey));
        const Run withoutKey = run({QStringLiteral("analyze"), sealed});
        QCOMPARE(withoutKey.exitCode, 2);
        QVERIFY(withoutKey.err.contains("--key"));
        const Run withKey =
            run({QStringLiteral("analyze"), sealed, QStringLiteral("--key"), keyFile, QStringLiteral("--json")});
        QVERIFY2(withKey.exitCode == 0, withKey.err.constData());
        QCOMPARE(withKey.json(), fromFolder.json());
    }

    void diffNamesWhatChanged()
    {
        const QString before = archiveOf(QStringLiteral("clean"));
        const QString after = archiveOf(QStringLiteral("broken"));
        const Run json = run({QStringLiteral("diff"), before, after, QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonObject diff = json.json();
        const QJsonObject items = diff.value(QStringLiteral("items")).toObject();
        QCOMPARE(names(items.value(QStringLiteral("removed")).toArray()), QStringList{QStringLiteral("timedatectl")});
        QVERIFY(names(items.value(QStringLiteral("added")).toArray()).contains(QStringLiteral("journal-full")));
        QVERIFY(names(items.value(QStringLiteral("changed")).toArray(), QStringLiteral("id"))
                    .contains(QStringLiteral("df")));

        const QJsonArray packages = diff.value(QStringLiteral("packages")).toArray();
        QCOMPARE(names(packages, QStringLiteral("name")),
                 (QStringList{QStringLiteral("oldtool"), QStringLiteral("openssl")}));
        QCOMPARE(packages[1].toObject().value(QStringLiteral("before")).toString(), QStringLiteral("3.0.11-1~deb12u2"));
        QCOMPARE(packages[1].toObject().value(QStringLiteral("after")).toString(), QStringLiteral("3.0.13-1~deb12u1"));
        QVERIFY(packages[0].toObject().value(QStringLiteral("after")).isNull());

        const QJsonArray units = diff.value(QStringLiteral("units")).toArray();
        QVERIFY(names(units, QStringLiteral("name")).contains(QStringLiteral("nginx.service")));

        const QJsonObject findings = diff.value(QStringLiteral("findings")).toObject();
        QVERIFY(names(findings.value(QStringLiteral("appeared")).toArray(), QStringLiteral("key"))
                    .contains(QStringLiteral("systemd-unit-failed:nginx.service")));
        QCOMPARE(findings.value(QStringLiteral("cleared")).toArray().size(), 0);

        const Run text = run({QStringLiteral("diff"), before, after});
        QCOMPARE(text.exitCode, 0);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains(QLatin1String("  ~ openssl 3.0.11-1~deb12u2 -> 3.0.13-1~deb12u1\n")), qPrintable(out));
        QVERIFY(out.contains(QLatin1String("Items removed (1):\n  - timedatectl\n")));
        QVERIFY(out.contains(QLatin1String("  ~ nginx.service active/running -> failed/failed\n")));
        QVERIFY(
            out.contains(QLatin1String("  + ERROR    Unit nginx.service failed  [systemd-unit-failed:nginx.service]")));

        // Reversed, the findings clear.
        const Run reversed = run({QStringLiteral("diff"), after, before, QStringLiteral("--json")});
        QCOMPARE(reversed.json()
                     .value(QStringLiteral("findings"))
                     .toObject()
                     .value(QStringLiteral("appeared"))
                     .toArray()
                     .size(),
                 0);
    }

    void rulesOptions()
    {
        // A profile's rules file beside it, and rules that are switched off.
        const Run acme =
            run({QStringLiteral("analyze"), fixture(QStringLiteral("acme")), QStringLiteral("--profile"),
                 QStringLiteral(DC_SOURCE_DIR "/docs/examples/acme-shield.json"), QStringLiteral("--json")});
        QVERIFY2(acme.exitCode == 0, acme.err.constData());
        QCOMPARE(findingKeys(acme.json()), (QStringList{QStringLiteral("acme-signatures-not-loaded"),
                                                        QStringLiteral("acme-cloud-connection-errors")}));
        const Run disabled = run({QStringLiteral("analyze"), fixture(QStringLiteral("broken")),
                                  QStringLiteral("--disable"), QStringLiteral("oom-kill"), QStringLiteral("--json")});
        QVERIFY(!findingKeys(disabled.json()).contains(QStringLiteral("oom-kill:java")));

        // A rules file with a mistake is a usage error naming where.
        const QString bad = m_home.filePath(QStringLiteral("bad.rules.json"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"format": "diagcollect-rules", "format_version": 1, "rules": [{"id": "x", "severity": "grave",
            "title": "t", "explanation": "e", "advice": "a", "when": [{"present": true}]}]})");
        file.close();
        const Run rejected =
            run({QStringLiteral("analyze"), fixture(QStringLiteral("clean")), QStringLiteral("--rules"), bad});
        QCOMPARE(rejected.exitCode, 2);
        QVERIFY2(rejected.err.contains("rules[0].severity: expected error, warning or info"), rejected.err.constData());

        const Run missing = run({QStringLiteral("analyze"), m_home.filePath(QStringLiteral("nothing"))});
        QCOMPARE(missing.exitCode, 2);
        const Run usage = run({QStringLiteral("diff"), fixture(QStringLiteral("clean"))});
        QCOMPARE(usage.exitCode, 2);
    }

    void acmeCollectionEndToEnd()
    {
        // A real, redacted collection of the Acme example: its cloud errors are found in the archive.
        const QString output = m_home.filePath(QStringLiteral("out"));
        const Run collect =
            run({QStringLiteral("collect"), QStringLiteral("--profile"),
                 QStringLiteral(DC_SOURCE_DIR "/docs/examples/acme-shield.json"), QStringLiteral("--output"), output,
                 QStringLiteral("--json"), QStringLiteral("--quiet")},
                300000);
        QVERIFY2(collect.exitCode == 0, collect.err.constData());
        const QString archive = collect.json().value(QStringLiteral("archive")).toString();
        QVERIFY(QFile::exists(archive));
        // collect analysed what it packaged: the counts in its JSON, findings.json in the archive.
        const QJsonObject counts = collect.json().value(QStringLiteral("findings")).toObject();
        QVERIFY2(counts.value(QStringLiteral("error")).toInt() + counts.value(QStringLiteral("warning")).toInt() >= 1,
                 collect.out.constData());
        QProcess tar;
        tar.start(QStringLiteral("tar"), {QStringLiteral("--zstd"), QStringLiteral("-tf"), archive});
        QVERIFY(tar.waitForFinished(60000));
        const QByteArray entries = tar.readAllStandardOutput();
        QVERIFY2(entries.contains("/findings.json\n"), entries.constData());
        const Run analyze =
            run({QStringLiteral("analyze"), archive, QStringLiteral("--profile"),
                 QStringLiteral(DC_SOURCE_DIR "/docs/examples/acme-shield.json"), QStringLiteral("--json")});
        QVERIFY2(analyze.exitCode == 0, analyze.err.constData());
        const QStringList keys = findingKeys(analyze.json());
        QVERIFY2(keys.contains(QStringLiteral("acme-cloud-connection-errors")), qPrintable(keys.join(u' ')));
        QVERIFY(!keys.contains(QStringLiteral("acme-signatures-not-loaded")));
        // Its crash dump was left out of the redacted archive, but the manifest says it was there.
        QVERIFY(keys.contains(QStringLiteral("product-crash-dumps")));
        // The evidence is the archive's (redacted) text: the fixture's user name is not in it.
        QVERIFY(!analyze.out.contains("alice"));
    }

    // A small product: a log that panics once, a profile beside its rules.
    QString writeTinyProfile(const QString &folder, const QByteArray &rules)
    {
        const QString dir = m_home.filePath(folder);
        QDir().mkpath(dir + QStringLiteral("/logs"));
        QFile log(dir + QStringLiteral("/logs/tiny.log"));
        if (!log.open(QIODevice::WriteOnly) || log.write("starting\nworking\n") < 0)
            return {};
        log.close();
        QFile profile(dir + QStringLiteral("/tiny.json"));
        if (!profile.open(QIODevice::WriteOnly))
            return {};
        profile.write(QStringLiteral(R"({"format_version": 1, "name": "tiny", "variables": {"ROOT": "%1"},
            "items": [{"id": "tiny-log", "kind": "files", "category": "service-logs", "purpose": "the log",
                       "paths": ["${ROOT}/logs/tiny.log"]}]})")
                          .arg(dir)
                          .toUtf8());
        profile.close();
        QFile rulesFile(dir + QStringLiteral("/tiny.rules.json"));
        if (!rulesFile.open(QIODevice::WriteOnly))
            return {};
        rulesFile.write(rules);
        return profile.fileName();
    }

    QStringList stagingEntries() const
    {
        return QDir(m_home.filePath(QStringLiteral("cache/diagcollect/staging")))
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    static QByteArray entryOf(const QString &archive, const QString &suffix)
    {
        QProcess tar;
        tar.start(QStringLiteral("tar"), {QStringLiteral("--zstd"), QStringLiteral("-xOf"), archive,
                                          QStringLiteral("--wildcards"), QStringLiteral("*/") + suffix});
        tar.waitForFinished(60000);
        return tar.readAllStandardOutput();
    }

    void fixtureMachinesEndToEnd()
    {
        // The broken machine: a failed unit, a full disk, an OOM kill and a crashed product, each a
        // finding with its severity and evidence in collect's JSON, findings.json and summary.html.
        const auto broken = collectMachine(QStringLiteral("broken"));
        QVERIFY(broken);
        QVERIFY(QFile::exists(broken->archive));
        const int live = liveErrors(broken->findings);
        const QJsonObject counts = broken->json.value(QStringLiteral("findings")).toObject();
        QCOMPARE(counts.value(QStringLiteral("error")).toInt(), 6 + live);
        QCOMPARE(counts.value(QStringLiteral("warning")).toInt(), 8);
        QCOMPARE(counts.value(QStringLiteral("info")).toInt(), 0);
        QCOMPARE(broken->findings.value(QStringLiteral("counts")).toObject(), counts);

        struct Expected
        {
            const char *key;
            const char *severity;
            const char *file;
            const char *line; // a part of an evidence line that redaction keeps
        };
        const Expected expected[] = {
            {"systemd-unit-failed:nginx.service", "error", "os-config/services/failed.txt",
             "nginx.service loaded failed failed"},
            {"disk-full:/", "error", "os-config/storage/df.txt", "98% /"},
            {"oom-kill:java", "error", "system-logs/journal/kernel.txt", "Out of memory: Killed process 4242 (java)"},
            {"product-service-failed", "error", "service-logs/product-journal-acme-shield-service.txt",
             "acme-shield.service: Main process exited, code=dumped, status=11/SEGV"},
            {"crash-recent:/opt/acme/bin/acme-shieldd", "warning", "crash-dumps/coredumps.txt",
             "SIGSEGV present   /opt/acme/bin/acme-shieldd"},
            // The dump itself is binary and left out of the redacted archive; the manifest names it.
            {"product-crash-dumps", "warning", "manifest.json", "crash-dumps/product-crash-dumps/core.777.dmp"},
        };
        const QJsonArray findings = broken->findings.value(QStringLiteral("findings")).toArray();
        // summary.html: one <div class="finding sev-…"> per finding, its key in the heading.
        const QStringList blocks = broken->summary.split(QStringLiteral("<div class=\"finding "));
        for (const Expected &want : expected) {
            const QString key = QString::fromLatin1(want.key);
            const QString line = QString::fromLatin1(want.line);
            QJsonObject finding;
            for (const QJsonValue &value : findings) {
                const QJsonObject object = value.toObject();
                const QString subject = object.value(QStringLiteral("subject")).toString();
                if (object.value(QStringLiteral("rule")).toString() +
                        (subject.isEmpty() ? QString() : QLatin1Char(':') + subject) ==
                    key)
                    finding = object;
            }
            QVERIFY2(!finding.isEmpty(), want.key);
            QCOMPARE(finding.value(QStringLiteral("severity")).toString(), QString::fromLatin1(want.severity));
            bool found = false;
            for (const QJsonValue &evidence : finding.value(QStringLiteral("evidence")).toArray()) {
                if (evidence.toObject().value(QStringLiteral("file")).toString() != QLatin1String(want.file))
                    continue;
                for (const QJsonValue &text : evidence.toObject().value(QStringLiteral("lines")).toArray())
                    found = found || text.toObject().value(QStringLiteral("text")).toString().contains(line);
            }
            QVERIFY2(found, qPrintable(key + QStringLiteral(": ") +
                                       QString::fromUtf8(QJsonDocument(finding).toJson(QJsonDocument::Compact))));

            const auto block = std::find_if(blocks.cbegin(), blocks.cend(), [&](const QString &text) {
                return text.contains(QStringLiteral("<code class=\"muted\">") + key.toHtmlEscaped() +
                                     QStringLiteral("</code></h3>"));
            });
            QVERIFY2(block != blocks.cend(), want.key);
            QVERIFY2(block->startsWith(QStringLiteral("sev-") + QLatin1String(want.severity) + QLatin1Char('"')),
                     qPrintable(block->left(80)));
            QVERIFY2(block->contains(QStringLiteral("<code>") + QLatin1String(want.file) + QStringLiteral("</code>")),
                     qPrintable(*block));
            QVERIFY2(block->contains(line.toHtmlEscaped()), qPrintable(*block));
        }
        QVERIFY(broken->summary.contains(QStringLiteral("<b>%1</b> <span class=\"badge\">error</span>").arg(6 + live)));

        // analyze of that archive gives the same findings.
        const Run analyze = run({QStringLiteral("analyze"), broken->archive, QStringLiteral("--json")});
        QVERIFY2(analyze.exitCode == 0, analyze.err.constData());
        QCOMPARE(findingKeys(analyze.json()), plantedKeys(broken->findings));
        const Run analyzeText = run({QStringLiteral("analyze"), broken->archive});
        QCOMPARE(analyzeText.exitCode, 0);
        QVERIFY2(analyzeText.out.contains("ERROR    The kernel killed java when memory ran out  [oom-kill:java]"),
                 analyzeText.out.constData());

        // The clean machine: nothing wrong.
        const auto clean = collectMachine(QStringLiteral("clean"));
        QVERIFY(clean);
        QCOMPARE(clean->json.value(QStringLiteral("findings")).toObject().value(QStringLiteral("error")).toInt(),
                 liveErrors(clean->findings));
        QCOMPARE(plantedKeys(clean->findings), QStringList());

        // diff of the two archives: the changed package, the new findings, the removed item.
        const Run diff = run({QStringLiteral("diff"), clean->archive, broken->archive, QStringLiteral("--json")});
        QVERIFY2(diff.exitCode == 0, diff.err.constData());
        const QJsonObject changes = diff.json();
        const QJsonObject items = changes.value(QStringLiteral("items")).toObject();
        QCOMPARE(names(items.value(QStringLiteral("removed")).toArray()), QStringList{QStringLiteral("timedatectl")});
        QCOMPARE(names(items.value(QStringLiteral("added")).toArray()), QStringList());
        const QJsonArray packages = changes.value(QStringLiteral("packages")).toArray();
        QCOMPARE(names(packages, QStringLiteral("name")),
                 (QStringList{QStringLiteral("oldtool"), QStringLiteral("openssl")}));
        QCOMPARE(packages[1].toObject().value(QStringLiteral("before")).toString(), QStringLiteral("3.0.11-1~deb12u2"));
        QCOMPARE(packages[1].toObject().value(QStringLiteral("after")).toString(), QStringLiteral("3.0.13-1~deb12u1"));
        const QJsonObject findingChanges = changes.value(QStringLiteral("findings")).toObject();
        const QStringList appeared =
            names(findingChanges.value(QStringLiteral("appeared")).toArray(), QStringLiteral("key"));
        for (const Expected &want : expected)
            QVERIFY2(appeared.contains(QLatin1String(want.key)), qPrintable(appeared.join(u' ')));
        QCOMPARE(names(findingChanges.value(QStringLiteral("cleared")).toArray(), QStringLiteral("key")),
                 QStringList());
    }

    void badRulesStopCollectBeforeAnything()
    {
        const QStringList before = stagingEntries();
        const QString profile = writeTinyProfile(QStringLiteral("badrules"),
                                                 R"({"format": "diagcollect-rules", "format_version": 1, "rules": [
                {"id": "x", "severity": "grave", "title": "t", "explanation": "e", "advice": "a",
                 "when": [{"present": true}]}]})");
        QVERIFY(!profile.isEmpty());
        const QString output = m_home.filePath(QStringLiteral("badrules-out"));
        const Run json = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile,
                              QStringLiteral("--output"), output, QStringLiteral("--json"), QStringLiteral("--quiet")});
        QCOMPARE(json.exitCode, 2);
        const QString message =
            json.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(m_home.filePath(QStringLiteral("badrules/tiny.rules.json")) +
                                  QStringLiteral(": rules[0].severity: expected error, warning or info")),
                 json.out.constData());
        // Nothing was collected: no staging folder, no archive.
        QCOMPARE(stagingEntries(), before);
        QVERIFY(QDir(output).entryList(QDir::Files).isEmpty());

        // collect --rules FILE, with the built-in profile (whose collection would take seconds).
        const QString extra = m_home.filePath(QStringLiteral("badrules/extra.rules.json"));
        QFile file(extra);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"format": "diagcollect-rules", "format_version": 1, "rules": [{"id": "Bad Id"}]})");
        file.close();
        const Run text =
            run({QStringLiteral("collect"), QStringLiteral("--rules"), extra, QStringLiteral("--output"), output});
        QCOMPARE(text.exitCode, 2);
        QVERIFY2(text.err.contains(QByteArray(extra.toUtf8() + ": rules[0].id")), text.err.constData());
        QVERIFY(!text.err.contains("items:"));
        QCOMPARE(stagingEntries(), before);
        QVERIFY(QDir(output).entryList(QDir::Files).isEmpty());
    }

    void policyDisablesRules()
    {
        const QString policy = m_home.filePath(QStringLiteral("policy.json"));
        QFile file(policy);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"disabled_analysis_rules": ["oom-kill", "disk-full"]})");
        file.close();
        const Run json = run({QStringLiteral("--policy"), policy, QStringLiteral("analyze"),
                              fixture(QStringLiteral("broken")), QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QStringList keys = findingKeys(json.json());
        QVERIFY(!keys.contains(QStringLiteral("oom-kill:java")));
        QVERIFY(!keys.contains(QStringLiteral("disk-full:/")));
        QVERIFY(keys.contains(QStringLiteral("systemd-unit-failed:nginx.service")));
        QCOMPARE(json.json().value(QStringLiteral("disabled_by_policy")).toArray(),
                 (QJsonArray{QStringLiteral("oom-kill"), QStringLiteral("disk-full")}));
        const Run text =
            run({QStringLiteral("--policy"), policy, QStringLiteral("analyze"), fixture(QStringLiteral("broken"))});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(QByteArray("Disabled by your administrator's policy (" + policy.toUtf8() +
                                              "): oom-kill, disk-full\n")),
                 text.out.constData());
        // diff leaves them out too.
        const Run diff =
            run({QStringLiteral("--policy"), policy, QStringLiteral("diff"), fixture(QStringLiteral("clean")),
                 fixture(QStringLiteral("broken")), QStringLiteral("--json")});
        QVERIFY2(diff.exitCode == 0, diff.err.constData());
        const QStringList appeared =
            names(diff.json().value(QStringLiteral("findings")).toObject().value(QStringLiteral("appeared")).toArray(),
                  QStringLiteral("key"));
        QVERIFY(!appeared.contains(QStringLiteral("oom-kill:java")));
        QVERIFY(appeared.contains(QStringLiteral("systemd-unit-failed:nginx.service")));

        // An id that is no built-in rule is a policy mistake naming its path.
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"disabled_analysis_rules": ["oom-kill", "oom-kil"]})");
        file.close();
        const Run bad =
            run({QStringLiteral("--policy"), policy, QStringLiteral("analyze"), fixture(QStringLiteral("broken"))});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("disabled_analysis_rules[1]: unknown analysis rule \"oom-kil\""),
                 bad.err.constData());
    }

    void packAnalysesAgain()
    {
        const QString profile =
            writeTinyProfile(QStringLiteral("pack"), R"({"format": "diagcollect-rules", "format_version": 1, "rules": [
                {"id": "tiny-panic", "severity": "error", "title": "The tiny queue panicked", "explanation": "e",
                 "advice": "a", "when": [{"items": ["tiny-log"], "regex": "PANIC"}]}]})");
        QVERIFY(!profile.isEmpty());
        const QString output = m_home.filePath(QStringLiteral("pack-out"));
        const Run collect =
            run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"), output,
                 QStringLiteral("--no-redact"), QStringLiteral("--keep-staging"), QStringLiteral("--json"),
                 QStringLiteral("--quiet")});
        QVERIFY2(collect.exitCode == 0, collect.err.constData());
        QCOMPARE(collect.json().value(QStringLiteral("findings")).toObject().value(QStringLiteral("error")).toInt(), 0);
        // The kept folder edited by hand: the log now shows the panic.
        const QString kept = collect.json().value(QStringLiteral("staging")).toString();
        QVERIFY(!kept.isEmpty());
        QString log;
        QDirIterator it(kept, {QStringLiteral("tiny.log")}, QDir::Files, QDirIterator::Subdirectories);
        if (it.hasNext())
            log = it.next();
        QVERIFY(!log.isEmpty());
        QFile edited(log);
        QVERIFY(edited.open(QIODevice::Append));
        edited.write("PANIC: the queue is full\n");
        edited.close();

        const Run pack = run(
            {QStringLiteral("pack"), kept, QStringLiteral("--output"), m_home.filePath(QStringLiteral("pack-again"))});
        QVERIFY2(pack.exitCode == 0, pack.err.constData());
        QVERIFY2(pack.err.contains("error: The tiny queue panicked\n"), pack.err.constData());
        const QString archive = QString::fromUtf8(pack.out.trimmed());
        QVERIFY(QFile::exists(archive));
        const QJsonObject findings =
            QJsonDocument::fromJson(entryOf(archive, QStringLiteral("findings.json"))).object();
        QVERIFY2(findingKeys(findings).contains(QStringLiteral("tiny-panic")),
                 qPrintable(findingKeys(findings).join(u' ')));
        QVERIFY(entryOf(archive, QStringLiteral("summary.html")).contains("The tiny queue panicked"));
        // What was packed verifies, findings.json included.
        const Run verify = run({QStringLiteral("verify"), archive});
        QVERIFY2(verify.exitCode == 0, verify.out.constData());

        // A bad --rules file stops pack before it writes anything.
        const QString broken = m_home.filePath(QStringLiteral("pack/broken.rules.json"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"format\": \"diagcollect-rules\", \"format_version\": 1, \"rules\": [], \"extra\": 1}");
        file.close();
        const QString refusedOut = m_home.filePath(QStringLiteral("pack-refused"));
        const Run refused = run(
            {QStringLiteral("pack"), kept, QStringLiteral("--rules"), broken, QStringLiteral("--output"), refusedOut});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(QByteArray(broken.toUtf8() + ": extra: unknown key")), refused.err.constData());
        QVERIFY(QDir(refusedOut).entryList(QDir::Files).isEmpty());
        QDir(kept).removeRecursively();
    }
};

QTEST_GUILESS_MAIN(TestAnalyze)
#include "test_analyze.moc"
