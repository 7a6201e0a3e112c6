// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/categorychart.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace dc::gui {

namespace {

const QColor kPalette[] = {QColor(0x3b, 0x7d, 0xd8), QColor(0x2a, 0xa1, 0x98), QColor(0x8e, 0x6c, 0xd1),
                           QColor(0xe0, 0x8a, 0x2c), QColor(0xc9, 0x4c, 0x4c), QColor(0x6b, 0x8e, 0x23)};

} // namespace

CategoryChart::CategoryChart(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("categoryChartWidget"));
    setAccessibleName(tr("Archive contents by category"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void CategoryChart::setBars(const QList<Bar> &bars)
{
    m_bars = bars;
    QStringList description;
    const QLocale locale;
    for (const Bar &bar : bars)
        description << tr("%1: %2 included, %3 left out")
                           .arg(bar.label, locale.formattedDataSize(bar.included),
                                locale.formattedDataSize(bar.excluded));
    setAccessibleDescription(description.join(QStringLiteral("; ")));
    setToolTip(description.join(QLatin1Char('\n')));
    updateGeometry();
    update();
}

QSize CategoryChart::sizeHint() const
{
    const QFontMetrics metrics(font());
    return QSize(metrics.averageCharWidth() * 60, int(m_bars.size()) * (metrics.height() + 8) + 4);
}

QSize CategoryChart::minimumSizeHint() const
{
    const QFontMetrics metrics(font());
    return QSize(metrics.averageCharWidth() * 40, int(m_bars.size()) * (metrics.height() + 8) + 4);
}

void CategoryChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics metrics(font());
    const QLocale locale;
    int labelWidth = 0;
    int sizeWidth = 0;
    qint64 maximum = 1;
    for (const Bar &bar : std::as_const(m_bars)) {
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(bar.label));
        sizeWidth = std::max(sizeWidth, metrics.horizontalAdvance(locale.formattedDataSize(bar.included)) +
                                            (bar.excluded > 0 ? metrics.horizontalAdvance(tr("%1 (%2 left out)")) : 0));
        maximum = std::max(maximum, bar.included + bar.excluded);
    }
    labelWidth = std::min(labelWidth + 12, width() / 2);
    sizeWidth += 12;
    const int rowHeight = metrics.height() + 8;
    const int barArea = std::max(20, width() - labelWidth - sizeWidth);
    int y = 2;
    for (int i = 0; i < m_bars.size(); ++i) {
        const Bar &bar = m_bars.at(i);
        const QRect labelRect(0, y, labelWidth - 8, rowHeight);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(labelRect, Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(bar.label, Qt::ElideRight, labelRect.width()));
        const QColor color = kPalette[i % std::size(kPalette)];
        const int included = int(double(bar.included) / double(maximum) * barArea);
        const int excluded = int(double(bar.excluded) / double(maximum) * barArea);
        const QRectF barRect(labelWidth, y + 4, std::max(included, bar.included > 0 ? 2 : 0), rowHeight - 8);
        QPainterPath path;
        path.addRoundedRect(barRect, 2, 2);
        painter.fillPath(path, color);
        if (excluded > 0) {
            const QRectF excludedRect(barRect.right(), y + 4, excluded, rowHeight - 8);
            painter.fillRect(excludedRect, QBrush(color.lighter(150), Qt::BDiagPattern));
            painter.setPen(color.lighter(130));
            painter.drawRect(excludedRect);
        }
        painter.setPen(palette().color(QPalette::WindowText));
        QString text = locale.formattedDataSize(bar.included);
        if (bar.excluded > 0)
            text = tr("%1 (%2 left out)").arg(text, locale.formattedDataSize(bar.excluded));
        painter.drawText(QRect(int(barRect.right() + excluded) + 6, y, width(), rowHeight),
                         Qt::AlignLeft | Qt::AlignVCenter, text);
        y += rowHeight;
    }
}

} // namespace dc::gui
