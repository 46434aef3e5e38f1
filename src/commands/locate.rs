//! `territory locate`: which region holds each point. One point typed by hand,
//! or millions of rows streamed from CSV (or GeoJSON points), looked up in
//! parallel through an R-tree, written in input order.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{CheckOpts, PointColumns, SourceOpts};
use territory::crs::Crs;
use territory::error::{Error, Result};
use territory::io::coords::PointsInput;
use territory::io::output::Output;
use territory::io::points::{self, PointReader};
use territory::io::{LayerSpec, ReadOptions};
pub use territory::locate::{Hit, Hits, Target};
use territory::report;
use territory::report::Format;
use territory::report::points::PointsFormat;
pub use territory::report::points::{OnError, Stats, StreamOptions};

pub use territory::io::LabeledLayer;

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
    /// a GeoPackage of Point features (binary; -o FILE.gpkg)
    Gpkg,
    /// a FlatGeobuf file of Point features (binary; -o FILE.fgb)
    Fgb,
    /// a GeoParquet file of Point features, written a row group at a time
    /// (binary; -o FILE.parquet)
    Parquet,
}

/// Arguments of `territory locate`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory locate 39.53,45.98
  territory locate --lat 40.1776 --lon 44.5126 --distance
  territory locate data/examples/incidents.csv --regions province=builtin:armenia-provinces -o located.csv
  territory locate data/examples/incidents.csv --regions occupied=data/examples/occupied-illustrative.geojson --all

