//! Documents of a figure under several borders (`--within A --within B`):
//! `area`, `area --by` and `timeline` lay the answers side by side, `check`
//! states the spread. The computing is [`crate::borders`]' and
//! [`crate::area`]'s.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Cell, Column, Document, JsonLayout, Row, RowFeature, Rows, Shape, Shown};
use crate::borders::Under;
use crate::borders::{Spread, short_name};
use crate::model::{AreaUnit, Layer};

use crate::area::{AreaReport, ByReport, METHOD};

/// "border 1: builtin:armenia@ne10m (source ...)" lines for the preamble.
pub fn border_lines<R>(under: &[Under<'_, R>]) -> Vec<String> {
    under
        .iter()
        .enumerate()
        .map(|(i, u)| format!("border {}: {} ({})", i + 1, u.border.name, u.border.source))
        .collect()
}

/// "spread: 169.7 to 190.2 km2 (+12.08 %) over 2 borders".
pub fn spread_line(what: &str, s: &Spread, unit: AreaUnit, n: usize) -> String {
    let d = unit.table_decimals();
    let f = |v: f64| super::table::group_thousands(unit.from_m2(v), d);
    format!(
        "{what}: {} to {} {} over {n} borders (largest {:+.2} % over smallest)",
        f(s.min),
        f(s.max),
        unit.suffix(),
        100.0 * s.relative
    )
}

/// Put `values` (m², one per border, in `under`'s order) into `m` as an
/// object keyed by border layer name under `key`, with their `spread`.
fn insert_by_border<R>(
    m: &mut Map<String, Value>,
    key: &str,
    under: &[Under<'_, R>],
    values: &[f64],
    unit: AreaUnit,
) {
    let by: Map<String, Value> = under
        .iter()
        .zip(values)
        .map(|(u, &v)| (u.border.name.clone(), unit.from_m2(v).into()))
        .collect();
    m.insert(key.to_string(), Value::Object(by));
    if let Some(s) = Spread::of(values) {
        m.insert(
            "spread".into(),
            serde_json::to_value(s.scaled(1.0 / unit.m2_per_unit())).unwrap_or(Value::Null),
        );
    }
}

/// A row: the leading cells, then one value per border (m², shown in
/// `unit` with `d` decimals), then their spread in %; `twice` repeats the
/// values (the table's columns, then CSV's).
fn value_row(lead: Vec<Cell>, values: &[f64], unit: AreaUnit, d: usize, twice: bool) -> Vec<Cell> {
    let mut row = lead;
    for _ in 0..if twice { 2 } else { 1 } {
        row.extend(values.iter().map(|&v| Cell::num(unit.from_m2(v), d)));
    }
    row.push(Spread::of(values).map_or(Cell::from(""), |s| pct(&s)));
    row
}

fn pct(s: &Spread) -> Cell {
    Cell::num(100.0 * s.relative, 2)
}

/// The columns of a value per border: short border names in tables,
/// `area_km2:LAYER` in CSV, then `spread_pct`.
fn border_columns<R>(lead: &[&str], under: &[Under<'_, R>], unit: AreaUnit) -> Vec<Column> {
    let mut columns: Vec<Column> = lead
        .iter()
        .map(|c| Column::shown(*c, Shown::TABLE_CSV))
        .collect();
    columns.extend(
        under
            .iter()
            .map(|u| Column::shown(short_name(u.border), Shown::TABLE)),
    );
    columns.extend(under.iter().map(|u| {
        Column::shown(
            format!("area_{}:{}", unit.suffix(), u.border.name),
            Shown::CSV,
        )
    }));
    columns.push(Column::shown("spread_pct", Shown::TABLE_CSV));
    columns
}

/// The preamble of a table under several borders.
fn preamble<R>(context: &[String], under: &[Under<'_, R>], unit_line: String) -> Vec<String> {
    let mut preamble = context.to_vec();
    preamble.extend(border_lines(under));
    preamble.push(unit_line);
    preamble
}

#[derive(Serialize)]
struct JsonBorder {
    layer: String,
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    band: Option<super::area::JsonBand>,
    total: Value,
    features: Vec<Value>,
}

/// `area LAYER --within A --within B ...`: a wide table (a column per
/// border), long CSV (a row per border and feature), JSON by border, and
/// every border's pieces as GeoJSON; the totals in `footer`.
pub fn area_document<'a>(
    context: &[String],
    layer: &Layer,
    under: &'a [Under<'_, AreaReport>],
    unit: AreaUnit,
) -> Document<'a> {
    let u = unit.suffix();
    let area_col = format!("area_{u}");
    let unions: Vec<f64> = under.iter().map(|u| u.report.totals.union_m2).collect();
    let spread = Spread::of(&unions).expect("two borders or more");
    let mut total = spread_line("total (area of the union)", &spread, unit, under.len());
    for u in under {
        if let Some(b) = &u.report.band {
            total.push_str(&format!(
                "\n  {}: {}",
                short_name(u.border),
                super::area::band_line(b, unit)
            ));
        }
    }
    let bands: Vec<f64> = under
        .iter()
        .filter_map(|u| u.report.band.map(|b| [b.inner_m2, b.outer_m2]))
        .flatten()
        .chain(unions.iter().copied())
        .collect();
    if bands.len() > unions.len() {
        let all = Spread::of(&bands).expect("values");
        total.push_str(&format!(
            "\n{}",
            spread_line("every border and tolerance", &all, unit, under.len())
        ));
    }
    let d = unit.table_decimals();
    let mut wide = Rows::new(border_columns(&["id", "name"], under, unit));
    for (i, r) in layer.regions.iter().enumerate() {
        let vals: Vec<f64> = under
            .iter()
            .map(|u| u.report.rows[i].measure.area_m2)
            .collect();
        let lead = vec![r.id.as_str().into(), r.name.as_str().into()];
        wide.push(value_row(lead, &vals, unit, d, true));
    }
    let lead = vec!["total".into(), "(area of the union)".into()];
    wide.push(value_row(lead, &unions, unit, d, true));
    let mut long = Rows::new(
        ["border", "id", "name", &area_col, "perimeter_km"]
            .map(Column::new)
            .to_vec(),
    );
    let mut pieces = Rows::new(vec![Column::new(area_col.clone())]);
    for b in under {
        for (region, r) in b.layer.regions.iter().zip(&b.report.rows) {
            long.push(vec![
                b.border.name.as_str().into(),
                r.id.as_str().into(),
                r.name.as_str().into(),
                Cell::num(unit.from_m2(r.measure.area_m2), d),
                Cell::num(r.measure.perimeter_m / 1000.0, 3),
            ]);
            let mut properties = Map::new();
            properties.insert("border".into(), b.border.name.clone().into());
            properties.extend(region.props.clone());
            pieces.rows.push(Row {
                cells: vec![Cell::num(unit.from_m2(r.measure.area_m2), d)],
                shown: Shown::ALL,
                feature: Some(RowFeature {
                    id: Some(region.id.clone()),
                    properties: std::borrow::Cow::Owned(properties),
                    shape: Shape::Area(&region.geom),
                }),
            });
        }
    }
    let borders: Vec<Value> = under
        .iter()
        .map(|b| {
            let t = &b.report.totals;
            let total = serde_json::json!({
                "features": t.features,
                "union": unit.from_m2(t.union_m2),
                "sum": unit.from_m2(t.sum_m2),
                "overlap": unit.from_m2(t.overlap_m2),
            });
            let border = JsonBorder {
                layer: b.border.name.clone(),
                source: b.border.source.clone(),
                band: b
                    .report
                    .band
                    .as_ref()
                    .map(|x| super::area::JsonBand::new(x, unit)),
                total,
                features: super::area::feature_rows(&b.layer, &b.report, unit).json(),
            };
            serde_json::to_value(border).unwrap_or(Value::Null)
        })
        .collect();
    let by_border: Map<String, Value> = under
        .iter()
        .map(|b| {
            (
                b.border.name.clone(),
                unit.from_m2(b.report.totals.union_m2).into(),
            )
        })
        .collect();
    Document {
        preamble: preamble(context, under, format!("unit:   {u}")),
        rows: wide,
        footer: vec![total],
        json: JsonLayout::new("borders")
            .layer("layer", "source", layer)
            .before("unit", u)
            .before("method", METHOD)
            .after("total_by_border", by_border)
            .after("spread", spread.scaled(1.0 / unit.m2_per_unit())),
        json_rows: Some(borders),
        csv: Some(long),
        features: Some(pieces),
        json_value: None,
    }
}

/// `area --by` pieces under several borders would overlap in one GeoJSON.
pub fn geojson_by_borders() -> crate::error::Error {
    crate::error::Error::Usage(
        "area --by -f geojson writes the pieces of one border; with several --within borders use -f json, csv or table, or run once per border".into(),
    )
}

/// `area LAYER --by REGIONS --within A --within B ...`: one row per region,
/// one column per border (no GeoJSON: see [`geojson_by_borders`]); the
/// total in `footer`.
pub fn by_document(
    context: &[String],
    layer: &Layer,
    regions: &Layer,
    under: &[Under<'_, ByReport>],
    all_regions: bool,
    unit: AreaUnit,
) -> Document<'static> {
    let d = unit.table_decimals();
    let u = unit.suffix();
    let area_col = format!("area_{u}");
    let unions: Vec<f64> = under.iter().map(|u| u.report.union_m2).collect();
    let spread = Spread::of(&unions).expect("two borders or more");
    let total = spread_line("total (area of the union)", &spread, unit, under.len());
    // Regions listed: those any border's answer touches (or all).
    let shown: Vec<usize> = (0..regions.regions.len())
        .filter(|&i| all_regions || under.iter().any(|u| u.report.rows[i].area_m2 > 0.0))
        .collect();
    let values =
        |i: usize| -> Vec<f64> { under.iter().map(|u| u.report.rows[i].area_m2).collect() };
    let mut rows = Rows::new(border_columns(&["region_id", "region_name"], under, unit));
    let mut json_rows = Vec::new();
    for &i in &shown {
        let r = &regions.regions[i];
        let vals = values(i);
        let lead = vec![r.id.as_str().into(), r.name.as_str().into()];
        rows.push(value_row(lead, &vals, unit, d, true));
        let mut m = Map::new();
        m.insert("region_id".into(), r.id.clone().into());
        m.insert("region_name".into(), r.name.clone().into());
        insert_by_border(&mut m, &area_col, under, &vals, unit);
        json_rows.push(Value::Object(m));
    }
    let outs: Vec<f64> = under.iter().map(|u| u.report.outside_m2).collect();
    let lead = vec!["(outside)".into(), "in no region".into()];
    rows.push(value_row(lead, &outs, unit, d, true));
    let lead = vec!["total".into(), "(area of the union)".into()];
    rows.rows.push(Row {
        shown: Shown::TABLE,
        ..Row::new(value_row(lead, &unions, unit, d, true))
    });
    let borders: Vec<Value> = under
        .iter()
        .map(|u| {
            serde_json::json!({
                "layer": u.border.name,
                "source": u.border.source,
                "union": unit.from_m2(u.report.union_m2),
                "outside": unit.from_m2(u.report.outside_m2),
            })
        })
        .collect();
    Document {
        preamble: preamble(context, under, format!("unit:   {u}")),
        rows,
        footer: vec![total],
        json: JsonLayout::new("regions")
            .layer("layer", "source", layer)
            .layer("by", "by_source", regions)
            .before("unit", u)
            .before("method", METHOD)
            .before("borders", borders)
            .after("spread", spread.scaled(1.0 / unit.m2_per_unit())),
        json_rows: Some(json_rows),
        ..Document::default()
    }
}

/// `timeline ... --within A --within B [--by REGIONS]`: the area of the union
/// at each date (and, with REGIONS, in each region touched at that date under
/// some border) under each border, with the spread (no GeoJSON).
pub fn timeline_document(
    context: &[String],
    under: &[Under<'_, Vec<crate::timeline::Snapshot>>],
    regions: Option<&Layer>,
    unit: AreaUnit,
) -> Document<'static> {
    let d = unit.table_decimals();
    let area_col = format!("area_{}", unit.suffix());
    /// A row of the report: the whole union, one region, or what lies in
    /// no region (issue #13 item 4, as in one border's timeline).
    #[derive(Clone, Copy)]
    enum Line {
        All,
        Region(usize),
        Outside,
    }
    // (date index, row), in order.
    let mut keys: Vec<(usize, Line)> = Vec::new();
    for k in 0..under[0].report.len() {
        keys.push((k, Line::All));
        if regions.is_some() {
            let mut touched: Vec<usize> = under
                .iter()
                .flat_map(|u| u.report[k].regions.iter().map(|(i, _)| *i))
                .collect();
            touched.sort_unstable();
            touched.dedup();
            keys.extend(touched.into_iter().map(|i| (k, Line::Region(i))));
            keys.push((k, Line::Outside));
        }
    }
    let values = |(k, row): (usize, Line)| -> Vec<f64> {
        under
            .iter()
            .map(|u| match row {
                Line::All => u.report[k].change.area_m2,
                Line::Region(i) => u.report[k]
                    .regions
                    .iter()
                    .find(|(j, _)| *j == i)
                    .map_or(0.0, |(_, c)| c.area_m2),
                Line::Outside => u.report[k].outside.as_ref().map_or(0.0, |c| c.area_m2),
            })
            .collect()
    };
    let region_cells = |row: Line| -> Vec<Cell> {
        match (regions, row) {
            (Some(l), Line::Region(i)) => vec![
                l.regions[i].id.as_str().into(),
                l.regions[i].name.as_str().into(),
            ],
            (Some(_), Line::All) => vec!["(all)".into(), "".into()],
            (Some(_), Line::Outside) => vec!["outside".into(), "in no region".into()],
            _ => vec![],
        }
    };
    let date = |k: usize| under[0].report[k].date.to_string();
    let lead_columns: &[&str] = if regions.is_some() {
        &["date", "region_id", "region_name"]
    } else {
        &["date"]
    };
    let mut rows = Rows::new(border_columns(lead_columns, under, unit));
    let mut json_rows = Vec::new();
    for &(k, row) in &keys {
        let mut lead: Vec<Cell> = vec![date(k).into()];
        lead.extend(region_cells(row));
        rows.push(value_row(lead, &values((k, row)), unit, d, true));
        let mut m = Map::new();
        m.insert("date".into(), date(k).into());
        match (regions, row) {
            (Some(l), Line::Region(i)) => {
                m.insert("region_id".into(), l.regions[i].id.clone().into());
                m.insert("region_name".into(), l.regions[i].name.clone().into());
            }
            (Some(_), Line::Outside) => {
                m.insert("region_id".into(), "outside".into());
            }
            _ => {}
        }
        insert_by_border(&mut m, &area_col, under, &values((k, row)), unit);
        json_rows.push(Value::Object(m));
    }
    let borders: Vec<Value> = under
        .iter()
        .map(|u| serde_json::json!({"layer": u.border.name, "source": u.border.source}))
        .collect();
    Document {
        preamble: preamble(
            context,
            under,
            format!("unit:   {} (area of the union at each date)", unit.suffix()),
        ),
        rows,
        json: JsonLayout::new("dates")
            .before("unit", unit.suffix())
            .before("method", METHOD)
            .before("context", context)
            .before("borders", borders),
        json_rows: Some(json_rows),
        ..Document::default()
    }
}
