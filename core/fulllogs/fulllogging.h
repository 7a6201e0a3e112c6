// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include "core/profile/profile.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace dc::core {

// Full-log mode (docs/PROFILE.md#full-logging): raises the product's logging to
// "full" as the profile's product.full_logging says, and restores it.
//
// Before anything changes, the previous value is recorded in a state file
// (written to a temporary file and renamed). The record is self-contained: the
// level can be restored without the profile. Every start of the tool calls
// recoverFullLogging(), which restores the level when the process that raised
// it is gone (crash, kill, reboot) or the time cap has passed; a systemd timer
// or scheduled task may run `diagcollect full-logging restore-expired` too.
//
// Typical use by a front end (GUI wizard, `collect --full-logs --reproduce`):
//   FullLogging fl;                                   // default state folder
//   auto raised = fl.raise(profile, minutes, FullLogging::Owner::ThisProcess);
//   ... let the user reproduce the problem, until raised->record.expires ...
//   ... collect with RunOptions::fullLogs = true ...
//   fl.releaseOwn();                                  // restore unless someone else took over

// What the state file records about one raise.
struct FullLoggingRecord
{
    QString product;       // the product's name from the profile
    QString profileSource; // the profile it came from
    QString method;        // "config", "commands" or "registry"
    QDateTime started;     // UTC
    QDateTime expires;     // UTC: the time cap
    qint64 ownerPid = 0;   // 0: detached (`full-logging on`): only the time cap restores it
    QByteArray ownerStartTime;
    QByteArray bootId;
    // config and registry: where, what it was, what we set
    QString file;   // config: absolute path; registry: the key
    QString format; // config: ini, json, xml
    QString key;    // config: the key; registry: the value name
    bool existed = false;
    QString previous;  // config JSON: raw JSON text; otherwise text
    QString fullValue; // same convention
    // config: the file's bytes before the raise and the sha256 (hex) of what the raise
    // wrote; restore puts the original back byte for byte when the file still holds
    // exactly what we wrote. Empty in state files from older versions.
    QByteArray originalBytes;
    QByteArray writtenSha256;
    // config: the product's service account (product.full_logging.service.account)
    // and its uid at raise time, trusted besides root to own the file and its folders.
    QString account;
    qint64 accountUid = -1;
    QStringList restoreArgv;
    QStringList restartArgv;

    QJsonObject toJson() const;
    static Result<FullLoggingRecord> fromJson(const QByteArray &bytes);
    // "logging.level in /etc/acme/shield.conf", "HKLM\...\LogLevel", "acmectl log normal"
    QString target() const;
};

struct FullLoggingStatus
{
    bool active = false;
    FullLoggingRecord record; // when active
    QString stateFile;
    bool ownerAlive = false; // an owning process is recorded and still running
    bool joined = false;     // raise(): it was already on; this caller did not change anything
    qint64 secondsLeft() const;
    bool expired() const { return active && secondsLeft() <= 0; }
    QJsonObject toJson() const;
    QString describe() const; // one or two human lines
};

struct RestoreReport
{
    bool restored = false; // something was on and is now restored (or left, see message)
    QString message;       // what happened, for the user
    QStringList warnings;  // restored, but e.g. the restart command failed
};

class FullLogging
{
public:
    enum class Owner {
        ThisProcess, // restored when this process ends without restoring (checked at the next start)
        Detached,    // `full-logging on`: restored by `off` or when the time cap passes
    };

    // stateDir empty: fullLoggingStateDir().
    explicit FullLogging(QString stateDir = {});
    QString stateFile() const;

    // The current state. A state file that cannot be read is an error whose
    // message says what to do (ErrorCode::Io).
    Result<FullLoggingStatus> status() const;
    // Records the previous level, raises it and runs the restart command.
    // minutes is capped by the profile's max_minutes (0: that cap). When full
    // logging is already on for the same target, only the time cap is extended
    // (status.joined = true); for another target it is an error.
    Result<FullLoggingStatus> raise(const Profile &profile, int minutes, Owner owner);
    // Restores the recorded level (when the value is still the full one we set),
    // runs the restart command and removes the state file.
    Result<RestoreReport> restore(const QString &why = QStringLiteral("turned off"));
    // restore(), but only when this process owns the raise.
    Result<RestoreReport> releaseOwn();
    // restore() when the owner is gone or the time cap passed; otherwise nothing.
    Result<RestoreReport> restoreIfStale();
    // Deletes a (damaged) state file without restoring anything.
    Result<void> forget();

private:
    QString m_stateDir;
};

// Where the state file lives: $DIAGCOLLECT_STATE_DIR when set (tests; as root
// only for a folder nobody else can change, paths::honoursOverride()); as
// root/administrator a system-wide folder (/var/lib/diagcollect,
// %ProgramData%\diagcollect, /Library/Application Support/diagcollect), because
// the product's configuration is system-wide; otherwise paths::dataDir().
QString fullLoggingStateDir();
inline constexpr auto kFullLoggingStateFile = "full-logging.json";

// Called by every front end at start (CLI run(), GUI before the wizard shows):
// restores a level left raised by a process that is gone or past its time cap.
// An error means the state file is damaged or the restore failed; show its
// message, the tool may go on.
Result<RestoreReport> recoverFullLogging(const QString &stateDir = {});

// The item as full-log mode runs it: the product's logs and crash dumps
// (ItemSpec::productData) without per-file cap, age limit or file count,
// rotated and compressed files included. Other items are returned unchanged.
ItemSpec withFullLogExtras(ItemSpec item);

} // namespace dc::core
