//! One repair, with one meaning everywhere (`--repair` in every command and
//! `validate --repair`): repeated vertices removed; each invalid polygon
//! rebuilt by the even–odd rule (a point is inside when a ray from it crosses
//! the polygon's rings an odd number of times: a bow-tie becomes its two
//! lobes, a hole outside its shell becomes an island, a ring traced twice
//! cancels out), as geo's `MakeValid` and GEOS's `MakeValid` do; then the
//! parts of a feature that overlap are united, so a feature covers each place
//! once.
//!
//! The even–odd rebuild is a union with nothing through i_overlay (geo's
//! `BooleanOps` engine, a sweep line: O(n log n)); geo's `MakeValid` builds a
//! constrained Delaunay triangulation instead, which took 66 s for a
//! 3,000-vertex self-crossing ring (time growing as n^3.6).
//!
//! # Example
//! ```
//! use geo::{MultiPolygon, polygon};
//! use territory::{measure, validate::repair::repair};
//! // A bow-tie near Yerevan crossing itself at (44.5, 40.15): two triangles.
//! let bowtie = MultiPolygon(vec![polygon![
//!     (x: 44.4, y: 40.1), (x: 44.6, y: 40.2), (x: 44.6, y: 40.1), (x: 44.4, y: 40.2)
//! ]]);
//! let fixed = repair(&bowtie);
//! assert_eq!(fixed.0.len(), 2);
//! assert!(territory::validate::checks::problems(&fixed.0[0]).is_empty());
//! ```

use geo::algorithm::bool_ops::{BooleanOps, FillRule};
use geo::{MultiPolygon, RemoveRepeatedPoints};
use rayon::prelude::*;

use super::checks;

/// The repaired geometry (see the module documentation). Valid polygons of
/// a feature whose parts do not overlap come back unchanged, but for repeated
/// vertices.
pub fn repair(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let cleaned = mp.remove_repeated_points();
    let parts: Vec<MultiPolygon<f64>> = cleaned
        .0
        .par_iter()
        .map(|p| {
            if checks::problems(p).is_empty() {
                MultiPolygon(vec![p.clone()])
            } else {
                p.union_with_fill_rule(&MultiPolygon::<f64>(Vec::new()), FillRule::EvenOdd)
            }
        })
        .collect();
    match parts.len() {
        0 => MultiPolygon(Vec::new()),
        1 => parts.into_iter().next().unwrap_or(MultiPolygon(Vec::new())),
        _ => crate::overlay::dissolve(parts.iter()),
    }
}
