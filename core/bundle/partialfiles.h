// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QString>
#include <QStringList>

namespace dc::core {

// An archive is written as ".<name>.partial" in the output folder and renamed
// when complete. Its writer holds an exclusive lock on it for as long as it
// exists (flock on Unix; on Windows a LockFileEx byte-range lock on a second
// handle that shares deletion), so a partial file whose lock is free belongs to
// a run that is gone (killed outright, a power cut): nobody will finish or remove it.

// ".diagcollect-….tar.zst.partial" or ".diagcollect-….zip.partial".
bool isPartialArchiveName(const QString &fileName);

// Takes the writer's lock on a partial file just created (O_EXCL) with fd.
// Returns a descriptor that keeps the lock until it is closed (the file's own
// descriptor may be closed before the rename; ::close() releases it), or -1.
int lockPartialFile(int fd);

// Removes the partial archives in outputDir whose writer is gone, and returns
// their paths. A live run's partial file is never touched (its lock is held);
// nothing is followed: links, folders and other files are left alone. A file
// of zero bytes is left alone for its first minute: its writer may be between
// creating and locking it. dryRun: only say which would go.
QStringList removeStalePartials(const QString &outputDir, bool dryRun = false);

// The same for one partial file, whatever its name; true when it was removed.
bool removeStalePartial(const QString &partialPath);

} // namespace dc::core
