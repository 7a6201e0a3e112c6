// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/archive.h"
#include "core/bundle/staging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <archive.h>
#include <archive_entry.h>
#include <atomic>
#include <clocale>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace dc::core;

namespace {

const QDateTime kEntryTime = QDateTime(QDate(2024, 5, 17), QTime(12, 34, 56), Qt::UTC);
const QString kTopDir = QStringLiteral("diagcollect-test-host-20240517T123456Z");

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray sha256(const QByteArray &data) { return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex(); }

// Varied, compressible text: lines with counters and a pseudo-random field.
QByteArray logText(int lines, quint32 seed)
{
    QRandomGenerator random(seed);
    QByteArray text;
    for (int i = 0; i < lines; ++i)
        text += "2024-05-17T12:" + QByteArray::number(i % 60) + ":00Z host service[" +
                QByteArray::number(random.bounded(1000, 9999)) + "]: request " + QByteArray::number(i) + " took " +
                QByteArray::number(random.bounded(1, 500)) + " ms\n";
    return text;
}

QStringList dirEntries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

struct ExtractedEntry
{
    bool directory = false;
    int type = 0;
    int perm = 0;
    qint64 mtime = 0;
    qint64 uid = -1, gid = -1;
    QString uname, gname;
    bool hasAtime = false, hasCtime = false;
    QByteArray data;
};

struct Extracted
{
    QStringList order; // entry names as stored
    QMap<QString, ExtractedEntry> entries;
    QString error;
};

Extracted extract(const QString &archivePath)
{
    Extracted result;
    std::unique_ptr<archive, int (*)(archive *)> reader(archive_read_new(), &archive_read_free);
    archive_read_support_filter_all(reader.get());
    archive_read_support_format_all(reader.get());
    if (archive_read_open_filename(reader.get(), QFile::encodeName(archivePath).constData(), 65536) != ARCHIVE_OK) {
        result.error = QString::fromLocal8Bit(archive_error_string(reader.get()));
        return result;
    }
    archive_entry *entry = nullptr;
    int status;
    while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
        const char *utf8 = archive_entry_pathname_utf8(entry);
        const QString name = QString::fromUtf8(utf8 ? utf8 : archive_entry_pathname(entry));
        ExtractedEntry item;
        item.type = int(archive_entry_filetype(entry));
        item.directory = item.type == AE_IFDIR;
        item.perm = int(archive_entry_perm(entry));
        item.mtime = archive_entry_mtime(entry);
        item.uid = archive_entry_uid(entry);
        item.gid = archive_entry_gid(entry);
        item.uname = QString::fromUtf8(archive_entry_uname(entry));
        item.gname = QString::fromUtf8(archive_entry_gname(entry));
        item.hasAtime = archive_entry_atime_is_set(entry);
        item.hasCtime = archive_entry_ctime_is_set(entry);
        char buffer[65536];
        la_ssize_t got;
        while ((got = archive_read_data(reader.get(), buffer, sizeof buffer)) > 0)
            item.data.append(buffer, qsizetype(got));
        if (got < 0) {
            result.error = QString::fromLocal8Bit(archive_error_string(reader.get()));
            return result;
        }
        result.order.append(name);
        result.entries.insert(name, item);
    }
    if (status != ARCHIVE_EOF)
        result.error = QString::fromLocal8Bit(archive_error_string(reader.get()));
    return result;
}

// Writes a new archive from an existing one, letting the test change, drop or add entries.
struct Rewrite
{
    std::function<bool(const QString &name, QByteArray &data)> edit; // false: drop the entry
    QList<QPair<QString, QByteArray>> add;
};

