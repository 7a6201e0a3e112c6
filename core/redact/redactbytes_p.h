// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Private: the byte classes of the redaction scanner, one table lookup each.

#include <QtGlobal>
#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace dc::core::rx {

using u8 = unsigned char;

constexpr std::array<u8, 256> makeLower()
{
    std::array<u8, 256> t{};
    for (int i = 0; i < 256; ++i)
        t[i] = static_cast<u8>((i >= 'A' && i <= 'Z') ? i + 32 : i);
    return t;
}
inline constexpr std::array<u8, 256> kLower = makeLower();

enum CharBits : u8 { BAlpha = 1, BDigit = 2, BHex = 4, BLocal = 8, BB64 = 16, BHostc = 32, BKey = 64, BName = 128 };

constexpr std::array<u8, 256> makeBits()
{
    std::array<u8, 256> t{};
    for (int c = 0; c < 256; ++c) {
        u8 b = 0;
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        if (alpha)
            b |= BAlpha;
        if (digit)
            b |= BDigit;
        if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            b |= BHex;
        if (alpha || digit || c == '.' || c == '_' || c == '%' || c == '+' || c == '-')
            b |= BLocal;
        if (alpha || digit || c == '_' || c == '-')
            b |= BB64;
        if (alpha || digit || c == '-' || c == '.' || c == '_')
            b |= BHostc;
        if (alpha || digit || c == '_' || c == '-' || c == '.')
            b |= BKey;
        if (alpha || digit || c == '_' || c == '-' || c == '.')
            b |= BName;
        t[c] = b;
    }
    return t;
}
inline constexpr std::array<u8, 256> kBits = makeBits();

// More character sets of the recognisers' inner loops, one table lookup each
// instead of a chain of comparisons.
enum MoreBits : u8 {
    MTokenStop = 1,   // ends an unquoted secret value (tokenEnd)
    MUrlStop = 2,     // ends the authority of a URL (onUrl)
    MHexColonDot = 4, // hex digit, ':' or '.' (IPv6 candidates)
    MHexColon = 8,    // hex digit or ':'
    MAlnumDash = 16,  // letter, digit or '-' (DNS labels)
    MLabel = 32,      // letter, digit, '-' or '_' (labels after '@')
    MBearerChar = 64, // a character of a bearer token
};

constexpr std::array<u8, 256> makeMore()
{
    std::array<u8, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        const bool hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        const bool b64 = alpha || digit || c == '_' || c == '-';
        u8 b = 0;
        if (c <= ' ' || c == '&' || c == ',' || c == ';' || c == '"' || c == '\'' || c == '<' || c == '>' || c == ')' ||
            c == ']' || c == '}' || c == '|' || c == '`')
            b |= MTokenStop;
        if (c <= ' ' || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' ||
            c == '\\' || c == '(' || c == ')' || c == ',' || c == ';' || c == '{' || c == '}' || c == '|' || c == '`' ||
            c == '^' || c == 0x7f)
            b |= MUrlStop;
        if (hex || c == ':' || c == '.')
            b |= MHexColonDot;
        if (hex || c == ':')
            b |= MHexColon;
        if (alpha || digit || c == '-')
            b |= MAlnumDash;
        if (alpha || digit || c == '-' || c == '_')
            b |= MLabel;
        if (b64 || c == '.' || c == '~' || c == '+' || c == '/' || c == '=')
            b |= MBearerChar;
        t[c] = b;
    }
    return t;
}
inline constexpr std::array<u8, 256> kMore = makeMore();

inline bool isAlpha(u8 c) { return kBits[c] & BAlpha; }
inline bool isDigit(u8 c) { return kBits[c] & BDigit; }
inline bool isAlnum(u8 c) { return kBits[c] & (BAlpha | BDigit); }
inline bool isHex(u8 c) { return kBits[c] & BHex; }
inline bool isUpper(u8 c) { return c >= 'A' && c <= 'Z'; }
// A byte that a URL or form data carries as itself (RFC 3986 unreserved).
inline bool isUrlSafe(u8 c) { return isAlnum(c) || c == '.' || c == '_' || c == '~' || c == '-'; }
inline bool isB64(u8 c) { return kBits[c] & BB64; }
inline bool isHostChar(u8 c) { return kBits[c] & BHostc; }
inline bool isKeyChar(u8 c) { return kBits[c] & BKey; }
inline bool isNameChar(u8 c) { return kBits[c] & BName; }
inline bool isBlank(u8 c) { return c == ' ' || c == '\t'; }

inline bool ieq(const u8 *p, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        if (kLower[p[i]] != static_cast<u8>(lit[i]))
            return false;
    }
    return true;
}

inline bool equalsLower(std::string_view s, const char *lit)
{
    const size_t n = std::strlen(lit);
    return s.size() == n && ieq(reinterpret_cast<const u8 *>(s.data()), lit, n);
}

// Compares from the end, where key names differ first ("...token" vs "...user").
inline bool endsWith(std::string_view s, std::string_view suffix)
{
    if (s.size() < suffix.size())
        return false;
    const char *a = s.data() + s.size();
    const char *b = suffix.data() + suffix.size();
    for (size_t i = suffix.size(); i > 0; --i) {
        if (*--a != *--b)
            return false;
    }
    return true;
}

// Lower-cases s into buf when it fits; returns the view or an empty one.
inline std::string_view lowerInto(std::string_view s, std::array<char, 64> &buf)
{
    if (s.size() > buf.size())
        return {};
    for (size_t i = 0; i < s.size(); ++i)
        buf[i] = static_cast<char>(kLower[static_cast<u8>(s[i])]);
    return std::string_view(buf.data(), s.size());
}

// A lower-cased copy of a host name, on the stack unless it is very long.
class LowerCopy
{
public:
    LowerCopy(const u8 *s, const u8 *e)
    {
        const auto n = size_t(e - s);
        char *out = m_buf.data();
        if (n > m_buf.size()) {
            m_heap.resize(n);
            out = m_heap.data();
        }
        for (size_t i = 0; i < n; ++i)
            out[i] = static_cast<char>(kLower[s[i]]);
        m_view = std::string_view(out, n);
    }
    LowerCopy(const LowerCopy &) = delete;
    LowerCopy &operator=(const LowerCopy &) = delete;
    std::string_view view() const { return m_view; }

private:
    std::array<char, 256> m_buf; // written before it is read: no zeroing
    std::string m_heap;
    std::string_view m_view;
};

} // namespace dc::core::rx
