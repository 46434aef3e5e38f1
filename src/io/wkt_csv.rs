//! CSV with a WKT geometry column (`--geometry-col`, else the first of
//! [`GEOMETRY_NAMES`]): one feature per row, its other columns as text
//! properties (as written: CSV has no types, and no number is changed).

use serde_json::{Map, Value};

use super::ReadFeature;
use super::feature::{Feature, Geometry};
use crate::error::{Error, Result};

/// Column names taken as a WKT geometry, in order (case-insensitive).
pub const GEOMETRY_NAMES: [&str; 5] = ["geometry", "wkt", "geom", "the_geom", "shape"];

/// The index of the geometry column of `headers`: `wanted` (a name or a
/// 1-based position), else the first of [`GEOMETRY_NAMES`].
pub fn geometry_column(headers: &csv::StringRecord, wanted: Option<&str>) -> Option<usize> {
    match wanted {
        Some(w) => headers.iter().position(|h| h == w).or_else(|| {
            w.parse::<usize>()
                .ok()
                .filter(|&k| k >= 1 && k <= headers.len())
                .map(|k| k - 1)
        }),
        None => GEOMETRY_NAMES.iter().find_map(|n| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(n))
        }),
    }
}

/// The delimiter of a CSV text: a tab when the header line has tabs and no
/// commas, `;` when it has semicolons and no commas, else a comma.
pub fn delimiter(text: &[u8]) -> u8 {
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let has = |c: u8| line.contains(&c);
    if has(b'\t') && !has(b',') {
        b'\t'
    } else if has(b';') && !has(b',') {
        b';'
    } else {
        b','
    }
}

/// The features of a CSV text with a WKT column. `label` names it in
/// messages; a row's feature knows its line.
pub fn features(bytes: &[u8], label: &str, wanted: Option<&str>) -> Result<Vec<ReadFeature>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .flexible(false)
        .from_reader(bytes);
    let bad = |what: String| Error::BadFile {
        path: label.to_string(),
        what,
    };
    let headers = r
        .headers()
        .map_err(|e| bad(format!("not readable as CSV: {e}")))?
        .clone();
    let Some(col) = geometry_column(&headers, wanted) else {
        return Err(bad(match wanted {
            Some(w) => format!(
                "no column {w:?} (--geometry-col); the columns are: {}",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
            None => format!(
                "a CSV without a WKT geometry column (looked for {}; name it with --geometry-col); its columns are: {}. A CSV of points in lat/lon columns is read by `locate`",
                GEOMETRY_NAMES.join(", "),
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        }));
    };
    let mut out = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::Row {
                path: label.to_string(),
                place: crate::error::RowPlace::Line(line),
                message: format!("not readable as CSV: {e}"),
            }
        })?;
        let line = rec.position().map(|p| p.line() as usize);
        let mut properties = Map::new();
        for (i, (h, v)) in headers.iter().zip(rec.iter()).enumerate() {
            if i != col {
                properties.insert(h.to_string(), Value::String(v.to_string()));
            }
        }
        let geometry = match rec.get(col) {
            Some(t) => super::wkt::geometry(t),
            None => Geometry::Null,
        };
        out.push(Ok(Feature {
            index: k + 1,
            line,
            id: None,
            properties,
            geometry,
        }));
    }
    Ok(out)
}
