//! ESRI Shapefile read with the `shapefile` crate (and its `dbase`): the
//! `.shp` geometries, the `.shx` index, the `.dbf` attributes in the code
//! page the `.cpg` file (else the `.dbf` header) declares, the CRS of the
//! `.prj`; from files beside each other or from a zip archive.
//!
//! Rings become polygons as GDAL makes them: each clockwise (outer) ring
//! starts a polygon; each counterclockwise (inner) ring is a hole of the
//! smallest outer ring that contains it, or a polygon of its own when none
//! does.

use std::io::{Cursor, Read as _};
use std::path::Path;

use geo::{Contains, LineString, Polygon};
use serde_json::{Map, Value};

use super::ReadFeature;
use super::feature::{Feature, Geometry, Part, Positions, Ring};
use crate::crs::Crs;
use crate::error::{Error, Result};

/// The parts of one shapefile, in memory.
pub struct Parts {
    /// `.shp`.
    pub shp: Vec<u8>,
    /// `.shx`.
    pub shx: Vec<u8>,
    /// `.dbf`.
    pub dbf: Vec<u8>,
    /// `.prj`, when present.
    pub prj: Option<String>,
    /// `.cpg`, when present.
    pub cpg: Option<String>,
}

/// What a shapefile gave: its features and the CRS its `.prj` declares
/// (`None`: WGS84 or no `.prj`).
pub struct Contents {
    /// The features, in record order.
    pub features: Vec<ReadFeature>,
    /// The CRS of the `.prj`.
    pub crs: Option<Crs>,
}

fn bad(label: &str, what: impl Into<String>) -> Error {
    Error::BadFile {
        path: label.to_string(),
        what: super::truncated(what.into()),
    }
}

fn sibling(path: &Path, ext: &str) -> Option<std::path::PathBuf> {
    // .shp beside .SHX, .Dbf...: try the case of the .shp, then lower and upper.
    let stem = path.with_extension("");
    let given = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.chars().all(|c| c.is_ascii_uppercase()));
    let mut tries = vec![if given {
        ext.to_ascii_uppercase()
    } else {
        ext.to_string()
    }];
    tries.push(ext.to_ascii_uppercase());
    tries.push(ext.to_string());
    tries
        .into_iter()
        .map(|e| stem.with_extension(e))
        .find(|p| p.exists())
}

/// The extensions of a shapefile's member files (GDAL's list, less the
/// rarely seen ones): what [`members`] looks for beside a `.shp`.
const MEMBER_EXTENSIONS: [&str; 9] = [
    "shp", "shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx", "qmd",
];

/// True when `path` names a shapefile member by its extension, or holds a
/// `.shp` header (file code 9994) whatever its name.
pub fn is_member(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if MEMBER_EXTENSIONS.contains(&ext.as_str()) {
        return true;
    }
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == 9994u32.to_be_bytes())
}

/// The member files present beside the shapefile member at `path` (any
/// case of their extensions), and its `.shp.xml` metadata.
pub fn members(path: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = MEMBER_EXTENSIONS
        .iter()
        .filter_map(|ext| sibling(path, ext))
        .collect();
    found.extend(sibling(path, "shp.xml"));
    found
}

fn read_capped(path: &Path) -> Result<Vec<u8>> {
    let label = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|source| Error::Read {
        path: label.clone(),
        source,
    })?;
    super::read_capped(f, &label)
}

/// The largest `.prj` or `.cpg` read: 64 KiB (a `.prj` is a few hundred
/// bytes of WKT, a `.cpg` a code page's name).
pub const MAX_TEXT_MEMBER_BYTES: u64 = 64 << 10;

fn text_too_large(label: &str, member: &str, size: u64) -> Error {
    bad(
        label,
        format!(
            "its {member} is {size} bytes; a .prj or .cpg is at most {} KiB (a coordinate system or a code page name): not a shapefile's, or corrupt",
            MAX_TEXT_MEMBER_BYTES >> 10
        ),
    )
}

