// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/collectors/probes.h"

#include "core/bundle/staging.h"
#include "core/util/paths.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSysInfo>
#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#ifdef Q_OS_UNIX
#include <sys/types.h>
#include <unistd.h>
#endif

#ifdef Q_OS_LINUX
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/statvfs.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <utmp.h>
#endif

#ifndef DIAGCOLLECT_VERSION
#define DIAGCOLLECT_VERSION "unknown"
#endif

namespace dc::core {

namespace {

// ---------------------------------------------------------------------------
// Helpers shared by the probes.

[[maybe_unused]] const QString &notOnThisPlatform()
{
    static const QString reason = QStringLiteral("not available on this platform");
    return reason;
}

ProbeOutput skipped(const QString &reason)
{
    ProbeOutput output;
    output.skipReason = reason;
    return output;
}

// Reads at most maxBytes of a (possibly /proc or /sys) file. /proc files report
// size 0, so read until end of file rather than trusting size(). Empty on error.
QByteArray readSmallFile(const QString &path, qint64 maxBytes = 1024 * 1024)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    QByteArray data;
    char buffer[16384];
    while (data.size() < maxBytes) {
        const qint64 n = file.read(buffer, qMin<qint64>(sizeof buffer, maxBytes - data.size()));
        if (n <= 0)
            break;
        data.append(buffer, n);
    }
    return data;
}

[[maybe_unused]] QString readTrimmed(const QString &path)
{
    return QString::fromUtf8(readSmallFile(path, 64 * 1024)).trimmed();
}

[[maybe_unused]] QString isoUtc(qint64 secondsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC).toString(Qt::ISODate);
}

QString nowIsoUtc() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); }

// 1536 -> "1.5K"; binary units as df -h prints them.
QString humanBytes(quint64 bytes)
{
    static const char *const units[] = {"B", "K", "M", "G", "T", "P", "E"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 6) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0)
        return QString::number(bytes) + QLatin1Char('B');
    return QString::number(value, 'f', value < 10 ? 1 : 0) + QLatin1String(units[unit]);
}

[[maybe_unused]] QString humanDuration(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((seconds / 3600) % 24, 2, 10, QLatin1Char('0'))
                              .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                              .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return days > 0 ? QStringLiteral("%1 days, %2").arg(days).arg(clock) : clock;
}

// Columns padded to the widest cell; the last column is never padded, so a
// free-text column (a command line) can go last and the table stays greppable
// and splittable on whitespace.
class TextTable
{
public:
    explicit TextTable(QStringList header)
        : m_header(std::move(header))
    {
    }
    void add(QStringList row)
    {
        while (row.size() < m_header.size())
            row.append(QStringLiteral("-"));
        for (QString &cell : row)
            if (cell.isEmpty())
                cell = QStringLiteral("-");
        m_rows.append(std::move(row));
    }
    qsizetype size() const { return m_rows.size(); }
    QString render(const QString &indent = QString()) const
    {
        QList<qsizetype> widths(m_header.size(), 0);
        auto measure = [&](const QStringList &row) {
            for (qsizetype i = 0; i + 1 < row.size(); ++i)
                widths[i] = qMax(widths[i], row[i].size());
        };
        measure(m_header);
        for (const QStringList &row : m_rows)
            measure(row);
        QString out;
        auto line = [&](const QStringList &row) {
            out += indent;
            for (qsizetype i = 0; i < row.size(); ++i) {
                if (i + 1 < row.size())
                    out += row[i].leftJustified(widths[i]) + QStringLiteral("  ");
                else
                    out += row[i];
            }
            while (out.endsWith(QLatin1Char(' ')))
                out.chop(1);
            out += QLatin1Char('\n');
        };
        line(m_header);
        for (const QStringList &row : m_rows)
            line(row);
        return out;
    }

private:
    QStringList m_header;
    QList<QStringList> m_rows;
};

// "key: value" lines with aligned values, under "== Section ==" headings.
class Report
{
public:
    void section(const QString &title)
    {
        flush();
        if (!m_text.isEmpty())
            m_text += QLatin1Char('\n');
        m_text += QStringLiteral("== %1 ==\n").arg(title);
    }
    void field(const QString &key, const QString &value)
    {
        m_fields.append({key, value.isEmpty() ? QStringLiteral("(unknown)") : value});
    }
    void text(const QString &block)
    {
        flush();
        m_text += block;
        if (!block.endsWith(QLatin1Char('\n')))
            m_text += QLatin1Char('\n');
    }
    QByteArray result()
    {
        flush();
        return m_text.toUtf8();
    }

private:
    void flush()
    {
        qsizetype width = 0;
        for (const auto &[key, value] : std::as_const(m_fields))
            width = qMax(width, key.size());
        for (const auto &[key, value] : std::as_const(m_fields))
            m_text += QString(key + QLatin1Char(':')).leftJustified(width + 2) + value + QLatin1Char('\n');
        m_fields.clear();
    }
    QString m_text;
    QList<std::pair<QString, QString>> m_fields;
};

QString hostName()
{
#ifdef Q_OS_LINUX
    const QString name = readTrimmed(QStringLiteral("/proc/sys/kernel/hostname"));
    if (!name.isEmpty())
        return name;
#endif
    return QSysInfo::machineHostName();
}

#ifdef Q_OS_LINUX

// uid -> account name from /etc/passwd. Read directly instead of getpwuid():
// NSS may consult LDAP or SSSD over the network and block.
QMap<uint, QString> localAccountNames()
{
    QMap<uint, QString> names;
    const QList<QByteArray> lines = readSmallFile(QStringLiteral("/etc/passwd"), 8 * 1024 * 1024).split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split(':');
        if (fields.size() < 3 || line.startsWith('#'))
            continue;
        bool ok = false;
        const uint uid = fields[2].toUInt(&ok);
        if (ok && !names.contains(uid))
            names.insert(uid, QString::fromUtf8(fields[0]));
    }
    return names;
}

qint64 bootTimeSeconds()
{
    const QList<QByteArray> lines = readSmallFile(QStringLiteral("/proc/stat")).split('\n');
    for (const QByteArray &line : lines)
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toLongLong();
    return 0;
}

