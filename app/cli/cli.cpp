// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/cli.h"

#include "app/cli/admincommands.h"
#include "app/cli/analyzecommands.h"
#include "app/cli/clioutput.h"
#include "app/cli/redactcommands.h"
#include "app/cli/uploadcommands.h"
#include "core/analysis/finding.h"
#include "core/bundle/archive.h"
#include "core/bundle/staging.h"
#include "core/collect/collectsession.h"
#include "core/collect/reasontexts.h"
#include "core/collectors/filecollector.h"
#include "core/collectors/probes.h"
#include "core/log/logging.h"
#include "core/profile/defines.h"
#include "core/profile/profiletexts.h"
#include "core/run/collectionjob.h"
#include "core/run/repack.h"
#include "core/util/bytesize.h"
#include "core/util/exitcodes.h"
#include "core/util/language.h"
#include "core/util/paths.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace dc::cli {

using namespace dc::core;

namespace {

std::atomic_bool s_interrupted{false};
// The administrator's policy, loaded by run() before any command (docs/POLICY.md).
Policy s_policy;

// Human text of the commands (progress, results, help) in the language chosen; JSON stays English.
struct CliTexts
{
    Q_DECLARE_TR_FUNCTIONS(dc::cli::Cli)
};

// A collector's status as a person reads it (the JSON keeps statusKey()).
QString statusWord(Status status)
{
    switch (status) {
    case Status::Collected:
        return CliTexts::tr("collected");
    case Status::Truncated:
        return CliTexts::tr("truncated");
    case Status::Skipped:
        return CliTexts::tr("skipped");
    case Status::Failed:
        return CliTexts::tr("failed");
    }
    return statusKey(status);
}

// "error: <title>" / "warning: <title>": what support sees first, as collect and pack print it.
void printFindings(const analysis::Findings &findings)
{
    for (const analysis::Finding &finding : findings.findings) {
        if (finding.severity == analysis::Severity::Error)
            printErr(CliTexts::tr("error: %1").arg(finding.localized().title) + QLatin1Char('\n'));
        else if (finding.severity == analysis::Severity::Warning)
            printErr(CliTexts::tr("warning: %1").arg(finding.localized().title) + QLatin1Char('\n'));
    }
}

extern "C" void onInterrupt(int) { s_interrupted = true; }

// What one run changes in the process, put back when it ends, so that the next run() in the same
// process (an in-process caller: tests/cli/test_cliinprocess) starts as a new process does: the
// cancel flag and the policy, the signal handlers (the upload commands install their own), the
// translators and QLocale's default that --lang installed, and the loggers of log setup.
class RunScope
{
public:
    RunScope()
    {
        s_interrupted = false;
        s_policy = Policy();
#ifdef Q_OS_UNIX
        struct sigaction interrupt = {};
        interrupt.sa_handler = onInterrupt;
        sigemptyset(&interrupt.sa_mask);
        // A closed stdout (a fleet tool that went away) must not kill us mid-package.
        struct sigaction ignore = {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        for (std::size_t i = 0; i < kSignals.size(); ++i)
            sigaction(kSignals[i], kSignals[i] == SIGPIPE ? &ignore : &interrupt, &m_previous[i]);
#else
        for (std::size_t i = 0; i < kSignals.size(); ++i)
            m_previous[i] = std::signal(kSignals[i], onInterrupt);
#endif
    }

    ~RunScope()
    {
        log::reset();
        removeTranslations();
        QLocale::setDefault(m_locale);
#ifdef Q_OS_UNIX
        for (std::size_t i = 0; i < kSignals.size(); ++i)
            sigaction(kSignals[i], &m_previous[i], nullptr);
#else
        for (std::size_t i = 0; i < kSignals.size(); ++i)
            std::signal(kSignals[i], m_previous[i]);
#endif
    }

    RunScope(const RunScope &) = delete;
    RunScope &operator=(const RunScope &) = delete;

private:
#ifdef Q_OS_UNIX
    static constexpr std::array kSignals{SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    std::array<struct sigaction, kSignals.size()> m_previous = {};
#else
    static constexpr std::array kSignals{SIGINT, SIGTERM};
    std::array<void (*)(int), kSignals.size()> m_previous = {};
#endif
    QLocale m_locale; // the default before --lang
};

QString humanBytes(qint64 bytes) { return core::byteSize(bytes); }

void addProfileOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("profile"), CliTexts::tr("Use the profile FILE instead of the built-in one."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("define"), CliTexts::tr("Set profile variable NAME to VALUE (repeatable)."),
                      QStringLiteral("NAME=VALUE")});
}

Result<Profile> profileFromOptions(const QCommandLineParser &parser)
{
    return loadProfileWithDefines(parser.value(QStringLiteral("profile")), parser.values(QStringLiteral("define")));
}

// Parses a subcommand's arguments; returns an exit code when the command
// should stop now (help shown or a usage error), or -1 to go on.
int parseArguments(QCommandLineParser &parser, const QStringList &arguments, const QString &synopsis)
{
    parser.setApplicationDescription(synopsis);
    // Our own -h/--help: Qt's (and its --help-all) would speak only the languages Qt's catalogue has.
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, CliTexts::tr("Show this help.")});
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(commandHelp(parser, arguments.constFirst()));
        return int(ExitCode::Ok);
    }
    return -1;
}

