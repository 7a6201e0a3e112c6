// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/logview.h"

#include "app/gui/logmodel.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>

namespace dc::gui {

namespace {

QColor highlightColor(LogModel::Highlight::Kind kind)
{
    switch (kind) {
    case LogModel::Highlight::Redacted:
        return QColor(255, 196, 140);
    case LogModel::Highlight::Kept:
        return QColor(176, 228, 176);
    case LogModel::Highlight::Token:
        return QColor(190, 212, 255);
    }
    return {};
}

} // namespace

int LogLineDelegate::gutterWidth(const QFontMetrics &metrics) const
{
    return metrics.horizontalAdvance(QStringLiteral("00000000")) + 8;
}

namespace {

QTextOption lineOption(const QFontMetrics &metrics)
{
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::NoWrap);
    textOption.setTabStopDistance(metrics.horizontalAdvance(QLatin1Char(' ')) * 8);
    return textOption;
}

} // namespace

int LogLineDelegate::cursorAt(const QString &text, const QFont &font, qreal x)
{
    QTextLayout layout(text, font);
    layout.setTextOption(lineOption(QFontMetrics(font)));
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (line.isValid())
        line.setLineWidth(1e7);
    layout.endLayout();
    return line.isValid() ? line.xToCursor(std::max<qreal>(0, x)) : 0;
}

QSize LogLineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QFontMetrics metrics(option.font);
    // Uniform rows: room for 240 columns, or the longest line indexed so far; the view scrolls sideways.
    const auto *model = qobject_cast<const LogModel *>(index.model());
    const int columns = std::max(240, model ? model->longestLine() + 2 : 0);
    return QSize(gutterWidth(metrics) + metrics.horizontalAdvance(QLatin1Char('m')) * columns, metrics.height() + 2);
}

void LogLineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const auto *model = qobject_cast<const LogModel *>(index.model());
    if (!model)
        return QStyledItemDelegate::paint(painter, option, index);
    painter->save();
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    if (selected)
        painter->fillRect(option.rect, palette.color(QPalette::Highlight).lighter(170));
    const QFontMetrics metrics(option.font);
    const int gutter = gutterWidth(metrics);
    // The line numbers stay at the viewport's left edge when the line scrolls
    // sideways (option.rect starts left of it then); the text is clipped there.
    const int gutterLeft = std::max(option.rect.left(), 0);
    painter->setClipRect(QRect(QPoint(gutterLeft + gutter, option.rect.top()), option.rect.bottomRight()));

    const QString text = model->lineText(index.row());
    QTextLayout layout(text, option.font);
    layout.setTextOption(lineOption(metrics));
    QList<QTextLayout::FormatRange> formats;
    for (const LogModel::Highlight &highlight : model->highlights(index.row())) {
        QTextLayout::FormatRange range;
        range.start = highlight.start;
        range.length = highlight.length;
        range.format.setBackground(highlightColor(highlight.kind));
        range.format.setForeground(QColor(20, 20, 20));
        if (highlight.kind == LogModel::Highlight::Kept)
            range.format.setFontUnderline(true);
        formats.append(range);
    }
    if (const auto *view = qobject_cast<const LogView *>(option.widget)) {
        if (const auto [start, length] = view->selectionIn(index.row()); length > 0) {
            QTextLayout::FormatRange range;
            range.start = start;
            range.length = length;
            range.format.setBackground(palette.color(QPalette::Active, QPalette::Highlight));
            range.format.setForeground(palette.color(QPalette::Active, QPalette::HighlightedText));
            formats.append(range);
        }
    }
    layout.setFormats(formats);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (line.isValid())
        line.setLineWidth(1e7);
    layout.endLayout();
    painter->setPen(palette.color(QPalette::Text));
    const qreal y = option.rect.top() + (option.rect.height() - metrics.height()) / 2.0;
    layout.draw(painter, QPointF(option.rect.left() + gutter, y));

    painter->setClipping(false);
    const QRect gutterRect(gutterLeft, option.rect.top(), gutter - 6, option.rect.height());
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->setFont(option.font);
    painter->drawText(gutterRect, Qt::AlignRight | Qt::AlignVCenter, QString::number(index.row() + 1));
    painter->restore();
}

LogView::LogView(QWidget *parent)
    : QListView(parent)
{
    setUniformItemSizes(true);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setItemDelegate(new LogLineDelegate(this));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    setLayoutMode(QListView::SinglePass);
    setTextElideMode(Qt::ElideNone);
}

void LogView::setLogModel(LogModel *model)
{
    m_model = model;
    setModel(model);
}

