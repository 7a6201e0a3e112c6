// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/run/collectionjob.h"

#include "core/analysis/analyzer.h"
#include "core/analysis/findingsfile.h"
#include "core/analysis/ruleset.h"
#include "core/log/logging.h"
#include "core/profile/defines.h"
#include "core/redact/redactor.h"
#include "core/retention/retention.h"
#include "core/run/policyupload.h"
#include "core/run/receipts.h"
#include "core/run/redactionsetup.h"
#include "core/seal/sealing.h"
#include "core/util/paths.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>
#include <QtConcurrent>

namespace dc::core {

namespace {

// The run's analysis rules (selected by create()) over a staging folder: the
// one collected (the wizard's findings) or the one packaged (findings.json);
// `liveFolders`: the staging root and the output folder, whose free space the
// space rules check.
Result<analysis::Findings> analyseFolder(const QString &folder,
                                         const Manifest &manifest,
                                         const QList<analysis::Rule> &rules,
                                         const QStringList &liveFolders,
                                         const std::atomic_bool *cancelled)
{
    analysis::AnalysisOptions options;
    options.cancelled = cancelled;
    const QStringList labels{QStringLiteral("staging folder"), QStringLiteral("output folder")};
    for (qsizetype i = 0; i < liveFolders.size() && i < labels.size(); ++i) {
        if (!liveFolders[i].isEmpty())
            options.liveFolders.append(analysis::LiveFolder{labels[i], liveFolders[i]});
    }
    return analysis::analyzeStaging(folder, manifest, rules, options);
}

QString lockedBy(const Policy &policy)
{
    return CollectionJob::tr("your administrator's policy (%1)").arg(policy.source);
}

Error cancelledError() { return Error{ErrorCode::Cancelled, CollectionJob::tr("cancelled; nothing was written")}; }

Result<Profile> loadRequestedProfile(const RunRequest &request)
{
    return loadProfileWithDefines(request.profilePath, request.defines);
}

// What the request asks that only the policy can refuse, before it is applied.
Result<void> checkRequestAgainstPolicy(const RunRequest &request, const Policy &policy)
{
    if (!policy.present())
        return {};
    if (!request.desktop && !policy.allowRemoteRuns && isRemoteRun(request.remote))
        return fail(
            ErrorCode::PolicyRefused,
            CollectionJob::tr("remote runs are not allowed by your administrator's policy (%1: allow_remote_runs "
                              "is false); run diagcollect at the machine itself, from a terminal or the desktop "
                              "wizard")
                .arg(policy.source));
    if (!request.redact)
        if (auto allowed = checkRedactionMayBeOff(policy); !allowed)
            return allowed;
    if (!request.uploadUrl.isEmpty()) {
        if (policy.uploadForbidden)
            return fail(ErrorCode::PolicyRefused,
                        CollectionJob::tr("--upload: %1 does not allow uploading").arg(lockedBy(policy)));
        if (!policy.uploadUrl.isEmpty() && request.uploadUrl != policy.uploadUrl)
            return fail(
                ErrorCode::PolicyRefused,
                CollectionJob::tr("--upload: %1 sends archives only to %2").arg(lockedBy(policy), policy.uploadUrl));
    }
    if (policy.retentionDays && request.retentionDays && *request.retentionDays != *policy.retentionDays)
        return fail(ErrorCode::PolicyRefused, CollectionJob::tr("--retention-days: %1 sets retention to %2 days")
                                                  .arg(lockedBy(policy))
                                                  .arg(*policy.retentionDays));
    return {};
}

Result<void> checkSkips(const RunRequest &request, const Profile &profile)
{
    for (const QString &id : request.optedOut) {
        const auto it = std::find_if(profile.items.cbegin(), profile.items.cend(),
                                     [&](const ItemSpec &item) { return item.id == id; });
        if (it == profile.items.cend())
            return fail(ErrorCode::Usage, CollectionJob::tr("--skip: the profile has no item \"%1\"").arg(id));
        if (it->essential)
            return fail(ErrorCode::Usage,
                        CollectionJob::tr("--skip: \"%1\" is essential and cannot be left out").arg(id));
    }
    return {};
}

} // namespace

struct CollectionJob::DeliverOutcome
{
    Result<Delivery> result = tl::unexpected(Error{});
};

struct CollectionJob::UploadCheck
{
    UploadOptions options;
    Result<SendableArchive> sendable = tl::unexpected(Error{});
};

struct CollectionJob::AnalysisOutcome
{
    quint64 generation = 0;
    Result<analysis::Findings> result = tl::unexpected(Error{});
};

Result<std::unique_ptr<CollectionJob>> CollectionJob::create(RunRequest request, Policy policy, QObject *parent)
{
    if (request.outputDir.isEmpty())
        request.outputDir = paths::defaultOutputDir();
    request.outputDir = QDir(request.outputDir).absolutePath();
    auto profile = loadRequestedProfile(request);
    if (!profile)
        return tl::unexpected(profile.error());
    if (auto allowed = checkRequestAgainstPolicy(request, policy); !allowed)
        return tl::unexpected(allowed.error());
    // The policy wins over the profile: its upload address, sealing and
    // retention replace the profile's, and disabled categories are skipped.
    RunOptions run;
    run.fullLogs = request.fullLogs;
    if (auto applied = applyPolicy(policy, *profile, run); !applied)
        return tl::unexpected(applied.error());
    if (policy.forceRedaction)
        request.redact = true;
    // A root run refuses an output folder another user could steer; the wizard
    // checks the folder the user picks when it saves.
    if (!request.desktop)
        if (auto prepared = prepareOutputFolder(request.outputDir); !prepared)
            return tl::unexpected(prepared.error());
    if (request.seal && profile->seal.publicKey.isEmpty())
        return fail(ErrorCode::Usage, CollectionJob::tr("--seal needs a profile with seal.public_key"));
    if (!request.uploadUrl.isEmpty())
        if (auto url = resolveUploadUrl(request.uploadUrl, request.caseId, QStringLiteral("archive")); !url)
            return fail(ErrorCode::Usage, url.error().message);
    if (request.retentionDays && *request.retentionDays < 0)
        return fail(ErrorCode::Usage, CollectionJob::tr("--retention-days expects a number of days"));
    // Checked before anything is collected: a bad rules file is a usage error,
    // not a surprise after a long collection.
    auto rules = redactionRulesFor(policy, request.redactTerms, request.redactRulesFile);
    if (!rules)
        return tl::unexpected(rules.error());
    if (auto skips = checkSkips(request, *profile); !skips)
        return tl::unexpected(skips.error());
    // The analysis rules too (the profile's <name>.rules.json, --rules): a
    // mistake stops the run here, naming the file and the JSON path.
    analysis::RuleSelection selection{profile->sourcePath, request.analysisRulesFiles, {}};
    selection.disabled = QSet<QString>(policy.disabledAnalysisRules.cbegin(), policy.disabledAnalysisRules.cend());
    auto analysisRules = analysis::selectRules(selection);
    if (!analysisRules)
        return fail(ErrorCode::Profile, analysisRules.error().message);
    auto job = std::unique_ptr<CollectionJob>(
        new CollectionJob(std::move(request), std::move(policy), std::move(*profile), std::move(*rules), parent));
    job->m_policySkips = run.policySkips;
    job->m_analysisRules = std::move(*analysisRules);
    if (!job->m_policySkips.isEmpty())
        log::get("core")->info("{} items skipped by the administrator's policy", job->m_policySkips.size());
    return job;
}

CollectionJob::CollectionJob(RunRequest request, Policy policy, Profile profile, RedactionRules rules, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_policy(std::move(policy))
    , m_profile(std::move(profile))
    , m_rules(std::move(rules))
    , m_map(std::make_unique<PseudonymMap>())
{
    connect(&m_scanWatcher, &QFutureWatcherBase::finished, this, &CollectionJob::onScanned);
    connect(&m_deliverWatcher, &QFutureWatcherBase::finished, this, &CollectionJob::onDelivered);
    connect(&m_uploadCheckWatcher, &QFutureWatcherBase::finished, this, &CollectionJob::onUploadChecked);
    connect(&m_analysisWatcher, &QFutureWatcherBase::finished, this, &CollectionJob::onAnalysed);
}

CollectionJob::~CollectionJob()
{
    m_cancel = true;
    if (m_uploader)
        m_uploader->cancel();
    if (runner())
        runner()->cancel();
    m_uploadCheckCancel = true;
    m_scanWatcher.waitForFinished();
    m_deliverWatcher.waitForFinished();
    m_uploadCheckWatcher.waitForFinished();
    stopAnalysis();
    m_session.reset(); // drains the runner, removes staging (unless kept)
}

Result<void> CollectionJob::setFullLogs(bool on)
{
    if (on && m_policy.present() && !m_policy.allowFullLogs)
        return fail(ErrorCode::PolicyRefused,
                    tr("full-log mode is not allowed by your administrator's policy (%1)").arg(m_policy.source));
    m_request.fullLogs = on;
    if (!on)
        releaseFullLogging();
    return {};
}

Result<FullLoggingStatus> CollectionJob::raiseFullLogging()
{
    if (m_policy.present() && !m_policy.allowFullLogs)
        return fail(ErrorCode::PolicyRefused,
                    tr("full-log mode is not allowed by your administrator's policy (%1)").arg(m_policy.source));
    return m_fullLogRound.raise(m_profile);
}

void CollectionJob::releaseFullLogging()
{
    if (!m_fullLogRound.ownsRaise()) {
        (void)m_fullLogRound.release();
        return;
    }
    const QString product = m_fullLogRound.status() ? m_fullLogRound.status()->record.product : QString();
    auto released = m_fullLogRound.release();
    if (!released) {
        log::get("core")->warn("full logging not restored: {}", released.error().message);
        emit fullLoggingReleased(product, false, released.error().message, {});
        return;
    }
    emit fullLoggingReleased(product, true, released->message, released->warnings);
}

void CollectionJob::enterStage(Stage stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    emit stageChanged(stage);
}

void CollectionJob::runStageHook(Stage stage)
{
    if (m_stageHook)
        m_stageHook(stage);
}

Result<void> CollectionJob::start()
{
    if (isBusy())
        return fail(ErrorCode::Usage, tr("a collection is already under way"));
    discard();
    m_cancel = false;
    CollectRequest request;
    request.profile = m_profile;
    request.caseId = m_request.caseId;
    request.stagingRoot = m_request.stagingRoot;
    request.run.fullLogs = m_request.fullLogs;
    request.run.policySkips = m_policySkips;
    request.run.optedOut = m_request.optedOut;
    for (auto it = m_policySkips.cbegin(); it != m_policySkips.cend(); ++it)
        request.run.optedOut.remove(it.key());
    auto session = CollectSession::create(std::move(request));
    if (!session)
        return tl::unexpected(session.error());
    m_session = std::move(*session);
    // Under force_redaction only the redacted copy may be kept.
    m_session->staging().setKeep(m_request.keepStaging && !(m_request.redact && m_policy.forceRedaction));
    CollectionRunner *collector = m_session->runner();
    connect(collector, &CollectionRunner::itemStarted, this, &CollectionJob::itemStarted);
    connect(collector, &CollectionRunner::itemFinished, this, &CollectionJob::itemFinished);
    connect(collector, &CollectionRunner::progress, this, &CollectionJob::collectionProgress);
    connect(collector, &CollectionRunner::finished, this, &CollectionJob::onCollected);
    m_collectionStarted = QDateTime::currentDateTimeUtc();
    log::get("core")->info("collecting with profile {} ({}), {} items", m_profile.name, m_profile.sourcePath,
                           collector->plannedItems().size());
    enterStage(Stage::Collecting);
    runStageHook(Stage::Collecting);
    if (m_cancel)
        collector->cancel();
    collector->start();
    return {};
}

void CollectionJob::cancel()
{
    m_cancel = true;
    m_uploadCheckCancel = true;
    // The rest touches objects of the owner thread.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_uploader)
                m_uploader->cancel();
            if (runner() && m_stage == Stage::Collecting)
                runner()->cancel(); // finished(cancelled) follows: staging goes there
            else if (m_stage == Stage::Review || m_stage == Stage::Delivered || m_stage == Stage::Failed) {
                discard();
                emit discarded();
            }
        },
        thread() == QThread::currentThread() ? Qt::DirectConnection : Qt::QueuedConnection);
}

