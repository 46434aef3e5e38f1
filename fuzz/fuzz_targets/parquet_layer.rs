#![no_main]
//! The GeoParquet reader (Parquet footer, `geo` metadata, WKB and GeoArrow
//! columns) on any file: features or an error.
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
    let bytes = bytes::Bytes::copy_from_slice(data);
    if let Ok(batches) = territory::io::parquet::open(bytes, "fuzz", true)
        && let Ok((features, _)) = batches.all()
    {
        measure(features.into_iter().map(Ok).collect());
    }
});