void LogView::showRow(int row, int column, int length)
{
    if (!m_model || row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_model->index(row);
    setCurrentIndex(index);
    scrollTo(index, QAbstractItemView::PositionAtCenter);
    if (column >= 0) {
        // Only as far sideways as the characters need: none when they fit beside the
        // line numbers, else until their end is in view (their start when too long).
        const QFontMetrics metrics(font());
        const auto *delegate = static_cast<LogLineDelegate *>(itemDelegate());
        const QString text = m_model->lineText(row);
        const int start = metrics.horizontalAdvance(text.left(column));
        const int end = metrics.horizontalAdvance(text.left(column + std::max(length, 1)));
        const int visible = viewport()->width() - delegate->gutterWidth(metrics);
        const int margin = metrics.averageCharWidth() * 2;
        const int value = end + margin <= visible ? 0 : std::min(start, end + margin - visible);
        if (value > horizontalScrollBar()->maximum())
            doItemsLayout(); // rows indexed since the last layout may be longer
        horizontalScrollBar()->setValue(value);
    }
}

void LogView::scrollContentsBy(int dx, int dy)
{
    QListView::scrollContentsBy(dx, dy);
    if (dx != 0)
        viewport()->update();
}

QString LogView::selectedText() const
{
    if (!m_model || m_selectionRow < 0 || m_anchor == m_cursor)
        return {};
    return m_model->lineText(m_selectionRow).mid(std::min(m_anchor, m_cursor), std::abs(m_cursor - m_anchor));
}

void LogView::clearTextSelection()
{
    if (m_selectionRow < 0)
        return;
    m_selectionRow = -1;
    m_anchor = m_cursor = 0;
    viewport()->update();
    emit textSelectionChanged();
}

std::pair<int, int> LogView::selectionIn(int row) const
{
    if (row != m_selectionRow || m_anchor == m_cursor)
        return {-1, 0};
    return {std::min(m_anchor, m_cursor), std::abs(m_cursor - m_anchor)};
}

int LogView::rowAt(const QPoint &position) const
{
    const QModelIndex index = indexAt(position);
    return index.isValid() ? index.row() : -1;
}

int LogView::characterAt(const QPoint &position) const
{
    const QModelIndex index = indexAt(position);
    if (!m_model || !index.isValid())
        return -1;
    const auto *delegate = static_cast<LogLineDelegate *>(itemDelegate());
    const int gutter = delegate->gutterWidth(QFontMetrics(font()));
    // The line numbers stay put when the line scrolls sideways: what lies under them is hidden.
    const int x = std::max(position.x(), gutter) - visualRect(index).left() - gutter;
    return LogLineDelegate::cursorAt(m_model->lineText(index.row()), font(), x);
}

void LogView::selectText(int row, int start, int length)
{
    m_selectionRow = row;
    m_anchor = start;
    m_cursor = start + length;
    viewport()->update();
    emit textSelectionChanged();
}

void LogView::mousePressEvent(QMouseEvent *event)
{
    QListView::mousePressEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    const int row = rowAt(event->position().toPoint());
    const int character = characterAt(event->position().toPoint());
    if (row < 0 || character < 0) {
        clearTextSelection();
        return;
    }
    selectText(row, character, 0);
}

void LogView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_selectionRow < 0)
        return QListView::mouseMoveEvent(event);
    // Within the line where the drag started: a value never spans lines.
    const QModelIndex index = m_model->index(m_selectionRow);
    QPoint position = event->position().toPoint();
    position.setY(visualRect(index).center().y());
    if (const int character = characterAt(position); character >= 0 && character != m_cursor) {
        m_cursor = character;
        viewport()->update();
        emit textSelectionChanged();
    }
}

void LogView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint());
    const int character = characterAt(event->position().toPoint());
    if (event->button() != Qt::LeftButton || row < 0 || character < 0)
        return QListView::mouseDoubleClickEvent(event);
    // A "word" runs to the next space, quote, bracket, comma, semicolon or '=': e-mail and host names stay whole.
    const QString text = m_model->lineText(row);
    auto isBoundary = [&](int i) {
        const QChar c = text.at(i);
        return c.isSpace() || QStringLiteral("\"'()[]{}<>,;=").contains(c);
    };
    int start = std::min<int>(character, int(text.size()));
    int end = start;
    while (start > 0 && !isBoundary(start - 1))
        --start;
    while (end < text.size() && !isBoundary(end))
        ++end;
    selectText(row, start, end - start);
}

void LogView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy) && !selectedText().isEmpty()) {
        QGuiApplication::clipboard()->setText(selectedText());
        return;
    }
    QListView::keyPressEvent(event);
}

int LogView::currentRow() const { return currentIndex().isValid() ? currentIndex().row() : -1; }

} // namespace dc::gui
