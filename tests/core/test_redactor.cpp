// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/pseudonymmap.h"
#include "core/redact/redactor.h"

#include <QtTest>
#include <cstring>
#include <memory>

using namespace dc::core;

namespace {

MachineContext testContext()
{
    MachineContext ctx;
    ctx.hostNames = {QStringLiteral("alice-laptop")};
    ctx.domains = {QStringLiteral("corp.example.net")};
    ctx.accounts = {QStringLiteral("alice"), QStringLiteral("bsmith")};
    ctx.machineId = "3f2a9c0d4b5e6f708192a3b4c5d6e7f8";
    return ctx;
}

QByteArray redactOnce(const QByteArray &in)
{
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    // A buffer of exactly the text's size, as the file streamer hands over:
    // under ASan a read before the first byte or after the last one fails
    // here (QByteArray's header and terminator would hide it).
    const auto exact = std::make_unique<char[]>(size_t(in.size()));
    std::memcpy(exact.get(), in.constData(), size_t(in.size()));
    return redactor.redact(std::string_view(exact.get(), size_t(in.size())), map);
}

// Every position of the line as the first byte of an exact buffer, as a chunk
// or a file may start there: under ASan, no read before the start or past the end.
void redactEverySuffix(const QByteArray &line)
{
    const Redactor redactor(RedactionRules::defaults(testContext()));
    for (qsizetype from = 1; from < line.size(); ++from) {
        const size_t n = size_t(line.size() - from);
        const auto exact = std::make_unique<char[]>(n);
        std::memcpy(exact.get(), line.constData() + from, n);
        PseudonymMap map;
        redactor.redact(std::string_view(exact.get(), n), map);
    }
}

} // namespace

class TestRedactor : public QObject
{
    Q_OBJECT

private slots:
    void rules_data();
    void rules();
    void nearMisses_data();
    void nearMisses();
    void consistentTokens();
    void keywordsAndPatterns();
    void disabledRule();
    void pendingPrivateKey();
    void scanFromContext();
    void termsOfAnyShape();
    void ownHardwareIds();
};

