//! Crafted files that once crashed a run, ran it without bound, flooded the
//! terminal or gave a silently wrong answer: each now gives one clear message
//! (exit 1) or the right answer with a warning. The files are made here, in
//! a temp dir, by the code of each test.

mod common;

use common::{data, run, territory};
use std::io::Write;
use std::path::{Path, PathBuf};

fn fails(args: &[&str]) -> String {
    let (code, _, err) = run(args);
    assert_eq!(code, Some(1), "{args:?}: {err}");
    err
}

#[test]
fn wkt_nested_thousands_deep_is_refused_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("deep.csv");
    let depth = 6200;
    let wkt = format!(
        "{}POINT (44.5 40.1){}",
        "GEOMETRYCOLLECTION (".repeat(depth),
        ")".repeat(depth)
    );
    std::fs::write(&csv, format!("id,wkt\n1,\"{wkt}\"\n")).unwrap();
    let p = csv.to_str().unwrap();
    for args in [
        vec!["area", p],
        vec!["validate", p],
        vec!["locate", p, "--regions", "builtin:caucasus"],
    ] {
        // validate reports on stdout, the others on stderr.
        let (code, out, err) = run(&args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        let e = out + &err;
        assert!(
            e.contains('1') && e.contains("nested 21 parentheses deep"),
            "{args:?}: {e}"
        );
        assert!(
            e.len() < 2000,
            "{args:?}: the message quotes the input whole: {e}"
        );
    }
    // 16 collections around a MultiPolygon is the deepest read.
    let ok = format!(
        "{}MULTIPOLYGON (((44 40, 45 40, 45 41, 44 40))){}",
        "GEOMETRYCOLLECTION (".repeat(16),
        ")".repeat(16)
    );
    std::fs::write(&csv, format!("id,wkt\n1,\"{ok}\"\n")).unwrap();
    let (code, _, e) = run(&["area", p, "-f", "csv"]);
    assert_eq!(code, Some(0), "{e}");
}

/// A copy of `formats/hole.gpkg` with a view registered as a feature table.
fn gpkg_with_view(dir: &Path, view_sql: &str) -> PathBuf {
    let p = dir.join("view.gpkg");
    std::fs::copy(data("formats/hole.gpkg"), &p).unwrap();
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute_batch(&format!(
        "CREATE VIEW v AS {view_sql};
         INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('v', 'features', 'v', 4326);
         INSERT INTO gpkg_geometry_columns VALUES ('v', 'geom', 'POLYGON', 4326, 0, 0);"
    ))
    .unwrap();
    p
}

#[test]
fn geopackage_views_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // Endless: a recursive view that never stops.
    let p = gpkg_with_view(
        dir.path(),
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i AS fid, NULL AS geom FROM n ORDER BY i",
    );
    let layer = format!("{}:v", p.display());
    let started = std::time::Instant::now();
    let e = fails(&["area", &layer]);
    assert!(e.contains("view") && e.contains("ogr2ogr"), "{e}");
    // Refused before any query of it runs (a generous bound for CI).
    assert!(started.elapsed().as_secs() < 30);
    // The stored table beside it still reads.
    let (code, _, e) = run(&["area", &format!("{}:hole", p.display())]);
    assert_eq!(code, Some(0), "{e}");
}

fn zip_of(path: &Path, members: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

fn hole_shapefile() -> Vec<(String, Vec<u8>)> {
    ["shp", "shx", "dbf", "prj"]
        .iter()
        .map(|e| {
            (
                format!("hole.{e}"),
                std::fs::read(data(&format!("formats/hole.{e}"))).unwrap(),
            )
        })
        .collect()
}

#[test]
fn zipped_shapefile_members_that_inflate_past_the_bound_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let parts = hole_shapefile();
    // A .cpg of 1 MiB (a code page name is a few bytes), and a .dbf that
    // inflates to 80 MiB from a few hundred KB: 200 times the archive at most.
    let big_cpg = vec![b'x'; 1 << 20];
    let big_dbf = vec![0u8; 80 << 20];
    for (member, bytes, says) in [
        ("hole.cpg", &big_cpg, "at most 64 KiB"),
        ("hole.dbf", &big_dbf, "zip bomb"),
    ] {
        let mut members: Vec<(&str, &[u8])> = parts
            .iter()
            .filter(|(n, _)| n != member)
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        members.push((member, bytes));
        let z = dir.path().join("hole.shp.zip");
        zip_of(&z, &members);
        let started = std::time::Instant::now();
        let e = fails(&["area", z.to_str().unwrap()]);
        assert!(e.contains(member) && e.contains(says), "{member}: {e}");
        assert!(e.len() < 1000, "{e}");
        assert!(started.elapsed().as_secs() < 30);
    }
}

