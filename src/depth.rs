//! Incursion depth: how far inside a border each feature reaches, and how its
//! area inside the border divides into distance bands from the border line.
//!
//! - **Max depth** of a feature: the largest geodesic distance from the
//!   border's boundary line of any point of the feature inside the border.
//!   The function "distance to the boundary" is 1-Lipschitz, so a grid of
//!   spacing h over the part inside (its vertices and edges included) finds
//!   the maximum to within h/√2; the best 16 grid points are then refined by
//!   a pattern search (eight directions, step halved down to 0.5 m) that stays
//!   inside. Distances come from [`crate::index::BoundaryIndex`] (Karney's
//!   geodesic to the nearest boundary segment).
//! - **Bands**: the part inside the border between d₁ and d₂ from the line is
//!   what lies inside the border moved d₁ in and not inside it moved d₂ in;
//!   the moved borders are geodesic buffers ([`crate::borders::NearBorder`]).
//!
//! Accuracy against a brute force (dense sampling and GeographicLib,
//! `scripts/reference-depth.py`): see README, "Incursion depth".
//!
//! # Example
//! ```
//! use territory::depth::{depth, DepthOptions};
//! use territory::{data, io::ReadOptions};
//! use territory::io::{self, LayerSpec};
//! let sample = io::read_layer(
//!     &"data/examples/occupied-illustrative.geojson".parse::<LayerSpec>().unwrap(),
//!     &ReadOptions::default(),
//! ).unwrap();
//! let armenia = data::builtin("armenia", &ReadOptions::default()).unwrap();
//! let rows = depth(&sample, &armenia, &DepthOptions::default()).unwrap();
//! // The Jermuk polygon reaches several kilometres into Armenia.
//! let jermuk = rows.iter().find(|r| r.id == "jermuk-2022-09-13").unwrap();
//! assert!(jermuk.max_depth_m > 3000.0 && jermuk.max_depth_m < 20000.0);
//! let banded: f64 = jermuk.bands.iter().map(|b| b.area_m2).sum();
//! assert!((banded - jermuk.inside_m2).abs() < 1e-3 * jermuk.inside_m2);
//! ```

use geo::{BoundingRect, Coord, Intersects, MultiPolygon, Point};
use rayon::prelude::*;

use crate::borders::{NearBorder, mask};
use crate::index::BoundaryIndex;
use crate::model::Layer;
use crate::{measure, overlay};

/// The method, stated in every depth report.
pub const METHOD: &str = "max depth: geodesic distance (Karney) to the border line, grid search + refinement; bands: geodesic buffers of the border in a local azimuthal equidistant frame";

/// What to compute.
#[derive(Debug, Clone)]
pub struct DepthOptions {
    /// Band edges in metres, increasing (default 1, 2, 5 km): bands are
    /// 0–1 km, 1–2 km, 2–5 km and 5 km and more.
    pub band_edges_m: Vec<f64>,
}

impl Default for DepthOptions {
    fn default() -> Self {
        DepthOptions {
            band_edges_m: vec![1000.0, 2000.0, 5000.0],
        }
    }
}

/// One band of a feature: the part between `from_m` and `to_m` (`None`: no
/// upper limit) from the border line.
#[derive(Debug, Clone)]
pub struct BandPiece {
    /// Inner edge, m from the line.
    pub from_m: f64,
    /// Outer edge, m (`None` for the last band).
    pub to_m: Option<f64>,
    /// The piece.
    pub geom: MultiPolygon<f64>,
    /// Its geodesic area, m².
    pub area_m2: f64,
}

/// One feature's depth.
#[derive(Debug, Clone)]
pub struct DepthRow {
    /// 1-based feature index.
    pub index: usize,
    /// Feature id.
    pub id: String,
    /// Feature name.
    pub name: String,
    /// Area inside the border, m².
    pub inside_m2: f64,
    /// Largest distance from the border line of a point inside, m (0 when
    /// the feature is not inside).
    pub max_depth_m: f64,
    /// Where that is (lon, lat), when the feature is inside.
    pub deepest: Option<Coord<f64>>,
    /// The bands, nearest first.
    pub bands: Vec<BandPiece>,
}

