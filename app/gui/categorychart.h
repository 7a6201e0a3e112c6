// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QWidget>

namespace dc::gui {

// A small horizontal bar chart: one bar per category, the included bytes
// solid and the excluded ones hatched, with the label and size beside it.
// Custom-painted, so it scales with the font and the device pixel ratio.
class CategoryChart : public QWidget
{
    Q_OBJECT

public:
    struct Bar
    {
        QString label;
        qint64 included = 0;
        qint64 excluded = 0;
    };
    explicit CategoryChart(QWidget *parent = nullptr);
    void setBars(const QList<Bar> &bars);
    const QList<Bar> &bars() const { return m_bars; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Bar> m_bars;
};

} // namespace dc::gui
