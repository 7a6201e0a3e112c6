// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/messagewidget.h"

#include <QAccessible>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace dc::gui {

MessageWidget::MessageWidget(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_label(new QLabel(this))
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageWidget"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    m_label->setObjectName(QStringLiteral("messageLabel"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    layout->addWidget(m_label, 1);
    m_close->setObjectName(QStringLiteral("messageCloseButton"));
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageWidget::clear);
    hide();
}

void MessageWidget::showMessage(Type type, const QString &text)
{
    m_type = type;
    QColor background;
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    switch (type) {
    case Type::Information:
        background = QColor(0xdd, 0xe9, 0xf7);
        break;
    case Type::Positive:
        background = QColor(0xdc, 0xf1, 0xdc);
        icon = QStyle::SP_DialogApplyButton;
        break;
    case Type::Warning:
        background = QColor(0xfb, 0xec, 0xc8);
        icon = QStyle::SP_MessageBoxWarning;
        break;
    case Type::Error:
        background = QColor(0xf8, 0xd7, 0xd7);
        icon = QStyle::SP_MessageBoxCritical;
        break;
    }
    setStyleSheet(QStringLiteral("dc--gui--MessageWidget { background: %1; border: 1px solid %2; border-radius: 4px; }"
                                 " QLabel { color: #202020; }")
                      .arg(background.name(), background.darker(130).name()));
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    m_label->setText(text);
    setAccessibleName(text);
    show();
    QAccessibleEvent event(this, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
}

void MessageWidget::clear()
{
    m_label->clear();
    hide();
}

QString MessageWidget::text() const { return m_label->text(); }

void MessageWidget::setClosable(bool closable) { m_close->setVisible(closable); }

} // namespace dc::gui
