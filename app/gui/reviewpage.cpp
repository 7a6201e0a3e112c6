// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/reviewpage.h"

#include "app/gui/categorychart.h"
#include "app/gui/logmodel.h"
#include "app/gui/logview.h"
#include "app/gui/ruletexts.h"
#include "app/gui/wizardcontext.h"
#include "core/bundle/staging.h"
#include "core/collect/reasontexts.h"
#include "core/redact/redactor.h"

#include <QCheckBox>
#include <QClipboard>
#include <QCollator>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace dc::gui {

using namespace dc::core;

namespace {

constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kOffsetRole = Qt::UserRole + 2;
constexpr int kTokenRole = Qt::UserRole + 3;
constexpr int kRuleRole = Qt::UserRole + 4;
constexpr int kSortRole = Qt::UserRole + 5; // a number to sort by, where the text is formatted
constexpr auto kSplitterKey = "review/splitter";
constexpr auto kNameWidthKey = "review/fileNameWidth";
constexpr int kMaxFindingRows = 2000;
constexpr int kMaxValueRows = 20000;
constexpr int kMaxSearchHits = 500;

enum FileColumn { NameColumn, SizeColumn, StatusColumn, FindingsColumn, ArchiveColumn };
enum FindingColumn { RuleColumn, FoundColumn, PseudonymColumn, LineColumn, DecisionColumn };

// Sorts numbers as numbers (kSortRole) and text naturally: [ipv4-2] before [ipv4-10].
class SortableItem : public QTreeWidgetItem
{
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem &other) const override
    {
        const int column = treeWidget() ? treeWidget()->sortColumn() : 0;
        const QVariant mine = data(column, kSortRole);
        const QVariant theirs = other.data(column, kSortRole);
        if (mine.isValid() && theirs.isValid())
            return mine.toLongLong() < theirs.toLongLong();
        static const QCollator collator = [] {
            QCollator natural;
            natural.setNumericMode(true);
            natural.setCaseSensitivity(Qt::CaseInsensitive);
            return natural;
        }();
        return collator.compare(text(column), other.text(column)) < 0;
    }
};

QString kindText(ContentKind kind)
{
    switch (kind) {
    case ContentKind::Text:
        return ReviewPage::tr("text");
    case ContentKind::CompressedText:
        return ReviewPage::tr("compressed text");
    case ContentKind::Binary:
        return ReviewPage::tr("binary");
    }
    return {};
}

QString statusText(Status status)
{
    switch (status) {
    case Status::Collected:
        return ReviewPage::tr("collected");
    case Status::Truncated:
        return ReviewPage::tr("shortened");
    case Status::Skipped:
        return ReviewPage::tr("skipped");
    case Status::Failed:
        return ReviewPage::tr("failed");
    }
    return {};
}

QTreeWidget *
makeTree(QWidget *parent, const QString &objectName, const QString &accessibleName, const QStringList &headers)
{
    auto *tree = new QTreeWidget(parent);
    tree->setObjectName(objectName);
    tree->setAccessibleName(accessibleName);
    tree->setColumnCount(int(headers.size()));
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->setAllColumnsShowFocus(true);
    return tree;
}

// Locked rows show their check box but cannot be toggled.
void lockRow(QTreeWidgetItem *row, bool locked)
{
    if (!locked) {
        row->setFlags(row->flags() | Qt::ItemIsUserCheckable);
        return;
    }
    row->setFlags(row->flags() & ~Qt::ItemIsUserCheckable);
    row->setToolTip(0, ReviewPage::tr("Always redacted: set by your administrator's policy."));
}

// QTreeView makes it protected; it is public on the base.
int contentWidth(const QAbstractItemView *view, int column) { return view->sizeHintForColumn(column); }

// A line edit wide enough for its placeholder, its clear button and a few characters more.
int minimumFieldWidth(const QLineEdit *edit)
{
    const QFontMetrics metrics = edit->fontMetrics();
    return metrics.horizontalAdvance(edit->placeholderText()) + metrics.averageCharWidth() * 4 + metrics.height() + 8;
}

} // namespace

