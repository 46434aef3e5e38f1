//! `territory render LAYER... -o map.svg|map.png`: a map of the layers, with
//! region labels, points, a scale bar, a north arrow, a legend and the data's
//! sources (see `render.rs` for the projection).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::LayerOpts;
use territory::error::{Error, Result};
use territory::io::LayerSpec;
use territory::io::output::Output;
use territory::io::points::PointReader;
use territory::model::Layer;
use territory::render::{self, MapLayer, MapSpec};

/// Which layers get region labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Labels {
    /// layers of at most 60 features
    #[default]
    Auto,
    /// every layer
    All,
    /// none
    None,
}

pub use territory::render::BBox;

/// Arguments of `territory render`.
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  territory render builtin:armenia-provinces data/examples/occupied-illustrative.geojson -o map.png
  territory render builtin:armenia-provinces data/examples/occupied-illustrative.geojson --points data/examples/incidents.csv --title \"Syunik\" -o map.svg
  territory render builtin:caucasus --bbox 43,38.5,47,41.5 --labels none -o caucasus.png
  territory render --compare builtin:armenia@ne10m --compare builtin:armenia data/examples/occupied-illustrative.geojson -o borders.png

Layers are drawn in order (the first at the bottom, lightly filled), each in its
own colour, in a Lambert azimuthal equal-area projection centred on the view.
With --compare A --compare B the two borders are drawn first, as lines, and
where they disagree is shaded, with the area of each side in the legend.")]
pub struct RenderArgs {
    /// Polygon layers (files, `-`, builtin:NAME), drawn in this order
    #[arg(value_name = "LAYER", required_unless_present = "compare")]
    pub layers: Vec<LayerSpec>,
    /// Two border layers to compare (give it twice): both are drawn as lines
    /// under the layers, and the areas only one of them holds are shaded,
    /// with their areas in the legend
    #[arg(long, value_name = "BORDER", num_args = 1)]
    pub compare: Vec<LayerSpec>,
    /// Points to draw: CSV (with lat/lon columns), GeoJSON points or KML; in
    /// --src-crs when given (x in the longitude column, y in the latitude one)
    #[arg(long, value_name = "FILE")]
    pub points: Option<PathBuf>,
    /// Columns of --points, when CSV.
    #[command(flatten)]
    pub columns: super::PointColumns,
    /// Draw at most N points (more are refused with a message, not dropped);
    /// beyond 20,000 they are drawn as a density grid (4 px cells, darker
    /// for more points) instead of one marker each
    #[arg(long, value_name = "N", default_value_t = 10_000_000)]
    pub max_points: usize,
    /// Map title
    #[arg(long)]
    pub title: Option<String>,
    /// The view, MIN_LON,MIN_LAT,MAX_LON,MAX_LAT [default: fit the data]
    #[arg(long, value_name = "BOX", allow_hyphen_values = true)]
    pub bbox: Option<BBox>,
    /// Which layers get region labels (names, else ids)
    #[arg(long, value_enum, default_value_t)]
    pub labels: Labels,
    /// Image width in pixels
    #[arg(long, default_value_t = 1200, value_parser = clap::value_parser!(u32).range(300..=10000))]
    pub width: u32,
    /// The image: FILE.svg or FILE.png (written atomically)
    #[arg(short, long, value_name = "FILE", required = true)]
    pub output: PathBuf,
    /// Id and name fields, validity checks, CRS of the layers.
    #[command(flatten)]
    pub layer_opts: LayerOpts,
}

/// Read the points of `--points` (all of them, or an error past `max`).
fn read_points(args: &RenderArgs, path: &std::path::Path) -> Result<Vec<(f64, f64)>> {
    let src_crs = args.layer_opts.src_crs.as_ref();
    let (lat, lon) = args.columns.names();
    let opts = territory::io::ReadOptions {
        layer: args.columns.layer.clone(),
        ..args.layer_opts.read_options()
    };
    let reader = PointReader::open(&path.display().to_string(), lat, lon, &opts)?;
    // CSV in another CRS (points from geometries are WGS84 once read).
    let to_wgs84 = match src_crs {
        Some(c) if !reader.in_wgs84 => territory::crs::to_wgs84("--src-crs", c)?,
        _ => None,
    };
    reader.all(to_wgs84.as_ref(), args.max_points)
}

