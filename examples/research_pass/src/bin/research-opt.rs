//! `research-opt`: cfunc-opt with the `int-pow-to-mul` pass registered (every
//! flag of cfunc-opt; `research-opt --list-passes` shows it in place).

fn main() -> std::process::ExitCode {
    match research_pass::context() {
        Ok(ctx) => cfuncc::tools::opt_main(ctx),
        Err(e) => {
            eprintln!("research-opt: error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
