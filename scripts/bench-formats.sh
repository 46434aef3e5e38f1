#!/usr/bin/env bash
# Read speed of the formats (issue #15), side by side in one run:
#   1. the world admin-1 layer (Natural Earth 1:10m, 4,596 polygons, 1.3 M
#      vertices) as GeoJSON, GeoPackage, FlatGeobuf (both by GDAL's ogr2ogr)
#      and GeoParquet (geopandas): `territory info FILE --no-check` (read,
#      build the layer, describe it), median wall time of ROUNDS runs each,
#      and the ratio to GeoJSON;
#   2. 10 million points located as CSV and as GeoParquet (WKB points, by
#      pyarrow + shapely): `territory locate FILE > /dev/null`, points/s and
#      the ratio to CSV; and the same run writing `-f parquet`.
# Prints wall time and peak RSS (/usr/bin/time).
# Usage: scripts/bench-formats.sh [ROUNDS]   (needs ogr2ogr, and a python
# with geopandas, pyarrow and shapely in bench-data/venv)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
scripts/make-bench-data.sh
cargo build --release --quiet
t=target/release/territory
py=bench-data/venv/bin/python
b=bench-data
[ -s $b/points-10000000.csv ] || python3 scripts/gen-points.py 10000000 $b/points-10000000.csv 42
[ -f $b/admin1.gpkg ] || ogr2ogr -f GPKG $b/admin1.gpkg $b/ne_10m_admin1.geojson -nln admin1
[ -f $b/admin1.fgb ] || ogr2ogr -f FlatGeobuf $b/admin1.fgb $b/ne_10m_admin1.geojson
[ -f $b/admin1.parquet ] || $py -c "
import geopandas as gpd; gpd.read_file('$b/ne_10m_admin1.geojson').to_parquet('$b/admin1.parquet')"
if [ ! -f $b/points-10000000.parquet ]; then
  $py - <<'PY'
import json, pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq, shapely
t = pc.read_csv("bench-data/points-10000000.csv")
wkb = shapely.to_wkb(shapely.points(t.column("lon").to_numpy(), t.column("lat").to_numpy()))
t = t.drop(["lat", "lon"]).append_column("geometry", pa.array(wkb, pa.binary()))
geo = {"version": "1.1.0", "primary_column": "geometry",
       "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}}}
pq.write_table(t.replace_schema_metadata({b"geo": json.dumps(geo).encode()}),
               "bench-data/points-10000000.parquet", row_group_size=1_000_000)
PY
fi

# Median wall seconds and max RSS (MB) of `rounds` runs of a command.
measure() {
  local walls=() rss=0
  for _ in $(seq "$rounds"); do
    /usr/bin/time -f "%e %M" -o /tmp/territory-bench-time "$@" >/dev/null 2>/dev/null
    read -r w m < /tmp/territory-bench-time
    walls+=("$w")
    ((m > rss)) && rss=$m
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $((rss / 1024))"
}

echo "== world admin-1 layer (4,596 polygons): territory info FILE --no-check, median of $rounds"
printf '%-10s %10s %8s %8s %8s\n' format size_MB wall_s rss_MB vs_geojson
base=""
for f in ne_10m_admin1.geojson admin1.gpkg admin1.fgb admin1.parquet; do
  read -r wall rss < <(measure $t info $b/$f --no-check)
  [ -z "$base" ] && base=$wall
  size=$(du -m $b/$f | cut -f1)
  printf '%-10s %10s %8s %8s %8.2f\n' "${f##*.}" "$size" "$wall" "$rss" \
    "$(echo "$base / $wall" | bc -l)"
done

echo "== 10,000,000 points: territory locate FILE > /dev/null (stdout, no -o), CSV and GeoParquet alternating, median of $rounds"
printf '%-22s %8s %8s %12s %8s\n' input wall_s rss_MB points_per_s vs_csv
# The two inputs in turn, round after round, so that a slow spell of the
# machine falls on both: median wall and max RSS of each.
declare -A walls rsses
for _ in $(seq "$rounds"); do
  for f in csv parquet; do
    /usr/bin/time -f "%e %M" -o /tmp/territory-bench-time $t locate $b/points-10000000.$f >/dev/null 2>&1
    read -r w m < /tmp/territory-bench-time
    walls[$f]="${walls[$f]:-} $w"
    (( m / 1024 > ${rsses[$f]:-0} )) && rsses[$f]=$((m / 1024))
  done
done
median_of() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
csv_wall=$(median_of "${walls[csv]}")
for f in csv parquet; do
  wall=$(median_of "${walls[$f]}")
  printf '%-22s %8s %8s %12.0f %8.2f\n' "$f" "$wall" "${rsses[$f]}" \
    "$(echo "10000000 / $wall" | bc -l)" "$(echo "$csv_wall / $wall" | bc -l)"
done
read -r wall rss < <(measure $t locate $b/points-10000000.csv -f parquet)
printf '%-22s %8s %8s %12.0f %8s\n' "csv -f parquet" "$wall" "$rss" \
  "$(echo "10000000 / $wall" | bc -l)" "—"
