#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
"""Second labelled redaction corpus (bench/eval2, ours, written blind).

Writes DIR/corpus.log, DIR/labels.jsonl and DIR/context.json in the layout of
bench/eval (byte offsets; spans with type and shape; decoys with kind), from a
different and wider set of formats: Windows event text and XML, IIS W3C,
CEF/LEEF, Docker/Kubernetes JSON, PostgreSQL/MySQL, nginx/Apache error logs,
mail headers, Tomcat/Java traces, dmesg, auditd, journalctl verbose/json,
cloud-init, Samba/winbind, SSSD/Kerberos, ipconfig /all, systeminfo, wmic,
Get-ComputerInfo, netstat -ano, ss -tnp, last, lsof, w, .reg exports, macOS
unified log, Chrome policy dumps, VPN/RADIUS/ASA, DHCP servers, logcat,
CloudTrail, Squid, Windows firewall, shell histories, .netrc, exiftool.

The machine's own names (this host's hostname and the accounts of /etc/passwd
with uid >= 1000, except nobody) are planted in a few per cent of the places
where a host or user appears, flagged "machine": the engine is expected to know
them without being told.
"""

import argparse
import base64
import json
import os
import random
import socket
import string
import sys
import uuid
from urllib.parse import quote as urlquote


class V:
    """A planted personal value."""

    def __init__(self, text, type_, shape, machine=False):
        self.text, self.type, self.shape, self.machine = text, type_, shape, machine


class D:
    """A decoy that must stay unchanged."""

    def __init__(self, text, kind):
        self.text, self.kind = text, kind


def render(fmt, template, *items):
    """template with {} placeholders filled from items (str, V or D)."""
    parts = template.split("{}")
    assert len(parts) == len(items) + 1, (template, len(items))
    out, spans, decoys, n = [], [], [], 0
    for i, p in enumerate(parts):
        b = p.encode()
        out.append(b)
        n += len(b)
        if i < len(items):
            it = items[i]
            if isinstance(it, (V, D)):
                b = it.text.encode()
                if isinstance(it, V):
                    s = {"start": n, "end": n + len(b), "type": it.type, "shape": it.shape}
                    if it.machine:
                        s["machine"] = True
                    spans.append(s)
                else:
                    decoys.append({"start": n, "end": n + len(b), "kind": it.kind})
            else:
                b = str(it).encode()
            out.append(b)
            n += len(b)
    line = b"".join(out)
    assert b"\n" not in line
    return line, {"format": fmt, "spans": spans, "decoys": decoys}


SYL = ["ka", "lo", "mi", "ren", "ta", "vo", "zel", "dri", "han", "bra", "sel", "tor", "qui", "ne", "ba", "fan",
       "gor", "li", "mar", "dun", "pe", "sha", "vik", "wen", "yul", "ost", "ar", "ben", "cor", "dal", "el", "fin"]
FIRST_COMMON = ["anna", "ben", "clara", "david", "emma", "felix", "greta", "hugo", "ines", "jonas", "karin", "lukas",
                "maria", "noah", "olga", "paul", "rosa", "sven", "tina", "uwe", "vera", "yusuf", "zoe", "amir", "priya",
                "wei", "kenji", "fatima", "diego", "lena", "omar", "sara", "raj", "mei", "juan", "elif", "nils"]
SYSTEM_ACCOUNTS = ["root", "daemon", "www-data", "nobody", "systemd-network", "messagebus", "postfix", "sshd", "_apt",
                   "polkitd", "syslog", "mysql", "postgres", "nginx", "SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE"]
VENDOR_DOMAINS = ["microsoft.com", "windowsupdate.com", "ubuntu.com", "archive.ubuntu.com", "github.com", "google.com",
                  "googleapis.com", "apple.com", "mozilla.org", "debian.org", "amazonaws.com", "cloudflare.com",
                  "login.microsoftonline.com", "docker.io", "registry.k8s.io", "oracle.com", "adobe.com"]
EVENT_PROVIDERS = [("Microsoft-Windows-Security-Auditing", "{54849625-5478-4994-a5ba-3e3b0328c30d}"),
                   ("Microsoft-Windows-Kernel-General", "{a68ca8b7-004f-d7b6-a698-07e2de0f1f5d}"),
                   ("Microsoft-Windows-Winlogon", "{dbe9b383-7cf3-4331-91cc-a3cb16a3b538}")]


