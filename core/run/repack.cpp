// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/run/repack.h"

#include "core/analysis/analyzer.h"
#include "core/analysis/findingsfile.h"
#include "core/analysis/ruleset.h"
#include "core/collect/collectsession.h"
#include "core/redact/redactor.h"
#include "core/redact/stagingredactor.h"
#include "core/run/redactionsetup.h"
#include "core/seal/sealing.h"
#include "core/util/paths.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace dc::core {

Result<Delivery> packStaging(const PackRequest &request, const Policy &policy, const std::atomic_bool *cancelled)
{
    const bool seal = policy.present() && policy.requireSealing;
    if (seal && policy.sealPublicKey.isEmpty())
        return fail(ErrorCode::PolicyRefused,
                    QStringLiteral("your administrator's policy (%1) requires sealed archives but names no key "
                                   "(seal_public_key): pack cannot seal; package it with collect instead")
                        .arg(policy.source));
    const QString stagingDir = QDir(request.stagingDir).absolutePath();
#ifdef Q_OS_UNIX
    // Packs of one kept folder take turns: each rewrites its manifest, summary
    // and findings in place, which another pack would read half-written.
    const int folderFd = ::open(QFile::encodeName(stagingDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const auto releaseFolder = qScopeGuard([folderFd] {
        if (folderFd >= 0)
            ::close(folderFd);
    });
    if (folderFd >= 0) {
        while (::flock(folderFd, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
#endif
    auto manifest = refreshStaging(stagingDir);
    if (!manifest)
        return tl::unexpected(manifest.error());
    const QString outputDir =
        QDir(request.outputDir.isEmpty() ? paths::defaultOutputDir() : request.outputDir).absolutePath();
    if (auto prepared = prepareOutputFolder(outputDir); !prepared)
        return tl::unexpected(prepared.error());
    analysis::RuleSelection selection{
        request.profilePath.isEmpty() ? manifest->profileSource : request.profilePath, request.analysisRulesFiles, {}};
    selection.disabled = QSet<QString>(policy.disabledAnalysisRules.cbegin(), policy.disabledAnalysisRules.cend());
    auto analysisRules = analysis::selectRules(selection);
    if (!analysisRules)
        return fail(ErrorCode::Profile, analysisRules.error().message);

    Delivery delivery;
    QString folder = stagingDir;
    Manifest packaged = *manifest;
    PackageOptions options;
    options.cancelled = cancelled;
    PseudonymMap map;
    std::optional<RedactedStaging> redacted;
    if (policy.forceRedaction) {
        // What a hand edit may have put back (or a folder kept without
        // redaction) is redacted like a run; the leak check is the last gate.
        auto rules = redactionRulesFor(policy);
        if (!rules)
            return tl::unexpected(rules.error());
        const QList<StagedEntry> entries = stagedEntries(*manifest);
        auto scans = scanStaging(stagingDir, entries, Redactor(*rules), map, {}, cancelled, 0);
        if (!scans)
            return tl::unexpected(scans.error());
        // Not in the staging root itself: creating a folder there removes the
        // folders of dead runs, and the kept folder being packed is one.
        const QString copyRoot =
            (request.stagingRoot.isEmpty() ? paths::stagingRoot() : request.stagingRoot) + QStringLiteral("/pack");
        auto copy = redactStaging(stagingDir, copyRoot, *manifest, *scans, RedactionPlan(), *rules, map, {}, cancelled);
        if (!copy)
            return tl::unexpected(copy.error());
        redacted = std::move(*copy);
        folder = redacted->staging->path();
        packaged = redacted->manifest;
        options.beforeCommit = leakGate(*redacted, &map);
        delivery.redactionOn = true;
        delivery.redacted = redacted->report.redactedTotal();
        delivery.perRule = redacted->report.perRule();
        delivery.excludedFiles = redacted->excludedFiles;
    }
    // Analysed again, on what is packaged: the findings of the first run may
    // not hold for files edited by hand. Never fails the pack.
    if (auto analysed = analysis::analyzeStaging(folder, packaged, *analysisRules, {{}, {}, cancelled})) {
        delivery.findings = *analysed;
        const auto redactText = [&](const QString &text) {
            return redacted ? redacted->applier->redact(text, map) : text;
        };
        if (auto written = analysis::writeFindings(folder, packaged, delivery.findings,
                                                   redacted ? std::function<QString(const QString &)>(redactText)
                                                            : std::function<QString(const QString &)>());
            !written) {
            delivery.warnings.append(
                QStringLiteral("findings.json could not be written: %1").arg(written.error().message));
            delivery.findings = {};
        } else if (redacted) {
            redacted->manifest = packaged;
            options.beforeCommit = leakGate(*redacted, &map);
        }
    } else if (analysed.error().code == ErrorCode::Cancelled) {
        return tl::unexpected(analysed.error());
    } else {
        delivery.warnings.append(analysed.error().message);
    }
    auto archive = packageFolder(folder, packaged, outputDir, request.format, options);
    if (!archive)
        return tl::unexpected(archive.error());
    delivery.archive = *archive;
    delivery.manifest = packaged;
    const QString mapPath = mapPathFor(archive->path);
    if (seal) {
        SealOptions sealOptions;
        sealOptions.cancelled = cancelled;
        auto sealed = sealArchive(archive->path, policy.sealPublicKey, sealOptions);
        if (!sealed)
            return tl::unexpected(sealed.error());
        delivery.archive.path = sealed->path;
        delivery.archive.bytes = sealed->bytes;
        delivery.archive.sha256 = sealed->sha256;
        delivery.sealed = true;
        delivery.sealKeyId = sealed->keyId;
    }
    if (redacted) {
        if (auto saved = map.save(mapPath); saved)
            delivery.mapPath = mapPath;
        else
            delivery.warnings.append(
                QStringLiteral("the pseudonym map could not be saved: %1").arg(saved.error().message));
    }
    return delivery;
}

} // namespace dc::core
