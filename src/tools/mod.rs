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
    use crate::diagnostics::Error;
    use std::process::ExitCode;
    match e {
        e @ (Error::Compile(_) | Error::Diagnostics(_)) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Error::Usage(e) => {
            eprintln!("{tool}: error: {e}");
            ExitCode::from(2)
        }
        Error::Internal(e) => {
            eprintln!("{tool}: internal error: {e}");
            ExitCode::from(3)
        }
    }
}