ReviewPage::ReviewPage(WizardContext *context, QWidget *parent)
    : WizardPage(context, parent)
{
    setObjectName(QStringLiteral("reviewPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_redactionLock = new QLabel(this);
    m_redactionLock->setObjectName(QStringLiteral("redactionLockLabel"));
    m_redactionLock->setWordWrap(true);
    m_redactionLock->setTextFormat(Qt::RichText);
    const Policy &policy = context->policy();
    if (policy.forceRedaction)
        m_redactionLock->setText(
            tr("<b>Redaction cannot be turned off:</b> every value found is replaced by a pseudonym, so the "
               "switches to keep a value are locked. %1")
                .arg(context->lockReason(PolicySetting::Redaction).toHtmlEscaped()));
    else if (policy.isLocked(PolicySetting::RedactionRules))
        m_redactionLock->setText(tr("Your administrator's policy adds its own terms and patterns to the redaction; "
                                    "what they find cannot be kept. %1")
                                     .arg(context->lockReason(PolicySetting::RedactionRules).toHtmlEscaped()));
    m_redactionLock->setVisible(!m_redactionLock->text().isEmpty());
    m_redactionLock->setMargin(4);
    layout->addWidget(m_redactionLock);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("reviewSplitter"));
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);

    auto *left = new QWidget(m_splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *filesLabel = new QLabel(tr("C&ollected files:"), left);
    leftLayout->addWidget(filesLabel);
    m_files = new QTreeWidget(left);
    m_files->setObjectName(QStringLiteral("filesTreeWidget"));
    m_files->setAccessibleName(tr("Collected files"));
    m_files->setColumnCount(5);
    m_files->setHeaderLabels({tr("File"), tr("Size"), tr("Status"), tr("Findings"), tr("In archive")});
    m_files->setUniformRowHeights(true);
    m_files->setAllColumnsShowFocus(true);
    // agent.log and service.log differ at the end: keep both ends of a name.
    m_files->setTextElideMode(Qt::ElideMiddle);
    m_files->header()->setStretchLastSection(false);
    m_files->header()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    for (int column : {SizeColumn, StatusColumn, FindingsColumn, ArchiveColumn})
        m_files->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_files->viewport()->installEventFilter(this);
    filesLabel->setBuddy(m_files);
    leftLayout->addWidget(m_files, 1);
    auto *fileButtons = new QHBoxLayout;
    m_exclude = new QPushButton(tr("&Exclude file"), left);
    m_exclude->setObjectName(QStringLiteral("excludeButton"));
    m_exclude->setEnabled(false);
    fileButtons->addWidget(m_exclude);
    fileButtons->addStretch(1);
    leftLayout->addLayout(fileButtons);

    m_tabs = new QTabWidget(m_splitter);
    m_tabs->setObjectName(QStringLiteral("reviewTabWidget"));
    m_tabs->addTab(createFileTab(), tr("File"));
    m_tabs->addTab(createValuesTab(), tr("Values and pseudonyms"));
    m_tabs->addTab(createRulesTab(), tr("Rules"));
    m_tabs->addTab(createSearchTab(), tr("Search all files"));
    m_tabs->addTab(createSummaryTab(), tr("Summary"));
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    left->setMinimumWidth(fontMetrics().averageCharWidth() * 32);
    m_tabs->setMinimumWidth(fontMetrics().averageCharWidth() * 40);
    m_splitter->setSizes({fontMetrics().averageCharWidth() * 62, fontMetrics().averageCharWidth() * 100});
    // What the user sets by hand is kept for the next review; until then the
    // file list gets the width its names need (fitFilesPane()).
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] {
        m_splitterSetByUser = true;
        QSettings().setValue(QLatin1String(kSplitterKey), m_splitter->saveState());
        fitNameColumn();
    });
    connect(m_files->header(), &QHeaderView::sectionResized, this, [this](int section, int, int size) {
        if (section != NameColumn || m_fitting || QGuiApplication::mouseButtons() == Qt::NoButton)
            return;
        m_nameWidthSetByUser = true;
        QSettings().setValue(QLatin1String(kNameWidthKey), size);
    });
    const QSettings settings;
    if (m_splitter->restoreState(settings.value(QLatin1String(kSplitterKey)).toByteArray()))
        m_splitterSetByUser = true;
    if (const int width = settings.value(QLatin1String(kNameWidthKey)).toInt(); width > 0) {
        m_nameWidthSetByUser = true;
        m_files->header()->resizeSection(NameColumn, width);
    }

    connect(m_files, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        const QString path = item ? item->data(0, kPathRole).toString() : QString();
        m_exclude->setEnabled(!path.isEmpty());
        if (!path.isEmpty()) {
            m_exclude->setText(this->context()->isIncluded(path) ? tr("&Exclude file") : tr("&Include file"));
            openFile(path);
        }
    });
    connect(m_exclude, &QPushButton::clicked, this, &ReviewPage::toggleExclude);
    connect(context, &WizardContext::reviewReady, this, [this] {
        if (m_loaded)
            reload();
        if (m_pendingTerm.isEmpty())
            return;
        qint64 found = 0;
        for (const FileFindings &scan : this->context()->scans())
            for (const Finding &finding : scan.findings)
                found += QString::fromUtf8(finding.value).compare(m_pendingTerm, Qt::CaseInsensitive) == 0 ? 1 : 0;
        emit message(
            MessageWidget::Type::Positive,
            tr("\"%1\" is redacted in every file (%Ln occurrence(s) found).", nullptr, int(found)).arg(m_pendingTerm));
        m_pendingTerm.clear();
    });

    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(300);
    connect(&m_previewTimer, &QTimer::timeout, this, &ReviewPage::makePreview);
    connect(&m_previewWatcher, &QFutureWatcherBase::finished, this, [this] {
        const QString path = m_previewWatcher.result();
        if (path.isEmpty() || !m_compare->isChecked())
            return;
        const int row = m_view->currentRow();
        m_redactedModel->open(path);
        while (m_redactedModel->rowCount() <= row && m_redactedModel->canFetchMore(QModelIndex()))
            m_redactedModel->fetchMore(QModelIndex());
        if (row >= 0)
            m_redactedView->showRow(row);
        m_redactedView->verticalScrollBar()->setValue(m_view->verticalScrollBar()->value());
        m_redactedView->horizontalScrollBar()->setValue(m_view->horizontalScrollBar()->value());
    });
    connect(&m_searchWatcher, &QFutureWatcherBase::finished, this, [this] {
        const QList<Hit> hits = m_searchWatcher.result();
        m_searchResults->clear();
        for (const Hit &hit : hits) {
            auto *row = new QTreeWidgetItem(m_searchResults, {hit.file, hit.text});
            row->setData(0, kPathRole, hit.file);
            row->setData(0, kOffsetRole, hit.offset);
            row->setToolTip(1, hit.text);
        }
        m_searchNote->setText(hits.size() >= kMaxSearchHits ? tr("The first %1 matches are shown.").arg(kMaxSearchHits)
                                                            : tr("%Ln match(es).", nullptr, int(hits.size())));
    });
}

ReviewPage::~ReviewPage()
{
    m_searchWatcher.waitForFinished();
    m_previewWatcher.waitForFinished();
}

