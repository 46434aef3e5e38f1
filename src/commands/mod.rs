//! One module per subcommand: its arguments, its help and `run` (read → compute → report).

pub mod area;
pub mod check;
pub mod depth;
pub mod info;
pub mod layers;
pub mod locate;
pub mod render;
pub mod timeline;
pub mod validate;

use std::path::{Path, PathBuf};

use clap::Args;
use territory::borders::SwapSample;

use territory::crs::Crs;
use territory::error::{Error, Result};
use territory::io::output::Output;
use territory::io::{LayerSpec, ReadOptions};
use territory::model::Layer;
use territory::report::Format;

/// Flags shared by every command that reads a polygon layer.
#[derive(Debug, Clone, Args, Default)]
pub struct LayerOpts {
    /// Id and name fields, validity checks and repair.
    #[command(flatten)]
    pub source: SourceOpts,
    /// CRS of the coordinates of LAYER (EPSG:32638, urn:ogc:def:crs:EPSG::32638,
    /// WKT or a PROJ string) when not WGS84 lon/lat; data is transformed to WGS84
    /// before anything is measured. Overrides nothing: a file whose legacy
    /// "crs" member says otherwise is an error. Needs the `proj` feature
    #[arg(long, value_name = "CRS")]
    pub src_crs: Option<Crs>,
    /// Keep only the features of LAYER whose property FIELD is VALUE
    /// (`FIELD=VALUE`) or is not (`FIELD!=VALUE`, which keeps features
    /// without FIELD); repeatable, every one must hold. Values compare as
    /// text: `--where date=2021-05-12`, `--where rank=2` matches 2 and "2"
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub filters: Vec<territory::model::Filter>,
    /// Merge the features of LAYER that share this property's value into one
    /// (their union) before anything is measured; the value becomes its id
    /// and name, and it keeps the properties its features agree on
    #[arg(long, value_name = "FIELD")]
    pub dissolve_by: Option<String>,
    /// Read only the features meeting this box (see
    /// [`territory::ReadOptions::bbox`]); set by commands, not a flag.
    #[arg(skip)]
    pub near: Option<geo::Rect<f64>>,
}

/// How a layer's features are taken: ids and names, and the validity checks
/// (LAYER's; every `--regions` layer's in `locate`).
#[derive(Debug, Clone, Args, Default)]
pub struct SourceOpts {
    /// Id and name fields.
    #[command(flatten)]
    pub fields: FieldOpts,
    /// Validity checks and repair.
    #[command(flatten)]
    pub checks: CheckOpts,
}

/// Which properties hold ids and names.
#[derive(Debug, Clone, Args, Default)]
pub struct FieldOpts {
    /// Property that holds each feature's id [default: the GeoJSON feature `id`,
    /// else property `id`, else the 1-based feature index]
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,
    /// Property that holds each feature's name [default: the first present of
    /// `name`, `NAME`, `name_en`, `Name`]
    #[arg(long, value_name = "FIELD")]
    pub name_field: Option<String>,
    /// The table of a GeoPackage, or the shapefile of a zip archive, to read
    /// when it holds several (other layer arguments take FILE.gpkg:NAME)
    #[arg(long = "layer", id = "table", value_name = "NAME")]
    pub table: Option<String>,
    /// The WKT geometry column of a CSV layer (or of CSV points: `POINT (lon
    /// lat)`) [default: the first of geometry, wkt, geom, the_geom, shape]
    #[arg(long, value_name = "COL")]
    pub geometry_col: Option<String>,
}

impl FieldOpts {
    /// The reader options these flags ask for.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            id_field: self.id_field.clone(),
            name_field: self.name_field.clone(),
            layer: self.table.clone(),
            geometry_col: self.geometry_col.clone(),
            ..ReadOptions::default()
        }
    }
}

/// The columns of a points file (`locate POINTS`, `render --points`).
#[derive(Debug, Clone, Args, Default)]
pub struct PointColumns {
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
    /// The table of a GeoPackage (or the shapefile in a zip) holding the
    /// points, when it has several
    #[arg(long = "points-layer", value_name = "NAME")]
    pub layer: Option<String>,
}

