// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/profile/profiletexts.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

namespace dc::core {

namespace {

QString catalogued(const QString &english)
{
    if (english.isEmpty())
        return english;
    const QByteArray source = english.toUtf8();
    return QCoreApplication::translate("ProfileTexts", source.constData());
}

// The language the texts are shown in: QLocale's default, which installTranslations() sets.
QString shownLanguage() { return QLocale().name().section(QLatin1Char('_'), 0, 0); }

// The profile's own words in the shown language when it gives them, else the catalogue's.
QString localized(const QMap<QString, QString> &translations, const QString &english)
{
    if (!translations.isEmpty()) {
        const auto it = translations.constFind(shownLanguage());
        if (it != translations.constEnd())
            return it.value();
    }
    return catalogued(english);
}

QString productName(const Profile &profile)
{
    return profile.productName.isEmpty() ? QCoreApplication::translate("ProfileTexts", "the product")
                                         : profile.productName;
}

// "product-logs", "product-logs-2", ...: the kind of a generated item, empty for any other.
QString productKind(const ItemSpec &item)
{
    static const QRegularExpression generated(
        QStringLiteral("^product-(logs|config|crash-dumps)(?:-\\d+)?$|^product-journal-"));
    // The loader names these items by their id; a profile that titles them itself is left alone.
    if (item.title != item.id)
        return {};
    const QRegularExpressionMatch match = generated.match(item.id);
    if (!match.hasMatch())
        return {};
    return match.captured(1).isEmpty() ? QStringLiteral("journal") : match.captured(1);
}

// The folder of a generated files item, or the unit of a generated journal item.
QString firstPath(const ItemSpec &item, const Profile &profile)
{
    if (!item.files.paths.isEmpty())
        return expandVariables(item.files.paths.first(), profile);
    return item.command.argv.isEmpty() ? QString() : item.command.argv.last();
}

} // namespace

namespace {

// A generated item's title in the shown language, or in English for the records.
QString productItemTitle(const ItemSpec &item, const Profile &profile, bool translated)
{
    const auto text = [translated](const char *english) {
        return translated ? QCoreApplication::translate("ProfileTexts", english) : QString::fromLatin1(english);
    };
    const QString kind = productKind(item);
    const QString product =
        profile.productName.isEmpty() ? text(QT_TRANSLATE_NOOP("ProfileTexts", "the product")) : profile.productName;
    if (kind == QLatin1String("logs"))
        return text(QT_TRANSLATE_NOOP("ProfileTexts", "Logs of %1 (%2)")).arg(product, firstPath(item, profile));
    if (kind == QLatin1String("config"))
        return text(QT_TRANSLATE_NOOP("ProfileTexts", "Settings of %1 (%2)")).arg(product, firstPath(item, profile));
    if (kind == QLatin1String("crash-dumps"))
        return text(QT_TRANSLATE_NOOP("ProfileTexts", "Crash dumps of %1 (%2)")).arg(product, firstPath(item, profile));
    if (kind == QLatin1String("journal"))
        return text(QT_TRANSLATE_NOOP("ProfileTexts", "Journal of the %1 service")).arg(firstPath(item, profile));
    return {};
}

} // namespace

QString itemTitle(const ItemSpec &item, const Profile &profile)
{
    if (const QString title = productItemTitle(item, profile, true); !title.isEmpty())
        return title;
    return localized(item.titles, item.title.isEmpty() ? item.id : item.title);
}

QString recordedItemTitle(const ItemSpec &item, const Profile &profile)
{
    if (const QString title = productItemTitle(item, profile, false); !title.isEmpty())
        return title;
    return item.title.isEmpty() ? item.id : item.title;
}

QString itemPurpose(const ItemSpec &item, const Profile &profile)
{
    const QString kind = productKind(item);
    const QString product = productName(profile);
    if (kind == QLatin1String("logs"))
        return QCoreApplication::translate("ProfileTexts", "The service logs of %1 show what it did and why it failed.")
            .arg(product);
    if (kind == QLatin1String("config"))
        return QCoreApplication::translate("ProfileTexts", "The configuration of %1 shows how it is set up.")
            .arg(product);
    if (kind == QLatin1String("crash-dumps"))
        return QCoreApplication::translate("ProfileTexts", "Crash dumps of %1 show where it crashed.").arg(product);
    if (kind == QLatin1String("journal"))
        return QCoreApplication::translate("ProfileTexts",
                                           "The system journal of the %1 service shows its starts, stops and errors.")
            .arg(firstPath(item, profile));
    return localized(item.purposes, item.purpose);
}

QString profileDescription(const Profile &profile) { return localized(profile.descriptions, profile.description); }

} // namespace dc::core
