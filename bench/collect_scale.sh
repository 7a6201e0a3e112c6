#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
#
# The whole pipeline at real size: `diagcollect collect` with the Acme example
# profile and N x ~100 MB of dense mixed logs (bench/eval/gen_corpus.py, 22 real
# log formats, fresh values per file) in the product's log folder, redaction on.
# Prints wall time, CPU time and peak RSS per size, checks the archive with
# `verify`, and runs `sos clean` on the same files of the first size, same run.
#
#   bench/collect_scale.sh BINARY [FILES...]     default FILES: 1 4 10
#   DC_SCALE_DIR=/var/tmp/dc-scale               where corpora and runs go (reused)
#   DC_SCALE_SOS=0                               skip sos clean
#   DC_SCALE_SPLIT_MB=25                         cut each ~100 MB file into files of
#                                                this size at line ends (the issue's
#                                                measurements used 22 MB files)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary=$(realpath "${1:?usage: $0 BINARY [FILES...]}")
shift
sizes=("${@:-1 4 10}")
read -r -a sizes <<<"${sizes[*]}"
work=${DC_SCALE_DIR:-/var/tmp/dc-scale}
lines_per_file=1100000 # about 100 MB
mkdir -p "$work/pool"

# One corpus file per seed, generated once, two at a time.
max=0
for n in "${sizes[@]}"; do ((n > max)) && max=$n; done
for ((seed = 1; seed <= max; seed++)); do
    [[ -s $work/pool/eval-$seed.log ]] && continue
    (python3 bench/eval/gen_corpus.py --lines $lines_per_file --seed $seed --out "$work/gen-$seed" >/dev/null &&
        mv "$work/gen-$seed/corpus.log" "$work/pool/eval-$seed.log" && rm -rf "$work/gen-$seed") &
    if (((seed % 2) == 0)); then wait; fi
done
wait

measure() { # label, command...
    local label=$1 log
    shift
    log=$(mktemp)
    /usr/bin/time -v "$@" >"$log.out" 2>"$log" || { echo "$label: failed" >&2; tail -5 "$log" >&2; }
    local wall user sys rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    user=$(awk -F': ' '/User time/ {print $2}' "$log")
    sys=$(awk -F': ' '/System time/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$log")
    printf '| %s | %s | %.1f | %s |\n' "$label" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$rss"
    rm -f "$log"
}

echo "| run | wall | CPU s | peak RSS MiB |"
echo "| --- | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
    root="$work/acme-$n"
    rm -rf "$root" "$work/out-$n"
    cp -r tests/data/acme "$root"
    for ((seed = 1; seed <= n; seed++)); do
        if [[ ${DC_SCALE_SPLIT_MB:-0} != 0 ]]; then
            split -C "${DC_SCALE_SPLIT_MB}M" -d -a 3 --additional-suffix=.log "$work/pool/eval-$seed.log" \
                "$root/var/log/acme-shield/eval-$seed-"
        else
            ln "$work/pool/eval-$seed.log" "$root/var/log/acme-shield/eval-$seed.log" 2>/dev/null ||
                cp "$work/pool/eval-$seed.log" "$root/var/log/acme-shield/"
        fi
    done
    python3 - "$root" "$work/acme-$n.json" <<'EOF'
import json, sys
profile = json.load(open("docs/examples/acme-shield.json"))
profile["variables"]["ACME_ROOT"] = sys.argv[1]
profile["limits"]["total_bytes"] = 8 * 1024**3
profile["limits"]["item_bytes"] = 4 * 1024**3
json.dump(profile, open(sys.argv[2], "w"), indent=1)
EOF
    mb=$(du -sm --apparent-size "$root/var/log/acme-shield" | cut -f1)
    mkdir -p "$work/out-$n"
    measure "collect, $n file(s), $mb MB of logs" "$binary" collect --profile "$work/acme-$n.json" \
        --output "$work/out-$n" --json --quiet
    archive=$(ls "$work/out-$n"/*.tar.zst)
    "$binary" verify "$archive" >/dev/null && echo "|   verify: ok ($(du -m "$archive" | cut -f1) MB archive) | | | |"
    if [[ $n == "${sizes[0]}" && ${DC_SCALE_SOS:-1} != 0 ]] && command -v sos >/dev/null; then
        rm -rf "$work/sos" "$work/sos-tmp" && mkdir -p "$work/sos/sos_logs" "$work/sos-tmp"
        cp "$root"/var/log/acme-shield/eval-*.log "$work/sos/"
        measure "sos clean --batch, same $mb MB" sos clean --batch --tmp-dir "$work/sos-tmp" "$work/sos"
    fi
    rm -rf "$work/out-$n"
done
