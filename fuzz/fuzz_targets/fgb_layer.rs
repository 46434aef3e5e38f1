#![no_main]
//! The FlatGeobuf reader on any file: features or an error.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::measure;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = territory::io::fgb::read(data, "fuzz") {
        measure(r.features);
    }
});
