// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/redact/redactfile.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace dc::core {

// The redaction report packaged in the archive (redaction.json): counts per
// rule and per file, never an original value or a token. Not thread-safe;
// add outcomes from the owner thread.
class RedactionReport
{
public:
    void add(const QString &file, const RedactOutcome &outcome);
    void addExcluded(const QString &file, ContentKind kind, const QString &reason);

    qint64 redactedTotal() const;
    const QMap<QString, qint64> &perRule() const { return m_perRule; }

    // {"formatVersion": 1, "rules": {"email": 3, ...}, "totalRedacted": N,
    //  "keptByDecision": N, "secondPass": N, "files": [{"path", "kind",
    //  "redacted", "kept", "secondPass" (when > 0), "verbatim"}],
    //  "excluded": [{"path", "kind", "reason"}]}
    // secondPass counts chosen values found again in the redacted output and
    // replaced there (RedactOutcome::secondPass); they are in "rules" too.
    QByteArray toJson() const;

private:
    struct FileLine
    {
        QString path;
        ContentKind kind;
        qint64 redacted;
        qint64 kept;
        qint64 secondPass;
        bool verbatim;
    };
    struct Excluded
    {
        QString path;
        ContentKind kind;
        QString reason;
    };
    QMap<QString, qint64> m_perRule;
    qint64 m_kept = 0;
    qint64 m_secondPass = 0;
    QList<FileLine> m_files;
    QList<Excluded> m_excluded;
};

} // namespace dc::core
