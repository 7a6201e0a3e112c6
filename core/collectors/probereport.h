// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <utility>

// How probes lay out what they found: times and sizes as text, aligned tables and
// "key: value" sections.
namespace dc::core::probe {

QString isoUtc(qint64 secondsSinceEpoch);
QString nowIsoUtc();
// 1536 -> "1.5K"; binary units as df -h prints them.
QString humanBytes(quint64 bytes);
QString humanDuration(qint64 seconds);

// Columns padded to the widest cell; the last column is never padded, so a
// free-text column (a command line) can go last and the table stays greppable
// and splittable on whitespace.
class TextTable
{
public:
    explicit TextTable(QStringList header)
        : m_header(std::move(header))
    {
    }
    void add(QStringList row)
    {
        while (row.size() < m_header.size())
            row.append(QStringLiteral("-"));
        for (QString &cell : row)
            if (cell.isEmpty())
                cell = QStringLiteral("-");
        m_rows.append(std::move(row));
    }
    qsizetype size() const { return m_rows.size(); }
    QString render(const QString &indent = QString()) const
    {
        QList<qsizetype> widths(m_header.size(), 0);
        auto measure = [&](const QStringList &row) {
            for (qsizetype i = 0; i + 1 < row.size(); ++i)
                widths[i] = qMax(widths[i], row[i].size());
        };
        measure(m_header);
        for (const QStringList &row : m_rows)
            measure(row);
        QString out;
        auto line = [&](const QStringList &row) {
            out += indent;
            for (qsizetype i = 0; i < row.size(); ++i) {
                if (i + 1 < row.size())
                    out += row[i].leftJustified(widths[i]) + QStringLiteral("  ");
                else
                    out += row[i];
            }
            while (out.endsWith(QLatin1Char(' ')))
                out.chop(1);
            out += QLatin1Char('\n');
        };
        line(m_header);
        for (const QStringList &row : m_rows)
            line(row);
        return out;
    }

private:
    QStringList m_header;
    QList<QStringList> m_rows;
};

// "key: value" lines with aligned values, under "== Section ==" headings.
class Report
{
public:
    void section(const QString &title)
    {
        flush();
        if (!m_text.isEmpty())
            m_text += QLatin1Char('\n');
        m_text += QStringLiteral("== %1 ==\n").arg(title);
    }
    void field(const QString &key, const QString &value)
    {
        m_fields.append({key, value.isEmpty() ? QStringLiteral("(unknown)") : value});
    }
    void text(const QString &block)
    {
        flush();
        m_text += block;
        if (!block.endsWith(QLatin1Char('\n')))
            m_text += QLatin1Char('\n');
    }
    QByteArray result()
    {
        flush();
        return m_text.toUtf8();
    }

private:
    void flush()
    {
        qsizetype width = 0;
        for (const auto &[key, value] : std::as_const(m_fields))
            width = qMax(width, key.size());
        for (const auto &[key, value] : std::as_const(m_fields))
            m_text += QString(key + QLatin1Char(':')).leftJustified(width + 2) + value + QLatin1Char('\n');
        m_fields.clear();
    }
    QString m_text;
    QList<std::pair<QString, QString>> m_fields;
};

} // namespace dc::core::probe
