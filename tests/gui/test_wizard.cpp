// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// Drives the desktop wizard end to end the way a user does: clicks and key
// presses on widgets found by object name, then checks the archive it wrote.
#include "app/gui/mainwindow.h"
#include "app/gui/wizardcontext.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <archive.h>
#include <archive_entry.h>
#include <memory>
#include <sys/stat.h>

using dc::gui::GuiOptions;
using dc::gui::MainWindow;

namespace {

int modeOf(const QString &path)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? int(info.st_mode & 07777) : -1;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

// Entry name (below the archive's top folder) -> content.
QMap<QString, QByteArray> readArchive(const QString &path)
{
    QMap<QString, QByteArray> entries;
    archive *reader = archive_read_new();
    archive_read_support_filter_all(reader);
    archive_read_support_format_all(reader);
    if (archive_read_open_filename(reader, QFile::encodeName(path).constData(), 65536) != ARCHIVE_OK) {
        archive_read_free(reader);
        return entries;
    }
    archive_entry *entry = nullptr;
    while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
        const QString name = QString::fromUtf8(archive_entry_pathname(entry)).section(QLatin1Char('/'), 1);
        QByteArray data;
        char buffer[65536];
        la_ssize_t n = 0;
        while ((n = archive_read_data(reader, buffer, sizeof buffer)) > 0)
            data.append(buffer, n);
        entries.insert(name, data);
    }
    archive_read_free(reader);
    return entries;
}

template <typename T> T *child(QWidget *window, const char *name)
{
    T *widget = window->findChild<T *>(QLatin1String(name));
    if (!widget)
        qWarning("no widget %s", name);
    return widget;
}

} // namespace

