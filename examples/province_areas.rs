//! Library use: load the embedded Armenian provinces, measure them geodesically
//! and total them as a union. Run: `cargo run --release --example province_areas`
use territory::{data, io::ReadOptions, measure, overlay};

fn main() -> territory::Result<()> {
    let layer = data::builtin("armenia-provinces", &ReadOptions::default())?;
    let geoms: Vec<_> = layer.regions.iter().map(|r| &r.geom).collect();
    let measures = measure::multi_polygons(&geoms);
    for (region, m) in layer.regions.iter().zip(&measures) {
        println!(
            "{:6} {:12} {:10.3} km2",
            region.id,
            region.name,
            m.area_m2 / 1e6
        );
    }
    let areas: Vec<f64> = measures.iter().map(|m| m.area_m2).collect();
    let totals = overlay::totals(&geoms, &areas);
    println!(
        "union {:.3} km2 (official figure for Armenia: 29,743 km2)",
        totals.union_m2 / 1e6
    );
    Ok(())
}