// Values of "Key: value" files such as /proc/meminfo or /proc/cpuinfo (first occurrence).
QMap<QString, QString> colonFields(const QByteArray &data)
{
    QMap<QString, QString> fields;
    for (const QByteArray &line : data.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QString key = QString::fromUtf8(line.left(colon)).trimmed();
        if (!fields.contains(key))
            fields.insert(key, QString::fromUtf8(line.mid(colon + 1)).trimmed());
    }
    return fields;
}

// KEY=value or KEY="value" lines (os-release, /etc/environment).
QMap<QString, QString> shellAssignments(const QByteArray &data)
{
    QMap<QString, QString> values;
    for (QByteArray line : data.split('\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        if (line.startsWith("export "))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        QByteArray value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        values.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(value));
    }
    return values;
}

// Undoes the octal escapes (\040 for a space) of /proc/self/mountinfo.
QString unescapeMountField(const QByteArray &field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '3') {
            bool ok = false;
            const int code = field.mid(i + 1, 3).toInt(&ok, 8);
            if (ok) {
                out.append(char(code));
                i += 3;
                continue;
            }
        }
        out.append(field[i]);
    }
    return QString::fromUtf8(out);
}

#endif // Q_OS_LINUX

// ---------------------------------------------------------------------------
// processes: one row per process, read from /proc.

#ifdef Q_OS_LINUX
struct ProcessRow
{
    qint64 pid = 0;
    qint64 ppid = 0;
    QString user;
    QString state;
    QString started;
    double cpuSeconds = 0;
    qint64 rssKiB = 0;
    int threads = 0;
    QString command;
};

std::optional<ProcessRow>
readProcess(qint64 pid, const QMap<uint, QString> &users, long ticks, long pageKiB, qint64 bootTime)
{
    const QString dir = QStringLiteral("/proc/%1/").arg(pid);
    const QByteArray stat = readSmallFile(dir + QStringLiteral("stat"), 4096);
    // The command name is parenthesised and may itself contain spaces and ')'.
    const qsizetype open = stat.indexOf('(');
    const qsizetype close = stat.lastIndexOf(')');
    if (open < 0 || close < open)
        return std::nullopt; // vanished while we looked
    const QList<QByteArray> f = stat.mid(close + 2).split(' ');
    if (f.size() < 22)
        return std::nullopt;
    ProcessRow row;
    row.pid = pid;
    // Field numbers follow proc(5): f[0] is field 3 (state).
    row.state = QString::fromLatin1(f[0]);
    row.ppid = f[1].toLongLong();
    row.cpuSeconds = double(f[11].toLongLong() + f[12].toLongLong()) / double(ticks);
    row.threads = f[17].toInt();
    row.started = isoUtc(bootTime + f[19].toLongLong() / ticks);
    row.rssKiB = f[21].toLongLong() * pageKiB;

    // The effective uid, as ps shows it.
    const QByteArray status = readSmallFile(dir + QStringLiteral("status"), 16384);
    for (const QByteArray &line : status.split('\n')) {
        if (line.startsWith("Uid:")) {
            const QList<QByteArray> ids = line.mid(4).simplified().split(' ');
            const uint uid = ids.value(ids.size() > 1 ? 1 : 0).toUInt();
            row.user = users.value(uid, QString::number(uid));
            break;
        }
    }

    // NUL-separated argv; kernel threads have none and show as [name] like ps.
    QByteArray cmdline = readSmallFile(dir + QStringLiteral("cmdline"), 8192);
    while (cmdline.endsWith('\0'))
        cmdline.chop(1);
    if (cmdline.isEmpty()) {
        row.command = QLatin1Char('[') + QString::fromUtf8(stat.mid(open + 1, close - open - 1)) + QLatin1Char(']');
    } else {
        cmdline.replace('\0', ' ');
        cmdline.replace('\n', ' ');
        cmdline.replace('\t', ' ');
        row.command = QString::fromUtf8(cmdline);
    }
    return row;
}
#endif

ProbeOutput probeProcesses(const ProbeSpec &spec, CollectContext &ctx)
{
#ifdef Q_OS_LINUX
    const QString format = spec.args.value(QStringLiteral("format"), QStringLiteral("table"));
    if (format != QLatin1String("table") && format != QLatin1String("tsv") && format != QLatin1String("jsonl"))
        return skipped(QStringLiteral("unknown format \"%1\" (expected table, tsv or jsonl)").arg(format));

    const QMap<uint, QString> users = localAccountNames();
    const long ticks = qMax(1L, ::sysconf(_SC_CLK_TCK));
    const long pageKiB = qMax(1L, ::sysconf(_SC_PAGESIZE) / 1024);
    const qint64 bootTime = bootTimeSeconds();

    QList<qint64> pids;
    const QStringList names = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        bool ok = false;
        const qint64 pid = name.toLongLong(&ok);
        if (ok)
            pids.append(pid);
    }
    std::sort(pids.begin(), pids.end());

    QList<ProcessRow> rows;
    for (qint64 pid : std::as_const(pids)) {
        if (ctx.isCancelled())
            break;
        if (auto row = readProcess(pid, users, ticks, pageKiB, bootTime))
            rows.append(*row);
    }

    const QStringList header{QStringLiteral("PID"),     QStringLiteral("PPID"),    QStringLiteral("USER"),
                             QStringLiteral("STATE"),   QStringLiteral("STARTED"), QStringLiteral("CPU_S"),
                             QStringLiteral("RSS_KIB"), QStringLiteral("THREADS"), QStringLiteral("COMMAND")};
    auto cells = [](const ProcessRow &r) {
        return QStringList{QString::number(r.pid),
                           QString::number(r.ppid),
                           r.user,
                           r.state,
                           r.started,
                           QString::number(r.cpuSeconds, 'f', 2),
                           QString::number(r.rssKiB),
                           QString::number(r.threads),
                           r.command};
    };

    QString out;
    if (format == QLatin1String("jsonl")) {
        for (const ProcessRow &r : std::as_const(rows)) {
            QJsonObject o{{QStringLiteral("pid"), r.pid},         {QStringLiteral("ppid"), r.ppid},
                          {QStringLiteral("user"), r.user},       {QStringLiteral("state"), r.state},
                          {QStringLiteral("started"), r.started}, {QStringLiteral("cpu_seconds"), r.cpuSeconds},
                          {QStringLiteral("rss_kib"), r.rssKiB},  {QStringLiteral("threads"), r.threads},
                          {QStringLiteral("command"), r.command}};
            out += QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) + QLatin1Char('\n');
        }
    } else if (format == QLatin1String("tsv")) {
        out = header.join(QLatin1Char('\t')) + QLatin1Char('\n');
        for (const ProcessRow &r : std::as_const(rows))
            out += cells(r).join(QLatin1Char('\t')) + QLatin1Char('\n');
    } else {
        out = QStringLiteral("# %1 processes at %2, read from /proc. STARTED is UTC; CPU_S is user+system CPU "
                             "seconds; RSS_KIB is resident memory in KiB; COMMAND is the full command line.\n")
                  .arg(rows.size())
                  .arg(nowIsoUtc());
        TextTable table(header);
        for (const ProcessRow &r : std::as_const(rows))
            table.add(cells(r));
        out += table.render();
    }
    ProbeOutput output;
    output.text = out.toUtf8();
    return output;
