// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/cli.h"

#include "app/cli/admincommands.h"
#include "app/cli/analyzecommands.h"
#include "app/cli/clioutput.h"
#include "app/cli/redactcommands.h"
#include "app/cli/uploadcommands.h"
#include "core/bundle/archive.h"
#include "core/collect/collectsession.h"
#include "core/collectors/filecollector.h"
#include "core/collectors/probes.h"
#include "core/log/logging.h"
#include "core/redact/machinecontext.h"
#include "core/redact/redactor.h"
#include "core/redact/stagingredactor.h"
#include "core/util/exitcodes.h"
#include "core/util/paths.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <atomic>
#include <csignal>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace dc::cli {

using namespace dc::core;

namespace {

std::atomic_bool s_interrupted{false};
// The administrator's policy, loaded by run() before any command (docs/POLICY.md).
Policy s_policy;

extern "C" void onInterrupt(int) { s_interrupted = true; }

void installSignalHandlers()
{
#ifdef Q_OS_UNIX
    struct sigaction action = {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    for (int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaction(signal, &action, nullptr);
    // A closed stdout (a fleet tool that went away) must not kill us mid-package.
    std::signal(SIGPIPE, SIG_IGN);
#else
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
#endif
}

QString humanBytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

void addProfileOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("profile"), QStringLiteral("Use the profile FILE instead of the built-in one."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("define"), QStringLiteral("Set profile variable NAME to VALUE (repeatable)."),
                      QStringLiteral("NAME=VALUE")});
}

Result<Profile> profileFromOptions(const QCommandLineParser &parser)
{
    ProfileLoadOptions options;
    for (const QString &definition : parser.values(QStringLiteral("define"))) {
        const qsizetype equals = definition.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return fail(ErrorCode::Usage, QStringLiteral("--define expects NAME=VALUE, got \"%1\"").arg(definition));
        options.defines.insert(definition.left(equals), definition.mid(equals + 1));
    }
    if (parser.isSet(QStringLiteral("profile")))
        return loadProfile(parser.value(QStringLiteral("profile")), options);
    return loadDefaultProfile(options);
}

// Parses a subcommand's arguments; returns an exit code when the command
// should stop now (help shown or a usage error), or -1 to go on.
int parseArguments(QCommandLineParser &parser, const QStringList &arguments, const QString &synopsis)
{
    parser.setApplicationDescription(synopsis);
    parser.addHelpOption();
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
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
        QString line = QStringLiteral("[%1/%2] %3: %4").arg(done).arg(total).arg(result.id, statusKey(result.status));
        if (!result.reason.isEmpty())
            line += QStringLiteral(" (%1)").arg(result.reason);
        printErr(line + QLatin1Char('\n'));
    }

    void packaging(qint64 done, qint64 total)
    {
        if (m_quiet || !m_terminal || total <= 0)
            return;
        printErr(QStringLiteral("\r\033[Kpackaging %1%").arg(done * 100 / total));
        if (done >= total)
            printErr(QStringLiteral("\n"));
    }

private:
    bool m_quiet;
    bool m_terminal;
};

