//! `territory`: geodesic territory analysis of polygon layers.
//!
//! Data flows one way: input (`io`, `data`) → model (`model`) → algorithms
//! (`measure`, `overlay`) → output (`report`), driven by `commands` from `cli`.
//! See `DESIGN.md`-style notes in README.md.

#![warn(missing_docs)]

/// A line for people on stderr (`eprintln!` that ignores a closed or full
/// stderr instead of panicking; see [`io::output::message`]).
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::io::output::message(format_args!($($arg)*))
    };
}

pub mod borders;
pub mod cli;
pub mod commands;
pub mod crs;
pub mod data;
pub mod depth;
pub mod error;
pub mod index;
pub mod io;
pub mod measure;
pub mod model;
pub mod overlay;
pub mod render;
pub mod report;
pub mod select;
pub mod timeline;
pub mod validate;

pub use error::{Error, Result};
