//! Maps as SVG: layers filled in their colours, features that are no areas,
//! region labels, points (or their density), a scale bar, a north arrow, a
//! legend and the data's sources.

use std::fmt::Write as _;

use geo::{BoundingRect, InteriorPoint, MultiPolygon};

use super::projection::MapProjection;
use super::{FAMILY, PALETTE, esc, fmt_num, wrap};
use crate::model::Layer;

/// One layer to draw.
pub struct MapLayer<'a> {
    /// Its name in the legend.
    pub name: String,
    /// The regions.
    pub layer: &'a Layer,
    /// Label each region with its name (or id).
    pub labels: bool,
    /// Fill opacity; `None`: 0.18 for the first layer, 0.45 for the others.
    pub fill_opacity: Option<f64>,
}

/// The fill opacity of layer `k`.
fn opacity_of(layers: &[MapLayer], k: usize) -> f64 {
    layers
        .get(k)
        .and_then(|l| l.fill_opacity)
        .unwrap_or(if k == 0 { 0.18 } else { 0.45 })
}

/// A `--bbox MIN_LON,MIN_LAT,MAX_LON,MAX_LAT` argument.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox(pub [f64; 4]);

impl std::str::FromStr for BBox {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let v: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| format!("{s:?}: expected MIN_LON,MIN_LAT,MAX_LON,MAX_LAT (numbers)"))?;
        let [a, b, c, d] = v[..] else {
            return Err(format!("{s:?}: expected four numbers, got {}", v.len()));
        };
        let lon_ok = |x: f64| (-180.0..=180.0).contains(&x);
        let lat_ok = |y: f64| (-90.0..=90.0).contains(&y);
        if !(lon_ok(a) && lon_ok(c) && lat_ok(b) && lat_ok(d)) || a >= c || b >= d {
            return Err(format!(
                "{s:?}: need -180 <= MIN_LON < MAX_LON <= 180 and -90 <= MIN_LAT < MAX_LAT <= 90"
            ));
        }
        Ok(BBox([a, b, c, d]))
    }
}

/// How a `--bbox` meets the data (see [`BBox::fit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BBoxFit {
    /// Some of the data lies in the box.
    Holds,
    /// None does, but some would with the box read latitude first.
    Swapped,
    /// None does either way.
    Empty,
}

impl BBox {
    /// The box read latitude first: `[min_lat, min_lon, max_lat, max_lon]`
    /// taken as lon/lat.
    pub fn swapped(&self) -> BBox {
        let [a, b, c, d] = self.0;
        BBox([b, a, d, c])
    }

    /// Whether the box holds any of the data (a polygon's bounding box or a
    /// point meets it), and if not, whether the box read latitude first
    /// would: `render --bbox 38.8,43.4,41.3,46.7` drew a blank map.
    pub fn fit(&self, layers: &[MapLayer], points: &[(f64, f64)]) -> BBoxFit {
        let meets = |b: [f64; 4]| {
            let within = |x: f64, y: f64| x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
            layers.iter().any(|l| {
                l.layer.regions.iter().any(|r| {
                    r.geom.bounding_rect().is_some_and(|rect| {
                        rect.min().x <= b[2]
                            && rect.max().x >= b[0]
                            && rect.min().y <= b[3]
                            && rect.max().y >= b[1]
                    })
                }) || l
                    .layer
                    .skipped
                    .iter()
                    .flat_map(|f| f.points.iter().chain(f.lines.iter().flat_map(|l| &l.0)))
                    .any(|c| within(c.x, c.y))
            }) || points.iter().any(|&(x, y)| within(x, y))
        };
        if meets(self.0) {
            BBoxFit::Holds
        } else if self.0[0].abs() <= 90.0 && self.0[2].abs() <= 90.0 && meets(self.swapped().0) {
            BBoxFit::Swapped
        } else {
            BBoxFit::Empty
        }
    }
}

impl std::fmt::Display for BBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [a, b, c, d] = self.0;
        write!(f, "{a},{b},{c},{d}")
    }
}

/// What the map shows besides the layers.
#[derive(Debug, Clone, Default)]
pub struct MapSpec {
    /// Title at the top.
    pub title: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// The view `[min_lon, min_lat, max_lon, max_lat]`; `None`: fit the data.
    pub bbox: Option<[f64; 4]>,
    /// Points (lon, lat) and their legend name.
    pub points: Vec<(f64, f64)>,
    /// Legend entry for the points.
    pub points_name: String,
    /// Provenance line at the bottom ("Data: …").
    pub sources: Vec<String>,
}

