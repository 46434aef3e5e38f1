//! `territory depth LAYER --border BORDER [--bands 1,2,5]`: how far each
//! feature reaches inside a border, and its area in distance bands from the
//! border line (the computing is [`territory::depth`]).

use clap::Args;
use serde_json::Map;

use super::{LayerOpts, OutputOpts};
use territory::depth::{BandPiece, DepthOptions, depth};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::model::AreaUnit;
use territory::report::{Cell, Column, Document, JsonLayout, Row, RowFeature, Rows, Shape, Shown};

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
    let found = depth(&layer, &border, &opts).map_err(|e| Error::Usage(format!("depth: {e}")))?;
    let unit = args.unit;
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
    for r in &found {
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
                    properties: Map::new(),
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
                    properties: Map::new(),
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
    let doc = Document {
        preamble: vec![
            format!("layer:  {} ({} features)", layer.name, layer.regions.len()),
            format!("source: {}", layer.source),
            format!("border: {} ({})", border.name, border.source),
            format!("method: {}", territory::depth::METHOD),
        ],
        rows,
        json: JsonLayout::new("features")
            .before("layer", &layer.name)
            .before("source", &layer.source)
            .before("border", &border.name)
            .before("border_source", &border.source)
            .before("unit", u)
            .before("method", territory::depth::METHOD),
        features: Some(pieces),
        ..Document::default()
    };
    super::emit(&mut out, &doc, args.out.format, None)?;
    out.finish()
}
