// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "app/gui/wizardpage.h"

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace dc::gui {

// Step 2: the profile's items grouped by category, with purpose and estimated
// size; essential items are locked on, the others can be unticked; items of
// categories the administrator's policy disables are locked off, with the
// reason. Totals update as the user ticks.
class ChoosePage : public WizardPage
{
    Q_OBJECT

public:
    explicit ChoosePage(WizardContext *context, QWidget *parent = nullptr);
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

    QTreeWidget *m_tree;
    QLabel *m_details;
    QLabel *m_policyNote;
    QLabel *m_totals;
    bool m_populated = false;
    bool m_updating = false;
};

} // namespace dc::gui
