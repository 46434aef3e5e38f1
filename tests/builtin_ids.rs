//! Ids and names of the built-in admin-1 layers against ISO 3166-2, as listed by
//! the `pycountry` package (tests/data/iso3166-2.csv, written by
//! scripts/check-ids.py), and the corrections of data/README.md ("Errata").

mod common;
use common::*;

use std::collections::{HashMap, HashSet};

/// code -> (name, type, parent) from pycountry.
fn iso() -> HashMap<String, (String, String, String)> {
    let text = std::fs::read_to_string(data("iso3166-2.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                (f[1].to_string(), f[2].to_string(), f[3].to_string()),
            )
        })
        .collect()
}

fn features(layer: &str) -> Vec<serde_json::Value> {
    let v = json(&["area", layer, "-f", "geojson"]);
    v["features"].as_array().unwrap().clone()
}

#[test]
fn every_admin1_id_is_an_iso_3166_2_code_of_its_country_or_documented() {
    let iso = iso();
    // The one unit ISO 3166-2 has no code for (data/README.md, Errata).
    let no_code: HashSet<&str> = ["AZE-5565"].into();
    for layer in ["builtin:caucasus", "builtin:caucasus@ne10m"] {
        let feats = features(layer);
        assert_eq!(feats.len(), 101, "{layer}");
        let mut seen = HashSet::new();
        for f in &feats {
            let id = f["id"].as_str().unwrap();
            let p = &f["properties"];
            assert!(seen.insert(id.to_string()), "{layer}: duplicate id {id}");
            if no_code.contains(id) {
                assert!(p["iso_3166_2"].is_null(), "{layer} {id}");
                assert_eq!(p["adm1_code"], id);
                continue;
            }
            assert!(iso.contains_key(id), "{layer}: {id} is not ISO 3166-2");
            assert_eq!(p["iso_3166_2"], id, "{layer}");
            assert_eq!(&id[..2], p["iso_a2"].as_str().unwrap(), "{layer} {id}");
        }
        // Every ISO code is used, but the Nakhchivan Autonomous Republic, the
        // parent of the districts AZ-BAB, AZ-CUL, ... (pycountry says so).
        let unused: Vec<&String> = iso.keys().filter(|c| !seen.contains(*c)).collect();
        assert_eq!(unused, vec!["AZ-NX"], "{layer}");
        assert!(
            iso.values()
                .filter(|(_, _, parent)| parent == "AZ-NX")
                .count()
                >= 7
        );
    }
}

#[test]
fn lachin_is_lachin_not_lankaran() {
    // The point, inside Lachin by Natural Earth's line (by the 10 m
    // line it is 1.5 km inside Armenia, Syunik).
    let v = json(&[
        "locate",
        "39.6,46.4",
        "--regions",
        "builtin:azerbaijan-districts@ne10m",
        "-f",
        "json",
    ]);
    assert_eq!(v["layers"][0]["id"], "AZ-LAC");
    assert_eq!(v["layers"][0]["name"], "Lachin");
    // Inside Lachin district, 8 km from its boundary (Lachin town itself,
    // 39.6408 N 46.5467 E, falls 1.7 km inside Shusha district by Natural
    // Earth's coarse line: data/README.md), Lankaran town (38.7536 N 48.8511 E,
    // on the Caspian) and the district around it, under both sources; and
    // pycountry's names.
    let iso = iso();
    assert_eq!(iso["AZ-LAC"].0, "Laçın");
    assert_eq!(iso["AZ-LA"].0, "Lənkəran");
    for layer in [
        "builtin:azerbaijan-districts",
        "builtin:azerbaijan-districts@ne10m",
    ] {
        for (point, id, name) in [
            ("39.70,46.30", "AZ-LAC", "Lachin"),
            ("38.7536,48.8511", "AZ-LA", "Lankaran City"),
            ("38.70,48.70", "AZ-LAN", "Lankaran District"),
        ] {
            let v = json(&["locate", point, "--regions", layer, "-f", "json"]);
            assert_eq!(v["layers"][0]["id"], id, "{layer} {point}");
            assert_eq!(v["layers"][0]["name"], name, "{layer} {point}");
        }
    }
    // No feature is called Lankaran but the two that are.
    let lankaran: Vec<String> = features("builtin:azerbaijan-districts")
        .iter()
        .filter(|f| {
            f["properties"]["name"]
                .as_str()
                .unwrap()
                .contains("Lankaran")
        })
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(lankaran, ["AZ-LAN", "AZ-LA"]);
}

#[test]
fn names_are_english_with_the_local_name_kept() {
    let feats = features("builtin:caucasus");
    let get = |id: &str| {
        feats
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["properties"]
            .clone()
    };
    assert_eq!(get("AM-ER")["name"], "Yerevan");
    assert_eq!(get("AM-ER")["name_local"], "Երևան");
    assert_eq!(get("AZ-KAL")["name"], "Kalbajar");
    assert_eq!(get("AZ-KAL")["name_local"], "Kəlbəcər");
    assert_eq!(get("AZ-GYG")["name"], "Goygol");
    assert_eq!(get("AZ-GYG")["name_local"], "Göygöl");
    // The local names of Azerbaijan's units are pycountry's ISO names (the
    // paired district/city names add "rayonu" to the district).
    let iso = iso();
    for f in &feats {
        let id = f["id"].as_str().unwrap();
        if !id.starts_with("AZ-") {
            continue;
        }
        let local = f["properties"]["name_local"].as_str().unwrap();
        let iso_name = &iso[id].0;
        assert!(
            local.trim_end_matches(" rayonu") == iso_name
                || local.replace('ə', "ǝ") == iso_name.replace('ə', "ǝ"),
            "{id}: {local} vs ISO {iso_name}"
        );
    }
    // --name-field works on built-ins, in area and in locate.
    let rows = json(&[
        "area",
        "builtin:armenia-provinces",
        "--name-field",
        "name_local",
        "-f",
        "json",
    ]);
    assert!(
        rows["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "AM-SU" && f["name"] == "Սյունիք")
    );
    let v = json(&[
        "locate",
        "39.5208,46.0322",
        "--regions",
        "builtin:armenia-provinces",
        "--name-field",
        "name_local",
        "--id-field",
        "adm1_code",
        "-f",
        "json",
    ]);
    assert_eq!(v["layers"][0]["id"], "ARM-1732");
    assert_eq!(v["layers"][0]["name"], "Սյունիք");
}
