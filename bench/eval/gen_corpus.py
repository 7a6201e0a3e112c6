#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
"""Held-out-style redaction evaluation corpus (ours, written independently of the engine).

Writes DIR/corpus.log (one log line per line, formats mixed), DIR/labels.jsonl
(one JSON object per corpus line: byte spans of planted personal values and of
decoys that must stay) and DIR/context.json (the invented machine's own names).

Formats are rendered the way the real tools print them (see README.md). Every
name, host, domain and secret is generated fresh from the seed by combining
syllables and random characters; nothing comes from a fixed list of people.
Standard library only.
"""

import argparse
import base64
import datetime
import json
import os
import random
import string
import sys
import uuid
from urllib.parse import quote as urlquote

TYPES = ["email", "ipv4", "ipv6", "mac", "hostname", "user", "password", "secret", "aws-secret", "jwt",
         "card", "phone", "sid", "machine-id", "serial", "gps", "domain", "url-credentials"]


class S:
    """A planted personal value: must be removed."""
    __slots__ = ("value", "type", "shape", "machine")

    def __init__(self, value, type_, shape, machine=False):
        self.value, self.type, self.shape, self.machine = value, type_, shape, machine


class D:
    """A decoy: looks like a value, must stay."""
    __slots__ = ("value", "kind")

    def __init__(self, value, kind):
        self.value, self.kind = value, kind


class Line:
    def __init__(self):
        self.buf = bytearray()
        self.spans = []
        self.decoys = []

    def add(self, part):
        if isinstance(part, S):
            b = part.value.encode()
            span = {"start": len(self.buf), "end": len(self.buf) + len(b), "type": part.type, "shape": part.shape}
            if part.machine:
                span["machine"] = True
            self.spans.append(span)
            self.buf += b
        elif isinstance(part, D):
            b = part.value.encode()
            self.decoys.append({"start": len(self.buf), "end": len(self.buf) + len(b), "kind": part.kind})
            self.buf += b
        else:
            self.buf += str(part).encode()


def render(template, **fields):
    """'text {a} more {b}' with fields given as str, S or D."""
    line = Line()
    pos = 0
    while True:
        i = template.find("{", pos)
        if i < 0:
            line.add(template[pos:])
            break
        j = template.index("}", i)
        line.add(template[pos:i])
        line.add(fields[template[i + 1:j]])
        pos = j + 1
    return line


SYL = ("ka lo mi ren tas vel dor an bri cel da fen gar hol is jor kel lin mar nor os pel quin ros sal tor ul van "
       "wen xa yor zel bex cor dun el fa gil hen ira jun kor lum mek nal ori pra rud sim tek ura vic wil ab ag ber "
       "bo cha dra ek fi gu ha ja ke li mo ne pa re si to vu za mun tal ves ok rim sta ob lek tri gol").split()
AVOID = {"root", "admin", "daemon", "nobody", "system", "user", "guest", "test", "mail", "host", "data", "info",
         "error", "warn", "debug", "local", "service", "server", "login", "port", "from", "with", "none", "null",
         "true", "false", "ok", "is", "an", "to", "on", "in", "for", "pam", "main", "kernel", "session"}


