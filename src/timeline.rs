//! Timelines of dated snapshots: the union at each date, what was gained and
//! lost since the previous date, per region through the same overlay as
//! `area --by` (`overlay::by_regions`), and the dates analysts write. Used by
//! `territory timeline`.

use std::collections::BTreeMap;

use geo::MultiPolygon;
use rayon::prelude::*;

use crate::model::Layer;
use crate::{measure, overlay};

/// Parse a date as analysts write it into `YYYY-MM-DD` (or `YYYY-MM` for a
/// month): ISO 8601 `YYYY-MM-DD` (a time after `T` or a space is dropped),
/// `YYYY/MM/DD`, `YYYY.MM.DD`, `DD.MM.YYYY` (day first, as in Europe and the
/// Caucasus), `YYYY-MM`; `DD/MM/YYYY` or `MM/DD/YYYY` only when a number
/// above 12 says which is the day. `05/12/2021` (5 December or 12 May?) is
/// refused with a message, never guessed.
pub fn parse_date(s: &str) -> std::result::Result<String, String> {
    let t = s.trim();
    // A time after the date: "2022-09-13T04:00:00Z", "2022-09-13 04:00".
    let day = t.split([' ', 'T']).next().unwrap_or(t);
    let bad = || format!("{s:?} is not a date (YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY or YYYY-MM)");
    if t.len() > day.len() && t.as_bytes()[day.len()] == b'T' && day.len() < 7 {
        return Err(bad());
    }
    let num = |x: &str| -> std::result::Result<u32, String> {
        if x.is_empty() || x.len() > 4 || !x.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        x.parse().map_err(|_| bad())
    };
    let parts: Vec<&str> = day.split(['-', '/', '.']).collect();
    let seps: Vec<char> = day
        .chars()
        .filter(|c| matches!(c, '-' | '/' | '.'))
        .collect();
    let (y, m, d) = match (parts.as_slice(), seps.as_slice()) {
        ([y, m], ['-']) if y.len() == 4 && m.len() == 2 => {
            let (y, m) = (num(y)?, num(m)?);
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            return Ok(format!("{y:04}-{m:02}"));
        }
        // Year first: ISO's dashes with two-digit month and day; slashes
        // or dots with one or two.
        ([y, m, d], [a, b])
            if a == b
                && y.len() == 4
                && (1..=2).contains(&m.len())
                && (1..=2).contains(&d.len())
                && (*a != '-' || (m.len() == 2 && d.len() == 2)) =>
        {
            (num(y)?, num(m)?, num(d)?)
        }
        ([d, m, y], ['.', '.']) if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            (num(y)?, num(m)?, num(d)?)
        }
        ([a, b, y], ['/', '/']) if y.len() == 4 => {
            let (a, b, y) = (num(a)?, num(b)?, num(y)?);
            match (a > 12, b > 12) {
                (true, false) => (y, b, a),
                (false, true) => (y, a, b),
                _ => {
                    return Err(format!(
                        "{s:?} is ambiguous (day/month or month/day?); write it as YYYY-MM-DD"
                    ));
                }
            }
        }
        _ => return Err(bad()),
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

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
    /// `YYYY-MM-DD`.
    pub date: String,
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
pub fn compute(
    groups: &BTreeMap<String, Vec<MultiPolygon<f64>>>,
    regions: Option<&Layer>,
) -> Vec<Snapshot> {
    let unions: Vec<(String, usize, MultiPolygon<f64>)> = groups
        .par_iter()
        .map(|(d, g)| (d.clone(), g.len(), overlay::dissolve(g.iter())))
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

/// Snapshot geometries grouped by date (`YYYY-MM-DD`, sorted): the input of
/// [`compute`].
pub type Groups = BTreeMap<String, Vec<MultiPolygon<f64>>>;

/// Where the date of a layer's features comes from.
#[derive(Debug, Clone, Copy)]
pub enum DateOf<'a> {
    /// One date for the whole layer (as parsed by [`parse_date`]).
    Layer(&'a str),
    /// Each feature's property of this name (any form [`parse_date`] reads).
    Property(&'a str),
}

/// Add every feature of `layer` to `groups` under its date. A feature
/// without the date property, or with one that is not a date, is an error
/// naming the feature.
pub fn add_layer(groups: &mut Groups, layer: Layer, date: DateOf<'_>) -> crate::Result<()> {
    for r in layer.regions {
        let date = match date {
            DateOf::Layer(d) => d.to_string(),
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
                parse_date(raw).map_err(|e| crate::Error::Input(format!("{}: {e}", where_())))?
            }
        };
        groups.entry(date).or_default().push(r.geom);
    }
    Ok(())
}

/// Each date's features cut to `border` (the union of its features; see
/// [`overlay::clip`]).
pub fn clipped_groups(
    groups: &BTreeMap<String, Vec<MultiPolygon<f64>>>,
    border: &Layer,
) -> BTreeMap<String, Vec<MultiPolygon<f64>>> {
    let parts: Vec<&MultiPolygon<f64>> = border.regions.iter().map(|r| &r.geom).collect();
    groups
        .iter()
        .map(|(d, g)| {
            (
                d.clone(),
                g.par_iter().map(|p| overlay::clip(p, &parts)).collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_checked_and_times_dropped() {
        assert_eq!(parse_date("2021-05-12").unwrap(), "2021-05-12");
        assert_eq!(parse_date("2022-09-13T04:00:00Z").unwrap(), "2022-09-13");
        assert!(parse_date("2021-02-29").is_err());
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("12/05/2021").is_err());
        assert_eq!(parse_date("2021/05/12").unwrap(), "2021-05-12");
        assert_eq!(parse_date("12.05.2021").unwrap(), "2021-05-12");
        assert_eq!(parse_date("2021-05").unwrap(), "2021-05");
        assert_eq!(parse_date("25/12/2021").unwrap(), "2021-12-25");
        assert_eq!(parse_date("12/25/2021").unwrap(), "2021-12-25");
        assert_eq!(parse_date("2022-09-13 04:00").unwrap(), "2022-09-13");
        assert!(parse_date("05/12/2021").unwrap_err().contains("ambiguous"));
        assert!(parse_date("2021-5-12").is_err());
        assert!(parse_date("31.02.2021").is_err());
        assert!(parse_date("2021-00").is_err());
        assert!(parse_date("2021-13-01").is_err());
        assert!(parse_date("2021-05-12junk").is_err());
    }
}
