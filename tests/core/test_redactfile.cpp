// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/leakcheck.h"
#include "core/redact/pseudonymmap.h"
#include "core/redact/redactfile.h"
#include "core/redact/redactionreport.h"
#include "core/redact/stagingredactor.h"
#include "core/util/sha256.h"
#include "smalldisk.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <archive.h>
#include <archive_entry.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>
#include <sys/stat.h>
#include <thread>

using namespace dc::core;

namespace {

MachineContext testContext()
{
    MachineContext ctx;
    ctx.hostNames = {QStringLiteral("alice-laptop")};
    ctx.domains = {QStringLiteral("corp.example.net")};
    ctx.accounts = {QStringLiteral("alice")};
    return ctx;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(data), data.size());
}

// filter: "gzip", "xz", ... ; format "raw" for a single compressed file, "gnutar" for a tarball.
void writeArchive(const QString &path, const QList<QPair<QString, QByteArray>> &entries, const char *filter, bool raw)
{
    archive *a = archive_write_new();
    archive_write_add_filter_by_name(a, filter);
    if (raw)
        archive_write_set_format_raw(a);
    else
        archive_write_set_format_gnutar(a);
    QCOMPARE(archive_write_open_filename(a, QFile::encodeName(path).constData()), ARCHIVE_OK);
    for (const auto &[name, data] : entries) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name.toUtf8().constData());
        archive_entry_set_size(e, data.size());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_write_header(a, e);
        archive_write_data(a, data.constData(), size_t(data.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

const QByteArray kLog = "Jan 10 10:00:01 alice-laptop sshd[311]: Accepted publickey for jdoe from 10.20.30.40 port 22\n"
                        "GET https://intranet.acme-corp.io/x?access_token=abcdef0123456789 HTTP/1.1\n"
                        "{\"email\": \"jane.roe@acme-corp.io\", \"ip\": \"10.20.30.40\"}\n"
                        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACDx\n"
                        "-----END OPENSSH PRIVATE KEY-----\n"
                        "version 1.2.3.4 netmask 255.255.255.0 mac 3c:22:fb:1a:9e:04\n"
                        "last line without newline jane.roe@acme-corp.io";

} // namespace

class TestRedactFile : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void decompressionIsCapped();
    void fullDiskSaysNoSpace_data();
    void fullDiskSaysNoSpace();
    void rewriteInPlace();
    void parallelScanNumbersAsSequential();
    void chunkBoundaries_data();
    void chunkBoundaries();
    void longLineForcedCut();
    void pseudonymsAcrossFiles();
    void mapSaveLoad();
    void decisions_data();
    void decisions();
    void addTermAndKnownValues();
    void binaryFiles();
    void compressedInput();
    void leakCheck();
    void leakCheckArchive();
    void leakCheckOwnWords();
    void leakCheckChunks();
    void report();
    void manyDistinctValues();
    void longRepeatedValues();
    void lineCounts_data();
    void lineCounts();
    void sharedMapAcrossThreads();
    void mapOriginalsAndDuplicates();
    void mapOrder();
    void largeMapSave();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestRedactFile::chunkBoundaries_data()
{
    QTest::addColumn<qint64>("chunk");
    for (qint64 c : {16, 17, 31, 64, 100, 4096})
        QTest::newRow(QByteArray::number(c).constData()) << c;
}

void TestRedactFile::chunkBoundaries()
{
    QFETCH(qint64, chunk);
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap whole;
    const QByteArray expected = redactor.redact(std::string_view(kLog.constData(), size_t(kLog.size())), whole);
    writeFile(path(QStringLiteral("in.log")), kLog);

    PseudonymMap map;
    StreamOptions opt;
    opt.chunkSize = chunk;
    opt.maxCarry = 1 << 20;
    auto r = redactFile(path(QStringLiteral("in.log")), path(QStringLiteral("out.log")), redactor, RedactionPlan(), map,
                        {}, opt);
    QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
    QCOMPARE(readAll(path(QStringLiteral("out.log"))), expected);
    QCOMPARE(r->linesIn, r->linesOut);
    QCOMPARE(r->bytesIn, kLog.size());

    PseudonymMap map2;
    auto scan = scanFile(path(QStringLiteral("in.log")), redactor, map2, QStringLiteral("in.log"), opt);
    QVERIFY(scan.has_value());
    QCOMPARE(scan->kind, ContentKind::Text);
    for (const Finding &f : scan->findings)
        QCOMPARE(kLog.mid(f.offset, f.length), f.value);
    QCOMPARE(scan->totalFindings, qint64(scan->findings.size()));
}

void TestRedactFile::longLineForcedCut()
{
    // A single line longer than maxCarry: the cut moves before a value that crosses it.
    QByteArray line(5000, 'a');
    line += " mail jane.roe@acme-corp.io ";
    line += QByteArray(5000, 'b');
    line += " 10.1.2.3 ";
    line += QByteArray(3000, 'c');
    writeFile(path(QStringLiteral("long.log")), line);
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    StreamOptions opt;
    opt.chunkSize = 1000;
    opt.maxCarry = 2048;
    auto r = redactFile(path(QStringLiteral("long.log")), path(QStringLiteral("long.out")), redactor, RedactionPlan(),
                        map, {}, opt);
    QVERIFY(r.has_value());
    const QByteArray out = readAll(path(QStringLiteral("long.out")));
    QVERIFY(out.contains(" mail [email-1] "));
    QVERIFY(out.contains(" [ipv4-1] "));
    QVERIFY(!out.contains("acme-corp"));
    QCOMPARE(out.size(), line.size() - 21 + 9);
}

void TestRedactFile::pseudonymsAcrossFiles()
{
    writeFile(path(QStringLiteral("a.log")), "x 10.9.9.1 jane@acme-corp.io\n");
    writeFile(path(QStringLiteral("b.log")), "jane@acme-corp.io 10.9.9.2\n10.9.9.1\n");
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    QVERIFY(redactFile(path(QStringLiteral("a.log")), path(QStringLiteral("a.out")), redactor, RedactionPlan(), map));
    QVERIFY(redactFile(path(QStringLiteral("b.log")), path(QStringLiteral("b.out")), redactor, RedactionPlan(), map));
    QCOMPARE(readAll(path(QStringLiteral("a.out"))), QByteArray("x [ipv4-1] [email-1]\n"));
    QCOMPARE(readAll(path(QStringLiteral("b.out"))), QByteArray("[email-1] [ipv4-2]\n[ipv4-1]\n"));
}

void TestRedactFile::mapSaveLoad()
{
    PseudonymMap map;
    QCOMPARE(map.tokenFor(QStringLiteral("email"), "a@b.io", "A@b.io"), QByteArray("[email-1]"));
    QCOMPARE(map.tokenFor(QStringLiteral("email"), "c@b.io"), QByteArray("[email-2]"));
    QCOMPARE(map.tokenFor(QStringLiteral("user"), "alice"), QByteArray("[user-1]"));
    const QString file = path(QStringLiteral("map.json"));
    QVERIFY(map.save(file).has_value());
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, 0600u);
    PseudonymMap loaded;
    QVERIFY(loaded.load(file).has_value());
    QCOMPARE(loaded.size(), 3);
    QCOMPARE(*loaded.find(QStringLiteral("email"), "c@b.io"), QByteArray("[email-2]"));
    QCOMPARE(loaded.tokenFor(QStringLiteral("email"), "d@b.io"), QByteArray("[email-3]"));
    QCOMPARE(loaded.entries().constFirst().original, QByteArray("A@b.io"));
    QVERIFY(!loaded.loadJson(R"({"formatVersion": 1, "entries": [{"kind": "x", "token": "bad", "value": "v"}]})"));
    QCOMPARE(loaded.size(), 4); // unchanged after a failed load
}

