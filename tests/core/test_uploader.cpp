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
        return o;
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
        QCOMPARE(cli.exitCode(), 1);
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
