//! KML and KMZ input (Google Earth, My Maps, QGIS exports).
//!
//! Each Placemark becomes a GeoJSON-shaped feature, which then goes through the
//! GeoJSON reader's checks (coordinates, rings, geometry types), so KML gets the
//! same located messages: feature = the Placemark's 1-based position in
//! document order.
//!
//! - Geometry: Polygon (outer and inner boundaries), MultiGeometry (as a
//!   GeometryCollection: polygons for layers, points for `locate`), Point;
//!   LineString and LinearRing are read and refused as "not an area" where an
//!   area is needed. Altitudes are dropped (KML coordinates are WGS84 lon, lat
//!   and height; areas are on the ellipsoid surface).
//! - Properties: `name`, `description`, every `ExtendedData` `Data` (name →
//!   value) and `SchemaData`/`SimpleData` field, and `folder`: the names of
//!   the enclosing Folders joined by `/` (absent outside folders).
//! - Id: the Placemark's `id` attribute when it has one.
//! - KMZ: the first `.kml` file in the zip archive (Google Earth's `doc.kml`).
//!
//! KML is WGS84 by definition: `--src-crs` other than WGS84 is an error.

use std::io::Read;

use kml::types::{Element, Geometry, Placemark};
use kml::{Kml, KmlReader};
use serde_json::{Map, Value};

use super::feature::{Feature, Geometry as Geom, Positions, Ring};
use crate::error::{Error, Result};

/// Which of the two forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KmlKind {
    /// KML text.
    Kml,
    /// A zip archive holding a KML file.
    Kmz,
}

/// KML or KMZ by file extension.
pub fn kind_of(path: &std::path::Path) -> Option<KmlKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "kml" => Some(KmlKind::Kml),
        "kmz" => Some(KmlKind::Kmz),
        _ => None,
    }
}

/// KML or KMZ from the first bytes of standard input: a zip header, or XML.
pub fn sniff(bytes: &[u8]) -> Option<KmlKind> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(KmlKind::Kmz);
    }
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    (text[start] == b'<').then_some(KmlKind::Kml)
}

/// The Placemarks of a KML or KMZ file as features, in document order.
pub fn features(bytes: &[u8], path: &str, kind: KmlKind) -> Result<Vec<Feature>> {
    let bad = |what: String| Error::BadFile {
        path: path.to_string(),
        what,
    };
    let text: std::borrow::Cow<[u8]> = match kind {
        KmlKind::Kml => bytes.into(),
        KmlKind::Kmz => kml_in_zip(bytes).map_err(bad)?.into(),
    };
    check_xml(&text).map_err(|e| bad(format!("not valid KML: {e}")))?;
    let root: Kml = KmlReader::<_, f64>::from_reader(&text[..])
        .read()
        .map_err(|e| bad(format!("not valid KML: {e}")))?;
    let mut features = Vec::new();
    walk(&root, &mut Vec::new(), &mut features);
    if features.is_empty()
        && !matches!(
            root,
            Kml::KmlDocument(_) | Kml::Document { .. } | Kml::Folder(_)
        )
    {
        return Err(bad("no KML Document, Folder or Placemark found".into()));
    }
    for (i, f) in features.iter_mut().enumerate() {
        f.index = i + 1;
    }
    Ok(features)
}

/// Deepest element nesting read (Google Earth files nest folders a few deep).
pub const MAX_XML_DEPTH: usize = 256;

