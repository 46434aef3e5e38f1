//! Data safety with real GIS files: `-o` never replaces an input however it
//! is spelled (a `FILE:NAME` layer, `--layer`, any member of a shapefile),
//! a GeoPackage is read in its committed state as SQLite reads it (a WAL
//! with committed edits applied, a crashed writer's journal rolled back)
//! and written so that a stale WAL beside it cannot corrupt it, temporary
//! files never outlive a run, and a path with any characters opens.
//!
//! The database states are made here with SQLite itself (rusqlite, the
//! bundled SQLite) in a temp dir: a copy of a database and its journal taken
//! while the writer is still open is what a crashed editor leaves behind.

mod common;

use common::{data, territory};
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn copy_into(dir: &Path, names: &[&str]) {
    for n in names {
        std::fs::copy(data(&format!("formats/{n}")), dir.join(n)).unwrap();
    }
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

/// Features SQLite itself counts in `table` of `path`, opening a copy of
/// it and its journals (so that its recovery leaves the originals alone).
fn sqlite_count(path: &Path, table: &str) -> i64 {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.gpkg");
    for suffix in ["", "-wal", "-journal"] {
        if with_suffix(path, suffix).exists() {
            std::fs::copy(with_suffix(path, suffix), with_suffix(&copy, suffix)).unwrap();
        }
    }
    let c = Connection::open(&copy).unwrap();
    c.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
        r.get(0)
    })
    .unwrap()
}

/// The features `territory` reads from a layer of points: the rows of
/// `locate -f csv`, or the error.
fn territory_count(path: &Path) -> Result<u64, String> {
    let out = territory()
        .arg("locate")
        .arg(path)
        .args(["--regions", "builtin:caucasus", "-f", "csv"])
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().count() as u64 - 1)
}

/// `info -f json`'s feature count of a polygon layer.
fn area_features(path: &Path) -> u64 {
    let out = territory()
        .args(["info", "-f", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["features"].as_u64().unwrap()
}

#[test]
fn output_onto_a_geopackage_named_with_its_layer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(dir.path(), &["hole.gpkg", "incidents.parquet"]);
    let gpkg = dir.path().join("hole.gpkg");
    let before = std::fs::read(&gpkg).unwrap();
    let layer = format!("{}:hole", gpkg.display());
    for args in [
        vec!["area", layer.as_str()],
        vec!["area", gpkg.to_str().unwrap(), "--layer", "hole"],
        vec!["validate", "--repair", layer.as_str()],
        vec!["area", "-f", "csv", layer.as_str()],
    ] {
        let out = territory()
            .args(&args)
            .arg("-o")
            .arg(&gpkg)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("refusing to overwrite an input file"),
            "{args:?}: {err}"
        );
        assert_eq!(
            std::fs::read(&gpkg).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
    // Through another name for the same file: a hard link.
    let link = dir.path().join("other-name.gpkg");
    std::fs::hard_link(&gpkg, &link).unwrap();
    let out = territory()
        .args(["area", &layer, "-o"])
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&gpkg).unwrap(), before);
}

#[test]
fn output_onto_any_member_of_an_input_shapefile_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(
        dir.path(),
        &["hole.shp", "hole.shx", "hole.dbf", "hole.prj"],
    );
    std::fs::write(dir.path().join("hole.cpg"), "UTF-8").unwrap();
    let shp = dir.path().join("hole.shp");
    for member in ["shp", "shx", "dbf", "prj", "cpg"] {
        let target = shp.with_extension(member);
        let before = std::fs::read(&target).unwrap();
        for args in [vec!["validate", "--repair"], vec!["area", "-f", "csv"]] {
            let out = territory()
                .args(&args)
                .arg(&shp)
                .arg("-o")
                .arg(&target)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?} -o .{member}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("refusing to overwrite an input file"), "{err}");
            assert_eq!(
                std::fs::read(&target).unwrap(),
                before,
                ".{member} was changed"
            );
        }
    }
    // A file beside it that is no member is an ordinary output.
    let fine = shp.with_extension("geojson");
    territory()
        .args(["validate", "--repair"])
        .arg(&shp)
        .arg("-o")
        .arg(&fine)
        .assert()
        .success();
}

/// A GeoPackage with a WAL left by a writer that never checkpointed
/// (`-wal` and `-shm` copied while it was open): `name` in `dir`.
fn with_stale_wal(dir: &Path, name: &str) -> PathBuf {
    let live = dir.join("live.gpkg");
    std::fs::copy(data("formats/hole.gpkg"), &live).unwrap();
    let c = Connection::open(&live).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         CREATE TABLE junk (x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
         INSERT INTO junk SELECT randomblob(1000) FROM n;",
    )
    .unwrap();
    let target = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        std::fs::copy(with_suffix(&live, suffix), with_suffix(&target, suffix)).unwrap();
    }
    drop(c);
    target
}