// Progress on stderr: a redrawn bar on a terminal, one line per item otherwise
// (logs of remote runs stay readable).
class ProgressPrinter
{
public:
    explicit ProgressPrinter(bool quiet)
        : m_quiet(quiet)
        , m_terminal(stderrIsTerminal())
    {
    }

    void itemFinished(const ItemResult &result, int done, int total)
    {
        if (m_quiet)
            return;
        if (m_terminal) {
            constexpr int kWidth = 30;
            const int filled = total > 0 ? done * kWidth / total : kWidth;
            printErr(QStringLiteral("\r\033[K[%1%2] %3/%4 %5")
                         .arg(QString(filled, QLatin1Char('#')), QString(kWidth - filled, QLatin1Char('.')))
                         .arg(done)
                         .arg(total)
                         .arg(result.id));
            if (done == total)
                printErr(QStringLiteral("\n"));
            return;
        }
        QString line = QStringLiteral("[%1/%2] %3: %4").arg(done).arg(total).arg(result.id, statusWord(result.status));
        if (!result.reason.isEmpty())
            line += QStringLiteral(" (%1)").arg(reasonText(result.reason));
        printErr(line + QLatin1Char('\n'));
    }

    void packaging(qint64 done, qint64 total)
    {
        if (m_quiet || !m_terminal || total <= 0)
            return;
        printErr(QStringLiteral("\r\033[K") + CliTexts::tr("packaging %1%").arg(done * 100 / total));
        if (done >= total)
            printErr(QStringLiteral("\n"));
    }

private:
    bool m_quiet;
    bool m_terminal;
};

