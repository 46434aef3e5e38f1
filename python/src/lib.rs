//! `territory._territory`: the Python extension module (PyO3) over the
//! `territory` library. The Python package `territory` (python/territory/)
//! wraps it: it turns shapely geometries, GeoSeries and Arrow arrays into
//! WKB, ids into NumPy arrays and reports into pandas DataFrames.
//!
//! Every heavy call releases the GIL (`Python::detach`); every error is a
//! `territory.TerritoryError` (a `ValueError`) carrying the message the
//! command-line program prints.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;

use territory::io::feature::{Feature, Geometry};
use territory::locate::{Hits, Target};
use territory::validate::Checks;
use territory::{Layer, LayerSpec, ReadOptions};

pyo3::create_exception!(
    _territory,
    TerritoryError,
    PyValueError,
    "An input territory cannot use (a file, a feature, a point): the message names it, as the command-line program's does."
);

/// A `TerritoryError` with the message as the program prints it: control
/// characters quoted from an input escaped (a traceback on a terminal
/// cannot be made to act on it).
fn err(e: impl std::fmt::Display) -> PyErr {
    let text = e.to_string();
    TerritoryError::new_err(territory::text::printable_except(&text, &['\n']).into_owned())
}

/// Run `work` on a thread of its own while this one waits with the GIL
/// released, looking at Python's signals every 50 ms: Ctrl-C raises
/// `KeyboardInterrupt` at once, even while a layer is being read (from a
/// slow disk, a pipe, a FIFO that no one writes). The work abandoned runs on
/// to its end in the background and its result is dropped: the library has
/// no point at which to stop a read half-way.
fn interruptible<T: Send + 'static>(
    py: Python<'_>,
    work: impl FnOnce() -> T + Send + 'static,
) -> PyResult<T> {
    use std::sync::mpsc::RecvTimeoutError;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    let mut rx = rx;
    loop {
        // The receiver goes into the GIL-free wait and back (it is Send,
        // not Sync).
        let (got, back) = py.detach(move || {
            let got = rx.recv_timeout(std::time::Duration::from_millis(50));
            (got, rx)
        });
        rx = back;
        match got {
            Ok(v) => return Ok(v),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(err("internal error: the work ended without a result"));
            }
        }
    }
}

/// Points per unit of parallel work in lookups.
const CHUNK: usize = 16_384;

/// Open LAYER (a path in any format the CLI reads, `builtin:NAME[@SOURCE]`)
/// and check it as the CLI's measuring commands do: an invalid feature is
/// an error, or repaired with `repair`.
fn open(
    layer: &str,
    id_field: Option<String>,
    name_field: Option<String>,
    repair: bool,
) -> territory::Result<Layer> {
    let spec: LayerSpec = layer
        .parse()
        .map_err(|e: String| territory::Error::Input(e))?;
    let opts = ReadOptions {
        id_field,
        name_field,
        ..ReadOptions::default()
    };
    let mut layer = territory::open(&spec, &opts)?;
    territory::validate::enforce(
        &mut layer,
        if repair {
            Checks::Repair
        } else {
            Checks::Check
        },
    )?;
    Ok(layer)
}

/// Geodesic areas (m², on the WGS84 ellipsoid, Karney's algorithm) of WKB
/// geometries in WGS84 longitude/latitude: NaN for `None`, 0 for points and
/// lines. With `check`, an invalid polygon is an error (as in the CLI);
/// without, it is measured as written.
#[pyfunction]
#[pyo3(signature = (wkbs, *, check = false))]
fn area_wkb<'py>(
    py: Python<'py>,
    wkbs: Vec<Option<Vec<u8>>>,
    check: bool,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let areas = py
        .detach(|| -> territory::Result<Vec<f64>> {
            let mut out: Vec<f64> = wkbs
                .iter()
                .map(|w| if w.is_some() { 0.0 } else { f64::NAN })
                .collect();
            let features: Vec<territory::io::ReadFeature> = wkbs
                .par_iter()
                .enumerate()
                .filter_map(|(i, w)| {
                    let g = territory::io::wkb::from_wkb(w.as_deref()?);
                    if matches!(g, Geometry::NotArea { .. } | Geometry::Null) {
                        return None; // 0 m², as set above
                    }
                    Some(Ok(Feature {
                        index: i + 1,
                        line: None,
                        id: None,
                        properties: Default::default(),
                        geometry: g,
                    }))
                })
                .collect();
            if features.is_empty() {
                return Ok(out);
            }
            let mut layer = territory::io::layer::layer(
                features,
                "geometries",
                &ReadOptions::default(),
                true,
                |_| None,
            )?;
            if check {
                territory::validate::enforce(&mut layer, Checks::Check)?;
            }
            let geoms: Vec<_> = layer.regions.iter().map(|r| &r.geom).collect();
            let measured = territory::measure::multi_polygons(&geoms);
            for (r, m) in layer.regions.iter().zip(measured) {
                out[r.index - 1] = m.area_m2;
            }
            Ok(out)
        })
        .map_err(err)?;
    Ok(areas.into_pyarray(py))
}

