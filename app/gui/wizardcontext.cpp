// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/wizardcontext.h"

#include "app/gui/receipts.h"
#include "core/log/logging.h"
#include "core/redact/machinecontext.h"
#include "core/redact/redactor.h"
#include "core/seal/sealing.h"
#include "core/upload/uploader.h"
#include "core/util/paths.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimer>
#include <QtConcurrent>

namespace dc::gui {

using namespace dc::core;

struct WizardContext::PackageOutcome
{
    Result<SaveResult> result;
};

WizardContext::WizardContext(GuiOptions options, GuiStartup startup, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_startup(std::move(startup))
    , m_map(std::make_unique<PseudonymMap>())
{
    connect(&m_scanWatcher, &QFutureWatcherBase::finished, this, &WizardContext::onScanDone);
    connect(&m_packageWatcher, &QFutureWatcherBase::finished, this, [this] {
        const std::shared_ptr<PackageOutcome> outcome = m_packageWatcher.result();
        if (!outcome->result) {
            log::get("gui")->warn("packaging failed: {}", outcome->result.error().message);
            emit packagingFinished(false, outcome->result.error().message);
            return;
        }
        m_saved = *outcome->result;
        writeReceipt(QStringLiteral("saved"), QString());
        emit packagingFinished(true, QString());
    });
}

WizardContext::~WizardContext()
{
    m_cancel = true;
    if (m_uploader)
        m_uploader->cancel();
    if (m_session && m_session->runner())
        m_session->runner()->cancel();
    m_scanWatcher.waitForFinished();
    m_packageWatcher.waitForFinished();
    m_session.reset(); // drains the runner, removes staging
    // No signal from a destructor: only restore and log.
    if (auto released = releaseFullLogging(); !released)
        log::get("gui")->warn("full logging not restored: {}", released.error().message);
}

Result<void> WizardContext::loadProfile()
{
    ProfileLoadOptions loadOptions;
    for (const QString &definition : std::as_const(m_options.defines)) {
        const qsizetype equals = definition.indexOf(QLatin1Char('='));
        if (equals > 0)
            loadOptions.defines.insert(definition.left(equals), definition.mid(equals + 1));
    }
    auto profile = m_options.profilePath.isEmpty() ? loadDefaultProfile(loadOptions)
                                                   : core::loadProfile(m_options.profilePath, loadOptions);
    if (!profile)
        return tl::unexpected(profile.error());
    // The policy wins over the profile: its upload address, sealing and
    // retention replace the profile's, and disabled categories are skipped.
    RunOptions run;
    if (auto applied = applyPolicy(policy(), *profile, run); !applied)
        return tl::unexpected(applied.error());
    m_policySkips = run.policySkips;
    m_profile = std::move(*profile);
    m_fullLogs = m_options.fullLogs && fullLogsAvailable();
    return {};
}

QList<ItemSpec> WizardContext::applicableItems() const
{
    return m_profile ? m_profile->itemsFor(currentPlatformBit(), m_fullLogs) : QList<ItemSpec>();
}

QString WizardContext::lockReason(PolicySetting setting) const
{
    if (!policy().isLocked(setting))
        return {};
    return tr("Set by your administrator's policy (%1).").arg(QDir::toNativeSeparators(policy().source));
}

bool WizardContext::fullLogsAvailable() const
{
    return m_profile && m_profile->fullLogging.isSet() && policy().allowFullLogs;
}

QString WizardContext::fullLogsUnavailableReason() const
{
    if (!policy().allowFullLogs)
        return tr("Full-log mode is not allowed on this computer. %1").arg(lockReason(PolicySetting::FullLogs));
    if (m_profile && !m_profile->fullLogging.isSet())
        return tr("Full-log mode is not available: the profile in use does not say how to raise the product's "
                  "logging.");
    return {};
}

void WizardContext::setFullLogs(bool on)
{
    on = on && fullLogsAvailable();
    if (on == m_fullLogs)
        return;
    m_fullLogs = on;
    if (!on)
        restoreFullLogging();
    emit fullLogsChanged(on);
}

Result<FullLoggingStatus> WizardContext::raiseFullLogging()
{
    if (!m_profile)
        return fail(ErrorCode::Profile, tr("No profile is loaded."));
    if (!fullLogsAvailable())
        return fail(ErrorCode::PolicyRefused, fullLogsUnavailableReason());
    if (m_fullLoggingStatus)
        return *m_fullLoggingStatus; // raised already in this round
    auto fullLogging = std::make_unique<FullLogging>();
    // The profile's cap (max_minutes): the time to reproduce plus the collection.
    auto raised = fullLogging->raise(*m_profile, 0, FullLogging::Owner::ThisProcess);
    if (!raised) {
        log::get("gui")->warn("full logging not raised: {}", raised.error().message);
        return tl::unexpected(raised.error());
    }
    // Joined: someone else turned it on (`full-logging on`); they turn it off.
    if (!raised->joined)
        m_fullLogging = std::move(fullLogging);
    m_fullLoggingStatus = *raised;
    log::get("gui")->info("full logging raised for {} ({}), until {}", raised->record.product, raised->record.target(),
                          raised->record.expires.toString(Qt::ISODate));
    return *raised;
}

Result<RestoreReport> WizardContext::releaseFullLogging()
{
    m_fullLoggingStatus.reset();
    if (!m_fullLogging)
        return RestoreReport{};
    auto released = m_fullLogging->releaseOwn();
    m_fullLogging.reset(); // on failure the state file stays: the next start tries again
    return released;
}

void WizardContext::restoreFullLogging()
{
    if (!m_fullLogging) {
        m_fullLoggingStatus.reset();
        return;
    }
    const QString product = m_fullLoggingStatus ? m_fullLoggingStatus->record.product : QString();
    auto released = releaseFullLogging();
    if (!released) {
        log::get("gui")->warn("full logging not restored: {}", released.error().message);
        emit fullLoggingRestored(false, tr("The normal logging level could not be restored: %1. The next start of "
                                           "this tool tries again.")
                                            .arg(released.error().message));
        return;
    }
    QString text = tr("Full logging is off again: the normal logging level of %1 was restored.").arg(product);
    QStringList details{released->message};
    details += released->warnings;
    details.removeAll(QString());
    if (!details.isEmpty())
        text += QLatin1Char('\n') + tr("Details: %1").arg(details.join(QStringLiteral("; ")));
    emit fullLoggingRestored(released->warnings.isEmpty(), text);
}

bool WizardContext::isRuleLocked(const QString &rule) const
{
    if (policy().forceRedaction)
        return true;
    return std::any_of(policy().redactionPatterns.cbegin(), policy().redactionPatterns.cend(),
                       [&rule](const PolicyPattern &pattern) { return pattern.id == rule; });
}

bool WizardContext::isRedactionLocked(const QString &rule, const QByteArray &value) const
{
    if (isRuleLocked(rule))
        return true;
    if (rule != QLatin1String("keyword"))
        return false;
    const QString text = QString::fromUtf8(value);
    return std::any_of(policy().redactionKeywords.cbegin(), policy().redactionKeywords.cend(),
                       [&text](const QString &keyword) { return keyword.compare(text, Qt::CaseInsensitive) == 0; });
}

void WizardContext::enforcePolicyOnPlan()
{
    RedactionPlan &plan = m_plan;
    if (!policy().forceRedaction && !policy().isLocked(PolicySetting::RedactionRules))
        return;
    // The most specific decision wins (finding > value > rule): set all three
    // for what the policy makes redact, so no "keep" of the user's survives.
    for (const FileFindings &scan : m_scans) {
        for (const Finding &finding : scan.findings) {
            if (!isRedactionLocked(finding.rule, finding.value))
                continue;
            plan.setFindingDecision(scan.file, finding.offset, Decision::Redact);
            plan.setValueDecision(finding.token, Decision::Redact);
            if (isRuleLocked(finding.rule))
                plan.setRuleDecision(finding.rule, Decision::Redact);
        }
    }
    if (policy().forceRedaction) {
        for (const RuleInfo &rule : RedactionRules::builtinRules())
            plan.setRuleDecision(rule.id, Decision::Redact);
        plan.setRuleDecision(QStringLiteral("keyword"), Decision::Redact);
    }
}

Result<void> WizardContext::startCollection()
{
    if (!m_profile)
        return fail(ErrorCode::Profile, tr("No profile is loaded."));
    discard();
    m_cancel = false;
    CollectRequest request;
    request.profile = *m_profile;
    request.caseId = caseId;
    request.run.fullLogs = m_fullLogs;
    // Applied again for this run: it refuses full-log mode when the policy does not allow it.
    if (auto applied = applyPolicy(policy(), request.profile, request.run); !applied)
        return tl::unexpected(applied.error());
    request.run.optedOut = optedOut;
    for (auto it = request.run.policySkips.cbegin(); it != request.run.policySkips.cend(); ++it)
        request.run.optedOut.remove(it.key());
    auto session = CollectSession::create(std::move(request));
    if (!session)
        return tl::unexpected(session.error());
    m_session = std::move(*session);
    CollectionRunner *runner = m_session->runner();
    connect(runner, &CollectionRunner::itemStarted, this, &WizardContext::itemStarted);
    connect(runner, &CollectionRunner::itemFinished, this, &WizardContext::itemFinished);
    connect(runner, &CollectionRunner::progress, this, &WizardContext::collectionProgress);
    connect(runner, &CollectionRunner::finished, this, &WizardContext::onRunnerFinished);
    m_collectionStarted = QDateTime::currentDateTimeUtc();
    log::get("gui")->info("collection started ({} items)", runner->plannedItems().size());
    runner->start();
    return {};
}

CollectionRunner *WizardContext::runner() const { return m_session ? m_session->runner() : nullptr; }

bool WizardContext::isBusy() const
{
    return m_scanning || m_packageWatcher.isRunning() || (m_session && !m_session->manifest().finished.isValid());
}

void WizardContext::cancel()
{
    m_cancel = true;
    if (m_uploader)
        m_uploader->cancel();
    if (m_session && !m_session->manifest().finished.isValid()) {
        // The runner finishes promptly (commands are killed) and reports
        // finished(cancelled); staging goes away there.
        m_session->runner()->cancel();
    }
}

void WizardContext::discard()
{
    if (m_session && m_session->runner())
        m_session->runner()->cancel();
    m_session.reset();
    m_entries.clear();
    m_scans.clear();
    m_scanIndex.clear();
    m_plan = RedactionPlan();
    m_map = std::make_unique<PseudonymMap>();
    m_saved.reset();
}

void WizardContext::onRunnerFinished(const RunSummary &summary)
{
    // Full logging ends with the collection, whatever its outcome.
    restoreFullLogging();
    if (summary.cancelled || m_cancel) {
        // Not from inside the runner's own signal: the session owns the runner.
        QTimer::singleShot(0, this, [this] {
            discard();
            log::get("gui")->info("collection cancelled; staging removed");
            emit collectionFinished(true);
            emit discarded();
        });
        return;
    }
    if (auto finished = m_session->finishCollection(summary); !finished) {
        emit failed(finished.error().message);
        QTimer::singleShot(0, this, [this] {
            discard();
            emit collectionFinished(true);
            emit discarded();
        });
        return;
    }
    m_entries = stagedEntries(m_session->manifest());
    m_baseRules = RedactionRules::defaults(MachineContext::detect());
    if (auto added = addPolicyRedactionRules(policy(), m_baseRules); !added) {
        emit failed(added.error().message);
        QTimer::singleShot(0, this, [this] {
            discard();
            emit collectionFinished(true);
            emit discarded();
        });
        return;
    }
    emit collectionFinished(false);
    startScan();
}

void WizardContext::startScan()
{
    m_scanning = true;
    const Redactor redactor(scanRules(m_baseRules, m_plan));
    const QString dir = stagingPath();
    const QList<StagedEntry> entries = m_entries; // dc::core
    PseudonymMap *map = m_map.get();
    const std::atomic_bool *cancelled = &m_cancel;
    m_scanWatcher.setFuture(QtConcurrent::run([this, redactor, dir, entries, map, cancelled] {
        return scanStaging(
            dir, entries, redactor, *map,
            [this](qint64 done, qint64 total) {
                QMetaObject::invokeMethod(
                    this, [this, done, total] { emit scanProgress(done, total); }, Qt::QueuedConnection);
            },
            cancelled);
    }));
}

void WizardContext::onScanDone()
{
    m_scanning = false;
    auto result = m_scanWatcher.result();
    if (!result) {
        if (result.error().code != ErrorCode::Cancelled)
            emit failed(result.error().message);
        discard();
        emit discarded();
        return;
    }
    m_scans = std::move(*result);
    m_scanIndex.clear();
    for (int i = 0; i < m_scans.size(); ++i)
        m_scanIndex.insert(m_scans.at(i).file, i);
    // As `collect --full-logs`: support asked for the product's dumps, masked in place.
    if (m_fullLogs)
        includeProductCrashDumps(m_plan, m_entries, *m_profile);
    enforcePolicyOnPlan();
    emit reviewReady();
}

const Manifest &WizardContext::manifest() const
{
    static const Manifest empty;
    return m_session ? m_session->manifest() : empty;
}

QString WizardContext::stagingPath() const { return m_session ? m_session->stagingPath() : QString(); }

const FileFindings *WizardContext::findingsFor(const QString &path) const
{
    const int index = m_scanIndex.value(path, -1);
    return index >= 0 ? &m_scans.at(index) : nullptr;
}

void WizardContext::notifyPlanChanged()
{
    enforcePolicyOnPlan();
    emit planChanged();
}

void WizardContext::addTerm(const QString &term)
{
    const QString trimmed = term.trimmed();
    if (trimmed.size() < 2 || m_plan.terms().contains(trimmed))
        return;
    m_plan.addTerm(trimmed);
    rescan();
}

void WizardContext::rescan()
{
    if (!m_session || m_scanning)
        return;
    m_cancel = false;
    startScan();
}

bool WizardContext::isIncluded(const QString &path) const
{
    const FileFindings *scan = findingsFor(path);
    return m_plan.isIncluded(path, scan ? scan->kind : ContentKind::Binary);
}

QMap<Category, WizardContext::CategoryBytes> WizardContext::bytesPerCategory() const
{
    QMap<Category, CategoryBytes> bytes;
    for (Category category : kAllCategories)
        bytes.insert(category, {});
    for (const StagedEntry &entry : m_entries) {
        CategoryBytes &slot = bytes[entry.category];
        (isIncluded(entry.path) ? slot.included : slot.excluded) += entry.bytes;
    }
    return bytes;
}

bool WizardContext::canSeal() const { return m_profile && !m_profile->seal.publicKey.isEmpty(); }

bool WizardContext::sealRequired() const { return m_profile && m_profile->seal.required; }

void WizardContext::startPackaging(const QString &outputDir, bool seal)
{
    if (!m_session || m_packageWatcher.isRunning())
        return;
    m_cancel = false;
    m_saved.reset();
    seal = (seal || sealRequired()) && canSeal();
    const QByteArray sealKey = m_profile->seal.publicKey;
    const Manifest manifest = m_session->manifest();
    const QList<FileFindings> scans = m_scans;
    enforcePolicyOnPlan();
    const RedactionPlan plan = m_plan;
    const RedactionRules base = m_baseRules;
    const QString stagingDir = stagingPath();
    const QString stagingRoot = m_session->request().stagingRoot;
    PseudonymMap *map = m_map.get();
    const std::atomic_bool *cancelled = &m_cancel;
    auto progress = [this](qint64 done, qint64 total) {
        QMetaObject::invokeMethod(
            this, [this, done, total] { emit packagingProgress(done, total); }, Qt::QueuedConnection);
    };
    m_packageWatcher.setFuture(QtConcurrent::run([=]() -> std::shared_ptr<PackageOutcome> {
        auto outcome = std::make_shared<PackageOutcome>();
        // Redaction is the first half of the bar, compression the second.
        auto redacted = redactStaging(
            stagingDir, stagingRoot, manifest, scans, plan, base, *map,
            [&](qint64 done, qint64 total) { progress(total > 0 ? done * 500 / total : 500, 1000); }, cancelled);
        if (!redacted) {
            outcome->result = tl::unexpected(redacted.error());
            return outcome;
        }
        PackageOptions options;
        options.cancelled = cancelled;
        options.progress = [&](qint64 done, qint64 total) {
            progress(500 + (total > 0 ? done * 500 / total : 500), 1000);
        };
        // The last gate: no value chosen for redaction may be in the bytes that leave.
        options.beforeCommit = leakGate(*redacted, map);
        // Named from the redacted manifest: the archive's name and top folder carry
        // the host's pseudonym, never the host name.
        auto packaged =
            packageFolder(redacted->staging->path(), redacted->manifest, outputDir, ArchiveFormat::TarZstd, options);
        redacted->staging->remove();
        if (!packaged) {
            outcome->result = tl::unexpected(packaged.error());
            return outcome;
        }
        SaveResult result;
        result.archive = *packaged;
        result.redacted = redacted->report.redactedTotal();
        result.perRule = redacted->report.perRule();
        result.excludedFiles = redacted->excludedFiles;
        for (const FileFindings &scan : scans)
            for (const Finding &finding : scan.findings)
                if (plan.isIncluded(scan.file, scan.kind) && !plan.shouldRedact(scan.file, finding))
                    ++result.kept;
        const QString mapPath = packaged->path + QStringLiteral(".map.json");
        if (seal) {
            // Fails closed: no unsealed archive is left in place of the sealed one.
            SealOptions sealOptions;
            sealOptions.cancelled = cancelled;
            auto sealed = sealArchive(packaged->path, sealKey, sealOptions);
            if (!sealed) {
                outcome->result = tl::unexpected(sealed.error());
                return outcome;
            }
            result.archive.path = sealed->path;
            result.archive.bytes = sealed->bytes;
            result.archive.sha256 = sealed->sha256;
            result.sealed = true;
        }
        if (auto saved = map->save(mapPath); saved)
            result.mapPath = mapPath;
        outcome->result = result;
        return outcome;
    }));
}

void WizardContext::writeReceipt(const QString &destination, const QString &uploadUrl)
{
    if (!m_saved || !m_session)
        return;
    const Manifest &manifest = m_session->manifest();
    QJsonObject categories;
    QMap<Category, int> itemsPer;
    for (const ItemResult &item : manifest.items)
        itemsPer[item.category] += 1;
    const auto bytes = bytesPerCategory();
    for (auto it = itemsPer.cbegin(); it != itemsPer.cend(); ++it)
        categories.insert(categoryKey(it.key()),
                          QJsonObject{{QStringLiteral("items"), it.value()},
                                      {QStringLiteral("bytes"), bytes.value(it.key()).included}});
    QJsonObject perRule;
    for (auto it = m_saved->perRule.cbegin(); it != m_saved->perRule.cend(); ++it)
        perRule.insert(it.key(), it.value());
    QJsonArray optedOutIds;
    for (const QString &id : std::as_const(optedOut))
        optedOutIds.append(id);
    const QString archiveName = QFileInfo(m_saved->archive.path).fileName();
    QJsonObject receipt;
    if (!m_saved->receiptPath.isEmpty())
        if (auto existing = loadReceipt(m_saved->receiptPath))
            receipt = *existing;
    receipt.insert(QStringLiteral("format"), QStringLiteral("diagcollect-consent-receipt"));
    receipt.insert(QStringLiteral("format_version"), 1);
    if (!receipt.contains(QStringLiteral("when")))
        receipt.insert(QStringLiteral("when"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    receipt.insert(QStringLiteral("case_id"), caseId);
    receipt.insert(QStringLiteral("profile"), m_profile ? m_profile->name : QString());
    receipt.insert(QStringLiteral("categories"), categories);
    receipt.insert(QStringLiteral("items"), int(manifest.items.size()));
    receipt.insert(QStringLiteral("opted_out"), optedOutIds);
    receipt.insert(QStringLiteral("full_logs"), manifest.fullLogs);
    receipt.insert(QStringLiteral("redaction"), QJsonObject{{QStringLiteral("redacted"), m_saved->redacted},
                                                            {QStringLiteral("kept_by_choice"), m_saved->kept},
                                                            {QStringLiteral("excluded_files"), m_saved->excludedFiles},
                                                            {QStringLiteral("terms_added"), int(m_plan.terms().size())},
                                                            {QStringLiteral("per_rule"), perRule}});
    receipt.insert(QStringLiteral("archive"),
                   QJsonObject{{QStringLiteral("name"), archiveName},
                               {QStringLiteral("path"), m_saved->archive.path},
                               {QStringLiteral("bytes"), m_saved->archive.bytes},
                               {QStringLiteral("sha256"), QString::fromLatin1(m_saved->archive.sha256)},
                               {QStringLiteral("sealed"), m_saved->sealed}});
    receipt.insert(QStringLiteral("pseudonym_map"), m_saved->mapPath);
    QJsonArray destinations = receipt.value(QStringLiteral("destinations")).toArray();
    QJsonObject entry{{QStringLiteral("kind"), destination},
                      {QStringLiteral("when"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    if (destination == QLatin1String("saved"))
        entry.insert(QStringLiteral("folder"), QFileInfo(m_saved->archive.path).absolutePath());
    else
        entry.insert(QStringLiteral("url"), uploadUrl);
    destinations.append(entry);
    receipt.insert(QStringLiteral("destinations"), destinations);
    if (auto path = saveReceipt(archiveName, receipt))
        m_saved->receiptPath = *path;
    else
        emit failed(path.error().message);
}

bool WizardContext::canUpload() const
{
    return m_profile && !m_profile->upload.url.isEmpty() && !policy().uploadForbidden;
}

void WizardContext::startUpload()
{
    if (!m_saved || !canUpload() || m_uploader)
        return;
    const UploadSettings &settings = m_profile->upload;
    UploadOptions options;
    options.url = settings.url;
    options.caseId = caseId;
    options.caseHeader = settings.caseHeader;
    options.tokenEnv = settings.tokenEnv;
    options.caCertFile = expandVariables(settings.caCert, *m_profile);
    options.pinSha256 = settings.pinSha256;
    options.chunkBytes = settings.chunkBytes;
    options.sha256 = m_saved->archive.sha256;
    auto *uploader = new Uploader(m_saved->archive.path, options, this);
    m_uploader = uploader;
    connect(uploader, &Uploader::progress, this, &WizardContext::uploadProgress);
    connect(uploader, &Uploader::status, this, &WizardContext::uploadStatus);
    connect(uploader, &Uploader::finished, this, [this, uploader](const UploadOutcome &outcome) {
        uploader->deleteLater();
        if (!outcome.result) {
            emit uploadFinished(false, outcome.result.error().message);
            return;
        }
        writeReceipt(QStringLiteral("uploaded"), outcome.result->url);
        emit uploadFinished(true, outcome.result->host);
    });
    uploader->start();
}

void WizardContext::cancelUpload()
{
    if (m_uploader)
        m_uploader->cancel();
}

} // namespace dc::gui
