//! `render` and `timeline --chart`: the real binary writes SVG and PNG; the
//! geometry of the picture is checked against GeographicLib distances.

mod common;
use common::*;

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!(" {name}=\"");
    let start = tag.find(&key).unwrap() + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

/// The circles of the points layer (not the legend's), in order.
fn point_circles(svg: &str) -> Vec<(f64, f64)> {
    svg.split("<circle")
        .skip(1)
        .filter(|t| t.contains("r=\"3.5\"/>"))
        .map(|t| (attr(t, "cx"), attr(t, "cy")))
        .collect()
}

/// Scale-bar length in px and its label in km.
fn scale_bar(svg: &str) -> (f64, f64) {
    let g = &svg[svg.find("height=\"34\"").unwrap()..];
    let bar = &g[g.find("<rect").unwrap()..];
    let half = attr(&bar[..bar.find("/>").unwrap()], "width");
    let km_text = &g[..g.find(" km</text>").unwrap()];
    let km: f64 = km_text[km_text.rfind('>').unwrap() + 1..].parse().unwrap();
    (2.0 * half, km)
}

#[test]
fn map_distances_match_geographiclib_through_the_scale_bar() {
    let dir = tempfile::tempdir().unwrap();
    let pts = dir.path().join("pts.csv");
    // Two points on the parallel 40° N, 0.6° of longitude apart, and two on the
    // meridian 45° E, 0.2° of latitude apart, around the view's centre.
    std::fs::write(
        &pts,
        "lat,lon\n40.0,44.7\n40.0,45.3\n39.9,45.0\n40.1,45.0\n",
    )
    .unwrap();
    let svg_path = dir.path().join("map.svg");
    territory()
        .args([
            "render",
            "builtin:armenia",
            "--bbox",
            "44,39.5,46,40.5",
            "--points",
        ])
        .arg(&pts)
        .arg("-o")
        .arg(&svg_path)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let c = point_circles(&svg);
    assert_eq!(c.len(), 4, "{svg:.400}");
    let (bar_px, bar_km) = scale_bar(&svg);
    let km_per_px = bar_km / bar_px;
    let d = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).hypot(a.1 - b.1) * km_per_px;
    // GeographicLib (Python geographiclib 2.1), Geodesic.WGS84.Inverse.
    let (east_west, north_south) = (51.23621744511713, 22.206926556624756);
    assert!(
        rel(d(c[0], c[1]), east_west) < 3e-3,
        "{} vs {east_west}",
        d(c[0], c[1])
    );
    assert!(
        rel(d(c[2], c[3]), north_south) < 3e-3,
        "{} vs {north_south}",
        d(c[2], c[3])
    );
    // North is up: the northern point is above the southern one, straight.
    assert!(c[3].1 < c[2].1 && (c[3].0 - c[2].0).abs() < 0.01);
}

#[test]
fn map_has_every_feature_title_legend_scale_and_north_arrow() {
    let args = [
        "render",
        "builtin:armenia-provinces",
        "data/examples/occupied-illustrative.geojson",
        "--title",
        "Test <map>",
    ];
    let (_dir, out) = written(&args, "-o", "map.svg");
    let svg = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        svg.matches("<title>").count(),
        11 + 9,
        "one path per feature"
    );
    assert!(svg.contains("Test &lt;map&gt;"));
    assert!(svg.contains("armenia-provinces (11 features)"));
    assert!(svg.contains("occupied-illustrative (9 features)"));
    assert!(
        svg.contains(">Syunik</text>") && svg.contains(">N</text>") && svg.contains(" km</text>")
    );
    assert!(svg.contains("Natural Earth"), "the source is stated");
    // Distinct colours per layer.
    assert!(svg.contains("fill=\"#0072B2\"") && svg.contains("fill=\"#D55E00\""));
    // Byte-identical when run again.
    let (_dir2, again) = written(&args, "-o", "again.svg");
    assert_eq!(std::fs::read(&again).unwrap(), svg.as_bytes());
}

#[test]
fn png_is_written_at_the_asked_width() {
    let (_dir, out) = written(
        &["render", "builtin:armenia", "--width", "640"],
        "-o",
        "map.png",
    );
    let png = std::fs::read(&out).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width, 640);
}

#[test]
fn render_refuses_what_it_cannot_do() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("map.jpg");
    let o = territory()
        .args(["render", "builtin:armenia", "-o"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".svg or .png"));
    assert!(!bad.exists());
    let o = territory()
        .args([
            "render",
            "builtin:armenia",
            "--bbox",
            "46,39,45,40",
            "-o",
            "x.svg",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "a bad --bbox is a usage error");
    let pts = dir.path().join("p.csv");
    std::fs::write(&pts, "lat,lon\n40,45\n40.1,45\n40.2,45\n").unwrap();
    let out = dir.path().join("m.svg");
    let o = territory()
        .args(["render", "builtin:armenia", "--max-points", "2", "--points"])
        .arg(&pts)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("more than 2 points"));
    assert!(!out.exists());
}

#[test]
fn timeline_chart_has_axes_units_dates_and_regions() {
    let args = [
        "timeline",
        "data/examples/occupied-illustrative.geojson",
        "--by",
        "builtin:armenia-provinces",
        "--unit",
        "mi2",
    ];
    let (_dir, svg_path) = written(&args, "--chart", "chart.svg");
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.contains(">date</text>") && svg.contains(">area (mi2)</text>"));
    for d in ["2021-05-12", "2021-11-16", "2022-09-13"] {
        assert!(svg.contains(&format!(">{d}</text>")), "{d}");
    }
    for name in ["total (union)", "Gegharkunik", "Syunik", "Vayots Dzor"] {
        assert!(svg.contains(&format!(">{name}</text>")), "{name}");
    }
    let (_dir2, png_path) = written(
        &["timeline", "data/examples/occupied-illustrative.geojson"],
        "--chart",
        "chart.png",
    );
    assert_eq!(&std::fs::read(&png_path).unwrap()[..4], b"\x89PNG");
}
