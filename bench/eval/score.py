#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: Diagnostics Collector authors
"""Score a redacted copy of an evaluation corpus written by gen_corpus.py.

Alignment: the redacted line is split into literal text and pseudonym tokens
(`[kind-N]`); the original line must match the literal pieces in order, each
token standing for one or more original bytes (a regular expression with a
lazy group per token, i.e. leftmost attribution). An original byte is "kept"
when it is matched by literal text. When a line cannot be explained by token
substitution alone (the engine changed text in another way), difflib's
SequenceMatcher decides which bytes survive.

A planted value counts as removed when the longest run of its bytes kept in
place is shorter than T = min(len, 8, max(4, ceil(len/2))). The criterion is
per place: the same user in a sudo field and in PWD=/home/u/ are two spans,
each scored where it stands.
A decoy counts as changed when any of its bytes is not kept. "Other
characters changed" = bytes outside all planted spans that are not kept,
divided by all bytes outside planted spans (decoys included).
"""

import argparse
import collections
import difflib
import json
import math
import os
import re
import sys

TOKEN = re.compile(rb"\[[a-z][a-z0-9]*(?:-[a-z0-9]+)*-[0-9]+\]")


def kept_mask(orig, red):
    """bytearray, 1 for every byte of orig that survives in red at its place."""
    if orig == red:
        return bytearray(b"\x01") * len(orig), "same"
    toks = list(TOKEN.finditer(red))
    if toks:
        pieces, last = [], 0
        for m in toks:
            pieces.append(red[last:m.start()])
            last = m.end()
        pieces.append(red[last:])
        # cheap necessary condition first (avoids hopeless backtracking)
        ok, pos = orig.startswith(pieces[0]) and orig.endswith(pieces[-1]), len(pieces[0])
        for p in pieces[1:-1]:
            if not ok:
                break
            i = orig.find(p, pos + 1)
            ok, pos = i >= 0, i + len(p)
        if ok:
            rx = re.compile(b"(.+?)".join(re.escape(p) for p in pieces), re.S)
            m = rx.fullmatch(orig)
            if m:
                mask = bytearray(b"\x01") * len(orig)
                for g, t in enumerate(toks, 1):
                    a, b = m.span(g)
                    if orig[a:b] != t.group(0):  # text that merely looks like a token stays
                        mask[a:b] = bytes(b - a)
                return mask, "tokens"
    mask = bytearray(len(orig))
    sm = difflib.SequenceMatcher(None, orig, red, autojunk=False)
    for a, _, n in sm.get_matching_blocks():
        mask[a:a + n] = b"\x01" * n
    return mask, "difflib"


def longest_run(mask, a, b):
    best = cur = 0
    for i in range(a, b):
        if mask[i]:
            cur += 1
            best = max(best, cur)
        else:
            cur = 0
    return best


