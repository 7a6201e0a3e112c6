// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"

#include <QFutureWatcher>
#include <QTimer>
#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace dc::core {
class Staging;
struct Finding;
enum class Decision;
} // namespace dc::core

namespace dc::gui {

class CategoryChart;
class LogModel;
class LogView;

// Step 4: everything that was collected, before it is packaged. Left: the
// staged files (size, status, findings, in the archive or not). Right: the
// open file in a viewer that handles any size, with findings highlighted and
// toggled one by one, per value or per rule; "redact this text everywhere";
// search in the file and in all files; the pseudonym map with reverse lookup;
// a side-by-side redacted copy; and a summary with a chart of the bytes per
// category. Every change goes into the plan that packaging applies. What the
// administrator's policy makes redact (everything under force_redaction, or
// what its own rules find) is shown locked, with the reason.
class ReviewPage : public WizardPage
{
    Q_OBJECT

public:
    explicit ReviewPage(WizardContext *context, QWidget *parent = nullptr);
    ~ReviewPage() override;
    QString title() const override { return tr("Review"); }
    QString nextText() const override { return tr("&Continue to save"); }
    // Back to the Findings (nothing of the review is lost).
    bool canGoBack() const override { return true; }
    bool canGoNext() const override;
    void enter() override;

    // The file shown in the viewer (staging-relative), empty when none.
    QString currentFile() const { return m_currentFile; }
    // Opens a staged file (staging-relative) in the viewer at a 1-based line
    // (0: its top), as the Findings page's evidence asks; false when the file
    // is not in the list.
    bool showLine(const QString &path, qint64 line);
    // The viewer's current row (0-based), -1 when none.
    int currentRow() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QWidget *createFileTab();
    QWidget *createValuesTab();
    QWidget *createRulesTab();
    QWidget *createSearchTab();
    QWidget *createSummaryTab();

    void reload();
    void populateFiles();
    void populateValues();
    void populateRules();
    void updateFileRows();
    // Gives the file list the width its names need (at most about half the
    // page) unless the user moved the divider; then the File column takes
    // what the other columns leave, unless the user sized it.
    void fitFilesPane();
    void fitNameColumn();
    // The width the tabs need: every title and each page's controls whole.
    int tabsNeededWidth() const;
    // The width the File column needs for the widest file name (indentation included).
    int fileNamesWidth() const;
    // The File tab's line about a file: path, size, kind, findings, status, left out or not.
    QString fileInfoText(const QString &path) const;
    void updateSummary();
    void openFile(const QString &path);
    void populateFindings();
    void refreshDecisions();
    void toggleExclude();
    void findNext();
    void searchAll();
    void lookUp();
    void redactSelection();
    // "kept everywhere", "kept here only", ...: which decision applies to a finding, and how far it reaches.
    QString decisionText(const QString &file, const core::Finding &finding) const;
    // The menu on the viewer and the findings: keep or redact a value everywhere, redact selected text.
    void showValueMenu(QWidget *source, const QPoint &position, const QString &selection, int finding);
    void setValueDecision(const QByteArray &token, core::Decision decision);
    void addTerm(const QString &term);
    void schedulePreview();
    void makePreview();

    QLabel *m_redactionLock;
    QSplitter *m_splitter;
    QTreeWidget *m_files;
    QPushButton *m_exclude;
    QTabWidget *m_tabs;
    // File tab
    QLabel *m_fileInfo;
    QLineEdit *m_find;
    QCheckBox *m_compare;
    LogModel *m_model;
    LogView *m_view;
    LogModel *m_redactedModel;
    LogView *m_redactedView;
    QLineEdit *m_selectedLine;
    QPushButton *m_redactSelection;
    QTreeWidget *m_findings;
    QLabel *m_findingsNote;
    // Values tab
    QLineEdit *m_lookup;
    QLabel *m_lookupResult;
    QTreeWidget *m_values;
    QLineEdit *m_term;
    // Rules tab
    QTreeWidget *m_rules;
    // Search tab
    QLineEdit *m_search;
    QTreeWidget *m_searchResults;
    QLabel *m_searchNote;
    // Summary tab
    CategoryChart *m_chart;
    QLabel *m_summary;

    QString m_currentFile;
    QString m_selection;   // text selected in m_selectedLine
    QString m_pendingTerm; // added, being looked for: reported when the scan is done
    bool m_updating = false;
    bool m_fitting = false;
    bool m_splitterSetByUser = false;
    bool m_nameWidthSetByUser = false;
    bool m_loaded = false;
    QTimer m_previewTimer;
    std::unique_ptr<core::Staging> m_previewDir;
    int m_previewSerial = 0;
    struct Hit
    {
        QString file;
        qint64 offset = 0;
        QString text;
    };
    QFutureWatcher<QList<Hit>> m_searchWatcher;
    QFutureWatcher<QString> m_previewWatcher;
};

} // namespace dc::gui
