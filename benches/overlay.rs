//! Overlay benchmarks: the illustrative sample split by the 101 Caucasus admin-1
//! regions (`area --by builtin:caucasus`), and the whole Natural Earth admin-1
//! layer dissolved by country (needs `scripts/make-bench-data.sh`).

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use territory::area;
use territory::io::{self, LayerSpec, ReadOptions};
use territory::{data, overlay};

const SAMPLE: &str = "data/examples/occupied-illustrative.geojson";
const WORLD: &str = "bench-data/ne_10m_admin1.geojson";

fn by_caucasus(c: &mut Criterion) {
    let opts = ReadOptions::default();
    let sample = io::read_layer(&SAMPLE.parse::<LayerSpec>().unwrap(), &opts).unwrap();
    let caucasus = data::builtin("caucasus", &opts).unwrap();
    c.bench_function("area sample --by builtin:caucasus", |b| {
        b.iter(|| area::by_regions(&sample, &caucasus))
    });
}

/// Loading a built-in layer (parse the embedded GeoJSON, filter the country):
/// issue #12 asks < 20 ms for a country.
fn load_builtins(c: &mut Criterion) {
    let opts = ReadOptions::default();
    let mut g = c.benchmark_group("load builtin");
    for name in [
        "armenia",
        "armenia@ne10m",
        "azerbaijan",
        "armenia-provinces",
        "caucasus",
    ] {
        g.bench_function(name, |b| b.iter(|| data::builtin(name, &opts).unwrap()));
    }
    g.finish();
}

/// `territory depth` of the sample against the 10 m outline: issue #12 asks < 1 s.
fn depth_sample(c: &mut Criterion) {
    let opts = ReadOptions::default();
    let sample = io::read_layer(&SAMPLE.parse::<LayerSpec>().unwrap(), &opts).unwrap();
    let armenia = data::builtin("armenia", &opts).unwrap();
    let mut g = c.benchmark_group("depth");
    g.sample_size(10);
    g.bench_function("sample --border builtin:armenia", |b| {
        b.iter(|| territory::depth::depth(&sample, &armenia, &Default::default()).unwrap())
    });
    g.bench_function(
        "sample --within builtin:armenia --border-tolerance 1km",
        |b| {
            let union = overlay::dissolve(sample.regions.iter().map(|r| &r.geom));
            let mask = territory::borders::mask(&armenia);
            b.iter(|| territory::borders::band(&union, &mask, 1000.0).unwrap())
        },
    );
    g.finish();
}

fn dissolve_world_by_country(c: &mut Criterion) {
    if !Path::new(WORLD).exists() {
        eprintln!("skipping: {WORLD} is missing; run scripts/make-bench-data.sh");
        return;
    }
    let world = io::read_layer(
        &WORLD.parse::<LayerSpec>().unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    let mut g = c.benchmark_group("world-admin1");
    g.sample_size(10);
    g.bench_function("dissolve by adm0_a3", |b| {
        b.iter(|| {
            overlay::dissolve_by(world.regions.iter().map(|r| {
                (
                    r.props
                        .get("adm0_a3")
                        .and_then(|v| v.as_str())
                        .unwrap_or(""),
                    &r.geom,
                )
            }))
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    load_builtins,
    depth_sample,
    by_caucasus,
    dissolve_world_by_country
);
criterion_main!(benches);
