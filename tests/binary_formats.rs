//! Issue #15: GeoPackage, Shapefile, FlatGeobuf, GeoParquet and CSV with
//! WKT, read and written. The fixtures of `tests/data/formats/` were made
//! from the GeoJSON fixtures by GDAL's ogr2ogr and by geopandas
//! (`scripts/make-format-fixtures.sh`); areas are checked against the
//! GeographicLib + shapely references of `tests/data/reference-areas.json`,
//! points against hand-checked provinces.

mod common;
use common::*;
use std::collections::BTreeMap;

const SAMPLE: &str = "data/examples/occupied-illustrative.geojson";
const D: &str = "tests/data/formats";

/// GeoParquet is read and written unless the default `geoparquet` feature
/// is switched off.
fn built(name: &str) -> bool {
    cfg!(feature = "geoparquet") || !name.contains("parquet")
}

fn reference() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(data("reference-areas.json")).unwrap()).unwrap()
}

/// The union area (m²) of LAYER within builtin:armenia, and each feature's
/// area by id (km²).
fn within_armenia(layer: &str) -> (f64, BTreeMap<String, f64>) {
    let v = json(&["area", layer, "--within", "builtin:armenia", "-f", "json"]);
    let by_id = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["area_km2"].as_f64().unwrap(),
            )
        })
        .collect();
    (v["total"]["union"].as_f64().unwrap() * 1e6, by_id)
}

fn hole_reference() -> f64 {
    reference()["layers"]["tests/data/hole.geojson"]["hole"]["area_m2"]
        .as_f64()
        .unwrap()
}

fn sample_reference() -> f64 {
    reference()["sample_within"]["builtin:armenia"]
        .as_f64()
        .unwrap()
}

/// The area column of the first row of `area ... -f csv`.
fn first_area(args: &[&str]) -> f64 {
    let rows = csv_rows(args);
    let col = rows[0].iter().position(|c| c == "area_km2").unwrap();
    rows[1][col].parse().unwrap()
}

#[test]
fn every_format_gives_the_reference_area_within_armenia() {
    let want = sample_reference();
    let (from_geojson, ids) = within_armenia(SAMPLE);
    assert!(rel(from_geojson, want) < 1e-9, "{from_geojson} vs {want}");
    for file in [
        "occupied.gpkg",
        "occupied.shp",
        "occupied.shp.zip",
        "occupied.fgb",
        "occupied.parquet",
        "occupied-native.parquet",
        "occupied-wkt.csv",
    ]
    .into_iter()
    .filter(|f| built(f))
    {
        let path = format!("{D}/{file}");
        let (total, by_id) = within_armenia(&path);
        assert!(rel(total, want) < 1e-9, "{file}: {total} vs {want}");
        assert_eq!(by_id.len(), ids.len(), "{file}");
        for (id, a) in &ids {
            let b = by_id
                .get(id)
                .unwrap_or_else(|| panic!("{file}: no id {id}"));
            assert!(rel(*b, *a) < 1e-12, "{file}: {id} {b} vs {a}");
        }
    }
}

#[test]
fn shapefile_and_geopackage_holes_are_holes() {
    for file in ["hole.shp", "hole.gpkg"] {
        let got = first_area(&["area", &format!("{D}/{file}"), "-f", "csv"]);
        assert!(rel(got * 1e6, hole_reference()) < 1e-9, "{file}: {got}");
    }
}

#[test]
fn dbf_text_is_read_in_the_code_page_of_the_cpg() {
    // ogr2ogr wrote "Сюник" in CP1251 (cp1251.cpg says 1251); an integer
    // field (N, no decimals) stays an integer.
    let rows = csv_rows(&["area", &format!("{D}/cp1251.shp"), "-f", "csv"]);
    assert_eq!(rows[1][1], "Сюник");
    let (dir, out) = written(
        &["area", &format!("{D}/cp1251.shp"), "-f", "geojson"],
        "-o",
        "x.geojson",
    );
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(g["features"][0]["properties"]["n"], serde_json::json!(7));
    drop(dir);
}