#else
    Q_UNUSED(spec);
    Q_UNUSED(ctx);
    return skipped(notOnThisPlatform());
#endif
}

// ---------------------------------------------------------------------------
// mounts: /proc/self/mountinfo plus usage from statvfs, never on a network share.

#ifdef Q_OS_LINUX
bool isNetworkFs(const QString &type)
{
    static const QStringList types{QStringLiteral("nfs"),
                                   QStringLiteral("nfs4"),
                                   QStringLiteral("cifs"),
                                   QStringLiteral("smb3"),
                                   QStringLiteral("smbfs"),
                                   QStringLiteral("fuse.sshfs"),
                                   QStringLiteral("sshfs"),
                                   QStringLiteral("9p"),
                                   QStringLiteral("ceph"),
                                   QStringLiteral("glusterfs"),
                                   QStringLiteral("fuse.glusterfs"),
                                   QStringLiteral("afs"),
                                   QStringLiteral("fuse.davfs2"),
                                   QStringLiteral("davfs"),
                                   QStringLiteral("fuse.rclone"),
                                   QStringLiteral("lustre"),
                                   QStringLiteral("ncpfs"),
                                   QStringLiteral("fuse.s3fs")};
    return types.contains(type);
}
#endif

ProbeOutput probeMounts(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
#ifdef Q_OS_LINUX
    const QByteArray data = readSmallFile(QStringLiteral("/proc/self/mountinfo"), 8 * 1024 * 1024);
    if (data.isEmpty())
        return skipped(QStringLiteral("/proc/self/mountinfo is not readable"));

    TextTable table({QStringLiteral("MOUNTPOINT"), QStringLiteral("TYPE"), QStringLiteral("SOURCE"),
                     QStringLiteral("SIZE"), QStringLiteral("USED"), QStringLiteral("AVAIL"), QStringLiteral("USE%"),
                     QStringLiteral("NOTE"), QStringLiteral("OPTIONS")});
    QStringList networkMounts; // unescaped mount points of network shares
    QStringList networkLines;
    for (const QByteArray &line : data.split('\n')) {
        if (ctx.isCancelled())
            break;
        // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
        const QList<QByteArray> f = line.split(' ');
        const qsizetype dash = f.indexOf(QByteArray("-"));
        if (f.size() < 7 || dash < 6 || dash + 3 > f.size())
            continue;
        const QByteArray mountPointEscaped = f[4];
        const QString mountPoint = unescapeMountField(mountPointEscaped);
        const QString type = QString::fromUtf8(f[dash + 1]);
        const QString source = QString::fromUtf8(f[dash + 2]);
        const QString superOptions = dash + 3 < f.size() ? QString::fromUtf8(f[dash + 3]) : QString();
        QString options = QString::fromUtf8(f[5]);
        if (!superOptions.isEmpty() && superOptions != options)
            options += QStringLiteral(" (fs: %1)").arg(superOptions);

        QStringList row{QString::fromUtf8(mountPointEscaped), type, source};
        bool belowNetwork = false;
        for (const QString &network : std::as_const(networkMounts))
            belowNetwork = belowNetwork || mountPoint.startsWith(network + QLatin1Char('/'));

        // statvfs on a dead NFS or CIFS server (or a wedged FUSE daemon, or an
        // automount trigger) can block for minutes; those are named, not measured.
        QString note;
        if (isNetworkFs(type)) {
            note = QStringLiteral("network share");
            networkMounts.append(mountPoint);
            networkLines.append(
                QStringLiteral("  %1 on %2 (%3)").arg(source, QString::fromUtf8(mountPointEscaped), type));
        } else if (belowNetwork) {
            note = QStringLiteral("below a network share");
        } else if (type == QLatin1String("autofs")) {
            note = QStringLiteral("automount point, not triggered");
        } else if (type.startsWith(QLatin1String("fuse"))) {
            note = QStringLiteral("FUSE, usage not queried");
        }
        if (note.isEmpty()) {
            struct statvfs st = {};
            if (::statvfs(QFile::encodeName(mountPoint).constData(), &st) == 0 && st.f_blocks > 0) {
                const quint64 unit = st.f_frsize ? st.f_frsize : st.f_bsize;
                const quint64 size = quint64(st.f_blocks) * unit;
                const quint64 used = quint64(st.f_blocks - st.f_bfree) * unit;
                const quint64 avail = quint64(st.f_bavail) * unit;
                const quint64 usable = used + avail;
                row << humanBytes(size) << humanBytes(used) << humanBytes(avail)
                    << (usable ? QString::number((used * 100 + usable - 1) / usable) + QLatin1Char('%') : QString());
            } else {
                row << QString() << QString() << QString() << QString();
            }
        } else {
            row << QString() << QString() << QString() << QString();
        }
        row << note << options;
        table.add(row);
    }
    QString out = QStringLiteral("# %1 mounts at %2, from /proc/self/mountinfo. Spaces in paths appear as \\040. "
                                 "Usage is not queried on network shares, FUSE and automount points, so this never "
                                 "hangs on an unreachable server.\n")
                      .arg(table.size())
                      .arg(nowIsoUtc());
    out += table.render();
    out += networkLines.isEmpty() ? QStringLiteral("\nNetwork shares: none\n")
                                  : QStringLiteral("\nNetwork shares (%1):\n%2\n")
                                        .arg(networkLines.size())
                                        .arg(networkLines.join(QLatin1Char('\n')));
    ProbeOutput output;
    output.text = out.toUtf8();
    return output;
#else
    Q_UNUSED(ctx);
    return skipped(notOnThisPlatform());
#endif
}

