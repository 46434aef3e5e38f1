#!/usr/bin/env python3
"""Re-run the `$ territory ...` examples in README.md's ```console blocks and
put their real output in place, so that the README shows what the tool prints.

Each command runs with bash in a scratch copy of data/, tests/ and docs/ (so
examples that write files write there), with target/release (or the directory
given by --bin) first on PATH. A block whose commands do not all succeed the
way they are written (e.g. a `proj`-only example in the default build, or one
that shows an error: exit status other than the one after it) is left as it
is and listed.

Usage:  cargo build --release && python3 scripts/refresh-readme.py [--bin DIR] [--check]
--check: change nothing, exit 1 when an example's output differs.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def commands(body):
    """[(command text, expected output lines)] of a console block."""
    out, cur, lines = [], None, body.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            cmd = line[2:]
            while cmd.endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd += "\n" + lines[i]
            cur = [cmd, []]
            out.append(cur)
        elif cur is not None:
            cur[1].append(line)
        i += 1
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    path = os.path.join(ROOT, "README.md")
    text = open(path, encoding="utf-8").read()
    scratch = tempfile.mkdtemp()
    for d in ("data", "tests", "docs"):
        shutil.copytree(os.path.join(ROOT, d), os.path.join(scratch, d))
    env = dict(os.environ, PATH=os.path.abspath(args.bin) + os.pathsep + os.environ["PATH"],
               NO_COLOR="1")
    skipped, changed = [], 0

    def refresh(m):
        nonlocal changed
        body = m.group(1)
        parts = commands(body)
        if not parts:
            return m.group(0)
        # One shell per block, so that `echo $?` sees the command before it;
        # a marker line splits the outputs.
        mark = "@@territory-readme-example-end@@"
        script = "".join(f"{cmd}\n__s=$?; echo {mark}; (exit $__s)\n" for cmd, _ in parts)
        r = subprocess.run(["bash", "-c", script], cwd=scratch, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        outputs = r.stdout.split(mark + "\n")
        if len(outputs) != len(parts) + 1:
            skipped.append((parts[0][0].splitlines()[0], r.returncode, r.stdout[-200:]))
            return m.group(0)
        for shown in outputs[:-1]:
            if "error" in shown and "error" not in body:
                skipped.append((parts[0][0].splitlines()[0], 1, shown.strip()[:200]))
                return m.group(0)
        new = ["$ " + cmd + "\n" + shown for (cmd, _), shown in zip(parts, outputs)]
        block = "```console\n" + "".join(new)
        if not block.endswith("\n"):
            block += "\n"
        block += "```"
        if block != m.group(0):
            changed += 1
        return block

    out = re.sub(r"```console\n(.*?)```", refresh, text, flags=re.S)
    shutil.rmtree(scratch)
    for cmd, code, err in skipped:
        print(f"left as is (exit {code}): {cmd}\n    {err}", file=sys.stderr)
    if args.check:
        print(f"{changed} examples differ", file=sys.stderr)
        return 1 if changed else 0
    open(path, "w", encoding="utf-8").write(out)
    print(f"refreshed {changed} examples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
