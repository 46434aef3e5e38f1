//! Which format a file is in: by its first bytes (magic numbers) first, by
//! its name second — as GDAL does. A format this tool does not read is
//! named in the error with the `ogr2ogr` command that converts it.

use std::path::Path;

use super::Framing;
use super::kml::KmlKind;

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// GeoJSON, framed so.
    GeoJson(Framing),
    /// KML or KMZ.
    Kml(KmlKind),
    /// OGC GeoPackage (an SQLite database).
    GeoPackage,
    /// ESRI Shapefile: `.shp` with `.shx`, `.dbf` and optionally `.prj`, `.cpg`.
    Shapefile,
    /// A zip archive holding one shapefile (`.shp.zip`, `.zip`).
    ShapefileZip,
    /// FlatGeobuf.
    FlatGeobuf,
    /// GeoParquet (Apache Parquet with `geo` metadata).
    GeoParquet,
    /// CSV (or TSV): points in lat/lon columns, or any geometry in a WKT column.
    Csv,
}

impl InputFormat {
    /// The format's name for messages.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::GeoJson(_) => "GeoJSON",
            InputFormat::Kml(KmlKind::Kml) => "KML",
            InputFormat::Kml(KmlKind::Kmz) => "KMZ",
            InputFormat::GeoPackage => "GeoPackage",
            InputFormat::Shapefile => "Shapefile",
            InputFormat::ShapefileZip => "zipped Shapefile",
            InputFormat::FlatGeobuf => "FlatGeobuf",
            InputFormat::GeoParquet => "GeoParquet",
            InputFormat::Csv => "CSV",
        }
    }

    /// True for the formats read from their file (or a temporary copy of
    /// standard input) by their own reader rather than as text in memory.
    pub fn is_binary(self) -> bool {
        !matches!(
            self,
            InputFormat::GeoJson(_) | InputFormat::Kml(_) | InputFormat::Csv
        )
    }
}

/// The 7 bytes FlatGeobuf files start with (then the patch version).
pub const FGB_MAGIC: [u8; 7] = [0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62];
/// The 16 bytes every SQLite database starts with.
pub const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// A Parquet file's first (and last) 4 bytes.
pub const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

