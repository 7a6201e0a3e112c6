// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/guioptions.h"
#include "core/run/collectionjob.h"

#include <QObject>
#include <memory>
#include <optional>

namespace dc::gui {

// What the GUI learned before the wizard showed (prepareGuiStart()): the
// administrator's policy and what the start-up recovery of full logging did.
struct GuiStartup
{
    core::Policy policy;
    bool recovered = false;  // a level left raised by a run that is gone (or past its cap) was restored
    QString recoveryMessage; // what was restored, or why it could not be (recoveryFailed)
    bool recoveryFailed = false;
};

// What packaging produced, shown on the Finish page and kept in the receipt.
using SaveResult = core::Delivery;

// The wizard's face of one run: the pages configure and watch a
// core::CollectionJob (which owns the run, its policy locks, delivery,
// retention and receipt) through it; what is left here is presentation
// (translated texts, what the pages show). Lives on the GUI thread.
// Destroying it cancels what runs and removes staging.
class WizardContext : public QObject
{
    Q_OBJECT

public:
    explicit WizardContext(GuiOptions options, GuiStartup startup = {}, QObject *parent = nullptr);
    // Restores full logging if this context raised it (also after a cancel).
    ~WizardContext() override;

    const GuiOptions &options() const { return m_options; }
    const GuiStartup &startup() const { return m_startup; }
    const core::Policy &policy() const { return m_startup.policy; }
    // Loads the profile named by the options (or the built-in one) and applies
    // the policy to it (upload, sealing, retention; disabled categories). An
    // error leaves no profile: the wizard cannot go on.
    core::Result<void> loadProfile();
    bool hasProfile() const { return m_job != nullptr; }
    // The profile as the policy leaves it.
    const core::Profile &profile() const { return m_job->profile(); }
    // The items that apply here, in profile order (full-log ones only in full-log mode).
    QList<core::ItemSpec> applicableItems() const;
    // Why the policy skips this item (kDisabledByPolicyReason), empty if it runs.
    QString policySkipReason(const QString &id) const;

    // Full-log mode ("Support asked me for full logs"): offered when the profile
    // says how to raise the product's logging and the policy allows it.
    bool fullLogsAvailable() const;
    // Why it is not offered (the policy's lock reason first); empty when it is.
    QString fullLogsUnavailableReason() const;
    bool fullLogs() const { return m_fullLogs; }
    void setFullLogs(bool on);
    // Raises the product's logging for this process (recorded first; restored
    // by restoreFullLogging(), the destructor, or the next start after a crash).
    core::Result<core::FullLoggingStatus> raiseFullLogging();
    // Whether a raise by this context is in effect (joined ones are not ours).
    bool ownsFullLogging() const { return m_job && m_job->ownsFullLogging(); }
    // The status returned by the last successful raise.
    const std::optional<core::FullLoggingStatus> &fullLoggingStatus() const;
    // Restores the level this context raised; emits fullLoggingRestored. Does
    // nothing when nothing is raised by this context.
    void restoreFullLogging();

    // "Set by your administrator's policy (FILE)." when the policy locks the
    // setting (translated; the same text as Policy::lockReason()), else empty.
    QString lockReason(core::PolicySetting setting) const;
    // Redaction the user cannot turn off: everything under force_redaction,
    // and what the policy's own keywords and patterns find.
    bool isRedactionLocked(const QString &rule, const QByteArray &value) const;
    bool isRuleLocked(const QString &rule) const;

    QString caseId;
    QSet<QString> optedOut;

    // Collection. startCollection() creates the session and starts the runner;
    // the Collect page listens to runner(). Afterwards the context records the
    // run and scans it for findings (scanProgress, then reviewReady).
    core::Result<void> startCollection();
    core::CollectionRunner *runner() const;
    bool isBusy() const;
    // A finished collection the user has not saved yet (closing would lose it).
    bool hasUndeliveredWork() const { return m_job && m_job->hasUndeliveredWork(); }
    // Cancels collection or scanning; staging is removed at once.
    void cancel();
    // Forgets the run (removes staging); back to a fresh state.
    void discard();
    QDateTime collectionStarted() const { return m_job ? m_job->collectionStarted() : QDateTime(); }

