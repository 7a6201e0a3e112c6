// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/admincommands.h"

#include "app/cli/clioutput.h"
#include "core/fulllogs/fulllogging.h"
#include "core/log/logging.h"
#include "core/profile/defines.h"
#include "core/run/collectionjob.h"
#include "core/util/exitcodes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <cstdio>

namespace dc::cli {

using namespace dc::core;

namespace {

// What collect prints of full-log mode, in the language chosen (the other commands here stay English).
struct AdminTexts
{
    Q_DECLARE_TR_FUNCTIONS(dc::cli::Admin)
};

int refused(const QString &message, bool json) { return reportError(Error{ErrorCode::PolicyRefused, message}, json); }

QString remoteRefusal(const Policy &policy)
{
    return QStringLiteral("remote runs are not allowed by your administrator's policy (%1: allow_remote_runs is "
                          "false); run diagcollect at the machine itself, from a terminal or the desktop wizard")
        .arg(policy.source);
}

Result<Profile> profileFromOptions(const QCommandLineParser &parser)
{
    return loadProfileWithDefines(parser.value(QStringLiteral("profile")), parser.values(QStringLiteral("define")));
}

void reportRestore(const RestoreReport &report)
{
    if (!report.restored)
        return;
    printErr(QStringLiteral("diagcollect: %1\n").arg(report.message));
    for (const QString &warning : report.warnings)
        printWarning(warning);
}

QJsonObject restoreJson(const RestoreReport &report)
{
    return QJsonObject{{QStringLiteral("restored"), report.restored},
                       {QStringLiteral("message"), report.message},
                       {QStringLiteral("warnings"), QJsonArray::fromStringList(report.warnings)}};
}

} // namespace

void recoverFullLoggingAtStart()
{
    auto recovered = recoverFullLogging();
    if (!recovered) {
        printWarning(recovered.error().message);
        return;
    }
    reportRestore(*recovered);
}

int loadPolicyFromArguments(QStringList &arguments, Policy &policy)
{
    QString file;
    bool json = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1String("--json"))
            json = true;
        if (argument == QLatin1String("--policy")) {
            if (i + 1 >= arguments.size())
                return usageError(QStringLiteral("--policy needs a FILE"));
            file = arguments.at(i + 1);
            arguments.remove(i, 2);
            --i;
        } else if (argument.startsWith(QStringLiteral("--policy="))) {
            file = argument.mid(9);
            arguments.remove(i);
            --i;
        }
    }
    auto loaded = loadPolicy(file);
    if (!loaded) {
        Error error = loaded.error();
        if (error.code == ErrorCode::Profile)
            error.message += QStringLiteral("\nThe administrator's policy has mistakes: diagcollect does not run "
                                            "until it is fixed (docs/POLICY.md).");
        return reportError(error, json);
    }
    policy = *loaded;
    return -1;
}

void addCollectPolicyOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("remote"),
         AdminTexts::tr("Treat this as a remote run (also automatic when neither stdin nor stderr is a terminal): "
                        "the administrator's policy decides whether it may run.")},
        {QStringLiteral("reproduce"),
         AdminTexts::tr("With --full-logs: raise the product's logging to full (profile's product.full_logging), "
                        "wait SECONDS for the problem to be reproduced, collect, then restore the normal level."),
         QStringLiteral("SECONDS")},
    });
}

// ---- full-logging -------------------------------------------------------------

