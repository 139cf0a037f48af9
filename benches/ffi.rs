//! Per-tick cost of a node calling an `@extern` C function
//! (`benches/nodes/ffi_scaled.py`, body in `benches/c/ffi_scale.c`):
//!
//! - `linked`: compiled with the body's bitcode (`--link-bitcode`, clang-22
//!   -O2), so the call is inlined;
//! - `external`: compiled without it; the body comes from a shared library
//!   loaded first with `RTLD_GLOBAL`, and each tick calls it through the
//!   `.so`'s import;
//! - `c_O2`: the same node hand-written in C with the function in the same
//!   translation unit (`benches/c/ffi_scaled.c`, `cc -O2`).
//!
//! One tick, as a host does it: write the input cell, clear output_ticked,
//! call EXECUTE, read the output cell.
//!
//! `cargo bench --bench ffi` (add `-- --quick` for a short run).

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

/// A loaded node with one input and one output cell (boxed so the
/// pointers stay put).
struct Harness {
    func: NodeFn,
    input: Box<u64>,
    output: Box<u64>,
    input_ptrs: [*mut u64; 1],
    output_ptrs: [*mut u64; 1],
    output_ticked: [i8; 1],
    flags: [i8; 1],
    _lib: libloading::Library,
}

impl Harness {
    fn load(so: &Path, symbol: &str) -> Box<Harness> {
        let lib = unsafe { libloading::Library::new(so) }
            .unwrap_or_else(|e| panic!("loading {}: {e}", so.display()));
        let func: NodeFn = unsafe { *lib.get::<NodeFn>(symbol.as_bytes()).expect("node symbol") };
        let mut h = Box::new(Harness {
            func,
            input: Box::new(0),
            output: Box::new(0),
            input_ptrs: [std::ptr::null_mut()],
            output_ptrs: [std::ptr::null_mut()],
            output_ticked: [0],
            flags: [1],
            _lib: lib,
        });
        h.input_ptrs = [&mut *h.input as *mut u64];
        h.output_ptrs = [&mut *h.output as *mut u64];
        h
    }

    #[inline(always)]
    fn tick(&mut self, x: f64) -> Option<f64> {
        *self.input = x.to_bits();
        self.output_ticked[0] = 0;
        unsafe {
            (self.func)(
                self.output_ptrs.as_mut_ptr(),
                self.output_ticked.as_mut_ptr(),
                std::ptr::null_mut(),
                0,
                self.input_ptrs.as_mut_ptr(),
                self.flags.as_mut_ptr(),
                self.flags.as_mut_ptr(),
            )
        };
        (self.output_ticked[0] != 0).then(|| f64::from_bits(*self.output))
    }
}

fn dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench_ffi");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(cmd: &mut Command, what: &str) {
    let o = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        o.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn c_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("benches/c/{name}.c"))
}

fn bench_ffi(c: &mut Criterion) {
    let ctx = CompilationContext::with_defaults().expect("context");
    let source = include_str!("nodes/ffi_scaled.py");

    let bc = dir().join("ffi_scale.bc");
    run(
        Command::new("/usr/lib/llvm-22/bin/clang")
            .args(["-c", "-emit-llvm", "-O2", "-o"])
            .arg(&bc)
            .arg(c_file("ffi_scale")),
        "clang-22 -emit-llvm",
    );
    let lib = dir().join("libffi_scale.so");
    run(
        Command::new("cc")
            .args(["-O2", "-shared", "-fPIC", "-o"])
            .arg(&lib)
            .arg(c_file("ffi_scale")),
        "cc -shared ffi_scale.c",
    );
    let c_node = dir().join("c_ffi_scaled.so");
    run(
        Command::new("cc")
            .args(["-O2", "-shared", "-fPIC", "-o"])
            .arg(&c_node)
            .arg(c_file("ffi_scaled")),
        "cc -shared ffi_scaled.c",
    );
    // Provides `scale` to the external variant; kept loaded to the end.
    let _scale = cfuncc::runner::preload(&lib).expect("preload libffi_scale.so");

    let compile = |name: &str, opts: CompilationOptions| {
        let so = dir().join(format!("{name}.so"));
        let r = compile_to_so(&ctx, source, "ffi_scaled", &Constants::new(), &opts, &so)
            .unwrap_or_else(|e| panic!("compiling {name}: {e:?}"));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        Harness::load(&so, &r.native_name)
    };
    let mut linked = compile(
        "linked",
        CompilationOptions {
            link_bitcode: vec![bc],
            ..Default::default()
        },
    );
    let mut external = compile("external", CompilationOptions::default());
    let mut hand = Harness::load(&c_node, "c_ffi_scaled");

    // Quarter steps: x * 1.5 + 0.25 is exact, so fused (clang contracts it
    // into llvm.fmuladd) and unfused evaluation agree with Rust's.
    let input = |i: u64| (i & 1023) as f64 * 0.25 - 100.0;
    for i in 0..1000 {
        let x = input(i);
        let want = Some(x * 1.5 + 0.25 - x);
        assert_eq!(linked.tick(x), want);
        assert_eq!(external.tick(x), want);
        assert_eq!(hand.tick(x), want);
    }

    let mut g = c.benchmark_group("tick/ffi_scaled");
    let mut i = 0u64;
    for (name, h) in [
        ("linked", &mut linked),
        ("external", &mut external),
        ("c_O2", &mut hand),
    ] {
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                black_box(h.tick(input(i)))
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench_ffi
}
criterion_main!(benches);
