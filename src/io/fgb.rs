//! FlatGeobuf read with the `flatgeobuf` crate: the header's CRS, each
//! feature's geometry (through `geo-traits`) and its properties, decoded
//! here with every offset checked (a corrupt file is an error, never a
//! panic). With a bounding box, only the features its packed R-tree finds
//! are read.

use std::io::{Read, Seek};

use flatgeobuf::{ColumnType, FallibleStreamingIterator, FgbReader};
use le::{read_f32, read_f64, read_i64, read_u16, read_u32, read_u64};
use serde_json::{Map, Value};

use super::ReadFeature;
use super::feature::{Feature, Geometry};
use crate::crs::Crs;
use crate::error::{Error, Result};

/// What a FlatGeobuf file gave.
pub struct Contents {
    /// The features, in file order (index order with a bounding box).
    pub features: Vec<ReadFeature>,
    /// The CRS of the header (`None`: WGS84 or none).
    pub crs: Option<Crs>,
}

/// Little-endian reads over a slice, `None` past its end.
mod le {
    pub fn read_u16(b: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
    }
    pub fn read_u32(b: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
    }
    pub fn read_f32(b: &[u8], at: usize) -> Option<f32> {
        Some(f32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
    }
    pub fn read_f64(b: &[u8], at: usize) -> Option<f64> {
        Some(f64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
    }
    pub fn read_i64(b: &[u8], at: usize) -> Option<i64> {
        Some(i64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
    }
    pub fn read_u64(b: &[u8], at: usize) -> Option<u64> {
        Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
    }
}

fn bad(label: &str, what: impl Into<String>) -> Error {
    Error::BadFile {
        path: label.to_string(),
        what: super::truncated(what.into()),
    }
}

/// The properties of a feature: `(column index u16, value)` pairs, values
/// by the column's type. `None` when the bytes run out or name a column
/// that does not exist.
fn properties(bytes: &[u8], columns: &[(String, ColumnType)]) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    let mut at = 0;
    let num = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
    while at + 1 < bytes.len() {
        let col = read_u16(bytes, at)? as usize;
        at += 2;
        let (name, ty) = columns.get(col)?;
        let (v, size) = match *ty {
            ColumnType::Byte => (Value::from(*bytes.get(at)? as i8), 1),
            ColumnType::UByte => (Value::from(*bytes.get(at)?), 1),
            ColumnType::Bool => (Value::Bool(*bytes.get(at)? != 0), 1),
            ColumnType::Short => (Value::from(read_u16(bytes, at)? as i16), 2),
            ColumnType::UShort => (Value::from(read_u16(bytes, at)?), 2),
            ColumnType::Int => (Value::from(read_u32(bytes, at)? as i32), 4),
            ColumnType::UInt => (Value::from(read_u32(bytes, at)?), 4),
            ColumnType::Long => (Value::from(read_i64(bytes, at)?), 8),
            ColumnType::ULong => (Value::from(read_u64(bytes, at)?), 8),
            ColumnType::Float => (num(f64::from(read_f32(bytes, at)?)), 4),
            ColumnType::Double => (num(read_f64(bytes, at)?), 8),
            ColumnType::String | ColumnType::Json | ColumnType::DateTime => {
                let len = read_u32(bytes, at)? as usize;
                let s = std::str::from_utf8(bytes.get(at + 4..(at + 4).checked_add(len)?)?).ok()?;
                let v = match *ty {
                    ColumnType::Json => serde_json::from_str(s).unwrap_or(Value::String(s.into())),
                    _ => Value::String(s.to_string()),
                };
                (v, 4 + len)
            }
            ColumnType::Binary => {
                let len = read_u32(bytes, at)? as usize;
                bytes.get(at + 4..(at + 4).checked_add(len)?)?;
                at += 4 + len;
                continue; // binary values are left out, as in GeoJSON
            }
            _ => return None,
        };
        at += size;
        out.insert(name.clone(), v);
    }
    Some(out)
}

/// The CRS of the header: `None` for EPSG:4326 / OGC:CRS84 or none.
fn crs_of(h: &flatgeobuf::Header<'_>, label: &str) -> Result<Option<Crs>> {
    let Some(c) = h.crs() else {
        return Ok(None);
    };
    let org = c.org().unwrap_or("EPSG");
    let crs: Crs = if c.code() != 0 {
        format!("{org}:{}", c.code())
            .parse()
            .map_err(|e: String| bad(label, e))?
    } else if let Some(code) = c.code_string().filter(|s| !s.is_empty()) {
        format!("{org}:{code}")
            .parse()
            .map_err(|e: String| bad(label, e))?
    } else if let Some(wkt) = c.wkt().filter(|s| !s.is_empty()) {
        if super::wkt::is_wgs84_geographic(wkt) {
            return Ok(None);
        }
        wkt.parse().map_err(|e: String| bad(label, e))?
    } else {
        return Ok(None);
    };
    Ok((!crs.is_wgs84()).then_some(crs))
}

/// Read a FlatGeobuf file; with `bbox` (`[min_x, min_y, max_x, max_y]`)
/// and a spatial index, only the features whose boxes meet it.
pub fn read<R: Read + Seek>(r: R, label: &str, bbox: Option<[f64; 4]>) -> Result<Contents> {
    let fgb_err = |e: flatgeobuf::Error| bad(label, format!("not a readable FlatGeobuf file: {e}"));
    let reader = FgbReader::open(r).map_err(fgb_err)?;
    let header = reader.header();
    let crs = crs_of(&header, label)?;
    let columns: Vec<(String, ColumnType)> = header
        .columns()
        .map(|cs| {
            cs.iter()
                .map(|c| (c.name().to_string(), c.type_()))
                .collect()
        })
        .unwrap_or_default();
    let indexed = header.index_node_size() > 0 && header.features_count() > 0;
    let mut iter = match bbox {
        Some([x0, y0, x1, y1]) if indexed => reader.select_bbox(x0, y0, x1, y1),
        _ => reader.select_all(),
    }
    .map_err(fgb_err)?;
    let mut features = Vec::new();
    while let Some(f) = iter.next().map_err(fgb_err)? {
        let index = features.len() + 1;
        let corrupt = |what: &str| bad(label, format!("feature {index}: corrupt {what}"));
        let fbs = f.fbs_feature();
        let own: Vec<(String, ColumnType)>;
        let cols = match fbs.columns() {
            Some(cs) if columns.is_empty() => {
                own = cs
                    .iter()
                    .map(|c| (c.name().to_string(), c.type_()))
                    .collect();
                &own
            }
            _ => &columns,
        };
        let props = match fbs.properties() {
            Some(p) => properties(p.bytes(), cols).ok_or_else(|| corrupt("properties"))?,
            None => Map::new(),
        };
        let geometry = match f.geometry_trait() {
            _ if f.geometry().is_some_and(|g| !sound(&g, 0)) => {
                Geometry::Malformed("corrupt geometry (part ends past its coordinates)".into())
            }
            Ok(Some(g)) => super::wkb::geometry(&g),
            Ok(None) => Geometry::Null,
            Err(e) => Geometry::Malformed(e.to_string()),
        };
        features.push(Ok(Feature {
            index,
            line: None,
            id: None,
            properties: props,
            geometry,
        }));
    }
    Ok(Contents { features, crs })
}

/// True when a geometry's part ends stay within its coordinates (the
/// crate's geo-traits view indexes the coordinates by them unchecked).
fn sound(g: &flatgeobuf::Geometry<'_>, depth: usize) -> bool {
    let xy = g.xy().map_or(0, |v| v.len());
    if !xy.is_multiple_of(2) || depth > 16 {
        return false;
    }
    if let Some(ends) = g.ends() {
        let mut prev = 0;
        for e in ends.iter() {
            if e < prev || e as usize * 2 > xy {
                return false;
            }
            prev = e;
        }
    }
    g.parts()
        .is_none_or(|ps| ps.iter().all(|p| sound(&p, depth + 1)))
}
