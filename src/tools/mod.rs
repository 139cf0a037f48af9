//! The tools as library functions, on top of every other layer: the
//! `cfunc-opt` driver ([`opt_main`]), which a research crate runs with its
//! own passes registered, and the experiment bench behind `cfuncc bench`
//! ([`bench`](mod@bench)).

pub mod bench;
pub mod opt;
pub mod options;

pub use opt::{opt_main, opt_main_from};
