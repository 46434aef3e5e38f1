//! Selecting and merging the features of a layer: `--where` and
//! `--dissolve-by`, applied to LAYER as it is read (see `commands::load`).

use serde_json::{Map, Value};

use crate::model::{Filter, GeomType, IdSource, Layer, Region};

/// A property as text for comparisons: strings as they are, other values
/// in JSON form (`2`, `true`); `None` when absent or null.
pub fn prop_text(props: &Map<String, Value>, field: &str) -> Option<String> {
    match props.get(field)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Keep the features of `layer` that pass every filter. A FIELD that no
/// feature has is an error (a typo would otherwise select nothing, or
/// everything with `!=`), and so is a selection that keeps nothing.
pub fn apply_filters(layer: &mut Layer, filters: &[Filter]) -> crate::error::Result<()> {
    use crate::error::Error;
    for f in filters {
        if !layer.regions.iter().any(|r| r.props.contains_key(&f.field)) {
            return Err(Error::Input(format!(
                "{}: --where {f}: no feature has a property {:?}",
                layer.name, f.field
            )));
        }
    }
    let before = layer.regions.len();
    layer.regions.retain(|r| {
        filters.iter().all(|f| {
            let equal = prop_text(&r.props, &f.field).as_deref() == Some(f.value.as_str());
            equal != f.negate
        })
    });
    if layer.regions.is_empty() {
        let list: Vec<String> = filters.iter().map(|f| format!("--where {f}")).collect();
        return Err(Error::Input(format!(
            "{}: {} keeps none of its {before} features",
            layer.name,
            list.join(" ")
        )));
    }
    Ok(())
}

/// Merge the features of `layer` that share the value of `field` (in order
/// of first appearance) into one feature: `union` of their geometries, id
/// and name the value, properties those every member agrees on, plus
/// `features` (how many were merged). A feature without `field` is an error
/// naming it.
pub fn dissolve_by(layer: Layer, field: &str) -> crate::error::Result<Layer> {
    use rayon::prelude::*;
    let mut groups: Vec<(String, Vec<Region>)> = Vec::new();
    for r in layer.regions {
        let Some(key) = prop_text(&r.props, field) else {
            return Err(crate::error::Error::Input(format!(
                "{}: feature {} (id {:?}) has no property {field:?} (named by --dissolve-by)",
                layer.name, r.index, r.id
            )));
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(r),
            None => groups.push((key, vec![r])),
        }
    }
    let regions: Vec<Region> = groups
        .into_par_iter()
        .map(|(key, members)| {
            let mut props = members[0].props.clone();
            props.retain(|k, v| members.iter().all(|m| m.props.get(k) == Some(v)));
            props.insert(field.to_string(), Value::String(key.clone()));
            props.insert("features".into(), members.len().into());
            let geom = crate::overlay::dissolve(members.iter().map(|m| &m.geom));
            let vertices = geom
                .0
                .iter()
                .map(|p| {
                    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
                })
                .sum();
            Region {
                index: members[0].index,
                id: key.clone(),
                name: key,
                props,
                geom,
                geom_type: GeomType::MultiPolygon,
                vertices,
            }
        })
        .collect();
    Ok(Layer {
        regions,
        id_source: IdSource::Field(field.to_string()),
        name_field: Some(field.to_string()),
        ..layer
    })
}