void CollectionJob::discard()
{
    if (runner())
        runner()->cancel();
    stopAnalysis();
    if (m_session)
        m_session->staging().setKeep(m_session->staging().keep() && m_stage == Stage::Delivered);
    m_session.reset();
    m_uploadCopy.reset();
    m_entries.clear();
    m_scans.clear();
    m_scanIndex.clear();
    m_plan = RedactionPlan();
    m_map = std::make_unique<PseudonymMap>();
    m_delivery.reset();
    m_uploadReport.reset();
    enterStage(Stage::Ready);
}

bool CollectionJob::isBusy() const
{
    switch (m_stage) {
    case Stage::Collecting:
    case Stage::Scanning:
    case Stage::Redacting:
    case Stage::Packaging:
    case Stage::Sealing:
    case Stage::Uploading:
        return true;
    default:
        return m_scanWatcher.isRunning() || m_deliverWatcher.isRunning();
    }
}

bool CollectionJob::hasUndeliveredWork() const
{
    return (m_stage == Stage::Review || isBusy()) && !m_delivery && m_stage != Stage::Uploading;
}

void CollectionJob::failRun(const Error &error)
{
    m_error = error;
    log::get("core")->warn("run failed: {}", error.message);
    enterStage(Stage::Failed);
    emit failed(error.message);
    // Not from inside the runner's own signal: the session owns the runner.
    QTimer::singleShot(0, this, [this] {
        discard();
        enterStage(Stage::Failed);
        emit discarded();
    });
}

