//! Geodesic area and perimeter on the WGS84 ellipsoid.
//!
//! Karney's algorithm (C. F. F. Karney, "Algorithms for geodesics", 2013) through
//! geo's [`GeodesicArea`], which wraps geographiclib-rs, a port of GeographicLib's
//! `PolygonArea`.
//!
//! # Units
//! Square metres and metres. Reports convert.
//!
//! # Assumptions
//! - Coordinates are WGS84 longitude/latitude in degrees; edges are geodesics.
//! - Each polygon is smaller than half the Earth. Any ring winding is accepted:
//!   a polygon's area is |exterior| − Σ|holes| whatever the direction of its rings,
//!   and a MultiPolygon's is the sum over its polygons. Overlaps between the
//!   polygons of one MultiPolygon are not removed here (see `overlay`).
//! - The perimeter is the length of every ring, holes included (as GeographicLib
//!   and PostGIS `ST_Perimeter(geography)`).
//!
//! # Examples
//! ```
//! use geo::polygon;
//! // A 0.1° × 0.1° cell at Yerevan (lat 40.1–40.2°N): about 94.61 km².
//! let cell = polygon![(x: 44.5, y: 40.1), (x: 44.6, y: 40.1), (x: 44.6, y: 40.2),
//!                     (x: 44.5, y: 40.2), (x: 44.5, y: 40.1)];
//! let m = territory::measure::polygon(&cell);
//! assert!((m.area_m2 / 1e6 - 94.61).abs() < 0.01);
//! ```

use geo::{Coord, GeodesicArea, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;

/// Area and perimeter of a geometry.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measure {
    /// Area in m².
    pub area_m2: f64,
    /// Perimeter in m (every ring).
    pub perimeter_m: f64,
}

impl std::ops::Add for Measure {
    type Output = Measure;
    fn add(self, o: Measure) -> Measure {
        Measure {
            area_m2: self.area_m2 + o.area_m2,
            perimeter_m: self.perimeter_m + o.perimeter_m,
        }
    }
}

/// Geodesic area and perimeter of one polygon, for either ring winding.
pub fn polygon(p: &Polygon<f64>) -> Measure {
    // geo's signed area is ±(|exterior| − Σ|holes|), the sign following the
    // exterior ring's direction; the absolute value is the area.
    let (perimeter_m, area) = p.geodesic_perimeter_area_signed();
    Measure {
        area_m2: area.abs(),
        perimeter_m,
    }
}

/// Geodesic area and perimeter of a MultiPolygon: the sum over its polygons.
pub fn multi_polygon(mp: &MultiPolygon<f64>) -> Measure {
    mp.0.iter()
        .map(polygon)
        .fold(Measure::default(), |a, b| a + b)
}

/// Measure many MultiPolygons in parallel (rayon), results in input order.
pub fn multi_polygons(geoms: &[&MultiPolygon<f64>]) -> Vec<Measure> {
    geoms.par_iter().map(|g| multi_polygon(g)).collect()
}

/// Geodesic distance in metres from (lon, lat) to the nearest point of the
/// boundary of `mp` (every ring, holes included).
///
/// The nearest edge and the nearest point on it are found in a local
/// equirectangular frame centred on the point (x scaled by [`frame_scale`]); the
/// distance to that point, and to the nearest points of the next best edges,
/// is then measured on the WGS84 ellipsoid (Karney), and the least is returned.
/// Agrees with GeographicLib's distance to densified edges to better than 0.1%
/// (tests/locate.rs).
pub fn distance_to_boundary_m(lon: f64, lat: f64, mp: &MultiPolygon<f64>) -> f64 {
    let segments =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|ring| ring.0.windows(2).map(|w| [w[0], w[1]]));
    distance_to_segments_m(lon, lat, segments)
}