/// Check, before the kml crate reads it, what its reader (0.15) does not:
/// that the XML is well formed (it loops for ever when the input ends inside
/// a Placemark), not too deep (it recurses once per nested Folder), and that
/// every Point has coordinates (it panics on an empty Point). All three were
/// found by fuzzing (`fuzz/fuzz_targets/kml_layer.rs`).
fn check_xml(xml: &[u8]) -> std::result::Result<(), String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut open: Vec<String> = Vec::new();
    // Inside a Point: (its depth, where it starts, coordinates seen);
    // inside its <coordinates>: true.
    let mut point: Option<(usize, u64, bool)> = None;
    let mut in_coords = false;
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                if open.len() == MAX_XML_DEPTH {
                    return Err(format!(
                        "elements nested more than {MAX_XML_DEPTH} deep (at byte {at})"
                    ));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "Point" {
                    point = Some((open.len(), at, false));
                } else if name == "coordinates" && point.is_some() {
                    in_coords = true;
                }
                open.push(name);
            }
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"Point" => {
                return Err(format!(
                    "an empty <Point/> at byte {at}: a Point needs coordinates"
                ));
            }
            Ok(Event::Text(t)) if in_coords => {
                if t.iter().any(u8::is_ascii_digit)
                    && let Some(p) = point.as_mut()
                {
                    p.2 = true;
                }
            }
            Ok(Event::End(_)) => {
                in_coords = false;
                open.pop();
                if let Some((depth, start, seen)) = point
                    && open.len() == depth
                {
                    if !seen {
                        return Err(format!("the Point at byte {start} has no coordinates"));
                    }
                    point = None;
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "XML error at byte {}: {e}",
                    reader.error_position()
                ));
            }
        }
        buf.clear();
    }
    match open.last() {
        Some(name) => Err(format!("the XML ends inside <{name}> (a truncated file?)")),
        None => Ok(()),
    }
}

/// A KMZ may always inflate to this many bytes.
pub const MIN_INFLATE_LIMIT: u64 = 64 << 20;
/// Above [`MIN_INFLATE_LIMIT`], a KMZ may inflate to at most this many times
/// its own size (KML text compresses 10 to 30 times; zip bombs 1,000 times).
pub const MAX_INFLATE_RATIO: u64 = 200;

/// How many bytes a KMZ archive of `archive` bytes may inflate to.
pub fn inflate_limit(archive: u64) -> u64 {
    archive
        .saturating_mul(MAX_INFLATE_RATIO)
        .clamp(MIN_INFLATE_LIMIT, crate::io::MAX_LAYER_BYTES)
}

/// The message for a zip member (of a KMZ or a zipped shapefile) named
/// `name` that inflates to `size` bytes, past [`inflate_limit`] of its
/// `archive` bytes.
pub(crate) fn bomb(name: &str, size: u64, archive: u64) -> String {
    format!(
        "{} inflates to more than {} MB ({} MB here) from a {:.1} MB archive; an archive that expands over {MAX_INFLATE_RATIO} times (above {} MB), or past the {} GiB layer limit, is refused as a likely zip bomb",
        crate::text::excerpt(name),
        inflate_limit(archive) >> 20,
        size >> 20,
        archive as f64 / 1e6,
        MIN_INFLATE_LIMIT >> 20,
        crate::io::MAX_LAYER_BYTES >> 30
    )
}

/// The first `.kml` member of a KMZ (zip) archive.
fn kml_in_zip(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a KMZ (zip) archive: {e}"))?;
    for i in 0..zip.len() {
        let mut member = zip
            .by_index(i)
            .map_err(|e| format!("KMZ member {i}: {e}"))?;
        let name = member
            .name()
            .map_err(|e| format!("KMZ member {i}: {e}"))?
            .to_string();
        if name.to_ascii_lowercase().ends_with(".kml") {
            // A zip bomb (a small archive that inflates to gigabytes) is
            // refused by its declared size, and by what it really inflates to.
            let limit = inflate_limit(bytes.len() as u64);
            let refuse =
                |size: u64| format!("KMZ member {}", bomb(&name, size, bytes.len() as u64));
            if member.size() > limit {
                return Err(refuse(member.size()));
            }
            let mut buf = Vec::new();
            (&mut member)
                .take(limit + 1)
                .read_to_end(&mut buf)
                .map_err(|e| format!("KMZ member {name}: {e}"))?;
            if buf.len() as u64 > limit {
                return Err(refuse(buf.len() as u64));
            }
            return Ok(buf);
        }
    }
    Err("the KMZ archive holds no .kml file".into())
}