/// A region layer indexed once for lookups (`territory.Regions`).
#[pyclass(frozen, module = "territory._territory")]
struct Regions {
    target: Target,
}

/// The points' coordinates as slices of equal length.
fn pairs<'a>(
    lat: &'a PyReadonlyArray1<'_, f64>,
    lon: &'a PyReadonlyArray1<'_, f64>,
) -> PyResult<(&'a [f64], &'a [f64])> {
    let (la, lo) = (lat.as_slice().map_err(err)?, lon.as_slice().map_err(err)?);
    if la.len() != lo.len() {
        return Err(err(format!(
            "{} latitudes and {} longitudes: give one of each per point",
            la.len(),
            lo.len()
        )));
    }
    Ok((la, lo))
}

/// A point's check, as the CLI's: NaN is a missing point (no region);
/// a number out of range is an error naming the point, unless `skip`.
fn checked(i: usize, lat: f64, lon: f64, skip: bool) -> Result<Option<(f64, f64)>, String> {
    if lat.is_nan() || lon.is_nan() {
        return Ok(None);
    }
    match territory::io::points::check_range(lat, lon) {
        Ok(()) => Ok(Some((lon, lat))),
        Err(_) if skip => Ok(None),
        Err(m) => Err(format!(
            "point {} (lat {lat}, lon {lon}): {m} (on_error=\"skip\" gives it no region)",
            i + 1
        )),
    }
}

#[pymethods]
impl Regions {
    #[new]
    #[pyo3(signature = (layer, *, id_field = None, name_field = None, distance = false, repair = false))]
    fn new(
        py: Python<'_>,
        layer: &str,
        id_field: Option<String>,
        name_field: Option<String>,
        distance: bool,
        repair: bool,
    ) -> PyResult<Self> {
        let layer = layer.to_string();
        let target = interruptible(py, move || {
            open(&layer, id_field, name_field, repair).map(|l| Target::new("regions", l, distance))
        })?
        .map_err(err)?;
        Ok(Regions { target })
    }

