#!/usr/bin/env bash
# locate --distance against locate alone (issue #11: "within 3x"): 1 M seeded
# points (scripts/gen-points.py) against the whole Natural Earth admin-1 layer,
# five runs of each, alternating, same files; prints each run, the medians and
# their ratio. Usage: scripts/bench-distance.sh [N]  (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
scripts/make-bench-data.sh >/dev/null
pts=bench-data/points-$n.csv
[ -s "$pts" ] || python3 scripts/gen-points.py "$n" "$pts" 42
cargo build --release --quiet
run() { # extra flags...: wall seconds
  /usr/bin/time -f "%e" -o bench-data/time.txt target/release/territory locate "$pts" \
    --regions world=bench-data/ne_10m_admin1.geojson --no-check "$@" -o bench-data/located.csv 2>/dev/null
  cat bench-data/time.txt
}
plain=(); dist=()
for _ in 1 2 3 4 5; do
  plain+=("$(run)"); dist+=("$(run --distance)")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
mp=$(median "${plain[@]}"); md=$(median "${dist[@]}")
echo "locate:            ${plain[*]} s (median $mp s)"
echo "locate --distance: ${dist[*]} s (median $md s)"
python3 -c "print(f'ratio of medians: {$md / $mp:.2f}')"
