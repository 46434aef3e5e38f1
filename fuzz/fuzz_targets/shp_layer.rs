#![no_main]
//! The Shapefile reader on any .shp, .shx and .dbf (the input cut in three
//! by its first four bytes) and on any zip: features or an error.
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
    if data.len() >= 4 {
        let a = u16::from_le_bytes([data[0], data[1]]) as usize;
        let b = u16::from_le_bytes([data[2], data[3]]) as usize;
        let rest = &data[4..];
        let (shx, rest) = rest.split_at(a.min(rest.len()));
        let (dbf, shp) = rest.split_at(b.min(rest.len()));
        let parts = territory::io::shp::Parts {
            shp: shp.to_vec(),
            shx: shx.to_vec(),
            dbf: dbf.to_vec(),
            prj: None,
            cpg: None,
        };
        if let Ok(r) = territory::io::shp::read(parts, "fuzz") {
            measure(r.features);
        }
    }
    if let Ok(parts) = territory::io::shp::parts_in_zip(data, "fuzz", None)
        && let Ok(r) = territory::io::shp::read(parts, "fuzz")
    {
        measure(r.features);
    }
});
