// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "redact_corpus.h"

#include <cstdio>

namespace dc::bench {

struct CorpusGenerator::Line
{
    std::string &text;
    std::vector<Span> &spans;
    Line &t(const std::string &s)
    {
        text += s;
        return *this;
    }
    Line &v(const char *type, const std::string &s)
    {
        spans.push_back(Span{text.size(), uint32_t(s.size()), type, true});
        text += s;
        return *this;
    }
    Line &n(const char *kind, const std::string &s)
    {
        spans.push_back(Span{text.size(), uint32_t(s.size()), std::string("near:") + kind, false});
        text += s;
        return *this;
    }
    void end() { text += '\n'; }
};

namespace {
const std::vector<std::string> kFirst = {"john",  "mary", "wei",   "fatima", "lukas",  "sofia", "arjun", "chloe",
                                         "diego", "emma", "kenji", "olga",   "pierre", "amara", "noah",  "ines"};
const std::vector<std::string> kLast = {"doe",   "jones", "chen",   "haddad",  "becker", "rossi",  "patel", "martin",
                                        "lopez", "novak", "tanaka", "ivanova", "dubois", "okafor", "smith", "silva"};
const std::vector<std::string> kMailDomains = {
    "acme-corp.io",   "mail.northwind-traders.net", "contoso-labs.de", "gmail.com", "outlook.com", "fastmail.fm",
    "example-shop.fr"};
const std::vector<std::string> kCorpDomains = {"acme-corp.io", "northwind-traders.net", "contoso-labs.de",
                                               "intra.fabrikam.co.uk"};
const std::vector<std::string> kHostWords = {"db",    "files", "jenkins", "vpn",  "mail",  "git",
                                             "build", "ldap",  "print",   "wiki", "proxy", "nas"};
const std::vector<std::string> kVendorHosts = {
    "deb.debian.org",        "security.ubuntu.com", "github.com", "login.microsoft.com",
    "update.googleapis.com", "download.docker.com", "pypi.org",   "registry.npmjs.org"};
const std::vector<std::string> kSystemUsers = {"root", "www-data", "daemon", "nobody", "systemd-network", "SYSTEM"};
const std::vector<std::string> kLibs = {"libc.so.6",           "libssl.so.3",         "libsystemd.so.0",
                                        "libQt6Core.so.6.4.2", "libstdc++.so.6.0.30", "ld-linux-x86-64.so.2"};
const std::vector<std::string> kSymbols = {"std::vector<int>::push_back", "QObject::connect",
                                           "std::__cxx11::basic_string<char>::append", "boost::asio::io_context::run",
                                           "Foo::Bar::baz"};
const std::vector<std::string> kJava = {"com.acme.billing.InvoiceService.process",
                                        "org.springframework.web.servlet.DispatcherServlet.doService",
                                        "java.net.Socket.connect", "io.netty.channel.nio.NioEventLoop.run"};
const std::vector<std::string> kWellKnownSids = {"S-1-5-18", "S-1-5-19", "S-1-5-32-544", "S-1-1-0", "S-1-5-11"};
const std::vector<std::string> kResolvers = {"8.8.8.8", "1.1.1.1", "9.9.9.9", "8.8.4.4", "208.67.222.222"};
const std::vector<std::string> kMasks = {"255.255.255.0", "255.255.0.0", "255.255.255.128", "255.255.252.0"};
const std::vector<std::string> kVersions = {"1.2.3.4", "10.0.0.1", "2.4.0.1", "4.18.0.240", "6.1.0.17", "3.0.2.15"};
const std::vector<std::string> kUserAgents = {"Chrome/120.0.0.0", "Edg/119.0.0.0", "Chrome/110.0.0.0"};

std::string fmt(const char *f, long long a)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, a);
    return buf;
}
} // namespace

