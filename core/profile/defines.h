// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/profile/profile.h"

#include <QMap>
#include <QStringList>

namespace dc::core {

// The one parser of `--define NAME=VALUE` (collect, list, full-logging, the wizard's
// --define): each definition becomes a profile variable. A definition without a name
// before "=" is a usage error (ErrorCode::Usage) naming it; the value may be empty or
// hold further "=". A later definition of the same name wins.
Result<QMap<QString, QString>> parseDefines(const QStringList &definitions);

// The profile at path (the built-in one when path is empty) with the definitions applied.
Result<Profile> loadProfileWithDefines(const QString &path, const QStringList &definitions);

} // namespace dc::core
