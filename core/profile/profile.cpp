// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/profile/profile.h"

#include "core/collectors/probes.h"
#include "core/util/configfile.h"
#include "core/util/jsonchecker.h"
#include "core/util/key32.h"
#include "core/util/paths.h"
#include "core/util/sha256.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <functional>
#include <nlohmann/json.hpp>

namespace dc::core {

using nlohmann::json;

namespace {

struct CategoryName
{
    Category category;
    const char *key;
    const char *title;
};

constexpr CategoryName kCategoryNames[] = {
    {Category::ServiceLogs, "service-logs", QT_TRANSLATE_NOOP("Categories", "Product service logs")},
    {Category::OsConfig, "os-config", QT_TRANSLATE_NOOP("Categories", "Operating system configuration")},
    {Category::SystemLogs, "system-logs", QT_TRANSLATE_NOOP("Categories", "System logs")},
    {Category::EventHistory, "event-history", QT_TRANSLATE_NOOP("Categories", "Event history")},
    {Category::CrashDumps, "crash-dumps", QT_TRANSLATE_NOOP("Categories", "Crash dumps")},
    {Category::Tool, "tool", QT_TRANSLATE_NOOP("Categories", "This tool's own log")},
};

const QRegularExpression &variablePattern()
{
    // Group 1 is "$" for the escape "$${NAME}", which stands for a literal "${NAME}"
    // (dpkg-query and systemd formats use that syntax themselves).
    static const QRegularExpression pattern(QStringLiteral(R"((\$?)\$\{(env:)?([A-Za-z_][A-Za-z0-9_]*)\})"));
    return pattern;
}

const QStringList &builtinVariables()
{
    static const QStringList names{QStringLiteral("HOME"), QStringLiteral("TMPDIR"), QStringLiteral("TOOL_LOG_DIR"),
                                   QStringLiteral("PROFILE_DIR"), QStringLiteral("USER")};
    return names;
}

QString fromStd(const std::string &text) { return QString::fromStdString(text); }

constexpr int kMaxTimeoutSeconds = 3600;
constexpr int kMaxAgeDays = 36500;

// The shared checker (core/util/jsonchecker.h) plus what only a profile has:
// ${VARIABLE} references.
class Validator : public JsonChecker
{
public:
    std::optional<int> timeoutSeconds(const json &object, const QString &path, const char *key)
    {
        return JsonChecker::timeoutSeconds(object, path, key, kMaxTimeoutSeconds);
    }

    // A text shown to people (docs/PROFILE.md, "Texts in several languages"): a string in
    // English, or {"en": ..., "ja": ...} whose "en" is required. Returns the English; the
    // other languages the object gives go into translations.
    std::optional<QString> text(const json &object,
                                const QString &path,
                                const char *key,
                                bool required,
                                QMap<QString, QString> &translations,
                                bool allowEmpty = false)
    {
        const auto it = object.find(key);
        if (it == object.end() || it->is_string())
            return string(object, path, key, required, allowEmpty);
        const QString textPath = member(path, key);
        if (!it->is_object()) {
            error(textPath, QStringLiteral("expected a string or an object of languages ({\"en\": \"...\", "
                                           "\"ja\": \"...\"})"));
            return std::nullopt;
        }
        static const QRegularExpression languageCode(QStringLiteral("^[a-z]{2,3}$"));
        std::optional<QString> english;
        bool ok = true;
        for (const auto &[name, value] : it->items()) {
            const QString language = fromStd(name);
            const QString valuePath = textPath + QLatin1Char('.') + language;
            if (name == "$comment")
                continue;
            if (!languageCode.match(language).hasMatch()) {
                error(valuePath, QStringLiteral("expected a language code (\"en\", \"ja\", ...)"));
                ok = false;
                continue;
            }
            if (!value.is_string() || (!allowEmpty && fromStd(value.get<std::string>()).trimmed().isEmpty())) {
                error(valuePath,
                      allowEmpty ? QStringLiteral("expected a string") : QStringLiteral("expected a non-empty string"));
                ok = false;
                continue;
            }
            if (language == QLatin1String("en"))
                english = fromStd(value.get<std::string>());
            else
                translations.insert(language, fromStd(value.get<std::string>()));
        }
        if (!english && ok)
            error(textPath + QStringLiteral(".en"), QStringLiteral("missing (the English text is required)"));
        return ok ? english : std::nullopt;
    }

