//! Streaming point readers. CSV is read in chunks of records (constant memory);
//! GeoJSON points (document or sequence) are turned into the same records:
//! columns `id`, the properties (first-seen order), `lon`, `lat`.
//!
//! CSV: a header row is required. The latitude column is the one named (any
//! case) `lat`, `latitude` or `y`; the longitude column `lon`, `lng`, `long`,
//! `longitude` or `x`; `--lat-col`/`--lon-col` name others (by name, or by
//! 1-based position). The delimiter is sniffed from the header line (the most
//! frequent of `,` `;` tab); a UTF-8 BOM is skipped; CRLF and quoted fields are
//! handled by the csv crate.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use csv::ByteRecord;
use serde_json::Value;

use crate::error::{Error, Result};

/// Names recognised as latitude columns.
pub const LAT_NAMES: [&str; 3] = ["lat", "latitude", "y"];
/// Names recognised as longitude columns.
pub const LON_NAMES: [&str; 5] = ["lon", "lng", "long", "longitude", "x"];

/// A source of point records.
pub struct PointReader {
    /// Label for messages.
    pub path: String,
    /// Column names.
    pub headers: ByteRecord,
    /// Index of the latitude column.
    pub lat_col: usize,
    /// Index of the longitude column.
    pub lon_col: usize,
    source: Source,
}

enum Source {
    Csv(csv::Reader<Box<dyn Read + Send>>),
    Records(std::vec::IntoIter<(u64, ByteRecord)>),
}

/// One record with the line it came from.
pub type Row = (u64, ByteRecord);

fn find_col(
    headers: &ByteRecord,
    wanted: Option<&str>,
    names: &[&str],
    what: &str,
    path: &str,
) -> Result<usize> {
    let header_names: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let found = match wanted {
        Some(w) => header_names
            .iter()
            .position(|h| h.eq_ignore_ascii_case(w))
            .or_else(|| {
                w.parse::<usize>()
                    .ok()
                    .filter(|&i| i >= 1 && i <= header_names.len())
                    .map(|i| i - 1)
            }),
        None => header_names
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n))),
    };
    found.ok_or_else(|| {
        Error::Input(format!(
            "{path}: no {what} column{}; the header has {:?}. Name it with --{}-col",
            wanted.map(|w| format!(" named {w:?}")).unwrap_or_default(),
            header_names,
            if what == "latitude" { "lat" } else { "lon" }
        ))
    })
}

impl PointReader {
    /// Open a CSV file or stdin (`None`).
    pub fn csv(
        path: Option<&PathBuf>,
        lat: Option<&str>,
        lon: Option<&str>,
    ) -> Result<PointReader> {
        let label = path.map_or("<stdin>".to_string(), |p| p.display().to_string());
        let rerr = |source: io::Error| Error::Read {
            path: label.clone(),
            source,
        };
        let inner: Box<dyn Read + Send> = match path {
            Some(p) => Box::new(File::open(p).map_err(rerr)?),
            None => Box::new(io::stdin()),
        };
        let mut buf = BufReader::with_capacity(1 << 20, inner);
        let head = buf.fill_buf().map_err(rerr)?;
        let bom = head.starts_with(b"\xEF\xBB\xBF");
        let first_line = {
            let h = if bom { &head[3..] } else { head };
            let end = h.iter().position(|&b| b == b'\n').unwrap_or(h.len());
            h[..end].to_vec()
        };
        if bom {
            buf.consume(3);
        }
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(Box::new(buf) as Box<dyn Read + Send>);
        let headers = reader
            .byte_headers()
            .map_err(|e| Error::Input(format!("{label}: cannot read the CSV header: {e}")))?
            .clone();
        if headers.is_empty() || headers.iter().all(|h| h.is_empty()) {
            return Err(Error::Input(format!("{label}: empty CSV (no header row)")));
        }
        let lat_col = find_col(&headers, lat, &LAT_NAMES, "latitude", &label)?;
        let lon_col = find_col(&headers, lon, &LON_NAMES, "longitude", &label)?;
        Ok(PointReader {
            path: label,
            headers,
            lat_col,
            lon_col,
            source: Source::Csv(reader),
        })
    }

