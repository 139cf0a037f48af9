//! `research-bench`: `cfuncc bench` with the `int-pow-to-mul` pass registered,
//! so variants can run pipelines with and without it.

fn main() -> std::process::ExitCode {
    match research_pass::context() {
        Ok(ctx) => cfuncc::tools::bench::bench_main(ctx),
        Err(e) => {
            eprintln!("research-bench: error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