    // Every ${NAME} must be a built-in, a profile variable or ${env:NAME}.
    void checkVariables(const QString &text, const QString &path, const QMap<QString, QString> &variables)
    {
        QSet<qsizetype> referenceStarts;
        auto it = variablePattern().globalMatch(text);
        while (it.hasNext()) {
            const auto match = it.next();
            referenceStarts.insert(match.capturedStart() + match.capturedLength(1));
            const bool escaped = match.capturedLength(1) > 0;
            const bool fromEnvironment = match.capturedLength(2) > 0;
            const QString name = match.captured(3);
            if (!escaped && !fromEnvironment && !variables.contains(name) && !builtinVariables().contains(name))
                error(path, QStringLiteral("unknown variable ${%1}").arg(name));
        }
        for (qsizetype at = text.indexOf(QStringLiteral("${")); at >= 0;
             at = text.indexOf(QStringLiteral("${"), at + 2)) {
            if (!referenceStarts.contains(at)) {
                error(path,
                      QStringLiteral("malformed variable reference (expected ${NAME}, ${env:NAME} or $${literal})"));
                break;
            }
        }
    }
};

std::optional<Category> parseCategory(const QString &key)
{
    for (const auto &entry : kCategoryNames)
        if (key == QLatin1String(entry.key))
            return entry.category;
    return std::nullopt;
}

QString categoryKeys()
{
    QStringList keys;
    for (const auto &entry : kCategoryNames)
        keys.append(QLatin1String(entry.key));
    return keys.join(QStringLiteral(", "));
}

// The profile variables a text refers to (not ${env:...}, not the $${literal} escape).
QStringList referencedVariables(const QString &text, const QMap<QString, QString> &variables)
{
    QStringList names;
    auto it = variablePattern().globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        if (match.capturedLength(1) == 0 && match.capturedLength(2) == 0 && variables.contains(match.captured(3)))
            names.append(match.captured(3));
    }
    return names;
}

// Variables that refer to each other in a cycle (A=${B}, B=${A}) would expand to
// a literal "${B}": each cycle is an error at the variable where it closes.
void checkVariableCycles(Validator &v, const QMap<QString, QString> &variables)
{
    enum Mark { Unvisited, OnPath, Done };
    QHash<QString, Mark> marks;
    QStringList chain;
    std::function<void(const QString &)> visit = [&](const QString &name) {
        marks[name] = OnPath;
        chain.append(name);
        for (const QString &next : referencedVariables(variables.value(name), variables)) {
            const Mark mark = marks.value(next, Unvisited);
            if (mark == OnPath) {
                const QStringList cycle = chain.mid(chain.indexOf(next)) << next;
                v.error(QStringLiteral("variables.") + name, QStringLiteral("refers to itself through ${%1} (%2)")
                                                                 .arg(next, cycle.join(QStringLiteral(" -> "))));
            } else if (mark == Unvisited) {
                visit(next);
            }
        }
        chain.removeLast();
        marks[name] = Done;
    };
    for (auto it = variables.cbegin(); it != variables.cend(); ++it)
        if (marks.value(it.key(), Unvisited) == Unvisited)
            visit(it.key());
}

bool isSafeRelativePath(const QString &path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path) || path.startsWith(QLatin1Char('/')) ||
        path.contains(QLatin1Char('\\')))
        return false;
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const QString &part : parts)
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
    return true;
}

