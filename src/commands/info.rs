//! `territory info LAYER`: what a layer holds, before measuring it.

use std::collections::BTreeMap;

use clap::Args;
use geo::BoundingRect;
use serde::Serialize;

use super::{LayerOpts, OutputOpts};
use crate::error::{Error, Result};
use crate::io::LayerSpec;
use crate::io::output::Output;
use crate::model::Layer;
use crate::report::{self, Cell, Format, Table};

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
    pub out: OutputOpts,
}

/// Summary of a layer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LayerInfo {
    /// The LAYER argument.
    pub layer: String,
    /// Provenance.
    pub source: String,
    /// Number of features.
    pub features: usize,
    /// Geometry type → count of features.
    pub geometry_types: BTreeMap<String, usize>,
    /// Polygons (parts) over all features.
    pub polygons: usize,
    /// `[min_lon, min_lat, max_lon, max_lat]`, absent for an empty layer.
    pub bbox: Option<[f64; 4]>,
    /// Positions as read.
    pub vertices: usize,
    /// Property names in first-seen order.
    pub properties: Vec<String>,
    /// Where ids come from.
    pub id_field: String,
    /// Where names come from.
    pub name_field: Option<String>,
    /// The CRS the file was in (`None`: WGS84 lon/lat); the geometry has been
    /// transformed to WGS84.
    pub source_crs: Option<String>,
    /// Features that fail the validity checks (`None`: not checked, for
    /// built-in layers and `--no-check`).
    pub invalid_features: Option<Vec<String>>,
    /// Features that are not areas, by GeoJSON type (left out of every
    /// measurement; see [`crate::model::Skipped`]).
    pub not_areas: BTreeMap<String, usize>,
}

/// Summarise a layer.
pub fn compute(layer: &Layer) -> LayerInfo {
    let mut types = BTreeMap::new();
    let mut props: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut bbox: Option<[f64; 4]> = None;
    for r in &layer.regions {
        *types.entry(r.geom_type.as_str().to_string()).or_insert(0) += 1;
        for k in r.props.keys() {
            if seen.insert(k.clone()) {
                props.push(k.clone());
            }
        }
        if let Some(rect) = r.geom.bounding_rect() {
            let b = bbox.get_or_insert([rect.min().x, rect.min().y, rect.max().x, rect.max().y]);
            b[0] = b[0].min(rect.min().x);
            b[1] = b[1].min(rect.min().y);
            b[2] = b[2].max(rect.max().x);
            b[3] = b[3].max(rect.max().y);
        }
    }
    LayerInfo {
        layer: layer.name.clone(),
        source: layer.source.clone(),
        features: layer.regions.len(),
        geometry_types: types,
        polygons: layer.regions.iter().map(|r| r.geom.0.len()).sum(),
        bbox,
        vertices: layer.vertex_count(),
        properties: props,
        id_field: layer.id_source.to_string(),
        name_field: layer.name_field.clone(),
        source_crs: layer.src_crs.as_ref().map(ToString::to_string),
        invalid_features: None,
        not_areas: layer.skipped.iter().fold(BTreeMap::new(), |mut m, f| {
            *m.entry(f.geom_type.clone()).or_insert(0) += 1;
            m
        }),
    }
}

/// Run `territory info`.
pub fn run(args: &InfoArgs) -> Result<()> {
    let inputs = super::input_paths(&[&args.layer]);
    let mut out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    // info describes a layer, invalid or not: it reports invalid features
    // instead of stopping (and repairs them first with --repair).
    let opts = &args.layer_opts;
    let layer = if opts.checks.repair {
        super::load_checked(&args.layer, opts)?
    } else {
        super::load(&args.layer, opts)?
    };
    let mut info = compute(&layer);
    if !opts.checks.skips(&args.layer) {
        let invalid = crate::validate::invalid_features(&layer);
        info.invalid_features = Some(invalid.iter().map(ToString::to_string).collect());
    }
    let label = out.label();
    let werr = |source: std::io::Error| Error::Write {
        path: label.clone(),
        source,
    };
    match args.out.format {
        Format::Json | Format::Geojson => report::json::write(&mut out, &info).map_err(werr)?,
        f => {
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
            let table = Table {
                columns: vec!["field".into(), "value".into()],
                rows: rows
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Cell::Int(n) => Cell::Text(n.to_string()),
                            other => other,
                        };
                        vec![k.into(), v]
                    })
                    .collect(),
                ..Table::default()
            };
            if f == Format::Csv {
                report::csv::write(&mut out, &table).map_err(|e| werr(e.into()))?;
            } else {
                report::table::write(&mut out, &table).map_err(werr)?;
            }
        }
    }
    out.finish()
}
