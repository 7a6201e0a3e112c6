#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
#
# OUR second redaction corpus (bench/eval2, written blind): generate a labelled
# corpus of 40 real log formats, redact it with BINARY, score it.
#
#   bench/eval2/run.sh [BINARY] [--lines N] [--seed S] [--keep DIR] [--json FILE]
#
# BINARY defaults to build/h13/bin/diagcollect. Nothing is passed about the
# machine: its own host name and accounts (planted, flagged "machine") must be
# known to the engine itself.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/build/h13/bin/diagcollect
lines=100000
seed=4242
keep=
json=
while [ $# -gt 0 ]; do
    case $1 in
    --lines) lines=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    -h|--help) sed -n '5,12p' "$0"; exit 0 ;;
    *) bin=$1; shift ;;
    esac
done
[ -x "$bin" ] || { echo "run.sh: no executable $bin" >&2; exit 2; }
if [ -n "$keep" ]; then dir=$keep; mkdir -p "$dir"; else dir=$(mktemp -d /tmp/dc-eval2.XXXXXX); trap 'rm -rf "$dir"' EXIT; fi

python3 "$here/gen_corpus.py" --lines "$lines" --seed "$seed" --out "$dir/corpus"
start=$(date +%s.%N)
"$bin" redact --in "$dir/corpus/corpus.log" --out "$dir/redacted.log" >&2
end=$(date +%s.%N)
echo "redact: $(echo "$end - $start" | bc) s for $(wc -c <"$dir/corpus/corpus.log") bytes" >&2
if [ -n "$json" ]; then
    python3 "$here/../eval/score.py" --corpus "$dir/corpus" --redacted "$dir/redacted.log" --json "$json"
else
    python3 "$here/../eval/score.py" --corpus "$dir/corpus" --redacted "$dir/redacted.log" --shapes 40 \
        --label "OUR second corpus (bench/eval2, written blind by us, not the external judge)"
fi