// ---------------------------------------------------------------------------
// system: OS, kernel, uptime, locale, time, virtualization, hardware summary.

#ifdef Q_OS_LINUX
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
#endif

ProbeOutput probeSystem(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
#ifdef Q_OS_LINUX
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
#else
    Q_UNUSED(ctx);
    return skipped(notOnThisPlatform());
#endif
}

// ---------------------------------------------------------------------------
// users: host name, logged-in users (utmp), local account names.

ProbeOutput probeUsers(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
#ifdef Q_OS_LINUX
    Report r;
    r.section(QStringLiteral("Host"));
    r.field(QStringLiteral("host name"), hostName());

    // utmp is read as a file of fixed-size records rather than with
    // getutxent(), which keeps global state and is not thread-safe.
    r.section(QStringLiteral("Logged-in users (" _PATH_UTMP ")"));
    TextTable sessions({QStringLiteral("USER"), QStringLiteral("TTY"), QStringLiteral("LOGIN (UTC)"),
                        QStringLiteral("PID"), QStringLiteral("FROM")});
    const QByteArray utmp = readSmallFile(QStringLiteral(_PATH_UTMP), 4 * 1024 * 1024);
    for (qsizetype offset = 0; offset + qsizetype(sizeof(struct utmp)) <= utmp.size(); offset += sizeof(struct utmp)) {
        struct utmp entry;
        std::memcpy(&entry, utmp.constData() + offset, sizeof entry);
        if (entry.ut_type != USER_PROCESS)
            continue;
        auto field = [](const char *text, std::size_t size) {
            return QString::fromUtf8(text, qsizetype(strnlen(text, size)));
        };
        sessions.add({field(entry.ut_user, sizeof entry.ut_user), field(entry.ut_line, sizeof entry.ut_line),
                      isoUtc(entry.ut_tv.tv_sec), QString::number(entry.ut_pid),
                      field(entry.ut_host, sizeof entry.ut_host)});
    }
    if (sessions.size())
        r.text(sessions.render());
    else
        r.text(QFileInfo::exists(QStringLiteral(_PATH_UTMP)) ? QStringLiteral("(nobody logged in)\n")
                                                             : QStringLiteral("(no " _PATH_UTMP ")\n"));

    // Names, uid and shell only: never the password field or GECOS data.
    int uidMin = 1000;
    int uidMax = 60000;
    const QList<QByteArray> defs = readSmallFile(QStringLiteral("/etc/login.defs"), 256 * 1024).split('\n');
    for (const QByteArray &line : defs) {
        const QList<QByteArray> words = line.simplified().split(' ');
        if (words.size() >= 2 && words[0] == "UID_MIN")
            uidMin = words[1].toInt();
        else if (words.size() >= 2 && words[0] == "UID_MAX")
            uidMax = words[1].toInt();
    }
    r.section(QStringLiteral("Local accounts (/etc/passwd: name, uid and shell only)"));
    TextTable accounts(
        {QStringLiteral("NAME"), QStringLiteral("UID"), QStringLiteral("KIND"), QStringLiteral("SHELL")});
    const QList<QByteArray> passwd = readSmallFile(QStringLiteral("/etc/passwd"), 8 * 1024 * 1024).split('\n');
    for (const QByteArray &line : passwd) {
        if (ctx.isCancelled())
            break;
        const QList<QByteArray> f = line.split(':');
        if (f.size() < 7 || line.startsWith('#'))
            continue;
        const int uid = f[2].toInt();
        const bool person = uid >= uidMin && uid <= uidMax;
        accounts.add({QString::fromUtf8(f[0]), QString::fromUtf8(f[2]),
                      person ? QStringLiteral("user") : QStringLiteral("system"), QString::fromUtf8(f[6])});
    }
    r.text(accounts.render());
    ProbeOutput output;
    output.text = r.result();
    return output;
#else
    Q_UNUSED(ctx);
    return skipped(notOnThisPlatform());
#endif
}

// ---------------------------------------------------------------------------
// proxy: environment and system proxy settings. Values are written as found:
// credentials in proxy URLs are the redaction stage's job.

ProbeOutput probeProxy(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
    Q_UNUSED(ctx);
    static const char *const names[] = {"http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy"};
    Report r;
    r.section(QStringLiteral("Environment of this process"));
    for (const char *name : names) {
        for (const QString &variant : {QString::fromLatin1(name), QString::fromLatin1(name).toUpper()}) {
            const QByteArray key = variant.toLatin1();
            r.field(variant, qEnvironmentVariableIsSet(key.constData()) ? qEnvironmentVariable(key.constData())
                                                                        : QStringLiteral("(not set)"));
        }
    }
#ifdef Q_OS_UNIX
    auto proxyLines = [](const QString &path) {
        QStringList lines;
        for (const QByteArray &raw : readSmallFile(path, 1024 * 1024).split('\n')) {
            const QByteArray line = raw.trimmed();
            if (line.isEmpty() || line.startsWith('#') || line.startsWith("//"))
                continue;
            if (line.toLower().contains("proxy"))
                lines << QString::fromUtf8(line);
        }
        return lines;
    };
    QStringList files{QStringLiteral("/etc/environment"),  QStringLiteral("/etc/apt/apt.conf"),
                      QStringLiteral("/etc/dnf/dnf.conf"), QStringLiteral("/etc/yum.conf"),
                      QStringLiteral("/etc/wgetrc"),       QStringLiteral("/etc/systemd/system.conf")};
    for (const QString &dir : {QStringLiteral("/etc/apt/apt.conf.d"), QStringLiteral("/etc/profile.d"),
                               QStringLiteral("/etc/environment.d")}) {
        const QStringList entries = QDir(dir).entryList(QDir::Files, QDir::Name);
        for (const QString &entry : entries)
            files << dir + QLatin1Char('/') + entry;
    }
    r.section(QStringLiteral("System configuration (lines mentioning a proxy)"));
    bool any = false;
    for (const QString &file : std::as_const(files)) {
        if (!QFileInfo(file).isFile())
            continue;
        const QStringList lines = proxyLines(file);
        if (lines.isEmpty())
            continue;
        any = true;
        QString block = file + QStringLiteral(":\n");
        for (const QString &line : lines)
            block += QStringLiteral("  ") + line + QLatin1Char('\n');
        r.text(block);
    }
    if (!any)
        r.text(QStringLiteral("(no proxy configured in /etc/environment, apt, dnf/yum, wget, systemd or profile.d)\n"));
#endif
    ProbeOutput output;
    output.text = r.result();
    return output;
}

