// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: Diagnostics Collector authors
#include "core/redact/redactkeys_p.h"
#include "core/redact/stringset_p.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace dc::core::rx {

namespace {

constexpr std::pair<std::string_view, KeyKind> kKeyNames[] = {
    {"password", KeyPassword},
    {"passwd", KeyPassword},
    {"pass", KeyPassword},
    {"pw", KeyPassword},
    {"passphrase", KeyPassword},
    // Wi-Fi keys: wpa_supplicant.conf and NetworkManager's psk=, hostapd's wpa_passphrase=, WEP keys.
    {"psk", KeyPassword},
    {"wpapsk", KeyPassword},
    {"wpapassphrase", KeyPassword},
    {"keycontent", KeyPassword},               // netsh wlan show profile key=clear: "Key Content            : x"
    {"80211wirelesssecuritypsk", KeyPassword}, // nmcli: "802-11-wireless-security.psk:   x"
    {"wepkey0", KeyPassword},
    {"wepkey1", KeyPassword},
    {"wepkey2", KeyPassword},
    {"wepkey3", KeyPassword},
    {"pwd", KeyPassword},
    {"secret", KeyPassword},
    {"dbpass", KeyPassword},
    {"key", KeySecret},
    {"apikey", KeySecret},
    {"sig", KeySecret},
    {"signature", KeySecret},
    {"session", KeySecret},
    {"sessionid", KeySecret},
    {"sessid", KeySecret},
    {"code", KeySecret},
    {"sid", KeySecret},
    {"phpsessid", KeySecret},
    {"jsessionid", KeySecret},
    {"credential", KeySecret},
    {"credentials", KeySecret},
    {"csrf", KeySecret},
    {"xsrf", KeySecret},
    {"authorization", KeyAuth},
    {"proxyauthorization", KeyAuth},
    {"cookie", KeyCookie},
    {"setcookie", KeyCookie},
    {"host", KeyHost},
    {"hostname", KeyHost},
    {"fqdn", KeyHost},
    {"remotehost", KeyHost},
    {"peerhost", KeyHost},
    {"dnsname", KeyHost},
    {"dnshostname", KeyHost},
    {"computername", KeyHost},
    {"computer", KeyHost},
    {"nodename", KeyHost},
    {"workstation", KeyHost},
    {"workstationname", KeyHost},
    {"clientname", KeyHost},
    {"machinename", KeyHost},
    {"sourcehost", KeyHost},
    {"sourceworkstation", KeyHost},
    {"callercomputername", KeyHost},
    {"node", KeyHost},    // kubelet node="x", Kubernetes JSON "node":"x"
    {"machine", KeyHost}, // Chrome policy "machine", PowerShell transcript "Machine: X (...)"
    {"csname", KeyHost},  // Get-ComputerInfo CsName
    {"shost", KeyHost},   // CEF source and destination host
    {"dhost", KeyHost},
    {"helo", KeyHost}, // Postfix helo=<x>
    {"ehlo", KeyHost},
    {"unknownhostexception", KeyHost}, // java.net.UnknownHostException: x
    {"relay", KeyServer},
    {"server", KeyServer},
    {"servername", KeyServer},
    {"smtpserver", KeyServer},
    {"domain", KeyDomain},
    {"domainname", KeyDomain},
    {"dnsdomain", KeyDomain},
    {"dnssuffix", KeyDomain},
    {"primarydnssuffix", KeyDomain},
    {"dnssuffixsearchlist", KeyDomain},
    {"userdnsdomain", KeyDomain},
    {"accountdomain", KeyNbDomain},
    {"userdomain", KeyNbDomain},
    {"logondomain", KeyNbDomain},
    {"netbiosdomain", KeyNbDomain},
    {"netbiosdomainname", KeyNbDomain},
    {"targetdomainname", KeyNbDomain},
    {"subjectdomainname", KeyNbDomain},
    {"defaultdomainname", KeyNbDomain}, // Winlogon DefaultDomainName
    {"sntdom", KeyNbDomain},            // CEF source and destination NT domain
    {"dntdom", KeyNbDomain},
    {"user", KeyUser},
    {"username", KeyUser},
    {"login", KeyUser},
    {"loginname", KeyUser},
    {"logname", KeyUser},
    {"account", KeyUser},
    {"requestedby", KeyUser}, // apt's history.log
    {"modifiedby", KeyUser},
    {"lastmodifiedby", KeyUser},
    {"changedby", KeyUser},
    {"macaddress", KeyMac},
    {"mac", KeyMac},
    {"macaddr", KeyMac},
    {"hwaddr", KeyMac},
    {"hwaddress", KeyMac},
    {"physicaladdress", KeyMac},
    {"wifimac", KeyMac},
    {"ethernetmac", KeyMac},
    {"bssid", KeyMac},
    {"accountname", KeyUser},
    {"sudouser", KeyUser},
    {"remoteuser", KeyUser},
    {"authuser", KeyUser},
    {"ruser", KeyUser},
    {"owner", KeyUser},
    {"samaccountname", KeyUser},
    {"logonaccount", KeyUser},
    {"userid", KeyUser},
    {"uid", KeyUser},
    {"acct", KeyUser},    // auditd acct="x"
    {"auid", KeyUser},    // auditd's enriched AUID="x" (the raw number has no letter)
    {"usrname", KeyUser}, // LEEF usrName=
    {"loginok", KeyUser}, // FreeRADIUS "Login OK: [jdoe]"
    {"phone", KeyPhone},
    {"phonenumber", KeyPhone},
    {"tel", KeyPhone},
    {"telephone", KeyPhone},
    {"mobile", KeyPhone},
    {"cell", KeyPhone},
    {"cellphone", KeyPhone},
    {"fax", KeyPhone},
    {"msisdn", KeyPhone},
    {"lat", KeyCoord},
    {"latitude", KeyCoord},
    {"lon", KeyCoord},
    {"lng", KeyCoord},
    {"long", KeyCoord},
    {"longitude", KeyCoord},
    {"gps", KeyGeo},
    {"location", KeyGeo},
    {"coordinates", KeyGeo},
    {"gpsfix", KeyGeo},
    {"coords", KeyGeo},
    {"geo", KeyGeo},
    {"geolocation", KeyGeo},
    {"latlng", KeyGeo},
    {"latlon", KeyGeo},
    {"latlong", KeyGeo},
    {"gpslocation", KeyGeo},
    {"gpsposition", KeyGeo},
    {"position", KeyGeo},
    {"gpslatitude", KeyCoord},
    {"gpslongitude", KeyCoord},
    {"machineid", KeyMachineId},
    {"machineguid", KeyMachineId},
    {"hardwareuuid", KeyMachineId},
    {"productuuid", KeyMachineId},
    {"systemuuid", KeyMachineId},
    {"dbusmachineid", KeyMachineId},
    {"ioplatformuuid", KeyMachineId},
    {"platformuuid", KeyMachineId},
    {"provisioningudid", KeyMachineId},
    {"udid", KeyMachineId},
    {"deviceid", KeyMachineId},
    {"hardwareid", KeyMachineId},
    {"hwid", KeyMachineId},
    {"computerid", KeyMachineId},
    {"installationid", KeyMachineId},
    {"installid", KeyMachineId},
    {"publickeytoken", KeyNone}, // a .NET assembly's public strong-name token
    {"productid", KeyMachineId},
    {"sqmmachineid", KeyMachineId},
    {"duid", KeyMachineId},
    {"clientduid", KeyMachineId},
    {"dhcpv6clientduid", KeyMachineId},
    {"dhcp6clientid", KeyMachineId},
    {"device", KeyMachineId}, // "device":"<GUID>" (16+ hex digits only: not "/dev/sda", "eth0")
    {"deviceguid", KeyMachineId},
    {"androidid", KeyMachineId}, // logcat android_id=
    {"serial", KeySerial},
    {"serialnumber", KeySerial},
    {"serialno", KeySerial},
    {"serialnum", KeySerial},
    {"idserial", KeySerial},
    {"idserialshort", KeySerial},
    {"systemserialnumber", KeySerial},
    {"boardserial", KeySerial},
    {"chassisserial", KeySerial},
    {"identifyingnumber", KeySerial},
    {"biosseralnumber", KeySerial}, // Get-ComputerInfo's own spelling
    {"sn", KeySerial},
};

// Families of keys by suffix ("db_password", "github_token", "admin_username").
struct Suffix
{
    std::string_view text;
    KeyKind kind;
};
constexpr Suffix kSuffixes[] = {
    {"password", KeyPassword}, {"passwd", KeyPassword},      {"passphrase", KeyPassword},
    {"secret", KeyPassword},   {"token", KeySecret},         {"apikey", KeySecret},
    {"accesskey", KeySecret},  {"secretkey", KeySecret},     {"privatekey", KeySecret},
    {"sessionkey", KeySecret}, {"signingkey", KeySecret},    {"authkey", KeySecret},
    {"clientkey", KeySecret},  {"licensekey", KeySecret},    {"productkey", KeySecret},
    {"masterkey", KeySecret},  {"sharedkey", KeySecret},     {"encryptionkey", KeySecret},
    {"accountkey", KeySecret}, {"signature", KeySecret},     {"sessionid", KeySecret},
    {"credential", KeySecret}, {"credentials", KeySecret},   {"username", KeyUser},
    {"phone", KeyPhone},       {"serialnumber", KeySerial},  {"serial", KeySerial},
    {"dnssuffix", KeyDomain},  {"workstationname", KeyHost}, {"unknownhostexception", KeyHost},
};

// (length, first, last) of every exact key: most keys in logs ("ts", "msg",
// "level") are rejected without hashing.
inline unsigned keyShape(std::string_view k)
{
    return (unsigned(k.size()) * 131u + unsigned(static_cast<u8>(k.front())) * 31u +
            unsigned(static_cast<u8>(k.back()))) &
           4095u;
}

} // namespace

