#!/usr/bin/env bash
# Make the binary-format test fixtures of tests/data/formats/ from the
# GeoJSON fixtures, with tools independent of territory: GDAL's ogr2ogr
# (GeoPackage, Shapefile, FlatGeobuf, CSV with WKT) and geopandas/pyarrow
# (GeoParquet, which Debian's GDAL 3.6 cannot write).
#
#   scripts/make-format-fixtures.sh PYTHON   # a python with geopandas and pyarrow
#
# The outputs are committed; run this again only to remake them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-python3}
out=tests/data/formats
rm -rf "$out"
mkdir -p "$out"
sample=data/examples/occupied-illustrative.geojson
incidents=data/examples/incidents.csv

# The illustrative sample (10 polygons, string ids, dates) in every format.
ogr2ogr -f GPKG "$out/occupied.gpkg" "$sample" -nln occupied
ogr2ogr -f "ESRI Shapefile" "$out/occupied.shp" "$sample" -lco ENCODING=UTF-8
(cd "$out" && zip -q -X occupied.shp.zip occupied.shp occupied.shx occupied.dbf occupied.prj occupied.cpg)
ogr2ogr -f FlatGeobuf "$out/occupied.fgb" "$sample"
ogr2ogr -f CSV "$out/occupied-wkt.csv" "$sample" -lco GEOMETRY=AS_WKT

# Polygons with holes (ring grouping of shapefiles).
ogr2ogr -f "ESRI Shapefile" "$out/hole.shp" tests/data/hole.geojson
ogr2ogr -f GPKG "$out/hole.gpkg" tests/data/hole.geojson

# Points: the incidents CSV as Point layers, and as an attributes-only table.
ogr2ogr -f GPKG "$out/incidents.gpkg" "$incidents" -nln incidents \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
ogr2ogr -f FlatGeobuf "$out/incidents.fgb" "$incidents" \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
ogr2ogr -f "ESRI Shapefile" "$out/incidents.shp" "$incidents" \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
ogr2ogr -f CSV "$out/incidents-wkt.csv" "$incidents" -lco GEOMETRY=AS_WKT \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326

# A GeoPackage with two feature tables and an attributes table.
ogr2ogr -f GPKG "$out/two-tables.gpkg" "$sample" -nln occupied
ogr2ogr -update -f GPKG "$out/two-tables.gpkg" tests/data/hole.geojson -nln hole
ogr2ogr -update -f GPKG "$out/two-tables.gpkg" "$incidents" -nln incidents_table

# A projected shapefile (UTM 38N) and a GeoPackage with that srs_id.
ogr2ogr -f "ESRI Shapefile" "$out/utm-square.shp" tests/data/utm-square.geojson -s_srs EPSG:32638 -a_srs EPSG:32638
ogr2ogr -f GPKG "$out/utm-square.gpkg" tests/data/utm-square.geojson -s_srs EPSG:32638 -a_srs EPSG:32638

# A shapefile in code page 1251 (Cyrillic names).
cat > /tmp/territory-cp1251.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"name": "Сюник", "n": 7}, "geometry": {"type": "Polygon", "coordinates": [[[46.0, 39.0], [46.1, 39.0], [46.1, 39.1], [46.0, 39.0]]]}}
]}
EOF
ogr2ogr -f "ESRI Shapefile" "$out/cp1251.shp" /tmp/territory-cp1251.geojson -lco ENCODING=CP1251

# GeoParquet by geopandas: 1.0 WKB, 1.1 native GeoArrow with a bbox column, points.
"$PY" - "$sample" "$incidents" "$out" <<'EOF'
import sys
import geopandas as gpd
import pandas as pd

sample, incidents, out = sys.argv[1:4]
g = gpd.read_file(sample)
g.to_parquet(f"{out}/occupied.parquet", schema_version="1.0.0")
g.to_parquet(f"{out}/occupied-native.parquet", geometry_encoding="geoarrow",
             write_covering_bbox=True, schema_version="1.1.0")
df = pd.read_csv(incidents)
pts = gpd.GeoDataFrame(df.drop(columns=["lat", "lon"]),
                       geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")
pts.to_parquet(f"{out}/incidents.parquet")
pts.to_parquet(f"{out}/incidents-native.parquet", geometry_encoding="geoarrow")
df.to_parquet(f"{out}/incidents-plain.parquet")
# The third incident's latitude out of range (95): an error naming feature 3.
bad = df.copy()
bad.loc[2, "lat"] = 95.0
gpd.GeoDataFrame(bad.drop(columns=["lat", "lon"]),
                 geometry=gpd.points_from_xy(bad.lon, bad.lat),
                 crs="EPSG:4326").to_parquet(f"{out}/bad-point-range.parquet")
EOF
# Regions with a spatial index: Armenia's provinces (Natural Earth), then a
# self-intersecting bowtie far away (in the Atlantic), which `area --by`
# never reads: the index picks the regions near the layer.
python3 - > /tmp/territory-am-far.geojson <<'EOF'
import json
d = json.load(open("data/ne10m-admin1.geojson"))
fs = [f for f in d["features"] if f["properties"].get("iso_a2") == "AM"]
fs.append({"type": "Feature", "properties": {"iso_3166_2": "XX-BOWTIE", "name": "Bowtie"},
           "geometry": {"type": "Polygon", "coordinates": [[[-30, 0], [-29, 1], [-29, 0], [-30, 1], [-30, 0]]]}})
print(json.dumps({"type": "FeatureCollection", "features": fs}))
EOF
ogr2ogr -f FlatGeobuf "$out/provinces-far-bowtie.fgb" /tmp/territory-am-far.geojson -nln provinces

# Bad input, each one way broken (tests/bad_input.rs says what the message names).
cut() { head -c "$2" "$out/$1" > "$out/$3"; }
cut occupied.gpkg 20000 bad-truncated.gpkg
cut occupied.fgb 1500 bad-truncated.fgb
cut occupied.parquet 6000 bad-truncated.parquet
for ext in shx dbf prj cpg; do cp "$out/occupied.$ext" "$out/bad-truncated.$ext"; done
cut occupied.shp 900 bad-truncated.shp
cp "$out/occupied.shp" "$out/bad-no-dbf.shp"; cp "$out/occupied.shx" "$out/bad-no-dbf.shx"
cp "$out/occupied.shp" "$out/bad-no-shx.shp"; cp "$out/occupied.dbf" "$out/bad-no-shx.dbf"
for ext in shp shx dbf; do cp "$out/occupied.$ext" "$out/bad-prj.$ext"; done
printf 'this is not a coordinate system' > "$out/bad-prj.prj"
ogr2ogr -f GPKG "$out/bad-no-feature-table.gpkg" "$incidents" -nln incidents_table
cp "$out/incidents-plain.parquet" "$out/bad-no-geo.parquet"
ogr2ogr -f GPKG "$out/bad-null-geometry.gpkg" tests/data/bad-null-geometry.geojson
"$PY" - "$out" <<'EOF'
import sqlite3, sys
out = sys.argv[1]
c = sqlite3.connect(f"{out}/bad-not-a-geopackage.gpkg")
c.execute("CREATE TABLE places (name TEXT, wkt TEXT)")
c.execute("INSERT INTO places VALUES ('x', 'POINT (45 40)')")
c.commit()
c.close()
EOF
printf '<?xml version="1.0"?>\n<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml"/>\n' > "$out/bad-unsupported.gml"
printf '!table\n!version 300\n' > "$out/bad-unsupported.tab"
rm -f "$out"/*.aux.xml
ls -la "$out"
