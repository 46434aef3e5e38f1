//! Readers — GeoJSON documents and sequences, KML/KMZ, GeoPackage,
//! Shapefile, FlatGeobuf, GeoParquet, CSV (points, or WKT geometries) —
//! all yielding [`feature::Feature`]s; the atomic output writer.

pub mod coords;
pub mod feature;
pub mod fgb;
pub mod format;
pub mod geojson;
pub mod gpkg;
pub mod json;
pub mod kml;
pub mod layer;
pub mod output;
#[cfg(feature = "geoparquet")]
pub mod parquet;
pub mod points;
pub mod shp;
pub mod wkb;
pub mod wkt;
pub mod wkt_csv;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use self::geojson::{Framing, ReadOptions};
use crate::error::{Error, Result};
use crate::model::Layer;

/// A LAYER argument: a file, standard input, or an embedded layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerSpec {
    /// A file path.
    Path(PathBuf),
    /// `-`: standard input (GeoJSON document or sequence, detected from the text).
    Stdin,
    /// `builtin:NAME`: a layer compiled into the binary.
    Builtin(String),
}

impl FromStr for LayerSpec {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s.is_empty() {
            return Err("a layer cannot be an empty string".into());
        }
        Ok(if s == "-" {
            LayerSpec::Stdin
        } else if let Some(name) = s.strip_prefix("builtin:") {
            LayerSpec::Builtin(name.to_string())
        } else {
            LayerSpec::Path(PathBuf::from(s))
        })
    }
}

impl std::fmt::Display for LayerSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayerSpec::Path(p) => write!(f, "{}", p.display()),
            LayerSpec::Stdin => f.write_str("-"),
            LayerSpec::Builtin(n) => write!(f, "builtin:{n}"),
        }
    }
}

/// A layer with a label (`locate --regions [LABEL=]LAYER`): the label
/// prefixes the layer's output columns; without one, the built-in name,
/// `stdin` or the file stem.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledLayer {
    /// Column prefix in the output.
    pub label: String,
    /// The layer.
    pub layer: LayerSpec,
}

impl FromStr for LabeledLayer {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (label, layer) = match s.split_once('=') {
            Some((l, rest))
                if !l.is_empty() && !l.chars().any(|c| matches!(c, '/' | '\\' | ':')) =>
            {
                (Some(l.to_string()), rest)
            }
            _ => (None, s),
        };
        let layer: LayerSpec = layer.parse()?;
        let label = label.unwrap_or_else(|| match &layer {
            LayerSpec::Builtin(n) => n.clone(),
            LayerSpec::Stdin => "stdin".into(),
            LayerSpec::Path(p) => p
                .file_stem()
                .map_or("regions".into(), |s| s.to_string_lossy().to_string()),
        });
        Ok(LabeledLayer { label, layer })
    }
}

/// Framing implied by a file name: `.geojsonl`, `.geojsons`, `.ndjson`, `.jsonl`
/// are sequences; other names are sniffed from the text.
pub fn framing_for(path: &Path) -> Framing {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("geojsonl" | "geojsons" | "ndjson" | "jsonl") => Framing::Sequence,
        _ => Framing::Sniff,
    }
}

/// Largest polygon layer read, in bytes of GeoJSON. Memory is about 3.6 times
/// the file (measured: the 62 MB, 1.3 M-vertex world admin-1 layer peaks at
/// 226 MB in `area`, about 170 bytes per vertex), so 2 GiB needs about 8 GB.
/// Larger input is refused with a message instead of exhausting memory.
pub const MAX_LAYER_BYTES: u64 = 2 << 30;

fn too_large(label: &str, size: u64) -> Error {
    Error::BadFile {
        path: label.to_string(),
        what: format!(
            "{:.1} GiB of GeoJSON is more than this tool reads into memory ({} GiB, about 45 million vertices and 8 GB of RAM); split the layer",
            size as f64 / (1u64 << 30) as f64,
            MAX_LAYER_BYTES >> 30
        ),
    }
}

