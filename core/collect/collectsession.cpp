// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collect/collectsession.h"

#include "core/log/logging.h"
#include "core/profile/profiletexts.h"
#include "core/seal/sealing.h"
#include "core/util/paths.h"
#include "core/util/safefs.h"
#include "core/util/sha256.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <cerrno>

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
    m.toolVersion = QStringLiteral(DIAGCOLLECT_VERSION);
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
    // Generated items carry their id as title; the records get their words.
    QHash<QString, const ItemSpec *> specs;
    for (const ItemSpec &spec : m_request.profile.items)
        specs.insert(spec.id, &spec);
    for (ItemResult &item : m.items) {
        if (const ItemSpec *spec = specs.value(item.id); spec && item.title == item.id)
            item.title = recordedItemTitle(*spec, m_request.profile);
    }
    const Manifest::Totals totals = m.totals();
    log::get("collect")->info("collected {} items: {} collected, {} truncated, {} skipped, {} failed, {} bytes",
                              m.items.size(), totals.collected, totals.truncated, totals.skipped, totals.failed,
                              totals.bytes);
    for (const ItemResult &item : std::as_const(m.items))
        if (item.status == Status::Failed)
            log::get("collect")->warn("item {} failed: {}", item.id, item.reason);
    // A full staging disk loses data silently otherwise: the run fails, naming the folder and the reason.
    if (const QString failure = m_staging->writeFailure(); !failure.isEmpty())
        return fail(ErrorCode::Io, failure);
    return writeManifestFiles(stagingPath(), m);
}

namespace {
constexpr int kMaxArchiveNameAttempts = 1000;
} // namespace

Result<PackageResult> packageFolder(const QString &folder,
                                    const Manifest &manifest,
                                    const QString &outputDir,
                                    ArchiveFormat format,
                                    PackageOptions options)
{
    if (auto prepared = prepareOutputFolder(outputDir); !prepared)
        return tl::unexpected(prepared.error());
    options.format = format;
    if (!options.entryTime.isValid())
        options.entryTime = manifest.started.isValid() ? manifest.started : QDateTime::currentDateTimeUtc();
    // Runs started in the same second (a fleet's script, two at once) get "-2",
    // "-3", ...: a finished collection is never thrown away for its name. The
    // final rename never replaces, so a name taken meanwhile is simply the next try.
    Result<PackageResult> result = fail(ErrorCode::Io, QString());
    for (int attempt = 1;; ++attempt) {
        const QString base =
            archiveBaseName(manifest) + (attempt > 1 ? QLatin1Char('-') + QString::number(attempt) : QString());
        const QString file = base + QLatin1Char('.') + archiveExtension(format);
        const QString path = QDir(outputDir).absoluteFilePath(file);
        // Taken: the archive, the partial file of a run writing it right now, or
        // what an earlier archive of this name left: its sealed form (sealing
        // removes the plain archive) or its pseudonym map. Any of them would make
        // this run fail ("already exists") after it collected everything.
        const auto taken = [&] {
            const QStringList names{file, file + QLatin1String(kSealedSuffix), file + QStringLiteral(".map.json"),
                                    QLatin1Char('.') + file + QStringLiteral(".partial")};
            for (const QString &name : names) {
                const QFileInfo info(QDir(outputDir).absoluteFilePath(name));
                if (info.exists() || info.isSymLink())
                    return true;
            }
            return false;
        };
        if (taken() && attempt < kMaxArchiveNameAttempts)
            continue;
        options.topDir = base;
        result = packageDirectory(folder, path, options);
        if (result || !taken() || attempt >= kMaxArchiveNameAttempts)
            break;
    }
    if (!result) {
        log::get("collect")->error("packaging failed: {}", result.error().message);
        return result;
    }
    log::get("collect")->info("wrote {} ({} bytes, sha256 {})", result->path, result->bytes,
                              QString::fromLatin1(result->sha256));
    return result;
}

