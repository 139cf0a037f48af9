//! The in-process JIT (src/driver/jit.rs, src/backend/jit.rs): a node's
//! address in this process, externs from the process and from the host,
//! code freed on drop, the fault record, many nodes of one name in one
//! session, and errors that are errors (never a crash).

mod common;

use cfuncc::runner::Value;
use cfuncc::{Compiler, Error, Jit, Source};
use std::ffi::c_void;

const EMA: &str = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";

type NodeFn = unsafe extern "C" fn(
    *mut *mut u64,
    *mut i8,
    *mut *mut u64,
    i8,
    *mut *mut u64,
    *mut i8,
    *mut i8,
);

/// Cells for a node with `inputs` inputs, `outputs` outputs and `state`
/// scalar state slots, called through the raw ABI.
struct Cells {
    ins: Vec<u64>,
    outs: Vec<u64>,
    state: Vec<u64>,
    ticked: Vec<i8>,
    in_ticked: Vec<i8>,
    in_valid: Vec<i8>,
}

impl Cells {
    fn new(inputs: usize, outputs: usize, state: usize) -> Self {
        Self {
            ins: vec![0; inputs],
            outs: vec![0; outputs],
            state: vec![0; state],
            ticked: vec![0; outputs],
            in_ticked: vec![1; inputs],
            in_valid: vec![1; inputs],
        }
    }

    /// Calls `f` with `phase`; `with_state: false` passes a NULL state array.
    fn call(&mut self, f: *const c_void, phase: i8, with_state: bool) {
        let f: NodeFn = unsafe { std::mem::transmute(f) };
        let mut ins: Vec<*mut u64> = self.ins.iter_mut().map(|c| c as *mut u64).collect();
        let mut outs: Vec<*mut u64> = self.outs.iter_mut().map(|c| c as *mut u64).collect();
        let mut state: Vec<*mut u64> = self.state.iter_mut().map(|c| c as *mut u64).collect();
        let state_ptr = if with_state {
            state.as_mut_ptr()
        } else {
            std::ptr::null_mut()
        };
        self.ticked.iter_mut().for_each(|t| *t = 0);
        unsafe {
            f(
                outs.as_mut_ptr(),
                self.ticked.as_mut_ptr(),
                state_ptr,
                phase,
                ins.as_mut_ptr(),
                self.in_ticked.as_mut_ptr(),
                self.in_valid.as_mut_ptr(),
            )
        }
    }
}

fn ema(alpha: f64) -> Source<'static> {
    Source::new(EMA, "ema").constant("alpha", alpha)
}

/// Ticks `x` through a runner and returns the float outputs.
fn run_floats(node: &mut cfuncc::runner::Node, xs: &[f64]) -> Vec<f64> {
    node.start().unwrap();
    let out = xs
        .iter()
        .map(
            |x| match node.execute(&[Value::Float(*x)], &[], &[]).unwrap()[0] {
                Some(Value::Float(y)) => y,
                ref other => panic!("expected a float output, got {other:?}"),
            },
        )
        .collect();
    node.stop().unwrap();
    out
}

#[test]
fn the_address_is_callable_through_the_abi() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let node = compiler.compile_to_jit(&ema(0.5), &jit).unwrap();
    let manifest = node.manifest();
    let slots = manifest["state"].as_array().unwrap().len();
    let mut cells = Cells::new(1, 1, slots);
    cells.call(node.function(), 1, true);
    let mut got = Vec::new();
    for x in [10.0f64, 10.0, 2.0] {
        cells.ins[0] = x.to_bits();
        cells.call(node.function(), 0, true);
        assert_eq!(cells.ticked[0], 1);
        got.push(f64::from_bits(cells.outs[0]));
    }
    assert_eq!(got, [5.0, 7.5, 4.75]);
}