void parseItem(Validator &v, const json &node, const QString &path, const Profile &profile, ItemSpec &item)
{
    if (!node.is_object()) {
        v.error(path, QStringLiteral("expected an object"));
        return;
    }
    // clang-format off
    v.rejectUnknownKeys(node, path, {"id",           "title",
                                     "kind",         "category",
                                     "purpose",      "essential",
                                     "platforms",    "full_logs_only",
                                     "needs_admin",  "requires",
                                     "redactable",   "dest",
                                     "max_bytes",    "estimate_bytes",
                                     "paths",        "exclude",
                                     "max_age_days", "rotated",
                                     "compressed",   "recursive",
                                     "max_files",    "tail",
                                     "follow_symlinks",
                                     "argv",         "timeout",
                                     "env",          "no_data_exit_codes",
                                     "probe",        "args"});
    // clang-format on

    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    if (auto id = v.string(node, path, "id", true)) {
        if (!idPattern.match(*id).hasMatch())
            v.error(path + QStringLiteral(".id"),
                    QStringLiteral("expected kebab-case letters and digits (\"ip-addr\")"));
        item.id = *id;
    }
    item.title = v.text(node, path, "title", false, item.titles).value_or(item.id);
    if (auto purpose = v.text(node, path, "purpose", true, item.purposes))
        item.purpose = *purpose;
    if (auto category = v.string(node, path, "category", true)) {
        if (auto parsed = parseCategory(*category))
            item.category = *parsed;
        else
            v.error(path + QStringLiteral(".category"),
                    QStringLiteral("unknown category \"%1\" (expected one of %2)").arg(*category, categoryKeys()));
    }
    item.essential = v.boolean(node, path, "essential").value_or(false);
    item.fullLogsOnly = v.boolean(node, path, "full_logs_only").value_or(false);
    item.needsAdmin = v.boolean(node, path, "needs_admin").value_or(false);
    item.redactable = v.boolean(node, path, "redactable").value_or(true);
    if (auto requirements = v.stringArray(node, path, "requires", false)) {
        for (qsizetype i = 0; i < requirements->size(); ++i)
            if (!knownRequirements().contains(requirements->at(i)))
                v.error(path + QStringLiteral(".requires[%1]").arg(i),
                        QStringLiteral("unknown requirement \"%1\" (expected one of %2)")
                            .arg(requirements->at(i), knownRequirements().keys().join(QStringLiteral(", "))));
        item.requirements = *requirements;
    }
    if (item.essential && item.fullLogsOnly)
        v.error(path + QStringLiteral(".essential"), QStringLiteral("an essential item cannot be full_logs_only"));

    if (auto platforms = v.stringArray(node, path, "platforms", false)) {
        item.platforms = 0;
        for (qsizetype i = 0; i < platforms->size(); ++i) {
            const QString &name = platforms->at(i);
            if (name == QLatin1String("linux"))
                item.platforms |= Linux;
            else if (name == QLatin1String("windows"))
                item.platforms |= Windows;
            else if (name == QLatin1String("macos"))
                item.platforms |= MacOS;
            else
                v.error(path + QStringLiteral(".platforms[%1]").arg(i),
                        QStringLiteral("unknown platform \"%1\" (expected linux, windows or macos)").arg(name));
        }
        if (platforms->isEmpty())
            v.error(path + QStringLiteral(".platforms"), QStringLiteral("must not be empty"));
    }

    if (auto dest = v.string(node, path, "dest", false)) {
        // Staged paths must be the same on every machine: support tooling relies on them.
        if (dest->contains(QLatin1Char('$')))
            v.error(path + QStringLiteral(".dest"), QStringLiteral("variables are not allowed in dest"));
        if (!isSafeRelativePath(*dest))
            v.error(path + QStringLiteral(".dest"),
                    QStringLiteral("expected a relative path without \"..\" or empty parts"));
        item.dest = *dest;
    }
    item.maxBytes = v.positiveInteger(node, path, "max_bytes").value_or(profile.limits.itemBytes);
    item.estimateBytes = v.positiveInteger(node, path, "estimate_bytes").value_or(0);

    const auto kindName = v.string(node, path, "kind", true);
    if (!kindName)
        return;

    // Keys that belong to one kind are an error on another: a typo'd kind
    // would otherwise silently ignore them.
    auto rejectForeign = [&](std::initializer_list<const char *> keys) {
        for (const char *key : keys)
            if (node.contains(key))
                v.error(Validator::member(path, key), QStringLiteral("not allowed for kind \"%1\"").arg(*kindName));
    };

    if (*kindName == QLatin1String("files")) {
        item.kind = ItemKind::Files;
        rejectForeign({"argv", "timeout", "env", "no_data_exit_codes", "probe", "args"});
        if (auto paths = v.stringArray(node, path, "paths", true)) {
            for (qsizetype i = 0; i < paths->size(); ++i) {
                const QString p = paths->at(i);
                const QString elementPath = path + QStringLiteral(".paths[%1]").arg(i);
                v.checkVariables(p, elementPath, profile.variables);
                const bool startsWithVariable = p.startsWith(QStringLiteral("${"));
                if (!startsWithVariable && !QDir::isAbsolutePath(p))
                    v.error(elementPath, QStringLiteral("expected an absolute path"));
            }
            item.files.paths = *paths;
        }
        item.files.exclude = v.stringArray(node, path, "exclude", false).value_or(QStringList{});
        if (auto days = v.positiveNumber(node, path, "max_age_days")) {
            if (*days > kMaxAgeDays)
                v.error(path + QStringLiteral(".max_age_days"),
                        QStringLiteral("expected a number of days, at most %1").arg(kMaxAgeDays));
            else
                item.files.maxAgeDays = qMax(1, int(*days));
        }
        item.files.rotated = v.boolean(node, path, "rotated").value_or(false);
        item.files.compressed = v.boolean(node, path, "compressed").value_or(false);
        item.files.recursive = v.boolean(node, path, "recursive").value_or(true);
        item.files.tail = v.boolean(node, path, "tail").value_or(true);
        item.files.followSymlinks = v.boolean(node, path, "follow_symlinks").value_or(false);
        if (auto maxFiles = v.positiveInteger(node, path, "max_files"))
            item.files.maxFiles = int(qMin<qint64>(*maxFiles, 1000000));
    } else if (*kindName == QLatin1String("command")) {
        item.kind = ItemKind::Command;
        rejectForeign({"paths", "exclude", "max_age_days", "rotated", "compressed", "recursive", "max_files", "tail",
                       "follow_symlinks", "probe", "args"});
        if (auto argv = v.stringArray(node, path, "argv", true)) {
            for (qsizetype i = 0; i < argv->size(); ++i)
                v.checkVariables(argv->at(i), path + QStringLiteral(".argv[%1]").arg(i), profile.variables);
            item.command.argv = *argv;
        }
        item.command.timeoutMs = profile.limits.commandTimeoutMs;
        if (auto timeout = v.timeoutSeconds(node, path, "timeout"))
            item.command.timeoutMs = *timeout;
        item.command.env = v.stringMap(node, path, "env").value_or(QMap<QString, QString>{});
        if (const auto codes = node.find("no_data_exit_codes"); codes != node.end()) {
            const QString codesPath = path + QStringLiteral(".no_data_exit_codes");
            if (!codes->is_array()) {
                v.error(codesPath, QStringLiteral("expected an array of exit codes"));
            } else {
                for (std::size_t i = 0; i < codes->size(); ++i) {
                    const json &code = (*codes)[i];
                    if (!code.is_number_integer() || code.get<int>() < 1 || code.get<int>() > 255)
                        v.error(Validator::index(codesPath, i), QStringLiteral("expected an exit code from 1 to 255"));
                    else
                        item.command.noDataExitCodes.append(code.get<int>());
                }
            }
        }
    } else if (*kindName == QLatin1String("probe")) {
        item.kind = ItemKind::Probe;
        rejectForeign({"paths", "exclude", "max_age_days", "rotated", "compressed", "recursive", "max_files", "tail",
                       "follow_symlinks", "argv", "env", "no_data_exit_codes"});
        if (auto probe = v.string(node, path, "probe", true)) {
            item.probe.name = *probe;
            if (!isKnownProbe(*probe))
                v.error(path + QStringLiteral(".probe"),
                        QStringLiteral("unknown probe \"%1\" (see `diagcollect probes`)").arg(*probe));
        }
        item.probe.args = v.stringMap(node, path, "args").value_or(QMap<QString, QString>{});
        item.command.timeoutMs = profile.limits.commandTimeoutMs;
        if (auto timeout = v.timeoutSeconds(node, path, "timeout"))
            item.command.timeoutMs = *timeout;
    } else {
        v.error(path + QStringLiteral(".kind"),
                QStringLiteral("unknown kind \"%1\" (expected files, command or probe)").arg(*kindName));
    }
}

