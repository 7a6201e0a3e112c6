#!/usr/bin/env bash
# Renders every page of the desktop wizard (and its dialogs), in English and in
# Japanese, on a fixture run under Xvfb (or Qt's offscreen platform without it):
# at 1024x700 into docs/screenshots/{en,ja}-N-page.png (the README's) and at the
# wizard's default size, 900x588, into docs/screenshots/900x588/.
# The run is a full-log round ("Support asked me for full logs"): the fixture
# product's engine.level goes to full in its temporary config and back.
# The Findings step is shot a second time on a machine with problems: the fixture
# machine tests/data/analysis/broken-machine.json (docs/ANALYSIS.md), a walk of its
# own that keeps only {en,ja}-3c-findings-machine.png.
#   docs/screenshots/render.sh [--machine-only] [path/to/diagcollect]
# --machine-only renders only the fixture machine's Findings shots.
# Needs: xvfb, xauth, fonts-noto-cjk (Japanese glyphs). Touches nothing in $HOME:
# every XDG directory points into a temporary folder.
# Run as root (where util-linux's unshare and setpriv exist), the wizard runs as
# an ordinary user, uid 4242 "alex" with HOME=/home/alex, on a private /home (a
# tmpfs in a mount namespace of this script only): the pages show the folders a
# user sees (a root run saves to root's own home, /root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
machine_only=
if [[ ${1:-} == --machine-only ]]; then
    machine_only=1
    shift
fi
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

# Its texts in both languages ("Texts in several languages" in docs/PROFILE.md); the titles it
# gives in English only ("Installed applications", "Crash reports") are the built-in catalogue's words.
profile=$work/profile.json
cat > "$profile" <<JSON
{
  "format_version": 1, "name": "screenshots",
  "description": {"en": "Fixture profile for the screenshots.", "ja": "スクリーンショット用のプロファイル。"},
  "variables": {"ROOT": "$root"},
  "product": {
    "name": "Shield",
    "full_logging": {
      "config": {"file": "\${ROOT}/etc/shield.conf", "format": "ini", "key": "engine.level", "full_value": "full"},
      "max_minutes": 60
    }
  },
  "items": [
    {"id": "shield-logs", "title": {"en": "Shield service logs", "ja": "Shield のサービスログ"}, "kind": "files", "category": "service-logs",
     "purpose": {"en": "What the Shield service recorded while the problem happened.", "ja": "問題が起きている間に Shield のサービスが記録した内容。"}, "essential": true,
     "paths": ["\${ROOT}/logs"], "estimate_bytes": 65536},
    {"id": "shield-config", "title": {"en": "Shield settings", "ja": "Shield の設定"}, "kind": "files", "category": "os-config",
     "purpose": {"en": "How the product is configured: scan levels, proxy, update source.", "ja": "製品の設定: スキャンのレベル、プロキシ、更新元。"},
     "paths": ["\${ROOT}/etc/shield.conf"], "dest": "shield", "estimate_bytes": 2048},
    {"id": "connections", "title": {"en": "Network connections", "ja": "ネットワーク接続"}, "kind": "command", "category": "os-config",
     "purpose": {"en": "Which servers the machine talks to, to find blocked update or licence traffic.", "ja": "このマシンが通信しているサーバー。更新やライセンスの通信が遮断されていないかを調べます。"},
     "argv": ["/bin/cat", "\${ROOT}/net.txt"], "estimate_bytes": 16384},
    {"id": "kernel", "title": {"en": "Kernel version", "ja": "カーネルのバージョン"}, "kind": "command", "category": "os-config",
     "purpose": {"en": "The exact kernel, because drivers depend on it.", "ja": "正確なカーネル。ドライバーはこれに依存します。"}, "essential": true,
     "argv": ["/bin/uname", "-a"], "estimate_bytes": 512},
    {"id": "slow-inventory", "title": "Installed applications", "kind": "command", "category": "os-config",
     "purpose": {"en": "Software that may conflict with the product.", "ja": "製品と競合するかもしれないソフトウェア。"}, "argv": ["/bin/sleep", "3"],
     "estimate_bytes": 131072},
    {"id": "system-journal", "title": {"en": "System journal (last 24 hours)", "ja": "システムジャーナル (過去 24 時間)"}, "kind": "files", "category": "system-logs",
     "purpose": {"en": "The operating system's recent messages, which often name the cause of a failure.", "ja": "オペレーティングシステムの最近のメッセージ。障害の原因が書かれていることがよくあります。"},
     "paths": ["\${ROOT}/logs/agent.log"], "dest": "journal", "estimate_bytes": 4194304},
    {"id": "missing-tool", "title": {"en": "Event history snapshot", "ja": "イベント履歴のスナップショット"}, "kind": "command", "category": "event-history",
     "purpose": {"en": "Recent system events, to line them up with the problem.", "ja": "最近のシステムイベント。問題と時刻を突き合わせます。"},
     "argv": ["no-such-event-tool"], "estimate_bytes": 1048576},
    {"id": "crash-reports", "title": "Crash reports", "kind": "files", "category": "crash-dumps",
     "purpose": {"en": "Reports of programs that crashed, so support can see where they failed.", "ja": "クラッシュしたプログラムのレポート。どこで失敗したかをサポートが確認できます。"},
     "paths": ["\${ROOT}/shield.dmp"], "redactable": false, "estimate_bytes": 8388608},
    {"id": "shield-debug-state", "title": {"en": "Shield engine internal state", "ja": "Shield エンジンの内部状態"}, "kind": "command",
     "category": "service-logs", "full_logs_only": true,
     "purpose": {"en": "Queues and driver attachments of the engine, needed only when chasing a problem with full logs.", "ja": "エンジンのキューとドライバーの接続状態。完全ログで問題を追うときだけ必要です。"},
     "argv": ["/bin/cat", "\${ROOT}/debug.txt"], "estimate_bytes": 512}
  ]
}
JSON