void TestRedactor::rules_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    // e-mail
    QTest::newRow("email") << QByteArray("from: John.Doe+x@mail.acme-corp.io.") << QByteArray("from: [email-1].");
    QTest::newRow("email-json") << QByteArray(R"({"email":"eve@contoso.co.uk"})")
                                << QByteArray(R"({"email":"[email-1]"})");
    // IPv4
    QTest::newRow("ipv4") << QByteArray("client 10.20.30.40 connected") << QByteArray("client [ipv4-1] connected");
    QTest::newRow("ipv4-port") << QByteArray("peer=192.168.1.17:5353;") << QByteArray("peer=[ipv4-1]:5353;");
    QTest::newRow("ipv4-cidr") << QByteArray("route 172.16.4.0/22 via") << QByteArray("route [ipv4-1]/22 via");
    // Found by fuzzing: an address ending in ':' must not stall the scan at that colon.
    QTest::newRow("ipv6-trailing-colon") << QByteArray("addr fe80::1: up") << QByteArray("addr [ipv6-1]: up");
    QTest::newRow("ipv6-short-trailing-colon")
        << QByteArray(R"({"e::2:"feY2::1%eth0"})") << QByteArray(R"({"[ipv6-1]:"feY2::1%eth0"})");
    QTest::newRow("ipv4-url") << QByteArray("GET http://203.0.113.9/x") << QByteArray("GET http://[ipv4-1]/x");
    // IPv6
    QTest::newRow("ipv6-full") << QByteArray("addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up")
                               << QByteArray("addr [ipv6-1] up");
    QTest::newRow("ipv6-compressed") << QByteArray("inet6 fe80::1c2d:3eff:fe4f:5a6b/64 scope link")
                                     << QByteArray("inet6 [ipv6-1]/64 scope link");
    QTest::newRow("ipv6-brackets") << QByteArray("[2a02:810d:4b3f::17]:443") << QByteArray("[[ipv6-1]]:443");
    // An IPv4-mapped address is the IPv4 address: one token for both spellings (see "ipv4-mapped").
    QTest::newRow("ipv6-v4mapped") << QByteArray("from ::ffff:10.1.2.3 x") << QByteArray("from ::ffff:[ipv4-1] x");
    QTest::newRow("ipv6-zone") << QByteArray("fe80::a1b2:3%eth0") << QByteArray("[ipv6-1]%eth0");
    QTest::newRow("ipv6-after-key") << QByteArray("addr:2a01:4f8:1c1c::2") << QByteArray("addr:[ipv6-1]");
    // MAC
    QTest::newRow("mac-colon") << QByteArray("ether 3c:22:fb:1a:9e:04 txq") << QByteArray("ether [mac-1] txq");
    QTest::newRow("mac-dash") << QByteArray("MAC: 3C-22-FB-1A-9E-04") << QByteArray("MAC: [mac-1]");
    QTest::newRow("mac-dotted") << QByteArray("mac 3c22.fb1a.9e04 vlan") << QByteArray("mac [mac-1] vlan");
    QTest::newRow("mac-same") << QByteArray("3c:22:fb:1a:9e:04 3C-22-FB-1A-9E-04") << QByteArray("[mac-1] [mac-1]");
    // host names in host contexts
    QTest::newRow("host-url") << QByteArray("https://intranet.acme-corp.io:8443/path?x=1")
                              << QByteArray("https://[host-1]:8443/path?x=1");
    QTest::newRow("host-kv") << QByteArray("host=db07.internal.acme-corp.io port=5432")
                             << QByteArray("host=[host-1] port=5432");
    QTest::newRow("host-header") << QByteArray("Host: files.acme-corp.io") << QByteArray("Host: [host-1]");
    QTest::newRow("host-single-label") << QByteArray("hostname=buildbox7") << QByteArray("hostname=[host-1]");
    // local names
    QTest::newRow("local-host") << QByteArray("alice-laptop kernel: x") << QByteArray("[host-1] kernel: x");
    QTest::newRow("local-fqdn") << QByteArray("ALICE-LAPTOP.corp.example.net") << QByteArray("[host-1].[domain-1]");
    QTest::newRow("local-account") << QByteArray("uid=1000(alice) gid=1000(alice)")
                                   << QByteArray("uid=1000([user-1]) gid=1000([user-1])");
    QTest::newRow("local-account-word") << QByteArray("bsmith_backup.tar") << QByteArray("[user-1]_backup.tar");
    QTest::newRow("machine-id-literal") << QByteArray("id 3F2A9C0D4B5E6F708192A3B4C5D6E7F8 boot")
                                        << QByteArray("id [machine-id-1] boot");
    // user names in paths and contexts
    QTest::newRow("home") << QByteArray("open /home/jdoe/.config/x") << QByteArray("open /home/[user-1]/.config/x");
    QTest::newRow("users-mac") << QByteArray("/Users/Mary.Jones/Library") << QByteArray("/Users/[user-1]/Library");
    QTest::newRow("users-win") << QByteArray(R"(C:\Users\John Smith\AppData)")
                               << QByteArray(R"(C:\Users\[user-1]\AppData)");
    QTest::newRow("users-win-json") << QByteArray(R"("C:\\Users\\jdoe\\Desktop")")
                                    << QByteArray(R"("C:\\Users\\[user-1]\\Desktop")");
    QTest::newRow("user-kv") << QByteArray("USER=jdoe LOGNAME=jdoe") << QByteArray("USER=[user-1] LOGNAME=[user-1]");
    QTest::newRow("for-from") << QByteArray("Accepted publickey for jdoe from 10.9.8.7 port 22")
                              << QByteArray("Accepted publickey for [user-1] from [ipv4-1] port 22");
    QTest::newRow("for-email-from") << QByteArray("login ok for alice@example.org from 203.0.113.7")
                                    << QByteArray("login ok for [email-1] from [ipv4-1]");
    QTest::newRow("invalid-user") << QByteArray("Failed password for invalid user mallory from 10.9.8.7")
                                  << QByteArray("Failed password for invalid user [user-1] from [ipv4-1]");
    QTest::newRow("for-user") << QByteArray("session opened for user jdoe(uid=1001) by (uid=0)")
                              << QByteArray("session opened for user [user-1](uid=1001) by (uid=0)");
    // credentials and secrets
    QTest::newRow("url-credentials") << QByteArray("postgres://svc:S3cr3t!@db.acme-corp.io/app")
                                     << QByteArray("postgres://[credential-1]@[host-1]/app");
    QTest::newRow("secret-param") << QByteArray("GET /cb?code=1&access_token=ya29.a0AfH6SMBx7&state=ok")
                                  << QByteArray("GET /cb?code=1&access_token=[secret-1]&state=ok");
    QTest::newRow("api-key-json") << QByteArray(R"({"apiKey": "k3y-9f8e7d6c5b4a"})")
                                  << QByteArray(R"({"apiKey": "[secret-1]"})");
    QTest::newRow("password-kv") << QByteArray("db.password=hunter2 next")
                                 << QByteArray("db.password=[password-1] next");
    QTest::newRow("password-yaml") << QByteArray("  password: 'c0rrect horse'")
                                   << QByteArray("  password: '[password-1]'");
    QTest::newRow("wifi-keys") << QByteArray("network={\n\tssid=\"x\"\n\tpsk=\"correcthorsebattery\"\n}\n"
                                             "[wifi-security]\npsk=hunter2hunter2\nwpa_passphrase=Sunny42")
                               << QByteArray("network={\n\tssid=\"x\"\n\tpsk=\"[password-1]\"\n}\n"
                                             "[wifi-security]\npsk=[password-2]\nwpa_passphrase=[password-3]");
    // Wi-Fi network names and passphrases in real formats
    QTest::newRow("ssid-config") << QByteArray("network={\n\tssid=\"Kim Family WiFi\"\n}\nssid=HomeNet-5G\n"
                                               "802-11-wireless.ssid:                   Kim Family WiFi")
                                 << QByteArray("network={\n\tssid=\"[ssid-1]\"\n}\nssid=[ssid-2]\n"
                                               "802-11-wireless.ssid:                   [ssid-1]");
    QTest::newRow("ssid-tables") << QByteArray(
                                        "    SSID                   : Maria's iPhone\n    BSSID                  : "
                                        "3c:52:82:1a:2b:3c\n\tSSID: Kim Family WiFi\n")
                                 << QByteArray("    SSID                   : [ssid-1]\n    BSSID                  : "
                                               "[mac-1]\n\tSSID: [ssid-2]\n");
    QTest::newRow("ssid-logs")
        << QByteArray("wlp2s0: Trying to associate with SSID 'Kim Family WiFi'\nwlp2s0: "
                      "CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"Guest Net\" auth_failures=1\n"
                      "supplicant interface state: associating -> completed, connected to SSID 'Guest Net'\n"
                      "{\"ssid\": \"Maria's iPhone\", \"signal\": -61}")
        << QByteArray("wlp2s0: Trying to associate with SSID '[ssid-1]'\nwlp2s0: "
                      "CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"[ssid-2]\" auth_failures=1\n"
                      "supplicant interface state: associating -> completed, connected to SSID '[ssid-2]'\n"
                      "{\"ssid\": \"[ssid-3]\", \"signal\": -61}");
    QTest::newRow("passphrase-blanks") << QByteArray("wpa_passphrase=Sunny Day 42\n802-11-wireless-security.psk:   "
                                                     "correct horse battery\n    Key Content            : Blue Sky 7 ")
                                       << QByteArray("wpa_passphrase=[password-1]\n802-11-wireless-security.psk:   "
                                                     "[password-2]\n    Key Content            : [password-3] ");
    // Bluetooth device names (bluetoothctl, BlueZ object paths)
    QTest::newRow("bluetooth") << QByteArray("[NEW] Device 3C:52:82:1A:2B:3C Maria's AirPods\n[CHG] Device "
                                             "3C:52:82:1A:2B:3C Name: Maria's AirPods\n[CHG] Device 3C:52:82:1A:2B:3C "
                                             "RSSI: -60\n/org/bluez/hci0/dev_3C_52_82_1A_2B_3C connected")
                               << QByteArray("[NEW] Device [mac-1] [host-1]\n[CHG] Device [mac-1] Name: [host-1]\n"
                                             "[CHG] Device [mac-1] RSSI: -60\n/org/bluez/hci0/dev_[mac-1] connected");
    // People's names in certificate subjects and directory names
    QTest::newRow("certificate-cn") << QByteArray("subject=CN = Jane Doe, O = Acme Corp, C = US\nSubject: C=US, "
                                                  "CN=Robert Miller-Smith/emailAddress=x\ncn=Tom O'Brien,ou=Users")
                                    << QByteArray("subject=CN = [user-1], O = Acme Corp, C = US\nSubject: C=US, "
                                                  "CN=[user-2]/emailAddress=x\ncn=[user-3],ou=Users");
    // A person's name in front of an address (git, mail headers; bare, only after a key or at
    // the line's start: prose is the run-wide pass's), a user name in quotes
    QTest::newRow("display-names") << QByteArray("Author: Jane Doe <jane.doe@corp.example>\nFrom: \"Robert Miller\" "
                                                 "<rmiller@corp.example>\nSender: Microsoft Azure "
                                                 "<azure-alerts@corp.example>\nto Jane Doe "
                                                 "<jane.doe@corp.example>\nFrom: \"Support\" <help@corp.example>")
                                   << QByteArray(
                                          "Author: [user-1] <[email-1]>\nFrom: \"[user-2]\" "
                                          "<[email-2]>\nSender: Microsoft Azure <[email-3]>\nto Jane Doe <[email-1]>\n"
                                          "From: \"Support\" <[email-4]>");
    QTest::newRow("user-quoted") << QByteArray("(http-nio-8080-exec-3) User 'kwilson' logged in from 10.4.5.6")
                                 << QByteArray("(http-nio-8080-exec-3) User '[user-1]' logged in from [ipv4-1]");
    QTest::newRow("gps-hemispheres") << QByteArray("seen at 35.6895 N, 139.6917 E and 47.37°N 8.54°E.")
                                     << QByteArray("seen at [gps-1] E and [gps-2]°E.");
    QTest::newRow("phone-trunk") << QByteArray("alt (03) 1234-5678, office (0201) 123-4567.")
                                 << QByteArray("alt [phone-1], office [phone-2].");
    QTest::newRow("iban") << QByteArray("IBAN DE89370400440532013000; iban: GB82 WEST 1234 5698 7654 32.")
                          << QByteArray("IBAN [iban-1]; iban: [iban-2].");
    QTest::newRow("password-flag") << QByteArray("mysql --password=Tr0ub4dor -h x")
                                   << QByteArray("mysql --password=[password-1] -h x");
    QTest::newRow("client-secret") << QByteArray("CLIENT_SECRET = abcDEF123456")
                                   << QByteArray("CLIENT_SECRET = [password-1]");
    QTest::newRow("bearer") << QByteArray("Authorization: Bearer abc.DEF-123_xyz~9")
                            << QByteArray("Authorization: Bearer [token-1]");
    QTest::newRow("basic") << QByteArray("authorization: Basic dXNlcjpwYXNz")
                           << QByteArray("authorization: Basic [token-1]");
    QTest::newRow("bearer-free") << QByteArray("using bearer 0123456789abcdef") << QByteArray("using bearer [token-1]");
    QTest::newRow("jwt") << QByteArray("t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sflKxwRJSMeKKF2QT4fwpM x")
                         << QByteArray("t=[token-1] x");
    QTest::newRow("aws") << QByteArray("key AKIAIOSFODNN7EXAMPLE used") << QByteArray("key [key-1] used");
    QTest::newRow("github") << QByteArray("ghp_1234567890abcdefghijABCDEFGHIJ123456") << QByteArray("[key-1]");
    QTest::newRow("cookie") << QByteArray("Cookie: sid=abc; theme=dark") << QByteArray("Cookie: [secret-1]");
    QTest::newRow("private-key")
        << QByteArray("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----\n")
        << QByteArray("-----BEGIN RSA PRIVATE KEY-----\n[private-key-1]\n\n-----END RSA PRIVATE KEY-----\n");
    // cards, phones, SIDs, ids, serials, GPS
    QTest::newRow("card-visa") << QByteArray("card 4111 1111 1111 1111 ok") << QByteArray("card [card-1] ok");
    QTest::newRow("card-plain") << QByteArray("pan=5555555555554444;") << QByteArray("pan=[card-1];");
    QTest::newRow("card-amex") << QByteArray("amex 3782-822463-10005") << QByteArray("amex [card-1]");
    QTest::newRow("phone-kv") << QByteArray("phone: (555) 123-4567\n") << QByteArray("phone: [phone-1]\n");
    QTest::newRow("phone-intl") << QByteArray("call +49 151 23456789 now") << QByteArray("call [phone-1] now");
    QTest::newRow("sid") << QByteArray("SID S-1-5-21-3623811015-3361044348-30300820-1013 x")
                         << QByteArray("SID [sid-1] x");
    QTest::newRow("sid-azure") << QByteArray("S-1-12-1-1234567-2345678-3456789-4567890") << QByteArray("[sid-1]");
    QTest::newRow("machine-id-kv") << QByteArray("MachineGuid = {8f3c2a1e-4b5d-4c6e-9f70-81a2b3c4d5e6}")
                                   << QByteArray("MachineGuid = {[machine-id-1]}");
    QTest::newRow("dmidecode-uuid") << QByteArray("\tUUID: 4c4c4544-0042-3510-8052-b7c04f4a4d32")
                                    << QByteArray("\tUUID: [machine-id-1]");
    QTest::newRow("serial") << QByteArray("\tSerial Number: PF2ABC7D\n") << QByteArray("\tSerial Number: [serial-1]\n");
    QTest::newRow("serial-udev") << QByteArray("ID_SERIAL_SHORT=S4EWNX0N123456A")
                                 << QByteArray("ID_SERIAL_SHORT=[serial-1]");
    QTest::newRow("gps-pair") << QByteArray(R"("location": "48.85661, 2.35222")")
                              << QByteArray(R"("location": "[gps-1]")");
    QTest::newRow("gps-lat") << QByteArray("lat=-33.8688 lon=151.2093") << QByteArray("lat=[gps-1] lon=[gps-2]");
    // The engine's fast paths (word skipping, the key-suffix filter, table lookups)
    // decide exactly as the plain checks did.
    QTest::newRow("suffix-token") << QByteArray("GITHUB_TOKEN=ghx_4f3e2d1c0b9a8877")
                                  << QByteArray("GITHUB_TOKEN=[secret-1]");
    QTest::newRow("suffix-server") << QByteArray("smtp_server=mail.acme-corp.io port 25")
                                   << QByteArray("smtp_server=[host-1] port 25");
    QTest::newRow("suffix-username") << QByteArray("ADMIN_USERNAME=jdoe;") << QByteArray("ADMIN_USERNAME=[user-1];");
    QTest::newRow("suffix-phone") << QByteArray("mobile_phone: +1 (555) 010-9999\n")
                                  << QByteArray("mobile_phone: [phone-1]\n");
    QTest::newRow("suffix-serial") << QByteArray("board_serial=QX7731ZP") << QByteArray("board_serial=[serial-1]");
    QTest::newRow("dpkg-arch-words") << QByteArray("passwd:amd64 passwd:amd64x passwd:all")
                                     << QByteArray("passwd:amd64 passwd:[password-1] passwd:all");
    QTest::newRow("long-key") << QByteArray(
                                     "a_very_long_configuration_prefix_that_goes_on_and_on_database_password=Zq9secret")
                              << QByteArray("a_very_long_configuration_prefix_that_goes_on_and_on_database_password=["
                                            "password-1]");
    QTest::newRow("key-exceptions")
        << QByteArray("nopasswd: x publickey=AAAAC3NzaC1lZDI1NTE5AAAAIexample hostkey: abcdefgh1234")
        << QByteArray("nopasswd: x publickey=AAAAC3NzaC1lZDI1NTE5AAAAIexample hostkey: abcdefgh1234");
    QTest::newRow("bare-key-session") << QByteArray("sessionkey=AbCdEf0123456789xyz session=counter key=v2:page:17")
                                      << QByteArray("sessionkey=[secret-1] session=counter key=v2:page:17");
    QTest::newRow("words-glued") << QByteArray("word1alice alice1 xalice alice_x 1alice 10.0.0.1a a10.0.0.1 x10.0.0.1")
                                 << QByteArray(
                                        "word1alice alice1 xalice [user-1]_x 1alice 10.0.0.1a a10.0.0.1 x10.0.0.1");
    QTest::newRow("words-mid-trigger")
        << QByteArray("abc123def bearer_token=0123456789abcdefXY forsomething for jdoe from 10.1.2.3")
        << QByteArray("abc123def bearer_token=[secret-1] forsomething for [user-1] from [ipv4-1]");
    QTest::newRow("host-prose") << QByteArray("host: plain words follow here and HOST: db01.acme-corp.io")
                                << QByteArray("host: plain words follow here and HOST: [host-1]");
    QTest::newRow("resolvers-masks")
        << QByteArray("resolvers 8.8.8.8 1.1.1.1 9.9.9.9 10.8.8.8 255.255.255.0 0.255.255.255 127.0.0.1")
        << QByteArray("resolvers 8.8.8.8 1.1.1.1 9.9.9.9 [ipv4-1] 255.255.255.0 0.255.255.255 127.0.0.1");
    QTest::newRow("email-roles-units")
        << QByteArray("mail root@acme-corp.io git@github.com x@y.service user@1000.service bob@acme-corp.io")
        << QByteArray("mail root@acme-corp.io git@github.com x@y.service user@1000.service [email-1]");
    QTest::newRow("fqdn-lookalikes")
        << QByteArray("PING db01.corp.example.org libc.so.6 com.acme.Foo System.IO Microsoft.NET files.example.net:443")
        << QByteArray("PING [host-1] libc.so.6 com.acme.Foo System.IO Microsoft.NET [host-2]:443");
    // Detection of the shapes real logs have (issue 13, part 4): positional
    // fields, phrases, key tables. Each has near misses below.
    QTest::newRow("syslog-host-bsd")
        << QByteArray("Mar  3 10:01:22 ws-kim-04 sshd[812]: Accepted publickey for jdoe from 10.9.8.7 port 22")
        << QByteArray("Mar  3 10:01:22 [host-1] sshd[812]: Accepted publickey for [user-1] from [ipv4-1] port 22");
    QTest::newRow("syslog-host-iso")
        << QByteArray("2024-03-03T10:01:22+01:00 BUILD-SRV2 CRON[1]: x\n<13>Mar 13 10:01:22 fs01 kernel: y")
        << QByteArray("2024-03-03T10:01:22+01:00 [host-1] CRON[1]: x\n<13>Mar 13 10:01:22 [host-2] kernel: y");
    QTest::newRow("syslog-host-5424") << QByteArray("<34>1 2024-03-03T10:01:22.123Z fileserv app 12 - - msg")
                                      << QByteArray("<34>1 2024-03-03T10:01:22.123Z [host-1] app 12 - - msg");
    QTest::newRow("domain-user")
        << QByteArray("explorer.exe  5480 Console  1  174,820 K Running  CONTOSO\\I.Doe  0:00:24 N/A")
        << QByteArray("explorer.exe  5480 Console  1  174,820 K Running  [domain-1]\\[user-1]  0:00:24 N/A");
    QTest::newRow("machine-account") << QByteArray("gpupdate: joined domain CONTOSO as ws-kim-04$ (CONTOSO\\FILESRV2$)")
                                     << QByteArray(
                                            "gpupdate: joined domain [domain-1] as [host-1]$ ([domain-1]\\[host-2]$)");
    QTest::newRow("net-use") << QByteArray("net use Z: \\\\fileserv02\\share /user:CONTOSO\\jdoe S3cret!x")
                             << QByteArray("net use Z: \\\\[host-1]\\share /user:[domain-1]\\[user-1] [password-1]");
    QTest::newRow("host-phrases") << QByteArray("connecting to jump9:22 failed; peer nb-lopez-7 left; share on "
                                                "FILESRV2; from 10.1.2.3 to db-07 established; on host build")
                                  << QByteArray("connecting to [host-1]:22 failed; peer [host-2] left; share on "
                                                "[host-3]; from [ipv4-1] to [host-4] established; on host [host-5]");
    QTest::newRow("cli-options")
        << QByteArray("+ /usr/bin/mysqldump --host build1 --user mresta --password Obira7237+ -u kim -pS3cr3t db")
        << QByteArray("+ /usr/bin/mysqldump --host [host-1] --user [user-1] --password [password-1] -u [user-2] "
                      "-p[password-2] db");
    QTest::newRow("cli-curl-psql") << QByteArray("curl -u jdoe:hunter22 https://x; psql -h db -U alice_db -p 5432")
                                   << QByteArray(
                                          "curl -u [user-1]:[password-1] https://x; psql -h db -U [user-2] -p 5432");
    QTest::newRow("sudo-su")
        << QByteArray("sudo:   jdoe : TTY=pts/1 ; PWD=/home/jdoe/src ; USER=root\nsu[6039]: (to root) vanbon on pts/9")
        << QByteArray("sudo:   [user-1] : TTY=pts/1 ; PWD=/home/[user-1]/src ; USER=root\nsu[6039]: (to root) [user-2] "
                      "on pts/9");
    QTest::newRow("password-keys")
        << QByteArray("smb_pass: Mekab8115$\nServer=db1;User Id=bojor_dun;Password=%nQJ9Rr_5m;")
        << QByteArray("smb_pass: [password-1]\nServer=[host-1];User Id=[user-1];Password=[password-2];");
    QTest::newRow("ipv4-path")
        << QByteArray("/var/log/remote/10.162.94.71/messages /nginx/192.168.247.34-access.log "
                      "db.acme-corp.io/73.92.64.37:5432")
        << QByteArray("/var/log/remote/[ipv4-1]/messages /nginx/[ipv4-2]-access.log [host-1]/[ipv4-3]:5432");
    QTest::newRow("winevent") << QByteArray("\tAccount Name:\t\tjdoe\n\tAccount Domain:\t\tCONTOSO\n\tWorkstation "
                                            "Name:\tWS-KIM-04\n  Computer: pc-7.corp.contoso.lan\n")
                              << QByteArray(
                                     "\tAccount Name:\t\t[user-1]\n\tAccount Domain:\t\t[domain-1]\n\tWorkstation "
                                     "Name:\t[host-1]\n  Computer: [host-2]\n");
    QTest::newRow("ipconfig")
        << QByteArray(
               "   Host Name . . . . . . . . . . . . : DESKTOP-JL043XZ\n   Primary Dns Suffix  . . . . . . . : "
               "corp.contoso.lan\n   DHCPv6 Client DUID. . . . . . . . : 00-01-00-01-2A-3B-4C-5D-3C-22-FB-1A-9E-04\n")
        << QByteArray("   Host Name . . . . . . . . . . . . : [host-1]\n   Primary Dns Suffix  . . . . . . . : "
                      "[host-2]\n   DHCPv6 Client DUID. . . . . . . . : [machine-id-1]\n");
    QTest::newRow("registry")
        << QByteArray(
               "    MachineGuid    REG_SZ    10d082f3-00e4-40fc-b684-6fa5463e5dec\n    ProductId    REG_SZ    "
               "00330-80000-00000-AA123\n    InstallationID    REG_SZ    {A2BC5839-BD1E-48BF-97CD-7BF9B3F58080}\n")
        << QByteArray("    MachineGuid    REG_SZ    [machine-id-1]\n    ProductId    REG_SZ    [machine-id-2]\n    "
                      "InstallationID    REG_SZ    {[machine-id-3]}\n");
    QTest::newRow("duid-serial")
        << QByteArray(
               "dhcp6_client_id => '00:01:00:01:1d:16:37:3e:76:06:77:74:ab:96'\nIdentifyingNumber : 2X11QU4W5L\n")
        << QByteArray("dhcp6_client_id => '[machine-id-1]'\nIdentifyingNumber : [serial-1]\n");
    QTest::newRow("ps-who")
        << QByteArray("jdoe      4711  0.3  1.2 12345 6789 pts/0 S 10:00 0:00 vim\nmtasira+ 2477 18.0 5.9 280195 "
                      "819550 tty2 Ss 09:12 1:05 zoom\nkim      pts/0        2024-03-03 10:01\n")
        << QByteArray("[user-1]      4711  0.3  1.2 12345 6789 pts/0 S 10:00 0:00 vim\n[user-2]+ 2477 18.0 5.9 280195 "
                      "819550 tty2 Ss 09:12 1:05 zoom\n[user-3]      pts/0        2024-03-03 10:01\n");
    QTest::newRow("email-encoded-glued")
        << QByteArray("email=jane.doe%40corp-x.org&x=1 moved erin@example.com_backup and erin@example.com-old")
        << QByteArray("email=[email-1]&x=1 moved [email-2]_backup and [email-2]-old");
    QTest::newRow("gps-shapes") << QByteArray(
                                       "GPSLatitude 41.0135 N, position -54.46821, 46.077287 acc\nLocation: "
                                       "47.37\xc2\xb0 N, 8.54\xc2\xb0 E\nGPS Latitude      : 25 deg 53' 25.95\" N\n")
                                << QByteArray("GPSLatitude [gps-1] N, position [gps-2] acc\nLocation: [gps-3]\xc2\xb0 "
                                              "E\nGPS Latitude      : [gps-4] N\n");
    QTest::newRow("phone-us") << QByteArray("Call from (845) 320-1325 to 426-538-2404, sms to 434.485.5794.")
                              << QByteArray("Call from [phone-1] to [phone-2], sms to [phone-3].");
    QTest::newRow("phone-us-bare") << QByteArray("escalated; reach me on 555-010-9999 or (555) 010-9998")
                                   << QByteArray("escalated; reach me on [phone-1] or [phone-2]");
    QTest::newRow("phone-us-near-misses")
        << QByteArray("build 123-456-7890, ref X-555-010-9999, v2.555-010-9999, 555.010.9999 and 555-010-99999")
        << QByteArray("build 123-456-7890, ref X-555-010-9999, v2.555-010-9999, 555.010.9999 and 555-010-99999");
    QTest::newRow("webhook")
        << QByteArray("POST https://hooks.slack.com/services/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 -> 200")
        << QByteArray("POST https://hooks.slack.com/services/T0OXH1WE1W/B0WTG4GGKH/[secret-1] -> 200");
    QTest::newRow("mac-cisco-digits") << QByteArray("client (5487.bc20.bf19) on Gi1/0/20")
                                      << QByteArray("client ([mac-1]) on Gi1/0/20");
    QTest::newRow("fqdn-digit-label")
        << QByteArray("from nb-naltek-4.int.acme-x.org and search intra.acme-corp.lan and db01.acme.ro")
        << QByteArray("from [host-1] and search [host-2] and [host-3]");
    QTest::newRow("user-phrases")
        << QByteArray("New session 142 of user ghawil.\ntoken refresh for filumv failed\nAccess denied for user "
                      "'jdoe'@'10.1.2.3'\nsshd: kcelgar@pts/0\n")
        << QByteArray("New session 142 of user [user-1].\ntoken refresh for [user-2] failed\nAccess denied for user "
                      "'[user-3]'@'[ipv4-1]'\nsshd: [user-4]@pts/0\n");
    QTest::newRow("search-private-labels")
        << QByteArray("search int.acme-x.org ad.acme-y.io\nsession=<dwKVkiCEAAqTQHKN>")
        << QByteArray("search [host-1] [host-2]\nsession=<[secret-1]>");
    QTest::newRow("cron-pam-systeminfo")
        << QByteArray("CRON[2201]: (jdoe) CMD (/usr/bin/true)\nsession opened for user root(uid=0) by kim(uid=1000)\n"
                      "Host Name:                 WS-KIM-04\nProduct ID:                00330-80000-00000-AA123\n")
        << QByteArray(
               "CRON[2201]: ([user-1]) CMD (/usr/bin/true)\nsession opened for user root(uid=0) by [user-2](uid=1000)\n"
               "Host Name:                 [host-1]\nProduct ID:                [machine-id-1]\n");
    QTest::newRow("dovecot-angle") << QByteArray("Login: user=<jlekgartek>, method=PLAIN, session=<kfp9bbNb3y6sCxX8>")
                                   << QByteArray("Login: user=<[user-1]>, method=PLAIN, session=<[secret-1]>");
    QTest::newRow("set-cookie") << QByteArray("Set-Cookie: SESSIONID=abcdef123456; Path=/; HttpOnly; Secure")
                                << QByteArray("Set-Cookie: SESSIONID=[secret-1]; Path=/; HttpOnly; Secure");
    QTest::newRow("user-word")
        << QByteArray("user jdoe logged in; User CONTOSO\\kim authenticated; user logged out")
        << QByteArray("user [user-1] logged in; User [domain-1]\\[user-2] authenticated; user logged out");
    QTest::newRow("aws-csv") << QByteArray("jdoe,AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
                             << QByteArray("jdoe,[key-1],[secret-1]\n");
    QTest::newRow("serial-keys")
        << QByteArray("S/N: 2X11QU4W5L\nSerial Number (system): C02XK1ABJG5H\n\"IOPlatformUUID\" = "
                      "\"8F3C2A1E-4B5D-4C6E-9F70-81A2B3C4D5E6\"\n")
        << QByteArray("S/N: [serial-1]\nSerial Number (system): [serial-2]\n\"IOPlatformUUID\" = \"[machine-id-1]\"\n");
    QTest::newRow("url-code") << QByteArray("GET /cb?code=4/0AeaYSHDxQ9kLmNo2pQr&state=ok&sid=Ab3dEf6hIj9kLm2nOp5q")
                              << QByteArray("GET /cb?code=[secret-1]&state=ok&sid=[secret-2]");
    QTest::newRow("amz-credential")
        << QByteArray("X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240303%2Feu-west-1%2Fs3%2Faws4_request&")
        << QByteArray("X-Amz-Credential=[secret-1]%2F20240303%2Feu-west-1%2Fs3%2Faws4_request&");
    // Shapes found by the second corpus (bench/eval2), each as the tool prints it.
    QTest::newRow("event-xml-data")
        << QByteArray("<Data Name=\"TargetUserName\">jdoe</Data>\n<Data Name=\"TargetDomainName\">CONTOSO</Data>\n"
                      "<Data Name=\"WorkstationName\">WS-KIM-04</Data>\n<Data Name=\"LogonType\">3</Data>")
        << QByteArray(
               "<Data Name=\"TargetUserName\">[user-1]</Data>\n<Data Name=\"TargetDomainName\">[domain-1]</Data>\n"
               "<Data Name=\"WorkstationName\">[host-1]</Data>\n<Data Name=\"LogonType\">3</Data>");
    QTest::newRow("cef-leef")
        << QByteArray("CEF:0|Microsoft|Windows||4625|failed|Low| shost=ws-kim-04 suser=jdoe sntdom=CONTOSO duser=kim\n"
                      "LEEF:2.0|Lancope|StealthWatch|1.0|41|^|usrName=jdoe^proto=tcp")
        << QByteArray("CEF:0|Microsoft|Windows||4625|failed|Low| shost=[host-1] suser=[user-1] sntdom=[domain-1] "
                      "duser=[user-2]\nLEEF:2.0|Lancope|StealthWatch|1.0|41|^|usrName=[user-1]^proto=tcp");
    QTest::newRow("auditd-acct")
        << QByteArray(
               "msg='op=login acct=\"jdoe\" exe=\"/usr/sbin/sshd\" hostname=ws-kim-04 addr=10.1.2.3 res=failed'\n"
               "msg='op=PAM:authentication grantors=? acct=kim exe=\"/usr/sbin/sshd\"'")
        << QByteArray(
               "msg='op=login acct=\"[user-1]\" exe=\"/usr/sbin/sshd\" hostname=[host-1] addr=[ipv4-1] res=failed'\n"
               "msg='op=PAM:authentication grantors=? acct=[user-2] exe=\"/usr/sbin/sshd\"'");
    QTest::newRow("id-getent")
        << QByteArray(
               "uid=1001(jdoe) gid=1001(jdoe) groups=1001(jdoe),27(sudo)\njdoe:x:1001:1001:,,,:/home/jdoe:/bin/bash")
        << QByteArray(
               "uid=1001([user-1]) gid=1001([user-1]) groups=1001([user-1]),27(sudo)\n[user-1]:x:1001:1001:,,,:/home/"
               "[user-1]:/bin/bash");
    QTest::newRow("sudo-pid-sshd-cmdline")
        << QByteArray(
               "sudo[6123]:    jdoe : TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/ls\n_CMDLINE=sshd: kim [priv]")
        << QByteArray(
               "sudo[6123]:    [user-1] : TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/ls\n_CMDLINE=sshd: [user-2] "
               "[priv]");
    QTest::newRow("samba-radius-asa")
        << QByteArray("Authentication for user [jdoe] -> [jdoe] FAILED\nLogin OK: [kim] (from client vpn-gw01 port 0)\n"
                      "Group <VPN> User <lee> IP <203.0.113.7>")
        << QByteArray("Authentication for user [[user-1]] -> [[user-1]] FAILED\nLogin OK: [[user-2]] (from client "
                      "[host-1] port 0)\nGroup <VPN> User <[user-3]> IP <[ipv4-1]>");
    QTest::newRow("netrc")
        << QByteArray(
               "machine api.vendor.example login jdoe password s3cr3t!x\ndefault login kim password \"two words\"\n"
               "machine build.vendor.example\n  login lee\n  password Pa55w0rd\n  account acct-77\nmachine x")
        << QByteArray(
               "machine api.vendor.example login [user-1] password [password-1]\ndefault login [user-2] password "
               "\"[password-2]\"\nmachine build.vendor.example\n  login [user-3]\n  password [password-3]\n  "
               "account [password-4]\nmachine x");
    QTest::newRow("freeradius")
        << QByteArray("Auth: (12) Login incorrect (pap: Cleartext password \"hunter2x\" does not match \"known good\" "
                      "password): [alice] (from client office-ap port 0)\nAuth: (13) Login OK: [bob/Sesame42] (from "
                      "client vpn-gw01 port 0)\nAuth: (14) Login incorrect: [carol/<via Auth-Type = EAP>] (from client "
                      "10.1.2.3 port 1)")
        << QByteArray("Auth: (12) Login incorrect (pap: Cleartext password \"[password-1]\" does not match \"known "
                      "good\" password): [[user-1]] (from client [host-1] port 0)\nAuth: (13) Login OK: "
                      "[[user-2]/[password-2]] (from client [host-2] port 0)\nAuth: (14) Login incorrect: "
                      "[[user-3]/<via Auth-Type = EAP>] (from client [ipv4-1] port 1)");
    QTest::newRow("lsof-peer")
        << QByteArray("sshd    812 root    3u  IPv4  31245      0t0  TCP 10.1.2.3:ssh->ws-kim-04:50312 (ESTABLISHED)\n"
                      "curl 99 kim 5u IPv4 1 0t0 TCP nb-lee-2:41000->fileserv02:https (ESTABLISHED)")
        << QByteArray("sshd    812 root    3u  IPv4  31245      0t0  TCP [ipv4-1]:ssh->[host-1]:50312 (ESTABLISHED)\n"
                      "curl 99 [user-1] 5u IPv4 1 0t0 TCP [host-2]:41000->[host-3]:https (ESTABLISHED)");
    QTest::newRow("id-phrases")
        << QByteArray(
               "device id 5f2b8c9d0e1f2a3b4c5d6e7f8a9b0c1d\nInstallation ID: {8F2A3C4D-1B2E-4F60-9A7B-0C1D2E3F4A5B}\n"
               "hardware id=00112233445566778899aabbccddeeff")
        << QByteArray("device id [machine-id-1]\nInstallation ID: {[machine-id-2]}\nhardware id=[machine-id-3]");
    // wmic csproduct / Win32_ComputerSystemProduct / product_uuid: a GUID alone on its line.
    QTest::newRow("bare-guid-lines")
        << QByteArray("UUID  \r\n4C4C4544-0042-3510-8052-B2C04F4E3233  \r\n\r\n{8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5f6}\n"
                      "  8F2A3C4D-1B2C-4D5E-8F90-A1B2C3D4E5F7\n00000000-0000-0000-0000-000000000000\n"
                      "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF\n")
        << QByteArray("UUID  \r\n[machine-id-1]  \r\n\r\n{[machine-id-2]}\n  [machine-id-3]\n"
                      "00000000-0000-0000-0000-000000000000\nFFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF\n");
    QTest::newRow("dhcp-lease-names")
        << QByteArray("lease 192.168.1.100 {\n  client-hostname \"ws-kim-04\";\n}\noption host-name \"nb-lopez-7\";\n"
                      "ddns-hostname \"BUILD-SRV2\";\nclient-hostname \"\";\nclient-hostname \"localhost\";\n")
        << QByteArray("lease [ipv4-1] {\n  client-hostname \"[host-1]\";\n}\noption host-name \"[host-2]\";\n"
                      "ddns-hostname \"[host-3]\";\nclient-hostname \"\";\nclient-hostname \"localhost\";\n");
    QTest::newRow("dnsmasq-ack-names")
        << QByteArray("dnsmasq-dhcp[900]: DHCPACK(br0) 192.168.1.102 3c:52:82:1a:2b:3e annas-iphone\n"
                      "dnsmasq-dhcp[900]: DHCPACK(br0) 192.168.1.103 3c:52:82:1a:2b:3f\n"
                      "dnsmasq-dhcp[900]: DHCPACK(br0) 192.168.1.104 3c:52:82:1a:2b:40 two words\n")
        << QByteArray("dnsmasq-dhcp[900]: DHCPACK(br0) [ipv4-1] [mac-1] [host-1]\n"
                      "dnsmasq-dhcp[900]: DHCPACK(br0) [ipv4-2] [mac-2]\n"
                      "dnsmasq-dhcp[900]: DHCPACK(br0) [ipv4-3] [mac-3] two words\n");
    QTest::newRow("guids-with-words-on-their-line-stay")
        << QByteArray(
               "request 8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5f8 done\n8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5f9 started\n"
               "x8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5fb\n8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5fc}\n"
               "8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5fd-x\n{8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5fe\n")
        << QByteArray(
               "request 8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5f8 done\n8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5f9 started\n"
               "x8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5fb\n8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5fc}\n"
               "8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5fd-x\n{8f2a3c4d-1b2c-4d5e-8f90-a1b2c3d4e5fe\n");
    QTest::newRow("strong-user-contexts-keep-word-like-names")
        << QByteArray(
               "Invalid user hastings from 203.0.113.9 port 4242\nFailed password for invalid user administration from "
               "203.0.113.9 port 22 ssh2")
        << QByteArray("Invalid user [user-1] from [ipv4-1] port 4242\nFailed password for invalid user [user-2] from "
                      "[ipv4-1] port 22 ssh2");
    QTest::newRow("netfilter-mac-field")
        << QByteArray(
               "[UFW BLOCK] IN=eth0 OUT= MAC=3c:52:82:1a:2b:3c:00:16:3e:5d:7a:01:08:00 SRC=203.0.113.5 DST=10.0.0.7")
        << QByteArray("[UFW BLOCK] IN=eth0 OUT= MAC=[mac-1]:[mac-2]:08:00 SRC=[ipv4-1] DST=[ipv4-2]");
    QTest::newRow("macos-full-name")
        << QByteArray(
               "User Name: Olivia Martin (omartin)\nUser Name: root (root)\nUser Name: Build Agent Service (svc-build)")
        << QByteArray("User Name: [user-1] ([user-2])\nUser Name: root (root)\nUser Name: [user-3] ([user-4])");
    QTest::newRow("windows-user-tools")
        << QByteArray(
               "User name                    mlopez\nFull Name                    Maria Lopez\nUSER INFORMATION\n"
               "User Name      SID\n============== =====\ncorp\\mlopez    "
               "S-1-5-21-3623811015-3361044348-30300820-1013\n"
               " USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n"
               ">jwilson               console             1  Active      none   3/3/2024 9:58 AM\n"
               " kpatel                rdp-tcp#3           2  Active      .      3/3/2024 9:59 AM\n"
               "#0>\tClient: tnguyen @ CORP.EXAMPLE.COM")
        << QByteArray("User name                    [user-1]\nFull Name                    [user-2]\nUSER INFORMATION\n"
                      "User Name      SID\n============== =====\n[domain-1]\\[user-1]    [sid-1]\n"
                      " USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n"
                      ">[user-3]               console             1  Active      none   3/3/2024 9:58 AM\n"
                      " [user-4]                rdp-tcp#3           2  Active      .      3/3/2024 9:59 AM\n"
                      "#0>\tClient: [user-5] @ [host-1]");
    QTest::newRow("query-secrets")
        << QByteArray("GET /cb?code=4%2F0AX4XfWh-abcdefghijklmnop&state=xyz HTTP/1.1\n"
                      "/reset-password?email=jane%40example.org&key=7d1f0c3e\nGET /list?key=name&code=200&sid=12")
        << QByteArray("GET /cb?code=[secret-1]&state=xyz HTTP/1.1\n/reset-password?email=[email-1]&key=[secret-2]\n"
                      "GET /list?key=name&code=200&sid=12");
    QTest::newRow("connstr-server")
        << QByteArray("Server=db01;Database=app;User Id=svc_app;Password=Sunshine2020!;\n"
                      "Server=tcp:sql-prod-2,1433;Initial Catalog=x\nServer=localhost;Database=y\nserver=nginx")
        << QByteArray("Server=[host-1];Database=app;User Id=[user-1];Password=[password-1];\n"
                      "Server=tcp:[host-2],1433;Initial Catalog=x\nServer=localhost;Database=y\nserver=nginx");
    QTest::newRow("ls-l-owner")
        << QByteArray("drwx------  5 jdoe jdoe 4096 Mar  3 10:01 .cache\n-rw-r--r--. 1 kim users 220 Jan  1 2024 x\n"
                      "lrwxrwxrwx  1 root root    7 Jan  1 2024 bin -> usr/bin")
        << QByteArray(
               "drwx------  5 [user-1] [user-1] 4096 Mar  3 10:01 .cache\n-rw-r--r--. 1 [user-2] users 220 Jan  1 "
               "2024 x\nlrwxrwxrwx  1 root root    7 Jan  1 2024 bin -> usr/bin");
    QTest::newRow("own-account-not-in-constants")
        << QByteArray("ALICE_HOME=/srv/a alice_backup ALICE-laptop ALICE_x")
        << QByteArray("ALICE_HOME=/srv/a [user-1]_backup [host-1] [user-1]_x");
    QTest::newRow("host-shapes")
        << QByteArray(
               "DHCPACK on 10.1.2.3 to 3c:52:82:1a:2b:3c (ws-kim-04) via eth0\n\"node\":\"worker-3\" "
               "helo=<nb-lee-2>\nSetting the hostname to ws-lee-01.corp.example.com (ws-lee-01)\n"
               "java.net.UnknownHostException: fileserv02: Name or service not known\nMachine: BUILD7 (Microsoft "
               "Windows NT 10.0.19045.0)\nAccount Name: WS-KIM-04$")
        << QByteArray(
               "DHCPACK on [ipv4-1] to [mac-1] ([host-1]) via eth0\n\"node\":\"[host-2]\" helo=<[host-3]>\n"
               "Setting the hostname to [host-4] ([host-5])\njava.net.UnknownHostException: [host-6]: Name or "
               "service not known\nMachine: [host-7] (Microsoft Windows NT 10.0.19045.0)\nAccount Name: [host-1]$");
    QTest::newRow("user-at-name")
        << QByteArray(
               "[812] jdoe@sales LOG:  connection authorized\nsshpass -p x ssh kim@ws-kim-04\nlee@nb-lee-2:~$ ls\n"
               "arn:aws:iam::123456789012:user/ops/mira")
        << QByteArray("[812] [user-1]@sales LOG:  connection authorized\nsshpass -p x ssh "
                      "[user-2]@[host-1]\n[user-3]@[host-2]:~$ ls\n"
                      "arn:aws:iam::123456789012:user/ops/[user-4]");
    QTest::newRow("access-log-columns")
        << QByteArray(
               "2024-03-03 10:01:22 10.0.0.5 GET /owa/ - 443 jdoe 203.0.113.50 Mozilla/5.0+(Windows+NT+10.0) - 200\n"
               "1709460082.123    145 10.1.2.3 TCP_TUNNEL/200 4523 CONNECT www.google.com:443 kim "
               "HIER_DIRECT/142.250.1.1 -")
        << QByteArray(
               "2024-03-03 10:01:22 [ipv4-1] GET /owa/ - 443 [user-1] [ipv4-2] Mozilla/5.0+(Windows+NT+10.0) - 200\n"
               "1709460082.123    145 [ipv4-3] TCP_TUNNEL/200 4523 CONNECT www.google.com:443 [user-2] "
               "HIER_DIRECT/[ipv4-4] -");
    QTest::newRow("name-before-address")
        << QByteArray("2024-03-03 10:01:22 jdoe/203.0.113.7:51234 MULTI_sva: pool returned IPv4=10.8.0.6\n"
                      "  ws-kim-04 (ipv4:10.1.2.3:50312) connect to service projects")
        << QByteArray("2024-03-03 10:01:22 [user-1]/[ipv4-1]:51234 MULTI_sva: pool returned IPv4=[ipv4-2]\n"
                      "  [host-1] (ipv4:[ipv4-3]:50312) connect to service projects");
    QTest::newRow("logcat-location-dhcp-csv")
        << QByteArray("D LocationManagerService: incoming location: Location[fused 47.376887,8.541694 hAcc=12]\n"
                      "10,03/21/24,09:47:37,Assign,10.204.72.110,ws-kim-04.corp.example.com,1E95C6DC3067,,742327773,0")
        << QByteArray("D LocationManagerService: incoming location: Location[fused [gps-1] hAcc=12]\n"
                      "10,03/21/24,09:47:37,Assign,[ipv4-1],[host-1],[mac-1],,742327773,0");
    QTest::newRow("column-evidence")
        << QByteArray(
               "retry 3 times 10.0.0.9 failed\nport 443 kim 10.0.0.8 up\ncache/10.0.0.7 and HIER_NONE/10.0.0.6\n")
        << QByteArray(
               "retry 3 times [ipv4-1] failed\nport 443 kim [ipv4-2] up\ncache/10.0.0.7 and HIER_NONE/[ipv4-3]\n");
    QTest::newRow("lsof-user")
        << QByteArray("sshd      27195     jdoe    3u  IPv4  19152      0t0  TCP *:ssh (LISTEN)\n"
                      "systemd       1     root  cwd   DIR  259,2     4096    2 /\nnginx   812 12 workers 0.5 s\n")
        << QByteArray("sshd      27195     [user-1]    3u  IPv4  19152      0t0  TCP *:ssh (LISTEN)\n"
                      "systemd       1     root  cwd   DIR  259,2     4096    2 /\nnginx   812 12 workers 0.5 s\n");
    QTest::newRow("mac-then-word") << QByteArray("set MAC address to 40:5d:cd:86:a5:a1 (scanning)")
                                   << QByteArray("set MAC address to [mac-1] (scanning)");
    QTest::newRow("url-password-unencoded")
        << QByteArray("DATABASE_URL=postgresql://app:Sunshine2020?@db01.corp.example.com:5432/sales?sslmode=require\n"
                      "2024-03-03 10:01:22 jane.doe/203.0.113.7:51234 MULTI_sva: pool returned\n"
                      "to db01.corp.example.com/10.1.2.3:5432 and https://example.com/a?b=1#frag")
        << QByteArray("DATABASE_URL=postgresql://[credential-1]@[host-1]:5432/sales?sslmode=require\n"
                      "2024-03-03 10:01:22 [user-1]/[ipv4-1]:51234 MULTI_sva: pool returned\n"
                      "to [host-1]/[ipv4-2]:5432 and https://[host-2]/a?b=1#frag");
    QTest::newRow("winbind-keys")
        << QByteArray(
               "Could not find DC for domain CONTOSO\n\"DefaultDomainName\"=\"CONTOSO\"\nandroid_id=9774d56d682e549c\n"
               "{\"device\":\"8f2a1c3e-4b5d-4c6e-9f70-81a2b3c4d5e6\"}\nBiosSeralNumber : 5CG1234XYZ")
        << QByteArray("Could not find DC for domain "
                      "[domain-1]\n\"DefaultDomainName\"=\"[domain-1]\"\nandroid_id=[machine-id-1]\n"
                      "{\"device\":\"[machine-id-2]\"}\nBiosSeralNumber : [serial-1]");
    // A user at an IPv4 address (not a package at a version: npm's "left-pad@1.3.0.1").
    QTest::newRow("user-at-ipv4") << QByteArray("ssh jdoe@10.20.5.6\nscp f root@192.168.1.50:/tmp")
                                  << QByteArray("ssh [user-1]@[ipv4-1]\nscp f root@[ipv4-2]:/tmp");
    // Command lines after "_CMDLINE=", in JSON, in auditd's quoted arguments, after a quoted .exe path.
    QTest::newRow("cmdline-contexts")
        << QByteArray("{\"_CMDLINE\":\"mysql -uroot -pS3cretPw db\"}\nproctitle=mysql -pS3cretPw db\n"
                      "type=EXECVE argc=3 a0=\"mysql\" a1=\"-uadmin\" a2=\"-pW1nter2024!\"\n"
                      "CommandLine: \"C:\\Program Files\\MySQL\\bin\\mysql.exe\" -uroot -pS3cretPw db")
        << QByteArray("{\"_CMDLINE\":\"mysql -uroot -p[password-1] db\"}\nproctitle=mysql -p[password-1] db\n"
                      "type=EXECVE argc=3 a0=\"mysql\" a1=\"-uadmin\" a2=\"-p[password-2]\"\n"
                      "CommandLine: \"C:\\Program Files\\MySQL\\bin\\mysql.exe\" -uroot -p[password-1] db");
    QTest::newRow("cmdline-credentials")
        << QByteArray("Process Command Line: \"C:\\Windows\\System32\\net.exe\" use Z: \\\\fs02\\fin "
                      "/user:CONTOSO\\rlopez Spring2024!\ncurl --user svc_api:Api#Key42 https://10.1.2.3/v1\n"
                      "ldapsearch -x -w LdapPw99 -b dc=example,dc=org")
        << QByteArray("Process Command Line: \"C:\\Windows\\System32\\net.exe\" use Z: \\\\[host-1]\\fin "
                      "/user:[domain-1]\\[user-1] [password-1]\ncurl --user [user-2]:[password-2] https://[ipv4-1]/v1\n"
                      "ldapsearch -x -w [password-3] -b dc=example,dc=org");
    // Japanese Windows event text, systeminfo and net user, and labels in prose.
    QTest::newRow("japanese-labels")
        << QByteArray(
               "\tアカウント名:\t\tt.suzuki\n\tアカウント ドメイン:\t\tYAMATO\n\tワークステーション名:\tPC-SATO-02\n"
               "登録されている所有者:      鈴木 太郎\nプロダクト ID:             00331-10000-00001-AA456\n"
               "ユーザー名                   t.suzuki\nユーザー名：t.suzuki、パスワード：Yamato2024!\n"
               "担当者：山田花子（x）電話：03-1234-5678 携帯：090-1234-5678")
        << QByteArray(
               "\tアカウント名:\t\t[user-1]\n\tアカウント ドメイン:\t\t[domain-1]\n\tワークステーション名:\t[host-1]\n"
               "登録されている所有者:      [user-2]\nプロダクト ID:             [machine-id-1]\n"
               "ユーザー名                   [user-1]\nユーザー名：[user-1]、パスワード：[password-1]\n"
               "担当者：[user-3]（x）電話：[phone-1] 携帯：[phone-2]");
    // passwd lines: the user and, in the GECOS field, a person's name; an IPv4-mapped address's IPv4 token.
    QTest::newRow("passwd-full-name") << QByteArray(
                                             "ebauer:x:1000:1000:Elisabeth Bauer,Room 3.14,,:/home/ebauer:/bin/bash\n"
                                             "backup:x:34:34:backup:/var/backups:/usr/sbin/nologin")
                                      << QByteArray(
                                             "[user-1]:x:1000:1000:[user-2],Room 3.14,,:/home/[user-1]:/bin/bash\n"
                                             "backup:x:34:34:backup:/var/backups:/usr/sbin/nologin");
    QTest::newRow("ipv4-mapped") << QByteArray("Client Address: ::ffff:10.20.44.18 and 10.20.44.18, ::ffff:127.0.0.1")
                                 << QByteArray("Client Address: ::ffff:[ipv4-1] and [ipv4-1], ::ffff:127.0.0.1");
    // PowerShell: the string a cmdlet turns into a secret, and -Password / -Username parameters.
    QTest::newRow("powershell-secrets")
        << QByteArray("PS C:\\> $pw = ConvertTo-SecureString \"Spring2024!\" -AsPlainText -Force\n"
                      "Invoke-Sqlcmd -ServerInstance sql03 -Username sa -Password 'Sql@dmin99' -Query x")
        << QByteArray("PS C:\\> $pw = ConvertTo-SecureString \"[password-1]\" -AsPlainText -Force\n"
                      "Invoke-Sqlcmd -ServerInstance sql03 -Username sa -Password '[password-2]' -Query x");
    QTest::newRow("ssid-in-prose")
        << QByteArray("Activation: (wifi) connection 'Kowalski-Home-5G' has security\n"
                      "[com.apple.WiFiManager:] Joined network \"Appleseed Family 5G\" on channel 36")
        << QByteArray("Activation: (wifi) connection '[ssid-1]' has security\n"
                      "[com.apple.WiFiManager:] Joined network \"[ssid-2]\" on channel 36");
    // Settings files: XML elements and .NET appSettings pairs; MAC keys with bare hex; who changed what.
    QTest::newRow("xml-settings")
        << QByteArray("<add key=\"SmtpPassword\" value=\"XmlPass2\" />\n<add key=\"Timeout\" value=\"30\" />\n"
                      "<server><id>repo</id><username>deploy</username><password>XmlPass1</password></server>")
        << QByteArray("<add key=\"SmtpPassword\" value=\"[password-1]\" />\n<add key=\"Timeout\" value=\"30\" />\n"
                      "<server><id>repo</id><username>[user-1]</username><password>[password-2]</password></server>");
    QTest::newRow("mac-keys-bare-hex")
        << QByteArray(
               "mac=3c22fb123459 MACAddress: 3C22FB123459\n{\"macAddress\":\"3c22fb12345c\"}\nmac: hmac-sha2-256")
        << QByteArray("mac=[mac-1] MACAddress: [mac-1]\n{\"macAddress\":\"[mac-2]\"}\nmac: hmac-sha2-256");
    QTest::newRow("changed-by") << QByteArray("Requested-By: kimlee (1000)\nLast modified by: gthomas")
                                << QByteArray("Requested-By: [user-1] (1000)\nLast modified by: [user-2]");
    QTest::newRow("windows-generated-names")
        << QByteArray("client name LAPTOP-7QK2JH1, workstation DESKTOP-A1B2C3D connected; DESKTOP-ABCDEFG")
        << QByteArray("client name [host-1], workstation [host-2] connected; DESKTOP-ABCDEFG");
    QTest::newRow("powershell-securestring")
        << QByteArray(
               "New-LocalUser -Password (ConvertTo-SecureString \"PsPass8!\" -AsPlainText -Force)\n"
               "$s = (ConvertTo-SecureString -String 'PsPass7!' -AsPlainText -Force)\nWrite-Output -String hello")
        << QByteArray(
               "New-LocalUser -Password (ConvertTo-SecureString \"[password-1]\" -AsPlainText -Force)\n"
               "$s = (ConvertTo-SecureString -String '[password-2]' -AsPlainText -Force)\nWrite-Output -String hello");
    // A value on the line below its header (wmic, Get-CimInstance) or the command that printed it.
    QTest::newRow("value-below-header")
        << QByteArray(
               "SerialNumber  \r\n5CG1234XYZ    \r\n\r\nSerialNumber\n------------\nPF2ABCDE\n"
               "$ cat /etc/machine-id\n9f3c2a1b4d5e6f708192a3b4c5d6e7f9\n"
               "/etc/machine-id: 9f3c2a1b4d5e6f708192a3b4c5d6e7fa\n$ cat /sys/class/dmi/id/product_serial\nR90ABCDEF1")
        << QByteArray("SerialNumber  \r\n[serial-1]    \r\n\r\nSerialNumber\n------------\n[serial-2]\n"
                      "$ cat /etc/machine-id\n[machine-id-1]\n/etc/machine-id: [machine-id-2]\n"
                      "$ cat /sys/class/dmi/id/product_serial\n[serial-3]");
    // Coordinates a word or two after their key, and in map links.
    QTest::newRow("gps-phrases")
        << QByteArray("Location update: 48.858370, 2.294481 accuracy 12m\nGPS fix 35.6585805,139.7454329 sats=9\n"
                      "https://maps.google.com/?q=59.3293,18.0686")
        << QByteArray(
               "Location update: [gps-1] accuracy 12m\nGPS fix [gps-2] sats=9\nhttps://maps.google.com/?q=[gps-3]");
    // Machines in prose and shares written with slashes; a NetBIOS domain after "Domain:"; ODBC's braces.
    QTest::newRow("hosts-in-prose")
        << QByteArray("Resolved ws-ana-11 to 10.1.2.4\nping pc-moreau-3 succeeded; ssh to pc-moreau-4 failed\n"
                      "Mounted //nas-hr-01/home on /mnt/home\nComputer Name: WS-ANA-12   Domain: FABRIKAM")
        << QByteArray("Resolved [host-1] to [ipv4-1]\nping [host-2] succeeded; ssh to [host-3] failed\n"
                      "Mounted //[host-4]/home on /mnt/home\nComputer Name: [host-5]   Domain: [domain-1]");
    QTest::newRow("odbc-braces") << QByteArray("Driver={ODBC Driver 18};Server=sql02;Pwd={p@ss;word1};")
                                 << QByteArray("Driver={ODBC Driver 18};Server=[host-1];Pwd={[password-1]};");
    // An address in a file's name ends at its top-level domain: the same token as the plain address.
    QTest::newRow("email-in-file-names")
        << QByteArray("kim.lee@contoso.com-2024-03-04.log and kim.lee@contoso.com\njdoe@corp.example.org.txt")
        << QByteArray("[email-1]-2024-03-04.log and [email-1]\n[email-2].txt");
    // National numbers: Japan's dashed groups anywhere, the UK's after a word of calls.
    QTest::newRow("national-phones")
        << QByteArray("Called 020 7946 0959 from extension; SMS to 07700 900123\n"
                      "TEL 06-6543-2109, 090-1234-5678, toll free 0120-123-456")
        << QByteArray(
               "Called [phone-1] from extension; SMS to [phone-2]\nTEL [phone-3], [phone-4], toll free [phone-5]");
    // Kerberos principals: the user's and the host's own tokens, the realm as the domain's host token.
    QTest::newRow("kerberos-principals")
        << QByteArray("AS_REQ fnakamura@CORP.EXAMPLE.COM for krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM\n"
                      "TGS_REQ host/ws-ana-26.corp.example.com@CORP.EXAMPLE.COM; JOHN.DOE@CONTOSO.COM")
        << QByteArray("AS_REQ [user-1]@[host-1] for krbtgt/[host-1]@[host-1]\n"
                      "TGS_REQ host/[host-2]@[host-1]; [email-1]");
    QTest::newRow("sql-server-instances")
        << QByteArray("Server=SQL01\\INSTANCE2;Database=x\nData Source=db01\\SQLEXPRESS;User ID=app")
        << QByteArray("Server=[host-1]\\INSTANCE2;Database=x\nData Source=[host-2]\\SQLEXPRESS;User ID=[user-1]");
    QTest::newRow("home-paths-japanese") << QByteArray("C:\\Users\\田中\\Documents\\a.xlsx /home/佐藤/docs")
                                         << QByteArray("C:\\Users\\[user-1]\\Documents\\a.xlsx /home/[user-2]/docs");
}

void TestRedactor::rules()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(redactOnce(input), expected);
    redactEverySuffix(input);
}