CorpusGenerator::CorpusGenerator(uint64_t seed)
    : m_rng(seed)
{
    for (int i = 0; i < 400; ++i) {
        const std::string f = m_rng.pick(kFirst);
        const std::string l = m_rng.pick(kLast);
        switch (m_rng.below(4)) {
        case 0:
            m_users.push_back(f.substr(0, 1) + l);
            break;
        case 1:
            m_users.push_back(f + "." + l);
            break;
        case 2:
            m_users.push_back(f + l.substr(0, 2) + std::to_string(m_rng.below(90) + 10));
            break;
        default:
            m_users.push_back(f + "_" + l);
        }
        m_emails.push_back(f + (m_rng.below(2) ? "." : "") + l +
                           (m_rng.below(3) ? "" : std::to_string(m_rng.below(99))) + "@" + m_rng.pick(kMailDomains));
        // personal IPv4: private ranges and public client addresses outside special ranges
        switch (m_rng.below(4)) {
        case 0:
            m_ipv4.push_back("10." + std::to_string(m_rng.below(256)) + "." + std::to_string(m_rng.below(256)) + "." +
                             std::to_string(m_rng.below(253) + 2));
            break;
        case 1:
            m_ipv4.push_back("192.168." + std::to_string(m_rng.below(256)) + "." +
                             std::to_string(m_rng.below(253) + 2));
            break;
        case 2:
            m_ipv4.push_back("172." + std::to_string(16 + m_rng.below(16)) + "." + std::to_string(m_rng.below(256)) +
                             "." + std::to_string(m_rng.below(253) + 2));
            break;
        default:
            m_ipv4.push_back(std::to_string(128 + m_rng.below(60)) + "." + std::to_string(m_rng.below(256)) + "." +
                             std::to_string(m_rng.below(256)) + "." + std::to_string(m_rng.below(253) + 2));
        }
        switch (m_rng.below(3)) {
        case 0:
            m_ipv6.push_back("2a02:810d:" + hex(4) + ":" + hex(4) + ":" + hex(4) + ":" + hex(2) + "ff:fe" + hex(2) +
                             ":" + hex(4));
            break;
        case 1:
            m_ipv6.push_back("fe80::" + hex(4) + ":" + hex(2) + "ff:fe" + hex(2) + ":" + hex(4));
            break;
        default:
            m_ipv6.push_back("2001:" + hex(3) + ":" + hex(4) + "::" + hex(2) + std::to_string(m_rng.below(9) + 1));
        }
        m_macs.push_back(hex(2) + ":" + hex(2) + ":" + hex(2) + ":" + hex(2) + ":" + hex(2) + ":" + hex(2));
        m_hosts.push_back(m_rng.pick(kHostWords) + fmt("%02lld", m_rng.below(40)) + "." +
                          (m_rng.below(2) ? "internal." : "") + m_rng.pick(kCorpDomains));
        std::string serial;
        for (int k = 0; k < 10; ++k)
            serial += "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[m_rng.below(34)];
        m_serials.push_back(serial);
        m_phones.push_back(m_rng.below(2)
                               ? "+49 151 " + fmt("%08lld", 10000000 + m_rng.below(89999999))
                               : "+1 " + fmt("%03lld", 201 + m_rng.below(700)) + " " +
                                     fmt("%03lld", 200 + m_rng.below(700)) + " " + fmt("%04lld", m_rng.below(10000)));
        m_cards.push_back(card());
        m_sids.push_back(sid());
        m_passwords.push_back(secret(10 + m_rng.below(8)));
        m_tokens.push_back(secret(24 + m_rng.below(16)));
    }
}

std::string CorpusGenerator::hex(int len)
{
    std::string s;
    for (int i = 0; i < len; ++i)
        s += "0123456789abcdef"[m_rng.below(16)];
    return s;
}

std::string CorpusGenerator::secret(int len)
{
    std::string s;
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_!%";
    for (int i = 0; i < len; ++i)
        s += alphabet[m_rng.below(i == 0 ? 62 : 65)];
    return s;
}

std::string CorpusGenerator::b64url(int len)
{
    std::string s;
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < len; ++i)
        s += alphabet[m_rng.below(64)];
    return s;
}

std::string CorpusGenerator::card()
{
    std::string d = m_rng.below(2) ? "4" : std::to_string(51 + m_rng.below(5));
    while (d.size() < 15)
        d += char('0' + m_rng.below(10));
    int sum = 0;
    for (int i = 0; i < 15; ++i) {
        int x = d[size_t(14 - i)] - '0';
        if (i % 2 == 0) {
            x *= 2;
            if (x > 9)
                x -= 9;
        }
        sum += x;
    }
    d += char('0' + (10 - sum % 10) % 10);
    switch (m_rng.below(3)) {
    case 0:
        return d.substr(0, 4) + " " + d.substr(4, 4) + " " + d.substr(8, 4) + " " + d.substr(12, 4);
    case 1:
        return d.substr(0, 4) + "-" + d.substr(4, 4) + "-" + d.substr(8, 4) + "-" + d.substr(12, 4);
    default:
        return d;
    }
}