QWidget *ReviewPage::createFileTab()
{
    auto *tab = new QWidget;
    tab->setObjectName(QStringLiteral("fileTab"));
    auto *layout = new QVBoxLayout(tab);
    m_fileInfo = new QLabel(tr("Select a file on the left to see its content."), tab);
    m_fileInfo->setObjectName(QStringLiteral("fileInfoLabel"));
    m_fileInfo->setWordWrap(true);
    layout->addWidget(m_fileInfo);

    auto *findRow = new QHBoxLayout;
    m_find = new QLineEdit(tab);
    m_find->setObjectName(QStringLiteral("findLineEdit"));
    m_find->setPlaceholderText(tr("Find in this file"));
    m_find->setAccessibleName(tr("Find in this file"));
    m_find->setClearButtonEnabled(true);
    // Never squeezed below its placeholder: the layout gives the tabs the room (fitFilesPane()).
    m_find->setMinimumWidth(minimumFieldWidth(m_find));
    auto *findNextButton = new QPushButton(tr("Find &next"), tab);
    findNextButton->setObjectName(QStringLiteral("findNextButton"));
    m_compare = new QCheckBox(tr("Show the redacted copy &side by side"), tab);
    m_compare->setObjectName(QStringLiteral("compareCheckBox"));
    findRow->addWidget(m_find, 1);
    findRow->addWidget(findNextButton);
    findRow->addWidget(m_compare);
    layout->addLayout(findRow);

    auto *viewSplitter = new QSplitter(Qt::Vertical, tab);
    auto *sideBySide = new QSplitter(Qt::Horizontal, viewSplitter);
    m_model = new LogModel(this);
    m_view = new LogView(sideBySide);
    m_view->setObjectName(QStringLiteral("logListView"));
    m_view->setAccessibleName(tr("Original content"));
    m_view->setLogModel(m_model);
    m_redactedModel = new LogModel(this);
    m_redactedModel->setHighlightTokens(true);
    m_redactedView = new LogView(sideBySide);
    m_redactedView->setObjectName(QStringLiteral("redactedListView"));
    m_redactedView->setAccessibleName(tr("Redacted content"));
    m_redactedView->setLogModel(m_redactedModel);
    m_redactedView->hide();
    sideBySide->addWidget(m_view);
    sideBySide->addWidget(m_redactedView);

    auto *lower = new QWidget(viewSplitter);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    auto *selectionRow = new QHBoxLayout;
    m_selectedLine = new QLineEdit(lower);
    m_selectedLine->setObjectName(QStringLiteral("selectedLineEdit"));
    m_selectedLine->setReadOnly(true);
    m_selectedLine->setAccessibleName(tr("Selected line; select text in it to redact it everywhere"));
    m_selectedLine->setPlaceholderText(tr("Select a line above, then select text here"));
    m_redactSelection = new QPushButton(tr("&Redact selected text everywhere"), lower);
    m_redactSelection->setObjectName(QStringLiteral("redactSelectionButton"));
    m_redactSelection->setEnabled(false);
    selectionRow->addWidget(m_selectedLine, 1);
    selectionRow->addWidget(m_redactSelection);
    lowerLayout->addLayout(selectionRow);
    m_findings = makeTree(lower, QStringLiteral("findingsTreeWidget"), tr("Findings in this file"),
                          {tr("Redact here (rule)"), tr("Found"), tr("Pseudonym"), tr("Line"), tr("Decision")});
    m_findings->header()->setSectionResizeMode(FoundColumn, QHeaderView::Stretch);
    for (int column : {DecisionColumn, PseudonymColumn, LineColumn})
        m_findings->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_findings->header()->setStretchLastSection(false);
    m_findings->setContextMenuPolicy(Qt::CustomContextMenu);
    // Next to the value, where it is seen without scrolling sideways.
    m_findings->header()->moveSection(DecisionColumn, FoundColumn);
    lowerLayout->addWidget(m_findings, 1);
    m_findingsNote = new QLabel(lower);
    m_findingsNote->setObjectName(QStringLiteral("findingsNoteLabel"));
    m_findingsNote->setWordWrap(true);
    lowerLayout->addWidget(m_findingsNote);
    viewSplitter->addWidget(sideBySide);
    viewSplitter->addWidget(lower);
    viewSplitter->setStretchFactor(0, 3);
    viewSplitter->setStretchFactor(1, 2);
    layout->addWidget(viewSplitter, 1);

    connect(m_find, &QLineEdit::returnPressed, this, &ReviewPage::findNext);
    connect(findNextButton, &QPushButton::clicked, this, &ReviewPage::findNext);
    auto *f3 = new QShortcut(QKeySequence::FindNext, tab);
    connect(f3, &QShortcut::activated, this, &ReviewPage::findNext);
    connect(m_compare, &QCheckBox::toggled, this, [this](bool on) {
        m_redactedView->setVisible(on);
        if (on)
            makePreview();
        else
            m_redactedModel->close();
    });
    // Redaction keeps one output line per input line: scroll both views together.
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_redactedView->isVisible())
            m_redactedView->verticalScrollBar()->setValue(value);
    });
    connect(m_view->horizontalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_redactedView->isVisible())
            m_redactedView->horizontalScrollBar()->setValue(value);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        m_selectedLine->setText(m_model->lineText(index.row()));
        m_selectedLine->setCursorPosition(0);
    });
    // QLineEdit drops its selection when it loses focus (to the button): remember it.
    connect(m_selectedLine, &QLineEdit::selectionChanged, this, [this] {
        const QString text = m_selectedLine->selectedText().trimmed();
        if (text.isEmpty() && !m_selectedLine->hasFocus())
            return;
        m_selection = text;
        m_redactSelection->setEnabled(m_selection.size() >= 2);
    });
    connect(m_selectedLine, &QLineEdit::textChanged, this, [this] {
        m_selection.clear();
        m_redactSelection->setEnabled(false);
    });
    connect(m_redactSelection, &QPushButton::clicked, this, &ReviewPage::redactSelection);
    // Select in the viewer, right-click: redact the text everywhere, or keep/redact the value under the cursor.
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        const int row = m_view->rowAt(position);
        const int character = m_view->characterAt(position);
        int finding = -1;
        if (row >= 0)
            for (const LogModel::Highlight &highlight : m_model->highlights(row))
                if (highlight.finding >= 0 && character >= highlight.start &&
                    character < highlight.start + highlight.length)
                    finding = highlight.finding;
        showValueMenu(m_view->viewport(), position, m_view->selectedText(), finding);
    });
    connect(m_findings, &QWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        QTreeWidgetItem *item = m_findings->itemAt(position);
        if (item)
            showValueMenu(m_findings->viewport(), position, QString(), m_findings->indexOfTopLevelItem(item));
    });
    connect(m_findings, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        if (m_updating || column != 0)
            return;
        this->context()->plan().setFindingDecision(m_currentFile, item->data(0, kOffsetRole).toLongLong(),
                                                   item->checkState(0) == Qt::Checked ? Decision::Redact
                                                                                      : Decision::Keep);
        refreshDecisions();
    });
    connect(m_findings, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item)
            return;
        const qint64 offset = item->data(0, kOffsetRole).toLongLong();
        const int row = m_model->rowForOffset(offset);
        int column = -1;
        int length = 1;
        for (const LogModel::Highlight &highlight : m_model->highlights(row))
            if (highlight.finding >= 0 && m_model->findings().at(highlight.finding).offset == offset) {
                column = highlight.start;
                length = highlight.length;
            }
        m_view->showRow(row, column, length);
    });
    return tab;
}

QWidget *ReviewPage::createValuesTab()
{
    auto *tab = new QWidget;
    tab->setObjectName(QStringLiteral("valuesTab"));
    auto *layout = new QVBoxLayout(tab);
    auto *note = new QLabel(tr("Each value found is replaced by the same pseudonym in every file, so support can "
                               "still follow one address or name through the logs. This map stays on this "
                               "computer; it is saved next to the archive for you and never packaged."),
                            tab);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *form = new QFormLayout;
    m_lookup = new QLineEdit(tab);
    m_lookup->setObjectName(QStringLiteral("reverseLookupLineEdit"));
    m_lookup->setPlaceholderText(tr("[host-1], [email-2], or a value"));
    m_lookup->setClearButtonEnabled(true);
    auto *lookupLabel = new QLabel(tr("&Look up:"), tab);
    lookupLabel->setBuddy(m_lookup);
    form->addRow(lookupLabel, m_lookup);
    m_lookupResult = new QLabel(tab);
    m_lookupResult->setObjectName(QStringLiteral("reverseLookupResultLabel"));
    m_lookupResult->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_lookupResult->setWordWrap(true);
    form->addRow(QString(), m_lookupResult);
    layout->addLayout(form);
    m_values = makeTree(tab, QStringLiteral("valuesTreeWidget"), tr("Values and their pseudonyms"),
                        {tr("Pseudonym"), tr("Original value"), tr("Rule"), tr("Occurrences")});
    m_values->setSortingEnabled(true);
    m_values->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_values->header()->setStretchLastSection(false);
    layout->addWidget(m_values, 1);
    auto *termRow = new QHBoxLayout;
    m_term = new QLineEdit(tab);
    m_term->setObjectName(QStringLiteral("termLineEdit"));
    m_term->setPlaceholderText(tr("A name, project or anything else to hide"));
    m_term->setAccessibleName(tr("Text to redact everywhere"));
    auto *termLabel = new QLabel(tr("Also redact:"), tab);
    termLabel->setBuddy(m_term);
    auto *addTermButton = new QPushButton(tr("&Add"), tab);
    addTermButton->setObjectName(QStringLiteral("addTermButton"));
    termRow->addWidget(termLabel);
    termRow->addWidget(m_term, 1);
    termRow->addWidget(addTermButton);
    layout->addLayout(termRow);

    connect(m_lookup, &QLineEdit::textChanged, this, &ReviewPage::lookUp);
    auto add = [this] {
        addTerm(m_term->text());
        m_term->clear();
    };
    connect(m_term, &QLineEdit::returnPressed, this, add);
    connect(addTermButton, &QPushButton::clicked, this, add);
    connect(m_values, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        if (m_updating || column != 0)
            return;
        this->context()->plan().setValueDecision(item->data(0, kTokenRole).toString().toLatin1(),
                                                 item->checkState(0) == Qt::Checked ? Decision::Redact
                                                                                    : Decision::Keep);
        refreshDecisions();
    });
    return tab;
}

