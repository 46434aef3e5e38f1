//! The documents of `timeline`: rows from [`crate::timeline`]'s snapshots
//! (the chart is [`crate::render::timeline_chart`]).

use serde_json::Value;

use super::{Cell, Column, Document, JsonLayout, Row, RowFeature, Rows, Shape, Shown};
use crate::model::{AreaUnit, Layer};
use crate::timeline::{Change, Snapshot};

fn change_cells(c: &Change, unit: AreaUnit) -> Vec<Cell> {
    let d = unit.table_decimals();
    let (gained, lost) = (unit.from_m2(c.gained_m2), unit.from_m2(c.lost_m2));
    vec![
        Cell::num(unit.from_m2(c.area_m2), d),
        Cell::num(gained, d),
        Cell::num(lost, d),
        // Net as gained − lost of the printed values (issue #13 item 3).
        Cell::Diff {
            a: gained,
            b: lost,
            decimals: d,
        },
        Cell::num(unit.from_m2(c.cumulative_m2), d),
    ]
}

/// The columns of a [`Change`]: `area_km2`, `gained_km2`, ...
fn change_columns(unit: AreaUnit) -> Vec<Column> {
    ["area", "gained", "lost", "net", "cumulative"]
        .iter()
        .map(|k| Column::new(format!("{k}_{}", unit.suffix())))
        .collect()
}

/// One [`Change`] as a JSON object.
fn change_json(c: &Change, unit: AreaUnit) -> Value {
    let mut rows = Rows::new(change_columns(unit));
    rows.push(change_cells(c, unit));
    rows.json().remove(0)
}

/// The report of `timeline`: a row per date (with REGIONS, per date and
/// region, and what lies in no region); JSON nests the regions in their
/// date; GeoJSON holds what was gained and lost at each date.
pub fn document<'a>(
    context: &[String],
    snaps: &'a [Snapshot],
    regions: Option<&Layer>,
    unit: AreaUnit,
) -> Document<'a> {
    let u = unit.suffix();
    let date_cell = |s: &Snapshot| Cell::from(s.date.to_string());
    // A row per date: the whole union.
    let mut columns = vec![Column::new("date"), Column::shown("features", Shown::JSON)];
    columns.extend(change_columns(unit));
    columns.push(Column::shown("features", Shown::TABLE_CSV));
    let mut dates = Rows::new(columns);
    for s in snaps {
        let mut cells = vec![date_cell(s), Cell::Int(s.features as u64)];
        cells.extend(change_cells(&s.change, unit));
        cells.push(Cell::Int(s.features as u64));
        dates.push(cells);
    }
    // With --by, a row per date and region, and what lies in no region.
    let mut json_rows = None;
    if let Some(layer) = regions {
        let mut columns = vec![
            Column::shown("region_id", Shown::JSON),
            Column::shown("region_name", Shown::JSON),
            Column::shown("date", Shown::TABLE_CSV),
        ];
        columns.extend(change_columns(unit));
        columns.extend(["region_id", "region_name"].map(|c| Column::shown(c, Shown::TABLE_CSV)));
        let mut by = Rows::new(columns);
        let mut nested = dates.json();
        for (s, json) in snaps.iter().zip(&mut nested) {
            let first = by.rows.len();
            for (r, c) in &s.regions {
                let (id, name) = (&layer.regions[*r].id, &layer.regions[*r].name);
                let mut cells = vec![id.as_str().into(), name.as_str().into(), date_cell(s)];
                cells.extend(change_cells(c, unit));
                cells.extend([id.as_str().into(), name.as_str().into()]);
                by.push(cells);
            }
            let here = Rows {
                columns: by.columns.clone(),
                rows: by.rows[first..].to_vec(),
            };
            json["regions"] = here.json().into();
            if let Some(c) = &s.outside {
                let mut cells = vec![Cell::Null, Cell::Null, date_cell(s)];
                cells.extend(change_cells(c, unit));
                cells.extend(["outside".into(), "in no region".into()]);
                by.rows.push(Row {
                    shown: Shown::TABLE_CSV,
                    ..Row::new(cells)
                });
                json["outside"] = change_json(c, unit);
            }
        }
        json_rows = Some(nested);
        dates = by;
    }
    // GeoJSON: what was gained and lost at each date.
    let mut pieces = Rows::new(vec![
        Column::new("date"),
        Column::new("change"),
        Column::new(format!("area_{u}")),
    ]);
    for s in snaps {
        for (change, geom, a) in [
            ("gained", &s.gained, s.change.gained_m2),
            ("lost", &s.lost, s.change.lost_m2),
        ] {
            if a > 0.0 {
                pieces.rows.push(Row {
                    feature: Some(RowFeature {
                        id: None,
                        properties: Default::default(),
                        shape: Shape::Area(geom),
                    }),
                    ..Row::new(vec![
                        date_cell(s),
                        change.into(),
                        Cell::num(unit.from_m2(a), unit.table_decimals()),
                    ])
                });
            }
        }
    }
    Document {
        preamble: context.to_vec(),
        rows: dates,
        json: JsonLayout::new("snapshots")
            .before("context", context)
            .before("unit", u)
            .before("method", crate::area::METHOD),
        json_rows,
        features: Some(pieces),
        ..Document::default()
    }
}