// ---------------------------------------------------------------------------
// network: interfaces, addresses, counters and routes from /sys, /proc and getifaddrs().

#ifdef Q_OS_LINUX
QString ipv4FromProcHex(const QByteArray &hex)
{
    bool ok = false;
    const quint32 value = hex.toUInt(&ok, 16); // little-endian in the kernel's table
    if (!ok)
        return QString::fromLatin1(hex);
    struct in_addr address;
    address.s_addr = value;
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &address, text, sizeof text);
    return QString::fromLatin1(text);
}

QString ipv6FromProcHex(const QByteArray &hex)
{
    struct in6_addr address = {};
    const QByteArray bytes = QByteArray::fromHex(hex);
    if (bytes.size() != 16)
        return QString::fromLatin1(hex);
    std::memcpy(&address, bytes.constData(), 16);
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, &address, text, sizeof text);
    return QString::fromLatin1(text);
}

int prefixLength(const struct sockaddr *netmask)
{
    if (!netmask)
        return -1;
    const unsigned char *bytes = nullptr;
    int size = 0;
    if (netmask->sa_family == AF_INET) {
        bytes = reinterpret_cast<const unsigned char *>(&reinterpret_cast<const sockaddr_in *>(netmask)->sin_addr);
        size = 4;
    } else if (netmask->sa_family == AF_INET6) {
        bytes = reinterpret_cast<const unsigned char *>(&reinterpret_cast<const sockaddr_in6 *>(netmask)->sin6_addr);
        size = 16;
    } else {
        return -1;
    }
    int bits = 0;
    for (int i = 0; i < size; ++i)
        bits += __builtin_popcount(bytes[i]);
    return bits;
}
#endif