void TestRedactFile::decisions_data()
{
    QTest::addColumn<int>("level"); // 0 none, 1 finding, 2 value, 3 rule, 4 rule keep + value redact, 5 exclude file
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("default") << 0 << QByteArray("[ipv4-1] [ipv4-2] [ipv4-1] [email-1]\n");
    QTest::newRow("finding") << 1 << QByteArray("10.0.5.1 [ipv4-2] [ipv4-1] [email-1]\n");
    QTest::newRow("value") << 2 << QByteArray("10.0.5.1 [ipv4-2] 10.0.5.1 [email-1]\n");
    QTest::newRow("rule") << 3 << QByteArray("10.0.5.1 10.0.5.2 10.0.5.1 [email-1]\n");
    QTest::newRow("specific-wins") << 4 << QByteArray("10.0.5.1 [ipv4-2] 10.0.5.1 [email-1]\n");
    QTest::newRow("exclude") << 5 << QByteArray();
}

void TestRedactFile::decisions()
{
    QFETCH(int, level);
    QFETCH(QByteArray, expected);
    const QString in = path(QStringLiteral("d.log"));
    const QString out = path(QStringLiteral("d.out"));
    QFile::remove(out);
    writeFile(in, "10.0.5.1 10.0.5.2 10.0.5.1 x@acme-corp.io\n");
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    auto scan = scanFile(in, redactor, map, QStringLiteral("d.log"));
    QVERIFY(scan.has_value());
    QCOMPARE(scan->findings.size(), 4);
    const Finding &first = scan->findings.constFirst();
    QCOMPARE(first.token, QByteArray("[ipv4-1]"));

    RedactionPlan plan;
    switch (level) {
    case 1:
        plan.setFindingDecision(QStringLiteral("d.log"), first.offset, Decision::Keep);
        break;
    case 2:
        plan.setValueDecision(first.token, Decision::Keep);
        break;
    case 3:
        plan.setRuleDecision(QStringLiteral("ipv4"), Decision::Keep);
        break;
    case 4:
        plan.setRuleDecision(QStringLiteral("ipv4"), Decision::Keep);
        plan.setValueDecision("[ipv4-2]", Decision::Redact);
        plan.setValueDecision(first.token, Decision::Keep);
        break;
    case 5:
        plan.setFileChoice(QStringLiteral("d.log"), FileChoice::Exclude);
        break;
    default:
        break;
    }
    auto r = redactFile(in, out, redactor, plan, map, QStringLiteral("d.log"));
    QVERIFY(r.has_value());
    QCOMPARE(r->written, level != 5);
    QCOMPARE(QFile::exists(out), level != 5);
    if (level != 5)
        QCOMPARE(readAll(out), expected);
    // A value kept anywhere is not a "chosen" value (it would trip the leak check).
    const auto chosen = plan.chosenValues({*scan});
    const bool firstChosen =
        std::any_of(chosen.cbegin(), chosen.cend(), [&](const auto &kv) { return kv.value == first.value; });
    QCOMPARE(firstChosen, level == 0);
}

void TestRedactFile::addTermAndKnownValues()
{
    const QString a = path(QStringLiteral("k1.log"));
    writeFile(a, "client 10.7.7.7 ok; codename Falcon\nrelease notes: version 10.7.7.7\n");
    const RedactionRules base = RedactionRules::defaults(testContext());
    const Redactor scanner(base);
    PseudonymMap map;
    auto scan = scanFile(a, scanner, map, QStringLiteral("k1.log"));
    QVERIFY(scan.has_value());
    QCOMPARE(scan->findings.size(), 1); // the version-looking occurrence is kept by the ipv4 rule
    RedactionPlan plan;
    plan.addTerm(QStringLiteral("falcon"));
    const Redactor apply(plan.applyRules(base, {*scan}));
    auto r = redactFile(a, path(QStringLiteral("k1.out")), apply, plan, map, QStringLiteral("k1.log"));
    QVERIFY(r.has_value());
    // The chosen value is hidden everywhere, with the same token; the term too.
    QCOMPARE(readAll(path(QStringLiteral("k1.out"))),
             QByteArray("client [ipv4-1] ok; codename [keyword-1]\nrelease notes: version [ipv4-1]\n"));
}

