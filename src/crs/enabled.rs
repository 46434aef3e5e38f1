//! CRS transformations through PROJ (cargo feature `proj`).
//!
//! PROJ is built from source and linked statically (`proj-sys`'s
//! `bundled_proj`), with SQLite bundled too. PROJ's database `proj.db` is
//! embedded in the binary by `build.rs`; on first use it is written once to
//! `$TMPDIR/territory-proj-<size>-<hash>/proj.db` (atomically, reused by later
//! runs) and that directory is added to PROJ's search path. So the binary works
//! after `cargo install` or a move to another directory, with no PROJ
//! environment variables. `PROJ_DATA`, when set, is searched first (PROJ's own
//! rule). No grid files are shipped and network access is off: transformations
//! that need a grid use PROJ's best grid-less operation.
//!
//! A `proj::Proj` may not cross threads, so each thread that transforms builds
//! its own (once per transformer) and keeps it in a thread-local cache.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use geo::Coord;
use proj::{Proj, ProjBuilder};

use super::Crs;

/// PROJ's database, copied into OUT_DIR by `build.rs`.
static PROJ_DB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/proj.db"));
/// `<size>-<FNV-1a hash>` of [`PROJ_DB`], computed by `build.rs`.
const PROJ_DB_ID: &str = env!("TERRITORY_PROJ_DB_ID");

/// The version of the PROJ library linked in, e.g. `"9.6.2"`.
pub fn proj_version() -> Option<String> {
    Some(format!(
        "{}.{}.{}",
        proj_sys::PROJ_VERSION_MAJOR,
        proj_sys::PROJ_VERSION_MINOR,
        proj_sys::PROJ_VERSION_PATCH
    ))
}

/// The directory holding a copy of the embedded `proj.db`, written on first use.
fn db_dir() -> Result<&'static Path, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| {
        // PROJ prints its own diagnostics to stderr ("proj_create: …"); our
        // errors carry its message already. New contexts copy the default
        // context's log level, so silence that one before any is created.
        // SAFETY: a null context means PROJ's default context; the call only
        // sets an integer, and runs once, before this process creates any.
        unsafe {
            proj_sys::proj_log_level(std::ptr::null_mut(), proj_sys::PJ_LOG_LEVEL_PJ_LOG_NONE);
        }
        let dir = std::env::temp_dir().join(format!("territory-proj-{PROJ_DB_ID}"));
        let db = dir.join("proj.db");
        let present = std::fs::metadata(&db).is_ok_and(|m| m.len() == PROJ_DB.len() as u64);
        if !present {
            let write = || -> std::io::Result<()> {
                std::fs::create_dir_all(&dir)?;
                let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
                std::io::Write::write_all(&mut tmp, PROJ_DB)?;
                tmp.persist(&db).map_err(|e| e.error)?;
                Ok(())
            };
            write().map_err(|e| {
                format!(
                    "cannot write PROJ's database to {}: {e} (set TMPDIR to a writable directory)",
                    db.display()
                )
            })?;
        }
        Ok(dir)
    })
    .as_ref()
    .map(PathBuf::as_path)
    .map_err(Clone::clone)
}

/// A transformation between two CRSs, usable from any thread.
#[derive(Debug)]
pub struct Transformer {
    from: Crs,
    to: Crs,
    key: usize,
    /// The target is WGS84: results must be longitudes/latitudes.
    to_lonlat: bool,
}

thread_local! {
    /// This thread's PROJ objects, by transformer key.
    static PROJS: RefCell<Vec<(usize, Proj)>> = const { RefCell::new(Vec::new()) };
}

static NEXT_KEY: AtomicUsize = AtomicUsize::new(0);

fn build(from: &Crs, to: &Crs) -> Result<Proj, String> {
    let dir = db_dir()?; // first: it silences PROJ's logging for new contexts
    let mut builder = ProjBuilder::new();
    builder
        .set_search_paths(dir)
        .map_err(|e| format!("PROJ search path: {e}"))?;
    builder
        .proj_known_crs(from.definition(), to.definition(), None)
        .map_err(|e| format!("PROJ cannot transform from {from} to {to}: {e}"))
}

