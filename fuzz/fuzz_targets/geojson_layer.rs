#![no_main]
//! The GeoJSON layer reader (document framing) and what `area` does next:
//! any input must give a layer or an error, never a panic or a hang.
use libfuzzer_sys::fuzz_target;
use territory::io::geojson::{Framing, ReadOptions, parse_layer};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(layer) = parse_layer(text, "fuzz", Framing::Sniff, &ReadOptions::default())
    {
        let _ = territory::area::compute(&layer);
        let _ = territory::validate::invalid_features(&layer);
    }
});
