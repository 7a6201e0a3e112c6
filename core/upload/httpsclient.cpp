// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/upload/httpsclient.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#ifdef Q_OS_LINUX
#include <linux/sockios.h>
#include <sys/ioctl.h>
#endif

namespace dc::core {

namespace {

constexpr qsizetype kBodyKeep = 64 * 1024; // of a response body (error messages)
constexpr qsizetype kMaxHead = 64 * 1024;  // a response head larger than this is refused
constexpr qint64 kBlock = 64 * 1024;       // body read per step
constexpr qint64 kHighWater = 256 * 1024;  // body bytes kept in the socket's own buffers
constexpr int kTickMs = 200;

bool isTransient(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::SocketAccessError:
    case QAbstractSocket::SocketResourceError:
    case QAbstractSocket::UnsupportedSocketOperationError:
    case QAbstractSocket::SslInvalidUserDataError:
    case QAbstractSocket::OperationError:
        return false;
    default: // refused, reset, closed, name lookup, timeouts, proxies, a handshake cut short
        return true;
    }
}

} // namespace

QByteArray HttpsResponse::header(const char *name) const
{
    const QByteArray wanted = QByteArray(name).toLower();
    for (const auto &entry : headers)
        if (entry.first.toLower() == wanted)
            return entry.second;
    return {};
}

bool HttpsResponse::hasHeader(const char *name) const
{
    const QByteArray wanted = QByteArray(name).toLower();
    for (const auto &entry : headers)
        if (entry.first.toLower() == wanted)
            return true;
    return false;
}

HttpsClient::HttpsClient(HttpsTarget target, int stallTimeoutMs, QObject *parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_stallTimeoutMs(qMax(1, stallTimeoutMs))
{
    m_ticker.setInterval(qMin(kTickMs, qMax(10, m_stallTimeoutMs / 4)));
    connect(&m_ticker, &QTimer::timeout, this, [this] { tick(); });
}

HttpsClient::~HttpsClient()
{
    m_done = nullptr;
    dropConnection();
}

void HttpsClient::dropConnection()
{
    m_reusable = false;
    if (QSslSocket *socket = m_socket.data()) {
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

void HttpsClient::abort()
{
    m_ticker.stop();
    m_busy = false;
    m_done = nullptr;
    m_body.reset();
    dropConnection();
}

void HttpsClient::send(const HttpsRequest &request, std::function<void(const HttpsResult &)> done)
{
    Q_ASSERT(!m_busy);
    m_busy = true;
    m_request = request;
    m_done = std::move(done);
    m_body.reset();
    m_bodyWritten = 0;
    m_headWritten = false;
    m_sslErrors.clear();
    m_pinMismatch = false;
    m_in.clear();
    m_headParsed = false;
    m_keepAlive = false;
    m_framing = Framing::None;
    m_remaining = 0;
    m_inChunkData = false;
    m_inTrailers = false;
    m_response = HttpsResponse();
    m_lastMark = -1;
    m_lastProgress = -1;
    m_sinceMove.start();
    if (m_request.bodyLength >= 0) {
        m_body = std::make_unique<QFile>(m_request.bodyFile);
        if (!m_body->open(QIODevice::ReadOnly) || !m_body->seek(m_request.bodyStart))
            return failWith(HttpsResult::Failure::LocalFile, false,
                            QStringLiteral("cannot read %1: %2").arg(m_request.bodyFile, m_body->errorString()));
    }
    m_ticker.start();
    if (m_socket && m_reusable && m_socket->state() == QAbstractSocket::ConnectedState && m_socket->isEncrypted()) {
        m_reusable = false;
        writeHead();
        return;
    }
    openConnection();
}

void HttpsClient::openConnection()
{
    dropConnection();
    auto *socket = new QSslSocket(this);
    m_socket = socket;
    ++m_connections;
    m_kernelWritten = 0;
    m_received = 0;
    socket->setProxy(m_target.proxy);
    socket->setSslConfiguration(m_target.ssl);
    connect(socket, &QSslSocket::encrypted, this, [this] { onEncrypted(); });
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            m_sslErrors.append(error.errorString());
    });
    connect(socket, &QSslSocket::encryptedBytesWritten, this, [this](qint64 written) {
        m_kernelWritten += written;
        pump();
    });
    connect(socket, &QSslSocket::bytesWritten, this, [this](qint64) { pump(); });
    connect(socket, &QSslSocket::readyRead, this, [this] { onReadyRead(); });
    connect(socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) { onSocketError(); });
    connect(socket, &QSslSocket::disconnected, this, [this] { onSocketError(); });
    socket->connectToHostEncrypted(m_target.host, m_target.port);
}

void HttpsClient::onEncrypted()
{
    if (!m_target.pinSha256.isEmpty()) {
        const QByteArray spki = m_socket->peerCertificate().publicKey().toDer();
        if (spki.isEmpty() || QCryptographicHash::hash(spki, QCryptographicHash::Sha256) != m_target.pinSha256) {
            m_pinMismatch = true;
            return failWith(HttpsResult::Failure::Pin, false,
                            QStringLiteral("the server's public key does not match the pinned SHA-256 (--pin)"));
        }
    }
    if (m_busy && !m_headWritten)
        writeHead();
}

