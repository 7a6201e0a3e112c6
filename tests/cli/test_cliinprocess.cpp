// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The headless front end as a library (dc_cli), run in-process the way KeePassXC's
// tests/TestCli.cpp runs its CLI: dc::cli::run() with stdout and stderr captured
// through dc::cli::ScopedOutputSink. Exit codes, what a user reads, and runs that
// follow each other in one process without carrying anything over (--lang, log
// setup, signal handlers). test_cli runs the built binary end to end.
#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

namespace {

struct Captured
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// dc::cli::run() as main() calls it (argv[0] first), its output captured.
Captured runCli(const QStringList &arguments, const QString &program = QStringLiteral("diagcollect"))
{
    Captured result;
    const dc::cli::ScopedOutputSink sink({[&result](QByteArrayView bytes) { result.out.append(bytes); },
                                          [&result](QByteArrayView bytes) { result.err.append(bytes); }});
    result.exitCode = dc::cli::run(QStringList{program} + arguments);
    return result;
}

const QRegularExpression &japanese()
{
    static const QRegularExpression pattern(QStringLiteral("[\\x{3040}-\\x{30ff}\\x{4e00}-\\x{9fff}]"));
    return pattern;
}

QtMessageHandler currentMessageHandler()
{
    const QtMessageHandler handler = qInstallMessageHandler(nullptr);
    qInstallMessageHandler(handler);
    return handler;
}

void (*currentSignalHandler(int signal))(int)
{
    struct sigaction action = {};
    sigaction(signal, nullptr, &action);
    return action.sa_handler;
}

} // namespace

