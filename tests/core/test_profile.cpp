// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/profile/defines.h"
#include "core/profile/profile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace dc::core;

class TestProfile : public QObject
{
    Q_OBJECT

private:
    // A minimal valid profile with one item; `item` is spliced in as that item's extra keys.
    static QByteArray withItem(const QByteArray &itemBody)
    {
        return R"({"format_version": 1, "name": "t", "items": [
            {"id": "ok-item", "kind": "files", "category": "os-config", "purpose": "p", "paths": ["/etc/hosts"]},
            {"id": "second", "category": "os-config", "purpose": "p", )" +
               itemBody + "}]}";
    }

private slots:
    void validProfileParses()
    {
        const QByteArray json = R"({
            "format_version": 1, "name": "test", "description": "d",
            "variables": {"ROOT": "/opt/acme", "LOGS": "${ROOT}/logs"},
            "limits": {"total_bytes": 1000000, "item_bytes": 5000, "command_timeout": 3},
            "items": [
              {"id": "hosts", "kind": "files", "category": "os-config", "purpose": "why", "essential": true,
               "paths": ["/etc/hosts"], "dest": "network"},
              {"id": "ip-addr", "kind": "command", "category": "os-config", "purpose": "why", "argv": ["ip", "addr"],
               "timeout": 1.5, "env": {"A": "b"}, "platforms": ["linux"], "dest": "network/ip-addr.txt"},
              {"id": "logs", "kind": "files", "category": "service-logs", "purpose": "why", "paths": ["${LOGS}/shield*.log"],
               "rotated": true, "max_bytes": 100, "full_logs_only": true},
              {"id": "win", "kind": "command", "category": "os-config", "purpose": "why", "argv": ["ipconfig", "/all"],
               "platforms": ["windows"]}
            ]})";
        auto profile = parseProfile(json, QStringLiteral("test.json"));
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        QCOMPARE(profile->name, QStringLiteral("test"));
        QCOMPARE(profile->items.size(), 4);
        QCOMPARE(profile->limits.itemBytes, 5000);
        QCOMPARE(profile->limits.commandTimeoutMs, 3000);

        const ItemSpec &hosts = profile->items[0];
        QVERIFY(hosts.essential);
        QCOMPARE(hosts.maxBytes, 5000); // from limits.item_bytes
        QCOMPARE(hosts.stagedPath(), QStringLiteral("os-config/network"));

        const ItemSpec &ip = profile->items[1];
        QCOMPARE(ip.kind, ItemKind::Command);
        QCOMPARE(ip.command.timeoutMs, 1500);
        QCOMPARE(ip.command.env.value(QStringLiteral("A")), QStringLiteral("b"));
        QCOMPARE(ip.platforms, unsigned(Linux));
        QCOMPARE(ip.stagedPath(), QStringLiteral("os-config/network/ip-addr.txt"));

        const ItemSpec &logs = profile->items[2];
        QVERIFY(logs.fullLogsOnly);
        QCOMPARE(logs.maxBytes, 100);
        QCOMPARE(expandVariables(logs.files.paths.first(), *profile), QStringLiteral("/opt/acme/logs/shield*.log"));

        QCOMPARE(profile->itemsFor(Linux, false).size(), 2);
        QCOMPARE(profile->itemsFor(Linux, true).size(), 3);
        QCOMPARE(profile->itemsFor(Windows, false).size(), 2);
        QCOMPARE(profile->sha256.size(), 64);
    }

    void defaultCommandStagedPathGetsTxt()
    {
        auto profile = parseProfile(withItem(R"("kind": "command", "argv": ["uname", "-a"])"), QStringLiteral("t"));
        QVERIFY(profile);
        QCOMPARE(profile->items[1].stagedPath(), QStringLiteral("os-config/second.txt"));
    }

    void definesOverrideVariables()
    {
        const QByteArray json = R"({"format_version": 1, "name": "t", "variables": {"ROOT": "/a"},
            "items": [{"id": "x", "kind": "files", "category": "tool", "purpose": "p", "paths": ["${ROOT}/x"]}]})";
        ProfileLoadOptions options;
        options.defines.insert(QStringLiteral("ROOT"), QStringLiteral("/b"));
        auto profile = parseProfile(json, QStringLiteral("t"), options);
        QVERIFY(profile);
        QCOMPARE(expandVariables(QStringLiteral("${ROOT}/x"), *profile), QStringLiteral("/b/x"));
        qputenv("DC_TEST_VARIABLE", "/from-env");
        QCOMPARE(expandVariables(QStringLiteral("${env:DC_TEST_VARIABLE}/y"), *profile), QStringLiteral("/from-env/y"));
        QCOMPARE(expandVariables(QStringLiteral("${HOME}"), *profile), QDir::homePath());
    }

    // The one --define parser (collect, list, full-logging and the wizard use it).
    void defineDefinitionsParse()
    {
        auto defines = parseDefines(
            {QStringLiteral("ROOT=/opt/a=b"), QStringLiteral("EMPTY="), QStringLiteral("ROOT=/opt/later")});
        QVERIFY(defines);
        QCOMPARE(defines->value(QStringLiteral("ROOT")), QStringLiteral("/opt/later"));
        QVERIFY(defines->contains(QStringLiteral("EMPTY")));
        QCOMPARE(defines->value(QStringLiteral("EMPTY")), QString());
        QCOMPARE(parseDefines({QStringLiteral("A=1"), QStringLiteral("=x")}).error().code, ErrorCode::Usage);
        QCOMPARE(parseDefines({QStringLiteral("NOVALUE")}).error().message,
                 QStringLiteral("--define expects NAME=VALUE, got \"NOVALUE\""));
        QCOMPARE(loadProfileWithDefines(QString(), {QStringLiteral("bad")}).error().code, ErrorCode::Usage);
        auto profile = loadProfileWithDefines(QString(), {QStringLiteral("DC_TEST=/x")});
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().message));
        QCOMPARE(profile->variables.value(QStringLiteral("DC_TEST")), QStringLiteral("/x"));
    }

    void dollarDollarIsALiteral()
    {
        const QByteArray json = "{\"format_version\": 1, \"name\": \"t\", \"items\": [{\"id\": \"x\", \"kind\": "
                                "\"command\", \"category\": \"tool\", \"purpose\": \"p\", \"argv\": [\"dpkg-query\", "
                                "\"-f\", \"$${Package} $${Version}\\n\"]}]}";
        auto profile = parseProfile(json, QStringLiteral("t"));
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        QCOMPARE(expandVariables(profile->items[0].command.argv[2], *profile),
                 QStringLiteral("${Package} ${Version}\n"));
    }

    void requirementsAreChecked()
    {
        ItemSpec item;
        QCOMPARE(unmetRequirement(item, false), QString());
        item.needsAdmin = true;
        QCOMPARE(unmetRequirement(item, false), QStringLiteral("needs administrator rights"));
        QCOMPARE(unmetRequirement(item, true), QString());
        item.needsAdmin = false;
        item.requirements = {QStringLiteral("systemd")};
        const bool systemdRuns = QFileInfo(QStringLiteral("/run/systemd/system")).isDir();
        QCOMPARE(unmetRequirement(item, false).isEmpty(), systemdRuns);
    }

    // Issue 18, item 9: a cycle used to pass and expand to the literal "${B}".
    void cyclicVariablesAreAnError()
    {
        const QByteArray json = R"({"format_version": 1, "name": "t", "variables": {"A": "${B}", "B": "${A}x"},
            "items": [{"id": "x", "kind": "files", "category": "tool", "purpose": "p", "paths": ["${A}/x"]}]})";
        auto profile = parseProfile(json, QStringLiteral("t"));
        QVERIFY(!profile);
        QCOMPARE(profile.error().code, ErrorCode::Profile);
        QCOMPARE(profile.error().message,
                 QStringLiteral("t: variables.B: refers to itself through ${A} (A -> B -> A)"));
        // Through --define too, and a variable naming itself.
        ProfileLoadOptions options;
        options.defines.insert(QStringLiteral("C"), QStringLiteral("${C}/x"));
        auto self = parseProfile(R"({"format_version": 1, "name": "t", "items": []})", QStringLiteral("t"), options);
        QVERIFY(!self);
        QCOMPARE(self.error().message, QStringLiteral("t: variables.C: refers to itself through ${C} (C -> C)"));
        // Shared references without a cycle are fine.
        QVERIFY(parseProfile(R"({"format_version": 1, "name": "t", "variables": {"A": "${B}${C}", "B": "${C}",
            "C": "/c"}, "items": []})",
                             QStringLiteral("t")));
    }

    // Issue 18, item 8: validation was quadratic (8 000 items took 20 s).
    void manyItemsValidateInLinearTime()
    {
        // No raw strings with unbalanced braces here: moc counts them.
        const auto profileWith = [](int count) -> QByteArray {
            QByteArrayList items;
            for (int i = 0; i < count; ++i)
                items.append(QByteArray("\x7b\"id\": \"item-") + QByteArray::number(i) +
                             "\", \"kind\": \"files\", \"category\": \"tool\", \"purpose\": \"p\", "
                             "\"paths\": [\"/x/" +
                             QByteArray::number(i) + "\"]\x7d");
            return "\x7b\"format_version\": 1, \"name\": \"t\", \"items\": [" + items.join(',') + "]\x7d";
        };
        QElapsedTimer clock;
        clock.start();
        auto profile = parseProfile(profileWith(kMaxProfileItems), QStringLiteral("t"));
        const qint64 elapsed = clock.elapsed();
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        QCOMPARE(profile->items.size(), kMaxProfileItems);
        QVERIFY2(elapsed < 5000, qPrintable(QStringLiteral("%1 items took %2 ms").arg(kMaxProfileItems).arg(elapsed)));

        auto tooMany = parseProfile(profileWith(kMaxProfileItems + 1), QStringLiteral("t"));
        QVERIFY(!tooMany);
        QCOMPARE(tooMany.error().message, QStringLiteral("t: items: %1 items; a profile may have at most %2")
                                              .arg(kMaxProfileItems + 1)
                                              .arg(kMaxProfileItems));
    }

    void productSectionExpandsToItems()
    {
        const QByteArray json = R"({"format_version": 1, "name": "t",
            "product": {"name": "Acme", "logs": ["/opt/acme/logs"], "config_files": ["/opt/acme/etc/a.conf"],
                        "crash_dirs": [{"path": "/opt/acme/crash", "platforms": ["linux"]}], "units": ["acme.service"]},
            "items": []})";
        auto profile = parseProfile(json, QStringLiteral("t"));
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        QStringList ids;
        for (const ItemSpec &item : profile->items)
            ids << item.id;
        QCOMPARE(ids,
                 (QStringList{QStringLiteral("product-logs"), QStringLiteral("product-config"),
                              QStringLiteral("product-crash-dumps"), QStringLiteral("product-journal-acme-service")}));
        QCOMPARE(profile->items[0].category, Category::ServiceLogs);
        QVERIFY(profile->items[0].files.rotated);
        QCOMPARE(profile->items[2].category, Category::CrashDumps);
        QVERIFY(!profile->items[2].redactable);
        QCOMPARE(profile->items[2].platforms, unsigned(Linux));
        QCOMPARE(profile->items[3].command.argv.last(), QStringLiteral("acme.service"));
        QCOMPARE(profile->productName, QStringLiteral("Acme"));
    }

    void badProfilesNameThePath_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");

        QTest::newRow("not json") << QByteArray("{ nope") << QStringLiteral("not valid JSON");
        QTest::newRow("root not object") << QByteArray("[]") << QStringLiteral("(root): expected an object");
        QTest::newRow("no version") << QByteArray(R"({"name": "t", "items": []})")
                                    << QStringLiteral("format_version: missing");
        QTest::newRow("future version") << QByteArray(R"({"format_version": 7, "name": "t", "items": []})")
                                        << QStringLiteral("format_version: unsupported version");
        QTest::newRow("no name") << QByteArray(R"({"format_version": 1, "items": []})")
                                 << QStringLiteral("name: missing");
        QTest::newRow("unknown top key") << QByteArray(
                                                R"({"format_version": 1, "name": "t", "itemz": [], "items": []})")
                                         << QStringLiteral("itemz: unknown key");
        QTest::newRow("items not array") << QByteArray(R"({"format_version": 1, "name": "t", "items": {}})")
                                         << QStringLiteral("items: expected an array of items");
        QTest::newRow("negative timeout") << withItem(R"("kind": "command", "argv": ["x"], "timeout": -1)")
                                          << QStringLiteral("items[1].timeout: expected a positive number");
        QTest::newRow("string timeout") << withItem(R"("kind": "command", "argv": ["x"], "timeout": "5")")
                                        << QStringLiteral("items[1].timeout: expected a positive number");
        QTest::newRow("empty argv") << withItem(R"("kind": "command", "argv": [])")
                                    << QStringLiteral("items[1].argv: must not be empty");
        QTest::newRow("argv not strings") << withItem(R"("kind": "command", "argv": ["ls", 3])")
                                          << QStringLiteral("items[1].argv[1]: expected a non-empty string");
        QTest::newRow("shell string") << withItem(R"("kind": "command", "argv": "ls -l")")
                                      << QStringLiteral("items[1].argv: expected an array of strings");
        QTest::newRow("unknown kind") << withItem(R"("kind": "shell")")
                                      << QStringLiteral("items[1].kind: unknown kind \"shell\"");
        QTest::newRow("missing kind") << withItem(R"("paths": ["/x"])") << QStringLiteral("items[1].kind: missing");
        QTest::newRow("relative path") << withItem(R"("kind": "files", "paths": ["etc/hosts"])")
                                       << QStringLiteral("items[1].paths[0]: expected an absolute path");
        QTest::newRow("no paths") << withItem(R"("kind": "files")") << QStringLiteral("items[1].paths: missing");
        QTest::newRow("foreign key") << withItem(R"("kind": "files", "paths": ["/x"], "argv": ["ls"])")
                                     << QStringLiteral("items[1].argv: not allowed for kind \"files\"");
        QTest::newRow("typo key") << withItem(R"("kind": "files", "paths": ["/x"], "max_byte": 5)")
                                  << QStringLiteral("items[1].max_byte: unknown key");
        QTest::newRow("zero max_bytes") << withItem(R"("kind": "files", "paths": ["/x"], "max_bytes": 0)")
                                        << QStringLiteral("items[1].max_bytes: expected a positive integer");
        QTest::newRow("bad platform") << withItem(R"("kind": "files", "paths": ["/x"], "platforms": ["beos"])")
                                      << QStringLiteral("items[1].platforms[0]: unknown platform \"beos\"");
        QTest::newRow("escaping dest") << withItem(R"("kind": "files", "paths": ["/x"], "dest": "../../etc")")
                                       << QStringLiteral("items[1].dest: expected a relative path");
        QTest::newRow("variable in dest")
            << withItem("\"kind\": \"files\", \"paths\": [\"/x\"], \"dest\": \"a/${HOME}\"")
            << QStringLiteral("items[1].dest: variables are not allowed in dest");
        QTest::newRow("unknown requirement")
            << withItem("\"kind\": \"files\", \"paths\": [\"/x\"], \"requires\": [\"dbus\"]")
            << QStringLiteral("items[1].requires[0]: unknown requirement \"dbus\"");
        QTest::newRow("bad exit code")
            << withItem("\"kind\": \"command\", \"argv\": [\"x\"], \"no_data_exit_codes\": [0]")
            << QStringLiteral("items[1].no_data_exit_codes[0]: expected an exit code from 1 to 255");
        QTest::newRow("exit codes on files")
            << withItem("\"kind\": \"files\", \"paths\": [\"/x\"], \"no_data_exit_codes\": [1]")
            << QStringLiteral("items[1].no_data_exit_codes: not allowed for kind \"files\"");
        QTest::newRow("absolute dest") << withItem(R"("kind": "files", "paths": ["/x"], "dest": "/tmp/x")")
                                       << QStringLiteral("items[1].dest: expected a relative path");
        QTest::newRow("unknown variable") << withItem(R"("kind": "files", "paths": ["${NOPE}/x"])")
                                          << QStringLiteral("items[1].paths[0]: unknown variable ${NOPE}");
        QTest::newRow("malformed variable")
            << withItem("\"kind\": \"files\", \"paths\": [\"/a/${oops\"]") // no raw string: moc counts its brace
            << QStringLiteral("items[1].paths[0]: malformed variable reference");
        QTest::newRow("bad category") << QByteArray(R"({"format_version": 1, "name": "t", "items": [
                {"id": "a", "kind": "files", "category": "misc", "purpose": "p", "paths": ["/x"]}]})")
                                      << QStringLiteral("items[0].category: unknown category \"misc\"");
        QTest::newRow("empty purpose") << QByteArray(R"({"format_version": 1, "name": "t", "items": [
                {"id": "a", "kind": "files", "category": "tool", "purpose": " ", "paths": ["/x"]}]})")
                                       << QStringLiteral("items[0].purpose: must not be empty");
        QTest::newRow("bad id") << QByteArray(R"({"format_version": 1, "name": "t", "items": [
                {"id": "Bad_Id", "kind": "files", "category": "tool", "purpose": "p", "paths": ["/x"]}]})")
                                << QStringLiteral("items[0].id: expected kebab-case");
        QTest::newRow("duplicate id") << QByteArray(R"({"format_version": 1, "name": "t", "items": [
                {"id": "a", "kind": "files", "category": "tool", "purpose": "p", "paths": ["/x"]},
                {"id": "a", "kind": "files", "category": "tool", "purpose": "p", "paths": ["/y"]}]})")
                                      << QStringLiteral("duplicate id");
        QTest::newRow("same staged path") << QByteArray(R"({"format_version": 1, "name": "t", "items": [
                {"id": "a", "kind": "files", "category": "tool", "purpose": "p", "paths": ["/x"], "dest": "d"},
                {"id": "b", "kind": "files", "category": "tool", "purpose": "p", "paths": ["/y"], "dest": "d"}]})")
                                          << QStringLiteral("staged path \"tool/d\" is already used by \"a\"");
        QTest::newRow("essential full-logs")
            << withItem(R"("kind": "files", "paths": ["/x"], "essential": true, "full_logs_only": true)")
            << QStringLiteral("items[1].essential: an essential item cannot be");
        QTest::newRow("unknown probe") << withItem(R"("kind": "probe", "probe": "no-such-probe")")
                                       << QStringLiteral("items[1].probe: unknown probe \"no-such-probe\"");
        QTest::newRow("limits") << QByteArray(R"({"format_version": 1, "name": "t", "limits": {"total_bytes": -5},
                "items": []})") << QStringLiteral("limits.total_bytes: expected a positive integer");
        QTest::newRow("product logs") << QByteArray(R"({"format_version": 1, "name": "t",
                "product": {"name": "A", "logs": [5]}, "items": []})")
                                      << QStringLiteral("product.logs[0]: expected a path string");
        // Issue 18, item 9.
        QTest::newRow("duplicate top key") << QByteArray(R"({"format_version": 1, "name": "t", "name": "u",
                "items": []})") << QStringLiteral("bad.json: name: duplicate key");
        QTest::newRow("duplicate item key")
            << withItem(R"("kind": "command", "argv": ["x"], "timeout": 5, "timeout": 50)")
            << QStringLiteral("items[1].timeout: duplicate key");
        QTest::newRow("duplicate nested key")
            << withItem(R"("kind": "command", "argv": ["x"], "env": {"A": "1", "B": "2", "A": "3"})")
            << QStringLiteral("items[1].env.A: duplicate key");
        QTest::newRow("command_timeout 3601")
            << QByteArray(R"({"format_version": 1, "name": "t", "limits": {"command_timeout": 3601}, "items": []})")
            << QStringLiteral("limits.command_timeout: expected a positive number of seconds, at most 3600");
        QTest::newRow("timeout 1e308") << withItem(R"("kind": "command", "argv": ["x"], "timeout": 1e308)")
                                       << QStringLiteral("items[1].timeout: expected a positive number of seconds");
        QTest::newRow("probe timeout 3601") << withItem(R"("kind": "probe", "probe": "system", "timeout": 3601)")
                                            << QStringLiteral("items[1].timeout: expected a positive number");
        QTest::newRow("max_age_days 1e308")
            << withItem(R"("kind": "files", "paths": ["/x"], "max_age_days": 1e308)")
            << QStringLiteral("items[1].max_age_days: expected a number of days, at most 36500");
        QTest::newRow("env not strings") << withItem(R"("kind": "command", "argv": ["x"], "env": {"A": 1})")
                                         << QStringLiteral("items[1].env.A: expected a string");
    }

    void badProfilesNameThePath()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto profile = parseProfile(json, QStringLiteral("bad.json"));
        QVERIFY(!profile);
        QCOMPARE(profile.error().code, ErrorCode::Profile);
        QVERIFY2(profile.error().message.contains(expected), qPrintable(profile.error().message));
        QVERIFY2(profile.error().message.startsWith(QStringLiteral("bad.json: ")), qPrintable(profile.error().message));
    }

    void everyProblemIsReported()
    {
        const QByteArray json = R"({"format_version": 1, "name": "t", "items": [
            {"id": "a", "kind": "command", "category": "tool", "purpose": "p", "argv": ["x"], "timeout": 0},
            {"id": "b", "kind": "files", "category": "nope", "purpose": "p", "paths": ["rel"]}]})";
        auto profile = parseProfile(json, QStringLiteral("t"));
        QVERIFY(!profile);
        const QStringList lines = profile.error().message.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
    }

    void missingFileIsAProfileError()
    {
        auto profile = loadProfile(QStringLiteral("/nonexistent/profile.json"));
        QVERIFY(!profile);
        QCOMPARE(profile.error().code, ErrorCode::Profile);
        QVERIFY(profile.error().message.contains(QStringLiteral("/nonexistent/profile.json")));
    }

    void builtinDefaultLoads()
    {
        auto profile = loadDefaultProfile();
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        QVERIFY(!profile->itemsFor(currentPlatformBit(), false).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "test_profile.moc"
