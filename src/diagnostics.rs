//! Compile errors located in the user's Python source.
//!
//! Detection and rendering are separate: every error carries a byte range (or
//! a line/column once it has crossed into MLIR), and [`CompileError`]'s
//! `Display` renders `FILE:LINE:COL: error: MESSAGE`, the source line and a
//! caret, as compilers do.

use std::fmt;

/// A position in a source file, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
}

/// Maps byte offsets in a source text to line/column positions.
#[derive(Clone, Debug)]
pub struct SourceMap {
    /// File name shown in diagnostics.
    pub filename: String,
    /// The whole source text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceMap {
    /// Indexes `text`, which is shown as `filename` in diagnostics.
    pub fn new(filename: &str, text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            filename: filename.to_string(),
            text: text.to_string(),
            line_starts,
        }
    }

    /// The line/column of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        Pos {
            line: line as u32 + 1,
            col: col as u32 + 1,
        }
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(i)?;
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }
}

/// Every way a compilation can fail.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// An error in the user's Python source, with its location.
    #[error("{0}")]
    Compile(Box<CompileError>),
    /// Several independent errors in the user's source, in source order
    /// (one per line when printed): a compile reports every error it can
    /// tell apart from the consequences of another, not only the first.
    #[error("{}", render_all(.0))]
    Diagnostics(Vec<CompileError>),
    /// A failure of the toolchain (MLIR, LLVM, the linker) or the file system.
    #[error("{0}")]
    Internal(String),
    /// A bad option or argument from the caller.
    #[error("{0}")]
    Usage(String),
}

impl From<cfuncc_host::Error> for Error {
    fn from(e: cfuncc_host::Error) -> Self {
        match e {
            cfuncc_host::Error::Usage(m) => Error::Usage(m),
            cfuncc_host::Error::Internal(m) => Error::Internal(m),
        }
    }
}

fn render_all(errors: &[CompileError]) -> String {
    let mut s = errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    s += &format!("\n{} errors", errors.len());
    s
}

impl Error {
    /// The errors located in the user's source (one for `Compile`, all of
    /// them for `Diagnostics`, none otherwise).
    pub fn diagnostics(&self) -> Vec<&CompileError> {
        match self {
            Error::Compile(e) => vec![e],
            Error::Diagnostics(v) => v.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// One error for a list of located errors: `Compile` for one,
    /// `Diagnostics` for more.
    pub fn from_diagnostics(mut errors: Vec<CompileError>) -> Self {
        if errors.len() == 1 {
            Error::Compile(Box::new(errors.remove(0)))
        } else {
            Error::Diagnostics(errors)
        }
    }
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Self {
        Error::Compile(Box::new(e))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Internal(e.to_string())
    }
}

/// An error in user input at a source position, rendered with a code frame.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    /// File name as given by the caller.
    pub file: String,
    /// Position of the offending construct.
    pub pos: Pos,
    /// What is wrong and what is supported instead.
    pub message: String,
    /// The source line, for the code frame.
    pub source_line: Option<String>,
}

impl CompileError {
    /// An error at byte `offset` of the source in `map`.
    pub fn at(map: &SourceMap, offset: usize, message: impl Into<String>) -> Self {
        let pos = map.pos(offset);
        Self::at_pos(map, pos, message)
    }

    /// An error at a known line/column of the source in `map`.
    pub fn at_pos(map: &SourceMap, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            file: map.filename.clone(),
            pos,
            message: message.into(),
            source_line: map.line_text(pos.line).map(str::to_string),
        }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.file, self.pos.line, self.pos.col, self.message
        )?;
        if let Some(line) = &self.source_line {
            let caret: String = line
                .chars()
                .take(self.pos.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{line}\n{caret}^")?;
        }
        Ok(())
    }
}

/// Runs an extension's hook; a panic in it becomes an error message
/// (unwinding out of a hook must not reach the caller, or C++ frames).
pub(crate) fn run_hook<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(format!("it panicked: {}", panic_message(&*p))))
}

/// The message a panic carried (`panic!("...")`), or "unknown panic".
pub(crate) fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into())
}
