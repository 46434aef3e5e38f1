#!/usr/bin/env python3
"""The Spark recipe (README "On a cluster: Spark"), run and checked: N points
(default 10 M, bench-data/points-N.csv) located in builtin:caucasus with
`DataFrame.mapInArrow` and the Python package, on a local Spark of 2
cores; written as Parquet; compared row by row with `territory locate` on
the same CSV; the times side by side.

Not in CI (it needs Java and pyspark, several hundred MB). Usage:
  PYTHON scripts/spark-locate.py [N]
where PYTHON has territory (pip install ./python), pyspark and pyarrow, and
java is on PATH (Debian: apt-get install openjdk-17-jre-headless).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / "target/release/territory")
LAYER = "builtin:caucasus"

# Per Python worker process: the layer read and indexed once.
_REGIONS = {}


def locate_batches(batches):
    """mapInArrow's function: each Arrow record batch with the region's id
    and name of every point added (null where none)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    import territory

    regions = _REGIONS.get(LAYER)
    if regions is None:
        regions = _REGIONS[LAYER] = territory.Regions(LAYER)
    ids = pa.array(list(regions.ids[:-1]), pa.string())
    names = pa.array(list(regions.names[:-1]), pa.string())
    for b in batches:
        lat = b.column("lat").to_numpy(zero_copy_only=False)
        lon = b.column("lon").to_numpy(zero_copy_only=False)
        idx = pa.array(regions.index(lat, lon))
        take = pc.if_else(pc.greater_equal(idx, 0), idx, pa.scalar(None, pa.int64()))
        yield pa.RecordBatch.from_arrays(
            list(b.columns) + [ids.take(take), names.take(take)],
            names=list(b.schema.names) + ["caucasus_id", "caucasus_name"],
        )


def pass_through(batches):
    """The same job without territory: each batch with two null columns
    (what Spark itself costs)."""
    import pyarrow as pa

    for b in batches:
        nulls = pa.nulls(b.num_rows, pa.string())
        yield pa.RecordBatch.from_arrays(
            list(b.columns) + [nulls, nulls],
            names=list(b.schema.names) + ["caucasus_id", "caucasus_name"],
        )


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    from pyspark.sql import SparkSession

    csv = ROOT / "bench-data" / f"points-{n}.csv"
    if not csv.exists():
        subprocess.run([sys.executable, ROOT / "scripts/gen-points.py", str(n), csv, "42"], check=True)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    tmp = Path(tempfile.mkdtemp(prefix="territory-spark-"))
    try:
        spark = (
            SparkSession.builder.master("local[2]")
            .appName("territory-locate")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "65536")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        schema_in = "id long, lat double, lon double"
        df = spark.read.csv(str(csv), header=True, schema=schema_in)
        out_schema = schema_in + ", caucasus_id string, caucasus_name string"
        t = time.perf_counter()
        df.mapInArrow(locate_batches, out_schema).write.parquet(str(tmp / "spark-out"))
        w_spark = time.perf_counter() - t
        t = time.perf_counter()
        df.mapInArrow(pass_through, out_schema).write.parquet(str(tmp / "spark-through"))
        w_through = time.perf_counter() - t
        spark.stop()

        t = time.perf_counter()
        subprocess.run([CLI, "locate", str(csv), "--regions", LAYER, "-q", "-o", str(tmp / "cli.csv")], check=True)
        w_cli = time.perf_counter() - t

        got = pq.read_table(tmp / "spark-out").sort_by("id")
        want = pcsv.read_csv(
            tmp / "cli.csv",
            convert_options=pcsv.ConvertOptions(
                column_types={"caucasus_id": "string", "caucasus_name": "string"},
                strings_can_be_null=True,
            ),
        ).sort_by("id")
        assert got.num_rows == want.num_rows == n, (got.num_rows, want.num_rows)
        for col in ["id", "caucasus_id", "caucasus_name"]:
            a, b = got.column(col), want.column(col)
            if col != "id":
                a, b = pc.fill_null(a, ""), pc.fill_null(b, "")
            assert a.equals(b), col
        matched = got.column("caucasus_id").null_count
        print(f"{n:,} points, {n - matched:,} in a region; every row equal to the CLI's")
        print(f"Spark local[2], mapInArrow + territory -> Parquet: {w_spark:.1f} s ({n / w_spark / 1e6:.2f} M points/s)")
        print(f"the same job passing batches through, without territory: {w_through:.1f} s (Spark's own share)")
        print(f"CLI locate CSV -> CSV: {w_cli:.1f} s ({n / w_cli / 1e6:.2f} M points/s); Spark/CLI {w_spark / w_cli:.1f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
