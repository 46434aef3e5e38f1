//! `territory layers`: every built-in layer in every source it comes in, with
//! feature count, source, snapshot, resolution, licence, vertices and area.

use clap::Args;
use serde::Serialize;

use super::OutputOpts;
use territory::data::{self, BUILTINS};
use territory::error::{Error, Result};
use territory::io::ReadOptions;
use territory::io::output::Output;
use territory::report::{self, Cell, Format, Table};

/// Arguments of `territory layers`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory layers
  territory layers -f csv -o layers.csv")]
pub struct LayersArgs {
    /// Format and destination.
    #[command(flatten)]
    pub out: OutputOpts,
}

#[derive(Serialize)]
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
    let mut out = Output::open(args.out.output.as_deref(), &[])?;
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
    let label = out.label();
    let werr = |source: std::io::Error| Error::Write {
        path: label.clone(),
        source,
    };
    match args.out.format {
        Format::Json | Format::Geojson => report::json::write(&mut out, &rows).map_err(werr)?,
        f => {
            let columns = [
                "name",
                "features",
                "vertices",
                "area_km2",
                "source",
                "snapshot",
                "resolution",
                "licence",
                "attribution",
                "description",
            ];
            let cells = |r: &Row| {
                vec![
                    r.name.clone().into(),
                    Cell::Int(r.features as u64),
                    Cell::Int(r.vertices as u64),
                    Cell::Num {
                        value: r.area_km2,
                        decimals: 1,
                    },
                    r.source.into(),
                    r.snapshot.into(),
                    r.resolution.into(),
                    r.licence.into(),
                    r.attribution.into(),
                    r.description.into(),
                ]
            };
            if f == Format::Csv {
                let table = Table {
                    preamble: vec![],
                    columns: columns.map(String::from).to_vec(),
                    rows: rows.iter().map(cells).collect(),
                    footer: vec![],
                };
                report::csv::write(&mut out, &table).map_err(|e| werr(e.into()))?;
            } else {
                let mut preamble = vec![
                    "Built-in layers: builtin:NAME is the first (default) source of each; \
                     builtin:NAME@SOURCE names another."
                        .to_string(),
                ];
                for s in data::SOURCES {
                    preamble.push(format!("  @{:<9} {}", s.key, s.label()));
                }
                let table = Table {
                    preamble,
                    columns: ["name", "features", "vertices", "area_km2", "source key"]
                        .map(String::from)
                        .to_vec(),
                    rows: rows
                        .iter()
                        .map(|r| {
                            let mut c = cells(r);
                            c.truncate(4);
                            let key = data::SOURCES
                                .iter()
                                .find(|s| s.title == r.source)
                                .map_or("", |s| s.key);
                            c.push(format!("@{key}").into());
                            c
                        })
                        .collect(),
                    footer: vec![
                        "OpenStreetMap-derived data: ODbL 1.0, © OpenStreetMap contributors; \
                         results derived from it stay under the ODbL (data/README.md)."
                            .to_string(),
                    ],
                };
                report::table::write(&mut out, &table).map_err(werr)?;
            }
        }
    }
    out.finish()
}
