// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The review page's viewer: a model over a memory-mapped file with a lazy line
// index. A 200 MB log opens at once without being loaded whole.
#include "app/gui/logmodel.h"
#include "app/gui/logview.h"

#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QtTest>

using dc::gui::LogModel;
using dc::gui::LogView;

namespace {

// Resident set size of this process in KiB (Linux), -1 elsewhere.
qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestLogViewer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void linesAndEdges()
    {
        const QString path = m_dir.filePath(QStringLiteral("small.log"));
        writeFile(path, "first\r\nsecond line\n\nlast without newline");
        LogModel model;
        QVERIFY(model.open(path));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.lineText(0), QStringLiteral("first"));
        QCOMPARE(model.lineText(1), QStringLiteral("second line"));
        QCOMPARE(model.lineText(2), QString());
        QCOMPARE(model.lineText(3), QStringLiteral("last without newline"));
        QCOMPARE(model.rowForOffset(8), 1);
        QCOMPARE(model.find(QStringLiteral("LAST"), 0), 3);
        QCOMPARE(model.find(QStringLiteral("first"), 1), 0); // wraps
        QCOMPARE(model.find(QStringLiteral("absent"), 0), -1);
        QVERIFY(!model.open(m_dir.filePath(QStringLiteral("missing.log"))));
        QCOMPARE(model.rowCount(), 0);
    }

    void highlightsFindings()
    {
        const QString path = m_dir.filePath(QStringLiteral("findings.log"));
        writeFile(path, "mail alice@example.org now\nip 10.1.2.3\n");
        LogModel model;
        QVERIFY(model.open(path));
        dc::core::Finding email{5, 17, QStringLiteral("email"), "alice@example.org", "[email-1]"};
        dc::core::Finding ip{30, 8, QStringLiteral("ipv4"), "10.1.2.3", "[ipv4-1]"};
        model.setFindings({email, ip}, [](const dc::core::Finding &f) { return f.rule == QLatin1String("email"); });
        auto first = model.highlights(0);
        QCOMPARE(int(first.size()), 1);
        QCOMPARE(first[0].start, 5);
        QCOMPARE(first[0].length, 17);
        QCOMPARE(first[0].kind, LogModel::Highlight::Redacted);
        auto second = model.highlights(1);
        QCOMPARE(int(second.size()), 1);
        QCOMPARE(second[0].start, 3);
        QCOMPARE(second[0].kind, LogModel::Highlight::Kept);
    }

    void longLinesAreCut()
    {
        const QString path = m_dir.filePath(QStringLiteral("long.log"));
        writeFile(path, QByteArray(LogModel::kMaxLine * 2 + 10, 'x') + "\nend\n");
        LogModel model;
        QVERIFY(model.open(path));
        while (model.canFetchMore(QModelIndex()))
            model.fetchMore(QModelIndex());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.lineText(3), QStringLiteral("end"));
    }

    void opensHugeLogWithoutLoadingIt()
    {
        const QString path = m_dir.filePath(QStringLiteral("huge.log"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QByteArray block;
            for (int i = 0; block.size() < (1 << 20); ++i)
                block += "2026-11-23T10:00:00.000Z host app[4242]: request " + QByteArray::number(i) +
                         " served from cache in 3 ms\n";
            for (qint64 written = 0; written < 200LL * 1024 * 1024; written += block.size())
                QCOMPARE(file.write(block), block.size());
            file.write("the very last line\n");
        }
        const qint64 before = residentKiB();
        QElapsedTimer clock;
        clock.start();
        LogModel model;
        LogView view;
        view.setLogModel(&model);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(model.open(path));
        QCoreApplication::processEvents();
        const qint64 openMs = clock.elapsed();
        QVERIFY(model.rowCount() > 1000);
        QVERIFY(model.lineText(0).startsWith(QStringLiteral("2026-11-23T10:00:00.000Z host app[4242]: request 0")));
        // Scroll around the way a user does: page down, jump to the (indexed) end a few times.
        view.setFocus();
        for (int i = 0; i < 5; ++i)
            QTest::keyClick(&view, Qt::Key_PageDown);
        for (int i = 0; i < 3; ++i) {
            QTest::keyClick(&view, Qt::Key_End, Qt::ControlModifier);
            QCoreApplication::processEvents();
        }
        const qint64 after = residentKiB();
        qInfo("opened 200 MB in %lld ms; VmRSS %lld -> %lld KiB (+%lld KiB)", openMs, before, after, after - before);
        QVERIFY2(openMs < 2000, qPrintable(QString::number(openMs)));
        QVERIFY(before > 0);
        QVERIFY2(after - before < 64 * 1024, qPrintable(QStringLiteral("+%1 KiB").arg(after - before)));
        QVERIFY(!model.fullyIndexed());
        // Searching reaches the end of the file.
        const int last = model.find(QStringLiteral("the very last line"), 0);
        QVERIFY(last > 0);
        QCOMPARE(model.lineText(last), QStringLiteral("the very last line"));
        model.close();
        QFile::remove(path);
    }
};

QTEST_MAIN(TestLogViewer)
#include "test_logviewer.moc"