void CollectionJob::onCollected(const RunSummary &summary)
{
    // Full logging ends with the collection, whatever its outcome.
    releaseFullLogging();
    if (summary.cancelled || m_cancel) {
        m_error = cancelledError();
        QTimer::singleShot(0, this, [this] {
            discard();
            log::get("core")->info("collection cancelled; staging removed");
            emit collectionFinished(true);
            emit discarded();
        });
        return;
    }
    if (auto finished = m_session->finishCollection(summary); !finished) {
        emit collectionFinished(true);
        failRun(finished.error());
        return;
    }
    m_entries = stagedEntries(m_session->manifest());
    // Before collectionFinished: a front end moving on sees isAnalysing().
    if (m_request.storeFindings)
        startAnalysis();
    emit collectionFinished(false);
    if (!m_request.redact) {
        enterStage(Stage::Review);
        emit reviewReady();
        return;
    }
    startScan();
}

void CollectionJob::startScan()
{
    enterStage(Stage::Scanning);
    runStageHook(Stage::Scanning);
    const Redactor redactor(scanRules(m_rules, m_plan));
    const QString dir = stagingPath();
    const QList<StagedEntry> entries = m_entries;
    PseudonymMap *map = m_map.get();
    const std::atomic_bool *cancelled = &m_cancel;
    const qint64 stored = m_request.storeFindings ? StreamOptions().maxStoredFindings : 0;
    m_scanWatcher.setFuture(QtConcurrent::run([this, redactor, dir, entries, map, cancelled, stored] {
        QElapsedTimer timer;
        timer.start();
        auto scanned = scanStaging(
            dir, entries, redactor, *map,
            [this](qint64 done, qint64 total) {
                QMetaObject::invokeMethod(
                    this, [this, done, total] { emit scanProgress(done, total); }, Qt::QueuedConnection);
            },
            cancelled, stored);
        log::get("core")->info("redaction: scanned {} files in {} ms, {} values chosen", entries.size(),
                               timer.elapsed(), map->size());
        return scanned;
    }));
}

