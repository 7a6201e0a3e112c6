// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/bundle/manifest.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace dc::core {

using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

namespace {

std::string str(const QString &text) { return text.toStdString(); }

QString qstr(const json &node, const char *key)
{
    const auto it = node.find(key);
    return it != node.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

std::string isoTime(const QDateTime &time)
{
    return time.isValid() ? str(time.toUTC().toString(Qt::ISODateWithMs)) : std::string();
}

QDateTime parseTime(const json &node, const char *key)
{
    return QDateTime::fromString(qstr(node, key), Qt::ISODateWithMs);
}

ordered_json fileToJson(const FileEntry &file, bool staged)
{
    ordered_json node;
    if (staged)
        node["path"] = str(file.path);
    node["source"] = str(file.source);
    if (!file.sourceBytes.isEmpty()) // a name that is not UTF-8: its exact bytes
        node["source_bytes_hex"] = file.sourceBytes.toHex().toStdString();
    if (staged) {
        node["bytes"] = file.bytes;
        node["sha256"] = file.sha256.toStdString();
        node["redactable"] = file.redactable;
    }
    node["status"] = str(statusKey(file.status));
    if (!file.reason.isEmpty())
        node["reason"] = str(file.reason);
    return node;
}

FileEntry fileFromJson(const json &node)
{
    FileEntry file;
    file.path = qstr(node, "path");
    file.source = qstr(node, "source");
    file.sourceBytes = QByteArray::fromHex(qstr(node, "source_bytes_hex").toLatin1());
    file.bytes = node.value("bytes", qint64(0));
    file.sha256 = qstr(node, "sha256").toLatin1();
    file.status = statusFromKey(qstr(node, "status")).value_or(Status::Failed);
    file.reason = qstr(node, "reason");
    file.redactable = node.value("redactable", true);
    return file;
}

std::optional<Category> categoryFromKey(const QString &key)
{
    for (Category category : kAllCategories)
        if (categoryKey(category) == key)
            return category;
    return std::nullopt;
}

} // namespace

Manifest::Totals Manifest::totals() const
{
    Totals totals;
    for (const ItemResult &item : items) {
        switch (item.status) {
        case Status::Collected:
            ++totals.collected;
            break;
        case Status::Truncated:
            ++totals.truncated;
            break;
        case Status::Skipped:
            ++totals.skipped;
            break;
        case Status::Failed:
            ++totals.failed;
            break;
        }
        totals.bytes += item.bytes();
    }
    return totals;
}

qint64 Manifest::bytesIn(Category category) const
{
    qint64 total = 0;
    for (const ItemResult &item : items)
        if (item.category == category)
            total += item.bytes();
    return total;
}

QList<FileEntry> Manifest::allFiles() const
{
    QList<FileEntry> files = extraFiles;
    for (const ItemResult &item : items)
        files.append(item.files);
    std::sort(files.begin(), files.end(), [](const FileEntry &a, const FileEntry &b) { return a.path < b.path; });
    return files;
}

QByteArray Manifest::toJson() const
{
    ordered_json root;
    root["format"] = "diagcollect-manifest";
    root["format_version"] = kFormatVersion;
    root["tool"] = {{"name", "diagcollect"}, {"version", str(toolVersion)}};
    root["profile"] = {
        {"name", str(profileName)}, {"source", str(profileSource)}, {"sha256", profileSha256.toStdString()}};
    root["host"] = str(host);
    root["platform"] = str(platform);
    root["case_id"] = str(caseId);
    root["full_logs"] = fullLogs;
    root["administrator"] = administrator;
    root["started"] = isoTime(started);
    root["finished"] = isoTime(finished);

    const Totals sums = totals();
    root["totals"] = {{"items", items.size()},   {"collected", sums.collected}, {"truncated", sums.truncated},
                      {"skipped", sums.skipped}, {"failed", sums.failed},       {"bytes", sums.bytes}};
    ordered_json categories = ordered_json::object();
    for (Category category : kAllCategories)
        categories[str(categoryKey(category))] = bytesIn(category);
    root["bytes_per_category"] = categories;

    ordered_json itemNodes = ordered_json::array();
    for (const ItemResult &item : items) {
        ordered_json node;
        node["id"] = str(item.id);
        node["title"] = str(item.title);
        node["kind"] = str(itemKindKey(item.kind));
        node["category"] = str(categoryKey(item.category));
        node["purpose"] = str(item.purpose);
        node["essential"] = item.essential;
        ordered_json source = ordered_json::array();
        for (const QString &part : item.source)
            source.push_back(str(part));
        node["source"] = source;
        node["status"] = str(statusKey(item.status));
        if (!item.reason.isEmpty())
            node["reason"] = str(item.reason);
        node["started"] = isoTime(item.started);
        node["finished"] = isoTime(item.finished);
        node["bytes"] = item.bytes();
        ordered_json files = ordered_json::array();
        for (const FileEntry &file : item.files)
            files.push_back(fileToJson(file, true));
        node["files"] = files;
        if (!item.skippedFiles.isEmpty()) {
            ordered_json skipped = ordered_json::array();
            for (const FileEntry &file : item.skippedFiles)
                skipped.push_back(fileToJson(file, false));
            node["not_collected"] = skipped;
        }
        itemNodes.push_back(node);
    }
    root["items"] = itemNodes;
    ordered_json extras = ordered_json::array();
    for (const FileEntry &file : extraFiles)
        extras.push_back(fileToJson(file, true));
    root["extra_files"] = extras;
    return QByteArray::fromStdString(root.dump(2)) + '\n';
}

Result<Manifest> Manifest::fromJson(const QByteArray &bytes)
{
    json root;
    try {
        root = json::parse(bytes.constData(), bytes.constData() + bytes.size());
    } catch (const json::exception &e) {
        return fail(ErrorCode::Verification,
                    QStringLiteral("manifest.json is not valid JSON: %1").arg(QString::fromUtf8(e.what())));
    }
    if (!root.is_object() || root.value("format", std::string()) != "diagcollect-manifest")
        return fail(ErrorCode::Verification, QStringLiteral("manifest.json is not a diagcollect manifest"));
    if (root.value("format_version", 0) != kFormatVersion)
        return fail(ErrorCode::Verification, QStringLiteral("manifest.json has an unsupported format version"));

    try {
        Manifest manifest;
        manifest.toolVersion = root.contains("tool") ? qstr(root["tool"], "version") : QString();
        if (root.contains("profile")) {
            manifest.profileName = qstr(root["profile"], "name");
            manifest.profileSource = qstr(root["profile"], "source");
            manifest.profileSha256 = qstr(root["profile"], "sha256").toLatin1();
        }
        manifest.host = qstr(root, "host");
        manifest.platform = qstr(root, "platform");
        manifest.caseId = qstr(root, "case_id");
        manifest.fullLogs = root.value("full_logs", false);
        manifest.administrator = root.value("administrator", false);
        manifest.started = parseTime(root, "started");
        manifest.finished = parseTime(root, "finished");
        for (const json &node : root.value("items", json::array())) {
            ItemResult item;
            item.id = qstr(node, "id");
            item.title = qstr(node, "title");
            const QString kind = qstr(node, "kind");
            item.kind = kind == QLatin1String("command") ? ItemKind::Command
                        : kind == QLatin1String("probe") ? ItemKind::Probe
                                                         : ItemKind::Files;
            item.category = categoryFromKey(qstr(node, "category")).value_or(Category::OsConfig);
            item.purpose = qstr(node, "purpose");
            item.essential = node.value("essential", false);
            for (const json &part : node.value("source", json::array()))
                if (part.is_string())
                    item.source.append(QString::fromStdString(part.get<std::string>()));
            item.status = statusFromKey(qstr(node, "status")).value_or(Status::Failed);
            item.reason = qstr(node, "reason");
            item.started = parseTime(node, "started");
            item.finished = parseTime(node, "finished");
            for (const json &file : node.value("files", json::array()))
                item.files.append(fileFromJson(file));
            for (const json &file : node.value("not_collected", json::array()))
                item.skippedFiles.append(fileFromJson(file));
            manifest.items.append(item);
        }
        for (const json &file : root.value("extra_files", json::array()))
            manifest.extraFiles.append(fileFromJson(file));
        return manifest;
    } catch (const json::exception &e) {
        return fail(ErrorCode::Verification,
                    QStringLiteral("manifest.json is malformed: %1").arg(QString::fromUtf8(e.what())));
    }
}

} // namespace dc::core
