//! What a layer holds, before measuring it: [`LayerInfo`].

use std::collections::BTreeMap;

use geo::BoundingRect;
use serde::Serialize;

use super::Layer;

/// Summary of a layer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LayerInfo {
    /// The LAYER argument.
    pub layer: String,
    /// Provenance.
    pub source: String,
    /// Number of features.
    pub features: usize,
    /// Geometry type → count of features.
    pub geometry_types: BTreeMap<String, usize>,
    /// Polygons (parts) over all features.
    pub polygons: usize,
    /// `[min_lon, min_lat, max_lon, max_lat]`, absent for an empty layer.
    pub bbox: Option<[f64; 4]>,
    /// Positions as read.
    pub vertices: usize,
    /// Property names in first-seen order.
    pub properties: Vec<String>,
    /// Where ids come from.
    pub id_field: String,
    /// Where names come from.
    pub name_field: Option<String>,
    /// The CRS the file was in (`None`: WGS84 lon/lat); the geometry has been
    /// transformed to WGS84.
    pub source_crs: Option<String>,
    /// Features that fail the validity checks (`None`: not checked, for
    /// built-in layers and `--no-check`).
    pub invalid_features: Option<Vec<String>>,
    /// Features that are not areas, by GeoJSON type (left out of every
    /// measurement; see [`crate::model::Skipped`]).
    pub not_areas: BTreeMap<String, usize>,
}

impl Layer {
    /// What the layer holds, before measuring it (`territory info`); the
    /// invalid features are left for the caller to fill in.
    pub fn info(&self) -> LayerInfo {
        let layer = self;
        let mut types = BTreeMap::new();
        let mut props: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut bbox: Option<[f64; 4]> = None;
        for r in &layer.regions {
            *types.entry(r.geom_type.as_str().to_string()).or_insert(0) += 1;
            for k in r.props.keys() {
                if seen.insert(k.clone()) {
                    props.push(k.clone());
                }
            }
            if let Some(rect) = r.geom.bounding_rect() {
                let b =
                    bbox.get_or_insert([rect.min().x, rect.min().y, rect.max().x, rect.max().y]);
                b[0] = b[0].min(rect.min().x);
                b[1] = b[1].min(rect.min().y);
                b[2] = b[2].max(rect.max().x);
                b[3] = b[3].max(rect.max().y);
            }
        }
        LayerInfo {
            layer: layer.name.clone(),
            source: layer.source.clone(),
            features: layer.regions.len(),
            geometry_types: types,
            polygons: layer.regions.iter().map(|r| r.geom.0.len()).sum(),
            bbox,
            vertices: layer.vertex_count(),
            properties: props,
            id_field: layer.id_source.to_string(),
            name_field: layer.name_field.clone(),
            source_crs: layer.src_crs.as_ref().map(ToString::to_string),
            invalid_features: None,
            not_areas: layer.skipped.iter().fold(BTreeMap::new(), |mut m, f| {
                *m.entry(f.geom_type.clone()).or_insert(0) += 1;
                m
            }),
        }
    }
}
