//! Issue #11, messages: names cannot drive the terminal or break an SVG, and
//! a feature with hundreds of bad rings gives a short message.

mod common;
use common::*;

fn write_layer(dir: &std::path::Path, name: &str, features: Vec<serde_json::Value>) -> String {
    let path = dir.join(name);
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    std::fs::write(&path, fc.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

fn square(x0: f64, y0: f64, s: f64) -> Vec<[f64; 2]> {
    vec![
        [x0, y0],
        [x0 + s, y0],
        [x0 + s, y0 + s],
        [x0, y0 + s],
        [x0, y0],
    ]
}

#[test]
fn control_characters_in_names_are_escaped_in_tables_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    // An ANSI colour sequence, an OSC 8 hyperlink ending in BEL, a C1 CSI.
    let evil = "red\u{1b}[31m!\u{1b}]8;;http://x\u{7}link\u{9b}2J";
    let layer = write_layer(
        dir.path(),
        "evil.geojson",
        vec![
            serde_json::json!({"type": "Feature", "id": "e1", "properties": {"name": evil},
            "geometry": {"type": "Polygon", "coordinates": [square(44.5, 40.1, 0.1)]}}),
        ],
    );
    let (code, out, _) = run(&["area", &layer]);
    assert_eq!(code, Some(0));
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(out.contains("red\\u{1b}[31m!"), "{out}");
    // CSV keeps the data as it is (quoted by the csv rules), unchanged.
    let (_, csv_out, _) = run(&["area", &layer, "-f", "csv"]);
    assert!(csv_out.contains(evil));
    // The SVG is well-formed XML (XML 1.0 forbids these characters).
    let svg = dir.path().join("map.svg");
    let (code, _, err) = run(&["render", &layer, "-o", svg.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && !"\n\r\t".contains(c))
    );
    let mut reader = quick_xml::Reader::from_str(&text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("ill-formed SVG: {e}"),
        }
    }
}

#[test]
fn hundreds_of_invalid_rings_give_a_short_message() {
    // One feature, 300 bow-tie polygons; and 30 invalid features.
    let bowtie = |x: f64| {
        vec![
            [x, 40.0],
            [x + 0.01, 40.01],
            [x + 0.01, 40.0],
            [x, 40.01],
            [x, 40.0],
        ]
    };
    let dir = tempfile::tempdir().unwrap();
    let many_rings = write_layer(
        dir.path(),
        "rings.geojson",
        vec![
            serde_json::json!({"type": "Feature", "id": "m", "properties": {},
            "geometry": {"type": "MultiPolygon",
                "coordinates": (0..300).map(|k| vec![bowtie(44.0 + k as f64 * 0.02)]).collect::<Vec<_>>()}}),
        ],
    );
    let (code, _, err) = run(&["area", &many_rings]);
    assert_eq!(code, Some(1));
    assert!(err.len() < 1000, "{} bytes: {err}", err.len());
    assert!(
        err.contains("and 297 more: run `territory validate`"),
        "{err}"
    );
    let many_features = write_layer(
        dir.path(),
        "features.geojson",
        (0..30)
            .map(|k| {
                serde_json::json!({"type": "Feature", "id": format!("f{k}"), "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [bowtie(44.0 + k as f64 * 0.02)]}})
            })
            .collect(),
    );
    let (code, _, err) = run(&["area", &many_features]);
    assert_eq!(code, Some(1));
    assert!(err.contains("30 invalid features"), "{err}");
    assert!(err.contains("and 10 more features"), "{err}");
    assert_eq!(err.lines().count(), 22, "{err}");
}
