//! Coordinate reference systems.
//!
//! Everything inside the tool is WGS84 longitude/latitude (degrees, GeoJSON
//! axis order); measurements are geodesic on the WGS84 ellipsoid. Data in any
//! other CRS is transformed to WGS84 as it is read (`--src-crs`, or a legacy
//! GeoJSON `crs` member), and can be written out in another CRS (`--out-crs`).
//!
//! Transformations need PROJ, which sits behind the cargo feature `proj`
//! (`enabled.rs`). The default build (`disabled.rs`) reads WGS84 only and
//! answers any other CRS with an error that names the feature and the command
//! that builds it.
//!
//! Axis order: coordinates are always taken and written as x, y — longitude,
//! latitude or easting, northing — whatever the CRS definition says (PROJ's
//! `proj_normalize_for_visualization`). So `EPSG:4326` means longitude, latitude
//! here, as GeoJSON and most GIS files write it.

use serde_json::Value;

use crate::error::{Error, FeatureLoc, Result};
use crate::model::Layer;

#[cfg(feature = "proj")]
mod enabled;
#[cfg(feature = "proj")]
pub use enabled::{Transformer, linear_unit, proj_version};

#[cfg(not(feature = "proj"))]
mod disabled;
#[cfg(not(feature = "proj"))]
pub use disabled::{Transformer, linear_unit, proj_version};

pub use crate::model::crs::{Crs, WGS84};

/// The CRS a legacy GeoJSON `crs` member (GeoJSON 2008) names, if any.
/// `"crs": null` and the absence of the member both mean WGS84.
pub fn declared(path: &str, crs: &Value) -> Result<Option<Crs>> {
    if crs.is_null() {
        return Ok(None);
    }
    let name = crs
        .pointer("/properties/name")
        .and_then(Value::as_str)
        .or_else(|| crs.pointer("/properties/href").and_then(Value::as_str));
    match name {
        Some(n) => n.parse().map(Some).map_err(|e| Error::Crs {
            path: path.to_string(),
            reason: format!("the \"crs\" member: {e}"),
        }),
        None => Err(Error::Crs {
            path: path.to_string(),
            reason: format!(
                "the \"crs\" member {crs} names no CRS (expected {{\"type\": \"name\", \"properties\": {{\"name\": \"EPSG:…\"}}}})"
            ),
        }),
    }
}

/// The CRS to read a layer in: `--src-crs` if given, else the file's `crs`
/// member, else WGS84. Both given and different is an error: the file says one
/// thing and the user another, and guessing would move every coordinate.
pub fn effective(path: &str, given: Option<&Crs>, declared: Option<Crs>) -> Result<Crs> {
    match (given, declared) {
        (Some(g), Some(d)) if g != &d && !(g.is_wgs84() && d.is_wgs84()) => {
            Err(Error::CrsConflict {
                path: path.to_string(),
                declared: d.to_string(),
                given: g.to_string(),
            })
        }
        (Some(g), _) => Ok(g.clone()),
        (None, Some(d)) => Ok(d),
        (None, None) => Ok(Crs::wgs84()),
    }
}

/// The transformer that brings an input to WGS84, or `None` when it is WGS84
/// already: from `--src-crs` (`given`), else from the file's legacy `crs`
/// `member`, an error when they disagree (see [`effective`]).
pub fn for_input(
    path: &str,
    given: Option<&Crs>,
    member: Option<&Value>,
) -> Result<Option<Transformer>> {
    let declared = match member {
        Some(v) => declared(path, v)?,
        None => None,
    };
    to_wgs84(path, &effective(path, given, declared)?)
}

/// True for an authority code (`EPSG:32638`), false for WKT, PROJJSON or
/// a PROJ string.
fn is_code(c: &Crs) -> bool {
    c.definition().split_once(':').is_some_and(|(a, k)| {
        !a.is_empty()
            && a.bytes().all(|b| b.is_ascii_alphanumeric())
            && !k.contains(['[', '{', ' '])
    })
}

