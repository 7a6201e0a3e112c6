#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
"""Validates the shipped analysis rules against resources/analysis/rules.schema.json.

Also checks that the schema rejects the mistakes the rules loader
(core/analysis/ruleset.cpp) rejects, so that schema and loader cannot drift
apart silently. Exits 77 (CTest: skipped) when python3-jsonschema is not installed.
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
schema = json.loads((root / "resources/analysis/rules.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failures = []
documents = {}
for relative in ("resources/analysis/builtin-rules.json", "docs/examples/acme-shield.rules.json"):
    document = json.loads((root / relative).read_text())
    documents[relative] = document
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        failures.append(f"{relative}: {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}")
    print(f"{relative}: {'valid' if not errors else f'{len(errors)} error(s)'}")

base = documents["resources/analysis/builtin-rules.json"]
lines_rule = next(i for i, r in enumerate(base["rules"]) if r["id"] == "disk-full")
field_rule = next(i for i, r in enumerate(base["rules"]) if r["id"] == "clock-not-synchronized")


def mutated(change):
    document = copy.deepcopy(base)
    change(document)
    return document


def condition(document, rule):
    return document["rules"][rule]["when"][0]


bad = {
    "unknown top-level key": mutated(lambda d: d.update(extra=1)),
    "format_version 2": mutated(lambda d: d.update(format_version=2)),
    "unknown rule key": mutated(lambda d: d["rules"][0].update(colour="red")),
    "unknown severity": mutated(lambda d: d["rules"][0].update(severity="fatal")),
    "id not kebab-case": mutated(lambda d: d["rules"][0].update(id="Disk_Full")),
    "missing advice": mutated(lambda d: d["rules"][0].pop("advice")),
    "url over http": mutated(lambda d: d["rules"][0].update(url="http://example.com")),
    "empty when": mutated(lambda d: d["rules"][0].update(when=[])),
    "unknown condition key": mutated(lambda d: condition(d, lines_rule).update(regexp="x")),
    "two tests": mutated(lambda d: condition(d, lines_rule).update(present=True)),
    "no test": mutated(lambda d: d["rules"][lines_rule].update(when=[{"items": ["df"]}])),
    "capture without compare": mutated(lambda d: [condition(d, lines_rule).pop(k) for k in ("compare", "value")]),
    "bad compare": mutated(lambda d: condition(d, lines_rule).update(compare="=>")),
    "group_by with max_count": mutated(lambda d: condition(d, lines_rule).update(max_count=0)),
    "field with two tests": mutated(lambda d: condition(d, field_rule).update(equals="no")),
    "field with capture": mutated(lambda d: condition(d, field_rule).update(capture=1)),
    "status unknown": mutated(lambda d: d["rules"][-1]["when"][0].update(status=["lost"])),
    "space with items": mutated(lambda d: d["rules"][4]["when"][0].update(items=["df"])),
    "space above 100": mutated(lambda d: d["rules"][4]["when"][0]["space"].update(used_percent_above=120)),
    "bad if_missing": mutated(lambda d: condition(d, lines_rule).update(if_missing="maybe")),
    "translation without advice": mutated(
        lambda d: d["rules"][0].update(translations={"ja": {"title": "t", "explanation": "e"}})),
    "negative min_count": mutated(lambda d: condition(d, lines_rule).update(min_count=-1)),
}
for name, document in bad.items():
    if validator.is_valid(document):
        failures.append(f"schema accepts rules the loader rejects: {name}")

for failure in failures:
    print("FAIL:", failure, file=sys.stderr)
sys.exit(1 if failures else 0)
