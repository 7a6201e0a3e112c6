// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/redact/redactionrules.h"

namespace dc::gui {

// A built-in redaction rule's description in the UI language (the rules keep
// one English sentence; the catalogue is in ruletexts.cpp). Other rules'
// descriptions are returned as they are.
QString ruleDescription(const core::RuleInfo &rule);

} // namespace dc::gui
