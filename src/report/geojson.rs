//! GeoJSON output: a FeatureCollection, one feature per line for easy diffing.

use std::io::Write;

use geo::MultiPolygon;
use serde_json::{Map, Value};

/// One output feature.
pub struct OutFeature<'a> {
    /// The `id` member (omitted when `None`).
    pub id: Option<&'a str>,
    /// Properties, in order.
    pub properties: Map<String, Value>,
    /// The geometry; written as a Polygon when it has exactly one polygon.
    pub geometry: &'a MultiPolygon<f64>,
}

/// A MultiPolygon as a GeoJSON geometry value (a Polygon when it has one member).
pub fn geometry_json(mp: &MultiPolygon<f64>) -> Value {
    let value = if mp.0.len() == 1 {
        geojson::GeometryValue::from(&mp.0[0])
    } else {
        geojson::GeometryValue::from(mp)
    };
    serde_json::to_value(geojson::Geometry::new(value)).unwrap_or(Value::Null)
}

/// Write a FeatureCollection.
pub fn write<'a>(
    mut w: impl Write,
    features: impl IntoIterator<Item = OutFeature<'a>>,
) -> std::io::Result<()> {
    writeln!(w, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (i, f) in features.into_iter().enumerate() {
        if i > 0 {
            writeln!(w, ",")?;
        }
        let mut obj = Map::new();
        obj.insert("type".into(), "Feature".into());
        if let Some(id) = f.id {
            obj.insert("id".into(), id.into());
        }
        obj.insert("properties".into(), Value::Object(f.properties));
        obj.insert("geometry".into(), geometry_json(f.geometry));
        serde_json::to_writer(&mut w, &obj)?;
    }
    writeln!(w, "\n]}}")
}
