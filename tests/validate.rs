//! `territory validate`: every problem located; `--repair` output.

mod common;
use common::*;
use predicates::prelude::*;

fn findings(file: &str) -> (serde_json::Value, Option<i32>) {
    let out = territory()
        .args(["validate", file, "-f", "json"])
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code(),
    )
}

fn has(v: &serde_json::Value, feature: u64, code: &str) -> serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["feature"] == feature && f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} on feature {feature}: {v}"))
        .clone()
}

#[test]
fn every_kind_of_problem_is_found_and_located() {
    let (v, code) = findings("tests/data/validate-many.geojson");
    assert_eq!(code, Some(1));
    // The bow-tie's edges (45,40)-(45.2,40.2) and (45.2,40)-(45,40.2) cross at (45.1, 40.1).
    let x = has(&v, 2, "self-intersection");
    assert_eq!(x["coordinates"], serde_json::json!([45.1, 40.1]));
    assert_eq!(
        (x["polygon"].as_u64(), x["ring"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(has(&v, 3, "unclosed-ring")["vertex"], 4);
    assert_eq!(has(&v, 4, "hole-outside-shell")["ring"], 2);
    has(&v, 5, "overlapping-rings");
    assert_eq!(has(&v, 6, "repeated-vertex")["vertex"], 3);
    assert_eq!(has(&v, 6, "winding")["severity"], "warning");
    let s = has(&v, 7, "swapped-axes");
    assert!(s["message"].as_str().unwrap().contains("3 more positions"));
    assert!(
        has(&v, 8, "duplicate-id")["message"]
            .as_str()
            .unwrap()
            .contains("feature 1")
    );
    // Features 1 and 8 overlap by a 0.05° x 0.05° square (about 23.68 km²).
    let o = has(&v, 8, "features-overlap");
    assert!(
        o["message"]
            .as_str()
            .unwrap()
            .contains("feature 1 by 23.67"),
        "{o}"
    );
    assert_eq!(has(&v, 9, "bad-coordinate")["vertex"], 2);
    assert_eq!(v["errors"], 7);
}

#[test]
fn clean_layers_pass_with_exit_zero() {
    territory()
        .args([
            "validate",
            "builtin:armenia-provinces",
            "tests/data/hole.geojson",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("no problems found"));
}

#[test]
fn repair_writes_a_valid_layer_and_says_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let fixed = dir.path().join("fixed.geojson");
    territory()
        .args([
            "validate",
            "tests/data/validate-many.geojson",
            "--repair",
            "-o",
        ])
        .arg(&fixed)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("feature 7 (id \"swapped\")"));
    assert!(!fixed.exists(), "no output when the input cannot be read");
    territory()
        .args([
            "validate",
            "tests/data/invalid-bowtie.geojson",
            "--repair",
            "-o",
        ])
        .arg(&fixed)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "feature 2 (id \"bowtie\"): made valid (even-odd rule)",
        ));
    let (v, code) = findings(fixed.to_str().unwrap());
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["errors"], 0);
    // The repaired bow-tie: two triangles, GeographicLib area in the references.
    let text = std::fs::read_to_string(data("reference-areas.json")).unwrap();
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    let a = json(&[
        "area",
        fixed.to_str().unwrap(),
        "-f",
        "json",
        "--unit",
        "m2",
    ]);
    let got = a["features"][1]["area_m2"].as_f64().unwrap();
    // i_overlay's grid snapping: 1.9e-9 (see tests/overlay.rs).
    assert!(rel(got, r["bowtie_repaired"].as_f64().unwrap()) < 5e-9);
}

