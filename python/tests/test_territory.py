"""The Python package against independent sources: GeographicLib (through
pyproj's Geod and the repository's tests/data/reference-areas.json, made
with GeographicLib 2.1), shapely, and hand-checked coordinates."""

import json
import pickle
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod

import territory

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SAMPLE = ROOT / "data" / "examples" / "occupied-illustrative.geojson"
REF = json.loads((DATA / "reference-areas.json").read_text())
GEOD = Geod(ellps="WGS84")


def rel(a, b):
    return abs(a - b) / abs(b)


def shapes(path):
    """The geometries of a GeoJSON file, by shapely."""
    fc = json.loads(Path(path).read_text())
    return [shapely.geometry.shape(f["geometry"]) for f in fc["features"]]


def test_area_of_shapely_geometries_is_geographiclibs():
    for name in ["hole", "multipolygon", "clockwise", "square-10m", "large-2000km"]:
        geoms = shapes(DATA / f"{name}.geojson")
        got = territory.area(geoms)
        for g, a in zip(geoms, got):
            want = abs(GEOD.geometry_area_perimeter(g)[0])
            assert rel(a, want) < 1e-9, (name, a, want)


def test_area_accepts_wkb_geoseries_and_arrow():
    geoms = shapes(DATA / "hole.geojson")
    want = REF["layers"]["tests/data/hole.geojson"]["hole"]["area_m2"]
    wkb = [g.wkb for g in geoms]
    assert rel(territory.area(wkb)[0], want) < 1e-9
    pa = pytest.importorskip("pyarrow")
    assert rel(territory.area(pa.array(wkb, pa.binary()))[0], want) < 1e-9
    gpd = pytest.importorskip("geopandas")
    s = gpd.GeoSeries(geoms, crs="EPSG:4326")
    assert rel(territory.area(s)[0], want) < 1e-9
    # Native GeoArrow (what geopandas writes with geometry_encoding="geoarrow").
    for encoding in ["WKB", "geoarrow"]:
        arrow = s.to_arrow(geometry_encoding=encoding)
        assert rel(territory.area(arrow)[0], want) < 1e-9, encoding
    # The same coordinates without the extension name: ambiguous, refused.
    with pytest.raises(territory.TerritoryError, match="extension"):
        territory.area(pa.array(s.to_arrow(geometry_encoding="geoarrow")))
    with pytest.raises(territory.TerritoryError, match="to_crs"):
        territory.area(s.to_crs(32638))


def test_area_of_missing_points_and_lines():
    got = territory.area([None, shapely.Point(45, 40), shapely.LineString([(45, 40), (46, 40)])])
    assert np.isnan(got[0]) and got[1] == 0.0 and got[2] == 0.0


def test_area_check_names_the_invalid_feature():
    bowtie = shapely.Polygon([(45, 40), (45.1, 40.1), (45.1, 40), (45, 40.1), (45, 40)])
    square = shapely.box(45, 40, 45.1, 40.1)
    # Measured as written without check (as shapely would: lobes cancel).
    assert territory.area([bowtie]).shape == (1,)
    with pytest.raises(territory.TerritoryError) as e:
        territory.area([square, bowtie], check=True)
    assert "feature 2" in str(e.value) and "self-intersection" in str(e.value)


def test_regions_locate_the_incidents_hand_checked():
    provinces = territory.Regions("builtin:armenia-provinces")
    assert len(provinces) == 11
    # Sisian, Jermuk, Goris, Vardenis, Republic Square (data/examples/incidents.csv).
    lat = np.array([39.5208, 39.8417, 39.5075, 40.1833, 40.1776])
    lon = np.array([46.0322, 45.6722, 46.3386, 45.7306, 44.5126])
    assert provinces.locate(lat, lon).tolist() == ["AM-SU", "AM-VD", "AM-SU", "AM-GR", "AM-ER"]
    assert provinces.locate(lat, lon, field="name").tolist()[-1] == "Yerevan"
    # Paris is in none; NaN is a missing point.
    assert provinces.locate([48.8566, np.nan], [2.3522, 45.0]).tolist() == [None, None]
    assert provinces.index([48.8566], [2.3522]).tolist() == [-1]


