#!/usr/bin/env bash
# Builds the Debian package from a configured build tree, then checks it the way a user and a
# packager would: lint-clean, installable with its dependencies, runnable, and removable
# without leftovers. Needs root (dpkg -i); skipped with a message otherwise.
#   installer/check-deb.sh [BUILD_DIR]     (default build/ci)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build/ci}

if [[ $(id -u) -ne 0 ]]; then
    echo "check-deb: skipped (installing a package needs root)" >&2
    exit 0
fi

(cd "$build_dir" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build_dir"/diagcollect_*.deb | head -n 1)
echo "check-deb: built $deb" >&2

# Lint: no errors allowed (warnings are printed for the record).
lintian --fail-on error --suppress-tags-from-file /dev/null "$deb"

# The installed desktop entry and metainfo must validate.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
desktop-file-validate "$work/root/usr/share/applications/diagcollect.desktop"
appstreamcli validate --no-net "$work/root/usr/share/metainfo/"*.metainfo.xml

was_installed=0
dpkg-query -W -f='${Status}' diagcollect 2>/dev/null | grep -q "ok installed" && was_installed=1
if ! dpkg -i "$deb" >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >/dev/null
fi
installed_files=$(dpkg -L diagcollect)

/usr/bin/diagcollect --version
mkdir -p "$work/home"
HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" /usr/bin/diagcollect collect --quiet --json \
    --output "$work/out" </dev/null >"$work/result.json"
archive=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["archive"])' "$work/result.json")
/usr/bin/diagcollect verify "$archive"
man -w diagcollect >/dev/null 2>&1 || [[ -f /usr/share/man/man1/diagcollect.1.gz ]]

if [[ $was_installed -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -qq diagcollect >/dev/null
    left=0
    while IFS= read -r path; do
        if [[ -f $path || -L $path ]]; then
            echo "check-deb: left behind after removal: $path" >&2
            left=1
        fi
    done <<<"$installed_files"
    [[ $left -eq 0 ]] || exit 1
fi
echo "check-deb: package installs, runs, validates and removes cleanly" >&2
