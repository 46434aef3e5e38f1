//! `territory area LAYER`: geodesic area and perimeter of every feature, and the
//! total as the area of the union (overlaps counted once); `--within` keeps only
//! what lies inside other regions; `--by` reports the union region by region.

use clap::Args;
use serde::Serialize;
use serde_json::Map;

use super::{LayerOpts, OutputOpts};
use territory::area::{self, AreaReport, ByReport};
use territory::borders::Band;
use territory::crs::{Crs, Transformer};
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::model::{AreaUnit, Distance, Layer};
use territory::overlay::Overlap;
use territory::report::{
    self, Cell, Column, Document, Format, JsonLayout, Row, RowFeature, Rows, Shape, Shown,
};

/// Arguments of `territory area`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory area builtin:armenia-provinces
  territory area data/examples/occupied-illustrative.geojson --unit mi2 -f csv -o areas.csv
  territory area data/examples/occupied-illustrative.geojson --within builtin:armenia
  territory area data/examples/occupied-illustrative.geojson --within builtin:armenia@ne10m --within builtin:armenia
  territory area data/examples/occupied-illustrative.geojson --by builtin:armenia-provinces
  territory area data/examples/occupied-illustrative.geojson --where date=2022-09-13 --dissolve-by date
  cat data/examples/occupied-illustrative.geojson | territory area - -f json")]
pub struct AreaArgs {
    /// Polygon layer: a GeoJSON file, a GeoJSON sequence (.geojsonl/.geojsons/.ndjson), KML or KMZ,
    /// `-` for stdin, or builtin:NAME (see `territory layers`)
    #[arg(value_name = "LAYER")]
    pub layer: LayerSpec,
    /// Unit for areas
    #[arg(long, value_enum, default_value_t)]
    pub unit: AreaUnit,
    /// Report the union of LAYER region by region of this layer (e.g. builtin:armenia-provinces)
    #[arg(long, value_name = "REGIONS")]
    pub by: Option<LayerSpec>,
    /// With --within: also give the area inside the border moved DIST inward
    /// (certainly inside) and DIST outward (possibly inside), e.g. 500m, 1km
    #[arg(long, value_name = "DIST", requires = "within", conflicts_with = "by")]
    pub border_tolerance: Option<Distance>,
    /// With --by: list every region, also those LAYER does not touch
    #[arg(long, requires = "by")]
    pub all_regions: bool,
    /// Keep only what lies inside the union of this layer (e.g. builtin:armenia).
    /// Repeatable: `--within builtin:armenia@ne10m --within builtin:armenia`
    /// answers under each border side by side, with the spread
    #[arg(long, value_name = "REGIONS")]
    pub within: Vec<LayerSpec>,
    /// Add each feature's planar area in this projected CRS (e.g. EPSG:32638)
    /// beside the geodesic one, with the difference in %: the number a GIS
    /// shows for "area" in that CRS. Needs the `proj` feature
    #[arg(long, value_name = "CRS", conflicts_with = "by")]
    pub planar_crs: Option<Crs>,
    /// Id and name fields, repair.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
    /// Format and destination.
    #[command(flatten)]
    pub out: OutputOpts,
}

