#!/usr/bin/env python3
"""Issue #16's numbers, measured in one run on this machine:

1. a fresh interpreter: `import territory` and the world admin-1 layer
   (Natural Earth 1:10m, 4,596 polygons) read and indexed (`Regions`);
2. `Regions.locate` on 10 M NumPy points (builtin:caucasus), points/s;
3. the same 10 M points as 16 partitions of Parquet, located with Dask on a
   LocalCluster of 2 worker processes (`territory.dask.locate`, written as
   partitioned GeoParquet by dask-geopandas) beside the CLI on the CSV
   (`territory locate -o out.parquet -f parquet`, and to stdout, discarded);
4. the anchor: dask-geopandas `sjoin` (predicate within) of the same points
   with the same regions on the same cluster, written the same way;
5. Dask's first job on fresh workers, and on workers warmed first with
   `territory.dask.warm` (a second cluster);
6. when the `sedonadb` package is installed (Apache Sedona's single-node
   engine, `pip install sedonadb geoarrow-pyarrow`): the same points per
   region by its SQL spatial join (`ST_Contains`), and all rows with their
   region (LEFT JOIN) written as Parquet, compared row by row with
   territory's answers.

Usage: PYTHON scripts/bench-python.py [N]  (PYTHON: one with territory installed
and dask, distributed, dask-geopandas; bench-data/points-N.csv is made by
scripts/gen-points.py when missing).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench-data"
CLI = str(ROOT / "target/release/territory")


def timed(f):
    t = time.perf_counter()
    r = f()
    return time.perf_counter() - t, r


def sedona(sedonadb, tmp, parts, counts, t, regions, w_cli, w_dask_count, results):
    """Apache Sedona's single-node engine on the same points and regions."""
    import pandas as pd

    results["sedonadb_version"] = sedonadb.__version__
    regions_pq = tmp / "caucasus.parquet"
    subprocess.run([CLI, "area", "builtin:caucasus", "-q", "-f", "parquet", "-o", str(regions_pq)], check=True)
    on = "ST_Contains(r.geometry, ST_SetSRID(ST_Point(p.lon, p.lat), 4326))"

    def session():
        sd = sedonadb.connect()
        sd.read_parquet(str(regions_pq)).to_view("regions")
        sd.read_parquet(sorted(str(f) for f in parts.glob("*.parquet"))).to_view("points")
        return sd

    def count():
        q = f"SELECT r.id AS id, COUNT(*) AS n FROM points p JOIN regions r ON {on} GROUP BY r.id"
        return session().sql(q).to_pandas()

    runs = [timed(count) for _ in range(3)]
    w = min(w for w, _ in runs)
    got = runs[0][1].set_index("id")["n"].sort_index().astype(int).to_dict()
    agree = got == counts[counts > 0].sort_index().astype(int).to_dict()
    results["sedonadb_count_s"] = w
    results["sedonadb_counts_agree"] = agree
    print(f"SedonaDB {sedonadb.__version__} (2 cores) -> points per region: {w:.2f} s best of 3 ({w / w_cli:.2f}x the CLI, {w / w_dask_count:.2f}x territory.dask); counts per region equal: {agree}")

    out = tmp / "sedona-out"

    def left():
        q = f"SELECT p.id, p.lat, p.lon, r.id AS caucasus_id, r.name AS caucasus_name FROM points p LEFT JOIN regions r ON {on}"
        session().sql(q).to_parquet(str(out))

    w_left, _ = timed(left)
    results["sedonadb_left_join_parquet_s"] = w_left
    import pyarrow.parquet as pq

    got = pq.read_table(str(out), columns=["id", "caucasus_id"]).to_pandas().sort_values("id", kind="stable")
    want = pd.DataFrame({"id": t.column("id").to_numpy(), "want": regions.locate(t.column("lat").to_numpy(), t.column("lon").to_numpy())})
    rows = len(got)
    merged = want.merge(got, on="id", how="left")
    differ = int((merged["caucasus_id"].fillna("").to_numpy(dtype=object) != merged["want"].fillna("").to_numpy(dtype=object)).sum())
    results["sedonadb_rows"] = rows
    results["sedonadb_rows_differing"] = differ
    print(f"SedonaDB LEFT JOIN -> Parquet, all rows: {w_left:.2f} s; {rows:,} rows (points: {len(want):,}), {differ:,} differing from territory's region")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    import numpy as np
    import pandas as pd
    import pyarrow.csv as pc
    import pyarrow.parquet as pq

    csv = BENCH / f"points-{n}.csv"
    if not csv.exists():
        subprocess.run([sys.executable, ROOT / "scripts/gen-points.py", str(n), csv, "42"], check=True)
    results = {}

    # 1. Import and index, in a fresh interpreter, best of 3, from each
    # format of the layer there is (bench-formats.sh makes them).
    for name in ["ne_10m_admin1.geojson", "admin1.gpkg", "admin1.fgb"]:
        layer = BENCH / name
        if not layer.exists():
            continue
        code = f"import territory; territory.Regions({str(layer)!r}, repair=True)"
        walls = []
        for _ in range(3):
            w, _ = timed(lambda: subprocess.run([sys.executable, "-c", code], check=True))
            walls.append(w)
        results[f"import_and_index_{name}_s"] = min(walls)
        print(f"import + Regions(world admin-1, 4,596 polygons, {name}): {min(walls):.2f} s (best of 3)")

    # 2. Regions.locate on NumPy arrays.
    import territory

    t = pc.read_csv(csv)
    lat = t.column("lat").to_numpy()
    lon = t.column("lon").to_numpy()
    regions = territory.Regions("builtin:caucasus")
    walls = []
    for _ in range(3):
        w, ids = timed(lambda: regions.locate(lat, lon))
        walls.append(w)
    w = min(walls)
    results["numpy_locate_s"] = w
    results["numpy_points_per_s"] = n / w
    matched = int((ids != None).sum())  # noqa: E711
    print(f"Regions.locate, {n:,} NumPy points: {w:.2f} s, {n / w / 1e6:.1f} M points/s ({matched:,} in a region)")

    # 3. and 4. Dask, the CLI, dask-geopandas.
    import dask.dataframe as dd
    import dask_geopandas
    import distributed
    import geopandas as gpd

    import territory.dask

    tmp = Path(tempfile.mkdtemp(prefix="territory-bench-"))
    try:
        parts = tmp / "points"
        parts.mkdir()
        step = -(-n // 16)
        for k in range(16):
            pq.write_table(t.slice(k * step, step), parts / f"part-{k:02d}.parquet")
        w_cli = min(
            timed(lambda: subprocess.run([CLI, "locate", str(csv), "-q"], stdout=subprocess.DEVNULL, check=True))[0]
            for _ in range(3)
        )
        w_cli_pq, _ = timed(
            lambda: subprocess.run([CLI, "locate", str(csv), "-q", "-f", "parquet", "-o", str(tmp / "cli.parquet")], check=True)
        )
        results["cli_csv_s"] = w_cli
        results["cli_parquet_out_s"] = w_cli_pq
        # The files just written go to disk now, not during the next timing.
        os.sync()
        print(f"CLI locate, CSV in: {w_cli:.2f} s to /dev/null (best of 3); {w_cli_pq:.2f} s writing GeoParquet")
        # The regions as a GeoDataFrame, for the sjoin anchor.
        caucasus = tmp / "caucasus.geojson"
        subprocess.run([CLI, "area", "builtin:caucasus", "-q", "-f", "geojson", "-o", str(caucasus)], check=True)
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
            with distributed.Client(c):

                def dask_run():
                    ddf = dd.read_parquet(str(parts))
                    located = territory.dask.locate(ddf, "builtin:caucasus", prefix="caucasus")
                    geo = dask_geopandas.from_dask_dataframe(
                        located, geometry=dask_geopandas.points_from_xy(located, "lon", "lat", crs="EPSG:4326")
                    )
                    geo.to_parquet(str(tmp / "dask-out"))

                def dask_count():
                    ddf = dd.read_parquet(str(parts))
                    located = territory.dask.locate(ddf, "builtin:caucasus", prefix="caucasus")
                    return located["caucasus_id"].value_counts().compute()

                # Three runs: the first includes the workers' imports and
                # index builds; the best is the steady state.
                runs = [timed(dask_count) for _ in range(3)]
                w_dask_first, counts = runs[0]
                w_dask_count = min(w for w, _ in runs)
                results["dask_count_first_s"] = w_dask_first
                results["dask_count_s"] = w_dask_count
                print(f"Dask, 2 workers, territory.dask.locate -> points per region: {w_dask_count:.2f} s best of 3 ({w_dask_count / w_cli:.2f}x the CLI to /dev/null); first run {w_dask_first:.2f} s")
                w_dask, _ = timed(dask_run)
                results["dask_s"] = w_dask
                print(f"Dask, 2 workers, territory.dask.locate -> GeoParquet: {w_dask:.2f} s ({w_dask / w_cli_pq:.2f}x the CLI writing GeoParquet, {w_dask / w_cli:.2f}x the CLI to /dev/null)")
                got = dd.read_parquet(str(tmp / "dask-out"), columns=["caucasus_id"]).compute()
                results["dask_matched"] = int(got["caucasus_id"].notna().sum())

                regions_gdf = gpd.read_file(caucasus)[["id", "name", "geometry"]]

                def joined():
                    ddf = dd.read_parquet(str(parts))
                    pts = dask_geopandas.from_dask_dataframe(
                        ddf, geometry=dask_geopandas.points_from_xy(ddf, "lon", "lat")
                    ).set_crs(4326)
                    # dask-geopandas joins only "inner": points in no region are left out.
                    return dask_geopandas.sjoin(pts, regions_gdf, how="inner", predicate="within")

                w_sjoin_count, sj = timed(lambda: joined()["id_right"].value_counts().compute())
                results["dask_geopandas_sjoin_count_s"] = w_sjoin_count
                agree = counts[counts > 0].sort_index().astype(int).to_dict() == sj.sort_index().astype(int).to_dict()
                results["sjoin_counts_agree"] = agree
                print(f"dask-geopandas sjoin, 2 workers -> points per region: {w_sjoin_count:.2f} s ({w_sjoin_count / w_dask_count:.1f}x territory.dask); counts per region equal: {agree}")
                w_sjoin, _ = timed(lambda: joined().to_parquet(str(tmp / "sjoin-out")))
                results["dask_geopandas_sjoin_s"] = w_sjoin
                print(f"dask-geopandas sjoin, 2 workers -> GeoParquet (only the points in a region): {w_sjoin:.2f} s ({w_sjoin / w_dask:.1f}x territory.dask writing all)")
        # 5. A second, fresh cluster warmed before its first job.
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
            with distributed.Client(c):
                w_warm, warmed = timed(lambda: territory.dask.warm("builtin:caucasus"))
                w_after, counts_after = timed(dask_count)
                results["dask_warm_s"] = w_warm
                results["dask_count_after_warm_s"] = w_after
                assert sorted(warmed.values()) == [1, 1], warmed
                assert counts_after.sort_index().to_dict() == counts.sort_index().to_dict()
                print(f"Dask, fresh cluster: territory.dask.warm {w_warm:.2f} s, then the first job {w_after:.2f} s ({w_after / w_cli:.2f}x the CLI; unwarmed first job {w_dask_first:.2f} s)")
        # 6. SedonaDB, when installed.
        try:
            import sedonadb
        except ImportError:
            sedonadb = None
            print("SedonaDB: not installed (pip install sedonadb geoarrow-pyarrow), skipped")
        if sedonadb is not None:
            sedona(sedonadb, tmp, parts, counts, t, regions, w_cli, w_dask_count, results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["points"] = n
    results["matched_numpy"] = matched
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