bool rewriteArchive(const QString &from, const QString &to, ArchiveFormat format, const Rewrite &rewrite)
{
    const Extracted source = extract(from);
    if (!source.error.isEmpty())
        return false;
    std::unique_ptr<archive, int (*)(archive *)> writer(archive_write_new(), &archive_write_free);
    if (format == ArchiveFormat::Zip) {
        archive_write_set_format_zip(writer.get());
    } else {
        archive_write_set_format_pax_restricted(writer.get());
        archive_write_add_filter_zstd(writer.get());
    }
    if (archive_write_open_filename(writer.get(), QFile::encodeName(to).constData()) != ARCHIVE_OK)
        return false;
    std::unique_ptr<archive_entry, void (*)(archive_entry *)> entry(archive_entry_new(), &archive_entry_free);
    const auto put = [&](const QString &name, const ExtractedEntry &item) {
        archive_entry_clear(entry.get());
        archive_entry_set_pathname_utf8(entry.get(), name.toUtf8().constData());
        archive_entry_set_filetype(entry.get(), item.directory ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(entry.get(), item.directory ? 0755 : 0644);
        archive_entry_set_size(entry.get(), item.data.size());
        archive_entry_set_mtime(entry.get(), time_t(item.mtime), 0);
        if (archive_write_header(writer.get(), entry.get()) != ARCHIVE_OK)
            return false;
        return item.data.isEmpty() || archive_write_data(writer.get(), item.data.constData(),
                                                         size_t(item.data.size())) == la_ssize_t(item.data.size());
    };
    for (const QString &name : source.order) {
        ExtractedEntry item = source.entries.value(name);
        if (!item.directory && rewrite.edit && !rewrite.edit(name, item.data))
            continue;
        if (!put(name, item))
            return false;
    }
    for (const auto &[name, data] : rewrite.add) {
        ExtractedEntry item;
        item.data = data;
        item.mtime = kEntryTime.toSecsSinceEpoch();
        if (!put(name, item))
            return false;
    }
    return archive_write_close(writer.get()) == ARCHIVE_OK;
}

// A staging folder like a real run leaves it: category folders, a manifest
// whose sha256s are those of the files, a summary, and things that must not
// be packaged (a FIFO, a symbolic link).
struct Fixture
{
    QTemporaryDir temp;
    QString staging;
    QString output; // an empty folder for archives
    Manifest manifest;

    bool build()
    {
        if (!temp.isValid())
            return false;
        staging = temp.filePath(QStringLiteral("staging"));
        output = temp.filePath(QStringLiteral("out"));
        QDir().mkpath(staging);
        QDir().mkpath(output);

        manifest.toolVersion = QStringLiteral("0.1.0");
        manifest.profileName = QStringLiteral("default");
        manifest.profileSource = QStringLiteral("built-in");
        manifest.profileSha256 = QByteArray(64, 'a');
        manifest.host = QStringLiteral("test-host");
        manifest.platform = QStringLiteral("linux");
        manifest.caseId = QStringLiteral("CASE-42");
        manifest.started = kEntryTime;
        manifest.finished = kEntryTime.addSecs(30);

        const QString longName = QStringLiteral("a-rather-long-folder-name-that-needs-pax/") +
                                 QString(90, QLatin1Char('x')) + QStringLiteral(".log");
        const QList<QPair<QString, QByteArray>> files = {
            {QStringLiteral("os-config/network/ip-addr.txt"), QByteArray("1: lo: <LOOPBACK,UP> mtu 65536\n")},
            {QStringLiteral("service-logs/app/app.log"), logText(2000, 1)},
            {QStringLiteral("service-logs/app/") + longName, logText(50, 2)},
            {QStringLiteral("system-logs/journal.txt"), logText(500, 3)},
            {QStringLiteral("crash-dumps/empty.dmp"), QByteArray()},
            {QStringLiteral("tool/r\u00e9sum\u00e9 \u00fcn\u00efcode.txt"), QByteArray("caf\xc3\xa9\n")},
        };
        const Category categories[] = {Category::OsConfig,   Category::ServiceLogs, Category::ServiceLogs,
                                       Category::SystemLogs, Category::CrashDumps,  Category::Tool};
        for (int i = 0; i < files.size(); ++i) {
            const QString absolute = staging + QLatin1Char('/') + files[i].first;
            if (!writeFile(absolute, files[i].second))
                return false;
            ItemResult item;
            item.id = QStringLiteral("item-%1").arg(i);
            item.title = QStringLiteral("Item %1").arg(i);
            item.category = categories[i];
            item.purpose = QStringLiteral("Because support needs it");
            FileEntry entry;
            entry.path = files[i].first;
            entry.source = QStringLiteral("/var/log/") + files[i].first;
            entry.bytes = files[i].second.size();
            entry.sha256 = sha256OfFile(absolute);
            if (entry.sha256.isEmpty())
                return false;
            item.files.append(entry);
            if (i == 1) {
                FileEntry skipped;
                skipped.source = QStringLiteral("/var/log/app/secret.log");
                skipped.status = Status::Skipped;
                skipped.reason = QStringLiteral("permission denied");
                item.skippedFiles.append(skipped);
            }
            manifest.items.append(item);
        }
        QDir().mkpath(staging + QStringLiteral("/event-history")); // empty folder, packaged as such

        // Not packaged: a FIFO and a symbolic link.
        if (::mkfifo(QFile::encodeName(staging + QStringLiteral("/tool/fifo")).constData(), 0600) != 0)
            return false;
        if (!QFile::link(QStringLiteral("/etc/hostname"), staging + QStringLiteral("/tool/link")))
            return false;

        const QString summary = staging + QStringLiteral("/summary.html");
        if (!writeFile(summary, summaryHtml(manifest)))
            return false;
        FileEntry summaryEntry;
        summaryEntry.path = QStringLiteral("summary.html");
        summaryEntry.source = QStringLiteral("generated");
        summaryEntry.bytes = QFileInfo(summary).size();
        summaryEntry.sha256 = sha256OfFile(summary);
        manifest.extraFiles.append(summaryEntry);
        return writeFile(staging + QLatin1Char('/') + QLatin1String(Manifest::kFileName), manifest.toJson());
    }

    PackageOptions options(ArchiveFormat format) const
    {
        PackageOptions options;
        options.format = format;
        options.topDir = kTopDir;
        options.entryTime = kEntryTime;
        return options;
    }

    QString outputFile(ArchiveFormat format, const QString &base = QStringLiteral("bundle")) const
    {
        return output + QLatin1Char('/') + base + QLatin1Char('.') + archiveExtension(format);
    }
};

} // namespace