#[test]
fn the_jit_runs_the_code_of_the_so() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let scratch = common::temp_dir("jit-same-code");
    let tmp = scratch.path();
    let so = tmp.join("ema.so");
    let r = compiler.compile_to_so(&ema(0.25), &so).unwrap();
    let node = compiler.compile_to_jit(&ema(0.25), &jit).unwrap();
    // One compile: the same key, the same exported names, the same object.
    assert_eq!(node.native_name(), r.native_name);
    assert_eq!(node.manifest(), &r.manifest());
    let obj = compiler.compile_to_object(&ema(0.25)).unwrap();
    assert_eq!(obj.result.semantic_key, r.semantic_key);
    let xs = [1.0, -3.5, 1e300, f64::NAN, 0.1, 7.0];
    let mut from_so = cfuncc::runner::Node::load(&so, &r.manifest()).unwrap();
    let mut from_jit = node.runner().unwrap();
    let (a, b) = (
        run_floats(&mut from_so, &xs),
        run_floats(&mut from_jit, &xs),
    );
    assert_eq!(
        a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
}

#[test]
fn libm_and_the_container_runtime_resolve() {
    let src = "import math\n\ndef f(x: Signal[float]) -> Signal[float]:\n    w: State[NumbaList] = create_new_list(float)\n    w.append(math.sin(x) + math.exp(x) + math.pow(x, 1.5) + math.fmod(x, 0.7))\n    if len(w) > 3:\n        w.pop(0)\n    t = 0.0\n    for v in w:\n        t += v\n    return t\n";
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let node = compiler
        .compile_to_jit(&Source::new(src, "f"), &jit)
        .unwrap();
    let mut r = node.runner().unwrap();
    let g = |x: f64| x.sin() + x.exp() + x.powf(1.5) + x % 0.7;
    let got = run_floats(&mut r, &[0.5, 1.5, 2.5, 3.5]);
    let want = [
        g(0.5),
        g(0.5) + g(1.5),
        g(0.5) + g(1.5) + g(2.5),
        g(1.5) + g(2.5) + g(3.5),
    ];
    for (a, b) in got.iter().zip(want) {
        assert!((a - b).abs() <= 1e-12 * b.abs(), "{got:?} vs {want:?}");
    }
}

/// libm's `cbrt`: a call LLVM keeps (it folds `llabs` into an instruction).
const CBRT: &str = "@extern(symbol=\"cbrt\")\ndef c_cbrt(x: float) -> float: ...\n\ndef f(x: Signal[float]) -> Signal[float]:\n    return c_cbrt(x) + 1.0\n";

/// The process's `cbrt` as `dlsym` finds it: libm's, which is not correctly
/// rounded (Rust's `f64::cbrt` binds to another, statically linked).
fn cbrt(x: f64) -> f64 {
    let this = libloading::os::unix::Library::this();
    let f = unsafe { this.get::<extern "C" fn(f64) -> f64>(b"cbrt") }.unwrap();
    f(x)
}

#[test]
fn externs_resolve_from_the_process() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let node = compiler
        .compile_to_jit(&Source::new(CBRT, "f"), &jit)
        .unwrap();
    assert_eq!(node.result().unwrap().imported_externs.len(), 1);
    assert_eq!(
        run_floats(&mut node.runner().unwrap(), &[-27.0, 8.0]),
        [cbrt(-27.0) + 1.0, cbrt(8.0) + 1.0]
    );
}

extern "C" fn host_scale(x: i64) -> i64 {
    x * 3
}

extern "C" fn host_scale_other(x: i64) -> i64 {
    x * 5
}

extern "C" fn host_cbrt(x: f64) -> f64 {
    x * 100.0
}

const SCALE: &str = "@extern(pure=False)\ndef host_scale(x: int) -> int: ...\n\ndef f(x: Signal[int]) -> Signal[int]:\n    return host_scale(x)\n";

fn run_int(node: &cfuncc::JitNode, x: i64) -> i64 {
    let mut r = node.runner().unwrap();
    r.start().unwrap();
    match r.execute(&[Value::Int(x)], &[], &[]).unwrap()[0] {
        Some(Value::Int(y)) => y,
        ref o => panic!("{o:?}"),
    }
}

