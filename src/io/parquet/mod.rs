//! GeoParquet 1.0 and 1.1 read with the Apache `parquet` and `arrow`
//! crates: the `geo` metadata (version, primary column, encoding, CRS as
//! PROJJSON), the primary geometry column as WKB or in the native GeoArrow
//! encodings (point, linestring, polygon, multipoint, multilinestring,
//! multipolygon; separated or interleaved coordinates), the other columns
//! as properties. Read a record batch at a time ([`Batches`]), so points can
//! stream.

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::file::reader::ChunkReader;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::feature::{Feature, Geometry};
use super::points::PointPart;
use crate::crs::Crs;
use crate::error::{Error, Result};

mod decode;
mod guard;
use decode::{Text, coords, geometries, values, wkb_point};
use guard::{check_chunks, dictionary_schema, row_sizes};

/// Rows per record batch read.
pub const BATCH_ROWS: usize = 65_536;

/// The `geo` key of a GeoParquet file's metadata (the parts read).
#[derive(Debug, Clone, Deserialize)]
pub struct GeoMetadata {
    /// GeoParquet version (`1.0.0`, `1.1.0`).
    pub version: String,
    /// The geometry column read.
    pub primary_column: String,
    /// Each geometry column.
    pub columns: std::collections::BTreeMap<String, GeoColumn>,
}

/// One geometry column's metadata.
#[derive(Debug, Clone, Deserialize)]
pub struct GeoColumn {
    /// `WKB` or a GeoArrow encoding (`point`, `polygon`, ...).
    pub encoding: String,
    /// The CRS as PROJJSON; absent means OGC:CRS84, `null` an undefined CRS.
    #[serde(default = "absent")]
    pub crs: Option<Value>,
    /// `planar` (default) or `spherical`.
    #[serde(default)]
    pub edges: Option<String>,
    /// GeoParquet 1.1: the columns that cover the geometry (a bbox struct).
    #[serde(default)]
    pub covering: Option<Value>,
}

impl GeoMetadata {
    /// The columns that are geometry or its covering (not properties). A
    /// covering is a struct column: a name the metadata gives whose column
    /// is no struct (`is_struct` false) stays a property, so that metadata
    /// naming the `id` column as a bbox cannot hide it.
    pub fn geometry_columns(&self, is_struct: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out: Vec<String> = self.columns.keys().cloned().collect();
        for c in self.columns.values() {
            if let Some(Value::Object(bbox)) = c.covering.as_ref().and_then(|v| v.get("bbox")) {
                for path in bbox.values() {
                    if let Some(name) = path.get(0).and_then(Value::as_str)
                        && is_struct(name)
                        && !out.iter().any(|o| o == name)
                    {
                        out.push(name.to_string());
                    }
                }
            }
        }
        out
    }
}

fn absent() -> Option<Value> {
    Some(Value::String("OGC:CRS84".into()))
}

fn bad(label: &str, what: impl Into<String>) -> Error {
    Error::BadFile {
        path: label.to_string(),
        what: what.into(),
    }
}

