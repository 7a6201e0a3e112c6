// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/analysis/finding.h"
#include "core/analysis/rule.h"
#include "core/collect/collectsession.h"
#include "core/policy/policy.h"
#include "core/redact/redactionplan.h"
#include "core/redact/redactionrules.h"
#include "core/redact/stagingredactor.h"
#include "core/run/fullloground.h"
#include "core/run/runrequest.h"
#include "core/upload/uploader.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace dc::core {

// One collection run from the profile to the delivered archive, owned in one
// place; the CLI (`collect`) and the wizard only configure it and watch it.
// The administrator's policy is enforced inside: a request it does not allow
// is refused by create(), and no plan or rules file can turn off what it makes
// redact.
//
//   create(request, policy)            profile loaded (+ defines), policy applied, rules built
//   [raiseFullLogging()]               full-log round, restored when the collection ends
//   start()                            staging, collectors  -> itemStarted/itemFinished/collectionProgress
//     -> collectionFinished, scan      -> scanProgress -> reviewReady (stage Review)
//     [analysis of the staged data]    -> analysisReady, stagedFindings() (when storing findings)
//   [findings(), plan(), setPlan()]    the review; policy locks re-applied on every change
//   deliver()                          redact, package (+ leak gate), map, seal, receipt, retention
//     -> delivered(ok)                 (stage Delivered; the review may deliver again)
//   [upload()]                         -> uploadFinished(ok), receipt updated
//   runToEnd(&interrupted)             all of it, blocking, for the CLI
//
// cancel() works at every stage and leaves no staging and no partial file;
// discard() forgets the run (staging removed) and returns to Ready. Lives on
// the thread that created it; long work runs on the runner's pool or worker
// threads and reports back through queued calls.
class CollectionJob : public QObject
{
    Q_OBJECT

public:
    enum class Stage {
        Ready,
        Collecting,
        Scanning,
        Review,
        Redacting,
        Packaging,
        Sealing,
        Delivered,
        Uploading,
        Failed,
    };

    // Loads the profile, applies the policy and checks the request against it:
    // ErrorCode::Usage/Profile for bad definitions, profile, rules file (redaction
    // or analysis: the message names the file and the JSON path), skips, case
    // ID or delivery options; ErrorCode::PolicyRefused for what the policy does
    // not allow.
    static Result<std::unique_ptr<CollectionJob>> create(RunRequest request, Policy policy, QObject *parent = nullptr);
    ~CollectionJob() override;

    const Profile &profile() const { return m_profile; }
    const Policy &policy() const { return m_policy; }
    const RunRequest &request() const { return m_request; }
    Stage stage() const { return m_stage; }
    bool redacting() const { return m_request.redact; }
    // Why the policy skips this item (kDisabledByPolicyReason), empty if it runs.
    const QMap<QString, QString> &policySkips() const { return m_policySkips; }

    // Before start(): what the user chose in the meantime (the wizard's pages).
    // A non-essential item may be opted out; ids of other items are ignored.
    void setCaseId(const QString &caseId) { m_request.caseId = caseId; }
    void setOptedOut(const QSet<QString> &ids) { m_request.optedOut = ids; }
    // Full-log mode is refused (ErrorCode::PolicyRefused) when the policy does not allow it.
    Result<void> setFullLogs(bool on);

    // The full-log round (both faces): raise for this process until the collection ends.
    Result<FullLoggingStatus> raiseFullLogging();
    // Restores it now (Back, cancel); the result is also emitted as fullLoggingReleased.
    void releaseFullLogging();
    bool ownsFullLogging() const { return m_fullLogRound.ownsRaise(); }
    const std::optional<FullLoggingStatus> &fullLoggingStatus() const { return m_fullLogRound.status(); }

    // Collection: creates staging and starts the collectors.
    Result<void> start();
    CollectionRunner *runner() const { return m_session ? m_session->runner() : nullptr; }
    QDateTime collectionStarted() const { return m_collectionStarted; }
    // Thread-safe. At every stage: collectors killed, workers stopped, staging
    // and partial files removed; the stage returns to Ready (a saved archive stays).
    void cancel();
    bool isCancelled() const { return m_cancel.load(); }
    // Forgets the run (removes staging); back to Ready.
    void discard();
    bool isBusy() const;
    // Work the user would lose: a finished collection not yet saved.
    bool hasUndeliveredWork() const;

    // Review (valid from reviewReady on).
    const Manifest &manifest() const;
    QString stagingPath() const;
    const QList<StagedEntry> &entries() const { return m_entries; }
    const QList<FileFindings> &findings() const { return m_scans; }
    const FileFindings *findingsFor(const QString &path) const;
    const RedactionRules &baseRules() const { return m_rules; }
    PseudonymMap &pseudonyms() { return *m_map; }
    // The plan as the policy leaves it. plan() may be edited in place by a
    // review; enforcePlan() (or setPlan) puts back what the policy makes redact.
    RedactionPlan &plan() { return m_plan; }
    const RedactionPlan &plan() const { return m_plan; }
    void setPlan(RedactionPlan plan);
    void enforcePlan();
    // Adds a term to redact everywhere and scans again so it shows as findings.
    void addTerm(const QString &term);
    void rescan();
    bool isIncluded(const QString &path) const;
    // Redaction the user cannot turn off: everything under force_redaction,
    // and what the policy's own keywords and patterns find.
    bool isRedactionLocked(const QString &rule, const QByteArray &value) const;
    bool isRuleLocked(const QString &rule) const;

