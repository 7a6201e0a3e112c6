// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/upload/uploader.h"

#include "core/bundle/staging.h"
#include "core/collect/collectsession.h"
#include "core/log/logging.h"
#include "core/seal/sealing.h"
#include "core/upload/httpsclient.h"
#include "core/util/paths.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTimer>
#include <QtConcurrent>
#include <cmath>

namespace dc::core {

namespace {

QByteArray hashFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    return hash.result().toHex();
}

// The SHA-256 a server reports for the stored file, lower-case hex, or empty.
QByteArray serverSha256(const HttpsResponse &response)
{
    auto fromEncoded = [](QByteArray value) -> QByteArray {
        value = value.trimmed();
        if (value.startsWith(':') && value.endsWith(':')) // RFC 9530 byte sequence
            value = value.mid(1, value.size() - 2);
        static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
        if (hex.match(QString::fromLatin1(value)).hasMatch())
            return value.toLower();
        const QByteArray raw = QByteArray::fromBase64(value);
        return raw.size() == 32 ? raw.toHex() : QByteArray();
    };
    if (response.hasHeader("X-Checksum-Sha256"))
        return fromEncoded(response.header("X-Checksum-Sha256"));
    for (const char *name : {"Repr-Digest", "Digest"}) {
        const QList<QByteArray> parts = response.header(name).split(',');
        for (const QByteArray &part : parts) {
            const qsizetype equals = part.indexOf('=');
            if (equals > 0 && part.left(equals).trimmed().toLower() == "sha-256")
                return fromEncoded(part.mid(equals + 1));
        }
    }
    return {};
}

// Retry-After as seconds or an HTTP date; -1 when absent or unreadable.
qint64 retryAfterMs(const HttpsResponse &response)
{
    const QByteArray value = response.header("Retry-After").trimmed();
    if (value.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = value.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? -1 : seconds * 1000;
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    return qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when));
}

// The explicit proxy from HTTPS_PROXY/https_proxy unless NO_PROXY exempts host;
// nullopt means "use the system configuration".
std::optional<QNetworkProxy> environmentProxy(const QString &host)
{
    QString value = qEnvironmentVariable("HTTPS_PROXY");
    if (value.isEmpty())
        value = qEnvironmentVariable("https_proxy");
    if (value.isEmpty())
        return std::nullopt;
    QString noProxy = qEnvironmentVariable("NO_PROXY");
    if (noProxy.isEmpty())
        noProxy = qEnvironmentVariable("no_proxy");
    for (QString entry : noProxy.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        entry = entry.trimmed().toLower();
        if (entry.startsWith(QLatin1Char('.')))
            entry = entry.mid(1);
        if (entry.startsWith(QStringLiteral("*.")))
            entry = entry.mid(2);
        const QString lowerHost = host.toLower();
        if (entry == QLatin1String("*") || lowerHost == entry || lowerHost.endsWith(QLatin1Char('.') + entry))
            return QNetworkProxy(QNetworkProxy::NoProxy);
    }
    if (!value.contains(QStringLiteral("://")))
        value.prepend(QStringLiteral("http://"));
    const QUrl url(value);
    if (!url.isValid() || url.host().isEmpty())
        return std::nullopt;
    return QNetworkProxy(QNetworkProxy::HttpProxy, url.host(), quint16(url.port(8080)), url.userName(), url.password());
}

// The proxy for url: HTTPS_PROXY/https_proxy (with NO_PROXY), else the system's.
QNetworkProxy proxyFor(const QUrl &url)
{
    if (auto proxy = environmentProxy(url.host()))
        return *proxy;
    const QList<QNetworkProxy> system = QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(url));
    for (const QNetworkProxy &proxy : system)
        if (proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::Socks5Proxy)
            return proxy;
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

QString serverMessage(const HttpsResponse &response)
{
    QString text = QString::fromUtf8(response.body.left(4096));
    if (response.header("Content-Type").toLower().contains("html")) {
        static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
        text.replace(tags, QStringLiteral(" "));
    }
    text = text.simplified();
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("...");
    return text;
}