    /// The regions' ids, in layer order.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.target
            .layer
            .regions
            .iter()
            .map(|r| r.id.clone())
            .collect()
    }

    /// The regions' names, in layer order.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.target
            .layer
            .regions
            .iter()
            .map(|r| r.name.clone())
            .collect()
    }

    /// The layer as given.
    #[getter]
    fn layer(&self) -> String {
        self.target.layer.name.clone()
    }

    fn __len__(&self) -> usize {
        self.target.layer.regions.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Regions({:?}, {} regions{})",
            self.target.layer.name,
            self.target.layer.regions.len(),
            if self.target.measures_distance() {
                ", distance=True"
            } else {
                ""
            }
        )
    }

    /// For each point, the position (0-based, layer order) of the first
    /// region holding it, -1 for none.
    #[pyo3(signature = (lat, lon, *, on_error = "raise"))]
    fn index<'py>(
        &self,
        py: Python<'py>,
        lat: PyReadonlyArray1<'py, f64>,
        lon: PyReadonlyArray1<'py, f64>,
        on_error: &str,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let skip = skip_of(on_error)?;
        let (la, lo) = pairs(&lat, &lon)?;
        let index = &self.target.index;
        let out = py
            .detach(|| {
                per_point(la, lo, skip, CHUNK, -1i64, |x, y| {
                    index.first(x, y).map_or(-1, |r| r as i64)
                })
            })
            .map_err(err)?;
        Ok(out.into_pyarray(py))
    }

    /// For each point, the geodesic distance (km) to the boundary of the
    /// region holding it, or of the nearest region when none does; NaN for
    /// a missing point. Needs `Regions(..., distance=True)`.
    #[pyo3(signature = (lat, lon, *, on_error = "raise"))]
    fn distance<'py>(
        &self,
        py: Python<'py>,
        lat: PyReadonlyArray1<'py, f64>,
        lon: PyReadonlyArray1<'py, f64>,
        on_error: &str,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        if !self.target.measures_distance() {
            return Err(err(
                "distances need the boundaries indexed: Regions(..., distance=True)",
            ));
        }
        let skip = skip_of(on_error)?;
        let (la, lo) = pairs(&lat, &lon)?;
        let target = &self.target;
        // A distance costs more than a lookup: smaller pieces of work.
        let out = py
            .detach(|| {
                per_point(la, lo, skip, CHUNK / 16, f64::NAN, |x, y| {
                    target
                        .lookup(x, y, Hits::First)
                        .distance_km
                        .unwrap_or(f64::NAN)
                })
            })
            .map_err(err)?;
        Ok(out.into_pyarray(py))
    }
}

/// `f(lon, lat)` of every point, in parallel pieces of `chunk` points;
/// `missing` for a NaN point (or one out of range, with `skip`).
fn per_point<T: Copy + Send + Sync>(
    la: &[f64],
    lo: &[f64],
    skip: bool,
    chunk: usize,
    missing: T,
    f: impl Fn(f64, f64) -> T + Sync,
) -> Result<Vec<T>, String> {
    let mut out = vec![missing; la.len()];
    out.par_chunks_mut(chunk)
        .enumerate()
        .try_for_each(|(c, part)| {
            for (k, slot) in part.iter_mut().enumerate() {
                let i = c * chunk + k;
                if let Some((x, y)) = checked(i, la[i], lo[i], skip)? {
                    *slot = f(x, y);
                }
            }
            Ok::<(), String>(())
        })?;
    Ok(out)
}

fn skip_of(on_error: &str) -> PyResult<bool> {
    match on_error {
        "raise" => Ok(false),
        "skip" => Ok(true),
        other => Err(err(format!(
            "on_error={other:?}: give \"raise\" or \"skip\""
        ))),
    }
}

/// The union of LAYER split by REGIONS: a dict of columns (region_id,
/// region_name, area_m2, region_area_m2, share_pct, geometry: the piece as
/// WKB or None; one row per region, in the order of REGIONS) and the
/// totals (union_m2, outside_m2).
#[pyfunction]
#[pyo3(signature = (layer, regions, *, id_field = None, name_field = None, repair = false))]
fn overlay_by<'py>(
    py: Python<'py>,
    layer: &str,
    regions: &str,
    id_field: Option<String>,
    name_field: Option<String>,
    repair: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let rep = py
        .detach(|| -> territory::Result<territory::area::ByReport> {
            let layer = open(layer, id_field, name_field, repair)?;
            let regions = open(regions, None, None, repair)?;
            Ok(territory::area::by_regions(&layer, &regions))
        })
        .map_err(err)?;
    let d = PyDict::new(py);
    let col =
        |f: fn(&territory::area::ByRow) -> f64| -> Vec<f64> { rep.rows.iter().map(f).collect() };
    d.set_item(
        "region_id",
        rep.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "region_name",
        rep.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item("area_m2", col(|r| r.area_m2).into_pyarray(py))?;
    d.set_item("region_area_m2", col(|r| r.region_area_m2).into_pyarray(py))?;
    d.set_item("share_pct", col(|r| r.share_pct()).into_pyarray(py))?;
    // Each region's piece of the union, as WKB (None where it has none).
    let mut pieces: Vec<Option<Vec<u8>>> = vec![None; rep.rows.len()];
    for p in &rep.pieces {
        let mut wkb = Vec::new();
        territory::io::wkb::to_wkb(&geo::Geometry::MultiPolygon(p.geom.clone()), &mut wkb);
        pieces[p.region] = Some(wkb);
    }
    let pieces: Vec<Option<Bound<'py, pyo3::types::PyBytes>>> = pieces
        .iter()
        .map(|w| w.as_deref().map(|b| pyo3::types::PyBytes::new(py, b)))
        .collect();
    d.set_item("geometry", pieces)?;
    d.set_item("union_m2", rep.union_m2)?;
    d.set_item("outside_m2", rep.outside_m2)?;
    Ok(d)
}

