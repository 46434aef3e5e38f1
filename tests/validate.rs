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
            "feature 2 (id \"bowtie\"): made valid (MakeValid)",
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
    assert!(rel(got, r["bowtie_repaired"].as_f64().unwrap()) < 1e-9);
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