ProbeOutput probeNetwork(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
#ifdef Q_OS_LINUX
    Report r;
    r.section(QStringLiteral("Interfaces (/sys/class/net)"));
    TextTable interfaces({QStringLiteral("NAME"), QStringLiteral("STATE"), QStringLiteral("CARRIER"),
                          QStringLiteral("MTU"), QStringLiteral("MAC"), QStringLiteral("SPEED_MBPS"),
                          QStringLiteral("DUPLEX"), QStringLiteral("DRIVER"), QStringLiteral("KIND")});
    const QStringList names =
        QDir(QStringLiteral("/sys/class/net")).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
    for (const QString &name : names) {
        if (ctx.isCancelled())
            break;
        const QString dir = QStringLiteral("/sys/class/net/") + name + QLatin1Char('/');
        QString kind =
            QFileInfo::exists(dir + QStringLiteral("device")) ? QStringLiteral("physical") : QStringLiteral("virtual");
        if (QFileInfo::exists(dir + QStringLiteral("wireless")))
            kind = QStringLiteral("wireless");
        if (QFileInfo::exists(dir + QStringLiteral("bridge")))
            kind = QStringLiteral("bridge");
        if (QFileInfo::exists(dir + QStringLiteral("bonding")))
            kind = QStringLiteral("bond");
        const QString speed = readTrimmed(dir + QStringLiteral("speed"));
        interfaces.add(
            {name, readTrimmed(dir + QStringLiteral("operstate")), readTrimmed(dir + QStringLiteral("carrier")),
             readTrimmed(dir + QStringLiteral("mtu")), readTrimmed(dir + QStringLiteral("address")),
             speed.startsWith(QLatin1Char('-')) ? QString() : speed, readTrimmed(dir + QStringLiteral("duplex")),
             QFileInfo(QFileInfo(dir + QStringLiteral("device/driver")).symLinkTarget()).fileName(), kind});
    }
    r.text(interfaces.render());

    r.section(QStringLiteral("Addresses (getifaddrs)"));
    TextTable addresses(
        {QStringLiteral("INTERFACE"), QStringLiteral("FAMILY"), QStringLiteral("ADDRESS"), QStringLiteral("FLAGS")});
    struct ifaddrs *list = nullptr;
    if (::getifaddrs(&list) == 0) {
        for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
            if (!ifa->ifa_addr || (ifa->ifa_addr->sa_family != AF_INET && ifa->ifa_addr->sa_family != AF_INET6))
                continue;
            char text[INET6_ADDRSTRLEN] = {};
            const void *raw =
                ifa->ifa_addr->sa_family == AF_INET
                    ? static_cast<const void *>(&reinterpret_cast<const sockaddr_in *>(ifa->ifa_addr)->sin_addr)
                    : static_cast<const void *>(&reinterpret_cast<const sockaddr_in6 *>(ifa->ifa_addr)->sin6_addr);
            ::inet_ntop(ifa->ifa_addr->sa_family, raw, text, sizeof text);
            QString address = QString::fromLatin1(text);
            const int prefix = prefixLength(ifa->ifa_netmask);
            if (prefix >= 0)
                address += QLatin1Char('/') + QString::number(prefix);
            QStringList flags;
            if (ifa->ifa_flags & IFF_UP)
                flags << QStringLiteral("up");
            if (ifa->ifa_flags & IFF_LOOPBACK)
                flags << QStringLiteral("loopback");
            if (ifa->ifa_flags & IFF_POINTOPOINT)
                flags << QStringLiteral("point-to-point");
            addresses.add({QString::fromUtf8(ifa->ifa_name),
                           ifa->ifa_addr->sa_family == AF_INET ? QStringLiteral("inet") : QStringLiteral("inet6"),
                           address, flags.join(QLatin1Char(','))});
        }
        ::freeifaddrs(list);
        r.text(addresses.render());
    } else {
        r.text(QStringLiteral("(getifaddrs failed: %1)\n").arg(QString::fromLocal8Bit(std::strerror(errno))));
    }

    // if_inet6: address, index, prefix, scope, flags (hex), name.
    const QList<QByteArray> inet6 = readSmallFile(QStringLiteral("/proc/net/if_inet6")).split('\n');
    TextTable ipv6(
        {QStringLiteral("INTERFACE"), QStringLiteral("ADDRESS"), QStringLiteral("SCOPE"), QStringLiteral("FLAGS")});
    for (const QByteArray &line : inet6) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() < 6)
            continue;
        const int scope = f[3].toInt(nullptr, 16);
        const int flags = f[4].toInt(nullptr, 16);
        QString scopeName = scope == 0x10   ? QStringLiteral("host")
                            : scope == 0x20 ? QStringLiteral("link")
                            : scope == 0x40 ? QStringLiteral("site")
                            : scope == 0    ? QStringLiteral("global")
                                            : QString::number(scope, 16);
        QStringList flagNames;
        if (flags & 0x01)
            flagNames << QStringLiteral("temporary");
        if (flags & 0x08)
            flagNames << QStringLiteral("dad-failed");
        if (flags & 0x20)
            flagNames << QStringLiteral("deprecated");
        if (flags & 0x40)
            flagNames << QStringLiteral("tentative");
        if (flags & 0x80)
            flagNames << QStringLiteral("permanent");
        ipv6.add({QString::fromUtf8(f[5]),
                  ipv6FromProcHex(f[0]) + QLatin1Char('/') + QString::number(f[2].toInt(nullptr, 16)), scopeName,
                  flagNames.join(QLatin1Char(','))});
    }
    if (ipv6.size()) {
        r.section(QStringLiteral("IPv6 address details (/proc/net/if_inet6)"));
        r.text(ipv6.render());
    }

    r.section(QStringLiteral("Traffic counters (/proc/net/dev)"));
    TextTable traffic({QStringLiteral("INTERFACE"), QStringLiteral("RX_BYTES"), QStringLiteral("RX_PACKETS"),
                       QStringLiteral("RX_ERRS"), QStringLiteral("RX_DROP"), QStringLiteral("TX_BYTES"),
                       QStringLiteral("TX_PACKETS"), QStringLiteral("TX_ERRS"), QStringLiteral("TX_DROP")});
    const QList<QByteArray> dev = readSmallFile(QStringLiteral("/proc/net/dev")).split('\n');
    for (const QByteArray &line : dev) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QList<QByteArray> f = line.mid(colon + 1).simplified().split(' ');
        if (f.size() < 12)
            continue;
        traffic.add({QString::fromUtf8(line.left(colon).trimmed()), QString::fromLatin1(f[0]),
                     QString::fromLatin1(f[1]), QString::fromLatin1(f[2]), QString::fromLatin1(f[3]),
                     QString::fromLatin1(f[8]), QString::fromLatin1(f[9]), QString::fromLatin1(f[10]),
                     QString::fromLatin1(f[11])});
    }
    r.text(traffic.render());

    r.section(QStringLiteral("IPv4 routes (/proc/net/route)"));
    TextTable routes4({QStringLiteral("DESTINATION"), QStringLiteral("GATEWAY"), QStringLiteral("INTERFACE"),
                       QStringLiteral("METRIC"), QStringLiteral("FLAGS")});
    const QList<QByteArray> route = readSmallFile(QStringLiteral("/proc/net/route")).split('\n');
    for (qsizetype i = 1; i < route.size(); ++i) {
        const QList<QByteArray> f = route[i].simplified().split(' ');
        if (f.size() < 8)
            continue;
        const int flags = f[3].toInt(nullptr, 16);
        const quint32 mask = f[7].toUInt(nullptr, 16);
        QStringList flagNames;
        if (flags & 0x1)
            flagNames << QStringLiteral("up");
        if (flags & 0x2)
            flagNames << QStringLiteral("gateway");
        if (flags & 0x4)
            flagNames << QStringLiteral("host");
        routes4.add({ipv4FromProcHex(f[1]) + QLatin1Char('/') + QString::number(__builtin_popcount(mask)),
                     ipv4FromProcHex(f[2]), QString::fromUtf8(f[0]), QString::fromLatin1(f[6]),
                     flagNames.join(QLatin1Char(','))});
    }
    r.text(routes4.size() ? routes4.render() : QStringLiteral("(no IPv4 routes)\n"));

    r.section(QStringLiteral("IPv6 routes (/proc/net/ipv6_route)"));
    TextTable routes6({QStringLiteral("DESTINATION"), QStringLiteral("NEXT_HOP"), QStringLiteral("INTERFACE"),
                       QStringLiteral("METRIC")});
    const QList<QByteArray> route6 = readSmallFile(QStringLiteral("/proc/net/ipv6_route")).split('\n');
    for (const QByteArray &line : route6) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() < 10)
            continue;
        routes6.add({ipv6FromProcHex(f[0]) + QLatin1Char('/') + QString::number(f[1].toInt(nullptr, 16)),
                     ipv6FromProcHex(f[4]), QString::fromUtf8(f[9]), QString::number(f[5].toUInt(nullptr, 16))});
    }
    r.text(routes6.size() ? routes6.render() : QStringLiteral("(no IPv6 routes)\n"));

    ProbeOutput output;
    output.text = r.result();
    return output;
#else
    Q_UNUSED(ctx);
    return skipped(notOnThisPlatform());
#endif
}

// ---------------------------------------------------------------------------
// tool-info: which tool, profile and rights produced this bundle.

