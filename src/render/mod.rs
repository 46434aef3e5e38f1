//! Maps and charts as SVG, and PNG through resvg (pure Rust).
//!
//! **Projection.** A map is drawn in the Lambert azimuthal equal-area
//! projection, centred on the middle of the view: geodetic latitudes become
//! authalic latitudes on the sphere of equal area (R = 6,371,007.2 m), which is
//! then projected, so areas on the map are proportional to areas on the WGS84
//! ellipsoid. Near the centre — where the scale bar and the north arrow are
//! computed — the scale is within ±0.07 % of true at 40° N (north–south a
//! little long, east–west a little short). (Snyder, *Map Projections: A
//! Working Manual*, 1987, pp. 16, 182–190.) Views wider than 100° of
//! longitude or taller than 60° of latitude, which an azimuthal projection
//! shows badly, are drawn in Equal Earth (Šavrič, Patterson and Jenny 2018),
//! also through authalic latitudes, so also equal-area.
//!
//! Output is deterministic: coordinates are written with two decimals (pixels),
//! in layer and feature order, so the same input gives the same bytes. Text uses
//! the embedded DejaVu Sans, so PNGs look the same on every machine.
//!
//! Functions here build strings and bytes; they do no I/O. The parts:
//! [`projection`], [`map`], [`chart`], [`mod@png`].

pub mod chart;
pub mod map;
pub mod png;
pub mod projection;

pub use chart::{Series, chart_svg, tick_step, timeline_chart};
pub use map::{
    BBox, BBoxFit, DENSITY_CELL_PX, MAX_POINT_MARKERS, MapLayer, MapSpec, data_bbox, map_svg,
    nice_km,
};
pub use png::{ImageFormat, image_bytes, png};
pub use projection::{EqualEarth, Laea, MapProjection, authalic};

/// The font family named in the SVG.
const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Fill and stroke colours per layer, in order (colour-blind safe, after Okabe
/// and Ito): blue, vermillion, bluish green, reddish purple, orange, sky blue.
pub const PALETTE: [&str; 6] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
];

fn esc(s: &str) -> String {
    crate::report::printable(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Split `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

fn fmt_num(v: f64) -> String {
    if v >= 1.0 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure;

    /// The projection is equal-area on the ellipsoid: projected planar areas
    /// of the Armenian provinces match their geodesic areas (the difference
    /// left is that of straight edges in the plane against geodesic edges).
    #[test]
    fn laea_keeps_areas_of_armenian_provinces() {
        use geo::Area;
        let layer =
            crate::data::builtin("armenia-provinces", &Default::default()).expect("builtin");
        let proj = Laea::new(45.0, 40.1);
        for r in &layer.regions {
            let g = geo::MapCoords::map_coords(&r.geom, |c| {
                let (x, y) = proj.project(c.x, c.y);
                geo::Coord { x, y }
            });
            let planar = g.unsigned_area();
            let geodesic = measure::multi_polygon(&r.geom).area_m2;
            let rel = (planar - geodesic).abs() / geodesic;
            assert!(rel < 1e-6, "{}: {planar} vs {geodesic}", r.id);
        }
    }

    /// Equal Earth is equal-area on the ellipsoid too (authalic latitudes):
    /// the provinces, 45° from its central meridian, keep their areas to
    /// 1e-4 (measured: 2.1e-5 at most). What is left is edges: straight on
    /// the sheared map, geodesic on the ellipsoid; a 2 km square there
    /// keeps its area to 1e-7.
    #[test]
    fn equal_earth_keeps_areas() {
        use geo::Area;
        let layer =
            crate::data::builtin("armenia-provinces", &Default::default()).expect("builtin");
        let proj = EqualEarth::new(0.0);
        for r in &layer.regions {
            let g = geo::MapCoords::map_coords(&r.geom, |c| {
                let (x, y) = proj.project(c.x, c.y);
                geo::Coord { x, y }
            });
            let rel = (g.unsigned_area() - measure::multi_polygon(&r.geom).area_m2).abs()
                / measure::multi_polygon(&r.geom).area_m2;
            assert!(rel < 1e-4, "{}: {rel}", r.id);
        }
        // The antimeridian stays on its side of the map.
        let e = EqualEarth::new(0.0);
        assert!(e.project(180.0, 10.0).0 > 0.0 && e.project(-180.0, 10.0).0 < 0.0);
    }

    #[test]
    fn world_views_get_equal_earth_regional_views_laea() {
        assert!(matches!(
            MapProjection::for_view([-180.0, -90.0, 180.0, 90.0]),
            MapProjection::EqualEarth(_)
        ));
        assert!(matches!(
            MapProjection::for_view([43.0, 38.5, 47.0, 41.5]),
            MapProjection::Laea(_)
        ));
    }

    /// Distances near the centre are nearly true: 0.1° north and 0.1° east
    /// of 40° N 45° E against GeographicLib (Python geographiclib 2.1,
    /// Geodesic.WGS84.Inverse: 11,103.559 m and 8,539.385 m). Equal area on
    /// the ellipsoid costs ±0.07 % of scale here (north–south longer,
    /// east–west shorter, their product 1).
    #[test]
    fn laea_is_nearly_true_to_scale_at_the_centre() {
        let proj = Laea::new(45.0, 40.0);
        let (x0, y0) = proj.project(45.0, 40.0);
        assert!(x0.abs() < 1e-9 && y0.abs() < 1e-9);
        let (x, y) = proj.project(45.0, 40.1);
        assert!(x.abs() < 1e-6);
        assert!((y / 11_103.559 - 1.0).abs() < 1e-3, "{y}");
        let (x, y) = proj.project(45.1, 40.0);
        assert!((x / 8_539.385 - 1.0).abs() < 1e-3, "{x}");
        assert!(y > 0.0 && y < 10.0, "the parallel curves up slightly: {y}");
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_km(37.0), 20.0);
        assert_eq!(nice_km(55.0), 50.0);
        assert_eq!(nice_km(0.7), 0.5);
        assert_eq!(tick_step(230.0, 5.0), 50.0);
        assert_eq!(tick_step(11.0, 5.0), 2.5);
    }
}
