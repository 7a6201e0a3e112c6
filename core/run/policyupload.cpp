// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/run/policyupload.h"

#include "core/seal/sealing.h"

#include <QFile>
#include <QFileInfo>

namespace dc::core {

namespace {

QString lockedBy(const Policy &policy) { return QStringLiteral("your administrator's policy (%1)").arg(policy.source); }

// Streams the archive into the private folder under its own name.
Result<QString> copyInto(const QString &archive, const QString &folder, const std::atomic_bool *cancelled)
{
    QFile input(archive);
    if (!input.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(archive, input.errorString()));
    const QString copy = folder + QLatin1Char('/') + QFileInfo(archive).fileName();
    QFile output(copy);
    if (!output.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(copy, output.errorString()));
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    while (true) {
        if (cancelled && cancelled->load())
            return fail(ErrorCode::Cancelled, QStringLiteral("cancelled; nothing was sent"));
        const qint64 n = input.read(buffer.data(), buffer.size());
        if (n < 0)
            return fail(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(archive, input.errorString()));
        if (n == 0)
            break;
        if (output.write(buffer.constData(), n) != n)
            return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(copy, output.errorString()));
    }
    if (!output.flush())
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(copy, output.errorString()));
    return copy;
}

} // namespace

Result<void> applyUploadPolicy(const Policy &policy, UploadOptions &options, bool remoteOption, bool desktop)
{
    if (!policy.present())
        return {};
    if (policy.uploadForbidden)
        return fail(ErrorCode::PolicyRefused,
                    QStringLiteral("uploading is not allowed by your administrator's policy (%1)").arg(policy.source));
    if (!desktop && !policy.allowRemoteRuns && isRemoteRun(remoteOption))
        return fail(ErrorCode::PolicyRefused,
                    QStringLiteral("remote runs are not allowed by your administrator's policy (%1: allow_remote_runs "
                                   "is false); run diagcollect at the machine itself, from a terminal or the desktop "
                                   "wizard")
                        .arg(policy.source));
    if (policy.uploadUrl.isEmpty())
        return {};
    if (options.url.isEmpty())
        options.url = policy.uploadUrl;
    else if (options.url != policy.uploadUrl)
        return fail(ErrorCode::PolicyRefused,
                    QStringLiteral("%1 sends archives only to %2").arg(lockedBy(policy), policy.uploadUrl));
    return {};
}

Result<SendableArchive> sendableArchive(const QString &archive,
                                        const Policy &policy,
                                        const QString &stagingRoot,
                                        const std::atomic_bool *cancelled)
{
    SendableArchive sendable;
    sendable.path = archive;
    if (!policy.present() || !policy.requireSealing)
        return sendable;
    auto folder = Staging::create(stagingRoot);
    if (!folder)
        return tl::unexpected(folder.error());
    auto copy = copyInto(archive, (*folder)->path(), cancelled);
    if (!copy)
        return tl::unexpected(copy.error());
    const auto keyId = checkSealedFile(*copy, cancelled);
    if (!keyId) {
        if (keyId.error().code == ErrorCode::Cancelled || keyId.error().code == ErrorCode::Io)
            return tl::unexpected(keyId.error());
        return fail(ErrorCode::PolicyRefused,
                    QStringLiteral("%1 sends only sealed archives (%2); seal it first: diagcollect seal %3")
                        .arg(lockedBy(policy), keyId.error().message, archive));
    }
    if (!policy.sealPublicKey.isEmpty() && *keyId != sealKeyId(policy.sealPublicKey))
        return fail(ErrorCode::PolicyRefused,
                    QStringLiteral("%1 is sealed to key %2, but %3 requires key %4")
                        .arg(archive, *keyId, lockedBy(policy), sealKeyId(policy.sealPublicKey)));
    sendable.path = *copy;
    sendable.copyFolder = std::move(*folder);
    return sendable;
}

Result<UploadReport> uploadUnderPolicy(const QString &archive,
                                       UploadOptions options,
                                       const Policy &policy,
                                       bool remoteOption,
                                       const UploadCallbacks &callbacks,
                                       UploadReport *attempt)
{
    if (auto allowed = applyUploadPolicy(policy, options, remoteOption); !allowed)
        return tl::unexpected(allowed.error());
    auto sendable = sendableArchive(archive, policy, {}, callbacks.cancelled);
    if (!sendable)
        return tl::unexpected(sendable.error());
    if (sendable->copyFolder)
        options.sha256.clear(); // computed from the copy that is sent
    auto sent = uploadFile(sendable->path, options, callbacks, attempt);
    if (!sent && sendable->copyFolder) { // the copy goes away: name the user's file
        sent.error().message.replace(sendable->path, archive);
        if (attempt)
            attempt->failure.replace(sendable->path, archive);
    }
    return sent;
}

} // namespace dc::core