#[test]
fn a_geopackage_with_several_tables_names_them_and_layer_chooses() {
    let path = format!("{D}/two-tables.gpkg");
    let (code, _, err) = run(&["area", &path]);
    assert_eq!(code, Some(1));
    for want in [
        "2 feature tables",
        "hole (POLYGON)",
        "occupied (POLYGON)",
        "--layer",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    let by_flag = first_area(&["area", &path, "--layer", "hole", "-f", "csv"]);
    let by_name = first_area(&["area", &format!("{path}:hole"), "-f", "csv"]);
    for got in [by_flag, by_name] {
        assert!(rel(got * 1e6, hole_reference()) < 1e-9, "{got}");
    }
    // Any layer argument takes FILE.gpkg:TABLE.
    let (total, _) = within_armenia(&format!("{path}:occupied"));
    assert!(rel(total, sample_reference()) < 1e-9);
}

/// The provinces of the five incidents of data/examples/incidents.csv
/// (hand-checked on a map): Sisian, Jermuk, Goris, Vardenis, Yerevan.
const PROVINCES: [(&str, &str); 5] = [
    ("Sisian", "AM-SU"),
    ("Jermuk", "AM-VD"),
    ("Goris", "AM-SU"),
    ("Vardenis", "AM-GR"),
    ("Republic Square, Yerevan", "AM-ER"),
];

fn provinces_of(rows: &[Vec<String>]) -> Vec<(String, String)> {
    let h = &rows[0];
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let mut found: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[col("place")].clone(), r[col("caucasus_id")].clone()))
        .collect();
    found.sort();
    found
}

fn want_provinces() -> Vec<(String, String)> {
    let mut want: Vec<(String, String)> = PROVINCES
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    want.sort();
    want
}

#[test]
fn points_from_every_format_find_their_provinces() {
    for (file, extra) in [
        ("incidents.gpkg", vec![]),
        ("incidents.fgb", vec![]),
        ("incidents.shp", vec![]),
        ("incidents.parquet", vec![]),
        ("incidents-native.parquet", vec![]),
        ("incidents-plain.parquet", vec![]),
        ("incidents-wkt.csv", vec![]),
        ("two-tables.gpkg", vec!["--points-layer", "incidents_table"]),
    ]
    .into_iter()
    .filter(|(f, _)| built(f))
    {
        let path = format!("{D}/{file}");
        let mut args = vec!["locate", path.as_str(), "-f", "csv"];
        args.extend(extra);
        assert_eq!(provinces_of(&csv_rows(&args)), want_provinces(), "{file}");
    }
}

#[test]
fn a_projected_shapefile_needs_proj_or_is_transformed() {
    let (code, out, err) = run(&["area", &format!("{D}/utm-square.shp"), "-f", "csv"]);
    let (code2, _, err2) = run(&["area", &format!("{D}/utm-square.gpkg")]);
    if cfg!(feature = "proj") {
        // The 10 km UTM square of tests/crs.rs: about 100 km² (the geodesic
        // area of a projected square differs by the scale factor).
        assert_eq!(code, Some(0), "{err}");
        let area: f64 = out
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        assert!((area - 100.0).abs() < 0.2, "{area}");
        assert_eq!(code2, Some(0), "{err2}");
    } else {
        assert_eq!(code, Some(1));
        assert!(
            err.contains("UTM_Zone_38N") && err.contains("proj"),
            "{err}"
        );
        assert_eq!(code2, Some(1));
        assert!(err2.contains("EPSG:32638"), "{err2}");
    }
}

#[test]
fn written_files_read_back_identically() {
    let want = within_armenia(SAMPLE);
    for format in ["gpkg", "fgb", "parquet"].into_iter().filter(|f| built(f)) {
        let (dir, out) = written(
            &["area", SAMPLE, "-f", format],
            "-o",
            &format!("out.{format}"),
        );
        let got = within_armenia(out.to_str().unwrap());
        assert!(rel(got.0, want.0) < 1e-12, "{format}");
        assert_eq!(got.1.len(), want.1.len(), "{format}");
        for (id, a) in &want.1 {
            assert!(rel(got.1[id], *a) < 1e-12, "{format}: {id}");
        }
        drop(dir);
    }
}

#[test]
fn a_geopackage_written_has_the_required_tables_and_index() {
    let (dir, out) = written(&["area", SAMPLE, "-f", "gpkg"], "-o", "sample.gpkg");
    let bytes = std::fs::read(&out).unwrap();
    // "SQLite format 3", application_id 'GPKG' at offset 68, user_version
    // 10300 at offset 60 (big-endian), as GeoPackage 1.3 §1.1.1 says.
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    assert_eq!(&bytes[68..72], b"GPKG");
    assert_eq!(u32::from_be_bytes(bytes[60..64].try_into().unwrap()), 10300);
    let text = String::from_utf8_lossy(&bytes);
    for table in [
        "gpkg_spatial_ref_sys",
        "gpkg_contents",
        "gpkg_geometry_columns",
        "gpkg_extensions",
        "rtree_sample_geom",
        "rtree_sample_geom_insert",
    ] {
        assert!(text.contains(table), "{table}");
    }
    drop(dir);
}

