// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/stagingredactor.h"

#include "core/bundle/archive.h"
#include "core/collect/collectsession.h"
#include "core/redact/leakcheck.h"
#include "core/redact/literalset.h"
#include "core/redact/redactor.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent>
#include <archive.h>
#include <archive_entry.h>
#include <mutex>
#include <optional>

namespace dc::core {

namespace {

bool isCancelled(const std::atomic_bool *cancelled) { return cancelled && cancelled->load(); }

// The staging path of a file written decompressed: redactedFileName() on its last part.
QString redactedPath(const QString &relative)
{
    const qsizetype slash = relative.lastIndexOf(QLatin1Char('/'));
    return relative.left(slash + 1) + redactedFileName(relative.mid(slash + 1));
}

// A binary file included by choice (a crash dump): copied byte for byte, or
// decompressed when it is compressed (a systemd coredump .zst), because every
// value chosen for redaction is then masked in place with '*' of the same
// length (LeakChecker::maskFile): the dump keeps its layout and the archive
// passes the leak check. `relative` loses the compression suffix.
Result<FileEntry> copyMaskedBinary(const QString &in,
                                   const QString &outDir,
                                   QString &relative,
                                   const LeakChecker &masker,
                                   qint64 &masked,
                                   const std::atomic_bool *cancelled)
{
    archive *reader = archive_read_new();
    const auto freeReader = qScopeGuard([reader] { archive_read_free(reader); });
    archive_read_support_filter_all(reader);
    archive_read_support_format_raw(reader);
    archive_entry *header = nullptr;
    // libarchive's raw reader refuses empty files; those have nothing to copy.
    const bool readable =
        archive_read_open_filename(reader, QFile::encodeName(in).constData(), 1 << 16) == ARCHIVE_OK &&
        archive_read_next_header(reader, &header) == ARCHIVE_OK;
    if (!readable && QFileInfo(in).size() != 0)
        return fail(
            ErrorCode::Io,
            StagingRedactorText::tr("Cannot read %1: %2").arg(in, QString::fromUtf8(archive_error_string(reader))));
    if (readable && archive_filter_count(reader) > 1)
        relative = redactedPath(relative);
    auto target = StagedFile::create(outDir, relative);
    if (!target)
        return tl::unexpected(target.error());
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    while (readable) {
        if (isCancelled(cancelled)) {
            (*target)->discard();
            return fail(ErrorCode::Cancelled, StagingRedactorText::tr("Cancelled."));
        }
        const la_ssize_t n = archive_read_data(reader, buffer.data(), size_t(buffer.size()));
        if (n < 0) {
            (*target)->discard();
            return fail(
                ErrorCode::Io,
                StagingRedactorText::tr("Cannot read %1: %2").arg(in, QString::fromUtf8(archive_error_string(reader))));
        }
        if (n == 0)
            break;
        if (!(*target)->write(buffer.constData(), n)) {
            const QString message = (*target)->errorString();
            (*target)->discard();
            return fail(ErrorCode::Io, StagingRedactorText::tr("Cannot write %1: %2").arg(relative, message));
        }
    }
    auto entry = (*target)->finish(in);
    if (!entry)
        return entry;
    const QString written = outDir + QLatin1Char('/') + relative;
    auto count = masker.maskFile(written);
    if (!count) {
        QFile::remove(written);
        return tl::unexpected(count.error());
    }
    masked = *count;
    if (masked > 0)
        entry->sha256 = sha256OfFile(written);
    return entry;
}

// Hides every chosen value in a free text of the manifest (sources, reasons).
QString redactText(const Redactor &redactor, PseudonymMap &map, const QString &text)
{
    return text.isEmpty() ? text : redactor.redact(text, map);
}

void addTokens(QSet<QByteArray> &tokens, const QString &text)
{
    static const QRegularExpression token(QStringLiteral("[A-Za-z0-9_.-]+"));
    for (const QRegularExpressionMatch &match : token.globalMatch(text))
        tokens.insert(match.captured().toUtf8());
}

void addJsonTokens(QSet<QByteArray> &tokens, const QJsonValue &value)
{
    static const QSet<QString> ownValues{
        QStringLiteral("id"),   QStringLiteral("category"), QStringLiteral("status"),  QStringLiteral("kind"),
        QStringLiteral("item"), QStringLiteral("rule"),     QStringLiteral("severity")};
    // Written by the tool, never collected: digests and times.
    static const QSet<QString> ownTexts{QStringLiteral("sha256"),   QStringLiteral("started"),
                                        QStringLiteral("finished"), QStringLiteral("platform"),
                                        QStringLiteral("format"),   QStringLiteral("version")};
    if (value.isDouble()) {
        // Sizes and counts: a chosen value made of digits ("4096") is not leaked by a byte count.
        tokens.insert(QByteArray::number(qint64(value.toDouble())));
        return;
    }
    if (value.isArray()) {
        for (const QJsonValue &element : value.toArray())
            addJsonTokens(tokens, element);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            tokens.insert(it.key().toUtf8());
            if (ownValues.contains(it.key()) && it.value().isString())
                tokens.insert(it.value().toString().toUtf8());
            if (ownTexts.contains(it.key()) && it.value().isString())
                addTokens(tokens, it.value().toString());
            // findings.json: the ids of the rules that could not be evaluated.
            if (it.key() == QLatin1String("rules_not_evaluated")) {
                for (const QJsonValue &id : it.value().toArray())
                    tokens.insert(id.toString().toUtf8());
            }
            addJsonTokens(tokens, it.value());
        }
    }
}

// The manifest with every free text removed (titles, purposes, sources,
// reasons, paths, host, profile, case id): what is left in its summary.html
// is the page's own fixed text.
Manifest withoutFreeTexts(Manifest manifest)
{
    const auto blank = [](FileEntry &file) {
        file.path.clear();
        file.source.clear();
        file.reason.clear();
    };
    for (ItemResult &item : manifest.items) {
        item.title.clear();
        item.purpose.clear();
        item.source.clear();
        item.reason.clear();
        std::for_each(item.files.begin(), item.files.end(), blank);
        std::for_each(item.skippedFiles.begin(), item.skippedFiles.end(), blank);
    }
    std::for_each(manifest.extraFiles.begin(), manifest.extraFiles.end(), blank);
    manifest.host.clear();
    manifest.profileName.clear();
    manifest.profileSource.clear();
    manifest.caseId.clear();
    return manifest;
}

// The words of the format itself (LeakChecker::checkArchive): the keys and
// ids of manifest.json and redaction.json, category names, and every word
// of summary.html's fixed text.
QSet<QByteArray> ownTokensOf(const QString &outDir, const Manifest &manifest)
{
    QSet<QByteArray> tokens;
    for (const char *name : {"manifest.json", "redaction.json", "findings.json"}) {
        QFile file(outDir + QLatin1Char('/') + QLatin1String(name));
        if (file.open(QIODevice::ReadOnly))
            addJsonTokens(tokens, QJsonDocument::fromJson(file.readAll()).object());
    }
    for (Category category : kAllCategories) {
        tokens.insert(categoryKey(category).toUtf8());
        addTokens(tokens, categoryTitle(category));
    }
    addTokens(tokens, QString::fromUtf8(summaryHtml(withoutFreeTexts(manifest))));
    return tokens;
}

} // namespace

