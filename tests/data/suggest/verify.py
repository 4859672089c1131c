#!/usr/bin/env python3
"""Check the suggester gold files in this directory.

Usage: python3 tests/data/suggest/verify.py [DIR]   (DIR defaults to this directory;
       python3 tests/data/suggest/verify.py tests/data/suggest/heldout checks the held-out set)

For every NAME.txt there must be a NAME.json (and vice versa). Checks: UTF-8, LF-only line
endings, JSON shape and key order, arrays sorted by start and non-overlapping, enum values,
`exact == text[start:end]` (offsets in Unicode scalar values, half-open), range figures have
value_high and others do not, quote spans are trimmed, do not cross a paragraph and start right
after an opening double quote mark. It also lists double quote marks that no gold quote uses,
so stray marks are visible.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent
FIG_KEYS = ["start", "end", "exact", "value_low", "value_high", "qualifier", "metric", "who", "source"]
QUOTE_KEYS = ["start", "end", "exact", "speaker"]
QUALIFIERS = {"exact", "about", "more_than", "at_least", "nearly", "up_to", "fewer_than", "range", "vague"}
METRICS = {"killed", "injured", "arrested", "detained", "missing", "displaced", "evacuated", "protesters", "other"}
# Guillemets («…») and low-high marks („…“) open quotes in Russian, Kazakh and Ukrainian.
OPEN = {'"', "\u201c", "\u00ab", "\u201e"}
CLOSE = {'"', "\u201d", "\u00bb", "\u201c"}


def check(txt_path):
    errors = []
    raw = txt_path.read_bytes()
    text = raw.decode("utf-8")
    if "\r" in text:
        errors.append("CR in text (must be LF only)")
    gold_raw = txt_path.with_suffix(".json").read_bytes()
    if b"\r" in gold_raw:
        errors.append("CR in json")
    gold = json.loads(gold_raw.decode("utf-8"))
    if list(gold.keys()) != ["figures", "quotes"]:
        errors.append(f"top-level keys {list(gold.keys())}")
    for kind, keys in (("figures", FIG_KEYS), ("quotes", QUOTE_KEYS)):
        items = gold.get(kind, [])
        prev_end = -1
        prev_start = -1
        for i, d in enumerate(items):
            where = f"{kind}[{i}]"
            if list(d.keys()) != keys:
                errors.append(f"{where}: keys {list(d.keys())}")
                continue
            s, e = d["start"], d["end"]
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                errors.append(f"{where}: bad offsets {s}..{e}")
                continue
            if text[s:e] != d["exact"]:
                errors.append(f"{where}: exact {d['exact']!r} != text {text[s:e]!r}")
            if s < prev_start:
                errors.append(f"{where}: not sorted by start")
            if s < prev_end:
                errors.append(f"{where}: overlaps previous entry")
            prev_start, prev_end = s, e
            if d["exact"] != d["exact"].strip():
                errors.append(f"{where}: span has surrounding whitespace")
            if kind == "figures":
                if not isinstance(d["value_low"], float):
                    errors.append(f"{where}: value_low not a float")
                if d["qualifier"] not in QUALIFIERS:
                    errors.append(f"{where}: qualifier {d['qualifier']!r}")
                if d["metric"] not in METRICS:
                    errors.append(f"{where}: metric {d['metric']!r}")
                if (d["qualifier"] == "range") != (d["value_high"] is not None):
                    errors.append(f"{where}: value_high must be set exactly for ranges")
                if d["value_high"] is not None and not (isinstance(d["value_high"], float) and d["value_high"] > d["value_low"]):
                    errors.append(f"{where}: bad value_high")
                if not d["who"]:
                    errors.append(f"{where}: empty who")
                if not isinstance(d["source"], str):
                    errors.append(f"{where}: source not a string")
            else:
                if "\n" in d["exact"]:
                    errors.append(f"{where}: quote crosses a line break")
                # Direct speech introduced by a dash ("— Мы ушли ночью, — сказала она.") is
                # a quote too, in Russian, Kazakh and Ukrainian.
                dash = s >= 2 and text[s - 1] == " " and text[s - 2] in "\u2014\u2013"
                if not dash and (s == 0 or text[s - 1] not in OPEN):
                    errors.append(f"{where}: not preceded by an opening double quote mark")
                if not isinstance(d["speaker"], str):
                    errors.append(f"{where}: speaker not a string")
    # informational: quote marks not used as a boundary of any gold quote
    used = set()
    for d in gold.get("quotes", []):
        used.add(d["start"] - 1)
        j = d["end"]
        while j < len(text) and text[j] == " ":
            j += 1
        if j < len(text) and text[j] in CLOSE | OPEN:
            used.add(j)  # closing mark, possibly after a space or written as an opening mark
    unused = [i for i, c in enumerate(text) if c in OPEN | CLOSE and i not in used]
    return errors, gold, unused, text


def main():
    txts = sorted(HERE.glob("*.txt"))
    jsons = sorted(HERE.glob("*.json"))
    bad = False
    if {p.stem for p in txts} != {p.stem for p in jsons}:
        print("txt/json mismatch:", {p.stem for p in txts} ^ {p.stem for p in jsons})
        bad = True
    for t in txts:
        if not t.with_suffix(".json").exists():
            continue
        errors, gold, unused, text = check(t)
        print(f"{t.name}: {len(gold['figures'])} figures, {len(gold['quotes'])} quotes"
              + ("" if not errors else f", {len(errors)} ERRORS"))
        for e in errors:
            print("   ERROR", e)
        for i in unused:
            print(f"   note: quote mark {text[i]!r} at {i} is not a gold quote boundary: "
                  f"{text[max(0, i - 30):i + 10]!r}")
        bad |= bool(errors)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
