// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "uploadtestservers.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif
#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace dc::test {

namespace {

QString runOpenssl(const QStringList &arguments, QByteArray *output = nullptr)
{
    QProcess process;
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("openssl %1 failed: %2")
            .arg(arguments.join(QLatin1Char(' ')), QString::fromLocal8Bit(process.readAllStandardError()));
    if (output)
        *output = process.readAllStandardOutput();
    return {};
}

bool writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

} // namespace

QString findProgram(const QString &name)
{
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"), QStringLiteral("/usr/local/sbin")});
    return found;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QString TestPki::create(const QString &directory)
{
    dir = directory;
    auto p = [&](const char *name) { return QDir(dir).filePath(QLatin1String(name)); };
    caCert = p("ca.pem");
    serverCert = p("server.pem");
    serverKey = p("server.key");
    wrongHostCert = p("wrong.pem");
    wrongHostKey = p("wrong.key");
    untrustedCert = p("untrusted.pem");
    untrustedKey = p("untrusted.key");
    const QStringList ecKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes")};
    QString error = runOpenssl(
        QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey +
        QStringList{QStringLiteral("-keyout"), p("ca.key"), QStringLiteral("-out"), caCert, QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=diagcollect test CA"),
                    QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                    QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
    if (!error.isEmpty())
        return error;
    auto leaf = [&](const char *name, const QString &cert, const QString &key, const QString &san) -> QString {
        const QString csr = p(name) + QStringLiteral(".csr");
        const QString ext = p(name) + QStringLiteral(".ext");
        if (!writeText(ext, "subjectAltName=" + san.toLatin1() +
                                "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"))
            return QStringLiteral("cannot write %1").arg(ext);
        QString e = runOpenssl(QStringList{QStringLiteral("req")} + ecKey +
                               QStringList{QStringLiteral("-keyout"), key, QStringLiteral("-out"), csr,
                                           QStringLiteral("-subj"), QStringLiteral("/CN=%1").arg(QLatin1String(name))});
        if (!e.isEmpty())
            return e;
        return runOpenssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                           QStringLiteral("-CA"), caCert, QStringLiteral("-CAkey"), p("ca.key"),
                           QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), cert, QStringLiteral("-days"),
                           QStringLiteral("2"), QStringLiteral("-extfile"), ext});
    };
    if (!(error = leaf("server", serverCert, serverKey, QStringLiteral("IP:127.0.0.1,DNS:localhost"))).isEmpty())
        return error;
    if (!(error = leaf("wrong", wrongHostCert, wrongHostKey, QStringLiteral("DNS:wrong.example"))).isEmpty())
        return error;
    error = runOpenssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ecKey +
                       QStringList{QStringLiteral("-keyout"), untrustedKey, QStringLiteral("-out"), untrustedCert,
                                   QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                                   QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                                   QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")});
    if (!error.isEmpty())
        return error;
    // The pin as support would compute it: openssl's SubjectPublicKeyInfo, hashed.
    QByteArray pem;
    error = runOpenssl({QStringLiteral("x509"), QStringLiteral("-in"), serverCert, QStringLiteral("-noout"),
                        QStringLiteral("-pubkey")},
                       &pem);
    if (!error.isEmpty())
        return error;
    QByteArray base64;
    for (const QByteArray &line : pem.split('\n'))
        if (!line.startsWith("-----"))
            base64 += line.trimmed();
    serverPinBase64 = QCryptographicHash::hash(QByteArray::fromBase64(base64), QCryptographicHash::Sha256).toBase64();
    return {};
}

WebServer::WebServer(Kind kind, const TestPki &pki)
    : m_kind(kind)
    , m_pki(pki)
{
}

WebServer::~WebServer() { stop(); }

QString WebServer::baseUrl() const { return QStringLiteral("https://127.0.0.1:%1").arg(m_port); }

QString WebServer::start()
{
    const QString dir = m_dir.path();
    QDir(dir).mkpath(QStringLiteral("www/up"));
    QDir(dir).mkpath(QStringLiteral("tmp"));
    m_port = freePort();
    m_errorLog = dir + QStringLiteral("/error.log");
    QString program;
    QStringList arguments;
    QByteArray config;
    if (m_kind == Kind::Nginx) {
        program = findProgram(QStringLiteral("nginx"));
        const bool root = ::geteuid() == 0;
        config = QStringLiteral("daemon off;\nmaster_process off;\n%1pid %2/nginx.pid;\nerror_log %3 info;\n"
                                "events { worker_connections 64; }\n"
                                "http {\n  access_log off;\n"
                                "  client_body_temp_path %2/tmp/body;\n  proxy_temp_path %2/tmp/proxy;\n"
                                "  fastcgi_temp_path %2/tmp/fastcgi;\n  uwsgi_temp_path %2/tmp/uwsgi;\n"
                                "  scgi_temp_path %2/tmp/scgi;\n"
                                "  server {\n    listen 127.0.0.1:%4 ssl;\n"
                                "    ssl_certificate %5;\n    ssl_certificate_key %6;\n"
                                "    ssl_protocols TLSv1.2 TLSv1.3;\n"
                                "    root %2/www;\n    client_max_body_size 0;\n"
                                "    dav_methods PUT;\n    create_full_put_path on;\n  }\n}\n")
                     .arg(root ? QStringLiteral("user root;\n") : QString(), dir, m_errorLog)
                     .arg(m_port)
                     .arg(m_pki.serverCert, m_pki.serverKey)
                     .toUtf8();
        writeText(dir + QStringLiteral("/nginx.conf"), config);
        arguments = {QStringLiteral("-p"), dir,
                     QStringLiteral("-e"), m_errorLog,
                     QStringLiteral("-c"), dir + QStringLiteral("/nginx.conf")};
    } else {
        program = findProgram(QStringLiteral("lighttpd"));
        QFile bundle(dir + QStringLiteral("/server-bundle.pem"));
        QFile cert(m_pki.serverCert), key(m_pki.serverKey);
        if (!bundle.open(QIODevice::WriteOnly) || !cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot write the lighttpd certificate bundle");
        bundle.write(cert.readAll() + key.readAll());
        bundle.close();
        config = QStringLiteral("server.document-root = \"%1/www\"\nserver.port = %2\nserver.bind = \"127.0.0.1\"\n"
                                "server.modules = (\"mod_webdav\", \"mod_openssl\")\n"
                                "server.errorlog = \"%3\"\nserver.upload-dirs = (\"%1/tmp\")\n"
                                "server.max-request-size = 0\n"
                                "ssl.engine = \"enable\"\nssl.pemfile = \"%1/server-bundle.pem\"\n"
                                "webdav.activate = \"enable\"\n"
                                // Lighttpd accepts PUT with Content-Range only with this option.
                                "webdav.opts = (\"deprecated-unsafe-partial-put\" => \"enable\")\n")
                     .arg(dir)
                     .arg(m_port)
                     .arg(m_errorLog)
                     .toUtf8();
        writeText(dir + QStringLiteral("/lighttpd.conf"), config);
        arguments = {QStringLiteral("-D"), QStringLiteral("-f"), dir + QStringLiteral("/lighttpd.conf")};
    }
    if (program.isEmpty())
        return QStringLiteral("%1 is not installed")
            .arg(m_kind == Kind::Nginx ? QStringLiteral("nginx") : QStringLiteral("lighttpd"));
    m_process.setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_LINUX
    // If the test crashes, the server goes with it.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(10000))
        return QStringLiteral("cannot start %1: %2").arg(program, m_process.errorString());
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 15000) {
        if (m_process.state() != QProcess::Running) {
            QFile log(m_errorLog);
            log.open(QIODevice::ReadOnly);
            return QStringLiteral("%1 exited: %2 %3")
                .arg(program, QString::fromLocal8Bit(m_process.readAll()), QString::fromLocal8Bit(log.readAll()));
        }
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (socket.waitForConnected(200))
            return {};
        QThread::msleep(50);
    }
    return QStringLiteral("%1 did not listen on port %2").arg(program).arg(m_port);
}

void WebServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

FakeHttpsServer::FakeHttpsServer(const QString &certFile, const QString &keyFile, Handler handler)
    : m_handler(std::move(handler))
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    QFile cert(certFile), key(keyFile);
    cert.open(QIODevice::ReadOnly);
    key.open(QIODevice::ReadOnly);
    config.setLocalCertificate(QSslCertificate(cert.readAll(), QSsl::Pem));
    config.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_server.setSslConfiguration(config);
    connect(&m_server, &QSslServer::errorOccurred, this,
            [this](QSslSocket *, QAbstractSocket::SocketError) { ++handshakeFailures; });
    connect(&m_server, &QSslServer::peerVerifyError, this, [](QSslSocket *, const QSslError &) {});
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (m_server.hasPendingConnections())
            serve(qobject_cast<QSslSocket *>(m_server.nextPendingConnection()));
    });
    m_server.listen(QHostAddress::LocalHost, 0);
}