void CollectionJob::onScanned()
{
    auto result = m_scanWatcher.result();
    if (!result || m_cancel) {
        m_error = result ? cancelledError() : result.error();
        if (m_error.code != ErrorCode::Cancelled)
            emit failed(m_error.message);
        discard();
        if (m_error.code != ErrorCode::Cancelled)
            enterStage(Stage::Failed);
        emit discarded();
        return;
    }
    m_scans = std::move(*result);
    m_scanIndex.clear();
    for (int i = 0; i < m_scans.size(); ++i)
        m_scanIndex.insert(m_scans.at(i).file, i);
    if (m_request.includeBinary)
        for (const FileFindings &scan : std::as_const(m_scans))
            if (scan.kind == ContentKind::Binary)
                m_plan.setFileChoice(scan.file, FileChoice::Include);
    // Full-log mode: support asked for the product's dumps, masked in place.
    if (m_request.fullLogs)
        includeProductCrashDumps(m_plan, m_entries, m_profile);
    enforcePlan();
    enterStage(Stage::Review);
    emit reviewReady();
}

void CollectionJob::startAnalysis()
{
    stopAnalysis();
    m_analysisCancel = false;
    const quint64 generation = m_analysisGeneration;
    const QString dir = stagingPath();
    const Manifest manifest = m_session->manifest();
    const QList<analysis::Rule> rules = m_analysisRules;
    const QStringList live{m_request.stagingRoot.isEmpty() ? paths::stagingRoot() : m_request.stagingRoot,
                           m_request.outputDir};
    const std::atomic_bool *cancelled = &m_analysisCancel;
    m_analysisWatcher.setFuture(QtConcurrent::run([=] {
        auto outcome = std::make_shared<AnalysisOutcome>();
        outcome->generation = generation;
        outcome->result = analyseFolder(dir, manifest, rules, live, cancelled);
        return outcome;
    }));
}

// Stops a running analysis and forgets its result, so that a finished signal
// still queued from it is ignored.
void CollectionJob::stopAnalysis()
{
    m_analysisCancel = true;
    m_analysisWatcher.waitForFinished();
    ++m_analysisGeneration;
    m_stagedFindings.reset();
}

void CollectionJob::onAnalysed()
{
    const std::shared_ptr<AnalysisOutcome> outcome = m_analysisWatcher.result();
    if (!outcome || outcome->generation != m_analysisGeneration || !m_session)
        return;
    if (outcome->result)
        m_stagedFindings = std::move(*outcome->result);
    else
        log::get("core")->info("analysis of the staged data stopped: {}", outcome->result.error().message);
    emit analysisReady();
}

const Manifest &CollectionJob::manifest() const
{
    static const Manifest empty;
    return m_session ? m_session->manifest() : empty;
}

QString CollectionJob::stagingPath() const { return m_session ? m_session->stagingPath() : QString(); }

const FileFindings *CollectionJob::findingsFor(const QString &path) const
{
    const int index = m_scanIndex.value(path, -1);
    return index >= 0 ? &m_scans.at(index) : nullptr;
}

bool CollectionJob::isRuleLocked(const QString &rule) const
{
    if (m_policy.forceRedaction)
        return true;
    return std::any_of(m_policy.redactionPatterns.cbegin(), m_policy.redactionPatterns.cend(),
                       [&rule](const PolicyPattern &pattern) { return pattern.id == rule; });
}

bool CollectionJob::isRedactionLocked(const QString &rule, const QByteArray &value) const
{
    if (isRuleLocked(rule))
        return true;
    if (rule != QLatin1String("keyword"))
        return false;
    const QString text = QString::fromUtf8(value);
    return std::any_of(m_policy.redactionKeywords.cbegin(), m_policy.redactionKeywords.cend(),
                       [&text](const QString &keyword) { return keyword.compare(text, Qt::CaseInsensitive) == 0; });
}

void CollectionJob::setPlan(RedactionPlan plan)
{
    m_plan = std::move(plan);
    enforcePlan();
    emit planChanged();
}

