//! `territory timeline LAYER...`: how a territory changed between dated
//! snapshots: area of each snapshot's union, area gained and lost since the
//! previous snapshot (geodesic areas of the difference polygons), net and
//! cumulative change; with `--by`, the same region by region.

use clap::Args;

use super::{LayerOpts, OutputOpts};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::model::Date;
use territory::report;
pub use territory::timeline::{DateOf, Groups, compute};

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
    #[arg(long = "date", value_name = "YYYY-MM-DD")]
    pub dates: Vec<Date>,
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
    if args.within.len() > 1 && (args.chart.is_some() || args.out.format.has_features()) {
        return Err(Error::Usage(
            "timeline with several --within borders gives the areas under each border as a table, CSV or JSON; --chart and the feature formats (-f geojson, gpkg, fgb, parquet) take one border (run once per border)".into(),
        ));
    }
    let inputs = super::input_paths(&specs);
    let out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    // Both outputs are opened (and checked) before any work, and the chart is
    // moved into place only after the data: a run that fails writes neither.
    let chart_out = match &args.chart {
        Some(path) => {
            territory::render::ImageFormat::of(path)?;
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
    let mut as_read = territory::borders::SwapSample::new();
    for (i, spec) in args.layers.iter().enumerate() {
        let mut layer = super::load_checked(spec, &args.layer_opts)?;
        if mask.is_some() || args.by.is_some() {
            as_read.extend(territory::borders::swap_sample(&layer));
        }
        if let Some(m) = mask {
            layer = territory::area::within(&layer, m);
        }
        let date = match args.dates.get(i) {
            Some(d) => DateOf::Layer(*d),
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
        let under = territory::timeline::under_each(&groups, &borders, regions.as_ref());
        let doc =
            report::borders::timeline_document(&context, &under, regions.as_ref(), args.out.unit);
        return super::emit(out, &doc, args.out.format, None, &[]);
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
    let svg = chart_out.is_some().then(|| {
        let title = format!("Area over time: {names}");
        territory::render::timeline_chart(&snaps, regions.as_ref(), args.out.unit, &title)
    });
    let doc = report::timeline::document(&context, &snaps, regions.as_ref(), args.out.unit);
    let crs = args.out.out_transformer()?;
    super::emit(out, &doc, args.out.format, crs.as_ref(), &[])?;
    match (chart_out, svg) {
        (Some(c), Some(svg)) => super::write_image(&svg, c),
        _ => Ok(()),
    }
}
