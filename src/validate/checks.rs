//! Polygon validity in O(n log n): the rules of geo's `Validation` for
//! polygons, found with one sweep-line pass over all segments of a polygon
//! (geo's `sweep::Intersections`, a simplified Bentley–Ottmann) instead of
//! comparing every pair of segments, and with exact point-in-ring tests on a
//! banded edge index for hole containment.
//!
//! # Rules (as geo's `Validation`, OGC simple features)
//! - A ring has at least 3 distinct points (4 positions, closed).
//! - A ring does not intersect itself: two of its segments may only meet
//!   where one ends and the other starts (so a ring may touch itself at a
//!   vertex, as geo allows), and never overlap along a line (a spike: geo
//!   misses some of these, e.g. a zero-area hole).
//! - Rings of one polygon may touch at points, but not cross and not share a
//!   segment (`... intersect on a line`).
//! - Every hole lies inside the exterior ring; no hole lies inside another
//!   (`... intersect on an area`).
//!
//! # Cost
//! Sorting the segments by x is O(n log n); the sweep then tests the pairs of
//! segments whose x-ranges overlap, which for the outlines of places is a few
//! per segment. Measured on the world admin-1 layer: see README ("Growth").
//!
//! # Example
//! ```
//! use geo::polygon;
//! use territory::validate::checks::problems;
//! // A bow-tie near Yerevan: its ring crosses itself at (44.5, 40.15).
//! let bowtie = polygon![(x: 44.4, y: 40.1), (x: 44.6, y: 40.2), (x: 44.6, y: 40.1), (x: 44.4, y: 40.2)];
//! let found = problems(&bowtie);
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].error.to_string(), "exterior ring has a self-intersection");
//! let at = found[0].at.unwrap().1;
//! assert!((at.x - 44.5).abs() < 1e-12 && (at.y - 40.15).abs() < 1e-12);
//! ```

use geo::algorithm::sweep::{Cross, Intersections};
use geo::algorithm::validation::{InvalidPolygon, RingRole};
use geo::{Coord, Line, LineIntersection, LineString, Polygon, Rect};

use crate::index::{Banded, Position};

/// One problem of a polygon, with the place it shows when there is one:
/// (1-based vertex that starts the offending segment, the point).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// geo's description of the problem.
    pub error: InvalidPolygon,
    /// Where: the first segment involved (1-based vertex number in its ring)
    /// and the crossing or touching point.
    pub at: Option<(usize, Coord<f64>)>,
}

/// A segment of a polygon's ring, for the sweep.
#[derive(Debug, Clone, Copy)]
struct Seg {
    line: Line<f64>,
    /// 0 = exterior, 1.. = holes.
    ring: usize,
    /// 0-based segment number in its ring.
    index: usize,
}

impl Cross for Seg {
    type Scalar = f64;
    fn line(&self) -> Line<f64> {
        self.line
    }
}

fn role(ring: usize) -> RingRole {
    if ring == 0 {
        RingRole::Exterior
    } else {
        RingRole::Interior(ring - 1)
    }
}

fn distinct_points(ring: &LineString<f64>) -> usize {
    let mut n = ring.0.windows(2).filter(|w| w[0] != w[1]).count();
    if ring.0.first() != ring.0.last() {
        n += 1;
    }
    n
}

/// True when no polygon of `mp` has a problem.
pub fn is_valid(mp: &geo::MultiPolygon<f64>) -> bool {
    mp.0.iter().all(|p| problems(p).is_empty())
}

