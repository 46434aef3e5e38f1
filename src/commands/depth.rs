//! `territory depth LAYER --border BORDER [--bands 1,2,5]`: how far each
//! feature reaches inside a border, and its area in distance bands from the
//! border line (the computing is [`territory::depth`]).

use clap::Args;

use super::{LayerOpts, OutputOpts};
use territory::depth::{DepthOptions, depth};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::report;

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
    /// Id and name fields, repair.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
    /// Format and destination.
    #[command(flatten)]
    pub out: OutputOpts,
}

/// Run `territory depth`.
pub fn run(args: &DepthArgs) -> Result<()> {
    if args.out.out_crs.is_some() {
        return Err(Error::Usage(
            "depth writes WGS84 only; --out-crs is not supported here".into(),
        ));
    }
    let inputs = super::input_paths(&[&args.layer, &args.border]);
    let out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    let layer = super::load_checked(&args.layer, &args.layer_opts)?;
    let border = super::load_checked(&args.border, &args.layer_opts.for_other_layers())?;
    let opts = DepthOptions {
        band_edges_m: args.bands.iter().map(|km| km * 1000.0).collect(),
    };
    let found = depth(&layer, &border, &opts).map_err(|e| Error::Usage(format!("depth: {e}")))?;
    let doc = report::depth::document(&layer, &border, &found, args.out.unit);
    super::emit(out, &doc, args.out.format, None, &[])
}