class TestWizard : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_root;

    QString path(const QString &relative) const { return m_home.path() + QLatin1Char('/') + relative; }
    QString stagingRoot() const { return path(QStringLiteral("cache/diagcollect/staging")); }
    QStringList stagingLeftovers() const
    {
        return QDir(stagingRoot()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    QString writeProfile(const QString &name, const QString &extraItems = {})
    {
        const QString profile = path(name);
        const QString json = QStringLiteral(R"({
            "format_version": 1, "name": "gui-fixture",
            "variables": {"ROOT": "%1"},
            "items": [
              {"id": "app-logs", "title": "Application logs", "kind": "files", "category": "service-logs",
               "purpose": "what the product recorded", "essential": true, "paths": ["${ROOT}/logs"],
               "estimate_bytes": 4096},
              {"id": "app-config", "title": "Application settings", "kind": "files", "category": "os-config",
               "purpose": "how the product is configured", "paths": ["${ROOT}/etc/app.conf"], "dest": "app"},
              {"id": "net-report", "title": "Network report", "kind": "command", "category": "os-config",
               "purpose": "who the machine talks to", "argv": ["/bin/cat", "${ROOT}/net.txt"]},
              {"id": "extra-notes", "title": "Extra notes", "kind": "files", "category": "system-logs",
               "purpose": "optional notes", "paths": ["${ROOT}/notes.txt"]}%2
            ]})")
                                 .arg(m_root, extraItems);
        writeFile(profile, json.toUtf8());
        return profile;
    }

    std::unique_ptr<MainWindow> openWindow(const QString &profile)
    {
        GuiOptions options;
        options.language = QStringLiteral("en");
        options.profilePath = profile;
        auto window = std::make_unique<MainWindow>(options);
        if (auto *message = window->findChild<QLabel *>(QStringLiteral("messageLabel")); !message->text().isEmpty())
            qWarning("%s", qPrintable(message->text()));
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("window not exposed");
        return window;
    }

    static void click(QWidget *widget)
    {
        QVERIFY(widget);
        QVERIFY2(widget->isEnabled(), qPrintable(widget->objectName()));
        QTest::mouseClick(widget, Qt::LeftButton);
    }

    // On the box itself: a check box's clickable area is its indicator and text, not its whole width.
    static void clickCheckBox(QCheckBox *box)
    {
        QVERIFY(box);
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(box->fontMetrics().height() / 2 + 2, box->height() / 2));
    }

    // Clicks a row: in the middle of the row, or inside `column` (right of any check box there).
    static void clickRow(QTreeWidget *tree, QTreeWidgetItem *item, int column = -1)
    {
        tree->scrollToItem(item);
        const QRect rect = tree->visualItemRect(item);
        QPoint point = rect.center();
        if (column >= 0)
            point.setX(tree->header()->sectionViewportPosition(column) + tree->header()->sectionSize(column) * 3 / 4);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, point);
    }

    static QTreeWidgetItem *findRow(QTreeWidget *tree, const QString &text, int column = 0)
    {
        for (QTreeWidgetItemIterator it(tree); *it; ++it)
            if ((*it)->text(column).contains(text))
                return *it;
        return nullptr;
    }

    // Welcome -> Choose (unticks "Extra notes") -> Collect -> Review.
    void walkToReview(MainWindow *window)
    {
        QTest::keyClicks(child<QLineEdit>(window, "caseIdLineEdit"), QStringLiteral("CASE-42"));
        auto *next = child<QPushButton>(window, "nextButton");
        QVERIFY(!next->isEnabled()); // consent first
        clickCheckBox(child<QCheckBox>(window, "consentCheckBox"));
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::ChooseStep));

        auto *items = child<QTreeWidget>(window, "itemsTreeWidget");
        QTreeWidgetItem *extra = findRow(items, QStringLiteral("Extra notes"));
        QVERIFY(extra);
        QCOMPARE(extra->checkState(0), Qt::Checked);
        clickRow(items, extra);
        QCOMPARE(items->currentItem(), extra);
        QTest::keyClick(items, Qt::Key_Space);
        QCOMPARE(extra->checkState(0), Qt::Unchecked);
        // Required items cannot be unticked.
        QTreeWidgetItem *logs = findRow(items, QStringLiteral("Application logs"));
        clickRow(items, logs);
        QTest::keyClick(items, Qt::Key_Space);
        QCOMPARE(logs->checkState(0), Qt::Checked);
        QVERIFY(child<QLabel>(window, "totalsLabel")->text().contains(QStringLiteral("3 of 4")));

        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::CollectStep));
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), 120000);
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::ReviewStep));
    }

    // Finish: types the folder, saves, returns the archive path.
    void saveArchive(MainWindow *window, const QString &outputDir, QString *archivePath)
    {
        auto *next = child<QPushButton>(window, "nextButton");
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::FinishStep));
        auto *folder = child<QLineEdit>(window, "outputFolderLineEdit");
        folder->setFocus();
        QTest::keyClick(folder, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(folder, Qt::Key_Delete);
        QTest::keyClicks(folder, outputDir);
        QTest::mouseClick(child<QPushButton>(window, "saveButton"), Qt::LeftButton);
        auto *archive = child<QLineEdit>(window, "archivePathLineEdit");
        QTRY_VERIFY_WITH_TIMEOUT(!archive->text().isEmpty(), 120000);
        *archivePath = archive->text();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_CACHE_HOME", path(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_STATE_HOME", path(QStringLiteral("state")).toUtf8());
        qputenv("XDG_DATA_HOME", path(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", path(QStringLiteral("config")).toUtf8());
        m_root = path(QStringLiteral("product"));
        QByteArray log;
        for (int i = 0; i < 200; ++i)
            log += "2026-11-23T10:00:" + QByteArray::number(i % 60) + " shield[42]: scan " + QByteArray::number(i) +
                   " finished\n";
        log += "2026-11-23T10:01:00 shield[42]: licence sent to alice.smith@example.org\n";
        log += "2026-11-23T10:01:01 shield[42]: update server unreachable from 203.0.113.77\n";
        log += "2026-11-23T10:01:02 shield[42]: project Bluebird scanned\n";
        writeFile(m_root + QStringLiteral("/logs/shield.log"), log);
        writeFile(m_root + QStringLiteral("/logs/other.log"), "peer 198.51.100.23 connected\nbye\n");
        writeFile(m_root + QStringLiteral("/etc/app.conf"), "[engine]\nlevel=normal\n");
        writeFile(m_root + QStringLiteral("/net.txt"),
                  "tcp 203.0.113.77:443 ESTABLISHED\nowner alice.smith@example.org\n");
        writeFile(m_root + QStringLiteral("/notes.txt"), "notes that the user leaves out\n");
    }

    void wholeWizardProducesARedactedArchive()
    {
        const QString profile = writeProfile(QStringLiteral("profile.json"));
        auto window = openWindow(profile);
        walkToReview(window.get());
        if (QTest::currentTestFailed())
            return;
        auto *files = child<QTreeWidget>(window.get(), "filesTreeWidget");
        QVERIFY(findRow(files, QStringLiteral("shield.log")));
        QVERIFY(!findRow(files, QStringLiteral("notes.txt")));

        const QString output = path(QStringLiteral("out-default"));
        QString archive;
        saveArchive(window.get(), output, &archive);
        QVERIFY(!archive.isEmpty());
        QVERIFY(QFileInfo(archive).fileName().contains(QStringLiteral("CASE-42")));
        QCOMPARE(modeOf(archive), 0600);

        const QMap<QString, QByteArray> entries = readArchive(archive);
        QVERIFY2(entries.contains(QStringLiteral("service-logs/app-logs/shield.log")),
                 qPrintable(QStringList(entries.keys()).join(QLatin1Char(' '))));
        QVERIFY(entries.contains(QStringLiteral("manifest.json")));
        QVERIFY(entries.contains(QStringLiteral("summary.html")));
        QVERIFY(entries.contains(QStringLiteral("redaction.json")));
        for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
            QVERIFY2(!it.value().contains("alice.smith@example.org"), qPrintable(it.key()));
            QVERIFY2(!it.value().contains("203.0.113.77"), qPrintable(it.key()));
            QVERIFY2(!it.key().contains(QStringLiteral("notes")), qPrintable(it.key()));
        }
        const QByteArray log = entries.value(QStringLiteral("service-logs/app-logs/shield.log"));
        QVERIFY(log.contains("licence sent to [email-"));
        QVERIFY(log.contains("project Bluebird")); // not personal data by itself
        const QJsonObject manifest = QJsonDocument::fromJson(entries.value(QStringLiteral("manifest.json"))).object();
        QCOMPARE(manifest.value(QStringLiteral("case_id")).toString(), QStringLiteral("CASE-42"));

        // The sha256 shown is the archive's.
        QFile file(archive);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(child<QLineEdit>(window.get(), "sha256LineEdit")->text().toLatin1(),
                 QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
        // The pseudonym map is beside the archive, private; the receipt is kept locally.
        QCOMPARE(modeOf(archive + QStringLiteral(".map.json")), 0600);
        QFile map(archive + QStringLiteral(".map.json"));
        QVERIFY(map.open(QIODevice::ReadOnly));
        QVERIFY(map.readAll().contains("alice.smith@example.org"));
        const QStringList receipts = QDir(path(QStringLiteral("data/diagcollect/receipts"))).entryList(QDir::Files);
        QCOMPARE(receipts.size(), 1);
        QFile receiptFile(path(QStringLiteral("data/diagcollect/receipts/")) + receipts.first());
        QVERIFY(receiptFile.open(QIODevice::ReadOnly));
        const QJsonObject receipt = QJsonDocument::fromJson(receiptFile.readAll()).object();
        QCOMPARE(receipt.value(QStringLiteral("archive")).toObject().value(QStringLiteral("sha256")).toString(),
                 child<QLineEdit>(window.get(), "sha256LineEdit")->text());
        QVERIFY(receipt.value(QStringLiteral("redaction")).toObject().value(QStringLiteral("redacted")).toInt() >= 3);

        // The archive verifies with the CLI.
        QProcess verify;
        verify.start(QStringLiteral(DC_BINARY), {QStringLiteral("verify"), archive});
        QVERIFY(verify.waitForFinished(60000));
        QVERIFY2(verify.exitCode() == 0, QByteArray(verify.readAllStandardOutput() + verify.readAllStandardError()));

        // Closing removes staging.
        window->close();
        window.reset();
        QVERIFY2(stagingLeftovers().isEmpty(), qPrintable(stagingLeftovers().join(QLatin1Char(' '))));
    }

    void decisionsChangeTheArchive()
    {
        const QString profile = writeProfile(QStringLiteral("profile.json"));
        auto window = openWindow(profile);
        walkToReview(window.get());
        if (QTest::currentTestFailed())
            return;

        // Keep one finding (the e-mail in shield.log): untick it in the findings list.
        auto *files = child<QTreeWidget>(window.get(), "filesTreeWidget");
        QTreeWidgetItem *log = findRow(files, QStringLiteral("shield.log"));
        QVERIFY(log);
        clickRow(files, log);
        auto *findings = child<QTreeWidget>(window.get(), "findingsTreeWidget");
        QTRY_VERIFY(findings->topLevelItemCount() >= 2);
        QTreeWidgetItem *email = findRow(findings, QStringLiteral("alice.smith@example.org"), 1);
        QVERIFY(email);
        QCOMPARE(email->checkState(0), Qt::Checked);
        clickRow(findings, email, 0);
        QCOMPARE(findings->currentItem(), email);
        QTest::keyClick(findings, Qt::Key_Space);
        QCOMPARE(email->checkState(0), Qt::Unchecked);

        // Redact a term everywhere from a selection of a line.
        auto *view = child<QAbstractItemView>(window.get(), "logListView");
        QTRY_VERIFY(view->model()->rowCount() > 200);
        QTest::keyClick(view, Qt::Key_End);
        auto *selected = child<QLineEdit>(window.get(), "selectedLineEdit");
        QTRY_VERIFY(selected->text().contains(QStringLiteral("Bluebird")));
        selected->setFocus();
        QTest::keyClick(selected, Qt::Key_End);
        for (int i = 0; i < int(strlen(" scanned")); ++i)
            QTest::keyClick(selected, Qt::Key_Left);
        for (int i = 0; i < int(strlen("Bluebird")); ++i)
            QTest::keyClick(selected, Qt::Key_Left, Qt::ShiftModifier);
        QCOMPARE(selected->selectedText(), QStringLiteral("Bluebird"));
        auto *next = child<QPushButton>(window.get(), "nextButton");
        click(child<QPushButton>(window.get(), "redactSelectionButton"));
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), 60000); // rescanned
        QCOMPARE(window->context()->plan().terms(), QStringList{QStringLiteral("Bluebird")});

        // Exclude other.log.
        QTreeWidgetItem *other = findRow(files, QStringLiteral("other.log"));
        QVERIFY(other);
        clickRow(files, other);
        click(child<QPushButton>(window.get(), "excludeButton"));
        QCOMPARE(other->text(4), QStringLiteral("no"));

        QString archive;
        saveArchive(window.get(), path(QStringLiteral("out-decisions")), &archive);
        QVERIFY(!archive.isEmpty());
        const QMap<QString, QByteArray> entries = readArchive(archive);
        const QByteArray shield = entries.value(QStringLiteral("service-logs/app-logs/shield.log"));
        QVERIFY(shield.contains("licence sent to alice.smith@example.org")); // kept by the user
        QVERIFY(!shield.contains("Bluebird"));                               // the added term
        QVERIFY(shield.contains("[keyword-"));
        QVERIFY(!shield.contains("203.0.113.77"));
        QVERIFY(!entries.contains(QStringLiteral("service-logs/app-logs/other.log")));
        for (const QByteArray &content : entries)
            QVERIFY(!content.contains("198.51.100.23"));
        const QJsonObject manifest = QJsonDocument::fromJson(entries.value(QStringLiteral("manifest.json"))).object();
        bool recorded = false;
        for (const QJsonValue &item : manifest.value(QStringLiteral("items")).toArray())
            for (const QJsonValue &skipped : item.toObject().value(QStringLiteral("not_collected")).toArray())
                recorded |= skipped.toObject()
                                .value(QStringLiteral("reason"))
                                .toString()
                                .contains(QStringLiteral("excluded by the user"));
        QVERIFY(recorded);
    }

    void cancelDuringCollectionLeavesNothing()
    {
        const QString profile = writeProfile(QStringLiteral("hang.json"), QStringLiteral(R"(,
              {"id": "hang", "title": "Slow command", "kind": "command", "category": "os-config",
               "purpose": "hangs", "argv": ["/bin/sleep", "300"], "timeout": 600})"));
        auto window = openWindow(profile);
        clickCheckBox(child<QCheckBox>(window.get(), "consentCheckBox"));
        auto *next = child<QPushButton>(window.get(), "nextButton");
        click(next);
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::CollectStep));
        QTRY_VERIFY_WITH_TIMEOUT(!stagingLeftovers().isEmpty(), 20000);
        auto *items = child<QTreeWidget>(window.get(), "collectItemsTreeWidget");
        QTRY_VERIFY_WITH_TIMEOUT(findRow(items, QStringLiteral("Running"), 1) != nullptr, 20000);
        QTest::qWait(300);
        QElapsedTimer clock;
        clock.start();
        click(child<QPushButton>(window.get(), "cancelCollectButton"));
        QTRY_VERIFY_WITH_TIMEOUT(stagingLeftovers().isEmpty(), 10000);
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QTRY_VERIFY(child<QPushButton>(window.get(), "backButton")->isEnabled());
        QVERIFY(!next->isEnabled());
        QVERIFY(!child<QWidget>(window.get(), "messageWidget")->isHidden());
        window.reset();
        QVERIFY(stagingLeftovers().isEmpty());
    }
};

QTEST_MAIN(TestWizard)
#include "test_wizard.moc"
