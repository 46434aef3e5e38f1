//! Each kind of bad input: one clear message naming the file and the feature,
//! exit code 1, no output file, no panic.

mod common;
use common::*;

/// Run `area FILE -o out.csv` in a temp dir; return stderr after checking the
/// exit code, that no output (or temp file) was left and that nothing panicked.
fn fails(fixture: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let o = territory()
        .args(["area", &format!("tests/data/{fixture}"), "-f", "csv", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(1), "{fixture}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "{fixture}: output left behind"
    );
    assert!(
        stderr.contains(&format!("tests/data/{fixture}")),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    stderr
}

/// Each bad fixture, and what its one message must say (beside the file
/// name, checked by [`fails`]).
const CASES: &[(&str, &[&str])] = &[
    ("no-such-file.geojson", &["cannot read"]),
    ("bad-not-json.geojson", &["invalid JSON at line 1"]),
    ("bad-truncated.geojson", &["EOF", "in feature 2"]),
    ("bad-root-array.geojson", &["root is an array"]),
    (
        "bad-null-geometry.geojson",
        &["feature 2 (id \"nothing\")", "null"],
    ),
    ("bad-nan.geojson", &["in feature 2", "NaN"]),
    (
        "bad-string-coordinate.geojson",
        &["feature 2 (id \"str\")", "position 3", "\"45.1\""],
    ),
    (
        "bad-short-ring.geojson",
        &["feature 2 (id \"short\")", "3 positions"],
    ),
    (
        "bad-swapped-axes.geojson",
        &["feature 2 (id \"swapped\")", "swapped"],
    ),
    (
        "bad-projected.geojson",
        &["feature 2 (id \"utm\")", "projected"],
    ),
    ("bad-sequence.geojsonl", &["line 4", "in feature 4"]),
    (
        "bad-duplicate-key.geojson",
        &["feature 2", "duplicate key \"geometry\""],
    ),
    (
        "bad-truncated.kml",
        &["not valid KML", "ends inside <Placemark>"],
    ),
    (
        "fuzz-kml-point-without-coordinates.kml",
        &["not valid KML", "no coordinates"],
    ),
    // The binary formats (issue #15; made by scripts/make-format-fixtures.sh).
    (
        "formats/bad-truncated.gpkg",
        &["not a readable GeoPackage", "malformed"],
    ),
    ("formats/bad-truncated.fgb", &["feature 2", "truncated"]),
    // Found by fuzzing: a size prefix of gigabytes the flatgeobuf crate
    // would allocate and zero before reading (a 10 s hang per file).
    (
        "formats/fuzz-fgb-feature-size.fgb",
        &["feature 3", "runs past the end of the file"],
    ),
    // Found by fuzzing: a feature count whose spatial index the crate's
    // bounding-box search sizes by overflowing (a panic); read whole, the
    // file's fourth feature has properties past its end.
    (
        "formats/fuzz-fgb-index.fgb",
        &["feature 4", "corrupt properties"],
    ),
    // Found by fuzzing: a column chunk at a negative offset, on which the
    // parquet crate asserts (a panic) when it reads the chunk.
    (
        "formats/fuzz-parquet-chunk.parquet",
        &["corrupt footer", "\"bbox.xmax\" lies outside the file"],
    ),
    // Found by fuzzing: a record declaring 2^31 parts, for which the
    // shapefile crate reserves gigabytes.
    (
        "formats/fuzz-shp-parts.shp",
        &["record 1", "part and point counts do not fit"],
    ),
    // Found by fuzzing: a ring start index out of its record; read in
    // sequence, the crate then took the next record's bytes for counts and
    // reserved 13 GB. Each record is now read on its own.
    (
        "formats/fuzz-shp-desync.shp",
        &["record 4", "run past the record's length"],
    ),
    // Found by fuzzing: a Polygon without coordinates, on which the crate's
    // geo-traits view unwraps a None (a panic); decoded here, it is a ring
    // of 0 positions.
    (
        "formats/fuzz-fgb-geometry.fgb",
        &["feature 3 (id \"sevlich-2022-09-13\")", "0 positions"],
    ),
    ("formats/bad-truncated.parquet", &["Parquet", "footer"]),
    ("formats/bad-truncated.shp", &["record 5", "truncated"]),
    ("formats/bad-no-dbf.shp", &[".dbf", "missing"]),
    (
        "formats/bad-no-shx.shp",
        &[".shx", "missing", "SHAPE_RESTORE_SHX"],
    ),
    ("formats/bad-prj.shp", &[".prj is not a WKT", "--src-crs"]),
    (
        "formats/bad-no-feature-table.gpkg",
        &["no feature table", "incidents_table (attributes)"],
    ),
    (
        "formats/bad-no-geo.parquet",
        &["without GeoParquet \"geo\" metadata"],
    ),
    (
        "formats/bad-not-a-geopackage.gpkg",
        &["no GeoPackage", "ogr2ogr -f GPKG"],
    ),
    (
        "formats/bad-null-geometry.gpkg",
        &["feature 2 (id \"nothing\")", "null"],
    ),
    ("formats/bad-unsupported.gml", &["GML", "ogr2ogr"]),
];

#[test]
fn every_bad_fixture_gives_one_clear_message_and_no_output() {
    for (fixture, says) in CASES {
        if fixture.ends_with(".parquet") && !cfg!(feature = "geoparquet") {
            continue; // not built in
        }
        let e = fails(fixture);
        for s in *says {
            assert!(e.contains(s), "{fixture}: {s:?} not in {e}");
        }
    }
}

#[test]
fn non_polygon_geometry() {
    // A Point beside the polygons is left out with a warning (issue #13
    // item 7, tests/papercuts.rs); a type GeoJSON does not have is an error.
    let text = std::fs::read_to_string(data("bad-point.geojson"))
        .unwrap()
        .replace("\"Point\"", "\"Circle\"");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("circle.geojson");
    std::fs::write(&path, text).unwrap();
    let (code, _, e) = run(&["area", path.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("feature 2 (id \"pt\")") && e.contains("Circle is not an area"),
        "{e}"
    );
}

#[test]
#[cfg(not(feature = "proj"))]
fn legacy_crs_other_than_wgs84_names_the_proj_feature() {
    let e = fails("bad-legacy-crs.geojson");
    assert!(
        e.contains("EPSG:32638") && e.contains("--features proj"),
        "{e}"
    );
}

#[test]
#[cfg(not(feature = "proj"))]
fn src_crs_without_proj_names_the_feature() {
    let (code, _, e) = run(&[
        "area",
        "tests/data/square-10m.geojson",
        "--src-crs",
        "EPSG:32638",
    ]);
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("EPSG:32638") && e.contains("cargo install --path . --features proj"),
        "{e}"
    );
}

#[test]
fn src_crs_conflicting_with_the_crs_member_is_an_error() {
    let (code, _, e) = run(&[
        "area",
        "tests/data/bad-legacy-crs.geojson",
        "--src-crs",
        "EPSG:32639",
    ]);
    assert_eq!(code, Some(1), "{e}");
    assert!(
        e.contains("declares CRS EPSG:32638") && e.contains("--src-crs says EPSG:32639"),
        "{e}"
    );
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("deep.geojson");
    let depth = 10_000;
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"x\":{}{}}},\"geometry\":null}}]}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(&p, text).unwrap();
    for cmd in ["area", "validate"] {
        let o = territory()
            .args([cmd, p.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {stderr}");
        assert!(stderr.contains("recursion limit"), "{cmd}: {stderr}");
    }
}

#[test]
fn a_layer_over_the_size_limit_is_refused_before_reading() {
    // A sparse 3 GiB file: refused from its size, without reading it.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.geojson");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(3 << 30).unwrap();
    let o = territory()
        .args(["area", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("more than this tool reads into memory"));
}

#[test]
fn duplicate_json_key_is_an_error_in_every_command() {
    // Feature 2 says "geometry" twice (a Point, then a Polygon): serde_json
    // kept the last silently, and validate said "no problems found".
    for cmd in ["validate", "info", "check"] {
        let mut args = vec![cmd, "tests/data/bad-duplicate-key.geojson"];
        if cmd == "check" {
            args.extend(["--claim", "1 km2"]);
        }
        let (code, _, e) = run(&args);
        assert_eq!(code, Some(1), "{cmd}");
        assert!(e.contains("duplicate key \"geometry\""), "{cmd}: {e}");
    }
}
