//! Area units. Values are kept in m² inside the program and converted only in reports.

/// A unit of area for reports (`--unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum AreaUnit {
    /// square kilometres
    #[default]
    Km2,
    /// square metres
    M2,
    /// hectares
    Ha,
    /// international square miles (1 mi = 1,609.344 m)
    Mi2,
    /// international acres (4,046.8564224 m²)
    Acre,
}

impl AreaUnit {
    /// Square metres in one unit (exact by definition).
    pub fn m2_per_unit(self) -> f64 {
        match self {
            AreaUnit::Km2 => 1e6,
            AreaUnit::M2 => 1.0,
            AreaUnit::Ha => 1e4,
            AreaUnit::Mi2 => 1_609.344 * 1_609.344,
            AreaUnit::Acre => 4_046.856_422_4,
        }
    }

    /// Convert square metres to this unit.
    pub fn from_m2(self, m2: f64) -> f64 {
        m2 / self.m2_per_unit()
    }

    /// The suffix used in column names: `area_km2`, `area_mi2`, ...
    pub fn suffix(self) -> &'static str {
        match self {
            AreaUnit::Km2 => "km2",
            AreaUnit::M2 => "m2",
            AreaUnit::Ha => "ha",
            AreaUnit::Mi2 => "mi2",
            AreaUnit::Acre => "acre",
        }
    }

    /// Decimals shown in readable tables (CSV and JSON keep full precision).
    pub fn table_decimals(self) -> usize {
        match self {
            AreaUnit::Km2 | AreaUnit::Mi2 => 3,
            AreaUnit::Ha => 2,
            AreaUnit::M2 | AreaUnit::Acre => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_mile_is_640_acres() {
        // 1 mi² = 640 acres by definition of the international acre.
        let mi2 = AreaUnit::Mi2.m2_per_unit();
        assert!((AreaUnit::Acre.from_m2(mi2) - 640.0).abs() < 1e-9);
        // 215 km² is about 83 sq mi, the figure published beside it.
        assert_eq!(AreaUnit::Mi2.from_m2(215e6).round(), 83.0);
    }
}

/// An area written by a person: `215 km2`, `215 km²`, `83 sq mi`, `21500 ha`,
/// `2.15e8 m2`, `53,000 acres`. Parsed into square metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// The value in m².
    pub m2: f64,
    /// The unit it was written in.
    pub unit: AreaUnit,
}

impl AreaUnit {
    /// Recognise a unit as people write it (case-insensitive).
    pub fn parse_loose(s: &str) -> Option<AreaUnit> {
        let s = s.trim().to_lowercase().replace(['.', '_'], " ");
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(match s.as_str() {
            "km2" | "km²" | "km^2" | "sq km" | "sqkm" | "square km" | "square kilometres"
            | "square kilometers" | "square kilometre" | "square kilometer" => AreaUnit::Km2,
            "m2" | "m²" | "m^2" | "sq m" | "square metres" | "square meters" | "square metre"
            | "square meter" => AreaUnit::M2,
            "ha" | "hectare" | "hectares" => AreaUnit::Ha,
            "mi2" | "mi²" | "mi^2" | "sq mi" | "sqmi" | "square mile" | "square miles" => {
                AreaUnit::Mi2
            }
            "acre" | "acres" | "ac" => AreaUnit::Acre,
            _ => return None,
        })
    }
}