/// A map's frame: projection and the affine step from metres to pixels,
/// and the size of the map area and of the image.
struct Frame {
    proj: MapProjection,
    scale: f64,
    x0: f64,
    y0: f64,
    left: f64,
    top: f64,
    /// Width and height of the map area, px.
    map_w: f64,
    map_h: f64,
    /// Width of the image, px.
    width: f64,
}

impl Frame {
    fn px(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = self.proj.project(lon, lat);
        (
            self.left + (x - self.x0) * self.scale,
            self.top + (self.y0 - y) * self.scale,
        )
    }
}

/// The bounding box of the layers and points, `[min_lon, min_lat, max_lon, max_lat]`.
pub fn data_bbox(layers: &[MapLayer], points: &[(f64, f64)]) -> Option<[f64; 4]> {
    let mut b: Option<[f64; 4]> = None;
    let mut add = |x0: f64, y0: f64, x1: f64, y1: f64| {
        let e = b.get_or_insert([x0, y0, x1, y1]);
        e[0] = e[0].min(x0);
        e[1] = e[1].min(y0);
        e[2] = e[2].max(x1);
        e[3] = e[3].max(y1);
    };
    for l in layers {
        for r in &l.layer.regions {
            if let Some(rect) = r.geom.bounding_rect() {
                add(rect.min().x, rect.min().y, rect.max().x, rect.max().y);
            }
        }
    }
    for l in layers {
        for f in &l.layer.skipped {
            for c in f.points.iter().chain(f.lines.iter().flat_map(|l| &l.0)) {
                add(c.x, c.y, c.x, c.y);
            }
        }
    }
    for &(x, y) in points {
        add(x, y, x, y);
    }
    b
}

/// A "nice" scale-bar length (1, 2 or 5 × 10^k km) close to `target_km`.
pub fn nice_km(target_km: f64) -> f64 {
    let p = 10f64.powf(target_km.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v <= target_km)
        .unwrap_or(p)
}

/// The map as an SVG document.
pub fn map_svg(layers: &[MapLayer], spec: &MapSpec) -> String {
    let bbox = spec
        .bbox
        .or_else(|| data_bbox(layers, &spec.points))
        .unwrap_or([43.0, 38.5, 47.0, 41.5]);
    let (lon0, lat0) = ((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);
    let frame = Frame::fit(bbox, spec);
    let (map_w, map_h, width) = (frame.map_w, frame.map_h, frame.width);
    let margin = frame.left;
    let source = format!(
        "Data: {}. {}.",
        if spec.sources.is_empty() {
            "see the layers".to_string()
        } else {
            spec.sources.join("; ")
        },
        frame.proj.describe(lon0, lat0)
    );
    let entries = legend_entries(layers, spec);
    let legend_lines = layout_legend(&entries, map_w);
    let legend_h = legend_lines.len() as f64 * 20.0;
    let footer_h = 8.0 + legend_h + 4.0 + 14.0 * wrap(&source, (map_w / 6.2) as usize).len() as f64;
    let height = (frame.top + map_h + footer_h + margin).round();

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FAMILY}">
<rect width="100%" height="100%" fill="white"/>
<defs><clipPath id="map"><rect x="{l}" y="{t}" width="{map_w}" height="{map_h}"/></clipPath></defs>
"#,
        l = frame.left,
        t = frame.top,
    );
    if let Some(t) = &spec.title {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="22" text-anchor="middle">{}</text>"#,
            width / 2.0,
            margin + 24.0,
            esc(t)
        );
    }
    s.push_str("<g clip-path=\"url(#map)\">\n");
    draw_areas(&mut s, layers, &frame);
    draw_not_areas(&mut s, layers, &frame);
    draw_labels(&mut s, layers, &frame);
    draw_points(&mut s, &spec.points, &frame);
    s.push_str("</g>\n");
    // Frame around the map.
    let _ = writeln!(
        s,
        r##"<rect x="{}" y="{}" width="{map_w}" height="{map_h}" fill="none" stroke="#555" stroke-width="1"/>"##,
        frame.left, frame.top
    );
    scale_bar(&mut s, &frame, map_w, map_h, (lon0, lat0));
    north_arrow(&mut s, &frame, map_w);
    let opacities: Vec<f64> = (0..layers.len()).map(|k| opacity_of(layers, k)).collect();
    legend(
        &mut s,
        (&entries, &opacities),
        &legend_lines,
        frame.left,
        frame.top + map_h + 8.0,
    );
    for (i, line) in wrap(&source, (map_w / 6.2) as usize).iter().enumerate() {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="11" fill="#444">{}</text>"##,
            frame.left,
            frame.top + map_h + 8.0 + legend_h + 14.0 + i as f64 * 14.0,
            esc(line)
        );
    }
    s.push_str("</svg>\n");
    s
}

