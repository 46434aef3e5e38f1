#!/usr/bin/env python3
"""Reference areas and perimeters from GeographicLib (Python package
`geographiclib`, C. F. F. Karney), independent of the Rust code under test.

For each polygon ring: Geodesic.WGS84.Polygon(), AddPoint(lat, lon) for each
position but the closing one, Compute(reverse=False, sign=True); a polygon's
area is |exterior| - sum(|holes|), a MultiPolygon's the sum over its polygons,
the perimeter the sum of all ring perimeters.

Writes tests/data/reference-areas.json, read by tests/accuracy.rs.
Usage: pip install geographiclib && python3 scripts/reference-areas.py
"""
import json
import os

import geographiclib
from geographiclib.geodesic import Geodesic

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = ["hole", "multipolygon", "clockwise", "square-10m", "large-2000km"]


def ring(coords):
    p = Geodesic.WGS84.Polygon()
    pts = coords[:-1] if coords[0] == coords[-1] else coords
    for lon, lat, *_ in pts:
        p.AddPoint(lat, lon)
    _, perimeter, area = p.Compute(False, True)
    return abs(area), perimeter


def measure(geom):
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    area = perim = 0.0
    for rings in polys:
        for k, r in enumerate(rings):
            a, p = ring(r)
            area += a if k == 0 else -a
            perim += p
    return {"area_m2": area, "perimeter_m": perim}


def main():
    out = {"generator": f"geographiclib {geographiclib.__version__} (Python)", "layers": {}}
    for name in FIXTURES:
        with open(os.path.join(ROOT, "tests", "data", name + ".geojson")) as f:
            fc = json.load(f)
        out["layers"][f"tests/data/{name}.geojson"] = {
            str(ft["id"]): measure(ft["geometry"]) for ft in fc["features"]}
    with open(os.path.join(ROOT, "data", "caucasus-admin1.geojson")) as f:
        fc = json.load(f)
    out["layers"]["builtin:armenia-provinces"] = {
        ft["id"]: measure(ft["geometry"]) for ft in fc["features"]
        if ft["properties"]["iso_a2"] == "AM"}
    with open(os.path.join(ROOT, "data", "caucasus-countries.geojson")) as f:
        fc = json.load(f)
    out["layers"]["builtin:armenia"] = {
        ft["id"]: measure(ft["geometry"]) for ft in fc["features"] if ft["id"] == "AM"}
    # tests/data/overlap.geojson: squares a = [45.0, 45.2] x [40.0, 40.2] and
    # b = [45.1, 45.3] x [40.0, 40.2] (lon x lat). Their intersection and union,
    # derived by hand, measured with every vertex the overlay keeps.
    def box(x0, y0, x1, y1):
        return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}
    out["overlap"] = {
        "a": measure(box(45.0, 40.0, 45.2, 40.2))["area_m2"],
        "b": measure(box(45.1, 40.0, 45.3, 40.2))["area_m2"],
        "intersection": measure(box(45.1, 40.0, 45.2, 40.2))["area_m2"],
        "union": measure(box(45.0, 40.0, 45.3, 40.2))["area_m2"],
    }
    # tests/data/split-subject.geojson [45.0, 45.2] x [40.0, 40.2] split by
    # tests/data/split-regions.geojson at lon 45.1: the exact pieces.
    out["split"] = {
        "subject": measure(box(45.0, 40.0, 45.2, 40.2))["area_m2"],
        "west": measure(box(45.0, 40.0, 45.1, 40.2))["area_m2"],
        "east": measure(box(45.1, 40.0, 45.2, 40.2))["area_m2"],
    }
    # tests/data/invalid-bowtie.geojson, repaired: two triangles meeting at
    # (45.1, 40.1) (the crossing of the straight lon/lat edges).
    tri1 = {"type": "Polygon", "coordinates": [[[45.0, 40.0], [45.1, 40.1], [45.0, 40.2], [45.0, 40.0]]]}
    tri2 = {"type": "Polygon", "coordinates": [[[45.2, 40.0], [45.2, 40.2], [45.1, 40.1], [45.2, 40.0]]]}
    out["bowtie_repaired"] = measure(tri1)["area_m2"] + measure(tri2)["area_m2"]
    path = os.path.join(ROOT, "tests", "data", "reference-areas.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
