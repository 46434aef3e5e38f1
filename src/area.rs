//! Area reports of a layer: every feature's geodesic area and perimeter
//! with the totals of the union ([`compute`]), the union region by region
//! ([`by_regions`]), and the planar area a GIS shows in a projected CRS
//! ([`add_planar`]). Values in base units (m², m); reports convert.
//!
//! # Examples
//!
//! The provinces of Armenia, built in, tile the country:
//!
//! ```
//! let layer = territory::open(&"builtin:armenia-provinces".parse().unwrap(), &Default::default())?;
//! let report = territory::area::compute(&layer);
//! let km2 = report.totals.union_m2 / 1e6;
//! assert!((km2 - 29_732.075).abs() < 0.001, "{km2}");
//! assert_eq!(report.rows.len(), 11);
//! # Ok::<(), territory::Error>(())
//! ```

use geo::MultiPolygon;
use rayon::prelude::*;

use crate::borders::Band;
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::measure::{self, Measure};
use crate::model::Layer;
use crate::overlay::{self, Overlap, Totals};

/// The ellipsoid and algorithm, stated in every report.
pub const METHOD: &str = "geodesic on the WGS84 ellipsoid (Karney 2013, GeographicLib PolygonArea)";

/// One feature's row.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaRow {
    /// 1-based feature index.
    pub index: usize,
    /// Feature id.
    pub id: String,
    /// Feature name.
    pub name: String,
    /// Geodesic area and perimeter.
    pub measure: Measure,
    /// Planar area in `--planar-crs`, m².
    pub planar_m2: Option<f64>,
}

impl AreaRow {
    /// (planar − geodesic) / geodesic, in %.
    pub fn planar_diff_pct(&self) -> Option<f64> {
        let p = self.planar_m2?;
        (self.measure.area_m2 > 0.0)
            .then(|| 100.0 * (p - self.measure.area_m2) / self.measure.area_m2)
    }
}

/// Fill in every row's planar area in `crs` (in parallel); the unit of the CRS
/// is converted to m². Also returns the unit's name for the report.
pub fn add_planar(layer: &Layer, rep: &mut AreaReport, crs: &Crs) -> Result<String> {
    let t = crate::crs::between("--planar-crs", &Crs::wgs84(), crs)?;
    let (unit, metres) = crate::crs::linear_unit(crs).map_err(|reason| Error::Crs {
        path: "--planar-crs".into(),
        reason,
    })?;
    let areas: Vec<f64> = layer
        .regions
        .par_iter()
        .map(|r| {
            crate::crs::planar_area_m2(&r.geom, &t, metres).map_err(|f| {
                let place = format!("feature {} (id {:?}), {}", r.index, r.id, f.place);
                f.into_error(&layer.name, &place, &t)
            })
        })
        .collect::<Result<_>>()?;
    for (row, a) in rep.rows.iter_mut().zip(areas) {
        row.planar_m2 = Some(a);
    }
    Ok(unit)
}

/// The whole report: rows and totals, in base units.
#[derive(Debug, Clone)]
pub struct AreaReport {
    /// One row per feature, in source order.
    pub rows: Vec<AreaRow>,
    /// Sum, union and overlap.
    pub totals: Totals,
    /// With `--border-tolerance`: the union's area with the border moved in and out.
    pub band: Option<Band>,
}

/// The plain sum of the geodesic areas of `layer`'s features, m² (overlaps
/// counted as often as they occur; [`compute`] gives the union).
pub fn sum_m2(layer: &Layer) -> f64 {
    let geoms: Vec<_> = layer.regions.iter().map(|r| &r.geom).collect();
    measure::multi_polygons(&geoms)
        .iter()
        .map(|m| m.area_m2)
        .sum()
}

/// Compute the per-feature report for a layer.
pub fn compute(layer: &Layer) -> AreaReport {
    let geoms: Vec<_> = layer.regions.iter().map(|r| &r.geom).collect();
    let measures = measure::multi_polygons(&geoms);
    let areas: Vec<f64> = measures.iter().map(|m| m.area_m2).collect();
    let totals = overlay::totals(&geoms, &areas);
    let rows = layer
        .regions
        .iter()
        .zip(measures)
        .map(|(r, measure)| AreaRow {
            index: r.index,
            id: r.id.clone(),
            name: r.name.clone(),
            measure,
            planar_m2: None,
        })
        .collect();
    AreaReport {
        rows,
        totals,
        band: None,
    }
}

/// `layer` cut to what lies inside `border` (every feature by the border's
/// parts, in parallel; see [`crate::borders::clipped`]): what `--within`
/// measures.
pub fn within(layer: &Layer, border: &Layer) -> Layer {
    crate::borders::clipped(layer, border)
}

