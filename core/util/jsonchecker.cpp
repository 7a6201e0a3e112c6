// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/jsonchecker.h"

#include "core/util/duplicatekeys.h"

#include <algorithm>

namespace dc::core {

namespace {
QString fromStd(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }
} // namespace

Result<nlohmann::json> JsonChecker::parseObject(const QByteArray &bytes, const QString &source)
{
    json root;
    try {
        root = json::parse(bytes.constData(), bytes.constData() + bytes.size());
    } catch (const json::exception &e) {
        return fail(ErrorCode::Profile,
                    QStringLiteral("%1: not valid JSON: %2").arg(source, QString::fromUtf8(e.what())));
    }
    if (!root.is_object())
        return fail(ErrorCode::Profile, source + QStringLiteral(": (root): expected an object"));
    return root;
}

void JsonChecker::error(const QString &path, const QString &problem)
{
    errors.append(path + QStringLiteral(": ") + problem);
}

Error JsonChecker::failure(const QString &source) const
{
    QStringList lines;
    lines.reserve(errors.size());
    for (const QString &line : errors)
        lines.append(source + QStringLiteral(": ") + line);
    return Error{ErrorCode::Profile, lines.join(QLatin1Char('\n'))};
}

QString JsonChecker::member(const QString &path, std::string_view key)
{
    return path.isEmpty() ? fromStd(key) : path + QLatin1Char('.') + fromStd(key);
}

QString JsonChecker::index(const QString &path, std::size_t i) { return path + QStringLiteral("[%1]").arg(i); }

void JsonChecker::rejectDuplicateKeys(const QByteArray &bytes)
{
    for (const QString &duplicate : duplicateKeyPaths(bytes))
        error(duplicate, QStringLiteral("duplicate key (only one of them would be used)"));
}

void JsonChecker::rejectUnknownKeys(const json &object,
                                    const QString &path,
                                    std::initializer_list<const char *> allowed)
{
    for (const auto &item : object.items()) {
        // A named copy: clang 14 cannot capture a structured binding in the lambda below.
        const std::string &key = item.key();
        if (key == "$schema" || key == "$comment")
            continue;
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char *name) { return key == name; }))
            error(member(path, key), QStringLiteral("unknown key"));
    }
}

const nlohmann::json *JsonChecker::object(const json &parent, const QString &path, const char *key)
{
    const auto it = parent.find(key);
    if (it == parent.end())
        return nullptr;
    if (!it->is_object()) {
        error(member(path, key), QStringLiteral("expected an object"));
        return nullptr;
    }
    return &*it;
}

std::optional<QString>
JsonChecker::string(const json &object, const QString &path, const char *key, bool required, bool allowEmpty)
{
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required)
            error(member(path, key), QStringLiteral("missing (expected a string)"));
        return std::nullopt;
    }
    if (!it->is_string()) {
        error(member(path, key), QStringLiteral("expected a string"));
        return std::nullopt;
    }
    QString value = fromStd(it->get_ref<const std::string &>());
    if (!allowEmpty && value.trimmed().isEmpty()) {
        error(member(path, key), QStringLiteral("must not be empty"));
        return std::nullopt;
    }
    return value;
}

std::optional<QString>
JsonChecker::nonEmptyString(const json &object, const QString &path, const char *key, bool required)
{
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required)
            error(member(path, key), QStringLiteral("missing (expected a string)"));
        return std::nullopt;
    }
    if (!it->is_string() || it->get_ref<const std::string &>().empty()) {
        error(member(path, key), QStringLiteral("expected a non-empty string"));
        return std::nullopt;
    }
    return fromStd(it->get_ref<const std::string &>());
}

std::optional<bool> JsonChecker::boolean(const json &object, const QString &path, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    if (!it->is_boolean()) {
        error(member(path, key), QStringLiteral("expected true or false"));
        return std::nullopt;
    }
    return it->get<bool>();
}

std::optional<double> JsonChecker::positiveNumber(const json &object, const QString &path, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    if (!it->is_number() || it->get<double>() <= 0) {
        error(member(path, key), QStringLiteral("expected a positive number"));
        return std::nullopt;
    }
    return it->get<double>();
}

std::optional<qint64> JsonChecker::positiveInteger(const json &object, const QString &path, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    if (!it->is_number_integer() || it->get<qint64>() <= 0) {
        error(member(path, key), QStringLiteral("expected a positive integer"));
        return std::nullopt;
    }
    return it->get<qint64>();
}