QList<StagedEntry> stagedEntries(const Manifest &manifest)
{
    QList<StagedEntry> entries;
    for (const ItemResult &item : manifest.items) {
        for (const FileEntry &file : item.files) {
            entries.append(StagedEntry{file.path, item.id, item.category, file.bytes, file.status, file.reason,
                                       item.redactable && file.redactable});
        }
    }
    return entries;
}

RedactionRules scanRules(const RedactionRules &base, const RedactionPlan &plan)
{
    RedactionRules rules = base;
    for (const QString &term : plan.terms())
        rules.addKeyword(term);
    return rules;
}

Result<QList<FileFindings>> scanStaging(const QString &stagingDir,
                                        const QList<StagedEntry> &entries,
                                        const Redactor &redactor,
                                        PseudonymMap &map,
                                        const ProgressFn &progress,
                                        const std::atomic_bool *cancelled,
                                        qint64 maxStoredFindings)
{
    qint64 total = 0;
    for (const StagedEntry &entry : entries)
        total += entry.bytes;
    StreamOptions options;
    options.isCancelled = [cancelled] { return isCancelled(cancelled); };
    options.maxStoredFindings = maxStoredFindings;

    // Files are scanned in parallel, each into its own list of first-seen
    // values; the lists are handed to the map strictly in manifest order as
    // soon as the files before them are done, so pseudonyms are numbered as a
    // sequential scan would number them, and at most the files finished out
    // of order wait in memory.
    struct ScanJob
    {
        const StagedEntry *entry = nullptr;
        FirstSeenValues values;
        FileFindings scan;
        std::optional<Error> cancelledError;
        bool done = false;
    };
    std::vector<ScanJob> jobs(size_t(entries.size()));
    for (qsizetype i = 0; i < entries.size(); ++i)
        jobs[size_t(i)].entry = &entries[i];
    std::mutex merging;
    size_t nextToMerge = 0;
    qint64 done = 0;
    QHash<QString, int> ruleIndex;
    const auto mergeReady = [&] {
        // Called with `merging` held.
        while (nextToMerge < jobs.size() && jobs[nextToMerge].done) {
            ScanJob &job = jobs[nextToMerge++];
            job.values.giveTo(redactor, map);
            job.values.clear();
            for (Finding &finding : job.scan.findings) {
                auto it = ruleIndex.find(finding.rule);
                if (it == ruleIndex.end())
                    it = ruleIndex.insert(finding.rule, redactor.ruleIndex(finding.rule));
                if (*it >= 0)
                    finding.token = redactor.tokenFor(
                        *it, std::string_view(finding.value.constData(), size_t(finding.value.size())), map);
            }
            done += job.entry->bytes;
            if (progress)
                progress(done, total);
        }
    };
    // Files are taken strictly in order (a shared counter rather than
    // QtConcurrent's growing blocks, with which one thread ran thousands of
    // small files ahead and their values waited in memory to be merged).
    std::atomic<size_t> nextJob = 0;
    const auto scanOne = [&](ScanJob &job) {
        const StagedEntry &entry = *job.entry;
        if (isCancelled(cancelled)) {
            job.cancelledError = Error{ErrorCode::Cancelled, StagingRedactorText::tr("Cancelled.")};
        } else if (!entry.redactable) {
            job.scan.file = entry.path;
            job.scan.kind = ContentKind::Binary;
            job.scan.bytes = entry.bytes;
            job.scan.reason = StagingRedactorText::tr("binary data (the profile marks this item as not redactable)");
        } else if (auto found = scanFile(stagingDir + QLatin1Char('/') + entry.path, redactor, job.values, entry.path,
                                         options)) {
            job.scan = std::move(*found);
        } else if (found.error().code == ErrorCode::Cancelled) {
            job.cancelledError = found.error();
        } else {
            job.values.clear();
            job.scan.file = entry.path;
            job.scan.kind = ContentKind::Binary;
            job.scan.bytes = entry.bytes;
            job.scan.reason = found.error().message;
        }
        std::lock_guard lock(merging);
        job.done = true;
        mergeReady();
    };
    const auto work = [&] {
        for (size_t i = nextJob++; i < jobs.size(); i = nextJob++)
            scanOne(jobs[i]);
    };
    const int threads = int(std::clamp<qsizetype>(QThread::idealThreadCount(), 1, qsizetype(jobs.size()) + 1));
    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, threads - 1));
    for (int t = 1; t < threads; ++t)
        pool.start(work);
    work(); // this thread scans too
    pool.waitForDone();
    QList<FileFindings> scans;
    scans.reserve(entries.size());
    for (ScanJob &job : jobs) {
        if (job.cancelledError)
            return tl::unexpected(*job.cancelledError);
        scans.append(std::move(job.scan));
    }
    if (isCancelled(cancelled))
        return fail(ErrorCode::Cancelled, StagingRedactorText::tr("Cancelled."));
    return scans;
}