QWidget *ReviewPage::createRulesTab()
{
    auto *tab = new QWidget;
    tab->setObjectName(QStringLiteral("rulesTab"));
    auto *layout = new QVBoxLayout(tab);
    auto *note = new QLabel(tr("Untick a rule to keep everything it found, in every file."), tab);
    note->setWordWrap(true);
    layout->addWidget(note);
    m_rules = makeTree(tab, QStringLiteral("rulesTreeWidget"), tr("Redaction rules"),
                       {tr("Rule"), tr("Findings"), tr("What it finds")});
    m_rules->header()->setStretchLastSection(true);
    layout->addWidget(m_rules, 1);
    connect(m_rules, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        if (m_updating || column != 0)
            return;
        this->context()->plan().setRuleDecision(item->data(0, kRuleRole).toString(),
                                                item->checkState(0) == Qt::Checked ? Decision::Redact : Decision::Keep);
        refreshDecisions();
    });
    return tab;
}

QWidget *ReviewPage::createSearchTab()
{
    auto *tab = new QWidget;
    tab->setObjectName(QStringLiteral("searchTab"));
    auto *layout = new QVBoxLayout(tab);
    auto *row = new QHBoxLayout;
    m_search = new QLineEdit(tab);
    m_search->setObjectName(QStringLiteral("searchLineEdit"));
    m_search->setPlaceholderText(tr("Text to find in every collected file"));
    m_search->setAccessibleName(tr("Search all files"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(minimumFieldWidth(m_search));
    auto *button = new QPushButton(tr("&Search"), tab);
    button->setObjectName(QStringLiteral("searchButton"));
    row->addWidget(m_search, 1);
    row->addWidget(button);
    layout->addLayout(row);
    m_searchResults =
        makeTree(tab, QStringLiteral("searchResultsTreeWidget"), tr("Search results"), {tr("File"), tr("Line")});
    layout->addWidget(m_searchResults, 1);
    m_searchNote = new QLabel(tab);
    m_searchNote->setObjectName(QStringLiteral("searchNoteLabel"));
    layout->addWidget(m_searchNote);
    connect(m_search, &QLineEdit::returnPressed, this, &ReviewPage::searchAll);
    connect(button, &QPushButton::clicked, this, &ReviewPage::searchAll);
    connect(m_searchResults, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString path = item->data(0, kPathRole).toString();
        const qint64 offset = item->data(0, kOffsetRole).toLongLong();
        for (QTreeWidgetItemIterator it(m_files); *it; ++it) {
            if ((*it)->data(0, kPathRole).toString() == path) {
                m_files->setCurrentItem(*it);
                break;
            }
        }
        m_tabs->setCurrentIndex(0);
        m_view->showRow(m_model->rowForOffset(offset));
    });
    return tab;
}

bool ReviewPage::showLine(const QString &path, qint64 line)
{
    if (!m_loaded)
        reload();
    QTreeWidgetItem *item = nullptr;
    for (QTreeWidgetItemIterator it(m_files); *it && !item; ++it)
        if ((*it)->data(0, kPathRole).toString() == path)
            item = *it;
    if (!item)
        return false;
    m_files->setCurrentItem(item);
    m_files->scrollToItem(item);
    m_tabs->setCurrentIndex(0);
    openFile(path);
    if (line <= 0) {
        m_view->scrollToTop();
        return true;
    }
    // Line ends are indexed lazily: far enough for the line asked for.
    while (m_model->rowCount() < line && m_model->canFetchMore({}))
        m_model->fetchMore({});
    m_view->showRow(int(std::min<qint64>(line, m_model->rowCount()) - 1));
    return true;
}

int ReviewPage::currentRow() const { return m_view->currentRow(); }

QWidget *ReviewPage::createSummaryTab()
{
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("summaryTab"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *tab = new QWidget(scroll);
    scroll->setWidget(tab);
    auto *layout = new QVBoxLayout(tab);
    auto *chartTitle = new QLabel(tr("<b>What the archive will hold</b> (hatched: left out)"), tab);
    layout->addWidget(chartTitle);
    m_chart = new CategoryChart(tab);
    layout->addWidget(m_chart);
    m_summary = new QLabel(tab);
    m_summary->setObjectName(QStringLiteral("redactionSummaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    layout->addWidget(m_summary);
    layout->addStretch(1);
    return scroll;
}

bool ReviewPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_files->viewport() && event->type() == QEvent::Resize)
        fitNameColumn();
    return WizardPage::eventFilter(watched, event);
}

void ReviewPage::resizeEvent(QResizeEvent *event)
{
    WizardPage::resizeEvent(event);
    if (m_loaded && !m_splitterSetByUser)
        fitFilesPane();
}

int ReviewPage::tabsNeededWidth() const
{
    // Every tab's title whole and each page's controls at their minimum (the search
    // fields above their placeholder, the side-by-side switch with its whole label).
    const int frame = m_tabs->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, m_tabs) * 2 + 4;
    const int titles = m_tabs->tabBar()->sizeHint().width();
    int pages = 0;
    for (int i = 0; i < m_tabs->count(); ++i)
        pages = std::max(pages, m_tabs->widget(i)->minimumSizeHint().width());
    return std::max(titles, pages) + frame;
}

void ReviewPage::fitFilesPane()
{
    const int total = m_splitter->width() - m_splitter->handleWidth();
    if (!m_splitterSetByUser && total > 0 && m_files->topLevelItemCount() > 0) {
        int needed = m_files->frameWidth() * 2 + m_files->verticalScrollBar()->sizeHint().width() +
                     fontMetrics().averageCharWidth() * 2;
        for (int column = 0; column < m_files->columnCount(); ++column)
            needed += std::max(contentWidth(m_files, column), m_files->header()->sectionSizeHint(column));
        // The files get what their columns need, but never the room the tabs' controls need.
        const int minimum = m_splitter->widget(0)->minimumWidth();
        const int left = std::clamp(needed, minimum, std::max(minimum, total - tabsNeededWidth()));
        m_splitter->setSizes({left, total - left});
    }
    fitNameColumn();
}

int ReviewPage::fileNamesWidth() const
{
    // Only the file rows: the category rows span every column.
    const QFontMetrics metrics = m_files->fontMetrics();
    const int margin = 2 * (m_files->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_files) + 1);
    int widest = 0;
    for (QTreeWidgetItemIterator it(m_files); *it; ++it)
        if ((*it)->parent())
            widest = std::max(widest, metrics.horizontalAdvance((*it)->text(NameColumn)));
    return widest + margin + m_files->indentation() * (m_files->rootIsDecorated() ? 2 : 1);
}

