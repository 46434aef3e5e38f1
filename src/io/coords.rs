//! Coordinates as analysts write them: decimal degrees with a point or a
//! decimal comma, a hemisphere letter before or after (`N40.2031`,
//! `45.86 E`), degrees-minutes(-seconds) (`40°12'11"N`, `40 12 11 N`,
//! `45°51'53.2"E`, `40°12.5'N`, `40d12m11s`), and a latitude and a longitude
//! in one text (`40.1776, 44.5126`, `40°12'11"N 45°51'53"E`,
//! `40,1776;44,5126`).
//!
//! Hemisphere letters must match the axis: `N`/`S` only for a latitude,
//! `E`/`W` only for a longitude (a pair whose letters say longitude first is
//! read in that order). Minutes and seconds must be below 60; nothing is
//! guessed or dropped: anything else is an error saying why.

/// Which coordinate a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Latitude (N/S).
    Lat,
    /// Longitude (E/W).
    Lon,
}

impl Axis {
    fn name(self) -> &'static str {
        match self {
            Axis::Lat => "latitude",
            Axis::Lon => "longitude",
        }
    }
}

/// A hemisphere letter as (axis, sign): `N`, `S`, `E`, `W`, and `n`, `e`,
/// `w` (a lowercase `s` is seconds, as in `40d12m11s`).
fn hemisphere_letter(c: char) -> Option<(Axis, f64)> {
    match c {
        'N' | 'n' => Some((Axis::Lat, 1.0)),
        'S' => Some((Axis::Lat, -1.0)),
        'E' | 'e' => Some((Axis::Lon, 1.0)),
        'W' | 'w' => Some((Axis::Lon, -1.0)),
        _ => None,
    }
}

/// The hemisphere letter of a text, if any, as (axis, sign), and the text
/// without it.
fn hemisphere(text: &str) -> (Option<(Axis, f64)>, &str) {
    let t = text.trim();
    let letter = hemisphere_letter;
    if let Some(c) = t.chars().last()
        && let Some(h) = letter(c)
    {
        return (Some(h), t[..t.len() - c.len_utf8()].trim());
    }
    if let Some(c) = t.chars().next()
        && let Some(h) = letter(c)
    {
        return (Some(h), t[c.len_utf8()..].trim());
    }
    (None, t)
}

/// One number of a coordinate: a point or a single decimal comma.
fn number(s: &str) -> Option<f64> {
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    if s.matches(',').count() == 1 && !s.contains('.') {
        return s.replace(',', ".").parse().ok();
    }
    None
}

/// Parse one coordinate on `axis` (see the module's forms), in degrees.
///
/// # Examples
/// ```
/// use territory::io::coords::{parse_angle, Axis};
/// let lat = parse_angle("40°12'11\"N", Axis::Lat).unwrap();
/// assert!((lat - (40.0 + 12.0 / 60.0 + 11.0 / 3600.0)).abs() < 1e-12);
/// assert_eq!(parse_angle("45,86 E", Axis::Lon), Ok(45.86));
/// assert!(parse_angle("40.2 E", Axis::Lat).is_err());
/// ```
pub fn parse_angle(text: &str, axis: Axis) -> Result<f64, String> {
    let (hemi, rest) = hemisphere(text);
    if let Some((a, _)) = hemi
        && a != axis
    {
        return Err(format!(
            "{text:?} has a {} hemisphere letter but is a {}",
            a.name(),
            axis.name()
        ));
    }
    let parts: Vec<&str> = rest
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '°' | 'º'
                        | '˚'
                        | 'd'
                        | 'D'
                        | '\''
                        | '′'
                        | '’'
                        | 'm'
                        | '"'
                        | '″'
                        | '”'
                        | 's'
                        | ':'
                )
        })
        .filter(|p| !p.is_empty())
        .collect();
    let bad = || {
        format!(
            "{text:?} is not a {} (degrees, or degrees minutes seconds)",
            axis.name()
        )
    };
    let values: Vec<f64> = parts
        .iter()
        .map(|p| number(p))
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    let (deg, min, sec) = match values.as_slice() {
        [d] => (*d, 0.0, 0.0),
        [d, m] => (*d, *m, 0.0),
        [d, m, s] => (*d, *m, *s),
        _ => return Err(bad()),
    };
    if values.len() > 1 {
        if deg.fract() != 0.0 || !(0.0..60.0).contains(&min) || !(0.0..60.0).contains(&sec) {
            return Err(format!(
                "{text:?}: minutes and seconds must be below 60, after whole degrees"
            ));
        }
        if values.len() == 3 && min.fract() != 0.0 {
            return Err(format!(
                "{text:?}: minutes must be whole when seconds follow"
            ));
        }
    }
    let negative = deg < 0.0 || rest.starts_with('-');
    let magnitude = deg.abs() + min / 60.0 + sec / 3600.0;
    let mut v = if negative { -magnitude } else { magnitude };
    if let Some((_, sign)) = hemi {
        if negative {
            return Err(format!(
                "{text:?} has both a minus sign and a hemisphere letter"
            ));
        }
        v *= sign;
    }
    Ok(v)
}