/// Run `territory area`.
pub fn run(args: &AreaArgs) -> Result<()> {
    let specs: Vec<&LayerSpec> = std::iter::once(&args.layer)
        .chain(args.by.as_ref())
        .chain(&args.within)
        .collect();
    if args.within.len() > 1 && args.by.is_some() && args.out.format == Format::Geojson {
        return Err(super::borders::geojson_by_borders());
    }
    if args.within.len() > 1 && args.planar_crs.is_some() {
        return Err(Error::Usage(
            "--planar-crs compares one layer's areas; give one --within with it".into(),
        ));
    }
    let inputs = super::input_paths(&specs);
    let out_crs = args.out.out_transformer()?;
    let out = Output::open(args.out.output.as_deref(), &super::as_paths(&inputs))?;
    let mut layer = super::load_checked(&args.layer, &args.layer_opts)?;
    let plain = args.layer_opts.for_other_layers();
    let mut context = vec![
        format!("layer:  {} ({} features)", layer.name, layer.regions.len()),
        format!("source: {}", layer.source),
    ];
    let borders = super::load_all(&args.within, &plain)?;
    // With --border-tolerance: the band under each border, of the unclipped layer.
    let bands: Vec<Option<Band>> = match args.border_tolerance {
        Some(d) => territory::borders::bands(&layer, &borders, d.m)
            .map_err(|e| Error::Input(format!("--border-tolerance: {e}")))?
            .into_iter()
            .map(Some)
            .collect(),
        None => vec![None; borders.len()],
    };
    // The layer as read, for the swapped-axes hint when nothing lies inside
    // (issue #13 item 5).
    let as_read = if borders.is_empty() && args.by.is_none() {
        Vec::new()
    } else {
        territory::borders::swap_sample(&layer)
    };
    let mut band = None;
    if let [mask] = borders.as_slice() {
        context.push(format!("within: {} ({})", mask.name, mask.source));
        band = bands[0];
        layer = area::within(&layer, mask);
    }
    context.push(format!("method: {}", area::METHOD));
    let regions = args
        .by
        .as_ref()
        .map(|by| super::load_checked(by, &plain))
        .transpose()?;
    if let Some(r) = &regions {
        context.insert(2, format!("by:     {} ({})", r.name, r.source));
    }
    if borders.len() > 1 {
        return under_borders(
            out,
            &context,
            &layer,
            regions.as_ref(),
            (&borders, &bands),
            args,
            out_crs,
        );
    }
    match &regions {
        Some(regions) => {
            let rep = area::by_regions(&layer, regions);
            warn_region_overlaps(regions, &rep, args.unit);
            if rep.union_m2 > 0.0 && rep.rows.iter().all(|r| r.area_m2 == 0.0) {
                super::hint_swapped(&as_read, &args.layer.to_string(), regions);
            }
            write_by(out, &context, regions, &rep, args, out_crs.as_ref())
        }
        None => {
            let mut report = area::compute(&layer);
            report.band = band;
            if let [mask] = borders.as_slice()
                && report.totals.union_m2 == 0.0
            {
                super::hint_swapped(&as_read, &args.layer.to_string(), mask);
            }
            if let Some(crs) = &args.planar_crs {
                let unit = area::add_planar(&layer, &mut report, crs)?;
                context.push(format!(
                    "planar: area of the coordinates projected to {crs} (unit {unit}), for comparison"
                ));
            }
            write(
                out,
                &context,
                &layer,
                &report,
                args.unit,
                args.out.format,
                out_crs.as_ref(),
            )
        }
    }
}

fn warn_region_overlaps(regions: &Layer, rep: &ByReport, unit: AreaUnit) {
    for o in &rep.region_overlaps {
        territory::note!(
            "territory: warning: regions {:?} and {:?} of {} overlap by {:.6} {}; that area is reported under both",
            regions.regions[o.a].id,
            regions.regions[o.b].id,
            regions.name,
            unit.from_m2(o.area_m2),
            unit.suffix()
        );
    }
}