/// A published claim ("at least 215 km2", "about 200 km2") judged against
/// the area of LAYER's union, inside each border of `within` when given:
/// a dict per border (computed_m2, claimed_m2, low_m2, high_m2, passed).
#[pyfunction]
#[pyo3(signature = (layer, claim, *, tolerance = None, within = Vec::new(), repair = false))]
fn check<'py>(
    py: Python<'py>,
    layer: &str,
    claim: &str,
    tolerance: Option<&str>,
    within: Vec<String>,
    repair: bool,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let claim: territory::model::Claim = claim.parse().map_err(err)?;
    let tolerance = tolerance
        .map(|t| t.parse::<territory::model::Tolerance>().map_err(err))
        .transpose()?;
    let judged = py
        .detach(|| -> territory::Result<territory::claim::Judged> {
            let layer = open(layer, None, None, repair)?;
            let borders = within
                .iter()
                .map(|b| open(b, None, None, repair))
                .collect::<territory::Result<Vec<_>>>()?;
            let tol = territory::claim::tolerance_for(&claim, tolerance);
            territory::claim::judge(&layer, &borders, claim, tol, None)
                .map_err(territory::Error::Input)
        })
        .map_err(err)?;
    judged
        .verdicts
        .iter()
        .map(|v| {
            let d = PyDict::new(py);
            d.set_item("computed_m2", v.computed_m2)?;
            d.set_item("claimed_m2", v.claimed_m2)?;
            d.set_item("low_m2", v.low_m2)?;
            d.set_item("high_m2", v.high_m2)?;
            d.set_item("passed", v.pass())?;
            Ok(d)
        })
        .collect()
}

/// How deep each feature of LAYER reaches inside BORDER: a dict of columns
/// (id, name, inside_m2, max_depth_m, deepest_lon, deepest_lat).
#[pyfunction]
#[pyo3(signature = (layer, border, *, repair = false))]
fn depth<'py>(
    py: Python<'py>,
    layer: &str,
    border: &str,
    repair: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let rows = py
        .detach(|| -> territory::Result<Vec<territory::depth::DepthRow>> {
            let layer = open(layer, None, None, repair)?;
            let border = open(border, None, None, repair)?;
            territory::depth::depth(&layer, &border, &Default::default())
                .map_err(territory::Error::Input)
        })
        .map_err(err)?;
    let d = PyDict::new(py);
    let col =
        |f: fn(&territory::depth::DepthRow) -> f64| -> Vec<f64> { rows.iter().map(f).collect() };
    d.set_item("id", rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>())?;
    d.set_item(
        "name",
        rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item("inside_m2", col(|r| r.inside_m2).into_pyarray(py))?;
    d.set_item("max_depth_m", col(|r| r.max_depth_m).into_pyarray(py))?;
    d.set_item(
        "deepest_lon",
        col(|r| r.deepest.map_or(f64::NAN, |c| c.x)).into_pyarray(py),
    )?;
    d.set_item(
        "deepest_lat",
        col(|r| r.deepest.map_or(f64::NAN, |c| c.y)).into_pyarray(py),
    )?;
    Ok(d)
}

/// The extension module.
#[pymodule]
fn _territory(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("TerritoryError", m.py().get_type::<TerritoryError>())?;
    m.add_function(wrap_pyfunction!(area_wkb, m)?)?;
    m.add_function(wrap_pyfunction!(overlay_by, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(depth, m)?)?;
    m.add_class::<Regions>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
