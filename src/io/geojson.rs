//! GeoJSON reader: FeatureCollection, Feature or bare geometry (RFC 7946), and
//! GeoJSON text sequences (RFC 8142, RS-separated, or one feature per line).
//!
//! The reader checks every coordinate as it converts it, so that a bad value is
//! reported with the file, the feature (1-based index and id), the polygon, ring
//! and position. Features are converted in parallel (rayon); the first error in
//! source order is reported, so messages do not depend on thread timing.

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::feature::{Feature, Keep, NotAFeature, json_kind};
use super::json::{json_error, line_of, strict_json};
use crate::crs::Crs;
use crate::error::{Error, FeatureProblem, Result};
use crate::model::Layer;

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
    /// The table of a GeoPackage, or the shapefile of a zip archive, to
    /// read (`--layer`); `None`: the only one.
    pub layer: Option<String>,
    /// The WKT geometry column of a CSV (`--geometry-col`); `None`: the
    /// first of `geometry`, `wkt`, `geom`, `the_geom`, `shape`.
    pub geometry_col: Option<String>,
    /// Only the features whose bounding box meets this one (WGS84 lon/lat)
    /// are wanted (the regions of `area --by` near the layer): a FlatGeobuf
    /// file in WGS84 reads only those, through its spatial index, and
    /// [`crate::open`] leaves the others out of every layer. `None`: all.
    pub bbox: Option<geo::Rect<f64>>,
}

pub use super::feature::NAME_FIELDS;

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
    let keep = keep_for(opts);
    let (read, transformer) = if is_sequence(text, framing) {
        let t = crate::crs::for_input(path, opts.src_crs.as_ref(), None)?;
        (parse_sequence(text, path, keep)?, t)
    } else {
        let read = parse_document(text, path, keep)?;
        let t = crate::crs::for_input(path, opts.src_crs.as_ref(), read.crs.as_ref())?;
        (read, t)
    };
    let (offsets, lines) = (read.offsets, read.lines);
    let line = |i: usize| {
        lines
            .get(i)
            .copied()
            .or_else(|| offsets.get(i).map(|&off| line_of(text, off)))
    };
    let mut layer = super::layer::layer(read.features, path, opts, transformer.is_none(), line)?;
    if let Some(t) = &transformer {
        crate::crs::transform_layer(&mut layer, t)?;
        layer.src_crs = Some(t.from().clone());
    }
    Ok(layer)
}

/// Which properties a layer read with `opts` keeps.
fn keep_for(opts: &ReadOptions) -> Keep<'_> {
    if opts.lean {
        Keep::IdsAndNames(opts.id_field.as_deref(), opts.name_field.as_deref())
    } else {
        Keep::All
    }
}

