//! `cfunc-lower-state`: state slots → loads and stores through `state[i]`.
//!
//! ```text
//! cfunc.state_load(%state) {slot = i}       ──▶  %p = load state[i]; load %p
//! cfunc.state_store(%state, %v) {slot = i}  ──▶  %p = load state[i]; store %v → %p
//! ```
//! A container slot holds the container's pointer itself (design.md §2):
//! its load is `load state[i]` and its store writes `state[i]`. An array
//! slot's handle is `state[i]` too: the address of the host's buffer.
//!
//! Position: after cfunc-lower-containers, which leaves the container
//! handles of `cfunc.state_load` typed for this pass to load from
//! `state[i]`; before cfunc-to-llvm, whose reconcile-unrealized-casts
//! removes the casts between handles and pointers. Statistics: rewritten
//! ops, by name.

use super::lower_io::{array_index, cell_of, element_ptr, load_cell, store_cell};
use super::pattern::{PassDiag, Patterns};
use crate::dialect::ir::{Operation, Type};
use crate::dialect::ops;
use crate::registry::CompilationContext;

/// A list or dict slot holds the container's pointer; an array slot the
/// address of the host's buffer: either way the handle is `state[i]`.
fn is_container(t: Type<'_>) -> bool {
    let name = t.to_string();
    name.starts_with("!cfunc.list")
        || name.starts_with("!cfunc.dict")
        || name.starts_with("!cfunc.array")
}

/// A struct state's value is its address, `state[i]` itself.
fn is_struct(t: Type<'_>) -> bool {
    t.is_llvm_ptr()
}

/// Runs the pass.
pub fn run<'c>(cx: &CompilationContext, module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    let mut p = Patterns::new(cx.mlir());
    p.add(ops::STATE_LOAD, 1, |rw| {
        let slot = array_index(rw.op, "slot")?;
        let ty = rw.op.result(0).ty();
        if is_struct(ty) {
            let p = cell_of(&rw.b, rw.op.operand(0), slot);
            rw.replace(&[p]);
            return Ok(true);
        }
        if is_container(ty) {
            let b = &rw.b;
            let p = cell_of(b, rw.op.operand(0), slot);
            let h = b.v("builtin.unrealized_conversion_cast", &[p], ty, &[]);
            rw.replace(&[h]);
            return Ok(true);
        }
        let cell = cell_of(&rw.b, rw.op.operand(0), slot);
        let v = load_cell(&rw.b, cell, rw.op.result(0).ty());
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::STATE_STORE, 1, |rw| {
        let slot = array_index(rw.op, "slot")?;
        let [state, value] = rw.op.operands()[..] else {
            return Err("cfunc.state_store takes two operands".into());
        };
        if is_container(value.ty()) {
            let b = &rw.b;
            let p = b.v("builtin.unrealized_conversion_cast", &[value], b.ptr(), &[]);
            let at = element_ptr(b, state, b.ptr(), slot);
            b.op("llvm.store", &[p, at], &[], &[]);
            rw.erase();
            return Ok(true);
        }
        let cell = cell_of(&rw.b, state, slot);
        store_cell(&rw.b, cell, value);
        rw.erase();
        Ok(true)
    });
    p.apply(module)
}
