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
use std::io::{self, Read};
use std::path::PathBuf;

use csv::ByteRecord;
use serde_json::Value;

use crate::crs::Transformer;
use crate::error::{Error, Result, RowPlace};
use crate::io::LayerSpec;

/// Names recognised as latitude columns.
pub const LAT_NAMES: [&str; 3] = ["lat", "latitude", "y"];
/// Names recognised as longitude columns.
pub const LON_NAMES: [&str; 5] = ["lon", "lng", "long", "longitude", "x"];
/// Names recognised as one column of "lat, lon" pairs (see `--coords-col`).
pub const COORD_NAMES: [&str; 7] = [
    "coordinates",
    "coords",
    "latlon",
    "lat_lon",
    "latlng",
    "lat/lon",
    "lat, lon",
];

/// A source of point records, read in blocks of raw CSV bytes: this thread
/// only finds record boundaries (quote-aware, with memchr); the workers parse
/// the fields of their pieces in parallel.
pub struct PointReader {
    /// Label for messages.
    pub path: String,
    /// Column names.
    pub headers: ByteRecord,
    /// Index of the latitude column.
    pub lat_col: usize,
    /// Index of the longitude column.
    pub lon_col: usize,
    /// Field delimiter.
    pub delimiter: u8,
    /// True when rows stand for features (GeoJSON, KML, GeoPackage, ...,
    /// GeoParquet rows): messages then say "feature N".
    pub features: bool,
    /// True when the coordinates are WGS84 already (read from geometries,
    /// transformed as read); false for columns of numbers (CSV, a Parquet
    /// file's plain lat/lon columns), transformed row by row.
    pub in_wgs84: bool,
    /// Records per piece, the unit of parallel work ([`PIECE_RECORDS`]):
    /// smaller when each record costs more, so that the workers finish a
    /// block together.
    pub piece_records: usize,
    input: Box<dyn Read + Send>,
    carry: Vec<u8>,
    line: u64,
    eof: bool,
    bytes_read: u64,
    /// Finds record ends exactly as the csv crate reads records.
    splitter: Splitter,
    /// Bytes of `carry` already given to the splitter.
    scanned: usize,
    /// Record ends found in `carry` (exclusive byte offsets).
    ends: Vec<usize>,
    /// Rows already split (points read from features): no CSV to parse.
    rows: Option<std::iter::Peekable<RowIter>>,
    /// Typed parts (points from GeoParquet): no CSV to split or parse.
    typed: Option<PartSource>,
    /// Rows of `rows` (or `typed`) handed out so far.
    rows_read: u64,
}

/// Rows already split, one per point feature, or the first error.
pub type RowIter = Box<dyn Iterator<Item = Result<ByteRecord>> + Send>;

/// Raw CSV bytes (or rows already split) cut into pieces of whole records.
#[derive(Debug, Default)]
pub struct Block {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Rows already split (points from features); pieces then index them.
    pub rows: Vec<ByteRecord>,
    /// Typed rows (points from GeoParquet); a piece is one part.
    pub typed: Vec<PointPart>,
    /// Pieces of about [`PointReader::piece_records`] records each.
    pub pieces: Vec<Piece>,
}

/// Rows of points as numbers, with their other fields as text (points
/// from GeoParquet): the lookups take the coordinates as they are, with no
/// CSV text made and parsed again.
#[derive(Debug, Default)]
pub struct PointPart {
    /// Fields per row (the property columns).
    pub width: usize,
    /// The fields' bytes, one after another.
    pub text: Vec<u8>,
    /// The end of each field in `text`: `width` per row.
    pub ends: Vec<usize>,
    /// Each row's longitude and latitude (WGS84).
    pub xy: Vec<(f64, f64)>,
}

/// The source of typed parts: a record batch's parts at a time, `None` at the end.
pub type PartSource = Box<dyn FnMut() -> Option<Result<Vec<PointPart>>> + Send>;

/// A run of whole records within a [`Block`].
#[derive(Debug, Clone)]
pub struct Piece {
    /// Byte range in the block (row range for rows already split).
    pub range: std::ops::Range<usize>,
    /// 1-based line of the input on which the piece starts.
    pub first_line: u64,
}

