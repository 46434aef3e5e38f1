//! Library use: the embedded Armenian provinces measured geodesically, and
//! the illustrative occupied-area sample split by province inside Armenia's
//! 10 m outline. Run: `cargo run --release --example province_areas`
use territory::validate::{self, Checks};

fn main() -> territory::Result<()> {
    let provinces = territory::open(
        &"builtin:armenia-provinces".parse().unwrap(),
        &Default::default(),
    )?;
    let report = territory::area::compute(&provinces);
    for row in &report.rows {
        println!(
            "{:6} {:12} {:10.3} km2",
            row.id,
            row.name,
            row.measure.area_m2 / 1e6
        );
    }
    println!(
        "union {:.3} km2 (official figure for Armenia: 29,743 km2)",
        report.totals.union_m2 / 1e6
    );

    let spec = "data/examples/occupied-illustrative.geojson"
        .parse()
        .unwrap();
    let mut sample = territory::open(&spec, &Default::default())?;
    validate::enforce(&mut sample, Checks::Check)?;
    let armenia = territory::open(&"builtin:armenia".parse().unwrap(), &Default::default())?;
    let inside = territory::area::within(&sample, &armenia);
    let by = territory::area::by_regions(&inside, &provinces);
    for row in by.rows.iter().filter(|r| r.area_m2 > 0.0) {
        println!(
            "{:12} {:8.3} km2 ({:.3} % of it)",
            row.name,
            row.area_m2 / 1e6,
            row.share_pct()
        );
    }
    println!("inside Armenia: {:.3} km2", by.union_m2 / 1e6);
    Ok(())
}
