// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "app/gui/ruletexts.h"

#include <QCoreApplication>

namespace dc::gui {

namespace {

// The built-in rules' descriptions (core/redact/redactionrules.cpp), for lupdate; test_profiletexts
// fails when a rule's description is missing here or untranslated.
// clang-format off
[[maybe_unused]] constexpr const char *kDescriptions[] = {
    QT_TRANSLATE_NOOP("RuleTexts", "E-mail addresses (role addresses such as noreply@ and systemd units like user@1000.service are kept)"),
    QT_TRANSLATE_NOOP("RuleTexts", "IPv4 addresses; keeps loopback, unspecified, broadcast, netmasks, multicast, public resolvers and version-like numbers"),
    QT_TRANSLATE_NOOP("RuleTexts", "IPv6 addresses in every compressed form, in brackets, with zone or port; keeps ::1, :: and well-known multicast"),
    QT_TRANSLATE_NOOP("RuleTexts", "MAC addresses in colon, dash and dotted form; keeps broadcast and all-zero"),
    QT_TRANSLATE_NOOP("RuleTexts", "Host names in host contexts: URLs, host=/server=/Host:/Computer: values, the syslog host field, UNC paths, machine accounts, --host, 'connecting to X', and Bluetooth device names; keeps public vendor domains and localhost"),
    QT_TRANSLATE_NOOP("RuleTexts", "User names in home paths: /home/u/, /Users/u/, C:\\Users\\u\\"),
    QT_TRANSLATE_NOOP("RuleTexts", "User names in user=/login=/USER= values, DOMAIN\\user, sudo/su lines, the ps owner column, --user/-u options, 'for u from', 'invalid user u' log phrases and people's names in certificate subjects (CN=) and before e-mail addresses; keeps system accounts"),
    QT_TRANSLATE_NOOP("RuleTexts", "user:password in URLs (scheme://user:password@host)"),
    QT_TRANSLATE_NOOP("RuleTexts", "Values of token/key/signature/session/cookie parameters and settings"),
    QT_TRANSLATE_NOOP("RuleTexts", "Values of password/passwd/passphrase/secret settings (key=value, key: value, JSON)"),
    QT_TRANSLATE_NOOP("RuleTexts", "Bearer and other credentials in Authorization headers"),
    QT_TRANSLATE_NOOP("RuleTexts", "JSON Web Tokens (eyJ...eyJ...)"),
    QT_TRANSLATE_NOOP("RuleTexts", "Cloud access key ids (AKIA..., ASIA...)"),
    QT_TRANSLATE_NOOP("RuleTexts", "Well-known API token formats (GitHub ghp_/github_pat_, GitLab glpat-, Slack xox*-, Google AIza, Stripe sk_live_, npm_)"),
    QT_TRANSLATE_NOOP("RuleTexts", "Bodies of PEM/OpenSSH private-key blocks (BEGIN/END lines kept)"),
    QT_TRANSLATE_NOOP("RuleTexts", "Payment card numbers (known issuer prefixes, Luhn-checked)"),
    QT_TRANSLATE_NOOP("RuleTexts", "Bank account numbers (IBAN, checked against the country's length and the mod-97 check)"),
    QT_TRANSLATE_NOOP("RuleTexts", "Phone numbers in phone/tel/mobile/fax values, international +NN numbers and US (555) 010-9999 forms"),
    QT_TRANSLATE_NOOP("RuleTexts", "Windows account SIDs (S-1-5-21-..., S-1-12-1-...); keeps well-known SIDs"),
    QT_TRANSLATE_NOOP("RuleTexts", "This machine's id, machine-id/MachineGuid/InstallationID/ProductId/product_uuid values and DHCPv6 DUIDs; keeps boot, trace and request ids"),
    QT_TRANSLATE_NOOP("RuleTexts", "Hardware serial numbers in serial/Serial Number/ID_SERIAL values; keeps placeholders"),
    QT_TRANSLATE_NOOP("RuleTexts", "GPS coordinates in lat/lon/latitude/longitude/location/position/gps values"),
    QT_TRANSLATE_NOOP("RuleTexts", "This machine's host names, wherever they occur"),
    QT_TRANSLATE_NOOP("RuleTexts", "This machine's DNS domains wherever they occur, and Windows domains (DOMAIN\\user, Account Domain:)"),
    QT_TRANSLATE_NOOP("RuleTexts", "This machine's local account names, wherever they occur"),
    QT_TRANSLATE_NOOP("RuleTexts", "Terms added by the profile or the user, wherever they occur"),
    QT_TRANSLATE_NOOP("RuleTexts", "Wi-Fi network names (SSIDs) in ssid=/SSID: values and in wpa_supplicant, NetworkManager, iw and netsh output"),
};
// clang-format on

} // namespace

QString ruleDescription(const core::RuleInfo &rule)
{
    const QByteArray source = rule.description.toUtf8();
    return QCoreApplication::translate("RuleTexts", source.constData());
}

} // namespace dc::gui
