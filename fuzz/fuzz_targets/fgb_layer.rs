#![no_main]
//! The FlatGeobuf reader on any file: features or an error, reading every
//! feature and (through the spatial index) those near a box.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::measure;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = territory::io::fgb::read(data, "fuzz", None) {
        measure(r.features);
    }
    let near = geo::Rect::new(geo::coord! { x: 44.0, y: 38.0 }, geo::coord! { x: 47.0, y: 41.0 });
    if let Ok(r) = territory::io::fgb::read(data, "fuzz", Some(&near)) {
        measure(r.features);
    }
});