// product.full_logging: how to raise the product's logging to full and back
// (docs/PROFILE.md#full-logging). Exactly one of config, commands, registry.
void parseFullLogging(Validator &v, const json &node, Profile &profile)
{
    const QString path = QStringLiteral("product.full_logging");
    if (!node.is_object()) {
        v.error(path, QStringLiteral("expected an object"));
        return;
    }
    v.rejectUnknownKeys(node, path, {"config", "commands", "registry", "service", "max_minutes"});
    FullLoggingSpec &spec = profile.fullLogging;
    int methods = 0;
    for (const char *key : {"config", "commands", "registry"})
        methods += node.contains(key) ? 1 : 0;
    if (methods != 1)
        v.error(path, QStringLiteral("expected exactly one of config, commands or registry"));

    auto argv = [&](const json &object, const QString &objectPath, const char *key) {
        QStringList result = v.stringArray(object, objectPath, key, true).value_or(QStringList{});
        for (qsizetype i = 0; i < result.size(); ++i)
            v.checkVariables(result[i], Validator::member(objectPath, key) + QStringLiteral("[%1]").arg(i),
                             profile.variables);
        return result;
    };
    // A scalar kept as JSON text: a JSON config gets it with its type, INI/XML as text.
    auto scalar = [&](const json &object, const QString &objectPath, const char *key) {
        const auto it = object.find(key);
        if (it == object.end() || !(it->is_string() || it->is_number() || it->is_boolean())) {
            v.error(Validator::member(objectPath, key), it == object.end()
                                                            ? QStringLiteral("missing (expected a string or number)")
                                                            : QStringLiteral("expected a string, number or boolean"));
            return QString();
        }
        return fromStd(it->dump());
    };
    auto object = [&](const char *key) -> const json * {
        const auto it = node.find(key);
        if (it == node.end())
            return nullptr;
        if (!it->is_object()) {
            v.error(Validator::member(path, key), QStringLiteral("expected an object"));
            return nullptr;
        }
        return &*it;
    };

    if (const json *config = object("config")) {
        const QString configPath = Validator::member(path, "config");
        v.rejectUnknownKeys(*config, configPath, {"file", "format", "key", "full_value"});
        spec.method = FullLoggingSpec::Method::Config;
        if (auto file = v.string(*config, configPath, "file", true)) {
            v.checkVariables(*file, configPath + QStringLiteral(".file"), profile.variables);
            if (!file->startsWith(QStringLiteral("${")) && !QDir::isAbsolutePath(*file))
                v.error(configPath + QStringLiteral(".file"), QStringLiteral("expected an absolute path"));
            spec.configFile = *file;
        }
        if (auto format = v.string(*config, configPath, "format", true)) {
            if (*format != QLatin1String("ini") && *format != QLatin1String("json") && *format != QLatin1String("xml"))
                v.error(configPath + QStringLiteral(".format"),
                        QStringLiteral("unknown format \"%1\" (expected ini, json or xml)").arg(*format));
            spec.configFormat = *format;
        }
        if (auto key = v.string(*config, configPath, "key", true)) {
            if (key->startsWith(QLatin1Char('.')) || key->endsWith(QLatin1Char('.')) ||
                key->contains(QStringLiteral("..")))
                v.error(configPath + QStringLiteral(".key"), QStringLiteral("expected names separated by dots"));
            spec.configKey = *key;
        }
        spec.fullValue = scalar(*config, configPath, "full_value");
    }
    if (const json *commands = object("commands")) {
        const QString commandsPath = Validator::member(path, "commands");
        v.rejectUnknownKeys(*commands, commandsPath, {"raise", "restore"});
        spec.method = FullLoggingSpec::Method::Commands;
        spec.raiseArgv = argv(*commands, commandsPath, "raise");
        spec.restoreArgv = argv(*commands, commandsPath, "restore");
    }
    if (const json *registry = object("registry")) {
        const QString registryPath = Validator::member(path, "registry");
        v.rejectUnknownKeys(*registry, registryPath, {"key", "value", "full_data"});
        spec.method = FullLoggingSpec::Method::Registry;
        if (auto key = v.string(*registry, registryPath, "key", true)) {
            static const QRegularExpression hive(
                QStringLiteral("^(HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKLM|HKCU)\\\\.+"));
            if (!hive.match(*key).hasMatch())
                v.error(registryPath + QStringLiteral(".key"),
                        QStringLiteral("expected a key below HKEY_LOCAL_MACHINE\\ or HKEY_CURRENT_USER\\"));
            spec.registryKey = *key;
        }
        spec.registryValue = v.string(*registry, registryPath, "value", true).value_or(QString());
        spec.registryData = scalar(*registry, registryPath, "full_data");
        if (spec.registryData.startsWith(QLatin1Char('t')) || spec.registryData.startsWith(QLatin1Char('f')))
            v.error(registryPath + QStringLiteral(".full_data"), QStringLiteral("expected a string or an integer"));
    }
    if (const json *service = object("service")) {
        const QString servicePath = Validator::member(path, "service");
        v.rejectUnknownKeys(*service, servicePath, {"restart", "account"});
        if (service->contains("restart"))
            spec.restartArgv = argv(*service, servicePath, "restart");
        if (service->contains("account"))
            spec.serviceAccount = v.string(*service, servicePath, "account", true).value_or(QString());
    }
    if (const auto it = node.find("max_minutes"); it != node.end()) {
        if (!it->is_number_integer() || it->get<qint64>() < 1 || it->get<qint64>() > 1440)
            v.error(path + QStringLiteral(".max_minutes"), QStringLiteral("expected whole minutes from 1 to 1440"));
        else
            spec.maxMinutes = it->get<int>();
    }
}

