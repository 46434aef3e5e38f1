//! Geometry validity (the rules of geo's `Validation`, checked by a sweep
//! line in [`checks`]) and the one repair ([`mod@repair`], by the even–odd rule).
//!
//! Overlay results are only meaningful on valid polygons: a self-intersecting
//! ring or a hole outside its shell makes intersections and unions wrong. The
//! overlay commands therefore check their layers first and stop with every
//! invalid feature listed, unless `--repair` asks for the repair.

pub mod checks;
pub mod repair;

use rayon::prelude::*;

use crate::error::Error;
use crate::io::ReadFeature;
use crate::io::coords::{OutOfRange, out_of_range};
use crate::io::feature::{Geometry, Part, Ring};
use crate::measure;
use crate::model::Layer;

pub use crate::error::InvalidFeature;

/// Every invalid feature of a layer (checked in parallel, reported in order).
/// Each polygon is checked on its own (self-intersections, holes outside the
/// shell, rings crossing), then the polygons of a MultiPolygon against each
/// other: parts that overlap make it invalid (OGC), and a measure of it
/// would count the overlap twice.
pub fn invalid_features(layer: &Layer) -> Vec<InvalidFeature> {
    layer
        .regions
        .par_iter()
        .filter_map(|r| {
            let mut problems: Vec<String> = r
                .geom
                .0
                .iter()
                .enumerate()
                .flat_map(|(k, p)| {
                    checks::problems(p)
                        .into_iter()
                        .map(move |e| format!("polygon {}: {}", k + 1, e.error))
                })
                .collect();
            if problems.is_empty() {
                problems.extend(
                    crate::overlay::part_overlaps(&r.geom)
                        .iter()
                        .map(|o| parts_overlap_message(o.a + 1, o.b + 1, o.area_m2)),
                );
            }
            (!problems.is_empty()).then(|| InvalidFeature {
                index: r.index,
                id: r.id.clone(),
                problems,
            })
        })
        .collect()
}

/// The problem text of two overlapping polygons of one MultiPolygon.
fn parts_overlap_message(a: usize, b: usize, area_m2: f64) -> String {
    format!(
        "polygons {a} and {b} of this MultiPolygon overlap by {:.6} km² (a MultiPolygon's parts must not overlap; --repair unites them)",
        area_m2 / 1e6
    )
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

/// Repair the given invalid features in place (see [`repair::repair`]). The
/// error (a feature the repair cannot handle, with the reason) is kept for
/// callers; the even–odd repair always succeeds.
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
        region.geom = repair::repair(&region.geom);
        out.push(Repair {
            index: bad.index,
            id: bad.id.clone(),
            before_m2,
            after_m2: measure::multi_polygon(&region.geom).area_m2,
        });
    }
    Ok(out)
}

/// What to do about invalid polygons when a layer is loaded for measuring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Checks {
    /// Check every polygon; an invalid one is an error.
    #[default]
    Check,
    /// Check every polygon and repair the invalid ones ([`repair::repair`]).
    Repair,
    /// Trust the layer (built-in layers, `--no-check`): an invalid polygon
    /// then gives a wrong area.
    Skip,
}

/// Apply `checks` to a layer read from `path`: `Ok` with the repairs made
/// (none when valid or skipped), or [`Error::InvalidGeometry`] listing every
/// invalid feature when `checks` is [`Checks::Check`]. Every algorithm that
/// measures or overlays assumes valid polygons: an invalid one (a bow-tie, a
/// hole outside its shell) has no meaningful area.
///
/// # Examples
///
/// A bow-tie: invalid, repaired into its two triangles.
///
/// ```
/// use territory::validate::{self, Checks};
/// let spec = "tests/data/invalid-bowtie.geojson".parse().unwrap();
/// let mut layer = territory::open(&spec, &Default::default())?;
/// assert!(validate::enforce(&mut layer, Checks::Check).is_err());
/// let repairs = validate::enforce(&mut layer, Checks::Repair)?;
/// assert_eq!(repairs.len(), 1);
/// assert!(validate::enforce(&mut layer, Checks::Check)?.is_empty());
/// # Ok::<(), territory::Error>(())
/// ```
pub fn enforce(layer: &mut Layer, checks: Checks) -> crate::Result<Vec<Repair>> {
    if checks == Checks::Skip {
        return Ok(Vec::new());
    }
    let invalid = invalid_features(layer);
    if invalid.is_empty() {
        return Ok(Vec::new());
    }
    if checks == Checks::Check {
        return Err(Error::InvalidGeometry {
            path: layer.name.clone(),
            features: invalid,
        });
    }
    repair(layer, &invalid).map_err(|(feature, reason)| Error::RepairFailed {
        path: layer.name.clone(),
        feature,
        reason,
    })
}