/// Split a text holding a latitude and a longitude into its two parts: at a
/// `;`, at the one comma, at a comma followed by a space (decimal commas
/// inside), or after a hemisphere letter (`40 12 11 N 45 51 53 E`).
fn split_pair(text: &str) -> Option<(&str, &str)> {
    let t = text.trim();
    if let Some(p) = t.split_once(';') {
        return Some(p);
    }
    if t.matches(',').count() == 1 {
        return t.split_once(',');
    }
    if let Some(p) = t.split_once(", ") {
        return Some(p);
    }
    // After the first hemisphere letter that has something after it.
    let i = t
        .char_indices()
        .find(|&(i, c)| hemisphere_letter(c).is_some() && !t[i + 1..].trim().is_empty())?;
    Some((&t[..i.0 + 1], &t[i.0 + 1..]))
}

/// A latitude and longitude written in one text (a single point on the
/// command line, a `--coords-col` cell), as `(lat, lon)`: latitude first,
/// unless its hemisphere letters say longitude first (`45.86E 40.20N`).
///
/// # Examples
/// ```
/// use territory::io::coords::parse_pair;
/// let (lat, lon) = parse_pair("40°12'11\"N,45°51'53\"E").unwrap();
/// assert!((lat - 40.203_055_6).abs() < 1e-6 && (lon - 45.864_722_2).abs() < 1e-6);
/// assert_eq!(parse_pair("40,1776; 44,5126"), Ok((40.1776, 44.5126)));
/// assert_eq!(parse_pair("44.5126E 40.1776N"), Ok((40.1776, 44.5126)));
/// ```
pub fn parse_pair(text: &str) -> Result<(f64, f64), String> {
    let (a, b) = split_pair(text)
        .ok_or_else(|| format!("{text:?} is not a point: expected LAT,LON (or LAT;LON)"))?;
    let lon_first = matches!(hemisphere(a).0, Some((Axis::Lon, _)))
        || matches!(hemisphere(b).0, Some((Axis::Lat, _)));
    let (lat, lon) = if lon_first { (b, a) } else { (a, b) };
    Ok((parse_angle(lat, Axis::Lat)?, parse_angle(lon, Axis::Lon)?))
}

/// A command-line argument that names no existing file: the point it
/// writes (`Some`), `None` when it looks like a path (a `/`, or an extension
/// of letters: the caller says the file is missing), or an error saying why
/// it is neither.
pub fn point_argument(arg: &str) -> Result<Option<(f64, f64)>, String> {
    match parse_pair(arg) {
        Ok(p) => Ok(Some(p)),
        Err(_)
            if arg.contains('/')
                || arg
                    .rsplit_once('.')
                    .is_some_and(|(_, e)| e.chars().all(|c| c.is_ascii_alphabetic())) =>
        {
            Ok(None)
        }
        Err(e) => Err(format!("{arg:?} is no file, and not a point: {e}")),
    }
}

/// Why a longitude/latitude pair is out of range: the one rule every reader
/// and `validate` apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfRange {
    /// A value beyond ±360: projected coordinates (metres, feet).
    Projected,
    /// A latitude beyond ±90 that would be a longitude, with a longitude
    /// that would be a latitude: the axes look swapped.
    Swapped,
    /// Out of range, no better guess.
    Plain,
}

/// `None` when (`lon`, `lat`) is in -180..180 / -90..90; else why not.
pub fn out_of_range(lon: f64, lat: f64) -> Option<OutOfRange> {
    if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
        return None;
    }
    Some(if lon.abs() > 360.0 || lat.abs() > 360.0 {
        OutOfRange::Projected
    } else if lat.abs() > 90.0 && lat.abs() <= 180.0 && lon.abs() <= 90.0 {
        OutOfRange::Swapped
    } else {
        OutOfRange::Plain
    })
}

/// What `locate` is given: one point, a file of points, or standard input.
#[derive(Debug, Clone, PartialEq)]
pub enum PointsInput {
    /// One point, WGS84 degrees (or in a source CRS: x is `lon`, y `lat`).
    Point {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// A file of points (CSV, GeoJSON, KML).
    File(std::path::PathBuf),
    /// `-`: standard input.
    Stdin,
}

impl std::str::FromStr for PointsInput {
    type Err = String;

