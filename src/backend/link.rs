//! Linking an object into a shared object: with the builtin linker
//! (`elf/`, in process) or the system linker (`ld -shared`).
//!
//! The builtin linker declines objects it does not fully understand; the
//! system linker then does the job, so the choice never changes what
//! compiles, only how fast. The fallback is never silent: `link_shared`
//! returns which linker ran and why the builtin one declined
//! (`CompilationResult::linker_used` and `link_fallback`), and `cfuncc
//! compile` prints a note on stderr when it happens.

use super::elf;
use crate::diagnostics::{Error, Result};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Which linker turns the object into a shared object. Not part of the
/// semantic key: both link the same code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Linker {
    /// The in-process ELF linker, falling back to `System` for an object it
    /// does not support.
    #[default]
    Builtin,
    /// `ld -shared`, spawned as a process.
    System,
}

impl Linker {
    /// `builtin` or `system`, as `--linker` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Linker::Builtin => "builtin",
            Linker::System => "system",
        }
    }
}

impl std::fmt::Display for Linker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which linker produced a shared object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkReport {
    /// The linker that ran last and wrote the file.
    pub linker_used: Linker,
    /// Why the builtin linker declined the object, when `Linker::Builtin`
    /// was asked for and `ld` linked it instead.
    pub fallback: Option<String>,
}

/// Links the object `obj` into the shared object `out`, and reports which
/// linker did.
pub fn link_shared(obj: &[u8], out: &Path, linker: Linker) -> Result<LinkReport> {
    link_shared_many(&[obj], out, linker)
}

/// Links the objects `objs` into the one shared object `out` (a graph of
/// nodes, `compile-many`), and reports which linker did.
pub fn link_shared_many(objs: &[&[u8]], out: &Path, linker: Linker) -> Result<LinkReport> {
    match linker {
        Linker::Builtin => match elf::link_many(objs) {
            Ok(so) => {
                write_new_file(out, &so)?;
                Ok(LinkReport {
                    linker_used: Linker::Builtin,
                    fallback: None,
                })
            }
            Err(e) => {
                link_with_ld(objs, out)?;
                Ok(LinkReport {
                    linker_used: Linker::System,
                    fallback: Some(e.to_string()),
                })
            }
        },
        Linker::System => link_with_ld(objs, out).map(|()| LinkReport {
            linker_used: Linker::System,
            fallback: None,
        }),
    }
}

/// Writes `bytes` to `out`, unlinking any old file first, as `ld` does: a
/// process that has the old file loaded keeps a valid mapping, and on ext4
/// a new file is about 3× cheaper to write than truncating or renaming over
/// an old one (either forces the new data to disk early).
fn write_new_file(out: &Path, bytes: &[u8]) -> Result<()> {
    let _ = std::fs::remove_file(out);
    open_executable(out)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| Error::Internal(format!("writing {}: {e}", out.display())))
}

#[cfg(unix)]
fn open_executable(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o755)
        .open(path)
}

#[cfg(not(unix))]
fn open_executable(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

/// Links with `ld -shared`. `ld` directly is about three times faster than
/// going through `cc -shared`. libm and libc are passed only when an object
/// has undefined symbols (math functions lower to libm calls, containers
/// call malloc and memcpy): reading them is most of ld's time. Given them,
/// `ld` binds the imports to their default versions (`memcpy@GLIBC_2.14`),
/// and `--as-needed` records `DT_NEEDED` only for the ones used.
fn link_with_ld(objs: &[&[u8]], out: &Path) -> Result<()> {
    // The objects beside `out` (`OUT.XXXXXX.o`), removed when they drop.
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut prefix = out.file_name().unwrap_or_default().to_os_string();
    prefix.push(".");
    let files = objs
        .iter()
        .map(|obj| {
            tempfile::Builder::new()
                .prefix(&prefix)
                .suffix(".o")
                .tempfile_in(dir)
                .and_then(|mut f| f.write_all(obj).map(|()| f))
                .map_err(|e| Error::Internal(format!("{}: {e}", dir.display())))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut cmd = Command::new("ld");
    // What the builtin linker writes too: .eh_frame_hdr (as `cc -shared`
    // asks for), a build ID, RELRO (ld's default here, made explicit).
    cmd.arg("-shared")
        .arg("--hash-style=gnu")
        .arg("--eh-frame-hdr")
        .arg("--build-id")
        .args(["-z", "relro", "-z", "noexecstack"])
        .arg("-o")
        .arg(out)
        .args(files.iter().map(|f| f.path()));
    if objs.iter().any(|o| elf::has_imports(o).unwrap_or(true)) {
        cmd.arg("--as-needed");
        for paths in [elf::LIBM_PATHS, elf::LIBC_PATHS] {
            if let Some(lib) = paths.iter().find(|p| Path::new(p).exists()) {
                cmd.arg(lib);
            }
        }
    }
    let output = cmd.output();
    drop(files);
    let output = output.map_err(|e| Error::Internal(format!("cannot run the linker 'ld': {e}")))?;
    if !output.status.success() {
        return Err(Error::Internal(format!(
            "ld failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}
