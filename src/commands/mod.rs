//! One module per subcommand: its arguments, its help and `run` (read → compute → report).

pub mod area;
pub mod info;
pub mod layers;

use std::path::{Path, PathBuf};

use clap::Args;

use crate::error::Result;
use crate::io::{LayerSpec, ReadOptions};
use crate::model::Layer;
use crate::report::Format;

/// Flags shared by every command that reads a polygon layer.
#[derive(Debug, Clone, Args, Default)]
pub struct LayerOpts {
    /// Property that holds each feature's id [default: the GeoJSON feature `id`,
    /// else property `id`, else the 1-based feature index]
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,
    /// Property that holds each feature's name [default: the first present of
    /// `name`, `NAME`, `name_en`, `Name`]
    #[arg(long, value_name = "FIELD")]
    pub name_field: Option<String>,
}

impl LayerOpts {
    /// The reader options these flags ask for.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            id_field: self.id_field.clone(),
            name_field: self.name_field.clone(),
        }
    }
}

/// Flags shared by every command that writes data.
#[derive(Debug, Clone, Args, Default)]
pub struct OutputOpts {
    /// Output format
    #[arg(short, long, value_enum, default_value_t)]
    pub format: Format,
    /// Write to FILE (atomically: nothing is written unless the command succeeds)
    /// instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Load a layer and tell the user, once, about anything the reader ignored.
pub fn load(spec: &LayerSpec, opts: &LayerOpts) -> Result<Layer> {
    let layer = crate::data::load_layer(spec, &opts.read_options())?;
    if layer.ignored_z {
        eprintln!(
            "territory: note: {}: Z values ignored (areas are measured on the ellipsoid surface)",
            layer.name
        );
    }
    Ok(layer)
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
