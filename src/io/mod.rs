//! Readers (GeoJSON documents and sequences, KML/KMZ, points) and the atomic output writer.

pub mod coords;
pub mod feature;
pub mod geojson;
pub mod json;
pub mod kml;
pub mod layer;
pub mod output;
pub mod points;

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
    Error::NotGeoJson {
        path: label.to_string(),
        what: format!(
            "{:.1} GiB of GeoJSON is more than this tool reads into memory ({} GiB, about 45 million vertices and 8 GB of RAM); split the layer",
            size as f64 / (1u64 << 30) as f64,
            MAX_LAYER_BYTES >> 30
        ),
    }
}

/// Read everything, but no more than [`MAX_LAYER_BYTES`].
fn read_capped(r: impl Read, label: &str) -> Result<Vec<u8>> {
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

/// What a file or standard input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// GeoJSON, framed so.
    GeoJson(Framing),
    /// KML or KMZ.
    Kml(kml::KmlKind),
}

/// The bytes of a file or of standard input, and what they hold: KML/KMZ by
/// extension (`.kml`, `.kmz`) or, on stdin, by content (a zip header or XML);
/// GeoJSON otherwise.
pub struct Source {
    /// How messages name it (the path, or `<stdin>`).
    pub label: String,
    /// The content.
    pub bytes: Vec<u8>,
    /// What it holds.
    pub kind: SourceKind,
}

/// Read a file or standard input (not `builtin:`), refusing more than
/// [`MAX_LAYER_BYTES`].
pub fn read_source(spec: &LayerSpec) -> Result<Source> {
    match spec {
        LayerSpec::Path(p) => {
            let label = p.display().to_string();
            let rerr = |source| Error::Read {
                path: label.clone(),
                source,
            };
            let size = std::fs::metadata(p).map_err(rerr)?.len();
            if size > MAX_LAYER_BYTES {
                return Err(too_large(&label, size));
            }
            // Pipes and process substitutions report no size: the cap holds
            // for what is actually read.
            let bytes = read_capped(std::fs::File::open(p).map_err(rerr)?, &label)?;
            let kind = match kml::kind_of(p) {
                Some(k) => SourceKind::Kml(k),
                None => SourceKind::GeoJson(framing_for(p)),
            };
            Ok(Source { label, bytes, kind })
        }
        LayerSpec::Stdin => {
            let bytes = read_capped(std::io::stdin().lock(), "<stdin>")?;
            let kind = match kml::sniff(&bytes) {
                Some(k) => SourceKind::Kml(k),
                None => SourceKind::GeoJson(Framing::Sniff),
            };
            Ok(Source {
                label: "<stdin>".into(),
                bytes,
                kind,
            })
        }
        LayerSpec::Builtin(name) => Err(Error::UnknownBuiltin(name.clone())),
    }
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

/// Read a layer from a file or standard input (not `builtin:`; see `data::load_layer`).
pub fn read_layer(spec: &LayerSpec, opts: &ReadOptions) -> Result<Layer> {
    let src = read_source(spec)?;
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
pub fn read_features(
    spec: &LayerSpec,
    src_crs: Option<&crate::crs::Crs>,
) -> Result<(String, Vec<ReadFeature>)> {
    features_of(read_source(spec)?, src_crs)
}

/// What standard input holds, from its first bytes: KML or KMZ (XML or a
/// zip header), GeoJSON (`{`, `[` or an RS, after blanks and a BOM), or
/// `None` for anything else (CSV).
pub fn sniff_features(head: &[u8]) -> Option<SourceKind> {
    if let Some(k) = kml::sniff(head) {
        return Some(SourceKind::Kml(k));
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let first = text.iter().find(|b| !b.is_ascii_whitespace())?;
    matches!(first, b'{' | b'[' | 0x1e).then_some(SourceKind::GeoJson(Framing::Sniff))
}

/// Standard input already known to hold features ([`sniff_features`]):
/// read whole (within [`MAX_LAYER_BYTES`]) from `r`, which still holds the
/// bytes sniffed.
pub fn stdin_source(r: impl Read, kind: SourceKind) -> Result<Source> {
    Ok(Source {
        label: "<stdin>".into(),
        bytes: read_capped(r, "<stdin>")?,
        kind,
    })
}

/// The features of a source as read (see [`read_features`]).
pub fn features_of(
    src: Source,
    src_crs: Option<&crate::crs::Crs>,
) -> Result<(String, Vec<ReadFeature>)> {
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
    };
    Ok((src.label, features))
}

fn utf8(bytes: Vec<u8>, label: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| Error::NotGeoJson {
        path: label.to_string(),
        what: format!(
            "not UTF-8 text (invalid byte at offset {}); GeoJSON must be UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })
}
