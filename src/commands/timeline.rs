//! `territory timeline LAYER...`: how a territory changed between dated
//! snapshots: area of each snapshot's union, area gained and lost since the
//! previous snapshot (geodesic areas of the difference polygons), net and
//! cumulative change; with `--by`, the same region by region.

use clap::Args;
use geo::MultiPolygon;
use serde_json::{Map, Value};

use super::{LayerOpts, OutputOpts};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::model::{AreaUnit, Layer};
use territory::report::{
    Cell, Column, Document, Format, JsonLayout, Row, RowFeature, Rows, Shape, Shown,
};
pub use territory::timeline::{Change, DateOf, Groups, Snapshot, compute, parse_date};

/// Arguments of `territory timeline`.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Snapshots come from several files (one per date: --date for each, in order, or
each feature's date property), or from one file grouped by --date-field. Each
snapshot is the full extent at its date. Dates are ISO 8601 (YYYY-MM-DD; a time
after the date is ignored).

Examples:
  territory timeline data/examples/occupied-illustrative.geojson
  territory timeline data/examples/may-2021.geojson data/examples/nov-2021.geojson --date 2021-05-12 --date 2021-11-16
  territory timeline data/examples/occupied-illustrative.geojson --by builtin:armenia-provinces -f csv"
)]
pub struct TimelineArgs {
    /// Snapshot layers (files, `-`, builtin:NAME)
    #[arg(value_name = "LAYER", required = true)]
    pub layers: Vec<LayerSpec>,
    /// Also draw the area over time (per region with --by) as a line chart:
    /// FILE.svg or FILE.png
    #[arg(long, value_name = "FILE")]
    pub chart: Option<std::path::PathBuf>,
    /// The date of each LAYER, in order (instead of a date property):
    /// YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY or YYYY-MM; 05/12/2021 is refused as
    /// ambiguous
    #[arg(long = "date", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub dates: Vec<String>,
    /// Property that holds each feature's date
    #[arg(long, value_name = "FIELD", default_value = "date")]
    pub date_field: String,
    /// Report the change region by region of this layer
    #[arg(long, value_name = "REGIONS")]
    pub by: Option<LayerSpec>,
    /// Keep only what lies inside the union of this layer (e.g. builtin:armenia);
    /// repeatable: the total at each date under each border, with the spread
    #[arg(long, value_name = "REGIONS")]
    pub within: Vec<LayerSpec>,
    /// Unit for areas
    #[arg(long, value_enum, default_value_t)]
    pub unit: AreaUnit,
    /// Id and name fields, repair.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
    /// Format and destination.
    #[command(flatten)]
    pub out: OutputOpts,
}

