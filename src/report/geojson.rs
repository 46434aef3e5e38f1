//! GeoJSON output: a FeatureCollection, one feature per line for easy diffing.

use std::io::Write;

use geo::MultiPolygon;
use serde_json::{Map, Value};

use crate::crs::Transformer;

/// One output feature.
pub struct OutFeature<'a> {
    /// The `id` member (omitted when `None`).
    pub id: Option<&'a str>,
    /// Properties, in order.
    pub properties: Map<String, Value>,
    /// The geometry; an area is written as a Polygon when it has exactly one
    /// polygon.
    pub shape: super::Shape<'a>,
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

/// Write a FeatureCollection. With `crs` (`--out-crs`), geometries are
/// transformed from WGS84 into that CRS and the collection carries a legacy
/// `crs` member naming it (as GDAL writes; RFC 7946 itself expects WGS84).
pub fn write<'a>(
    mut w: impl Write,
    features: impl IntoIterator<Item = OutFeature<'a>>,
    crs: Option<&Transformer>,
) -> std::io::Result<()> {
    write!(w, "{{\"type\":\"FeatureCollection\",")?;
    if let Some(t) = crs {
        let member = serde_json::json!({"type": "name", "properties": {"name": t.to().urn()}});
        write!(w, "\"crs\":{member},")?;
    }
    writeln!(w, "\"features\":[")?;
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
        let area = match f.shape {
            super::Shape::Area(a) => a,
            super::Shape::Point([x, y]) => {
                let coordinates = match crs {
                    None => [x, y],
                    Some(t) => {
                        let (x, y) = crate::crs::transform_point(t, x, y).map_err(|e| {
                            std::io::Error::other(format!(
                                "feature {}: cannot transform ({x}, {y}) to {}: {e}",
                                i + 1,
                                t.to()
                            ))
                        })?;
                        [x, y]
                    }
                };
                obj.insert(
                    "geometry".into(),
                    serde_json::json!({"type": "Point", "coordinates": coordinates}),
                );
                serde_json::to_writer(&mut w, &obj)?;
                continue;
            }
        };
        let geometry = match crs {
            None => geometry_json(area),
            Some(t) => {
                let mut g = area.clone();
                crate::crs::transform_multipolygon(&mut g, t).map_err(|e| {
                    std::io::Error::other(format!(
                        "feature {}{}: cannot transform ({}, {}) to {}: {}",
                        i + 1,
                        f.id.map_or(String::new(), |id| format!(" (id {id:?})")),
                        e.coord.x,
                        e.coord.y,
                        t.to(),
                        e.reason
                    ))
                })?;
                geometry_json(&g)
            }
        };
        obj.insert("geometry".into(), geometry);
        serde_json::to_writer(&mut w, &obj)?;
    }
    writeln!(w, "\n]}}")
}

/// Write a FeatureCollection of features already built as JSON objects (any
/// geometry type), one per line.
pub fn write_values(
    mut w: impl Write,
    features: impl IntoIterator<Item = Map<String, Value>>,
) -> std::io::Result<()> {
    writeln!(w, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (i, f) in features.into_iter().enumerate() {
        if i > 0 {
            writeln!(w, ",")?;
        }
        serde_json::to_writer(&mut w, &f)?;
    }
    writeln!(w, "\n]}}")
}