/// Records per piece (the unit of parallel work) unless set otherwise.
pub const PIECE_RECORDS: usize = 4096;

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
        Self::csv_from(inner, &label, lat, lon)
    }

    /// Read CSV from any reader; `label` names it in messages.
    pub fn csv_from(
        inner: Box<dyn Read + Send>,
        label: &str,
        lat: Option<&str>,
        lon: Option<&str>,
    ) -> Result<PointReader> {
        let label = label.to_string();
        let mut r = PointReader {
            path: label.clone(),
            headers: ByteRecord::new(),
            lat_col: 0,
            lon_col: 0,
            delimiter: b',',
            features: false,
            in_wgs84: false,
            input: inner,
            carry: Vec::new(),
            line: 1,
            eof: false,
            bytes_read: 0,
            splitter: Splitter::new(b','),
            piece_records: PIECE_RECORDS,
            scanned: 0,
            ends: Vec::new(),
            rows: None,
            typed: None,
            rows_read: 0,
        };
        // The delimiter: the most frequent of `,` `;` tab on the first line.
        let mut searched = 0;
        let first_line_end = loop {
            if let Some(i) = memchr::memchr2(b'\n', b'\r', &r.carry[searched..]) {
                break searched + i;
            }
            searched = r.carry.len();
            if r.eof {
                break searched;
            }
            if searched > MAX_RECORD {
                return Err(too_long(&label, 1));
            }
            r.fill(r.carry.len() + (1 << 16))?;
        };
        let bom = r.carry.starts_with(b"\xEF\xBB\xBF");
        let skip = if bom { 3 } else { 0 };
        let first_line = &r.carry[skip.min(first_line_end)..first_line_end];
        r.delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
            .unwrap_or(b',');
        r.splitter = Splitter::new(r.delimiter);
        // The header: the first record, found like every other (quote-aware).
        if bom {
            r.carry.drain(..3);
        }
        let mut scanned = 0;
        let header_end = loop {
            let mut end = None;
            scanned = r.splitter.scan(&r.carry, scanned, |e| {
                end = Some(e);
                false
            });
            if let Some(e) = end {
                break e;
            }
            if r.eof {
                break r.carry.len();
            }
            if r.carry.len() > MAX_RECORD {
                return Err(too_long(&label, 1));
            }
            r.fill(r.carry.len() + (1 << 16))?;
        };
        r.splitter.reset();
        let header_bytes = r.carry[..header_end].to_vec();
        r.line += count_lines(&header_bytes);
        r.carry.drain(..header_end);
        let mut header_reader = csv::ReaderBuilder::new()
            .delimiter(r.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&header_bytes[..]);
        let mut headers = ByteRecord::new();
        header_reader
            .read_byte_record(&mut headers)
            .map_err(|e| Error::Input(format!("{label}: cannot read the CSV header: {e}")))?;
        if headers.is_empty() || headers.iter().all(|h| h.is_empty()) {
            return Err(Error::Input(format!("{label}: empty CSV (no header row)")));
        }
        // Without --lat-col/--lon-col, a lone column of "lat, lon" pairs
        // (COORD_NAMES) serves when no latitude column does.
        let lone = || {
            (lat.is_none() && lon.is_none())
                .then(|| find_col(&headers, None, &COORD_NAMES, "coordinates", &label).ok())
                .flatten()
        };
        match find_col(&headers, lat, &LAT_NAMES, "latitude", &label) {
            Ok(c) => {
                r.lat_col = c;
                r.lon_col = find_col(&headers, lon, &LON_NAMES, "longitude", &label)?;
            }
            Err(e) => match lone() {
                Some(c) => (r.lat_col, r.lon_col) = (c, c),
                None => return Err(e),
            },
        }
        r.headers = headers;
        Ok(r)
    }

    /// Read from the input until `carry` holds `want` bytes or the input ends.
    fn fill(&mut self, want: usize) -> Result<()> {
        let start = self.carry.len();
        if want <= start {
            return Ok(());
        }
        self.carry.resize(want, 0);
        let mut filled = start;
        while filled < want {
            match self.input.read(&mut self.carry[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(Error::Read {
                        path: self.path.clone(),
                        source,
                    });
                }
            }
        }
        self.carry.truncate(filled);
        self.bytes_read += (filled - start) as u64;
        Ok(())
    }

    /// Read the next block of about `target` bytes of whole records into
    /// `block`; false when the input is exhausted (the block may still hold
    /// the last records). A record longer than [`MAX_RECORD`] (an unclosed
    /// quote, a file that is not CSV) is an error naming its line.
    pub fn read_block(&mut self, block: &mut Block, target: usize) -> Result<bool> {
        block.pieces.clear();
        if let Some(next) = &mut self.typed {
            // Typed parts: a block of record batches of about 16 pieces, or
            // fewer when their text passes 16 × `target` bytes (rows of long
            // texts: memory stays that of a few blocks); row N (1-based)
            // stands on "line" N + 1, as if under a header.
            block.typed.clear();
            let mut bytes = 0;
            while !self.eof && block.typed.len() < 16 && bytes < 16 * target {
                match next() {
                    None => self.eof = true,
                    Some(Ok(parts)) => {
                        bytes += parts.iter().map(|p| p.text.len()).sum::<usize>();
                        block.typed.extend(parts);
                    }
                    Some(Err(e)) => {
                        self.eof = true;
                        return Err(e);
                    }
                }
            }
            for (i, p) in block.typed.iter().enumerate() {
                block.pieces.push(Piece {
                    range: i..i + 1,
                    first_line: self.rows_read + 2,
                });
                self.rows_read += p.xy.len() as u64;
            }
            return Ok(!self.eof);
        }
        if let Some(rows) = &mut self.rows {
            // Rows already split: a block of pieces of `piece_records` rows;
            // row N (1-based) stands on "line" N + 1, as if under a header.
            block.rows.clear();
            let per = self.piece_records.max(1);
            for row in rows.by_ref().take(per * 16) {
                block.rows.push(row?);
            }
            for start in (0..block.rows.len()).step_by(per) {
                block.pieces.push(Piece {
                    range: start..(start + per).min(block.rows.len()),
                    first_line: self.rows_read + start as u64 + 2,
                });
            }
            self.rows_read += block.rows.len() as u64;
            return Ok(rows.peek().is_some());
        }
        let mut want = target;
        loop {
            self.fill(want)?;
            let ends = &mut self.ends;
            self.scanned = self.splitter.scan(&self.carry, self.scanned, |e| {
                ends.push(e);
                true
            });
            let partial = self.ends.last().copied().unwrap_or(0);
            let unclosed = self.eof && self.splitter.state == SplitState::InQuotes;
            if self.carry.len() - partial > MAX_RECORD || unclosed {
                let line = self.line + count_lines(&self.carry[..partial]);
                return Err(if unclosed {
                    Error::Row {
                        path: self.path.clone(),
                        place: RowPlace::Line(line),
                        message: "a quoted field that starts in this record is never closed (a field that starts with \" needs a closing \")".into(),
                    }
                } else {
                    too_long(&self.path, line)
                });
            }
            if self.eof {
                // The rest, with or without a final line break, is the last record.
                self.splitter.reset();
                break;
            }
            if !self.ends.is_empty() {
                break;
            }
            want = self.carry.len() * 2; // one record longer than the block: read more
        }
        let end = if self.eof {
            let end = self.carry.len();
            if self.ends.last().is_none_or(|&e| e < end) {
                self.ends.push(end); // the last record, without a line break
            }
            end
        } else {
            self.ends.last().copied().unwrap_or(0)
        };
        std::mem::swap(&mut block.bytes, &mut self.carry);
        self.carry.clear();
        self.carry.extend_from_slice(&block.bytes[end..]);
        block.bytes.truncate(end);
        self.scanned = self.carry.len();
        // Cut into pieces of `piece_records` records, counting lines as we go.
        let mut piece_start = 0;
        for chunk in self.ends.chunks(self.piece_records.max(1)) {
            let piece_end = chunk.last().copied().unwrap_or(end).min(end);
            if piece_end <= piece_start {
                continue;
            }
            block.pieces.push(Piece {
                range: piece_start..piece_end,
                first_line: self.line,
            });
            self.line += count_lines(&block.bytes[piece_start..piece_end]);
            piece_start = piece_end;
        }
        self.ends.clear();
        Ok(!(self.eof && self.carry.is_empty()))
    }

    /// Every point, as (longitude, latitude) in WGS84 (`to_wgs84` from the
    /// CSV's CRS), in order; more than `max` is an error (not a cut).
    pub fn all(mut self, to_wgs84: Option<&Transformer>, max: usize) -> Result<Vec<(f64, f64)>> {
        let label = self.path.clone();
        let name = |col: usize| String::from_utf8_lossy(&self.headers[col]).into_owned();
        let (lat_col, lon_col) = (
            (self.lat_col, name(self.lat_col)),
            (self.lon_col, name(self.lon_col)),
        );
        let mut block = Block::default();
        let mut found = Vec::new();
        let mut record = ByteRecord::new();
        loop {
            let more = self.read_block(&mut block, 1 << 20)?;
            for piece in &block.pieces {
                let mut rd = PieceReader::new(&block, piece, self.delimiter);
                while rd.next(&mut record).map_err(|(line, e)| Error::Row {
                    path: label.clone(),
                    place: RowPlace::Line(line),
                    message: e.to_string(),
                })? {
                    let read = match rd.point() {
                        Some((lo, la)) => check_range(la, lo).map(|_| (la, lo)),
                        None => lat_lon(
                            &record,
                            (lat_col.0, &lat_col.1),
                            (lon_col.0, &lon_col.1),
                            to_wgs84,
                        ),
                    };
                    let (la, lo) = read.map_err(|message| Error::Row {
                        path: label.clone(),
                        place: place(self.features, rd.line(&record)),
                        message,
                    })?;
                    if found.len() == max {
                        return Err(Error::Input(format!(
                            "{label}: more than {max} points; raise --max-points to draw them (they take 16 bytes each)"
                        )));
                    }
                    found.push((lo, la));
                }
            }
            if !more {
                break;
            }
        }
        Ok(found)
    }

    /// Bytes read so far, for progress.
    pub fn byte_position(&self) -> Option<u64> {
        (!self.features).then_some(self.bytes_read)
    }

    /// Open POINTS as `locate` and `render --points` take it: a file in
    /// any format read ([`crate::io::format::detect`]) or `-` (stdin, by
    /// its first bytes). CSV streams (its coordinates are transformed row
    /// by row: see [`lat_lon`]) unless it has no lat/lon columns but a WKT
    /// one; GeoParquet streams a record batch at a time; the other formats
    /// are read whole as Point features (coordinates in `opts.src_crs`, or
    /// the CRS the file declares, transformed to WGS84 here).
    pub fn open(
        input: &str,
        lat: Option<&str>,
        lon: Option<&str>,
        opts: &crate::io::ReadOptions,
    ) -> Result<PointReader> {
        use crate::io::SourceKind;
        if input == "-" {
            // Like `area -`: a format its first bytes show, CSV otherwise
            // (streamed, never read whole).
            use std::io::BufRead;
            let mut r = io::BufReader::with_capacity(1 << 16, io::stdin());
            let head = r.fill_buf().map_err(|source| Error::Read {
                path: "<stdin>".into(),
                source,
            })?;
            return match crate::io::sniff_features(head) {
                Some(_) => {
                    let src = crate::io::stdin_source(r)?;
                    Self::from_source(src, lat, lon, opts)
                }
                None => Self::csv_from(Box::new(r), "<stdin>", lat, lon),
            };
        }
        let path = PathBuf::from(input);
        // The first bytes tell the format; a CSV is then streamed from the
        // file, never read whole.
        let mut head = Vec::with_capacity(4096);
        let opened = File::open(&path).map(|f| f.take(4096).read_to_end(&mut head));
        // A path that does not open (`FILE:NAME`, or none) is for
        // `read_source`, which names it.
        let csv_kind = opened.is_ok()
            && matches!(
                crate::io::format::detect(Some(&path), &head),
                Ok(SourceKind::Csv)
            );
        if csv_kind && !(lat.is_none() && lon.is_none() && wkt_only(&head, opts)) {
            if let Some(name) = &opts.layer {
                return Err(Error::BadFile {
                    path: input.to_string(),
                    what: format!(
                        "CSV holds one layer, so --layer ({}) names nothing; layers are chosen in GeoPackages and zips of shapefiles",
                        crate::text::quoted(name)
                    ),
                });
            }
            return PointReader::csv(Some(&path), lat, lon);
        }
        let src = crate::io::read_source(&LayerSpec::Path(path))?;
        Self::from_source(src, lat, lon, opts)
    }

    /// Points from a source already opened (not a streamed CSV).
    fn from_source(
        src: crate::io::Source,
        lat: Option<&str>,
        lon: Option<&str>,
        opts: &crate::io::ReadOptions,
    ) -> Result<PointReader> {
        src.check_layer_name(opts.layer.as_deref())?;
        #[cfg(feature = "geoparquet")]
        if src.kind == crate::io::SourceKind::GeoParquet {
            return Self::parquet(src, lat, lon, opts);
        }
        let _ = (lat, lon);
        let own_ids = matches!(
            src.kind,
            crate::io::SourceKind::GeoJson(_) | crate::io::SourceKind::Kml(_)
        );
        let (label, features) = crate::io::features_of(src, opts)?;
        let no_geometry = !features.is_empty()
            && features
                .iter()
                .all(|f| matches!(f, Ok(f) if f.geometry == crate::io::feature::Geometry::Null));
        if no_geometry && !own_ids {
            return PointReader::from_columns(&features, &label, lat, lon);
        }
        PointReader::from_features_as(&features, &label, own_ids)
    }

    /// Points in the latitude and longitude columns of features without
    /// geometry (a GeoPackage attributes table), found as in CSV.
    fn from_columns(
        features: &[crate::io::ReadFeature],
        label: &str,
        lat: Option<&str>,
        lon: Option<&str>,
    ) -> Result<PointReader> {
        let mut keys: Vec<String> = Vec::new();
        for f in features.iter().flatten() {
            for k in f.properties.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
        let headers = ByteRecord::from(keys.iter().map(String::as_str).collect::<Vec<_>>());
        let lat_col = find_col(&headers, lat, &LAT_NAMES, "latitude", label)?;
        let lon_col = find_col(&headers, lon, &LON_NAMES, "longitude", label)?;
        let rows = features
            .iter()
            .flatten()
            .map(|f| point_record(f, &keys, label, false, false))
            .collect::<Result<Vec<_>>>()?;
        Ok(PointReader {
            lat_col,
            lon_col,
            in_wgs84: false,
            ..Self::rows_reader(label, headers, Box::new(rows.into_iter().map(Ok)))
        })
    }

    /// Points from GeoParquet, a record batch at a time: Point geometries
    /// (as lon, lat columns after the others), or plain latitude and
    /// longitude columns when the file has no geometry.
    #[cfg(feature = "geoparquet")]
    fn parquet(
        src: crate::io::Source,
        lat: Option<&str>,
        lon: Option<&str>,
        opts: &crate::io::ReadOptions,
    ) -> Result<PointReader> {
        let label = src.label.clone();
        let rerr = |source| Error::Read {
            path: label.clone(),
            source,
        };
        // Standard input, already read whole, is read from memory.
        let mut batches = match &src.path {
            Some(p) => crate::io::parquet::open(File::open(p).map_err(rerr)?, &label, true)?,
            None => crate::io::parquet::open(bytes::Bytes::from(src.bytes), &label, true)?,
        };
        let to_wgs84 = crate::crs::for_file(&label, opts.src_crs.as_ref(), batches.crs.clone())?;
        let geo_cols = batches.hidden.clone();
        let with_geometry = batches.geometry_col.is_some();
        // With Point geometries, their coordinates are the `lon` and `lat`
        // columns: properties of those names give way, as in the other
        // formats (a file `locate -f parquet` wrote has both).
        let keys: Vec<String> = batches
            .names
            .iter()
            .filter(|n| !geo_cols.contains(n))
            .filter(|n| !with_geometry || (*n != "lon" && *n != "lat"))
            .cloned()
            .collect();
        if with_geometry {
            return Ok(Self::parquet_points(batches, keys, to_wgs84, &label));
        }
        let mut head = csv::Writer::from_writer(Vec::new());
        head.write_record(&keys)
            .map_err(|e| Error::Input(e.to_string()))?;
        let head = head.into_inner().map_err(|e| Error::Input(e.to_string()))?;
        // Plain latitude and longitude columns: the rows become CSV text, a
        // record batch at a time (in parallel), read by the CSV machinery
        // (record ends, pieces, the columns found by name, the lookups).
        let mut first = Some(head);
        let mut done = false;
        let next = move || -> Option<Result<Vec<u8>>> {
            if let Some(h) = first.take() {
                return Some(Ok(h));
            }
            if done {
                return None;
            }
            let batch = match batches.next_batch() {
                Ok(Some(b)) => b,
                Ok(None) => {
                    done = true;
                    return None;
                }
                Err(e) => {
                    done = true;
                    return Some(Err(e));
                }
            };
            if let Some(text) = batches.point_csv(&batch, &keys) {
                batches.read += batch.num_rows();
                return Some(Ok(text));
            }
            // The general path.
            let made = batches.features(&batch).and_then(|fs| {
                let mut w = csv::Writer::from_writer(Vec::new());
                for f in fs {
                    let rec = point_record(&f, &keys, "", false, false)?;
                    w.write_byte_record(&rec)
                        .map_err(|e| Error::Input(e.to_string()))?;
                }
                w.into_inner().map_err(|e| Error::Input(e.to_string()))
            });
            if made.is_err() {
                done = true;
            }
            Some(made)
        };
        let input = Box::new(Chunks {
            next,
            buf: Vec::new(),
            pos: 0,
            label: label.clone(),
        });
        let mut r = Self::csv_from(input, &label, lat, lon)?;
        r.features = true;
        Ok(r)
    }

    /// Points from the Point geometries of GeoParquet, as typed parts: the
    /// columns `keys`, then `lon` and `lat`.
    #[cfg(feature = "geoparquet")]
    fn parquet_points(
        mut batches: crate::io::parquet::Batches,
        keys: Vec<String>,
        to_wgs84: Option<Transformer>,
        label: &str,
    ) -> PointReader {
        let mut names: Vec<&str> = keys.iter().map(String::as_str).collect();
        names.extend(["lon", "lat"]);
        let headers = ByteRecord::from(names);
        let rows_label = label.to_string();
        let per = PIECE_RECORDS;
        let next = move || -> Option<Result<Vec<PointPart>>> {
            let batch = match batches.next_batch() {
                Ok(Some(b)) => b,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            if let Some(parts) = batches.point_parts(&batch, &keys, to_wgs84.as_ref(), per) {
                batches.read += batch.num_rows();
                return Some(Ok(parts));
            }
            // The general path, which names the row at fault.
            let made = batches.features(&batch).and_then(|fs| {
                let mut parts = Vec::new();
                for chunk in fs.chunks(per) {
                    let mut part = PointPart {
                        width: keys.len(),
                        ..PointPart::default()
                    };
                    for f in chunk {
                        let moved;
                        let f = match &to_wgs84 {
                            Some(t) => {
                                let mut g = f.clone();
                                crate::io::feature::transform(&mut g, t, &rows_label)?;
                                moved = g;
                                &moved
                            }
                            None => f,
                        };
                        let rec = point_record(f, &keys, &rows_label, false, true)?;
                        for field in rec.iter().take(keys.len()) {
                            part.text.extend_from_slice(field);
                            part.ends.push(part.text.len());
                        }
                        let num = |k: usize| {
                            std::str::from_utf8(&rec[k])
                                .ok()
                                .and_then(|t| t.parse::<f64>().ok())
                                .unwrap_or(f64::NAN)
                        };
                        part.xy.push((num(keys.len()), num(keys.len() + 1)));
                    }
                    parts.push(part);
                }
                Ok(parts)
            });
            Some(made)
        };
        PointReader {
            typed: Some(Box::new(next)),
            rows: None,
            eof: false,
            ..Self::rows_reader(label, headers, Box::new(std::iter::empty()))
        }
    }

    /// A reader over rows already split.
    fn rows_reader(label: &str, headers: ByteRecord, rows: RowIter) -> PointReader {
        let n = headers.len();
        PointReader {
            path: label.to_string(),
            headers,
            lat_col: n.saturating_sub(1),
            lon_col: n.saturating_sub(2),
            delimiter: b',',
            features: true,
            in_wgs84: true,
            input: Box::new(io::empty()),
            carry: Vec::new(),
            line: 1,
            eof: true,
            bytes_read: 0,
            splitter: Splitter::new(b','),
            piece_records: PIECE_RECORDS,
            scanned: 0,
            ends: Vec::new(),
            rows: Some(rows.peekable()),
            typed: None,
            rows_read: 0,
        }
    }

    /// Points read from features (GeoJSON or KML): columns `id`, the
    /// properties (first-seen order), `lon`, `lat`; one row per feature, in
    /// order. Anything but a Point is an error naming the feature.
    pub fn from_features(features: &[crate::io::ReadFeature], label: &str) -> Result<PointReader> {
        Self::from_features_as(features, label, true)
    }

    /// [`Self::from_features`], with an `id` column or without one (formats
    /// whose features have no ids of their own).
    fn from_features_as(
        features: &[crate::io::ReadFeature],
        label: &str,
        with_id: bool,
    ) -> Result<PointReader> {
        let mut keys: Vec<String> = Vec::new();
        for f in features.iter().flatten() {
            for k in f.properties.keys() {
                if !keys.contains(k) && k != "lon" && k != "lat" && (k != "id" || !with_id) {
                    keys.push(k.clone());
                }
            }
        }
        let mut headers = ByteRecord::new();
        if with_id {
            headers.push_field(b"id");
        }
        for k in &keys {
            headers.push_field(k.as_bytes());
        }
        headers.push_field(b"lon");
        headers.push_field(b"lat");
        let mut rows = Vec::with_capacity(features.len());
        for (i, f) in features.iter().enumerate() {
            let f = f.as_ref().map_err(|_| {
                Error::Input(format!("{label}: feature {}: not a Point feature", i + 1))
            })?;
            rows.push(point_record(f, &keys, label, with_id, true)?);
        }
        let rows: RowIter = Box::new(rows.into_iter().map(Ok));
        Ok(Self::rows_reader(label, headers, rows))
    }
}

/// True when a CSV's header (in `head`) has a WKT geometry column and no
/// latitude column: its points are geometries, not coordinate columns.
fn wkt_only(head: &[u8], opts: &crate::io::ReadOptions) -> bool {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(crate::io::wkt_csv::delimiter(head))
        .from_reader(head);
    let Ok(h) = r.headers().cloned() else {
        return false;
    };
    let raw = ByteRecord::from(h.iter().collect::<Vec<_>>());
    crate::io::wkt_csv::geometry_column(&h, opts.geometry_col.as_deref()).is_some()
        && find_col(&raw, None, &LAT_NAMES, "latitude", "").is_err()
}

/// A `Read` over chunks of bytes made on demand (CSV text of Parquet
/// record batches); an error is said without repeating the file's name.
#[cfg(feature = "geoparquet")]
struct Chunks<F> {
    next: F,
    buf: Vec<u8>,
    pos: usize,
    label: String,
}

#[cfg(feature = "geoparquet")]
impl<F: FnMut() -> Option<Result<Vec<u8>>>> Read for Chunks<F> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.buf.len() {
            match (self.next)() {
                None => return Ok(0),
                Some(Ok(b)) => {
                    self.buf = b;
                    self.pos = 0;
                }
                Some(Err(e)) => {
                    let msg = e.to_string();
                    let msg = msg
                        .strip_prefix(&format!("{}: ", self.label))
                        .unwrap_or(&msg)
                        .to_string();
                    return Err(io::Error::other(msg));
                }
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// One feature as a points row: its id (`with_id`), its properties under
/// `keys`, and (`point`) its Point's longitude and latitude.
fn point_record(
    f: &crate::io::feature::Feature,
    keys: &[String],
    label: &str,
    with_id: bool,
    point: bool,
) -> Result<ByteRecord> {
    use crate::io::feature::Geometry;
    let where_ = || {
        let at = f.line.map_or(String::new(), |l| format!(" (line {l})"));
        format!("{label}: feature {}{at}", f.index)
    };
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.replace(['\n', '\r'], " "),
        Some(other) => other.to_string(),
    };
    let mut rec = ByteRecord::new();
    if with_id {
        rec.push_field(
            f.id.as_deref()
                .unwrap_or_default()
                .replace(['\n', '\r'], " ")
                .as_bytes(),
        );
    }
    for k in keys {
        rec.push_field(text(f.properties.get(k)).as_bytes());
    }
    if !point {
        return Ok(rec);
    }
    let c = match &f.geometry {
        Geometry::NotArea { kind, points, .. } if kind == "Point" => points
            .first()
            .copied()
            .ok_or_else(|| Error::Input(format!("{}: Point without two coordinates", where_())))?,
        Geometry::Null => {
            return Err(Error::Input(format!("{}: not a Point feature", where_())));
        }
        Geometry::Malformed(why) => {
            return Err(Error::Input(format!("{}: {why}", where_())));
        }
        other => {
            return Err(Error::Input(format!(
                "{}: geometry {} is not a Point",
                where_(),
                other.type_name()
            )));
        }
    };
    let mut b = ryu::Buffer::new();
    rec.push_field(b.format(c.x).as_bytes());
    rec.push_field(b.format(c.y).as_bytes());
    Ok(rec)
}

/// Ends (exclusive) of the records in `bytes`: just past each newline that is
/// outside quotes (RFC 4180 quotes toggle; a doubled quote toggles twice).
/// Where a record is, for messages: "line N", or "feature N" when the rows
/// stand for GeoJSON or KML features (row N is on line N + 1).
pub fn place(features: bool, line: u64) -> RowPlace {
    RowPlace::of(features, line)
}

fn cell<'r>(rec: &'r ByteRecord, col: usize, name: &str) -> std::result::Result<&'r str, String> {
    let raw = rec.get(col).unwrap_or_default();
    let text = std::str::from_utf8(raw)
        .map_err(|_| format!("column {name:?} is not UTF-8"))?
        .trim();
    if text.is_empty() {
        return Err(format!("column {name:?} is empty"));
    }
    Ok(text)
}

