// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/analysis/findingsfile.h"

#include "core/bundle/staging.h"
#include "core/bundle/summary.h"
#include "core/util/safefs.h"

#include <QFile>

namespace dc::core::analysis {

namespace {

constexpr auto kSummaryFile = "summary.html";
constexpr qint64 kMaxFindingsBytes = 64 * 1024 * 1024;

Result<FileEntry> replaceStagedFile(const QString &folder, const QString &name, const QByteArray &bytes)
{
    QFile::remove(folder + QLatin1Char('/') + name);
    auto file = StagedFile::create(folder, name);
    if (!file)
        return tl::unexpected(file.error());
    if (!(*file)->write(bytes))
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(name, (*file)->errorString()));
    return (*file)->finish(QStringLiteral("diagcollect"));
}

Findings filtered(Findings findings, const std::function<QString(const QString &)> &redactText)
{
    for (Finding &finding : findings.findings) {
        for (QString *text : {&finding.subject, &finding.title, &finding.explanation, &finding.advice, &finding.url})
            *text = redactText(*text);
        for (Evidence &evidence : finding.evidence) {
            evidence.file = redactText(evidence.file);
            for (EvidenceLine &line : evidence.lines)
                line.text = redactText(line.text);
        }
    }
    return findings;
}

} // namespace

Result<void> writeFindings(const QString &folder,
                           Manifest &manifest,
                           const Findings &original,
                           const std::function<QString(const QString &)> &redactText)
{
    const Findings findings = redactText ? filtered(original, redactText) : original;
    const QString findingsName = QString::fromLatin1(kFindingsFileName);
    const QString summaryName = QString::fromLatin1(kSummaryFile);
    manifest.extraFiles.erase(
        std::remove_if(manifest.extraFiles.begin(), manifest.extraFiles.end(),
                       [&](const FileEntry &file) { return file.path == findingsName || file.path == summaryName; }),
        manifest.extraFiles.end());
    auto written = replaceStagedFile(folder, findingsName, findings.toJson());
    if (!written)
        return tl::unexpected(written.error());
    manifest.extraFiles.append(*written);
    auto summary = replaceStagedFile(folder, summaryName, summaryHtml(manifest, findings));
    if (!summary)
        return tl::unexpected(summary.error());
    manifest.extraFiles.append(*summary);
    auto manifestFile = replaceStagedFile(folder, QString::fromLatin1(Manifest::kFileName), manifest.toJson());
    if (!manifestFile)
        return tl::unexpected(manifestFile.error());
    return {};
}

Result<Findings> readFindings(const QString &folder)
{
    auto opened = safefs::openRegular(folder + QLatin1Char('/') + QLatin1String(kFindingsFileName));
    if (!opened)
        return fail(ErrorCode::Io, QStringLiteral("no findings.json in %1").arg(folder));
    auto bytes = safefs::readAll(opened->fd.get(), kMaxFindingsBytes, QString::fromLatin1(kFindingsFileName));
    if (!bytes)
        return tl::unexpected(bytes.error());
    return Findings::fromJson(*bytes);
}

} // namespace dc::core::analysis