KeyKind classifyKey(std::string_view k)
{
    if (k.empty())
        return KeyNone;
    static const detail::FixedStringMap<KeyKind> table(std::begin(kKeyNames), std::end(kKeyNames));
    static const std::array<bool, 4096> shapes = [] {
        std::array<bool, 4096> v{};
        for (const auto &[key, kind] : kKeyNames)
            v[keyShape(key)] = true;
        return v;
    }();
    if (shapes[keyShape(k)]) {
        if (const KeyKind *kind = table.find(k))
            return *kind;
    }
    // Every family below is a suffix of at least four characters: a key whose
    // last four are not the end of one of them is none (most keys in logs).
    // The last four bytes as a number; a 4096-bit filter rejects almost every
    // other ending with one multiply, the list confirms.
    static constexpr auto tailOf = [](std::string_view t) {
        quint32 v = 0;
        for (size_t i = t.size() - 4; i < t.size(); ++i)
            v = (v << 8) | static_cast<u8>(t[i]);
        return v;
    };
    static constexpr auto bucketOf = [](quint32 v) { return (v * 0x9e3779b1u) >> 20; };
    struct Tails
    {
        std::array<quint64, 64> filter{};
        std::vector<quint32> list;
    };
    static const Tails tails = [] {
        Tails t;
        auto add = [&t](std::string_view s) {
            const quint32 v = tailOf(s);
            t.filter[bucketOf(v) >> 6] |= quint64(1) << (bucketOf(v) & 63);
            t.list.push_back(v);
        };
        for (const Suffix &s : kSuffixes)
            add(s.text);
        for (std::string_view s : {"user", "host", "name", "rver"})
            add(s);
        return t;
    }();
    if (k.size() < 4)
        return KeyNone;
    const quint32 tail = tailOf(k);
    if (!(tails.filter[bucketOf(tail) >> 6] & (quint64(1) << (bucketOf(tail) & 63))) ||
        std::find(tails.list.begin(), tails.list.end(), tail) == tails.list.end())
        return KeyNone;
    // Exceptions before the suffix families.
    // initdb's --auth-host names an authentication method ("scram-sha-256"), not a host.
    if (k == "nopasswd" || k == "publickey" || k == "hostkey" || k == "sshhostkey" || k.starts_with("nopassword") ||
        k == "authhost")
        return KeyNone;
    // Suffix families, bucketed by last character.
    static const std::array<std::vector<Suffix>, 256> byLast = [] {
        std::array<std::vector<Suffix>, 256> t;
        for (const Suffix &s : kSuffixes)
            t[static_cast<u8>(s.text.back())].push_back(s);
        return t;
    }();
    for (const Suffix &s : byLast[static_cast<u8>(k.back())]) {
        if (endsWith(k, s.text))
            return s.kind;
    }
    if (k.size() > 4 && endsWith(k, "user") && !endsWith(k, "nouser"))
        return KeyUser;
    if (k.size() > 4 && (endsWith(k, "host") || endsWith(k, "hostname")) && k != "localhost")
        return KeyHost;
    if (k.size() > 6 && endsWith(k, "server"))
        return KeyServer;
    return KeyNone;
}

