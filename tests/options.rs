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

use cfuncc::runner::{Node, Value};
use cfuncc::{compile_to_so, Error};
use std::io::Write;
use std::path::{Path, PathBuf};

mod common;

/// A scalar node with state and a loop, and its Rust reimplementation.
const LOOP: &str = "def f(x: Signal[int]) -> Signal[int]:\n    total: State[int] = 0\n    for i in range(x):\n        total += i * x\n    return total\n";

fn loop_expected(xs: &[i64]) -> Vec<i64> {
    let mut total = 0i64;
    xs.iter()
        .map(|&x| {
            for i in 0..x {
                total = total.wrapping_add(i * x);
            }
            total
        })
        .collect()
}

/// A container node, which links the runtime (whose slow paths are
/// machine code, not inlined), and its Rust reimplementation: the sum of the last 3 inputs.
const WINDOW: &str = "def w(x: Signal[int]) -> Signal[int]:\n    xs: State[NumbaList] = create_new_list(int)\n    xs.append(x)\n    if len(xs) > 3:\n        xs.pop(0)\n    return sum(xs)\n";

fn window_expected(xs: &[i64]) -> Vec<i64> {
    (0..xs.len())
        .map(|i| xs[i.saturating_sub(2)..=i].iter().sum())
        .collect()
}

const XS: [i64; 6] = [3, 0, 7, 1, 12, 5];

/// `name` in this test process's scratch directory (kept: loaded nodes
/// outlive the tests that compiled them).
fn out_dir(name: &str) -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| common::temp_dir("options").keep())
        .join(name)
}

/// Compiles `function` of `src` to a .so with `opts`, runs it over `xs`
/// (one int input, one int output), and returns the outputs and the result.
fn run_int_node(
    src: &str,
    function: &str,
    opts: &CompilationOptions,
    xs: &[i64],
    tag: &str,
) -> (Vec<i64>, cfuncc::CompilationResult) {
    let ctx = CompilationContext::with_defaults().unwrap();
    let so = out_dir(&format!("{function}_{tag}.so"));
    let r = compile_to_so(&ctx, src, function, &Constants::new(), opts, &so).unwrap();
    let mut node = Node::load(&so, &r.manifest()).unwrap();
    node.start().unwrap();
    let outs = xs
        .iter()
        .map(
            |&x| match &node.execute(&[Value::Int(x)], &[], &[]).unwrap()[0] {
                Some(Value::Int(v)) => *v,
                other => panic!("unexpected output {other:?}"),
            },
        )
        .collect();
    node.stop().unwrap();
    (outs, r)
}

fn object(src: &str, function: &str, opts: &CompilationOptions) -> cfuncc::Object {
    let ctx = CompilationContext::with_defaults().unwrap();
    compile_to_object(&ctx, src, function, &Constants::new(), opts).unwrap()
}

/// Each `define` of an LLVM module with its attribute group's text.
fn definitions(ir: &str) -> Vec<(String, String)> {
    ir.lines()
        .filter(|l| l.starts_with("define "))
        .map(|l| {
            let name = l
                .split('@')
                .nth(1)
                .and_then(|r| r.split('(').next())
                .unwrap()
                .to_string();
            let attrs = l
                .rsplit_once(" #")
                .map(|(_, g)| g.trim_end_matches(" {").to_string())
                .and_then(|g| {
                    ir.lines()
                        .find_map(|a| a.strip_prefix(&format!("attributes #{g} = ")))
                })
                .unwrap_or_default()
                .to_string();
            (name, attrs)
        })
        .collect()
}

fn is_runtime(name: &str) -> bool {
    // The container runtime's functions: cfrt_* and its static helpers.
    !(name.starts_with("_gc_numba_") || name.starts_with("w.") || name.starts_with("f."))
}