class World:
    def __init__(self, rng, lines):
        self.rng = rng
        r = rng
        self.t = datetime.datetime(2024, r.randint(1, 12), r.randint(1, 28), r.randint(0, 23), r.randint(0, 59),
                                   r.randint(0, 59), tzinfo=datetime.timezone(datetime.timedelta(hours=r.choice([0, 1, 2, -5]))))
        self.orgs = [self.make_org() for _ in range(max(4, lines // 20000))]
        self.people = [self.make_person() for _ in range(max(60, lines // 150))]
        self.hosts = [self.make_host() for _ in range(max(60, lines // 200))]
        # the machine's own names
        self.machine_org = self.orgs[0]
        self.machine_host = "%s-%s-%02d" % (r.choice(["ws", "nb", "lt", "pc"]), self.word(2), r.randint(1, 40))
        self.machine_person = self.people[0]
        self.machine_user = self.machine_person["user"]
        self.machine_id = "".join(r.choice("0123456789abcdef") for _ in range(32))
        self.macs = [self.rand_mac() for _ in range(max(40, lines // 500))]
        self.ips = [self.rand_ipv4() for _ in range(max(100, lines // 100))]

    # ---- name material
    def word(self, n=None):
        r = self.rng
        while True:
            w = "".join(r.choice(SYL) for _ in range(n or r.choice([2, 2, 3])))
            if len(w) >= 4 and w not in AVOID:
                return w

    def make_org(self):
        r = self.rng
        base = self.word(r.choice([2, 3]))
        tld = r.choice(["net", "com", "io", "org", "de", "co.uk", "ch", "fr", "local", "lan", "internal", "eu"])
        if r.random() < 0.3:
            base += r.choice(["-labs", "-group", "-tech", "-ag", "soft", "-systems"])
        dns = base + "." + tld
        ad = r.choice(["corp.", "ad.", "int.", "", "intra."]) + dns
        netbios = base.split("-")[0].upper()[:15]
        return {"dns": dns, "ad": ad, "netbios": netbios}

    def make_person(self):
        r = self.rng
        first = self.word(2).capitalize()
        last = self.word(r.choice([2, 3])).capitalize()
        style = r.random()
        if style < 0.35:
            user = (first[0] + last).lower()
        elif style < 0.55:
            user = (first + "." + last).lower()
        elif style < 0.75:
            user = (first + last[0]).lower()
        elif style < 0.9:
            user = (last + first[0]).lower() + str(r.randint(1, 99))
        else:
            user = first.lower() + "_" + last.lower()[:3]
        org = r.choice(self.orgs) if hasattr(self, "orgs") else None
        mailbox = r.choice([(first + "." + last).lower(), user, first.lower(), (first[0] + "." + last).lower()])
        maildom = r.choice([org["dns"], org["dns"], "mail." + org["dns"], r.choice(
            ["gmail.com", "outlook.com", "gmx.de", "yahoo.com", "proton.me", "web.de"])])
        return {"first": first, "last": last, "user": user, "email": mailbox + "@" + maildom, "org": org,
                "winuser": r.choice([user, first[0] + "." + last, first + "." + last, first + last[0]])}

    def make_host(self):
        r = self.rng
        p = r.random()
        org = r.choice(self.orgs)
        if p < 0.2:
            short = "%s-%s-%02d" % (r.choice(["ws", "nb", "lt", "pc", "wks"]), self.word(2), r.randint(1, 60))
        elif p < 0.4:
            short = "%s%s%02d" % (self.word(2)[:6], r.choice(["fs", "db", "srv", "app", "web", "dc", "nas", "mail",
                                                                 "print", "build", "fileserv", "sql"]), r.randint(1, 30))
        elif p < 0.55:
            short = "%s-%s%d" % (r.choice(["BUILD", "FILE", "SQL", "APP", "PRN", "DC", "EXCH", "WSUS", "VDI"]),
                                 self.word(2).upper()[:5], r.randint(1, 9))
        elif p < 0.7:
            short = "%s-%s" % (r.choice(["DESKTOP", "LAPTOP"]),
                               "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(7)))
        elif p < 0.85:
            short = "%s-%s-%d" % (r.choice(["nb", "mac", "vm", "kiosk"]), self.word(2), r.randint(1, 9))
        else:
            short = "%s%s%d" % (r.choice(["fileserv", "build", "ci", "backup", "jump", "proxy", "ldap"]),
                                self.word(1) if r.random() < 0.5 else "", r.randint(1, 12))
            short = short if any(c.isdigit() for c in short) else short + "01"
        return {"short": short, "fqdn": short.lower() + "." + org["ad"], "org": org}

    # ---- value material
    def rand_ipv4(self):
        r = self.rng
        p = r.random()
        if p < 0.3:
            return "10.%d.%d.%d" % (r.randint(0, 255), r.randint(0, 255), r.randint(2, 254))
        if p < 0.5:
            return "192.168.%d.%d" % (r.randint(0, 255), r.randint(2, 254))
        if p < 0.6:
            return "172.%d.%d.%d" % (r.randint(16, 31), r.randint(0, 255), r.randint(2, 254))
        while True:
            a = r.randint(11, 223)
            if a in (100, 127, 169, 172, 192, 198, 203, 224):
                continue
            return "%d.%d.%d.%d" % (a, r.randint(0, 255), r.randint(0, 255), r.randint(2, 254))

    def rand_ipv6(self):
        r = self.rng
        g = lambda: "%x" % r.randint(0, 0xffff)
        p = r.random()
        if p < 0.35:
            return "fe80::%s:%s:%s:%s" % (g(), g(), g(), g())
        if p < 0.7:
            return "2%03x:%s:%s:%s::%s" % (r.randint(0, 0xfff), g(), g(), g(), g())
        if p < 0.85:
            return "2%03x:%04x:%04x:%04x:%04x:%04x:%04x:%04x" % tuple([r.randint(0, 0xfff)] + [r.randint(0, 0xffff) for _ in range(7)])
        return "fd%02x:%s:%s::%s" % (r.randint(0, 255), g(), g(), r.randint(2, 200))

    def rand_mac(self):
        r = self.rng
        b = [r.randint(0, 255) for _ in range(6)]
        b[0] &= 0xfe
        return bytes(b)

    def mac_str(self, b, style=None):
        style = style or self.rng.choice(["colon", "colon", "dash", "cisco", "COLON"])
        h = b.hex()
        if style == "colon":
            return ":".join(h[i:i + 2] for i in range(0, 12, 2)), style
        if style == "COLON":
            return ":".join(h[i:i + 2] for i in range(0, 12, 2)).upper(), style
        if style == "dash":
            return "-".join(h[i:i + 2] for i in range(0, 12, 2)).upper(), style
        return ".".join(h[i:i + 4] for i in range(0, 12, 4)), style

    def hexs(self, n, alphabet="0123456789abcdef"):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def b64(self, n, alphabet=string.ascii_letters + string.digits):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def guid(self, upper=False):
        g = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        return g.upper() if upper else g

    def password(self):
        r = self.rng
        p = r.random()
        if p < 0.4:
            return self.word(2).capitalize() + str(r.randint(1, 9999)) + r.choice("!#$%*?._-+")
        if p < 0.7:
            return self.b64(r.randint(10, 20), string.ascii_letters + string.digits + "!#%*+-_")
        return r.choice(["Summer", "Winter", "Spring", "Autumn", "Welcome", "Hunter"]) + str(r.randint(2, 2025)) + r.choice(["!", "", "#", "$"])

    def jwt(self):
        enc = lambda d: base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).decode().rstrip("=")
        hdr = enc({"alg": self.rng.choice(["HS256", "RS256"]), "typ": "JWT"})
        body = enc({"sub": self.hexs(12), "iat": 1700000000 + self.rng.randint(0, 10 ** 7), "scope": "api"})
        sig = self.b64(43, string.ascii_letters + string.digits + "-_")
        return hdr + "." + body + "." + sig

    def card(self):
        r = self.rng
        kind = r.choice(["visa", "mc", "amex", "visa"])
        if kind == "visa":
            digits = [4] + [r.randint(0, 9) for _ in range(14)]
        elif kind == "mc":
            digits = [5, r.randint(1, 5)] + [r.randint(0, 9) for _ in range(13)]
        else:
            digits = [3, r.choice([4, 7])] + [r.randint(0, 9) for _ in range(12)]
        total = 0
        for i, d in enumerate(reversed(digits)):
            d = d * 2 if i % 2 == 0 else d
            total += d - 9 if d > 9 else d
        digits.append((10 - total % 10) % 10)
        s = "".join(map(str, digits))
        sep = r.choice(["", " ", "-", ""])
        if sep and len(s) == 16:
            s = sep.join(s[i:i + 4] for i in range(0, 16, 4))
        elif sep and len(s) == 15:
            s = s[:4] + sep + s[4:10] + sep + s[10:]
        return s

    def phone(self):
        r = self.rng
        a, b, c = r.randint(201, 989), r.randint(200, 989), r.randint(0, 9999)
        forms = [("(%d) %03d-%04d" % (a, b, c), "us-paren"), ("+1-%d-%03d-%04d" % (a, b, c), "us-plus1"),
                 ("%d-%03d-%04d" % (a, b, c), "us-dash"), ("+1 %d %03d %04d" % (a, b, c), "us-plus1-space"),
                 ("+44 20 %04d %04d" % (r.randint(1000, 9999), c), "intl-uk"),
                 ("+49 %d %d" % (r.randint(30, 89), r.randint(1000000, 99999999)), "intl-de"),
                 ("+41 %02d %03d %02d %02d" % (r.randint(21, 79), r.randint(100, 999), r.randint(0, 99), r.randint(0, 99)), "intl-ch"),
                 ("+33 %d %02d %02d %02d %02d" % (r.randint(1, 7), r.randint(0, 99), r.randint(0, 99), r.randint(0, 99), r.randint(0, 99)), "intl-fr"),
                 ("%d.%03d.%04d" % (a, b, c), "us-dots")]
        return r.choice(forms)

    def sid(self):
        r = self.rng
        return "S-1-5-21-%d-%d-%d-%d" % (r.randint(10 ** 8, 4 * 10 ** 9), r.randint(10 ** 8, 4 * 10 ** 9),
                                         r.randint(10 ** 8, 4 * 10 ** 9), r.choice([500, 1001, 1104, r.randint(1000, 9999)]))

    def serial(self):
        r = self.rng
        p = r.random()
        U = string.ascii_uppercase + string.digits
        if p < 0.3:
            return r.choice(["5CG", "CND", "2UA", "MXL"]) + self.b64(7, U)
        if p < 0.5:
            return "PF" + self.b64(6, U)
        if p < 0.7:
            return self.b64(r.choice([10, 12]), U)
        if p < 0.85:
            return "S%sNX0%s" % (self.b64(3, U), self.b64(6, U))
        return "%s-%s" % (self.b64(4, U), self.b64(6, U))

    def product_id(self):
        r = self.rng
        return "%05d-%05d-%05d-AA%03d" % (r.randint(0, 99999), r.choice([80000, 70000, 60000, r.randint(0, 99999)]),
                                           r.randint(0, 99999), r.randint(0, 999))

    def duid(self):
        r = self.rng
        t = r.choice(["00:01:00:01:", "00:04:", "00:03:00:01:"])
        n = {"00:01:00:01:": 10, "00:04:": 16, "00:03:00:01:": 6}[t]
        return t + ":".join("%02x" % r.randint(0, 255) for _ in range(n))

    def lat(self):
        return "%.*f" % (self.rng.choice([4, 5, 6]), self.rng.uniform(-60, 70))

    def lon(self):
        return "%.*f" % (self.rng.choice([4, 5, 6]), self.rng.uniform(-179, 179))

    def aws_id(self):
        return self.rng.choice(["AKIA", "ASIA"]) + self.b64(16, string.ascii_uppercase + "234567")

    def aws_secret(self):
        return self.b64(40, string.ascii_letters + string.digits + "+/")

    def token(self):
        r = self.rng
        p = r.random()
        if p < 0.3:
            return self.hexs(r.choice([32, 40]))
        if p < 0.5:
            return "ghp_" + self.b64(36)
        if p < 0.6:
            return "xoxb-%d-%d-%s" % (r.randint(10 ** 10, 10 ** 11), r.randint(10 ** 11, 10 ** 12), self.b64(24))
        return self.b64(r.randint(24, 44), string.ascii_letters + string.digits + "-_")

    # ---- time
    def tick(self):
        self.t += datetime.timedelta(seconds=self.rng.choice([0, 0, 1, 1, 2, 3, 7, 15]), microseconds=self.rng.randint(0, 999999))
        return self.t


# ---------------------------------------------------------------------- decoys
VENDOR = ["deb.debian.org", "security.debian.org", "archive.ubuntu.com", "download.windowsupdate.com",
          "ctldl.windowsupdate.com", "login.microsoftonline.com", "www.microsoft.com", "github.com",
          "objects.githubusercontent.com", "storage.googleapis.com", "pypi.org", "repo1.maven.org",
          "registry.npmjs.org", "packages.microsoft.com", "dl.google.com", "ocsp.digicert.com"]
SYS_USERS = ["root", "www-data", "nobody", "daemon", "postfix", "dovecot", "systemd-resolve", "sshd", "messagebus",
             "polkitd", "_apt"]
WIN_SYS = ["NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\LOCAL SERVICE", "NT AUTHORITY\\NETWORK SERVICE"]
WELLKNOWN_SID = ["S-1-5-18", "S-1-5-19", "S-1-5-20", "S-1-5-32-544", "S-1-5-32-545", "S-1-1-0", "S-1-5-11"]
OIDS = ["1.3.6.1.4.1.311.21.8", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.2.840.113549.1.1.11",
        "1.3.6.1.4.1.311.10.3.12", "2.5.29.37", "1.3.6.1.4.1.11129.2.4.2", "1.3.6.1.2.1.1.3.0"]
LIBS = ["libc.so.6", "libssl.so.3", "libcrypto.so.3", "libsystemd.so.0", "libstdc++.so.6.0.30", "libz.so.1.2.13",
        "ld-linux-x86-64.so.2", "libpthread.so.0", "kernel32.dll", "ntdll.dll", "settings.py", "app.config.json"]
JAVA = ["com.zaxxer.hikari.pool.HikariPool", "org.springframework.web.servlet.DispatcherServlet",
        "org.apache.catalina.core.StandardWrapperValve", "io.netty.channel.nio.NioEventLoop",
        "java.net.SocketInputStream", "org.hibernate.engine.jdbc.spi.SqlExceptionHelper",
        "com.fasterxml.jackson.databind.ObjectMapper", "java.util.concurrent.ThreadPoolExecutor"]
RESOLVERS = ["8.8.8.8", "8.8.4.4", "1.1.1.1", "9.9.9.9", "208.67.222.222"]
LOOP = ["127.0.0.1", "127.0.0.53", "224.0.0.251", "239.255.255.250", "0.0.0.0", "255.255.255.255", "::1", "ff02::1",
        "ff02::fb"]


def version4(r):
    """Four-part versions as real tools print them (Apache builds, Windows builds, firmware, drivers)."""
    return r.choice(["2.4.%d.%d" % (r.randint(50, 62), r.randint(1, 9)), "10.0.%d.%d" % (r.choice([19045, 22631, 20348, 17763]), r.randint(1, 4000)),
                     "6.1.0.%d" % r.randint(10, 30), "%d.%d.%d.%d" % (r.randint(1, 9), r.randint(0, 30), r.randint(0, 99), r.randint(0, 255)),
                     "22.%d.%d.%d" % (r.randint(0, 250), r.randint(0, 20), r.randint(0, 9)), "4.18.%d.%d" % (r.randint(23000, 24100), r.randint(1, 9))])


# ---------------------------------------------------------------------- formats
class Gen:
    def __init__(self, seed, lines):
        self.r = random.Random(seed)
        self.w = World(self.r, lines)
        self.templates = []  # (format, types, fn)
        for name in dir(self):
            if name.startswith("f_"):
                fn = getattr(self, name)
                self.templates.append((name[2:].split("__")[0], fn.types, fn))

    # helpers -----------------------------------------------------------
    def person(self):
        return self.r.choice(self.w.people)

    def host(self):
        return self.r.choice(self.w.hosts)

    def ip(self):
        return self.r.choice(self.w.ips) if self.r.random() < 0.7 else self.w.rand_ipv4()

    def hostfield(self, short=True):
        """syslog host field: machine's own name ~ a third of the time."""
        if self.r.random() < 0.35:
            return S(self.w.machine_host if short else self.w.machine_host + "." + self.w.machine_org["ad"],
                     "hostname", "syslog-host-field" if short else "syslog-host-fqdn", machine=True)
        h = self.host()
        return S(h["short"] if short else h["fqdn"], "hostname", "syslog-host-field" if short else "syslog-host-fqdn")

    def user_any(self, shape):
        if self.r.random() < 0.15:
            return S(self.w.machine_user, "user", shape, machine=True)
        return S(self.person()["user"], "user", shape)

    def ts3164(self):
        t = self.w.tick()
        return D(t.strftime("%b ") + ("%2d" % t.day) + t.strftime(" %H:%M:%S"), "timestamp")

    def tsiso(self, frac=False):
        t = self.w.tick()
        s = t.isoformat(timespec="microseconds" if frac else "seconds")
        return D(s, "timestamp")

    def pid(self):
        return D(str(self.r.randint(300, 65000)), "pid")

    def port(self):
        return D(str(self.r.choice([22, 443, 8080, 5432, 3306, 1433, 389, 636, 445, 5671, 6379, self.r.randint(1024, 65535)])), "port")

    def reqid(self):
        return D(self.w.guid(), "uuid-request-id")

    def sha(self):
        return D(self.w.hexs(64), "sha256")

    # 1 RFC3164 syslog ----------------------------------------------------
    def f_syslog3164__sshd(self):
        p = self.r.random()
        u = self.user_any("for-X-from")
        if p < 0.5:
            return render("{ts} {h} sshd[{pid}]: Accepted {m} for {u} from {ip} port {port} ssh2{fp}",
                          ts=self.ts3164(), h=self.hostfield(), pid=self.pid(), m=self.r.choice(["password", "publickey"]),
                          u=u, ip=S(self.ip(), "ipv4", "sshd-from"), port=self.port(),
                          fp=": ED25519 SHA256:" + self.w.b64(43) if self.r.random() < 0.3 else "")
        if p < 0.75:
            return render("{ts} {h} sshd[{pid}]: Failed password for invalid user {u} from {ip} port {port} ssh2",
                          ts=self.ts3164(), h=self.hostfield(), pid=self.pid(), u=S(self.w.word(), "user", "invalid-user"),
                          ip=S(self.ip(), "ipv4", "sshd-from"), port=self.port())
        return render("{ts} {h} sshd[{pid}]: pam_unix(sshd:session): session opened for user {u}(uid={uid}) by (uid=0)",
                      ts=self.ts3164(), h=self.hostfield(), pid=self.pid(), u=S(self.person()["user"], "user", "session-opened-for-user"),
                      uid=D(str(self.r.randint(1000, 1999)), "uid"))
    f_syslog3164__sshd.types = ["hostname", "user", "ipv4"]

    def f_syslog3164__noise(self):
        p = self.r.random()
        if p < 0.3:
            return render("{ts} {h} systemd[1]: Started {unit}.", ts=self.ts3164(), h=self.hostfield(),
                          unit=self.r.choice(["Daily apt download activities", "Session 42 of User root",
                                              "Cleanup of Temporary Directories", "logrotate.service - Rotate log files"]))
        if p < 0.6:
            return render("{ts} {h} kernel: [{up}] {msg}", ts=self.ts3164(), h=self.hostfield(),
                          up="%d.%06d" % (self.r.randint(1, 900000), self.r.randint(0, 999999)),
                          msg=self.r.choice(["EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro",
                                             "audit: type=1400 audit(1709459000.123:42): apparmor=\"STATUS\"",
                                             "usb 1-2: new high-speed USB device number 4 using xhci_hcd"]))
        return render("{ts} {h} CRON[{pid}]: ({u}) CMD (   cd / && run-parts --report /etc/cron.hourly)",
                      ts=self.ts3164(), h=self.hostfield(), pid=self.pid(), u=D("root", "system-account"))
    f_syslog3164__noise.types = ["hostname"]

    # 2 RFC5424 / ISO syslog ---------------------------------------------
    def f_syslog5424__app(self):
        h = self.r.choice([self.hostfield(), self.hostfield(short=False)])
        p = self.r.random()
        if p < 0.5:
            return render("<{pri}>1 {ts} {h} {app} {pid} - - connection from {ip} to {peer} established",
                          pri=str(self.r.choice([30, 34, 86, 134])), ts=self.tsiso(True), h=h,
                          app=self.r.choice(["smbd", "nginx", "backupd", "agent"]), pid=self.pid(),
                          ip=S(self.ip(), "ipv4", "prose"), peer=S(self.host()["short"], "hostname", "prose-short"))
        return render("{ts} {h} {app}[{pid}]: {msg}", ts=self.tsiso(), h=h, app=self.r.choice(["dockerd", "containerd", "smartd"]),
                      pid=self.pid(), msg=self.r.choice(["Device: /dev/sda [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from 64 to 65",
                                                         "level=info msg=\"Loading containers: done.\""]))
    f_syslog5424__app.types = ["hostname", "ipv4"]

    # 3 journalctl -o short-iso ------------------------------------------
    def f_journal_short__misc(self):
        p = self.r.random()
        if p < 0.4:
            return render("{ts} {h} systemd-logind[{pid}]: New session {n} of user {u}.", ts=self.tsiso(),
                          h=self.hostfield(), pid=self.pid(), n=str(self.r.randint(1, 900)), u=self.user_any("session-of-user"))
        if p < 0.7:
            return render("{ts} {h} systemd-resolved[{pid}]: Using degraded feature set UDP instead of UDP+EDNS0 for DNS server {dns}.",
                          ts=self.tsiso(), h=self.hostfield(), pid=self.pid(),
                          dns=self.r.choice([D(self.r.choice(RESOLVERS), "public-resolver"), S(self.ip(), "ipv4", "dns-server")]))
        return render("{ts} {h} gnome-shell[{pid}]: Window manager warning: Buggy client sent a _NET_ACTIVE_WINDOW message",
                      ts=self.tsiso(), h=self.hostfield(), pid=self.pid())
    f_journal_short__misc.types = ["hostname", "user"]

    # 4 journalctl -o verbose / export -----------------------------------
    def f_journal_verbose__fields(self):
        p = self.r.random()
        if p < 0.35:
            mid = self.w.machine_id if self.r.random() < 0.5 else self.w.hexs(32)
            return render("    _MACHINE_ID={m}", m=S(mid, "machine-id", "journal-machine-id"))
        if p < 0.6:
            return render("    _HOSTNAME={h}", h=self.hostfield())
        if p < 0.7:
            return render("    _BOOT_ID={b}", b=D(self.w.hexs(32), "boot-id"))
        if p < 0.85:
            home = self.user_any("home-path")
            return render("    _CMDLINE=/usr/bin/python3 /home/{u}/.local/bin/sync-agent --config /home/{u2}/.config/sync.ini",
                          u=home, u2=S(home.value, "user", "home-path", home.machine))
        return render("    MESSAGE=pam_unix(cron:session): session closed for user {u}", u=self.user_any("session-closed-for-user"))
    f_journal_verbose__fields.types = ["machine-id", "hostname", "user"]

    # 5 ps aux ------------------------------------------------------------
    def f_ps_aux__row(self):
        if self.r.random() < 0.25:
            owner = D(self.r.choice(SYS_USERS), "system-account")
        else:
            owner = self.user_any("ps-owner-column")
        name = owner.value
        cmd = self.r.choice(["/usr/lib/firefox-esr/firefox-esr -contentproc -childID 12", "-bash",
                             "/usr/bin/gnome-shell", "python3 manage.py runserver", "sshd: %s@pts/0" % name,
                             "/opt/zoom/zoom", "vim notes.txt"])
        if isinstance(owner, S) and len(name) > 8:
            # ps aux truncates long owners to 7 chars plus '+'
            owner = S(name[:7] + "+", "user", "ps-owner-truncated", owner.machine)
        line = render("{o}{pad}{pid}  {cpu}  {mem} {vsz} {rss} {tty}    {st}  {start}   {time} ",
                      o=owner, pad=" " * max(1, 9 - len(owner.value)), pid=self.pid(),
                      cpu="%.1f" % self.r.uniform(0, 20), mem="%.1f" % self.r.uniform(0, 8),
                      vsz="%7d" % self.r.randint(1000, 3000000), rss="%6d" % self.r.randint(100, 900000),
                      tty=self.r.choice(["?    ", "pts/0", "tty2 "]), st=self.r.choice(["Ss", "Sl", "R+", "S<l"]),
                      start=self.r.choice(["09:12", "Mar03", "10:01"]), time="%d:%02d" % (self.r.randint(0, 40), self.r.randint(0, 59)))
        tail = cmd.split("%s@" % name)
        if len(tail) == 2 and isinstance(owner, S):
            line.add("sshd: ")
            line.add(S(name, "user", "sshd-user@pts"))
            line.add("@pts/0")
        else:
            line.add(cmd)
        return line
    f_ps_aux__row.types = ["user"]

    # 6 tasklist /v -------------------------------------------------------
    def f_tasklist__row(self):
        img = self.r.choice(["explorer.exe", "OUTLOOK.EXE", "Teams.exe", "chrome.exe", "svchost.exe", "powershell.exe"])
        line = render("{img}{pad}{pid} Console                    1    {mem} K Running         ",
                      img=img, pad=" " * (26 - len(img)), pid=self.pid(), mem="{:,}".format(self.r.randint(2000, 900000)))
        if img == "svchost.exe":
            line.add(D(self.r.choice(WIN_SYS), "system-account"))
        else:
            per = self.person()
            org = per["org"]
            line.add(S(org["netbios"], "domain", "DOMAIN\\user"))
            line.add("\\")
            line.add(S(per["winuser"], "user", "DOMAIN\\user"))
        line.add("    0:00:%02d %s" % (self.r.randint(0, 59), self.r.choice(["Inbox - Outlook", "N/A", "Windows PowerShell"])))
        return line
    f_tasklist__row.types = ["domain", "user"]

    # 7 Windows event text (wevtutil qe /f:text) --------------------------
    def f_winevent__logon(self):
        per = self.person()
        k = self.r.randrange(9)
        if k == 0:
            return render("  Computer: {h}", h=S(self.host()["fqdn"], "hostname", "event-computer-fqdn"))
        if k == 1:
            return render("\t\tSecurity ID:\t\t{s}", s=S(self.w.sid(), "sid", "event-security-id") if self.r.random() < 0.75 else D(self.r.choice(WELLKNOWN_SID), "wellknown-sid"))
        if k == 2:
            return render("\t\tAccount Name:\t\t{u}", u=S(per["winuser"], "user", "event-account-name") if self.r.random() < 0.8 else D("SYSTEM", "system-account"))
        if k == 3:
            return render("\t\tAccount Domain:\t\t{d}", d=S(per["org"]["netbios"], "domain", "event-account-domain"))
        if k == 4:
            return render("\t\tLogon ID:\t\t0x{x}", x=D("%X" % self.r.randint(0x10000, 0xFFFFFFF), "logon-id"))
        if k == 5:
            return render("\tWorkstation Name:\t{h}", h=S(self.host()["short"], "hostname", "event-workstation-name"))
        if k == 6:
            return render("\tSource Network Address:\t{ip}", ip=S(self.ip(), "ipv4", "event-source-address"))
        if k == 7:
            return render("\tSource Port:\t\t{p}", p=self.port())
        return render("Description: An account was successfully logged on. Subject: {d}\\{u} Logon Type: 3 Process: {f}",
                      d=S(per["org"]["netbios"], "domain", "DOMAIN\\user"), u=S(per["winuser"], "user", "DOMAIN\\user"),
                      f=D("C:\\Windows\\System32\\lsass.exe", "filename"))
    f_winevent__logon.types = ["hostname", "sid", "user", "domain", "ipv4"]

    # 8 Apache/nginx combined access log ----------------------------------
    def f_access__combined(self):
        t = self.w.tick()
        ts = D(t.strftime("%d/%b/%Y:%H:%M:%S %z"), "timestamp")
        ua = self.r.choice(["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v} Safari/537.36",
                            "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0", "curl/8.5.0"])
        chrome = "%d.0.%d.%d" % (self.r.randint(100, 124), self.r.randint(5000, 6400), self.r.randint(10, 200))
        l = Line()
        l.add(S(self.ip(), "ipv4", "access-client"))
        l.add(" - ")
        if self.r.random() < 0.4:
            l.add(S(self.person()["user"], "user", "access-user-field"))
        else:
            l.add("-")
        l.add(" [")
        l.add(ts)
        p = self.r.random()
        if p < 0.35:
            per = self.person()
            enc = per["email"].replace("@", "%40")
            l.add('] "GET /account/reset?email=')
            l.add(S(enc, "email", "url-encoded-%40"))
            l.add('&token=')
            l.add(S(self.w.token(), "secret", "url-query-token"))
        elif p < 0.6:
            l.add('] "GET /api/v2/files?access_token=')
            l.add(S(self.w.b64(32), "secret", "url-query-token"))
        else:
            l.add('] "POST /login')
        l.add(' HTTP/1.1" %d %d "' % (self.r.choice([200, 302, 401, 404]), self.r.randint(100, 50000)))
        if self.r.random() < 0.5:
            l.add("https://")
            l.add(S(self.host()["fqdn"], "hostname", "referer-url-host"))
            l.add("/portal/?session=")
            l.add(S(self.w.hexs(32), "secret", "url-query-session"))
        else:
            l.add("-")
        l.add('" "')
        if "{v}" in ua:
            a, b = ua.split("{v}")
            l.add(a)
            l.add(D(chrome, "version"))
            l.add(b)
        else:
            l.add(ua)
        l.add('"')
        return l
    f_access__combined.types = ["ipv4", "user", "email", "secret", "hostname"]

    # 9 Postfix / Dovecot ---------------------------------------------------
    def f_mail__postfix(self):
        per = self.person()
        qid = D(self.w.hexs(10, "0123456789ABCDEF"), "queue-id")
        p = self.r.random()
        h = self.host()
        if p < 0.4:
            return render("{ts} {hf} postfix/smtp[{pid}]: {q}: to=<{e}>, relay={rh}[{ip}]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {q2})",
                          ts=self.ts3164(), hf=self.hostfield(), pid=self.pid(), q=qid, e=S(per["email"], "email", "postfix-to"),
                          rh=S(h["fqdn"], "hostname", "postfix-relay"), ip=S(self.ip(), "ipv4", "postfix-relay-ip"),
                          q2=D(self.w.hexs(10, "0123456789ABCDEF"), "queue-id"))
        if p < 0.7:
            return render("{ts} {hf} dovecot: imap-login: Login: user=<{u}>, method=PLAIN, rip={ip}, lip={lip}, mpid={pid}, TLS, session=<{s}>",
                          ts=self.ts3164(), hf=self.hostfield(), u=S(per["email"], "email", "dovecot-user<>") if self.r.random() < 0.5 else S(per["user"], "user", "dovecot-user<>"),
                          ip=S(self.ip(), "ipv4", "dovecot-rip"), lip=S(self.ip(), "ipv4", "dovecot-lip"), pid=self.pid(),
                          s=S(self.w.b64(16), "secret", "dovecot-session"))
        return render("{ts} {hf} postfix/smtpd[{pid}]: connect from {c}[{ip}]", ts=self.ts3164(), hf=self.hostfield(), pid=self.pid(),
                      c=S(h["fqdn"], "hostname", "postfix-client"), ip=S(self.ip(), "ipv4", "postfix-client-ip"))
    f_mail__postfix.types = ["email", "hostname", "ipv4", "user", "secret"]

    # 10 sudo / auth ---------------------------------------------------------
    def f_auth__sudo(self):
        u = self.user_any("sudo-user-field")
        p = self.r.random()
        if p < 0.5:
            return render("{ts} {h} sudo: {u} : TTY=pts/{n} ; PWD=/home/{u2}/src ; USER={ru} ; COMMAND=/usr/bin/apt-get install -y nginx",
                          ts=self.ts3164(), h=self.hostfield(), u=u, n=str(self.r.randint(0, 9)),
                          u2=S(u.value, "user", "home-path", u.machine), ru=D("root", "system-account"))
        if p < 0.75:
            return render("{ts} {h} su[{pid}]: (to {t}) {u} on pts/{n}", ts=self.ts3164(), h=self.hostfield(), pid=self.pid(),
                          t=D("root", "system-account"), u=u, n=str(self.r.randint(0, 9)))
        return render("{ts} {h} passwd[{pid}]: pam_unix(passwd:chauthtok): password changed for {u}", ts=self.ts3164(),
                      h=self.hostfield(), pid=self.pid(), u=u)
    f_auth__sudo.types = ["user", "hostname"]

    # 11 NetworkManager / dhclient -----------------------------------------
    def f_network__nm(self):
        mac = self.r.choice(self.w.macs)
        ms, style = self.w.mac_str(mac, self.r.choice(["colon", "COLON", "dash"]))
        p = self.r.random()
        if p < 0.25:
            return render("{ts} {h} NetworkManager[{pid}]: <info>  [{mono}] device (wlp2s0): set-hw-addr: set MAC address to {m} (scanning)",
                          ts=self.ts3164(), h=self.hostfield(), pid=self.pid(), mono="%d.%04d" % (self.r.randint(1700000000, 1720000000), self.r.randint(0, 9999)),
                          m=S(ms, "mac", "mac-" + style))
        if p < 0.45:
            return render("{ts} {h} dhclient[{pid}]: DHCPACK of {ip} from {srv} (xid=0x{x})", ts=self.ts3164(), h=self.hostfield(),
                          pid=self.pid(), ip=S(self.ip(), "ipv4", "dhcpack"), srv=S(self.ip(), "ipv4", "dhcp-server"), x=self.w.hexs(8))
        if p < 0.65:
            return render("{ts} {h} NetworkManager[{pid}]: <info>  [{mono}] dhcp6 (eth0): option dhcp6_client_id      => '{d}'",
                          ts=self.ts3164(), h=self.hostfield(), pid=self.pid(), mono="%d.%04d" % (self.r.randint(1700000000, 1720000000), self.r.randint(0, 9999)),
                          d=S(self.w.duid(), "machine-id", "dhcpv6-duid"))
        if p < 0.85:
            return render("{ts} {h} NetworkManager[{pid}]: <info>  [{mono}] dhcp6 (eth0): option ip6_address          => '{a}'",
                          ts=self.ts3164(), h=self.hostfield(), pid=self.pid(), mono="%d.%04d" % (self.r.randint(1700000000, 1720000000), self.r.randint(0, 9999)),
                          a=S(self.w.rand_ipv6(), "ipv6", "nm-option"))
        return render("{ts} {h} avahi-daemon[{pid}]: Joining mDNS multicast group on interface eth0.IPv6 with address {a}.",
                      ts=self.ts3164(), h=self.hostfield(), pid=self.pid(), a=S(self.w.rand_ipv6(), "ipv6", "avahi-prose"))
    f_network__nm.types = ["mac", "ipv4", "machine-id", "ipv6", "hostname"]

    # 12 ip addr / ifconfig / ipconfig /all ----------------------------------
    def f_ifconfig__lines(self):
        mac = self.r.choice(self.w.macs)
        k = self.r.randrange(10)
        if k == 0:
            return render("    link/ether {m} brd ff:ff:ff:ff:ff:ff", m=S(self.w.mac_str(mac, "colon")[0], "mac", "mac-colon"))
        if k == 1:
            ip = self.ip()
            return render("    inet {ip}/{n} brd {b} scope global dynamic noprefixroute eth0", ip=S(ip, "ipv4", "ip-addr"),
                          n=str(self.r.choice([24, 16, 20])), b=S(".".join(ip.split(".")[:3] + ["255"]), "ipv4", "ip-addr-brd"))
        if k == 2:
            return render("    inet6 {a}/64 scope global dynamic mngtmpaddr", a=S(self.w.rand_ipv6(), "ipv6", "ip-addr-inet6"))
        if k == 3:
            return render("        ether {m}  txqueuelen 1000  (Ethernet)", m=S(self.w.mac_str(mac, "colon")[0], "mac", "mac-colon"))
        if k == 4:
            return render("   Host Name . . . . . . . . . . . . : {h}", h=S(self.host()["short"], "hostname", "ipconfig-host-name"))
        if k == 5:
            return render("   Physical Address. . . . . . . . . : {m}", m=S(self.w.mac_str(mac, "dash")[0], "mac", "mac-dash"))
        if k == 6:
            return render("   DHCPv6 Client DUID. . . . . . . . : {d}", d=S(self.w.duid().replace(":", "-").upper(), "machine-id", "dhcpv6-duid"))
        if k == 7:
            return render("   Primary Dns Suffix  . . . . . . . : {d}", d=S(self.r.choice(self.w.orgs)["ad"], "domain", "dns-suffix"))
        if k == 8:
            return render("   Link-local IPv6 Address . . . . . : {a}%{z}(Preferred) ",
                          a=S("fe80::%x:%x:%x:%x" % tuple(self.r.randint(1, 0xffff) for _ in range(4)), "ipv6", "ipconfig-ll"), z=str(self.r.randint(2, 30)))
        return render("   DNS Servers . . . . . . . . . . . : {d}", d=self.r.choice([D(self.r.choice(RESOLVERS), "public-resolver"), S(self.ip(), "ipv4", "ipconfig-dns")]))
    f_ifconfig__lines.types = ["mac", "ipv4", "ipv6", "hostname", "machine-id", "domain"]

    # 13 connection strings and credentials in config/CLI -------------------
    def f_config__conn(self):
        per = self.person()
        h = self.host()
        pw = self.w.password()
        k = self.r.randrange(8)
        if k == 0:
            return render('  "ConnectionStrings": {lb} "Main": "Server={h};Database={db};User Id={u};Password={p};" {rb},', lb="{", rb="}",
                          h=S(h["fqdn"], "hostname", "connstr-server"), db=self.w.word(), u=S(per["user"], "user", "connstr-user-id"),
                          p=S(pw, "password", "connstr-password"))
        if k == 1:
            return render("DATABASE_URL={scheme}://{c}@{h}:{port}/{db}", scheme=self.r.choice(["postgres", "postgresql", "mysql", "amqp", "mongodb"]),
                          c=S(per["user"] + ":" + urlquote(pw, safe=""), "url-credentials", "url-user:pw"), h=S(h["fqdn"], "hostname", "url-host"),
                          port=self.port(), db=self.w.word())
        if k == 2:
            return render("{ts} INFO  [main] {cls} - jdbc:sqlserver://{h}:1433;databaseName={db};user={u};password={p};encrypt=true",
                          ts=self.tsiso(), cls=D(self.r.choice(JAVA), "java-class"), h=S(h["short"], "hostname", "jdbc-host-short"),
                          db=self.w.word(), u=S(per["user"], "user", "jdbc-user"), p=S(pw, "password", "jdbc-password"))
        if k == 3:
            return render("+ /usr/bin/mysqldump --host {h} --user {u} --password {p} --single-transaction {db}",
                          h=S(h["short"], "hostname", "cli-host-arg"), u=S(per["user"], "user", "cli-user-arg"),
                          p=S(pw, "password", "cli-password-space"), db=self.w.word())
        if k == 4:
            return render('{lb}"username": "{u}", "password": "{p}", "remember": true{rb}', lb="{", rb="}",
                          u=S(per["user"], "user", "json-username"),
                          p=S(pw, "password", "json-password"))
        if k == 5:
            return render("https://{c}@{h}/scm/{r}.git", c=S(per["user"] + ":" + urlquote(pw, safe=""), "url-credentials", "git-url-user:pw"),
                          h=S(h["fqdn"], "hostname", "url-host"), r=self.w.word())
        if k == 6:
            return render("smb_pass: {p}", p=S(pw, "password", "yaml-pass"))
        return render("net use Z: \\\\{h}\\{share} /user:{d}\\{u} {p}", h=S(h["short"], "hostname", "unc-host"), share=self.w.word(),
                      d=S(per["org"]["netbios"], "domain", "DOMAIN\\user"), u=S(per["winuser"], "user", "DOMAIN\\user"),
                      p=S(pw, "password", "net-use-password"))
    f_config__conn.types = ["password", "url-credentials", "hostname", "user", "domain"]

    # 14 registry / WMI ----------------------------------------------------
    def f_registry__dump(self):
        k = self.r.randrange(7)
        if k == 0:
            return render("    MachineGuid    REG_SZ    {g}", g=S(self.w.guid(), "machine-id", "reg-machineguid"))
        if k == 1:
            return render("    ProductId    REG_SZ    {p}", p=S(self.w.product_id(), "machine-id", "product-id"))
        if k == 2:
            return render("SerialNumber  : {s}", s=S(self.w.serial(), "serial", "wmi-serialnumber"))
        if k == 3:
            return render("    InstallationID    REG_SZ    {lb}{g}{rb}", lb="{", rb="}", g=S(self.w.guid(True), "machine-id", "reg-braced-guid"))
        if k == 4:
            return render("IdentifyingNumber : {s}", s=S(self.w.serial(), "serial", "wmi-identifyingnumber"))
        if k == 5:
            return render("\tSerial Number: {s}", s=S(self.w.serial(), "serial", "dmidecode-serial"))
        return render("HKLM\\SOFTWARE\\Microsoft\\Cryptography\\{c}    REG_SZ    {o}", c="OID", o=D(self.r.choice(OIDS), "oid"))
    f_registry__dump.types = ["machine-id", "serial"]

    # 15 Java application log with exceptions ------------------------------
    def f_java__app(self):
        h = self.host()
        k = self.r.randrange(6)
        if k == 0:
            return render("{ts} WARN  [pool-2-thread-{n}] {cls} - connecting to {h}:{port} failed, retrying in 5s",
                          ts=self.tsiso(True), n=str(self.r.randint(1, 9)), cls=D(self.r.choice(JAVA), "java-class"),
                          h=S(h["short"], "hostname", "prose-connecting-to"), port=self.port())
        if k == 1:
            return render("java.net.ConnectException: Connection refused (Connection refused) connecting to {h}/{ip}:{port}",
                          h=S(h["fqdn"], "hostname", "java-host/ip"), ip=S(self.ip(), "ipv4", "java-host/ip"), port=self.port())
        if k == 2:
            return render("\tat {cls}.getConnection({f}:{n})", cls=D(self.r.choice(JAVA), "java-class"),
                          f=D(self.r.choice(["HikariPool.java", "Socket.java", "DispatcherServlet.java"]), "filename"), n=str(self.r.randint(10, 999)))
        if k == 3:
            return render("{ts} INFO  [cluster] {cls} - peer {h} left (reason: timeout), members now {n}",
                          ts=self.tsiso(True), cls=D(self.r.choice(JAVA), "java-class"), h=S(h["short"], "hostname", "prose-peer-X-left"),
                          n=str(self.r.randint(2, 9)))
        if k == 4:
            return render("{ts} ERROR [http-nio-8080-exec-{n}] {cls} - request {rid} failed for user {u} ({e})",
                          ts=self.tsiso(True), n=str(self.r.randint(1, 9)), cls=D(self.r.choice(JAVA), "java-class"),
                          rid=self.reqid(), u=S(self.person()["user"], "user", "prose-for-user"),
                          e=S(self.person()["email"], "email", "prose-parenthesised"))
        return render("{ts} INFO  [main] {cls} - Loaded {f} (sha256 {s}) on host {h}", ts=self.tsiso(True),
                      cls=D(self.r.choice(JAVA), "java-class"), f=D(self.r.choice(LIBS), "filename"), s=self.sha(),
                      h=S(h["short"], "hostname", "prose-on-host"))
    f_java__app.types = ["hostname", "ipv4", "user", "email"]

    # 16 Python application log with traceback ------------------------------
    def f_python__app(self):
        per = self.person()
        k = self.r.randrange(6)
        if k == 0:
            return render('  File "/home/{u}/projects/{p}/{f}", line {n}, in {fn}', u=self.user_any("home-path"), p=self.w.word(),
                          f=D("sync.py", "filename"), n=str(self.r.randint(1, 600)), fn=self.r.choice(["main", "run", "_connect"]))
        if k == 1:
            return render("{ts} ERROR sync.worker: upload for {e} failed: HTTPSConnectionPool(host='{h}', port=443): Max retries exceeded",
                          ts=self.tsiso(), e=S(per["email"], "email", "prose"), h=S(self.host()["fqdn"], "hostname", "py-host-kw"))
        if k == 2:
            e = per["email"]
            return render("{ts} INFO archive: moved mailbox {e}{suf} to cold storage", ts=self.tsiso(),
                          e=S(e, "email", "email-glued-suffix"), suf=self.r.choice(["_backup", "-old", "_2023", "-archive"]))
        if k == 3:
            return render("{ts} DEBUG urllib3.connectionpool: Starting new HTTPS connection (1): {h}:443", ts=self.tsiso(),
                          h=self.r.choice([S(self.host()["fqdn"], "hostname", "urllib3-fqdn"), D(self.r.choice(VENDOR), "vendor-domain")]))
        if k == 4:
            return render("C:\\Users\\{u}\\AppData\\Local\\Programs\\Python\\Python311\\{f}", u=S(per["winuser"], "user", "windows-home-path"),
                          f=D("python.exe", "filename"))
        return render("{ts} WARNING auth: token refresh for {u} failed; retry with Authorization: Bearer {t}", ts=self.tsiso(),
                      u=S(per["user"], "user", "prose-for-X"), t=S(self.w.token(), "secret", "bearer"))
    f_python__app.types = ["user", "email", "hostname", "secret"]

    # 17 GPS / EXIF -----------------------------------------------------------
    def f_gps__exif(self):
        lat, lon = self.w.lat(), self.w.lon()
        k = self.r.randrange(6)
        if k == 0:
            a = abs(float(lat))
            d, m = int(a), (a - int(a)) * 60
            s = (m - int(m)) * 60
            return render("GPS Latitude                    : {v}", v=S("%d deg %d' %.2f\" %s" % (d, int(m), s, "N" if float(lat) >= 0 else "S"), "gps", "exiftool-dms"))
        if k == 1:
            return render("GPSLatitude {a} {ns}, GPSLongitude {b} {ew}", a=S(lat.lstrip("-"), "gps", "exif-GPSLatitude-N"),
                          ns="N" if float(lat) >= 0 else "S", b=S(lon.lstrip("-"), "gps", "exif-GPSLatitude-N"), ew="E" if float(lon) >= 0 else "W")
        if k == 2:
            return render("{ts} tracker: position {a}, {b} accuracy {acc}m", ts=self.tsiso(), a=S(lat, "gps", "position-pair"),
                          b=S(lon, "gps", "position-pair"), acc=str(self.r.randint(3, 60)))
        if k == 3:
            return render("{ts} geo lookup ok lat={a} lon={b} city={c}", ts=self.tsiso(), a=S(lat, "gps", "lat=lon="), b=S(lon, "gps", "lat=lon="),
                          c=self.w.word().capitalize())
        if k == 4:
            return render("Location: {a}° {ns}, {b}° {ew}", a=S("%.2f" % abs(float(lat)), "gps", "degree-sign"), ns="N" if float(lat) >= 0 else "S",
                          b=S("%.2f" % abs(float(lon)), "gps", "degree-sign"), ew="E" if float(lon) >= 0 else "W")
        return render('{lb}"device":"{d}","coords":{lb}"latitude":{a},"longitude":{b}{rb}{rb}', lb="{", rb="}", d=self.w.word(),
                      a=S(lat, "gps", "json-latitude"), b=S(lon, "gps", "json-latitude"))
    f_gps__exif.types = ["gps"]

    # 18 CRM / shop app logs: phones, e-mails, cards -----------------------
    def f_shop__crm(self):
        per = self.person()
        ph, shape = self.w.phone()
        k = self.r.randrange(6)
        if k == 0:
            return render("{ts} INFO  crm.contacts: updated contact {n} {l} <{e}> phone {p}", ts=self.tsiso(), n=per["first"], l=per["last"],
                          e=S(per["email"], "email", "angle-brackets"), p=S(ph, "phone", "prose-" + shape))
        if k == 1:
            return render("{ts} sms-gateway: delivered to {p} (msg id {m})", ts=self.tsiso(), p=S(ph, "phone", "prose-" + shape), m=self.reqid())
        if k == 2:
            return render('{lb}"event":"checkout","customer":"{e}","tel":"{p}","amount":{a}{rb}', lb="{", rb="}",
                          e=S(per["email"], "email", "json"), p=S(ph, "phone", "json-tel-" + shape), a="%.2f" % self.r.uniform(5, 900))
        if k == 3:
            return render("{ts} payment: card {c} declined (insufficient funds), order {o}", ts=self.tsiso(), c=S(self.w.card(), "card", "prose-card"),
                          o=self.reqid())
        if k == 4:
            return render("{ts} WARN billing: retry charge card_number={c} exp=0{m}/2{y}", ts=self.tsiso(), c=S(self.w.card(), "card", "card_number="),
                          m=str(self.r.randint(1, 9)), y=str(self.r.randint(5, 9)))
        return render("Call from {p} to ext. {x} lasted {s}s", p=S(ph, "phone", "prose-" + shape), x=str(self.r.randint(100, 999)), s=str(self.r.randint(5, 900)))
    f_shop__crm.types = ["phone", "email", "card"]

    # 19 cloud credentials -----------------------------------------------
    def f_cloud__keys(self):
        k = self.r.randrange(6)
        if k == 0:
            return render("aws_access_key_id = {a}", a=S(self.w.aws_id(), "secret", "aws-access-key-id"))
        if k == 1:
            return render("aws_secret_access_key = {s}", s=S(self.w.aws_secret(), "aws-secret", "aws_secret_access_key="))
        if k == 2:
            return render("export AWS_SECRET_ACCESS_KEY={s}", s=S(self.w.aws_secret(), "aws-secret", "env-AWS_SECRET_ACCESS_KEY"))
        if k == 3:
            return render('      "SecretAccessKey": "{s}",', s=S(self.w.aws_secret(), "aws-secret", "json-SecretAccessKey"))
        if k == 4:
            return render("{ts} botocore.credentials: Found credentials in environment variables. key={a} secret={s}", ts=self.tsiso(),
                          a=S(self.w.aws_id(), "secret", "aws-access-key-id"), s=S(self.w.aws_secret(), "aws-secret", "secret="))
        return render("{ts} DEBUG s3: GET https://{b}.s3.amazonaws.com/{f}?X-Amz-Credential={a}%2F20240303%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature={sig}",
                      ts=self.tsiso(), b=self.w.word(), f=D("report.pdf", "filename"), a=S(self.w.aws_id(), "secret", "presigned-credential"),
                      sig=S(self.w.hexs(64), "secret", "presigned-signature"))
    f_cloud__keys.types = ["secret", "aws-secret"]

    # 20 HTTP debug / API client logs ---------------------------------------
    def f_http__debug(self):
        k = self.r.randrange(6)
        if k == 0:
            return render("> Authorization: Bearer {j}", j=S(self.w.jwt(), "jwt", "authorization-bearer-jwt"))
        if k == 1:
            return render("{ts} api-client: refreshed session, id_token={j} expires_in=3600", ts=self.tsiso(), j=S(self.w.jwt(), "jwt", "id_token="))
        if k == 2:
            return render('{lb}"level":"debug","msg":"oauth callback","state":"{s}","jwt":"{j}"{rb}', lb="{", rb="}",
                          s=D(self.w.guid(), "uuid-request-id"), j=S(self.w.jwt(), "jwt", "json-jwt"))
        if k == 3:
            return render("< Set-Cookie: SESSIONID={s}; Path=/; HttpOnly; Secure", s=S(self.w.b64(32), "secret", "set-cookie"))
        if k == 4:
            return render("> X-Api-Key: {t}", t=S(self.w.token(), "secret", "x-api-key"))
        return render("{ts} webhook: POST https://hooks.{v}/services/T0{a}/B0{b}/{c} -> 200", ts=self.tsiso(),
                      v=D("slack.com", "vendor-domain"), a=self.w.b64(8, string.ascii_uppercase + string.digits),
                      b=self.w.b64(8, string.ascii_uppercase + string.digits), c=S(self.w.b64(24), "secret", "webhook-path-secret"))
    f_http__debug.types = ["jwt", "secret"]

    # 21 Cisco switch ---------------------------------------------------------
    def f_cisco__switch(self):
        mac = self.r.choice(self.w.macs)
        ms = self.w.mac_str(mac, "cisco")[0]
        k = self.r.randrange(3)
        if k == 0:
            return render("{ts}: %SW_MATM-4-MACFLAP_NOTIF: Host {m} in vlan {v} is flapping between port Gi1/0/{a} and port Gi1/0/{b}",
                          ts=self.ts3164(), m=S(ms, "mac", "mac-cisco"), v=str(self.r.randint(1, 400)), a=str(self.r.randint(1, 48)), b=str(self.r.randint(1, 48)))
        if k == 1:
            return render("  {v}    {m}    DYNAMIC     Gi1/0/{p}", v="%4d" % self.r.randint(1, 400), m=S(ms, "mac", "mac-cisco"), p=str(self.r.randint(1, 48)))
        return render("{ts}: %DOT1X-5-SUCCESS: Authentication successful for client ({m}) on Interface Gi1/0/{p} AuditSessionID {a}",
                      ts=self.ts3164(), m=S(ms, "mac", "mac-cisco"), p=str(self.r.randint(1, 48)), a=D(self.w.hexs(24, "0123456789ABCDEF"), "session-audit-id"))
    f_cisco__switch.types = ["mac"]

    # 22 misc: IP in paths/quotes, SIDs in prose, AD -----------------------------
    def f_misc__edge(self):
        k = self.r.randrange(8)
        ip = self.ip()
        if k == 0:
            return render("{ts} rsyslogd: file '/var/log/remote/{ip}/messages' opened", ts=self.tsiso(), ip=S(ip, "ipv4", "ip-in-path"))
        if k == 1:
            return render("logrotate: rotating pattern: /var/log/nginx/{ip}-access.log weekly (4 rotations)", ip=S(ip, "ipv4", "ip-in-filename"))
        if k == 2:
            return render("{ts} pam_radius_auth: authentication failed for '{ip}:{port}'", ts=self.tsiso(), ip=S(ip, "ipv4", "ip:port-quoted"), port=self.port())
        if k == 3:
            return render("{ts} lsass: user profile for {s} loaded from C:\\Users\\{u}\\NTUSER.DAT", ts=self.tsiso(), s=S(self.w.sid(), "sid", "sid-prose"),
                          u=S(self.person()["winuser"], "user", "windows-home-path"))
        if k == 4:
            return render("search {d}", d=S(self.r.choice(self.w.orgs)["ad"], "domain", "resolv-search"))
        if k == 5:
            return render("[{ts}] connect to [{a}]:{port} ok", ts=self.tsiso(), a=S(self.w.rand_ipv6(), "ipv6", "bracketed"), port=self.port())
        if k == 6:
            per = self.person()
            return render("{ts} smbd: {d}\\{u} opened share on {h}", ts=self.tsiso(), d=S(per["org"]["netbios"], "domain", "DOMAIN\\user"),
                          u=S(per["winuser"], "user", "DOMAIN\\user"), h=S(self.host()["short"], "hostname", "prose-on-host"))
        return render("{ts} gpupdate: joined domain {d} as {h}$", ts=self.tsiso(), d=S(self.r.choice(self.w.orgs)["netbios"], "domain", "prose-joined-domain"),
                      h=S(self.host()["short"], "hostname", "computer-account$"))
    f_misc__edge.types = ["ipv4", "sid", "user", "domain", "ipv6", "hostname"]

    # noise lines: decoys only --------------------------------------------------
    def noise(self):
        r = self.r
        k = r.randrange(15)
        if k == 0:
            return render("{ts} {h} apt[{pid}]: Get:1 http://{v} bookworm/main amd64 apache2 amd64 {ver}-1 [220 kB]", ts=self.ts3164(), h=self.hostfield(),
                          pid=self.pid(), v=D(r.choice(VENDOR[:3]), "vendor-domain"), ver=D("2.4.%d" % r.randint(50, 62), "version"))
        if k == 1:
            return render("Server version: Apache/{v} (Debian) build {b}", v=D(version4(r), "version-ipv4-like"), b=D(version4(r), "version-ipv4-like"))
        if k == 2:
            return render("  Extension: {o} critical=false", o=D(r.choice(OIDS), "oid"))
        if k == 3:
            return render("Checking for updates from https://{v}/msdownload/update/v3/static/trustedr/en/authrootstl.cab", v=D(r.choice(VENDOR[3:8]), "vendor-domain"))
        if k == 4:
            return render("Package: {p}  SHA256: {s}", p=D(r.choice(LIBS), "filename"), s=self.sha())
        if k == 5:
            return render("{ts} INFO  [main] {cls} - HikariPool-1 - Start completed. traceId={t}", ts=self.tsiso(True), cls=D(r.choice(JAVA), "java-class"), t=self.reqid())
        if k == 6:
            return render("    Security ID:    {s}  Account Name: {a}", s=D(r.choice(WELLKNOWN_SID), "wellknown-sid"), a=D(r.choice(["SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE"]), "system-account"))
        if k == 7:
            return render("nameserver {d}", d=D(r.choice(RESOLVERS), "public-resolver"))
        if k == 8:
            return render("    inet {a}/8 scope host lo", a=D(r.choice(LOOP[:2]), "loopback-multicast"))
        if k == 9:
            return render("{ts} avahi-daemon[{pid}]: Joining mDNS multicast group on interface lo with address {a}.", ts=self.tsiso(), pid=self.pid(), a=D(r.choice(LOOP), "loopback-multicast"))
        if k == 10:
            return render("www-data  {pid}  0.0  0.1  {v} {r} ?        S    09:12   0:00 nginx: worker process", pid=self.pid(), v=str(r.randint(10000, 90000)), r=str(r.randint(1000, 9000)))
        if k == 11:
            return render("User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/{v} Safari/537.36 Edg/{e}", v=D("%d.0.%d.%d" % (r.randint(100, 124), r.randint(5000, 6400), r.randint(10, 200)), "version-ipv4-like"),
                          e=D("%d.0.%d.%d" % (r.randint(100, 124), r.randint(2000, 2600), r.randint(10, 99)), "version-ipv4-like"))
        if k == 12:
            return render("{ts} {h} kernel: firmware: direct-loading firmware iwlwifi-{v}.ucode version {fw}", ts=self.ts3164(), h=self.hostfield(), v=str(r.randint(60, 80)),
                          fw=D(version4(r), "version-ipv4-like"))
        if k == 14:  # installed programs (wmic product get name,version / Get-Package)
            name = r.choice(["Zoom", "7-Zip", "Notepad++ (64-bit x64)", "VLC media player", "Microsoft Teams Meeting Add-in",
                             "Dell SupportAssist", "Intel(R) Wireless Bluetooth(R)", "Realtek Audio Driver", "Citrix Workspace"])
            return render("{n}{pad}{v}", n=name, pad=" " * (40 - len(name)), v=D("%d.%d.%d.%d" % (r.randint(1, 9), r.randint(0, 30), r.randint(0, 99), r.choice([0, 0, 1, 2, r.randint(3, 255)])), "version-ipv4-like"))
        return render("TaskName: \\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan  Run As User: {u}", u=D(r.choice(WIN_SYS), "system-account"))

    # -------------------------------------------------------------------------
    def run(self, n, out):
        counts = {t: 0 for t in TYPES}
        by_type = {t: [tpl for tpl in self.templates if t in tpl[1]] for t in TYPES}
        fmt_counts = {}
        with open(os.path.join(out, "corpus.log"), "wb") as corpus, open(os.path.join(out, "labels.jsonl"), "w") as labels:
            i = 0
            while i < n:
                x = self.r.random()
                if x < 0.25:
                    line, fmt = self.noise(), "noise"
                elif x < 0.6:  # every format equally often
                    fmt, _, fn = self.r.choice(self.templates)
                    line = fn()
                else:  # top up the rarest types
                    low = sorted(TYPES, key=lambda t: counts[t])[:3]
                    fmt, _, fn = self.r.choice(by_type[self.r.choice(low)])
                    line = fn()
                for s in line.spans:
                    counts[s["type"]] += 1
                fmt_counts[fmt] = fmt_counts.get(fmt, 0) + 1
                assert b"\n" not in line.buf
                corpus.write(bytes(line.buf) + b"\n")
                labels.write(json.dumps({"line": i, "format": fmt, "spans": line.spans, "decoys": line.decoys}, separators=(",", ":")) + "\n")
                i += 1
        return counts, fmt_counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    g = Gen(a.seed, a.lines)
    counts, fmts = g.run(a.lines, a.out)
    ctx = {"machine": {"host": g.w.machine_host, "fqdn": g.w.machine_host + "." + g.w.machine_org["ad"],
                       "domain": g.w.machine_org["ad"], "account": g.w.machine_user,
                       "machine_id": g.w.machine_id},
           "note": "The invented machine's own names (labelled machine=true in labels.jsonl). Informational: "
                   "the engine learns a real machine's names from MachineContext::detect(); run.sh passes host, domain and account as keywords.",
           "seed": a.seed, "lines": a.lines, "planted": counts, "formats": fmts}
    with open(os.path.join(a.out, "context.json"), "w") as f:
        json.dump(ctx, f, indent=1)
    print("wrote %d lines, %d planted values, %d formats to %s" % (a.lines, sum(counts.values()), len(fmts) - 1, a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
