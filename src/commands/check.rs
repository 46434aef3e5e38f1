//! `territory check LAYER --claim "215 km2"`: does a published figure hold?
//! Exit 0 when it does (PASS), 3 when it does not (FAIL), 4 when the borders
//! given with several `--within` disagree (INCONCLUSIVE).

use clap::Args;
use serde::Serialize;

use super::{LayerOpts, TabularOpts};
use territory::borders::Outcome;
use territory::claim::{self, Verdict};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::model::{AreaUnit, Claim, ClaimKind, Layer, Tolerance};
use territory::report::{Cell, Column, Document, Rows, table::group_thousands};

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

#[derive(Serialize)]
struct JsonUnder {
    within: String,
    source: String,
    computed: f64,
    difference: f64,
    difference_pct: f64,
    result: &'static str,
}

#[derive(Serialize)]
struct JsonVerdict<'a> {
    layer: &'a str,
    source: &'a str,
    within: Option<String>,
    unit: &'a str,
    method: &'static str,
    claim: String,
    tolerance: String,
    computed: f64,
    claimed: f64,
    low: Option<f64>,
    high: Option<f64>,
    difference: f64,
    difference_pct: f64,
    result: &'static str,
    /// With several borders: the verdict under each (the figures above are
    /// the first border's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    borders: Vec<JsonUnder>,
    /// With several borders: the spread of the computed area.
    #[serde(skip_serializing_if = "Option::is_none")]
    spread: Option<territory::borders::Spread>,
    /// With --border-tolerance: under each border, the area with the border
    /// moved in and out and the verdict on each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    border_tolerance: Vec<JsonBand>,
}

#[derive(Serialize)]
struct JsonBand {
    within: String,
    distance_m: f64,
    inner: f64,
    inner_result: &'static str,
    outer: f64,
    outer_result: &'static str,
}

