//! `territory`: geodesic territory analysis of polygon layers — how much
//! territory a layer covers, where, since when, and which region holds a
//! point — as a library. The `territory` program is a thin binary over it
//! (argument parsing and commands live in `src/main.rs`, `src/cli.rs` and
//! `src/commands/`, outside the library); build the library alone, without
//! clap, with `default-features = false`.
//!
//! Data flows one way: input ([`io`], [`data`]: [`open`] any LAYER) →
//! model ([`model`]: [`Layer`], [`Region`]) → algorithms ([`measure`],
//! [`overlay`], [`area`], [`claim`], [`timeline`], [`depth`], [`locate`],
//! [`validate`]) → output ([`report`]: rows to table, CSV, JSON, GeoJSON;
//! [`render`]: maps and charts). Algorithms take model types, return plain
//! result structs in base units (m², m), do no I/O and never print.
//!
//! # Examples
//!
//! The area of a file, as the union of its features (overlaps counted
//! once), after the validity checks every measurement assumes. The fixture
//! is two 0.2° squares overlapping by half; the union is GeographicLib's
//! area of the combined polygon (`tests/data/reference-areas.json`):
//!
//! ```
//! use territory::validate::{self, Checks};
//! let mut layer = territory::open(&"tests/data/overlap.geojson".parse().unwrap(), &Default::default())?;
//! validate::enforce(&mut layer, Checks::Check)?;
//! let report = territory::area::compute(&layer);
//! let rel = |a: f64, b: f64| (a - b).abs() / b;
//! assert!(rel(report.totals.union_m2, 568_099_622.763_474_5) < 1e-9);
//! // The overlap is sum − union: the union's error, on a third of its size.
//! assert!(rel(report.totals.overlap_m2, 189_339_294.738_331_9) < 1e-8);
//! # Ok::<(), territory::Error>(())
//! ```
//!
//! Area by province: a square split by two regions at 45° E, each half
//! reported in its region ([`area::by_regions`]; the halves are
//! GeographicLib's):
//!
//! ```
//! let square = territory::open(&"tests/data/split-subject.geojson".parse().unwrap(), &Default::default())?;
//! let regions = territory::open(&"tests/data/split-regions.geojson".parse().unwrap(), &Default::default())?;
//! let by = territory::area::by_regions(&square, &regions);
//! let rel = |a: f64, b: f64| (a - b).abs() / b;
//! assert!(rel(by.rows[0].area_m2, 189_359_729.374_812_4) < 1e-8);
//! assert!(rel(by.rows[1].area_m2, 189_359_729.374_825_1) < 1e-8);
//! assert!(by.outside_m2 < 1.0);
//! # Ok::<(), territory::Error>(())
//! ```
//!
//! Which province holds a point, a claim checked under a border, and how
//! deep a layer reaches inside one: see [`locate`], [`claim`] and
//! [`depth`]. Reports: [`report::Document`] writes any result's rows in the
//! four formats.

#![warn(missing_docs)]

/// A line for people on stderr (`eprintln!` that ignores a closed or full
/// stderr instead of panicking; see [`io::output::message`]).
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::io::output::message(format_args!($($arg)*))
    };
}

pub mod area;
pub mod borders;
pub mod claim;
pub mod crs;
pub mod data;
pub mod depth;
pub mod error;
pub mod index;
pub mod io;
pub mod locate;
pub mod measure;
pub mod model;
pub mod overlay;
pub mod render;
pub mod report;
pub mod select;
pub mod text;
pub mod timeline;
pub mod validate;

#[cfg(test)]
mod testutil;

pub use error::{Error, Result};
pub use io::{LayerSpec, ReadOptions};
pub use model::{Layer, Region};

/// Open a layer: a file (GeoJSON document or sequence, KML or KMZ; the kind
/// is told from the content), standard input (`-`) or an embedded
/// `builtin:NAME[@SOURCE]` layer, with ids and names picked as `opts` say.
/// Nothing is checked: see [`validate::enforce`].
///
/// # Examples
///
/// ```
/// let layer = territory::open(&"builtin:armenia".parse().unwrap(), &Default::default())?;
/// assert_eq!(layer.regions.len(), 1);
/// assert_eq!(layer.regions[0].id, "AM");
/// # Ok::<(), territory::Error>(())
/// ```
pub fn open(spec: &LayerSpec, opts: &ReadOptions) -> Result<Layer> {
    data::load_layer(spec, opts)
}
