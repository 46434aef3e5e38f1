#!/usr/bin/env bash
# Side by side with the peers, same files, same run (issue #11):
#   1. area of the world admin-1 layer (4,596 features, 1.3 M vertices):
#      territory with the validity checks (and --repair, since Natural Earth
#      has one self-crossing ring), territory --no-check, pyproj.Geod
#      (polygon_area_perimeter per polygon, as a geopandas user would);
#   2. area --by against geopandas.overlay(how="intersection") on three cases:
#      the first 1,000 admin-1 features by themselves, all 4,596 by
#      themselves, and 30,000 seeded random triangles by builtin:caucasus
#      (geopandas gets the same regions from `territory` as GeoJSON).
# Prints wall time and peak RSS (/usr/bin/time) for each, and the ratios.
# Usage: scripts/bench-peers.sh   (needs python3 -m venv; pip installs
# pyproj, geopandas into bench-data/venv)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/make-bench-data.sh
cargo build --release --quiet
venv=bench-data/venv
[ -x $venv/bin/python ] || python3 -m venv $venv
$venv/bin/python -c "import pyproj, geopandas, pyogrio" 2>/dev/null \
  || $venv/bin/pip install --quiet pyproj geopandas pyogrio
py=$venv/bin/python
t=target/release/territory
world=bench-data/ne_10m_admin1.geojson
$py - <<'PY'
import json, random
fc = json.load(open("bench-data/ne_10m_admin1.geojson"))
json.dump({"type": "FeatureCollection", "features": fc["features"][:1000]},
          open("bench-data/admin1-first1000.geojson", "w"))
rnd = random.Random(5)
feats = []
for i in range(30000):
    x, y = 39 + rnd.random() * 12, 37.5 + rnd.random() * 6.5
    s = 0.005 + rnd.random() * 0.03
    feats.append({"type": "Feature", "id": f"p{i}", "properties": {},
                  "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + s, y], [x + s * 0.5, y + s], [x, y]]]}})
json.dump({"type": "FeatureCollection", "features": feats}, open("bench-data/random-30000.geojson", "w"))
PY
$t validate builtin:caucasus --repair -o bench-data/caucasus.geojson 2>/dev/null

cat > bench-data/pyproj_area.py <<'PY'
import json, pyproj
g = pyproj.Geod(ellps="WGS84")
fc = json.load(open("bench-data/ne_10m_admin1.geojson"))
total = 0.0
for f in fc["features"]:
    geom = f["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    for poly in polys:
        for k, ring in enumerate(poly):
            lons, lats = zip(*[(p[0], p[1]) for p in ring])
            a, _ = g.polygon_area_perimeter(lons, lats)
            total += abs(a) if k == 0 else -abs(a)
print(total)
PY
cat > bench-data/gpd_overlay.py <<'PY'
import sys, geopandas as gpd
a = gpd.read_file(sys.argv[1]); b = gpd.read_file(sys.argv[2])
pieces = gpd.overlay(a, b, how="intersection", keep_geom_type=True)
area = pieces.to_crs("+proj=cea").area  # equal-area, as a geopandas user would
print(len(pieces), area.sum())
PY

timed() { # label, command...: one line "label | seconds | MB"
  local label=$1; shift
  local rc=0
  /usr/bin/time -o bench-data/time.txt -f "%e %M" "$@" >/dev/null 2>&1 || rc=$?
  read -r secs kb < bench-data/time.txt || true
  printf '| %s | %s s | %d MB |%s\n' "$label" "$secs" $((kb / 1024)) \
    "$([ $rc -ne 0 ] && echo " exit $rc")"
}

echo "== 1. area of the world admin-1 layer"
timed "territory area (checks, --repair)" $t area $world --repair -f csv
timed "territory area --no-check" $t area $world --no-check -f csv
timed "pyproj.Geod polygon_area_perimeter" $py bench-data/pyproj_area.py

echo "== 2. area --by against geopandas.overlay(how=\"intersection\")"
first=bench-data/admin1-first1000.geojson
timed "territory area --by (first 1,000 by themselves)" $t area $first --by $first --no-check -f csv
timed "geopandas overlay (first 1,000 by themselves)" $py bench-data/gpd_overlay.py $first $first
timed "territory area --by (30,000 triangles by caucasus)" $t area bench-data/random-30000.geojson --by builtin:caucasus -f csv
timed "geopandas overlay (30,000 triangles by caucasus)" $py bench-data/gpd_overlay.py bench-data/random-30000.geojson bench-data/caucasus.geojson
timed "territory area --by (all 4,596 by themselves)" timeout 900 $t area $world --by $world --no-check -f csv
timed "geopandas overlay (all 4,596 by themselves)" timeout 900 $py bench-data/gpd_overlay.py $world $world
