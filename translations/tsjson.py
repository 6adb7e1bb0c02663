#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Moves UI translations between Qt Linguist .ts files and plain JSON, and checks them.

  tsjson.py export LANG OUT.json [CONTEXT...]   unfinished (or all with --all) messages as
                                                {context: {source: translation}}
  tsjson.py check LANG IN.json                  placeholders, mnemonics, markup of IN.json
  tsjson.py apply LANG IN.json...               writes the translations into quantlab_LANG.ts

The .ts files sit next to this script. After `apply`, run lupdate once (cmake --build BUILD
--target update_translations) so the file is in lupdate's own layout again.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent


def ts_path(lang):
    return HERE / f"quantlab_{lang}.ts"


def messages(root):
    for ctx in root.findall("context"):
        name = ctx.find("name").text
        for m in ctx.findall("message"):
            yield name, m


def placeholders(s):
    return sorted(re.findall(r"%L?\d", s))


def mnemonics(s):
    # '&&' is a literal ampersand; '&x' marks the keyboard mnemonic; '&amp;'-style entities
    # and HTML entities (&nbsp; &lt;) are not mnemonics.
    t = s.replace("&&", "")
    t = re.sub(r"&[a-zA-Z]+;|&#\d+;", "", t)
    return len(re.findall(r"&\S", t))


def tags(s):
    return sorted(re.findall(r"</?[a-zA-Z][a-zA-Z0-9]*", s))


def problems(source, translation):
    out = []
    if not translation.strip():
        out.append("empty translation")
        return out
    if placeholders(source) != placeholders(translation):
        out.append(f"placeholders {placeholders(source)} vs {placeholders(translation)}")
    if mnemonics(source) != mnemonics(translation):
        out.append(f"{mnemonics(source)} mnemonic(s) '&' in the source, "
                   f"{mnemonics(translation)} in the translation")
    if tags(source) != tags(translation):
        out.append("HTML tags differ")
    if source != source.strip() and (source[:1].isspace() != translation[:1].isspace() or
                                     source[-1:].isspace() != translation[-1:].isspace()):
        out.append("leading/trailing white space differs")
    if source.endswith("…") != translation.endswith("…"):
        out.append("ellipsis '…' at the end differs")
    return out


def cmd_export(lang, out, contexts, everything):
    root = ET.parse(ts_path(lang)).getroot()
    data = {}
    for ctx, m in messages(root):
        if contexts and ctx not in contexts:
            continue
        tr = m.find("translation")
        unfinished = tr is None or tr.get("type") == "unfinished" or not (tr.text or "")
        if everything or unfinished:
            data.setdefault(ctx, {})[m.find("source").text] = "" if unfinished else tr.text
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{sum(len(v) for v in data.values())} messages in {len(data)} contexts -> {out}")


def load_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def cmd_check(lang, path):
    root = ET.parse(ts_path(lang)).getroot()
    known = {(c, m.find("source").text) for c, m in messages(root)}
    bad = 0
    for ctx, entries in load_json(path).items():
        for source, translation in entries.items():
            issues = [] if (ctx, source) in known else ["no such message in the .ts file"]
            issues += problems(source, translation)
            for p in issues:
                bad += 1
                print(f"{ctx}: {source[:60]!r}: {p}")
    print(f"{bad} problem(s)")
    return 1 if bad else 0


def cmd_apply(lang, paths):
    tree = ET.parse(ts_path(lang))
    root = tree.getroot()
    merged = {}
    for p in paths:
        for ctx, entries in load_json(p).items():
            for source, translation in entries.items():
                merged[(ctx, source)] = translation
    applied = 0
    for ctx, m in messages(root):
        t = merged.get((ctx, m.find("source").text))
        if not t or problems(m.find("source").text, t):
            continue
        tr = m.find("translation")
        if tr is None:
            tr = ET.SubElement(m, "translation")
        tr.text = t
        tr.attrib.pop("type", None)
        applied += 1
    body = ET.tostring(root, encoding="unicode")
    ts_path(lang).write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body +
                             "\n", encoding="utf-8")
    print(f"{applied} translation(s) applied to {ts_path(lang).name}")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd, lang = argv[1], argv[2]
    if cmd == "export":
        args = [a for a in argv[4:] if a != "--all"]
        cmd_export(lang, argv[3], set(args), "--all" in argv[4:])
        return 0
    if cmd == "check":
        return cmd_check(lang, argv[3])
    if cmd == "apply":
        cmd_apply(lang, argv[3:])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
