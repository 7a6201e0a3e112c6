// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/upload/uploader.h"

#include "core/collect/collectsession.h"
#include "core/log/logging.h"
#include "core/seal/sealing.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTimer>
#include <QtConcurrent>
#include <cmath>

namespace dc::core {

namespace {

// A window [start, start + length) of a file, read straight from disk: the
// network stack pulls it in small blocks, so an 8 MiB chunk or a whole 1 GiB
// archive never sits in memory. Seekable, so Qt can rewind it to resend.
class FileSlice : public QIODevice
{
public:
    FileSlice(const QString &path, qint64 start, qint64 length)
        : m_file(path)
        , m_start(start)
        , m_length(length)
    {
    }
    bool open(OpenMode mode) override
    {
        if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered) || !m_file.seek(m_start))
            return false;
        return QIODevice::open(mode | QIODevice::Unbuffered);
    }
    void close() override
    {
        m_file.close();
        QIODevice::close();
    }
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_length; }
    bool seek(qint64 pos) override
    {
        if (pos < 0 || pos > m_length || !m_file.seek(m_start + pos))
            return false;
        return QIODevice::seek(pos);
    }
    bool atEnd() const override { return pos() >= m_length; }
    QString fileErrorString() const { return m_file.errorString(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 left = m_length - pos();
        if (left <= 0)
            return 0;
        if (m_file.pos() != m_start + pos() && !m_file.seek(m_start + pos()))
            return -1;
        return m_file.read(data, qMin(maxSize, left));
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_start;
    qint64 m_length;
};

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
QByteArray serverSha256(const QNetworkReply *reply)
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
    if (reply->hasRawHeader("X-Checksum-Sha256"))
        return fromEncoded(reply->rawHeader("X-Checksum-Sha256"));
    for (const char *name : {"Repr-Digest", "Digest"}) {
        const QList<QByteArray> parts = reply->rawHeader(name).split(',');
        for (const QByteArray &part : parts) {
            const qsizetype equals = part.indexOf('=');
            if (equals > 0 && part.left(equals).trimmed().toLower() == "sha-256")
                return fromEncoded(part.mid(equals + 1));
        }
    }
    return {};
}

// Retry-After as seconds or an HTTP date; -1 when absent or unreadable.
qint64 retryAfterMs(const QNetworkReply *reply)
{
    const QByteArray value = reply->rawHeader("Retry-After").trimmed();
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

bool isTransientNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:  // transfer timeout (our own cancel is handled before)
    case QNetworkReply::SslHandshakeFailedError: // without certificate errors: the link broke mid-handshake
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::UnknownProxyError:
        return true;
    default:
        return false;
    }
}