void CollectionJob::enforcePlan()
{
    if (!m_policy.forceRedaction && !m_policy.isLocked(PolicySetting::RedactionRules))
        return;
    // The most specific decision wins (finding > value > rule): set all three
    // for what the policy makes redact, so no "keep" of the user's survives.
    for (const FileFindings &scan : std::as_const(m_scans)) {
        for (const Finding &finding : scan.findings) {
            if (!isRedactionLocked(finding.rule, finding.value))
                continue;
            m_plan.setFindingDecision(scan.file, finding.offset, Decision::Redact);
            m_plan.setValueDecision(finding.token, Decision::Redact);
            if (isRuleLocked(finding.rule))
                m_plan.setRuleDecision(finding.rule, Decision::Redact);
        }
    }
    if (m_policy.forceRedaction) {
        for (const RuleInfo &rule : RedactionRules::builtinRules())
            m_plan.setRuleDecision(rule.id, Decision::Redact);
        m_plan.setRuleDecision(QStringLiteral("keyword"), Decision::Redact);
    }
}

void CollectionJob::addTerm(const QString &term)
{
    const QString trimmed = term.trimmed();
    if (trimmed.size() < 2 || m_plan.terms().contains(trimmed))
        return;
    m_plan.addTerm(trimmed);
    rescan();
}

void CollectionJob::rescan()
{
    if (!m_session || m_stage != Stage::Review || !m_request.redact)
        return;
    m_cancel = false;
    startScan();
}

bool CollectionJob::isIncluded(const QString &path) const
{
    const FileFindings *scan = findingsFor(path);
    return m_plan.isIncluded(path, scan ? scan->kind : ContentKind::Binary);
}

