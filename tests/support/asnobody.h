// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <sys/types.h>
#include <unistd.h>

namespace dc::test {

inline constexpr uid_t kNobody = 65534;

// CI runs as root, which reads everything: drops to an unprivileged effective user
// for its lifetime, so the "not administrator" paths of a collector (which runs in
// the calling thread) are exercised. Does nothing when not root.
class AsNobody
{
public:
    AsNobody()
    {
        if (::geteuid() == 0)
            m_switched = ::seteuid(kNobody) == 0;
    }
    ~AsNobody()
    {
        if (m_switched && ::seteuid(0) != 0)
            qFatal("cannot restore the effective user");
    }
    AsNobody(const AsNobody &) = delete;
    AsNobody &operator=(const AsNobody &) = delete;

private:
    bool m_switched = false;
};

} // namespace dc::test
#endif