int includeProductCrashDumps(RedactionPlan &plan, const QList<StagedEntry> &entries, const Profile &profile)
{
    QSet<QString> dumpItems;
    for (const ItemSpec &item : profile.items)
        if (item.productData && item.category == Category::CrashDumps)
            dumpItems.insert(item.id);
    int included = 0;
    for (const StagedEntry &entry : entries) {
        if (dumpItems.contains(entry.itemId) && plan.fileChoice(entry.path) == FileChoice::Default) {
            plan.setFileChoice(entry.path, FileChoice::Include);
            ++included;
        }
    }
    return included;
}

Result<RedactedStaging> redactStaging(const QString &stagingDir,
                                      const QString &stagingRoot,
                                      Manifest manifest,
                                      const QList<FileFindings> &scans,
                                      const RedactionPlan &plan,
                                      const RedactionRules &base,
                                      PseudonymMap &map,
                                      const ProgressFn &progress,
                                      const std::atomic_bool *cancelled,
                                      StagedOriginals originals)
{
    RedactedStaging out;
    auto staging = Staging::create(stagingRoot);
    if (!staging)
        return tl::unexpected(staging.error());
    out.staging = std::move(*staging);
    const QString outDir = out.staging->path();

    QHash<QString, const FileFindings *> byPath;
    qint64 total = 0;
    for (const FileFindings &scan : scans) {
        byPath.insert(scan.file, &scan);
        total += scan.bytes;
    }
    // The chosen values are held by the applier's literal set from here on;
    // the list they were built from is dropped at once (a large run's values).
    out.applier = std::make_shared<const Redactor>(plan.applyRules(base, scans, map));
    const Redactor &redactor = *out.applier;
    // Built for the first included binary only: it holds every value twice (UTF-8, UTF-16).
    std::optional<LeakChecker> binaryMasker;
    const auto masker = [&]() -> const LeakChecker & {
        if (!binaryMasker) {
            QList<QByteArray> values;
            plan.applyRules(base, scans, map).forEachKnownValue([&values](const QString &, std::string_view value) {
                values.append(QByteArray(value.data(), qsizetype(value.size())));
            });
            for (const QString &term : plan.terms())
                values.append(term.toUtf8());
            binaryMasker.emplace(LeakChecker::withUtf16Spellings(values), redactor.tokenPrefixes());
        }
        return *binaryMasker;
    };

    StreamOptions options;
    options.isCancelled = [cancelled] { return isCancelled(cancelled); };
    options.durableOutput = false; // a private copy, packaged next and then removed

    // The text files are redacted in parallel (files are independent; the
    // redactor and the map are thread-safe), then taken in manifest order.
    struct TextJob
    {
        QString in;
        QString relative;
        QString key;
        qint64 bytes = 0;
        ContentKind kind = ContentKind::Text;
        Result<RedactOutcome> outcome = fail(ErrorCode::Cancelled, QString());
        QByteArray sha256;
        qint64 size = 0;
    };
    std::vector<TextJob> jobs;
    QHash<QString, size_t> jobOf;
    for (const ItemResult &item : std::as_const(manifest.items)) {
        for (const FileEntry &entry : item.files) {
            const FileFindings *scan = byPath.value(entry.path);
            const ContentKind kind = scan ? scan->kind : ContentKind::Binary;
            if (kind == ContentKind::Binary || !plan.isIncluded(entry.path, kind) || jobOf.contains(entry.path))
                continue;
            // Staged paths are built from source paths, which may carry a user or host name.
            QString relative = redactText(redactor, map, entry.path);
            if (kind == ContentKind::CompressedText)
                relative = redactedPath(relative);
            const QString target = outDir + QLatin1Char('/') + relative;
            if (!makePrivateDirs(QFileInfo(target).absolutePath()))
                return fail(ErrorCode::Io, StagingRedactorText::tr("Cannot create a folder for %1.").arg(relative));
            jobOf.insert(entry.path, jobs.size());
            jobs.push_back(
                TextJob{stagingDir + QLatin1Char('/') + entry.path, relative, entry.path, entry.bytes, kind});
        }
    }
    // Held in memory whole when rewritten in place.
    constexpr qint64 kMaxMovedBytes = 1 << 20;
    std::atomic<qint64> textDone = 0;
    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    QtConcurrent::blockingMap(&pool, jobs, [&](TextJob &job) {
        if (isCancelled(cancelled))
            return;
        const QString target = outDir + QLatin1Char('/') + job.relative;
        StreamOptions fileOptions = options;
        // The staged file itself becomes its redacted copy (same file system: a rename).
        const bool moved = originals == StagedOriginals::Consume && job.kind == ContentKind::Text &&
                           job.bytes <= kMaxMovedBytes && QFile::rename(job.in, target);
        fileOptions.replacesInput = moved;
        job.outcome = redactFile(moved ? target : job.in, target, redactor, plan, map, job.key, fileOptions);
        if (job.outcome && job.outcome->written) {
            job.size = job.outcome->bytesOut;
            job.sha256 = job.outcome->sha256;
        } else if (moved) {
            QFile::remove(target); // never an unredacted file in the redacted copy
        }
        const qint64 now = textDone += job.bytes;
        if (progress)
            progress(now, total);
    });
    if (isCancelled(cancelled))
        return fail(ErrorCode::Cancelled, StagingRedactorText::tr("Cancelled."));

    qint64 done = textDone;
    for (ItemResult &item : manifest.items) {
        QList<FileEntry> kept;
        for (FileEntry entry : std::as_const(item.files)) {
            if (isCancelled(cancelled))
                return fail(ErrorCode::Cancelled, StagingRedactorText::tr("Cancelled."));
            const QString in = stagingDir + QLatin1Char('/') + entry.path;
            const FileFindings *scan = byPath.value(entry.path);
            const ContentKind kind = scan ? scan->kind : ContentKind::Binary;
            if (kind == ContentKind::Binary)
                done += entry.bytes;
            if (!plan.isIncluded(entry.path, kind)) {
                const QString reason = plan.fileChoice(entry.path) == FileChoice::Exclude
                                           ? QStringLiteral("excluded by the user before packaging")
                                           : QStringLiteral("binary data cannot be redacted; excluded by default");
                out.report.addExcluded(redactText(redactor, map, entry.path), kind, reason);
                entry.path = redactText(redactor, map, entry.path);
                entry.source = redactText(redactor, map, entry.source);
                entry.status = Status::Skipped;
                entry.reason = reason;
                entry.sha256.clear();
                item.skippedFiles.append(entry);
                ++out.excludedFiles;
                continue;
            }
            QString relative;
            if (kind == ContentKind::Binary) {
                // Staged paths are built from source paths, which may carry a user or host name.
                relative = redactText(redactor, map, entry.path);
                qint64 masked = 0;
                auto copied = copyMaskedBinary(in, outDir, relative, masker(), masked, cancelled);
                if (!copied)
                    return tl::unexpected(copied.error());
                RedactOutcome outcome;
                outcome.kind = kind;
                outcome.written = true;
                outcome.verbatim = true;
                outcome.bytesIn = outcome.bytesOut = copied->bytes;
                if (masked > 0)
                    outcome.redactedPerRule.insert(QStringLiteral("binary-mask"), masked);
                out.report.add(relative, outcome);
                entry.bytes = copied->bytes;
                entry.sha256 = copied->sha256;
            } else {
                const TextJob &job = jobs[jobOf.value(entry.path)];
                if (!job.outcome)
                    return tl::unexpected(job.outcome.error());
                relative = job.relative;
                out.report.add(relative, *job.outcome);
                entry.bytes = job.size;
                entry.sha256 = job.sha256;
                if (job.outcome->capped) {
                    entry.status = Status::Truncated;
                    entry.reason = job.outcome->cappedReason;
                }
            }
            entry.path = relative;
            entry.source = redactText(redactor, map, entry.source);
            entry.reason = redactText(redactor, map, entry.reason);
            kept.append(entry);
            if (progress)
                progress(done, total);
        }
        item.files = kept;
        for (FileEntry &skipped : item.skippedFiles) {
            skipped.source = redactText(redactor, map, skipped.source);
            skipped.reason = redactText(redactor, map, skipped.reason);
        }
        for (QString &source : item.source)
            source = redactText(redactor, map, source);
        item.reason = redactText(redactor, map, item.reason);
        // Our own texts too: a chosen value that is also an ordinary word (a user
        // named "state") must not reach the archive through a purpose sentence.
        item.title = redactText(redactor, map, item.title);
        item.purpose = redactText(redactor, map, item.purpose);
        item.settleStatus();
    }
    manifest.host = redactText(redactor, map, manifest.host);
    manifest.profileName = redactText(redactor, map, manifest.profileName);
    manifest.profileSource = redactText(redactor, map, manifest.profileSource); // a path in someone's home

    // The report next to the data; counts only, never a value or a token.
    manifest.extraFiles.clear();
    auto report = StagedFile::create(outDir, QStringLiteral("redaction.json"));
    if (!report)
        return tl::unexpected(report.error());
    if (!(*report)->write(out.report.toJson()))
        return fail(ErrorCode::Io, StagingRedactorText::tr("Cannot write %1: %2")
                                       .arg(QStringLiteral("redaction.json"), (*report)->errorString()));
    auto reportEntry = (*report)->finish(QStringLiteral("diagcollect"));
    if (!reportEntry)
        return tl::unexpected(reportEntry.error());
    manifest.extraFiles.append(*reportEntry);
    if (auto written = writeManifestFiles(outDir, manifest); !written)
        return tl::unexpected(written.error());
    out.manifest = manifest;
    if (progress)
        progress(total, total);
    return out;
}

