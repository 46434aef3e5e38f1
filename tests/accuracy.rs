//! Areas and perimeters against GeographicLib (Python), computed independently
//! by scripts/reference-areas.py into tests/data/reference-areas.json.

mod common;
use common::*;

/// The agreement DESIGN.md promises.
const TOLERANCE: f64 = 1e-9;

fn check_layer(layer: &str, expected: &serde_json::Map<String, serde_json::Value>) -> f64 {
    let got = json(&["area", layer, "-f", "json", "--unit", "m2"]);
    let features = got["features"].as_array().unwrap();
    assert_eq!(features.len(), expected.len(), "{layer}: feature count");
    let mut worst: f64 = 0.0;
    for f in features {
        let id = f["id"].as_str().unwrap();
        let e = &expected[id];
        let area = f["area_m2"].as_f64().unwrap();
        let perim = f["perimeter_km"].as_f64().unwrap() * 1000.0;
        let (ra, rp) = (
            rel(area, e["area_m2"].as_f64().unwrap()),
            rel(perim, e["perimeter_m"].as_f64().unwrap()),
        );
        assert!(
            ra < TOLERANCE,
            "{layer} {id}: area {area} vs {} (rel {ra:e})",
            e["area_m2"]
        );
        assert!(
            rp < TOLERANCE,
            "{layer} {id}: perimeter {perim} vs {} (rel {rp:e})",
            e["perimeter_m"]
        );
        worst = worst.max(ra).max(rp);
    }
    worst
}

fn reference() -> serde_json::Value {
    let text = std::fs::read_to_string(data("reference-areas.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn layer_ref(layer: &str) -> serde_json::Map<String, serde_json::Value> {
    reference()["layers"][layer].as_object().unwrap().clone()
}

#[test]
fn polygon_with_a_hole_matches_geographiclib() {
    check_layer(
        "tests/data/hole.geojson",
        &layer_ref("tests/data/hole.geojson"),
    );
}

#[test]
fn multipolygon_matches_geographiclib() {
    check_layer(
        "tests/data/multipolygon.geojson",
        &layer_ref("tests/data/multipolygon.geojson"),
    );
}

#[test]
fn clockwise_exterior_ring_matches_geographiclib() {
    check_layer(
        "tests/data/clockwise.geojson",
        &layer_ref("tests/data/clockwise.geojson"),
    );
}

#[test]
fn ten_metre_square_matches_geographiclib() {
    let r = layer_ref("tests/data/square-10m.geojson");
    check_layer("tests/data/square-10m.geojson", &r);
    // And it is 100 m² to the precision of its construction (10 m geodesic sides).
    assert!((r["sq10m"]["area_m2"].as_f64().unwrap() - 100.0).abs() < 1e-3);
}

#[test]
fn polygon_2000_km_across_matches_geographiclib() {
    check_layer(
        "tests/data/large-2000km.geojson",
        &layer_ref("tests/data/large-2000km.geojson"),
    );
}

#[test]
fn each_armenian_province_matches_geographiclib() {
    let r = layer_ref("builtin:armenia-provinces");
    assert_eq!(r.len(), 11);
    let worst = check_layer("builtin:armenia-provinces", &r);
    eprintln!("worst relative difference over the 11 provinces: {worst:e}");
}

#[test]
fn armenia_outline_matches_geographiclib_and_the_sum_of_its_provinces() {
    check_layer("builtin:armenia", &layer_ref("builtin:armenia"));
    // The default provinces are fitted to the default (OSM political)
    // outline: they tile it, so their areas sum to the outline's.
    let provinces: f64 = layer_ref("builtin:armenia-provinces")
        .values()
        .map(|v| v["area_m2"].as_f64().unwrap())
        .sum();
    let outline = layer_ref("builtin:armenia")["AM"]["area_m2"]
        .as_f64()
        .unwrap();
    assert!(rel(outline, provinces) < 1e-8, "{outline} vs {provinces}");
}

#[test]
fn every_source_of_armenia_matches_geographiclib() {
    for layer in [
        "builtin:armenia@osm-land",
        "builtin:armenia@ne10m",
        "builtin:armenia-provinces@ne10m",
    ] {
        check_layer(layer, &layer_ref(layer));
    }
    // The Natural Earth outline was dissolved from its provinces (by shapely).
    let provinces: f64 = layer_ref("builtin:armenia-provinces@ne10m")
        .values()
        .map(|v| v["area_m2"].as_f64().unwrap())
        .sum();
    let outline = layer_ref("builtin:armenia@ne10m")["AM"]["area_m2"]
        .as_f64()
        .unwrap();
    assert!(rel(outline, provinces) < 1e-8, "{outline} vs {provinces}");
}
