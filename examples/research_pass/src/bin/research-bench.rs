//! `research-bench`: `cfuncc bench` with the `int-pow-to-mul` pass
//! registered, so variants can run with and without it
//! (`--disable-pass int-pow-to-mul`).

fn main() -> std::process::ExitCode {
    let mut ctx = cfuncc::CompilationContext::with_defaults().expect("a context");
    research_pass::register(&mut ctx).expect("registered");
    cfuncc::tools::bench::bench_main(ctx)
}
