#![no_main]
//! The Shapefile reader on any .shp, .shx and .dbf (the input cut in three
//! by its first four bytes) and on any zip: features or an error.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::measure;

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
