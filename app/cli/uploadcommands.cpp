// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/cli/uploadcommands.h"

#include "app/cli/clioutput.h"
#include "core/log/logging.h"
#include "core/profile/profile.h"
#include "core/run/policyupload.h"
#include "core/seal/sealing.h"
#include "core/upload/uploader.h"
#include "core/util/bytesize.h"
#include "core/util/exitcodes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <atomic>
#include <csignal>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace dc::cli {

using namespace dc::core;

namespace {

// The human text of upload, keygen, seal and unseal in the language chosen; their JSON stays English.
struct UploadTexts
{
    Q_DECLARE_TR_FUNCTIONS(dc::cli::Upload)
};

std::atomic_bool s_cancel{false};

extern "C" void onCancelSignal(int) { s_cancel = true; }

void installCancelHandlers()
{
    s_cancel = false;
#ifdef Q_OS_UNIX
    struct sigaction action = {};
    action.sa_handler = onCancelSignal;
    sigemptyset(&action.sa_mask);
    for (int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaction(signal, &action, nullptr);
#else
    std::signal(SIGINT, onCancelSignal);
    std::signal(SIGTERM, onCancelSignal);
#endif
}

int parseArguments(QCommandLineParser &parser, const QStringList &arguments, const QString &synopsis)
{
    parser.setApplicationDescription(synopsis);
    // Our own -h/--help: Qt's (and its --help-all) would speak only the languages Qt's catalogue has.
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, UploadTexts::tr("Show this help.")});
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(commandHelp(parser, arguments.constFirst()));
        return int(ExitCode::Ok);
    }
    return -1;
}

void setupUploadLogging(const QCommandLineParser &parser)
{
    log::LogOptions options;
    options.toStderr = true;
    options.stderrLevel = parser.isSet(QStringLiteral("verbose")) ? spdlog::level::info : spdlog::level::warn;
    setupLogging(options);
}

QString humanBytes(qint64 bytes) { return core::byteSize(bytes); }

} // namespace

UploadProgressPrinter::UploadProgressPrinter(bool quiet, bool verbose)
    : m_quiet(quiet)
    , m_verbose(verbose)
    , m_terminal(stderrIsTerminal())
{
    m_clock.start();
}

void UploadProgressPrinter::progress(qint64 sent, qint64 total)
{
    if (m_quiet || total <= 0)
        return;
    const int percent = int(qBound(qint64(0), sent * 100 / total, qint64(100)));
    if (m_terminal) {
        if (percent == m_lastPercent)
            return;
        m_lastPercent = percent;
        printErr(QStringLiteral("\r\033[K") +
                 UploadTexts::tr("uploading %1% (%2 of %3)").arg(percent).arg(humanBytes(sent), humanBytes(total)));
        return;
    }
    constexpr int kStepPercent = 10;
    constexpr qint64 kEveryMs = 30 * 1000;
    const int step = percent / kStepPercent;
    const qint64 now = m_clock.elapsed();
    if (step == m_lastStep && now - m_lastLineMs < kEveryMs)
        return;
    m_lastStep = step;
    m_lastLineMs = now;
    printErr(UploadTexts::tr("upload: %1% (%2 of %3) after %4 s")
                 .arg(percent)
                 .arg(humanBytes(sent), humanBytes(total))
                 .arg(now / 1000) +
             QLatin1Char('\n'));
}

void UploadProgressPrinter::status(const QString &message)
{
    // --verbose: the log line on stderr already says it.
    if (m_quiet || m_verbose)
        return;
    printErr((m_terminal && m_lastPercent >= 0 ? QStringLiteral("\r\033[K") : QString()) +
             UploadTexts::tr("upload: %1").arg(message) + QLatin1Char('\n'));
    m_lastPercent = -1;
}

void UploadProgressPrinter::done()
{
    if (m_terminal && m_lastPercent >= 0)
        printErr(QStringLiteral("\r\033[K"));
    m_lastPercent = -1;
}

QJsonObject notSentJson(const QString &archive, const UploadReport &attempt, const QString &reason)
{
    QJsonObject object{{QStringLiteral("sent"), false},
                       {QStringLiteral("status"), QStringLiteral("saved, not sent")},
                       {QStringLiteral("archive"), QFileInfo(archive).absoluteFilePath()},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("requests"), attempt.requests},
                       {QStringLiteral("retries"), attempt.retries},
                       {QStringLiteral("resumes"), attempt.resumes},
                       {QStringLiteral("connections"), attempt.connections}};
    if (!attempt.url.isEmpty())
        object.insert(QStringLiteral("url"), attempt.url);
    return object;
}

