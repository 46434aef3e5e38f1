//! Issue #14, one report model: every `-f` value a command lists gives that
//! format (parsed here by the csv and serde_json crates), or clap refuses it
//! as a usage error (exit 2). Values against the references of
//! `scripts/reference-areas.py` (GeographicLib + shapely) and hand-checked
//! places.

mod common;
use common::{csv_rows, rel, run};

const SAMPLE: &str = "data/examples/occupied-illustrative.geojson";

fn reference_within(border: &str) -> f64 {
    let text = std::fs::read_to_string(common::data("reference-areas.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["sample_within"][border].as_f64().unwrap()
}

/// The formats `--help` lists for a command's `-f`.
fn listed_formats(command: &str) -> Vec<String> {
    let (code, help, _) = run(&[command, "--help"]);
    assert_eq!(code, Some(0));
    let start = help.find("-f, --format").expect("a -f flag");
    let block = &help[start..];
    let end = block.find("\n  -").unwrap_or(block.len());
    ["table", "csv", "json", "geojson"]
        .into_iter()
        .filter(|f| block[..end].contains(&format!("- {f}:")))
        .map(String::from)
        .collect()
}

/// Each command, a run of it, and how each format's output is read.
#[test]
fn every_listed_format_works_and_the_rest_are_refused() {
    let commands: &[(&str, &[&str])] = &[
        ("area", &[SAMPLE]),
        (
            "check",
            &[SAMPLE, "--claim", "191 km2", "--within", "builtin:armenia"],
        ),
        ("timeline", &[SAMPLE]),
        ("depth", &[SAMPLE, "--border", "builtin:armenia@ne10m"]),
        ("info", &[SAMPLE]),
        ("layers", &[]),
        ("locate", &["39.53,45.98"]),
        ("validate", &[SAMPLE]),
    ];
    for (command, args) in commands {
        let listed = listed_formats(command);
        assert!(
            listed.contains(&"table".to_string()),
            "{command}: {listed:?}"
        );
        for format in ["table", "csv", "json", "geojson"] {
            let mut full = vec![*command];
            full.extend_from_slice(args);
            full.extend(["-f", format]);
            let (code, out, err) = run(&full);
            if !listed.iter().any(|f| f == format) {
                assert_eq!(code, Some(2), "{full:?} is not listed: {err}");
                assert!(err.contains("invalid value"), "{full:?}: {err}");
                continue;
            }
            assert!(matches!(code, Some(0 | 3)), "{full:?}: {err}");
            match format {
                "csv" => {
                    let mut r = csv::Reader::from_reader(out.as_bytes());
                    let width = r.headers().unwrap().len();
                    assert!(width >= 2, "{full:?}: {out}");
                    for rec in r.records() {
                        assert_eq!(rec.unwrap().len(), width, "{full:?}");
                    }
                }
                "json" => {
                    serde_json::from_str::<serde_json::Value>(&out)
                        .unwrap_or_else(|e| panic!("{full:?}: {e}: {out}"));
                }
                "geojson" => {
                    let v: serde_json::Value = serde_json::from_str(&out)
                        .unwrap_or_else(|e| panic!("{full:?}: {e}: {out}"));
                    assert_eq!(v["type"], "FeatureCollection", "{full:?}");
                }
                _ => assert!(!out.is_empty(), "{full:?}"),
            }
        }
    }
}

#[test]
fn check_csv_rows_match_the_reference_areas() {
    let (code, out, err) = run(&[
        "check",
        SAMPLE,
        "--claim",
        "at least 180 km2",
        "--within",
        "builtin:armenia@ne10m",
        "--within",
        "builtin:armenia",
        "-f",
        "csv",
    ]);
    // 169.7 km² under Natural Earth fails, 191.1 under the 10 m line passes.
    assert_eq!(code, Some(4), "{err}");
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 2);
    for (rec, border, result) in [
        (&recs[0], "builtin:armenia@ne10m", "FAIL"),
        (&recs[1], "builtin:armenia", "PASS"),
    ] {
        assert_eq!(&rec[col("within")], border);
        let computed: f64 = rec[col("computed_km2")].parse().unwrap();
        assert!(
            rel(computed * 1e6, reference_within(border)) < 1e-8,
            "{computed}"
        );
        assert_eq!(&rec[col("low_km2")], "180");
        assert_eq!(&rec[col("high_km2")], "", "no upper bound");
        assert_eq!(&rec[col("result")], result);
        assert_eq!(&rec[col("outcome")], "INCONCLUSIVE");
    }
}

#[test]
fn one_point_csv_and_geojson_are_the_many_points_columns() {
    // Republic Square, Yerevan (hand-checked): in AM-ER.
    let rows = csv_rows(&["locate", "40.1776,44.5126", "--distance", "-f", "csv"]);
    assert_eq!(
        rows[0],
        [
            "lat",
            "lon",
            "caucasus_id",
            "caucasus_name",
            "caucasus_distance_km"
        ]
    );
    assert_eq!(rows[1][..4], ["40.1776", "44.5126", "AM-ER", "Yerevan"]);
    // The same columns as locating the point from a CSV file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.csv");
    std::fs::write(&file, "lat,lon\n40.1776,44.5126\n").unwrap();
    let many = csv_rows(&["locate", file.to_str().unwrap(), "--distance"]);
    assert_eq!(rows, many);

    let (code, out, err) = run(&["locate", "40.1776,44.5126", "-f", "geojson"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["features"][0];
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([44.5126, 40.1776])
    );
    assert_eq!(f["properties"]["caucasus_id"], "AM-ER");
}
