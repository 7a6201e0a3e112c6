// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/profile/defines.h"

namespace dc::core {

Result<QMap<QString, QString>> parseDefines(const QStringList &definitions)
{
    QMap<QString, QString> defines;
    for (const QString &definition : definitions) {
        const qsizetype equals = definition.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return fail(ErrorCode::Usage, QStringLiteral("--define expects NAME=VALUE, got \"%1\"").arg(definition));
        defines.insert(definition.left(equals), definition.mid(equals + 1));
    }
    return defines;
}

Result<Profile> loadProfileWithDefines(const QString &path, const QStringList &definitions)
{
    auto defines = parseDefines(definitions);
    if (!defines)
        return tl::unexpected(defines.error());
    ProfileLoadOptions options;
    options.defines = *defines;
    return path.isEmpty() ? loadDefaultProfile(options) : loadProfile(path, options);
}

} // namespace dc::core
