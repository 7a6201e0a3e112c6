// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QFileInfo>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <utility>

// The platform facts the portable probes include, from collectors/linux, win
// and mac (platformfacts.cpp in each).
namespace dc::core::probe {

QString hostName();

// Configuration files whose lines mentioning a proxy the proxy probe shows, and
// what to say when none does. No files: the platform has no such section.
struct ProxyConfiguration
{
    QStringList files;
    QString noneFound;
};
ProxyConfiguration proxyConfiguration();

// "key: value" facts about the account this process runs as (tool-info).
QList<std::pair<QString, QString>> processAccount();

// The owner of a file as the listing probe shows it.
std::function<QString(const QFileInfo &)> fileOwnerNames();

} // namespace dc::core::probe