/// The largest attribute value read from a binary format (GeoPackage,
/// GeoParquet, FlatGeobuf): 16 MiB, as a CSV record.
pub const MAX_FIELD_BYTES: usize = 16 << 20;

/// The most bytes of values (geometry blobs, texts) a binary layer
/// (GeoPackage, GeoParquet) may decode to: 768 MiB, about 48 million
/// vertices, as much as the [`MAX_LAYER_BYTES`] of GeoJSON text holds. A
/// small file can repeat a large value by dictionary.
pub const MAX_DECODED_BYTES: u64 = 768 << 20;

/// The error for a binary layer whose decoded values pass
/// [`MAX_DECODED_BYTES`], at feature `index`.
pub(crate) fn too_large_decoded(label: &str, index: usize) -> Error {
    Error::BadFile {
        path: label.to_string(),
        what: format!(
            "by feature {index} its values decode to more than {} MiB (about 48 million vertices), more than this tool reads into memory; split the layer",
            MAX_DECODED_BYTES >> 20
        ),
    }
}

/// Read everything, but no more than [`MAX_LAYER_BYTES`].
pub(crate) fn read_capped(r: impl Read, label: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    r.take(MAX_LAYER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: label.to_string(),
            source,
        })?;
    if bytes.len() as u64 > MAX_LAYER_BYTES {
        return Err(too_large(label, bytes.len() as u64));
    }
    Ok(bytes)
}

pub use format::InputFormat as SourceKind;

/// A file or standard input, and what it holds (see [`format::detect`]).
/// Text formats (GeoJSON, KML, CSV) and zip archives are read into `bytes`;
/// the other binary formats are read from `path` by their own readers
/// (standard input is copied to a temporary file for them).
pub struct Source {
    /// How messages name it (the path, or `<stdin>`).
    pub label: String,
    /// The content (text formats, zips, and anything from stdin).
    pub bytes: Vec<u8>,
    /// What it holds.
    pub kind: SourceKind,
    /// The file, when it is one.
    pub path: Option<PathBuf>,
    /// The table or member named after the file (`FILE.gpkg:TABLE`).
    pub table: Option<String>,
}

impl Source {
    /// A layer name (`FILE:NAME`, or `layer`: `--layer NAME`) is for the
    /// formats that hold several layers (GeoPackage, a zip of shapefiles);
    /// for any other it is an error, not ignored.
    pub fn check_layer_name(&self, layer: Option<&str>) -> Result<()> {
        if matches!(self.kind, SourceKind::GeoPackage | SourceKind::ShapefileZip) {
            return Ok(());
        }
        let (name, how) = match (layer, &self.table) {
            (Some(n), _) => (n, "--layer"),
            (None, Some(n)) => (n.as_str(), "the :NAME after the file name"),
            (None, None) => return Ok(()),
        };
        Err(Error::BadFile {
            path: self.label.clone(),
            what: format!(
                "{} holds one layer, so {how} ({}) names nothing; layers are chosen in GeoPackages and zips of shapefiles",
                self.kind.name(),
                crate::text::quoted(name)
            ),
        })
    }
}

/// A reader's message with std's "failed to fill whole buffer" (an
/// unexpected end of file) said plainly.
pub(crate) fn truncated(what: String) -> String {
    what.replace(
        "failed to fill whole buffer",
        "the file ends early (truncated?)",
    )
}

/// Bytes sniffed to tell formats apart.
const HEAD: usize = 4096;

/// `FILE:NAME` for a file that exists when the whole path does not
/// (`regions.gpkg:provinces`).
fn split_table(p: &Path) -> Option<(PathBuf, String)> {
    if p.exists() {
        return None;
    }
    let s = p.to_str()?;
    let (file, table) = s.rsplit_once(':')?;
    let file = PathBuf::from(file);
    (!table.is_empty() && file.is_file()).then(|| (file, table.to_string()))
}

