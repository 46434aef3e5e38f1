//! Test harness: run the real binary from the crate root, parse its output.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

/// The `territory` binary, run from the crate root so that `tests/data/...` paths work.
pub fn territory() -> Command {
    let mut c = Command::cargo_bin("territory").expect("binary built");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// A fixture path.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Run and parse stdout as JSON, asserting success.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = territory().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "territory {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Relative difference |a - b| / |b|.
pub fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// Run the binary; (exit code, stdout, stderr), checking nothing panicked.
pub fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let o = territory().args(args).output().unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    (o.status.code(), String::from_utf8(o.stdout).unwrap(), err)
}

/// Run the binary with `args` then `flag PATH` (e.g. `-o`, `--chart`), PATH
/// being `name` in a new temp dir; assert success; return the dir (keep it
/// alive) and PATH.
pub fn written(args: &[&str], flag: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    territory()
        .args(args)
        .arg(flag)
        .arg(&path)
        .assert()
        .success();
    (dir, path)
}

/// Run and parse stdout as CSV (header row first), asserting success.
pub fn csv_rows(args: &[&str]) -> Vec<Vec<String>> {
    let out = territory().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let mut rows = vec![r.headers().unwrap().iter().map(String::from).collect()];
    rows.extend(
        r.records()
            .map(|x| x.unwrap().iter().map(String::from).collect()),
    );
    rows
}

// The seeded test RNG, one source for unit and integration tests.
#[path = "../../src/testutil.rs"]
mod testutil;
#[allow(unused_imports)] // not every test binary draws numbers
pub use testutil::xorshift;
