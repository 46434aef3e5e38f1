//! The streaming writer of located points ([`stream`]): each input row as it
//! came, plus `<label>_id`, `<label>_name` (and `<label>_distance_km`) per
//! region layer, as CSV or as GeoJSON Point features. Rows are appended to
//! reused byte buffers by the workers and written in input order; nothing is
//! collected.

use std::io::Write;

use csv::ByteRecord;
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::crs::Transformer;
use crate::error::{Error, Result};
use crate::io::points::{self, Block, Piece, PieceReader, PointReader};
use crate::locate::{Hit, Hits, Target};
use crate::model::Region;

/// Format of located points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointsFormat {
    /// The input columns plus the region columns.
    Csv,
    /// A FeatureCollection of Points with every column as a property.
    Geojson,
    /// Point features in a binary format (GeoPackage, FlatGeobuf,
    /// GeoParquet), every column a field (text; distances real).
    Features(super::binary::FeatureFormat),
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
        PointsFormat::Features(_) => Ok(Vec::new()),
    }
}

/// What comes after the last row.
pub fn tail(format: PointsFormat) -> &'static [u8] {
    match format {
        PointsFormat::Csv => b"",
        PointsFormat::Geojson => b"\n]}\n",
        PointsFormat::Features(_) => b"",
    }
}

/// Append one located row as CSV: `raw` is the input record as written
/// (comma-delimited input is copied through, quotes and all), else its
/// fields are re-quoted; `lonlat`, a typed row's point (GeoParquet), is
/// written after them as its last two fields.
pub fn push_csv_row(
    out: &mut Vec<u8>,
    rec: &ByteRecord,
    lonlat: Option<(f64, f64)>,
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
    if let Some((lon, lat)) = lonlat {
        let mut fb = zmij::Buffer::new();
        if !rec.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(fb.format(lon).as_bytes());
        out.push(b',');
        out.extend_from_slice(fb.format(lat).as_bytes());
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

/// The report of one point looked up in `targets` (`hits` in their order):
/// readable lines; JSON with a row per layer; as CSV and GeoJSON the point
/// as one row of the many-points output (the same columns).
pub fn one_point(targets: &[Target], hits: &[Hit], lat: f64, lon: f64) -> super::Document<'static> {
    use super::{Cell, Column, Document, JsonLayout, Row, RowFeature, Rows, Shape};
    let names = |t: &Target, h: &Hit, f: fn(&crate::model::Region) -> &str| {
        if h.regions.is_empty() {
            Cell::Null
        } else {
            t.names(h, f).into()
        }
    };
    // Readable lines.
    let mut lines = vec![format!("point: latitude {lat}, longitude {lon} (WGS84)")];
    for (t, h) in targets.iter().zip(hits) {
        let what = if h.regions.is_empty() {
            "none".to_string()
        } else {
            format!("{} {}", t.names(h, |r| &r.id), t.names(h, |r| &r.name))
        };
        let dist = h.distance_km.map_or(String::new(), |d| {
            let to = if h.regions.is_empty() {
                "nearest region's boundary"
            } else {
                "boundary"
            };
            format!(" ({d:.3} km to the {to})")
        });
        lines.push(format!("{}: {what}{dist}   [{}]", t.label, t.layer.source));
    }
    // JSON: the point, and a row per layer.
    let mut layers = Rows::new(
        ["label", "layer", "source", "id", "name", "distance_km"]
            .map(Column::new)
            .to_vec(),
    );
    // CSV and GeoJSON: the point as one row of the many-points output.
    let mut columns = vec![Column::new("lat"), Column::new("lon")];
    let mut cells = vec![Cell::num(lat, 6), Cell::num(lon, 6)];
    for (t, h) in targets.iter().zip(hits) {
        layers.push(vec![
            t.label.as_str().into(),
            t.layer.name.as_str().into(),
            t.layer.source.as_str().into(),
            names(t, h, |r| &r.id),
            names(t, h, |r| &r.name),
            h.distance_km.map_or(Cell::Absent, |d| Cell::num(d, 3)),
        ]);
        columns.push(Column::new(format!("{}_id", t.label)));
        columns.push(Column::new(format!("{}_name", t.label)));
        cells.push(names(t, h, |r| &r.id));
        cells.push(names(t, h, |r| &r.name));
        if let Some(d) = h.distance_km {
            columns.push(Column::new(format!("{}_distance_km", t.label)));
            cells.push(Cell::num(d, 3));
        }
    }
    let point = Rows {
        columns,
        rows: vec![Row {
            feature: Some(RowFeature {
                id: None,
                properties: Default::default(),
                shape: Shape::Point([lon, lat]),
            }),
            ..Row::new(cells)
        }],
    };
    Document {
        preamble: lines,
        json: JsonLayout::new("layers")
            .before("lat", lat)
            .before("lon", lon),
        json_rows: Some(layers.json()),
        csv: Some(point.clone()),
        features: Some(point),
        ..Document::default()
    }
}

/// What to do with a row that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum OnError {
    /// stop with the line number and value (exit 1, no output file)
    #[default]
    Stop,
    /// skip the row and count it in the summary
    Skip,
}

