// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/manifest.h"
#include "core/collect/collector.h"
#include "core/collectors/filecollector.h"
#include "tests/core/testuser.h"
#include "tests/support/asnobody.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <memory>
#include <thread>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace dc::core;

namespace {

#ifdef Q_OS_UNIX
using dc::test::AsNobody;
using dc::test::kNobody;
#endif

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestFileCollector : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void singleFileAndDirectory();
    void nonRecursiveDirectory();
    void globsInAnySegment();
    void excludeGlobs();
    void variablesAreExpanded();
    void collisionFallsBackToAbsolutePath();
    void missingPathIsReported();
    void tailKeepsNewestWholeLines();
    void tailWindowOnLineStartKeepsWholeWindow();
    void tailWithoutNewlineKeepsRawBytes();
    void headModeKeepsFirstBytes();
    void rotatedAndCompressed_data();
    void rotatedAndCompressed();
    void explicitRotatedFileIsCollected();
    void maxAgeDays();
    void maxAgeDoesNotFloodSkippedList();
    void maxFilesKeepsNewest();
    void unreadableIsPermissionDenied();
    void symlinkIsFollowedOnlyWhenAllowed();
    void plantedSymlinkToARootFileIsNeverCollected();
    void hardlinkOwnedBySomeoneElseIsSkipped();
    void namesThatOnlyLookRotatedAreCollected();
    void raceSwappingSymlinksDuringCollections();
    void danglingSymlink();
    void symlinkLoop();
    void fifoWithoutWriterDoesNotBlock();
    void devZeroIsSkipped();
    void vanishedWhileCollecting();
    void growingFileTerminates();
    void fileTruncatedWhileReadIsMarkedTruncated();
    void namesThatAreNotUtf8AreCollected();
    void cancelBeforeStart();
    void cancelDuringCopy();
    void stagingIsNeverCollected();

private:
    ItemSpec item(const QStringList &paths) const;
    ItemResult collect(const ItemSpec &spec);
    QString src(const QString &relative = QString()) const;
    QByteArray stagedContent(const FileEntry &entry) const;
    static QStringList stagedPaths(const ItemResult &result);
    static QString skipReason(const ItemResult &result, const QString &source);
    static void writeFile(const QString &path, const QByteArray &data, qint64 ageSecs = 0);
    int filesInStaging() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_staging;
    Profile m_profile;
    std::atomic_bool m_cancel{false};
};

void TestFileCollector::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("src")));
    m_staging = m_dir->path() + QStringLiteral("/staging");
    QVERIFY(QDir().mkpath(m_staging));
    m_cancel = false;
    m_profile = Profile();
}

void TestFileCollector::cleanup()
{
#ifdef Q_OS_UNIX
    // Give removal back its rights on folders a test locked.
    QDirIterator it(m_dir->path(), QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    ::chmod(QFile::encodeName(m_dir->path()).constData(), 0700);
    while (it.hasNext())
        ::chmod(QFile::encodeName(it.next()).constData(), 0700);
#endif
    m_dir.reset();
}

ItemSpec TestFileCollector::item(const QStringList &paths) const
{
    ItemSpec spec;
    spec.id = QStringLiteral("logs");
    spec.title = QStringLiteral("Logs");
    spec.kind = ItemKind::Files;
    spec.category = Category::ServiceLogs;
    spec.maxBytes = 32LL * 1024 * 1024;
    spec.files.paths = paths;
    return spec;
}

ItemResult TestFileCollector::collect(const ItemSpec &spec)
{
    CollectContext ctx(m_staging, m_profile, m_cancel);
    FileCollector collector;
    return collector.collect(spec, ctx);
}

QString TestFileCollector::src(const QString &relative) const
{
    const QString base = m_dir->path() + QStringLiteral("/src");
    return relative.isEmpty() ? base : base + QLatin1Char('/') + relative;
}

QByteArray TestFileCollector::stagedContent(const FileEntry &entry) const
{
    QFile file(m_staging + QLatin1Char('/') + entry.path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray("<missing>");
    return file.readAll();
}

QStringList TestFileCollector::stagedPaths(const ItemResult &result)
{
    QStringList paths;
    for (const FileEntry &file : result.files)
        paths.append(file.path);
    paths.sort();
    return paths;
}

QString TestFileCollector::skipReason(const ItemResult &result, const QString &source)
{
    for (const FileEntry &file : result.skippedFiles)
        if (file.source == source)
            return file.reason;
    return QStringLiteral("<not in skippedFiles>");
}

void TestFileCollector::writeFile(const QString &path, const QByteArray &data, qint64 ageSecs)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(file.write(data), data.size());
    QVERIFY(file.flush()); // a later flush would set the modification time again
    if (ageSecs > 0)
        QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-ageSecs), QFileDevice::FileModificationTime));
}

