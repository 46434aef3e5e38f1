//! The one error type of the library. Every variant says *where*: the file, the
//! feature (1-based index and id), the ring and position, or the line.

use std::fmt;

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a feature sits in its source: 1-based index, its id when known, and the
/// line it starts on when the source is line-oriented or the line is known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeatureLoc {
    /// 1-based position of the feature in its layer.
    pub index: usize,
    /// The feature's id, when it has one.
    pub id: Option<String>,
    /// 1-based line of the source on which the feature starts, when known.
    pub line: Option<usize>,
}

impl fmt::Display for FeatureLoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "feature {}", self.index)?;
        if let Some(id) = &self.id {
            write!(f, " (id {id:?})")?;
        }
        if let Some(line) = self.line {
            write!(f, " at line {line}")?;
        }
        Ok(())
    }
}

/// What is wrong with one feature's geometry. Polygon, ring and position numbers
/// are 1-based; ring 1 is the exterior ring, rings 2.. are holes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeometryError {
    /// The feature has `"geometry": null` or no geometry member.
    #[error("the geometry is null; every feature needs a Polygon or MultiPolygon")]
    Null,
    /// A geometry type this tool cannot measure as an area.
    #[error(
        "geometry type {found} is not an area; expected Polygon, MultiPolygon or a GeometryCollection of them"
    )]
    NotPolygon {
        /// The GeoJSON type found.
        found: String,
    },
    /// The JSON is well formed but not a GeoJSON geometry.
    #[error("malformed geometry: {what}")]
    Malformed {
        /// What was expected and not found.
        what: String,
    },
    /// A ring with fewer than four positions (a closed ring needs at least four).
    #[error("polygon {polygon}, ring {ring} has {count} positions; a closed ring needs at least 4")]
    TooFewPositions {
        /// 1-based polygon number within the feature.
        polygon: usize,
        /// 1-based ring number (1 = exterior).
        ring: usize,
        /// Positions found.
        count: usize,
    },
    /// A coordinate that is not a finite number.
    #[error(
        "polygon {polygon}, ring {ring}, position {position}: coordinate {value} is not a finite number"
    )]
    BadCoordinate {
        /// 1-based polygon number.
        polygon: usize,
        /// 1-based ring number.
        ring: usize,
        /// 1-based position number in the ring.
        position: usize,
        /// The offending JSON value, as written.
        value: String,
    },
    /// Longitude or latitude outside the WGS84 range.
    #[error(
        "polygon {polygon}, ring {ring}, position {position}: ({lon}, {lat}) is outside longitude -180..180 / latitude -90..90{hint}"
    )]
    OutOfRange {
        /// 1-based polygon number.
        polygon: usize,
        /// 1-based ring number.
        ring: usize,
        /// 1-based position number.
        position: usize,
        /// x as read.
        lon: f64,
        /// y as read.
        lat: f64,
        /// A guess at the cause, starting with "; ".
        hint: &'static str,
    },
}

/// Errors of the library and the binary. `main` prints the chain and maps the
/// variant to an exit code (1 for all of these; 2 is clap's usage error).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The input named by the user.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The text is not JSON (or is truncated).
    #[error("{path}: invalid JSON at line {line}, column {column}{feature}: {message}")]
    Json {
        /// The input.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// `" (in feature N)"` when the position falls in a known feature.
        feature: String,
        /// serde_json's description.
        message: String,
    },
    /// A file that cannot be read as the format it is in (JSON that is no
    /// GeoJSON layer, a corrupt GeoPackage, a shapefile without its `.dbf`,
    /// a format not supported), with what is wrong.
    #[error("{path}: {what}")]
    BadFile {
        /// The input.
        path: String,
        /// What was found instead.
        what: String,
    },
    /// One feature is unusable (boxed: it is the largest variant).
    #[error("{}: {}: {}", .0.path, .0.loc, .0.problem)]
    Feature(Box<FeatureError>),
    /// Invalid polygons in a layer that is to be overlaid.
    #[error(
        "{path}: {} invalid feature{} (fix the data, or pass --repair to repair them by the even-odd rule):\n  {}{}",
        .features.len(),
        if .features.len() == 1 { "" } else { "s" },
        .features.iter().take(20).map(|f| f.to_string()).collect::<Vec<_>>().join("\n  "),
        if .features.len() > 20 { format!("\n  and {} more features: run `territory validate` for all", .features.len() - 20) } else { String::new() }
    )]
    InvalidGeometry {
        /// The input.
        path: String,
        /// The invalid features (the message lists the first 20).
        features: Vec<InvalidFeature>,
    },
    /// `--repair` could not repair a feature.
    #[error("{path}: cannot repair {feature}: {reason}")]
    RepairFailed {
        /// The input.
        path: String,
        /// The feature.
        feature: InvalidFeature,
        /// Why the repair failed.
        reason: String,
    },
    /// Something the command cannot do with these inputs (e.g. a snapshot without a date).
    #[error("{0}")]
    Input(String),

    /// A row of a points file (CSV, or GeoJSON/KML points read as rows)
    /// that cannot be read.
    #[error("{path}: {place}: {message}")]
    Row {
        /// The file (`<stdin>` for standard input).
        path: String,
        /// Where in it.
        place: RowPlace,
        /// What is wrong.
        message: String,
    },
    /// `builtin:NAME` with an unknown NAME.
    #[error("unknown built-in layer {0:?}; `territory layers` lists the built-in layers")]
    UnknownBuiltin(String),
    /// Options that cannot go together (exit 2, like clap's usage errors).
    #[error("{0}")]
    Usage(String),
    /// `builtin:NAME@SOURCE` with a SOURCE the layer does not come in.
    #[error("builtin:{layer} has no source {source_key:?}; it comes in: {known}")]
    UnknownBuiltinSource {
        /// The layer name.
        layer: String,
        /// The unknown source key.
        source_key: String,
        /// The sources the layer has.
        known: String,
    },
    /// Input or output in a CRS other than WGS84 lon/lat, in a build without PROJ.
    #[error(
        "{path}: {crs} is not WGS84 longitude/latitude, and this build has no PROJ to transform it. Reproject the data to WGS84, or build with the `proj` feature (needs cmake and a C++ compiler): cargo install --path . --features proj"
    )]
    CrsNeedsProj {
        /// The input (or the option) that names the CRS.
        path: String,
        /// The CRS.
        crs: String,
    },
    /// A CRS that cannot be understood (by PROJ, or in a `crs` member).
    #[error("{path}: {reason}")]
    Crs {
        /// The input or option that names the CRS.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// `--src-crs` and the file's legacy `crs` member disagree.
    #[error(
        "{path}: the file declares CRS {declared} but --src-crs says {given}; remove one (a legacy \"crs\" member is honoured when --src-crs is not given)"
    )]
    CrsConflict {
        /// The input.
        path: String,
        /// What the file's `crs` member says.
        declared: String,
        /// What `--src-crs` says.
        given: String,
    },
    /// A coordinate PROJ could not transform (boxed: it is large).
    #[error(
        "{}: {}: cannot transform ({}, {}) from {} to {}: {}",
        .0.path, .0.place, .0.x, .0.y, .0.from, .0.to, .0.reason
    )]
    Transform(Box<TransformError>),
    /// An output file could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The output file (or "stdout").
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// `-o` names one of the inputs.
    #[error("{path}: refusing to overwrite an input file{also}; choose another --output")]
    OutputIsInput {
        /// The output path.
        path: String,
        /// Empty, or which input file it is when it is not the path given as
        /// LAYER (a `FILE:NAME` layer's file, a shapefile member, a journal):
        /// ` (the .dbf of s.shp, which this command reads)`.
        also: String,
    },
}

