"""Points located on a Dask cluster: :func:`locate` adds region columns to a
``dask.dataframe`` partition by partition (``map_partitions``).

The region layer travels once to each worker, not with every task: a file
is read here and its bytes go with the layer's arguments (a built-in layer
is its name), scattered to every worker when a ``distributed`` client is
running; each worker process reads and indexes it once and keeps the index
for every later partition. The same code runs on a ``LocalCluster`` and on
a cluster of many machines (no shared file system needed).

>>> import dask.dataframe as dd, territory.dask            # doctest: +SKIP
>>> points = dd.read_parquet("points/")                     # doctest: +SKIP
>>> located = territory.dask.locate(points, "builtin:caucasus")  # doctest: +SKIP
>>> located.to_parquet("located/")                          # doctest: +SKIP

A long-lived cluster can be warmed first (:func:`warm`): each worker then
imports the packages and indexes the layer before the first job, which
then runs at the steady-state speed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from typing import Any, Optional

import numpy as np

import territory

__all__ = ["locate", "warm", "ShippedRegions"]

# Per worker process: the indexed layers, by content and arguments, and how
# many times each was built (once, unless the process restarted).
_CACHE: dict = {}
BUILDS: dict = {}


class ShippedRegions:
    """A region layer as it travels to workers: its arguments and, for a
    file, its bytes (so that workers need no copy of the file). Pickles
    small for a built-in layer, as the file's size otherwise."""

    def __init__(self, layer: str, **kw: Any) -> None:
        self.layer = str(layer)
        self.kw = kw
        self.suffix = ""
        self.data: Optional[bytes] = None
        if not self.layer.startswith("builtin:") and os.path.isfile(self.layer):
            with open(self.layer, "rb") as f:
                self.data = f.read()
            self.suffix = os.path.splitext(self.layer)[1]
        key = hashlib.sha256(self.data or self.layer.encode()).hexdigest()
        self.key = (key, tuple(sorted(kw.items())))

    def regions(self) -> territory.Regions:
        """The layer indexed, once per process."""
        found = _CACHE.get(self.key)
        if found is None:
            if self.data is None:
                found = territory.Regions(self.layer, **self.kw)
            else:
                # The reader wants a path (GeoPackage, Shapefile, ...).
                fd, path = tempfile.mkstemp(suffix=self.suffix, prefix="territory-regions-")
                try:
                    with os.fdopen(fd, "wb") as f:
                        f.write(self.data)
                    found = territory.Regions(path, **self.kw)
                finally:
                    os.unlink(path)
            _CACHE[self.key] = found
            BUILDS[self.layer] = BUILDS.get(self.layer, 0) + 1
        return found


def _warm_worker(shipped: "ShippedRegions") -> int:
    # What the first partition would otherwise pay: the imports of the
    # partition code (pandas; pyarrow for Parquet, when installed) and the
    # index build.
    import pandas  # noqa: F401

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    shipped.regions()
    return BUILDS.get(shipped.layer, 0)


def warm(
    layer: str,
    *,
    id_field: Optional[str] = None,
    name_field: Optional[str] = None,
    distance: bool = False,
    repair: bool = False,
    client: Any = None,
) -> dict:
    """Prepare every worker of ``client`` (default: the current
    ``distributed`` client) for :func:`locate` with the same ``layer`` and
    arguments: each worker process imports pandas, pyarrow and territory
    and reads and indexes the layer now, so that the first job does not
    pay for it. Returns, per worker address, how many times that worker
    has built this layer's index (1 after a first warm-up; it stays 1).
    Workers that join the cluster later build the index on their first
    partition, as without ``warm``."""
    kw = dict(id_field=id_field, name_field=name_field, distance=distance, repair=repair)
    # Fail here, not on a worker, when the layer cannot be read.
    territory.Regions(layer, **kw)
    if client is None:
        from distributed import get_client

        client = get_client()
    return client.run(_warm_worker, ShippedRegions(layer, **kw))


def _categories(values: list):
    """A categorical dtype of the distinct `values` and, per value, its code."""
    import pandas as pd

    uniq, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return pd.CategoricalDtype(categories=list(uniq)), np.append(codes, -1)


def _locate_partition(part, shipped, lat: str, lon: str, prefix: str, on_error: str, distance: bool):
    import pandas as pd

    regions = shipped.regions()
    la = part[lat].to_numpy(dtype=np.float64, na_value=np.nan)
    lo = part[lon].to_numpy(dtype=np.float64, na_value=np.nan)
    idx = regions.index(la, lo, on_error=on_error)
    out = part.copy()
    # Categoricals (codes into the regions' ids and names; -1, missing, for
    # no region): no Python string per row, and dictionary-encoded in Parquet.
    for col, values in (("id", regions.ids[:-1]), ("name", regions.names[:-1])):
        dtype, codes = _categories(values)
        out[f"{prefix}_{col}"] = pd.Categorical.from_codes(codes[idx], dtype=dtype)
    if distance:
        out[f"{prefix}_distance_km"] = regions.distance(la, lo, on_error=on_error)
    return out


def locate(
    df: Any,
    layer: str,
    *,
    lat: str = "lat",
    lon: str = "lon",
    prefix: str = "region",
    id_field: Optional[str] = None,
    name_field: Optional[str] = None,
    distance: bool = False,
    repair: bool = False,
    on_error: str = "raise",
    client: Any = None,
):
    """``df`` (a ``dask.dataframe.DataFrame`` with latitude and longitude
    columns, WGS84 degrees) with ``{prefix}_id`` and ``{prefix}_name`` (and,
    with ``distance``, ``{prefix}_distance_km``) of the first region of
    ``layer`` holding each point: ``None`` where none does, as
    :meth:`territory.Regions.locate` gives them. Rows keep their order and
    partitions. ``id_field``, ``name_field``, ``distance`` and ``repair`` are
    :class:`territory.Regions`' arguments. ``client``: the ``distributed`` client to ship the layer
    through (default: the current one, if any)."""
    import pandas as pd

    kw = dict(id_field=id_field, name_field=name_field, distance=distance, repair=repair)
    # Fail here, not on a worker, when the layer cannot be read; the ids
    # and names make the columns' categories.
    here = territory.Regions(layer, **kw)
    shipped: Any = ShippedRegions(layer, **kw)
    if client is None:
        try:
            from distributed import get_client

            client = get_client()
        except (ImportError, ValueError):
            client = None
    if client is not None:
        # Once to every worker; the tasks depend on it (dask hands each the
        # worker's copy).
        shipped = client.scatter(shipped, broadcast=True, hash=False)
    meta = df._meta.assign(
        **{
            f"{prefix}_id": pd.Series(dtype=_categories(here.ids[:-1])[0]),
            f"{prefix}_name": pd.Series(dtype=_categories(here.names[:-1])[0]),
        }
    )
    if distance:
        meta[f"{prefix}_distance_km"] = pd.Series(dtype=np.float64)
    return df.map_partitions(
        _locate_partition, shipped, lat, lon, prefix, on_error, distance, meta=meta
    )