class TestArchive : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void formatNames();
    void roundTrip_data() { formats(); }
    void roundTrip();
    void deterministic_data() { formats(); }
    void deterministic();
    void deterministicAcrossThreadCounts();
    void localeIndependent_data() { formats(); }
    void localeIndependent();
    void verifyIntact_data() { formats(); }
    void verifyIntact();
    void verifyDetectsChanges_data();
    void verifyDetectsChanges();
    void verifyManifestProblems_data();
    void verifyManifestProblems();
    void verifyRejectsNonArchives();
    void refusesToOverwrite();
    void replacesStalePartial();
    void badArguments();
    void cancelLeavesNothing_data() { formats(); }
    void cancelLeavesNothing();
    void beforeCommitErrorLeavesNothing();
    void noSpacePreflight();
    void realFullDisk_data() { formats(); }
    void realFullDisk();
    void largeFile_data() { formats(); }
    void largeFile();
    void summaryPage();

private:
    static void formats()
    {
        QTest::addColumn<ArchiveFormat>("format");
        QTest::newRow("tar.zst") << ArchiveFormat::TarZstd;
        QTest::newRow("zip") << ArchiveFormat::Zip;
    }
};

void TestArchive::initTestCase()
{
    // The helpers below read entry names through libarchive, which converts
    // them with the locale's character set; the code under test does not
    // depend on it (see localeIndependent()).
    QVERIFY(std::setlocale(LC_CTYPE, "C.UTF-8") != nullptr);
}

void TestArchive::formatNames()
{
    QCOMPARE(archiveExtension(ArchiveFormat::TarZstd), QStringLiteral("tar.zst"));
    QCOMPARE(archiveExtension(ArchiveFormat::Zip), QStringLiteral("zip"));
    QCOMPARE(archiveFormatFromName(QStringLiteral("tar.zst")), ArchiveFormat::TarZstd);
    QCOMPARE(archiveFormatFromName(QStringLiteral("ZIP")), ArchiveFormat::Zip);
    QVERIFY(!archiveFormatFromName(QStringLiteral("rar")).has_value());
    QVERIFY(!archiveFormatFromName(QString()).has_value());
}

void TestArchive::roundTrip()
{
    QFETCH(ArchiveFormat, format);
    Fixture fixture;
    QVERIFY(fixture.build());
    PackageOptions options = fixture.options(format);
    qint64 lastDone = -1, lastTotal = -1;
    bool monotonic = true;
    options.progress = [&](qint64 done, qint64 total) {
        monotonic = monotonic && done >= lastDone && done <= total;
        lastDone = done;
        lastTotal = total;
    };
    const QString outputPath = fixture.outputFile(format);
    const auto result = packageDirectory(fixture.staging, outputPath, options);
    QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));

    // The finished file: where asked, private, its size and hash as reported, nothing else beside it.
    QCOMPARE(result->path, QFileInfo(outputPath).absoluteFilePath());
    QCOMPARE(dirEntries(fixture.output), QStringList{QFileInfo(outputPath).fileName()});
    QCOMPARE(QFileInfo(outputPath).size(), result->bytes);
    QCOMPARE(result->sha256, sha256OfFile(outputPath));
    struct stat info = {};
    QCOMPARE(::stat(QFile::encodeName(outputPath).constData(), &info), 0);
    QCOMPARE(int(info.st_mode & 07777), 0600);
    QVERIFY(monotonic);
    QVERIFY(lastTotal > 0);
    QCOMPARE(lastDone, lastTotal);

    // Every entry: below the top folder, sorted, normalized, and as the manifest says.
    const Extracted extracted = extract(outputPath);
    QVERIFY2(extracted.error.isEmpty(), qPrintable(extracted.error));
    QStringList sorted = extracted.order;
    std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
    QCOMPARE(extracted.order, sorted);
    QCOMPARE(extracted.order.first(), kTopDir + QLatin1Char('/'));
    QMap<QString, QByteArray> files;
    QStringList dirs;
    for (auto it = extracted.entries.cbegin(); it != extracted.entries.cend(); ++it) {
        QVERIFY2(it.key().startsWith(kTopDir + QLatin1Char('/')), qPrintable(it.key()));
        const ExtractedEntry &item = it.value();
        QCOMPARE(item.mtime, kEntryTime.toSecsSinceEpoch());
        QCOMPARE(item.uid, 0);
        QCOMPARE(item.gid, 0);
        if (format == ArchiveFormat::TarZstd) {
            // No access, change or birth times: nothing that differs between two runs.
            QVERIFY(!item.hasAtime);
            QVERIFY(!item.hasCtime);
            QVERIFY(item.uname.isEmpty());
            QVERIFY(item.gname.isEmpty());
        }
        const QString relative = it.key().mid(kTopDir.size() + 1);
        if (item.directory) {
            QCOMPARE(item.perm, 0755);
            dirs.append(relative);
        } else {
            QCOMPARE(item.type, int(AE_IFREG));
            QCOMPARE(item.perm, 0644);
            files.insert(relative, item.data);
        }
    }
    QVERIFY(dirs.contains(QStringLiteral("event-history/")));
    QVERIFY(dirs.contains(QStringLiteral("os-config/network/")));
    QVERIFY(!files.contains(QStringLiteral("tool/fifo")));
    QVERIFY(!files.contains(QStringLiteral("tool/link")));

    QVERIFY(files.contains(QLatin1String(Manifest::kFileName)));
    const auto manifest = Manifest::fromJson(files.value(QLatin1String(Manifest::kFileName)));
    QVERIFY(manifest.has_value());
    const QList<FileEntry> expected = manifest->allFiles();
    QCOMPARE(files.size(), expected.size() + 1);
    for (const FileEntry &file : expected) {
        QVERIFY2(files.contains(file.path), qPrintable(file.path));
        QCOMPARE(files.value(file.path).size(), file.bytes);
        QCOMPARE(sha256(files.value(file.path)), file.sha256);
        QCOMPARE(files.value(file.path), readAll(fixture.staging + QLatin1Char('/') + file.path));
    }
}

