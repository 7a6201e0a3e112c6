// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/fulllogs/fulllogging.h"

#include "core/bundle/staging.h"
#include "core/fulllogs/configedit.h"
#include "core/log/logging.h"
#include "core/util/paths.h"
#include "core/util/process.h"
#include "core/util/processidentity.h"
#include "core/util/safefs.h"
#include "core/util/sha256.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QProcessEnvironment>
#include <QStandardPaths>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>
#endif
#ifdef Q_OS_WIN
#include <QSettings>
#include <windows.h>
#endif

namespace dc::core {

namespace {

constexpr int kCommandTimeoutMs = 60000;
constexpr auto kStateFormat = "diagcollect-full-logging";

// ---- values ------------------------------------------------------------------

// Profile values are raw JSON scalars; INI and XML files hold them as text.
QString textOfScalar(const QString &raw)
{
    if (!raw.startsWith(QLatin1Char('"')))
        return raw;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + raw.toUtf8() + QByteArray("]"));
    return doc.array().at(0).toString();
}

bool sameValue(const QString &format, const QString &a, const QString &b)
{
    if (format == QLatin1String("json")) {
        const QJsonDocument da = QJsonDocument::fromJson(QByteArray("[") + a.toUtf8() + QByteArray("]"));
        const QJsonDocument db = QJsonDocument::fromJson(QByteArray("[") + b.toUtf8() + QByteArray("]"));
        return !da.isNull() && da == db;
    }
    return a.trimmed() == b.trimmed();
}

QString shellWords(const QStringList &argv)
{
    QStringList words;
    for (const QString &word : argv)
        words.append(word.contains(QLatin1Char(' ')) ? QLatin1Char('"') + word + QLatin1Char('"') : word);
    return words.join(QLatin1Char(' '));
}

// Runs a profile command (never through a shell) with stdin closed and a bound.
Result<void> runArgv(const QStringList &argv, const char *what)
{
    if (argv.isEmpty())
        return {};
    // The whole process tree is bounded (core/util/process.h): a restart command's
    // children that leave its session are killed at the timeout too.
    ProcessSpec spec;
    // Looked up in PATH like a shell would, unless it names a file ("./x", "/usr/bin/x").
    const QString program = argv.first();
    spec.program = program.contains(QLatin1Char('/')) ? QFileInfo(program).absoluteFilePath()
                                                      : QStandardPaths::findExecutable(program);
    spec.arguments = argv;
    spec.environment = QProcessEnvironment::systemEnvironment().toStringList();
    spec.timeoutMs = kCommandTimeoutMs;
    const ProcessOutcome run =
        spec.program.isEmpty() ? ProcessOutcome{.startError = QStringLiteral("not found")} : runProcessTree(spec);
    if (!run.startError.isEmpty())
        return fail(ErrorCode::Io, QStringLiteral("the %1 command %2 could not be started: %3")
                                       .arg(QLatin1String(what), shellWords(argv), run.startError));
    if (run.timedOut)
        return fail(ErrorCode::Io, QStringLiteral("the %1 command %2 did not finish within %3 s")
                                       .arg(QLatin1String(what), shellWords(argv))
                                       .arg(kCommandTimeoutMs / 1000));
    const QByteArray errors = run.stderrTail.trimmed();
    log::get("core")->info("full logging: {} command {} exited with {}", what, shellWords(argv), run.exitCode);
    if (!run.exited || run.exitCode != 0) {
        const QString lastLine = QString::fromUtf8(errors.mid(errors.lastIndexOf('\n') + 1));
        return fail(ErrorCode::Io, QStringLiteral("the %1 command %2 failed (exit status %3)%4")
                                       .arg(QLatin1String(what), shellWords(argv))
                                       .arg(run.exited ? run.exitCode : 128 + run.signal)
                                       .arg(lastLine.isEmpty() ? QString() : QStringLiteral(": ") + lastLine));
    }
    return {};
}

QStringList expandArgv(const QStringList &argv, const Profile &profile)
{
    QStringList result;
    for (const QString &word : argv)
        result.append(expandVariables(word, profile));
    return result;
}

// ---- registry (Windows) ------------------------------------------------------

QString normalizedRegistryKey(const QString &key)
{
    QString k = key;
    if (k.startsWith(QStringLiteral("HKLM\\")))
        k = QStringLiteral("HKEY_LOCAL_MACHINE\\") + k.mid(5);
    else if (k.startsWith(QStringLiteral("HKCU\\")))
        k = QStringLiteral("HKEY_CURRENT_USER\\") + k.mid(5);
    return k;
}

Result<ConfigValue> readRegistry(const QString &key, const QString &name)
{
#ifdef Q_OS_WIN
    QSettings settings(normalizedRegistryKey(key), QSettings::NativeFormat);
    if (!settings.contains(name))
        return ConfigValue{};
    const QVariant value = settings.value(name);
    // Integers (REG_DWORD) are kept as JSON numbers, strings as JSON strings.
    if (value.typeId() == QMetaType::Int || value.typeId() == QMetaType::UInt || value.typeId() == QMetaType::LongLong)
        return ConfigValue{true, QString::number(value.toLongLong())};
    return ConfigValue{
        true, QString::fromUtf8(
                  QJsonDocument(QJsonArray{value.toString()}).toJson(QJsonDocument::Compact).mid(1).chopped(1))};
#else
    Q_UNUSED(key);
    Q_UNUSED(name);
    return fail(ErrorCode::Usage, QStringLiteral("the registry method of full_logging works only on Windows"));
#endif
}

Result<void> writeRegistry(const QString &key, const QString &name, const std::optional<QString> &raw)
{
#ifdef Q_OS_WIN
    QSettings settings(normalizedRegistryKey(key), QSettings::NativeFormat);
    if (!raw) {
        settings.remove(name);
    } else if (raw->startsWith(QLatin1Char('"'))) {
        settings.setValue(name, textOfScalar(*raw));
    } else {
        settings.setValue(name, raw->toInt()); // REG_DWORD
    }
    settings.sync();
    if (settings.status() != QSettings::NoError)
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1\\%2 (administrator rights?)").arg(key, name));
    return {};
#else
    Q_UNUSED(key);
    Q_UNUSED(name);
    Q_UNUSED(raw);
    return fail(ErrorCode::Usage, QStringLiteral("the registry method of full_logging works only on Windows"));
#endif
}

// ---- the recorded value ------------------------------------------------------

// Who may own the configuration file and its folders: root and the service account.
safefs::Trust trustOf(const FullLoggingRecord &r)
{
    safefs::Trust trust;
    if (r.accountUid >= 0)
        trust.owners.append(quint32(r.accountUid));
    return trust;
}

// Reads the current value of the record's target.
Result<ConfigValue> readTarget(const FullLoggingRecord &r)
{
    if (r.method == QLatin1String("registry"))
        return readRegistry(r.file, r.key);
    const auto format = configFormatFromName(r.format);
    if (!format)
        return fail(ErrorCode::Io, QStringLiteral("unknown configuration format \"%1\"").arg(r.format));
    return readConfigValue(r.file, *format, r.key, trustOf(r));
}

Result<void> writeTarget(const FullLoggingRecord &r, const std::optional<QString> &value)
{
    if (r.method == QLatin1String("registry"))
        return writeRegistry(r.file, r.key, value);
    const auto format = configFormatFromName(r.format);
    if (!format)
        return fail(ErrorCode::Io, QStringLiteral("unknown configuration format \"%1\"").arg(r.format));
    return writeConfigValue(r.file, *format, r.key, value, trustOf(r));
}

QByteArray sha256Hex(const QByteArray &bytes) { return Sha256::hex(bytes); }

QString describeDuration(qint64 seconds)
{
    if (seconds <= 0)
        return QStringLiteral("no time");
    const qint64 minutes = (seconds + 59) / 60;
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    return QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

QString damagedMessage(const QString &file, const QString &problem)
{
    return QStringLiteral("the full-logging state file %1 is damaged (%2). The product's logging may still be at "
                          "full and its previous level is unknown: check the product's logging setting, then run "
                          "'diagcollect full-logging off --forget' to delete the file.")
        .arg(QDir::toNativeSeparators(file), problem);
}

// Serializes state-file changes between processes (two starts recovering at once).
class StateLock
{
public:
    explicit StateLock(const QString &stateFile)
        : m_lock(stateFile + QStringLiteral(".lock"))
    {
        m_lock.setStaleLockTime(2 * kCommandTimeoutMs + 30000);
    }
    Result<void> acquire()
    {
        if (!makePrivateDirs(QFileInfo(m_lock.fileName()).absolutePath()) || !m_lock.tryLock(kCommandTimeoutMs))
            return fail(ErrorCode::Io, QStringLiteral("cannot lock %1: another diagcollect is changing the "
                                                      "product's logging level, or the folder is not writable")
                                           .arg(QDir::toNativeSeparators(m_lock.fileName())));
        return {};
    }

private:
    QLockFile m_lock;
};

} // namespace

// ---- FullLoggingRecord -------------------------------------------------------

QJsonObject FullLoggingRecord::toJson() const
{
    QJsonObject o{
        {QStringLiteral("format"), QLatin1String(kStateFormat)},
        {QStringLiteral("format_version"), 1},
        {QStringLiteral("product"), product},
        {QStringLiteral("profile"), profileSource},
        {QStringLiteral("method"), method},
        {QStringLiteral("started"), started.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("expires"), expires.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("owner"), ownerPid <= 0
                                      ? QJsonValue()
                                      : QJsonObject{{QStringLiteral("pid"), ownerPid},
                                                    {QStringLiteral("start_time"), QString::fromLatin1(ownerStartTime)},
                                                    {QStringLiteral("boot_id"), QString::fromLatin1(bootId)}}},
        {QStringLiteral("restart"), QJsonArray::fromStringList(restartArgv)},
    };
    if (method == QLatin1String("commands")) {
        o.insert(QStringLiteral("restore"), QJsonArray::fromStringList(restoreArgv));
    } else {
        o.insert(method == QLatin1String("registry") ? QStringLiteral("key") : QStringLiteral("file"), file);
        if (method == QLatin1String("config"))
            o.insert(QStringLiteral("config_format"), format);
        o.insert(method == QLatin1String("registry") ? QStringLiteral("value") : QStringLiteral("config_key"), key);
        o.insert(QStringLiteral("existed"), existed);
        o.insert(QStringLiteral("previous"), existed ? QJsonValue(previous) : QJsonValue());
        o.insert(QStringLiteral("full_value"), fullValue);
        if (method == QLatin1String("config")) {
            if (!originalBytes.isNull())
                o.insert(QStringLiteral("original_base64"), QString::fromLatin1(originalBytes.toBase64()));
            if (!writtenSha256.isEmpty())
                o.insert(QStringLiteral("written_sha256"), QString::fromLatin1(writtenSha256));
            if (!account.isEmpty()) {
                o.insert(QStringLiteral("account"), account);
                o.insert(QStringLiteral("account_uid"), accountUid);
            }
        }
    }
    return o;
}

Result<FullLoggingRecord> FullLoggingRecord::fromJson(const QByteArray &bytes)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (doc.isNull())
        return fail(ErrorCode::Io, QStringLiteral("not valid JSON: %1").arg(parseError.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String(kStateFormat) ||
        o.value(QStringLiteral("format_version")).toInt() != 1)
        return fail(ErrorCode::Io, QStringLiteral("not a diagcollect full-logging state, version 1"));
    FullLoggingRecord r;
    r.product = o.value(QStringLiteral("product")).toString();
    r.profileSource = o.value(QStringLiteral("profile")).toString();
    r.method = o.value(QStringLiteral("method")).toString();
    r.started = QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    r.expires = QDateTime::fromString(o.value(QStringLiteral("expires")).toString(), Qt::ISODateWithMs);
    const QJsonObject owner = o.value(QStringLiteral("owner")).toObject();
    r.ownerPid = owner.value(QStringLiteral("pid")).toInteger();
    r.ownerStartTime = owner.value(QStringLiteral("start_time")).toString().toLatin1();
    r.bootId = owner.value(QStringLiteral("boot_id")).toString().toLatin1();
    for (const QJsonValue &word : o.value(QStringLiteral("restart")).toArray())
        r.restartArgv.append(word.toString());
    if (!r.expires.isValid() || !r.started.isValid())
        return fail(ErrorCode::Io, QStringLiteral("\"started\" or \"expires\" is missing or not a time"));
    if (r.method == QLatin1String("commands")) {
        for (const QJsonValue &word : o.value(QStringLiteral("restore")).toArray())
            r.restoreArgv.append(word.toString());
        if (r.restoreArgv.isEmpty())
            return fail(ErrorCode::Io, QStringLiteral("\"restore\" is missing"));
        return r;
    }
    if (r.method != QLatin1String("config") && r.method != QLatin1String("registry"))
        return fail(ErrorCode::Io, QStringLiteral("unknown method \"%1\"").arg(r.method));
    const bool registry = r.method == QLatin1String("registry");
    r.file = o.value(registry ? QStringLiteral("key") : QStringLiteral("file")).toString();
    r.format = o.value(QStringLiteral("config_format")).toString();
    r.key = o.value(registry ? QStringLiteral("value") : QStringLiteral("config_key")).toString();
    r.existed = o.value(QStringLiteral("existed")).toBool();
    r.previous = o.value(QStringLiteral("previous")).toString();
    r.fullValue = o.value(QStringLiteral("full_value")).toString();
    if (o.contains(QStringLiteral("original_base64")))
        r.originalBytes = QByteArray::fromBase64(o.value(QStringLiteral("original_base64")).toString().toLatin1());
    r.writtenSha256 = o.value(QStringLiteral("written_sha256")).toString().toLatin1();
    r.account = o.value(QStringLiteral("account")).toString();
    r.accountUid = o.value(QStringLiteral("account_uid")).toInteger(-1);
    if (r.file.isEmpty() || r.key.isEmpty() || (!registry && !configFormatFromName(r.format)) ||
        !o.value(QStringLiteral("existed")).isBool() || (r.existed && !o.value(QStringLiteral("previous")).isString()))
        return fail(ErrorCode::Io, QStringLiteral("the recorded %1 value is incomplete").arg(r.method));
    return r;
}

QString FullLoggingRecord::target() const
{
    if (method == QLatin1String("commands"))
        return shellWords(restoreArgv);
    if (method == QLatin1String("registry"))
        return file + QLatin1Char('\\') + key;
    return QStringLiteral("%1 in %2").arg(key, QDir::toNativeSeparators(file));
}

// ---- FullLoggingStatus -------------------------------------------------------

qint64 FullLoggingStatus::secondsLeft() const
{
    if (!active)
        return 0;
    return qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(record.expires));
}

