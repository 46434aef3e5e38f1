//! `territory info LAYER`: what a layer holds, before measuring it.

use clap::Args;

use super::{LayerOpts, TabularOpts};
use territory::error::Result;
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::report::{Cell, Column, Document, Rows};

/// Arguments of `territory info`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory info builtin:caucasus
  territory info data/examples/occupied-illustrative.geojson -f json")]
pub struct InfoArgs {
    /// Polygon layer (file, `-`, or builtin:NAME)
    #[arg(value_name = "LAYER")]
    pub layer: LayerSpec,
    /// Id and name fields.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
    /// Format and destination.
    #[command(flatten)]
    pub out: TabularOpts,
}

/// Run `territory info`.
pub fn run(args: &InfoArgs) -> Result<()> {
    let inputs = super::input_paths(&[&args.layer]);
    let out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    // info describes a layer, invalid or not: it reports invalid features
    // instead of stopping (and repairs them first with --repair).
    let opts = &args.layer_opts;
    let layer = if opts.source.checks.repair {
        super::load_checked(&args.layer, opts)?
    } else {
        super::load(&args.layer, opts)?
    };
    let mut info = layer.info();
    if !opts.source.checks.skips(&args.layer) {
        let invalid = territory::validate::invalid_features(&layer);
        info.invalid_features = Some(invalid.iter().map(ToString::to_string).collect());
    }
    let rows = {
        let types = info
            .geometry_types
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let bbox = info.bbox.map_or("none (empty layer)".to_string(), |b| {
            format!(
                "{}, {}, {}, {} (min lon, min lat, max lon, max lat)",
                b[0], b[1], b[2], b[3]
            )
        });
        let rows: Vec<(&str, Cell)> = vec![
                ("layer", info.layer.clone().into()),
                ("source", info.source.clone().into()),
                ("features", Cell::Int(info.features as u64)),
                ("geometry types", types.into()),
                ("polygons", Cell::Int(info.polygons as u64)),
                (
                    "not areas",
                    if info.not_areas.is_empty() {
                        "none".to_string()
                    } else {
                        let list: Vec<String> =
                            info.not_areas.iter().map(|(k, v)| format!("{k} {v}")).collect();
                        format!("{} (left out of areas, drawn by render)", list.join(", "))
                    }
                    .into(),
                ),
                ("bounding box", bbox.into()),
                ("vertices", Cell::Int(info.vertices as u64)),
                ("properties", info.properties.join(", ").into()),
                ("id from", info.id_field.clone().into()),
                (
                    "name from",
                    info.name_field
                        .as_ref()
                        .map_or("none (names empty)".to_string(), |n| {
                            format!("property {n:?}")
                        })
                        .into(),
                ),
                (
                    "coordinates",
                    info.source_crs
                        .as_ref()
                        .map_or("WGS84 longitude/latitude".to_string(), |c| {
                            format!("read in {c}, transformed to WGS84 by PROJ")
                        })
                        .into(),
                ),
                (
                    "validity",
                    match &info.invalid_features {
                        None => "not checked (built-in layer, or --no-check)".to_string(),
                        Some(v) if v.is_empty() => "every polygon valid".to_string(),
                        Some(v) => format!(
                            "{} invalid feature{}, first: {} (territory validate says more; --repair repairs)",
                            v.len(),
                            if v.len() == 1 { "" } else { "s" },
                            v[0]
                        ),
                    }
                    .into(),
                ),
            ];
        rows
    };
    let mut table = Rows::new(vec![Column::new("field"), Column::new("value")]);
    for (k, v) in rows {
        let v = match v {
            Cell::Int(n) => Cell::Text(n.to_string()),
            other => other,
        };
        table.push(vec![k.into(), v]);
    }
    let doc = Document {
        rows: table,
        json_value: Some(serde_json::to_value(&info).unwrap_or_default()),
        ..Document::default()
    };
    super::emit(out, &doc, args.out.format, None, &[])
}
