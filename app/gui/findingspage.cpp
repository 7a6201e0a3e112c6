// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/findingspage.h"

#include "app/gui/wizardcontext.h"
#include "core/analysis/finding.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

namespace dc::gui {

using namespace dc::core;
using analysis::Severity;

namespace {

constexpr int kIndexRole = Qt::UserRole + 1;
constexpr auto kEvidenceScheme = "evidence";

QStyle::StandardPixmap severityPixmap(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QStyle::SP_MessageBoxCritical;
    case Severity::Warning:
        return QStyle::SP_MessageBoxWarning;
    case Severity::Info:
        break;
    }
    return QStyle::SP_MessageBoxInformation;
}

// The titles' column wraps its text in the column's width, so that a title longer than the list
// (Japanese, a small window) is shown whole on two lines instead of cut with an ellipsis. The text
// is measured and drawn with the same QFontMetrics rules: the style's own wrapping measures a
// row's height without the column's width and elides what its height does not quite hold.
class TitleDelegate : public QStyledItemDelegate
{
public:
    explicit TitleDelegate(QTreeView *view)
        : QStyledItemDelegate(view)
        , m_view(view)
    {
    }
    static constexpr int kColumn = 1;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        if (index.column() != kColumn)
            return size;
        const int width = std::max(1, m_view->columnWidth(kColumn) - 2 * textMargin());
        const QRect text =
            option.fontMetrics.boundingRect(QRect(0, 0, width, 0), kFlags, index.data(Qt::DisplayRole).toString());
        size.setHeight(std::max(size.height(), text.height() + 2 * kPadding));
        return size;
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        if (index.column() != kColumn) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem item = option;
        initStyleOption(&item, index);
        const QString text = item.text;
        item.text.clear(); // the style draws the background, the selection and the focus
        m_view->style()->drawControl(QStyle::CE_ItemViewItem, &item, painter, m_view);
        const QPalette::ColorGroup group = !(item.state & QStyle::State_Enabled) ? QPalette::Disabled
                                           : (item.state & QStyle::State_Active) ? QPalette::Normal
                                                                                 : QPalette::Inactive;
        painter->save();
        painter->setFont(item.font);
        painter->setPen(item.palette.color(group, item.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                                                      : QPalette::Text));
        const int margin = textMargin();
        painter->drawText(item.rect.adjusted(margin, kPadding, -margin, -kPadding),
                          int(QStyle::visualAlignment(item.direction, Qt::AlignLeading)) | kFlags, text);
        painter->restore();
    }

private:
    // Left and right of the text, as the style keeps it.
    int textMargin() const { return m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1; }

    static constexpr int kFlags = Qt::AlignVCenter | Qt::TextWordWrap;
    static constexpr int kPadding = 1;
    QTreeView *m_view;
};

// "evidence:INDEX:LINE": a link of the details that opens evidence INDEX of the finding at LINE.
QString evidenceLink(int index, qint64 line)
{
    return QStringLiteral("%1:%2:%3").arg(QLatin1String(kEvidenceScheme)).arg(index).arg(line);
}

} // namespace