QJsonObject FullLoggingStatus::toJson() const
{
    QJsonObject o{{QStringLiteral("state"), active ? QStringLiteral("full") : QStringLiteral("normal")},
                  {QStringLiteral("state_file"), stateFile}};
    if (!active)
        return o;
    o.insert(QStringLiteral("product"), record.product);
    o.insert(QStringLiteral("profile"), record.profileSource);
    o.insert(QStringLiteral("method"), record.method);
    o.insert(QStringLiteral("target"), record.target());
    o.insert(QStringLiteral("started"), record.started.toUTC().toString(Qt::ISODate));
    o.insert(QStringLiteral("expires"), record.expires.toUTC().toString(Qt::ISODate));
    o.insert(QStringLiteral("seconds_left"), secondsLeft());
    o.insert(QStringLiteral("owner_pid"), record.ownerPid > 0 ? QJsonValue(record.ownerPid) : QJsonValue());
    o.insert(QStringLiteral("owner_alive"), ownerAlive);
    if (record.method != QLatin1String("commands")) {
        o.insert(QStringLiteral("previous"), record.existed ? QJsonValue(record.previous) : QJsonValue());
        o.insert(QStringLiteral("full_value"), record.fullValue);
    }
    return o;
}

QString FullLoggingStatus::describe() const
{
    if (!active)
        return QStringLiteral("Full logging is off: products log at their normal level.");
    QString text =
        QStringLiteral("Full logging is on for %1 (%2) since %3 UTC; %4 left, restored automatically "
                       "after %5 UTC.")
            .arg(record.product.isEmpty() ? QStringLiteral("the product") : record.product, record.target(),
                 record.started.toUTC().toString(QStringLiteral("yyyy-MM-dd hh:mm")), describeDuration(secondsLeft()),
                 record.expires.toUTC().toString(QStringLiteral("yyyy-MM-dd hh:mm")));
    if (record.ownerPid > 0)
        text += ownerAlive ? QStringLiteral(" Held by diagcollect process %1.").arg(record.ownerPid)
                           : QStringLiteral(" The process that raised it (%1) is gone: the next start restores it.")
                                 .arg(record.ownerPid);
    text += QStringLiteral("\nTurn it off now with: diagcollect full-logging off");
    return text;
}

