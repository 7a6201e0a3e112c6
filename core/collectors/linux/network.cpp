// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
// network: interfaces, addresses, counters and routes from /sys, /proc and getifaddrs().
#include "core/collectors/probefunctions_p.h"
#include "core/collectors/probereport.h"
#include "core/collectors/probesupport.h"

#include <QDir>
#include <QFileInfo>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

namespace dc::core::probe {

namespace {

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

} // namespace

ProbeOutput network(const ProbeSpec &spec, CollectContext &ctx)
{
    Q_UNUSED(spec);
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
}

} // namespace dc::core::probe
