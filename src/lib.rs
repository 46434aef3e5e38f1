//! `territory`: geodesic territory analysis of polygon layers.
//!
//! Data flows one way: input (`io`, `data`) → model (`model`) → algorithms
//! (`measure`, `overlay`) → output (`report`). The `territory` program is a
//! thin binary over this library (its argument parsing and commands live in
//! `src/main.rs`, `src/cli.rs` and `src/commands/`, outside the library).

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
pub mod timeline;
pub mod validate;

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