void TestRedactFile::binaryFiles()
{
    QByteArray bin("MDMP\0\0\x01\x02 user alice 10.1.2.3", 28);
    writeFile(path(QStringLiteral("core.dmp")), bin);
    QString reason;
    auto kind = detectContentKind(path(QStringLiteral("core.dmp")), &reason);
    QVERIFY(kind.has_value());
    QCOMPARE(*kind, ContentKind::Binary);
    QVERIFY(!reason.isEmpty());
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    auto scan = scanFile(path(QStringLiteral("core.dmp")), redactor, map);
    QVERIFY(scan.has_value());
    QCOMPARE(scan->kind, ContentKind::Binary);
    QVERIFY(scan->findings.isEmpty());

    RedactionPlan plan;
    auto r = redactFile(path(QStringLiteral("core.dmp")), path(QStringLiteral("core.out")), redactor, plan, map,
                        QStringLiteral("core.dmp"));
    QVERIFY(r.has_value());
    QVERIFY(!r->written);
    QVERIFY(!QFile::exists(path(QStringLiteral("core.out"))));
    plan.setFileChoice(QStringLiteral("core.dmp"), FileChoice::Include);
    r = redactFile(path(QStringLiteral("core.dmp")), path(QStringLiteral("core.out")), redactor, plan, map,
                   QStringLiteral("core.dmp"));
    QVERIFY(r.has_value() && r->written && r->verbatim);
    QCOMPARE(readAll(path(QStringLiteral("core.out"))), bin);

    writeFile(path(QStringLiteral("empty.log")), QByteArray());
    QCOMPARE(*detectContentKind(path(QStringLiteral("empty.log"))), ContentKind::Text);
}

void TestRedactFile::decompressionIsCapped()
{
    // 8 MiB of log lines that gzip packs into a few KiB: far past 100 times its size.
    QByteArray bomb;
    while (bomb.size() < 8 * 1024 * 1024)
        bomb += "2026-12-06T10:00:00 shield[42]: heartbeat from 10.1.2.3 ok\n";
    writeArchive(path(QStringLiteral("bomb.log.gz")), {{QStringLiteral("x"), bomb}}, "gzip", true);
    const qint64 compressed = QFileInfo(path(QStringLiteral("bomb.log.gz"))).size();
    QVERIFY(compressed * 100 < bomb.size());
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    auto scan = scanFile(path(QStringLiteral("bomb.log.gz")), redactor, map);
    QVERIFY(scan.has_value());
    QVERIFY(scan->bytes <= compressed * 100);
    auto capped = redactFile(path(QStringLiteral("bomb.log.gz")), path(QStringLiteral("bomb.out")), redactor,
                             RedactionPlan(), map);
    QVERIFY2(capped.has_value(), capped ? "" : qPrintable(capped.error().message));
    QVERIFY(capped->capped);
    QVERIFY(capped->cappedReason.contains(QStringLiteral("compressed size")));
    QVERIFY(capped->bytesIn <= compressed * 100);
    QVERIFY(QFileInfo(path(QStringLiteral("bomb.out"))).size() < 2 * compressed * 100);
    // The absolute cap, and a file under both caps is read whole.
    StreamOptions small;
    small.maxDecompressedBytes = 64 * 1024;
    auto absolute = redactFile(path(QStringLiteral("bomb.log.gz")), path(QStringLiteral("bomb2.out")), redactor,
                               RedactionPlan(), map, {}, small);
    QVERIFY(absolute.has_value() && absolute->capped && absolute->bytesIn == 64 * 1024);
    StreamOptions generous;
    generous.maxExpansionRatio = 100000;
    auto whole = redactFile(path(QStringLiteral("bomb.log.gz")), path(QStringLiteral("bomb3.out")), redactor,
                            RedactionPlan(), map, {}, generous);
    QVERIFY(whole.has_value() && !whole->capped && whole->bytesIn == bomb.size());
}

void TestRedactFile::compressedInput()
{
    QByteArray big;
    for (int i = 0; i < 3000; ++i)
        big += "line " + QByteArray::number(i) + " from jane@acme-corp.io via 10.3.3." +
               QByteArray::number(i % 200 + 1) + "\n";
    for (const char *filter : {"gzip", "xz", "zstd", "bzip2"}) {
        const QString gz = path(QStringLiteral("syslog.1.") + QLatin1String(filter));
        writeArchive(gz, {{QStringLiteral("data"), big}}, filter, true);
        auto kind = detectContentKind(gz);
        QVERIFY(kind.has_value());
        QCOMPARE(*kind, ContentKind::CompressedText);
        const Redactor redactor(RedactionRules::defaults(testContext()));
        PseudonymMap map;
        auto r = redactFile(gz, path(QStringLiteral("syslog.out")), redactor, RedactionPlan(), map);
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->bytesIn, big.size());
        QCOMPARE(r->linesOut, 3000);
        const QByteArray out = readAll(path(QStringLiteral("syslog.out")));
        QVERIFY(out.startsWith("line 0 from [email-1] via [ipv4-1]\n"));
        QVERIFY(!out.contains("acme-corp"));
    }
    QCOMPARE(redactedFileName(QStringLiteral("syslog.2.gz")), QStringLiteral("syslog.2"));
    QCOMPARE(redactedFileName(QStringLiteral("x.log")), QStringLiteral("x.log"));
    writeFile(path(QStringLiteral("broken.gz")), QByteArray("\x1f\x8b\x08\x00garbage", 12));
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    QVERIFY(
        !redactFile(path(QStringLiteral("broken.gz")), path(QStringLiteral("b.out")), redactor, RedactionPlan(), map)
             .has_value());
}

