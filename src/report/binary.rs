//! Feature output in the binary formats GIS analysts load: GeoPackage
//! (`-f gpkg`), FlatGeobuf (`-f fgb`) and GeoParquet (`-f parquet`).
//!
//! Every writer is a [`Sink`]: declared fields ([`Field`]), then features
//! one at a time (areas as MultiPolygons, points as Points; WGS84), then
//! `finish` into the output. Memory stays flat in the number of features:
//! the GeoPackage is built in a temporary file, FlatGeobuf's crate buffers
//! features in one, GeoParquet writes a row group every [`ROW_GROUP`] rows.
//!
//! Field types are those of the values: all integers → integer, numbers →
//! real, booleans → boolean, anything else (or a mix) → text (objects and
//! arrays as JSON).

use std::io::Write;

use serde_json::{Map, Value};

/// Rows per GeoParquet row group.
pub const ROW_GROUP: usize = 65_536;

/// A binary feature format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureFormat {
    /// OGC GeoPackage.
    Gpkg,
    /// FlatGeobuf.
    Fgb,
    /// GeoParquet 1.1 (WKB).
    Parquet,
}

/// A field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// 64-bit integers.
    Integer,
    /// Doubles.
    Real,
    /// true/false.
    Boolean,
    /// UTF-8 text.
    Text,
}

/// A named, typed field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: FieldType,
    /// Whether an empty text stands for no value (null): `locate`'s region
    /// columns of a point in no region, null as in its GeoJSON. Otherwise
    /// an empty text stays empty, as GDAL reads an empty CSV string.
    pub empty_is_null: bool,
}

impl Field {
    /// Whether the text `t` is no value for this field (see
    /// [`Field::empty_is_null`]): the one rule every sink follows.
    pub fn null_text(&self, t: &[u8]) -> bool {
        t.is_empty() && self.empty_is_null
    }
}

/// What kind of geometry a layer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeomKind {
    /// MultiPolygons.
    Area,
    /// Points.
    Point,
    /// Both (`depth`: bands and each feature's deepest point).
    Mixed,
}

fn type_of(v: &Value) -> Option<FieldType> {
    match v {
        Value::Null => None,
        Value::Bool(_) => Some(FieldType::Boolean),
        Value::Number(n) if n.is_i64() => Some(FieldType::Integer),
        Value::Number(_) => Some(FieldType::Real),
        _ => Some(FieldType::Text),
    }
}

/// The fields of features' properties: names in first-seen order, each
/// typed by all its values (an integer field with a real is real; any other
/// mix is text).
pub fn fields_of<'a>(props: impl IntoIterator<Item = &'a Map<String, Value>>) -> Vec<Field> {
    let mut out: Vec<(String, Option<FieldType>)> = Vec::new();
    for p in props {
        for (k, v) in p {
            let t = type_of(v);
            match out.iter_mut().find(|(n, _)| n == k) {
                None => out.push((k.clone(), t)),
                Some((_, have)) => {
                    *have = match (*have, t) {
                        (h, None) => h,
                        (None, t) => t,
                        (Some(a), Some(b)) if a == b => Some(a),
                        (Some(FieldType::Integer), Some(FieldType::Real))
                        | (Some(FieldType::Real), Some(FieldType::Integer)) => {
                            Some(FieldType::Real)
                        }
                        _ => Some(FieldType::Text),
                    }
                }
            }
        }
    }
    out.into_iter()
        .map(|(name, t)| Field {
            name,
            ty: t.unwrap_or(FieldType::Text),
            empty_is_null: false,
        })
        .collect()
}

/// A value as text for a text field: strings as they are, anything else as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A text value for `field`: as it is for text (invalid UTF-8 replaced,
/// empty kept empty unless the field says [`Field::empty_is_null`]); parsed
/// for the other types, where empty or unparsable text is null.
pub fn text_value(field: &Field, t: &[u8]) -> Value {
    if field.null_text(t) {
        return Value::Null;
    }
    let s = String::from_utf8_lossy(t);
    match field.ty {
        FieldType::Text => Value::String(s.into_owned()),
        FieldType::Real => s.parse::<f64>().ok().map_or(Value::Null, Value::from),
        FieldType::Integer => s.parse::<i64>().ok().map_or(Value::Null, Value::from),
        FieldType::Boolean => s.parse::<bool>().ok().map_or(Value::Null, Value::from),
    }
}

/// The output a sink writes to.
pub type Out<'w> = Box<dyn Write + Send + 'w>;