/// The CRS of a PROJJSON value: `None` for WGS84 (and OGC:CRS84), `EPSG:N`
/// when it carries an EPSG id, the PROJJSON text (for PROJ) otherwise.
pub fn crs_of(v: &Value, label: &str) -> Result<Option<Crs>> {
    if let Value::String(s) = v {
        let c: Crs = s.parse().map_err(|e: String| bad(label, e))?;
        return Ok((!c.is_wgs84()).then_some(c));
    }
    if v.is_null() {
        return Ok(None); // undefined: read as longitude/latitude, range-checked
    }
    let id = v.get("id").or_else(|| v.pointer("/ids/0"));
    let crs: Crs = match id.and_then(|id| Some((id.get("authority")?.as_str()?, id.get("code")?))) {
        Some((auth, code)) => {
            let code = match code {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{auth}:{code}")
                .parse()
                .map_err(|e: String| bad(label, e))?
        }
        None => v.to_string().parse().map_err(|e: String| bad(label, e))?,
    };
    Ok((!crs.is_wgs84()).then_some(crs))
}

/// A Parquet file opened for reading, a record batch at a time.
pub struct Batches {
    reader: ParquetRecordBatchReader,
    /// The `geo` metadata, when the file has it.
    pub geo: Option<GeoMetadata>,
    /// The primary geometry column's index in each batch.
    pub geometry_col: Option<usize>,
    /// The CRS of the primary geometry column.
    pub crs: Option<Crs>,
    /// Rows in the file.
    pub rows: u64,
    /// Column names, in order.
    pub names: Vec<String>,
    /// The columns that are geometry or its covering, not properties
    /// ([`GeoMetadata::geometry_columns`]).
    pub hidden: Vec<String>,
    label: String,
    /// Features handed out so far.
    pub read: usize,
    /// A batch being handed out in slices, and the row the next starts at.
    pending: Option<(RecordBatch, usize)>,
    /// Bytes of values decoded so far.
    decoded: u64,
    /// Read whole into memory ([`Batches::all`]): the decoded bytes count
    /// against [`crate::io::MAX_DECODED_BYTES`] (points stream instead).
    whole: bool,
}

/// The decoded bytes of values a slice of a record batch holds at most
/// (see [`Batches::next_batch`]): 16 MiB.
pub const SLICE_BYTES: usize = 16 << 20;

/// Open a Parquet file. Without `geo` metadata it is an error unless
/// `plain_ok` (points in plain lat/lon columns).
pub fn open<R: ChunkReader + 'static>(r: R, label: &str, plain_ok: bool) -> Result<Batches> {
    let perr =
        |e: parquet::errors::ParquetError| bad(label, format!("not a readable Parquet file: {e}"));
    let file_len = r.len();
    let plain = ArrowReaderMetadata::load(&r, ArrowReaderOptions::new()).map_err(perr)?;
    check_chunks(plain.metadata(), file_len, label)?;
    // Text and binary columns stored with dictionary pages are read as Arrow
    // dictionaries: a small file can repeat a large value on every row, and
    // decoded whole its batch would take gigabytes before any check.
    let meta = match dictionary_schema(&plain) {
        Some(schema) => ArrowReaderMetadata::try_new(
            plain.metadata().clone(),
            ArrowReaderOptions::new().with_schema(schema),
        )
        .map_err(perr)?,
        None => plain,
    };
    let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(r, meta);
    let meta = builder.metadata().file_metadata();
    let rows = meta.num_rows().max(0) as u64;
    let geo_text = meta
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == "geo"))
        .and_then(|k| k.value.clone());
    let geo: Option<GeoMetadata> = match geo_text {
        // Parsed strictly: a key named twice (two `crs`) is ambiguous, and
        // serde would silently keep the last.
        Some(t) => Some(
            crate::io::json::strict_json(&t)
                .and_then(serde_json::from_value)
                .map_err(|e| {
                    bad(
                        label,
                        format!(
                            "its \"geo\" metadata is not GeoParquet metadata: {}",
                            crate::text::excerpt(&e.to_string())
                        ),
                    )
                })?,
        ),
        None if plain_ok => None,
        None => {
            return Err(bad(
                label,
                "a Parquet file without GeoParquet \"geo\" metadata: no geometry column is declared; write it as GeoParquet (geopandas to_parquet, ogr2ogr -f Parquet, territory -f parquet)",
            ));
        }
    };
    let schema = builder.schema().clone();
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let (geometry_col, crs) = match &geo {
        Some(g) => {
            if !g.version.starts_with("1.") && !g.version.starts_with("0.") {
                return Err(bad(
                    label,
                    format!(
                        "GeoParquet version {} is not read (1.0 and 1.1 are)",
                        g.version
                    ),
                ));
            }
            let col = g.columns.get(&g.primary_column).ok_or_else(|| {
                bad(
                    label,
                    format!(
                        "the \"geo\" metadata names primary column {:?} but describes no such column",
                        g.primary_column
                    ),
                )
            })?;
            let k = names
                .iter()
                .position(|n| *n == g.primary_column)
                .ok_or_else(|| {
                    bad(
                        label,
                        format!(
                            "no column {:?} (the primary geometry column)",
                            g.primary_column
                        ),
                    )
                })?;
            let crs = match &col.crs {
                Some(v) => crs_of(v, label)?,
                None => None,
            };
            (Some(k), crs)
        }
        None => (None, None),
    };
    let is_struct = |name: &str| {
        schema
            .field_with_name(name)
            .is_ok_and(|f| matches!(f.data_type(), DataType::Struct(_)))
    };
    let hidden = geo
        .as_ref()
        .map(|g| g.geometry_columns(is_struct))
        .unwrap_or_default();
    let reader = builder.with_batch_size(BATCH_ROWS).build().map_err(perr)?;
    Ok(Batches {
        reader,
        geo,
        geometry_col,
        crs,
        rows,
        names,
        hidden,
        label: label.to_string(),
        read: 0,
        pending: None,
        decoded: 0,
        whole: false,
    })
}