#[test]
fn externs_resolve_from_symbols_the_host_defines() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    // The test binary does not export host_scale: without a definition the
    // node does not load, and says what is missing.
    let e = compiler
        .compile_to_jit(&Source::new(SCALE, "f"), &jit)
        .err()
        .expect("an undefined extern is an error");
    assert!(matches!(e, Error::Usage(_)), "{e:?}");
    assert!(e.to_string().contains("int64_t host_scale(int64_t)"), "{e}");

    jit.define_symbol("host_scale", host_scale as *const c_void)
        .unwrap();
    let a = compiler
        .compile_to_jit(&Source::new(SCALE, "f"), &jit)
        .unwrap();
    assert_eq!(run_int(&a, 7), 21);
    // Dropped, its JITDylib is reused; a new definition reaches the nodes
    // loaded after it, and a node still loaded keeps its own.
    let keep = compiler
        .compile_to_jit(&Source::new(SCALE, "f"), &jit)
        .unwrap();
    drop(a);
    jit.define_symbol("host_scale", host_scale_other as *const c_void)
        .unwrap();
    let b = compiler
        .compile_to_jit(&Source::new(SCALE, "f"), &jit)
        .unwrap();
    assert_eq!(run_int(&b, 7), 35);
    assert_eq!(run_int(&keep, 7), 21);
    assert_eq!(jit.dylibs_created(), 2);
    // A host definition comes before the process's own.
    jit.define_symbol("cbrt", host_cbrt as *const c_void)
        .unwrap();
    let c = compiler
        .compile_to_jit(&Source::new(CBRT, "f"), &jit)
        .unwrap();
    assert_eq!(run_floats(&mut c.runner().unwrap(), &[-2.0]), [-199.0]);
}

/// A pooled JITDylib is empty when the next node gets it: the symbols an
/// earlier node's imports brought in do not clash with the next node's own
/// definitions (here, contrived: an extern named as the next node's layout
/// accessor).
#[test]
fn a_reused_dylib_keeps_nothing_of_the_last_node() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let b = compiler.compile_to_object(&ema(0.5)).unwrap();
    let layout = &b.result.layout_symbol;
    let a = format!(
        "@extern(symbol=\"{layout}\")\ndef other(x: int) -> int: ...\n\ndef f(x: Signal[int]) -> Signal[int]:\n    return other(x)\n"
    );
    jit.define_symbol(layout, host_scale as *const c_void)
        .unwrap();
    let a = compiler
        .compile_to_jit(&Source::new(&a, "f"), &jit)
        .unwrap();
    assert_eq!(run_int(&a, 2), 6);
    drop(a);
    let b = jit.add_object(&b).unwrap();
    assert_eq!(run_floats(&mut b.runner().unwrap(), &[2.0]), [1.0]);
    assert_eq!(jit.dylibs_created(), 1);
}

#[test]
fn the_fault_record_is_readable() {
    let src = "def f(x: Signal[int]) -> Signal[int]:\n    y = x + 1\n    return y << x\n";
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let node = compiler
        .compile_to_jit(&Source::new(src, "f"), &jit)
        .unwrap();
    // Through the runner: the instance's fault cell.
    let mut r = node.runner().unwrap();
    r.start().unwrap();
    // A negative shift count: fault 1.
    let fault = r.execute(&[Value::Int(-1)], &[], &[]).unwrap_err();
    assert_eq!((fault.code, fault.line, fault.col), (1, 3, 12), "{fault:?}");
    assert_eq!(
        r.execute(&[Value::Int(2)], &[], &[]).unwrap(),
        [Some(Value::Int(12))]
    );
    // The global record has the last fault too; without a state array it
    // is the only one.
    assert_eq!(node.fault_record(), (1, 3, 12));
    unsafe { *node.fault_fn()() = 0 };
    assert_eq!(node.fault_record().0, 0);
    let mut cells = Cells::new(1, 1, 0);
    cells.ins[0] = -1i64 as u64;
    cells.call(node.function(), 0, false);
    assert_eq!(cells.ticked[0], 0);
    let (code, line, col) = node.fault_record();
    assert_eq!((code, line, col), (fault.code, 3, 12));
}

