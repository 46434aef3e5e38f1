//! The default build has no PROJ: WGS84 only. [`Transformer`] cannot be built,
//! and asking for one gives the error that names the `proj` feature.

use geo::Coord;

use super::Crs;

/// The version of the PROJ library linked in: none in this build.
pub fn proj_version() -> Option<String> {
    None
}

/// The linear unit of a projected CRS; this build knows none.
pub fn linear_unit(crs: &Crs) -> Result<(String, f64), String> {
    Err(format!("{crs} needs the `proj` feature"))
}

/// A transformation between two CRSs; this build has none (the type has no
/// values, so code that transforms compiles but never runs).
#[derive(Debug)]
pub enum Transformer {}

impl Transformer {
    /// Always fails in this build: the caller turns the error into
    /// [`crate::error::Error::CrsNeedsProj`].
    pub fn new(from: &Crs, to: &Crs) -> Result<Self, String> {
        let other = if from.is_wgs84() { to } else { from };
        Err(format!("{other} needs the `proj` feature"))
    }

    /// The source CRS.
    pub fn from(&self) -> &Crs {
        match *self {}
    }

    /// The target CRS.
    pub fn to(&self) -> &Crs {
        match *self {}
    }

    /// Transform `coords` in place (see the `proj` build's documentation).
    pub fn convert(&self, _coords: &mut [Coord<f64>]) -> Result<(), (usize, String)> {
        match *self {}
    }
}