/// Geodesic distance in metres from (lon, lat) to the nearest of `segments`
/// (lon/lat end points), found as [`distance_to_boundary_m`] describes;
/// infinite when there are none.
pub fn distance_to_segments_m(
    lon: f64,
    lat: f64,
    segments: impl IntoIterator<Item = [geo::Coord<f64>; 2]>,
) -> f64 {
    let k = frame_scale(lat);
    let mut best: [(f64, f64, f64); 4] = [(f64::INFINITY, 0.0, 0.0); 4];
    for w in segments {
        let c = nearest_on_segment(lon, lat, k, w);
        if c.0 < best[3].0 {
            best[3] = c;
            best.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
    }
    geodesic_to_best(lon, lat, &best)
}

/// The geodesic distance from (lon, lat) to the nearest of the candidate
/// points `best` ((squared local-frame distance, lon, lat), best first): the
/// local frame's distances are proportional to the geodesic ones near the
/// point, so only candidates within 1% of the best (2% in squared distance;
/// 5% beyond 0.2°, where the frame's scale drifts) are measured on the
/// ellipsoid.
pub(crate) fn geodesic_to_best(lon: f64, lat: f64, best: &[(f64, f64, f64)]) -> f64 {
    use geo::{Distance, Geodesic, Point};
    let Some(first) = best.first() else {
        return f64::INFINITY;
    };
    // Farther away the frame bends (its scale is the point's): widen the cut.
    let cut = first.0 * if first.0 < 0.04 { 1.02 } else { 1.1 } + 1e-18;
    best.iter()
        .filter(|b| b.0.is_finite() && b.0 <= cut)
        .map(|&(_, x, y)| match short_distance_m(lon, lat, x, y) {
            Some(d) => d,
            None => Geodesic.distance(Point::new(lon, lat), Point::new(x, y)),
        })
        .fold(f64::INFINITY, f64::min)
}

/// Below this, [`short_distance_m`] answers instead of Karney's method.
const SHORT_M: f64 = 20_000.0;
/// Below this, [`lambert_distance_m`] answers instead of Karney's method.
const LAMBERT_M: f64 = 400_000.0;

/// The geodesic distance between two points less than 20 km apart, from the
/// WGS84 radii of curvature at their mean latitude (meridional M, prime
/// vertical N): sqrt((M Δφ)² + (N cos φ Δλ)²). Its relative error grows as
/// (d / R)², under 1e-5 at 20 km (tested against GeographicLib); beyond 20 km
/// Lambert's formula answers up to 400 km ([`lambert_distance_m`]), and
/// Karney's method beyond that. Ten times faster than Karney.
fn short_distance_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> Option<f64> {
    const A: f64 = 6_378_137.0;
    const E2: f64 = 6.694_379_990_141_316_5e-3; // WGS84 first eccentricity squared
    let phi = ((lat1 + lat2) / 2.0).to_radians();
    let (s, c) = phi.sin_cos();
    let w2 = 1.0 - E2 * s * s;
    let n = A / w2.sqrt();
    let m = A * (1.0 - E2) / (w2 * w2.sqrt());
    let dy = m * (lat2 - lat1).to_radians();
    let dx = n * c * (lon2 - lon1).to_radians();
    let d = (dx * dx + dy * dy).sqrt();
    if d < SHORT_M {
        Some(d)
    } else {
        lambert_distance_m(lon1, lat1, lon2, lat2).filter(|&d| d < LAMBERT_M)
    }
}

/// Lambert's formula for long lines on the WGS84 ellipsoid (great-circle
/// angle between reduced latitudes, corrected to first order in the
/// flattening): under 1e-5 relative to Karney up to 400 km (tested).
fn lambert_distance_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> Option<f64> {
    const A: f64 = 6_378_137.0;
    const F: f64 = 1.0 / 298.257_223_563;
    let b1 = ((1.0 - F) * lat1.to_radians().tan()).atan();
    let b2 = ((1.0 - F) * lat2.to_radians().tan()).atan();
    let dl = (lon2 - lon1).to_radians();
    let h = ((b2 - b1) / 2.0).sin().powi(2) + b1.cos() * b2.cos() * (dl / 2.0).sin().powi(2);
    let sigma = 2.0 * h.sqrt().clamp(0.0, 1.0).asin();
    if sigma.is_nan() || sigma <= 0.0 {
        return None;
    }
    let (p, q) = ((b1 + b2) / 2.0, (b2 - b1) / 2.0);
    let x = (sigma - sigma.sin()) * (p.sin() * q.cos()).powi(2) / (sigma / 2.0).cos().powi(2);
    let y = (sigma + sigma.sin()) * (p.cos() * q.sin()).powi(2) / (sigma / 2.0).sin().powi(2);
    Some(A * (sigma - F / 2.0 * (x + y)))
}

/// The longitude scale of the local frame at `lat`: cos φ · N / M (N, M the
/// WGS84 prime-vertical and meridional radii of curvature), so that a degree
/// of latitude and k degrees of longitude are the same length there and the
/// frame's distances are proportional to the ellipsoid's near the point.
pub fn frame_scale(lat: f64) -> f64 {
    const E2: f64 = 6.694_379_990_141_316_5e-3;
    let (s, c) = lat.to_radians().sin_cos();
    (c * (1.0 - E2 * s * s) / (1.0 - E2)).max(1e-6)
}

/// The point of segment `w` nearest to (lon, lat) in the local equirectangular
/// frame (x scaled by k = [`frame_scale`]): (squared distance in that frame's
/// degrees, lon, lat).
pub(crate) fn nearest_on_segment(
    lon: f64,
    lat: f64,
    k: f64,
    w: [geo::Coord<f64>; 2],
) -> (f64, f64, f64) {
    let (ax, ay) = ((w[0].x - lon) * k, w[0].y - lat);
    let (bx, by) = ((w[1].x - lon) * k, w[1].y - lat);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (px, py) = (ax + t * dx, ay + t * dy);
    (px * px + py * py, lon + px / k, lat + py)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short-distance formulas (radii of curvature below 20 km, Lambert's
    /// to 400 km) against Karney (geographiclib-rs) for seeded random pairs
    /// up to 400 km apart, at latitudes 0 to 80 degrees.
    #[test]
    fn short_distance_agrees_with_karney() {
        use geo::{Distance, Geodesic, Point};
        let mut next = crate::testutil::xorshift(0x9e37_79b9_7f4a_7c15);
        let (mut worst, mut tried): (f64, usize) = (0.0, 0);
        for _ in 0..20_000 {
            let (lon, lat) = (-180.0 + 360.0 * next(), 80.0 * next());
            let scale = if next() < 0.5 { 1.0 } else { 12.0 };
            let (dlon, dlat) = ((next() - 0.5) * 0.4 * scale, (next() - 0.5) * 0.3 * scale);
            let (a, b) = (Point::new(lon, lat), Point::new(lon + dlon, lat + dlat));
            let karney = Geodesic.distance(a, b);
            if let Some(d) = short_distance_m(lon, lat, lon + dlon, lat + dlat) {
                worst = worst.max(((d - karney) / karney).abs());
                tried += 1;
            }
        }
        assert!(tried > 5_000, "{tried}");
        assert!(worst < 1e-5, "worst relative difference {worst}");
        eprintln!("short_distance_m: worst relative difference {worst:e} over {tried} pairs");
    }

    /// A ring like Natural Earth's Antarctica (edges along the pole and
    /// across the whole antimeridian: the same point twice on the ellipsoid)
    /// gains no point and no NaN (a NaN crashed geo's `orient` in the world
    /// layer's dissolve).
    #[test]
    fn edges_between_one_point_twice_are_left_alone() {
        let ring = LineString::from(vec![
            (-180.0, -90.0),
            (-180.0, -60.0),
            (180.0, -60.0),
            (180.0, -90.0),
            (-180.0, -90.0),
        ]);
        let d = densify_for_overlay(&MultiPolygon(vec![Polygon::new(ring, vec![])]));
        let pts = &d.0[0].exterior().0;
        assert!(pts.iter().all(|c| c.x.is_finite() && c.y.is_finite()));
        // The meridian edges are geodesics already.
        assert_eq!(pts.len(), 5);
    }

    /// After [`densify_for_overlay`], every lon/lat chord's midpoint lies
    /// within 1 mm of the geodesic between its ends (geographiclib-rs), and
    /// the polygon's geodesic area is unchanged; seeded random triangles with
    /// edges up to ~2,000 km at latitudes -80 to 80 degrees.
    #[test]
    fn densified_chords_stay_within_a_millimetre_of_the_geodesic() {
        use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
        let g = Geodesic::wgs84();
        let mut next = crate::testutil::xorshift(0x2545_f491_4f6c_dd1d);
        let (mut worst, mut chords): (f64, usize) = (0.0, 0);
        for _ in 0..200 {
            let (lon, lat) = (-180.0 + 360.0 * next(), -80.0 + 160.0 * next());
            let size = [0.01, 0.3, 3.0, 15.0][(next() * 4.0) as usize];
            let pts: Vec<(f64, f64)> = (0..3)
                .map(|_| {
                    let y = (lat + (next() - 0.5) * size).clamp(-85.0, 85.0);
                    (lon + (next() - 0.5) * size, y)
                })
                .collect();
            let p = Polygon::new(LineString::from(pts.clone()), vec![]);
            let d = densify_for_overlay(&MultiPolygon(vec![p.clone()]));
            let (a0, a1) = (polygon(&p).area_m2, polygon(&d.0[0]).area_m2);
            // GeographicLib sums per-edge terms: absolute noise about 1e-5 m².
            assert!((a0 - a1).abs() <= 1e-11 * a0 + 1e-3, "{a0} vs {a1}");
            for w in d.0[0].exterior().0.windows(2) {
                let (a, b) = (w[0], w[1]);
                let (s12, azi1, _, _): (f64, f64, f64, f64) = g.inverse(a.y, a.x, b.y, b.x);
                let (lat, lon): (f64, f64) = g.direct(a.y, a.x, azi1, s12 / 2.0);
                let mid = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
                let off: f64 = g.inverse(mid.1, mid.0, lat, lon);
                worst = worst.max(off);
                chords += 1;
            }
        }
        assert!(chords > 10_000, "{chords}");
        assert!(worst < OVERLAY_EDGE_DEVIATION_M, "worst {worst} m");
        eprintln!("densified chords: worst deviation {worst:e} m over {chords} chords");
    }
}

/// A local azimuthal equidistant projection on the WGS84 ellipsoid: a point's
/// plane coordinates are its geodesic distance from the centre (m) along its
/// azimuth (x east, y north). Distances from the centre are exact; a distance
/// between two points at range ρ from the centre is off by about ρ²/(6R²)
/// across the azimuth (0.01 % at 150 km, 0.1 % at 500 km), which is what
/// makes a planar buffer drawn in it a geodesic buffer near the centre.
#[derive(Debug, Clone, Copy)]
pub struct AzimuthalEquidistant {
    lon0: f64,
    lat0: f64,
}

impl AzimuthalEquidistant {
    /// The projection centred at (`lon0`, `lat0`), degrees.
    pub fn new(lon0: f64, lat0: f64) -> Self {
        AzimuthalEquidistant { lon0, lat0 }
    }

    /// (lon, lat) degrees to plane metres.
    pub fn forward(&self, c: Coord<f64>) -> Coord<f64> {
        use geographiclib_rs::{Geodesic, InverseGeodesic};
        let g = Geodesic::wgs84();
        let (s12, azi1, _, _): (f64, f64, f64, f64) = g.inverse(self.lat0, self.lon0, c.y, c.x);
        let a = azi1.to_radians();
        Coord {
            x: s12 * a.sin(),
            y: s12 * a.cos(),
        }
    }

    /// Plane metres to (lon, lat) degrees.
    pub fn inverse(&self, c: Coord<f64>) -> Coord<f64> {
        use geographiclib_rs::{DirectGeodesic, Geodesic};
        let g = Geodesic::wgs84();
        let s = c.x.hypot(c.y);
        let azi = c.x.atan2(c.y).to_degrees();
        let (lat, lon): (f64, f64) = g.direct(self.lat0, self.lon0, azi, s);
        Coord { x: lon, y: lat }
    }
}

/// Ranges from the buffer's centre (m) beyond which [`geodesic_buffer`]
/// refuses: the azimuthal frame's distance error there reaches 0.1 %.
pub const MAX_BUFFER_RANGE_M: f64 = 500_000.0;

/// The geodesic buffer of `mp` by `distance_m` (negative: inward), drawn in
/// the azimuthal equidistant `frame` (see [`AzimuthalEquidistant`]): every
/// edge is first cut into pieces of at most `max_edge_m` (so that a straight
/// lon/lat edge stays where it was once projected), the polygons are
/// buffered in the plane with geo's `Buffer` (round joins in 0.05 rad steps),
/// and the result
/// is brought back to lon/lat.
///
/// # Units
/// `distance_m` and `max_edge_m` in metres; coordinates lon/lat degrees.
///
/// # Example
/// ```
/// use geo::{MultiPolygon, polygon};
/// use territory::measure::{AzimuthalEquidistant, geodesic_buffer, multi_polygon};
/// // A 0.2° square near Yerevan, shrunk by 1 km: each side about 2 km shorter.
/// let sq = MultiPolygon(vec![polygon![
///     (x: 44.4, y: 40.1), (x: 44.6, y: 40.1), (x: 44.6, y: 40.3), (x: 44.4, y: 40.3)
/// ]]);
/// let frame = AzimuthalEquidistant::new(44.5, 40.2);
/// let inner = geodesic_buffer(&sq, -1000.0, &frame, 1000.0);
/// let (a, b) = (multi_polygon(&sq).area_m2, multi_polygon(&inner).area_m2);
/// // 17.0 km x 22.2 km -> 15.0 km x 20.2 km
/// assert!((b / a - (15.04 * 20.24) / (17.04 * 22.24)).abs() < 0.005);
/// ```
pub fn geodesic_buffer(
    mp: &MultiPolygon<f64>,
    distance_m: f64,
    frame: &AzimuthalEquidistant,
    max_edge_m: f64,
) -> MultiPolygon<f64> {
    use geo::algorithm::buffer::{BufferStyle, LineJoin};
    use geo::{Buffer, MapCoords};
    let ring = |ls: &LineString<f64>| -> LineString<f64> {
        let mut out: Vec<Coord<f64>> = Vec::with_capacity(ls.0.len());
        for w in ls.0.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (pa, pb) = (frame.forward(a), frame.forward(b));
            let n = ((pb.x - pa.x).hypot(pb.y - pa.y) / max_edge_m)
                .ceil()
                .max(1.0) as usize;
            out.push(pa);
            for k in 1..n {
                let t = k as f64 / n as f64;
                out.push(frame.forward(Coord {
                    x: a.x + t * (b.x - a.x),
                    y: a.y + t * (b.y - a.y),
                }));
            }
        }
        if let Some(&first) = out.first() {
            out.push(first);
        }
        LineString(out)
    };
    let plane = MultiPolygon(
        mp.0.iter()
            .map(|p| Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect()))
            .collect(),
    );
    // Round joins in steps of 0.05 rad: a chord of the arc then dips at most
    // 1 − cos(0.025) = 0.03 % of the distance inside it (with geo's default
    // step, 0.2 rad, points where a chord meets another edge lay up to 0.9 %
    // short of the distance).
    let style = BufferStyle::new(distance_m).line_join(LineJoin::Round(0.05));
    plane
        .buffer_with_style(style)
        .map_coords(|c| frame.inverse(c))
}

