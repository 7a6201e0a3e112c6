// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/sha256.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

using namespace dc::core;

class TestSha256 : public QObject
{
    Q_OBJECT

private slots:
    // FIPS 180-2 test vectors.
    void knownDigests_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("digest");
        QTest::newRow("empty") << QByteArray()
                               << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        QTest::newRow("abc") << QByteArray("abc")
                             << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        QTest::newRow("two blocks") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                    << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        QTest::newRow("a million a") << QByteArray(1000000, 'a')
                                     << QByteArray("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    void knownDigests()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, digest);
        QCOMPARE(Sha256::hex(input), digest);
    }

    // Pieces of any size give the digest of the whole, as QCryptographicHash does.
    void piecesGiveTheWhole()
    {
        QByteArray data(300000, Qt::Uninitialized);
        QRandomGenerator generator(15);
        for (char &byte : data)
            byte = char(generator.bounded(256));
        Sha256 hash;
        qsizetype offset = 0;
        for (qsizetype piece = 1; offset < data.size(); piece = piece * 3 + 1) {
            const qsizetype size = qMin(piece, data.size() - offset);
            hash.add(QByteArrayView(data).sliced(offset, size));
            offset += size;
        }
        QCOMPARE(hash.hex(), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
    }
};

QTEST_GUILESS_MAIN(TestSha256)
#include "test_sha256.moc"
