//! Code-changing options reach the generated code.

use cfuncc::{compile_to_object, CompilationContext, CompilationOptions, Constants};

const SRC: &str = "def f(x: Signal[float]) -> Signal[float]:\n    return x * 2.0 + x\n";

fn ir(fastmath: bool) -> String {
    let ctx = CompilationContext::with_defaults().unwrap();
    let opts = CompilationOptions {
        fastmath,
        ..Default::default()
    };
    let o = compile_to_object(&ctx, SRC, "f", &Constants::new(), &opts).unwrap();
    o.result
        .llvm_ir
        .expect("compile_to_object keeps the optimised IR")
}

#[test]
fn fastmath_sets_fast_math_flags_and_lets_llvm_reassociate() {
    let fast = ir(true);
    let strict = ir(false);
    // x * 2.0 + x folds to x * 3.0 only when reassociation is allowed.
    assert!(fast.contains("fmul fast double"), "{fast}");
    assert!(fast.contains("3.000000e+00"), "{fast}");
    assert!(!strict.contains(" fast "), "{strict}");
    assert!(strict.contains("fadd double"), "{strict}");
}