std::optional<int> JsonChecker::count(const json &object, const QString &path, const char *key, int minimum)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    if (!it->is_number_integer() || it->get<long long>() < minimum || it->get<long long>() > 1000000000) {
        error(member(path, key), QStringLiteral("expected a whole number of at least %1").arg(minimum));
        return std::nullopt;
    }
    return int(it->get<long long>());
}

std::optional<int> JsonChecker::timeoutSeconds(const json &object, const QString &path, const char *key, int maxSeconds)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    // A larger value, 1e308 included, is a mistake, not "no timeout".
    if (!it->is_number() || it->get<double>() <= 0 || it->get<double>() > maxSeconds) {
        error(member(path, key), QStringLiteral("expected a positive number of seconds, at most %1").arg(maxSeconds));
        return std::nullopt;
    }
    return qMax(1, int(it->get<double>() * 1000));
}

std::optional<QStringList>
JsonChecker::stringArray(const json &object, const QString &path, const char *key, bool required)
{
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required)
            error(member(path, key), QStringLiteral("missing (expected an array of strings)"));
        return std::nullopt;
    }
    const QString arrayPath = member(path, key);
    if (!it->is_array()) {
        error(arrayPath, QStringLiteral("expected an array of strings"));
        return std::nullopt;
    }
    if (required && it->empty()) {
        error(arrayPath, QStringLiteral("must not be empty"));
        return std::nullopt;
    }
    QStringList values;
    bool ok = true;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json &element = (*it)[i];
        if (!element.is_string() || element.get_ref<const std::string &>().empty()) {
            error(index(arrayPath, i), QStringLiteral("expected a non-empty string"));
            ok = false;
            continue;
        }
        values.append(fromStd(element.get_ref<const std::string &>()));
    }
    return ok ? std::optional<QStringList>(values) : std::nullopt;
}

std::optional<QStringList> JsonChecker::strings(const json &object, const QString &path, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    const QString arrayPath = member(path, key);
    if (!it->is_array()) {
        error(arrayPath, QStringLiteral("expected an array of strings"));
        return std::nullopt;
    }
    QStringList values;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json &element = (*it)[i];
        if (!element.is_string() || element.get_ref<const std::string &>().empty()) {
            error(index(arrayPath, i), QStringLiteral("expected a non-empty string"));
            continue;
        }
        values.append(fromStd(element.get_ref<const std::string &>()));
    }
    return values;
}

QStringList JsonChecker::nonEmptyStrings(const json &object, const QString &path, const char *key)
{
    QStringList values;
    const auto it = object.find(key);
    if (it == object.end())
        return values;
    const QString arrayPath = member(path, key);
    if (!it->is_array() || it->empty()) {
        error(arrayPath, QStringLiteral("expected a non-empty array of strings"));
        return values;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json &element = (*it)[i];
        if (!element.is_string() || element.get_ref<const std::string &>().empty())
            error(index(arrayPath, i), QStringLiteral("expected a non-empty string"));
        else
            values.append(fromStd(element.get_ref<const std::string &>()));
    }
    return values;
}

std::optional<QMap<QString, QString>> JsonChecker::stringMap(const json &object, const QString &path, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        return std::nullopt;
    const QString mapPath = member(path, key);
    if (!it->is_object()) {
        error(mapPath, QStringLiteral("expected an object of strings"));
        return std::nullopt;
    }
    QMap<QString, QString> values;
    for (const auto &item : it->items()) {
        if (!item.value().is_string()) {
            error(member(mapPath, item.key()), QStringLiteral("expected a string"));
            continue;
        }
        values.insert(fromStd(item.key()), fromStd(item.value().get_ref<const std::string &>()));
    }
    return values;
}

QRegularExpression
JsonChecker::regex(const json &object, const QString &path, const char *key, QRegularExpression::PatternOptions options)
{
    const auto pattern = nonEmptyString(object, path, key, false);
    if (!pattern)
        return {};
    QRegularExpression re(*pattern, options);
    if (!re.isValid()) {
        error(member(path, key), QStringLiteral("does not compile: %1").arg(re.errorString()));
        return {};
    }
    re.optimize();
    return re;
}

} // namespace dc::core
