#![no_main]
//! The FlatGeobuf reader on any file: features or an error.
use libfuzzer_sys::fuzz_target;

/// What `area` does with features read: a layer or an error, then areas
/// and validity checks.
fn measure(found: Vec<territory::io::ReadFeature>) {
    if let Ok(layer) = territory::io::layer::layer(
        found,
        "fuzz",
        &territory::io::geojson::ReadOptions::default(),
        true,
        |_| None,
    ) {
        let _ = territory::area::compute(&layer);
        let _ = territory::validate::invalid_features(&layer);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = territory::io::fgb::read(data, "fuzz") {
        measure(r.features);
    }
});