/// Counts of a [`stream`].
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Rows read.
    pub rows: u64,
    /// Rows skipped ([`OnError::Skip`]).
    pub skipped: u64,
    /// Rows in some region, per target.
    pub matched: Vec<u64>,
    /// Points (lat, lon) in no region of the first target, at most 1,000,
    /// kept to test for swapped axes ([`Stats::swapped`]).
    pub unmatched_sample: Vec<(f64, f64)>,
}

/// Points in no region kept in [`Stats::unmatched_sample`].
const UNMATCHED_SAMPLE: usize = 1000;

impl Stats {
    fn new(targets: usize) -> Stats {
        Stats {
            matched: vec![0; targets],
            ..Stats::default()
        }
    }

    fn merge(&mut self, o: Stats) {
        self.rows += o.rows;
        self.skipped += o.skipped;
        for (a, b) in self.matched.iter_mut().zip(o.matched) {
            *a += b;
        }
        let room = UNMATCHED_SAMPLE.saturating_sub(self.unmatched_sample.len());
        self.unmatched_sample
            .extend(o.unmatched_sample.into_iter().take(room));
    }

    /// Swapped axes: fewer points fall in a region of `first` (the first
    /// target) as given than would with latitude and longitude exchanged,
    /// estimated from the sample of points in none. `Some` with the share
    /// located as given, the estimated share swapped, and how many of the
    /// sample would be located swapped, when swapped is more than twice as
    /// good and above 1 % (issue #13 item 6).
    pub fn swapped(&self, first: &Target) -> Option<Swapped> {
        let located = self.rows - self.skipped;
        if located == 0 || self.matched[0] * 2 >= located || self.unmatched_sample.is_empty() {
            return None;
        }
        let swapped = self
            .unmatched_sample
            .iter()
            .filter(|(lat, lon)| lon.abs() <= 90.0 && first.index.first(*lat, *lon).is_some())
            .count();
        let given = self.matched[0] as f64 / located as f64;
        let swapped_share = (1.0 - given) * swapped as f64 / self.unmatched_sample.len() as f64;
        (swapped_share > 2.0 * given && swapped_share > 0.01).then_some(Swapped {
            given,
            swapped: swapped_share,
            sample_located: swapped,
            sample: self.unmatched_sample.len(),
        })
    }
}

/// The evidence of [`Stats::swapped`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Swapped {
    /// Share of the points in a region as given.
    pub given: f64,
    /// Estimated share with latitude and longitude swapped.
    pub swapped: f64,
    /// Points of the sample located when swapped.
    pub sample_located: usize,
    /// Size of the sample.
    pub sample: usize,
}