/// The features of a GeoJSON text as read.
struct Read {
    /// Every feature, or why it is none.
    features: Vec<std::result::Result<Feature, NotAFeature>>,
    /// Byte offset of each member of a FeatureCollection, for the line of a
    /// message (computed for the failing one only).
    offsets: Vec<usize>,
    /// The line of each record of a sequence.
    lines: Vec<usize>,
    /// The legacy `crs` member of a document.
    crs: Option<Value>,
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

fn parse_document(text: &str, path: &str, keep: Keep<'_>) -> Result<Read> {
    if !text.trim_start().starts_with('{') {
        // Either not JSON at all, or JSON of the wrong shape.
        let v: Value = strict_json(text).map_err(|e| json_error(path, text, &e, 1))?;
        return Err(Error::BadFile {
            path: path.to_string(),
            what: format!(
                "the JSON root is {}, not a GeoJSON object (FeatureCollection, Feature or geometry)",
                json_kind(&v)
            ),
        });
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => Error::BadFile {
            path: path.to_string(),
            what: format!("not a GeoJSON object: {e}"),
        },
        _ => json_error(path, text, &e, 1),
    })?;
    let not_geojson = |what: String| Error::BadFile {
        path: path.to_string(),
        what,
    };
    let one = |f| Read {
        features: vec![f],
        offsets: Vec::new(),
        lines: Vec::new(),
        crs: probe.crs.clone(),
    };
    match probe.ty.as_deref() {
        Some("FeatureCollection") => {
            let raws = probe
                .features
                .ok_or_else(|| not_geojson("FeatureCollection has no \"features\" array".into()))?;
            let features = raws
                .par_iter()
                .enumerate()
                .map(|(i, raw)| {
                    let v: Value = strict_json(raw.get()).map_err(|e| {
                        // The feature's own line is in its location; the
                        // position inside it would mislead.
                        let mut message = e.to_string();
                        if let Some(cut) = message.rfind(" at line ") {
                            message.truncate(cut);
                        }
                        NotAFeature {
                            id: None,
                            problem: FeatureProblem::NotAFeature(message),
                        }
                    })?;
                    Feature::from_json(&v, i + 1, None, keep)
                })
                .collect();
            Ok(Read {
                features,
                offsets: raws
                    .iter()
                    .map(|raw| raw.get().as_ptr() as usize - text.as_ptr() as usize)
                    .collect(),
                lines: Vec::new(),
                crs: probe.crs,
            })
        }
        Some("Feature") => {
            let v: Value = strict_json(text).map_err(|e| json_error(path, text, &e, 1))?;
            Ok(one(Feature::from_json(&v, 1, None, keep)))
        }
        Some(
            "Polygon" | "MultiPolygon" | "GeometryCollection" | "Point" | "MultiPoint"
            | "LineString" | "MultiLineString",
        ) => {
            let v: Value = strict_json(text).map_err(|e| json_error(path, text, &e, 1))?;
            Ok(one(Ok(Feature::from_geometry_json(&v, 1, None))))
        }
        Some(other) => Err(not_geojson(format!("unknown GeoJSON type {other:?}"))),
        None => Err(not_geojson(
            "the root object has no \"type\"; expected a FeatureCollection, Feature or geometry"
                .into(),
        )),
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

fn parse_sequence(text: &str, path: &str, keep: Keep<'_>) -> Result<Read> {
    let recs = records(text);
    let features: Vec<Result<std::result::Result<Feature, NotAFeature>>> = recs
        .par_iter()
        .enumerate()
        .map(|(i, (line, rec))| {
            let v: Value = strict_json(rec).map_err(|e| {
                let mut err = json_error(path, rec, &e, *line);
                if let Error::Json { feature, .. } = &mut err {
                    *feature = format!(" (in feature {})", i + 1);
                }
                err
            })?;
            Ok(match v.get("type").and_then(Value::as_str) {
                Some("Feature") => Feature::from_json(&v, i + 1, Some(*line), keep),
                _ => Ok(Feature::from_geometry_json(&v, i + 1, Some(*line))),
            })
        })
        .collect();
    let mut ok = Vec::with_capacity(features.len());
    for f in features {
        ok.push(f?);
    }
    Ok(Read {
        features: ok,
        offsets: Vec::new(),
        lines: recs.iter().map(|(line, _)| *line).collect(),
        crs: None,
    })
}

/// The features of a GeoJSON text as read, for tools that inspect rather
/// than measure (`validate`, GeoJSON points in `locate`): a bare geometry
/// becomes a feature without id or properties; JSON syntax errors are
/// reported as by [`parse_layer`], anything else is left to the caller.
/// Coordinates in a CRS other than WGS84 (`src_crs`, else a legacy `crs`
/// member) are transformed to WGS84 (feature `proj`).
pub fn features(
    text: &str,
    path: &str,
    framing: Framing,
    src_crs: Option<&Crs>,
) -> Result<Vec<std::result::Result<Feature, NotAFeature>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let read = if is_sequence(text, framing) {
        parse_sequence(text, path, Keep::All)?
    } else {
        parse_document(text, path, Keep::All)?
    };
    if read.features.iter().any(Result::is_err) {
        // A member that is no JSON object of its own (a duplicate key): the
        // whole text says where, as when it is read for a layer.
        if let Err(e) = strict_json(text) {
            return Err(json_error(path, text, &e, 1));
        }
    }
    let mut features = read.features;
    if let Some(t) = crate::crs::for_input(path, src_crs, read.crs.as_ref())? {
        features
            .par_iter_mut()
            .filter_map(|f| f.as_mut().ok())
            .try_for_each(|f| super::feature::transform(f, &t, path))?;
    }
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_their_line_numbers() {
        let text = "{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}";
        let r: Vec<usize> = records(text).iter().map(|(l, _)| *l).collect();
        assert_eq!(r, vec![1, 3, 4]);
        let rs = "\u{1e}{\"a\":1}\n\u{1e}{\n\"b\":2}\n";
        let r: Vec<usize> = records(rs).iter().map(|(l, _)| *l).collect();
        assert_eq!(r, vec![1, 2]);
    }
}