int runFullLoggingCommand(const QStringList &arguments, const Policy &policy)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Raise the product's logging to full for support, and restore it.\n\n"
                       "  on               record the current level, raise it to full (profile's "
                       "product.full_logging)\n"
                       "  off              restore the recorded level now\n"
                       "  status           whether full logging is on, for what, and the time left\n"
                       "  restore-expired  restore when the time cap passed or the process that raised it is "
                       "gone\n"
                       "                   (every start does this too; for a systemd timer or scheduled task)"));
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("on, off, status or restore-expired"));
    parser.addOptions({
        {QStringLiteral("profile"), QStringLiteral("Use the profile FILE instead of the built-in one (on)."),
         QStringLiteral("FILE")},
        {QStringLiteral("define"), QStringLiteral("Set profile variable NAME to VALUE (repeatable)."),
         QStringLiteral("NAME=VALUE")},
        {QStringLiteral("minutes"),
         QStringLiteral("Restore automatically after N minutes (on; default and maximum: the profile's "
                        "max_minutes)."),
         QStringLiteral("N")},
        {QStringLiteral("forget"), QStringLiteral("With off: delete a damaged state file without restoring anything.")},
        {QStringLiteral("remote"), QStringLiteral("Treat this as a remote run (see collect --help).")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object on stdout.")},
    });
    parser.addHelpOption();
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(commandHelp(parser, arguments.constFirst()));
        return int(ExitCode::Ok);
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(QStringLiteral("full-logging takes one action: on, off, status or restore-expired"), json);
    const QString action = positional.first();
    setupLogging({.toStderr = true});

    FullLogging fullLogging;
    // Like every start, but reported as part of this command's result.
    auto recovered = action == QLatin1String("off") && parser.isSet(QStringLiteral("forget"))
                         ? Result<RestoreReport>(RestoreReport{})
                         : fullLogging.restoreIfStale();
    if (recovered && action != QLatin1String("restore-expired"))
        reportRestore(*recovered);

    auto printStatus = [&](const FullLoggingStatus &status, const QJsonObject &extra) {
        if (json) {
            QJsonObject object = status.toJson();
            for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
                object.insert(it.key(), it.value());
            printJson(object);
        } else {
            printOut(status.describe() + QLatin1Char('\n'));
        }
    };

    if (action == QLatin1String("status")) {
        auto status = fullLogging.status();
        if (!status) {
            if (json)
                printJson(QJsonObject{{QStringLiteral("state"), QStringLiteral("damaged")},
                                      {QStringLiteral("state_file"), fullLogging.stateFile()},
                                      {QStringLiteral("error"), status.error().message}});
            printErr(QStringLiteral("diagcollect: %1\n").arg(status.error().message));
            return int(ExitCode::Failure);
        }
        printStatus(*status, {});
        return int(ExitCode::Ok);
    }
    if (action == QLatin1String("restore-expired")) {
        if (!recovered)
            return reportError(recovered.error(), json);
        if (json)
            printJson(restoreJson(*recovered));
        else
            printOut((recovered->restored ? recovered->message : QStringLiteral("nothing to restore")) +
                     QLatin1Char('\n'));
        for (const QString &warning : std::as_const(recovered->warnings))
            printWarning(warning);
        return int(ExitCode::Ok);
    }
    if (action == QLatin1String("off")) {
        if (parser.isSet(QStringLiteral("forget"))) {
            if (auto forgotten = fullLogging.forget(); !forgotten)
                return reportError(forgotten.error(), json);
            const QString message = QStringLiteral("deleted the state file without restoring anything");
            if (json)
                printJson(QJsonObject{{QStringLiteral("restored"), false}, {QStringLiteral("message"), message}});
            else
                printOut(message + QLatin1Char('\n'));
            return int(ExitCode::Ok);
        }
        auto restored = fullLogging.restore();
        if (!restored)
            return reportError(restored.error(), json);
        if (json) {
            printJson(restoreJson(*restored));
        } else {
            printOut(restored->message + QLatin1Char('\n'));
            for (const QString &warning : std::as_const(restored->warnings))
                printWarning(warning);
        }
        return restored->warnings.isEmpty() ? int(ExitCode::Ok) : int(ExitCode::Failure);
    }
    if (action != QLatin1String("on"))
        return usageError(
            QStringLiteral("unknown action \"%1\" (expected on, off, status or restore-expired)").arg(action), json);

    if (policy.present() && !policy.allowFullLogs)
        return refused(
            QStringLiteral("full-log mode is not allowed by your administrator's policy (%1)").arg(policy.source),
            json);
    if (policy.present() && !policy.allowRemoteRuns && isRemoteRun(parser.isSet(QStringLiteral("remote"))))
        return refused(remoteRefusal(policy), json);
    if (!recovered)
        return reportError(recovered.error(), json);
    auto profile = profileFromOptions(parser);
    if (!profile)
        return reportError(profile.error(), json);
    int minutes = 0;
    if (parser.isSet(QStringLiteral("minutes"))) {
        bool ok = false;
        minutes = parser.value(QStringLiteral("minutes")).toInt(&ok);
        if (!ok || minutes < 1 || minutes > profile->fullLogging.maxMinutes)
            return usageError(QStringLiteral("--minutes expects 1 to %1 (the profile's max_minutes)")
                                  .arg(profile->fullLogging.maxMinutes),
                              json);
    }
    auto raised = fullLogging.raise(*profile, minutes, FullLogging::Owner::Detached);
    if (!raised)
        return reportError(raised.error(), json);
    printStatus(*raised, QJsonObject{{QStringLiteral("already_on"), raised->joined}});
    return int(ExitCode::Ok);
}

