//! The stack a compile runs on.

/// The stack every compile runs on (1 GiB, see [`with_compile_stack`]).
pub const COMPILE_STACK: usize = 1 << 30;

/// Runs `f` (one compile) on a stack of [`COMPILE_STACK`] bytes, unless the
/// current stack already has half of that left.
///
/// Why a big stack rather than a depth limit alone: three recursions in a
/// compile grow with the program, not with a constant. The frontend lowers
/// the AST recursively (`x + x + ... + x` is 18,000 nested `BinOp`s; the
/// nesting itself is capped by [`frontend::MAX_NESTING`](crate::frontend::MAX_NESTING)), ruff's parser
/// recurses (it grows its own stack with `stacker`), and LLVM's analyses
/// (ScalarEvolution, ValueTracking) recurse along chains of dependent values,
/// whose length is bounded by the size of the program, not by its nesting:
/// 2,000 statements `y = x ** y` overflow an 8 MiB stack inside SCEV. No
/// check on the source bounds the last one, so the whole compile gets room
/// instead. `stacker` maps the stack with `mmap` on the calling thread (no
/// thread hop, so the MLIR context and the caller's thread-locals stay
/// put); pages are committed only when touched, so an ordinary node costs
/// one `mmap`/`munmap` pair. Nested calls (cfuncc → `compile_to_so` →
/// `frontend::lower`) find the room already there and do not map again.
pub fn with_compile_stack<T>(f: impl FnOnce() -> T) -> T {
    match stacker::remaining_stack() {
        Some(left) if left >= COMPILE_STACK / 2 => f(),
        _ => stacker::grow(COMPILE_STACK, f),
    }
}