bool isPlaceholder(std::string_view v)
{
    if (v.empty())
        return true;
    // Already redacted ("[secret-3]") or a reference to a variable.
    if (v.front() == '[' && v.back() == ']')
        return true;
    // "${VAR}", "$(cmd)", "$VAR", "%VAR%", "%(name)s", "<your-token>", "{{ var }}"; a value that only
    // starts with '$', '%' or '<' ("%nQJ9Rr_5m") is a value.
    if (v.starts_with("{{") || v.starts_with("${") || v.starts_with("$(") || v.starts_with("%("))
        return true;
    if (v.size() >= 2 && ((v.front() == '%' && v.back() == '%') || (v.front() == '<' && v.back() == '>')))
        return true;
    if (v.front() == '$') {
        bool identifier = v.size() >= 2;
        for (size_t i = 1; i < v.size() && identifier; ++i)
            identifier = isAlnum(static_cast<u8>(v[i])) || v[i] == '_';
        if (identifier)
            return true;
    }
    bool allStars = true;
    for (char c : v) {
        if (c != '*' && c != 'x' && c != 'X' && c != '.' && c != '-' && c != '#')
            allStars = false;
    }
    if (allStars)
        return true;
    static const detail::FixedStringSet words = {
        // nsswitch.conf sources ("passwd: files systemd"): database names, not passwords
        "files",
        "compat",
        "systemd",
        "sss",
        "nis",
        "nisplus",
        "ldap",
        "winbind",
        "usrfiles",
        "null",
        "none",
        "nil",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "redacted",
        "hidden",
        "undefined",
        "(null)",
        "n/a",
        "na",
        "0",
        "1",
        "not set",
        "unset",
        "empty",
        "disabled",
        "enabled",
        "required",
        "optional",
        "unknown",
        "default",
        "(none)",
        "masked",
        "filtered",
        "secret",
        "password",
        "ask",
        "prompt",
        "changeit",
        "your_password",
        "your-password",
        "placeholder",
        "to be filled by o.e.m.",
        "default string",
        "not specified",
        "0123456789",
        "123456789",
        "system serial number",
        "chassis serial number",
        "base board serial number",
        "invalid",
        "03000200-0400-0500-0006-000700080009", // the SMBIOS UUID of boards that ship none
        "not available",
        "not applicable",
        "unavailable",
        "o.e.m.",
        "none.",
        "token",
        "username",
        "user",
        "your_username",
        "your-username",
        "<username>",
        "value",
    };
    std::array<char, 64> buf; // written before read
    const std::string_view lower = lowerInto(v, buf);
    return !lower.empty() && words.contains(lower);
}

