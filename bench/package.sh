#!/usr/bin/env bash
# Packaging benchmark (see docs/BENCHMARKS.md, "Packaging").
#
# Generates SIZE_MIB MiB of log text in FILES files under WORK (not the repo),
# then times diagcollect's packager (bench_package: tar.zst with our libzstd
# stream, tar.zst with libarchive's zstd filter, zip) next to
# `tar -cf - | zstd -T0` and `tar --zstd` on the same files, RUNS times each,
# with /usr/bin/time -v for wall time and peak RSS.
#
#   bench/package.sh                      # 1 GiB, 200 files, level 3, 3 runs
#   SIZE_MIB=256 RUNS=1 bench/package.sh  # quicker
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build/archive-rel}
WORK=${WORK:-/tmp/dc-bench}
SIZE_MIB=${SIZE_MIB:-1024}
FILES=${FILES:-200}
LEVEL=${LEVEL:-3}
RUNS=${RUNS:-3}
DATA=$WORK/data-${SIZE_MIB}m-${FILES}
OUT=$WORK/out

for tool in /usr/bin/time tar zstd cmake ninja; do
    command -v "$tool" >/dev/null || { echo "package.sh: $tool is required" >&2; exit 2; }
done

if [[ -z ${SKIP_BUILD:-} ]]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD_DIR" -j2 --target bench_package bench_genlogs >/dev/null
fi
BENCH=$BUILD_DIR/bench/bench_package
GEN=$BUILD_DIR/bench/bench_genlogs

if [[ ! -f $DATA/.complete ]]; then
    echo "Generating $SIZE_MIB MiB in $FILES files under $DATA ..." >&2
    rm -rf "$DATA"
    mkdir -p "$DATA"
    "$GEN" "$DATA" "$SIZE_MIB" "$FILES"
    touch "$DATA/.complete"
fi
INPUT_BYTES=$(find "$DATA" -type f ! -name .complete -printf '%s\n' | awk '{ s += $1 } END { print s }')
# Warm the page cache so every tool reads from memory alike.
find "$DATA" -type f -exec cat {} + >/dev/null

mkdir -p "$OUT"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RESULTS=$WORK/results.md
: >"$RESULTS"

# seconds from /usr/bin/time's "h:mm:ss" or "m:ss.ss"
wall_seconds() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}
cpu_seconds() {
    awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { print s }' "$1"
}
peak_kib() {
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"
}

# Each command: KEY, a label, the archive it writes, the command line.
KEYS=(ours ours-la cli tar-zstd zip)
declare -A NAME OUTPUT COMMAND
NAME[ours]="bench_package tar.zst (libzstd, -T0)"
NAME[ours-la]="bench_package tar.zst (libarchive filter)"
NAME[cli]="tar -cf - | zstd -$LEVEL -T0"
NAME[tar-zstd]="tar --zstd"
NAME[zip]="bench_package zip (deflate)"
for key in "${KEYS[@]}"; do OUTPUT[$key]=$OUT/$key.out; done
COMMAND[ours]="'$BENCH' --format tar.zst --level $LEVEL --threads 0 '$DATA' '${OUTPUT[ours]}'"
COMMAND[ours-la]="'$BENCH' --format tar.zst --level $LEVEL --threads 0 --engine libarchive '$DATA' '${OUTPUT[ours-la]}'"
COMMAND[cli]="tar -cf - -C '$DATA' . | zstd -$LEVEL -T0 -q -c >'${OUTPUT[cli]}'"
COMMAND[tar-zstd]="tar --zstd -cf '${OUTPUT[tar-zstd]}' -C '$DATA' ."
COMMAND[zip]="'$BENCH' --format zip '$DATA' '${OUTPUT[zip]}'"

