//! `territory area LAYER`: geodesic area and perimeter of every feature, and the
//! total as the area of the union (overlaps counted once); `--within` keeps only
//! what lies inside other regions; `--by` reports the union region by region.

use clap::Args;

use super::{LayerOpts, OutputOpts};
use territory::area::{self, ByReport};
use territory::borders::Band;
use territory::crs::{Crs, Transformer};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::model::{AreaUnit, Distance, Layer};
use territory::report::{self, Format};

/// Arguments of `territory area`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory area builtin:armenia-provinces
  territory area data/examples/occupied-illustrative.geojson --unit mi2 -f csv -o areas.csv
  territory area data/examples/occupied-illustrative.geojson --within builtin:armenia
  territory area data/examples/occupied-illustrative.geojson --within builtin:armenia@ne10m --within builtin:armenia
  territory area data/examples/occupied-illustrative.geojson --by builtin:armenia-provinces
  territory area data/examples/occupied-illustrative.geojson --where date=2022-09-13 --dissolve-by date
  cat data/examples/occupied-illustrative.geojson | territory area - -f json")]
pub struct AreaArgs {
    /// Polygon layer: a GeoJSON file, a GeoJSON sequence (.geojsonl/.geojsons/.ndjson), KML or KMZ,
    /// `-` for stdin, or builtin:NAME (see `territory layers`)
    #[arg(value_name = "LAYER")]
    pub layer: LayerSpec,
    /// Report the union of LAYER region by region of this layer (e.g. builtin:armenia-provinces);
    /// only the regions near LAYER are read (a FlatGeobuf's spatial index picks them)
    #[arg(long, value_name = "REGIONS")]
    pub by: Option<LayerSpec>,
    /// With --within: also give the area inside the border moved DIST inward
    /// (certainly inside) and DIST outward (possibly inside), e.g. 500m, 1km
    #[arg(long, value_name = "DIST", requires = "within", conflicts_with = "by")]
    pub border_tolerance: Option<Distance>,
    /// With --by: list every region, also those LAYER does not touch
    #[arg(long, requires = "by")]
    pub all_regions: bool,
    /// Keep only what lies inside the union of this layer (e.g. builtin:armenia).
    /// Repeatable: `--within builtin:armenia@ne10m --within builtin:armenia`
    /// answers under each border side by side, with the spread
    #[arg(long, value_name = "REGIONS")]
    pub within: Vec<LayerSpec>,
    /// Add each feature's planar area in this projected CRS (e.g. EPSG:32638)
    /// beside the geodesic one, with the difference in %: the number a GIS
    /// shows for "area" in that CRS. Needs the `proj` feature
    #[arg(long, value_name = "CRS", conflicts_with = "by")]
    pub planar_crs: Option<Crs>,
    /// Id and name fields, repair.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
    /// Format and destination.
    #[command(flatten)]
    pub out: OutputOpts,
}

