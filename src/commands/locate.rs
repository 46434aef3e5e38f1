//! `territory locate`: which region holds each point. One point typed by hand,
//! or millions of rows streamed from CSV (or GeoJSON points), looked up in
//! parallel through an R-tree, written in input order.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, ValueEnum};
use csv::ByteRecord;
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::CheckOpts;
use crate::crs::{Crs, Transformer};
use crate::error::{Error, Result};
use crate::index::{BoundaryIndex, RegionIndex};
use crate::io::output::Output;
use crate::io::points::{self, Block, Piece, PieceReader, PointReader};
use crate::io::{LayerSpec, ReadOptions};
use crate::model::Layer;

/// A `--regions [LABEL=]LAYER` argument.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledLayer {
    /// Column prefix in the output.
    pub label: String,
    /// The layer.
    pub layer: LayerSpec,
}

impl FromStr for LabeledLayer {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (label, layer) = match s.split_once('=') {
            Some((l, rest))
                if !l.is_empty() && !l.chars().any(|c| matches!(c, '/' | '\\' | ':')) =>
            {
                (Some(l.to_string()), rest)
            }
            _ => (None, s),
        };
        let layer: LayerSpec = layer.parse()?;
        let label = label.unwrap_or_else(|| match &layer {
            LayerSpec::Builtin(n) => n.clone(),
            LayerSpec::Stdin => "stdin".into(),
            LayerSpec::Path(p) => p
                .file_stem()
                .map_or("regions".into(), |s| s.to_string_lossy().to_string()),
        });
        Ok(LabeledLayer { label, layer })
    }
}

/// What to do with a row that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OnError {
    /// stop with the line number and value (exit 1, no output file)
    #[default]
    Stop,
    /// skip the row and count it in the summary
    Skip,
}

/// Output format of `locate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LocateFormat {
    /// readable lines (one point) or CSV (many points)
    Table,
    /// the input columns plus the region columns
    Csv,
    /// one JSON document (one point)
    Json,
    /// Point features with every column as a property
    Geojson,
}

/// Arguments of `territory locate`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory locate 39.53,45.98
  territory locate --lat 40.1776 --lon 44.5126 --distance
  territory locate data/examples/incidents.csv --regions province=builtin:armenia-provinces -o located.csv
  territory locate data/examples/incidents.csv --regions occupied=data/examples/occupied-illustrative.geojson --all