void TestRedactFile::leakCheck()
{
    const LeakChecker checker({"alice", "10.1.2.3", "jane@acme-corp.io", "S3cr3t!"});
    QCOMPARE(checker.scanBytes("nothing here, malice and 210.1.2.34 are fine").size(), 0);
    const auto leaks = checker.scanBytes("x ALICE y 10.1.2.3: JANE@acme-corp.io pw=S3cr3t!!");
    QCOMPARE(leaks.size(), 4);
    QCOMPARE(leaks[0].valueIndex, 0);
    QCOMPARE(leaks[0].offset, 2);
    QCOMPARE(leaks[3].valueIndex, 3);
    // Streaming across chunk boundaries in a file
    QByteArray data(300000, 'x');
    data += " alice";
    data += QByteArray(300000, ' ');
    writeFile(path(QStringLiteral("leak.log")), data);
    auto fileLeaks = checker.checkFile(path(QStringLiteral("leak.log")));
    QVERIFY(fileLeaks.has_value());
    QCOMPARE(fileLeaks->size(), 1);
    QCOMPARE(fileLeaks->constFirst().offset, 300001);
    writeFile(path(QStringLiteral("empty")), QByteArray());
    QCOMPARE(checker.checkFile(path(QStringLiteral("empty")))->size(), 0);
}

void TestRedactFile::leakCheckArchive()
{
    // A redacted file plus one excluded from redaction "by mistake".
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    const QByteArray original = "login from 10.44.0.7 by jane@acme-corp.io\n";
    writeFile(path(QStringLiteral("o.log")), original);
    auto scan = scanFile(path(QStringLiteral("o.log")), redactor, map, QStringLiteral("o.log"));
    QVERIFY(scan.has_value());
    RedactionPlan plan;
    auto r = redactFile(path(QStringLiteral("o.log")), path(QStringLiteral("o.out")), redactor, plan, map,
                        QStringLiteral("o.log"));
    QVERIFY(r.has_value());
    QList<QByteArray> values;
    for (const auto &kv : plan.chosenValues({*scan}))
        values.append(kv.value);
    QCOMPARE(values.size(), 2);
    const LeakChecker checker(values);

    const QString good = path(QStringLiteral("good.tar.gz"));
    writeArchive(good, {{QStringLiteral("logs/o.log"), readAll(path(QStringLiteral("o.out")))}}, "gzip", false);
    auto ok = checker.checkArchive(good);
    QVERIFY2(ok.has_value(), ok ? "" : qPrintable(ok.error().message));
    QCOMPARE(ok->size(), 0);

    QByteArray gz;
    {
        writeArchive(path(QStringLiteral("inner.gz")), {{QStringLiteral("x"), original}}, "gzip", true);
        gz = readAll(path(QStringLiteral("inner.gz")));
    }
    const QString bad = path(QStringLiteral("bad.tar.xz"));
    writeArchive(bad,
                 {{QStringLiteral("logs/o.log"), readAll(path(QStringLiteral("o.out")))},
                  {QStringLiteral("logs/rotated.1.gz"), gz}},
                 "xz", false);
    auto leaks = checker.checkArchive(bad);
    QVERIFY(leaks.has_value());
    QVERIFY(leaks->size() >= 2);
    QCOMPARE(leaks->constFirst().entry, QStringLiteral("logs/rotated.1.gz"));
    QVERIFY(!checker.checkArchive(path(QStringLiteral("missing.tar"))).has_value());

    // Large members: a plain one is streamed past its first 64 KiB, a
    // compressed one is still opened; values across the head's end are found.
    QByteArray large = QByteArray(65536 - 4, 'x') + " 10.44.0.7 ";
    large += QByteArray(200000, ' ') + "jane@acme-corp.io\n";
    QByteArray largeGz;
    {
        writeArchive(path(QStringLiteral("large.gz")), {{QStringLiteral("x"), QByteArray(100000, ' ') + original}},
                     "gzip", true);
        largeGz = readAll(path(QStringLiteral("large.gz")));
    }
    const QString big = path(QStringLiteral("big.tar.gz"));
    writeArchive(big, {{QStringLiteral("logs/large.log"), large}, {QStringLiteral("logs/large.1.gz"), largeGz}}, "gzip",
                 false);
    auto bigLeaks = checker.checkArchive(big);
    QVERIFY2(bigLeaks.has_value(), bigLeaks ? "" : qPrintable(bigLeaks.error().message));
    QList<qint64> plainOffsets;
    int inCompressed = 0;
    for (const LeakChecker::Leak &leak : *bigLeaks) {
        if (leak.entry == QStringLiteral("logs/large.log"))
            plainOffsets.append(leak.offset);
        else if (leak.entry == QStringLiteral("logs/large.1.gz"))
            ++inCompressed;
    }
    QCOMPARE(plainOffsets, (QList<qint64>{65536 - 3, large.indexOf("jane@")}));
    QCOMPARE(inCompressed, 2);
}

