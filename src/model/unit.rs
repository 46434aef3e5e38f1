//! Area units. Values are kept in m² inside the program and converted only in reports.

use clap::ValueEnum;

/// A unit of area for reports (`--unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
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