// ---- FullLogging -------------------------------------------------------------

QString fullLoggingStateDir()
{
    // As root honoured only for a folder nobody else can change (paths::honoursOverride).
    const QString overridden = qEnvironmentVariable("DIAGCOLLECT_STATE_DIR");
    if (!overridden.isEmpty() && QDir::isAbsolutePath(overridden) && paths::honoursOverride(overridden))
        return overridden;
    if (paths::isAdministrator()) {
#if defined(Q_OS_WIN)
        return qEnvironmentVariable("ProgramData", QStringLiteral("C:\\ProgramData")) + QStringLiteral("\\diagcollect");
#elif defined(Q_OS_MACOS)
        return QStringLiteral("/Library/Application Support/diagcollect");
#else
        return QStringLiteral("/var/lib/diagcollect");
#endif
    }
    return paths::dataDir();
}

FullLogging::FullLogging(QString stateDir)
    : m_stateDir(stateDir.isEmpty() ? fullLoggingStateDir() : std::move(stateDir))
{
}

QString FullLogging::stateFile() const { return m_stateDir + QLatin1Char('/') + QLatin1String(kFullLoggingStateFile); }

Result<FullLoggingStatus> FullLogging::status() const
{
    FullLoggingStatus status;
    status.stateFile = stateFile();
    const QFileInfo info(status.stateFile);
    if (!info.exists() && !info.isSymLink())
        return status;
    auto opened = safefs::openRegular(QDir::cleanPath(info.absoluteFilePath()));
    if (!opened)
        return fail(ErrorCode::Io, QStringLiteral("cannot read the full-logging state file %1: %2")
                                       .arg(QDir::toNativeSeparators(status.stateFile), opened.error().message));
    auto bytes = safefs::readAll(opened->fd.get(), 1024 * 1024, status.stateFile);
    if (!bytes)
        return fail(ErrorCode::Io, damagedMessage(status.stateFile, bytes.error().message));
    auto record = FullLoggingRecord::fromJson(*bytes);
    if (!record)
        return fail(ErrorCode::Io, damagedMessage(status.stateFile, record.error().message));
    status.active = true;
    status.record = *record;
    status.ownerAlive =
        record->ownerPid > 0 && processidentity::isAlive(record->ownerPid, record->ownerStartTime, record->bootId);
    return status;
}

