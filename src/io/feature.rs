//! The one feature type every reader yields — GeoJSON documents and
//! sequences, KML/KMZ Placemarks, built-in layers — before anything is
//! checked: where it is (index, line), its id, its properties, and its
//! geometry as written, bad positions and all ([`Geometry`]).
//!
//! From there, [`super::layer::layer`] builds a measurable layer (stopping at
//! the first problem, named with its feature, polygon, ring and position),
//! `validate` lists every problem, and `locate` reads Points — all from the
//! same features, with no detour through another format.

use geo::{Coord, LineString, Polygon};
use serde_json::{Map, Value};

use crate::error::{FeatureLoc, FeatureProblem, Result};
use crate::io::coords::OutOfRange;
use crate::model::{GeomType, Region};

/// Properties tried, in order, for a feature's name.
pub const NAME_FIELDS: [&str; 4] = ["name", "NAME", "name_en", "Name"];

/// One feature as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// 1-based position in the file.
    pub index: usize,
    /// The line it starts on, when known (sequences, collections).
    pub line: Option<usize>,
    /// Its own id (GeoJSON `id` member, KML `id` attribute).
    pub id: Option<String>,
    /// Its properties, in order.
    pub properties: Map<String, Value>,
    /// Its geometry as written.
    pub geometry: Geometry,
}

/// A position that is not two finite numbers, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct BadPosition {
    /// Its 0-based place among the ring's positions.
    pub index: usize,
    /// The position as written.
    pub position: String,
    /// The value at fault (the position itself, or its first bad number).
    pub value: String,
}

/// A ring's positions as written: the readable ones as coordinates (kept
/// apart, so that a valid ring becomes a polygon without a copy), and the
/// others with their places.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Positions {
    /// The readable positions, in order (longitude or x, latitude or y).
    pub coords: Vec<Coord<f64>>,
    /// The positions that are not two finite numbers.
    pub bad: Vec<BadPosition>,
    /// Some position had a third (Z) value.
    pub had_z: bool,
}

impl Positions {
    /// Readable positions only.
    pub fn from_coords(coords: Vec<Coord<f64>>) -> Positions {
        Positions {
            coords,
            ..Positions::default()
        }
    }

    /// Add the next position read as two numbers (binary formats): a
    /// coordinate, or a bad position when either is not finite.
    pub fn push_xy(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.coords.push(Coord { x, y });
        } else {
            self.bad.push(BadPosition {
                index: self.len(),
                position: format!("[{x}, {y}]"),
                value: if x.is_finite() { y } else { x }.to_string(),
            });
        }
    }

    /// How many positions were written.
    pub fn len(&self) -> usize {
        self.coords.len() + self.bad.len()
    }

    /// True when the ring has no positions.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every position in written order, with its 0-based place.
    pub fn iter(&self) -> impl Iterator<Item = (usize, Result<Coord<f64>, &BadPosition>)> + '_ {
        let (mut c, mut b) = (0, 0);
        (0..self.len()).map(move |k| {
            if self.bad.get(b).is_some_and(|x| x.index == k) {
                b += 1;
                (k, Err(&self.bad[b - 1]))
            } else {
                c += 1;
                (k, Ok(self.coords[c - 1]))
            }
        })
    }
}

/// A ring: positions, or something that is not an array of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Ring {
    /// The positions.
    Positions(Positions),
    /// Not an array.
    NotArray,
}

/// A member of a MultiPolygon: rings, or something that is not an array.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// The rings: exterior first.
    Rings(Vec<Ring>),
    /// Not an array.
    NotArray,
}

/// A geometry as written (GeoJSON's model, which KML's maps onto).
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    /// `null` or absent.
    Null,
    /// A Polygon's rings.
    Polygon(Vec<Ring>),
    /// A MultiPolygon's members.
    MultiPolygon(Vec<Part>),
    /// A GeometryCollection (KML MultiGeometry).
    Collection(Vec<Geometry>),
    /// A Point, MultiPoint, LineString or MultiLineString: no area. Its
    /// readable positions are kept (to be drawn).
    NotArea {
        /// The GeoJSON type.
        kind: String,
        /// Points (Point, MultiPoint).
        points: Vec<Coord<f64>>,
        /// Lines (LineString, MultiLineString).
        lines: Vec<LineString<f64>>,
    },
    /// Another type.
    Other(String),
    /// Not a geometry: what is wrong, as a message.
    Malformed(String),
}