// notSent: the upload after a saved archive failed ("upload" says so in JSON).
void printCollectResult(
    const Delivery &delivery, ArchiveFormat format, bool json, qint64 elapsedMs, const QJsonObject &notSent = {})
{
    const Manifest &manifest = delivery.manifest;
    const Manifest::Totals totals = manifest.totals();
    if (json) {
        QJsonObject redaction{{QStringLiteral("enabled"), delivery.redactionOn},
                              {QStringLiteral("redacted"), delivery.redacted},
                              {QStringLiteral("excluded_files"), delivery.excludedFiles}};
        if (!delivery.mapPath.isEmpty())
            redaction.insert(QStringLiteral("map"), delivery.mapPath);
        QJsonObject object{
            {QStringLiteral("archive"), delivery.archive.path},
            {QStringLiteral("bytes"), delivery.archive.bytes},
            {QStringLiteral("sha256"), QString::fromLatin1(delivery.archive.sha256)},
            {QStringLiteral("format"), archiveExtension(format)},
            {QStringLiteral("case_id"), manifest.caseId},
            {QStringLiteral("profile"), manifest.profileName},
            {QStringLiteral("staged_bytes"), totals.bytes},
            {QStringLiteral("duration_ms"), elapsedMs},
            {QStringLiteral("items"), QJsonObject{{QStringLiteral("total"), int(manifest.items.size())},
                                                  {QStringLiteral("collected"), totals.collected},
                                                  {QStringLiteral("truncated"), totals.truncated},
                                                  {QStringLiteral("skipped"), totals.skipped},
                                                  {QStringLiteral("failed"), totals.failed}}},
            {QStringLiteral("redaction"), redaction},
        };
        if (!delivery.stagingPath.isEmpty())
            object.insert(QStringLiteral("staging"), delivery.stagingPath);
        if (!delivery.receiptPath.isEmpty())
            object.insert(QStringLiteral("receipt"), delivery.receiptPath);
        if (!delivery.warnings.isEmpty())
            object.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(delivery.warnings));
        object.insert(QStringLiteral("findings"),
                      QJsonObject{{QStringLiteral("error"), delivery.findings.count(analysis::Severity::Error)},
                                  {QStringLiteral("warning"), delivery.findings.count(analysis::Severity::Warning)},
                                  {QStringLiteral("info"), delivery.findings.count(analysis::Severity::Info)}});
        if (delivery.sealed)
            object.insert(QStringLiteral("sealed"), QJsonObject{{QStringLiteral("key_id"), delivery.sealKeyId}});
        if (!notSent.isEmpty())
            object.insert(QStringLiteral("upload"), notSent);
        else if (delivery.upload)
            object.insert(QStringLiteral("upload"),
                          QJsonObject{{QStringLiteral("sent"), true},
                                      {QStringLiteral("url"), delivery.upload->url},
                                      {QStringLiteral("requests"), delivery.upload->requests},
                                      {QStringLiteral("retries"), delivery.upload->retries},
                                      {QStringLiteral("resumes"), delivery.upload->resumes},
                                      {QStringLiteral("size_verified"), delivery.upload->sizeVerified},
                                      {QStringLiteral("sha256_verified"), delivery.upload->sha256Verified},
                                      {QStringLiteral("verification"), delivery.upload->verification}});
        printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
        return;
    }
    if (delivery.upload)
        printErr(CliTexts::tr("sent to %1; %2").arg(delivery.upload->host, delivery.upload->verification) +
                 QLatin1Char('\n'));
    //: The end of collect: items by status, bytes staged, the archive's size and the time it took.
    printErr(CliTexts::tr("%n item(s): %1 collected, %2 truncated, %3 skipped, %4 failed; %5 staged, archive %6 "
                          "in %7 s",
                          nullptr, int(manifest.items.size()))
                 .arg(totals.collected)
                 .arg(totals.truncated)
                 .arg(totals.skipped)
                 .arg(totals.failed)
                 .arg(humanBytes(totals.bytes), humanBytes(delivery.archive.bytes))
                 .arg(double(elapsedMs) / 1000.0, 0, 'f', 1) +
             QLatin1Char('\n'));
    if (delivery.redactionOn)
        printErr(CliTexts::tr("%n value(s) redacted; your pseudonym map (keep it, never send it): %1", nullptr,
                              int(delivery.redacted))
                     .arg(delivery.mapPath) +
                 QLatin1Char('\n'));
    if (!delivery.stagingPath.isEmpty())
        printErr(CliTexts::tr("staging kept at %1").arg(delivery.stagingPath) + QLatin1Char('\n'));
    // What support will see first (findings.json, summary.html): the errors and warnings.
    printFindings(delivery.findings);
    printOut(delivery.archive.path + QLatin1Char('\n'));
}

