//! Point-in-region lookup: an R-tree (rstar) over the regions' bounding boxes
//! finds the few candidates, then an exact winding-number test on a banded edge
//! index decides Inside, OnBoundary or Outside.
//!
//! # Boundary rule
//! A point belongs to a region when it is inside it **or on its boundary**.
//! When several regions qualify (a point on a shared boundary, or overlapping
//! regions), the answer is the **first of them in layer order**; `--all` lists
//! every one, in layer order. The test uses robust predicates (geo's
//! `RobustKernel`), so "on the boundary" is exact for the coordinates given.
//!
//! # Why not `IntervalTreeMultiPolygon`
//! geo's `IntervalTreeMultiPolygon` answers `contains` (strictly inside) only;
//! the boundary rule needs the OnBoundary case, so each polygon gets the same
//! winding-number test over a horizontal-band index of its edges (each band
//! lists the edges whose y-range meets it).
//!
//! # Example
//! ```
//! use territory::{data, index::RegionIndex, io::ReadOptions};
//! let provinces = data::builtin("armenia-provinces", &ReadOptions::default()).unwrap();
//! let index = RegionIndex::new(&provinces);
//! // Republic Square, Yerevan (40.1776 N, 44.5126 E).
//! let hit = index.first(44.5126, 40.1776).unwrap();
//! assert_eq!(provinces.regions[hit].id, "AM-ER");
//! assert_eq!(index.first(44.5, 47.0), None); // the Greater Caucasus, in Russia
//! ```

use geo::kernels::{Kernel, RobustKernel};
use geo::{BoundingRect, Coord, MultiPolygon, Orientation};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::model::Layer;

/// Where a point lies relative to a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Strictly inside.
    Inside,
    /// On an edge or vertex.
    OnBoundary,
    /// Outside.
    Outside,
}

/// Edges of one region (or of some rings), bucketed into horizontal bands,
/// for exact point-in-polygon tests in about constant time per point.
pub(crate) struct Banded {
    y0: f64,
    band_height: f64,
    /// `offsets[b]..offsets[b + 1]` are band b's edges in `edges`.
    offsets: Vec<u32>,
    edges: Vec<[Coord<f64>; 2]>,
}

