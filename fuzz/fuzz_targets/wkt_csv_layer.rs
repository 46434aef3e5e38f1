#![no_main]
//! The CSV-with-WKT reader (the wkt crate) on any text: features or an error.
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
    if let Ok(found) = territory::io::wkt_csv::features(data, "fuzz", None) {
        measure(found);
    }
});