A point on the boundary of several regions belongs to the first of them in
layer order; --all lists every region holding it.")]
pub struct LocateArgs {
    /// `LAT,LON` for one point, or a file of points: CSV (with a header row),
    /// GeoJSON points, a GeoJSON sequence, KML/KMZ placemarks, or `-` for
    /// stdin (GeoJSON or KML detected from the first bytes, else CSV)
    #[arg(value_name = "POINTS|LAT,LON", allow_hyphen_values = true)]
    pub input: Option<String>,
    /// Latitude of one point (with --lon)
    #[arg(long, requires = "lon", allow_hyphen_values = true)]
    pub lat: Option<f64>,
    /// Longitude of one point (with --lat)
    #[arg(long, requires = "lat", allow_hyphen_values = true)]
    pub lon: Option<f64>,
    /// Region layer, optionally labelled: `province=builtin:armenia-provinces`
    /// (repeatable) [default: builtin:caucasus]
    #[arg(long = "regions", value_name = "[LABEL=]LAYER")]
    pub regions: Vec<LabeledLayer>,
    /// Add the geodesic distance in km to the region's boundary (to the nearest
    /// region's boundary when the point is in none)
    #[arg(long)]
    pub distance: bool,
    /// List every region holding the point, joined by `;`
    #[arg(long)]
    pub all: bool,
    /// CSV column holding the latitude (name or 1-based position); values
    /// in decimal degrees (a decimal comma too), with a hemisphere letter, or
    /// in degrees minutes seconds (40°12'11"N, 40 12 11 N)
    #[arg(long, value_name = "COL")]
    pub lat_col: Option<String>,
    /// CSV column holding the longitude (name or 1-based position)
    #[arg(long, value_name = "COL")]
    pub lon_col: Option<String>,
    /// CSV column holding both, "LAT, LON" (as copied from a web map);
    /// found by itself when named coordinates, coords, latlon or latlng
    #[arg(long, value_name = "COL", conflicts_with_all = ["lat_col", "lon_col"])]
    pub coords_col: Option<String>,
    /// What to do with a row that cannot be read
    #[arg(long, value_enum, default_value_t)]
    pub on_error: OnError,
    /// Property that holds each region's id, in every --regions layer
    /// (`--id-field adm1_code`) [default: the GeoJSON feature `id`, else
    /// property `id`, else the 1-based feature index]
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,
    /// Property that holds each region's name, in every --regions layer
    /// (`--name-field name_local`) [default: the first present of `name`,
    /// `NAME`, `name_en`, `Name`]
    #[arg(long, value_name = "FIELD")]
    pub name_field: Option<String>,
    /// Validity checks and repair of the region layers.
    #[command(flatten)]
    pub checks: CheckOpts,
    /// CRS of the points when not WGS84 lon/lat (EPSG:32638, WKT, PROJ string):
    /// the longitude column (or --lon) then holds x/easting, the latitude column
    /// (or --lat) y/northing. Needs the `proj` feature
    #[arg(long, value_name = "CRS")]
    pub src_crs: Option<Crs>,
    /// Also give each point's coordinates in CRS: columns `out_x`, `out_y` in
    /// CSV; GeoJSON geometry in CRS (RFC 7946 expects WGS84). Needs `proj`
    #[arg(long, value_name = "CRS")]
    pub out_crs: Option<Crs>,
    /// Output format [default: table for one point, csv for many]
    #[arg(short, long, value_enum)]
    pub format: Option<LocateFormat>,
    /// Write to FILE (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// One layer, indexed.
pub struct Target {
    /// Column prefix.
    pub label: String,
    /// The regions.
    pub layer: Layer,
    /// Their index.
    pub index: RegionIndex,
    /// Their boundaries, indexed for distances (with `--distance`).
    pub boundary: Option<BoundaryIndex>,
}

/// The answer for one point and one layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Matching regions (indices), first-in-layer-order first; empty when none.
    pub regions: Vec<usize>,
    /// Distance to the boundary in km, when asked for.
    pub distance_km: Option<f64>,
}

/// Look one point up in one layer.
pub fn lookup(t: &Target, lon: f64, lat: f64, all: bool, distance: bool) -> Hit {
    let mut regions = Vec::new();
    if all {
        t.index.all(lon, lat, &mut regions);
    } else if let Some(i) = t.index.first(lon, lat) {
        regions.push(i);
    }
    let distance_km = match (&t.boundary, distance) {
        (Some(b), true) => Some(b.distance_m(lon, lat, regions.first().copied()) / 1000.0),
        _ => None,
    };
    Hit {
        regions,
        distance_km,
    }
}

