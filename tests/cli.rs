//! The real binary on the fixtures under tests/data.

mod common;
use common::*;
use predicates::prelude::*;

fn reference(key: &str) -> f64 {
    let text = std::fs::read_to_string(data("reference-areas.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["overlap"][key].as_f64().unwrap()
}

#[test]
fn area_csv_has_the_documented_header_and_one_row_per_feature() {
    let out = territory()
        .args(["area", "builtin:armenia-provinces@ne10m", "-f", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,name,area_km2,perimeter_km"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 11);
    // Syunik, hand-checked against GeographicLib: 4,404.06 km².
    let syunik = rows
        .iter()
        .find(|r| r.starts_with("AM-SU,Syunik,"))
        .unwrap();
    let area: f64 = syunik.split(',').nth(2).unwrap().parse().unwrap();
    assert!((area - 4404.06).abs() < 0.01, "{area}");
    // The total goes to stderr, not into the data.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("total (area of the union of 11 features)")
    );
}

#[test]
fn unit_changes_column_name_and_value() {
    let km2 = json(&["area", "tests/data/hole.geojson", "-f", "json"]);
    let mi2 = json(&[
        "area",
        "tests/data/hole.geojson",
        "-f",
        "json",
        "--unit",
        "mi2",
    ]);
    let a_km2 = km2["features"][0]["area_km2"].as_f64().unwrap();
    let a_mi2 = mi2["features"][0]["area_mi2"].as_f64().unwrap();
    assert_eq!(mi2["unit"], "mi2");
    assert!(rel(a_mi2 * 2.589_988_110_336, a_km2) < 1e-12);
    let ha = json(&[
        "area",
        "tests/data/hole.geojson",
        "-f",
        "json",
        "--unit",
        "ha",
    ]);
    assert!(
        rel(
            ha["features"][0]["area_ha"].as_f64().unwrap(),
            a_km2 * 100.0
        ) < 1e-12
    );
}

#[test]
fn overlapping_features_are_counted_once_in_the_total() {
    let v = json(&[
        "area",
        "tests/data/overlap.geojson",
        "-f",
        "json",
        "--unit",
        "m2",
    ]);
    let t = &v["total"];
    let (union, sum, overlap) = (
        t["union"].as_f64().unwrap(),
        t["sum"].as_f64().unwrap(),
        t["overlap"].as_f64().unwrap(),
    );
    assert!(rel(sum, reference("a") + reference("b")) < 1e-9);
    // References in the geodesic-edge model (boxes densified along their
    // geodesics, shapely, GeographicLib): 1e-4 apart from the chord model.
    assert!(rel(union, reference("union")) < 1e-9, "union {union}");
    // The overlap is sum - union: the union's 1e-9 is 3e-9 of the overlap.
    assert!(
        rel(overlap, reference("intersection")) < 1e-8,
        "overlap {overlap}"
    );
    let pairs = t["overlapping_pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1);
    // The overlay snaps to a grid fitted to the operands: about 2e-9 here.
    assert!(
        rel(
            pairs[0]["intersection"].as_f64().unwrap(),
            reference("intersection")
        ) < 1e-8
    );
    // The table says so too.
    territory()
        .args(["area", "tests/data/overlap.geojson"])
        .assert()
        .success()
        .stdout(predicate::str::contains("overlap").and(predicate::str::contains("counted once")));
}

#[test]
fn provinces_that_only_touch_have_union_equal_to_sum() {
    let v = json(&["area", "builtin:armenia-provinces", "-f", "json"]);
    assert_eq!(v["total"]["overlap"].as_f64(), Some(0.0));
    assert_eq!(v["total"]["union"], v["total"]["sum"]);
}

#[test]
fn geojson_output_adds_area_and_perimeter_to_the_input_properties() {
    let v = json(&[
        "area",
        "tests/data/fields.geojson",
        "-f",
        "geojson",
        "--unit",
        "ha",
    ]);
    let f = &v["features"][0];
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(f["properties"]["code"], "X1");
    assert!(f["properties"]["area_ha"].as_f64().unwrap() > 0.0);
    assert!(f["properties"]["perimeter_km"].as_f64().unwrap() > 0.0);
    assert_eq!(f["geometry"]["type"], "Polygon");
}

#[test]
fn ids_and_names_follow_the_documented_defaults_and_flags() {
    // No feature id: property "id" is used; name from "name" absent -> empty.
    let v = json(&["area", "tests/data/fields.geojson", "-f", "json"]);
    assert_eq!(v["features"][0]["id"], "10");
    assert_eq!(v["features"][0]["name"], "");
    let v = json(&[
        "area",
        "tests/data/fields.geojson",
        "-f",
        "json",
        "--id-field",
        "code",
        "--name-field",
        "label",
    ]);
    assert_eq!(v["features"][1]["id"], "X2");
    assert_eq!(v["features"][1]["name"], "second");
    // A bare geometry has neither: the 1-based index is the id.
    let v = json(&["area", "tests/data/geometry.geojson", "-f", "json"]);
    assert_eq!(v["features"][0]["id"], "1");
}

#[test]
fn missing_id_field_is_an_error_naming_the_feature() {
    territory()
        .args(["area", "tests/data/fields.geojson", "--id-field", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("feature 1").and(predicate::str::contains("\"nope\"")));
}

fn area_of(args: &[&str]) -> f64 {
    json(args)["features"][0]["area_km2"].as_f64().unwrap()
}

#[test]
fn feature_geometry_collection_and_bare_geometry_roots_are_read() {
    let one = area_of(&["area", "tests/data/feature.geojson", "-f", "json"]);
    let bare = area_of(&["area", "tests/data/geometry.geojson", "-f", "json"]);
    assert_eq!(one, bare);
    // The GeometryCollection holds two equal-size cells at the same latitude.
    let gc = area_of(&["area", "tests/data/collection.geojson", "-f", "json"]);
    assert!(rel(gc, 2.0 * one) < 1e-12);
}

#[test]
fn z_values_are_ignored_and_said_once() {
    let out = territory()
        .args(["area", "tests/data/with-z.geojson", "-f", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("Z values ignored").count(), 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let flat = area_of(&["area", "tests/data/feature.geojson", "-f", "json"]);
    assert_eq!(v["features"][0]["area_km2"].as_f64().unwrap(), flat);
}

#[test]
fn geojson_sequences_newline_and_rs_separated() {
    let v = json(&["area", "tests/data/sequence.geojsonl", "-f", "json"]);
    assert_eq!(v["features"].as_array().unwrap().len(), 3);
    assert_eq!(v["features"][2]["id"], "s2");
    let v = json(&["area", "tests/data/sequence-rs.geojsons", "-f", "json"]);
    assert_eq!(v["features"].as_array().unwrap().len(), 2);
}

#[test]
fn stdin_reads_documents_and_sequences() {
    let doc = std::fs::read(data("hole.geojson")).unwrap();
    let out = territory()
        .args(["area", "-", "-f", "csv"])
        .write_stdin(doc)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("hole,square with a hole,"));
    let seq = std::fs::read(data("sequence.geojsonl")).unwrap();
    let out = territory()
        .args(["area", "-", "-f", "csv"])
        .write_stdin(seq)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4);
}

#[test]
fn output_file_is_written_and_never_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("areas.csv");
    territory()
        .args(["area", "tests/data/hole.geojson", "-f", "csv", "-o"])
        .arg(&target)
        .assert()
        .success()
        .stdout("");
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("id,name,area_km2,perimeter_km\n")
    );
    // Refuse to overwrite the input.
    let input = dir.path().join("in.geojson");
    std::fs::copy(data("hole.geojson"), &input).unwrap();
    territory()
        .arg("area")
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refusing to overwrite an input"));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        std::fs::read(data("hole.geojson")).unwrap()
    );
}

#[test]
fn info_reports_counts_bbox_fields() {
    let v = json(&["info", "builtin:armenia-provinces@ne10m", "-f", "json"]);
    assert_eq!(v["features"], 11);
    assert_eq!(v["geometry_types"]["MultiPolygon"], 1); // Gegharkunik
    assert_eq!(v["geometry_types"]["Polygon"], 10);
    let b: Vec<f64> = v["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    // Armenia spans about 43.4-46.6 E, 38.8-41.3 N.
    assert!((43.3..43.5).contains(&b[0]) && (38.8..38.9).contains(&b[1]));
    assert!((46.5..46.7).contains(&b[2]) && (41.2..41.4).contains(&b[3]));
    assert_eq!(v["name_field"], "name");
    assert_eq!(v["id_field"], "the GeoJSON feature id");
    assert!(
        v["properties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "iso_3166_2")
    );
    territory()
        .args(["info", "tests/data/hole.geojson"])
        .assert()
        .success()
        .stdout(predicate::str::contains("vertices        10"));
}

#[test]
fn layers_lists_every_builtin_in_every_source_with_licence_vertices_and_area() {
    let v = json(&["layers", "-f", "json"]);
    let rows = v.as_array().unwrap();
    let find = |n: &str| rows.iter().find(|r| r["name"] == n).unwrap().clone();
    assert_eq!(find("builtin:armenia-provinces")["features"], 11);
    assert_eq!(find("builtin:armenia-provinces@ne10m")["features"], 11);
    assert_eq!(find("builtin:georgia-regions")["features"], 12);
    assert_eq!(find("builtin:caucasus")["features"], 101);
    // Each source's licence: OpenStreetMap-derived data under the ODbL with its
    // attribution, Natural Earth in the public domain.
    for r in rows {
        let name = r["name"].as_str().unwrap();
        if name.ends_with("@ne10m") {
            assert_eq!(r["licence"], "public domain", "{name}");
            assert!(r["source"].as_str().unwrap().contains("Natural Earth"));
        } else {
            assert_eq!(r["licence"], "ODbL 1.0", "{name}");
            assert_eq!(r["attribution"], "© OpenStreetMap contributors", "{name}");
        }
    }
    // Areas against GeographicLib (scripts/reference-areas.py).
    let refs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("reference-areas.json")).unwrap())
            .unwrap();
    for layer in [
        "builtin:armenia",
        "builtin:armenia@osm-land",
        "builtin:armenia@ne10m",
    ] {
        let want = refs["layers"][layer]["AM"]["area_m2"].as_f64().unwrap() / 1e6;
        let got = find(layer)["area_km2"].as_f64().unwrap();
        assert!(rel(got, want) < 1e-9, "{layer}: {got} vs {want}");
        assert_eq!(find(layer)["features"], 1);
    }
    // Vertices: the 10 m outline has about ten times Natural Earth's.
    let (osm, ne) = (
        find("builtin:armenia")["vertices"].as_u64().unwrap(),
        find("builtin:armenia@ne10m")["vertices"].as_u64().unwrap(),
    );
    assert!(osm > 5 * ne && ne > 100, "{osm} {ne}");
}

#[test]
fn unknown_builtin_and_bad_flags() {
    territory()
        .args(["area", "builtin:atlantis"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("territory layers"));
    territory()
        .args(["area", "builtin:armenia", "--unit", "furlong"])
        .assert()
        .code(2);
}

/// Regression: output files were created with the temporary file's 0600 mode.
#[cfg(unix)]
#[test]
fn output_file_is_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a.csv");
    territory()
        .args(["area", "builtin:armenia", "-f", "csv", "-o"])
        .arg(&target)
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o644
    );
}

#[test]
fn version_and_help_examples_for_every_subcommand() {
    let v = territory().arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8(v.stdout).unwrap().trim(),
        format!("territory {}", env!("CARGO_PKG_VERSION"))
    );
    for sub in [
        "area",
        "check",
        "info",
        "layers",
        "locate",
        "timeline",
        "validate",
        "completions",
        "man",
    ] {
        let o = territory().args([sub, "--help"]).output().unwrap();
        let help = String::from_utf8(o.stdout).unwrap();
        assert!(o.status.success(), "{sub}");
        assert!(help.contains("Example"), "{sub}: {help}");
        assert!(help.contains(&format!("territory {sub}")), "{sub}: {help}");
    }
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _territory"),
        ("zsh", "#compdef territory"),
        ("fish", "complete -c territory"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = territory().args(["completions", shell]).output().unwrap();
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(
            o.status.success() && text.contains(marker),
            "{shell}: {text:.200}"
        );
        assert!(
            text.contains("planar-crs"),
            "{shell}: flags of subcommands are completed"
        );
    }
}

#[test]
fn man_pages_are_written() {
    let o = territory().arg("man").output().unwrap();
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(
        page.starts_with(".ie") && page.contains(".TH territory 1"),
        "{page:.300}"
    );
    let dir = tempfile::tempdir().unwrap();
    territory()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let area = std::fs::read_to_string(dir.path().join("territory-area.1")).unwrap();
    assert!(area.contains("\\-\\-within"), "{area:.300}");
    let subs = [
        "area",
        "check",
        "completions",
        "depth",
        "info",
        "layers",
        "locate",
        "man",
        "render",
        "timeline",
        "validate",
    ];
    for sub in subs {
        assert!(
            dir.path().join(format!("territory-{sub}.1")).exists(),
            "{sub}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        subs.len() + 1
    );
}

#[test]
fn no_color_is_respected() {
    // CLICOLOR_FORCE makes clap colour a usage error even into a pipe...
    let forced = territory()
        .args(["area", "--no-such-flag"])
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stderr).contains('\x1b'));
    // ...and NO_COLOR wins over it.
    let plain = territory()
        .args(["area", "--no-such-flag"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&plain.stderr).contains('\x1b'));
}
