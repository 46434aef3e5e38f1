//! Reports of a figure under several borders (`--within A --within B`):
//! shared by `area`, `area --by`, `check` and `timeline`. The computing is
//! the library's ([`territory::borders`], [`super::area::compute`], ...); this
//! file lays the answers side by side.

use serde::Serialize;
use serde_json::{Map, Value};

use territory::borders::{Spread, short_name};
use territory::crs::Transformer;
use territory::error::Result;
use territory::io::output::Output;
use territory::model::{AreaUnit, Layer};
use territory::report::geojson::OutFeature;
use territory::report::{self, Cell, Format, Table};

use territory::area::{AreaReport, ByReport, METHOD};

/// One border and what was computed under it.
pub struct Under<'a, R> {
    /// The border layer.
    pub border: &'a Layer,
    /// The input layer clipped to it.
    pub layer: Layer,
    /// The report computed on `layer`.
    pub report: R,
}

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
    let f = |v: f64| report::table::group_thousands(unit.from_m2(v), d);
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

/// A table row: the leading cells, then one value per border (m², shown in
/// `unit` with `d` decimals), then their spread in %.
fn value_row(lead: Vec<Cell>, values: &[f64], unit: AreaUnit, d: usize) -> Vec<Cell> {
    let mut row = lead;
    row.extend(values.iter().map(|&v| Cell::num(unit.from_m2(v), d)));
    row.push(Spread::of(values).map_or(Cell::from(""), |s| pct(&s)));
    row
}

fn pct(s: &Spread) -> Cell {
    Cell::num(100.0 * s.relative, 2)
}

#[derive(Serialize)]
struct JsonBorder {
    layer: String,
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    band: Option<super::area::JsonBand>,
    total: Value,
    features: Vec<Map<String, Value>>,
}

#[derive(Serialize)]
struct JsonArea<'a> {
    layer: &'a str,
    source: &'a str,
    unit: &'a str,
    method: &'static str,
    borders: Vec<JsonBorder>,
    /// The area of the union under each border, by border layer name.
    total_by_border: Map<String, Value>,
    spread: Spread,
}

