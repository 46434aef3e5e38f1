//! GeoJSON reader: FeatureCollection, Feature or bare geometry (RFC 7946), and
//! GeoJSON text sequences (RFC 8142, RS-separated, or one feature per line).
//!
//! The reader checks every coordinate as it converts it, so that a bad value is
//! reported with the file, the feature (1-based index and id), the polygon, ring
//! and position. Features are converted in parallel (rayon); the first error in
//! source order is reported, so messages do not depend on thread timing.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::crs::Crs;
use crate::error::{Error, FeatureLoc, FeatureProblem, GeometryError, Result};
use crate::model::{GeomType, IdSource, Layer, Region, Skipped};

/// How to pick ids and names (`--id-field`, `--name-field`).
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Property holding the id; default: feature `id`, else property `id`, else index.
    pub id_field: Option<String>,
    /// Property holding the name; default: the first of [`NAME_FIELDS`] present.
    pub name_field: Option<String>,
    /// Keep only the properties that ids and names can come from (saves memory
    /// when the rest is not needed, as in `locate`).
    pub lean: bool,
    /// The CRS of the coordinates (`--src-crs`); `None`: the file's legacy
    /// `crs` member, else WGS84. Coordinates in another CRS are transformed
    /// to WGS84 after reading (feature `proj`).
    pub src_crs: Option<Crs>,
}

/// Properties tried, in order, for a feature's name.
pub const NAME_FIELDS: [&str; 4] = ["name", "NAME", "name_en", "Name"];

/// Whether a text is one GeoJSON document or a sequence of features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One JSON document.
    Document,
    /// RFC 8142 (RS-separated) or newline-delimited features.
    Sequence,
    /// Decide from the text: a leading RS, or more than one JSON value, is a sequence.
    Sniff,
}

/// A feature converted, before ids and names are resolved across the layer.
struct Parsed {
    /// Set for a feature that is not an area (see [`Skipped`]).
    skipped: Option<Skipped>,
    feature_id: Option<String>,
    props: Map<String, Value>,
    geom: MultiPolygon<f64>,
    geom_type: GeomType,
    vertices: usize,
    had_z: bool,
}

/// A feature that failed, with what is known of where it is.
struct Failed {
    id: Option<String>,
    problem: FeatureProblem,
}

#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(rename = "type")]
    ty: Option<String>,
    #[serde(borrow)]
    features: Option<Vec<&'a RawValue>>,
    crs: Option<Value>,
}

/// Parse GeoJSON `text` read from `path` (used in messages) into a layer.
pub fn parse_layer(text: &str, path: &str, framing: Framing, opts: &ReadOptions) -> Result<Layer> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (parsed, transformer) = if is_sequence(text, framing) {
        let t = crate::crs::for_input(path, opts.src_crs.as_ref(), None)?;
        (parse_sequence(text, path, opts, t.is_none())?, t)
    } else {
        parse_document(text, path, opts)?
    };
    let mut layer = resolve(parsed, path, opts)?;
    if let Some(t) = &transformer {
        crate::crs::transform_layer(&mut layer, t)?;
        layer.src_crs = Some(t.from().clone());
    }
    Ok(layer)
}

/// Whether `text` (BOM already stripped) is to be read as a sequence: so
/// framed, or sniffed from a leading RS or more than one JSON value.
fn is_sequence(text: &str, framing: Framing) -> bool {
    match framing {
        Framing::Sequence => true,
        Framing::Document => false,
        Framing::Sniff => text.trim_start().starts_with('\u{1e}') || has_trailing_values(text),
    }
}

/// True when the text holds a valid first JSON value followed by more values.
fn has_trailing_values(text: &str) -> bool {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    matches!(stream.next(), Some(Ok(_))) && matches!(stream.next(), Some(Ok(_)))
}

/// Parse one JSON value like `serde_json::from_str`, but refuse an object
/// that names a key twice (RFC 8259 leaves its meaning open; serde_json would
/// keep the last silently, so a Point could hide a Polygon): the error, with
/// its line and column, names the key.
pub fn strict_json(text: &str) -> serde_json::Result<Value> {
    use serde::Deserialize;
    let mut de = serde_json::Deserializer::from_str(text);
    let v = Strict::deserialize(&mut de)?;
    de.end()?;
    Ok(v.0)
}