/// How [`stream`] works and writes.
pub struct StreamOptions<'a> {
    /// First region or all of them.
    pub hits: Hits,
    /// Stop or skip on a row that cannot be read.
    pub on_error: OnError,
    /// CSV or GeoJSON.
    pub format: PointsFormat,
    /// From the points' CRS to WGS84 (CSV input only).
    pub to_wgs84: Option<&'a Transformer>,
    /// From WGS84 to an output CRS (`out_x`, `out_y` in CSV; GeoJSON
    /// geometry).
    pub to_out: Option<&'a Transformer>,
    /// Name of the output for messages.
    pub out_label: String,
    /// Told the byte position of the input as it is read (a progress bar).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

/// Bytes of CSV read per block (its pieces are processed in parallel).
const BLOCK: usize = 1 << 20;

/// Locate every row of `reader` in `targets` and write the rows to `out`
/// (header, rows in input order, footer; see [`crate::report::points`]), in
/// constant memory: a pipeline in which one thread reads block N+1 while the
/// workers look up block N and a writer thread writes block N−1. Returns the
/// writer and the counts; on error the writer is dropped (an atomic
/// [`crate::io::output::Output`] then leaves nothing behind). A run whose
/// every row was skipped is an error: a file of headers alone is not a
/// result.
pub fn stream<W: Write + Send>(
    mut reader: PointReader,
    targets: &[Target],
    opts: &StreamOptions<'_>,
    mut out: W,
) -> Result<(W, Stats)> {
    if targets.iter().any(Target::measures_distance) {
        // Distances cost ten times a lookup, and vary from point to point.
        reader.piece_records = points::PIECE_RECORDS / 8;
    }
    let werr = |source: std::io::Error| Error::Write {
        path: opts.out_label.clone(),
        source,
    };
    let input_headers: Vec<String> = reader
        .headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let out_xy = opts.to_out.is_some() && opts.format == PointsFormat::Csv;
    let headers = csv_headers(&input_headers, targets, out_xy);
    let head = head(opts.format, &headers).map_err(|e| werr(e.into()))?;
    out.write_all(&head).map_err(werr)?;
    let path = reader.path.clone();
    let ctx = Ctx {
        targets,
        opts,
        headers: &input_headers,
        ncols: input_headers.len(),
        lat_col: reader.lat_col,
        lon_col: reader.lon_col,
        path: &path,
        delimiter: reader.delimiter,
        features: reader.features,
        to_wgs84: opts.to_wgs84.filter(|_| !reader.in_wgs84),
    };
    let mut stats = Stats::new(targets.len());
    let (mut current, mut next) = (Block::default(), Block::default());
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
    let table = table_of(&opts.out_label);
    let inputs = input_headers.len();
    let (pumped, written) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> std::io::Result<W> {
            match opts.format {
                PointsFormat::Features(ff) => {
                    let fields = feature_fields(&headers, inputs);
                    let sink = super::binary::sink(
                        ff,
                        &table,
                        fields.clone(),
                        super::binary::GeomKind::Point,
                        Box::new(&mut out),
                    )?;
                    write_features(sink, &fields, rx)?;
                }
                _ => {
                    for bytes in rx {
                        out.write_all(&bytes)?;
                    }
                }
            }
            Ok(out)
        });
        let mut pump = || -> Result<()> {
            let mut more = reader.read_block(&mut current, BLOCK)?;
            let mut first = true;
            while !current.pieces.is_empty() {
                let (io_result, done) = rayon::join(
                    || -> Result<bool> {
                        if let (Some(p), Some(pos)) = (opts.progress, reader.byte_position()) {
                            p(pos);
                        }
                        if more {
                            reader.read_block(&mut next, BLOCK)
                        } else {
                            next.pieces.clear();
                            Ok(false)
                        }
                    },
                    || process_block(&current, &ctx),
                );
                let (bytes, block_stats) = done?;
                more = io_result?;
                stats.merge(block_stats);
                let bytes =
                    if first && opts.format == PointsFormat::Geojson && bytes.starts_with(b",") {
                        bytes[1..].to_vec()
                    } else {
                        bytes
                    };
                if !bytes.is_empty() {
                    first = false;
                }
                if tx.send(bytes).is_err() {
                    break; // the writer failed; its error is reported below
                }
                std::mem::swap(&mut current, &mut next);
            }
            Ok(())
        };
        // Whatever happened, stop the writer and take the output back.
        let pumped = pump();
        drop(tx);
        (pumped, writer.join())
    });
    let written = written.map_err(|_| Error::Input("the output thread panicked".into()))?;
    pumped?;
    let mut out = written.map_err(werr)?;
    out.write_all(tail(opts.format)).map_err(werr)?;
    if stats.rows > 0 && stats.skipped == stats.rows {
        return Err(Error::Input(format!(
            "{}: none of the {} rows could be read (all skipped by --on-error skip); nothing written",
            path, stats.rows
        )));
    }
    Ok((out, stats))
}