# One timed run; appends "wall cpu peak_kib bytes" to OUT/KEY.runs.
run_once() {
    local key=$1
    rm -f "${OUTPUT[$key]}" "$OUT"/.*.partial
    /usr/bin/time -v -o "$OUT/time.txt" bash -c "${COMMAND[$key]}" >/dev/null 2>"$OUT/stderr.txt" || {
        echo "package.sh: '${NAME[$key]}' failed:" >&2
        cat "$OUT/stderr.txt" >&2
        exit 1
    }
    echo "$(wall_seconds "$OUT/time.txt") $(cpu_seconds "$OUT/time.txt") $(peak_kib "$OUT/time.txt")" \
        "$(stat -c %s "${OUTPUT[$key]}")" >>"$OUT/$key.runs"
    rm -f "${OUTPUT[$key]}"
}

# Median and best wall time, median CPU time, highest peak RSS.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
summarize() {
    local key=$1 runs=$OUT/$1.runs
    local wall best cpu rss bytes
    wall=$(cut -d' ' -f1 "$runs" | median)
    best=$(cut -d' ' -f1 "$runs" | sort -g | head -1)
    cpu=$(cut -d' ' -f2 "$runs" | median)
    rss=$(cut -d' ' -f3 "$runs" | sort -g | tail -1)
    bytes=$(cut -d' ' -f4 "$runs" | tail -1)
    echo "$wall $best $cpu" >"$OUT/$key.time"
    awk -v name="${NAME[$key]}" -v m="$wall" -v b="$best" -v c="$cpu" -v rss="$rss" -v in_b="$INPUT_BYTES" \
        -v out_b="$bytes" 'BEGIN {
        printf "| %-42s | %6.2f | %6.2f | %7.1f | %6.2f | %6.1f | %5.2f |\n", name, m, b, in_b / 1048576 / m, c,
            rss / 1024, in_b / out_b
    }' | tee -a "$RESULTS"
}

for key in "${KEYS[@]}"; do rm -f "$OUT/$key.runs"; done
# Interleaved, so that load from other processes hits every command alike.
for ((run = 1; run <= RUNS; run++)); do
    for key in "${KEYS[@]}"; do
        run_once "$key"
    done
    echo "run $run of $RUNS done" >&2
done

{
    echo "input: $INPUT_BYTES bytes in $FILES files ($DATA); zstd level $LEVEL; $RUNS runs each, interleaved"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM," \
        "load average before: $LOAD_BEFORE;" \
        "zstd $(zstd --version | grep -o 'v[0-9.]*' | head -1), $(tar --version | head -1)"
    echo
    echo "| command                                    | wall s median | wall s best | MiB/s (median) | CPU s | peak RSS MiB | ratio |"
    echo "|--------------------------------------------|-------:|-------:|--------:|-------:|-------:|------:|"
} | tee -a "$RESULTS"
for key in "${KEYS[@]}"; do summarize "$key"; done

compare() { # NAME KEY: our time over the zstd command line's
    read -r a_med a_best a_cpu <"$OUT/$2.time"
    read -r b_med b_best b_cpu <"$OUT/cli.time"
    awk -v n="$1" -v am="$a_med" -v ab="$a_best" -v ac="$a_cpu" -v bm="$b_med" -v bb="$b_best" -v bc="$b_cpu" 'BEGIN {
        printf "%s / (tar | zstd -%s -T0): wall %.2fx (median), %.2fx (best); CPU %.2fx (target: wall <= 1.30x)\n",
            n, '"$LEVEL"', am / bm, ab / bb, ac / bc }' | tee -a "$RESULTS"
}
echo | tee -a "$RESULTS"
compare "bench_package tar.zst (libzstd)" ours
compare "bench_package tar.zst (libarchive filter)" ours-la

# The archive is a real one: verify it (not timed against anything).
rm -f "$OUT/verify.tar.zst"
"$BENCH" --verify --format tar.zst "$DATA" "$OUT/verify.tar.zst" | tail -1 | tee -a "$RESULTS"
rm -f "$OUT/verify.tar.zst"
echo "results: $RESULTS" >&2
