#!/usr/bin/env python3
"""Reference areas and perimeters from GeographicLib (Python package
`geographiclib`, C. F. F. Karney), independent of the Rust code under test.

For each polygon ring: Geodesic.WGS84.Polygon(), AddPoint(lat, lon) for each
position but the closing one, Compute(reverse=False, sign=True); a polygon's
area is |exterior| - sum(|holes|), a MultiPolygon's the sum over its polygons,
the perimeter the sum of all ring perimeters.

Writes tests/data/reference-areas.json, read by tests/accuracy.rs.
Usage: pip install geographiclib shapely pyproj && python3 scripts/reference-areas.py
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


def geodesic_densify(g, step_m=50.0):
    """A shapely (Multi)Polygon with points inserted along every edge's
    geodesic (GeographicLib InverseLine) at most `step_m` apart, so that
    shapely's straight-line cuts land within ~0.05 mm of the geodesic edges:
    overlays in the geodesic-edge model, independent of the Rust code."""
    from shapely.geometry import MultiPolygon, Polygon
    geod = Geodesic.WGS84

    def ring(coords):
        out = []
        coords = list(coords)
        for (x0, y0, *_), (x1, y1, *_) in zip(coords, coords[1:]):
            out.append((x0, y0))
            line = geod.InverseLine(y0, x0, y1, x1)
            n = int(line.s13 // step_m) + 1
            for k in range(1, n):
                p = line.Position(line.s13 * k / n, Geodesic.STANDARD | Geodesic.LONG_UNROLL)
                out.append((p["lon2"], p["lat2"]))
        out.append(coords[-1][:2])
        return out

    def poly(p):
        return Polygon(ring(p.exterior.coords), [ring(i.coords) for i in p.interiors])

    if g.geom_type == "Polygon":
        return poly(g)
    return MultiPolygon([poly(p) for p in g.geoms])


def boundary_distance(lat, lon, geom):
    g = Geodesic.WGS84
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    best = float("inf")
    for rings in polys:
        for r in rings:
            for (x0, y0, *_), (x1, y1, *_) in zip(r, r[1:]):
                line = g.InverseLine(y0, x0, y1, x1)
                n = 200
                for k in range(n + 1):
                    p = line.Position(line.s13 * k / n)
                    best = min(best, g.Inverse(lat, lon, p["lat2"], p["lon2"])["s12"])
    return best


def main():
    out = {"generator": f"geographiclib {geographiclib.__version__} (Python)", "layers": {}}
    for name in FIXTURES:
        with open(os.path.join(ROOT, "tests", "data", name + ".geojson")) as f:
            fc = json.load(f)
        out["layers"][f"tests/data/{name}.geojson"] = {
            str(ft["id"]): measure(ft["geometry"]) for ft in fc["features"]}
    def features(name):
        with open(os.path.join(ROOT, "data", name)) as f:
            return json.load(f)["features"]

    # Every source of Armenia's outline and provinces (data/README.md).
    for layer, fname in [("builtin:armenia-provinces", "osm-admin1.geojson"),
                         ("builtin:armenia-provinces@ne10m", "ne10m-admin1.geojson")]:
        out["layers"][layer] = {ft["id"]: measure(ft["geometry"]) for ft in features(fname)
                                if ft["properties"]["iso_a2"] == "AM"}
    for layer, fname in [("builtin:armenia", "osm-maritime-10m.geojson"),
                         ("builtin:armenia@osm-land", "osm-land-10m.geojson"),
                         ("builtin:armenia@ne10m", "ne10m-countries.geojson")]:
        out["layers"][layer] = {ft["id"]: measure(ft["geometry"]) for ft in features(fname)
                                if ft["id"] == "AM"}
    # tests/data/overlap.geojson: squares a = [45.0, 45.2] x [40.0, 40.2] and
    # b = [45.1, 45.3] x [40.0, 40.2] (lon x lat). Their intersection and union,
    # derived by hand, measured with every vertex the overlay keeps.
    def box(x0, y0, x1, y1):
        return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}
    # Two overlapping boxes (tests/data/overlap.geojson) and a box split at
    # lon 45.1 (tests/data/split-*.geojson): edges are geodesics, so the
    # union, intersection and pieces are shapely's on the boxes densified
    # along their geodesics (a box's top edge bows ~1 m north of 40.2°), not
    # the boxes drawn between the cut points.
    from shapely.geometry import box as sbox, mapping as smapping

    def dense(x0, y0, x1, y1):
        return geodesic_densify(sbox(x0, y0, x1, y1))

    def m2(g):
        gj = json.loads(json.dumps(smapping(g)))
        return measure(gj)["area_m2"]
    a, b = dense(45.0, 40.0, 45.2, 40.2), dense(45.1, 40.0, 45.3, 40.2)
    out["overlap"] = {
        "a": measure(box(45.0, 40.0, 45.2, 40.2))["area_m2"],
        "b": measure(box(45.1, 40.0, 45.3, 40.2))["area_m2"],
        "intersection": m2(a.intersection(b)),
        "union": m2(a.union(b)),
    }
    subject = dense(45.0, 40.0, 45.2, 40.2)
    west, east = dense(44.9, 39.9, 45.1, 40.3), dense(45.1, 39.9, 45.3, 40.3)
    out["split"] = {
        "subject": measure(box(45.0, 40.0, 45.2, 40.2))["area_m2"],
        "west": m2(subject.intersection(west)),
        "east": m2(subject.intersection(east)),
    }
    # tests/data/invalid-bowtie.geojson, repaired: two triangles meeting at
    # (45.1, 40.1) (the crossing of the straight lon/lat edges).
    tri1 = {"type": "Polygon", "coordinates": [[[45.0, 40.0], [45.1, 40.1], [45.0, 40.2], [45.0, 40.0]]]}
    tri2 = {"type": "Polygon", "coordinates": [[[45.2, 40.0], [45.2, 40.2], [45.1, 40.1], [45.2, 40.0]]]}
    out["bowtie_repaired"] = measure(tri1)["area_m2"] + measure(tri2)["area_m2"]
    # Distances from points to a region's boundary: the boundary densified
    # along geodesics (200 points an edge), nearest by GeographicLib Inverse.
    admin1 = {ft["id"]: ft["geometry"] for ft in features("osm-admin1.geojson")}
    points = {
        "republic-square": (40.1776, 44.5126, "AM-ER"),
        "sisian": (39.5208, 46.0322, "AM-SU"),
        "jermuk": (39.8417, 45.6722, "AM-VD"),
    }
    out["distance"] = {name: {"lat": lat, "lon": lon, "region": rid,
                              "distance_m": boundary_distance(lat, lon, admin1[rid])}
                       for name, (lat, lon, rid) in points.items()}
    # tests/data/osm-armenia-raw.geojson: a MultiPolygon whose parts overlap.
    # The union and the pairwise intersections of its parts by shapely (GEOS),
    # measured by GeographicLib as above.
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union
    with open(os.path.join(ROOT, "tests", "data", "osm-armenia-raw.geojson")) as f:
        raw = json.load(f)["features"][0]["geometry"]
    parts = [shape({"type": "Polygon", "coordinates": p}) for p in raw["coordinates"]]
    pairs = {}
    for i in range(len(parts)):
        for j in range(i + 1, len(parts)):
            inter = parts[i].intersection(parts[j])
            if inter.area > 0:
                pairs[f"{i + 1}-{j + 1}"] = measure(mapping(inter))["area_m2"]
    out["osm_armenia_raw"] = {
        "sum_m2": measure(raw)["area_m2"],
        "union_m2": measure(json.loads(json.dumps(mapping(unary_union(parts)))))["area_m2"],
        "overlapping_parts_m2": pairs,
    }
    # data/examples/occupied-illustrative.geojson inside each source of
    # Armenia's outline: shapely's union of the sample intersected with the
    # outline, both first densified along their geodesics (edges are
    # geodesics: a straight lon/lat cut on the sample's 5-10 km edges would
    # be off by up to 5e-5), measured by GeographicLib (tests/borders.rs).
    with open(os.path.join(ROOT, "data", "examples", "occupied-illustrative.geojson")) as f:
        sample = unary_union([geodesic_densify(shape(ft["geometry"])) for ft in json.load(f)["features"]])
    out["sample_within"] = {}
    for layer, fname in [("builtin:armenia", "osm-maritime-10m.geojson"),
                         ("builtin:armenia@osm-land", "osm-land-10m.geojson"),
                         ("builtin:armenia@ne10m", "ne10m-countries.geojson")]:
        outline = geodesic_densify(shape([ft for ft in features(fname) if ft["id"] == "AM"][0]["geometry"]))
        inside = json.loads(json.dumps(mapping(sample.intersection(outline))))
        if inside["type"] == "Polygon":
            inside = {"type": "MultiPolygon", "coordinates": [inside["coordinates"]]}
        out["sample_within"][layer] = measure(inside)["area_m2"]
    # The same with Armenia's 10 m border moved 1 km in and out: pyproj's
    # azimuthal equidistant projection centred on the sample, shapely's buffer
    # (32 segments a quarter circle) there, the sample clipped by the result
    # and measured by GeographicLib (for tests/borders.rs, --border-tolerance).
    import numpy
    import pyproj
    import shapely
    c = sample.centroid
    aeqd = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +ellps=WGS84 +units=m")
    def projector(src, dst):
        t = pyproj.Transformer.from_crs(src, dst, always_xy=True)
        return lambda g: shapely.transform(
            g, lambda xy: numpy.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    fwd, inv = projector("EPSG:4326", aeqd), projector(aeqd, "EPSG:4326")
    outline = shape([ft for ft in features("osm-maritime-10m.geojson") if ft["id"] == "AM"][0]["geometry"])
    near = outline.intersection(sample.envelope.buffer(0.5))
    local = fwd(near.segmentize(0.005))
    band = {}
    for name, d in [("inner_1km", -1000.0), ("outer_1km", 1000.0)]:
        moved = inv(local.buffer(d, quad_segs=32))
        inside = json.loads(json.dumps(mapping(sample.intersection(moved))))
        if inside["type"] == "Polygon":
            inside = {"type": "MultiPolygon", "coordinates": [inside["coordinates"]]}
        band[name] = measure(inside)["area_m2"]
    out["sample_band_armenia"] = band
    # Where Armenia's two lines disagree (render --compare): shapely's
    # differences of the outlines, measured by GeographicLib.
    osm = geodesic_densify(shape([ft for ft in features("osm-maritime-10m.geojson") if ft["id"] == "AM"][0]["geometry"]))
    ne = geodesic_densify(shape([ft for ft in features("ne10m-countries.geojson") if ft["id"] == "AM"][0]["geometry"]))

    def measured(g):
        gj = json.loads(json.dumps(mapping(g)))
        if gj["type"] == "GeometryCollection":
            gj = {"type": "MultiPolygon", "coordinates": [
                p["coordinates"] for p in gj["geometries"] if p["type"] == "Polygon"]}
        if gj["type"] == "Polygon":
            gj = {"type": "MultiPolygon", "coordinates": [gj["coordinates"]]}
        return measure(gj)["area_m2"]
    out["armenia_disagreement"] = {"only_ne10m_m2": measured(ne.difference(osm)),
                                   "only_osm_m2": measured(osm.difference(ne))}
    path = os.path.join(ROOT, "tests", "data", "reference-areas.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