    // Review state (valid after reviewReady).
    const core::Manifest &manifest() const;
    QString stagingPath() const;
    const QList<core::StagedEntry> &entries() const;
    const QList<core::FileFindings> &scans() const;
    const core::FileFindings *findingsFor(const QString &path) const;
    core::RedactionPlan &plan();
    const core::RedactionPlan &plan() const;
    core::PseudonymMap &pseudonyms();
    const core::RedactionRules &baseRules() const;
    // Call after changing the plan; listeners refresh. What the policy makes
    // redact is set back to "redact" first.
    void notifyPlanChanged();
    // Adds a term to redact everywhere and scans again so it shows as findings.
    void addTerm(const QString &term);
    void rescan();
    // Included bytes per category under the current plan (excluded ones separately).
    struct CategoryBytes
    {
        qint64 included = 0;
        qint64 excluded = 0;
    };
    QMap<core::Category, CategoryBytes> bytesPerCategory() const;
    bool isIncluded(const QString &path) const;
    // The findings the current plan replaces and keeps (in the files it
    // includes), per rule, and the files it leaves out: the one count the
    // Review's Summary and the Save page show.
    struct RedactionCounts
    {
        qint64 redacted = 0;
        qint64 kept = 0;
        QMap<QString, qint64> perRule;
        QStringList excludedFiles;
    };
    RedactionCounts redactionCounts() const;
    // The sentence both pages show for counts, with the locale's digit grouping
    // ("14,094 values replaced by pseudonyms, 3 kept by your choice.").
    QString redactionCountsText(const RedactionCounts &counts) const;
    // The counts of the plan the last packaging applied (set by startPackaging()).
    const RedactionCounts &packagedCounts() const { return m_packagedCounts; }

    // Local analysis of what was collected (the Findings page): set once
    // analysisReady was emitted after a collection; nullopt while it runs.
    const std::optional<core::analysis::Findings> &analysisFindings() const;
    bool isAnalysing() const { return m_job && m_job->isAnalysing(); }
    // How many analysis rules the run has (the policy's disabled ones left out).
    int analysisRuleCount() const { return m_job ? int(m_job->analysisRules().size()) : 0; }

    // Finish: packages the redacted copy into outputDir (worker thread);
    // seals it to the profile's key when seal is set or the profile (or the
    // policy) requires it; expires this tool's old archives there (retention).
    void startPackaging(const QString &outputDir, bool seal = false);
    bool canSeal() const;
    bool sealRequired() const;
    const std::optional<SaveResult> &saved() const;

    // Upload is offered when the profile names an endpoint (core/upload) and
    // the policy does not forbid it.
    bool canUpload() const;
    void startUpload();
    void cancelUpload();

signals:
    // Re-emitted from the runner; connect before startCollection().
    void itemStarted(const QString &id);
    void itemFinished(const dc::core::ItemResult &result);
    void collectionProgress(int done, int total);
    void collectionFinished(bool cancelled);
    void fullLogsChanged(bool on);
    // Full logging raised by this context was turned off again (ok) or could not be (message says why).
    void fullLoggingRestored(bool ok, const QString &message);
    // The run was cancelled and its staging removed: nothing is left behind.
    void discarded();
    void scanProgress(qint64 done, qint64 total);
    void reviewReady();
    void analysisReady();
    void planChanged();
    void failed(const QString &message);
    void packagingProgress(qint64 done, qint64 total);
    void packagingFinished(bool ok, const QString &message);
    void uploadProgress(qint64 sent, qint64 total);
    void uploadStatus(const QString &message);
    void uploadFinished(bool ok, const QString &message);

private:
    void connectJob();
    void
    onFullLoggingReleased(const QString &product, bool restored, const QString &message, const QStringList &warnings);

    GuiOptions m_options;
    GuiStartup m_startup;
    std::unique_ptr<core::CollectionJob> m_job;
    bool m_fullLogs = false;
    RedactionCounts m_packagedCounts;
};

} // namespace dc::gui
