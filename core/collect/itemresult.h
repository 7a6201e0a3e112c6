// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// ItemResult, FileEntry and Status describe the bundle: they live in core/bundle. This
// forwarding include keeps older includes working.
#include "core/bundle/itemresult.h"
