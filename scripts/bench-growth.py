#!/usr/bin/env python3
"""Growth benchmark (issue #11): how time and peak memory grow with the size
of the work, for the paths that once grew quadratically or worse.

Cases (n = 10^3, 10^4, 10^5 and, with --max 1000000, 10^6):
  ring      one valid ring of n vertices (a circle of radius 1 deg near
            Yerevan): `area` (with the validity check) and `validate`
  squares   n squares of 0.01 deg at seeded random places, at a constant
            density (box side 0.01 * sqrt(n) deg: each overlaps about 4
            others): `area` (union total), `check --claim`, `validate`
  crowded   n squares of 0.01 deg in one fixed 1-deg box (overlaps per
            square grow with n): `area`, `check`, `validate`
  repair    one self-crossing ring of n vertices (a zigzag whose every
            tooth crosses the spine): `area --repair`
  distance  10,000 seeded points against n square regions on a grid:
            `locate --distance`

For each command the exponent k of time ~ n^k is fitted on the two largest
sizes (log-log slope), which is where asymptotic growth shows. Writes a
Markdown table to stdout. Inputs go to bench-data/growth/ (git-ignored).

Usage: python3 scripts/bench-growth.py [--max N] [--bin target/release/territory]
"""
import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "bench-data", "growth")


def write_fc(path, features):
    with open(path, "w") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i, coords in enumerate(features):
            if i:
                f.write(",\n")
            f.write(json.dumps({"type": "Feature", "id": f"f{i + 1}", "properties": {},
                                "geometry": {"type": "Polygon", "coordinates": coords}},
                               separators=(",", ":")))
        f.write("\n]}\n")


def ring(n):
    path = f"{OUT}/ring-{n}.geojson"
    if not os.path.exists(path):
        pts = [[44.5 + math.cos(2 * math.pi * k / n), 40.2 + 0.8 * math.sin(2 * math.pi * k / n)]
               for k in range(n)]
        pts.append(pts[0])
        write_fc(path, [[pts]])
    return path


def squares(n):
    path = f"{OUT}/squares-{n}.geojson"
    if not os.path.exists(path):
        rnd = random.Random(42)
        side, box = 0.01, 0.01 * math.sqrt(n)
        feats = []
        for _ in range(n):
            x, y = 40 + rnd.random() * box, 35 + rnd.random() * box
            feats.append([[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]])
        write_fc(path, feats)
    return path


def crowded(n):
    """n squares of 0.01 deg in one fixed 1-deg box: overlaps per square grow
    with n (about 4 n / 10,000), so pairwise methods grow as n^2."""
    path = f"{OUT}/crowded-{n}.geojson"
    if not os.path.exists(path):
        rnd = random.Random(43)
        feats = []
        for _ in range(n):
            x, y = 40 + rnd.random(), 35 + rnd.random()
            feats.append([[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]])
        write_fc(path, feats)
    return path


def zigzag(n):
    """A spine along the bottom and n/2 teeth that cross it: n crossings."""
    path = f"{OUT}/repair-{n}.geojson"
    if not os.path.exists(path):
        teeth = max(2, n // 2)
        w = 1.0 / teeth
        pts = [[44.0, 40.0]]
        for k in range(teeth):
            x = 44.0 + k * w
            pts.append([x + 0.25 * w, 40.1])
            pts.append([x + 0.75 * w, 39.99])  # dips below the spine: crosses it
        pts.append([45.0, 40.1])
        pts.append([45.0, 40.0])
        pts.append([44.0, 40.0])
        write_fc(path, [[pts]])
    return path


def grid(n):
    path = f"{OUT}/grid-{n}.geojson"
    if not os.path.exists(path):
        k = math.ceil(math.sqrt(n))
        cell = 10.0 / k
        feats = []
        for i in range(n):
            x, y = 38 + (i % k) * cell, 36 + (i // k) * cell
            feats.append([[[x, y], [x + cell * 0.9, y], [x + cell * 0.9, y + cell * 0.9],
                           [x, y + cell * 0.9], [x, y]]])
        write_fc(path, feats)
    return path


def points():
    path = f"{OUT}/points-10000.csv"
    if not os.path.exists(path):
        rnd = random.Random(7)
        with open(path, "w") as f:
            f.write("id,lat,lon\n")
            for i in range(10000):
                f.write(f"{i},{36 + rnd.random() * 10:.6f},{38 + rnd.random() * 10:.6f}\n")
    return path


def measure(cmd):
    """Wall time and peak RSS of one run (the child's own maximum)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    ok = p.returncode in (0, 3)
    return wall, rss_kb / 1024, ok, p.stderr.strip().splitlines()[:1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=100000)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "territory"))
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    sizes = [n for n in (1000, 10000, 100000, 1000000) if n <= a.max]
    b = a.bin
    cases = [
        ("one ring of n vertices", "area", lambda n: [b, "area", ring(n), "-f", "csv"]),
        ("one ring of n vertices", "validate", lambda n: [b, "validate", ring(n)]),
        ("n overlapping squares", "area", lambda n: [b, "area", squares(n), "-f", "csv"]),
        ("n overlapping squares", "check", lambda n: [b, "check", squares(n), "--claim", "1 km2"]),
        ("n overlapping squares", "validate", lambda n: [b, "validate", squares(n), "-f", "json"]),
        ("n squares in one 1° box", "area", lambda n: [b, "area", crowded(n), "-f", "csv"]),
        ("n squares in one 1° box", "check", lambda n: [b, "check", crowded(n), "--claim", "1 km2"]),
        ("n squares in one 1° box", "validate", lambda n: [b, "validate", crowded(n), "-f", "json"]),
        ("self-crossing ring of n vertices", "area --repair",
         lambda n: [b, "area", zigzag(n), "--repair", "-f", "csv"]),
        ("10,000 points vs n regions", "locate --distance",
         lambda n: [b, "locate", points(), "--regions", grid(n), "--distance"]),
    ]
    print("| work | command | " + " | ".join(f"n = {n:,}" for n in sizes) + " | exponent |")
    print("|---|---|" + "---|" * len(sizes) + "---|")
    for what, name, make in cases:
        cells, times = [], []
        for n in sizes:
            cmd = make(n)
            wall, rss, ok, err = measure(cmd)
            cells.append(f"{wall:.2f} s, {rss:.0f} MB" + ("" if ok else f" (failed: {err})"))
            times.append(wall)
        k = "–"
        if len(sizes) >= 2 and times[-2] > 0:
            k = f"{math.log(times[-1] / times[-2]) / math.log(sizes[-1] / sizes[-2]):.2f}"
        print(f"| {what} | `{name}` | " + " | ".join(cells) + f" | {k} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
