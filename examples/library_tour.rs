//! The library's entry points in one program, without clap: read a layer,
//! check it, measure it under two borders, judge a claim, locate a point,
//! and write a report as CSV. Run: `cargo run --release --example library_tour`
use territory::claim::{self, Claim};
use territory::locate::{Hits, Target};
use territory::report::Format;
use territory::validate::{self, Checks};

fn main() -> territory::Result<()> {
    let open = |s: &str| territory::open(&s.parse().unwrap(), &Default::default());
    let mut sample = open("data/examples/occupied-illustrative.geojson")?;
    validate::enforce(&mut sample, Checks::Check)?;
    let borders = [open("builtin:armenia@ne10m")?, open("builtin:armenia")?];

    // The area inside each border, and the claim judged under both.
    let claim: Claim = "at least 215 km2"
        .parse()
        .map_err(territory::Error::Usage)?;
    let judged = claim::judge(
        &sample,
        &borders,
        claim,
        claim::tolerance_for(&claim, None),
        None,
    )
    .map_err(territory::Error::Input)?;
    for (b, v) in borders.iter().zip(&judged.verdicts) {
        println!(
            "{}: {:.1} km2, {}",
            b.name,
            v.computed_m2 / 1e6,
            if v.pass() { "PASS" } else { "FAIL" }
        );
    }
    println!(
        "claim {:?}: {}",
        "at least 215 km2",
        judged.outcome.as_str()
    );

    // Which province holds a point, and how far its boundary is.
    let provinces = Target::new("province", open("builtin:armenia-provinces")?, true);
    let hit = provinces.lookup(46.0, 39.53, Hits::First);
    println!(
        "39.53 N 46.00 E: {} ({:.2} km from its boundary)",
        provinces.names(&hit, |r| &r.name),
        hit.distance_km.unwrap_or(f64::NAN)
    );

    // A report, as the program writes it: CSV of every feature's area.
    let report = territory::area::compute(&sample);
    let doc = territory::report::area::document(&[], &sample, &report, Default::default());
    doc.write(&mut std::io::stdout().lock(), Format::Csv, None)
        .map_err(|source| territory::Error::Write {
            path: "stdout".into(),
            source,
        })?;
    Ok(())
}