int runUploadCommand(const QStringList &arguments, const Policy &policy)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("archive"), UploadTexts::tr("The archive to send."));
    parser.addOptions({
        {QStringLiteral("url"),
         UploadTexts::tr("https:// URL to PUT the archive to; the file name is appended unless the URL contains "
                         "{file}; {case} is replaced by the case ID. Default: the profile's upload.url."),
         QStringLiteral("URL")},
        {QStringLiteral("case-id"), UploadTexts::tr("Support case ID, sent as a header and used for {case}."),
         QStringLiteral("ID")},
        {QStringLiteral("token-env"),
         UploadTexts::tr("Read the bearer token from the environment variable VAR (never from the command line)."),
         QStringLiteral("VAR")},
        {QStringLiteral("ca-cert"), UploadTexts::tr("Also trust the CA certificates in the PEM file FILE."),
         QStringLiteral("FILE")},
        {QStringLiteral("pin"),
         UploadTexts::tr("Require the server's public key to have this SHA-256 (of its SubjectPublicKeyInfo; hex or "
                         "base64)."),
         QStringLiteral("SHA256")},
        {QStringLiteral("chunk-bytes"),
         UploadTexts::tr("Resumable chunk size in bytes (default 8388608); 0 sends one whole PUT."),
         QStringLiteral("N")},
        {QStringLiteral("profile"), UploadTexts::tr("Take upload settings from the profile FILE."),
         QStringLiteral("FILE")},
        {QStringLiteral("json"), UploadTexts::tr("Print one JSON object with the result on stdout.")},
        {QStringLiteral("quiet"), UploadTexts::tr("No progress on stderr.")},
        {QStringLiteral("verbose"), UploadTexts::tr("Log details to stderr.")},
    });
    if (int code = parseArguments(parser, arguments,
                                  UploadTexts::tr("Send an archive to support over HTTPS (resumable, verified)."));
        code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(UploadTexts::tr("upload takes exactly one archive"));
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString archive = parser.positionalArguments().first();

    UploadOptions options;
    if (parser.isSet(QStringLiteral("profile"))) {
        auto profile = loadProfile(parser.value(QStringLiteral("profile")));
        if (!profile)
            return reportError(profile.error(), json);
        const UploadSettings &settings = profile->upload;
        options.url = settings.url;
        options.caCertFile = settings.caCert.isEmpty() ? QString() : expandVariables(settings.caCert, *profile);
        options.pinSha256 = settings.pinSha256;
        options.chunkBytes = settings.chunkBytes;
        options.tokenEnv = settings.tokenEnv;
        options.caseHeader = settings.caseHeader;
    }
    if (parser.isSet(QStringLiteral("url")))
        options.url = parser.value(QStringLiteral("url"));
    // The policy first: a forbidden upload is refused whatever else is wrong (exit code 3).
    if (auto allowed = applyUploadPolicy(policy, options, false); !allowed)
        return reportError(allowed.error(), json);
    if (options.url.isEmpty())
        return usageError(UploadTexts::tr("upload needs --url (or a profile with upload.url)"));
    options.caseId = parser.value(QStringLiteral("case-id"));
    if (parser.isSet(QStringLiteral("token-env")))
        options.tokenEnv = parser.value(QStringLiteral("token-env"));
    if (parser.isSet(QStringLiteral("ca-cert")))
        options.caCertFile = parser.value(QStringLiteral("ca-cert"));
    if (parser.isSet(QStringLiteral("pin")))
        options.pinSha256 = parser.value(QStringLiteral("pin"));
    if (parser.isSet(QStringLiteral("chunk-bytes"))) {
        bool ok = false;
        options.chunkBytes = parser.value(QStringLiteral("chunk-bytes")).toLongLong(&ok);
        if (!ok || options.chunkBytes < 0)
            return usageError(UploadTexts::tr("--chunk-bytes expects a number of bytes"));
    }
    if (!QFileInfo(archive).isFile())
        return reportError(Error{ErrorCode::Io, UploadTexts::tr("%1 is not a file").arg(archive)}, json);
    // Check the URL before anything starts, so usage errors exit with 2.
    if (auto url = resolveUploadUrl(options.url, options.caseId, QFileInfo(archive).fileName()); !url)
        return reportError(url.error(), json);

    setupUploadLogging(parser);
    installCancelHandlers();
    UploadProgressPrinter printer(parser.isSet(QStringLiteral("quiet")), parser.isSet(QStringLiteral("verbose")));
    UploadCallbacks callbacks;
    callbacks.cancelled = &s_cancel;
    callbacks.progress = [&printer](qint64 sent, qint64 total) { printer.progress(sent, total); };
    callbacks.status = [&printer](const QString &message) { printer.status(message); };
    UploadReport attempt;
    auto result = uploadUnderPolicy(archive, options, policy, false, callbacks, &attempt);
    printer.done();
    if (!result) {
        // The archive is the user's file and stays where it is: say so, with the reason.
        // "Not sent" is exit code 4, as for collect --upload; refusals and cancels keep theirs.
        int code = reportError(result.error(), false);
        if (code == int(ExitCode::Failure))
            code = int(ExitCode::NotSent);
        if (json) {
            QJsonObject object = notSentJson(archive, attempt, attempt.failure);
            object.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), result.error().message},
                                                               {QStringLiteral("exit_code"), code}});
            printJson(object);
        }
        return code;
    }
    if (json) {
        printJson(QJsonObject{{QStringLiteral("sent"), true},
                              {QStringLiteral("url"), result->url},
                              {QStringLiteral("bytes"), result->bytes},
                              {QStringLiteral("chunked"), result->chunked},
                              {QStringLiteral("range_fallback"), result->rangeFallback},
                              {QStringLiteral("requests"), result->requests},
                              {QStringLiteral("retries"), result->retries},
                              {QStringLiteral("resumes"), result->resumes},
                              {QStringLiteral("connections"), result->connections},
                              {QStringLiteral("size_verified"), result->sizeVerified},
                              {QStringLiteral("sha256_verified"), result->sha256Verified},
                              {QStringLiteral("verification"), result->verification}});
    } else {
        printErr(
            UploadTexts::tr("sent %1 (%2) to %3; %4")
                .arg(QFileInfo(archive).fileName(), humanBytes(result->bytes), result->host, result->verification) +
            QLatin1Char('\n'));
        printOut(result->url + QLatin1Char('\n'));
    }
    return int(ExitCode::Ok);
}

void addDeliveryOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("seal"),
         UploadTexts::tr("Seal the archive to the profile's seal.public_key (always on when the "
                         "profile sets seal.required).")},
        {QStringLiteral("upload"),
         UploadTexts::tr("After packaging, send the archive to the https:// URL (other upload "
                         "settings from the profile)."),
         QStringLiteral("URL")},
        {QStringLiteral("token-env"), UploadTexts::tr("With --upload: bearer token from the environment variable VAR."),
         QStringLiteral("VAR")},
        {QStringLiteral("ca-cert"), UploadTexts::tr("With --upload: also trust the CAs in FILE."),
         QStringLiteral("FILE")},
        {QStringLiteral("pin"), UploadTexts::tr("With --upload: required SHA-256 of the server's public key."),
         QStringLiteral("SHA256")},
        {QStringLiteral("retention-days"),
         UploadTexts::tr("Remove this tool's archives older than N days from the output folder (default: the "
                         "profile's retention_days, 14; 0 keeps all)."),
         QStringLiteral("N")},
    });
}

int readDeliveryOptions(const QCommandLineParser &parser, RunRequest &request)
{
    request.seal = parser.isSet(QStringLiteral("seal"));
    request.uploadUrl = parser.value(QStringLiteral("upload"));
    request.uploadTokenEnv = parser.value(QStringLiteral("token-env"));
    request.uploadCaCert = parser.value(QStringLiteral("ca-cert"));
    request.uploadPin = parser.value(QStringLiteral("pin"));
    if (parser.isSet(QStringLiteral("retention-days"))) {
        bool ok = false;
        const int days = parser.value(QStringLiteral("retention-days")).toInt(&ok);
        if (!ok || days < 0)
            return usageError(UploadTexts::tr("--retention-days expects a number of days"));
        request.retentionDays = days;
    }
    return -1;
}

int runKeygenCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addOptions({
        {QStringLiteral("out"), UploadTexts::tr("Write the secret key to FILE (created with mode 0600)."),
         QStringLiteral("FILE")},
        {QStringLiteral("public-out"), UploadTexts::tr("Also write the public key to FILE."), QStringLiteral("FILE")},
        {QStringLiteral("json"), UploadTexts::tr("Print the public key and key id as JSON.")},
    });
    if (int code = parseArguments(parser, arguments,
                                  UploadTexts::tr("Create a key pair for sealed archives (support side). Put the "
                                                  "printed public key into the profile's seal.public_key."));
        code >= 0)
        return code;
    if (!parser.positionalArguments().isEmpty())
        return usageError(UploadTexts::tr("keygen takes no arguments"));
    if (!parser.isSet(QStringLiteral("out")))
        return usageError(UploadTexts::tr("keygen needs --out FILE for the secret key"));
    const bool json = parser.isSet(QStringLiteral("json"));
    auto pair = generateSealKeyPair();
    if (!pair)
        return reportError(pair.error(), json);
    if (auto written = writeSecretKeyFile(parser.value(QStringLiteral("out")), pair->secretKey); !written)
        return reportError(written.error(), json);
    const QString publicKey = encodeKey(pair->publicKey);
    if (parser.isSet(QStringLiteral("public-out"))) {
        QFile file(parser.value(QStringLiteral("public-out")));
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) || file.write(publicKey.toLatin1() + '\n') < 0)
            return reportError(
                Error{ErrorCode::Io, UploadTexts::tr("cannot write %1: %2").arg(file.fileName(), file.errorString())},
                json);
    }
    if (json) {
        printJson(QJsonObject{
            {QStringLiteral("public_key"), publicKey},
            {QStringLiteral("key_id"), sealKeyId(pair->publicKey)},
            {QStringLiteral("secret_key_file"), QFileInfo(parser.value(QStringLiteral("out"))).absoluteFilePath()}});
    } else {
        printErr(UploadTexts::tr("secret key written to %1 (keep it private); key id %2\npublic key:\n")
                     .arg(parser.value(QStringLiteral("out")), sealKeyId(pair->publicKey)));
        printOut(publicKey + QLatin1Char('\n'));
    }
    return int(ExitCode::Ok);
}

int runSealCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("archive"), UploadTexts::tr("The archive to seal."));
    parser.addOptions({
        {QStringLiteral("public-key"), UploadTexts::tr("Support's public key (base64 or hex, from keygen)."),
         QStringLiteral("KEY")},
        {QStringLiteral("keep-plain"), UploadTexts::tr("Keep the unsealed archive.")},
        {QStringLiteral("json"), UploadTexts::tr("Print the result as JSON.")},
    });
    if (int code = parseArguments(parser, arguments,
                                  UploadTexts::tr("Seal an archive to support's public key into ARCHIVE.sealed; the "
                                                  "unsealed archive is removed once that succeeded, never on a "
                                                  "failure."));
        code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(UploadTexts::tr("seal takes exactly one archive"));
    const auto key = decodeKey32(parser.value(QStringLiteral("public-key")));
    if (!key)
        return usageError(UploadTexts::tr("--public-key expects a 32-byte key in base64 or hex"));
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString archive = parser.positionalArguments().first();
    setupLogging({.toStderr = true});
    installCancelHandlers();
    SealOptions options;
    options.cancelled = &s_cancel;
    // The archive is the user's: never removed on a failure (unlike a run's own archive).
    auto sealed = sealUserFile(archive, *key, parser.isSet(QStringLiteral("keep-plain")), options);
    if (!sealed)
        return reportError(sealed.error(), json);
    if (json)
        printJson(QJsonObject{{QStringLiteral("sealed"), sealed->path},
                              {QStringLiteral("bytes"), sealed->bytes},
                              {QStringLiteral("key_id"), sealed->keyId}});
    else
        printOut(sealed->path + QLatin1Char('\n'));
    return int(ExitCode::Ok);
}

int runUnsealCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("archive"), UploadTexts::tr("The sealed archive (*.sealed)."));
    parser.addOptions({
        {QStringLiteral("key"), UploadTexts::tr("The secret key file written by keygen."), QStringLiteral("FILE")},
        {QStringLiteral("out"), UploadTexts::tr("Write the archive to FILE (default: the name without .sealed)."),
         QStringLiteral("FILE")},
        {QStringLiteral("json"), UploadTexts::tr("Print the result as JSON.")},
    });
    if (int code = parseArguments(parser, arguments,
                                  UploadTexts::tr("Decrypt a sealed archive with support's secret key. A modified, "
                                                  "truncated or foreign file is refused and nothing is written."));
        code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1)
        return usageError(UploadTexts::tr("unseal takes exactly one sealed archive"));
    if (!parser.isSet(QStringLiteral("key")))
        return usageError(UploadTexts::tr("unseal needs --key FILE"));
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString sealedPath = parser.positionalArguments().first();
    QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty()) {
        if (!sealedPath.endsWith(QLatin1String(kSealedSuffix)))
            return usageError(UploadTexts::tr("give --out FILE (the archive name does not end in .sealed)"));
        out = sealedPath.chopped(int(qstrlen(kSealedSuffix)));
    }
    auto keys = readSecretKeyFile(parser.value(QStringLiteral("key")));
    if (!keys)
        return reportError(keys.error(), json);
    installCancelHandlers();
    SealOptions options;
    options.cancelled = &s_cancel;
    auto opened = unsealFile(sealedPath, out, *keys, options);
    if (!opened)
        return reportError(opened.error(), json);
    if (json)
        printJson(QJsonObject{{QStringLiteral("archive"), opened->path},
                              {QStringLiteral("bytes"), opened->bytes},
                              {QStringLiteral("key_id"), opened->keyId}});
    else
        printOut(opened->path + QLatin1Char('\n'));
    return int(ExitCode::Ok);
}

} // namespace dc::cli