def test_regions_agree_with_shapely_on_random_points():
    regions = territory.Regions(str(DATA / "split-regions.geojson"))
    polys = shapes(DATA / "split-regions.geojson")
    rng = np.random.default_rng(7)
    lon = rng.uniform(44.8, 45.4, 20000)
    lat = rng.uniform(39.8, 40.4, 20000)
    got = regions.index(lat, lon)
    pts = shapely.points(lon, lat)
    want = np.full(len(lon), -1)
    for k, p in reversed(list(enumerate(polys))):
        want[shapely.contains(p, pts)] = k
    on_edge = np.zeros(len(lon), bool)
    for p in polys:
        on_edge |= shapely.touches(p.boundary, pts) | shapely.intersects(p.boundary, pts)
    assert (got[~on_edge] == want[~on_edge]).all()
    assert (got >= 0).sum() > 1000 and (got == -1).sum() > 1000


def test_distance_to_the_boundary_is_geographiclibs():
    provinces = territory.Regions("builtin:armenia-provinces", distance=True)
    for name, d in REF["distance"].items():
        km = provinces.distance([d["lat"]], [d["lon"]])[0]
        # As the CLI's test (tests/locate.rs): a tenth of a percent.
        assert provinces.locate([d["lat"]], [d["lon"]])[0] == d["region"]
        assert rel(km * 1000, d["distance_m"]) < 1e-3, (name, km)
    with pytest.raises(territory.TerritoryError, match="distance=True"):
        territory.Regions("builtin:armenia").distance([40.0], [45.0])


def test_bad_points_raise_naming_the_point_or_are_skipped():
    regions = territory.Regions("builtin:armenia")
    with pytest.raises(territory.TerritoryError) as e:
        regions.locate([40.0, 95.0], [45.0, 45.0])
    # Numbered from 1, as on the command line: the second point.
    assert "point 2 (lat 95" in str(e.value) and "latitude 95 is outside -90..90" in str(e.value)
    assert regions.locate([40.0, 95.0], [45.0, 45.0], on_error="skip").tolist() == ["AM", None]
    with pytest.raises(territory.TerritoryError, match="2 latitudes and 1 longitudes"):
        regions.index([40.0, 41.0], [45.0])


def test_none_in_coordinates_is_an_error_unless_skipped():
    regions = territory.Regions("builtin:armenia")
    with pytest.raises(territory.TerritoryError, match=r"point 2: its latitude is None"):
        regions.locate([40.0, None, 40.1], [45.0, 45.0, 45.0])
    with pytest.raises(territory.TerritoryError, match=r"point 1: its longitude is None"):
        regions.index(np.array([40.0], dtype=object), np.array([None], dtype=object))
    got = regions.locate([40.0, None], [45.0, 45.0], on_error="skip").tolist()
    assert got == ["AM", None]
    # NaN stays a missing point, without error.
    assert regions.locate([np.nan], [45.0]).tolist() == [None]


def test_two_dimensional_coordinates_are_refused_not_flattened():
    regions = territory.Regions("builtin:armenia")
    lat = np.array([[40.0, 40.1], [40.2, 40.3]])
    with pytest.raises(territory.TerritoryError, match=r"2-D array of shape \(2, 2\)"):
        regions.index(lat, lat + 5)
    # One point as a scalar is still one point.
    assert regions.index(40.0, 45.0).tolist() == [0]


def test_messages_escape_control_characters(tmp_path):
    # A file name that would clear the screen, quoted in the message.
    name = str(tmp_path / "no\x1b[2J\x07such.geojson")
    with pytest.raises(territory.TerritoryError) as e:
        territory.Regions(name)
    msg = str(e.value)
    assert "\x1b" not in msg and "\x07" not in msg
    assert "\\u{1b}[2J\\u{7}such.geojson" in msg


