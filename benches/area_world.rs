//! Area report of the whole Natural Earth 1:10m admin-1 layer (4,596 features,
//! 1.3 M vertices): parse, per-feature geodesic area and perimeter, union total.
//! Needs `scripts/make-bench-data.sh` first; skips with a message otherwise.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use territory::area;
use territory::io::{self, LayerSpec, ReadOptions};

const WORLD: &str = "bench-data/ne_10m_admin1.geojson";

fn world(c: &mut Criterion) {
    if !Path::new(WORLD).exists() {
        eprintln!("skipping: {WORLD} is missing; run scripts/make-bench-data.sh");
        return;
    }
    let spec: LayerSpec = WORLD.parse().unwrap();
    let mut g = c.benchmark_group("world-admin1");
    g.sample_size(10);
    g.bench_function("parse", |b| {
        b.iter(|| io::read_layer(&spec, &ReadOptions::default()).unwrap())
    });
    let layer = io::read_layer(&spec, &ReadOptions::default()).unwrap();
    g.bench_function("measure+union", |b| b.iter(|| area::compute(&layer)));
    g.bench_function("parse+measure+union", |b| {
        b.iter(|| area::compute(&io::read_layer(&spec, &ReadOptions::default()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, world);
criterion_main!(benches);