// The product section is shorthand: it expands into ordinary service-log,
// configuration and crash-dump items so that every later stage sees one model.
void expandProduct(Validator &v, const json &node, Profile &profile, QList<ItemSpec> &items)
{
    const QString path = QStringLiteral("product");
    if (!node.is_object()) {
        v.error(path, QStringLiteral("expected an object"));
        return;
    }
    v.rejectUnknownKeys(node, path, {"name", "logs", "config_files", "crash_dirs", "units", "full_logging"});
    profile.productName = v.string(node, path, "name", true).value_or(QString());
    if (const auto it = node.find("full_logging"); it != node.end())
        parseFullLogging(v, *it, profile);

    struct Entry
    {
        QString path;
        unsigned platforms = AllPlatforms;
        QStringList exclude;
    };
    // Each list element is a path string or {"path": ..., "platforms": [...], "exclude": [...]}.
    auto entries = [&](const char *key) {
        QList<Entry> result;
        const auto it = node.find(key);
        if (it == node.end())
            return result;
        const QString listPath = Validator::member(path, key);
        if (!it->is_array()) {
            v.error(listPath, QStringLiteral("expected an array"));
            return result;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const json &element = (*it)[i];
            const QString elementPath = Validator::index(listPath, i);
            Entry entry;
            if (element.is_string()) {
                entry.path = fromStd(element.get<std::string>());
            } else if (element.is_object()) {
                v.rejectUnknownKeys(element, elementPath, {"path", "platforms", "exclude"});
                entry.path = v.string(element, elementPath, "path", true).value_or(QString());
                if (auto platforms = v.stringArray(element, elementPath, "platforms", false)) {
                    entry.platforms = 0;
                    for (const QString &name : *platforms) {
                        if (name == QLatin1String("linux"))
                            entry.platforms |= Linux;
                        else if (name == QLatin1String("windows"))
                            entry.platforms |= Windows;
                        else if (name == QLatin1String("macos"))
                            entry.platforms |= MacOS;
                        else
                            v.error(elementPath + QStringLiteral(".platforms"),
                                    QStringLiteral("unknown platform \"%1\"").arg(name));
                    }
                }
                entry.exclude = v.stringArray(element, elementPath, "exclude", false).value_or(QStringList{});
            } else {
                v.error(elementPath, QStringLiteral("expected a path string or an object with \"path\""));
                continue;
            }
            if (entry.path.isEmpty())
                continue;
            v.checkVariables(entry.path, elementPath, profile.variables);
            result.append(entry);
        }
        return result;
    };

    const QString product = profile.productName.isEmpty() ? QStringLiteral("the product") : profile.productName;
    auto addFiles = [&](const QString &id, Category category, const QString &purpose, const QList<Entry> &list,
                        bool essential, bool rotated, bool redactable) {
        for (qsizetype i = 0; i < list.size(); ++i) {
            ItemSpec item;
            item.id = list.size() == 1 ? id : id + QStringLiteral("-%1").arg(i + 1);
            item.title = item.id;
            item.kind = ItemKind::Files;
            item.category = category;
            item.purpose = purpose;
            item.essential = essential;
            item.platforms = list[i].platforms;
            item.redactable = redactable;
            item.maxBytes = profile.limits.itemBytes;
            item.dest = item.id;
            item.files.paths = {list[i].path};
            item.files.exclude = list[i].exclude;
            item.files.rotated = rotated;
            item.files.compressed = rotated;
            item.productData = category == Category::CrashDumps || id == QLatin1String("product-logs");
            items.append(item);
        }
    };
    addFiles(QStringLiteral("product-logs"), Category::ServiceLogs,
             QStringLiteral("The service logs of %1 show what it did and why it failed.").arg(product), entries("logs"),
             true, true, true);
    addFiles(QStringLiteral("product-config"), Category::ServiceLogs,
             QStringLiteral("The configuration of %1 shows how it is set up.").arg(product), entries("config_files"),
             true, false, true);
    addFiles(QStringLiteral("product-crash-dumps"), Category::CrashDumps,
             QStringLiteral("Crash dumps of %1 show where it crashed.").arg(product), entries("crash_dirs"), false,
             false, false);

    if (auto units = v.stringArray(node, path, "units", false)) {
        for (const QString &unit : *units) {
            ItemSpec item;
            QString slug = unit.toLower();
            slug.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
            item.id =
                QStringLiteral("product-journal-") + slug.section(QLatin1Char('-'), 0, -1, QString::SectionSkipEmpty);
            item.title = item.id;
            item.kind = ItemKind::Command;
            item.category = Category::ServiceLogs;
            item.purpose =
                QStringLiteral("The system journal of the %1 service shows its starts, stops and errors.").arg(unit);
            item.essential = true;
            item.platforms = Linux;
            item.requirements = {QStringLiteral("journal")};
            item.maxBytes = profile.limits.itemBytes;
            item.command.argv = {QStringLiteral("journalctl"), QStringLiteral("--no-pager"),
                                 QStringLiteral("-o"),         QStringLiteral("short-iso-precise"),
                                 QStringLiteral("--since"),    QStringLiteral("-7d"),
                                 QStringLiteral("-u"),         unit};
            item.command.timeoutMs = profile.limits.commandTimeoutMs;
            item.dest = item.id + QStringLiteral(".txt");
            items.append(item);
        }
    }
}