int TestFileCollector::filesInStaging() const
{
    int count = 0;
    QDirIterator it(m_staging, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

void TestFileCollector::singleFileAndDirectory()
{
    writeFile(src(QStringLiteral("single/app.log")), "one\n");
    writeFile(src(QStringLiteral("dir/a.log")), "a\n");
    writeFile(src(QStringLiteral("dir/sub/b.txt")), "b\n");
    ItemSpec spec = item({src(QStringLiteral("single/app.log")), src(QStringLiteral("dir"))});
    spec.redactable = false;
    const ItemResult result = collect(spec);

    QCOMPARE(result.status, Status::Collected);
    QVERIFY(result.reason.isEmpty());
    QCOMPARE(stagedPaths(result),
             QStringList({QStringLiteral("service-logs/logs/a.log"), QStringLiteral("service-logs/logs/app.log"),
                          QStringLiteral("service-logs/logs/sub/b.txt")}));
    for (const FileEntry &file : result.files) {
        const QByteArray content = stagedContent(file);
        QCOMPARE(file.bytes, content.size());
        QCOMPARE(file.sha256, sha256Hex(content));
        QCOMPARE(file.status, Status::Collected);
        QVERIFY(!file.redactable);
        QVERIFY(QFileInfo(file.source).isAbsolute());
    }
    QCOMPARE(result.bytes(), qint64(8));
    QVERIFY(result.started.isValid() && result.finished.isValid());
    QCOMPARE(result.started.timeSpec(), Qt::UTC);
    QVERIFY(result.started <= result.finished);
}

void TestFileCollector::nonRecursiveDirectory()
{
    writeFile(src(QStringLiteral("a.log")), "a\n");
    writeFile(src(QStringLiteral("sub/b.log")), "b\n");
    ItemSpec spec = item({src()});
    spec.files.recursive = false;
    const ItemResult result = collect(spec);
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/a.log")}));
}

void TestFileCollector::globsInAnySegment()
{
    writeFile(src(QStringLiteral("svc/alpha/current")), "alpha\n");
    writeFile(src(QStringLiteral("svc/beta/current")), "beta\n");
    writeFile(src(QStringLiteral("svc/gamma/other")), "gamma\n");
    writeFile(src(QStringLiteral("svc/.hidden/current")), "hidden\n");
    writeFile(src(QStringLiteral("logs/app1.log")), "1\n");
    writeFile(src(QStringLiteral("logs/app2.log")), "2\n");
    writeFile(src(QStringLiteral("logs/app3.txt")), "3\n");
    writeFile(src(QStringLiteral("logs/bpp1.log")), "b\n");
    const ItemResult result =
        collect(item({src(QStringLiteral("svc/*/current")), src(QStringLiteral("[al]og?/a??[12].log"))}));
    QCOMPARE(result.status, Status::Collected);
    // Relative to the fixed leading folder (".../src/svc" and ".../src").
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/alpha/current"),
                                               QStringLiteral("service-logs/logs/beta/current"),
                                               QStringLiteral("service-logs/logs/logs/app1.log"),
                                               QStringLiteral("service-logs/logs/logs/app2.log")}));

    // A glob matching folders collects their content.
    QVERIFY(QDir(m_staging).removeRecursively() && QDir().mkpath(m_staging));
    const ItemResult dirs = collect(item({src(QStringLiteral("svc/[ab]*"))}));
    QCOMPARE(stagedPaths(dirs), QStringList({QStringLiteral("service-logs/logs/alpha/current"),
                                             QStringLiteral("service-logs/logs/beta/current")}));

    // A glob that matches nothing: nothing collected, not an error.
    QVERIFY(QDir(m_staging).removeRecursively() && QDir().mkpath(m_staging));
    const ItemResult none = collect(item({src(QStringLiteral("nothing/*.log"))}));
    QCOMPARE(none.status, Status::Skipped);
    QVERIFY(none.files.isEmpty());
}

void TestFileCollector::excludeGlobs()
{
    writeFile(src(QStringLiteral("keep.log")), "k\n");
    writeFile(src(QStringLiteral("drop.tmp")), "d\n");
    writeFile(src(QStringLiteral("sub/also.tmp")), "d\n");
    writeFile(src(QStringLiteral("sub/keep2.log")), "k\n");
    ItemSpec spec = item({src()});
    spec.files.exclude = {QStringLiteral("*.tmp")};
    const ItemResult result = collect(spec);
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/keep.log"),
                                               QStringLiteral("service-logs/logs/sub/keep2.log")}));
    QVERIFY(result.skippedFiles.isEmpty());
}

void TestFileCollector::variablesAreExpanded()
{
    writeFile(src(QStringLiteral("app.log")), "v\n");
    m_profile.variables.insert(QStringLiteral("APP_LOGS"), src());
    const ItemResult result = collect(item({QStringLiteral("${APP_LOGS}/app.log")}));
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/app.log")}));
    QCOMPARE(result.files.first().source, src(QStringLiteral("app.log")));
}

void TestFileCollector::collisionFallsBackToAbsolutePath()
{
    writeFile(src(QStringLiteral("one/app.log")), "one\n");
    writeFile(src(QStringLiteral("two/app.log")), "two\n");
    const ItemResult result = collect(item({src(QStringLiteral("one/app.log")), src(QStringLiteral("two/app.log"))}));
    QCOMPARE(result.files.size(), 2);
    QCOMPARE(result.files[0].path, QStringLiteral("service-logs/logs/app.log"));
    QCOMPARE(stagedContent(result.files[0]), QByteArray("one\n"));
    QString absolute = src(QStringLiteral("two/app.log"));
    absolute.remove(0, 1);
    QCOMPARE(result.files[1].path, QStringLiteral("service-logs/logs/") + absolute);
    QCOMPARE(stagedContent(result.files[1]), QByteArray("two\n"));
}

void TestFileCollector::missingPathIsReported()
{
    const QString missing = src(QStringLiteral("nope.log"));
    const ItemResult result = collect(item({missing}));
    QCOMPARE(result.status, Status::Skipped);
    QCOMPARE(skipReason(result, missing), QStringLiteral("not found"));
    QCOMPARE(filesInStaging(), 0);
}

