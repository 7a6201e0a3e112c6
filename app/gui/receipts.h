// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Consent receipts are written by the run object for both faces; the history
// dialog reads them with the same functions (core/run/receipts.h).
#include "core/run/receipts.h"

namespace dc::gui {

using core::listReceipts;
using core::loadReceipt;
using core::receiptsDir;
using core::saveReceipt;

} // namespace dc::gui