/// The GeoPackage's R-tree is bulk-loaded into SQLite's own node tables:
/// SQLite's `rtreecheck` finds it sound (cells inside their parents,
/// `_rowid` and `_parent` right, the depth right), and window queries on it
/// count what a scan of the points counts, for trees of one node, of two
/// levels and of three (51 cells a node).
#[test]
fn a_geopackage_r_tree_is_sound_and_finds_what_a_scan_finds() {
    let dir = tempfile::tempdir().unwrap();
    for n in [0usize, 1, 51, 52, 2602, 3000] {
        let src = dir.path().join(format!("p{n}.csv"));
        let mut text = String::from("id,lat,lon\n");
        for k in 0..n {
            // Spread over the South Caucasus, deterministic.
            let (a, b) = ((k * 7919) % 1000, (k * 104_729) % 997);
            text += &format!(
                "{k},{:.6},{:.6}\n",
                38.8 + a as f64 * 0.0035,
                43.4 + b as f64 * 0.0040
            );
        }
        std::fs::write(&src, text).unwrap();
        let out = dir.path().join(format!("p{n}.gpkg"));
        let (code, _, err) = run(&[
            "locate",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(code, Some(0), "{err}");
        let db = rusqlite::Connection::open(&out).unwrap();
        let rtree = format!("rtree_p{n}_geom");
        let check: String = db
            .query_row(&format!("SELECT rtreecheck('{rtree}')"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "n = {n}");
        let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            count(&format!("SELECT count(*) FROM \"{rtree}\"")),
            n as i64
        );
        for (x0, x1, y0, y1) in [
            (44.0, 45.0, 40.0, 41.0),
            (43.0, 47.0, 38.0, 42.5),
            (45.5, 45.6, 39.5, 39.6),
        ] {
            let by_index = count(&format!(
                "SELECT count(*) FROM \"{rtree}\" WHERE minx >= {x0} AND maxx <= {x1} AND miny >= {y0} AND maxy <= {y1}"
            ));
            let by_scan = count(&format!(
                "SELECT count(*) FROM \"p{n}\" WHERE CAST(lon AS REAL) BETWEEN {x0} AND {x1} AND CAST(lat AS REAL) BETWEEN {y0} AND {y1}"
            ));
            assert_eq!(by_index, by_scan, "n = {n}, window {x0} {x1} {y0} {y1}");
        }
        // Each row's entry is its own point's box.
        if n > 0 {
            let (lon, minx, maxx): (String, f64, f64) = db
                .query_row(
                    &format!("SELECT p.lon, r.minx, r.maxx FROM \"p{n}\" p JOIN \"{rtree}\" r ON r.id = p.fid WHERE p.fid = {}", n.div_ceil(2)),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap();
            let lon: f64 = lon.parse().unwrap();
            assert!(
                minx <= lon && lon <= maxx && maxx - minx < 1e-5,
                "{minx} {lon} {maxx}"
            );
        }
    }
}

#[test]
fn located_points_round_trip_through_every_binary_format() {
    for format in ["gpkg", "fgb", "parquet"].into_iter().filter(|f| built(f)) {
        let (dir, out) = written(
            &["locate", "data/examples/incidents.csv", "-f", format],
            "-o",
            &format!("located.{format}"),
        );
        // Read back: the written columns keep the provinces, and a new
        // lookup of the written points finds them again (as `new_*`).
        let rows = csv_rows(&[
            "locate",
            out.to_str().unwrap(),
            "--regions",
            "new=builtin:caucasus",
            "-f",
            "csv",
        ]);
        assert_eq!(provinces_of(&rows), want_provinces(), "{format}");
        let h = &rows[0];
        let (a, b) = (
            h.iter().position(|c| c == "caucasus_id").unwrap(),
            h.iter().position(|c| c == "new_id").unwrap(),
        );
        assert!(rows[1..].iter().all(|r| r[a] == r[b]), "{format}");
        drop(dir);
    }
}

#[test]
fn validate_repair_writes_the_format_of_the_output_name() {
    let want = reference()["bowtie_repaired"].as_f64().unwrap();
    for ext in ["gpkg", "fgb", "parquet"].into_iter().filter(|f| built(f)) {
        let (dir, out) = written(
            &[
                "validate",
                "data/examples/invalid-bowtie.geojson",
                "--repair",
            ],
            "-o",
            &format!("fixed.{ext}"),
        );
        let rows = csv_rows(&["area", out.to_str().unwrap(), "-f", "csv"]);
        let col = rows[0].iter().position(|c| c == "area_km2").unwrap();
        let bowtie = rows.iter().find(|r| r[0] == "bowtie").unwrap();
        let a: f64 = bowtie[col].parse().unwrap();
        // As tests/overlay.rs: the even-odd repair snaps to i_overlay's grid
        // (1.9e-9 measured); the written file keeps every digit of it.
        assert!(rel(a * 1e6, want) < 5e-9, "{ext}: {a}");
        drop(dir);
    }
}

#[test]
#[cfg(feature = "geoparquet")]
fn binary_output_goes_to_a_pipe() {
    // Piped (as here), the bytes go to stdout; only a terminal is refused.
    let o = territory()
        .args(["area", SAMPLE, "-f", "parquet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.starts_with(b"PAR1") && o.stdout.ends_with(b"PAR1"));
}

#[test]
fn unsupported_formats_name_the_conversion() {
    for (file, name) in [
        ("bad-unsupported.gml", "GML"),
        ("bad-unsupported.tab", "MapInfo"),
    ] {
        let (code, _, err) = run(&["area", &format!("{D}/{file}")]);
        assert_eq!(code, Some(1));
        assert!(err.contains(name) && err.contains("ogr2ogr"), "{err}");
    }
}

#[test]
fn standard_input_is_read_in_every_format_but_a_bare_shapefile() {
    let want = within_armenia(SAMPLE).1;
    for file in [
        "occupied.gpkg",
        "occupied.fgb",
        "occupied.parquet",
        "occupied.shp.zip",
    ] {
        let bytes = std::fs::read(format!("{D}/{file}")).unwrap();
        let o = territory()
            .args(["area", "-", "--within", "builtin:armenia", "-f", "json"])
            .write_stdin(bytes)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let n = v["features"].as_array().unwrap().len();
        assert_eq!(n, want.len(), "{file}");
    }
    let o = territory()
        .args(["area", "-"])
        .write_stdin(std::fs::read(format!("{D}/occupied.shp")).unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("give its path, or zip them"));
}

/// GeoParquet points are read as numbers (no CSV text in between): the
/// longitude and latitude written out are the original CSV's decimals,
/// in every output format, and a bad row is named by its feature number.
#[test]
fn geoparquet_points_keep_their_coordinates_and_name_bad_rows() {
    if !built("parquet") {
        return;
    }
    let original = csv_rows(&["locate", "data/examples/incidents.csv", "-f", "csv"]);
    let col = |rows: &[Vec<String>], n: &str| rows[0].iter().position(|c| c == n).unwrap();
    let by_place = |rows: &[Vec<String>]| -> BTreeMap<String, (String, String)> {
        rows[1..]
            .iter()
            .map(|r| {
                let (p, x, y) = (col(rows, "place"), col(rows, "lon"), col(rows, "lat"));
                (r[p].clone(), (r[x].clone(), r[y].clone()))
            })
            .collect()
    };
    let want = by_place(&original);
    assert_eq!(want["Sisian"], ("46.0322".into(), "39.5208".into()));
    for file in ["incidents.parquet", "incidents-native.parquet"] {
        let path = format!("{D}/{file}");
        let rows = csv_rows(&["locate", &path, "-f", "csv"]);
        assert_eq!(by_place(&rows), want, "{file}");
        // GeoJSON: the point's coordinates are the same numbers.
        let v = json(&["locate", &path, "-f", "geojson"]);
        for f in v["features"].as_array().unwrap() {
            let place = f["properties"]["place"].as_str().unwrap();
            let c = &f["geometry"]["coordinates"];
            let (x, y) = &want[place];
            assert_eq!(c[0].as_f64().unwrap(), x.parse::<f64>().unwrap(), "{place}");
            assert_eq!(c[1].as_f64().unwrap(), y.parse::<f64>().unwrap(), "{place}");
            assert_eq!(f["properties"]["lon"].as_str().unwrap(), x, "{place}");
        }
    }
    // The third incident's latitude is 95: an error naming feature 3, no
    // output; skipped with --on-error skip, the other four found.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let bad = format!("{D}/bad-point-range.parquet");
    let o = territory()
        .args(["locate", &bad, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{bad}: feature 3: latitude 95 is outside")),
        "{err}"
    );
    assert!(!out.exists());
    let rows = csv_rows(&["locate", &bad, "--on-error", "skip", "-f", "csv"]);
    let mut found = by_place(&rows);
    assert!(found.remove("Goris").is_none());
    let mut rest = want.clone();
    rest.remove("Goris");
    assert_eq!(found, rest);
    // Located points written as GeoParquet and located again: the Point
    // geometry is the lon/lat, once (the file's own lon and lat columns,
    // the same numbers, give way), every other column kept.
    let located = dir.path().join("located.parquet");
    let o = territory()
        .args([
            "locate",
            "data/examples/incidents.csv",
            "-f",
            "parquet",
            "-o",
        ])
        .arg(&located)
        .output()
        .unwrap();
    assert!(o.status.success());
    let again = csv_rows(&[
        "locate",
        located.to_str().unwrap(),
        "--regions",
        "builtin:armenia",
        "-f",
        "csv",
    ]);
    let mut names = again[0].clone();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), again[0].len(), "{:?}", again[0]);
    assert_eq!(by_place(&again), want);
    assert!(again[0].contains(&"caucasus_id".to_string()));
}

/// `area --by` reads only the regions near the layer: from a FlatGeobuf,
/// through its spatial index. The fixture holds Armenia's provinces
/// (Natural Earth, as `builtin:armenia-provinces@ne10m`) and, as feature
/// 12, a self-intersecting bowtie in the Atlantic that is never read, so
/// the answer is the built-in layer's; `--all-regions` reads it, and its
/// check names it by its place in the file.
#[test]
fn area_by_reads_only_the_regions_near_the_layer() {
    let fgb = format!("{D}/provinces-far-bowtie.fgb");
    let rows = |by: &str| -> BTreeMap<String, String> {
        let rows = csv_rows(&["area", SAMPLE, "--by", by, "-f", "csv"]);
        rows[1..]
            .iter()
            .map(|r| (r[1].clone(), r[2].clone()))
            .collect()
    };
    let near = rows(&fgb);
    assert_eq!(near, rows("builtin:armenia-provinces@ne10m"));
    assert_eq!(
        near.keys().cloned().collect::<Vec<_>>(),
        ["", "Gegharkunik", "Syunik", "Vayots Dzor"]
    );
    let (code, _, err) = run(&["area", SAMPLE, "--by", &fgb, "--all-regions", "-f", "csv"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("feature 12") && err.contains("self-intersection"),
        "{err}"
    );
    // Repaired, every region is listed: the three with area, the rest with none.
    let all = csv_rows(&[
        "area",
        SAMPLE,
        "--by",
        &fgb,
        "--all-regions",
        "--repair",
        "-f",
        "csv",
    ]);
    assert_eq!(all.len(), 1 + 12 + 1, "{all:?}");
    for r in &all[1..] {
        match near.get(&r[1]) {
            Some(a) => assert_eq!(&r[2], a, "{r:?}"),
            None => assert_eq!(r[2].parse::<f64>().unwrap(), 0.0, "{r:?}"),
        }
    }
}

/// `locate -f parquet`'s typed writer: every value of every row as the CSV
/// output has it, the region columns of a point in no region null (as in
/// the GeoJSON output; the CSV has them empty) and the input's text never
/// null, the points as WKB Points, and a dictionary only for the columns
/// that repeat (the region ids and names), not for unique ones.
#[cfg(feature = "geoparquet")]
#[test]
fn located_geoparquet_has_every_value_and_dictionaries_only_where_values_repeat() {
    use arrow_array::cast::AsArray;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    // 2,000 points spread over Armenia and around it (some outside every
    // region), every latitude and longitude different, with a quoted text
    // column.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("grid.csv");
    let mut text = String::from("id,lat,lon,note\n");
    for k in 0..2000 {
        let (lat, lon) = (
            38.5 + k as f64 * 0.0016,
            43.0 + ((k * 37) % 2000) as f64 * 0.0018,
        );
        text += &format!("{k},{lat:.5},{lon:.5},\"row {k}, grid\"\n");
    }
    std::fs::write(&src, text).unwrap();
    let src = src.to_str().unwrap();
    let out = dir.path().join("located.parquet");
    let (code, _, err) = run(&["locate", src, "-o", out.to_str().unwrap(), "-q"]);
    assert_eq!(code, Some(0), "{err}");
    let want = csv_rows(&["locate", src, "-f", "csv"]);

    let file = std::fs::File::open(&out).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut rows = 0;
    for batch in reader {
        let batch = batch.unwrap();
        let schema = batch.schema();
        for r in 0..batch.num_rows() {
            let w = &want[1 + rows];
            for (c, name) in want[0].iter().enumerate() {
                let col = batch.column(schema.index_of(name).unwrap());
                // id, lat, lon, note are the input's; then the region's.
                let null = c >= 4 && w[c].is_empty();
                assert_eq!(col.is_null(r), null, "row {rows} {name}");
                assert_eq!(col.as_string::<i32>().value(r), w[c], "row {rows} {name}");
            }
            let g = batch.column(schema.index_of("geometry").unwrap());
            let wkb = g.as_binary::<i32>().value(r);
            // Little-endian WKB Point: 1, type 1, x = lon, y = lat.
            assert_eq!(&wkb[..5], &[1, 1, 0, 0, 0]);
            let x = f64::from_le_bytes(wkb[5..13].try_into().unwrap());
            let y = f64::from_le_bytes(wkb[13..21].try_into().unwrap());
            let (lat, lon) = (w[1].parse::<f64>().unwrap(), w[2].parse::<f64>().unwrap());
            assert_eq!((x, y), (lon, lat), "row {rows}");
            rows += 1;
        }
    }
    assert_eq!(rows, 2000);
    let matched = want[1..].iter().filter(|r| !r[4].is_empty()).count();
    assert!(matched > 500 && matched < 2000, "{matched}");

    let meta = SerializedFileReader::new(std::fs::File::open(&out).unwrap()).unwrap();
    let group = meta.metadata().row_group(0);
    let dictionary = |name: &str| {
        (0..group.num_columns())
            .map(|i| group.column(i))
            .find(|c| c.column_path().string() == name)
            .unwrap()
            .dictionary_page_offset()
            .is_some()
    };
    for name in ["caucasus_id", "caucasus_name"] {
        assert!(dictionary(name), "{name} repeats: a dictionary");
    }
    for name in ["id", "lat", "lon", "note", "geometry"] {
        assert!(!dictionary(name), "{name} is unique: no dictionary");
    }
}

/// Without `-f`, `-o`'s extension chooses the format (as ogr2ogr and
/// geopandas do); an explicit `-f` wins. A `.gpkg` never holds a text table.
#[test]
fn the_output_name_chooses_the_format_unless_f_is_given() {
    let want = within_armenia(SAMPLE);
    for ext in ["gpkg", "fgb", "parquet", "geojson"]
        .into_iter()
        .filter(|f| built(f))
    {
        let (dir, out) = written(&["area", SAMPLE], "-o", &format!("out.{ext}"));
        let head = std::fs::read(&out).unwrap();
        let magic: &[u8] = match ext {
            "gpkg" => b"SQLite format 3\0",
            "fgb" => b"fgb\x03",
            "parquet" => b"PAR1",
            _ => b"{\"type\":\"FeatureCollection\"",
        };
        assert!(head.starts_with(magic), "{ext}: {:?}", &head[..16]);
        // The layer written reads back with the same areas.
        let got = within_armenia(out.to_str().unwrap());
        assert!(rel(got.0, want.0) < 1e-12, "{ext}");
        drop(dir);
    }
    // Located points, named .gpkg: a GeoPackage of the incidents.
    let (dir, out) = written(
        &["locate", "data/examples/incidents.csv"],
        "-o",
        "located.gpkg",
    );
    assert!(
        std::fs::read(&out)
            .unwrap()
            .starts_with(b"SQLite format 3\0")
    );
    let rows = csv_rows(&["locate", out.to_str().unwrap(), "-f", "csv"]);
    assert_eq!(provinces_of(&rows), want_provinces());
    drop(dir);
    // `-f csv` wins over the name; `.csv` and `.json` choose those.
    let (dir, out) = written(&["area", SAMPLE, "-f", "csv"], "-o", "out.gpkg");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("id,name,area")
    );
    drop(dir);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("claim.json");
    let (code, _, err) = run(&[
        "check",
        SAMPLE,
        "--claim",
        "215 km2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(matches!(code, Some(0 | 3 | 4)), "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(v.is_object(), "{v}");
    // A command without geometry refuses a layer format's name (usage
    // error, nothing written) rather than writing a table into it.
    for name in ["info.gpkg", "info.geojson"] {
        let out = dir.path().join(name);
        let (code, _, err) = run(&["info", "builtin:armenia", "-o", out.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains(name) && err.contains("no geometry"), "{err}");
        assert!(!out.exists(), "{name}");
    }
}
