//! Output that is all or nothing, and that never replaces what is not ours.
//!
//! - No `-o`, or `-o -`: standard output.
//! - `-o FILE` for a regular file (or a new one): written to a temporary file in
//!   the directory of FILE and renamed over it only when the command succeeds,
//!   so an error never leaves a partial file behind. An existing FILE keeps its
//!   permission bits (and, when we may, its owner and group).
//! - `-o LINK` for a symbolic link: the link is followed and its target is
//!   replaced as above; the link itself stays.
//! - `-o` onto an existing device, FIFO or socket (`/dev/null`, `/dev/stdout`,
//!   a named pipe): written in place, through it; it is never replaced.
//! - `-o DIR` for a directory: refused before anything is computed.
//!
//! The temporary files of a run are registered here: when the process is
//! interrupted (SIGINT, SIGTERM, SIGHUP) the binary calls [`remove_temporaries`]
//! before it exits. The file is not fsynced: the rename makes it appear whole,
//! not durable across a power cut (as `sort -o` or `sed -i`).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// This run's temporary files and folders (path, is a folder) not yet moved
/// into place or removed, for [`remove_temporaries`].
static TEMPORARIES: Mutex<Vec<(PathBuf, bool)>> = Mutex::new(Vec::new());

fn register(path: &Path, dir: bool) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.push((path.to_path_buf(), dir));
    }
}

fn unregister(path: &Path) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.retain(|(p, _)| p != path);
    }
}

/// Delete every temporary file and folder of this process that has not been
/// moved into place: output files being written, GeoPackages being built,
/// private copies ([`ScratchFile`], [`ScratchDir`]). Called on
/// SIGINT/SIGTERM/SIGHUP, just before exiting. Returns how many were removed.
pub fn remove_temporaries() -> usize {
    let Ok(mut t) = TEMPORARIES.lock() else {
        return 0;
    };
    let n = t
        .iter()
        .filter(|(p, dir)| {
            if *dir {
                std::fs::remove_dir_all(p).is_ok()
            } else {
                std::fs::remove_file(p).is_ok()
            }
        })
        .count();
    t.clear();
    n
}

/// A file of this run's own: an output being written beside its target
/// ([`Output`]). Registered so that an
/// interrupted run removes it ([`remove_temporaries`]); removed when dropped
/// unless [`ScratchFile::take`] took it to move it into place.
pub struct ScratchFile(Option<tempfile::NamedTempFile>);

impl ScratchFile {
    /// Create an empty one in `dir` with `mode` (0644 for an output: an
    /// ordinary new file; one replacing a file takes that file's mode in
    /// [`Output::finish`]).
    pub fn in_dir(dir: &Path, mode: u32) -> io::Result<ScratchFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".territory-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        #[cfg(not(unix))]
        let _ = mode;
        let f = builder.tempfile_in(dir)?;
        register(f.path(), false);
        Ok(ScratchFile(Some(f)))
    }

    /// The file, no longer registered nor removed when dropped: to move it
    /// into place.
    pub fn take(&mut self) -> Option<tempfile::NamedTempFile> {
        let f = self.0.take()?;
        unregister(f.path());
        Some(f)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.0.as_ref().map_or(Path::new(""), |f| f.path())
    }

    /// The file, open for reading and writing.
    pub fn file(&mut self) -> io::Result<&mut File> {
        self.0
            .as_mut()
            .map(|f| f.as_file_mut())
            .ok_or_else(|| io::Error::other("temporary file already gone"))
    }
}

impl Write for ScratchFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.0 {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            let path = f.path().to_path_buf();
            drop(f); // removes it
            unregister(&path);
        }
    }
}

/// A folder of this run's own in the temporary folder (`TMPDIR`): a
/// GeoPackage being built before it is copied to the output, a private copy
/// of a GeoPackage and its journal for SQLite to recover — with whatever
/// SQLite puts beside them. Registered as [`ScratchFile`]; removed with what
/// it holds when dropped.
pub struct ScratchDir(Option<tempfile::TempDir>);

impl ScratchDir {
    /// Create an empty one.
    pub fn new() -> io::Result<ScratchDir> {
        let d = tempfile::Builder::new().prefix(".territory-").tempdir()?;
        register(d.path(), true);
        Ok(ScratchDir(Some(d)))
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.0.as_ref().map_or(Path::new(""), |d| d.path())
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if let Some(d) = self.0.take() {
            let path = d.path().to_path_buf();
            drop(d);
            unregister(&path);
        }
    }
}