void TestArchive::deterministic()
{
    QFETCH(ArchiveFormat, format);
    Fixture fixture;
    QVERIFY(fixture.build());
    const auto first =
        packageDirectory(fixture.staging, fixture.outputFile(format, QStringLiteral("one")), fixture.options(format));
    QVERIFY(first.has_value());
    // Different file times in staging must not matter either.
    QFile::remove(fixture.staging + QStringLiteral("/os-config/network/ip-addr.txt"));
    QVERIFY(writeFile(fixture.staging + QStringLiteral("/os-config/network/ip-addr.txt"),
                      QByteArray("1: lo: <LOOPBACK,UP> mtu 65536\n")));
    const auto second =
        packageDirectory(fixture.staging, fixture.outputFile(format, QStringLiteral("two")), fixture.options(format));
    QVERIFY(second.has_value());
    QCOMPARE(first->sha256, second->sha256);
    QVERIFY(readAll(first->path) == readAll(second->path));
}

void TestArchive::deterministicAcrossThreadCounts()
{
    Fixture fixture;
    QVERIFY(fixture.build());
    // Enough data for several zstd jobs.
    QVERIFY(writeFile(fixture.staging + QStringLiteral("/service-logs/big.log"), logText(400000, 7)));
    QByteArray hashes[3];
    for (int threads = 1; threads <= 3; ++threads) {
        PackageOptions options = fixture.options(ArchiveFormat::TarZstd);
        options.threads = threads;
        const auto result = packageDirectory(
            fixture.staging, fixture.outputFile(ArchiveFormat::TarZstd, QStringLiteral("t%1").arg(threads)), options);
        QVERIFY(result.has_value());
        hashes[threads - 1] = result->sha256;
    }
    QCOMPARE(hashes[1], hashes[0]);
    QCOMPARE(hashes[2], hashes[0]);
}

void TestArchive::localeIndependent()
{
    QFETCH(ArchiveFormat, format);
    Fixture fixture;
    QVERIFY(fixture.build()); // has a non-ASCII file name
    const auto utf8 =
        packageDirectory(fixture.staging, fixture.outputFile(format, QStringLiteral("utf8")), fixture.options(format));
    QVERIFY(utf8.has_value());

    const QByteArray previous = std::setlocale(LC_ALL, nullptr);
    std::setlocale(LC_ALL, "C");
    const auto plain =
        packageDirectory(fixture.staging, fixture.outputFile(format, QStringLiteral("c")), fixture.options(format));
    const auto report = plain ? verifyArchive(plain->path) : Result<VerifyReport>();
    std::setlocale(LC_ALL, previous.constData());

    QVERIFY2(plain.has_value(), qPrintable(plain ? QString() : plain.error().message));
    QVERIFY(report.has_value());
    QVERIFY2(report->intact, qPrintable(report->problems.join(QLatin1Char('\n'))));
    QCOMPARE(plain->sha256, utf8->sha256);
}

