//! `territory depth LAYER --border BORDER [--bands 1,2,5]`: how far each
//! feature reaches inside a border, and its area in distance bands from the
//! border line (the computing is [`territory::depth`]).

use clap::Args;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{LayerOpts, OutputOpts};
use territory::depth::{BandPiece, DepthOptions, DepthRow, depth};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::model::AreaUnit;
use territory::report::{self, Cell, Format, Table};

/// Arguments of `territory depth`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory depth data/examples/occupied-illustrative.geojson --border builtin:armenia
  territory depth data/examples/occupied-illustrative.geojson --border builtin:armenia@ne10m --bands 0.5,1,2,5 -f csv
  territory depth data/examples/occupied-illustrative.geojson --border builtin:armenia -f geojson -o depth.geojson

Max depth is the largest geodesic distance from BORDER's boundary line of any
point of the feature inside BORDER; bands split the area inside by that distance.")]
pub struct DepthArgs {
    /// Polygon layer (file, `-`, or builtin:NAME)
    #[arg(value_name = "LAYER")]
    pub layer: LayerSpec,
    /// The border the depth is measured from (its union), e.g. builtin:armenia
    #[arg(long, value_name = "BORDER")]
    pub border: LayerSpec,
    /// Band edges in km, increasing: 1,2,5 gives 0-1, 1-2, 2-5 and 5+ km
    #[arg(long, value_name = "KM,...", value_delimiter = ',', default_values_t = [1.0, 2.0, 5.0])]
    pub bands: Vec<f64>,
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

/// "0_1km", "5km_plus": a band's part of a column name.
fn band_key(b: &BandPiece) -> String {
    let km = |m: f64| format!("{}", m / 1000.0).replace('.', "p");
    match b.to_m {
        Some(to) => format!("{}_{}km", km(b.from_m), km(to)),
        None => format!("{}km_plus", km(b.from_m)),
    }
}

#[derive(Serialize)]
struct JsonDepth<'a> {
    layer: &'a str,
    source: &'a str,
    border: &'a str,
    border_source: &'a str,
    unit: &'a str,
    method: &'static str,
    features: Vec<Map<String, Value>>,
}

const METHOD: &str = "max depth: geodesic distance (Karney) to the border line, grid search + refinement; bands: geodesic buffers of the border in a local azimuthal equidistant frame";

