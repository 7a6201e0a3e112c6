// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactionreport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dc::core {

void RedactionReport::add(const QString &file, const RedactOutcome &outcome)
{
    if (!outcome.written) {
        addExcluded(file, outcome.kind, QStringLiteral("excluded"));
        return;
    }
    qint64 redacted = 0;
    for (auto it = outcome.redactedPerRule.cbegin(); it != outcome.redactedPerRule.cend(); ++it) {
        m_perRule[it.key()] += it.value();
        redacted += it.value();
    }
    m_kept += outcome.kept;
    m_secondPass += outcome.secondPass;
    m_files.append(FileLine{file, outcome.kind, redacted, outcome.kept, outcome.secondPass, outcome.verbatim});
}

void RedactionReport::addExcluded(const QString &file, ContentKind kind, const QString &reason)
{
    m_excluded.append(Excluded{file, kind, reason});
}

qint64 RedactionReport::redactedTotal() const
{
    qint64 total = 0;
    for (qint64 n : m_perRule)
        total += n;
    return total;
}

QByteArray RedactionReport::toJson() const
{
    QJsonObject rules;
    for (auto it = m_perRule.cbegin(); it != m_perRule.cend(); ++it)
        rules.insert(it.key(), it.value());
    QJsonArray files;
    for (const FileLine &f : m_files) {
        QJsonObject o;
        o.insert(QLatin1String("path"), f.path);
        o.insert(QLatin1String("kind"), contentKindKey(f.kind));
        o.insert(QLatin1String("redacted"), f.redacted);
        o.insert(QLatin1String("kept"), f.kept);
        if (f.secondPass > 0)
            o.insert(QLatin1String("secondPass"), f.secondPass);
        o.insert(QLatin1String("verbatim"), f.verbatim);
        files.append(o);
    }
    QJsonArray excluded;
    for (const Excluded &e : m_excluded) {
        QJsonObject o;
        o.insert(QLatin1String("path"), e.path);
        o.insert(QLatin1String("kind"), contentKindKey(e.kind));
        o.insert(QLatin1String("reason"), e.reason);
        excluded.append(o);
    }
    QJsonObject root;
    root.insert(QLatin1String("formatVersion"), 1);
    root.insert(QLatin1String("rules"), rules);
    root.insert(QLatin1String("totalRedacted"), redactedTotal());
    root.insert(QLatin1String("keptByDecision"), m_kept);
    root.insert(QLatin1String("secondPass"), m_secondPass);
    root.insert(QLatin1String("files"), files);
    root.insert(QLatin1String("excluded"), excluded);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace dc::core