FindingsPage::FindingsPage(WizardContext *context, QWidget *parent)
    : WizardPage(context, parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("findingsSummaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    layout->addWidget(m_summary);
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("analysisProgressBar"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    layout->addWidget(m_busy);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("findingsSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_list = new QTreeWidget(m_splitter);
    m_list->setObjectName(QStringLiteral("analysisFindingsTreeWidget"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(false);
    m_list->setItemDelegate(new TitleDelegate(m_list));
    m_list->setHeaderLabels({tr("Severity"), tr("Finding")});
    m_list->header()->setStretchLastSection(true);
    m_list->setMinimumWidth(fontMetrics().averageCharWidth() * 30);
    auto *right = new QWidget(m_splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_details = new QTextBrowser(right);
    m_details->setObjectName(QStringLiteral("findingDetailsBrowser"));
    m_details->setOpenLinks(false);
    rightLayout->addWidget(m_details, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_show = new QPushButton(tr("&Show in the review"), right);
    m_show->setObjectName(QStringLiteral("showEvidenceButton"));
    m_show->setToolTip(tr("Opens the file this finding was seen in, at the line, in the review's viewer."));
    buttons->addWidget(m_show);
    rightLayout->addLayout(buttons);
    m_splitter->addWidget(m_list);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    layout->addWidget(m_splitter, 1);
    // Takes the room of the list when there is nothing to list.
    layout->addStretch(0);
    m_notes = new QLabel(this);
    m_notes->setObjectName(QStringLiteral("findingsNotesLabel"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    layout->addWidget(m_notes);

    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_splitterSetByUser = true; });
    // The rows' heights follow the titles' column: measured again once its width has settled.
    connect(m_list->header(), &QHeaderView::sectionResized, this, [this] {
        if (m_relayoutPending)
            return;
        m_relayoutPending = true;
        QTimer::singleShot(0, this, [this] {
            m_relayoutPending = false;
            m_list->doItemsLayout();
        });
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this, &FindingsPage::showDetails);
    connect(m_list, &QTreeWidget::itemActivated, this, [this] { openEvidence(-1, 0); });
    connect(m_show, &QPushButton::clicked, this, [this] { openEvidence(-1, 0); });
    connect(m_details, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() == QLatin1String(kEvidenceScheme)) {
            const QStringList parts = url.path().split(QLatin1Char(':'));
            if (parts.size() == 2)
                openEvidence(parts.at(0).toInt(), parts.at(1).toLongLong());
        } else if (url.scheme() == QLatin1String("https")) {
            QDesktopServices::openUrl(url);
        }
    });
    connect(context, &WizardContext::analysisReady, this, &FindingsPage::populate);
    connect(context, &WizardContext::discarded, this, [this] { m_populated = false; });
    populate();
}

void FindingsPage::enter()
{
    if (!m_populated)
        populate();
}

bool FindingsPage::isStaged(const QString &file) const
{
    if (file.isEmpty())
        return false;
    const QList<StagedEntry> &entries = context()->entries();
    return std::any_of(entries.cbegin(), entries.cend(),
                       [&file](const StagedEntry &entry) { return entry.path == file; });
}

void FindingsPage::populate()
{
    m_list->clear();
    m_details->clear();
    const auto &result = context()->analysisFindings();
    const bool busy = !result && context()->isAnalysing();
    m_busy->setVisible(busy);
    m_populated = result.has_value();
    const QList<analysis::Finding> findings = result ? result->findings : QList<analysis::Finding>();
    m_splitter->setVisible(!findings.isEmpty());
    QStringList notes;
    if (busy) {
        m_summary->setText(tr("Looking for known problems in what was collected..."));
    } else if (!result) {
        m_summary->setText(tr("What was collected could not be checked for known problems."));
    } else if (findings.isEmpty()) {
        m_summary->setText(tr("Nothing looks wrong: %n check(s) looked at what was collected and found no problem.",
                              nullptr, result->rulesEvaluated));
    } else {
        QStringList counts;
        if (const int errors = result->count(Severity::Error))
            counts.append(tr("%n error(s)", nullptr, errors));
        if (const int warnings = result->count(Severity::Warning))
            counts.append(tr("%n warning(s)", nullptr, warnings));
        if (const int infos = result->count(Severity::Info))
            counts.append(tr("%n note(s)", nullptr, infos));
        //: %1: "1 error, 2 warnings"
        m_summary->setText(tr("Found in what was collected: %1. Support sees the same findings in the archive. "
                              "Select one to see why it matters and what to do.")
                               .arg(counts.join(tr(", "))));
    }
    if (result && !result->notEvaluated.isEmpty())
        notes.append(tr("%n check(s) did not run because their data was not collected.", nullptr,
                        int(result->notEvaluated.size())));
    if (const int disabled = int(context()->policy().disabledAnalysisRules.size()); disabled > 0)
        notes.append(tr("%n check(s) turned off by your administrator's policy.", nullptr, disabled));
    m_notes->setText(notes.join(QLatin1Char(' ')));
    m_notes->setVisible(!notes.isEmpty());

    for (int i = 0; i < findings.size(); ++i) {
        const analysis::Finding &finding = findings.at(i);
        auto *item = new QTreeWidgetItem(m_list);
        item->setIcon(0, style()->standardIcon(severityPixmap(finding.severity)));
        item->setText(0, severityText(finding.severity));
        item->setText(1, finding.localized().title);
        item->setToolTip(1, item->text(1));
        item->setData(0, kIndexRole, i);
    }
    m_list->resizeColumnToContents(0);
    fitList();
    // Again once the layout has given the page its size.
    QTimer::singleShot(0, this, &FindingsPage::fitList);
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    m_show->setEnabled(false);
    showDetails();
}

void FindingsPage::resizeEvent(QResizeEvent *event)
{
    WizardPage::resizeEvent(event);
    fitList();
}

void FindingsPage::fitList()
{
    const int total = m_splitter->width() - m_splitter->handleWidth();
    if (m_splitterSetByUser || total <= 0 || m_list->topLevelItemCount() == 0)
        return;
    int titles = 0;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        titles = std::max(titles, m_list->fontMetrics().horizontalAdvance(m_list->topLevelItem(i)->text(1)));
    const int needed = m_list->frameWidth() * 2 + m_list->columnWidth(0) + titles +
                       m_list->verticalScrollBar()->sizeHint().width() + fontMetrics().averageCharWidth() * 3;
    const int left = std::clamp(needed, m_list->minimumWidth(), std::max(m_list->minimumWidth(), total * 11 / 20));
    m_splitter->setSizes({left, total - left});
}

QString FindingsPage::severityText(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return tr("Error");
    case Severity::Warning:
        return tr("Warning");
    case Severity::Info:
        break;
    }
    return tr("Note");
}

void FindingsPage::showDetails()
{
    const auto &result = context()->analysisFindings();
    QTreeWidgetItem *item = m_list->currentItem();
    const int index = item ? item->data(0, kIndexRole).toInt() : -1;
    if (!result || index < 0 || index >= result->findings.size()) {
        m_details->clear();
        m_show->setEnabled(false);
        return;
    }
    const analysis::Finding &finding = result->findings.at(index);
    const analysis::RuleTexts texts = finding.localized();
    QString html = QStringLiteral("<h3>%1: %2</h3>").arg(severityText(finding.severity), texts.title.toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>").arg(texts.explanation.toHtmlEscaped());
    html += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("What to do:"), texts.advice.toHtmlEscaped());
    if (finding.url.startsWith(QLatin1String("https://")))
        html += QStringLiteral("<p><a href=\"%1\">%2</a></p>")
                    .arg(finding.url.toHtmlEscaped(), tr("More information: %1").arg(finding.url.toHtmlEscaped()));
    bool anyStaged = false;
    if (!finding.evidence.isEmpty())
        html += QStringLiteral("<p><b>%1</b></p>").arg(tr("Evidence"));
    for (int e = 0; e < finding.evidence.size(); ++e) {
        const analysis::Evidence &evidence = finding.evidence.at(e);
        const bool staged = isStaged(evidence.file);
        anyStaged = anyStaged || staged;
        QString where;
        if (evidence.file.isEmpty())
            where = tr("Checked on this computer while collecting (not in a file).");
        else if (staged)
            where = QStringLiteral("<a href=\"%1\">%2</a>").arg(evidenceLink(e, 0), evidence.file.toHtmlEscaped());
        else
            where = evidence.file.toHtmlEscaped();
        if (evidence.count > 0 && !evidence.file.isEmpty())
            where += QStringLiteral(" &mdash; ") + tr("%n matching line(s)", nullptr, int(evidence.count));
        html += QStringLiteral("<p>%1</p>").arg(where);
        if (evidence.lines.isEmpty())
            continue;
        html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"2\">");
        for (const analysis::EvidenceLine &line : evidence.lines) {
            QString number;
            if (line.number > 0)
                number = staged ? QStringLiteral("<a href=\"%1\">%2</a>")
                                      .arg(evidenceLink(e, line.number), QLocale().toString(line.number))
                                : QLocale().toString(line.number);
            html += QStringLiteral("<tr><td align=\"right\">%1</td><td><code>%2</code></td></tr>")
                        .arg(number, line.text.toHtmlEscaped());
        }
        html += QStringLiteral("</table>");
    }
    m_details->setHtml(html);
    m_show->setEnabled(anyStaged);
}

void FindingsPage::openEvidence(int index, qint64 line)
{
    const auto &result = context()->analysisFindings();
    QTreeWidgetItem *item = m_list->currentItem();
    const int current = item ? item->data(0, kIndexRole).toInt() : -1;
    if (!result || current < 0 || current >= result->findings.size())
        return;
    const analysis::Finding &finding = result->findings.at(current);
    // "Show in the review": the first evidence in a staged file.
    for (int e = 0; index < 0 && e < finding.evidence.size(); ++e)
        if (isStaged(finding.evidence.at(e).file))
            index = e;
    if (index < 0 || index >= finding.evidence.size() || !isStaged(finding.evidence.at(index).file))
        return;
    // A file without a line: its first line listed.
    if (line == 0 && !finding.evidence.at(index).lines.isEmpty())
        line = finding.evidence.at(index).lines.constFirst().number;
    emit evidenceRequested(finding.evidence.at(index).file, line);
}

} // namespace dc::gui
