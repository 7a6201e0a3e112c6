#!/usr/bin/env bash
# Sets up a Debian 12 / Ubuntu 22.04+ machine for Diagnostics Collector, builds it and runs it.
#   installer/dev.sh run    install what is missing, build (release), run a headless collection
#                           with the built-in default profile and print the archive's path
#   installer/dev.sh test   install what is missing, build and run the whole test suite, compile
#                           core/ and app/cli/ for Windows (syntax only, mingw-w64), run the
#                           suite again under AddressSanitizer + UndefinedBehaviorSanitizer,
#                           then fuzz the redaction engine for a bounded time (clang, libFuzzer)
#   installer/dev.sh deps   only install what is missing
# Idempotent: packages already installed are not touched; builds are incremental.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Build and test dependencies, all from the distribution's own archive.
packages=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libarchive-dev libzstd-dev nettle-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libexpected-dev
    zstd tar python3 python3-jsonschema
    iproute2 procps
    help2man desktop-file-utils appstream lintian dpkg-dev file
    ansible
    libsodium-dev nginx-light lighttpd lighttpd-mod-webdav lighttpd-mod-openssl openssl curl time
)
# The fuzz test (tests/fuzz) needs clang and its libFuzzer runtime; the Windows
# syntax check (docs/WINDOWS.md) needs mingw-w64's C++ compiler; the format check clang-format.
test_packages=(clang clang-format g++-mingw-w64-x86-64-posix)

install_missing() { # [extra packages...]
    local missing=()
    for package in "${packages[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    echo "installing: ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# libFuzzer ships with compiler-rt: libclang-rt-N-dev on Debian 12, inside
# libclang-common-N-dev on older Ubuntu releases.
install_fuzzer_runtime() {
    install_missing "${test_packages[@]}"
    local runtime
    runtime=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
    [[ -f $runtime ]] && return 0
    local major
    major=$(clang -dumpversion | cut -d. -f1)
    install_missing "libclang-rt-$major-dev"
}

build() { # preset
    cmake --preset "$1" >/dev/null
    cmake --build --preset "$1"
}

case "${1:-}" in
deps)
    install_missing
    ;;
run)
    install_missing
    build release
    ./build/release/bin/diagcollect collect
    ;;
test)
    install_missing
    build ci
    ctest --preset ci
    bash installer/ansible/check.sh build/ci/bin/diagcollect
    bash installer/check-deb.sh build/ci
    install_missing "${test_packages[@]}"
    python3 installer/windows-syntax-check.py build/ci
    # Every C++ source as .clang-format writes it.
    git ls-files -z '*.cpp' '*.h' | xargs -0 clang-format --dry-run --Werror
    build asan
    ctest --preset asan
    install_fuzzer_runtime
    build fuzz
    ctest --preset fuzz
    ;;
*)
    echo "usage: $0 run|test|deps" >&2
    exit 2
    ;;
esac
