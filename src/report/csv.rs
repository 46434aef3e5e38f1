//! CSV: a header row of column names, numbers at full precision in plain decimal
//! notation (Rust's shortest round-trip form, never an exponent).

use std::io::Write;

use super::{Cell, Table};

/// Write the columns and rows of `t` (preamble and footer are for tables only).
pub fn write(w: impl Write, t: &Table) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(&t.columns)?;
    for row in &t.rows {
        out.write_record(row.iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Null | Cell::Absent => String::new(),
            Cell::Bool(b) => b.to_string(),
            Cell::Num { value, .. } => value.to_string(),
            Cell::Diff { a, b, .. } => (a - b).to_string(),
        }))?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_text_and_keeps_full_precision() {
        let t = Table {
            columns: vec!["id".into(), "name".into(), "area_km2".into()],
            rows: vec![vec![
                "1".into(),
                "Sev Lich, \"Black Lake\"".into(),
                Cell::num(0.000_000_1, 3),
            ]],
            ..Table::default()
        };
        let mut out = Vec::new();
        write(&mut out, &t).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id,name,area_km2\n1,\"Sev Lich, \"\"Black Lake\"\"\",0.0000001\n"
        );
    }
}