QString serverMessage(QNetworkReply *reply)
{
    QString text = QString::fromUtf8(reply->read(4096));
    if (reply->header(QNetworkRequest::ContentTypeHeader).toString().contains(QStringLiteral("html"))) {
        static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
        text.replace(tags, QStringLiteral(" "));
    }
    text = text.simplified();
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("...");
    return text;
}

} // namespace

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
    QNetworkAccessManager *nam = nullptr;
    QUrl url;
    QString shown;
    QByteArray token;
    QSslConfiguration ssl;
    QByteArray pin; // raw 32 bytes
    qint64 total = 0;
    qint64 offset = 0;     // bytes the server confirmed (chunked mode)
    qint64 chunkStart = 0; // the request in flight
    qint64 chunkLength = 0;
    Ranges ranges = Ranges::Unknown;
    bool headAllowed = true;
    bool running = false;
    bool started = false;
    bool cancelled = false;
    int failures = 0; // consecutive failures of the current step
    UploadReport report;
    QPointer<QNetworkReply> reply;
    QStringList sslErrors;
    bool pinMismatch = false;
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

    QString clean(QString text) const
    {
        if (!token.isEmpty())
            text.replace(QString::fromUtf8(token), QStringLiteral("[token]"));
        return text;
    }

    void finish(Result<UploadReport> result)
    {
        if (!running)
            return;
        running = false;
        retryTimer.stop();
        if (!result) {
            Error error = result.error();
            error.message = clean(error.message);
            log->warn("upload of {} failed: {}", filePath, error.message);
            result = tl::unexpected(error);
        } else {
            log->info("upload of {} to {} finished: {} bytes, {} requests, {} retries; {}", filePath, shown,
                      result->bytes, result->requests, result->retries, result->verification);
        }
        emit q->finished(UploadOutcome{std::move(result)});
    }

    void failFor(ErrorCode code, const QString &reason)
    {
        const QString where = QFileInfo(filePath).absoluteFilePath();
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
        auto resolved = resolveUploadUrl(options.url, options.caseId, info.fileName());
        if (!resolved)
            return finish(tl::unexpected(resolved.error()));
        url = *resolved;
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
        nam = new QNetworkAccessManager(q);
        nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        if (auto proxy = environmentProxy(url.host())) {
            nam->setProxy(*proxy);
            if (proxy->type() == QNetworkProxy::HttpProxy)
                log->info("upload: using the proxy {}:{} from HTTPS_PROXY", proxy->hostName(), proxy->port());
        }
        log->info("upload of {} ({} bytes) to {} starts", filePath, total, shown);
        probe();
    }

    QNetworkRequest request() const
    {
        QNetworkRequest r(url);
        r.setSslConfiguration(ssl);
        // Plain HTTP/1.1: predictable streaming of large bodies, one request at a time.
        r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        r.setTransferTimeout(options.transferTimeoutMs);
        r.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("diagcollect/" DIAGCOLLECT_VERSION));
        if (!token.isEmpty())
            r.setRawHeader("Authorization", "Bearer " + token);
        if (!options.caseId.isEmpty() && !options.caseHeader.isEmpty())
            r.setRawHeader(options.caseHeader.toLatin1(), options.caseId.toLatin1());
        return r;
    }

    void watch(QNetworkReply *r, std::function<void(QNetworkReply *)> done, qint64 progressBase)
    {
        ++report.requests;
        reply = r;
        sslErrors.clear();
        pinMismatch = false;
        QObject::connect(r, &QNetworkReply::sslErrors, q, [this](const QList<QSslError> &errors) {
            for (const QSslError &error : errors)
                sslErrors.append(error.errorString());
        });
        QObject::connect(r, &QNetworkReply::encrypted, q, [this, r] { checkPin(r); });
        QObject::connect(r, &QNetworkReply::uploadProgress, q, [this, progressBase](qint64 sent, qint64) {
            emit q->progress(qMin(total, progressBase + sent), total);
        });
        QObject::connect(r, &QNetworkReply::finished, q, [this, r, done = std::move(done)] {
            r->deleteLater();
            if (reply == r)
                reply = nullptr;
            done(r);
        });
    }

    void checkPin(QNetworkReply *r)
    {
        if (pin.isEmpty())
            return;
        const QSslCertificate certificate = r->sslConfiguration().peerCertificate();
        const QByteArray spki = certificate.publicKey().toDer();
        const QByteArray digest = QCryptographicHash::hash(spki, QCryptographicHash::Sha256);
        if (spki.isEmpty() || digest != pin) {
            pinMismatch = true;
            log->warn("upload: the server's public key (sha256 {}) does not match the pin; aborting before sending",
                      QString::fromLatin1(digest.toBase64()));
            r->abort();
        }
    }

    Outcome classify(QNetworkReply *r)
    {
        Outcome outcome;
        outcome.status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (pinMismatch) {
            outcome.message = QStringLiteral("the server's public key does not match the pinned SHA-256 (--pin)");
            return outcome;
        }
        if (!sslErrors.isEmpty()) {
            sslErrors.removeDuplicates();
            outcome.message =
                QStringLiteral("the server's certificate was refused: %1").arg(sslErrors.join(QStringLiteral("; ")));
            return outcome;
        }
        if (outcome.status >= 200 && outcome.status < 300) {
            outcome.ok = true;
            return outcome;
        }
        if (outcome.status > 0) {
            const QString reason = r->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            QString message = QStringLiteral("the server replied %1 %2").arg(outcome.status).arg(reason).trimmed();
            if (outcome.status >= 300 && outcome.status < 400) {
                message += QStringLiteral(" (redirect to %1; use that address as the upload URL)")
                               .arg(displayUrl(r->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl()));
            } else if (const QString text = serverMessage(r); !text.isEmpty()) {
                message += QStringLiteral(": ") + text;
            }
            outcome.message = message;
            outcome.transient = outcome.status == 408 || outcome.status == 429 || outcome.status >= 500;
            outcome.retryAfter = retryAfterMs(r);
            return outcome;
        }
        outcome.message = r->errorString();
        if (r->error() == QNetworkReply::OperationCanceledError)
            outcome.message = QStringLiteral("no data moved for %1 s (timeout)").arg(options.transferTimeoutMs / 1000);
        outcome.transient = isTransientNetworkError(r->error());
        return outcome;
    }

    // Retries `action` after a backoff, or gives up after maxAttempts failures in a row.
    void retry(const Outcome &outcome, const char *what, std::function<void()> action)
    {
        ++failures;
        if (failures >= options.maxAttempts)
            return failFor(ErrorCode::Io,
                           QStringLiteral("%1 (gave up after %2 attempts)").arg(outcome.message).arg(failures));
        ++report.retries;
        const double exponential = options.initialBackoffMs * std::pow(2.0, failures - 1);
        qint64 delay = qint64(qMin<double>(options.maxBackoffMs, exponential));
        delay = delay / 2 + qint64(QRandomGenerator::global()->bounded(double(delay / 2 + 1))); // equal jitter
        if (outcome.retryAfter >= 0)
            delay = qMax(delay, qMin<qint64>(outcome.retryAfter, options.maxRetryAfterMs));
        const QString note = clean(QStringLiteral("%1 failed (%2); retrying in %3 s (attempt %4 of %5)")
                                       .arg(QLatin1String(what), outcome.message)
                                       .arg(double(delay) / 1000.0, 0, 'f', 1)
                                       .arg(failures + 1)
                                       .arg(options.maxAttempts));
        log->warn("upload: {}", note);
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

    // HEAD before anything is sent: catches a bad token or a refused certificate
    // before a large body goes out, and tells whether the server lets us read sizes.
    void probe()
    {
        watch(
            nam->head(request()),
            [this](QNetworkReply *r) {
                if (stopIfCancelled())
                    return;
                const Outcome outcome = classify(r);
                log->info("upload: HEAD {} -> {}", shown, outcome.status);
                if (outcome.ok || outcome.status == 404) {
                    headAllowed = true;
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
                    offset = 0;
                    sendChunk();
                } else {
                    sendWhole();
                }
            },
            0);
    }

    void sendChunk()
    {
        chunkStart = offset;
        chunkLength = qMin(options.chunkBytes, total - offset);
        auto slice = std::make_unique<FileSlice>(filePath, chunkStart, chunkLength);
        if (!slice->open(QIODevice::ReadOnly))
            return failFor(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(filePath, slice->fileErrorString()));
        QNetworkRequest r = request();
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
        r.setHeader(QNetworkRequest::ContentLengthHeader, chunkLength);
        // The first chunk is a plain PUT: it creates (or truncates) the file, so
        // nothing of an older file with the same name survives.
        if (chunkStart > 0)
            r.setRawHeader("Content-Range", QStringLiteral("bytes %1-%2/%3")
                                                .arg(chunkStart)
                                                .arg(chunkStart + chunkLength - 1)
                                                .arg(total)
                                                .toLatin1());
        QNetworkReply *sent = nam->put(r, slice.get());
        slice.release()->setParent(sent); // Qt may still touch it until the reply itself is deleted
        watch(
            sent, [this](QNetworkReply *finished) { chunkDone(finished); }, chunkStart);
    }

    void chunkDone(QNetworkReply *r)
    {
        if (stopIfCancelled())
            return;
        const Outcome outcome = classify(r);
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
        watch(
            nam->head(request()),
            [this](QNetworkReply *r) {
                if (stopIfCancelled())
                    return;
                const Outcome outcome = classify(r);
                const qint64 held = r->header(QNetworkRequest::ContentLengthHeader).toLongLong();
                if (!outcome.ok) {
                    if (!outcome.transient)
                        return failFor(ErrorCode::Io, outcome.message);
                    return retry(outcome, "checking the size on the server", [this] { resume(); });
                }
                const qint64 expected = chunkStart + chunkLength;
                if (held != expected) {
                    if (ranges != Ranges::Yes)
                        return fallBackToWhole(
                            QStringLiteral("the server holds %1 bytes after a chunk, expected %2: it "
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
                emit q->progress(offset, total);
                if (offset >= total)
                    return verify();
                sendChunk();
            },
            chunkStart + chunkLength);
    }

    // Continues an interrupted chunked upload from what the server holds.
    void resume()
    {
        watch(
            nam->head(request()),
            [this](QNetworkReply *r) {
                if (stopIfCancelled())
                    return;
                const Outcome outcome = classify(r);
                qint64 held = 0;
                if (outcome.ok) {
                    held = r->header(QNetworkRequest::ContentLengthHeader).toLongLong();
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
            },
            chunkStart);
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
        auto file = std::make_unique<FileSlice>(filePath, 0, total);
        if (!file->open(QIODevice::ReadOnly))
            return failFor(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(filePath, file->fileErrorString()));
        QNetworkRequest r = request();
        r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
        r.setHeader(QNetworkRequest::ContentLengthHeader, total);
        QNetworkReply *sent = nam->put(r, file.get());
        file.release()->setParent(sent);
        watch(
            sent,
            [this](QNetworkReply *finished) {
                if (stopIfCancelled())
                    return;
                const Outcome outcome = classify(finished);
                log->info("upload: PUT {} bytes -> {}", total, outcome.status);
                if (outcome.ok) {
                    failures = 0;
                    return verify();
                }
                if (!outcome.transient)
                    return failFor(ErrorCode::Io, outcome.message);
                retry(outcome, "sending the file", [this] { sendWhole(); });
            },
            0);
    }

    void verify()
    {
        emit q->progress(total, total);
        if (!headAllowed) {
            report.verification = QStringLiteral("the server accepted the upload but does not let us read it back, "
                                                 "so its size was not checked");
            return finish(report);
        }
        watch(
            nam->head(request()),
            [this](QNetworkReply *r) {
                if (stopIfCancelled())
                    return;
                const Outcome outcome = classify(r);
                if (!outcome.ok) {
                    if (outcome.status == 403 || outcome.status == 404 || outcome.status == 405) {
                        report.verification =
                            QStringLiteral("the server accepted the upload but does not show it (%1), "
                                           "so its size was not checked")
                                .arg(outcome.status);
                        return finish(report);
                    }
                    if (!outcome.transient)
                        return failFor(ErrorCode::Io, outcome.message);
                    return retry(outcome, "checking the upload", [this] { verify(); });
                }
                const qint64 held = r->header(QNetworkRequest::ContentLengthHeader).toLongLong();
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
                const QByteArray remote = serverSha256(r);
                if (remote.isEmpty()) {
                    report.verification = QStringLiteral("size %1 bytes confirmed by HEAD; the server reports no "
                                                         "SHA-256, so the content was not compared")
                                              .arg(total);
                    return finish(report);
                }
                compareSha256(remote);
            },
            total);
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
        auto *watcher = new QFutureWatcher<QByteArray>(q);
        QObject::connect(watcher, &QFutureWatcher<QByteArray>::finished, q, [this, watcher, compare] {
            watcher->deleteLater();
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
    if (d->reply)
        d->reply->abort();
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
    if (d->reply)
        d->reply->abort(); // its finished handler reports the cancel
    else if (d->retryTimer.isActive())
        d->stopIfCancelled();
}

bool Uploader::isRunning() const { return d->running; }

Result<UploadReport> uploadFile(const QString &filePath, const UploadOptions &options, const UploadCallbacks &callbacks)
{
    Uploader uploader(filePath, options);
    QEventLoop loop;
    Result<UploadReport> result = fail(ErrorCode::Internal, QStringLiteral("the upload did not finish"));
    QObject::connect(&uploader, &Uploader::finished, &loop, [&](const UploadOutcome &outcome) {
        result = outcome.result;
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