void TestRedactor::nearMisses_data()
{
    QTest::addColumn<QByteArray>("input");
    const char *rows[][2] = {
        {"version", "nginx version 1.2.3.4 started"},
        {"machine-prose", "machine learning model loaded from cache"},
        {"padded-key-prose", "the user name  is shown below\nconsole output follows\nopen the console  now"},
        {"dmesg-iso", "2026-12-06T23:00:47,000576+00:00 MTRR map: 0 entries\n"
                      "2026-12-06T23:00:47,000580+00:00 Zone ranges:\n2026-12-07T02:42:26,293645+00:00 Thread "
                      "(pooled)[4786]: segfault"},
        {"initdb-auth-host", "initdb -D /var/lib/postgresql/15/main --auth-local peer --auth-host scram-sha-256"},
        {"user-prose",
         "messaging system (systemd --user integration)\ngraph of changes; preserve user changes to config files; "
         "user directories"},
        {"wall-message", "Message from syslogd@localhost at Mar  3 10:01:22 ..."},
        {"dot-folders-under-home", "/home/.cache/thumbnails /home/.local/share C:\\Users\\.cache\\x"},
        {"id-phrase-short", "device id 42 attached; machine id unknown; device idle"},
        {"uart-chips", "[    0.512345] Serial: 8250/16550 driver, 4 ports, IRQ sharing enabled"},
        {"gai-conf-prefix", "precedence ::ffff:0:0/96  100\nlabel 2002::/16    2\nlabel fc00::/7     5"},
        // Parenthesized numbers that are no area code before a local number.
        {"trunk-phone-like", "errors (03) 1234 items, (042) 12-3456-7 and (05) 2024-12-07"},
        // Decimals with a letter after them that are no pair of hemispheres.
        {"hemisphere-like", "took 12.50 s, 3.25 E 4.75 N; rated 4.5 S 2.25 E; grid 10.25 N"},
        // IBAN-like words whose check digits, length or country do not hold.
        {"iban-like", "DE89370400440532013001 DE8937040044053201300 ZZ89370400440532013000 de89370400440532013000"},
        // An event log's name is not a login name (LOGNAME); "user", "test" stand for nobody.
        {"windows-log-name", "Log Name:      Security\nSource:        Microsoft-Windows-Security-Auditing"},
        {"generic-user-names", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA user@x\nInvalid user test from "
                               "[ipv4-1] port 22\nUSER=root ; User ID=[user-1]"},
        {"default-prose", "default gateway is unreachable"},
        {"arrow-prose", "state: idle->running:ok"},
        {"arrow-localhost", "TCP 127.0.0.1:5432->localhost:41000 (ESTABLISHED)"},
        {"passwd-path", "== Local accounts (/etc/passwd: name, uid and shell only) =="},
        {"nsswitch", "passwd:         files systemd"},
        // Windows and MSI wordings after "user", and "per user X": no user names.
        {"user-prose-windows", "Completed periodic user policy processing\nPer user index is enabled.\n"
                               "Product is per user install; install time 10:15:03\n"
                               "Per user time zone is Tokyo Standard Time."},
        {"login-pseudo-user", "session opened for user operator by LOGIN(uid=0)\nof user CA RSA SHA256:abc"},
        // Windows device ids, Group Policy paths, WMI namespaces, certificate stores, virtual accounts.
        {"windows-paths-no-accounts",
         "Device Install - USB\\VID_046D&PID_C52B&MI_00\\7&2c4b5e7f&0&0000\ndvi: Device PCI\\VEN_8086&DEV_15BC "
         "configured\n    User Configuration\\Windows Settings\\Security Settings\n"
         "Get-CimInstance -Namespace ROOT\\CIMV2 -ClassName Win32_BIOS\nCert:\\LocalMachine\\Root\n"
         "Owner  : NT SERVICE\\TrustedInstaller\nIIS APPPOOL\\DefaultAppPool"},
        // A message right after the time is no host field; products after "connection to".
        {"message-after-time", "2024-03-04T09:12:33Z Exit code: 1\nMar  4 09:12:33 Starting service: nginx\n"
                               "2024-03-04T09:12:33+0000 DDEBUG Command: dnf install -y httpd\n"
                               "error occurred while establishing a connection to SQL Server."},
        {"code-not-hosts", "    at Module._compile (node:internal/modules/cjs/loader:1256:14)\n"
                           "Server environment:user.home=/opt/zk java.home=/usr/lib/jvm/java-17\n"
                           "Could not load file or assembly 'Newtonsoft.Json, PublicKeyToken=30ad4fe6b2a6aeed'\n"
                           "Acquiring token for scopes from cache; Lease for orders-0 from broker 1\n"
                           "Engine:Detection: Trojan:Win32/Wacatac.H!ml, sig: 0x0001a2b3"},
        // Placeholders a vendor leaves in place of a serial, and a file named in prose.
        {"value-below-placeholders", "SerialNumber\nTo Be Filled By O.E.M.\nSerialNumber  \nDefault string\n"
                                     "use /etc/machine-id to identify\nSerialNumber\nNone"},
        {"host-phrase-prose", "ping: unknown host\nresolved the issue\nDNS resolved 5 names\nssh to the server failed\n"
                              "Domain: WORKGROUP\nhttps://www.microsoft.com/?q=1.5,2.5 took 0.25, 0.5 s"},
        {"national-phone-like", "build 0-1-2, ids 01 02 03 04 05 06, at 0600 1200 2400 000001\n"
                                "version 01-02-2024, code 012-34, path=foo\\bar;"},
        // A certificate's serial, SSH's key types, the CI runner's account.
        {"public-identifiers", "Serial Number: 0a:01:41:42:00:00:01:53:85:73:6a:0b:85:ec:a7:08\n"
                               "debug1: Server host key: ecdsa-sha2-nistp256 SHA256:abcdefghijklmnop\n"
                               "HOME=/home/runner/work/_temp/abc"},
        // Multicast group MACs (arp -a, ip maddr) and prose about networks.
        {"multicast-macs", "  224.0.0.22            01-00-5e-00-00-16     static\n33:33:00:00:00:fb 01:80:c2:00:00:0e\n"
                           "the wireless network adapter failed; $cred = Get-Credential"},
        // An installer's default host name is no one's: the distribution's name stays.
        {"default-host-name", "Mar  4 10:00:00 ubuntu kernel: Linux version 6.5.0 (buildd@ubuntu) Ubuntu 22.04"},
        {"application-versions", "Firefox 115.8.0.1\nバージョン 2.4.57.1 のインストール\nnpm install left-pad@1.3.0.1"},
        {"dpkg-arch", "Upgrade: passwd:amd64 (1:4.13+dfsg1-1, 1:4.13+dfsg1-1+b1), adduser:all (3.134)"},
        {"host-prose", "kvm-pvm: mmio caching disabled (nested host: reported MAXPHYADDR 48 may be narrower)"},
        {"passwd-windows-path", "reading C:\\cygwin\\etc\\passwd: name list"},
        {"version-v", "build v10.0.0.1"},
        {"version-product", "Mozilla/5.0 Chrome/110.0.0.0 Safari"},
        {"version-json", R"({"version": "2.4.1.0"})"},
        {"oid", "OID 1.3.6.1.4.1.311.21.8"},
        {"oid4", "oid 2.5.4.3 commonName"},
        {"five-parts", "pkg 1.2.3.4.5"},
        {"netmask", "netmask 255.255.255.0 broadcast 255.255.255.255"},
        {"loopback", "listen 127.0.0.1:631 and 0.0.0.0:22"},
        {"resolvers", "nameserver 8.8.8.8\nnameserver 1.1.1.1\nnameserver 9.9.9.9"},
        {"multicast", "join 224.0.0.251"},
        {"v6-loopback", "listen [::1]:53 and [::]:80 and ::1"},
        {"v6-multicast", "ff02::1 ff02::fb"},
        {"time", "10:20:30.123 and 2024-01-02T10:20:30Z"},
        {"mac-special", "ff:ff:ff:ff:ff:ff 00:00:00:00:00:00"},
        {"fingerprint", "SHA256 3a:4b:5c:6d:7e:8f:9a:0b:1c:2d"},
        {"cpp", "std::vector<int>::push_back and Foo::Bar::baz(a::b)"},
        {"java", "at com.acme.Foo.bar(Foo.java:123)"},
        {"epoch", "ts=1700000000 ms=1700000000123 ns=1700000000123456789"},
        {"hash", "sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
        {"trace", "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 request_id=7c9e6679-7425-40de-944b-e07fc1f90ae7"},
        {"boot", "boot_id=1f0c8e0a3e6b4b6c9d2a7e5f4c3b2a10"},
        {"wellknown-sid", "S-1-5-18 S-1-5-32-544 S-1-1-0 S-1-5-21"},
        {"system-accounts", "USER=root user=www-data /home/nobody for daemon from 10"},
        {"vendor",
         "https://deb.debian.org/debian and Host: github.com and https://login.microsoftonline.microsoft.com/"},
        {"localhost", "http://localhost:8080/ host=localhost"},
        {"files", "loaded libc.so.6 and /usr/lib/x86_64-linux-gnu/libssl.so.3"},
        {"unit", "Started user@1000.service and getty@tty1.service"},
        {"role-mail", "git@github.com:org/repo.git"},
        {"placeholder", "password=******** password= token=<redacted> secret: ${DB_SECRET}"},
        {"short-secret", "session=42 key=abc"},
        {"luhn-fail", "order 4111 1111 1111 1112"},
        {"date-num", "2024-01-02 12:00:01,123"},
        {"tz", "+0100 and +01:00"},
        {"serial-placeholder", "Serial Number: To Be Filled By O.E.M.\nSerial Number: Not Specified"},
        {"already", "[email-1] [ipv4-2] host=[host-3] password=[password-1]"},
        {"prose", "waiting for data from server; user logged in"},
        {"server-header", "Server: nginx/1.18.0"},
        {"trailing-clock-digits", "at 12"}, // fuzz regression: read past the end
        {"uuid-blkid", R"(UUID="1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9")"},
        {"system-identities", "Account Name: LOCAL SERVICE\nRun As User: NT AUTHORITY\\NETWORK SERVICE\nRunning  NT "
                              "AUTHORITY\\SYSTEM  0:00:01 N/A"},
        {"version-column", "Realtek Audio Driver                    1.17.83.41\nNotepad++ (64-bit x64)\t3.21.85.119"},
        {"oid-extension", "  Extension: 2.5.29.37 critical=false\nOID    REG_SZ    2.5.4.3"},
        {"vendor-login", "https://login.microsoftonline.com/common/oauth2 and repo1.maven.org:443"},
        {"pam-service", "pam_unix(passwd:chauthtok): session opened for user root"},
        {"app-log-lines", "2024-03-03 10:01:22,123 INFO server: started\n2024-07-27T04:13:28+00:00 WARNING auth: "
                          "x\nJul 27 04:12:08: %DOT1X-5-SUCCESS: y"},
        {"windows-paths", "HKLM\\SOFTWARE\\Microsoft\\Windows and C:\\Windows\\System32\\drivers and "
                          "%SYSTEMROOT%\\system32 and \\\\?\\C:\\x \\\\.\\pipe\\x"},
        {"escapes", "\"line one\\nline two\\tEND\\u00e9\""},
        {"flag-options", "systemctl --user restart pulseaudio\npip install --user requests\nssh -p 2222 host\nls -l "
                         "/tmp --no-password x"},
        {"pwd-path", "PWD=/srv/app OLDPWD=/var/tmp"},
        {"plain-words",
         "peer closed connection; connecting to server failed; on host is down; joined domain controller"},
        {"dollar", "C$ ADMIN$ $HOME ${VAR} costs 5$ and ^abc$"},
        {"code-attributes", "self.id and user.profile.id and app.py and x.tar.gz"},
        {"numbers", "took 12.5 of 40.25s, build 1234.5678.9012, items 123-456"},
        {"ps-header", "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\nroot         1  0.0  "
                      "0.1 168000 12000 ?        Ss   09:00   0:01 /sbin/init\nsystemd+   512  0.0  0.1  90000  6000 ? "
                      "       Ssl  09:00   0:00 timesyncd"},
        {"product-versions", "Updated Zoom 5.16.10.26 and Teams 1.6.0.1; code=200 sid=42 SID: S-1-5-18"},
        {"user-prose",
         "user logged in, User Manager for UID 1000, the user interface, /run/user/1000, pam_systemd-user"},
        {"placeholders-angle", "user=<username> token=<your-token> password=<password> session=<SESSION>"},
        {"shaped-near-misses",
         "<Data Name=\"LogonType\">3</Data> <Data Name=\"TargetUserName\">-</Data> uid=0(root) gid=0(root) "
         "groups=0(root)\nroot:x:0:0:root:/root:/bin/bash\nmachine: x86_64 \"machine\": \"AMD64\"\n\"device\": "
         "\"/dev/sda1\" device=eth0\nimage@sha256:9f86d081884c7d65 and npm i left-pad@1.3.0 and postgres@postgres LOG: "
         " "
         "x\nuser <username> and Authentication for user [root]"},
        {"samba-function-prose", "  check_ntlm_password:  Authentication for user [root] -> [root] FAILED"},
        {"ssid-words", "The SSID is hidden.\nCTRL-EVENT-SSID-REENABLED id=0\nSSID: --\nssid=\"\"\nssid_list=all"},
        {"device-words", "Device 3C:52 not found\nDevice eth0 is up\n[NEW] Device FF:FF:FF:FF:FF:FF (random)"},
        {"certificate-authorities",
         "issuer=CN = Acme Issuing CA 01, O = Acme Corp\nCN=Microsoft Corporation\n"
         "CN = DigiCert Global Root G2\nCN=R3, O=Let's Encrypt\nCN=Encryption Everywhere DV TLS "
         "CA - G1\nCN=Users,DC=contoso\ncn=admin"},
        {"dhcp-mac-without-name", "DHCPACK to ff:ff:ff:ff:ff:ff (localhost) via eth0"},
        {"already-user-tokens", "Login OK: [user-3] (from client [host-2] port 0) user=[user-1] acct=[user-2]"},
        {"mac-then-word", "set-hw-addr: set MAC address to 00:00:00:00:00:00 (scanning)"},
        {"column-near-misses", "retry 3 times 127.0.0.1 failed\nGET / - 443 - 127.0.0.1 curl/8.0 - 200\n"
                               "Mozilla/5.0 and Chrome/110.0.0.0 and tcp 10 10.20.30.x\nat /127.0.0.1:5432 refused\n"
                               "10,03/21/24,09:47:37,Started,,,,,0,6,,,,,,,,,0"},
        {"fqdn-paren-other", "Resolving archive.ubuntu.com (archive.ubuntu.com)... done"},
    };
    for (const auto &row : rows)
        QTest::newRow(row[0]) << QByteArray(row[1]);
}

void TestRedactor::nearMisses()
{
    QFETCH(QByteArray, input);
    QCOMPARE(redactOnce(input), input);
    redactEverySuffix(input);
}

void TestRedactor::consistentTokens()
{
    const Redactor redactor(RedactionRules::defaults(testContext()));
    PseudonymMap map;
    const QByteArray a = redactor.redact(std::string_view("a@x-corp.io 10.1.1.1 A@X-CORP.IO 10.1.1.2 10.1.1.1"), map);
    QCOMPARE(a, QByteArray("[email-1] [ipv4-1] [email-1] [ipv4-2] [ipv4-1]"));
    const QByteArray b = redactor.redact(std::string_view("user=jdoe /home/jdoe alice"), map);
    QCOMPARE(b, QByteArray("user=[user-1] /home/[user-1] [user-2]"));
    QCOMPARE(map.size(), 5);
    // One entity in its spellings: URL-encoded e-mail, MAC forms.
    const QByteArray c =
        redactor.redact(std::string_view("jane%40x-corp.io jane@x-corp.io 3c52.821a.2b3c 3C-52-82-1A-2B-3C"), map);
    QCOMPARE(c, QByteArray("[email-2] [email-2] [mac-1] [mac-1]"));
    // IPv6 in its RFC 5952 form: leading zeros, case and "::" do not make another address.
    const QByteArray d = redactor.redact(
        std::string_view(
            "2001:db8:0:0:0:0:0:77 2001:0DB8::0077 2001:db8:0:0:1:0:0:1 2001:db8::1:0:0:1 fe80::1:0:0:0:2"),
        map);
    QCOMPARE(d, QByteArray("[ipv6-1] [ipv6-1] [ipv6-2] [ipv6-2] [ipv6-3]"));
    QCOMPARE(*map.find(QStringLiteral("ipv6"), "fe80:0:0:1::2"), QByteArray("[ipv6-3]"));
}

void TestRedactor::keywordsAndPatterns()
{
    RedactionRules rules = RedactionRules::defaults(testContext());
    rules.addKeyword(QStringLiteral("Project Falcon"));
    QVERIFY(rules.addPattern(QStringLiteral("ticket"), QStringLiteral("TCK-[0-9]{5}")).has_value());
    QVERIFY(!rules.addPattern(QStringLiteral("email"), QStringLiteral("x")).has_value());
    QVERIFY(!rules.addPattern(QStringLiteral("bad"), QStringLiteral("(")).has_value());
    const Redactor redactor(rules);
    PseudonymMap map;
    QCOMPARE(redactor.redact(std::string_view("PROJECT FALCON ticket TCK-12345, é TCK-54321 ü"), map),
             QByteArray("[keyword-1] ticket [ticket-1], é [ticket-2] ü"));

    RedactionRules fromJson = RedactionRules::defaults(testContext());
    QVERIFY(
        fromJson
            .loadJson(R"({"keywords": ["zeta"], "patterns": [{"id": "emp", "regex": "E\\d{6}"}], "disable": ["ipv4"]})")
            .has_value());
    const Redactor r2(fromJson);
    PseudonymMap map2;
    QCOMPARE(r2.redact(std::string_view("zeta E123456 10.1.2.3"), map2), QByteArray("[keyword-1] [emp-1] 10.1.2.3"));
    QVERIFY(!fromJson.loadJson(R"({"patterns": [{"id": "x"}]})").has_value());
    QVERIFY(!fromJson.loadJson(R"({"unknown": 1})").has_value());
    QVERIFY(!fromJson.loadJson("not json").has_value());
}

void TestRedactor::disabledRule()
{
    RedactionRules rules = RedactionRules::defaults(testContext());
    rules.setRuleEnabled(QStringLiteral("email"), false);
    const Redactor redactor(rules);
    PseudonymMap map;
    QCOMPARE(redactor.redact(std::string_view("x@y-corp.io 10.0.0.9"), map), QByteArray("x@y-corp.io [ipv4-1]"));
}

void TestRedactor::pendingPrivateKey()
{
    const Redactor redactor(RedactionRules::defaults(testContext()));
    std::vector<RedactMatch> out;
    const std::string_view text("line\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n");
    const auto r = redactor.scan(text, 0, false, out);
    QCOMPARE(r.pendingFrom, qint64(5));
    out.clear();
    const auto r2 = redactor.scan(text, 0, true, out);
    QCOMPARE(r2.pendingFrom, qint64(-1));
    QCOMPARE(out.size(), size_t(1));
}

void TestRedactor::scanFromContext()
{
    // Look-behind before `from` is used as context, matches start at or after it.
    const Redactor redactor(RedactionRules::defaults(testContext()));
    std::vector<RedactMatch> out;
    const std::string_view text("version 10.1.2.3\npassword=hunter2");
    redactor.scan(text, 17, true, out);
    QCOMPARE(out.size(), size_t(1));
    QCOMPARE(out[0].offset, qint64(26));
}

void TestRedactor::termsOfAnyShape()
{
    // Terms that start with punctuation, a UTF-8 byte or a digit: the scanner
    // stops for them anywhere (not only at word starts of letters).
    RedactionRules rules = RedactionRules::defaults(testContext());
    rules.addKeyword(QStringLiteral(".secretdir"));
    rules.addKeyword(QStringLiteral("Ärger"));
    rules.addKeyword(QStringLiteral("4711-x"));
    rules.addKnownValue(QStringLiteral("ipv4"), "10.1.2.3");
    const Redactor redactor(rules);
    PseudonymMap map;
    const QByteArray in = "cd ~/.secretdir/x; a.secretdir ÄRGER ärger mitÄrger 4711-x 14711-x 4711-xy 10.1.2.3 "
                          "110.1.2.3 version 10.1.2.3";
    QCOMPARE(redactor.redact(std::string_view(in.constData(), size_t(in.size())), map),
             QByteArray("cd ~/[keyword-1]/x; a[keyword-1] [keyword-2] ärger mit[keyword-2] [keyword-3] 14711-x 4711-xy "
                        "[ipv4-1] [ipv4-2] version [ipv4-1]"));
}

void TestRedactor::ownHardwareIds()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&dir](const char *name, const QByteArray &bytes) {
        QFile file(dir.filePath(QLatin1String(name)));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    };
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("dmi")));
    write("dmi/product_uuid", "4c4c4544-0042-3510-8052-b4c04f4e4d32\n");
    write("dmi/product_serial", "PF3XK2Z\n");
    write("dmi/board_serial", "To Be Filled By O.E.M.\n");
    write("dmi/chassis_serial", "Default string\n");
    write("passwd", "jdoe:x:1000:1000::/home/jdoe:/bin/bash\n");
    write("resolv.conf", "");
    write("machine-id", "3f2a9c0d4b5e6f708192a3b4c5d6e7f8\n");
    const MachineContext ctx =
        MachineContext::detect(dir.filePath(QStringLiteral("passwd")), dir.filePath(QStringLiteral("resolv.conf")),
                               dir.filePath(QStringLiteral("machine-id")), dir.filePath(QStringLiteral("dmi")));
    QCOMPARE(ctx.hardwareUuids, QList<QByteArray>{"4c4c4544-0042-3510-8052-b4c04f4e4d32"});
    QCOMPARE(ctx.serialNumbers, QList<QByteArray>{"PF3XK2Z"});

    // In the bare columns of wmic and dmidecode, in either case; the
    // firmware's placeholders and other machines' ids stay.
    const Redactor redactor(RedactionRules::defaults(ctx));
    PseudonymMap map;
    QCOMPARE(redactor.redact(std::string_view("UUID\n4C4C4544-0042-3510-8052-B4C04F4E4D32  \n"
                                              "SerialNumber\nPF3XK2Z  \n"
                                              "\tBase Board Serial: To Be Filled By O.E.M.\n"
                                              "IdentifyingNumber\nZX81QQ9  \n"
                                              "Machine ID: 3f2a9c0d-4b5e-6f70-8192-a3b4c5d6e7f8\n"),
                             map),
             QByteArray("UUID\n[machine-id-1]  \n"
                        "SerialNumber\n[serial-1]  \n"
                        "\tBase Board Serial: To Be Filled By O.E.M.\n"
                        "IdentifyingNumber\nZX81QQ9  \n"
                        "Machine ID: [machine-id-2]\n"));
    QVERIFY(MachineContext::isPlaceholderHardwareId("00000000-0000-0000-0000-000000000000"));
    QVERIFY(MachineContext::isPlaceholderHardwareId("None"));
    QVERIFY(!MachineContext::isPlaceholderHardwareId("VMware-56 4d 1f 2a 3b 4c 5d 6e-7f 80 91 a2 b3 c4 d5 e6"));
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "test_redactor.moc"
