//! FlatGeobuf read with the `flatgeobuf` crate (the header, the features'
//! flatbuffers, verified): the header's CRS; each feature's geometry and
//! properties decoded here from their arrays with every index checked (a corrupt file is an error, never a
//! panic). Every feature is read, in file order, unless the caller needs
//! only those near a box (`area --by`: the regions near the layer): the
//! spatial index then picks them, and the rest are never decoded.

use flatgeobuf::{ColumnType, FgbReader, GeometryType};
use geo::Coord;
use le::{read_f32, read_f64, read_i64, read_u16, read_u32, read_u64};
use serde_json::{Map, Value};

use super::ReadFeature;
use super::feature::{Feature, Geometry, Part, Positions, Ring};
use crate::crs::Crs;
use crate::error::{Error, Result};

/// What a FlatGeobuf file gave.
pub struct Contents {
    /// The features, in file order.
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

/// Check the layout the crate trusts before it reads: the index size its
/// header implies and every feature's size prefix stay within the file
/// (fuzzing found a size prefix of gigabytes that the crate allocates and
/// zeroes before it reads, and an index node size of 1 that it asserts on).
/// Returns where the features are: each one's range (size prefix
/// included), and where the index is (`None`: the file has none).
fn prescan(bytes: &[u8], header: &flatgeobuf::Header<'_>, label: &str) -> Result<Layout> {
    let len = bytes.len() as u64;
    let header_size = u64::from(read_u32(bytes, 8).unwrap_or(0));
    let mut pos = 12 + header_size;
    let count = header.features_count();
    let mut index = None;
    let node = u64::from(header.index_node_size());
    if node == 1 {
        return Err(bad(label, "corrupt header: index node size 1"));
    }
    if node >= 2 && count > 0 {
        // Nodes of every level of the packed R-tree, 40 bytes each.
        let (mut n, mut nodes) = (count, count);
        loop {
            n = n.div_ceil(node);
            nodes = nodes.saturating_add(n);
            if n <= 1 {
                break;
            }
        }
        let size = nodes.saturating_mul(40);
        if pos.saturating_add(size) > len {
            return Err(bad(
                label,
                format!(
                    "its spatial index for {count} features runs past the end of the file (truncated?)"
                ),
            ));
        }
        index = Some((pos as usize, size as usize));
        pos += size;
    }
    let data = pos as usize;
    let mut features = Vec::new();
    let mut found = 0u64;
    while pos < len {
        let size = read_u32(bytes, pos as usize).map_or(u64::MAX, u64::from);
        found += 1;
        if pos.saturating_add(4).saturating_add(size) > len {
            return Err(bad(
                label,
                format!("feature {found}: its size runs past the end of the file (truncated?)"),
            ));
        }
        features.push(pos as usize..(pos + 4 + size) as usize);
        pos += 4 + size;
    }
    if count > 0 && found < count {
        return Err(bad(
            label,
            format!("the header says {count} features, the file holds {found} (truncated?)"),
        ));
    }
    Ok(Layout {
        index,
        data,
        features,
    })
}

/// Where a FlatGeobuf file's parts are ([`prescan`]).
struct Layout {
    /// The packed R-tree: its offset and size in bytes.
    index: Option<(usize, usize)>,
    /// Where the features start.
    data: usize,
    /// Each feature's bytes, size prefix included, in file order.
    features: Vec<std::ops::Range<usize>>,
}

impl Layout {
    /// The features whose box in the spatial index meets `bbox`, by their
    /// place in the file; `None` when there is no index to ask, or it does
    /// not match the features (then every feature is read). The leaves
    /// (the last nodes of the packed R-tree, 40 bytes each: min x, min y,
    /// max x, max y, offset) are in file order, each giving its feature's
    /// offset from the first: a leaf that does not is a corrupt index.
    fn meeting(&self, bytes: &[u8], bbox: &geo::Rect<f64>) -> Option<Vec<Leaf>> {
        let (at, size) = self.index?;
        let n = self.features.len();
        let leaves = at + size.checked_sub(n.checked_mul(40)?)?;
        let mut keep = Vec::with_capacity(n);
        for (i, f) in self.features.iter().enumerate() {
            let node = leaves + 40 * i;
            let v = |k: usize| read_f64(bytes, node + 8 * k);
            let b = [v(0)?, v(1)?, v(2)?, v(3)?];
            if read_u64(bytes, node + 32)? != (f.start - self.data) as u64 {
                return None;
            }
            let (lo, hi) = (bbox.min(), bbox.max());
            keep.push(Leaf {
                meets: b[0] <= hi.x && b[2] >= lo.x && b[1] <= hi.y && b[3] >= lo.y,
                bounds: b,
            });
        }
        Some(keep)
    }
}

/// A feature's leaf in the spatial index: its box (min x, min y, max x,
/// max y) and whether that meets the box asked for.
struct Leaf {
    meets: bool,
    bounds: [f64; 4],
}

/// The box of a geometry's coordinates (every part), from its arrays
/// without decoding it; `None` without coordinates.
fn xy_bounds(g: &flatgeobuf::Geometry<'_>, depth: usize) -> Option<[f64; 4]> {
    let mut b: Option<[f64; 4]> = None;
    let mut grow = |x: f64, y: f64| {
        let v = b.get_or_insert([x, y, x, y]);
        *v = [v[0].min(x), v[1].min(y), v[2].max(x), v[3].max(y)];
    };
    if let Some(xy) = g.xy() {
        let mut it = xy.iter();
        while let (Some(x), Some(y)) = (it.next(), it.next()) {
            grow(x, y);
        }
    }
    if depth < 16
        && let Some(parts) = g.parts()
    {
        for p in parts.iter() {
            if let Some(pb) = xy_bounds(&p, depth + 1) {
                grow(pb[0], pb[1]);
                grow(pb[2], pb[3]);
            }
        }
    }
    b
}

/// True when `inner` lies within `outer` (NaN never does).
fn within(inner: &[f64; 4], outer: &[f64; 4]) -> bool {
    inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3]
}

