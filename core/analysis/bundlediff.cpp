// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/analysis/bundlediff.h"

#include "core/util/safefs.h"

#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <nlohmann/json.hpp>

namespace dc::core::analysis {

namespace {

using ordered_json = nlohmann::ordered_json;
constexpr qint64 kMaxListBytes = 64 * 1024 * 1024;

QByteArray readStaged(const QString &folder, const QString &path)
{
    if (!safefs::isNormalizedRelative(path))
        return {};
    auto opened = safefs::openRegular(folder + QLatin1Char('/') + path);
    if (!opened)
        return {};
    auto bytes = safefs::readAll(opened->fd.get(), kMaxListBytes, path);
    return bytes ? *bytes : QByteArray();
}

// name -> value from the lines of the given items' files.
QMap<QString, QString> table(const BundleView &bundle,
                             const QStringList &itemIds,
                             const QRegularExpression &line,
                             const std::function<QString(const QRegularExpressionMatch &)> &value)
{
    QMap<QString, QString> out;
    for (const ItemResult &item : bundle.manifest.items) {
        if (!itemIds.contains(item.id))
            continue;
        for (const FileEntry &file : item.files) {
            const QString text = QString::fromUtf8(readStaged(bundle.folder, file.path));
            for (const QStringView row : QStringView(text).split(QLatin1Char('\n'))) {
                const auto match = line.match(row);
                if (match.hasMatch())
                    out.insert(match.captured(QStringLiteral("name")), value(match));
            }
        }
    }
    return out;
}

QList<ValueChange> compare(const QMap<QString, QString> &before, const QMap<QString, QString> &after)
{
    QList<ValueChange> changes;
    QSet<QString> names(before.keyBegin(), before.keyEnd());
    for (auto it = after.keyBegin(); it != after.keyEnd(); ++it)
        names.insert(*it);
    QStringList sorted(names.begin(), names.end());
    sorted.sort();
    for (const QString &name : std::as_const(sorted)) {
        const QString a = before.value(name);
        const QString b = after.value(name);
        if (a != b)
            changes.append(ValueChange{name, a, b});
    }
    return changes;
}

QMap<QString, QString> packages(const BundleView &bundle)
{
    // dpkg-query --list: "ii  name:arch  version  arch  description"; rpm: "name\tversion-release\tarch".
    static const QRegularExpression dpkg(QStringLiteral("^[a-z][a-z][a-zA-Z]?\\s+(?<name>\\S+)\\s+(?<version>\\S+)"));
    static const QRegularExpression rpm(QStringLiteral("^(?<name>[^\\s]+)\\t(?<version>[^\\t]+)\\t"));
    const auto version = [](const QRegularExpressionMatch &m) -> QString {
        return m.captured(QStringLiteral("version"));
    };
    QMap<QString, QString> out = table(bundle, {QStringLiteral("dpkg-packages")}, dpkg, version);
    out.insert(table(bundle, {QStringLiteral("rpm-packages")}, rpm, version));
    return out;
}

QMap<QString, QString> units(const BundleView &bundle)
{
    // systemctl list-units --plain --no-legend: "unit load active sub description".
    static const QRegularExpression line(
        QStringLiteral("^\\s*(?:●\\s*)?(?<name>\\S+\\.[a-z]+)\\s+(?<load>\\S+)\\s+(?<active>\\S+)\\s+(?<sub>\\S+)"));
    return table(bundle, {QStringLiteral("systemd-units")}, line, [](const QRegularExpressionMatch &m) -> QString {
        // An explicit QString: a deduced return type would be a QStringBuilder of temporaries.
        return m.captured(QStringLiteral("active")) + QLatin1Char('/') + m.captured(QStringLiteral("sub"));
    });
}

QSet<QString> contentOf(const ItemResult &item)
{
    QSet<QString> files;
    for (const FileEntry &file : item.files)
        files.insert(file.path + QLatin1Char(' ') + QString::fromLatin1(file.sha256));
    return files;
}

ordered_json changesJson(const QList<ValueChange> &changes)
{
    ordered_json list = ordered_json::array();
    for (const ValueChange &change : changes) {
        ordered_json node{{"name", change.name.toStdString()}};
        node["before"] = change.before.isEmpty() ? ordered_json() : ordered_json(change.before.toStdString());
        node["after"] = change.after.isEmpty() ? ordered_json() : ordered_json(change.after.toStdString());
        list.push_back(node);
    }
    return list;
}

ordered_json findingsJson(const QList<Finding> &findings)
{
    ordered_json list = ordered_json::array();
    for (const Finding &finding : findings)
        list.push_back({{"key", finding.key().toStdString()},
                        {"severity", severityKey(finding.severity).toStdString()},
                        {"title", finding.title.toStdString()}});
    return list;
}

ordered_json stringsJson(const QStringList &strings)
{
    ordered_json list = ordered_json::array();
    for (const QString &text : strings)
        list.push_back(text.toStdString());
    return list;
}

} // namespace

BundleDiff diffBundles(const BundleView &a, const BundleView &b)
{
    BundleDiff diff;
    QMap<QString, const ItemResult *> before;
    QMap<QString, const ItemResult *> after;
    for (const ItemResult &item : a.manifest.items)
        before.insert(item.id, &item);
    for (const ItemResult &item : b.manifest.items)
        after.insert(item.id, &item);
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        const ItemResult *old = before.value(it.key());
        if (!old) {
            diff.itemsAdded.append(it.key());
            continue;
        }
        const ItemResult *now = it.value();
        const bool contentChanged = contentOf(*old) != contentOf(*now);
        if (old->status != now->status || contentChanged)
            diff.itemsChanged.append(
                ItemChange{it.key(), statusKey(old->status), statusKey(now->status), contentChanged});
    }
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        if (!after.contains(it.key()))
            diff.itemsRemoved.append(it.key());
    diff.packages = compare(packages(a), packages(b));
    diff.units = compare(units(a), units(b));

    QSet<QString> keysBefore;
    QSet<QString> keysAfter;
    for (const Finding &finding : a.findings.findings)
        keysBefore.insert(finding.key());
    for (const Finding &finding : b.findings.findings)
        keysAfter.insert(finding.key());
    for (const Finding &finding : b.findings.findings)
        if (!keysBefore.contains(finding.key()))
            diff.findingsAppeared.append(finding);
    for (const Finding &finding : a.findings.findings)
        if (!keysAfter.contains(finding.key()))
            diff.findingsCleared.append(finding);
    return diff;
}

QByteArray BundleDiff::toJson() const
{
    ordered_json root;
    ordered_json changed = ordered_json::array();
    for (const ItemChange &change : itemsChanged)
        changed.push_back({{"id", change.id.toStdString()},
                           {"status_before", change.statusBefore.toStdString()},
                           {"status_after", change.statusAfter.toStdString()},
                           {"content_changed", change.contentChanged}});
    root["items"] = {{"added", stringsJson(itemsAdded)}, {"removed", stringsJson(itemsRemoved)}, {"changed", changed}};
    root["packages"] = changesJson(packages);
    root["units"] = changesJson(units);
    root["findings"] = {{"appeared", findingsJson(findingsAppeared)}, {"cleared", findingsJson(findingsCleared)}};
    return QByteArray::fromStdString(root.dump());
}

} // namespace dc::core::analysis
