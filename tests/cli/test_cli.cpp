// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// End-to-end tests of the built binary, run the way admins and fleets run it:
// no stdin, no display, JSON on stdout.
#include "tests/core/testuser.h"
#include "tests/support/testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>
#include <sys/stat.h>
#include <vector>

static int modeOf(const QString &path)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? int(info.st_mode & 07777) : -1;
}

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;

    QString path(const QString &relative) const { return m_home.path() + QLatin1Char('/') + relative; }
    QString stagingRoot() const { return path(QStringLiteral("cache/diagcollect/staging")); }

    QProcessEnvironment environment() const { return dc::test::isolatedEnvironment(m_home.path()); }

    void start(QProcess &process, const QStringList &arguments) const
    {
        process.setProcessEnvironment(environment());
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(QStringLiteral(DC_BINARY), arguments);
        QVERIFY(process.waitForStarted());
    }

    using Run = dc::test::BinaryRun;

    Run run(const QStringList &arguments, int timeoutMs = 60000) const
    {
        return dc::test::runBinary(arguments, environment(), timeoutMs);
    }

    static void writeFile(const QString &file, const QByteArray &content)
    {
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
    }

    // A fixture product: rotating logs, a config file, and a profile naming them.
    QString writeFixtureProfile(const QString &extraItems = QString())
    {
        const QString product = path(QStringLiteral("product"));
        QByteArray log;
        for (int i = 0; i < 2000; ++i)
            log += "2026-11-23T10:00:" + QByteArray::number(i % 60) + " shield[42]: scan finished, line " +
                   QByteArray::number(i) + "\n";
        writeFile(product + QStringLiteral("/logs/shield.log"), log);
        writeFile(product + QStringLiteral("/logs/shield.log.1"), "older log\n");
        writeFile(product + QStringLiteral("/etc/shield.conf"), "[engine]\nlevel=normal\n");
        const QString profile = path(QStringLiteral("profile.json"));
        static const char *const kProfile = R"({
            "format_version": 1, "name": "fixture",
            "variables": {"ROOT": "%1"},
            "product": {"name": "Shield", "logs": ["${ROOT}/logs"], "config_files": ["${ROOT}/etc/shield.conf"]},
            "items": [
              {"id": "echo", "kind": "command", "category": "os-config", "purpose": "output of a command",
               "argv": ["/bin/echo", "hello from echo"], "dest": "misc/echo.txt"},
              {"id": "missing-tool", "kind": "command", "category": "os-config", "purpose": "not installed",
               "argv": ["no-such-program-diagcollect"]},
              {"id": "optional", "kind": "files", "category": "system-logs", "purpose": "optional item",
               "paths": ["${ROOT}/etc/shield.conf"], "dest": "optional"}%2
            ]})";
        writeFile(profile, QString::fromUtf8(kProfile).arg(product, extraItems).toUtf8());
        return profile;
    }

    QStringList stagingLeftovers() const
    {
        return QDir(stagingRoot()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }

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

    QStringList filesIn(const QString &dir) const
    {
        return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    }

private slots:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void versionAndHelp()
    {
        Run version = run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("diagcollect "));
        Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("collect"));
        QVERIFY(help.out.contains("Exit codes"));
        // Every command's name stands apart from its summary, the longest too.
        QVERIFY2(help.out.contains("  full-logging  raise"), help.out.constData());
        Run collectHelp = run({QStringLiteral("collect"), QStringLiteral("--help")});
        QCOMPARE(collectHelp.exitCode, 0);
        QVERIFY(collectHelp.out.contains("--case-id"));
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(run({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("collect"), QStringLiteral("--format"), QStringLiteral("rar")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("collect"), QStringLiteral("--no-such-option")}).exitCode, 2);
        Run badCase = run({QStringLiteral("collect"), QStringLiteral("--case-id"), QStringLiteral("../etc")});
        QCOMPARE(badCase.exitCode, 2);
        QVERIFY(badCase.err.contains("invalid case ID"));
    }

    void badProfileNamesJsonPath()
    {
        const QString profile = path(QStringLiteral("bad.json"));
        writeFile(profile, R"({"format_version": 1, "name": "b", "items": [
            {"id": "a", "kind": "command", "category": "tool", "purpose": "p", "argv": ["x"], "timeout": -3}]})");
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("items[0].timeout: expected a positive number"), result.err.constData());
        const QJsonObject error =
            QJsonDocument::fromJson(result.out).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("exit_code")).toInt(), 2);
        QVERIFY(stagingLeftovers().isEmpty());
    }

    void listShowsPurposes()
    {
        const QString profile = writeFixtureProfile();
        Run result = run({QStringLiteral("list"), QStringLiteral("--profile"), profile, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QJsonArray items = QJsonDocument::fromJson(result.out).object().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 5);
        for (const QJsonValue &item : items) {
            QVERIFY(!item[QStringLiteral("purpose")].toString().isEmpty());
            QVERIFY(!item[QStringLiteral("category")].toString().isEmpty());
        }
        // --estimate measures files items on disk: both rotated logs of the product.
        Run estimate = run({QStringLiteral("list"), QStringLiteral("--profile"), profile, QStringLiteral("--json"),
                            QStringLiteral("--estimate")});
        QCOMPARE(estimate.exitCode, 0);
        const QJsonObject estimated = QJsonDocument::fromJson(estimate.out).object();
        const qint64 logBytes = QFileInfo(path(QStringLiteral("product/logs/shield.log"))).size() +
                                QFileInfo(path(QStringLiteral("product/logs/shield.log.1"))).size();
        QCOMPARE(estimated[QStringLiteral("items")][0][QStringLiteral("id")].toString(),
                 QStringLiteral("product-logs"));
        QCOMPARE(estimated[QStringLiteral("items")][0][QStringLiteral("estimate_bytes")].toInteger(), logBytes);
        QVERIFY(estimated[QStringLiteral("estimate_bytes_per_category")][QStringLiteral("service-logs")].toInteger() >
                logBytes);
        Run text = run({QStringLiteral("list"), QStringLiteral("--profile"), profile});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("product-logs"));
        QVERIFY(stagingLeftovers().isEmpty());
    }

    // `list` speaks the language chosen: --lang ja, or a Japanese system locale, shows every
    // item's title and purpose in Japanese; --lang en and the JSON keep the profile's English.
    void listFollowsTheLanguageChoice()
    {
        Run json =
            run({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--lang"), QStringLiteral("ja")});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray items = QJsonDocument::fromJson(json.out).object().value(QStringLiteral("items")).toArray();
        QVERIFY(items.size() > 20);
        static const QRegularExpression japanese(QStringLiteral("[\\x{3040}-\\x{30ff}\\x{4e00}-\\x{9fff}]"));
        for (const QJsonValue &item : items) // the JSON stays English
            QVERIFY2(!item[QStringLiteral("purpose")].toString().contains(japanese),
                     qPrintable(item[QStringLiteral("purpose")].toString()));

        Run english = run({QStringLiteral("list"), QStringLiteral("--lang=en")});
        QCOMPARE(english.exitCode, 0);
        auto checkJapanese = [&](const Run &text) {
            const QString out = QString::fromUtf8(text.out);
            const QStringList lines = out.split(QLatin1Char('\n'));
            QVERIFY(out.contains(japanese));
            for (const QJsonValue &value : items) {
                const QJsonObject item = value.toObject();
                const QString id = item[QStringLiteral("id")].toString();
                // "  <id>  <title> [<flags>]" then "      <purpose>"
                const qsizetype at =
                    lines.indexOf(QRegularExpression(QStringLiteral("^  %1  .*").arg(QRegularExpression::escape(id))));
                QVERIFY2(at >= 0 && at + 1 < lines.size(), qPrintable(id + QLatin1Char('\n') + out));
                const QString title = lines.at(at).mid(4 + id.size());
                const QString purpose = lines.at(at + 1).trimmed();
                QVERIFY2(title.contains(japanese) && purpose.contains(japanese),
                         qPrintable(lines.at(at) + QLatin1Char('\n') + lines.at(at + 1)));
                QVERIFY2(!out.contains(item[QStringLiteral("purpose")].toString()), qPrintable(id));
            }
        };
        Run flag = run({QStringLiteral("list"), QStringLiteral("--lang"), QStringLiteral("ja")});
        QCOMPARE(flag.exitCode, 0);
        checkJapanese(flag);
        // The same from the system locale, without --lang.
        QProcess process;
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("LANG"), QStringLiteral("ja_JP.UTF-8"));
        for (const char *name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES"})
            env.remove(QString::fromLatin1(name));
        process.setProcessEnvironment(env);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(QStringLiteral(DC_BINARY), {QStringLiteral("list")});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        Run system;
        system.out = process.readAllStandardOutput();
        checkJapanese(system);
        QCOMPARE(system.out, flag.out);
        // In English the titles and purposes are the profile's own words.
        for (const QJsonValue &item : items)
            QVERIFY2(english.out.contains(item[QStringLiteral("purpose")].toString().toUtf8()),
                     qPrintable(item[QStringLiteral("id")].toString()));
        QVERIFY(!QString::fromUtf8(english.out).contains(japanese));

        Run bad = run({QStringLiteral("list"), QStringLiteral("--lang"), QStringLiteral("fr")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--lang"), bad.err.constData());
    }

    // Issue 16: what collect, verify and --help print for a person follows the language chosen;
    // only ids, paths, file names and numbers stay as they are (the JSON stays English).
    void collectVerifyAndHelpFollowTheLanguageChoice()
    {
        static const QRegularExpression japanese(QStringLiteral("[\\x{3040}-\\x{30ff}\\x{4e00}-\\x{9fff}]"));
        // Two English words in a row: a sentence (or a piece of one) left untranslated.
        static const QRegularExpression english(QStringLiteral("\\b[A-Za-z]{2,}[,;:]? [A-Za-z]{2,}\\b"));
        // What is never translated goes first: paths, file names and ids with a slash or a dot, sizes
        // ("4.2 kB" keeps its unit), "[3/5]", options with their values ("--policy FILE", "--lang en|ja"),
        // the product's name.
        static const QRegularExpression untranslatable(QStringLiteral(
            "\\S*[/.]\\S*( [kMG]?B\\b)?|--?[a-z][a-z-]*( <?[A-Z][A-Z=_]*>?| en\\|ja)?|\\b[A-Z][A-Z=_]+\\b|"
            "Diagnostics Collector|diagcollect"));
        const auto englishLeft = [](const QByteArray &output) {
            QStringList left;
            for (QString line : QString::fromUtf8(output).split(QLatin1Char('\n'))) {
                line.remove(untranslatable);
                if (line.contains(english))
                    left << line;
            }
            return left;
        };
        const QString profile = writeFixtureProfile();
        const QString output = path(QStringLiteral("out-ja"));
        Run ja = run({QStringLiteral("collect"), QStringLiteral("--lang"), QStringLiteral("ja"),
                      QStringLiteral("--profile"), profile, QStringLiteral("--output"), output});
        QVERIFY2(ja.exitCode == 0, ja.err.constData());
        const QString archive = QString::fromUtf8(ja.out.trimmed());
        QVERIFY(QFileInfo(archive).isFile());
        QVERIFY2(QString::fromUtf8(ja.err).contains(japanese), ja.err.constData());
        QVERIFY2(ja.err.contains("[5/5]") && ja.err.contains("収集済み"), ja.err.constData()); // progress, per item
        QVERIFY2(englishLeft(ja.err + ja.out).isEmpty(),
                 qPrintable(englishLeft(ja.err + ja.out).join(QLatin1Char('\n'))));
        // The check does find English: the same run without a language choice is English.
        Run en = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                      path(QStringLiteral("out-en"))});
        QCOMPARE(en.exitCode, 0);
        QVERIFY2(!englishLeft(en.err).isEmpty(), en.err.constData());
        QVERIFY(!QString::fromUtf8(en.err).contains(japanese));

        for (const QStringList &arguments :
             {QStringList{QStringLiteral("verify"), archive}, QStringList{QStringLiteral("--help")},
              QStringList{QStringLiteral("collect"), QStringLiteral("--help")}}) {
            Run shown = run(QStringList(arguments) << QStringLiteral("--lang") << QStringLiteral("ja"));
            QCOMPARE(shown.exitCode, 0);
            QVERIFY2(QString::fromUtf8(shown.out).contains(japanese), shown.out.constData());
            QVERIFY2(englishLeft(shown.out + shown.err).isEmpty(),
                     qPrintable(englishLeft(shown.out + shown.err).join(QLatin1Char('\n'))));
        }
        // Plurals, in English: one problem is "1 problem", one entry "1 entry".
        QFile file(archive);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(file.size() / 2));
        file.close();
        Run damaged = run({QStringLiteral("verify"), archive});
        QCOMPARE(damaged.exitCode, 1);
        QVERIFY2(!damaged.err.contains("(1 problems)"), damaged.err.constData());
        // JSON stays English whatever the language.
        Run json = run({QStringLiteral("verify"), QStringLiteral("--json"), QStringLiteral("--lang"),
                        QStringLiteral("ja"), archive});
        QVERIFY(!QString::fromUtf8(json.out + json.err).contains(japanese));
    }

    void headlessCollectionOfFixtureProduct()
    {
        const QString profile = writeFixtureProfile();
        const QString output = path(QStringLiteral("out-headless"));
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                          output, QStringLiteral("--case-id"), QStringLiteral("CASE-42"), QStringLiteral("--skip"),
                          QStringLiteral("optional"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        QVERIFY2(!json.isEmpty(), result.out.constData());
        const QString archive = json.value(QStringLiteral("archive")).toString();
        QVERIFY(QFileInfo(archive).isAbsolute());
        QVERIFY(QFileInfo::exists(archive));
        QVERIFY(archive.endsWith(QStringLiteral(".tar.zst")));
        QVERIFY(QFileInfo(archive).fileName().contains(QStringLiteral("CASE-42")));
        QCOMPARE(json.value(QStringLiteral("bytes")).toInteger(), QFileInfo(archive).size());
        QCOMPARE(modeOf(archive), 0600);
        const QJsonObject counts = json.value(QStringLiteral("items")).toObject();
        QCOMPARE(counts.value(QStringLiteral("total")).toInt(), 4);   // "optional" was skipped by the user
        QCOMPARE(counts.value(QStringLiteral("skipped")).toInt(), 1); // the missing program
        QCOMPARE(counts.value(QStringLiteral("failed")).toInt(), 0);
        // The archive, and beside it the user's pseudonym map, private like the archive.
        const QString map = archive + QStringLiteral(".map.json");
        QCOMPARE(filesIn(output), (QStringList{QFileInfo(archive).fileName(), QFileInfo(map).fileName()}));
        QCOMPARE(modeOf(map), 0600);
        const QJsonObject redaction = json.value(QStringLiteral("redaction")).toObject();
        QVERIFY(redaction.value(QStringLiteral("enabled")).toBool());
        QCOMPARE(redaction.value(QStringLiteral("map")).toString(), map);
        QVERIFY(stagingLeftovers().isEmpty());

        Run verify = run({QStringLiteral("verify"), archive, QStringLiteral("--json")});
        QVERIFY2(verify.exitCode == 0, verify.out.constData());
        const QJsonObject report = QJsonDocument::fromJson(verify.out).object();
        QVERIFY(report.value(QStringLiteral("intact")).toBool());
        // manifest, summary, echo, 2 rotated logs, config
        QVERIFY(report.value(QStringLiteral("entries")).toInt() >= 6);
    }

    void keepStagingAndZip()
    {
        const QString profile = writeFixtureProfile();
        const QString output = path(QStringLiteral("out-zip"));
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                          output, QStringLiteral("--format"), QStringLiteral("zip"), QStringLiteral("--keep-staging"),
                          QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        const QString archive = json.value(QStringLiteral("archive")).toString();
        QVERIFY(archive.endsWith(QStringLiteral(".zip")));
        const QString staging = json.value(QStringLiteral("staging")).toString();
        QVERIFY(QFileInfo(staging + QStringLiteral("/manifest.json")).isFile());
        QVERIFY(QFileInfo(staging + QStringLiteral("/summary.html")).isFile());
        QVERIFY(QFileInfo(staging + QStringLiteral("/os-config/misc/echo.txt")).isFile());
        QCOMPARE(run({QStringLiteral("verify"), archive}).exitCode, 0);

        // The user edits the staging by hand and packs it again: the manifest follows.
        QVERIFY(QFile::remove(staging + QStringLiteral("/os-config/misc/echo.txt")));
        const QString repacked = path(QStringLiteral("out-repacked"));
        Run pack = run({QStringLiteral("pack"), staging, QStringLiteral("--output"), repacked});
        QVERIFY2(pack.exitCode == 0, pack.err.constData());
        const QString second = QString::fromUtf8(pack.out.trimmed());
        QCOMPARE(run({QStringLiteral("verify"), second}).exitCode, 0);
        removeKeptStaging();
    }

    // Issue 14, item 6: pack reads only regular files below the staging folder.
    void packTrustsOnlyPathsBelowTheStagingFolder()
    {
        const QString profile = writeFixtureProfile();
        Run result =
            run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                 path(QStringLiteral("out-pack")), QStringLiteral("--keep-staging"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QString staging =
            QJsonDocument::fromJson(result.out).object().value(QStringLiteral("staging")).toString();
        const QString manifestPath = staging + QStringLiteral("/manifest.json");
        QFile manifestFile(manifestPath);
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        const QByteArray original = manifestFile.readAll();
        manifestFile.close();
        const auto packWith = [&](const QString &entryPath) {
            QJsonObject manifest = QJsonDocument::fromJson(original).object();
            QJsonArray items = manifest.value(QStringLiteral("items")).toArray();
            QJsonObject item = items.at(0).toObject();
            QJsonArray files = item.value(QStringLiteral("files")).toArray();
            QJsonObject file = files.isEmpty() ? QJsonObject() : files.at(0).toObject();
            file.insert(QStringLiteral("path"), entryPath);
            files.append(file);
            item.insert(QStringLiteral("files"), files);
            items.replace(0, item);
            manifest.insert(QStringLiteral("items"), items);
            writeFile(manifestPath, QJsonDocument(manifest).toJson());
            return run({QStringLiteral("pack"), staging, QStringLiteral("--output"), path(QStringLiteral("out-pack2"))},
                       20000);
        };
        for (const QString &bad : {QStringLiteral("../../../../etc/hostname"), QStringLiteral("/etc/shadow"),
                                   QStringLiteral("os-config/../../x")}) {
            const Run pack = packWith(bad);
            QCOMPARE(pack.exitCode, 2);
            QVERIFY2(pack.err.contains("not a relative path below the staging folder"), pack.err.constData());
        }
        // A link to /dev/zero inside staging: refused at once, no hang.
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), staging + QStringLiteral("/zero")));
        const Run zero = packWith(QStringLiteral("zero"));
        QCOMPARE(zero.exitCode, 2);
        QVERIFY2(zero.err.contains("only regular files"), zero.err.constData());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("out-pack2"))) ||
                QDir(path(QStringLiteral("out-pack2"))).isEmpty());
        // As root, a staging folder another user owns is not packed at all.
        dc::test::TestUser user;
        if (user.valid()) {
            writeFile(manifestPath, original);
            QVERIFY(QFile::remove(staging + QStringLiteral("/zero")));
            QVERIFY(user.own(staging));
            const Run foreign =
                run({QStringLiteral("pack"), staging, QStringLiteral("--output"), path(QStringLiteral("out-pack3"))});
            QCOMPARE(foreign.exitCode, 2);
            QVERIFY2(foreign.err.contains(user.name().toUtf8()), foreign.err.constData());
        }
        removeKeptStaging();
    }

    // Issue 14, items 3 and 4: a root run refuses an output folder another user can
    // write to, and the pseudonym map never goes through a planted symlink.
    void rootRefusesOutputFoldersOthersControl()
    {
        dc::test::TestUser user;
        DC_REQUIRE_TEST_USER(user);
        const QString profile = writeFixtureProfile();
        const QString owned = path(QStringLiteral("user-output"));
        QVERIFY(QDir().mkpath(owned));
        QVERIFY(user.own(owned));
        const QString open = path(QStringLiteral("open-output"));
        QVERIFY(QDir().mkpath(open));
        ::chmod(QFile::encodeName(open).constData(), 0777);
        for (const QString &output : {owned, open}) {
            const Run result = run(
                {QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"), output});
            QCOMPARE(result.exitCode, 2);
            QVERIFY2(result.err.contains("refusing to write into the output folder"), result.err.constData());
            QVERIFY(QDir(output).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot));
        }

        // The map beside a file: a planted symlink (even a dangling one) is never followed.
        const QString secret = path(QStringLiteral("root-only.txt"));
        writeFile(secret, "root's\n");
        const QString input = path(QStringLiteral("in.log"));
        writeFile(input, "user alice logged in from 192.0.2.7\n");
        const QString map = path(QStringLiteral("planted.map.json"));
        QVERIFY(QFile::link(secret, map));
        const Run viaLink = run({QStringLiteral("redact"), QStringLiteral("--in"), input, QStringLiteral("--out"),
                                 path(QStringLiteral("out.log")), QStringLiteral("--map"), map});
        QVERIFY(viaLink.exitCode != 0);
        QFile secretFile(secret);
        QVERIFY(secretFile.open(QIODevice::ReadOnly));
        QCOMPARE(secretFile.readAll(), QByteArray("root's\n"));
        const QString dangling = path(QStringLiteral("dangling.map.json"));
        QVERIFY(QFile::link(path(QStringLiteral("created-by-root.json")), dangling));
        const Run viaDangling = run({QStringLiteral("redact"), QStringLiteral("--in"), input, QStringLiteral("--out"),
                                     path(QStringLiteral("out2.log")), QStringLiteral("--map"), dangling});
        QVERIFY(viaDangling.exitCode != 0);
        QVERIFY2(viaDangling.err.contains("symbolic link"), viaDangling.err.constData());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("created-by-root.json"))));
    }

    void verifyRejectsDamagedArchive()
    {
        const QString profile = writeFixtureProfile();
        const QString output = path(QStringLiteral("out-damaged"));
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                          output, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QString archive =
            QJsonDocument::fromJson(result.out).object().value(QStringLiteral("archive")).toString();
        QFile file(archive);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(file.size() / 2));
        file.close();
        QCOMPARE(run({QStringLiteral("verify"), archive}).exitCode, 1);
        QCOMPARE(run({QStringLiteral("verify"), path(QStringLiteral("no-such.tar.zst"))}).exitCode, 1);
    }

    void interruptLeavesNothing()
    {
        const QString profile = writeFixtureProfile(QString::fromUtf8(R"(,
              {"id": "hang", "kind": "command", "category": "os-config", "purpose": "hangs",
               "argv": ["/bin/sleep", "300"], "timeout": 600})"));
        const QString output = path(QStringLiteral("out-interrupted"));
        QProcess process;
        start(process, {QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                        output, QStringLiteral("--json")});
        QTRY_VERIFY_WITH_TIMEOUT(!stagingLeftovers().isEmpty(), 20000);
        QTest::qWait(300);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(stagingLeftovers().isEmpty());
        QVERIFY(filesIn(output).isEmpty());
    }

    void killedRunIsCleanedUpByTheNext()
    {
        const QString profile = writeFixtureProfile(QString::fromUtf8(R"(,
              {"id": "hang", "kind": "command", "category": "os-config", "purpose": "hangs",
               "argv": ["/bin/sleep", "300"], "timeout": 600})"));
        const QString output = path(QStringLiteral("out-killed"));
        QProcess process;
        start(process,
              {QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"), output});
        QTRY_VERIFY_WITH_TIMEOUT(!stagingLeftovers().isEmpty(), 20000);
        process.kill(); // SIGKILL: no chance to clean up
        QVERIFY(process.waitForFinished(10000));
        QVERIFY(!stagingLeftovers().isEmpty());
        QVERIFY(filesIn(output).isEmpty());

        const QString cleanProfile = writeFixtureProfile();
        Run next = run({QStringLiteral("collect"), QStringLiteral("--profile"), cleanProfile,
                        QStringLiteral("--output"), output, QStringLiteral("--json")});
        QCOMPARE(next.exitCode, 0);
        QVERIFY2(stagingLeftovers().isEmpty(), qPrintable(stagingLeftovers().join(QLatin1Char(' '))));
        QCOMPARE(filesIn(output).size(), 2); // the archive and its pseudonym map
    }

    // Issue 16: the unredacted staging of a run killed with SIGKILL is removed at the next
    // start of any command, not only of the next collection; a folder kept with
    // --keep-staging is marked as kept and survives every start and collection.
    void killedRunsStagingGoesAtEveryStartKeptStays()
    {
        const auto runFolders = [this] {
            return QDir(stagingRoot()).entryList({QStringLiteral("run-*")}, QDir::Dirs | QDir::NoDotAndDotDot);
        };
        QVERIFY2(runFolders().isEmpty(), qPrintable(runFolders().join(QLatin1Char(' '))));
        const QString profile = writeFixtureProfile();
        Run keep = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                        path(QStringLiteral("out-kept")), QStringLiteral("--keep-staging"), QStringLiteral("--json")});
        QVERIFY2(keep.exitCode == 0, keep.err.constData());
        const QString kept = QJsonDocument::fromJson(keep.out).object().value(QStringLiteral("staging")).toString();
        QVERIFY(QFileInfo(kept + QStringLiteral("/manifest.json")).isFile());
        // The collected folder and its redacted copy, each marked as kept.
        const QStringList keptFolders = runFolders();
        QCOMPARE(keptFolders.size(), 2);
        QStringList keptEntries;
        for (const QString &folder : keptFolders) {
            QVERIFY(QFileInfo::exists(stagingRoot() + QLatin1Char('/') + folder + QStringLiteral(".kept")));
            QVERIFY(!QFileInfo::exists(stagingRoot() + QLatin1Char('/') + folder + QStringLiteral(".owner")));
            keptEntries << folder << folder + QStringLiteral(".kept");
        }
        keptEntries.sort();

        const QString hanging = writeFixtureProfile(QString::fromUtf8(R"(,
              {"id": "hang", "kind": "command", "category": "os-config", "purpose": "hangs",
               "argv": ["/bin/sleep", "300"], "timeout": 600})"));
        QProcess process;
        start(process, {QStringLiteral("collect"), QStringLiteral("--profile"), hanging, QStringLiteral("--output"),
                        path(QStringLiteral("out-killed-start"))});
        const auto others = [&] {
            QStringList names = runFolders();
            for (const QString &folder : keptFolders)
                names.removeAll(folder);
            return names;
        };
        QTRY_VERIFY_WITH_TIMEOUT(others().size() == 1 &&
                                     QFileInfo::exists(stagingRoot() + QLatin1Char('/') + others().first() +
                                                       QStringLiteral("/os-config/misc/echo.txt")),
                                 20000);
        process.kill(); // SIGKILL: no chance to clean up
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(others().size(), 1);

        // A command that collects nothing removes it at its start; the kept folders stay.
        Run probes = run({QStringLiteral("probes")});
        QCOMPARE(probes.exitCode, 0);
        QVERIFY2(others().isEmpty(), qPrintable(others().join(QLatin1Char(' '))));
        QCOMPARE(stagingLeftovers(), keptEntries);
        // So do later collections.
        const QString clean = writeFixtureProfile();
        Run again = run({QStringLiteral("collect"), QStringLiteral("--profile"), clean, QStringLiteral("--output"),
                         path(QStringLiteral("out-kept")), QStringLiteral("--json")});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(stagingLeftovers(), keptEntries);
        QVERIFY(QFileInfo(kept + QStringLiteral("/manifest.json")).isFile());
        removeKeptStaging();
        QVERIFY2(stagingLeftovers().isEmpty(), qPrintable(stagingLeftovers().join(QLatin1Char(' '))));
    }

    // Extracts a tar.zst with the system tar and returns every file's content, by path.
    QMap<QString, QByteArray> extract(const QString &archive, const QString &into)
    {
        QDir().mkpath(into);
        QProcess tar;
        tar.start(QStringLiteral("tar"),
                  {QStringLiteral("--zstd"), QStringLiteral("-xf"), archive, QStringLiteral("-C"), into});
        tar.waitForFinished(60000);
        QMap<QString, QByteArray> files;
        QDirIterator it(into, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                files.insert(QDir(into).relativeFilePath(file.fileName()), file.readAll());
        }
        return files;
    }

    QString writePlantedProfile(const QString &name, bool binaryDump)
    {
        const QString product = path(name);
        writeFile(product + QStringLiteral("/logs/shield.log"),
                  "2026-11-23 login ok for alice@example.org from 203.0.113.7 project ProjectBlue\n"
                  "2026-11-23 scan finished after crash recovery\n");
        QByteArray dump("MDMP");
        dump += QByteArray(64, '\0') + "alice@example.org" + QByteArray(16, '\0');
        const QString utf16 = QStringLiteral("C:\\Users\\ALICE@example.org");
        dump += QByteArray(reinterpret_cast<const char *>(utf16.utf16()), utf16.size() * 2) + QByteArray(8, '\0');
        writeFile(product + QStringLiteral("/crash/shield.dmp"), dump);
        const QString profile = product + QStringLiteral("/profile.json");
        QString json =
            QStringLiteral("{\"format_version\": 1, \"name\": \"planted\", \"product\": {\"name\": "
                           "\"Shield\", \"logs\": [\"%1/logs\"]%2}, \"items\": []}")
                .arg(product, binaryDump ? QStringLiteral(", \"crash_dirs\": [\"%1/crash\"]").arg(product) : QString());
        writeFile(profile, json.toUtf8());
        return profile;
    }

    void personalDataIsRedactedByDefault()
    {
        const QString profile = writePlantedProfile(QStringLiteral("planted"), false);
        const QString output = path(QStringLiteral("out-redacted"));
        Run result =
            run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"), output,
                 QStringLiteral("--redact-term"), QStringLiteral("ProjectBlue"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        const QString archive = json.value(QStringLiteral("archive")).toString();
        QVERIFY(json[QStringLiteral("redaction")][QStringLiteral("redacted")].toInt() >= 3);
        const QMap<QString, QByteArray> files = extract(archive, path(QStringLiteral("extracted-redacted")));
        QByteArray log;
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            QVERIFY2(!it.value().contains("alice@example.org"), qPrintable(it.key()));
            QVERIFY2(!it.value().contains("203.0.113.7"), qPrintable(it.key()));
            QVERIFY2(!it.value().contains("ProjectBlue"), qPrintable(it.key()));
            if (it.key().endsWith(QStringLiteral("shield.log")))
                log = it.value();
            if (it.key().endsWith(QStringLiteral("redaction.json")))
                QVERIFY2(it.value().contains("\"email\""), it.value().constData());
        }
        QVERIFY2(log.contains("[email-1]") && log.contains("[ipv4-1]"), log.constData());
        QCOMPARE(log.count('\n'), 2); // one output line per input line
        QFile map(archive + QStringLiteral(".map.json"));
        QVERIFY(map.open(QIODevice::ReadOnly));
        QVERIFY(map.readAll().contains("alice@example.org")); // the mapping stays with the user
        QCOMPARE(run({QStringLiteral("verify"), archive}).exitCode, 0);
    }

    void userNamedLikeAWordDoesNotBlockTheArchive()
    {
        // The tool log lives below ".../home/state/...": "state" becomes a user name to
        // hide, and it is also an ordinary word in our own purpose texts.
        const QString profile = writePlantedProfile(QStringLiteral("planted-word"), false);
        QProcess process;
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("home/state")));
        process.setProcessEnvironment(env);
        process.setStandardInputFile(QProcess::nullDevice());
        const QString output = path(QStringLiteral("out-word"));
        process.start(QStringLiteral(DC_BINARY), {QStringLiteral("collect"), QStringLiteral("--profile"), profile,
                                                  QStringLiteral("--output"), output, QStringLiteral("--json")});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QCOMPARE(filesIn(output).size(), 2);
    }

    void noRedactIsLoud()
    {
        const QString profile = writePlantedProfile(QStringLiteral("planted-plain"), false);
        const QString output = path(QStringLiteral("out-plain"));
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                          output, QStringLiteral("--no-redact"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.err.contains("WARNING: --no-redact"));
        const QString archive = QJsonDocument::fromJson(result.out).object()[QStringLiteral("archive")].toString();
        QVERIFY(!QFileInfo::exists(archive + QStringLiteral(".map.json")));
        bool found = false;
        const QMap<QString, QByteArray> files = extract(archive, path(QStringLiteral("extracted-plain")));
        for (const QByteArray &content : files)
            found = found || content.contains("alice@example.org");
        QVERIFY(found);
    }

    void binaryDumpsAreLeftOutOrIncludedMasked()
    {
        const QString profile = writePlantedProfile(QStringLiteral("planted-dump"), true);
        // By default the crash dump cannot be redacted and is left out, with the reason.
        const QString output = path(QStringLiteral("out-dump"));
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                          output, QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(json[QStringLiteral("redaction")][QStringLiteral("excluded_files")].toInt(), 1);
        const QMap<QString, QByteArray> files =
            extract(json[QStringLiteral("archive")].toString(), path(QStringLiteral("extracted-dump")));
        for (auto it = files.cbegin(); it != files.cend(); ++it)
            QVERIFY(!it.key().endsWith(QStringLiteral(".dmp")));
        // Included by choice, the dump keeps its layout (same size, same bytes around)
        // while every value chosen for redaction, in UTF-8 or UTF-16, is masked in place.
        const QString included = path(QStringLiteral("out-included"));
        Run withDump = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                            included, QStringLiteral("--include-binary"), QStringLiteral("--json")});
        QVERIFY2(withDump.exitCode == 0, withDump.err.constData());
        const QJsonObject withDumpJson = QJsonDocument::fromJson(withDump.out).object();
        const QString archive = withDumpJson[QStringLiteral("archive")].toString();
        QByteArray dump;
        QByteArray report;
        const QMap<QString, QByteArray> withDumpFiles = extract(archive, path(QStringLiteral("extracted-included")));
        for (auto it = withDumpFiles.cbegin(); it != withDumpFiles.cend(); ++it) {
            if (it.key().endsWith(QStringLiteral(".dmp")))
                dump = it.value();
            if (it.key().endsWith(QStringLiteral("redaction.json")))
                report = it.value();
        }
        QFile original(path(QStringLiteral("planted-dump/crash/shield.dmp")));
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray originalDump = original.readAll();
        QCOMPARE(dump.size(), originalDump.size());
        QVERIFY(dump.startsWith("MDMP"));
        QVERIFY(!dump.contains("alice@example.org"));
        QVERIFY(dump.contains(QByteArray(17, '*')));
        const QString utf16 = QStringLiteral("ALICE@example.org");
        QVERIFY(!dump.contains(QByteArray(reinterpret_cast<const char *>(utf16.utf16()), utf16.size() * 2)));
        QVERIFY2(report.contains("\"binary-mask\": 2"), report.constData());
        QCOMPARE(run({QStringLiteral("verify"), archive}).exitCode, 0);
        QVERIFY(stagingLeftovers().isEmpty());
    }

    void termThatIsAlsoAWordOfTheFormatStillGivesAnArchive()
    {
        // "crash" is chosen for redaction, and it is also part of the category
        // "crash-dumps" and of the summary's text: the format keeps its words, the
        // data loses the term, and the leak check lets the archive through.
        const QString profile = writePlantedProfile(QStringLiteral("planted-term"), true);
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                          path(QStringLiteral("out-term")), QStringLiteral("--include-binary"),
                          QStringLiteral("--redact-term"), QStringLiteral("Crash"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QString archive = QJsonDocument::fromJson(result.out).object()[QStringLiteral("archive")].toString();
        const QMap<QString, QByteArray> files = extract(archive, path(QStringLiteral("extracted-term")));
        bool sawLog = false;
        bool sawManifest = false;
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            if (it.key().endsWith(QStringLiteral("shield.log"))) {
                sawLog = true;
                QVERIFY2(!it.value().contains("crash"), it.value().constData());
                QVERIFY2(it.value().contains("after [keyword-1] recovery"), it.value().constData());
            }
            if (it.key().endsWith(QStringLiteral("/manifest.json"))) {
                sawManifest = true;
                QVERIFY(it.value().contains("\"crash-dumps\""));
            }
        }
        QVERIFY(sawLog && sawManifest);
        QCOMPARE(run({QStringLiteral("verify"), archive}).exitCode, 0);
    }

    // redact works like a collection: a value found anywhere in the file is replaced wherever it is in it.
    void redactReplacesAValueBeforeTheLineThatRevealsIt()
    {
        const QString input = path(QStringLiteral("two-pass.log"));
        writeFile(input, "backup of zorbakowski started\n"
                         "Mar  3 10:01:22 box sshd[812]: session opened user=zorbakowski from 10.9.8.7\n"
                         "ZORBAKOWSKI done; 10.9.8.7 closed\n");
        const QString output = path(QStringLiteral("two-pass.red.log"));
        const Run result =
            run({QStringLiteral("redact"), QStringLiteral("--in"), input, QStringLiteral("--out"), output});
        QCOMPARE(result.exitCode, 0);
        QFile redacted(output);
        QVERIFY(redacted.open(QIODevice::ReadOnly));
        QCOMPARE(redacted.readAll(), QByteArray("backup of [user-1] started\n"
                                                "Mar  3 10:01:22 [host-1] sshd[812]: session opened user=[user-1] from "
                                                "[ipv4-1]\n[user-1] done; [ipv4-1] closed\n"));
    }

    void valueFoundOnceIsHiddenEverywhereAndTheArchiveIsWritten()
    {
        // "zorbakowski" is found by its context in one file only (user=), and
        // appears bare in another file, in a file name and in an item's purpose;
        // "host" is chosen too (user=host), a word inside every [host-N] token.
        const QString product = path(QStringLiteral("everywhere"));
        writeFile(product + QStringLiteral("/logs/auth.log"),
                  "Mar  3 10:01:22 box sshd[812]: session opened user=zorbakowski from 10.9.8.7\n"
                  "Mar  3 10:01:23 box su[813]: user=host uid=0\n");
        writeFile(product + QStringLiteral("/logs/app.log"),
                  "backup of zorbakowski finished; upload to https://db01.corp-internal.example/x\n"
                  "ZORBAKOWSKI logged out\n");
        writeFile(product + QStringLiteral("/logs/zorbakowski-notes.log"), "nothing else\n");
        const QString profile = path(QStringLiteral("everywhere.json"));
        writeFile(profile, QString::fromUtf8(R"({
            "format_version": 1, "name": "everywhere",
            "variables": {"ROOT": "%1"},
            "product": {"name": "Shield", "logs": ["${ROOT}/logs"]},
            "items": [
              {"id": "notes", "kind": "files", "category": "service-logs",
               "purpose": "The notes zorbakowski keeps about the host.", "paths": ["${ROOT}/logs/app.log"],
               "dest": "notes"}
            ]})")
                               .arg(product)
                               .toUtf8());
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                          path(QStringLiteral("out-everywhere")), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QString archive = QJsonDocument::fromJson(result.out).object()[QStringLiteral("archive")].toString();
        QVERIFY(QFileInfo::exists(archive));
        const QMap<QString, QByteArray> files = extract(archive, path(QStringLiteral("extracted-everywhere")));
        QByteArray token;
        int notes = 0;
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            QVERIFY2(!it.key().contains(QStringLiteral("zorbakowski"), Qt::CaseInsensitive), qPrintable(it.key()));
            QVERIFY2(!it.value().toLower().contains("zorbakowski"), qPrintable(it.key()));
            if (it.key().endsWith(QStringLiteral("/auth.log"))) {
                const qsizetype at = it.value().indexOf("user=[user-");
                QVERIFY2(at >= 0, it.value().constData());
                token = it.value().mid(at + 5, it.value().indexOf(']', at) - at - 4);
            }
            if (it.key().contains(QStringLiteral("-notes.log")))
                ++notes;
        }
        QVERIFY(!token.isEmpty());
        QCOMPARE(notes, 1);
        // The same token wherever the value stood: other files, the file name, the purpose.
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            if (it.key().endsWith(QStringLiteral("/app.log")))
                QVERIFY2(it.value().contains(QByteArray(QByteArray("backup of ") + token)) &&
                             it.value().contains(QByteArray(token + QByteArray(" logged out"))),
                         it.value().constData());
            if (it.key().contains(QStringLiteral("-notes.log")))
                QVERIFY2(it.key().contains(QString::fromUtf8(token)), qPrintable(it.key()));
            if (it.key().endsWith(QStringLiteral("/manifest.json")))
                QVERIFY2(it.value().contains(QByteArray(QByteArray("The notes ") + token + QByteArray(" keeps"))),
                         it.value().constData());
        }
        QCOMPARE(run({QStringLiteral("verify"), archive}).exitCode, 0);
    }

    void runsStartedTogetherGetDistinctArchives()
    {
        // A fleet's script: several runs into one folder within the same second.
        const QString profile = writeFixtureProfile();
        const QString output = path(QStringLiteral("out-together"));
        std::vector<std::unique_ptr<QProcess>> processes;
        for (int i = 0; i < 4; ++i) {
            processes.push_back(std::make_unique<QProcess>());
            start(*processes.back(), {QStringLiteral("collect"), QStringLiteral("--profile"), profile,
                                      QStringLiteral("--output"), output, QStringLiteral("--json")});
        }
        QSet<QString> archives;
        for (auto &process : processes) {
            QVERIFY(process->waitForFinished(120000));
            QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
            const QJsonObject json = QJsonDocument::fromJson(process->readAllStandardOutput()).object();
            archives.insert(json.value(QStringLiteral("archive")).toString());
        }
        QCOMPARE(archives.size(), 4);
        for (const QString &archive : std::as_const(archives)) {
            QVERIFY(QFileInfo::exists(archive));
            QVERIFY(QFileInfo::exists(archive + QStringLiteral(".map.json")));
            QCOMPARE(run({QStringLiteral("verify"), archive}).exitCode, 0);
        }
    }

    void hungCommandIsKilledAtItsTimeout()
    {
        const QString profile = writeFixtureProfile(QString::fromUtf8(R"(,
              {"id": "slow", "kind": "command", "category": "os-config", "purpose": "hangs",
               "argv": ["/bin/sh", "-c", "echo started; sleep 300"], "timeout": 1})"));
        const QString output = path(QStringLiteral("out-timeout"));
        Run result = run({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                          output, QStringLiteral("--json")},
                         60000);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject counts =
            QJsonDocument::fromJson(result.out).object().value(QStringLiteral("items")).toObject();
        QCOMPARE(counts.value(QStringLiteral("truncated")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
