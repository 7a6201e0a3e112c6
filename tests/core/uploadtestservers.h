// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Real and fake HTTPS servers on 127.0.0.1 for the uploader tests. Everything
// runs as the current user from a temporary directory and is stopped by the
// destructors, so no server or file outlives a test.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QString>
#include <QTcpServer>
#include <QTemporaryDir>
#include <functional>
#include <memory>

namespace dc::test {

// A CA, a server certificate for 127.0.0.1/localhost signed by it, one for
// another host name signed by it, and a self-signed (untrusted) one, made with
// the openssl command line.
struct TestPki
{
    QString dir;
    QString caCert;
    QString serverCert, serverKey;
    QString wrongHostCert, wrongHostKey;
    QString untrustedCert, untrustedKey;
    QByteArray serverPinBase64; // SHA-256 of the server's SubjectPublicKeyInfo, computed by openssl

    // Empty on success, else what went wrong.
    QString create(const QString &directory);
};

quint16 freePort();
// Finds a program in PATH or the sbin directories; empty when missing.
QString findProgram(const QString &name);

// nginx (dav_methods PUT, no Content-Range) or lighttpd (mod_webdav with
// partial PUT) serving root/ over HTTPS on a free port.
class WebServer
{
public:
    enum class Kind { Nginx, Lighttpd };
    WebServer(Kind kind, const TestPki &pki);
    ~WebServer();
    QString start(); // empty on success
    void stop();
    quint16 port() const { return m_port; }
    QString root() const { return m_dir.filePath(QStringLiteral("www")); }
    QString baseUrl() const; // "https://127.0.0.1:<port>"

private:
    Kind m_kind;
    const TestPki &m_pki;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QProcess m_process;
    QString m_errorLog;
};

// A scripted HTTPS/1.1 server built on QSslServer, for behaviour real servers
// do not show on demand (503 then success, 401, certificates for other names).
class FakeHttpsServer : public QObject
{
public:
    struct Request
    {
        QByteArray method, path;
        QMap<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };
    struct Response
    {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
    };
    using Handler = std::function<Response(const Request &)>;

    FakeHttpsServer(const QString &certFile, const QString &keyFile, Handler handler);
    ~FakeHttpsServer() override;
    quint16 port() const { return m_server.serverPort(); }
    QString baseUrl() const;
    QList<Request> requests; // every complete request, in order
    int handshakeFailures = 0;

    // A handler that stores PUT bodies by path (also applying Content-Range) and
    // answers HEAD with the size and an X-Checksum-Sha256, like a WebDAV server.
    QMap<QByteArray, QByteArray> files;
    Response storeOrReport(const Request &request, bool acceptRanges);

private:
    void serve(QSslSocket *socket);
    QSslServer m_server;
    Handler m_handler;
};

// A TCP relay in front of a server: cuts the connection once after a number of
// client bytes (a network that drops mid-upload), or acts as an HTTP CONNECT
// proxy (for HTTPS_PROXY) and records the targets it was asked for. It can also
// stall connections (they stay open, nothing more passes either way: a dead
// middlebox) and throttle what the client sends to a slow link's rate (its
// socket reads only that much, so TCP flow control slows the sender).
class TcpRelay : public QObject
{
public:
    explicit TcpRelay(quint16 upstreamPort, qint64 cutAfterBytes = -1, bool connectProxy = false);
    ~TcpRelay() override;
    quint16 port() const { return m_server.serverPort(); }
    int cuts = 0;
    int refuseAfterCut = 0; // connections refused right after the cut (the network stays down a moment)
    qint64 forwarded() const { return m_forwarded; }
    QStringList connectTargets;
    int connections = 0;       // accepted so far
    int stallConnections = 0;  // the first N connections stall ...
    qint64 stallAfter = 0;     // ... once this many client bytes passed on them
    qint64 bytesPerSecond = 0; // > 0: client-to-server bytes are passed at this rate
    // As a CONNECT proxy: when set, a request without exactly this
    // Proxy-Authorization value gets 407 with a Basic challenge.
    QByteArray requiredProxyAuthorization;
    int proxyChallenges = 0; // 407 answers given

private:
    void relay(QTcpSocket *client);
    QTcpServer m_server;
    quint16 m_upstream;
    qint64 m_cutAfter;
    bool m_connectProxy;
    qint64 m_forwarded = 0;
};

} // namespace dc::test
