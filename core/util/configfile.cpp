// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/util/configfile.h"

#include "core/util/safefs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace dc::core {

namespace {

QString tooLarge(const QString &path, qint64 maxBytes)
{
    return QStringLiteral("%1: larger than %2 MiB").arg(path).arg(maxBytes / (1024 * 1024));
}

#ifdef Q_OS_UNIX
QString kindOf(mode_t mode)
{
    if (S_ISFIFO(mode))
        return QStringLiteral("FIFO");
    if (S_ISSOCK(mode))
        return QStringLiteral("socket");
    if (S_ISCHR(mode))
        return QStringLiteral("character device");
    if (S_ISBLK(mode))
        return QStringLiteral("block device");
    if (S_ISDIR(mode))
        return QStringLiteral("folder");
    return QStringLiteral("unknown type");
}
#endif

Result<QByteArray> readResource(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Profile, QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    if (file.size() > maxBytes)
        return fail(ErrorCode::Profile, tooLarge(path, maxBytes));
    return file.readAll();
}

} // namespace

Result<QByteArray> readConfigFile(const QString &path, qint64 maxBytes)
{
    if (path.startsWith(QLatin1Char(':')))
        return readResource(path, maxBytes);
    const QString shown = QDir::toNativeSeparators(path);
#ifdef Q_OS_UNIX
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting.
    int fd = -1;
    do {
        fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return fail(ErrorCode::Profile,
                    QStringLiteral("%1: cannot read: %2").arg(shown, QString::fromLocal8Bit(std::strerror(errno))));
    const safefs::Fd owned(fd);
    struct stat st = {};
    if (::fstat(fd, &st) != 0)
        return fail(ErrorCode::Profile,
                    QStringLiteral("%1: cannot read: %2").arg(shown, QString::fromLocal8Bit(std::strerror(errno))));
    if (!S_ISREG(st.st_mode))
        return fail(ErrorCode::Profile, QStringLiteral("%1: not a regular file (%2)").arg(shown, kindOf(st.st_mode)));
    if (qint64(st.st_size) > maxBytes)
        return fail(ErrorCode::Profile, tooLarge(shown, maxBytes));
    if (const int flags = ::fcntl(fd, F_GETFL); flags >= 0)
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    auto bytes = safefs::readAll(fd, maxBytes, shown);
    if (!bytes)
        return fail(ErrorCode::Profile, bytes.error().message);
    return bytes;
#else
    const QFileInfo info(path);
    if (info.exists() && !info.isFile())
        return fail(ErrorCode::Profile, QStringLiteral("%1: not a regular file").arg(shown));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Profile, QStringLiteral("%1: cannot read: %2").arg(shown, file.errorString()));
    if (file.isSequential())
        return fail(ErrorCode::Profile, QStringLiteral("%1: not a regular file").arg(shown));
    if (file.size() > maxBytes)
        return fail(ErrorCode::Profile, tooLarge(shown, maxBytes));
    const QByteArray bytes = file.read(maxBytes + 1);
    if (bytes.size() > maxBytes)
        return fail(ErrorCode::Profile, tooLarge(shown, maxBytes));
    return bytes;
#endif
}

} // namespace dc::core