void HttpsClient::writeHead()
{
    QString host = m_target.host;
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    if (m_target.port != 443)
        host += QLatin1Char(':') + QString::number(m_target.port);
    QByteArray head = m_request.method + ' ' + m_request.target + " HTTP/1.1\r\nHost: " + host.toUtf8() + "\r\n";
    for (const auto &entry : std::as_const(m_request.headers))
        head += entry.first + ": " + entry.second + "\r\n";
    if (m_request.bodyLength >= 0)
        head += "Content-Length: " + QByteArray::number(m_request.bodyLength) + "\r\n";
    head += "\r\n";
    m_headWritten = true;
    m_socket->write(head);
    m_bodyKernelBase = m_kernelWritten;
    pump();
}

void HttpsClient::pump()
{
    if (!m_busy || !m_headWritten || !m_body || m_headParsed || !m_socket)
        return;
    while (m_bodyWritten < m_request.bodyLength &&
           m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() < kHighWater) {
        const qint64 want = qMin(kBlock, m_request.bodyLength - m_bodyWritten);
        const QByteArray block = m_body->read(want);
        if (block.size() != want)
            return failWith(HttpsResult::Failure::LocalFile, false,
                            QStringLiteral("cannot read %1: %2")
                                .arg(m_request.bodyFile, block.isEmpty() && m_body->error() == QFileDevice::NoError
                                                             ? QStringLiteral("the file became shorter")
                                                             : m_body->errorString()));
        m_socket->write(block);
        m_bodyWritten += block.size();
    }
}

qint64 HttpsClient::wireMark()
{
    qint64 mark = m_kernelWritten + m_received;
#ifdef Q_OS_LINUX
    // Written to the kernel is not sent: subtract what still waits for the peer's acknowledgement.
    int queued = 0;
    if (m_socket && m_socket->socketDescriptor() >= 0 &&
        ::ioctl(int(m_socket->socketDescriptor()), SIOCOUTQ, &queued) == 0)
        mark -= queued;
#endif
    return mark;
}

qint64 HttpsClient::acknowledgedBody()
{
    if (!m_socket || m_request.bodyLength <= 0)
        return 0;
    qint64 pending = m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
#ifdef Q_OS_LINUX
    int queued = 0;
    if (m_socket->socketDescriptor() >= 0 && ::ioctl(int(m_socket->socketDescriptor()), SIOCOUTQ, &queued) == 0)
        pending += queued;
#endif
    return qBound<qint64>(0, m_bodyWritten - pending, m_request.bodyLength);
}

void HttpsClient::tick()
{
    if (!m_busy)
        return m_ticker.stop();
    const qint64 mark = wireMark();
    if (mark != m_lastMark) {
        m_lastMark = mark;
        m_sinceMove.restart();
    }
    if (m_headWritten && onProgress) {
        const qint64 acknowledged = m_headParsed ? m_bodyWritten : acknowledgedBody();
        if (acknowledged != m_lastProgress) {
            m_lastProgress = acknowledged;
            onProgress(acknowledged, qMax<qint64>(0, m_request.bodyLength));
        }
    }
    if (m_sinceMove.elapsed() >= m_stallTimeoutMs)
        failWith(HttpsResult::Failure::Stalled, true,
                 QStringLiteral("no data moved for %1 s").arg(double(m_stallTimeoutMs) / 1000.0, 0, 'g', 3));
}

void HttpsClient::onReadyRead()
{
    if (!m_socket)
        return;
    const QByteArray data = m_socket->readAll();
    m_received += data.size();
    if (!m_busy) {
        if (!data.isEmpty())
            dropConnection(); // bytes nobody asked for: this connection is not trusted again
        return;
    }
    m_in.append(data);
    parse();
}