// A chosen value that is also a word of the format ("line", a key of
// findings.json) is forgiven in the tool's own files only; the words are read
// once, at the first hit, and never for an archive without one.
void TestRedactFile::leakCheckOwnWords()
{
    const LeakChecker checker(QList<QByteArray>{"line", "kim-04"});
    int reads = 0;
    const auto ownWords = [&reads] {
        ++reads;
        return QSet<QByteArray>{"line", "firstLine"};
    };
    const QString clean = path(QStringLiteral("clean.tar.gz"));
    writeArchive(clean,
                 {{QStringLiteral("top/findings.json"), QByteArray(R"({"count": 2})")},
                  {QStringLiteral("top/logs/a.log"), QByteArray("nothing chosen here\n")}},
                 "gzip", false);
    auto none = checker.checkArchive(clean, ownWords);
    QVERIFY2(none.has_value(), none ? "" : qPrintable(none.error().message));
    QCOMPARE(none->size(), 0);
    QCOMPARE(reads, 0);

    const QString mixed = path(QStringLiteral("mixed.tar.gz"));
    writeArchive(mixed,
                 {{QStringLiteral("top/findings.json"), QByteArray(R"({"line": 3, "firstLine": 1, "note": "line"})")},
                  {QStringLiteral("top/manifest.json"), QByteArray(R"({"host": "kim-04"})")},
                  {QStringLiteral("top/logs/a.log"), QByteArray("read line 4 from kim-04\n")}},
                 "gzip", false);
    auto leaks = checker.checkArchive(mixed, ownWords);
    QVERIFY2(leaks.has_value(), leaks ? "" : qPrintable(leaks.error().message));
    QCOMPARE(reads, 1);
    QStringList found;
    for (const LeakChecker::Leak &leak : *leaks)
        found.append(leak.entry + QLatin1Char(':') + QString::fromUtf8(leak.match));
    // The host in the manifest is not a word of the format; both words in the log are data.
    QCOMPARE(found, (QStringList{QStringLiteral("top/manifest.json:kim-04"), QStringLiteral("top/logs/a.log:line"),
                                 QStringLiteral("top/logs/a.log:kim-04")}));
    // Without the reader nothing is forgiven.
    auto strict = checker.checkArchive(mixed);
    QVERIFY(strict.has_value());
    QCOMPARE(strict->size(), 5);
}

// Large members are searched in chunks on other threads: the same
// occurrences as one stream of the member (checkFile), across the chunks'
// ends, and every leak in archive order.
void TestRedactFile::leakCheckChunks()
{
    const LeakChecker checker(QList<QByteArray>{"alice-bob", "bob", "10.44.0.7"});
    const qint64 mib = 1 << 20;
    QByteArray big(qsizetype(3 * mib + 12345), ' ');
    const auto plant = [&big](qint64 at, const QByteArray &value) { big.replace(qsizetype(at), value.size(), value); };
    plant(mib - 4, "alice-bob"); // runs past the first chunk; "bob" after the cut is part of it
    plant(2 * mib, "bob");       // right at a cut
    plant(2 * mib - 10, "10.44.0.7");
    plant(3 * mib + 12000, "10.44.0.7");
    QByteArray second(qsizetype(2 * mib), 'x');
    second.replace(qsizetype(mib - 1), 5, " bob "); // across the cut
    const QString archivePath = path(QStringLiteral("chunks.tar.gz"));
    writeArchive(archivePath,
                 {{QStringLiteral("top/logs/big.log"), big},
                  {QStringLiteral("top/logs/small.log"), QByteArray("bob\n")},
                  {QStringLiteral("top/logs/second.log"), second}},
                 "gzip", false);
    auto leaks = checker.checkArchive(archivePath);
    QVERIFY2(leaks.has_value(), leaks ? "" : qPrintable(leaks.error().message));
    QStringList found;
    for (const LeakChecker::Leak &leak : *leaks)
        found.append(QStringLiteral("%1@%2").arg(leak.entry.section(QLatin1Char('/'), -1)).arg(leak.offset));
    QCOMPARE(found,
             (QStringList{QStringLiteral("big.log@%1").arg(mib - 4), QStringLiteral("big.log@%1").arg(2 * mib - 10),
                          QStringLiteral("big.log@%1").arg(2 * mib), QStringLiteral("big.log@%1").arg(3 * mib + 12000),
                          QStringLiteral("small.log@0"), QStringLiteral("second.log@%1").arg(mib)}));
    // The same as one stream of each member.
    writeFile(path(QStringLiteral("big.log")), big);
    auto streamed = checker.checkFile(path(QStringLiteral("big.log")));
    QVERIFY(streamed.has_value());
    QList<qint64> offsets;
    for (const LeakChecker::Leak &leak : *streamed)
        offsets.append(leak.offset);
    QCOMPARE(offsets, (QList<qint64>{mib - 4, 2 * mib - 10, 2 * mib, 3 * mib + 12000}));
}

void TestRedactFile::report()
{
    RedactOutcome o;
    o.written = true;
    o.redactedPerRule.insert(QStringLiteral("email"), 3);
    o.redactedPerRule.insert(QStringLiteral("ipv4"), 2);
    o.kept = 1;
    RedactionReport report;
    report.add(QStringLiteral("logs/a.log"), o);
    report.add(QStringLiteral("logs/b.log"), o);
    report.addExcluded(QStringLiteral("crash/core.dmp"), ContentKind::Binary, QStringLiteral("binary"));
    QCOMPARE(report.redactedTotal(), 10);
    const QJsonObject root = QJsonDocument::fromJson(report.toJson()).object();
    QCOMPARE(root.value(QLatin1String("rules")).toObject().value(QLatin1String("email")).toInt(), 6);
    QCOMPARE(root.value(QLatin1String("totalRedacted")).toInt(), 10);
    QCOMPARE(root.value(QLatin1String("keptByDecision")).toInt(), 2);
    QCOMPARE(root.value(QLatin1String("excluded")).toArray().size(), 1);
}