#[test]
fn force_inline_marks_node_functions_and_leaves_the_runtime_alone() {
    let forced = CompilationOptions {
        force_inline: true,
        ..Default::default()
    };
    for (src, function) in [(LOOP, "f"), (WINDOW, "w")] {
        let ir = object(src, function, &forced)
            .result
            .llvm_ir_unoptimized
            .expect("compile_to_object keeps the unoptimised IR");
        let defs = definitions(&ir);
        let node_fns: Vec<&(String, String)> =
            defs.iter().filter(|(n, _)| !is_runtime(n)).collect();
        // The exported wrapper, the three phase functions, the fault and
        // layout accessors.
        assert_eq!(node_fns.len(), 6, "{defs:#?}");
        for (name, attrs) in &node_fns {
            assert!(attrs.contains("alwaysinline"), "{name}: {attrs}");
            assert!(
                !attrs.contains("noinline") && !attrs.contains("optnone"),
                "{name}: {attrs}"
            );
        }
        for (name, attrs) in defs.iter().filter(|(n, _)| is_runtime(n)) {
            assert!(!attrs.contains("alwaysinline"), "runtime {name}: {attrs}");
        }
        if function == "w" {
            // The runtime's slow paths are machine code (src/backend/runtime.rs):
            // declared, cold, out of the inliner's reach.
            assert!(
                ir.lines()
                    .any(|l| l.starts_with("declare") && l.contains("@cfrt_slow_list_")),
                "the runtime's slow paths are declarations: {ir}"
            );
        }
        // Without the option only the three phase functions are marked
        // (their one call site is the wrapper; backend/transform.rs,
        // `inline_phases`), with the runtime functions the node calls from
        // one place (`inline_single_calls`), and at -O0 nothing is.
        let plain = object(src, function, &Default::default());
        let plain_ir = plain.result.llvm_ir_unoptimized.clone().unwrap();
        for (name, attrs) in definitions(&plain_ir) {
            let phase = [".start", ".execute", ".stop"]
                .iter()
                .any(|p| name == format!("{function}{p}"));
            // Its definition and one call.
            let called_once =
                is_runtime(&name) && plain_ir.matches(&format!("@{name}(")).count() == 2;
            assert_eq!(
                attrs.contains("alwaysinline"),
                phase || called_once,
                "{name}: {attrs}"
            );
        }
        let o0 = CompilationOptions {
            opt_level: cfuncc::OptLevel::O0,
            ..Default::default()
        };
        let o0_ir = object(src, function, &o0)
            .result
            .llvm_ir_unoptimized
            .unwrap();
        assert!(!o0_ir.contains("alwaysinline"), "{o0_ir}");
        assert_ne!(
            plain.result.semantic_key,
            object(src, function, &forced).result.semantic_key
        );
        // The exported wrapper stays alwaysinline in the optimised IR.
        let opt_ir = object(src, function, &forced).result.llvm_ir.unwrap();
        let wrapper = definitions(&opt_ir)
            .into_iter()
            .find(|(n, _)| n.starts_with("_gc_numba_") && !n.ends_with("_fault"))
            .unwrap();
        assert!(wrapper.1.contains("alwaysinline"), "{wrapper:?}");
    }
    let (got, _) = run_int_node(WINDOW, "w", &forced, &XS, "forced");
    assert_eq!(got, window_expected(&XS));
    let (got, _) = run_int_node(LOOP, "f", &forced, &XS, "forced");
    assert_eq!(got, loop_expected(&XS));
}

#[test]
fn every_opt_level_runs_and_has_its_own_key() {
    let mut keys = Vec::new();
    for level in 0..=3u8 {
        let opts = CompilationOptions {
            opt_level: cfuncc::OptLevel::from_u8(level).unwrap(),
            ..Default::default()
        };
        let (got, r) = run_int_node(LOOP, "f", &opts, &XS, &format!("O{level}"));
        assert_eq!(got, loop_expected(&XS), "-O{level}");
        assert_eq!(r.manifest()["options"]["opt_level"], level);
        keys.push(r.semantic_key);
        let ir = object(LOOP, "f", &opts).result.llvm_ir.unwrap();
        // At -O0 nothing is inlined: the phase functions stay.
        assert_eq!(ir.contains("@f.execute("), level == 0, "-O{level}:\n{ir}");
    }
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "{keys:?}");
}

#[test]
fn symbol_prefix_names_the_export_and_changes_the_key() {
    let opts = CompilationOptions {
        symbol_prefix: "engine_node_".into(),
        ..Default::default()
    };
    let (got, r) = run_int_node(LOOP, "f", &opts, &XS, "prefix");
    assert_eq!(got, loop_expected(&XS));
    assert_eq!(r.native_name, format!("engine_node_{}", r.semantic_key));
    assert_eq!(r.fault_symbol, format!("{}_fault", r.native_name));
    let o = std::process::Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&r.so_path)
        .output()
        .unwrap();
    let mut syms: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().last().map(str::to_string))
        .collect();
    syms.sort();
    assert_eq!(
        syms,
        [
            r.native_name.clone(),
            r.fault_symbol.clone(),
            r.layout_symbol.clone()
        ]
    );
    assert_eq!(r.layout_symbol, format!("{}_layout", r.native_name));
    let default_key = object(LOOP, "f", &Default::default()).result.semantic_key;
    assert_ne!(r.semantic_key, default_key);
}