/// The parts of the shapefile at `path` (a `.shp`); a missing `.shx` or
/// `.dbf` is an error that names it.
pub fn parts_at(path: &Path, label: &str) -> Result<Parts> {
    let need = |ext: &str, what: &str| -> Result<Vec<u8>> {
        match sibling(path, ext) {
            Some(p) => read_capped(&p),
            None => Err(bad(
                label,
                format!(
                    "the shapefile's .{ext} ({what}) is missing beside it; a shapefile is the .shp, .shx and .dbf together{}",
                    if ext == "shx" {
                        " (GDAL rebuilds a lost .shx: ogr2ogr --config SHAPE_RESTORE_SHX YES OUT.shp IN.shp)"
                    } else {
                        ""
                    }
                ),
            )),
        }
    };
    let text = |ext: &str| -> Result<Option<String>> {
        let Some(p) = sibling(path, ext) else {
            return Ok(None);
        };
        let size = std::fs::metadata(&p).map_or(0, |m| m.len());
        if size > MAX_TEXT_MEMBER_BYTES {
            return Err(text_too_large(label, &format!(".{ext}"), size));
        }
        let b = read_capped(&p)?;
        if b.len() as u64 > MAX_TEXT_MEMBER_BYTES {
            return Err(text_too_large(label, &format!(".{ext}"), b.len() as u64));
        }
        Ok(Some(String::from_utf8_lossy(&b).trim().to_string()))
    };
    Ok(Parts {
        shp: read_capped(path)?,
        shx: need("shx", "its index")?,
        dbf: need("dbf", "its attributes")?,
        prj: text("prj")?,
        cpg: text("cpg")?,
    })
}