/// A number as people write it, made plain for `parse`: commas are
/// thousands separators when they group digits by three (`1,234,567`,
/// `53,000.5`), a decimal comma when there is one comma and no point and
/// not three digits after it (`16,4`, `215,75`); anything else with a comma
/// is refused as ambiguous (`53,000` could be either; `2,1,5` is neither),
/// never read by dropping the comma.
fn plain_number(num: &str) -> Result<String, String> {
    if !num.contains(',') {
        return Ok(num.to_string());
    }
    let (int, frac) = match num.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (num, None),
    };
    let groups: Vec<&str> = int.split(',').collect();
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    let head = groups[0].trim_start_matches(['+', '-']);
    let grouped = groups.len() >= 2
        && digits(head)
        && head.len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3 && digits(g))
        && frac.is_none_or(|f| !f.contains(','));
    if grouped && (groups.len() > 2 || frac.is_some()) {
        return Ok(num.replace(',', ""));
    }
    if groups.len() == 2 && frac.is_none() && digits(head) && digits(groups[1]) {
        if groups[1].len() == 3 {
            return Err(format!(
                "{num:?} is ambiguous: {} thousand or {}.{}? Write it without the comma ({}{}) or with a point ({}.{})",
                groups[0], groups[0], groups[1], groups[0], groups[1], groups[0], groups[1]
            ));
        }
        return Ok(format!("{}.{}", groups[0], groups[1]));
    }
    Err(format!(
        "{num:?}: cannot read the commas (thousands separators group digits by three, a decimal comma stands alone: 1,234,567 or 16,4)"
    ))
}

impl std::str::FromStr for Quantity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let split = t
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_digit() || c == '.' || c == ',' || c == '+' || c == '-')
                    && !((c == 'e' || c == 'E')
                        && t[i + 1..]
                            .starts_with(|d: char| d.is_ascii_digit() || d == '-' || d == '+'))
            })
            .map_or(t.len(), |(i, _)| i);
        let (num, unit) = t.split_at(split);
        let value: f64 = plain_number(num.trim())
            .map_err(|why| format!("{s:?}: {why}"))?
            .parse()
            .map_err(|_| format!("{s:?}: expected a number and a unit, e.g. \"215 km2\""))?;
        if !value.is_finite() || value < 0.0 {
            return Err(format!("{s:?}: an area must be a finite number ≥ 0"));
        }
        let unit = AreaUnit::parse_loose(unit).ok_or_else(|| {
            format!(
                "{s:?}: unknown unit {:?}; use km2, m2, ha, mi2 (sq mi) or acre",
                unit.trim()
            )
        })?;
        Ok(Quantity {
            m2: value * unit.m2_per_unit(),
            unit,
        })
    }
}

/// How far a computed area may be from a claim: a percentage of the claim, or
/// an absolute area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    /// Percent of the claimed value.
    Percent(f64),
    /// An absolute area.
    Absolute(Quantity),
}

impl Tolerance {
    /// The allowed difference, in m², for a claim of `claim_m2`.
    pub fn allowed_m2(self, claim_m2: f64) -> f64 {
        match self {
            Tolerance::Percent(p) => claim_m2 * p / 100.0,
            Tolerance::Absolute(q) => q.m2,
        }
    }
}

impl std::fmt::Display for Tolerance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tolerance::Percent(p) => write!(f, "{p}%"),
            Tolerance::Absolute(q) => write!(f, "{} {}", q.unit.from_m2(q.m2), q.unit.suffix()),
        }
    }
}

impl std::str::FromStr for Tolerance {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(p) = s.trim().strip_suffix('%') {
            let p: f64 = p
                .trim()
                .parse()
                .map_err(|_| format!("{s:?}: expected a percentage such as 5%"))?;
            if !p.is_finite() || p < 0.0 {
                return Err(format!("{s:?}: a tolerance must be ≥ 0"));
            }
            return Ok(Tolerance::Percent(p));
        }
        s.parse::<Quantity>()
            .map(Tolerance::Absolute)
            .map_err(|e| format!("{e} (or a percentage such as 5%)"))
    }
}

/// A published claim about an area: `215 km2` (about), `>=215 km2` / `at least
/// 215 km2`, `<=83 sq mi` / `at most 83 sq mi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Claim {
    /// How the computed area must relate to the value.
    pub kind: ClaimKind,
    /// The claimed area.
    pub value: Quantity,
}

/// The relation a claim asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// The area is the value, within the tolerance.
    About,
    /// The area is at least the value, less the tolerance.
    AtLeast,
    /// The area is at most the value, plus the tolerance.
    AtMost,
}