// A secret-looking token: 16+ characters of letters and digits (and - _ . + / =)
// mixing at least two of lower case, upper case and digits.
bool looksRandom(std::string_view v)
{
    if (v.size() < 16)
        return false;
    bool lower = false, upper = false, digit = false;
    for (char ch : v) {
        const auto c = static_cast<u8>(ch);
        if (c >= 'a' && c <= 'z')
            lower = true;
        else if (c >= 'A' && c <= 'Z')
            upper = true;
        else if (isDigit(c))
            digit = true;
        else if (c != '-' && c != '_' && c != '.' && c != '+' && c != '/' && c != '=')
            return false;
    }
    return int(lower) + int(upper) + int(digit) >= 2;
}

bool isVendorDomain(std::string_view hostLower)
{
    static const detail::FixedStringSet vendors = {
        "microsoft.com",
        "windows.com",
        "windowsupdate.com",
        "msftncsi.com",
        "msftconnecttest.com",
        "office.com",
        "office365.com",
        "azure.com",
        "azureedge.net",
        "live.com",
        "msedge.net",
        "apple.com",
        "icloud.com",
        "mzstatic.com",
        "google.com",
        "googleapis.com",
        "gstatic.com",
        "googleusercontent.com",
        "gvt1.com",
        "android.com",
        "github.com",
        "githubusercontent.com",
        "github.io",
        "gitlab.com",
        "ubuntu.com",
        "canonical.com",
        "launchpad.net",
        "snapcraft.io",
        "debian.org",
        "kernel.org",
        "fedoraproject.org",
        "redhat.com",
        "centos.org",
        "archlinux.org",
        "opensuse.org",
        "mozilla.org",
        "mozilla.net",
        "mozilla.com",
        "firefox.com",
        "cloudflare.com",
        "cloudflare-dns.com",
        "amazonaws.com",
        "amazon.com",
        "akamai.net",
        "akamaiedge.net",
        "akamaihd.net",
        "fastly.net",
        "docker.io",
        "docker.com",
        "quay.io",
        "gcr.io",
        "k8s.io",
        "python.org",
        "pypi.org",
        "npmjs.org",
        "npmjs.com",
        "nodejs.org",
        "rust-lang.org",
        "golang.org",
        "go.dev",
        "digicert.com",
        "letsencrypt.org",
        "sectigo.com",
        "globalsign.com",
        "verisign.com",
        "nvidia.com",
        "intel.com",
        "amd.com",
        "dell.com",
        "hp.com",
        "lenovo.com",
        "vmware.com",
        "oracle.com",
        "java.com",
        "sourceforge.net",
        "freedesktop.org",
        "gnome.org",
        "kde.org",
        "qt.io",
        "ntp.org",
        "openssl.org",
        "gnu.org",
        "w3.org",
        "schema.org",
        "json-schema.org",
        "slack.com",
        "microsoftonline.com",
        "microsoftonline-p.com",
        "msauth.net",
        "msftauth.net",
        "msauthimages.net",
        "msocsp.com",
        "windows.net",
        "bing.com",
        "msn.com",
        "skype.com",
        "visualstudio.com",
        "nuget.org",
        "apache.org",
        "jetbrains.com",
        "adobe.com",
        "ocsp.digicert.com",
        "maven.org",
        "gradle.org",
        "crates.io",
        "rubygems.org",
        "packagist.org",
        "yarnpkg.com",
        "hashicorp.com",
        "terraform.io",
        "zoom.us",
        "dropbox.com",
        "mit.edu",
        "ietf.org",
    };
    // The name itself or any parent domain.
    for (size_t pos = 0; pos != std::string_view::npos;) {
        const std::string_view suffix = hostLower.substr(pos);
        if (vendors.contains(suffix))
            return true;
        pos = hostLower.find('.', pos);
        if (pos != std::string_view::npos)
            ++pos;
    }
    return false;
}

