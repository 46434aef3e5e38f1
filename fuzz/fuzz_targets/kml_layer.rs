#![no_main]
//! The KML and KMZ reader (Placemarks to features) and what `area` does next:
//! any input must give a layer or an error, never a panic or a hang.
use libfuzzer_sys::fuzz_target;
use territory::io::geojson::ReadOptions;
use territory::io::kml::{KmlKind, features};

fuzz_target!(|data: &[u8]| {
    for kind in [KmlKind::Kml, KmlKind::Kmz] {
        if let Ok(found) = features(data, "fuzz", kind)
            && let Ok(layer) = territory::io::layer::layer(
                found.into_iter().map(Ok).collect(),
                "fuzz",
                &ReadOptions::default(),
                true,
                |_| None,
            )
        {
            let _ = territory::area::compute(&layer);
            let _ = territory::validate::invalid_features(&layer);
        }
    }
});