class TestCliInProcess : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QtMessageHandler m_messageHandler = nullptr;
    QLocale m_locale;
    void (*m_sigint)(int) = nullptr;
    void (*m_sigpipe)(int) = nullptr;

    QString path(const QString &relative) const { return m_home.path() + QLatin1Char('/') + relative; }

    QStringList stagingLeftovers() const
    {
        return QDir(path(QStringLiteral("cache/diagcollect/staging")))
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    // A tiny product: one log file in a folder of its own and a profile that reads it
    // (as tests/core/test_analysisjob.cpp writes one).
    QString writeTinyProfile()
    {
        if (!dc::test::writeAll(path(QStringLiteral("product/logs/tiny.log")),
                                "starting\nworking for bob@example.com\nqueue full\nworking\n"))
            return {};
        const QString profile = path(QStringLiteral("tiny.json"));
        const QByteArray text = QStringLiteral(R"({"format_version": 1, "name": "tiny",
            "variables": {"ROOT": "%1"},
            "items": [
              {"id": "tiny-log", "kind": "files", "category": "service-logs", "purpose": "the log",
               "paths": ["${ROOT}/logs/tiny.log"]},
              {"id": "tiny-echo", "kind": "command", "category": "tool", "purpose": "a command",
               "argv": ["/bin/echo", "hello"]}
            ]})")
                                    .arg(path(QStringLiteral("product")))
                                    .toUtf8();
        return dc::test::writeAll(profile, text) ? profile : QString();
    }

    // What must be as it was before any run: nothing of one run reaches the next.
    void checkNothingLeftBehind()
    {
        QVERIFY(currentMessageHandler() == m_messageHandler);
        QCOMPARE(QLocale().name(), m_locale.name());
        QCOMPARE(QCoreApplication::translate("dc::cli::Cli", "collected"), QStringLiteral("collected"));
        // Qt Test's own handlers (it reports a crash or Ctrl+C), not the CLI's.
        QVERIFY(currentSignalHandler(SIGINT) == m_sigint);
        QVERIFY(currentSignalHandler(SIGPIPE) == m_sigpipe);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // The folders of a run (staging, log, receipts) below a home of the test's own, and
        // the identity main() gives the application.
        dc::test::useIsolatedEnvironment(m_home.path());
        QCoreApplication::setApplicationName(QStringLiteral("diagcollect"));
        QCoreApplication::setOrganizationName(QStringLiteral("diagcollect"));
        QCoreApplication::setApplicationVersion(QStringLiteral(DIAGCOLLECT_VERSION));
        m_messageHandler = currentMessageHandler();
        m_locale = QLocale();
        m_sigint = currentSignalHandler(SIGINT);
        m_sigpipe = currentSignalHandler(SIGPIPE);
    }

    void versionAndHelp()
    {
        const Captured version = runCli({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out, QByteArray("diagcollect " DIAGCOLLECT_VERSION "\n"));
        QCOMPARE(version.err, QByteArray());

        const Captured help = runCli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.startsWith("Usage: diagcollect [COMMAND] [OPTIONS]\n"), help.out.constData());
        QVERIFY(help.out.contains("Exit codes"));
        // Every command's name stands apart from its summary, the longest too.
        QVERIFY2(help.out.contains("  full-logging  raise"), help.out.constData());
        QCOMPARE(help.err, QByteArray());

        // A command's help names the program and the command run() was given.
        const Captured collectHelp = runCli({QStringLiteral("collect"), QStringLiteral("--help")});
        QCOMPARE(collectHelp.exitCode, 0);
        QVERIFY2(collectHelp.out.startsWith("Usage: diagcollect collect [options]\n"), collectHelp.out.constData());
        QVERIFY(collectHelp.out.contains("--case-id"));
        QVERIFY(collectHelp.out.contains("--json"));

        // No command: the overview on stderr, a usage error.
        const Captured none = runCli({});
        QCOMPARE(none.exitCode, 2);
        QCOMPARE(none.out, QByteArray());
        QVERIFY(none.err.startsWith("Usage: diagcollect"));
        checkNothingLeftBehind();
    }

    void usageErrorsExitTwoNamingTheProblem_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")}
                                         << QStringLiteral("unknown command \"frobnicate\"");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("collect"), QStringLiteral("--no-such-option")}
                                        << QStringLiteral("'no-such-option'");
        QTest::newRow("missing value") << QStringList{QStringLiteral("list"), QStringLiteral("--profile")}
                                       << QStringLiteral("'--profile'");
        QTest::newRow("bad format") << QStringList{QStringLiteral("collect"), QStringLiteral("--format"),
                                                   QStringLiteral("rar")}
                                    << QStringLiteral("unknown format \"rar\"");
        QTest::newRow("bad language") << QStringList{QStringLiteral("list"), QStringLiteral("--lang"),
                                                     QStringLiteral("fr")}
                                      << QStringLiteral("--lang: unknown language \"fr\"");
        QTest::newRow("verify without archive")
            << QStringList{QStringLiteral("verify")} << QStringLiteral("verify takes exactly one archive");
        QTest::newRow("bad case id") << QStringList{QStringLiteral("collect"), QStringLiteral("--case-id"),
                                                    QStringLiteral("../etc")}
                                     << QStringLiteral("invalid case ID");
    }

    void usageErrorsExitTwoNamingTheProblem()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, named);
        const Captured result = runCli(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith("diagcollect: "), result.err.constData());
        QVERIFY2(QString::fromUtf8(result.err).contains(named), result.err.constData());
        QCOMPARE(result.out, QByteArray());
        QVERIFY(stagingLeftovers().isEmpty());
    }

    void listJsonShowsTheBuiltInProfile()
    {
        const Captured result = runCli({QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.err, QByteArray());
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(result.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(root.value(QStringLiteral("profile")).toString(), QStringLiteral("default"));
        const QJsonArray items = root.value(QStringLiteral("items")).toArray();
        QVERIFY(items.size() > 20);
        QSet<QString> ids;
        for (const QJsonValue &item : items) {
            const QString id = item[QStringLiteral("id")].toString();
            QVERIFY(!id.isEmpty());
            QVERIFY2(!ids.contains(id), qPrintable(id));
            ids.insert(id);
            QVERIFY2(!item[QStringLiteral("purpose")].toString().isEmpty(), qPrintable(id));
            QVERIFY2(!item[QStringLiteral("category")].toString().isEmpty(), qPrintable(id));
            QVERIFY2(item[QStringLiteral("platforms")].toArray().contains(QStringLiteral("linux")), qPrintable(id));
        }
        // The JSON stays English whatever the language.
        const Captured ja =
            runCli({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--lang"), QStringLiteral("ja")});
        QCOMPARE(ja.exitCode, 0);
        QCOMPARE(ja.out, result.out);
        checkNothingLeftBehind();
    }

    // What is captured in-process is what the binary prints: the same bytes on stdout and
    // stderr and the same exit code (argv[0] is the binary's path in both).
    void sameOutputAsTheBinary_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("help") << QStringList{QStringLiteral("--help")};
        QTest::newRow("collect help") << QStringList{QStringLiteral("collect"), QStringLiteral("--help")};
        QTest::newRow("redact help") << QStringList{QStringLiteral("redact"), QStringLiteral("--help")};
        QTest::newRow("list") << QStringList{QStringLiteral("list")};
        QTest::newRow("list ja") << QStringList{QStringLiteral("list"), QStringLiteral("--lang"), QStringLiteral("ja")};
        QTest::newRow("list json") << QStringList{QStringLiteral("list"), QStringLiteral("--json")};
        QTest::newRow("rules") << QStringList{QStringLiteral("rules")};
        QTest::newRow("probes") << QStringList{QStringLiteral("probes")};
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
        QTest::newRow("redact usage") << QStringList{QStringLiteral("redact"), QStringLiteral("--in")};
        QTest::newRow("no such archive") << QStringList{QStringLiteral("verify"), QStringLiteral("--json"),
                                                        QStringLiteral("/nonexistent/a.tar.zst")};
    }

    void sameOutputAsTheBinary()
    {
        QFETCH(QStringList, arguments);
        const Captured inProcess = runCli(arguments, QStringLiteral(DC_BINARY));
        const dc::test::BinaryRun binary = dc::test::runBinary(arguments, dc::test::isolatedEnvironment(m_home.path()));
        QCOMPARE(inProcess.exitCode, binary.exitCode);
        QCOMPARE(inProcess.out, binary.out);
        QCOMPARE(inProcess.err, binary.err);
    }

    void collectOfATinyProfile()
    {
        const QString profile = writeTinyProfile();
        QVERIFY(!profile.isEmpty());
        const QString output = path(QStringLiteral("out-json"));
        const Captured result = runCli({QStringLiteral("collect"), QStringLiteral("--profile"), profile,
                                        QStringLiteral("--output"), output, QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        // One JSON object on one line, nothing else on stdout; no progress on a stderr
        // that is no terminal with --json.
        QCOMPARE(result.out.count('\n'), 1);
        QVERIFY(result.out.endsWith('\n'));
        QCOMPARE(result.err, QByteArray());
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(result.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, result.out.constData());
        const QString archive = json.value(QStringLiteral("archive")).toString();
        QVERIFY(QFileInfo(archive).isAbsolute());
        QVERIFY(QFileInfo(archive).isFile());
        QCOMPARE(QFileInfo(archive).absolutePath(), output);
        QVERIFY(archive.endsWith(QStringLiteral(".tar.zst")));
        QCOMPARE(json.value(QStringLiteral("bytes")).toInteger(), QFileInfo(archive).size());
        QCOMPARE(json.value(QStringLiteral("profile")).toString(), QStringLiteral("tiny"));
        const QJsonObject items = json.value(QStringLiteral("items")).toObject();
        QCOMPARE(items.value(QStringLiteral("total")).toInt(), 2);
        QCOMPARE(items.value(QStringLiteral("collected")).toInt(), 2);
        // bob@example.com, replaced; the map beside the archive.
        const QJsonObject redaction = json.value(QStringLiteral("redaction")).toObject();
        QVERIFY(redaction.value(QStringLiteral("enabled")).toBool());
        QVERIFY(redaction.value(QStringLiteral("redacted")).toInt() >= 1);
        QVERIFY(QFileInfo(redaction.value(QStringLiteral("map")).toString()).isFile());
        QVERIFY(stagingLeftovers().isEmpty());

        // Without --json: progress per item on stderr (plain lines: an injected stderr is no
        // terminal), the summary, and the archive's path alone on stdout.
        const Captured text = runCli({QStringLiteral("collect"), QStringLiteral("--profile"), profile,
                                      QStringLiteral("--output"), path(QStringLiteral("out-text"))});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.err.contains("[2/2] "), text.err.constData());
        QVERIFY2(text.err.contains("2 items: 2 collected, 0 truncated, 0 skipped, 0 failed"), text.err.constData());
        QVERIFY(!text.err.contains('\r'));
        QVERIFY(QFileInfo(QString::fromUtf8(text.out.trimmed())).isFile());
        QCOMPARE(text.out.count('\n'), 1);

        const Captured verify = runCli({QStringLiteral("verify"), archive});
        QCOMPARE(verify.exitCode, 0);
        QVERIFY2(verify.out.startsWith("intact: ") && verify.out.contains(" entries match manifest.json"),
                 verify.out.constData());
        checkNothingLeftBehind();
    }

    // --verbose logs to stderr through the same sink; the log setup ends with the run, so a
    // command after it prints no log lines.
    void verboseLogLinesAreCapturedAndEndWithTheRun()
    {
        const QString profile = writeTinyProfile();
        QVERIFY(!profile.isEmpty());
        const Captured verbose =
            runCli({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                    path(QStringLiteral("out-verbose")), QStringLiteral("--json"), QStringLiteral("--verbose")});
        QVERIFY2(verbose.exitCode == 0, verbose.err.constData());
        QVERIFY2(verbose.err.contains("diagcollect: info: "), verbose.err.constData());
        const Captured list =
            runCli({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--profile"), profile});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.err, QByteArray());
        checkNothingLeftBehind();
    }

    void verifyReportsACorruptedArchive()
    {
        const QString profile = writeTinyProfile();
        QVERIFY(!profile.isEmpty());
        const Captured collected =
            runCli({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                    path(QStringLiteral("out-damaged")), QStringLiteral("--json")});
        QVERIFY2(collected.exitCode == 0, collected.err.constData());
        const QString archive =
            QJsonDocument::fromJson(collected.out).object().value(QStringLiteral("archive")).toString();
        QFile file(archive);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(file.size() / 2));
        file.close();

        const Captured damaged = runCli({QStringLiteral("verify"), archive});
        QCOMPARE(damaged.exitCode, 1);
        QCOMPARE(damaged.out, QByteArray());
        QVERIFY2(damaged.err.startsWith("diagcollect: ") &&
                     damaged.err.contains(
                         QByteArray(QFileInfo(archive).fileName().toUtf8() + " cannot be read as an archive")),
                 damaged.err.constData());

        const Captured json = runCli({QStringLiteral("verify"), QStringLiteral("--json"), archive});
        QCOMPARE(json.exitCode, 1);
        const QJsonObject error = QJsonDocument::fromJson(json.out).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("exit_code")).toInt(), 1);
        QVERIFY(error.value(QStringLiteral("message")).toString().contains(QStringLiteral("cannot be read")));
    }

    // --lang ja: help and collect in Japanese; the next run, without --lang, in English again.
    void japaneseForOneRunOnly()
    {
        const Captured help = runCli({QStringLiteral("--help"), QStringLiteral("--lang"), QStringLiteral("ja")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(QString::fromUtf8(help.out).contains(japanese()), help.out.constData());
        QVERIFY(!help.out.contains("Exit codes"));

        const QString profile = writeTinyProfile();
        QVERIFY(!profile.isEmpty());
        const Captured collect =
            runCli({QStringLiteral("collect"), QStringLiteral("--lang=ja"), QStringLiteral("--profile"), profile,
                    QStringLiteral("--output"), path(QStringLiteral("out-ja"))});
        QVERIFY2(collect.exitCode == 0, collect.err.constData());
        QVERIFY2(collect.err.contains("[2/2] ") && collect.err.contains("収集済み"), collect.err.constData());
        QVERIFY2(!collect.err.contains("collected"), collect.err.constData());
        checkNothingLeftBehind();

        const Captured english = runCli({QStringLiteral("--help")});
        QCOMPARE(english.exitCode, 0);
        QVERIFY(english.out.contains("Exit codes"));
        QVERIFY(!QString::fromUtf8(english.out).contains(japanese()));
    }

    void badProfileExitsTwoNamingTheJsonPath()
    {
        const QString profile = path(QStringLiteral("bad.json"));
        QVERIFY(dc::test::writeAll(profile, R"({"format_version": 1, "name": "b", "items": [
            {"id": "a", "kind": "command", "category": "tool", "purpose": "p", "argv": ["x"], "timeout": -3}]})"));
        const Captured result =
            runCli({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"),
                    path(QStringLiteral("out-bad")), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("items[0].timeout: expected a positive number"), result.err.constData());
        const QJsonObject error =
            QJsonDocument::fromJson(result.out).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("exit_code")).toInt(), 2);
        QVERIFY(error.value(QStringLiteral("message")).toString().contains(QStringLiteral("items[0].timeout")));
        // Nothing was created: no staging, no output folder.
        QVERIFY(stagingLeftovers().isEmpty());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("out-bad"))));

        const Captured list = runCli({QStringLiteral("list"), QStringLiteral("--profile"), profile});
        QCOMPARE(list.exitCode, 2);
        QCOMPARE(list.out, QByteArray());
        QVERIFY2(list.err.contains("items[0].timeout"), list.err.constData());
    }

    void cleanupTestCase() { checkNothingLeftBehind(); }
};

QTEST_GUILESS_MAIN(TestCliInProcess)
#include "test_cliinprocess.moc"