def score(corpus_dir, redacted_path, examples=3):
    orig_lines = open(os.path.join(corpus_dir, "corpus.log"), "rb").read().split(b"\n")
    red_lines = open(redacted_path, "rb").read().split(b"\n")
    if orig_lines and orig_lines[-1] == b"":
        orig_lines.pop()
    if red_lines and red_lines[-1] == b"":
        red_lines.pop()
    if len(orig_lines) != len(red_lines):
        sys.exit("line count differs: %d original, %d redacted" % (len(orig_lines), len(red_lines)))

    per_type = collections.defaultdict(lambda: [0, 0])      # type -> [planted, removed]
    per_shape = collections.defaultdict(lambda: [0, 0])     # (type, shape) -> [planted, removed]
    per_format = collections.defaultdict(lambda: [0, 0])
    machine = collections.defaultdict(lambda: [0, 0])
    missed_ex = collections.defaultdict(list)
    decoys = collections.defaultdict(lambda: [0, 0])        # kind -> [count, changed]
    decoy_ex = collections.defaultdict(list)
    other_total = other_changed = 0
    how = collections.Counter()
    fmt_other = collections.defaultdict(lambda: [0, 0])      # format -> [bytes outside spans, changed]
    other_runs = collections.Counter()                       # changed text outside spans -> times
    other_ex = {}

    with open(os.path.join(corpus_dir, "labels.jsonl")) as labels:
        for rec in labels:
            rec = json.loads(rec)
            i = rec["line"]
            o, r = orig_lines[i], red_lines[i]
            mask, method = kept_mask(o, r)
            how[method] += 1
            inside = bytearray(len(o))
            for s in rec["spans"]:
                a, b = s["start"], s["end"]
                inside[a:b] = b"\x01" * (b - a)
                val = o[a:b]
                n = b - a
                t = min(n, 8, max(4, math.ceil(n / 2)))
                removed = longest_run(mask, a, b) < t
                key = s["type"]
                for d in (per_type[key], per_shape[(key, s["shape"])], per_format[rec.get("format", "?")]):
                    d[0] += 1
                    d[1] += removed
                if s.get("machine"):
                    mk = "machine " + {"hostname": "host", "user": "account"}.get(key, key)
                    machine[mk][0] += 1
                    machine[mk][1] += removed
                if not removed and len(missed_ex[(key, s["shape"])]) < examples:
                    missed_ex[(key, s["shape"])].append((o.decode("utf-8", "replace"), r.decode("utf-8", "replace"), val.decode("utf-8", "replace")))
            for d in rec["decoys"]:
                a, b = d["start"], d["end"]
                changed = 0 in mask[a:b]
                decoys[d["kind"]][0] += 1
                decoys[d["kind"]][1] += changed
                if changed and len(decoy_ex[d["kind"]]) < examples:
                    decoy_ex[d["kind"]].append((o.decode("utf-8", "replace"), r.decode("utf-8", "replace"), o[a:b].decode("utf-8", "replace")))
            outside = len(o) - sum(inside)
            other_total += outside
            fmt = rec.get("format", "?")
            fmt_other[fmt][0] += outside
            if method != "same":
                run_start = -1
                for k in range(len(o) + 1):
                    hit = k < len(o) and not inside[k] and not mask[k]
                    if hit:
                        other_changed += 1
                        fmt_other[fmt][1] += 1
                        if run_start < 0:
                            run_start = k
                    elif run_start >= 0:
                        text = o[run_start:k].decode("utf-8", "replace")
                        other_runs[text] += 1
                        if text not in other_ex:
                            other_ex[text] = (o.decode("utf-8", "replace"), r.decode("utf-8", "replace"))
                        run_start = -1

    types = sorted(per_type)
    recall = {t: per_type[t][1] / per_type[t][0] for t in types}
    planted = sum(v[0] for v in per_type.values())
    result = {
        "corpus": corpus_dir, "redacted": redacted_path, "lines": len(orig_lines),
        "types": {t: {"planted": per_type[t][0], "removed": per_type[t][1], "recall": recall[t]} for t in types},
        "macro_recall": sum(recall.values()) / len(recall) if recall else 0.0,
        "micro_recall": sum(v[1] for v in per_type.values()) / planted if planted else 0.0,
        "machine": {k: {"planted": v[0], "removed": v[1], "recall": v[1] / v[0]} for k, v in sorted(machine.items())},
        "other_chars": {"total": other_total, "changed": other_changed,
                        "share": other_changed / other_total if other_total else 0.0,
                        "per_format": {k: {"total": v[0], "changed": v[1], "share": v[1] / v[0] if v[0] else 0.0}
                                       for k, v in sorted(fmt_other.items())},
                        "top_changed": [{"text": t, "times": c, "bytes": c * len(t.encode()), "original": other_ex[t][0],
                                         "redacted": other_ex[t][1]}
                                        for t, c in sorted(other_runs.items(), key=lambda kv: -kv[1] * len(kv[0].encode()))[:30]]},
        "decoys": {k: {"count": v[0], "changed": v[1], "share": v[1] / v[0]} for k, v in sorted(decoys.items())},
        "shapes": [{"type": k[0], "shape": k[1], "planted": v[0], "removed": v[1], "missed": v[0] - v[1],
                    "recall": v[1] / v[0], "examples": [{"original": e[0], "redacted": e[1], "value": e[2]} for e in missed_ex.get(k, [])]}
                   for k, v in sorted(per_shape.items(), key=lambda kv: -(kv[1][0] - kv[1][1]))],
        "formats": {k: {"planted": v[0], "removed": v[1], "recall": v[1] / v[0] if v[0] else 1.0} for k, v in sorted(per_format.items())},
        "decoy_examples": {k: [{"original": e[0], "redacted": e[1], "value": e[2]} for e in v] for k, v in decoy_ex.items()},
        "alignment": dict(how),
    }
    return result


