// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/profile/profile.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

namespace dc::core {

class RedactionRules;
struct RunOptions;

// The administrator's policy (docs/POLICY.md): a system-wide file or the
// platform's managed settings. It wins over the user's settings and the
// profile. A policy that cannot be read or has mistakes is an error (the tool
// refuses to run), never ignored.

// What a front end may show as locked (greyed out, with lockReason()).
enum class PolicySetting {
    Redaction,      // redaction cannot be turned off (force_redaction)
    RedactionRules, // the administrator adds keywords/patterns (shown, cannot be removed)
    Upload,         // uploading is forbidden (upload.forbidden)
    UploadUrl,      // the upload address is fixed (upload.url)
    Sealing,        // archives are always sealed (require_sealing)
    Retention,      // retention_days is fixed
    Categories,     // some categories are disabled (disabled_categories)
    FullLogs,       // full-log mode is not allowed (allow_full_logs: false)
    RemoteRuns,     // remote runs are not allowed (allow_remote_runs: false)
};

struct PolicyPattern
{
    QString id;
    QString regex;
};

struct Policy
{
    QString source; // the file or registry key it was read from; empty: no policy
    bool present() const { return !source.isEmpty(); }

    bool forceRedaction = false;
    QStringList redactionKeywords; // added to every redaction (pass-through to the redactor)
    QList<PolicyPattern> redactionPatterns;
    bool uploadForbidden = false;
    QString uploadUrl; // fixed endpoint; empty: not fixed
    bool requireSealing = false;
    QByteArray sealPublicKey; // 32 raw bytes; empty: the profile's key
    std::optional<int> retentionDays;
    QList<Category> disabledCategories;
    bool allowRemoteRuns = true;
    bool allowFullLogs = true;
    // Ids of built-in analysis rules never evaluated (collect, the wizard, pack, analyze).
    QStringList disabledAnalysisRules;

    bool isLocked(PolicySetting setting) const;
    // "Set by your administrator's policy (/etc/diagcollect/policy.json)." or
    // empty when the setting is not locked.
    QString lockReason(PolicySetting setting) const;
    bool isCategoryDisabled(Category category) const { return disabledCategories.contains(category); }
    // The effective policy as JSON (`diagcollect policy --json`).
    QJsonObject toJson() const;
};

// The reason recorded in the manifest for items of a disabled category.
inline constexpr auto kDisabledByPolicyReason = "disabled by your administrator's policy";

// Parses a policy document; every problem is reported with its JSON path
// ("upload.url: expected an https:// URL"), one per line, as ErrorCode::Profile.
Result<Policy> parsePolicy(const QByteArray &json, const QString &source);

// Where the policy comes from, in order:
//   overridePath (--policy FILE) or $DIAGCOLLECT_POLICY: that file, which must exist;
//   Linux and other Unix: /etc/diagcollect/policy.json when it exists;
//   Windows: HKLM\Software\Policies\DiagnosticsCollector when it exists;
//   macOS: the managed preferences of the domain io.github.diagcollect.
// No policy anywhere gives the defaults (everything allowed). An override while
// a system policy exists needs administrator rights (else ErrorCode::Usage): a
// policy is not something a user can switch off.
Result<Policy> loadPolicy(const QString &overridePath = {});
QString systemPolicyPath(); // /etc/diagcollect/policy.json (Unix)

// Applies the policy to a run in one place: items of disabled categories are
// skipped (RunOptions::policySkips, recorded in the manifest with
// kDisabledByPolicyReason); the upload URL, sealing and retention of the profile
// are replaced by the policy's. Refuses (ErrorCode::PolicyRefused) full-log mode
// when allow_full_logs is false, and sealing without any public key.
Result<void> applyPolicy(const Policy &policy, Profile &profile, RunOptions &run);

// Adds the policy's keywords and patterns to redaction rules.
Result<void> addPolicyRedactionRules(const Policy &policy, RedactionRules &rules);

// A run counts as remote when asked (--remote) or when neither standard input
// nor standard error is a terminal (SSH without a TTY, a management agent, a
// scheduled task, Ansible). The desktop wizard is never remote.
bool isRemoteRun(bool remoteOption);

} // namespace dc::core