void TestArchive::verifyIntact()
{
    QFETCH(ArchiveFormat, format);
    Fixture fixture;
    QVERIFY(fixture.build());
    const auto packaged = packageDirectory(fixture.staging, fixture.outputFile(format), fixture.options(format));
    QVERIFY(packaged.has_value());
    const auto report = verifyArchive(packaged->path);
    QVERIFY2(report.has_value(), qPrintable(report ? QString() : report.error().message));
    QVERIFY2(report->intact, qPrintable(report->problems.join(QLatin1Char('\n'))));
    QVERIFY(report->problems.isEmpty());
    QCOMPARE(report->entries, fixture.manifest.allFiles().size() + 1);
    QCOMPARE(report->manifest.host, QStringLiteral("test-host"));
    QCOMPARE(report->manifest.caseId, QStringLiteral("CASE-42"));
}

void TestArchive::verifyDetectsChanges_data()
{
    QTest::addColumn<ArchiveFormat>("format");
    QTest::addColumn<QString>("change");
    QTest::addColumn<QStringList>("problems");
    const QString log = QStringLiteral("service-logs/app/app.log");
    for (ArchiveFormat format : {ArchiveFormat::TarZstd, ArchiveFormat::Zip}) {
        const QByteArray name = archiveExtension(format).toLatin1();
        QTest::addRow("%s modified", name.constData())
            << format << QStringLiteral("modify") << QStringList{QStringLiteral("modified: ") + log};
        QTest::addRow("%s missing", name.constData())
            << format << QStringLiteral("drop") << QStringList{QStringLiteral("missing: ") + log};
        QTest::addRow("%s extra", name.constData())
            << format << QStringLiteral("add") << QStringList{QStringLiteral("extra: notes/added.txt")};
        QTest::addRow("%s all three", name.constData())
            << format << QStringLiteral("all")
            << QStringList{QStringLiteral("missing: crash-dumps/empty.dmp"), QStringLiteral("modified: ") + log,
                           QStringLiteral("extra: notes/added.txt")};
    }
}

void TestArchive::verifyDetectsChanges()
{
    QFETCH(ArchiveFormat, format);
    QFETCH(QString, change);
    QFETCH(QStringList, problems);
    Fixture fixture;
    QVERIFY(fixture.build());
    const auto packaged = packageDirectory(fixture.staging, fixture.outputFile(format), fixture.options(format));
    QVERIFY(packaged.has_value());

    const QString prefix = kTopDir + QLatin1Char('/');
    Rewrite rewrite;
    rewrite.edit = [&](const QString &name, QByteArray &data) {
        if (name == prefix + QStringLiteral("service-logs/app/app.log")) {
            if (change == QLatin1String("drop"))
                return false;
            if (change == QLatin1String("modify") || change == QLatin1String("all"))
                data[10] = data[10] == 'X' ? 'Y' : 'X'; // same size, different bytes
        }
        if (change == QLatin1String("all") && name == prefix + QStringLiteral("crash-dumps/empty.dmp"))
            return false;
        return true;
    };
    if (change == QLatin1String("add") || change == QLatin1String("all"))
        rewrite.add.append({prefix + QStringLiteral("notes/added.txt"), QByteArray("not from the collector\n")});
    const QString altered = fixture.output + QStringLiteral("/altered.") + archiveExtension(format);
    QVERIFY(rewriteArchive(packaged->path, altered, format, rewrite));

    const auto report = verifyArchive(altered);
    QVERIFY2(report.has_value(), qPrintable(report ? QString() : report.error().message));
    QVERIFY(!report->intact);
    QCOMPARE(report->problems, problems);
}

void TestArchive::verifyManifestProblems_data()
{
    QTest::addColumn<QByteArray>("manifest"); // empty: no manifest.json at all
    QTest::addColumn<QString>("problem");
    QTest::newRow("missing") << QByteArray() << QStringLiteral("missing: manifest.json");
    QTest::newRow("not json") << QByteArray("{ not json") << QStringLiteral("invalid: manifest.json is not valid JSON");
    QTest::newRow("not ours") << QByteArray("{\"format\": \"other\"}")
                              << QStringLiteral("invalid: manifest.json is not a diagcollect manifest");
}

void TestArchive::verifyManifestProblems()
{
    QFETCH(QByteArray, manifest);
    QFETCH(QString, problem);
    Fixture fixture;
    QVERIFY(fixture.build());
    const auto packaged = packageDirectory(fixture.staging, fixture.outputFile(ArchiveFormat::TarZstd),
                                           fixture.options(ArchiveFormat::TarZstd));
    QVERIFY(packaged.has_value());
    Rewrite rewrite;
    rewrite.edit = [&](const QString &name, QByteArray &data) {
        if (name != kTopDir + QStringLiteral("/manifest.json"))
            return true;
        data = manifest;
        return !manifest.isEmpty();
    };
    const QString altered = fixture.output + QStringLiteral("/altered.tar.zst");
    QVERIFY(rewriteArchive(packaged->path, altered, ArchiveFormat::TarZstd, rewrite));
    const auto report = verifyArchive(altered);
    QVERIFY(report.has_value());
    QVERIFY(!report->intact);
    QCOMPARE(report->problems.size(), 1);
    QVERIFY2(report->problems.first().startsWith(problem), qPrintable(report->problems.first()));
}