/// Where a command's data goes.
pub enum Output {
    /// Buffered standard output.
    Stdout(BufWriter<io::Stdout>),
    /// An existing device, FIFO or socket, written in place.
    InPlace {
        /// The path the user gave.
        target: PathBuf,
        /// The open file.
        file: BufWriter<File>,
    },
    /// A temporary file, persisted to `target` by [`Output::finish`].
    File {
        /// The regular file to replace (symbolic links already followed).
        target: PathBuf,
        /// The path the user gave, for messages.
        label: PathBuf,
        /// The temporary file beside `target`.
        tmp: BufWriter<ScratchFile>,
        /// Mode, owner and group of the file being replaced.
        keep: Option<Box<std::fs::Metadata>>,
    },
}

/// Follow symbolic links from `path` (at most 40, as the kernel) to the path
/// that will be written; a dangling link gives the path it points to.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(parent) if to.is_relative() => parent.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// True when `a` and `b` are the same file (links followed; hard links
/// too, by device and inode).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// True for files that must be written through rather than replaced: devices,
/// FIFOs, sockets.
fn is_special(m: &std::fs::Metadata) -> bool {
    !m.is_file() && !m.is_dir()
}

impl Output {
    /// Open the output. `inputs` are the LAYER and POINTS paths the command
    /// reads: writing over one of them, or over any file it stands for
    /// ([`crate::io::files_of`]: a `FILE:NAME` layer's file, a shapefile's
    /// members, a database's journal), is refused. `-` is standard output.
    pub fn open(target: Option<&Path>, inputs: &[&Path]) -> Result<Output> {
        let target = match target {
            Some(t) if t.as_os_str() != "-" => t,
            _ => return Ok(Output::Stdout(BufWriter::new(io::stdout()))),
        };
        let label = target.display().to_string();
        let werr = |source: io::Error| Error::Write {
            path: label.clone(),
            source,
        };
        for given in inputs {
            if let Some(file) = crate::io::files_of(given)
                .into_iter()
                .find(|f| same_file(f, target))
            {
                let also = if file == *given {
                    String::new()
                } else {
                    format!(
                        " ({} is part of the input {})",
                        file.display(),
                        given.display()
                    )
                };
                return Err(Error::OutputIsInput { path: label, also });
            }
        }
        // What is at the path, links followed by the kernel (this also sees
        // through /dev/stdout -> /proc/self/fd/1 -> pipe:[…]).
        match std::fs::metadata(target) {
            Ok(m) if m.is_dir() => {
                return Err(werr(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a directory",
                )));
            }
            Ok(m) if is_special(&m) => {
                let file = OpenOptions::new().write(true).open(target).map_err(werr)?;
                return Ok(Output::InPlace {
                    target: target.to_path_buf(),
                    file: BufWriter::new(file),
                });
            }
            _ => {}
        }
        let real = follow_links(target).map_err(werr)?;
        if real.starts_with("/proc") || real.starts_with("/dev/fd") {
            // A descriptor of this process opened on a regular file
            // (`-o /dev/stdout > file`): write through it.
            let file = OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(target)
                .map_err(werr)?;
            return Ok(Output::InPlace {
                target: target.to_path_buf(),
                file: BufWriter::new(file),
            });
        }
        let keep = std::fs::metadata(&real)
            .ok()
            .filter(|m| m.is_file())
            .map(Box::new);
        let dir = match real.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = ScratchFile::in_dir(dir, 0o644).map_err(werr)?;
        Ok(Output::File {
            target: real,
            label: target.to_path_buf(),
            tmp: BufWriter::new(tmp),
            keep,
        })
    }

    /// Label for messages.
    pub fn label(&self) -> String {
        match self {
            Output::Stdout(_) => "<stdout>".into(),
            Output::InPlace { target, .. } => target.display().to_string(),
            Output::File { label, .. } => label.display().to_string(),
        }
    }

    /// The `Error::Write` for this output.
    pub fn error(&self, source: io::Error) -> Error {
        Error::Write {
            path: self.label(),
            source,
        }
    }

    /// Write all of `bytes`, with the error naming this output.
    pub fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.write_all(bytes).map_err(|e| self.error(e))
    }

    /// Flush, and for a file, move it into place. Dropping an `Output` without
    /// calling this deletes the temporary file.
    pub fn finish(self) -> Result<()> {
        let label = self.label();
        let werr = |source: io::Error| Error::Write {
            path: label.clone(),
            source,
        };
        match self {
            Output::Stdout(mut w) => w.flush().map_err(werr),
            Output::InPlace { mut file, .. } => file.flush().map_err(werr),
            Output::File {
                target, tmp, keep, ..
            } => {
                let mut tmp = tmp.into_inner().map_err(|e| werr(e.into_error()))?;
                let Some(file) = tmp.take() else {
                    return Err(werr(io::Error::other("temporary file already gone")));
                };
                if let Some(m) = keep {
                    keep_metadata(file.as_file(), &m).map_err(werr)?;
                }
                remove_stale_journals(&target).map_err(werr)?;
                file.persist(&target).map_err(|e| werr(e.error))?;
                Ok(())
            }
        }
    }
}