/// Depth and bands of every feature of `layer` inside `border` (the union of
/// its features).
pub fn depth(layer: &Layer, border: &Layer, opts: &DepthOptions) -> Result<Vec<DepthRow>, String> {
    let edges = &opts.band_edges_m;
    if edges.windows(2).any(|w| w[0] >= w[1]) || edges.iter().any(|&e| e.is_nan() || e <= 0.0) {
        return Err("band edges must be positive and increasing, e.g. 1,2,5".into());
    }
    let m = mask(border);
    let index = BoundaryIndex::from_geoms(vec![m.clone()]);
    // Each feature cut by the border's parts (no dissolved mask: its unions
    // snap vertices to a country-wide grid, 1 m² on a 24 km² piece).
    let parts: Vec<&MultiPolygon<f64>> = border.regions.iter().map(|r| &r.geom).collect();
    let inside: Vec<MultiPolygon<f64>> = layer
        .regions
        .par_iter()
        .map(|r| overlay::clip(&r.geom, &parts))
        .collect();
    let all = overlay::dissolve(inside.iter());
    let far = edges.last().copied().unwrap_or(0.0);
    let moved: Vec<MultiPolygon<f64>> = match NearBorder::new(&all, &m, far)? {
        Some(near) => edges.par_iter().map(|&d| near.moved(-d)).collect(),
        None => vec![MultiPolygon(Vec::new()); edges.len()],
    };
    Ok(layer
        .regions
        .par_iter()
        .zip(inside.par_iter())
        .map(|(r, p)| {
            let inside_m2 = measure::multi_polygon(p).area_m2;
            let (max_depth_m, deepest) = deepest_point(p, &index);
            // cores[k]: the part at least edges[k] from the line.
            let cores: Vec<MultiPolygon<f64>> =
                moved.iter().map(|b| overlay::intersection(p, b)).collect();
            let mut bands = Vec::with_capacity(edges.len() + 1);
            for k in 0..=edges.len() {
                let outer = if k == 0 { p } else { &cores[k - 1] };
                let geom = match cores.get(k) {
                    Some(core) => overlay::difference(outer, core),
                    None => outer.clone(),
                };
                let area_m2 = measure::multi_polygon(&geom).area_m2;
                bands.push(BandPiece {
                    from_m: if k == 0 { 0.0 } else { edges[k - 1] },
                    to_m: edges.get(k).copied(),
                    geom,
                    area_m2,
                });
            }
            DepthRow {
                index: r.index,
                id: r.id.clone(),
                name: r.name.clone(),
                inside_m2,
                max_depth_m,
                deepest,
                bands,
            }
        })
        .collect())
}

/// Grid points per feature for the first search.
const GRID_POINTS: f64 = 20_000.0;

/// The point of `p` farthest from the boundary indexed by `index` (see the
/// module documentation), and its distance in m.
fn deepest_point(p: &MultiPolygon<f64>, index: &BoundaryIndex) -> (f64, Option<Coord<f64>>) {
    let Some(rect) = p.bounding_rect() else {
        return (0.0, None);
    };
    let dist = |c: Coord<f64>| index.distance_m(c.x, c.y, Some(0));
    let area = measure::multi_polygon(p).area_m2;
    let lat = (rect.min().y + rect.max().y) / 2.0;
    let (mx, my) = (111_320.0 * lat.to_radians().cos(), 110_574.0); // m per degree
    let h = (area / GRID_POINTS).sqrt().clamp(10.0, 2000.0);
    let (sx, sy) = (h / mx, h / my);
    let mut candidates: Vec<Coord<f64>> = Vec::new();
    // Vertices and points along the edges.
    for poly in &p.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for w in ring.0.windows(2) {
                let (a, b) = (w[0], w[1]);
                let len = ((b.x - a.x) * mx).hypot((b.y - a.y) * my);
                let n = (len / h).ceil().max(1.0) as usize;
                for k in 0..n {
                    let t = k as f64 / n as f64;
                    candidates.push(Coord {
                        x: a.x + t * (b.x - a.x),
                        y: a.y + t * (b.y - a.y),
                    });
                }
            }
        }
    }
    // The grid inside: on each row, the crossings of the rings (even-odd)
    // bound the runs of inside points.
    let edges: Vec<(Coord<f64>, Coord<f64>)> =
        p.0.iter()
            .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
            .flat_map(|ring| ring.0.windows(2).map(|w| (w[0], w[1])))
            .collect();
    let mut y = rect.min().y + sy / 2.0;
    let mut xs: Vec<f64> = Vec::new();
    while y < rect.max().y {
        xs.clear();
        for &(a, b) in &edges {
            if (a.y <= y) != (b.y <= y) {
                xs.push(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
            }
        }
        xs.sort_by(f64::total_cmp);
        for run in xs.chunks_exact(2) {
            let mut x = rect.min().x + sx / 2.0 + ((run[0] - rect.min().x) / sx).ceil() * sx;
            while x <= run[1] {
                candidates.push(Coord { x, y });
                x += sx;
            }
        }
        y += sy;
    }
    let mut scored: Vec<(f64, Coord<f64>)> = candidates.par_iter().map(|&c| (dist(c), c)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.truncate(16);
    scored
        .into_par_iter()
        .map(|(d0, c0)| {
            let (mut best, mut at) = (d0, c0);
            let mut step = h;
            while step > 0.5 {
                let mut moved = false;
                const R: f64 = std::f64::consts::FRAC_1_SQRT_2;
                for (dx, dy) in [
                    (1.0, 0.0),
                    (-1.0, 0.0),
                    (0.0, 1.0),
                    (0.0, -1.0),
                    (R, R),
                    (R, -R),
                    (-R, R),
                    (-R, -R),
                ] {
                    let c = Coord {
                        x: at.x + dx * step / mx,
                        y: at.y + dy * step / my,
                    };
                    if !p.intersects(&Point::from(c)) {
                        continue;
                    }
                    let d = dist(c);
                    if d > best {
                        (best, at, moved) = (d, c, true);
                    }
                }
                if !moved {
                    step /= 2.0;
                }
            }
            (best, at)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .fold((0.0, None), |(bd, bc), (d, c)| {
            if bc.is_none() || d > bd {
                (d, Some(c))
            } else {
                (bd, bc)
            }
        })
}
