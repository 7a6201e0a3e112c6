// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/pseudonymmap.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace dc::core {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(dc::core::PseudonymMap)
};

std::string mapKey(const QString &kind, std::string_view key)
{
    std::string k = kind.toStdString();
    k.push_back('\0');
    k.append(key);
    return k;
}

struct Stored
{
    QByteArray token;
    QByteArray original;
    int number = 0;
};
} // namespace

struct PseudonymMap::Private
{
    mutable std::shared_mutex mutex;
    std::unordered_map<std::string, Stored> tokens;
    std::unordered_map<std::string, int> counters; // kind -> last number
};

PseudonymMap::PseudonymMap()
    : d(std::make_unique<Private>())
{
}

PseudonymMap::~PseudonymMap() = default;

QByteArray PseudonymMap::tokenFor(const QString &kind, std::string_view key, std::string_view original)
{
    const QByteArray k = kind.toUtf8();
    return tokenFor(std::string_view(k.constData(), size_t(k.size())), key, original);
}

QByteArray PseudonymMap::tokenFor(std::string_view kind, std::string_view key, std::string_view original)
{
    thread_local std::string k;
    k.assign(kind);
    k.push_back('\0');
    k.append(key);
    {
        std::shared_lock lock(d->mutex);
        if (auto it = d->tokens.find(k); it != d->tokens.end())
            return it->second.token;
    }
    std::unique_lock lock(d->mutex);
    if (auto it = d->tokens.find(k); it != d->tokens.end())
        return it->second.token;
    const int number = ++d->counters[std::string(kind)];
    Stored s;
    s.number = number;
    s.token = '[' + QByteArray(kind.data(), qsizetype(kind.size())) + '-' + QByteArray::number(number) + ']';
    s.original = original.empty() ? QByteArray(key.data(), qsizetype(key.size()))
                                  : QByteArray(original.data(), qsizetype(original.size()));
    const QByteArray token = s.token;
    d->tokens.emplace(k, std::move(s));
    return token;
}

std::optional<QByteArray> PseudonymMap::find(const QString &kind, std::string_view key) const
{
    std::shared_lock lock(d->mutex);
    if (auto it = d->tokens.find(mapKey(kind, key)); it != d->tokens.end())
        return it->second.token;
    return std::nullopt;
}

QList<PseudonymMap::Entry> PseudonymMap::entries() const
{
    std::vector<std::pair<int, Entry>> list;
    {
        std::shared_lock lock(d->mutex);
        list.reserve(d->tokens.size());
        for (const auto &[k, s] : d->tokens) {
            const size_t nul = k.find('\0');
            list.push_back(
                {s.number, Entry{QString::fromStdString(k.substr(0, nul)),
                                 QByteArray(k.data() + nul + 1, qsizetype(k.size() - nul - 1)), s.original, s.token}});
        }
    }
    std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) {
        return a.second.kind != b.second.kind ? a.second.kind < b.second.kind : a.first < b.first;
    });
    QList<Entry> result;
    result.reserve(qsizetype(list.size()));
    for (auto &e : list)
        result.append(std::move(e.second));
    return result;
}

int PseudonymMap::size() const
{
    std::shared_lock lock(d->mutex);
    return int(d->tokens.size());
}

void PseudonymMap::clear()
{
    std::unique_lock lock(d->mutex);
    d->tokens.clear();
    d->counters.clear();
}

QByteArray PseudonymMap::toJson() const
{
    QJsonArray array;
    for (const Entry &e : entries()) {
        QJsonObject o;
        o.insert(QLatin1String("token"), QString::fromUtf8(e.token));
        o.insert(QLatin1String("kind"), e.kind);
        o.insert(QLatin1String("value"), QString::fromUtf8(e.value));
        o.insert(QLatin1String("original"), QString::fromUtf8(e.original));
        array.append(o);
    }
    QJsonObject root;
    root.insert(QLatin1String("formatVersion"), 1);
    root.insert(QLatin1String("entries"), array);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<void> PseudonymMap::loadJson(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::Profile, Tr::tr("Pseudonym map is not a JSON object: %1").arg(error.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("formatVersion")).toInt() != 1)
        return fail(ErrorCode::Profile, Tr::tr("Pseudonym map has an unknown format version."));
    std::unordered_map<std::string, Stored> tokens;
    std::unordered_map<std::string, int> counters;
    for (const QJsonValue &v : root.value(QLatin1String("entries")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString kind = o.value(QLatin1String("kind")).toString();
        const QByteArray token = o.value(QLatin1String("token")).toString().toUtf8();
        const QByteArray value = o.value(QLatin1String("value")).toString().toUtf8();
        const QByteArray prefix = '[' + kind.toUtf8() + '-';
        bool ok = false;
        const int number = token.startsWith(prefix) && token.endsWith(']')
                               ? token.mid(prefix.size(), token.size() - prefix.size() - 1).toInt(&ok)
                               : 0;
        if (kind.isEmpty() || !ok || number <= 0)
            return fail(ErrorCode::Profile, Tr::tr("Pseudonym map entry has a malformed token."));
        Stored s;
        s.token = token;
        s.number = number;
        s.original = o.value(QLatin1String("original")).toString().toUtf8();
        if (s.original.isEmpty())
            s.original = value;
        tokens[mapKey(kind, std::string_view(value.constData(), size_t(value.size())))] = s;
        int &c = counters[kind.toStdString()];
        c = std::max(c, number);
    }
    std::unique_lock lock(d->mutex);
    d->tokens = std::move(tokens);
    d->counters = std::move(counters);
    return {};
}

Result<void> PseudonymMap::save(const QString &path) const
{
    QSaveFile file(path);
    // The map holds the very values the archive hides: owner-only from the start.
    if (!file.open(QIODevice::WriteOnly))
        return fail(ErrorCode::Io, Tr::tr("Cannot write pseudonym map %1: %2").arg(path, file.errorString()));
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return fail(ErrorCode::Io, Tr::tr("Cannot restrict permissions of %1.").arg(path));
    const QByteArray json = toJson();
    if (file.write(json) != json.size() || !file.commit())
        return fail(ErrorCode::Io, Tr::tr("Cannot write pseudonym map %1: %2").arg(path, file.errorString()));
    return {};
}

Result<void> PseudonymMap::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, Tr::tr("Cannot read pseudonym map %1: %2").arg(path, file.errorString()));
    return loadJson(file.readAll());
}

} // namespace dc::core
