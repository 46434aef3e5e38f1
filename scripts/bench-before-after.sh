#!/usr/bin/env bash
# Two builds of territory side by side in one run (issue #14: "locate and area
# benchmarks unchanged within 5 %"). Each workload runs ROUNDS times per
# binary, alternating, so both see the same machine state; the best wall time
# and the best CPU time (user + system, of the process: steadier on a shared
# VM, where writing hundreds of MB moves the wall time by 10-15 %) of each
# are kept and the ratios after/before printed.
#   area:   the world admin-1 layer (4,596 features, 1.3 M vertices), --no-check
#   area-checked: the same with the validity checks and --repair
#   by:     the first 1,000 admin-1 features --by themselves (the overlay)
#   locate: 10,000,000 seeded points against the world admin-1 layer, CSV out
#           (1 M runs in under a second: too short to compare to 5 %)
# Usage: scripts/bench-before-after.sh BEFORE_BIN AFTER_BIN [ROUNDS]  (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 rounds=${3:-5}
scripts/make-bench-data.sh
world=bench-data/ne_10m_admin1.geojson
first=bench-data/admin1-first1000.geojson
[ -s $first ] || python3 -c "
import json; fc = json.load(open('$world'))
json.dump({'type': 'FeatureCollection', 'features': fc['features'][:1000]}, open('$first', 'w'))"
pts=bench-data/points-10000000.csv
[ -s $pts ] || python3 scripts/gen-points.py 10000000 $pts 42
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 - "$before" "$after" "$rounds" "$world" "$first" "$pts" "$scratch" <<'PY'
import resource, subprocess, sys, time
before, after, rounds, world, first, pts, scratch = sys.argv[1:]
work = {
    "area": ["area", world, "--no-check", "-f", "csv", "-o", scratch + "/a.csv"],
    "area-checked": ["area", world, "--repair", "-f", "csv", "-o", scratch + "/a.csv"],
    "by": ["area", first, "--by", first, "--no-check", "-f", "csv", "-o", scratch + "/b.csv"],
    "locate": ["locate", pts, "--regions", "world=" + world, "--no-check", "-o", scratch + "/l.csv"],
}
print(f"{'workload':<14}{'wall before':>12}{'after':>8}{'ratio':>7}{'cpu before':>12}{'after':>8}{'ratio':>7}")
for name, args in work.items():
    wall = {before: float("inf"), after: float("inf")}
    cpu = dict(wall)
    for _ in range(int(rounds)):
        for b in (before, after):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([b] + args, check=True, stderr=subprocess.DEVNULL)
            wall[b] = min(wall[b], time.perf_counter() - t)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            cpu[b] = min(cpu[b], used)
    print(f"{name:<14}{wall[before]:>12.3f}{wall[after]:>8.3f}{wall[after] / wall[before]:>7.3f}"
          f"{cpu[before]:>12.3f}{cpu[after]:>8.3f}{cpu[after] / cpu[before]:>7.3f}")
PY