/// Run `territory depth`.
pub fn run(args: &DepthArgs) -> Result<()> {
    if args.out.out_crs.is_some() {
        return Err(Error::Usage(
            "depth writes WGS84 only; --out-crs is not supported here".into(),
        ));
    }
    let inputs = super::input_paths(&[&args.layer, &args.border]);
    let mut out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    let layer = super::load_checked(&args.layer, &args.layer_opts)?;
    let border = super::load_checked(&args.border, &args.layer_opts.for_other_layers())?;
    let opts = DepthOptions {
        band_edges_m: args.bands.iter().map(|km| km * 1000.0).collect(),
    };
    let rows = depth(&layer, &border, &opts).map_err(|e| Error::Usage(format!("depth: {e}")))?;
    let unit = args.unit;
    let u = unit.suffix();
    let label = out.label();
    let werr = super::area::write_error(&label);
    let number = |r: &DepthRow| -> Vec<(String, Value)> {
        let mut v: Vec<(String, Value)> = vec![
            (format!("inside_{u}"), unit.from_m2(r.inside_m2).into()),
            ("max_depth_km".into(), (r.max_depth_m / 1000.0).into()),
            (
                "deepest_lat".into(),
                r.deepest.map_or(Value::Null, |c| c.y.into()),
            ),
            (
                "deepest_lon".into(),
                r.deepest.map_or(Value::Null, |c| c.x.into()),
            ),
        ];
        v.extend(r.bands.iter().map(|b| {
            (
                format!("band_{}_{u}", band_key(b)),
                unit.from_m2(b.area_m2).into(),
            )
        }));
        v
    };
    match args.out.format {
        Format::Table | Format::Csv => {
            let d = unit.table_decimals();
            let mut columns = vec!["id".to_string(), "name".to_string()];
            if let Some(r) = rows.first() {
                columns.extend(number(r).into_iter().map(|(k, _)| k));
            }
            let table = Table {
                preamble: vec![
                    format!("layer:  {} ({} features)", layer.name, layer.regions.len()),
                    format!("source: {}", layer.source),
                    format!("border: {} ({})", border.name, border.source),
                    format!("method: {METHOD}"),
                ],
                columns,
                rows: rows
                    .iter()
                    .map(|r| {
                        let mut row: Vec<Cell> = vec![r.id.as_str().into(), r.name.as_str().into()];
                        row.push(Cell::num(unit.from_m2(r.inside_m2), d));
                        row.push(Cell::num(r.max_depth_m / 1000.0, 3));
                        for c in [r.deepest.map(|c| c.y), r.deepest.map(|c| c.x)] {
                            row.push(c.map_or(Cell::from(""), |v| Cell::num(v, 5)));
                        }
                        row.extend(
                            r.bands
                                .iter()
                                .map(|b| Cell::num(unit.from_m2(b.area_m2), d)),
                        );
                        row
                    })
                    .collect(),
                footer: vec![],
            };
            if args.out.format == Format::Table {
                report::table::write(&mut out, &table).map_err(&werr)?;
            } else {
                let table = Table {
                    preamble: vec![],
                    ..table
                };
                report::csv::write(&mut out, &table).map_err(|e| werr(e.into()))?;
            }
        }
        Format::Json => {
            let features = rows
                .iter()
                .map(|r| {
                    let mut m = Map::new();
                    m.insert("index".into(), r.index.into());
                    m.insert("id".into(), r.id.clone().into());
                    m.insert("name".into(), r.name.clone().into());
                    m.extend(number(r));
                    m
                })
                .collect();
            let doc = JsonDepth {
                layer: &layer.name,
                source: &layer.source,
                border: &border.name,
                border_source: &border.source,
                unit: u,
                method: METHOD,
                features,
            };
            report::json::write(&mut out, &doc).map_err(&werr)?;
        }
        Format::Geojson => {
            let mut feats: Vec<Map<String, Value>> = Vec::new();
            for r in &rows {
                for b in &r.bands {
                    if b.geom.0.is_empty() {
                        continue;
                    }
                    let mut props = Map::new();
                    props.insert("id".into(), r.id.clone().into());
                    props.insert("name".into(), r.name.clone().into());
                    props.insert("kind".into(), "band".into());
                    props.insert("band".into(), band_key(b).into());
                    props.insert("from_km".into(), (b.from_m / 1000.0).into());
                    props.insert(
                        "to_km".into(),
                        b.to_m.map_or(Value::Null, |t| (t / 1000.0).into()),
                    );
                    props.insert(format!("area_{u}"), unit.from_m2(b.area_m2).into());
                    feats.push(feature(props, report::geojson::geometry_json(&b.geom)));
                }
                if let Some(c) = r.deepest {
                    let mut props = Map::new();
                    props.insert("id".into(), r.id.clone().into());
                    props.insert("name".into(), r.name.clone().into());
                    props.insert("kind".into(), "deepest".into());
                    props.insert("max_depth_km".into(), (r.max_depth_m / 1000.0).into());
                    let point = serde_json::json!({"type": "Point", "coordinates": [c.x, c.y]});
                    feats.push(feature(props, point));
                }
            }
            report::geojson::write_values(&mut out, feats).map_err(&werr)?;
        }
    }
    out.finish()
}

fn feature(properties: Map<String, Value>, geometry: Value) -> Map<String, Value> {
    let mut f = Map::new();
    f.insert("type".into(), "Feature".into());
    f.insert("properties".into(), Value::Object(properties));
    f.insert("geometry".into(), geometry);
    f
}