/// Largest distance (m) between an edge as the overlay draws it (a straight
/// line in longitude/latitude) and the geodesic it stands for, after
/// [`densify_for_overlay`]: 1 mm.
pub const OVERLAY_EDGE_DEVIATION_M: f64 = 0.001;

/// Points inserted along the geodesic of every edge long enough that its
/// straight lon/lat chord strays more than [`OVERLAY_EDGE_DEVIATION_M`] from
/// it. The geodesic area and perimeter are unchanged (the new points lie on
/// the geodesics, so each edge's pieces are the same curve), but the overlay
/// (which cuts edges as straight lon/lat lines) then inserts its cut points
/// at most 1 mm from the true edge, and pieces add up to the whole.
///
/// A lon/lat chord of length `L` at latitude φ strays from the geodesic by
/// about `L² tan φ / (8 R)` (it follows the parallel while the geodesic bends
/// poleward), oblique chords up to ~15 % more: 1 mm allows edges of about
/// 215 m at 40° N, 840 m at 1° N; shorter edges pass unchanged. The bound is
/// checked against geographiclib-rs in the tests (worst 0.91 mm over 725,000
/// chords). Natural Earth's 1:10m edges (median 1.4 km) get about 10 times
/// as many vertices; the overlay densifies only the edges a cut can reach
/// ([`densify_for_overlay_in`]; README, "Edge model").
///
/// # Example
/// ```
/// use geo::polygon;
/// use territory::measure::{densify_for_overlay, polygon as measure};
/// // Western Sahara's northern border runs along 27.667° N for 450 km.
/// let p = polygon![(x: -13.2, y: 27.667), (x: -8.67, y: 27.667), (x: -8.67, y: 26.0)];
/// let d = densify_for_overlay(&geo::MultiPolygon(vec![p.clone()]));
/// assert!(d.0[0].exterior().0.len() > 1000);
/// let (a, b) = (measure(&p).area_m2, measure(&d.0[0]).area_m2);
/// assert!(((a - b) / a).abs() < 1e-12);
/// ```
pub fn densify_for_overlay(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    densify_for_overlay_in(mp, None)
}

