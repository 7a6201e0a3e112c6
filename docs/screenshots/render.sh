#!/usr/bin/env bash
# Renders every page of the desktop wizard (and its dialogs), in English and in
# Japanese, at 1024x700 on a fixture run under Xvfb (or Qt's offscreen platform
# without it), into docs/screenshots/{en,ja}-N-page.png.
# The run is a full-log round ("Support asked me for full logs"): the fixture
# product's engine.level goes to full in its temporary config and back.
#   docs/screenshots/render.sh [path/to/diagcollect]
# Needs: xvfb, xauth, fonts-noto-cjk (Japanese glyphs). Touches nothing in $HOME:
# every XDG directory points into a temporary folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
binary=${1:-}
if [[ -z $binary ]]; then
    for candidate in build/release/bin/diagcollect build/debug/bin/diagcollect build/gui/bin/diagcollect; do
        [[ -x $candidate ]] && binary=$candidate && break
    done
fi
[[ -x ${binary:-} ]] || { echo "usage: $0 path/to/diagcollect (build it first)" >&2; exit 2; }
# Under Xvfb when it is installed (the real xcb platform); else Qt's offscreen platform.
platform=xcb
command -v xvfb-run >/dev/null || { echo "xvfb-run missing: rendering offscreen" >&2; platform=offscreen; }
binary=$(realpath "$binary")
out=$(pwd)/docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A small product with logs that hold personal data, so the review has findings.
root=$work/product
mkdir -p "$root/logs" "$root/etc"
{
    for i in $(seq 1 400); do
        printf '2026-11-23T10:%02d:%02d.120Z shield[4242]: scan %d finished, 0 threats, 312 files\n' \
            $((i / 60 % 60)) $((i % 60)) "$i"
        ((i % 37 == 0)) && printf '2026-11-23T10:%02d:%02d.200Z shield[4242]: licence check for jane.roe@example.com from 203.0.113.%d\n' \
            $((i / 60 % 60)) $((i % 60)) $((i % 200))
        ((i % 53 == 0)) && printf '2026-11-23T10:%02d:%02d.300Z shield[4242]: update from https://updates.example.net/v2 via proxy 198.51.100.7:3128 user=jroe\n' \
            $((i / 60 % 60)) $((i % 60))
    done
} > "$root/logs/shield.log"
printf 'Nov 23 10:00:01 shield-agent[88]: started\nNov 23 10:00:02 shield-agent[88]: reporting to 192.0.2.10 as agent-7\n' \
    > "$root/logs/agent.log"
printf '[engine]\nlevel=normal\nproxy=http://jroe:s3cret@198.51.100.7:3128\n' > "$root/etc/shield.conf"
printf 'tcp  ESTAB 0 0 10.20.30.40:51234 203.0.113.9:443\nowner jane.roe@example.com\n' > "$root/net.txt"
printf 'engine queues: scan=0 cloud=3 (2 timed out)\ndriver: filter attached to 4 volumes\n' > "$root/debug.txt"
head -c 4096 /dev/urandom > "$root/shield.dmp"

profile=$work/profile.json
cat > "$profile" <<JSON
{
  "format_version": 1, "name": "screenshots",
  "description": "Fixture profile for the screenshots.",
  "variables": {"ROOT": "$root"},
  "product": {
    "name": "Shield",
    "full_logging": {
      "config": {"file": "\${ROOT}/etc/shield.conf", "format": "ini", "key": "engine.level", "full_value": "full"},
      "max_minutes": 60
    }
  },
  "items": [
    {"id": "shield-logs", "title": "Shield service logs", "kind": "files", "category": "service-logs",
     "purpose": "What the Shield service recorded while the problem happened.", "essential": true,
     "paths": ["\${ROOT}/logs"], "estimate_bytes": 65536},
    {"id": "shield-config", "title": "Shield settings", "kind": "files", "category": "os-config",
     "purpose": "How the product is configured: scan levels, proxy, update source.",
     "paths": ["\${ROOT}/etc/shield.conf"], "dest": "shield", "estimate_bytes": 2048},
    {"id": "connections", "title": "Network connections", "kind": "command", "category": "os-config",
     "purpose": "Which servers the machine talks to, to find blocked update or licence traffic.",
     "argv": ["/bin/cat", "\${ROOT}/net.txt"], "estimate_bytes": 16384},
    {"id": "kernel", "title": "Kernel version", "kind": "command", "category": "os-config",
     "purpose": "The exact kernel, because drivers depend on it.", "essential": true,
     "argv": ["/bin/uname", "-a"], "estimate_bytes": 512},
    {"id": "slow-inventory", "title": "Installed applications", "kind": "command", "category": "os-config",
     "purpose": "Software that may conflict with the product.", "argv": ["/bin/sleep", "3"],
     "estimate_bytes": 131072},
    {"id": "system-journal", "title": "System journal (last 24 hours)", "kind": "files", "category": "system-logs",
     "purpose": "The operating system's recent messages, which often name the cause of a failure.",
     "paths": ["\${ROOT}/logs/agent.log"], "dest": "journal", "estimate_bytes": 4194304},
    {"id": "missing-tool", "title": "Event history snapshot", "kind": "command", "category": "event-history",
     "purpose": "Recent system events, to line them up with the problem.",
     "argv": ["no-such-event-tool"], "estimate_bytes": 1048576},
    {"id": "crash-reports", "title": "Crash reports", "kind": "files", "category": "crash-dumps",
     "purpose": "Reports of programs that crashed, so support can see where they failed.",
     "paths": ["\${ROOT}/shield.dmp"], "redactable": false, "estimate_bytes": 8388608},
    {"id": "shield-debug-state", "title": "Shield engine internal state", "kind": "command",
     "category": "service-logs", "full_logs_only": true,
     "purpose": "Queues and driver attachments of the engine, needed only when chasing a problem with full logs.",
     "argv": ["/bin/cat", "\${ROOT}/debug.txt"], "estimate_bytes": 512}
  ]
}
JSON

xvfb=
[[ $platform == xcb ]] && xvfb=1
for lang in en ja; do
    home=$work/home-$lang
    mkdir -p "$home/Desktop"
    shots=$work/shots-$lang
    env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 \
        XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state" \
        XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
        DIAGCOLLECT_STATE_DIR="$home/state" \
        QT_QPA_PLATFORM=$platform QT_SCALE_FACTOR=1 \
        ${xvfb:+xvfb-run -a -s "-screen 0 1600x1200x24 -dpi 96"} \
        "$binary" --screenshot-tour "$shots" --lang "$lang" --profile "$profile" --case-id 12345
    for png in "$shots"/*.png; do
        cp "$png" "$out/$(basename "$png")"
    done
done
ls -1 "$out"/*.png
