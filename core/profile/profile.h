// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/util/result.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace dc::core {

// What a profile item is about. The string forms ("service-logs", ...) are the
// manifest keys and the top-level folders of the staging area and archive.
enum class Category { ServiceLogs, OsConfig, SystemLogs, EventHistory, CrashDumps, Tool };
inline constexpr Category kAllCategories[] = {Category::ServiceLogs,  Category::OsConfig,   Category::SystemLogs,
                                              Category::EventHistory, Category::CrashDumps, Category::Tool};
QString categoryKey(Category category);
// Translated, human name of a category ("Service logs").
QString categoryTitle(Category category);

enum class ItemKind { Files, Command, Probe };
QString itemKindKey(ItemKind kind);

enum Platform : unsigned { Linux = 1, Windows = 2, MacOS = 4, AllPlatforms = 7 };
// The bit of the platform this binary runs on.
unsigned currentPlatformBit();

struct FilesSpec
{
    QStringList paths;       // absolute paths, directories or globs (*, ?, [..]); ${VARS} allowed
    QStringList exclude;     // file-name globs never collected
    int maxAgeDays = 0;      // 0: any age
    bool rotated = false;    // also collect rotated siblings (name.1, name-20240101, ...)
    bool compressed = false; // and compressed ones (.gz, .xz, .bz2, .zst)
    bool recursive = true;   // descend into directories named in paths
    int maxFiles = 1000;     // stop after this many files (newest first), recorded as truncated
    bool tail = true;        // over max_bytes, keep the newest bytes (logs) instead of the first
    // Collect through a symbolic link whose target is owned by root or the folder's owner
    // and stays below the pattern's root; false: links are skipped with the reason.
    bool followSymlinks = false;
};

struct CommandSpec
{
    QStringList argv; // argv[0] is looked up in PATH; never run through a shell
    int timeoutMs = 20000;
    QMap<QString, QString> env; // added to a sanitized environment
    QList<int> noDataExitCodes; // exit codes that mean "nothing found" when there is no output
};

struct ProbeSpec
{
    QString name;                // a built-in probe, see core/collectors/probes.h
    QMap<QString, QString> args; // probe-specific string arguments
};

struct ItemSpec
{
    QString id;                      // stable kebab-case: manifest key, CLI selector
    QString title;                   // English: the manifest, the JSON outputs
    QMap<QString, QString> titles;   // the profile's own translations of title by language ("ja")
    QMap<QString, QString> purposes; // and of purpose (core/profile/profiletexts.h shows them)
    ItemKind kind = ItemKind::Files;
    Category category = Category::OsConfig;
    QString purpose; // why support needs it, shown to the user
    bool essential = false;
    unsigned platforms = AllPlatforms;
    bool fullLogsOnly = false;
    bool needsAdmin = false;  // without rights: skipped, "needs administrator rights"
    QStringList requirements; // conditions checked before running, see unmetRequirement()
    bool redactable = true;   // false for binary data (crash dumps): excluded from text redaction
    bool productData = false; // the product's logs or crash dumps: uncapped in full-log mode
    QString dest;             // staging path below the category folder
    qint64 maxBytes = 0;      // per file (files) or output cap (command/probe)
    qint64 estimateBytes = 0; // the profile's size estimate for `list --estimate`, 0 = unknown
    FilesSpec files;
    CommandSpec command;
    ProbeSpec probe;

    bool appliesTo(unsigned platformBit) const { return (platforms & platformBit) != 0; }
    // Staging-relative path: "<category>/<dest>" (dest defaults to id, plus ".txt" for commands).
    QString stagedPath() const;
};

struct Limits
{
    qint64 totalBytes = 200LL * 1024 * 1024; // whole-run budget, newest data kept
    qint64 itemBytes = 32LL * 1024 * 1024;   // default per-item cap
    int commandTimeoutMs = 20000;
};