/// Where features go in a binary format.
pub trait Sink {
    /// Add one feature: its properties (by field name; missing is null) and
    /// its geometry in WGS84.
    fn add(&mut self, props: &Map<String, Value>, geom: &geo::Geometry<f64>)
    -> std::io::Result<()>;
    /// Add one point feature whose properties are text, one per field in
    /// order (`locate`'s rows): see [`text_value`] for how each is typed;
    /// fields past the end of `values` are null. The default builds the
    /// properties and calls [`Sink::add`]; a sink that can append text
    /// straight to its columns does (GeoParquet: no map per row).
    fn add_text_point(
        &mut self,
        fields: &[Field],
        values: &csv::ByteRecord,
        lon: f64,
        lat: f64,
    ) -> std::io::Result<()> {
        let mut props = Map::new();
        for (f, t) in fields.iter().zip(values.iter()) {
            props.insert(f.name.clone(), text_value(f, t));
        }
        self.add(&props, &geo::Geometry::Point(geo::Point::new(lon, lat)))
    }
    /// Finish the file in the output.
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

/// A sink for `format` writing to `out`: a layer called `name` with
/// `fields` and geometries of `kind`.
pub fn sink<'w>(
    format: FeatureFormat,
    name: &str,
    fields: Vec<Field>,
    kind: GeomKind,
    out: Out<'w>,
) -> std::io::Result<Box<dyn Sink + Send + 'w>> {
    Ok(match format {
        FeatureFormat::Gpkg => Box::new(gpkg::GpkgSink::new(name, fields, kind, out)?),
        FeatureFormat::Fgb => Box::new(fgb::FgbSink::new(name, fields, kind, out)?),
        #[cfg(feature = "geoparquet")]
        FeatureFormat::Parquet => Box::new(parquet::ParquetSink::new(fields, kind, out)?),
        #[cfg(not(feature = "geoparquet"))]
        FeatureFormat::Parquet => {
            return Err(std::io::Error::other(
                "this build writes no GeoParquet (built without the default `geoparquet` feature)",
            ));
        }
    })
}

/// The bounding box of a geometry, `None` when it has no coordinates.
fn bbox(g: &geo::Geometry<f64>) -> Option<geo::Rect<f64>> {
    geo::BoundingRect::bounding_rect(g)
}

/// Extend `acc` by `r`.
fn grow(acc: &mut Option<geo::Rect<f64>>, r: Option<geo::Rect<f64>>) {
    if let Some(r) = r {
        *acc = Some(match *acc {
            None => r,
            Some(a) => geo::Rect::new(
                (a.min().x.min(r.min().x), a.min().y.min(r.min().y)),
                (a.max().x.max(r.max().x), a.max().y.max(r.max().y)),
            ),
        });
    }
}

mod gpkg {
    //! GeoPackage 1.3: the required tables, a feature table with an
    //! integer primary key `fid` and a `geom` column, the R-tree spatial
    //! index (with the extension's triggers for later edits),
    //! application_id `GPKG` and user_version 10300.
    //!
    //! The R-tree is bulk-loaded at the end: inserted one
    //! feature at a time, SQLite's R*-tree spent three quarters of a
    //! million-point write on its splits. The boxes wait in a temporary
    //! table (SQLite's temp store: memory stays bounded), are read back in
    //! Hilbert order of their centres, packed 51 to a node (SQLite's
    //! RTREE_MAXCELLS) level by level, and written straight into the
    //! R-tree's `_node`, `_rowid` and `_parent` tables in SQLite's own
    //! node format (tested with SQLite's `rtreecheck` and GDAL).

    use super::*;
    use rusqlite::{Connection, params_from_iter};

