// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/mainwindow.h"

#include "app/gui/aboutdialog.h"
#include "app/gui/choosepage.h"
#include "app/gui/collectpage.h"
#include "app/gui/findingspage.h"
#include "app/gui/finishpage.h"
#include "app/gui/historydialog.h"
#include "app/gui/reproducepage.h"
#include "app/gui/reviewpage.h"
#include "app/gui/welcomepage.h"
#include "app/gui/whatcollecteddialog.h"
#include "app/gui/wizardcontext.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace dc::gui {

namespace {

constexpr auto kGeometryKey = "window/geometry";
constexpr auto kOutputKey = "output/lastFolder";

} // namespace

MainWindow::MainWindow(const GuiOptions &options, const GuiStartup &startup, QWidget *parent)
    : QMainWindow(parent)
    , m_context(new WizardContext(options, startup, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Diagnostics Collector"));
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/hicolor/diagcollect-%1.png").arg(size), QSize(size, size));
    setWindowIcon(icon);
    m_context->caseId = options.caseId;

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_steps = new QLabel(central);
    m_steps->setObjectName(QStringLiteral("stepsLabel"));
    m_steps->setTextFormat(Qt::RichText);
    layout->addWidget(m_steps);
    m_title = new QLabel(central);
    m_title->setObjectName(QStringLiteral("pageTitleLabel"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);
    m_message = new MessageWidget(central);
    layout->addWidget(m_message);

    m_stack = new QStackedWidget(central);
    m_stack->setObjectName(QStringLiteral("pagesStackedWidget"));
    m_pages = {new WelcomePage(m_context, m_stack),   new ChoosePage(m_context, m_stack),
               new ReproducePage(m_context, m_stack), new CollectPage(m_context, m_stack),
               new FindingsPage(m_context, m_stack),  new ReviewPage(m_context, m_stack),
               new FinishPage(m_context, m_stack)};
    for (WizardPage *page : std::as_const(m_pages)) {
        m_stack->addWidget(page);
        connect(page, &WizardPage::completeChanged, this, &MainWindow::updateButtons);
        connect(page, &WizardPage::message, m_message, &MessageWidget::showMessage);
        connect(page, &WizardPage::advance, this, &MainWindow::goNext);
    }
    layout->addWidget(m_stack, 1);

    auto *line = new QFrame(central);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);
    auto *buttons = new QHBoxLayout;
    m_back = new QPushButton(tr("&Back"), central);
    m_back->setObjectName(QStringLiteral("backButton"));
    // On the last page Close stands apart from where Next was, so that
    // pressing on through the wizard never closes it.
    m_close = new QPushButton(tr("C&lose"), central);
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_close->hide();
    m_nextHint = new QLabel(central);
    m_nextHint->setObjectName(QStringLiteral("nextHintLabel"));
    m_nextHint->setForegroundRole(QPalette::PlaceholderText);
    m_nextHint->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_next = new QPushButton(central);
    m_next->setObjectName(QStringLiteral("nextButton"));
    m_next->setDefault(true);
    buttons->addWidget(m_back);
    buttons->addWidget(m_close);
    buttons->addStretch(1);
    buttons->addWidget(m_nextHint, 1);
    buttons->addWidget(m_next);
    layout->addLayout(buttons);
    setCentralWidget(central);

    connect(m_back, &QPushButton::clicked, this, &MainWindow::goBack);
    connect(m_next, &QPushButton::clicked, this, &MainWindow::goNext);
    connect(m_close, &QPushButton::clicked, this, &QWidget::close);
    connect(m_context, &WizardContext::reviewReady, this, [this] { m_reviewReady = true; });
    connect(m_context, &WizardContext::discarded, this, [this] { m_reviewReady = false; });
    connect(m_context, &WizardContext::failed, this,
            [this](const QString &text) { m_message->showMessage(MessageWidget::Type::Error, text); });
    connect(m_context, &WizardContext::reviewReady, this, &MainWindow::updateButtons);
    connect(m_context, &WizardContext::fullLogsChanged, this, &MainWindow::updateHeader);
    // The Collect page shows it itself (next to what the run did).
    connect(m_context, &WizardContext::fullLoggingRestored, this, [this](bool ok, const QString &text) {
        if (currentStep() != CollectStep)
            m_message->showMessage(ok ? MessageWidget::Type::Positive : MessageWidget::Type::Error, text);
    });
    connect(m_context, &WizardContext::packagingFinished, this, &MainWindow::updateButtons);
    // A finding's evidence opens in the review's viewer, at its line.
    connect(static_cast<FindingsPage *>(m_pages.at(FindingsStep)), &FindingsPage::evidenceRequested, this,
            [this](const QString &file, qint64 line) {
                if (currentStep() == FindingsStep)
                    goNext();
                if (currentStep() == ReviewStep)
                    static_cast<ReviewPage *>(m_pages.at(ReviewStep))->showLine(file, line);
            });

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *history = fileMenu->addAction(tr("&Previous collections..."), this, &MainWindow::showHistory);
    history->setObjectName(QStringLiteral("historyAction"));
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("quitAction"));
    auto *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *what = helpMenu->addAction(tr("&What is collected?"), this, &MainWindow::showWhatIsCollected);
    what->setObjectName(QStringLiteral("whatCollectedAction"));
    what->setShortcut(QKeySequence::HelpContents);
    helpMenu->addSeparator();
    QAction *about = helpMenu->addAction(tr("&About Diagnostics Collector"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("aboutAction"));
    helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    QSettings settings;
    auto *finish = static_cast<FinishPage *>(m_pages.at(FinishStep));
    const QString lastFolder = settings.value(QLatin1String(kOutputKey)).toString();
    if (!lastFolder.isEmpty())
        finish->setOutputFolder(lastFolder);
    connect(finish, &FinishPage::outputFolderChosen, this,
            [](const QString &folder) { QSettings().setValue(QLatin1String(kOutputKey), folder); });
    if (!restoreGeometry(settings.value(QLatin1String(kGeometryKey)).toByteArray())) {
        const QFontMetrics metrics(font());
        resize(metrics.averageCharWidth() * 150, metrics.height() * 42);
    }

    if (auto loaded = m_context->loadProfile(); !loaded)
        m_message->showMessage(MessageWidget::Type::Error,
                               tr("The profile cannot be used: %1").arg(loaded.error().message));
    else if (options.fullLogs && !m_context->fullLogs())
        m_message->showMessage(MessageWidget::Type::Warning, m_context->fullLogsUnavailableReason());
    setStep(WelcomeStep);
}

MainWindow::~MainWindow() = default;

int MainWindow::currentStep() const { return m_stack->currentIndex(); }

void MainWindow::setStep(int step)
{
    m_stack->setCurrentIndex(step);
    m_pages.at(step)->enter();
    updateHeader();
    updateButtons();
    if (step != WelcomeStep && m_next->isEnabled())
        m_next->setFocus();
}

bool MainWindow::isStepShown(int step) const { return step != ReproduceStep || m_context->fullLogs(); }

void MainWindow::goNext()
{
    const int step = currentStep();
    WizardPage *page = m_pages.at(step);
    if (!page->canGoNext())
        return;
    if (step == FinishStep) {
        close();
        return;
    }
    if (!page->leaveForward())
        return;
    m_message->clear();
    int next = step + 1;
    while (!isStepShown(next))
        ++next;
    setStep(next);
}

void MainWindow::goBack()
{
    const int step = currentStep();
    if (step == WelcomeStep || !m_pages.at(step)->canGoBack())
        return;
    m_message->clear();
    m_pages.at(step)->leaveBackward();
    int previous = step - 1;
    while (!isStepShown(previous))
        --previous;
    setStep(previous);
}

void MainWindow::updateButtons()
{
    WizardPage *page = m_pages.at(currentStep());
    const bool last = currentStep() == FinishStep;
    m_back->setEnabled(currentStep() > WelcomeStep && page->canGoBack());
    m_back->setVisible(!last);
    m_close->setVisible(last);
    m_next->setVisible(!last);
    m_next->setText(page->nextText());
    m_next->setEnabled(page->canGoNext());
    const QString hint = m_next->isEnabled() || last ? QString() : page->nextHint();
    m_nextHint->setText(hint);
    m_next->setToolTip(hint);
}

bool MainWindow::hasUnsavedWork() const { return m_reviewReady && !m_context->saved().has_value(); }

void MainWindow::confirmDiscard()
{
    if (findChild<QMessageBox *>(QStringLiteral("unsavedWorkMessageBox")))
        return; // already asking
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Diagnostics Collector"),
                                tr("The collection you reviewed is not saved yet."), QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("unsavedWorkMessageBox"));
    box->setInformativeText(tr("If you quit now, the collected files and your review decisions are deleted."));
    box->setWindowModality(Qt::WindowModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *discard = box->addButton(tr("&Discard and quit"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("discardButton"));
    QPushButton *keep = box->addButton(tr("&Keep working"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepWorkingButton"));
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    connect(box, &QMessageBox::buttonClicked, this, [this, discard](QAbstractButton *button) {
        if (button != discard)
            return;
        m_discardConfirmed = true;
        // After the box has gone: closing from inside its own signal would close it twice.
        QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
    });
    box->open();
}

void MainWindow::updateHeader()
{
    QStringList parts;
    int number = 0;
    int current = 0;
    for (int i = 0; i < m_pages.size(); ++i) {
        if (!isStepShown(i))
            continue;
        ++number;
        if (i == currentStep())
            current = number;
        const QString text = QStringLiteral("%1. %2").arg(number).arg(m_pages.at(i)->title().toHtmlEscaped());
        parts << (i == currentStep() ? QStringLiteral("<b>%1</b>").arg(text)
                                     : QStringLiteral("<span style=\"color: gray\">%1</span>").arg(text));
    }
    m_steps->setText(parts.join(QStringLiteral(" &nbsp;&rsaquo;&nbsp; ")));
    m_steps->setAccessibleName(
        tr("Step %1 of %2: %3").arg(current).arg(number).arg(m_pages.at(currentStep())->title()));
    m_title->setText(m_pages.at(currentStep())->title());
    setWindowTitle(tr("%1 - Diagnostics Collector").arg(m_pages.at(currentStep())->title()));
}

void MainWindow::showWhatIsCollected()
{
    if (!m_context->hasProfile())
        return;
    auto *dialog = new WhatCollectedDialog(m_context->profile(), m_context->fullLogs(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showAbout()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showHistory()
{
    auto *dialog = new HistoryDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (hasUnsavedWork() && !m_discardConfirmed) {
        event->ignore();
        confirmDiscard();
        return;
    }
    QSettings().setValue(QLatin1String(kGeometryKey), saveGeometry());
    // Whatever runs is cancelled; the context's destructor waits for it and removes staging.
    m_context->cancel();
    // Full logging ends with the window, not when the process exits.
    m_context->restoreFullLogging();
    event->accept();
}

} // namespace dc::gui