fn ext_of(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// What a file holds, from its first bytes (`head`, up to 4 KiB) and its
/// name; `Err` with the message for a format not read.
pub fn detect(path: Option<&Path>, head: &[u8]) -> Result<InputFormat, String> {
    let ext = path.map(ext_of).unwrap_or_default();
    let name = path
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if head.starts_with(SQLITE_MAGIC) {
        return Ok(InputFormat::GeoPackage); // the reader tells a GeoPackage from SpatiaLite
    }
    if head.starts_with(&FGB_MAGIC) {
        return Ok(InputFormat::FlatGeobuf);
    }
    if head.starts_with(PARQUET_MAGIC) {
        return Ok(InputFormat::GeoParquet);
    }
    if head.len() >= 4 && head[..4] == 9994u32.to_be_bytes() {
        return match ext.as_str() {
            "shx" => Err(unsupported(
                "a shapefile index (.shx)",
                "the .shp beside it",
            )),
            _ => Ok(InputFormat::Shapefile),
        };
    }
    if head.starts_with(b"PK\x03\x04") {
        return Ok(match ext.as_str() {
            "kmz" => InputFormat::Kml(KmlKind::Kmz),
            "xlsx" | "ods" | "docx" => return Err(unsupported_ext(&ext)),
            _ if name.ends_with(".shp.zip") || ext == "zip" => InputFormat::ShapefileZip,
            // A zip by content: a shapefile's parts or a KMZ's doc.kml.
            _ if zip_lists(head, b".shp") => InputFormat::ShapefileZip,
            _ => InputFormat::Kml(KmlKind::Kmz),
        });
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Err(
            "a TIFF (GeoTIFF?) raster, not vector features; polygonize it first: gdal_polygonize.py INPUT.tif -f GeoJSON OUTPUT.geojson"
                .into(),
        );
    }
    match ext.as_str() {
        "shp" => return Ok(InputFormat::Shapefile),
        "gpkg" => return Ok(InputFormat::GeoPackage),
        "fgb" => return Ok(InputFormat::FlatGeobuf),
        "parquet" | "geoparquet" => return Ok(InputFormat::GeoParquet),
        "dbf" | "shx" | "prj" | "cpg" | "sbn" | "sbx" => {
            return Err(format!(
                "a shapefile's .{ext} part; give the .shp file (its .shx, .dbf and .prj are read beside it)"
            ));
        }
        "tab" | "mif" | "mid" | "gml" | "gpx" | "dxf" | "topojson" | "sqlite" | "gdb" | "osm"
        | "pbf" | "xlsx" | "ods" | "gdbtable" | "e00" | "dgn" => {
            return Err(unsupported_ext(&ext));
        }
        _ => {}
    }
    if let Some(k) = super::kml::kind_of(path.unwrap_or(Path::new(""))) {
        return Ok(InputFormat::Kml(k));
    }
    if matches!(
        ext.as_str(),
        "geojson" | "json" | "geojsonl" | "geojsons" | "ndjson" | "jsonl"
    ) {
        return Ok(InputFormat::GeoJson(super::framing_for(
            path.unwrap_or(Path::new("")),
        )));
    }
    if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
        return Ok(InputFormat::Csv);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let first = text.iter().position(|b| !b.is_ascii_whitespace());
    match first.map(|i| text[i]) {
        Some(b'<') => {
            let lower = String::from_utf8_lossy(text).to_ascii_lowercase();
            if lower.contains("<kml") {
                Ok(InputFormat::Kml(KmlKind::Kml))
            } else if lower.contains("<gpx") {
                Err(unsupported_ext("gpx"))
            } else if lower.contains("gml") {
                Err(unsupported_ext("gml"))
            } else {
                Ok(InputFormat::Kml(KmlKind::Kml))
            }
        }
        Some(b'{' | b'[' | 0x1e) => Ok(InputFormat::GeoJson(super::framing_for(
            path.unwrap_or(Path::new("")),
        ))),
        _ if text.starts_with(b"!table") => Err(unsupported_ext("tab")),
        _ if String::from_utf8_lossy(&text[..text.len().min(64)])
            .to_ascii_lowercase()
            .starts_with("version ") =>
        {
            Err(unsupported_ext("mif"))
        }
        _ if std::str::from_utf8(text).is_err()
            && std::str::from_utf8(&text[..text.len().saturating_sub(4)]).is_err() =>
        {
            Err(
                "not a format this tool reads (binary, and no GeoPackage, Shapefile, FlatGeobuf, GeoParquet or KMZ signature); convert it with ogr2ogr, e.g. ogr2ogr -f GPKG OUTPUT.gpkg INPUT"
                    .into(),
            )
        }
        _ => Ok(InputFormat::Csv),
    }
}

/// True when a zip's first local header names a file ending in `suffix`.
fn zip_lists(head: &[u8], suffix: &[u8]) -> bool {
    if head.len() < 30 {
        return false;
    }
    let n = u16::from_le_bytes([head[26], head[27]]) as usize;
    head.get(30..30 + n)
        .is_some_and(|name| name.to_ascii_lowercase().ends_with(suffix))
}

fn unsupported(what: &str, instead: &str) -> String {
    format!("{what} is not read; give {instead}")
}

/// The message for a format by extension: its name and the ogr2ogr command
/// that converts it to a GeoPackage.
pub fn unsupported_ext(ext: &str) -> String {
    let name = match ext {
        "tab" | "mif" | "mid" => "MapInfo",
        "gml" => "GML",
        "gpx" => "GPX",
        "dxf" => "DXF (CAD)",
        "dgn" => "MicroStation DGN",
        "topojson" => "TopoJSON",
        "sqlite" => "SQLite/SpatiaLite",
        "gdb" | "gdbtable" => "Esri File Geodatabase",
        "osm" | "pbf" => "OpenStreetMap",
        "xlsx" | "ods" => "spreadsheet",
        "e00" => "Arc/Info E00",
        _ => "this",
    };
    format!(
        "{name} files are not read; convert it first, e.g. ogr2ogr -f GPKG OUTPUT.gpkg INPUT (or -f GeoJSON OUTPUT.geojson). Read: GeoJSON, KML/KMZ, GeoPackage, Shapefile (.shp, .shp.zip), FlatGeobuf, GeoParquet, CSV"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(name: &str, head: &[u8]) -> Result<InputFormat, String> {
        detect(Some(Path::new(name)), head)
    }

    #[test]
    fn magic_bytes_win_over_names() {
        assert_eq!(
            at("x.geojson", b"SQLite format 3\0rest"),
            Ok(InputFormat::GeoPackage)
        );
        let mut fgb = FGB_MAGIC.to_vec();
        fgb.push(1);
        assert_eq!(at("x.json", &fgb), Ok(InputFormat::FlatGeobuf));
        assert_eq!(at("data.bin", b"PAR1...."), Ok(InputFormat::GeoParquet));
        let mut shp = 9994u32.to_be_bytes().to_vec();
        shp.extend([0; 20]);
        assert_eq!(at("x.dat", &shp), Ok(InputFormat::Shapefile));
    }

    #[test]
    fn names_decide_when_bytes_do_not() {
        assert_eq!(at("a.csv", b"lat,lon\n"), Ok(InputFormat::Csv));
        assert_eq!(
            at("a.geojsonl", b"{}\n"),
            Ok(InputFormat::GeoJson(Framing::Sequence))
        );
        assert_eq!(at("a.zip", b"PK\x03\x04"), Ok(InputFormat::ShapefileZip));
    }

    #[test]
    fn unsupported_formats_are_named_with_a_conversion() {
        for (name, head, says) in [
            (
                "a.gml",
                &b"<?xml version=\"1.0\"?><gml:FeatureCollection"[..],
                "GML",
            ),
            ("a.tab", b"!table\n", "MapInfo"),
            ("a.gpx", b"<gpx>", "GPX"),
            ("a.topojson", b"{\"type\":\"Topology\"}", "TopoJSON"),
            ("a.dbf", b"\x03abc", "give the .shp"),
        ] {
            let e = at(name, head).unwrap_err();
            assert!(e.contains(says), "{name}: {e}");
        }
        assert!(at("a.gml", b"<x/>").unwrap_err().contains("ogr2ogr"));
    }
}