DEFAULT_LABEL = "OUR held-out-style corpus (bench/eval, written by us, not the external judge)"


def print_table(res, shapes=15, label=DEFAULT_LABEL):
    out = sys.stdout
    out.write("%s: %s, %d lines\n\n" % (label, res["corpus"], res["lines"]))
    out.write("| type | planted | removed | recall |\n| --- | ---: | ---: | ---: |\n")
    for t, v in res["types"].items():
        out.write("| %s | %d | %d | %.3f |\n" % (t, v["planted"], v["removed"], v["recall"]))
    out.write("| **macro** | | | **%.3f** |\n| micro | | | %.3f |\n" % (res["macro_recall"], res["micro_recall"]))
    for k, v in res["machine"].items():
        out.write("| %s (own names) | %d | %d | %.3f |\n" % (k, v["planted"], v["removed"], v["recall"]))
    oc = res["other_chars"]
    out.write("\nOther characters changed: %d of %d = %.3f %%\n" % (oc["changed"], oc["total"], 100 * oc["share"]))
    out.write("Largest over-redactions outside labels (text, times): %s\n"
              % "; ".join("'%s' x%d" % (e["text"], e["times"]) for e in oc["top_changed"][:8]))
    out.write("\n| decoy kind | count | changed | share |\n| --- | ---: | ---: | ---: |\n")
    for k, v in sorted(res["decoys"].items(), key=lambda kv: -kv[1]["changed"]):
        out.write("| %s | %d | %d | %.1f %% |\n" % (k, v["count"], v["changed"], 100 * v["share"]))
    out.write("\nMost missed shapes:\n\n| type | shape | planted | missed | recall |\n| --- | --- | ---: | ---: | ---: |\n")
    for s in res["shapes"][:shapes]:
        if s["missed"] == 0:
            break
        out.write("| %s | %s | %d | %d | %.3f |\n" % (s["type"], s["shape"].replace("|", "\\|"), s["planted"], s["missed"], s["recall"]))
    out.write("\nAlignment: %s\n" % ", ".join("%s %d" % kv for kv in sorted(res["alignment"].items())))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="directory written by gen_corpus.py")
    ap.add_argument("--redacted", required=True, help="the engine's output for DIR/corpus.log")
    ap.add_argument("--json", nargs="?", const="-", metavar="FILE", help="write JSON (to stdout, or FILE)")
    ap.add_argument("--shapes", type=int, default=15, help="missed shapes to list in the table")
    ap.add_argument("--examples", type=int, default=3, help="examples kept per missed shape / changed decoy kind")
    ap.add_argument("--label", default=DEFAULT_LABEL, help="what the table says the corpus is (bench/eval2 passes its own)")
    a = ap.parse_args()
    res = score(a.corpus, a.redacted, a.examples)
    if a.json == "-":
        json.dump(res, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1, ensure_ascii=False)
    print_table(res, a.shapes, a.label)


if __name__ == "__main__":
    main()
