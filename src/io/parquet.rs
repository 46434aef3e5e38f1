//! GeoParquet 1.0 and 1.1 read with the Apache `parquet` and `arrow`
//! crates: the `geo` metadata (version, primary column, encoding, CRS as
//! PROJJSON), the primary geometry column as WKB or in the native GeoArrow
//! encodings (point, linestring, polygon, multipoint, multilinestring,
//! multipolygon; separated or interleaved coordinates), the other columns
//! as properties. Read a record batch at a time ([`Batches`]), so points can
//! stream.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use geo::Coord;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::file::reader::ChunkReader;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::sync::Arc;

use super::feature::{Feature, Geometry, Part, Positions, Ring};
use super::points::PointPart;
use crate::crs::Crs;
use crate::error::{Error, Result};

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
/// (see [`Batches::next_batch`]): 64 MiB.
pub const SLICE_BYTES: usize = 64 << 20;

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

/// The file's Arrow schema with each top-level text or binary column whose
/// chunks are all dictionary-encoded made a dictionary (`None`: no change).
fn dictionary_schema(meta: &ArrowReaderMetadata) -> Option<arrow_schema::SchemaRef> {
    let schema = meta.schema();
    let pq = meta.metadata();
    let leaves = pq.file_metadata().schema_descr();
    let mut changed = false;
    let fields: Vec<arrow_schema::FieldRef> = schema
        .fields()
        .iter()
        .map(|f| {
            let byte_array = matches!(
                f.data_type(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Binary | DataType::LargeBinary
            );
            // The leaf column of this top-level field (a plain column is one).
            let leaf = (0..leaves.num_columns()).find(|&i| {
                let path = leaves.column(i).path().parts().to_vec();
                path.len() == 1 && path[0] == *f.name()
            });
            // Only where every data page is dictionary-encoded (the parquet
            // crate's own test): a writer that fell back to plain pages
            // stores its values in full, and reading those as a dictionary
            // would only cost a hash of every value.
            let paged = leaf.is_some_and(|i| {
                pq.num_row_groups() > 0
                    && pq.row_groups().iter().all(|rg| {
                        let c = rg.column(i);
                        // Without page statistics, a dictionary page is taken
                        // at its word (safe, if slower on a fallen-back chunk).
                        c.dictionary_page_offset().is_some()
                            && c.page_encoding_stats_mask().is_none_or(|m| {
                                m.is_only(parquet::basic::Encoding::PLAIN_DICTIONARY)
                                    || m.is_only(parquet::basic::Encoding::RLE_DICTIONARY)
                            })
                    })
            });
            if byte_array && paged {
                changed = true;
                Arc::new(f.as_ref().clone().with_data_type(DataType::Dictionary(
                    Box::new(DataType::Int32),
                    Box::new(f.data_type().clone()),
                )))
            } else {
                f.clone()
            }
        })
        .collect();
    changed.then(|| {
        Arc::new(arrow_schema::Schema::new_with_metadata(
            fields,
            schema.metadata().clone(),
        ))
    })
}

/// Each row's decoded size in bytes for the variable-width columns (text,
/// binary, and dictionaries of them, counted once per row that uses a
/// value); `None` for the other types, whose size is their array's.
fn row_sizes(col: &ArrayRef) -> Option<Vec<usize>> {
    let n = col.len();
    let of = |offsets: &[i64]| offsets.windows(2).map(|w| (w[1] - w[0]) as usize).collect();
    Some(match col.data_type() {
        DataType::Utf8 | DataType::Binary => {
            let o = col.to_data().buffers()[0].typed_data::<i32>().to_vec();
            let o: Vec<i64> = o[col.offset()..=col.offset() + n]
                .iter()
                .map(|&x| i64::from(x))
                .collect();
            of(&o)
        }
        DataType::LargeUtf8 | DataType::LargeBinary => {
            let data = col.to_data();
            let o = data.buffers()[0].typed_data::<i64>();
            of(&o[col.offset()..=col.offset() + n])
        }
        DataType::Utf8View => {
            let a = col.as_string_view();
            (0..n).map(|i| a.value(i).len()).collect()
        }
        DataType::BinaryView => {
            let a = col.as_binary_view();
            (0..n).map(|i| a.value(i).len()).collect()
        }
        DataType::Dictionary(_, _) => {
            let d = col.as_any_dictionary();
            let sizes = row_sizes(d.values())?;
            d.normalized_keys()
                .into_iter()
                .enumerate()
                .map(|(i, k)| {
                    if col.is_null(i) {
                        0
                    } else {
                        sizes.get(k).copied().unwrap_or(0)
                    }
                })
                .collect()
        }
        _ => return None,
    })
}

/// Every column chunk the footer describes lies within the file (the
/// parquet crate asserts it, a panic, when it reads one: found by fuzzing).
fn check_chunks(
    meta: &parquet::file::metadata::ParquetMetaData,
    file_len: u64,
    label: &str,
) -> Result<()> {
    for (g, rg) in meta.row_groups().iter().enumerate() {
        for c in rg.columns() {
            let start = c
                .dictionary_page_offset()
                .unwrap_or_else(|| c.data_page_offset());
            let len = c.compressed_size();
            let fits = start >= 0
                && len >= 0
                && (start as u64)
                    .checked_add(len as u64)
                    .is_some_and(|end| end <= file_len);
            if !fits {
                return Err(bad(
                    label,
                    format!(
                        "corrupt footer: row group {}, column {:?} lies outside the file (bytes {start}, length {len}, file {file_len})",
                        g + 1,
                        c.column_path().string()
                    ),
                ));
            }
        }
    }
    Ok(())
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

fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// A column's values as JSON; `Err(type)` for a type not read.
fn values(col: &ArrayRef, n: usize) -> std::result::Result<Vec<Value>, String> {
    macro_rules! prim {
        ($t:ty, $f:expr) => {{
            let a = col.as_primitive::<$t>();
            (0..n)
                .map(|i| {
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        $f(a.value(i))
                    }
                })
                .collect()
        }};
    }
    Ok(match col.data_type() {
        DataType::Null => vec![Value::Null; n],
        DataType::Boolean => {
            let a = col.as_boolean();
            (0..n)
                .map(|i| {
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        Value::Bool(a.value(i))
                    }
                })
                .collect()
        }
        DataType::Int8 => prim!(Int8Type, Value::from),
        DataType::Int16 => prim!(Int16Type, Value::from),
        DataType::Int32 => prim!(Int32Type, Value::from),
        DataType::Int64 => prim!(Int64Type, Value::from),
        DataType::UInt8 => prim!(UInt8Type, Value::from),
        DataType::UInt16 => prim!(UInt16Type, Value::from),
        DataType::UInt32 => prim!(UInt32Type, Value::from),
        DataType::UInt64 => prim!(UInt64Type, Value::from),
        DataType::Float32 => prim!(Float32Type, |x: f32| num(f64::from(x))),
        DataType::Float64 => prim!(Float64Type, num),
        DataType::Date32 => prim!(Date32Type, |d: i32| {
            arrow_array::temporal_conversions::date32_to_datetime(d).map_or(Value::Null, |t| {
                Value::String(t.format("%Y-%m-%d").to_string())
            })
        }),
        DataType::Timestamp(unit, _) => {
            use arrow_array::temporal_conversions as tc;
            use arrow_array::types::{
                TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
                TimestampSecondType,
            };
            let text = |t: Option<chrono::NaiveDateTime>| {
                t.map_or(Value::Null, |t| {
                    Value::String(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
                })
            };
            match unit {
                TimeUnit::Second => {
                    prim!(TimestampSecondType, |v| text(tc::timestamp_s_to_datetime(
                        v
                    )))
                }
                TimeUnit::Millisecond => {
                    prim!(TimestampMillisecondType, |v| text(
                        tc::timestamp_ms_to_datetime(v)
                    ))
                }
                TimeUnit::Microsecond => {
                    prim!(TimestampMicrosecondType, |v| text(
                        tc::timestamp_us_to_datetime(v)
                    ))
                }
                TimeUnit::Nanosecond => {
                    prim!(TimestampNanosecondType, |v| text(
                        tc::timestamp_ns_to_datetime(v)
                    ))
                }
            }
        }
        DataType::Utf8 => strings(col.as_string::<i32>().iter(), n),
        DataType::LargeUtf8 => strings(col.as_string::<i64>().iter(), n),
        DataType::Utf8View => strings(col.as_string_view().iter(), n),
        DataType::Dictionary(_, _) => {
            let d = col.as_any_dictionary();
            let vals = values(d.values(), d.values().len())?;
            d.normalized_keys()
                .into_iter()
                .enumerate()
                .map(|(i, k)| {
                    if col.is_null(i) {
                        Value::Null
                    } else {
                        vals.get(k).cloned().unwrap_or(Value::Null)
                    }
                })
                .collect()
        }
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => {
            return Err(format!("{} (binary)", col.data_type()));
        }
        other => return Err(format!("{other}")),
    })
}

/// A column read as text, for the common types: strings as they are
/// (line breaks as spaces), integers and reals as JSON writes them (a
/// non-finite real is empty, as JSON's null), nulls empty.
enum Text<'a> {
    Str(&'a arrow_array::StringArray),
    LargeStr(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    I64(&'a arrow_array::Int64Array),
    I32(&'a arrow_array::Int32Array),
    F64(&'a arrow_array::Float64Array),
}

impl<'a> Text<'a> {
    fn of(col: &'a ArrayRef) -> Option<Text<'a>> {
        Some(match col.data_type() {
            DataType::Utf8 => Text::Str(col.as_string::<i32>()),
            DataType::LargeUtf8 => Text::LargeStr(col.as_string::<i64>()),
            DataType::Utf8View => Text::View(col.as_string_view()),
            DataType::Int64 => Text::I64(col.as_primitive::<Int64Type>()),
            DataType::Int32 => Text::I32(col.as_primitive::<Int32Type>()),
            DataType::Float64 => Text::F64(col.as_primitive::<Float64Type>()),
            _ => return None,
        })
    }

    /// Value `i` as text (as [`Batches::features`] would give it, line
    /// breaks as spaces, so that a row is one line); `None` for a null.
    fn value<'s>(
        &'s self,
        i: usize,
        ib: &'s mut itoa::Buffer,
        fb: &'s mut ryu::Buffer,
    ) -> Option<std::borrow::Cow<'s, str>> {
        let s: &str = match self {
            Text::Str(a) => a.is_valid(i).then(|| a.value(i)),
            Text::LargeStr(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
            Text::I64(a) => a.is_valid(i).then(|| ib.format(a.value(i))),
            Text::I32(a) => a.is_valid(i).then(|| ib.format(a.value(i))),
            Text::F64(a) => a
                .is_valid(i)
                .then(|| a.value(i))
                .filter(|x| x.is_finite())
                .map(|x| fb.format_finite(x)),
        }?;
        Some(if s.contains(['\n', '\r']) {
            s.replace(['\n', '\r'], " ").into()
        } else {
            s.into()
        })
    }

    /// Append value `i` as a CSV field (quoted when it holds a comma or a
    /// quote).
    fn push(&self, i: usize, out: &mut Vec<u8>, ib: &mut itoa::Buffer, fb: &mut ryu::Buffer) {
        let Some(s) = self.value(i, ib, fb) else {
            return;
        };
        if s.contains([',', '"']) {
            out.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    out.push(b'"');
                }
                out.push(b);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(s.as_bytes());
        }
    }

    /// Append value `i` as it is (a field of a [`PointPart`]).
    fn push_raw(&self, i: usize, out: &mut Vec<u8>, ib: &mut itoa::Buffer, fb: &mut ryu::Buffer) {
        if let Some(s) = self.value(i, ib, fb) {
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// The x, y of a WKB Point (ISO or EWKB, any dimension; either byte order),
/// `None` for anything else or a point that is not two finite numbers.
fn wkb_point(b: Option<&[u8]>) -> Option<(f64, f64)> {
    let b = b?;
    let le = *b.first()? == 1;
    let word = |at: usize| -> Option<u32> {
        let w: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(w)
        } else {
            u32::from_be_bytes(w)
        })
    };
    let float = |at: usize| -> Option<f64> {
        let w: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
        Some(if le {
            f64::from_le_bytes(w)
        } else {
            f64::from_be_bytes(w)
        })
    };
    let ty = word(1)?;
    let srid = ty & 0x2000_0000 != 0;
    if (ty & 0x0FFF_FFFF) % 1000 != 1 {
        return None;
    }
    let at = if srid { 9 } else { 5 };
    let (x, y) = (float(at)?, float(at + 8)?);
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

fn strings<'a>(it: impl Iterator<Item = Option<&'a str>>, n: usize) -> Vec<Value> {
    let mut out = Vec::with_capacity(n);
    out.extend(it.map(|s| s.map_or(Value::Null, |s| Value::String(s.to_string()))));
    out
}

/// The geometries of a column in `encoding`.
fn geometries(col: &ArrayRef, encoding: &str) -> std::result::Result<Vec<Geometry>, String> {
    let n = col.len();
    let wkb = |bytes: Option<&[u8]>| match bytes {
        None => Geometry::Null,
        Some(b) => super::wkb::from_wkb(b),
    };
    if let DataType::Dictionary(_, _) = col.data_type() {
        // Each distinct value decoded once, then shared by the rows.
        let d = col.as_any_dictionary();
        let distinct = geometries(d.values(), encoding)?;
        return Ok(d
            .normalized_keys()
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                if col.is_null(i) {
                    Geometry::Null
                } else {
                    distinct.get(k).cloned().unwrap_or(Geometry::Null)
                }
            })
            .collect());
    }
    if encoding == "wkb" {
        return match col.data_type() {
            DataType::Binary => Ok(col.as_binary::<i32>().iter().map(wkb).collect()),
            DataType::LargeBinary => Ok(col.as_binary::<i64>().iter().map(wkb).collect()),
            DataType::BinaryView => Ok(col.as_binary_view().iter().map(wkb).collect()),
            other => Err(format!("encoding WKB in a column of type {other}")),
        };
    }
    let depth = match encoding {
        "point" => 0,
        "linestring" | "multipoint" => 1,
        "polygon" | "multilinestring" => 2,
        "multipolygon" => 3,
        other => {
            return Err(format!(
                "encoding {other:?} is not read (WKB and the GeoArrow encodings are)"
            ));
        }
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        if col.is_null(i) {
            out.push(Geometry::Null);
            continue;
        }
        out.push(native(col, i, depth, encoding)?);
    }
    Ok(out)
}

/// Offsets of a list array (`List` or `LargeList`) and its values.
fn list(a: &dyn Array) -> std::result::Result<(Vec<usize>, ArrayRef), String> {
    match a.data_type() {
        DataType::List(_) => {
            let l = a.as_list::<i32>();
            Ok((
                l.offsets().iter().map(|&o| o as usize).collect(),
                l.values().clone(),
            ))
        }
        DataType::LargeList(_) => {
            let l = a.as_list::<i64>();
            Ok((
                l.offsets().iter().map(|&o| o as usize).collect(),
                l.values().clone(),
            ))
        }
        other => Err(format!("a GeoArrow list expected, found {other}")),
    }
}

/// Coordinates `range` of a GeoArrow coordinate array (struct of x, y or
/// interleaved fixed-size list).
fn coords(a: &dyn Array, range: std::ops::Range<usize>) -> std::result::Result<Positions, String> {
    let mut ps = Positions::default();
    match a.data_type() {
        DataType::Struct(fields) => {
            let s = a.as_struct();
            let (xs, ys) = (
                s.column_by_name("x").ok_or("coordinates without x")?,
                s.column_by_name("y").ok_or("coordinates without y")?,
            );
            let (xs, ys) = (
                xs.as_primitive_opt::<Float64Type>()
                    .ok_or("x is not float64")?,
                ys.as_primitive_opt::<Float64Type>()
                    .ok_or("y is not float64")?,
            );
            if range.end > xs.len() || range.end > ys.len() {
                return Err("offsets past the coordinates".into());
            }
            ps.had_z = fields.len() > 2 && s.column_by_name("z").is_some();
            for i in range {
                ps.push_xy(xs.value(i), ys.value(i));
            }
        }
        DataType::FixedSizeList(_, size) => {
            let l = a.as_fixed_size_list();
            let size = *size as usize;
            let v = l
                .values()
                .as_primitive_opt::<Float64Type>()
                .ok_or("coordinates are not float64")?;
            if size < 2 || (range.end * size) > v.len() {
                return Err("offsets past the coordinates".into());
            }
            ps.had_z = size > 2;
            for i in range {
                ps.push_xy(v.value(i * size), v.value(i * size + 1));
            }
        }
        other => return Err(format!("GeoArrow coordinates expected, found {other}")),
    }
    Ok(ps)
}

fn span(offsets: &[usize], i: usize) -> std::result::Result<std::ops::Range<usize>, String> {
    match (offsets.get(i), offsets.get(i + 1)) {
        (Some(&a), Some(&b)) if a <= b => Ok(a..b),
        _ => Err("corrupt list offsets".into()),
    }
}

fn native(
    col: &ArrayRef,
    i: usize,
    depth: usize,
    encoding: &str,
) -> std::result::Result<Geometry, String> {
    let not_area =
        |kind: &str, points: Vec<Coord<f64>>, lines: Vec<geo::LineString<f64>>| Geometry::NotArea {
            kind: kind.into(),
            points,
            lines,
        };
    match depth {
        0 => Ok(not_area(
            "Point",
            coords(col.as_ref(), i..i + 1)?.coords,
            Vec::new(),
        )),
        _ => {
            let (o1, v1) = list(col.as_ref())?;
            let r1 = span(&o1, i)?;
            match encoding {
                "linestring" => Ok(not_area(
                    "LineString",
                    Vec::new(),
                    vec![geo::LineString(coords(v1.as_ref(), r1)?.coords)],
                )),
                "multipoint" => Ok(not_area(
                    "MultiPoint",
                    coords(v1.as_ref(), r1)?.coords,
                    Vec::new(),
                )),
                "polygon" | "multilinestring" => {
                    let (o2, v2) = list(v1.as_ref())?;
                    let mut rings = Vec::new();
                    for j in r1 {
                        rings.push(coords(v2.as_ref(), span(&o2, j)?)?);
                    }
                    Ok(if encoding == "polygon" {
                        Geometry::Polygon(rings.into_iter().map(Ring::Positions).collect())
                    } else {
                        not_area(
                            "MultiLineString",
                            Vec::new(),
                            rings
                                .into_iter()
                                .map(|r| geo::LineString(r.coords))
                                .collect(),
                        )
                    })
                }
                _ => {
                    let (o2, v2) = list(v1.as_ref())?;
                    let (o3, v3) = list(v2.as_ref())?;
                    let mut parts = Vec::new();
                    for j in r1 {
                        let mut rs = Vec::new();
                        for k in span(&o2, j)? {
                            rs.push(Ring::Positions(coords(v3.as_ref(), span(&o3, k)?)?));
                        }
                        parts.push(Part::Rings(rs));
                    }
                    Ok(Geometry::MultiPolygon(parts))
                }
            }
        }
    }
}
