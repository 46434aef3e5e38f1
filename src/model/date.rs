//! A calendar date, or a month, as snapshots are dated: parsed from the
//! forms analysts write, written `YYYY-MM-DD` (`YYYY-MM`), ordered in time.

use std::fmt;
use std::str::FromStr;

/// A day, or a whole month (`day` is `None`). Ordered in time; a month sorts
/// before its first day. Parsed (`"2021-05-12".parse()`) from the forms
/// analysts write: ISO 8601 `YYYY-MM-DD` (a time after `T` or a space is
/// dropped), `YYYY/MM/DD`, `YYYY.MM.DD`, `DD.MM.YYYY` (day first, as in
/// Europe and the Caucasus), `YYYY-MM`; `DD/MM/YYYY` or `MM/DD/YYYY` only
/// when a number above 12 says which is the day. `05/12/2021` (5 December or
/// 12 May?) is refused with a message, never guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u32,
    month: u32,
    day: Option<u32>,
}

impl Date {
    /// Days since 1970-01-01 (a month counts from its first day).
    pub fn days(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day.unwrap_or(1)),
        );
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `z` days after 1970-01-01 (inverse of [`Date::days`]).
    pub fn of_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date {
            year: y as u32,
            month: m as u32,
            day: Some(d as u32),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{d:02}", self.year, self.month),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl FromStr for Date {
    type Err = String;

    /// The forms of the type's parser: see [`Date`].
    fn from_str(s: &str) -> Result<Date, String> {
        parse(s)
    }
}

/// A date as analysts write it: ISO 8601 `YYYY-MM-DD` (a time after `T` or a space is dropped),
/// `YYYY/MM/DD`, `YYYY.MM.DD`, `DD.MM.YYYY` (day first, as in Europe and the
/// Caucasus), `YYYY-MM`; `DD/MM/YYYY` or `MM/DD/YYYY` only when a number
/// above 12 says which is the day. `05/12/2021` (5 December or 12 May?) is
/// refused with a message, never guessed.
fn parse(s: &str) -> Result<Date, String> {
    let t = s.trim();
    // A time after the date: "2022-09-13T04:00:00Z", "2022-09-13 04:00".
    let day = t.split([' ', 'T']).next().unwrap_or(t);
    let bad = || format!("{s:?} is not a date (YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY or YYYY-MM)");
    if t.len() > day.len() && t.as_bytes()[day.len()] == b'T' && day.len() < 7 {
        return Err(bad());
    }
    let num = |x: &str| -> std::result::Result<u32, String> {
        if x.is_empty() || x.len() > 4 || !x.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        x.parse().map_err(|_| bad())
    };
    let parts: Vec<&str> = day.split(['-', '/', '.']).collect();
    let seps: Vec<char> = day
        .chars()
        .filter(|c| matches!(c, '-' | '/' | '.'))
        .collect();
    let (y, m, d) = match (parts.as_slice(), seps.as_slice()) {
        ([y, m], ['-']) if y.len() == 4 && m.len() == 2 => {
            let (y, m) = (num(y)?, num(m)?);
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            return Ok(Date {
                year: y,
                month: m,
                day: None,
            });
        }
        // Year first: ISO's dashes with two-digit month and day; slashes
        // or dots with one or two.
        ([y, m, d], [a, b])
            if a == b
                && y.len() == 4
                && (1..=2).contains(&m.len())
                && (1..=2).contains(&d.len())
                && (*a != '-' || (m.len() == 2 && d.len() == 2)) =>
        {
            (num(y)?, num(m)?, num(d)?)
        }
        ([d, m, y], ['.', '.']) if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            (num(y)?, num(m)?, num(d)?)
        }
        ([a, b, y], ['/', '/']) if y.len() == 4 => {
            let (a, b, y) = (num(a)?, num(b)?, num(y)?);
            match (a > 12, b > 12) {
                (true, false) => (y, b, a),
                (false, true) => (y, a, b),
                _ => {
                    return Err(format!(
                        "{s:?} is ambiguous (day/month or month/day?); write it as YYYY-MM-DD"
                    ));
                }
            }
        }
        _ => return Err(bad()),
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(Date {
        year: y,
        month: m,
        day: Some(d),
    })
}

#[cfg(test)]
mod tests {
    use super::Date;

    fn p(s: &str) -> Result<String, String> {
        s.parse::<Date>().map(|d| d.to_string())
    }

    #[test]
    fn dates_as_analysts_write_them() {
        assert_eq!(p("2021-05-12").unwrap(), "2021-05-12");
        assert_eq!(p("2022-09-13T04:00:00Z").unwrap(), "2022-09-13");
        assert!(p("2021-02-29").is_err());
        assert!(p("2024-02-29").is_ok());
        assert!(p("12/05/2021").is_err());
        assert_eq!(p("2021/05/12").unwrap(), "2021-05-12");
        assert_eq!(p("12.05.2021").unwrap(), "2021-05-12");
        assert_eq!(p("2021-05").unwrap(), "2021-05");
        assert_eq!(p("25/12/2021").unwrap(), "2021-12-25");
        assert_eq!(p("12/25/2021").unwrap(), "2021-12-25");
        assert_eq!(p("2022-09-13 04:00").unwrap(), "2022-09-13");
        assert!(p("05/12/2021").unwrap_err().contains("ambiguous"));
        assert!(p("2021-5-12").is_err());
        assert!(p("31.02.2021").is_err());
        assert!(p("2021-00").is_err());
        assert!(p("2021-13-01").is_err());
        assert!(p("2021-05-12junk").is_err());
    }

    #[test]
    fn day_numbers_round_trip_and_months_start_on_the_first() {
        // 12 May 2021 is day 18,759 after 1970-01-01 (hand-checked: 51 years
        // of 365 days, 13 leap days, 131 days into 2021).
        let d: Date = "2021-05-12".parse().unwrap();
        assert_eq!(d.days(), 51 * 365 + 13 + 131);
        assert_eq!(Date::of_days(d.days()), d);
        let month: Date = "2021-05".parse().unwrap();
        assert_eq!(month.days(), d.days() - 11);
        assert!(month < d);
    }
}