/// A feature whose JSON is not a feature at all, with what is known.
#[derive(Debug, Clone)]
pub struct NotAFeature {
    /// Its id, when it has one.
    pub id: Option<String>,
    /// What is wrong.
    pub problem: FeatureProblem,
}

/// The kind of a JSON value, for messages.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value usable as an id or name: strings as they are, numbers in JSON form.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Which properties to keep.
#[derive(Debug, Clone, Copy)]
pub enum Keep<'a> {
    /// All of them.
    All,
    /// Only those ids and names can come from: `id`, [`NAME_FIELDS`] and
    /// these two (saves memory when the rest is not needed, as in `locate`).
    IdsAndNames(Option<&'a str>, Option<&'a str>),
}

impl Feature {
    /// A GeoJSON Feature object. A bare geometry is wrapped by the caller
    /// ([`Feature::from_geometry_json`]).
    pub fn from_json(
        v: &Value,
        index: usize,
        line: Option<usize>,
        keep: Keep<'_>,
    ) -> std::result::Result<Feature, NotAFeature> {
        let obj = v.as_object().ok_or_else(|| NotAFeature {
            id: None,
            problem: FeatureProblem::NotAFeature(format!("found {}", json_kind(v))),
        })?;
        let id = obj.get("id").and_then(scalar_text);
        let properties: Map<String, Value> = match (obj.get("properties"), keep) {
            (Some(Value::Object(m)), Keep::IdsAndNames(idf, namef)) => m
                .iter()
                .filter(|(k, _)| {
                    k.as_str() == "id"
                        || NAME_FIELDS.contains(&k.as_str())
                        || idf == Some(k.as_str())
                        || namef == Some(k.as_str())
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            (Some(Value::Object(m)), Keep::All) => m.clone(),
            _ => Map::new(),
        };
        if obj.get("type").and_then(Value::as_str) != Some("Feature") {
            return Err(NotAFeature {
                id: id.or_else(|| properties.get("id").and_then(scalar_text)),
                problem: FeatureProblem::NotAFeature("its \"type\" is not \"Feature\"".into()),
            });
        }
        Ok(Feature {
            index,
            line,
            id,
            properties,
            geometry: Geometry::from_json(obj.get("geometry"), 0),
        })
    }

    /// A bare GeoJSON geometry as a feature without id or properties.
    pub fn from_geometry_json(v: &Value, index: usize, line: Option<usize>) -> Feature {
        Feature {
            index,
            line,
            id: None,
            properties: Map::new(),
            geometry: Geometry::from_json(Some(v), 0),
        }
    }

    /// A region of a layer already read (a built-in one) as a feature.
    pub fn from_region(r: &Region) -> Feature {
        let ring = |l: &LineString<f64>| Ring::Positions(Positions::from_coords(l.0.clone()));
        let rings = |p: &Polygon<f64>| -> Vec<Ring> {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(ring)
                .collect()
        };
        let geometry = match (r.geom_type, r.geom.0.as_slice()) {
            (GeomType::Polygon, [p]) => Geometry::Polygon(rings(p)),
            _ => Geometry::MultiPolygon(r.geom.0.iter().map(|p| Part::Rings(rings(p))).collect()),
        };
        Feature {
            index: r.index,
            line: None,
            id: Some(r.id.clone()),
            properties: r.props.clone(),
            geometry,
        }
    }

    /// The id for messages: the feature's own, else its `id` property.
    pub fn label_id(&self) -> Option<String> {
        self.id
            .clone()
            .or_else(|| self.properties.get("id").and_then(scalar_text))
    }

    /// Where it is, for messages.
    pub fn loc(&self) -> FeatureLoc {
        FeatureLoc {
            index: self.index,
            id: self.label_id(),
            line: self.line,
        }
    }

    /// Every position, mutably (to transform them to WGS84), with its place
    /// as `[part][ring][position]` indices for messages.
    pub fn positions_mut(&mut self) -> Vec<(String, &mut f64, &mut f64)> {
        fn rings<'a>(
            rs: &'a mut [Ring],
            at: &str,
            out: &mut Vec<(String, &'a mut f64, &'a mut f64)>,
        ) {
            for (r, ring) in rs.iter_mut().enumerate() {
                if let Ring::Positions(ps) = ring {
                    let places: Vec<usize> = ps
                        .iter()
                        .filter_map(|(k, p)| p.is_ok().then_some(k))
                        .collect();
                    for (k, c) in places.into_iter().zip(ps.coords.iter_mut()) {
                        out.push((format!("{at}[{r}][{k}]"), &mut c.x, &mut c.y));
                    }
                }
            }
        }
        fn walk<'a>(
            g: &'a mut Geometry,
            at: &str,
            out: &mut Vec<(String, &'a mut f64, &'a mut f64)>,
        ) {
            match g {
                Geometry::Polygon(rs) => rings(rs, at, out),
                Geometry::MultiPolygon(parts) => {
                    for (k, p) in parts.iter_mut().enumerate() {
                        if let Part::Rings(rs) = p {
                            rings(rs, &format!("{at}[{k}]"), out);
                        }
                    }
                }
                Geometry::Collection(ms) => {
                    for m in ms {
                        walk(m, at, out);
                    }
                }
                Geometry::NotArea { points, lines, .. } => {
                    for (k, c) in points.iter_mut().enumerate() {
                        out.push((format!("{at}[{k}]"), &mut c.x, &mut c.y));
                    }
                    for (k, l) in lines.iter_mut().enumerate() {
                        for (j, c) in l.0.iter_mut().enumerate() {
                            out.push((format!("{at}[{k}][{j}]"), &mut c.x, &mut c.y));
                        }
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&mut self.geometry, "", &mut out);
        out
    }
}

impl Geometry {
    /// The GeoJSON type name, for messages.
    pub fn type_name(&self) -> &str {
        match self {
            Geometry::Null => "null",
            Geometry::Polygon(_) => "Polygon",
            Geometry::MultiPolygon(_) => "MultiPolygon",
            Geometry::Collection(_) => "GeometryCollection",
            Geometry::NotArea { kind, .. } => kind,
            Geometry::Other(t) => t,
            Geometry::Malformed(_) => "malformed",
        }
    }

    /// A GeoJSON geometry value as written; `depth` counts the
    /// GeometryCollections around it (at most 16 are read).
    pub fn from_json(v: Option<&Value>, depth: usize) -> Geometry {
        let v = match v {
            None | Some(Value::Null) => return Geometry::Null,
            Some(v) => v,
        };
        let Some(obj) = v.as_object() else {
            return Geometry::Malformed(format!(
                "a geometry must be an object, found {}",
                json_kind(v)
            ));
        };
        let Some(ty) = obj.get("type").and_then(Value::as_str) else {
            return Geometry::Malformed("the geometry has no \"type\"".into());
        };
        let coords = obj.get("coordinates");
        let no_coords = || Geometry::Malformed(format!("{ty} without a \"coordinates\" array"));
        match ty {
            "Polygon" => match coords.and_then(Value::as_array) {
                Some(rings) => Geometry::Polygon(rings.iter().map(ring_of).collect()),
                None => no_coords(),
            },
            "MultiPolygon" => match coords.and_then(Value::as_array) {
                Some(parts) => Geometry::MultiPolygon(
                    parts
                        .iter()
                        .map(|p| match p.as_array() {
                            Some(rings) => Part::Rings(rings.iter().map(ring_of).collect()),
                            None => Part::NotArray,
                        })
                        .collect(),
                ),
                None => no_coords(),
            },
            "GeometryCollection" if depth < 16 => {
                match obj.get("geometries").and_then(Value::as_array) {
                    Some(ms) => Geometry::Collection(
                        ms.iter()
                            .map(|m| Geometry::from_json(Some(m), depth + 1))
                            .collect(),
                    ),
                    None => Geometry::Malformed(
                        "GeometryCollection without a \"geometries\" array".into(),
                    ),
                }
            }
            "GeometryCollection" => {
                Geometry::Malformed("GeometryCollections nested more than 16 deep".into())
            }
            "Point" | "MultiPoint" | "LineString" | "MultiLineString" => {
                let coords = coords.unwrap_or(&Value::Null);
                let position = |v: &Value| -> Option<Coord<f64>> {
                    let a = v.as_array()?;
                    let (x, y) = (a.first()?.as_f64()?, a.get(1)?.as_f64()?);
                    (x.is_finite() && y.is_finite()).then_some(Coord { x, y })
                };
                let positions = |v: &Value| -> Vec<Coord<f64>> {
                    v.as_array()
                        .map(|a| a.iter().filter_map(position).collect())
                        .unwrap_or_default()
                };
                let (mut points, mut lines) = (Vec::new(), Vec::new());
                match ty {
                    "Point" => points.extend(position(coords)),
                    "MultiPoint" => points = positions(coords),
                    "LineString" => lines.push(LineString(positions(coords))),
                    _ => {
                        for l in coords.as_array().into_iter().flatten() {
                            lines.push(LineString(positions(l)));
                        }
                    }
                }
                Geometry::NotArea {
                    kind: ty.to_string(),
                    points,
                    lines,
                }
            }
            other => Geometry::Other(other.to_string()),
        }
    }
}

fn ring_of(v: &Value) -> Ring {
    let Some(positions) = v.as_array() else {
        return Ring::NotArray;
    };
    let mut ps = Positions {
        coords: Vec::with_capacity(positions.len()),
        ..Positions::default()
    };
    for (index, pos) in positions.iter().enumerate() {
        let bad = |value: &Value| BadPosition {
            index,
            position: pos.to_string(),
            value: value.to_string(),
        };
        let Some(arr) = pos.as_array().filter(|a| a.len() >= 2) else {
            ps.bad.push(bad(pos));
            continue;
        };
        let num = |v: &Value| v.as_f64().filter(|x| x.is_finite());
        match (num(&arr[0]), num(&arr[1])) {
            (Some(x), Some(y)) => {
                ps.had_z |= arr.len() > 2;
                ps.coords.push(Coord { x, y });
            }
            (None, _) => ps.bad.push(bad(&arr[0])),
            (_, None) => ps.bad.push(bad(&arr[1])),
        }
    }
    Ring::Positions(ps)
}

impl OutOfRange {
    /// The hint added to a message about a coordinate out of range.
    pub fn hint(self) -> &'static str {
        match self {
            OutOfRange::Projected => {
                "; these look like projected coordinates (e.g. UTM metres): name their CRS with --src-crs (e.g. --src-crs EPSG:32638; `proj` build), or reproject to WGS84 longitude/latitude"
            }
            OutOfRange::Swapped => {
                "; longitude and latitude look swapped (GeoJSON order is longitude, latitude)"
            }
            OutOfRange::Plain => "",
        }
    }
}

/// Transform every position of `f` to WGS84 with `t` (coordinates read in
/// another CRS); the error names the feature and the position.
pub fn transform(f: &mut Feature, t: &crate::crs::Transformer, path: &str) -> Result<()> {
    let loc = f.loc();
    for (place, x, y) in f.positions_mut() {
        let mut c = [Coord { x: *x, y: *y }];
        if let Err((_, reason)) = t.convert(&mut c) {
            let failure = crate::crs::Failure {
                place,
                coord: Coord { x: *x, y: *y },
                reason,
            };
            let at = format!("{loc}, coordinates{}", failure.place);
            return Err(failure.into_error(path, &at, t));
        }
        (*x, *y) = (c[0].x, c[0].y);
    }
    Ok(())
}