bool isLocalhostName(std::string_view h)
{
    return equalsLower(h, "localhost") || equalsLower(h, "localhost.localdomain") || equalsLower(h, "ip6-localhost") ||
           equalsLower(h, "ip6-loopback") || equalsLower(h, "localdomain") || h.ends_with(".localhost") ||
           h.ends_with(".invalid") || h.ends_with(".arpa");
}

// Log level words: never the host field of a log line.
bool isLevelWord(std::string_view w)
{
    static const detail::FixedStringSet levels = {
        "info",     "warn",  "warning", "error",         "err",     "debug",   "trace", "fatal", "notice", "crit",
        "critical", "alert", "emerg",   "emergency",     "verbose", "severe",  "fine",  "finer", "finest", "dbg",
        "inf",      "wrn",   "eror",    "informational", "success", "failure", "audit", "ddebug"}; // dnf.log
    std::array<char, 64> buf; // written before read
    const std::string_view lower = lowerInto(w, buf);
    return !lower.empty() && levels.contains(lower);
}

// Windows service identities written with a space or a domain ("NT
// AUTHORITY\SYSTEM", "LOCAL SERVICE", "Window Manager\DWM-1"): never personal.
// Returns the end of the identity at v, or nullptr.
const u8 *systemIdentityEnd(const u8 *v, const u8 *e)
{
    static constexpr std::string_view phrases[] = {
        "nt authority",     "nt service",  "local service",      "network service", "builtin",     "window manager",
        "font driver host", "iis apppool", "nt virtual machine", "local system",    "localsystem", "workgroup"};
    for (std::string_view ph : phrases) {
        if (size_t(e - v) < ph.size() || !ieq(v, ph.data(), ph.size()))
            continue;
        const u8 *q = v + ph.size();
        if (q < e && isAlnum(*q))
            continue;
        if (q < e && *q == '\\') {
            ++q;
            while (q < e && (isNameChar(*q) || *q == '$'))
                ++q;
            if (e - q >= 8 && *q == ' ' && ieq(q + 1, "service", 7) && (q + 8 == e || !isAlnum(q[8])))
                q += 8;
        }
        return q;
    }
    return nullptr;
}

