//! `territory check LAYER --claim "215 km2"`: does a published figure hold?
//! Exit 0 when it does (PASS), 3 when it does not (FAIL), 4 when the borders
//! given with several `--within` disagree (INCONCLUSIVE).

use clap::Args;

use super::{LayerOpts, TabularOpts};
use territory::borders::Outcome;
use territory::claim::{self};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::model::{AreaUnit, Claim, Tolerance};
use territory::report;

/// Arguments of `territory check`.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Claims: \"215 km2\" (about: within the tolerance), \">=215 km2\" or \"at least 215 km2\",
\"<=83 sq mi\" or \"at most 83 sq mi\"; units km2 (km²), m2, ha, mi2 (sq mi), acre.

Examples:
  territory check data/examples/occupied-illustrative.geojson --claim \"215 km2\" --tolerance 5% --within builtin:armenia
  territory check data/examples/occupied-illustrative.geojson --claim \"at least 150 km2\" --within builtin:armenia -f json
  territory check data/examples/occupied-illustrative.geojson --claim \"215 km2\" --within builtin:armenia@ne10m --within builtin:armenia

With several --within borders the claim is judged under each: PASS when it holds
under all, FAIL when under none, INCONCLUSIVE when they disagree. With
--border-tolerance DIST it is judged also with each border moved DIST in and out.

Exit codes: 0 PASS, 3 FAIL, 4 INCONCLUSIVE, 1 error, 2 usage."
)]
pub struct CheckArgs {
    /// Polygon layer (file, `-`, or builtin:NAME)
    #[arg(value_name = "LAYER")]
    pub layer: LayerSpec,
    /// The claimed area, e.g. "215 km2", "83 sq mi", ">=215 km2"
    #[arg(long, value_name = "AREA")]
    pub claim: Claim,
    /// Allowed difference: a percentage of the claim ("5%") or an area ("10 km2")
    /// [default: 5% for "about" claims; none for "at least" / "at most"]
    #[arg(long, value_name = "TOL")]
    pub tolerance: Option<Tolerance>,
    /// Measure only what lies inside the union of this layer (e.g. builtin:armenia);
    /// repeatable: the claim is then judged under each border
    #[arg(long, value_name = "REGIONS")]
    pub within: Vec<LayerSpec>,
    /// With --within: judge the claim also with the border moved DIST inward
    /// and outward (e.g. 500m, 1km); INCONCLUSIVE when that changes the verdict
    #[arg(long, value_name = "DIST", requires = "within")]
    pub border_tolerance: Option<territory::model::Distance>,
    /// Unit for the report [default: the claim's unit]
    #[arg(long, value_enum)]
    pub unit: Option<AreaUnit>,
    /// Id and name fields, repair.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
    /// Format and destination.
    #[command(flatten)]
    pub out: TabularOpts,
}

/// Run `territory check`: the outcome (PASS, FAIL, or INCONCLUSIVE when
/// several borders disagree).
pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let tolerance = claim::tolerance_for(&args.claim, args.tolerance);
    let specs: Vec<&LayerSpec> = std::iter::once(&args.layer).chain(&args.within).collect();
    let inputs = super::input_paths(&specs);
    let out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    let layer = super::load_checked(&args.layer, &args.layer_opts)?;
    let plain = args.layer_opts.for_other_layers();
    let borders = super::load_all(&args.within, &plain)?;
    let judged = claim::judge(
        &layer,
        &borders,
        args.claim,
        tolerance,
        args.border_tolerance.map(|d| d.m),
    )
    .map_err(|e| Error::Input(format!("--border-tolerance: {e}")))?;
    for (b, v) in borders.iter().zip(&judged.verdicts) {
        if v.computed_m2 == 0.0 {
            super::hint_swapped(
                &territory::borders::swap_sample(&layer),
                &args.layer.to_string(),
                b,
            );
        }
    }
    let doc = report::claim::document(
        &layer,
        &borders,
        &judged,
        args.claim,
        args.tolerance,
        args.unit.unwrap_or(args.claim.value.unit),
    );
    super::emit(out, &doc, args.out.format, None, &[])?;
    Ok(judged.outcome)
}
