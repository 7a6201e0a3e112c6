// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// mounts: /proc/self/mountinfo plus usage from statvfs, never on a network share.
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probereport.h"
#include "core/collectors/probesupport.h"

#include <QFile>
#include <sys/statvfs.h>

namespace dc::core::probe {

namespace {

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

} // namespace

ProbeOutput mounts(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
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
}

} // namespace dc::core::probe
