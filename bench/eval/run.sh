#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
#
# OUR held-out-style redaction evaluation (bench/eval): generate a labelled
# corpus of real log formats, redact it with BINARY, score it.
#
#   bench/eval/run.sh [BINARY] [--lines N] [--seed S] [--keep DIR] [--json FILE]
#
# BINARY defaults to build/ci/bin/diagcollect. The machine's own names from
# context.json are passed to the engine as keywords (redact --rules), since the
# engine otherwise learns them only from the real machine (MachineContext).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/build/ci/bin/diagcollect
lines=200000
seed=20240303
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
[ -x "$bin" ] || { echo "run.sh: no executable $bin (build it: cmake --build build/ci --target diagcollect)" >&2; exit 2; }

if [ -n "$keep" ]; then dir=$keep; mkdir -p "$dir"; else dir=$(mktemp -d /tmp/dc-eval.XXXXXX); trap 'rm -rf "$dir"' EXIT; fi

python3 "$here/gen_corpus.py" --lines "$lines" --seed "$seed" --out "$dir/corpus"

# Learn the CLI's syntax instead of assuming it.
help=$("$bin" redact --help 2>&1 || true)
case $help in
*--in*) set -- --in "$dir/corpus/corpus.log" --out "$dir/redacted.log" ;;
*--output*) set -- "$dir/corpus/corpus.log" --output "$dir/redacted.log" ;;
*) echo "run.sh: cannot tell the redact syntax from:" >&2; echo "$help" >&2; exit 2 ;;
esac
case $help in
*--rules*)
    python3 - "$dir/corpus/context.json" "$dir/rules.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["machine"]
json.dump({"keywords": [m["host"], m["domain"], m["account"]]}, open(sys.argv[2], "w"))
EOF
    set -- "$@" --rules "$dir/rules.json"
    echo "machine names passed as keywords: $(cat "$dir/rules.json")" >&2 ;;
*) echo "machine names not passed (no --rules option): informational only" >&2 ;;
esac

start=$(date +%s.%N)
"$bin" redact "$@" >&2
end=$(date +%s.%N)
echo "redact: $(echo "$end - $start" | bc) s for $(wc -c <"$dir/corpus/corpus.log") bytes" >&2

if [ -n "$json" ]; then
    python3 "$here/score.py" --corpus "$dir/corpus" --redacted "$dir/redacted.log" --json "$json"
else
    python3 "$here/score.py" --corpus "$dir/corpus" --redacted "$dir/redacted.log"
fi