/// Run `territory area`.
pub fn run(args: &AreaArgs) -> Result<()> {
    let specs: Vec<&LayerSpec> = std::iter::once(&args.layer)
        .chain(args.by.as_ref())
        .chain(&args.within)
        .collect();
    if args.within.len() > 1 && args.by.is_some() && args.out.format.has_features() {
        return Err(report::borders::geojson_by_borders());
    }
    if args.within.len() > 1 && args.planar_crs.is_some() {
        return Err(Error::Usage(
            "--planar-crs compares one layer's areas; give one --within with it".into(),
        ));
    }
    let inputs = super::input_paths(&specs);
    let out_crs = args.out.out_transformer()?;
    let out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    let mut layer = super::load_checked(&args.layer, &args.layer_opts)?;
    let plain = args.layer_opts.for_other_layers();
    let mut context = vec![
        format!("layer:  {} ({} features)", layer.name, layer.regions.len()),
        format!("source: {}", layer.source),
    ];
    let borders = super::load_all(&args.within, &plain)?;
    // With --border-tolerance: the band under each border, of the unclipped layer.
    let bands: Vec<Option<Band>> = match args.border_tolerance {
        Some(d) => territory::borders::bands(&layer, &borders, d.m)
            .map_err(|e| Error::Input(format!("--border-tolerance: {e}")))?
            .into_iter()
            .map(Some)
            .collect(),
        None => vec![None; borders.len()],
    };
    // The layer as read, for the swapped-axes hint when nothing lies inside
    // (issue #13 item 5).
    let as_read = if borders.is_empty() && args.by.is_none() {
        Vec::new()
    } else {
        territory::borders::swap_sample(&layer)
    };
    let mut band = None;
    if let [mask] = borders.as_slice() {
        context.push(format!("within: {} ({})", mask.name, mask.source));
        band = bands[0];
        layer = area::within(&layer, mask);
    }
    context.push(format!("method: {}", area::METHOD));
    // The regions that can hold any of the layer (all of them to list
    // every one): a FlatGeobuf's spatial index reads only those.
    let near = LayerOpts {
        near: (!args.all_regions)
            .then(|| area::regions_box(&layer, &as_read))
            .flatten(),
        ..plain.clone()
    };
    let regions = args
        .by
        .as_ref()
        .map(|by| super::load_checked(by, &near))
        .transpose()?;
    if let Some(r) = &regions {
        context.insert(2, format!("by:     {} ({})", r.name, r.source));
    }
    if borders.len() > 1 {
        return under_borders(
            out,
            &context,
            &layer,
            regions.as_ref(),
            (&borders, &bands),
            args,
            out_crs,
        );
    }
    match &regions {
        Some(regions) => {
            let rep = area::by_regions(&layer, regions);
            warn_region_overlaps(regions, &rep, args.out.unit);
            if rep.union_m2 > 0.0 && rep.rows.iter().all(|r| r.area_m2 == 0.0) {
                super::hint_swapped(&as_read, &args.layer.to_string(), regions);
            }
            let unit = args.out.unit;
            let doc = report::area::by_document(&context, regions, &rep, unit, args.all_regions);
            super::emit(out, &doc, args.out.format, out_crs.as_ref(), &[Format::Csv])
        }
        None => {
            let mut report = area::compute(&layer);
            report.band = band;
            if let [mask] = borders.as_slice()
                && report.totals.union_m2 == 0.0
            {
                super::hint_swapped(&as_read, &args.layer.to_string(), mask);
            }
            if let Some(crs) = &args.planar_crs {
                let unit = area::add_planar(&layer, &mut report, crs)?;
                context.push(format!(
                    "planar: area of the coordinates projected to {crs} (unit {unit}), for comparison"
                ));
            }
            let doc = report::area::document(&context, &layer, &report, args.out.unit);
            super::emit(out, &doc, args.out.format, out_crs.as_ref(), NOTE_TOTAL)
        }
    }
}

/// The report under each of several `--within` borders.
fn under_borders(
    out: Output,
    context: &[String],
    layer: &Layer,
    regions: Option<&Layer>,
    (borders, bands): (&[Layer], &[Option<Band>]),
    args: &AreaArgs,
    out_crs: Option<Transformer>,
) -> Result<()> {
    let format = args.out.format;
    match regions {
        Some(regions) => {
            let under = area::by_regions_under_each(layer, borders, regions);
            if let Some(first) = under.first() {
                warn_region_overlaps(regions, &first.report, args.out.unit);
            }
            let doc = report::borders::by_document(
                context,
                layer,
                regions,
                &under,
                args.all_regions,
                args.out.unit,
            );
            super::emit(out, &doc, format, None, &[Format::Csv])
        }
        None => {
            let under = area::under_each(layer, borders, bands);
            let doc = report::borders::area_document(context, layer, &under, args.out.unit);
            super::emit(out, &doc, format, out_crs.as_ref(), NOTE_TOTAL)
        }
    }
}

/// Where `area` puts its total line on stderr (CSV and GeoJSON have no
/// place for it; nor have the binary formats, which `emit` knows).
const NOTE_TOTAL: &[Format] = &[Format::Csv, Format::Geojson];

fn warn_region_overlaps(regions: &Layer, rep: &ByReport, unit: AreaUnit) {
    for o in &rep.region_overlaps {
        territory::note!(
            "territory: warning: regions {:?} and {:?} of {} overlap by {:.6} {}; that area is reported under both",
            regions.regions[o.a].id,
            regions.regions[o.b].id,
            regions.name,
            unit.from_m2(o.area_m2),
            unit.suffix()
        );
    }
}