    pub struct GpkgSink<'w> {
        out: Out<'w>,
        /// A private folder holding the database and anything SQLite puts
        /// beside it: removed whole, signals included.
        dir: crate::io::output::ScratchDir,
        conn: Connection,
        table: String,
        fields: Vec<super::Field>,
        extent: Option<geo::Rect<f64>>,
        fid: i64,
        insert: String,
    }

    fn q(s: &str) -> String {
        format!("\"{}\"", s.replace('"', "\"\""))
    }

    fn sql(e: rusqlite::Error) -> std::io::Error {
        std::io::Error::other(format!("GeoPackage: {e}"))
    }

    const SRS_WGS84: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

    impl<'w> GpkgSink<'w> {
        pub fn new(
            name: &str,
            fields: Vec<super::Field>,
            kind: GeomKind,
            out: Out<'w>,
        ) -> std::io::Result<Self> {
            let dir = crate::io::output::ScratchDir::new()?;
            let conn = Connection::open(dir.path().join("out.gpkg")).map_err(sql)?;
            let table = if name.is_empty() { "features" } else { name }.to_string();
            let geom_type = match kind {
                GeomKind::Area => "MULTIPOLYGON",
                GeomKind::Point => "POINT",
                GeomKind::Mixed => "GEOMETRY",
            };
            let mut cols = vec![
                "\"fid\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".to_string(),
                format!("\"geom\" {geom_type}"),
            ];
            for f in &fields {
                let t = match f.ty {
                    FieldType::Integer => "INTEGER",
                    FieldType::Real => "REAL",
                    FieldType::Boolean => "BOOLEAN",
                    FieldType::Text => "TEXT",
                };
                cols.push(format!("{} {t}", q(&f.name)));
            }
            let t = q(&table);
            let rtree = q(&format!("rtree_{table}_geom"));
            conn.execute_batch(&format!(
                "PRAGMA journal_mode = OFF;
                 PRAGMA application_id = 1196444487;
                 PRAGMA user_version = 10300;
                 PRAGMA synchronous = OFF;
                 PRAGMA cache_size = -65536;
                 BEGIN;
                 CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                 INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
                 INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
                 INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{SRS_WGS84}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
                 CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                 CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
                 CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
                 CREATE TABLE {t} ({});
                 CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy);
                 CREATE TEMP TABLE boxes (id INTEGER, minx REAL, maxx REAL, miny REAL, maxy REAL, h INTEGER);",
                cols.join(", ")
            ))
            .map_err(sql)?;
            let names: Vec<String> = fields.iter().map(|f| q(&f.name)).collect();
            let marks: Vec<String> = (0..fields.len() + 2)
                .map(|k| format!("?{}", k + 1))
                .collect();
            let insert = format!(
                "INSERT INTO {t} (\"fid\", \"geom\"{}{}) VALUES ({})",
                if names.is_empty() { "" } else { ", " },
                names.join(", "),
                marks.join(", ")
            );
            Ok(GpkgSink {
                out,
                dir,
                conn,
                table,
                fields,
                extent: None,
                fid: 0,
                insert,
            })
        }
    }

    /// Cells per R-tree node: SQLite's RTREE_MAXCELLS.
    const MAX_CELLS: usize = 51;
    /// Bytes per cell: a 64-bit id and four 32-bit floats.
    const CELL: usize = 24;

    /// The position of (lon, lat) along a Hilbert curve over the world
    /// (2^16 cells a side): points near on the curve are near on the map.
    fn hilbert(lon: f64, lat: f64) -> i64 {
        const N: u32 = 1 << 16;
        let cell = |v: f64, lo: f64, span: f64| -> u32 {
            let t = ((v - lo) / span).clamp(0.0, 1.0);
            (t * f64::from(N - 1)).round() as u32
        };
        let (mut x, mut y) = (cell(lon, -180.0, 360.0), cell(lat, -90.0, 180.0));
        let mut d: i64 = 0;
        let mut s = N / 2;
        while s > 0 {
            let rx = u32::from(x & s > 0);
            let ry = u32::from(y & s > 0);
            d += i64::from(s) * i64::from(s) * i64::from((3 * rx) ^ ry);
            // Turn the quadrant so that the curve's pieces join up.
            if ry == 0 {
                if rx == 1 {
                    x = N - 1 - x;
                    y = N - 1 - y;
                }
                std::mem::swap(&mut x, &mut y);
            }
            s /= 2;
        }
        d
    }

    /// The nearest 32-bit float at or below `v` (SQLite's R-tree rounds a
    /// box outwards: minima down, maxima up).
    fn f32_down(v: f64) -> f32 {
        let f = v as f32;
        if f64::from(f) > v { f.next_down() } else { f }
    }

    /// The nearest 32-bit float at or above `v`.
    fn f32_up(v: f64) -> f32 {
        let f = v as f32;
        if f64::from(f) < v { f.next_up() } else { f }
    }

    /// A cell: an id (a row's fid, or a child node's number) and its box.
    #[derive(Clone, Copy)]
    struct Cell {
        id: i64,
        b: [f32; 4], // minx, maxx, miny, maxy
    }

    impl Cell {
        fn cover(cells: &[Cell]) -> [f32; 4] {
            cells.iter().fold(
                [
                    f32::INFINITY,
                    f32::NEG_INFINITY,
                    f32::INFINITY,
                    f32::NEG_INFINITY,
                ],
                |a, c| {
                    [
                        a[0].min(c.b[0]),
                        a[1].max(c.b[1]),
                        a[2].min(c.b[2]),
                        a[3].max(c.b[3]),
                    ]
                },
            )
        }
    }

    /// A node's blob in SQLite's format: depth (root only, else 0) and cell
    /// count as big-endian 16-bit integers, then each cell's id (64-bit)
    /// and box (32-bit floats), big-endian; zero-padded to `size` bytes.
    fn node_blob(depth: u16, cells: &[Cell], size: usize) -> Vec<u8> {
        let mut b = Vec::with_capacity(size);
        b.extend_from_slice(&depth.to_be_bytes());
        b.extend_from_slice(&(cells.len() as u16).to_be_bytes());
        for c in cells {
            b.extend_from_slice(&c.id.to_be_bytes());
            for v in c.b {
                b.extend_from_slice(&v.to_be_bytes());
            }
        }
        b.resize(size, 0);
        b
    }

    /// Fill the empty R-tree `rtree` from `temp.boxes`: leaves of 51
    /// boxes in Hilbert order, then each level above, packed the same way,
    /// up to the root, which SQLite wants as node 1.
    fn bulk_load(conn: &Connection, rtree: &str) -> rusqlite::Result<()> {
        let node_t = q(&format!("{rtree}_node"));
        let rowid_t = q(&format!("{rtree}_rowid"));
        let parent_t = q(&format!("{rtree}_parent"));
        // The node size SQLite chose for this file (the empty root's blob).
        let size: usize = conn.query_row(
            &format!("SELECT length(data) FROM {node_t} WHERE nodeno = 1"),
            [],
            |r| r.get(0),
        )?;
        if size < 4 + CELL * MAX_CELLS {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                Some(format!(
                    "R-tree nodes of {size} bytes: too small for {MAX_CELLS} cells"
                )),
            ));
        }
        let mut put_node =
            conn.prepare(&format!("INSERT OR REPLACE INTO {node_t} VALUES (?1, ?2)"))?;
        // Which leaf holds each row, gathered first and written in row order
        // (in Hilbert order the rows' B-tree would be filled at random).
        conn.execute_batch("CREATE TEMP TABLE leaf_of (id INTEGER, nodeno INTEGER)")?;
        let mut put_rowid = conn.prepare("INSERT INTO temp.leaf_of VALUES (?1, ?2)")?;
        let mut put_parent = conn.prepare(&format!("INSERT INTO {parent_t} VALUES (?1, ?2)"))?;
        // Node numbers: leaves from 2 up, then each level's; the root is 1.
        let mut next_node: i64 = 2;
        let mut level: Vec<Cell> = Vec::new(); // this level's nodes, as cells of the next
        let mut leaf: Vec<Cell> = Vec::with_capacity(MAX_CELLS);
        let mut read =
            conn.prepare("SELECT id, minx, maxx, miny, maxy FROM temp.boxes ORDER BY h, id")?;
        let mut rows = read.query([])?;
        let mut flush_leaf =
            |leaf: &mut Vec<Cell>, level: &mut Vec<Cell>| -> rusqlite::Result<()> {
                let no = next_node;
                next_node += 1;
                put_node.execute(rusqlite::params![no, node_blob(0, leaf, size)])?;
                for c in leaf.iter() {
                    put_rowid.execute(rusqlite::params![c.id, no])?;
                }
                level.push(Cell {
                    id: no,
                    b: Cell::cover(leaf),
                });
                leaf.clear();
                Ok(())
            };
        while let Some(r) = rows.next()? {
            if leaf.len() == MAX_CELLS {
                flush_leaf(&mut leaf, &mut level)?;
            }
            leaf.push(Cell {
                id: r.get(0)?,
                b: [
                    f32_down(r.get(1)?),
                    f32_up(r.get(2)?),
                    f32_down(r.get(3)?),
                    f32_up(r.get(4)?),
                ],
            });
        }
        drop(rows);
        if level.is_empty() {
            // At most one node's worth (none: the empty root stays): the
            // root is the leaf.
            if !leaf.is_empty() {
                put_node.execute(rusqlite::params![1i64, node_blob(0, &leaf, size)])?;
            }
            for c in &leaf {
                put_rowid.execute(rusqlite::params![c.id, 1i64])?;
            }
        } else {
            flush_leaf(&mut leaf, &mut level)?;
            write_levels(&mut put_node, &mut put_parent, level, next_node, size)?;
        }
        drop(put_rowid);
        conn.execute_batch(&format!(
            "INSERT INTO {rowid_t} (rowid, nodeno) SELECT id, nodeno FROM temp.leaf_of ORDER BY id;
             DROP TABLE temp.leaf_of;
             DROP TABLE temp.boxes;"
        ))
    }

    /// The levels above the leaves (`level`: the leaves as cells), packed
    /// until one node's worth is left: the root's cells, written as node 1.
    fn write_levels(
        put_node: &mut rusqlite::Statement<'_>,
        put_parent: &mut rusqlite::Statement<'_>,
        mut level: Vec<Cell>,
        mut next_node: i64,
        size: usize,
    ) -> rusqlite::Result<()> {
        let mut depth: u16 = 1;
        while level.len() > MAX_CELLS {
            let mut up = Vec::with_capacity(level.len() / MAX_CELLS + 1);
            for chunk in level.chunks(MAX_CELLS) {
                let no = next_node;
                next_node += 1;
                put_node.execute(rusqlite::params![no, node_blob(0, chunk, size)])?;
                for c in chunk {
                    put_parent.execute(rusqlite::params![c.id, no])?;
                }
                up.push(Cell {
                    id: no,
                    b: Cell::cover(chunk),
                });
            }
            level = up;
            depth += 1;
        }
        put_node.execute(rusqlite::params![1i64, node_blob(depth, &level, size)])?;
        for c in &level {
            put_parent.execute(rusqlite::params![c.id, 1i64])?;
        }
        Ok(())
    }

    impl Sink for GpkgSink<'_> {
        fn add(
            &mut self,
            props: &Map<String, Value>,
            geom: &geo::Geometry<f64>,
        ) -> std::io::Result<()> {
            use rusqlite::types::Value as V;
            self.fid += 1;
            let b = bbox(geom);
            grow(&mut self.extent, b);
            let blob = crate::io::wkb::gpkg_blob(geom, 4326, b);
            let mut values: Vec<V> = vec![V::Integer(self.fid), V::Blob(blob)];
            for f in &self.fields {
                values.push(match (props.get(&f.name), f.ty) {
                    (None | Some(Value::Null), _) => V::Null,
                    (Some(v), FieldType::Integer) => v.as_i64().map_or(V::Null, V::Integer),
                    (Some(v), FieldType::Real) => v.as_f64().map_or(V::Null, V::Real),
                    (Some(v), FieldType::Boolean) => {
                        v.as_bool().map_or(V::Null, |b| V::Integer(b as i64))
                    }
                    (Some(v), FieldType::Text) => V::Text(text(v)),
                });
            }
            self.conn
                .prepare_cached(&self.insert)
                .and_then(|mut st| st.execute(params_from_iter(values)))
                .map_err(sql)?;
            if let Some(b) = b {
                let c = b.center();
                self.conn
                    .prepare_cached("INSERT INTO temp.boxes VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                    .and_then(|mut st| {
                        st.execute(rusqlite::params![
                            self.fid,
                            b.min().x,
                            b.max().x,
                            b.min().y,
                            b.max().y,
                            hilbert(c.x, c.y)
                        ])
                    })
                    .map_err(sql)?;
            }
            Ok(())
        }

        fn finish(self: Box<Self>) -> std::io::Result<()> {
            let GpkgSink {
                mut out,
                dir,
                conn,
                table,
                extent,
                ..
            } = *self;
            let t = q(&table);
            let r = q(&format!("rtree_{table}_geom"));
            bulk_load(&conn, &format!("rtree_{table}_geom")).map_err(sql)?;
            let (x0, y0, x1, y1) = extent.map_or((None, None, None, None), |e| {
                (
                    Some(e.min().x),
                    Some(e.min().y),
                    Some(e.max().x),
                    Some(e.max().y),
                )
            });
            let geom_type: String = conn
                .query_row(
                    &format!(
                        "SELECT type FROM pragma_table_info('{}') WHERE name = 'geom'",
                        table.replace('\'', "''")
                    ),
                    [],
                    |r| r.get(0),
                )
                .map_err(sql)?;
            conn.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, 4326)",
                rusqlite::params![table, x0, y0, x1, y1],
            )
            .map_err(sql)?;
            conn.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
                rusqlite::params![table, geom_type],
            )
            .map_err(sql)?;
            conn.execute(
                "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
                [&table],
            )
            .map_err(sql)?;
            // The extension's triggers keep the index right when others edit
            // the file (GDAL and QGIS define the ST_ functions they call).
            let g = "\"geom\"";
            let vals = format!(
                "NEW.\"fid\", ST_MinX(NEW.{g}), ST_MaxX(NEW.{g}), ST_MinY(NEW.{g}), ST_MaxY(NEW.{g})"
            );
            let name = |s: &str| q(&format!("rtree_{table}_geom_{s}"));
            conn.execute_batch(&format!(
                "CREATE TRIGGER {} AFTER INSERT ON {t} WHEN (new.{g} NOT NULL AND NOT ST_IsEmpty(NEW.{g})) BEGIN INSERT OR REPLACE INTO {r} VALUES ({vals}); END;
                 CREATE TRIGGER {} AFTER UPDATE OF {g} ON {t} WHEN OLD.\"fid\" = NEW.\"fid\" AND (NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g})) BEGIN INSERT OR REPLACE INTO {r} VALUES ({vals}); END;
                 CREATE TRIGGER {} AFTER UPDATE OF {g} ON {t} WHEN OLD.\"fid\" = NEW.\"fid\" AND (NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g})) BEGIN DELETE FROM {r} WHERE id = OLD.\"fid\"; END;
                 CREATE TRIGGER {} AFTER UPDATE ON {t} WHEN OLD.\"fid\" != NEW.\"fid\" AND (NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g})) BEGIN DELETE FROM {r} WHERE id = OLD.\"fid\"; INSERT OR REPLACE INTO {r} VALUES ({vals}); END;
                 CREATE TRIGGER {} AFTER UPDATE ON {t} WHEN OLD.\"fid\" != NEW.\"fid\" AND (NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g})) BEGIN DELETE FROM {r} WHERE id IN (OLD.\"fid\", NEW.\"fid\"); END;
                 CREATE TRIGGER {} AFTER DELETE ON {t} WHEN old.{g} NOT NULL BEGIN DELETE FROM {r} WHERE id = OLD.\"fid\"; END;
                 COMMIT;",
                name("insert"),
                name("update1"),
                name("update2"),
                name("update3"),
                name("update4"),
                name("delete"),
            ))
            .map_err(sql)?;
            conn.close().map_err(|(_, e)| sql(e))?;
            let mut f = std::fs::File::open(dir.path().join("out.gpkg"))?;
            std::io::copy(&mut f, &mut out)?;
            out.flush()
        }
    }
}

