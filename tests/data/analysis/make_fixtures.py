#!/usr/bin/env python3
# Run from the repository: python3 tests/data/analysis/make_fixtures.py tests/data/analysis
# Writes the analysis fixture staging trees (tests/data/analysis/*) with their manifests.
import hashlib, json, os, shutil, sys
root = sys.argv[1]

def manifest(items, started="2026-12-07T02:00:00.000Z", finished="2026-12-07T02:00:30.000Z", profile="default"):
    return {"format": "diagcollect-manifest", "format_version": 1,
            "tool": {"name": "diagcollect", "version": "0.1.0"},
            "profile": {"name": profile, "source": ":/profiles/default.json", "sha256": ""},
            "host": "[host-1]", "platform": "linux", "case_id": "", "full_logs": False, "administrator": True,
            "started": started, "finished": finished, "items": items, "extra_files": []}

def tree(name, files, items_extra=None, **kw):
    """files: {path: (item_id, content(bytes|str), kind, status, reason, redactable)}"""
    base = os.path.join(root, name)
    shutil.rmtree(base, ignore_errors=True)
    items = {}
    order = []
    for path, spec in files.items():
        item_id, content = spec[0], spec[1]
        opts = spec[2] if len(spec) > 2 else {}
        data = content.encode() if isinstance(content, str) else content
        full = os.path.join(base, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        open(full, 'wb').write(data)
        if item_id not in items:
            items[item_id] = {"id": item_id, "title": item_id, "kind": opts.get("kind", "command"),
                              "category": path.split('/')[0], "purpose": "fixture", "essential": False,
                              "source": [], "status": "collected", "files": [], "not_collected": []}
            order.append(item_id)
        entry = {"path": path, "source": opts.get("source", item_id), "bytes": len(data),
                 "sha256": hashlib.sha256(data).hexdigest(), "redactable": opts.get("redactable", True),
                 "status": opts.get("status", "collected")}
        if "reason" in opts:
            entry["reason"] = opts["reason"]
        if opts.get("redactable") is False:
            items[item_id]["redactable"] = False
        items[item_id]["files"].append(entry)
        if opts.get("status") == "truncated":
            items[item_id]["status"] = "truncated"
            items[item_id]["reason"] = opts.get("reason", "")
    result = [items[i] for i in order]
    for extra in items_extra or []:
        result.append(dict({"title": extra["id"], "kind": "command", "category": "os-config", "purpose": "fixture",
                            "essential": False, "source": [], "files": [], "not_collected": []}, **extra))
    open(os.path.join(base, "manifest.json"), "w").write(json.dumps(manifest(result, **kw), indent=2) + "\n")

CORE_TAIL = "\nLOAD   = Reflects whether the unit definition was properly loaded.\n"
broken = {
    "os-config/packages/dpkg.txt": ("dpkg-packages",
        "Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n"
        "|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n"
        "||/ Name           Version          Architecture Description\n"
        "+++-==============-================-============-=================================\n"
        "ii  libc6:amd64    2.36-9+deb12u4   amd64        GNU C Library: Shared libraries\n"
        "ii  nginx          1.22.1-9         amd64        small, powerful, scalable web/proxy server\n"
        "ii  openssl        3.0.13-1~deb12u1 amd64        Secure Sockets Layer toolkit\n"),
    "os-config/services/failed.txt": ("systemd-failed",
        "  UNIT          LOAD   ACTIVE SUB    DESCRIPTION\n"
        "● nginx.service loaded failed failed A high performance web server and a reverse proxy server\n"
        + CORE_TAIL + "1 loaded units listed.\n"),
    "os-config/services/units.txt": ("systemd-units",
        "cron.service loaded active running Regular background program processing daemon\n"
        "nginx.service loaded failed failed A high performance web server and a reverse proxy server\n"
        "ssh.service loaded active running OpenBSD Secure Shell server\n"),
    "system-logs/journal/recent.txt": ("journal", "".join(
        f"2026-12-07T01:{10+i:02d}:00.000000+00:00 [host-1] systemd[1]: flaky.service: Scheduled restart job, restart counter is at {i}.\n"
        for i in range(1, 7))),
    "os-config/storage/df.txt": ("df",
        "Filesystem     Type      Size  Used Avail Use% Mounted on\n"
        "/dev/vda1      ext4       50G   47G  1.0G  98% /\n"
        "/dev/loop0     squashfs   56M   56M     0 100% /snap/core/17\n"
        "/dev/vdb1      ext4      100G   10G   90G  10% /data\n"),
    "os-config/storage/df-inodes.txt": ("df-inodes",
        "Filesystem     Type      Inodes   IUsed  IFree IUse% Mounted on\n"
        "/dev/vda1      ext4     3276800  120000 3156800    4% /\n"
        "/dev/vdb1      ext4     6553600 6500000   53600  100% /data\n"),
    "system-logs/journal/kernel.txt": ("kernel-journal",
        "2026-12-07T01:40:00.000000+00:00 [host-1] kernel: acme-shieldd[777]: segfault at 0 ip 00007f3a1c2b4d10 sp 00007ffd2a1b3c40 error 4 in libc.so.6[7f3a1c200000+195000]\n"
        "2026-12-07T01:50:00.000000+00:00 [host-1] kernel: java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n"
        "2026-12-07T01:50:00.100000+00:00 [host-1] kernel: Out of memory: Killed process 4242 (java) total-vm:8388608kB, anon-rss:6291456kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:12345kB oom_score_adj:0\n"),
    "system-logs/dmesg.txt": ("dmesg",
        "2026-12-07T01:50:00,100000+00:00 Out of memory: Killed process 4242 (java) total-vm:8388608kB, anon-rss:6291456kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:12345kB oom_score_adj:0\n"),
    "os-config/system/summary.txt": ("system-summary",
        "== Time ==\ntime zone:          Etc/UTC (/etc/timezone)\nlocal time:         2026-12-07T02:00:00 UTC\n"
        "clock synchronized: no (kernel reports unsynchronized; see timedatectl)\n", {"kind": "probe"}),
    "os-config/network/etc/resolv.conf": ("network-files", "# Generated by NetworkManager\nsearch example.com\n", {"kind": "files"}),
    "os-config/network/etc/hosts": ("network-files", "127.0.0.1 localhost\n", {"kind": "files"}),
    "os-config/network/proxy.txt": ("proxy",
        "== Environment of this process ==\nhttp_proxy:  (not set)\nHTTP_PROXY:  (not set)\n"
        "https_proxy: http://[host-2]:3128\nHTTPS_PROXY: (not set)\nno_proxy:    (not set)\n\n"
        "== System configuration (lines mentioning a proxy) ==\n"
        "(no proxy configured in /etc/environment, apt, dnf/yum, wget, systemd or profile.d)\n", {"kind": "probe"}),
    "event-history/coredumps.txt": ("coredump-list",
        "TIME                            PID   UID   GID SIG     COREFILE  EXE                          SIZE\n"
        "Sun 2026-11-01 09:00:00 UTC     123     0     0 SIGABRT missing   /usr/bin/oldcrash            -\n"
        "Sun 2026-12-06 23:10:00 UTC     777     0     0 SIGSEGV present   /opt/acme/bin/acme-shieldd   1.2M\n"),
    "crash-dumps/var-crash-listing.txt": ("var-crash-listing",
        "TYPE  SIZE  MODIFIED (UTC)       OWNER  PATH\n"
        "file  12K   2026-12-06T20:00:00  root   /var/crash/_usr_bin_gedit.1000.crash\n", {"kind": "probe"}),
    "crash-dumps/product-crash-dumps/core.777.dmp": ("product-crash-dumps", b"MDMP\x00\x01\x02binary dump\x00",
        {"kind": "files", "redactable": False}),
    "service-logs/product-journal-acme-shield-service.txt": ("product-journal-acme-shield-service",
        "2026-12-07T01:30:00.000000+00:00 [host-1] systemd[1]: acme-shield.service: Main process exited, code=dumped, status=11/SEGV\n"
        "2026-12-07T01:30:00.000100+00:00 [host-1] systemd[1]: acme-shield.service: Failed with result 'core-dump'.\n"),
    "service-logs/product-logs/shield.log": ("product-logs",
        "2026-12-06T20:00:00.000Z ERROR [cloud] old error outside the hour\n" +
        "".join(f"2026-12-07T01:{10+i*5:02d}:00.000Z ERROR [engine] scan worker {i} stopped unexpectedly\n" for i in range(6)) +
        "2026-12-07T01:58:00.000Z INFO  [service] heartbeat ok\n", {"kind": "files"}),
    "system-logs/var-log/syslog": ("var-log", "Dec  7 01:59:00 [host-1] cron[1]: (root) CMD (true)\n",
        {"kind": "files", "status": "truncated", "reason": "larger than 16 MiB; the newest 16 MiB were kept"}),
}
tree("broken", broken, items_extra=[
    {"id": "journal-full", "status": "failed", "reason": "timed out after 10 s"},
    {"id": "btmp", "kind": "files", "status": "skipped", "reason": "nothing readable",
     "not_collected": [{"source": "/var/log/btmp", "status": "skipped", "reason": "permission denied"}]},
])

clean = {
    "os-config/packages/dpkg.txt": ("dpkg-packages",
        "Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n"
        "|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n"
        "||/ Name           Version          Architecture Description\n"
        "+++-==============-================-============-=================================\n"
        "ii  libc6:amd64    2.36-9+deb12u4   amd64        GNU C Library: Shared libraries\n"
        "ii  nginx          1.22.1-9         amd64        small, powerful, scalable web/proxy server\n"
        "rc  oldtool        0.9-1            amd64        a removed tool\n"
        "ii  openssl        3.0.11-1~deb12u2 amd64        Secure Sockets Layer toolkit\n"),
    "os-config/services/failed.txt": ("systemd-failed",
        "  UNIT LOAD ACTIVE SUB DESCRIPTION\n" + CORE_TAIL + "0 loaded units listed.\n"),
    "os-config/services/units.txt": ("systemd-units",
        "cron.service loaded active running Regular background program processing daemon\n"
        "nginx.service loaded active running A high performance web server and a reverse proxy server\n"
        "failed-login-notify.service loaded inactive dead Notifies about failed logins\n"),
    "system-logs/journal/recent.txt": ("journal",
        "2026-12-07T01:10:00.000000+00:00 [host-1] systemd[1]: flaky.service: Scheduled restart job, restart counter is at 1.\n"
        "2026-12-07T01:11:00.000000+00:00 [host-1] systemd[1]: flaky.service: Scheduled restart job, restart counter is at 2.\n"
        "2026-12-07T01:12:00.000000+00:00 [host-1] systemd[1]: Started flaky.service.\n"),
    "os-config/storage/df.txt": ("df",
        "Filesystem     Type      Size  Used Avail Use% Mounted on\n"
        "/dev/vda1      ext4       50G   20G   28G  42% /\n"
        "/dev/loop0     squashfs   56M   56M     0 100% /snap/core/17\n"
        "tmpfs          tmpfs     1.0G     0  1.0G   0% /run/user/1000\n"),
    "os-config/storage/df-inodes.txt": ("df-inodes",
        "Filesystem     Type      Inodes   IUsed  IFree IUse% Mounted on\n"
        "/dev/vda1      ext4     3276800  120000 3156800    4% /\n"
        "/dev/loop0     squashfs   10000   10000       0  100% /snap/core/17\n"),
    "system-logs/journal/kernel.txt": ("kernel-journal",
        "2026-12-07T01:40:00.000000+00:00 [host-1] kernel: EXT4-fs (vda1): mounted filesystem with ordered data mode\n"
        "2026-12-07T01:41:00.000000+00:00 [host-1] kernel: audit: type=1400 apparmor=\"STATUS\" profile=\"segfault at nothing\"\n"),
    "system-logs/dmesg.txt": ("dmesg", "2026-12-07T01:40:00,000000+00:00 EXT4-fs (vda1): mounted filesystem\n"),
    "os-config/system/summary.txt": ("system-summary",
        "== Time ==\ntime zone:          Etc/UTC (/etc/timezone)\nclock synchronized: yes\n", {"kind": "probe"}),
    "os-config/network/etc/resolv.conf": ("network-files", "# Generated\nnameserver [ipv4-1]\nsearch example.com\n", {"kind": "files"}),
    "os-config/network/proxy.txt": ("proxy",
        "== Environment of this process ==\nhttp_proxy:  http://[host-2]:3128\nHTTP_PROXY:  (not set)\n"
        "https_proxy: http://[host-2]:3128\nno_proxy:    localhost\n\n"
        "== System configuration (lines mentioning a proxy) ==\n/etc/environment:\n  http_proxy=http://[host-2]:3128\n", {"kind": "probe"}),
    "event-history/coredumps.txt": ("coredump-list",
        "TIME                            PID   UID   GID SIG     COREFILE  EXE                          SIZE\n"
        "Sun 2026-11-01 09:00:00 UTC     123     0     0 SIGABRT missing   /usr/bin/oldcrash            -\n"),
    "crash-dumps/var-crash-listing.txt": ("var-crash-listing",
        "TYPE  SIZE  MODIFIED (UTC)       OWNER  PATH\ndir   4.0K  2026-12-01T10:00:00  root   /var/crash\n", {"kind": "probe"}),
    "service-logs/product-journal-acme-shield-service.txt": ("product-journal-acme-shield-service",
        "2026-12-03T10:00:00.000000+00:00 [host-1] systemd[1]: acme-shield.service: Failed with result 'exit-code'.\n"
        "2026-12-03T10:00:05.000000+00:00 [host-1] systemd[1]: Started acme-shield.service - Acme Shield.\n"
        "2026-12-07T01:00:00.000000+00:00 [host-1] systemd[1]: acme-shield.service: Main process exited, code=exited, status=0/SUCCESS\n"),
    "service-logs/product-logs/shield.log": ("product-logs",
        "".join(f"2026-12-06T22:{10+i*5:02d}:00.000Z ERROR [engine] scan worker {i} stopped unexpectedly\n" for i in range(6)) +
        "2026-12-07T01:30:00.000Z ERROR [cloud] one error in the hour\n"
        "2026-12-07T01:40:00.000Z WARN  [realtime] 0 errors, 0 threats\n"
        "2026-12-07T01:58:00.000Z INFO  [service] heartbeat ok\n", {"kind": "files"}),
    "system-logs/var-log/syslog": ("var-log", "Dec  7 01:59:00 [host-1] cron[1]: (root) CMD (true)\n", {"kind": "files"}),
}
tree("clean", clean, items_extra=[
    {"id": "product-crash-dumps", "kind": "files", "category": "crash-dumps", "status": "skipped", "reason": "not found",
     "not_collected": [{"source": "/var/crash/acme-shield", "status": "skipped", "reason": "not found"}]},
    {"id": "timedatectl", "status": "skipped", "reason": "systemd is not running here (a container or chroot?)"},
])

tree("system-proxy", {
    "os-config/network/proxy.txt": ("proxy",
        "== Environment of this process ==\nhttp_proxy:  (not set)\nhttps_proxy: (not set)\nno_proxy:    (not set)\n\n"
        "== System configuration (lines mentioning a proxy) ==\n/etc/apt/apt.conf.d/95proxy:\n  Acquire::http::Proxy \"http://[host-2]:3128\";\n", {"kind": "probe"}),
})

tree("acme", {
    "service-logs/product-logs/shield.log": ("product-logs",
        "2026-12-07T01:00:00.000Z INFO  [service] Acme Shield 4.2.1 starting (pid 4242)\n"
        "2026-12-07T01:00:01.000Z ERROR [updater] failed to load signatures: /var/lib/acme-shield/sig/main.db: checksum mismatch\n"
        "2026-12-07T01:04:00.000Z ERROR [cloud] reputation lookup failed: connect to [host-3]:443 timed out\n"
        "2026-12-07T01:10:00.000Z ERROR [cloud] reputation lookup failed: connect to [host-3]:443 timed out\n"
        "2026-12-07T01:16:00.000Z ERROR [cloud] reputation lookup failed: connect to [host-3]:443 timed out\n", {"kind": "files"}),
    "service-logs/shield-status.txt": ("shield-status",
        "Acme Shield 4.2.1\nservice:      running (pid 4242)\nsignatures:   none loaded (failed)\ncloud lookup: degraded (timeouts)\n"),
}, profile="acme-shield")
tree("acme-healthy", {
    "service-logs/product-logs/shield.log": ("product-logs",
        "2026-12-07T01:00:00.000Z INFO  [service] Acme Shield 4.2.1 starting (pid 4242)\n"
        "2026-12-07T01:01:00.000Z INFO  [updater] signature database is current (version 2024.05.03.1)\n"
        "2026-12-07T01:04:00.000Z ERROR [cloud] reputation lookup failed: connect to [host-3]:443 timed out\n", {"kind": "files"}),
    "service-logs/shield-status.txt": ("shield-status",
        "Acme Shield 4.2.1\nservice:      running (pid 4242)\nsignatures:   2024.05.03.1 (current)\ncloud lookup: ok\n"),
}, profile="acme-shield")
