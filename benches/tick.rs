//! Per-tick cost of compiled nodes beside hand-written C (design.md §8).
//!
//! In the same run, each node is compiled with cfuncc (opt level 2, the
//! default) and its C equivalent in `benches/c/` with `cc -O2 -shared
//! -fPIC`. Both are loaded with libloading and called the same way: through
//! a function pointer, with the same cell layout. One tick, as a host does
//! it: write the input cell, clear output_ticked, call EXECUTE, read the
//! output cell (and its ticked flag).
//!
//! A third entry, `cfuncc+fault`, also zeroes the fault code before the
//! call and reads it after, as a host that checks for faults every tick
//! does (the C version has no fault channel).
//!
//! `rolling_window` keeps a 16-element window in array state (issue 18:
//! the host's 128 bytes behind `state[0]`, its position in `state[1]`)
//! and computes its mean and variance each tick; its C version keeps the
//! same buffer behind the same pointer.
//!
//! `cargo bench --bench tick` (add `-- --quick` for a short run).

use cfuncc::{compile_to_so, CompilationContext, CompilationOptions, ConstValue, Constants};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

type NodeFn = unsafe extern "C" fn(
    *mut *mut u64,
    *mut i8,
    *mut *mut u64,
    i8,
    *mut *mut u64,
    *mut i8,
    *mut i8,
);

const EXECUTE: i8 = 0;
const START: i8 = 1;
const STOP: i8 = 2;

/// A loaded node and the cells it is called with (one input, one output,
/// at most two declared state slots and the node's fault cell after them,
/// one of them perhaps an array; boxed so the pointers stay put).
struct Harness {
    func: NodeFn,
    /// The state slot of the fault cell (the manifest's `fault_slot`);
    /// `None` for the C version, which has none.
    fault: Option<usize>,
    input: Box<u64>,
    output: Box<u64>,
    state: Box<[u64; 3]>,
    /// The buffer behind an array state slot (16 8-byte elements).
    window: Box<[u64; 16]>,
    input_ptrs: [*mut u64; 1],
    output_ptrs: [*mut u64; 1],
    state_ptrs: [*mut u64; 3],
    output_ticked: [i8; 1],
    input_ticked: [i8; 1],
    input_valid: [i8; 1],
    _lib: libloading::Library,
}

impl Harness {
    /// `array`: the state slot that points at the window buffer.
    fn load(so: &Path, symbol: &str, fault: Option<usize>, array: Option<usize>) -> Box<Harness> {
        let lib = unsafe { libloading::Library::new(so) }
            .unwrap_or_else(|e| panic!("loading {}: {e}", so.display()));
        let func: NodeFn = unsafe { *lib.get::<NodeFn>(symbol.as_bytes()).expect("node symbol") };
        let mut h = Box::new(Harness {
            func,
            fault,
            input: Box::new(0),
            output: Box::new(0),
            state: Box::new([0xA5A5_A5A5_A5A5_A5A5, 0, 0]),
            window: Box::new([0xA5A5_A5A5_A5A5_A5A5; 16]),
            input_ptrs: [std::ptr::null_mut()],
            output_ptrs: [std::ptr::null_mut()],
            state_ptrs: [std::ptr::null_mut(); 3],
            output_ticked: [0],
            input_ticked: [1],
            input_valid: [1],
            _lib: lib,
        });
        h.input_ptrs = [&mut *h.input as *mut u64];
        h.output_ptrs = [&mut *h.output as *mut u64];
        h.state_ptrs = [
            &mut h.state[0] as *mut u64,
            &mut h.state[1] as *mut u64,
            &mut h.state[2] as *mut u64,
        ];
        if let Some(slot) = array {
            h.state_ptrs[slot] = h.window.as_mut_ptr();
        }
        h.phase(START);
        h
    }

    #[inline(always)]
    fn phase(&mut self, phase: i8) {
        unsafe {
            (self.func)(
                self.output_ptrs.as_mut_ptr(),
                self.output_ticked.as_mut_ptr(),
                self.state_ptrs.as_mut_ptr(),
                phase,
                self.input_ptrs.as_mut_ptr(),
                self.input_ticked.as_mut_ptr(),
                self.input_valid.as_mut_ptr(),
            )
        }
    }

    /// One host tick: write the input, clear the flag, call, read back.
    #[inline(always)]
    fn tick(&mut self, input: u64) -> Option<u64> {
        *self.input = input;
        self.output_ticked[0] = 0;
        self.phase(EXECUTE);
        (self.output_ticked[0] != 0).then_some(*self.output)
    }

    /// A tick that also checks the instance's fault cell.
    #[inline(always)]
    fn tick_checked(&mut self, input: u64) -> Option<u64> {
        let slot = self.fault.unwrap();
        self.state[slot] = 0;
        let out = self.tick(input);
        if self.state[slot] != 0 {
            panic!("tick faulted");
        }
        out
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.phase(STOP);
    }
}

