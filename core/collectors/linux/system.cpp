// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// system: OS, kernel, uptime, locale, time, virtualization, hardware summary.
#include "core/collectors/linux/procfs.h"
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probeplatform_p.h"
#include "core/collectors/probereport.h"
#include "core/collectors/probesupport.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace dc::core::probe {

namespace {

QString detectContainer()
{
    QStringList found;
    if (QFileInfo::exists(QStringLiteral("/.dockerenv")))
        found << QStringLiteral("docker (/.dockerenv)");
    if (QFileInfo::exists(QStringLiteral("/run/.containerenv")))
        found << QStringLiteral("podman (/run/.containerenv)");
    const QString systemdContainer = readTrimmed(QStringLiteral("/run/systemd/container"));
    if (!systemdContainer.isEmpty())
        found << QStringLiteral("%1 (/run/systemd/container)").arg(systemdContainer);
    // Readable by root only; harmless to try.
    const QList<QByteArray> environ = readSmallFile(QStringLiteral("/proc/1/environ"), 65536).split('\0');
    for (const QByteArray &entry : environ)
        if (entry.startsWith("container="))
            found << QStringLiteral("%1 (pid 1 environment)").arg(QString::fromUtf8(entry.mid(10)));
    const QByteArray cgroup = readSmallFile(QStringLiteral("/proc/1/cgroup"), 65536);
    for (const char *marker : {"docker", "kubepods", "lxc", "containerd", "libpod", "garden"})
        if (cgroup.contains(marker))
            found << QStringLiteral("%1 (/proc/1/cgroup)").arg(QLatin1String(marker));
    const QString osRelease = readTrimmed(QStringLiteral("/proc/sys/kernel/osrelease"));
    if (osRelease.contains(QLatin1String("microsoft"), Qt::CaseInsensitive) || osRelease.contains(QLatin1String("WSL")))
        found << QStringLiteral("WSL (kernel release)");
    return found.isEmpty() ? QStringLiteral("none detected") : found.join(QStringLiteral(", "));
}

QString detectVirtualization(const QString &dmiVendor, const QString &dmiProduct)
{
    QStringList found;
    const QString dmi = dmiVendor + QLatin1Char(' ') + dmiProduct;
    static const std::pair<const char *, const char *> vendors[] = {
        {"QEMU", "qemu/kvm"},
        {"KVM", "kvm"},
        {"VMware", "vmware"},
        {"VirtualBox", "virtualbox"},
        {"innotek", "virtualbox"},
        {"Virtual Machine", "hyper-v"},
        {"Xen", "xen"},
        {"Amazon EC2", "amazon ec2"},
        {"Google Compute Engine", "google compute engine"},
        {"Parallels", "parallels"},
        {"BHYVE", "bhyve"},
        {"OpenStack", "openstack"},
    };
    for (const auto &[needle, name] : vendors)
        if (dmi.contains(QLatin1String(needle), Qt::CaseInsensitive)) {
            found << QStringLiteral("%1 (DMI)").arg(QLatin1String(name));
            break;
        }
    const QString hypervisorType = readTrimmed(QStringLiteral("/sys/hypervisor/type"));
    if (!hypervisorType.isEmpty())
        found << QStringLiteral("%1 (/sys/hypervisor/type)").arg(hypervisorType);
    if (found.isEmpty()) {
        const QByteArray cpuinfo = readSmallFile(QStringLiteral("/proc/cpuinfo"), 4 * 1024 * 1024);
        for (const QByteArray &line : cpuinfo.split('\n'))
            if (line.startsWith("flags") && (line.contains(" hypervisor ") || line.endsWith(" hypervisor"))) {
                found << QStringLiteral("virtual machine, hypervisor not identified (CPU hypervisor flag)");
                break;
            }
    }
    return found.isEmpty() ? QStringLiteral("none detected (bare metal or unidentified)")
                           : found.join(QStringLiteral(", "));
}

QString timeZoneName()
{
    QStringList found;
    const QString tz = qEnvironmentVariable("TZ");
    if (!tz.isEmpty())
        found << QStringLiteral("%1 (TZ)").arg(tz);
    const QString etcTimezone = readTrimmed(QStringLiteral("/etc/timezone"));
    if (!etcTimezone.isEmpty())
        found << QStringLiteral("%1 (/etc/timezone)").arg(etcTimezone);
    const QString link = QFileInfo(QStringLiteral("/etc/localtime")).symLinkTarget();
    const qsizetype zoneinfo = link.indexOf(QLatin1String("zoneinfo/"));
    if (zoneinfo >= 0)
        found << QStringLiteral("%1 (/etc/localtime)").arg(link.mid(zoneinfo + 9));
    else if (QFileInfo::exists(QStringLiteral("/etc/localtime")))
        found << QStringLiteral("/etc/localtime is a copy, not a link");
    return found.isEmpty() ? QStringLiteral("UTC (nothing configured)") : found.join(QStringLiteral(", "));
}

// The cgroup (v2) this process runs in, for container CPU and memory limits.
QString ownCgroupDir()
{
    const QList<QByteArray> lines = readSmallFile(QStringLiteral("/proc/self/cgroup"), 65536).split('\n');
    for (const QByteArray &line : lines)
        if (line.startsWith("0::"))
            return QStringLiteral("/sys/fs/cgroup") + QString::fromUtf8(line.mid(3)).trimmed();
    return {};
}

} // namespace

