//! Output that is all or nothing: `-o FILE` is written to a temporary file in the
//! same directory and renamed over FILE only when the command succeeds, so an
//! error never leaves a partial file behind. Without `-o`, output goes to stdout.
//! The file is not fsynced: the rename makes it appear whole, not durable
//! across a power cut (as `sort -o` or `sed -i`).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where a command's data goes.
pub enum Output {
    /// Buffered standard output.
    Stdout(BufWriter<io::Stdout>),
    /// A temporary file, persisted to `target` by [`Output::finish`].
    File {
        /// The file the user asked for.
        target: PathBuf,
        /// The temporary file beside it.
        tmp: BufWriter<tempfile::NamedTempFile>,
    },
}

impl Output {
    /// Open the output. `inputs` are the files the command reads: writing over one
    /// of them is refused.
    pub fn open(target: Option<&Path>, inputs: &[&Path]) -> Result<Output> {
        let Some(target) = target else {
            return Ok(Output::Stdout(BufWriter::new(io::stdout())));
        };
        let label = target.display().to_string();
        if let Ok(t) = target.canonicalize()
            && inputs
                .iter()
                .any(|i| i.canonicalize().is_ok_and(|i| i == t))
        {
            return Err(Error::OutputIsInput { path: label });
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".territory-").suffix(".tmp");
        // Temporary files are created 0600; the output is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let tmp = builder.tempfile_in(dir).map_err(|source| Error::Write {
            path: label.clone(),
            source,
        })?;
        Ok(Output::File {
            target: target.to_path_buf(),
            tmp: BufWriter::new(tmp),
        })
    }

    /// Label for messages.
    pub fn label(&self) -> String {
        match self {
            Output::Stdout(_) => "<stdout>".into(),
            Output::File { target, .. } => target.display().to_string(),
        }
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
            Output::File { target, tmp } => {
                let tmp = tmp.into_inner().map_err(|e| werr(e.into_error()))?;
                tmp.persist(&target).map_err(|e| werr(e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { tmp, .. } => tmp.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { tmp, .. } => tmp.flush(),
        }
    }
}
