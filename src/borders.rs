//! The answer under every border: the same figure computed against several
//! border lines (`--within A --within B`), the spread between them, and a
//! verdict that says "inconclusive" when the borders disagree.
//!
//! A figure measured inside a border is only as good as the border line: the
//! ten illustrative polygons lie 169.7 km² inside Armenia by Natural Earth's
//! 1:10m line and 190.2 km² by the OpenStreetMap-derived 10 m line. Asking
//! under each border, and printing the spread, says how much of a figure is
//! the border's doing.
//!
//! # Example
//! ```
//! use territory::borders::{Outcome, Spread};
//! // The illustrative sample inside Armenia by two lines (km²).
//! let s = Spread::of(&[169.7, 190.2]).unwrap();
//! assert_eq!((s.min, s.max), (169.7, 190.2));
//! assert!((s.relative - 0.1208).abs() < 1e-4);
//! // "about 180 km2 ± 5 %" holds under one line and not the other:
//! assert_eq!(Outcome::of(&[false, true]), Outcome::Inconclusive);
//! ```

use geo::MultiPolygon;
use rayon::prelude::*;

use crate::model::Layer;
use crate::{measure, overlay};

/// The spread of one figure over several borders (or a tolerance band).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Spread {
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// `(max − min) / min`: how much larger the largest answer is than the
    /// smallest (0 when `min` is 0 and so is `max`; infinite when only `min` is).
    pub relative: f64,
}

impl Spread {
    /// The spread of `values` (`None` when there are none).
    pub fn of(values: &[f64]) -> Option<Spread> {
        let min = values.iter().copied().reduce(f64::min)?;
        let max = values.iter().copied().reduce(f64::max)?;
        let relative = if max == min {
            0.0
        } else if min > 0.0 {
            (max - min) / min
        } else {
            f64::INFINITY
        };
        Some(Spread { min, max, relative })
    }

    /// The same spread in another unit (`factor` per base unit).
    pub fn scaled(self, factor: f64) -> Spread {
        Spread {
            min: self.min * factor,
            max: self.max * factor,
            relative: self.relative,
        }
    }
}

/// The verdict on a claim over several borders (or a tolerance band).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    /// The claim holds under every border: exit 0.
    Pass,
    /// The claim holds under none: exit 3.
    Fail,
    /// It holds under some and not others: exit 4.
    Inconclusive,
}

impl Outcome {
    /// Combine the verdicts under each border (`true`: the claim holds).
    pub fn of(passes: &[bool]) -> Outcome {
        match (passes.iter().any(|&p| p), passes.iter().all(|&p| p)) {
            (_, true) => Outcome::Pass,
            (false, _) => Outcome::Fail,
            _ => Outcome::Inconclusive,
        }
    }

    /// The process exit code for `check`.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Pass => 0,
            Outcome::Fail => 3,
            Outcome::Inconclusive => 4,
        }
    }

    /// `PASS`, `FAIL` or `INCONCLUSIVE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
            Outcome::Inconclusive => "INCONCLUSIVE",
        }
    }
}

/// The union of a border layer's features: the mask `--within` clips to.
pub fn mask(border: &Layer) -> MultiPolygon<f64> {
    overlay::dissolve(border.regions.iter().map(|r| &r.geom))
}

/// `layer` with every feature cut to the border's features (in parallel);
/// features keep their ids, names and order, and may become empty. Each
/// feature is cut by each part of the border near it and the cuts united
/// ([`overlay::clip`]): no dissolved mask, whose cascaded unions would snap
/// the provinces' shared edges apart (102 m² of Armenia's 29,732 km² lost
/// in slivers), so the total under a border of provinces is the sum of
/// `--by` over them to 1e-9.
pub fn clipped(layer: &Layer, border: &Layer) -> Layer {
    let parts: Vec<&MultiPolygon<f64>> = border.regions.iter().map(|r| &r.geom).collect();
    let mut out = layer.clone();
    out.regions
        .par_iter_mut()
        .for_each(|r| r.geom = overlay::clip(&r.geom, &parts));
    out
}

/// Where two borders disagree: what only `a` holds and what only `b` holds
/// (each border the union of its layer), with their geodesic areas in m².
pub fn disagreement(a: &Layer, b: &Layer) -> ((MultiPolygon<f64>, f64), (MultiPolygon<f64>, f64)) {
    let (ma, mb) = rayon::join(|| mask(a), || mask(b));
    let (only_a, only_b) = rayon::join(
        || overlay::difference(&ma, &mb),
        || overlay::difference(&mb, &ma),
    );
    let (aa, ab) = (
        measure::multi_polygon(&only_a).area_m2,
        measure::multi_polygon(&only_b).area_m2,
    );
    ((only_a, aa), (only_b, ab))
}

