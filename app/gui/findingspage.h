// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"
#include "core/analysis/rule.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTextBrowser;
class QTreeWidget;

namespace dc::gui {

// Between Collect and Review: what the local analysis (core/analysis, run by
// the CollectionJob on the staged data) found, errors first. Left: severity
// (icon and word) and title of each finding; right: its explanation, what to
// do (with the rule's link), and the evidence: the file, how many lines
// matched and the lines themselves. A file or line of the evidence (or "Show
// in the review") opens it in the review's viewer at that line. When nothing
// is found it says so plainly. GUI thread only.
class FindingsPage : public WizardPage
{
    Q_OBJECT

public:
    explicit FindingsPage(WizardContext *context, QWidget *parent = nullptr);
    QString title() const override { return tr("Findings"); }
    QString nextText() const override { return tr("&Continue to review"); }
    // Back would be the Collect page, which starts a new run.
    bool canGoBack() const override { return false; }
    void enter() override;

protected:
    void resizeEvent(QResizeEvent *event) override;

signals:
    // Show this evidence in the review's viewer: a staging-relative file and a
    // 1-based line (0: the top of the file).
    void evidenceRequested(const QString &file, qint64 line);

private:
    void populate();
    void showDetails();
    // Evidence `index` of the current finding (-1: the first in a staged file)
    // at `line` (0: the first line it lists).
    void openEvidence(int index, qint64 line);
    bool isStaged(const QString &file) const;
    // Gives the list the width its titles need (at most about half the page)
    // unless the user moved the divider.
    void fitList();
    static QString severityText(core::analysis::Severity severity);

    QLabel *m_summary;
    QProgressBar *m_busy;
    QSplitter *m_splitter;
    QTreeWidget *m_list;
    QTextBrowser *m_details;
    QPushButton *m_show;
    QLabel *m_notes;
    bool m_populated = false;
    bool m_splitterSetByUser = false;
    bool m_relayoutPending = false;
};

} // namespace dc::gui
