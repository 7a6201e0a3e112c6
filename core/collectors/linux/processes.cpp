// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// processes: one row per process, read from /proc.
#include "core/collectors/linux/procfs.h"
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probereport.h"
#include "core/collectors/probesupport.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <optional>
#include <unistd.h>

namespace dc::core::probe {

namespace {

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

} // namespace

ProbeOutput processes(const ProbeSpec &spec, CollectContext &ctx)
{
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
}

} // namespace dc::core::probe