/// The table name of a binary output: the output file's stem.
fn table_of(label: &str) -> String {
    match std::path::Path::new(label).file_stem() {
        Some(s) if label != "<stdout>" => s.to_string_lossy().into_owned(),
        _ => "points".into(),
    }
}

/// The fields of located points in a binary format: every CSV column as
/// text, distances as reals; the first `inputs` are the input's columns,
/// the rest the regions', null (not empty) for a point in no region.
fn feature_fields(headers: &[String], inputs: usize) -> Vec<super::binary::Field> {
    use super::binary::{Field, FieldType};
    headers
        .iter()
        .enumerate()
        .map(|(k, h)| Field {
            name: h.clone(),
            ty: if k >= inputs && h.ends_with("_distance_km") {
                FieldType::Real
            } else {
                FieldType::Text
            },
            empty_is_null: k >= inputs,
        })
        .collect()
}

/// The writer's side of a binary output: blocks of CSV rows, each with the
/// point's WGS84 longitude and latitude as two last fields, into `sink`.
fn write_features(
    mut sink: Box<dyn super::binary::Sink + Send + '_>,
    fields: &[super::binary::Field],
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
) -> std::io::Result<()> {
    let mut rec = csv::ByteRecord::new();
    for bytes in rx {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[..]);
        while r
            .read_byte_record(&mut rec)
            .map_err(std::io::Error::other)?
        {
            let n = rec.len();
            let num = |k: usize| -> f64 {
                std::str::from_utf8(&rec[k])
                    .ok()
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(f64::NAN)
            };
            let (lon, lat) = (num(n - 2), num(n - 1));
            rec.truncate(n - 2);
            sink.add_text_point(fields, &rec, lon, lat)?;
        }
    }
    sink.finish()
}

/// What every worker needs to process rows.
struct Ctx<'a> {
    targets: &'a [Target],
    opts: &'a StreamOptions<'a>,
    headers: &'a [String],
    ncols: usize,
    lat_col: usize,
    lon_col: usize,
    path: &'a str,
    delimiter: u8,
    /// Rows stand for GeoJSON features (row N is on line N + 1).
    features: bool,
    /// From the points' CRS to WGS84 (CSV input only).
    to_wgs84: Option<&'a Transformer>,
}

impl Ctx<'_> {
    /// "line N", or "feature N" for GeoJSON and KML points.
    fn place(&self, line: u64) -> crate::error::RowPlace {
        points::place(self.features, line)
    }

    fn read_row(&self, rec: &ByteRecord) -> std::result::Result<(f64, f64), String> {
        if rec.len() != self.ncols {
            return Err(format!(
                "the row has {} fields, the header {}",
                rec.len(),
                self.ncols
            ));
        }
        points::lat_lon(
            rec,
            (self.lat_col, &self.headers[self.lat_col]),
            (self.lon_col, &self.headers[self.lon_col]),
            self.to_wgs84,
        )
    }
}

fn process_block(block: &Block, ctx: &Ctx) -> Result<(Vec<u8>, Stats)> {
    let parts: Vec<Result<(Vec<u8>, Stats)>> = block
        .pieces
        .par_iter()
        .map(|piece| process_piece(block, piece, ctx))
        .collect();
    let mut bytes = Vec::new();
    let mut stats = Stats::new(ctx.targets.len());
    for p in parts {
        let (b, s) = p?;
        bytes.extend_from_slice(&b);
        stats.merge(s);
    }
    Ok((bytes, stats))
}

