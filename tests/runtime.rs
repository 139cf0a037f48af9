//! The container runtime's own C test (runtime/test_cfrt.c), built with the
//! system C compiler and run natively and under valgrind. Its expectations
//! come from CPython: runtime/gen_slice_cases.py writes them at test time.

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
