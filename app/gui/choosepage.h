// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"

#include <QFutureWatcher>
#include <QHash>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace dc::gui {

// Step 2: the profile's items grouped by category, with purpose and estimated
// size; essential items are locked on, the others can be unticked; items of
// categories the administrator's policy disables are locked off, with the
// reason. Totals update as the user ticks. Files items are measured on disk
// in the background (sizes only, the estimate `diagcollect list --estimate`
// prints); the others show the profile's estimate.
class ChoosePage : public WizardPage
{
    Q_OBJECT

public:
    explicit ChoosePage(WizardContext *context, QWidget *parent = nullptr);
    ~ChoosePage() override;
    // Whether the sizes of files items are measured (the measurement runs from enter()).
    bool isMeasured() const { return m_measured; }
    QString title() const override { return tr("Choose"); }
    QString nextText() const override { return tr("&Start collecting"); }
    bool canGoNext() const override;
    void enter() override;
    bool leaveForward() override;

private:
    void populate();
    void updateTotals();
    void showDetails(QTreeWidgetItem *item);
    void setAllOptional(bool checked);
    void measure();
    void showMeasured(const QHash<QString, qint64> &sizes);

    QTreeWidget *m_tree;
    QLabel *m_details;
    QLabel *m_policyNote;
    QLabel *m_totals;
    bool m_populated = false;
    bool m_updating = false;
    bool m_measured = false;
    QFutureWatcher<QHash<QString, qint64>> m_measureWatcher;
};

} // namespace dc::gui