/// One coordinate: a plain number at once, else the forms of
/// [`crate::io::coords`] (decimal comma, hemisphere letter, degrees minutes
/// seconds).
fn coordinate(
    rec: &ByteRecord,
    col: usize,
    name: &str,
    axis: crate::io::coords::Axis,
) -> std::result::Result<f64, String> {
    let text = cell(rec, col, name)?;
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!(
            "column {name:?}: {} is not a finite number",
            crate::text::quoted(text)
        )),
        Err(_) => {
            crate::io::coords::parse_angle(text, axis).map_err(|e| format!("column {name:?}: {e}"))
        }
    }
}

/// The (latitude, longitude) of one record: read from the columns
/// `(index, name)`, brought to WGS84 by `to_wgs84` when the points are in
/// another CRS (x in the longitude column, y in the latitude one), checked.
pub fn lat_lon(
    rec: &ByteRecord,
    (lat_col, lat_name): (usize, &str),
    (lon_col, lon_name): (usize, &str),
    to_wgs84: Option<&Transformer>,
) -> std::result::Result<(f64, f64), String> {
    use crate::io::coords::{Axis, parse_pair};
    // One column holding both (--coords-col): "40.1776, 44.5126".
    let (lat, lon) = if lat_col == lon_col {
        parse_pair(cell(rec, lat_col, lat_name)?)
            .map_err(|e| format!("column {lat_name:?}: {e}"))?
    } else {
        (
            coordinate(rec, lat_col, lat_name, Axis::Lat)?,
            coordinate(rec, lon_col, lon_name, Axis::Lon)?,
        )
    };
    let (lat, lon) = match to_wgs84 {
        Some(t) => {
            let (x, y) = crate::crs::transform_point(t, lon, lat)?;
            (y, x)
        }
        None => (lat, lon),
    };
    check_range(lat, lon)?;
    Ok((lat, lon))
}

