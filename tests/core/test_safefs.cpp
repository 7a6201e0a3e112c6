// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/safefs.h"
#include "tests/core/testuser.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace dc::core;
using dc::test::fileState;
using dc::test::TestUser;

namespace {

void writeText(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

QByteArray readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

bool makeLink(const QString &target, const QString &link)
{
    return ::symlink(QFile::encodeName(target).constData(), QFile::encodeName(link).constData()) == 0;
}

} // namespace

class TestSafeFs : public QObject
{
    Q_OBJECT

private slots:
    void normalizedRelativePaths_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("ok");
        QTest::newRow("plain") << QStringLiteral("a/b.txt") << true;
        QTest::newRow("dotfile") << QStringLiteral("a/.hidden") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("absolute") << QStringLiteral("/etc/shadow") << false;
        QTest::newRow("parent") << QStringLiteral("../x") << false;
        QTest::newRow("inner parent") << QStringLiteral("a/../../x") << false;
        QTest::newRow("dot") << QStringLiteral("./a") << false;
        QTest::newRow("double slash") << QStringLiteral("a//b") << false;
        QTest::newRow("trailing slash") << QStringLiteral("a/") << false;
        QTest::newRow("backslash") << QStringLiteral("a\\..\\b") << false;
    }
    void normalizedRelativePaths()
    {
        QFETCH(QString, path);
        QFETCH(bool, ok);
        QCOMPARE(safefs::isNormalizedRelative(path), ok);
    }

