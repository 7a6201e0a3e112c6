// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/probeplatform_p.h"

#include <QSysInfo>

namespace dc::core::probe {

QString hostName() { return QSysInfo::machineHostName(); }

// TODO(windows): WinHTTP and WinINet proxy settings (registry).
ProxyConfiguration proxyConfiguration() { return {}; }

QList<std::pair<QString, QString>> processAccount() { return {}; }

std::function<QString(const QFileInfo &)> fileOwnerNames()
{
    return [](const QFileInfo &info) { return info.owner(); };
}

} // namespace dc::core::probe
