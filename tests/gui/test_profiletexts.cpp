// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// No English from the built-in profile, the redaction rules or the collectors'
// reasons reaches the Japanese UI: every title, purpose and description the
// wizard shows (the items the product section generates included) goes through
// the catalogues and has a Japanese translation; reasons real collectors write
// are shown in Japanese; a custom profile's own per-language texts are used,
// with the English as fallback; in English the texts stay as written.
#include "app/gui/ruletexts.h"
#include "core/collect/collector.h"
#include "core/collect/reasontexts.h"
#include "core/profile/profile.h"
#include "core/profile/profiletexts.h"
#include "core/redact/redactionrules.h"
#include "core/util/language.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

using namespace dc::core;

namespace {

bool hasJapanese(const QString &text)
{
    static const QRegularExpression japanese(QStringLiteral("[\\x{3040}-\\x{30ff}\\x{4e00}-\\x{9fff}]"));
    return text.contains(japanese);
}

// English words left in a shown text: runs of three or more ASCII letters
// that are not part of one of the values put in (paths, numbers, a command's own words).
QStringList englishWords(const QString &shown, const QStringList &values = {})
{
    static const QRegularExpression word(QStringLiteral("[A-Za-z]{3,}"));
    QString rest = shown;
    for (const QString &value : values)
        rest.remove(value);
    // Paths are values too; "FIFO" is the word in either language.
    static const QRegularExpression path(QStringLiteral("/\\S*"));
    rest.remove(path);
    rest.remove(QStringLiteral("FIFO"));
    QStringList words;
    for (auto it = word.globalMatch(rest); it.hasNext();)
        words << it.next().captured(0);
    return words;
}

} // namespace

class TestProfileTexts : public QObject
{
    Q_OBJECT

private slots:
    void japaneseEverywhere()
    {
        QCOMPARE(installTranslations(QStringLiteral("ja")), QStringLiteral("ja"));
        auto profile = loadDefaultProfile();
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        QStringList english;
        if (!hasJapanese(profileDescription(*profile)))
            english << profileDescription(*profile);
        const QList<ItemSpec> items = profile->itemsFor(AllPlatforms, true);
        QVERIFY(items.size() > 100);
        bool generated = false;
        for (const ItemSpec &item : items) {
            generated |= item.id.startsWith(QLatin1String("product-"));
            for (const QString &text : {itemTitle(item, *profile), itemPurpose(item, *profile)})
                if (!hasJapanese(text))
                    english << item.id + QStringLiteral(": ") + text;
        }
        QVERIFY(generated); // the product section's items are checked too
        for (const RuleInfo &rule : RedactionRules::builtinRules())
            if (!hasJapanese(dc::gui::ruleDescription(rule)))
                english << rule.id + QStringLiteral(": ") + rule.description;
        for (const QString &text : builtinProfileTexts())
            if (!hasJapanese(QCoreApplication::translate("ProfileTexts", text.toUtf8().constData())))
                english << text;
        QVERIFY2(english.isEmpty(), qPrintable(english.join(QLatin1Char('\n'))));
    }

    void everyReasonTemplateInJapanese()
    {
        QCOMPARE(installTranslations(QStringLiteral("ja")), QStringLiteral("ja"));
        const QStringList templates = reasonTemplates();
        QVERIFY(templates.size() > 50);
        QStringList english;
        for (const QString &pattern : templates) {
            // Fill the template with values that are no words of either language.
            QString reason = pattern;
            for (int n = 1; n <= 5; ++n)
                reason.replace(QStringLiteral("%%1").arg(n), QStringLiteral("/x/%1").arg(n));
            const QString shown = reasonText(reason);
            if (!hasJapanese(shown) ||
                !englishWords(shown, {QStringLiteral("max_bytes"), QStringLiteral("path"), QStringLiteral("table"),
                                      QStringLiteral("tsv"), QStringLiteral("jsonl"), QStringLiteral("systemd"),
                                      QStringLiteral("chroot"), QStringLiteral("proc"), QStringLiteral("self"),
                                      QStringLiteral("mountinfo")})
                     .isEmpty())
                english << reason + QStringLiteral(" -> ") + shown;
        }
        QVERIFY2(english.isEmpty(), qPrintable(english.join(QLatin1Char('\n'))));
        // Values come back in their place, and a value that is a reason is translated too.
        QCOMPARE(reasonText(QStringLiteral("kept the newest 100 of 2000 bytes")),
                 QStringLiteral("2000 バイトのうち新しい 100 バイトを保持しました"));
        QCOMPARE(reasonText(QStringLiteral("and 12 more: permission denied")),
                 QStringLiteral("ほかに 12 件: アクセスが拒否されました"));
        QCOMPARE(reasonText(QStringLiteral("exit status 3: unknown option --frob")),
                 QStringLiteral("終了ステータス 3: unknown option --frob"));
        // No mixed "3 個のファイルを読み取れません: not found".
        QCOMPARE(itemReasonText(QString(), 3, QStringLiteral("not found")),
                 QStringLiteral("3 個のファイルを読み取れません: 見つかりません"));
        QCOMPARE(reasonText(QStringLiteral("systemd is not running here (a container or chroot?)")),
                 QStringLiteral("このシステムでは systemd が動いていません (コンテナーか chroot の中?)"));
        // What no template knows is shown as written.
        QCOMPARE(reasonText(QStringLiteral("/opt/acme/log")), QStringLiteral("/opt/acme/log"));
    }