fn dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench_tick");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn compile_c(name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("benches/c/{name}.c"));
    let out = dir().join(format!("c_{name}.so"));
    let o = Command::new("cc")
        .args(["-O2", "-shared", "-fPIC", "-o"])
        .arg(&out)
        .arg(&src)
        .output()
        .expect("cannot run cc");
    assert!(
        o.status.success(),
        "cc {}: {}",
        src.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

struct Pair {
    compiled: Box<Harness>,
    checked: Box<Harness>,
    c: Box<Harness>,
}

/// `array`: the state slot of an array state (the window), if any; the C
/// version keeps its buffer behind the same slot.
fn load_pair(
    ctx: &CompilationContext,
    function: &str,
    source: &str,
    consts: &Constants,
    array: Option<usize>,
) -> Pair {
    let so = dir().join(format!("cfuncc_{function}.so"));
    let r = compile_to_so(
        ctx,
        source,
        function,
        consts,
        &CompilationOptions::default(),
        &so,
    )
    .unwrap_or_else(|e| panic!("compiling {function}: {e:?}"));
    let c_so = compile_c(function);
    let c_sym = format!("c_{function}");
    assert_eq!(
        r.struct_state_indices(),
        array.into_iter().collect::<Vec<_>>(),
        "{function}: its array slot"
    );
    let fault = Some(r.signature.fault_slot());
    Pair {
        compiled: Harness::load(&so, &r.native_name, fault, array),
        // A second dlopen of the same path shares the library; the cells,
        // the fault cell included, are separate.
        checked: Harness::load(&so, &r.native_name, fault, array),
        c: Harness::load(&c_so, &c_sym, None, array),
    }
}

/// Runs a few ticks through both versions and checks they agree, so the
/// benchmark compares equivalent code.
fn cross_check(p: &mut Pair, inputs: impl Iterator<Item = u64>) {
    assert_eq!(*p.compiled.state, *p.c.state, "START wrote different state");
    assert_eq!(
        *p.compiled.window, *p.c.window,
        "START left different windows"
    );
    for x in inputs {
        let a = p.compiled.tick(x);
        let b = p.c.tick(x);
        assert!(a.is_some(), "compiled node did not tick");
        assert_eq!(a, b, "compiled and C disagree for input {x:#x}");
    }
}

fn bench_node(c: &mut Criterion, name: &str, p: &mut Pair, input: impl Fn(u64) -> u64 + Copy) {
    let mut g = c.benchmark_group(format!("tick/{name}"));
    let mut i = 0u64;
    g.bench_function(BenchmarkId::from_parameter("cfuncc"), |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            black_box(p.compiled.tick(input(i)))
        })
    });
    g.bench_function(BenchmarkId::from_parameter("c_O2"), |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            black_box(p.c.tick(input(i)))
        })
    });
    g.bench_function(BenchmarkId::from_parameter("cfuncc+fault"), |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            black_box(p.checked.tick_checked(input(i)))
        })
    });
    g.finish();
}

fn bench_ticks(c: &mut Criterion) {
    let ctx = CompilationContext::with_defaults().expect("context");

    // ema: a float input that changes every tick.
    let mut consts = Constants::new();
    consts.insert("alpha".into(), ConstValue::Float(0.5));
    let mut ema = load_pair(&ctx, "ema", include_str!("nodes/ema.py"), &consts, None);
    let ema_input = |i: u64| ((i & 1023) as f64 * 0.25 - 100.0).to_bits();
    cross_check(&mut ema, (0..1000).map(ema_input));
    bench_node(c, "ema", &mut ema, ema_input);

    // accumulate: an int input that changes every tick.
    let mut acc = load_pair(
        &ctx,
        "accumulate",
        include_str!("nodes/accumulate.py"),
        &Constants::new(),
        None,
    );
    let acc_input = |i: u64| (i & 255).wrapping_sub(128);
    cross_check(
        &mut acc,
        (0..1000).map(acc_input).chain([i64::MAX as u64, 1]),
    );
    bench_node(c, "accumulate", &mut acc, acc_input);

    // rolling_window: a 16-element window in array state, mean and
    // variance every tick.
    let mut window = load_pair(
        &ctx,
        "rolling_window",
        include_str!("nodes/rolling_window.py"),
        &Constants::new(),
        Some(0),
    );
    let window_input =
        |i: u64| ((i.wrapping_mul(2_654_435_761) & 4095) as f64 * 0.125 - 256.0).to_bits();
    cross_check(&mut window, (0..1000).map(window_input));
    bench_node(c, "rolling_window", &mut window, window_input);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench_ticks
}
criterion_main!(benches);
