// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace dc::gui {

// An inline message bar (like KMessageWidget): errors, warnings and notes are
// shown in the page, never in a modal box. Hidden until a message is set.
class MessageWidget : public QFrame
{
    Q_OBJECT

public:
    enum class Type { Information, Positive, Warning, Error };
    explicit MessageWidget(QWidget *parent = nullptr);

    void showMessage(Type type, const QString &text);
    void clear();
    QString text() const;
    Type type() const { return m_type; }
    // Whether the user can dismiss it (default yes).
    void setClosable(bool closable);

private:
    QLabel *m_icon;
    QLabel *m_label;
    QToolButton *m_close;
    Type m_type = Type::Information;
};

} // namespace dc::gui