    void openDirNeverFollowsASymlinkedComponent()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("real/inner")));
        QVERIFY(makeLink(dir.filePath(QStringLiteral("real")), dir.filePath(QStringLiteral("link"))));
        QVERIFY(safefs::openDir(dir.filePath(QStringLiteral("real/inner"))));
        auto through = safefs::openDir(dir.filePath(QStringLiteral("link/inner")));
        QVERIFY(!through);
        QVERIFY2(through.error().message.contains(QStringLiteral("symbolic link")),
                 qPrintable(through.error().message));
        auto below = safefs::openDir(dir.path());
        QVERIFY(below);
        QVERIFY(!safefs::openDirAt(below->get(), QStringLiteral("link/inner")));
        QVERIFY(!safefs::openDirAt(below->get(), QStringLiteral("../")));
        QVERIFY(safefs::openDirAt(below->get(), QStringLiteral("real/inner")));
    }

    void openRegularRefusesLinksFifosAndFolders()
    {
        QTemporaryDir dir;
        writeText(dir.filePath(QStringLiteral("file")), "data");
        QVERIFY(makeLink(dir.filePath(QStringLiteral("file")), dir.filePath(QStringLiteral("link"))));
        QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("fifo"))).constData(), 0600), 0);
        auto opened = safefs::openRegular(dir.filePath(QStringLiteral("file")));
        QVERIFY(opened);
        QCOMPARE(opened->stat.size, qint64(4));
        QCOMPARE(opened->stat.nlink, quint64(1));
        auto link = safefs::openRegular(dir.filePath(QStringLiteral("link")));
        QVERIFY(!link);
        QVERIFY2(link.error().message.contains(QStringLiteral("symbolic link")), qPrintable(link.error().message));
        QElapsedTimer timer;
        timer.start();
        auto fifo = safefs::openRegular(dir.filePath(QStringLiteral("fifo")));
        QVERIFY(!fifo);
        QVERIFY(timer.elapsed() < 5000); // O_NONBLOCK: a FIFO without writer does not hang us
        QVERIFY(!safefs::openRegular(dir.path()));
    }

    void trustedDirChecksEveryFolderOnTheWay()
    {
        TestUser user;
        DC_REQUIRE_TEST_USER(user);
        QTemporaryDir dir; // root-owned 0700 below the sticky /tmp
        const QString a = dir.filePath(QStringLiteral("a"));
        QVERIFY(QDir().mkpath(a + QStringLiteral("/b")));
        ::chmod(QFile::encodeName(a).constData(), 0755);
        const safefs::Trust rootOnly;
        QVERIFY(safefs::openTrustedDir(a + QStringLiteral("/b"), rootOnly));

        // A user-owned folder anywhere on the way is refused.
        QVERIFY(user.own(a));
        auto owned = safefs::openTrustedDir(a + QStringLiteral("/b"), rootOnly);
        QVERIFY(!owned);
        QVERIFY2(owned.error().message.contains(user.name()), qPrintable(owned.error().message));
        // ... unless that user is the product's account.
        safefs::Trust product;
        product.owners.append(user.uid());
        QVERIFY(safefs::openTrustedDir(a + QStringLiteral("/b"), product));
        QVERIFY(::chown(QFile::encodeName(a).constData(), 0, 0) == 0);

        // Writable by others without the sticky bit: refused.
        ::chmod(QFile::encodeName(a).constData(), 0777);
        auto writable = safefs::openTrustedDir(a + QStringLiteral("/b"), rootOnly);
        QVERIFY(!writable);
        QVERIFY2(writable.error().message.contains(QStringLiteral("other users")),
                 qPrintable(writable.error().message));
        // Sticky (like /tmp) with a root-owned entry below: nobody else can swap it.
        ::chmod(QFile::encodeName(a).constData(), 01777);
        QVERIFY(safefs::openTrustedDir(a + QStringLiteral("/b"), rootOnly));
        // ... but not with the user's entry below it, and never as the last folder.
        QVERIFY(user.own(a + QStringLiteral("/b")));
        QVERIFY(!safefs::openTrustedDir(a + QStringLiteral("/b"), rootOnly));
        QVERIFY(!safefs::openTrustedDir(a, rootOnly));
    }

    void atomicFileNeverFollowsOrReplacesAPlantedName()
    {
        QTemporaryDir dir;
        QTemporaryDir elsewhere;
        const QString target = elsewhere.filePath(QStringLiteral("root-only"));
        writeText(target, "secret\n");
        ::chmod(QFile::encodeName(target).constData(), 0600);
        const auto before = fileState(target);
        QVERIFY(makeLink(target, dir.filePath(QStringLiteral("map.json"))));
        QVERIFY(makeLink(elsewhere.filePath(QStringLiteral("new-file")), dir.filePath(QStringLiteral("dangling"))));

        auto folder = safefs::openDir(dir.path());
        QVERIFY(folder);
        auto refused = safefs::writeFileAt(folder->get(), QStringLiteral("map.json"), "planted?");
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(QStringLiteral("already exists")),
                 qPrintable(refused.error().message));
        QVERIFY(!safefs::writeFileAt(folder->get(), QStringLiteral("dangling"), "planted?"));
        QVERIFY(fileState(target) == before);
        QVERIFY(!QFileInfo::exists(elsewhere.filePath(QStringLiteral("new-file"))));
        // No temporary file is left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).size(), 2);

        // Replacing on purpose replaces the link itself, never its target.
        QVERIFY(safefs::writeFileAt(folder->get(), QStringLiteral("map.json"), "mine",
                                    safefs::WriteOptions{.mode = 0640, .replace = true}));
        QVERIFY(fileState(target) == before);
        QVERIFY(!QFileInfo(dir.filePath(QStringLiteral("map.json"))).isSymLink());
        QCOMPARE(readText(dir.filePath(QStringLiteral("map.json"))), QByteArray("mine"));
        QCOMPARE(int(fileState(dir.filePath(QStringLiteral("map.json"))).mode & 07777), 0640);
    }

    void atomicFileSetsOwnerOnTheDescriptor()
    {
        TestUser user;
        DC_REQUIRE_TEST_USER(user);
        QTemporaryDir dir;
        auto written = safefs::writeFile(dir.filePath(QStringLiteral("owned")), "x",
                                         safefs::WriteOptions{.mode = 0604, .uid = user.uid(), .gid = user.gid()});
        QVERIFY2(written, written ? "" : qPrintable(written.error().message));
        const auto state = fileState(dir.filePath(QStringLiteral("owned")));
        QCOMPARE(state.uid, user.uid());
        QCOMPARE(int(state.mode & 07777), 0604);
    }

    void removeTreeStaysInsideTheTree()
    {
        QTemporaryDir dir;
        QTemporaryDir outside;
        writeText(outside.filePath(QStringLiteral("keep")), "keep");
        const QString tree = dir.filePath(QStringLiteral("tree"));
        QVERIFY(QDir().mkpath(tree + QStringLiteral("/sub/locked")));
        writeText(tree + QStringLiteral("/sub/file"), "x");
        QVERIFY(makeLink(outside.path(), tree + QStringLiteral("/sub/escape")));
        QVERIFY(makeLink(outside.filePath(QStringLiteral("keep")), tree + QStringLiteral("/keep-link")));
        ::chmod(QFile::encodeName(tree + QStringLiteral("/sub/locked")).constData(), 0);
        QVERIFY(safefs::removeTree(tree));
        QVERIFY(!QFileInfo::exists(tree));
        QCOMPARE(readText(outside.filePath(QStringLiteral("keep"))), QByteArray("keep"));
        // A symlink given as the tree is removed as a link.
        QVERIFY(makeLink(outside.path(), dir.filePath(QStringLiteral("linked"))));
        QVERIFY(safefs::removeTree(dir.filePath(QStringLiteral("linked"))));
        QVERIFY(QFileInfo::exists(outside.filePath(QStringLiteral("keep"))));
        // A symlinked folder above is not followed.
        QVERIFY(makeLink(outside.path(), dir.filePath(QStringLiteral("up"))));
        QVERIFY(!safefs::removeTree(dir.filePath(QStringLiteral("up/keep"))));
        QVERIFY(QFileInfo::exists(outside.filePath(QStringLiteral("keep"))));
    }
};

QTEST_GUILESS_MAIN(TestSafeFs)
#include "test_safefs.moc"
