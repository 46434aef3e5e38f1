//! `territory layers`: the built-in layers, with feature count, source and licence.

use clap::Args;
use serde::Serialize;

use super::OutputOpts;
use crate::data::{self, BUILTINS};
use crate::error::{Error, Result};
use crate::io::ReadOptions;
use crate::io::output::Output;
use crate::report::{self, Cell, Format, Table};

/// Arguments of `territory layers`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Example:
  territory layers -f csv")]
pub struct LayersArgs {
    /// Format and destination.
    #[command(flatten)]
    pub out: OutputOpts,
}

#[derive(Serialize)]
struct Row {
    name: String,
    features: usize,
    description: &'static str,
    source: &'static str,
    licence: &'static str,
}

/// Run `territory layers`.
pub fn run(args: &LayersArgs) -> Result<()> {
    let mut out = Output::open(args.out.output.as_deref(), &[])?;
    let mut rows = Vec::new();
    for b in BUILTINS {
        let layer = data::builtin(b.name, &ReadOptions::default())?;
        rows.push(Row {
            name: format!("builtin:{}", b.name),
            features: layer.regions.len(),
            description: b.description,
            source: data::SOURCE,
            licence: data::LICENCE,
        });
    }
    let label = out.label();
    let werr = |source: std::io::Error| Error::Write {
        path: label.clone(),
        source,
    };
    match args.out.format {
        Format::Json | Format::Geojson => report::json::write(&mut out, &rows).map_err(werr)?,
        f => {
            let table = Table {
                preamble: if f == Format::Table {
                    vec![format!(
                        "source: {}; licence: {}",
                        data::SOURCE,
                        data::LICENCE
                    )]
                } else {
                    vec![]
                },
                columns: ["name", "features", "description", "source", "licence"]
                    .map(String::from)
                    .to_vec(),
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.name.clone().into(),
                            Cell::Int(r.features as u64),
                            r.description.into(),
                            r.source.into(),
                            r.licence.into(),
                        ]
                    })
                    .collect(),
                footer: vec![],
            };
            if f == Format::Csv {
                report::csv::write(&mut out, &table).map_err(|e| werr(e.into()))?;
            } else {
                let short = Table {
                    columns: table.columns[..3].to_vec(),
                    rows: table.rows.iter().map(|r| r[..3].to_vec()).collect(),
                    ..table
                };
                report::table::write(&mut out, &short).map_err(werr)?;
            }
        }
    }
    out.finish()
}
