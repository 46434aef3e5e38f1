//! Which region holds a point: region layers indexed once ([`Target`]), one
//! point looked up ([`Target::lookup`]). Millions of rows are streamed
//! through the lookup by [`crate::report::points::stream`].
//!
//! Boundary rule: a point on the boundary of several regions belongs to the
//! first of them in layer order; [`Hits::All`] lists every region holding it
//! (see [`crate::index`]).
//!
//! # Examples
//!
//! Yerevan's Republic Square, in the built-in provinces of Armenia, with the
//! geodesic distance to the province's boundary:
//!
//! ```
//! use territory::locate::{Hits, Target};
//! let provinces = territory::open(&"builtin:armenia-provinces".parse().unwrap(), &Default::default())?;
//! let target = Target::new("province", provinces, true);
//! let hit = target.lookup(44.5126, 40.1776, Hits::First);
//! assert_eq!(target.names(&hit, |r| &r.id), "AM-ER");
//! assert!(hit.distance_km.unwrap() > 1.0);
//! # Ok::<(), territory::Error>(())
//! ```

use serde_json::Map;

use crate::index::{BoundaryIndex, RegionIndex};
use crate::model::{Layer, Region};

/// One region layer, indexed for lookups.
pub struct Target {
    /// Column prefix in the output (`province` gives `province_id`, ...).
    pub label: String,
    /// The regions: ids and names (the geometry is in the indexes).
    pub layer: Layer,
    /// Their index.
    pub index: RegionIndex,
    /// Their boundaries, indexed for distances (when asked for).
    pub boundary: Option<BoundaryIndex>,
}

/// Which regions a lookup reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hits {
    /// The first region in layer order holding the point.
    #[default]
    First,
    /// Every region holding the point.
    All,
}

/// The answer for one point and one layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Matching regions (indices), first-in-layer-order first; empty when none.
    pub regions: Vec<usize>,
    /// Geodesic distance to the boundary of the (first) region holding the
    /// point, or to the nearest region's boundary when none does, in km;
    /// when the target measures distances.
    pub distance_km: Option<f64>,
}

impl Target {
    /// Index `layer` (an R-tree of its regions; with `distance`, of their
    /// boundaries too). Properties and geometry are let go: only ids and
    /// names are kept.
    pub fn new(label: impl Into<String>, mut layer: Layer, distance: bool) -> Target {
        let index = RegionIndex::new(&layer);
        let mut geoms = Vec::with_capacity(layer.regions.len());
        for r in &mut layer.regions {
            r.props = Map::new();
            geoms.push(std::mem::replace(
                &mut r.geom,
                geo::MultiPolygon(Vec::new()),
            ));
        }
        let boundary = distance.then(|| BoundaryIndex::from_geoms(geoms));
        Target {
            label: label.into(),
            layer,
            index,
            boundary,
        }
    }

    /// Whether lookups give distances.
    pub fn measures_distance(&self) -> bool {
        self.boundary.is_some()
    }

    /// Look up the point (`lon`, `lat`, WGS84 degrees).
    pub fn lookup(&self, lon: f64, lat: f64, hits: Hits) -> Hit {
        let mut regions = Vec::new();
        match hits {
            Hits::All => self.index.all(lon, lat, &mut regions),
            Hits::First => regions.extend(self.index.first(lon, lat)),
        }
        let distance_km = self
            .boundary
            .as_ref()
            .map(|b| b.distance_m(lon, lat, regions.first().copied()) / 1000.0);
        Hit {
            regions,
            distance_km,
        }
    }

    /// The ids (or names, or any text `f` picks) of a hit's regions, joined
    /// by `;`; empty when none.
    pub fn names(&self, hit: &Hit, f: fn(&Region) -> &str) -> String {
        hit.regions
            .iter()
            .map(|&i| f(&self.layer.regions[i]))
            .collect::<Vec<_>>()
            .join(";")
    }
}
