//! The document of `check`: the verdict as readable lines, a CSV row per
//! border, and a JSON document.

use serde::Serialize;

use super::table::group_thousands;
use super::{Cell, Column, Document, Rows};
use crate::borders::Outcome;
use crate::claim::{Judged, Verdict};
use crate::model::{AreaUnit, Claim, ClaimKind, Layer, Tolerance};

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
    spread: Option<crate::borders::Spread>,
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

/// The report of a claim judged on `layer` under `borders` (none: as a
/// whole); `given` is the tolerance as the user gave it (`None`: the
/// default for the claim's kind), `unit` the unit of the report.
pub fn document(
    layer: &Layer,
    borders: &[Layer],
    judged: &Judged,
    claim: Claim,
    given: Option<Tolerance>,
    unit: AreaUnit,
) -> Document<'static> {
    let tolerance = crate::claim::tolerance_for(&claim, given);
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
    let u = unit.suffix();
    let result = outcome.as_str();
    let claim_text = format!(
        "{}{} {u}",
        match claim.kind {
            ClaimKind::About => "",
            ClaimKind::AtLeast => "at least ",
            ClaimKind::AtMost => "at most ",
        },
        unit.from_m2(claim.value.m2)
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
                method: crate::area::METHOD,
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
            lines.push(format!("method:     {}", crate::area::METHOD));
            lines.push(format!(
                "claimed:    {claim_text}, tolerance {tolerance}{}",
                match (claim.kind, given) {
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
                let d = crate::model::Distance { m: band.distance_m };
                lines.push(format!(
                    "tolerance:  {}border ± {d}: {} {u} (moved {d} in) {}, {} {u} (moved {d} out) {}",
                    if several {
                        format!("{}: ", b.map_or(String::new(), crate::borders::short_name))
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
    Document {
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
    }
}

/// The CSV rows of a check: one per border (one without), with the
/// verdict under it, and under each border moved in and out.
fn verdict_rows(
    verdicts: &[(Option<&Layer>, Verdict)],
    bands: &[(crate::borders::Band, Verdict, Verdict)],
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
