//! Issue #13, what a first-time analyst tripped over: one test per item done,
//! named for the item.

mod common;
use common::*;

const SAMPLE: &str = "data/examples/occupied-illustrative.geojson";

#[test]
fn item_01_decimal_commas_in_claims_are_read_or_refused_never_dropped() {
    // The sample is 304.048 km² in all: "304,05 km2" (decimal comma) passes
    // at 0 % tolerance to 0.01 km², "304.048 km2" too; the old reading of
    // "304,05" was 30,405 km².
    let v = json(&[
        "check",
        SAMPLE,
        "--claim",
        "304,05 km2",
        "--tolerance",
        "0.01 km2",
        "-f",
        "json",
    ]);
    assert_eq!(v["claimed"], 304.05);
    assert_eq!(v["result"], "PASS");
    for bad in ["2,1,5 km2", "215,000 km2"] {
        let (code, _, err) = run(&["check", SAMPLE, "--claim", bad]);
        assert_eq!(code, Some(2), "{bad}: {err}");
        assert!(
            err.contains("comma") || err.contains("ambiguous"),
            "{bad}: {err}"
        );
    }
    // Thousands separators that group by three stay thousands separators.
    let v = json(&["check", SAMPLE, "--claim", "30,404.8 ha", "-f", "json"]);
    assert_eq!(v["claimed"], 30_404.8);
    let (code, _, err) = run(&["check", SAMPLE, "--claim", "1,304,048 m2"]);
    assert_eq!(code, Some(3), "{err}");
}

#[test]
fn item_02_one_sided_claims_are_tested_as_written() {
    // 304.048 km²: "at least 310 km2" fails (the old 5 % default let it pass
    // from 294.5), and passes only with an explicit tolerance.
    let (code, out, _) = run(&["check", SAMPLE, "--claim", "at least 310 km2"]);
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("passes if:  at least 310.000 km2"), "{out}");
    assert!(
        out.contains("a one-sided claim is tested as written"),
        "{out}"
    );
    let (code, _, _) = run(&[
        "check",
        SAMPLE,
        "--claim",
        "at least 310 km2",
        "--tolerance",
        "5%",
    ]);
    assert_eq!(code, Some(0));
    let (code, _, _) = run(&["check", SAMPLE, "--claim", "at most 300 km2"]);
    assert_eq!(code, Some(3));
    // "About" keeps its 5 %: 304.048 is within 5 % of 300.
    let (code, out, _) = run(&["check", SAMPLE, "--claim", "300 km2"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("tolerance 5% (the default"), "{out}");
}

#[test]
fn item_04_timeline_by_has_an_outside_row() {
    let v = json(&[
        "timeline",
        SAMPLE,
        "--by",
        "builtin:armenia-provinces",
        "-f",
        "json",
        "--unit",
        "m2",
    ]);
    for s in v["snapshots"].as_array().unwrap() {
        let total = s["area_m2"].as_f64().unwrap();
        let regions: f64 = s["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["area_m2"].as_f64().unwrap())
            .sum();
        let outside = s["outside"]["area_m2"].as_f64().unwrap();
        assert!(outside > 1e7, "{}", s["date"]);
        // The rows now add up to the union (provinces tile Armenia).
        assert!(
            rel(regions + outside, total) < 1e-5,
            "{}: {regions} + {outside} vs {total}",
            s["date"]
        );
    }
    let rows = csv_rows(&[
        "timeline",
        SAMPLE,
        "--by",
        "builtin:armenia-provinces",
        "-f",
        "csv",
    ]);
    assert_eq!(rows.iter().filter(|r| r[6] == "outside").count(), 3);
}

#[test]
fn item_06_swapped_axes_warn_when_swapping_would_match_more() {
    // 2,000 points over the Caucasus box written lon,lat under lat,lon
    // headers: few match as given, many would swapped.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("swapped.csv");
    let mut text = String::from("lat,lon\n");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2000 {
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let (lat, lon) = (38.3 + next() * 5.4, 39.9 + next() * 10.8);
        text.push_str(&format!("{lon},{lat}\n"));
    }
    std::fs::write(&path, text).unwrap();
    let (code, _, err) = run(&["locate", path.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains("would be with latitude and longitude swapped"),
        "{err}"
    );
    // The same points the right way round: no warning.
    let (code, _, err) = run(&[
        "locate",
        path.to_str().unwrap(),
        "--lat-col",
        "lon",
        "--lon-col",
        "lat",
    ]);
    assert_eq!(code, Some(0));
    assert!(!err.contains("swapped"), "{err}");
}

#[test]
fn item_10_locate_picks_the_id_and_name_fields_of_region_layers() {
    let v = json(&[
        "locate",
        "39.5208,46.0322",
        "--regions",
        "builtin:armenia-provinces",
        "--id-field",
        "iso_3166_2",
        "--name-field",
        "name_local",
        "-f",
        "json",
    ]);
    assert_eq!(v["layers"][0]["id"], "AM-SU");
    assert_eq!(v["layers"][0]["name"], "Սյունիք");
}

#[test]
fn item_14_on_error_skip_with_every_row_skipped_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.csv");
    std::fs::write(&input, "lat,lon\nx,y\nforty,forty-five\n").unwrap();
    let out = dir.path().join("out.csv");
    let (code, _, err) = run(&[
        "locate",
        input.to_str().unwrap(),
        "--on-error",
        "skip",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("none of the 2 rows could be read"), "{err}");
    assert!(!out.exists());
}