void TestFileCollector::tailKeepsNewestWholeLines()
{
    QByteArray original;
    for (int i = 0; i < 100000; ++i)
        original += QByteArray("line ") + QByteArray::number(i).rightJustified(6, '0') + '\n';
    writeFile(src(QStringLiteral("big.log")), original);
    ItemSpec spec = item({src(QStringLiteral("big.log"))});
    spec.maxBytes = 65536 + 5; // not a multiple of the line length: the window starts mid-line
    const ItemResult result = collect(spec);

    QCOMPARE(result.status, Status::Truncated);
    QCOMPARE(result.files.size(), 1);
    const FileEntry &file = result.files.first();
    const QByteArray kept = stagedContent(file);
    QVERIFY(kept.size() > 60000);
    QVERIFY(kept.size() <= spec.maxBytes);
    QCOMPARE(file.bytes, kept.size());
    QCOMPARE(file.sha256, sha256Hex(kept));
    QVERIFY(original.endsWith(kept));                               // the newest bytes
    QCOMPARE(original.at(original.size() - kept.size() - 1), '\n'); // starting at a line start
    QVERIFY(kept.startsWith("line "));
    QVERIFY(kept.endsWith("line 099999\n"));
    QCOMPARE(file.status, Status::Truncated);
    QCOMPARE(file.reason, QStringLiteral("kept the newest %1 of %2 bytes").arg(kept.size()).arg(original.size()));
    QCOMPARE(result.reason, file.reason);
}

void TestFileCollector::tailWindowOnLineStartKeepsWholeWindow()
{
    QByteArray original;
    for (int i = 0; i < 1000; ++i)
        original += QByteArray("line ") + QByteArray::number(i).rightJustified(6, '0') + '\n'; // 12 bytes each
    writeFile(src(QStringLiteral("app.log")), original);
    ItemSpec spec = item({src(QStringLiteral("app.log"))});
    spec.maxBytes = 12 * 100;
    const ItemResult result = collect(spec);
    QCOMPARE(result.files.size(), 1);
    QCOMPARE(stagedContent(result.files.first()), original.right(1200));
}

void TestFileCollector::tailWithoutNewlineKeepsRawBytes()
{
    const QByteArray original(300 * 1024, 'x');
    writeFile(src(QStringLiteral("blob.log")), original);
    ItemSpec spec = item({src(QStringLiteral("blob.log"))});
    spec.maxBytes = 100 * 1024;
    const ItemResult result = collect(spec);
    QCOMPARE(result.status, Status::Truncated);
    QCOMPARE(stagedContent(result.files.first()).size(), 100 * 1024);
}

void TestFileCollector::headModeKeepsFirstBytes()
{
    QByteArray original;
    for (int i = 0; i < 10000; ++i)
        original += "row " + QByteArray::number(i) + '\n';
    writeFile(src(QStringLiteral("data.txt")), original);
    ItemSpec spec = item({src(QStringLiteral("data.txt"))});
    spec.maxBytes = 1000;
    spec.files.tail = false;
    const ItemResult result = collect(spec);
    QCOMPARE(result.status, Status::Truncated);
    QCOMPARE(stagedContent(result.files.first()), original.left(1000));
    QCOMPARE(result.files.first().reason, QStringLiteral("kept the first 1000 of %1 bytes").arg(original.size()));
}

void TestFileCollector::rotatedAndCompressed_data()
{
    QTest::addColumn<bool>("rotated");
    QTest::addColumn<bool>("compressed");
    QTest::addColumn<QStringList>("expected");
    const QString p = QStringLiteral("service-logs/logs/");
    QTest::newRow("neither") << false << false << QStringList({p + QStringLiteral("app.log")});
    QTest::newRow("rotated") << true << false
                             << QStringList({p + QStringLiteral("app.1.log"), p + QStringLiteral("app.log"),
                                             p + QStringLiteral("app.log-20240101"), p + QStringLiteral("app.log.1")});
    QTest::newRow("compressed") << false << true
                                << QStringList({p + QStringLiteral("app.log"), p + QStringLiteral("dump.gz")});
    QTest::newRow("both") << true << true
                          << QStringList({p + QStringLiteral("app.1.log"), p + QStringLiteral("app.log"),
                                          p + QStringLiteral("app.log-20240101"),
                                          p + QStringLiteral("app.log-20240101.gz"), p + QStringLiteral("app.log.1"),
                                          p + QStringLiteral("app.log.2.gz"), p + QStringLiteral("dump.gz")});
}

void TestFileCollector::rotatedAndCompressed()
{
    QFETCH(bool, rotated);
    QFETCH(bool, compressed);
    QFETCH(QStringList, expected);
    const QByteArray gzipBytes = QByteArray::fromHex("1f8b0800000000000003") + QByteArray(100, '\x01');
    writeFile(src(QStringLiteral("app.log")), "current\n");
    writeFile(src(QStringLiteral("app.log.1")), "rotated\n");
    writeFile(src(QStringLiteral("app.log.2.gz")), gzipBytes);
    writeFile(src(QStringLiteral("app.log-20240101")), "dated\n");
    writeFile(src(QStringLiteral("app.log-20240101.gz")), gzipBytes);
    writeFile(src(QStringLiteral("app.1.log")), "numbered\n");
    writeFile(src(QStringLiteral("dump.gz")), gzipBytes);
    // Through a glob, too.
    ItemSpec spec = item({src(QStringLiteral("*"))});
    spec.files.rotated = rotated;
    spec.files.compressed = compressed;
    const ItemResult result = collect(spec);
    QCOMPARE(stagedPaths(result), expected);
    for (const FileEntry &file : result.files) // compressed files are stored as they are
        if (file.path.endsWith(QLatin1String(".gz")))
            QCOMPARE(stagedContent(file), gzipBytes);
}