FakeHttpsServer::~FakeHttpsServer() = default;

QString FakeHttpsServer::baseUrl() const { return QStringLiteral("https://127.0.0.1:%1").arg(port()); }

void FakeHttpsServer::serve(QSslSocket *socket)
{
    if (!socket)
        return;
    socket->setParent(this);
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QSslSocket::readyRead, this, [this, socket, buffer] {
        buffer->append(socket->readAll());
        for (;;) {
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Request request;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
            }
            const qint64 length = request.headers.value("content-length", "0").toLongLong();
            if (buffer->size() < end + 4 + length)
                return;
            request.body = buffer->mid(end + 4, length);
            buffer->remove(0, end + 4 + length);
            requests.append(request);
            const Response response = m_handler(request);
            QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " Status\r\n";
            bool hasLength = false;
            for (const auto &[name, value] : response.headers) {
                out += name + ": " + value + "\r\n";
                // A chunked reply frames its own body (the handler encodes it).
                hasLength = hasLength || name.toLower() == "content-length" || name.toLower() == "transfer-encoding";
            }
            if (!hasLength)
                out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
            out += "\r\n";
            if (request.method != "HEAD")
                out += response.body;
            socket->write(out);
        }
    });
}

FakeHttpsServer::Response FakeHttpsServer::storeOrReport(const Request &request, bool acceptRanges)
{
    Response response;
    if (request.method == "HEAD") {
        if (!files.contains(request.path)) {
            response.status = 404;
            return response;
        }
        const QByteArray &data = files[request.path];
        response.headers = {{"Content-Length", QByteArray::number(data.size())},
                            {"X-Checksum-Sha256", QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()}};
        return response;
    }
    if (request.method != "PUT") {
        response.status = 405;
        return response;
    }
    const QByteArray range = request.headers.value("content-range");
    if (range.isEmpty()) {
        files[request.path] = request.body;
    } else {
        if (!acceptRanges) {
            response.status = 501;
            return response;
        }
        const qint64 start = range.mid(6, range.indexOf('-') - 6).toLongLong();
        QByteArray &data = files[request.path];
        if (start > data.size()) {
            response.status = 416;
            return response;
        }
        data = data.left(start) + request.body + data.mid(start + request.body.size());
    }
    response.status = 201;
    return response;
}

