// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// The receipts are core's (core/run/receipts.cpp); this face only reads them.
#include "app/gui/receipts.h"
