//! The documents of `area` and `area --by`: rows from [`crate::area`]'s
//! reports, in the report's unit.

use serde::Serialize;

use super::{Cell, Column, Document, JsonLayout, Row, RowFeature, Rows, Shape, Shown};
use crate::area::{self, AreaReport, ByReport};
use crate::borders::Band;
use crate::model::{AreaUnit, Layer};
use crate::overlay::Overlap;

/// "border ± 1 km: 150.2 (certainly inside) to 208.1 (possibly inside) km2".
pub fn band_line(b: &Band, unit: AreaUnit) -> String {
    let f = |v: f64| super::table::group_thousands(unit.from_m2(v), unit.table_decimals());
    let d = crate::model::Distance { m: b.distance_m };
    format!(
        "border ± {d}: {} (border moved {d} in: certainly inside) to {} {u} (moved {d} out: possibly inside); {} {u} as drawn",
        f(b.inner_m2),
        f(b.outer_m2),
        f(b.nominal_m2),
        u = unit.suffix()
    )
}

/// The total line under the table: the union, the plain sum and overlap,
/// and the band under a border tolerance.
pub fn total_line(rep: &AreaReport, unit: AreaUnit) -> String {
    let t = &rep.totals;
    let d = unit.table_decimals();
    let u = unit.suffix();
    let f = |v: f64| super::table::group_thousands(unit.from_m2(v), d);
    let plural = if t.features == 1 { "" } else { "s" };
    let mut s = format!(
        "total (area of the union of {} feature{plural}): {} {u}",
        t.features,
        f(t.union_m2)
    );
    if t.overlap_m2 != 0.0 {
        s.push_str(&format!(
            "\n  plain sum {} {u}; overlap {} {u} counted once",
            f(t.sum_m2),
            f(t.overlap_m2)
        ));
        let within: f64 = t.self_overlaps.iter().map(|(_, a)| a).sum();
        if within > 0.0 {
            s.push_str(&format!(
                " ({} {u} of it between parts of one feature, in {} feature{})",
                f(within),
                t.self_overlaps.len(),
                if t.self_overlaps.len() == 1 { "" } else { "s" }
            ));
        }
    }
    if let Some(b) = &rep.band {
        s.push('\n');
        s.push_str(&band_line(b, unit));
    }
    s
}

#[derive(Serialize)]
pub(crate) struct JsonTotal {
    features: usize,
    union: f64,
    sum: f64,
    overlap: f64,
    overlapping_pairs: Vec<JsonPair>,
    /// False when only the first pairs of a crowded layer are listed.
    overlapping_pairs_complete: bool,
    /// Features whose own parts overlap, with the area covered twice.
    overlapping_parts: Vec<JsonSelf>,
    /// With --border-tolerance: the union with the border moved in and out.
    #[serde(skip_serializing_if = "Option::is_none")]
    band: Option<JsonBand>,
}

/// A [`Band`] in the report's unit.
#[derive(Serialize)]
pub struct JsonBand {
    distance_m: f64,
    inner: f64,
    nominal: f64,
    outer: f64,
}

impl JsonBand {
    /// `b` in `unit`.
    pub fn new(b: &Band, unit: AreaUnit) -> JsonBand {
        JsonBand {
            distance_m: b.distance_m,
            inner: unit.from_m2(b.inner_m2),
            nominal: unit.from_m2(b.nominal_m2),
            outer: unit.from_m2(b.outer_m2),
        }
    }
}

#[derive(Serialize)]
struct JsonSelf {
    id: String,
    overlap: f64,
}

#[derive(Serialize)]
pub(crate) struct JsonPair {
    a: String,
    b: String,
    intersection: f64,
}

/// Overlapping pairs of `layer`'s features, by id, in `unit`.
pub(crate) fn json_pairs(overlaps: &[Overlap], layer: &Layer, unit: AreaUnit) -> Vec<JsonPair> {
    overlaps
        .iter()
        .map(|o| JsonPair {
            a: layer.regions[o.a].id.clone(),
            b: layer.regions[o.b].id.clone(),
            intersection: unit.from_m2(o.area_m2),
        })
        .collect()
}

/// The columns and cells of a feature's row (`area`, and under each border).
pub fn feature_rows<'a>(layer: &'a Layer, rep: &AreaReport, unit: AreaUnit) -> Rows<'a> {
    let u = unit.suffix();
    let d = unit.table_decimals();
    let planar = rep.rows.iter().any(|r| r.planar_m2.is_some());
    let mut columns = vec![
        Column::shown("index", Shown::JSON),
        Column::shown("id", Shown::NOT_GEOJSON),
        Column::shown("name", Shown::NOT_GEOJSON),
        Column::new(format!("area_{u}")),
        Column::new("perimeter_km"),
    ];
    if planar {
        columns.extend([
            Column::new(format!("planar_area_{u}")),
            Column::new("planar_diff_pct"),
        ]);
    }
    let mut rows = Rows::new(columns);
    for (region, r) in layer.regions.iter().zip(&rep.rows) {
        let mut cells = vec![
            Cell::Int(r.index as u64),
            r.id.as_str().into(),
            r.name.as_str().into(),
            Cell::num(unit.from_m2(r.measure.area_m2), d),
            Cell::num(r.measure.perimeter_m / 1000.0, 3),
        ];
        if planar {
            cells.push(Cell::opt(r.planar_m2.map(|p| unit.from_m2(p)), d));
            cells.push(Cell::opt(r.planar_diff_pct(), 4));
        }
        rows.rows.push(Row {
            cells,
            shown: Shown::ALL,
            feature: Some(RowFeature {
                id: Some(region.id.clone()),
                properties: std::borrow::Cow::Borrowed(&region.props),
                shape: Shape::Area(&region.geom),
            }),
        });
    }
    rows
}