// The "upload", "seal" and "retention_days" keys (docs/UPLOAD.md, docs/SEALING.md).
void parseTransferSettings(Validator &v, const json &root, Profile &profile)
{
    if (const auto it = root.find("upload"); it != root.end()) {
        const QString path = QStringLiteral("upload");
        if (!it->is_object()) {
            v.error(path, QStringLiteral("expected an object"));
        } else {
            v.rejectUnknownKeys(*it, path, {"url", "ca_cert", "pin_sha256", "chunk_bytes", "token_env", "case_header"});
            UploadSettings &upload = profile.upload;
            if (auto url = v.string(*it, path, "url", true)) {
                if (!url->startsWith(QStringLiteral("https://"), Qt::CaseInsensitive))
                    v.error(path + QStringLiteral(".url"), QStringLiteral("expected an https:// URL"));
                upload.url = *url;
            }
            if (auto caCert = v.string(*it, path, "ca_cert", false)) {
                v.checkVariables(*caCert, path + QStringLiteral(".ca_cert"), profile.variables);
                upload.caCert = *caCert;
            }
            if (auto pin = v.string(*it, path, "pin_sha256", false)) {
                if (!decodeKey32(QString(*pin).remove(QStringLiteral("sha256//"))))
                    v.error(path + QStringLiteral(".pin_sha256"),
                            QStringLiteral("expected a SHA-256 in hex (64 digits) or base64 (44 characters)"));
                upload.pinSha256 = *pin;
            }
            if (auto chunk = v.positiveInteger(*it, path, "chunk_bytes")) {
                if (*chunk < 64 * 1024)
                    v.error(path + QStringLiteral(".chunk_bytes"), QStringLiteral("expected at least 65536"));
                upload.chunkBytes = *chunk;
            }
            static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
            if (auto tokenEnv = v.string(*it, path, "token_env", false)) {
                if (!envName.match(*tokenEnv).hasMatch())
                    v.error(path + QStringLiteral(".token_env"),
                            QStringLiteral("expected an environment variable name like SUPPORT_TOKEN"));
                upload.tokenEnv = *tokenEnv;
            }
            static const QRegularExpression headerName(QStringLiteral("^[A-Za-z0-9-]+$"));
            if (auto header = v.string(*it, path, "case_header", false, true)) {
                if (!header->isEmpty() && !headerName.match(*header).hasMatch())
                    v.error(path + QStringLiteral(".case_header"), QStringLiteral("expected an HTTP header name"));
                upload.caseHeader = *header;
            }
        }
    }
    if (const auto it = root.find("seal"); it != root.end()) {
        const QString path = QStringLiteral("seal");
        if (!it->is_object()) {
            v.error(path, QStringLiteral("expected an object"));
        } else {
            v.rejectUnknownKeys(*it, path, {"public_key", "required"});
            if (auto key = v.string(*it, path, "public_key", true)) {
                if (auto raw = decodeKey32(*key))
                    profile.seal.publicKey = *raw;
                else
                    v.error(path + QStringLiteral(".public_key"),
                            QStringLiteral("expected a 32-byte X25519 public key in base64 or hex "
                                           "(printed by 'diagcollect keygen')"));
            }
            profile.seal.required = v.boolean(*it, path, "required").value_or(false);
        }
    }
    if (const auto it = root.find("retention_days"); it != root.end()) {
        if (!it->is_number_integer() || it->get<qint64>() < 1 || it->get<qint64>() > 3650)
            v.error(QStringLiteral("retention_days"), QStringLiteral("expected a whole number of days from 1 to 3650"));
        else
            profile.retentionDays = it->get<int>();
    }
}

} // namespace

