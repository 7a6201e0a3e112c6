// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/collectors/probes.h"

#include <QByteArray>
#include <QString>

// What every probe needs besides its facts: how to say it has nothing, and how
// to read the small files (/proc, /sys, /etc) most facts come from.
namespace dc::core::probe {

const QString &notOnThisPlatform();
ProbeOutput skipped(const QString &reason);

// Reads at most maxBytes of a (possibly /proc or /sys) file. /proc files report
// size 0, so read until end of file rather than trusting size(). Empty on error.
QByteArray readSmallFile(const QString &path, qint64 maxBytes = 1024 * 1024);
QString readTrimmed(const QString &path);

} // namespace dc::core::probe
