// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QMap>
#include <QRegularExpression>
#include <QStringList>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace dc::core {

// The one JSON validator of the tool's own formats: profiles, policies and analysis
// rules (docs/ARCHITECTURE.md, "One JSON validator"). It walks a document once and
// collects every problem as "path: problem", where path is the JSON path
// ("items[3].timeout", "(root)"), so a user fixing a file sees every mistake at once.
// Each reader asks for the values it knows; what a value must be is said once here.
// Work is linear in the document: no check looks back over earlier values.
//
// Core-internal (dc_core links nlohmann_json privately); not thread-safe, one per parse.
class JsonChecker
{
public:
    using json = nlohmann::json;

    QStringList errors;

    // Parses bytes whose top level must be an object. The failure's message is
    // "SOURCE: not valid JSON: ..." or "SOURCE: (root): expected an object" (ErrorCode::Profile).
    static Result<json> parseObject(const QByteArray &bytes, const QString &source);

    void error(const QString &path, const QString &problem);
    bool ok() const { return errors.isEmpty(); }
    // Every error as "SOURCE: path: problem", one a line (ErrorCode::Profile).
    Error failure(const QString &source) const;

    // "a.b", "b" at the root; "a[3]".
    static QString member(const QString &path, std::string_view key);
    static QString index(const QString &path, std::size_t i);

    // A key that appears twice in one object: the parser keeps one silently.
    void rejectDuplicateKeys(const QByteArray &bytes);
    // Keys not in `allowed` ("$schema" and "$comment" are always allowed): typos are errors.
    void rejectUnknownKeys(const json &object, const QString &path, std::initializer_list<const char *> allowed);

    // The value at key, or nullptr (absent, or not an object: "expected an object").
    const json *object(const json &parent, const QString &path, const char *key);

    // A string: "missing (expected a string)" when required, "expected a string",
    // "must not be empty" (blank) unless allowEmpty.
    std::optional<QString>
    string(const json &object, const QString &path, const char *key, bool required, bool allowEmpty = false);
    // A non-empty string; a wrong type or "" is "expected a non-empty string".
    std::optional<QString>
    nonEmptyString(const json &object, const QString &path, const char *key, bool required = false);
    std::optional<bool> boolean(const json &object, const QString &path, const char *key);
    std::optional<double> positiveNumber(const json &object, const QString &path, const char *key);
    std::optional<qint64> positiveInteger(const json &object, const QString &path, const char *key);
    // A whole number from minimum to 10^9: "expected a whole number of at least N".
    std::optional<int> count(const json &object, const QString &path, const char *key, int minimum);
    // Seconds, more than 0 and at most maxSeconds; returned in milliseconds (at least 1).
    std::optional<int> timeoutSeconds(const json &object, const QString &path, const char *key, int maxSeconds);

    // An array of non-empty strings; nullopt if absent or if any element is wrong.
    // required: "missing (expected an array of strings)" and "must not be empty".
    std::optional<QStringList> stringArray(const json &object, const QString &path, const char *key, bool required);
    // An array of strings; the valid elements (each wrong one is an error).
    std::optional<QStringList> strings(const json &object, const QString &path, const char *key);
    // A non-empty array of non-empty strings; empty when absent or wrong.
    QStringList nonEmptyStrings(const json &object, const QString &path, const char *key);
    // An object of strings.
    std::optional<QMap<QString, QString>> stringMap(const json &object, const QString &path, const char *key);
    // A string that compiles as a regular expression ("does not compile: ..."); invalid when absent.
    QRegularExpression
    regex(const json &object, const QString &path, const char *key, QRegularExpression::PatternOptions options);
};

} // namespace dc::core
