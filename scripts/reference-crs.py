#!/usr/bin/env python3
"""Reference values for the CRS tests (feature `proj`), from pyproj (PROJ's
own Python binding) and GeographicLib, independent of the Rust code under test.

- UTM zone 38N (EPSG:32638) forward and inverse for hand-picked places in
  Armenia (always_xy: lon/lat and easting/northing order);
- the 10 km UTM square of tests/data/utm-square-legacy-crs.geojson: its corners
  in WGS84 (pyproj) and the geodesic area of the polygon through them
  (GeographicLib PolygonArea), and its planar area (1e8 m2 by construction);
- the planar area in EPSG:32638 of each Armenian province of the embedded data
  (pyproj transform of every vertex, then the shoelace formula), beside the
  geodesic area (GeographicLib).

Writes tests/data/reference-crs.json, read by tests/crs.rs.
Usage: pip install pyproj geographiclib && python3 scripts/reference-crs.py
"""
import json
import os

import geographiclib
import pyproj
from geographiclib.geodesic import Geodesic

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FWD = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)
INV = pyproj.Transformer.from_crs("EPSG:32638", "EPSG:4326", always_xy=True)

# (name, lat, lon): central Yerevan (Republic Square), Gyumri, Goris, Jermuk, Meghri.
PLACES = [
    ("Yerevan, Republic Square", 40.1776, 44.5126),
    ("Gyumri", 40.7894, 43.8475),
    ("Goris", 39.5075, 46.3386),
    ("Jermuk", 39.8417, 45.6694),
    ("Meghri", 38.9070, 46.2430),
]
# (easting, northing) for the inverse.
GRID = [(458000.0, 4447000.0), (600000.0, 4380000.0), (350000.0, 4520000.0)]


def geodesic_area(ring_lonlat):
    p = Geodesic.WGS84.Polygon()
    pts = ring_lonlat[:-1] if ring_lonlat[0] == ring_lonlat[-1] else ring_lonlat
    for lon, lat in pts:
        p.AddPoint(lat, lon)
    _, _, area = p.Compute(False, True)
    return abs(area)


def shoelace(ring_xy):
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring_xy, ring_xy[1:]):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


def planar_and_geodesic(geometry):
    polys = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polys = [polys]
    planar = geod = 0.0
    for rings in polys:
        for k, ring in enumerate(rings):
            xs, ys = FWD.transform([c[0] for c in ring], [c[1] for c in ring])
            a = shoelace(list(zip(xs, ys)))
            g = geodesic_area([(c[0], c[1]) for c in ring])
            sign = 1.0 if k == 0 else -1.0
            planar += sign * a
            geod += sign * g
    return planar, geod


def main():
    out = {
        "generator": f"scripts/reference-crs.py (pyproj {pyproj.__version__}, PROJ {pyproj.proj_version_str}, geographiclib {geographiclib.__version__})",
        "forward": [],
        "inverse": [],
    }
    for name, lat, lon in PLACES:
        e, n = FWD.transform(lon, lat)
        out["forward"].append({"name": name, "lat": lat, "lon": lon, "easting": e, "northing": n})
    for e, n in GRID:
        lon, lat = INV.transform(e, n)
        out["inverse"].append({"easting": e, "northing": n, "lon": lon, "lat": lat})

    with open(os.path.join(ROOT, "tests/data/utm-square-legacy-crs.geojson")) as f:
        sq = json.load(f)
    ring = sq["features"][0]["geometry"]["coordinates"][0]
    lons, lats = INV.transform([c[0] for c in ring], [c[1] for c in ring])
    corners = list(zip(lons, lats))
    out["utm_square"] = {
        "corners_lonlat": corners,
        "geodesic_area_m2": geodesic_area(corners),
        "planar_area_m2": shoelace([(c[0], c[1]) for c in ring]),
    }

    with open(os.path.join(ROOT, "data/osm-admin1.geojson")) as f:
        admin1 = json.load(f)
    provinces = []
    for feat in admin1["features"]:
        code = feat["properties"].get("iso_3166_2") or ""
        if code.startswith("AM-"):
            planar, geod = planar_and_geodesic(feat["geometry"])
            provinces.append({"id": code, "planar_area_m2": planar, "geodesic_area_m2": geod})
    out["armenia_provinces_utm38"] = provinces

    with open(os.path.join(ROOT, "tests/data/reference-crs.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
