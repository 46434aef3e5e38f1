#!/usr/bin/env python3
"""Run one catalogue of CLI commands and keep every byte they produce.

Issue #14 asks that moving code between the library and the binary "changes
no output byte". This script runs the same commands (every subcommand, every
format, the fixtures under tests/data and data/examples, the bad-input cases)
with a given binary and stores, per case, stdout, stderr, the exit code and
any file written with -o. Run it with the binary before and after a change and
compare the two directories:

    scripts/compare-outputs.py /tmp/territory-before /tmp/out-before
    scripts/compare-outputs.py target/release/territory /tmp/out-after
    diff -r /tmp/out-before /tmp/out-after && echo identical

Timings (-v) are not in the catalogue; nothing else in the outputs depends on
the clock. Run from anywhere: commands run in the repository root, output
files go to one fixed scratch directory (so paths in messages are the same).
"""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRATCH = "/tmp/territory-compare-scratch"

EX = "data/examples/occupied-illustrative.geojson"
MAY, NOV = "data/examples/may-2021.geojson", "data/examples/nov-2021.geojson"
INC = "data/examples/incidents.csv"
T = "tests/data/"
FORMATS = ["table", "csv", "json", "geojson"]

CASES = []


def case(*args, stdin=None, out=None):
    """One command; `out` = extension of the -o file to add, if any."""
    CASES.append((list(args), stdin, out))


# area
for f in FORMATS:
    case("area", EX, "-f", f)
    case("area", EX, "--by", "builtin:armenia-provinces", "-f", f)
    case("area", EX, "--within", "builtin:armenia", "-f", f)
    case("area", EX, "--within", "builtin:armenia@ne10m", "--within", "builtin:armenia", "-f", f)
    case("area", EX, "--within", "builtin:armenia@ne10m", "--within", "builtin:armenia",
         "--by", "builtin:armenia-provinces", "-f", f)
    case("area", EX, "--within", "builtin:armenia", "--border-tolerance", "1km", "-f", f)
    case("area", "builtin:armenia-provinces", "-f", f)
    case("area", T + "overlap.geojson", "-f", f)
    case("area", T + "split-subject.geojson", "--by", T + "split-regions.geojson", "--all-regions", "-f", f)
for u in ["m2", "ha", "mi2", "acre"]:
    case("area", EX, "--unit", u)
case("area", EX, "--unit", "mi2", "-f", "csv", out="csv")
case("area", EX, "--where", "date=2022-09-13", "--dissolve-by", "date")
case("area", EX, "--dissolve-by", "date", "-f", "json")
case("area", "-", "-f", "json", stdin=EX)
case("area", T + "osm-armenia-raw.geojson", "--no-check")
case("area", T + "osm-armenia-raw.geojson")
case("area", T + "invalid-bowtie.geojson", "--repair")
case("area", T + "western-sahara.geojson", "--by", T + "western-sahara.geojson")
case("area", T + "swapped-polygon.geojson", "--within", "builtin:armenia")
for fx in ["google-earth.kml", "google-earth.kmz", "sequence.geojsonl", "sequence-rs.geojsons",
           "collection.geojson", "feature.geojson", "geometry.geojson", "fields.geojson",
           "hole.geojson", "clockwise.geojson", "multipolygon.geojson", "with-z.geojson",
           "with-line.geojson", "cells.geojson", "large-2000km.geojson", "square-10m.geojson",
           "validate-many.geojson", "points.geojson", "google-earth-points.kml"]:
    case("area", T + fx)
    case("validate", T + fx)
    case("info", T + fx)
case("area", T + "fields.geojson", "--id-field", "code", "--name-field", "label")
case("area", "builtin:armenia-provinces", "--id-field", "name", "-f", "csv")
for fx in sorted(os.listdir(os.path.join(ROOT, "tests/data"))):
    if fx.startswith("bad-") or fx.startswith("bomb-") or fx.startswith("fuzz-") \
            or fx.startswith("invalid-"):
        case("area", T + fx)
        case("validate", T + fx)
        case("validate", T + fx, "-f", "json")
case("area", "tests/data/does-not-exist.geojson")
case("area", EX, "--unit", "furlongs")
case("area", EX, "-o", EX)

# check
for f in FORMATS:
    case("check", EX, "--claim", "215 km2", "--tolerance", "5%", "--within", "builtin:armenia", "-f", f)
