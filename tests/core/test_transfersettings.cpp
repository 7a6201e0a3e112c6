// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The profile's "upload", "seal" and "retention_days" keys (docs/UPLOAD.md).
#include "core/profile/profile.h"
#include "core/seal/sealing.h"

#include <QTest>

using namespace dc::core;

namespace {

QByteArray profileWith(const QByteArray &extra)
{
    return "{\"format_version\": 1, \"name\": \"t\", " + extra +
           ", \"items\": [{\"id\": \"a\", \"kind\": \"files\", \"category\": \"os-config\", \"purpose\": \"p\", "
           "\"paths\": [\"/etc/hosts\"]}]}";
}

} // namespace

class TestTransferSettings : public QObject
{
    Q_OBJECT

private slots:
    void defaultsWithoutTheKeys()
    {
        auto profile = parseProfile(profileWith("\"description\": \"\""), QStringLiteral("t.json"));
        QVERIFY(profile);
        QVERIFY(profile->upload.url.isEmpty());
        QCOMPARE(profile->upload.chunkBytes, qint64(8) * 1024 * 1024);
        QCOMPARE(profile->upload.caseHeader, QStringLiteral("X-Case-Id"));
        QVERIFY(profile->seal.publicKey.isEmpty());
        QVERIFY(!profile->seal.required);
        QCOMPARE(profile->retentionDays, 14);
    }

    void validKeysParse()
    {
        const QByteArray key = QByteArray(32, '\x07').toBase64();
        const QByteArray pin = QByteArray(32, '\x01').toHex();
        auto profile = parseProfile(profileWith("\"upload\": {\"url\": \"https://h/cases/{case}/{file}\", \"ca_cert\": "
                                                "\"${HOME}/ca.pem\",\n              \"pin_sha256\": \"" +
                                                pin +
                                                "\", \"chunk_bytes\": 1048576, \"token_env\": \"SUPPORT_TOKEN\", "
                                                "\"case_header\": \"\"},\n              \"seal\": {\"public_key\": \"" +
                                                key + "\", \"required\": true}, \"retention_days\": 30"),
                                    QStringLiteral("t.json"));
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        QCOMPARE(profile->upload.url, QStringLiteral("https://h/cases/{case}/{file}"));
        QCOMPARE(profile->upload.chunkBytes, qint64(1048576));
        QCOMPARE(profile->upload.tokenEnv, QStringLiteral("SUPPORT_TOKEN"));
        QVERIFY(profile->upload.caseHeader.isEmpty());
        QCOMPARE(profile->seal.publicKey, QByteArray(32, '\x07'));
        QVERIFY(profile->seal.required);
        QCOMPARE(profile->retentionDays, 30);
    }

    void errorsNameThePath_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("expected");
        QTest::newRow("http url") << QByteArray("\"upload\": {\"url\": \"http://h/\"}")
                                  << QStringLiteral("upload.url: expected an https:// URL");
        QTest::newRow("missing url") << QByteArray("\"upload\": {\"token_env\": \"X\"}")
                                     << QStringLiteral("upload.url: missing");
        QTest::newRow("unknown key") << QByteArray("\"upload\": {\"url\": \"https://h/\", \"verify\": false}")
                                     << QStringLiteral("upload.verify: unknown key");
        QTest::newRow("bad pin") << QByteArray("\"upload\": {\"url\": \"https://h/\", \"pin_sha256\": \"abc\"}")
                                 << QStringLiteral("upload.pin_sha256: expected a SHA-256");
        QTest::newRow("small chunk") << QByteArray("\"upload\": {\"url\": \"https://h/\", \"chunk_bytes\": 10}")
                                     << QStringLiteral("upload.chunk_bytes: expected at least 65536");
        QTest::newRow("bad env name") << QByteArray("\"upload\": {\"url\": \"https://h/\", \"token_env\": \"A B\"}")
                                      << QStringLiteral("upload.token_env: expected an environment variable name");
        QTest::newRow("bad key") << QByteArray("\"seal\": {\"public_key\": \"nope\"}")
                                 << QStringLiteral("seal.public_key: expected a 32-byte X25519 public key");
        QTest::newRow("required not bool")
            << QByteArray("\"seal\": {\"public_key\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\", \"required\": "
                          "\"yes\"}")
            << QStringLiteral("seal.required: expected true or false");
        QTest::newRow("retention zero") << QByteArray("\"retention_days\": 0")
                                        << QStringLiteral("retention_days: expected a whole number of days");
    }

    void errorsNameThePath()
    {
        QFETCH(QByteArray, extra);
        QFETCH(QString, expected);
        auto profile = parseProfile(profileWith(extra), QStringLiteral("t.json"));
        QVERIFY(!profile);
        QCOMPARE(profile.error().code, ErrorCode::Profile);
        QVERIFY2(profile.error().message.contains(QStringLiteral("t.json: ") + expected),
                 qPrintable(profile.error().message));
    }
};

QTEST_GUILESS_MAIN(TestTransferSettings)
#include "test_transfersettings.moc"
