//! `territory locate` on hand-checked points and fixtures with hard cases,
//! distances against GeographicLib, and 100,000 random points against a
//! brute-force containment test with geo's own `Contains`.

mod common;
use common::*;
use predicates::prelude::*;

#[test]
fn one_point_hand_checked() {
    // Sisian (39.52 N, 46.03 E) is in Syunik; Republic Square in Yerevan.
    territory()
        .args(["locate", "39.5208,46.0322"])
        .assert()
        .success()
        .stdout(predicate::str::contains("caucasus: AM-SU Syunik"));
    let v = json(&[
        "locate",
        "--lat",
        "40.1776",
        "--lon",
        "44.5126",
        "-f",
        "json",
        "--regions",
        "p=builtin:armenia-provinces",
    ]);
    assert_eq!(v["layers"][0]["label"], "p");
    assert_eq!(v["layers"][0]["id"], "AM-ER");
    // Tbilisi, Georgia: in no Armenian province.
    let v = json(&[
        "locate",
        "41.7151,44.8271",
        "-f",
        "json",
        "--regions",
        "builtin:armenia-provinces",
    ]);
    assert_eq!(v["layers"][0]["id"], serde_json::Value::Null);
}

#[test]
fn distances_agree_with_geographiclib_to_a_tenth_of_a_percent() {
    let text = std::fs::read_to_string(data("reference-areas.json")).unwrap();
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (name, p) in r["distance"].as_object().unwrap() {
        let point = format!("{},{}", p["lat"], p["lon"]);
        let v = json(&[
            "locate",
            &point,
            "--distance",
            "-f",
            "json",
            "--regions",
            "builtin:armenia-provinces",
        ]);
        assert_eq!(v["layers"][0]["id"], p["region"], "{name}");
        let got = v["layers"][0]["distance_km"].as_f64().unwrap() * 1000.0;
        let want = p["distance_m"].as_f64().unwrap();
        assert!(rel(got, want) < 1e-3, "{name}: {got} vs {want}");
    }
}

#[test]
fn hard_cases_shared_edges_vertices_holes_and_sea() {
    let rows = csv_rows(&[
        "locate",
        "tests/data/points-hard.csv",
        "--regions",
        "tests/data/cells.geojson",
    ]);
    assert_eq!(rows[0], ["name", "lat", "lon", "cells_id", "cells_name"]);
    let answer = |name: &str| rows.iter().find(|r| r[0] == name).unwrap()[3].clone();
    // On a shared edge or vertex: the first region in layer order (A).
    assert_eq!(answer("shared edge"), "A");
    assert_eq!(answer("shared vertex"), "A");
    assert_eq!(answer("inside B"), "B");
    assert_eq!(answer("inside the hole"), "");
    assert_eq!(answer("on the hole's edge"), "C");
    assert_eq!(answer("inside C"), "C");
    assert_eq!(answer("at sea"), "");
    // --all lists both regions of a shared edge.
    let rows = csv_rows(&[
        "locate",
        "tests/data/points-hard.csv",
        "--regions",
        "tests/data/cells.geojson",
        "--all",
    ]);
    assert_eq!(rows[1][3], "A;B");
    assert_eq!(rows[1][4], "west cell;east cell");
    assert_eq!(rows[2][3], "A;B");
}

#[test]
fn csv_dialects_delimiters_bom_crlf_quotes_and_named_columns() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("in.csv");
    std::fs::write(
        &p,
        "\u{feff}ID;Latitude;LNG;Note\r\n7;40.1776;44.5126;\"a; b\"\r\n",
    )
    .unwrap();
    let rows = csv_rows(&[
        "locate",
        p.to_str().unwrap(),
        "--regions",
        "builtin:armenia-provinces",
    ]);
    assert_eq!(
        rows[0],
        [
            "ID",
            "Latitude",
            "LNG",
            "Note",
            "armenia-provinces_id",
            "armenia-provinces_name"
        ]
    );
    assert_eq!(
        rows[1],
        ["7", "40.1776", "44.5126", "a; b", "AM-ER", "Yerevan"]
    );
    let p2 = dir.path().join("tab.tsv");
    std::fs::write(&p2, "where\tnorth\teast\nsisian\t39.5208\t46.0322\n").unwrap();
    let rows = csv_rows(&[
        "locate",
        p2.to_str().unwrap(),
        "--lat-col",
        "north",
        "--lon-col",
        "3",
    ]);
    assert_eq!(rows[1][3], "AM-SU");
}

