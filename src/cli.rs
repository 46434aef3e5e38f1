//! Command-line definition (clap) and dispatch. Parses arguments into typed
//! option structs and calls one `run` per subcommand; never touches geometry.

use std::process::ExitCode;

use std::io::Write;
use std::path::PathBuf;

use clap::{ColorChoice, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::commands::{area, check, depth, info, layers, locate, render, timeline, validate};
use territory::error::{Error, Result};

/// Geodesic territory analysis: areas of polygon layers on the WGS84
/// ellipsoid, overlaps counted once, with built-in Caucasus boundaries.
#[derive(Debug, Parser)]
#[command(name = "territory", version, about, propagate_version = true)]
#[command(after_help = "Examples:
  territory area builtin:armenia-provinces
  territory area data/examples/occupied-illustrative.geojson --within builtin:armenia@ne10m --within builtin:armenia
  territory depth data/examples/occupied-illustrative.geojson --border builtin:armenia
  territory info builtin:caucasus
  territory layers
  territory locate 39.53,45.98
  territory render builtin:armenia-provinces -o armenia.png

Exit codes: 0 success, 1 error (bad input, I/O; `validate` found errors), 2 usage error,
3 a `check` whose claim failed, 4 a `check` that is inconclusive (the borders disagree).")]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
    /// Only errors on stderr: no warnings, notes, summaries or progress
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also timings and counts on stderr (layers read, time, peak memory)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Geodesic area and perimeter of every feature, and the total as the area of the union
    Area(area::AreaArgs),
    /// Check a claimed area ("215 km2 ± 5%"): exit 0 on PASS, 3 on FAIL, 4 INCONCLUSIVE
    Check(check::CheckArgs),
    /// How far each feature reaches inside a border, and its area in distance bands
    Depth(depth::DepthArgs),
    /// Feature count, geometry types, bounding box, vertices, properties, id and name fields
    Info(info::InfoArgs),
    /// List the built-in layers with feature count, source and licence
    Layers(layers::LayersArgs),
    /// Which region holds a point, or each of millions of points (CSV, GeoJSON, KML)
    Locate(locate::LocateArgs),
    /// Draw a map of layers and points as SVG or PNG (scale bar, north arrow, legend)
    Render(render::RenderArgs),
    /// Area of dated snapshots, gained and lost since the previous date, per region with --by
    Timeline(timeline::TimelineArgs),
    /// Find every problem of every feature (located), or --repair a layer
    Validate(validate::ValidateArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = "Examples:
  territory completions bash > ~/.local/share/bash-completion/completions/territory
  territory completions zsh > ~/.zfunc/_territory
  territory completions fish > ~/.config/fish/completions/territory.fish")]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into a directory
    #[command(after_help = "Examples:
  territory man > territory.1 && man ./territory.1
  territory man --dir /usr/local/share/man/man1")]
    Man {
        /// Write territory.1 and territory-COMMAND.1 into DIR instead
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Colours for clap's help and usage errors (the tool writes no colour
/// otherwise): never when `NO_COLOR` is set and not empty (no-color.org),
/// always when `CLICOLOR_FORCE` is, else when stdout/stderr is a terminal.
fn color_choice() -> ColorChoice {
    let set = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    if set("NO_COLOR") {
        ColorChoice::Never
    } else if set("CLICOLOR_FORCE") {
        ColorChoice::Always
    } else {
        ColorChoice::Auto
    }
}

fn man_pages(dir: Option<&std::path::Path>) -> Result<()> {
    let cmd = Cli::command();
    let werr = |path: String| move |source| Error::Write { path, source };
    let Some(dir) = dir else {
        let mut out = std::io::stdout().lock();
        clap_mangen::Man::new(cmd)
            .render(&mut out)
            .and_then(|()| out.flush())
            .map_err(werr("stdout".into()))?;
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(werr(dir.display().to_string()))?;
    let mut pages = vec![("territory".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("territory-{}", sub.get_name());
        pages.push((
            name.clone(),
            sub.clone().display_name(name.clone()).bin_name(name),
        ));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut bytes = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut bytes)
            .map_err(werr(path.display().to_string()))?;
        let mut out = territory::io::output::Output::open(Some(&path), &[])?;
        out.write_all(&bytes)
            .map_err(werr(path.display().to_string()))?;
        out.finish()?;
    }
    Ok(())
}

/// Remove this run's temporary output files and exit 128 + the signal number
/// (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP) when one of those
/// signals arrives; a thread waits for them, so the work itself is not
/// disturbed. Without this, an interrupted `-o` run would leave its
/// `.territory-*.tmp` file behind.
pub fn watch_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            territory::io::output::remove_temporaries();
            std::process::exit(128 + sig);
        }
    });
}

