//! `territory validate LAYER...`: every problem of every feature, located; and
//! `--repair`: a repaired copy (even-odd rule as MakeValid, RFC 7946 winding, repeated vertices
//! removed) with what changed per feature.

use clap::{Args, ValueEnum};
use serde_json::Value;

use super::LayerOpts;
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::report::{Cell, Column, Document, Format, Rows};
use territory::validate::{Diagnostic, Severity, diagnose};

/// Output format of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ValidateFormat {
    /// one line per finding
    #[default]
    Table,
    /// a JSON object: error and warning counts, and the findings
    Json,
}

/// Arguments of `territory validate`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory validate data/examples/occupied-illustrative.geojson
  territory validate data/examples/may-2021.geojson data/examples/nov-2021.geojson -f json
  territory validate data/examples/invalid-bowtie.geojson --repair -o fixed.geojson
  territory validate data/examples/invalid-bowtie.geojson --repair -o fixed.gpkg

Exit codes: 0 no errors (warnings allowed), 1 errors found or bad input.")]
pub struct ValidateArgs {
    /// Layers to check (files, `-`, builtin:NAME)
    #[arg(value_name = "LAYER", required = true)]
    pub layers: Vec<LayerSpec>,
    /// Format of the findings
    #[arg(short, long, value_enum, default_value_t)]
    pub format: ValidateFormat,
    /// Write to FILE (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Id and name fields; `--repair` writes a repaired copy of the (single)
    /// LAYER — GeoJSON, or GeoPackage, FlatGeobuf or GeoParquet when `-o`
    /// ends in .gpkg, .fgb or .parquet: invalid polygons rebuilt by the even-odd rule (as MakeValid), counterclockwise
    /// exteriors and clockwise holes, repeated vertices removed.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
}

/// Run `territory validate`; `Ok(false)` when errors were found.
pub fn run(args: &ValidateArgs) -> Result<bool> {
    let inputs = super::input_paths(&args.layers.iter().collect::<Vec<_>>());
    let out = Output::open(args.output.as_deref(), &super::as_paths(&inputs))?;
    if args.layer_opts.source.checks.repair {
        if args.layers.len() != 1 {
            return Err(Error::Input("--repair takes exactly one LAYER".into()));
        }
        repair(out, &args.layers[0], &args.layer_opts)?;
        return Ok(true);
    }
    let mut all: Vec<(String, Diagnostic)> = Vec::new();
    let mut counts = Vec::new();
    for spec in &args.layers {
        let (label, values) =
            territory::data::read_features(spec, &args.layer_opts.read_options())?;
        let found = diagnose(&values, true);
        counts.push((label.clone(), values.len()));
        all.extend(found.into_iter().map(|d| (label.clone(), d)));
    }
    let errors = all
        .iter()
        .filter(|(_, d)| d.severity == Severity::Error)
        .count();
    let warnings = all.len() - errors;
    let items: Vec<Value> = all
        .iter()
        .map(|(layer, d)| {
            let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
            v["layer"] = layer.clone().into();
            v
        })
        .collect();
    let mut rows = Rows::new(
        [
            "layer", "severity", "feature", "id", "where", "lon,lat", "problem",
        ]
        .map(Column::new)
        .to_vec(),
    );
    for (layer, d) in &all {
        rows.push(vec![
            Cell::from(layer.as_str()),
            Cell::from(if d.severity == Severity::Error {
                "error"
            } else {
                "warning"
            }),
            Cell::from(d.feature.to_string()),
            Cell::from(d.id.clone().unwrap_or_default()),
            Cell::from(d.place()),
            Cell::from(
                d.coordinates
                    .map_or(String::new(), |[x, y]| format!("{x},{y}")),
            ),
            Cell::from(format!("{}: {}", d.code, d.message)),
        ]);
    }
    let (rows, footer) = if all.is_empty() {
        (Rows::default(), "no problems found".to_string())
    } else {
        (rows, format!("{errors} errors, {warnings} warnings"))
    };
    let doc = Document {
        preamble: counts
            .iter()
            .map(|(l, n)| format!("layer: {l} ({n} features)"))
            .collect(),
        rows,
        footer: vec![footer],
        json_value: Some(
            serde_json::json!({"errors": errors, "warnings": warnings, "findings": items}),
        ),
        ..Document::default()
    };
    let format = match args.format {
        ValidateFormat::Table => Format::Table,
        ValidateFormat::Json => Format::Json,
    };
    super::emit(out, &doc, format, None, &[])?;
    Ok(errors == 0)
}

/// Repair one layer and write it as GeoJSON; say on stderr what changed.
fn repair(out: Output, spec: &LayerSpec, opts: &LayerOpts) -> Result<()> {
    let mut layer = territory::data::load_layer(spec, &opts.read_options())?;
    let mut changed = 0;
    for r in &mut layer.regions {
        let t = territory::validate::tidy(r);
        if t.changed() {
            changed += 1;
            let mut what = Vec::new();
            if t.repeated_removed > 0 {
                what.push(format!("{} repeated vertices removed", t.repeated_removed));
            }
            if t.made_valid {
                what.push("made valid (even-odd rule)".into());
            }
            if t.reoriented {
                what.push("rings reoriented (RFC 7946)".into());
            }
            territory::note!(
                "territory: feature {} (id {:?}): {}; area {:.6} -> {:.6} km²",
                r.index,
                r.id,
                what.join(", "),
                t.before_m2 / 1e6,
                t.after_m2 / 1e6
            );
        }
    }
    territory::note!(
        "territory: {}: {changed} of {} features changed",
        layer.name,
        layer.regions.len()
    );
    let doc = Document {
        features: Some(Rows::of_layer(&layer)),
        ..Document::default()
    };
    let format = super::format_for_output(&out).unwrap_or(Format::Geojson);
    super::emit(out, &doc, format, None, &[])
}
