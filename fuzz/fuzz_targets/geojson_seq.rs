#![no_main]
//! The GeoJSON sequence reader (newline- or RS-separated), and `validate`'s
//! walk over the same features.
use libfuzzer_sys::fuzz_target;
use territory::io::geojson::{Framing, ReadOptions, features, parse_layer};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_layer(text, "fuzz", Framing::Sequence, &ReadOptions::default());
        if let Ok(values) = features(text, "fuzz", Framing::Sequence, None) {
            let _ = territory::validate::diagnose(&values, false);
        }
    }
});