void TestFileCollector::explicitRotatedFileIsCollected()
{
    writeFile(src(QStringLiteral("app.log.1")), "named\n");
    const ItemResult result = collect(item({src(QStringLiteral("app.log.1"))}));
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/app.log.1")}));
}

void TestFileCollector::maxAgeDays()
{
    writeFile(src(QStringLiteral("new.log")), "new\n", 3600);
    writeFile(src(QStringLiteral("old.log")), "old\n", 10 * 24 * 3600);
    ItemSpec spec = item({src()});
    spec.files.maxAgeDays = 7;
    const ItemResult result = collect(spec);
    QCOMPARE(result.status, Status::Collected);
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/new.log")}));
    QCOMPARE(skipReason(result, src(QStringLiteral("old.log"))), QStringLiteral("older than 7 days"));
}

void TestFileCollector::maxAgeDoesNotFloodSkippedList()
{
    for (int i = 0; i < 80; ++i)
        writeFile(src(QStringLiteral("old%1.log").arg(i, 3, 10, QLatin1Char('0'))), "old\n", 30 * 24 * 3600);
    writeFile(src(QStringLiteral("new.log")), "new\n");
    ItemSpec spec = item({src()});
    spec.files.maxAgeDays = 7;
    const ItemResult result = collect(spec);
    QCOMPARE(result.files.size(), 1);
    QCOMPARE(result.skippedFiles.size(), 51);
    QCOMPARE(result.skippedFiles.last().reason, QStringLiteral("and 30 more: older than 7 days"));
}

void TestFileCollector::maxFilesKeepsNewest()
{
    for (int i = 1; i <= 5; ++i) // f1 is the newest
        writeFile(src(QStringLiteral("f%1.log").arg(i)), "x\n", i * 3600);
    ItemSpec spec = item({src()});
    spec.files.maxFiles = 3;
    const ItemResult result = collect(spec);
    QCOMPARE(result.status, Status::Truncated);
    QCOMPARE(stagedPaths(result),
             QStringList({QStringLiteral("service-logs/logs/f1.log"), QStringLiteral("service-logs/logs/f2.log"),
                          QStringLiteral("service-logs/logs/f3.log")}));
    QVERIFY2(result.reason.contains(QLatin1String("3 of 5")), qPrintable(result.reason));
}

void TestFileCollector::unreadableIsPermissionDenied()
{
#ifdef Q_OS_UNIX
    writeFile(src(QStringLiteral("secret.log")), "secret\n");
    writeFile(src(QStringLiteral("open.log")), "open\n");
    writeFile(src(QStringLiteral("locked/inner.log")), "inner\n");
    QVERIFY(::chmod(QFile::encodeName(src(QStringLiteral("secret.log"))).constData(), 0) == 0);
    QVERIFY(::chmod(QFile::encodeName(src(QStringLiteral("locked"))).constData(), 0) == 0);
    if (::geteuid() == 0) {
        // Let the unprivileged user reach the sources and write to staging.
        QVERIFY(::chmod(QFile::encodeName(m_dir->path()).constData(), 0755) == 0);
        QVERIFY(::chmod(QFile::encodeName(src()).constData(), 0755) == 0);
        QVERIFY(::chown(QFile::encodeName(m_staging).constData(), kNobody, kNobody) == 0);
    } else if (QFile(src(QStringLiteral("secret.log"))).open(QIODevice::ReadOnly)) {
        QSKIP("this user can read any file");
    }
    ItemResult result;
    {
        AsNobody nobody;
        result = collect(item({src()}));
    }
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/open.log")}));
    QCOMPARE(skipReason(result, src(QStringLiteral("secret.log"))), QStringLiteral("permission denied"));
    QCOMPARE(skipReason(result, src(QStringLiteral("locked"))), QStringLiteral("permission denied"));
    QCOMPARE(result.status, Status::Collected);

    // Nothing else readable: the item is skipped with the reason.
    QVERIFY(QDir(m_staging + QStringLiteral("/service-logs")).removeRecursively());
    {
        AsNobody nobody;
        result = collect(item({src(QStringLiteral("secret.log"))}));
    }
    QCOMPARE(result.status, Status::Skipped);
    QCOMPARE(result.reason, QStringLiteral("permission denied"));
#else
    QSKIP("POSIX permissions");
#endif
}