std::function<Result<void>(const QString &)> leakGate(const RedactedStaging &redacted, const PseudonymMap *map)
{
    const std::shared_ptr<const Redactor> applier = redacted.applier;
    const QString folder = redacted.staging ? redacted.staging->path() : QString();
    const Manifest manifest = redacted.manifest;
    return [applier, folder, manifest, map](const QString &archive) -> Result<void> {
        if (!applier || applier->literals().isEmpty())
            return {};
        const LeakChecker checker(*applier);
        // The format's own words forgive a hit only in the tool's own files.
        auto leaks = checker.checkArchive(
            archive, folder.isEmpty() ? LeakChecker::OwnTokensReader()
                                      : [&folder, &manifest] { return ownTokensOf(folder, manifest); });
        if (!leaks)
            return tl::unexpected(leaks.error());
        if (leaks->isEmpty())
            return {};
        const LeakChecker::Leak &leak = leaks->constFirst();
        const int rule = leak.valueIndex;
        QString token = StagingRedactorText::tr("(no token)");
        if (map) {
            const QByteArray key =
                applier->normalizedValue(rule, std::string_view(leak.match.constData(), size_t(leak.match.size())));
            const QByteArray &prefix = applier->tokenPrefixes()[size_t(rule)];
            if (auto found =
                    map->find(QString::fromUtf8(prefix), std::string_view(key.constData(), size_t(key.size()))))
                token = QString::fromUtf8(*found);
        }
        return fail(ErrorCode::Verification,
                    StagingRedactorText::tr("The leak check found a value of the rule \"%1\" (%2) in %3 at byte %4 "
                                            "(%5 occurrences in all); no archive was written.")
                        .arg(applier->rules()[rule].id, token, leak.entry)
                        .arg(leak.offset)
                        .arg(leaks->size()));
    };
}

} // namespace dc::core
