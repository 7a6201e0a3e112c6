// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/machinecontext.h"

#include "core/redact/redactkeys_p.h"
#include "core/redact/stringset_p.h"

#include <QFile>
#include <QSet>
#include <QSettings>
#include <QSysInfo>
#include <algorithm>
#include <array>
#include <string_view>
#ifndef Q_OS_WIN
#include <pwd.h>
#include <unistd.h>
#endif

namespace dc::core {

namespace {

// Names that distributions give machines by default: redacting them
// everywhere would hide ordinary words ("debian" in package versions).
QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(1 << 20);
}

// The account this process runs as. Windows has no passwd database; USERNAME is the logon name.
QByteArray currentAccountName()
{
#ifdef Q_OS_WIN
    return qgetenv("USERNAME");
#else
    const struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_name ? QByteArray(pw->pw_name) : QByteArray();
#endif
}

void addUniqueId(QList<QByteArray> &list, QByteArray id)
{
    id = id.trimmed();
    if (!MachineContext::isPlaceholderHardwareId(id) && !list.contains(id))
        list.append(id);
}

#ifdef Q_OS_WIN
void addWindowsIds(MachineContext &ctx)
{
    const QSettings crypto(QStringLiteral("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography"),
                           QSettings::Registry64Format);
    addUniqueId(ctx.hardwareUuids, crypto.value(QStringLiteral("MachineGuid")).toString().toUtf8());
    const QSettings current(QStringLiteral("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"),
                            QSettings::Registry64Format);
    addUniqueId(ctx.serialNumbers, current.value(QStringLiteral("ProductId")).toString().toUtf8());
}
#else
// The firmware's ids as the kernel exports them from SMBIOS. product_uuid and
// the serials are readable by root only, which is how admins run the tool.
void addDmiIds(MachineContext &ctx, const QString &dmiFolder)
{
    addUniqueId(ctx.hardwareUuids, readSmallFile(dmiFolder + QStringLiteral("/product_uuid")));
    for (const char *name : {"product_serial", "board_serial", "chassis_serial"})
        addUniqueId(ctx.serialNumbers, readSmallFile(dmiFolder + QLatin1Char('/') + QLatin1String(name)));
}
#endif

void addUnique(QStringList &list, const QString &value)
{
    if (!value.isEmpty() && !list.contains(value, Qt::CaseInsensitive))
        list.append(value);
}

void addHost(MachineContext &ctx, QString name)
{
    name = name.trimmed();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (name.isEmpty())
        return;
    const qsizetype dot = name.indexOf(QLatin1Char('.'));
    const QString shortName = dot < 0 ? name : name.left(dot);
    if (!MachineContext::isGenericHostName(shortName.toUtf8()))
        addUnique(ctx.hostNames, shortName);
    if (dot > 0) {
        const QString domain = name.mid(dot + 1);
        if (domain.contains(QLatin1Char('.')) && !MachineContext::isGenericHostName(domain.toUtf8()))
            addUnique(ctx.domains, domain);
    }
}

} // namespace