#[test]
fn geojson_points_in_and_out() {
    let rows = csv_rows(&[
        "locate",
        "tests/data/points.geojson",
        "--regions",
        "tests/data/cells.geojson",
    ]);
    assert_eq!(
        rows[0],
        ["id", "what", "lon", "lat", "cells_id", "cells_name"]
    );
    assert_eq!(rows[1][4], "B");
    assert_eq!(rows[2][4], "");
    let v = json(&[
        "locate",
        "tests/data/points-hard.csv",
        "--regions",
        "tests/data/cells.geojson",
        "-f",
        "geojson",
    ]);
    let f = &v["features"].as_array().unwrap()[2];
    assert_eq!(f["geometry"]["coordinates"][0].as_f64(), Some(45.15));
    assert_eq!(f["properties"]["name"], "inside B");
    assert_eq!(f["properties"]["cells_id"], "B");
    assert_eq!(v["features"].as_array().unwrap().len(), 7);
}

#[test]
fn bad_rows_stop_with_the_line_or_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.csv");
    std::fs::write(
        &p,
        "id,lat,lon\n1,40.1776,44.5126\n2,north,44\n3,40,44,extra\n4,95,44\n5,,44\n",
    )
    .unwrap();
    let out_file = dir.path().join("out.csv");
    territory()
        .args([
            "locate",
            p.to_str().unwrap(),
            "-o",
            out_file.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 3").and(predicate::str::contains("\"north\"")));
    assert!(!out_file.exists(), "no partial output");
    territory()
        .args([
            "locate",
            p.to_str().unwrap(),
            "--on-error",
            "skip",
            "-o",
            out_file.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("5 rows read, 4 skipped"));
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap().lines().count(),
        2
    );
}

#[test]
fn swapped_columns_are_pointed_out() {
    territory()
        .args(["locate", "tests/data/points-swapped.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("swapped"));
}

#[test]
fn stdin_csv_and_order_of_many_rows() {
    // 150,000 rows (more than two chunks): output order equals input order.
    let mut input = String::from("i,lat,lon\n");
    for i in 0..150_000u32 {
        let lat = 38.0 + (i % 500) as f64 * 0.01;
        let lon = 43.0 + (i % 397) as f64 * 0.01;
        input.push_str(&format!("{i},{lat},{lon}\n"));
    }
    let out = territory()
        .args(["locate", "-", "--regions", "builtin:armenia"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<u32> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 150_000);
    assert!(ids.iter().enumerate().all(|(k, &i)| k as u32 == i));
}

#[test]
fn quoted_input_fields_are_kept_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("q.csv");
    std::fs::write(&p, "id,lat,lon,note\r\n1,40.1776,44.5126,\"Republic Square, \"\"centre\"\"\"\r\n2,39.5208,46.0322,\"two\nlines\"\n").unwrap();
    let out = territory()
        .args([
            "locate",
            p.to_str().unwrap(),
            "--regions",
            "builtin:armenia-provinces",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("1,40.1776,44.5126,\"Republic Square, \"\"centre\"\"\",AM-ER,Yerevan\n"),
        "{text}"
    );
    let rows = csv_rows(&[
        "locate",
        p.to_str().unwrap(),
        "--regions",
        "builtin:armenia-provinces",
    ]);
    assert_eq!(
        rows[2],
        ["2", "39.5208", "46.0322", "two\nlines", "AM-SU", "Syunik"]
    );
}
