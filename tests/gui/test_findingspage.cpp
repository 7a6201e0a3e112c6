// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The Findings page between Collect and Review: what the local analysis found
// in the staged data (severity, title, explanation, advice, evidence), the
// jump to the evidence in the review's viewer, the plain "nothing found", and
// Japanese. Real widgets on the offscreen platform, at 900x588 and 1024x700.
#include "app/gui/findingspage.h"
#include "app/gui/mainwindow.h"
#include "app/gui/reviewpage.h"
#include "app/gui/wizardcontext.h"
#include "core/util/language.h"
#include "tests/gui/wizardwalk.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtTest>
#include <memory>

using dc::gui::FindingsPage;
using dc::gui::GuiOptions;
using dc::gui::MainWindow;
using dc::gui::ReviewPage;

namespace {

// JSON written with ' for " (AutoMoc's scan trips over raw strings with quotes).
QByteArray json(const char *text) { return QByteArray(text).replace('\'', '"'); }

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

template <typename T> T *child(QWidget *window, const char *name)
{
    T *widget = window->findChild<T *>(QLatin1String(name));
    if (!widget)
        qWarning("no widget %s", name);
    return widget;
}

// Whether the whole widget is on screen inside the window.
bool fullyVisible(QWidget *widget)
{
    return widget->isVisible() && widget->visibleRegion().boundingRect().size() == widget->size();
}

void shoot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("DC_LAYOUT_SHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(100);
    window->grab().save(QStringLiteral("%1/%2-%3x%4.png").arg(dir, name).arg(window->width()).arg(window->height()));
}

} // namespace

class TestFindingsPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_problems; // a profile whose run has an error and a warning
    QString m_clean;    // a profile whose run has nothing to report

    QString path(const QString &relative) const { return m_home.path() + QLatin1Char('/') + relative; }

    std::unique_ptr<MainWindow> openWindow(const QString &profile, QSize size, const QString &language)
    {
        dc::core::installTranslations(language);
        GuiOptions options;
        options.language = language;
        options.profilePath = profile;
        auto window = std::make_unique<MainWindow>(options);
        window->show();
        window->resize(size);
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("window not exposed");
        if (!QTest::qWaitFor([&] { return window->size() == size; }))
            qWarning("window not resized");
        return window;
    }

    static void click(QWidget *widget)
    {
        QVERIFY(widget);
        QVERIFY2(widget->isEnabled(), qPrintable(widget->objectName()));
        QTest::mouseClick(widget, Qt::LeftButton);
    }

    // Welcome (consent) -> Choose -> Collect -> Findings, the analysis done.
    void walkToFindings(MainWindow *window)
    {
        dc::test::walkWizard(window, MainWindow::FindingsStep);
        QCOMPARE(window->currentStep(), int(MainWindow::FindingsStep));
        QTRY_VERIFY_WITH_TIMEOUT(window->context()->analysisFindings().has_value(), 60000);
        QTRY_VERIFY(!child<QProgressBar>(window, "analysisProgressBar")->isVisible());
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
        // 400 lines; the queue panics at lines 120 and 250.
        QByteArray log;
        for (int i = 1; i <= 400; ++i) {
            const QByteArray number = QByteArray::number(i);
            if (i == 120 || i == 250)
                log += QByteArray("2026-11-23T10:00:00 shield[42]: PANIC: queue full at ") + number + '\n';
            else
                log += QByteArray("2026-11-23T10:00:00 shield[42]: scan ") + number + QByteArray(" finished\n");
        }
        writeFile(path(QStringLiteral("product/logs/shield.log")), log);
        const QByteArray items = json(
            "'items': [\n"
            "              {'id': 'shield-logs', 'title': 'Shield logs', 'kind': 'files', 'category': 'service-logs',\n"
            "               'purpose': 'What the service recorded.', 'essential': true, 'paths': ['${ROOT}/logs']}");
        m_problems = path(QStringLiteral("problems/shield.json"));
        writeFile(
            m_problems,
            QString::fromUtf8(json("{'format_version': 1, 'name': 'findings-fixture',\n"
                                   "            'variables': {'ROOT': '%1'}, %2,\n"
                                   "              {'id': 'broken-tool', 'title': 'Broken tool', 'kind': 'command', "
                                   "'category': 'tool',\n"
                                   "               'purpose': 'Fails.', 'argv': ['/bin/sh', '-c', 'kill -SEGV $$']}]}"))
                .arg(path(QStringLiteral("product")), QString::fromUtf8(items))
                .toUtf8());
        writeFile(
            path(QStringLiteral("problems/shield.rules.json")),
            json("{'format': 'diagcollect-rules', 'format_version': 1, 'rules': [\n"
                 "            {'id': 'shield-queue-panic', 'severity': 'error', 'title': 'The scan queue panicked',\n"
                 "             'explanation': 'The service stopped scanning because its queue was full.',\n"
                 "             'advice': 'Restart the service and send this collection to support.',\n"
                 "             'url': 'https://support.example.com/kb/queue-panic',\n"
                 "             'translations': {'ja': {'title': 'スキャンキューが異常終了しました', 'explanation': "
                 "'キューが満杯でした。',\n"
                 "                                     'advice': 'サービスを再起動してください。'}},\n"
                 "             'when': [{'items': ['shield-logs'], 'regex': 'PANIC'}]}]}"));
        m_clean = path(QStringLiteral("clean/shield.json"));
        writeFile(m_clean, QString::fromUtf8(json("{'format_version': 1, 'name': 'findings-clean',\n"
                                                  "            'variables': {'ROOT': '%1'}, %2]}"))
                               .arg(path(QStringLiteral("product")), QString::fromUtf8(items))
                               .toUtf8());
    }

    void cleanup() { dc::core::installTranslations(QStringLiteral("en")); }

    void findingsAndTheJumpToEvidence_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("900x588 (default)") << QSize(900, 588);
        QTest::newRow("1024x700") << QSize(1024, 700);
    }

    void findingsAndTheJumpToEvidence()
    {
        QFETCH(QSize, size);
        auto window = openWindow(m_problems, size, QStringLiteral("en"));
        walkToFindings(window.get());
        shoot(window.get(), QStringLiteral("findings"));
        // Back would start over: only Next.
        QVERIFY(!child<QPushButton>(window.get(), "backButton")->isEnabled());

        auto *list = child<QTreeWidget>(window.get(), "analysisFindingsTreeWidget");
        QVERIFY(list->isVisible());
        QCOMPARE(list->topLevelItemCount(), 2);
        // Errors first; severity as an icon and a word.
        QTreeWidgetItem *error = list->topLevelItem(0);
        QCOMPARE(error->text(0), QStringLiteral("Error"));
        QVERIFY(!error->icon(0).isNull());
        QCOMPARE(error->text(1), QStringLiteral("The scan queue panicked"));
        QCOMPARE(list->topLevelItem(1)->text(0), QStringLiteral("Warning"));
        const QString summary = child<QLabel>(window.get(), "findingsSummaryLabel")->text();
        QVERIFY2(summary.contains(QLatin1String("1 error, 1 warning")), qPrintable(summary));

        // The first finding is selected and explained.
        QCOMPARE(list->currentItem(), error);
        auto *details = child<QTextBrowser>(window.get(), "findingDetailsBrowser");
        const QString text = details->toPlainText();
        for (const char *expected : {"The service stopped scanning because its queue was full.",
                                     "What to do:", "Restart the service and send this collection to support.",
                                     "support.example.com/kb/queue-panic", "Evidence", "2 matching lines",
                                     "PANIC: queue full at 120", "PANIC: queue full at 250"})
            QVERIFY2(text.contains(QLatin1String(expected)),
                     qPrintable(QString::fromLatin1(expected) + QLatin1Char('\n') + text));
        const auto &findings = window->context()->analysisFindings()->findings;
        const QString file = findings.constFirst().evidence.constFirst().file;
        QVERIFY(text.contains(file));
        QVERIFY(details->toHtml().contains(QLatin1String("evidence:0:250")));

        // Show in the review: the file at the first line listed.
        auto *show = child<QPushButton>(window.get(), "showEvidenceButton");
        QVERIFY(fullyVisible(show));
        click(show);
        QCOMPARE(window->currentStep(), int(MainWindow::ReviewStep));
        auto *review = static_cast<ReviewPage *>(window->page(MainWindow::ReviewStep));
        QCOMPARE(review->currentFile(), file);
        QCOMPARE(review->currentRow(), 119);
        shoot(window.get(), QStringLiteral("findings-evidence"));

        // Back to the findings, and a line of the evidence opens at that line.
        click(child<QPushButton>(window.get(), "backButton"));
        QCOMPARE(window->currentStep(), int(MainWindow::FindingsStep));
        QCOMPARE(list->topLevelItemCount(), 2);
        list->setCurrentItem(error);
        emit details->anchorClicked(QUrl(QStringLiteral("evidence:0:250")));
        QCOMPARE(window->currentStep(), int(MainWindow::ReviewStep));
        QCOMPARE(review->currentFile(), file);
        QCOMPARE(review->currentRow(), 249);

        // The warning: the failed item, seen in the run's own record.
        click(child<QPushButton>(window.get(), "backButton"));
        list->setCurrentItem(list->topLevelItem(1));
        QVERIFY(details->toPlainText().contains(QLatin1String("broken-tool")));
        window->context()->cancel();
    }

    void fixtureMachineTitlesWhole_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QSize>("size");
        for (const char *language : {"en", "ja"}) {
            QTest::addRow("%s 900x588", language) << QString::fromLatin1(language) << QSize(900, 588);
            QTest::addRow("%s 1024x700", language) << QString::fromLatin1(language) << QSize(1024, 700);
        }
    }

    // The fixture machine with planted problems (docs/ANALYSIS.md): 14 findings, some of them with
    // titles longer than the list is wide in Japanese; each is wrapped in its row, never cut.
    void fixtureMachineTitlesWhole()
    {
        QFETCH(QString, language);
        QFETCH(QSize, size);
        auto window = openWindow(QStringLiteral(DC_TEST_DATA_DIR "/analysis/broken-machine.json"), size, language);
        walkToFindings(window.get());
        auto *list = child<QTreeWidget>(window.get(), "analysisFindingsTreeWidget");
        QCOMPARE(list->topLevelItemCount(), 14);
        QTest::qWait(50); // the rows are measured again once the splitter has settled
        shoot(window.get(), QStringLiteral("findings-machine-") + language);
        const int margin = list->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, list) + 1;
        const int width = list->columnWidth(1) - 2 * margin;
        QVERIFY(list->header()->sectionViewportPosition(1) + list->columnWidth(1) <= list->viewport()->width());
        const int icon = list->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, list);
        for (int i = 0; i < list->topLevelItemCount(); ++i) {
            QTreeWidgetItem *item = list->topLevelItem(i);
            // The severity on one line beside its icon; the title wrapped in its column, in the row's height.
            QVERIFY2(list->columnWidth(0) >= icon + list->fontMetrics().horizontalAdvance(item->text(0)) + 2 * margin,
                     qPrintable(item->text(0)));
            const QRect needed =
                list->fontMetrics().boundingRect(QRect(0, 0, width, 0), Qt::TextWordWrap, item->text(1));
            QVERIFY2(needed.height() <= list->visualItemRect(item).height(),
                     qPrintable(QStringLiteral("%1: %2 px needed, the row has %3 px")
                                    .arg(item->text(1))
                                    .arg(needed.height())
                                    .arg(list->visualItemRect(item).height())));
        }
        window->context()->cancel();
    }

    void nothingFoundSaysSo()
    {
        auto window = openWindow(m_clean, QSize(900, 588), QStringLiteral("en"));
        walkToFindings(window.get());
        shoot(window.get(), QStringLiteral("findings-none"));
        const QString summary = child<QLabel>(window.get(), "findingsSummaryLabel")->text();
        QVERIFY2(summary.startsWith(QLatin1String("Nothing looks wrong: ")), qPrintable(summary));
        QVERIFY(!child<QSplitter>(window.get(), "findingsSplitter")->isVisible());
        QVERIFY(child<QPushButton>(window.get(), "nextButton")->isEnabled());
        click(child<QPushButton>(window.get(), "nextButton"));
        QCOMPARE(window->currentStep(), int(MainWindow::ReviewStep));
        window->context()->cancel();
    }

    void japanese()
    {
        auto window = openWindow(m_problems, QSize(900, 588), QStringLiteral("ja"));
        walkToFindings(window.get());
        shoot(window.get(), QStringLiteral("findings-ja"));
        auto *list = child<QTreeWidget>(window.get(), "analysisFindingsTreeWidget");
        QCOMPARE(list->topLevelItemCount(), 2);
        QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("エラー"));
        QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("スキャンキューが異常終了しました"));
        QCOMPARE(list->topLevelItem(1)->text(0), QStringLiteral("警告"));
        const QString details = child<QTextBrowser>(window.get(), "findingDetailsBrowser")->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("サービスを再起動してください。")), qPrintable(details));
        QVERIFY2(!details.contains(QLatin1String("What to do")), qPrintable(details));
        const QString summary = child<QLabel>(window.get(), "findingsSummaryLabel")->text();
        QVERIFY2(!summary.contains(QLatin1String("Found")), qPrintable(summary));
        QCOMPARE(window->windowTitle().contains(QStringLiteral("診断結果")), true);
        window->context()->cancel();
    }
};

QTEST_MAIN(TestFindingsPage)
#include "test_findingspage.moc"