void TestFileCollector::symlinkIsFollowedOnlyWhenAllowed()
{
    writeFile(src(QStringLiteral("target/real.log")), "real\n");
    QVERIFY(QDir().mkpath(src(QStringLiteral("links"))));
    QVERIFY(QFile::link(src(QStringLiteral("target/real.log")), src(QStringLiteral("links/link.log"))));
    // By default a link is recorded, not followed.
    const ItemResult plain = collect(item({src(QStringLiteral("links"))}));
    QVERIFY(plain.files.isEmpty());
    QCOMPARE(skipReason(plain, src(QStringLiteral("links/link.log"))),
             QStringLiteral("symbolic link to %1 (not followed)").arg(src(QStringLiteral("target/real.log"))));
    // follow_symlinks: followed when the target stays below the item's root ...
    ItemSpec spec = item({src()});
    spec.files.followSymlinks = true;
    spec.files.exclude = {QStringLiteral("real.log")};
    const ItemResult followed = collect(spec);
    QCOMPARE(stagedPaths(followed), QStringList({QStringLiteral("service-logs/logs/links/link.log")}));
    QCOMPARE(stagedContent(followed.files.first()), QByteArray("real\n"));
    // ... and not when it leads out of it.
    QVERIFY(QDir(m_staging).removeRecursively() && QDir().mkpath(m_staging));
    ItemSpec narrow = item({src(QStringLiteral("links"))});
    narrow.files.followSymlinks = true;
    const ItemResult outside = collect(narrow);
    QVERIFY(outside.files.isEmpty());
    QVERIFY2(skipReason(outside, src(QStringLiteral("links/link.log"))).contains(QStringLiteral("outside")),
             qPrintable(skipReason(outside, src(QStringLiteral("links/link.log")))));
}

// Issue 14, item 2: "shadow.log -> /etc/shadow" in a user's log folder, found by a
// walk, a glob, a glob through a symlinked folder or named in full, never puts a
// byte of the target into staging; the manifest says why.
void TestFileCollector::plantedSymlinkToARootFileIsNeverCollected()
{
    dc::test::TestUser user;
    DC_REQUIRE_TEST_USER(user);
    const QString secretDir = m_dir->path() + QStringLiteral("/root-only");
    writeFile(secretDir + QStringLiteral("/shadow"), "root:$6$SECRETHASH:19000::::::\n");
    ::chmod(QFile::encodeName(secretDir + QStringLiteral("/shadow")).constData(), 0600);
    ::chmod(QFile::encodeName(src()).constData(), 0755);
    const QString logs = src(QStringLiteral("product-logs"));
    writeFile(logs + QStringLiteral("/app.log"), "ordinary\n");
    QVERIFY(QFile::link(secretDir + QStringLiteral("/shadow"), logs + QStringLiteral("/shadow.log")));
    QVERIFY(QFile::link(secretDir, logs + QStringLiteral("/sub")));
    for (const QString &path : QStringList{logs, logs + QStringLiteral("/app.log"),
                                           logs + QStringLiteral("/shadow.log"), logs + QStringLiteral("/sub")})
        QVERIFY(user.own(path));

    const QList<QStringList> patterns = {
        {logs},
        {logs + QStringLiteral("/*.log")},
        {logs + QStringLiteral("/*/shadow")},
        {logs + QStringLiteral("/*")},
        {logs + QStringLiteral("/shadow.log")},
    };
    for (bool follow : {false, true}) {
        for (const QStringList &paths : patterns) {
            ItemSpec spec = item(paths);
            spec.files.followSymlinks = follow; // the target is outside the root either way
            const ItemResult result = collect(spec);
            QDirIterator it(m_staging, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile staged(it.next());
                QVERIFY(staged.open(QIODevice::ReadOnly));
                QVERIFY2(!staged.readAll().contains("SECRETHASH"), qPrintable(paths.join(QLatin1Char(' '))));
            }
            bool explained = false;
            for (const FileEntry &skipped : result.skippedFiles)
                explained = explained || skipped.reason.startsWith(QStringLiteral("symbolic link"));
            QVERIFY2(explained || !result.reason.isEmpty(), qPrintable(paths.join(QLatin1Char(' '))));
            QVERIFY(QDir(m_staging).removeRecursively() && QDir().mkpath(m_staging));
        }
    }
    // Named in full: skipped with the reason as the item's reason.
    const ItemResult named = collect(item({logs + QStringLiteral("/shadow.log")}));
    QCOMPARE(named.status, Status::Skipped);
    QVERIFY2(named.reason.startsWith(QStringLiteral("symbolic link to")), qPrintable(named.reason));
}

void TestFileCollector::hardlinkOwnedBySomeoneElseIsSkipped()
{
    dc::test::TestUser user;
    DC_REQUIRE_TEST_USER(user);
    const QString secret = m_dir->path() + QStringLiteral("/root-only/shadow");
    writeFile(secret, "root:$6$SECRETHASH:19000::::::\n");
    const QString logs = src(QStringLiteral("product-logs"));
    writeFile(logs + QStringLiteral("/app.log"), "ordinary\n");
    QVERIFY(user.own(logs) && user.own(logs + QStringLiteral("/app.log")));
    // As the kernel's protected_hardlinks would stop a user, root plants it here.
    QCOMPARE(::link(QFile::encodeName(secret).constData(),
                    QFile::encodeName(logs + QStringLiteral("/shadow.log")).constData()),
             0);
    const ItemResult result = collect(item({logs}));
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/app.log")}));
    QVERIFY2(skipReason(result, logs + QStringLiteral("/shadow.log"))
                 .startsWith(QStringLiteral("hard link to a file "
                                            "owned by root")),
             qPrintable(skipReason(result, logs + QStringLiteral("/shadow.log"))));
}

// Issue 14, item 8: names that only look rotated are ordinary logs; a real rotated
// copy that is left out is listed with the reason.
void TestFileCollector::namesThatOnlyLookRotatedAreCollected()
{
    writeFile(src(QStringLiteral("host-203.0.113.9.log")), "by address\n");
    writeFile(src(QStringLiteral("app.2024.log")), "by year\n");
    writeFile(src(QStringLiteral("db.log.1")), "rotated\n");
    writeFile(src(QStringLiteral("db.log")), "live\n");
    const ItemResult result = collect(item({src()}));
    QCOMPARE(stagedPaths(result),
             QStringList({QStringLiteral("service-logs/logs/app.2024.log"), QStringLiteral("service-logs/logs/db.log"),
                          QStringLiteral("service-logs/logs/host-203.0.113.9.log")}));
    QVERIFY2(skipReason(result, src(QStringLiteral("db.log.1"))).startsWith(QStringLiteral("rotated copy of db.log")),
             qPrintable(skipReason(result, src(QStringLiteral("db.log.1")))));
}

