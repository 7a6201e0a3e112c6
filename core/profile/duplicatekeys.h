// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Moved to core/util (the JSON checker of every format uses it); this forwarding
// include keeps older includes working.
#include "core/util/duplicatekeys.h"