mod fgb {
    //! FlatGeobuf with its packed Hilbert R-tree (features in index order,
    //! as GDAL writes them), the CRS EPSG:4326.

    use super::*;
    use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
    use geozero::{ColumnValue, PropertyProcessor};

    pub struct FgbSink<'w> {
        out: Out<'w>,
        writer: FgbWriter<'static>,
        fields: Vec<super::Field>,
    }

    fn err(e: impl std::fmt::Display) -> std::io::Error {
        std::io::Error::other(format!("FlatGeobuf: {e}"))
    }

    impl<'w> FgbSink<'w> {
        pub fn new(
            name: &str,
            fields: Vec<super::Field>,
            kind: GeomKind,
            out: Out<'w>,
        ) -> std::io::Result<Self> {
            let options = FgbWriterOptions {
                write_index: true,
                // Mixed layers keep a type per feature.
                detect_type: kind != GeomKind::Mixed,
                promote_to_multi: kind != GeomKind::Mixed,
                crs: FgbCrs {
                    org: Some("EPSG"),
                    code: 4326,
                    ..FgbCrs::default()
                },
                ..FgbWriterOptions::default()
            };
            let gt = match kind {
                GeomKind::Area => GeometryType::MultiPolygon,
                GeomKind::Point => GeometryType::Point,
                GeomKind::Mixed => GeometryType::Unknown,
            };
            let mut writer = FgbWriter::create_with_options(name, gt, options).map_err(err)?;
            for f in &fields {
                let ct = match f.ty {
                    FieldType::Integer => ColumnType::Long,
                    FieldType::Real => ColumnType::Double,
                    FieldType::Boolean => ColumnType::Bool,
                    FieldType::Text => ColumnType::String,
                };
                writer.add_column(&f.name, ct, |_, c| c.nullable = true);
            }
            Ok(FgbSink {
                out,
                writer,
                fields,
            })
        }
    }

    impl Sink for FgbSink<'_> {
        fn add(
            &mut self,
            props: &Map<String, Value>,
            geom: &geo::Geometry<f64>,
        ) -> std::io::Result<()> {
            let fields = &self.fields;
            let mut failed = None;
            self.writer
                .add_feature_geom(geom.clone(), |w| {
                    for (i, f) in fields.iter().enumerate() {
                        let Some(v) = props.get(&f.name).filter(|v| !v.is_null()) else {
                            continue;
                        };
                        let s;
                        let cv = match f.ty {
                            FieldType::Integer => v.as_i64().map(ColumnValue::Long),
                            FieldType::Real => v.as_f64().map(ColumnValue::Double),
                            FieldType::Boolean => v.as_bool().map(ColumnValue::Bool),
                            FieldType::Text => {
                                s = text(v);
                                Some(ColumnValue::String(&s))
                            }
                        };
                        if let Some(cv) = cv
                            && let Err(e) = w.property(i, &f.name, &cv)
                        {
                            failed = Some(e);
                        }
                    }
                })
                .map_err(err)?;
            match failed {
                Some(e) => Err(err(e)),
                None => Ok(()),
            }
        }

        fn finish(self: Box<Self>) -> std::io::Result<()> {
            let FgbSink {
                mut out, writer, ..
            } = *self;
            writer.write(&mut out).map_err(err)?;
            out.flush()
        }
    }
}