int runCollect(const QStringList &arguments)
{
    QCommandLineParser parser;
    addProfileOptions(parser);
    parser.addOptions({
        {QStringLiteral("output"), CliTexts::tr("Write the archive into DIR (default: the Desktop, else home)."),
         QStringLiteral("DIR")},
        {QStringLiteral("format"), CliTexts::tr("Archive format: tar.zst (default) or zip."), QStringLiteral("FORMAT"),
         QStringLiteral("tar.zst")},
        {QStringLiteral("case-id"), CliTexts::tr("Support case ID, used in the archive name."), QStringLiteral("ID")},
        {QStringLiteral("skip"), CliTexts::tr("Leave out the non-essential item ID (repeatable)."),
         QStringLiteral("ID")},
        {QStringLiteral("full-logs"), CliTexts::tr("Also collect the profile's full-log-mode items.")},
        {QStringLiteral("no-redact"),
         CliTexts::tr("Do not redact personal data (names, addresses, secrets). Loud, and refused by an admin "
                      "policy that forbids it.")},
        {QStringLiteral("redact-term"), CliTexts::tr("Also redact TEXT wherever it occurs (repeatable)."),
         QStringLiteral("TEXT")},
        {QStringLiteral("redact-rules"),
         CliTexts::tr("Extra redaction keywords and patterns from FILE (see docs/REDACTION.md)."),
         QStringLiteral("FILE")},
        {QStringLiteral("rules"),
         CliTexts::tr("Also apply the analysis rules in FILE (repeatable; see docs/ANALYSIS.md). A rules file "
                      "with mistakes stops before anything is collected."),
         QStringLiteral("FILE")},
        {QStringLiteral("include-binary"),
         CliTexts::tr("Include binary files (crash dumps) with every value chosen for redaction masked in place; "
                      "they are left out by default (full-log mode includes the product's own).")},
        {QStringLiteral("keep-staging"),
         CliTexts::tr("Keep the staging folder after packaging (under a policy that forces redaction, only the "
                      "redacted copy).")},
        {QStringLiteral("json"), CliTexts::tr("Print one JSON object with the result on stdout.")},
        {QStringLiteral("quiet"), CliTexts::tr("No progress on stderr.")},
        {QStringLiteral("verbose"), CliTexts::tr("Log details to stderr.")},
    });
    addDeliveryOptions(parser);
    addCollectPolicyOptions(parser);
    if (int code = parseArguments(parser, arguments,
                                  CliTexts::tr("Collect diagnostics headlessly and package them into an archive."));
        code >= 0)
        return code;
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            CliTexts::tr("collect takes no arguments, got \"%1\"").arg(parser.positionalArguments().first()));

    const bool json = parser.isSet(QStringLiteral("json"));
    const bool quiet = parser.isSet(QStringLiteral("quiet"));
    const auto format = archiveFormatFromName(parser.value(QStringLiteral("format")));
    if (!format)
        return usageError(CliTexts::tr("unknown format \"%1\" (expected tar.zst or zip)")
                              .arg(parser.value(QStringLiteral("format"))));
    if (parser.isSet(QStringLiteral("reproduce")) && !parser.isSet(QStringLiteral("full-logs")))
        return usageError(CliTexts::tr("--reproduce needs --full-logs"), json);

    log::LogOptions logOptions;
    logOptions.toStderr = true;
    logOptions.stderrLevel = parser.isSet(QStringLiteral("verbose")) ? spdlog::level::info
                             : quiet                                 ? spdlog::level::err
                                                                     : spdlog::level::warn;
    setupLogging(logOptions);

    RunRequest request;
    request.profilePath = parser.value(QStringLiteral("profile"));
    request.defines = parser.values(QStringLiteral("define"));
    request.caseId = parser.value(QStringLiteral("case-id"));
    request.fullLogs = parser.isSet(QStringLiteral("full-logs"));
    const QStringList skips = parser.values(QStringLiteral("skip"));
    request.optedOut = QSet<QString>(skips.cbegin(), skips.cend());
    request.remote = parser.isSet(QStringLiteral("remote"));
    request.redact = !parser.isSet(QStringLiteral("no-redact"));
    request.redactTerms = parser.values(QStringLiteral("redact-term"));
    request.redactRulesFile = parser.value(QStringLiteral("redact-rules"));
    request.analysisRulesFiles = parser.values(QStringLiteral("rules"));
    request.includeBinary = parser.isSet(QStringLiteral("include-binary"));
    request.keepStaging = parser.isSet(QStringLiteral("keep-staging"));
    request.outputDir = parser.value(QStringLiteral("output"));
    request.format = *format;
    if (int code = readDeliveryOptions(parser, request); code >= 0)
        return code;

    auto job = CollectionJob::create(request, s_policy);
    if (!job)
        return reportError(job.error(), json);
    if (!(*job)->redacting()) {
        printErr(QStringLiteral("diagcollect: ") +
                 CliTexts::tr("WARNING: --no-redact: personal data (user and host names, addresses, secrets) will be "
                              "in the archive as collected.") +
                 QLatin1Char('\n'));
        log::get("cli")->warn("redaction disabled with --no-redact");
    }
    QObject::connect(job->get(), &CollectionJob::fullLoggingReleased, job->get(),
                     [quiet](const QString &, bool restored, const QString &message, const QStringList &warnings) {
                         if (!quiet || !restored || !warnings.isEmpty())
                             printErr(QStringLiteral("diagcollect: %1\n").arg(message));
                         for (const QString &warning : warnings)
                             printWarning(warning);
                     });
    // --full-logs --reproduce: full logging until the collection ends (restored on every way out).
    if (int code = reproduceRound(parser, **job, json, &s_interrupted); code >= 0)
        return code;

    QElapsedTimer clock;
    clock.start();
    ProgressPrinter progress(quiet || (json && !stderrIsTerminal()));
    int done = 0;
    QObject::connect(job->get(), &CollectionJob::itemFinished, job->get(), [&](const ItemResult &result) {
        progress.itemFinished(result, ++done, int((*job)->runner()->plannedItems().size()));
    });
    QObject::connect(job->get(), &CollectionJob::packagingProgress, job->get(),
                     [&progress](qint64 bytesDone, qint64 bytesTotal) { progress.packaging(bytesDone, bytesTotal); });
    UploadProgressPrinter uploadProgress(quiet, parser.isSet(QStringLiteral("verbose")));
    QObject::connect(job->get(), &CollectionJob::uploadStatus, job->get(),
                     [&uploadProgress](const QString &message) { uploadProgress.status(message); });
    QObject::connect(job->get(), &CollectionJob::uploadProgress, job->get(),
                     [&uploadProgress](qint64 sent, qint64 total) { uploadProgress.progress(sent, total); });
    auto delivery = (*job)->runToEnd(&s_interrupted);
    uploadProgress.done();
    // The archive is written and kept, only the upload failed: "saved, not sent" (exit code 4).
    if (!delivery && (*job)->delivery() && (*job)->stage() == CollectionJob::Stage::Delivered &&
        delivery.error().code != ErrorCode::Cancelled) {
        const Delivery &saved = *(*job)->delivery();
        const ExitCode code = exitCodeFor(delivery.error().code) == ExitCode::Failure
                                  ? ExitCode::NotSent
                                  : exitCodeFor(delivery.error().code);
        printErr(QStringLiteral("diagcollect: %1\n").arg(delivery.error().message));
        const UploadReport &attempt = (*job)->lastUploadAttempt();
        QJsonObject notSent = notSentJson(saved.archive.path, attempt,
                                          attempt.failure.isEmpty() ? delivery.error().message : attempt.failure);
        notSent.insert(QStringLiteral("exit_code"), int(code));
        printCollectResult(saved, *format, json, clock.elapsed(), notSent);
        return int(code);
    }
    if (!delivery) {
        if (delivery.error().code == ErrorCode::Cancelled)
            log::get("cli")->warn("collection cancelled; nothing was written");
        return reportError(delivery.error(), json);
    }
    for (const QString &warning : std::as_const(delivery->warnings))
        printWarning(warning);
    printCollectResult(*delivery, *format, json, clock.elapsed());
    return int(ExitCode::Ok);
}