/// Load and index the layers asked for.
pub fn targets(
    specs: &[LabeledLayer],
    distance: bool,
    checks: &CheckOpts,
    fields: &ReadOptions,
) -> Result<Vec<Target>> {
    let default = [LabeledLayer {
        label: "caucasus".into(),
        layer: LayerSpec::Builtin("caucasus".into()),
    }];
    let specs = if specs.is_empty() {
        &default[..]
    } else {
        specs
    };
    specs
        .iter()
        .map(|s| {
            let lean = ReadOptions {
                lean: true,
                ..fields.clone()
            };
            let mut layer = crate::data::load_layer(&s.layer, &lean)?;
            // A lookup stays well defined on an invalid polygon (the winding
            // rule answers for any ring), so problems are one warning here;
            // --repair still repairs, commands that measure areas stop.
            if checks.repair {
                super::check(&mut layer, &s.layer, checks)?;
            } else if !checks.skips(&s.layer) {
                let invalid = crate::validate::invalid_features(&layer);
                if !invalid.is_empty() {
                    crate::note!(
                        "territory: warning: {}: {} invalid feature{} ({}); points are placed by the winding rule, which stays defined (--repair to repair, `territory validate` for details)",
                        layer.name,
                        invalid.len(),
                        if invalid.len() == 1 { "" } else { "s" },
                        invalid
                            .iter()
                            .take(5)
                            .map(|f| format!("feature {} (id {:?})", f.index, f.id))
                            .chain((invalid.len() > 5).then(|| format!("and {} more", invalid.len() - 5)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            }
            let index = RegionIndex::new(&layer);
            // Only ids and names are needed from here on; the geometry goes
            // to the boundary index (for distances) or away.
            let mut geoms = Vec::with_capacity(layer.regions.len());
            for r in &mut layer.regions {
                r.props = Map::new();
                geoms.push(std::mem::replace(&mut r.geom, geo::MultiPolygon(Vec::new())));
            }
            let boundary = distance.then(|| BoundaryIndex::from_geoms(geoms));
            Ok(Target {
                label: s.label.clone(),
                layer,
                index,
                boundary,
            })
        })
        .collect()
}

/// Run `territory locate`.
pub fn run(args: &LocateArgs) -> Result<()> {
    let single = match (args.lat, args.lon, args.input.as_deref()) {
        (Some(lat), Some(lon), None) => Some((lat, lon)),
        (Some(_), Some(_), Some(_)) => {
            return Err(Error::Input(
                "give either POINTS or --lat/--lon, not both".into(),
            ));
        }
        (_, _, Some(s)) if s != "-" && !std::path::Path::new(s).exists() => {
            crate::io::coords::point_argument(s).map_err(Error::Input)?
        }
        (_, _, None) => {
            return Err(Error::Input(
                "give a point (LAT,LON or --lat/--lon) or a file of points".into(),
            ));
        }
        _ => None,
    };
    let regions_inputs: Vec<PathBuf> = args
        .regions
        .iter()
        .filter_map(|r| match &r.layer {
            LayerSpec::Path(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    let mut inputs = regions_inputs;
    if let (None, Some(s)) = (single, args.input.as_deref())
        && s != "-"
    {
        inputs.push(PathBuf::from(s));
    }
    let out = Output::open(args.output.as_deref(), &super::as_paths(&inputs))?;
    let fields = ReadOptions {
        id_field: args.id_field.clone(),
        name_field: args.name_field.clone(),
        ..ReadOptions::default()
    };
    let targets = targets(&args.regions, args.distance, &args.checks, &fields)?;
    match single {
        Some((lat, lon)) => {
            let perr = |e: String| Error::Input(format!("point {lat},{lon}: {e}"));
            let (lat, lon) = match &args.src_crs {
                Some(c) => match crate::crs::to_wgs84("--src-crs", c)? {
                    Some(t) => {
                        let (x, y) = crate::crs::transform_point(&t, lon, lat).map_err(perr)?;
                        (y, x)
                    }
                    None => (lat, lon),
                },
                None => (lat, lon),
            };
            points::check_range(lat, lon).map_err(perr)?;
            one_point(out, &targets, lat, lon, args)
        }
        None => many_points(out, &targets, args),
    }
}

fn one_point(
    mut out: Output,
    targets: &[Target],
    lat: f64,
    lon: f64,
    args: &LocateArgs,
) -> Result<()> {
    let label = out.label();
    let werr = |source: std::io::Error| Error::Write {
        path: label.clone(),
        source,
    };
    let hits: Vec<Hit> = targets
        .iter()
        .map(|t| lookup(t, lon, lat, args.all, args.distance))
        .collect();
    let join = |t: &Target, h: &Hit, f: fn(&crate::model::Region) -> &str| {
        h.regions
            .iter()
            .map(|&i| f(&t.layer.regions[i]))
            .collect::<Vec<_>>()
            .join(";")
    };
    match args.format.unwrap_or(LocateFormat::Table) {
        LocateFormat::Table => {
            writeln!(out, "point: latitude {lat}, longitude {lon} (WGS84)").map_err(werr)?;
            for (t, h) in targets.iter().zip(&hits) {
                let what = if h.regions.is_empty() {
                    "none".to_string()
                } else {
                    format!("{} {}", join(t, h, |r| &r.id), join(t, h, |r| &r.name))
                };
                let dist = h.distance_km.map_or(String::new(), |d| {
                    let to = if h.regions.is_empty() {
                        "nearest region's boundary"
                    } else {
                        "boundary"
                    };
                    format!(" ({d:.3} km to the {to})")
                });
                let line = format!("{}: {what}{dist}   [{}]", t.label, t.layer.source);
                writeln!(out, "{}", crate::report::printable(&line)).map_err(werr)?;
            }
        }
        LocateFormat::Json | LocateFormat::Csv | LocateFormat::Geojson => {
            let layers: Vec<Value> = targets
                .iter()
                .zip(&hits)
                .map(|(t, h)| {
                    let mut m = Map::new();
                    m.insert("label".into(), t.label.clone().into());
                    m.insert("layer".into(), t.layer.name.clone().into());
                    m.insert("source".into(), t.layer.source.clone().into());
                    m.insert(
                        "id".into(),
                        (!h.regions.is_empty())
                            .then(|| join(t, h, |r| &r.id))
                            .into(),
                    );
                    m.insert(
                        "name".into(),
                        (!h.regions.is_empty())
                            .then(|| join(t, h, |r| &r.name))
                            .into(),
                    );
                    if let Some(d) = h.distance_km {
                        m.insert("distance_km".into(), d.into());
                    }
                    Value::Object(m)
                })
                .collect();
            let doc = serde_json::json!({"lat": lat, "lon": lon, "layers": layers});
            crate::report::json::write(&mut out, &doc).map_err(werr)?;
        }
    }
    out.finish()
}

/// Counts for the summary.
#[derive(Debug, Clone, Default)]
struct Stats {
    rows: u64,
    skipped: u64,
    matched: Vec<u64>,
    /// Unmatched rows kept to test the swapped-axes hint (at most 1,000).
    unmatched_sample: Vec<(f64, f64)>,
}

impl Stats {
    fn merge(&mut self, o: Stats) {
        self.rows += o.rows;
        self.skipped += o.skipped;
        for (a, b) in self.matched.iter_mut().zip(o.matched) {
            *a += b;
        }
        let room = 1000usize.saturating_sub(self.unmatched_sample.len());
        self.unmatched_sample
            .extend(o.unmatched_sample.into_iter().take(room));
    }
}

/// Bytes of CSV read per block (its pieces are processed in parallel).
const BLOCK: usize = 1 << 20;

fn progress_bar(input: &str, len: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || input == "-" || crate::io::output::verbosity() < 0 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len?);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
        .ok()?,
    );
    Some(bar)
}

/// What every worker needs to process rows.
struct Ctx<'a> {
    targets: &'a [Target],
    args: &'a LocateArgs,
    headers: &'a [String],
    ncols: usize,
    lat_col: usize,
    lon_col: usize,
    path: &'a str,
    format: LocateFormat,
    delimiter: u8,
    /// Rows stand for GeoJSON features (row N is on line N + 1).
    features: bool,
    /// From the points' CRS to WGS84 (`--src-crs`, CSV input only).
    to_wgs84: Option<&'a Transformer>,
    /// From WGS84 to `--out-crs`.
    to_out: Option<&'a Transformer>,
}

impl Ctx<'_> {
    /// "line N", or "feature N" for GeoJSON and KML points.
    fn place(&self, line: u64) -> String {
        points::place(self.features, line)
    }
}

fn read_row(rec: &ByteRecord, ctx: &Ctx) -> std::result::Result<(f64, f64), String> {
    if rec.len() != ctx.ncols {
        return Err(format!(
            "the row has {} fields, the header {}",
            rec.len(),
            ctx.ncols
        ));
    }
    points::lat_lon(
        rec,
        (ctx.lat_col, &ctx.headers[ctx.lat_col]),
        (ctx.lon_col, &ctx.headers[ctx.lon_col]),
        ctx.to_wgs84,
    )
}

fn process_chunk(block: &Block, ctx: &Ctx) -> Result<(Vec<u8>, Stats)> {
    let parts: Vec<Result<(Vec<u8>, Stats)>> = block
        .pieces
        .par_iter()
        .map(|piece| process_piece(block, piece, ctx))
        .collect();
    let mut bytes = Vec::new();
    let mut stats = Stats {
        matched: vec![0; ctx.targets.len()],
        ..Stats::default()
    };
    for p in parts {
        let (b, s) = p?;
        bytes.extend_from_slice(&b);
        stats.merge(s);
    }
    Ok((bytes, stats))
}

/// Parse and process one piece of whole records (on a worker).
fn process_piece(block: &Block, piece: &Piece, ctx: &Ctx) -> Result<(Vec<u8>, Stats)> {
    let mut reader = PieceReader::new(block, piece, ctx.delimiter);
    let (all, distance) = (ctx.args.all, ctx.args.distance);
    let mut stats = Stats {
        matched: vec![0; ctx.targets.len()],
        ..Stats::default()
    };
    let mut geo = Vec::new();
    let len = piece.range.len();
    let mut out: Vec<u8> = Vec::with_capacity(len + len / 2);
    let mut hits: Vec<Hit> = Vec::with_capacity(ctx.targets.len());
    let mut record = ByteRecord::new();
    loop {
        match reader.next(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err((line, e)) => {
                return Err(Error::Input(format!(
                    "{}: {}: {e}",
                    ctx.path,
                    ctx.place(line)
                )));
            }
        }
        let rec = &record;
        stats.rows += 1;
        let (lat, lon) = match read_row(rec, ctx) {
            Ok(p) => p,
            Err(msg) if ctx.args.on_error == OnError::Skip => {
                let _ = msg;
                stats.skipped += 1;
                continue;
            }
            Err(msg) => {
                return Err(Error::Input(format!(
                    "{}: {}: {msg} (use --on-error skip to skip such rows)",
                    ctx.path,
                    ctx.place(reader.line(rec))
                )));
            }
        };
        let out_xy = match ctx
            .to_out
            .map(|t| crate::crs::transform_point(t, lon, lat))
            .transpose()
        {
            Ok(xy) => xy,
            Err(msg) => {
                return Err(Error::Input(format!(
                    "{}: {}: {msg}",
                    ctx.path,
                    ctx.place(reader.line(rec))
                )));
            }
        };
        hits.clear();
        for (k, t) in ctx.targets.iter().enumerate() {
            let h = lookup(t, lon, lat, all, distance);
            if h.regions.is_empty() {
                if k == 0 && stats.unmatched_sample.len() < 1000 {
                    stats.unmatched_sample.push((lat, lon));
                }
            } else {
                stats.matched[k] += 1;
            }
            hits.push(h);
        }
        if ctx.format == LocateFormat::Csv {
            if ctx.delimiter == b',' {
                // The input record as it was written (quotes and all).
                out.extend_from_slice(reader.raw(rec));
            } else {
                for (k, f) in rec.iter().enumerate() {
                    if k > 0 {
                        out.push(b',');
                    }
                    push_field(&mut out, f);
                }
            }
            for (t, h) in ctx.targets.iter().zip(&hits) {
                out.push(b',');
                push_names(&mut out, t, h, |r| &r.id);
                out.push(b',');
                push_names(&mut out, t, h, |r| &r.name);
                if let Some(d) = h.distance_km {
                    out.push(b',');
                    out.extend_from_slice(d.to_string().as_bytes());
                }
            }
            if let Some((x, y)) = out_xy {
                out.extend_from_slice(format!(",{x},{y}").as_bytes());
            }
            out.push(b'\n');
        } else {
            let mut props = Map::new();
            for (name, f) in ctx.headers.iter().zip(rec.iter()) {
                props.insert(name.clone(), String::from_utf8_lossy(f).into_owned().into());
            }
            for (t, h) in ctx.targets.iter().zip(&hits) {
                let join = |f: fn(&crate::model::Region) -> &str| -> Value {
                    if h.regions.is_empty() {
                        Value::Null
                    } else {
                        h.regions
                            .iter()
                            .map(|&i| f(&t.layer.regions[i]))
                            .collect::<Vec<_>>()
                            .join(";")
                            .into()
                    }
                };
                props.insert(format!("{}_id", t.label), join(|r| &r.id));
                props.insert(format!("{}_name", t.label), join(|r| &r.name));
                if let Some(d) = h.distance_km {
                    props.insert(format!("{}_distance_km", t.label), d.into());
                }
            }
            let feature = serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": out_xy.map_or([lon, lat], |(x, y)| [x, y])},
                "properties": props,
            });
            geo.extend_from_slice(b",\n");
            serde_json::to_writer(&mut geo, &feature).map_err(|e| Error::Write {
                path: "<buffer>".into(),
                source: e.into(),
            })?;
        }
    }
    let bytes = if ctx.format == LocateFormat::Csv {
        out
    } else {
        geo
    };
    Ok((bytes, stats))
}

/// Append one CSV field, quoted when it holds a comma, quote or line break.
fn push_field(buf: &mut Vec<u8>, f: &[u8]) {
    if f.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for &b in f {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(f);
    }
}

/// Append the ids or names of a hit (joined by `;`).
fn push_names(buf: &mut Vec<u8>, t: &Target, h: &Hit, f: fn(&crate::model::Region) -> &str) {
    match h.regions.as_slice() {
        [] => {}
        [one] => push_field(buf, f(&t.layer.regions[*one]).as_bytes()),
        many => {
            let joined = many
                .iter()
                .map(|&i| f(&t.layer.regions[i]))
                .collect::<Vec<_>>()
                .join(";");
            push_field(buf, joined.as_bytes());
        }
    }
}

fn many_points(mut out: Output, targets: &[Target], args: &LocateArgs) -> Result<()> {
    let input = args.input.as_deref().unwrap_or("-");
    let (lat, lon) = match &args.coords_col {
        Some(c) => (Some(c.as_str()), Some(c.as_str())),
        None => (args.lat_col.as_deref(), args.lon_col.as_deref()),
    };
    let mut reader = PointReader::open(input, lat, lon, args.src_crs.as_ref())?;
    if args.distance {
        // Distances cost ten times a lookup, and vary from point to point.
        reader.piece_records = points::PIECE_RECORDS / 8;
    }
    let src = match &args.src_crs {
        Some(c) => crate::crs::to_wgs84("--src-crs", c)?,
        None => None,
    };
    let dst = match &args.out_crs {
        Some(c) => crate::crs::from_wgs84("--out-crs", c)?,
        None => None,
    };
    let format = match args.format {
        None | Some(LocateFormat::Table) | Some(LocateFormat::Csv) => LocateFormat::Csv,
        Some(LocateFormat::Json) => {
            return Err(Error::Input(
                "-f json is for one point; use csv or geojson for many".into(),
            ));
        }
        Some(f) => f,
    };
    let mut headers: Vec<String> = reader
        .headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let ncols = headers.len();
    let input_headers = headers.clone();
    for t in targets {
        headers.push(format!("{}_id", t.label));
        headers.push(format!("{}_name", t.label));
        if args.distance {
            headers.push(format!("{}_distance_km", t.label));
        }
    }
    if args.out_crs.is_some() && format == LocateFormat::Csv {
        headers.extend(["out_x".to_string(), "out_y".to_string()]);
    }
    let label = out.label();
    let werr = |source: std::io::Error| Error::Write {
        path: label.clone(),
        source,
    };
    if format == LocateFormat::Csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&headers).map_err(|e| werr(e.into()))?;
        out.write_all(&w.into_inner().map_err(|e| werr(e.into_error()))?)
            .map_err(werr)?;
    } else {
        out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")
            .map_err(werr)?;
    }
    let path = reader.path.clone();
    let ctx = Ctx {
        targets,
        args,
        headers: &input_headers,
        ncols,
        lat_col: reader.lat_col,
        lon_col: reader.lon_col,
        path: &path,
        format,
        delimiter: reader.delimiter,
        features: reader.features,
        to_wgs84: src.as_ref().filter(|_| !reader.features),
        to_out: dst.as_ref(),
    };
    let file_len = std::fs::metadata(input).ok().map(|m| m.len());
    let progress = progress_bar(input, file_len);
    let mut stats = Stats {
        matched: vec![0; targets.len()],
        ..Stats::default()
    };
    let (mut current, mut next) = (Block::default(), Block::default());
    // A pipeline: a writer thread writes chunk N-1's output while the workers
    // look up chunk N and this thread reads chunk N+1.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
    let writer = std::thread::spawn(move || -> std::result::Result<Output, std::io::Error> {
        for bytes in rx {
            out.write_all(&bytes)?;
        }
        Ok(out)
    });
    let mut pump = || -> Result<()> {
        let mut more = reader.read_block(&mut current, BLOCK)?;
        let mut first = true;
        while !current.pieces.is_empty() {
            let (io_result, done) = rayon::join(
                || -> Result<bool> {
                    if let (Some(p), Some(pos)) = (&progress, reader.byte_position()) {
                        p.set_position(pos);
                    }
                    if more {
                        reader.read_block(&mut next, BLOCK)
                    } else {
                        next.pieces.clear();
                        Ok(false)
                    }
                },
                || process_chunk(&current, &ctx),
            );
            let (bytes, chunk_stats) = done?;
            more = io_result?;
            stats.merge(chunk_stats);
            let bytes = if first && format == LocateFormat::Geojson && bytes.starts_with(b",") {
                bytes[1..].to_vec()
            } else {
                bytes
            };
            if !bytes.is_empty() {
                first = false;
            }
            if tx.send(bytes).is_err() {
                break; // the writer failed; its error is reported below
            }
            std::mem::swap(&mut current, &mut next);
        }
        Ok(())
    };
    // Whatever happened, stop the writer and take the output back, so that an
    // error drops (deletes) the temporary file before the process exits.
    let pumped = pump();
    drop(tx);
    let written = writer
        .join()
        .map_err(|_| Error::Input("the output thread panicked".into()))?;
    pumped?;
    let mut out = written.map_err(werr)?;
    if format == LocateFormat::Geojson {
        out.write_all(b"\n]}\n").map_err(werr)?;
    }
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    if stats.rows > 0 && stats.skipped == stats.rows {
        // Nothing is written: a file of headers alone is not a result.
        return Err(Error::Input(format!(
            "{}: none of the {} rows could be read (all skipped by --on-error skip); nothing written",
            if input == "-" { "stdin" } else { input },
            stats.rows
        )));
    }
    out.finish()?;
    summary(&stats, targets);
    Ok(())
}

