// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The wizard as a person meets it at the default size (900x588) and at
// 1024x700: what must be visible and readable without scrolling or resizing,
// the review's viewer and its menus, and that finished work is not thrown
// away without asking. Real widgets on the offscreen platform.
#include "app/gui/aboutdialog.h"
#include "app/gui/choosepage.h"
#include "app/gui/historydialog.h"
#include "app/gui/logmodel.h"
#include "app/gui/logview.h"
#include "app/gui/mainwindow.h"
#include "app/gui/wizardcontext.h"
#include "core/util/language.h"
#include "tests/gui/wizardwalk.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QSplitterHandle>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtTest>
#include <functional>
#include <memory>

using dc::gui::ChoosePage;
using dc::gui::GuiOptions;
using dc::gui::LogView;
using dc::gui::MainWindow;

namespace {

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

QTreeWidgetItem *findRow(QTreeWidget *tree, const QString &text, int column = 0)
{
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        if ((*it)->text(column).contains(text))
            return *it;
    return nullptr;
}

// Whether the whole widget is on screen inside the window: not clipped by a scroll area or the window's edge.
bool fullyVisible(QWidget *widget)
{
    return widget->isVisible() && widget->visibleRegion().boundingRect().size() == widget->size();
}

// The width a tree cell needs to show its text whole (check box and margins included).
int neededWidth(QTreeWidget *tree, QTreeWidgetItem *item, int column)
{
    QStyleOptionViewItem option;
    option.initFrom(tree);
    int width = tree->fontMetrics().horizontalAdvance(item->text(column)) +
                2 * (tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, tree) + 1);
    if (item->data(column, Qt::CheckStateRole).isValid())
        width += tree->style()->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, tree) +
                 tree->style()->pixelMetric(QStyle::PM_CheckBoxLabelSpacing, nullptr, tree);
    if (column == 0) {
        for (QTreeWidgetItem *parent = item->parent(); parent; parent = parent->parent())
            width += tree->indentation();
        if (tree->rootIsDecorated())
            width += tree->indentation();
    }
    return width;
}

// With DC_LAYOUT_SHOTS=DIR, saves what the window shows at the checked points (for a person to look at).
void shoot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("DC_LAYOUT_SHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(100);
    window->grab().save(QStringLiteral("%1/%2-%3x%4.png").arg(dir, name).arg(window->width()).arg(window->height()));
}

// Runs `action` on the next popup menu that opens (QMenu::exec() blocks), then closes it.
void onNextMenu(const std::function<void(QMenu *)> &action)
{
    auto *poll = new QTimer;
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, action] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        poll->stop();
        poll->deleteLater();
        action(menu);
        menu->close();
    });
    poll->start();
}

QAction *actionNamed(QMenu *menu, const char *name)
{
    for (QAction *action : menu->actions())
        if (action->objectName() == QLatin1String(name))
            return action;
    return nullptr;
}

} // namespace