namespace {

// Account names that are never personal, lower-case.
constexpr std::string_view kSystemAccounts[] = {
    "root",
    "daemon",
    "bin",
    "sys",
    "sync",
    "games",
    "man",
    "lp",
    "mail",
    "news",
    "uucp",
    "proxy",
    "www-data",
    "backup",
    "list",
    "irc",
    "gnats",
    "nobody",
    "nogroup",
    "_apt",
    "messagebus",
    "sshd",
    "syslog",
    "syslogd",
    "polkitd",
    "avahi",
    "colord",
    "pulse",
    "rtkit",
    "tss",
    "uuidd",
    "tcpdump",
    "usbmux",
    "dnsmasq",
    "geoclue",
    "saned",
    "lightdm",
    "gdm",
    "sddm",
    "postfix",
    "mysql",
    "postgres",
    "redis",
    "nginx",
    "apache",
    "httpd",
    "git",
    "system",
    "administrator",
    "guest",
    "localservice",
    "networkservice",
    "local service",
    "network service",
    "defaultaccount",
    "wdagutilityaccount",
    "public",
    "default",
    "default user",
    "all users",
    "defaultuser0",
    "shared",
    "trustedinstaller",
    "nt authority",
    "dbus",
    "ntp",
    "chrony",
    "_chrony",
    "statd",
    "landscape",
    "lxd",
    "ftp",
    "operator",
    "halt",
    "shutdown",
    "adm",
    "wheel",
    "staff",
    "users",
    "admin",
    "anonymous",
    "everyone",
    "nfsnobody",
    "unknown",
    "kernoops",
    "whoopsie",
    "speech-dispatcher",
    "cups-pk-helper",
    "nm-openvpn",
    "fwupd-refresh",
    "gnome-initial-setup",
    "gnome-remote-desktop",
    "debian-gdm",
    "debian-exim",
    "debian-tor",
    "rpc",
    "_rpc",
    "hplip",
    "pipewire",
    "sssd",
    "libvirt-qemu",
    "libvirt-dnsmasq",
    "mongodb",
    "elasticsearch",
    "grafana",
    "prometheus",
    "zabbix",
    "nagios",
    "jenkins",
    "gitlab-runner",
    "tomcat",
    "dovecot",
    "dovenull",
    "opendkim",
    "clamav",
    "bind",
    "named",
    "unbound",
    "haproxy",
    "memcache",
    "rabbitmq",
    "couchdb",
    "docker",
    "containerd",
    // Names that stand for "a user" in examples, tests and cloud images, not a
    // person: chosen once ("ssh-rsa AAAA... user@laptop"), "user" would be
    // replaced in every "user=", "User ID" and "USER=" of the run.
    "user",
    "username",
    "test",
    "testuser",
    "demo",
    "ec2-user",
    "ubuntu",
    "centos",
    "vagrant",
    "login", // the pseudo-user of /bin/login: "by LOGIN(uid=0)"
    "krbtgt",
    "vmail",
    // SQL Server's built-in administrator
    "sa",
    // the account of GitHub's and Azure's hosted CI runners (/home/runner/work/...)
    "runner",
};

// Host names an installer or image gives by default: never personal, lower-case.
constexpr std::string_view kGenericHostNames[] = {
    "localhost", "localhost.localdomain",
    "debian",    "ubuntu",
    "fedora",    "raspberrypi",
    "kali",      "archlinux",
    "linux",     "vm",
    "host",      "server",
    "centos",    "rocky",
    "almalinux", "alpine",
};

} // namespace

namespace {

// The names of a list as a set, for lookups without allocation.
template <size_t N> detail::FixedStringSet setOf(const std::string_view (&names)[N])
{
    std::array<std::pair<std::string_view, bool>, N> entries{};
    for (size_t i = 0; i < N; ++i)
        entries[i] = {names[i], true};
    return detail::FixedStringSet(entries.begin(), entries.end());
}

std::string_view lowered(QByteArrayView name, std::array<char, 64> &buf)
{
    return rx::lowerInto(std::string_view(name.data(), size_t(name.size())), buf);
}

} // namespace

bool MachineContext::isSystemAccount(QByteArrayView name)
{
    // Called for every user-name candidate: no allocation.
    static const detail::FixedStringSet accounts = setOf(kSystemAccounts);
    if (name.isEmpty())
        return true;
    std::array<char, 64> buf; // written before read
    const std::string_view lower = lowered(name, buf);
    if (lower.empty())
        return false; // longer than any account
    if (lower.starts_with("systemd-") || lower.front() == '_' || lower.back() == '$')
        return true;
    return accounts.contains(lower);
}

