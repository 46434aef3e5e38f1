#![no_main]
//! The GeoParquet reader (Parquet footer, `geo` metadata, WKB and GeoArrow
//! columns) on any file: features or an error.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::measure;

fuzz_target!(|data: &[u8]| {
    let bytes = bytes::Bytes::copy_from_slice(data);
    if let Ok(batches) = territory::io::parquet::open(bytes, "fuzz", true)
        && let Ok((features, _)) = batches.all()
    {
        measure(features.into_iter().map(Ok).collect());
    }
});