/// [`densify_for_overlay`] of the edges that can reach `window` (all of them
/// for `None`): an overlay of two operands cuts edges only where their
/// bounding boxes meet, so an edge whose geodesic stays clear of that box
/// (its chord's box widened by the geodesic's bulge) is left as it is.
pub fn densify_for_overlay_in(
    mp: &MultiPolygon<f64>,
    window: Option<geo::Rect<f64>>,
) -> MultiPolygon<f64> {
    let ring = |ls: &LineString<f64>| -> LineString<f64> {
        let mut out: Vec<Coord<f64>> = Vec::with_capacity(ls.0.len());
        for w in ls.0.windows(2) {
            out.push(w[0]);
            if window.is_none_or(|r| may_reach(w[0], w[1], r)) {
                densify_edge(w[0], w[1], OVERLAY_EDGE_DEVIATION_M, &mut out);
            }
        }
        if let Some(&last) = ls.0.last() {
            out.push(last);
        }
        LineString(out)
    };
    MultiPolygon(
        mp.0.iter()
            .map(|p| Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect()))
            .collect(),
    )
}

/// The box an edge's geodesic stays in: the chord's box widened by the
/// geodesic's largest bulge from the chord (`L² (1.25 tan φ + 0.05) / (8 R)`,
/// doubled for safety) plus 1e-9°.
fn reach_of(a: Coord<f64>, b: Coord<f64>) -> geo::Rect<f64> {
    const R: f64 = 6_371_008.8;
    let (dlat, dlon) = ((b.y - a.y).to_radians(), (b.x - a.x).to_radians());
    let phi = a.y.abs().max(b.y.abs()).min(89.0).to_radians();
    let len = R * dlat.hypot(dlon * ((a.y + b.y) / 2.0).to_radians().cos());
    let bulge_m = 2.0 * len * len * (1.25 * phi.tan() + 0.05) / (8.0 * R);
    let dy = (bulge_m / R).to_degrees() + 1e-9;
    let dx = dy / phi.cos().max(0.01);
    geo::Rect::new(
        Coord {
            x: a.x.min(b.x) - dx,
            y: a.y.min(b.y) - dy,
        },
        Coord {
            x: a.x.max(b.x) + dx,
            y: a.y.max(b.y) + dy,
        },
    )
}