int runCollect(const QStringList &arguments)
{
    QCommandLineParser parser;
    addProfileOptions(parser);
    parser.addOptions({
        {QStringLiteral("output"), QStringLiteral("Write the archive into DIR (default: the Desktop, else home)."),
         QStringLiteral("DIR")},
        {QStringLiteral("format"), QStringLiteral("Archive format: tar.zst (default) or zip."),
         QStringLiteral("FORMAT"), QStringLiteral("tar.zst")},
        {QStringLiteral("case-id"), QStringLiteral("Support case ID, used in the archive name."), QStringLiteral("ID")},
        {QStringLiteral("skip"), QStringLiteral("Leave out the non-essential item ID (repeatable)."),
         QStringLiteral("ID")},
        {QStringLiteral("full-logs"), QStringLiteral("Also collect the profile's full-log-mode items.")},
        {QStringLiteral("no-redact"),
         QStringLiteral("Do not redact personal data (names, addresses, secrets). Loud, and refused by an admin "
                        "policy that forbids it.")},
        {QStringLiteral("redact-term"), QStringLiteral("Also redact TEXT wherever it occurs (repeatable)."),
         QStringLiteral("TEXT")},
        {QStringLiteral("redact-rules"),
         QStringLiteral("Extra redaction keywords and patterns from FILE (see docs/REDACTION.md)."),
         QStringLiteral("FILE")},
        {QStringLiteral("include-binary"),
         QStringLiteral("Include binary files (crash dumps) with every value chosen for redaction masked in place; "
                        "they are left out by default (full-log mode includes the product's own).")},
        {QStringLiteral("keep-staging"), QStringLiteral("Keep the staging folder after packaging.")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object with the result on stdout.")},
        {QStringLiteral("quiet"), QStringLiteral("No progress on stderr.")},
        {QStringLiteral("verbose"), QStringLiteral("Log details to stderr.")},
    });
    addDeliveryOptions(parser);
    addCollectPolicyOptions(parser);
    if (int code = parseArguments(parser, arguments,
                                  QStringLiteral("Collect diagnostics headlessly and package them into an archive."));
        code >= 0)
        return code;
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            QStringLiteral("collect takes no arguments, got \"%1\"").arg(parser.positionalArguments().first()));

    const bool json = parser.isSet(QStringLiteral("json"));
    const auto format = archiveFormatFromName(parser.value(QStringLiteral("format")));
    if (!format)
        return usageError(QStringLiteral("unknown format \"%1\" (expected tar.zst or zip)")
                              .arg(parser.value(QStringLiteral("format"))));
    const QString outputDir = parser.isSet(QStringLiteral("output"))
                                  ? QDir(parser.value(QStringLiteral("output"))).absolutePath()
                                  : paths::defaultOutputDir();

    log::LogOptions logOptions;
    logOptions.toStderr = true;
    logOptions.stderrLevel = parser.isSet(QStringLiteral("verbose")) ? spdlog::level::info
                             : parser.isSet(QStringLiteral("quiet")) ? spdlog::level::err
                                                                     : spdlog::level::warn;
    log::setup(logOptions);
    auto logger = log::get("cli");

    auto profile = profileFromOptions(parser);
    if (!profile)
        return reportError(profile.error(), json);
    RunOptions policyRun; // the policy wins over the profile and the options
    policyRun.fullLogs = parser.isSet(QStringLiteral("full-logs"));
    if (int code = applyCollectPolicy(parser, s_policy, *profile, policyRun, json); code >= 0)
        return code;
    // A root run refuses an output folder another user could steer (exit code 2).
    if (auto prepared = prepareOutputFolder(outputDir); !prepared)
        return reportError(prepared.error(), json);
    if (int code = prepareDelivery(parser, *profile, outputDir); code >= 0)
        return code;

    // Redaction rules are checked before anything is collected: a bad rules
    // file is a usage error, not a surprise after a long collection.
    const bool redact = !parser.isSet(QStringLiteral("no-redact"));
    RedactionRules redactionRules = RedactionRules::defaults(MachineContext::detect());
    for (const QString &term : parser.values(QStringLiteral("redact-term")))
        redactionRules.addKeyword(term);
    if (parser.isSet(QStringLiteral("redact-rules"))) {
        if (auto loaded = redactionRules.loadFile(parser.value(QStringLiteral("redact-rules"))); !loaded)
            return reportError(Error{ErrorCode::Usage, loaded.error().message}, json);
    }
    if (auto added = addPolicyRedactionRules(s_policy, redactionRules); !added)
        return reportError(added.error(), json);
    if (!redact) {
        printErr(QStringLiteral("diagcollect: WARNING: --no-redact: personal data (user and host names, addresses, "
                                "secrets) will be in the archive as collected.\n"));
        logger->warn("redaction disabled with --no-redact");
    }

    CollectRequest request;
    request.profile = *profile;
    request.caseId = parser.value(QStringLiteral("case-id"));
    request.run.fullLogs = parser.isSet(QStringLiteral("full-logs"));
    request.run.policySkips = policyRun.policySkips;
    for (const QString &id : parser.values(QStringLiteral("skip"))) {
        const auto it = std::find_if(profile->items.cbegin(), profile->items.cend(),
                                     [&](const ItemSpec &item) { return item.id == id; });
        if (it == profile->items.cend())
            return usageError(QStringLiteral("--skip: the profile has no item \"%1\"").arg(id));
        if (it->essential)
            return usageError(QStringLiteral("--skip: \"%1\" is essential and cannot be left out").arg(id));
        request.run.optedOut.insert(id);
    }

    // --full-logs --reproduce: full logging until the round ends (restored on every way out).
    std::unique_ptr<FullLogRound> fullLogRound;
    if (int code = FullLogRound::start(parser, *profile, json, &s_interrupted, fullLogRound); code >= 0)
        return code;
    if (s_interrupted)
        return reportError(Error{ErrorCode::Cancelled, QStringLiteral("cancelled; nothing was written")}, json);

    auto session = CollectSession::create(std::move(request));
    if (!session)
        return reportError(session.error(), json);
    (*session)->staging().setKeep(parser.isSet(QStringLiteral("keep-staging")));
    logger->info("collecting with profile {} ({}) into {}", profile->name, profile->sourcePath, outputDir);

    QElapsedTimer clock;
    clock.start();
    CollectionRunner *runner = (*session)->runner();
    ProgressPrinter progress(parser.isSet(QStringLiteral("quiet")) || (json && !stderrIsTerminal()));
    int done = 0;
    const int total = int(runner->plannedItems().size());
    QObject::connect(runner, &CollectionRunner::itemFinished, runner,
                     [&](const ItemResult &result) { progress.itemFinished(result, ++done, total); });
    QTimer interruptPoll;
    QObject::connect(&interruptPoll, &QTimer::timeout, runner, [runner] {
        if (s_interrupted)
            runner->cancel();
    });
    interruptPoll.start(50);
    const RunSummary summary = runner->runBlocking();
    interruptPoll.stop();

    if (summary.cancelled || s_interrupted) {
        (*session)->staging().setKeep(false);
        session->reset(); // removes staging
        logger->warn("collection cancelled; nothing was written");
        return reportError(Error{ErrorCode::Cancelled, QStringLiteral("cancelled; nothing was written")}, json);
    }
    if (auto finished = (*session)->finishCollection(summary); !finished)
        return reportError(finished.error(), json);

    // Redaction: scan every staged file, then write the redacted copy that is
    // packaged. Headless runs take the default decisions: every finding
    // redacted, binary files left out unless --include-binary; full-log mode
    // sends the product's crash dumps (masked in place).
    const bool keep = (*session)->staging().keep();
    QString packageFolderPath = (*session)->stagingPath();
    Manifest packagedManifest = (*session)->manifest();
    std::unique_ptr<Staging> redactedStaging;
    PseudonymMap pseudonyms;
    std::function<Result<void>(const QString &)> leakCheck;
    qint64 redactedCount = 0;
    int excludedFiles = 0;
    if (redact) {
        const Redactor scanner(redactionRules);
        auto scans =
            scanStaging(packageFolderPath, stagedEntries(packagedManifest), scanner, pseudonyms, {}, &s_interrupted, 0);
        if (!scans) {
            (*session)->staging().setKeep(false);
            return reportError(scans.error(), json);
        }
        RedactionPlan plan;
        if (parser.isSet(QStringLiteral("include-binary")))
            for (const FileFindings &scan : std::as_const(*scans))
                if (scan.kind == ContentKind::Binary)
                    plan.setFileChoice(scan.file, FileChoice::Include);
        if ((*session)->request().run.fullLogs)
            includeProductCrashDumps(plan, stagedEntries(packagedManifest), (*session)->request().profile);
        auto redacted = redactStaging(packageFolderPath, (*session)->request().stagingRoot, packagedManifest, *scans,
                                      plan, redactionRules, pseudonyms, {}, &s_interrupted);
        if (!redacted) {
            (*session)->staging().setKeep(false);
            return reportError(redacted.error(), json);
        }
        redactedStaging = std::move(redacted->staging);
        redactedStaging->setKeep(keep);
        packageFolderPath = redactedStaging->path();
        packagedManifest = redacted->manifest;
        leakCheck = leakGate(*redacted, &pseudonyms);
        redactedCount = redacted->report.redactedTotal();
        excludedFiles = redacted->excludedFiles;
    }

    PackageOptions packageOptions;
    packageOptions.cancelled = &s_interrupted;
    packageOptions.progress = [&progress](qint64 bytesDone, qint64 bytesTotal) {
        progress.packaging(bytesDone, bytesTotal);
    };
    packageOptions.beforeCommit = leakCheck;
    const QString stagingPath = packageFolderPath;
    auto packaged = packageFolder(packageFolderPath, packagedManifest, outputDir, *format, packageOptions);
    if (!keep) {
        (*session)->staging().remove();
        if (redactedStaging)
            redactedStaging->remove();
    }
    if (!packaged) {
        (*session)->staging().setKeep(false);
        return reportError(packaged.error(), json);
    }
    // The value -> token map stays with the user, next to the archive, never inside it.
    QString mapPath;
    if (redact) {
        mapPath = packaged->path + QStringLiteral(".map.json");
        if (auto saved = pseudonyms.save(mapPath); !saved) {
            logger->warn("cannot save the pseudonym map: {}", saved.error().message);
            mapPath.clear();
        }
    }
    QJsonObject delivery;
    if (int code = deliverArchive(parser, *profile, *packaged, json, delivery, &s_interrupted); code >= 0)
        return code;

    const Manifest &manifest = packagedManifest;
    const Manifest::Totals totals = manifest.totals();
    QJsonObject redaction{{QStringLiteral("enabled"), redact},
                          {QStringLiteral("redacted"), redactedCount},
                          {QStringLiteral("excluded_files"), excludedFiles}};
    if (!mapPath.isEmpty())
        redaction.insert(QStringLiteral("map"), mapPath);
    if (json) {
        QJsonObject object{
            {QStringLiteral("archive"), packaged->path},
            {QStringLiteral("bytes"), packaged->bytes},
            {QStringLiteral("sha256"), QString::fromLatin1(packaged->sha256)},
            {QStringLiteral("format"), archiveExtension(*format)},
            {QStringLiteral("case_id"), manifest.caseId},
            {QStringLiteral("profile"), manifest.profileName},
            {QStringLiteral("staged_bytes"), totals.bytes},
            {QStringLiteral("duration_ms"), clock.elapsed()},
            {QStringLiteral("items"), QJsonObject{{QStringLiteral("total"), int(manifest.items.size())},
                                                  {QStringLiteral("collected"), totals.collected},
                                                  {QStringLiteral("truncated"), totals.truncated},
                                                  {QStringLiteral("skipped"), totals.skipped},
                                                  {QStringLiteral("failed"), totals.failed}}},
        };
        object.insert(QStringLiteral("redaction"), redaction);
        if (keep)
            object.insert(QStringLiteral("staging"), stagingPath);
        for (auto it = delivery.constBegin(); it != delivery.constEnd(); ++it)
            object.insert(it.key(), it.value());
        printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
    } else {
        printErr(QStringLiteral("%1 items: %2 collected, %3 truncated, %4 skipped, %5 failed; %6 staged, archive %7 "
                                "in %8 s\n")
                     .arg(manifest.items.size())
                     .arg(totals.collected)
                     .arg(totals.truncated)
                     .arg(totals.skipped)
                     .arg(totals.failed)
                     .arg(humanBytes(totals.bytes), humanBytes(packaged->bytes))
                     .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1));
        if (redact)
            printErr(QStringLiteral("%1 values redacted; your pseudonym map (keep it, never send it): %2\n")
                         .arg(redactedCount)
                         .arg(mapPath));
        if (keep)
            printErr(QStringLiteral("staging kept at %1\n").arg(stagingPath));
        printOut(packaged->path + QLatin1Char('\n'));
    }
    return int(ExitCode::Ok);
}