    /// Read GeoJSON Point features (FeatureCollection, Feature or sequence).
    pub fn geojson(text: &str, label: &str) -> Result<PointReader> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let sequence = text.trim_start().starts_with('\u{1e}')
            || serde_json::from_str::<serde::de::IgnoredAny>(text)
                .is_err_and(|e| e.to_string().contains("trailing characters"));
        let values: Vec<(u64, Value)> = if sequence {
            let mut out = Vec::new();
            let sep = if text.contains('\u{1e}') {
                '\u{1e}'
            } else {
                '\n'
            };
            let mut line = 1u64;
            for piece in text.split(sep) {
                if !piece.trim().is_empty() {
                    let v = serde_json::from_str(piece).map_err(|e| {
                        Error::Input(format!(
                            "{label}: line {}: invalid JSON: {e}",
                            line + e.line() as u64 - 1
                        ))
                    })?;
                    out.push((line, v));
                }
                line += piece.matches('\n').count() as u64 + u64::from(sep == '\n');
            }
            out
        } else {
            let v: Value = serde_json::from_str(text).map_err(|e| {
                Error::Input(format!(
                    "{label}: invalid JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ))
            })?;
            match v.get("type").and_then(Value::as_str) {
                Some("FeatureCollection") => v["features"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| (0, f))
                    .collect(),
                _ => vec![(1, v)],
            }
        };
        let mut keys: Vec<String> = Vec::new();
        for (_, f) in &values {
            if let Some(p) = f.get("properties").and_then(Value::as_object) {
                for k in p.keys() {
                    if !keys.contains(k) && k != "lon" && k != "lat" && k != "id" {
                        keys.push(k.clone());
                    }
                }
            }
        }
        let mut headers = ByteRecord::new();
        headers.push_field(b"id");
        for k in &keys {
            headers.push_field(k.as_bytes());
        }
        headers.push_field(b"lon");
        headers.push_field(b"lat");
        let mut rows = Vec::with_capacity(values.len());
        for (i, (line, f)) in values.iter().enumerate() {
            let where_ = || {
                format!(
                    "{label}: feature {}{}",
                    i + 1,
                    if *line > 0 {
                        format!(" (line {line})")
                    } else {
                        String::new()
                    }
                )
            };
            let coords = match f.pointer("/geometry/type").and_then(Value::as_str) {
                Some("Point") => f.pointer("/geometry/coordinates").and_then(Value::as_array),
                Some(other) => {
                    return Err(Error::Input(format!(
                        "{}: geometry {other} is not a Point",
                        where_()
                    )));
                }
                None => return Err(Error::Input(format!("{}: not a Point feature", where_()))),
            };
            let c = coords.filter(|c| c.len() >= 2).ok_or_else(|| {
                Error::Input(format!("{}: Point without two coordinates", where_()))
            })?;
            let text = |v: Option<&Value>| match v {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            };
            let mut rec = ByteRecord::new();
            rec.push_field(text(f.get("id")).as_bytes());
            for k in &keys {
                rec.push_field(text(f.get("properties").and_then(|p| p.get(k))).as_bytes());
            }
            rec.push_field(text(c.first()).as_bytes());
            rec.push_field(text(c.get(1)).as_bytes());
            rows.push((if *line > 0 { *line } else { i as u64 + 1 }, rec));
        }
        let n = headers.len();
        Ok(PointReader {
            path: label.to_string(),
            headers,
            lat_col: n - 1,
            lon_col: n - 2,
            source: Source::Records(rows.into_iter()),
        })
    }

    /// Read up to `max` records into `chunk`, reusing its records' buffers
    /// (the chunk is truncated to what was read); false when the input is
    /// exhausted. Records keep their 1-based line numbers.
    pub fn read_chunk(&mut self, chunk: &mut Vec<Row>, max: usize) -> Result<bool> {
        match &mut self.source {
            Source::Csv(r) => {
                if chunk.len() < max {
                    chunk.resize_with(max, Default::default);
                }
                let mut n = 0;
                while n < max {
                    let (line, rec) = &mut chunk[n];
                    match r.read_byte_record(rec) {
                        Ok(true) => {
                            *line = rec.position().map_or(0, |p| p.line());
                            n += 1;
                        }
                        Ok(false) => {
                            chunk.truncate(n);
                            return Ok(false);
                        }
                        Err(e) => {
                            let line = e.position().map_or(0, |p| p.line());
                            return Err(Error::Input(format!("{}: line {line}: {e}", self.path)));
                        }
                    }
                }
                chunk.truncate(n);
                Ok(true)
            }
            Source::Records(it) => {
                chunk.clear();
                chunk.extend(it.by_ref().take(max));
                Ok(chunk.len() == max)
            }
        }
    }

    /// Bytes read so far (CSV only), for progress.
    pub fn byte_position(&self) -> Option<u64> {
        match &self.source {
            Source::Csv(r) => Some(r.position().byte()),
            Source::Records(_) => None,
        }
    }
}
