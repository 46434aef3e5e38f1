//! Line charts (a timeline's area over time) as SVG.

use std::fmt::Write as _;

use super::{FAMILY, PALETTE, esc};
use crate::model::{AreaUnit, Date, Layer};
use crate::timeline::Snapshot;

/// One line of a chart: a name and (day number, value) pairs.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// (days since 1970-01-01, value), in date order.
    pub values: Vec<(i64, f64)>,
}

/// Round tick step for a span (1, 2, 2.5 or 5 × 10^k) giving about `n` ticks.
pub fn tick_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(f64::MIN_POSITIVE);
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v >= raw)
        .unwrap_or(10.0 * p)
}

/// A line chart of values over dates, as an SVG document: axes with ticks,
/// `y_label` on the value axis, "date" on the time axis, a legend.
pub fn chart_svg(title: &str, y_label: &str, series: &[Series]) -> String {
    let (w, h) = (900.0, 520.0);
    let (left, right, top, bottom) = (90.0, 210.0, 50.0, 70.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let all: Vec<(i64, f64)> = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .collect();
    let d_min = all.iter().map(|v| v.0).min().unwrap_or(0);
    let d_max = all.iter().map(|v| v.0).max().unwrap_or(1);
    let (d0, d1) = if d_min == d_max {
        (d_min - 30, d_max + 30)
    } else {
        let pad = ((d_max - d_min) as f64 * 0.05).ceil() as i64;
        (d_min - pad, d_max + pad)
    };
    let v_max = all.iter().map(|v| v.1).fold(0.0, f64::max);
    let step = tick_step(if v_max > 0.0 { v_max } else { 1.0 }, 5.0);
    let v_top = ((v_max / step).floor() + 1.0) * step;
    let x = |d: i64| left + (d - d0) as f64 / (d1 - d0) as f64 * pw;
    let y = |v: f64| top + ph - v / v_top * ph;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FAMILY}">
<rect width="100%" height="100%" fill="white"/>
<text x="{:.2}" y="30" font-size="18" text-anchor="middle">{}</text>"##,
        left + pw / 2.0,
        esc(title)
    );
    // Value axis: grid lines and labels.
    let mut v = 0.0;
    while v <= v_top + step * 1e-9 {
        let yy = y(v);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{yy:.2}" x2="{:.2}" y2="{yy:.2}" stroke="#ddd"/><text x="{:.2}" y="{:.2}" font-size="12" text-anchor="end">{}</text>"##,
            left + pw,
            left - 8.0,
            yy + 4.0,
            crate::report::table::group_thousands(v, if step < 1.0 { 2 } else { 0 })
        );
        v += step;
    }
    // Time axis: a tick at each date that has data (snapshots are few).
    let mut dates: Vec<i64> = all.iter().map(|v| v.0).collect();
    dates.sort_unstable();
    dates.dedup();
    let every = dates.len().div_ceil(8).max(1);
    for (i, d) in dates.iter().enumerate() {
        let xx = x(*d);
        let _ = write!(
            s,
            r##"<line x1="{xx:.2}" y1="{:.2}" x2="{xx:.2}" y2="{:.2}" stroke="#444"/>"##,
            top + ph,
            top + ph + 5.0
        );
        if i % every == 0 {
            let _ = write!(
                s,
                r#"<text x="{xx:.2}" y="{:.2}" font-size="12" text-anchor="middle">{}</text>"#,
                top + ph + 20.0,
                Date::of_days(*d)
            );
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        r##"<path d="M{left} {top}V{:.2}H{:.2}" fill="none" stroke="#444"/>
<text x="{:.2}" y="{:.2}" font-size="14" text-anchor="middle">date</text>
<text transform="translate(24 {:.2}) rotate(-90)" font-size="14" text-anchor="middle">{}</text>"##,
        top + ph,
        left + pw,
        left + pw / 2.0,
        h - 20.0,
        top + ph / 2.0,
        esc(y_label)
    );
    for (k, se) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let width = if k == 0 { 3.0 } else { 2.0 };
        let d: String = se
            .values
            .iter()
            .enumerate()
            .map(|(i, (dd, vv))| {
                format!(
                    "{}{:.2} {:.2}",
                    if i == 0 { "M" } else { "L" },
                    x(*dd),
                    y(*vv)
                )
            })
            .collect();
        let _ = writeln!(
            s,
            r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}"/>"#
        );
        for (dd, vv) in &se.values {
            let _ = write!(
                s,
                r#"<circle cx="{:.2}" cy="{:.2}" r="4" fill="{colour}"/>"#,
                x(*dd),
                y(*vv)
            );
        }
        let ly = top + 10.0 + k as f64 * 20.0;
        let _ = writeln!(
            s,
            r##"<line x1="{:.2}" y1="{ly:.2}" x2="{:.2}" y2="{ly:.2}" stroke="{colour}" stroke-width="{width}"/><text x="{:.2}" y="{:.2}" font-size="12">{}</text>"##,
            left + pw + 16.0,
            left + pw + 40.0,
            left + pw + 46.0,
            ly + 4.0,
            esc(&se.name)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The chart of `--chart`: the union's area at each date and, with `--by`,
/// each region that holds some of it at some date.
///
/// `title` heads the chart; a month (`2021-05`) is drawn on its first day.
pub fn timeline_chart(
    snaps: &[Snapshot],
    regions: Option<&Layer>,
    unit: AreaUnit,
    title: &str,
) -> String {
    let point = |date: &Date, m2: f64| (date.days(), unit.from_m2(m2));
    let mut series = vec![Series {
        name: "total (union)".into(),
        values: snaps
            .iter()
            .map(|s| point(&s.date, s.change.area_m2))
            .collect(),
    }];
    if let Some(layer) = regions {
        let mut touched: Vec<usize> = snaps
            .iter()
            .flat_map(|s| {
                s.regions
                    .iter()
                    .filter(|(_, c)| c.area_m2 > 0.0)
                    .map(|(i, _)| *i)
            })
            .collect();
        touched.sort_unstable();
        touched.dedup();
        for i in touched {
            let r = &layer.regions[i];
            series.push(Series {
                name: if r.name.is_empty() {
                    r.id.clone()
                } else {
                    r.name.clone()
                },
                values: snaps
                    .iter()
                    .map(|s| {
                        let a = s
                            .regions
                            .iter()
                            .find(|(k, _)| *k == i)
                            .map_or(0.0, |(_, c)| c.area_m2);
                        point(&s.date, a)
                    })
                    .collect(),
            });
        }
    }
    let label = match unit {
        crate::model::AreaUnit::Km2 => "area (km²)".to_string(),
        u => format!("area ({})", u.suffix()),
    };
    chart_svg(title, &label, &series)
}
