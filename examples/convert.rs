//! Library use: read a layer in any format territory reads (GeoJSON, KML,
//! GeoPackage, Shapefile, FlatGeobuf, GeoParquet, CSV with WKT), add each
//! feature's geodesic area, and write it as a GeoPackage, FlatGeobuf or
//! GeoParquet file (by the output's extension).
//!
//! Run: `cargo run --release --example convert -- tests/data/formats/occupied.shp /tmp/occupied.parquet`
use territory::report::{Cell, Column, Document, Format, Rows};

fn main() -> territory::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = match args.as_slice() {
        [_, i, o] => (i.clone(), o.clone()),
        _ => {
            eprintln!("usage: convert INPUT OUTPUT.gpkg|.fgb|.parquet");
            std::process::exit(2);
        }
    };
    let layer = territory::open(&input.parse().unwrap(), &Default::default())?;
    let areas = territory::area::compute(&layer);
    let mut rows = Rows::of_layer(&layer);
    rows.columns.push(Column::new("area_km2"));
    for (row, measured) in rows.rows.iter_mut().zip(&areas.rows) {
        row.cells.push(Cell::num(measured.measure.area_m2 / 1e6, 3));
    }
    let format = match output.rsplit('.').next() {
        Some("gpkg") => Format::Gpkg,
        Some("fgb") => Format::Fgb,
        _ => Format::Parquet,
    };
    let doc = Document {
        features: Some(rows),
        ..Document::default()
    };
    let mut file = std::fs::File::create(&output).map_err(|source| territory::Error::Write {
        path: output.clone(),
        source,
    })?;
    let stem = std::path::Path::new(&output)
        .file_stem()
        .map_or("features".into(), |s| s.to_string_lossy().to_string());
    doc.write_features(&mut file, format, &stem)
        .map_err(|source| territory::Error::Write {
            path: output.clone(),
            source,
        })?;
    println!(
        "{}: {} features, {:.3} km2 in all, written to {output}",
        layer.name,
        layer.regions.len(),
        areas.totals.union_m2 / 1e6
    );
    Ok(())
}
