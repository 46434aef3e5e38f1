//! Properties that must hold for any input (proptest): areas do not depend on
//! where a ring starts or which way it runs; a union is never larger than the
//! sum of its parts; an intersection never larger than either operand; the
//! point index agrees with geo's `Contains`.

use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use proptest::prelude::*;
use territory::index::RegionIndex;
use territory::model::{GeomType, IdSource, Layer, Region};
use territory::{measure, overlay};

/// A simple (star-shaped) polygon around (cx, cy) with `radii.len()` vertices
/// at increasing angles: never self-intersecting.
fn star(cx: f64, cy: f64, radii: &[f64]) -> Polygon<f64> {
    let n = radii.len();
    let mut pts: Vec<Coord<f64>> = radii
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            Coord {
                x: cx + r * a.cos(),
                y: cy + r * a.sin(),
            }
        })
        .collect();
    pts.push(pts[0]);
    Polygon::new(LineString(pts), vec![])
}

/// Polygons of digitised size: up to about 10 km across, edges of a few km.
/// (The overlay cuts edges as straight lon/lat lines while areas treat them as
/// geodesics; on edges tens of km long that moves areas by up to ~2e-4 and a
/// union can exceed the sum by that much: see README, Accuracy.)
fn polygon_strategy() -> impl Strategy<Value = Polygon<f64>> {
    (
        44.0..44.08f64,
        39.0..39.08f64,
        prop::collection::vec(0.002..0.05f64, 3..24),
    )
        .prop_map(|(cx, cy, radii)| star(cx, cy, &radii))
}

fn layer_of(polys: &[Polygon<f64>]) -> Layer {
    Layer {
        name: "prop".into(),
        source: "proptest".into(),
        regions: polys
            .iter()
            .enumerate()
            .map(|(i, p)| Region {
                index: i + 1,
                id: (i + 1).to_string(),
                name: String::new(),
                props: Default::default(),
                geom: MultiPolygon(vec![p.clone()]),
                geom_type: GeomType::Polygon,
                vertices: p.exterior().0.len(),
            })
            .collect(),
        id_source: IdSource::Index,
        name_field: None,
        ignored_z: false,
        src_crs: None,
        skipped: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn area_is_the_same_under_rotation_and_reversal(p in polygon_strategy(), shift in 0usize..24) {
        let a = measure::polygon(&p).area_m2;
        let mut ring: Vec<Coord<f64>> = p.exterior().0[..p.exterior().0.len() - 1].to_vec();
        let k = shift % ring.len();
        ring.rotate_left(k);
        ring.push(ring[0]);
        let rotated = Polygon::new(LineString(ring.clone()), vec![]);
        ring.reverse();
        let reversed = Polygon::new(LineString(ring), vec![]);
        prop_assert!(((measure::polygon(&rotated).area_m2 - a) / a).abs() < 1e-9);
        prop_assert!(((measure::polygon(&reversed).area_m2 - a) / a).abs() < 1e-9);
    }

    #[test]
    fn union_is_at_most_the_sum(ps in prop::collection::vec(polygon_strategy(), 2..5)) {
        let mps: Vec<MultiPolygon<f64>> = ps.iter().map(|p| MultiPolygon(vec![p.clone()])).collect();
        let geoms: Vec<&MultiPolygon<f64>> = mps.iter().collect();
        let areas: Vec<f64> = measure::multi_polygons(&geoms).iter().map(|m| m.area_m2).collect();
        let t = overlay::totals(&geoms, &areas);
        // Up to the overlay's accuracy (1e-6): cut points lie on straight lon/lat edges.
        prop_assert!(t.union_m2 <= t.sum_m2 * (1.0 + 1e-6), "{} > {}", t.union_m2, t.sum_m2);
        prop_assert!(t.union_m2 >= areas.iter().cloned().fold(0.0, f64::max) * (1.0 - 1e-6));
    }

    #[test]
    fn intersection_is_at_most_each_operand(a in polygon_strategy(), b in polygon_strategy()) {
        let (a, b) = (MultiPolygon(vec![a]), MultiPolygon(vec![b]));
        let i = measure::multi_polygon(&overlay::intersection(&a, &b)).area_m2;
        let (aa, ab) = (measure::multi_polygon(&a).area_m2, measure::multi_polygon(&b).area_m2);
        prop_assert!(i <= aa * (1.0 + 1e-6) && i <= ab * (1.0 + 1e-6), "{} {} {}", i, aa, ab);
    }

    #[test]
    fn locate_agrees_with_contains(
        ps in prop::collection::vec(polygon_strategy(), 1..6),
        pts in prop::collection::vec((43.95..44.13f64, 38.95..39.13f64), 200),
    ) {
        let layer = layer_of(&ps);
        let index = RegionIndex::new(&layer);
        for (x, y) in pts {
            let p = Point::new(x, y);
            let first_containing = ps.iter().position(|poly| poly.contains(&p));
            let got = index.first(x, y);
            match (first_containing, got) {
                (Some(want), Some(g)) => prop_assert!(g <= want, "({x}, {y}): index {g}, contains {want}"),
                (None, None) => {}
                // The index also counts the boundary as inside: only a boundary point may differ.
                (None, Some(g)) => prop_assert!(geo::Intersects::intersects(&ps[g], &p)),
                (Some(want), None) => prop_assert!(false, "({x}, {y}) inside {want} but not found"),
            }
            if let (Some(g), Some(want)) = (got, first_containing) {
                // g < want only when the point is on g's boundary.
                if g < want {
                    prop_assert!(geo::Intersects::intersects(&ps[g], &p));
                }
            }
        }
    }
}