/// `area LAYER --within A --within B ...`.
pub fn write_area(
    mut out: Output,
    context: &[String],
    layer: &Layer,
    under: &[Under<'_, AreaReport>],
    unit: AreaUnit,
    format: Format,
    out_crs: Option<&Transformer>,
) -> Result<()> {
    let label = out.label();
    let werr = super::area::write_error(&label);
    let area_col = format!("area_{}", unit.suffix());
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
    match format {
        Format::Table => {
            let mut columns = vec!["id".to_string(), "name".to_string()];
            columns.extend(under.iter().map(|u| short_name(u.border)));
            columns.push("spread_pct".into());
            let mut rows: Vec<Vec<Cell>> = layer
                .regions
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let vals: Vec<f64> = under
                        .iter()
                        .map(|u| u.report.rows[i].measure.area_m2)
                        .collect();
                    value_row(
                        vec![r.id.as_str().into(), r.name.as_str().into()],
                        &vals,
                        unit,
                        d,
                    )
                })
                .collect();
            rows.push(value_row(
                vec!["total".into(), "(area of the union)".into()],
                &unions,
                unit,
                d,
            ));
            let mut preamble = context.to_vec();
            preamble.extend(border_lines(under));
            preamble.push(format!("unit:   {}", unit.suffix()));
            let table = Table {
                preamble,
                columns,
                rows,
                footer: vec![total],
            };
            report::table::write(&mut out, &table).map_err(&werr)?;
        }
        Format::Csv => {
            let table = Table {
                preamble: vec![],
                columns: vec![
                    "border".into(),
                    "id".into(),
                    "name".into(),
                    area_col.clone(),
                    "perimeter_km".into(),
                ],
                rows: under
                    .iter()
                    .flat_map(|u| {
                        u.report.rows.iter().map(|r| {
                            vec![
                                u.border.name.as_str().into(),
                                r.id.as_str().into(),
                                r.name.as_str().into(),
                                Cell::num(unit.from_m2(r.measure.area_m2), d),
                                Cell::num(r.measure.perimeter_m / 1000.0, 3),
                            ]
                        })
                    })
                    .collect(),
                footer: vec![],
            };
            report::csv::write(&mut out, &table).map_err(|e| werr(e.into()))?;
            territory::note!("territory: {total}");
        }
        Format::Json => {
            let borders = under
                .iter()
                .map(|u| {
                    let t = &u.report.totals;
                    let mut total = Map::new();
                    total.insert("features".into(), t.features.into());
                    total.insert("union".into(), unit.from_m2(t.union_m2).into());
                    total.insert("sum".into(), unit.from_m2(t.sum_m2).into());
                    total.insert("overlap".into(), unit.from_m2(t.overlap_m2).into());
                    JsonBorder {
                        layer: u.border.name.clone(),
                        source: u.border.source.clone(),
                        band: u
                            .report
                            .band
                            .as_ref()
                            .map(|b| super::area::JsonBand::new(b, unit)),
                        total: Value::Object(total),
                        features: u
                            .report
                            .rows
                            .iter()
                            .map(|r| super::area::row_json(r, &area_col, unit))
                            .collect(),
                    }
                })
                .collect();
            let doc = JsonArea {
                layer: &layer.name,
                source: &layer.source,
                unit: unit.suffix(),
                method: METHOD,
                borders,
                total_by_border: under
                    .iter()
                    .map(|u| {
                        (
                            u.border.name.clone(),
                            unit.from_m2(u.report.totals.union_m2).into(),
                        )
                    })
                    .collect(),
                spread: spread.scaled(1.0 / unit.m2_per_unit()),
            };
            report::json::write(&mut out, &doc).map_err(&werr)?;
        }
        Format::Geojson => {
            let feats = under.iter().flat_map(|u| {
                u.layer
                    .regions
                    .iter()
                    .zip(&u.report.rows)
                    .map(|(region, row)| {
                        let mut props = Map::new();
                        props.insert("border".into(), u.border.name.clone().into());
                        props.extend(region.props.clone());
                        props.insert(area_col.clone(), unit.from_m2(row.measure.area_m2).into());
                        OutFeature {
                            id: Some(&region.id),
                            properties: props,
                            geometry: &region.geom,
                        }
                    })
            });
            report::geojson::write(&mut out, feats, out_crs).map_err(&werr)?;
            territory::note!("territory: {total}");
        }
    }
    out.finish()
}

/// `area --by` pieces under several borders would overlap in one GeoJSON.
pub fn geojson_by_borders() -> territory::error::Error {
    territory::error::Error::Usage(
        "area --by -f geojson writes the pieces of one border; with several --within borders use -f json, csv or table, or run once per border".into(),
    )
}

#[derive(Serialize)]
struct JsonBy<'a> {
    layer: &'a str,
    source: &'a str,
    by: &'a str,
    by_source: &'a str,
    unit: &'a str,
    method: &'static str,
    borders: Vec<Map<String, Value>>,
    regions: Vec<Map<String, Value>>,
    spread: Spread,
}

