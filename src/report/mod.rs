//! Report writers: one per format, each over `impl Write`. They know tables of
//! cells, JSON values and features, never the algorithms that made them.

pub mod csv;
pub mod geojson;
pub mod json;
pub mod points;
pub mod table;

/// Output format (`-f/--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// aligned columns for people
    #[default]
    Table,
    /// comma-separated values with a header row
    Csv,
    /// one JSON document
    Json,
    /// a GeoJSON FeatureCollection
    Geojson,
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, left-aligned in tables.
    Text(String),
    /// An integer count.
    Int(u64),
    /// A measurement: full precision in CSV, `decimals` places in tables.
    Num {
        /// The value.
        value: f64,
        /// Decimals shown in a readable table.
        decimals: usize,
    },
    /// `a − b` of two measurements, computed from the values as printed: at
    /// full precision in CSV, from `a` and `b` rounded to `decimals` places
    /// in tables, so that a row's gained − lost = net to the last digit.
    Diff {
        /// The minuend.
        a: f64,
        /// The subtrahend.
        b: f64,
        /// Decimals shown in a readable table.
        decimals: usize,
    },
}

impl Cell {
    /// A measurement cell.
    pub fn num(value: f64, decimals: usize) -> Cell {
        Cell::Num { value, decimals }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// Rows under named columns, with lines of context before and after (tables only).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Lines printed above the table (source, unit, ...).
    pub preamble: Vec<String>,
    /// Column names (CSV header).
    pub columns: Vec<String>,
    /// The rows; each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// Lines printed under the table (totals, notes).
    pub footer: Vec<String>,
}

/// `s` made safe to show: every control character (C0 and C1, escape and
/// bell included, so no ANSI or OSC sequence reaches a terminal, and nothing
/// XML forbids reaches an SVG) written as `\u{..}`; other text unchanged.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod printable_tests {
    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(super::printable("Syunik"), "Syunik");
        assert_eq!(
            super::printable("a\u{1b}[31mred\u{7}\u{9b}b\tc"),
            "a\\u{1b}[31mred\\u{7}\\u{9b}b\\u{9}c"
        );
    }
}
