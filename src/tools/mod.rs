//! The tools as library functions, on top of every other layer: the
//! `cfunc-opt` driver ([`opt_main`]), which a research crate runs with its
//! own passes registered, and the experiment bench behind `cfuncc bench`
//! ([`bench`](mod@bench)).

pub mod bench;
pub mod opt;
pub mod options;

pub use opt::{opt_main, opt_main_from};

/// Prints `e` as `tool` reports errors and gives the exit code of the
/// contract: 1 for a compile error in user input (its located diagnostics
/// as they are), 2 for bad usage, 3 for an internal error.
pub fn report_error(tool: &str, e: crate::diagnostics::Error) -> std::process::ExitCode {
    std::process::ExitCode::from(report(tool, e))
}

/// Prints `e` as [`report_error`] does and returns the exit status: 1 for
/// located compile errors, 2 for usage errors, 3 for internal errors.
pub fn report(tool: &str, e: crate::diagnostics::Error) -> u8 {
    use crate::diagnostics::Error;
    match e {
        e @ (Error::Compile(_) | Error::Diagnostics(_)) => {
            eprintln!("{e}");
            1
        }
        Error::Usage(e) => {
            eprintln!("{tool}: error: {e}");
            2
        }
        Error::Internal(e) => {
            eprintln!("{tool}: internal error: {e}");
            3
        }
    }
}
