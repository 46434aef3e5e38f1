//! Reports: one rows model ([`Rows`]: named columns, rows of [`Cell`]s,
//! optionally a geometry per row) from which every format is derived — a
//! readable table, CSV, the rows of a JSON document, GeoJSON features — and
//! one writer per format, each over `impl Write`. Writers know rows, never
//! the algorithms that made them; commands build rows, never bytes.

pub mod area;
pub mod binary;
pub mod borders;
pub mod claim;
pub mod csv;
pub mod depth;
pub mod geojson;
pub mod json;
pub mod points;
pub mod table;
pub mod timeline;

/// Output format (`-f/--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// aligned columns for people
    #[default]
    Table,
    /// comma-separated values with a header row
    Csv,
    /// one JSON document
    Json,
    /// a GeoJSON FeatureCollection
    Geojson,
    /// an OGC GeoPackage (binary; give -o FILE.gpkg)
    Gpkg,
    /// a FlatGeobuf file with a spatial index (binary; -o FILE.fgb)
    Fgb,
    /// a GeoParquet 1.1 file, WKB geometry (binary; -o FILE.parquet)
    Parquet,
}

impl Format {
    /// The binary feature format this is, if it is one.
    pub fn binary(self) -> Option<binary::FeatureFormat> {
        match self {
            Format::Gpkg => Some(binary::FeatureFormat::Gpkg),
            Format::Fgb => Some(binary::FeatureFormat::Fgb),
            Format::Parquet => Some(binary::FeatureFormat::Parquet),
            _ => None,
        }
    }

    /// The name `-f` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Geojson => "geojson",
            Format::Gpkg => "gpkg",
            Format::Fgb => "fgb",
            Format::Parquet => "parquet",
        }
    }

    /// True for the formats that write geometries (GeoJSON and the binary ones).
    pub fn has_features(self) -> bool {
        self == Format::Geojson || self.binary().is_some()
    }
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, left-aligned in tables.
    Text(String),
    /// An integer count.
    Int(u64),
    /// Yes or no: `true`/`false` in CSV and JSON.
    Bool(bool),
    /// No value: empty in tables and CSV, `null` in JSON.
    Null,
    /// Not this row's: empty in tables and CSV, left out of its JSON object
    /// (rows of different kinds under one set of columns: a depth band and
    /// the deepest point).
    Absent,
    /// A measurement: full precision in CSV, `decimals` places in tables.
    Num {
        /// The value.
        value: f64,
        /// Decimals shown in a readable table.
        decimals: usize,
    },
    /// `a − b` of two measurements, computed from the values as printed: at
    /// full precision in CSV, from `a` and `b` rounded to `decimals` places
    /// in tables, so that a row's gained − lost = net to the last digit.
    Diff {
        /// The minuend.
        a: f64,
        /// The subtrahend.
        b: f64,
        /// Decimals shown in a readable table.
        decimals: usize,
    },
}

impl Cell {
    /// A measurement cell.
    pub fn num(value: f64, decimals: usize) -> Cell {
        Cell::Num { value, decimals }
    }
}

impl Cell {
    /// A measurement cell, or [`Cell::Null`].
    pub fn opt(value: Option<f64>, decimals: usize) -> Cell {
        value.map_or(Cell::Null, |v| Cell::num(v, decimals))
    }

