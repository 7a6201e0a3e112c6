// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslConfiguration>
#include <QString>
#include <QTimer>
#include <functional>
#include <memory>

class QFile;
class QSslSocket;

namespace dc::core {

// The uploader's HTTP/1.1 client: one TLS connection at a time, owned here, so
// that (docs/UPLOAD.md)
// - a failed request never leaves its connection behind: the next request
//   after any failure opens a new connection (dropConnection());
// - "stalled" means no byte moved on the wire: neither acknowledged by the peer
//   (Linux: what the kernel sent and got acknowledged, SIOCOUTQ) nor received,
//   for stallTimeoutMs; a slow link that moves bytes never times out, however
//   long a request takes;
// - progress is what the peer acknowledged, not what sits in local buffers.
// Lives on the thread that created it (needs an event loop); callbacks run there.

struct HttpsTarget
{
    QString host;
    quint16 port = 443;
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    QSslConfiguration ssl;
    QByteArray pinSha256; // raw SHA-256 of the server's SubjectPublicKeyInfo; empty: no pin
};

struct HttpsRequest
{
    QByteArray method; // "HEAD" or "PUT"
    QByteArray target; // "/path?query", already encoded
    QList<QPair<QByteArray, QByteArray>> headers;
    // The body: [bodyStart, bodyStart + bodyLength) of bodyFile, streamed from
    // disk. bodyLength < 0: no body and no Content-Length.
    QString bodyFile;
    qint64 bodyStart = 0;
    qint64 bodyLength = -1;
};

struct HttpsResponse
{
    int status = 0;
    QByteArray reason;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body; // its first 64 KiB
    // The first header of that name (case-insensitive), or an empty array.
    QByteArray header(const char *name) const;
    bool hasHeader(const char *name) const;
};

struct HttpsResult
{
    enum class Failure {
        None,        // a response arrived
        Network,     // connection refused, reset, cut, name not found, proxy, handshake cut
        Stalled,     // no byte moved for stallTimeoutMs
        Certificate, // the certificate was refused (sslErrors says why)
        Pin,         // the public key does not match the pin
        Protocol,    // not HTTP/1.x
        LocalFile,   // the body could not be read
    };
    Failure failure = Failure::None;
    bool transient = false; // worth another attempt on a new connection
    QString message;        // English, for failures
    QStringList sslErrors;
    HttpsResponse response;
};

class HttpsClient : public QObject
{
public:
    HttpsClient(HttpsTarget target, int stallTimeoutMs, QObject *parent = nullptr);
    ~HttpsClient() override;

    // Sends one request (on the open connection when it is healthy and idle,
    // else on a new one) and calls done once with the result. One at a time.
    void send(const HttpsRequest &request, std::function<void(const HttpsResult &)> done);
    // Stops the request in flight without calling done and closes the connection.
    void abort();
    // The next request goes out on a new connection.
    void dropConnection();
    bool busy() const { return m_busy; }
    int connectionsOpened() const { return m_connections; }
    // Body bytes of the request in flight that the peer acknowledged, and the body's length.
    std::function<void(qint64 acknowledged, qint64 length)> onProgress;

private:
    enum class Framing { None, Length, Chunked, UntilClose };
    void openConnection();
    void onEncrypted();
    void writeHead();
    void pump();
    void onReadyRead();
    void parse();
    void onSocketError();
    void tick();
    qint64 wireMark();
    qint64 acknowledgedBody();
    void complete();
    void failWith(HttpsResult::Failure failure, bool transient, const QString &message);

    HttpsTarget m_target;
    int m_stallTimeoutMs;
    QPointer<QSslSocket> m_socket;
    bool m_reusable = false;
    int m_connections = 0;

    // The request in flight.
    bool m_busy = false;
    HttpsRequest m_request;
    std::function<void(const HttpsResult &)> m_done;
    std::unique_ptr<QFile> m_body;
    qint64 m_bodyWritten = 0; // handed to the socket
    bool m_headWritten = false;
    QStringList m_sslErrors;
    bool m_pinMismatch = false;
    qint64 m_kernelWritten = 0; // bytes the TLS socket wrote to the kernel on this connection
    qint64 m_received = 0;      // bytes read from this connection
    qint64 m_bodyKernelBase = 0;
    qint64 m_lastMark = -1;
    qint64 m_lastProgress = -1;
    QElapsedTimer m_sinceMove;
    QTimer m_ticker;

    // Response parsing.
    QByteArray m_in;
    bool m_headParsed = false;
    bool m_keepAlive = false;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0; // body bytes left (Length) or in the current chunk (Chunked)
    bool m_inChunkData = false;
    bool m_inTrailers = false;
    HttpsResponse m_response;
};

} // namespace dc::core
