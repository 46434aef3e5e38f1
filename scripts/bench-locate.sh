#!/usr/bin/env bash
# The locate benchmark: 10 million seeded random points (id,lat,lon, lon 38-51,
# lat 37-44) against the whole Natural Earth admin-1 layer, end to end (read
# CSV, look up, write CSV), with peak memory; then geopandas sjoin on the same
# files in the same run. Usage: scripts/bench-locate.sh [N]   (default 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000000}
scripts/make-bench-data.sh
pts=bench-data/points-$n.csv
[ -s "$pts" ] || python3 scripts/gen-points.py "$n" "$pts" 42
cargo build --release --quiet
echo "== territory locate ($n points)"
/usr/bin/time -f "wall %e s, peak RSS %M KB, CPU %P" \
  target/release/territory locate "$pts" --regions world=bench-data/ne_10m_admin1.geojson \
  --no-check -o bench-data/located-territory.csv
python3 - "$n" <<'PY'
import sys
print("territory rows out:", sum(1 for _ in open("bench-data/located-territory.csv")) - 1, "of", sys.argv[1])
PY
echo "== geopandas sjoin"
python3 -c "import geopandas, pyogrio" 2>/dev/null || pip install --quiet geopandas pyogrio
/usr/bin/time -f "wall %e s, peak RSS %M KB, CPU %P" \
  python3 scripts/compare-geopandas.py "$pts" bench-data/ne_10m_admin1.geojson bench-data/located-geopandas.csv