/// Whether the geodesic `a`–`b` may come into `window` (see [`reach_of`]).
fn may_reach(a: Coord<f64>, b: Coord<f64>, window: geo::Rect<f64>) -> bool {
    let r = reach_of(a, b);
    r.min().x <= window.max().x
        && r.max().x >= window.min().x
        && r.min().y <= window.max().y
        && r.max().y >= window.min().y
}

/// The box the geodesic edges of `mp` stay in (its bounding box widened where
/// long edges bulge); `None` when it has no edge.
pub fn reach_rect(mp: &MultiPolygon<f64>) -> Option<geo::Rect<f64>> {
    reach_rect_of(&mp.0)
}

/// [`reach_rect`] of some polygons.
pub fn reach_rect_of(polygons: &[Polygon<f64>]) -> Option<geo::Rect<f64>> {
    let mut out: Option<(Coord<f64>, Coord<f64>)> = None;
    for p in polygons {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for w in ring.0.windows(2) {
                let r = reach_of(w[0], w[1]);
                let (lo, hi) = out.get_or_insert((r.min(), r.max()));
                lo.x = lo.x.min(r.min().x);
                lo.y = lo.y.min(r.min().y);
                hi.x = hi.x.max(r.max().x);
                hi.y = hi.y.max(r.max().y);
            }
        }
    }
    out.map(|(lo, hi)| geo::Rect::new(lo, hi))
}