int runList(const QStringList &arguments)
{
    QCommandLineParser parser;
    addProfileOptions(parser);
    parser.addOptions({
        {QStringLiteral("json"), QStringLiteral("Print the items as JSON.")},
        {QStringLiteral("estimate"), QStringLiteral("Also show the expected size per category.")},
        {QStringLiteral("all-platforms"), QStringLiteral("List the items of every platform, not only this one.")},
        {QStringLiteral("full-logs"), QStringLiteral("Include the full-log-mode items.")},
    });
    if (int code = parseArguments(parser, arguments,
                                  QStringLiteral("List what would be collected on this platform; collects nothing."));
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

    QString text = QStringLiteral("Profile \"%1\": %2 items\n").arg(profile->name).arg(items.size());
    for (Category category : kAllCategories) {
        bool header = false;
        for (const ItemSpec &item : items) {
            if (item.category != category)
                continue;
            if (!header) {
                text += QStringLiteral("\n%1 (%2)").arg(categoryTitle(category), categoryKey(category));
                if (parser.isSet(QStringLiteral("estimate")))
                    text += QStringLiteral(", about %1").arg(humanBytes(estimates.value(category)));
                text += QLatin1Char('\n');
                header = true;
            }
            QStringList flags;
            flags << (item.essential ? QStringLiteral("essential") : QStringLiteral("optional"));
            if (item.fullLogsOnly)
                flags << QStringLiteral("full logs only");
            if (item.needsAdmin)
                flags << QStringLiteral("needs admin");
            text +=
                QStringLiteral("  %1 [%2]\n      %3\n").arg(item.id, flags.join(QStringLiteral(", ")), item.purpose);
        }
    }
    printOut(text);
    return int(ExitCode::Ok);
}

int runVerify(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("archive"), QStringLiteral("The archive to check."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the result as JSON.")});
    if (int code = parseArguments(parser, arguments,
                                  QStringLiteral("Check every entry of an archive against its manifest.json."));
        code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("verify takes exactly one archive"));
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
        printOut(QStringLiteral("intact: %1 entries match manifest.json\n").arg(report->entries));
    } else {
        for (const QString &problem : std::as_const(report->problems))
            printOut(problem + QLatin1Char('\n'));
        printErr(QStringLiteral("diagcollect: the archive does not match its manifest (%1 problems)\n")
                     .arg(report->problems.size()));
    }
    return report->intact ? int(ExitCode::Ok) : int(ExitCode::Failure);
}

int runPack(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("staging"),
                                 QStringLiteral("A staging folder kept with --keep-staging."));
    parser.addOptions({
        {QStringLiteral("output"), QStringLiteral("Write the archive into DIR."), QStringLiteral("DIR")},
        {QStringLiteral("format"), QStringLiteral("tar.zst (default) or zip."), QStringLiteral("FORMAT"),
         QStringLiteral("tar.zst")},
    });
    if (int code = parseArguments(parser, arguments,
                                  QStringLiteral("Package a staging folder again after editing it by hand. Edited "
                                                 "and removed files are recorded in the manifest."));
        code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("pack takes exactly one staging folder"));
    const auto format = archiveFormatFromName(parser.value(QStringLiteral("format")));
    if (!format)
        return usageError(QStringLiteral("unknown format \"%1\"").arg(parser.value(QStringLiteral("format"))));
    log::setup({.toStderr = true});
    const QString stagingDir = QDir(parser.positionalArguments().first()).absolutePath();
    auto manifest = refreshStaging(stagingDir);
    if (!manifest)
        return reportError(manifest.error(), false);
    const QString outputDir = parser.isSet(QStringLiteral("output"))
                                  ? QDir(parser.value(QStringLiteral("output"))).absolutePath()
                                  : paths::defaultOutputDir();
    if (auto prepared = prepareOutputFolder(outputDir); !prepared)
        return reportError(prepared.error(), false);
    const QString base = archiveBaseName(*manifest);
    PackageOptions options;
    options.format = *format;
    options.topDir = base;
    options.entryTime = manifest->started;
    options.cancelled = &s_interrupted;
    auto packaged = packageDirectory(
        stagingDir, QDir(outputDir).absoluteFilePath(base + QLatin1Char('.') + archiveExtension(*format)), options);
    if (!packaged)
        return reportError(packaged.error(), false);
    printOut(packaged->path + QLatin1Char('\n'));
    return int(ExitCode::Ok);
}