/// The report under each of several `--within` borders.
fn under_borders(
    out: Output,
    context: &[String],
    layer: &Layer,
    regions: Option<&Layer>,
    (borders, bands): (&[Layer], &[Option<Band>]),
    args: &AreaArgs,
    out_crs: Option<Transformer>,
) -> Result<()> {
    use super::borders::Under;
    match regions {
        Some(regions) => {
            let under: Vec<Under<'_, ByReport>> = borders
                .iter()
                .map(|b| {
                    let clipped = area::within(layer, b);
                    let report = area::by_regions(&clipped, regions);
                    Under {
                        border: b,
                        layer: clipped,
                        report,
                    }
                })
                .collect();
            if let Some(first) = under.first() {
                warn_region_overlaps(regions, &first.report, args.unit);
            }
            super::borders::write_by(
                out,
                context,
                layer,
                regions,
                &under,
                args.all_regions,
                args.unit,
                args.out.format,
            )
        }
        None => {
            let under: Vec<Under<'_, AreaReport>> = borders
                .iter()
                .zip(bands)
                .map(|(b, band)| {
                    let clipped = area::within(layer, b);
                    let mut report = area::compute(&clipped);
                    report.band = *band;
                    Under {
                        border: b,
                        layer: clipped,
                        report,
                    }
                })
                .collect();
            super::borders::write_area(
                out,
                context,
                layer,
                &under,
                args.unit,
                args.out.format,
                out_crs.as_ref(),
            )
        }
    }
}

/// "border ± 1 km: 150.2 (certainly inside) to 208.1 (possibly inside) km2".
pub fn band_line(b: &Band, unit: AreaUnit) -> String {
    let f = |v: f64| report::table::group_thousands(unit.from_m2(v), unit.table_decimals());
    let d = territory::model::Distance { m: b.distance_m };
    format!(
        "border ± {d}: {} (border moved {d} in: certainly inside) to {} {u} (moved {d} out: possibly inside); {} {u} as drawn",
        f(b.inner_m2),
        f(b.outer_m2),
        f(b.nominal_m2),
        u = unit.suffix()
    )
}

fn total_line(rep: &AreaReport, unit: AreaUnit) -> String {
    let t = &rep.totals;
    let d = unit.table_decimals();
    let u = unit.suffix();
    let f = |v: f64| report::table::group_thousands(unit.from_m2(v), d);
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
struct JsonTotal {
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
struct JsonPair {
    a: String,
    b: String,
    intersection: f64,
}

/// Overlapping pairs of `layer`'s features, by id, in `unit`.
fn json_pairs(overlaps: &[Overlap], layer: &Layer, unit: AreaUnit) -> Vec<JsonPair> {
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
                properties: region.props.clone(),
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

fn write(
    mut out: Output,
    context: &[String],
    layer: &Layer,
    rep: &AreaReport,
    unit: AreaUnit,
    format: Format,
    out_crs: Option<&Transformer>,
) -> Result<()> {
    let total = total_line(rep, unit);
    let doc = Document {
        preamble: context.to_vec(),
        rows: feature_rows(layer, rep, unit),
        footer: vec![total.clone()],
        json: JsonLayout::new("features")
            .before("layer", &layer.name)
            .before("source", &layer.source)
            .before("unit", unit.suffix())
            .before("method", area::METHOD)
            .before("context", context)
            .after("total", json_total(layer, rep, unit)),
        ..Document::default()
    };
    super::emit(&mut out, &doc, format, out_crs)?;
    if matches!(format, Format::Csv | Format::Geojson) {
        territory::note!("territory: {total}");
    }
    out.finish()
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
            properties: Map::new(),
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

fn write_by(
    mut out: Output,
    context: &[String],
    regions: &Layer,
    rep: &ByReport,
    args: &AreaArgs,
    out_crs: Option<&Transformer>,
) -> Result<()> {
    let unit = args.unit;
    let u = unit.suffix();
    let inside_m2 = rep.union_m2 - rep.outside_m2;
    let g = |v: f64| report::table::group_thousands(unit.from_m2(v), unit.table_decimals());
    let total = format!(
        "total (area of the union): {} {u}; inside regions {} {u}; outside {} {u}",
        g(rep.union_m2),
        g(inside_m2),
        g(rep.outside_m2)
    );
    let (rows, pieces) = by_rows(rep, unit, args.all_regions);
    let doc = Document {
        preamble: context.to_vec(),
        rows,
        footer: vec![total.clone()],
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
    };
    super::emit(&mut out, &doc, args.out.format, out_crs)?;
    if args.out.format == Format::Csv {
        territory::note!("territory: {total}");
    }
    out.finish()
}