impl PointColumns {
    /// The latitude and longitude columns asked for (the same one for
    /// `--coords-col`), or `None` to find them by name.
    pub fn names(&self) -> (Option<&str>, Option<&str>) {
        match &self.coords_col {
            Some(c) => (Some(c.as_str()), Some(c.as_str())),
            None => (self.lat_col.as_deref(), self.lon_col.as_deref()),
        }
    }
}

/// What to do about invalid polygons: shared by every command that loads
/// geometry (see [`load_checked`]).
#[derive(Debug, Clone, Copy, Args, Default)]
pub struct CheckOpts {
    /// Repair invalid polygons (self-intersections, holes outside their shell)
    /// by the even-odd rule (as MakeValid) instead of stopping; what changed is said on stderr
    #[arg(long)]
    pub repair: bool,
    /// Skip the validity checks on input layers (their cost is in README,
    /// "Performance"); an invalid polygon then gives a wrong area. Built-in
    /// layers are never checked: they are valid
    #[arg(long, conflicts_with = "repair")]
    pub no_check: bool,
}

impl CheckOpts {
    /// Whether the checks are skipped for `spec`: with `--no-check` (and no
    /// `--repair`), and for built-in layers, which a unit test checks instead.
    pub fn skips(&self, spec: &LayerSpec) -> bool {
        (self.no_check || matches!(spec, LayerSpec::Builtin(_))) && !self.repair
    }

    /// What these flags ask of `spec`'s polygons.
    pub fn mode(&self, spec: &LayerSpec) -> territory::validate::Checks {
        use territory::validate::Checks;
        if self.repair {
            Checks::Repair
        } else if self.skips(spec) {
            Checks::Skip
        } else {
            Checks::Check
        }
    }
}

impl LayerOpts {
    /// The options for the other layers of a command (`--by`, `--within`):
    /// the same checking and repair, but ids, names and CRS are LAYER's own.
    pub fn for_other_layers(&self) -> LayerOpts {
        LayerOpts {
            source: SourceOpts {
                checks: self.source.checks,
                ..SourceOpts::default()
            },
            ..LayerOpts::default()
        }
    }

    /// The reader options these flags ask for.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            src_crs: self.src_crs.clone(),
            bbox: self.near,
            ..self.source.fields.read_options()
        }
    }
}

/// Flags shared by every command that writes measured data.
#[derive(Debug, Clone, Args, Default)]
pub struct OutputOpts {
    /// Unit for areas
    #[arg(long, value_enum, default_value_t)]
    pub unit: territory::model::AreaUnit,
    /// Output format
    #[arg(short, long, value_enum, default_value_t)]
    pub format: Format,
    /// Write to FILE (atomically: nothing is written unless the command succeeds)
    /// instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write -f geojson geometries in this CRS instead of WGS84 (with a legacy
    /// "crs" member naming it; RFC 7946 GeoJSON is WGS84). Needs `proj`
    #[arg(long, value_name = "CRS")]
    pub out_crs: Option<Crs>,
}

/// Flags of the commands whose output has no geometry (`check`, `info`,
/// `layers`): `-f table|csv|json` (clap refuses the rest) and `-o`.
#[derive(Debug, Clone, Args, Default)]
pub struct TabularOpts {
    /// Output format
    #[arg(short, long, default_value = "table", value_parser = tabular_format())]
    pub format: Format,
    /// Write to FILE (atomically: nothing is written unless the command succeeds)
    /// instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `table`, `csv` or `json`, with the help text of [`Format`]'s values.
fn tabular_format() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::ValueEnum;
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values: Vec<PossibleValue> = [Format::Table, Format::Csv, Format::Json]
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .collect();
    PossibleValuesParser::new(values)
        .map(|s| <Format as ValueEnum>::from_str(&s, false).unwrap_or_default())
}

