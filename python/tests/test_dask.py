"""The Dask recipe (README "Python", "On a cluster: Dask"): a partitioned
dataset located with map_partitions on a LocalCluster of two worker
processes, written as partitioned GeoParquet, compared row by row with the
command-line program on the same points."""

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
dask_geopandas = pytest.importorskip("dask_geopandas")
pd = pytest.importorskip("pandas")

import territory  # noqa: E402
import territory.dask  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PARTITIONS = 8
ROWS = 40_000


def cli() -> str:
    """The territory program: $TERRITORY_BIN, else the repository's build."""
    for p in [os.environ.get("TERRITORY_BIN"), ROOT / "target/release/territory", ROOT / "target/debug/territory"]:
        if p and Path(p).is_file():
            return str(p)
    pytest.skip("no territory binary: build it (cargo build) or set TERRITORY_BIN")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        with distributed.Client(c) as client:
            yield client


def points(tmp: Path) -> Path:
    """ROWS points around the South Caucasus (some at sea, some outside
    every region), as PARTITIONS CSV files."""
    rng = np.random.default_rng(16)
    df = pd.DataFrame(
        {
            "id": np.arange(ROWS),
            "lat": np.round(rng.uniform(38.0, 42.5, ROWS), 6),
            "lon": np.round(rng.uniform(40.0, 51.0, ROWS), 6),
        }
    )
    d = tmp / "points"
    d.mkdir()
    for k, rows in enumerate(np.array_split(np.arange(ROWS), PARTITIONS)):
        df.iloc[rows].to_csv(d / f"part-{k:02d}.csv", index=False)
    return d


def test_dask_locate_equals_the_cli_row_by_row(tmp_path, cluster):
    src = points(tmp_path)
    ddf = dd.read_csv(str(src / "*.csv"))
    assert ddf.npartitions >= PARTITIONS
    # A file layer (shipped as bytes), to be read on the workers.
    layer = tmp_path / "provinces.geojson"
    shutil.copy(ROOT / "tests/data/split-regions.geojson", layer)
    located = territory.dask.locate(ddf, "builtin:caucasus", prefix="caucasus")
    located = territory.dask.locate(located, str(layer), prefix="split")
    # Written as partitioned GeoParquet (dask-geopandas: WKB + geo metadata).
    geo = dask_geopandas.from_dask_dataframe(
        located, geometry=dask_geopandas.points_from_xy(located, "lon", "lat", crs="EPSG:4326")
    )
    out = tmp_path / "located"
    geo.to_parquet(str(out))
    files = sorted(out.glob("*.parquet"))
    assert len(files) >= PARTITIONS
    got = dask_geopandas.read_parquet(str(out)).compute().sort_values("id").reset_index(drop=True)
    assert len(got) == ROWS
    # The CLI on all the points at once.
    whole = tmp_path / "all.csv"
    pd.concat([pd.read_csv(f) for f in sorted(src.glob("*.csv"))]).to_csv(whole, index=False)
    run = subprocess.run(
        [cli(), "locate", str(whole), "--regions", "builtin:caucasus", "--regions", str(layer), "-f", "csv"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == ROWS
    split_prefix = layer.stem  # the CLI names a file layer's columns by its stem
    def text(v):
        return None if pd.isna(v) else v

    for r, (_, g) in zip(sorted(rows, key=lambda r: int(r["id"])), got.iterrows()):
        assert int(r["id"]) == g["id"]
        assert (r["caucasus_id"] or None) == text(g["caucasus_id"]), r
        assert (r["caucasus_name"] or None) == text(g["caucasus_name"]), r
        assert (r[f"{split_prefix}_id"] or None) == text(g["split_id"]), r
        # The geometry written is the point.
        assert g.geometry.x == g["lon"] and g.geometry.y == g["lat"]
    matched = got["caucasus_id"].notna().sum()
    assert 0.3 * ROWS < matched < ROWS  # land and sea, both
    assert got["split_id"].notna().sum() > 0


def test_the_layer_is_indexed_once_per_worker(cluster):
    ddf = dd.from_pandas(
        pd.DataFrame({"lat": np.linspace(39, 41, 1600), "lon": np.linspace(44, 46, 1600)}),
        npartitions=16,
    )
    territory.dask.locate(ddf, "builtin:armenia-provinces").compute()

    def builds():
        return territory.dask.BUILDS.get("builtin:armenia-provinces", 0)

    per_worker = cluster.run(builds)
    assert len(per_worker) == 2
    # Sixteen partitions; each worker process that ran any built the index once.
    assert all(n <= 1 for n in per_worker.values()), per_worker
    assert sum(per_worker.values()) >= 1


def test_warm_indexes_on_every_worker_before_the_first_job(cluster):
    layer = "builtin:armenia"
    warmed = territory.dask.warm(layer)
    # Both worker processes built the index, once each, before any job.
    assert sorted(warmed.values()) == [1, 1], warmed
    ddf = dd.from_pandas(
        pd.DataFrame({"lat": np.linspace(38.8, 41.3, 1600), "lon": np.linspace(43.4, 46.6, 1600)}),
        npartitions=16,
    )
    got = territory.dask.locate(ddf, layer).compute()
    # The jobs used the warmed index: no worker built it again.
    per_worker = cluster.run(lambda: territory.dask.BUILDS.get(layer, 0))
    assert sorted(per_worker.values()) == [1, 1], per_worker
    # And the answers are the library's own.
    want = territory.Regions(layer).locate(ddf["lat"].compute().to_numpy(), ddf["lon"].compute().to_numpy())
    assert list(got["region_id"].astype(object).where(got["region_id"].notna(), None)) == list(want)
    assert got["region_id"].notna().sum() > 0


def test_warm_names_a_bad_layer_here_not_on_a_worker(cluster, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon"}}]}')
    with pytest.raises(territory.TerritoryError, match="bad.geojson"):
        territory.dask.warm(str(bad))


def test_a_layer_that_needs_repair_is_refused_or_repaired_as_in_regions(cluster):
    layer = str(ROOT / "data/examples/invalid-bowtie.geojson")
    ddf = dd.from_pandas(
        # A 20 x 20 grid over both squares and the bow tie's two triangles.
        pd.DataFrame(
            {
                "lat": np.repeat(np.linspace(39.97, 40.23, 20), 20),
                "lon": np.tile(np.linspace(44.97, 45.23, 20), 20),
            }
        ),
        npartitions=4,
    )
    with pytest.raises(territory.TerritoryError, match="invalid-bowtie.geojson"):
        territory.dask.locate(ddf, layer)
    got = territory.dask.locate(ddf, layer, repair=True).compute()
    want = territory.Regions(layer, repair=True).locate(ddf["lat"].compute().to_numpy(), ddf["lon"].compute().to_numpy())
    assert list(got["region_id"].astype(object).where(got["region_id"].notna(), None)) == list(want)
    # Both features hold points; the repaired bow tie holds some of its own.
    assert {"ok", "bowtie"} <= set(v for v in want if v is not None)