std::string CorpusGenerator::sid()
{
    return "S-1-5-21-" + std::to_string(1000000000LL + m_rng.below(2000000000)) + "-" +
           std::to_string(1000000000LL + m_rng.below(2000000000)) + "-" +
           std::to_string(10000000LL + m_rng.below(90000000)) + "-" + std::to_string(1000 + m_rng.below(9000));
}

std::string CorpusGenerator::timestamp()
{
    m_clock += uint64_t(m_rng.below(3));
    const uint64_t s = m_clock % 86400;
    char buf[64];
    std::snprintf(buf, sizeof buf, "2024-01-10T%02d:%02d:%02d.%03dZ", int(s / 3600), int(s / 60 % 60), int(s % 60),
                  m_rng.below(1000));
    return buf;
}

std::string CorpusGenerator::email() { return m_emails[size_t(m_rng.skewed(int(m_emails.size())))]; }
std::string CorpusGenerator::ipv4() { return m_ipv4[size_t(m_rng.skewed(int(m_ipv4.size())))]; }
std::string CorpusGenerator::ipv6() { return m_ipv6[size_t(m_rng.skewed(int(m_ipv6.size())))]; }
std::string CorpusGenerator::hostname() { return m_hosts[size_t(m_rng.skewed(int(m_hosts.size())))]; }
std::string CorpusGenerator::user() { return m_users[size_t(m_rng.skewed(int(m_users.size())))]; }

std::string CorpusGenerator::mac()
{
    std::string m = m_macs[size_t(m_rng.skewed(int(m_macs.size())))];
    if (m_rng.below(4) == 0) {
        for (char &c : m)
            if (c == ':')
                c = '-';
        for (char &c : m)
            c = char(toupper(c));
    }
    return m;
}

void CorpusGenerator::syslog(Line &l)
{
    const int pid = 100 + m_rng.below(30000);
    l.t("Jan 10 ").n("timestamp", timestamp().substr(11, 8)).t(" ").v("host", m_machine.host).t(" ");
    switch (m_rng.below(12)) {
    case 0:
        l.t("sshd[" + std::to_string(pid) + "]: Accepted publickey for ").v("username", user()).t(" from ");
        l.v("ipv4", ipv4()).t(" port " + std::to_string(1024 + m_rng.below(60000)) + " ssh2: ED25519 SHA256:");
        l.n("hash", b64url(43));
        break;
    case 1:
        l.t("sshd[" + std::to_string(pid) + "]: Failed password for invalid user ").v("username", user());
        l.t(" from ").v("ipv4", ipv4()).t(" port 22 ssh2");
        break;
    case 2:
        l.t("sshd[" + std::to_string(pid) + "]: pam_unix(sshd:session): session opened for user ");
        l.v("username", user()).t("(uid=" + std::to_string(1001 + m_rng.below(50)) + ") by (uid=0)");
        break;
    case 3:
        l.t("NetworkManager[812]: <info>  [")
            .n("epoch", std::to_string(m_clock) + ".4521")
            .t("] dhcp4 (eth0): address ");
        l.v("ipv4", ipv4()).t(" netmask ").n("netmask", m_rng.pick(kMasks)).t(" gateway ").v("ipv4", ipv4());
        break;
    case 4:
        l.t("systemd[1]: Started ").n("unit", "user@" + std::to_string(1000 + m_rng.below(3)) + ".service");
        l.t(" - User Manager for UID 1000. Boot ").n("boot-id", hex(32));
        break;
    case 5:
        l.t("kernel: [")
            .n("epoch", std::to_string(m_rng.below(99999)) + "." + std::to_string(100000 + m_rng.below(899999)));
        l.t("] wlp2s0: authenticate with ").v("mac", mac()).t(" (try 1/3) dst ").n("special-mac", "ff:ff:ff:ff:ff:ff");
        break;
    case 6:
        l.t("dhclient[" + std::to_string(pid) + "]: DHCPACK of ").v("ipv6", ipv6()).t(" from ").v("ipv6", ipv6());
        l.t(" via ").n("loopback", "::1");
        break;
    case 7:
        l.t("sudo[" + std::to_string(pid) + "]:   ").v("account", m_machine.account);
        l.t(" : TTY=pts/0 ; PWD=/home/").v("account", m_machine.account).t("/src ; USER=").n("system-account", "root");
        l.t(" ; COMMAND=/usr/bin/systemctl restart nginx");
        break;
    case 8:
        l.t("systemd-resolved[433]: Using DNS server ").n("resolver", m_rng.pick(kResolvers)).t(" for domain ");
        l.v("domain", m_machine.domain);
        break;
    case 9:
        l.t("postfix/smtp[" + std::to_string(pid) + "]: to=<").v("email", email()).t(">, relay=");
        l.v("hostname", "smtp." + m_machine.domain).t("[").v("ipv4", ipv4()).t("]:25, status=sent");
        break;
    case 10:
        l.t("CRON[" + std::to_string(pid) + "]: (").n("system-account", "root").t(") CMD (/home/");
        l.v("user-path", user()).t("/bin/backup.sh >/dev/null)");
        break;
    default:
        l.t("kernel: audit: type=1400 apparmor=\"DENIED\" operation=\"open\" profile=\"snap.firefox\" "
            "name=\"/usr/lib/");
        l.t("x86_64-linux-gnu/").n("filename", m_rng.pick(kLibs)).t("\" pid=" + std::to_string(pid) + " uid=1000");
    }
    l.end();
}