#[test]
fn many_nodes_of_one_name_live_in_one_session() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    // 40 different nodes named ema, and two compiles of the same node (the
    // same exported name and code), all loaded at once.
    let mut nodes: Vec<(f64, cfuncc::JitNode)> = (1..=40)
        .map(|i| {
            let alpha = i as f64 / 64.0;
            (alpha, compiler.compile_to_jit(&ema(alpha), &jit).unwrap())
        })
        .collect();
    nodes.push((0.5, compiler.compile_to_jit(&ema(0.5), &jit).unwrap()));
    nodes.push((0.5, compiler.compile_to_jit(&ema(0.5), &jit).unwrap()));
    assert_eq!(nodes[40].1.native_name(), nodes[41].1.native_name());
    assert_ne!(nodes[40].1.function(), nodes[41].1.function());
    assert_eq!(jit.dylibs_created(), 42);
    let mut runners: Vec<_> = nodes.iter().map(|(_, n)| n.runner().unwrap()).collect();
    for (i, r) in runners.iter_mut().enumerate() {
        let alpha = nodes[i].0;
        let got = run_floats(r, &[8.0, 8.0]);
        assert_eq!(
            got,
            [alpha * 8.0, alpha * 8.0 + (1.0 - alpha) * (alpha * 8.0)]
        );
    }
}