/// A JSON value built without accepting duplicate keys (see [`strict_json`]).
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key {key:?} in one object (which value is meant is ambiguous: remove one)"
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

fn json_error(path: &str, text: &str, e: &serde_json::Error, line_base: usize) -> Error {
    let feature = byte_offset(text, e.line(), e.column())
        .and_then(|off| feature_at(text, off))
        .map(|i| format!(" (in feature {i})"))
        .unwrap_or_default();
    let mut message = e.to_string();
    // serde_json appends " at line L column C"; we give the position ourselves.
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    if message.starts_with("expected value") && looks_like_nan(text, e) {
        message.push_str(" (NaN and Infinity are not numbers in JSON)");
    }
    Error::Json {
        path: path.to_string(),
        line: line_base + e.line().max(1) - 1,
        column: e.column(),
        feature,
        message,
    }
}

fn looks_like_nan(text: &str, e: &serde_json::Error) -> bool {
    byte_offset(text, e.line(), e.column())
        .map(|off| {
            let rest = &text[off.saturating_sub(1).min(text.len())..];
            let rest = rest.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
            rest.starts_with("NaN") || rest.starts_with("Infinity") || rest.starts_with("nan")
        })
        .unwrap_or(false)
}

/// Byte offset of a 1-based (line, column) position reported by serde_json.
fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let off = start + column.saturating_sub(1);
    (off <= text.len()).then_some(off)
}

