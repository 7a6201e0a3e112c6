// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/guitools.h"

#include "app/gui/mainwindow.h"
#include "app/gui/wizardcontext.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QDialog>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QRadioButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <cstdio>
#include <functional>

namespace dc::gui {

namespace {

// Waits in a real event loop (the thread sleeps in poll() between events, as
// in normal use); a processEvents() spin would itself compete for the CPU.
bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    if (condition())
        return true;
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (condition())
            loop.quit();
    });
    poll.start(20);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return condition();
}

void waitMs(int ms)
{
    QElapsedTimer clock;
    clock.start();
    waitUntil([&] { return clock.elapsed() >= ms; }, ms + 1000);
}

void printJson(const QJsonObject &object)
{
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

// Measures how late a 10 ms timer fires: the longest time the GUI thread
// could not run its event loop.
class LatencyProbe : public QObject
{
public:
    LatencyProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double late = double(now - m_last) / 1e6 - 10.0;
            m_last = now;
            m_max = std::max(m_max, late);
            if (late > 50 && qEnvironmentVariableIsSet("DC_LATENCY_TRACE"))
                std::fprintf(stderr, "stall %.0f ms, %lld ms after start\n", late, now / 1000000);
            ++m_ticks;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_max = 0;
        m_ticks = 0;
        m_timer.start();
    }
    // The longest stall since start(), in ms.
    double stop()
    {
        m_timer.stop();
        return std::max(0.0, m_max);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_max = 0;
    int m_ticks = 0;
};

} // namespace

int runScreenshotTour(const GuiOptions &options, const GuiStartup &startup)
{
    const QString dir = QDir(options.screenshotDir).absolutePath();
    QDir().mkpath(dir);
    const QString language = options.language.isEmpty() ? QStringLiteral("en") : options.language;
    MainWindow window(options, startup);
    // docs/screenshots are rendered at 1024x700; --window-size checks other sizes (900x588 is the default).
    window.resize(options.windowSize.isValid() ? options.windowSize : QSize(1024, 700));
    window.show();
    waitUntil([&] { return window.isVisible(); }, 5000);
    waitMs(300);
    int failures = 0;
    auto shot = [&](QWidget *widget, const QString &name) {
        waitMs(250);
        const QString path = QStringLiteral("%1/%2-%3.png").arg(dir, language, name);
        if (!widget->grab().save(path))
            ++failures;
        std::fprintf(stderr, "%s\n", qPrintable(path));
    };

    window.findChild<QCheckBox *>(QStringLiteral("consentCheckBox"))->setChecked(true);
    shot(&window, QStringLiteral("1-welcome"));
    // Full-log mode when the profile has it: the welcome page's banner, then the Reproduce step.
    const bool fullLogs = window.context()->fullLogsAvailable();
    if (fullLogs) {
        window.findChild<QRadioButton *>(QStringLiteral("fullLogsRadioButton"))->setChecked(true);
        shot(&window, QStringLiteral("1b-welcome-full-logs"));
    }
    window.goNext();
    shot(&window, QStringLiteral("2-choose"));
    window.goNext();
    if (fullLogs) {
        shot(&window, QStringLiteral("2b-reproduce"));
        window.goNext();
    }
    waitMs(1200); // mid-run: some items done, some running
    shot(&window, QStringLiteral("3-collect"));
    bool ready = false;
    QObject::connect(window.context(), &WizardContext::reviewReady, &window, [&] { ready = true; });
    waitUntil([&] { return ready; }, 180000);
    waitMs(200);
    window.goNext();
    // The Findings of the local analysis, the first one selected.
    waitUntil([&] { return window.context()->analysisFindings().has_value(); }, 60000);
    shot(&window, QStringLiteral("3b-findings"));
    window.goNext();
    // Open the file with the most findings, side by side with its redacted copy.
    auto *files = window.findChild<QTreeWidget *>(QStringLiteral("filesTreeWidget"));
    QTreeWidgetItem *best = nullptr;
    qint64 most = -1;
    for (QTreeWidgetItemIterator it(files); *it; ++it) {
        const auto *scan = window.context()->findingsFor((*it)->data(0, Qt::UserRole + 1).toString());
        if (scan && scan->totalFindings > most) {
            most = scan->totalFindings;
            best = *it;
        }
    }
    if (best)
        files->setCurrentItem(best);
    window.findChild<QCheckBox *>(QStringLiteral("compareCheckBox"))->setChecked(true);
    waitMs(800);
    if (auto *findings = window.findChild<QTreeWidget *>(QStringLiteral("findingsTreeWidget"));
        findings && findings->topLevelItemCount() > 0)
        findings->setCurrentItem(findings->topLevelItem(0));
    waitMs(500);
    shot(&window, QStringLiteral("4-review"));
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("reviewTabWidget"));
    tabs->setCurrentIndex(1);
    auto *lookup = window.findChild<QLineEdit *>(QStringLiteral("reverseLookupLineEdit"));
    lookup->setText(QStringLiteral("[email-1]"));
    shot(&window, QStringLiteral("4b-review-values"));
    tabs->setCurrentIndex(4);
    shot(&window, QStringLiteral("4c-review-summary"));
    tabs->setCurrentIndex(0);
    window.goNext();
    bool saved = false;
    QObject::connect(window.context(), &WizardContext::packagingFinished, &window, [&] { saved = true; });
    window.findChild<QAbstractButton *>(QStringLiteral("saveButton"))->click();
    waitUntil([&] { return saved; }, 180000);
    shot(&window, QStringLiteral("5-finish"));

    window.showWhatIsCollected();
    if (auto *dialog = window.findChild<QDialog *>(QStringLiteral("whatCollectedDialog"))) {
        shot(dialog, QStringLiteral("6-what-is-collected"));
        dialog->close();
    }
    window.showHistory();
    if (auto *dialog = window.findChild<QDialog *>(QStringLiteral("historyDialog"))) {
        shot(dialog, QStringLiteral("7-previous-collections"));
        dialog->close();
    }
    window.showAbout();
    if (auto *dialog = window.findChild<QDialog *>(QStringLiteral("aboutDialog"))) {
        shot(dialog, QStringLiteral("8-about"));
        dialog->close();
    }
    window.close();
    return failures == 0 && saved ? 0 : 1;
}