impl Frame {
    /// The frame of a view: the projection for `bbox`, padded 4 % (at least
    /// 1 km), the map area as wide as the image less margins and as tall as
    /// the view's aspect asks (0.3 to 2), the data centred in it.
    fn fit(bbox: [f64; 4], spec: &MapSpec) -> Frame {
        let proj = MapProjection::for_view(bbox);
        // The projected extent of the box: sample its edges (they curve).
        let (mut x_min, mut y_min, mut x_max, mut y_max) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for i in 0..=64 {
            let t = f64::from(i) / 64.0;
            let lon = bbox[0] + t * (bbox[2] - bbox[0]);
            let lat = bbox[1] + t * (bbox[3] - bbox[1]);
            for (a, b) in [
                (lon, bbox[1]),
                (lon, bbox[3]),
                (bbox[0], lat),
                (bbox[2], lat),
            ] {
                let (x, y) = proj.project(a, b);
                (x_min, x_max, y_min, y_max) =
                    (x_min.min(x), x_max.max(x), y_min.min(y), y_max.max(y));
            }
        }
        // Padding: 4% of the larger side, at least 1 km.
        let pad = (0.04 * (x_max - x_min).max(y_max - y_min)).max(1000.0);
        (x_min, x_max, y_min, y_max) = (x_min - pad, x_max + pad, y_min - pad, y_max + pad);
        let width = f64::from(spec.width.max(300));
        let margin = 20.0;
        let title_h = if spec.title.is_some() { 44.0 } else { 0.0 };
        let map_w = width - 2.0 * margin;
        let aspect = ((y_max - y_min) / (x_max - x_min)).clamp(0.3, 2.0);
        let map_h = (map_w * aspect).round();
        let scale = (map_w / (x_max - x_min)).min(map_h / (y_max - y_min));
        // Centre the data in the map area.
        Frame {
            proj,
            scale,
            x0: (x_min + x_max) / 2.0 - map_w / 2.0 / scale,
            y0: (y_min + y_max) / 2.0 + map_h / 2.0 / scale,
            left: margin,
            top: margin + title_h,
            map_w,
            map_h,
            width,
        }
    }
}

/// Each layer's areas, filled in its colour.
fn draw_areas(s: &mut String, layers: &[MapLayer], frame: &Frame) {
    for (k, l) in layers.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let opacity = opacity_of(layers, k);
        let _ = writeln!(
            s,
            r#"<g fill="{colour}" fill-opacity="{opacity}" stroke="{colour}" stroke-width="1.2" stroke-linejoin="round" fill-rule="evenodd">"#
        );
        for r in &l.layer.regions {
            let d = path(&r.geom, frame);
            if !d.is_empty() {
                let _ = writeln!(
                    s,
                    r#"<path d="{d}"><title>{}</title></path>"#,
                    esc(&label_of(r))
                );
            }
        }
        s.push_str("</g>\n");
    }
}