impl Transformer {
    /// A transformation from `from` to `to` (x/y order: lon/lat, easting/northing).
    /// Fails when PROJ does not know either CRS.
    pub fn new(from: &Crs, to: &Crs) -> Result<Self, String> {
        let key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
        let proj = build(from, to)?;
        PROJS.with(|p| p.borrow_mut().push((key, proj)));
        Ok(Transformer {
            from: from.clone(),
            to: to.clone(),
            key,
            to_lonlat: to.is_wgs84(),
        })
    }

    /// The source CRS.
    pub fn from(&self) -> &Crs {
        &self.from
    }

    /// The target CRS.
    pub fn to(&self) -> &Crs {
        &self.to
    }

    /// Transform `coords` in place; into WGS84, every result must be a
    /// longitude/latitude. On failure, the index of the first coordinate that
    /// could not be transformed (left as it was) and the reason; the ones
    /// before it are transformed, so the slice must be discarded.
    pub fn convert(&self, coords: &mut [Coord<f64>]) -> Result<(), (usize, String)> {
        PROJS.with(|cell| {
            let mut projs = cell.borrow_mut();
            let pos = match projs.iter().position(|(k, _)| *k == self.key) {
                Some(pos) => pos,
                None => {
                    let proj = build(&self.from, &self.to).map_err(|e| (0, e))?;
                    projs.push((self.key, proj));
                    projs.len() - 1
                }
            };
            let proj = &projs[pos].1;
            for (i, c) in coords.iter_mut().enumerate() {
                let out = proj.convert(*c).map_err(|e| (i, e.to_string()))?;
                if !out.x.is_finite() || !out.y.is_finite() {
                    return Err((i, "the result is not finite".into()));
                }
                if self.to_lonlat
                    && (!(-180.0..=180.0).contains(&out.x) || !(-90.0..=90.0).contains(&out.y))
                {
                    return Err((
                        i,
                        format!(
                            "the result ({}, {}) is not a longitude/latitude",
                            out.x, out.y
                        ),
                    ));
                }
                *c = out;
            }
            Ok(())
        })
    }
}

/// The linear unit of a projected CRS: its name and metres per unit. An error
/// for a CRS that is not projected (planar areas in degrees mean nothing).
pub fn linear_unit(crs: &Crs) -> Result<(String, f64), String> {
    let dir = db_dir()?;
    let mut builder = ProjBuilder::new();
    builder
        .set_search_paths(dir)
        .map_err(|e| format!("PROJ search path: {e}"))?;
    let mut def = crs.definition().to_string();
    if def.starts_with('+') && !def.contains("+type=crs") {
        def.push_str(" +type=crs");
    }
    let p = builder
        .proj(&def)
        .map_err(|e| format!("PROJ does not know {crs}: {e}"))?;
    let json = p
        .to_projjson(Some(false), None, None)
        .map_err(|e| format!("{crs}: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&json).map_err(|e| format!("{crs}: {e}"))?;
    let ty = v.get("type").and_then(|t| t.as_str()).unwrap_or("unknown");
    if ty != "ProjectedCRS" {
        return Err(format!(
            "{crs} is a {ty}, not a projected CRS; a planar area needs one (e.g. EPSG:32638, UTM zone 38N)"
        ));
    }
    let unit = v.pointer("/coordinate_system/axis/0/unit");
    match unit {
        None => Ok(("metre".into(), 1.0)),
        Some(serde_json::Value::String(name)) if name == "metre" => Ok((name.clone(), 1.0)),
        Some(u) => {
            let name = u.get("name").and_then(|n| n.as_str()).unwrap_or("unit");
            match u.get("conversion_factor").and_then(|f| f.as_f64()) {
                Some(f) if f > 0.0 => Ok((name.to_string(), f)),
                _ => Err(format!("{crs}: unknown linear unit {u}")),
            }
        }
    }
}

impl Drop for Transformer {
    fn drop(&mut self) {
        // Free this thread's PROJ object; other threads' go when they exit.
        let _ = PROJS.try_with(|p| p.borrow_mut().retain(|(k, _)| *k != self.key));
    }
}