namespace {

// The state file is written, read and removed without following a symlink.
Result<void> writeState(const QString &path, const FullLoggingRecord &record)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!makePrivateDirs(dir))
        return fail(ErrorCode::Io, QStringLiteral("cannot create %1").arg(dir));
    auto folder = safefs::openDir(dir);
    if (!folder)
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, folder.error().message));
    const QByteArray bytes = QJsonDocument(record.toJson()).toJson(QJsonDocument::Indented);
    safefs::WriteOptions options;
    options.mode = 0600;
    options.replace = true;
    if (auto written = safefs::writeFileAt(folder->get(), QFileInfo(path).fileName(), bytes, options); !written)
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, written.error().message));
    return {};
}

// True when the state file is gone afterwards.
bool removeState(const QString &path)
{
    auto folder = safefs::openDir(QFileInfo(path).absolutePath());
    if (!folder)
        return !QFileInfo::exists(path);
#ifdef Q_OS_UNIX
    const QByteArray name = QFile::encodeName(QFileInfo(path).fileName());
    return ::unlinkat(folder->get(), name.constData(), 0) == 0 || errno == ENOENT;
#else
    return QFile::remove(path) || !QFileInfo::exists(path);
#endif
}

// Restores a config target: the original bytes when the file still holds exactly
// what the raise wrote, else only the key. Returns the message for the user.
Result<QString> restoreConfig(const FullLoggingRecord &r, const QString &product, const QString &why)
{
    const QFileInfo info(r.file);
    if (!info.exists() && !info.isSymLink())
        return QStringLiteral("%1 no longer exists: nothing to restore for %2 (%3)")
            .arg(QDir::toNativeSeparators(r.file), product, why);
    auto read = readTrustedConfig(r.file, trustOf(r));
    if (!read)
        return tl::unexpected(read.error());
    const QString previousText = r.existed ? textOfScalar(r.previous) : QStringLiteral("unset");
    if (!r.originalBytes.isNull() && !r.writtenSha256.isEmpty() && sha256Hex(read->bytes) == r.writtenSha256) {
        if (read->bytes != r.originalBytes)
            if (auto written = replaceTrustedConfig(r.file, r.originalBytes, trustOf(r)); !written)
                return tl::unexpected(written.error());
        return QStringLiteral("restored the normal logging level of %1: %2 is %3 again and the file is as it was "
                              "(%4)")
            .arg(product, r.target(), previousText, why);
    }
    const ConfigFormat format = *configFormatFromName(r.format);
    auto current = readConfigText(read->bytes, format, r.key);
    if (!current)
        return fail(current.error().code, r.file + QStringLiteral(": ") + current.error().message);
    if (!current->exists || !sameValue(r.format, current->value, r.fullValue))
        // Someone changed the setting since: their choice wins.
        return QStringLiteral("left %1 as it is: it was changed since full logging was turned on (%2)")
            .arg(r.target(), why);
    std::optional<QString> previous;
    if (r.existed)
        previous = r.previous;
    auto edited = editConfigText(read->bytes, format, r.key, previous);
    if (!edited)
        return fail(edited.error().code, r.file + QStringLiteral(": ") + edited.error().message);
    if (*edited != read->bytes)
        if (auto written = replaceTrustedConfig(r.file, *edited, trustOf(r)); !written)
            return tl::unexpected(written.error());
    return QStringLiteral("restored the normal logging level of %1: %2 is %3 again; the file was changed since "
                          "full logging was turned on, so only this setting was changed back (%4)")
        .arg(product, r.target(), previousText, why);
}

