// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactaddress_p.h"

#include <algorithm>

namespace dc::core::rx {

// Parses a dotted quad at p (digits of the first octet start at p). Returns
// the end or nullptr; fills the four octets.
const u8 *parseIpv4(const u8 *p, const u8 *e, std::array<int, 4> &oct)
{
    for (int i = 0; i < 4; ++i) {
        if (p >= e || !isDigit(*p))
            return nullptr;
        int v = 0;
        int n = 0;
        const u8 *start = p;
        while (p < e && isDigit(*p) && n < 4) {
            v = v * 10 + (*p - '0');
            ++p;
            ++n;
        }
        if (n > 3 || v > 255 || (n > 1 && *start == '0'))
            return nullptr;
        oct[i] = v;
        if (i < 3) {
            if (p >= e || *p != '.')
                return nullptr;
            ++p;
        }
    }
    return p;
}

namespace {

bool isContiguousMask(const std::array<int, 4> &o)
{
    const quint32 v = (quint32(o[0]) << 24) | (quint32(o[1]) << 16) | (quint32(o[2]) << 8) | quint32(o[3]);
    if (v == 0)
        return true;
    const quint32 inv = ~v;
    if ((inv & (inv + 1)) == 0) // 1...10...0
        return o[0] == 255;
    if ((v & (v + 1)) == 0) // 0...01...1: wildcard mask
        return o[0] == 0;
    return false;
}

} // namespace

// Addresses that support needs and that identify nobody.
bool isNonPersonalIpv4(const std::array<int, 4> &o)
{
    if (o[0] == 127 || o[0] == 0 || o[0] >= 224) // loopback, "this network", multicast, reserved, broadcast
        return true;
    if (isContiguousMask(o))
        return true;
    if (o[0] == 169 && o[1] == 254 && o[2] == 169 && o[3] == 254) // cloud metadata
        return true;
    static constexpr std::array<std::array<int, 4>, 14> resolvers = {{
        {8, 8, 8, 8},
        {8, 8, 4, 4},
        {1, 1, 1, 1},
        {1, 0, 0, 1},
        {9, 9, 9, 9},
        {149, 112, 112, 112},
        {208, 67, 222, 222},
        {208, 67, 220, 220},
        {4, 2, 2, 1},
        {4, 2, 2, 2},
        {64, 6, 64, 6},
        {64, 6, 65, 6},
        {94, 140, 14, 14},
        {76, 76, 2, 0},
    }};
    static constexpr auto pack = [](const std::array<int, 4> &a) {
        return (quint32(a[0]) << 24) | (quint32(a[1]) << 16) | (quint32(a[2]) << 8) | quint32(a[3]);
    };
    static constexpr std::array<quint32, resolvers.size()> packed = [] {
        std::array<quint32, resolvers.size()> v{};
        for (size_t i = 0; i < resolvers.size(); ++i)
            v[i] = pack(resolvers[i]);
        return v;
    }();
    const quint32 address = pack(o); // octets are 0..255 here
    return std::find(packed.begin(), packed.end(), address) != packed.end();
}

// Validates s as an IPv6 address (RFC 4291 text forms, with an optional
// trailing dotted quad).
Ipv6Info validateIpv6(std::string_view s)
{
    Ipv6Info info;
    if (s.size() < 2 || s.size() > 45)
        return info;
    size_t i = 0;
    int groups = 0;
    bool compressed = false;
    if (s.starts_with("::")) {
        compressed = true;
        i = 2;
        if (i == s.size()) {
            info.valid = true;
            info.compressed = true;
            return info;
        }
    } else if (s[0] == ':') {
        return info;
    }
    while (i < s.size()) {
        // a group or a trailing IPv4
        size_t j = i;
        while (j < s.size() && isHex(static_cast<u8>(s[j])))
            ++j;
        if (j < s.size() && s[j] == '.') {
            std::array<int, 4> oct{};
            const auto *b = reinterpret_cast<const u8 *>(s.data());
            const u8 *end = parseIpv4(b + i, b + s.size(), oct);
            if (!end || end != b + s.size())
                return info;
            groups += 2;
            info.hasDigit = true;
            i = s.size();
            break;
        }
        const size_t len = j - i;
        if (len == 0 || len > 4)
            return info;
        for (size_t k = i; k < j; ++k) {
            if (isDigit(static_cast<u8>(s[k])))
                info.hasDigit = true;
        }
        ++groups;
        i = j;
        if (i == s.size())
            break;
        if (s[i] != ':')
            return info;
        ++i;
        if (i < s.size() && s[i] == ':') {
            if (compressed)
                return info;
            compressed = true;
            ++i;
            if (i == s.size())
                break;
        } else if (i == s.size()) {
            return info; // trailing single ':'
        }
    }
    if (groups > 8 || (!compressed && groups != 8) || (compressed && groups > 7))
        return info;
    info.valid = true;
    info.groups = groups;
    info.compressed = compressed;
    return info;
}

bool canonicalIpv6(std::string_view s, std::string &out)
{
    std::array<quint16, 8> groups{};
    int count = 0;
    int gap = -1; // where "::" stands, in groups
    size_t i = 0;
    if (s.starts_with("::")) {
        gap = 0;
        i = 2;
    }
    while (i < s.size()) {
        // A dotted quad ends the address: two groups.
        const size_t next = s.find(':', i);
        const std::string_view part = s.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i);
        if (part.find('.') != std::string_view::npos) {
            std::array<int, 4> oct{};
            const auto *b = reinterpret_cast<const u8 *>(part.data());
            if (next != std::string_view::npos || count > 6 || parseIpv4(b, b + part.size(), oct) != b + part.size())
                return false;
            groups[size_t(count++)] = quint16(oct[0] << 8 | oct[1]);
            groups[size_t(count++)] = quint16(oct[2] << 8 | oct[3]);
            break;
        }
        if (part.empty() || part.size() > 4 || count == 8)
            return false;
        quint16 value = 0;
        for (char c : part) {
            if (!isHex(u8(c)))
                return false;
            value = quint16(value << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10));
        }
        groups[size_t(count++)] = value;
        if (next == std::string_view::npos)
            break;
        i = next + 1;
        if (i < s.size() && s[i] == ':') {
            if (gap >= 0)
                return false;
            gap = count;
            ++i;
        }
    }
    if (gap >= 0) {
        if (count > 7)
            return false;
        std::copy_backward(groups.begin() + gap, groups.begin() + count, groups.end());
        std::fill(groups.begin() + gap, groups.begin() + gap + (8 - count), quint16(0));
    } else if (count != 8) {
        return false;
    }
    // The longest run of two or more zero groups, the first of equal ones.
    int bestStart = -1;
    int bestLength = 1;
    for (int g = 0; g < 8;) {
        if (groups[size_t(g)] != 0) {
            ++g;
            continue;
        }
        int end = g;
        while (end < 8 && groups[size_t(end)] == 0)
            ++end;
        if (end - g > bestLength) {
            bestStart = g;
            bestLength = end - g;
        }
        g = end;
    }
    out.clear();
    static const char hex[] = "0123456789abcdef";
    for (int g = 0; g < 8; ++g) {
        if (g == bestStart) {
            out += "::";
            g += bestLength - 1;
            continue;
        }
        if (g > 0 && out.back() != ':')
            out += ':';
        const quint16 v = groups[size_t(g)];
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const int digit = (v >> shift) & 0xf;
            if (digit != 0 || started || shift == 0) {
                out += hex[digit];
                started = true;
            }
        }
    }
    return true;
}