// A Windows (NetBIOS) domain value that names nobody.
bool isSystemDomain(std::string_view d)
{
    static const detail::FixedStringSet words = {
        "nt",     "authority",    "builtin",          "workgroup",      "-",   "n/a", "localhost", "local",
        "mshome", "nt authority", "font driver host", "window manager", "none"};
    std::array<char, 64> buf; // written before read
    const std::string_view lower = lowerInto(d, buf);
    return lower.empty() || words.contains(lower);
}

// A one-label name that looks like a machine's: letters with digits, dashes
// or underscores ("ws-kim-04", "jump9", "FILE-SRV2") or an upper-case word of
// three or more ("BUILDSRV"). Plain words of prose ("server", "left") are not.
bool hostLike(const u8 *s, const u8 *e)
{
    if (e - s < 2 || e - s > 63 || !isAlnum(*s) || !isAlnum(e[-1]))
        return false;
    bool alpha = false, digit = false, dash = false, lower = false;
    for (const u8 *q = s; q < e; ++q) {
        const u8 c = *q;
        if (isAlpha(c))
            alpha = true, lower = lower || c >= 'a';
        else if (isDigit(c))
            digit = true;
        else if (c == '-' || c == '_')
            dash = true;
        else
            return false;
    }
    return alpha && (digit || dash || (!lower && e - s >= 3));
}