    /// The cell as a JSON value: numbers at full precision, [`Cell::Diff`]
    /// as `a − b`.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Cell::Text(s) => s.clone().into(),
            Cell::Int(n) => (*n).into(),
            Cell::Bool(b) => (*b).into(),
            Cell::Null | Cell::Absent => serde_json::Value::Null,
            Cell::Num { value, .. } => (*value).into(),
            Cell::Diff { a, b, .. } => (a - b).into(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// Where a column or a row appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// In readable tables.
    pub table: bool,
    /// In CSV.
    pub csv: bool,
    /// In the rows of JSON documents.
    pub json: bool,
    /// In GeoJSON feature properties.
    pub geojson: bool,
}

impl Shown {
    /// Everywhere.
    pub const ALL: Shown = Shown {
        table: true,
        csv: true,
        json: true,
        geojson: true,
    };
    /// In tables, CSV and JSON, not in GeoJSON properties (ids and names a
    /// feature carries already).
    pub const NOT_GEOJSON: Shown = Shown {
        table: true,
        csv: true,
        json: true,
        geojson: false,
    };
    /// In tables and CSV.
    pub const TABLE_CSV: Shown = Shown {
        table: true,
        csv: true,
        json: false,
        geojson: false,
    };
    /// In readable tables only.
    pub const TABLE: Shown = Shown {
        table: true,
        csv: false,
        json: false,
        geojson: false,
    };
    /// In CSV only.
    pub const CSV: Shown = Shown {
        table: false,
        csv: true,
        json: false,
        geojson: false,
    };
    /// In JSON only.
    pub const JSON: Shown = Shown {
        table: false,
        csv: false,
        json: true,
        geojson: false,
    };
}

/// A named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The name: CSV header, JSON key, GeoJSON property (`area_km2`: the unit
    /// is in the name).
    pub name: String,
    /// Where it appears.
    pub shown: Shown,
}

impl Column {
    /// A column shown everywhere.
    pub fn new(name: impl Into<String>) -> Column {
        Column::shown(name, Shown::ALL)
    }

    /// A column shown where `shown` says.
    pub fn shown(name: impl Into<String>, shown: Shown) -> Column {
        Column {
            name: name.into(),
            shown,
        }
    }
}

/// The geometry of a row written as a GeoJSON feature.
#[derive(Debug, Clone, Copy)]
pub enum Shape<'a> {
    /// An area (written as a Polygon when it has one part).
    Area(&'a geo::MultiPolygon<f64>),
    /// A point (longitude, latitude).
    Point([f64; 2]),
}

/// What a row adds as a GeoJSON feature: its id, the properties before the
/// columns' (a layer's own properties), and its geometry.
#[derive(Debug, Clone)]
pub struct RowFeature<'a> {
    /// The feature's `id` member (omitted when `None`).
    pub id: Option<String>,
    /// Properties written before the columns (a layer's own, borrowed:
    /// copied only when GeoJSON is written).
    pub properties: std::borrow::Cow<'a, serde_json::Map<String, serde_json::Value>>,
    /// The geometry.
    pub shape: Shape<'a>,
}

/// One row: a cell per column, and the feature it is in GeoJSON.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Where the row appears (an `outside` or `total` line under a table of
    /// regions is no JSON row).
    pub shown: Shown,
    /// The row as a feature (rows without one are left out of GeoJSON).
    pub feature: Option<RowFeature<'a>>,
}

impl<'a> Row<'a> {
    /// A row that is no feature.
    pub fn new(cells: Vec<Cell>) -> Row<'a> {
        Row {
            cells,
            shown: Shown::ALL,
            feature: None,
        }
    }
}

/// The rows model: named columns and rows of cells, from which the table,
/// CSV, JSON and GeoJSON writers are derived.
#[derive(Debug, Clone, Default)]
pub struct Rows<'a> {
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, each with a cell per column.
    pub rows: Vec<Row<'a>>,
}

