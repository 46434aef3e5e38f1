//! What the reader targets share: what `area` does with the features read.

/// A layer or an error, then areas and validity checks.
pub fn measure(found: Vec<territory::io::ReadFeature>) {
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