/// A short name for a border in column headers: the layer name without a
/// `builtin:` prefix (`armenia@ne10m`), or the file name.
pub fn short_name(layer: &Layer) -> String {
    let n = layer.name.strip_prefix("builtin:").unwrap_or(&layer.name);
    std::path::Path::new(n)
        .file_name()
        .map_or_else(|| n.to_string(), |f| f.to_string_lossy().to_string())
}

/// A figure with the border moved: what lies inside the border drawn
/// `distance_m` further in (certainly inside, whichever way the line is off)
/// and `distance_m` further out (possibly inside).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Band {
    /// How far the border was moved, m.
    pub distance_m: f64,
    /// Area inside the border moved inward, m².
    pub inner_m2: f64,
    /// Area inside the border as drawn, m².
    pub nominal_m2: f64,
    /// Area inside the border moved outward, m².
    pub outer_m2: f64,
}

/// The [`Band`] of `area` (a union, lon/lat) inside `border` (a mask, see
/// [`mask`]) for a border tolerance of `distance_m`.
///
/// The border is first cut to the area's bounding box widened by
/// 3 × `distance_m` + 2 km (so the cut edges stay far from the area, and a
/// border line thousands of kilometres long costs only its nearby part), then
/// buffered geodesically by ±`distance_m` in an azimuthal equidistant frame
/// centred on that window ([`measure::geodesic_buffer`]). Errors when the
/// window reaches farther than [`measure::MAX_BUFFER_RANGE_M`] from its centre.
pub fn band(
    area: &MultiPolygon<f64>,
    border: &MultiPolygon<f64>,
    distance_m: f64,
) -> Result<Band, String> {
    let nominal_m2 = measure::multi_polygon(&overlay::intersection(area, border)).area_m2;
    let Some(near) = NearBorder::new(area, border, distance_m)? else {
        return Ok(Band {
            distance_m,
            inner_m2: 0.0,
            nominal_m2,
            outer_m2: 0.0,
        });
    };
    let (inner, outer) = rayon::join(|| near.moved(-distance_m), || near.moved(distance_m));
    let (inner_m2, outer_m2) = rayon::join(
        || measure::multi_polygon(&overlay::intersection(area, &inner)).area_m2,
        || measure::multi_polygon(&overlay::intersection(area, &outer)).area_m2,
    );
    Ok(Band {
        distance_m,
        inner_m2,
        nominal_m2,
        outer_m2,
    })
}

/// [`band`] of the union of `layer` under each of `borders`: the area with
/// each border moved `distance_m` in and out (`--border-tolerance`).
pub fn bands(layer: &Layer, borders: &[Layer], distance_m: f64) -> Result<Vec<Band>, String> {
    let whole = overlay::dissolve(layer.regions.iter().map(|r| &r.geom));
    borders
        .iter()
        .map(|b| band(&whole, &mask(b), distance_m))
        .collect()
}

/// The part of a border near an area, with the azimuthal equidistant frame
/// centred on it, ready to be moved in or out geodesically (see [`band`]).
pub struct NearBorder {
    local: MultiPolygon<f64>,
    frame: measure::AzimuthalEquidistant,
    max_edge_m: f64,
}

