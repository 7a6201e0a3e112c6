// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// A small tmpfs for full-disk tests: mounted on construction, unmounted by the
// destructor. Tests QSKIP with the reason where the machine cannot mount (not
// root, no CAP_SYS_ADMIN).

#include <QDir>
#include <QProcess>
#include <QString>

namespace dc::test {

class SmallDisk
{
public:
    SmallDisk(const QString &mountPoint, const QString &size)
        : m_path(mountPoint)
    {
        QDir().mkpath(mountPoint);
        QProcess mount;
        mount.start(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                                              QStringLiteral("size=") + size + QStringLiteral(",mode=0700"),
                                              QStringLiteral("tmpfs"), mountPoint});
        m_mounted = mount.waitForFinished(10000) && mount.exitStatus() == QProcess::NormalExit && mount.exitCode() == 0;
        if (!m_mounted)
            m_why = QStringLiteral("cannot mount a %1 tmpfs (needs root and CAP_SYS_ADMIN): %2 %3")
                        .arg(size, QString::fromLocal8Bit(mount.readAllStandardError()).trimmed(), mount.errorString());
    }
    ~SmallDisk()
    {
        if (m_mounted)
            QProcess::execute(QStringLiteral("umount"), {m_path});
    }
    SmallDisk(const SmallDisk &) = delete;
    SmallDisk &operator=(const SmallDisk &) = delete;

    bool mounted() const { return m_mounted; }
    const QString &path() const { return m_path; }
    const QString &whyNot() const { return m_why; }

private:
    QString m_path;
    QString m_why;
    bool m_mounted = false;
};

} // namespace dc::test

#define DC_REQUIRE_SMALL_DISK(disk)                                                                                    \
    do {                                                                                                               \
        if (!(disk).mounted())                                                                                         \
            QSKIP(qPrintable((disk).whyNot()));                                                                        \
    } while (false)
