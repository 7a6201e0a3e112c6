// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

// Private: key tables and value checks of the redaction scanner.

#include "core/redact/redactbytes_p.h"

#include <span>
#include <string_view>

namespace dc::core::rx {

// Key classes of key=value / key: value contexts and the value tables of
// the scanner (redactkeys.cpp).
enum KeyKind : u8 {
    KeyNone,
    KeyPassword,
    KeySecret,
    KeyAuth,
    KeyCookie,
    KeyHost,
    KeyServer, // host value only when it has a dot
    KeyDomain,
    KeyUser,
    KeyPhone,
    KeyCoord,
    KeyGeo,
    KeyMachineId,
    KeySerial,
    KeyNbDomain, // a Windows (NetBIOS) domain: one label is enough
    KeyMac,      // a MAC address, also as twelve bare hex digits ("MACAddress: 3C22FB12345A")
};

// The kind of a normalized key (letters and digits, lower case).
KeyKind classifyKey(std::string_view key);
// "********", "${VAR}", "<your-token>", "none", ...: not a value.
bool isPlaceholder(std::string_view v);
// 16+ characters mixing at least two of lower case, upper case and digits.
bool looksRandom(std::string_view v);
// A public vendor domain or one of its subdomains (lower case).
bool isVendorDomain(std::string_view hostLower);
bool isLocalhostName(std::string_view h);
// Log levels ("INFO", "warning"): never the host field of a log line.
bool isLevelWord(std::string_view w);
// "NT AUTHORITY\SYSTEM", "LOCAL SERVICE": the end of the identity at v, or nullptr.
const u8 *systemIdentityEnd(const u8 *v, const u8 *e);
// A Windows domain value that names nobody ("NT AUTHORITY", "WORKGROUP").
bool isSystemDomain(std::string_view d);
// A one-label name that looks like a machine's ("ws-kim-04", "BUILDSRV").
bool hostLike(const u8 *s, const u8 *e);
// Words that follow "user" in prose ("user logged in"): never a user name.
// A long lower-case word ending like an English noun or verb ("integration",
// "changes"): prose where only a weak context ("user X") says "user name".
bool hasEnglishWordEnding(std::string_view w);
bool isProseWord(std::string_view w);

// The labels of Japanese Windows output (event text, systeminfo, net user)
// and of forms ("アカウント名", "パスワード", "電話"), and what follows them.
enum class JapaneseKeyKind : u8 { User, Domain, Host, Password, Phone, MachineId, Person };
struct JapaneseKey
{
    std::string_view label; // UTF-8
    JapaneseKeyKind kind;
};
std::span<const JapaneseKey> japaneseKeys();

} // namespace dc::core::rx
