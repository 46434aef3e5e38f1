//! Geometries of the binary formats: any [`geo_traits`] geometry (WKB as
//! the `wkb` crate reads it, a FlatGeobuf feature's, a WKT value's) walked
//! into the one [`Geometry`] model every reader yields; WKB and GeoPackage
//! blobs written from a row's shape.
//!
//! Positions that are not two finite numbers (NaN, infinities) are kept as
//! bad positions, so that a layer names them as it does in GeoJSON.

use geo::Coord;
use geo_traits::{
    CoordTrait, GeometryCollectionTrait, GeometryTrait, GeometryType, LineStringTrait, LineTrait,
    MultiLineStringTrait, MultiPointTrait, MultiPolygonTrait, PointTrait, PolygonTrait, RectTrait,
    TriangleTrait,
};

use super::feature::{Geometry, Part, Positions, Ring};

/// GeometryCollections nested deeper than this are refused (as in GeoJSON).
const MAX_DEPTH: usize = 16;

fn coord_of(c: &impl CoordTrait<T = f64>) -> Result<Coord<f64>, f64> {
    let (x, y) = (c.x(), c.y());
    if !x.is_finite() {
        Err(x)
    } else if !y.is_finite() {
        Err(y)
    } else {
        Ok(Coord { x, y })
    }
}

fn has_z(d: geo_traits::Dimensions) -> bool {
    matches!(
        d,
        geo_traits::Dimensions::Xyz | geo_traits::Dimensions::Xyzm
    )
}

fn positions(ls: &impl LineStringTrait<T = f64>) -> Positions {
    let mut ps = Positions {
        coords: Vec::with_capacity(ls.num_coords()),
        had_z: has_z(ls.dim()),
        ..Positions::default()
    };
    for c in ls.coords() {
        ps.push_xy(c.x(), c.y());
    }
    ps
}

fn rings(p: &impl PolygonTrait<T = f64>) -> Vec<Ring> {
    p.exterior()
        .into_iter()
        .map(|r| Ring::Positions(positions(&r)))
        .chain(p.interiors().map(|r| Ring::Positions(positions(&r))))
        .collect()
}

fn point(p: &impl PointTrait<T = f64>) -> Option<Coord<f64>> {
    p.coord().and_then(|c| coord_of(&c).ok())
}

/// A geometry as written, in the model of [`Geometry`]: Polygons and
/// MultiPolygons ring by ring; Points and lines as no areas; a Rect or a
/// Triangle as the Polygon it is.
pub fn geometry(g: &impl GeometryTrait<T = f64>) -> Geometry {
    walk(g, 0)
}

fn walk(g: &impl GeometryTrait<T = f64>, depth: usize) -> Geometry {
    match g.as_type() {
        GeometryType::Polygon(p) => Geometry::Polygon(rings(p)),
        GeometryType::MultiPolygon(mp) => {
            Geometry::MultiPolygon(mp.polygons().map(|p| Part::Rings(rings(&p))).collect())
        }
        GeometryType::GeometryCollection(gc) if depth < MAX_DEPTH => {
            Geometry::Collection(gc.geometries().map(|m| walk(&m, depth + 1)).collect())
        }
        GeometryType::GeometryCollection(_) => {
            Geometry::Malformed("GeometryCollections nested more than 16 deep".into())
        }
        GeometryType::Point(p) => Geometry::NotArea {
            kind: "Point".into(),
            points: point(p).into_iter().collect(),
            lines: Vec::new(),
        },
        GeometryType::MultiPoint(mp) => Geometry::NotArea {
            kind: "MultiPoint".into(),
            points: mp.points().filter_map(|p| point(&p)).collect(),
            lines: Vec::new(),
        },
        GeometryType::LineString(ls) => Geometry::NotArea {
            kind: "LineString".into(),
            points: Vec::new(),
            lines: vec![geo::LineString(positions(ls).coords)],
        },
        GeometryType::MultiLineString(ml) => Geometry::NotArea {
            kind: "MultiLineString".into(),
            points: Vec::new(),
            lines: ml
                .line_strings()
                .map(|l| geo::LineString(positions(&l).coords))
                .collect(),
        },
        GeometryType::Line(l) => Geometry::NotArea {
            kind: "LineString".into(),
            points: Vec::new(),
            lines: vec![geo::LineString(
                [l.start(), l.end()]
                    .iter()
                    .filter_map(|c| coord_of(c).ok())
                    .collect(),
            )],
        },
        GeometryType::Rect(r) => {
            let (a, b) = (r.min(), r.max());
            let (x0, y0, x1, y1) = (a.x(), a.y(), b.x(), b.y());
            let ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
                .map(|(x, y)| Coord { x, y })
                .to_vec();
            Geometry::Polygon(vec![Ring::Positions(Positions::from_coords(ring))])
        }
        GeometryType::Triangle(t) => {
            let cs: Vec<Coord<f64>> = [t.first(), t.second(), t.third(), t.first()]
                .iter()
                .filter_map(|c| coord_of(c).ok())
                .collect();
            Geometry::Polygon(vec![Ring::Positions(Positions::from_coords(cs))])
        }
    }
}