fn walk(k: &Kml, folders: &mut Vec<String>, out: &mut Vec<Feature>) {
    match k {
        Kml::KmlDocument(d) => d.elements.iter().for_each(|e| walk(e, folders, out)),
        Kml::Document { elements, .. } => elements.iter().for_each(|e| walk(e, folders, out)),
        Kml::Folder(f) => {
            folders.push(f.name.clone().unwrap_or_default());
            f.elements.iter().for_each(|e| walk(e, folders, out));
            folders.pop();
        }
        Kml::Placemark(p) => out.push(placemark(p, folders)),
        _ => {}
    }
}

fn placemark(p: &Placemark, folders: &[String]) -> Feature {
    let mut props = Map::new();
    if let Some(n) = &p.name {
        props.insert("name".into(), n.trim().into());
    }
    if let Some(d) = &p.description {
        props.insert("description".into(), d.trim().into());
    }
    for c in &p.children {
        if c.name == "ExtendedData" {
            extended_data(c, &mut props);
        }
    }
    if !folders.is_empty() {
        props.insert("folder".into(), folders.join("/").into());
    }
    Feature {
        index: 0,
        line: None,
        id: p.attrs.get("id").cloned(),
        properties: props,
        geometry: p.geometry.as_ref().map_or(Geom::Null, geometry),
    }
}

/// `<Data name="k"><value>v</value></Data>` and
/// `<SchemaData><SimpleData name="k">v</SimpleData></SchemaData>`.
fn extended_data(e: &Element, props: &mut Map<String, Value>) {
    for c in &e.children {
        match c.name.as_str() {
            "Data" => {
                if let Some(name) = c.attrs.get("name") {
                    let value = c
                        .children
                        .iter()
                        .find(|v| v.name == "value")
                        .and_then(|v| v.content.clone())
                        .unwrap_or_default();
                    props.insert(name.clone(), value.trim().into());
                }
            }
            "SchemaData" => {
                for s in c.children.iter().filter(|s| s.name == "SimpleData") {
                    if let Some(name) = s.attrs.get("name") {
                        let value = s.content.clone().unwrap_or_default();
                        props.insert(name.clone(), value.trim().into());
                    }
                }
            }
            _ => {}
        }
    }
}

fn positions(coords: &[kml::types::Coord<f64>]) -> Positions {
    Positions::from_coords(
        coords
            .iter()
            .map(|c| geo::Coord { x: c.x, y: c.y })
            .collect(),
    )
}

fn line(coords: &[kml::types::Coord<f64>]) -> geo::LineString<f64> {
    coords
        .iter()
        .map(|c| geo::Coord { x: c.x, y: c.y })
        .collect()
}

/// A KML geometry in GeoJSON's model: a MultiGeometry is a collection, a
/// LinearRing on its own a line.
fn geometry(g: &Geometry) -> Geom {
    let not_area = |kind: &str, points, lines| Geom::NotArea {
        kind: kind.to_string(),
        points,
        lines,
    };
    match g {
        Geometry::Point(p) => not_area(
            "Point",
            vec![geo::Coord {
                x: p.coord.x,
                y: p.coord.y,
            }],
            Vec::new(),
        ),
        Geometry::Polygon(p) => Geom::Polygon(
            std::iter::once(&p.outer)
                .chain(&p.inner)
                .map(|r| Ring::Positions(positions(&r.coords)))
                .collect(),
        ),
        Geometry::MultiGeometry(m) => Geom::Collection(m.geometries.iter().map(geometry).collect()),
        Geometry::LineString(l) => not_area("LineString", Vec::new(), vec![line(&l.coords)]),
        Geometry::LinearRing(l) => not_area("LineString", Vec::new(), vec![line(&l.coords)]),
        _ => Geom::Other("Unknown KML geometry".into()),
    }
}
