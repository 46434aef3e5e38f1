//! Inputs whose cost once grew as n² (piled polygons, a record of many
//! shells and holes, many labels): the answers the faster paths give.
//! Their speed is measured by `scripts/bench-hostile-growth.py`, not here.

mod common;

use common::{data, rel, territory};
use std::path::Path;

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = territory().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn reference_area(layer: &str, id: &str) -> f64 {
    let text = std::fs::read_to_string(data("reference-areas.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["layers"][layer][id]["area_m2"].as_f64().unwrap()
}

#[test]
fn piled_identical_polygons_total_the_area_of_one() {
    // 2,000 copies of the polygon with a hole: every pair of boxes meets.
    let text = std::fs::read_to_string(data("hole.geojson")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let feature = &v["features"][0];
    let features: Vec<serde_json::Value> = (0..2000)
        .map(|i| {
            let mut f = feature.clone();
            f["id"] = format!("copy{i}").into();
            f
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("piled.geojson");
    std::fs::write(
        &path,
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    let one = reference_area("tests/data/hole.geojson", "hole"); // GeographicLib
    let got = json_of(&["area", path.to_str().unwrap(), "-f", "json", "--unit", "m2"]);
    let total = &got["total"];
    let union = total["union"].as_f64().unwrap();
    // The union goes through the overlay: README "Accuracy" holds it to 1e-8.
    assert!(rel(union, one) < 1e-8, "union {union} vs {one}");
    let sum = total["sum"].as_f64().unwrap();
    assert!(rel(sum, 2000.0 * one) < 1e-9);
}

/// One Polygon record of `shells` (clockwise, the Shapefile rule) and
/// `holes` (counterclockwise), holes written in reverse order.
fn write_shapefile(base: &Path, shells: &[[(f64, f64); 5]], holes: &[[(f64, f64); 5]]) {
    let rings: Vec<&[(f64, f64); 5]> = shells.iter().chain(holes.iter().rev()).collect();
    let pts: Vec<(f64, f64)> = rings.iter().flat_map(|r| r.iter().copied()).collect();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &pts {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let mut content = Vec::new();
    content.extend(5i32.to_le_bytes());
    for v in [x0, y0, x1, y1] {
        content.extend(v.to_le_bytes());
    }
    content.extend((rings.len() as i32).to_le_bytes());
    content.extend((pts.len() as i32).to_le_bytes());
    for k in 0..rings.len() {
        content.extend((5 * k as i32).to_le_bytes());
    }
    for (x, y) in &pts {
        content.extend(x.to_le_bytes());
        content.extend(y.to_le_bytes());
    }
    let header = |len: usize| {
        let mut h = Vec::new();
        h.extend(9994i32.to_be_bytes());
        h.extend([0u8; 20]);
        h.extend(((len / 2) as i32).to_be_bytes());
        h.extend(1000i32.to_le_bytes());
        h.extend(5i32.to_le_bytes());
        for v in [x0, y0, x1, y1, 0.0, 0.0, 0.0, 0.0] {
            h.extend(v.to_le_bytes());
        }
        h
    };
    let mut shp = header(100 + 8 + content.len());
    shp.extend(1i32.to_be_bytes());
    shp.extend(((content.len() / 2) as i32).to_be_bytes());
    shp.extend(&content);
    std::fs::write(base.with_extension("shp"), shp).unwrap();
    let mut shx = header(108);
    shx.extend(50i32.to_be_bytes());
    shx.extend(((content.len() / 2) as i32).to_be_bytes());
    std::fs::write(base.with_extension("shx"), shx).unwrap();
    // dBase III, one numeric field "id", one record.
    let mut dbf = vec![3u8, 126, 1, 1];
    dbf.extend(1u32.to_le_bytes());
    dbf.extend(65u16.to_le_bytes());
    dbf.extend(11u16.to_le_bytes());
    dbf.extend([0u8; 20]);
    let mut field = b"id".to_vec();
    field.resize(11, 0);
    field.push(b'N');
    field.extend([0u8; 4]);
    field.extend([10u8, 0]);
    field.extend([0u8; 14]);
    dbf.extend(field);
    dbf.push(0x0d);
    dbf.extend(b"          1");
    dbf.push(0x1a);
    std::fs::write(base.with_extension("dbf"), dbf).unwrap();
}

fn square(x: f64, y: f64, s: f64, clockwise: bool) -> [(f64, f64); 5] {
    let ccw = [(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)];
    if clockwise {
        [ccw[0], ccw[3], ccw[2], ccw[1], ccw[0]]
    } else {
        ccw
    }
}

#[test]
fn a_shapefile_record_of_many_shells_and_holes_nests_each_hole_in_its_shell() {
    let dir = tempfile::tempdir().unwrap();
    let n = 400;
    let at = |i: usize| (44.0 + (i % 20) as f64 * 0.02, 40.0 + (i / 20) as f64 * 0.02);
    let shells: Vec<_> = (0..n)
        .map(|i| square(at(i).0, at(i).1, 0.01, true))
        .collect();
    let holes: Vec<_> = (0..n)
        .map(|i| square(at(i).0 + 0.003, at(i).1 + 0.003, 0.004, false))
        .collect();
    let with = dir.path().join("with-holes");
    write_shapefile(&with, &shells, &holes);
    let without = dir.path().join("shells");
    write_shapefile(&without, &shells, &[]);
    let info = json_of(&[
        "info",
        with.with_extension("shp").to_str().unwrap(),
        "-f",
        "json",
    ]);
    // Every hole inside its shell: 400 polygons, not 800.
    assert_eq!(info["polygons"], n);
    let area = |p: &Path| {
        let v = json_of(&[
            "area",
            p.with_extension("shp").to_str().unwrap(),
            "-f",
            "json",
            "--unit",
            "m2",
        ]);
        v["total"]["union"].as_f64().unwrap()
    };
    // A hole of 0.004° in a shell of 0.01°: 1 − 0.16 of the shell, to the
    // curvature of so small squares (hand-checked: 1e-4).
    let ratio = area(&with) / area(&without);
    assert!((ratio - 0.84).abs() < 1e-4, "{ratio}");
}

#[test]
fn labels_of_one_name_are_kept_apart_and_all_others_drawn() {
    // 400 squares named "A" on a grid far apart at the map's scale, and 400
    // pairs named "B" whose two members sit a few pixels apart.
    let mut features = Vec::new();
    for i in 0..400 {
        let (x, y) = (40.0 + (i % 20) as f64 * 0.5, 35.0 + (i / 20) as f64 * 0.5);
        for (name, dx) in [("A", 0.0), ("B", 0.2), ("B", 0.2005)] {
            let c = square(x + dx, y, 0.05, false);
            features.push(serde_json::json!({"type": "Feature", "properties": {"name": name},
                "geometry": {"type": "Polygon", "coordinates": [c.iter().map(|p| [p.0, p.1]).collect::<Vec<_>>()]}}));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let layer = dir.path().join("named.geojson");
    std::fs::write(
        &layer,
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    let svg = dir.path().join("map.svg");
    territory()
        .args([
            "render",
            layer.to_str().unwrap(),
            "--labels",
            "all",
            "--width",
            "4000",
            "-o",
        ])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    let count = |name: &str| text.matches(&format!(">{name}</text>")).count();
    assert_eq!(count("A"), 400);
    assert_eq!(count("B"), 400);
}