int runProbes(const QStringList &arguments)
{
    QCommandLineParser parser;
    if (int code = parseArguments(parser, arguments, QStringLiteral("List the built-in probes a profile can use."));
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
    {"collect", "collect diagnostics and package them (headless)", runCollect},
    {"list", "list what would be collected, with purposes", runList},
    {"verify", "check an archive against its manifest", runVerify},
    {"pack", "package a kept staging folder after editing it", runPack},
    {"probes", "list the built-in probes", runProbes},
    {"redact", "redact one file with the built-in rules", runRedactCommand},
    {"rules", "list the redaction rules", runRulesCommand},
    {"upload", "send an archive to support over HTTPS (resumable)", runUploadCommand},
    {"keygen", "create a key pair for sealed archives (support side)", runKeygenCommand},
    {"seal", "seal an archive to support's public key", runSealCommand},
    {"unseal", "decrypt a sealed archive with the secret key", runUnsealCommand},
    {"analyze", "list what looks wrong in an archive or staging folder", runAnalyzeCommand},
    {"diff", "compare two archives of one machine", runDiffCommand},
    {"full-logging", "raise the product's logging to full, or restore it (on|off|status)",
     [](const QStringList &arguments) { return runFullLoggingCommand(arguments, s_policy); }},
    {"policy", "show the administrator's policy in effect",
     [](const QStringList &arguments) { return runPolicyCommand(arguments, s_policy); }},
};

QString mainHelp()
{
    QString text =
        QStringLiteral("Usage: diagcollect [COMMAND] [OPTIONS]\n\n"
                       "Diagnostics Collector gathers a product's service logs, the operating system's configuration,\n"
                       "system logs, event history and crash dumps into an archive for support. Started without a\n"
                       "command it opens the desktop wizard.\n\nCommands:\n");
    for (const Command &command : kCommands)
        text += QStringLiteral("  %1%2\n")
                    .arg(QString::fromLatin1(command.name).leftJustified(10), QLatin1String(command.summary));
    text += QStringLiteral("\nRun 'diagcollect COMMAND --help' for a command's options.\n\n"
                           "Global option: --policy FILE uses FILE as the administrator's policy (to test one).\n\n"
                           "Exit codes: 0 ok, 1 failure, 2 usage, profile or policy error, 3 refused by the\n"
                           "administrator's policy, 130 cancelled.\n");
    return text;
}

} // namespace

bool wantsCli(const QStringList &arguments) { return arguments.size() > 1; }

int run(const QStringList &originalArguments)
{
    installSignalHandlers();
    QStringList arguments = originalArguments;
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
    // A policy with mistakes stops every command (exit 2) rather than being ignored.
    if (int code = loadPolicyFromArguments(arguments, s_policy); code >= 0)
        return code;
    if (arguments.size() < 2)
        return usageError(QStringLiteral("no command given"));
    if (arguments.at(1) == QLatin1String("upload")) {
        if (int code = checkUploadCommandPolicy(arguments, s_policy); code >= 0)
            return code;
    }
    for (const Command &command : kCommands) {
        if (arguments.at(1) == QLatin1String(command.name)) {
            QStringList rest = arguments.mid(2);
            rest.prepend(arguments.first() + QLatin1Char(' ') + arguments.at(1));
            return command.run(rest);
        }
    }
    return usageError(QStringLiteral("unknown command \"%1\"").arg(arguments.at(1)));
}

} // namespace dc::cli