// The human text of `list` follows the language choice (--lang, else the system's); its
// JSON stays as the profile is written.
struct ListTexts
{
    Q_DECLARE_TR_FUNCTIONS(dc::cli::List)
};

int runList(const QStringList &arguments)
{
    QCommandLineParser parser;
    addProfileOptions(parser);
    parser.addOptions({
        {QStringLiteral("json"), CliTexts::tr("Print the items as JSON.")},
        {QStringLiteral("estimate"), CliTexts::tr("Also show the expected size per category.")},
        {QStringLiteral("all-platforms"), CliTexts::tr("List the items of every platform, not only this one.")},
        {QStringLiteral("full-logs"), CliTexts::tr("Include the full-log-mode items.")},
    });
    if (int code = parseArguments(parser, arguments,
                                  CliTexts::tr("List what would be collected on this platform; collects nothing."));
        code >= 0)
        return code;
    const bool json = parser.isSet(QStringLiteral("json"));
    auto profile = profileFromOptions(parser);
    if (!profile)
        return reportError(profile.error(), json);
    const bool fullLogs = parser.isSet(QStringLiteral("full-logs"));
    const QList<ItemSpec> items = parser.isSet(QStringLiteral("all-platforms"))
                                      ? profile->itemsFor(AllPlatforms, fullLogs)
                                      : profile->itemsFor(currentPlatformBit(), fullLogs);

    // Files items are measured on disk (sizes only); commands and probes use
    // the profile's estimate, since running them would be collecting.
    QMap<Category, qint64> estimates;
    QMap<QString, qint64> itemEstimates;
    if (parser.isSet(QStringLiteral("estimate"))) {
        const std::atomic_bool never{false};
        CollectContext context(QString(), *profile, never);
        for (const ItemSpec &item : items) {
            const qint64 bytes = item.kind == ItemKind::Files && item.appliesTo(currentPlatformBit())
                                     ? FileCollector::estimateBytes(item, context)
                                     : item.estimateBytes;
            itemEstimates.insert(item.id, bytes);
            estimates[item.category] += bytes;
        }
    }

    if (json) {
        QJsonArray array;
        for (const ItemSpec &item : items) {
            QJsonArray platforms;
            for (auto [bit, name] : {std::pair{Linux, "linux"}, {Windows, "windows"}, {MacOS, "macos"}})
                if (item.platforms & bit)
                    platforms.append(QLatin1String(name));
            QJsonObject object{{QStringLiteral("id"), item.id},
                               {QStringLiteral("title"), item.title},
                               {QStringLiteral("kind"), itemKindKey(item.kind)},
                               {QStringLiteral("category"), categoryKey(item.category)},
                               {QStringLiteral("purpose"), item.purpose},
                               {QStringLiteral("essential"), item.essential},
                               {QStringLiteral("full_logs_only"), item.fullLogsOnly},
                               {QStringLiteral("needs_admin"), item.needsAdmin},
                               {QStringLiteral("platforms"), platforms},
                               {QStringLiteral("staged_path"), item.stagedPath()}};
            if (parser.isSet(QStringLiteral("estimate")))
                object.insert(QStringLiteral("estimate_bytes"), itemEstimates.value(item.id));
            array.append(object);
        }
        QJsonObject root{{QStringLiteral("profile"), profile->name}, {QStringLiteral("items"), array}};
        if (parser.isSet(QStringLiteral("estimate"))) {
            QJsonObject perCategory;
            for (Category category : kAllCategories)
                perCategory.insert(categoryKey(category), estimates.value(category));
            root.insert(QStringLiteral("estimate_bytes_per_category"), perCategory);
        }
        printOut(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return int(ExitCode::Ok);
    }

    QString text = ListTexts::tr("Profile \"%1\": %n item(s)", nullptr, int(items.size())).arg(profile->name);
    text += QLatin1Char('\n');
    if (const QString description = profileDescription(*profile); !description.isEmpty())
        text += description + QLatin1Char('\n');
    for (Category category : kAllCategories) {
        bool header = false;
        for (const ItemSpec &item : items) {
            if (item.category != category)
                continue;
            if (!header) {
                text += QStringLiteral("\n%1 (%2)").arg(categoryTitle(category), categoryKey(category));
                if (parser.isSet(QStringLiteral("estimate")))
                    text += ListTexts::tr(", about %1").arg(humanBytes(estimates.value(category)));
                text += QLatin1Char('\n');
                header = true;
            }
            QStringList flags;
            flags << (item.essential ? ListTexts::tr("essential") : ListTexts::tr("optional"));
            if (item.fullLogsOnly)
                flags << ListTexts::tr("full logs only");
            if (item.needsAdmin)
                flags << ListTexts::tr("needs admin");
            //: An item of `diagcollect list`: its id, its title, its flags and, on the next line, its purpose.
            text += ListTexts::tr("  %1  %2 [%3]\n      %4\n")
                        .arg(item.id, itemTitle(item, *profile), flags.join(ListTexts::tr(", ")),
                             itemPurpose(item, *profile));
        }
    }
    printOut(text);
    return int(ExitCode::Ok);
}

int runVerify(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("archive"), CliTexts::tr("The archive to check."));
    parser.addOption({QStringLiteral("json"), CliTexts::tr("Print the result as JSON.")});
    if (int code = parseArguments(parser, arguments,
                                  CliTexts::tr("Check every entry of an archive against its manifest.json."));
        code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(CliTexts::tr("verify takes exactly one archive"));
    const bool json = parser.isSet(QStringLiteral("json"));
    auto report = verifyArchive(parser.positionalArguments().first());
    if (!report)
        return reportError(Error{ErrorCode::Verification, report.error().message}, json);
    if (json) {
        QJsonObject object{{QStringLiteral("intact"), report->intact},
                           {QStringLiteral("entries"), report->entries},
                           {QStringLiteral("problems"), QJsonArray::fromStringList(report->problems)}};
        printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
    } else if (report->intact) {
        printOut(CliTexts::tr("intact: %n entries match manifest.json", nullptr, report->entries) + QLatin1Char('\n'));
    } else {
        for (const QString &problem : std::as_const(report->problems))
            printOut(problem + QLatin1Char('\n'));
        printErr(QStringLiteral("diagcollect: ") +
                 CliTexts::tr("the archive does not match its manifest (%n problem(s))", nullptr,
                              int(report->problems.size())) +
                 QLatin1Char('\n'));
    }
    return report->intact ? int(ExitCode::Ok) : int(ExitCode::Failure);
}

int runPack(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("staging"), CliTexts::tr("A staging folder kept with --keep-staging."));
    parser.addOptions({
        {QStringLiteral("output"), CliTexts::tr("Write the archive into DIR."), QStringLiteral("DIR")},
        {QStringLiteral("format"), CliTexts::tr("tar.zst (default) or zip."), QStringLiteral("FORMAT"),
         QStringLiteral("tar.zst")},
        {QStringLiteral("rules"), CliTexts::tr("Also apply the analysis rules in FILE (repeatable)."),
         QStringLiteral("FILE")},
        {QStringLiteral("profile"),
         CliTexts::tr("Apply the analysis rules of profile FILE (FILE's .rules.json); default: the profile the "
                      "folder was collected with, when its file is there."),
         QStringLiteral("FILE")},
    });
    if (int code = parseArguments(parser, arguments,
                                  CliTexts::tr("Package a staging folder again after editing it by hand. Edited "
                                               "and removed files are recorded in the manifest. The "
                                               "administrator's policy applies as in collect: redacted again "
                                               "under force_redaction, sealed under require_sealing."));
        code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(CliTexts::tr("pack takes exactly one staging folder"));
    const auto format = archiveFormatFromName(parser.value(QStringLiteral("format")));
    if (!format)
        return usageError(CliTexts::tr("unknown format \"%1\"").arg(parser.value(QStringLiteral("format"))));
    setupLogging({.toStderr = true});
    PackRequest request;
    request.stagingDir = parser.positionalArguments().first();
    request.outputDir = parser.value(QStringLiteral("output"));
    request.format = *format;
    request.profilePath = parser.value(QStringLiteral("profile"));
    request.analysisRulesFiles = parser.values(QStringLiteral("rules"));
    auto packed = packStaging(request, s_policy, &s_interrupted);
    if (!packed)
        return reportError(packed.error(), false);
    for (const QString &warning : std::as_const(packed->warnings))
        printWarning(warning);
    // Analysed again on what was packed: the errors and warnings, as collect prints them.
    printFindings(packed->findings);
    printOut(packed->archive.path + QLatin1Char('\n'));
    return int(ExitCode::Ok);
}

int runProbes(const QStringList &arguments)
{
    QCommandLineParser parser;
    if (int code = parseArguments(parser, arguments, CliTexts::tr("List the built-in probes a profile can use."));
        code >= 0)
        return code;
    for (const ProbeInfo &probe : probeTable())
        printOut(QStringLiteral("%1\t%2\n").arg(QLatin1String(probe.name), QLatin1String(probe.description)));
    return int(ExitCode::Ok);
}

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments);
};

