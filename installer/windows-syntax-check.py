#!/usr/bin/env python3
"""Compiles every source of core/ and app/cli/ for Windows, syntax only.

No Windows machine and no Windows Qt are needed: mingw-w64 parses each file
against Debian's Qt 6 headers (Qt sets Q_OS_WIN from _WIN32) with the compile
definitions the Linux build uses, so the Windows branches of the code are at
least type-checked on every CI run. See docs/WINDOWS.md.

    installer/windows-syntax-check.py [BUILD_DIR [FILE...]]

BUILD_DIR (default build/ci) must be a configured build with
compile_commands.json; FILEs narrow the check down while fixing. Exits 1 and
prints the compiler's messages if any file fails.
"""

import json
import os
import shlex
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

COMPILER = "x86_64-w64-mingw32-g++-posix"
SOURCE_ROOTS = ("core", "app/cli")
# Files for another platform: folders named after it, or a _<platform> suffix.
OTHER_PLATFORM_DIRS = {"linux", "mac", "unix", "posix"}
OTHER_PLATFORM_SUFFIXES = ("_linux", "_mac", "_unix", "_posix")
# Third-party headers the sources include from /usr/include. They are linked into
# a private folder because adding all of /usr/include would bring glibc's headers
# in front of mingw's.
THIRD_PARTY_HEADERS = (
    "tl", "nlohmann", "spdlog", "fmt", "archive.h", "archive_entry.h",
    "sodium", "sodium.h", "zstd.h", "zstd_errors.h", "nettle",
)


def is_other_platform(relative: Path) -> bool:
    if OTHER_PLATFORM_DIRS.intersection(relative.parts[:-1]):
        return True
    return relative.stem.endswith(OTHER_PLATFORM_SUFFIXES)


def sources(source_dir: Path) -> list[Path]:
    found = []
    for root in SOURCE_ROOTS:
        for path in sorted((source_dir / root).rglob("*.cpp")):
            if not is_other_platform(path.relative_to(source_dir)):
                found.append(path)
    return found


def flags_of(command: list[str]) -> list[str]:
    """The definitions and include folders of a Linux compile command, for mingw."""
    kept = []
    args = iter(command[1:])
    for arg in args:
        if arg.startswith("-D") or arg.startswith("-I"):
            kept.append(arg if len(arg) > 2 else arg + next(args))
        elif arg == "-isystem":
            folder = next(args)
            # Qt's platform header for the target, not for the build machine.
            folder = folder.replace("/mkspecs/linux-g++", "/mkspecs/win32-g++")
            kept += ["-isystem", folder]
    return kept


def load_database(build_dir: Path) -> dict[Path, list[str]]:
    database = build_dir / "compile_commands.json"
    if not database.is_file():
        sys.exit(f"{database} not found: configure the build first (cmake --preset ci)")
    by_file = {}
    for entry in json.loads(database.read_text()):
        command = entry.get("arguments") or shlex.split(entry["command"])
        by_file[Path(entry["file"]).resolve()] = flags_of(command)
    return by_file


def flags_for(path: Path, source_dir: Path, by_file: dict[Path, list[str]]) -> list[str]:
    """The file's own flags, or those of its nearest neighbour in the build: a
    Windows-only file is not in the Linux build's database."""
    if path in by_file:
        return by_file[path]
    for folder in path.parents:
        if not folder.is_relative_to(source_dir):
            break
        neighbours = sorted(f for f in by_file if f.is_relative_to(folder))
        if neighbours:
            return by_file[neighbours[0]]
    sys.exit(f"no compile flags for {path}")


def main() -> int:
    source_dir = Path(__file__).resolve().parent.parent
    build_dir = Path(sys.argv[1] if len(sys.argv) > 1 else source_dir / "build/ci").resolve()
    only = {Path(name).resolve() for name in sys.argv[2:]}
    by_file = load_database(build_dir)

    with tempfile.TemporaryDirectory(prefix="dc-mingw-") as third_party:
        for name in THIRD_PARTY_HEADERS:
            target = Path("/usr/include") / name
            if not target.exists():
                sys.exit(f"{target} not found: run installer/dev.sh deps")
            os.symlink(target, Path(third_party) / name)

        def check(path: Path) -> tuple[Path, subprocess.CompletedProcess]:
            command = [COMPILER, "-fsyntax-only", "-std=c++20",
                       *flags_for(path, source_dir, by_file), "-isystem", third_party, str(path)]
            return path, subprocess.run(command, capture_output=True, text=True)

        files = [path for path in sources(source_dir) if not only or path in only]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(check, files))

    failed = [(path, result) for path, result in results if result.returncode != 0]
    for path, result in failed:
        print(f"FAILED {path.relative_to(source_dir)}\n{result.stderr}", file=sys.stderr)
    print(f"Windows syntax check: {len(files) - len(failed)} of {len(files)} files of "
          f"{' and '.join(SOURCE_ROOTS)} compile with {COMPILER}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