case("check", EX, "--claim", "215 km2", "--within", "builtin:armenia@ne10m", "--within", "builtin:armenia")
case("check", EX, "--claim", "at least 150 km2", "--within", "builtin:armenia", "-f", "json")
case("check", EX, "--claim", "83 sq mi", "--within", "builtin:armenia")
case("check", EX, "--claim", "16,4 km2")
case("check", EX, "--claim", "at most 100 km2", "--within", "builtin:armenia", "--border-tolerance", "500m")
case("check", EX, "--claim", "nonsense")

# timeline
for f in FORMATS:
    case("timeline", EX, "-f", f)
    case("timeline", EX, "--by", "builtin:armenia-provinces", "-f", f)
    case("timeline", MAY, NOV, "--date", "2021-05-12", "--date", "2021-11-16", "-f", f)
    case("timeline", EX, "--within", "builtin:armenia@ne10m", "--within", "builtin:armenia", "-f", f)
case("timeline", T + "shifted-snapshots.geojson")
case("timeline", MAY, NOV)
case("timeline", EX, "--by", "builtin:armenia-provinces", "--chart", SCRATCH + "/chart.svg")
case("timeline", EX, "--chart", SCRATCH + "/chart.png")

# depth
for f in FORMATS:
    case("depth", EX, "--border", "builtin:armenia", "-f", f)
case("depth", EX, "--border", "builtin:armenia@ne10m", "--bands", "0.5,1,2,5", "-f", "csv")
case("depth", EX, "--border", "builtin:armenia", "-f", "geojson", out="geojson")

# locate
for f in FORMATS:
    case("locate", INC, "--regions", "province=builtin:armenia-provinces", "-f", f)
    case("locate", "39.53,45.98", "-f", f)
    case("locate", "--lat", "40.1776", "--lon", "44.5126", "--distance", "-f", f)
case("locate", INC, "--regions", "occupied=" + EX, "--all")
case("locate", INC, "--regions", "province=builtin:armenia-provinces", "--distance", "--all")
case("locate", INC, "--regions", "province=builtin:armenia-provinces", out="csv")
case("locate", "-", "--regions", "province=builtin:armenia-provinces", stdin=INC)
case("locate", "-", stdin=T + "points.geojson")
for fx in ["points-hard.csv", "points-swapped.csv", "points.geojson", "google-earth-points.kml"]:
    case("locate", T + fx)
    case("locate", T + fx, "--distance", "-f", "json")
case("locate", "39°31'48\"N 45°58'48\"E")
case("locate", "91,45")

# validate
for f in FORMATS:
    case("validate", EX, "-f", f)
    case("validate", MAY, NOV, "-f", f)
case("validate", "data/examples/invalid-bowtie.geojson", "--repair", out="geojson")
case("validate", T + "osm-armenia-raw.geojson", "--repair", "-f", "json")

# info, layers
for f in FORMATS:
    case("info", "builtin:caucasus", "-f", f)
    case("info", EX, "-f", f)
    case("layers", "-f", f)

# render (bytes of the picture)
case("render", "builtin:armenia-provinces", EX, out="svg")
case("render", "builtin:armenia-provinces", EX, "--points", INC, "--title", "Syunik", out="svg")
case("render", "builtin:caucasus", "--bbox", "43,38.5,47,41.5", "--labels", "none", out="png")
case("render", "--compare", "builtin:armenia@ne10m", "--compare", "builtin:armenia", EX, out="png")

# usage
case()
case("--help")
for c in ["area", "check", "timeline", "depth", "locate", "validate", "info", "layers", "render"]:
    case(c, "--help")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, dest = os.path.abspath(sys.argv[1]), sys.argv[2]
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    for n, (args, stdin, out) in enumerate(CASES):
        shutil.rmtree(SCRATCH, ignore_errors=True)
        os.makedirs(SCRATCH)
        full = list(args)
        if out:
            full += ["-o", os.path.join(SCRATCH, "out." + out)]
        src = open(os.path.join(ROOT, stdin), "rb") if stdin else subprocess.DEVNULL
        p = subprocess.run([binary] + full, cwd=ROOT, stdin=src, capture_output=True,
                           env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"})
        base = os.path.join(dest, f"{n:03d}")
        with open(base + ".txt", "wb") as f:
            f.write(("$ territory " + " ".join(full) + "\n").encode())
            f.write(f"exit {p.returncode}\n--- stdout\n".encode() + p.stdout)
            f.write(b"\n--- stderr\n" + p.stderr)
        for name in sorted(os.listdir(SCRATCH)):
            shutil.copy(os.path.join(SCRATCH, name), base + "." + name)
    print(f"{len(CASES)} cases -> {dest}")


if __name__ == "__main__":
    main()