const Command kCommands[] = {
    {"collect", QT_TRANSLATE_NOOP("dc::cli::Cli", "collect diagnostics and package them (headless)"), runCollect},
    {"list", QT_TRANSLATE_NOOP("dc::cli::Cli", "list what would be collected, with purposes"), runList},
    {"verify", QT_TRANSLATE_NOOP("dc::cli::Cli", "check an archive against its manifest"), runVerify},
    {"pack", QT_TRANSLATE_NOOP("dc::cli::Cli", "package a kept staging folder after editing it"), runPack},
    {"probes", QT_TRANSLATE_NOOP("dc::cli::Cli", "list the built-in probes"), runProbes},
    {"redact", QT_TRANSLATE_NOOP("dc::cli::Cli", "redact one file with the built-in rules and the policy's"),
     [](const QStringList &arguments) { return runRedactCommand(arguments, s_policy); }},
    {"rules", QT_TRANSLATE_NOOP("dc::cli::Cli", "list the redaction rules"), runRulesCommand},
    {"upload", QT_TRANSLATE_NOOP("dc::cli::Cli", "send an archive to support over HTTPS (resumable)"),
     [](const QStringList &arguments) { return runUploadCommand(arguments, s_policy); }},
    {"keygen", QT_TRANSLATE_NOOP("dc::cli::Cli", "create a key pair for sealed archives (support side)"),
     runKeygenCommand},
    {"seal", QT_TRANSLATE_NOOP("dc::cli::Cli", "seal an archive to support's public key"), runSealCommand},
    {"unseal", QT_TRANSLATE_NOOP("dc::cli::Cli", "decrypt a sealed archive with the secret key"), runUnsealCommand},
    {"analyze", QT_TRANSLATE_NOOP("dc::cli::Cli", "list what looks wrong in an archive or staging folder"),
     [](const QStringList &arguments) { return runAnalyzeCommand(arguments, s_policy); }},
    {"diff", QT_TRANSLATE_NOOP("dc::cli::Cli", "compare two archives of one machine"),
     [](const QStringList &arguments) { return runDiffCommand(arguments, s_policy); }},
    {"full-logging",
     QT_TRANSLATE_NOOP("dc::cli::Cli", "raise the product's logging to full, or restore it (on|off|status)"),
     [](const QStringList &arguments) { return runFullLoggingCommand(arguments, s_policy); }},
    {"policy", QT_TRANSLATE_NOOP("dc::cli::Cli", "show the administrator's policy in effect"),
     [](const QStringList &arguments) { return runPolicyCommand(arguments, s_policy); }},
};

