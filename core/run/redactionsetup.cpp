// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/run/redactionsetup.h"

#include "core/redact/machinecontext.h"

namespace dc::core {

Result<RedactionRules> redactionRulesFor(const Policy &policy, const QStringList &extraTerms, const QString &rulesFile)
{
    RedactionRules rules = RedactionRules::defaults(MachineContext::detect());
    for (const QString &term : extraTerms)
        rules.addKeyword(term);
    if (!rulesFile.isEmpty()) {
        if (auto loaded = rules.loadFile(rulesFile); !loaded)
            return fail(ErrorCode::Usage, loaded.error().message);
    }
    if (policy.forceRedaction) {
        QStringList disabled;
        for (const RuleInfo &rule : RedactionRules::builtinRules())
            if (!rules.isRuleEnabled(rule.id))
                disabled.append(rule.id);
        if (!disabled.isEmpty())
            return fail(ErrorCode::PolicyRefused,
                        QStringLiteral("%1 disables redaction rules (%2), but your administrator's policy (%3) "
                                       "requires redaction (force_redaction)")
                            .arg(rulesFile, disabled.join(QStringLiteral(", ")), policy.source));
    }
    if (auto added = addPolicyRedactionRules(policy, rules); !added)
        return tl::unexpected(added.error());
    return rules;
}

Result<void> checkRedactionMayBeOff(const Policy &policy)
{
    if (policy.forceRedaction)
        return fail(
            ErrorCode::PolicyRefused,
            QStringLiteral("--no-redact: your administrator's policy (%1) requires redaction").arg(policy.source));
    return {};
}

} // namespace dc::core
