// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/analysis/timestamp.h"

#include <QTimeZone>

namespace dc::core::analysis {

namespace {

// QByteArrayView::mid() came with Qt 6.5.
QByteArrayView clipped(QByteArrayView text, qsizetype from, qsizetype length)
{
    from = qBound(qsizetype(0), from, text.size());
    return text.sliced(from, qMin(length, text.size() - from));
}

class Cursor
{
public:
    explicit Cursor(QByteArrayView text)
        : m_text(text)
    {
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    void skipSpaces()
    {
        while (peek() == ' ')
            ++m_pos;
    }
    // Exactly `digits` decimal digits.
    std::optional<int> number(int digits)
    {
        int value = 0;
        for (int i = 0; i < digits; ++i) {
            const char c = peek();
            if (c < '0' || c > '9')
                return std::nullopt;
            value = value * 10 + (c - '0');
            ++m_pos;
        }
        return value;
    }
    // One or two digits (syslog's day of month).
    std::optional<int> shortNumber()
    {
        auto first = number(1);
        if (!first)
            return std::nullopt;
        if (auto second = number(1))
            return *first * 10 + *second;
        return first;
    }
    bool letters(int count)
    {
        for (int i = 0; i < count; ++i) {
            const char c = peek();
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                return false;
            ++m_pos;
        }
        return true;
    }
    QByteArrayView slice(qsizetype from, qsizetype length) const { return clipped(m_text, from, length); }
    qsizetype pos() const { return m_pos; }
    void seek(qsizetype pos) { m_pos = pos; }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

std::optional<QTime> clock(Cursor &c)
{
    const auto hours = c.number(2);
    if (!hours || !c.take(':'))
        return std::nullopt;
    const auto minutes = c.number(2);
    if (!minutes || !c.take(':'))
        return std::nullopt;
    const auto seconds = c.number(2);
    if (!seconds)
        return std::nullopt;
    int millis = 0;
    if (c.take('.') || c.take(',')) {
        int scale = 100;
        while (auto digit = c.number(1)) {
            millis += *digit * scale;
            scale /= 10;
        }
    }
    const QTime time(*hours, *minutes, *seconds, millis);
    return time.isValid() ? std::optional<QTime>(time) : std::nullopt;
}

std::optional<qint64> iso(Cursor &c)
{
    const auto year = c.number(4);
    if (!year || !c.take('-'))
        return std::nullopt;
    const auto month = c.number(2);
    if (!month || !c.take('-'))
        return std::nullopt;
    const auto day = c.number(2);
    if (!day || !(c.take('T') || c.take(' ')))
        return std::nullopt;
    const QDate date(*year, *month, *day);
    const auto time = clock(c);
    if (!date.isValid() || !time)
        return std::nullopt;
    if (c.take('Z'))
        return QDateTime(date, *time, QTimeZone::utc()).toMSecsSinceEpoch();
    const char sign = c.peek();
    if (sign == '+' || sign == '-') {
        c.take(sign);
        const auto hours = c.number(2);
        c.take(':');
        const auto minutes = c.number(2);
        if (hours && minutes) {
            const int offset = (*hours * 3600 + *minutes * 60) * (sign == '-' ? -1 : 1);
            return QDateTime(date, *time, QTimeZone(offset)).toMSecsSinceEpoch();
        }
    }
    // No zone: the machine's local time, where the log was written and analysed.
    return QDateTime(date, *time).toMSecsSinceEpoch();
}

std::optional<qint64> syslog(Cursor &c, const QDateTime &reference)
{
    static const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const qsizetype start = c.pos();
    if (!c.letters(3))
        return std::nullopt;
    const QByteArrayView name = c.slice(start, 3);
    int month = 0;
    for (int i = 0; i < 12 && month == 0; ++i)
        if (name == QByteArrayView(kMonths[i]))
            month = i + 1;
    if (month == 0 || !c.take(' '))
        return std::nullopt;
    c.skipSpaces();
    const auto day = c.shortNumber();
    if (!day || !c.take(' '))
        return std::nullopt;
    const auto time = clock(c);
    if (!time)
        return std::nullopt;
    const QDateTime local = reference.toLocalTime();
    QDateTime stamp(QDate(local.date().year(), month, *day), *time);
    if (stamp.isValid() && stamp > local.addDays(1))
        stamp = QDateTime(QDate(local.date().year() - 1, month, *day), *time);
    return stamp.isValid() ? std::optional<qint64>(stamp.toMSecsSinceEpoch()) : std::nullopt;
}

} // namespace

std::optional<qint64> leadingTimestampMs(QByteArrayView line, const QDateTime &reference)
{
    Cursor c(clipped(line, 0, 64));
    c.take('[');
    const char first = c.peek();
    if (first >= '0' && first <= '9')
        return iso(c);
    // "Tue 2026-12-01 10:00:01 UTC" (coredumpctl list) or "Dec  7 02:03:38" (syslog).
    const qsizetype start = c.pos();
    if (c.letters(3) && c.take(' ') && c.peek() >= '0' && c.peek() <= '9') {
        Cursor rest(clipped(line, c.pos(), 48));
        // coredumpctl prints the zone's name after the time, which reads as local time here.
        if (auto stamp = iso(rest))
            return stamp;
    }
    c.seek(start);
    return syslog(c, reference);
}

} // namespace dc::core::analysis