/// Features that are not areas (a Google Earth pin beside the polygons, a
/// LineString): lines in the layer's colour, pins as its dots with a white
/// ring, each with its name as a tooltip.
fn draw_not_areas(s: &mut String, layers: &[MapLayer], frame: &Frame) {
    for (k, l) in layers.iter().enumerate() {
        if l.layer.skipped.is_empty() {
            continue;
        }
        let colour = PALETTE[k % PALETTE.len()];
        let _ = writeln!(
            s,
            r#"<g fill="{colour}" stroke="{colour}" stroke-width="2" stroke-linejoin="round">"#
        );
        for f in &l.layer.skipped {
            let title = esc(if f.name.is_empty() {
                f.id.as_deref().unwrap_or("")
            } else {
                &f.name
            });
            for line in &f.lines {
                let pts: Vec<String> = line
                    .0
                    .iter()
                    .map(|c| {
                        let (x, y) = frame.px(c.x, c.y);
                        format!("{x:.2},{y:.2}")
                    })
                    .collect();
                let _ = writeln!(
                    s,
                    r#"<polyline fill="none" points="{}"><title>{title}</title></polyline>"#,
                    pts.join(" ")
                );
            }
            for c in &f.points {
                let (x, y) = frame.px(c.x, c.y);
                let _ = writeln!(
                    s,
                    r#"<circle cx="{x:.2}" cy="{y:.2}" r="5" stroke="white" stroke-width="1.5"><title>{title}</title></circle>"#
                );
                if l.labels && !title.is_empty() {
                    let _ = writeln!(
                        s,
                        r##"<text x="{:.2}" y="{:.2}" font-size="12" fill="#222" stroke="white" stroke-width="3" paint-order="stroke">{title}</text>"##,
                        x + 8.0,
                        y + 4.0
                    );
                }
            }
        }
        s.push_str("</g>\n");
    }
}

/// A label is not repeated within this many pixels of the same text.
const LABEL_GAP_PX: f64 = 40.0;

/// Region labels: a label is not repeated within [`LABEL_GAP_PX`] of the
/// same text (snapshots of one place, parts of one region).
fn draw_labels(s: &mut String, layers: &[MapLayer], frame: &Frame) {
    let (map_w, map_h) = (frame.map_w, frame.map_h);
    // Labels placed, by text and 40 px grid cell: a new label is checked
    // against the 3 × 3 cells around it only (a list scanned whole made n
    // labels cost n²).
    type Cells = std::collections::HashMap<(i64, i64), Vec<(f64, f64)>>;
    let mut placed: std::collections::HashMap<String, Cells> = Default::default();
    let cell = |v: f64| (v / LABEL_GAP_PX).floor() as i64;
    for l in layers.iter().filter(|l| l.labels) {
        s.push_str("<g font-size=\"13\" text-anchor=\"middle\" fill=\"#222\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\">\n");
        for r in &l.layer.regions {
            let Some(p) = r.geom.0.iter().max_by(|a, b| {
                let area = |p: &geo::Polygon<f64>| {
                    p.bounding_rect().map_or(0.0, |b| b.width() * b.height())
                };
                area(a).total_cmp(&area(b))
            }) else {
                continue;
            };
            let Some(ip) = p.interior_point() else {
                continue;
            };
            let (x, y) = frame.px(ip.x(), ip.y());
            if x < frame.left || x > frame.left + map_w || y < frame.top || y > frame.top + map_h {
                continue;
            }
            let text = label_of(r);
            let (cx, cy) = (cell(x), cell(y));
            let near = placed.get(&text).is_some_and(|cells| {
                (cx - 1..=cx + 1).any(|i| {
                    (cy - 1..=cy + 1).any(|j| {
                        cells.get(&(i, j)).is_some_and(|v| {
                            v.iter()
                                .any(|(px, py)| (px - x).hypot(py - y) < LABEL_GAP_PX)
                        })
                    })
                })
            });
            if near {
                continue;
            }
            let _ = writeln!(
                s,
                r#"<text x="{x:.2}" y="{:.2}">{}</text>"#,
                y + 4.5,
                esc(&text)
            );
            placed
                .entry(text)
                .or_default()
                .entry((cx, cy))
                .or_default()
                .push((x, y));
        }
        s.push_str("</g>\n");
    }
}

/// Points above everything (a label must not hide a point); more than
/// [`MAX_POINT_MARKERS`] as a density grid (issue #13 item 13).
fn draw_points(s: &mut String, points: &[(f64, f64)], frame: &Frame) {
    if points.len() > MAX_POINT_MARKERS {
        density_grid(s, points, frame, (frame.map_w, frame.map_h));
    } else if !points.is_empty() {
        s.push_str("<g fill=\"black\" stroke=\"white\" stroke-width=\"0.8\">\n");
        for &(lon, lat) in points {
            let (x, y) = frame.px(lon, lat);
            let _ = writeln!(s, r#"<circle cx="{x:.2}" cy="{y:.2}" r="3.5"/>"#);
        }
        s.push_str("</g>\n");
    }
}

fn label_of(r: &crate::model::Region) -> String {
    if r.name.is_empty() {
        r.id.clone()
    } else {
        r.name.clone()
    }
}

/// An SVG path for a multipolygon; vertices closer than 0.3 px to the last
/// one kept are skipped.
fn path(g: &MultiPolygon<f64>, frame: &Frame) -> String {
    let mut d = String::new();
    for p in &g.0 {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            let mut last: Option<(f64, f64)> = None;
            let mut n = 0;
            for c in &ring.0 {
                let (x, y) = frame.px(c.x, c.y);
                if let Some((lx, ly)) = last
                    && (x - lx).abs() < 0.3
                    && (y - ly).abs() < 0.3
                {
                    continue;
                }
                let _ = write!(d, "{}{x:.2} {y:.2}", if n == 0 { "M" } else { "L" });
                last = Some((x, y));
                n += 1;
            }
            if n > 0 {
                d.push('Z');
            }
        }
    }
    d
}

