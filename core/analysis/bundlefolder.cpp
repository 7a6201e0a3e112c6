// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/analysis/bundlefolder.h"

#include "core/seal/sealing.h"
#include "core/util/safefs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <archive.h>
#include <archive_entry.h>

namespace dc::core::analysis {

namespace {

constexpr qint64 kChunkSize = 256 * 1024;
constexpr qint64 kMaxManifestBytes = 64 * 1024 * 1024;

struct ReaderDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};

Result<void> unpack(const QString &archivePath, const QString &target, qint64 maxBytes)
{
    const QString shown = QDir::toNativeSeparators(archivePath);
    std::unique_ptr<archive, ReaderDeleter> reader(archive_read_new());
    if (!reader)
        return fail(ErrorCode::Internal, QStringLiteral("out of memory"));
    archive_read_support_filter_all(reader.get());
    archive_read_support_format_tar(reader.get());
    archive_read_support_format_zip(reader.get());
    const auto readError = [&](const QString &what) {
        const char *message = archive_error_string(reader.get());
        return fail(ErrorCode::Archive,
                    QStringLiteral("%1 %2: %3")
                        .arg(shown, what, message ? QString::fromLocal8Bit(message) : QStringLiteral("unknown error")));
    };
    if (archive_read_open_filename(reader.get(), QFile::encodeName(archivePath).constData(), 64 * 1024) != ARCHIVE_OK)
        return readError(QStringLiteral("cannot be read as an archive"));
    QString topDir;
    qint64 total = 0;
    std::unique_ptr<char[]> buffer(new char[kChunkSize]);
    while (true) {
        archive_entry *entry = nullptr;
        const int status = archive_read_next_header(reader.get(), &entry);
        if (status == ARCHIVE_EOF)
            break;
        if (status < ARCHIVE_WARN)
            return readError(QStringLiteral("is damaged"));
        const char *utf8 = archive_entry_pathname_utf8(entry);
        const char *raw = utf8 ? utf8 : archive_entry_pathname(entry);
        const QString name = raw ? QString::fromUtf8(raw) : QString();
        const qsizetype slash = name.indexOf(QLatin1Char('/'));
        if (slash <= 0)
            continue;
        if (topDir.isEmpty())
            topDir = name.left(slash);
        const QString relative = name.mid(slash + 1);
        // Only what a diagcollect archive holds: regular files below one top folder.
        if (name.left(slash) != topDir || archive_entry_filetype(entry) != AE_IFREG ||
            archive_entry_hardlink(entry) != nullptr || !safefs::isNormalizedRelative(relative))
            continue;
        const QString path = target + QLatin1Char('/') + relative;
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return fail(ErrorCode::Io, QStringLiteral("cannot create a folder for %1").arg(relative));
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(relative, out.errorString()));
        while (true) {
            const la_ssize_t got = archive_read_data(reader.get(), buffer.get(), size_t(kChunkSize));
            if (got == 0)
                break;
            if (got < 0)
                return readError(QStringLiteral("is damaged (in %1)").arg(relative));
            total += got;
            if (total > maxBytes)
                return fail(ErrorCode::Archive,
                            QStringLiteral("%1 holds more than %2 bytes; not unpacked").arg(shown).arg(maxBytes));
            if (out.write(buffer.get(), got) != got)
                return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(relative, out.errorString()));
        }
    }
    return {};
}

Result<Manifest> readManifest(const QString &folder)
{
    auto opened = safefs::openRegular(folder + QLatin1Char('/') + QLatin1String(Manifest::kFileName));
    if (!opened)
        return fail(ErrorCode::Usage, QStringLiteral("%1 has no manifest.json: not a diagcollect staging folder or "
                                                     "archive")
                                          .arg(QDir::toNativeSeparators(folder)));
    auto bytes = safefs::readAll(opened->fd.get(), kMaxManifestBytes, QString::fromLatin1(Manifest::kFileName));
    if (!bytes)
        return tl::unexpected(bytes.error());
    return Manifest::fromJson(*bytes);
}

} // namespace

Result<std::unique_ptr<BundleFolder>>
BundleFolder::open(const QString &path, const QString &secretKeyFile, qint64 maxBytes)
{
    const QFileInfo info(path);
    std::unique_ptr<BundleFolder> bundle(new BundleFolder);
    if (info.isDir()) {
        bundle->m_folder = info.canonicalFilePath();
    } else if (info.isFile()) {
        bundle->m_temporary = std::make_unique<QTemporaryDir>();
        if (!bundle->m_temporary->isValid())
            return fail(ErrorCode::Io,
                        QStringLiteral("cannot create a temporary folder: %1").arg(bundle->m_temporary->errorString()));
        QFile::setPermissions(bundle->m_temporary->path(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QString archivePath = info.absoluteFilePath();
        if (sealedFileKeyId(archivePath)) {
            if (secretKeyFile.isEmpty())
                return fail(ErrorCode::Usage,
                            QStringLiteral("%1 is sealed: give the secret key with --key FILE").arg(path));
            auto keys = readSecretKeyFile(secretKeyFile);
            if (!keys)
                return tl::unexpected(keys.error());
            const QString plain = bundle->m_temporary->filePath(QStringLiteral("unsealed-archive"));
            auto unsealed = unsealFile(archivePath, plain, *keys);
            if (!unsealed)
                return tl::unexpected(unsealed.error());
            archivePath = plain;
        }
        bundle->m_folder = bundle->m_temporary->filePath(QStringLiteral("bundle"));
        if (!QDir().mkpath(bundle->m_folder))
            return fail(ErrorCode::Io, QStringLiteral("cannot create %1").arg(bundle->m_folder));
        if (auto unpacked = unpack(archivePath, bundle->m_folder, maxBytes); !unpacked)
            return tl::unexpected(unpacked.error());
        if (archivePath != info.absoluteFilePath())
            QFile::remove(archivePath);
    } else {
        return fail(ErrorCode::Usage, QStringLiteral("%1 does not exist").arg(path));
    }
    auto manifest = readManifest(bundle->m_folder);
    if (!manifest)
        return tl::unexpected(manifest.error());
    bundle->m_manifest = *manifest;
    return bundle;
}

} // namespace dc::core::analysis
