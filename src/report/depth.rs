//! The document of `depth`: a row per feature (inside, max depth, deepest
//! point, band areas); as GeoJSON each band piece and the deepest point.

use super::{Cell, Column, Document, JsonLayout, Row, RowFeature, Rows, Shape, Shown};
use crate::depth::{BandPiece, DepthRow};
use crate::model::{AreaUnit, Layer};

/// "0_1km", "5km_plus": a band's part of a column name.
fn band_key(b: &BandPiece) -> String {
    let km = |m: f64| format!("{}", m / 1000.0).replace('.', "p");
    match b.to_m {
        Some(to) => format!("{}_{}km", km(b.from_m), km(to)),
        None => format!("{}km_plus", km(b.from_m)),
    }
}

/// The report of [`crate::depth::depth`] on `layer` inside `border`.
pub fn document<'a>(
    layer: &Layer,
    border: &Layer,
    found: &'a [DepthRow],
    unit: AreaUnit,
) -> Document<'a> {
    let u = unit.suffix();
    let d = unit.table_decimals();
    // A row per feature.
    let mut columns = vec![
        Column::shown("index", Shown::JSON),
        Column::new("id"),
        Column::new("name"),
        Column::new(format!("inside_{u}")),
        Column::new("max_depth_km"),
        Column::new("deepest_lat"),
        Column::new("deepest_lon"),
    ];
    if let Some(r) = found.first() {
        columns.extend(
            r.bands
                .iter()
                .map(|b| Column::new(format!("band_{}_{u}", band_key(b)))),
        );
    }
    let mut rows = Rows::new(columns);
    // GeoJSON: each band piece, and the deepest point.
    let mut pieces = Rows::new(
        ["id", "name", "kind", "band", "from_km", "to_km"]
            .map(Column::new)
            .into_iter()
            .chain([
                Column::new(format!("area_{u}")),
                Column::new("max_depth_km"),
            ])
            .collect(),
    );
    for r in found {
        let mut cells = vec![
            Cell::Int(r.index as u64),
            r.id.as_str().into(),
            r.name.as_str().into(),
            Cell::num(unit.from_m2(r.inside_m2), d),
            Cell::num(r.max_depth_m / 1000.0, 3),
            Cell::opt(r.deepest.map(|c| c.y), 5),
            Cell::opt(r.deepest.map(|c| c.x), 5),
        ];
        cells.extend(
            r.bands
                .iter()
                .map(|b| Cell::num(unit.from_m2(b.area_m2), d)),
        );
        rows.push(cells);
        for b in r.bands.iter().filter(|b| !b.geom.0.is_empty()) {
            pieces.rows.push(Row {
                feature: Some(RowFeature {
                    id: None,
                    properties: Default::default(),
                    shape: Shape::Area(&b.geom),
                }),
                ..Row::new(vec![
                    r.id.as_str().into(),
                    r.name.as_str().into(),
                    "band".into(),
                    band_key(b).into(),
                    Cell::num(b.from_m / 1000.0, 3),
                    Cell::opt(b.to_m.map(|t| t / 1000.0), 3),
                    Cell::num(unit.from_m2(b.area_m2), d),
                    Cell::Absent,
                ])
            });
        }
        if let Some(c) = r.deepest {
            pieces.rows.push(Row {
                feature: Some(RowFeature {
                    id: None,
                    properties: Default::default(),
                    shape: Shape::Point([c.x, c.y]),
                }),
                ..Row::new(vec![
                    r.id.as_str().into(),
                    r.name.as_str().into(),
                    "deepest".into(),
                    Cell::Absent,
                    Cell::Absent,
                    Cell::Absent,
                    Cell::Absent,
                    Cell::num(r.max_depth_m / 1000.0, 3),
                ])
            });
        }
    }
    Document {
        preamble: vec![
            format!("layer:  {} ({} features)", layer.name, layer.regions.len()),
            format!("source: {}", layer.source),
            format!("border: {} ({})", border.name, border.source),
            format!("method: {}", crate::depth::METHOD),
        ],
        rows,
        json: JsonLayout::new("features")
            .layer("layer", "source", layer)
            .layer("border", "border_source", border)
            .before("unit", u)
            .before("method", crate::depth::METHOD),
        features: Some(pieces),
        ..Document::default()
    }
}