// ---- policy ---------------------------------------------------------------------

int runPolicyCommand(const QStringList &arguments, const Policy &policy)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show the administrator's policy in effect (docs/POLICY.md). Global option --policy FILE "
                       "checks a policy file before it is deployed."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the effective policy as JSON.")});
    parser.addHelpOption();
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(commandHelp(parser, arguments.constFirst()));
        return int(ExitCode::Ok);
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("policy takes no arguments"));
    const QJsonObject object = policy.toJson();
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(object);
        return int(ExitCode::Ok);
    }
    auto yesNo = [](bool value) { return value ? QStringLiteral("yes") : QStringLiteral("no"); };
    QString text = policy.present() ? QStringLiteral("Policy: %1\n").arg(policy.source)
                                    : QStringLiteral("Policy: none (no %1): the defaults below apply\n")
                                          .arg(QDir::toNativeSeparators(systemPolicyPath()));
    QStringList categories;
    for (Category category : policy.disabledCategories)
        categories.append(categoryKey(category));
    QStringList patterns;
    for (const PolicyPattern &pattern : policy.redactionPatterns)
        patterns.append(pattern.id);
    text += QStringLiteral("  force_redaction      %1\n").arg(yesNo(policy.forceRedaction));
    text += QStringLiteral("  redaction keywords   %1\n").arg(policy.redactionKeywords.size());
    text += QStringLiteral("  redaction patterns   %1\n")
                .arg(patterns.isEmpty() ? QStringLiteral("none") : patterns.join(QStringLiteral(", ")));
    text += QStringLiteral("  upload               %1\n")
                .arg(policy.uploadForbidden       ? QStringLiteral("forbidden")
                     : policy.uploadUrl.isEmpty() ? QStringLiteral("allowed (any https:// URL)")
                                                  : QStringLiteral("only to ") + policy.uploadUrl);
    text += QStringLiteral("  require_sealing      %1%2\n")
                .arg(yesNo(policy.requireSealing),
                     policy.sealPublicKey.isEmpty() ? QString() : QStringLiteral(" (the policy's public key)"));
    text += QStringLiteral("  retention_days       %1\n")
                .arg(policy.retentionDays ? QString::number(*policy.retentionDays)
                                          : QStringLiteral("not set (the profile's)"));
    text += QStringLiteral("  disabled_categories  %1\n")
                .arg(categories.isEmpty() ? QStringLiteral("none") : categories.join(QStringLiteral(", ")));
    text += QStringLiteral("  allow_remote_runs    %1 (this run counts as %2)\n")
                .arg(yesNo(policy.allowRemoteRuns),
                     isRemoteRun(false) ? QStringLiteral("remote") : QStringLiteral("local"));
    text += QStringLiteral("  allow_full_logs      %1\n").arg(yesNo(policy.allowFullLogs));
    printOut(text);
    return int(ExitCode::Ok);
}

// ---- collect --full-logs --reproduce ----------------------------------------------

int reproduceRound(const QCommandLineParser &parser, CollectionJob &job, bool json, const std::atomic_bool *interrupted)
{
    if (!parser.isSet(QStringLiteral("reproduce")))
        return -1;
    const Profile &profile = job.profile();
    bool ok = false;
    const int seconds = parser.value(QStringLiteral("reproduce")).toInt(&ok);
    if (!ok || seconds < 0 || seconds > FullLogRound::capMinutes(profile) * 60)
        return usageError(AdminTexts::tr("--reproduce expects 0 to %1 seconds (the profile's max_minutes)")
                              .arg(FullLogRound::capMinutes(profile) * 60),
                          json);
    auto raised = job.raiseFullLogging();
    if (!raised)
        return reportError(raised.error(), json);
    if (!parser.isSet(QStringLiteral("quiet")))
        printErr(QStringLiteral("diagcollect: ") +
                 AdminTexts::tr("full logging is on for %1; reproduce the problem now (%2 s)...")
                     .arg(raised->record.product)
                     .arg(seconds) +
                 QLatin1Char('\n'));
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < qint64(seconds) * 1000 && !(interrupted && interrupted->load()))
        QThread::msleep(100);
    return -1;
}

} // namespace dc::cli