void CorpusGenerator::jsonLog(Line &l)
{
    l.t("{\"ts\":\"").n("timestamp", timestamp()).t("\",\"level\":\"info\",");
    switch (m_rng.below(7)) {
    case 0:
        l.t("\"msg\":\"login ok\",\"user\":\"").v("username", user()).t("\",\"email\":\"").v("email", email());
        l.t("\",\"client_ip\":\"").v("ipv4", ipv4()).t("\",\"request_id\":\"");
        l.n("request-id", hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12)).t("\"");
        break;
    case 1:
        l.t("\"msg\":\"upstream call\",\"url\":\"https://")
            .v("hostname", hostname())
            .t("/api/v2/orders?page=2&api_key=");
        l.v("secret-param", m_tokens[size_t(m_rng.skewed(400))]).t("\",\"trace_id\":\"").n("trace-id", hex(32));
        l.t("\",\"duration_ms\":" + std::to_string(m_rng.below(900)));
        break;
    case 2:
        l.t("\"msg\":\"payment declined\",\"card\":\"").v("card", m_cards[size_t(m_rng.skewed(400))]);
        l.t("\",\"phone\":\"").v("phone", m_phones[size_t(m_rng.skewed(400))]).t("\",\"version\":\"");
        l.n("version", m_rng.pick(kVersions)).t("\"");
        break;
    case 3:
        l.t("\"msg\":\"token refreshed\",\"session_id\":\"").v("secret-param", m_tokens[size_t(m_rng.skewed(400))]);
        l.t("\",\"jwt\":\"").v("jwt", "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + b64url(60) + "." + b64url(43));
        l.t("\"");
        break;
    case 4:
        l.t("\"msg\":\"device registered\",\"location\":\"");
        l.v("gps", std::to_string(-60 + m_rng.below(120)) + "." + fmt("%05lld", m_rng.below(100000)) + ", " +
                       std::to_string(-170 + m_rng.below(340)) + "." + fmt("%05lld", m_rng.below(100000)));
        l.t("\",\"host\":\"").v("hostname", hostname()).t("\",\"mac\":\"").v("mac", mac()).t("\"");
        break;
    case 5:
        l.t("\"msg\":\"sync\",\"path\":\"C:\\\\Users\\\\").v("user-path", user()).t("\\\\AppData\\\\Local\\\\App\",");
        l.t("\"sid\":\"")
            .v("sid", m_sids[size_t(m_rng.skewed(400))])
            .t("\",\"group\":\"")
            .n("wellknown-sid", m_rng.pick(kWellKnownSids));
        l.t("\"");
        break;
    default:
        l.t("\"msg\":\"fetch\",\"url\":\"https://")
            .n("vendor", m_rng.pick(kVendorHosts))
            .t("/dists/bookworm/InRelease\",");
        l.t("\"sha256\":\"").n("hash", hex(64)).t("\",\"user\":\"").n("system-account", "www-data").t("\"");
    }
    l.t("}").end();
}