// Issue 14: a helper swaps symlinks in a tight loop during 200 collections of a
// small folder; nothing outside it is read, and no file outside changes.
void TestFileCollector::raceSwappingSymlinksDuringCollections()
{
    dc::test::TestUser user;
    DC_REQUIRE_TEST_USER(user);
    const QString secretDir = m_dir->path() + QStringLiteral("/root-only");
    const QString secret = secretDir + QStringLiteral("/shadow");
    writeFile(secret, "root:$6$SECRETHASH:19000::::::\n");
    ::chmod(QFile::encodeName(secret).constData(), 0600);
    const auto before = dc::test::fileState(secret);
    const QString logs = src(QStringLiteral("product-logs"));
    writeFile(logs + QStringLiteral("/app.log"), "ordinary\n");
    writeFile(logs + QStringLiteral("/sub/inner.log"), "inner\n");
    QVERIFY(user.own(logs));

    std::atomic_bool stop{false};
    std::atomic_int swaps{0};
    std::thread swapper([&] {
        const QByteArray file = QFile::encodeName(logs + QStringLiteral("/swap.log"));
        const QByteArray sub = QFile::encodeName(logs + QStringLiteral("/sub"));
        const QByteArray subAside = QFile::encodeName(logs + QStringLiteral("/sub.real"));
        const QByteArray temp = QFile::encodeName(logs + QStringLiteral("/.tmp-link"));
        const QByteArray target = QFile::encodeName(secret);
        const QByteArray targetDir = QFile::encodeName(secretDir);
        while (!stop) {
            ::unlink(temp.constData());
            if (::symlink(target.constData(), temp.constData()) == 0) {
                ::lchown(temp.constData(), user.uid(), user.gid());
                ::rename(temp.constData(), file.constData());
            }
            ::rename(sub.constData(), subAside.constData());
            ::symlink(targetDir.constData(), sub.constData());
            // Long enough for a walk that saw the folder to try listing it.
            std::this_thread::sleep_for(std::chrono::microseconds(300));
            ::unlink(sub.constData());
            ::rename(subAside.constData(), sub.constData());
            QFile regular(QFile::decodeName(file) + QStringLiteral(".new"));
            if (regular.open(QIODevice::WriteOnly)) {
                regular.write("swapped in\n");
                regular.close();
                ::rename(QFile::encodeName(regular.fileName()).constData(), file.constData());
            }
            ++swaps;
        }
    });
    QElapsedTimer timer;
    timer.start();
    int leaked = 0;
    for (int round = 0; round < 200; ++round) {
        ItemSpec spec = item({logs, logs + QStringLiteral("/*/*.log"), logs + QStringLiteral("/swap.log")});
        spec.files.followSymlinks = (round % 2) == 1;
        const ItemResult result = collect(spec);
        for (const FileEntry &file : result.files)
            if (stagedContent(file).contains("SECRETHASH"))
                ++leaked;
        // Not even a name from the root-only folder: a folder swapped for a link is never listed.
        for (const FileEntry &skipped : result.skippedFiles)
            if (skipped.source.endsWith(QStringLiteral("/sub/shadow")))
                ++leaked;
        QDir(m_staging).removeRecursively();
        QDir().mkpath(m_staging);
    }
    stop = true;
    swapper.join();
    qInfo("200 collections in %lld ms, %d swaps", timer.elapsed(), swaps.load());
    QCOMPARE(leaked, 0);
    QVERIFY(swaps > 0);
    QVERIFY(dc::test::fileState(secret) == before);
}

void TestFileCollector::danglingSymlink()
{
    QVERIFY(QFile::link(src(QStringLiteral("gone.log")), src(QStringLiteral("dangling.log"))));
    writeFile(src(QStringLiteral("ok.log")), "ok\n");
    const ItemResult result = collect(item({src()}));
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/ok.log")}));
    QCOMPARE(skipReason(result, src(QStringLiteral("dangling.log"))), QStringLiteral("dangling symlink"));

    const ItemResult named = collect(item({src(QStringLiteral("dangling.log"))}));
    QCOMPARE(named.status, Status::Skipped);
    QCOMPARE(named.reason, QStringLiteral("dangling symlink"));
}

void TestFileCollector::symlinkLoop()
{
    QVERIFY(QFile::link(src(QStringLiteral("b")), src(QStringLiteral("a"))));
    QVERIFY(QFile::link(src(QStringLiteral("a")), src(QStringLiteral("b"))));
    QElapsedTimer timer;
    timer.start();
    const ItemResult named = collect(item({src(QStringLiteral("a"))}));
    QCOMPARE(named.status, Status::Skipped);
    QCOMPARE(named.reason, QStringLiteral("symlink loop"));

    const ItemResult listed = collect(item({src()}));
    QCOMPARE(skipReason(listed, src(QStringLiteral("a"))), QStringLiteral("symlink loop"));
    QCOMPARE(skipReason(listed, src(QStringLiteral("b"))), QStringLiteral("symlink loop"));
    QVERIFY(timer.elapsed() < 10000);
}

