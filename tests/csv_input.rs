//! Issue #11, CSV reading: records are found exactly as the csv crate (and
//! Python's csv module) reads them, whatever the line endings, wherever a
//! quoted line break falls, and a broken file stops with its line instead of
//! swallowing rows or memory. Inputs are generated into a temp dir.

mod common;
use common::*;

/// Write `text` to a temp file and run `locate` on it; (code, stdout, stderr).
fn locate_text(text: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("points.csv");
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["locate", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn records(csv_text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn quoted_line_break_straddling_a_work_piece_is_one_row() {
    // Row 4,095 (a 4,096-record piece ends inside it) holds a quote in an
    // unquoted field and a quoted field with a line break.
    let mut text = String::from("id,lat,lon,a,b\n");
    for i in 1..=6000 {
        if i == 4095 {
            text.push_str("N,40.1,44.5,a\"b,\"c\nd\"\n");
        } else {
            text.push_str(&format!("{i},40.1,44.5,x,y\n"));
        }
    }
    for skip in [&[][..], &["--on-error", "skip"][..]] {
        let (code, out, err) = locate_text(&text, skip);
        assert_eq!(code, Some(0), "{err}");
        let rows = records(&out);
        assert_eq!(rows.len(), 6001, "header + 6,000 rows");
        assert!(rows.iter().all(|r| r.len() == 7), "every row whole");
        assert_eq!(rows[4095][..5], ["N", "40.1", "44.5", "a\"b", "c\nd"]);
        assert_eq!(rows[4096][0], "4096");
        assert!(err.contains("6000 rows read, 0 skipped"), "{err}");
    }
}

#[test]
fn cr_only_line_endings_are_read_like_python_csv() {
    // Old Mac exports: records end with a lone CR. Republic Square, Yerevan
    // (40.1776 N, 44.5126 E) and Sisian (39.5208 N, 46.0322 E).
    let text = "id,lat,lon\r1,40.1776,44.5126\r2,39.5208,46.0322\r";
    let (code, out, err) = locate_text(text, &[]);
    assert_eq!(code, Some(0), "{err}");
    let rows = records(&out);
    assert_eq!(rows.len(), 3, "{out}");
    assert_eq!(rows[1][3], "AM-ER");
    assert_eq!(rows[2][3], "AM-SU");
    // A bad row in a CR-only file is reported on its own line.
    let (code, _, err) = locate_text("id,lat,lon\r1,40.1,44.5\r2,x,44.6\r", &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn stray_quote_inside_a_field_is_an_ordinary_character() {
    let mut text = String::from("id,lat,lon,note\n1,40.1776,44.5126,6\" pipe\n");
    for i in 2..=10_000 {
        text.push_str(&format!("{i},40.1776,44.5126,ok\n"));
    }
    let (code, out, err) = locate_text(&text, &[]);
    assert_eq!(code, Some(0), "{err}");
    let rows = records(&out);
    assert_eq!(rows.len(), 10_001);
    assert_eq!(rows[1][3], "6\" pipe");
}

#[test]
fn blank_lines_are_skipped_for_every_delimiter() {
    for d in [",", ";", "\t"] {
        let text =
            format!("id{d}lat{d}lon\n1{d}40.1776{d}44.5126\n\n\r\n2{d}39.5208{d}46.0322\n\n");
        let (code, out, err) = locate_text(&text, &[]);
        assert_eq!(code, Some(0), "{err}");
        let rows = records(&out);
        assert_eq!(rows.len(), 3, "delimiter {d:?}: {out}");
        assert!(rows.iter().all(|r| r.len() == 5), "delimiter {d:?}: {out}");
        assert!(err.contains("2 rows read"), "{err}");
    }
}

#[test]
fn unclosed_quote_is_an_error_naming_its_line() {
    let mut text = String::from("id,lat,lon,note\n1,40.1,44.5,ok\n2,40.1,44.5,\"6 pipe\n");
    for i in 3..2000 {
        text.push_str(&format!("{i},40.1,44.5,ok\n"));
    }
    let (code, out, err) = locate_text(&text, &["--on-error", "skip"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        err.contains("line 3") && err.contains("never closed"),
        "{err}"
    );
}

#[test]
fn overlong_record_is_refused_without_reading_the_rest() {
    // A 64 MiB header line (no line break): refused at the 16 MiB cap.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    std::fs::write(&path, vec![b'a'; 64 << 20]).unwrap();
    let (code, _, err) = run(&["locate", path.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("line 1") && err.contains("16 MiB"), "{err}");
    // A quote opened in the first data row that runs past the cap.
    let mut text = String::from("lat,lon,note\n40.1,44.5,\"");
    text.push_str(&"40.1,44.5,x\n".repeat(2_000_000));
    std::fs::write(&path, text).unwrap();
    let (code, _, err) = run(&["locate", path.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("line 2"), "{err}");
}
