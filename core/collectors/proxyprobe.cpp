// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// proxy: environment and system proxy settings. Values are written as found:
// credentials in proxy URLs are the redaction stage's job.
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probeplatform_p.h"
#include "core/collectors/probereport.h"
#include "core/collectors/probesupport.h"

#include <QFileInfo>

namespace dc::core::probe {

namespace {

QStringList proxyLines(const QString &path)
{
    QStringList lines;
    for (const QByteArray &raw : readSmallFile(path, 1024 * 1024).split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#') || line.startsWith("//"))
            continue;
        if (line.toLower().contains("proxy"))
            lines << QString::fromUtf8(line);
    }
    return lines;
}

} // namespace

ProbeOutput proxy(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
    Q_UNUSED(ctx);
    static const char *const names[] = {"http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy"};
    Report r;
    r.section(QStringLiteral("Environment of this process"));
    for (const char *name : names) {
        for (const QString &variant : {QString::fromLatin1(name), QString::fromLatin1(name).toUpper()}) {
            const QByteArray key = variant.toLatin1();
            r.field(variant, qEnvironmentVariableIsSet(key.constData()) ? qEnvironmentVariable(key.constData())
                                                                        : QStringLiteral("(not set)"));
        }
    }
    const ProxyConfiguration configuration = proxyConfiguration();
    if (!configuration.files.isEmpty()) {
        r.section(QStringLiteral("System configuration (lines mentioning a proxy)"));
        bool any = false;
        for (const QString &file : std::as_const(configuration.files)) {
            if (!QFileInfo(file).isFile())
                continue;
            const QStringList lines = proxyLines(file);
            if (lines.isEmpty())
                continue;
            any = true;
            QString block = file + QStringLiteral(":\n");
            for (const QString &line : lines)
                block += QStringLiteral("  ") + line + QLatin1Char('\n');
            r.text(block);
        }
        if (!any)
            r.text(configuration.noneFound);
    }
    ProbeOutput output;
    output.text = r.result();
    return output;
}

} // namespace dc::core::probe
