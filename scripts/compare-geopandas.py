#!/usr/bin/env python3
"""geopandas baseline for the locate benchmark: read the points CSV, sjoin with
the world admin-1 layer (predicate "within", how "left"), write CSV, all timed.

Usage: python3 scripts/compare-geopandas.py POINTS.csv REGIONS.geojson OUT.csv
Needs: pip install geopandas pyogrio   (shapely 2)
"""
import sys
import time

import geopandas as gpd
import pandas as pd
import shapely


def main():
    points_csv, regions, out = sys.argv[1:4]
    t0 = time.perf_counter()
    world = gpd.read_file(regions)[["iso_3166_2", "name", "geometry"]]
    t1 = time.perf_counter()
    df = pd.read_csv(points_csv)
    pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=world.crs)
    t2 = time.perf_counter()
    joined = gpd.sjoin(pts, world, how="left", predicate="within")
    t3 = time.perf_counter()
    joined = joined[~joined.index.duplicated(keep="first")]
    joined[["id", "lat", "lon", "iso_3166_2", "name"]].to_csv(out, index=False)
    t4 = time.perf_counter()
    n = len(df)
    print(f"geopandas {gpd.__version__}, shapely {shapely.__version__}: {n} points")
    print(f"  read regions {t1 - t0:.2f} s, read CSV {t2 - t1:.2f} s, sjoin {t3 - t2:.2f} s, write {t4 - t3:.2f} s")
    print(f"  total {t4 - t0:.2f} s = {n / (t4 - t0) / 1e6:.3f} M points/s; matched {joined['iso_3166_2'].notna().sum()}")


if __name__ == "__main__":
    main()