/// The totals of [`AreaReport`] as JSON, in `unit`.
fn json_total(layer: &Layer, rep: &AreaReport, unit: AreaUnit) -> JsonTotal {
    let t = &rep.totals;
    JsonTotal {
        features: t.features,
        union: unit.from_m2(t.union_m2),
        sum: unit.from_m2(t.sum_m2),
        overlap: unit.from_m2(t.overlap_m2),
        overlapping_pairs: json_pairs(&t.overlaps, layer, unit),
        overlapping_pairs_complete: t.pairs_complete,
        overlapping_parts: t
            .self_overlaps
            .iter()
            .map(|&(i, a)| JsonSelf {
                id: layer.regions[i].id.clone(),
                overlap: unit.from_m2(a),
            })
            .collect(),
        band: rep.band.as_ref().map(|b| JsonBand::new(b, unit)),
    }
}

#[derive(Serialize)]
struct JsonByTotal {
    union: f64,
    inside_regions: f64,
    outside: f64,
}

/// The rows of `area --by`: the regions shown, then `outside` (tables only);
/// and as GeoJSON the pieces, then what lies outside every region.
fn by_rows<'a>(rep: &'a ByReport, unit: AreaUnit, all_regions: bool) -> (Rows<'a>, Rows<'a>) {
    let u = unit.suffix();
    let d = unit.table_decimals();
    let mut rows = Rows::new(vec![
        Column::new("region_id"),
        Column::new("region_name"),
        Column::new(format!("area_{u}")),
        Column::new(format!("region_area_{u}")),
        Column::new("share_pct"),
    ]);
    for r in rep.rows.iter().filter(|r| all_regions || r.area_m2 > 0.0) {
        rows.push(vec![
            r.id.as_str().into(),
            r.name.as_str().into(),
            Cell::num(unit.from_m2(r.area_m2), d),
            Cell::num(unit.from_m2(r.region_area_m2), d),
            Cell::num(r.share_pct(), 3),
        ]);
    }
    rows.rows.push(Row {
        shown: Shown::TABLE_CSV,
        ..Row::new(vec![
            "outside".into(),
            "".into(),
            Cell::num(unit.from_m2(rep.outside_m2), d),
            "".into(),
            "".into(),
        ])
    });
    let mut pieces = Rows::new(vec![
        Column::new("region_id"),
        Column::new("region_name"),
        Column::new(format!("area_{u}")),
    ]);
    let piece = |id: &str, name: &str, area_m2: f64, geom: &'a geo::MultiPolygon<f64>| Row {
        cells: vec![id.into(), name.into(), Cell::num(unit.from_m2(area_m2), d)],
        shown: Shown::ALL,
        feature: Some(RowFeature {
            id: Some(id.to_string()),
            properties: Default::default(),
            shape: Shape::Area(geom),
        }),
    };
    for p in &rep.pieces {
        let r = &rep.rows[p.region];
        pieces.rows.push(piece(&r.id, &r.name, p.area_m2, &p.geom));
    }
    if rep.outside_m2 > 0.0 {
        pieces
            .rows
            .push(piece("outside", "", rep.outside_m2, &rep.outside));
    }
    (rows, pieces)
}

/// The report of `area`: a row per feature, the total under the table (in
/// `footer`, also returned for a message beside CSV and GeoJSON).
pub fn document<'a>(
    context: &[String],
    layer: &'a Layer,
    rep: &AreaReport,
    unit: AreaUnit,
) -> Document<'a> {
    Document {
        preamble: context.to_vec(),
        rows: feature_rows(layer, rep, unit),
        footer: vec![total_line(rep, unit)],
        json: JsonLayout::new("features")
            .layer("layer", "source", layer)
            .before("unit", unit.suffix())
            .before("method", area::METHOD)
            .before("context", context)
            .after("total", json_total(layer, rep, unit)),
        ..Document::default()
    }
}

/// The report of `area --by`: a row per region (those the layer touches,
/// or all), `outside`, and the totals under the table; the pieces as GeoJSON.
pub fn by_document<'a>(
    context: &[String],
    regions: &Layer,
    rep: &'a ByReport,
    unit: AreaUnit,
    all_regions: bool,
) -> Document<'a> {
    let u = unit.suffix();
    let inside_m2 = rep.union_m2 - rep.outside_m2;
    let g = |v: f64| super::table::group_thousands(unit.from_m2(v), unit.table_decimals());
    let total = format!(
        "total (area of the union): {} {u}; inside regions {} {u}; outside {} {u}",
        g(rep.union_m2),
        g(inside_m2),
        g(rep.outside_m2)
    );
    let (rows, pieces) = by_rows(rep, unit, all_regions);
    Document {
        preamble: context.to_vec(),
        rows,
        footer: vec![total],
        json: JsonLayout::new("regions")
            .before("context", context)
            .before("unit", u)
            .before("method", area::METHOD)
            .after("outside", unit.from_m2(rep.outside_m2))
            .after(
                "total",
                JsonByTotal {
                    union: unit.from_m2(rep.union_m2),
                    inside_regions: unit.from_m2(inside_m2),
                    outside: unit.from_m2(rep.outside_m2),
                },
            )
            .after(
                "region_overlaps",
                json_pairs(&rep.region_overlaps, regions, unit),
            ),
        features: Some(pieces),
        ..Document::default()
    }
}