// Where and how archives are sent (docs/UPLOAD.md); url empty: the profile names no endpoint.
struct UploadSettings
{
    QString url;       // https:// URL or template with {case} and {file}
    QString caCert;    // extra PEM CA bundle; ${VARIABLES} expanded
    QString pinSha256; // SHA-256 of the server's SubjectPublicKeyInfo, hex or base64
    qint64 chunkBytes = 8LL * 1024 * 1024;
    QString tokenEnv; // environment variable holding the bearer token
    QString caseHeader = QStringLiteral("X-Case-Id");
};

// Sealing to support's public key (docs/SEALING.md); publicKey empty: no key.
struct SealSettings
{
    QByteArray publicKey;  // 32 raw bytes (X25519)
    bool required = false; // collect refuses to leave an unsealed archive
};

// How the product's logging is raised to "full" and restored (product.full_logging,
// docs/PROFILE.md#full-logging). Exactly one method; paths and argv may hold ${VARIABLES}.
struct FullLoggingSpec
{
    enum class Method { None, Config, Commands, Registry };
    Method method = Method::None;
    // Config: a key in an INI ("section.key"), JSON ("a.b") or XML ("root.child") file.
    QString configFile;
    QString configFormat; // "ini", "json" or "xml"
    QString configKey;
    QString fullValue; // the value that means full logging (JSON: raw JSON text of a scalar)
    // Commands: argv run to raise and to restore.
    QStringList raiseArgv;
    QStringList restoreArgv;
    // Registry (Windows): value `registryValue` of key `registryKey` set to `registryData`.
    QString registryKey;
    QString registryValue;
    QString registryData;
    // Run after raising and after restoring so the product picks up the level.
    QStringList restartArgv;
    // The product's service account (service.account): besides root, it may own the
    // configuration file and its folders (docs/SECURITY.md).
    QString serviceAccount;
    int maxMinutes = 120; // time cap: restored at the next start after it passed

    bool isSet() const { return method != Method::None; }
};

struct Profile
{
    int formatVersion = 1;
    QString name;
    QString description;
    QMap<QString, QString> descriptions; // the profile's own translations of description by language
    QString productName;
    QString sourcePath; // the file it was read from, or ":/profiles/default.json"
    QByteArray sha256;  // hex digest of the profile bytes, recorded in the manifest
    Limits limits;
    QMap<QString, QString> variables; // profile variables, already merged with overrides
    QList<ItemSpec> items;            // every platform's, in profile order
    UploadSettings upload;
    SealSettings seal;
    int retentionDays = 14; // archives in the output folder expire after this many days
    FullLoggingSpec fullLogging;

    // The items that run here, in profile order.
    QList<ItemSpec> itemsFor(unsigned platformBit, bool fullLogs) const;
};

struct ProfileLoadOptions
{
    QMap<QString, QString> defines; // --define NAME=VALUE, wins over the profile's variables
};

// The most items a profile may have (docs/PROFILE.md); validation is linear, the
// bound keeps a generated or corrupted profile from becoming a long run.
inline constexpr int kMaxProfileItems = 10000;

// Parses and validates a profile. Every problem is reported with the JSON path it
// was found at ("items[3].timeout: expected a positive number"), one per line;
// the error code is ErrorCode::Profile. A key given twice in one object, and
// variables that refer to each other in a cycle, are errors too.
Result<Profile> parseProfile(const QByteArray &json, const QString &sourcePath, const ProfileLoadOptions &options = {});
Result<Profile> loadProfile(const QString &path, const ProfileLoadOptions &options = {});
// The profile embedded in the binary (resources/profiles/default.json).
Result<Profile> loadDefaultProfile(const ProfileLoadOptions &options = {});
inline constexpr auto kDefaultProfilePath = ":/profiles/default.json";

// The requirement names a profile item may list in "requires", with what they check.
const QMap<QString, QString> &knownRequirements();
// Why this machine cannot run the item (administrator rights or a requirement
// missing), or an empty string when it can.
QString unmetRequirement(const ItemSpec &item, bool administrator);

// Expands ${NAME} and ${env:NAME} in text with the profile's variables and the
// built-ins (HOME, TMPDIR, TOOL_LOG_DIR, PROFILE_DIR, USER). Unknown names expand
// to nothing; the loader has already rejected them.
QString expandVariables(const QString &text, const Profile &profile);

} // namespace dc::core