impl Batches {
    /// The next record batch, or `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        if let Some((batch, from)) = self.pending.take() {
            return Ok(Some(self.slice(batch, from)?));
        }
        match self.reader.next() {
            None => Ok(None),
            Some(Ok(b)) => Ok(Some(self.slice(b, 0)?)),
            Some(Err(e)) => Err(bad(
                &self.label,
                format!("row {}: not readable: {e}", self.read + 1),
            )),
        }
    }

    /// The rows of `batch` from `from` whose decoded values come to at most
    /// [`SLICE_BYTES`] (one row at least), the rest kept for the next call:
    /// dictionaries are expanded a slice at a time, so memory stays flat
    /// whatever a file repeats. A value over its cap (an attribute
    /// [`crate::io::MAX_FIELD_BYTES`], a geometry
    /// [`crate::io::gpkg::MAX_VALUE_BYTES`]) is an error naming its row.
    fn slice(&mut self, batch: RecordBatch, from: usize) -> Result<RecordBatch> {
        let n = batch.num_rows();
        let mut per_row = vec![0usize; n - from];
        for (k, col) in batch.columns().iter().enumerate() {
            let Some(sizes) = row_sizes(col) else {
                continue;
            };
            let cap = if Some(k) == self.geometry_col {
                crate::io::gpkg::MAX_VALUE_BYTES
            } else {
                crate::io::MAX_FIELD_BYTES
            };
            for (i, (&size, total)) in sizes[from..].iter().zip(per_row.iter_mut()).enumerate() {
                if size > cap {
                    return Err(bad(
                        &self.label,
                        format!(
                            "row {}: column {} holds {:.1} MiB; at most {} MiB",
                            self.read + i + 1,
                            crate::text::quoted(&self.names[k]),
                            size as f64 / (1 << 20) as f64,
                            cap >> 20
                        ),
                    ));
                }
                *total += size;
            }
        }
        let (mut rows, mut bytes) = (0, 0usize);
        for &size in &per_row {
            if rows > 0 && bytes + size > SLICE_BYTES {
                break;
            }
            rows += 1;
            bytes += size;
        }
        if from + rows < n {
            self.pending = Some((batch.clone(), from + rows));
        }
        self.decoded += bytes as u64;
        Ok(batch.slice(from, rows))
    }

    /// The features of a batch (their properties and primary geometry).
    pub fn features(&mut self, batch: &RecordBatch) -> Result<Vec<Feature>> {
        let n = batch.num_rows();
        if self.whole && self.decoded > crate::io::MAX_DECODED_BYTES {
            return Err(crate::io::too_large_decoded(&self.label, self.read + n));
        }
        let encoding = match (&self.geo, self.geometry_col) {
            (Some(g), Some(_)) => g.columns[&g.primary_column].encoding.to_ascii_lowercase(),
            _ => String::new(),
        };
        let mut props: Vec<Map<String, Value>> = vec![Map::new(); n];
        let skip = &self.hidden;
        for (k, name) in self.names.iter().enumerate() {
            if Some(k) == self.geometry_col || skip.contains(name) {
                continue;
            }
            let col = batch.column(k);
            let values = values(col, n).map_err(|ty| {
                bad(
                    &self.label,
                    format!("column {name:?} is of type {ty}, which this tool does not read; drop it (or cast it to text) first"),
                )
            })?;
            for (p, v) in props.iter_mut().zip(values) {
                p.insert(name.clone(), v);
            }
        }
        let geoms: Vec<Geometry> = match self.geometry_col {
            Some(k) => geometries(batch.column(k), &encoding)
                .map_err(|e| bad(&self.label, format!("geometry column: {e}")))?,
            None => vec![Geometry::Null; n],
        };
        let start = self.read;
        self.read += n;
        Ok(props
            .into_iter()
            .zip(geoms)
            .enumerate()
            .map(|(i, (properties, geometry))| Feature {
                index: start + i + 1,
                line: None,
                id: None,
                properties,
                geometry,
            })
            .collect())
    }

    /// The property columns `keys` of a batch as [`Text`] views; `None`
    /// when one is of a type the fast paths do not format.
    fn texts<'b>(&self, batch: &'b RecordBatch, keys: &[String]) -> Option<Vec<Text<'b>>> {
        keys.iter()
            .map(|k| {
                let i = self.names.iter().position(|n| n == k)?;
                Text::of(batch.column(i))
            })
            .collect()
    }

    /// The rows of a batch without geometry as CSV text, as `locate` reads
    /// points from plain latitude and longitude columns: each property
    /// column as text (as [`Batches::features`] would give it). A fast path
    /// for text and number columns, made in parallel; `None` when a column
    /// needs the general one.
    pub fn point_csv(&self, batch: &RecordBatch, keys: &[String]) -> Option<Vec<u8>> {
        let n = batch.num_rows();
        let texts = self.texts(batch, keys)?;
        // Chunks of rows in parallel: this runs beside the lookups of the
        // previous block, and must keep up with them.
        use rayon::prelude::*;
        const CHUNK: usize = 8192;
        let parts: Vec<Vec<u8>> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let (mut ib, mut fb) = (itoa::Buffer::new(), ryu::Buffer::new());
                let rows = c * CHUNK..((c + 1) * CHUNK).min(n);
                let mut out = Vec::with_capacity(rows.len() * 32);
                for i in rows {
                    for (k, t) in texts.iter().enumerate() {
                        if k > 0 {
                            out.push(b',');
                        }
                        t.push(i, &mut out, &mut ib, &mut fb);
                    }
                    out.push(b'\n');
                }
                out
            })
            .collect();
        Some(parts.concat())
    }

    /// The rows of a batch with Point geometries as typed parts of `per`
    /// rows for the lookups ([`PointPart`]): each property column as text
    /// (as [`Batches::features`] would give it) and the point's longitude
    /// and latitude as numbers, transformed by `to_wgs84`; no CSV text is
    /// made or parsed. A fast path for text and number columns and WKB or
    /// GeoArrow points, made in parallel; `None` when a row needs the
    /// general one (which names the row at fault).
    pub fn point_parts(
        &self,
        batch: &RecordBatch,
        keys: &[String],
        to_wgs84: Option<&crate::crs::Transformer>,
        per: usize,
    ) -> Option<Vec<PointPart>> {
        let n = batch.num_rows();
        let g = batch.column(self.geometry_col?);
        let geo = self.geo.as_ref()?;
        let enc = geo
            .columns
            .get(&geo.primary_column)?
            .encoding
            .to_ascii_lowercase();
        let mut xy = Vec::with_capacity(n);
        match (enc.as_str(), g.data_type()) {
            ("wkb", DataType::Binary) => {
                let a = g.as_binary::<i32>();
                for i in 0..n {
                    xy.push(wkb_point(a.is_valid(i).then(|| a.value(i)))?);
                }
            }
            ("wkb", DataType::LargeBinary) => {
                let a = g.as_binary::<i64>();
                for i in 0..n {
                    xy.push(wkb_point(a.is_valid(i).then(|| a.value(i)))?);
                }
            }
            ("point", _) => {
                for i in 0..n {
                    if g.is_null(i) {
                        return None;
                    }
                    let c = coords(g.as_ref(), i..i + 1).ok()?;
                    xy.push(c.coords.first().map(|c| (c.x, c.y))?);
                }
            }
            _ => return None,
        }
        if let Some(t) = to_wgs84 {
            for p in &mut xy {
                *p = crate::crs::transform_point(t, p.0, p.1).ok()?;
            }
        }
        let texts = self.texts(batch, keys)?;
        use rayon::prelude::*;
        let per = per.max(1);
        let parts = (0..n.div_ceil(per))
            .into_par_iter()
            .map(|c| {
                let (mut ib, mut fb) = (itoa::Buffer::new(), ryu::Buffer::new());
                let rows = c * per..((c + 1) * per).min(n);
                let mut part = PointPart {
                    width: texts.len(),
                    text: Vec::with_capacity(rows.len() * 8 * texts.len()),
                    ends: Vec::with_capacity(rows.len() * texts.len()),
                    xy: xy[rows.clone()].to_vec(),
                };
                for i in rows {
                    for t in &texts {
                        t.push_raw(i, &mut part.text, &mut ib, &mut fb);
                        part.ends.push(part.text.len());
                    }
                }
                part
            })
            .collect();
        Some(parts)
    }

    /// Every remaining feature.
    pub fn all(mut self) -> Result<(Vec<Feature>, Option<Crs>)> {
        self.whole = true;
        let mut out = Vec::with_capacity((self.rows as usize).min(1 << 20));
        while let Some(b) = self.next_batch()? {
            out.extend(self.features(&b)?);
        }
        Ok((out, self.crs))
    }
}