/// Parse the command line and run the command.
pub fn run() -> Result<ExitCode> {
    let matches = Cli::command().color(color_choice()).get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    formats_from_output_names(&mut cli, &matches)?;
    territory::io::output::set_verbosity(match (cli.quiet, cli.verbose) {
        (true, _) => -1,
        (_, true) => 1,
        _ => 0,
    });
    let started = std::time::Instant::now();
    let code = dispatch(&cli)?;
    territory::io::output::verbose(format_args!(
        "territory: {} done in {:.3} s{}",
        matches.subcommand_name().unwrap_or("territory"),
        started.elapsed().as_secs_f64(),
        peak_memory_mb().map_or(String::new(), |mb| format!(", peak memory {mb:.0} MB"))
    ));
    Ok(code)
}

/// The process's peak resident memory (Linux `VmHWM`), MB.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Without `-f`, `-o FILE` writes the format its extension names (as
/// ogr2ogr and geopandas choose): `.gpkg`, `.fgb`, `.parquet`/`.geoparquet`,
/// `.geojson`, `.csv`, `.json`, among the formats the command writes; any
/// other name keeps the command's default. An explicit `-f` always wins.
fn formats_from_output_names(cli: &mut Cli, matches: &clap::ArgMatches) -> Result<()> {
    use crate::commands::{OutputOpts, TabularOpts, format_of_name};
    use clap::parser::ValueSource;
    use territory::report::Format;
    let Some((_, sub)) = matches.subcommand() else {
        return Ok(());
    };
    // Only for commands with a `format` argument (asking another panics).
    let defaulted = || sub.value_source("format") == Some(ValueSource::DefaultValue);
    let full = |o: &mut OutputOpts| {
        if let Some(f) = o.output.as_deref().and_then(format_of_name) {
            o.format = f;
        }
    };
    // `check`, `info`, `layers` have no geometry: a layer format's name is
    // refused rather than filled with a text table.
    let tabular = |o: &mut TabularOpts| -> Result<()> {
        let Some(path) = o.output.as_deref() else {
            return Ok(());
        };
        match format_of_name(path) {
            Some(f @ (Format::Csv | Format::Json)) => o.format = f,
            Some(f @ (Format::Geojson | Format::Gpkg | Format::Fgb | Format::Parquet)) => {
                return Err(Error::Usage(format!(
                    "-o {} names a {} layer, which this command does not write (it has no geometry): give -o FILE.csv, FILE.json or FILE.txt, or -f table|csv|json",
                    path.display(),
                    f.name()
                )));
            }
            _ => {}
        }
        Ok(())
    };
    match &mut cli.command {
        Command::Area(a) if defaulted() => full(&mut a.out),
        Command::Depth(a) if defaulted() => full(&mut a.out),
        Command::Timeline(a) if defaulted() => full(&mut a.out),
        Command::Check(a) if defaulted() => tabular(&mut a.out)?,
        Command::Info(a) if defaulted() => tabular(&mut a.out)?,
        Command::Layers(a) if defaulted() => tabular(&mut a.out)?,
        Command::Locate(a) if a.format.is_none() => {
            a.format = a
                .output
                .as_deref()
                .and_then(format_of_name)
                .map(|f| match f {
                    Format::Table => locate::LocateFormat::Table,
                    Format::Csv => locate::LocateFormat::Csv,
                    Format::Json => locate::LocateFormat::Json,
                    Format::Geojson => locate::LocateFormat::Geojson,
                    Format::Gpkg => locate::LocateFormat::Gpkg,
                    Format::Fgb => locate::LocateFormat::Fgb,
                    Format::Parquet => locate::LocateFormat::Parquet,
                });
        }
        _ => {}
    }
    Ok(())
}

fn dispatch(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Area(a) => area::run(a)?,
        Command::Check(a) => {
            let outcome = check::run(a)?;
            if outcome != territory::borders::Outcome::Pass {
                return Ok(ExitCode::from(outcome.exit_code()));
            }
        }
        Command::Depth(a) => depth::run(a)?,
        Command::Info(a) => info::run(a)?,
        Command::Layers(a) => layers::run(a)?,
        Command::Locate(a) => locate::run(a)?,
        Command::Render(a) => render::run(a)?,
        Command::Timeline(a) => timeline::run(a)?,
        Command::Validate(a) => {
            if !validate::run(a)? {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Completions { shell } => {
            // Generated into memory: clap_complete panics on a failed write.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "territory", &mut script);
            let mut out = territory::io::output::Output::open(None, &[])?;
            out.put(&script)?;
            out.finish()?;
        }
        Command::Man { dir } => man_pages(dir.as_deref())?,
    }
    Ok(ExitCode::SUCCESS)
}
