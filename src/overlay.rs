//! Polygon overlay: union (dissolve) before totals, so that overlapping
//! features are never counted twice.
//!
//! # Method
//! Boolean operations run in longitude/latitude with geo's `BooleanOps`
//! (i_overlay, exact on a fixed grid fitted to the data's extent); areas of the
//! results are then measured geodesically (see `measure`). Edges are treated as
//! straight in lon/lat during the overlay; for the short edges of digitised
//! boundaries (a few km at most) the difference from geodesic edges is far below
//! the generalisation of 1:10m data.
//!
//! # Assumptions
//! Input polygons are valid (no self-intersections); rings of either winding are
//! accepted (they are oriented first).

use geo::orient::{Direction, Orient};
use geo::{MultiPolygon, unary_union};

use crate::measure;

/// Relative difference between the plain sum and the union area below which
/// the difference is numerical (snapping of shared boundaries to the overlay
/// grid), not overlap: then the union is reported equal to the sum.
pub const OVERLAP_TOLERANCE: f64 = 1e-9;

/// Union of a set of (multi)polygons, rings oriented first.
pub fn dissolve<'a>(geoms: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> MultiPolygon<f64> {
    let oriented: Vec<MultiPolygon<f64>> = geoms
        .into_iter()
        .map(|g| g.orient(Direction::Default))
        .collect();
    unary_union(&oriented)
}

/// Totals of a layer: plain sum, area of the union, and the overlap between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Totals {
    /// Features counted.
    pub features: usize,
    /// Sum of the features' areas, m².
    pub sum_m2: f64,
    /// Area of the union of all features, m²: the total we report.
    pub union_m2: f64,
    /// `sum_m2 - union_m2`: area covered more than once, counted once in the union.
    pub overlap_m2: f64,
}

/// Totals over `geoms`, whose individual areas (m²) are `areas` (same order).
pub fn totals(geoms: &[&MultiPolygon<f64>], areas: &[f64]) -> Totals {
    let sum_m2: f64 = areas.iter().sum();
    let union_m2 = measure::multi_polygon(&dissolve(geoms.iter().copied())).area_m2;
    let overlap = sum_m2 - union_m2;
    let (union_m2, overlap_m2) = if overlap.abs() <= OVERLAP_TOLERANCE * sum_m2 {
        (sum_m2, 0.0)
    } else {
        (union_m2, overlap)
    };
    Totals {
        features: geoms.len(),
        sum_m2,
        union_m2,
        overlap_m2,
    }
}