impl NearBorder {
    /// The border cut to `area`'s bounding box widened by 3 × `distance_m` +
    /// 2 km (`None` for an empty area); an error when that window reaches
    /// farther than [`measure::MAX_BUFFER_RANGE_M`] from its centre.
    pub fn new(
        area: &MultiPolygon<f64>,
        border: &MultiPolygon<f64>,
        distance_m: f64,
    ) -> Result<Option<NearBorder>, String> {
        use geo::{BoundingRect, Distance as _, Geodesic, Point, Rect, coord};
        let Some(r) = area.bounding_rect() else {
            return Ok(None);
        };
        let margin = 3.0 * distance_m + 2000.0;
        let lat_max = r.min().y.abs().max(r.max().y.abs()).min(89.0);
        let dlat = margin / 110_574.0;
        let dlon = margin / (111_320.0 * lat_max.to_radians().cos());
        let window = Rect::new(
            coord! { x: r.min().x - dlon, y: (r.min().y - dlat).max(-90.0) },
            coord! { x: r.max().x + dlon, y: (r.max().y + dlat).min(90.0) },
        );
        let c = window.center();
        let corners = [
            window.min(),
            window.max(),
            coord! { x: window.min().x, y: window.max().y },
            coord! { x: window.max().x, y: window.min().y },
        ];
        let reach = corners
            .iter()
            .map(|k| Geodesic.distance(Point::from(c), Point::from(*k)))
            .fold(0.0, f64::max);
        if reach > measure::MAX_BUFFER_RANGE_M {
            return Err(format!(
                "the layer spans {:.0} km from its centre; distances from a border are measured in a local azimuthal frame, which this tool keeps within {:.0} km of its centre: split the layer",
                reach / 1000.0,
                measure::MAX_BUFFER_RANGE_M / 1000.0
            ));
        }
        Ok(Some(NearBorder {
            local: overlay::intersection(border, &MultiPolygon(vec![window.to_polygon()])),
            frame: measure::AzimuthalEquidistant::new(c.x, c.y),
            max_edge_m: (distance_m / 2.0).clamp(50.0, 1000.0),
        }))
    }

    /// The border moved `distance_m` out (negative: in), geodesically.
    pub fn moved(&self, distance_m: f64) -> MultiPolygon<f64> {
        measure::geodesic_buffer(&self.local, distance_m, &self.frame, self.max_edge_m)
    }
}

/// How many features [`swapped_matches`] tries (the first ones of a layer).
pub const SWAP_SAMPLE: usize = 100;

/// The first features of layers as read (before any cut), kept for
/// [`swapped_matches`] when the answer turns out to be 0.
pub type SwapSample = Vec<MultiPolygon<f64>>;

/// The first [`SWAP_SAMPLE`] features of `layer` as read.
pub fn swap_sample(layer: &Layer) -> SwapSample {
    layer
        .regions
        .iter()
        .take(SWAP_SAMPLE)
        .map(|r| r.geom.clone())
        .collect()
}

/// How many of `features` (the first [`SWAP_SAMPLE`] are tried) would have
/// some area inside `regions` with latitude and longitude swapped, when still
/// in range: a polygon typed `[lat, lon]` (issue #13 item 5). A caller whose
/// answer is 0 tells the user when this is not.
pub fn swapped_matches(features: &[MultiPolygon<f64>], regions: &Layer) -> usize {
    use geo::MapCoords;
    let parts: Vec<&MultiPolygon<f64>> = regions.regions.iter().map(|r| &r.geom).collect();
    features
        .iter()
        .take(SWAP_SAMPLE)
        .filter(|g| {
            let swapped = g.map_coords(|c| geo::Coord { x: c.y, y: c.x });
            let in_range = swapped
                .0
                .iter()
                .all(|p| p.exterior().0.iter().all(|c| c.y.abs() <= 90.0));
            in_range && measure::multi_polygon(&overlay::clip(&swapped, &parts)).area_m2 > 0.0
        })
        .count()
}

/// One border and what was computed under it.
pub struct Under<'a, R> {
    /// The border layer.
    pub border: &'a Layer,
    /// The input layer clipped to it.
    pub layer: Layer,
    /// The report computed on `layer`.
    pub report: R,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_and_exit_codes() {
        assert_eq!(Outcome::of(&[true, true]), Outcome::Pass);
        assert_eq!(Outcome::of(&[false, false]), Outcome::Fail);
        assert_eq!(Outcome::of(&[true, false, true]), Outcome::Inconclusive);
        assert_eq!(Outcome::of(&[true]), Outcome::Pass);
        assert_eq!(Outcome::Inconclusive.exit_code(), 4);
        assert_eq!(Outcome::Fail.exit_code(), 3);
    }

    #[test]
    fn spread_of_equal_and_zero_values() {
        assert_eq!(Spread::of(&[]), None);
        assert_eq!(Spread::of(&[2.0, 2.0]).unwrap().relative, 0.0);
        assert_eq!(Spread::of(&[0.0, 0.0]).unwrap().relative, 0.0);
        assert!(Spread::of(&[0.0, 1.0]).unwrap().relative.is_infinite());
        let s = Spread::of(&[231.3, 258.2, 255.1]).unwrap();
        assert!((s.relative - (258.2 - 231.3) / 231.3).abs() < 1e-15);
    }
}