#[test]
fn a_huge_cpg_beside_a_shapefile_is_refused_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in hole_shapefile() {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let cpg = std::fs::File::create(dir.path().join("hole.cpg")).unwrap();
    cpg.set_len(50 << 20).unwrap(); // sparse: 50 MB of zeros
    let shp = dir.path().join("hole.shp");
    let e = fails(&["area", shp.to_str().unwrap()]);
    assert!(e.contains(".cpg is 52428800 bytes"), "{e}");
}

#[test]
fn messages_quote_at_most_a_bounded_excerpt_of_the_input() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in hole_shapefile() {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    // A code page name of 60,000 characters: within the .cpg cap, unknown.
    std::fs::write(dir.path().join("hole.cpg"), "Z".repeat(60_000)).unwrap();
    let shp = dir.path().join("hole.shp");
    let e = fails(&["area", shp.to_str().unwrap()]);
    assert!(
        e.contains("code page") && e.contains("60000 bytes in all"),
        "{e}"
    );
    let quoted = e.matches('Z').count();
    assert!(
        (200..=210).contains(&quoted),
        "{quoted} characters quoted: {e}"
    );
}

#[test]
fn control_characters_from_input_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in hole_shapefile() {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    // A .prj that sets the terminal's title and clears the screen.
    std::fs::write(
        dir.path().join("hole.prj"),
        "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31mnot a CRS",
    )
    .unwrap();
    let shp = dir.path().join("hole.shp");
    let out = territory().args(["area"]).arg(&shp).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("\\u{1b}]0;owned\\u{7}"), "{e}");
    // A GeoPackage table whose name carries an escape sequence.
    let gpkg = dir.path().join("t.gpkg");
    std::fs::copy(data("formats/hole.gpkg"), &gpkg).unwrap();
    let c = rusqlite::Connection::open(&gpkg).unwrap();
    c.execute_batch("PRAGMA foreign_keys = OFF; UPDATE gpkg_contents SET table_name = 'x' || char(27) || '[2J' WHERE table_name = 'hole'")
        .unwrap();
    drop(c);
    let out = territory()
        .args(["area"])
        .arg(format!("{}:nope", gpkg.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !out.stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The offset where the features of a FlatGeobuf start: just after the
/// spatial index's leaves (40 bytes each, in feature order, the first
/// giving offset 0), found by walking the features' size prefixes.
fn fgb_data_start(b: &[u8], n: usize) -> usize {
    let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize;
    (40 * n + 12..b.len())
        .find(|&d| {
            let mut off = 0;
            (0..n).all(|k| {
                let ok = u64_at(d - 40 * n + 40 * k + 32) == off && d + off + 4 <= b.len();
                if ok {
                    off += 4 + u32_at(d + off);
                }
                ok
            }) && d + off == b.len()
        })
        .expect("a packed R-tree's leaves before the features")
}

#[test]
fn a_flatgeobuf_whose_index_lies_is_read_whole_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let honest = dir.path().join("regions.fgb");
    territory()
        .args(["area", "builtin:armenia-provinces", "-o"])
        .arg(&honest)
        .assert()
        .success();
    let mut b = std::fs::read(&honest).unwrap();
    let n = 11;
    let d = fgb_data_start(&b, n);
    // Every leaf's box moved to the middle of the Pacific; offsets intact.
    for k in 0..n {
        let at = d - 40 * n + 40 * k;
        for (j, v) in [-170.0f64, -10.0, -169.0, -9.0].iter().enumerate() {
            b[at + 8 * j..at + 8 * j + 8].copy_from_slice(&v.to_le_bytes());
        }
    }
    let liar = dir.path().join("liar.fgb");
    std::fs::write(&liar, &b).unwrap();
    let sample = "data/examples/occupied-illustrative.geojson";
    let by = |regions: &Path| {
        let out = territory()
            .args(["area", sample, "--by"])
            .arg(regions)
            .args(["-f", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (v, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (want, _) = by(&honest);
    let (got, warning) = by(&liar);
    assert!(
        warning.contains("spatial index does not match"),
        "{warning}"
    );
    let total = |v: &serde_json::Value| v["total"]["inside_regions"].as_f64();
    // 191.069 km2 inside the provinces (README's walkthrough).
    assert!((total(&want).unwrap() - 191.069).abs() < 0.001, "{want}");
    assert_eq!(total(&got), total(&want));
    assert_eq!(got["regions"], want["regions"]);
}

#[test]
fn a_layer_name_on_a_format_without_layers_is_an_error() {
    let geojson = data("hole.geojson");
    let parquet = data("formats/incidents.parquet");
    for args in [
        vec!["area".to_string(), format!("{}:foo", geojson.display())],
        vec![
            "area".to_string(),
            geojson.display().to_string(),
            "--layer".into(),
            "foo".into(),
        ],
        vec!["info".to_string(), format!("{}:foo", parquet.display())],
        vec![
            "locate".to_string(),
            format!("{}:foo", parquet.display()),
            "--regions".into(),
            "builtin:caucasus".into(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = fails(&args);
        assert!(
            e.contains("holds one layer") && e.contains("\"foo\""),
            "{args:?}: {e}"
        );
    }
}

#[test]
fn a_csv_coordinate_that_is_not_finite_names_its_column_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    for (row, col, value) in [("2,nan,44.5", "lat", "nan"), ("2,40.2,-inf", "lon", "-inf")] {
        std::fs::write(&csv, format!("id,lat,lon\n1,40.1,44.5\n{row}\n")).unwrap();
        let e = fails(&[
            "locate",
            csv.to_str().unwrap(),
            "--regions",
            "builtin:caucasus",
        ]);
        assert!(
            e.contains("line 3") && e.contains(&format!("column \"{col}\": \"{value}\"")),
            "{e}"
        );
    }
}

#[cfg(feature = "geoparquet")]
mod geoparquet {
    use super::*;
    use arrow_array::{ArrayRef, BinaryArray, Float64Array, Int64Array, RecordBatch, StructArray};
    use arrow_schema::{DataType, Field};
    use std::sync::Arc;

    fn wkb_point(x: f64, y: f64) -> Vec<u8> {
        let mut b = vec![1, 1, 0, 0, 0];
        b.extend(x.to_le_bytes());
        b.extend(y.to_le_bytes());
        b
    }

    /// Two points (Yerevan, Stepanakert... as hand-checked places: Yerevan
    /// and Gyumri) with ids 7 and 9, a bbox struct, and `geo` as given.
    fn write(path: &Path, geo: &str, bbox_name: &str) {
        let pts = [(44.5126, 40.1776), (43.8453, 40.7894)];
        let wkb: Vec<Vec<u8>> = pts.iter().map(|&(x, y)| wkb_point(x, y)).collect();
        let f = |v: Vec<f64>| Arc::new(Float64Array::from(v)) as ArrayRef;
        let xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
        let bbox = StructArray::from(vec![
            (
                Arc::new(Field::new("xmin", DataType::Float64, false)),
                f(xs.clone()),
            ),
            (
                Arc::new(Field::new("ymin", DataType::Float64, false)),
                f(ys.clone()),
            ),
            (
                Arc::new(Field::new("xmax", DataType::Float64, false)),
                f(xs),
            ),
            (
                Arc::new(Field::new("ymax", DataType::Float64, false)),
                f(ys),
            ),
        ]);
        let batch = RecordBatch::try_from_iter(vec![
            ("id", Arc::new(Int64Array::from(vec![7, 9])) as ArrayRef),
            (
                "geometry",
                Arc::new(BinaryArray::from_iter_values(wkb.iter())) as ArrayRef,
            ),
            (bbox_name, Arc::new(bbox) as ArrayRef),
        ])
        .unwrap();
        // No bbox column at all when `bbox_name` is empty.
        let batch = if bbox_name.is_empty() {
            batch.project(&[0, 1]).unwrap()
        } else {
            batch
        };
        let props = parquet::file::properties::WriterProperties::builder()
            .set_key_value_metadata(Some(vec![parquet::file::metadata::KeyValue::new(
                "geo".into(),
                geo.to_string(),
            )]))
            .build();
        let file = std::fs::File::create(path).unwrap();
        let mut w =
            parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    /// `rows` points (all at Yerevan) each with a `note` of `value_len`
    /// bytes, the same value on every row, stored once in a dictionary page;
    /// the file's Arrow schema left out, as many writers do (the column then
    /// reads as plain text).
    fn repeated(path: &Path, rows: usize, value_len: usize) {
        use arrow_array::{DictionaryArray, StringArray, types::Int32Type};
        let keys = arrow_array::Int32Array::from(vec![0; rows]);
        let values = StringArray::from(vec!["n".repeat(value_len)]);
        let note = DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values)).unwrap();
        let wkb: Vec<Vec<u8>> = (0..rows).map(|_| wkb_point(44.5126, 40.1776)).collect();
        let batch = RecordBatch::try_from_iter(vec![
            (
                "id",
                Arc::new(Int64Array::from_iter_values(0..rows as i64)) as ArrayRef,
            ),
            ("note", Arc::new(note) as ArrayRef),
            (
                "geometry",
                Arc::new(BinaryArray::from_iter_values(wkb.iter())) as ArrayRef,
            ),
        ])
        .unwrap();
        let props = parquet::file::properties::WriterProperties::builder()
            .set_dictionary_page_size_limit(64 << 20)
            .set_key_value_metadata(Some(vec![parquet::file::metadata::KeyValue::new(
                "geo".into(),
                r#"{"version":"1.1.0","primary_column":"geometry","columns":{"geometry":{"encoding":"WKB"}}}"#.to_string(),
            )]))
            .build();
        let opts = parquet::arrow::arrow_writer::ArrowWriterOptions::new()
            .with_properties(props)
            .with_skip_arrow_metadata(true);
        let file = std::fs::File::create(path).unwrap();
        let mut w =
            parquet::arrow::ArrowWriter::try_new_with_options(file, batch.schema(), opts).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    #[test]
    fn a_geoparquet_value_repeated_by_dictionary_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        // 4,000 rows of one 1 MiB text: a 12 KB-class file decoding to 4 GiB.
        let big = dir.path().join("big.parquet");
        repeated(&big, 4000, 1 << 20);
        assert!(std::fs::metadata(&big).unwrap().len() < 2 << 20);
        let started = std::time::Instant::now();
        let e = fails(&["info", big.to_str().unwrap()]);
        assert!(e.contains("decode to more than 768 MiB"), "{e}");
        assert!(started.elapsed().as_secs() < 60);
        // Streamed as points, the rows come through whole, in slices.
        let few = dir.path().join("few.parquet");
        repeated(&few, 100, 1 << 20);
        let out = territory()
            .args([
                "locate",
                few.to_str().unwrap(),
                "--regions",
                "builtin:armenia-provinces",
                "-f",
                "csv",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 101);
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.len() > 1 << 20 && l.ends_with("AM-ER,Yerevan"))
        );
        // One value past 16 MiB: named by row and column.
        let huge = dir.path().join("huge.parquet");
        repeated(&huge, 3, 17 << 20);
        let e = fails(&["info", huge.to_str().unwrap()]);
        assert!(
            e.contains("row 1: column \"note\" holds 17.0 MiB; at most 16 MiB"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_keys_in_geoparquet_metadata_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("dup.parquet");
        // Two `crs`: a UTM zone, then WGS84 (serde kept the last, silently).
        write(
            &p,
            r#"{"version":"1.1.0","primary_column":"geometry","columns":{"geometry":{"encoding":"WKB","crs":{"id":{"authority":"EPSG","code":32638}},"crs":null}}}"#,
            "bbox",
        );
        let e = fails(&[
            "locate",
            p.to_str().unwrap(),
            "--regions",
            "builtin:caucasus",
        ]);
        assert!(e.contains("duplicate key") && e.contains("crs"), "{e}");
    }

    #[test]
    fn a_covering_that_names_the_id_column_does_not_hide_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("cover.parquet");
        write(
            &p,
            r#"{"version":"1.1.0","primary_column":"geometry","columns":{"geometry":{"encoding":"WKB","covering":{"bbox":{"xmin":["id","xmin"],"ymin":["id","ymin"],"xmax":["id","xmax"],"ymax":["id","ymax"]}}}}}"#,
            "",
        );
        let rows = common::csv_rows(&[
            "locate",
            p.to_str().unwrap(),
            "--regions",
            "builtin:armenia-provinces",
            "-f",
            "csv",
        ]);
        let id = rows[0]
            .iter()
            .position(|c| c == "id")
            .expect("an id column");
        let name = rows[0].iter().position(|c| c.ends_with("_name")).unwrap();
        let got: Vec<(&str, &str)> = rows[1..]
            .iter()
            .map(|r| (r[id].as_str(), r[name].as_str()))
            .collect();
        assert_eq!(got, [("7", "Yerevan"), ("9", "Shirak")]);
    }
}
