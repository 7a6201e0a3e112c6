#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
"""Fails when a translation catalog misses or has unfinished messages.

usage: check_translations.py LUPDATE TS_FILE INCLUDE_DIR SOURCE...

A copy of TS_FILE is updated from the sources with lupdate (so strings added to
the code since the catalog was last updated show up as unfinished), then every
current message must have a finished, non-empty translation (every plural form
for %n messages). Messages that vanished from the code are ignored.

The built-in profile's texts reach lupdate through core/profile/
profiletexts_catalogue.cpp, which must be current (tests/gui/profile_catalogue.py);
in a Japanese catalog, what profiles and redaction rules say, the reasons
collectors give and the run's errors (contexts ProfileTexts, RuleTexts,
ItemReasons and dc::core::CollectionJob) must be Japanese, not English copied
over (test_profiletexts checks the reasons real collectors write).
"""
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path


JAPANESE_CONTEXTS = ("ProfileTexts", "RuleTexts", "ItemReasons", "dc::core::CollectionJob")


def main() -> int:
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    lupdate, ts_file, include, sources = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4:]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / ts_file.name
        shutil.copyfile(ts_file, copy)
        run = subprocess.run([lupdate, "-silent", "-locations", "none", "-source-language", "en", "-I", include, *sources,
                              "-ts", str(copy)], capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout, run.stderr, file=sys.stderr)
            return 1
        root = ET.parse(copy).getroot()
    problems = []
    total = 0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import profile_catalogue  # noqa: E402 (beside this script)
    wanted = profile_catalogue.render(profile_catalogue.profile_texts(Path(include)))
    catalogue = Path(include) / profile_catalogue.CATALOGUE
    if not catalogue.exists() or catalogue.read_text(encoding="utf-8") != wanted:
        problems.append(f"{profile_catalogue.CATALOGUE} is out of date: run tests/gui/profile_catalogue.py")
    japanese = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")
    must_be_japanese = ts_file.name.endswith("_ja.ts")
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "missing"
            if kind in ("vanished", "obsolete"):
                continue
            total += 1
            source = message.findtext("source")
            if kind == "unfinished" or translation is None:
                problems.append(f"{name}: unfinished: {source!r}")
                continue
            if message.get("numerus") == "yes":
                forms = [form.text for form in translation.iter("numerusform")]
                if not forms or not all(forms):
                    problems.append(f"{name}: empty plural form: {source!r}")
            elif not (translation.text or "").strip():
                problems.append(f"{name}: empty translation: {source!r}")
            elif must_be_japanese and name in JAPANESE_CONTEXTS and not japanese.search(translation.text):
                problems.append(f"{name}: not Japanese: {translation.text!r}")
    for problem in problems:
        print(problem)
    print(f"{ts_file.name}: {total} messages, {len(problems)} missing or unfinished")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
