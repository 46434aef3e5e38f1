use territory::{data, io::ReadOptions, measure, overlay};
fn main() {
    if std::env::args().nth(1).as_deref() == Some("world") {
        world();
        return;
    }
    for name in ["armenia-provinces", "caucasus", "azerbaijan-districts"] {
        let l = data::builtin(name, &ReadOptions::default()).unwrap();
        let geoms: Vec<_> = l.regions.iter().map(|r| &r.geom).collect();
        let sum: f64 = measure::multi_polygons(&geoms)
            .iter()
            .map(|m| m.area_m2)
            .sum();
        let u = measure::multi_polygon(&overlay::dissolve(geoms.iter().copied())).area_m2;
        println!("{name}: sum {sum} union {u} rel {}", (sum - u) / sum);
    }
}
#[allow(dead_code)]
fn world() {
    let t = std::time::Instant::now();
    let l = territory::io::read_layer(
        &"bench-data/ne_10m_admin1.geojson".parse().unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    eprintln!("read {:?}", t.elapsed());
    let geoms: Vec<_> = l.regions.iter().map(|r| &r.geom).collect();
    let ms = measure::multi_polygons(&geoms);
    eprintln!("measure {:?}", t.elapsed());
    let areas: Vec<f64> = ms.iter().map(|m| m.area_m2).collect();
    let ov = overlay::overlaps(&geoms, &areas);
    eprintln!("overlaps {:?} n={}", t.elapsed(), ov.len());
    for o in ov.iter().take(20) {
        eprintln!(
            "{} {} {} {}",
            l.regions[o.a].props["adm1_code"],
            l.regions[o.b].props["adm1_code"],
            o.area_m2,
            areas[o.a].min(areas[o.b])
        );
    }
}
