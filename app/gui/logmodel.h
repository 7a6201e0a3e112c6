// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/redact/redactionplan.h"

#include <QAbstractListModel>
#include <QFile>
#include <functional>
#include <vector>

namespace dc::gui {

// One line per row of a text file of any size. The file is memory-mapped
// (QFile::map) and never read whole: line ends are indexed lazily, a chunk at
// a time, as the view scrolls (canFetchMore/fetchMore) or a search or jump
// needs them, so opening is instant and memory stays at the pages shown plus
// 8 bytes per indexed line. Findings (byte ranges from the scan) are mapped
// onto the lines for highlighting. GUI thread only.
class LogModel : public QAbstractListModel
{
    Q_OBJECT

public:
    static constexpr qint64 kIndexChunk = 1 << 20; // bytes indexed per fetchMore
    static constexpr qint64 kMaxLine = 64 * 1024;  // longer lines are shown cut into pieces
    static constexpr int kMaxDisplay = 4000;       // characters painted per line

    explicit LogModel(QObject *parent = nullptr);
    ~LogModel() override;

    // Opens path; false with a message when it cannot be read or mapped.
    bool open(const QString &path, QString *error = nullptr);
    void close();
    QString path() const { return m_path; }
    qint64 fileSize() const { return m_size; }
    bool fullyIndexed() const { return m_indexedTo >= m_size; }
    // The longest row indexed so far, in bytes (at most kMaxDisplay): the view's width.
    int longestLine() const { return m_longest; }

    // The findings of this file, with a predicate telling which are redacted
    // under the current plan. Kept as a (shared) copy.
    void setFindings(const QList<core::Finding> &findings, std::function<bool(const core::Finding &)> redacted);
    // Refreshes highlight colours after the plan changed.
    void refreshHighlights();
    // Highlights "[kind-N]" tokens (for a redacted copy).
    void setHighlightTokens(bool on) { m_highlightTokens = on; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    struct Highlight
    {
        int start = 0; // in characters of the displayed text
        int length = 0;
        enum Kind { Redacted, Kept, Token } kind = Redacted;
        int finding = -1; // index into the findings
    };
    std::vector<Highlight> highlights(int row) const;
    QString lineText(int row) const;
    qint64 lineOffset(int row) const;
    const QList<core::Finding> &findings() const { return m_findings; }

    // Indexes far enough to hold `offset` and returns its row (-1 when out of range).
    int rowForOffset(qint64 offset);
    // Next row at or after `fromRow` (wrapping) whose text contains `needle`
    // (case-insensitive for ASCII); -1 when none. Indexes as it goes.
    int find(const QString &needle, int fromRow);

private:
    // Bytes of a row without its line break.
    std::pair<qint64, qint64> rowRange(int row) const;
    void indexMore(qint64 bytes);

    QFile m_file;
    QString m_path;
    const uchar *m_data = nullptr;
    qint64 m_size = 0;
    qint64 m_indexedTo = 0;
    std::vector<qint64> m_starts; // start offset of each complete row
    qint64 m_nextStart = 0;       // start of the row still being indexed
    int m_longest = 0;
    QList<core::Finding> m_findings;
    std::function<bool(const core::Finding &)> m_redacted;
    bool m_highlightTokens = false;
};

} // namespace dc::gui
