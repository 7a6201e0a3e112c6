// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/log/logging.h"
#include "core/upload/uploader.h"
#include "uploadtestservers.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dc::core;
using namespace dc::test;

namespace {

constexpr auto kToken = "s3cr3t-T0KEN-value-4711";

// Random content, so that a chunk written at the wrong offset cannot go unnoticed.
QString makeFile(const QString &path, qint64 size)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QRandomGenerator generator{quint32(size)};
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    for (qint64 written = 0; written < size;) {
        generator.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        const qint64 n = qMin<qint64>(block.size(), size - written);
        file.write(block.constData(), n);
        written += n;
    }
    return path;
}

QByteArray sha256Of(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
}

QString errorOf(const Result<UploadReport> &result)
{
    return result ? QStringLiteral("(succeeded)") : result.error().message;
}

} // namespace

class TestUploader : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    TestPki m_pki;
    std::unique_ptr<WebServer> m_nginx;
    std::unique_ptr<WebServer> m_lighttpd;

    UploadOptions options(const QString &url) const
    {
        UploadOptions o;
        o.url = url;
        o.caCertFile = m_pki.caCert;
        o.initialBackoffMs = 20;
        o.maxBackoffMs = 200;
        o.transferTimeoutMs = 20000;
        o.resumeStateDir = m_dir.filePath(QStringLiteral("resume"));
        return o;
    }

    // The built binary with its data, state and cache folders in the test's directory.
    struct CliRun
    {
        int exitCode = -1;
        QByteArray out, err;
    };
    CliRun runCli(const QStringList &arguments, const QMap<QString, QString> &extraEnv = {}, int timeoutMs = 90000)
    {
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("home/data")));
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_dir.filePath(QStringLiteral("home/state")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("home/cache")));
        for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
            env.insert(it.key(), it.value());
        cli.setProcessEnvironment(env);
        cli.setStandardInputFile(QProcess::nullDevice());
        cli.start(QStringLiteral(DC_BINARY), arguments);
        CliRun run;
        if (!cli.waitForStarted())
            return run;
        // Driven by the event loop: the servers of this test live on this thread.
        QElapsedTimer clock;
        clock.start();
        while (cli.state() != QProcess::NotRunning && clock.elapsed() < timeoutMs)
            QTest::qWait(20);
        if (cli.state() != QProcess::NotRunning) {
            cli.kill();
            cli.waitForFinished();
        }
        run.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
        run.out = cli.readAllStandardOutput();
        run.err = cli.readAllStandardError();
        return run;
    }