void ReviewPage::fitNameColumn()
{
    if (m_files->topLevelItemCount() == 0)
        return;
    QHeaderView *header = m_files->header();
    const int viewport = m_files->viewport()->width();
    const auto othersWidth = [&](bool all) {
        int others = 0;
        for (int column : {SizeColumn, StatusColumn, FindingsColumn, ArchiveColumn})
            if (all || (column != StatusColumn && column != ArchiveColumn))
                others += std::max(contentWidth(m_files, column), header->sectionSizeHint(column));
        return others;
    };
    // Where the names would be cut, the status and "in archive" columns give way (a file
    // left out is struck through, and the File tab says both); back when there is room.
    const bool showAll = m_nameWidthSetByUser || viewport - othersWidth(true) >= fileNamesWidth();
    m_fitting = true;
    header->setSectionHidden(StatusColumn, !showAll);
    header->setSectionHidden(ArchiveColumn, !showAll);
    if (!m_nameWidthSetByUser)
        header->resizeSection(NameColumn,
                              std::max(viewport - othersWidth(showAll), fontMetrics().averageCharWidth() * 12));
    m_fitting = false;
}

bool ReviewPage::canGoNext() const { return m_loaded && !context()->isBusy(); }

void ReviewPage::enter()
{
    if (!m_loaded)
        reload();
}

void ReviewPage::reload()
{
    m_loaded = true;
    const QString current = m_currentFile;
    populateFiles();
    populateRules();
    populateValues();
    updateSummary();
    m_currentFile.clear();
    QTreeWidgetItem *select = nullptr;
    for (QTreeWidgetItemIterator it(m_files); *it; ++it) {
        const QString path = (*it)->data(0, kPathRole).toString();
        if (path.isEmpty())
            continue;
        if (!select || path == current)
            select = *it;
        if (path == current)
            break;
    }
    if (select) {
        m_files->setCurrentItem(select);
        openFile(select->data(0, kPathRole).toString());
    }
    fitFilesPane();
    // Again once the layout has given the page its size.
    QTimer::singleShot(0, this, &ReviewPage::fitFilesPane);
    emit completeChanged();
}