// Restores what the record says; the caller holds the lock.
Result<RestoreReport> restoreRecord(const QString &stateFile, const FullLoggingRecord &r, const QString &why)
{
    auto logger = log::get("core");
    RestoreReport report;
    report.restored = true;
    const QString product = r.product.isEmpty() ? QStringLiteral("the product") : r.product;
    if (r.method == QLatin1String("commands")) {
        if (auto ran = runArgv(r.restoreArgv, "restore"); !ran)
            return fail(ErrorCode::Io, QStringLiteral("could not restore the normal logging level of %1: %2; "
                                                      "the next start tries again")
                                           .arg(product, ran.error().message));
        report.message = QStringLiteral("restored the normal logging level of %1 (%2)").arg(product, why);
    } else if (r.method == QLatin1String("config")) {
        auto restored = restoreConfig(r, product, why);
        if (!restored)
            return fail(restored.error().code, QStringLiteral("could not restore the normal logging level of %1: %2; "
                                                              "the next start tries again")
                                                   .arg(product, restored.error().message));
        report.message = *restored;
    } else {
        auto current = readTarget(r);
        if (!current) {
            return fail(ErrorCode::Io, QStringLiteral("could not restore the normal logging level of %1: %2; "
                                                      "the next start tries again")
                                           .arg(product, current.error().message));
        } else if (!current->exists || !sameValue(r.format, current->value, r.fullValue)) {
            // Someone changed the setting since: their choice wins.
            report.message = QStringLiteral("left %1 as it is: it was changed since full logging was turned on (%2)")
                                 .arg(r.target(), why);
        } else {
            std::optional<QString> previous;
            if (r.existed)
                previous = r.previous;
            if (auto written = writeTarget(r, previous); !written)
                return fail(ErrorCode::Io, QStringLiteral("could not restore the normal logging level of %1: %2; "
                                                          "the next start tries again")
                                               .arg(product, written.error().message));
            report.message =
                QStringLiteral("restored the normal logging level of %1: %2 is %3 again (%4)")
                    .arg(product, r.target(), r.existed ? textOfScalar(r.previous) : QStringLiteral("unset"), why);
        }
    }
    // The level is back: from here on a failure must not restore it twice.
    if (!removeState(stateFile))
        report.warnings.append(QStringLiteral("cannot remove %1").arg(QDir::toNativeSeparators(stateFile)));
    if (auto restarted = runArgv(r.restartArgv, "restart"); !restarted)
        report.warnings.append(restarted.error().message +
                               QStringLiteral(": the product keeps logging at full until it restarts"));
    logger->info("full logging: {}", report.message);
    for (const QString &warning : std::as_const(report.warnings))
        logger->warn("full logging: {}", warning);
    return report;
}

} // namespace