fn summary(stats: &Stats, targets: &[Target]) {
    let located = stats.rows - stats.skipped;
    let mut line = format!(
        "territory: {} rows read, {} skipped",
        stats.rows, stats.skipped
    );
    for (t, m) in targets.iter().zip(&stats.matched) {
        line.push_str(&format!(
            "; {}: {} matched, {} in no region",
            t.label,
            m,
            located - m
        ));
    }
    crate::note!("{line}");
    // Swapped axes: most points in no region, but most of a sample would be
    // in one with latitude and longitude exchanged.
    // Swapped axes: fewer points fall in a region as given than would with
    // latitude and longitude exchanged, estimated from a sample of the
    // points in none (issue #13 item 6: 1.6 % as given against a third
    // swapped must warn too).
    if let Some(t) = targets.first()
        && located > 0
        && stats.matched[0] * 2 < located
        && !stats.unmatched_sample.is_empty()
    {
        let swapped = stats
            .unmatched_sample
            .iter()
            .filter(|(lat, lon)| lon.abs() <= 90.0 && t.index.first(*lat, *lon).is_some())
            .count();
        let given_rate = stats.matched[0] as f64 / located as f64;
        let swapped_rate =
            (1.0 - given_rate) * swapped as f64 / stats.unmatched_sample.len() as f64;
        if swapped_rate > 2.0 * given_rate && swapped_rate > 0.01 {
            crate::note!(
                "territory: warning: {:.1} % of the points are in a region of {}, but about {:.1} % would be with latitude and longitude swapped ({} of {} sampled points in none): check the column order (--lat-col/--lon-col)",
                100.0 * given_rate,
                t.label,
                100.0 * swapped_rate,
                swapped,
                stats.unmatched_sample.len()
            );
        }
    }
}