/// A coordinate PROJ could not transform (outside the CRS's domain).
#[derive(Debug)]
pub struct TransformError {
    /// The input.
    pub path: String,
    /// Where: a feature (index and id) and position, or a CSV line.
    pub place: String,
    /// x as read.
    pub x: f64,
    /// y as read.
    pub y: f64,
    /// Source CRS.
    pub from: String,
    /// Target CRS.
    pub to: String,
    /// PROJ's reason.
    pub reason: String,
}

/// A feature that could not be used, with where it is.
#[derive(Debug)]
pub struct FeatureError {
    /// The input.
    pub path: String,
    /// Which feature.
    pub loc: FeatureLoc,
    /// What is wrong with it.
    pub problem: FeatureProblem,
}

/// Problems that belong to one feature: its geometry or a missing field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeatureProblem {
    /// A geometry problem.
    #[error(transparent)]
    Geometry(#[from] GeometryError),
    /// The feature is not a GeoJSON Feature object.
    #[error("not a GeoJSON Feature: {0}")]
    NotAFeature(String),
    /// `--id-field` names a property this feature lacks.
    #[error("has no property {field:?} (named by --id-field)")]
    MissingIdField {
        /// The field asked for.
        field: String,
    },
}

impl Error {
    /// The process exit code for this error (see README, "Exit codes").
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }

    /// True when the error is a closed stdout (e.g. piped into `head`), which
    /// the binary treats as success.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// Build a per-feature error.
    pub fn feature(path: &str, loc: FeatureLoc, problem: impl Into<FeatureProblem>) -> Self {
        Error::Feature(Box::new(FeatureError {
            path: path.to_string(),
            loc,
            problem: problem.into(),
        }))
    }
}

/// A feature with problems.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidFeature {
    /// 1-based feature index.
    pub index: usize,
    /// Feature id.
    pub id: String,
    /// What is wrong, one entry per problem: `polygon 1: exterior ring has a self-intersection`.
    pub problems: Vec<String>,
}

/// Problems shown per feature in messages; the rest are counted.
const SHOWN_PROBLEMS: usize = 3;

impl std::fmt::Display for InvalidFeature {
    /// The first three problems, then how many more (a real layer can have
    /// hundreds of bad rings in one feature: `territory validate` lists them).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "feature {} (id {:?}): {}",
            self.index,
            self.id,
            self.problems
                .iter()
                .take(SHOWN_PROBLEMS)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        )?;
        if self.problems.len() > SHOWN_PROBLEMS {
            write!(
                f,
                "; and {} more: run `territory validate` for all",
                self.problems.len() - SHOWN_PROBLEMS
            )?;
        }
        Ok(())
    }
}

/// Where a row is: a line of a CSV file, or the feature a point row stands
/// for (GeoJSON and KML points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowPlace {
    /// A 1-based line of the file.
    Line(u64),
    /// A 1-based feature.
    Feature(u64),
}

impl RowPlace {
    /// The place of the row starting on `line` of a points reader: rows
    /// that stand for features (`features`) start on line N + 1 for feature N.
    pub fn of(features: bool, line: u64) -> RowPlace {
        if features {
            RowPlace::Feature(line.saturating_sub(1))
        } else {
            RowPlace::Line(line)
        }
    }
}

impl std::fmt::Display for RowPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowPlace::Line(n) => write!(f, "line {n}"),
            RowPlace::Feature(n) => write!(f, "feature {n}"),
        }
    }
}