Result<void> prepareOutputFolder(const QString &outputDir)
{
    const QString absolute = QDir::cleanPath(QDir(outputDir).absolutePath());
    if (!QFileInfo(absolute).isDir() && !makePrivateDirs(absolute))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the output folder %1").arg(absolute));
    if (safefs::effectiveUid() != 0)
        return {};
    if (auto trusted = safefs::openTrustedDir(absolute, safefs::Trust{}); !trusted)
        return fail(ErrorCode::Usage,
                    QStringLiteral("refusing to write into the output folder %1 as root: %2. Use a folder owned by "
                                   "root that no other user can write to (--output)")
                        .arg(QDir::toNativeSeparators(absolute), trusted.error().message));
    return {};
}

namespace {

// sha256 (hex) of an opened file, streamed.
Result<QByteArray> sha256OfFd(int fd, const QString &name)
{
    Sha256 hash;
    QByteArray buffer(256 * 1024, Qt::Uninitialized);
    QFile file;
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::DontCloseHandle))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1").arg(name));
    while (true) {
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(name, file.errorString()));
        if (n == 0)
            break;
        hash.add(QByteArrayView(buffer.constData(), n));
    }
    return hash.hex();
}

} // namespace

Result<Manifest> refreshStaging(const QString &stagingDir)
{
    const QString notStaging = QStringLiteral("%1 has no manifest.json: is it a staging folder kept with "
                                              "--keep-staging?")
                                   .arg(stagingDir);
    // As root, only a folder nobody else can change: its manifest and summary are rewritten
    // in place, and a folder a user controls could be swapped while root writes there.
    const QString absolute = QDir::cleanPath(QDir(stagingDir).absolutePath());
    auto folder =
        safefs::effectiveUid() == 0 ? safefs::openTrustedDir(absolute, safefs::Trust{}) : safefs::openDir(absolute);
    if (!folder)
        return fail(ErrorCode::Usage, QStringLiteral("%1: %2").arg(stagingDir, folder.error().message));
    auto manifestFile = safefs::openRegularAt(folder->get(), QLatin1String(Manifest::kFileName));
    if (!manifestFile)
        return fail(ErrorCode::Usage, notStaging);
    auto manifestBytes =
        safefs::readAll(manifestFile->fd.get(), 64LL * 1024 * 1024, QLatin1String(Manifest::kFileName));
    if (!manifestBytes)
        return fail(ErrorCode::Usage, manifestBytes.error().message);
    auto manifest = Manifest::fromJson(*manifestBytes);
    if (!manifest)
        return tl::unexpected(Error{ErrorCode::Usage, manifest.error().message});
    for (ItemResult &item : manifest->items) {
        QList<FileEntry> kept;
        for (FileEntry entry : std::as_const(item.files)) {
            // Only what lies below the staging folder, named plainly.
            if (!safefs::isNormalizedRelative(entry.path))
                return fail(ErrorCode::Usage, QStringLiteral("manifest.json names \"%1\", which is not a relative "
                                                             "path below the staging folder; nothing was packed")
                                                  .arg(entry.path));
            const QString dir = entry.path.section(QLatin1Char('/'), 0, -2);
            const QString name = entry.path.section(QLatin1Char('/'), -1);
            int error = 0;
            Result<safefs::OpenedFile> opened = fail(ErrorCode::Io, QString());
            if (dir.isEmpty()) {
                opened = safefs::openRegularAt(folder->get(), name, &error);
            } else if (auto sub = safefs::openDirAt(folder->get(), dir)) {
                opened = safefs::openRegularAt(sub->get(), name, &error);
            } else {
                error = QFileInfo::exists(stagingDir + QLatin1Char('/') + dir) ? ELOOP : ENOENT;
                opened = fail(ErrorCode::Io, sub.error().message);
            }
            if (!opened && error == ENOENT) {
                entry.status = Status::Skipped;
                entry.reason = QStringLiteral("removed by the user before packaging");
                item.skippedFiles.append(entry);
                continue;
            }
            if (!opened)
                return fail(ErrorCode::Usage,
                            QStringLiteral("%1 in the staging folder cannot be packed: %2; only regular files "
                                           "are packed")
                                .arg(entry.path, opened.error().message));
            auto digest = sha256OfFd(opened->fd.get(), entry.path);
            if (!digest)
                return tl::unexpected(digest.error());
            if (*digest != entry.sha256) {
                entry.sha256 = *digest;
                entry.bytes = opened->stat.size;
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