Result<FullLoggingStatus> FullLogging::raise(const Profile &profile, int minutes, Owner owner)
{
    const FullLoggingSpec &spec = profile.fullLogging;
    if (!spec.isSet())
        return fail(ErrorCode::Usage,
                    QStringLiteral("the profile \"%1\" does not say how to raise the product's logging "
                                   "(no product.full_logging)")
                        .arg(profile.name));
    if (minutes <= 0 || minutes > spec.maxMinutes)
        minutes = spec.maxMinutes;

    StateLock lock(stateFile());
    if (auto locked = lock.acquire(); !locked)
        return tl::unexpected(locked.error());
    auto current = status();
    if (!current)
        return tl::unexpected(current.error());

    FullLoggingRecord r;
    r.product = profile.productName;
    r.profileSource = profile.sourcePath;
    r.started = QDateTime::currentDateTimeUtc();
    r.expires = r.started.addSecs(qint64(minutes) * 60);
    if (owner == Owner::ThisProcess) {
        r.ownerPid = QCoreApplication::applicationPid();
        r.ownerStartTime = processidentity::startTime(r.ownerPid);
        r.bootId = processidentity::currentBootId();
    }
    r.restartArgv = expandArgv(spec.restartArgv, profile);
    QStringList raiseArgv;
    switch (spec.method) {
    case FullLoggingSpec::Method::Config:
        r.method = QStringLiteral("config");
        r.file = QDir::cleanPath(QFileInfo(expandVariables(spec.configFile, profile)).absoluteFilePath());
        r.format = spec.configFormat;
        r.key = spec.configKey;
        r.fullValue = spec.configFormat == QLatin1String("json") ? spec.fullValue : textOfScalar(spec.fullValue);
        break;
    case FullLoggingSpec::Method::Commands:
        r.method = QStringLiteral("commands");
        raiseArgv = expandArgv(spec.raiseArgv, profile);
        r.restoreArgv = expandArgv(spec.restoreArgv, profile);
        break;
    case FullLoggingSpec::Method::Registry:
        r.method = QStringLiteral("registry");
        r.file = normalizedRegistryKey(spec.registryKey);
        r.key = spec.registryValue;
        r.fullValue = spec.registryData;
        break;
    case FullLoggingSpec::Method::None:
        break;
    }

    if (current->active) {
        if (current->record.method != r.method || current->record.target() != r.target())
            return fail(ErrorCode::Usage,
                        QStringLiteral("full logging is already on for %1 (%2); turn it off first with "
                                       "'diagcollect full-logging off'")
                            .arg(current->record.product, current->record.target()));
        // The same target: keep the recorded previous value, move the time cap.
        FullLoggingRecord extended = current->record;
        extended.expires = qMax(extended.expires, r.expires);
        if (owner == Owner::Detached)
            extended.ownerPid = 0; // an explicit `on` outlives the process that raised it
        if (auto written = writeState(stateFile(), extended); !written)
            return tl::unexpected(written.error());
        auto now = status();
        if (now)
            now->joined = true;
        return now;
    }

    QByteArray editedConfig; // config: the bytes the raise writes
    if (r.method == QLatin1String("config")) {
        if (!spec.serviceAccount.isEmpty()) {
            const auto uid = safefs::uidOfAccount(spec.serviceAccount);
            if (!uid)
                return fail(
                    ErrorCode::Profile,
                    QStringLiteral("the product's service account \"%1\" (product.full_logging.service.account) "
                                   "does not exist on this machine")
                        .arg(spec.serviceAccount));
            r.account = spec.serviceAccount;
            r.accountUid = qint64(*uid);
        }
        // One read: the previous value, the original bytes and the edit all come from it.
        auto read = readTrustedConfig(r.file, trustOf(r));
        if (!read)
            return tl::unexpected(read.error());
        const ConfigFormat format = *configFormatFromName(r.format);
        auto previous = readConfigText(read->bytes, format, r.key);
        if (!previous)
            return fail(previous.error().code, r.file + QStringLiteral(": ") + previous.error().message);
        auto edited = editConfigText(read->bytes, format, r.key, r.fullValue);
        if (!edited)
            return fail(edited.error().code, r.file + QStringLiteral(": ") + edited.error().message);
        r.existed = previous->exists;
        r.previous = previous->value;
        r.originalBytes = read->bytes.isNull() ? QByteArray("") : read->bytes;
        r.writtenSha256 = sha256Hex(*edited);
        editedConfig = *edited;
    } else if (r.method != QLatin1String("commands")) {
        auto previous = readTarget(r);
        if (!previous)
            return tl::unexpected(previous.error());
        r.existed = previous->exists;
        r.previous = previous->value;
    }
    // Recorded before anything changes: a crash from here on is recovered.
    if (auto written = writeState(stateFile(), r); !written)
        return tl::unexpected(written.error());
    Result<void> applied;
    if (r.method == QLatin1String("commands"))
        applied = runArgv(raiseArgv, "raise");
    else if (r.method == QLatin1String("config"))
        applied =
            editedConfig == r.originalBytes ? Result<void>() : replaceTrustedConfig(r.file, editedConfig, trustOf(r));
    else
        applied = writeTarget(r, r.fullValue);
    if (!applied) {
        removeState(stateFile());
        return fail(applied.error().code,
                    QStringLiteral("could not raise the logging level: %1").arg(applied.error().message));
    }
    if (auto restarted = runArgv(r.restartArgv, "restart"); !restarted) {
        // The product did not pick up the level: put the previous one back.
        (void)restoreRecord(stateFile(), r, QStringLiteral("the restart failed"));
        return fail(ErrorCode::Io,
                    QStringLiteral("%1; the previous logging level was put back").arg(restarted.error().message));
    }
    log::get("core")->info("full logging: raised {} until {}", r.target(), r.expires.toString(Qt::ISODate));
    return status();
}