/// The transformer that brings a binary file (GeoPackage, Shapefile,
/// FlatGeobuf, GeoParquet) to WGS84, or `None` when it is WGS84: `--src-crs`
/// (`given`) if set, else the CRS the file declares. Two different
/// authority codes are an error ([`Error::CrsConflict`]); a WKT or PROJJSON
/// declaration gives way to `--src-crs` (they are rarely spelled alike even
/// when they mean the same).
pub fn for_file(
    path: &str,
    given: Option<&Crs>,
    declared: Option<Crs>,
) -> Result<Option<Transformer>> {
    let crs = match (given, declared) {
        (Some(g), Some(d))
            if is_code(g) && is_code(&d) && g != &d && !(g.is_wgs84() && d.is_wgs84()) =>
        {
            return Err(Error::CrsConflict {
                path: path.to_string(),
                declared: d.to_string(),
                given: g.to_string(),
            });
        }
        (Some(g), _) => g.clone(),
        (None, Some(d)) => d,
        (None, None) => Crs::wgs84(),
    };
    to_wgs84(path, &crs)
}

/// One point through `t`: (x, y) in its source CRS to (x, y) in its target.
pub fn transform_point(t: &Transformer, x: f64, y: f64) -> std::result::Result<(f64, f64), String> {
    let mut c = [geo::Coord { x, y }];
    t.convert(&mut c).map_err(|(_, e)| {
        format!(
            "cannot transform ({x}, {y}) from {} to {}: {e}",
            t.from(),
            t.to()
        )
    })?;
    Ok((c[0].x, c[0].y))
}

/// A transformer from `from` to WGS84, or `None` when `from` is WGS84.
/// `place` names the input (or option) in messages. Without the `proj`
/// feature, any other CRS is [`Error::CrsNeedsProj`].
pub fn to_wgs84(place: &str, from: &Crs) -> Result<Option<Transformer>> {
    if from.is_wgs84() {
        return Ok(None);
    }
    transformer(place, from, &Crs::wgs84(), from).map(Some)
}

/// A transformer from WGS84 to `to`, or `None` when `to` is WGS84.
pub fn from_wgs84(place: &str, to: &Crs) -> Result<Option<Transformer>> {
    if to.is_wgs84() {
        return Ok(None);
    }
    transformer(place, &Crs::wgs84(), to, to).map(Some)
}

/// A transformer between any two CRSs (`--planar-crs` needs one even from WGS84
/// to WGS84-based projections).
pub fn between(place: &str, from: &Crs, to: &Crs) -> Result<Transformer> {
    let named = if from.is_wgs84() { to } else { from };
    transformer(place, from, to, named)
}

fn transformer(place: &str, from: &Crs, to: &Crs, named: &Crs) -> Result<Transformer> {
    if !cfg!(feature = "proj") {
        return Err(Error::CrsNeedsProj {
            path: place.to_string(),
            crs: named.to_string(),
        });
    }
    Transformer::new(from, to).map_err(|reason| Error::Crs {
        path: place.to_string(),
        reason,
    })
}

/// Transform every ring of every polygon in place, in parallel. `place` gives
/// the message prefix (the input) and each region's location; results are
/// checked to be WGS84 lon/lat when transforming to WGS84.
pub fn transform_layer(layer: &mut Layer, t: &Transformer) -> Result<()> {
    use rayon::prelude::*;
    let path = layer.name.clone();
    layer.regions.par_iter_mut().try_for_each(|r| {
        let loc = FeatureLoc {
            index: r.index,
            id: Some(r.id.clone()),
            line: None,
        };
        transform_multipolygon(&mut r.geom, t).map_err(|f| {
            let place = format!("{loc}, {}", f.place);
            f.into_error(&path, &place, t)
        })
    })
}

/// The planar area, in m², of a WGS84 multipolygon projected by `t` into a
/// projected CRS whose unit is `metres_per_unit` metres (the shoelace formula
/// on the projected coordinates, as a GIS's planar "area" shows it).
pub fn planar_area_m2(
    g: &geo::MultiPolygon<f64>,
    t: &Transformer,
    metres_per_unit: f64,
) -> std::result::Result<f64, Failure> {
    use geo::Area;
    let mut projected = g.clone();
    transform_multipolygon(&mut projected, t)?;
    let units2: f64 = projected.0.iter().map(|p| p.unsigned_area()).sum();
    Ok(units2 * metres_per_unit * metres_per_unit)
}

/// Where a transformation failed inside a multipolygon.
#[derive(Debug)]
pub struct Failure {
    /// `polygon P, ring R, position N` (1-based).
    pub place: String,
    /// The coordinate as it was before the transformation.
    pub coord: geo::Coord<f64>,
    /// PROJ's reason.
    pub reason: String,
}