/// 1-based line number of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The 1-based index of the member of the top-level `features` array that
/// contains byte `offset`, found by a scan that tolerates broken JSON.
fn feature_at(text: &str, offset: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let mut str_start = 0;
    let mut last_str: Option<(usize, usize)> = None;
    let mut array_depth: Option<usize> = None;
    let mut count = 0;
    for (i, &c) in b.iter().enumerate().take(offset.min(b.len())) {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
                if depth == 1 {
                    last_str = Some((str_start, i));
                }
            }
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                str_start = i + 1;
            }
            b'[' if depth == 1
                && array_depth.is_none()
                && last_str.is_some_and(|(s, e)| &b[s..e] == b"features") =>
            {
                depth += 1;
                array_depth = Some(depth);
            }
            b'{' | b'[' => {
                if Some(depth) == array_depth && c == b'{' {
                    count += 1;
                }
                depth += 1;
            }
            b'}' | b']' => {
                if Some(depth) == array_depth {
                    return None; // the features array closed before the offset
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    (array_depth.is_some() && count > 0).then_some(count)
}

/// Parsed features and, when the document is not in WGS84, the transformer to it.
type Document = (Vec<(FeatureLoc, Parsed)>, Option<crate::crs::Transformer>);

fn parse_document(text: &str, path: &str, opts: &ReadOptions) -> Result<Document> {
    if !text.trim_start().starts_with('{') {
        // Either not JSON at all, or JSON of the wrong shape.
        let v: Value = strict_json(text).map_err(|e| json_error(path, text, &e, 1))?;
        return Err(Error::NotGeoJson {
            path: path.to_string(),
            what: format!(
                "the JSON root is {}, not a GeoJSON object (FeatureCollection, Feature or geometry)",
                json_kind(&v)
            ),
        });
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => Error::NotGeoJson {
            path: path.to_string(),
            what: format!("not a GeoJSON object: {e}"),
        },
        _ => json_error(path, text, &e, 1),
    })?;
    let transformer = crate::crs::for_input(path, opts.src_crs.as_ref(), probe.crs.as_ref())?;
    let lonlat = transformer.is_none();
    let not_geojson = |what: String| Error::NotGeoJson {
        path: path.to_string(),
        what,
    };
    let parsed = match probe.ty.as_deref() {
        Some("FeatureCollection") => {
            let raws = probe
                .features
                .ok_or_else(|| not_geojson("FeatureCollection has no \"features\" array".into()))?;
            let results: Vec<_> = raws
                .par_iter()
                .map(|raw| {
                    let v: Value = strict_json(raw.get()).map_err(|e| {
                        // The feature's own line is in its location; the
                        // position inside it would mislead.
                        let mut message = e.to_string();
                        if let Some(cut) = message.rfind(" at line ") {
                            message.truncate(cut);
                        }
                        Failed {
                            id: None,
                            problem: FeatureProblem::NotAFeature(message),
                        }
                    })?;
                    convert_feature(&v, opts, lonlat)
                })
                .collect();
            collect_in_order(results, path, |i| {
                let off = raws[i].get().as_ptr() as usize - text.as_ptr() as usize;
                Some(line_of(text, off))
            })
        }
        Some("Feature") => {
            let v: Value = strict_json(text).map_err(|e| json_error(path, text, &e, 1))?;
            collect_in_order(vec![convert_feature(&v, opts, lonlat)], path, |_| None)
        }
        Some(
            "Polygon" | "MultiPolygon" | "GeometryCollection" | "Point" | "MultiPoint"
            | "LineString" | "MultiLineString",
        ) => {
            let v: Value = strict_json(text).map_err(|e| json_error(path, text, &e, 1))?;
            let result = bare_geometry(&v, lonlat);
            collect_in_order(vec![result], path, |_| None)
        }
        Some(other) => Err(not_geojson(format!("unknown GeoJSON type {other:?}"))),
        None => Err(not_geojson(
            "the root object has no \"type\"; expected a FeatureCollection, Feature or geometry"
                .into(),
        )),
    }?;
    Ok((parsed, transformer))
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Split a sequence into records with their 1-based starting line.
fn records(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let sep = if text.contains('\u{1e}') {
        '\u{1e}'
    } else {
        '\n'
    };
    let mut line = 1;
    for piece in text.split(sep) {
        let lead = piece.len() - piece.trim_start().len();
        if !piece.trim().is_empty() {
            out.push((line + piece[..lead].matches('\n').count(), piece));
        }
        line += piece.matches('\n').count() + usize::from(sep == '\n');
    }
    out
}

fn parse_sequence(
    text: &str,
    path: &str,
    opts: &ReadOptions,
    lonlat: bool,
) -> Result<Vec<(FeatureLoc, Parsed)>> {
    let recs = records(text);
    let results: Vec<Result<std::result::Result<Parsed, Failed>>> = recs
        .par_iter()
        .map(|(line, rec)| {
            let v: Value = strict_json(rec).map_err(|e| {
                let mut err = json_error(path, rec, &e, *line);
                if let Error::Json { feature, .. } = &mut err {
                    *feature = format!(
                        " (in feature {})",
                        1 + recs.partition_point(|(l, _)| l < line)
                    );
                }
                err
            })?;
            Ok(match v.get("type").and_then(Value::as_str) {
                Some("Feature") => convert_feature(&v, opts, lonlat),
                _ => bare_geometry(&v, lonlat),
            })
        })
        .collect();
    let mut ok = Vec::with_capacity(results.len());
    for r in results {
        ok.push(r?);
    }
    collect_in_order(ok, path, |i| Some(recs[i].0))
}

fn collect_in_order(
    results: Vec<std::result::Result<Parsed, Failed>>,
    path: &str,
    line: impl Fn(usize) -> Option<usize>,
) -> Result<Vec<(FeatureLoc, Parsed)>> {
    let mut out = Vec::with_capacity(results.len());
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(p) => out.push((
                FeatureLoc {
                    index: i + 1,
                    ..FeatureLoc::default()
                },
                p,
            )),
            // The line is computed only for the failing feature: it costs a scan.
            Err(f) => {
                let loc = FeatureLoc {
                    index: i + 1,
                    id: f.id,
                    line: line(i),
                };
                return Err(Error::feature(path, loc, f.problem));
            }
        }
    }
    Ok(out)
}