void TestRedactFile::manyDistinctValues()
{
    // More distinct values than redactFile's per-file token cache holds (it
    // starts over), then values from before the restart again: every
    // occurrence keeps its token, exactly as a whole-text redaction numbers them.
    QByteArray text;
    for (int i = 0; i < 80000; ++i)
        text += "conn 10." + QByteArray::number(i / 65536) + '.' + QByteArray::number((i / 256) % 256) + '.' +
                QByteArray::number(i % 256) + " user=u" + QByteArray::number(i % 5000) + "x\n";
    for (int i = 0; i < 300; ++i)
        text += "again 10.0." + QByteArray::number(i / 256) + '.' + QByteArray::number(i % 256) + "\n";
    writeFile(path(QStringLiteral("many.log")), text);
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap whole;
    const QByteArray expected = redactor.redact(std::string_view(text.constData(), size_t(text.size())), whole);
    PseudonymMap map;
    auto r =
        redactFile(path(QStringLiteral("many.log")), path(QStringLiteral("many.out")), redactor, RedactionPlan(), map);
    QVERIFY(r.has_value());
    QCOMPARE(readAll(path(QStringLiteral("many.out"))), expected);
    QCOMPARE(map.size(), whole.size());
    QCOMPARE(r->linesIn, qint64(80300));
    QCOMPARE(r->linesOut, r->linesIn);
    QCOMPARE(r->redactedPerRule.value(QStringLiteral("ipv4")), qint64(80300));

    PseudonymMap scanMap;
    auto scan = scanFile(path(QStringLiteral("many.log")), redactor, scanMap);
    QVERIFY(scan.has_value());
    QCOMPARE(scan->totalFindings, qint64(160300));
    QCOMPARE(scan->findings.size(), qsizetype(100000)); // the default cap
    for (const Finding &f : std::as_const(scan->findings)) {
        if (f.rule == QLatin1String("ipv4"))
            QCOMPARE(*whole.find(QStringLiteral("ipv4"), std::string_view(f.value.constData(), size_t(f.value.size()))),
                     f.token);
    }
}

void TestRedactFile::longRepeatedValues()
{
    // Private-key bodies are longer than the token cache takes: still one token per body.
    QByteArray body;
    for (int i = 0; i < 40; ++i)
        body += QByteArray(64, char('A' + i % 26)) + '\n';
    const QByteArray block = "-----BEGIN PRIVATE KEY-----\n" + body + "-----END PRIVATE KEY-----\n";
    const QByteArray other = "-----BEGIN PRIVATE KEY-----\n" + body.toLower() + "-----END PRIVATE KEY-----\n";
    const QByteArray text = "a\n" + block + "b\n" + other + block + "c\n";
    writeFile(path(QStringLiteral("keys.log")), text);
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    auto r =
        redactFile(path(QStringLiteral("keys.log")), path(QStringLiteral("keys.out")), redactor, RedactionPlan(), map);
    QVERIFY(r.has_value());
    const QByteArray breaks(40, '\n');
    QCOMPARE(readAll(path(QStringLiteral("keys.out"))),
             "a\n-----BEGIN PRIVATE KEY-----\n[private-key-1]" + breaks + "-----END PRIVATE KEY-----\nb\n" +
                 "-----BEGIN PRIVATE KEY-----\n[private-key-2]" + breaks + "-----END PRIVATE KEY-----\n" +
                 "-----BEGIN PRIVATE KEY-----\n[private-key-1]" + breaks + "-----END PRIVATE KEY-----\nc\n");
    QCOMPARE(r->linesIn, qint64(text.count('\n')));
    QCOMPARE(r->linesOut, r->linesIn);
}

void TestRedactFile::lineCounts_data()
{
    QTest::addColumn<qint64>("chunk");
    for (qint64 c : {16, 17, 33, 255, 4096, 262144})
        QTest::newRow(QByteArray::number(c).constData()) << c;
}

void TestRedactFile::lineCounts()
{
    // Lines of every length around the counters' 8- and 16-byte steps, empty
    // lines, CR LF, and no newline at the end.
    QFETCH(qint64, chunk);
    QByteArray text;
    for (int len = 0; len < 70; ++len) {
        text += QByteArray(len, 'x');
        text += len % 7 == 0 ? "\r\n" : "\n";
        if (len % 5 == 0)
            text += "\n\n";
        if (len % 9 == 0)
            text += "ip 10.7." + QByteArray::number(len) + ".1 end\n";
    }
    text += "tail 10.7.200.2";
    writeFile(path(QStringLiteral("lines.log")), text);
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap whole;
    const QByteArray expected = redactor.redact(std::string_view(text.constData(), size_t(text.size())), whole);
    PseudonymMap map;
    StreamOptions opt;
    opt.chunkSize = chunk;
    auto r = redactFile(path(QStringLiteral("lines.log")), path(QStringLiteral("lines.out")), redactor, RedactionPlan(),
                        map, {}, opt);
    QVERIFY(r.has_value());
    QCOMPARE(readAll(path(QStringLiteral("lines.out"))), expected);
    QCOMPARE(r->linesIn, qint64(text.count('\n')));
    QCOMPARE(r->linesOut, qint64(expected.count('\n')));
    QCOMPARE(r->bytesOut, qint64(expected.size()));
}

void TestRedactFile::sharedMapAcrossThreads()
{
    // Threads share one map: a value gets one token whoever meets it first,
    // and every file reads as if redacted with the final map.
    QList<QByteArray> texts;
    for (int f = 0; f < 4; ++f) {
        QByteArray text;
        for (int i = 0; i < 20000; ++i)
            text += "f" + QByteArray::number(f) + " 10.9." + QByteArray::number((i * (f + 1)) % 200) + '.' +
                    QByteArray::number(i % 50) + " mail u" + QByteArray::number(i % 300) + "@acme-corp.io\n";
        writeFile(path(QStringLiteral("t%1.log").arg(f)), text);
        texts.append(text);
    }
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&, t] {
            for (int f = t; f < 4; f += 2) {
                if (!redactFile(path(QStringLiteral("t%1.log").arg(f)), path(QStringLiteral("t%1.out").arg(f)),
                                redactor, RedactionPlan(), map))
                    ++failures;
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(failures.load(), 0);
    const int size = map.size();
    std::set<QByteArray> tokens;
    for (const PseudonymMap::Entry &e : map.entries())
        tokens.insert(e.token);
    QCOMPARE(int(tokens.size()), size);
    for (int f = 0; f < 4; ++f) {
        const QByteArray &text = texts[f];
        QCOMPARE(readAll(path(QStringLiteral("t%1.out").arg(f))),
                 redactor.redact(std::string_view(text.constData(), size_t(text.size())), map));
    }
    QCOMPARE(map.size(), size); // nothing new: every value already had its token
}

// entries() and the saved map list values by kind, then number: a run's
// numbers are dense, a loaded map's may have gaps or a number twice.
void TestRedactFile::mapOrder()
{
    const auto tokens = [](const PseudonymMap &map) {
        QList<QByteArray> out;
        for (const PseudonymMap::Entry &e : map.entries())
            out.append(e.token);
        return out;
    };
    PseudonymMap map;
    for (const char *value : {"u1", "h1", "u2", "e1", "h2", "u3"}) {
        const QString kind = value[0] == 'u'   ? QStringLiteral("user")
                             : value[0] == 'h' ? QStringLiteral("host")
                                               : QStringLiteral("email");
        map.tokenFor(kind, value);
    }
    QCOMPARE(tokens(map), (QList<QByteArray>{"[email-1]", "[host-1]", "[host-2]", "[user-1]", "[user-2]", "[user-3]"}));
    PseudonymMap loaded;
    QVERIFY(loaded
                .loadJson(R"({"formatVersion": 1, "entries": [
                    {"kind": "user", "token": "[user-90]", "value": "c"},
                    {"kind": "user", "token": "[user-1]", "value": "a"},
                    {"kind": "host", "token": "[host-5]", "value": "x"},
                    {"kind": "user", "token": "[user-5]", "value": "b"},
                    {"kind": "host", "token": "[host-5]", "value": "y"}]})")
                .has_value());
    const QList<QByteArray> order = tokens(loaded);
    QCOMPARE(order, (QList<QByteArray>{"[host-5]", "[host-5]", "[user-1]", "[user-5]", "[user-90]"}));
}

