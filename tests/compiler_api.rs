//! The `Compiler` value and its `Source`: the same compile as the free
//! functions, options set by name, and one registry shared by threads.

use cfuncc::{
    compile_to_mlir, CompilationContext, CompilationOptions, Compiler, ConstValue, Constants,
    OptLevel, Source, Stage,
};

const EMA: &str = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";

#[test]
fn a_compiler_compiles_as_the_free_functions_do() {
    let compiler = Compiler::new().unwrap();
    let node = Source::new(EMA, "ema").constant("alpha", 0.5);
    let ir = compiler.compile_to_mlir(&node, Stage::LlvmDialect).unwrap();
    let ctx = CompilationContext::with_defaults().unwrap();
    let mut consts = Constants::new();
    consts.insert("alpha".into(), ConstValue::Float(0.5));
    let free = compile_to_mlir(
        &ctx,
        EMA,
        "ema",
        &consts,
        &CompilationOptions::default(),
        Stage::LlvmDialect,
    )
    .unwrap();
    assert_eq!(ir, free);
}

#[test]
fn options_change_the_key_and_the_filename_shows_in_errors() {
    let base = Compiler::new().unwrap();
    let node = Source::new(EMA, "ema").constant("alpha", 0.5);
    let k2 = base.compile_to_object(&node).unwrap().result.semantic_key;
    let o0 = Compiler::new().unwrap().opt_level(OptLevel::O0);
    assert_eq!(o0.current_options().opt_level, OptLevel::O0);
    let k0 = o0.compile_to_object(&node).unwrap().result.semantic_key;
    assert_ne!(k0, k2);
    let bad = Source::new("def f(x: Signal[int]) -> Signal[int]:\n    return y\n", "f")
        .filename("node.py");
    let e = base.compile_to_object(&bad).unwrap_err().to_string();
    assert!(e.starts_with("node.py:2:12: error:"), "{e}");
}

#[test]
fn opt_levels_parse_and_print_as_numbers() {
    for (n, l) in OptLevel::ALL.iter().enumerate() {
        assert_eq!(l.to_string(), n.to_string());
        assert_eq!(format!("O{n}").parse::<OptLevel>().unwrap(), *l);
        assert_eq!(OptLevel::from_u8(n as u8), Some(*l));
    }
    assert_eq!(OptLevel::default(), OptLevel::O2);
    assert!("4".parse::<OptLevel>().is_err());
    assert!(OptLevel::from_u8(4).is_none());
}

#[test]
fn one_registry_serves_compilers_on_many_threads() {
    fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<cfuncc::Registry>();
    let registry = CompilationContext::with_defaults()
        .unwrap()
        .registry()
        .clone();
    let keys: Vec<String> = (0..2)
        .map(|i| {
            let r = registry.clone();
            std::thread::spawn(move || {
                let c = Compiler::from_registry(r).unwrap();
                let node = Source::new(EMA, "ema").constant("alpha", 0.25 * (i + 1) as f64);
                c.compile_to_object(&node).unwrap().result.semantic_key
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_ne!(keys[0], keys[1]);
}
