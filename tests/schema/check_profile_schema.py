#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
"""Validates the shipped profiles (and the fixture machines of docs/ANALYSIS.md)
against resources/profile.schema.json.

Also checks that the schema rejects the mistakes the profile loader rejects
(unknown keys, a key of another kind, a bad category, an essential
full-log-only item), so schema and loader cannot drift apart silently.
Exits 77 (CTest: skipped) when python3-jsonschema is not installed.
"""
import copy
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipping", file=sys.stderr)
    sys.exit(77)

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
schema = json.loads((root / "resources/profile.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failures = []
profiles = {
    "resources/profiles/default.json": None,
    "docs/examples/acme-shield.json": None,
    "tests/data/analysis/broken-machine.json": None,
    "tests/data/analysis/clean-machine.json": None,
}
for relative in profiles:
    document = json.loads((root / relative).read_text())
    profiles[relative] = document
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        failures.append(f"{relative}: {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}")
    print(f"{relative}: {'valid' if not errors else f'{len(errors)} error(s)'}")

# Mistakes the loader rejects must be rejected by the schema too.
base = profiles["docs/examples/acme-shield.json"]
command_item = next(i for i in base["items"] if i["kind"] == "command")
probe_item = next(i for i in base["items"] if i["kind"] == "probe")


def mutated(change):
    document = copy.deepcopy(base)
    change(document)
    return document


bad = {
    "unknown top-level key": mutated(lambda d: d.update(extra=1)),
    "unknown item key": mutated(lambda d: d["items"][0].update(colour="red")),
    "argv on a probe": mutated(lambda d: d["items"].append(dict(probe_item, id="p2", argv=["x"]))),
    "paths on a command": mutated(lambda d: d["items"].append(dict(command_item, id="c2", paths=["/x"]))),
    "unknown category": mutated(lambda d: d["items"][0].update(category="misc")),
    "unknown probe": mutated(lambda d: d["items"].append(dict(probe_item, id="p3", probe="nope"))),
    "essential and full_logs_only": mutated(
        lambda d: d["items"][0].update(essential=True, full_logs_only=True)),
    "relative files path": mutated(lambda d: d["items"].append(
        {"id": "f", "kind": "files", "category": "tool", "purpose": "p", "paths": ["var/log"]})),
    "dest with ..": mutated(lambda d: d["items"][0].update(dest="../x")),
    "id not kebab-case": mutated(lambda d: d["items"][0].update(id="Shield_Status")),
    "zero timeout": mutated(lambda d: d["items"][0].update(timeout=0)),
    "format_version 2": mutated(lambda d: d.update(format_version=2)),
    "built-in variable redefined": mutated(lambda d: d["variables"].update(HOME="/x")),
    "unknown product key": mutated(lambda d: d["product"].update(services=[])),
    "product entry without platforms": mutated(lambda d: d["product"]["logs"].append({"path": "/x"})),
    "unknown platform": mutated(lambda d: d["items"][0].update(platforms=["beos"])),
    "upload over http": mutated(lambda d: d.update(upload={"url": "http://support.example/upload"})),
    "seal key that is not a key": mutated(lambda d: d.update(seal={"public_key": "not-a-key"})),
    "retention_days 0": mutated(lambda d: d.update(retention_days=0)),
    "full_logging with two methods": mutated(lambda d: d["product"]["full_logging"].update(
        commands={"raise": ["a"], "restore": ["b"]})),
    "full_logging format yaml": mutated(lambda d: d["product"]["full_logging"]["config"].update(format="yaml")),
    "full_logging max_minutes 0": mutated(lambda d: d["product"]["full_logging"].update(max_minutes=0)),
    "title by language without en": mutated(lambda d: d["items"][0].update(title={"ja": "状態"})),
    "purpose with a bad language key": mutated(lambda d: d["items"][0].update(purpose={"en": "p", "Japanese": "x"})),
    "empty Japanese purpose": mutated(lambda d: d["items"][0].update(purpose={"en": "p", "ja": " "})),
}
for name, document in bad.items():
    if validator.is_valid(document):
        failures.append(f"schema accepts a profile the loader rejects: {name}")

for failure in failures:
    print("FAIL:", failure, file=sys.stderr)
sys.exit(1 if failures else 0)
