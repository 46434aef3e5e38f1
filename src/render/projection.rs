//! Equal-area map projections: Lambert azimuthal equal-area for regional
//! views, Equal Earth for wide ones, both through authalic latitudes so that
//! areas on the map are proportional to areas on the WGS84 ellipsoid.

/// Authalic sphere radius for WGS84, m.
const R_AUTHALIC: f64 = 6_371_007.2;

/// WGS84 first eccentricity squared.
const E2: f64 = 6.694_379_990_141_317e-3;

/// Authalic latitude (radians) of a geodetic latitude (radians): the latitude
/// on the sphere of equal area (Snyder 1987, eq. 3-11, 3-12).
pub fn authalic(lat: f64) -> f64 {
    let e = E2.sqrt();
    let q = |s: f64| {
        (1.0 - E2)
            * (s / (1.0 - E2 * s * s) - (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln())
    };
    (q(lat.sin()) / q(1.0)).clamp(-1.0, 1.0).asin()
}

/// Lambert azimuthal equal-area, centred on a point: geodetic latitudes are
/// mapped to authalic ones, then projected from the authalic sphere, so the
/// map is equal-area for the WGS84 ellipsoid.
#[derive(Debug, Clone, Copy)]
pub struct Laea {
    lon0: f64,
    sin_lat0: f64,
    cos_lat0: f64,
}

impl Laea {
    /// Centred on `lon0`, `lat0` (degrees).
    pub fn new(lon0: f64, lat0: f64) -> Self {
        let lat0 = authalic(lat0.to_radians());
        Laea {
            lon0,
            sin_lat0: lat0.sin(),
            cos_lat0: lat0.cos(),
        }
    }

    /// Project lon, lat (degrees) to x, y (metres, y north). The antipode of
    /// the centre has no image; it is mapped to the rim.
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (lat, dlon) = (authalic(lat.to_radians()), (lon - self.lon0).to_radians());
        let (sin_lat, cos_lat) = lat.sin_cos();
        let cos_c = self.sin_lat0 * sin_lat + self.cos_lat0 * cos_lat * dlon.cos();
        let k = (2.0 / (1.0 + cos_c).max(1e-12)).sqrt();
        (
            R_AUTHALIC * k * cos_lat * dlon.sin(),
            R_AUTHALIC * k * (self.cos_lat0 * sin_lat - self.sin_lat0 * cos_lat * dlon.cos()),
        )
    }
}

/// The Equal Earth projection (Šavrič, Patterson and Jenny 2018) through
/// authalic latitudes: equal-area on the ellipsoid, for world and continental
/// views, which an azimuthal projection cannot show whole.
#[derive(Debug, Clone, Copy)]
pub struct EqualEarth {
    lon0: f64,
}

impl EqualEarth {
    /// With central meridian `lon0` (degrees).
    pub fn new(lon0: f64) -> Self {
        EqualEarth { lon0 }
    }

    /// Project lon, lat (degrees) to x, y (metres, y north).
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        const A: [f64; 4] = [1.340_264, -0.081_106, 0.000_893, 0.003_796];
        let m = 3f64.sqrt() / 2.0;
        // Keep ±180° relative longitudes as they are (a polygon edge on the
        // antimeridian must not jump to the other side).
        let mut dlon = lon - self.lon0;
        if dlon > 180.0 {
            dlon -= 360.0;
        } else if dlon < -180.0 {
            dlon += 360.0;
        }
        let theta = (m * authalic(lat.to_radians()).sin()).asin();
        let (t2, t6, t8) = (theta.powi(2), theta.powi(6), theta.powi(8));
        let x = 2.0 * 3f64.sqrt() * dlon.to_radians() * theta.cos()
            / (3.0 * (9.0 * A[3] * t8 + 7.0 * A[2] * t6 + 3.0 * A[1] * t2 + A[0]));
        let y = theta * (A[3] * t8 + A[2] * t6 + A[1] * t2 + A[0]);
        (R_AUTHALIC * x, R_AUTHALIC * y)
    }
}

/// The projection of a map: azimuthal for regional views, Equal Earth for
/// views wider than 100° of longitude or taller than 60° of latitude.
#[derive(Debug, Clone, Copy)]
pub enum MapProjection {
    /// Lambert azimuthal equal-area centred on the view.
    Laea(Laea),
    /// Equal Earth on the view's central meridian.
    EqualEarth(EqualEarth),
}

impl MapProjection {
    /// The projection suited to a view `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn for_view(b: [f64; 4]) -> Self {
        let (lon0, lat0) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        if b[2] - b[0] > 100.0 || b[3] - b[1] > 60.0 {
            MapProjection::EqualEarth(EqualEarth::new(lon0))
        } else {
            MapProjection::Laea(Laea::new(lon0, lat0))
        }
    }

    /// Project lon, lat (degrees) to x, y (metres, y north).
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            MapProjection::Laea(p) => p.project(lon, lat),
            MapProjection::EqualEarth(p) => p.project(lon, lat),
        }
    }

    /// Its name, for the map's provenance line.
    pub fn describe(&self, lon0: f64, lat0: f64) -> String {
        let ns =
            |v: f64, p: &str, n: &str| format!("{:.2}°{}", v.abs(), if v >= 0.0 { p } else { n });
        match self {
            MapProjection::Laea(_) => format!(
                "Lambert azimuthal equal-area centred {}, {}",
                ns(lon0, "E", "W"),
                ns(lat0, "N", "S")
            ),
            MapProjection::EqualEarth(_) => {
                format!("Equal Earth, central meridian {}", ns(lon0, "E", "W"))
            }
        }
    }
}
