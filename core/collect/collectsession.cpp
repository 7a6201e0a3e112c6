// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collect/collectsession.h"

#include "core/log/logging.h"
#include "core/util/paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace dc::core {

namespace {

constexpr auto kSummaryFile = "summary.html";

Result<FileEntry> writeStagedFile(const QString &stagingDir, const QString &relativePath, const QByteArray &bytes)
{
    QFile::remove(stagingDir + QLatin1Char('/') + relativePath);
    auto file = StagedFile::create(stagingDir, relativePath);
    if (!file)
        return tl::unexpected(file.error());
    if (!(*file)->write(bytes))
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(relativePath, (*file)->errorString()));
    return (*file)->finish(QStringLiteral("diagcollect"));
}

} // namespace

bool isValidCaseId(const QString &caseId)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return pattern.match(caseId).hasMatch();
}

CollectSession::CollectSession(CollectRequest request, std::unique_ptr<Staging> staging)
    : m_request(std::move(request))
    , m_staging(std::move(staging))
{
    m_runner = std::make_unique<CollectionRunner>(m_request.profile, m_request.run, m_staging->path());
}

CollectSession::~CollectSession()
{
    // The runner's workers write into staging: stop them before it is removed.
    m_runner.reset();
}

Result<std::unique_ptr<CollectSession>> CollectSession::create(CollectRequest request)
{
    if (!request.caseId.isEmpty() && !isValidCaseId(request.caseId))
        return fail(
            ErrorCode::Usage,
            QStringLiteral("invalid case ID \"%1\": use 1-64 letters, digits, '.', '_' or '-'").arg(request.caseId));
    auto staging = Staging::create(request.stagingRoot);
    if (!staging)
        return tl::unexpected(staging.error());
    log::get("collect")->info("staging at {}", (*staging)->path());
    // The tool's own log is one of the collected items: make it current first.
    log::flush();
    return std::unique_ptr<CollectSession>(new CollectSession(std::move(request), std::move(*staging)));
}

Result<void> writeManifestFiles(const QString &stagingDir, Manifest &manifest)
{
    manifest.extraFiles.erase(std::remove_if(manifest.extraFiles.begin(), manifest.extraFiles.end(),
                                             [](const FileEntry &f) { return f.path == QLatin1String(kSummaryFile); }),
                              manifest.extraFiles.end());
    auto summary = writeStagedFile(stagingDir, QLatin1String(kSummaryFile), summaryHtml(manifest));
    if (!summary)
        return tl::unexpected(summary.error());
    manifest.extraFiles.append(*summary);
    auto written = writeStagedFile(stagingDir, QLatin1String(Manifest::kFileName), manifest.toJson());
    if (!written)
        return tl::unexpected(written.error());
    return {};
}

Result<void> CollectSession::finishCollection(const RunSummary &summary)
{
    Manifest &m = m_manifest;
    m.toolVersion = QStringLiteral(DC_VERSION);
    m.profileName = m_request.profile.name;
    m.profileSource = m_request.profile.sourcePath;
    m.profileSha256 = m_request.profile.sha256;
    m.host = paths::hostName();
    m.platform = paths::currentPlatform();
    m.caseId = m_request.caseId;
    m.fullLogs = m_request.run.fullLogs;
    m.administrator = paths::isAdministrator();
    m.started = summary.started;
    m.finished = summary.finished;
    m.items = summary.items;
    const Manifest::Totals totals = m.totals();
    log::get("collect")->info("collected {} items: {} collected, {} truncated, {} skipped, {} failed, {} bytes",
                              m.items.size(), totals.collected, totals.truncated, totals.skipped, totals.failed,
                              totals.bytes);
    for (const ItemResult &item : std::as_const(m.items))
        if (item.status == Status::Failed)
            log::get("collect")->warn("item {} failed: {}", item.id, item.reason);
    return writeManifestFiles(stagingPath(), m);
}

QString archiveBaseName(const Manifest &manifest)
{
    QString host = manifest.host.isEmpty() ? paths::hostName() : manifest.host;
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2); // a pseudonym: "[host-1]" -> "host-1"
    QString name = QStringLiteral("diagcollect-") + host;
    if (!manifest.caseId.isEmpty())
        name += QLatin1Char('-') + manifest.caseId;
    const QDateTime when = manifest.started.isValid() ? manifest.started : QDateTime::currentDateTimeUtc();
    name += QLatin1Char('-') + when.toUTC().toString(QStringLiteral("yyyyMMdd'T'hhmmss'Z'"));
    // Host names may carry characters that file systems or shells dislike.
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    name.replace(unsafe, QStringLiteral("_"));
    return name;
}

QString CollectSession::archiveBaseName() const { return dc::core::archiveBaseName(m_manifest); }

Result<PackageResult> packageFolder(const QString &folder,
                                    const Manifest &manifest,
                                    const QString &outputDir,
                                    ArchiveFormat format,
                                    PackageOptions options)
{
    if (!QDir().mkpath(outputDir))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the output folder %1").arg(outputDir));
    const QString base = archiveBaseName(manifest);
    const QString path = QDir(outputDir).absoluteFilePath(base + QLatin1Char('.') + archiveExtension(format));
    options.format = format;
    options.topDir = base;
    if (!options.entryTime.isValid())
        options.entryTime = manifest.started.isValid() ? manifest.started : QDateTime::currentDateTimeUtc();
    auto result = packageDirectory(folder, path, options);
    if (!result) {
        log::get("collect")->error("packaging failed: {}", result.error().message);
        return result;
    }
    log::get("collect")->info("wrote {} ({} bytes, sha256 {})", result->path, result->bytes,
                              QString::fromLatin1(result->sha256));
    return result;
}

Result<PackageResult> CollectSession::package(const QString &outputDir, ArchiveFormat format, PackageOptions options)
{
    auto result = packageFolder(stagingPath(), m_manifest, outputDir, format, std::move(options));
    if (result && !m_staging->keep())
        m_staging->remove();
    return result;
}

Result<Manifest> refreshStaging(const QString &stagingDir)
{
    QFile file(stagingDir + QLatin1Char('/') + QLatin1String(Manifest::kFileName));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Usage, QStringLiteral("%1 has no manifest.json: is it a staging folder kept with "
                                                     "--keep-staging?")
                                          .arg(stagingDir));
    auto manifest = Manifest::fromJson(file.readAll());
    if (!manifest)
        return tl::unexpected(Error{ErrorCode::Usage, manifest.error().message});
    for (ItemResult &item : manifest->items) {
        QList<FileEntry> kept;
        for (FileEntry entry : std::as_const(item.files)) {
            const QString absolute = stagingDir + QLatin1Char('/') + entry.path;
            if (!QFileInfo::exists(absolute)) {
                entry.status = Status::Skipped;
                entry.reason = QStringLiteral("removed by the user before packaging");
                item.skippedFiles.append(entry);
                continue;
            }
            const QByteArray digest = sha256OfFile(absolute);
            if (digest != entry.sha256) {
                entry.sha256 = digest;
                entry.bytes = QFileInfo(absolute).size();
                entry.reason = QStringLiteral("edited by the user before packaging");
            }
            kept.append(entry);
        }
        item.files = kept;
        item.settleStatus();
    }
    if (auto written = writeManifestFiles(stagingDir, *manifest); !written)
        return tl::unexpected(written.error());
    return manifest;
}

} // namespace dc::core