/// A latitude and longitude in range, with a hint when they look swapped
/// or projected (the one rule of [`crate::io::coords::out_of_range`]).
pub fn check_range(lat: f64, lon: f64) -> std::result::Result<(), String> {
    use crate::io::coords::{OutOfRange, out_of_range};
    if !lat.is_finite() || !lon.is_finite() {
        return Err("is not a finite number".into());
    }
    let Some(kind) = out_of_range(lon, lat) else {
        return Ok(());
    };
    let hint = match kind {
        OutOfRange::Swapped => " (are latitude and longitude swapped?)",
        OutOfRange::Projected => {
            " (projected coordinates? name their CRS with --src-crs, `proj` build)"
        }
        OutOfRange::Plain => "",
    };
    Err(if (-90.0..=90.0).contains(&lat) {
        format!("longitude {lon} is outside -180..180{hint}")
    } else {
        format!("latitude {lat} is outside -90..90{hint}")
    })
}

/// The longest record (or header) read: 16 MiB. Past it the input is taken to
/// be broken (an unclosed quote swallowing the rest of the file, or not CSV),
/// as Python's csv module stops at its field size limit.
pub const MAX_RECORD: usize = 16 << 20;

fn too_long(path: &str, line: u64) -> Error {
    Error::Row {
        path: path.to_string(),
        place: RowPlace::Line(line),
        message: format!(
            "a CSV record longer than {} MiB: an unclosed quote (a field that starts with \" and never ends), or not a CSV file",
            MAX_RECORD >> 20
        ),
    }
}