// What an earlier run of this upload left confirmed on the server (docs/UPLOAD.md, "Resume").
struct ResumeRecord
{
    qint64 size = -1;
    qint64 mtimeMs = -1;
    qint64 confirmed = 0;
    QByteArray etag;
    bool ranges = false;
};

} // namespace

QString scrubToken(QString text, const QByteArray &token)
{
    const QString secret = QString::fromUtf8(token.trimmed());
    if (secret.isEmpty())
        return text;
    const QString mask = QStringLiteral("[token]");
    // A real token is long and random: every occurrence goes, even inside a
    // longer word. A short one would match inside ordinary words ("a" in
    // "failed"), so it goes where it stands on its own, between characters
    // that cannot continue it (a server echoing "Bearer a" or "token=a").
    constexpr qsizetype kAnywhere = 8;
    if (secret.size() >= kAnywhere)
        return text.replace(secret, mask);
    auto isWordChar = [](QChar c) { return c.isLetterOrNumber(); };
    QString out;
    qsizetype from = 0;
    for (qsizetype at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
        const qsizetype end = at + secret.size();
        const bool startsWord = at == 0 || !isWordChar(text.at(at - 1)) || !isWordChar(secret.front());
        const bool endsWord = end == text.size() || !isWordChar(text.at(end)) || !isWordChar(secret.back());
        if (at < from || !startsWord || !endsWord)
            continue;
        out += QStringView(text).mid(from, at - from);
        out += mask;
        from = end;
    }
    out += QStringView(text).mid(from);
    return out;
}