/// Every problem of `polygon`, in the order geo's `Validation` reports them
/// (ring by ring, then between rings). Non-finite coordinates are not checked
/// here: the readers refuse them.
pub fn problems(polygon: &Polygon<f64>) -> Vec<Problem> {
    let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .collect();
    let mut out = Vec::new();
    if polygon.exterior().0.is_empty() {
        return out;
    }
    let mut self_crossing: Vec<Option<(usize, Coord<f64>)>> = vec![None; rings.len()];
    // Pairs of rings (a < b) that cross, or share a segment.
    let mut crossing_pairs: Vec<(usize, usize)> = Vec::new();
    let mut line_pairs: Vec<(usize, usize)> = Vec::new();
    let mut touch_pairs: Vec<(usize, usize)> = Vec::new();
    // ((ring, segment), point) where rings touch without crossing properly.
    let mut touches: Vec<((usize, usize), Coord<f64>)> = Vec::new();
    let segments = rings.iter().enumerate().flat_map(|(r, ring)| {
        ring.lines().enumerate().map(move |(index, line)| Seg {
            line,
            ring: r,
            index,
        })
    });
    for (a, b, hit) in Intersections::from_iter(segments) {
        if a.ring == b.ring {
            // geo's rule: segments of one ring may only meet end to start;
            // and never overlap along a line (a spike, or a ring folded back
            // on itself, encloses no area there).
            let overlap = matches!(hit, LineIntersection::Collinear { intersection } if intersection.start != intersection.end);
            if !overlap && (a.line.start == b.line.end || a.line.end == b.line.start) {
                continue;
            }
            let first = if a.index < b.index { a } else { b };
            let point = match hit {
                LineIntersection::SinglePoint { intersection, .. } => intersection,
                LineIntersection::Collinear { intersection } => intersection.start,
            };
            let slot = &mut self_crossing[a.ring];
            if slot.is_none_or(|(k, _)| first.index + 1 < k) {
                *slot = Some((first.index + 1, point));
            }
            continue;
        }
        let pair = (a.ring.min(b.ring), a.ring.max(b.ring));
        match hit {
            LineIntersection::SinglePoint {
                is_proper: true, ..
            } => crossing_pairs.push(pair),
            LineIntersection::Collinear { intersection }
                if intersection.start != intersection.end =>
            {
                line_pairs.push(pair)
            }
            LineIntersection::SinglePoint { intersection, .. }
            | LineIntersection::Collinear {
                intersection:
                    Line {
                        start: intersection,
                        ..
                    },
            } => {
                // Rings touching at a point: a boundary may still pass
                // through it from one side to the other.
                touch_pairs.push(pair);
                touches.push(((a.ring, a.index), intersection));
                touches.push(((b.ring, b.index), intersection));
            }
        }
    }
    touch_pairs.sort_unstable();
    touch_pairs.dedup();
    touches.sort_unstable_by_key(|x| x.0);
    // Points that stand for ring r's boundary away from the touching points:
    // its vertices, and the middle of each piece between touching points.
    let probes = |r: usize| -> Vec<Coord<f64>> {
        let mut pts = rings[r].0.clone();
        let from = touches.partition_point(|t| t.0.0 < r);
        let to = touches.partition_point(|t| t.0.0 <= r);
        let mut k = from;
        while k < to {
            let seg = touches[k].0.1;
            let line = rings[r]
                .lines()
                .nth(seg)
                .unwrap_or(Line::new(pts[0], pts[0]));
            let mut along: Vec<Coord<f64>> = vec![line.start, line.end];
            while k < to && touches[k].0.1 == seg {
                along.push(touches[k].1);
                k += 1;
            }
            let d = line.end - line.start;
            along.sort_by(|p, q| {
                ((p.x - line.start.x) * d.x + (p.y - line.start.y) * d.y)
                    .total_cmp(&((q.x - line.start.x) * d.x + (q.y - line.start.y) * d.y))
            });
            pts.extend(along.windows(2).map(|w| (w[0] + w[1]) / 2.0));
        }
        pts
    };
    crossing_pairs.sort_unstable();
    crossing_pairs.dedup();
    line_pairs.sort_unstable();
    line_pairs.dedup();
    for (r, ring) in rings.iter().enumerate() {
        if ring.0.is_empty() {
            continue;
        }
        if distinct_points(ring) < 3 || ring.0.len() < 4 {
            out.push(Problem {
                error: InvalidPolygon::TooFewPointsInRing(role(r)),
                at: None,
            });
        }
        if let Some(at) = self_crossing[r] {
            out.push(Problem {
                error: InvalidPolygon::SelfIntersection(role(r)),
                at: Some(at),
            });
        }
    }
    if rings.len() == 1 {
        return out;
    }
    // Holes against the exterior: a hole that crosses it, or has a vertex
    // outside it, is not contained.
    let exterior = Banded::from_rings(std::iter::once(rings[0]));
    for (h, hole) in rings.iter().enumerate().skip(1) {
        if hole.0.is_empty() {
            continue;
        }
        let crosses = crossing_pairs.binary_search(&(0, h)).is_ok();
        let outside = crosses
            || if touch_pairs.binary_search(&(0, h)).is_ok() {
                probes(h)
                    .into_iter()
                    .any(|c| exterior.position(c) == Position::Outside)
            } else {
                hole.0
                    .iter()
                    .any(|&c| exterior.position(c) == Position::Outside)
            };
        if outside {
            out.push(Problem {
                error: InvalidPolygon::InteriorRingNotContainedInExteriorRing(role(h)),
                at: None,
            });
        }
        if line_pairs.binary_search(&(0, h)).is_ok() {
            out.push(Problem {
                error: InvalidPolygon::IntersectingRingsOnALine(RingRole::Exterior, role(h)),
                at: None,
            });
        }
    }
    // Holes against each other: crossing, or one inside the other (only
    // pairs whose bounding boxes nest can be), or sharing a segment.
    let boxes: Vec<Option<Rect<f64>>> = rings
        .iter()
        .map(|r| geo::BoundingRect::bounding_rect(*r))
        .collect();
    let min_x = |h: usize| boxes[h].map_or(f64::INFINITY, |b| b.min().x);
    let mut order: Vec<usize> = (1..rings.len()).filter(|&h| boxes[h].is_some()).collect();
    order.sort_by(|&a, &b| min_x(a).total_cmp(&min_x(b)));
    let mut banded: Vec<Option<Banded>> = (0..rings.len()).map(|_| None).collect();
    let mut area_pairs: Vec<(usize, usize)> = Vec::new();
    for (k, &h1) in order.iter().enumerate() {
        let Some(b1) = boxes[h1] else { continue };
        for &h2 in &order[k + 1..] {
            let Some(b2) = boxes[h2] else { continue };
            if b2.min().x > b1.max().x {
                break;
            }
            let pair = (h1.min(h2), h1.max(h2));
            if crossing_pairs.binary_search(&pair).is_ok() {
                area_pairs.push(pair);
                continue;
            }
            if touch_pairs.binary_search(&pair).is_ok() {
                // Touching: interiors overlap when a piece of either boundary
                // lies strictly inside the other ring.
                let inside = |inner: usize, outer: usize, banded: &mut Vec<Option<Banded>>| {
                    let index = banded[outer]
                        .get_or_insert_with(|| Banded::from_rings(std::iter::once(rings[outer])));
                    probes(inner)
                        .into_iter()
                        .any(|c| index.position(c) == Position::Inside)
                };
                if inside(h1, h2, &mut banded) || inside(h2, h1, &mut banded) {
                    area_pairs.push(pair);
                }
                continue;
            }
            // Does one nest in the other? Test the vertices of the one whose
            // box is inside the other's box against the larger ring.
            for (inner, outer) in [(h1, h2), (h2, h1)] {
                let (bi, bo) = (boxes[inner].unwrap_or(b1), boxes[outer].unwrap_or(b2));
                let nests = bi.min().x >= bo.min().x
                    && bi.max().x <= bo.max().x
                    && bi.min().y >= bo.min().y
                    && bi.max().y <= bo.max().y;
                if !nests {
                    continue;
                }
                let index = banded[outer]
                    .get_or_insert_with(|| Banded::from_rings(std::iter::once(rings[outer])));
                let inside = rings[inner]
                    .0
                    .iter()
                    .map(|&c| index.position(c))
                    .find(|&p| p != Position::OnBoundary)
                    == Some(Position::Inside);
                if inside {
                    area_pairs.push(pair);
                    break;
                }
            }
        }
    }
    area_pairs.sort_unstable();
    area_pairs.dedup();
    for (a, b) in area_pairs {
        out.push(Problem {
            error: InvalidPolygon::IntersectingRingsOnAnArea(role(a), role(b)),
            at: None,
        });
    }
    for &(a, b) in line_pairs.iter().filter(|(a, _)| *a > 0) {
        out.push(Problem {
            error: InvalidPolygon::IntersectingRingsOnALine(role(a), role(b)),
            at: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Validation;
    use proptest::prelude::*;

    fn kinds(v: &[InvalidPolygon]) -> Vec<String> {
        let mut k: Vec<String> = v.iter().map(|e| e.to_string()).collect();
        k.sort();
        k.dedup();
        k
    }

    /// The same verdict as geo's `Validation` (quadratic) on random small
    /// polygons with holes: rings of random vertices on a coarse grid, so
    /// that touching, shared segments, crossings and nesting all happen.
    #[test]
    fn agrees_with_geo_validation() {
        let coord = (0i32..6, 0i32..6).prop_map(|(x, y)| Coord {
            x: f64::from(x),
            y: f64::from(y),
        });
        let ring = prop::collection::vec(coord, 3..7).prop_map(|mut v| {
            v.push(v[0]);
            LineString(v)
        });
        let poly =
            (ring.clone(), prop::collection::vec(ring, 0..3)).prop_map(|(e, h)| Polygon::new(e, h));
        // A ring with two segments overlapping along a line (a spike): geo
        // accepts some of these (e.g. POLYGON((1 0,0 0,2 0,1 0)), no area at
        // all); we refuse them all. Brute force over pairs.
        let spiky = |p: &Polygon<f64>| {
            std::iter::once(p.exterior()).chain(p.interiors()).any(|r| {
                let segs: Vec<Line<f64>> = r.lines().collect();
                segs.iter().enumerate().any(|(i, a)| {
                    segs[i + 1..].iter().any(|b| {
                        matches!(
                            geo::line_intersection::line_intersection(*a, *b),
                            Some(LineIntersection::Collinear { intersection })
                                if intersection.start != intersection.end
                        )
                    })
                })
            })
        };
        let check = |p: &Polygon<f64>| {
            let ours: Vec<InvalidPolygon> = problems(p).into_iter().map(|x| x.error).collect();
            if spiky(p) {
                prop_assert!(!ours.is_empty(), "{:?}", p);
                return Ok(());
            }
            let theirs = p.validation_errors();
            prop_assert_eq!(
                ours.is_empty(),
                theirs.is_empty(),
                "{:?}\nours {:?}\ngeo {:?}",
                p,
                ours,
                theirs
            );
            Ok(())
        };
        proptest!(ProptestConfig::with_cases(3000), |(p in poly)| {
            check(&p)?;
        });
        // Holes (triangles and quads on the grid) in a valid 6 x 6 square:
        // holes touching, crossing, outside, nested, sharing edges.
        let small = |n: usize| {
            prop::collection::vec((0i32..7, 0i32..7), n..=n).prop_map(|v| {
                let mut v: Vec<Coord<f64>> = v
                    .into_iter()
                    .map(|(x, y)| Coord {
                        x: f64::from(x),
                        y: f64::from(y),
                    })
                    .collect();
                v.push(v[0]);
                LineString(v)
            })
        };
        let holes = prop::collection::vec(prop_oneof![small(3), small(4)], 1..4);
        proptest!(ProptestConfig::with_cases(5000), |(h in holes)| {
            let shell = LineString::from(vec![(0.0, 0.0), (6.0, 0.0), (6.0, 6.0), (0.0, 6.0), (0.0, 0.0)]);
            check(&Polygon::new(shell, h))?;
        });
    }

    #[test]
    fn each_rule_on_hand_made_polygons() {
        use geo::polygon;
        let square = |x0: f64, y0: f64, s: f64| {
            LineString::from(vec![
                (x0, y0),
                (x0 + s, y0),
                (x0 + s, y0 + s),
                (x0, y0 + s),
                (x0, y0),
            ])
        };
        // Valid: a hole inside, touching the exterior at one point.
        let ok = Polygon::new(
            square(0.0, 0.0, 10.0),
            vec![LineString::from(vec![
                (0.0, 5.0),
                (3.0, 4.0),
                (3.0, 6.0),
                (0.0, 5.0),
            ])],
        );
        assert!(problems(&ok).is_empty(), "{:?}", problems(&ok));
        // A hole outside the shell.
        let outside = Polygon::new(square(0.0, 0.0, 10.0), vec![square(20.0, 20.0, 1.0)]);
        assert_eq!(
            kinds(
                &problems(&outside)
                    .into_iter()
                    .map(|p| p.error)
                    .collect::<Vec<_>>()
            ),
            ["interior ring at index 0 is not contained within the polygon's exterior"]
        );
        // Nested holes.
        let nested = Polygon::new(
            square(0.0, 0.0, 10.0),
            vec![square(1.0, 1.0, 8.0), square(2.0, 2.0, 2.0)],
        );
        assert_eq!(
            kinds(
                &problems(&nested)
                    .into_iter()
                    .map(|p| p.error)
                    .collect::<Vec<_>>()
            ),
            ["interior ring at index 0 and interior ring at index 1 intersect on an area"]
        );
        // Holes sharing an edge.
        let sharing = Polygon::new(
            square(0.0, 0.0, 10.0),
            vec![square(1.0, 1.0, 2.0), square(3.0, 1.0, 2.0)],
        );
        assert_eq!(
            kinds(
                &problems(&sharing)
                    .into_iter()
                    .map(|p| p.error)
                    .collect::<Vec<_>>()
            ),
            ["interior ring at index 0 and interior ring at index 1 intersect on a line"]
        );
        // Too few points.
        let thin = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 0.0)];
        assert!(
            problems(&thin)
                .iter()
                .any(|p| matches!(p.error, InvalidPolygon::TooFewPointsInRing(_)))
        );
    }

    #[test]
    fn a_large_valid_ring_is_checked_in_linear_ish_time() {
        // 100,000 vertices on a circle of radius 0.5° around Yerevan: valid.
        let n = 100_000;
        let mut v: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                let t = k as f64 / n as f64 * std::f64::consts::TAU;
                Coord {
                    x: 44.5 + 0.5 * t.cos(),
                    y: 40.2 + 0.5 * t.sin(),
                }
            })
            .collect();
        v.push(v[0]);
        let p = Polygon::new(LineString(v), vec![]);
        assert!(problems(&p).is_empty());
    }
}