class TestWizardLayout : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_profile;

    QString path(const QString &relative) const { return m_home.path() + QLatin1Char('/') + relative; }

    std::unique_ptr<MainWindow> openWindow(QSize size, const QString &language = QStringLiteral("en"))
    {
        GuiOptions options;
        options.language = language;
        options.profilePath = m_profile;
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

    static void clickRow(QTreeWidget *tree, QTreeWidgetItem *item)
    {
        tree->scrollToItem(item);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(item).center());
    }

    // Welcome (consent) -> Choose -> Collect -> Review.
    void walkToReview(MainWindow *window)
    {
        dc::test::walkWizard(window, MainWindow::ReviewStep);
        QCOMPARE(window->currentStep(), int(MainWindow::ReviewStep));
        QTest::qWait(50); // the deferred fitting of the file list
    }

    // The point in the viewer at character `column` of `row`.
    static QPoint pointAt(LogView *view, int row, int column)
    {
        const QRect rect = view->visualRect(view->model()->index(row, 0));
        const QFontMetrics metrics(view->font());
        const auto *delegate = static_cast<dc::gui::LogLineDelegate *>(view->itemDelegate());
        const QString text = view->logModel()->lineText(row);
        const int x = rect.left() + delegate->gutterWidth(metrics) + metrics.horizontalAdvance(text.left(column)) +
                      metrics.horizontalAdvance(text.at(column)) / 2;
        return {x, rect.center().y()};
    }

    static void sizes_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("900x588 (default)") << QSize(900, 588);
        QTest::newRow("1024x700") << QSize(1024, 700);
    }

    static void sizesAndLanguages_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QString>("language");
        for (const char *language : {"en", "ja"}) {
            QTest::addRow("900x588 %s", language) << QSize(900, 588) << QString::fromLatin1(language);
            QTest::addRow("1024x700 %s", language) << QSize(1024, 700) << QString::fromLatin1(language);
        }
    }

    // A control is shown whole: in view, and not squeezed below what its text needs.
    static bool whole(QWidget *widget) { return fullyVisible(widget) && widget->width() >= widget->sizeHint().width(); }

    // A line edit shows its placeholder whole, with room for the clear button.
    static bool placeholderWhole(QLineEdit *edit)
    {
        return fullyVisible(edit) && edit->width() >= edit->fontMetrics().horizontalAdvance(edit->placeholderText()) +
                                                          edit->fontMetrics().height() + 8;
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
        const QString root = path(QStringLiteral("product"));
        // Two logs whose names differ only at the end, in a folder with a long name, and a long line.
        QByteArray log;
        for (int i = 0; i < 300; ++i)
            log += "2026-11-23T10:00:" + QByteArray::number(i % 60) + " shield[42]: scan " + QByteArray::number(i) +
                   " finished, 0 threats, 312 files, engine 4.2.1, signatures 2026-11-23, queue depth 0, " +
                   QByteArray(200, 'x') + " end\n";
        // A finding far to the right of a long line: the viewer scrolls sideways to it.
        QByteArray queues;
        for (int i = 0; i < 12; ++i)
            queues += "queue " + QByteArray::number(i) + " depth 0, ";
        log += "2026-11-23T10:00:59 shield[42]: " + queues + "rejected by 192.0.2.200\n";
        log += "2026-11-23T10:00:59 192.0.2.7 ok\n";
        log += "2026-11-23T10:01:00 shield[42]: licence sent to alice.smith@example.org\n";
        log += "2026-11-23T10:01:01 shield[42]: update from 203.0.113.77 failed\n";
        log += "2026-11-23T10:01:02 shield[42]: retry from 203.0.113.77\n";
        log += "2026-11-23T10:01:03 shield[42]: project Bluebird scanned\n";
        writeFile(root + QStringLiteral("/var-log-shield-service/service-agent.log"), log);
        writeFile(root + QStringLiteral("/var-log-shield-service/service-scanner.log"),
                  "peer 198.51.100.23 connected\nbye\n");
        writeFile(root + QStringLiteral("/etc/shield.conf"), "[engine]\nlevel=normal\n");
        m_profile = path(QStringLiteral("profile.json"));
        writeFile(m_profile, QStringLiteral(R"({
            "format_version": 1, "name": "layout-fixture",
            "variables": {"ROOT": "%1"},
            "product": {"name": "Shield", "logs": ["${ROOT}/var-log-shield-service"]},
            "items": [
              {"id": "shield-config", "title": "Shield settings", "kind": "files", "category": "os-config",
               "purpose": "how the product is configured", "paths": ["${ROOT}/etc/shield.conf"], "dest": "shield",
               "estimate_bytes": 1}
            ]})")
                                 .arg(root)
                                 .toUtf8());
    }

    void init() { QSettings().remove(QStringLiteral("review")); }

    // The Alt+letter keys one page offers: its visible buttons, labels with a buddy, tab titles and
    // the menu bar's menus. Two controls with one letter make Alt+letter reach only the first.
    static QMultiMap<QChar, QString> mnemonicsOf(QWidget *window)
    {
        QMultiMap<QChar, QString> keys;
        const auto add = [&keys](const QString &text) {
            for (qsizetype i = 0; i + 1 < text.size(); ++i) {
                if (text.at(i) != QLatin1Char('&'))
                    continue;
                if (text.at(i + 1) != QLatin1Char('&')) {
                    keys.insert(text.at(i + 1).toLower(), QString(text).remove(QLatin1Char('&')));
                    return;
                }
                ++i; // "&&" is a plain ampersand
            }
        };
        for (QAbstractButton *button : window->findChildren<QAbstractButton *>()) {
            if (button->isVisibleTo(window) && !qobject_cast<QTabBar *>(button->parentWidget()))
                add(button->text());
        }
        for (QLabel *label : window->findChildren<QLabel *>()) {
            if (label->isVisibleTo(window) && label->buddy())
                add(label->text());
        }
        for (QTabBar *tabs : window->findChildren<QTabBar *>()) {
            if (tabs->isVisibleTo(window)) {
                for (int i = 0; i < tabs->count(); ++i)
                    add(tabs->tabText(i));
            }
        }
        for (QMenuBar *bar : window->findChildren<QMenuBar *>()) {
            for (QAction *menu : bar->actions())
                add(menu->text());
        }
        return keys;
    }

    static void checkMnemonicsUnique(QWidget *window, int page)
    {
        const QMultiMap<QChar, QString> keys = mnemonicsOf(window);
        for (const QChar key : keys.uniqueKeys()) {
            const QStringList owners = keys.values(key);
            QVERIFY2(owners.size() == 1,
                     qPrintable(QStringLiteral("page %1: Alt+%2 on %3")
                                    .arg(QString::number(page), key, owners.join(QStringLiteral(", ")))));
        }
    }

    // Issue 16 item 11: no two controls of one page share an Alt+letter (menus included), in
    // both languages.
    void mnemonicsAreUniqueOnEveryPage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << QStringLiteral("en");
        QTest::newRow("ja") << QStringLiteral("ja");
    }
    void mnemonicsAreUniqueOnEveryPage()
    {
        QFETCH(QString, language);
        dc::core::installTranslations(language);
        const auto restore = qScopeGuard([] { dc::core::installTranslations(QStringLiteral("en")); });
        auto window = openWindow(QSize(1024, 700), language);
        QList<int> pages;
        dc::test::walkWizard(window.get(), MainWindow::FinishStep, [&](int page) {
            pages.append(page);
            checkMnemonicsUnique(window.get(), page);
        });
        QCOMPARE(window->currentStep(), int(MainWindow::FinishStep));
        QCOMPARE(pages.size(), 6); // Welcome, Choose, Collect, Findings, Review, Save
    }

    void welcomeFitsAndChooseMeasures_data() { sizes_data(); }
    void welcomeFitsAndChooseMeasures()
    {
        QFETCH(QSize, size);
        auto window = openWindow(size);
        // The consent is in view without scrolling; Next says why it is disabled.
        auto *consent = child<QCheckBox>(window.get(), "consentCheckBox");
        QVERIFY(fullyVisible(consent));
        auto *next = child<QPushButton>(window.get(), "nextButton");
        auto *hint = child<QLabel>(window.get(), "nextHintLabel");
        QVERIFY(!next->isEnabled());
        QVERIFY(fullyVisible(hint));
        QVERIFY2(hint->text().contains(QStringLiteral("I have read this")), qPrintable(hint->text()));
        shoot(window.get(), QStringLiteral("welcome"));
        QTest::mouseClick(consent, Qt::LeftButton, {}, QPoint(8, consent->height() / 2));
        QVERIFY(consent->isChecked());
        QVERIFY(next->isEnabled());
        QVERIFY(hint->text().isEmpty());
        // Enter in the case ID goes on.
        auto *caseId = child<QLineEdit>(window.get(), "caseIdLineEdit");
        QTest::keyClicks(caseId, QStringLiteral("CASE-7"));
        QTest::keyClick(caseId, Qt::Key_Return);
        QCOMPARE(window->currentStep(), int(MainWindow::ChooseStep));

        // Choose: the product's log folder has a title, not its id, and its measured size.
        auto *items = child<QTreeWidget>(window.get(), "itemsTreeWidget");
        QVERIFY(!findRow(items, QStringLiteral("product-logs")));
        QTreeWidgetItem *logs = findRow(items, QStringLiteral("Logs of Shield"));
        QVERIFY(logs);
        auto *page = static_cast<ChoosePage *>(window->page(MainWindow::ChooseStep));
        QTRY_VERIFY(page->isMeasured());
        const qint64 bytes =
            QFileInfo(path(QStringLiteral("product/var-log-shield-service/service-agent.log"))).size() +
            QFileInfo(path(QStringLiteral("product/var-log-shield-service/service-scanner.log"))).size();
        QCOMPARE(logs->text(1), QLocale().formattedDataSize(bytes, 0));
        QVERIFY(!logs->parent()->text(1).startsWith(QLatin1Char('0')));
        QVERIFY(!findRow(items, QStringLiteral("unknown"), 1));
        shoot(window.get(), QStringLiteral("choose"));
        QVERIFY2(items->visualItemRect(logs).width() >= neededWidth(items, logs, 0), qPrintable(logs->text(0)));
    }

    void reviewIsReadableAndExplicit_data() { sizes_data(); }
    void reviewIsReadableAndExplicit()
    {
        QFETCH(QSize, size);
        auto window = openWindow(size);
        walkToReview(window.get());
        if (QTest::currentTestFailed())
            return;

        // Every file name is readable whole, and the File column can be resized by hand.
        auto *files = child<QTreeWidget>(window.get(), "filesTreeWidget");
        QCOMPARE(files->header()->sectionResizeMode(0), QHeaderView::Interactive);
        QCOMPARE(files->textElideMode(), Qt::ElideMiddle);
        for (const char *name : {"service-agent.log", "service-scanner.log", "shield.conf"}) {
            QTreeWidgetItem *row = findRow(files, QLatin1String(name));
            QVERIFY2(row, name);
            clickRow(files, row);
            QCOMPARE(files->currentItem(), row);
            QVERIFY2(files->header()->sectionSize(0) >= neededWidth(files, row, 0),
                     qPrintable(QStringLiteral("%1: %2 < %3")
                                    .arg(row->text(0))
                                    .arg(files->header()->sectionSize(0))
                                    .arg(neededWidth(files, row, 0))));
            QVERIFY(files->viewport()->rect().contains(files->visualItemRect(row).topLeft()));
        }

        shoot(window.get(), QStringLiteral("review"));
        // Rules: ticked check boxes from the first show, names whole.
        auto *rules = child<QTreeWidget>(window.get(), "rulesTreeWidget");
        child<QTabWidget>(window.get(), "reviewTabWidget")->setCurrentWidget(child<QWidget>(window.get(), "rulesTab"));
        shoot(window.get(), QStringLiteral("rules"));
        child<QTabWidget>(window.get(), "reviewTabWidget")->setCurrentIndex(0);
        QVERIFY(rules->topLevelItemCount() > 5);
        for (int i = 0; i < rules->topLevelItemCount(); ++i) {
            QTreeWidgetItem *rule = rules->topLevelItem(i);
            QVERIFY2(rule->data(0, Qt::CheckStateRole).isValid(), qPrintable(rule->text(0)));
            QCOMPARE(rule->checkState(0), Qt::Checked);
            QVERIFY2(rules->header()->sectionSize(0) >= neededWidth(rules, rule, 0), qPrintable(rule->text(0)));
        }

        // The viewer starts each file at its first column.
        auto *view = child<LogView>(window.get(), "logListView");
        clickRow(files, findRow(files, QStringLiteral("service-agent.log")));
        QTRY_VERIFY(view->model()->rowCount() > 300);
        QTRY_VERIFY(view->horizontalScrollBar()->maximum() > 0);
        view->horizontalScrollBar()->setValue(view->horizontalScrollBar()->maximum());
        clickRow(files, findRow(files, QStringLiteral("service-scanner.log")));
        QCOMPARE(view->horizontalScrollBar()->value(), 0);
        clickRow(files, findRow(files, QStringLiteral("service-agent.log")));
        QCOMPARE(view->horizontalScrollBar()->value(), 0);
        QCOMPARE(view->verticalScrollBar()->value(), 0);

        // Select a word in the viewer (double click) and redact it everywhere from the menu.
        const int last = view->model()->rowCount() - 1;
        const QString line = view->logModel()->lineText(last);
        const int at = int(line.indexOf(QStringLiteral("Bluebird")));
        QVERIFY(at > 0);
        view->scrollToBottom();
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, pointAt(view, last, at + 2));
        QCOMPARE(view->selectedText(), QStringLiteral("Bluebird"));
        bool offered = false;
        onNextMenu([&](QMenu *menu) {
            QAction *redact = actionNamed(menu, "redactEverywhereAction");
            offered = redact && redact->text().contains(QStringLiteral("Bluebird"));
            if (redact)
                redact->trigger();
        });
        const QPoint menuAt = pointAt(view, last, at + 2);
        QContextMenuEvent menuEvent(QContextMenuEvent::Mouse, menuAt, view->viewport()->mapToGlobal(menuAt));
        QApplication::sendEvent(view->viewport(), &menuEvent);
        QVERIFY(offered);
        auto *next = child<QPushButton>(window.get(), "nextButton");
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), 60000); // scanned again
        QCOMPARE(window->context()->plan().terms(), QStringList{QStringLiteral("Bluebird")});

        // A finding's row says how far its decision reaches; "Keep everywhere" from its menu.
        clickRow(files, findRow(files, QStringLiteral("service-agent.log")));
        auto *findings = child<QTreeWidget>(window.get(), "findingsTreeWidget");
        QTRY_VERIFY(findRow(findings, QStringLiteral("203.0.113.77"), 1));
        QList<QTreeWidgetItem *> address;
        for (QTreeWidgetItemIterator it(findings); *it; ++it)
            if ((*it)->text(1) == QLatin1String("203.0.113.77"))
                address << *it;
        QCOMPARE(address.size(), 2);
        QCOMPARE(address.at(0)->text(4), QStringLiteral("redacted"));
        // The decision is in view beside the value, not scrolled off to the right.
        QVERIFY(findings->header()->sectionViewportPosition(4) + findings->header()->sectionSize(4) <=
                findings->viewport()->width());
        findings->setCurrentItem(address.at(0));
        address.at(0)->setCheckState(0, Qt::Unchecked); // the check box: this occurrence
        QCOMPARE(address.at(0)->text(4), QStringLiteral("kept here only"));
        QCOMPARE(address.at(1)->text(4), QStringLiteral("redacted"));
        QVERIFY(fullyVisible(child<QLabel>(window.get(), "findingsNoteLabel")));
        QVERIFY(child<QLabel>(window.get(), "findingsNoteLabel")->text().contains(QStringLiteral("occurrence")));
        bool kept = false;
        onNextMenu([&](QMenu *menu) {
            if (QAction *keep = actionNamed(menu, "keepValueAction"); keep && keep->isEnabled()) {
                keep->trigger();
                kept = true;
            }
        });
        findings->scrollToItem(address.at(1));
        const QPoint findingAt = findings->visualItemRect(address.at(1)).center();
        QContextMenuEvent findingMenu(QContextMenuEvent::Mouse, findingAt,
                                      findings->viewport()->mapToGlobal(findingAt));
        QApplication::sendEvent(findings->viewport(), &findingMenu);
        QVERIFY(kept);
        for (QTreeWidgetItem *row : std::as_const(address)) {
            QCOMPARE(row->text(4), QStringLiteral("kept everywhere"));
            QCOMPARE(row->checkState(0), Qt::Unchecked);
        }
        QVERIFY(findings->header()->sectionViewportPosition(4) + findings->header()->sectionSize(4) <=
                findings->viewport()->width());
        shoot(window.get(), QStringLiteral("findings"));

        // Quitting with the reviewed collection unsaved asks; "Keep working" keeps the window.
        QAction *quit = window->findChild<QAction *>(QStringLiteral("quitAction"));
        QVERIFY(quit);
        QCOMPARE(quit->shortcut(), QKeySequence(QKeySequence::Quit));
        quit->trigger();
        QVERIFY(window->isVisible());
        auto *box = window->findChild<QMessageBox *>(QStringLiteral("unsavedWorkMessageBox"));
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        shoot(window.get(), QStringLiteral("quit"));
        click(box->findChild<QPushButton *>(QStringLiteral("keepWorkingButton")));
        QTRY_VERIFY(!window->findChild<QMessageBox *>(QStringLiteral("unsavedWorkMessageBox")));
        QVERIFY(window->isVisible());

        // On the last page Close is not where Next was, and it asks too until the archive is saved.
        click(next);
        QCOMPARE(window->currentStep(), int(MainWindow::FinishStep));
        auto *close = child<QPushButton>(window.get(), "closeButton");
        QVERIFY(fullyVisible(close));
        QVERIFY(next->isHidden());
        QVERIFY(close->geometry().right() < window->width() / 2);
        shoot(window.get(), QStringLiteral("finish"));
        click(close);
        box = window->findChild<QMessageBox *>(QStringLiteral("unsavedWorkMessageBox"));
        QVERIFY(box);
        click(box->findChild<QPushButton *>(QStringLiteral("discardButton")));
        QTRY_VERIFY(!window->isVisible());
    }

    // Issue 16: at 900x588 and 1024x700, in English and Japanese, the file list leaves the tabs
    // the room their controls need (the search fields, the side-by-side switch, every tab's
    // title) and the file names stay readable; jumping to a finding far right scrolls only as
    // far as needed and keeps the line numbers in view.
    void reviewControlsAreWholeAndTheLineNumbersStay_data() { sizesAndLanguages_data(); }
    void reviewControlsAreWholeAndTheLineNumbersStay()
    {
        QFETCH(QSize, size);
        QFETCH(QString, language);
        dc::core::installTranslations(language);
        const auto english = qScopeGuard([] { dc::core::installTranslations(QStringLiteral("en")); });
        auto window = openWindow(size, language);
        walkToReview(window.get());
        if (QTest::currentTestFailed())
            return;
        auto *tabs = child<QTabWidget>(window.get(), "reviewTabWidget");
        QTabBar *bar = tabs->tabBar();
        QVERIFY(fullyVisible(bar));
        QVERIFY2(bar->width() >= bar->sizeHint().width(),
                 qPrintable(QStringLiteral("%1 < %2").arg(bar->width()).arg(bar->sizeHint().width())));
        for (int i = 0; i < tabs->count(); ++i) {
            QVERIFY2(bar->tabRect(i).right() < bar->width(), qPrintable(tabs->tabText(i)));
            QVERIFY2(bar->tabRect(i).width() >
                         bar->fontMetrics().horizontalAdvance(tabs->tabText(i).remove(QLatin1Char('&'))),
                     qPrintable(tabs->tabText(i)));
        }
        tabs->setCurrentIndex(0);
        auto *find = child<QLineEdit>(window.get(), "findLineEdit");
        QVERIFY2(placeholderWhole(find), qPrintable(QStringLiteral("%1 px").arg(find->width())));
        QVERIFY(whole(child<QPushButton>(window.get(), "findNextButton")));
        auto *compare = child<QCheckBox>(window.get(), "compareCheckBox");
        QVERIFY2(whole(compare),
                 qPrintable(QStringLiteral("%1 < %2").arg(compare->width()).arg(compare->sizeHint().width())));
        auto *files = child<QTreeWidget>(window.get(), "filesTreeWidget");
        QCOMPARE(files->textElideMode(), Qt::ElideMiddle);
        for (const char *name : {"service-agent.log", "service-scanner.log", "shield.conf"}) {
            QTreeWidgetItem *row = findRow(files, QLatin1String(name));
            QVERIFY2(row, name);
            QVERIFY2(files->header()->sectionSize(0) >= neededWidth(files, row, 0), name);
        }
        shoot(window.get(), QStringLiteral("review-") + language);
        tabs->setCurrentWidget(child<QWidget>(window.get(), "searchTab"));
        QVERIFY(placeholderWhole(child<QLineEdit>(window.get(), "searchLineEdit")));
        QVERIFY(whole(child<QPushButton>(window.get(), "searchButton")));
        tabs->setCurrentIndex(0);

        // A finding far to the right: in view, beside the line numbers, which stay where they are.
        auto *view = child<LogView>(window.get(), "logListView");
        clickRow(files, findRow(files, QStringLiteral("service-agent.log")));
        auto *findings = child<QTreeWidget>(window.get(), "findingsTreeWidget");
        QTRY_VERIFY(findRow(findings, QStringLiteral("192.0.2.200"), 1));
        findings->setCurrentItem(findRow(findings, QStringLiteral("192.0.2.200"), 1));
        const int row = view->currentRow();
        const QString text = view->logModel()->lineText(row);
        QVERIFY(text.contains(QStringLiteral("192.0.2.200")));
        const QFontMetrics metrics(view->font());
        const int gutter = static_cast<dc::gui::LogLineDelegate *>(view->itemDelegate())->gutterWidth(metrics);
        const QRect rect = view->visualRect(view->model()->index(row, 0));
        const int start =
            rect.left() + gutter + metrics.horizontalAdvance(text.left(text.indexOf(QStringLiteral("192"))));
        const int end =
            rect.left() + gutter + metrics.horizontalAdvance(text.left(text.indexOf(QStringLiteral("200")) + 3));
        const int scrolled = view->horizontalScrollBar()->value();
        QVERIFY(scrolled > 0);
        QVERIFY2(start >= gutter && end <= view->viewport()->width(),
                 qPrintable(QStringLiteral("%1..%2 in %3").arg(start).arg(end).arg(view->viewport()->width())));
        // No further than needed: one step less and the value's end would be out of view.
        QVERIFY2(end + metrics.averageCharWidth() * 3 > view->viewport()->width(), qPrintable(QString::number(end)));
        const QRect numbers(0, rect.top(), gutter, rect.height());
        const QImage whileScrolled = view->viewport()->grab(numbers).toImage();
        shoot(window.get(), QStringLiteral("finding-") + language);
        view->horizontalScrollBar()->setValue(0);
        QCOMPARE(whileScrolled, view->viewport()->grab(numbers).toImage());
        view->horizontalScrollBar()->setValue(scrolled);
        // A finding that fits beside the line numbers: back to the line's start.
        findings->setCurrentItem(findRow(findings, QStringLiteral("192.0.2.7"), 1));
        QVERIFY(view->logModel()->lineText(view->currentRow()).contains(QStringLiteral("192.0.2.7 ok")));
        QCOMPARE(view->horizontalScrollBar()->value(), 0);
        window->context()->discard();
    }

    void reviewLayoutIsRemembered()
    {
        auto window = openWindow(QSize(1024, 700));
        walkToReview(window.get());
        if (QTest::currentTestFailed())
            return;
        auto *splitter = window->findChild<QSplitter *>(QStringLiteral("reviewSplitter"));
        QVERIFY(splitter);
        // Drag the divider 60 px to the right, as a user does.
        QSplitterHandle *handle = splitter->handle(1);
        const QPoint start = handle->rect().center();
        QTest::mousePress(handle, Qt::LeftButton, {}, start);
        QMouseEvent move(QEvent::MouseMove, start + QPoint(60, 0), handle->mapToGlobal(start + QPoint(60, 0)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(handle, &move);
        QTest::mouseRelease(handle, Qt::LeftButton, {}, start + QPoint(60, 0));
        const QList<int> chosen = splitter->sizes();
        QVERIFY(QSettings().contains(QStringLiteral("review/splitter")));
        window->context()->discard();
        window.reset();

        window = openWindow(QSize(1024, 700));
        walkToReview(window.get());
        if (QTest::currentTestFailed())
            return;
        splitter = window->findChild<QSplitter *>(QStringLiteral("reviewSplitter"));
        QCOMPARE(splitter->sizes(), chosen);
        window->context()->discard();
    }

    // File > Previous collections reads a receipt as a person would (not JSON), in the UI's
    // language with grouped numbers; Help > About names the version of every library.
    void receiptsReadableAndAboutComplete()
    {
        const QJsonObject receipt = QJsonDocument::fromJson(R"({
            "format": "diagcollect-consent-receipt", "format_version": 1, "when": "2026-11-23T10:15:00.000Z",
            "case_id": "12345", "profile": "default", "headless": false, "items": 61,
            "categories": {"service-logs": {"items": 3, "bytes": 14680064}, "os-config": {"items": 40, "bytes": 20480}},
            "opted_out": ["fstab"], "full_logs": false,
            "redaction": {"enabled": true, "redacted": 14096, "kept_by_choice": 2, "excluded_files": 1,
                          "terms_added": 1, "per_rule": {"email": 3}},
            "archive": {"name": "diagcollect-host-1-12345.tar.zst", "path": "/home/alex/Desktop/diagcollect-host-1-12345.tar.zst",
                        "bytes": 2097152, "sha256": "96e363c64fb5180fa4eeecccda223e7c67364d2d781fe96e61dcae714e0c0fd8",
                        "sealed": true},
            "pseudonym_map": "/home/alex/Desktop/diagcollect-host-1-12345.tar.zst.map.json",
            "destinations": [{"kind": "saved", "when": "2026-11-23T10:15:02.000Z", "folder": "/home/alex/Desktop"}],
            "_path": "/home/alex/.local/share/diagcollect/receipts/x.receipt.json"})")
                                        .object();
        for (const char *language : {"en", "ja"}) {
            dc::core::installTranslations(QString::fromLatin1(language));
            QTextBrowser browser;
            browser.setHtml(dc::gui::HistoryDialog::receiptHtml(receipt));
            const QString text = browser.toPlainText();
            QVERIFY2(!text.contains(QLatin1Char('{')) && !text.contains(QLatin1String("kept_by_choice")),
                     qPrintable(text));
            for (const QString &expected :
                 {QStringLiteral("12345"), QStringLiteral("diagcollect-host-1-12345.tar.zst"),
                  QStringLiteral("/home/alex/Desktop"), QStringLiteral("fstab"),
                  QStringLiteral("96e363c64fb5180fa4eeecccda223e7c67364d2d781fe96e61dcae714e0c0fd8"),
                  QLocale().toString(14096), dc::core::categoryTitle(dc::core::Category::ServiceLogs)})
                QVERIFY2(text.contains(expected), qPrintable(expected + QStringLiteral(" in\n") + text));
            QVERIFY(QLocale().toString(14096) == QStringLiteral("14,096"));
            if (QLatin1String(language) == QLatin1String("ja"))
                QVERIFY2(text.contains(QStringLiteral("秘匿化")) && text.contains(QStringLiteral("封印済み")),
                         qPrintable(text));
            else
                QVERIFY2(text.contains(QStringLiteral("14,096 values replaced by pseudonyms")), qPrintable(text));
        }
        dc::core::installTranslations(QStringLiteral("en"));

        dc::gui::AboutDialog about;
        auto *table = about.findChild<QTreeWidget *>(QStringLiteral("licencesTreeWidget"));
        QVERIFY(table);
        QStringList names;
        for (int i = 0; i < table->topLevelItemCount(); ++i) {
            const QTreeWidgetItem *row = table->topLevelItem(i);
            names << row->text(0);
            QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d+")).match(row->text(1)).hasMatch(),
                     qPrintable(row->text(0) + QStringLiteral(": \"") + row->text(1) + QLatin1Char('"')));
            QVERIFY(!row->text(2).isEmpty());
        }
        for (const char *name :
             {"Qt", "libarchive", "zstd", "libsodium", "spdlog", "{fmt}", "nlohmann/json", "tl::expected"})
            QVERIFY2(names.contains(QLatin1String(name)), name);
    }
};

QTEST_MAIN(TestWizardLayout)
#include "test_wizardlayout.moc"
