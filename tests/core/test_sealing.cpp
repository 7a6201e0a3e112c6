// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/seal/sealing.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <sys/resource.h>

using namespace dc::core;

namespace {

QByteArray randomBytes(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(1234);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(generator.bounded(256));
    return data;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// rw for the owner, nothing for group and others.
bool isPrivate(const QString &path)
{
    const QFile::Permissions permissions = QFileInfo(path).permissions();
    return (permissions & (QFile::ReadOwner | QFile::WriteOwner)) == (QFile::ReadOwner | QFile::WriteOwner) &&
           (permissions & 0x0077) == 0;
}

long peakRssKiB()
{
    rusage usage = {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

class TestSealing : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SealKeyPair m_keys;
    SealOptions m_small; // 4 KiB chunks, so small files have many chunks

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString sealData(const QByteArray &data, const QString &name)
    {
        writeFile(path(name), data);
        auto sealed = sealFile(path(name), path(name + QStringLiteral(".sealed")), m_keys.publicKey, m_small);
        return sealed ? sealed->path : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto keys = generateSealKeyPair();
        QVERIFY(keys);
        m_keys = *keys;
        m_small.chunkBytes = 4096;
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("empty") << 0;
        QTest::newRow("one byte") << 1;
        QTest::newRow("one chunk exactly") << 4096;
        QTest::newRow("chunk plus one") << 4097;
        QTest::newRow("many chunks") << 100000;
    }

    void roundTrip()
    {
        QFETCH(int, size);
        const QByteArray data = randomBytes(size);
        const QString name = QStringLiteral("rt-%1").arg(size);
        const QString sealed = sealData(data, name);
        QVERIFY(!sealed.isEmpty());
        QVERIFY(isPrivate(sealed));
        QVERIFY(size < 64 || !readFile(sealed).contains(data.left(64)));
        QCOMPARE(*sealedFileKeyId(sealed), sealKeyId(m_keys.publicKey));
        const QString out = path(name + QStringLiteral(".out"));
        auto opened = unsealFile(sealed, out, m_keys);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        QCOMPARE(readFile(out), data);
    }

    void wrongKeyFails()
    {
        const QString sealed = sealData(randomBytes(10000), QStringLiteral("wrong"));
        auto other = generateSealKeyPair();
        QVERIFY(other);
        auto opened = unsealFile(sealed, path(QStringLiteral("wrong.out")), *other);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Verification);
        QVERIFY(opened.error().message.contains(QStringLiteral("sealed for key")));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("wrong.out"))));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral(".wrong.out.partial"))));

        // Same key id but another secret (a forged id in the header): the sealed box refuses.
        SealKeyPair forged{m_keys.publicKey, other->secretKey};
        opened = unsealFile(sealed, path(QStringLiteral("wrong.out")), forged);
        QVERIFY(!opened);
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("wrong.out"))));
    }

    void flippedByteFails_data()
    {
        QTest::addColumn<int>("offset"); // negative: from the end
        QTest::newRow("magic") << 0;
        QTest::newRow("chunk size") << 12;
        QTest::newRow("sealed key") << 40;
        QTest::newRow("stream header") << 110;
        QTest::newRow("first chunk") << 200;
        QTest::newRow("middle chunk") << 128 + 4113 * 3 + 50;
        QTest::newRow("last byte") << -1;
    }

    void flippedByteFails()
    {
        QFETCH(int, offset);
        const QString sealed = sealData(randomBytes(30000), QStringLiteral("flip"));
        QByteArray bytes = readFile(sealed);
        const qsizetype at = offset < 0 ? bytes.size() + offset : offset;
        bytes[at] = char(bytes[at] ^ 0x01);
        const QString damaged = path(QStringLiteral("flip-damaged.sealed"));
        QFile::remove(damaged);
        QVERIFY(writeFile(damaged, bytes));
        const QString out = path(QStringLiteral("flip.out"));
        QFile::remove(out);
        auto opened = unsealFile(damaged, out, m_keys);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Verification);
        QVERIFY(!QFileInfo::exists(out));
        QFile::remove(sealed);
    }

    void truncatedOrExtendedFails_data()
    {
        QTest::addColumn<int>("keep"); // bytes kept, or -N: append N bytes
        QTest::newRow("header only") << 128;
        QTest::newRow("mid header") << 60;
        QTest::newRow("final chunk dropped") << 128 + 4113 * 7;
        QTest::newRow("mid chunk") << 128 + 4113 * 2 + 100;
        QTest::newRow("last byte missing") << -1000000;
        QTest::newRow("trailing garbage") << -17;
    }

    void truncatedOrExtendedFails()
    {
        QFETCH(int, keep);
        const QString sealed = sealData(randomBytes(30000), QStringLiteral("trunc"));
        QByteArray bytes = readFile(sealed);
        if (keep == -1000000)
            bytes.chop(1);
        else if (keep < 0)
            bytes.append(QByteArray(-keep, 'x'));
        else
            bytes.truncate(keep);
        const QString damaged = path(QStringLiteral("trunc-damaged.sealed"));
        QFile::remove(damaged);
        QVERIFY(writeFile(damaged, bytes));
        const QString out = path(QStringLiteral("trunc.out"));
        QFile::remove(out);
        auto opened = unsealFile(damaged, out, m_keys);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Verification);
        QVERIFY(!QFileInfo::exists(out));
        QFile::remove(sealed);
    }

    void sealArchiveReplacesThePlaintext()
    {
        const QString archive = path(QStringLiteral("diagcollect-a.tar.zst"));
        QVERIFY(writeFile(archive, randomBytes(5000)));
        auto sealed = sealArchive(archive, m_keys.publicKey);
        QVERIFY(sealed);
        QCOMPARE(sealed->path, archive + QStringLiteral(".sealed"));
        QVERIFY(!QFileInfo::exists(archive));
    }

    void sealArchiveFailsClosed()
    {
        const QString archive = path(QStringLiteral("diagcollect-b.tar.zst"));
        QVERIFY(writeFile(archive, randomBytes(5000)));
        // An existing output (or a full disk, a bad key ...) makes sealing fail: no plaintext may remain.
        QVERIFY(writeFile(archive + QStringLiteral(".sealed"), "in the way"));
        auto sealed = sealArchive(archive, m_keys.publicKey);
        QVERIFY(!sealed);
        QVERIFY(!QFileInfo::exists(archive));
        QCOMPARE(readFile(archive + QStringLiteral(".sealed")), QByteArray("in the way"));

        const QString second = path(QStringLiteral("diagcollect-c.tar.zst"));
        QVERIFY(writeFile(second, randomBytes(5000)));
        std::atomic_bool cancelled{true};
        SealOptions options;
        options.cancelled = &cancelled;
        QVERIFY(!sealArchive(second, m_keys.publicKey, options));
        QVERIFY(!QFileInfo::exists(second));
        QVERIFY(!QFileInfo::exists(second + QStringLiteral(".sealed")));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral(".diagcollect-c.tar.zst.sealed.partial"))));
    }

    // Issue 14, item 5: `seal FILE` never deletes FILE on a failure, and checks the key
    // and the output name before it touches anything.
    void sealingAUserFileNeverDeletesItOnFailure()
    {
        const QString archive = path(QStringLiteral("users-own.tar.zst"));
        const QByteArray data = randomBytes(5000);
        QVERIFY(writeFile(archive, data));
        // An invalid key (all zero: not a usable X25519 point) and a short one.
        auto badKey = sealUserFile(archive, QByteArray(32, '\0'), false);
        QVERIFY(!badKey);
        QCOMPARE(badKey.error().code, ErrorCode::Usage);
        QVERIFY(!sealUserFile(archive, QByteArray(31, 'x'), false));
        QCOMPARE(readFile(archive), data);
        QVERIFY(!QFileInfo::exists(archive + QStringLiteral(".sealed")));
        // The output exists (a file, or a planted symlink): nothing changes.
        QVERIFY(writeFile(archive + QStringLiteral(".sealed"), "in the way"));
        auto inTheWay = sealUserFile(archive, m_keys.publicKey, false);
        QVERIFY(!inTheWay);
        QVERIFY2(inTheWay.error().message.contains(QStringLiteral("is kept")), qPrintable(inTheWay.error().message));
        QCOMPARE(readFile(archive), data);
        QCOMPARE(readFile(archive + QStringLiteral(".sealed")), QByteArray("in the way"));
        QVERIFY(QFile::remove(archive + QStringLiteral(".sealed")));
        QVERIFY(QFile::link(path(QStringLiteral("elsewhere")), archive + QStringLiteral(".sealed")));
        QVERIFY(!sealUserFile(archive, m_keys.publicKey, false));
        QCOMPARE(readFile(archive), data);
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("elsewhere"))));
        QVERIFY(QFile::remove(archive + QStringLiteral(".sealed")));
        // Cancelled half way: the input stays.
        std::atomic_bool cancelled{true};
        SealOptions options;
        options.cancelled = &cancelled;
        QVERIFY(!sealUserFile(archive, m_keys.publicKey, false, options));
        QCOMPARE(readFile(archive), data);
        // Success removes it (unless kept).
        auto sealed = sealUserFile(archive, m_keys.publicKey, false);
        QVERIFY2(sealed, sealed ? "" : qPrintable(sealed.error().message));
        QVERIFY(!QFileInfo::exists(archive));
    }

    void keyFiles()
    {
        const QString keyFile = path(QStringLiteral("support.key"));
        QVERIFY(writeSecretKeyFile(keyFile, m_keys.secretKey));
        QVERIFY(isPrivate(keyFile));
        QVERIFY(!writeSecretKeyFile(keyFile, m_keys.secretKey)); // never overwritten
        auto read = readSecretKeyFile(keyFile);
        QVERIFY(read);
        QCOMPARE(read->publicKey, m_keys.publicKey);
        QCOMPARE(read->secretKey, m_keys.secretKey);
        QCOMPARE(*decodeKey32(encodeKey(m_keys.publicKey)), m_keys.publicKey);
        QCOMPARE(*decodeKey32(QString::fromLatin1(m_keys.publicKey.toHex())), m_keys.publicKey);
        QVERIFY(!decodeKey32(QStringLiteral("abc")));
        QVERIFY(writeFile(path(QStringLiteral("not-a-key")), "hello"));
        QVERIFY(!readSecretKeyFile(path(QStringLiteral("not-a-key"))));
    }

    // 256 MiB through 1 MiB chunks: the peak RSS must not grow with the file.
    void memoryIsBounded()
    {
        const QString big = path(QStringLiteral("big.bin"));
        {
            QFile file(big);
            QVERIFY(file.open(QIODevice::WriteOnly));
            const QByteArray block = randomBytes(1024 * 1024);
            for (int i = 0; i < 256; ++i)
                QVERIFY(file.write(block) == block.size());
        }
        const long before = peakRssKiB();
        auto sealed = sealFile(big, big + QStringLiteral(".sealed"), m_keys.publicKey);
        QVERIFY(sealed);
        auto opened = unsealFile(sealed->path, big + QStringLiteral(".out"), m_keys);
        QVERIFY(opened);
        const long grown = peakRssKiB() - before;
        qInfo("peak RSS grew by %ld KiB while sealing and unsealing 256 MiB", grown);
        QVERIFY2(grown < 32 * 1024, qPrintable(QString::number(grown)));
        QCOMPARE(opened->bytes, qint64(256) * 1024 * 1024);
        QFile::remove(big);
        QFile::remove(big + QStringLiteral(".sealed"));
        QFile::remove(big + QStringLiteral(".out"));
    }

    // keygen -> seal -> unseal through the built binary.
    void commandLineRoundTrip()
    {
        QTemporaryDir dir;
        const QString binary = QStringLiteral(DC_BINARY);
        QProcess keygen;
        keygen.start(binary, {QStringLiteral("keygen"), QStringLiteral("--out"), dir.filePath(QStringLiteral("k"))});
        QVERIFY(keygen.waitForFinished(30000));
        QCOMPARE(keygen.exitCode(), 0);
        const QString publicKey = QString::fromLatin1(keygen.readAllStandardOutput()).trimmed();
        QVERIFY(decodeKey32(publicKey));
        QVERIFY(isPrivate(dir.filePath(QStringLiteral("k"))));

        const QString archive = dir.filePath(QStringLiteral("diagcollect-x.zip"));
        const QByteArray data = randomBytes(300000);
        QVERIFY(writeFile(archive, data));
        QProcess seal;
        seal.start(binary, {QStringLiteral("seal"), archive, QStringLiteral("--public-key"), publicKey});
        QVERIFY(seal.waitForFinished(30000));
        QCOMPARE(seal.exitCode(), 0);
        QVERIFY(!QFileInfo::exists(archive));

        QProcess unseal;
        unseal.start(binary, {QStringLiteral("unseal"), archive + QStringLiteral(".sealed"), QStringLiteral("--key"),
                              dir.filePath(QStringLiteral("k"))});
        QVERIFY(unseal.waitForFinished(30000));
        QCOMPARE(unseal.exitCode(), 0);
        QCOMPARE(readFile(archive), data);

        // A wrong key: exit 1, nothing written.
        QProcess keygen2;
        keygen2.start(binary, {QStringLiteral("keygen"), QStringLiteral("--out"), dir.filePath(QStringLiteral("k2"))});
        QVERIFY(keygen2.waitForFinished(30000));
        QProcess wrong;
        wrong.start(binary, {QStringLiteral("unseal"), archive + QStringLiteral(".sealed"), QStringLiteral("--key"),
                             dir.filePath(QStringLiteral("k2")), QStringLiteral("--out"),
                             dir.filePath(QStringLiteral("w.zip"))});
        QVERIFY(wrong.waitForFinished(30000));
        QCOMPARE(wrong.exitCode(), 1);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("w.zip"))));
    }

    // collect --seal: only the sealed archive is left; retention removed an expired archive first.
    void collectSealsAndExpires()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out));
        const QString old = out + QStringLiteral("/diagcollect-old-20200101T000000Z.zip");
        QVERIFY(writeFile(old, "old"));
        QVERIFY(writeFile(old + QStringLiteral(".map.json"), "{}"));
        {
            QFile file(old);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addDays(-20), QFileDevice::FileModificationTime));
        }
        const QString profilePath = dir.filePath(QStringLiteral("p.json"));
        QVERIFY(writeFile(profilePath, "{\"format_version\": 1, \"name\": \"sealed\", \"retention_days\": 14, "
                                       "\"seal\": {\"public_key\": \"" +
                                           m_keys.publicKey.toBase64() +
                                           "\", \"required\": true}, \"items\": [{\"id\": \"hosts\", \"kind\": "
                                           "\"files\", \"category\": \"os-config\", \"purpose\": \"p\", "
                                           "\"paths\": [\"/etc/hosts\"]}]}"));
        QProcess collect;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
        env.insert(QStringLiteral("XDG_STATE_HOME"), dir.filePath(QStringLiteral("state")));
        collect.setProcessEnvironment(env);
        collect.start(QStringLiteral(DC_BINARY),
                      {QStringLiteral("collect"), QStringLiteral("--profile"), profilePath, QStringLiteral("--output"),
                       out, QStringLiteral("--json"), QStringLiteral("--quiet")});
        QVERIFY(collect.waitForFinished(120000));
        const QByteArray err = collect.readAllStandardError();
        QCOMPARE(collect.exitCode(), 0);
        const QJsonObject json = QJsonDocument::fromJson(collect.readAllStandardOutput()).object();
        const QString archive = json.value(QStringLiteral("archive")).toString();
        QVERIFY2(archive.endsWith(QStringLiteral(".tar.zst.sealed")), err.constData());
        QCOMPARE(json.value(QStringLiteral("sealed")).toObject().value(QStringLiteral("key_id")).toString(),
                 sealKeyId(m_keys.publicKey));
        QVERIFY(!QFileInfo::exists(archive.chopped(7))); // no plaintext beside it
        QVERIFY(!QFileInfo::exists(old));
        QVERIFY(!QFileInfo::exists(old + QStringLiteral(".map.json")));
        // The sealed archive and the user's pseudonym map (named after the archive before sealing).
        QCOMPARE(QDir(out).entryList(QDir::Files | QDir::Hidden, QDir::Name),
                 (QStringList{QFileInfo(archive.chopped(7)).fileName() + QStringLiteral(".map.json"),
                              QFileInfo(archive).fileName()}));
        auto opened = unsealFile(archive, dir.filePath(QStringLiteral("a.tar.zst")), m_keys);
        QVERIFY(opened);
        QCOMPARE(opened->sha256, QCryptographicHash::hash(readFile(opened->path), QCryptographicHash::Sha256).toHex());
    }
};

QTEST_GUILESS_MAIN(TestSealing)
#include "test_sealing.moc"
