//! A coordinate reference system as named: the type layers and options
//! carry. Transformations are [`crate::crs`]'s (feature `proj`).

use std::fmt;
use std::str::FromStr;

/// The canonical name of WGS84 longitude/latitude.
pub const WGS84: &str = "OGC:CRS84";

/// A CRS as the user (or a file) named it: `EPSG:32638`, `32638`,
/// `urn:ogc:def:crs:EPSG::32638`, an OGC URL, WKT or a PROJ string.
///
/// Authority codes are normalised (`urn:ogc:def:crs:EPSG::32638`,
/// `http://www.opengis.net/def/crs/EPSG/0/32638`, `epsg:32638` and `32638` are
/// all `EPSG:32638`), so that two spellings of one code compare equal; WKT and
/// PROJ strings are kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crs {
    definition: String,
}

impl Crs {
    /// WGS84 longitude/latitude.
    pub fn wgs84() -> Self {
        Crs {
            definition: WGS84.to_string(),
        }
    }

    /// The (normalised) definition, as handed to PROJ.
    pub fn definition(&self) -> &str {
        &self.definition
    }

    /// The name for a GeoJSON `crs` member: an OGC URN for authority codes
    /// (`urn:ogc:def:crs:EPSG::32638`), else the definition itself.
    pub fn urn(&self) -> String {
        match self.definition.split_once(':') {
            Some(("OGC", "CRS84")) => "urn:ogc:def:crs:OGC:1.3:CRS84".into(),
            Some((auth, code))
                if auth.bytes().all(|b| b.is_ascii_uppercase())
                    && !code.is_empty()
                    && !code.contains([' ', ':', '[']) =>
            {
                format!("urn:ogc:def:crs:{auth}::{code}")
            }
            _ => self.definition.clone(),
        }
    }

    /// True for WGS84 longitude/latitude, which needs no transformation.
    pub fn is_wgs84(&self) -> bool {
        let d = self.definition.as_str();
        d == WGS84
            || d == "EPSG:4326"
            || d.eq_ignore_ascii_case("WGS84")
            || d.eq_ignore_ascii_case("WGS 84")
            || is_wgs84_proj_string(d)
    }
}

/// `+proj=longlat +datum=WGS84` with at most `+no_defs` / `+type=crs` beside it.
fn is_wgs84_proj_string(d: &str) -> bool {
    let mut parts: Vec<&str> = d.split_whitespace().collect();
    parts.retain(|p| *p != "+no_defs" && *p != "+type=crs");
    parts.sort_unstable();
    parts == ["+datum=WGS84", "+proj=longlat"]
        || parts == ["+ellps=WGS84", "+proj=longlat", "+towgs84=0,0,0"]
}

impl FromStr for Crs {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("empty CRS; give e.g. EPSG:32638, a WKT or a PROJ string".into());
        }
        Ok(Crs {
            definition: normalise(s),
        })
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // WKT can run to pages: show its start only.
        let d = &self.definition;
        if d.chars().count() > 80 {
            let head: String = d.chars().take(77).collect();
            write!(f, "{head}...")
        } else {
            f.write_str(d)
        }
    }
}

/// Normalise authority codes; leave WKT and PROJ strings alone.
fn normalise(s: &str) -> String {
    let code = |auth: &str, code: &str| -> Option<String> {
        let auth = auth.to_ascii_uppercase();
        if code.eq_ignore_ascii_case("CRS84") {
            return Some(WGS84.to_string());
        }
        (!code.is_empty()).then(|| format!("{auth}:{code}"))
    };
    let lower = s.to_ascii_lowercase();
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return format!("EPSG:{s}");
    }
    if lower == "crs84" {
        return WGS84.to_string();
    }
    if let Some(rest) = lower.strip_prefix("urn:ogc:def:crs:") {
        // urn:ogc:def:crs:AUTHORITY:[VERSION]:CODE
        let parts: Vec<&str> = s[s.len() - rest.len()..].split(':').collect();
        if parts.len() == 3
            && let Some(c) = code(parts[0], parts[2])
        {
            return c;
        }
    }
    for prefix in [
        "http://www.opengis.net/def/crs/",
        "https://www.opengis.net/def/crs/",
    ] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            // .../AUTHORITY/VERSION/CODE
            let parts: Vec<&str> = s[s.len() - rest.len()..].split('/').collect();
            if parts.len() == 3
                && let Some(c) = code(parts[0], parts[2])
            {
                return c;
            }
        }
    }
    if let Some((auth, c)) = s.split_once(':')
        && !auth.is_empty()
        && auth.bytes().all(|b| b.is_ascii_alphabetic())
        && !c.is_empty()
        && !c.contains([':', ' ', '['])
        && let Some(c) = code(auth, c)
    {
        return c;
    }
    s.to_string()
}