QString mainHelp()
{
    QString text = CliTexts::tr("Usage: diagcollect [COMMAND] [OPTIONS]\n\n"
                                "Diagnostics Collector gathers a product's service logs, the operating system's "
                                "configuration,\nsystem logs, event history and crash dumps into an archive for "
                                "support. Started without a\ncommand it opens the desktop wizard.\n\nCommands:\n");
    qsizetype width = 0;
    for (const Command &command : kCommands)
        width = std::max(width, qsizetype(std::strlen(command.name)));
    for (const Command &command : kCommands)
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromLatin1(command.name).leftJustified(width), CliTexts::tr(command.summary));
    text += CliTexts::tr("\nRun 'diagcollect COMMAND --help' for a command's options.\n\n"
                         "Global options: --policy FILE uses FILE as the administrator's policy (to test one);\n"
                         "--lang en|ja sets the language of human-readable output (default: the system's;\n"
                         "JSON output is always English).\n\n"
                         "Exit codes: 0 ok, 1 failure, 2 usage, profile or policy error, 3 refused by the\n"
                         "administrator's policy, 4 saved but not sent, 130 cancelled.\n");
    return text;
}

// Takes the global --lang LANG / --lang=LANG out of arguments and installs the translations of
// the language chosen (core::installTranslations: LANG, else the system locale). Nothing is
// installed for --json: the JSON of every command, its error messages included, stays English.
// Returns an exit code on a usage error, else -1.
int takeLanguage(QStringList &arguments)
{
    QString language;
    bool json = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1String("--"))
            break;
        if (argument == QLatin1String("--json"))
            json = true;
        if (argument == QLatin1String("--lang")) {
            if (i + 1 >= arguments.size())
                return usageError(QStringLiteral("--lang needs a language (en or ja)"));
            language = arguments.at(i + 1);
            arguments.remove(i, 2);
            --i;
        } else if (argument.startsWith(QLatin1String("--lang="))) {
            language = argument.mid(7);
            arguments.remove(i);
            --i;
        } else {
            continue;
        }
        if (!isSupportedLanguage(language))
            return usageError(QStringLiteral("--lang: unknown language \"%1\" (en or ja)").arg(language));
    }
    if (!json)
        installTranslations(language);
    return -1;
}

} // namespace

