//! Container lifecycle safety (design.md §2–3): every order of START,
//! EXECUTE and STOP — EXECUTE before START, START twice, STOP twice,
//! EXECUTE after STOP, faults after tick-local allocations — is memory-safe
//! with its documented result, and leaks nothing, checked by valgrind
//! around a C host (tests/lifecycle/host.c).

mod common;

use std::path::PathBuf;
use std::process::Command;

fn host() -> PathBuf {
    common::c_host("lifecycle/host.c", "lifecycle-host")
}

/// Runs SEQUENCE under valgrind and returns (phase, fault, ticked, out) per call.
fn drive(
    so: &std::path::Path,
    manifest: &serde_json::Value,
    seq: &str,
) -> Vec<(char, i64, i32, i32, i64, i32)> {
    let exe = host();
    let out = Command::new("valgrind")
        .args([
            "-q",
            "--error-exitcode=1",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect,possible",
        ])
        .arg(&exe)
        .arg(so)
        .arg(manifest["native_name"].as_str().unwrap())
        .arg(manifest["fault_symbol"].as_str().unwrap())
        .arg(manifest["state"].as_array().unwrap().len().to_string())
        .arg(seq)
        .output()
        .expect("valgrind (scripts/install-deps)");
    assert!(
        out.status.success(),
        "valgrind reported errors for {seq}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let num = |i: usize| f[i].split('=').nth(1).unwrap().parse::<i64>().unwrap();
            (
                f[0].chars().next().unwrap(),
                num(1),
                num(2) as i32,
                num(3) as i32,
                num(4),
                num(5) as i32,
            )
        })
        .collect()
}

#[test]
fn every_lifecycle_order_is_memory_safe_and_leak_free() {
    let scratch = common::temp_dir("lifecycle");
    let tmp = scratch.path();
    let src = common::root().join("tests/lifecycle/containers.py");
    let so = tmp.join("lc.so");
    common::compile(&src, &["--function".into(), "lc".into()], &so).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(so.with_extension("json")).unwrap()).unwrap();
    let kinds: Vec<&str> = manifest["state"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    // Two containers, then the instance's fault cell (the last slot).
    assert_eq!(kinds, ["container", "container", "scalar"]);
    assert_eq!(manifest["fault_slot"], 2);

    // EXECUTE before START → fault 9 (container state not started); START;
    // two good ticks; x=3 faults on xs[100] (5) after allocating locals;
    // x=4 faults on a missing key (7); x=5 changes the dict while iterating
    // over it (8); a good tick; START again resets (the old containers are
    // freed); STOP twice; EXECUTE after STOP → 9; an unknown phase does
    // nothing.
    let calls = drive(&so, &manifest, "ESEEEEEESETTEX");
    let faults: Vec<(char, i32)> = calls.iter().map(|c| (c.0, c.2)).collect();
    assert_eq!(
        faults,
        [
            ('E', 9),
            ('S', 0),
            ('E', 0),
            ('E', 5),
            ('E', 7),
            ('E', 8),
            ('E', 0),
            ('E', 0),
            ('S', 0),
            ('E', 0),
            ('T', 0),
            ('T', 0),
            ('E', 9),
            ('X', 0)
        ]
    );
    // After the second START the list holds only the new tick's value.
    let after_restart = calls[9];
    assert_eq!((after_restart.3, after_restart.4), (1, 1001));
    // Fault 9 points at the first container declaration in source order
    // (`xs`, line 5), not at the first slot (`d`, slot 0).
    assert_eq!((calls[0].2, calls[0].5), (9, 5));
    // Faulted ticks write no output.
    assert!(calls.iter().filter(|c| c.2 != 0).all(|c| c.3 == 0));
}

/// Two instances of one node, on two threads at once: each instance's
/// faults land in its own fault cell (the state slot `fault_slot`), so one
/// instance's faults never show in the other's record.
#[test]
fn two_instances_on_two_threads_keep_their_own_faults() {
    type NodeFn = unsafe extern "C" fn(
        *mut *mut u64,
        *mut i8,
        *mut *mut u64,
        i8,
        *mut *mut u64,
        *mut i8,
        *mut i8,
    );
    let scratch = common::temp_dir("two-instances");
    let tmp = scratch.path();
    let src = tmp.join("shift.py");
    std::fs::write(
        &src,
        "def shift(x: Signal[int]) -> Signal[int]:\n    return 1 << x\n",
    )
    .unwrap();
    let so = tmp.join("shift.so");
    common::compile(&src, &["--function".into(), "shift".into()], &so).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(so.with_extension("json")).unwrap()).unwrap();
    let slot = manifest["fault_slot"].as_u64().unwrap() as usize;
    let n_state = manifest["state_values"].as_array().unwrap().len();
    let lib = unsafe { libloading::Library::new(&so) }.unwrap();
    let node: NodeFn = unsafe {
        *lib.get::<NodeFn>(manifest["native_name"].as_str().unwrap().as_bytes())
            .unwrap()
    };
    // x = -1 faults (negative shift count, code 1) on every tick; x = 3 never.
    let run = |x: i64| {
        let mut cells = vec![0u64; n_state];
        let mut state: Vec<*mut u64> = cells.iter_mut().map(|c| c as *mut u64).collect();
        let mut input = x as u64;
        let mut inputs = [&mut input as *mut u64];
        let mut out = 0u64;
        let mut outputs = [&mut out as *mut u64];
        let (mut ticked, mut in_ticked, mut in_valid) = ([0i8], [1i8], [1i8]);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..200_000 {
            unsafe { *state[slot] = 0 };
            unsafe {
                node(
                    outputs.as_mut_ptr(),
                    ticked.as_mut_ptr(),
                    state.as_mut_ptr(),
                    0,
                    inputs.as_mut_ptr(),
                    in_ticked.as_mut_ptr(),
                    in_valid.as_mut_ptr(),
                )
            };
            seen.insert(unsafe { *state[slot] } & 0xFFFF);
        }
        seen
    };
    // A host may pass NULL for the fault cell, or (a node without declared
    // state) for the whole state array: a fault then goes to the global
    // record only, and nothing is read through NULL.
    let fault_global = manifest["fault_symbol"].as_str().unwrap();
    let global: unsafe extern "C" fn() -> *mut i32 =
        unsafe { *lib.get(fault_global.as_bytes()).unwrap() };
    for state_is_null in [false, true] {
        let mut null_cell: Vec<*mut u64> = vec![std::ptr::null_mut(); n_state];
        let state = if state_is_null {
            std::ptr::null_mut()
        } else {
            null_cell.as_mut_ptr()
        };
        let mut input = -1i64 as u64;
        let mut inputs = [&mut input as *mut u64];
        let mut out = 0u64;
        let mut outputs = [&mut out as *mut u64];
        let (mut ticked, mut flags) = ([0i8], [1i8]);
        for phase in [1, 0, 2] {
            unsafe { *global() = 0 };
            unsafe {
                node(
                    outputs.as_mut_ptr(),
                    ticked.as_mut_ptr(),
                    state,
                    phase,
                    inputs.as_mut_ptr(),
                    flags.as_mut_ptr(),
                    flags.as_mut_ptr(),
                )
            };
            assert_eq!(unsafe { *global() }, if phase == 0 { 1 } else { 0 });
        }
    }
    let (faulting, clean) = std::thread::scope(|s| {
        let a = s.spawn(|| run(-1));
        let b = s.spawn(|| run(3));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(faulting.into_iter().collect::<Vec<_>>(), [1]);
    assert_eq!(clean.into_iter().collect::<Vec<_>>(), [0]);
}