impl Banded {
    fn new(mp: &MultiPolygon<f64>) -> Banded {
        Banded::from_rings(
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())),
        )
    }

    /// The index of these closed rings (the winding rule over all of them).
    pub(crate) fn from_rings<'a>(rings: impl Iterator<Item = &'a geo::LineString<f64>>) -> Banded {
        let segments: Vec<[Coord<f64>; 2]> = rings
            .flat_map(|ring| ring.0.windows(2).map(|w| [w[0], w[1]]))
            .filter(|[a, b]| a != b)
            .collect();
        let (y0, y1) = segments
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), [a, b]| {
                (lo.min(a.y).min(b.y), hi.max(a.y).max(b.y))
            });
        let bands = (segments.len() / 2).clamp(1, 1 << 16);
        let band_height = if y1 > y0 {
            (y1 - y0) / bands as f64
        } else {
            1.0
        };
        let band_of = |y: f64| (((y - y0) / band_height) as usize).min(bands - 1);
        let mut counts = vec![0u32; bands + 1];
        for [a, b] in &segments {
            for band in band_of(a.y.min(b.y))..=band_of(a.y.max(b.y)) {
                counts[band + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        let mut edges = vec![[Coord { x: 0.0, y: 0.0 }; 2]; counts[bands] as usize];
        for s in &segments {
            for band in band_of(s[0].y.min(s[1].y))..=band_of(s[0].y.max(s[1].y)) {
                edges[fill[band] as usize] = *s;
                fill[band] += 1;
            }
        }
        Banded {
            y0,
            band_height,
            offsets: counts,
            edges,
        }
    }

    /// Winding-number test over the edges of the point's band.
    pub(crate) fn position(&self, c: Coord<f64>) -> Position {
        let bands = self.offsets.len() - 1;
        let rel = (c.y - self.y0) / self.band_height;
        if rel.is_nan() || rel < 0.0 || rel > bands as f64 {
            return Position::Outside;
        }
        let band = (rel as usize).min(bands - 1);
        let edges = &self.edges[self.offsets[band] as usize..self.offsets[band + 1] as usize];
        let mut winding = 0i32;
        for &[a, b] in edges {
            if a.y <= c.y {
                if b.y >= c.y {
                    let o = RobustKernel::orient2d(a, b, c);
                    if o == Orientation::Collinear && between(c, a, b) {
                        return Position::OnBoundary;
                    }
                    if o == Orientation::CounterClockwise && b.y > c.y {
                        winding += 1;
                    }
                }
            } else if b.y <= c.y {
                let o = RobustKernel::orient2d(a, b, c);
                if o == Orientation::Collinear && between(c, a, b) {
                    return Position::OnBoundary;
                }
                if o == Orientation::Clockwise {
                    winding -= 1;
                }
            }
        }
        if winding != 0 {
            Position::Inside
        } else {
            Position::Outside
        }
    }
}

/// `c` (collinear with a-b) lies within the segment's extent.
fn between(c: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> bool {
    c.x >= a.x.min(b.x) && c.x <= a.x.max(b.x) && c.y >= a.y.min(b.y) && c.y <= a.y.max(b.y)
}

/// An R-tree (`bulk_load`) of bounding boxes, each tagged with its position
/// in `boxes`; `None` (an empty geometry) is left out.
pub(crate) fn box_tree(
    boxes: impl Iterator<Item = Option<geo::Rect<f64>>>,
) -> RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> {
    let items = boxes
        .enumerate()
        .filter_map(|(i, b)| {
            b.map(|r| GeomWithData::new(Rectangle::from_corners(r.min().into(), r.max().into()), i))
        })
        .collect();
    RTree::bulk_load(items)
}

/// The groups of items whose bounding boxes are connected (meet, directly
/// or through others), each in ascending order, groups by their first item;
/// an item without a box is a group alone. A breadth-first walk that drains
/// the R-tree: every item leaves it once, so n boxes piled in one place cost
/// n queries and O(n) memory, not the n² pairs of meeting boxes.
pub(crate) fn box_components(boxes: &[Option<geo::Rect<f64>>]) -> Vec<Vec<usize>> {
    use rstar::AABB;
    let mut tree = box_tree(boxes.iter().copied());
    let mut seen = vec![false; boxes.len()];
    let mut groups = Vec::new();
    for start in 0..boxes.len() {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut group = vec![start];
        let mut next = 0;
        while let Some(&i) = group.get(next) {
            next += 1;
            let Some(b) = boxes[i] else { continue };
            let envelope = AABB::from_corners(b.min().into(), b.max().into());
            for g in tree.drain_in_envelope_intersecting(envelope) {
                if !std::mem::replace(&mut seen[g.data], true) {
                    group.push(g.data);
                }
            }
        }
        group.sort_unstable();
        groups.push(group);
    }
    groups
}

/// A layer indexed for point lookups. Built once (`RTree::bulk_load`).
///
/// For speed, the R-tree is also flattened into a uniform grid over the layer's
/// extent (about sixteen cells per region): each cell lists, in layer order, the
/// regions whose bounding box meets it, found by one R-tree envelope query per
/// cell. A lookup is then one cell, a few bounding-box tests and the exact test
/// on the candidates in layer order, stopping at the first hit.
pub struct RegionIndex {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    regions: Vec<Banded>,
    boxes: Vec<[f64; 4]>,
    grid: Grid,
}

/// Candidate lists per cell of a uniform grid.
struct Grid {
    x0: f64,
    y0: f64,
    inv_w: f64,
    inv_h: f64,
    nx: usize,
    ny: usize,
    /// `offsets[c]..offsets[c + 1]` index `items` for cell `c = row * nx + col`.
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Grid {
    fn new(tree: &RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>, n_regions: usize) -> Grid {
        use rstar::AABB;
        let env = tree.root().envelope();
        let (lo, hi) = (env.lower(), env.upper());
        let (w, h) = ((hi[0] - lo[0]).max(1e-9), (hi[1] - lo[1]).max(1e-9));
        let cells = (16 * n_regions).clamp(16, 1 << 20) as f64;
        let nx = ((cells * w / h).sqrt().round() as usize).clamp(1, 4096);
        let ny = ((cells / nx as f64).round() as usize).clamp(1, 4096);
        let (cw, ch) = (w / nx as f64, h / ny as f64);
        let mut offsets = Vec::with_capacity(nx * ny + 1);
        let mut items = Vec::new();
        offsets.push(0);
        let mut found: Vec<u32> = Vec::new();
        for row in 0..ny {
            for col in 0..nx {
                let a = [lo[0] + col as f64 * cw, lo[1] + row as f64 * ch];
                let b = [a[0] + cw, a[1] + ch];
                found.clear();
                found.extend(
                    tree.locate_in_envelope_intersecting(&AABB::from_corners(a, b))
                        .map(|g| g.data as u32),
                );
                found.sort_unstable();
                items.extend_from_slice(&found);
                offsets.push(items.len() as u32);
            }
        }
        Grid {
            x0: lo[0],
            y0: lo[1],
            inv_w: 1.0 / cw,
            inv_h: 1.0 / ch,
            nx,
            ny,
            offsets,
            items,
        }
    }

    /// The candidates of the cell holding (x, y), in layer order.
    fn cell(&self, x: f64, y: f64) -> &[u32] {
        let (cx, cy) = ((x - self.x0) * self.inv_w, (y - self.y0) * self.inv_h);
        if !(cx >= 0.0 && cy >= 0.0) {
            return &[];
        }
        // A point on the far edge of the extent belongs to the last cell.
        let (col, row) = ((cx as usize).min(self.nx), (cy as usize).min(self.ny));
        if (col == self.nx && cx > self.nx as f64) || (row == self.ny && cy > self.ny as f64) {
            return &[];
        }
        let c = row.min(self.ny - 1) * self.nx + col.min(self.nx - 1);
        &self.items[self.offsets[c] as usize..self.offsets[c + 1] as usize]
    }
}

impl RegionIndex {
    /// Index every region of `layer` (in parallel).
    pub fn new(layer: &Layer) -> RegionIndex {
        use rayon::prelude::*;
        let regions: Vec<Banded> = layer
            .regions
            .par_iter()
            .map(|r| Banded::new(&r.geom))
            .collect();
        let tree = box_tree(layer.regions.iter().map(|r| r.geom.bounding_rect()));
        let grid = Grid::new(&tree, layer.regions.len());
        let boxes = layer
            .regions
            .iter()
            .map(|r| {
                r.geom.bounding_rect().map_or([f64::NAN; 4], |b| {
                    [b.min().x, b.min().y, b.max().x, b.max().y]
                })
            })
            .collect();
        RegionIndex {
            tree,
            regions,
            boxes,
            grid,
        }
    }

    /// Position of (lon, lat) relative to region `i`.
    pub fn position(&self, i: usize, lon: f64, lat: f64) -> Position {
        self.regions[i].position(Coord { x: lon, y: lat })
    }

    /// The first region, in layer order, that holds (lon, lat) inside or on its
    /// boundary. No allocation: the grid cell's candidates are already in layer
    /// order, so the first hit is the answer.
    pub fn first(&self, lon: f64, lat: f64) -> Option<usize> {
        self.grid
            .cell(lon, lat)
            .iter()
            .map(|&i| i as usize)
            .find(|&i| self.in_box(i, lon, lat) && self.position(i, lon, lat) != Position::Outside)
    }

    fn in_box(&self, i: usize, lon: f64, lat: f64) -> bool {
        let b = &self.boxes[i];
        lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]
    }

    /// Every region holding (lon, lat), in layer order, into `out`.
    pub fn all(&self, lon: f64, lat: f64, out: &mut Vec<usize>) {
        out.clear();
        out.extend(
            self.tree
                .locate_all_at_point(&[lon, lat])
                .map(|g| g.data)
                .filter(|&i| self.position(i, lon, lat) != Position::Outside),
        );
        out.sort_unstable();
    }
}

/// Each region's boundary in an R-tree of its own (built when the region is
/// first searched), and the boxes of the regions' polygons in another, for
/// the distance from a point to the nearest boundary in about O(log n) per
/// point (`locate --distance`), however many regions and vertices the layer
/// has.
///
/// A region's tree holds chains of eight consecutive segments, with
/// longitudes scaled by the cosine (times N/M, see
/// [`crate::measure::frame_scale`]) of the region's middle latitude, so that
/// the tree's own (Euclidean) nearest-first order is, near the region, the
/// order of distances in the local equirectangular frame of the point that
/// [`crate::measure::distance_to_boundary_m`] uses; the walk stops when a
/// lower bound of the next chain's frame distance exceeds the best found.
/// For the nearest region's boundary, regions are visited by the distance to
/// their polygons' boxes, until that is larger than the best found.
pub struct BoundaryIndex {
    /// The regions' geometry, until their trees are built.
    geoms: Vec<MultiPolygon<f64>>,
    /// Per region, built on first use (a run over one area touches a few of
    /// a world layer's regions): the longitude scale and the scaled segments.
    regions: Vec<std::sync::OnceLock<Chains>>,
    /// The bounding boxes of the regions' polygons ...
    boxes: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    /// ... and the region each belongs to.
    owner: Vec<usize>,
}

/// Consecutive vertices of one ring (at most [`CHAIN`] + 1), as a leaf of a
/// region's tree: the box of the chain and where its vertices are.
type Chain = GeomWithData<Rectangle<[f64; 2]>, (u32, u32)>;

/// Segments per chain: eight times fewer leaves than segments, so the
/// nearest-first walk pushes and pops eight times fewer heap entries.
const CHAIN: usize = 8;

/// A region's boundary for distances: the longitude scale c, the vertices
/// with x scaled by c, and an R-tree of chains of them.
struct Chains {
    c: f64,
    points: Vec<[f64; 2]>,
    tree: RTree<Chain>,
}

impl BoundaryIndex {
    /// Index every ring of every region of `layer` (a copy of its geometry).
    pub fn new(layer: &Layer) -> BoundaryIndex {
        BoundaryIndex::from_geoms(layer.regions.iter().map(|r| r.geom.clone()).collect())
    }

    /// Index these regions' rings, taking their geometry.
    pub fn from_geoms(geoms: Vec<MultiPolygon<f64>>) -> BoundaryIndex {
        // Boxes of polygons, not of regions: a region's parts far apart
        // (islands, across a sea) have one box that covers the sea between.
        let owner: Vec<usize> = geoms
            .iter()
            .enumerate()
            .flat_map(|(i, g)| std::iter::repeat_n(i, g.0.len()))
            .collect();
        let boxes = box_tree(
            geoms
                .iter()
                .flat_map(|g| g.0.iter().map(|p| p.bounding_rect())),
        );
        BoundaryIndex {
            boxes,
            owner,
            regions: (0..geoms.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            geoms,
        }
    }

    /// Region `i`'s chains: its rings with x scaled by the frame scale at
    /// its middle latitude, cut into chains of [`CHAIN`] segments.
    fn tree(&self, i: usize) -> &Chains {
        self.regions[i].get_or_init(|| {
            let g = &self.geoms[i];
            let mid = g
                .bounding_rect()
                .map_or(0.0, |b| (b.min().y + b.max().y) / 2.0);
            let c = crate::measure::frame_scale(mid);
            let mut points: Vec<[f64; 2]> = Vec::new();
            let mut chains: Vec<Chain> = Vec::new();
            for ring in
                g.0.iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            {
                let start = points.len();
                points.extend(ring.0.iter().map(|v| [v.x * c, v.y]));
                let n = ring.0.len();
                let mut k = 0;
                while k + 1 < n {
                    let end = (k + CHAIN).min(n - 1);
                    let pts = &points[start + k..=start + end];
                    let (mut lo, mut hi) = (pts[0], pts[0]);
                    for q in pts {
                        lo = [lo[0].min(q[0]), lo[1].min(q[1])];
                        hi = [hi[0].max(q[0]), hi[1].max(q[1])];
                    }
                    chains.push(GeomWithData::new(
                        Rectangle::from_corners(lo, hi),
                        ((start + k) as u32, (end - k) as u32),
                    ));
                    k = end;
                }
            }
            Chains {
                c,
                points,
                tree: RTree::bulk_load(chains),
            }
        })
    }

    /// Geodesic distance in metres from (lon, lat) to the nearest boundary of
    /// region `region`, or of any region when `region` is `None`; infinite
    /// when there is no such boundary.
    pub fn distance_m(&self, lon: f64, lat: f64, region: Option<usize>) -> f64 {
        let mut near = Nearest::new(lon, lat);
        match region {
            Some(i) => self.search(i, &mut near),
            None => {
                let mut searched: Vec<usize> = Vec::new();
                for (g, d2) in self
                    .boxes
                    .nearest_neighbor_iter_with_distance_2(&[lon, lat])
                {
                    // The frame distance is at least min(k, 1) × the degrees.
                    if d2.sqrt() * near.k.min(1.0) > near.best() {
                        break;
                    }
                    let region = self.owner[g.data];
                    if !searched.contains(&region) {
                        searched.push(region);
                        self.search(region, &mut near);
                    }
                }
            }
        }
        near.distance_m()
    }

    /// Offer `near` the segments of region `i` in the tree's order, until a
    /// lower bound of the next one's frame distance exceeds the best found:
    /// with x scaled by c (the tree) instead of k (the point's frame), frame
    /// distance ≥ tree distance × min(1, k / c).
    fn search(&self, i: usize, near: &mut Nearest) {
        let Chains { c, points, tree } = self.tree(i);
        let ratio = (near.k / c).min(1.0);
        // Chains come nearest box first; a chain's box distance bounds the
        // distance of each of its segments from below.
        for (chain, d2) in tree.nearest_neighbor_iter_with_distance_2(&[near.lon * c, near.lat]) {
            if d2.sqrt() * ratio > near.best() {
                break;
            }
            if d2 * ratio * ratio >= near.best[7].0 {
                continue;
            }
            let (start, len) = (chain.data.0 as usize, chain.data.1 as usize);
            for w in points[start..=start + len].windows(2) {
                near.offer([
                    Coord {
                        x: w[0][0] / c,
                        y: w[0][1],
                    },
                    Coord {
                        x: w[1][0] / c,
                        y: w[1][1],
                    },
                ]);
            }
        }
    }
}

/// The nearest points found so far, in a local equirectangular frame centred
/// on the query point (x in degrees of longitude × k, y in degrees of
/// latitude): the eight best, measured on the ellipsoid at the end.
struct Nearest {
    lon: f64,
    lat: f64,
    k: f64,
    best: [(f64, f64, f64); 8],
}

impl Nearest {
    fn new(lon: f64, lat: f64) -> Self {
        Nearest {
            lon,
            lat,
            k: crate::measure::frame_scale(lat),
            best: [(f64::INFINITY, 0.0, 0.0); 8],
        }
    }

    /// How far (frame degrees) a segment may be and still hold the nearest
    /// point on the ellipsoid: the best frame distance so far, plus 1%
    /// (5% beyond 0.2°, where the frame's scale drifts from the ellipsoid's).
    fn best(&self) -> f64 {
        let d = self.best[0].0.sqrt();
        d * if d < 0.2 { 1.01 } else { 1.05 }
    }

    fn offer(&mut self, w: [Coord<f64>; 2]) {
        let c = crate::measure::nearest_on_segment(self.lon, self.lat, self.k, w);
        if c.0 < self.best[7].0 && !self.best.contains(&c) {
            self.best[7] = c;
            self.best.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
    }

    fn distance_m(&self) -> f64 {
        crate::measure::geodesic_to_best(self.lon, self.lat, &self.best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data;
    use crate::io::ReadOptions;
    use geo::{BoundingRect, Contains, Intersects, Point};

    /// Connected groups of boxes equal those of every pair tested, with a
    /// union-find (the n² way), on seeded random boxes, sparse and piled.
    #[test]
    fn box_components_are_the_groups_of_every_meeting_pair() {
        for (seed, n, spread) in [(1, 300, 10.0), (2, 300, 1.0), (3, 200, 0.01)] {
            let mut r = crate::testutil::xorshift(seed);
            let boxes: Vec<Option<geo::Rect<f64>>> = (0..n)
                .map(|k| {
                    if k % 37 == 0 {
                        return None;
                    }
                    let (x, y) = (r() * spread, r() * spread);
                    Some(geo::Rect::new((x, y), (x + 0.3 * r(), y + 0.3 * r())))
                })
                .collect();
            let mut parent: Vec<usize> = (0..n).collect();
            fn root(p: &mut [usize], mut i: usize) -> usize {
                while p[i] != i {
                    i = p[i];
                }
                i
            }
            for a in 0..n {
                for b in a + 1..n {
                    if let (Some(x), Some(y)) = (boxes[a], boxes[b])
                        && x.intersects(&y)
                    {
                        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                        parent[ra.max(rb)] = ra.min(rb);
                    }
                }
            }
            let mut want: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
            for i in 0..n {
                let g = root(&mut parent, i);
                want.entry(g).or_default().push(i);
            }
            let want: Vec<Vec<usize>> = want.into_values().collect();
            assert_eq!(box_components(&boxes), want, "seed {seed}");
        }
    }

    /// 100,000 seeded random points over the Caucasus: the index agrees with
    /// geo's `Contains` tried on every region (after a plain bounding-box test)
    /// for every point not on a boundary; points the index places on a region
    /// that `Contains` rejects must lie on that region's boundary.
    #[test]
    fn agrees_with_brute_force_contains_on_100k_random_points() {
        let layer = data::builtin("caucasus", &ReadOptions::default()).unwrap();
        let index = RegionIndex::new(&layer);
        let boxes: Vec<_> = layer
            .regions
            .iter()
            .map(|r| r.geom.bounding_rect().unwrap())
            .collect();
        let mut next = crate::testutil::xorshift(0x2545_f491_4f6c_dd1d);
        let (mut inside, mut outside) = (0, 0);
        for _ in 0..100_000 {
            let (lon, lat) = (39.9 + next() * 10.8, 38.3 + next() * 5.4);
            let p = Point::new(lon, lat);
            let brute: Vec<usize> = (0..layer.regions.len())
                .filter(|&i| boxes[i].intersects(&p) && layer.regions[i].geom.contains(&p))
                .collect();
            let got = index.first(lon, lat);
            match (brute.as_slice(), got) {
                ([one], Some(g)) => assert_eq!(*one, g, "({lon}, {lat})"),
                ([], None) => {}
                ([], Some(g)) => assert!(
                    layer.regions[g].geom.intersects(&p),
                    "({lon}, {lat}) -> {g}"
                ),
                (b, g) => panic!("({lon}, {lat}): brute {b:?}, index {g:?}"),
            }
            if got.is_some() {
                inside += 1
            } else {
                outside += 1
            }
        }
        // The box holds land and sea: both outcomes must be exercised.
        assert!(inside > 25_000 && outside > 25_000, "{inside} {outside}");
    }

    /// `BoundaryIndex` against a brute force over every segment of every
    /// region (each segment's nearest point in the local frame, measured with
    /// Karney when within 20% of the best), for 400 seeded random points over
    /// the Caucasus, inside regions (distance to that region's boundary) and
    /// outside all (to the nearest boundary).
    #[test]
    fn boundary_index_agrees_with_brute_force() {
        use geo::{Distance, Geodesic, Point};
        let layer = data::builtin("caucasus", &ReadOptions::default()).unwrap();
        let index = RegionIndex::new(&layer);
        let boundary = BoundaryIndex::new(&layer);
        let mut next = crate::testutil::xorshift(0x1234_5678_9abc_def1);
        let brute = |lon: f64, lat: f64, regions: &[usize]| -> f64 {
            let k = crate::measure::frame_scale(lat);
            let mut cands: Vec<(f64, f64, f64)> = Vec::new();
            for &i in regions {
                for p in &layer.regions[i].geom.0 {
                    for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                        for w in ring.0.windows(2) {
                            cands.push(crate::measure::nearest_on_segment(
                                lon,
                                lat,
                                k,
                                [w[0], w[1]],
                            ));
                        }
                    }
                }
            }
            let best = cands.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
            cands
                .iter()
                .filter(|c| c.0 <= best * 1.44)
                .map(|&(_, x, y)| Geodesic.distance(Point::new(lon, lat), Point::new(x, y)))
                .fold(f64::INFINITY, f64::min)
        };
        let all: Vec<usize> = (0..layer.regions.len()).collect();
        let (mut worst, mut outside): (f64, usize) = (0.0, 0);
        for _ in 0..400 {
            let (lon, lat) = (39.0 + next() * 13.0, 37.5 + next() * 7.0);
            let hit = index.first(lon, lat);
            let got = boundary.distance_m(lon, lat, hit);
            let want = match hit {
                Some(i) => brute(lon, lat, &[i]),
                None => {
                    outside += 1;
                    brute(lon, lat, &all)
                }
            };
            worst = worst.max(((got - want) / want).abs());
        }
        assert!(outside > 20, "{outside}");
        assert!(worst < 2e-5, "worst relative difference {worst}");
    }
}
