//! The host crate (`host/`, `cfuncc-host`) loads and drives nodes without
//! the compiler: nothing it depends on links LLVM or MLIR.

#[test]
fn the_host_crate_depends_on_no_llvm_or_mlir() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "cfuncc-host",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.starts_with("cfuncc-host"), "{tree}");
    for heavy in ["mlir-sys", "melior", "tblgen", "cfuncc v"] {
        assert!(
            !tree.contains(heavy),
            "cfuncc-host depends on {heavy}:\n{tree}"
        );
    }
}