void CorpusGenerator::accessLog(Line &l)
{
    if (m_rng.below(3) == 0)
        l.v("ipv6", ipv6());
    else
        l.v("ipv4", ipv4());
    l.t(" - ");
    if (m_rng.below(3) == 0)
        l.v("username", user());
    else
        l.t("-");
    l.t(" [10/Jan/2024:" + timestamp().substr(11, 8) + " +0100] \"");
    switch (m_rng.below(5)) {
    case 0:
        l.t("GET /api/v1/items?token=")
            .v("secret-param", m_tokens[size_t(m_rng.skewed(400))])
            .t("&page=" + std::to_string(m_rng.below(9)));
        break;
    case 1:
        l.t("POST /login?email=").v("email", email()).t("&next=%2Fhome");
        break;
    case 2:
        l.t("GET /static/app." + hex(8) + ".js");
        break;
    case 3:
        l.t("GET /profile/settings?sig=").v("secret-param", b64url(32));
        break;
    default:
        l.t("GET /healthz");
    }
    l.t(" HTTP/1.1\" " + std::to_string(m_rng.below(2) ? 200 : 302) + " " + std::to_string(m_rng.below(50000)) +
        " \"https://");
    if (m_rng.below(2))
        l.v("hostname", hostname());
    else
        l.n("vendor", m_rng.pick(kVendorHosts));
    l.t("/\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ");
    l.n("version", m_rng.pick(kUserAgents)).t(" Safari/537.36\"");
    l.end();
}

void CorpusGenerator::stackTrace(Line &l)
{
    switch (m_rng.below(6)) {
    case 0:
        l.t("\tat ")
            .n("code-symbol", m_rng.pick(kJava))
            .t("(InvoiceService.java:" + std::to_string(m_rng.below(900)) + ")");
        break;
    case 1:
        l.t("#" + std::to_string(m_rng.below(20)) + " 0x00007f" + hex(10) + " in ")
            .n("code-symbol", m_rng.pick(kSymbols));
        l.t(" (this=0x55" + hex(10) + ") at /home/")
            .v("user-path", user())
            .t("/src/app/main.cpp:" + std::to_string(m_rng.below(900)));
        break;
    case 2:
        l.t("  File \"/home/").v("account", m_machine.account).t("/proj/venv/lib/python3.11/site-packages/requests/");
        l.t("adapters.py\", line " + std::to_string(m_rng.below(900)) + ", in send");
        break;
    case 3:
        l.t("Caused by: java.net.ConnectException: Connection refused (jdbc:postgresql://").v("hostname", hostname());
        l.t(":5432/billing?user=")
            .v("username", user())
            .t("&password=")
            .v("password-value", m_passwords[size_t(m_rng.skewed(400))]);
        l.t(")");
        break;
    case 4:
        l.t("    loaded ").n("filename", m_rng.pick(kLibs)).t(" at 0x7f" + hex(10) + ", OID ");
        l.n("oid", "1.3.6.1.4.1.311.21." + std::to_string(m_rng.below(20)));
        break;
    default:
        l.t("Exception in thread \"main\" java.lang.IllegalStateException: bad state at ");
        l.n("timestamp", timestamp());
    }
    l.end();
}