QString categoryKey(Category category)
{
    for (const auto &entry : kCategoryNames)
        if (entry.category == category)
            return QLatin1String(entry.key);
    return QString();
}

QString categoryTitle(Category category)
{
    for (const auto &entry : kCategoryNames)
        if (entry.category == category)
            return QCoreApplication::translate("Categories", entry.title);
    return QString();
}

QString itemKindKey(ItemKind kind)
{
    switch (kind) {
    case ItemKind::Files:
        return QStringLiteral("files");
    case ItemKind::Command:
        return QStringLiteral("command");
    case ItemKind::Probe:
        return QStringLiteral("probe");
    }
    return QString();
}

unsigned currentPlatformBit()
{
#if defined(Q_OS_WIN)
    return Windows;
#elif defined(Q_OS_MACOS)
    return MacOS;
#else
    return Linux;
#endif
}

QString ItemSpec::stagedPath() const
{
    QString relative = dest;
    if (relative.isEmpty())
        relative = kind == ItemKind::Files ? id : id + QStringLiteral(".txt");
    return categoryKey(category) + QLatin1Char('/') + relative;
}

const QMap<QString, QString> &knownRequirements()
{
    static const QMap<QString, QString> requirements{
        {QStringLiteral("systemd"), QStringLiteral("systemd is the running init system")},
        {QStringLiteral("journal"), QStringLiteral("the systemd journal has files to read")},
    };
    return requirements;
}

QString unmetRequirement(const ItemSpec &item, bool administrator)
{
    if (item.needsAdmin && !administrator)
        return QStringLiteral("needs administrator rights");
    for (const QString &requirement : item.requirements) {
        // The same test as sd_booted(3): containers and chroots usually have no systemd.
        if (requirement == QLatin1String("systemd") && !QFileInfo(QStringLiteral("/run/systemd/system")).isDir())
            return QStringLiteral("systemd is not running here (a container or chroot?)");
        if (requirement == QLatin1String("journal") && !QFileInfo(QStringLiteral("/run/log/journal")).isDir() &&
            !QFileInfo(QStringLiteral("/var/log/journal")).isDir())
            return QStringLiteral("this system has no systemd journal");
    }
    return QString();
}

QList<ItemSpec> Profile::itemsFor(unsigned platformBit, bool fullLogs) const
{
    QList<ItemSpec> result;
    for (const ItemSpec &item : items)
        if (item.appliesTo(platformBit) && (fullLogs || !item.fullLogsOnly))
            result.append(item);
    return result;
}

