//! `cfunc-opt`: an mlir-opt-style driver over cfunc IR (design.md §6), with
//! the built-in passes. The driver is `cfuncc::tools::opt_main`, which a
//! research crate calls with its own passes registered.

fn main() -> std::process::ExitCode {
    match cfuncc::CompilationContext::with_defaults() {
        Ok(ctx) => cfuncc::tools::opt_main(ctx),
        Err(e) => cfuncc::tools::report_error("cfunc-opt", e),
    }
}
