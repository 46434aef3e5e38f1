//! Issue #11, resource caps: zip bombs, layers through pipes. Each input
//! that would exhaust memory is refused with a message naming the cap.

mod common;
use common::*;
use std::io::Write;

#[test]
fn kmz_zip_bomb_is_refused_by_its_declared_size() {
    // 82 KB inflating to 80 MiB (scripts/make-bomb-fixtures.py).
    let (code, _, err) = run(&["area", "tests/data/bomb-declared.kmz"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("zip bomb") && err.contains("bomb-declared.kmz"),
        "{err}"
    );
}

#[test]
fn kmz_zip_bomb_with_lying_headers_is_refused_while_inflating() {
    let (code, _, err) = run(&["area", "tests/data/bomb-lying.kmz"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("bomb-lying.kmz") && err.contains("larger than"),
        "{err}"
    );
}

#[test]
fn layer_through_a_pipe_is_capped_at_2_gib() {
    // A FIFO (as `<(cat /dev/zero)` gives) reports no size: the cap must hold
    // for what is read. 2 GiB + 1 MiB of spaces are offered.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("layer.geojson");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..(2048 + 1) {
                if f.write_all(&chunk).is_err() {
                    return; // the reader stopped: what we want
                }
            }
        })
    };
    let (code, _, err) = run(&["area", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(code, Some(1));
    assert!(err.contains("more than this tool reads"), "{err}");
}