/// What [`tidy`] changed in one feature.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tidied {
    /// Repeated vertices removed.
    pub repeated_removed: usize,
    /// The feature was invalid and rebuilt by [`repair::repair`].
    pub made_valid: bool,
    /// Rings were reoriented to RFC 7946 winding.
    pub reoriented: bool,
    /// Geodesic area before, m².
    pub before_m2: f64,
    /// Geodesic area after, m².
    pub after_m2: f64,
}

impl Tidied {
    /// Whether anything changed.
    pub fn changed(&self) -> bool {
        self.repeated_removed > 0 || self.made_valid || self.reoriented
    }
}

/// The copy `validate --repair` writes: the one repair ([`repair::repair`])
/// applied to the feature whether it is valid or not (so repeated vertices
/// leave valid features too), then RFC 7946 winding (exteriors
/// counterclockwise, holes clockwise) for the GeoJSON written. Neither the
/// repeated vertices nor the winding of a valid feature changes its area:
/// the measuring commands' `--repair` rebuilds invalid features only.
pub fn tidy(region: &mut crate::model::Region) -> Tidied {
    use geo::orient::{Direction, Orient};
    use geo::{CoordsIter, RemoveRepeatedPoints};
    let before_m2 = measure::multi_polygon(&region.geom).area_m2;
    let repeated_removed = region
        .vertices
        .saturating_sub(region.geom.remove_repeated_points().coords_count());
    let made_valid = !checks::is_valid(&region.geom);
    let geom = repair::repair(&region.geom);
    let oriented = geom.orient(Direction::Default);
    let reoriented = oriented != geom;
    region.geom = oriented;
    let mut t = Tidied {
        repeated_removed,
        made_valid,
        reoriented,
        before_m2,
        after_m2: before_m2,
    };
    if t.changed() {
        t.after_m2 = measure::multi_polygon(&region.geom).area_m2;
    }
    t
}

/// Most `features-overlap` warnings listed: a crowded layer (many polygons
/// piled up) has millions of overlapping pairs, which no one reads.
pub const MAX_OVERLAP_WARNINGS: usize = 10_000;

/// How serious a finding is: errors make `validate` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The geometry is wrong: areas and overlays cannot be trusted.
    Error,
    /// Legal but worth knowing (winding, repeated vertices, overlaps).
    Warning,
}

/// One finding of `territory validate`, with where it is. Numbers are 1-based;
/// ring 1 is a polygon's exterior, rings 2.. its holes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable short name: `self-intersection`, `unclosed-ring`, ...
    pub code: &'static str,
    /// The feature (1-based index).
    pub feature: usize,
    /// Its id, when it has one.
    pub id: Option<String>,
    /// The line the feature starts on (sequences).
    pub line: Option<usize>,
    /// Polygon within the feature.
    pub polygon: Option<usize>,
    /// Ring within the polygon.
    pub ring: Option<usize>,
    /// Vertex within the ring.
    pub vertex: Option<usize>,
    /// The coordinates concerned (lon, lat), e.g. a crossing point.
    pub coordinates: Option<[f64; 2]>,
    /// What is wrong, for people.
    pub message: String,
}

impl Diagnostic {
    /// "polygon 1, ring 2 (hole 1), vertex 3" — whatever is known.
    pub fn place(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.polygon {
            parts.push(format!("polygon {p}"));
        }
        if let Some(r) = self.ring {
            parts.push(if r == 1 {
                "ring 1 (exterior)".to_string()
            } else {
                format!("ring {r} (hole {})", r - 1)
            });
        }
        if let Some(v) = self.vertex {
            parts.push(format!("vertex {v}"));
        }
        parts.join(", ")
    }
}

struct Finder<'a> {
    out: &'a mut Vec<Diagnostic>,
    feature: usize,
    id: Option<String>,
    line: Option<usize>,
}

impl Finder<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        polygon: Option<usize>,
        ring: Option<usize>,
        vertex: Option<usize>,
        coordinates: Option<[f64; 2]>,
        message: String,
    ) {
        self.out.push(Diagnostic {
            severity,
            code,
            feature: self.feature,
            id: self.id.clone(),
            line: self.line,
            polygon,
            ring,
            vertex,
            coordinates,
            message,
        });
    }
}

