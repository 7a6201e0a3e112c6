// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/fulllogs/fulllogging.h"

#include <memory>
#include <optional>

namespace dc::core {

// One full-log round of a run: the product's logging raised for this process
// until the collection ends (both faces: the wizard's Reproduce step and
// `collect --full-logs --reproduce`). One time cap for every face: the
// profile's max_minutes, which covers the wait and the collection after it;
// a crash leaves the next start (recoverFullLogging) to restore it.
class FullLogRound
{
public:
    FullLogRound() = default;
    ~FullLogRound();
    FullLogRound(const FullLogRound &) = delete;
    FullLogRound &operator=(const FullLogRound &) = delete;

    // Raises (or joins a raise by someone else, who then restores it). A
    // second call in the same round returns the first status.
    Result<FullLoggingStatus> raise(const Profile &profile);
    // Restores the level this round raised; nothing (an empty report) when it
    // raised nothing. On failure the state file stays: the next start tries again.
    Result<RestoreReport> release();

    bool ownsRaise() const { return m_fullLogging != nullptr; }
    const std::optional<FullLoggingStatus> &status() const { return m_status; }

    // The cap of a round, in minutes: the profile's max_minutes.
    static int capMinutes(const Profile &profile);

private:
    std::unique_ptr<FullLogging> m_fullLogging; // set while this round owns a raise
    std::optional<FullLoggingStatus> m_status;
};

} // namespace dc::core