#[cfg(feature = "geoparquet")]
mod parquet {
    //! GeoParquet 1.1: a WKB `geometry` column with `geo` metadata
    //! (version, primary column, encoding, geometry types, bbox; CRS left
    //! out, which means OGC:CRS84), zstd-compressed row groups of
    //! [`ROW_GROUP`] rows written as they fill.

    use super::*;
    use ::parquet::arrow::ArrowWriter;
    use ::parquet::arrow::arrow_writer::{
        ArrowColumnChunk, ArrowRowGroupWriterFactory, ArrowWriterOptions, compute_leaves,
    };
    use ::parquet::basic::{Compression, ZstdLevel};
    use ::parquet::file::metadata::KeyValue;
    use ::parquet::file::properties::WriterProperties;
    use ::parquet::file::writer::SerializedFileWriter;
    use ::parquet::schema::types::ColumnPath;
    use arrow_array::builder::{
        BinaryBuilder, BooleanBuilder, Float64Builder, Int64Builder, StringBuilder,
    };
    use arrow_array::{Array, ArrayRef, RecordBatch};
    use arrow_schema::{DataType, Field as AField, Schema};
    use std::sync::Arc;

    enum Col {
        I(Int64Builder),
        F(Float64Builder),
        B(BooleanBuilder),
        S(StringBuilder),
    }