/// Kilometres per pixel at the view's centre: the geodesic lengths of short
/// east–west and north–south steps over their lengths on the map, combined
/// as a geometric mean (for an equal-area projection the two scales multiply
/// to 1, so the bar is off by at most half their spread in either direction).
fn km_per_px(f: &Frame, (lon0, lat0): (f64, f64)) -> f64 {
    use geo::{Distance, Geodesic, Point};
    let d = 0.05;
    let per = |a: (f64, f64), b: (f64, f64)| {
        let (pa, pb) = (f.px(a.0, a.1), f.px(b.0, b.1));
        let px = (pa.0 - pb.0).hypot(pa.1 - pb.1);
        Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0 / px
    };
    let lat0 = lat0.clamp(-89.0, 89.0);
    let ew = per((lon0 - d, lat0), (lon0 + d, lat0));
    let ns = per((lon0, lat0 - d), (lon0, lat0 + d));
    (ew * ns).sqrt()
}

fn scale_bar(s: &mut String, f: &Frame, map_w: f64, map_h: f64, centre: (f64, f64)) {
    let km_per_px = km_per_px(f, centre);
    let km = nice_km(map_w * 0.22 * km_per_px);
    let len = km / km_per_px;
    let (x, y) = (f.left + 16.0, f.top + map_h - 22.0);
    let _ = writeln!(
        s,
        r##"<g font-size="12" fill="#222"><rect x="{:.2}" y="{:.2}" width="{:.2}" height="34" fill="white" fill-opacity="0.8"/><rect x="{x:.2}" y="{y:.2}" width="{:.2}" height="5" fill="#222"/><rect x="{:.2}" y="{y:.2}" width="{:.2}" height="5" fill="white" stroke="#222" stroke-width="0.8"/><text x="{x:.2}" y="{:.2}">0</text><text x="{:.2}" y="{:.2}" text-anchor="middle">{} km</text></g>"##,
        x - 8.0,
        y - 20.0,
        len + 40.0,
        len / 2.0,
        x + len / 2.0,
        len / 2.0,
        y - 5.0,
        x + len,
        y - 5.0,
        fmt_num(km)
    );
}

fn north_arrow(s: &mut String, f: &Frame, map_w: f64) {
    let (x, y) = (f.left + map_w - 30.0, f.top + 18.0);
    let _ = writeln!(
        s,
        r##"<g fill="#222"><path d="M{x:.2} {y:.2}L{:.2} {:.2}L{x:.2} {:.2}L{:.2} {:.2}Z"/><text x="{x:.2}" y="{:.2}" font-size="14" text-anchor="middle">N</text></g>"##,
        x + 9.0,
        y + 30.0,
        y + 24.0,
        x - 9.0,
        y + 30.0,
        y + 46.0
    );
}

/// Most points drawn one marker each; beyond, a density grid (a million
/// markers overflowed the SVG renderer's node limit).
pub const MAX_POINT_MARKERS: usize = 20_000;

/// Side of a density cell, px.
pub const DENSITY_CELL_PX: f64 = 4.0;

