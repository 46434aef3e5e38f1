#!/usr/bin/env python3
"""Brute-force reference for `territory depth` (tests/depth.rs), independent
of the Rust code: shapely (GEOS), pyproj (PROJ) and GeographicLib.

For each feature of data/examples/occupied-illustrative.geojson and each
border (the 10 m political outline of Armenia and Natural Earth's):

  - P = the feature inside the border (shapely, both densified along their
    geodesics every 50 m: edges are geodesics), in a pyproj azimuthal
    equidistant projection centred on the sample;
  - max depth: P sampled densely (a 25 m grid, every vertex, every edge each
    25 m), each sample's planar distance to the border line; the best sample's
    distance is then measured by GeographicLib to the border line densified
    along geodesics (every 10 m) near it;
  - bands: P inside the border buffered in by 1, 2, 5 km (shapely's buffer in
    the same projection, 32 segments a quarter circle), measured by
    GeographicLib.

Writes tests/data/reference-depth.json.
Usage:  pip install shapely pyproj geographiclib numpy && python3 scripts/reference-depth.py
"""
import json
import os

import numpy
import pyproj
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import mapping, shape

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BORDERS = {"builtin:armenia": "osm-maritime-10m.geojson",
           "builtin:armenia@ne10m": "ne10m-countries.geojson"}
EDGES_KM = [1, 2, 5]
STEP = 25.0
G = Geodesic.WGS84


def ring_area(coords):
    p = G.Polygon()
    for lon, lat in coords[:-1]:
        p.AddPoint(lat, lon)
    return abs(p.Compute(False, True)[2])


def area(geom):
    if geom.is_empty:
        return 0.0
    total = 0.0
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon":
            continue
        total += ring_area(list(poly.exterior.coords))
        total -= sum(ring_area(list(r.coords)) for r in poly.interiors)
    return total


def geodesic_densify(g):
    """scripts/reference-areas.py's: points along every edge's geodesic at
    most 50 m apart, so shapely's cuts follow the geodesic edges."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "reference_areas", os.path.join(ROOT, "scripts", "reference-areas.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.geodesic_densify(g)


def main():
    with open(os.path.join(ROOT, "data", "examples", "occupied-illustrative.geojson")) as f:
        feats = json.load(f)["features"]
    sample = shapely.union_all([shape(f["geometry"]) for f in feats])
    c = sample.centroid
    aeqd = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +ellps=WGS84 +units=m")

    def projector(src, dst):
        t = pyproj.Transformer.from_crs(src, dst, always_xy=True)
        return lambda g: shapely.transform(
            g, lambda xy: numpy.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    fwd, inv = projector("EPSG:4326", aeqd), projector(aeqd, "EPSG:4326")
    out = {"generator": "scripts/reference-depth.py", "step_m": STEP, "borders": {}}
    for layer, fname in BORDERS.items():
        with open(os.path.join(ROOT, "data", fname)) as f:
            outline = shape([x for x in json.load(f)["features"] if x["id"] == "AM"][0]["geometry"])
        dense_outline = geodesic_densify(outline)
        near = outline.intersection(sample.envelope.buffer(0.5))
        plane = fwd(near.segmentize(0.002))
        line = plane.boundary
        moved = {k: plane.buffer(-1000.0 * k, quad_segs=32) for k in EDGES_KM}
        rows = {}
        for ft in feats:
            p_geo = geodesic_densify(shape(ft["geometry"])).intersection(dense_outline)
            if p_geo.is_empty:
                rows[ft["id"]] = {"inside_m2": 0.0, "max_depth_m": 0.0, "bands_m2": [0.0] * 4}
                continue
            p = fwd(p_geo.segmentize(0.0005))
            x0, y0, x1, y1 = p.bounds
            xs, ys = numpy.meshgrid(numpy.arange(x0, x1, STEP), numpy.arange(y0, y1, STEP))
            pts = shapely.points(xs.ravel(), ys.ravel())
            pts = pts[shapely.contains(p, pts)]
            edge_pts = [shapely.Point(xy) for xy in p.boundary.segmentize(STEP).coords] \
                if p.geom_type == "Polygon" else [
                shapely.Point(xy) for g in p.geoms for xy in g.boundary.segmentize(STEP).coords]
            cand = numpy.concatenate([pts, numpy.array(edge_pts, dtype=object)])
            d = shapely.distance(cand, line)
            best = cand[int(numpy.argmax(d))]
            lon, lat = inv(best).coords[0]
            # Exact: GeographicLib to the border line near the point, densified
            # along geodesics every 10 m.
            box = shapely.box(lon - 0.2, lat - 0.2, lon + 0.2, lat + 0.2)
            local_line = outline.boundary.intersection(box)
            exact = float("inf")
            for seg in getattr(local_line, "geoms", [local_line]):
                cs = list(seg.coords)
                for (xa, ya), (xb, yb) in zip(cs, cs[1:]):
                    gl = G.InverseLine(ya, xa, yb, xb)
                    n = max(1, int(gl.s13 / 10.0))
                    for k in range(n + 1):
                        q = gl.Position(gl.s13 * k / n)
                        exact = min(exact, G.Inverse(lat, lon, q["lat2"], q["lon2"])["s12"])
            cores = [inv(p.intersection(moved[k])) for k in EDGES_KM]
            inside = area(p_geo)
            core_areas = [area(g) for g in cores]
            bands = [inside - core_areas[0], core_areas[0] - core_areas[1],
                     core_areas[1] - core_areas[2], core_areas[2]]
            rows[ft["id"]] = {"inside_m2": inside, "max_depth_m": exact,
                              "deepest": [lon, lat], "bands_m2": bands}
            print(layer, ft["id"], round(exact, 1), [round(b / 1e6, 3) for b in bands])
        out["borders"][layer] = rows
    path = os.path.join(ROOT, "tests", "data", "reference-depth.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