/// Parse, look up and write one piece of whole records (on a worker).
fn process_piece(block: &Block, piece: &Piece, ctx: &Ctx) -> Result<(Vec<u8>, Stats)> {
    let mut reader = PieceReader::new(block, piece, ctx.delimiter);
    let mut stats = Stats::new(ctx.targets.len());
    let len = piece.range.len();
    let mut out: Vec<u8> = Vec::with_capacity(len + len / 2);
    let mut hits: Vec<Hit> = Vec::with_capacity(ctx.targets.len());
    let mut record = ByteRecord::new();
    let failed = |line: u64, msg: &dyn std::fmt::Display| Error::Row {
        path: ctx.path.to_string(),
        place: ctx.place(line),
        message: msg.to_string(),
    };
    loop {
        match reader.next(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err((line, e)) => return Err(failed(line, &e)),
        }
        stats.rows += 1;
        let typed = reader.point();
        let read = match typed {
            // Typed rows (GeoParquet points): WGS84 numbers, not text.
            Some((lon, lat)) => points::check_range(lat, lon).map(|_| (lat, lon)),
            None => ctx.read_row(&record),
        };
        let (lat, lon) = match read {
            Ok(p) => p,
            Err(_) if ctx.opts.on_error == OnError::Skip => {
                stats.skipped += 1;
                continue;
            }
            Err(msg) => {
                let msg = format!("{msg} (use --on-error skip to skip such rows)");
                return Err(failed(reader.line(&record), &msg));
            }
        };
        if typed.is_some() && ctx.opts.format != PointsFormat::Csv {
            // The record has the other fields: add the point's, as text.
            let mut fb = zmij::Buffer::new();
            record.push_field(fb.format(lon).as_bytes());
            record.push_field(fb.format(lat).as_bytes());
        }
        let rec = &record;
        let out_xy = match ctx
            .opts
            .to_out
            .map(|t| crate::crs::transform_point(t, lon, lat))
            .transpose()
        {
            Ok(xy) => xy,
            Err(msg) => return Err(failed(reader.line(rec), &msg)),
        };
        hits.clear();
        for (k, t) in ctx.targets.iter().enumerate() {
            let h = t.lookup(lon, lat, ctx.opts.hits);
            if h.regions.is_empty() {
                if k == 0 && stats.unmatched_sample.len() < UNMATCHED_SAMPLE {
                    stats.unmatched_sample.push((lat, lon));
                }
            } else {
                stats.matched[k] += 1;
            }
            hits.push(h);
        }
        match ctx.opts.format {
            PointsFormat::Csv => match typed {
                Some(lonlat) => push_csv_row(
                    &mut out,
                    rec,
                    Some(lonlat),
                    None,
                    ctx.targets,
                    &hits,
                    out_xy,
                ),
                None => {
                    let raw = reader.raw(rec).filter(|_| ctx.delimiter == b',');
                    push_csv_row(&mut out, rec, None, raw, ctx.targets, &hits, out_xy);
                }
            },
            PointsFormat::Features(_) => {
                // CSV for the writer thread, the point's WGS84 lon/lat last
                // (shortest round-trip text: the writer parses them back).
                push_csv_row(&mut out, rec, None, None, ctx.targets, &hits, None);
                out.pop(); // the row's newline
                let mut fb = zmij::Buffer::new();
                out.push(b',');
                out.extend_from_slice(fb.format(lon).as_bytes());
                out.push(b',');
                out.extend_from_slice(fb.format(lat).as_bytes());
                out.push(b'\n');
            }
            PointsFormat::Geojson => {
                let xy = out_xy.map_or([lon, lat], |(x, y)| [x, y]);
                push_geojson_row(&mut out, ctx.headers, rec, ctx.targets, &hits, xy).map_err(
                    |e| Error::Write {
                        path: "<buffer>".into(),
                        source: e.into(),
                    },
                )?;
            }
        }
    }
    Ok((out, stats))
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