private slots:
    void initTestCase()
    {
        for (const char *name : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
                                 "ALL_PROXY", "all_proxy"})
            qunsetenv(name);
        for (const char *program : {"openssl", "nginx", "lighttpd"})
            QVERIFY2(!findProgram(QLatin1String(program)).isEmpty(),
                     qPrintable(QStringLiteral("%1 is missing: run installer/dev.sh (Debian packages nginx-light, "
                                               "lighttpd, lighttpd-mod-webdav, openssl)")
                                    .arg(QLatin1String(program))));
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).mkpath(QStringLiteral("pki"));
        const QString error = m_pki.create(m_dir.filePath(QStringLiteral("pki")));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // Log to a file we read back: the token must never reach it.
        dc::core::log::LogOptions logOptions;
        logOptions.directory = m_dir.filePath(QStringLiteral("log"));
        logOptions.fileLevel = spdlog::level::debug;
        dc::core::log::setup(logOptions);

        m_nginx = std::make_unique<WebServer>(WebServer::Kind::Nginx, m_pki);
        QString started = m_nginx->start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        m_lighttpd = std::make_unique<WebServer>(WebServer::Kind::Lighttpd, m_pki);
        started = m_lighttpd->start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
    }

    void cleanupTestCase()
    {
        m_nginx.reset();
        m_lighttpd.reset();
        dc::core::log::flush();
        // The token was in the environment of several tests; it must be nowhere in the log.
        QFile log(dc::core::log::logFilePath());
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray text = log.readAll();
        QVERIFY(text.contains("upload"));
        QVERIFY(!text.contains(kToken));
    }

    void urls()
    {
        QCOMPARE(resolveUploadUrl(QStringLiteral("https://h/up"), {}, QStringLiteral("a b.zip"))->toEncoded(),
                 QByteArray("https://h/up/a%20b.zip"));
        QCOMPARE(resolveUploadUrl(QStringLiteral("https://h:8443/up/"), {}, QStringLiteral("a.zip"))->toString(),
                 QStringLiteral("https://h:8443/up/a.zip"));
        QCOMPARE(resolveUploadUrl(QStringLiteral("https://h/cases/{case}/{file}"), QStringLiteral("C-42"),
                                  QStringLiteral("a.zip"))
                     ->toString(),
                 QStringLiteral("https://h/cases/C-42/a.zip"));
        QVERIFY(!resolveUploadUrl(QStringLiteral("https://h/cases/{case}/"), {}, QStringLiteral("a.zip")));
        QVERIFY(!resolveUploadUrl(QStringLiteral("https://user:pw@h/"), {}, QStringLiteral("a.zip")));
        QVERIFY(!resolveUploadUrl(QStringLiteral("ftp://h/"), {}, QStringLiteral("a.zip")));
        QVERIFY(!resolveUploadUrl(QStringLiteral("https://h/"), QStringLiteral("../x"), QStringLiteral("a.zip")));
        QCOMPARE(displayUrl(QUrl(QStringLiteral("https://u:p@h/x?sig=abc"))), QStringLiteral("https://h/x"));
    }

    void plainHttpIsRefused()
    {
        const QString file = makeFile(m_dir.filePath(QStringLiteral("plain.bin")), 1000);
        auto result = uploadFile(file, options(QStringLiteral("http://127.0.0.1:%1/up").arg(m_nginx->port())));
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Usage);
        QVERIFY2(result.error().message.contains(QStringLiteral("plain http://")), qPrintable(errorOf(result)));
    }

    // nginx refuses Content-Range (501): detected on the second chunk, then one whole streamed PUT.
    void hundredMegabytesToNginxFallBackToWholePut()
    {
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-big.tar.zst")), 100LL * 1000 * 1000);
        UploadOptions o = options(m_nginx->baseUrl() + QStringLiteral("/up"));
        QList<QString> notes;
        qint64 lastProgress = 0;
        UploadCallbacks callbacks;
        callbacks.status = [&](const QString &note) { notes.append(note); };
        callbacks.progress = [&](qint64 sent, qint64) { lastProgress = sent; };
        auto result = uploadFile(file, o, callbacks);
        QVERIFY2(result, qPrintable(errorOf(result)));
        QVERIFY(result->rangeFallback);
        QVERIFY(!result->chunked);
        QVERIFY(result->sizeVerified);
        QCOMPARE(result->bytes, qint64(100) * 1000 * 1000);
        QCOMPARE(lastProgress, result->bytes);
        QVERIFY2(notes.join(QLatin1Char('\n')).contains(QStringLiteral("one PUT")),
                 qPrintable(notes.join(QLatin1Char('\n'))));
        QCOMPARE(sha256Of(m_nginx->root() + QStringLiteral("/up/diagcollect-big.tar.zst")), sha256Of(file));
        QFile::remove(m_nginx->root() + QStringLiteral("/up/diagcollect-big.tar.zst"));
    }

    // lighttpd applies Content-Range: chunks, a dropped connection mid-way, resume from the server's size.
    void resumesAfterConnectionCutOnLighttpd()
    {
        const qint64 size = 40LL * 1024 * 1024 + 12345;
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-resume.tar.zst")), size);
        TcpRelay relay(m_lighttpd->port(), 13 * 1024 * 1024); // drops once after ~13 MiB
        // ... and stays down for a few connection attempts, longer than Qt's own silent resend.
        relay.refuseAfterCut = 4;
        UploadOptions o = options(QStringLiteral("https://127.0.0.1:%1/up").arg(relay.port()));
        o.chunkBytes = 4 * 1024 * 1024;
        auto result = uploadFile(file, o);
        QVERIFY2(result, qPrintable(errorOf(result)));
        QCOMPARE(relay.cuts, 1);
        QVERIFY(result->chunked);
        QVERIFY(!result->rangeFallback);
        QVERIFY(result->resumes >= 1);
        QVERIFY(result->retries >= 1);
        QVERIFY(result->sizeVerified);
        // Resumed, not restarted: about 11 chunks + their HEADs, not twice that.
        QVERIFY2(result->requests < 40, qPrintable(QString::number(result->requests)));
        QVERIFY2(relay.forwarded() < size + 3 * o.chunkBytes, qPrintable(QString::number(relay.forwarded())));
        QCOMPARE(sha256Of(m_lighttpd->root() + QStringLiteral("/up/diagcollect-resume.tar.zst")), sha256Of(file));
    }

    void chunkedUploadReplacesAnOlderFile()
    {
        // An older, longer file with the same name must not leave bytes behind.
        makeFile(m_lighttpd->root() + QStringLiteral("/up/diagcollect-again.zip"), 9 * 1024 * 1024);
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-again.zip")), 5 * 1024 * 1024 + 7);
        UploadOptions o = options(m_lighttpd->baseUrl() + QStringLiteral("/up"));
        o.chunkBytes = 1024 * 1024;
        auto result = uploadFile(file, o);
        QVERIFY2(result, qPrintable(errorOf(result)));
        QVERIFY(result->chunked);
        QCOMPARE(sha256Of(m_lighttpd->root() + QStringLiteral("/up/diagcollect-again.zip")), sha256Of(file));
    }

    void retriesAfter503UntilSuccess()
    {
        int failuresLeft = 2;
        FakeHttpsServer *serverPtr = nullptr;
        FakeHttpsServer server(m_pki.serverCert, m_pki.serverKey, [&](const FakeHttpsServer::Request &request) {
            if (request.method == "PUT" && failuresLeft > 0) {
                --failuresLeft;
                return FakeHttpsServer::Response{503, {{"Retry-After", "1"}}, "busy, try later"};
            }
            return serverPtr->storeOrReport(request, true);
        });
        serverPtr = &server;
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-503.zip")), 300000);
        UploadOptions o = options(server.baseUrl() + QStringLiteral("/cases/{case}/{file}"));
        o.caseId = QStringLiteral("CASE-7");
        QElapsedTimer clock;
        clock.start();
        auto result = uploadFile(file, o);
        QVERIFY2(result, qPrintable(errorOf(result)));
        QCOMPARE(result->retries, 2);
        QVERIFY2(clock.elapsed() >= 1900, "Retry-After: 1 was not honoured");
        QVERIFY(result->sha256Verified); // the fake server reports X-Checksum-Sha256
        const QByteArray path = "/cases/CASE-7/diagcollect-503.zip";
        QVERIFY(server.files.contains(path));
        QCOMPARE(QCryptographicHash::hash(server.files[path], QCryptographicHash::Sha256).toHex(), sha256Of(file));
        QCOMPARE(server.requests.last().headers.value("x-case-id"), QByteArray("CASE-7"));
    }

    void givesUpAfterBoundedRetries()
    {
        FakeHttpsServer server(m_pki.serverCert, m_pki.serverKey, [](const FakeHttpsServer::Request &request) {
            if (request.method == "HEAD")
                return FakeHttpsServer::Response{404, {}, {}};
            return FakeHttpsServer::Response{500, {}, "internal trouble"};
        });
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-500.zip")), 1000);
        UploadOptions o = options(server.baseUrl() + QStringLiteral("/up"));
        o.maxAttempts = 3;
        auto result = uploadFile(file, o);
        QVERIFY(!result);
        QCOMPARE(server.requests.size(), 1 + 3); // the HEAD probe, then three PUTs
        const QString message = result.error().message;
        QVERIFY2(message.contains(QStringLiteral("500")) && message.contains(QStringLiteral("internal trouble")),
                 qPrintable(message));
        QVERIFY2(message.contains(QFileInfo(file).absoluteFilePath()), qPrintable(message)); // says where it stays
    }

    void unauthorizedStopsAtOnceAndHidesTheToken()
    {
        FakeHttpsServer server(m_pki.serverCert, m_pki.serverKey, [](const FakeHttpsServer::Request &request) {
            // A careless server that echoes the credentials it got.
            return FakeHttpsServer::Response{
                401, {{"Content-Type", "text/plain"}}, "bad credentials: " + request.headers.value("authorization")};
        });
        qputenv("DC_TEST_UPLOAD_TOKEN", kToken);
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-401.zip")), 50000);
        UploadOptions o = options(server.baseUrl() + QStringLiteral("/up"));
        o.tokenEnv = QStringLiteral("DC_TEST_UPLOAD_TOKEN");
        auto result = uploadFile(file, o);
        QVERIFY(!result);
        QCOMPARE(server.requests.size(), 1); // no retry, and no body was sent
        QCOMPARE(server.requests.first().headers.value("authorization"), QByteArray("Bearer ") + kToken);
        QVERIFY2(result.error().message.contains(QStringLiteral("401")), qPrintable(errorOf(result)));
        QVERIFY2(!result.error().message.contains(QLatin1String(kToken)), qPrintable(errorOf(result)));

        // A server that echoes the header in its error page: the message shows "[token]" instead.
        FakeHttpsServer echo(m_pki.serverCert, m_pki.serverKey, [](const FakeHttpsServer::Request &request) {
            if (request.method == "HEAD")
                return FakeHttpsServer::Response{404, {}, {}};
            return FakeHttpsServer::Response{
                403, {{"Content-Type", "text/plain"}}, "forbidden for " + request.headers.value("authorization")};
        });
        o.url = echo.baseUrl() + QStringLiteral("/up");
        result = uploadFile(file, o);
        QVERIFY(!result);
        QCOMPARE(echo.requests.size(), 2); // HEAD, one PUT, no retry
        QVERIFY2(result.error().message.contains(QStringLiteral("forbidden for Bearer [token]")),
                 qPrintable(errorOf(result)));
        QVERIFY(result.error().message.contains(QStringLiteral("still saved at")));

        // The command line: neither stdout nor stderr (with --verbose logging) shows the token.
        QProcess cli;
        cli.start(QStringLiteral(DC_BINARY),
                  {QStringLiteral("upload"), file, QStringLiteral("--url"), server.baseUrl() + QStringLiteral("/up"),
                   QStringLiteral("--ca-cert"), m_pki.caCert, QStringLiteral("--token-env"),
                   QStringLiteral("DC_TEST_UPLOAD_TOKEN"), QStringLiteral("--verbose"), QStringLiteral("--json")});
        QVERIFY(cli.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(cli.state() == QProcess::NotRunning, 30000);
        const QByteArray output = cli.readAllStandardOutput() + cli.readAllStandardError();
        QVERIFY2(cli.exitStatus() == QProcess::NormalExit, output.constData());
        QCOMPARE(cli.exitCode(), 4); // not sent, the archive stays
        QVERIFY2(output.contains("401"), output.constData());
        QVERIFY2(!output.contains(kToken), output.constData());
        qunsetenv("DC_TEST_UPLOAD_TOKEN");
    }

    void missingTokenVariableIsAUsageError()
    {
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-notoken.zip")), 10);
        UploadOptions o = options(m_nginx->baseUrl());
        o.tokenEnv = QStringLiteral("DC_TEST_UNSET_VARIABLE");
        auto result = uploadFile(file, o);
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Usage);
    }

    void untrustedCertificateIsRefused()
    {
        FakeHttpsServer server(m_pki.untrustedCert, m_pki.untrustedKey, [](const FakeHttpsServer::Request &) {
            return FakeHttpsServer::Response{201, {}, {}};
        });
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-untrusted.zip")), 1000);
        auto result = uploadFile(file, options(server.baseUrl() + QStringLiteral("/up")));
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(QStringLiteral("certificate")), qPrintable(errorOf(result)));
        QVERIFY(server.requests.isEmpty());
    }

    void wrongHostNameIsRefused()
    {
        FakeHttpsServer server(m_pki.wrongHostCert, m_pki.wrongHostKey, [](const FakeHttpsServer::Request &) {
            return FakeHttpsServer::Response{201, {}, {}};
        });
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-wronghost.zip")), 1000);
        auto result = uploadFile(file, options(server.baseUrl() + QStringLiteral("/up")));
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(QStringLiteral("host name"), Qt::CaseInsensitive),
                 qPrintable(errorOf(result)));
        QVERIFY(server.requests.isEmpty());
    }

    void publicKeyPin()
    {
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-pin.zip")), 20000);
        UploadOptions o = options(m_nginx->baseUrl() + QStringLiteral("/pinned/{case}/{file}"));
        o.caseId = QStringLiteral("99");
        o.pinSha256 = QString::fromLatin1(m_pki.serverPinBase64);
        auto result = uploadFile(file, o);
        QVERIFY2(result, qPrintable(errorOf(result)));
        QCOMPARE(sha256Of(m_nginx->root() + QStringLiteral("/pinned/99/diagcollect-pin.zip")), sha256Of(file));

        o.url = m_nginx->baseUrl() + QStringLiteral("/pinned-wrong");
        o.pinSha256 = QString::fromLatin1(QByteArray(32, 'x').toHex());
        result = uploadFile(file, o);
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(QStringLiteral("pin")), qPrintable(errorOf(result)));
        QVERIFY(!QFileInfo::exists(m_nginx->root() + QStringLiteral("/pinned-wrong")));
    }

    void httpsProxyFromEnvironment()
    {
        TcpRelay proxy(0, -1, true);
        qputenv("HTTPS_PROXY", QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()).toLatin1());
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-proxy.zip")), 30000);
        auto result = uploadFile(file, options(m_nginx->baseUrl() + QStringLiteral("/viaproxy")));
        qunsetenv("HTTPS_PROXY");
        QVERIFY2(result, qPrintable(errorOf(result)));
        QVERIFY(!proxy.connectTargets.isEmpty());
        QCOMPARE(proxy.connectTargets.first(), QStringLiteral("127.0.0.1:%1").arg(m_nginx->port()));
        QCOMPARE(sha256Of(m_nginx->root() + QStringLiteral("/viaproxy/diagcollect-proxy.zip")), sha256Of(file));

        // A proxy that wants a password: the credentials of the proxy URL answer its challenge,
        // and without them the upload fails saying why.
        {
            TcpRelay guarded(0, -1, true);
            guarded.requiredProxyAuthorization = "Basic " + QByteArray("proxyuser:s3cret!").toBase64();
            qputenv("HTTPS_PROXY",
                    QStringLiteral("http://proxyuser:s3cret%21@127.0.0.1:%1").arg(guarded.port()).toLatin1());
            auto viaGuarded = uploadFile(file, options(m_nginx->baseUrl() + QStringLiteral("/viaproxyauth")));
            QVERIFY2(viaGuarded, qPrintable(errorOf(viaGuarded)));
            const qsizetype authorized = guarded.connectTargets.size();
            QVERIFY(authorized >= 1);
            QCOMPARE(sha256Of(m_nginx->root() + QStringLiteral("/viaproxyauth/diagcollect-proxy.zip")), sha256Of(file));

            qputenv("HTTPS_PROXY", QStringLiteral("http://127.0.0.1:%1").arg(guarded.port()).toLatin1());
            auto refused = uploadFile(file, options(m_nginx->baseUrl() + QStringLiteral("/viaproxyauth2")));
            qunsetenv("HTTPS_PROXY");
            QVERIFY(!refused);
            QVERIFY(guarded.proxyChallenges >= 1);
            QCOMPARE(guarded.connectTargets.size(), authorized); // nothing passed without the password
            QVERIFY2(refused.error().message.contains(QStringLiteral("proxy"), Qt::CaseInsensitive),
                     qPrintable(errorOf(refused)));
        }

        // NO_PROXY exempts the host.
        TcpRelay unused(0, -1, true);
        qputenv("HTTPS_PROXY", QStringLiteral("http://127.0.0.1:%1").arg(unused.port()).toLatin1());
        qputenv("NO_PROXY", "localhost,127.0.0.1");
        result = uploadFile(file, options(m_nginx->baseUrl() + QStringLiteral("/direct")));
        qunsetenv("HTTPS_PROXY");
        qunsetenv("NO_PROXY");
        QVERIFY2(result, qPrintable(errorOf(result)));
        QVERIFY(unused.connectTargets.isEmpty());
    }

    void asynchronousUploaderAndCancel()
    {
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-async.zip")), 64LL * 1024 * 1024);
        UploadOptions o = options(m_lighttpd->baseUrl() + QStringLiteral("/up"));
        o.chunkBytes = 1024 * 1024;
        Uploader uploader(file, o);
        QSignalSpy finished(&uploader, &Uploader::finished);
        QSignalSpy progress(&uploader, &Uploader::progress);
        connect(&uploader, &Uploader::progress, &uploader, [&](qint64 sent, qint64) {
            if (sent > 4 * 1024 * 1024)
                uploader.cancel();
        });
        uploader.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.size(), 1);
        const auto outcome = finished.first().first().value<UploadOutcome>();
        QVERIFY(!outcome.result);
        QVERIFY2(outcome.result.error().code == ErrorCode::Cancelled, qPrintable(outcome.result.error().message));
        QVERIFY(outcome.result.error().message.contains(QFileInfo(file).absoluteFilePath()));
        QVERIFY(!progress.isEmpty());
    }

    // Item 10 of issue 18: a dead middlebox holds the connection open and passes
    // nothing. Each retry must go out on a new connection (the healthy server
    // behind it gets the file), and the stall is noticed by bytes not moving.
    void stalledConnectionIsReplacedOnRetry()
    {
        FakeHttpsServer *serverPtr = nullptr;
        FakeHttpsServer server(m_pki.serverCert, m_pki.serverKey, [&](const FakeHttpsServer::Request &request) {
            return serverPtr->storeOrReport(request, true);
        });
        serverPtr = &server;
        TcpRelay relay(server.port());
        relay.stallConnections = 2; // the first two connections go dead at once
        relay.stallAfter = 0;
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-stall.zip")), 200000);
        UploadOptions o = options(QStringLiteral("https://127.0.0.1:%1/up").arg(relay.port()));
        o.transferTimeoutMs = 1500;
        QStringList notes;
        UploadCallbacks callbacks;
        callbacks.status = [&](const QString &note) { notes.append(note); };
        QElapsedTimer clock;
        clock.start();
        auto result = uploadFile(file, o, callbacks);
        QVERIFY2(result, qPrintable(errorOf(result)));
        QCOMPARE(result->retries, 2);
        QCOMPARE(relay.connections, 3);
        QVERIFY(result->connections >= 3);
        QVERIFY2(clock.elapsed() >= 2 * 1500, "the stall was not waited for");
        QVERIFY2(notes.join(QLatin1Char('\n')).contains(QStringLiteral("no data moved for 1.5 s")),
                 qPrintable(notes.join(QLatin1Char('\n'))));
        QVERIFY2(notes.join(QLatin1Char('\n')).contains(QStringLiteral("new connection")),
                 qPrintable(notes.join(QLatin1Char('\n'))));
        QCOMPARE(QCryptographicHash::hash(server.files.value("/up/diagcollect-stall.zip"), QCryptographicHash::Sha256)
                     .toHex(),
                 sha256Of(file));
    }

    // A connection that goes dead in the middle of the body: the attempt fails by
    // the stall timer, the next connection delivers it; giving up counts every retry.
    void stallInTheMiddleOfTheBodyAndGivingUp()
    {
        FakeHttpsServer *serverPtr = nullptr;
        FakeHttpsServer server(m_pki.serverCert, m_pki.serverKey, [&](const FakeHttpsServer::Request &request) {
            return serverPtr->storeOrReport(request, true);
        });
        serverPtr = &server;
        TcpRelay relay(server.port());
        relay.stallConnections = 1000; // every connection dies after 100 kB
        relay.stallAfter = 100000;
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-deadlink.zip")), 3000000);
        UploadOptions o = options(QStringLiteral("https://127.0.0.1:%1/up").arg(relay.port()));
        o.transferTimeoutMs = 1000;
        o.maxAttempts = 3;
        o.chunkBytes = 0;
        UploadReport attempt;
        auto result = uploadFile(file, o, {}, &attempt);
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(QStringLiteral("no data moved for 1 s")), qPrintable(errorOf(result)));
        QVERIFY2(result.error().message.contains(QStringLiteral("gave up after 3 attempts")),
                 qPrintable(errorOf(result)));
        // The HEAD and the first PUT share a healthy connection; each retry gets a new one.
        QCOMPARE(relay.connections, 3);
        QCOMPARE(attempt.connections, 3);
        QCOMPARE(attempt.retries, 2);
        QCOMPARE(attempt.requests, 4);
        QVERIFY(attempt.failure.contains(QStringLiteral("no data moved")));
    }

    // A slow link moves bytes all the time: far longer than the stall timeout in
    // total, never cut, and the progress follows what the server received.
    void slowLinkIsNotAStall()
    {
        const qint64 size = 1000 * 1000;
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-slow.zip")), size);
        TcpRelay relay(m_nginx->port());
        relay.bytesPerSecond = 200 * 1000; // about 4 s for what the relay's socket buffers do not absorb at once
        UploadOptions o = options(QStringLiteral("https://127.0.0.1:%1/slow").arg(relay.port()));
        o.transferTimeoutMs = 1000;
        o.chunkBytes = 0;
        QList<QPair<qint64, qint64>> progress; // (ms, bytes)
        QElapsedTimer clock;
        clock.start();
        UploadCallbacks callbacks;
        callbacks.progress = [&](qint64 sent, qint64) { progress.append({clock.elapsed(), sent}); };
        auto result = uploadFile(file, o, callbacks);
        QVERIFY2(result, qPrintable(errorOf(result)));
        QCOMPARE(result->retries, 0);
        QVERIFY2(clock.elapsed() > 2 * o.transferTimeoutMs, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(sha256Of(m_nginx->root() + QStringLiteral("/slow/diagcollect-slow.zip")), sha256Of(file));
        // Progress moved in many small steps while the link was slow, not in one jump at the end.
        int steps = 0;
        for (qsizetype i = 1; i < progress.size(); ++i)
            if (progress[i].second > progress[i - 1].second && progress[i].second < size)
                ++steps;
        QVERIFY2(steps >= 5, qPrintable(QString::number(steps)));
    }

    // A run that gave up leaves a record; the next upload of the same unchanged
    // file to the same URL continues where the server holds its bytes.
    void rerunResumesWhereTheServerHoldsBytes()
    {
        const qint64 size = 8LL * 1024 * 1024 + 777;
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-rerun.tar.zst")), size);
        TcpRelay relay(m_lighttpd->port(), 5 * 1024 * 1024); // drops after ~5 MiB ...
        relay.refuseAfterCut = 1000;                         // ... and stays down
        UploadOptions o =
            options(QStringLiteral("https://127.0.0.1:%1/up").arg(relay.port())); // lighttpd: an existing folder
        o.chunkBytes = 1024 * 1024;
        o.maxAttempts = 2;
        o.resumeStateDir = m_dir.filePath(QStringLiteral("resume-rerun")); // only this upload's record
        auto first = uploadFile(file, o);
        QVERIFY(!first);
        QVERIFY(first.error().message.contains(QStringLiteral("still saved at")));
        QVERIFY2(!QDir(o.resumeStateDir).entryList(QDir::Files).isEmpty(), qPrintable(errorOf(first)));
        const qint64 held = QFileInfo(m_lighttpd->root() + QStringLiteral("/up/diagcollect-rerun.tar.zst")).size();
        QVERIFY2(held >= 3 * 1024 * 1024, qPrintable(QString::number(held)));

        relay.refuseAfterCut = 0; // the network is back
        const qint64 before = relay.forwarded();
        QStringList notes;
        UploadCallbacks callbacks;
        callbacks.status = [&](const QString &note) { notes.append(note); };
        auto second = uploadFile(file, o, callbacks);
        QVERIFY2(second, qPrintable(errorOf(second)));
        QCOMPARE(second->resumes, 1);
        QVERIFY2(
            notes.join(QLatin1Char('\n')).contains(QStringLiteral("continuing an earlier upload at byte %1").arg(held)),
            qPrintable(notes.join(QLatin1Char('\n'))));
        QVERIFY2(relay.forwarded() - before < size - held + 512 * 1024,
                 qPrintable(QString::number(relay.forwarded() - before)));
        QCOMPARE(sha256Of(m_lighttpd->root() + QStringLiteral("/up/diagcollect-rerun.tar.zst")), sha256Of(file));
        QVERIFY(QDir(o.resumeStateDir).entryList(QDir::Files).isEmpty()); // done: the record is gone

        // A changed file is never continued: it starts over at byte 0.
        QVERIFY(QFile::remove(file));
        makeFile(file, size + 1);
        const qint64 start = relay.forwarded();
        auto third = uploadFile(file, o);
        QVERIFY2(third, qPrintable(errorOf(third)));
        QCOMPARE(third->resumes, 0);
        QVERIFY(relay.forwarded() - start > size);
        QCOMPARE(sha256Of(m_lighttpd->root() + QStringLiteral("/up/diagcollect-rerun.tar.zst")), sha256Of(file));
    }

    void tokenScrubbing()
    {
        const QByteArray longToken = kToken;
        QCOMPARE(scrubToken(QStringLiteral("echo: Bearer %1, x%1y").arg(QLatin1String(kToken)), longToken),
                 QStringLiteral("echo: Bearer [token], x[token]y"));
        // A one-letter token: only where it stands alone, words stay readable.
        QCOMPARE(scrubToken(QStringLiteral("forbidden for Bearer a (auth=a); a token named a"), "a"),
                 QStringLiteral("forbidden for Bearer [token] (auth=[token]); [token] token named [token]"));
        QCOMPARE(scrubToken(QStringLiteral("bad credentials, retrying"), "e"),
                 QStringLiteral("bad credentials, retrying"));
        QCOMPARE(scrubToken(QStringLiteral("no token"), QByteArray()), QStringLiteral("no token"));
    }

    // The command line, not on a terminal: plain progress lines, each status
    // note once, retries counted, and a one-letter token hidden without
    // mangling the words of the message.
    void commandLineWithoutATerminal()
    {
        int busyLeft = 1;
        FakeHttpsServer *serverPtr = nullptr;
        FakeHttpsServer server(m_pki.serverCert, m_pki.serverKey, [&](const FakeHttpsServer::Request &request) {
            if (request.method == "PUT" && busyLeft > 0) {
                --busyLeft;
                return FakeHttpsServer::Response{503, {{"Retry-After", "0"}}, "busy"};
            }
            return serverPtr->storeOrReport(request, true);
        });
        serverPtr = &server;
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-pipe.tar.zst")), 5 * 1024 * 1024);
        CliRun run = runCli({QStringLiteral("upload"), file, QStringLiteral("--url"),
                             server.baseUrl() + QStringLiteral("/pipe"), QStringLiteral("--ca-cert"), m_pki.caCert,
                             QStringLiteral("--chunk-bytes"), QStringLiteral("524288"), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(json.value(QStringLiteral("retries")).toInt(), 1);
        QVERIFY(json.value(QStringLiteral("sent")).toBool());
        QVERIFY(json.value(QStringLiteral("connections")).toInt() >= 2);
        QVERIFY2(!run.err.contains("\r") && !run.err.contains("\033"), run.err.constData());
        const QList<QByteArray> lines = run.err.split('\n');
        int progressLines = 0, retryLines = 0;
        for (const QByteArray &line : lines) {
            if (line.startsWith("upload: ") && line.contains("% ("))
                ++progressLines;
            if (line.contains("retrying in"))
                ++retryLines;
        }
        QVERIFY2(progressLines >= 3 && progressLines <= 12, run.err.constData());
        QVERIFY2(run.err.contains("upload: 100% ("), run.err.constData());
        QCOMPARE(retryLines, 1); // once, not again through the log
        QCOMPARE(sha256Of(file), QCryptographicHash::hash(server.files.value("/pipe/diagcollect-pipe.tar.zst"),
                                                          QCryptographicHash::Sha256)
                                     .toHex());

        // A one-letter token echoed by a server: hidden, and "forbidden" still reads "forbidden".
        FakeHttpsServer echo(m_pki.serverCert, m_pki.serverKey, [](const FakeHttpsServer::Request &request) {
            if (request.method == "HEAD")
                return FakeHttpsServer::Response{404, {}, {}};
            return FakeHttpsServer::Response{
                403, {{"Content-Type", "text/plain"}}, "forbidden for " + request.headers.value("authorization")};
        });
        run = runCli({QStringLiteral("upload"), file, QStringLiteral("--url"), echo.baseUrl() + QStringLiteral("/up"),
                      QStringLiteral("--ca-cert"), m_pki.caCert, QStringLiteral("--token-env"),
                      QStringLiteral("DC_TEST_SHORT_TOKEN"), QStringLiteral("--json")},
                     {{QStringLiteral("DC_TEST_SHORT_TOKEN"), QStringLiteral("o")}});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains("forbidden for Bearer [token]"), run.err.constData());
        const QJsonObject failed = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(failed.value(QStringLiteral("sent")).toBool(true), false);
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("saved, not sent"));
        QCOMPARE(failed.value(QStringLiteral("archive")).toString(), QFileInfo(file).absoluteFilePath());
        QVERIFY2(
            failed.value(QStringLiteral("reason")).toString().contains(QStringLiteral("forbidden for Bearer [token]")),
            run.out.constData());
        QCOMPARE(failed.value(QStringLiteral("error")).toObject().value(QStringLiteral("exit_code")).toInt(), 4);
    }

    // collect --upload that cannot send: the archive is written and kept, the
    // JSON names it with its SHA-256 and says "saved, not sent", exit code 4.
    void collectUploadFailureKeepsTheArchive()
    {
        FakeHttpsServer server(m_pki.serverCert, m_pki.serverKey, [](const FakeHttpsServer::Request &request) {
            if (request.method == "HEAD")
                return FakeHttpsServer::Response{404, {}, {}};
            return FakeHttpsServer::Response{403, {{"Content-Type", "text/plain"}}, "uploads are closed"};
        });
        const QString product = m_dir.filePath(QStringLiteral("product"));
        QDir().mkpath(product);
        QFile log(product + QStringLiteral("/app.log"));
        QVERIFY(log.open(QIODevice::WriteOnly));
        log.write("2026-12-07 service started\n");
        log.close();
        const QString profile = m_dir.filePath(QStringLiteral("upload-profile.json"));
        QFile profileFile(profile);
        QVERIFY(profileFile.open(QIODevice::WriteOnly));
        profileFile.write(QStringLiteral(R"({"format_version": 1, "name": "up", "items": [
            {"id": "app-log", "kind": "files", "category": "service-logs", "purpose": "the log",
             "paths": ["%1/app.log"]}]})")
                              .arg(product)
                              .toUtf8());
        profileFile.close();
        const QString output = m_dir.filePath(QStringLiteral("collect-out"));
        CliRun run =
            runCli({QStringLiteral("collect"), QStringLiteral("--profile"), profile, QStringLiteral("--output"), output,
                    QStringLiteral("--upload"), server.baseUrl() + QStringLiteral("/cases"),
                    QStringLiteral("--ca-cert"), m_pki.caCert, QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 4, run.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(run.out).object();
        const QString archive = json.value(QStringLiteral("archive")).toString();
        QVERIFY2(QFileInfo(archive).isFile(), run.out.constData());
        QCOMPARE(json.value(QStringLiteral("sha256")).toString().toLatin1(), sha256Of(archive));
        const QJsonObject upload = json.value(QStringLiteral("upload")).toObject();
        QCOMPARE(upload.value(QStringLiteral("sent")).toBool(true), false);
        QCOMPARE(upload.value(QStringLiteral("status")).toString(), QStringLiteral("saved, not sent"));
        QCOMPARE(upload.value(QStringLiteral("archive")).toString(), archive);
        QCOMPARE(upload.value(QStringLiteral("exit_code")).toInt(), 4);
        QVERIFY2(upload.value(QStringLiteral("reason")).toString().contains(QStringLiteral("403")),
                 run.out.constData());
        QVERIFY2(run.err.contains("still saved at"), run.err.constData());
    }

    // The client's own HTTP/1.1 reading: a chunked error page with a chunk
    // extension and a trailer.
    void chunkedRepliesAreRead()
    {
        FakeHttpsServer server(m_pki.serverCert, m_pki.serverKey, [](const FakeHttpsServer::Request &request) {
            if (request.method == "HEAD")
                return FakeHttpsServer::Response{404, {}, {}};
            return FakeHttpsServer::Response{
                403,
                {{"Transfer-Encoding", "chunked"}, {"Content-Type", "text/plain"}},
                "4\r\nno w\r\n8;ext=1\r\nay out, \r\nA\r\nsorry-0123\r\n0\r\nX-Trailer: t\r\n\r\n"};
        });
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-chunkedreply.zip")), 70000);
        auto result = uploadFile(file, options(server.baseUrl() + QStringLiteral("/up")));
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(QStringLiteral("403 Status: no way out, sorry-0123")),
                 qPrintable(errorOf(result)));
        QCOMPARE(server.requests.size(), 2);
    }

    void commandLineUpload()
    {
        const QString file = makeFile(m_dir.filePath(QStringLiteral("diagcollect-cli.tar.zst")), 3 * 1024 * 1024);
        QProcess cli;
        cli.start(QStringLiteral(DC_BINARY),
                  {QStringLiteral("upload"), file, QStringLiteral("--url"),
                   m_lighttpd->baseUrl() + QStringLiteral("/up/{case}-{file}"), QStringLiteral("--case-id"),
                   QStringLiteral("12345"), QStringLiteral("--ca-cert"), m_pki.caCert, QStringLiteral("--chunk-bytes"),
                   QStringLiteral("1048576"), QStringLiteral("--json")});
        QVERIFY(cli.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(cli.state() == QProcess::NotRunning, 60000);
        const QByteArray err = cli.readAllStandardError();
        QVERIFY2(cli.exitStatus() == QProcess::NormalExit, err.constData());
        QCOMPARE(cli.exitCode(), 0);
        const QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QVERIFY2(json.value(QStringLiteral("size_verified")).toBool(), err.constData());
        QVERIFY(json.value(QStringLiteral("chunked")).toBool());
        QCOMPARE(sha256Of(m_lighttpd->root() + QStringLiteral("/up/12345-diagcollect-cli.tar.zst")), sha256Of(file));

        QProcess plain;
        plain.start(QStringLiteral(DC_BINARY),
                    {QStringLiteral("upload"), file, QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:1/up")});
        QVERIFY(plain.waitForFinished(30000));
        QCOMPARE(plain.exitCode(), 2);
        QVERIFY(plain.readAllStandardError().contains("http://"));
    }
};

QTEST_GUILESS_MAIN(TestUploader)
#include "test_uploader.moc"