/// Points as a density grid: the map cut into [`DENSITY_CELL_PX`] cells, each
/// holding points drawn as a black square whose opacity grows with the log
/// of its count (0.15 for one point, 0.8 for the fullest cell), so that
/// single points stay visible and dense clusters do not saturate at once.
/// At most (map area / cell area) squares, whatever the number of points.
fn density_grid(s: &mut String, points: &[(f64, f64)], frame: &Frame, (map_w, map_h): (f64, f64)) {
    let (cols, rows) = (
        (map_w / DENSITY_CELL_PX).ceil() as usize,
        (map_h / DENSITY_CELL_PX).ceil() as usize,
    );
    let mut counts = vec![0u32; cols * rows];
    for &(lon, lat) in points {
        let (x, y) = frame.px(lon, lat);
        let (cx, cy) = (
            (x - frame.left) / DENSITY_CELL_PX,
            (y - frame.top) / DENSITY_CELL_PX,
        );
        if cx >= 0.0 && cy >= 0.0 && (cx as usize) < cols && (cy as usize) < rows {
            counts[cy as usize * cols + cx as usize] += 1;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    s.push_str("<g fill=\"black\" shape-rendering=\"crispEdges\">\n");
    for (i, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let opacity = 0.15 + 0.65 * (f64::from(n)).ln() / f64::from(max).ln().max(1e-9);
        let (x, y) = (
            frame.left + (i % cols) as f64 * DENSITY_CELL_PX,
            frame.top + (i / cols) as f64 * DENSITY_CELL_PX,
        );
        let _ = writeln!(
            s,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{DENSITY_CELL_PX}" height="{DENSITY_CELL_PX}" fill-opacity="{:.3}"/>"#,
            opacity.min(1.0)
        );
    }
    s.push_str("</g>\n");
}

/// A legend entry: swatch (layer index, or `None` for the points) and text.
type Entry = (Option<usize>, String);

fn legend_entries(layers: &[MapLayer], spec: &MapSpec) -> Vec<Entry> {
    let mut rows: Vec<Entry> = layers
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let n = l.layer.regions.len();
            (
                Some(k),
                format!("{} ({n} feature{})", l.name, if n == 1 { "" } else { "s" }),
            )
        })
        .collect();
    if spec.points.len() > MAX_POINT_MARKERS {
        rows.push((
            None,
            format!(
                "{} ({}; density per {DENSITY_CELL_PX} px cell, darker = more)",
                spec.points_name,
                crate::report::table::group_thousands(spec.points.len() as f64, 0)
            ),
        ));
    } else if !spec.points.is_empty() {
        rows.push((
            None,
            format!("{} ({})", spec.points_name, spec.points.len()),
        ));
    }
    rows
}

/// Entry width in pixels (swatch, gap, text at ~7 px per character, spacing).
fn entry_w(e: &Entry) -> f64 {
    30.0 + e.1.chars().count() as f64 * 7.0 + 24.0
}

/// Lines of entry indices that fit in `width`.
fn layout_legend(entries: &[Entry], width: f64) -> Vec<Vec<usize>> {
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut used = f64::MAX;
    for (i, e) in entries.iter().enumerate() {
        let w = entry_w(e);
        if used + w > width {
            lines.push(Vec::new());
            used = 0.0;
        }
        if let Some(line) = lines.last_mut() {
            line.push(i);
        }
        used += w;
    }
    lines
}

/// The legend below the map: one swatch and text per layer, then the points.
fn legend(
    s: &mut String,
    (entries, opacities): (&[Entry], &[f64]),
    lines: &[Vec<usize>],
    left: f64,
    top: f64,
) {
    s.push_str("<g font-size=\"12\" fill=\"#222\">\n");
    for (li, line) in lines.iter().enumerate() {
        let y = top + li as f64 * 20.0;
        let mut x = left;
        for &i in line {
            let (swatch, text) = &entries[i];
            match swatch {
                None => {
                    let _ = write!(
                        s,
                        r#"<circle cx="{:.2}" cy="{:.2}" r="3.5" fill="black"/>"#,
                        x + 9.0,
                        y + 7.0
                    );
                }
                Some(k) => {
                    let colour = PALETTE[k % PALETTE.len()];
                    let opacity = opacities.get(*k).copied().unwrap_or(0.45);
                    let _ = write!(
                        s,
                        r#"<rect x="{x:.2}" y="{y:.2}" width="18" height="14" fill="{colour}" fill-opacity="{opacity}" stroke="{colour}"/>"#
                    );
                }
            }
            let _ = writeln!(
                s,
                r#"<text x="{:.2}" y="{:.2}">{}</text>"#,
                x + 26.0,
                y + 11.5,
                esc(text)
            );
            x += entry_w(&entries[i]);
        }
    }
    s.push_str("</g>\n");
}