impl<'a> Rows<'a> {
    /// Rows under `columns`.
    pub fn new(columns: Vec<Column>) -> Rows<'a> {
        Rows {
            columns,
            rows: Vec::new(),
        }
    }

    /// A row per feature of `layer`, with no columns yet: each row is the
    /// feature (its id, properties and geometry) as GeoJSON.
    pub fn of_layer(layer: &'a crate::model::Layer) -> Rows<'a> {
        Rows {
            columns: Vec::new(),
            rows: layer
                .regions
                .iter()
                .map(|r| Row {
                    cells: Vec::new(),
                    shown: Shown::ALL,
                    feature: Some(RowFeature {
                        id: Some(r.id.clone()),
                        properties: std::borrow::Cow::Borrowed(&r.props),
                        shape: Shape::Area(&r.geom),
                    }),
                })
                .collect(),
        }
    }

    /// Add a row of cells.
    pub fn push(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row::new(cells));
    }

    /// The table view: the rows and columns shown in tables, with lines
    /// before and after.
    pub fn table(&self, preamble: Vec<String>, footer: Vec<String>) -> Table {
        Table {
            preamble,
            footer,
            ..self.view(|s| s.table)
        }
    }

    /// The CSV view: the rows and columns shown in CSV.
    pub fn csv(&self) -> Table {
        self.view(|s| s.csv)
    }

    fn view(&self, shown: fn(Shown) -> bool) -> Table {
        let keep: Vec<usize> = (0..self.columns.len())
            .filter(|&i| shown(self.columns[i].shown))
            .collect();
        Table {
            preamble: Vec::new(),
            columns: keep.iter().map(|&i| self.columns[i].name.clone()).collect(),
            rows: self
                .rows
                .iter()
                .filter(|r| shown(r.shown))
                .map(|r| keep.iter().map(|&i| r.cells[i].clone()).collect())
                .collect(),
            footer: Vec::new(),
        }
    }

    /// The JSON view: one object per row, keyed by the columns shown in JSON.
    pub fn json(&self) -> Vec<serde_json::Value> {
        self.rows
            .iter()
            .filter(|r| r.shown.json)
            .map(|r| serde_json::Value::Object(self.object(r, |s| s.json)))
            .collect()
    }

    /// The GeoJSON view: the rows that are features, their properties
    /// followed by the columns shown in GeoJSON.
    pub fn features(&self) -> impl Iterator<Item = geojson::OutFeature<'_>> + '_ {
        self.rows
            .iter()
            .filter(|r| r.shown.geojson)
            .filter_map(|r| {
                let f = r.feature.as_ref()?;
                let mut properties = f.properties.clone().into_owned();
                properties.extend(self.object(r, |s| s.geojson));
                Some(geojson::OutFeature {
                    id: f.id.as_deref(),
                    properties,
                    shape: f.shape,
                })
            })
    }

    fn object(
        &self,
        row: &Row<'_>,
        shown: fn(Shown) -> bool,
    ) -> serde_json::Map<String, serde_json::Value> {
        self.columns
            .iter()
            .zip(&row.cells)
            .filter(|(c, cell)| shown(c.shown) && **cell != Cell::Absent)
            .map(|(c, cell)| (c.name.clone(), cell.json()))
            .collect()
    }
}

/// Rows under named columns, with lines of context before and after (tables only).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Lines printed above the table (source, unit, ...).
    pub preamble: Vec<String>,
    /// Column names (CSV header).
    pub columns: Vec<String>,
    /// The rows; each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// Lines printed under the table (totals, notes).
    pub footer: Vec<String>,
}

pub use crate::text::printable;

/// How the rows sit in a JSON document: members before them, the key they
/// go under, members after them. An empty key makes the document the array
/// of rows itself.
#[derive(Debug, Clone, Default)]
pub struct JsonLayout {
    /// Members before the rows (layer, source, unit, method, ...).
    pub before: Vec<(String, serde_json::Value)>,
    /// The key of the rows.
    pub key: String,
    /// Members after the rows (totals, ...).
    pub after: Vec<(String, serde_json::Value)>,
}

impl JsonLayout {
    /// Rows under `key`, with nothing around them yet.
    pub fn new(key: &str) -> JsonLayout {
        JsonLayout {
            key: key.to_string(),
            ..JsonLayout::default()
        }
    }

    /// Add a member before the rows.
    pub fn before(mut self, key: &str, value: impl serde::Serialize) -> JsonLayout {
        self.before.push((key.to_string(), to_value(value)));
        self
    }

    /// Add a layer's name and source before the rows, under `name` and
    /// `source` (`"layer"`/`"source"`, `"by"`/`"by_source"`, ...).
    pub fn layer(self, name: &str, source: &str, layer: &crate::model::Layer) -> JsonLayout {
        self.before(name, &layer.name).before(source, &layer.source)
    }

    /// Add a member after the rows.
    pub fn after(mut self, key: &str, value: impl serde::Serialize) -> JsonLayout {
        self.after.push((key.to_string(), to_value(value)));
        self
    }
}