/// Lines in `bytes`, as people count them: each `\n`, `\r\n` or lone `\r`
/// (old Mac files) ends one.
pub fn count_lines(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for pos in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[pos] == b'\n' || bytes.get(pos + 1) != Some(&b'\n') {
            n += 1;
        }
    }
    n
}

/// The csv crate's reading rules, to find where records end without parsing
/// fields: a quote opens a quoted field only at the start of a field; inside
/// one, `""` is a quote and a line break is data; after the closing quote (or
/// in an unquoted field) a quote is an ordinary character. A record ends at
/// `\n`, `\r\n` or a lone `\r`; blank lines are no records (skipped, as
/// the csv crate and pandas do).
#[derive(Debug, Clone, Copy)]
struct Splitter {
    delimiter: u8,
    state: SplitState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SplitState {
    /// At the start of a record (blank lines are skipped here).
    StartRecord,
    /// At the start of a field.
    StartField,
    /// In an unquoted field, or after a quoted one's closing quote.
    InField,
    /// Inside quotes.
    InQuotes,
    /// Just after a quote inside quotes: `""` or the closing quote.
    QuoteInQuotes,
    /// Just after a `\r` that ended a record: a `\n` here belongs to it.
    AfterCr,
}

impl Splitter {
    fn new(delimiter: u8) -> Self {
        Splitter {
            delimiter,
            state: SplitState::StartRecord,
        }
    }