/// A value usable as an id or name: strings as they are, numbers in JSON form.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Convert one feature; `lonlat`: coordinates must be WGS84 longitude/latitude
/// (false when they are in another CRS, to be transformed after reading).
fn convert_feature(
    v: &Value,
    opts: &ReadOptions,
    lonlat: bool,
) -> std::result::Result<Parsed, Failed> {
    let obj = v.as_object().ok_or_else(|| Failed {
        id: None,
        problem: FeatureProblem::NotAFeature(format!("found {}", json_kind(v))),
    })?;
    let feature_id = obj.get("id").and_then(scalar_text);
    let props = match obj.get("properties") {
        Some(Value::Object(m)) if opts.lean => m
            .iter()
            .filter(|(k, _)| {
                k.as_str() == "id"
                    || NAME_FIELDS.contains(&k.as_str())
                    || opts.id_field.as_deref() == Some(k.as_str())
                    || opts.name_field.as_deref() == Some(k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let id_for_msg = feature_id
        .clone()
        .or_else(|| props.get("id").and_then(scalar_text));
    if obj.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(Failed {
            id: id_for_msg,
            problem: FeatureProblem::NotAFeature("its \"type\" is not \"Feature\"".into()),
        });
    }
    if let Some(skipped) = not_an_area(obj.get("geometry"), &props) {
        return Ok(Parsed {
            skipped: Some(Skipped {
                id: id_for_msg,
                ..skipped
            }),
            feature_id,
            props,
            geom: MultiPolygon(Vec::new()),
            geom_type: GeomType::Polygon,
            vertices: 0,
            had_z: false,
        });
    }
    let g = convert_geometry(obj.get("geometry"), lonlat).map_err(|p| Failed {
        id: id_for_msg,
        problem: p.into(),
    })?;
    Ok(Parsed {
        skipped: None,
        feature_id,
        props,
        geom: g.geom,
        geom_type: g.geom_type,
        vertices: g.vertices,
        had_z: g.had_z,
    })
}

/// A bare geometry as a feature without id or properties.
fn bare_geometry(v: &Value, lonlat: bool) -> std::result::Result<Parsed, Failed> {
    let g = convert_geometry(Some(v), lonlat).map_err(|p| Failed {
        id: None,
        problem: p.into(),
    })?;
    Ok(Parsed {
        skipped: None,
        feature_id: None,
        props: Map::new(),
        geom: g.geom,
        geom_type: g.geom_type,
        vertices: g.vertices,
        had_z: g.had_z,
    })
}

/// A feature whose geometry is a Point, MultiPoint, LineString or
/// MultiLineString: not an area, so left out of the layer (with a warning)
/// rather than refused (issue #13 item 7); its positions are kept for
/// `render` (unreadable ones are simply not drawn).
fn not_an_area(geometry: Option<&Value>, props: &Map<String, Value>) -> Option<Skipped> {
    let g = geometry?.as_object()?;
    let ty = g.get("type")?.as_str()?;
    if !matches!(
        ty,
        "Point" | "MultiPoint" | "LineString" | "MultiLineString"
    ) {
        return None;
    }
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
    let coords = g.get("coordinates").unwrap_or(&Value::Null);
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
    Some(Skipped {
        index: 0,
        id: None,
        name: NAME_FIELDS
            .iter()
            .find_map(|f| props.get(*f).and_then(scalar_text))
            .unwrap_or_default(),
        geom_type: ty.to_string(),
        points,
        lines,
    })
}

struct Geom {
    geom: MultiPolygon<f64>,
    geom_type: GeomType,
    vertices: usize,
    had_z: bool,
    /// Check that coordinates are WGS84 longitude/latitude.
    lonlat: bool,
}

fn malformed(what: impl Into<String>) -> GeometryError {
    GeometryError::Malformed { what: what.into() }
}

fn convert_geometry(v: Option<&Value>, lonlat: bool) -> std::result::Result<Geom, GeometryError> {
    let v = match v {
        None | Some(Value::Null) => return Err(GeometryError::Null),
        Some(v) => v,
    };
    let mut g = Geom {
        geom: MultiPolygon(Vec::new()),
        geom_type: GeomType::Polygon,
        vertices: 0,
        had_z: false,
        lonlat,
    };
    g.geom_type = add_geometry(v, &mut g, 0)?;
    Ok(g)
}

fn add_geometry(
    v: &Value,
    g: &mut Geom,
    depth: usize,
) -> std::result::Result<GeomType, GeometryError> {
    let obj = v.as_object().ok_or_else(|| {
        malformed(format!(
            "a geometry must be an object, found {}",
            json_kind(v)
        ))
    })?;
    let ty = obj
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("the geometry has no \"type\""))?;
    let coords = || {
        obj.get("coordinates")
            .and_then(Value::as_array)
            .ok_or_else(|| malformed(format!("{ty} without a \"coordinates\" array")))
    };
    match ty {
        "Polygon" => {
            add_polygon(coords()?, g)?;
            Ok(GeomType::Polygon)
        }
        "MultiPolygon" => {
            for (k, p) in coords()?.iter().enumerate() {
                let rings = p.as_array().ok_or_else(|| {
                    malformed(format!(
                        "member {} of the MultiPolygon is not an array",
                        k + 1
                    ))
                })?;
                add_polygon(rings, g)?;
            }
            Ok(GeomType::MultiPolygon)
        }
        "GeometryCollection" if depth < 16 => {
            let members = obj
                .get("geometries")
                .and_then(Value::as_array)
                .ok_or_else(|| malformed("GeometryCollection without a \"geometries\" array"))?;
            for m in members {
                add_geometry(m, g, depth + 1)?;
            }
            Ok(GeomType::GeometryCollection)
        }
        "GeometryCollection" => Err(malformed("GeometryCollections nested more than 16 deep")),
        other => Err(GeometryError::NotPolygon {
            found: other.to_string(),
        }),
    }
}

fn add_polygon(rings: &[Value], g: &mut Geom) -> std::result::Result<(), GeometryError> {
    let polygon = g.geom.0.len() + 1;
    let mut out: Vec<LineString<f64>> = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        let ring_no = r + 1;
        let positions = ring.as_array().ok_or_else(|| {
            malformed(format!(
                "polygon {polygon}, ring {ring_no} is not an array of positions"
            ))
        })?;
        if positions.len() < 4 {
            return Err(GeometryError::TooFewPositions {
                polygon,
                ring: ring_no,
                count: positions.len(),
            });
        }
        let mut coords = Vec::with_capacity(positions.len());
        for (k, pos) in positions.iter().enumerate() {
            let position = k + 1;
            let arr = pos.as_array().filter(|a| a.len() >= 2).ok_or_else(|| {
                GeometryError::BadCoordinate {
                    polygon,
                    ring: ring_no,
                    position,
                    value: pos.to_string(),
                }
            })?;
            let num = |v: &Value| {
                v.as_f64()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| GeometryError::BadCoordinate {
                        polygon,
                        ring: ring_no,
                        position,
                        value: v.to_string(),
                    })
            };
            let (x, y) = (num(&arr[0])?, num(&arr[1])?);
            if arr.len() > 2 {
                g.had_z = true;
            }
            if g.lonlat && (!(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y)) {
                return Err(GeometryError::OutOfRange {
                    polygon,
                    ring: ring_no,
                    position,
                    lon: x,
                    lat: y,
                    hint: out_of_range_hint(x, y),
                });
            }
            coords.push(geo::Coord { x, y });
        }
        g.vertices += coords.len();
        out.push(LineString(coords));
    }
    if out.is_empty() {
        return Ok(()); // an empty Polygon (coordinates: []) adds no area
    }
    let exterior = out.remove(0);
    g.geom.0.push(Polygon::new(exterior, out));
    Ok(())
}

