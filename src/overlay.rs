//! Polygon overlay: union (dissolve) before totals, so that overlapping
//! features are never counted twice.
//!
//! # Method
//! Boolean operations run in longitude/latitude with geo's `BooleanOps`
//! (i_overlay, exact on a fixed grid fitted to the operands' extent); areas of
//! the results are then measured geodesically (see `measure`).
//!
//! # Edge model
//! Edges are geodesics, in the overlay as in every area. The overlay itself
//! cuts edges as straight lines in lon/lat, so every operand first goes
//! through [`prepare`]: edges whose lon/lat chord would stray more than 1 mm
//! from the geodesic get points inserted *on* the geodesic (areas unchanged).
//! A cut point then lies within 1 mm of the edge it cuts, and the pieces of a
//! polygon add up to the polygon: before this, a cut point on Western
//! Sahara's 450 km border along 27.67° N was measured as a geodesic detour
//! and lost 176 km² (1.95e-3) of the region's own area.
//!
//! Totals avoid one giant union: an R-tree (rstar) over the features' bounding
//! boxes yields the pairs that might overlap; each pair is intersected (first
//! clipped to the common box, for speed, then exactly when the clipped test
//! finds an overlap), and only features linked by an intersection of positive
//! area are dissolved together. A layer of features that only touch (provinces) therefore has
//! union = sum exactly, with no snapping noise, and the world admin-1 layer
//! needs no continent-sized union.
//!
//! # Assumptions
//! Input polygons are valid (no self-intersections); rings of either winding
//! are accepted (they are oriented first).

use geo::orient::{Direction, Orient};
use geo::{BooleanOps, BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect, coord};
use rayon::prelude::*;

use crate::measure;

/// Intersections smaller than this fraction of the smaller operand's area are
/// numerical (shared boundaries snapped to the overlay grid), not overlap.
/// 1e-8: the built-in units fitted to the 10 m outline share boundaries of
/// hundreds of kilometres with points on a 1e-9 degree grid, and the overlay
/// finds up to 1.4e-9 of the smaller unit "in both" (1 m² of Zangilan and
/// Syunik, which shapely at fixed precision finds disjoint).
pub const OVERLAP_TOLERANCE: f64 = 1e-8;

/// Union of a set of (multi)polygons, rings oriented first.
///
/// Polygons whose bounding boxes touch no other polygon's pass through
/// unchanged; the others are grouped into connected components (R-tree of
/// bounding boxes) and each component is united on its own with geo's
/// pairwise unions (see `cascaded_union`).
pub fn dissolve<'a>(geoms: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> MultiPolygon<f64> {
    dissolve_polygons(
        geoms
            .into_iter()
            .flat_map(|g| g.orient(Direction::Default).0)
            .collect(),
    )
}

/// An operand made ready for the overlay: long edges densified along their
/// geodesics ([`measure::densify_for_overlay`]), rings oriented. Every
/// overlay that yields measured geometry goes through this, so a cut point
/// lands within 1 mm of the geodesic edge it cuts and the pieces of a polygon
/// add up to the polygon (see the module's "Edge model").
pub fn prepare(g: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    measure::densify_for_overlay(g).orient(Direction::Default)
}

/// [`prepare`] for an overlay whose operands' bounding boxes meet in
/// `window`: only edges that can reach it can be cut, so only they are
/// densified (see [`measure::densify_for_overlay_in`]).
fn prepare_in(g: &MultiPolygon<f64>, window: Rect<f64>) -> MultiPolygon<f64> {
    measure::densify_for_overlay_in(g, Some(window)).orient(Direction::Default)
}

