#![no_main]
//! The CSV-with-WKT reader (the wkt crate) on any text: features or an error.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::measure;

fuzz_target!(|data: &[u8]| {
    if let Ok(found) = territory::io::wkt_csv::features(data, "fuzz", None) {
        measure(found);
    }
});