/// Remove the `-wal`, `-shm` and `-journal` files SQLite left beside the file
/// being replaced (an editor that crashed, or still has the old GeoPackage
/// open): they belong to the old database, and SQLite would replay a stale
/// WAL or journal over the new file and corrupt it for good. Removed just
/// before the rename, each with a note; one that is not a regular file (a
/// link, a folder) is left alone and the output refused.
fn remove_stale_journals(target: &Path) -> io::Result<()> {
    for suffix in crate::io::SQLITE_SIDECARS {
        let p = crate::io::with_suffix(target, suffix);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_file() => {
                std::fs::remove_file(&p)?;
                crate::note!(
                    "territory: removed {} ({} bytes): SQLite's journal of the file being replaced, which it would replay over the new one",
                    p.display(),
                    m.len()
                );
            }
            Ok(_) => {
                return Err(io::Error::other(format!(
                    "{} is in the way: SQLite would take it for the new file's journal; remove it",
                    p.display()
                )));
            }
            Err(_) => {}
        }
    }
    Ok(())
}

/// Give the new file the mode of the one it replaces, and its owner and group
/// when we may (as root; otherwise the new file is ours, as with `sed -i`).
fn keep_metadata(file: &File, old: &std::fs::Metadata) -> io::Result<()> {
    file.set_permissions(old.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
    Ok(())
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::InPlace { file, .. } => file.write(buf),
            Output::File { tmp, .. } => tmp.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::InPlace { file, .. } => file.flush(),
            Output::File { tmp, .. } => tmp.flush(),
        }
    }
}

/// How much goes to stderr: -1 `--quiet` (errors only), 0 the default
/// (warnings, notes, summaries), 1 `--verbose` (also timings and counts).
static VERBOSITY: std::sync::atomic::AtomicI8 = std::sync::atomic::AtomicI8::new(0);

/// Set the verbosity (see [`verbosity`]), once, from `-q`/`-v`.
pub fn set_verbosity(level: i8) {
    VERBOSITY.store(level, std::sync::atomic::Ordering::Relaxed);
}

/// -1 quiet, 0 default, 1 verbose.
pub fn verbosity() -> i8 {
    VERBOSITY.load(std::sync::atomic::Ordering::Relaxed)
}

/// Write a message line to stderr, ignoring failure: a closed or full stderr
/// must not turn a finished run into a crash (`eprintln!` panics there).
/// Nothing with `--quiet` (errors go through [`error_message`]).
pub fn message(args: std::fmt::Arguments<'_>) {
    if verbosity() < 0 {
        return;
    }
    error_message(args);
}

/// A line for `--verbose` only (timings, counts).
pub fn verbose(args: std::fmt::Arguments<'_>) {
    if verbosity() > 0 {
        error_message(args);
    }
}

/// The longest line of a message written to stderr: longer lines (text
/// quoted from an input that slipped past [`crate::text::excerpt`]) are cut.
pub const MAX_MESSAGE_LINE_CHARS: usize = 4096;

/// Write an error line to stderr whatever the verbosity (see [`message`]).
/// Whatever a message quotes from an input reaches the terminal escaped
/// (control characters as `\u{..}`, so no escape sequence acts) and each
/// line at most [`MAX_MESSAGE_LINE_CHARS`] long.
pub fn error_message(args: std::fmt::Arguments<'_>) {
    let text = args.to_string();
    let text = crate::text::printable_except(&text, &['\n']);
    let mut e = io::stderr().lock();
    for line in text.split('\n') {
        match line.char_indices().nth(MAX_MESSAGE_LINE_CHARS) {
            None => {
                let _ = e.write_all(line.as_bytes());
            }
            Some((cut, _)) => {
                let _ = write!(
                    e,
                    "{}… (cut: {} more bytes)",
                    &line[..cut],
                    line.len() - cut
                );
            }
        }
        let _ = e.write_all(b"\n");
    }
}