    // Analysis. The rules of this run, selected by create(): built-in, the
    // profile's, the request's files, minus the policy's disabled_analysis_rules.
    const QList<analysis::Rule> &analysisRules() const { return m_analysisRules; }
    // What looks wrong in the staged data as collected (so evidence lines are
    // the lines the review's viewer shows), analysed on a worker thread after
    // the collection when the request stores findings (the wizard); nullopt
    // until analysisReady(). The archive's findings.json is made again at
    // deliver() from the copy that is packaged (redacted evidence).
    const std::optional<analysis::Findings> &stagedFindings() const { return m_stagedFindings; }
    bool isAnalysing() const { return m_analysisWatcher.isRunning(); }

    // Delivery: the redacted copy packaged into outputDir (the request's when
    // empty), its map saved beside it, sealed when asked or required, the
    // consent receipt written, archives older than the retention expired
    // (their receipts with them). Worker thread; delivered() at the end.
    void deliver(const QString &outputDir = {}, bool seal = false);
    bool canSeal() const { return !m_profile.seal.publicKey.isEmpty(); }
    bool sealRequired() const { return m_profile.seal.required; }
    const std::optional<Delivery> &delivery() const { return m_delivery; }

    // Sends the delivered archive (request's uploadUrl, else the profile's);
    // under require_sealing the bytes sent are checked as a sealed archive.
    bool canUpload() const;
    void upload();
    // Stops an upload only; the saved archive and the review stay.
    void cancelUpload();
    const std::optional<UploadReport> &uploadReport() const { return m_uploadReport; }
    // The last upload's counts (requests, retries, connections) and reason, also when it failed.
    const UploadReport &lastUploadAttempt() const { return m_uploadAttempt; }

    // The error of the last failure (stage Failed, delivered(false), uploadFinished(false)).
    const Error &lastError() const { return m_error; }

    // CLI: everything back to back, blocking (spins an event loop). Polls
    // `interrupted` (a signal handler's flag) and cancels when it is set.
    Result<Delivery> runToEnd(const std::atomic_bool *interrupted = nullptr);

    // Testing seam: called on entering each stage, on the thread doing the work.
    void setStageHook(std::function<void(Stage)> hook) { m_stageHook = std::move(hook); }

signals:
    void stageChanged(dc::core::CollectionJob::Stage stage);
    void itemStarted(const QString &id);
    void itemFinished(const dc::core::ItemResult &result);
    void collectionProgress(int done, int total);
    void collectionFinished(bool cancelled);
    // The full-log round ended: restored (message and warnings of the restore)
    // or not (message says why; the next start tries again).
    void
    fullLoggingReleased(const QString &product, bool restored, const QString &message, const QStringList &warnings);
    void scanProgress(qint64 done, qint64 total);
    void reviewReady();
    // stagedFindings() is set (or stays empty: the analysis was cancelled).
    void analysisReady();
    void planChanged();
    void packagingProgress(qint64 done, qint64 total); // redaction 0-500, compression 500-1000 of 1000
    void delivered(bool ok, const QString &message);
    void uploadProgress(qint64 sent, qint64 total);
    void uploadStatus(const QString &message);
    void uploadFinished(bool ok, const QString &message);
    // Something went wrong without failing the run (map not saved, receipt not written).
    void warning(const QString &message);
    void failed(const QString &message);
    // The run was cancelled or failed and its staging removed: nothing is left behind.
    void discarded();

private:
    struct DeliverOutcome;
    struct UploadCheck;
    struct AnalysisOutcome;
    CollectionJob(RunRequest request, Policy policy, Profile profile, RedactionRules rules, QObject *parent);
    void enterStage(Stage stage);
    void runStageHook(Stage stage);
    void onCollected(const RunSummary &summary);
    void startScan();
    void onScanned();
    void startAnalysis();
    void onAnalysed();
    void stopAnalysis();
    void onDelivered();
    void onUploadChecked();
    void finishUpload(const Error &error);
    void failRun(const Error &error);
    void writeReceipt(const QString &destination, const QString &uploadUrl);
    void expireOldArchives(const QString &outputDir);

    RunRequest m_request;
    Policy m_policy;
    Profile m_profile;
    RedactionRules m_rules;
    QMap<QString, QString> m_policySkips;
    FullLogRound m_fullLogRound;
    std::unique_ptr<CollectSession> m_session;
    QDateTime m_collectionStarted;
    Stage m_stage = Stage::Ready;
    std::unique_ptr<PseudonymMap> m_map;
    RedactionPlan m_plan;
    QList<StagedEntry> m_entries;
    QList<FileFindings> m_scans;
    QHash<QString, int> m_scanIndex;
    std::atomic_bool m_cancel{false};
    // runToEnd(): one delivery, then the staging folder goes; its small files
    // may become their own redacted copies (StagedOriginals::Consume).
    bool m_deliversOnce = false;
    QFutureWatcher<Result<QList<FileFindings>>> m_scanWatcher;
    QFutureWatcher<std::shared_ptr<DeliverOutcome>> m_deliverWatcher;
    // The upload's sealed check (a whole-file read of a private copy) runs on a worker.
    QFutureWatcher<std::shared_ptr<UploadCheck>> m_uploadCheckWatcher;
    std::atomic_bool m_uploadCheckCancel{false};
    QList<analysis::Rule> m_analysisRules;
    std::optional<analysis::Findings> m_stagedFindings;
    std::atomic_bool m_analysisCancel{false};
    quint64 m_analysisGeneration = 0;
    QFutureWatcher<std::shared_ptr<AnalysisOutcome>> m_analysisWatcher;
    std::optional<Delivery> m_delivery;
    std::optional<UploadReport> m_uploadReport;
    UploadReport m_uploadAttempt;
    std::unique_ptr<Staging> m_uploadCopy;
    QPointer<Uploader> m_uploader;
    Error m_error;
    std::function<void(Stage)> m_stageHook;
};

} // namespace dc::core
