#!/usr/bin/env python3
"""Rewrites every named snippet of README.md and docs/*.md from its source region (the check is
DocSnippetsTest; this is the fix). Usage: python3 .ci/refresh-snippets.py"""
import glob
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = re.compile(r"(<!-- snippet: (\S+)#(\S+) -->\s*\n```\w*\n)(.*?)(```)", re.S)


def region(path, tag):
    lines = open(os.path.join(ROOT, path)).read().split("\n")
    start = end = None
    for i, line in enumerate(lines):
        t = line.strip()
        if t in ("// tag::%s[]" % tag, "<!-- tag::%s[] -->" % tag):
            start = i + 1
        if t in ("// end::%s[]" % tag, "<!-- end::%s[] -->" % tag):
            end = i
    body = lines[start:end]
    indent = min(len(l) - len(l.lstrip()) for l in body if l.strip())
    return "".join(("" if not l.strip() else l[indent:]) + "\n" for l in body)


for doc in [os.path.join(ROOT, "README.md")] + glob.glob(os.path.join(ROOT, "docs", "*.md")):
    text = open(doc).read()
    new = MARK.sub(lambda m: m.group(1) + region(m.group(2), m.group(3)) + m.group(5), text)
    if new != text:
        open(doc, "w").write(new)
        print("refreshed", os.path.relpath(doc, ROOT))