/// `area LAYER --by REGIONS --within A --within B ...`: one row per region,
/// one column per border.
#[allow(clippy::too_many_arguments)]
pub fn write_by(
    mut out: Output,
    context: &[String],
    layer: &Layer,
    regions: &Layer,
    under: &[Under<'_, ByReport>],
    all_regions: bool,
    unit: AreaUnit,
    format: Format,
) -> Result<()> {
    let label = out.label();
    let werr = super::area::write_error(&label);
    let d = unit.table_decimals();
    let area_col = format!("area_{}", unit.suffix());
    let unions: Vec<f64> = under.iter().map(|u| u.report.union_m2).collect();
    let spread = Spread::of(&unions).expect("two borders or more");
    let total = spread_line("total (area of the union)", &spread, unit, under.len());
    // Regions listed: those any border's answer touches (or all).
    let shown: Vec<usize> = (0..regions.regions.len())
        .filter(|&i| all_regions || under.iter().any(|u| u.report.rows[i].area_m2 > 0.0))
        .collect();
    let values =
        |i: usize| -> Vec<f64> { under.iter().map(|u| u.report.rows[i].area_m2).collect() };
    match format {
        Format::Table | Format::Csv => {
            let mut columns = vec!["region_id".to_string(), "region_name".to_string()];
            if format == Format::Table {
                columns.extend(under.iter().map(|u| short_name(u.border)));
            } else {
                columns.extend(
                    under
                        .iter()
                        .map(|u| format!("{area_col}:{}", u.border.name)),
                );
            }
            columns.push("spread_pct".into());
            let mut rows: Vec<Vec<Cell>> = shown
                .iter()
                .map(|&i| {
                    let r = &regions.regions[i];
                    let vals = values(i);
                    value_row(
                        vec![r.id.as_str().into(), r.name.as_str().into()],
                        &vals,
                        unit,
                        d,
                    )
                })
                .collect();
            let outs: Vec<f64> = under.iter().map(|u| u.report.outside_m2).collect();
            rows.push(value_row(
                vec!["(outside)".into(), "in no region".into()],
                &outs,
                unit,
                d,
            ));
            if format == Format::Table {
                rows.push(value_row(
                    vec!["total".into(), "(area of the union)".into()],
                    &unions,
                    unit,
                    d,
                ));
            }
            let mut preamble = context.to_vec();
            preamble.extend(border_lines(under));
            preamble.push(format!("unit:   {}", unit.suffix()));
            let table = Table {
                preamble: if format == Format::Table {
                    preamble
                } else {
                    vec![]
                },
                columns,
                rows,
                footer: vec![total.clone()],
            };
            if format == Format::Table {
                report::table::write(&mut out, &table).map_err(&werr)?;
            } else {
                report::csv::write(&mut out, &table).map_err(|e| werr(e.into()))?;
                territory::note!("territory: {total}");
            }
        }
        Format::Geojson => return Err(geojson_by_borders()),
        Format::Json => {
            let borders = under
                .iter()
                .map(|u| {
                    let mut m = Map::new();
                    m.insert("layer".into(), u.border.name.clone().into());
                    m.insert("source".into(), u.border.source.clone().into());
                    m.insert("union".into(), unit.from_m2(u.report.union_m2).into());
                    m.insert("outside".into(), unit.from_m2(u.report.outside_m2).into());
                    m
                })
                .collect();
            let rows = shown
                .iter()
                .map(|&i| {
                    let r = &regions.regions[i];
                    let vals = values(i);
                    let mut m = Map::new();
                    m.insert("region_id".into(), r.id.clone().into());
                    m.insert("region_name".into(), r.name.clone().into());
                    insert_by_border(&mut m, &area_col, under, &vals, unit);
                    m
                })
                .collect();
            let doc = JsonBy {
                layer: &layer.name,
                source: &layer.source,
                by: &regions.name,
                by_source: &regions.source,
                unit: unit.suffix(),
                method: METHOD,
                borders,
                regions: rows,
                spread: spread.scaled(1.0 / unit.m2_per_unit()),
            };
            report::json::write(&mut out, &doc).map_err(&werr)?;
        }
    }
    out.finish()
}

#[derive(Serialize)]
struct JsonTimeline<'a> {
    unit: &'a str,
    method: &'static str,
    context: &'a [String],
    borders: Vec<Map<String, Value>>,
    dates: Vec<Map<String, Value>>,
}

