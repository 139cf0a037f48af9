//! The container runtime's own C test (runtime/test_cfrt.c), built with the
//! system C compiler and run natively and under valgrind. Its expectations
//! come from CPython: runtime/gen_slice_cases.py writes them at test time.
//! And what of the runtime a node's code gets: the inline part's functions
//! it calls, and the machine-code parts it still calls after optimisation.

mod common;

use std::process::Command;

fn build(tmp: &std::path::Path) -> std::path::PathBuf {
    let root = common::root();
    let inc = tmp.join("slice_cases.inc");
    let gen = Command::new("python3")
        .arg(root.join("runtime/gen_slice_cases.py"))
        .output()
        .expect("python3 (CPython 3.11) for the runtime's expectations");
    assert!(
        gen.status.success(),
        "gen_slice_cases.py failed: {}",
        String::from_utf8_lossy(&gen.stderr)
    );
    std::fs::write(&inc, &gen.stdout).unwrap();
    let exe = tmp.join("test_cfrt");
    let cc = Command::new("cc")
        .args(["-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror"])
        .arg("-I")
        .arg(tmp)
        .arg(root.join("runtime/test_cfrt.c"))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("cc");
    assert!(
        cc.status.success(),
        "building test_cfrt.c failed: {}",
        String::from_utf8_lossy(&cc.stderr)
    );
    exe
}

#[test]
fn runtime_c_tests_pass_natively_and_under_valgrind() {
    let scratch = common::temp_dir("runtime");
    let tmp = scratch.path();
    let exe = build(&tmp);
    let run = Command::new(&exe).output().unwrap();
    assert!(
        run.status.success(),
        "test_cfrt failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    // Smaller big-dict size under valgrind; every other check is the same.
    let vg = Command::new("valgrind")
        .args([
            "-q",
            "--error-exitcode=1",
            "--leak-check=full",
            "--errors-for-leak-kinds=all",
        ])
        .arg(&exe)
        .arg("200000")
        .output()
        .expect("valgrind (scripts/install-deps)");
    assert!(
        vg.status.success(),
        "test_cfrt under valgrind:\n{}{}",
        String::from_utf8_lossy(&vg.stdout),
        String::from_utf8_lossy(&vg.stderr)
    );
}

/// The node's LLVM IR before and after optimisation.
fn ir(src: &str, function: &str) -> (String, String) {
    let ctx = cfuncc::CompilationContext::with_defaults().unwrap();
    let o = cfuncc::compile_to_object(
        &ctx,
        src,
        function,
        &cfuncc::Constants::new(),
        &Default::default(),
    )
    .unwrap();
    (
        o.result.llvm_ir_unoptimized.unwrap(),
        o.result.llvm_ir.unwrap(),
    )
}

/// The runtime functions the IR defines.
fn runtime_definitions(ir: &str) -> Vec<String> {
    ir.lines()
        .filter(|l| l.starts_with("define "))
        .filter_map(|l| l.split('@').nth(1)?.split('(').next())
        .filter(|n| n.starts_with("cfrt_"))
        .map(str::to_string)
        .collect()
}

/// The machine-code parts in the IR (module-level assembly), by a function
/// each defines.
fn parts(ir: &str) -> Vec<&'static str> {
    [
        ("free", "cfrt_free:"),
        ("list", "cfrt_slow_list_grow_append:"),
        ("dict", "cfrt_slow_dict_insert_slot:"),
        ("sort", "cfrt_list_sort_i64:"),
        ("slice", "cfrt_list_slice:"),
    ]
    .into_iter()
    .filter(|(_, label)| ir.contains(&format!("module asm \"{label}\"")))
    .map(|(p, _)| p)
    .collect()
}

