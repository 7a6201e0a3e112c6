// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// Drives the desktop wizard end to end the way a user does: clicks and key
// presses on widgets found by object name, then checks the archive it wrote.
// Full-log mode runs against a copy of the Acme fixture product
// (tests/data/acme is never modified); the administrator's policy comes from
// $DIAGCOLLECT_POLICY, full logging's state from $DIAGCOLLECT_STATE_DIR.
#include "app/gui/guiapp.h"
#include "app/gui/mainwindow.h"
#include "app/gui/messagewidget.h"
#include "app/gui/wizardcontext.h"
#include "core/seal/sealing.h"
#include "tests/gui/wizardwalk.h"
#include "tests/support/testsupport.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
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
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <archive.h>
#include <archive_entry.h>
#include <memory>
#include <sys/stat.h>

using dc::gui::GuiOptions;
using dc::gui::MainWindow;
using dc::gui::MessageWidget;

namespace {

const QString kAcmeProfile = dc::test::acmeProfile();
const QString kAcmeFixture = dc::test::acmeFixture();
using dc::test::copyTree;
using dc::test::readAll;

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

QJsonObject itemOf(const QJsonObject &manifest, const QString &id)
{
    for (const QJsonValue &item : manifest.value(QStringLiteral("items")).toArray())
        if (item[QStringLiteral("id")].toString() == id)
            return item.toObject();
    return {};
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

    // This test's copy of the Acme fixture product.
    QString m_acme;
    QString stateFile() const { return path(QStringLiteral("state-dir/full-logging.json")); }
    QString level() const
    {
        for (const QByteArray &line : readAll(m_acme + QStringLiteral("/etc/acme-shield/shield.conf")).split('\n'))
            if (line.startsWith("level"))
                return QString::fromUtf8(line);
        return QString();
    }
    QStringList restarts() const
    {
        const QByteArray log = readAll(m_acme + QStringLiteral("/var/run/acme-shield/restarts.log")).trimmed();
        return log.isEmpty() ? QStringList() : QString::fromUtf8(log).split(QLatin1Char('\n'));
    }
    void newAcmeCopy()
    {
        static int round = 0;
        m_acme = path(QStringLiteral("acme-%1").arg(++round));
        QVERIFY(copyTree(kAcmeFixture, m_acme));
    }
    // The Acme profile, optionally with a command that hangs (to cancel during collection).
    QString acmeProfile(bool withHang)
    {
        QJsonObject profile = QJsonDocument::fromJson(readAll(kAcmeProfile)).object();
        if (withHang) {
            QJsonArray items = profile.value(QStringLiteral("items")).toArray();
            items.append(
                QJsonObject{{QStringLiteral("id"), QStringLiteral("hang")},
                            {QStringLiteral("title"), QStringLiteral("Slow command")},
                            {QStringLiteral("kind"), QStringLiteral("command")},
                            {QStringLiteral("category"), QStringLiteral("os-config")},
                            {QStringLiteral("purpose"), QStringLiteral("hangs")},
                            {QStringLiteral("argv"), QJsonArray{QStringLiteral("/bin/sleep"), QStringLiteral("300")}},
                            {QStringLiteral("timeout"), 600}});
            profile.insert(QStringLiteral("items"), items);
        }
        const QString file = path(withHang ? QStringLiteral("acme-hang.json") : QStringLiteral("acme.json"));
        writeFile(file, QJsonDocument(profile).toJson());
        return file;
    }
    void setPolicy(const QByteArray &json)
    {
        static int serial = 0;
        const QString file = path(QStringLiteral("policy-%1.json").arg(++serial));
        writeFile(file, json);
        qputenv("DIAGCOLLECT_POLICY", QFile::encodeName(file));
    }
    // As runGui() starts: the policy and the full-logging recovery first.
    std::unique_ptr<MainWindow> openStarted(const QString &profile, bool fullLogs = false)
    {
        auto startup = dc::gui::prepareGuiStart();
        if (!startup) {
            qWarning("%s", qPrintable(startup.error().message));
            return nullptr;
        }
        GuiOptions options;
        options.language = QStringLiteral("en");
        options.profilePath = profile;
        options.defines << QStringLiteral("ACME_ROOT=") + m_acme;
        options.fullLogs = fullLogs;
        auto window = std::make_unique<MainWindow>(options, *startup);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("window not exposed");
        return window;
    }
    // Welcome (full logs chosen) -> Choose -> Reproduce.
    void walkToReproduce(MainWindow *window)
    {
        auto *full = child<QRadioButton>(window, "fullLogsRadioButton");
        QVERIFY(full && full->isEnabled());
        clickCheckBox(full);
        QVERIFY(full->isChecked());
        QVERIFY(window->context()->fullLogs());
        clickCheckBox(child<QCheckBox>(window, "consentCheckBox"));
        auto *next = child<QPushButton>(window, "nextButton");
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::ChooseStep));
        // The full-log-only items are listed as such.
        QVERIFY(findRow(child<QTreeWidget>(window, "itemsTreeWidget"), QStringLiteral("(full logs only)")));
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::ReproduceStep));
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
    static void clickCheckBox(QAbstractButton *box)
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
        // The Findings of the local analysis come between Collect and Review.
        QCOMPARE(window->currentStep(), int(MainWindow::FindingsStep));
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::ReviewStep));
    }

    // Welcome -> Choose -> Collect -> Findings -> Review, everything as chosen by default.
    void walkToReviewOf(MainWindow *window)
    {
        dc::test::walkWizard(window, MainWindow::ReviewStep);
        QCOMPARE(window->currentStep(), int(MainWindow::ReviewStep));
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(window, "nextButton")->isEnabled(), 60000);
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
        qputenv("DIAGCOLLECT_STATE_DIR", path(QStringLiteral("state-dir")).toUtf8());
        qunsetenv("DIAGCOLLECT_POLICY");
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

    // Issue 16: the Summary and the Save page count the same findings in the same words, with
    // the locale's digit grouping (they once said 14,094 and 14096).
    void summaryAndSaveCountAlike()
    {
        const QString product = path(QStringLiteral("many"));
        QByteArray log;
        for (int i = 0; i < 1200; ++i)
            log += "2026-11-23T10:00:00 shield[42]: update from 203.0.113." + QByteArray::number(i % 250) +
                   " for user" + QByteArray::number(i) + "@example.org\n";
        writeFile(product + QStringLiteral("/logs/many.log"), log);
        const QString profile = path(QStringLiteral("many.json"));
        writeFile(profile, QStringLiteral(R"({"format_version": 1, "name": "many", "items": [
            {"id": "app-logs", "title": "Application logs", "kind": "files", "category": "service-logs",
             "purpose": "what the product recorded", "essential": true, "paths": ["%1/logs"]}]})")
                               .arg(product)
                               .toUtf8());
        auto window = openWindow(profile);
        walkToReviewOf(window.get());
        if (QTest::currentTestFailed())
            return;
        const auto counts = window->context()->redactionCounts();
        QVERIFY2(counts.redacted >= 2400, qPrintable(QString::number(counts.redacted)));
        const QString sentence = QStringLiteral("%1 values replaced by pseudonyms, 0 kept by your choice.")
                                     .arg(QLocale().toString(counts.redacted));
        QVERIFY(sentence.contains(QLatin1Char(','))); // 2,400 and more: grouped
        auto *summary = child<QLabel>(window.get(), "redactionSummaryLabel");
        QVERIFY2(summary->text().contains(sentence), qPrintable(summary->text()));
        QString archive;
        saveArchive(window.get(), path(QStringLiteral("out-many")), &archive);
        QVERIFY(!archive.isEmpty());
        const QString saved = child<QLabel>(window.get(), "messageLabel")->text();
        QVERIFY2(saved.contains(sentence), qPrintable(saved + QStringLiteral("\n") + sentence));
        QVERIFY2(!saved.contains(QString::number(counts.redacted)), qPrintable(saved)); // never ungrouped
    }

    // Issue 16: the unredacted staging of a run killed with SIGKILL goes when the wizard starts.
    void deadRunsStagingGoesAtTheWizardsStart()
    {
        const QString profile = writeProfile(QStringLiteral("hang-start.json"), QStringLiteral(R"(,
              {"id": "hang", "title": "Slow command", "kind": "command", "category": "os-config",
               "purpose": "hangs", "argv": ["/bin/sleep", "300"], "timeout": 600})"));
        QVERIFY(stagingLeftovers().isEmpty());
        QProcess process;
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(QStringLiteral(DC_BINARY), {QStringLiteral("collect"), QStringLiteral("--profile"), profile,
                                                  QStringLiteral("--output"), path(QStringLiteral("out-killed"))});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!stagingLeftovers().isEmpty(), 20000);
        process.kill(); // SIGKILL: no chance to clean up
        QVERIFY(process.waitForFinished(10000));
        QVERIFY(!stagingLeftovers().isEmpty());
        auto startup = dc::gui::prepareGuiStart();
        QVERIFY(startup);
        QVERIFY2(stagingLeftovers().isEmpty(), qPrintable(stagingLeftovers().join(QLatin1Char(' '))));
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
        QTRY_VERIFY(!findRow(items, QStringLiteral("Running"), 1)); // nothing spins after a cancel
        QVERIFY(findRow(items, QStringLiteral("Cancelled"), 1));
        QTRY_VERIFY(child<QPushButton>(window.get(), "backButton")->isEnabled());
        QVERIFY(!next->isEnabled());
        QVERIFY(!child<QWidget>(window.get(), "messageWidget")->isHidden());
        window.reset();
        QVERIFY(stagingLeftovers().isEmpty());
    }

    void cleanup()
    {
        qunsetenv("DIAGCOLLECT_POLICY");
        QFile::remove(stateFile());
    }

    void fullLogRoundRaisesLoggingAndRestoresIt()
    {
        newAcmeCopy();
        auto window = openStarted(acmeProfile(false));
        QVERIFY(window);
        auto *banner = child<MessageWidget>(window.get(), "fullLogsBanner");
        QVERIFY(banner->isHidden());
        QVERIFY(child<QLabel>(window.get(), "fullLogsLockLabel")->isHidden());
        walkToReproduce(window.get());
        if (QTest::currentTestFailed())
            return;
        // The welcome page said what more is collected, and that logging is raised and restored.
        QVERIFY2(banner->text().contains(QStringLiteral("more data")) &&
                     banner->text().contains(QStringLiteral("collected only in this mode")) &&
                     banner->text().contains(QStringLiteral("crash dumps themselves")) &&
                     banner->text().contains(QStringLiteral("rotated")) &&
                     banner->text().contains(QStringLiteral("restored right after the collection")),
                 qPrintable(banner->text()));
        QVERIFY(child<QLabel>(window.get(), "stepsLabel")->text().contains(QStringLiteral("3. Reproduce")));

        // Raised, recorded first, and said so.
        QCOMPARE(level(), QStringLiteral("level = full"));
        QVERIFY(QFileInfo::exists(stateFile()));
        QCOMPARE(restarts(), QStringList{QStringLiteral("restart level=full")});
        const QString change = child<QLabel>(window.get(), "fullLogsChangeLabel")->text();
        QVERIFY2(change.contains(QStringLiteral("logging.level")) && change.contains(QStringLiteral("shield.conf")) &&
                     change.contains(QStringLiteral("is now \"full\"")) &&
                     change.contains(QStringLiteral("it was \"normal\"")),
                 qPrintable(change));
        auto *countdown = child<QLabel>(window.get(), "countdownLabel");
        QVERIFY2(countdown->text().startsWith(QStringLiteral("Time left: 1:59:")) ||
                     countdown->text() == QStringLiteral("Time left: 2:00:00"),
                 qPrintable(countdown->text()));

        // Done: collect with the extras, then the level is restored.
        click(child<QPushButton>(window.get(), "doneButton"));
        QCOMPARE(window->currentStep(), int(MainWindow::CollectStep));
        auto *next = child<QPushButton>(window.get(), "nextButton");
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), 120000);
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QVERIFY(!QFileInfo::exists(stateFile()));
        QCOMPARE(restarts(),
                 (QStringList{QStringLiteral("restart level=full"), QStringLiteral("restart level=normal")}));
        QCOMPARE(readAll(m_acme + QStringLiteral("/etc/acme-shield/shield.conf")),
                 readAll(kAcmeFixture + QStringLiteral("/etc/acme-shield/shield.conf")));
        auto *restored = child<MessageWidget>(window.get(), "fullLogsRestoredMessage");
        QVERIFY(!restored->isHidden());
        QCOMPARE(restored->type(), MessageWidget::Type::Positive);
        QVERIFY2(restored->text().contains(QStringLiteral("normal logging level of Acme Shield was restored")),
                 qPrintable(restored->text()));

        // The manifest: full-log mode, its own item, the product's data uncapped, the dump itself.
        const QString staging = window->context()->stagingPath();
        const QJsonObject manifest =
            QJsonDocument::fromJson(readAll(staging + QStringLiteral("/manifest.json"))).object();
        QCOMPARE(manifest.value(QStringLiteral("full_logs")).toBool(), true);
        QCOMPARE(itemOf(manifest, QStringLiteral("shield-debug-state")).value(QStringLiteral("status")).toString(),
                 QStringLiteral("collected"));
        QVERIFY(QFileInfo::exists(staging + QStringLiteral("/service-logs/product-logs/shield.log.2.gz")));
        QCOMPARE(
            QFileInfo(staging + QStringLiteral("/crash-dumps/product-crash-dumps/shield-20240503-082400.dmp")).size(),
            QFileInfo(kAcmeFixture + QStringLiteral("/var/crash/acme-shield/shield-20240503-082400.dmp")).size());
        window.reset();
        QCOMPARE(level(), QStringLiteral("level = normal"));
    }

    void fullLogRoundRestoresOnBackCancelAndClose()
    {
        newAcmeCopy();
        auto window = openStarted(acmeProfile(true));
        QVERIFY(window);
        walkToReproduce(window.get());
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(level(), QStringLiteral("level = full"));

        // Back: restored at once, and said so.
        click(child<QPushButton>(window.get(), "backButton"));
        QCOMPARE(window->currentStep(), int(MainWindow::ChooseStep));
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QVERIFY(!QFileInfo::exists(stateFile()));
        QVERIFY2(window->messageWidget()->text().contains(QStringLiteral("was restored")),
                 qPrintable(window->messageWidget()->text()));

        // Cancel during the collection.
        auto *next = child<QPushButton>(window.get(), "nextButton");
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::ReproduceStep));
        QCOMPARE(level(), QStringLiteral("level = full"));
        click(next); // the window's Next does what Done does
        QCOMPARE(window->currentStep(), int(MainWindow::CollectStep));
        auto *items = child<QTreeWidget>(window.get(), "collectItemsTreeWidget");
        QTRY_VERIFY_WITH_TIMEOUT(
            findRow(items, QStringLiteral("Slow command")) &&
                findRow(items, QStringLiteral("Slow command"))->text(1).startsWith(QStringLiteral("Running")),
            30000);
        QCOMPARE(level(), QStringLiteral("level = full"));
        click(child<QPushButton>(window.get(), "cancelCollectButton"));
        QTRY_COMPARE_WITH_TIMEOUT(level(), QStringLiteral("level = normal"), 10000);
        QVERIFY(!QFileInfo::exists(stateFile()));
        QTRY_VERIFY(!child<MessageWidget>(window.get(), "fullLogsRestoredMessage")->isHidden());
        QTRY_VERIFY(stagingLeftovers().isEmpty());

        // Back to Reproduce raises again; closing the window restores.
        QTRY_VERIFY(child<QPushButton>(window.get(), "backButton")->isEnabled());
        click(child<QPushButton>(window.get(), "backButton"));
        QCOMPARE(window->currentStep(), int(MainWindow::ReproduceStep));
        QCOMPARE(level(), QStringLiteral("level = full"));
        window->close();
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QVERIFY(!QFileInfo::exists(stateFile()));
        window.reset();

        // A window destroyed without closing (the context's destructor) restores too.
        window = openStarted(acmeProfile(false));
        walkToReproduce(window.get());
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(level(), QStringLiteral("level = full"));
        window.reset();
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QVERIFY(!QFileInfo::exists(stateFile()));
        QCOMPARE(restarts().size(), 8); // four rounds, each raised and restored
    }

    void levelLeftByACrashedRunIsRestoredAtStart()
    {
        newAcmeCopy();
        // A headless full-log round, killed while the level is raised.
        QProcess crashed;
        crashed.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
        crashed.setStandardInputFile(QProcess::nullDevice());
        crashed.start(QStringLiteral(DC_BINARY),
                      {QStringLiteral("collect"), QStringLiteral("--profile"), kAcmeProfile, QStringLiteral("--define"),
                       QStringLiteral("ACME_ROOT=") + m_acme, QStringLiteral("--full-logs"),
                       QStringLiteral("--reproduce"), QStringLiteral("300"), QStringLiteral("--output"),
                       path(QStringLiteral("out-crashed")), QStringLiteral("--quiet")});
        QVERIFY(crashed.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(stateFile()) && level() == QLatin1String("level = full"), 30000);
        crashed.kill();
        QVERIFY(crashed.waitForFinished());
        QCOMPARE(level(), QStringLiteral("level = full"));

        // The next start of the GUI restores it, and the welcome page says so.
        auto window = openStarted(acmeProfile(false));
        QVERIFY(window);
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QVERIFY(!QFileInfo::exists(stateFile()));
        auto *banner = child<MessageWidget>(window.get(), "recoveryBanner");
        QVERIFY(!banner->isHidden());
        QVERIFY2(banner->text().contains(QStringLiteral("Full logging was still on")) &&
                     banner->text().contains(QStringLiteral("Acme Shield")),
                 qPrintable(banner->text()));
    }

    void policyWithoutFullLogsLocksTheOption()
    {
        newAcmeCopy();
        setPolicy(R"({"allow_full_logs": false})");
        const QString policyFile = qEnvironmentVariable("DIAGCOLLECT_POLICY");
        auto window = openStarted(acmeProfile(false), true); // --full-logs asked for on the command line
        QVERIFY(window);
        QVERIFY(!window->context()->fullLogs());
        auto *full = child<QRadioButton>(window.get(), "fullLogsRadioButton");
        QVERIFY(!full->isEnabled());
        QVERIFY(!full->isChecked());
        auto *lock = child<QLabel>(window.get(), "fullLogsLockLabel");
        QVERIFY(!lock->isHidden());
        QVERIFY2(lock->text().contains(QStringLiteral("not allowed")) &&
                     lock->text().contains(QStringLiteral("Set by your administrator's policy (%1)").arg(policyFile)),
                 qPrintable(lock->text()));
        QCOMPARE(full->toolTip(), lock->text());
        QVERIFY(window->messageWidget()->text().contains(QStringLiteral("not allowed")));
        window->context()->setFullLogs(true);
        QVERIFY(!window->context()->fullLogs());
        QVERIFY(!window->context()->raiseFullLogging());
        // Normal collection goes on, without the Reproduce step.
        clickCheckBox(child<QCheckBox>(window.get(), "consentCheckBox"));
        auto *next = child<QPushButton>(window.get(), "nextButton");
        click(next);
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::CollectStep));
        QCOMPARE(level(), QStringLiteral("level = normal"));
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), 120000);
        window.reset();

        // Without a policy, a profile that cannot raise the product's logging shows why too.
        qunsetenv("DIAGCOLLECT_POLICY");
        window = openStarted(writeProfile(QStringLiteral("profile.json")));
        QVERIFY(!child<QRadioButton>(window.get(), "fullLogsRadioButton")->isEnabled());
        QVERIFY(child<QLabel>(window.get(), "fullLogsLockLabel")->text().contains(QStringLiteral("does not say how")));
    }

    void policyLocksRedactionSealingUploadAndCategories()
    {
        auto keys = dc::core::generateSealKeyPair();
        QVERIFY(keys);
        setPolicy(QStringLiteral(R"({"force_redaction": true, "disabled_categories": ["system-logs"],
            "redaction_rules": {"keywords": ["Bluebird"]}, "upload": {"forbidden": true},
            "require_sealing": true, "seal_public_key": "%1"})")
                      .arg(dc::core::encodeKey(keys->publicKey))
                      .toUtf8());
        const QString reason =
            QStringLiteral("Set by your administrator's policy (%1).").arg(qEnvironmentVariable("DIAGCOLLECT_POLICY"));
        auto window = openStarted(writeProfile(QStringLiteral("profile.json")));
        QVERIFY(window);
        clickCheckBox(child<QCheckBox>(window.get(), "consentCheckBox"));
        QVERIFY(child<QLabel>(window.get(), "categoriesLabel")
                    ->text()
                    .contains(QStringLiteral("disabled by your administrator")));
        auto *next = child<QPushButton>(window.get(), "nextButton");
        click(next);

        // Choose: the disabled category's item is locked off, with the reason.
        auto *items = child<QTreeWidget>(window.get(), "itemsTreeWidget");
        QTreeWidgetItem *extra = findRow(items, QStringLiteral("Extra notes"));
        QVERIFY(extra);
        QVERIFY2(extra->text(0).contains(QStringLiteral("disabled by your administrator's policy")),
                 qPrintable(extra->text(0)));
        QCOMPARE(extra->checkState(0), Qt::Unchecked);
        QVERIFY(!(extra->flags() & Qt::ItemIsUserCheckable));
        QCOMPARE(extra->toolTip(0), reason);
        clickRow(items, extra);
        QTest::keyClick(items, Qt::Key_Space);
        QCOMPARE(extra->checkState(0), Qt::Unchecked);
        click(child<QPushButton>(window.get(), "selectAllButton"));
        QCOMPARE(extra->checkState(0), Qt::Unchecked);
        auto *note = child<QLabel>(window.get(), "policyNoteLabel");
        QVERIFY(!note->isHidden());
        QVERIFY(note->text().contains(reason));
        QVERIFY(child<QLabel>(window.get(), "purposeLabel")->text().contains(QStringLiteral("Not collected")));

        // Review: redaction is locked on, with the reason.
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::CollectStep));
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), 120000);
        click(next);
        // The Findings of the local analysis come between Collect and Review.
        QCOMPARE(window->currentStep(), int(MainWindow::FindingsStep));
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::ReviewStep));
        auto *lock = child<QLabel>(window.get(), "redactionLockLabel");
        QVERIFY(!lock->isHidden());
        QVERIFY2(lock->text().contains(QStringLiteral("cannot be turned off")) &&
                     lock->text().contains(reason.toHtmlEscaped()),
                 qPrintable(lock->text()));
        auto *files = child<QTreeWidget>(window.get(), "filesTreeWidget");
        clickRow(files, findRow(files, QStringLiteral("shield.log")));
        auto *findings = child<QTreeWidget>(window.get(), "findingsTreeWidget");
        QTRY_VERIFY(findings->topLevelItemCount() >= 3);
        QTreeWidgetItem *email = findRow(findings, QStringLiteral("alice.smith@example.org"), 1);
        QVERIFY(email);
        QVERIFY(!(email->flags() & Qt::ItemIsUserCheckable));
        clickRow(findings, email, 0);
        QTest::keyClick(findings, Qt::Key_Space);
        QCOMPARE(email->checkState(0), Qt::Checked);
        QVERIFY(findRow(findings, QStringLiteral("Bluebird"), 1)); // the policy's keyword
        auto *rules = child<QTreeWidget>(window.get(), "rulesTreeWidget");
        for (int i = 0; i < rules->topLevelItemCount(); ++i)
            QVERIFY(!(rules->topLevelItem(i)->flags() & Qt::ItemIsUserCheckable));

        // Finish: sealing locked on, sending locked off, both with the reason.
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::FinishStep));
        auto *seal = child<QCheckBox>(window.get(), "sealCheckBox");
        QVERIFY(!seal->isHidden() && seal->isChecked() && !seal->isEnabled());
        QVERIFY(child<QLabel>(window.get(), "sealNoteLabel")->text().contains(reason));
        QVERIFY(!child<QWidget>(window.get(), "uploadGroupBox")->isHidden());
        QVERIFY(!child<QPushButton>(window.get(), "sendButton")->isEnabled());
        QVERIFY(child<QLabel>(window.get(), "uploadNoteLabel")->text().contains(reason));
        auto *folder = child<QLineEdit>(window.get(), "outputFolderLineEdit");
        folder->setText(path(QStringLiteral("out-policy")));
        click(child<QPushButton>(window.get(), "saveButton"));
        auto *archivePath = child<QLineEdit>(window.get(), "archivePathLineEdit");
        QTRY_VERIFY_WITH_TIMEOUT(!archivePath->text().isEmpty(), 120000);
        QVERIFY(!child<QPushButton>(window.get(), "sendButton")->isEnabled());
        const QString sealed = archivePath->text();
        QVERIFY2(sealed.endsWith(QLatin1String(dc::core::kSealedSuffix)), qPrintable(sealed));
        QVERIFY(!QFileInfo::exists(sealed.chopped(int(strlen(dc::core::kSealedSuffix))))); // no plaintext left
        const QString plain = path(QStringLiteral("unsealed.tar.zst"));
        QVERIFY(dc::core::unsealFile(sealed, plain, *keys));
        const QMap<QString, QByteArray> entries = readArchive(plain);
        const QByteArray log = entries.value(QStringLiteral("service-logs/app-logs/shield.log"));
        QVERIFY(!log.isEmpty());
        QVERIFY(!log.contains("alice.smith@example.org"));
        QVERIFY(!log.contains("Bluebird"));
        const QJsonObject manifest = QJsonDocument::fromJson(entries.value(QStringLiteral("manifest.json"))).object();
        const QJsonObject notes = itemOf(manifest, QStringLiteral("extra-notes"));
        QCOMPARE(notes.value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
        QCOMPARE(notes.value(QStringLiteral("reason")).toString(), QLatin1String(dc::core::kDisabledByPolicyReason));
    }

    void badPolicyStopsTheGui()
    {
        setPolicy(R"({"upload": {"adress": "support.example"}, "allow_full_logs": "no"})");
        const QString file = qEnvironmentVariable("DIAGCOLLECT_POLICY");
        auto startup = dc::gui::prepareGuiStart();
        QVERIFY(!startup);
        const QString message = startup.error().message;
        QVERIFY2(message.contains(file + QStringLiteral(": upload.adress: unknown key")) &&
                     message.contains(QStringLiteral("allow_full_logs: expected true or false")) &&
                     message.contains(QStringLiteral("does not run until it is fixed")),
                 qPrintable(message));

        // The real binary in GUI mode refuses to start: exit code 2, the error on stderr.
        QProcess gui;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        gui.setProcessEnvironment(env);
        gui.start(QStringLiteral(DC_BINARY), {QStringLiteral("--lang"), QStringLiteral("en")});
        QVERIFY(gui.waitForStarted());
        if (!gui.waitForFinished(60000)) {
            gui.kill();
            gui.waitForFinished();
            QFAIL("the wizard started despite a bad policy");
        }
        QCOMPARE(gui.exitStatus(), QProcess::NormalExit);
        QCOMPARE(gui.exitCode(), 2);
        const QByteArray err = gui.readAllStandardError();
        QVERIFY2(err.contains("upload.adress: unknown key") && err.contains("does not run until it is fixed"),
                 err.constData());
    }
};

QTEST_MAIN(TestWizard)
#include "test_wizard.moc"
