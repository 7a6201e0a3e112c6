// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// A throwaway unprivileged account for the root-only security tests
// (docs/SECURITY.md): created with useradd, removed by the destructor.
// Tests that need one QSKIP with a message when not run as root.

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QString>
#include <QThread>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dc::test {

class TestUser
{
public:
    TestUser()
    {
        if (::geteuid() != 0)
            return;
        const QString name = QStringLiteral("dc-test-%1")
                                 .arg(QRandomGenerator::global()->generate() & 0xffffff, 6, 16, QLatin1Char('0'));
        // Retried: another test adding or removing a user at the same moment holds the
        // lock on /etc/passwd for a short while.
        int rc = -1;
        for (int attempt = 0; attempt < 20 && rc != 0; ++attempt) {
            if (attempt > 0)
                QThread::msleep(250);
            rc = QProcess::execute(tool("useradd"),
                                   {QStringLiteral("--system"), QStringLiteral("--no-create-home"),
                                    QStringLiteral("--shell"), QStringLiteral("/usr/sbin/nologin"), name});
        }
        if (rc != 0)
            return;
        if (const passwd *pw = ::getpwnam(name.toLocal8Bit().constData())) {
            m_name = name;
            m_uid = pw->pw_uid;
            m_gid = pw->pw_gid;
        }
    }
    ~TestUser()
    {
        for (int attempt = 0; attempt < 20 && !m_name.isEmpty(); ++attempt) {
            if (QProcess::execute(tool("userdel"), {m_name}) == 0)
                break;
            QThread::msleep(250);
        }
    }
    TestUser(const TestUser &) = delete;
    TestUser &operator=(const TestUser &) = delete;

    bool valid() const { return !m_name.isEmpty(); }
    const QString &name() const { return m_name; }
    uid_t uid() const { return m_uid; }
    gid_t gid() const { return m_gid; }

    // Gives path (not following a symlink) to this user.
    bool own(const QString &path) const { return ::lchown(QFile::encodeName(path).constData(), m_uid, m_gid) == 0; }

private:
    // From /usr/sbin even when PATH lacks it.
    static QString tool(const char *name)
    {
        const QString found =
            QStandardPaths::findExecutable(QLatin1String(name), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        return found.isEmpty() ? QLatin1String(name) : found;
    }

    QString m_name;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
};

struct FileState
{
    bool exists = false;
    uid_t uid = 0;
    gid_t gid = 0;
    mode_t mode = 0;
    QByteArray content;
    bool operator==(const FileState &) const = default;
};

// Owner, mode and content of a file as lstat and a plain read see them.
inline FileState fileState(const QString &path)
{
    FileState state;
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return state;
    state.exists = true;
    state.uid = st.st_uid;
    state.gid = st.st_gid;
    state.mode = st.st_mode;
    QFile file(path);
    if (S_ISREG(st.st_mode) && file.open(QIODevice::ReadOnly))
        state.content = file.readAll();
    return state;
}

} // namespace dc::test

// Inside a test function: skips it unless root can create a throwaway user.
#define DC_REQUIRE_TEST_USER(user)                                                                                     \
    do {                                                                                                               \
        if (::geteuid() != 0)                                                                                          \
            QSKIP("needs root: creates a throwaway unprivileged user (docs/SECURITY.md)");                             \
        QVERIFY2((user).valid(), "useradd could not create a test user");                                              \
    } while (false)