void TestRedactFile::largeMapSave()
{
    // Saved in blocks made on several threads: the entries in map order, each
    // once, the omitted ones (the first two among them) left out.
    PseudonymMap map;
    constexpr int kUsers = 70000;
    constexpr int kHosts = 30000;
    for (int i = 0; i < kUsers; ++i) {
        const QByteArray value = "u" + QByteArray::number(i);
        map.tokenFor(QStringLiteral("user"), std::string_view(value.constData(), size_t(value.size())));
        if (i < kHosts) {
            const QByteArray host = "h" + QByteArray::number(i);
            map.tokenFor(QStringLiteral("host"), std::string_view(host.constData(), size_t(host.size())));
        }
    }
    const QSet<QByteArray> omit = {"[host-1]", "[host-2]", "[user-40000]", "[user-70000]"};
    const QString file = path(QStringLiteral("large-map.json"));
    QVERIFY(map.save(file, omit).has_value());
    PseudonymMap loaded;
    QVERIFY(loaded.load(file).has_value());
    QCOMPARE(loaded.size(), kUsers + kHosts - int(omit.size()));
    const QList<PseudonymMap::Entry> entries = loaded.entries();
    QCOMPARE(entries.constFirst().token, QByteArray("[host-3]"));
    QCOMPARE(entries.constLast().token, QByteArray("[user-69999]"));
    QCOMPARE(entries[kHosts - 2].token, QByteArray("[user-1]"));
    QCOMPARE(entries[kHosts - 2 + 39998].token, QByteArray("[user-39999]"));
    QCOMPARE(entries[kHosts - 2 + 39999].token, QByteArray("[user-40001]"));
    QCOMPARE(*loaded.find(QStringLiteral("user"), "u12345"), QByteArray("[user-12346]"));
    QVERIFY(!loaded.find(QStringLiteral("host"), "h0"));
    QCOMPARE(loaded.toJson(), [&] {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }());
}

void TestRedactFile::mapOriginalsAndDuplicates()
{
    PseudonymMap map;
    QCOMPARE(map.tokenFor(QStringLiteral("host"), "db1.acme.io", "DB1.acme.io"), QByteArray("[host-1]"));
    QCOMPARE(map.tokenFor(QStringLiteral("host"), "db2.acme.io", "db2.acme.io"), QByteArray("[host-2]"));
    QCOMPARE(map.tokenFor(QStringLiteral("host"), "db3.acme.io"), QByteArray("[host-3]"));
    QCOMPARE(map.tokenFor(QStringLiteral("host"), "db1.acme.io", "Db1.Acme.io"), QByteArray("[host-1]"));
    QCOMPARE(map.tokenFor(std::string_view("host"), "db2.acme.io"), QByteArray("[host-2]"));
    const QList<PseudonymMap::Entry> entries = map.entries();
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries[0].original, QByteArray("DB1.acme.io")); // the first occurrence as written
    QCOMPARE(entries[1].original, QByteArray("db2.acme.io"));
    QCOMPARE(entries[2].original, QByteArray("db3.acme.io"));
    QCOMPARE(entries[2].value, QByteArray("db3.acme.io"));
    QCOMPARE(entries[2].kind, QStringLiteral("host"));

    // A file naming one value twice: the last entry wins; numbering goes on after the highest.
    PseudonymMap loaded;
    QVERIFY(loaded
                .loadJson(R"({"formatVersion": 1, "entries": [
                    {"kind": "ipv4", "token": "[ipv4-4]", "value": "10.0.0.1", "original": "10.0.0.1"},
                    {"kind": "ipv4", "token": "[ipv4-7]", "value": "10.0.0.1"},
                    {"kind": "user", "token": "[user-2]", "value": "jdoe", "original": "JDoe"}]})")
                .has_value());
    QCOMPARE(loaded.size(), 2);
    QCOMPARE(*loaded.find(QStringLiteral("ipv4"), "10.0.0.1"), QByteArray("[ipv4-7]"));
    QCOMPARE(loaded.tokenFor(QStringLiteral("ipv4"), "10.0.0.2"), QByteArray("[ipv4-8]"));
    QCOMPARE(loaded.tokenFor(QStringLiteral("user"), "jdoe"), QByteArray("[user-2]"));
    QCOMPARE(loaded.tokenFor(QStringLiteral("user"), "mroe"), QByteArray("[user-3]"));
    QCOMPARE(loaded.entries().constLast().original, QByteArray("mroe"));
    const QJsonObject first =
        QJsonDocument::fromJson(loaded.toJson()).object().value(QLatin1String("entries")).toArray().first().toObject();
    QCOMPARE(first.value(QLatin1String("original")).toString(), QStringLiteral("10.0.0.1"));
    loaded.clear();
    QCOMPARE(loaded.size(), 0);
    QCOMPARE(loaded.tokenFor(QStringLiteral("ipv4"), "10.0.0.1"), QByteArray("[ipv4-1]"));
}