    fn reset(&mut self) {
        self.state = SplitState::StartRecord;
    }

    /// Scan `bytes[from..]`, calling `on_end` with the exclusive end of each
    /// record; stop early when it returns false. Returns how far it scanned.
    fn scan(&mut self, bytes: &[u8], from: usize, mut on_end: impl FnMut(usize) -> bool) -> usize {
        use SplitState::*;
        let mut i = from;
        while i < bytes.len() {
            if matches!(self.state, StartRecord | StartField | InField) {
                // Up to the next quote, only line breaks matter.
                let q = memchr::memchr(b'"', &bytes[i..]).map_or(bytes.len(), |k| i + k);
                if let Some(stop) = self.scan_unquoted(bytes, i, q, &mut on_end) {
                    return stop;
                }
                i = q;
                if i >= bytes.len() || self.state == AfterCr {
                    return bytes.len();
                }
            }
            let b = bytes[i];
            match self.state {
                AfterCr => {
                    self.state = StartRecord;
                    if b == b'\n' {
                        i += 1;
                        if !on_end(i) {
                            return i;
                        }
                        continue;
                    }
                    if !on_end(i) {
                        return i;
                    }
                    continue; // this byte starts the next record
                }
                StartRecord | StartField if b == b'"' => self.state = InQuotes,
                InQuotes => {
                    // Jump to the next quote: everything before it is data.
                    match memchr::memchr(b'"', &bytes[i..]) {
                        Some(k) => {
                            i += k;
                            self.state = QuoteInQuotes;
                        }
                        None => return bytes.len(),
                    }
                }
                QuoteInQuotes if b == b'"' => self.state = InQuotes,
                QuoteInQuotes if b == b'\n' || b == b'\r' || b == self.delimiter => {
                    // Handled as in an unquoted field, one byte.
                    self.state = InField;
                    if let Some(stop) = self.scan_unquoted(bytes, i, i + 1, &mut on_end) {
                        return stop;
                    }
                }
                // A quote inside an unquoted field (or after a closing quote)
                // is an ordinary character; so is anything after a closing quote.
                _ => self.state = InField,
            }
            i += 1;
        }
        bytes.len()
    }