def test_ctrl_c_interrupts_a_layer_being_read(tmp_path):
    # A FIFO no one writes: the read waits for ever, as a hung disk or a
    # view without end would. SIGINT must still raise KeyboardInterrupt.
    import os, signal, threading, time
    fifo = tmp_path / "never.geojson"
    os.mkfifo(fifo)
    timer = threading.Timer(0.3, lambda: signal.raise_signal(signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            territory.Regions(str(fifo))
        assert time.monotonic() - started < 10
    finally:
        # Let the abandoned read end (an empty document, an error it drops).
        w = open(fifo, "w")
        w.close()
        timer.cancel()


def test_errors_carry_the_clis_messages():
    with pytest.raises(territory.TerritoryError) as e:
        territory.Regions(str(DATA / "bad-truncated.geojson"))
    msg = str(e.value)
    assert "bad-truncated.geojson" in msg and "in feature 2" in msg
    with pytest.raises(territory.TerritoryError, match="unknown built-in layer"):
        territory.Regions("builtin:atlantis")
    assert issubclass(territory.TerritoryError, ValueError)


def test_overlay_by_splits_the_square_as_geographiclib():
    frame = territory.overlay_by(str(DATA / "split-subject.geojson"), str(DATA / "split-regions.geojson"))
    rows = dict(zip(frame["region_id"], frame["area_m2"]))
    assert rel(rows["west"], REF["split"]["west"]) < 1e-8
    assert rel(rows["east"], REF["split"]["east"]) < 1e-8
    # The pieces sum to the whole within 1e-8 (3.7e-9: tests/overlay.rs).
    assert rel(frame.attrs["union_m2"], REF["split"]["subject"]) < 1e-8
    assert frame.attrs["outside_m2"] < 1.0
    # The pieces: each half's geometry, its area GeographicLib's (pyproj).
    for rid, g in zip(frame["region_id"], frame.geometry):
        assert rel(abs(GEOD.geometry_area_perimeter(g)[0]), REF["split"][rid]) < 1e-8, rid


def test_check_judges_the_claim_under_each_border():
    verdicts = territory.check(str(SAMPLE), "at least 215 km2", within=["builtin:armenia", "builtin:armenia@ne10m"])
    for v, border in zip(verdicts, ["builtin:armenia", "builtin:armenia@ne10m"]):
        assert rel(v["computed_m2"], REF["sample_within"][border]) < 1e-9
        assert v["claimed_m2"] == 215e6 and v["low_m2"] == 215e6 and v["high_m2"] is None
        assert v["passed"] is False
    (about,) = territory.check(str(SAMPLE), "~190 km2", within="builtin:armenia")
    assert about["passed"] is True  # 191.07 km² within 5 %


def test_depth_inside_area_is_the_within_area():
    frame = territory.depth(str(SAMPLE), "builtin:armenia")
    # Feature by feature, the part inside; their sum is at least the union inside.
    assert frame["inside_m2"].sum() >= REF["sample_within"]["builtin:armenia"] * (1 - 1e-9)
    assert (frame["max_depth_m"] >= 0).all()


def test_regions_pickle_as_their_arguments():
    r = territory.Regions("builtin:armenia-provinces", name_field="name")
    back = pickle.loads(pickle.dumps(r))
    assert back.locate([40.1776], [44.5126]).tolist() == ["AM-ER"]
    assert len(pickle.dumps(r)) < 500  # the arguments, not the index


def test_lookups_release_the_gil():
    regions = territory.Regions("builtin:armenia-provinces")
    rng = np.random.default_rng(1)
    lat = rng.uniform(38.8, 41.3, 3_000_000)
    lon = rng.uniform(43.4, 46.7, 3_000_000)
    ticks = [0]
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks[0] += 1

    t = threading.Thread(target=count)
    t.start()
    time.sleep(0.05)
    before = ticks[0]
    regions.index(lat, lon)
    during = ticks[0] - before
    done.set()
    t.join()
    # A Python thread ran during the call: the GIL was released.
    assert during > 1000, during