#[test]
fn output_is_byte_identical_across_runs() {
    let run = || {
        territory()
            .args([
                "area",
                "data/examples/occupied-illustrative.geojson",
                "--by",
                "builtin:caucasus",
                "-f",
                "json",
            ])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn every_command_that_measures_checks_validity() {
    let bowtie = "tests/data/invalid-bowtie.geojson";
    for args in [
        vec!["area", bowtie],
        vec!["area", bowtie, "--by", "builtin:armenia-provinces"],
        vec!["check", bowtie, "--claim", "95 km2"],
        vec!["timeline", bowtie, "--date", "2021-05-12"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(
            err.contains("feature 2 (id \"bowtie\")")
                && err.contains("self-intersection")
                && err.contains("--repair"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn locate_region_layers_with_invalid_polygons_warn_and_go_on() {
    // A point lookup stays defined on a bow-tie (winding rule): one warning
    // naming the feature, and the answer. (40.10 N, 45.03 E) lies in the
    // bow-tie's left triangle, (40.15 N, 45.05 E) on its crossing point.
    let bowtie = "tests/data/invalid-bowtie.geojson";
    for point in ["40.10,45.03", "40.15,45.05"] {
        let (code, out, err) = run(&["locate", point, "--regions", bowtie, "--all"]);
        assert_eq!(code, Some(0), "{err}");
        assert!(out.contains("bowtie"), "{point}: {out}");
        assert!(
            err.contains("warning") && err.contains("feature 2 (id \"bowtie\")"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn repair_and_no_check_are_offered_where_geometry_is_loaded() {
    let bowtie = "tests/data/invalid-bowtie.geojson";
    // --repair: the bow-tie becomes two triangles (area from reference-areas.json).
    let v = json(&["area", bowtie, "--repair", "-f", "json"]);
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("reference-areas.json")).unwrap())
            .unwrap();
    let expect_m2 = r["bowtie_repaired"].as_f64().unwrap();
    let got_m2 = v["features"][1]["area_km2"].as_f64().unwrap() * 1e6;
    assert!(rel(got_m2, expect_m2) < 5e-9, "{got_m2} vs {expect_m2}");
    // locate --repair: a point inside the repaired left triangle is found.
    let (code, out, err) = run(&[
        "locate",
        "40.10,45.03",
        "--regions",
        bowtie,
        "--repair",
        "--all",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("bowtie"), "{out}");
    // --no-check measures as told (the bow-tie's signed halves cancel).
    let (code, _, err) = run(&["area", bowtie, "--no-check"]);
    assert_eq!(code, Some(0), "{err}");
    // --repair and --no-check together make no sense.
    assert_eq!(run(&["area", bowtie, "--repair", "--no-check"]).0, Some(2));
}

#[test]
fn info_reports_validity_instead_of_stopping() {
    let v = json(&["info", "tests/data/invalid-bowtie.geojson", "-f", "json"]);
    let invalid = v["invalid_features"].as_array().unwrap();
    assert_eq!(invalid.len(), 1, "{v}");
    assert!(invalid[0].as_str().unwrap().contains("bowtie"), "{v}");
    let ok = json(&["info", "tests/data/hole.geojson", "-f", "json"]);
    assert_eq!(ok["invalid_features"], serde_json::json!([]));
    let builtin = json(&["info", "builtin:armenia", "-f", "json"]);
    assert!(builtin["invalid_features"].is_null(), "{builtin}");
}

#[test]
fn crowded_layer_lists_at_most_10000_overlaps() {
    // 150 copies of one square: 11,175 overlapping pairs.
    let dir = tempfile::tempdir().unwrap();
    let features: Vec<serde_json::Value> = (0..150)
        .map(|i| {
            serde_json::json!({"type": "Feature", "id": format!("f{i}"), "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [[[45.0, 40.0], [45.2, 40.0], [45.2, 40.2], [45.0, 40.2], [45.0, 40.0]]]}})
        })
        .collect();
    let path = dir.path().join("crowded.geojson");
    std::fs::write(
        &path,
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    let (v, code) = findings(path.to_str().unwrap());
    assert_eq!(code, Some(0), "{v}");
    let all = v["findings"].as_array().unwrap();
    let overlaps = all
        .iter()
        .filter(|d| d["code"] == "features-overlap")
        .count();
    assert_eq!(overlaps, 10_000);
    assert_eq!(
        all.iter()
            .filter(|d| d["code"] == "overlaps-not-all-listed")
            .count(),
        1
    );
}

/// tests/data/osm-armenia-raw.geojson: Armenia's OpenStreetMap-derived outline
/// as published, whose mainland has two more parts nested in it. Reference
/// areas: shapely's intersections and union, measured by GeographicLib
/// (scripts/reference-areas.py).
fn raw_armenia_ref() -> serde_json::Value {
    let text = std::fs::read_to_string(data("reference-areas.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["osm_armenia_raw"].clone()
}

#[test]
fn overlapping_parts_of_one_multipolygon_are_an_error_with_their_area() {
    let r = raw_armenia_ref();
    let (code, out, _) = run(&[
        "validate",
        "tests/data/osm-armenia-raw.geojson",
        "-f",
        "json",
    ]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "parts-overlap")
        .collect();
    assert_eq!(found.len(), 2, "{v}");
    for (d, (pair, polygon)) in found.iter().zip([("1-2", 2), ("1-3", 3)]) {
        assert_eq!(d["severity"], "error");
        assert_eq!(d["polygon"], polygon);
        let want = r["overlapping_parts_m2"][pair].as_f64().unwrap() / 1e6;
        let msg = d["message"].as_str().unwrap();
        let got: f64 = msg
            .split("overlap by ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((got - want).abs() < 1e-6, "{pair}: {got} vs {want}");
        // The place given is inside both parts: Barxudarlı (45.00 E 41.07 N)
        // and Yukhari Askipara (45.21 E 40.99 N).
        let at = d["coordinates"].as_array().unwrap();
        let (lon, lat) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        let (x, y) = if polygon == 2 {
            (45.00, 41.07)
        } else {
            (45.21, 40.99)
        };
        assert!(
            (lon - x).abs() < 0.05 && (lat - y).abs() < 0.05,
            "{lon},{lat}"
        );
    }
}

#[test]
fn overlapping_parts_stop_area_and_repair_unites_them() {
    let r = raw_armenia_ref();
    let (code, _, err) = run(&["area", "tests/data/osm-armenia-raw.geojson"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("polygons 1 and 2 of this MultiPolygon overlap"),
        "{err}"
    );
    let union = r["union_m2"].as_f64().unwrap();
    let v = json(&[
        "area",
        "tests/data/osm-armenia-raw.geojson",
        "--repair",
        "-f",
        "json",
        "--unit",
        "m2",
    ]);
    let got = v["features"][0]["area_m2"].as_f64().unwrap();
    assert!(rel(got, union) < 1e-9, "{got} vs {union}");
}

#[test]
fn union_total_unites_the_parts_within_a_feature() {
    // With the checks skipped the feature is measured as given (the sum of its
    // parts), and the total, the area of the union, counts the overlap once.
    let r = raw_armenia_ref();
    let v = json(&[
        "area",
        "tests/data/osm-armenia-raw.geojson",
        "--no-check",
        "-f",
        "json",
        "--unit",
        "m2",
    ]);
    let (sum, union) = (
        r["sum_m2"].as_f64().unwrap(),
        r["union_m2"].as_f64().unwrap(),
    );
    assert!(rel(v["features"][0]["area_m2"].as_f64().unwrap(), sum) < 1e-9);
    assert!(rel(v["total"]["union"].as_f64().unwrap(), union) < 1e-9);
    assert!(rel(v["total"]["overlap"].as_f64().unwrap(), sum - union) < 1e-6);
    assert_eq!(v["total"]["overlapping_parts"][0]["id"], "ARM");
}
