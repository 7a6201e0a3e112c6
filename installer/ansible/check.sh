#!/usr/bin/env bash
# CI check of the Ansible role: runs collect.yml against localhost
# (ansible_connection=local) with an already built diagcollect, install step
# skipped, then checks the fetched archive with `diagcollect verify`.
#   installer/ansible/check.sh [path/to/diagcollect]     (default: build/ci/bin/diagcollect)
# Needs Debian's `ansible` package. Collects the Acme example product from the
# source tree's fixture (read only) so it stays fast and the same everywhere.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
binary=$(realpath "${1:-$source_dir/build/ci/bin/diagcollect}")
[[ -x $binary ]] || { echo "check.sh: $binary is not an executable" >&2; exit 2; }
command -v ansible-playbook >/dev/null || { echo "check.sh: ansible-playbook is missing (apt install ansible)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ANSIBLE_LOCAL_TEMP=$work/ansible-local ANSIBLE_REMOTE_TEMP=$work/ansible-remote
export ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_NOCOLOR=1 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
export ANSIBLE_ROLES_PATH=$here/roles

# Variables as JSON: lists and maps keep their types.
cat > "$work/vars.json" <<JSON
{
  "diagcollect_install": false,
  "diagcollect_become": false,
  "diagcollect_binary": "$binary",
  "diagcollect_case_id": "CI-4242",
  "diagcollect_profile": "$source_dir/docs/examples/acme-shield.json",
  "diagcollect_defines": ["ACME_ROOT=$source_dir/tests/data/acme"],
  "diagcollect_output_dir": "$work/host-output",
  "diagcollect_fetch_dir": "$work/fetched",
  "diagcollect_environment": {
    "HOME": "$work/user",
    "XDG_CACHE_HOME": "$work/user/cache",
    "XDG_STATE_HOME": "$work/user/state",
    "XDG_DATA_HOME": "$work/user/data",
    "DIAGCOLLECT_STATE_DIR": "$work/user/full-logging"
  },
  "diagcollect_timeout": 300
}
JSON

ansible-playbook -i localhost, -c local "$here/collect.yml" -e "@$work/vars.json"

shopt -s nullglob
archives=("$work"/fetched/localhost/diagcollect-*-CI-4242-*.tar.zst)
[[ ${#archives[@]} -eq 1 ]] || { echo "check.sh: expected one fetched archive in $work/fetched/localhost" >&2; ls -laR "$work/fetched" >&2 || true; exit 1; }
"$binary" verify "${archives[0]}"
leftovers=("$work"/host-output/*.tar.zst)
[[ ${#leftovers[@]} -eq 0 ]] || { echo "check.sh: the archive was not removed from the host after fetching" >&2; exit 1; }
echo "ansible check: OK (${archives[0]##*/})"
