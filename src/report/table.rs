//! Readable tables: numbers right-aligned with thousands separators.

use std::io::{self, Write};

use super::{Cell, Table};

/// Format `v` with `decimals` places and `,` between thousands.
pub fn group_thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(s.len() + int.len() / 3 + 1);
    if v.is_sign_negative() && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

fn render(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => super::printable(s).into_owned(),
        Cell::Int(n) => group_thousands(*n as f64, 0),
        Cell::Null | Cell::Absent => String::new(),
        Cell::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Cell::Num { value, decimals } => group_thousands(*value, *decimals),
        Cell::Diff { a, b, decimals } => {
            let k = 10f64.powi(*decimals as i32);
            group_thousands(((a * k).round() - (b * k).round()) / k, *decimals)
        }
    }
}

/// Write `t` as aligned columns. A table without columns is its preamble
/// and footer lines alone (a readable report: `check`, one point's `locate`).
pub fn write(w: &mut impl Write, t: &Table) -> io::Result<()> {
    if t.columns.is_empty() {
        for line in t.preamble.iter().chain(&t.footer) {
            writeln!(w, "{}", super::printable(line))?;
        }
        return Ok(());
    }
    for line in &t.preamble {
        writeln!(w, "{}", super::printable(line))?;
    }
    if !t.preamble.is_empty() {
        writeln!(w)?;
    }
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(render).collect())
        .collect();
    let mut widths: Vec<usize> = t.columns.iter().map(|c| c.chars().count()).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| {
            t.rows
                .first()
                .is_some_and(|r| !matches!(r[i], Cell::Text(_) | Cell::Null | Cell::Absent))
        })
        .collect();
    let line = |w: &mut dyn Write, row: &[String]| -> io::Result<()> {
        let mut s = String::new();
        for (i, c) in row.iter().enumerate() {
            let pad = widths[i] - c.chars().count();
            if i > 0 {
                s.push_str("  ");
            }
            if numeric[i] {
                s.extend(std::iter::repeat_n(' ', pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < row.len() {
                    s.extend(std::iter::repeat_n(' ', pad));
                }
            }
        }
        writeln!(w, "{}", s.trim_end())
    };
    line(w, &t.columns)?;
    for row in &cells {
        line(w, row)?;
    }
    if !t.footer.is_empty() {
        writeln!(w)?;
    }
    for l in &t.footer {
        writeln!(w, "{l}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(29743.0, 3), "29,743.000");
        assert_eq!(group_thousands(-1234567.891, 1), "-1,234,567.9");
        assert_eq!(group_thousands(215.0, 0), "215");
        assert_eq!(group_thousands(-0.0001, 2), "0.00");
    }

    #[test]
    fn columns_align_numbers_right() {
        let t = Table {
            preamble: vec![],
            columns: vec!["id".into(), "area_km2".into()],
            rows: vec![
                vec!["AM-ER".into(), Cell::num(223.5, 1)],
                vec!["AM-SU".into(), Cell::num(4506.25, 1)],
            ],
            footer: vec![],
        };
        let mut out = Vec::new();
        write(&mut out, &t).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id     area_km2\nAM-ER     223.5\nAM-SU   4,506.2\n"
        );
    }
}