/// Check features as read (see [`crate::io::read_features`]) and return
/// every problem found, in feature order. `overlap_check` adds a warning for
/// each pair of features whose interiors overlap.
pub fn diagnose(features: &[ReadFeature], overlap_check: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen_ids: std::collections::HashMap<String, usize> = Default::default();
    let mut valid: Vec<(usize, geo::MultiPolygon<f64>)> = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let f = match f {
            Ok(f) => f,
            Err(e) => {
                out.push(Diagnostic {
                    severity: Severity::Error,
                    code: "not-a-feature",
                    feature: i + 1,
                    id: e.id.clone(),
                    line: None,
                    polygon: None,
                    ring: None,
                    vertex: None,
                    coordinates: None,
                    message: e.problem.to_string(),
                });
                continue;
            }
        };
        let (index, line) = (&f.index, &f.line);
        let id = f.label_id();
        let mut fd = Finder {
            out: &mut out,
            feature: *index,
            id: id.clone(),
            line: *line,
        };
        if let Some(id) = &id {
            if let Some(first) = seen_ids.get(id) {
                fd.push(
                    Severity::Error,
                    "duplicate-id",
                    None,
                    None,
                    None,
                    None,
                    format!("id {id:?} is also the id of feature {first}"),
                );
            } else {
                seen_ids.insert(id.clone(), *index);
            }
        }
        let mut polygons: Vec<&[Ring]> = Vec::new();
        collect_polygons(&f.geometry, &mut polygons, &mut fd, 0);
        let mut ok_polys = Vec::new();
        for (p, rings) in polygons.iter().enumerate() {
            if let Some(poly) = check_polygon(p + 1, rings, &mut fd) {
                ok_polys.push(poly);
            }
        }
        if ok_polys.len() == polygons.len() && ok_polys.len() > 1 {
            let mp = geo::MultiPolygon(ok_polys.clone());
            for o in crate::overlay::part_overlaps(&mp) {
                let at = geo::InteriorPoint::interior_point(&crate::overlay::intersection(
                    &geo::MultiPolygon(vec![mp.0[o.a].clone()]),
                    &geo::MultiPolygon(vec![mp.0[o.b].clone()]),
                ))
                .map(|p| [p.x(), p.y()]);
                fd.push(
                    Severity::Error,
                    "parts-overlap",
                    Some(o.b + 1),
                    None,
                    None,
                    at,
                    parts_overlap_message(o.a + 1, o.b + 1, o.area_m2),
                );
            }
        }
        // Only features without geometry errors take part in the overlap check
        // (a duplicate id is not a geometry error).
        let clean = !fd.out.iter().any(|d| {
            d.feature == *index && d.severity == Severity::Error && d.code != "duplicate-id"
        });
        if clean && ok_polys.len() == polygons.len() && !ok_polys.is_empty() {
            valid.push((*index, geo::MultiPolygon(ok_polys)));
        }
    }
    if overlap_check && valid.len() > 1 {
        let geoms: Vec<&geo::MultiPolygon<f64>> = valid.iter().map(|(_, g)| g).collect();
        let areas: Vec<f64> = crate::measure::multi_polygons(&geoms)
            .iter()
            .map(|m| m.area_m2)
            .collect();
        let (overlaps, complete) =
            crate::overlay::overlaps_limited(&geoms, &areas, MAX_OVERLAP_WARNINGS);
        if !complete {
            out.push(Diagnostic {
                severity: Severity::Warning,
                code: "overlaps-not-all-listed",
                feature: valid[overlaps.last().map_or(0, |o| o.b)].0,
                id: None,
                line: None,
                polygon: None,
                ring: None,
                vertex: None,
                coordinates: None,
                message: format!(
                    "more than {MAX_OVERLAP_WARNINGS} pairs of features overlap; the first {MAX_OVERLAP_WARNINGS} (in feature order) are listed. Totals count every overlap once (`territory area`)"
                ),
            });
        }
        for o in overlaps {
            let (a, b) = (valid[o.a].0, valid[o.b].0);
            let f = features[b - 1].as_ref().ok();
            out.push(Diagnostic {
                severity: Severity::Warning,
                code: "features-overlap",
                feature: b,
                id: f.and_then(|f| f.id.clone()),
                line: f.and_then(|f| f.line),
                polygon: None,
                ring: None,
                vertex: None,
                coordinates: None,
                message: format!(
                    "overlaps feature {a} by {:.6} km² (counted once in totals)",
                    o.area_m2 / 1e6
                ),
            });
        }
    }
    out.sort_by_key(|d| (d.feature, d.severity));
    out
}