void TestArchive::verifyRejectsNonArchives()
{
    QTemporaryDir temp;
    const QString text = temp.filePath(QStringLiteral("notes.txt"));
    QVERIFY(writeFile(text, QByteArray("just some text, not an archive\n").repeated(100)));
    auto report = verifyArchive(text);
    QVERIFY(!report.has_value());
    QCOMPARE(report.error().code, ErrorCode::Verification);
    QVERIFY2(report.error().message.contains(text), qPrintable(report.error().message));

    const QString empty = temp.filePath(QStringLiteral("empty.tar.zst"));
    QVERIFY(writeFile(empty, QByteArray()));
    report = verifyArchive(empty);
    QVERIFY(!report.has_value());
    QCOMPARE(report.error().code, ErrorCode::Verification);

    report = verifyArchive(temp.filePath(QStringLiteral("does-not-exist.zip")));
    QVERIFY(!report.has_value());
    QCOMPARE(report.error().code, ErrorCode::Verification);

    // A truncated archive is damaged, not "intact with missing files".
    Fixture fixture;
    QVERIFY(fixture.build());
    QVERIFY(writeFile(fixture.staging + QStringLiteral("/service-logs/big.log"), logText(100000, 9)));
    const auto packaged = packageDirectory(fixture.staging, fixture.outputFile(ArchiveFormat::TarZstd),
                                           fixture.options(ArchiveFormat::TarZstd));
    QVERIFY(packaged.has_value());
    const QString truncated = temp.filePath(QStringLiteral("truncated.tar.zst"));
    QVERIFY(writeFile(truncated, readAll(packaged->path).left(packaged->bytes / 2)));
    report = verifyArchive(truncated);
    QVERIFY(!report.has_value());
    QCOMPARE(report.error().code, ErrorCode::Verification);
}

void TestArchive::refusesToOverwrite()
{
    Fixture fixture;
    QVERIFY(fixture.build());
    const QString outputPath = fixture.outputFile(ArchiveFormat::TarZstd);
    QVERIFY(writeFile(outputPath, QByteArray("precious")));
    const auto result = packageDirectory(fixture.staging, outputPath, fixture.options(ArchiveFormat::TarZstd));
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, ErrorCode::Io);
    QVERIFY(result.error().message.contains(QStringLiteral("already exists")));
    QCOMPARE(readAll(outputPath), QByteArray("precious"));
    QCOMPARE(dirEntries(fixture.output), QStringList{QStringLiteral("bundle.tar.zst")});

    // The same when the file appears while packaging (just before the rename).
    const QString racePath = fixture.outputFile(ArchiveFormat::TarZstd, QStringLiteral("race"));
    PackageOptions options = fixture.options(ArchiveFormat::TarZstd);
    options.beforeCommit = [&](const QString &) -> Result<void> {
        writeFile(racePath, QByteArray("first"));
        return {};
    };
    const auto raced = packageDirectory(fixture.staging, racePath, options);
    QVERIFY(!raced.has_value());
    QVERIFY(raced.error().message.contains(QStringLiteral("already exists")));
    QCOMPARE(readAll(racePath), QByteArray("first"));
    QCOMPARE(dirEntries(fixture.output).size(), 2);
}

void TestArchive::replacesStalePartial()
{
    Fixture fixture;
    QVERIFY(fixture.build());
    const QString stale = fixture.output + QStringLiteral("/.bundle.zip.partial");
    QVERIFY(writeFile(stale, QByteArray("left over by a killed run")));
    const auto result =
        packageDirectory(fixture.staging, fixture.outputFile(ArchiveFormat::Zip), fixture.options(ArchiveFormat::Zip));
    QVERIFY(result.has_value());
    QCOMPARE(dirEntries(fixture.output), QStringList{QStringLiteral("bundle.zip")});
}

