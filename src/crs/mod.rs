//! Coordinate reference systems. This build reads WGS84 longitude/latitude only;
//! a layer that declares another CRS (the legacy GeoJSON `crs` member) gets an
//! error naming the `proj` feature, which will transform it (see README).

use serde_json::Value;

use crate::error::{Error, Result};

/// CRS names that mean WGS84 longitude/latitude (as GeoJSON coordinates are read).
const WGS84_NAMES: [&str; 6] = [
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "OGC:CRS84",
    "EPSG:4326",
    "urn:ogc:def:crs:EPSG::4326",
    "urn:ogc:def:crs:EPSG:6.6:4326",
];

/// Check a legacy GeoJSON `crs` member (2008 spec): accept WGS84 names, refuse others.
pub fn check_declared(path: &str, crs: &Value) -> Result<()> {
    let name = crs
        .pointer("/properties/name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| crs.to_string());
    if crs.is_null() || WGS84_NAMES.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
        return Ok(());
    }
    Err(Error::CrsNeedsProj {
        path: path.to_string(),
        crs: name,
    })
}