Result<Profile> parseProfile(const QByteArray &bytes, const QString &sourcePath, const ProfileLoadOptions &options)
{
    auto parsed = JsonChecker::parseObject(bytes, sourcePath);
    if (!parsed)
        return tl::unexpected(parsed.error());
    const json &root = *parsed;

    Profile profile;
    profile.sourcePath = sourcePath;
    profile.sha256 = Sha256::hex(bytes);
    Validator v;
    v.rejectDuplicateKeys(bytes);

    v.rejectUnknownKeys(root, QString(),
                        {"format_version", "name", "description", "variables", "limits", "product", "items", "upload",
                         "seal", "retention_days"});
    if (const auto it = root.find("format_version"); it == root.end()) {
        v.error(QStringLiteral("format_version"), QStringLiteral("missing (expected 1)"));
    } else if (!it->is_number_integer() || it->get<int>() != 1) {
        v.error(QStringLiteral("format_version"), QStringLiteral("unsupported version (this tool reads version 1)"));
    }
    profile.name = v.string(root, QString(), "name", true).value_or(QString());
    profile.description = v.text(root, QString(), "description", false, profile.descriptions, true).value_or(QString());

    if (root.contains("limits")) {
        const json &limits = root.at("limits");
        if (!limits.is_object()) {
            v.error(QStringLiteral("limits"), QStringLiteral("expected an object"));
        } else {
            v.rejectUnknownKeys(limits, QStringLiteral("limits"), {"total_bytes", "item_bytes", "command_timeout"});
            profile.limits.totalBytes =
                v.positiveInteger(limits, QStringLiteral("limits"), "total_bytes").value_or(profile.limits.totalBytes);
            profile.limits.itemBytes =
                v.positiveInteger(limits, QStringLiteral("limits"), "item_bytes").value_or(profile.limits.itemBytes);
            if (auto timeout = v.timeoutSeconds(limits, QStringLiteral("limits"), "command_timeout"))
                profile.limits.commandTimeoutMs = *timeout;
        }
    }

    static const QRegularExpression variableName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (auto variables = v.stringMap(root, QString(), "variables")) {
        for (auto it = variables->cbegin(); it != variables->cend(); ++it) {
            if (!variableName.match(it.key()).hasMatch())
                v.error(QStringLiteral("variables.") + it.key(), QStringLiteral("expected a name like PRODUCT_ROOT"));
            else if (builtinVariables().contains(it.key()))
                v.error(QStringLiteral("variables.") + it.key(), QStringLiteral("is a built-in variable"));
        }
        profile.variables = *variables;
    }
    for (auto it = options.defines.cbegin(); it != options.defines.cend(); ++it)
        profile.variables.insert(it.key(), it.value());
    for (auto it = profile.variables.cbegin(); it != profile.variables.cend(); ++it)
        v.checkVariables(it.value(), QStringLiteral("variables.") + it.key(), profile.variables);
    checkVariableCycles(v, profile.variables);

    parseTransferSettings(v, root, profile);

    QList<ItemSpec> items;
    if (root.contains("product"))
        expandProduct(v, root.at("product"), profile, items);

    if (const auto it = root.find("items"); it == root.end()) {
        v.error(QStringLiteral("items"), QStringLiteral("missing (expected an array of items)"));
    } else if (!it->is_array()) {
        v.error(QStringLiteral("items"), QStringLiteral("expected an array of items"));
    } else if (it->size() > std::size_t(kMaxProfileItems)) {
        v.error(QStringLiteral("items"),
                QStringLiteral("%1 items; a profile may have at most %2").arg(it->size()).arg(kMaxProfileItems));
    } else {
        for (std::size_t i = 0; i < it->size(); ++i) {
            ItemSpec item;
            parseItem(v, (*it)[i], Validator::index(QStringLiteral("items"), i), profile, item);
            items.append(item);
        }
    }

    // Ids and staged paths must be unique per platform: two items writing the
    // same staging path would overwrite each other.
    QMap<QString, qsizetype> seenIds;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const ItemSpec &item = items[i];
        if (item.id.isEmpty())
            continue;
        if (seenIds.contains(item.id)) {
            const ItemSpec &other = items[seenIds[item.id]];
            if (other.platforms & item.platforms)
                v.error(QStringLiteral("items (id \"%1\")").arg(item.id),
                        QStringLiteral("duplicate id on the same platform"));
        }
        seenIds.insert(item.id, i);
    }
    // Grouped by staged path, so the check stays linear in the number of items.
    QHash<QString, QList<qsizetype>> byStagedPath;
    for (qsizetype j = 0; j < items.size(); ++j) {
        if (items[j].id.isEmpty())
            continue;
        const QString staged = items[j].stagedPath();
        QList<qsizetype> &earlier = byStagedPath[staged];
        for (const qsizetype i : std::as_const(earlier))
            if ((items[i].platforms & items[j].platforms) && items[i].id != items[j].id)
                v.error(QStringLiteral("items (id \"%1\")").arg(items[j].id),
                        QStringLiteral("staged path \"%1\" is already used by \"%2\"").arg(staged, items[i].id));
        earlier.append(j);
    }

    if (!v.ok())
        return tl::unexpected(v.failure(sourcePath));
    profile.items = items;
    return profile;
}

Result<Profile> loadProfile(const QString &path, const ProfileLoadOptions &options)
{
    constexpr qint64 kMaxProfileBytes = 16 * 1024 * 1024;
    auto bytes = readConfigFile(path, kMaxProfileBytes);
    if (!bytes)
        return tl::unexpected(bytes.error());
    return parseProfile(*bytes, path, options);
}

Result<Profile> loadDefaultProfile(const ProfileLoadOptions &options)
{
    return loadProfile(QString::fromLatin1(kDefaultProfilePath), options);
}

namespace {
QString expandVariables(const QString &text, const Profile &profile, int depth);
}

QString expandVariables(const QString &text, const Profile &profile) { return expandVariables(text, profile, 0); }

namespace {
QString expandVariables(const QString &text, const Profile &profile, int depth)
{
    // Variables may refer to each other; the depth bound stops a cycle (A -> B -> A).
    constexpr int kMaxDepth = 8;
    if (depth > kMaxDepth || !text.contains(QStringLiteral("${")))
        return text;
    QString result;
    qsizetype last = 0;
    auto it = variablePattern().globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        result += QStringView(text).mid(last, match.capturedStart() - last);
        const QString name = match.captured(3);
        QString value;
        if (match.capturedLength(1) > 0) {
            value = match.captured(0).mid(1); // "$${X}" stands for a literal "${X}"
        } else if (match.capturedLength(2) > 0) {
            value = qEnvironmentVariable(name.toLocal8Bit().constData());
        } else if (profile.variables.contains(name)) {
            value = expandVariables(profile.variables.value(name), profile, depth + 1);
        } else if (name == QLatin1String("HOME")) {
            value = QDir::homePath();
        } else if (name == QLatin1String("TMPDIR")) {
            value = QDir::tempPath();
        } else if (name == QLatin1String("TOOL_LOG_DIR")) {
            value = paths::logDir();
        } else if (name == QLatin1String("PROFILE_DIR")) {
            value = profile.sourcePath.startsWith(QLatin1Char(':')) ? QString()
                                                                    : QFileInfo(profile.sourcePath).absolutePath();
        } else if (name == QLatin1String("USER")) {
            value = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
        }
        result += value;
        last = match.capturedEnd();
    }
    result += QStringView(text).mid(last);
    return result;
}
} // namespace

} // namespace dc::core