ProbeOutput system(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
    Report r;
    r.section(QStringLiteral("Host"));
    r.field(QStringLiteral("host name"), hostName());
    const QString domain = readTrimmed(QStringLiteral("/proc/sys/kernel/domainname"));
    if (!domain.isEmpty() && domain != QLatin1String("(none)"))
        r.field(QStringLiteral("NIS domain"), domain);

    r.section(QStringLiteral("Operating system"));
    QByteArray osRelease = readSmallFile(QStringLiteral("/etc/os-release"));
    if (osRelease.isEmpty())
        osRelease = readSmallFile(QStringLiteral("/usr/lib/os-release"));
    const QMap<QString, QString> os = shellAssignments(osRelease);
    for (const char *key : {"PRETTY_NAME", "NAME", "VERSION", "ID", "ID_LIKE", "VERSION_ID", "VERSION_CODENAME",
                            "BUILD_ID", "VARIANT_ID"})
        if (os.contains(QLatin1String(key)))
            r.field(QLatin1String(key), os.value(QLatin1String(key)));
    if (os.isEmpty())
        r.field(QStringLiteral("os-release"), QStringLiteral("not found"));

    struct utsname uts = {};
    if (::uname(&uts) == 0) {
        r.section(QStringLiteral("Kernel"));
        r.field(QStringLiteral("system"), QString::fromUtf8(uts.sysname));
        r.field(QStringLiteral("release"), QString::fromUtf8(uts.release));
        r.field(QStringLiteral("version"), QString::fromUtf8(uts.version));
        r.field(QStringLiteral("machine"), QString::fromUtf8(uts.machine));
    }
    const QString cmdline = readTrimmed(QStringLiteral("/proc/cmdline"));
    if (!cmdline.isEmpty())
        r.field(QStringLiteral("command line"), cmdline);
    const QString taint = readTrimmed(QStringLiteral("/proc/sys/kernel/tainted"));
    if (!taint.isEmpty())
        r.field(QStringLiteral("tainted"), taint == QLatin1String("0") ? QStringLiteral("0 (not tainted)") : taint);

    r.section(QStringLiteral("Uptime and load"));
    const QList<QByteArray> uptime = readSmallFile(QStringLiteral("/proc/uptime")).split(' ');
    const qint64 uptimeSeconds = qint64(uptime.value(0).toDouble());
    r.field(QStringLiteral("now (UTC)"), nowIsoUtc());
    r.field(QStringLiteral("uptime"), humanDuration(uptimeSeconds));
    const qint64 boot = bootTimeSeconds();
    r.field(QStringLiteral("boot time (UTC)"), boot > 0 ? isoUtc(boot) : QString());
    r.field(QStringLiteral("load average"), readTrimmed(QStringLiteral("/proc/loadavg")));

    r.section(QStringLiteral("Locale"));
    const QStringList environment = QProcessEnvironment::systemEnvironment().keys();
    r.field(QStringLiteral("LANG"), qEnvironmentVariable("LANG", QStringLiteral("(not set)")));
    for (const QString &name : environment)
        if (name.startsWith(QLatin1String("LC_")) || name == QLatin1String("LANGUAGE"))
            r.field(name, qEnvironmentVariable(name.toLatin1().constData()));
    for (const QString &file : {QStringLiteral("/etc/default/locale"), QStringLiteral("/etc/locale.conf")}) {
        const QMap<QString, QString> values = shellAssignments(readSmallFile(file, 65536));
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            r.field(QStringLiteral("%1 (%2)").arg(it.key(), file), it.value());
    }

    r.section(QStringLiteral("Time"));
    r.field(QStringLiteral("time zone"), timeZoneName());
    const QDateTime local = QDateTime::currentDateTime();
    r.field(QStringLiteral("local time"),
            local.toString(Qt::ISODate) + QLatin1Char(' ') + local.timeZoneAbbreviation());
    struct timex tx = {};
    tx.modes = 0; // read only
    const int clockState = ::adjtimex(&tx);
    if (clockState >= 0) {
        const bool synced = clockState != TIME_ERROR && !(tx.status & STA_UNSYNC);
        r.field(QStringLiteral("clock synchronized"),
                synced ? QStringLiteral("yes (kernel; estimated error %1 us)").arg(tx.esterror)
                       : QStringLiteral("no (kernel reports unsynchronized; see timedatectl)"));
    }

    // Explains why systemctl, timedatectl or journalctl items have nothing to
    // say: containers often run without systemd or without a journal.
    r.section(QStringLiteral("Init and logging"));
    const QString init = readTrimmed(QStringLiteral("/proc/1/comm"));
    const bool systemdInit = QFileInfo(QStringLiteral("/run/systemd/system")).isDir();
    r.field(QStringLiteral("init (pid 1)"),
            systemdInit ? QStringLiteral("systemd")
                        : QStringLiteral("%1 (not systemd)").arg(init.isEmpty() ? QStringLiteral("unknown") : init));
    const bool journald = QFileInfo::exists(QStringLiteral("/run/systemd/journal/socket"));
    const bool persistent =
        !QDir(QStringLiteral("/var/log/journal")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty();
    r.field(QStringLiteral("systemd journal"),
            journald ? (persistent ? QStringLiteral("running, persistent (/var/log/journal)")
                                   : QStringLiteral("running, volatile (/run/log/journal)"))
                     : (persistent ? QStringLiteral("not running; journal files from earlier boots in /var/log/journal")
                                   : QStringLiteral("none (no journald socket, no /var/log/journal)")));
    QStringList syslogFiles;
    for (const char *name : {"syslog", "messages"})
        if (QFileInfo::exists(QStringLiteral("/var/log/") + QLatin1String(name)))
            syslogFiles << QStringLiteral("/var/log/") + QLatin1String(name);
    r.field(QStringLiteral("syslog files"),
            syslogFiles.isEmpty() ? QStringLiteral("none") : syslogFiles.join(QStringLiteral(", ")));

    r.section(QStringLiteral("Virtualization"));
    const QString dmiDir = QStringLiteral("/sys/class/dmi/id/");
    const QString sysVendor = readTrimmed(dmiDir + QStringLiteral("sys_vendor"));
    const QString productName = readTrimmed(dmiDir + QStringLiteral("product_name"));
    r.field(QStringLiteral("container"), detectContainer());
    r.field(QStringLiteral("virtual machine"), detectVirtualization(sysVendor, productName));

    r.section(QStringLiteral("CPU"));
    const QByteArray cpuinfo = readSmallFile(QStringLiteral("/proc/cpuinfo"), 4 * 1024 * 1024);
    const QMap<QString, QString> cpu = colonFields(cpuinfo);
    QString model = cpu.value(QStringLiteral("model name"));
    if (model.isEmpty())
        model =
            cpu.value(QStringLiteral("Model"), cpu.value(QStringLiteral("Hardware"), cpu.value(QStringLiteral("cpu"))));
    r.field(QStringLiteral("model"), model);
    r.field(QStringLiteral("logical CPUs (online)"), QString::number(::sysconf(_SC_NPROCESSORS_ONLN)));
    r.field(QStringLiteral("logical CPUs (configured)"), QString::number(::sysconf(_SC_NPROCESSORS_CONF)));
    const QString cgroup = ownCgroupDir();
    if (!cgroup.isEmpty()) {
        const QString cpuMax = readTrimmed(cgroup + QStringLiteral("/cpu.max"));
        if (!cpuMax.isEmpty())
            r.field(QStringLiteral("cgroup cpu.max"), cpuMax);
    }

    r.section(QStringLiteral("Memory"));
    const QMap<QString, QString> mem = colonFields(readSmallFile(QStringLiteral("/proc/meminfo")));
    auto kib = [&](const char *key) {
        const QString value = mem.value(QLatin1String(key));
        const qint64 k = value.section(QLatin1Char(' '), 0, 0).toLongLong();
        return value.isEmpty() ? QString() : humanBytes(quint64(k) * 1024) + QStringLiteral(" (%1)").arg(value);
    };
    for (const char *key : {"MemTotal", "MemAvailable", "SwapTotal", "SwapFree"})
        r.field(QLatin1String(key), kib(key));
    if (!cgroup.isEmpty()) {
        const QString memoryMax = readTrimmed(cgroup + QStringLiteral("/memory.max"));
        if (!memoryMax.isEmpty())
            r.field(QStringLiteral("cgroup memory.max"), memoryMax);
    }

    r.section(QStringLiteral("Disks (/sys/block)"));
    TextTable disks({QStringLiteral("NAME"), QStringLiteral("SIZE"), QStringLiteral("ROTATIONAL"),
                     QStringLiteral("REMOVABLE"), QStringLiteral("MODEL")});
    const QStringList blocks =
        QDir(QStringLiteral("/sys/block")).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::System);
    for (const QString &name : blocks) {
        if (name.startsWith(QLatin1String("loop")) || name.startsWith(QLatin1String("ram")))
            continue;
        const QString dir = QStringLiteral("/sys/block/") + name + QLatin1Char('/');
        const quint64 sectors = readTrimmed(dir + QStringLiteral("size")).toULongLong();
        if (sectors == 0)
            continue;
        disks.add({name, humanBytes(sectors * 512), readTrimmed(dir + QStringLiteral("queue/rotational")),
                   readTrimmed(dir + QStringLiteral("removable")), readTrimmed(dir + QStringLiteral("device/model"))});
    }
    r.text(disks.size() ? disks.render() : QStringLiteral("(no block devices visible)\n"));

    r.section(QStringLiteral("Hardware (DMI)"));
    if (!QFileInfo::exists(dmiDir)) {
        r.field(QStringLiteral("DMI"), QStringLiteral("not available (no /sys/class/dmi/id)"));
    } else {
        for (const char *key : {"sys_vendor", "product_name", "product_version", "product_family", "board_vendor",
                                "board_name", "bios_vendor", "bios_version", "bios_date", "chassis_type"}) {
            const QString value = readTrimmed(dmiDir + QLatin1String(key));
            if (!value.isEmpty())
                r.field(QLatin1String(key), value);
        }
        // Serial numbers and the product UUID identify the machine and are
        // personal data: they are readable by root only, included only when
        // readable, and the redaction stage replaces them before packaging.
        for (const char *key : {"product_serial", "board_serial", "chassis_serial", "product_uuid"}) {
            const QString value = readTrimmed(dmiDir + QLatin1String(key));
            if (!value.isEmpty())
                r.field(QLatin1String(key), value);
        }
    }
    Q_UNUSED(ctx);
    ProbeOutput output;
    output.text = r.result();
    return output;
}

} // namespace dc::core::probe