/// The common part of the boxes the operands' geodesic edges stay in
/// ([`measure::reach_rect`]: an edge whose chord stays out of the other's
/// box may still cross it as a geodesic); every cut lies in it.
fn reach_window(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> Option<Rect<f64>> {
    let (ra, rb) = (measure::reach_rect(a)?, measure::reach_rect(b)?);
    let (min, max) = (
        coord! { x: ra.min().x.max(rb.min().x), y: ra.min().y.max(rb.min().y) },
        coord! { x: ra.max().x.min(rb.max().x), y: ra.max().y.min(rb.max().y) },
    );
    (min.x <= max.x && min.y <= max.y).then(|| Rect::new(min, max))
}

/// `a ∪ b` with both prepared where they may meet.
fn union_of(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    match reach_window(a, b) {
        Some(w) => prepare_in(a, w).union(&prepare_in(b, w)),
        None => a.union(b),
    }
}

/// [`dissolve`] of polygons already oriented.
fn dissolve_polygons(polygons: Vec<Polygon<f64>>) -> MultiPolygon<f64> {
    let boxes: Vec<Option<Rect<f64>>> = polygons.iter().map(|p| p.bounding_rect()).collect();
    let parts: Vec<Vec<Polygon<f64>>> = crate::index::box_components(&boxes)
        .par_iter()
        .map(|members| match members.as_slice() {
            [single] => vec![polygons[*single].clone()],
            many => cascaded_union(many.iter().map(|&i| &polygons[i]).collect()).0,
        })
        .collect();
    MultiPolygon(parts.into_iter().flatten().collect())
}

/// Union of polygons by pairs, level by level (each level in parallel), after
/// ordering them west to east so that neighbours meet early. Every pair union
/// stays small; one `unary_union` of the 13 Canadian provinces hung in
/// i_overlay's ring extraction while every pairwise union took milliseconds.
fn cascaded_union(mut parts: Vec<&Polygon<f64>>) -> MultiPolygon<f64> {
    let key = |p: &Polygon<f64>| {
        p.bounding_rect()
            .map_or((0.0, 0.0), |r| (r.min().x, r.min().y))
    };
    parts.sort_by(|a, b| {
        key(a)
            .partial_cmp(&key(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut level: Vec<MultiPolygon<f64>> = parts
        .into_iter()
        .map(|p| MultiPolygon(vec![p.clone()]))
        .collect();
    while level.len() > 1 {
        level = level
            .par_chunks(2)
            .map(|pair| match pair {
                [a, b] => union_of(a, b),
                [a] => a.clone(),
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    level.pop().unwrap_or_else(|| MultiPolygon(Vec::new()))
}

/// Every pair `(a, b)`, `a < b`, of items whose bounding boxes meet, through
/// an R-tree (rstar) built once with `bulk_load`.
fn box_pairs(boxes: impl Iterator<Item = Option<Rect<f64>>>) -> Vec<(usize, usize)> {
    let tree = crate::index::box_tree(boxes);
    tree.intersection_candidates_with_other_tree(&tree)
        .filter(|(x, y)| x.data < y.data)
        .map(|(x, y)| (x.data, y.data))
        .collect()
}

/// Union-find root with path halving.
fn find(p: &mut [usize], mut i: usize) -> usize {
    while p[i] != i {
        p[i] = p[p[i]];
        i = p[i];
    }
    i
}

/// A pair of features whose interiors overlap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlap {
    /// Index of the first feature (0-based, in the order given).
    pub a: usize,
    /// Index of the second feature, `b > a`.
    pub b: usize,
    /// Geodesic area of their intersection, m².
    pub area_m2: f64,
}

/// Every pair of features whose intersection has positive area (above
/// [`OVERLAP_TOLERANCE`]), found through an R-tree of bounding boxes.
/// `areas` are the features' own areas in m² (same order).
pub fn overlaps(geoms: &[&MultiPolygon<f64>], areas: &[f64]) -> Vec<Overlap> {
    let mut candidates = box_pairs(geoms.iter().map(|g| g.bounding_rect()));
    candidates.sort_unstable();
    overlaps_among(geoms, areas, &candidates, usize::MAX).0
}

/// The first `limit` overlapping pairs in feature order (as [`overlaps`]),
/// and whether that is all of them.
pub fn overlaps_limited(
    geoms: &[&MultiPolygon<f64>],
    areas: &[f64],
    limit: usize,
) -> (Vec<Overlap>, bool) {
    let boxes: Vec<Option<Rect<f64>>> = geoms.iter().map(|g| g.bounding_rect()).collect();
    let tree = crate::index::box_tree(boxes.iter().copied());
    first_overlaps(geoms, areas, &boxes, &tree, limit)
}

/// The overlapping pairs among `candidates` (sorted), in order, at most
/// `limit` of them; and whether every candidate was examined.
fn overlaps_among(
    geoms: &[&MultiPolygon<f64>],
    areas: &[f64],
    candidates: &[(usize, usize)],
    limit: usize,
) -> (Vec<Overlap>, bool) {
    let mut found = Vec::new();
    // In chunks, so that a listing cut at `limit` stops early.
    for chunk in candidates.chunks(1 << 14) {
        let part: Vec<Overlap> = chunk
            .par_iter()
            .filter_map(|&(a, b)| {
                let threshold = OVERLAP_TOLERANCE * areas[a].min(areas[b]);
                if intersection_area_fast(geoms[a], geoms[b]) <= threshold {
                    return None;
                }
                let area_m2 = measure::multi_polygon(&intersection(geoms[a], geoms[b])).area_m2;
                (area_m2 > threshold).then_some(Overlap { a, b, area_m2 })
            })
            .collect();
        found.extend(part);
        if found.len() > limit {
            found.truncate(limit);
            return (found, false);
        }
    }
    (found, true)
}

/// Pairs of one MultiPolygon's own polygons that overlap (an intersection of
/// positive area, as [`overlaps`]), with `a`, `b` the 0-based polygon numbers.
/// A valid MultiPolygon has none (OGC: its parts' interiors are disjoint);
/// published data sometimes does (OpenStreetMap-derived Armenia nests the
/// Azerbaijani exclaves in its mainland as extra parts). Only polygons whose
/// bounding boxes meet are intersected, so the usual case costs a box test.
///
/// # Example
/// ```
/// use geo::{MultiPolygon, polygon};
/// use territory::overlay::part_overlaps;
/// // A square near Yerevan and a second part covering its eastern half.
/// let mp = MultiPolygon(vec![
///     polygon![(x: 44.0, y: 40.0), (x: 44.2, y: 40.0), (x: 44.2, y: 40.2), (x: 44.0, y: 40.2)],
///     polygon![(x: 44.1, y: 40.0), (x: 44.3, y: 40.0), (x: 44.3, y: 40.2), (x: 44.1, y: 40.2)],
/// ]);
/// let found = part_overlaps(&mp);
/// assert_eq!((found[0].a, found[0].b), (0, 1));
/// // 0.1° x 0.2° at 40° N: about 8.5 km x 22.2 km.
/// assert!((found[0].area_m2 / 1e6 - 189.5).abs() < 1.0);
/// ```
pub fn part_overlaps(mp: &MultiPolygon<f64>) -> Vec<Overlap> {
    if mp.0.len() < 2 {
        return Vec::new();
    }
    let boxes: Vec<Option<Rect<f64>>> = mp.0.iter().map(|p| p.bounding_rect()).collect();
    let candidates = box_pairs(boxes.iter().copied());
    if candidates.is_empty() {
        return Vec::new();
    }
    // Only the parts of some candidate pair are copied (an archipelago's
    // islets whose boxes meet no other part's cost nothing).
    let mut near: Vec<usize> = candidates.iter().flat_map(|&(a, b)| [a, b]).collect();
    near.sort_unstable();
    near.dedup();
    let at = |i: usize| near.binary_search(&i).unwrap_or_default();
    let parts: Vec<MultiPolygon<f64>> = near
        .iter()
        .map(|&i| MultiPolygon(vec![mp.0[i].clone()]))
        .collect();
    let refs: Vec<&MultiPolygon<f64>> = parts.iter().collect();
    // Pairs that do not overlap at all (the usual case: an island beside
    // its mainland) are left before any part is measured; `overlaps_among`
    // would drop them too (their area is not above any threshold).
    let mut pairs: Vec<(usize, usize)> = candidates
        .par_iter()
        .map(|&(a, b)| (at(a), at(b)))
        .filter(|&(a, b)| intersection_area_fast(refs[a], refs[b]) > 0.0)
        .collect();
    if pairs.is_empty() {
        return Vec::new();
    }
    pairs.sort_unstable();
    let mut areas = vec![f64::NAN; refs.len()];
    for i in pairs.iter().flat_map(|&(a, b)| [a, b]) {
        if areas[i].is_nan() {
            areas[i] = measure::multi_polygon(refs[i]).area_m2;
        }
    }
    overlaps_among(&refs, &areas, &pairs, usize::MAX)
        .0
        .into_iter()
        .map(|o| Overlap {
            a: near[o.a],
            b: near[o.b],
            ..o
        })
        .collect()
}

/// The common part of two bounding boxes, if any.
fn window(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> Option<Rect<f64>> {
    let (ra, rb) = (a.bounding_rect()?, b.bounding_rect()?);
    let (min, max) = (
        coord! { x: ra.min().x.max(rb.min().x), y: ra.min().y.max(rb.min().y) },
        coord! { x: ra.max().x.min(rb.max().x), y: ra.max().y.min(rb.max().y) },
    );
    (min.x <= max.x && min.y <= max.y).then(|| Rect::new(min, max))
}

/// `a ∩ b`; empty at once when the bounding boxes do not meet.
pub fn intersection(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    match reach_window(a, b) {
        Some(w) => prepare_in(a, w).intersection(&prepare_in(b, w)),
        None => MultiPolygon(Vec::new()),
    }
}

/// Area of `a ∩ b` when it may be positive, for *detecting* overlaps fast:
/// both operands are first clipped to the common bounding box, so large
/// neighbours are intersected only where they meet. Clipping can shift the
/// result by a few parts in 10⁵ (seen on i_overlay output), so the areas it
/// finds are recomputed with [`intersection`] before they are reported.
fn intersection_area_fast(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    match window(a, b) {
        Some(w) => {
            measure::multi_polygon(&clip_to_rect(a, w).intersection(&clip_to_rect(b, w))).area_m2
        }
        None => 0.0,
    }
}

/// `a − b` (`a` itself when the bounding boxes do not meet).
pub fn difference(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    match reach_window(a, b) {
        Some(w) => prepare_in(a, w).difference(&prepare_in(b, w)),
        None => a.orient(Direction::Default),
    }
}

/// One piece of an overlay by region.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Index of the region (0-based, in the order given).
    pub region: usize,
    /// The part of the subject inside the region.
    pub geom: MultiPolygon<f64>,
    /// Its geodesic area, m².
    pub area_m2: f64,
}

impl Piece {
    /// The piece of `region` with its geodesic area; `None` when it has none.
    fn of(region: usize, geom: MultiPolygon<f64>) -> Option<Piece> {
        let area_m2 = measure::multi_polygon(&geom).area_m2;
        (area_m2 > 0.0).then_some(Piece {
            region,
            geom,
            area_m2,
        })
    }
}

/// Split `subject` by every region it meets (regions in parallel); pieces of
/// zero area are left out. Each region is intersected only with the polygons
/// of `subject` whose bounding boxes meet its own (an R-tree), so the cost
/// grows with what lies near each region, not with all of `subject`.
pub fn split_by(subject: &MultiPolygon<f64>, regions: &[&MultiPolygon<f64>]) -> Vec<Piece> {
    use rstar::AABB;
    let tree = crate::index::box_tree(subject.0.iter().map(|p| p.bounding_rect()));
    regions
        .par_iter()
        .enumerate()
        .filter_map(|(region, r)| {
            let b = r.bounding_rect()?;
            let env = AABB::from_corners(b.min().into(), b.max().into());
            let mut near: Vec<usize> = tree
                .locate_in_envelope_intersecting(&env)
                .map(|g| g.data)
                .collect();
            near.sort_unstable();
            let part = if near.len() == subject.0.len() {
                std::borrow::Cow::Borrowed(subject)
            } else {
                std::borrow::Cow::Owned(MultiPolygon(
                    near.iter().map(|&i| subject.0[i].clone()).collect(),
                ))
            };
            let geom = intersection(&part, r);
            Piece::of(region, geom)
        })
        .collect()
}

/// The union of `features` split by every region: each region is cut by each
/// polygon of `features` whose box meets one of the region's polygons' boxes
/// (small overlays; a neighbour that only touches gives nothing), and the cuts
/// are united (cascaded pairwise unions); regions in parallel, pieces of zero
/// area left out. The same pieces as `split_by(&dissolve(features), regions)`,
/// but the cost grows with what lies near each region, never with the whole
/// union (a province is never intersected with a merged continent): the 4,596
/// admin-1 units by themselves in 14 s instead of more than 15 minutes. A
/// region cut by itself alone comes back with its own vertices, so its area
/// is its own exactly.
pub fn split_features_by(
    features: &[&MultiPolygon<f64>],
    regions: &[&MultiPolygon<f64>],
) -> Vec<Piece> {
    use rstar::AABB;
    // Polygons, not features, are indexed: a feature or region made of parts
    // far apart (across the antimeridian, islands) has a box spanning the
    // globe, but each of its polygons a tight one.
    let polygons: Vec<Polygon<f64>> = features
        .par_iter()
        .flat_map_iter(|f| f.orient(Direction::Default).0)
        .collect();
    // Boxes the geodesic edges stay in: a neighbour whose geodesic edge bulges
    // into the region is found too.
    let tree = crate::index::box_tree(
        polygons
            .iter()
            .map(|p| measure::reach_rect_of(std::slice::from_ref(p))),
    );
    regions
        .par_iter()
        .enumerate()
        .filter_map(|(region, r)| {
            let mut near: Vec<usize> =
                r.0.iter()
                    .filter_map(|p| measure::reach_rect_of(std::slice::from_ref(p)))
                    .flat_map(|b| {
                        tree.locate_in_envelope_intersecting(&AABB::from_corners(
                            b.min().into(),
                            b.max().into(),
                        ))
                        .map(|g| g.data)
                    })
                    .collect();
            if near.is_empty() {
                return None;
            }
            near.sort_unstable();
            near.dedup();
            // The region cut by each nearby polygon (small overlays: a
            // neighbour that only touches gives nothing), then the cuts
            // united. (One non-zero overlay of all nearby polygons with the
            // region hung in i_overlay on two Canadian regions.)
            let oriented = r.orient(Direction::Default);
            let cuts: Vec<Polygon<f64>> = near
                .iter()
                .flat_map(|&i| intersection(&oriented, &MultiPolygon(vec![polygons[i].clone()])).0)
                .collect();
            let geom = match cuts.len() {
                0 => return None,
                1 => MultiPolygon(cuts),
                _ => dissolve_polygons(cuts),
            };
            Piece::of(region, geom)
        })
        .collect()
}

/// The union of some features split by regions: the one overlay path behind
/// `area --by`, `area --within`'s per-border totals and every date of
/// `timeline`, so that they give the same numbers for the same data.
#[derive(Debug, Clone)]
pub struct ByRegions {
    /// The pieces inside each region (see [`split_features_by`]).
    pub pieces: Vec<Piece>,
    /// The part of the union in no region, slivers included: built-in
    /// provinces fitted to the 10 m outline leave 160 m² of Armenia's
    /// 29,732 km² uncovered, and a layer cut by both shows them here rather
    /// than losing them from the total.
    pub outside: MultiPolygon<f64>,
    /// Its geodesic area, m².
    pub outside_m2: f64,
    /// Geodesic area of the union of the features, m².
    pub union_m2: f64,
}

impl ByRegions {
    /// Area inside each region (m², in the order of the regions).
    pub fn per_region(&self, n: usize) -> Vec<f64> {
        let mut v = vec![0.0; n];
        for p in &self.pieces {
            v[p.region] = p.area_m2;
        }
        v
    }
}

/// Split the union of `features` by `regions` (see [`ByRegions`]).
///
/// Everything is local: the pieces come from [`split_features_by`], the
/// outside from each feature polygon less the region polygons near it, and
/// the union's area is the pieces plus the outside when no two regions
/// overlap (they then add up exactly to it); only when regions overlap is the
/// union dissolved as a whole.
pub fn by_regions(features: &[&MultiPolygon<f64>], regions: &[&MultiPolygon<f64>]) -> ByRegions {
    let pieces = split_features_by(features, regions);
    let outside = outside_of(features, regions);
    let outside_m2 = measure::multi_polygon(&outside).area_m2;
    let region_areas: Vec<f64> = measure::multi_polygons(regions)
        .iter()
        .map(|m| m.area_m2)
        .collect();
    let inside: f64 = pieces.iter().map(|p| p.area_m2).sum();
    let union_m2 = if overlaps_limited(regions, &region_areas, 1).0.is_empty() {
        inside + outside_m2
    } else {
        measure::multi_polygon(&dissolve(features.iter().copied())).area_m2
    };
    ByRegions {
        pieces,
        outside,
        outside_m2,
        union_m2,
    }
}

/// The union of `features` less every region: each feature polygon minus
/// the region polygons whose boxes meet its own, one by one (stopping once
/// nothing is left), then the remains united.
fn outside_of(
    features: &[&MultiPolygon<f64>],
    regions: &[&MultiPolygon<f64>],
) -> MultiPolygon<f64> {
    use rstar::AABB;
    let region_polygons: Vec<Polygon<f64>> = regions
        .par_iter()
        .flat_map_iter(|r| r.orient(Direction::Default).0)
        .collect();
    let tree = crate::index::box_tree(region_polygons.iter().map(|p| p.bounding_rect()));
    let polygons: Vec<Polygon<f64>> = features
        .par_iter()
        .flat_map_iter(|f| f.orient(Direction::Default).0)
        .collect();
    let remains: Vec<Polygon<f64>> = polygons
        .par_iter()
        .flat_map_iter(|p| {
            let mut left = MultiPolygon(vec![p.clone()]);
            if let Some(b) = p.bounding_rect() {
                let env = AABB::from_corners(b.min().into(), b.max().into());
                let mut near: Vec<usize> = tree
                    .locate_in_envelope_intersecting(&env)
                    .map(|g| g.data)
                    .collect();
                // The region polygon that shares most of the box first: it
                // usually holds the feature, and nothing is left after it.
                let shared = |i: usize| {
                    region_polygons[i].bounding_rect().map_or(0.0, |r| {
                        let w = r.max().x.min(b.max().x) - r.min().x.max(b.min().x);
                        let h = r.max().y.min(b.max().y) - r.min().y.max(b.min().y);
                        w.max(0.0) * h.max(0.0)
                    })
                };
                near.sort_by(|&i, &j| shared(j).total_cmp(&shared(i)).then(i.cmp(&j)));
                for i in near {
                    if left.0.is_empty() {
                        break;
                    }
                    // A feature that is itself one of the regions' polygons.
                    if left.0.len() == 1 && left.0[0] == region_polygons[i] {
                        left = MultiPolygon(Vec::new());
                        break;
                    }
                    let meet = match (left.bounding_rect(), region_polygons[i].bounding_rect()) {
                        (Some(a), Some(b)) => geo::Intersects::intersects(&a, &b),
                        _ => false,
                    };
                    if meet {
                        left = difference(&left, &MultiPolygon(vec![region_polygons[i].clone()]));
                    }
                }
            }
            left.0
        })
        .collect();
    dissolve_polygons(remains)
}

/// `subject` cut to the union of `parts` (a border made of provinces):
/// the union of `subject ∩ part` over the parts near it, never intersected
/// with the dissolved parts (see `borders::clipped`).
pub fn clip(subject: &MultiPolygon<f64>, parts: &[&MultiPolygon<f64>]) -> MultiPolygon<f64> {
    split_features_by(parts, &[subject])
        .pop()
        .map_or_else(|| MultiPolygon(Vec::new()), |p| p.geom)
}

/// Cut a MultiPolygon down to what lies in `window` (Sutherland–Hodgman on each
/// ring, rings oriented first). The area inside `window` is unchanged; rings
/// may gain edges along the window's sides. Used only to detect overlaps fast.
fn clip_to_rect(mp: &MultiPolygon<f64>, window: Rect<f64>) -> MultiPolygon<f64> {
    let (min, max) = (window.min(), window.max());
    let clip_ring = |ring: &LineString<f64>| -> Option<LineString<f64>> {
        let mut pts: Vec<Coord<f64>> = ring.0.clone();
        // Each side: (inside test, intersection of segment with the side's line).
        for side in 0..4 {
            if pts.is_empty() {
                return None;
            }
            let inside = |c: &Coord<f64>| match side {
                0 => c.x >= min.x,
                1 => c.x <= max.x,
                2 => c.y >= min.y,
                _ => c.y <= max.y,
            };
            let cut = |p: Coord<f64>, q: Coord<f64>| -> Coord<f64> {
                let (k, t) = match side {
                    0 => (min.x, (min.x - p.x) / (q.x - p.x)),
                    1 => (max.x, (max.x - p.x) / (q.x - p.x)),
                    2 => (min.y, (min.y - p.y) / (q.y - p.y)),
                    _ => (max.y, (max.y - p.y) / (q.y - p.y)),
                };
                if side < 2 {
                    coord! { x: k, y: p.y + t * (q.y - p.y) }
                } else {
                    coord! { x: p.x + t * (q.x - p.x), y: k }
                }
            };
            let mut out = Vec::with_capacity(pts.len());
            for i in 0..pts.len() {
                let (p, q) = (pts[i], pts[(i + 1) % pts.len()]);
                match (inside(&p), inside(&q)) {
                    (true, true) => out.push(q),
                    (true, false) => out.push(cut(p, q)),
                    (false, true) => {
                        out.push(cut(p, q));
                        out.push(q);
                    }
                    (false, false) => {}
                }
            }
            pts = out;
        }
        (pts.len() >= 3).then(|| LineString::from(pts))
    };
    let polygons = mp
        .orient(Direction::Default)
        .0
        .iter()
        .filter_map(|p| {
            let exterior = clip_ring(p.exterior())?;
            let holes = p.interiors().iter().filter_map(&clip_ring).collect();
            Some(Polygon::new(exterior, holes))
        })
        .collect();
    MultiPolygon(polygons)
}

/// Totals of a layer: plain sum, area of the union, and the overlap between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    /// Features counted.
    pub features: usize,
    /// Sum of the features' areas, m².
    pub sum_m2: f64,
    /// Area of the union of all features, m²: the total we report.
    pub union_m2: f64,
    /// `sum_m2 - union_m2`: area covered more than once, counted once in the union.
    pub overlap_m2: f64,
    /// The overlapping pairs, in feature order: all of them, or the first
    /// [`MAX_LISTED_PAIRS`] when `pairs_complete` is false.
    pub overlaps: Vec<Overlap>,
    /// Whether `overlaps` lists every overlapping pair.
    pub pairs_complete: bool,
    /// Features whose own polygons overlap (an invalid MultiPolygon, measured
    /// with `--no-check`): (0-based feature index, area covered twice within
    /// the feature, m²). The union counts it once, like overlaps between features.
    pub self_overlaps: Vec<(usize, f64)>,
}

/// The first `limit` overlapping pairs in feature order, found feature by
/// feature through the box tree (each feature's later neighbours, in order),
/// without listing every pair of meeting boxes; and whether that is all.
fn first_overlaps(
    geoms: &[&MultiPolygon<f64>],
    areas: &[f64],
    boxes: &[Option<Rect<f64>>],
    tree: &rstar::RTree<
        rstar::primitives::GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>,
    >,
    limit: usize,
) -> (Vec<Overlap>, bool) {
    use rstar::AABB;
    let mut found = Vec::new();
    for (a, b) in boxes.iter().enumerate() {
        let Some(b) = b else { continue };
        let mut later: Vec<(usize, usize)> = tree
            .locate_in_envelope_intersecting(&AABB::from_corners(b.min().into(), b.max().into()))
            .map(|g| g.data)
            .filter(|&x| x > a)
            .map(|x| (a, x))
            .collect();
        later.sort_unstable();
        let (part, _) = overlaps_among(geoms, areas, &later, limit - found.len() + 1);
        found.extend(part);
        if found.len() > limit {
            found.truncate(limit);
            return (found, false);
        }
    }
    (found, true)
}

/// Most overlapping pairs listed for a crowded layer (see [`totals`]).
pub const MAX_LISTED_PAIRS: usize = 1000;

/// Candidate pairs (bounding boxes meeting) per feature above which a layer
/// counts as crowded (see [`totals`]).
const CROWDED_PAIRS_PER_FEATURE: usize = 16;

/// Totals over `geoms`, whose individual areas (m²) are `areas` (same order).
///
/// Two ways, by how crowded the layer is, so that the cost grows as
/// n log n and not with the number of overlapping pairs:
/// - Most layers (at most 16 pairs of meeting bounding boxes per feature:
///   provinces, countries, scattered polygons): every pair is tested, the
///   features linked by overlaps are dissolved group by group, and every
///   overlapping pair is listed.
/// - Crowded layers (many polygons piled in one place: n² pairs): the union
///   is one dissolve (cascaded pairwise unions per connected component), the
///   overlap is sum − union, and the first [`MAX_LISTED_PAIRS`] overlapping
///   pairs in feature order are listed.
pub fn totals(geoms: &[&MultiPolygon<f64>], areas: &[f64]) -> Totals {
    let sum_m2: f64 = areas.iter().sum();
    // A feature whose own parts overlap counts its overlap once too.
    let self_overlaps: Vec<(usize, f64)> = geoms
        .par_iter()
        .enumerate()
        .filter(|(_, g)| !part_overlaps(g).is_empty())
        .map(|(i, g)| {
            (
                i,
                areas[i] - measure::multi_polygon(&dissolve([*g])).area_m2,
            )
        })
        .collect();
    let boxes: Vec<Option<Rect<f64>>> = geoms.iter().map(|g| g.bounding_rect()).collect();
    let tree = crate::index::box_tree(boxes.iter().copied());
    // Count the pairs of meeting boxes only as far as the crowding limit: a
    // crowded layer has n² of them, which are never all listed.
    let limit = CROWDED_PAIRS_PER_FEATURE * geoms.len();
    let crowded = tree
        .intersection_candidates_with_other_tree(&tree)
        .filter(|(x, y)| x.data < y.data)
        .take(limit + 1)
        .count()
        > limit;
    if crowded {
        let union_m2 = measure::multi_polygon(&dissolve(geoms.iter().copied())).area_m2;
        let (overlaps, pairs_complete) =
            first_overlaps(geoms, areas, &boxes, &tree, MAX_LISTED_PAIRS);
        return Totals {
            features: geoms.len(),
            sum_m2,
            union_m2,
            overlap_m2: sum_m2 - union_m2,
            overlaps,
            pairs_complete,
            self_overlaps,
        };
    }
    let mut candidates: Vec<(usize, usize)> = tree
        .intersection_candidates_with_other_tree(&tree)
        .filter(|(x, y)| x.data < y.data)
        .map(|(x, y)| (x.data, y.data))
        .collect();
    candidates.sort_unstable();
    let (overlaps, _) = overlaps_among(geoms, areas, &candidates, usize::MAX);
    // Features linked by overlaps form groups; each group is dissolved alone.
    let mut parent: Vec<usize> = (0..geoms.len()).collect();
    for o in &overlaps {
        let (ra, rb) = (find(&mut parent, o.a), find(&mut parent, o.b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for o in &overlaps {
        for i in [o.a, o.b] {
            let root = find(&mut parent, i);
            groups.entry(root).or_default().push(i);
        }
    }
    for &(i, _) in &self_overlaps {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let overlap_m2: f64 = groups
        .into_values()
        .collect::<Vec<_>>()
        .par_iter_mut()
        .map(|members| {
            members.sort_unstable();
            members.dedup();
            let group_sum: f64 = members.iter().map(|&i| areas[i]).sum();
            let union =
                measure::multi_polygon(&dissolve(members.iter().map(|&i| geoms[i]))).area_m2;
            group_sum - union
        })
        .collect::<Vec<f64>>()
        .into_iter()
        .fold(0.0, |a, b| a + b); // `sum()` of nothing is -0.0
    Totals {
        features: geoms.len(),
        sum_m2,
        union_m2: sum_m2 - overlap_m2,
        overlap_m2,
        overlaps,
        pairs_complete: true,
        self_overlaps,
    }
}

/// Dissolve features that share a key (e.g. admin-1 units by country): one
/// union per key, keys in first-seen order, groups in parallel.
pub fn dissolve_by<'a, K: Eq + std::hash::Hash + Clone + Send + Sync>(
    items: impl IntoIterator<Item = (K, &'a MultiPolygon<f64>)>,
) -> Vec<(K, MultiPolygon<f64>)> {
    let mut order: Vec<K> = Vec::new();
    let mut groups: std::collections::HashMap<K, Vec<&MultiPolygon<f64>>> = Default::default();
    for (k, g) in items {
        groups
            .entry(k.clone())
            .or_insert_with(|| {
                order.push(k.clone());
                Vec::new()
            })
            .push(g);
    }
    order
        .par_iter()
        .map(|k| (k.clone(), dissolve(groups[k].iter().copied())))
        .collect()
}