    /// Scan `bytes[from..to]`, which holds no quote, from a state outside
    /// quotes: a record ends at each line break that follows record content.
    /// Returns `Some(position)` when `on_end` asked to stop.
    fn scan_unquoted(
        &mut self,
        bytes: &[u8],
        from: usize,
        to: usize,
        on_end: &mut impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        use SplitState::*;
        let mut j = from; // first byte not yet accounted for
        let mut it = memchr::memchr2_iter(b'\n', b'\r', &bytes[from..to]);
        while let Some(k) = it.next() {
            let p = from + k;
            if p > j {
                self.state = InField; // content before this line break
            }
            j = p + 1;
            if self.state == StartRecord {
                continue; // a blank line
            }
            self.state = StartRecord;
            let end = if bytes[p] == b'\r' {
                match bytes.get(p + 1) {
                    Some(b'\n') => {
                        it.next();
                        j = p + 2;
                        p + 2
                    }
                    Some(_) => p + 1,
                    None => {
                        self.state = AfterCr; // a `\n` may still follow
                        return None;
                    }
                }
            } else {
                p + 1
            };
            if !on_end(end) {
                return Some(end);
            }
        }
        if j < to {
            self.state = if bytes[to - 1] == self.delimiter {
                StartField
            } else {
                InField
            };
        }
        None
    }
}

/// Reads the records of one [`Piece`] with the input line each starts on.
pub struct PieceReader<'a> {
    mode: Mode<'a>,
}

enum Mode<'a> {
    Csv {
        rd: csv::Reader<&'a [u8]>,
        slice: &'a [u8],
        line: u64,
        last: usize,
    },
    Rows {
        rows: &'a [ByteRecord],
        next: usize,
        first_line: u64,
    },
    Typed {
        part: &'a PointPart,
        next: usize,
        first_line: u64,
    },
}

impl<'a> PieceReader<'a> {
    /// A reader over `piece` of `block`.
    pub fn new(block: &'a Block, piece: &Piece, delimiter: u8) -> Self {
        if let Some(part) = block.typed.get(piece.range.start) {
            return PieceReader {
                mode: Mode::Typed {
                    part,
                    next: 0,
                    first_line: piece.first_line,
                },
            };
        }
        if !block.rows.is_empty() {
            return PieceReader {
                mode: Mode::Rows {
                    rows: &block.rows[piece.range.clone()],
                    next: 0,
                    first_line: piece.first_line,
                },
            };
        }
        let slice = &block.bytes[piece.range.clone()];
        PieceReader {
            mode: Mode::Csv {
                rd: csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(slice),
                slice,
                line: piece.first_line,
                last: 0,
            },
        }
    }