Result<RestoreReport> FullLogging::restore(const QString &why)
{
    StateLock lock(stateFile());
    if (auto locked = lock.acquire(); !locked)
        return tl::unexpected(locked.error());
    auto current = status();
    if (!current)
        return tl::unexpected(current.error());
    if (!current->active)
        return RestoreReport{false, QStringLiteral("full logging is not on"), {}};
    return restoreRecord(stateFile(), current->record, why);
}

Result<RestoreReport> FullLogging::releaseOwn()
{
    StateLock lock(stateFile());
    if (auto locked = lock.acquire(); !locked)
        return tl::unexpected(locked.error());
    auto current = status();
    if (!current)
        return tl::unexpected(current.error());
    if (!current->active)
        return RestoreReport{false, QStringLiteral("full logging is not on"), {}};
    const qint64 self = QCoreApplication::applicationPid();
    if (current->record.ownerPid != self)
        return RestoreReport{false,
                             QStringLiteral("full logging stays on: it was turned on separately (until %1 UTC)")
                                 .arg(current->record.expires.toUTC().toString(QStringLiteral("yyyy-MM-dd hh:mm"))),
                             {}};
    return restoreRecord(stateFile(), current->record, QStringLiteral("collection finished"));
}

Result<RestoreReport> FullLogging::restoreIfStale()
{
    if (!QFileInfo::exists(stateFile()))
        return RestoreReport{};
    StateLock lock(stateFile());
    if (auto locked = lock.acquire(); !locked)
        return tl::unexpected(locked.error());
    auto current = status();
    if (!current)
        return tl::unexpected(current.error());
    if (!current->active)
        return RestoreReport{};
    if (current->expired())
        return restoreRecord(stateFile(), current->record,
                             QStringLiteral("its time cap passed at %1 UTC")
                                 .arg(current->record.expires.toUTC().toString(QStringLiteral("yyyy-MM-dd hh:mm"))));
    if (current->record.ownerPid > 0 && !current->ownerAlive)
        return restoreRecord(
            stateFile(), current->record,
            QStringLiteral("diagcollect process %1 that turned it on is gone").arg(current->record.ownerPid));
    return RestoreReport{};
}

Result<void> FullLogging::forget()
{
    StateLock lock(stateFile());
    if (auto locked = lock.acquire(); !locked)
        return tl::unexpected(locked.error());
    if (!removeState(stateFile()))
        return fail(ErrorCode::Io, QStringLiteral("cannot remove %1").arg(QDir::toNativeSeparators(stateFile())));
    log::get("core")->warn("full logging: state file {} deleted without restoring", stateFile());
    return {};
}

Result<RestoreReport> recoverFullLogging(const QString &stateDir) { return FullLogging(stateDir).restoreIfStale(); }

ItemSpec withFullLogExtras(ItemSpec item)
{
    if (!item.productData)
        return item;
    item.maxBytes = 0; // no per-file cap
    if (item.kind == ItemKind::Files) {
        item.files.maxAgeDays = 0;
        item.files.maxFiles = 0;
        item.files.rotated = true;
        item.files.compressed = true;
    }
    return item;
}

} // namespace dc::core
