//! Claim checks: is a published figure ("at least 215 km2") borne out by a
//! layer, under one border or several, and with the border moved in and out?
//!
//! # Examples
//!
//! The illustrative occupied-area layer shipped with the tool, inside
//! Armenia's 10 m outline, against the widely cited "at least 215 km²":
//!
//! ```
//! use territory::claim::{self, Claim};
//! let layer = territory::open(&"data/examples/occupied-illustrative.geojson".parse().unwrap(), &Default::default())?;
//! let armenia = territory::open(&"builtin:armenia".parse().unwrap(), &Default::default())?;
//! let claim: Claim = "at least 215 km2".parse().unwrap();
//! let judged = claim::judge(&layer, &[armenia], claim, claim::tolerance_for(&claim, None), None).unwrap();
//! // 191.1 km² of the sample lies inside the border: the claim fails.
//! assert!((judged.verdicts[0].computed_m2 / 1e6 - 191.1).abs() < 0.1);
//! assert_eq!(judged.outcome, territory::borders::Outcome::Fail);
//! # Ok::<(), territory::Error>(())
//! ```

use crate::borders::{self, Band, Outcome, Spread};
use crate::model::Layer;
pub use crate::model::{Claim, ClaimKind, Tolerance};

/// The verdict on a claim, in m².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// Area of the union (inside `--within` when given).
    pub computed_m2: f64,
    /// The claimed value.
    pub claimed_m2: f64,
    /// Lowest computed value that passes (`None`: no lower bound).
    pub low_m2: Option<f64>,
    /// Highest computed value that passes (`None`: no upper bound).
    pub high_m2: Option<f64>,
}

impl Verdict {
    /// Judge `computed_m2` against a claim and tolerance.
    pub fn new(computed_m2: f64, claim: Claim, tolerance: Tolerance) -> Verdict {
        let c = claim.value.m2;
        let tol = tolerance.allowed_m2(c);
        let (low_m2, high_m2) = match claim.kind {
            ClaimKind::About => (Some(c - tol), Some(c + tol)),
            ClaimKind::AtLeast => (Some(c - tol), None),
            ClaimKind::AtMost => (None, Some(c + tol)),
        };
        Verdict {
            computed_m2,
            claimed_m2: c,
            low_m2,
            high_m2,
        }
    }

    /// True when the computed area is within the bounds.
    pub fn pass(&self) -> bool {
        self.low_m2.is_none_or(|l| self.computed_m2 >= l)
            && self.high_m2.is_none_or(|h| self.computed_m2 <= h)
    }

    /// computed − claimed, m².
    pub fn difference_m2(&self) -> f64 {
        self.computed_m2 - self.claimed_m2
    }

    /// computed − claimed, percent of the claim.
    pub fn difference_pct(&self) -> f64 {
        100.0 * self.difference_m2() / self.claimed_m2
    }
}

/// The tolerance a claim is judged with: `--tolerance` when given, else 5 %
/// for an "about" claim and none for a one-sided one ("at least 215 km2"
/// means at least 215 km², not 204.25).
pub fn tolerance_for(claim: &Claim, given: Option<Tolerance>) -> Tolerance {
    given.unwrap_or(match claim.kind {
        ClaimKind::About => Tolerance::Percent(5.0),
        ClaimKind::AtLeast | ClaimKind::AtMost => Tolerance::Percent(0.0),
    })
}

/// A claim judged under every border (and border position) asked for.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The verdict under each border, in order; one without borders.
    pub verdicts: Vec<Verdict>,
    /// With a border tolerance: under each border, the band and the verdicts
    /// with the border moved in and out.
    pub bands: Vec<(Band, Verdict, Verdict)>,
    /// PASS when the claim holds everywhere, FAIL when nowhere, else
    /// INCONCLUSIVE.
    pub outcome: Outcome,
    /// With several borders: the spread of the computed area.
    pub spread: Option<Spread>,
}

/// Judge `claim` on the union of `layer`: as a whole without `borders`, else
/// inside each border (cut by [`crate::area::within`]); with
/// `border_tolerance_m`, also with each border moved that far in and out
/// ([`borders::bands`]; its error is the band's).
pub fn judge(
    layer: &Layer,
    borders: &[Layer],
    claim: Claim,
    tolerance: Tolerance,
    border_tolerance_m: Option<f64>,
) -> Result<Judged, String> {
    let verdicts: Vec<Verdict> = if borders.is_empty() {
        vec![Verdict::new(
            crate::area::compute(layer).totals.union_m2,
            claim,
            tolerance,
        )]
    } else {
        borders
            .iter()
            .map(|b| {
                let inside = crate::area::compute(&crate::area::within(layer, b));
                Verdict::new(inside.totals.union_m2, claim, tolerance)
            })
            .collect()
    };
    let bands: Vec<(Band, Verdict, Verdict)> = match border_tolerance_m {
        Some(d) => borders::bands(layer, borders, d)?
            .into_iter()
            .map(|band| {
                (
                    band,
                    Verdict::new(band.inner_m2, claim, tolerance),
                    Verdict::new(band.outer_m2, claim, tolerance),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let passes: Vec<bool> = verdicts
        .iter()
        .map(Verdict::pass)
        .chain(bands.iter().flat_map(|(_, i, o)| [i.pass(), o.pass()]))
        .collect();
    let spread = (verdicts.len() > 1)
        .then(|| Spread::of(&verdicts.iter().map(|v| v.computed_m2).collect::<Vec<_>>()))
        .flatten();
    Ok(Judged {
        outcome: Outcome::of(&passes),
        verdicts,
        bands,
        spread,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_claim_kind_and_tolerance() {
        let about: Claim = "215 km2".parse().unwrap();
        let five: Tolerance = "5%".parse().unwrap();
        assert!(Verdict::new(210e6, about, five).pass()); // 204.25..225.75
        assert!(!Verdict::new(200e6, about, five).pass());
        assert!(!Verdict::new(230e6, about, five).pass());
        let at_least: Claim = "at least 215 km2".parse().unwrap();
        let zero: Tolerance = "0%".parse().unwrap();
        assert!(Verdict::new(400e6, at_least, zero).pass());
        assert!(!Verdict::new(214.9e6, at_least, zero).pass());
        let v = Verdict::new(193.5e6, about, five);
        assert!((v.difference_pct() + 10.0).abs() < 1e-12);
    }
}
