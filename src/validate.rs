//! Geometry validity (OGC simple features, through geo's `Validation`) and
//! repair (geo's `MakeValid`, constrained Delaunay triangulation).
//!
//! Overlay results are only meaningful on valid polygons: a self-intersecting
//! ring or a hole outside its shell makes intersections and unions wrong. The
//! overlay commands therefore check their layers first and stop with every
//! invalid feature listed, unless `--repair` asks for the repair.

use geo::{MakeValid, Validation};
use rayon::prelude::*;

use crate::measure;
use crate::model::Layer;

/// A feature with problems.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidFeature {
    /// 1-based feature index.
    pub index: usize,
    /// Feature id.
    pub id: String,
    /// What is wrong, one entry per problem: `polygon 1: exterior ring has a self-intersection`.
    pub problems: Vec<String>,
}

impl std::fmt::Display for InvalidFeature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "feature {} (id {:?}): {}",
            self.index,
            self.id,
            self.problems.join("; ")
        )
    }
}

/// Every invalid feature of a layer (checked in parallel, reported in order).
/// Each polygon is checked on its own (self-intersections, holes outside the
/// shell, rings crossing); overlaps between polygons of one feature are the
/// overlay's business (they are counted once in unions).
pub fn invalid_features(layer: &Layer) -> Vec<InvalidFeature> {
    layer
        .regions
        .par_iter()
        .filter_map(|r| {
            let problems: Vec<String> = r
                .geom
                .0
                .iter()
                .enumerate()
                .flat_map(|(k, p)| {
                    p.validation_errors()
                        .into_iter()
                        .map(move |e| format!("polygon {}: {e}", k + 1))
                })
                .collect();
            (!problems.is_empty()).then(|| InvalidFeature {
                index: r.index,
                id: r.id.clone(),
                problems,
            })
        })
        .collect()
}

/// What a repair changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    /// The feature.
    pub index: usize,
    /// Its id.
    pub id: String,
    /// Geodesic area before (as measured on the invalid rings), m².
    pub before_m2: f64,
    /// Geodesic area after, m².
    pub after_m2: f64,
}

/// Repair the given invalid features in place with `MakeValid`. A feature the
/// repair cannot handle is returned as an error with its reason.
pub fn repair(
    layer: &mut Layer,
    invalid: &[InvalidFeature],
) -> Result<Vec<Repair>, (InvalidFeature, String)> {
    let mut out = Vec::with_capacity(invalid.len());
    for bad in invalid {
        let Some(region) = layer.regions.iter_mut().find(|r| r.index == bad.index) else {
            continue;
        };
        let before_m2 = measure::multi_polygon(&region.geom).area_m2;
        let fixed = region
            .geom
            .make_valid()
            .map_err(|e| (bad.clone(), e.to_string()))?;
        region.geom = fixed;
        out.push(Repair {
            index: bad.index,
            id: bad.id.clone(),
            before_m2,
            after_m2: measure::multi_polygon(&region.geom).area_m2,
        });
    }
    Ok(out)
}