A point on the boundary of several regions belongs to the first of them in
layer order; --all lists every region holding it. --id-field, --name-field,
--repair and --no-check apply to every --regions layer.")]
pub struct LocateArgs {
    /// `LAT,LON` for one point, or a file of points: CSV (with a header row;
    /// lat/lon columns or a WKT column), GeoJSON points, a GeoJSON sequence,
    /// KML/KMZ placemarks, GeoPackage, Shapefile, FlatGeobuf, GeoParquet, or
    /// `-` for stdin (the format detected from the first bytes, else CSV)
    #[arg(value_name = "POINTS|LAT,LON", allow_hyphen_values = true)]
    pub input: Option<PointsInput>,
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
    /// Columns of a CSV of points.
    #[command(flatten)]
    pub columns: PointColumns,
    /// What to do with a row that cannot be read
    #[arg(long, value_enum, default_value_t)]
    pub on_error: OnError,
    /// Id and name fields, validity checks and repair of every --regions layer.
    #[command(flatten)]
    pub source: SourceOpts,
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
            let mut layer = territory::data::load_layer(&s.layer, &lean)?;
            // A lookup stays well defined on an invalid polygon (the winding
            // rule answers for any ring), so problems are one warning here;
            // --repair still repairs, commands that measure areas stop.
            if checks.repair {
                super::check(&mut layer, &s.layer, checks)?;
            } else if !checks.skips(&s.layer) {
                let invalid = territory::validate::invalid_features(&layer);
                if !invalid.is_empty() {
                    territory::note!(
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
            Ok(Target::new(s.label.clone(), layer, distance))
        })
        .collect()
}

/// Run `territory locate`.
pub fn run(args: &LocateArgs) -> Result<()> {
    let input = match (args.lat, args.lon, &args.input) {
        (Some(lat), Some(lon), None) => PointsInput::Point { lat, lon },
        (Some(_), Some(_), Some(_)) => {
            return Err(Error::Input(
                "give either POINTS or --lat/--lon, not both".into(),
            ));
        }
        (_, _, None) => {
            return Err(Error::Input(
                "give a point (LAT,LON or --lat/--lon) or a file of points".into(),
            ));
        }
        (_, _, Some(input)) => input.clone(),
    };
    let mut inputs: Vec<PathBuf> = args
        .regions
        .iter()
        .filter_map(|r| match &r.layer {
            LayerSpec::Path(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    if let PointsInput::File(p) = &input {
        inputs.push(p.clone());
    }
    let out = Output::open(args.output.as_deref(), &super::as_paths(&inputs))?;
    let fields = args.source.fields.read_options();
    let targets = targets(&args.regions, args.distance, &args.source.checks, &fields)?;
    match input {
        PointsInput::Point { lat, lon } => {
            let perr = |e: String| Error::Input(format!("point {lat},{lon}: {e}"));
            let (lat, lon) = match &args.src_crs {
                Some(c) => match territory::crs::to_wgs84("--src-crs", c)? {
                    Some(t) => {
                        let (x, y) = territory::crs::transform_point(&t, lon, lat).map_err(perr)?;
                        (y, x)
                    }
                    None => (lat, lon),
                },
                None => (lat, lon),
            };
            points::check_range(lat, lon).map_err(perr)?;
            one_point(out, &targets, lat, lon, args)
        }
        PointsInput::File(p) => many_points(out, &targets, &p.to_string_lossy(), args),
        PointsInput::Stdin => many_points(out, &targets, "-", args),
    }
}

fn one_point(out: Output, targets: &[Target], lat: f64, lon: f64, args: &LocateArgs) -> Result<()> {
    let hits: Vec<Hit> = targets
        .iter()
        .map(|t| t.lookup(lon, lat, hits_of(args)))
        .collect();
    let doc = report::points::one_point(targets, &hits, lat, lon);
    let format = match args.format.unwrap_or(LocateFormat::Table) {
        LocateFormat::Table => Format::Table,
        LocateFormat::Csv => Format::Csv,
        LocateFormat::Json => Format::Json,
        LocateFormat::Geojson => Format::Geojson,
        LocateFormat::Gpkg => Format::Gpkg,
        LocateFormat::Fgb => Format::Fgb,
        LocateFormat::Parquet => Format::Parquet,
    };
    let out_crs = match &args.out_crs {
        Some(c) => territory::crs::from_wgs84("--out-crs", c)?,
        None => None,
    };
    super::emit(out, &doc, format, out_crs.as_ref(), &[])
}

/// Which regions `--all` asks for.
fn hits_of(args: &LocateArgs) -> Hits {
    if args.all { Hits::All } else { Hits::First }
}

fn progress_bar(input: &str, len: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || input == "-" || territory::io::output::verbosity() < 0 {
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

fn many_points(out: Output, targets: &[Target], input: &str, args: &LocateArgs) -> Result<()> {
    let (lat, lon) = args.columns.names();
    let opts = ReadOptions {
        src_crs: args.src_crs.clone(),
        layer: args.columns.layer.clone(),
        geometry_col: args.source.fields.geometry_col.clone(),
        ..ReadOptions::default()
    };
    let reader = PointReader::open(input, lat, lon, &opts)?;
    let src = match &args.src_crs {
        Some(c) => territory::crs::to_wgs84("--src-crs", c)?,
        None => None,
    };
    let dst = match &args.out_crs {
        Some(c) => territory::crs::from_wgs84("--out-crs", c)?,
        None => None,
    };
    let format = match args.format {
        None | Some(LocateFormat::Table) | Some(LocateFormat::Csv) => PointsFormat::Csv,
        Some(LocateFormat::Geojson) => PointsFormat::Geojson,
        Some(f @ (LocateFormat::Gpkg | LocateFormat::Fgb | LocateFormat::Parquet)) => {
            let format = match f {
                LocateFormat::Gpkg => Format::Gpkg,
                LocateFormat::Fgb => Format::Fgb,
                _ => Format::Parquet,
            };
            super::refuse_terminal(&out, format)?;
            if args.out_crs.is_some() {
                return Err(Error::Input(format!(
                    "--out-crs applies to CSV and GeoJSON; -f {} is written in WGS84 longitude/latitude (EPSG:4326)",
                    format.name()
                )));
            }
            PointsFormat::Features(
                format
                    .binary()
                    .unwrap_or(territory::report::binary::FeatureFormat::Gpkg),
            )
        }
        Some(LocateFormat::Json) => {
            return Err(Error::Input(
                "-f json is for one point; use csv or geojson for many".into(),
            ));
        }
    };
    let progress = progress_bar(input, std::fs::metadata(input).ok().map(|m| m.len()));
    let tell = |pos: u64| {
        if let Some(p) = &progress {
            p.set_position(pos);
        }
    };
    let opts = StreamOptions {
        hits: hits_of(args),
        on_error: args.on_error,
        format,
        to_wgs84: src.as_ref(),
        to_out: dst.as_ref(),
        out_label: out.label(),
        progress: Some(&tell),
    };
    let (out, stats) = territory::report::points::stream(reader, targets, &opts, out)?;
    if let Some(p) = &progress {
        p.finish_and_clear();
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
    territory::note!("{line}");
    if let Some(t) = targets.first()
        && let Some(s) = stats.swapped(t)
    {
        territory::note!(
            "territory: warning: {:.1} % of the points are in a region of {}, but about {:.1} % would be with latitude and longitude swapped ({} of {} sampled points in none): check the column order (--lat-col/--lon-col)",
            100.0 * s.given,
            t.label,
            100.0 * s.swapped,
            s.sample_located,
            s.sample
        );
    }
}
