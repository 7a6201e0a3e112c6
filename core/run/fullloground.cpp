// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/run/fullloground.h"

#include "core/log/logging.h"

namespace dc::core {

FullLogRound::~FullLogRound()
{
    if (auto released = release(); !released)
        log::get("core")->warn("full logging not restored: {}", released.error().message);
}

int FullLogRound::capMinutes(const Profile &profile) { return profile.fullLogging.maxMinutes; }

Result<FullLoggingStatus> FullLogRound::raise(const Profile &profile)
{
    if (m_status)
        return *m_status;
    auto fullLogging = std::make_unique<FullLogging>();
    auto raised = fullLogging->raise(profile, capMinutes(profile), FullLogging::Owner::ThisProcess);
    if (!raised) {
        log::get("core")->warn("full logging not raised: {}", raised.error().message);
        return tl::unexpected(raised.error());
    }
    // Joined: someone else turned it on (`full-logging on`); they turn it off.
    if (!raised->joined)
        m_fullLogging = std::move(fullLogging);
    m_status = *raised;
    log::get("core")->info("full logging raised for {} ({}), until {}", raised->record.product, raised->record.target(),
                           raised->record.expires.toString(Qt::ISODate));
    return *raised;
}

Result<RestoreReport> FullLogRound::release()
{
    m_status.reset();
    if (!m_fullLogging)
        return RestoreReport{};
    auto released = m_fullLogging->releaseOwn();
    m_fullLogging.reset();
    return released;
}

} // namespace dc::core