bool luhn(const char *digits, int n)
{
    int sum = 0;
    bool dbl = false;
    for (int i = n - 1; i >= 0; --i) {
        int d = digits[i] - '0';
        if (dbl) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    return sum % 10 == 0;
}

bool plausibleCardPrefix(const char *d, int n)
{
    const int two = (d[0] - '0') * 10 + (d[1] - '0');
    const int four = two * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    if (d[0] == '4')
        return n == 13 || n == 16 || n == 19;
    if (two >= 51 && two <= 55)
        return n == 16;
    if (four >= 2221 && four <= 2720)
        return n == 16;
    if (two == 34 || two == 37)
        return n == 15;
    if (four == 6011 || two == 65 || (four >= 6440 && four <= 6499))
        return n >= 16 && n <= 19;
    if (four >= 3528 && four <= 3589)
        return n >= 16 && n <= 19;
    if (two == 36 || two == 38 || (four >= 3000 && four <= 3059))
        return n == 14;
    return false;
}

int ibanLength(char a, char b)
{
    // ISO 13616's registry: the length of each country's IBAN, in characters.
    static constexpr struct
    {
        char code[3];
        int length;
    } kLengths[] = {
        {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
        {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28},
        {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23},
        {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
        {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
        {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18},
        {"NO", 15}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
        {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
        {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    };
    for (const auto &entry : kLengths) {
        if (entry.code[0] == a && entry.code[1] == b)
            return entry.length;
    }
    return 0;
}

bool ibanChecksumHolds(const char *iban, int n)
{
    // The first four characters moved to the end, letters as 10..35: the number mod 97 is 1.
    int remainder = 0;
    for (int i = 0; i < n; ++i) {
        const char c = iban[(i + 4) % n];
        if (c >= '0' && c <= '9') {
            remainder = (remainder * 10 + (c - '0')) % 97;
        } else if (c >= 'A' && c <= 'Z') {
            remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
        } else {
            return false;
        }
    }
    return remainder == 1;
}

} // namespace dc::core::rx