void TestFileCollector::fifoWithoutWriterDoesNotBlock()
{
#ifdef Q_OS_UNIX
    QVERIFY(::mkfifo(QFile::encodeName(src(QStringLiteral("pipe"))).constData(), 0600) == 0);
    writeFile(src(QStringLiteral("ok.log")), "ok\n");
    QElapsedTimer timer;
    timer.start();
    const ItemResult named = collect(item({src(QStringLiteral("pipe"))}));
    QCOMPARE(named.status, Status::Skipped);
    QCOMPARE(named.reason, QStringLiteral("not a regular file (FIFO)"));
    const ItemResult listed = collect(item({src()}));
    QCOMPARE(stagedPaths(listed), QStringList({QStringLiteral("service-logs/logs/ok.log")}));
    QCOMPARE(skipReason(listed, src(QStringLiteral("pipe"))), QStringLiteral("not a regular file (FIFO)"));
    QVERIFY(timer.elapsed() < 10000);
#else
    QSKIP("FIFOs are a Unix thing");
#endif
}

void TestFileCollector::devZeroIsSkipped()
{
#ifdef Q_OS_UNIX
    QElapsedTimer timer;
    timer.start();
    const ItemResult result = collect(item({QStringLiteral("/dev/zero")}));
    QCOMPARE(result.status, Status::Skipped);
    QCOMPARE(result.reason, QStringLiteral("not a regular file (character device)"));
    QCOMPARE(filesInStaging(), 0);
    QVERIFY(timer.elapsed() < 10000);
#else
    QSKIP("no /dev/zero");
#endif
}

void TestFileCollector::vanishedWhileCollecting()
{
    // a-big.log is copied first (files go in name order); while it is, the
    // others, already listed, are deleted.
    {
        QFile big(src(QStringLiteral("a-big.log")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(64LL * 1024 * 1024)); // sparse
    }
    for (int i = 1; i <= 3; ++i)
        writeFile(src(QStringLiteral("b%1.log").arg(i)), "b\n");
    ItemSpec spec = item({src()});
    spec.maxBytes = 128LL * 1024 * 1024;
    const QString stagedBig = m_staging + QStringLiteral("/service-logs/logs/a-big.log");
    std::atomic_bool done{false};
    std::thread remover([&] {
        while (!done && !QFileInfo::exists(stagedBig))
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        for (int i = 1; i <= 3; ++i)
            QFile::remove(src(QStringLiteral("b%1.log").arg(i)));
    });
    const ItemResult result = collect(spec);
    done = true;
    remover.join();
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/a-big.log")}));
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(skipReason(result, src(QStringLiteral("b%1.log").arg(i))),
                 QStringLiteral("vanished while collecting"));
    QCOMPARE(result.status, Status::Collected);
}

void TestFileCollector::growingFileTerminates()
{
    const QString path = src(QStringLiteral("growing.log"));
    const qint64 initial = 4LL * 1024 * 1024;
    writeFile(path, QByteArray(initial, 'g'));
    std::atomic_bool stop{false};
    std::thread writer([&] {
        QFile file(path);
        if (!file.open(QIODevice::Append))
            return;
        const QByteArray chunk(64 * 1024, 'a');
        while (!stop) {
            file.write(chunk);
            file.flush();
        }
    });
    ItemSpec spec = item({path});
    spec.maxBytes = 1LL << 40;
    QElapsedTimer timer;
    timer.start();
    const ItemResult result = collect(spec);
    const qint64 elapsed = timer.elapsed();
    stop = true;
    writer.join();
    QVERIFY2(elapsed < 10000, qPrintable(QString::number(elapsed)));
    QCOMPARE(result.files.size(), 1);
    QVERIFY(result.files.first().bytes >= initial);
    QCOMPARE(result.files.first().sha256, sha256Hex(stagedContent(result.files.first())));
}

// Issue 18, item 4: a log cut to nothing while it is copied (copytruncate) was
// marked collected, ending mid-line; it is truncated, with sizes and times.
void TestFileCollector::fileTruncatedWhileReadIsMarkedTruncated()
{
    const QString path = src(QStringLiteral("cut.log"));
    {
        QFile big(path);
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(256LL * 1024 * 1024)); // sparse
    }
    ItemSpec spec = item({path});
    spec.maxBytes = 512LL * 1024 * 1024;
    const QString staged = m_staging + QStringLiteral("/service-logs/logs/cut.log");
    std::atomic_bool done{false};
    std::thread truncater([&] {
        while (!done && !QFileInfo::exists(staged))
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        QVERIFY(::truncate(QFile::encodeName(path).constData(), 0) == 0);
    });
    const ItemResult result = collect(spec);
    done = true;
    truncater.join();
    QCOMPARE(result.files.size(), 1);
    const FileEntry &file = result.files.first();
    QVERIFY2(file.bytes < 256LL * 1024 * 1024, "the copy ended before the file was cut: the test is too slow");
    QCOMPARE(file.status, Status::Truncated);
    QVERIFY2(file.reason.startsWith(QStringLiteral("the file shrank while it was read (268435456 bytes when opened, "
                                                   "0 after")),
             qPrintable(file.reason));
    QVERIFY2(file.reason.endsWith(QStringLiteral("kept %1 bytes").arg(file.bytes)), qPrintable(file.reason));
    QCOMPARE(result.status, Status::Truncated);
}

