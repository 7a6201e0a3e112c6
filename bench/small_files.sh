#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
#
# Many small files (issue 18, item 11): `diagcollect collect` of N small log
# files (five syslog-like lines each, a user and an address per line) with and
# without redaction, next to `tar | zstd` of the same folder in the same run.
# Prints wall time, CPU time, peak RSS and files per second, and checks the
# archive with `verify`.
#
#   bench/small_files.sh BINARY [FILES]          default FILES: 20000
#   DC_SMALL_DIR=/var/tmp/dc-small               where the files and runs go (reused)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary=$(realpath "${1:?usage: $0 BINARY [FILES]}")
files=${2:-20000}
work=${DC_SMALL_DIR:-/var/tmp/dc-small}
root=$work/acme-$files
jobs=$root/var/log/acme-shield/jobs

mkdir -p "$work"
if [[ ! -f $jobs/job-$((files - 1)).log ]]; then
    rm -rf "$root"
    cp -r tests/data/acme "$root"
    python3 - "$jobs" "$files" <<'EOF'
import os, random, sys
folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
rng = random.Random(20261207)
users = ["jdoe", "alice", "bob", "kim.lee", "svc_backup"]
for i in range(count):
    with open(f"{folder}/job-{i}.log", "w") as out:
        for j in range(5):
            out.write(f"2024-03-0{j + 1}T10:0{j}:22Z worker[{i}] user={rng.choice(users)} "
                      f"from 10.{i % 250}.{j}.{rng.randrange(1, 250)} ok task {i * 7 + j}\n")
EOF
fi
python3 - "$root" "$work/acme-$files.json" "$files" <<'EOF'
import json, sys
root, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
profile = json.load(open("docs/examples/acme-shield.json"))
profile["variables"]["ACME_ROOT"] = root
profile["limits"]["total_bytes"] = 8 * 1024**3
profile["limits"]["item_bytes"] = 4 * 1024**3
profile["product"]["logs"][0]["exclude"].append("jobs")
profile["items"].append({"id": "job-logs", "title": "Job logs", "kind": "files", "category": "service-logs",
                         "purpose": "One log per job of the product.", "dest": "product/jobs",
                         "paths": [root + "/var/log/acme-shield/jobs"], "max_files": count + 100,
                         "max_bytes": 1024**3})
json.dump(profile, open(out, "w"), indent=1)
EOF

measure() { # label, command...
    local label=$1 log
    shift
    log=$(mktemp)
    /usr/bin/time -v "$@" >"$log.out" 2>"$log" || { echo "$label: failed" >&2; tail -5 "$log" >&2; }
    local wall seconds user sys rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    seconds=$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<<"$wall")
    user=$(awk -F': ' '/User time/ {print $2}' "$log")
    sys=$(awk -F': ' '/System time/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$log")
    printf '| %s | %s | %.1f | %s | %.0f |\n' "$label" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" \
        "$rss" "$(awk -v n="$files" -v s="$seconds" 'BEGIN {print n / s}')"
    rm -f "$log" "$log.out"
}

echo "| run, $files files | wall | CPU s | peak RSS MiB | files/s |"
echo "| --- | ---: | ---: | ---: | ---: |"
for mode in --no-redact redacted; do
    rm -rf "$work/out" && mkdir -p "$work/out"
    args=(collect --profile "$work/acme-$files.json" --output "$work/out" --json --quiet)
    [[ $mode == --no-redact ]] && args+=(--no-redact)
    measure "collect $mode" "$binary" "${args[@]}"
    "$binary" verify "$work"/out/*.tar.zst >/dev/null && echo "|   verify: ok | | | | |"
done
measure "tar -c | zstd -3, the same folder" bash -c "tar -C '$jobs' -cf - . | zstd -3 -q -o '$work/out/ref.tar.zst' -f"
rm -rf "$work/out"
