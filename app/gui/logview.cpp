// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/logview.h"

#include "app/gui/logmodel.h"

#include <QFontDatabase>
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

QSize LogLineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics metrics(option.font);
    // Uniform rows: room for 240 columns; longer lines scroll horizontally.
    return QSize(gutterWidth(metrics) + metrics.horizontalAdvance(QLatin1Char('m')) * 240, metrics.height() + 2);
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
    QRect gutterRect = option.rect;
    gutterRect.setWidth(gutter - 6);
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->setFont(option.font);
    painter->drawText(gutterRect, Qt::AlignRight | Qt::AlignVCenter, QString::number(index.row() + 1));

    const QString text = model->lineText(index.row());
    QTextLayout layout(text, option.font);
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::NoWrap);
    textOption.setTabStopDistance(metrics.horizontalAdvance(QLatin1Char(' ')) * 8);
    layout.setTextOption(textOption);
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
    layout.setFormats(formats);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (line.isValid())
        line.setLineWidth(1e7);
    layout.endLayout();
    painter->setPen(palette.color(QPalette::Text));
    const qreal y = option.rect.top() + (option.rect.height() - metrics.height()) / 2.0;
    layout.draw(painter, QPointF(option.rect.left() + gutter, y));
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

void LogView::showRow(int row, int column)
{
    if (!m_model || row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_model->index(row);
    setCurrentIndex(index);
    scrollTo(index, QAbstractItemView::PositionAtCenter);
    if (column >= 0) {
        const QFontMetrics metrics(font());
        const auto *delegate = static_cast<LogLineDelegate *>(itemDelegate());
        const int x = delegate->gutterWidth(metrics) + metrics.horizontalAdvance(m_model->lineText(row).left(column));
        const int visible = viewport()->width();
        horizontalScrollBar()->setValue(x < visible * 2 / 3 ? 0 : x - visible / 3);
    }
}

int LogView::currentRow() const { return currentIndex().isValid() ? currentIndex().row() : -1; }

} // namespace dc::gui
