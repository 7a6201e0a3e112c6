// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QString>

namespace dc::core {

// The one byte formatter of the tool's English texts (CLI output, summary.html, error
// messages): 1024-based, one decimal, the C locale: "512 bytes", "1.0 KB", "3.4 MB".
// The wizard shows sizes in the user's locale (QLocale().formattedDataSize); probe
// reports keep the compact "1.5G" of the tools they imitate (probereport.h). Any thread.
QString byteSize(qint64 bytes);

} // namespace dc::core
