//! `territory area LAYER`: geodesic area and perimeter of every feature, and the
//! total as the area of the union (overlaps counted once).

use clap::Args;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{LayerOpts, OutputOpts};
use crate::error::{Error, Result};
use crate::io::LayerSpec;
use crate::io::output::Output;
use crate::model::{AreaUnit, Layer};
use crate::overlay::{self, Totals};
use crate::report::{self, Cell, Format, Table, geojson::OutFeature};
use crate::{measure, measure::Measure};

/// Arguments of `territory area`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory area builtin:armenia-provinces
  territory area occupied.geojson --unit mi2 -f csv -o areas.csv
  cat snapshots.geojsonl | territory area - -f json")]
pub struct AreaArgs {
    /// Polygon layer: a GeoJSON file, a GeoJSON sequence (.geojsonl/.geojsons/.ndjson),
    /// `-` for stdin, or builtin:NAME (see `territory layers`)
    #[arg(value_name = "LAYER")]
    pub layer: LayerSpec,
    /// Unit for areas
    #[arg(long, value_enum, default_value_t)]
    pub unit: AreaUnit,
    /// Id and name fields.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
    /// Format and destination.
    #[command(flatten)]
    pub out: OutputOpts,
}

/// One feature's row.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaRow {
    /// 1-based feature index.
    pub index: usize,
    /// Feature id.
    pub id: String,
    /// Feature name.
    pub name: String,
    /// Geodesic area and perimeter.
    pub measure: Measure,
}

/// The whole report: rows and totals, in base units.
#[derive(Debug, Clone)]
pub struct AreaReport {
    /// One row per feature, in source order.
    pub rows: Vec<AreaRow>,
    /// Sum, union and overlap.
    pub totals: Totals,
}

/// Compute the report for a layer.
pub fn compute(layer: &Layer) -> AreaReport {
    let geoms: Vec<_> = layer.regions.iter().map(|r| &r.geom).collect();
    let measures = measure::multi_polygons(&geoms);
    let areas: Vec<f64> = measures.iter().map(|m| m.area_m2).collect();
    let totals = overlay::totals(&geoms, &areas);
    let rows = layer
        .regions
        .iter()
        .zip(measures)
        .map(|(r, measure)| AreaRow {
            index: r.index,
            id: r.id.clone(),
            name: r.name.clone(),
            measure,
        })
        .collect();
    AreaReport { rows, totals }
}

/// Run `territory area`.
pub fn run(args: &AreaArgs) -> Result<()> {
    let inputs = super::input_paths(&[&args.layer]);
    let out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    let layer = super::load(&args.layer, &args.layer_opts)?;
    let report = compute(&layer);
    write(out, &layer, &report, args.unit, args.out.format)
}

fn total_line(t: &Totals, unit: AreaUnit) -> String {
    let d = unit.table_decimals();
    let u = unit.suffix();
    let f = |v: f64| report::table::group_thousands(unit.from_m2(v), d);
    let plural = if t.features == 1 { "" } else { "s" };
    let mut s = format!(
        "total (area of the union of {} feature{plural}): {} {u}",
        t.features,
        f(t.union_m2)
    );
    if t.overlap_m2 != 0.0 {
        s.push_str(&format!(
            "\n  plain sum {} {u}; overlap {} {u} counted once",
            f(t.sum_m2),
            f(t.overlap_m2)
        ));
    }
    s
}

#[derive(Serialize)]
struct JsonTotal {
    features: usize,
    union: f64,
    sum: f64,
    overlap: f64,
    overlapping_pairs: Vec<JsonPair>,
}

#[derive(Serialize)]
struct JsonPair {
    a: String,
    b: String,
    intersection: f64,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    layer: &'a str,
    source: &'a str,
    unit: &'a str,
    method: &'static str,
    features: Vec<Map<String, Value>>,
    total: JsonTotal,
}

/// The ellipsoid and algorithm, stated in every report.
pub const METHOD: &str = "geodesic on the WGS84 ellipsoid (Karney 2013, GeographicLib PolygonArea)";

fn write(
    mut out: Output,
    layer: &Layer,
    rep: &AreaReport,
    unit: AreaUnit,
    format: Format,
) -> Result<()> {
    let area_col = format!("area_{}", unit.suffix());
    let label = out.label();
    let werr = |source: std::io::Error| Error::Write {
        path: label.clone(),
        source,
    };
    let t = &rep.totals;
    match format {
        Format::Table | Format::Csv => {
            let d = unit.table_decimals();
            let table = Table {
                preamble: vec![
                    format!("layer:  {} ({} features)", layer.name, layer.regions.len()),
                    format!("source: {}", layer.source),
                    format!("method: {METHOD}"),
                ],
                columns: vec!["id".into(), "name".into(), area_col, "perimeter_km".into()],
                rows: rep
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.id.as_str().into(),
                            r.name.as_str().into(),
                            Cell::num(unit.from_m2(r.measure.area_m2), d),
                            Cell::num(r.measure.perimeter_m / 1000.0, 3),
                        ]
                    })
                    .collect(),
                footer: vec![total_line(t, unit)],
            };
            if format == Format::Table {
                report::table::write(&mut out, &table).map_err(werr)?;
            } else {
                report::csv::write(&mut out, &table).map_err(|e| werr(e.into()))?;
                eprintln!("territory: {}", total_line(t, unit));
            }
        }
        Format::Json => {
            let features = rep
                .rows
                .iter()
                .map(|r| {
                    let mut m = Map::new();
                    m.insert("index".into(), r.index.into());
                    m.insert("id".into(), r.id.clone().into());
                    m.insert("name".into(), r.name.clone().into());
                    m.insert(area_col.clone(), unit.from_m2(r.measure.area_m2).into());
                    m.insert(
                        "perimeter_km".into(),
                        (r.measure.perimeter_m / 1000.0).into(),
                    );
                    m
                })
                .collect();
            let doc = JsonReport {
                layer: &layer.name,
                source: &layer.source,
                unit: unit.suffix(),
                method: METHOD,
                features,
                total: JsonTotal {
                    features: t.features,
                    union: unit.from_m2(t.union_m2),
                    sum: unit.from_m2(t.sum_m2),
                    overlap: unit.from_m2(t.overlap_m2),
                    overlapping_pairs: t
                        .overlaps
                        .iter()
                        .map(|o| JsonPair {
                            a: layer.regions[o.a].id.clone(),
                            b: layer.regions[o.b].id.clone(),
                            intersection: unit.from_m2(o.area_m2),
                        })
                        .collect(),
                },
            };
            report::json::write(&mut out, &doc).map_err(werr)?;
        }
        Format::Geojson => {
            let feats = layer.regions.iter().zip(&rep.rows).map(|(region, row)| {
                let mut props = region.props.clone();
                props.insert(area_col.clone(), unit.from_m2(row.measure.area_m2).into());
                props.insert(
                    "perimeter_km".into(),
                    (row.measure.perimeter_m / 1000.0).into(),
                );
                OutFeature {
                    id: Some(&region.id),
                    properties: props,
                    geometry: &region.geom,
                }
            });
            report::geojson::write(&mut out, feats).map_err(werr)?;
            eprintln!("territory: {}", total_line(t, unit));
        }
    }
    out.finish()
}