ProbeOutput probeToolInfo(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
    const Profile &profile = ctx.profile();
    Report r;
    r.section(QStringLiteral("Tool"));
    r.field(QStringLiteral("name"), QStringLiteral("diagcollect (Diagnostics Collector)"));
    r.field(QStringLiteral("version"), QStringLiteral(DIAGCOLLECT_VERSION));
    r.field(QStringLiteral("Qt"), QString::fromLatin1(qVersion()));
    r.field(QStringLiteral("build ABI"), QSysInfo::buildAbi());
    if (QCoreApplication::instance())
        r.field(QStringLiteral("command line"), QCoreApplication::arguments().join(QLatin1Char(' ')));
    r.field(QStringLiteral("process id"), QString::number(QCoreApplication::applicationPid()));
    r.field(QStringLiteral("time (UTC)"), nowIsoUtc());
    r.field(QStringLiteral("log directory"), paths::logDir());

    r.section(QStringLiteral("Profile"));
    r.field(QStringLiteral("name"), profile.name);
    r.field(QStringLiteral("description"),
            profile.description.isEmpty() ? QStringLiteral("(none)") : profile.description);
    r.field(QStringLiteral("product"), profile.productName.isEmpty() ? QStringLiteral("(none)") : profile.productName);
    r.field(QStringLiteral("source"), profile.sourcePath);
    r.field(QStringLiteral("sha256"), QString::fromLatin1(profile.sha256));
    r.field(QStringLiteral("items for this platform"),
            QString::number(profile.itemsFor(currentPlatformBit(), true).size()));
    for (auto it = profile.variables.cbegin(); it != profile.variables.cend(); ++it)
        r.field(QStringLiteral("variable ") + it.key(), it.value());

    r.section(QStringLiteral("Platform"));
    r.field(QStringLiteral("platform"), paths::currentPlatform());
    r.field(QStringLiteral("product"), QSysInfo::prettyProductName());
    r.field(QStringLiteral("kernel"), QSysInfo::kernelType() + QLatin1Char(' ') + QSysInfo::kernelVersion());
    r.field(QStringLiteral("CPU architecture"), QSysInfo::currentCpuArchitecture());
    r.field(QStringLiteral("host name"), hostName());

    r.section(QStringLiteral("Rights"));
    r.field(QStringLiteral("administrator"), ctx.isAdministrator() ? QStringLiteral("yes") : QStringLiteral("no"));
#ifdef Q_OS_UNIX
    r.field(QStringLiteral("effective uid"), QString::number(::geteuid()));
    r.field(QStringLiteral("real uid"), QString::number(::getuid()));
#endif
    r.field(QStringLiteral("user"), qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME")));
    ProbeOutput output;
    output.text = r.result();
    return output;
}

// ---------------------------------------------------------------------------
// listing: a directory's entries (type, size, time), for crash and report
// folders whose existence and dates matter even when the files are not taken.
// args: path (required, ${VARS} allowed), depth (default 2), max_entries (default 2000).

ProbeOutput probeListing(const ProbeSpec &spec, CollectContext &ctx)
{
    const QString root = QDir::cleanPath(ctx.expand(spec.args.value(QStringLiteral("path"))));
    if (root.isEmpty() || root == QLatin1String("."))
        return skipped(QStringLiteral("no \"path\" argument"));
    const QFileInfo rootInfo(root);
    if (!rootInfo.exists())
        return skipped(QStringLiteral("%1 does not exist").arg(QDir::toNativeSeparators(root)));
    if (!rootInfo.isDir())
        return skipped(QStringLiteral("%1 is not a directory").arg(QDir::toNativeSeparators(root)));
    const int maxDepth = qBound(1, spec.args.value(QStringLiteral("depth"), QStringLiteral("2")).toInt(), 16);
    int maxEntries = spec.args.value(QStringLiteral("max_entries"), QStringLiteral("2000")).toInt();
    if (maxEntries <= 0)
        maxEntries = 2000;

    TextTable table({QStringLiteral("TYPE"), QStringLiteral("SIZE"), QStringLiteral("MODIFIED (UTC)"),
                     QStringLiteral("OWNER"), QStringLiteral("PATH")});
    QStringList notes;
#ifdef Q_OS_LINUX
    // Owner names from /etc/passwd: QFileInfo::owner() goes through NSS, which may block on a directory server.
    const QMap<uint, QString> accounts = localAccountNames();
    const auto ownerOf = [&](const QFileInfo &info) {
        return accounts.value(info.ownerId(), QString::number(info.ownerId()));
    };
#else
    const auto ownerOf = [](const QFileInfo &info) { return info.owner(); };
#endif
    int entries = 0;
    quint64 totalBytes = 0;
    bool limited = false;
    // Breadth-first, newest first inside a folder, symlinks never followed.
    QList<std::pair<QString, int>> queue{{root, 1}};
    while (!queue.isEmpty() && !limited && !ctx.isCancelled()) {
        const auto [dir, depth] = queue.takeFirst();
        QDir d(dir);
        if (!d.isReadable()) {
            notes << QStringLiteral("%1: permission denied").arg(QDir::toNativeSeparators(dir));
            continue;
        }
        const QFileInfoList infos =
            d.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Time);
        for (const QFileInfo &info : infos) {
            if (entries >= maxEntries) {
                limited = true;
                break;
            }
            ++entries;
            QString type = info.isSymLink() ? QStringLiteral("link")
                           : info.isDir()   ? QStringLiteral("dir")
                           : info.isFile()  ? QStringLiteral("file")
                                            : QStringLiteral("other");
            const QString relative = QDir(root).relativeFilePath(info.absoluteFilePath());
            if (info.isFile() && !info.isSymLink())
                totalBytes += quint64(info.size());
            table.add({type, info.isFile() ? QString::number(info.size()) : QString(),
                       info.lastModified().toUTC().toString(Qt::ISODate), ownerOf(info),
                       QDir::toNativeSeparators(relative) +
                           (info.isDir() && !info.isSymLink() ? QStringLiteral("/") : QString())});
            if (info.isDir() && !info.isSymLink() && depth < maxDepth)
                queue.append({info.absoluteFilePath(), depth + 1});
        }
    }
    QString out = QStringLiteral("# %1 at %2: %3 entries, %4 in files%5\n")
                      .arg(QDir::toNativeSeparators(root), nowIsoUtc())
                      .arg(entries)
                      .arg(humanBytes(totalBytes))
                      .arg(limited ? QStringLiteral(" (stopped at max_entries %1)").arg(maxEntries) : QString());
    out += entries ? table.render() : QStringLiteral("(empty)\n");
    for (const QString &note : std::as_const(notes))
        out += QStringLiteral("# ") + note + QLatin1Char('\n');
    ProbeOutput output;
    output.text = out.toUtf8();
    return output;
}