/// Guess why a coordinate is out of range.
fn out_of_range_hint(x: f64, y: f64) -> &'static str {
    if x.abs() > 360.0 || y.abs() > 360.0 {
        "; these look like projected coordinates (e.g. UTM metres): name their CRS with --src-crs (e.g. --src-crs EPSG:32638; `proj` build), or reproject to WGS84 longitude/latitude"
    } else if y.abs() > 90.0 && y.abs() <= 180.0 && x.abs() <= 90.0 {
        "; longitude and latitude look swapped (GeoJSON order is longitude, latitude)"
    } else {
        ""
    }
}

/// Choose ids and names for the whole layer and build the regions.
fn resolve(parsed: Vec<(FeatureLoc, Parsed)>, path: &str, opts: &ReadOptions) -> Result<Layer> {
    let (others, parsed): (Vec<_>, Vec<_>) =
        parsed.into_iter().partition(|(_, p)| p.skipped.is_some());
    let skipped: Vec<Skipped> = others
        .into_iter()
        .filter_map(|(loc, p)| {
            p.skipped.map(|s| Skipped {
                index: loc.index,
                ..s
            })
        })
        .collect();
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
    for (loc, p) in parsed {
        let id = match &id_source {
            IdSource::Field(f) => p.props.get(f).and_then(scalar_text).ok_or_else(|| {
                let loc = FeatureLoc {
                    id: p.feature_id.clone(),
                    ..loc.clone()
                };
                Error::feature(
                    path,
                    loc,
                    FeatureProblem::MissingIdField { field: f.clone() },
                )
            })?,
            IdSource::FeatureId => p.feature_id.clone().unwrap_or_default(),
            IdSource::IdProperty => p.props.get("id").and_then(scalar_text).unwrap_or_default(),
            IdSource::Index => loc.index.to_string(),
        };
        let name = name_field
            .as_ref()
            .and_then(|f| p.props.get(f))
            .and_then(scalar_text)
            .unwrap_or_default();
        ignored_z |= p.had_z;
        regions.push(Region {
            index: loc.index,
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

/// Convert features given as JSON values (KML Placemarks) into a layer, with
/// the same checks and located messages as a GeoJSON file; coordinates must be
/// WGS84 longitude/latitude.
pub fn layer_from_values(values: Vec<RawFeature>, path: &str, opts: &ReadOptions) -> Result<Layer> {
    let results: Vec<_> = values
        .par_iter()
        .map(|(_, _, v)| convert_feature(v, opts, true))
        .collect();
    let parsed = collect_in_order(results, path, |i| values[i].1)?;
    resolve(parsed, path, opts)
}

/// A feature as raw JSON: (1-based index, starting line when known, value).
pub type RawFeature = (usize, Option<usize>, Value);

/// The features of a GeoJSON text as raw JSON values, for tools that inspect
/// rather than convert (`validate`, GeoJSON points in `locate`): `(1-based
/// index, starting line, feature)`. A bare geometry becomes a feature without id
/// or properties. JSON syntax errors are reported as by [`parse_layer`].
/// Coordinates in a CRS other than WGS84 (`src_crs`, else a legacy `crs`
/// member) are transformed to WGS84 in the values (feature `proj`).
pub fn feature_values(
    text: &str,
    path: &str,
    framing: Framing,
    src_crs: Option<&Crs>,
) -> Result<Vec<RawFeature>> {
    let (mut values, declared) = raw_values(text, path, framing)?;
    if let Some(t) = crate::crs::for_input(path, src_crs, declared.as_ref())? {
        values.par_iter_mut().try_for_each(|(index, line, v)| {
            let place = FeatureLoc {
                index: *index,
                id: v.get("id").and_then(scalar_text),
                line: *line,
            };
            match v.get_mut("geometry") {
                Some(g) => transform_positions(g, &t, &mut Vec::new()).map_err(|f| {
                    let at = format!("{place}, coordinates{}", f.place);
                    f.into_error(path, &at, &t)
                }),
                None => Ok(()),
            }
        })?;
    }
    Ok(values)
}

/// Transform every position (an array starting with two numbers) under a
/// geometry's `coordinates` (and a GeometryCollection's members) in place.
/// `at` is the index path so far, for the message (`[0][3]`).
fn transform_positions(
    g: &mut Value,
    t: &crate::crs::Transformer,
    at: &mut Vec<usize>,
) -> std::result::Result<(), crate::crs::Failure> {
    if let Some(Value::Array(members)) = g.get_mut("geometries") {
        for m in members {
            transform_positions(m, t, at)?;
        }
        return Ok(());
    }
    fn walk(
        v: &mut Value,
        t: &crate::crs::Transformer,
        at: &mut Vec<usize>,
    ) -> std::result::Result<(), crate::crs::Failure> {
        let Value::Array(items) = v else {
            return Ok(());
        };
        if let [x, y, ..] = items.as_slice()
            && let (Some(x), Some(y)) = (x.as_f64(), y.as_f64())
        {
            let mut c = [geo::Coord { x, y }];
            return match t.convert(&mut c) {
                Ok(()) => {
                    items[0] = Value::from(c[0].x);
                    items[1] = Value::from(c[0].y);
                    Ok(())
                }
                Err((_, reason)) => Err(crate::crs::Failure {
                    place: at.iter().map(|i| format!("[{i}]")).collect(),
                    coord: geo::Coord { x, y },
                    reason,
                }),
            };
        }
        for (i, item) in items.iter_mut().enumerate() {
            at.push(i);
            walk(item, t, at)?;
            at.pop();
        }
        Ok(())
    }
    match g.get_mut("coordinates") {
        Some(c) => walk(c, t, at),
        None => Ok(()),
    }
}

/// The raw features and the document's `crs` member, if any.
fn raw_values(
    text: &str,
    path: &str,
    framing: Framing,
) -> Result<(Vec<RawFeature>, Option<Value>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let sequence = is_sequence(text, framing);
    let wrap = |v: Value| -> Value {
        match v.get("type").and_then(Value::as_str) {
            Some("Feature") => v,
            _ => serde_json::json!({"type": "Feature", "properties": {}, "geometry": v}),
        }
    };
    if sequence {
        let recs = records(text);
        let mut out = Vec::with_capacity(recs.len());
        for (i, (line, rec)) in recs.iter().enumerate() {
            let v: Value = strict_json(rec).map_err(|e| json_error(path, rec, &e, *line))?;
            out.push((i + 1, Some(*line), wrap(v)));
        }
        return Ok((out, None));
    }
    let mut v: Value = strict_json(text).map_err(|e| json_error(path, text, &e, 1))?;
    let crs = v.as_object_mut().and_then(|o| o.remove("crs"));
    let features = match v.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match v.get_mut("features") {
            Some(Value::Array(fs)) => std::mem::take(fs)
                .into_iter()
                .enumerate()
                .map(|(i, f)| (i + 1, None, f))
                .collect(),
            _ => {
                return Err(Error::NotGeoJson {
                    path: path.to_string(),
                    what: "FeatureCollection has no \"features\" array".into(),
                });
            }
        },
        Some(_) => vec![(1, None, wrap(v))],
        None => {
            return Err(Error::NotGeoJson {
                path: path.to_string(),
                what: format!(
                    "the JSON root is {}, not a GeoJSON object (FeatureCollection, Feature or geometry)",
                    json_kind(&v)
                ),
            });
        }
    };
    Ok((features, crs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_at_finds_the_member_holding_an_offset() {
        let text =
            r#"{"type":"FeatureCollection","features":[{"a":[1,2]},{"b":{"c":[3]}},{"d":NaN}]}"#;
        let off = text.find("NaN").unwrap();
        assert_eq!(feature_at(text, off), Some(3));
        let off = text.find("\"c\"").unwrap();
        assert_eq!(feature_at(text, off), Some(2));
        assert_eq!(feature_at(text, 5), None);
    }

    #[test]
    fn records_keep_their_line_numbers() {
        let text = "{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}";
        let r: Vec<usize> = records(text).iter().map(|(l, _)| *l).collect();
        assert_eq!(r, vec![1, 3, 4]);
        let rs = "\u{1e}{\"a\":1}\n\u{1e}{\n\"b\":2}\n";
        let r: Vec<usize> = records(rs).iter().map(|(l, _)| *l).collect();
        assert_eq!(r, vec![1, 2]);
    }

    #[test]
    fn swapped_axes_and_projected_coordinates_get_hints() {
        assert!(out_of_range_hint(40.2, 44.5).is_empty());
        assert!(out_of_range_hint(40.2, 144.5).contains("swapped"));
        assert!(out_of_range_hint(458_000.0, 4_448_000.0).contains("projected"));
    }
}
