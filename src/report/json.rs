//! JSON: one pretty-printed document and a final newline.

use std::io::Write;

/// Write any serialisable value as pretty JSON.
pub fn write(mut w: impl Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut w, value)?;
    writeln!(w)
}