int runMeasureStartup(const GuiOptions &options, const GuiStartup &startup)
{
    class FirstPaint : public QObject
    {
    public:
        qint64 paintedAt = -1;
        const GuiOptions *options = nullptr;
        bool eventFilter(QObject *watched, QEvent *event) override
        {
            if (event->type() == QEvent::Paint && paintedAt < 0)
                paintedAt = options->sinceLaunch.elapsed();
            return QObject::eventFilter(watched, event);
        }
    } watcher;
    watcher.options = &options;
    MainWindow window(options, startup);
    window.installEventFilter(&watcher);
    window.show();
    waitUntil([&] { return watcher.paintedAt >= 0; }, 10000);
    // The frame is flushed after the paint events of this update have run.
    QApplication::processEvents();
    printJson({{QStringLiteral("first_paint_ms"), watcher.paintedAt},
               {QStringLiteral("flushed_ms"), options.sinceLaunch.elapsed()},
               {QStringLiteral("epoch_ms"), QDateTime::currentMSecsSinceEpoch()}});
    return watcher.paintedAt >= 0 ? 0 : 1;
}

int runMeasureLatency(const GuiOptions &options, const GuiStartup &startup)
{
    MainWindow window(options, startup);
    window.show();
    waitMs(300);
    LatencyProbe probe;
    QJsonObject result;
    QElapsedTimer clock;

    window.findChild<QCheckBox *>(QStringLiteral("consentCheckBox"))->setChecked(true);
    window.goNext();
    bool collected = false;
    bool ready = false;
    QObject::connect(window.context(), &WizardContext::collectionFinished, &window, [&] { collected = true; });
    QObject::connect(window.context(), &WizardContext::reviewReady, &window, [&] { ready = true; });
    probe.start();
    clock.start();
    window.goNext(); // starts the collection
    waitUntil([&] { return collected; }, 600000);
    result.insert(QStringLiteral("collect_ms"), clock.elapsed());
    result.insert(QStringLiteral("collect_max_stall_ms"), probe.stop());
    probe.start();
    clock.restart();
    waitUntil([&] { return ready; }, 600000);
    result.insert(QStringLiteral("scan_ms"), clock.elapsed());
    result.insert(QStringLiteral("scan_max_stall_ms"), probe.stop());
    probe.start();
    clock.restart();
    window.goNext(); // the review page fills its lists
    waitMs(500);
    result.insert(QStringLiteral("review_open_max_stall_ms"), probe.stop());
    QTemporaryDir output;
    window.findChild<QLineEdit *>(QStringLiteral("outputFolderLineEdit"))->clear();
    window.goNext();
    window.findChild<QLineEdit *>(QStringLiteral("outputFolderLineEdit"))->setText(output.path());
    bool saved = false;
    QObject::connect(window.context(), &WizardContext::packagingFinished, &window, [&] { saved = true; });
    probe.start();
    clock.restart();
    window.findChild<QAbstractButton *>(QStringLiteral("saveButton"))->click();
    waitUntil([&] { return saved; }, 600000);
    result.insert(QStringLiteral("package_ms"), clock.elapsed());
    result.insert(QStringLiteral("package_max_stall_ms"), probe.stop());
    result.insert(QStringLiteral("items"), int(window.context()->manifest().items.size()));
    result.insert(QStringLiteral("files"), int(window.context()->entries().size()));
    qint64 findings = 0;
    for (const auto &scan : window.context()->scans())
        findings += scan.totalFindings;
    result.insert(QStringLiteral("findings"), findings);
    printJson(result);
    window.close();
    return ready && saved ? 0 : 1;
}

} // namespace dc::gui
