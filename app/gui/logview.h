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
    // The character of text nearest to x (pixels from the start of the text).
    static int cursorAt(const QString &text, const QFont &font, qreal x);
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
    // Selects and centres row; with column >= 0 also scrolls sideways, only as
    // far as needed, so that characters [column, column + length) of the line
    // are in view (back to the line's start when they fit). The line numbers
    // stay in view whatever the sideways scroll.
    void showRow(int row, int column = -1, int length = 1);
    int currentRow() const;

    // Text selected with the mouse (drag, or a double click on a word) within
    // one line; Ctrl+C copies it.
    QString selectedText() const;
    void clearTextSelection();
    // [start, start + length) of the selection in row `row`, or {-1, 0}.
    std::pair<int, int> selectionIn(int row) const;
    // The line and character under a viewport position (-1 when none).
    int rowAt(const QPoint &position) const;
    int characterAt(const QPoint &position) const;
    // Selects characters [start, start + length) of row (what a drag does).
    void selectText(int row, int start, int length);

signals:
    void textSelectionChanged();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    // A sideways scroll repaints the whole viewport: a moved copy of it would move the line numbers too.
    void scrollContentsBy(int dx, int dy) override;

private:
    LogModel *m_model = nullptr;
    int m_selectionRow = -1;
    int m_anchor = 0;
    int m_cursor = 0;
};

} // namespace dc::gui
