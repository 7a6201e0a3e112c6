// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/logmodel.h"

#include <QRegularExpression>
#include <algorithm>
#include <cstring>

namespace dc::gui {

LogModel::LogModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

LogModel::~LogModel() { close(); }

bool LogModel::open(const QString &path, QString *error)
{
    beginResetModel();
    if (m_data)
        m_file.unmap(const_cast<uchar *>(m_data));
    m_file.close();
    m_data = nullptr;
    m_size = 0;
    m_indexedTo = 0;
    m_nextStart = 0;
    m_longest = 0;
    m_starts.clear();
    m_starts.shrink_to_fit();
    m_findings.clear();
    m_path = path;
    m_file.setFileName(path);
    bool ok = m_file.open(QIODevice::ReadOnly);
    if (ok) {
        m_size = m_file.size();
        if (m_size > 0) {
            m_data = m_file.map(0, m_size);
            ok = m_data != nullptr;
        }
    }
    if (!ok) {
        if (error)
            *error = tr("Cannot open %1: %2").arg(path, m_file.errorString());
        m_file.close();
        m_size = 0;
    }
    endResetModel();
    if (ok)
        fetchMore(QModelIndex());
    return ok;
}

void LogModel::close()
{
    if (!m_data && !m_file.isOpen() && m_starts.empty())
        return;
    beginResetModel();
    if (m_data)
        m_file.unmap(const_cast<uchar *>(m_data));
    m_data = nullptr;
    m_file.close();
    m_size = m_indexedTo = m_nextStart = 0;
    m_longest = 0;
    m_starts.clear();
    m_starts.shrink_to_fit();
    m_findings.clear();
    m_path.clear();
    endResetModel();
}

void LogModel::setFindings(const QList<core::Finding> &findings, std::function<bool(const core::Finding &)> redacted)
{
    m_findings = findings;
    m_redacted = std::move(redacted);
    refreshHighlights();
}

void LogModel::refreshHighlights()
{
    if (!m_starts.empty())
        emit dataChanged(index(0), index(int(m_starts.size()) - 1));
}

int LogModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_starts.size()); }

bool LogModel::canFetchMore(const QModelIndex &parent) const { return !parent.isValid() && m_indexedTo < m_size; }

void LogModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid())
        return;
    // At least one new row, unless the file ends: the view only asks again when scrolled.
    const size_t before = m_starts.size();
    while (m_indexedTo < m_size && m_starts.size() == before)
        indexMore(kIndexChunk);
}

void LogModel::indexMore(qint64 bytes)
{
    const qint64 limit = std::min(m_size, m_indexedTo + bytes);
    std::vector<qint64> added;
    qint64 pos = m_indexedTo;
    while (pos < limit) {
        const void *hit = std::memchr(m_data + pos, '\n', size_t(limit - pos));
        const qint64 newline = hit ? static_cast<const uchar *>(hit) - m_data : -1;
        const qint64 stop = newline >= 0 ? newline : limit;
        while (stop - m_nextStart >= kMaxLine) {
            added.push_back(m_nextStart);
            m_nextStart += kMaxLine;
        }
        if (newline < 0) {
            pos = limit;
            break;
        }
        added.push_back(m_nextStart);
        m_nextStart = newline + 1;
        pos = newline + 1;
    }
    m_indexedTo = std::max(pos, limit);
    if (m_indexedTo >= m_size && m_nextStart < m_size) {
        added.push_back(m_nextStart);
        m_nextStart = m_size;
    }
    if (added.empty())
        return;
    // The widest row so far sets how far the view scrolls sideways.
    qint64 previous = m_starts.empty() ? -1 : m_starts.back();
    for (const qint64 start : added) {
        if (previous >= 0)
            m_longest = std::max(m_longest, int(std::min<qint64>(start - previous, kMaxDisplay)));
        previous = start;
    }
    m_longest = std::max(m_longest, int(std::min<qint64>(m_nextStart - previous, kMaxDisplay)));
    const int first = int(m_starts.size());
    beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
    m_starts.insert(m_starts.end(), added.begin(), added.end());
    endInsertRows();
}

std::pair<qint64, qint64> LogModel::rowRange(int row) const
{
    const qint64 start = m_starts[size_t(row)];
    qint64 end = size_t(row) + 1 < m_starts.size() ? m_starts[size_t(row) + 1] : m_nextStart;
    if (end > start && m_data[end - 1] == '\n')
        --end;
    if (end > start && m_data[end - 1] == '\r')
        --end;
    return {start, end};
}

qint64 LogModel::lineOffset(int row) const
{
    return row >= 0 && size_t(row) < m_starts.size() ? m_starts[size_t(row)] : -1;
}