class World:
    def __init__(self, rnd, n_people, machine_host, machine_users):
        self.r = r = rnd
        self.machine_host = machine_host
        self.machine_users = machine_users
        self.orgs = []
        for _ in range(max(3, n_people // 60)):
            name = self.word(2, 3)
            tld = r.choice(["com", "net", "org", "de", "ch", "co.uk", "io", "local"])
            dns = name + "." + tld
            corp = r.choice(["corp.", "ad.", "int.", ""]) + dns
            self.orgs.append({"name": name, "dns": dns, "corp": corp, "netbios": name[:r.randint(5, 10)].upper(),
                              "realm": corp.upper()})
        self.people = []
        for _ in range(n_people):
            first = r.choice(FIRST_COMMON) if r.random() < 0.5 else self.word(2, 2)
            last = self.word(2, 3)
            org = r.choice(self.orgs)
            style = r.randrange(7)
            user = [first[0] + last, first + "." + last, last + first[0], first + "_" + last, first + last[:2] +
                    str(r.randint(1, 99)), (first[0] + last).capitalize(), first + str(r.randint(10, 99))][style]
            self.people.append({"first": first, "last": last, "org": org, "user": user,
                                "email": r.choice([first + "." + last, first[0] + last, user]) + "@" +
                                (org["dns"] if r.random() < 0.7 else r.choice(["gmail.com", "outlook.com", "gmx.de",
                                                                              "yahoo.com", "proton.me"]))})
        self.hosts = []
        for _ in range(n_people):
            p = r.choice(self.people)
            kind = r.randrange(10)
            h = ["ws-%s-%02d" % (p["last"][:4], r.randint(1, 40)),
                 "DESKTOP-" + self.rand(string.ascii_uppercase + string.digits, 7),
                 "LAPTOP-" + self.rand(string.ascii_uppercase + string.digits, 8),
                 "%s-%s%02d" % (r.choice(["srv", "app", "db", "web", "fs", "sql", "build", "dc"]), self.word(1, 2),
                                r.randint(1, 20)),
                 "%sserv%02d" % (r.choice(["file", "print", "mail", "git"]), r.randint(1, 30)),
                 "nb-%s-%d" % (p["last"], r.randint(1, 9)),
                 "%s-%s" % (p["first"].capitalize() + "s", r.choice(["MacBook-Pro", "MacBook-Air", "iMac", "iPhone"])),
                 "%s-pc" % p["user"].lower().replace(".", "").replace("_", ""),
                 "%s%02d" % (self.word(2, 2).upper(), r.randint(1, 99)),
                 "%s-%s-%d" % (self.word(1, 2), r.choice(["node", "worker", "kube"]), r.randint(1, 12))][kind]
            self.hosts.append({"name": h, "org": p["org"]})

    def rand(self, alphabet, n):
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def word(self, a, b):
        return "".join(self.r.choice(SYL) for _ in range(self.r.randint(a, b)))

    # --- planted values -------------------------------------------------
    def person(self):
        return self.r.choice(self.people)

    def user(self, shape, p=None, machine_ok=True):
        if machine_ok and self.machine_users and self.r.random() < 0.04:
            return V(self.r.choice(self.machine_users), "user", shape, True)
        return V((p or self.person())["user"], "user", shape)

    def host_entry(self):
        return self.r.choice(self.hosts)

    def host(self, shape, h=None, upper=None, machine_ok=True):
        if machine_ok and self.machine_host and self.r.random() < 0.04:
            return V(self.machine_host, "hostname", shape, True)
        name = (h or self.host_entry())["name"]
        if upper is True:
            name = name.upper()
        elif upper is False:
            name = name.lower()
        return V(name, "hostname", shape)

    def fqdn(self, shape, h=None):
        h = h or self.host_entry()
        return V(h["name"].lower() + "." + h["org"]["corp"], "hostname", shape)

    def netbios(self, shape, org=None):
        return V((org or self.r.choice(self.orgs))["netbios"], "domain", shape)

    def domain(self, shape, org=None, corp=True):
        o = org or self.r.choice(self.orgs)
        return V(o["corp"] if corp else o["dns"], "domain", shape)

    def email(self, shape, p=None):
        return V((p or self.person())["email"], "email", shape)

    def ipv4(self, shape, public=None):
        r = self.r
        k = r.randrange(5) if public is None else (4 if public else r.randrange(4))
        if k == 0:
            ip = "10.%d.%d.%d" % (r.randint(0, 255), r.randint(0, 255), r.randint(2, 254))
        elif k == 1:
            ip = "192.168.%d.%d" % (r.randint(0, 255), r.randint(2, 254))
        elif k == 2:
            ip = "172.%d.%d.%d" % (r.randint(16, 31), r.randint(0, 255), r.randint(2, 254))
        elif k == 3:
            ip = "100.%d.%d.%d" % (r.randint(64, 127), r.randint(0, 255), r.randint(2, 254))
        else:
            ip = "%d.%d.%d.%d" % (r.choice([23, 31, 45, 62, 77, 81, 91, 109, 145, 176, 185, 195, 203, 212, 217]),
                                  r.randint(0, 255), r.randint(0, 255), r.randint(2, 254))
        return V(ip, "ipv4", shape)

    def ipv6(self, shape, kind=None):
        r = self.r
        g = ["%x" % r.randint(1, 0xffff) for _ in range(8)]
        k = r.randrange(4) if kind is None else kind
        if k == 0:
            ip = "fe80::" + ":".join(g[:4])
        elif k == 1:
            ip = "2001:db8:%s::%s" % (g[0], g[1])
        elif k == 2:
            ip = "2a02:%s:%s:%s:%s:%s:%s:%s" % tuple(g[1:])
        else:
            ip = "fd%02x:%s:%s::%s" % (r.randint(0, 255), g[0], g[1], g[2])
        return V(ip, "ipv6", shape)

    def mac(self, shape, style=None):
        b = [self.r.randint(0, 255) for _ in range(6)]
        b[0] &= 0xfe
        s = self.r.randrange(4) if style is None else style
        if s == 0:
            m = ":".join("%02x" % x for x in b)
        elif s == 1:
            m = "-".join("%02X" % x for x in b)
        elif s == 2:
            h = "".join("%02x" % x for x in b)
            m = "%s.%s.%s" % (h[0:4], h[4:8], h[8:12])
        else:
            m = "".join("%02X" % x for x in b)
        return V(m, "mac", shape)

    def password(self, shape):
        r = self.r
        k = r.randrange(4)
        if k == 0:
            pw = r.choice(["Summer", "Winter", "Welcome", "Passw0rd", "Qwertz", "Dragon", "Sunshine"]) + \
                str(r.randint(2000, 2026)) + r.choice(["!", "#", "$", "?", ""])
        elif k == 1:
            pw = self.rand(string.ascii_letters + string.digits + "!#%*+-", r.randint(10, 18))
        elif k == 2:
            pw = self.word(2, 3).capitalize() + str(r.randint(10, 999)) + r.choice(["!", "@", "."])
        else:
            pw = self.rand(string.ascii_letters + string.digits, r.randint(8, 24))
        return V(pw, "password", shape)

    def secret(self, shape, kind=None):
        r = self.r
        k = r.randrange(7) if kind is None else kind
        if k == 0:
            s = "ghp_" + self.rand(string.ascii_letters + string.digits, 36)
        elif k == 1:
            s = "xoxb-%d-%d-%s" % (r.randint(10 ** 10, 10 ** 11), r.randint(10 ** 12, 10 ** 13),
                                   self.rand(string.ascii_letters + string.digits, 24))
        elif k == 2:
            s = "AKIA" + self.rand(string.ascii_uppercase + "234567", 16)
        elif k == 3:
            s = self.rand("0123456789abcdef", 32)
        elif k == 4:
            s = self.rand(string.ascii_letters + string.digits, 40)
        elif k == 5:
            s = "glpat-" + self.rand(string.ascii_letters + string.digits + "-_", 20)
        else:
            s = "sk_" + "live_" + self.rand(string.ascii_letters + string.digits, 24)
        return V(s, "secret", shape)

    def aws_secret(self, shape):
        return V(self.rand(string.ascii_letters + string.digits + "+/", 40), "aws-secret", shape)

    def jwt(self, shape):
        def b64(d):
            return base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).rstrip(b"=").decode()
        p = self.person()
        tok = ".".join([b64({"alg": "RS256", "typ": "JWT", "kid": self.rand("abcdef0123456789", 8)}),
                        b64({"sub": p["user"], "email": p["email"], "iat": self.r.randint(1.6e9, 1.8e9)}),
                        base64.urlsafe_b64encode(bytes(self.r.randrange(256) for _ in range(64))).rstrip(b"=").decode()])
        return V(tok, "jwt", shape)

    def card(self, shape):
        r = self.r
        pre = r.choice(["4", "51", "53", "55", "37", "6011"])
        n = 15 if pre == "37" else 16
        d = [int(c) for c in pre] + [r.randint(0, 9) for _ in range(n - len(pre) - 1)]
        tot = 0
        for i, x in enumerate(reversed(d)):
            if i % 2 == 0:
                x *= 2
                x -= 9 if x > 9 else 0
            tot += x
        d.append((10 - tot % 10) % 10)
        s = "".join(map(str, d))
        st = r.randrange(3)
        if st == 1 and n == 16:
            s = " ".join(s[i:i + 4] for i in range(0, 16, 4))
        elif st == 2 and n == 16:
            s = "-".join(s[i:i + 4] for i in range(0, 16, 4))
        return V(s, "card", shape)

    def phone(self, shape):
        r = self.r
        k = r.randrange(8)
        a, b, c = r.randint(200, 989), r.randint(100, 999), r.randint(1000, 9999)
        s = ["(%d) 555-%04d" % (a, c), "+1-%d-555-%04d" % (a, c), "%d-555-%04d" % (a, c), "+1 %d 555 %04d" % (a, c),
             "+41 %d %03d %02d %02d" % (r.randint(21, 79), b, r.randint(10, 99), r.randint(10, 99)),
             "+44 20 7946 %04d" % r.randint(0, 999), "+49 %d %d" % (r.randint(30, 1799), r.randint(100000, 9999999)),
             "+33 %d %02d %02d %02d %02d" % tuple([r.randint(1, 9)] + [r.randint(10, 99) for _ in range(4)])][k]
        return V(s, "phone", shape)

    def gps(self):
        r = self.r
        return r.uniform(-60, 70), r.uniform(-170, 175)

    def guid(self, upper=False):
        g = str(uuid.UUID(int=self.r.getrandbits(128), version=4))
        return g.upper() if upper else g

    def machine_id(self, shape, kind=None):
        r = self.r
        k = r.randrange(5) if kind is None else kind
        if k == 0:
            s = self.rand("0123456789abcdef", 32)
        elif k == 1:
            s = self.guid(upper=r.random() < 0.5)
        elif k == 2:
            s = "{" + self.guid(upper=True) + "}"
        elif k == 3:
            s = "00-01-00-01-" + "-".join("%02X" % r.randrange(256) for _ in range(10))
        else:
            s = "%05d-%05d-%05d-AA%03d" % (r.randint(0, 99999), r.randint(0, 99999), r.randint(0, 99999),
                                            r.randint(0, 999))
        return V(s, "machine-id", shape)

    def serial(self, shape):
        r = self.r
        k = r.randrange(5)
        s = ["5CG" + self.rand(string.digits + string.ascii_uppercase, 7),
             "C02" + self.rand(string.digits + string.ascii_uppercase, 8),
             "WD-WCC" + self.rand(string.digits + string.ascii_uppercase, 8),
             "S3Z" + self.rand(string.digits + string.ascii_uppercase, 12),
             self.rand(string.digits + string.ascii_uppercase, 10)][k]
        return V(s, "serial", shape)

    def sid(self, shape, rid=None):
        r = self.r
        return V("S-1-5-21-%d-%d-%d-%d" % (r.randint(10 ** 8, 4 * 10 ** 9), r.randint(10 ** 8, 4 * 10 ** 9),
                                           r.randint(10 ** 8, 4 * 10 ** 9), rid or r.randint(1000, 9999)), "sid", shape)

    # --- decoys ---------------------------------------------------------
    def pid(self):
        return D(str(self.r.randint(2, 65000)), "pid")

    def port(self):
        return D(str(self.r.randint(1024, 65535)), "port")

    def sysacct(self, lst=None):
        return D(self.r.choice(lst or SYSTEM_ACCOUNTS), "system-account")

    def vendor(self):
        return D(self.r.choice(VENDOR_DOMAINS), "vendor-domain")

    def version4(self):
        r = self.r
        return D(r.choice(["10.0.19045.%d" % r.randint(1000, 4500), "2.4.%d.%d" % (r.randint(1, 60), r.randint(0, 9)),
                           "6.1.7601.%d" % r.randint(17000, 24000), "122.0.6261.%d" % r.randint(1, 130),
                           "1.%d.%d.%d" % (r.randint(0, 9), r.randint(0, 30), r.randint(0, 300))]), "version-ipv4-like")

    def version(self):
        r = self.r
        return D(r.choice(["5.15.0-%d-generic" % r.randint(50, 110), "6.1.0-%d-amd64" % r.randint(10, 20),
                           "%d.%d.%d" % (r.randint(1, 20), r.randint(0, 30), r.randint(0, 99)), "OpenSSH_9.%dp1" %
                           r.randint(0, 6), "v1.%d.%d" % (r.randint(20, 30), r.randint(0, 9))]), "version")

    def sha256(self):
        return D(self.rand("0123456789abcdef", 64), "sha256")

    def uuid_decoy(self, kind="uuid-request-id"):
        return D(self.guid(), kind)

    def hexid(self, n=16, kind="hex-id"):
        return D(self.rand("0123456789abcdef", n), kind)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Clock:
    def __init__(self, r):
        self.r = r
        self.t = 1709450000 + r.randint(0, 10 ** 7)

    def tick(self):
        self.t += self.r.randint(0, 3)
        import time
        return time.gmtime(self.t)

    def syslog(self):
        g = self.tick()
        return "%s %2d %02d:%02d:%02d" % (MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec)

    def iso(self, frac=True, z="Z"):
        g = self.tick()
        s = "%04d-%02d-%02dT%02d:%02d:%02d" % g[:6]
        if frac:
            s += ".%06d" % self.r.randint(0, 999999)
        return s + z

    def sql(self, frac=3):
        g = self.tick()
        s = "%04d-%02d-%02d %02d:%02d:%02d" % g[:6]
        if frac:
            s += "." + str(self.r.randint(0, 10 ** frac - 1)).zfill(frac)
        return s

    def slash(self):
        g = self.tick()
        return "%04d/%02d/%02d %02d:%02d:%02d" % g[:6]

    def epoch(self):
        self.tick()
        return "%d.%03d" % (self.t, self.r.randint(0, 999))


# ---------------------------------------------------------------------------
# Formats. Each takes (W, C) and returns render(...).

def f_syslog_sshd(W, C):
    r = W.r
    k = r.randrange(6)
    h = W.host("syslog host field")
    if k == 0:
        return render("syslog-sshd", "{} {} sshd[{}]: Accepted publickey for {} from {} port {} ssh2: ED25519 SHA256:{}",
                      C.syslog(), h, W.pid(), W.user("sshd accepted for"), W.ipv4("sshd from"), W.port(),
                      D(W.rand(string.ascii_letters + string.digits + "+/", 43), "key-fingerprint"))
    if k == 1:
        return render("syslog-sshd", "{} {} sshd[{}]: Failed password for invalid user {} from {} port {} ssh2",
                      C.syslog(), h, W.pid(), W.user("sshd invalid user"), W.ipv4("sshd from"), W.port())
    if k == 2:
        return render("syslog-sshd", "{} {} sshd[{}]: pam_unix(sshd:session): session opened for user {}(uid={}) by (uid=0)",
                      C.syslog(), h, W.pid(), W.user("pam session for user"), D(str(r.randint(1000, 1500)), "uid"))
    if k == 3:
        return render("syslog-sshd", "{} {} sudo[{}]:    {} : TTY=pts/{} ; PWD=/home/{} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx",
                      C.syslog(), h, W.pid(), W.user("sudo user field"), r.randint(0, 5), W.user("home path"))
    if k == 4:
        return render("syslog-sshd", "{} {} systemd-logind[{}]: New session {} of user {}.",
                      C.syslog(), h, W.pid(), r.randint(1, 900), W.user("logind of user"))
    return render("syslog-sshd", "{} {} CRON[{}]: ({}) CMD (/usr/lib/php/sessionclean)",
                  C.syslog(), h, W.pid(), W.sysacct(["root", "www-data"]))


def f_win_event_text(W, C):
    r = W.r
    k = r.randrange(9)
    if k == 0:
        return render("win-event-text", "\tSecurity ID:\t\t{}", W.sid("event Security ID"))
    if k == 1:
        return render("win-event-text", "\tAccount Name:\t\t{}", W.user("event Account Name"))
    if k == 2:
        return render("win-event-text", "\tAccount Domain:\t\t{}", W.netbios("event Account Domain"))
    if k == 3:
        return render("win-event-text", "\tWorkstation Name:\t{}", W.host("event Workstation Name", upper=True))
    if k == 4:
        return render("win-event-text", "\tSource Network Address:\t{}", W.ipv4("event Source Network Address"))
    if k == 5:
        return render("win-event-text", "\tLogon ID:\t\t0x{}", D("%X" % r.randint(0x3e7, 0xfffffff), "logon-id"))
    if k == 6:
        return render("win-event-text", "\tSecurity ID:\t\t{}", D(r.choice(["S-1-5-18", "S-1-0-0", "S-1-5-19", "S-1-5-32-544"]), "wellknown-sid"))
    if k == 7:
        return render("win-event-text", "An account was successfully logged on. Subject: Account Name: {}$ Account Domain: {} Logon Type: 3",
                      W.host("event machine account", upper=True), W.netbios("event Account Domain"))
    return render("win-event-text", "Date:          {}\tEvent ID:      {}\tComputer:      {}",
                  C.iso(False, ""), r.choice(["4624", "4625", "4634", "4648"]), W.fqdn("event Computer"))


def f_win_event_xml(W, C):
    r = W.r
    k = r.randrange(8)
    if k == 0:
        return render("win-event-xml", '    <Data Name="TargetUserName">{}</Data>', W.user("xml TargetUserName"))
    if k == 1:
        return render("win-event-xml", '    <Data Name="TargetDomainName">{}</Data>', W.netbios("xml TargetDomainName"))
    if k == 2:
        return render("win-event-xml", '    <Data Name="WorkstationName">{}</Data>', W.host("xml WorkstationName", upper=True))
    if k == 3:
        return render("win-event-xml", '    <Data Name="IpAddress">{}</Data>', r.choice([W.ipv4("xml IpAddress"), W.ipv6("xml IpAddress")]))
    if k == 4:
        return render("win-event-xml", '    <Computer>{}</Computer>', W.fqdn("xml Computer"))
    if k == 5:
        p = EVENT_PROVIDERS[r.randrange(len(EVENT_PROVIDERS))]
        return render("win-event-xml", "    <Provider Name='{}' Guid='{}' />", p[0], D(p[1], "provider-guid"))
    if k == 6:
        return render("win-event-xml", '    <Data Name="TargetUserSid">{}</Data>', W.sid("xml TargetUserSid"))
    return render("win-event-xml", "    <Execution ProcessID='{}' ThreadID='{}' /><Correlation ActivityID='{}' />",
                  W.pid(), W.pid(), D("{" + W.guid(True) + "}", "activity-id"))


def f_iis(W, C):
    r = W.r
    auth = r.random() < 0.6
    u = V(W.person()["org"]["netbios"] + "\\" + W.person()["user"], "user", "iis cs-username DOMAIN\\user") if auth and r.random() < 0.5 else \
        (W.user("iis cs-username") if auth else "-")
    path = r.choice(["/owa/", "/api/v2/orders", "/ews/exchange.asmx", "/Autodiscover/Autodiscover.xml"])
    if r.random() < 0.3:
        return render("iis-w3c", "{} {} GET {} access_token={}&ver=2 443 - {} Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 401 1 2148074254 {}",
                      C.sql(0), W.ipv4("iis s-ip"), path, W.secret("url access_token"), W.ipv4("iis c-ip"), r.randint(1, 900))
    return render("iis-w3c", "{} {} {} {} - 443 {} {} Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36 - 200 0 0 {}",
                  C.sql(0), W.ipv4("iis s-ip"), r.choice(["GET", "POST"]), path, u, W.ipv4("iis c-ip"), r.randint(1, 900))


def f_cef_leef(W, C):
    r = W.r
    if r.random() < 0.6:
        return render("cef", "CEF:0|Microsoft|Microsoft Windows||Microsoft-Windows-Security-Auditing:4625|An account failed to log on.|Low| rt={} src={} shost={} suser={} sntdom={} dhost={} duser={} cs1Label=LogonType cs1=3 externalId={}",
                      C.syslog(), W.ipv4("cef src"), W.host("cef shost"), W.user("cef suser"), W.netbios("cef sntdom"),
                      W.fqdn("cef dhost"), W.user("cef duser"), D(str(r.randint(1, 99999)), "event-id"))
    return render("leef", "LEEF:2.0|Lancope|StealthWatch|{}|41|^|src={}^dst={}^srcPort={}^usrName={}^identHostName={}^proto=tcp",
                  W.version(), W.ipv4("leef src"), W.ipv4("leef dst"), W.port(), W.user("leef usrName"), W.fqdn("leef identHostName"))


def f_docker_k8s(W, C):
    r = W.r
    k = r.randrange(4)
    if k == 0:
        return render("docker-json", '{{"log":"{} level=info msg=\\"login ok\\" user={} remote={}\\n","stream":"stderr","time":"{}"}}'.replace("{{", "{").replace("}}", "}"),
                      C.iso(), W.email("docker log user=email"), W.ipv4("docker log remote="), C.iso())
    if k == 1:
        return render("k8s-json", '{} stdout F {{"level":"info","ts":{},"msg":"request","user":"{}","client_ip":"{}","node":"{}"}}'.replace("{{", "{").replace("}}", "}"),
                      C.iso(), C.epoch(), W.user("json user"), W.ipv4("json client_ip"), W.host("json node"))
    if k == 2:
        return render("kubelet", 'I{} {:>7} kubelet.go:2190] "SyncLoop ADD" source="api" pods=["default/web-{}-{}"] node="{}"'.replace("{:>7}", "{}"),
                      C.sql(0)[5:].replace("-", "").replace(" ", " ", 1), W.pid(), W.hexid(9, "k8s-hash"), W.hexid(5, "k8s-hash"), W.host("kubelet node="))
    return render("k8s-json", '{{"kind":"Event","reason":"Pulled","message":"Successfully pulled image \\"{}/library/nginx:{}\\"","source":{{"host":"{}"}},"podIP":"{}"}}'.replace("{{", "{").replace("}}", "}"),
                  D("docker.io", "vendor-domain"), W.version(), W.host("json source host"), W.ipv4("json podIP"))


def f_postgres(W, C):
    r = W.r
    k = r.randrange(6)
    u = W.user("pg log prefix user@db")
    if k == 0:
        return render("postgresql", "{} UTC [{}] {}@sales LOG:  connection authorized: user={} database=sales application_name=psql",
                      C.sql(), W.pid(), u, W.user("pg user="))
    if k == 1:
        return render("postgresql", "{} UTC [{}] [unknown]@[unknown] LOG:  connection received: host={} port={}",
                      C.sql(), W.pid(), W.ipv4("pg host="), W.port())
    if k == 2:
        return render("postgresql", '{} UTC [{}] {}@sales FATAL:  password authentication failed for user "{}"',
                      C.sql(), W.pid(), u, W.user("pg failed for user quoted"))
    if k == 3:
        return render("postgresql", "DATABASE_URL=postgresql://{}:{}@{}:5432/sales?sslmode=require",
                      W.user("url user"), W.password("url password"), W.fqdn("url host"))
    if k == 4:
        return render("postgresql", "dsn: host={} port=5432 dbname=sales user={} password={} sslmode=verify-full",
                      W.fqdn("libpq host="), W.user("libpq user="), W.password("libpq password="))
    return render("postgresql", "{} UTC [{}] postgres@postgres LOG:  checkpoint complete: wrote {} buffers ({}%); 0 WAL file(s) added",
                  C.sql(), W.pid(), r.randint(1, 9999), "%.1f" % r.uniform(0, 50))


def f_mysql(W, C):
    r = W.r
    k = r.randrange(4)
    if k == 0:
        return render("mysql", "{} {} [Note] [MY-010926] [Server] Access denied for user '{}'@'{}' (using password: YES)",
                      C.iso(), r.randint(1, 999), W.user("mysql 'user'@"), W.ipv4("mysql @'ip'"))
    if k == 1:
        return render("mysql", "jdbc:mysql://{}:3306/sales?user={}&password={}&useSSL=true",
                      W.fqdn("jdbc host"), W.user("jdbc user="), W.password("jdbc password="))
    if k == 2:
        return render("mysql", "Server=tcp:{},1433;Initial Catalog=Sales;Persist Security Info=False;User ID={};Password={};Encrypt=True;",
                      W.fqdn("ado Server="), W.user("ado User ID="), W.password("ado Password="))
    return render("mysql", "{} {} [Warning] [MY-010055] [Server] IP address '{}' could not be resolved: Name or service not known",
                  C.iso(), r.randint(1, 999), W.ipv4("mysql IP address quoted"))


def f_nginx_apache_error(W, C):
    r = W.r
    k = r.randrange(3)
    if k == 0:
        return render("nginx-error", '{} [error] {}#{}: *{} open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: {}, server: {}, request: "GET /favicon.ico HTTP/1.1", host: "{}"',
                      C.slash(), W.pid(), 0, r.randint(1, 99999), W.ipv4("nginx client:"), W.fqdn("nginx server:"), W.fqdn("nginx host: quoted"))
    if k == 1:
        return render("nginx-error", '{} [error] {}#{}: *{} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {}, server: _, request: "POST /api/login HTTP/1.1", upstream: "http://{}:{}/api/login"',
                      C.slash(), W.pid(), 0, r.randint(1, 99999), W.ipv6("nginx client: ipv6"), W.ipv4("nginx upstream url"), W.port())
    return render("apache-error", "[{} {} {:02d} {}.{} 2024] [auth_basic:error] [pid {}:tid {}] [client {}:{}] AH01618: user {} not found: /admin".replace("{:02d}", "{}"),
                  r.choice(DAYS), r.choice(MONTHS), "%02d" % r.randint(1, 28), C.sql(0)[11:], r.randint(0, 999999), W.pid(),
                  r.randint(10 ** 14, 10 ** 15), W.ipv4("apache [client ip:port]"), W.port(), W.user("apache user X not found"))


def f_mail_headers(W, C):
    r = W.r
    k = r.randrange(5)
    if k == 0:
        return render("mail-headers", "Received: from {} ({} [{}]) by {} (Postfix) with ESMTPS id {}; Sun, 3 Mar 2024 10:01:22 +0100 (CET)",
                      W.fqdn("Received from"), W.fqdn("Received (helo)"), W.ipv4("Received [ip]"), W.fqdn("Received by"),
                      D(W.rand(string.ascii_letters + string.digits, 10), "queue-id"))
    if k == 1:
        p = W.person()
        return render("mail-headers", "From: {} <{}>", '"' + "Support" + '"', W.email("From <addr>", p))
    if k == 2:
        return render("mail-headers", "X-Originating-IP: [{}]", W.ipv4("X-Originating-IP"))
    if k == 3:
        return render("mail-headers", "Return-Path: <{}>", W.email("Return-Path"))
    return render("mail-headers", "{} {} postfix/smtpd[{}]: NOQUEUE: reject: RCPT from unknown[{}]: 554 5.7.1 <{}>: Relay access denied; from=<{}> to=<{}> proto=ESMTP helo=<{}>",
                  C.syslog(), W.host("syslog host field"), W.pid(), W.ipv4("postfix unknown[ip]"), W.email("postfix <rcpt>"),
                  W.email("postfix from=<>"), W.email("postfix to=<>"), W.host("postfix helo=<short>"))


def f_java(W, C):
    r = W.r
    k = r.randrange(5)
    if k == 0:
        return render("tomcat", "{} SEVERE [http-nio-8080-exec-{}] org.apache.catalina.core.StandardWrapperValve.invoke Servlet.service() for servlet [dispatcher] threw exception",
                      "03-Mar-2024 " + C.sql()[11:], r.randint(1, 20))
    if k == 1:
        return render("java-trace", "Caused by: java.net.ConnectException: Connection refused: {}/{}:{}",
                      W.fqdn("java host/ip:port"), W.ipv4("java host/ip:port"), D("5432", "port"))
    if k == 2:
        return render("java-trace", "java.net.UnknownHostException: {}: Name or service not known", W.host("java UnknownHostException"))
    if k == 3:
        return render("java-trace", "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:{})", r.randint(100, 1100))
    return render("java-app", "{} INFO  [main] c.a.s.AuthService - user {} logged in from {} (session {})",
                  C.sql(), W.email("java user X logged in"), W.ipv4("java from ip"), D(W.guid(), "uuid-request-id"))


def f_dmesg(W, C):
    r = W.r
    ts = "[%6d.%06d]" % (r.randint(0, 99999), r.randint(0, 999999))
    k = r.randrange(5)
    if k == 0:
        return render("dmesg", "{} e1000e 0000:00:1f.6 eth0: (PCI Express:2.5GT/s:Width x1) {}", ts, W.mac("dmesg nic mac", 0))
    if k == 1:
        return render("dmesg", "{} usb 1-{}: SerialNumber: {}", ts, r.randint(1, 9), W.serial("usb SerialNumber"))
    if k == 2:
        return render("dmesg", "{} Linux version {} (buildd@lcy02-amd64-{}) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0)", ts, W.version(), r.randint(1, 99))
    if k == 3:
        return render("dmesg", "{} IPv6: ADDRCONF(NETDEV_CHANGE): wlp2s0: link becomes ready", ts)
    return render("dmesg", "{} ata1.00: ATA-11: Samsung SSD 870 EVO 1TB, SVT02B6Q, max UDMA/133", ts)


def f_auditd(W, C):
    r = W.r
    ev = "msg=audit(%s:%d)" % (C.epoch(), r.randint(100, 99999))
    if r.random() < 0.5:
        return render("auditd", "type=USER_LOGIN {}: pid={} uid=0 auid={} ses={} subj=unconfined msg='op=login acct=\"{}\" exe=\"/usr/sbin/sshd\" hostname={} addr={} terminal=sshd res=failed'",
                      ev, W.pid(), D(str(r.randint(1000, 1300)), "uid"), r.randint(1, 99), W.user("auditd acct=quoted"),
                      W.fqdn("auditd hostname="), W.ipv4("auditd addr="))
    return render("auditd", "type=USER_AUTH {}: pid={} uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct={} exe=\"/usr/sbin/sshd\" hostname={} addr={} terminal=ssh res=failed'",
                  ev, W.pid(), W.user("auditd acct= bare"), W.host("auditd hostname= short"), W.ipv4("auditd addr="))


def f_journal(W, C):
    r = W.r
    k = r.randrange(7)
    if k == 0:
        return render("journal-verbose", "    _HOSTNAME={}", W.host("journal _HOSTNAME="))
    if k == 1:
        return render("journal-verbose", "    _MACHINE_ID={}", W.machine_id("journal _MACHINE_ID=", 0))
    if k == 2:
        return render("journal-verbose", "    _BOOT_ID={}", W.hexid(32, "boot-id"))
    if k == 3:
        return render("journal-verbose", "    _CMDLINE=sshd: {} [priv]", W.user("journal _CMDLINE sshd: user"))
    if k == 4:
        return render("journal-verbose", "    MESSAGE=Accepted password for {} from {} port {} ssh2",
                      W.user("sshd accepted for"), W.ipv4("sshd from"), W.port())
    return render("journal-json", '{{"__CURSOR":"s={};i={:x}","_HOSTNAME":"{}","_MACHINE_ID":"{}","_BOOT_ID":"{}","_PID":"{}","MESSAGE":"pam_unix(sudo:session): session opened for user root(uid=0) by {}(uid={})"}}'.replace("{{", "{").replace("}}", "}").replace("{:x}", "{}"),
                  W.hexid(32, "cursor"), "%x" % r.randint(1, 10 ** 6), W.host("json _HOSTNAME"), W.machine_id("json _MACHINE_ID", 0),
                  W.hexid(32, "boot-id"), W.pid(), W.user("pam by user"), D(str(r.randint(1000, 1300)), "uid"))


def f_cloud_init(W, C):
    r = W.r
    k = r.randrange(4)
    ts = C.sql(3).replace(".", ",")
    if k == 0:
        h = W.host_entry()
        return render("cloud-init", "{} - cc_set_hostname.py[DEBUG]: Setting the hostname to {} ({})", ts, W.fqdn("cloud-init fqdn", h), W.host("cloud-init (short)", h, False, False))
    if k == 1:
        return render("cloud-init", "{} - util.py[DEBUG]: Writing to /home/{}/.ssh/authorized_keys - wb: [600] {} bytes", ts, W.user("home path"), r.randint(90, 800))
    if k == 2:
        return render("cloud-init", "{} - cc_users_groups.py[INFO]: Adding user {}", ts, W.user("cloud-init Adding user"))
    return render("cloud-init", "{} - url_helper.py[DEBUG]: [0/1] open 'http://{}/latest/meta-data/instance-id' with {{'allow_redirects': True}}".replace("{{", "{").replace("}}", "}"),
                  ts, D("169.254.169.254", "metadata-ip"))


def f_samba(W, C):
    r = W.r
    k = r.randrange(4)
    if k == 0:
        return render("samba", "  check_ntlm_password:  Authentication for user [{}] -> [{}] FAILED with error NT_STATUS_WRONG_PASSWORD, authoritative=1",
                      W.user("samba [user]"), W.user("samba [user]"))
    if k == 1:
        return render("samba", "[{},  0] ../../source3/winbindd/winbindd_cm.c:{}(cm_prepare_connection)", C.slash().replace(" ", " ") + ".%06d" % r.randint(0, 999999), r.randint(100, 1500))
    if k == 2:
        return render("samba", "  {} (ipv4:{}:{}) connect to service projects initially as user {}\\{} (uid={}, gid={}) (pid {})",
                   W.host("samba client name"), W.ipv4("samba ipv4:ip:port"), W.port(), W.netbios("samba DOMAIN\\user"),
                   W.user("samba DOMAIN\\user"), D(str(r.randint(10000, 99999)), "uid"), D(str(r.randint(10000, 99999)), "uid"), W.pid())
    return render("samba", "  winbindd: Could not find DC for domain {} (NT_STATUS_NO_LOGON_SERVERS)", W.netbios("winbind for domain"))


def f_kerberos(W, C):
    r = W.r
    o = r.choice(W.orgs)
    k = r.randrange(3)
    if k == 0:
        p = W.person()
        return render("kerberos", "{} {} krb5kdc[{}](info): AS_REQ (4 etypes {{18 17 20 19}}) {}: ISSUE: authtime {}, etypes {{rep=18 tkt=18 ses=18}}, {} for krbtgt/{}@{}".replace("{{", "{").replace("}}", "}"),
                      C.syslog(), W.host("syslog host field"), W.pid(), W.ipv4("kdc client ip"), int(float(C.epoch())),
                      V(p["user"] + "@" + o["realm"], "user", "kerberos principal user@REALM"), V(o["realm"], "domain", "kerberos krbtgt/REALM"), V(o["realm"], "domain", "kerberos krbtgt/REALM"))
    if k == 1:
        h = W.host_entry()
        return render("sssd", "({}): [be[{}]] [krb5_child_done] (0x0040): child failed for principal {} (Preauthentication failed)",
                      C.sql(0), W.domain("sssd be[domain]", o), V("host/" + h["name"].lower() + "." + o["corp"] + "@" + o["realm"], "hostname", "kerberos host principal"))
    return render("sssd", "({}): [sssd[pam]] [pam_print_data] (0x0100): user: {}@{}", C.sql(0), W.user("sssd user@domain"), W.domain("sssd user@domain", o))


IPCONFIG_LABELS = ["   Host Name . . . . . . . . . . . . : ", "   Primary Dns Suffix  . . . . . . . : ",
                   "   Physical Address. . . . . . . . . : ", "   IPv4 Address. . . . . . . . . . . : ",
                   "   Link-local IPv6 Address . . . . . : ", "   DHCPv6 Client DUID. . . . . . . . : ",
                   "   Description . . . . . . . . . . . : ", "   DNS Suffix Search List. . . . . . : ",
                   "   DHCP Server . . . . . . . . . . . : ", "   Connection-specific DNS Suffix  . : ",
                   "   Default Gateway . . . . . . . . . : ", "   DHCPv6 IAID . . . . . . . . . . . : "]


def f_ipconfig(W, C):
    r = W.r
    k = r.randrange(12)
    pre = IPCONFIG_LABELS[k]
    if k == 0:
        return render("ipconfig", pre + "{}", W.host("ipconfig Host Name", upper=True))
    if k in (1, 7, 9):
        return render("ipconfig", pre + "{}", W.domain("ipconfig dns suffix"))
    if k == 2:
        return render("ipconfig", pre + "{}", W.mac("ipconfig Physical Address", 1))
    if k == 3:
        return render("ipconfig", pre + "{}(Preferred) ", W.ipv4("ipconfig IPv4 Address"))
    if k == 4:
        return render("ipconfig", pre + "{}%{}(Preferred) ", W.ipv6("ipconfig link-local", 0), r.randint(2, 30))
    if k == 5:
        return render("ipconfig", pre + "{}", W.machine_id("ipconfig DUID", 3))
    if k == 6:
        return render("ipconfig", pre + "Intel(R) Ethernet Connection (7) I219-LM")
    if k == 11:
        return render("ipconfig", pre + "{}", D(str(r.randint(10 ** 7, 10 ** 9)), "iaid"))
    return render("ipconfig", pre + "{}", W.ipv4("ipconfig DHCP Server/Gateway"))


def f_linux_tools(W, C):
    r = W.r
    k = r.randrange(9)
    if k == 0:
        return render("hostnamectl", "     Static hostname: {}", W.host("hostnamectl Static hostname"))
    if k == 1:
        return render("hostnamectl", "          Machine ID: {}", W.machine_id("hostnamectl Machine ID", 0))
    if k == 2:
        return render("hostnamectl", "             Boot ID: {}", W.hexid(32, "boot-id"))
    if k == 3:
        return render("hostnamectl", "     Hardware Serial: {}", W.serial("hostnamectl Hardware Serial"))
    if k == 4:
        u = W.user("id uid=N(user)")
        return render("id", "uid={}({}) gid={}({}) groups={}({}),4(adm),27(sudo),998(docker)", D("1001", "uid"), u, D("1001", "uid"),
                      V(u.text, "user", "id gid=N(group)", u.machine), D("1001", "uid"), V(u.text, "user", "id gid=N(group)", u.machine))
    if k == 5:
        return render("arp", "? ({}) at {} [ether] on eth0", W.ipv4("arp (ip)"), W.mac("arp at mac", 0))
    if k == 6:
        return render("arp", "  {}" + " " * 10 + "{}     dynamic", W.ipv4("arp -a windows ip"), W.mac("arp -a windows mac", 1))
    if k == 7:
        u = W.user("getent passwd name")
        return render("getent", "{}:x:{}:{}:{}:/home/{}:/bin/bash", u, D("1001", "uid"), D("1001", "uid"),
                      ",,,", V(u.text, "user", "home path", u.machine))
    return render("nmcli", "GENERAL.HWADDR:                         {}", W.mac("nmcli HWADDR", 1).__class__(W.mac("x", 0).text.upper(), "mac", "nmcli HWADDR"))


def f_powershell(W, C):
    r = W.r
    k = r.randrange(6)
    if k == 0:
        return render("ps-transcript", "Username: {}\\{}", W.netbios("transcript DOMAIN\\user"), W.user("transcript DOMAIN\\user"))
    if k == 1:
        return render("ps-transcript", "RunAs User: {}\\{}", W.netbios("transcript DOMAIN\\user"), W.user("transcript DOMAIN\\user"))
    if k == 2:
        return render("ps-transcript", "Machine: {} (Microsoft Windows NT {})", W.host("transcript Machine:", upper=True),
                      D("10.0.%d.0" % r.randint(19041, 22631), "version-ipv4-like"))
    if k == 3:
        return render("ps-transcript", "PS C:\\Users\\{}\\Documents> net use \\\\{}\\projects /user:{}\\{} {}",
                      W.user("windows home path"), W.host("net use \\\\host"), W.netbios("net use /user:DOMAIN\\user"),
                      W.user("net use /user:DOMAIN\\user"), W.password("net use password"))
    if k == 4:
        return render("vcard", "TEL;TYPE=cell:{}", W.phone("vcard TEL"))
    return render("vcard", "EMAIL;TYPE=work:{}", W.email("vcard EMAIL"))


def f_systeminfo(W, C):
    r = W.r
    k = r.randrange(8)
    pad = lambda s: (s + ":").ljust(27)
    if k == 0:
        return render("systeminfo", pad("Host Name") + "{}", W.host("systeminfo Host Name", upper=True))
    if k == 1:
        return render("systeminfo", pad("OS Version") + "{} N/A Build {}", D("10.0.19045", "version"), r.randint(19041, 22631))
    if k == 2:
        return render("systeminfo", pad("Registered Owner") + "{}", r.choice([W.user("systeminfo Registered Owner"), W.email("systeminfo Registered Owner")]))
    if k == 3:
        return render("systeminfo", pad("Product ID") + "{}", W.machine_id("systeminfo Product ID", 4))
    if k == 4:
        return render("systeminfo", pad("Domain") + "{}", W.domain("systeminfo Domain"))
    if k == 5:
        return render("systeminfo", pad("Logon Server") + "\\\\{}", W.host("systeminfo Logon Server", upper=True))
    if k == 6:
        return render("systeminfo", " " * 27 + "[{:02d}]: {}".replace("{:02d}", "{}"), "%02d" % r.randint(1, 4), W.ipv4("systeminfo NIC ip list"))
    return render("systeminfo", pad("System Boot Time") + "{}/{}/2024, {}:{:02d}:{:02d} AM".replace("{:02d}", "{}"), r.randint(1, 12), r.randint(1, 28), r.randint(1, 11), "%02d" % r.randint(0, 59), "%02d" % r.randint(0, 59))


def f_wmic_ps(W, C):
    r = W.r
    k = r.randrange(7)
    if k == 0:
        return render("wmic", "{}  ", W.serial("wmic bios serialnumber bare"))
    if k == 1:
        return render("wmic", "{}  ", W.machine_id("wmic csproduct UUID bare", 1))
    if k == 2:
        return render("wmic", "{}\\{}  {}", W.netbios("wmic DOMAIN\\user"), W.user("wmic DOMAIN\\user"), W.sid("wmic useraccount sid"))
    if k == 3:
        return render("wmic", "{}  {}  {}\\{}", W.domain("wmic computersystem domain"), W.host("wmic computersystem name", upper=True),
                      W.netbios("wmic DOMAIN\\user"), W.user("wmic DOMAIN\\user"))
    pad = lambda s: s.ljust(56) + ": "
    if k == 4:
        return render("get-computerinfo", pad("CsName") + "{}", W.host("Get-ComputerInfo CsName", upper=True))
    if k == 5:
        return render("get-computerinfo", pad("CsUserName") + "{}\\{}", W.netbios("ps DOMAIN\\user"), W.user("ps DOMAIN\\user"))
    if r.random() < 0.5:
        return render("get-computerinfo", pad("BiosSeralNumber") + "{}", W.serial("Get-ComputerInfo BiosSeralNumber"))
    return render("get-computerinfo", pad("OsVersion") + "{}", D("10.0.%d" % r.randint(19041, 22631), "version"))


def f_netstat_ss(W, C):
    r = W.r
    k = r.randrange(5)
    if k == 0:
        return render("netstat", "  TCP    {}:{}        {}:{}        ESTABLISHED     {}",
                      W.ipv4("netstat local ip:port"), W.port(), W.ipv4("netstat remote ip:port", True), D("443", "port"), W.pid())
    if k == 1:
        return render("netstat", "  TCP    0.0.0.0:{}            0.0.0.0:0              LISTENING       {}", D(r.choice(["135", "445", "5040"]), "port"), W.pid())
    if k == 2:
        return render("netstat", "  TCP    [{}%{}]:{}  [{}]:{}  TIME_WAIT       0",
                      W.ipv6("netstat [ipv6]:port"), r.randint(2, 30), W.port(), W.ipv6("netstat [ipv6]:port"), D("443", "port"))
    if k == 3:
        return render("ss", 'ESTAB 0      0      {}:22      {}:{} users:(("sshd",pid={},fd=4))',
                      W.ipv4("ss local"), W.ipv4("ss peer"), W.port(), W.pid())
    return render("ss", 'tcp   ESTAB 0      0      [{}]:{} [{}]:443 users:(("firefox",pid={},fd=91))',
                  W.ipv6("ss [ipv6]"), W.port(), W.ipv6("ss [ipv6]"), W.pid())


def f_last_w_lsof(W, C):
    r = W.r
    k = r.randrange(6)
    if k == 0:
        u = V(W.user("last user column").text[:8], "user", "last user column")
        ip = W.ipv4("last from column")
        return render("last", "{}" + " " * max(1, 9 - len(u.text)) + "pts/{}        {}" + " " * max(1, 17 - len(ip.text)) +
                      "{} Mar  {} {}:{}   still logged in", u, r.randint(0, 9), ip, r.choice(DAYS), r.randint(1, 9),
                      r.randint(10, 23), "%02d" % r.randint(0, 59))
    if k == 1:
        return render("last", "reboot   system boot  {} {} Mar  {} 09:12   still running", W.version(), r.choice(DAYS), r.randint(1, 9))
    if k == 2:
        u = V(W.user("w user column").text[:8], "user", "w user column")
        return render("w", "{}" + " " * max(1, 9 - len(u.text)) + "pts/{}    {}        09:55    0.00s  0.05s  0.00s -bash", u, r.randint(0, 5), W.ipv4("w FROM column"))
    if k == 3:
        return render("w", " {}:{}:{} up {} days,  2:14,  {} users,  load average: 0.08, 0.03, 0.01", "%02d" % r.randint(0, 23), "%02d" % r.randint(0, 59), "%02d" % r.randint(0, 59), r.randint(1, 90), r.randint(1, 9))
    if k == 4:
        u = V(W.user("lsof USER column").text[:8], "user", "lsof USER column")
        return render("lsof", "sshd    {}" + " " * max(1, 9 - len(u.text)) + "{}    3u  IPv4  {}      0t0  TCP {}:ssh->{}:{} (ESTABLISHED)",
                      W.pid(), u, r.randint(10000, 99999), W.host("lsof NAME host:port"), W.ipv4("lsof NAME ->ip:port"), W.port())
    u = V(W.user("ps owner column").text, "user", "ps owner column")
    if len(u.text) > 8:
        u.text = u.text[:7] + "+"
    return render("ps-aux", "{}" + " " * max(1, 9 - len(u.text)) + "{}  0.{}  1.{} 2348812 184220 ?     Sl   09:55   0:{} /usr/lib/firefox/firefox -contentproc",
                  u, W.pid(), r.randint(0, 9), r.randint(0, 9), "%02d" % r.randint(0, 59))


def f_tasklist(W, C):
    r = W.r
    img = r.choice(["chrome.exe", "OUTLOOK.EXE", "Teams.exe", "explorer.exe"])
    if r.random() < 0.3:
        return render("tasklist", "{}{} Services                   0     12,345 K Unknown         {}                                      0:00:03 N/A",
                      "svchost.exe".ljust(26), W.pid(), D("NT AUTHORITY\\SYSTEM", "system-account"))
    return render("tasklist", "{}{} Console                    1    {} K Running         {}\\{}" + " " * 8 + "0:01:{} {}",
                  img.ljust(26), W.pid(), "{:,}".format(r.randint(1000, 900000)), W.netbios("tasklist DOMAIN\\user"), W.user("tasklist DOMAIN\\user"),
                  "%02d" % r.randint(0, 59), r.choice(["Inbox - Outlook", "N/A", "Chat | Microsoft Teams"]))


def f_reg(W, C):
    r = W.r
    k = r.randrange(8)
    if k == 0:
        return render("reg-export", '"MachineGuid"="{}"', W.machine_id("reg MachineGuid", 1))
    if k == 1:
        return render("reg-export", '"DefaultUserName"="{}"', W.user("reg DefaultUserName"))
    if k == 2:
        return render("reg-export", '"DefaultDomainName"="{}"', W.netbios("reg DefaultDomainName"))
    if k == 3:
        return render("reg-export", '"DefaultPassword"="{}"', W.password("reg DefaultPassword"))
    if k == 4:
        return render("reg-export", "[HKEY_USERS\\{}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer]", W.sid("reg HKEY_USERS\\SID"))
    if k == 5:
        return render("reg-export", '"ProfileImagePath"="C:\\\\Users\\\\{}"', W.user("reg escaped home path"))
    if k == 6:
        return render("reg-export", '"Hostname"="{}"', W.host("reg Hostname", upper=r.random() < 0.5))
    return render("reg-export", '"DisplayVersion"="{}"', W.version4())


def f_macos(W, C):
    r = W.r
    ts = C.sql(6) + "+0100"
    k = r.randrange(4)
    if k == 0:
        return render("macos-log", "{} 0x{}   Default     0x0                  {}    0    loginwindow: [com.apple.loginwindow.logging:Standard] -[SessionAgentNotificationCenter sendBSDNotification:forUserID:] | sending BSD notification for user {}",
                      ts, "%x" % r.randint(10 ** 5, 10 ** 7), W.pid(), W.user("macos for user"))
    if k == 1:
        return render("macos-log", "{} 0x{}   Error       0x0                  {}    0    mds: (Normal) Volume: Failed to open /Users/{}/Library/Metadata/CoreSpotlight",
                      ts, "%x" % r.randint(10 ** 5, 10 ** 7), W.pid(), W.user("macos /Users/ home path"))
    if k == 2:
        h = W.host_entry()
        return render("macos-syslog", "{} {} com.apple.xpc.launchd[1] (com.apple.mdworker.shared.{}): Service exited due to SIGKILL",
                      C.syslog(), W.host("syslog host field", h), D("%016X" % r.getrandbits(64), "hex-id"))
    return render("macos-log", "{} 0x{}   Default     0x0                  {}    0    configd: [com.apple.SystemConfiguration:IPMonitor] en0: IPv4 {} router {}",
                  ts, "%x" % r.randint(10 ** 5, 10 ** 7), W.pid(), W.ipv4("macos configd ipv4"), W.ipv4("macos configd router"))


def f_chrome_policy(W, C):
    r = W.r
    k = r.randrange(5)
    if k == 0:
        return render("chrome-policy", '      "machine": "{}",', W.host("chrome policy machine"))
    if k == 1:
        return render("chrome-policy", '      "username": "{}\\\\{}",', W.netbios("json escaped DOMAIN\\\\user"), W.user("json escaped DOMAIN\\\\user"))
    if k == 2:
        return render("chrome-policy", '   "HomepageLocation": {{ "level": "mandatory", "scope": "machine", "source": "platform", "value": "https://{}/portal" }},'.replace("{{", "{").replace("}}", "}"),
                      W.fqdn("json url host"))
    if k == 3:
        return render("chrome-policy", '      "version": "{} (Official Build) (64-bit)",', W.version4())
    return render("chrome-policy", '      "ProxyServer": {{ "value": "{}:8080" }},'.replace("{{", "{").replace("}}", "}"), W.fqdn("json proxy host:port"))


def f_vpn_radius(W, C):
    r = W.r
    k = r.randrange(6)
    if k == 0:
        return render("openvpn", "{} {}/{}:{} MULTI_sva: pool returned IPv4={}, IPv6=(Not enabled)",
                      C.sql(0), W.user("openvpn user/ip:port"), W.ipv4("openvpn user/ip:port", True), W.port(), W.ipv4("openvpn pool IPv4="))
    if k == 1:
        return render("radius", "{} : Auth: ({}) Login OK: [{}] (from client {} port 0 cli {})",
                      C.sql(0), r.randint(1, 9999), W.user("radius [user]"), W.host("radius from client"), W.ipv4("radius cli"))
    if k == 2:
        return render("radius", '{} : Auth: ({}) Login incorrect (pap: Cleartext password "{}" does not match "known good" password): [{}] (from client {} port 0)',
                      C.sql(0), r.randint(1, 9999), W.password("radius Cleartext password"), W.user("radius [user]"), W.host("radius from client"))
    if k == 3:
        return render("cisco-asa", "{} {} : %ASA-6-113004: AAA user authentication Successful : server =  {} : user = {}",
                      C.syslog(), W.host("syslog host field"), W.ipv4("asa server ="), W.user("asa user ="))
    if k == 4:
        return render("cisco-asa", "%ASA-4-722051: Group <GroupPolicy_VPN> User <{}> IP <{}> IPv4 Address <{}> assigned to session",
                      W.user("asa User <>"), W.ipv4("asa IP <>", True), W.ipv4("asa IPv4 Address <>"))
    return render("cisco-asa", "%ASA-6-302013: Built inbound TCP connection {} for outside:{}/{} ({}/{}) to inside:{}/443 ({}/443)",
                  r.randint(10 ** 6, 10 ** 8), W.ipv4("asa iface:ip/port", True), W.port(), W.ipv4("asa (ip/port)", True), W.port(),
                  W.ipv4("asa iface:ip/port"), W.ipv4("asa (ip/port)"))


def f_dhcp(W, C):
    r = W.r
    h = W.host_entry()
    if r.random() < 0.5:
        return render("isc-dhcpd", "{} {} dhcpd[{}]: DHCPACK on {} to {} ({}) via eth0",
                      C.syslog(), W.host("syslog host field"), W.pid(), W.ipv4("dhcpd on ip"), W.mac("dhcpd to mac", 0), W.host("dhcpd (client name)", h))
    g = C.tick()
    return render("win-dhcp", "10,{:02d}/{:02d}/{:02d},{:02d}:{:02d}:{:02d},Assign,{},{},{},,{},0,,,,0x4D53465420352E30,MSFT 5.0,,,,0".replace("{:02d}", "{}"),
                  "%02d" % g.tm_mon, "%02d" % g.tm_mday, "%02d" % (g.tm_year % 100), "%02d" % g.tm_hour, "%02d" % g.tm_min, "%02d" % g.tm_sec,
                  W.ipv4("windhcp csv ip"), W.fqdn("windhcp csv host"), W.mac("windhcp csv mac", 3), r.randint(10 ** 8, 10 ** 9))


def f_logcat(W, C):
    r = W.r
    g = C.tick()
    ts = "%02d-%02d %02d:%02d:%02d.%03d" % (g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec, r.randint(0, 999))
    k = r.randrange(5)
    if k == 0:
        return render("logcat", "{}  {}  {} I ActivityManager: Start proc {}:com.android.chrome/u0a{} for activity {{com.android.chrome/com.google.android.apps.chrome.Main}}".replace("{{", "{").replace("}}", "}"),
                      ts, W.pid(), W.pid(), W.pid(), r.randint(10, 300))
    if k == 1:
        return render("logcat", "{}  {}  {} D AccountManagerService: addAccountExplicitly: {}, type com.google", ts, W.pid(), W.pid(), W.email("logcat account"))
    if k == 2:
        la, lo = W.gps()
        return render("logcat", "{}  {}  {} D LocationManagerService: incoming location: Location[fused {},{} hAcc={} et=+1d2h3m4s elapsedRealtime]",
                      ts, W.pid(), W.pid(), V("%.6f" % la, "gps", "logcat Location[fused a,b]"), V("%.6f" % lo, "gps", "logcat Location[fused a,b]"), r.randint(3, 50))
    if k == 3:
        return render("logcat", "{}  {}  {} I SettingsProvider: android_id={} for user 0", ts, W.pid(), W.pid(), V(W.rand("0123456789abcdef", 16), "machine-id", "logcat android_id"))
    return render("logcat", "{}  {}  {} D TelephonyProvider: line1Number={}", ts, W.pid(), W.pid(), W.phone("logcat line1Number"))


def f_cloudtrail(W, C):
    r = W.r
    p = W.person()
    acct = str(r.randint(10 ** 11, 10 ** 12 - 1))
    return render("cloudtrail", '{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","principalId":"AIDA{}","arn":"arn:aws:iam::{}:user/{}","accessKeyId":"{}","userName":"{}"}},"eventTime":"{}","eventSource":"s3.amazonaws.com","sourceIPAddress":"{}","requestID":"{}"}}'.replace("{{", "{").replace("}}", "}"),
                  W.rand(string.ascii_uppercase + "234567", 17), acct, W.user("arn user/", p), W.secret("json accessKeyId", 2), W.user("json userName", p),
                  C.iso(False), W.ipv4("json sourceIPAddress", True), D(W.rand("ABCDEF0123456789", 16), "request-id"))


def f_squid_fw(W, C):
    r = W.r
    if r.random() < 0.5:
        return render("squid", "{}    {} {} TCP_TUNNEL/200 {} CONNECT {}:443 {} HIER_DIRECT/{} -",
                      C.epoch(), r.randint(1, 9999), W.ipv4("squid client"), r.randint(100, 99999), W.vendor(), W.user("squid user column"), W.ipv4("squid HIER_DIRECT/", True))
    return render("win-firewall", "{} ALLOW TCP {} {} {} {} 0 - - - - - - - SEND", C.sql(0), W.ipv4("pfirewall src"), W.ipv4("pfirewall dst"), W.port(), D("53", "port"))


def f_shell_secrets(W, C):
    r = W.r
    k = r.randrange(10)
    if k == 0:
        return render("shell-history", "mysql -h {} -u {} -p{} sales", W.fqdn("mysql -h host"), W.user("mysql -u user"), W.password("mysql -pPASSWORD"))
    if k == 1:
        return render("shell-history", "curl -u {}:{} https://{}/api/v1/status", W.user("curl -u user:pw"), W.password("curl -u user:pw"), W.fqdn("url host"))
    if k == 2:
        return render("shell-history", "sshpass -p '{}' ssh {}@{}", W.password("sshpass -p quoted"), W.user("ssh user@host"), W.host("ssh user@host"))
    if k == 3:
        return render("shell-history", "export GITHUB_TOKEN={}", W.secret("env TOKEN=", 0))
    if k == 4:
        return render("netrc", "machine {} login {} password {}", W.vendor(), W.user("netrc login"), W.password("netrc password"))
    if k == 5:
        return render("http-debug", "> Authorization: Bearer {}", r.choice([W.jwt("Authorization Bearer jwt"), W.secret("Authorization Bearer opaque", 4)]))
    if k == 6:
        return render("app-json", '{{"ts":"{}","level":"debug","event":"config","db_password":"{}","api_key":"{}","smtp_user":"{}"}}'.replace("{{", "{").replace("}}", "}"),
                      C.iso(), W.password("json db_password"), W.secret("json api_key", r.choice([3, 4])), W.email("json smtp_user"))
    if k == 7:
        return render("aws-credentials", "aws_secret_access_key = {}", W.aws_secret("aws credentials file"))
    if k == 8:
        return render("shell-history", "docker login -u {} --password {} {}", W.user("docker login -u"), W.password("--password x"),
                      V("registry." + r.choice(W.orgs)["dns"], "hostname", "docker login registry fqdn"))
    return render("http-debug", "< Set-Cookie: session={}; Path=/; Secure; HttpOnly; SameSite=Lax", W.secret("Set-Cookie session=", 4))


def f_crm(W, C):
    r = W.r
    k = r.randrange(5)
    p = W.person()
    if k == 0:
        return render("crm", "{} INFO customer update: email={} phone={} ticket=INC{}", C.sql(), W.email("crm email=", p), W.phone("crm phone="), r.randint(10 ** 6, 10 ** 7))
    if k == 1:
        return render("crm", "{} WARN payment declined for card {} (exp 0{}/2{}) order #{}", C.sql(), W.card("prose card"), r.randint(1, 9), r.randint(5, 9), r.randint(10 ** 5, 10 ** 6))
    if k == 2:
        return render("crm", "Call back {} at {} re: case {}", W.email("prose email", p), W.phone("prose phone"), r.randint(1000, 99999))
    if k == 3:
        la, lo = W.gps()
        dms = lambda v, pn: "%d deg %d' %.2f\" %s" % (int(abs(v)), int(abs(v) * 60) % 60, (abs(v) * 3600) % 60, pn[v < 0])
        return render("exiftool", "GPS Position                    : {}, {}", V(dms(la, "NS"), "gps", "exiftool DMS"), V(dms(lo, "EW"), "gps", "exiftool DMS"))
    la, lo = W.gps()
    return render("app-json", '{{"device":"{}","lat":{},"lon":{},"accuracy":{}}}'.replace("{{", "{").replace("}}", "}"),
                  W.machine_id("json device guid", 1), V("%.5f" % la, "gps", "json lat/lon"), V("%.5f" % lo, "gps", "json lat/lon"), r.randint(3, 60))


def f_misc_decoys(W, C):
    r = W.r
    k = r.randrange(8)
    if k == 0:
        return render("apt", "{} upgrade libssl3:amd64 {} {}", C.sql(0), W.version(), W.version())
    if k == 1:
        return render("app-log", "{} INFO fetched https://{}/packages/{} sha256={}", C.iso(), W.vendor(), W.version(), W.sha256())
    if k == 2:
        return render("cert", "X509v3 Extended Key Usage: {} (TLS Web Server Authentication), OID {}", D("1.3.6.1.5.5.7.3.1", "oid"), D(r.choice(["2.5.29.37", "1.2.840.113549.1.1.11", "2.5.4.3"]), "oid"))
    if k == 3:
        return render("app-log", "{} DEBUG request {} completed in {} ms (trace {})", C.iso(), W.uuid_decoy(), r.randint(1, 900), W.hexid(32, "trace-id"))
    if k == 4:
        return render("installed", "{}  {}  {}", r.choice(["Microsoft Visual C++ 2015-2022 Redistributable (x64)", "Google Chrome", "Microsoft Edge WebView2 Runtime"]), W.version4(), D("Microsoft Corporation", "vendor"))
    if k == 5:
        return render("resolv", "nameserver {}", D(r.choice(["127.0.0.53", "8.8.8.8", "1.1.1.1", "9.9.9.9"]), "loopback-public-resolver"))
    if k == 6:
        return render("app-log", "{} INFO listening on {}:{} and [::1]:{} (pid {})", C.iso(), D("0.0.0.0", "unspecified-ip"), W.port(), W.port(), W.pid())
    return render("sysaccount", "{} {} systemd[1]: Started Session {} of User {}.", C.syslog(), W.host("syslog host field"), r.randint(1, 99), W.sysacct(["root", "gdm", "sddm"]))


FORMATS = [f_syslog_sshd, f_win_event_text, f_win_event_xml, f_iis, f_cef_leef, f_docker_k8s, f_postgres, f_mysql,
           f_nginx_apache_error, f_mail_headers, f_java, f_dmesg, f_auditd, f_journal, f_cloud_init, f_samba,
           f_kerberos, f_ipconfig, f_systeminfo, f_wmic_ps, f_netstat_ss, f_last_w_lsof, f_tasklist, f_reg, f_macos,
           f_chrome_policy, f_vpn_radius, f_dhcp, f_logcat, f_cloudtrail, f_squid_fw, f_shell_secrets, f_crm,
           f_misc_decoys, f_linux_tools, f_powershell, f_shell_secrets, f_crm]


def machine_names():
    host = socket.gethostname().split(".")[0]
    users = []
    try:
        for line in open("/etc/passwd"):
            f = line.split(":")
            if len(f) > 6 and f[2].isdigit() and 1000 <= int(f[2]) < 65534:
                users.append(f[0])
    except OSError:
        pass
    return host, users


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-machine", action="store_true", help="do not plant this machine's own names")
    a = ap.parse_args()
    r = random.Random(a.seed)
    host, users = (None, []) if a.no_machine else machine_names()
    W = World(r, max(50, a.lines // 200), host, users)
    C = Clock(r)
    os.makedirs(a.out, exist_ok=True)
    counts, fmts = {}, {}
    with open(os.path.join(a.out, "corpus.log"), "wb") as out, open(os.path.join(a.out, "labels.jsonl"), "w") as lab:
        for i in range(a.lines):
            f = FORMATS[r.randrange(len(FORMATS))]
            line, rec = f(W, C)
            rec["line"] = i
            out.write(line + b"\n")
            lab.write(json.dumps(rec) + "\n")
            fmts[rec["format"]] = fmts.get(rec["format"], 0) + 1
            for s in rec["spans"]:
                counts[s["type"]] = counts.get(s["type"], 0) + 1
    with open(os.path.join(a.out, "context.json"), "w") as f:
        json.dump({"machine": {"host": host, "accounts": users}, "planted": counts, "formats": fmts, "seed": a.seed}, f, indent=1)


if __name__ == "__main__":
    main()
