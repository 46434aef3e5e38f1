//! OGC GeoPackage (1.0–1.4) read through SQLite (rusqlite, its bundled
//! SQLite): the feature table (the only one, or the one `--layer` names),
//! its columns as properties, its geometry blobs as WKB, its CRS from
//! `gpkg_spatial_ref_sys`.
//!
//! The file is read in its committed state and never written, nor anything
//! beside it (see [`open`]); views are refused (see [`read`]).

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Value};
use std::path::Path;

use super::ReadFeature;
use super::feature::{Feature, Geometry};
use crate::crs::Crs;
use crate::error::{Error, Result};

/// `PRAGMA application_id` of a GeoPackage 1.2+ (`GPKG`), and of 1.0/1.1.
const APPLICATION_IDS: [i32; 3] = [0x4750_4B47, 0x4750_3130, 0x4750_3131];

/// A table of a GeoPackage: its name, geometry column, srs_id (`None` for
/// an attributes table: no geometry).
#[derive(Debug, Clone)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// Geometry column (features tables).
    pub geometry: Option<String>,
    /// Its srs_id.
    pub srs_id: i32,
    /// The declared geometry type (`POLYGON`, `MULTIPOLYGON`, `POINT`, ...).
    pub geometry_type: String,
}

/// What a GeoPackage table gave: its features and the CRS it declares
/// (`None`: WGS84, or undefined).
pub struct Contents {
    /// The features, in primary-key order.
    pub features: Vec<ReadFeature>,
    /// The table's CRS.
    pub crs: Option<Crs>,
    /// The table read.
    pub table: String,
}

fn bad(label: &str, what: impl Into<String>) -> Error {
    Error::BadFile {
        path: label.to_string(),
        what: what.into(),
    }
}

fn sql(label: &str) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| bad(label, format!("not a readable GeoPackage: {e}"))
}

