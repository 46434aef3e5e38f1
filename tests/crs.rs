//! CRS transformations (feature `proj`) against PROJ's own Python binding
//! (pyproj) and GeographicLib: `scripts/reference-crs.py` wrote
//! `tests/data/reference-crs.json`.
#![cfg(feature = "proj")]

mod common;
use common::*;
use serde_json::Value;

fn reference() -> Value {
    let text = std::fs::read_to_string(data("reference-crs.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"))
}

#[test]
fn utm_38n_forward_matches_pyproj() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("places.csv");
    let mut text = String::from("name,lat,lon\n");
    let r = reference();
    let places = r["forward"].as_array().unwrap();
    for p in places {
        text += &format!(
            "\"{}\",{},{}\n",
            p["name"].as_str().unwrap(),
            f(p, "lat"),
            f(p, "lon")
        );
    }
    std::fs::write(&csv, text).unwrap();
    let out = territory()
        .args(["locate", csv.to_str().unwrap(), "--out-crs", "EPSG:32638"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rd = csv::Reader::from_reader(&out.stdout[..]);
    let h = rd.headers().unwrap().clone();
    let (xi, yi) = (
        h.iter().position(|c| c == "out_x").unwrap(),
        h.iter().position(|c| c == "out_y").unwrap(),
    );
    let rows: Vec<_> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), places.len());
    for (row, p) in rows.iter().zip(places) {
        let (x, y): (f64, f64) = (row[xi].parse().unwrap(), row[yi].parse().unwrap());
        assert!((x - f(p, "easting")).abs() < 1e-6, "{row:?} vs {p}");
        assert!((y - f(p, "northing")).abs() < 1e-6, "{row:?} vs {p}");
    }
}

#[test]
fn utm_38n_inverse_matches_pyproj() {
    for p in reference()["inverse"].as_array().unwrap() {
        let (e, n) = (f(p, "easting").to_string(), f(p, "northing").to_string());
        let v = json(&[
            "locate",
            "--src-crs",
            "EPSG:32638",
            "--lat",
            &n,
            "--lon",
            &e,
            "-f",
            "json",
        ]);
        assert!((f(&v, "lat") - f(p, "lat")).abs() < 1e-10, "{v} vs {p}");
        assert!((f(&v, "lon") - f(p, "lon")).abs() < 1e-10, "{v} vs {p}");
    }
}

#[test]
fn central_yerevan_in_utm_is_in_yerevan() {
    // Republic Square, 40.1776 N 44.5126 E, as UTM 38N easting/northing.
    let v = json(&[
        "locate",
        "--src-crs",
        "EPSG:32638",
        "--lat",
        "4447583.256",
        "--lon",
        "458503.583",
        "--regions",
        "builtin:armenia-provinces",
        "-f",
        "json",
    ]);
    let layers = v["layers"].to_string();
    assert!(layers.contains("AM-ER"), "{v}");
}

#[test]
fn legacy_crs_member_is_honoured_and_area_matches_geographiclib() {
    let r = &reference()["utm_square"];
    let v = json(&[
        "area",
        "tests/data/utm-square-legacy-crs.geojson",
        "--planar-crs",
        "EPSG:32638",
        "-f",
        "json",
    ]);
    let feat = &v["features"][0];
    let geodesic = f(feat, "area_km2") * 1e6;
    assert!(
        rel(geodesic, f(r, "geodesic_area_m2")) < 1e-9,
        "{feat} vs {r}"
    );
    let planar = f(feat, "planar_area_km2") * 1e6;
    assert!(rel(planar, f(r, "planar_area_m2")) < 1e-9, "{feat} vs {r}");
    // The same file without its crs member, with --src-crs, gives the same.
    let w = json(&[
        "area",
        "tests/data/utm-square.geojson",
        "--src-crs",
        "urn:ogc:def:crs:EPSG::32638",
        "-f",
        "json",
    ]);
    assert!(rel(f(&w["features"][0], "area_km2"), f(feat, "area_km2")) < 1e-12);
}

#[test]
fn planar_areas_of_armenian_provinces_match_pyproj() {
    let v = json(&[
        "area",
        "builtin:armenia-provinces",
        "--planar-crs",
        "EPSG:32638",
        "-f",
        "json",
    ]);
    let ours = v["features"].as_array().unwrap();
    let refs = reference()["armenia_provinces_utm38"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(ours.len(), refs.len());
    for r in &refs {
        let id = r["id"].as_str().unwrap();
        let o = ours.iter().find(|o| o["id"] == id).unwrap();
        let planar = f(o, "planar_area_km2") * 1e6;
        assert!(
            rel(planar, f(r, "planar_area_m2")) < 1e-9,
            "{id}: {planar} vs {r}"
        );
        let pct =
            100.0 * (f(r, "planar_area_m2") - f(r, "geodesic_area_m2")) / f(r, "geodesic_area_m2");
        assert!(
            (f(o, "planar_diff_pct") - pct).abs() < 1e-6,
            "{id}: {o} vs {pct}"
        );
    }
}

#[test]
fn out_crs_geojson_round_trips() {
    let args = [
        "area",
        "tests/data/utm-square-legacy-crs.geojson",
        "-f",
        "geojson",
        "--out-crs",
        "EPSG:32638",
    ];
    let (_dir, out) = written(&args, "-o", "utm.geojson");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        doc["crs"]["properties"]["name"],
        "urn:ogc:def:crs:EPSG::32638"
    );
    let first = &doc["features"][0]["geometry"]["coordinates"][0][0];
    assert!(
        (first[0].as_f64().unwrap() - 450000.0).abs() < 1e-6,
        "{first}"
    );
    assert!(
        (first[1].as_f64().unwrap() - 4440000.0).abs() < 1e-6,
        "{first}"
    );
    // Read back (its crs member is honoured): the same geodesic area.
    let a = json(&["area", out.to_str().unwrap(), "-f", "json"]);
    let b = json(&[
        "area",
        "tests/data/utm-square-legacy-crs.geojson",
        "-f",
        "json",
    ]);
    assert!(
        rel(
            f(&a["features"][0], "area_km2"),
            f(&b["features"][0], "area_km2")
        ) < 1e-12
    );
}

