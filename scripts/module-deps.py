#!/usr/bin/env python3
"""The library's module graph: which top-level module of src/ uses which
(`crate::x` paths and `use crate::{x, y}` groups; tests left out), and any
import loop. Issue #14: "no import loops". Exit 1 when there is a loop.

    scripts/module-deps.py
"""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
BINARY = {"main.rs", "cli.rs", "commands"}

deps = {}
for path in glob.glob(os.path.join(ROOT, "**", "*.rs"), recursive=True):
    rel = os.path.relpath(path, ROOT)
    top = rel.split(os.sep)[0].removesuffix(".rs")
    if top in {b.removesuffix(".rs") for b in BINARY} or top == "lib":
        continue
    text = open(path).read()
    text = text.split("#[cfg(test)]")[0]
    text = re.sub(r"//[^\n]*", "", text)  # comments and doc comments
    used = set(re.findall(r"crate::([a-z_]+)", text))
    for group in re.findall(r"crate::\{([^}]*)\}", text):
        used.update(re.findall(r"\b([a-z_]+)\b", group))
    deps.setdefault(top, set()).update(u for u in used if u != top)
modules = set(deps)
for m in sorted(deps):
    print(f"{m:10} -> {', '.join(sorted(d for d in deps[m] if d in modules))}")


def reaches(a, b, seen):
    for d in deps.get(a, ()):
        if d == b:
            return True
        if d in modules and d not in seen:
            seen.add(d)
            if reaches(d, b, seen):
                return True
    return False


loops = sorted({tuple(sorted((a, b))) for a in deps for b in deps[a]
                if b in modules and reaches(b, a, set())})
for a, b in loops:
    print(f"loop: {a} <-> {b}")
sys.exit(1 if loops else 0)