    pub struct ParquetSink<'w> {
        fields: Vec<super::Field>,
        kind: GeomKind,
        cols: Vec<Col>,
        geom: BinaryBuilder,
        wkb: Vec<u8>,
        rows: usize,
        schema: Arc<Schema>,
        out: Option<Out<'w>>,
        file: Option<(SerializedFileWriter<Out<'w>>, ArrowRowGroupWriterFactory)>,
        /// The last row group, its columns being encoded (in parallel) on
        /// another thread while the next one fills; appended to the file at
        /// the next flush.
        encoding: Option<std::thread::JoinHandle<::parquet::errors::Result<Vec<ArrowColumnChunk>>>>,
        extent: Option<geo::Rect<f64>>,
        types: std::collections::BTreeSet<&'static str>,
    }

    fn err(e: impl std::fmt::Display) -> std::io::Error {
        std::io::Error::other(format!("GeoParquet: {e}"))
    }

    /// Whether a column's values repeat: at most a quarter of its non-null
    /// values are distinct (booleans: never worth a dictionary).
    fn repeats(col: &dyn Array) -> bool {
        use arrow_array::cast::AsArray;
        use arrow_array::types::{Float64Type, Int64Type};
        fn few<T: std::hash::Hash + Eq>(it: impl Iterator<Item = Option<T>>) -> bool {
            let mut seen = std::collections::HashSet::new();
            let mut n = 0usize;
            for v in it.flatten() {
                n += 1;
                seen.insert(v);
            }
            n > 0 && seen.len() * 4 <= n
        }
        match col.data_type() {
            DataType::Utf8 => few(col.as_string::<i32>().iter()),
            DataType::Binary => few(col.as_binary::<i32>().iter()),
            DataType::Int64 => few(col.as_primitive::<Int64Type>().iter()),
            DataType::Float64 => few(col
                .as_primitive::<Float64Type>()
                .iter()
                .map(|v| v.map(f64::to_bits))),
            _ => false,
        }
    }

