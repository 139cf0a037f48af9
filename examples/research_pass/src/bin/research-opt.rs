//! `research-opt`: cfunc-opt with the `int-pow-to-mul` pass registered (every
//! flag of cfunc-opt; `research-opt --list-passes` shows it in place).

fn main() -> std::process::ExitCode {
    let mut ctx = cfuncc::CompilationContext::with_defaults().expect("a context");
    research_pass::register(&mut ctx).expect("registered");
    cfuncc::tools::opt_main(ctx)
}