bool MachineContext::isGenericHostName(QByteArrayView name)
{
    static const detail::FixedStringSet generic = setOf(kGenericHostNames);
    if (name.size() < 2)
        return true;
    // Called for every host name found: most have none of the list's lengths.
    static const quint32 lengths = [] {
        quint32 bits = 0;
        for (const std::string_view n : kGenericHostNames)
            bits |= quint32(1) << n.size();
        return bits;
    }();
    if (name.size() >= 32 || !((lengths >> name.size()) & 1))
        return false;
    std::array<char, 64> buf; // written before read
    return generic.contains(lowered(name, buf));
}

bool MachineContext::isSystemAccountPrefix(QByteArrayView prefix)
{
    if (prefix.size() < 2 || prefix.size() > 64)
        return prefix.size() < 2;
    std::array<char, 64> buf; // written before read
    const std::string_view lower = lowered(prefix, buf);
    if (lower.starts_with("systemd") || lower.front() == '_')
        return true;
    return std::any_of(std::begin(kSystemAccounts), std::end(kSystemAccounts),
                       [lower](std::string_view name) { return name.starts_with(lower); });
}

MachineContext MachineContext::detect(const QString &passwdPath,
                                      const QString &resolvConfPath,
                                      const QString &machineIdPath,
                                      const QString &dmiFolder)
{
    MachineContext ctx;
    addHost(ctx, QSysInfo::machineHostName());
#ifndef Q_OS_WIN // there, machineHostName() is the computer name gethostname() would give
    std::array<char, 256> buf{};
    if (gethostname(buf.data(), buf.size() - 1) == 0)
        addHost(ctx, QString::fromLocal8Bit(buf.data()));
#endif
    addHost(ctx, QString::fromUtf8(readSmallFile(QStringLiteral("/etc/hostname"))));

    const QList<QByteArray> resolv = readSmallFile(resolvConfPath).split('\n');
    for (const QByteArray &line : resolv) {
        const QList<QByteArray> words = line.simplified().split(' ');
        if (words.size() < 2 || (words[0] != "search" && words[0] != "domain"))
            continue;
        for (qsizetype i = 1; i < words.size(); ++i) {
            QString domain = QString::fromUtf8(words[i]);
            if (domain.endsWith(QLatin1Char('.')))
                domain.chop(1);
            if (domain.contains(QLatin1Char('.')) && !MachineContext::isGenericHostName(domain.toUtf8()))
                addUnique(ctx.domains, domain);
        }
    }

    const QList<QByteArray> passwdLines = readSmallFile(passwdPath).split('\n');
    for (const QByteArray &line : passwdLines) {
        const QList<QByteArray> fields = line.split(':');
        if (fields.size() < 3)
            continue;
        bool ok = false;
        const long uid = fields[2].toLong(&ok);
        if (ok && uid >= 1000 && uid < 65534 && !isSystemAccount(fields[0]) && fields[0].size() >= 2)
            addUnique(ctx.accounts, QString::fromUtf8(fields[0]));
    }
    if (const QByteArray name = currentAccountName(); !isSystemAccount(name) && name.size() >= 2)
        addUnique(ctx.accounts, QString::fromUtf8(name));

    const QByteArray id = readSmallFile(machineIdPath).trimmed().toLower();
    if (id.size() == 32)
        ctx.machineId = id;
#ifdef Q_OS_WIN
    Q_UNUSED(dmiFolder);
    addWindowsIds(ctx);
#else
    addDmiIds(ctx, dmiFolder);
#endif
    return ctx;
}

bool MachineContext::isPlaceholderHardwareId(QByteArrayView id)
{
    int alnum = 0;
    bool allSame = true;
    for (const char c : id) {
        alnum += (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        allSame = allSame && (c == id.front() || c == '-' || c == ' ');
    }
    if (alnum < 4 || allSame)
        return true; // "0", "N/A", "00000000-0000-0000-0000-000000000000", "FFFFFFFF-..."
    // the firmware's words ("To Be Filled By O.E.M.", "Default string"): the serial rule's list
    return rx::isPlaceholder(std::string_view(id.data(), size_t(id.size())));
}

} // namespace dc::core