TcpRelay::TcpRelay(quint16 upstreamPort, qint64 cutAfterBytes, bool connectProxy)
    : m_upstream(upstreamPort)
    , m_cutAfter(cutAfterBytes)
    , m_connectProxy(connectProxy)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (m_server.hasPendingConnections())
            relay(m_server.nextPendingConnection());
    });
    m_server.listen(QHostAddress::LocalHost, 0);
}

TcpRelay::~TcpRelay() = default;

void TcpRelay::relay(QTcpSocket *client)
{
    client->setParent(this);
    ++connections;
    if (cuts > 0 && refuseAfterCut > 0) {
        --refuseAfterCut;
        client->abort();
        client->deleteLater();
        return;
    }
    auto *upstream = new QTcpSocket(client);
    auto pending = std::make_shared<QByteArray>();
    auto established = std::make_shared<bool>(!m_connectProxy);
    const bool stalls = connections <= stallConnections;
    auto passed = std::make_shared<qint64>(0);
    auto stalled = std::make_shared<bool>(false);
    const qint64 slice = bytesPerSecond > 0 ? qMax<qint64>(1, bytesPerSecond / 20) : 0; // per 50 ms
    if (slice > 0)
        client->setReadBufferSize(slice); // the rest waits in the kernel: the sender is flow-controlled
    auto forward = [this, client, upstream, stalls, passed, stalled, slice] {
        if (*stalled) {
            client->readAll(); // swallowed: nothing passes any more
            return;
        }
        const QByteArray data = slice > 0 ? client->read(slice) : client->readAll();
        if (data.isEmpty())
            return;
        if (stalls && *passed + data.size() >= stallAfter) {
            *stalled = true;
            return;
        }
        *passed += data.size();
        if (m_cutAfter >= 0 && m_forwarded + data.size() >= m_cutAfter) {
            // The network drops: both ends see a reset, once.
            m_cutAfter = -1;
            ++cuts;
            client->abort();
            upstream->abort();
            return;
        }
        m_forwarded += data.size();
        upstream->write(data);
    };
    if (slice > 0) {
        auto *pace = new QTimer(client);
        connect(pace, &QTimer::timeout, client, [upstream, forward] {
            if (upstream->state() == QAbstractSocket::ConnectedState)
                forward();
        });
        pace->start(50);
    }
    connect(client, &QTcpSocket::readyRead, this, [this, client, upstream, pending, established, forward, slice] {
        if (*established) {
            if (upstream->state() == QAbstractSocket::ConnectedState && slice == 0)
                forward();
            return;
        }
        // HTTP CONNECT proxy: read the request head, then become a pipe.
        pending->append(client->readAll());
        const qsizetype end = pending->indexOf("\r\n\r\n");
        if (end < 0)
            return;
        if (!requiredProxyAuthorization.isEmpty()) {
            bool authorized = false;
            for (const QByteArray &line : pending->left(end).split('\n')) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().toLower() == "proxy-authorization")
                    authorized = line.mid(colon + 1).trimmed() == requiredProxyAuthorization;
            }
            if (!authorized) {
                ++proxyChallenges;
                pending->clear();
                client->write("HTTP/1.1 407 Proxy Authentication Required\r\n"
                              "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
                return; // the client may ask again on this connection or a new one
            }
        }
        const QList<QByteArray> first = pending->left(pending->indexOf("\r\n")).split(' ');
        connectTargets.append(QString::fromLatin1(first.value(1)));
        const QByteArray target = first.value(1);
        const quint16 port = quint16(target.mid(target.lastIndexOf(':') + 1).toUInt());
        *established = true;
        upstream->connectToHost(QHostAddress::LocalHost, port);
        connect(upstream, &QTcpSocket::connected, client,
                [client] { client->write("HTTP/1.1 200 Connection established\r\n\r\n"); });
    });
    connect(upstream, &QTcpSocket::connected, client, [client, forward] {
        if (client->bytesAvailable() > 0)
            forward();
    });
    connect(upstream, &QTcpSocket::readyRead, client, [client, upstream, stalled] {
        const QByteArray data = upstream->readAll();
        if (!*stalled)
            client->write(data);
    });
    connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
    connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
        upstream->disconnectFromHost();
        client->deleteLater();
    });
    if (!m_connectProxy)
        upstream->connectToHost(QHostAddress::LocalHost, m_upstream);
}

} // namespace dc::test
