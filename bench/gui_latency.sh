#!/usr/bin/env bash
# GUI benchmark (docs/BENCHMARKS.md, "GUI"):
#  1. launch to first painted window, N runs (--measure-startup): the wall time from
#     just before exec to the paint, and the time from main() to the paint;
#  2. the UI thread's longest stall while the wizard collects the default profile,
#     scans it for personal data, opens the review and packages it
#     (--measure-latency: a 10 ms timer measures how late the event loop runs).
#   bench/gui_latency.sh [path/to/diagcollect] [runs]
# Runs under Xvfb (xvfb, xauth) when there is no display; never touches $HOME.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary=${1:-build/release/bin/diagcollect}
runs=${2:-10}
[[ -x $binary ]] || { echo "usage: $0 path/to/diagcollect [runs]" >&2; exit 2; }
binary=$(realpath "$binary")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Desktop"
export HOME=$work XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/data \
    XDG_CONFIG_HOME=$work/config LANG=C.UTF-8

run() {
    if [[ -n ${DISPLAY:-} ]]; then "$@"; else xvfb-run -a -s "-screen 0 1600x1200x24" "$@"; fi
}

echo "startup ($runs runs): wall ms from exec, ms from main()" >&2
"$binary" --version >/dev/null # warm the page cache
for _ in $(seq "$runs"); do
    # A shell inside Xvfb takes the start time, so the X server's own start is not counted.
    run bash -c 'start=$(date +%s%3N); out=$("$0" --measure-startup); \
        echo "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d[\"epoch_ms\"]-$start, d[\"first_paint_ms\"])"' \
        "$binary"
done | sort -n | awk '{ wall[NR]=$1; main[NR]=$2 } END {
    printf "startup: median %d ms from exec (min %d, max %d); median %d ms from main()\n",
        wall[int((NR+1)/2)], wall[1], wall[NR], main[int((NR+1)/2)] }'

echo "latency during a collection of the default profile:" >&2
run "$binary" --measure-latency
