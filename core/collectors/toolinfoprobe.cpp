// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// tool-info: which tool, profile and rights produced this bundle.
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probeplatform_p.h"
#include "core/collectors/probereport.h"
#include "core/collectors/probesupport.h"
#include "core/util/paths.h"

#include <QCoreApplication>
#include <QSysInfo>

#ifndef DIAGCOLLECT_VERSION
#define DIAGCOLLECT_VERSION "unknown"
#endif

namespace dc::core::probe {

ProbeOutput toolInfo(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
    const Profile &profile = ctx.profile();
    Report r;
    r.section(QStringLiteral("Tool"));
    r.field(QStringLiteral("name"), QStringLiteral("diagcollect (Diagnostics Collector)"));
    r.field(QStringLiteral("version"), QStringLiteral(DIAGCOLLECT_VERSION));
    r.field(QStringLiteral("Qt"), QString::fromLatin1(qVersion()));
    r.field(QStringLiteral("build ABI"), QSysInfo::buildAbi());
    if (QCoreApplication::instance())
        r.field(QStringLiteral("command line"), QCoreApplication::arguments().join(QLatin1Char(' ')));
    r.field(QStringLiteral("process id"), QString::number(QCoreApplication::applicationPid()));
    r.field(QStringLiteral("time (UTC)"), nowIsoUtc());
    r.field(QStringLiteral("log directory"), paths::logDir());

    r.section(QStringLiteral("Profile"));
    r.field(QStringLiteral("name"), profile.name);
    r.field(QStringLiteral("description"),
            profile.description.isEmpty() ? QStringLiteral("(none)") : profile.description);
    r.field(QStringLiteral("product"), profile.productName.isEmpty() ? QStringLiteral("(none)") : profile.productName);
    r.field(QStringLiteral("source"), profile.sourcePath);
    r.field(QStringLiteral("sha256"), QString::fromLatin1(profile.sha256));
    r.field(QStringLiteral("items for this platform"),
            QString::number(profile.itemsFor(currentPlatformBit(), true).size()));
    for (auto it = profile.variables.cbegin(); it != profile.variables.cend(); ++it)
        r.field(QStringLiteral("variable ") + it.key(), it.value());

    r.section(QStringLiteral("Platform"));
    r.field(QStringLiteral("platform"), paths::currentPlatform());
    r.field(QStringLiteral("product"), QSysInfo::prettyProductName());
    r.field(QStringLiteral("kernel"), QSysInfo::kernelType() + QLatin1Char(' ') + QSysInfo::kernelVersion());
    r.field(QStringLiteral("CPU architecture"), QSysInfo::currentCpuArchitecture());
    r.field(QStringLiteral("host name"), hostName());

    r.section(QStringLiteral("Rights"));
    r.field(QStringLiteral("administrator"), ctx.isAdministrator() ? QStringLiteral("yes") : QStringLiteral("no"));
    for (const auto &[key, value] : processAccount())
        r.field(key, value);
    r.field(QStringLiteral("user"), qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME")));
    ProbeOutput output;
    output.text = r.result();
    return output;
}

} // namespace dc::core::probe