void CollectionJob::deliver(const QString &requestedOutputDir, bool seal)
{
    if (!m_session || (m_stage != Stage::Review && m_stage != Stage::Delivered))
        return;
    m_cancel = false;
    m_delivery.reset();
    m_uploadReport.reset();
    const QString outputDir =
        requestedOutputDir.isEmpty() ? m_request.outputDir : QDir(requestedOutputDir).absolutePath();
    seal = (seal || m_request.seal || sealRequired()) && canSeal();
    enforcePlan();
    const bool redact = m_request.redact;
    const bool keep = m_request.keepStaging;
    const StagedOriginals originals =
        m_deliversOnce && !m_session->staging().keep() ? StagedOriginals::Consume : StagedOriginals::Keep;
    const QByteArray sealKey = m_profile.seal.publicKey;
    const ArchiveFormat format = m_request.format;
    const Manifest manifest = m_session->manifest();
    const QList<FileFindings> scans = m_scans;
    const RedactionPlan plan = m_plan;
    const RedactionRules rules = m_rules;
    const QString stagingDir = stagingPath();
    const QString stagingRoot = m_request.stagingRoot;
    const QList<analysis::Rule> analysisRules = m_analysisRules;
    PseudonymMap *map = m_map.get();
    const std::atomic_bool *cancelled = &m_cancel;
    auto progress = [this](qint64 done, qint64 total) {
        QMetaObject::invokeMethod(
            this, [this, done, total] { emit packagingProgress(done, total); }, Qt::QueuedConnection);
    };
    auto stage = [this](Stage next) {
        QMetaObject::invokeMethod(
            this, [this, next] { enterStage(next); }, Qt::QueuedConnection);
        runStageHook(next);
    };
    enterStage(Stage::Redacting);
    m_deliverWatcher.setFuture(QtConcurrent::run([=, this]() -> std::shared_ptr<DeliverOutcome> {
        auto outcome = std::make_shared<DeliverOutcome>();
        runStageHook(Stage::Redacting);
        Delivery delivery;
        delivery.redactionOn = redact;
        QString folder = stagingDir;
        Manifest packagedManifest = manifest;
        PackageOptions options;
        options.cancelled = cancelled;
        std::optional<RedactedStaging> redacted;
        QSet<QByteArray> keptTokens; // the map leaves out what the user kept everywhere
        QElapsedTimer timer;
        timer.start();
        const auto phaseDone = [&timer](const char *phase) {
            log::get("core")->info("{} in {} ms", phase, timer.restart());
        };
        if (redact) {
            // Redaction is the first half of the bar, compression the second.
            auto copy = redactStaging(
                stagingDir, stagingRoot, manifest, scans, plan, rules, *map,
                [&](qint64 done, qint64 total) { progress(total > 0 ? done * 500 / total : 500, 1000); }, cancelled,
                originals);
            if (!copy) {
                outcome->result = tl::unexpected(copy.error());
                return outcome;
            }
            redacted = std::move(*copy);
            phaseDone("redaction: wrote the redacted copy");
            folder = redacted->staging->path();
            // Named from the redacted manifest: the archive's name and top folder
            // carry the host's pseudonym, never the host name.
            packagedManifest = redacted->manifest;
            // The last gate: no value chosen for redaction may be in the bytes that leave.
            options.beforeCommit = leakGate(*redacted, map);
            delivery.redacted = redacted->report.redactedTotal();
            delivery.perRule = redacted->report.perRule();
            delivery.excludedFiles = redacted->excludedFiles;
            QSet<QByteArray> redactedTokens;
            for (const FileFindings &scan : scans) {
                if (!plan.isIncluded(scan.file, scan.kind))
                    continue;
                for (const Finding &finding : scan.findings) {
                    if (!plan.shouldRedact(scan.file, finding)) {
                        ++delivery.kept;
                        keptTokens.insert(finding.token);
                    } else {
                        redactedTokens.insert(finding.token);
                    }
                }
            }
            // A value kept wherever it was found is not in the map either.
            keptTokens.subtract(redactedTokens);
        }
        // What looks wrong, found in the copy that leaves (redacted evidence),
        // into findings.json and on top of summary.html; never fails the run.
        if (auto analysed =
                analyseFolder(folder, packagedManifest, analysisRules,
                              {stagingRoot.isEmpty() ? paths::stagingRoot() : stagingRoot, outputDir}, cancelled)) {
            delivery.findings = *analysed;
            const auto redactText = [&](const QString &text) {
                return redacted ? redacted->applier->redact(text, *map) : text;
            };
            if (auto written = analysis::writeFindings(folder, packagedManifest, delivery.findings,
                                                       redact ? std::function<QString(const QString &)>(redactText)
                                                              : std::function<QString(const QString &)>());
                !written) {
                delivery.warnings.append(
                    CollectionJob::tr("findings.json could not be written: %1").arg(written.error().message));
                delivery.findings = {};
            } else if (redacted) {
                redacted->manifest = packagedManifest;
                options.beforeCommit = leakGate(*redacted, map);
            }
        } else if (analysed.error().code == ErrorCode::Cancelled) {
            outcome->result = tl::unexpected(analysed.error());
            return outcome;
        } else {
            delivery.warnings.append(analysed.error().message);
        }
        phaseDone("analysis");
        stage(Stage::Packaging);
        options.progress = [&](qint64 done, qint64 total) {
            progress(500 + (total > 0 ? done * 500 / total : 500), 1000);
        };
        auto packaged = packageFolder(folder, packagedManifest, outputDir, format, options);
        if (redacted) {
            redacted->staging->setKeep(keep && packaged);
            if (!keep || !packaged)
                redacted->staging->remove();
        }
        if (!packaged) {
            outcome->result = tl::unexpected(packaged.error());
            return outcome;
        }
        phaseDone("packaging and leak check");
        // The run's literal set (every chosen value with its spellings) is done
        // with: freed before the map is written, which needs room of its own.
        options.beforeCommit = {};
        if (redacted)
            redacted->applier.reset();
        if (keep)
            delivery.stagingPath = folder;
        delivery.manifest = packagedManifest;
        delivery.archive = *packaged;
        const QString mapPath = mapPathFor(packaged->path);
        if (seal) {
            stage(Stage::Sealing);
            // Fails closed: no unsealed archive is left in place of the sealed one.
            SealOptions sealOptions;
            sealOptions.cancelled = cancelled;
            auto sealed = sealArchive(packaged->path, sealKey, sealOptions);
            if (!sealed) {
                outcome->result = tl::unexpected(sealed.error());
                return outcome;
            }
            delivery.archive.path = sealed->path;
            delivery.archive.bytes = sealed->bytes;
            delivery.archive.sha256 = sealed->sha256;
            delivery.sealed = true;
            delivery.sealKeyId = sealed->keyId;
        }
        // The value -> token map stays with the user, next to the archive, never inside it.
        if (redact) {
            if (auto saved = map->save(mapPath, keptTokens); saved)
                delivery.mapPath = mapPath;
            else
                delivery.warnings.append(
                    CollectionJob::tr("the pseudonym map could not be saved: %1").arg(saved.error().message));
            phaseDone("pseudonym map saved");
        }
        outcome->result = delivery;
        return outcome;
    }));
}

void CollectionJob::onDelivered()
{
    const std::shared_ptr<DeliverOutcome> outcome = m_deliverWatcher.result();
    if (!outcome->result) {
        m_error = outcome->result.error();
        log::get("core")->warn("delivery failed: {}", m_error.message);
        if (m_error.code == ErrorCode::Cancelled || m_cancel) {
            m_error = cancelledError();
            discard();
            emit delivered(false, m_error.message);
            emit discarded();
            return;
        }
        // The review stays: the user may change something and save again.
        enterStage(Stage::Review);
        emit delivered(false, m_error.message);
        return;
    }
    m_delivery = *outcome->result;
    writeReceipt(QStringLiteral("saved"), QString());
    expireOldArchives(QFileInfo(m_delivery->archive.path).absolutePath());
    enterStage(Stage::Delivered);
    emit delivered(true, QString());
    for (const QString &message : std::as_const(m_delivery->warnings)) {
        log::get("core")->warn("{}", message);
        emit warning(message);
    }
}

void CollectionJob::expireOldArchives(const QString &outputDir)
{
    RetentionOptions retention;
    retention.days = m_request.retentionDays.value_or(m_profile.retentionDays);
    // Expiry is housekeeping: a file that cannot be removed is logged, never fatal.
    auto expired = expireArchives(outputDir, retention);
    if (expired)
        expireReceiptsOf(expired->removed);
}