/// A WKB geometry (ISO or extended/EWKB-style Z and M flags), as written.
pub fn from_wkb(bytes: &[u8]) -> Geometry {
    match wkb::reader::read_wkb(bytes) {
        Ok(g) => geometry(&g),
        Err(e) => Geometry::Malformed(format!("unreadable WKB: {e}")),
    }
}

/// `geo` geometries as WKB (little-endian, ISO 2D).
pub fn to_wkb(g: &geo::Geometry<f64>, out: &mut Vec<u8>) {
    let options = wkb::writer::WriteOptions {
        endianness: wkb::Endianness::LittleEndian,
    };
    // Writing to a Vec cannot fail.
    let _ = wkb::writer::write_geometry(out, g, &options);
}

/// A GeoPackage geometry blob (GeoPackage 1.3, §2.1.3): the `GP` header
/// (version 0, little-endian, the envelope `[minx, maxx, miny, maxy]` unless
/// `bbox` is `None`, the empty flag when the geometry has no positions),
/// then standard WKB.
pub fn gpkg_blob(g: &geo::Geometry<f64>, srs_id: i32, bbox: Option<geo::Rect<f64>>) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"GP");
    out.push(0);
    let (envelope, empty) = match bbox {
        Some(_) => (1u8, 0u8),
        None => (0, 1),
    };
    out.push((empty << 4) | (envelope << 1) | 1);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(b) = bbox {
        for v in [b.min().x, b.max().x, b.min().y, b.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    to_wkb(g, &mut out);
    out
}

/// The WKB of a GeoPackage geometry blob and its srs_id, past its header;
/// an error names what is wrong with the header.
pub fn gpkg_wkb(blob: &[u8]) -> Result<(&[u8], i32), String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("not a GeoPackage geometry (no \"GP\" header)".into());
    }
    let flags = blob[3];
    if flags & 0b0010_0000 != 0 {
        return Err("an extended GeoPackage geometry (GeometryType extension), not read".into());
    }
    let little = flags & 1 == 1;
    let srs = [blob[4], blob[5], blob[6], blob[7]];
    let srs_id = if little {
        i32::from_le_bytes(srs)
    } else {
        i32::from_be_bytes(srs)
    };
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        k => return Err(format!("envelope indicator {k} is invalid")),
    };
    let start = 8 + envelope;
    if blob.len() < start {
        return Err("the geometry blob ends inside its header".into());
    }
    Ok((&blob[start..], srs_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-assembled WKB: a little-endian Polygon with one 4-position ring.
    #[test]
    fn reads_a_hand_made_wkb_polygon() {
        let mut b = vec![1u8];
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&4u32.to_le_bytes());
        for (x, y) in [(45.0, 39.0), (46.0, 39.0), (45.0, 40.0), (45.0, 39.0)] {
            b.extend_from_slice(&f64::to_le_bytes(x));
            b.extend_from_slice(&f64::to_le_bytes(y));
        }
        let Geometry::Polygon(rings) = from_wkb(&b) else {
            panic!("not a polygon")
        };
        let Ring::Positions(ps) = &rings[0] else {
            panic!()
        };
        assert_eq!(ps.coords[1], Coord { x: 46.0, y: 39.0 });
        assert_eq!(ps.len(), 4);
    }

    #[test]
    fn nan_positions_are_kept_as_bad() {
        let mut b = vec![1u8];
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&4u32.to_le_bytes());
        for (x, y) in [(45.0, 39.0), (f64::NAN, 39.0), (45.0, 40.0), (45.0, 39.0)] {
            b.extend_from_slice(&f64::to_le_bytes(x));
            b.extend_from_slice(&f64::to_le_bytes(y));
        }
        let Geometry::Polygon(rings) = from_wkb(&b) else {
            panic!()
        };
        let Ring::Positions(ps) = &rings[0] else {
            panic!()
        };
        assert_eq!(ps.bad.len(), 1);
        assert_eq!(ps.bad[0].index, 1);
    }

    #[test]
    fn truncated_wkb_is_malformed_not_a_panic() {
        let mut b = vec![1u8];
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&400u32.to_le_bytes());
        assert!(matches!(from_wkb(&b), Geometry::Malformed(_)));
    }

    #[test]
    fn gpkg_blob_round_trip() {
        let p: geo::Geometry<f64> = geo::Point::new(45.5, 39.25).into();
        let blob = gpkg_blob(&p, 4326, Some(geo::Rect::new((45.5, 39.25), (45.5, 39.25))));
        assert_eq!(&blob[..2], b"GP");
        let (wkb, srs) = gpkg_wkb(&blob).unwrap();
        assert_eq!(srs, 4326);
        let Geometry::NotArea { points, .. } = from_wkb(wkb) else {
            panic!()
        };
        assert_eq!(points, vec![Coord { x: 45.5, y: 39.25 }]);
    }
}
