//! The documents of `timeline`: rows from [`crate::timeline`]'s snapshots,
//! and the chart of the area over time.

use serde_json::Value;

use super::{Cell, Column, Document, JsonLayout, Row, RowFeature, Rows, Shape, Shown};
use crate::model::{AreaUnit, Date, Layer};
use crate::timeline::{Change, Snapshot};

/// The chart of `--chart`: the union's area at each date and, with `--by`,
/// each region that holds some of it at some date.
///
/// `title` heads the chart; a month (`2021-05`) is drawn on its first day.
pub fn chart(snaps: &[Snapshot], regions: Option<&Layer>, unit: AreaUnit, title: &str) -> String {
    use crate::render::Series;
    let point = |date: &Date, m2: f64| (date.days(), unit.from_m2(m2));
    let mut series = vec![Series {
        name: "total (union)".into(),
        values: snaps
            .iter()
            .map(|s| point(&s.date, s.change.area_m2))
            .collect(),
    }];
    if let Some(layer) = regions {
        let mut touched: Vec<usize> = snaps
            .iter()
            .flat_map(|s| {
                s.regions
                    .iter()
                    .filter(|(_, c)| c.area_m2 > 0.0)
                    .map(|(i, _)| *i)
            })
            .collect();
        touched.sort_unstable();
        touched.dedup();
        for i in touched {
            let r = &layer.regions[i];
            series.push(Series {
                name: if r.name.is_empty() {
                    r.id.clone()
                } else {
                    r.name.clone()
                },
                values: snaps
                    .iter()
                    .map(|s| {
                        let a = s
                            .regions
                            .iter()
                            .find(|(k, _)| *k == i)
                            .map_or(0.0, |(_, c)| c.area_m2);
                        point(&s.date, a)
                    })
                    .collect(),
            });
        }
    }
    let label = match unit {
        crate::model::AreaUnit::Km2 => "area (km²)".to_string(),
        u => format!("area ({})", u.suffix()),
    };
    crate::render::chart_svg(title, &label, &series)
}

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