// A long lower-case word with an ending of English nouns and verbs ("user integration",
// "user changes", "user directories" in package descriptions).
bool hasEnglishWordEnding(std::string_view w)
{
    if (w.size() < 7 || !std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return false;
    static constexpr std::string_view kEndings[] = {"tion",  "tions", "sion", "sions", "ies",   "ment",
                                                    "ments", "ing",   "ings", "ness",  "ances", "ences",
                                                    "ity",   "ables", "ures", "nges",  "ates",  "ives"};
    return std::any_of(std::begin(kEndings), std::end(kEndings), [w](std::string_view e) { return w.ends_with(e); });
}

// Words that follow "user" in prose ("user logged in", "User Manager",
// "of user settings"): never a user name.
bool isProseWord(std::string_view w)
{
    static const detail::FixedStringSet prose = {
        "logged", "login", "logins", "logout", "logoff", "logon", "is", "was", "has", "had", "have", "not", "name",
        "names", "id", "ids", "uid", "account", "accounts", "session", "sessions", "agent", "data", "info", "and", "or",
        "the", "a", "an", "to", "from", "for", "in", "on", "of", "with", "by", "at", "mode", "space", "land", "list",
        "manager", "interface", "request", "requests", "authentication", "authenticated", "unknown", "does", "did",
        "can", "cannot", "could", "will", "would", "should", "may", "must", "already", "successfully", "failed",
        "denied", "changed", "created", "deleted", "removed", "added", "exists", "found", "settings", "preferences",
        "profile", "profiles", "config", "configuration", "directory", "home", "group", "groups", "service", "services",
        "unit", "units", "bus", "instance", "specified", "default", "input", "interaction", "slice", "runtime",
        "database", "entry", "record", "object", "that", "this", "which", "who", "rights", "privileges", "permissions",
        "password", "credentials", "certificate", "key", "keys", "token", "tokens", "namespace", "namespaces", "limits",
        "quota", "mapping", "principal", "context", "level", "role", "roles", "type", "types", "count", "cancelled",
        "canceled", "aborted", "requested", "initiated", "selected", "experience", "defined", "friendly", "guide",
        "manual", "documentation", "docs", "tmp", "temp", "cache", "files", "file", "dir", "folder", "process",
        "processes", "program", "programs", "apps", "application", "applications", "environment", "env", "variables",
        "shell", "script", "scripts", "systemd", "activity", "ns", "none", "null", "nobody", "right", "access",
        "id:", "as", "if", "it", "its", "when", "then", "than", "but", "so", "there", "here", "now", "only", "all",
        "any", "each", "every", "no", "yes", "other", "own", "same", "new", "old", "current", "specific", "needs",
        "requires", "logs", "log", "sid", "sids", "mailbox", "quit", "exit", "repository", "repositories", "levels",
        "story", "stories", "feedback", "base", "limit", "owner",
        // Windows, Group Policy, MSI and installer wordings
        // ("user policy processing", "per user install")
        "policy", "policies", "install", "installs", "uninstall", "update", "updates", "upgrade", "registry", "hive",
        "store", "consent", "defaults", "phone", "email", "mail", "address", "status", "state", "details", "detail",
        "timeout", "time", "times", "locale", "language", "index", "scope", "class", "classes", "cpu", "memory",
        "stack", "code", "prompt", "choice", "idle", "lock", "locked", "unlock", "switch", "search", "lookup", "sync",
        "attribute", "attributes", "claims", "flow", "report", "reports", "error", "errors", "event", "events", "task",
        "tasks", "thread", "fonts", "font", "dictionary", "documents", "desktop", "downloads", "path", "appdata",
        "trust", "keychain", "keyring", "avatar", "picture", "photo", "image", "icon", "tile", "table", "tables",
        "custom", "override", "overrides", "wide", "global", "local", "owned", "supplied", "provided", "visible",
        "facing", "basis", "message", "messages", "action", "actions", "certificates", "id's",
        "ca", // OpenSSH: "of user CA"
        "cancel", "abort", "presence", "present", "away", "journey", "accessible", "writable", "readable",
        "configurable", "configured", "choose", "chose", "agreement", "license", "licence", "portal", "shares",
        "share"};
    std::array<char, 64> buf; // written before read
    const std::string_view lower = lowerInto(w, buf);
    return !lower.empty() && prose.contains(lower);
}

std::span<const JapaneseKey> japaneseKeys()
{
    // Escaped: the engine's sources stay ASCII.
    static constexpr JapaneseKey keys[] = {
        {"\xe3\x82\xa2\xe3\x82\xab\xe3\x82\xa6\xe3\x83\xb3\xe3\x83\x88\xe5\x90\x8d",
         JapaneseKeyKind::User},                                                                 // アカウント名
        {"\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6\xe3\x83\xbc\xe5\x90\x8d", JapaneseKeyKind::User}, // ユーザー名
        {"\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6\xe5\x90\x8d", JapaneseKeyKind::User},             // ユーザ名
        {"\xe3\x83\xad\xe3\x82\xb0\xe3\x82\xaa\xe3\x83\xb3\xe5\x90\x8d", JapaneseKeyKind::User}, // ログオン名
        {"\xe3\x82\xa2\xe3\x82\xab\xe3\x82\xa6\xe3\x83\xb3\xe3\x83\x88\x20\xe3\x83\x89\xe3\x83\xa1\xe3\x82\xa4\xe3\x83"
         "\xb3",
         JapaneseKeyKind::Domain},                                                     // アカウント ドメイン
        {"\xe3\x83\x89\xe3\x83\xa1\xe3\x82\xa4\xe3\x83\xb3", JapaneseKeyKind::Domain}, // ドメイン
        {"\xe3\x83\xaf\xe3\x83\xbc\xe3\x82\xaf\xe3\x82\xb9\xe3\x83\x86\xe3\x83\xbc\xe3\x82\xb7\xe3\x83\xa7\xe3\x83\xb3"
         "\xe5\x90\x8d",
         JapaneseKeyKind::Host}, // ワークステーション名
        {"\xe3\x82\xb3\xe3\x83\xb3\xe3\x83\x94\xe3\x83\xa5\xe3\x83\xbc\xe3\x82\xbf\xe3\x83\xbc\xe5\x90\x8d",
         JapaneseKeyKind::Host}, // コンピューター名
        {"\xe3\x82\xb3\xe3\x83\xb3\xe3\x83\x94\xe3\x83\xa5\xe3\x83\xbc\xe3\x82\xbf\xe5\x90\x8d",
         JapaneseKeyKind::Host},                                                     // コンピュータ名
        {"\xe3\x83\x9b\xe3\x82\xb9\xe3\x83\x88\xe5\x90\x8d", JapaneseKeyKind::Host}, // ホスト名
        {"\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc\xe3\x83\x89", JapaneseKeyKind::Password}, // パスワード
        {"\xe9\x9b\xbb\xe8\xa9\xb1\xe7\x95\xaa\xe5\x8f\xb7", JapaneseKeyKind::Phone},                // 電話番号
        {"\xe9\x9b\xbb\xe8\xa9\xb1", JapaneseKeyKind::Phone},                                        // 電話
        {"\xe6\x90\xba\xe5\xb8\xaf\xe9\x9b\xbb\xe8\xa9\xb1", JapaneseKeyKind::Phone},                // 携帯電話
        {"\xe6\x90\xba\xe5\xb8\xaf", JapaneseKeyKind::Phone},                                        // 携帯
        {"\xe3\x83\x97\xe3\x83\xad\xe3\x83\x80\xe3\x82\xaf\xe3\x83\x88\x20\x49\x44",
         JapaneseKeyKind::MachineId}, // プロダクト ID
        {"\xe3\x83\x95\xe3\x83\xab\x20\xe3\x83\x8d\xe3\x83\xbc\xe3\x83\xa0", JapaneseKeyKind::Person}, // フル ネーム
        {"\xe7\x99\xbb\xe9\x8c\xb2\xe3\x81\x95\xe3\x82\x8c\xe3\x81\xa6\xe3\x81\x84\xe3\x82\x8b\xe6\x89\x80\xe6\x9c\x89"
         "\xe8\x80\x85",
         JapaneseKeyKind::Person},                                         // 登録されている所有者
        {"\xe6\xb0\x8f\xe5\x90\x8d", JapaneseKeyKind::Person},             // 氏名
        {"\xe6\x8b\x85\xe5\xbd\x93\xe8\x80\x85", JapaneseKeyKind::Person}, // 担当者
    };
    return keys;
}

} // namespace dc::core::rx