fn collect_polygons<'g>(g: &'g Geometry, out: &mut Vec<&'g [Ring]>, fd: &mut Finder, depth: usize) {
    let malformed = |fd: &mut Finder, polygon: Option<usize>, message: String| {
        fd.push(
            Severity::Error,
            "malformed",
            polygon,
            None,
            None,
            None,
            message,
        )
    };
    match g {
        Geometry::Null => fd.push(
            Severity::Error,
            "null-geometry",
            None,
            None,
            None,
            None,
            "the geometry is null".into(),
        ),
        Geometry::Polygon(rings) => out.push(rings),
        Geometry::MultiPolygon(parts) => {
            for (k, p) in parts.iter().enumerate() {
                match p {
                    Part::Rings(rings) => out.push(rings),
                    Part::NotArray => malformed(
                        fd,
                        Some(k + 1),
                        "MultiPolygon member is not an array of rings".into(),
                    ),
                }
            }
        }
        Geometry::Collection(members) => {
            for m in members {
                collect_polygons(m, out, fd, depth + 1);
            }
        }
        // A pin or a line beside the polygons: measuring commands leave it
        // out with a warning (issue #13 item 7), so it is a warning here.
        Geometry::NotArea { kind, .. } if depth == 0 => fd.push(
            Severity::Warning,
            "not-polygon",
            None,
            None,
            None,
            None,
            format!("geometry type {kind} is not an area; measuring commands leave it out"),
        ),
        Geometry::NotArea { kind: other, .. } | Geometry::Other(other) => fd.push(
            Severity::Error,
            "not-polygon",
            None,
            None,
            None,
            None,
            format!("geometry type {other} is not an area"),
        ),
        Geometry::Malformed(what) => malformed(fd, None, what.clone()),
    }
}

/// Check one polygon's rings; the polygon when its coordinates are usable.
fn check_polygon(p: usize, rings: &[Ring], fd: &mut Finder) -> Option<geo::Polygon<f64>> {
    use geo::{Coord, LineString, Polygon};
    let mut usable = true;
    let mut lines: Vec<LineString<f64>> = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        let rn = r + 1;
        let Ring::Positions(positions) = ring else {
            fd.push(
                Severity::Error,
                "malformed",
                Some(p),
                Some(rn),
                None,
                None,
                "the ring is not an array".into(),
            );
            usable = false;
            continue;
        };
        let mut coords: Vec<Coord<f64>> = Vec::with_capacity(positions.len());
        let (mut out_of_range_seen, mut out_of_range_more) = (false, 0usize);
        for (k, pos) in positions.iter() {
            let (x, y) = match pos {
                Ok(c) => (c.x, c.y),
                Err(bad) => {
                    let position = &bad.position;
                    fd.push(
                        Severity::Error,
                        "bad-coordinate",
                        Some(p),
                        Some(rn),
                        Some(k + 1),
                        None,
                        format!("position {position} is not two finite numbers"),
                    );
                    usable = false;
                    continue;
                }
            };
            if let Some(kind) = out_of_range(x, y) {
                usable = false;
                if out_of_range_seen {
                    out_of_range_more += 1;
                } else {
                    out_of_range_seen = true;
                    let code = match kind {
                        OutOfRange::Projected => "projected-coordinates",
                        OutOfRange::Swapped => "swapped-axes",
                        OutOfRange::Plain => "out-of-range",
                    };
                    fd.push(
                        Severity::Error,
                        code,
                        Some(p),
                        Some(rn),
                        Some(k + 1),
                        Some([x, y]),
                        format!(
                            "({x}, {y}) is outside longitude -180..180 / latitude -90..90{}",
                            kind.hint()
                        ),
                    );
                }
            }
            coords.push(Coord { x, y });
        }
        if out_of_range_more > 0
            && let Some(d) = fd.out.last_mut()
        {
            d.message.push_str(&format!(
                " (and {out_of_range_more} more positions of this ring)"
            ));
        }
        if positions.len() < 4 {
            fd.push(
                Severity::Error,
                "too-few-positions",
                Some(p),
                Some(rn),
                None,
                None,
                format!(
                    "{} positions; a closed ring needs at least 4",
                    positions.len()
                ),
            );
            usable = false;
        }
        if coords.len() == positions.len() && coords.len() >= 2 && coords.first() != coords.last() {
            let c = coords[coords.len() - 1];
            fd.push(
                Severity::Error,
                "unclosed-ring",
                Some(p),
                Some(rn),
                Some(coords.len()),
                Some([c.x, c.y]),
                "the last position differs from the first: GeoJSON rings must be closed".into(),
            );
        }
        let repeats: Vec<usize> = coords
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] == w[1])
            .map(|(k, _)| k + 2)
            .collect();
        if let Some(&first) = repeats.first() {
            let c = coords[first - 1];
            fd.push(
                Severity::Warning,
                "repeated-vertex",
                Some(p),
                Some(rn),
                Some(first),
                Some([c.x, c.y]),
                format!(
                    "{} repeated consecutive vertices (first at vertex {first})",
                    repeats.len()
                ),
            );
        }
        if coords.len() >= 3 {
            let twice_area: f64 = coords
                .iter()
                .zip(coords.iter().cycle().skip(1))
                .map(|(a, b)| a.x * b.y - b.x * a.y)
                .sum();
            let ccw = twice_area > 0.0;
            if (rn == 1) != ccw && twice_area != 0.0 {
                fd.push(
                    Severity::Warning,
                    "winding",
                    Some(p),
                    Some(rn),
                    None,
                    None,
                    format!(
                        "{} ring is {}; RFC 7946 wants exterior rings counterclockwise and holes clockwise (areas are right either way)",
                        if rn == 1 { "the exterior" } else { "this hole" },
                        if ccw { "counterclockwise" } else { "clockwise" }
                    ),
                );
            }
        }
        lines.push(LineString(coords));
    }
    if !usable || lines.is_empty() {
        return None;
    }
    let exterior = lines.remove(0);
    let polygon = Polygon::new(exterior, lines);
    report_problems(p, &polygon, fd);
    Some(polygon)
}