/// Where a GeoPackage is read from.
#[derive(Clone, Copy)]
pub enum Input<'a> {
    /// A file.
    File(&'a Path),
    /// Its bytes (standard input), read as an in-memory database: nothing is
    /// written to disk.
    Bytes(&'a [u8]),
}

/// An open GeoPackage: the connection, and the private copy it reads when
/// the file had a journal beside it (removed after the connection closes).
pub struct Gpkg {
    conn: Connection,
    _copy: Option<crate::io::output::ScratchDir>,
}

impl std::ops::Deref for Gpkg {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

/// The largest value read from a GeoPackage, geometry or attribute (SQLite's
/// `SQLITE_LIMIT_LENGTH` on the connection): 256 MiB, a 16-million-vertex
/// polygon.
pub const MAX_VALUE_BYTES: usize = 256 << 20;

/// SQLite's journals beside a database, which hold committed (`-wal`) or
/// half-written (`-journal`) changes.
const JOURNALS: [&str; 2] = ["-wal", "-journal"];

/// Open a GeoPackage to read it as SQLite would: its committed state.
///
/// - A file alone is opened read-only and immutable: nothing is written
///   beside it (no `-wal` or `-shm` file), even on a read-only medium.
/// - A file with a non-empty `-wal` (an editor such as QGIS has it open, or
///   crashed, with committed edits not yet checkpointed) or `-journal` (a
///   writer crashed mid-transaction) is copied, with that journal, into a
///   private folder in `TMPDIR`, where SQLite applies the WAL or rolls the
///   journal back; the input and its journals are never written.
/// - Bytes (standard input) become an in-memory database.
///
/// Values are capped at [`MAX_VALUE_BYTES`].
pub fn open(input: Input<'_>, label: &str) -> Result<Gpkg> {
    let (conn, copy) = match input {
        Input::Bytes(bytes) => (open_bytes(bytes, label)?, None),
        Input::File(path) if JOURNALS.iter().any(|j| has_journal(path, j)) => {
            let (conn, dir) = open_recovered(path, label)?;
            (conn, Some(dir))
        }
        Input::File(path) => {
            let uri = format!("file:{}?immutable=1", uri_path(path));
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            (
                Connection::open_with_flags(&uri, flags).map_err(sql(label))?,
                None,
            )
        }
    };
    conn.set_limit(
        rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
        MAX_VALUE_BYTES as i32,
    )
    .map_err(sql(label))?;
    let conn = checked(conn, label)?;
    Ok(Gpkg { conn, _copy: copy })
}

/// A path in an SQLite URI: every byte but the unreserved ones and `/`
/// percent-encoded (RFC 3986), so that `?`, `#`, `%` and any non-ASCII name
/// reach the file system as they are.
fn uri_path(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().as_bytes().to_vec();
    let mut uri = String::with_capacity(bytes.len());
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

fn has_journal(path: &Path, suffix: &str) -> bool {
    std::fs::metadata(super::with_suffix(path, suffix)).is_ok_and(|m| m.is_file() && m.len() > 0)
}

/// Copy the database and its journals into a private folder and let SQLite
/// recover them there (see [`open`]).
fn open_recovered(path: &Path, label: &str) -> Result<(Connection, crate::io::output::ScratchDir)> {
    let rerr = |source| Error::Read {
        path: label.to_string(),
        source,
    };
    let dir = crate::io::output::ScratchDir::new().map_err(rerr)?;
    let copy = dir.path().join("copy.gpkg");
    std::fs::copy(path, &copy).map_err(rerr)?;
    for suffix in JOURNALS {
        if has_journal(path, suffix) {
            std::fs::copy(
                super::with_suffix(path, suffix),
                super::with_suffix(&copy, suffix),
            )
            .map_err(rerr)?;
        }
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&copy, flags).map_err(sql(label))?;
    // The first read applies the WAL or rolls the hot journal back.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(sql(label))?;
    Ok((conn, dir))
}

/// Standard input's bytes as a read-only in-memory database.
fn open_bytes(bytes: &[u8], label: &str) -> Result<Connection> {
    if i32::try_from(bytes.len()).is_err() {
        return Err(bad(
            label,
            "a GeoPackage of 2 GiB or more on standard input; give its path",
        ));
    }
    let mut conn = Connection::open_in_memory().map_err(sql(label))?;
    conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), true)
        .map_err(sql(label))?;
    Ok(conn)
}

/// The GeoPackage checks every opened file passes: SQLite can read it, and it
/// has a `gpkg_contents` table.
fn checked(conn: Connection, label: &str) -> Result<Connection> {
    // A corrupt header or page shows on the first query.
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(sql(label))?;
    let has_contents: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name = 'gpkg_contents'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(sql(label))?
        > 0;
    if !has_contents {
        let kind = if APPLICATION_IDS.contains(&app) {
            "a GeoPackage without its gpkg_contents table"
        } else {
            "an SQLite database that is no GeoPackage (no gpkg_contents table; SpatiaLite?)"
        };
        return Err(bad(
            label,
            format!("{kind}; convert it with ogr2ogr -f GPKG OUTPUT.gpkg INPUT"),
        ));
    }
    Ok(conn)
}

/// The feature tables (with geometry) and attributes tables of a GeoPackage.
pub fn tables(conn: &Connection, label: &str) -> Result<Vec<Table>> {
    let mut out = Vec::new();
    let mut st = conn
        .prepare(
            "SELECT c.table_name, c.data_type, g.column_name, g.srs_id, g.geometry_type_name \
             FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type IN ('features', 'attributes') ORDER BY c.table_name",
        )
        .map_err(sql(label))?;
    let rows = st
        .query_map([], |r| {
            Ok(Table {
                name: r.get(0)?,
                geometry: r.get::<_, Option<String>>(2)?,
                srs_id: r.get::<_, Option<i32>>(3)?.unwrap_or(0),
                geometry_type: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            })
        })
        .map_err(sql(label))?;
    for t in rows {
        out.push(t.map_err(sql(label))?);
    }
    Ok(out)
}

/// The table to read: `wanted`, else the only feature table (else, with
/// `attributes_too`, the only table); an error lists them otherwise.
pub fn choose(
    tables: &[Table],
    wanted: Option<&str>,
    label: &str,
    attributes_too: bool,
) -> Result<Table> {
    let list = |ts: &[&Table]| {
        ts.iter()
            .map(|t| match &t.geometry {
                Some(_) => format!("{} ({})", t.name, t.geometry_type),
                None => format!("{} (attributes)", t.name),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all: Vec<&Table> = tables.iter().collect();
    if let Some(w) = wanted {
        return tables.iter().find(|t| t.name == w).cloned().ok_or_else(|| {
            bad(
                label,
                format!("no table {w:?}; it has: {}", or_none(&list(&all))),
            )
        });
    }
    let features: Vec<&Table> = tables.iter().filter(|t| t.geometry.is_some()).collect();
    match (features.as_slice(), attributes_too, all.as_slice()) {
        ([one], _, _) => Ok((*one).clone()),
        ([], true, [one]) => Ok((*one).clone()),
        ([], _, _) => Err(bad(
            label,
            format!(
                "no feature table (gpkg_contents lists {}); nothing to read",
                or_none(&list(&all))
            ),
        )),
        (several, _, _) => Err(bad(
            label,
            format!(
                "{} feature tables: {}; choose one with --layer NAME (or FILE.gpkg:NAME)",
                several.len(),
                list(several)
            ),
        )),
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "no tables" } else { s }
}

/// The CRS of `srs_id`: `EPSG:N` for an EPSG code, the WKT definition
/// otherwise; `None` for WGS84 and for GeoPackage's "undefined" systems
/// (-1 Cartesian, 0 geographic), read as longitude/latitude.
pub fn crs_of(conn: &Connection, srs_id: i32, label: &str) -> Result<Option<Crs>> {
    if srs_id == 4326 || srs_id == -1 || srs_id == 0 {
        return Ok(None);
    }
    let row: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(sql(label)(e)),
        })?;
    let Some((org, code, definition)) = row else {
        return Err(bad(
            label,
            format!("srs_id {srs_id} is not in gpkg_spatial_ref_sys"),
        ));
    };
    let crs: Crs = if org.eq_ignore_ascii_case("EPSG") {
        format!("EPSG:{code}").parse()
    } else {
        definition.parse()
    }
    .map_err(|e: String| bad(label, format!("srs_id {srs_id}: {e}")))?;
    Ok((!crs.is_wgs84()).then_some(crs))
}

/// A column's value as a property: integers and reals as numbers (a
/// BOOLEAN column as true/false), text as text, BLOBs left out.
fn value_of(v: ValueRef<'_>, boolean: bool) -> Option<Value> {
    Some(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) if boolean => Value::Bool(i != 0),
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => return None,
    })
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Read the table `wanted` (or the only feature table) of the GeoPackage
/// at `input`. With `attributes_too`, an attributes table (no geometry) is
/// read as features without geometry (points in lat/lon columns).
///
/// Only stored tables are read: a table that is an SQL view is refused
/// (GDAL reads views, but a view's query may recurse for ever, run without
/// end or build values of any size). An attribute value is at most
/// [`super::MAX_FIELD_BYTES`], all values together at most
/// [`super::MAX_DECODED_BYTES`].
pub fn read(
    input: Input<'_>,
    label: &str,
    wanted: Option<&str>,
    attributes_too: bool,
) -> Result<Contents> {
    let conn = open(input, label)?;
    let tables = tables(&conn, label)?;
    let table = choose(&tables, wanted, label, attributes_too)?;
    let kind: Option<String> = conn
        .query_row(
            "SELECT type FROM sqlite_master WHERE name = ?1",
            [&table.name],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(sql(label)(e)),
        })?;
    if kind.as_deref() == Some("view") {
        return Err(bad(
            label,
            format!(
                "table {} is an SQL view, not a stored table: views are not read (a view's query can run for ever or build values of any size); materialise it first if you trust it, e.g. ogr2ogr -f GPKG OUTPUT.gpkg INPUT.gpkg {}",
                crate::text::quoted(&table.name),
                crate::text::escaped(&table.name)
            ),
        ));
    }
    let crs = match table.geometry {
        Some(_) => crs_of(&conn, table.srs_id, label)?,
        None => None,
    };
    let mut columns: Vec<(String, String, bool)> = Vec::new(); // name, type, pk
    {
        let mut st = conn
            .prepare(&format!("PRAGMA table_info({})", quote(&table.name)))
            .map_err(sql(label))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    r.get::<_, i64>(5)? > 0,
                ))
            })
            .map_err(sql(label))?;
        for c in rows {
            columns.push(c.map_err(sql(label))?);
        }
    }
    if columns.is_empty() {
        return Err(bad(label, format!("table {:?} does not exist", table.name)));
    }
    let pk = columns
        .iter()
        .find(|c| c.2 && c.1.eq_ignore_ascii_case("INTEGER"))
        .map(|c| c.0.clone());
    let select: Vec<String> = columns.iter().map(|c| quote(&c.0)).collect();
    let order = pk.as_deref().map_or("rowid".to_string(), quote);
    let mut st = conn
        .prepare(&format!(
            "SELECT {} FROM {} ORDER BY {order}",
            select.join(", "),
            quote(&table.name)
        ))
        .map_err(sql(label))?;
    let mut rows = st.query([]).map_err(sql(label))?;
    let mut features = Vec::new();
    let mut total = 0u64;
    while let Some(row) = rows.next().map_err(sql(label))? {
        let index = features.len() + 1;
        let mut properties = Map::new();
        let mut geometry = Geometry::Null;
        for (k, (name, ty, _)) in columns.iter().enumerate() {
            let v = row.get_ref(k).map_err(sql(label))?;
            if let ValueRef::Text(b) | ValueRef::Blob(b) = v {
                total += b.len() as u64;
                if total > super::MAX_DECODED_BYTES {
                    return Err(super::too_large_decoded(label, index));
                }
                if b.len() > super::MAX_FIELD_BYTES && Some(name) != table.geometry.as_ref() {
                    return Err(bad(
                        label,
                        format!(
                            "feature {index}: column {} holds {:.1} MiB; a value other than the geometry is at most {} MiB",
                            crate::text::quoted(name),
                            b.len() as f64 / (1 << 20) as f64,
                            super::MAX_FIELD_BYTES >> 20
                        ),
                    ));
                }
            }
            if Some(name) == table.geometry.as_ref() {
                geometry = match v {
                    ValueRef::Null => Geometry::Null,
                    ValueRef::Blob(b) => match super::wkb::gpkg_wkb(b) {
                        Ok((wkb, _)) => super::wkb::from_wkb(wkb),
                        Err(e) => Geometry::Malformed(e),
                    },
                    _ => Geometry::Malformed("the geometry column holds no BLOB".into()),
                };
            } else if Some(name) == pk.as_ref() {
                continue;
            } else if let Some(v) = value_of(v, ty.eq_ignore_ascii_case("BOOLEAN")) {
                properties.insert(name.clone(), v);
            }
        }
        features.push(Ok(Feature {
            index,
            line: None,
            id: None,
            properties,
            geometry,
        }));
    }
    Ok(Contents {
        features,
        crs,
        table: table.name,
    })
}
