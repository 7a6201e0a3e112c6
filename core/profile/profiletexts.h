// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/profile/profile.h"

#include <QStringList>

namespace dc::core {

// What a profile says to a person, in the language of the installed
// translators. The profile stays as written (its parser, the manifest and the
// CLI's JSON keep the English); these are looked up when a text is shown.
// - The built-in profile's titles, purposes and description are in the
//   "ProfileTexts" catalogue (profiletexts_catalogue.cpp, which lupdate reads);
//   any profile using the same English words gets the same translation.
// - A profile may give its own words per language ("title": {"en": "...", "ja": "..."},
//   docs/PROFILE.md): they are used when the shown language (QLocale's default, set by
//   installTranslations()) is one of them; else the catalogue's, else the English.
// - Items the loader makes from a profile's "product" section are titled and
//   explained from their id, the product's name and the path they collect.
// Any thread (QCoreApplication::translate is thread-safe once translators are installed).
QString itemTitle(const ItemSpec &item, const Profile &profile);
QString itemPurpose(const ItemSpec &item, const Profile &profile);
// The English title the manifest and summary.html record: the profile's, or
// for a generated item the words itemTitle() translates ("Crash dumps of Acme
// Shield (/var/crash/acme)"), never a bare id.
QString recordedItemTitle(const ItemSpec &item, const Profile &profile);
QString profileDescription(const Profile &profile);

// Every English text of the catalogue, for tests that check their translation.
QStringList builtinProfileTexts();

} // namespace dc::core
