//! The data model: layers of regions, and units. Types only, no I/O.

pub mod crs;
mod date;
mod info;
mod unit;

pub use date::Date;
pub use info::LayerInfo;
pub use unit::{AreaUnit, Claim, ClaimKind, Distance, Quantity, Tolerance};

use geo::MultiPolygon;
use serde_json::{Map, Value};

/// One feature of a polygon layer: a province, a border, an occupied-area polygon.
#[derive(Debug, Clone)]
pub struct Region {
    /// 1-based position in the layer's source.
    pub index: usize,
    /// Identifier (see [`IdSource`] for where it came from).
    pub id: String,
    /// Display name; empty when the feature has none.
    pub name: String,
    /// The feature's properties, in source order.
    pub props: Map<String, Value>,
    /// The geometry, lon/lat degrees on WGS84. A Polygon is a one-member MultiPolygon.
    pub geom: MultiPolygon<f64>,
    /// The GeoJSON geometry type as read.
    pub geom_type: GeomType,
    /// Number of positions as read (closing positions included).
    pub vertices: usize,
}

/// A feature that is not an area: what was left out of a layer, and what
/// `render` draws of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// 1-based position in the layer's source.
    pub index: usize,
    /// Its id (GeoJSON `id`, else property `id`), when it has one.
    pub id: Option<String>,
    /// Its name (the first of the usual name properties), possibly empty.
    pub name: String,
    /// The GeoJSON geometry type (`Point`, `MultiPoint`, `LineString`,
    /// `MultiLineString`).
    pub geom_type: String,
    /// Its points (Point, MultiPoint), lon/lat.
    pub points: Vec<geo::Coord<f64>>,
    /// Its lines (LineString, MultiLineString), lon/lat.
    pub lines: Vec<geo::LineString<f64>>,
}

/// GeoJSON geometry types that make an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GeomType {
    /// `Polygon`
    Polygon,
    /// `MultiPolygon`
    MultiPolygon,
    /// `GeometryCollection` of the two above.
    GeometryCollection,
}

impl GeomType {
    /// The GeoJSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            GeomType::Polygon => "Polygon",
            GeomType::MultiPolygon => "MultiPolygon",
            GeomType::GeometryCollection => "GeometryCollection",
        }
    }
}

/// Where region ids came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdSource {
    /// The property named by `--id-field`.
    Field(String),
    /// The GeoJSON Feature `id` member (every feature has one).
    FeatureId,
    /// The property `id` (every feature has one).
    IdProperty,
    /// The 1-based feature index.
    Index,
}

impl std::fmt::Display for IdSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdSource::Field(name) => write!(f, "property {name:?} (--id-field)"),
            IdSource::FeatureId => f.write_str("the GeoJSON feature id"),
            IdSource::IdProperty => f.write_str("property \"id\""),
            IdSource::Index => f.write_str("the 1-based feature index"),
        }
    }
}

/// A polygon layer, read from a file, stdin or the embedded data.
#[derive(Debug, Clone)]
pub struct Layer {
    /// How the user named it: a path, `-` or `builtin:NAME`.
    pub name: String,
    /// Provenance to print beside results (file path, or the embedded data's source).
    pub source: String,
    /// The features, in source order.
    pub regions: Vec<Region>,
    /// Where ids came from.
    pub id_source: IdSource,
    /// The property names were taken from, if any.
    pub name_field: Option<String>,
    /// True when some positions had a third (Z) value, which is ignored.
    pub ignored_z: bool,
    /// Features that are not areas (Points, LineStrings: a Google Earth pin
    /// beside the polygons), left out of every measurement and drawn by
    /// `render`; in source order.
    pub skipped: Vec<Skipped>,
    /// The CRS the coordinates were read in and transformed from, when it was
    /// not WGS84 (the geometry is always WGS84 lon/lat once read).
    pub src_crs: Option<crs::Crs>,
}

/// The smallest box holding both `a` and `b`.
pub fn covering(a: geo::Rect<f64>, b: geo::Rect<f64>) -> geo::Rect<f64> {
    geo::Rect::new(
        geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
        geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
    )
}

impl Layer {
    /// The box around every feature (WGS84 lon/lat); `None` when empty.
    pub fn bbox(&self) -> Option<geo::Rect<f64>> {
        use geo::BoundingRect;
        self.regions
            .iter()
            .filter_map(|r| r.geom.bounding_rect())
            .reduce(covering)
    }

    /// Keep only the features whose bounding box meets `bbox` (edges
    /// included); they keep their indices.
    pub fn keep_meeting(&mut self, bbox: &geo::Rect<f64>) {
        use geo::{BoundingRect, Intersects};
        self.regions
            .retain(|r| r.geom.bounding_rect().is_some_and(|b| b.intersects(bbox)));
    }

    /// A layer of one feature (index 1) with `name` as its id and name.
    pub fn single(name: &str, geom: geo::MultiPolygon<f64>) -> Layer {
        Layer {
            name: name.to_string(),
            source: String::new(),
            regions: vec![Region {
                index: 1,
                id: name.to_string(),
                name: name.to_string(),
                props: Default::default(),
                geom,
                geom_type: GeomType::MultiPolygon,
                vertices: 0,
            }],
            id_source: IdSource::Index,
            name_field: None,
            ignored_z: false,
            src_crs: None,
            skipped: Vec::new(),
        }
    }

    /// Polygons (parts) over all features.
    pub fn polygon_count(&self) -> usize {
        self.regions.iter().map(|r| r.geom.0.len()).sum()
    }

    /// Total positions in the layer.
    pub fn vertex_count(&self) -> usize {
        self.regions.iter().map(|r| r.vertices).sum()
    }
}

/// A `--where FIELD=VALUE` or `FIELD!=VALUE` condition on a property.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// The property.
    pub field: String,
    /// The value, compared as text (a number as the file writes it).
    pub value: String,
    /// `!=`: keep the features whose FIELD is not VALUE (or absent).
    pub negate: bool,
}

impl std::str::FromStr for Filter {
    type Err = String;
    fn from_str(s: &str) -> Result<Filter, String> {
        let (field, value, negate) = match (s.find("!="), s.find('=')) {
            (Some(i), Some(j)) if i < j => (&s[..i], &s[i + 2..], true),
            (_, Some(j)) => (&s[..j], &s[j + 1..], false),
            _ => return Err(format!("{s:?}: expected FIELD=VALUE or FIELD!=VALUE")),
        };
        let field = field.trim();
        if field.is_empty() {
            return Err(format!("{s:?}: no FIELD before the ="));
        }
        Ok(Filter {
            field: field.to_string(),
            value: value.to_string(),
            negate,
        })
    }
}

impl std::fmt::Display for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = if self.negate { "!=" } else { "=" };
        write!(f, "{}{op}{}", self.field, self.value)
    }
}