void TestArchive::badArguments()
{
    Fixture fixture;
    QVERIFY(fixture.build());
    PackageOptions options = fixture.options(ArchiveFormat::TarZstd);
    options.topDir = QStringLiteral("../escape");
    auto result = packageDirectory(fixture.staging, fixture.outputFile(ArchiveFormat::TarZstd), options);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, ErrorCode::Usage);

    options = fixture.options(ArchiveFormat::TarZstd);
    result = packageDirectory(fixture.temp.filePath(QStringLiteral("no-such-staging")),
                              fixture.outputFile(ArchiveFormat::TarZstd), options);
    QVERIFY(!result.has_value());
    result = packageDirectory(fixture.staging, fixture.temp.filePath(QStringLiteral("no/such/dir/x.tar.zst")), options);
    QVERIFY(!result.has_value());
    options.zstdLevel = 99;
    result = packageDirectory(fixture.staging, fixture.outputFile(ArchiveFormat::TarZstd), options);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, ErrorCode::Usage);
    QVERIFY(dirEntries(fixture.output).isEmpty());
}

void TestArchive::cancelLeavesNothing()
{
    QFETCH(ArchiveFormat, format);
    Fixture fixture;
    QVERIFY(fixture.build());
    QVERIFY(writeFile(fixture.staging + QStringLiteral("/service-logs/big.log"), logText(200000, 5)));
    std::atomic_bool cancelled = false;
    int calls = 0;
    PackageOptions options = fixture.options(format);
    options.cancelled = &cancelled;
    options.progress = [&](qint64 done, qint64) {
        // Cancel once data is flowing, as a user pressing Cancel would.
        if (done > 0 && ++calls == 2)
            cancelled = true;
    };
    const auto result = packageDirectory(fixture.staging, fixture.outputFile(format), options);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, ErrorCode::Cancelled);
    QVERIFY(dirEntries(fixture.output).isEmpty());

    // Cancelled before starting: nothing is even created.
    const auto early = packageDirectory(fixture.staging, fixture.outputFile(format), options);
    QVERIFY(!early.has_value());
    QCOMPARE(early.error().code, ErrorCode::Cancelled);
    QVERIFY(dirEntries(fixture.output).isEmpty());
}

void TestArchive::beforeCommitErrorLeavesNothing()
{
    Fixture fixture;
    QVERIFY(fixture.build());
    PackageOptions options = fixture.options(ArchiveFormat::TarZstd);
    QString seen;
    bool partialIntact = false;
    int partialMode = 0;
    options.beforeCommit = [&](const QString &partial) -> Result<void> {
        seen = partial;
        // The hook sees the finished archive under its temporary name.
        const auto report = verifyArchive(partial);
        partialIntact = report.has_value() && report->intact;
        struct stat info = {};
        if (::stat(QFile::encodeName(partial).constData(), &info) == 0)
            partialMode = int(info.st_mode & 07777);
        return fail(ErrorCode::Verification, QStringLiteral("leak check: a secret was found"));
    };
    const auto result = packageDirectory(fixture.staging, fixture.outputFile(ArchiveFormat::TarZstd), options);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, ErrorCode::Verification);
    QCOMPARE(result.error().message, QStringLiteral("leak check: a secret was found"));
    QCOMPARE(seen, fixture.output + QStringLiteral("/.bundle.tar.zst.partial"));
    QVERIFY(partialIntact);
    QCOMPARE(partialMode, 0600);
    QVERIFY(dirEntries(fixture.output).isEmpty());
}

void TestArchive::noSpacePreflight()
{
    Fixture fixture;
    QVERIFY(fixture.build());
    PackageOptions options = fixture.options(ArchiveFormat::TarZstd);
    QString probed;
    options.freeSpace = [&](const QString &dir) {
        probed = dir;
        return qint64(1024 * 1024); // 1 MB: less than the staged size plus the margin
    };
    const auto result = packageDirectory(fixture.staging, fixture.outputFile(ArchiveFormat::TarZstd), options);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, ErrorCode::NoSpace);
    QCOMPARE(probed, fixture.output);
    const QString message = result.error().message;
    QVERIFY2(message.contains(QDir::toNativeSeparators(fixture.output)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("1.0 MB")), qPrintable(message)); // available
    QVERIFY2(message.contains(QStringLiteral(" MB needed")) || message.contains(QStringLiteral("needs up to")),
             qPrintable(message));
    QVERIFY(dirEntries(fixture.output).isEmpty());
}