QString displayUrl(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

Result<QUrl> resolveUploadUrl(const QString &urlTemplate, const QString &caseId, const QString &fileName)
{
    QString text = urlTemplate.trimmed();
    if (text.isEmpty())
        return fail(ErrorCode::Usage, QStringLiteral("no upload URL given"));
    if (text.contains(QStringLiteral("{case}")) && caseId.isEmpty())
        return fail(ErrorCode::Usage, QStringLiteral("the upload URL contains {case}: give a case ID (--case-id)"));
    if (!caseId.isEmpty() && !isValidCaseId(caseId))
        return fail(ErrorCode::Usage,
                    QStringLiteral("invalid case ID \"%1\" (letters, digits, '.', '_', '-', up to 64)").arg(caseId));
    const bool hasFile = text.contains(QStringLiteral("{file}"));
    text.replace(QStringLiteral("{case}"), QString::fromLatin1(QUrl::toPercentEncoding(caseId)));
    text.replace(QStringLiteral("{file}"), QString::fromLatin1(QUrl::toPercentEncoding(fileName)));

    QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http"))
        return fail(ErrorCode::Usage, QStringLiteral("refusing to upload over plain http:// (%1): diagnostics are only "
                                                     "sent over https://, use an https:// URL")
                                          .arg(displayUrl(url)));
    if (!url.isValid() || scheme != QLatin1String("https") || url.host().isEmpty())
        return fail(ErrorCode::Usage, QStringLiteral("\"%1\" is not an https:// URL").arg(urlTemplate.trimmed()));
    if (!url.userInfo().isEmpty())
        return fail(ErrorCode::Usage,
                    QStringLiteral("the upload URL must not contain a user name or password; put a "
                                   "token into an environment variable and name it with --token-env"));
    if (!hasFile) {
        QString path = url.path(QUrl::FullyEncoded);
        if (!path.endsWith(QLatin1Char('/')))
            path += QLatin1Char('/');
        url.setPath(path + QString::fromLatin1(QUrl::toPercentEncoding(fileName)), QUrl::StrictMode);
    }
    if (!url.isValid())
        return fail(ErrorCode::Usage, QStringLiteral("cannot build an upload URL from \"%1\"").arg(urlTemplate));
    return url;
}

struct Uploader::Private
{
    enum class Ranges { Unknown, Yes, No };

    Uploader *q;
    QString filePath;
    UploadOptions options;
    HttpsClient *client = nullptr;
    QUrl url;
    QByteArray target; // path and query, encoded
    QString shown;
    QByteArray token;
    QSslConfiguration ssl;
    QByteArray pin; // raw 32 bytes
    qint64 total = 0;
    qint64 mtimeMs = 0;
    qint64 offset = 0;     // bytes the server confirmed (chunked mode)
    qint64 chunkStart = 0; // the request in flight
    qint64 chunkLength = 0;
    qint64 progressBase = 0;
    Ranges ranges = Ranges::Unknown;
    bool headAllowed = true;
    qint64 probeHeld = -1; // the size the first HEAD reported, -1: none
    QByteArray probeEtag;
    bool running = false;
    bool started = false;
    bool cancelled = false;
    bool hashing = false;
    int failures = 0; // consecutive failures of the current step
    UploadReport report;
    QTimer retryTimer;
    std::function<void()> retryAction;
    std::shared_ptr<spdlog::logger> log = log::get("core");

    struct Outcome
    {
        bool ok = false;
        bool transient = false;
        int status = 0;
        qint64 retryAfter = -1;
        QString message;
    };

    QString clean(const QString &text) const { return scrubToken(text, token); }

    void finish(Result<UploadReport> result)
    {
        if (!running)
            return;
        running = false;
        retryTimer.stop();
        if (client)
            client->abort();
        report.connections = client ? client->connectionsOpened() : 0;
        if (!result) {
            Error error = result.error();
            error.message = clean(error.message);
            log->warn("upload of {} failed after {} requests, {} retries: {}", filePath, report.requests,
                      report.retries, error.message);
            result = tl::unexpected(error);
        } else {
            result->connections = report.connections;
            removeResumeRecord();
            log->info("upload of {} to {} finished: {} bytes, {} requests, {} retries; {}", filePath, shown,
                      result->bytes, result->requests, result->retries, result->verification);
        }
        UploadOutcome outcome{std::move(result), report};
        emit q->finished(outcome);
    }

    void failFor(ErrorCode code, const QString &reason)
    {
        const QString where = QFileInfo(filePath).absoluteFilePath();
        report.failure = clean(reason);
        if (code == ErrorCode::Cancelled)
            finish(fail(code, QStringLiteral("upload cancelled; the archive is still saved at %1").arg(where)));
        else
            finish(fail(code, QStringLiteral("upload to %1 failed: %2. The archive is still saved at %3; send it "
                                             "another way or try again later.")
                                  .arg(shown, reason, where)));
    }

    void begin()
    {
        if (stopIfCancelled())
            return;
        const QFileInfo info(filePath);
        if (!info.isFile())
            return failFor(ErrorCode::Io, QStringLiteral("%1 is not a readable file").arg(filePath));
        total = info.size();
        mtimeMs = info.lastModified().toMSecsSinceEpoch();
        auto resolved = resolveUploadUrl(options.url, options.caseId, info.fileName());
        if (!resolved)
            return finish(tl::unexpected(resolved.error()));
        url = *resolved;
        target = url.path(QUrl::FullyEncoded).toLatin1();
        if (target.isEmpty())
            target = "/";
        if (url.hasQuery())
            target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
        shown = displayUrl(url);
        report.url = shown;
        report.host = url.port() > 0 ? url.host() + QLatin1Char(':') + QString::number(url.port()) : url.host();
        report.bytes = total;

        if (!options.tokenEnv.isEmpty()) {
            token = qgetenv(options.tokenEnv.toLocal8Bit().constData());
            if (token.trimmed().isEmpty())
                return finish(fail(ErrorCode::Usage,
                                   QStringLiteral("the environment variable %1 (--token-env) is not set or empty")
                                       .arg(options.tokenEnv)));
            token = token.trimmed();
        }
        if (!options.pinSha256.isEmpty()) {
            QString text = options.pinSha256.trimmed();
            if (text.startsWith(QStringLiteral("sha256//")))
                text = text.mid(8);
            auto raw = decodeKey32(text);
            if (!raw)
                return finish(fail(ErrorCode::Usage, QStringLiteral("the public key pin must be a SHA-256 in hex (64 "
                                                                    "digits) or base64 (44 characters)")));
            pin = *raw;
        }
        ssl = QSslConfiguration::defaultConfiguration();
        ssl.setProtocol(QSsl::TlsV1_2OrLater);
        ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
        if (!options.caCertFile.isEmpty()) {
            const QList<QSslCertificate> extra = QSslCertificate::fromPath(options.caCertFile, QSsl::Pem);
            if (extra.isEmpty())
                return finish(fail(ErrorCode::Usage, QStringLiteral("no PEM certificate could be read from %1 "
                                                                    "(--ca-cert)")
                                                         .arg(options.caCertFile)));
            // Adding to the configuration turns off Qt's on-demand loading of the system roots, so list them too.
            ssl.setCaCertificates(QSslConfiguration::systemCaCertificates() + extra);
        }

        QNetworkProxyFactory::setUseSystemConfiguration(true);
        HttpsTarget where;
        where.host = url.host();
        where.port = quint16(url.port(443));
        where.proxy = proxyFor(url);
        where.ssl = ssl;
        where.pinSha256 = pin;
        if (where.proxy.type() == QNetworkProxy::HttpProxy)
            log->info("upload: using the proxy {}:{}", where.proxy.hostName(), where.proxy.port());
        client = new HttpsClient(where, options.transferTimeoutMs, q);
        client->onProgress = [this](qint64 acknowledged, qint64 length) {
            if (length > 0 && running)
                emit q->progress(qMin(total, progressBase + acknowledged), total);
        };
        log->info("upload of {} ({} bytes) to {} starts", filePath, total, shown);
        probe();
    }

    HttpsRequest request(const QByteArray &method) const
    {
        HttpsRequest r;
        r.method = method;
        r.target = target;
        r.headers.append({QByteArrayLiteral("User-Agent"), QByteArrayLiteral("diagcollect/" DIAGCOLLECT_VERSION)});
        if (!token.isEmpty())
            r.headers.append({QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + token});
        if (!options.caseId.isEmpty() && !options.caseHeader.isEmpty())
            r.headers.append({options.caseHeader.toLatin1(), options.caseId.toLatin1()});
        return r;
    }

    HttpsRequest put(qint64 start, qint64 length, bool range) const
    {
        HttpsRequest r = request("PUT");
        r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/octet-stream")});
        if (range)
            r.headers.append(
                {QByteArrayLiteral("Content-Range"),
                 QStringLiteral("bytes %1-%2/%3").arg(start).arg(start + length - 1).arg(total).toLatin1()});
        r.bodyFile = filePath;
        r.bodyStart = start;
        r.bodyLength = length;
        return r;
    }

    void send(const HttpsRequest &r, qint64 base, std::function<void(const Outcome &, const HttpsResponse &)> done)
    {
        ++report.requests;
        progressBase = base;
        client->send(r, [this, done = std::move(done)](const HttpsResult &result) {
            if (stopIfCancelled())
                return;
            done(classify(result), result.response);
        });
    }

    Outcome classify(const HttpsResult &result) const
    {
        Outcome outcome;
        if (result.failure != HttpsResult::Failure::None) {
            outcome.message = result.message;
            outcome.transient = result.transient;
            return outcome;
        }
        const HttpsResponse &response = result.response;
        outcome.status = response.status;
        if (outcome.status >= 200 && outcome.status < 300) {
            outcome.ok = true;
            return outcome;
        }
        QString message =
            QStringLiteral("the server replied %1 %2").arg(outcome.status).arg(QString::fromLatin1(response.reason));
        message = message.trimmed();
        if (outcome.status >= 300 && outcome.status < 400) {
            message += QStringLiteral(" (redirect to %1; use that address as the upload URL)")
                           .arg(displayUrl(url.resolved(QUrl::fromEncoded(response.header("Location")))));
        } else if (const QString text = serverMessage(response); !text.isEmpty()) {
            message += QStringLiteral(": ") + text;
        }
        outcome.message = message;
        outcome.transient = outcome.status == 408 || outcome.status == 429 || outcome.status >= 500;
        outcome.retryAfter = retryAfterMs(response);
        return outcome;
    }

    // Retries `action` after a backoff on a new connection, or gives up after
    // maxAttempts failures in a row.
    void retry(const Outcome &outcome, const char *what, std::function<void()> action)
    {
        ++failures;
        client->dropConnection();
        if (failures >= options.maxAttempts)
            return failFor(
                ErrorCode::Io,
                QStringLiteral("%1 (gave up after %2 attempts in a row)").arg(outcome.message).arg(failures));
        ++report.retries;
        const double exponential = options.initialBackoffMs * std::pow(2.0, failures - 1);
        qint64 delay = qint64(qMin<double>(options.maxBackoffMs, exponential));
        delay = delay / 2 + qint64(QRandomGenerator::global()->bounded(double(delay / 2 + 1))); // equal jitter
        if (outcome.retryAfter >= 0)
            delay = qMax(delay, qMin<qint64>(outcome.retryAfter, options.maxRetryAfterMs));
        const QString note = clean(QStringLiteral("%1 failed (%2); retrying in %3 s on a new connection (attempt %4 of "
                                                  "%5)")
                                       .arg(QLatin1String(what), outcome.message)
                                       .arg(double(delay) / 1000.0, 0, 'f', 1)
                                       .arg(failures + 1)
                                       .arg(options.maxAttempts));
        // Info, not a warning: front ends show the status signal; the log file keeps it.
        log->info("upload: {}", note);
        emit q->status(note);
        retryAction = std::move(action);
        retryTimer.start(int(delay));
    }

    bool stopIfCancelled()
    {
        if (!cancelled)
            return false;
        failFor(ErrorCode::Cancelled, QString());
        return true;
    }

    // --- Resume across runs ---------------------------------------------------------------

    QString resumeRecordPath() const
    {
        const QString dir =
            options.resumeStateDir.isEmpty() ? paths::dataDir() + QStringLiteral("/uploads") : options.resumeStateDir;
        const QByteArray key =
            url.toString(QUrl::RemoveUserInfo).toUtf8() + '\n' + QFileInfo(filePath).absoluteFilePath().toUtf8();
        return dir + QLatin1Char('/') +
               QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(32)) +
               QStringLiteral(".json");
    }

    std::optional<ResumeRecord> loadResumeRecord() const
    {
        QFile file(resumeRecordPath());
        if (!file.open(QIODevice::ReadOnly) || file.size() > 4096)
            return std::nullopt;
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        ResumeRecord record;
        record.size = qint64(json.value(QStringLiteral("size")).toDouble(-1));
        record.mtimeMs = qint64(json.value(QStringLiteral("mtime_ms")).toDouble(-1));
        record.confirmed = qint64(json.value(QStringLiteral("confirmed")).toDouble(0));
        record.etag = json.value(QStringLiteral("etag")).toString().toLatin1();
        record.ranges = json.value(QStringLiteral("ranges")).toBool();
        return record;
    }

    // After each confirmed chunk: a later run of the same upload continues from here.
    void saveResumeRecord(const QByteArray &etag)
    {
        const QString path = resumeRecordPath();
        if (!makePrivateDirs(QFileInfo(path).absolutePath()))
            return;
        QSaveFile file(path);
        const QJsonObject json{{QStringLiteral("size"), double(total)},
                               {QStringLiteral("mtime_ms"), double(mtimeMs)},
                               {QStringLiteral("confirmed"), double(offset)},
                               {QStringLiteral("etag"), QString::fromLatin1(etag)},
                               {QStringLiteral("ranges"), ranges == Ranges::Yes}};
        if (file.open(QIODevice::WriteOnly)) {
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            file.write(QJsonDocument(json).toJson(QJsonDocument::Compact));
            if (!file.commit())
                log->info("upload: cannot save the resume record {}", path);
        }
    }

    void removeResumeRecord()
    {
        if (!url.isEmpty())
            QFile::remove(resumeRecordPath());
    }

    // The offset an earlier, interrupted run of this very upload left on the
    // server, or 0. Only when the local file is unchanged (size and time), the
    // server holds exactly what that run confirmed and, when it sends an ETag,
    // the same ETag as then: nobody else wrote the file since.
    qint64 earlierProgress()
    {
        const auto record = loadResumeRecord();
        if (!record || record->size != total || record->mtimeMs != mtimeMs || record->confirmed <= 0 ||
            record->confirmed > total || probeHeld != record->confirmed)
            return 0;
        if (!record->etag.isEmpty() && !probeEtag.isEmpty() && record->etag != probeEtag)
            return 0;
        if (record->ranges)
            ranges = Ranges::Yes;
        return record->confirmed;
    }

    // --- The protocol ---------------------------------------------------------------------

    // HEAD before anything is sent: catches a bad token or a refused certificate
    // before a large body goes out, and tells whether the server lets us read sizes.
    void probe()
    {
        send(request("HEAD"), 0, [this](const Outcome &outcome, const HttpsResponse &response) {
            log->info("upload: HEAD {} -> {}", shown, outcome.status);
            if (outcome.ok || outcome.status == 404) {
                headAllowed = true;
                if (outcome.ok && response.hasHeader("Content-Length")) {
                    probeHeld = response.header("Content-Length").toLongLong();
                    probeEtag = response.header("ETag");
                }
            } else if (outcome.status == 403 || outcome.status == 405 || outcome.status == 501) {
                headAllowed = false; // e.g. a write-only drop box: no resume, no size check
            } else if (outcome.transient) {
                return retry(outcome, "checking the server", [this] { probe(); });
            } else {
                return failFor(ErrorCode::Io, outcome.message);
            }
            failures = 0;
            if (options.chunkBytes > 0 && total > options.chunkBytes && headAllowed) {
                report.chunked = true;
                offset = earlierProgress();
                if (offset > 0) {
                    ++report.resumes;
                    const QString note = QStringLiteral("continuing an earlier upload at byte %1 of %2 (the server "
                                                        "holds %1 bytes of it)")
                                             .arg(offset)
                                             .arg(total);
                    log->info("upload: {}", note);
                    emit q->status(note);
                    emit q->progress(offset, total);
                    if (offset >= total)
                        return verify();
                }
                sendChunk();
            } else {
                sendWhole();
            }
        });
    }

    void sendChunk()
    {
        chunkStart = offset;
        chunkLength = qMin(options.chunkBytes, total - offset);
        // The first chunk is a plain PUT: it creates (or truncates) the file, so
        // nothing of an older file with the same name survives.
        send(put(chunkStart, chunkLength, chunkStart > 0), chunkStart,
             [this](const Outcome &outcome, const HttpsResponse &) { chunkDone(outcome); });
    }

    void chunkDone(const Outcome &outcome)
    {
        log->info("upload: PUT bytes {}-{}/{} -> {}", chunkStart, chunkStart + chunkLength - 1, total, outcome.status);
        if (outcome.ok)
            return confirmChunk();
        if (chunkStart > 0 && ranges != Ranges::Yes &&
            (outcome.status == 400 || outcome.status == 405 || outcome.status == 411 || outcome.status == 416 ||
             outcome.status == 501))
            return fallBackToWhole(
                QStringLiteral("the server refused a PUT with Content-Range (%1)").arg(outcome.status));
        if (!outcome.transient)
            return failFor(ErrorCode::Io, outcome.message);
        retry(outcome, "sending a chunk", [this] { resume(); });
    }

    // Asks the server how much it holds after a chunk: that is the only proof
    // that it applied the Content-Range instead of replacing the file.
    void confirmChunk()
    {
        send(request("HEAD"), chunkStart + chunkLength, [this](const Outcome &outcome, const HttpsResponse &response) {
            const qint64 held = response.header("Content-Length").toLongLong();
            if (!outcome.ok) {
                if (!outcome.transient)
                    return failFor(ErrorCode::Io, outcome.message);
                return retry(outcome, "checking the size on the server", [this] { resume(); });
            }
            const qint64 expected = chunkStart + chunkLength;
            if (held != expected) {
                if (ranges != Ranges::Yes)
                    return fallBackToWhole(QStringLiteral("the server holds %1 bytes after a chunk, expected %2: it "
                                                          "does not apply Content-Range")
                                               .arg(held)
                                               .arg(expected));
                Outcome mismatch;
                mismatch.transient = true;
                mismatch.message = QStringLiteral("the server holds %1 bytes, expected %2").arg(held).arg(expected);
                return retry(mismatch, "a chunk", [this] { resume(); });
            }
            if (chunkStart > 0)
                ranges = Ranges::Yes;
            offset = expected;
            failures = 0;
            saveResumeRecord(response.header("ETag"));
            emit q->progress(offset, total);
            if (offset >= total)
                return verify();
            sendChunk();
        });
    }

    // Continues an interrupted chunked upload from what the server holds.
    void resume()
    {
        send(request("HEAD"), chunkStart, [this](const Outcome &outcome, const HttpsResponse &response) {
            qint64 held = 0;
            if (outcome.ok) {
                held = response.header("Content-Length").toLongLong();
            } else if (outcome.status != 404) {
                if (!outcome.transient)
                    return failFor(ErrorCode::Io, outcome.message);
                return retry(outcome, "asking the server how much it holds", [this] { resume(); });
            }
            // Only a prefix of what we sent can be ours; anything else starts over.
            const qint64 sentUpTo = chunkStart + chunkLength;
            offset = held >= 0 && held <= sentUpTo && held <= total ? held : 0;
            ++report.resumes;
            const QString note = QStringLiteral("resuming at byte %1 of %2 (the server holds %3 bytes)")
                                     .arg(offset)
                                     .arg(total)
                                     .arg(held);
            log->info("upload: {}", note);
            emit q->status(note);
            if (offset >= total)
                return verify();
            sendChunk();
        });
    }

    void fallBackToWhole(const QString &why)
    {
        ranges = Ranges::No;
        report.chunked = false;
        report.rangeFallback = true;
        failures = 0;
        const QString note = why + QStringLiteral("; sending the whole file in one PUT instead");
        log->info("upload: {}", note);
        emit q->status(note);
        sendWhole();
    }

    void sendWhole()
    {
        send(put(0, total, false), 0, [this](const Outcome &outcome, const HttpsResponse &) {
            log->info("upload: PUT {} bytes -> {}", total, outcome.status);
            if (outcome.ok) {
                failures = 0;
                return verify();
            }
            if (!outcome.transient)
                return failFor(ErrorCode::Io, outcome.message);
            retry(outcome, "sending the file", [this] { sendWhole(); });
        });
    }

    void verify()
    {
        emit q->progress(total, total);
        if (!headAllowed) {
            report.verification = QStringLiteral("the server accepted the upload but does not let us read it back, "
                                                 "so its size was not checked");
            return finish(report);
        }
        send(request("HEAD"), total, [this](const Outcome &outcome, const HttpsResponse &response) {
            if (!outcome.ok) {
                if (outcome.status == 403 || outcome.status == 404 || outcome.status == 405) {
                    report.verification = QStringLiteral("the server accepted the upload but does not show it (%1), "
                                                         "so its size was not checked")
                                              .arg(outcome.status);
                    return finish(report);
                }
                if (!outcome.transient)
                    return failFor(ErrorCode::Io, outcome.message);
                return retry(outcome, "checking the upload", [this] { verify(); });
            }
            const qint64 held = response.header("Content-Length").toLongLong();
            if (held != total) {
                Outcome mismatch;
                mismatch.transient = true;
                mismatch.message = QStringLiteral("the server holds %1 bytes, expected %2").arg(held).arg(total);
                return retry(mismatch, "the upload", [this] {
                    if (report.chunked)
                        resume();
                    else
                        sendWhole();
                });
            }
            report.sizeVerified = true;
            const QByteArray remote = serverSha256(response);
            if (remote.isEmpty()) {
                report.verification = QStringLiteral("size %1 bytes confirmed by HEAD; the server reports no "
                                                     "SHA-256, so the content was not compared")
                                          .arg(total);
                return finish(report);
            }
            compareSha256(remote);
        });
    }

    void compareSha256(const QByteArray &remote)
    {
        auto compare = [this, remote](const QByteArray &local) {
            if (local.isEmpty())
                return failFor(ErrorCode::Io, QStringLiteral("cannot read %1 to compare its SHA-256").arg(filePath));
            if (local.toLower() != remote)
                return failFor(ErrorCode::Verification,
                               QStringLiteral("the server's SHA-256 of the upload (%1) differs from the archive's (%2)")
                                   .arg(QString::fromLatin1(remote), QString::fromLatin1(local)));
            report.sha256Verified = true;
            report.verification = QStringLiteral("size %1 bytes confirmed by HEAD; SHA-256 %2 confirmed by the server")
                                      .arg(total)
                                      .arg(QString::fromLatin1(local));
            finish(report);
        };
        if (!options.sha256.isEmpty())
            return compare(options.sha256);
        // Hash off the owner thread so a GUI stays responsive on a large archive.
        hashing = true;
        auto *watcher = new QFutureWatcher<QByteArray>(q);
        QObject::connect(watcher, &QFutureWatcher<QByteArray>::finished, q, [this, watcher, compare] {
            watcher->deleteLater();
            hashing = false;
            if (!stopIfCancelled())
                compare(watcher->result());
        });
        watcher->setFuture(QtConcurrent::run(hashFile, filePath));
    }
};

