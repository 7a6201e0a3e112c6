// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/aboutdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <archive.h>
#include <nlohmann/json.hpp>
#include <spdlog/version.h>
#include <zstd.h>

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
    const QString jsonVersion = QStringLiteral("%1.%2.%3")
                                    .arg(NLOHMANN_JSON_VERSION_MAJOR)
                                    .arg(NLOHMANN_JSON_VERSION_MINOR)
                                    .arg(NLOHMANN_JSON_VERSION_PATCH);
    const QString spdlogVersion =
        QStringLiteral("%1.%2.%3").arg(SPDLOG_VER_MAJOR).arg(SPDLOG_VER_MINOR).arg(SPDLOG_VER_PATCH);
    const QList<QStringList> rows = {
        {QStringLiteral("Qt"), QString::fromLatin1(qVersion()), QStringLiteral("LGPL-3.0-only")},
        {QStringLiteral("libarchive"), QString::fromLatin1(archive_version_string()).section(QLatin1Char(' '), 1, 1),
         QStringLiteral("BSD-2-Clause")},
        {QStringLiteral("zstd"), QString::fromLatin1(ZSTD_versionString()), QStringLiteral("BSD-3-Clause")},
        {QStringLiteral("spdlog"), spdlogVersion, QStringLiteral("MIT")},
        {QStringLiteral("{fmt}"), QString(), QStringLiteral("MIT")},
        {QStringLiteral("nlohmann/json"), jsonVersion, QStringLiteral("MIT")},
        {QStringLiteral("tl::expected"), QString(), QStringLiteral("CC0-1.0")},
        {QStringLiteral("libsodium"), QString(), QStringLiteral("ISC")},
        {QStringLiteral("Nettle"), QString(), QStringLiteral("LGPL-3.0-or-later")},
    };
    for (const QStringList &row : rows)
        new QTreeWidgetItem(table, row);
    for (int column = 0; column < 3; ++column)
        table->resizeColumnToContents(column);
    layout->addWidget(table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 80, fontMetrics().height() * 28);
}

} // namespace dc::gui