/// Run `territory timeline`.
pub fn run(args: &TimelineArgs) -> Result<()> {
    if !args.dates.is_empty() && args.dates.len() != args.layers.len() {
        return Err(Error::Input(format!(
            "{} --date values for {} layers: give one date per layer, in order, or none",
            args.dates.len(),
            args.layers.len()
        )));
    }
    let specs: Vec<&LayerSpec> = args
        .layers
        .iter()
        .chain(args.by.as_ref())
        .chain(&args.within)
        .collect();
    if args.within.len() > 1 && (args.chart.is_some() || args.out.format == Format::Geojson) {
        return Err(Error::Usage(
            "timeline with several --within borders gives the areas under each border as a table, CSV or JSON; --chart and -f geojson take one border (run once per border)".into(),
        ));
    }
    let inputs = super::input_paths(&specs);
    let out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    // Both outputs are opened (and checked) before any work, and the chart is
    // moved into place only after the data: a run that fails writes neither.
    let chart_out = match &args.chart {
        Some(path) => {
            super::render::ImageFormat::of(path)?;
            Some(Output::open(Some(path), &super::as_paths(&inputs))?)
        }
        None => None,
    };
    let plain = args.layer_opts.for_other_layers();
    let borders = super::load_all(&args.within, &plain)?;
    let mask = match borders.as_slice() {
        [one] => Some(one),
        _ => None,
    };
    let mut groups = Groups::new();
    // The geometries as read, for the swapped-axes hint (issue #13 item 5).
    let mut as_read: Vec<MultiPolygon<f64>> = Vec::new();
    for (i, spec) in args.layers.iter().enumerate() {
        let mut layer = super::load_checked(spec, &args.layer_opts)?;
        if mask.is_some() || args.by.is_some() {
            as_read.extend(territory::borders::swap_sample(&layer));
        }
        if let Some(m) = mask {
            layer = territory::area::within(&layer, m);
        }
        let date = match args.dates.get(i) {
            Some(d) => DateOf::Layer(d),
            None => DateOf::Property(&args.date_field),
        };
        territory::timeline::add_layer(&mut groups, layer, date)?;
    }
    let regions = args
        .by
        .as_ref()
        .map(|b| super::load_checked(b, &plain))
        .transpose()?;
    let mut context = vec![format!(
        "layers: {}",
        args.layers
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )];
    if let Some(m) = mask {
        context.push(format!("within: {} ({})", m.name, m.source));
    }
    if let Some(r) = &regions {
        context.push(format!("by:     {} ({})", r.name, r.source));
    }
    context.push(format!("method: {}", territory::area::METHOD));
    if borders.len() > 1 {
        let under: Vec<super::borders::Under<'_, Vec<Snapshot>>> = borders
            .iter()
            .map(|b| {
                let clipped = territory::timeline::clipped_groups(&groups, b);
                super::borders::Under {
                    border: b,
                    layer: Layer {
                        regions: Vec::new(),
                        ..b.clone()
                    },
                    report: compute(&clipped, regions.as_ref()),
                }
            })
            .collect();
        return super::borders::write_timeline(
            out,
            &context,
            &under,
            regions.as_ref(),
            args.unit,
            args.out.format,
        );
    }
    let snaps = compute(&groups, regions.as_ref());
    let names = args
        .layers
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(m) = mask
        && snaps.iter().all(|s| s.change.area_m2 == 0.0)
    {
        super::hint_swapped(&as_read, &names, m);
    }
    if let Some(r) = &regions
        && snaps.iter().any(|s| s.change.area_m2 > 0.0)
        && snaps
            .iter()
            .all(|s| s.regions.iter().all(|(_, c)| c.area_m2 == 0.0))
    {
        super::hint_swapped(&as_read, &names, r);
    }
    let svg = chart_out
        .is_some()
        .then(|| chart(&snaps, regions.as_ref(), args));
    write(out, &context, &snaps, regions.as_ref(), args)?;
    match (chart_out, svg) {
        (Some(c), Some(svg)) => super::render::write_image_to(&svg, c),
        _ => Ok(()),
    }
}

/// The chart of `--chart`: the union's area at each date and, with `--by`,
/// each region that holds some of it at some date.
fn chart(snaps: &[Snapshot], regions: Option<&Layer>, args: &TimelineArgs) -> String {
    use territory::render::{Series, days};
    let unit = args.unit;
    let point = |date: &str, m2: f64| (days(date).unwrap_or(0), unit.from_m2(m2));
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
    let names: Vec<String> = args.layers.iter().map(|l| l.to_string()).collect();
    let title = format!("Area over time: {}", names.join(", "));
    let label = match unit {
        territory::model::AreaUnit::Km2 => "area (km²)".to_string(),
        u => format!("area ({})", u.suffix()),
    };
    territory::render::chart_svg(&title, &label, &series)
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

fn write(
    mut out: Output,
    context: &[String],
    snaps: &[Snapshot],
    regions: Option<&Layer>,
    args: &TimelineArgs,
) -> Result<()> {
    let unit = args.unit;
    let u = unit.suffix();
    let date_cell = |s: &Snapshot| Cell::from(s.date.as_str());
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
                        properties: Map::new(),
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
    let doc = Document {
        preamble: context.to_vec(),
        rows: dates,
        json: JsonLayout::new("snapshots")
            .before("context", context)
            .before("unit", u)
            .before("method", territory::area::METHOD),
        json_rows,
        features: Some(pieces),
        ..Document::default()
    };
    let out_crs = args.out.out_transformer()?;
    super::emit(&mut out, &doc, args.out.format, out_crs.as_ref())?;
    out.finish()
}
