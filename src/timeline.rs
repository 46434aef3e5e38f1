//! Timelines of dated snapshots: the union at each date, what was gained and
//! lost since the previous date, per region through the same overlay as
//! `area --by` (`overlay::by_regions`), and the dates analysts write. Used by
//! `territory timeline`.

use std::collections::BTreeMap;

use geo::MultiPolygon;
use rayon::prelude::*;

use crate::model::{Date, Layer};
use crate::{measure, overlay};

/// One snapshot's figures (for the whole layer or one region), m².
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Area at this date.
    pub area_m2: f64,
    /// Area covered now and not at the previous date.
    pub gained_m2: f64,
    /// Area covered at the previous date and not now.
    pub lost_m2: f64,
    /// Area now minus area at the previous date.
    pub net_m2: f64,
    /// Area now minus area at the first date.
    pub cumulative_m2: f64,
}

/// One date of the timeline.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The date.
    pub date: Date,
    /// Features at this date.
    pub features: usize,
    /// The whole snapshot.
    pub change: Change,
    /// The union at this date.
    pub union: MultiPolygon<f64>,
    /// What was gained since the previous date.
    pub gained: MultiPolygon<f64>,
    /// What was lost since the previous date.
    pub lost: MultiPolygon<f64>,
    /// Per region (index into REGIONS), when `--by` is given.
    pub regions: Vec<(usize, Change)>,
    /// With `--by`: the part of the union in no region.
    pub outside: Option<Change>,
}

/// Build the timeline from snapshot geometries grouped by date (sorted).
pub fn compute(groups: &Groups, regions: Option<&Layer>) -> Vec<Snapshot> {
    let unions: Vec<(Date, usize, MultiPolygon<f64>)> = groups
        .par_iter()
        .map(|(d, g)| (*d, g.len(), overlay::dissolve(g.iter())))
        .collect();
    let empty = MultiPolygon(Vec::new());
    let region_geoms: Vec<&MultiPolygon<f64>> = regions
        .map(|l| l.regions.iter().map(|r| &r.geom).collect())
        .unwrap_or_default();
    let n = region_geoms.len();
    // The same overlay as `area --by` (issue #13 item 3): each date's
    // features, and what was gained and lost, split by the regions.
    let split = |features: &[&MultiPolygon<f64>]| overlay::by_regions(features, &region_geoms);
    let mut out: Vec<Snapshot> = Vec::with_capacity(unions.len());
    let mut prev_regions: Vec<f64> = Vec::new();
    let (mut cumulative, mut cumulative_outside) = (0.0, 0.0);
    let mut cumulative_regions = vec![0.0; n];
    for (i, (date, features, union)) in unions.into_iter().enumerate() {
        let prev = if i == 0 { &empty } else { &out[i - 1].union };
        let (gained, lost) = if i == 0 {
            (empty.clone(), empty.clone())
        } else {
            (
                overlay::difference(&union, prev),
                overlay::difference(prev, &union),
            )
        };
        let area_m2 = measure::multi_polygon(&union).area_m2;
        // Net change is gained − lost, exactly; it agrees with the change of
        // area to the overlay's precision (1e-9, tested).
        let (gained_m2, lost_m2) = (
            measure::multi_polygon(&gained).area_m2,
            measure::multi_polygon(&lost).area_m2,
        );
        cumulative += gained_m2 - lost_m2;
        let change = Change {
            area_m2,
            gained_m2,
            lost_m2,
            net_m2: gained_m2 - lost_m2,
            cumulative_m2: cumulative,
        };
        let mut per_region = Vec::new();
        let mut outside = None;
        if regions.is_some() {
            let date_features: Vec<&MultiPolygon<f64>> = groups[&date].iter().collect();
            let now_split = split(&date_features);
            let (g, l) = (split(&[&gained]), split(&[&lost]));
            let (go, lo) = (g.outside_m2, l.outside_m2);
            cumulative_outside += go - lo;
            outside = Some(Change {
                area_m2: now_split.outside_m2,
                gained_m2: go,
                lost_m2: lo,
                net_m2: go - lo,
                cumulative_m2: cumulative_outside,
            });
            let (now, g, l) = (now_split.per_region(n), g.per_region(n), l.per_region(n));
            if i == 0 {
                prev_regions = now.clone();
            }
            for r in 0..n {
                let touched = now[r] > 0.0 || prev_regions[r] > 0.0 || g[r] > 0.0 || l[r] > 0.0;
                cumulative_regions[r] += g[r] - l[r];
                if touched {
                    per_region.push((
                        r,
                        Change {
                            area_m2: now[r],
                            gained_m2: g[r],
                            lost_m2: l[r],
                            net_m2: g[r] - l[r],
                            cumulative_m2: cumulative_regions[r],
                        },
                    ));
                }
            }
            prev_regions = now;
        }
        out.push(Snapshot {
            date,
            features,
            change,
            union,
            gained,
            lost,
            regions: per_region,
            outside,
        });
    }
    out
}

/// Snapshot geometries grouped by date (in time order): the input of
/// [`compute`].
pub type Groups = BTreeMap<Date, Vec<MultiPolygon<f64>>>;

/// Where the date of a layer's features comes from.
#[derive(Debug, Clone, Copy)]
pub enum DateOf<'a> {
    /// One date for the whole layer.
    Layer(Date),
    /// Each feature's property of this name (any form [`Date`] parses).
    Property(&'a str),
}

/// Add every feature of `layer` to `groups` under its date. A feature
/// without the date property, or with one that is not a date, is an error
/// naming the feature.
pub fn add_layer(groups: &mut Groups, layer: Layer, date: DateOf<'_>) -> crate::Result<()> {
    for r in layer.regions {
        let date = match date {
            DateOf::Layer(d) => d,
            DateOf::Property(field) => {
                let where_ = || format!("{}: feature {} (id {:?})", layer.name, r.index, r.id);
                let raw = r
                    .props
                    .get(field)
                    .and_then(serde_json::Value::as_str)
                    .ok_or_else(|| {
                        crate::Error::Input(format!(
                            "{}: no date: property {field:?} is missing (use --date-field, or --date per file)",
                            where_(),
                        ))
                    })?;
                raw.parse::<Date>()
                    .map_err(|e| crate::Error::Input(format!("{}: {e}", where_())))?
            }
        };
        groups.entry(date).or_default().push(r.geom);
    }
    Ok(())
}

/// Each date's features cut to `border` (the union of its features; see
/// [`overlay::clip`]).
pub fn clipped_groups(groups: &Groups, border: &Layer) -> Groups {
    let parts: Vec<&MultiPolygon<f64>> = border.regions.iter().map(|r| &r.geom).collect();
    groups
        .iter()
        .map(|(d, g)| (*d, g.par_iter().map(|p| overlay::clip(p, &parts)).collect()))
        .collect()
}

/// The timeline under each of `borders`: every date's features cut to the
/// border ([`clipped_groups`]), then [`compute`].
pub fn under_each<'b>(
    groups: &Groups,
    borders: &'b [Layer],
    regions: Option<&Layer>,
) -> Vec<crate::borders::Under<'b, Vec<Snapshot>>> {
    borders
        .iter()
        .map(|b| crate::borders::Under {
            border: b,
            layer: Layer {
                regions: Vec::new(),
                ..b.clone()
            },
            report: compute(&clipped_groups(groups, b), regions),
        })
        .collect()
}
