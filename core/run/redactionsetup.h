// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/policy/policy.h"
#include "core/redact/redactionrules.h"

namespace dc::core {

// The redaction rules of a run or of `diagcollect redact`, in one place: the
// built-in rules for this machine, the user's extra terms and rules file, and
// the administrator's keywords and patterns on top. Under force_redaction a
// rules file may add but never disable a rule (ErrorCode::PolicyRefused, exit 3):
// otherwise "disable" listing every rule would turn redaction off while the
// run still says it is on. A bad rules file is ErrorCode::Usage; a bad policy
// pattern ErrorCode::Profile.
Result<RedactionRules>
redactionRulesFor(const Policy &policy, const QStringList &extraTerms = {}, const QString &rulesFile = {});

// Whether redaction can be turned off for a run (`--no-redact`): not under force_redaction.
Result<void> checkRedactionMayBeOff(const Policy &policy);

} // namespace dc::core