void HttpsClient::parse()
{
    while (m_busy) {
        if (!m_headParsed) {
            const qsizetype end = m_in.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_in.size() > kMaxHead)
                    failWith(HttpsResult::Failure::Protocol, true,
                             QStringLiteral("the server's reply head is too long"));
                return;
            }
            const QList<QByteArray> lines = m_in.left(end).split('\n');
            m_in.remove(0, end + 4);
            const QByteArray statusLine = lines.value(0).trimmed();
            if (!statusLine.startsWith("HTTP/1."))
                return failWith(HttpsResult::Failure::Protocol, true,
                                QStringLiteral("the server did not answer in HTTP/1.1"));
            const QList<QByteArray> parts = statusLine.split(' ');
            bool ok = false;
            const int status = parts.value(1).toInt(&ok);
            if (!ok || status < 100 || status > 999)
                return failWith(HttpsResult::Failure::Protocol, true,
                                QStringLiteral("the server's status line is unreadable"));
            HttpsResponse response;
            response.status = status;
            response.reason = statusLine.mid(statusLine.indexOf(' ', 9) + 1);
            if (statusLine.indexOf(' ', 9) < 0)
                response.reason.clear();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    response.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
            }
            if (status < 200)
                continue; // 100 Continue and friends: the real answer follows
            m_response = response;
            m_headParsed = true;
            const QByteArray connection = response.header("Connection").toLower();
            m_keepAlive =
                statusLine.startsWith("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
            if (m_request.method == "HEAD" || status == 204 || status == 304) {
                m_framing = Framing::None;
            } else if (response.header("Transfer-Encoding").toLower().contains("chunked")) {
                m_framing = Framing::Chunked;
                m_inChunkData = false;
            } else if (response.hasHeader("Content-Length")) {
                m_framing = Framing::Length;
                m_remaining = response.header("Content-Length").toLongLong(&ok);
                if (!ok || m_remaining < 0)
                    return failWith(HttpsResult::Failure::Protocol, true,
                                    QStringLiteral("the server's Content-Length is unreadable"));
            } else {
                m_framing = Framing::UntilClose;
                m_keepAlive = false;
            }
            if (m_framing == Framing::None || (m_framing == Framing::Length && m_remaining == 0))
                return complete();
            continue;
        }
        auto keep = [this](const QByteArray &bytes) {
            if (m_response.body.size() < kBodyKeep)
                m_response.body.append(bytes.left(kBodyKeep - m_response.body.size()));
        };
        switch (m_framing) {
        case Framing::None:
            return complete();
        case Framing::UntilClose:
            keep(m_in);
            m_in.clear();
            return;
        case Framing::Length: {
            const qint64 take = qMin<qint64>(m_remaining, m_in.size());
            keep(m_in.left(take));
            m_in.remove(0, take);
            m_remaining -= take;
            if (m_remaining == 0)
                return complete();
            return;
        }
        case Framing::Chunked: {
            if (m_inChunkData) {
                const qint64 take = qMin<qint64>(m_remaining, m_in.size());
                keep(m_in.left(take));
                m_in.remove(0, take);
                m_remaining -= take;
                if (m_remaining > 0)
                    return;
                if (m_in.size() < 2)
                    return;
                m_in.remove(0, 2); // CRLF after the data
                m_inChunkData = false;
                continue;
            }
            const qsizetype eol = m_in.indexOf("\r\n");
            if (eol < 0)
                return;
            const QByteArray line = m_in.left(eol);
            m_in.remove(0, eol + 2);
            if (m_inTrailers) {
                if (line.isEmpty())
                    return complete();
                continue;
            }
            bool ok = false;
            m_remaining = line.split(';').value(0).trimmed().toLongLong(&ok, 16);
            if (!ok || m_remaining < 0)
                return failWith(HttpsResult::Failure::Protocol, true,
                                QStringLiteral("the server's chunked reply is unreadable"));
            if (m_remaining == 0)
                m_inTrailers = true;
            else
                m_inChunkData = true;
            continue;
        }
        }
    }
}

void HttpsClient::onSocketError()
{
    if (!m_socket)
        return;
    if (!m_busy) {
        dropConnection(); // an idle connection the server closed
        return;
    }
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
    if (!m_busy)
        return;
    if (m_headParsed && m_framing == Framing::UntilClose)
        return complete();
    if (m_pinMismatch)
        return;
    if (!m_sslErrors.isEmpty()) {
        m_sslErrors.removeDuplicates();
        return failWith(
            HttpsResult::Failure::Certificate, false,
            QStringLiteral("the server's certificate was refused: %1").arg(m_sslErrors.join(QStringLiteral("; "))));
    }
    const QAbstractSocket::SocketError error = m_socket->error();
    QString message = m_socket->errorString();
    if (error == QAbstractSocket::RemoteHostClosedError || message.isEmpty())
        message = QStringLiteral("the connection was closed before the server answered");
    failWith(HttpsResult::Failure::Network, isTransient(error), message);
}

void HttpsClient::complete()
{
    m_ticker.stop();
    if (onProgress && m_request.bodyLength > 0 && m_bodyWritten == m_request.bodyLength)
        onProgress(m_bodyWritten, m_request.bodyLength);
    // A body cut short by an early answer, or a server that closes: this connection is done.
    m_reusable = m_keepAlive && m_bodyWritten == qMax<qint64>(0, m_request.bodyLength) && m_in.isEmpty();
    if (!m_reusable)
        dropConnection();
    HttpsResult result;
    result.response = std::move(m_response);
    m_busy = false;
    m_body.reset();
    if (auto done = std::exchange(m_done, nullptr))
        done(result);
}

void HttpsClient::failWith(HttpsResult::Failure failure, bool transient, const QString &message)
{
    if (!m_busy)
        return;
    m_ticker.stop();
    m_busy = false;
    m_body.reset();
    // Never reused after a failure: the next attempt gets a new connection.
    dropConnection();
    HttpsResult result;
    result.failure = failure;
    result.transient = transient;
    result.message = message;
    result.sslErrors = m_sslErrors;
    if (auto done = std::exchange(m_done, nullptr))
        done(result);
}

} // namespace dc::core
