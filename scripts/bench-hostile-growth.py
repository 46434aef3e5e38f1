#!/usr/bin/env python3
"""Growth of the three crafted inputs that once cost n^2, each at its own
sizes, with the exponent k of time ~ n^k fitted on the two largest:

  piled     n nearly identical squares (0.1 deg, each shifted 1e-6 deg east
            of the last): `area` (every pair of boxes meets)
  holes     one Shapefile record with n outer rings (0.01 deg squares on a
            grid) and n holes (one inside each): `area`; GDAL's
            `ogr2ogr -f GeoJSON` of the same file side by side, when ogr2ogr
            is on the PATH (it assigns holes to shells too)
  labels    n small squares with distinct names: `render --labels all`

Inputs go to bench-data/hostile/ (git-ignored); writes a Markdown table.

Usage: python3 scripts/bench-hostile-growth.py [--bin target/release/territory] [--quick]
"""
import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "bench-data", "hostile")


def write_fc(path, features):
    with open(path, "w") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i, (name, coords) in enumerate(features):
            if i:
                f.write(",\n")
            f.write(json.dumps({"type": "Feature", "id": f"f{i + 1}", "properties": {"name": name},
                                "geometry": {"type": "Polygon", "coordinates": coords}},
                               separators=(",", ":")))
        f.write("\n]}\n")


def square(x, y, s):
    return [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]


def piled(n):
    path = f"{OUT}/piled-{n}.geojson"
    if not os.path.exists(path):
        write_fc(path, [(f"s{i}", [square(44 + 1e-6 * i, 40, 0.1)]) for i in range(n)])
    return path


def labels(n):
    path = f"{OUT}/labels-{n}.geojson"
    if not os.path.exists(path):
        k = math.ceil(math.sqrt(n))
        cell = 4.0 / k
        write_fc(path, [(f"r{i}", [square(43 + (i % k) * cell, 38 + (i // k) * cell, cell * 0.8)])
                        for i in range(n)])
    return path


def holes(n):
    """One Polygon record: n clockwise outer squares, each with a
    counterclockwise hole inside (the Shapefile rule)."""
    base = f"{OUT}/holes-{n}"
    if os.path.exists(base + ".shp"):
        return base + ".shp"
    k = math.ceil(math.sqrt(n))
    rings = []
    for i in range(n):
        x, y = 43 + (i % k) * 0.02, 38 + (i // k) * 0.02
        outer = [(x, y), (x, y + 0.01), (x + 0.01, y + 0.01), (x + 0.01, y), (x, y)]  # clockwise
        h = [(x + 0.003, y + 0.003), (x + 0.007, y + 0.003), (x + 0.007, y + 0.007),
             (x + 0.003, y + 0.007), (x + 0.003, y + 0.003)]  # counterclockwise
        rings += [outer, h]
    pts = [p for r in rings for p in r]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    bbox = (min(xs), min(ys), max(xs), max(ys))
    parts, at = [], 0
    for r in rings:
        parts.append(at)
        at += len(r)
    content = struct.pack("<i4d2i", 5, *bbox, len(rings), len(pts))
    content += struct.pack(f"<{len(parts)}i", *parts)
    content += b"".join(struct.pack("<2d", *p) for p in pts)
    record = struct.pack(">2i", 1, len(content) // 2) + content

    def header(length_bytes):
        return (struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length_bytes // 2)
                + struct.pack("<2i4d4d", 1000, 5, *bbox, 0, 0, 0, 0))

    with open(base + ".shp", "wb") as f:
        f.write(header(100 + len(record)) + record)
    with open(base + ".shx", "wb") as f:
        f.write(header(108) + struct.pack(">2i", 50, len(content) // 2))
    # dBase III: one numeric field "id", one record.
    fields = struct.pack("<11sc4xBB14x", b"id", b"N", 10, 0)
    dbf_header = struct.pack("<B3BIHH20x", 3, 126, 1, 1, 1, 32 + 32 + 1, 1 + 10)
    with open(base + ".dbf", "wb") as f:
        f.write(dbf_header + fields + b"\r" + b" " + b"%10d" % 1 + b"\x1a")
    with open(base + ".prj", "w") as f:
        f.write('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
                '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
    return base + ".shp"


def measure(cmd):
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return wall, rss_kb / 1024, p.returncode == 0, p.stderr.strip().splitlines()[:1]


def row(what, sizes, make):
    cells, times = [], []
    for n in sizes:
        wall, rss, ok, err = measure(make(n))
        cells.append(f"{wall:.2f} s, {rss:.0f} MB" + ("" if ok else f" (failed: {err})"))
        times.append(wall)
    k = math.log(times[-1] / times[-2]) / math.log(sizes[-1] / sizes[-2]) if times[-2] > 0 else 0
    print(f"| {what} | " + " | ".join(f"n = {n:,}: {c}" for n, c in zip(sizes, cells))
          + f" | {k:.2f} |", flush=True)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "territory"))
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    b = a.bin
    q = 4 if a.quick else 1
    tmp = tempfile.mkdtemp()
    print("| work | times and peak memory | exponent |")
    print("|---|---|---|")
    row("n piled squares: `area`", [4000 // q, 16000 // q, 100000 // q],
        lambda n: [b, "area", piled(n), "-f", "csv"])
    sizes = [8000 // q, 16000 // q, 32000 // q]
    ours = row("1 record, n shells + n holes: `area`", sizes,
               lambda n: [b, "area", holes(n), "-f", "csv"])
    if shutil.which("ogr2ogr"):
        gdal = row("the same: `ogr2ogr -f GeoJSON` (GDAL)", sizes,
                   lambda n: ["ogr2ogr", "-f", "GeoJSON", f"{tmp}/o-{n}.geojson", holes(n)])
        print(f"\nAt n = {sizes[-1]:,}: territory {ours[-1]:.2f} s, ogr2ogr {gdal[-1]:.2f} s: "
              f"{gdal[-1] / ours[-1]:.1f}x faster than GDAL\n")
    row("n labelled squares: `render --labels all`", [20000 // q, 40000 // q, 80000 // q],
        lambda n: [b, "render", labels(n), "--labels", "all", "-o", f"{tmp}/m.svg"])
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