impl Failure {
    /// The error for input `path`, at `place`.
    pub fn into_error(self, path: &str, place: &str, t: &Transformer) -> Error {
        Error::Transform(Box::new(crate::error::TransformError {
            path: path.to_string(),
            place: place.to_string(),
            x: self.coord.x,
            y: self.coord.y,
            from: t.from().to_string(),
            to: t.to().to_string(),
            reason: self.reason,
        }))
    }
}

/// Transform one multipolygon in place (when the target is WGS84, every result
/// is checked to be a longitude/latitude: see [`Transformer::convert`]).
pub fn transform_multipolygon(
    g: &mut geo::MultiPolygon<f64>,
    t: &Transformer,
) -> std::result::Result<(), Failure> {
    // `convert` leaves the failing coordinate untouched: it is the original.
    let ring = |coords: &mut Vec<geo::Coord<f64>>, place: &dyn Fn(usize) -> String| {
        t.convert(coords).map_err(|(i, reason)| Failure {
            place: place(i),
            coord: coords[i],
            reason,
        })
    };
    for (p, poly) in g.0.iter_mut().enumerate() {
        let place =
            |r: usize| move |i: usize| format!("polygon {}, ring {r}, position {}", p + 1, i + 1);
        let mut result = Ok(());
        poly.exterior_mut(|ext| result = ring(&mut ext.0, &place(1)));
        std::mem::replace(&mut result, Ok(()))?;
        poly.interiors_mut(|holes| {
            for (h, hole) in holes.iter_mut().enumerate() {
                if result.is_ok() {
                    result = ring(&mut hole.0, &place(h + 2));
                }
            }
        });
        result?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Crs {
        s.parse().unwrap()
    }

    #[test]
    fn spellings_of_one_code_are_equal() {
        for s in [
            "EPSG:32638",
            "epsg:32638",
            "32638",
            "urn:ogc:def:crs:EPSG::32638",
            "urn:ogc:def:crs:EPSG:9.8.1:32638",
            "http://www.opengis.net/def/crs/EPSG/0/32638",
        ] {
            assert_eq!(c(s).definition(), "EPSG:32638", "{s}");
        }
    }

    #[test]
    fn wgs84_names_need_no_transformation() {
        for s in [
            "urn:ogc:def:crs:OGC:1.3:CRS84",
            "urn:ogc:def:crs:OGC::CRS84",
            "OGC:CRS84",
            "CRS84",
            "EPSG:4326",
            "4326",
            "urn:ogc:def:crs:EPSG::4326",
            "+proj=longlat +datum=WGS84 +no_defs",
            "WGS84",
        ] {
            assert!(c(s).is_wgs84(), "{s}");
        }
        for s in ["EPSG:32638", "+proj=utm +zone=38 +datum=WGS84", "EPSG:4284"] {
            assert!(!c(s).is_wgs84(), "{s}");
        }
    }

    #[test]
    fn wkt_and_proj_strings_are_kept() {
        let wkt = r#"PROJCRS["WGS 84 / UTM zone 38N",BASEGEOGCRS["WGS 84"]]"#;
        assert_eq!(c(wkt).definition(), wkt);
        assert_eq!(
            c("+proj=utm +zone=38 +datum=WGS84").definition(),
            "+proj=utm +zone=38 +datum=WGS84"
        );
    }

    #[test]
    fn a_conflict_between_file_and_flag_is_an_error() {
        let utm = c("EPSG:32638");
        let declared = Some(c("urn:ogc:def:crs:EPSG::32639"));
        assert!(effective("f", Some(&utm), declared).is_err());
        let same = Some(c("urn:ogc:def:crs:EPSG::32638"));
        assert_eq!(effective("f", Some(&utm), same).unwrap(), utm);
        let wgs = Some(c("urn:ogc:def:crs:OGC:1.3:CRS84"));
        assert!(effective("f", Some(&c("EPSG:4326")), wgs).is_ok());
        assert!(effective("f", None, None).unwrap().is_wgs84());
    }

    #[test]
    fn a_crs_member_without_a_name_is_an_error() {
        let v: Value = serde_json::json!({"type": "name", "properties": {}});
        assert!(declared("f", &v).is_err());
        let v: Value = serde_json::json!({"type": "name", "properties": {"name": "EPSG:32638"}});
        assert_eq!(declared("f", &v).unwrap(), Some(c("EPSG:32638")));
        assert_eq!(declared("f", &Value::Null).unwrap(), None);
    }
}
