//! Per-tick cost of container nodes beside hand-written C (design.md §8,
//! issue 3): a dict accumulator over 64 keys, list append-and-read-last,
//! and a rolling variance over a 16-element window with `pop(0)`.
//!
//! Each node (benches/nodes/) is compiled with cfuncc at opt level 2 and its
//! C equivalent (benches/c/, its own hash map or growable array, the same
//! container-in-state[0] convention) with `cc -O2 -shared -fPIC`; both are
//! loaded and called through the ABI the same way, in the same run. The
//! outputs of both are cross-checked before timing.
//!
//! `cargo bench --bench containers` (add `-- --quick` for a short run).

use cfuncc::{compile_to_so, CompilationContext, CompilationOptions, Constants};
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

/// A loaded node with `n_in` input cells, one output, one container slot
/// and the node's fault cell after it.
struct Harness {
    func: NodeFn,
    inputs: Box<[u64; 2]>,
    output: Box<u64>,
    input_ptrs: [*mut u64; 2],
    output_ptrs: [*mut u64; 1],
    state: [*mut u64; 2],
    fault: Box<u64>,
    output_ticked: [i8; 1],
    flags: [i8; 2],
    _lib: libloading::Library,
}

impl Harness {
    fn load(so: &Path, symbol: &str) -> Box<Harness> {
        let lib = unsafe { libloading::Library::new(so) }.expect("dlopen");
        let func: NodeFn = unsafe { *lib.get::<NodeFn>(symbol.as_bytes()).expect("symbol") };
        let mut h = Box::new(Harness {
            func,
            inputs: Box::new([0; 2]),
            output: Box::new(0),
            input_ptrs: [std::ptr::null_mut(); 2],
            output_ptrs: [std::ptr::null_mut()],
            // Container slots are NULL before START (design.md §2).
            state: [std::ptr::null_mut(); 2],
            fault: Box::new(0),
            output_ticked: [0],
            flags: [1, 1],
            _lib: lib,
        });
        h.input_ptrs = [&mut h.inputs[0] as *mut u64, &mut h.inputs[1] as *mut u64];
        h.output_ptrs = [&mut *h.output as *mut u64];
        h.state[1] = &mut *h.fault as *mut u64;
        h.phase(1);
        h
    }

    #[inline(always)]
    fn phase(&mut self, phase: i8) {
        unsafe {
            (self.func)(
                self.output_ptrs.as_mut_ptr(),
                self.output_ticked.as_mut_ptr(),
                self.state.as_mut_ptr(),
                phase,
                self.input_ptrs.as_mut_ptr(),
                self.flags.as_mut_ptr(),
                self.flags.as_mut_ptr(),
            )
        }
    }

    #[inline(always)]
    fn tick(&mut self, a: u64, b: u64) -> Option<u64> {
        self.inputs[0] = a;
        self.inputs[1] = b;
        self.output_ticked[0] = 0;
        self.phase(0);
        (self.output_ticked[0] != 0).then_some(*self.output)
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.phase(2);
    }
}

fn dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench_containers");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn load_pair(ctx: &CompilationContext, name: &str) -> (Box<Harness>, Box<Harness>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(root.join(format!("benches/nodes/{name}.py"))).unwrap();
    let so = dir().join(format!("cfuncc_{name}.so"));
    let r = compile_to_so(
        ctx,
        &source,
        name,
        &Constants::new(),
        &CompilationOptions::default(),
        &so,
    )
    .unwrap_or_else(|e| panic!("compiling {name}: {e:?}"));
    let c_so = dir().join(format!("c_{name}.so"));
    let o = Command::new("cc")
        .args(["-O2", "-shared", "-fPIC", "-o"])
        .arg(&c_so)
        .arg(root.join(format!("benches/c/{name}.c")))
        .output()
        .expect("cc");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (
        Harness::load(&so, &r.native_name),
        Harness::load(&c_so, &format!("c_{name}")),
    )
}

/// The inputs of tick `i` for each node.
fn inputs(name: &str, i: u64) -> (u64, u64) {
    match name {
        "dict_acc" => (i % 64, ((i % 7) as f64 * 0.25).to_bits()),
        "append_last" => (i.wrapping_mul(2654435761) % 1000, 0),
        _ => ((((i * 37) % 101) as f64 * 0.5).to_bits(), 0),
    }
}

fn bench(c: &mut Criterion) {
    let ctx = CompilationContext::with_defaults().expect("context");
    for name in ["dict_acc", "append_last", "rolling_var"] {
        let (mut compiled, mut hand) = load_pair(&ctx, name);
        for i in 0..5000 {
            let (a, b) = inputs(name, i);
            let x = compiled.tick(a, b);
            let y = hand.tick(a, b);
            assert!(x.is_some(), "{name}: compiled node did not tick");
            assert_eq!(x, y, "{name}: compiled and C disagree at tick {i}");
        }
        let mut g = c.benchmark_group(format!("containers/{name}"));
        let mut i = 0u64;
        g.bench_function(BenchmarkId::from_parameter("cfuncc"), |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                let (x, y) = inputs(name, i);
                black_box(compiled.tick(x, y))
            })
        });
        g.bench_function(BenchmarkId::from_parameter("c_O2"), |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                let (x, y) = inputs(name, i);
                black_box(hand.tick(x, y))
            })
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