/// The problems geo's rules find in a polygon whose coordinates are usable
/// (self-intersections, holes outside, rings crossing), as diagnostics.
fn report_problems(p: usize, polygon: &geo::Polygon<f64>, fd: &mut Finder) {
    for problem in checks::problems(polygon) {
        let e = problem.error;
        use geo::algorithm::validation::InvalidPolygon as I;
        let ring_no = |r: &geo::algorithm::validation::RingRole| match r {
            geo::algorithm::validation::RingRole::Exterior => 1,
            geo::algorithm::validation::RingRole::Interior(i) => i + 2,
        };
        match &e {
            I::SelfIntersection(role) => {
                let rn = ring_no(role);
                let (vertex, at) = problem
                    .at
                    .map_or((None, None), |(k, c)| (Some(k), Some([c.x, c.y])));
                fd.push(
                    Severity::Error,
                    "self-intersection",
                    Some(p),
                    Some(rn),
                    vertex,
                    at,
                    match at {
                        Some([x, y]) => format!("the ring crosses itself at ({x}, {y})"),
                        None => "the ring crosses itself".into(),
                    },
                );
            }
            I::InteriorRingNotContainedInExteriorRing(role) => fd.push(
                Severity::Error,
                "hole-outside-shell",
                Some(p),
                Some(ring_no(role)),
                None,
                None,
                "the hole is not inside the exterior ring".into(),
            ),
            I::IntersectingRingsOnAnArea(a, b) => fd.push(
                Severity::Error,
                "overlapping-rings",
                Some(p),
                Some(ring_no(b)),
                None,
                None,
                format!("rings {} and {} overlap", ring_no(a), ring_no(b)),
            ),
            I::IntersectingRingsOnALine(a, b) => fd.push(
                Severity::Error,
                "rings-touch-on-a-line",
                Some(p),
                Some(ring_no(b)),
                None,
                None,
                format!("rings {} and {} share a segment", ring_no(a), ring_no(b)),
            ),
            I::TooFewPointsInRing(role) => fd.push(
                Severity::Error,
                "too-few-distinct-points",
                Some(p),
                Some(ring_no(role)),
                None,
                None,
                "the ring has fewer than 3 distinct points".into(),
            ),
            I::NonFiniteCoord(..) => {}
        }
    }
}