/// Add a layer's source to the map's credits, once.
fn credit(sources: &mut Vec<String>, layer: &Layer) {
    if sources.iter().all(|s| *s != layer.source) {
        sources.push(layer.source.clone());
    }
}

/// A layer's name in the legend.
fn short(spec: &LayerSpec) -> String {
    match spec {
        LayerSpec::Builtin(n) => n.clone(),
        LayerSpec::Stdin => "stdin".into(),
        LayerSpec::Path(p) => p
            .file_stem()
            .map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into()),
    }
}

/// Run `territory render`.
pub fn run(args: &RenderArgs) -> Result<()> {
    render::ImageFormat::of(&args.output)?;
    let mut inputs =
        super::input_paths(&args.layers.iter().chain(&args.compare).collect::<Vec<_>>());
    inputs.extend(args.points.iter().cloned());
    let layers = args
        .layers
        .iter()
        .map(|spec| super::load_checked(spec, &args.layer_opts))
        .collect::<Result<Vec<_>>>()?;
    let points = match &args.points {
        Some(p) => read_points(args, p)?,
        None => Vec::new(),
    };
    let mut sources: Vec<String> = Vec::new();
    for l in &layers {
        credit(&mut sources, l);
    }
    if let Some(p) = &args.points {
        sources.push(format!("points {}", p.display()));
    }
    if !args.compare.is_empty() && args.compare.len() != 2 {
        return Err(Error::Usage(format!(
            "--compare takes two borders (give it twice), not {}",
            args.compare.len()
        )));
    }
    let compared = args
        .compare
        .iter()
        .map(|spec| super::load_checked(spec, &args.layer_opts.for_other_layers()))
        .collect::<Result<Vec<_>>>()?;
    let mut extra: Vec<(String, Layer, f64)> = Vec::new();
    if let [a, b] = compared.as_slice() {
        for l in [a, b] {
            credit(&mut sources, l);
        }
        let ((only_a, area_a), (only_b, area_b)) = territory::borders::disagreement(a, b);
        let piece = |geom, name: &str| Layer::single(name, geom);
        let km2 = |m2: f64| territory::report::table::group_thousands(m2 / 1e6, 1);
        extra.push((short(&args.compare[0]), a.clone(), 0.0));
        extra.push((short(&args.compare[1]), b.clone(), 0.0));
        let (na, nb) = (a.name.clone(), b.name.clone());
        extra.push((
            format!("only in {na}: {} km²", km2(area_a)),
            piece(only_a, "only in A"),
            0.6,
        ));
        extra.push((
            format!("only in {nb}: {} km²", km2(area_b)),
            piece(only_b, "only in B"),
            0.6,
        ));
    }
    let mut map_layers: Vec<MapLayer> = extra
        .iter()
        .map(|(name, layer, fill)| MapLayer {
            name: name.clone(),
            layer,
            labels: false,
            fill_opacity: Some(*fill),
        })
        .collect();
    map_layers.extend(
        args.layers
            .iter()
            .zip(&layers)
            .map(|(spec, layer)| MapLayer {
                name: short(spec),
                layer,
                labels: match args.labels {
                    Labels::All => true,
                    Labels::None => false,
                    Labels::Auto => layer.regions.len() <= 60,
                },
                fill_opacity: None,
            }),
    );
    let spec = MapSpec {
        title: args.title.clone(),
        width: args.width,
        bbox: args.bbox.map(|b| b.0),
        points,
        points_name: args
            .points
            .as_ref()
            .and_then(|p| p.file_stem())
            .map_or("points".into(), |s| s.to_string_lossy().into()),
        sources,
    };
    if let Some(b) = &args.bbox {
        match b.fit(&map_layers, &spec.points) {
            render::BBoxFit::Holds => {}
            render::BBoxFit::Swapped => territory::note!(
                "territory: warning: --bbox {b} holds none of the data, but read latitude first it would: --bbox is MIN_LON,MIN_LAT,MAX_LON,MAX_LAT (try --bbox {})",
                b.swapped()
            ),
            render::BBoxFit::Empty => territory::note!(
                "territory: warning: --bbox {b} holds none of the data (MIN_LON,MIN_LAT,MAX_LON,MAX_LAT); the map shows only the frame"
            ),
        }
    }
    let svg = render::map_svg(&map_layers, &spec);
    super::write_image(
        &svg,
        Output::open(Some(&args.output), &super::as_paths(&inputs))?,
    )
}
