// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/wizardcontext.h"

#include "core/log/logging.h"

#include <QDir>

namespace dc::gui {

using namespace dc::core;

namespace {

// What the pages read before a profile is loaded (the wizard cannot go on then).
struct Empty
{
    QList<StagedEntry> entries;
    QList<FileFindings> scans;
    RedactionPlan plan;
    PseudonymMap map;
    RedactionRules rules;
    Manifest manifest;
    std::optional<FullLoggingStatus> status;
    std::optional<SaveResult> saved;
};

Empty &empty()
{
    static Empty instance;
    return instance;
}

} // namespace

WizardContext::WizardContext(GuiOptions options, GuiStartup startup, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_startup(std::move(startup))
{
}

// The job cancels what runs, removes staging and restores full logging it raised.
WizardContext::~WizardContext() = default;

Result<void> WizardContext::loadProfile()
{
    RunRequest request;
    request.profilePath = m_options.profilePath;
    request.defines = m_options.defines; // a bad definition is an error, as in the CLI
    request.caseId = m_options.caseId;
    request.desktop = true;
    request.storeFindings = true;
    // The policy wins over the profile: its upload address, sealing and
    // retention replace the profile's, and disabled categories are skipped.
    auto job = CollectionJob::create(std::move(request), policy(), this);
    if (!job)
        return tl::unexpected(job.error());
    m_job = std::move(*job);
    connectJob();
    m_fullLogs = m_options.fullLogs && fullLogsAvailable();
    return {};
}

void WizardContext::connectJob()
{
    CollectionJob *job = m_job.get();
    connect(job, &CollectionJob::itemStarted, this, &WizardContext::itemStarted);
    connect(job, &CollectionJob::itemFinished, this, &WizardContext::itemFinished);
    connect(job, &CollectionJob::collectionProgress, this, &WizardContext::collectionProgress);
    connect(job, &CollectionJob::collectionFinished, this, &WizardContext::collectionFinished);
    connect(job, &CollectionJob::fullLoggingReleased, this, &WizardContext::onFullLoggingReleased);
    connect(job, &CollectionJob::scanProgress, this, &WizardContext::scanProgress);
    connect(job, &CollectionJob::reviewReady, this, &WizardContext::reviewReady);
    connect(job, &CollectionJob::analysisReady, this, &WizardContext::analysisReady);
    connect(job, &CollectionJob::planChanged, this, &WizardContext::planChanged);
    connect(job, &CollectionJob::packagingProgress, this, &WizardContext::packagingProgress);
    connect(job, &CollectionJob::delivered, this, &WizardContext::packagingFinished);
    connect(job, &CollectionJob::uploadProgress, this, &WizardContext::uploadProgress);
    connect(job, &CollectionJob::uploadStatus, this, &WizardContext::uploadStatus);
    connect(job, &CollectionJob::uploadFinished, this, &WizardContext::uploadFinished);
    connect(job, &CollectionJob::failed, this, &WizardContext::failed);
    connect(job, &CollectionJob::warning, this, &WizardContext::failed);
    connect(job, &CollectionJob::discarded, this, &WizardContext::discarded);
}

const std::optional<analysis::Findings> &WizardContext::analysisFindings() const
{
    static const std::optional<analysis::Findings> none;
    return m_job ? m_job->stagedFindings() : none;
}

QString WizardContext::policySkipReason(const QString &id) const
{
    return m_job ? m_job->policySkips().value(id) : QString();
}

QList<ItemSpec> WizardContext::applicableItems() const
{
    return m_job ? profile().itemsFor(currentPlatformBit(), m_fullLogs) : QList<ItemSpec>();
}

QString WizardContext::lockReason(PolicySetting setting) const
{
    if (!policy().isLocked(setting))
        return {};
    return tr("Set by your administrator's policy (%1).").arg(QDir::toNativeSeparators(policy().source));
}

bool WizardContext::fullLogsAvailable() const
{
    return m_job && profile().fullLogging.isSet() && policy().allowFullLogs;
}

QString WizardContext::fullLogsUnavailableReason() const
{
    if (!policy().allowFullLogs)
        return tr("Full-log mode is not allowed on this computer. %1").arg(lockReason(PolicySetting::FullLogs));
    if (m_job && !profile().fullLogging.isSet())
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
    if (!m_job)
        return fail(ErrorCode::Profile, tr("No profile is loaded."));
    if (!fullLogsAvailable())
        return fail(ErrorCode::PolicyRefused, fullLogsUnavailableReason());
    return m_job->raiseFullLogging();
}

const std::optional<FullLoggingStatus> &WizardContext::fullLoggingStatus() const
{
    return m_job ? m_job->fullLoggingStatus() : empty().status;
}

void WizardContext::restoreFullLogging()
{
    if (m_job)
        m_job->releaseFullLogging(); // onFullLoggingReleased says how it went
}

void WizardContext::onFullLoggingReleased(const QString &product,
                                          bool restored,
                                          const QString &message,
                                          const QStringList &warnings)
{
    if (!restored) {
        emit fullLoggingRestored(false, tr("The normal logging level could not be restored: %1. The next start of "
                                           "this tool tries again.")
                                            .arg(message));
        return;
    }
    QString text = tr("Full logging is off again: the normal logging level of %1 was restored.").arg(product);
    QStringList details{message};
    details += warnings;
    details.removeAll(QString());
    if (!details.isEmpty())
        text += QLatin1Char('\n') + tr("Details: %1").arg(details.join(QStringLiteral("; ")));
    emit fullLoggingRestored(warnings.isEmpty(), text);
}

bool WizardContext::isRuleLocked(const QString &rule) const { return m_job && m_job->isRuleLocked(rule); }

bool WizardContext::isRedactionLocked(const QString &rule, const QByteArray &value) const
{
    return m_job && m_job->isRedactionLocked(rule, value);
}

Result<void> WizardContext::startCollection()
{
    if (!m_job)
        return fail(ErrorCode::Profile, tr("No profile is loaded."));
    m_job->discard();
    m_job->setCaseId(caseId);
    m_job->setOptedOut(optedOut);
    // Refused again here when the policy does not allow full-log mode.
    if (auto fullLogs = m_job->setFullLogs(m_fullLogs); !fullLogs)
        return fullLogs;
    if (auto started = m_job->start(); !started)
        return started;
    log::get("gui")->info("collection started ({} items)", runner()->plannedItems().size());
    return {};
}

CollectionRunner *WizardContext::runner() const { return m_job ? m_job->runner() : nullptr; }

bool WizardContext::isBusy() const { return m_job && m_job->isBusy(); }

void WizardContext::cancel()
{
    if (m_job)
        m_job->cancel();
}

void WizardContext::discard()
{
    if (m_job)
        m_job->discard();
}

const Manifest &WizardContext::manifest() const { return m_job ? m_job->manifest() : empty().manifest; }

QString WizardContext::stagingPath() const { return m_job ? m_job->stagingPath() : QString(); }

const QList<StagedEntry> &WizardContext::entries() const { return m_job ? m_job->entries() : empty().entries; }

const QList<FileFindings> &WizardContext::scans() const { return m_job ? m_job->findings() : empty().scans; }

const FileFindings *WizardContext::findingsFor(const QString &path) const
{
    return m_job ? m_job->findingsFor(path) : nullptr;
}

RedactionPlan &WizardContext::plan() { return m_job ? m_job->plan() : empty().plan; }

const RedactionPlan &WizardContext::plan() const { return m_job ? m_job->plan() : empty().plan; }

PseudonymMap &WizardContext::pseudonyms() { return m_job ? m_job->pseudonyms() : empty().map; }

const RedactionRules &WizardContext::baseRules() const { return m_job ? m_job->baseRules() : empty().rules; }

void WizardContext::notifyPlanChanged()
{
    if (m_job)
        m_job->enforcePlan();
    emit planChanged();
}

void WizardContext::addTerm(const QString &term)
{
    if (m_job)
        m_job->addTerm(term);
}

void WizardContext::rescan()
{
    if (m_job)
        m_job->rescan();
}

bool WizardContext::isIncluded(const QString &path) const { return m_job && m_job->isIncluded(path); }

QMap<Category, WizardContext::CategoryBytes> WizardContext::bytesPerCategory() const
{
    QMap<Category, CategoryBytes> bytes;
    for (Category category : kAllCategories)
        bytes.insert(category, {});
    for (const StagedEntry &entry : entries()) {
        CategoryBytes &slot = bytes[entry.category];
        (isIncluded(entry.path) ? slot.included : slot.excluded) += entry.bytes;
    }
    return bytes;
}

WizardContext::RedactionCounts WizardContext::redactionCounts() const
{
    RedactionCounts counts;
    const RedactionPlan &current = plan();
    for (const FileFindings &scan : scans()) {
        if (!current.isIncluded(scan.file, scan.kind)) {
            counts.excludedFiles << scan.file;
            continue;
        }
        for (const Finding &finding : scan.findings) {
            if (current.shouldRedact(scan.file, finding)) {
                ++counts.redacted;
                counts.perRule[finding.rule] += 1;
            } else {
                ++counts.kept;
            }
        }
    }
    return counts;
}

QString WizardContext::redactionCountsText(const RedactionCounts &counts) const
{
    //: The Review's Summary and the Save page (and, in its words, a receipt): the findings that are
    //: replaced and those the user keeps. %L1 and %L2 have the locale's digit grouping.
    return tr("%L1 values replaced by pseudonyms, %L2 kept by your choice.").arg(counts.redacted).arg(counts.kept);
}

bool WizardContext::canSeal() const { return m_job && m_job->canSeal(); }

bool WizardContext::sealRequired() const { return m_job && m_job->sealRequired(); }

void WizardContext::startPackaging(const QString &outputDir, bool seal)
{
    if (!m_job)
        return;
    m_packagedCounts = redactionCounts();
    m_job->deliver(outputDir, seal);
}

const std::optional<SaveResult> &WizardContext::saved() const { return m_job ? m_job->delivery() : empty().saved; }

bool WizardContext::canUpload() const { return m_job && m_job->canUpload(); }

void WizardContext::startUpload()
{
    if (m_job)
        m_job->upload();
}

void WizardContext::cancelUpload()
{
    if (m_job)
        m_job->cancelUpload();
}

} // namespace dc::gui
