//! The streaming writer of located points: each input row as it came, plus
//! `<label>_id`, `<label>_name` (and `<label>_distance_km`) per region layer,
//! as CSV or as GeoJSON Point features. Rows are appended to reused byte
//! buffers by the workers of [`crate::locate::stream`] and written in input
//! order; nothing is collected.

use csv::ByteRecord;
use serde_json::{Map, Value};

use crate::locate::{Hit, Target};
use crate::model::Region;

/// Format of located points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointsFormat {
    /// The input columns plus the region columns.
    Csv,
    /// A FeatureCollection of Points with every column as a property.
    Geojson,
}

/// The header row of the CSV output: the input's columns, the region
/// columns of each target, and `out_x`, `out_y` with coordinates in an
/// output CRS.
pub fn csv_headers(input: &[String], targets: &[Target], out_xy: bool) -> Vec<String> {
    let mut headers = input.to_vec();
    for t in targets {
        headers.push(format!("{}_id", t.label));
        headers.push(format!("{}_name", t.label));
        if t.measures_distance() {
            headers.push(format!("{}_distance_km", t.label));
        }
    }
    if out_xy {
        headers.extend(["out_x".to_string(), "out_y".to_string()]);
    }
    headers
}

/// What comes before the first row: the CSV header line, or the opening of
/// the FeatureCollection.
pub fn head(format: PointsFormat, headers: &[String]) -> csv::Result<Vec<u8>> {
    match format {
        PointsFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(headers)?;
            w.into_inner().map_err(|e| e.into_error().into())
        }
        PointsFormat::Geojson => Ok(b"{\"type\":\"FeatureCollection\",\"features\":[".to_vec()),
    }
}

/// What comes after the last row.
pub fn tail(format: PointsFormat) -> &'static [u8] {
    match format {
        PointsFormat::Csv => b"",
        PointsFormat::Geojson => b"\n]}\n",
    }
}

/// Append one located row as CSV: `raw` is the input record as written
/// (comma-delimited input is copied through, quotes and all), else its
/// fields are re-quoted.
pub fn push_csv_row(
    out: &mut Vec<u8>,
    rec: &ByteRecord,
    raw: Option<&[u8]>,
    targets: &[Target],
    hits: &[Hit],
    out_xy: Option<(f64, f64)>,
) {
    match raw {
        Some(raw) => out.extend_from_slice(raw),
        None => {
            for (k, f) in rec.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                push_field(out, f);
            }
        }
    }
    for (t, h) in targets.iter().zip(hits) {
        out.push(b',');
        push_names(out, t, h, |r| &r.id);
        out.push(b',');
        push_names(out, t, h, |r| &r.name);
        if let Some(d) = h.distance_km {
            out.push(b',');
            out.extend_from_slice(d.to_string().as_bytes());
        }
    }
    if let Some((x, y)) = out_xy {
        out.extend_from_slice(format!(",{x},{y}").as_bytes());
    }
    out.push(b'\n');
}

/// Append one located row as a GeoJSON Point feature (preceded by `,\n`; the
/// writer drops the first comma). `xy` is the point as written (WGS84
/// lon/lat, or the output CRS).
pub fn push_geojson_row(
    out: &mut Vec<u8>,
    headers: &[String],
    rec: &ByteRecord,
    targets: &[Target],
    hits: &[Hit],
    xy: [f64; 2],
) -> serde_json::Result<()> {
    let mut props = Map::new();
    for (name, f) in headers.iter().zip(rec.iter()) {
        props.insert(name.clone(), String::from_utf8_lossy(f).into_owned().into());
    }
    for (t, h) in targets.iter().zip(hits) {
        let join = |f: fn(&Region) -> &str| -> Value {
            if h.regions.is_empty() {
                Value::Null
            } else {
                t.names(h, f).into()
            }
        };
        props.insert(format!("{}_id", t.label), join(|r| &r.id));
        props.insert(format!("{}_name", t.label), join(|r| &r.name));
        if let Some(d) = h.distance_km {
            props.insert(format!("{}_distance_km", t.label), d.into());
        }
    }
    let feature = serde_json::json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": xy},
        "properties": props,
    });
    out.extend_from_slice(b",\n");
    serde_json::to_writer(out, &feature)
}

/// Append one CSV field, quoted when it holds a comma, quote or line break.
pub fn push_field(buf: &mut Vec<u8>, f: &[u8]) {
    if f.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for &b in f {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(f);
    }
}

/// Append the ids or names of a hit (joined by `;`).
fn push_names(buf: &mut Vec<u8>, t: &Target, h: &Hit, f: fn(&Region) -> &str) {
    match h.regions.as_slice() {
        [] => {}
        [one] => push_field(buf, f(&t.layer.regions[*one]).as_bytes()),
        _ => push_field(buf, t.names(h, f).as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::push_field;

    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        for f in ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""] {
            let mut ours = Vec::new();
            push_field(&mut ours, f.as_bytes());
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::new());
            w.write_record([f]).unwrap();
            let theirs = w.into_inner().unwrap();
            // The csv crate quotes an empty only record; a field inside a row is bare.
            if !f.is_empty() {
                assert_eq!(ours, theirs[..theirs.len() - 1], "{f:?}");
            }
        }
    }
}
