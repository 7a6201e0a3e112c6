// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// No English from the built-in profile or the redaction rules reaches the
// Japanese UI: every title, purpose and description the wizard shows (the
// items the product section generates included) goes through the catalogues
// and has a Japanese translation; in English the texts stay as written.
#include "app/gui/guiapp.h"
#include "app/gui/ruletexts.h"
#include "core/profile/profile.h"
#include "core/profile/profiletexts.h"
#include "core/redact/redactionrules.h"

#include <QRegularExpression>
#include <QtTest>

using namespace dc::core;

namespace {

bool hasJapanese(const QString &text)
{
    static const QRegularExpression japanese(QStringLiteral("[\\x{3040}-\\x{30ff}\\x{4e00}-\\x{9fff}]"));
    return text.contains(japanese);
}

} // namespace

class TestProfileTexts : public QObject
{
    Q_OBJECT

private slots:
    void japaneseEverywhere()
    {
        QCOMPARE(dc::gui::installTranslations(QStringLiteral("ja")), QStringLiteral("ja"));
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