/// One region's row of `area --by`.
#[derive(Debug, Clone, PartialEq)]
pub struct ByRow {
    /// Region id.
    pub id: String,
    /// Region name.
    pub name: String,
    /// Area of the union of LAYER inside the region, m².
    pub area_m2: f64,
    /// The region's own area, m².
    pub region_area_m2: f64,
}

impl ByRow {
    /// Percent of the region covered.
    pub fn share_pct(&self) -> f64 {
        if self.region_area_m2 > 0.0 {
            100.0 * self.area_m2 / self.region_area_m2
        } else {
            0.0
        }
    }
}

/// The report of `area --by`.
#[derive(Debug, Clone)]
pub struct ByReport {
    /// Every region, in the order of REGIONS.
    pub rows: Vec<ByRow>,
    /// The pieces (region index, geometry, area).
    pub pieces: Vec<overlay::Piece>,
    /// The part of the union in no region.
    pub outside: MultiPolygon<f64>,
    /// Its area, m².
    pub outside_m2: f64,
    /// Area of the union of LAYER, m².
    pub union_m2: f64,
    /// Pairs of regions that overlap each other.
    pub region_overlaps: Vec<Overlap>,
}

/// The box the regions of `--by` must meet to hold any of `layer`, or of
/// `sample` (the layer as read) with latitude and longitude swapped, for
/// the swapped-axes hint; `None` for an empty layer. Regions outside it
/// take no part in [`by_regions`] but to be listed with no area, so a
/// caller that does not list those reads only the regions meeting it
/// ([`crate::ReadOptions::bbox`]: a FlatGeobuf's spatial index).
pub fn regions_box(layer: &Layer, sample: &[MultiPolygon<f64>]) -> Option<geo::Rect<f64>> {
    use geo::{BoundingRect, MapCoords};
    let swapped = sample
        .iter()
        .filter_map(|g| g.bounding_rect())
        .map(|b| b.map_coords(|c| geo::Coord { x: c.y, y: c.x }));
    layer
        .bbox()
        .into_iter()
        .chain(swapped)
        .reduce(crate::model::covering)
}

/// Dissolve `layer`, and split the union by every region of `regions` (see
/// [`overlay::by_regions`], the path `timeline` takes too).
pub fn by_regions(layer: &Layer, regions: &Layer) -> ByReport {
    let region_geoms: Vec<_> = regions.regions.iter().map(|r| &r.geom).collect();
    let region_areas: Vec<f64> = measure::multi_polygons(&region_geoms)
        .iter()
        .map(|m| m.area_m2)
        .collect();
    let features: Vec<&MultiPolygon<f64>> = layer.regions.iter().map(|r| &r.geom).collect();
    let overlay::ByRegions {
        pieces,
        outside,
        outside_m2,
        union_m2,
    } = overlay::by_regions(&features, &region_geoms);
    let mut rows: Vec<ByRow> = regions
        .regions
        .iter()
        .zip(&region_areas)
        .map(|(r, &a)| ByRow {
            id: r.id.clone(),
            name: r.name.clone(),
            area_m2: 0.0,
            region_area_m2: a,
        })
        .collect();
    for p in &pieces {
        rows[p.region].area_m2 = p.area_m2;
    }
    ByReport {
        rows,
        pieces,
        outside,
        outside_m2,
        union_m2,
        region_overlaps: overlay::overlaps(&region_geoms, &region_areas),
    }
}

/// [`compute`] inside each of `borders` ([`within`]), with each border's
/// band (`--border-tolerance`) when given.
pub fn under_each<'b>(
    layer: &Layer,
    borders: &'b [Layer],
    bands: &[Option<Band>],
) -> Vec<crate::borders::Under<'b, AreaReport>> {
    borders
        .iter()
        .zip(bands)
        .map(|(b, band)| {
            let clipped = within(layer, b);
            let mut report = compute(&clipped);
            report.band = *band;
            crate::borders::Under {
                border: b,
                layer: clipped,
                report,
            }
        })
        .collect()
}

/// [`by_regions`] inside each of `borders`.
pub fn by_regions_under_each<'b>(
    layer: &Layer,
    borders: &'b [Layer],
    regions: &Layer,
) -> Vec<crate::borders::Under<'b, ByReport>> {
    borders
        .iter()
        .map(|b| {
            let clipped = within(layer, b);
            let report = by_regions(&clipped, regions);
            crate::borders::Under {
                border: b,
                layer: clipped,
                report,
            }
        })
        .collect()
}