Uploader::Uploader(QString filePath, UploadOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->filePath = std::move(filePath);
    d->options = std::move(options);
    d->options.maxAttempts = qMax(1, d->options.maxAttempts);
    d->retryTimer.setSingleShot(true);
    connect(&d->retryTimer, &QTimer::timeout, this, [this] {
        if (d->stopIfCancelled())
            return;
        if (auto action = std::exchange(d->retryAction, {}))
            action();
    });
}

Uploader::~Uploader()
{
    d->running = false; // no signals from a dying object
    d->cancelled = true;
    if (d->client)
        d->client->abort();
}

void Uploader::start()
{
    if (d->started)
        return;
    d->started = true;
    d->running = true;
    // Deferred, so that finished reaches connections made right after start().
    QTimer::singleShot(0, this, [this] { d->begin(); });
}

void Uploader::cancel()
{
    if (!d->running || d->cancelled)
        return;
    d->cancelled = true;
    d->log->info("upload of {} cancelled", d->filePath);
    if (d->client && d->client->busy()) {
        d->client->abort();
        d->stopIfCancelled();
    } else if (!d->hashing) {
        d->stopIfCancelled(); // waiting to retry, or not begun: finished at once
    }
}

bool Uploader::isRunning() const { return d->running; }

Result<UploadReport> uploadFile(const QString &filePath,
                                const UploadOptions &options,
                                const UploadCallbacks &callbacks,
                                UploadReport *attempt)
{
    Uploader uploader(filePath, options);
    QEventLoop loop;
    Result<UploadReport> result = fail(ErrorCode::Internal, QStringLiteral("the upload did not finish"));
    QObject::connect(&uploader, &Uploader::finished, &loop, [&](const UploadOutcome &outcome) {
        result = outcome.result;
        if (attempt)
            *attempt = outcome.report;
        loop.quit();
    });
    if (callbacks.progress)
        QObject::connect(&uploader, &Uploader::progress, &loop, callbacks.progress);
    if (callbacks.status)
        QObject::connect(&uploader, &Uploader::status, &loop, callbacks.status);
    QTimer poll;
    if (callbacks.cancelled) {
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (callbacks.cancelled->load())
                uploader.cancel();
        });
        poll.start(50);
    }
    uploader.start();
    loop.exec();
    return result;
}

} // namespace dc::core
