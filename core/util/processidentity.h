// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArray>

// Whether a process recorded earlier (the owner of a staging folder, of a raised
// log level) still runs. A pid alone is not enough: it is reused, so the owner is
// recorded with its start time and the boot it ran in.
namespace dc::core::processidentity {

// Tells a process from a later one reusing its pid: /proc's starttime on Linux,
// the creation time on Windows. Empty where unknown (macOS, a process gone).
QByteArray startTime(qint64 pid);

// Changes at every boot: a recorded owner from an earlier boot is gone. Linux
// only; empty elsewhere.
QByteArray currentBootId();

// Whether pid runs, and is the process that had startTime during boot bootId
// (each checked only when recorded, that is not empty).
bool isAlive(qint64 pid, const QByteArray &startTime, const QByteArray &bootId = {});

} // namespace dc::core::processidentity
