// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QListView>
#include <QStyledItemDelegate>

namespace dc::gui {

class LogModel;

// Paints one log line: a line-number gutter, then the text with findings
// highlighted (orange: will be redacted, green: kept by a decision, blue: a
// pseudonym token in a redacted copy).
class LogLineDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    int gutterWidth(const QFontMetrics &metrics) const;
};

// A read-only, monospace, uniform-row view for LogModel: only the visible rows
// are ever touched, so a file of any size scrolls smoothly.
class LogView : public QListView
{
    Q_OBJECT

public:
    explicit LogView(QWidget *parent = nullptr);
    void setLogModel(LogModel *model);
    LogModel *logModel() const { return m_model; }
    // Selects and centres row; with column >= 0 also scrolls sideways so that
    // that character of the line is in view.
    void showRow(int row, int column = -1);
    int currentRow() const;

private:
    LogModel *m_model = nullptr;
};

} // namespace dc::gui
