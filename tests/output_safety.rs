//! Issue #11, output safety: `-o` never replaces what is not ours, `-o -` is
//! stdout, modes are kept, interrupted runs leave nothing behind, a closed
//! stderr or stdout never crashes a run or loses its result. Every test works
//! in its own temp dir; devices are made there (as root), never touched in /dev.

mod common;

use common::{data, territory};
use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

const HEADER: &str = "id,name,area_km2,perimeter_km";

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".territory-"))
        .collect()
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo failed");
}

#[test]
fn output_onto_a_fifo_writes_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            std::fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut s)
                .unwrap();
            s
        })
    };
    territory()
        .args(["area", "builtin:armenia-provinces", "-f", "csv", "-o"])
        .arg(&fifo)
        .assert()
        .success();
    let got = reader.join().unwrap();
    assert!(got.starts_with(HEADER), "{got}");
    assert_eq!(got.lines().count(), 12);
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn output_onto_a_device_writes_in_place() {
    // Our own null device node, in the temp dir (needs root: skipped otherwise).
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("null");
    let made = Command::new("mknod")
        .args([null.to_str().unwrap(), "c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: cannot mknod (not root)");
        return;
    }
    territory()
        .args(["area", "builtin:armenia", "-f", "csv", "-o"])
        .arg(&null)
        .assert()
        .success();
    let meta = std::fs::symlink_metadata(&null).unwrap();
    assert!(meta.file_type().is_char_device(), "the device was replaced");
    assert_eq!(meta.rdev(), std::fs::metadata("/dev/null").unwrap().rdev());
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn output_through_a_symlink_replaces_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old\n").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    territory()
        .args(["area", "builtin:armenia-provinces", "-f", "csv", "-o"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let got = std::fs::read_to_string(&real).unwrap();
    assert!(got.starts_with(HEADER), "{got}");
    // A dangling link: its target is created.
    let dangling = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink("made.csv", &dangling).unwrap();
    territory()
        .args(["area", "builtin:armenia-provinces", "-f", "csv", "-o"])
        .arg(&dangling)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(dir.path().join("made.csv"))
            .unwrap()
            .starts_with(HEADER)
    );
}

#[test]
fn output_dash_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = territory()
        .current_dir(dir.path())
        .args(["area", "builtin:armenia-provinces", "-f", "csv", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().starts_with(HEADER));
    assert!(!dir.path().join("-").exists(), "a file named - was written");
}

#[test]
fn output_keeps_the_mode_of_the_file_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("private.csv");
    std::fs::write(&path, "old\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    territory()
        .args(["area", "builtin:armenia", "-f", "csv", "-o"])
        .arg(&path)
        .assert()
        .success();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&path).unwrap().starts_with(HEADER));
}

#[test]
fn output_onto_a_directory_is_refused_before_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = territory()
        .args(["area", "builtin:armenia", "-f", "csv", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
}

#[test]
fn timeline_chart_is_not_left_when_the_output_fails() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("c.svg");
    let out = territory()
        .args([
            "timeline",
            data("overlap.geojson").to_str().unwrap(),
            "--date",
            "2021-05-12",
            "--chart",
        ])
        .arg(&chart)
        .arg("-o")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", out);
    assert!(!chart.exists(), "the chart of a failed run was written");
    assert!(leftovers(dir.path()).is_empty());
}

/// Run `territory` with stdin a pipe we hold open, send `signal` once it is
/// blocked reading, and return its exit code and the temp dir's leftovers.
fn interrupted(signal: &str) -> (Option<i32>, Vec<String>, bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("located.csv");
    let mut child = std_territory()
        .args(["locate", "-", "-o"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"lat,lon\n40.18,44.51\n").unwrap();
    // Wait until the temporary output exists: the run is under way.
    for _ in 0..200 {
        if !leftovers(dir.path()).is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let started = !leftovers(dir.path()).is_empty();
    Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    (
        status.code(),
        leftovers(dir.path()),
        started || out.exists(),
    )
}

#[test]
fn interrupted_runs_remove_their_temporary_file() {
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let (got, left, started) = interrupted(signal);
        assert!(started, "SIG{signal}: the run never opened its output");
        assert_eq!(got, Some(code), "SIG{signal}");
        assert!(left.is_empty(), "SIG{signal} left {left:?}");
    }
}

/// The binary as a plain std Command (for stdio set-ups assert_cmd lacks).
fn std_territory() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("territory"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// A pipe whose reading end is already closed: writing to it fails with EPIPE.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

#[test]
fn closed_stderr_keeps_a_finished_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.csv");
    let status = std_territory()
        .args([
            "area",
            data("invalid-bowtie.geojson").to_str().unwrap(),
            "--repair",
            "-f",
            "csv",
            "-o",
        ])
        .arg(&path)
        .stderr(closed_pipe())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(std::fs::read_to_string(&path).unwrap().starts_with(HEADER));
}

#[test]
fn closed_stderr_on_an_error_exits_1_not_101() {
    let status = std_territory()
        .args(["area", "tests/data/no-such-file.geojson"])
        .stderr(closed_pipe())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn completions_into_a_closed_pipe_exit_0() {
    let status = std_territory()
        .args(["completions", "zsh"])
        .stdout(closed_pipe())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&status.stderr).contains("panicked"));
}

/// `-o /dev/stdout` and `-o /dev/full`, in a private mount namespace with its
/// own /dev (tmpfs): a regression here would replace the machine's device
/// files, so the test never touches the real /dev. Skipped where `unshare`
/// is not allowed (not root).
#[test]
fn output_onto_dev_stdout_and_dev_full_in_a_private_namespace() {
    let bin = assert_cmd::cargo::cargo_bin("territory");
    let bin = bin.to_str().unwrap();
    let script = format!(
        // Nothing runs unless the private /dev is in place: `|| exit 97`
        // stops the script before the binary could see the real /dev.
        "{{ mount -t tmpfs none /dev && ln -s /proc/self/fd/1 /dev/stdout \
           && mknod -m 666 /dev/full c 1 7; }} || exit 97; \
         {bin} area builtin:armenia -f csv -o /dev/stdout \
         && test -L /dev/stdout && echo STDOUT-LINK-KEPT; \
         {bin} area builtin:armenia -f csv -o /dev/full 2>&1; echo \"full exit $?\"; \
         test -c /dev/full && echo FULL-DEVICE-KEPT"
    );
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .output();
    let Ok(out) = out else {
        eprintln!("skipped: no unshare");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    // 97: the private /dev could not be made; unshare's own failure: not root.
    if out.status.code() == Some(97) || (!out.status.success() && err.contains("unshare")) {
        eprintln!("skipped: no private mount namespace here: {err}");
        return;
    }
    assert!(text.contains(HEADER), "{text}");
    assert!(text.contains("STDOUT-LINK-KEPT"), "{text}");
    assert!(text.contains("full exit 1"), "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    assert!(text.contains("FULL-DEVICE-KEPT"), "{text}");
}