void TestArchive::realFullDisk()
{
    QFETCH(ArchiveFormat, format);
    Fixture fixture;
    QVERIFY(fixture.build());
    // A few MB that do not compress, onto a 2 MB file system.
    QByteArray noise(4 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator random(42);
    random.fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / int(sizeof(quint32)));
    QVERIFY(writeFile(fixture.staging + QStringLiteral("/crash-dumps/core.bin"), noise));

    const QString mountPoint = fixture.temp.filePath(QStringLiteral("small-disk"));
    QVERIFY(QDir().mkpath(mountPoint));
    QProcess mount;
    mount.start(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                                          QStringLiteral("size=2m"), QStringLiteral("tmpfs"), mountPoint});
    const bool mounted =
        mount.waitForFinished(10000) && mount.exitStatus() == QProcess::NormalExit && mount.exitCode() == 0;
    if (!mounted)
        QSKIP(qPrintable(QStringLiteral("cannot mount a 2 MB tmpfs (needs root and CAP_SYS_ADMIN): ") +
                         QString::fromLocal8Bit(mount.readAllStandardError()).trimmed() + mount.errorString()));
    const auto unmount = qScopeGuard([&] { QProcess::execute(QStringLiteral("umount"), {mountPoint}); });

    PackageOptions options = fixture.options(format);
    options.freeSpace = [](const QString &) { return qint64(1) << 40; }; // the preflight is fooled
    const auto result =
        packageDirectory(fixture.staging, mountPoint + QStringLiteral("/bundle.") + archiveExtension(format), options);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, ErrorCode::NoSpace);
    QVERIFY2(result.error().message.contains(mountPoint), qPrintable(result.error().message));
    QVERIFY(dirEntries(mountPoint).isEmpty());
}

void TestArchive::largeFile()
{
    QFETCH(ArchiveFormat, format);
    Fixture fixture;
    QVERIFY(fixture.build());
    // 64 MiB: mostly a sparse hole, with text at both ends and in the middle.
    const QString big = fixture.staging + QStringLiteral("/crash-dumps/large.dmp");
    const qint64 size = qint64(64) << 20;
    {
        QFile file(big);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray text = logText(20000, 11);
        QVERIFY(file.write(text) == text.size());
        QVERIFY(file.seek(size / 2));
        QVERIFY(file.write(text) == text.size());
        QVERIFY(file.resize(size - text.size()));
        QVERIFY(file.seek(size - text.size()));
        QVERIFY(file.write(text) == text.size());
    }
    QCOMPARE(QFileInfo(big).size(), size);
    FileEntry entry;
    entry.path = QStringLiteral("crash-dumps/large.dmp");
    entry.bytes = size;
    entry.sha256 = sha256OfFile(big);
    fixture.manifest.items.first().files.append(entry);
    QVERIFY(writeFile(fixture.staging + QStringLiteral("/manifest.json"), fixture.manifest.toJson()));

    qint64 total = 0;
    int progressCalls = 0;
    PackageOptions options = fixture.options(format);
    options.progress = [&](qint64, qint64 all) {
        total = all;
        ++progressCalls;
    };
    const auto result = packageDirectory(fixture.staging, fixture.outputFile(format), options);
    QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
    QVERIFY(total > size);
    QVERIFY(progressCalls >= 64); // one per 1 MiB chunk at least
    const auto report = verifyArchive(result->path);
    QVERIFY2(report.has_value(), qPrintable(report ? QString() : report.error().message));
    QVERIFY2(report->intact, qPrintable(report->problems.join(QLatin1Char('\n'))));
}

void TestArchive::summaryPage()
{
    Fixture fixture;
    QVERIFY(fixture.build());
    Manifest manifest = fixture.manifest;
    manifest.host = QStringLiteral("<script>alert(1)</script>");
    manifest.items[2].status = Status::Truncated;
    manifest.items[2].reason = QStringLiteral("kept the newest 10 MB & dropped the rest");
    manifest.items[3].status = Status::Failed;
    manifest.items[3].reason = QStringLiteral("exit code 1");
    ItemResult skipped;
    skipped.id = QStringLiteral("event-log");
    skipped.title = QStringLiteral("Event log");
    skipped.category = Category::EventHistory;
    skipped.status = Status::Skipped;
    skipped.reason = QStringLiteral("needs administrator rights");
    manifest.items.append(skipped);

    const QByteArray html = summaryHtml(manifest);
    QCOMPARE(summaryHtml(manifest), html); // deterministic
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    QVERIFY(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    QVERIFY(!html.contains("<script"));
    QVERIFY(!html.contains("http://"));
    QVERIFY(!html.contains("https://"));
    QVERIFY(!html.contains(" src="));
    QVERIFY(!html.contains("<link"));
    QVERIFY(html.contains("CASE-42"));
    QVERIFY(html.contains("0.1.0"));
    QVERIFY(html.contains("2024-05-17 12:34:56 UTC"));
    QVERIFY(html.contains("kept the newest 10 MB &amp; dropped the rest"));
    QVERIFY(html.contains("class=\"st-truncated\""));
    QVERIFY(html.contains("class=\"st-failed\""));
    QVERIFY(html.contains("class=\"st-skipped\""));
    QVERIFY(html.contains("needs administrator rights"));
    QVERIFY(html.contains("/var/log/app/secret.log"));
    QVERIFY(html.contains("permission denied"));
    QVERIFY(html.contains("Because support needs it"));
    QVERIFY(html.contains("service-logs"));
    QVERIFY(html.contains("class=\"bar\""));
}

QTEST_GUILESS_MAIN(TestArchive)
#include "test_archive.moc"
