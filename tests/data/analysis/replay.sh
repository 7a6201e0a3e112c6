#!/bin/sh
# Prints a file of the analysis fixtures (tests/data/analysis/broken, clean) as
# if it were written now: the fixtures' collection started at
# 2026-12-07T02:00:00Z, so every time stamp in the file is moved by the time
# from then to now. The fixture machines (broken-machine.json,
# clean-machine.json) run it for each item, so the rules that look at recent
# lines only ("within_minutes") see the planted lines as recent in a real
# collection, on any day.
#   replay.sh FILE
# Stamps moved: 2026-12-07T01:50:00 (ISO 8601; fraction and zone are kept),
# 2026-12-07 01:50:00, and coredumpctl's "Sun 2026-12-06 23:10:00" (the day's
# name too). All are read as UTC, as the fixtures write them.
set -eu
PATH=/usr/bin:/bin
export LC_ALL=C
[ $# -eq 1 ] && [ -r "$1" ] || { echo "usage: $0 FILE" >&2; exit 2; }
now=$(date -u +%s)
delta=$((now - $(date -u -d 2026-12-07T02:00:00Z +%s)))
stamp='([A-Z][a-z][a-z] )?[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}'
# Every distinct stamp becomes a marker first and the marker its new time, so
# a moved stamp that equals another one of the file is not moved twice.
first=
second=
n=0
for old in $(grep -oE "$stamp" "$1" | sort -u | tr ' ' '_'); do
    old=$(echo "$old" | tr '_' ' ')
    n=$((n + 1))
    case $old in
    [A-Z]*) format='%a %Y-%m-%d %H:%M:%S' when=${old#* } ;;
    *T*) format='%Y-%m-%dT%H:%M:%S' when=$old ;;
    *) format='%Y-%m-%d %H:%M:%S' when=$old ;;
    esac
    new=$(date -u -d "@$(($(date -u -d "$when UTC" +%s) + delta))" "+$format")
    first="$first;s/$old/@@$n@@/g"
    second="$second;s/@@$n@@/$new/g"
done
exec sed -E "${first#;}${second}" "$1"