/// Every file a LAYER path reads or stands for: the file itself (a
/// `FILE:NAME` layer suffix taken off), a shapefile's members beside it
/// (`.shp`, `.shx`, `.dbf`, `.prj`, `.cpg` and its index files), and the
/// `-wal`, `-shm` and `-journal` files SQLite keeps beside a database.
/// `-o` onto any of them is refused ([`output::Output::open`]).
pub fn files_of(path: &Path) -> Vec<PathBuf> {
    let file = split_table(path).map_or_else(|| path.to_path_buf(), |(f, _)| f);
    let mut files = vec![file.clone()];
    if shp::is_member(&file) {
        files.extend(shp::members(&file));
    }
    files.extend(SQLITE_SIDECARS.iter().map(|s| with_suffix(&file, s)));
    files
}

/// The files SQLite keeps beside a database `FILE`: `FILE-wal`, `FILE-shm`,
/// `FILE-journal`.
pub const SQLITE_SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with `suffix` appended to its last component (`t.gpkg-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    p.into()
}

/// Read a file or standard input (not `builtin:`): its format from its
/// first bytes and name, its text read whole (at most [`MAX_LAYER_BYTES`]).
pub fn read_source(spec: &LayerSpec) -> Result<Source> {
    match spec {
        LayerSpec::Path(p) => {
            let (p, table) = match split_table(p) {
                Some((f, t)) => (f, Some(t)),
                None => (p.clone(), None),
            };
            let label = p.display().to_string();
            let rerr = |source| Error::Read {
                path: label.clone(),
                source,
            };
            let meta = std::fs::metadata(&p).map_err(rerr)?;
            if meta.is_dir() {
                return Err(Error::BadFile {
                    path: label,
                    what: "a directory, not a file (an Esri File Geodatabase? convert it: ogr2ogr -f GPKG OUTPUT.gpkg INPUT.gdb)".into(),
                });
            }
            let mut f = std::fs::File::open(&p).map_err(rerr)?;
            let mut head = Vec::with_capacity(HEAD);
            (&mut f)
                .take(HEAD as u64)
                .read_to_end(&mut head)
                .map_err(rerr)?;
            let kind = format::detect(Some(&p), &head).map_err(|what| Error::BadFile {
                path: label.clone(),
                what,
            })?;
            let bytes = if kind.is_binary() && kind != SourceKind::ShapefileZip {
                Vec::new()
            } else {
                if meta.len() > MAX_LAYER_BYTES {
                    return Err(too_large(&label, meta.len()));
                }
                // Pipes and process substitutions report no size: the cap
                // holds for what is actually read.
                let mut bytes = head;
                let rest = read_capped(f, &label)?;
                bytes.extend_from_slice(&rest);
                if bytes.len() as u64 > MAX_LAYER_BYTES {
                    return Err(too_large(&label, bytes.len() as u64));
                }
                bytes
            };
            let src = Source {
                label,
                bytes,
                kind,
                path: Some(p),
                table,
            };
            src.check_layer_name(None)?;
            Ok(src)
        }
        LayerSpec::Stdin => {
            let bytes = read_capped(std::io::stdin().lock(), "<stdin>")?;
            stdin_bytes(bytes)
        }
        LayerSpec::Builtin(name) => Err(Error::UnknownBuiltin(name.clone())),
    }
}

/// Standard input read whole: its format from its first bytes.
fn stdin_bytes(bytes: Vec<u8>) -> Result<Source> {
    let kind = match format::detect(None, &bytes[..bytes.len().min(HEAD)]) {
        Ok(SourceKind::Shapefile) => Err(
            "a shapefile is several files (.shp, .shx, .dbf): give its path, or zip them".into(),
        ),
        other => other,
    }
    .map_err(|what| Error::BadFile {
        path: "<stdin>".into(),
        what,
    })?;
    Ok(Source {
        label: "<stdin>".into(),
        bytes,
        kind,
        path: None,
        table: None,
    })
}

/// KML is WGS84 by definition: refuse another `--src-crs`.
fn kml_crs(label: &str, src_crs: Option<&crate::crs::Crs>) -> Result<()> {
    match src_crs {
        Some(c) if !c.is_wgs84() => Err(Error::Input(format!(
            "{label}: KML coordinates are WGS84 longitude/latitude by definition; --src-crs {c} does not apply"
        ))),
        _ => Ok(()),
    }
}

/// The features of a binary or CSV source and the CRS the file declares
/// (`None`: WGS84), before any transformation.
fn other_features(
    src: &Source,
    opts: &ReadOptions,
    points: bool,
) -> Result<(Vec<ReadFeature>, Option<crate::crs::Crs>)> {
    let label = src.label.as_str();
    let table = opts.layer.as_deref().or(src.table.as_deref());
    // Standard input is read from memory (a GeoPackage as an in-memory
    // database): no copy is written to disk, so none can be left behind.
    let rerr = |source| Error::Read {
        path: label.to_string(),
        source,
    };
    let open = |p: &Path| std::fs::File::open(p).map_err(rerr);
    match src.kind {
        SourceKind::GeoPackage => {
            let input = match &src.path {
                Some(p) => gpkg::Input::File(p),
                None => gpkg::Input::Bytes(&src.bytes),
            };
            let r = gpkg::read(input, label, table, points)?;
            Ok((r.features, r.crs))
        }
        SourceKind::Shapefile => {
            let Some(path) = &src.path else {
                return Err(Error::BadFile {
                    path: label.to_string(),
                    what: "a shapefile is several files (.shp, .shx, .dbf): give its path, or zip them".into(),
                });
            };
            let r = shp::read(shp::parts_at(path, label)?, label)?;
            Ok((r.features, r.crs))
        }
        SourceKind::ShapefileZip => {
            let r = shp::read(shp::parts_in_zip(&src.bytes, label, table)?, label)?;
            Ok((r.features, r.crs))
        }
        SourceKind::FlatGeobuf => {
            let read;
            let bytes = match &src.path {
                Some(p) => {
                    read = read_capped(open(p)?, label)?;
                    &read
                }
                None => &src.bytes,
            };
            let bbox = opts.bbox.as_ref().filter(|_| opts.src_crs.is_none());
            let r = fgb::read(bytes, label, bbox)?;
            Ok((r.features, r.crs))
        }
        #[cfg(feature = "geoparquet")]
        SourceKind::GeoParquet => {
            let (features, crs) = match &src.path {
                Some(p) => parquet::open(open(p)?, label, points)?.all()?,
                None => parquet::open(bytes::Bytes::copy_from_slice(&src.bytes), label, points)?
                    .all()?,
            };
            Ok((features.into_iter().map(Ok).collect(), crs))
        }
        #[cfg(not(feature = "geoparquet"))]
        SourceKind::GeoParquet => Err(Error::BadFile {
            path: label.to_string(),
            what: "GeoParquet, which this build does not read (built without the default `geoparquet` feature)".into(),
        }),
        SourceKind::Csv => Ok((
            wkt_csv::features(&src.bytes, label, opts.geometry_col.as_deref())?,
            None,
        )),
        SourceKind::GeoJson(_) | SourceKind::Kml(_) => unreachable_text(label),
    }
}

fn unreachable_text(label: &str) -> Result<(Vec<ReadFeature>, Option<crate::crs::Crs>)> {
    Err(Error::Input(format!(
        "{label}: internal error: a text format reached the binary readers"
    )))
}

/// Read a layer from a file or standard input (not `builtin:`; see `data::load_layer`).
pub fn read_layer(spec: &LayerSpec, opts: &ReadOptions) -> Result<Layer> {
    let src = read_source(spec)?;
    src.check_layer_name(opts.layer.as_deref())?;
    let mut layer = match src.kind {
        SourceKind::GeoJson(framing) => {
            let text = utf8(src.bytes, &src.label)?;
            geojson::parse_layer(&text, &src.label, framing, opts)?
        }
        SourceKind::Kml(kind) => {
            kml_crs(&src.label, opts.src_crs.as_ref())?;
            let features = kml::features(&src.bytes, &src.label, kind)?;
            let features = features.into_iter().map(Ok).collect();
            layer::layer(features, &src.label, opts, true, |_| None)?
        }
        _ => {
            let (features, declared) = other_features(&src, opts, false)?;
            let t = crate::crs::for_file(&src.label, opts.src_crs.as_ref(), declared)?;
            let lines: Vec<Option<usize>> = features
                .iter()
                .map(|f| f.as_ref().ok().and_then(|f| f.line))
                .collect();
            let mut layer = layer::layer(features, &src.label, opts, t.is_none(), |i| {
                lines.get(i).copied().flatten()
            })?;
            if let Some(t) = &t {
                crate::crs::transform_layer(&mut layer, t)?;
                layer.src_crs = Some(t.from().clone());
            }
            layer
        }
    };
    layer.name = spec.to_string();
    Ok(layer)
}

/// A feature as read, or why it is none (a FeatureCollection member that is
/// no Feature).
pub type ReadFeature = std::result::Result<feature::Feature, feature::NotAFeature>;

/// The features of a file or standard input as read, for tools that inspect
/// rather than measure (`validate`, points for `locate`); coordinates in
/// `src_crs` (or a GeoJSON `crs` member) are transformed to WGS84. Returns
/// the label messages use and the features.
pub fn read_features(spec: &LayerSpec, opts: &ReadOptions) -> Result<(String, Vec<ReadFeature>)> {
    features_of(read_source(spec)?, opts)
}

/// What standard input holds, from its first bytes ([`format::detect`]):
/// `None` for CSV (and anything not recognised, left to the CSV reader).
pub fn sniff_features(head: &[u8]) -> Option<SourceKind> {
    match format::detect(None, head) {
        Ok(SourceKind::Csv) | Err(_) => None,
        Ok(k) => Some(k),
    }
}

/// Standard input already known to hold features ([`sniff_features`]):
/// read whole (within [`MAX_LAYER_BYTES`]) from `r`, which still holds the
/// bytes sniffed.
pub fn stdin_source(r: impl Read) -> Result<Source> {
    stdin_bytes(read_capped(r, "<stdin>")?)
}

/// The features of a source as read (see [`read_features`]).
pub fn features_of(src: Source, opts: &ReadOptions) -> Result<(String, Vec<ReadFeature>)> {
    src.check_layer_name(opts.layer.as_deref())?;
    let src_crs = opts.src_crs.as_ref();
    let features = match src.kind {
        SourceKind::GeoJson(framing) => {
            let text = utf8(src.bytes, &src.label)?;
            geojson::features(&text, &src.label, framing, src_crs)?
        }
        SourceKind::Kml(kind) => {
            kml_crs(&src.label, src_crs)?;
            kml::features(&src.bytes, &src.label, kind)?
                .into_iter()
                .map(Ok)
                .collect()
        }
        _ => {
            let (mut features, declared) = other_features(&src, opts, true)?;
            if let Some(t) = crate::crs::for_file(&src.label, src_crs, declared)? {
                use rayon::prelude::*;
                features
                    .par_iter_mut()
                    .filter_map(|f| f.as_mut().ok())
                    .try_for_each(|f| feature::transform(f, &t, &src.label))?;
            }
            features
        }
    };
    Ok((src.label, features))
}

fn utf8(bytes: Vec<u8>, label: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| Error::BadFile {
        path: label.to_string(),
        what: format!(
            "not UTF-8 text (invalid byte at offset {}); GeoJSON must be UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })
}
