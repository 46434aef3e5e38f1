//! KML/KMZ input, on files laid out as Google Earth saves them
//! (`scripts/make-kml-fixtures.py`): the polygons are those of `hole.geojson`
//! and `multipolygon.geojson`, whose GeographicLib areas are in
//! `reference-areas.json`.

mod common;
use common::*;
use serde_json::Value;

fn reference(file: &str, id: &str) -> f64 {
    let r: Value =
        serde_json::from_str(&std::fs::read_to_string(data("reference-areas.json")).unwrap())
            .unwrap();
    r["layers"][format!("tests/data/{file}")][id]["area_m2"]
        .as_f64()
        .unwrap()
}

#[test]
fn kmz_polygon_and_multigeometry_areas_match_geographiclib() {
    let v = json(&["area", "tests/data/google-earth.kmz", "-f", "json"]);
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 2, "{v}");
    let hole = f[0]["area_km2"].as_f64().unwrap() * 1e6;
    let multi = f[1]["area_km2"].as_f64().unwrap() * 1e6;
    assert!(
        rel(hole, reference("hole.geojson", "hole")) < 1e-9,
        "{hole}"
    );
    assert!(
        rel(multi, reference("multipolygon.geojson", "multi")) < 1e-9,
        "{multi}"
    );
}

#[test]
fn names_extended_data_and_folders_become_properties() {
    let (_dir, out) = written(
        &["area", "tests/data/google-earth.kmz", "-f", "geojson"],
        "-o",
        "out.geojson",
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let p0 = &v["features"][0]["properties"];
    assert_eq!(p0["name"], "square with a hole");
    assert_eq!(p0["date"], "2021-05-12");
    assert_eq!(p0["source"], "hand-digitised");
    assert_eq!(p0["folder"], "Digitised 2021/May");
    assert_eq!(p0["description"], "Illustrative: not a real position.");
    let p1 = &v["features"][1]["properties"];
    assert_eq!(p1["folder"], "Digitised 2021");
    assert!(p1.get("date").is_none());
}

#[test]
fn locate_reads_google_earth_pushpins() {
    let out = territory()
        .args([
            "locate",
            "tests/data/google-earth-points.kml",
            "--regions",
            "p=builtin:armenia-provinces",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut rd = csv::Reader::from_reader(&out.stdout[..]);
    let h = rd.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let rows: Vec<_> = rd.records().map(Result::unwrap).collect();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (&r[col("name")], &r[col("folder")], &r[col("p_id")]))
        .collect();
    // Hand-checked: the three towns and the provinces they are in.
    assert_eq!(
        got,
        [
            ("Republic Square, Yerevan", "Incidents", "AM-ER"),
            ("Goris", "Incidents", "AM-SU"),
            ("Gyumri", "Incidents", "AM-SH"),
        ]
    );
}

#[test]
fn kmz_on_stdin_is_recognised() {
    let bytes = std::fs::read(data("google-earth.kmz")).unwrap();
    let out = territory()
        .args(["area", "-", "-f", "json"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), 2);
}

#[test]
fn validate_reads_kml() {
    territory()
        .args(["validate", "tests/data/google-earth.kmz"])
        .assert()
        .success();
}

#[test]
fn bad_kml_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.kml");
    std::fs::write(&bad, "<kml><Document><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>45,40,0 x,y</coordinates>").unwrap();
    let o = territory().args(["area"]).arg(&bad).output().unwrap();
    let e = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("bad.kml") && e.contains("not valid KML"), "{e}");
    let zip = dir.path().join("bad.kmz");
    std::fs::write(&zip, "not a zip").unwrap();
    let o = territory().args(["area"]).arg(&zip).output().unwrap();
    let e = String::from_utf8(o.stderr).unwrap();
    assert!(
        e.contains("bad.kmz") && e.contains("not a KMZ (zip) archive"),
        "{e}"
    );
    // KML is WGS84 by definition.
    let o = territory()
        .args([
            "area",
            "tests/data/google-earth.kmz",
            "--src-crs",
            "EPSG:32638",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("WGS84 longitude/latitude by definition"));
}

/// Regression (fuzzing, kml_layer): a KML cut off inside a Placemark made the
/// kml crate's reader loop for ever on the end of input. It must now be an
/// error, at once.
#[test]
fn truncated_kml_is_an_error_not_a_hang() {
    let o = territory()
        .args(["area", "tests/data/bad-truncated.kml"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let e = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("bad-truncated.kml") && e.contains("ends inside <Placemark>"),
        "{e}"
    );
}

/// Folders nested 10,000 deep are refused before the kml crate's recursive
/// reader could overflow the stack.
#[test]
fn deeply_nested_kml_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("deep.kml");
    let n = 10_000;
    let text = format!(
        "<kml><Document>{}{}</Document></kml>",
        "<Folder>".repeat(n),
        "</Folder>".repeat(n)
    );
    std::fs::write(&p, text).unwrap();
    let o = territory()
        .args(["area"])
        .arg(&p)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let e = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("nested more than"), "{e}");
}

/// Regression (fuzzing, kml_layer): a Point without coordinates made the kml
/// crate panic (`Vec::remove` on an empty list); the fuzzer's own input is
/// kept as a fixture beside two minimal ones.
#[test]
fn a_point_without_coordinates_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = vec![data("fuzz-kml-point-without-coordinates.kml")];
    for (name, text) in [
        (
            "empty.kml",
            "<kml><Placemark><Point></Point></Placemark></kml>",
        ),
        (
            "blank.kml",
            "<kml><Placemark><Point><coordinates> </coordinates></Point></Placemark></kml>",
        ),
        (
            "selfclosed.kml",
            "<kml><Placemark><Point/></Placemark></kml>",
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    for f in files {
        for cmd in ["area", "locate"] {
            let (code, _, e) = run(&[cmd, f.to_str().unwrap()]);
            assert_eq!(code, Some(1), "{cmd} {f:?}: {e}");
            assert!(e.contains("not valid KML") && e.contains("Point"), "{e}");
        }
    }
}
