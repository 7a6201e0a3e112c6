// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#pragma once

#include <QtGlobal>

// Private: indices of the built-in rules in RedactionRules::builtinRules().
namespace dc::core::rid {

enum : quint16 {
    Email,
    Ipv4,
    Ipv6,
    Mac,
    Hostname,
    UserPath,
    Username,
    UrlCredentials,
    SecretParam,
    PasswordValue,
    Bearer,
    Jwt,
    AwsKey,
    ApiToken,
    PrivateKey,
    Card,
    Iban,
    Phone,
    Sid,
    MachineId,
    Serial,
    Gps,
    Host,
    Domain,
    Account,
    Keyword,
    WifiNetwork,
    BuiltinCount
};

} // namespace dc::core::rid