/// The parts of the shapefile in a zip archive: the only `.shp` in it, or
/// the one named `wanted` (its file name or stem).
pub fn parts_in_zip(bytes: &[u8], label: &str, wanted: Option<&str>) -> Result<Parts> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(label, format!("not a readable zip archive: {e}")))?;
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| bad(label, format!("not a readable zip archive: {e}")))?;
    let shps: Vec<&String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".shp") && !n.starts_with("__MACOSX"))
        .collect();
    let stem_of = |n: &str| {
        let file = n.rsplit('/').next().unwrap_or(n);
        file[..file.len() - 4].to_string()
    };
    let shp = match (wanted, shps.as_slice()) {
        (Some(w), _) => shps
            .iter()
            .find(|n| {
                stem_of(n) == w || n.rsplit('/').next() == Some(w) || n.as_bytes() == w.as_bytes()
            })
            .copied()
            .ok_or_else(|| {
                bad(
                    label,
                    format!(
                        "no shapefile {w:?} in the archive; it holds: {}",
                        shps.iter()
                            .map(|n| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?,
        (None, [one]) => *one,
        (None, []) => {
            return Err(bad(
                label,
                format!(
                    "a zip archive without a .shp file (it holds {}); zipped shapefiles and KMZ are read",
                    if names.is_empty() {
                        "nothing".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            ));
        }
        (None, several) => {
            return Err(bad(
                label,
                format!(
                    "{} shapefiles in the archive: {}; choose one with --layer NAME",
                    several.len(),
                    several
                        .iter()
                        .map(|n| stem_of(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    };
    let base = &shp[..shp.len() - 4];
    let limit = super::kml::inflate_limit(bytes.len() as u64);
    let mut member = |ext: &str| -> Result<Option<Vec<u8>>> {
        let Some(name) = names.iter().find(|n| {
            n.len() == base.len() + 4
                && n.starts_with(base)
                && n[base.len() + 1..].eq_ignore_ascii_case(ext)
        }) else {
            return Ok(None);
        };
        let f = zip
            .by_name(name)
            .map_err(|e| bad(label, format!("{name}: {e}")))?;
        // Every member inflates within the KMZ bound (a ratio to the
        // archive, never past the layer cap); a .prj or .cpg within its own.
        let text = ext == "prj" || ext == "cpg";
        let cap = if text { MAX_TEXT_MEMBER_BYTES } else { limit };
        if f.size() > cap {
            return Err(if text {
                text_too_large(label, name, f.size())
            } else {
                bad(label, super::kml::bomb(name, f.size(), bytes.len() as u64))
            });
        }
        let mut out = Vec::new();
        f.take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| bad(label, format!("{name}: {e}")))?;
        if out.len() as u64 > cap {
            return Err(if text {
                text_too_large(label, name, out.len() as u64)
            } else {
                bad(
                    label,
                    super::kml::bomb(name, out.len() as u64, bytes.len() as u64),
                )
            });
        }
        Ok(Some(out))
    };
    let missing = |ext: &str, what: &str| {
        bad(
            label,
            format!("{shp}: the shapefile's .{ext} ({what}) is missing from the archive"),
        )
    };
    let text = |b: Option<Vec<u8>>| b.map(|b| String::from_utf8_lossy(&b).trim().to_string());
    Ok(Parts {
        shp: member("shp")?.ok_or_else(|| missing("shp", "its geometries"))?,
        shx: member("shx")?.ok_or_else(|| missing("shx", "its index"))?,
        dbf: member("dbf")?.ok_or_else(|| missing("dbf", "its attributes"))?,
        prj: text(member("prj")?),
        cpg: text(member("cpg")?),
    })
}

/// The CRS a `.prj` declares: `None` for WGS84 longitude/latitude (read
/// without PROJ), else the WKT, for PROJ to read (`proj` build).
pub fn prj_crs(prj: Option<&str>, label: &str) -> Result<Option<Crs>> {
    let Some(wkt) = prj.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if super::wkt::is_wgs84_geographic(wkt) {
        return Ok(None);
    }
    if !wkt.contains('[') {
        return Err(bad(
            label,
            format!(
                "its .prj is not a WKT coordinate system ({}); fix or delete the .prj, or name the CRS with --src-crs",
                crate::text::quoted(&wkt.chars().take(60).collect::<String>())
            ),
        ));
    }
    wkt.parse::<Crs>()
        .map(Some)
        .map_err(|e| bad(label, format!("its .prj: {e}")))
}

/// Decimal places of each `.dbf` field, from the field descriptors (byte
/// 17 of each 32-byte descriptor after the 32-byte header).
fn decimals(dbf: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut at = 32;
    while at + 32 <= dbf.len() && dbf[at] != 0x0D {
        out.push(dbf[at + 17]);
        at += 32;
    }
    out
}

fn value_of(v: &shapefile::dbase::FieldValue, decimals: u8) -> Value {
    use shapefile::dbase::FieldValue as F;
    let num = |x: f64| {
        if decimals == 0 && x.fract() == 0.0 && x.abs() < 9.007e15 {
            Value::from(x as i64)
        } else {
            serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
        }
    };
    match v {
        F::Character(s) => s.clone().map_or(Value::Null, Value::String),
        F::Memo(s) => Value::String(s.clone()),
        F::Numeric(x) => x.map_or(Value::Null, num),
        F::Float(x) => x.map_or(Value::Null, |x| num(f64::from(x))),
        F::Double(x) | F::Currency(x) => num(*x),
        F::Integer(i) => Value::from(*i),
        F::Logical(b) => b.map_or(Value::Null, Value::Bool),
        F::Date(d) => d.map_or(Value::Null, |d| {
            Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }),
        F::DateTime(t) => {
            let (d, h) = (t.date(), t.time());
            Value::String(format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                d.year(),
                d.month(),
                d.day(),
                h.hours(),
                h.minutes(),
                h.seconds()
            ))
        }
    }
}

fn positions<P: shapefile::record::traits::HasXY>(points: &[P], z: bool) -> Positions {
    let mut ps = Positions {
        coords: Vec::with_capacity(points.len()),
        had_z: z,
        ..Positions::default()
    };
    for p in points {
        ps.push_xy(p.x(), p.y());
    }
    ps
}

/// Rings of a shapefile polygon grouped into polygons (see the module doc).
fn polygons<P: shapefile::record::traits::HasXY + Copy>(
    rings: &[shapefile::PolygonRing<P>],
    z: bool,
) -> Geometry {
    let mut outers: Vec<(Positions, Vec<Positions>)> = Vec::new();
    let mut inners: Vec<Positions> = Vec::new();
    for r in rings {
        match r {
            shapefile::PolygonRing::Outer(p) => outers.push((positions(p, z), Vec::new())),
            shapefile::PolygonRing::Inner(p) => inners.push(positions(p, z)),
        }
    }
    if !inners.is_empty() {
        let shells: Vec<Option<(Polygon<f64>, f64)>> = outers
            .iter()
            .map(|(o, _)| {
                (o.bad.is_empty() && o.coords.len() >= 4).then(|| {
                    let p = Polygon::new(LineString(o.coords.clone()), Vec::new());
                    let a = geo::Area::unsigned_area(&p);
                    (p, a)
                })
            })
            .collect();
        // The shells' boxes in an R-tree: a hole's vertex is tested against
        // the few shells whose box holds it, not against every shell (a
        // record of n shells and n holes cost n² tests).
        let tree = rstar::RTree::bulk_load(
            shells
                .iter()
                .enumerate()
                .filter_map(|(k, s)| {
                    let b = geo::BoundingRect::bounding_rect(&s.as_ref()?.0)?;
                    Some(rstar::primitives::GeomWithData::new(
                        rstar::primitives::Rectangle::from_corners(b.min().into(), b.max().into()),
                        k,
                    ))
                })
                .collect(),
        );
        for hole in inners {
            // The first vertex strictly inside a shell (one on the shell
            // tells nothing), and the smallest shell holding it.
            let home = hole.coords.iter().find_map(|c| {
                let point = geo::Point::from(*c);
                tree.locate_all_at_point(&[c.x, c.y])
                    .filter_map(|g| shells[g.data].as_ref().map(|s| (g.data, s)))
                    .filter(|(_, (s, _))| s.contains(&point))
                    .min_by(|a, b| a.1.1.total_cmp(&b.1.1).then(a.0.cmp(&b.0)))
                    .map(|(k, _)| k)
            });
            match home {
                Some(k) => outers[k].1.push(hole),
                None => outers.push((hole, Vec::new())),
            }
        }
    }
    let to_rings = |(o, hs): (Positions, Vec<Positions>)| -> Vec<Ring> {
        std::iter::once(o).chain(hs).map(Ring::Positions).collect()
    };
    if outers.len() == 1 {
        Geometry::Polygon(to_rings(outers.pop().unwrap_or_default()))
    } else {
        Geometry::MultiPolygon(
            outers
                .into_iter()
                .map(|p| Part::Rings(to_rings(p)))
                .collect(),
        )
    }
}

fn not_area<P: shapefile::record::traits::HasXY>(kind: &str, points: &[P]) -> Geometry {
    Geometry::NotArea {
        kind: kind.into(),
        points: positions(points, false).coords,
        lines: Vec::new(),
    }
}

fn lines<P: shapefile::record::traits::HasXY>(parts: &[Vec<P>]) -> Geometry {
    Geometry::NotArea {
        kind: if parts.len() == 1 {
            "LineString"
        } else {
            "MultiLineString"
        }
        .into(),
        points: Vec::new(),
        lines: parts
            .iter()
            .map(|p| LineString(positions(p, false).coords))
            .collect(),
    }
}

fn geometry(shape: shapefile::Shape) -> Geometry {
    use shapefile::Shape as S;
    match shape {
        S::NullShape => Geometry::Null,
        S::Polygon(p) => polygons(p.rings(), false),
        S::PolygonM(p) => polygons(p.rings(), false),
        S::PolygonZ(p) => polygons(p.rings(), true),
        S::Point(p) => not_area("Point", &[p]),
        S::PointM(p) => not_area("Point", &[p]),
        S::PointZ(p) => not_area("Point", &[p]),
        S::Multipoint(p) => not_area("MultiPoint", p.points()),
        S::MultipointM(p) => not_area("MultiPoint", p.points()),
        S::MultipointZ(p) => not_area("MultiPoint", p.points()),
        S::Polyline(l) => lines(l.parts()),
        S::PolylineM(l) => lines(l.parts()),
        S::PolylineZ(l) => lines(l.parts()),
        S::Multipatch(_) => Geometry::Other("Multipatch".into()),
    }
}

/// The records of a `.shp`, checked before the crate reads them: each
/// record within the file, and its part and point counts within the record
/// (the crate reserves memory for the counts a record declares: fuzzing made
/// it ask for gigabytes). Returns each record's bytes (header included).
fn check_records(shp: &[u8]) -> std::result::Result<Vec<std::ops::Range<usize>>, String> {
    let be = |at: usize| -> Option<i64> {
        Some(i64::from(i32::from_be_bytes(
            shp.get(at..at + 4)?.try_into().ok()?,
        )))
    };
    let le = |at: usize| -> Option<i64> {
        Some(i64::from(i32::from_le_bytes(
            shp.get(at..at + 4)?.try_into().ok()?,
        )))
    };
    if shp.len() < 100 {
        return Err("the .shp is shorter than its 100-byte header (truncated?)".into());
    }
    let mut pos = 100usize;
    let mut n = 0;
    let mut out = Vec::new();
    while pos + 8 <= shp.len() {
        n += 1;
        let bad = |what: &str| format!("record {n}: {what}");
        let content = be(pos + 4).unwrap_or(-1) * 2;
        let end = pos as i64 + 8 + content;
        if content < 4 || end > shp.len() as i64 {
            return Err(bad("runs past the end of the file (truncated?)"));
        }
        let at = pos + 8;
        let ty = le(at).unwrap_or(0);
        let counts = |head: i64, per_part: i64| -> std::result::Result<(), String> {
            let parts = if per_part > 0 {
                le(at + 36).unwrap_or(-1)
            } else {
                0
            };
            let points = le(at + if per_part > 0 { 40 } else { 36 }).unwrap_or(-1);
            if parts < 0 || points < 0 || head + per_part * parts + 16 * points > content {
                return Err(bad(
                    "its part and point counts do not fit the record (corrupt)",
                ));
            }
            Ok(())
        };
        match ty {
            3 | 5 | 13 | 15 | 23 | 25 => counts(44, 4)?,
            8 | 18 | 28 => counts(40, 0)?,
            31 => counts(44, 8)?,
            _ => {}
        }
        out.push(pos..end as usize);
        pos = end as usize;
    }
    if pos != shp.len() {
        return Err(format!(
            "record {}: the file ends inside its header (truncated?)",
            n + 1
        ));
    }
    Ok(out)
}

/// One record read by the crate alone: the file's header, with the length
/// of this one-record file, then the record. Whatever the crate makes of
/// the record's contents, it cannot read past them (fuzzing: read in
/// sequence, a record it parsed short threw it off into the next one).
fn read_record(
    shp: &[u8],
    range: std::ops::Range<usize>,
) -> std::result::Result<shapefile::Shape, String> {
    let mut one = Vec::with_capacity(100 + range.len());
    one.extend_from_slice(&shp[..100]);
    one.extend_from_slice(&shp[range]);
    let words = (one.len() / 2) as u32;
    one[24..28].copy_from_slice(&words.to_be_bytes());
    let mut reader = shapefile::ShapeReader::new(Cursor::new(one)).map_err(|e| e.to_string())?;
    match reader.iter_shapes().next() {
        Some(r) => r.map_err(|e| {
            e.to_string().replace(
                "failed to fill whole buffer",
                "its contents run past the record's length (corrupt)",
            )
        }),
        None => Err("no shape in the record".into()),
    }
}

/// Read a shapefile from its parts.
pub fn read(parts: Parts, label: &str) -> Result<Contents> {
    let crs = prj_crs(parts.prj.as_deref(), label)?;
    let shp_err = |e: shapefile::Error| bad(label, format!("not a readable shapefile: {e}"));
    let ranges = check_records(&parts.shp).map_err(|e| bad(label, e))?;
    let records = ranges.len();
    let indexed = parts.shx.len().saturating_sub(100) / 8;
    if parts.shx.len() < 100 || indexed != records {
        return Err(bad(
            label,
            format!(
                "its .shx indexes {indexed} records, the .shp holds {records}: the two do not belong together (GDAL rebuilds a .shx: ogr2ogr --config SHAPE_RESTORE_SHX YES OUT.shp IN.shp)"
            ),
        ));
    }
    // The header, checked by the crate.
    shapefile::ShapeReader::new(Cursor::new(&parts.shp)).map_err(shp_err)?;
    let encoding = match parts.cpg.as_deref() {
        Some(name) => Some(shapefile::dbase::encoding::DynEncoding::from_name(name).ok_or_else(|| {
            bad(
                label,
                format!(
                    "its .cpg names code page {}, which this tool does not know; fix the .cpg (e.g. UTF-8, 1252)",
                    crate::text::quoted(name)
                ),
            )
        })?),
        None => None,
    };
    let dbf_err = |e: shapefile::dbase::Error| bad(label, format!("its .dbf: {e}"));
    let mut builder = shapefile::dbase::ReaderBuilder::new();
    if let Some(enc) = encoding {
        builder = builder.with_encoding(enc);
    } else if parts.dbf.get(29).copied().unwrap_or(0) == 0 {
        // No .cpg and no code page in the header: UTF-8, strictly (an
        // invalid byte is an error, not a silently replaced character).
        builder = builder.with_encoding(shapefile::dbase::encoding::Unicode);
    }
    let mut dbf = builder.build(Cursor::new(&parts.dbf)).map_err(dbf_err)?;
    let fields: Vec<String> = dbf.fields().iter().map(|f| f.name().to_string()).collect();
    let decimals = decimals(&parts.dbf);
    let mut records = Vec::new();
    for (k, r) in dbf.iter_records().enumerate() {
        let r = r.map_err(|e| bad(label, format!("its .dbf, record {}: {e}", k + 1)))?;
        let mut props = Map::new();
        for (i, name) in fields.iter().enumerate() {
            if let Some(v) = r.get(name) {
                props.insert(
                    name.clone(),
                    value_of(v, decimals.get(i).copied().unwrap_or(0)),
                );
            }
        }
        records.push(props);
    }
    let mut features = Vec::with_capacity(records.len());
    let mut records = records.into_iter();
    for (k, range) in ranges.into_iter().enumerate() {
        let shape = read_record(&parts.shp, range)
            .map_err(|e| bad(label, format!("record {}: {e}", k + 1)))?;
        let Some(properties) = records.next() else {
            return Err(bad(
                label,
                format!(
                    "the .shp has more records than the .dbf ({} attribute rows)",
                    k
                ),
            ));
        };
        features.push(Ok(Feature {
            index: k + 1,
            line: None,
            id: None,
            properties,
            geometry: geometry(shape),
        }));
    }
    let extra = records.count();
    if extra > 0 {
        return Err(bad(
            label,
            format!(
                "the .dbf has {extra} more attribute rows than the .shp has records ({})",
                features.len()
            ),
        ));
    }
    Ok(Contents { features, crs })
}