    impl<'w> ParquetSink<'w> {
        pub fn new(
            fields: Vec<super::Field>,
            kind: GeomKind,
            out: Out<'w>,
        ) -> std::io::Result<Self> {
            let mut afields: Vec<AField> = fields
                .iter()
                .map(|f| {
                    let dt = match f.ty {
                        FieldType::Integer => DataType::Int64,
                        FieldType::Real => DataType::Float64,
                        FieldType::Boolean => DataType::Boolean,
                        FieldType::Text => DataType::Utf8,
                    };
                    AField::new(&f.name, dt, true)
                })
                .collect();
            afields.push(AField::new("geometry", DataType::Binary, true));
            let cols = fields.iter().map(|f| Self::builder(f.ty)).collect();
            let schema = Arc::new(Schema::new(afields));
            Ok(ParquetSink {
                fields,
                kind,
                cols,
                geom: BinaryBuilder::new(),
                wkb: Vec::with_capacity(21),
                rows: 0,
                schema,
                out: Some(out),
                file: None,
                encoding: None,
                extent: None,
                types: Default::default(),
            })
        }

        /// The writer, made at the first row group: a column is
        /// dictionary-encoded only when that row group repeats its values
        /// (at most a quarter distinct: region ids and names, categories),
        /// not for unique ones (ids, coordinates, geometries), where a
        /// dictionary costs time and is dropped anyway.
        fn file(
            &mut self,
            first: &RecordBatch,
        ) -> std::io::Result<&mut (SerializedFileWriter<Out<'w>>, ArrowRowGroupWriterFactory)>
        {
            if self.file.is_none() {
                let out = self.out.take().ok_or_else(|| err("no output"))?;
                let mut props = WriterProperties::builder()
                    .set_compression(Compression::ZSTD(ZstdLevel::default()))
                    .set_max_row_group_row_count(Some(ROW_GROUP));
                for (f, col) in self.schema.fields().iter().zip(first.columns()) {
                    let repeats = repeats(col.as_ref());
                    props = props.set_column_dictionary_enabled(
                        ColumnPath::from(f.name().as_str()),
                        repeats,
                    );
                }
                // No embedded Arrow schema: readers (pyarrow, geopandas) then
                // take the file's key-value metadata, where `geo` is written
                // at the end.
                let options = ArrowWriterOptions::new()
                    .with_properties(props.build())
                    .with_skip_arrow_metadata(true);
                let writer = ArrowWriter::try_new_with_options(out, self.schema.clone(), options)
                    .map_err(err)?;
                // Row groups are then encoded column by column, in parallel
                // (the pattern of `ArrowColumnWriter`'s documentation).
                self.file = Some(writer.into_serialized_writer().map_err(err)?);
            }
            self.file.as_mut().ok_or_else(|| err("no writer"))
        }

        /// The row group being encoded, when done, appended to the file.
        fn append_encoded(&mut self) -> std::io::Result<()> {
            let Some(job) = self.encoding.take() else {
                return Ok(());
            };
            let chunks = job
                .join()
                .map_err(|_| err("the column encoder stopped"))?
                .map_err(err)?;
            let (file, _) = self.file.as_mut().ok_or_else(|| err("no writer"))?;
            let mut group = file.next_row_group().map_err(err)?;
            for chunk in chunks {
                chunk.append_to_row_group(&mut group).map_err(err)?;
            }
            group.close().map_err(err)?;
            Ok(())
        }

        fn builder(ty: FieldType) -> Col {
            match ty {
                FieldType::Integer => Col::I(Int64Builder::new()),
                FieldType::Real => Col::F(Float64Builder::new()),
                FieldType::Boolean => Col::B(BooleanBuilder::new()),
                FieldType::Text => Col::S(StringBuilder::new()),
            }
        }

        fn flush(&mut self) -> std::io::Result<()> {
            if self.rows == 0 {
                return Ok(());
            }
            let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.cols.len() + 1);
            for c in &mut self.cols {
                arrays.push(match c {
                    Col::I(b) => Arc::new(b.finish()),
                    Col::F(b) => Arc::new(b.finish()),
                    Col::B(b) => Arc::new(b.finish()),
                    Col::S(b) => Arc::new(b.finish()),
                });
            }
            arrays.push(Arc::new(self.geom.finish()));
            let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(err)?;
            self.append_encoded()?;
            let (file, factory) = self.file(&batch)?;
            // Every earlier row group is in the file now: this one's index.
            let index = file.flushed_row_groups().len();
            let writers = factory.create_column_writers(index).map_err(err)?;
            let mut leaves = Vec::with_capacity(writers.len());
            for (field, column) in self.schema.fields().iter().zip(batch.columns()) {
                leaves.extend(compute_leaves(field, column).map_err(err)?);
            }
            self.encoding = Some(std::thread::spawn(move || {
                use rayon::prelude::*;
                writers
                    .into_par_iter()
                    .zip(leaves)
                    .map(|(mut w, leaf)| {
                        w.write(&leaf)?;
                        w.close()
                    })
                    .collect()
            }));
            self.rows = 0;
            Ok(())
        }
    }

