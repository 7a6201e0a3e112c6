// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/probes.h"

#include "core/bundle/staging.h"
#include "core/collectors/probefunctions_p.h"

#include <QDateTime>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace dc::core {

namespace {

const QList<ProbeInfo> kProbes = {
    {"processes", "Running processes: pid, ppid, user, start time, CPU, memory, command line (args: format)",
     &probe::processes},
    {"mounts", "Mounted file systems with type, options and usage; network shares called out", &probe::mounts},
    {"system", "OS release, kernel, uptime, locale, time zone, virtualization, CPU, memory, disks, DMI",
     &probe::system},
    {"users", "Host name, logged-in users and local account names", &probe::users},
    {"proxy", "Proxy settings from the environment and system configuration", &probe::proxy},
    {"network", "Interfaces, addresses, traffic counters and routes", &probe::network},
    {"tool-info", "This tool's version, profile, platform and rights", &probe::toolInfo},
    {"listing", "A directory's entries with size and time (args: path, depth, max_entries)", &probe::listing},
};

// The probe runs on its own thread so that a read that blocks in the kernel
// (a process stuck in D state, a wedged mount) cannot hold the run past the
// item's timeout. The job owns copies of everything the probe touches, so an
// abandoned probe never references the caller's stack.
struct ProbeJob
{
    ProbeSpec spec;
    Profile profile;
    QString stagingDir;
    std::atomic_bool cancelled{false};
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
    ProbeOutput output;
};

} // namespace

const QList<ProbeInfo> &probeTable() { return kProbes; }

bool isKnownProbe(const QString &name)
{
    for (const ProbeInfo &probe : kProbes)
        if (name == QLatin1String(probe.name))
            return true;
    return false;
}

ItemResult ProbeCollector::collect(const ItemSpec &item, CollectContext &ctx)
{
    ItemResult result = ItemResult::forSpec(item);
    result.started = QDateTime::currentDateTimeUtc();
    auto finish = [&result](Status status, const QString &reason) {
        result.status = status;
        result.reason = reason;
        result.finished = QDateTime::currentDateTimeUtc();
        return result;
    };

    const ProbeInfo *probe = nullptr;
    for (const ProbeInfo &info : kProbes)
        if (item.probe.name == QLatin1String(info.name))
            probe = &info;
    if (!probe)
        return finish(Status::Failed, QStringLiteral("unknown probe \"%1\"").arg(item.probe.name));
    if (item.needsAdmin && !ctx.isAdministrator())
        return finish(Status::Skipped, QStringLiteral("needs administrator rights"));
    if (ctx.isCancelled())
        return finish(Status::Skipped, QStringLiteral("cancelled"));

    auto job = std::make_shared<ProbeJob>();
    job->spec = item.probe;
    job->profile = ctx.profile();
    job->stagingDir = ctx.stagingDir();
    const ProbeFunction function = probe->function;
    std::thread([job, function] {
        CollectContext jobContext(job->stagingDir, job->profile, job->cancelled);
        ProbeOutput output = function(job->spec, jobContext);
        std::lock_guard lock(job->mutex);
        job->output = std::move(output);
        job->finished = true;
        job->done.notify_all();
    }).detach();

    const int timeoutMs = item.command.timeoutMs > 0 ? item.command.timeoutMs : 20000;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    bool timedOut = false;
    bool cancelled = false;
    {
        std::unique_lock lock(job->mutex);
        while (!job->finished) {
            if (ctx.isCancelled()) {
                cancelled = true;
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                timedOut = true;
                break;
            }
            job->done.wait_for(lock, std::chrono::milliseconds(50));
        }
        if (!job->finished) {
            // Ask the probe to stop and give it a moment to hand back what it has.
            job->cancelled = true;
            job->done.wait_for(lock, std::chrono::milliseconds(200), [&] { return job->finished; });
        }
    }
    if (cancelled)
        return finish(Status::Skipped, QStringLiteral("cancelled"));

    ProbeOutput output;
    {
        std::lock_guard lock(job->mutex);
        if (!job->finished)
            return finish(Status::Failed, QStringLiteral("timed out after %1 s").arg(timeoutMs / 1000.0));
        output = std::move(job->output);
    }
    if (!output.skipReason.isEmpty())
        return finish(Status::Skipped, output.skipReason);
    if (output.text.isEmpty())
        return finish(Status::Skipped, QStringLiteral("the probe found nothing to report"));

    Status fileStatus = Status::Collected;
    QString fileReason;
    QByteArray text = std::move(output.text);
    if (timedOut) {
        fileStatus = Status::Truncated;
        fileReason = QStringLiteral("timed out after %1 s; output is partial").arg(timeoutMs / 1000.0);
    }
    if (item.maxBytes > 0 && text.size() > item.maxBytes) {
        const qsizetype originalSize = text.size();
        // Keep whole lines: cut after the last newline inside the cap.
        qsizetype cut = text.lastIndexOf('\n', item.maxBytes - 1);
        cut = cut > 0 ? cut + 1 : item.maxBytes;
        text.truncate(cut);
        fileStatus = Status::Truncated;
        fileReason = QStringLiteral("output cut at max_bytes (%1 of %2 bytes kept)").arg(cut).arg(originalSize);
    }

    auto staged = StagedFile::create(ctx.stagingDir(), item.stagedPath());
    if (!staged)
        return finish(Status::Failed, staged.error().message);
    if (!(*staged)->write(text)) {
        const QString message = QStringLiteral("cannot write %1: %2").arg(item.stagedPath(), (*staged)->errorString());
        (*staged)->discard();
        return finish(Status::Failed, message);
    }
    auto entry = (*staged)->finish(QStringLiteral("probe:") + item.probe.name, fileStatus, fileReason);
    if (!entry)
        return finish(Status::Failed, entry.error().message);
    entry->redactable = item.redactable;
    result.files.append(*entry);
    result.settleStatus();
    result.finished = QDateTime::currentDateTimeUtc();
    return result;
}

} // namespace dc::core
