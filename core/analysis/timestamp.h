// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <optional>

namespace dc::core::analysis {

// The time stamp a log line starts with, in milliseconds since the epoch (UTC),
// or nullopt. Understood, after an optional "[" and an optional weekday:
//   2026-12-07T02:03:38.123456+00:00  (journalctl -o short-iso-precise, dmesg --time-format iso,
//   2026-12-07 02:03:38,123            most product logs; "Z" or an offset, none = local time)
//   Dec  7 02:03:38                    (syslog; the year is the reference's, or the one
//                                       before when that would lie more than a day ahead)
// Linear in the few bytes it looks at; never allocates.
std::optional<qint64> leadingTimestampMs(QByteArrayView line, const QDateTime &reference);

} // namespace dc::core::analysis
