//! FFI: external C functions a node may call.
//!
//! An extern is declared in the node's source with an `@extern` stub
//! (`frontend/externs.rs`) or registered from Rust with
//! [`CompilationContext::register_extern`]. Either way it is an
//! [`ExternFunction`], and a call lowers the same way:
//!
//! ```text
//! book_mid(b)   ──frontend──▶   func.func private @book_mid(i64) -> f64
//!                               %m = func.call @book_mid(%b) : (i64) -> f64
//! ──backend (transform::extern_attributes)──▶
//!   declare double @book_mid(i64) nounwind memory(read)
//! ```
//! The C ABI: `int` is `int64_t` (LLVM `i64`), `float` is `double`, `bool`
//! is C's `bool` (`_Bool`: LLVM `i1` with `zeroext`, as clang declares it,
//! so a definition linked from clang bitcode has the same type and inlines).
//!
//! A pure extern (the default) is declared `memory(read)` and `nounwind`:
//! it may read any memory but writes none and does not unwind, so LLVM
//! merges repeated calls with the same arguments and may hoist them out of
//! loops. `pure=False` keeps only `nounwind`. Declaring a function pure that
//! writes memory, or one that throws, breaks that contract as it would in C.
//!
//! [`CompilationContext::register_extern`]: crate::Registry::register_extern

pub use crate::abi::externs::{c_type, check_declaration, is_c_identifier, ExternFunction};
pub use crate::dialect::externs::emit_call;
