"""territory: exact geodesic territory analysis from Python.

The same library as the ``territory`` command-line program (Rust, through
PyO3): geodesic areas on the WGS84 ellipsoid (Karney's algorithm, as
GeographicLib), region lookups, overlays by region, claim checks and depth.

Layers are named as on the command line: a path in any format the program
reads (GeoJSON, KML/KMZ, GeoPackage, Shapefile, FlatGeobuf, GeoParquet, CSV
with WKT) or ``builtin:NAME[@SOURCE]``. Coordinates are WGS84 longitude and
latitude; heavy calls release the GIL; errors raise :class:`TerritoryError`
with the program's message.

>>> import numpy as np, territory
>>> provinces = territory.Regions("builtin:armenia-provinces")
>>> provinces.locate(np.array([40.1776]), np.array([44.5126])).tolist()
['AM-ER']
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from . import _territory
from ._territory import TerritoryError

__all__ = [
    "TerritoryError",
    "Regions",
    "area",
    "overlay_by",
    "check",
    "depth",
    "to_wkb",
    "__version__",
]

__version__: str = _territory.__version__


def to_wkb(geoms: Any) -> list:
    """WKB bytes (or ``None``) of each geometry of ``geoms``.

    Accepts a sequence of WKB ``bytes``; shapely geometries (an array or a
    list); a geopandas ``GeoSeries`` (its CRS must be geographic WGS84, or
    absent); a pyarrow array or chunked array of WKB (``binary``, or the
    ``geoarrow.wkb`` extension type) or of native GeoArrow geometries.
    """
    crs = getattr(geoms, "crs", None)
    if crs is not None and hasattr(crs, "to_epsg"):
        if crs.to_epsg() not in (4326, None) or not crs.is_geographic:
            raise TerritoryError(
                f"geometries in {crs.to_string()}: territory measures WGS84 "
                "longitude/latitude; use .to_crs(4326) first"
            )
    module = type(geoms).__module__.split(".")[0]
    if module == "pyarrow" or hasattr(geoms, "__arrow_c_array__"):
        return _arrow_wkb(geoms)
    if module == "geopandas":
        geoms = geoms.values
    if module == "geopandas" or _is_shapely_array(geoms):
        import shapely

        return [None if b is None else bytes(b) for b in shapely.to_wkb(np.asarray(geoms, dtype=object), include_srid=False)]
    out = []
    for g in geoms:
        if g is None or isinstance(g, (bytes, bytearray, memoryview)):
            out.append(None if g is None else bytes(g))
        elif hasattr(g, "wkb"):
            out.append(g.wkb)
        else:
            raise TerritoryError(
                f"cannot measure a {type(g).__name__}: give WKB bytes or shapely geometries"
            )
    return out


def _is_shapely_array(geoms: Any) -> bool:
    if isinstance(geoms, np.ndarray) and geoms.dtype == object and len(geoms):
        return type(geoms.flat[0]).__module__.startswith("shapely")
    return False


def _arrow_wkb(arr: Any) -> list:
    """WKB of an Arrow array: pyarrow's, or any object of the Arrow
    PyCapsule interface (``__arrow_c_array__``: geopandas' ``to_arrow``,
    arro3, polars), whose field tells the GeoArrow extension."""
    import pyarrow as pa

    ext = None
    if not isinstance(arr, (pa.Array, pa.ChunkedArray)):
        # Importing consumes the schema: one export for the field, one for the data.
        field = pa.Field._import_from_c_capsule(arr.__arrow_c_array__()[0])
        ext = (field.metadata or {}).get(b"ARROW:extension:name", b"").decode() or None
        arr = pa.Array._import_from_c_capsule(*arr.__arrow_c_array__())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    ext = getattr(arr.type, "extension_name", None) or ext
    storage = arr.storage if isinstance(arr, pa.ExtensionArray) else arr
    if pa.types.is_binary(storage.type) or pa.types.is_large_binary(storage.type):
        return storage.to_pylist()
    if ext and ext.startswith("geoarrow."):
        import shapely

        kind = ext.split(".", 1)[1]
        return [
            None if b is None else bytes(b)
            for b in shapely.to_wkb(_from_geoarrow(storage, kind), include_srid=False)
        ]
    raise TerritoryError(
        f"an Arrow array of {arr.type} without a GeoArrow extension name: give WKB "
        "(binary or geoarrow.wkb), or native GeoArrow with its field (e.g. what "
        "GeoSeries.to_arrow() returns)"
    )


def _from_geoarrow(storage: Any, kind: str) -> np.ndarray:
    """Native GeoArrow (separated or interleaved coordinates) as shapely
    geometries, through ``shapely.from_ragged_array``."""
    import pyarrow as pa
    import shapely

    types = {
        "point": shapely.GeometryType.POINT,
        "linestring": shapely.GeometryType.LINESTRING,
        "polygon": shapely.GeometryType.POLYGON,
        "multipoint": shapely.GeometryType.MULTIPOINT,
        "multilinestring": shapely.GeometryType.MULTILINESTRING,
        "multipolygon": shapely.GeometryType.MULTIPOLYGON,
    }
    if kind not in types:
        raise TerritoryError(f"GeoArrow encoding geoarrow.{kind} is not read")
    offsets = []
    a = storage
    while pa.types.is_list(a.type) or pa.types.is_large_list(a.type):
        offsets.append(np.asarray(a.offsets))
        a = a.values
    if pa.types.is_struct(a.type):
        coords = np.column_stack([np.asarray(a.field(i)) for i in range(2)])
    else:  # fixed-size list: interleaved x, y
        coords = np.asarray(a.values).reshape(-1, a.type.list_size)[:, :2]
    # shapely wants the innermost offsets (into the coordinates) first.
    geoms = shapely.from_ragged_array(types[kind], coords, tuple(reversed(offsets)) or None)
    if storage.null_count:
        geoms[np.asarray(storage.is_null())] = None
    return geoms


def area(geoms: Any, *, check: bool = False) -> np.ndarray:
    """Geodesic area in m² of each geometry (WGS84 longitude/latitude).

    ``geoms``: shapely geometries, a GeoSeries, WKB bytes, or an Arrow
    array (see :func:`to_wkb`). NaN for a missing geometry, 0 for points and
    lines. With ``check=True`` an invalid polygon (self-intersection, ...)
    raises :class:`TerritoryError` as the CLI's checks do; otherwise it is
    measured as written.
    """
    return _territory.area_wkb(to_wkb(geoms), check=check)


class Regions:
    """A region layer, read and indexed once, for lookups of many points.

    ``layer``: a path or ``builtin:NAME``; ``id_field``/``name_field`` as the
    CLI's ``--id-field``/``--name-field``; ``distance=True`` indexes the
    boundaries for :meth:`distance`; ``repair=True`` repairs invalid regions
    (even-odd rule) instead of raising.
    """

    def __init__(
        self,
        layer: str,
        *,
        id_field: Optional[str] = None,
        name_field: Optional[str] = None,
        distance: bool = False,
        repair: bool = False,
    ) -> None:
        self._args = dict(
            layer=str(layer), id_field=id_field, name_field=name_field, distance=distance, repair=repair
        )
        self._inner = _territory.Regions(**self._args)
        self.ids: np.ndarray = np.array(self._inner.ids + [None], dtype=object)
        self.names: np.ndarray = np.array(self._inner.names + [None], dtype=object)

    def __len__(self) -> int:
        return len(self._inner)

    def __repr__(self) -> str:
        return repr(self._inner)

    def __reduce__(self):
        # Pickled (to a Dask worker, a multiprocessing pool) as its
        # arguments: the receiver reads and indexes the layer itself.
        return (_rebuild, (self._args,))

    def index(self, lat: Any, lon: Any, *, on_error: str = "raise") -> np.ndarray:
        """Position (0-based, layer order) of the first region holding each
        point, -1 for none or a missing (NaN) point. A point out of range
        raises, naming it, unless ``on_error="skip"``."""
        la, lo = _coordinates(lat, lon, on_error)
        return self._inner.index(la, lo, on_error=on_error)

    def locate(self, lat: Any, lon: Any, *, field: str = "id", on_error: str = "raise") -> np.ndarray:
        """Id (``field="name"``: name) of the first region holding each
        point, ``None`` for none: an object array."""
        table = self.ids if field == "id" else self.names if field == "name" else None
        if table is None:
            raise TerritoryError(f'field={field!r}: give "id" or "name"')
        return table[self.index(lat, lon, on_error=on_error)]

    def distance(self, lat: Any, lon: Any, *, on_error: str = "raise") -> np.ndarray:
        """Geodesic distance (km) from each point to the boundary of the
        region holding it, or of the nearest region when none does."""
        la, lo = _coordinates(lat, lon, on_error)
        return self._inner.distance(la, lo, on_error=on_error)


def _rebuild(args: dict) -> Regions:
    return Regions(**args)


def _coordinates(lat: Any, lon: Any, on_error: str) -> tuple:
    """Latitudes and longitudes as 1-D float64 arrays. Points are numbered
    from 1 in messages, as on the command line. A 2-D array is refused (it
    would be read flattened, row after row); ``None`` is an error naming the
    point unless ``on_error="skip"`` (then, like NaN, a missing point: no
    region)."""
    return _f64(lat, "latitude", on_error), _f64(lon, "longitude", on_error)


def _f64(a: Any, what: str, on_error: str) -> np.ndarray:
    arr = np.asarray(a)
    if arr.ndim > 1:
        raise TerritoryError(
            f"the {what}s are a {arr.ndim}-D array of shape {arr.shape}: give one 1-D array "
            "of latitudes and one of longitudes"
        )
    arr = arr.reshape(-1)
    if arr.dtype == object:
        missing = np.flatnonzero(np.array([v is None for v in arr], dtype=bool))
        if len(missing) and on_error != "skip":
            raise TerritoryError(
                f"point {missing[0] + 1}: its {what} is None ({len(missing)} in all); "
                'on_error="skip" gives such points no region'
            )
        arr = np.where([v is None for v in arr], np.nan, arr)
    try:
        out = arr.astype(np.float64)
    except (TypeError, ValueError) as e:
        raise TerritoryError(f"the {what}s are not numbers: {e}") from None
    # Contiguous and aligned (a view of an Arrow buffer may be neither).
    return np.require(out, requirements=["C", "A"])


def _frame(columns: dict):
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional
        return columns
    return pd.DataFrame(columns)


def overlay_by(
    layer: str,
    regions: str,
    *,
    id_field: Optional[str] = None,
    name_field: Optional[str] = None,
    repair: bool = False,
):
    """The union of ``layer`` split by ``regions`` (``area LAYER --by
    REGIONS``): one row per region (region_id, region_name, area_m2,
    region_area_m2, share_pct, and its piece of the union as ``geometry``,
    None where it has none) and ``attrs`` holding union_m2 and outside_m2:
    a GeoDataFrame with geopandas, a DataFrame of WKB without, a dict of
    columns without pandas."""
    d = _territory.overlay_by(str(layer), str(regions), id_field=id_field, name_field=name_field, repair=repair)
    totals = {k: d.pop(k) for k in ("union_m2", "outside_m2")}
    frame = _frame(d)
    try:
        import geopandas as gpd
    except ImportError:
        gpd = None
    if gpd is not None and hasattr(frame, "attrs"):
        # The pieces as geometries: a GeoDataFrame in WGS84.
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries.from_wkb(frame["geometry"], crs="EPSG:4326"))
    if hasattr(frame, "attrs"):
        frame.attrs.update(totals)
    else:
        frame.update(totals)
    return frame


def check(
    layer: str,
    claim: str,
    *,
    tolerance: Optional[str] = None,
    within: Sequence[str] = (),
    repair: bool = False,
) -> list:
    """A claim ("at least 215 km2", "about 200 km2") against the area of
    the union of ``layer``, inside each border of ``within``: one dict per
    border (computed_m2, claimed_m2, low_m2, high_m2, passed)."""
    if isinstance(within, str):
        within = [within]
    return _territory.check(str(layer), claim, tolerance=tolerance, within=[str(w) for w in within], repair=repair)


def depth(layer: str, border: str, *, repair: bool = False):
    """How deep each feature of ``layer`` reaches inside ``border``: a
    DataFrame (id, name, inside_m2, max_depth_m, deepest_lon,
    deepest_lat)."""
    return _frame(_territory.depth(str(layer), str(border), repair=repair))
