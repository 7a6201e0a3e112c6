// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Private: address and number parsers of the redaction scanner.

#include "core/redact/redactbytes_p.h"

namespace dc::core::rx {

// Parses a dotted quad at p; returns its end or nullptr and fills the octets.
const u8 *parseIpv4(const u8 *p, const u8 *e, std::array<int, 4> &oct);
// Addresses that support needs and that identify nobody (loopback, masks, resolvers, ...).
bool isNonPersonalIpv4(const std::array<int, 4> &o);

struct Ipv6Info
{
    bool valid = false;
    int groups = 0;
    bool hasDigit = false;
    bool compressed = false;
};

// Validates s as an IPv6 address (RFC 4291 text forms, optional trailing dotted quad).
Ipv6Info validateIpv6(std::string_view s);
// The RFC 5952 text of an IPv6 address (lower case, no leading zeros, the
// longest run of zero groups as "::"), so that "2001:0DB8::0077" and
// "2001:db8:0:0:0:0:0:77" are one value; false (out untouched) when s is not one.
bool canonicalIpv6(std::string_view s, std::string &out);
bool luhn(const char *digits, int n);
bool plausibleCardPrefix(const char *d, int n);
// The length of an IBAN of the country "ab" (upper case), 0 for a country without IBANs.
int ibanLength(char a, char b);
// ISO 13616's check: `iban` (n upper-case letters and digits, no blanks) mod 97 is 1.
bool ibanChecksumHolds(const char *iban, int n);

} // namespace dc::core::rx