// Issue 18: a redacted copy that does not fit says why, not "Unknown error",
// and leaves no half-written file.
void TestRedactFile::fullDiskSaysNoSpace_data()
{
    QTest::addColumn<bool>("durable");
    QTest::newRow("staging copy") << false;
    QTest::newRow("redact command") << true;
}

void TestRedactFile::fullDiskSaysNoSpace()
{
    QFETCH(bool, durable);
    dc::test::SmallDisk disk(m_dir.filePath(QStringLiteral("disk")), QStringLiteral("1m"));
    DC_REQUIRE_SMALL_DISK(disk);
    const QString in = m_dir.filePath(QStringLiteral("big.log"));
    QByteArray big;
    while (big.size() < 3 * 1024 * 1024)
        big += kLog + '\n';
    writeFile(in, big);
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    StreamOptions options;
    options.durableOutput = durable;
    const QString out = disk.path() + QStringLiteral("/big.log");
    auto outcome = redactFile(in, out, redactor, RedactionPlan(), map, QString(), options);
    QVERIFY(!outcome);
    const QString noSpace = QString::fromLocal8Bit(std::strerror(ENOSPC));
    QVERIFY2(outcome.error().message.contains(noSpace) && outcome.error().message.contains(out),
             qPrintable(outcome.error().message));
    QVERIFY(QDir(disk.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
}

// A staged file that becomes its own redacted copy (StreamOptions::replacesInput)
// holds what a separate copy would, with the same hash; a rewrite that fails
// removes the file rather than leave its unredacted bytes under the output's name.
void TestRedactFile::rewriteInPlace()
{
    const Redactor redactor(RedactionRules::defaults(testContext()));
    const QString original = path(QStringLiteral("original.log"));
    writeFile(original, kLog);
    PseudonymMap copyMap;
    auto copied = redactFile(original, path(QStringLiteral("copy.log")), redactor, RedactionPlan(), copyMap);
    QVERIFY(copied);
    const QByteArray expected = readAll(path(QStringLiteral("copy.log")));
    QCOMPARE(copied->sha256, Sha256::hex(expected));

    const QString staged = path(QStringLiteral("staged.log"));
    writeFile(staged, kLog);
    PseudonymMap map;
    StreamOptions options;
    options.durableOutput = false;
    options.replacesInput = true;
    options.chunkSize = 64; // many regions, all held until the input is read
    auto rewritten = redactFile(staged, staged, redactor, RedactionPlan(), map, QString(), options);
    QVERIFY2(rewritten, rewritten ? "" : qPrintable(rewritten.error().message));
    QVERIFY(rewritten->written);
    QCOMPARE(readAll(staged), expected);
    QCOMPARE(rewritten->sha256, Sha256::hex(expected));
    QCOMPARE(rewritten->bytesOut, qint64(expected.size()));

    // Cancelled after the sniffed head (64 KiB), while the rest is read.
    writeFile(staged, QByteArray(kLog + '\n').repeated(1000));
    options.isCancelled = [] { return true; };
    QVERIFY(!redactFile(staged, staged, redactor, RedactionPlan(), map, QString(), options));
    QVERIFY(!QFileInfo::exists(staged));
}

// The scan pass runs files in parallel; pseudonyms must still be numbered and
// first spellings kept exactly as one sequential scan in manifest order does.
void TestRedactFile::parallelScanNumbersAsSequential()
{
    const QString staging = m_dir.filePath(QStringLiteral("staging"));
    QVERIFY(QDir().mkpath(staging));
    QList<StagedEntry> entries;
    for (int f = 0; f < 6; ++f) {
        QByteArray text;
        // Each file repeats some values of the others in another order and case,
        // and has its own; file 2 is large so that later files finish first.
        const int lines = f == 2 ? 20000 : 200;
        for (int i = 0; i < lines; ++i) {
            const int shared = (i * 7 + f) % 50;
            text += "Jan 10 10:00:01 host-" + QByteArray::number(shared) + " sshd[1]: Accepted for user" +
                    QByteArray::number(shared) + " from 10.1." + QByteArray::number(f) + "." +
                    QByteArray::number(i % 200) + " mail " + (i % 2 ? "Jane" : "jane") + QByteArray::number(shared) +
                    "@Example.org\n";
        }
        const QString name = QStringLiteral("f%1.log").arg(f);
        writeFile(staging + QLatin1Char('/') + name, text);
        entries.append(StagedEntry{name, QStringLiteral("item"), Category::ServiceLogs, qint64(text.size())});
    }
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap sequential;
    for (const StagedEntry &entry : std::as_const(entries))
        QVERIFY(scanFile(staging + QLatin1Char('/') + entry.path, redactor, sequential, entry.path));
    for (int round = 0; round < 3; ++round) {
        PseudonymMap parallel;
        auto scans = scanStaging(staging, entries, redactor, parallel, {}, nullptr, 100);
        QVERIFY(scans);
        QCOMPARE(scans->size(), entries.size());
        QCOMPARE(parallel.toJson(), sequential.toJson());
        // Stored findings carry the same tokens as the sequential map gives.
        for (const FileFindings &scan : std::as_const(*scans)) {
            QVERIFY(!scan.findings.isEmpty());
            for (const Finding &finding : scan.findings)
                QVERIFY2(!finding.token.isEmpty() && sequential.toJson().contains(finding.token),
                         finding.token.constData());
        }
    }
}

QTEST_GUILESS_MAIN(TestRedactFile)
#include "test_redactfile.moc"