const QList<ProbeInfo> kProbes = {
    {"processes", "Running processes: pid, ppid, user, start time, CPU, memory, command line (args: format)",
     &probeProcesses},
    {"mounts", "Mounted file systems with type, options and usage; network shares called out", &probeMounts},
    {"system", "OS release, kernel, uptime, locale, time zone, virtualization, CPU, memory, disks, DMI", &probeSystem},
    {"users", "Host name, logged-in users and local account names", &probeUsers},
    {"proxy", "Proxy settings from the environment and system configuration", &probeProxy},
    {"network", "Interfaces, addresses, traffic counters and routes", &probeNetwork},
    {"tool-info", "This tool's version, profile, platform and rights", &probeToolInfo},
    {"listing", "A directory's entries with size and time (args: path, depth, max_entries)", &probeListing},
};

// The probe runs on its own thread so that a read that blocks in the kernel
// (a process stuck in D state, a wedged mount) cannot hold the run past the
// item's timeout. The job owns copies of everything the probe touches, so an
// abandoned probe never references the caller's stack.
struct ProbeJob
{
    ProbeSpec spec;
    Profile profile;
    QString stagingDir;
    std::atomic_bool cancelled{false};
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
    ProbeOutput output;
};

} // namespace

const QList<ProbeInfo> &probeTable() { return kProbes; }

bool isKnownProbe(const QString &name)
{
    for (const ProbeInfo &probe : kProbes)
        if (name == QLatin1String(probe.name))
            return true;
    return false;
}

ItemResult ProbeCollector::collect(const ItemSpec &item, CollectContext &ctx)
{
    ItemResult result = ItemResult::forSpec(item);
    result.started = QDateTime::currentDateTimeUtc();
    auto finish = [&result](Status status, const QString &reason) {
        result.status = status;
        result.reason = reason;
        result.finished = QDateTime::currentDateTimeUtc();
        return result;
    };

    const ProbeInfo *probe = nullptr;
    for (const ProbeInfo &info : kProbes)
        if (item.probe.name == QLatin1String(info.name))
            probe = &info;
    if (!probe)
        return finish(Status::Failed, QStringLiteral("unknown probe \"%1\"").arg(item.probe.name));
    if (item.needsAdmin && !ctx.isAdministrator())
        return finish(Status::Skipped, QStringLiteral("needs administrator rights"));
    if (ctx.isCancelled())
        return finish(Status::Skipped, QStringLiteral("cancelled"));

    auto job = std::make_shared<ProbeJob>();
    job->spec = item.probe;
    job->profile = ctx.profile();
    job->stagingDir = ctx.stagingDir();
    const ProbeFunction function = probe->function;
    std::thread([job, function] {
        CollectContext jobContext(job->stagingDir, job->profile, job->cancelled);
        ProbeOutput output = function(job->spec, jobContext);
        std::lock_guard lock(job->mutex);
        job->output = std::move(output);
        job->finished = true;
        job->done.notify_all();
    }).detach();

    const int timeoutMs = item.command.timeoutMs > 0 ? item.command.timeoutMs : 20000;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    bool timedOut = false;
    bool cancelled = false;
    {
        std::unique_lock lock(job->mutex);
        while (!job->finished) {
            if (ctx.isCancelled()) {
                cancelled = true;
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                timedOut = true;
                break;
            }
            job->done.wait_for(lock, std::chrono::milliseconds(50));
        }
        if (!job->finished) {
            // Ask the probe to stop and give it a moment to hand back what it has.
            job->cancelled = true;
            job->done.wait_for(lock, std::chrono::milliseconds(200), [&] { return job->finished; });
        }
    }
    if (cancelled)
        return finish(Status::Skipped, QStringLiteral("cancelled"));

    ProbeOutput output;
    {
        std::lock_guard lock(job->mutex);
        if (!job->finished)
            return finish(Status::Failed, QStringLiteral("timed out after %1 s").arg(timeoutMs / 1000.0));
        output = std::move(job->output);
    }
    if (!output.skipReason.isEmpty())
        return finish(Status::Skipped, output.skipReason);
    if (output.text.isEmpty())
        return finish(Status::Skipped, QStringLiteral("the probe found nothing to report"));

    Status fileStatus = Status::Collected;
    QString fileReason;
    QByteArray text = std::move(output.text);
    if (timedOut) {
        fileStatus = Status::Truncated;
        fileReason = QStringLiteral("timed out after %1 s; output is partial").arg(timeoutMs / 1000.0);
    }
    if (item.maxBytes > 0 && text.size() > item.maxBytes) {
        const qsizetype originalSize = text.size();
        // Keep whole lines: cut after the last newline inside the cap.
        qsizetype cut = text.lastIndexOf('\n', item.maxBytes - 1);
        cut = cut > 0 ? cut + 1 : item.maxBytes;
        text.truncate(cut);
        fileStatus = Status::Truncated;
        fileReason = QStringLiteral("output cut at max_bytes (%1 of %2 bytes kept)").arg(cut).arg(originalSize);
    }

    auto staged = StagedFile::create(ctx.stagingDir(), item.stagedPath());
    if (!staged)
        return finish(Status::Failed, staged.error().message);
    if (!(*staged)->write(text)) {
        const QString message = QStringLiteral("cannot write %1: %2").arg(item.stagedPath(), (*staged)->errorString());
        (*staged)->discard();
        return finish(Status::Failed, message);
    }
    auto entry = (*staged)->finish(QStringLiteral("probe:") + item.probe.name, fileStatus, fileReason);
    if (!entry)
        return finish(Status::Failed, entry.error().message);
    entry->redactable = item.redactable;
    result.files.append(*entry);
    result.settleStatus();
    result.finished = QDateTime::currentDateTimeUtc();
    return result;
}

} // namespace dc::core
