// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/welcomepage.h"

#include "app/gui/wizardcontext.h"

#include <QCheckBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QVBoxLayout>

namespace dc::gui {

using namespace dc::core;

namespace {

QString categoryReason(Category category)
{
    switch (category) {
    case Category::ServiceLogs:
        return WelcomePage::tr("what the product itself recorded while the problem happened");
    case Category::OsConfig:
        return WelcomePage::tr("network, installed applications, services, processes, drives, device and user "
                               "names, so support knows the environment the product runs in");
    case Category::SystemLogs:
        return WelcomePage::tr("the operating system's recent logs, which often show the cause of a failure");
    case Category::EventHistory:
        return WelcomePage::tr("a snapshot of recent system events, to line them up with the problem");
    case Category::CrashDumps:
        return WelcomePage::tr("reports of programs that crashed, so support can see where they failed");
    case Category::Tool:
        return WelcomePage::tr("this tool's own log, to tell a collection problem from a system problem");
    }
    return {};
}

} // namespace

WelcomePage::WelcomePage(WizardContext *context, QWidget *parent)
    : WizardPage(context, parent)
{
    setObjectName(QStringLiteral("welcomePage"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(content);

    auto *intro = new QLabel(
        tr("This assistant gathers what a support engineer needs to solve your case, and nothing more. You choose "
           "what is collected, review everything before it is packaged, and decide where it goes."),
        content);
    intro->setObjectName(QStringLiteral("introLabel"));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_recoveryBanner = new MessageWidget(content);
    m_recoveryBanner->setObjectName(QStringLiteral("recoveryBanner"));
    layout->addWidget(m_recoveryBanner);
    const GuiStartup &startup = context->startup();
    if (startup.recovered)
        m_recoveryBanner->showMessage(
            MessageWidget::Type::Information,
            tr("<b>Full logging was still on</b> from an earlier run that did not end normally (or ran past its "
               "time cap). It was turned off and the normal logging level restored.") +
                QStringLiteral("<br>") + tr("Details: %1").arg(startup.recoveryMessage.toHtmlEscaped()));
    else if (startup.recoveryFailed)
        m_recoveryBanner->showMessage(MessageWidget::Type::Warning,
                                      tr("Full logging left on by an earlier run could not be checked or "
                                         "restored: %1")
                                          .arg(startup.recoveryMessage.toHtmlEscaped()));

    m_modeBox = new QGroupBox(tr("What did support ask for?"), content);
    m_modeBox->setObjectName(QStringLiteral("modeGroupBox"));
    auto *modeLayout = new QVBoxLayout(m_modeBox);
    m_normalMode = new QRadioButton(tr("N&ormal collection"), m_modeBox);
    m_normalMode->setObjectName(QStringLiteral("normalModeRadioButton"));
    m_normalMode->setChecked(true);
    m_fullLogsMode = new QRadioButton(tr("Support asked me for full &logs"), m_modeBox);
    m_fullLogsMode->setObjectName(QStringLiteral("fullLogsRadioButton"));
    m_fullLogsLock = new QLabel(m_modeBox);
    m_fullLogsLock->setObjectName(QStringLiteral("fullLogsLockLabel"));
    m_fullLogsLock->setWordWrap(true);
    m_fullLogsLock->setForegroundRole(QPalette::PlaceholderText);
    m_fullLogsLock->setIndent(m_fullLogsMode->sizeHint().height());
    modeLayout->addWidget(m_normalMode);
    modeLayout->addWidget(m_fullLogsMode);
    modeLayout->addWidget(m_fullLogsLock);
    layout->addWidget(m_modeBox);

    m_fullLogsBanner = new MessageWidget(content);
    m_fullLogsBanner->setObjectName(QStringLiteral("fullLogsBanner"));
    m_fullLogsBanner->setClosable(false);
    layout->addWidget(m_fullLogsBanner);

    auto *what = new QGroupBox(tr("What is collected and why"), content);
    auto *whatLayout = new QVBoxLayout(what);
    m_categoriesLabel = new QLabel(what);
    m_categoriesLabel->setObjectName(QStringLiteral("categoriesLabel"));
    m_categoriesLabel->setWordWrap(true);
    m_categoriesLabel->setTextFormat(Qt::RichText);
    whatLayout->addWidget(m_categoriesLabel);
    layout->addWidget(what);

    auto *where = new QGroupBox(tr("Where your data goes"), content);
    auto *whereLayout = new QVBoxLayout(where);
    m_whereLabel = new QLabel(where);
    m_whereLabel->setObjectName(QStringLiteral("whereLabel"));
    m_whereLabel->setWordWrap(true);
    m_whereLabel->setTextFormat(Qt::RichText);
    whereLayout->addWidget(m_whereLabel);
    layout->addWidget(where);

    layout->addStretch(1);

    // Below the scrolled text, always in view: the case ID and the consent that enables Next.
    auto *bottom = new QWidget(this);
    bottom->setObjectName(QStringLiteral("consentArea"));
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(layout->contentsMargins().left(), 0, layout->contentsMargins().right(), 0);
    outer->addWidget(bottom);
    auto *form = new QFormLayout;
    m_caseId = new QLineEdit(bottom);
    m_caseId->setObjectName(QStringLiteral("caseIdLineEdit"));
    m_caseId->setAccessibleName(tr("Support case ID"));
    m_caseId->setPlaceholderText(tr("for example 12345"));
    m_caseId->setMaxLength(64);
    m_caseId->setMaximumWidth(m_caseId->fontMetrics().averageCharWidth() * 40);
    m_caseId->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")), this));
    auto *caseLabel = new QLabel(tr("Support &case ID (optional):"), bottom);
    caseLabel->setBuddy(m_caseId);
    form->addRow(caseLabel, m_caseId);
    m_caseHint =
        new QLabel(tr("Letters, digits, '.', '_' and '-'. It names the archive and goes with an upload."), bottom);
    m_caseHint->setWordWrap(true);
    m_caseHint->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), m_caseHint);
    bottomLayout->addLayout(form);

    m_consent = new QCheckBox(tr("I have &read this and want to continue."), bottom);
    m_consent->setObjectName(QStringLiteral("consentCheckBox"));
    m_consent->setAccessibleName(tr("Consent to collect diagnostics"));
    bottomLayout->addWidget(m_consent);

    connect(m_fullLogsMode, &QRadioButton::toggled, this, [this](bool on) { this->context()->setFullLogs(on); });
    connect(context, &WizardContext::fullLogsChanged, this, [this](bool on) {
        if (m_fullLogsMode->isChecked() != on)
            (on ? m_fullLogsMode : m_normalMode)->setChecked(true);
        refresh();
    });
    connect(m_consent, &QCheckBox::toggled, this, &WizardPage::completeChanged);
    connect(m_caseId, &QLineEdit::textChanged, this, &WizardPage::completeChanged);
    connect(m_caseId, &QLineEdit::returnPressed, this, [this] {
        if (canGoNext())
            emit advance();
    });
}

void WelcomePage::enter()
{
    if (m_caseId->text().isEmpty() && !context()->caseId.isEmpty())
        m_caseId->setText(context()->caseId);
    (context()->fullLogs() ? m_fullLogsMode : m_normalMode)->setChecked(true);
    refresh();
}

void WelcomePage::refresh()
{
    const bool available = context()->fullLogsAvailable();
    m_fullLogsMode->setEnabled(available);
    m_fullLogsLock->setText(context()->fullLogsUnavailableReason());
    m_fullLogsLock->setVisible(!m_fullLogsLock->text().isEmpty());
    m_fullLogsMode->setToolTip(m_fullLogsLock->text());
    if (!context()->hasProfile())
        return;
    const QList<ItemSpec> items = context()->applicableItems();
    QString html = QStringLiteral("<ul style=\"margin-left: 0px; -qt-list-indent: 1;\">");
    for (Category category : kAllCategories) {
        const int count = int(std::count_if(items.cbegin(), items.cend(),
                                            [category](const ItemSpec &item) { return item.category == category; }));
        if (count == 0)
            continue;
        if (context()->policy().isCategoryDisabled(category))
            html += QStringLiteral("<li><s>%1</s> (%2): %3</li>")
                        .arg(categoryTitle(category).toHtmlEscaped(),
                             tr("disabled by your administrator's policy").toHtmlEscaped(),
                             categoryReason(category).toHtmlEscaped());
        else
            html += QStringLiteral("<li><b>%1</b> (%2): %3</li>")
                        .arg(categoryTitle(category).toHtmlEscaped(), tr("%n item(s)", nullptr, count),
                             categoryReason(category).toHtmlEscaped());
    }
    html += QStringLiteral("</ul>");
    m_categoriesLabel->setText(html);

    const int days = context()->profile().retentionDays;
    QStringList where{
        tr("Everything is first copied into a private folder on this computer that only you can read."),
        tr("Personal data (e-mail and IP addresses, user and host names, passwords and keys) is replaced by "
           "pseudonyms. You can review and change every decision before anything is packaged."),
        tr("The archive is saved on this computer, on your Desktop unless you choose another folder. "
           "<b>Nothing is sent to anyone without your confirmation on the last page.</b>"),
        tr("Support uses the data only for your case and deletes it when the case is closed."),
        tr("Archives and pseudonym maps left on this computer are deleted after %n day(s).", nullptr, days),
    };
    if (const QString reason = context()->lockReason(PolicySetting::Retention); !reason.isEmpty())
        where.last() += QLatin1Char(' ') + reason.toHtmlEscaped();
    html = QStringLiteral("<ul style=\"margin-left: 0px; -qt-list-indent: 1;\">");
    for (const QString &line : std::as_const(where))
        html += QStringLiteral("<li>%1</li>").arg(line);
    m_whereLabel->setText(html + QStringLiteral("</ul>"));

    if (context()->fullLogs())
        m_fullLogsBanner->showMessage(MessageWidget::Type::Warning, fullLogsText());
    else
        m_fullLogsBanner->clear();
}

QString WelcomePage::fullLogsText() const
{
    const Profile &profile = context()->profile();
    const QList<ItemSpec> items = context()->applicableItems();
    const int extra =
        int(std::count_if(items.cbegin(), items.cend(), [](const ItemSpec &item) { return item.fullLogsOnly; }));
    const bool logs = std::any_of(items.cbegin(), items.cend(), [](const ItemSpec &item) {
        return item.productData && item.category != Category::CrashDumps;
    });
    const bool dumps = std::any_of(items.cbegin(), items.cend(), [](const ItemSpec &item) {
        return item.productData && item.category == Category::CrashDumps;
    });
    QStringList more;
    if (extra > 0)
        more << tr("%n item(s) that are collected only in this mode", nullptr, extra);
    if (logs)
        more << tr("the product's complete logs: older, rotated and compressed files too, without the size limit "
                   "per file");
    if (dumps)
        more << tr("the product's crash dumps themselves, whole: binary files that cannot be redacted as text, so "
                   "every value chosen for redaction is masked in them; you can still leave them out in the review");
    const FullLoggingSpec &spec = profile.fullLogging;
    const QString what =
        spec.method == FullLoggingSpec::Method::Config
            ? tr("%1 in %2").arg(spec.configKey, QDir::toNativeSeparators(expandVariables(spec.configFile, profile)))
            : profile.productName;
    QString html = tr("<b>Full-log mode collects more data than a normal collection</b>, so the archive is larger "
                      "and may hold more personal data:");
    html += QStringLiteral("<ul style=\"margin-left: 0px; -qt-list-indent: 1;\">");
    for (const QString &line : std::as_const(more))
        html += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    html += QStringLiteral("</ul>");
    html += tr("Before collecting, the product's logging is raised to full (%1) and you reproduce the problem. The "
               "previous level is recorded first and restored right after the collection, also if you cancel or "
               "close the window.")
                .arg(what.toHtmlEscaped());
    html += QLatin1Char(' ') + tr("Full logging lasts %n minute(s) at most.", nullptr, spec.maxMinutes);
    return html;
}

bool WelcomePage::canGoNext() const
{
    return m_consent->isChecked() && context()->hasProfile() &&
           (m_caseId->text().isEmpty() || m_caseId->hasAcceptableInput());
}

QString WelcomePage::nextHint() const
{
    if (!context()->hasProfile())
        return tr("The profile cannot be used (see the message above).");
    if (!m_consent->isChecked())
        return tr("Tick \"I have read this\" to continue.");
    if (!m_caseId->text().isEmpty() && !m_caseId->hasAcceptableInput())
        return tr("The case ID may hold only letters, digits, '.', '_' and '-'.");
    return {};
}

bool WelcomePage::leaveForward()
{
    context()->caseId = m_caseId->text().trimmed();
    return true;
}

} // namespace dc::gui