void CorpusGenerator::configDump(Line &l)
{
    switch (m_rng.below(12)) {
    case 0:
        l.t("db.password=").v("password-value", m_passwords[size_t(m_rng.skewed(400))]);
        break;
    case 1:
        l.t("aws_access_key_id = ")
            .v("aws-key", "AKIA" + std::string("QWERTYUIOPASDFGHJKLZXCVBNM234567").substr(size_t(m_rng.below(16)), 16));
        break;
    case 2:
        l.t("aws_secret_access_key = ").v("secret-param", secret(40));
        break;
    case 3:
        l.t("  api_key: \"").v("secret-param", m_tokens[size_t(m_rng.skewed(400))]).t("\"");
        break;
    case 4:
        l.t("smtp_host=").v("hostname", hostname()).t("\nsmtp_user=").v("username", user());
        break;
    case 5:
        l.t("DATABASE_URL=postgres://").v("url-credentials", user() + ":" + m_passwords[size_t(m_rng.skewed(400))]);
        l.t("@").v("hostname", hostname()).t(":5432/app");
        break;
    case 6:
        l.t("Authorization: Bearer ").v("bearer", b64url(48));
        break;
    case 7:
        l.t("GITHUB_TOKEN=").v("api-token", "ghp_" + b64url(36));
        break;
    case 8: {
        l.t("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        std::string body;
        const int lines = 3 + m_rng.below(5);
        for (int i = 0; i < lines; ++i)
            body += b64url(64) + "\n";
        l.v("private-key", body).t("-----END OPENSSH PRIVATE KEY-----");
        break;
    }
    case 9:
        l.t("nameserver ").n("resolver", m_rng.pick(kResolvers)).t("\nsearch ").v("domain", m_machine.domain);
        break;
    case 10:
        l.t("password = ").n("placeholder", "********").t("\nlisten = ").n("loopback", "127.0.0.1").t(":8080");
        break;
    default:
        l.t("client_secret: ").v("password-value", m_passwords[size_t(m_rng.skewed(400))]);
    }
    l.end();
}

void CorpusGenerator::commandOutput(Line &l)
{
    switch (m_rng.below(12)) {
    case 0:
        l.t("2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP\n    link/ether ");
        l.v("mac", mac()).t(" brd ").n("special-mac", "ff:ff:ff:ff:ff:ff").t("\n    inet ").v("ipv4", ipv4());
        l.t("/24 scope global dynamic eth0\n    inet6 ").v("ipv6", ipv6()).t("/64 scope link");
        break;
    case 1:
        l.t("Handle 0x0001, DMI type 1, 27 bytes\nSystem Information\n\tManufacturer: Dell Inc.\n\tSerial Number: ");
        l.v("serial", m_serials[size_t(m_rng.skewed(400))]).t("\n\tUUID: ");
        l.v("machine-id", hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12));
        break;
    case 2:
        l.t(" Static hostname: ")
            .v("host", m_machine.host)
            .t("\n       Machine ID: ")
            .v("machine-id", m_machine.machineId);
        l.t("\n          Boot ID: ").n("boot-id", hex(32));
        break;
    case 3:
        l.t("HOME=/home/").v("account", m_machine.account).t("\nUSER=").v("account", m_machine.account);
        l.t("\nLOGNAME=").v("username", user());
        break;
    case 4:
        l.t("tcp        0      0 ").v("ipv4", ipv4()).t(":22           ").v("ipv4", ipv4());
        l.t(":" + std::to_string(40000 + m_rng.below(20000)) + "       ESTABLISHED");
        break;
    case 5:
        l.t("uid=1000(").v("account", m_machine.account).t(") gid=1000(").v("account", m_machine.account);
        l.t(") groups=1000(").v("account", m_machine.account).t("),27(sudo),998(docker)");
        break;
    case 6:
        l.t("Windows IP Configuration\n   Host Name . . . . . . . . . . . . : ").v("host", m_machine.host);
        l.t("\n   Primary Dns Suffix  . . . . . . . : ").v("domain", m_machine.domain);
        l.t("\n   Physical Address. . . . . . . . . : ").v("mac", mac());
        break;
    case 7:
        l.t("USER INFORMATION\nUser Name              SID\n====================== ==============\n");
        l.v("host", m_machine.host)
            .t("\\")
            .v("account", m_machine.account)
            .t(" ")
            .v("sid", m_sids[size_t(m_rng.skewed(400))]);
        l.t("\nNT AUTHORITY\\SYSTEM   ").n("wellknown-sid", "S-1-5-18");
        break;
    case 8:
        l.t("contact: phone: ").v("phone", m_phones[size_t(m_rng.skewed(400))]).t("  e-mail ").v("email", email());
        break;
    case 9:
        l.t("Linux ").v("host", m_machine.host).t(" 6.1.0-17-amd64 #1 SMP PREEMPT_DYNAMIC Debian ");
        l.n("version", "6.1.69-1").t(" (2023-12-30) x86_64 GNU/Linux");
        break;
    case 10:
        l.t("ID_SERIAL_SHORT=").v("serial", m_serials[size_t(m_rng.skewed(400))]).t("\nID_FS_UUID=");
        l.n("fs-uuid", hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12));
        break;
    default:
        l.t("PING ").v("hostname", hostname()).t(" (").v("ipv4", ipv4()).t(") 56(84) bytes of data. via ");
        l.n("resolver", m_rng.pick(kResolvers));
    }
    l.end();
}

