//! Compiles the container runtime (runtime/cfrt.c) to LLVM bitcode with
//! clang-22; the library embeds it (src/backend/runtime.rs) and links it
//! into every module that uses a list or dict, before optimisation. Also
//! compiles the order-book example's C accessors to bitcode.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=runtime/cfrt.c");
    println!("cargo:rerun-if-changed=runtime/cfrt.h");
    println!("cargo:rerun-if-env-changed=CFUNCC_CLANG");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("cfrt.bc");
    let clang = std::env::var("CFUNCC_CLANG").unwrap_or_else(|_| {
        ["/usr/lib/llvm-22/bin/clang", "clang-22"]
            .into_iter()
            .find(|c| Command::new(c).arg("--version").output().is_ok())
            .unwrap_or("clang-22")
            .to_string()
    });
    let status = Command::new(&clang)
        .args([
            "-std=c11",
            "-O2",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-fno-stack-protector",
            "-fno-asynchronous-unwind-tables",
            "-fno-exceptions",
            "-fPIC",
            "-emit-llvm",
            "-c",
            "runtime/cfrt.c",
            "-o",
        ])
        .arg(&out)
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot run {clang} to build runtime/cfrt.c (scripts/install-deps installs clang-22): {e}")
        });
    assert!(status.success(), "{clang} failed on runtime/cfrt.c");

    // The order-book accessors of examples/order_book_extension.rs, which
    // links them into its node as bitcode.
    println!("cargo:rerun-if-changed=examples/order_book/book.c");
    let book = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("order_book.bc");
    let status = Command::new(&clang)
        .args([
            "-std=c11",
            "-O2",
            "-Wall",
            "-Werror",
            "-fPIC",
            "-emit-llvm",
            "-c",
            "examples/order_book/book.c",
            "-o",
        ])
        .arg(&book)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {clang} on examples/order_book/book.c: {e}"));
    assert!(
        status.success(),
        "{clang} failed on examples/order_book/book.c"
    );
}