impl OutputOpts {
    /// The transformer for `--out-crs`: `None` without it or for WGS84; an
    /// error when the format has no coordinates to transform.
    pub fn out_transformer(&self) -> Result<Option<territory::crs::Transformer>> {
        let Some(crs) = &self.out_crs else {
            return Ok(None);
        };
        if self.format.binary().is_some() {
            return Err(Error::Input(format!(
                "--out-crs applies to -f geojson (and locate's CSV); -f {} is written in WGS84 longitude/latitude (EPSG:4326), as GIS software reads it",
                self.format.name()
            )));
        }
        if self.format != Format::Geojson {
            return Err(Error::Input(
                "--out-crs applies to -f geojson output (and to locate's CSV); this format has no coordinates".into(),
            ));
        }
        territory::crs::from_wgs84("--out-crs", crs)
    }
}

/// Load a layer and tell the user, once, about anything the reader ignored.
/// No validity checks: see [`load_checked`].
pub fn load(spec: &LayerSpec, opts: &LayerOpts) -> Result<Layer> {
    let layer = load_filtered(spec, opts)?;
    dissolved(layer, opts)
}

/// `--dissolve-by`, after the checks (a union of invalid polygons means
/// nothing).
fn dissolved(layer: Layer, opts: &LayerOpts) -> Result<Layer> {
    match &opts.dissolve_by {
        Some(field) => territory::select::dissolve_by(layer, field),
        None => Ok(layer),
    }
}

/// Load a layer and apply `--where`; tell the user about what was ignored.
fn load_filtered(spec: &LayerSpec, opts: &LayerOpts) -> Result<Layer> {
    let started = std::time::Instant::now();
    let mut layer = territory::open(spec, &opts.read_options())?;
    if !opts.filters.is_empty() {
        territory::select::apply_filters(&mut layer, &opts.filters)?;
    }
    territory::io::output::verbose(format_args!(
        "territory: read {}: {} features, {} polygons, {} vertices in {:.1} ms",
        layer.name,
        layer.regions.len(),
        layer.polygon_count(),
        layer.vertex_count(),
        started.elapsed().as_secs_f64() * 1e3
    ));
    if layer.ignored_z {
        territory::note!(
            "territory: note: {}: Z values ignored (areas are measured on the ellipsoid surface)",
            layer.name
        );
    }
    if !layer.skipped.is_empty() {
        territory::note!(
            "territory: warning: {}: {} left out (only Polygons and MultiPolygons are measured)",
            layer.name,
            territory::io::layer::skipped_summary(&layer.skipped)
        );
    }
    Ok(layer)
}

/// Load a layer and check every polygon (geo's `Validation`): stop with the
/// list of invalid features, or repair them when `--repair` is given. Every
/// command that measures or overlays geometry loads its layers this way, since
/// an invalid polygon (a bow-tie, a hole outside its shell) has no meaningful
/// area. Skipped with `--no-check`, and for built-in layers (valid: a test
/// checks them).
pub fn load_checked(spec: &LayerSpec, opts: &LayerOpts) -> Result<Layer> {
    let mut layer = load_filtered(spec, opts)?;
    check(&mut layer, spec, &opts.source.checks)?;
    dissolved(layer, opts)
}

/// [`load_checked`] every layer of `specs` (`--within` borders, ...).
pub fn load_all(specs: &[LayerSpec], opts: &LayerOpts) -> Result<Vec<Layer>> {
    specs.iter().map(|s| load_checked(s, opts)).collect()
}

/// The checks of [`load_checked`] on a layer already read; repairs are
/// reported on stderr.
pub fn check(layer: &mut Layer, spec: &LayerSpec, opts: &CheckOpts) -> Result<()> {
    let repairs = territory::validate::enforce(layer, opts.mode(spec))?;
    if repairs.is_empty() {
        return Ok(());
    }
    let before: f64 = repairs.iter().map(|r| r.before_m2).sum();
    let after: f64 = repairs.iter().map(|r| r.after_m2).sum();
    territory::note!(
        "territory: {}: repaired {} feature{} (even-odd rule): area {:.6} km2 before, {:.6} km2 after ({:+.6} km2)",
        layer.name,
        repairs.len(),
        if repairs.len() == 1 { "" } else { "s" },
        before / 1e6,
        after / 1e6,
        (after - before) / 1e6
    );
    for r in &repairs {
        territory::note!(
            "  feature {} (id {:?}): {:.6} -> {:.6} km2",
            r.index,
            r.id,
            r.before_m2 / 1e6,
            r.after_m2 / 1e6
        );
    }
    Ok(())
}