/// Read a FlatGeobuf file from its bytes: every feature, or (`bbox`, in
/// WGS84 lon/lat) those whose box in the file's spatial index meets it,
/// when the file has an index and is in WGS84; the others are not decoded.
/// Features keep their place in the file as their index either way.
pub fn read(bytes: &[u8], label: &str, bbox: Option<&geo::Rect<f64>>) -> Result<Contents> {
    let fgb_err = |e: flatgeobuf::Error| bad(label, format!("not a readable FlatGeobuf file: {e}"));
    let reader = FgbReader::open(std::io::Cursor::new(bytes)).map_err(fgb_err)?;
    let header = reader.header();
    let layout = prescan(bytes, &header, label)?;
    let crs = crs_of(&header, label)?;
    let columns: Vec<(String, ColumnType)> = header
        .columns()
        .map(|cs| {
            cs.iter()
                .map(|c| (c.name().to_string(), c.type_()))
                .collect()
        })
        .unwrap_or_default();
    let dataset_type = header.geometry_type();
    let mut keep = bbox
        .filter(|_| crs.is_none())
        .and_then(|b| layout.meeting(bytes, b));
    let mut features = Vec::new();
    let mut i = 0;
    while i < layout.features.len() {
        let range = &layout.features[i];
        let index = i + 1;
        i += 1;
        let corrupt = |what: &str| bad(label, format!("feature {index}: corrupt {what}"));
        let fbs =
            flatgeobuf::size_prefixed_root_as_feature(&bytes[range.clone()]).map_err(|e| {
                bad(
                    label,
                    format!("feature {index}: not a readable feature: {e}"),
                )
            })?;
        if let Some(leaves) = &keep {
            // The index is trusted only where it tells the truth: each
            // feature's coordinates lie within its leaf's box (checked on
            // the raw arrays, cheap beside decoding). A lying index would
            // silently drop features: read them all instead.
            let leaf = &leaves[index - 1];
            let real = fbs.geometry().and_then(|g| xy_bounds(&g, 0));
            if real.is_some_and(|r| !within(&r, &leaf.bounds)) {
                crate::note!(
                    "territory: warning: {label}: its spatial index does not match its features (feature {index} lies outside its box in the index); reading every feature instead"
                );
                keep = None;
                features.clear();
                i = 0;
                continue;
            }
            if !leaf.meets {
                continue;
            }
        }
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
        let geometry = match fbs.geometry() {
            Some(g) => geometry(&g, dataset_type, 0),
            None => Geometry::Null,
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

/// The pairs of a geometry's `xy` array in `[from, to)` (pair indices), as
/// positions; `None` when the range leaves the array.
fn positions(xy: &[f64], from: usize, to: usize) -> Option<Positions> {
    if from > to || to.checked_mul(2)? > xy.len() {
        return None;
    }
    let mut ps = Positions::default();
    for k in from..to {
        ps.push_xy(xy[2 * k], xy[2 * k + 1]);
    }
    Some(ps)
}

/// The runs of a geometry's coordinates its `ends` mark (one run of all
/// of them without ends); `None` when an end leaves the array or goes back.
fn runs(g: &flatgeobuf::Geometry<'_>, xy: &[f64]) -> Option<Vec<Positions>> {
    let n = xy.len() / 2;
    let Some(ends) = g.ends() else {
        return Some(vec![positions(xy, 0, n)?]);
    };
    let mut out = Vec::with_capacity(ends.len());
    let mut from = 0;
    for e in ends.iter() {
        let e = e as usize;
        out.push(positions(xy, from, e)?);
        from = e;
    }
    Some(out)
}

/// A FlatGeobuf geometry as written, decoded here from its arrays with
/// every index checked (the crate's geo-traits view unwraps and indexes
/// them as given: fuzzing made it panic). `ty` is the dataset's type, or
/// `Unknown` for the geometry's own.
fn geometry(g: &flatgeobuf::Geometry<'_>, ty: GeometryType, depth: usize) -> Geometry {
    let corrupt =
        || Geometry::Malformed("corrupt geometry (its parts do not fit its coordinates)".into());
    let ty = if ty == GeometryType::Unknown {
        g.type_()
    } else {
        ty
    };
    let xy: Vec<f64> = g.xy().map(|v| v.iter().collect()).unwrap_or_default();
    if !xy.len().is_multiple_of(2) {
        return corrupt();
    }
    let not_area =
        |kind: &str, points: Vec<Coord<f64>>, lines: Vec<geo::LineString<f64>>| Geometry::NotArea {
            kind: kind.into(),
            points,
            lines,
        };
    match ty {
        GeometryType::Polygon => match runs(g, &xy) {
            Some(rs) => Geometry::Polygon(rs.into_iter().map(Ring::Positions).collect()),
            None => corrupt(),
        },
        GeometryType::MultiPolygon => match g.parts() {
            Some(parts) if depth < 16 => {
                let mut out = Vec::with_capacity(parts.len());
                for p in parts.iter() {
                    match geometry(&p, GeometryType::Polygon, depth + 1) {
                        Geometry::Polygon(rings) => out.push(Part::Rings(rings)),
                        _ => return corrupt(),
                    }
                }
                Geometry::MultiPolygon(out)
            }
            // A MultiPolygon of one polygon may be written without parts.
            None => match runs(g, &xy) {
                Some(rs) => Geometry::MultiPolygon(vec![Part::Rings(
                    rs.into_iter().map(Ring::Positions).collect(),
                )]),
                None => corrupt(),
            },
            Some(_) => corrupt(),
        },
        GeometryType::GeometryCollection if depth < 16 => match g.parts() {
            Some(parts) => Geometry::Collection(
                parts
                    .iter()
                    .map(|p| geometry(&p, GeometryType::Unknown, depth + 1))
                    .collect(),
            ),
            None => Geometry::Collection(Vec::new()),
        },
        GeometryType::Point | GeometryType::MultiPoint => {
            let ps = match positions(&xy, 0, xy.len() / 2) {
                Some(ps) => ps,
                None => return corrupt(),
            };
            let kind = if ty == GeometryType::Point {
                "Point"
            } else {
                "MultiPoint"
            };
            not_area(kind, ps.coords, Vec::new())
        }
        GeometryType::LineString | GeometryType::MultiLineString => match runs(g, &xy) {
            Some(rs) => {
                let kind = if ty == GeometryType::LineString {
                    "LineString"
                } else {
                    "MultiLineString"
                };
                not_area(
                    kind,
                    Vec::new(),
                    rs.into_iter().map(|r| geo::LineString(r.coords)).collect(),
                )
            }
            None => corrupt(),
        },
        other => Geometry::Other(format!("{other:?}")),
    }
}