# The product's own analysis rules beside the profile (docs/ANALYSIS.md), so that
# the Findings page shows an error and warnings (with the built-in items-failed).
cat > "$work/profile.rules.json" <<'JSON'
{
  "format": "diagcollect-rules", "format_version": 1,
  "rules": [
    {"id": "shield-cloud-timeouts", "severity": "error", "title": "Cloud lookups time out",
     "explanation": "The engine's requests to the Shield cloud did not get an answer in time, so new threats are detected late.",
     "advice": "Check that this computer can reach the Shield cloud (firewall, proxy) and send this collection to support.",
     "url": "https://support.example.com/kb/cloud-timeouts",
     "translations": {"ja": {"title": "クラウドへの問い合わせがタイムアウトしています",
                             "explanation": "エンジンから Shield クラウドへの要求に時間内に応答がなかったため、新しい脅威の検出が遅れます。",
                             "advice": "このコンピューターから Shield クラウドに接続できるか (ファイアウォール、プロキシ) を確認し、この収集データをサポートに送ってください。"}},
     "when": [{"items": ["shield-debug-state"], "regex": "\\((\\d+) timed out\\)", "capture": 1, "compare": ">", "value": 0}]},
    {"id": "shield-updates-via-proxy", "severity": "warning", "title": "Updates go through a proxy",
     "explanation": "The service downloads its updates through a proxy; a proxy that blocks or inspects encrypted traffic makes updates fail.",
     "advice": "Make sure the proxy lets updates.example.net through without inspecting it.",
     "translations": {"ja": {"title": "更新がプロキシ経由で行われています",
                             "explanation": "サービスは更新をプロキシ経由でダウンロードしています。暗号化通信を遮断または検査するプロキシでは更新に失敗します。",
                             "advice": "プロキシが updates.example.net への通信を検査せずに通すことを確認してください。"}},
     "when": [{"items": ["shield-logs"], "regex": "update from \\S+ via proxy", "min_count": 3}]}
  ]
}
JSON

xvfb=
[[ $platform == xcb ]] && xvfb=1
as_user=
if [[ $(id -u) == 0 ]] && command -v unshare >/dev/null && command -v setpriv >/dev/null; then
    as_user=1
    chmod 755 "$work"
    chown -R 4242:4242 "$root" # the user's own product: full-log mode edits files their owner controls
fi

# render LANG SIZE DIR PROFILE: one tour into DIR.
render() {
    local lang=$1 size=$2 shots=$3 profile=$4 home
    mkdir -p "$shots"
    if [[ -n $as_user ]]; then
        home=/home/alex
        chown 4242:4242 "$shots"
    else
        home=$work/home-$lang-$size
        mkdir -p "$home/Desktop"
    fi
    local command=(env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$home" USER=alex LOGNAME=alex
                   XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state"
                   XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config"
                   DIAGCOLLECT_STATE_DIR="$home/.local/state/diagcollect"
                   QT_QPA_PLATFORM=$platform QT_SCALE_FACTOR=1
                   ${xvfb:+xvfb-run -a -s "-screen 0 1600x1200x24 -dpi 96"}
                   "$binary" --screenshot-tour "$shots" --lang "$lang" --profile "$profile" --case-id 12345
                   --window-size "$size")
    if [[ -n $as_user ]]; then
        unshare --mount --propagation private bash -c '
            set -e
            mount -t tmpfs -o mode=755 tmpfs /home
            mkdir -p /home/alex/Desktop
            chown -R 4242:4242 /home/alex
            exec setpriv --reuid=4242 --regid=4242 --clear-groups "$@"' render "${command[@]}"
    else
        "${command[@]}"
    fi
}

mkdir -p "$out/900x588"
if [[ -z $machine_only ]]; then
    for lang in en ja; do
        render "$lang" 1024x700 "$work/shots-$lang-1024" "$profile"
        cp "$work/shots-$lang-1024"/*.png "$out/"
        render "$lang" 900x588 "$work/shots-$lang-900" "$profile"
        cp "$work/shots-$lang-900"/*.png "$out/900x588/"
    done
fi
# The fixture machine with a failed unit, a full disk, an OOM kill and a crashed product.
machine=$(pwd)/tests/data/analysis/broken-machine.json
for lang in en ja; do
    render "$lang" 1024x700 "$work/machine-$lang-1024" "$machine"
    cp "$work/machine-$lang-1024/$lang-3b-findings.png" "$out/$lang-3c-findings-machine.png"
    render "$lang" 900x588 "$work/machine-$lang-900" "$machine"
    cp "$work/machine-$lang-900/$lang-3b-findings.png" "$out/900x588/$lang-3c-findings-machine.png"
done
ls -1 "$out"/*.png "$out"/900x588/*.png