#[test]
fn output_over_a_geopackage_with_a_stale_wal_stays_readable() {
    let dir = tempfile::tempdir().unwrap();
    let out = with_stale_wal(dir.path(), "out.gpkg");
    assert!(with_suffix(&out, "-wal").metadata().unwrap().len() > 100_000);
    let run = territory()
        .args(["area", "builtin:armenia-provinces", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("out.gpkg-wal") && err.contains("removed"),
        "{err}"
    );
    for suffix in ["-wal", "-shm"] {
        assert!(
            !with_suffix(&out, suffix).exists(),
            "{suffix} left beside the new file"
        );
    }
    // SQLite finds the new file whole: integrity, and the 11 provinces.
    let c = Connection::open(&out).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    drop(c);
    assert_eq!(sqlite_count(&out, "out"), 11);
    assert_eq!(area_features(&out), 11);
}

#[test]
fn geopackage_with_committed_edits_in_its_wal_reads_as_sqlite_does() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.gpkg");
    std::fs::copy(data("formats/incidents.gpkg"), &live).unwrap();
    let c = Connection::open(&live).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         DELETE FROM incidents WHERE fid > 2;",
    )
    .unwrap();
    // The editor still has it open: its database file holds 5 features, its
    // WAL the committed deletion of 3.
    let edited = dir.path().join("edited.gpkg");
    for suffix in ["", "-wal", "-shm"] {
        std::fs::copy(with_suffix(&live, suffix), with_suffix(&edited, suffix)).unwrap();
    }
    drop(c);
    let files = |dir: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let before = files(dir.path());
    let wal_before = std::fs::read(with_suffix(&edited, "-wal")).unwrap();
    assert_eq!(sqlite_count(&edited, "incidents"), 2);
    assert_eq!(territory_count(&edited), Ok(2));
    assert_eq!(
        files(dir.path()),
        before,
        "a file was made or removed beside the input"
    );
    assert_eq!(
        std::fs::read(with_suffix(&edited, "-wal")).unwrap(),
        wal_before
    );
}

#[test]
fn geopackage_with_a_crashed_writers_journal_reads_its_committed_state() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.gpkg");
    std::fs::copy(data("formats/incidents.gpkg"), &live).unwrap();
    let c = Connection::open(&live).unwrap();
    // A transaction under way whose pages spill to the database file (a
    // one-page cache): the file holds uncommitted changes, the journal the
    // pages to roll back.
    c.execute_batch(
        "PRAGMA cache_size = 1; BEGIN; DELETE FROM incidents WHERE fid > 1;
         CREATE TABLE filler (x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
         INSERT INTO filler SELECT randomblob(2000) FROM n;",
    )
    .unwrap();
    let crashed = dir.path().join("crashed.gpkg");
    for suffix in ["", "-journal"] {
        std::fs::copy(with_suffix(&live, suffix), with_suffix(&crashed, suffix)).unwrap();
    }
    c.execute_batch("ROLLBACK").unwrap();
    drop(c);
    let journal = std::fs::read(with_suffix(&crashed, "-journal")).unwrap();
    assert!(journal.len() > 1000);
    assert_eq!(territory_count(&crashed), Ok(5));
    assert_eq!(
        std::fs::read(with_suffix(&crashed, "-journal")).unwrap(),
        journal
    );
    // SQLite's own recovery of the same state agrees (it rolls back).
    assert_eq!(sqlite_count(&crashed, "incidents"), 5);
}

#[test]
fn geopackage_paths_with_any_characters_open() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("é dir ü");
    std::fs::create_dir(&sub).unwrap();
    for name in ["Ã© ?#%20 x.gpkg", "Ереван.gpkg"] {
        let p = sub.join(name);
        std::fs::copy(data("formats/hole.gpkg"), &p).unwrap();
        assert_eq!(area_features(&p), 1, "{name}");
        // Written under such a name, read back.
        let out = sub.join(format!("out {name}"));
        territory()
            .args(["area", "-o"])
            .arg(&out)
            .arg(&p)
            .assert()
            .success();
        assert_eq!(area_features(&out), 1, "out {name}");
    }
}

fn scratch(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn interrupted_geopackage_output_leaves_nothing_in_tmpdir() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("located.gpkg");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("territory"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TMPDIR", tmp.path())
        .args(["locate", "-", "-f", "gpkg", "-o"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Rows keep coming until the run is stopped.
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let mut rows = String::from("lat,lon\n");
        for k in 0..100_000 {
            rows.push_str(&format!("40.{k:05},44.5\n"));
        }
        let _ = stdin.write_all(rows.as_bytes());
        std::thread::sleep(std::time::Duration::from_secs(30));
    });
    // The database being built appears in TMPDIR: the run is under way.
    let mut started = false;
    for _ in 0..400 {
        if !scratch(tmp.path()).is_empty() {
            started = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(started, "no GeoPackage was being built in TMPDIR");
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    drop(feeder);
    assert_eq!(status.code(), Some(130));
    assert_eq!(scratch(tmp.path()), Vec::<String>::new());
    assert!(!out.exists());
    assert_eq!(scratch(out_dir.path()), Vec::<String>::new());
}

#[test]
fn binary_layers_on_stdin_are_read_without_a_copy_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    for (file, expect) in [
        ("hole.gpkg", 2),
        ("incidents.fgb", 6),
        ("incidents.parquet", 6),
    ] {
        let out = Command::new(assert_cmd::cargo::cargo_bin("territory"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("TMPDIR", tmp.path())
            .args(["locate", "-", "--regions", "builtin:caucasus", "-f", "csv"])
            .stdin(std::fs::File::open(data(&format!("formats/{file}"))).unwrap())
            .output()
            .unwrap();
        if file.ends_with(".gpkg") {
            // A polygon layer: read (and refused as points), from memory.
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("is not a Point"), "{file}: {err}");
        } else {
            assert!(
                out.status.success(),
                "{file}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).lines().count(),
                expect,
                "{file}"
            );
        }
        assert_eq!(scratch(tmp.path()), Vec::<String>::new(), "{file}");
    }
}