    impl ParquetSink<'_> {
        /// A row's geometry, after its fields: its WKB, the extent and the
        /// geometry types grown, and the row group written when full.
        fn end_row(&mut self, geom: &geo::Geometry<f64>) -> std::io::Result<()> {
            self.wkb.clear();
            crate::io::wkb::to_wkb(geom, &mut self.wkb);
            self.geom.append_value(&self.wkb);
            grow(&mut self.extent, bbox(geom));
            self.types.insert(match geom {
                geo::Geometry::Point(_) => "Point",
                geo::Geometry::Polygon(_) => "Polygon",
                _ => "MultiPolygon",
            });
            self.rows += 1;
            if self.rows == ROW_GROUP {
                self.flush()?;
            }
            Ok(())
        }
    }

    impl Sink for ParquetSink<'_> {
        fn add(
            &mut self,
            props: &Map<String, Value>,
            geom: &geo::Geometry<f64>,
        ) -> std::io::Result<()> {
            for (f, c) in self.fields.iter().zip(&mut self.cols) {
                let v = props.get(&f.name).filter(|v| !v.is_null());
                match c {
                    Col::I(b) => b.append_option(v.and_then(Value::as_i64)),
                    Col::F(b) => b.append_option(v.and_then(Value::as_f64)),
                    Col::B(b) => b.append_option(v.and_then(Value::as_bool)),
                    Col::S(b) => b.append_option(v.map(text)),
                }
            }
            self.end_row(geom)
        }

        fn add_text_point(
            &mut self,
            _fields: &[super::Field],
            values: &csv::ByteRecord,
            lon: f64,
            lat: f64,
        ) -> std::io::Result<()> {
            for (k, (c, f)) in self.cols.iter_mut().zip(&self.fields).enumerate() {
                let Some(t) = values.get(k).filter(|t| !f.null_text(t)) else {
                    match c {
                        Col::I(b) => b.append_null(),
                        Col::F(b) => b.append_null(),
                        Col::B(b) => b.append_null(),
                        Col::S(b) => b.append_null(),
                    }
                    continue;
                };
                // As `text_value` types them, without a map or a Value.
                let s = String::from_utf8_lossy(t);
                match c {
                    Col::I(b) => b.append_option(s.parse().ok()),
                    Col::F(b) => b.append_option(s.parse().ok()),
                    Col::B(b) => b.append_option(s.parse().ok()),
                    Col::S(b) => b.append_value(&s),
                }
            }
            self.end_row(&geo::Geometry::Point(geo::Point::new(lon, lat)))
        }

        fn finish(mut self: Box<Self>) -> std::io::Result<()> {
            self.flush()?;
            let types: Vec<&str> = if self.types.is_empty() {
                match self.kind {
                    GeomKind::Area => vec!["MultiPolygon"],
                    GeomKind::Point => vec!["Point"],
                    GeomKind::Mixed => vec![],
                }
            } else {
                self.types.iter().copied().collect()
            };
            let mut column = serde_json::json!({
                "encoding": "WKB",
                "geometry_types": types,
            });
            if let Some(e) = self.extent {
                column["bbox"] = serde_json::json!([e.min().x, e.min().y, e.max().x, e.max().y]);
            }
            let geo = serde_json::json!({
                "version": "1.1.0",
                "primary_column": "geometry",
                "columns": {"geometry": column},
            });
            self.append_encoded()?;
            if self.file.is_none() {
                // No rows: the schema alone.
                let empty = RecordBatch::new_empty(self.schema.clone());
                self.file(&empty)?;
            }
            let (mut file, _) = self.file.take().ok_or_else(|| err("no writer"))?;
            file.append_key_value_metadata(KeyValue::new("geo".to_string(), geo.to_string()));
            let mut out = file.into_inner().map_err(err)?;
            out.flush()
        }
    }
}