// Lines with no personal data: most lines of real logs look like these.
void CorpusGenerator::filler(Line &l, int kind)
{
    static const std::vector<std::string> sys = {
        "systemd[1]: Starting Daily apt upgrade and clean activities...",
        "systemd[1]: apt-daily-upgrade.service: Deactivated successfully.",
        "kernel: [UFW BLOCK] IN=eth0 OUT= PROTO=UDP SPT=5353 DPT=5353 LEN=72",
        "CRON[2211]: pam_unix(cron:session): session closed for user root",
        "systemd-journald[301]: Journal stopped",
        "kernel: EXT4-fs (nvme0n1p2): mounted filesystem with ordered data mode. Quota mode: none.",
        "gnome-shell[1874]: Window manager warning: Overwriting existing binding of keysym 32 with keysym 32",
        "dbus-daemon[788]: [system] Successfully activated service 'org.freedesktop.PackageKit'",
        "kernel: usb 1-3: new high-speed USB device number 5 using xhci_hcd"};
    static const std::vector<std::string> app = {
        R"("msg":"request finished","method":"GET","path":"/healthz","status":200,"duration_ms":3)",
        R"("msg":"cache miss","key":"catalog:v2:page:17","ttl_s":300)",
        R"("msg":"worker started","pool":"default","threads":8,"queue":"billing")",
        R"("msg":"config reloaded","file":"/etc/app/config.yaml","changed":false)"};
    switch (kind) {
    case 0:
        l.t("Jan 10 ").n("timestamp", timestamp().substr(11, 8)).t(" ").v("host", m_machine.host).t(" ");
        l.t(m_rng.pick(sys));
        break;
    case 1:
        l.t("{\"ts\":\"").n("timestamp", timestamp()).t("\",\"level\":\"debug\",").t(m_rng.pick(app)).t("}");
        break;
    case 2:
        l.t("- - - [10/Jan/2024:" + timestamp().substr(11, 8) + " +0100] \"GET /static/css/site." + hex(8) +
            ".css HTTP/1.1\" 200 " + std::to_string(m_rng.below(90000)) + " \"-\" \"curl/8.5.0\"");
        break;
    case 3:
        l.t("\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)");
        break;
    case 4:
        l.t(m_rng.below(2) ? "# Generated by NetworkManager" : "[Service]\nRestart=on-failure\nRestartSec=5");
        break;
    default:
        l.t("tmpfs           3.9G  1.2M  3.9G   1% /run/user/1000\n/dev/nvme0n1p2  468G  212G  233G  48% /");
    }
    l.end();
}

std::vector<CorpusFile> CorpusGenerator::generate(uint64_t bytes, uint64_t fileBytes)
{
    std::vector<CorpusFile> files;
    static const char *names[] = {"syslog", "app-json", "access", "traces", "config", "commands"};
    uint64_t total = 0;
    int index = 0;
    while (total < bytes) {
        CorpusFile f;
        const int kind = index % 6;
        f.name = std::string(names[kind]) + "-" + std::to_string(index) + ".log";
        f.text.reserve(fileBytes + 1024);
        Line line{f.text, f.spans};
        while (f.text.size() < fileBytes) {
            if (m_rng.below(100) < 55) {
                filler(line, kind);
                continue;
            }
            switch (kind) {
            case 0:
                syslog(line);
                break;
            case 1:
                jsonLog(line);
                break;
            case 2:
                accessLog(line);
                break;
            case 3:
                stackTrace(line);
                break;
            case 4:
                configDump(line);
                break;
            default:
                commandOutput(line);
            }
        }
        total += f.text.size();
        files.push_back(std::move(f));
        ++index;
    }
    return files;
}

} // namespace dc::bench
