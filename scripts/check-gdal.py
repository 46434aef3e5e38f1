#!/usr/bin/env python3
"""Check territory's binary formats against GDAL (issue #15), as .ci/run does.

(a) ogr2ogr converts GeoJSON fixtures to GeoPackage, Shapefile and
    FlatGeobuf (GeoParquet: GDAL's Parquet driver when this GDAL has one,
    else the committed fixtures geopandas wrote); territory's areas and
    lookups from each equal those from the GeoJSON original.
(b) every kind of file territory writes (-f gpkg, fgb, parquet: area's
    features, area --by pieces, depth's bands and points, validate --repair,
    located points) is read back by GDAL (ogr2ogr to GeoJSON; pyarrow and
    shapely for GeoParquet when GDAL has no Parquet driver) and compared with
    territory's own -f geojson output: feature count, attributes, and every
    coordinate within 1e-9 degrees. GeoPackages also pass GDAL's
    validate_gpkg.py.

    scripts/check-gdal.py BINARY [PYTHON_WITH_PYARROW_AND_SHAPELY]
"""

import csv
import io
import json
import os
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
PY = sys.argv[2] if len(sys.argv) > 2 else None
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
SAMPLE = "data/examples/occupied-illustrative.geojson"
INCIDENTS = "data/examples/incidents.csv"
TOL = 1e-9
failures = []
checks = 0


def run(*args, ok=(0,)):
    p = subprocess.run(args, capture_output=True, text=False)
    if p.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed ({p.returncode}): {p.stderr.decode()}")
    return p.stdout


def territory(*args, ok=(0,)):
    return run(BIN, *args, ok=ok)


def has_driver(name):
    return name.encode() in run("ogrinfo", "--formats")


def fail(what):
    failures.append(what)
    print("FAIL", what)


def areas(layer, *extra):
    v = json.loads(territory("area", layer, "-f", "json", *extra))
    return {f["id"]: f["area_km2"] for f in v["features"]}, v["total"]["union"]


def same_areas(what, got, want):
    global checks
    checks += 1
    if set(got[0]) != set(want[0]):
        return fail(f"{what}: ids {sorted(got[0])} != {sorted(want[0])}")
    for k, a in want[0].items():
        if abs(got[0][k] - a) > 1e-12 * max(1.0, abs(a)):
            return fail(f"{what}: {k}: {got[0][k]} != {a}")
    if abs(got[1] - want[1]) > 1e-12 * max(1.0, abs(want[1])):
        fail(f"{what}: union {got[1]} != {want[1]}")


def lookups(points):
    out = territory("locate", points, "-f", "csv").decode()
    rows = list(csv.reader(io.StringIO(out)))
    head, rows = rows[0], rows[1:]
    place, region = head.index("place"), head.index("caucasus_id")
    return sorted((r[place], r[region]) for r in rows)