void CollectionJob::writeReceipt(const QString &destination, const QString &uploadUrl)
{
    if (!m_delivery || !m_session)
        return;
    const Manifest &manifest = m_session->manifest();
    QMap<Category, int> itemsPer;
    for (const ItemResult &item : manifest.items)
        itemsPer[item.category] += 1;
    QMap<Category, qint64> includedBytes;
    for (const StagedEntry &entry : std::as_const(m_entries))
        if (!m_request.redact || isIncluded(entry.path))
            includedBytes[entry.category] += entry.bytes;
    QJsonObject categories;
    for (auto it = itemsPer.cbegin(); it != itemsPer.cend(); ++it)
        categories.insert(categoryKey(it.key()), QJsonObject{{QStringLiteral("items"), it.value()},
                                                             {QStringLiteral("bytes"), includedBytes.value(it.key())}});
    QJsonObject perRule;
    for (auto it = m_delivery->perRule.cbegin(); it != m_delivery->perRule.cend(); ++it)
        perRule.insert(it.key(), it.value());
    QStringList optedOut = m_request.optedOut.values();
    optedOut.sort();
    const QString archiveName = QFileInfo(m_delivery->archive.path).fileName();
    QJsonObject receipt;
    if (!m_delivery->receiptPath.isEmpty())
        if (auto existing = loadReceipt(m_delivery->receiptPath))
            receipt = *existing;
    receipt.insert(QStringLiteral("format"), QStringLiteral("diagcollect-consent-receipt"));
    receipt.insert(QStringLiteral("format_version"), 1);
    if (!receipt.contains(QStringLiteral("when")))
        receipt.insert(QStringLiteral("when"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    receipt.insert(QStringLiteral("case_id"), m_request.caseId);
    receipt.insert(QStringLiteral("profile"), m_profile.name);
    receipt.insert(QStringLiteral("headless"), !m_request.desktop);
    receipt.insert(QStringLiteral("categories"), categories);
    receipt.insert(QStringLiteral("items"), int(manifest.items.size()));
    receipt.insert(QStringLiteral("opted_out"), QJsonArray::fromStringList(optedOut));
    receipt.insert(QStringLiteral("full_logs"), manifest.fullLogs);
    receipt.insert(QStringLiteral("redaction"),
                   QJsonObject{{QStringLiteral("enabled"), m_delivery->redactionOn},
                               {QStringLiteral("redacted"), m_delivery->redacted},
                               {QStringLiteral("kept_by_choice"), m_delivery->kept},
                               {QStringLiteral("excluded_files"), m_delivery->excludedFiles},
                               {QStringLiteral("terms_added"), int(m_plan.terms().size())},
                               {QStringLiteral("per_rule"), perRule}});
    receipt.insert(QStringLiteral("archive"),
                   QJsonObject{{QStringLiteral("name"), archiveName},
                               {QStringLiteral("path"), m_delivery->archive.path},
                               {QStringLiteral("bytes"), m_delivery->archive.bytes},
                               {QStringLiteral("sha256"), QString::fromLatin1(m_delivery->archive.sha256)},
                               {QStringLiteral("sealed"), m_delivery->sealed}});
    receipt.insert(QStringLiteral("pseudonym_map"), m_delivery->mapPath);
    QJsonArray destinations = receipt.value(QStringLiteral("destinations")).toArray();
    QJsonObject entry{{QStringLiteral("kind"), destination},
                      {QStringLiteral("when"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    if (destination == QLatin1String("saved"))
        entry.insert(QStringLiteral("folder"), QFileInfo(m_delivery->archive.path).absolutePath());
    else
        entry.insert(QStringLiteral("url"), uploadUrl);
    destinations.append(entry);
    receipt.insert(QStringLiteral("destinations"), destinations);
    if (auto path = saveReceipt(archiveName, receipt)) {
        m_delivery->receiptPath = *path;
    } else {
        const QString message =
            CollectionJob::tr("the consent receipt could not be written: %1").arg(path.error().message);
        m_delivery->warnings.append(message);
        if (destination != QLatin1String("saved"))
            emit warning(message);
    }
}

bool CollectionJob::canUpload() const
{
    return (!m_request.uploadUrl.isEmpty() || !m_profile.upload.url.isEmpty()) && !m_policy.uploadForbidden;
}

void CollectionJob::upload()
{
    if (!m_delivery || m_uploader || m_stage != Stage::Delivered)
        return;
    const UploadSettings &settings = m_profile.upload;
    UploadOptions options;
    options.url = m_request.uploadUrl.isEmpty() ? settings.url : m_request.uploadUrl;
    options.caseId = m_request.caseId;
    options.caseHeader = settings.caseHeader;
    options.tokenEnv = m_request.uploadTokenEnv.isEmpty() ? settings.tokenEnv : m_request.uploadTokenEnv;
    options.caCertFile = !m_request.uploadCaCert.isEmpty() ? m_request.uploadCaCert
                         : settings.caCert.isEmpty()       ? QString()
                                                           : expandVariables(settings.caCert, m_profile);
    options.pinSha256 = m_request.uploadPin.isEmpty() ? settings.pinSha256 : m_request.uploadPin;
    options.chunkBytes = settings.chunkBytes;
    options.sha256 = m_delivery->archive.sha256;
    m_cancel = false;
    m_uploadCheckCancel = false;
    enterStage(Stage::Uploading);
    runStageHook(Stage::Uploading);
    if (m_cancel) {
        finishUpload(cancelledError());
        discard(); // the saved archive stays; staging goes
        emit discarded();
        return;
    }
    if (auto allowed = applyUploadPolicy(m_policy, options, m_request.remote, m_request.desktop); !allowed)
        return finishUpload(allowed.error());
    // Under require_sealing the whole archive is copied and checked before it is sent: on a
    // worker thread, so a large archive does not freeze the wizard (onUploadChecked goes on).
    const QString archive = m_delivery->archive.path;
    const Policy policy = m_policy;
    const QString stagingRoot = m_request.stagingRoot;
    const std::atomic_bool *cancelled = &m_uploadCheckCancel; // the destructor waits for the worker
    m_uploadCheckWatcher.setFuture(QtConcurrent::run([archive, policy, stagingRoot, cancelled, options] {
        auto check = std::make_shared<UploadCheck>();
        check->options = options;
        check->sendable = sendableArchive(archive, policy, stagingRoot, cancelled);
        return check;
    }));
}

void CollectionJob::finishUpload(const Error &error)
{
    m_error = error;
    enterStage(Stage::Delivered);
    emit uploadFinished(false, error.message);
}

void CollectionJob::onUploadChecked()
{
    const std::shared_ptr<UploadCheck> check = m_uploadCheckWatcher.result();
    if (!check->sendable || m_uploadCheckCancel) {
        finishUpload(check->sendable ? cancelledError() : check->sendable.error());
        if (m_cancel) {
            discard(); // the saved archive stays; staging goes
            emit discarded();
        }
        return;
    }
    const UploadOptions &options = check->options;
    auto &sendable = check->sendable;
    auto finishWith = [this](const Error &error) { finishUpload(error); };
    m_uploadCopy = std::move(sendable->copyFolder);
    auto *uploader = new Uploader(sendable->path, options, this);
    m_uploader = uploader;
    connect(uploader, &Uploader::progress, this, &CollectionJob::uploadProgress);
    connect(uploader, &Uploader::status, this, &CollectionJob::uploadStatus);
    connect(uploader, &Uploader::finished, this, [this, uploader, finishWith](const UploadOutcome &outcome) {
        uploader->deleteLater();
        m_uploadCopy.reset();
        m_uploadAttempt = outcome.report;
        if (!outcome.result) {
            finishWith(outcome.result.error());
            if (m_cancel) {
                discard(); // the saved archive stays; staging goes
                emit discarded();
            }
            return;
        }
        m_uploadReport = *outcome.result;
        m_delivery->upload = *outcome.result;
        writeReceipt(QStringLiteral("uploaded"), outcome.result->url);
        enterStage(Stage::Delivered);
        emit uploadFinished(true, outcome.result->host);
    });
    uploader->start();
}

void CollectionJob::cancelUpload()
{
    m_uploadCheckCancel = true; // stops the sealed check, if that is where the upload is
    if (m_uploader)
        m_uploader->cancel();
}

Result<Delivery> CollectionJob::runToEnd(const std::atomic_bool *interrupted)
{
    QEventLoop loop;
    QTimer interruptPoll;
    connect(&interruptPoll, &QTimer::timeout, this, [this, interrupted] {
        if (interrupted && interrupted->load() && !m_cancel)
            cancel();
    });
    interruptPoll.start(50);
    bool ok = false;
    auto waitFor = [&](auto signal) {
        const auto done = connect(this, signal, &loop, [&](auto... args) {
            if constexpr (sizeof...(args) > 0)
                ok = std::get<0>(std::tuple(args...));
            else
                ok = true;
            loop.quit();
        });
        const auto gone = connect(this, &CollectionJob::discarded, &loop, [&] {
            ok = false;
            loop.quit();
        });
        loop.exec();
        disconnect(done);
        disconnect(gone);
    };
    if (interrupted && interrupted->load()) {
        releaseFullLogging();
        return tl::unexpected(cancelledError());
    }
    if (auto started = start(); !started)
        return tl::unexpected(started.error());
    waitFor(&CollectionJob::reviewReady);
    if (!ok || m_stage != Stage::Review)
        return tl::unexpected(m_cancel ? cancelledError() : m_error);
    m_deliversOnce = true;
    deliver();
    waitFor(&CollectionJob::delivered);
    if (!ok)
        return tl::unexpected(m_cancel ? cancelledError() : m_error);
    if (!m_request.uploadUrl.isEmpty()) {
        upload();
        if (m_stage == Stage::Uploading)
            waitFor(&CollectionJob::uploadFinished);
        else
            ok = false;
        if (!ok) {
            Error error = m_error;
            if (m_cancel)
                error.code = ErrorCode::Cancelled;
            return tl::unexpected(error);
        }
    }
    return *m_delivery;
}

} // namespace dc::core
