#![no_main]
//! The KML and KMZ reader (Placemarks to features) and what `area` does next:
//! any input must give a layer or an error, never a panic or a hang.
use libfuzzer_sys::fuzz_target;
use territory::io::geojson::{ReadOptions, layer_from_values};
use territory::io::kml::{KmlKind, feature_values};

fuzz_target!(|data: &[u8]| {
    for kind in [KmlKind::Kml, KmlKind::Kmz] {
        if let Ok(values) = feature_values(data, "fuzz", kind)
            && let Ok(layer) = layer_from_values(values, "fuzz", &ReadOptions::default())
        {
            let _ = territory::area::compute(&layer);
            let _ = territory::validate::invalid_features(&layer);
        }
    }
});