/// Push the points strictly between `a` and `b` that split the geodesic
/// `a`–`b` into equal parts short enough for `max_dev_m` (see
/// [`densify_for_overlay`]); nothing for a short edge.
fn densify_edge(a: Coord<f64>, b: Coord<f64>, max_dev_m: f64, out: &mut Vec<Coord<f64>>) {
    const R: f64 = 6_371_008.8;
    let (dlat, dlon) = ((b.y - a.y).to_radians(), (b.x - a.x).to_radians());
    let phi = a.y.abs().max(b.y.abs()).min(89.0).to_radians();
    let len = R * dlat.hypot(dlon * ((a.y + b.y) / 2.0).to_radians().cos());
    // tan φ / R is the parallel's geodesic curvature; oblique chords bend up
    // to ~15 % more (seen in the tests), and 0.05 keeps a margin at the
    // equator, where they still bend.
    let curvature = (1.25 * phi.tan() + 0.05) / R;
    let max_len = (8.0 * max_dev_m / curvature).sqrt();
    if len <= max_len {
        return;
    }
    // A meridian is a geodesic: its chord needs no point.
    if a.x == b.x {
        return;
    }
    let n = (len / max_len).ceil().min(1e6) as usize;
    use geographiclib_rs::{Geodesic, GeodesicLine, InverseGeodesic, capability as caps};
    static WGS84: std::sync::LazyLock<Geodesic> = std::sync::LazyLock::new(Geodesic::wgs84);
    let g: &Geodesic = &WGS84;
    let (s12, azi1, _, _): (f64, f64, f64, f64) = g.inverse(a.y, a.x, b.y, b.x);
    // The same point twice (an edge along a pole, or across the whole
    // antimeridian), or no azimuth: nothing to insert.
    if !(s12 > 0.0 && azi1.is_finite()) {
        return;
    }
    // One line, many positions: a third of the cost of a `direct` each.
    let line = GeodesicLine::new(
        g,
        a.y,
        a.x,
        azi1,
        Some(caps::LATITUDE | caps::LONGITUDE | caps::DISTANCE_IN),
        None,
        None,
    );
    for i in 1..n {
        let s = s12 * i as f64 / n as f64;
        // LONG_UNROLL: longitudes continue past ±180 as the ring does.
        let (_, lat, lon, ..) = line._gen_position(
            false,
            s,
            caps::LATITUDE | caps::LONGITUDE | caps::LONG_UNROLL,
        );
        if lat.is_finite() && lon.is_finite() {
            out.push(Coord { x: lon, y: lat });
        }
    }
}
