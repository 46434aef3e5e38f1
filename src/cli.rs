//! Command-line definition (clap) and dispatch. Parses arguments into typed
//! option structs and calls one `run` per subcommand; never touches geometry.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{area, check, info, layers, locate, timeline, validate};
use crate::error::Result;

/// Geodesic territory analysis: areas of polygon layers on the WGS84
/// ellipsoid, overlaps counted once, with built-in Caucasus boundaries.
#[derive(Debug, Parser)]
#[command(name = "territory", version, about, propagate_version = true)]
#[command(after_help = "Examples:
  territory area builtin:armenia-provinces
  territory info builtin:caucasus
  territory layers
  territory locate 39.53,45.98

Exit codes: 0 success, 1 error (bad input, I/O; `validate` found errors), 2 usage error,
3 a `check` whose claim failed.")]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Geodesic area and perimeter of every feature, and the total as the area of the union
    Area(area::AreaArgs),
    /// Check a claimed area ("215 km2 ± 5%"): exit 0 on PASS, 3 on FAIL
    Check(check::CheckArgs),
    /// Feature count, geometry types, bounding box, vertices, properties, id and name fields
    Info(info::InfoArgs),
    /// List the built-in layers with feature count, source and licence
    Layers(layers::LayersArgs),
    /// Which region holds a point, or each of millions of points (CSV, GeoJSON)
    Locate(locate::LocateArgs),
    /// Area of dated snapshots, gained and lost since the previous date, per region with --by
    Timeline(timeline::TimelineArgs),
    /// Find every problem of every feature (located), or --repair a layer
    Validate(validate::ValidateArgs),
}

/// Parse the command line and run the command.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match &cli.command {
        Command::Area(a) => area::run(a)?,
        Command::Check(a) => {
            if !check::run(a)? {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Info(a) => info::run(a)?,
        Command::Layers(a) => layers::run(a)?,
        Command::Locate(a) => locate::run(a)?,
        Command::Timeline(a) => timeline::run(a)?,
        Command::Validate(a) => {
            if !validate::run(a)? {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