/// `timeline ... --within A --within B [--by REGIONS]`: the area of the union
/// at each date (and, with REGIONS, in each region touched at that date under
/// some border) under each border, with the spread.
pub fn write_timeline(
    mut out: Output,
    context: &[String],
    under: &[Under<'_, Vec<super::timeline::Snapshot>>],
    regions: Option<&Layer>,
    unit: AreaUnit,
    format: Format,
) -> Result<()> {
    let label = out.label();
    let werr = super::area::write_error(&label);
    let d = unit.table_decimals();
    let area_col = format!("area_{}", unit.suffix());
    /// A row of the report: the whole union, one region, or what lies in
    /// no region (issue #13 item 4, as in one border's timeline).
    #[derive(Clone, Copy)]
    enum Row {
        All,
        Region(usize),
        Outside,
    }
    // (date index, row), in order.
    let mut keys: Vec<(usize, Row)> = Vec::new();
    for k in 0..under[0].report.len() {
        keys.push((k, Row::All));
        if regions.is_some() {
            let mut touched: Vec<usize> = under
                .iter()
                .flat_map(|u| u.report[k].regions.iter().map(|(i, _)| *i))
                .collect();
            touched.sort_unstable();
            touched.dedup();
            keys.extend(touched.into_iter().map(|i| (k, Row::Region(i))));
            keys.push((k, Row::Outside));
        }
    }
    let values = |(k, row): (usize, Row)| -> Vec<f64> {
        under
            .iter()
            .map(|u| match row {
                Row::All => u.report[k].change.area_m2,
                Row::Region(i) => u.report[k]
                    .regions
                    .iter()
                    .find(|(j, _)| *j == i)
                    .map_or(0.0, |(_, c)| c.area_m2),
                Row::Outside => u.report[k].outside.as_ref().map_or(0.0, |c| c.area_m2),
            })
            .collect()
    };
    let region_cells = |row: Row| -> Vec<Cell> {
        match (regions, row) {
            (Some(l), Row::Region(i)) => vec![
                l.regions[i].id.as_str().into(),
                l.regions[i].name.as_str().into(),
            ],
            (Some(_), Row::All) => vec!["(all)".into(), "".into()],
            (Some(_), Row::Outside) => vec!["outside".into(), "in no region".into()],
            _ => vec![],
        }
    };
    let date = |k: usize| under[0].report[k].date.as_str();
    match format {
        Format::Table | Format::Csv => {
            let mut columns = vec!["date".to_string()];
            if regions.is_some() {
                columns.extend(["region_id".to_string(), "region_name".to_string()]);
            }
            if format == Format::Table {
                columns.extend(under.iter().map(|u| short_name(u.border)));
            } else {
                columns.extend(
                    under
                        .iter()
                        .map(|u| format!("{area_col}:{}", u.border.name)),
                );
            }
            columns.push("spread_pct".into());
            let rows = keys
                .iter()
                .map(|&(k, row)| {
                    let mut lead: Vec<Cell> = vec![date(k).into()];
                    lead.extend(region_cells(row));
                    value_row(lead, &values((k, row)), unit, d)
                })
                .collect();
            let mut preamble = context.to_vec();
            preamble.extend(border_lines(under));
            preamble.push(format!(
                "unit:   {} (area of the union at each date)",
                unit.suffix()
            ));
            let table = Table {
                preamble: if format == Format::Table {
                    preamble
                } else {
                    vec![]
                },
                columns,
                rows,
                footer: vec![],
            };
            if format == Format::Table {
                report::table::write(&mut out, &table).map_err(&werr)?;
            } else {
                report::csv::write(&mut out, &table).map_err(|e| werr(e.into()))?;
            }
        }
        Format::Json | Format::Geojson => {
            if format == Format::Geojson {
                return Err(territory::error::Error::Usage(
                    "timeline -f geojson writes one border's snapshots; with several --within borders use -f json, csv or table".into(),
                ));
            }
            let borders = under
                .iter()
                .map(|u| {
                    let mut m = Map::new();
                    m.insert("layer".into(), u.border.name.clone().into());
                    m.insert("source".into(), u.border.source.clone().into());
                    m
                })
                .collect();
            let rows = keys
                .iter()
                .map(|&(k, row)| {
                    let mut m = Map::new();
                    m.insert("date".into(), date(k).into());
                    match (regions, row) {
                        (Some(l), Row::Region(i)) => {
                            m.insert("region_id".into(), l.regions[i].id.clone().into());
                            m.insert("region_name".into(), l.regions[i].name.clone().into());
                        }
                        (Some(_), Row::Outside) => {
                            m.insert("region_id".into(), "outside".into());
                        }
                        _ => {}
                    }
                    insert_by_border(&mut m, &area_col, under, &values((k, row)), unit);
                    m
                })
                .collect();
            let doc = JsonTimeline {
                unit: unit.suffix(),
                method: METHOD,
                context,
                borders,
                dates: rows,
            };
            report::json::write(&mut out, &doc).map_err(&werr)?;
        }
    }
    out.finish()
}