// Issue 18, item 2: "caf\xe9.log" (a Latin-1 name) was in neither files nor
// not_collected when matched by a glob, and "vanished" in a folder walk. It is
// collected under an escaped name, with its bytes in the manifest.
void TestFileCollector::namesThatAreNotUtf8AreCollected()
{
#ifdef Q_OS_UNIX
    const auto makeRaw = [](const QByteArray &path, const QByteArray &content) {
        const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        QVERIFY(fd >= 0);
        QCOMPARE(::write(fd, content.constData(), size_t(content.size())), ssize_t(content.size()));
        ::close(fd);
    };
    for (const bool glob : {true, false}) {
        cleanup(); // each pass in a fresh folder
        init();
        const QString pattern = glob ? src(QStringLiteral("*.log")) : src();
        const QByteArray latin1 = QFile::encodeName(src()) + "/caf\xe9.log";
        // QTemporaryDir cannot remove a name that is not UTF-8.
        const auto removeRaw = qScopeGuard([&] { ::unlink(latin1.constData()); });
        makeRaw(latin1, "latin-1 name\n");
        // A real name that looks like the escape of the other one.
        writeFile(src(QStringLiteral("caf%E9.log")), "a real percent name\n");
        writeFile(src(QStringLiteral("plain.log")), "plain\n");
        const ItemResult result = collect(item({pattern}));
        QVERIFY2(result.skippedFiles.isEmpty(), qPrintable(result.skippedFiles.value(0).reason));
        QCOMPARE(result.files.size(), 3);
        const FileEntry *raw = nullptr;
        for (const FileEntry &file : result.files)
            if (!file.sourceBytes.isEmpty())
                raw = &file;
        QVERIFY(raw);
        QCOMPARE(raw->sourceBytes, QFile::encodeName(src()) + "/caf\xe9.log");
        QCOMPARE(raw->source, src(QStringLiteral("caf%E9.log")));
        QCOMPARE(stagedContent(*raw), QByteArray("latin-1 name\n"));
        QVERIFY2(!raw->path.contains(QChar::ReplacementCharacter), qPrintable(raw->path));
        // The real "caf%E9.log" and the escaped name did not overwrite each other.
        QStringList contents;
        for (const FileEntry &file : result.files)
            contents << QString::fromUtf8(stagedContent(file));
        contents.sort();
        QCOMPARE(contents, (QStringList{QStringLiteral("a real percent name\n"), QStringLiteral("latin-1 name\n"),
                                        QStringLiteral("plain\n")}));
        QCOMPARE(result.status, Status::Collected);

        // The manifest keeps the exact bytes.
        Manifest manifest;
        manifest.items.append(result);
        auto parsed = Manifest::fromJson(manifest.toJson());
        QVERIFY(parsed);
        bool found = false;
        for (const FileEntry &file : parsed->items.first().files)
            found = found || file.sourceBytes == QFile::encodeName(src()) + "/caf\xe9.log";
        QVERIFY(found);
        QVERIFY(manifest.toJson().contains("\"source_bytes_hex\""));
    }
#else
    QSKIP("file names are UTF-16 on Windows");
#endif
}

void TestFileCollector::cancelBeforeStart()
{
    writeFile(src(QStringLiteral("a.log")), "a\n");
    m_cancel = true;
    const ItemResult result = collect(item({src()}));
    QCOMPARE(result.status, Status::Skipped);
    QCOMPARE(result.reason, QStringLiteral("cancelled"));
    QCOMPARE(filesInStaging(), 0);
}

void TestFileCollector::cancelDuringCopy()
{
    writeFile(src(QStringLiteral("a-small.log")), "small\n");
    {
        QFile big(src(QStringLiteral("b-big.log")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(1024LL * 1024 * 1024)); // sparse
    }
    ItemSpec spec = item({src()});
    spec.maxBytes = 2LL * 1024 * 1024 * 1024;
    const QString stagedBig = m_staging + QStringLiteral("/service-logs/logs/b-big.log");
    std::atomic_bool done{false};
    std::thread canceller([&] {
        while (!done && !QFileInfo::exists(stagedBig))
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        m_cancel = true;
    });
    QElapsedTimer timer;
    timer.start();
    const ItemResult result = collect(spec);
    done = true;
    canceller.join();
    QVERIFY(timer.elapsed() < 10000);
    QCOMPARE(result.status, Status::Skipped);
    QCOMPARE(result.reason, QStringLiteral("cancelled"));
    QVERIFY(result.files.isEmpty());
    QCOMPARE(filesInStaging(), 0); // the finished small file went too
}

void TestFileCollector::stagingIsNeverCollected()
{
    // Staging inside the collected folder (e.g. collecting ~/.cache).
    m_staging = src(QStringLiteral("cache/staging"));
    QVERIFY(QDir().mkpath(m_staging));
    writeFile(m_staging + QStringLiteral("/os-config/earlier.txt"), "staged before\n");
    writeFile(src(QStringLiteral("app.log")), "app\n");
    QVERIFY(QFile::link(m_staging + QStringLiteral("/os-config/earlier.txt"), src(QStringLiteral("sneaky.log"))));
    const ItemResult result = collect(item({src()}));
    QCOMPARE(stagedPaths(result), QStringList({QStringLiteral("service-logs/logs/app.log")}));
    const ItemResult named = collect(item({m_staging + QStringLiteral("/os-config/earlier.txt")}));
    QVERIFY(named.files.isEmpty());
}

QTEST_GUILESS_MAIN(TestFileCollector)
#include "test_filecollector.moc"
