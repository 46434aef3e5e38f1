//! Well-known text: geometries in a CSV column (the `wkt` crate), and
//! whether a CRS written as WKT (a `.prj`, a GeoPackage definition) is WGS84
//! longitude/latitude — which the default build reads without PROJ.

use super::feature::Geometry;

/// A WKT geometry (`POLYGON ((...))`, `POINT (lon lat)`, with Z or M too),
/// as written; a syntax error is a malformed geometry saying where.
pub fn geometry(text: &str) -> Geometry {
    let t = text.trim();
    if t.is_empty() {
        return Geometry::Null;
    }
    // The wkt crate parses recursively: a text nested thousands deep would
    // overflow the stack. Refuse it before parsing, as the WKB reader does.
    let depth = nesting(t);
    if depth > MAX_NESTING {
        return Geometry::Malformed(format!(
            "WKT nested {depth} parentheses deep; at most {MAX_NESTING} are read (GeometryCollections 16 deep holding MultiPolygons)"
        ));
    }
    match t.parse::<wkt::Wkt<f64>>() {
        Ok(w) => super::wkb::geometry(&w),
        Err(e) => Geometry::Malformed(format!(
            "not WKT ({}): {}",
            crate::text::excerpt(e),
            crate::text::quoted(&t.chars().take(60).collect::<String>())
        )),
    }
}

/// The deepest parentheses a WKT geometry may nest: 16 GeometryCollections
/// in one another (the WKB reader's limit) and a MultiPolygon's three levels
/// inside, plus one.
pub const MAX_NESTING: usize = 20;

/// How deep the parentheses of `t` nest (stops counting past the limit).
fn nesting(t: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for b in t.bytes() {
        match b {
            b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > MAX_NESTING {
                    break;
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// True when a WKT CRS (WKT1 as ESRI and GDAL write `.prj` files, or WKT2)
/// is geographic on the WGS 84 datum, Greenwich meridian, in degrees:
/// coordinates that are longitude/latitude as this tool reads them. A
/// projected, compound or other-datum CRS is not.
pub fn is_wgs84_geographic(wkt: &str) -> bool {
    let u: String = wkt
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let geographic = ["GEOGCS[", "GEOGCRS[", "GEODCRS[", "GEODETICCRS["]
        .iter()
        .any(|k| u.starts_with(k));
    let wgs84 = [
        "WGS_1984",
        "WGS84",
        "\"WGS1984\"",
        "WORLDGEODETICSYSTEM1984",
        "\"WGS84\"",
    ]
    .iter()
    .any(|k| u.contains(k));
    let greenwich = !u.contains("PRIMEM[") || u.contains("PRIMEM[\"GREENWICH\",0");
    let degrees = u.contains("DEGREE");
    let cartesian = u.contains("CS[CARTESIAN");
    geographic && wgs84 && greenwich && degrees && !cartesian
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prj_files_as_esri_and_gdal_write_them() {
        // ESRI's, as ArcGIS and GDAL write a .prj for EPSG:4326.
        let esri = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert!(is_wgs84_geographic(esri));
        let wkt2 = r#"GEOGCRS["WGS 84", DATUM["World Geodetic System 1984", ELLIPSOID["WGS 84",6378137,298.257223563]], PRIMEM["Greenwich",0], CS[ellipsoidal,2], AXIS["latitude",north], AXIS["longitude",east], ANGLEUNIT["degree",0.0174532925199433], ID["EPSG",4326]]"#;
        assert!(is_wgs84_geographic(wkt2));
        let utm = r#"PROJCS["WGS_1984_UTM_Zone_38N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["Meter",1.0]]"#;
        assert!(!is_wgs84_geographic(utm));
        let pulkovo = r#"GEOGCS["GCS_Pulkovo_1942",DATUM["D_Pulkovo_1942",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert!(!is_wgs84_geographic(pulkovo));
    }

    #[test]
    fn wkt_geometries() {
        let Geometry::Polygon(rings) = geometry("POLYGON ((45 39, 46 39, 45 40, 45 39))") else {
            panic!()
        };
        assert_eq!(rings.len(), 1);
        assert!(matches!(
            geometry("POINT (45.5 39.25)"),
            Geometry::NotArea { ref kind, ref points, .. } if kind == "Point" && points[0].x == 45.5
        ));
        assert!(matches!(
            geometry("POLYGON ((45 39, 46"),
            Geometry::Malformed(_)
        ));
        assert_eq!(geometry(""), Geometry::Null);
    }
}