#[test]
fn binary_moved_elsewhere_finds_its_proj_database() {
    // Copy the binary to another directory and run it there with no PROJ
    // variables; PROJ_DATA points at an empty directory, which also hides the
    // build directory's proj.db, so only the embedded copy can serve.
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let (tmp, empty) = (dir.path().join("tmp"), dir.path().join("empty"));
    for d in [&bin, &tmp, &empty] {
        std::fs::create_dir(d).unwrap();
    }
    let exe = bin.join("territory");
    std::fs::copy(assert_cmd::cargo::cargo_bin("territory"), &exe).unwrap();
    for proj_data in [None, Some(&empty)] {
        let mut cmd = std::process::Command::new(&exe);
        cmd.env_clear()
            .env("HOME", dir.path())
            .env("TMPDIR", &tmp)
            .current_dir(dir.path())
            .args(["area", "-f", "json"])
            .arg(data("utm-square-legacy-crs.geojson"));
        if let Some(p) = proj_data {
            cmd.env("PROJ_DATA", p);
        }
        // The copy was just written: another test thread forking at that
        // moment can hold its write descriptor until the child execs, and
        // Linux then refuses to run the file ("Text file busy", ETXTBSY).
        // That is the test harness racing itself, not the binary; retry.
        let mut tries = 0;
        let out = loop {
            match cmd.output() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => break other.unwrap(),
            }
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let written: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].join("proj.db").metadata().unwrap().len() > 1_000_000);
}

#[test]
fn an_unknown_crs_is_a_clear_error() {
    let (code, _, e) = run(&[
        "area",
        "tests/data/utm-square.geojson",
        "--src-crs",
        "EPSG:999999",
    ]);
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("EPSG:999999") && e.contains("utm-square.geojson"),
        "{e}"
    );
}

#[test]
fn a_coordinate_outside_the_projection_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("far.geojson");
    std::fs::write(
        &p,
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","id":"ok","properties":{},"geometry":{"type":"Polygon","coordinates":[[[450000,4440000],[460000,4440000],[460000,4450000],[450000,4440000]]]}},
{"type":"Feature","id":"far","properties":{},"geometry":{"type":"Polygon","coordinates":[[[450000,4440000],[4.6e12,4440000],[460000,4.45e12],[450000,4440000]]]}}]}"#,
    )
    .unwrap();
    let (code, _, e) = run(&["area", p.to_str().unwrap(), "--src-crs", "EPSG:32638"]);
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("feature 2 (id \"far\")") && e.contains("position 2"),
        "{e}"
    );
}

#[test]
fn validate_reads_projected_data_with_src_crs() {
    territory()
        .args([
            "validate",
            "tests/data/utm-square.geojson",
            "--src-crs",
            "EPSG:32638",
        ])
        .assert()
        .success();
    // Without it, the coordinates are recognised as projected.
    let o = territory()
        .args(["validate", "tests/data/utm-square.geojson"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("--src-crs"));
}

#[test]
fn render_points_in_utm_land_where_their_wgs84_twins_do() {
    let dir = tempfile::tempdir().unwrap();
    let r = reference();
    let places = r["forward"].as_array().unwrap();
    let (mut wgs, mut utm) = (String::from("lat,lon\n"), String::from("y,x\n"));
    for p in places {
        wgs += &format!("{},{}\n", f(p, "lat"), f(p, "lon"));
        utm += &format!("{},{}\n", f(p, "northing"), f(p, "easting"));
    }
    let mut svgs = Vec::new();
    for (name, text, crs) in [
        ("wgs.csv", &wgs, None),
        ("utm.csv", &utm, Some("EPSG:32638")),
    ] {
        let pts = dir.path().join(name);
        std::fs::write(&pts, text).unwrap();
        let out = dir.path().join(format!("{name}.svg"));
        let mut cmd = territory();
        cmd.args(["render", "builtin:armenia-provinces", "--points"])
            .arg(&pts)
            .arg("-o")
            .arg(&out);
        if let Some(c) = crs {
            cmd.args(["--src-crs", c]);
        }
        cmd.assert().success();
        let svg = std::fs::read_to_string(&out).unwrap();
        let circles: Vec<String> = svg
            .lines()
            .filter(|l| l.starts_with("<circle") && l.ends_with("r=\"3.5\"/>"))
            .map(str::to_string)
            .collect();
        svgs.push(circles);
    }
    assert_eq!(svgs[0].len(), places.len());
    assert_eq!(svgs[0], svgs[1], "same pixels to 0.01 px");
}