bool wantsCli(const QStringList &arguments) { return arguments.size() > 1; }

int run(const QStringList &originalArguments)
{
    const RunScope scope;
    QStringList arguments = originalArguments;
    // The language of human text (--lang en|ja, else the system's) before anything is
    // printed, the help included; JSON output stays English.
    if (int code = takeLanguage(arguments); code >= 0)
        return code;
    if (arguments.size() < 2) {
        printErr(mainHelp());
        return int(ExitCode::Usage);
    }
    const QString name = arguments.at(1);
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help")) {
        printOut(mainHelp());
        return int(ExitCode::Ok);
    }
    if (name == QLatin1String("--version") || name == QLatin1String("-v")) {
        printOut(QStringLiteral("diagcollect %1\n").arg(QStringLiteral(DIAGCOLLECT_VERSION)));
        return int(ExitCode::Ok);
    }
    // Every start: a product logging level left at full by a process that is
    // gone, or past its time cap, is restored first (full-logging reports it itself).
    if (name != QLatin1String("full-logging"))
        recoverFullLoggingAtStart();
    // And the staging a killed run left (collected data before redaction); kept folders stay.
    Staging::removeDeadRuns();
    // A policy with mistakes stops every command (exit 2) rather than being ignored.
    if (int code = loadPolicyFromArguments(arguments, s_policy); code >= 0)
        return code;
    if (arguments.size() < 2)
        return usageError(CliTexts::tr("no command given"));
    for (const Command &command : kCommands) {
        if (arguments.at(1) == QLatin1String(command.name)) {
            QStringList rest = arguments.mid(2);
            rest.prepend(arguments.first() + QLatin1Char(' ') + arguments.at(1));
            return command.run(rest);
        }
    }
    return usageError(CliTexts::tr("unknown command \"%1\"").arg(arguments.at(1)));
}

} // namespace dc::cli