    /// Read the next record into `rec`: `Ok(true)`, `Ok(false)` at the end,
    /// or the csv crate's error with the line it happened on.
    pub fn next(&mut self, rec: &mut ByteRecord) -> std::result::Result<bool, (u64, csv::Error)> {
        match &mut self.mode {
            Mode::Rows { rows, next, .. } => match rows.get(*next) {
                Some(r) => {
                    rec.clone_from(r);
                    *next += 1;
                    Ok(true)
                }
                None => Ok(false),
            },
            Mode::Typed { part, next, .. } => {
                if *next >= part.xy.len() {
                    return Ok(false);
                }
                rec.clear();
                let w = part.width;
                let mut from = match *next * w {
                    0 => 0,
                    k => part.ends[k - 1],
                };
                for &end in &part.ends[*next * w..(*next + 1) * w] {
                    rec.push_field(&part.text[from..end]);
                    from = end;
                }
                *next += 1;
                Ok(true)
            }
            Mode::Csv { rd, last, .. } => {
                let last = *last;
                match rd.read_byte_record(rec) {
                    Ok(more) => Ok(more),
                    Err(e) => {
                        let at = e.position().map_or(last, |p| p.byte() as usize);
                        self.advance(at);
                        Err((self.current_line(), e))
                    }
                }
            }
        }
    }

    fn current_line(&self) -> u64 {
        match &self.mode {
            Mode::Csv { line, .. } => *line,
            Mode::Rows {
                next, first_line, ..
            }
            | Mode::Typed {
                next, first_line, ..
            } => first_line + next.saturating_sub(1) as u64,
        }
    }

    /// The longitude and latitude of the record just read, as numbers,
    /// for typed rows (the record then holds the other fields only: the
    /// caller writes these); `None` for rows whose coordinates are text to
    /// parse.
    pub fn point(&self) -> Option<(f64, f64)> {
        match &self.mode {
            Mode::Typed { part, next, .. } => {
                next.checked_sub(1).and_then(|i| part.xy.get(i)).copied()
            }
            _ => None,
        }
    }

    /// The 1-based input line on which `rec`, the record just read, starts
    /// (counted on demand: only messages need it).
    pub fn line(&mut self, rec: &ByteRecord) -> u64 {
        if let Mode::Csv { slice, last, .. } = &self.mode {
            let start = rec.position().map_or(*last, |p| p.byte() as usize);
            let start = start
                + slice[start.min(slice.len())..]
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
            self.advance(start);
        }
        self.current_line()
    }

    fn advance(&mut self, to: usize) {
        if let Mode::Csv {
            slice, line, last, ..
        } = &mut self.mode
        {
            let to = to.clamp(*last, slice.len());
            *line += count_lines(&slice[*last..to]);
            *last = to;
        }
    }

    /// The bytes of the record just read, as written (quotes and all), without
    /// its line break; `None` for rows that were never CSV.
    pub fn raw(&self, rec: &ByteRecord) -> Option<&'a [u8]> {
        let Mode::Csv { rd, slice, .. } = &self.mode else {
            return None;
        };
        let start = rec.position().map_or(0, |p| p.byte() as usize);
        let end = (rd.position().byte() as usize).min(slice.len());
        let raw = &slice[start.min(end)..end];
        // Blank lines before the record belong to no record.
        let skip = raw
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let raw = &raw[skip..];
        let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
        Some(raw.strip_suffix(b"\r").unwrap_or(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV reader over `text`, its columns found by name.
    fn reader(text: &str) -> PointReader {
        PointReader::csv_from(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            "t",
            None,
            None,
        )
        .unwrap()
    }

    #[test]
    fn blocks_cut_at_record_ends_outside_quotes() {
        let text = "id,lat,lon,note\n1,40,44,\"two\nlines\"\n2,41,45,x\n3,42,46,y";
        let mut r = reader(text);
        let mut block = Block::default();
        let more = r.read_block(&mut block, 1 << 16).unwrap();
        assert!(!more);
        assert_eq!(block.pieces.len(), 1);
        assert_eq!(block.pieces[0].first_line, 2);
        let piece = &block.bytes[block.pieces[0].range.clone()];
        assert!(piece.ends_with(b"3,42,46,y"));
        assert_eq!(r.line, 5);
        // A tiny block size still yields whole records.
        let mut r = reader(text);
        let mut seen = Vec::new();
        loop {
            let more = r.read_block(&mut block, 4).unwrap();
            for p in &block.pieces {
                seen.push(String::from_utf8(block.bytes[p.range.clone()].to_vec()).unwrap());
            }
            if !more {
                break;
            }
        }
        assert_eq!(
            seen.concat(),
            "1,40,44,\"two\nlines\"\n2,41,45,x\n3,42,46,y"
        );
    }

    /// The splitter finds exactly the records the csv crate reads, on random
    /// text made of the characters that matter (quotes, delimiters, every
    /// kind of line break): each piece cut at its record ends reads as the
    /// same records as the whole.
    #[test]
    fn splitter_agrees_with_the_csv_crate() {
        use proptest::prelude::*;
        let alphabet =
            prop::sample::select(vec!["a", "b", ",", ";", "\"", "\n", "\r", "\r\n", "\"\""]);
        let texts = prop::collection::vec(alphabet, 0..60).prop_map(|v| v.concat());
        let read_all = |bytes: &[u8], d: u8| -> Vec<Vec<Vec<u8>>> {
            let mut r = csv::ReaderBuilder::new()
                .delimiter(d)
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes);
            r.byte_records()
                .map(|x| x.unwrap().iter().map(<[u8]>::to_vec).collect())
                .collect()
        };
        proptest!(|(text in texts, semi in any::<bool>())| {
            let d = if semi { b';' } else { b',' };
            let bytes = text.as_bytes();
            let mut sp = Splitter::new(d);
            let mut ends = Vec::new();
            sp.scan(bytes, 0, |e| { ends.push(e); true });
            let whole = read_all(bytes, d);
            let mut pieces = Vec::new();
            let mut start = 0;
            for &e in ends.iter().chain(std::iter::once(&bytes.len())) {
                pieces.extend(read_all(&bytes[start..e], d));
                start = e;
            }
            prop_assert_eq!(pieces, whole);
        });
    }
}