/// Disassembles an object's bytes.
fn disassemble(bytes: &[u8], tag: &str) -> String {
    let path = out_dir(&format!("{tag}.o"));
    std::fs::write(&path, bytes).unwrap();
    let o = std::process::Command::new("objdump")
        .arg("-d")
        .arg(&path)
        .output()
        .expect("cannot run objdump");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn target_cpu_reaches_code_generation_and_the_key() {
    const FMA: &str = "def g(x: Signal[float], y: Signal[float], z: Signal[float]) -> Signal[float]:\n    return x * y + z\n";
    let with_cpu = |cpu: Option<&str>| CompilationOptions {
        target_cpu: cpu.map(str::to_string),
        // Contraction into a fused multiply-add needs fast-math.
        fastmath: true,
        ..Default::default()
    };
    let haswell = object(FMA, "g", &with_cpu(Some("haswell")));
    let baseline = object(FMA, "g", &with_cpu(Some("x86-64")));
    let asm_haswell = disassemble(&haswell.bytes, "haswell");
    let asm_baseline = disassemble(&baseline.bytes, "x86-64");
    assert!(asm_haswell.contains("vfmadd"), "{asm_haswell}");
    assert!(!asm_baseline.contains("vfmadd"), "{asm_baseline}");
    assert!(
        asm_baseline.contains("mulsd") && asm_baseline.contains("addsd"),
        "{asm_baseline}"
    );
    assert_ne!(haswell.result.semantic_key, baseline.result.semantic_key);
    let host = object(FMA, "g", &with_cpu(None)).result.semantic_key;
    assert_eq!(
        host,
        object(FMA, "g", &with_cpu(Some("native")))
            .result
            .semantic_key
    );
    // A CPU name LLVM does not know is a usage error, not an abort.
    let ctx = CompilationContext::with_defaults().unwrap();
    let bad = compile_to_object(
        &ctx,
        FMA,
        "g",
        &Constants::new(),
        &with_cpu(Some("pentium-9000")),
    );
    match bad {
        Err(Error::Usage(m)) => assert!(m.contains("unknown target CPU 'pentium-9000'"), "{m}"),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("an unknown CPU compiled"),
    }
    // Code for a named CPU runs here when the host has its features.
    let (got, _) = run_int_node(
        LOOP,
        "f",
        &CompilationOptions {
            target_cpu: Some("x86-64".into()),
            ..Default::default()
        },
        &XS,
        "x86-64",
    );
    assert_eq!(got, loop_expected(&XS));
}

#[test]
fn the_key_is_deterministic_across_contexts() {
    let opts = CompilationOptions {
        opt_level: cfuncc::OptLevel::O3,
        force_inline: true,
        target_cpu: Some("x86-64-v2".into()),
        ..Default::default()
    };
    let a = object(WINDOW, "w", &opts).result.semantic_key;
    let b = object(WINDOW, "w", &opts).result.semantic_key;
    assert_eq!(a, b);
}

/// `-o FILE` takes every `--emit`'s output (it used to apply to the .so
/// only, and the text went to stdout): the file holds exactly what stdout
/// gets without `-o`.
#[test]
fn dash_o_writes_every_emit_to_the_file() {
    let src = out_dir("dash_o.py");
    std::fs::write(
        &src,
        "def f(x: Signal[int]) -> Signal[int]:\n    return x + 1\n",
    )
    .unwrap();
    for (emit, marker) in [
        ("cfunc", &b"cfunc.lifecycle"[..]),
        ("llvm-dialect", b"llvm.func"),
        ("llvm-ir", b"define"),
        ("llvm-ir-unopt", b"define"),
        ("obj", b"\x7fELF"),
    ] {
        let run = |out: Option<&Path>| {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cfuncc"));
            cmd.args(["compile", "--function", "f", "--emit", emit])
                .arg(&src);
            if let Some(o) = out {
                cmd.arg("-o").arg(o);
            }
            let o = cmd.output().unwrap();
            assert!(
                o.status.success(),
                "{emit}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            o.stdout
        };
        let path = out_dir(&format!("dash_o.{emit}"));
        let _ = std::fs::remove_file(&path);
        let to_stdout = run(None);
        assert!(
            run(Some(&path)).is_empty(),
            "{emit}: -o still printed to stdout"
        );
        let written = std::fs::read(&path).unwrap();
        assert!(
            written.windows(marker.len()).any(|w| w == marker),
            "{emit}: no {marker:?} in the file"
        );
        assert_eq!(written, to_stdout, "{emit}: the file differs from stdout");
    }
}

/// A bad `-o` (a missing directory, a directory) and bad UTF-8 on `cfuncc
/// run`'s stdin are usage errors: exit 2 with a message, not exit 3
/// ("internal error").
#[test]
fn bad_output_paths_and_stdin_are_usage_errors() {
    let src = out_dir("usage.py");
    std::fs::write(
        &src,
        "def f(x: Signal[int]) -> Signal[int]:\n    return x + 1\n",
    )
    .unwrap();
    let cfuncc = || std::process::Command::new(env!("CARGO_BIN_EXE_cfuncc"));
    let dir = src.parent().unwrap().to_path_buf();
    for (out, want) in [
        (
            dir.join("no-such-dir").join("f.so"),
            "is not an existing directory",
        ),
        (dir.clone(), "is a directory"),
    ] {
        for emit in ["so", "cfunc"] {
            let o = cfuncc()
                .args(["compile", "--function", "f", "--emit", emit])
                .arg(&src)
                .arg("-o")
                .arg(&out)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "-o {}: {err}", out.display());
            assert!(
                err.starts_with("cfuncc: error: -o ") && err.contains(want),
                "{err}"
            );
        }
    }
    let so = out_dir("usage.so");
    let o = cfuncc()
        .args(["compile", "--function", "f"])
        .arg(&src)
        .arg("-o")
        .arg(&so)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut child = cfuncc()
        .arg("run")
        .arg(&so)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"inputs\": [1]}\n{\"inputs\": [\xff]}\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err, "cfuncc: error: stdin line 2: not valid UTF-8\n");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "{\"outputs\":[2]}\n");
}