fn to_value(v: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// One command's output in every format: the rows with the table's lines
/// around them, the JSON document they sit in, and the GeoJSON features
/// (the rows' own, or other rows: the pieces of `area --by`).
#[derive(Debug, Clone, Default)]
pub struct Document<'a> {
    /// Lines above the table (layer, source, method, ...); tables only.
    pub preamble: Vec<String>,
    /// The rows.
    pub rows: Rows<'a>,
    /// Lines under the table (totals); tables only.
    pub footer: Vec<String>,
    /// Where the rows sit in the JSON document.
    pub json: JsonLayout,
    /// The JSON rows when they are more than [`Rows::json`] (nested
    /// regions of a timeline's dates).
    pub json_rows: Option<Vec<serde_json::Value>>,
    /// The whole JSON document, when it is no list of rows (a verdict, a
    /// layer's description).
    pub json_value: Option<serde_json::Value>,
    /// Rows written as CSV instead of `rows` (the long form of a wide
    /// table: one row per border and feature).
    pub csv: Option<Rows<'a>>,
    /// Rows written as GeoJSON features instead of `rows`.
    pub features: Option<Rows<'a>>,
}

impl Document<'_> {
    /// Write the document in `format`; `crs` transforms GeoJSON geometries
    /// (`--out-crs`).
    pub fn write(
        &self,
        w: &mut impl std::io::Write,
        format: Format,
        crs: Option<&crate::crs::Transformer>,
    ) -> std::io::Result<()> {
        match format {
            Format::Table => table::write(
                w,
                &self.rows.table(self.preamble.clone(), self.footer.clone()),
            ),
            Format::Csv => csv::write(w, &self.csv.as_ref().unwrap_or(&self.rows).csv())
                .map_err(std::io::Error::from),
            Format::Json if self.json_value.is_some() => json::write(
                w,
                self.json_value.as_ref().unwrap_or(&serde_json::Value::Null),
            ),
            Format::Json => {
                let rows = serde_json::Value::Array(
                    self.json_rows.clone().unwrap_or_else(|| self.rows.json()),
                );
                if self.json.key.is_empty() {
                    return json::write(w, &rows);
                }
                let mut doc = serde_json::Map::new();
                doc.extend(self.json.before.iter().cloned());
                doc.insert(self.json.key.clone(), rows);
                doc.extend(self.json.after.iter().cloned());
                json::write(w, &doc)
            }
            Format::Geojson => geojson::write(
                w,
                self.features.as_ref().unwrap_or(&self.rows).features(),
                crs,
            ),
            Format::Gpkg | Format::Fgb | Format::Parquet => {
                self.write_features(w, format, "features")
            }
        }
    }

    /// Write the features in a binary format (GeoPackage table `name`, ...):
    /// each feature's id (as an `id` field, unless a property has that
    /// name), its properties and its geometry, in WGS84.
    pub fn write_features(
        &self,
        w: &mut impl std::io::Write,
        format: Format,
        name: &str,
    ) -> std::io::Result<()> {
        let Some(ff) = format.binary() else {
            return self.write(w, format, None);
        };
        let features: Vec<geojson::OutFeature<'_>> = self
            .features
            .as_ref()
            .unwrap_or(&self.rows)
            .features()
            .collect();
        let props: Vec<serde_json::Map<String, serde_json::Value>> = features
            .iter()
            .map(|f| {
                let mut p = serde_json::Map::new();
                if let Some(id) = f.id
                    && !f.properties.contains_key("id")
                {
                    p.insert("id".into(), id.into());
                }
                p.extend(f.properties.iter().map(|(k, v)| (k.clone(), v.clone())));
                p
            })
            .collect();
        let areas = features
            .iter()
            .filter(|f| matches!(f.shape, Shape::Area(_)))
            .count();
        let kind = match areas {
            0 => binary::GeomKind::Point,
            n if n == features.len() => binary::GeomKind::Area,
            _ => binary::GeomKind::Mixed,
        };
        let mut buf: Vec<u8> = Vec::new();
        {
            let mut sink = binary::sink(
                ff,
                name,
                binary::fields_of(&props),
                kind,
                Box::new(&mut buf),
            )?;
            for (f, p) in features.iter().zip(&props) {
                let g: geo::Geometry<f64> = match f.shape {
                    Shape::Area(a) => geo::Geometry::MultiPolygon(a.clone()),
                    Shape::Point([x, y]) => geo::Geometry::Point(geo::Point::new(x, y)),
                };
                sink.add(p, &g)?;
            }
            sink.finish()?;
        }
        w.write_all(&buf)
    }
}