    void realCollectorReasonsInJapanese()
    {
        // Real collectors on real files and processes: every reason they write is shown in Japanese.
        QCOMPARE(installTranslations(QStringLiteral("ja")), QStringLiteral("ja"));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString src = dir.path() + QStringLiteral("/src");
        QVERIFY(QDir().mkpath(src + QStringLiteral("/logs")));
        QFile big(src + QStringLiteral("/logs/big.log"));
        QVERIFY(big.open(QIODevice::WriteOnly));
        big.write(QByteArray(64 * 1024, 'x'));
        big.close();
#ifdef Q_OS_UNIX
        QCOMPARE(::mkfifo(QFile::encodeName(src + QStringLiteral("/logs/pipe.log")).constData(), 0600), 0);
#endif
        const QByteArray json = QStringLiteral(R"({"format_version": 1, "name": "reasons", "items": [
            {"id": "missing", "kind": "files", "category": "tool", "purpose": "p", "paths": ["%1/nowhere/x.log"]},
            {"id": "capped", "kind": "files", "category": "tool", "purpose": "p", "paths": ["%1/logs"],
             "max_bytes": 1024},
            {"id": "no-tool", "kind": "command", "category": "tool", "purpose": "p",
             "argv": ["diagcollect-test-no-such-tool"]},
            {"id": "exits", "kind": "command", "category": "tool", "purpose": "p", "argv": ["sh", "-c", "exit 3"]},
            {"id": "slow", "kind": "command", "category": "tool", "purpose": "p", "argv": ["sleep", "5"],
             "timeout": 0.2},
            {"id": "listing", "kind": "probe", "category": "tool", "purpose": "p", "probe": "listing",
             "args": {"path": "%1/none"}}]})")
                                    .arg(src)
                                    .toUtf8();
        auto profile = parseProfile(json, QStringLiteral("reasons.json"));
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        const QString staging = dir.path() + QStringLiteral("/staging");
        QVERIFY(QDir().mkpath(staging));
        const std::atomic_bool never{false};
        CollectContext context(staging, *profile, never);
        QStringList english;
        int reasons = 0;
        auto check = [&](const QString &id, const QString &reason) {
            if (reason.isEmpty())
                return;
            ++reasons;
            const QString shown = reasonText(reason);
            if (!hasJapanese(shown) || !englishWords(shown, {src, QStringLiteral("diagcollect")}).isEmpty())
                english << id + QStringLiteral(": ") + reason + QStringLiteral(" -> ") + shown;
        };
        for (const ItemSpec &item : profile->items) {
            const ItemResult result = collectorFor(item.kind).collect(item, context);
            QVERIFY2(!result.reason.isEmpty() || !result.skippedFiles.isEmpty() ||
                         std::any_of(result.files.cbegin(), result.files.cend(),
                                     [](const FileEntry &file) { return !file.reason.isEmpty(); }),
                     qPrintable(item.id));
            check(item.id, result.reason);
            for (const FileEntry &file : result.files)
                check(item.id, file.reason);
            for (const FileEntry &file : result.skippedFiles)
                check(item.id, file.reason);
        }
        QVERIFY(reasons >= 6);
        QVERIFY2(english.isEmpty(), qPrintable(english.join(QLatin1Char('\n'))));
    }

    void profileGivesItsOwnLanguages()
    {
        const QByteArray json = R"({"format_version": 1, "name": "vendor",
            "description": {"en": "Vendor bundle", "ja": "ベンダーの収集"},
            "items": [
              {"id": "state", "kind": "command", "category": "tool", "argv": ["true"],
               "title": {"en": "Vendor state", "ja": "ベンダーの状態"},
               "purpose": {"en": "How the product is.", "ja": "製品の様子。"}},
              {"id": "english-only", "kind": "command", "category": "tool", "argv": ["true"],
               "title": {"en": "Only English", "$comment": "no Japanese yet"}, "purpose": "Why."},
              {"id": "uptime-words", "kind": "command", "category": "tool", "argv": ["true"],
               "title": "Memory", "purpose": {"en": "Memory and swap use: memory pressure explains slowness and killed processes.", "de": "Speicher"}}]})";
        auto profile = parseProfile(json, QStringLiteral("vendor.json"));
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        // The manifest's English stays as written.
        QCOMPARE(profile->description, QStringLiteral("Vendor bundle"));
        QCOMPARE(profile->items.at(0).title, QStringLiteral("Vendor state"));
        QCOMPARE(profile->items.at(0).purpose, QStringLiteral("How the product is."));

        QCOMPARE(installTranslations(QStringLiteral("ja")), QStringLiteral("ja"));
        QCOMPARE(profileDescription(*profile), QStringLiteral("ベンダーの収集"));
        QCOMPARE(itemTitle(profile->items.at(0), *profile), QStringLiteral("ベンダーの状態"));
        QCOMPARE(itemPurpose(profile->items.at(0), *profile), QStringLiteral("製品の様子。"));
        // No Japanese given: the English (no catalogue entry), or the catalogue's Japanese for its words.
        QCOMPARE(itemTitle(profile->items.at(1), *profile), QStringLiteral("Only English"));
        QCOMPARE(itemPurpose(profile->items.at(1), *profile), QStringLiteral("Why."));
        QVERIFY(hasJapanese(itemTitle(profile->items.at(2), *profile)));
        QVERIFY(hasJapanese(itemPurpose(profile->items.at(2), *profile)));

        QCOMPARE(installTranslations(QStringLiteral("en")), QStringLiteral("en"));
        QCOMPARE(profileDescription(*profile), QStringLiteral("Vendor bundle"));
        QCOMPARE(itemTitle(profile->items.at(0), *profile), QStringLiteral("Vendor state"));
        QCOMPARE(itemPurpose(profile->items.at(2), *profile),
                 QStringLiteral("Memory and swap use: memory pressure explains slowness and killed processes."));
    }

    void languageMistakesNameTheirPath()
    {
        const QByteArray json = R"({"format_version": 1, "name": "bad",
            "description": {"ja": "説明だけ"},
            "items": [
              {"id": "a", "kind": "command", "category": "tool", "argv": ["true"],
               "title": {"ja": "日本語だけ"}, "purpose": {"en": "p", "Japanese": "x", "ja": " "}},
              {"id": "b", "kind": "command", "category": "tool", "argv": ["true"], "title": ["x"],
               "purpose": {"en": 3}}]})";
        auto profile = parseProfile(json, QStringLiteral("bad.json"));
        QVERIFY(!profile);
        const QString message = profile.error().message;
        for (const char *expected :
             {"description.en: missing (the English text is required)",
              "items[0].title.en: missing (the English text is required)",
              "items[0].purpose.Japanese: expected a language code", "items[0].purpose.ja: expected a non-empty string",
              "items[1].title: expected a string", "items[1].purpose.en: expected a non-empty string"})
            QVERIFY2(message.contains(QLatin1String(expected)),
                     qPrintable(QLatin1String(expected) + QStringLiteral("\n") + message));
    }

    void catalogueCoversTheBuiltInProfile()
    {
        // Every text of the built-in profile is in the catalogue lupdate reads
        // (tests/gui/profile_catalogue.py writes it; test_translations checks it is current).
        auto profile = loadDefaultProfile();
        QVERIFY(profile);
        const QStringList catalogue = builtinProfileTexts();
        QVERIFY(catalogue.contains(profile->description));
        for (const ItemSpec &item : profile->itemsFor(AllPlatforms, true)) {
            if (item.id.startsWith(QLatin1String("product-")))
                continue; // generated: titled and explained by pattern
            QVERIFY2(catalogue.contains(item.title), qPrintable(item.title));
            QVERIFY2(catalogue.contains(item.purpose), qPrintable(item.purpose));
        }
    }
};

QTEST_GUILESS_MAIN(TestProfileTexts)
#include "test_profiletexts.moc"