#[test]
fn a_node_gets_only_the_runtime_it_calls() {
    // No container: no runtime at all.
    let (unopt, opt) = ir(
        "def f(x: Signal[float]) -> Signal[float]:\n    return x * 2.0\n",
        "f",
    );
    assert!(runtime_definitions(&unopt).is_empty(), "{unopt}");
    assert!(parts(&opt).is_empty(), "{opt}");
    assert!(!opt.contains("cfrt_"), "{opt}");

    // A dict counter: the inline functions it calls, then the dict's slow
    // paths and cfrt_free (START, STOP) as machine code; nothing of lists.
    let count = std::fs::read_to_string(common::root().join("tests/many/count.py")).unwrap();
    let (unopt, opt) = ir(&count, "count");
    let mut defined = runtime_definitions(&unopt);
    defined.sort();
    assert_eq!(
        defined,
        ["cfrt_dict_new", "cfrt_dict_slot", "cfrt_is_live"],
        "{unopt}"
    );
    assert!(
        unopt.contains("declare hidden ptr @cfrt_slow_dict_insert_slot("),
        "{unopt}"
    );
    assert_eq!(parts(&opt), ["free", "dict"], "{opt}");

    // Sorting a slice of a list: list growth, sort and slice too.
    let (_, opt) = ir(
        "def s(x: Signal[int]) -> Signal[int]:\n    xs: State[NumbaList] = create_new_list(int)\n    xs.append(x)\n    ys = xs[1:]\n    ys.sort()\n    return len(ys)\n",
        "s",
    );
    assert_eq!(parts(&opt), ["free", "list", "sort", "slice"], "{opt}");
}

/// `sum` of a float list arrives unrolled 8 times from the build
/// (`CFRT_UNROLL8` in runtime/cfrt.c), marked done, so the node's own
/// optimiser does not unroll it again: 8 adds in the loop and one in the
/// remainder, where it was 32 and 8 (a quarter of a list node's code
/// generation).
#[test]
fn a_float_sum_is_unrolled_once() {
    let src = "def f(x: Signal[float]) -> Signal[float]:\n    w: State[NumbaList] = create_new_list(float)\n    w.append(x)\n    return sum(w)\n";
    let (_, opt) = ir(src, "f");
    let adds = opt.matches("= fadd double").count();
    assert_eq!(adds, 9, "{opt}");
    assert!(opt.contains("llvm.loop.unroll.disable"), "{opt}");
}

/// The runtime functions in `ir` marked `alwaysinline` (through their
/// attribute group).
fn always_inline(ir: &str) -> Vec<String> {
    let groups: Vec<&str> = ir
        .lines()
        .filter(|l| l.starts_with("attributes #") && l.contains(" alwaysinline "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    ir.lines()
        .filter(|l| l.starts_with("define ") && l.contains("@cfrt_"))
        .filter(|l| groups.iter().any(|g| l.trim_end_matches(" {").ends_with(g)))
        .filter_map(|l| l.split('@').nth(1)?.split('(').next())
        .map(str::to_string)
        .collect()
}

/// A runtime function the node calls once is inlined before the CGSCC
/// walk (`alwaysinline`), so its body is not simplified again on its own;
/// one called from several places is left to the inliner's cost model.
#[test]
fn runtime_functions_called_once_are_inlined_early() {
    // Three sums, each a different function called once: all inlined,
    // where LLVM's inliner alone kept the loops as functions.
    let src = "def f(x: Signal[float], k: Signal[int]) -> Outputs(s=float, lo=float, si=int):\n    xs: State[NumbaList] = create_new_list(float)\n    ks: State[NumbaList] = create_new_list(int)\n    xs.append(x)\n    ks.append(k)\n    return sum(xs), min(xs), sum(ks)\n";
    let (unopt, opt) = ir(src, "f");
    let marked = always_inline(&unopt);
    for f in [
        "cfrt_list_sum_f64",
        "cfrt_list_min_f64",
        "cfrt_list_sum_i64",
    ] {
        assert!(marked.iter().any(|m| m == f), "{f}\n{unopt}");
    }
    marked_iff_called_once(&unopt);
    assert_eq!(opt.matches("\ndefine ").count(), 1, "{opt}");

    // Two lookups in one dict: the find function has two calls, and stays
    // unmarked.
    let src = "def g(x: Signal[int]) -> Signal[int]:\n    d: State[NumbaDict] = create_new_dict(int, int)\n    d[x] = 1\n    a = d.get(x - 1, 0)\n    b = d.get(x + 1, 0)\n    return a + b\n";
    let (unopt, _) = ir(src, "g");
    let marked = marked_iff_called_once(&unopt);
    let defined = runtime_definitions(&unopt);
    assert!(defined.iter().any(|f| !marked.contains(f)), "{unopt}");
}

/// Checks that exactly the runtime functions called from one place are
/// marked; returns them.
fn marked_iff_called_once(unopt: &str) -> Vec<String> {
    let marked = always_inline(unopt);
    for f in runtime_definitions(unopt) {
        let calls = unopt.matches(&format!("@{f}(")).count() - 1;
        assert_eq!(
            marked.contains(&f),
            calls == 1,
            "{f}: {calls} calls\n{unopt}"
        );
    }
    marked
}