    /// `-` is stdin; an existing path is a file; else a point in any form
    /// [`parse_pair`] reads, or a path that does not exist yet (it has a
    /// `/` or an extension: reading it says so) — see [`point_argument`].
    fn from_str(s: &str) -> Result<PointsInput, String> {
        if s == "-" {
            return Ok(PointsInput::Stdin);
        }
        let path = std::path::Path::new(s);
        if path.exists() {
            return Ok(PointsInput::File(path.to_path_buf()));
        }
        Ok(match point_argument(s)? {
            Some((lat, lon)) => PointsInput::Point { lat, lon },
            None => PointsInput::File(path.to_path_buf()),
        })
    }
}

#[cfg(test)]
mod range_tests {
    use super::{OutOfRange, out_of_range};

    #[test]
    fn one_rule_for_coordinates_out_of_range() {
        // Yerevan, in range; swapped; UTM 38N metres; a longitude past 180.
        assert_eq!(out_of_range(44.5126, 40.1776), None);
        assert_eq!(out_of_range(40.1776, 144.5126), Some(OutOfRange::Swapped));
        assert_eq!(
            out_of_range(458_000.0, 4_448_000.0),
            Some(OutOfRange::Projected)
        );
        assert_eq!(out_of_range(190.0, 40.0), Some(OutOfRange::Plain));
        assert_eq!(out_of_range(40.0, 200.0), Some(OutOfRange::Plain));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-checked: 40°12'11" = 40 + 12/60 + 11/3600 = 40.2030556°;
    /// 45°51'53.2" = 45.8647778°; 40°12.5' = 40.2083333°.
    #[test]
    fn the_forms_analysts_write() {
        let near = |a: f64, b: f64| (a - b).abs() < 5e-8;
        for (text, axis, want) in [
            ("40.2031", Axis::Lat, 40.2031),
            ("-45.86", Axis::Lon, -45.86),
            ("40,2031", Axis::Lat, 40.2031),
            ("N40.2031", Axis::Lat, 40.2031),
            ("40.2031 S", Axis::Lat, -40.2031),
            ("W 12.5", Axis::Lon, -12.5),
            ("40°12'11\"N", Axis::Lat, 40.203_055_6),
            ("40 12 11 N", Axis::Lat, 40.203_055_6),
            ("40°12′11″N", Axis::Lat, 40.203_055_6),
            ("45°51'53.2\"E", Axis::Lon, 45.864_777_8),
            ("45°51'53,2\"E", Axis::Lon, 45.864_777_8),
            ("40°12.5'N", Axis::Lat, 40.208_333_3),
            ("40d12m11s", Axis::Lat, 40.203_055_6),
            ("-40°12'11\"", Axis::Lat, -40.203_055_6),
        ] {
            let got = parse_angle(text, axis).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(near(got, want), "{text}: {got} vs {want}");
        }
    }

    #[test]
    fn what_is_refused() {
        for (text, axis) in [
            ("40.2 E", Axis::Lat),
            ("45 N", Axis::Lon),
            ("40°75'N", Axis::Lat),
            ("40°12'75\"N", Axis::Lat),
            ("40.5°12'N", Axis::Lat),
            ("-40.2 S", Axis::Lat),
            ("forty", Axis::Lat),
            ("40,2,1", Axis::Lat),
            ("", Axis::Lat),
        ] {
            assert!(parse_angle(text, axis).is_err(), "{text}");
        }
    }

    #[test]
    fn pairs() {
        let near =
            |(a, b): (f64, f64), (c, d): (f64, f64)| (a - c).abs() < 5e-8 && (b - d).abs() < 5e-8;
        for (text, want) in [
            ("40.1776,44.5126", (40.1776, 44.5126)),
            ("40.1776, 44.5126", (40.1776, 44.5126)),
            ("40,1776, 44,5126", (40.1776, 44.5126)),
            ("40,1776;44,5126", (40.1776, 44.5126)),
            ("40°12'11\"N,45°51'53\"E", (40.203_055_6, 45.864_722_2)),
            ("40 12 11 N 45 51 53 E", (40.203_055_6, 45.864_722_2)),
            ("45°51'53\"E 40°12'11\"N", (40.203_055_6, 45.864_722_2)),
        ] {
            let got = parse_pair(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(near(got, want), "{text}: {got:?}");
        }
        assert!(parse_pair("40.1776").is_err());
    }
}
