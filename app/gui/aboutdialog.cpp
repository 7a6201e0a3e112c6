// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/aboutdialog.h"

#include "core/util/libraryversions.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dc::gui {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Diagnostics Collector"));
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("<h2>Diagnostics Collector %1</h2>"
                                  "<p>Gathers what support needs to solve a case, and nothing more: you review and "
                                  "redact everything before it is packaged, and nothing is sent without your "
                                  "confirmation.</p><p>Licensed under the GNU General Public License, version 3 or "
                                  "later.</p>")
                                   .arg(QStringLiteral(DIAGCOLLECT_VERSION)),
                               this);
    heading->setObjectName(QStringLiteral("aboutLabel"));
    heading->setWordWrap(true);
    layout->addWidget(heading);
    layout->addWidget(new QLabel(tr("It is built with these libraries:"), this));
    auto *table = new QTreeWidget(this);
    table->setObjectName(QStringLiteral("licencesTreeWidget"));
    table->setAccessibleName(tr("Libraries and licences"));
    table->setRootIsDecorated(false);
    table->setHeaderLabels({tr("Library"), tr("Version"), tr("Licence")});
    for (const core::LibraryVersion &library : core::libraryVersions())
        new QTreeWidgetItem(table, {library.name, library.version, library.licence});
    for (int column = 0; column < 3; ++column)
        table->resizeColumnToContents(column);
    layout->addWidget(table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 80, fontMetrics().height() * 28);
}

} // namespace dc::gui