impl std::str::FromStr for Claim {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let lower = t.to_lowercase();
        let (kind, rest) = if let Some(r) = t.strip_prefix(">=").or_else(|| t.strip_prefix('≥')) {
            (ClaimKind::AtLeast, r)
        } else if let Some(r) = t.strip_prefix("<=").or_else(|| t.strip_prefix('≤')) {
            (ClaimKind::AtMost, r)
        } else if lower.starts_with("at least") {
            (ClaimKind::AtLeast, &t["at least".len()..])
        } else if lower.starts_with("at most") {
            (ClaimKind::AtMost, &t["at most".len()..])
        } else {
            (ClaimKind::About, t.strip_prefix('~').unwrap_or(t))
        };
        Ok(Claim {
            kind,
            value: rest.parse()?,
        })
    }
}

#[cfg(test)]
mod claim_tests {
    use super::*;

    #[test]
    fn claims_in_every_documented_spelling() {
        let km2: Quantity = "215 km2".parse().unwrap();
        assert_eq!(km2.m2, 215e6);
        assert_eq!("215 km²".parse::<Quantity>().unwrap().m2, 215e6);
        assert_eq!("21500 ha".parse::<Quantity>().unwrap().m2, 215e6);
        assert_eq!("2.15e8 m2".parse::<Quantity>().unwrap().m2, 215e6);
        assert_eq!("2,150,000 ha".parse::<Quantity>().unwrap().m2, 215e8);
        assert_eq!("21,500.0 ha".parse::<Quantity>().unwrap().m2, 215e6);
        // Issue #13 item 1: a decimal comma is a decimal comma, an ambiguous
        // comma is refused, and no comma is ever dropped.
        assert!(("16,4 km2".parse::<Quantity>().unwrap().m2 - 16.4e6).abs() < 1e-6);
        assert_eq!("215,5 km2".parse::<Quantity>().unwrap().m2, 215.5e6);
        assert!("21,500 ha".parse::<Quantity>().is_err());
        assert!("2,1,5 km2".parse::<Quantity>().is_err());
        assert!("1,23,456 km2".parse::<Quantity>().is_err());
        let mi: Quantity = "83 sq mi".parse().unwrap();
        assert_eq!(mi.unit, AreaUnit::Mi2);
        assert!((mi.m2 - 83.0 * 2_589_988.110_336).abs() < 1e-6);
        assert!("215".parse::<Quantity>().is_err());
        assert!("215 parsecs".parse::<Quantity>().is_err());
        assert!("-3 km2".parse::<Quantity>().is_err());
        let c: Claim = "at least 215 km2".parse().unwrap();
        assert_eq!((c.kind, c.value.m2), (ClaimKind::AtLeast, 215e6));
        assert_eq!(
            ">= 215 km2".parse::<Claim>().unwrap().kind,
            ClaimKind::AtLeast
        );
        assert_eq!(
            "<=83 sq mi".parse::<Claim>().unwrap().kind,
            ClaimKind::AtMost
        );
    }

    #[test]
    fn tolerances_in_percent_or_area() {
        assert_eq!("5%".parse::<Tolerance>().unwrap().allowed_m2(200e6), 10e6);
        assert_eq!("10 km2".parse::<Tolerance>().unwrap().allowed_m2(1.0), 10e6);
        assert!("five".parse::<Tolerance>().is_err());
    }
}

/// A distance given on the command line (`--border-tolerance 500m`, `1km`,
/// `1.5 km`), kept in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distance {
    /// Metres.
    pub m: f64,
}

impl std::str::FromStr for Distance {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_lowercase();
        let (num, factor) = if let Some(n) = t.strip_suffix("km") {
            (n, 1000.0)
        } else if let Some(n) = t.strip_suffix('m') {
            (n, 1.0)
        } else {
            return Err(format!(
                "{s:?}: give a distance with its unit, e.g. 500m or 1km"
            ));
        };
        let v: f64 = num
            .trim()
            .parse()
            .map_err(|_| format!("{s:?}: not a number followed by m or km"))?;
        if !(v.is_finite() && v > 0.0) {
            return Err(format!("{s:?}: the distance must be positive"));
        }
        Ok(Distance { m: v * factor })
    }
}

impl std::fmt::Display for Distance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.m >= 1000.0 {
            write!(f, "{} km", self.m / 1000.0)
        } else {
            write!(f, "{} m", self.m)
        }
    }
}