#[test]
fn the_session_is_shared_by_threads() {
    let jit = Jit::new().unwrap();
    let handles: Vec<_> = (0..2)
        .map(|t| {
            let jit = jit.clone();
            std::thread::spawn(move || {
                let compiler = Compiler::new().unwrap();
                (0..10)
                    .map(|i| {
                        let alpha = (t * 10 + i + 1) as f64 / 32.0;
                        let n = compiler.compile_to_jit(&ema(alpha), &jit).unwrap();
                        (alpha, n)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        for (alpha, node) in h.join().unwrap() {
            assert_eq!(
                run_floats(&mut node.runner().unwrap(), &[4.0]),
                [alpha * 4.0]
            );
        }
    }
}

#[test]
fn compile_errors_are_located() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let bad = Source::new("def f(x: Signal[int]) -> Signal[int]:\n    return y\n", "f")
        .filename("node.py");
    let e = compiler.compile_to_jit(&bad, &jit).err().expect("an error");
    assert!(matches!(e, Error::Compile(_)), "{e:?}");
    assert!(e.to_string().starts_with("node.py:2:12: error:"), "{e}");
}

#[test]
fn a_bad_symbol_or_object_is_an_error_and_the_session_goes_on() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    for bad in ["", "a\0b"] {
        assert!(matches!(
            jit.define_symbol(bad, host_scale as *const c_void),
            Err(Error::Usage(_))
        ));
    }
    assert!(jit.define_symbol("x", std::ptr::null()).is_err());
    // An object whose import nothing defines, past the driver's own check:
    // the link fails inside LLVM, which reports the symbol.
    let mut obj = compiler
        .compile_to_object(&Source::new(
            "@extern\ndef cfuncc_no_such_function(x: int) -> int: ...\n\ndef f(x: Signal[int]) -> Signal[int]:\n    return cfuncc_no_such_function(x)\n",
            "f",
        ))
        .unwrap();
    let e = jit.add_object(&obj).err().expect("an error");
    assert!(e.to_string().contains("cfuncc_no_such_function"), "{e}");
    obj.result.imported_externs.clear();
    let e = jit.add_object(&obj).err().expect("an error");
    assert!(matches!(e, Error::Usage(_)), "{e:?}");
    assert!(e.to_string().contains("cfuncc_no_such_function"), "{e}");
    // Code for a CPU feature this machine lacks (the result says so; the
    // code itself does not use it) is refused before it can run.
    let mut elsewhere = compiler.compile_to_object(&ema(0.5)).unwrap();
    let lacking = elsewhere
        .result
        .target
        .1
        .split(',')
        .filter_map(|f| f.strip_prefix('-'))
        .find(|f| !cfuncc::runner::missing_cpu_features("", &format!("+{f}")).is_empty())
        .expect("this machine lacks some x86 feature LLVM knows (sse4a on Intel, avx512 on AMD)")
        .to_string();
    elsewhere.result.target.1 += &format!(",+{lacking}");
    let e = jit.add_object(&elsewhere).err().expect("an error");
    assert!(
        matches!(e, Error::Usage(_)) && e.to_string().contains(&lacking),
        "{e}"
    );
    // Bytes that are no object.
    let mut garbage = compiler.compile_to_object(&ema(0.5)).unwrap();
    garbage.bytes = b"not an object file at all".to_vec();
    assert!(jit.add_object(&garbage).is_err());
    // The session still works, and reuses the JITDylibs of the failures.
    let node = compiler.compile_to_jit(&ema(0.5), &jit).unwrap();
    assert_eq!(run_floats(&mut node.runner().unwrap(), &[2.0]), [1.0]);
    assert_eq!(jit.dylibs_created(), 1);
}

#[test]
fn every_option_compiles_into_the_jit_as_into_the_so() {
    use cfuncc::OptLevel;
    let scratch = common::temp_dir("jit-options");
    let tmp = scratch.path();
    let src = include_str!("../benches/nodes/rolling_var.py");
    let node = Source::new(src, "rolling_var");
    let compilers = [
        Compiler::new().unwrap().opt_level(OptLevel::O0),
        Compiler::new()
            .unwrap()
            .opt_level(OptLevel::O3)
            .fastmath(true),
        Compiler::new().unwrap().force_inline(true),
        Compiler::new().unwrap().target_cpu("x86-64-v2"),
    ];
    let jit = Jit::new().unwrap();
    let xs = [1.0, 2.5, -3.0, 4.25, 1e9, 0.5];
    for (i, c) in compilers.iter().enumerate() {
        let so = tmp.join(format!("n{i}.so"));
        let r = c.compile_to_so(&node, &so).unwrap();
        let j = c.compile_to_jit(&node, &jit).unwrap();
        assert_eq!(j.result().unwrap().semantic_key, r.semantic_key);
        let a = run_floats(
            &mut cfuncc::runner::Node::load(&so, &r.manifest()).unwrap(),
            &xs,
        );
        let b = run_floats(&mut j.runner().unwrap(), &xs);
        assert_eq!(
            a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            "options {i}"
        );
    }
}

/// A container node's calls into the runtime's machine-code parts resolve
/// to one copy of each part per session, loaded by the first node that
/// needs it and kept when the nodes go.
#[test]
fn the_runtime_parts_are_loaded_once_per_session() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    assert!(jit.runtime_parts().is_empty());
    let count = "def count(x: Signal[int]) -> Signal[int]:\n    seen: State[NumbaDict] = create_new_dict(int, int)\n    seen[x] = seen.get(x, 0) + 1\n    return seen[x]\n";
    // Two dict nodes at once; 100 keys make each dict grow (the dict
    // part's code runs), and every count is CPython's.
    let a = compiler
        .compile_to_jit(&Source::new(count, "count"), &jit)
        .unwrap();
    let b = compiler
        .compile_to_jit(&Source::new(count, "count"), &jit)
        .unwrap();
    let mut parts = jit.runtime_parts();
    parts.sort();
    assert_eq!(parts, ["dict", "free"]);
    for node in [&a, &b] {
        let mut r = node.runner().unwrap();
        r.start().unwrap();
        for round in 1..=2 {
            for k in 0..100 {
                let out = r.execute(&[Value::Int(k)], &[], &[]).unwrap();
                assert_eq!(out[0], Some(Value::Int(round)), "key {k}");
            }
        }
        r.stop().unwrap();
    }
    drop((a, b));
    // A list node later: the list part joins; the dict's stays, once.
    let window = "def w(x: Signal[float]) -> Signal[float]:\n    xs: State[NumbaList] = create_new_list(float)\n    xs.append(x)\n    if len(xs) > 3:\n        xs.pop(0)\n    return sum(xs)\n";
    let node = compiler
        .compile_to_jit(&Source::new(window, "w"), &jit)
        .unwrap();
    let got = run_floats(&mut node.runner().unwrap(), &[1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(got, [1.0, 3.0, 6.0, 9.0, 12.0]);
    let mut parts = jit.runtime_parts();
    parts.sort();
    assert_eq!(parts, ["dict", "free", "list"]);
    // The runtime's JITDylib is not a node's.
    assert_eq!(jit.dylibs_created(), 2);
    // Its names are not the host's to define.
    let e = jit
        .define_symbol("cfrt_free", host_scale as *const c_void)
        .err()
        .expect("an error");
    assert!(
        matches!(e, Error::Usage(_)) && e.to_string().contains("cfrt_"),
        "{e}"
    );
}