/// Run `territory check`: the outcome (PASS, FAIL, or INCONCLUSIVE when
/// several borders disagree).
pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let tolerance = claim::tolerance_for(&args.claim, args.tolerance);
    let specs: Vec<&LayerSpec> = std::iter::once(&args.layer).chain(&args.within).collect();
    let inputs = super::input_paths(&specs);
    let mut out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
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
    let outcome = judged.outcome;
    let bands = &judged.bands;
    let verdicts: Vec<(Option<&Layer>, Verdict)> = if borders.is_empty() {
        vec![(None, judged.verdicts[0])]
    } else {
        borders
            .iter()
            .map(Some)
            .zip(judged.verdicts.iter().copied())
            .collect()
    };
    let verdict = verdicts[0].1;
    let within = verdicts[0].0.map(|b| format!("{} ({})", b.name, b.source));
    let several = verdicts.len() > 1;
    let spread = judged.spread;
    let unit = args.unit.unwrap_or(args.claim.value.unit);
    let u = unit.suffix();
    let result = outcome.as_str();
    let claim_text = format!(
        "{}{} {u}",
        match args.claim.kind {
            ClaimKind::About => "",
            ClaimKind::AtLeast => "at least ",
            ClaimKind::AtMost => "at most ",
        },
        unit.from_m2(args.claim.value.m2)
    );
    let f = |v: f64| group_thousands(unit.from_m2(v), unit.table_decimals());
    let signed = |v: f64| format!("{}{}", if v >= 0.0 { "+" } else { "" }, f(v));
    let json_doc = {
        {
            let doc = JsonVerdict {
                layer: &layer.name,
                source: &layer.source,
                within: within.clone(),
                unit: u,
                method: territory::area::METHOD,
                claim: claim_text.clone(),
                tolerance: tolerance.to_string(),
                computed: unit.from_m2(verdict.computed_m2),
                claimed: unit.from_m2(verdict.claimed_m2),
                low: verdict.low_m2.map(|v| unit.from_m2(v)),
                high: verdict.high_m2.map(|v| unit.from_m2(v)),
                difference: unit.from_m2(verdict.difference_m2()),
                difference_pct: verdict.difference_pct(),
                result,
                borders: if several {
                    verdicts
                        .iter()
                        .filter_map(|(b, v)| {
                            b.map(|b| JsonUnder {
                                within: b.name.clone(),
                                source: b.source.clone(),
                                computed: unit.from_m2(v.computed_m2),
                                difference: unit.from_m2(v.difference_m2()),
                                difference_pct: v.difference_pct(),
                                result: pass_text(v),
                            })
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                spread: spread.map(|s| s.scaled(1.0 / unit.m2_per_unit())),
                border_tolerance: bands
                    .iter()
                    .zip(&verdicts)
                    .map(|((band, inner, outer), (b, _))| JsonBand {
                        within: b.map_or(String::new(), |b| b.name.clone()),
                        distance_m: band.distance_m,
                        inner: unit.from_m2(band.inner_m2),
                        inner_result: pass_text(inner),
                        outer: unit.from_m2(band.outer_m2),
                        outer_result: pass_text(outer),
                    })
                    .collect(),
            };
            serde_json::to_value(doc).unwrap_or_default()
        }
    };
    let lines = {
        {
            let bounds = match (verdict.low_m2, verdict.high_m2) {
                (Some(l), Some(h)) => format!("{} to {} {u}", f(l), f(h)),
                (Some(l), None) => format!("at least {} {u}", f(l)),
                (None, Some(h)) => format!("at most {} {u}", f(h)),
                (None, None) => "any".into(),
            };
            let mut lines = vec![
                format!(
                    "layer:      {} ({} features)",
                    layer.name,
                    layer.regions.len()
                ),
                format!("source:     {}", layer.source),
            ];
            if !several && let Some(w) = &within {
                lines.push(format!("within:     {w}"));
            }
            lines.push(format!("method:     {}", territory::area::METHOD));
            lines.push(format!(
                "claimed:    {claim_text}, tolerance {tolerance}{}",
                match (args.claim.kind, args.tolerance) {
                    (ClaimKind::About, None) => " (the default for an \"about\" claim)",
                    (_, None) => " (a one-sided claim is tested as written; --tolerance widens it)",
                    _ => "",
                }
            ));
            lines.push(format!("passes if:  {bounds}"));
            if several {
                for (i, (b, v)) in verdicts.iter().enumerate() {
                    let b = b.expect("a border");
                    lines.push(format!("border {}:   {} ({})", i + 1, b.name, b.source));
                    lines.push(format!(
                        "  computed  {} {u} (area of the union), difference {} {u} ({:+.2}%): {}",
                        f(v.computed_m2),
                        signed(v.difference_m2()),
                        v.difference_pct(),
                        pass_text(v)
                    ));
                }
                if let Some(s) = &spread {
                    lines.push(super::borders::spread_line(
                        "computed",
                        s,
                        unit,
                        verdicts.len(),
                    ));
                }
            } else {
                lines.push(format!(
                    "computed:   {} {u} (area of the union)",
                    f(verdict.computed_m2)
                ));
                lines.push(format!(
                    "difference: {} {u} ({:+.2}%)",
                    signed(verdict.difference_m2()),
                    verdict.difference_pct()
                ));
            }
            for ((band, inner, outer), (b, _)) in bands.iter().zip(&verdicts) {
                let d = territory::model::Distance { m: band.distance_m };
                lines.push(format!(
                    "tolerance:  {}border ± {d}: {} {u} (moved {d} in) {}, {} {u} (moved {d} out) {}",
                    if several {
                        format!("{}: ", b.map_or(String::new(), territory::borders::short_name))
                    } else {
                        String::new()
                    },
                    f(band.inner_m2),
                    pass_text(inner),
                    f(band.outer_m2),
                    pass_text(outer)
                ));
            }
            lines.push(format!(
                "result:     {result}{}",
                if outcome == Outcome::Inconclusive {
                    if bands.is_empty() {
                        " (the claim holds under some borders and not under others)"
                    } else {
                        " (the claim holds under some borders or border positions and not under others)"
                    }
                } else {
                    ""
                }
            ));
            lines
        }
    };
    let doc = Document {
        preamble: lines,
        csv: Some(verdict_rows(
            &verdicts,
            bands,
            &claim_text,
            tolerance,
            unit,
            outcome,
        )),
        json_value: Some(json_doc),
        ..Document::default()
    };
    super::emit(&mut out, &doc, args.out.format, None)?;
    out.finish()?;
    Ok(outcome)
}

/// The CSV rows of a check: one per border (one without), with the
/// verdict under it, and under each border moved in and out.
fn verdict_rows(
    verdicts: &[(Option<&Layer>, Verdict)],
    bands: &[(territory::borders::Band, Verdict, Verdict)],
    claim: &str,
    tolerance: Tolerance,
    unit: AreaUnit,
    outcome: Outcome,
) -> Rows<'static> {
    let u = unit.suffix();
    let d = unit.table_decimals();
    let mut columns: Vec<Column> = ["within", "within_source", "claim", "tolerance"]
        .map(Column::new)
        .to_vec();
    columns.extend(
        ["computed", "claimed", "low", "high", "difference"]
            .map(|c| Column::new(format!("{c}_{u}"))),
    );
    columns.extend(["difference_pct", "result"].map(Column::new));
    if !bands.is_empty() {
        columns.push(Column::new("border_tolerance_m"));
        columns.extend([
            Column::new(format!("inner_{u}")),
            Column::new("inner_result"),
            Column::new(format!("outer_{u}")),
            Column::new("outer_result"),
        ]);
    }
    columns.push(Column::new("outcome"));
    let mut rows = Rows::new(columns);
    let area = |v: f64| Cell::num(unit.from_m2(v), d);
    for (k, (b, v)) in verdicts.iter().enumerate() {
        let mut cells = vec![
            b.map_or(Cell::Null, |b| b.name.as_str().into()),
            b.map_or(Cell::Null, |b| b.source.as_str().into()),
            claim.into(),
            tolerance.to_string().into(),
            area(v.computed_m2),
            area(v.claimed_m2),
            Cell::opt(v.low_m2.map(|x| unit.from_m2(x)), d),
            Cell::opt(v.high_m2.map(|x| unit.from_m2(x)), d),
            area(v.difference_m2()),
            Cell::num(v.difference_pct(), 2),
            pass_text(v).into(),
        ];
        if let Some((band, inner, outer)) = bands.get(k) {
            cells.extend([
                Cell::num(band.distance_m, 0),
                area(band.inner_m2),
                pass_text(inner).into(),
                area(band.outer_m2),
                pass_text(outer).into(),
            ]);
        }
        cells.push(outcome.as_str().into());
        rows.push(cells);
    }
    rows
}

fn pass_text(v: &Verdict) -> &'static str {
    if v.pass() { "PASS" } else { "FAIL" }
}