/// The input files among LAYER arguments (for refusing to overwrite them).
pub fn input_paths(specs: &[&LayerSpec]) -> Vec<PathBuf> {
    specs
        .iter()
        .filter_map(|s| match s {
            LayerSpec::Path(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

/// Borrow a list of paths.
pub fn as_paths(v: &[PathBuf]) -> Vec<&Path> {
    v.iter().map(PathBuf::as_path).collect()
}

/// Issue #13 item 5: when nothing of a layer lies in `regions` (the answer
/// is 0), say so if the layer's first features (`as_read`, at most 100, see
/// [`territory::borders::swap_sample`]) would, with latitude and longitude
/// swapped, as `locate` does for points.
pub fn hint_swapped(as_read: &SwapSample, layer: &str, regions: &Layer) {
    let would = territory::borders::swapped_matches(as_read, regions);
    if would > 0 {
        territory::note!(
            "territory: warning: nothing of {layer} lies in {}, but {would} of {} features would with latitude and longitude swapped: GeoJSON positions are [longitude, latitude]; check how the file was made",
            regions.name,
            as_read.len()
        );
    }
}

/// Write `doc` to `out` in `format` (see [`territory::report::Document`])
/// and move it into place; in the formats of `note_on` (whose data has no
/// place for them) the footer lines go to stderr instead.
pub fn emit(
    mut out: Output,
    doc: &territory::report::Document<'_>,
    format: Format,
    crs: Option<&territory::crs::Transformer>,
    note_on: &[Format],
) -> Result<()> {
    if format.binary().is_some() {
        refuse_terminal(&out, format)?;
        let name = table_name(&out);
        doc.write_features(&mut out, format, &name)
            .map_err(|e| out.error(e))?;
    } else {
        doc.write(&mut out, format, crs).map_err(|e| out.error(e))?;
    }
    if note_on.contains(&format) || format.binary().is_some() {
        for line in &doc.footer {
            territory::note!("territory: {line}");
        }
    }
    out.finish()
}

/// The format an output file's name gives by its extension (any case):
/// `.gpkg`, `.fgb`, `.parquet`/`.geoparquet`, `.geojson`, `.csv`, `.json`.
pub fn format_of_name(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "gpkg" => Some(Format::Gpkg),
        "fgb" => Some(Format::Fgb),
        "parquet" | "geoparquet" => Some(Format::Parquet),
        "geojson" => Some(Format::Geojson),
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// The binary format an output file's extension names (`.gpkg`, `.fgb`,
/// `.parquet`, `.geoparquet`), for `validate --repair`, whose output is a
/// layer in any case.
pub fn format_for_output(out: &Output) -> Option<Format> {
    format_of_name(Path::new(&out.label())).filter(|f| f.binary().is_some())
}

/// A binary format is not written to a terminal (it would print bytes).
pub fn refuse_terminal(out: &Output, format: Format) -> Result<()> {
    use std::io::IsTerminal;
    if out.label() == "<stdout>" && std::io::stdout().is_terminal() {
        return Err(Error::Usage(format!(
            "-f {0} writes a binary file; give -o FILE.{0} (or redirect standard output)",
            format.name()
        )));
    }
    Ok(())
}

/// The table (layer) name of a binary output: the output file's name
/// without its extension, else `features`.
pub fn table_name(out: &Output) -> String {
    let label = out.label();
    let stem = Path::new(&label)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = stem.strip_suffix(".shp").unwrap_or(&stem).to_string();
    if stem.is_empty() || label == "<stdout>" {
        "features".into()
    } else {
        stem
    }
}

/// Write an SVG document as SVG or PNG (by the output's extension) into an
/// output opened earlier, and move it into place.
pub fn write_image(svg: &str, mut out: Output) -> Result<()> {
    let bytes = territory::render::image_bytes(svg, Path::new(&out.label()))?;
    out.put(&bytes)?;
    out.finish()
}
