#![no_main]
//! The GeoPackage reader (SQLite through rusqlite, GeoPackage blobs, WKB)
//! on any file: features or an error, never a panic or a hang.
use std::io::Write;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::measure;

fuzz_target!(|data: &[u8]| {
    let Ok(mut f) = tempfile::NamedTempFile::new() else {
        return;
    };
    if f.write_all(data).is_err() {
        return;
    }
    for points in [false, true] {
        if let Ok(r) = territory::io::gpkg::read(f.path(), "fuzz", None, points) {
            measure(r.features);
        }
    }
});
