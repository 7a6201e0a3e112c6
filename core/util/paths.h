// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QString>

namespace dc::core::paths {

// Where the tool keeps its own things, following each platform's conventions
// (XDG on Linux). Each function creates nothing; callers mkpath what they use.
//
// As root (Linux) the fixed system folders are used: /var/log/diagcollect,
// /var/cache/diagcollect/staging, /var/lib/diagcollect. An XDG_* override is
// honoured only when honoursOverride() accepts it (docs/SECURITY.md): a user's
// environment passed through `sudo -E` cannot steer where root writes.

// True when a folder named by the environment may be used: always for a normal
// user; as root only when every existing folder on its path is owned by root and
// not writable by others (sticky folders such as /tmp accepted), with no symlink.
bool honoursOverride(const QString &folder);

// The tool's log directory: $XDG_STATE_HOME/diagcollect/log on Linux.
QString logDir();
// Parent of the private staging directories: $XDG_CACHE_HOME/diagcollect/staging.
QString stagingRoot();
// Per-user data (consent receipts, pseudonym maps): $XDG_DATA_HOME/diagcollect.
QString dataDir();
// Default archive destination: the Desktop when it exists, else the home directory.
QString defaultOutputDir();
// This machine's short host name.
QString hostName();
// "linux", "windows" or "macos": the platform whose profile items apply here.
QString currentPlatform();
// True when running as root (Unix) or elevated (Windows).
bool isAdministrator();

} // namespace dc::core::paths