QString LogModel::lineText(int row) const
{
    if (row < 0 || size_t(row) >= m_starts.size())
        return {};
    const auto [start, end] = rowRange(row);
    // Enough bytes for kMaxDisplay characters, decoded as UTF-8 (invalid bytes become U+FFFD).
    const qint64 take = std::min<qint64>(end - start, qint64(kMaxDisplay) * 4);
    QString text = QString::fromUtf8(reinterpret_cast<const char *>(m_data + start), take);
    if (text.size() > kMaxDisplay)
        text.truncate(kMaxDisplay);
    return text;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_starts.size())
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return lineText(index.row());
    case Qt::ToolTipRole: {
        QStringList lines;
        for (const Highlight &highlight : highlights(index.row())) {
            if (highlight.finding < 0)
                continue;
            const core::Finding &finding = m_findings.at(highlight.finding);
            lines << (highlight.kind == Highlight::Redacted ? tr("%1: %2 becomes %3")
                                                            : tr("%1: %2 is kept (%3 not used)"))
                         .arg(finding.rule, QString::fromUtf8(finding.value), QString::fromLatin1(finding.token));
        }
        return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
    }
    default:
        return {};
    }
}

std::vector<LogModel::Highlight> LogModel::highlights(int row) const
{
    std::vector<Highlight> result;
    if (row < 0 || size_t(row) >= m_starts.size())
        return result;
    const auto [start, end] = rowRange(row);
    auto charsUpTo = [this, start = start](qint64 offset) { // clang 14 cannot capture a structured binding
        return int(QString::fromUtf8(reinterpret_cast<const char *>(m_data + start),
                                     std::min<qint64>(offset - start, qint64(kMaxDisplay) * 4))
                       .size());
    };
    if (!m_findings.isEmpty()) {
        auto it = std::lower_bound(m_findings.cbegin(), m_findings.cend(), start,
                                   [](const core::Finding &f, qint64 offset) { return f.offset < offset; });
        if (it != m_findings.cbegin()) {
            auto previous = std::prev(it);
            if (previous->offset + previous->length > start)
                it = previous; // a multi-line finding that started on an earlier line
        }
        for (; it != m_findings.cend() && it->offset < std::max(end, start + 1); ++it) {
            const qint64 from = std::max(start, it->offset);
            const qint64 to = std::min(end, it->offset + it->length);
            if (to <= from)
                continue;
            Highlight highlight;
            highlight.start = charsUpTo(from);
            highlight.length = std::max(1, charsUpTo(to) - highlight.start);
            highlight.kind = (!m_redacted || m_redacted(*it)) ? Highlight::Redacted : Highlight::Kept;
            highlight.finding = int(it - m_findings.cbegin());
            if (highlight.start < kMaxDisplay)
                result.push_back(highlight);
        }
    }
    if (m_highlightTokens) {
        static const QRegularExpression token(QStringLiteral("\\[[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9]+\\]"));
        const QString text = lineText(row);
        for (auto match = token.globalMatch(text); match.hasNext();) {
            const QRegularExpressionMatch m = match.next();
            result.push_back(Highlight{int(m.capturedStart()), int(m.capturedLength()), Highlight::Token, -1});
        }
    }
    return result;
}

int LogModel::rowForOffset(qint64 offset)
{
    if (offset < 0 || offset >= m_size)
        return -1;
    while (offset >= m_nextStart && m_indexedTo < m_size)
        indexMore(kIndexChunk * 8);
    auto it = std::upper_bound(m_starts.cbegin(), m_starts.cend(), offset);
    return it == m_starts.cbegin() ? -1 : int(it - m_starts.cbegin()) - 1;
}

int LogModel::find(const QString &needle, int fromRow)
{
    const QByteArray pattern = needle.toUtf8().toLower();
    if (pattern.isEmpty() || m_size == 0)
        return -1;
    const qint64 startOffset = std::max<qint64>(0, lineOffset(std::max(0, fromRow)));
    constexpr qint64 kWindow = 1 << 20;
    const qint64 overlap = pattern.size() - 1;
    // Forward from startOffset to the end, then from the top back to it.
    for (auto [begin, stop] : {std::pair{startOffset, m_size}, std::pair{qint64(0), startOffset + overlap}}) {
        stop = std::min(stop, m_size);
        for (qint64 pos = begin; pos < stop; pos += kWindow) {
            const qint64 length = std::min(kWindow + overlap, stop - pos);
            const QByteArray window =
                QByteArray::fromRawData(reinterpret_cast<const char *>(m_data + pos), length).toLower();
            const qsizetype hit = window.indexOf(pattern);
            if (hit >= 0)
                return rowForOffset(pos + hit);
        }
    }
    return -1;
}

} // namespace dc::gui