void ReviewPage::populateFiles()
{
    m_updating = true;
    m_files->clear();
    QHash<Category, QTreeWidgetItem *> groups;
    const QLocale locale;
    for (const StagedEntry &entry : context()->entries()) {
        QTreeWidgetItem *group = groups.value(entry.category);
        if (!group) {
            group = new QTreeWidgetItem(m_files, {categoryTitle(entry.category)});
            QFont bold = group->font(0);
            bold.setBold(true);
            group->setFont(0, bold);
            group->setExpanded(true);
            groups.insert(entry.category, group);
            group->setFirstColumnSpanned(true); // the category's title is never cut by the File column
        }
        const QString shown = entry.path.section(QLatin1Char('/'), 1);
        auto *row = new QTreeWidgetItem(group);
        row->setText(NameColumn, shown.isEmpty() ? entry.path : shown);
        row->setToolTip(NameColumn, entry.path);
        row->setData(0, kPathRole, entry.path);
        row->setText(SizeColumn, locale.formattedDataSize(entry.bytes, 1));
        row->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
        QString status = statusText(entry.status);
        if (const FileFindings *scan = context()->findingsFor(entry.path); scan && scan->kind != ContentKind::Text)
            status += QStringLiteral(", ") + kindText(scan->kind);
        row->setText(StatusColumn, status);
        if (!entry.reason.isEmpty())
            row->setToolTip(StatusColumn, reasonText(entry.reason));
        const FileFindings *scan = context()->findingsFor(entry.path);
        row->setText(FindingsColumn, scan ? locale.toString(scan->totalFindings) : QString());
        row->setTextAlignment(FindingsColumn, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_updating = false;
    updateFileRows();
}

void ReviewPage::updateFileRows()
{
    m_updating = true;
    for (QTreeWidgetItemIterator it(m_files); *it; ++it) {
        const QString path = (*it)->data(0, kPathRole).toString();
        if (path.isEmpty())
            continue;
        const bool included = context()->isIncluded(path);
        (*it)->setText(ArchiveColumn, included ? tr("yes") : tr("no"));
        QFont font = (*it)->font(NameColumn);
        font.setStrikeOut(!included);
        (*it)->setFont(NameColumn, font);
        (*it)->setData(NameColumn, Qt::AccessibleDescriptionRole,
                       included ? tr("in the archive") : tr("left out of the archive"));
    }
    m_updating = false;
}

void ReviewPage::populateValues()
{
    struct Value
    {
        QString rule;
        QByteArray original;
        qint64 count = 0;
    };
    QHash<QByteArray, Value> values;
    for (const FileFindings &scan : context()->scans()) {
        for (const Finding &finding : scan.findings) {
            Value &value = values[finding.token];
            if (value.count == 0) {
                value.rule = finding.rule;
                value.original = finding.value;
            }
            ++value.count;
        }
    }
    m_updating = true;
    m_values->setSortingEnabled(false);
    m_values->clear();
    int rows = 0;
    for (auto it = values.cbegin(); it != values.cend() && rows < kMaxValueRows; ++it, ++rows) {
        auto *row = new SortableItem(m_values);
        row->setText(0, QString::fromLatin1(it.key()));
        row->setText(1, QString::fromUtf8(it->original));
        row->setText(2, it->rule);
        row->setText(3, QLocale().toString(it->count));
        row->setData(3, kSortRole, it->count);
        row->setTextAlignment(3, Qt::AlignRight | Qt::AlignVCenter);
        row->setData(0, kTokenRole, QString::fromLatin1(it.key()));
        row->setData(0, kRuleRole, it->rule);
        lockRow(row, context()->isRedactionLocked(it->rule, it->original));
    }
    m_values->setSortingEnabled(true);
    m_values->sortByColumn(0, Qt::AscendingOrder);
    m_updating = false;
    refreshDecisions();
    m_values->resizeColumnToContents(0);
    m_values->resizeColumnToContents(2);
}

void ReviewPage::populateRules()
{
    QHash<QString, qint64> counts;
    for (const FileFindings &scan : context()->scans())
        for (const Finding &finding : scan.findings)
            counts[finding.rule] += 1;
    m_updating = true;
    m_rules->clear();
    for (const RuleInfo &rule : RedactionRules::builtinRules()) {
        auto *row =
            new QTreeWidgetItem(m_rules, {rule.id, QLocale().toString(counts.value(rule.id)), ruleDescription(rule)});
        row->setData(0, kRuleRole, rule.id);
        lockRow(row, context()->isRuleLocked(rule.id));
        // Ticked from the start: the check box is what the note above asks the user to use.
        row->setCheckState(0, context()->plan().ruleDecision(rule.id) != Decision::Keep ? Qt::Checked : Qt::Unchecked);
        row->setToolTip(2, ruleDescription(rule));
    }
    // The policy's own patterns: listed so the user sees them, never switchable.
    for (const PolicyPattern &pattern : context()->policy().redactionPatterns) {
        auto *row = new QTreeWidgetItem(m_rules, {pattern.id, QLocale().toString(counts.value(pattern.id)),
                                                  tr("Added by your administrator's policy: %1").arg(pattern.regex)});
        row->setData(0, kRuleRole, pattern.id);
        lockRow(row, true);
        row->setCheckState(0, Qt::Checked);
    }
    m_rules->resizeColumnToContents(0);
    m_rules->resizeColumnToContents(1);
    m_updating = false;
}

QString ReviewPage::fileInfoText(const QString &path) const
{
    const FileFindings *scan = context()->findingsFor(path);
    const ContentKind kind = scan ? scan->kind : ContentKind::Binary;
    const QLocale locale;
    const QString absolute = context()->stagingPath() + QLatin1Char('/') + path;
    // The path may break after each '/' (a zero-width space): a long one never widens the tab.
    QString info = tr("<b>%1</b>: %2, %3")
                       .arg(path.toHtmlEscaped().replace(QLatin1Char('/'), QStringLiteral("/\u200b")),
                            locale.formattedDataSize(QFileInfo(absolute).size()), kindText(kind));
    if (scan)
        info += QStringLiteral(", ") + tr("%Ln finding(s)", nullptr, int(scan->totalFindings));
    // What the file list's status and "in archive" columns say (hidden when the list is narrow).
    for (const StagedEntry &entry : context()->entries())
        if (entry.path == path)
            info += QStringLiteral(", ") + statusText(entry.status);
    if (!context()->isIncluded(path))
        info += QStringLiteral(", ") + tr("left out of the archive");
    return info;
}

void ReviewPage::openFile(const QString &path)
{
    if (path == m_currentFile && m_model->rowCount() > 0)
        return;
    m_currentFile = path;
    const FileFindings *scan = context()->findingsFor(path);
    const ContentKind kind = scan ? scan->kind : ContentKind::Binary;
    const QString absolute = context()->stagingPath() + QLatin1Char('/') + path;
    QString info = fileInfoText(path);
    m_selectedLine->clear();
    if (kind == ContentKind::Binary) {
        m_model->close();
        info += QStringLiteral("<br>") +
                tr("Binary data cannot be shown or redacted. It is left out unless you include it: %1")
                    .arg((scan ? scan->reason : QString()).toHtmlEscaped());
    } else if (kind == ContentKind::CompressedText) {
        m_model->close();
        info += QStringLiteral("<br>") + tr("Compressed log: its text is shown in the redacted copy.");
        m_compare->setChecked(true);
    } else {
        QString error;
        if (!m_model->open(absolute, &error))
            emit message(MessageWidget::Type::Error, error);
    }
    // A new file starts at its first line and first column (line numbers in view).
    m_view->scrollToTop();
    m_view->horizontalScrollBar()->setValue(0);
    m_view->clearTextSelection();
    m_fileInfo->setText(info);
    populateFindings();
    if (m_compare->isChecked())
        makePreview();
}

void ReviewPage::populateFindings()
{
    m_updating = true;
    m_findings->clear();
    const FileFindings *scan = context()->findingsFor(m_currentFile);
    QList<Finding> findings = scan ? scan->findings : QList<Finding>();
    const QString file = m_currentFile;
    WizardContext *ctx = context();
    m_model->setFindings(findings,
                         [ctx, file](const Finding &finding) { return ctx->plan().shouldRedact(file, finding); });
    const int shown = std::min<int>(int(findings.size()), kMaxFindingRows);
    QList<QTreeWidgetItem *> rows;
    rows.reserve(shown);
    for (int i = 0; i < shown; ++i) {
        const Finding &finding = findings.at(i);
        auto *row = new QTreeWidgetItem;
        row->setText(0, finding.rule);
        row->setText(1, QString::fromUtf8(finding.value));
        row->setText(2, QString::fromLatin1(finding.token));
        row->setData(0, kOffsetRole, finding.offset);
        row->setData(0, kTokenRole, QString::fromLatin1(finding.token));
        row->setData(0, kRuleRole, finding.rule);
        lockRow(row, context()->isRedactionLocked(finding.rule, finding.value));
        row->setCheckState(0, context()->plan().shouldRedact(file, finding) ? Qt::Checked : Qt::Unchecked);
        row->setText(DecisionColumn, decisionText(file, finding));
        row->setData(0, Qt::AccessibleDescriptionRole, tr("Redact %1").arg(row->text(1)));
        rows.append(row);
    }
    m_findings->addTopLevelItems(rows);
    // Line numbers need the index up to the finding: only for the rows shown.
    if (m_model->rowCount() > 0)
        for (QTreeWidgetItem *row : std::as_const(rows))
            row->setText(LineColumn,
                         QLocale().toString(m_model->rowForOffset(row->data(0, kOffsetRole).toLongLong()) + 1));
    m_findings->resizeColumnToContents(0);
    QString note = tr("A tick here is for this occurrence only; right-click a finding to keep or redact its value "
                      "everywhere.");
    if (scan && scan->totalFindings > shown)
        note += QLatin1Char(' ') + tr("The first %1 of %2 findings are listed.")
                                       .arg(QLocale().toString(shown), QLocale().toString(scan->totalFindings));
    m_findingsNote->setText(note);
    m_updating = false;
}

void ReviewPage::refreshDecisions()
{
    context()->notifyPlanChanged();
    const RedactionPlan &plan = context()->plan();
    m_updating = true;
    const FileFindings *scan = context()->findingsFor(m_currentFile);
    if (scan) {
        for (int i = 0; i < m_findings->topLevelItemCount() && i < scan->findings.size(); ++i) {
            QTreeWidgetItem *row = m_findings->topLevelItem(i);
            row->setCheckState(0, plan.shouldRedact(m_currentFile, scan->findings.at(i)) ? Qt::Checked : Qt::Unchecked);
            row->setText(DecisionColumn, decisionText(m_currentFile, scan->findings.at(i)));
        }
    }
    for (int i = 0; i < m_values->topLevelItemCount(); ++i) {
        QTreeWidgetItem *row = m_values->topLevelItem(i);
        const Decision value = plan.valueDecision(row->data(0, kTokenRole).toString().toLatin1());
        const bool on =
            value == Decision::Redact ||
            (value == Decision::Default && plan.ruleDecision(row->data(0, kRuleRole).toString()) != Decision::Keep);
        row->setCheckState(0, on ? Qt::Checked : Qt::Unchecked);
    }
    for (int i = 0; i < m_rules->topLevelItemCount(); ++i) {
        QTreeWidgetItem *row = m_rules->topLevelItem(i);
        row->setCheckState(0, plan.ruleDecision(row->data(0, kRuleRole).toString()) != Decision::Keep ? Qt::Checked
                                                                                                      : Qt::Unchecked);
    }
    m_updating = false;
    m_model->refreshHighlights();
    m_view->viewport()->update();
    updateSummary();
    schedulePreview();
}

QString ReviewPage::decisionText(const QString &file, const Finding &finding) const
{
    if (context()->isRedactionLocked(finding.rule, finding.value))
        return tr("redacted: policy");
    const RedactionPlan &plan = context()->plan();
    // The same order as RedactionPlan::shouldRedact(): occurrence, value, rule.
    switch (plan.findingDecision(file, finding.offset)) {
    case Decision::Keep:
        return tr("kept here only");
    case Decision::Redact:
        return tr("redacted here");
    case Decision::Default:
        break;
    }
    switch (plan.valueDecision(finding.token)) {
    case Decision::Keep:
        return tr("kept everywhere");
    case Decision::Redact:
        return tr("redacted everywhere");
    case Decision::Default:
        break;
    }
    if (plan.ruleDecision(finding.rule) == Decision::Keep)
        return tr("kept: rule off");
    return tr("redacted");
}

void ReviewPage::showValueMenu(QWidget *source, const QPoint &position, const QString &selection, int finding)
{
    QMenu menu(source);
    menu.setObjectName(QStringLiteral("reviewContextMenu"));
    const QString shown = selection.size() > 40 ? selection.left(37) + QStringLiteral("...") : selection;
    if (selection.trimmed().size() >= 2) {
        QAction *redact =
            menu.addAction(tr("Redact \"%1\" everywhere").arg(shown), this, [this, selection] { addTerm(selection); });
        redact->setObjectName(QStringLiteral("redactEverywhereAction"));
        if (source == m_view->viewport())
            menu.addAction(tr("&Copy"), this, [selection] { QGuiApplication::clipboard()->setText(selection); });
    }
    const QList<Finding> &findings = m_model->findings();
    const FileFindings *scan = context()->findingsFor(m_currentFile);
    const Finding *found = nullptr;
    if (source == m_view->viewport() && finding >= 0 && finding < findings.size())
        found = &findings.at(finding);
    else if (source != m_view->viewport() && scan && finding >= 0 && finding < scan->findings.size())
        found = &scan->findings.at(finding);
    if (found) {
        if (!menu.isEmpty())
            menu.addSeparator();
        const QByteArray token = found->token;
        const QString value = QString::fromUtf8(found->value);
        const QString valueShown = value.size() > 40 ? value.left(37) + QStringLiteral("...") : value;
        const bool locked =
            context()->isRedactionLocked(found->rule, found->value) || context()->policy().forceRedaction;
        QAction *keep = menu.addAction(tr("&Keep \"%1\" everywhere").arg(valueShown), this,
                                       [this, token] { setValueDecision(token, Decision::Keep); });
        keep->setObjectName(QStringLiteral("keepValueAction"));
        keep->setEnabled(!locked);
        QAction *redact = menu.addAction(tr("&Redact \"%1\" everywhere").arg(valueShown), this,
                                         [this, token] { setValueDecision(token, Decision::Redact); });
        redact->setObjectName(QStringLiteral("redactValueAction"));
        const QString file = m_currentFile;
        const qint64 offset = found->offset;
        if (context()->plan().findingDecision(file, offset) != Decision::Default) {
            QAction *reset = menu.addAction(tr("&Follow the value's decision here"), this, [this, file, offset] {
                context()->plan().setFindingDecision(file, offset, Decision::Default);
                refreshDecisions();
            });
            reset->setObjectName(QStringLiteral("resetOccurrenceAction"));
        }
    }
    if (menu.isEmpty())
        return;
    // Tests drive the menu offscreen: it is found by name while open.
    menu.exec(source->mapToGlobal(position));
}

void ReviewPage::setValueDecision(const QByteArray &token, Decision decision)
{
    RedactionPlan &plan = context()->plan();
    plan.setValueDecision(token, decision);
    // "Everywhere" means it: occurrence decisions on this value give way.
    for (const FileFindings &scan : context()->scans())
        for (const Finding &finding : scan.findings)
            if (finding.token == token && plan.findingDecision(scan.file, finding.offset) != Decision::Default)
                plan.setFindingDecision(scan.file, finding.offset, Decision::Default);
    refreshDecisions();
}

void ReviewPage::updateSummary()
{
    const auto bytes = context()->bytesPerCategory();
    QList<CategoryChart::Bar> bars;
    for (auto it = bytes.cbegin(); it != bytes.cend(); ++it)
        if (it->included + it->excluded > 0)
            bars.append({categoryTitle(it.key()), it->included, it->excluded});
    m_chart->setBars(bars);

    const RedactionPlan &plan = context()->plan();
    const WizardContext::RedactionCounts counts = context()->redactionCounts();
    const QMap<QString, qint64> &perRule = counts.perRule;
    const QStringList &excluded = counts.excludedFiles;
    const QLocale locale;
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(context()->redactionCountsText(counts).toHtmlEscaped());
    if (!perRule.isEmpty()) {
        QStringList parts;
        for (auto it = perRule.cbegin(); it != perRule.cend(); ++it)
            parts << QStringLiteral("%1: %2").arg(it.key().toHtmlEscaped(), locale.toString(it.value()));
        html += tr("<p>By rule: %1</p>").arg(parts.join(QStringLiteral(", ")));
    }
    if (!plan.terms().isEmpty()) {
        QStringList terms;
        for (const QString &term : plan.terms())
            terms << QStringLiteral("\"%1\"").arg(term.toHtmlEscaped());
        html += tr("<p>Your own terms redacted everywhere: %1</p>").arg(terms.join(QStringLiteral(", ")));
    }
    html += excluded.isEmpty()
                ? tr("<p>No file is left out.</p>")
                : tr("<p>%n file(s) left out of the archive:</p>", nullptr, int(excluded.size())) +
                      QStringLiteral("<ul><li>%1</li></ul>")
                          .arg(excluded.mid(0, 30)
                                   .join(QStringLiteral("</li><li>"))
                                   .toHtmlEscaped()
                                   .replace(QStringLiteral("&lt;/li&gt;&lt;li&gt;"), QStringLiteral("</li><li>")));
    html += tr("<p>The archive also holds manifest.json (what was collected and why), summary.html and "
               "redaction.json (counts per rule, never a value).</p>");
    m_summary->setText(html);
}

void ReviewPage::toggleExclude()
{
    QTreeWidgetItem *item = m_files->currentItem();
    const QString path = item ? item->data(0, kPathRole).toString() : QString();
    if (path.isEmpty())
        return;
    const bool included = context()->isIncluded(path);
    context()->plan().setFileChoice(path, included ? FileChoice::Exclude : FileChoice::Include);
    m_exclude->setText(included ? tr("&Include file") : tr("&Exclude file"));
    if (path == m_currentFile && m_model->rowCount() > 0)
        m_fileInfo->setText(fileInfoText(path));
    updateFileRows();
    refreshDecisions();
    emit message(MessageWidget::Type::Information, included ? tr("%1 will be left out of the archive.").arg(path)
                                                            : tr("%1 will be in the archive.").arg(path));
}

void ReviewPage::findNext()
{
    const QString needle = m_find->text();
    if (needle.isEmpty() || m_model->rowCount() == 0)
        return;
    const int row = m_model->find(needle, m_view->currentRow() + 1);
    if (row < 0) {
        emit message(MessageWidget::Type::Information, tr("\"%1\" is not in this file.").arg(needle));
        return;
    }
    m_view->showRow(row);
}

void ReviewPage::searchAll()
{
    const QByteArray needle = m_search->text().toUtf8().toLower();
    if (needle.isEmpty() || m_searchWatcher.isRunning())
        return;
    m_searchNote->setText(tr("Searching..."));
    QStringList files;
    for (const FileFindings &scan : context()->scans())
        if (scan.kind == ContentKind::Text)
            files << scan.file;
    const QString root = context()->stagingPath();
    m_searchWatcher.setFuture(QtConcurrent::run([root, files, needle] {
        QList<Hit> hits;
        for (const QString &relative : files) {
            QFile file(root + QLatin1Char('/') + relative);
            if (!file.open(QIODevice::ReadOnly) || file.size() == 0)
                continue;
            const qint64 size = file.size();
            const uchar *data = file.map(0, size);
            if (!data)
                continue;
            constexpr qint64 kWindow = 1 << 20;
            const qint64 overlap = needle.size() - 1;
            qint64 nextAllowed = 0;
            for (qint64 pos = 0; pos < size && hits.size() < kMaxSearchHits; pos += kWindow) {
                const qint64 length = std::min(kWindow + overlap, size - pos);
                const QByteArray window =
                    QByteArray::fromRawData(reinterpret_cast<const char *>(data + pos), length).toLower();
                for (qsizetype at = window.indexOf(needle); at >= 0 && hits.size() < kMaxSearchHits;
                     at = window.indexOf(needle, at + 1)) {
                    const qint64 offset = pos + at;
                    if (offset < nextAllowed)
                        continue;
                    qint64 start = offset;
                    while (start > 0 && offset - start < 200 && data[start - 1] != '\n')
                        --start;
                    qint64 end = offset;
                    while (end < size && end - offset < 200 && data[end] != '\n')
                        ++end;
                    nextAllowed = end; // one hit per line
                    hits.append(
                        Hit{relative, offset,
                            QString::fromUtf8(reinterpret_cast<const char *>(data + start), end - start).trimmed()});
                }
            }
            file.unmap(const_cast<uchar *>(data));
        }
        return hits;
    }));
}

void ReviewPage::lookUp()
{
    const QString query = m_lookup->text().trimmed();
    if (query.isEmpty()) {
        m_lookupResult->clear();
        return;
    }
    QByteArray token = query.toUtf8();
    if (!token.startsWith('['))
        token = '[' + token + ']';
    for (const PseudonymMap::Entry &entry : context()->pseudonyms().entries()) {
        if (entry.token == token) {
            m_lookupResult->setText(
                tr("%1 stands for \"%2\" (%3).")
                    .arg(QString::fromLatin1(entry.token), QString::fromUtf8(entry.original), entry.kind));
            for (int i = 0; i < m_values->topLevelItemCount(); ++i)
                if (m_values->topLevelItem(i)->text(0) == QString::fromLatin1(entry.token))
                    m_values->setCurrentItem(m_values->topLevelItem(i));
            return;
        }
        if (QString::fromUtf8(entry.original).compare(query, Qt::CaseInsensitive) == 0 ||
            QString::fromUtf8(entry.value).compare(query, Qt::CaseInsensitive) == 0) {
            m_lookupResult->setText(
                tr("\"%1\" becomes %2.").arg(QString::fromUtf8(entry.original), QString::fromLatin1(entry.token)));
            return;
        }
    }
    m_lookupResult->setText(tr("No pseudonym or value matches."));
}

void ReviewPage::redactSelection()
{
    if (m_selection.size() >= 2)
        addTerm(m_selection);
}

void ReviewPage::addTerm(const QString &term)
{
    const QString trimmed = term.trimmed();
    if (trimmed.size() < 2) {
        emit message(MessageWidget::Type::Warning, tr("Enter at least two characters to redact."));
        return;
    }
    emit message(MessageWidget::Type::Information,
                 tr("\"%1\" will be redacted in every file. Looking for it...").arg(trimmed));
    m_pendingTerm = trimmed;
    context()->addTerm(trimmed);
    emit completeChanged();
}

void ReviewPage::schedulePreview()
{
    if (m_compare->isChecked())
        m_previewTimer.start();
}

void ReviewPage::makePreview()
{
    if (!m_compare->isChecked() || m_currentFile.isEmpty())
        return;
    if (m_previewWatcher.isRunning()) {
        m_previewTimer.start();
        return;
    }
    const FileFindings *scan = context()->findingsFor(m_currentFile);
    if (!scan || scan->kind == ContentKind::Binary) {
        m_redactedModel->close();
        return;
    }
    if (!m_previewDir) {
        auto dir = Staging::create();
        if (!dir) {
            emit message(MessageWidget::Type::Error, dir.error().message);
            return;
        }
        m_previewDir = std::move(*dir);
    }
    const QString in = context()->stagingPath() + QLatin1Char('/') + m_currentFile;
    const QString out = m_previewDir->path() + QStringLiteral("/preview-%1.txt").arg(++m_previewSerial);
    const QString previous = m_redactedModel->path();
    m_redactedModel->close();
    if (!previous.isEmpty())
        QFile::remove(previous);
    const QList<FileFindings> scans = context()->scans();
    const RedactionPlan plan = context()->plan();
    const RedactionRules base = context()->baseRules();
    PseudonymMap *map = &context()->pseudonyms();
    const QString key = m_currentFile;
    m_previewWatcher.setFuture(QtConcurrent::run([=]() -> QString {
        // Packaging forces every file in; a preview shows what an included file would hold.
        RedactionPlan included = plan;
        if (!included.isIncluded(key, ContentKind::Text))
            included.setFileChoice(key, FileChoice::Include);
        const Redactor redactor(included.applyRules(base, scans));
        auto outcome = redactFile(in, out, redactor, included, *map, key);
        return outcome && outcome->written ? out : QString();
    }));
}

} // namespace dc::gui