#[cfg(test)]
mod document_tests {
    use super::*;

    /// Two provinces and an `outside` line, hand-built: every format from
    /// the same rows.
    fn doc(square: &geo::MultiPolygon<f64>) -> Document<'_> {
        let mut rows = Rows::new(vec![
            Column::shown("index", Shown::JSON),
            Column::shown("id", Shown::NOT_GEOJSON),
            Column::new("area_km2"),
            Column::new("note"),
        ]);
        rows.rows.push(Row {
            feature: Some(RowFeature {
                id: Some("AM-SU".into()),
                properties: std::borrow::Cow::Owned(serde_json::Map::from_iter([(
                    "name".into(),
                    "Syunik".into(),
                )])),
                shape: Shape::Area(square),
            }),
            ..Row::new(vec![
                Cell::Int(1),
                "AM-SU".into(),
                Cell::num(4506.25, 1),
                Cell::Null,
            ])
        });
        rows.push(vec![
            Cell::Int(2),
            "AM-VD".into(),
            Cell::num(2308.0, 1),
            Cell::Absent,
        ]);
        rows.rows.push(Row {
            shown: Shown::TABLE_CSV,
            ..Row::new(vec![
                Cell::Null,
                "outside".into(),
                Cell::num(0.5, 1),
                "x".into(),
            ])
        });
        Document {
            preamble: vec!["layer: test".into()],
            rows,
            footer: vec!["total 6,814.8 km2".into()],
            json: JsonLayout::new("features").before("unit", "km2"),
            ..Document::default()
        }
    }

    fn written(format: Format) -> String {
        use geo::polygon;
        let square = geo::MultiPolygon(vec![polygon![
            (x: 45.0, y: 39.0), (x: 46.0, y: 39.0), (x: 46.0, y: 40.0), (x: 45.0, y: 39.0)
        ]]);
        let mut out = Vec::new();
        doc(&square).write(&mut out, format, None).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_shows_table_columns_and_rows_with_the_lines_around() {
        assert_eq!(
            written(Format::Table),
            "layer: test\n\nid       area_km2  note\nAM-SU     4,506.2\nAM-VD     2,308.0\noutside       0.5  x\n\ntotal 6,814.8 km2\n"
        );
    }

    #[test]
    fn csv_has_full_precision_and_no_lines() {
        assert_eq!(
            written(Format::Csv),
            "id,area_km2,note\nAM-SU,4506.25,\nAM-VD,2308,\noutside,0.5,x\n"
        );
    }

    #[test]
    fn json_rows_leave_out_table_lines_and_absent_cells() {
        let v: serde_json::Value = serde_json::from_str(&written(Format::Json)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"unit": "km2", "features": [
                {"index": 1, "id": "AM-SU", "area_km2": 4506.25, "note": null},
                {"index": 2, "id": "AM-VD", "area_km2": 2308.0},
            ]})
        );
    }

    #[test]
    fn geojson_writes_the_rows_that_are_features() {
        let v: serde_json::Value = serde_json::from_str(&written(Format::Geojson)).unwrap();
        let f = &v["features"];
        assert_eq!(f.as_array().unwrap().len(), 1);
        assert_eq!(f[0]["id"], "AM-SU");
        assert_eq!(
            f[0]["properties"],
            serde_json::json!({"name": "Syunik", "area_km2": 4506.25, "note": null})
        );
        assert_eq!(f[0]["geometry"]["type"], "Polygon");
        assert_eq!(
            f[0]["geometry"]["coordinates"][0][1],
            serde_json::json!([46.0, 39.0])
        );
    }
}