def part_a(tmp):
    inputs = {
        "sample": (SAMPLE, ["--within", "builtin:armenia"]),
        "hole": ("tests/data/hole.geojson", []),
        "multipolygon": ("tests/data/multipolygon.geojson", []),
        "clockwise": ("tests/data/clockwise.geojson", []),
        "large": ("tests/data/large-2000km.geojson", []),
    }
    drivers = [("GPKG", "gpkg"), ("ESRI Shapefile", "shp"), ("FlatGeobuf", "fgb")]
    if has_driver("Parquet"):
        drivers.append(("Parquet", "parquet"))
    for name, (src, extra) in inputs.items():
        want = areas(src, *extra)
        for driver, ext in drivers:
            dst = os.path.join(tmp, f"{name}.{ext}")
            run("ogr2ogr", "-f", driver, dst, src)
            same_areas(f"(a) {src} via ogr2ogr -f {driver}", areas(dst, *extra), want)
    if not has_driver("Parquet"):
        # This GDAL has no Parquet driver: the GeoParquet fixtures geopandas wrote.
        want = areas(SAMPLE, "--within", "builtin:armenia")
        for f in ["occupied.parquet", "occupied-native.parquet"]:
            same_areas(f"(a) tests/data/formats/{f} (geopandas)",
                       areas(f"tests/data/formats/{f}", "--within", "builtin:armenia"), want)
    want = lookups(INCIDENTS)
    for driver, ext in drivers:
        dst = os.path.join(tmp, f"incidents.{ext}")
        run("ogr2ogr", "-f", driver, dst, INCIDENTS, "-oo", "X_POSSIBLE_NAMES=lon",
            "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "KEEP_GEOM_COLUMNS=NO", "-a_srs", "EPSG:4326")
        global checks
        checks += 1
        got = lookups(dst)
        if got != want:
            fail(f"(a) locate via ogr2ogr -f {driver}: {got} != {want}")


def gdal_features(path):
    """The features of a file as GDAL reads them, as GeoJSON."""
    if path.endswith(".parquet") and not has_driver("Parquet"):
        script = (
            "import json, sys, pyarrow.parquet as pq, shapely\n"
            "t = pq.read_table(sys.argv[1]); geo = json.loads(t.schema.metadata[b'geo'])\n"
            "col = geo['primary_column']; rows = t.to_pylist(); out = []\n"
            "for r in rows:\n"
            "    g = shapely.from_wkb(r.pop(col)); out.append({'type': 'Feature', 'properties': r,"
            " 'geometry': json.loads(shapely.to_geojson(g))})\n"
            "print(json.dumps({'geo': geo, 'features': out}))\n"
        )
        if PY is None:
            raise SystemExit("GeoParquet output needs a python with pyarrow and shapely")
        v = json.loads(run(PY, "-c", script, path))
        if v["geo"].get("version") not in ("1.0.0", "1.1.0"):
            fail(f"(b) {path}: geo metadata version {v['geo'].get('version')}")
        return v["features"]
    return json.loads(run("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", path))["features"]


def coords(g):
    """Every coordinate of a geometry, flattened (Polygon and MultiPolygon alike)."""
    out = []

    def walk(c):
        if isinstance(c[0], (int, float)):
            out.append((c[0], c[1]))
        else:
            for x in c:
                walk(x)

    if g:
        walk(g["coordinates"])
    return out


def key(f):
    p = f["properties"]
    return json.dumps({k: p.get(k) for k in sorted(p) if p.get(k) is not None}, sort_keys=True)


def normal(props):
    """Properties as written, nulls left out (GDAL writes unset fields so)."""
    return {k: v for k, v in props.items() if v is not None}


def compare(what, theirs, ours):
    global checks
    checks += 1
    if len(theirs) != len(ours):
        return fail(f"{what}: {len(theirs)} features read by GDAL, {len(ours)} in GeoJSON")
    ours = [dict(f, properties=dict(({"id": f["id"]} if "id" in f and "id" not in f["properties"] else {}),
                                    **f["properties"])) for f in ours]
    theirs = sorted(theirs, key=key)
    ours = sorted(ours, key=key)
    for a, b in zip(theirs, ours):
        pa, pb = normal(a["properties"]), normal(b["properties"])
        if pa.keys() != pb.keys():
            return fail(f"{what}: fields {sorted(pa)} != {sorted(pb)}")
        for k in pb:
            va, vb = pa[k], pb[k]
            if isinstance(vb, float) or isinstance(va, float):
                if abs(float(va) - float(vb)) > 1e-12 * max(1.0, abs(float(vb))):
                    return fail(f"{what}: {k}: {va} != {vb}")
            elif va != vb:
                return fail(f"{what}: {k}: {va!r} != {vb!r}")
        ca, cb = coords(a["geometry"]), coords(b["geometry"])
        if len(ca) != len(cb):
            return fail(f"{what}: {len(ca)} coordinates != {len(cb)}")
        for (x0, y0), (x1, y1) in zip(ca, cb):
            if abs(x0 - x1) > TOL or abs(y0 - y1) > TOL:
                return fail(f"{what}: ({x0}, {y0}) != ({x1}, {y1})")


def part_b(tmp):
    runs = {
        "area": ["area", SAMPLE],
        "area-by": ["area", SAMPLE, "--by", "builtin:armenia-provinces"],
        "depth": ["depth", SAMPLE, "--border", "builtin:armenia@ne10m"],
        "timeline": ["timeline", SAMPLE],
        "locate": ["locate", INCIDENTS, "--distance"],
        # Points in no region (null ids, as in GeoJSON), an empty text (kept) and
        # an input column named like a distance (text, kept as it is).
        "locate-outside": ["locate", "tests/data/points-some-outside.csv", "--distance"],
        "repair": ["validate", "data/examples/invalid-bowtie.geojson", "--repair"],
    }
    validator = None
    for p in ["/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
              "/usr/share/doc/python3-gdal/examples/validate_gpkg.py"]:
        if os.path.exists(p):
            validator = p
    for name, args in runs.items():
        gj = os.path.join(tmp, f"{name}.geojson")
        if name == "repair":
            territory(*args, "-o", gj)
        else:
            territory(*args, "-f", "geojson", "-o", gj)
        ours = json.load(open(gj))["features"]
        for ext in ["gpkg", "fgb", "parquet"]:
            out = os.path.join(tmp, f"{name}.{ext}")
            if name == "repair":
                territory(*args, "-o", out)
            else:
                territory(*args, "-f", ext, "-o", out)
            compare(f"(b) {name} -f {ext}", gdal_features(out), ours)
            if ext == "gpkg" and validator:
                global checks
                checks += 1
                p = subprocess.run(["python3", validator, out], capture_output=True, text=True)
                if p.returncode != 0:
                    fail(f"(b) validate_gpkg.py {name}.gpkg: {p.stdout}{p.stderr}")


with tempfile.TemporaryDirectory() as tmp:
    part_a(tmp)
    part_b(tmp)
print(f"{checks} checks against GDAL {run('ogr2ogr', '--version').decode().strip()}: "
      f"{len(failures)} failed")
sys.exit(1 if failures else 0)
