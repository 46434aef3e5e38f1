//! `territory layers`: every built-in layer in every source it comes in, with
//! feature count, source, snapshot, resolution, licence, vertices and area.

use clap::Args;

use super::TabularOpts;
use territory::data::{self, BUILTINS};
use territory::error::Result;
use territory::io::ReadOptions;
use territory::io::output::Output;
use territory::report::{Cell, Column, Document, JsonLayout, Rows, Shown};

/// Arguments of `territory layers`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory layers
  territory layers -f csv -o layers.csv")]
pub struct LayersArgs {
    /// Format and destination.
    #[command(flatten)]
    pub out: TabularOpts,
}

struct Row {
    name: String,
    default: bool,
    features: usize,
    vertices: usize,
    area_km2: f64,
    description: &'static str,
    source: &'static str,
    snapshot: &'static str,
    resolution: &'static str,
    licence: &'static str,
    attribution: &'static str,
}

/// Run `territory layers`.
pub fn run(args: &LayersArgs) -> Result<()> {
    let out = Output::open(args.out.output.as_deref(), &[])?;
    let mut rows = Vec::new();
    for b in BUILTINS {
        for (i, s) in b.kind.sources().iter().enumerate() {
            let spec = if i == 0 {
                b.name.to_string()
            } else {
                format!("{}@{}", b.name, s.key)
            };
            let layer = data::builtin(&spec, &ReadOptions::default())?;
            let area_m2 = territory::area::sum_m2(&layer);
            rows.push(Row {
                name: layer.name.clone(),
                default: i == 0,
                features: layer.regions.len(),
                vertices: layer.vertex_count(),
                area_km2: area_m2 / 1e6,
                description: b.description,
                source: s.title,
                snapshot: s.snapshot,
                resolution: s.resolution,
                licence: s.licence,
                attribution: s.attribution,
            });
        }
    }
    let both = Shown {
        table: false,
        ..Shown::NOT_GEOJSON
    };
    let mut table = Rows::new(vec![
        Column::new("name"),
        Column::shown("default", Shown::JSON),
        Column::new("features"),
        Column::new("vertices"),
        Column::new("area_km2"),
        Column::shown("description", Shown::JSON),
        Column::shown("source", both),
        Column::shown("snapshot", both),
        Column::shown("resolution", both),
        Column::shown("licence", both),
        Column::shown("attribution", both),
        Column::shown("description", Shown::CSV),
        Column::shown("source key", Shown::TABLE),
    ]);
    for r in &rows {
        let key = data::SOURCES
            .iter()
            .find(|s| s.title == r.source)
            .map_or("", |s| s.key);
        table.push(vec![
            r.name.clone().into(),
            Cell::Bool(r.default),
            Cell::Int(r.features as u64),
            Cell::Int(r.vertices as u64),
            Cell::num(r.area_km2, 1),
            r.description.into(),
            r.source.into(),
            r.snapshot.into(),
            r.resolution.into(),
            r.licence.into(),
            r.attribution.into(),
            r.description.into(),
            format!("@{key}").into(),
        ]);
    }
    let mut preamble = vec![
        "Built-in layers: builtin:NAME is the first (default) source of each; \
         builtin:NAME@SOURCE names another."
            .to_string(),
    ];
    for s in data::SOURCES {
        preamble.push(format!("  @{:<9} {}", s.key, s.label()));
    }
    let doc = Document {
        preamble,
        rows: table,
        footer: vec![
            "OpenStreetMap-derived data: ODbL 1.0, © OpenStreetMap contributors; \
             results derived from it stay under the ODbL (data/README.md)."
                .to_string(),
        ],
        json: JsonLayout::new(""),
        ..Document::default()
    };
    super::emit(out, &doc, args.out.format, None, &[])
}
