//! A measurable [`Layer`] from features as read: each geometry checked as it
//! is converted (the first problem is the error, with the feature, polygon,
//! ring and position), then the id and name policy applied to the whole
//! layer (`--id-field`, `--name-field`, else the feature `id`, the `id`
//! property or the index; the first of [`NAME_FIELDS`] present).

use geo::{LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::feature::{Feature, Geometry, NAME_FIELDS, NotAFeature, Part, Ring, scalar_text};
use crate::error::{Error, FeatureLoc, FeatureProblem, GeometryError, Result};
use crate::io::coords::out_of_range;
use crate::model::{GeomType, IdSource, Layer, Region, Skipped};

/// A feature converted for a layer, before ids and names are chosen.
struct Parsed {
    skipped: Option<Skipped>,
    feature_id: Option<String>,
    props: Map<String, Value>,
    geom: MultiPolygon<f64>,
    geom_type: GeomType,
    vertices: usize,
    had_z: bool,
}

/// The polygons of a geometry, checked for a layer: the first problem is
/// the error.
struct Strict {
    geom: MultiPolygon<f64>,
    vertices: usize,
    had_z: bool,
    /// Coordinates must be WGS84 longitude/latitude.
    lonlat: bool,
}

fn malformed(what: impl Into<String>) -> GeometryError {
    GeometryError::Malformed { what: what.into() }
}

impl Strict {
    fn add(&mut self, g: Geometry) -> std::result::Result<GeomType, GeometryError> {
        match g {
            Geometry::Null => Err(GeometryError::Null),
            Geometry::Malformed(what) => Err(malformed(what)),
            Geometry::Other(found) | Geometry::NotArea { kind: found, .. } => {
                Err(GeometryError::NotPolygon { found })
            }
            Geometry::Polygon(rings) => {
                self.polygon(rings)?;
                Ok(GeomType::Polygon)
            }
            Geometry::MultiPolygon(parts) => {
                for (k, p) in parts.into_iter().enumerate() {
                    match p {
                        Part::Rings(rings) => self.polygon(rings)?,
                        Part::NotArray => {
                            return Err(malformed(format!(
                                "member {} of the MultiPolygon is not an array",
                                k + 1
                            )));
                        }
                    }
                }
                Ok(GeomType::MultiPolygon)
            }
            Geometry::Collection(members) => {
                for m in members {
                    self.add(m)?;
                }
                Ok(GeomType::GeometryCollection)
            }
        }
    }

    fn polygon(&mut self, rings: Vec<Ring>) -> std::result::Result<(), GeometryError> {
        let polygon = self.geom.0.len() + 1;
        let mut out: Vec<LineString<f64>> = Vec::with_capacity(rings.len());
        for (r, ring) in rings.into_iter().enumerate() {
            let ring_no = r + 1;
            let Ring::Positions(positions) = ring else {
                return Err(malformed(format!(
                    "polygon {polygon}, ring {ring_no} is not an array of positions"
                )));
            };
            if positions.len() < 4 {
                return Err(GeometryError::TooFewPositions {
                    polygon,
                    ring: ring_no,
                    count: positions.len(),
                });
            }
            self.had_z |= positions.had_z;
            // In written order, the first bad or out-of-range position is
            // the error.
            for (k, p) in positions.iter() {
                let position = k + 1;
                let c = match p {
                    Ok(c) => c,
                    Err(bad) => {
                        return Err(GeometryError::BadCoordinate {
                            polygon,
                            ring: ring_no,
                            position,
                            value: bad.value.clone(),
                        });
                    }
                };
                if self.lonlat
                    && let Some(kind) = out_of_range(c.x, c.y)
                {
                    return Err(GeometryError::OutOfRange {
                        polygon,
                        ring: ring_no,
                        position,
                        lon: c.x,
                        lat: c.y,
                        hint: kind.hint(),
                    });
                }
            }
            let coords = positions.coords;
            self.vertices += coords.len();
            out.push(LineString(coords));
        }
        if out.is_empty() {
            return Ok(()); // an empty Polygon (coordinates: []) adds no area
        }
        let exterior = out.remove(0);
        self.geom.0.push(Polygon::new(exterior, out));
        Ok(())
    }
}

fn parse(f: Feature, lonlat: bool) -> std::result::Result<Parsed, NotAFeature> {
    let label = f.label_id();
    if let Geometry::NotArea {
        kind,
        points,
        lines,
    } = f.geometry
    {
        let name = NAME_FIELDS
            .iter()
            .find_map(|k| f.properties.get(*k).and_then(scalar_text))
            .unwrap_or_default();
        return Ok(Parsed {
            skipped: Some(Skipped {
                index: f.index,
                id: label,
                name,
                geom_type: kind,
                points,
                lines,
            }),
            feature_id: f.id,
            props: f.properties,
            geom: MultiPolygon(Vec::new()),
            geom_type: GeomType::Polygon,
            vertices: 0,
            had_z: false,
        });
    }
    let mut s = Strict {
        geom: MultiPolygon(Vec::new()),
        vertices: 0,
        had_z: false,
        lonlat,
    };
    let geom_type = s.add(f.geometry).map_err(|p| NotAFeature {
        id: label,
        problem: p.into(),
    })?;
    Ok(Parsed {
        skipped: None,
        feature_id: f.id,
        props: f.properties,
        geom: s.geom,
        geom_type,
        vertices: s.vertices,
        had_z: s.had_z,
    })
}

/// Build a layer from features read from `path` (in parallel; the first
/// problem in feature order is the error, named with the feature and where
/// in it). `lonlat`: coordinates must be WGS84 longitude/latitude (false
/// when they are in another CRS, to be transformed after). Features that
/// are no areas are kept aside ([`Layer::skipped`]); ids and names are
/// chosen for the whole layer as `opts` say.
///
/// `line_of(i)` gives the line of the `i`-th feature (0-based) for the
/// message when the feature does not know it (computed for the failing one
/// only: it costs a scan of the text).
pub fn layer(
    features: Vec<std::result::Result<Feature, NotAFeature>>,
    path: &str,
    opts: &super::ReadOptions,
    lonlat: bool,
    line_of: impl Fn(usize) -> Option<usize>,
) -> Result<Layer> {
    let results: Vec<(
        usize,
        Option<usize>,
        std::result::Result<Parsed, NotAFeature>,
    )> = features
        .into_par_iter()
        .enumerate()
        .map(|(i, f)| match f {
            Ok(f) => (f.index, f.line, parse(f, lonlat)),
            Err(e) => (i + 1, None, Err(e)),
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (i, (index, line, r)) in results.into_iter().enumerate() {
        match r {
            Ok(p) => parsed.push((index, p)),
            Err(f) => {
                let loc = FeatureLoc {
                    index,
                    id: f.id,
                    line: line.or_else(|| line_of(i)),
                };
                return Err(Error::feature(path, loc, f.problem));
            }
        }
    }
    resolve(parsed, path, opts)
}

/// Choose ids and names for the whole layer and build the regions.
fn resolve(parsed: Vec<(usize, Parsed)>, path: &str, opts: &super::ReadOptions) -> Result<Layer> {
    let (others, parsed): (Vec<_>, Vec<_>) =
        parsed.into_iter().partition(|(_, p)| p.skipped.is_some());
    let skipped: Vec<Skipped> = others.into_iter().filter_map(|(_, p)| p.skipped).collect();
    if parsed.is_empty() && !skipped.is_empty() {
        return Err(Error::Input(format!(
            "{path}: no Polygon or MultiPolygon features, nothing to measure ({})",
            skipped_summary(&skipped)
        )));
    }
    let id_source = match &opts.id_field {
        Some(f) => IdSource::Field(f.clone()),
        None if !parsed.is_empty() && parsed.iter().all(|(_, p)| p.feature_id.is_some()) => {
            IdSource::FeatureId
        }
        None if !parsed.is_empty()
            && parsed
                .iter()
                .all(|(_, p)| p.props.get("id").and_then(scalar_text).is_some()) =>
        {
            IdSource::IdProperty
        }
        None => IdSource::Index,
    };
    let name_field = opts.name_field.clone().or_else(|| {
        NAME_FIELDS
            .iter()
            .find(|f| {
                parsed
                    .iter()
                    .any(|(_, p)| p.props.get(**f).and_then(scalar_text).is_some())
            })
            .map(|f| f.to_string())
    });
    let mut ignored_z = false;
    let mut regions = Vec::with_capacity(parsed.len());
    for (index, p) in parsed {
        let id = match &id_source {
            IdSource::Field(f) => p.props.get(f).and_then(scalar_text).ok_or_else(|| {
                let loc = FeatureLoc {
                    index,
                    id: p.feature_id.clone(),
                    line: None,
                };
                Error::feature(
                    path,
                    loc,
                    FeatureProblem::MissingIdField { field: f.clone() },
                )
            })?,
            IdSource::FeatureId => p.feature_id.clone().unwrap_or_default(),
            IdSource::IdProperty => p.props.get("id").and_then(scalar_text).unwrap_or_default(),
            IdSource::Index => index.to_string(),
        };
        let name = name_field
            .as_ref()
            .and_then(|f| p.props.get(f))
            .and_then(scalar_text)
            .unwrap_or_default();
        ignored_z |= p.had_z;
        regions.push(Region {
            index,
            id,
            name,
            props: p.props,
            geom: p.geom,
            geom_type: p.geom_type,
            vertices: p.vertices,
        });
    }
    Ok(Layer {
        name: path.to_string(),
        source: path.to_string(),
        regions,
        id_source,
        name_field,
        ignored_z,
        src_crs: None,
        skipped,
    })
}

/// "2 features that are not areas: feature 3 (id "PIN1", Point), ..." for
/// warnings: the count and the first three.
pub fn skipped_summary(skipped: &[Skipped]) -> String {
    let first: Vec<String> = skipped
        .iter()
        .take(3)
        .map(|s| match &s.id {
            Some(id) => format!("feature {} (id {id:?}, {})", s.index, s.geom_type),
            None => format!("feature {} ({})", s.index, s.geom_type),
        })
        .collect();
    let more = if skipped.len() > 3 { ", ..." } else { "" };
    let n = skipped.len();
    format!(
        "{n} feature{} that {} not an area: {}{more}",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" },
        first.join(", ")
    )
}
